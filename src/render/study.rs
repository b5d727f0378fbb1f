//! 我的学习 (`/study/`): the cadre's record, drawn by `study.js` from the browser's
//! storage over the catalogue's courses, each with its lessons.
//!
//! A course with its lessons listed is a few kilobytes, so the page does not carry the
//! catalogue. It holds the first page of courses ([`per_page`] of them) and, for the
//! script, the ordered ids of every course and the addresses of the data files
//! (`/study/data/<n>.json`, from 1): page `n`'s courses as the page prints them, a JSON
//! array of HTML. The script fetches the pages that hold the courses the record
//! touches, and a page of the courses not started when the reader turns to it. Without
//! JavaScript there is no record to show; the first page of courses and a link to the
//! catalogue stand in for the list.

use serde::Serialize;

use super::Renderer;
use crate::content::Kind;
use crate::diagnostic::Diagnostic;
use crate::site::Site;

/// The most courses a page (and a data file) holds: a course with its lessons is about
/// three catalogue cards, so ten of them weigh a page of the catalogue.
const MOST_PER_PAGE: usize = 10;

/// What the data files' readers check (`FORMAT` in `study.js`).
const FORMAT: u32 = 1;

/// Courses per page: the site's `page_size`, at most [`MOST_PER_PAGE`].
pub(super) fn per_page(site: &Site) -> usize {
    site.config.page_size.clamp(1, MOST_PER_PAGE)
}

/// How many pages the courses take; the data files are written only when there is more
/// than one.
pub(super) fn page_count(site: &Site) -> usize {
    site.of(Kind::Course).len().div_ceil(per_page(site))
}

/// `/study/data/<n>.json`, `n` from 1.
pub(super) fn data_url(n: usize) -> String {
    format!("/study/data/{n}.json")
}

/// The study page's values.
#[derive(Serialize)]
pub(super) struct Study {
    /// The first page of courses, as HTML.
    courses_html: tera::Value,
    /// How many courses the first page shows, and the site has.
    courses_shown: usize,
    course_count: usize,
    /// What `study.js` reads to list every course ([`Index`] as JSON; `""` when the
    /// page shows them all).
    index: String,
    /// `site.yaml`'s `requirements:` as JSON for `study.js` (`""` without any), and
    /// the tiers they name.
    requirements: String,
    tiers: Vec<String>,
}

/// Every course's id in catalogue order, and per page of them, its data file's address
/// relative to `/study/` with a version of its content (a browser's cached copy of an
/// older file is never read against a newer list).
#[derive(Serialize)]
struct Index<'a> {
    format: u32,
    per_page: usize,
    ids: Vec<&'a str>,
    files: Vec<String>,
}

impl Renderer<'_> {
    pub(super) fn study(&self) -> Result<Study, Diagnostic> {
        let items = self.study_items()?;
        let site = self.site;
        let first = items.iter().take(per_page(site)).map(String::as_str);
        let pages = page_count(site);
        let index = if pages > 1 {
            super::json_data(&Index {
                format: FORMAT,
                per_page: per_page(site),
                ids: site
                    .of(Kind::Course)
                    .iter()
                    .map(|&i| site.nodes[i.index()].id.as_str())
                    .collect(),
                files: (1..=pages)
                    .map(|n| {
                        let bytes = data_file(items, per_page(site), n);
                        let version = xxhash_rust::xxh3::xxh3_64(&bytes) >> 32;
                        format!("data/{n}.json?v={version:08x}")
                    })
                    .collect(),
            })
        } else {
            String::new()
        };
        let plan = &site.config.requirements;
        Ok(Study {
            courses_html: tera::Value::safe_string(&first.collect::<Vec<_>>().join("\n")),
            courses_shown: items.len().min(per_page(site)),
            course_count: items.len(),
            index,
            requirements: if plan.years.is_empty() {
                String::new()
            } else {
                super::json_data(plan)
            },
            tiers: plan.tiers(&site.config.levels),
        })
    }

    /// Data file `n` (from 1) of the study page.
    pub(super) fn study_data(&self, n: usize) -> Result<Vec<u8>, Diagnostic> {
        Ok(data_file(self.study_items()?, per_page(self.site), n))
    }

    /// Every course as the study page lists it (`_study_course.html`), rendered once.
    fn study_items(&self) -> Result<&Vec<String>, Diagnostic> {
        self.study
            .get_or_init(|| {
                let mut c = self.context_with_shared();
                self.site
                    .of(Kind::Course)
                    .iter()
                    .map(|&i| {
                        c.insert_value("c", self.course_with_lessons(i));
                        self.engine.render_partial("_study_course.html", &c)
                    })
                    .collect()
            })
            .as_ref()
            .map_err(Diagnostic::clone)
    }
}

/// Page `n`'s courses, `per_page` a page, as a JSON array of their HTML.
fn data_file(items: &[String], per_page: usize, n: usize) -> Vec<u8> {
    let start = n.saturating_sub(1).saturating_mul(per_page);
    let page = items
        .get(start..items.len().min(start + per_page))
        .unwrap_or(&[]);
    serde_json::to_vec(page).expect("a list of strings serialises")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_data_file_holds_its_page_of_courses() {
        let items: Vec<String> = (1..=5).map(|i| format!("<li>{i}</li>")).collect();
        assert_eq!(data_file(&items, 2, 1), br#"["<li>1</li>","<li>2</li>"]"#);
        assert_eq!(data_file(&items, 2, 3), br#"["<li>5</li>"]"#);
        assert_eq!(data_file(&items, 2, 4), b"[]");
        assert_eq!(data_url(3), "/study/data/3.json");
    }
}
