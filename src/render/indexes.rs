//! Lookups across the whole site that several pages need: terms with their counts,
//! sessions by lecture and by day, lectures by course, cases by topic and field. One
//! [`Indexes`] per build; each lookup is made on first use, so rendering one page again
//! after an edit builds only what that page shows.

use std::collections::HashMap;
use std::sync::OnceLock;

use jiff::civil::Date;

use super::cards::TermValue;
use crate::content::{Kind, Meta};
use crate::site::{Occurrence, PageId, Site};

/// Related cases a course page lists.
pub(super) const RELATED_CASES: usize = 6;

pub(super) struct Indexes<'s> {
    site: &'s Site,
    /// Per taxonomy of `site.taxonomies`: term name → the term with its page count.
    terms: Vec<OnceLock<HashMap<String, TermValue>>>,
    schedule: OnceLock<ScheduleIndex>,
    lectures_of_course: OnceLock<HashMap<PageId, Vec<PageId>>>,
    cases_by_tag: OnceLock<CasesByTag<'s>>,
}

/// Indices into `site.schedule`.
#[derive(Default)]
struct ScheduleIndex {
    /// The sessions of each lecture page.
    sessions_of: HashMap<PageId, Vec<usize>>,
    /// The sessions of each day.
    by_day: HashMap<Date, Vec<usize>>,
}

/// Positions in the list of cases of the cases of each topic and of each field.
struct CasesByTag<'s> {
    by_topic: HashMap<&'s str, Vec<usize>>,
    by_domain: HashMap<&'s str, Vec<usize>>,
}

impl<'s> Indexes<'s> {
    pub(super) fn new(site: &'s Site) -> Indexes<'s> {
        Indexes {
            site,
            terms: site.taxonomies.iter().map(|_| OnceLock::new()).collect(),
            schedule: OnceLock::new(),
            lectures_of_course: OnceLock::new(),
            cases_by_tag: OnceLock::new(),
        }
    }

    /// The terms of the taxonomy `key`: name → term.
    pub(super) fn terms(
        &self,
        key: &str,
        make: impl Fn(&str, &str, usize) -> TermValue,
    ) -> Option<&HashMap<String, TermValue>> {
        let t = self.site.taxonomies.iter().rposition(|t| t.key == key)?;
        Some(self.terms[t].get_or_init(|| {
            self.site.taxonomies[t]
                .terms
                .iter()
                .map(|t| (t.name.clone(), make(&t.name, &t.url, t.pages.len())))
                .collect()
        }))
    }

    fn schedule(&self) -> &ScheduleIndex {
        self.schedule.get_or_init(|| {
            let mut index = ScheduleIndex::default();
            for (n, o) in self.site.schedule.iter().enumerate() {
                index.sessions_of.entry(o.page).or_default().push(n);
                index.by_day.entry(o.start.date()).or_default().push(n);
            }
            index
        })
    }

    /// The sessions of lecture `i`, in time order.
    pub(super) fn sessions_of(
        &self,
        i: PageId,
    ) -> impl DoubleEndedIterator<Item = &'s Occurrence> + Clone + '_ {
        let schedule = &self.site.schedule;
        self.schedule()
            .sessions_of
            .get(&i)
            .into_iter()
            .flatten()
            .map(move |&n| &schedule[n])
    }

    /// How many sessions lecture `i` has.
    pub(super) fn session_count(&self, i: PageId) -> usize {
        self.schedule().sessions_of.get(&i).map_or(0, Vec::len)
    }

    /// The sessions on `day`, in time order.
    pub(super) fn sessions_on(&self, day: Date) -> impl Iterator<Item = &'s Occurrence> + '_ {
        let schedule = &self.site.schedule;
        self.schedule()
            .by_day
            .get(&day)
            .into_iter()
            .flatten()
            .map(move |&n| &schedule[n])
    }

    /// The lectures that belong to course `i`.
    pub(super) fn lectures_of_course(&self, i: PageId) -> &[PageId] {
        self.lectures_of_course
            .get_or_init(|| {
                let mut of: HashMap<PageId, Vec<PageId>> = HashMap::new();
                for &l in self.site.of(Kind::Lecture) {
                    if let Some(c) = self.site.page(l).course {
                        of.entry(c).or_default().push(l);
                    }
                }
                of
            })
            .get(&i)
            .map_or(&[], Vec::as_slice)
    }

    /// The first cases (in the site's order, at most [`RELATED_CASES`]) that share a
    /// topic or a field with a course, from lists of the cases by topic and by field
    /// made once: no course page looks at every case.
    pub(super) fn related_cases(&self, topics: &[String], domains: &[String]) -> Vec<PageId> {
        let cases = self.site.of(Kind::Case);
        let index = self.cases_by_tag.get_or_init(|| {
            let mut by_topic: HashMap<&str, Vec<usize>> = HashMap::new();
            let mut by_domain: HashMap<&str, Vec<usize>> = HashMap::new();
            for (n, &k) in cases.iter().enumerate() {
                if let Meta::Case(cm) = &self.site.page(k).src.meta {
                    for t in &cm.topics {
                        push_once(by_topic.entry(t).or_default(), n);
                    }
                    for d in &cm.domains {
                        push_once(by_domain.entry(d).or_default(), n);
                    }
                }
            }
            CasesByTag {
                by_topic,
                by_domain,
            }
        });
        let lists = topics
            .iter()
            .filter_map(|t| index.by_topic.get(t.as_str()))
            .chain(
                domains
                    .iter()
                    .filter_map(|d| index.by_domain.get(d.as_str())),
            );
        // Each list is in site order: the first few of each are all the union can need.
        let mut first: Vec<usize> = lists
            .flat_map(|l| l.iter().take(RELATED_CASES).copied())
            .collect();
        first.sort_unstable();
        first.dedup();
        first.truncate(RELATED_CASES);
        first.into_iter().map(|n| cases[n]).collect()
    }
}

/// Appends `n` unless it is already last (a case that names a tag twice).
fn push_once(list: &mut Vec<usize>, n: usize) {
    if list.last() != Some(&n) {
        list.push(n);
    }
}
