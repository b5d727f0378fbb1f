//! The site model → the documents the index is built from: one per course, lesson,
//! lecture, case and plain page, with the breadcrumb and filters the results show.

use rayon::prelude::*;

use crate::content::{Kind, LectureMeta, Meta};
use crate::site::Site;

use super::SearchDoc;

/// Every searchable page of the site, in site order.
pub fn docs(site: &Site) -> Vec<SearchDoc> {
    site.par_pages()
        .filter_map(|p| {
            if !p.kind.spec().searched || p.src.common.unlisted {
                return None;
            }
            let course = match (&p.src.meta, p.course) {
                (Meta::Course(m), _) => Some(m),
                (Meta::Lesson(_), Some(c)) => match &site.page(c).src.meta {
                    Meta::Course(m) => Some(m),
                    _ => None,
                },
                _ => None,
            };
            let mut breadcrumb = vec![p.kind.spec().crumb.to_string()];
            if let (Kind::Lesson, Some(c)) = (p.kind, p.course) {
                breadcrumb.push(site.page(c).title().to_string());
            }
            let mut body = String::new();
            if !p.src.common.summary.is_empty() {
                body.push_str(&p.src.common.summary);
                body.push_str("\n\n");
            }
            if let Meta::Lecture(m) = &p.src.meta {
                body.push_str(&session_lines(m));
            }
            body.push_str(&p.md.text);
            let domains = match (&p.src.meta, course) {
                (Meta::Case(m), _) => m.domains.clone(),
                (_, Some(c)) => c.domains.clone(),
                _ => Vec::new(),
            };
            Some(SearchDoc {
                url: p.url.clone(),
                title: p.title().to_string(),
                kind: p.kind,
                breadcrumb,
                headings: p.md.headings.clone(),
                body,
                action: course.map(|c| c.action.clone()),
                levels: course.map(|c| c.levels.clone()).unwrap_or_default(),
                domains,
                // A lecture is dated by its start (its first session), not by the
                // `date:` that `new` fills with the day the file was written.
                date: match &p.src.meta {
                    Meta::Lecture(m) => Some(m.start.strftime("%Y-%m-%d %H:%M").to_string()),
                    // Others by their last change, which the result labels 更新于.
                    _ => p
                        .src
                        .common
                        .updated
                        .or(p.src.common.date)
                        .map(|d| d.to_string()),
                },
            })
        })
        .collect()
}

/// A series' sessions with their own speakers and topics, one line each, so that a
/// search finds the lecture by them and its snippet can show them:
/// `2027年1月21日：用数据改进决策和服务（主讲：张海涛，市数据局局长）`.
fn session_lines(m: &LectureMeta) -> String {
    let mut out = String::new();
    for n in &m.sessions {
        let d = n.date;
        out.push_str(&format!(
            "{}年{}月{}日：{}",
            d.year(),
            d.month(),
            d.day(),
            n.topic
        ));
        let who: Vec<&str> = [
            n.speaker.as_deref(),
            Some(n.speaker_title.as_str()),
            n.unit.as_deref(),
        ]
        .into_iter()
        .flatten()
        .filter(|x| !x.is_empty())
        .collect();
        if !who.is_empty() {
            out.push_str(&format!("（主讲：{}）", who.join("，")));
        }
        out.push_str("\n\n");
    }
    out
}
