//! The programme's reports on units, from the model (pure): what each unit offered and
//! delivered, in all or in one year (the unit overview), and where each unit of a
//! series' rota stands; and the checks they need (a unit's address among the years',
//! a rota unit the content never names).
//!
//! A year is given by dates: a lecture session's start (each session of a repeating
//! lecture in its own year), a course's or case's `date:`. A course or case without
//! `date:` counts in the overview of all years only.

use std::collections::HashMap;

use jiff::civil::{Date, DateTime};

use super::{Occurrence, PageId, Site, Term};
use crate::content::{LectureMeta, Meta, Status};
use crate::diagnostic::{Diagnostic, Text};
use crate::rota::YearRota;

/// One unit's row of the overview.
#[derive(Debug, Clone)]
pub struct UnitRow<'a> {
    pub term: &'a Term,
    pub courses: usize,
    /// The lessons of those courses.
    pub lessons: usize,
    /// The 学时 of those courses.
    pub hours: f64,
    /// Lecture sessions the unit gave (ended before now) and has scheduled.
    pub given: usize,
    pub scheduled: usize,
    pub cases: usize,
}

/// The unit taxonomy, when the site has one with terms.
pub fn unit_taxonomy(site: &Site) -> Option<&super::Taxonomy> {
    site.taxonomies
        .iter()
        .find(|t| t.key == "unit" && !t.terms.is_empty())
}

/// The unit that gives a session: the session's own `unit`, else the lecture's.
pub fn speaking_unit(m: &LectureMeta, day: Date) -> Option<&str> {
    m.session_on(day)
        .and_then(|n| n.unit.as_deref())
        .or(m.unit.as_deref())
}

/// The sessions that count, with their lecture's values: not of an unlisted lecture,
/// nor of a cancelled one, nor of a postponed one, whose date is no longer its date (it
/// was not given then, and its new date is not known yet).
fn sessions(site: &Site) -> impl Iterator<Item = (&Occurrence, &LectureMeta)> {
    site.schedule.iter().filter_map(|o| {
        let p = site.page(o.page);
        match &p.src.meta {
            Meta::Lecture(m) if m.status == Status::Scheduled && !p.src.common.unlisted => {
                Some((o, &**m))
            }
            _ => None,
        }
    })
}

/// The overview's rows, one per unit in the unit index's order: every unit for all
/// years (`None`), the units with something in `year` for one.
pub fn unit_rows(site: &Site, year: Option<i16>) -> Vec<UnitRow<'_>> {
    let Some(tax) = unit_taxonomy(site) else {
        return Vec::new();
    };
    let in_year = |d: Option<Date>| year.is_none_or(|y| d.is_some_and(|d| d.year() == y));
    let mut talks: HashMap<&str, (usize, usize)> = HashMap::new();
    for (o, m) in sessions(site) {
        if let Some(unit) = speaking_unit(m, o.start.date())
            && in_year(Some(o.start.date()))
        {
            let e = talks.entry(unit).or_default();
            if o.end < site.now {
                e.0 += 1;
            } else {
                e.1 += 1;
            }
        }
    }
    let mut rows = Vec::new();
    for term in &tax.terms {
        let (given, scheduled) = talks.get(term.name.as_str()).copied().unwrap_or_default();
        let mut row = UnitRow {
            term,
            courses: 0,
            lessons: 0,
            hours: 0.0,
            given,
            scheduled,
            cases: 0,
        };
        for &i in &term.pages {
            let p = site.page(i);
            if !in_year(p.src.common.date) {
                continue;
            }
            match &p.src.meta {
                Meta::Course(m) if m.unit.as_deref() == Some(&term.name) => {
                    row.courses += 1;
                    row.lessons += p.lessons.len();
                    row.hours += m.hours;
                }
                Meta::Case(m) if m.unit == term.name => row.cases += 1,
                _ => {}
            }
        }
        let empty = row.courses + row.given + row.scheduled + row.cases == 0;
        if year.is_none() || !empty {
            rows.push(row);
        }
    }
    rows
}

/// The years that have something to show in the overview, oldest first.
pub fn unit_years(site: &Site) -> Vec<i16> {
    let Some(tax) = unit_taxonomy(site) else {
        return Vec::new();
    };
    let dated = tax
        .terms
        .iter()
        .flat_map(|t| &t.pages)
        .filter(|&&i| matches!(site.page(i).src.meta, Meta::Course(_) | Meta::Case(_)))
        .filter_map(|&i| site.page(i).src.common.date);
    let talks = sessions(site)
        .filter(|(o, m)| speaking_unit(m, o.start.date()).is_some())
        .map(|(o, _)| o.start.date());
    let mut years: Vec<i16> = dated.chain(talks).map(|d| d.year()).collect();
    years.sort_unstable();
    years.dedup();
    years
}

/// How many courses and cases with a unit have no `date:` (counted in the overview of
/// all years only).
pub fn undated(site: &Site) -> usize {
    let Some(tax) = unit_taxonomy(site) else {
        return 0;
    };
    let mut pages: Vec<PageId> = tax
        .terms
        .iter()
        .flat_map(|t| &t.pages)
        .copied()
        .filter(|&i| {
            let p = site.page(i);
            matches!(p.src.meta, Meta::Course(_) | Meta::Case(_)) && p.src.common.date.is_none()
        })
        .collect();
    pages.sort_unstable();
    pages.dedup();
    pages.len()
}

/// Where a unit of a rota stands in its year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// It gave a lecture (one ended before now).
    Given,
    /// It has one to come, none given.
    Scheduled,
    /// Neither.
    Unscheduled,
}

/// One unit of a rota's year, with its sessions of the series in that year.
#[derive(Debug, Clone)]
pub struct RotaEntry<'a> {
    pub unit: &'a str,
    /// On the year's list (else it lectured without being on it: 名单外).
    pub listed: bool,
    pub sessions: Vec<(&'a Occurrence, &'a LectureMeta)>,
    pub mark: Mark,
}

/// A series' rota for one year: the listed units in the list's order, then the units
/// that lectured in the series that year without being listed, by their first session.
pub fn rota_year<'a>(site: &'a Site, series: &str, rota: &'a YearRota) -> Vec<RotaEntry<'a>> {
    let mut by_unit: Vec<(&str, Vec<(&Occurrence, &LectureMeta)>)> = Vec::new();
    for (o, m) in sessions(site) {
        if m.series != series || o.start.date().year() != rota.year {
            continue;
        }
        let Some(unit) = speaking_unit(m, o.start.date()) else {
            continue;
        };
        match by_unit.iter_mut().find(|(u, _)| *u == unit) {
            Some((_, list)) => list.push((o, m)),
            None => by_unit.push((unit, vec![(o, m)])),
        }
    }
    let now = site.now;
    let entry = |unit: &'a str, listed: bool, sessions: Vec<(&'a Occurrence, &'a LectureMeta)>| {
        let mark = if sessions.iter().any(|(o, _)| ended(o, now)) {
            Mark::Given
        } else if sessions.is_empty() {
            Mark::Unscheduled
        } else {
            Mark::Scheduled
        };
        RotaEntry {
            unit,
            listed,
            sessions,
            mark,
        }
    };
    let mut out: Vec<RotaEntry> = rota
        .units
        .iter()
        .map(|u| {
            let found = by_unit.iter().position(|(name, _)| *name == u.name);
            let sessions = found.map(|k| by_unit.remove(k).1).unwrap_or_default();
            entry(&u.name, true, sessions)
        })
        .collect();
    out.extend(by_unit.into_iter().map(|(u, s)| entry(u, false, s)));
    out
}

fn ended(o: &Occurrence, now: DateTime) -> bool {
    o.end < now
}

/// A unit whose address would be a year's overview (`/units/2026/`): an error at each
/// place the name is written, since the two pages cannot share one address.
pub(super) fn year_like_units(
    site: &Site,
    sources: &[&crate::content::SourceFile],
) -> Vec<Diagnostic> {
    let Some(tax) = unit_taxonomy(site) else {
        return Vec::new();
    };
    let year_like = |slug: &str| slug.len() == 4 && slug.bytes().all(|b| b.is_ascii_digit());
    let mut out = Vec::new();
    for term in tax.terms.iter().filter(|t| year_like(&t.slug)) {
        for &i in &term.pages {
            let (line, column) = sources.get(i.index()).map_or((1, 1), |s| {
                super::taxonomy::locate(&s.bytes, "unit", &term.name)
            });
            out.push(
                Diagnostic::error(
                    &site.page(i).src.path,
                    line,
                    column,
                    Text::new(
                        format!(
                            "单位“{}”的网址 /units/{}/ 是 {} 年单位统计的网址",
                            term.name, term.slug, term.slug
                        ),
                        format!(
                            "the address of unit `{}`, /units/{}/, is that of the units' figures for {}",
                            term.name, term.slug, term.slug
                        ),
                    ),
                )
                .with_len(term.name.chars().count())
                .with_hint(Text::new(
                    format!(
                        "写单位的全称；或在 site.yaml 的 slugs 中给它另取网址拼写，例如 slugs: {{{}: unit-{}}}",
                        term.name, term.slug
                    ),
                    format!(
                        "write the unit's full name, or give it another slug under `slugs` in site.yaml, e.g. slugs: {{{}: unit-{}}}",
                        term.name, term.slug
                    ),
                )),
            );
        }
    }
    out
}

/// The rota's units no page names as a unit (see [`crate::rota::unknown_units`]).
pub(super) fn rota_warnings(site: &Site) -> Vec<Diagnostic> {
    let names: Vec<&str> = unit_taxonomy(site)
        .map(|t| t.terms.iter().map(|x| x.name.as_str()).collect())
        .unwrap_or_default();
    crate::rota::unknown_units(
        &site.config.rota,
        |n| names.contains(&n),
        names.iter().copied(),
    )
}
