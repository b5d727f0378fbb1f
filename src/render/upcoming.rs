//! What is coming: the home page's 本周 / 下周 strip and the upcoming lists, where a
//! repeating lecture is one card ("每周五 16:00–17:30，下次 12月11日") rather than one
//! card per session. Both are built for the day of the build and carry the data
//! `static/js/schedule.js` needs to pick again from the reader's clock.

use std::collections::HashSet;

use jiff::Span;
use jiff::civil::{Date, DateTime};
use serde::Serialize;

use super::Renderer;
use super::cards::{LectureCard, SessionWho, to_value};
use super::format::iso_local;
use crate::content::{Meta, Status};
use crate::site::{Occurrence, PageId};

/// How many weeks from the build's Monday the strip's data covers: a home page read
/// up to eight weeks after it was built still finds this week's and next week's
/// sessions among them.
const STRIP_WEEKS: i64 = 10;

/// The strip: the sessions of this week and next week, and those of the weeks after
/// (hidden) for the script to move in as the weeks pass.
#[derive(Serialize)]
pub(super) struct WeekStrip<'a> {
    this_week: Vec<WeekItem<'a>>,
    next_week: Vec<WeekItem<'a>>,
    later: Vec<WeekItem<'a>>,
    /// The Monday after the last covered week (`2027-02-15`): past it the script
    /// sends readers to the schedule instead of claiming nothing is on.
    until: String,
}

/// One session in the strip.
#[derive(Serialize)]
struct WeekItem<'a> {
    #[serde(flatten)]
    card: LectureCard<'a>,
    /// 周三 12月9日
    day_zh: String,
    cancelled: bool,
}

/// The sessions still to come of a repeating lecture, shown as one card.
#[derive(Serialize)]
pub(super) struct Run<'a> {
    /// 每周五 (the card shows the time beside it)
    rule_zh: String,
    /// 12月11日, the next session's day
    next_zh: String,
    /// `start/end` of each session still to come, space-separated, for the script.
    sessions: String,
    /// How many sessions the card stands for.
    count: usize,
    /// Who speaks on what at each session to come, when the lecture's `sessions`
    /// say so (empty otherwise).
    notes: Vec<RunNote<'a>>,
}

/// One session to come of a run, with its speaker and topic.
#[derive(Serialize)]
struct RunNote<'a> {
    start: String,
    #[serde(flatten)]
    who: SessionWho<'a>,
}

/// Monday of the week `day` is in.
pub(super) fn monday_of(day: Date) -> Date {
    day.saturating_sub(Span::new().days(i64::from(day.weekday().to_monday_zero_offset())))
}

impl<'s> Renderer<'s> {
    /// The home page's strip for the day of the build.
    pub(super) fn week_strip(&self) -> WeekStrip<'_> {
        let now = self.site.now;
        let monday = monday_of(now.date());
        let week = |n: i64| monday.saturating_add(Span::new().days(7 * n));
        let mut weeks: [Vec<(bool, DateTime, WeekItem)>; 3] = Default::default();
        for o in self.site.schedule.iter().filter(|o| o.end >= now) {
            if o.start.date() >= week(STRIP_WEEKS) {
                break;
            }
            let Some(item) = self.week_item(o) else {
                continue;
            };
            let slot = match o.start.date() {
                d if d < week(1) => 0,
                d if d < week(2) => 1,
                _ => 2,
            };
            weeks[slot].push((item.cancelled, o.start, item));
        }
        // Within a week, a cancelled session never leads: it follows the others.
        let [this_week, next_week, later] = weeks.map(|mut items| {
            items.sort_by_key(|&(cancelled, start, _)| (cancelled, start));
            items.into_iter().map(|(_, _, item)| item).collect()
        });
        WeekStrip {
            this_week,
            next_week,
            later,
            until: super::format::iso_date(week(STRIP_WEEKS)),
        }
    }

    fn week_item(&self, o: &Occurrence) -> Option<WeekItem<'_>> {
        let cancelled = self.cancelled(o);
        Some(WeekItem {
            card: self.lecture_card_at(o.page, o.start, o.end)?,
            day_zh: self.engine.dates.weekday_short_date(o.start.date()),
            cancelled,
        })
    }

    /// The upcoming sessions as cards in time order, a repeating lecture's as one
    /// card at the place of its next session: the first `limit` of them, of which the
    /// cancelled ones follow the others (a reader looking for what is on should not
    /// meet what is off first, yet still learns of it).
    pub(super) fn upcoming_cards(&self, limit: usize) -> Vec<tera::Value> {
        let now = self.site.now;
        let mut seen = HashSet::new();
        let mut cards: Vec<(bool, tera::Value)> = self
            .site
            .schedule
            .iter()
            .filter(|o| o.end >= now)
            .filter_map(|o| {
                let card = if self.repeats(o) {
                    seen.insert(o.page).then(|| self.run_card(o))?
                } else {
                    self.occurrence_card(o)
                };
                Some((self.cancelled(o), card))
            })
            .take(limit)
            .collect();
        // Stable: each part keeps its time order.
        cards.sort_by_key(|&(cancelled, _)| cancelled);
        cards.into_iter().map(|(_, card)| card).collect()
    }

    fn cancelled(&self, o: &Occurrence) -> bool {
        matches!(
            &self.site.page(o.page).src.meta,
            Meta::Lecture(m) if m.status == Status::Cancelled
        )
    }

    /// The sessions of the lectures that carry term `name` of taxonomy `key`.
    pub(super) fn term_sessions(&self, key: &str, name: &str) -> usize {
        let site = self.site;
        let tax = site.taxonomies.iter().find(|t| t.key == key);
        tax.and_then(|t| t.terms.iter().find(|term| term.name == name))
            .map_or(0, |term| {
                term.pages
                    .iter()
                    .map(|&i| self.indexes.session_count(i))
                    .sum()
            })
    }

    fn repeats(&self, o: &Occurrence) -> bool {
        matches!(&self.site.page(o.page).src.meta, Meta::Lecture(m) if m.repeat.is_some())
    }

    /// The card of repeating lecture `i` standing for its sessions to come, as the
    /// schedule shows it; `None` when it does not repeat or all its sessions are over.
    pub(super) fn next_run_card(&self, i: PageId) -> Option<tera::Value> {
        let now = self.site.now;
        let next = self.indexes.sessions_of(i).find(|o| o.end >= now)?;
        self.repeats(next).then(|| self.run_card(next))
    }

    /// The card of a repeating lecture whose next session is `next`.
    fn run_card(&self, next: &Occurrence) -> tera::Value {
        let now = self.site.now;
        let Meta::Lecture(m) = &self.site.page(next.page).src.meta else {
            return tera::Value::from(());
        };
        let Some(mut card) = self.lecture_card_at(next.page, next.start, next.end) else {
            return tera::Value::from(());
        };
        let dates = &self.engine.dates;
        let to_come: Vec<&Occurrence> = self
            .indexes
            .sessions_of(next.page)
            .filter(|o| o.end >= now)
            .collect();
        card.run = Some(Run {
            rule_zh: m
                .repeat
                .as_ref()
                .map_or_else(String::new, |r| dates.repeat_days(r)),
            next_zh: dates.short_date(next.start.date()),
            sessions: to_come
                .iter()
                .map(|o| format!("{}/{}", iso_local(o.start), iso_local(o.end)))
                .collect::<Vec<_>>()
                .join(" "),
            count: to_come.len(),
            notes: if m.sessions.is_empty() {
                Vec::new()
            } else {
                to_come
                    .iter()
                    .map(|o| RunNote {
                        start: iso_local(o.start),
                        who: self.session_who(m, o.start.date()),
                    })
                    .collect()
            },
        });
        to_value(&card)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_week_starts_on_monday() {
        let sunday = Date::new(2026, 12, 13).expect("a date");
        let monday = Date::new(2026, 12, 7).expect("a date");
        assert_eq!(monday_of(sunday), monday);
        assert_eq!(monday_of(monday), monday);
    }
}
