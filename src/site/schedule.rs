//! The lecture schedule: every session of every lecture in time order (a repeating
//! lecture has one per date), and the warning for two sessions in one place at once.

use std::collections::HashMap;

use jiff::civil::DateTime;

use super::{PageId, Site};
use crate::content::{self, Kind, Meta};
use crate::diagnostic::{Diagnostic, Text};

/// One session of a lecture: a single lecture has one, a series one per date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Occurrence {
    pub page: PageId,
    pub start: DateTime,
    pub end: DateTime,
}

/// Every session of every lecture, in time order.
pub(super) fn schedule(site: &Site) -> Vec<Occurrence> {
    let mut out = Vec::new();
    for &i in site.of(Kind::Lecture) {
        if let Meta::Lecture(m) = &site.page(i).src.meta {
            out.extend(sessions(m).into_iter().map(|(start, end)| Occurrence {
                page: i,
                start,
                end,
            }));
        }
    }
    out.sort_by_key(|o| (o.start, o.page));
    out
}

/// Two sessions at the same place and time: a warning on the later file (a room cannot
/// hold two lectures; usually one of them has a wrong date or place).
pub(super) fn overlaps(site: &Site) -> Vec<Diagnostic> {
    let mut by_place: HashMap<&str, Vec<&Occurrence>> = HashMap::new();
    for o in &site.schedule {
        if let Meta::Lecture(m) = &site.page(o.page).src.meta
            && !m.location.trim().is_empty()
            && m.status != content::Status::Cancelled
        {
            by_place.entry(m.location.trim()).or_default().push(o);
        }
    }
    let mut out = Vec::new();
    let mut reported = std::collections::HashSet::new();
    for (place, list) in by_place {
        for (i, a) in list.iter().enumerate() {
            for b in &list[i + 1..] {
                if b.start >= a.end {
                    break;
                }
                if a.page == b.page || !reported.insert((a.page.min(b.page), a.page.max(b.page))) {
                    continue;
                }
                let (pa, pb) = (site.page(a.page), site.page(b.page));
                let later = if pa.src.rel > pb.src.rel { pa } else { pb };
                let other = if later.page_id == pa.page_id { pb } else { pa };
                let Meta::Lecture(m) = &later.src.meta else {
                    continue;
                };
                let when = b.start.strftime("%Y-%m-%d %H:%M").to_string();
                out.push(
                    Diagnostic::warning(
                        &later.src.path,
                        m.start_pos.0,
                        m.start_pos.1,
                        Text::new(
                            format!("{when} 在“{place}”与 {} 时间重叠", other.src.path.display()),
                            format!(
                                "at {when} this overlaps {} in the same place ({place})",
                                other.src.path.display()
                            ),
                        ),
                    )
                    .with_hint(Text::new(
                        "检查两场讲座的日期、时间和地点",
                        "check the dates, times and places of both lectures",
                    )),
                );
            }
        }
    }
    out
}

/// The (start, end) of each session of one lecture.
pub fn sessions(m: &content::LectureMeta) -> Vec<(DateTime, DateTime)> {
    let length = m.end.duration_since(m.start);
    match &m.repeat {
        None => vec![(m.start, m.end)],
        Some(rule) => crate::recurrence::occurrences(rule, m.start)
            .into_iter()
            .filter_map(|s| s.checked_add(length).ok().map(|e| (s, e)))
            .collect(),
    }
}
