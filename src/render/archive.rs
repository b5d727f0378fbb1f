//! The schedule's archive: `/lectures/` keeps what is coming, this month and the two
//! before it; older sessions are on the month pages, which a page per year
//! (`/lectures/2026/`) lists with their counts, and `/lectures/` links every year.

use jiff::civil::Date;
use serde::Serialize;

use super::Renderer;
use super::jobs::{month_url, months};

/// The first day of the oldest month whose past sessions `/lectures/` still shows: the
/// first of the month two months before `today`'s.
pub fn recent_from(today: Date) -> Date {
    let first = today.first_of_month();
    first
        .checked_sub(jiff::Span::new().months(2))
        .unwrap_or(first)
}

/// `/lectures/2026/`
pub fn year_url(y: i16) -> String {
    format!("/lectures/{y}/")
}

/// Every year with a month page, oldest first.
pub fn years(months: &[(i16, i8)]) -> Vec<i16> {
    let mut years: Vec<i16> = months.iter().map(|&(y, _)| y).collect();
    years.dedup();
    years
}

/// A year of the schedule, as `/lectures/` links it and the year's page shows it.
#[derive(Serialize)]
pub(super) struct YearLink {
    year: i16,
    title: String,
    url: String,
    href: String,
    /// Sessions in the year.
    count: usize,
}

/// A month of a year's page: its month page and how many sessions it has.
#[derive(Serialize)]
struct MonthEntry {
    key: String,
    title: String,
    href: String,
    count: usize,
}

/// `year.html`'s values: the year, its months (each with a page) and the other years.
#[derive(Serialize)]
pub(super) struct YearPage {
    year: YearLink,
    months: Vec<MonthEntry>,
    prev: Option<YearLink>,
    next: Option<YearLink>,
}

impl Renderer<'_> {
    /// Sessions starting in `(year, month)`; a month of 0 counts the whole year.
    fn sessions_in(&self, year: i16, month: i8) -> usize {
        let start = |o: &&crate::site::Occurrence| o.start.date();
        self.site
            .schedule
            .iter()
            .filter(|o| start(o).year() == year && (month == 0 || start(o).month() == month))
            .count()
    }

    fn year_link(&self, y: i16) -> YearLink {
        let url = year_url(y);
        YearLink {
            year: y,
            title: self
                .engine
                .ui("year_title")
                .replace("{year}", &y.to_string()),
            href: self.href(&url),
            url,
            count: self.sessions_in(y, 0),
        }
    }

    /// The years `/lectures/` links, newest first.
    pub(super) fn archive_years(&self) -> Vec<YearLink> {
        let mut years = years(&months(self.site));
        years.reverse();
        years.into_iter().map(|y| self.year_link(y)).collect()
    }

    pub(super) fn year_page(&self, y: i16) -> YearPage {
        let all = years(&months(self.site));
        let at = all.iter().position(|&x| x == y);
        let neighbour = |i: Option<usize>| i.and_then(|i| all.get(i)).map(|&x| self.year_link(x));
        let months = months(self.site)
            .into_iter()
            .filter(|&(yy, _)| yy == y)
            .rev()
            .map(|(yy, mm)| MonthEntry {
                key: format!("{yy}-{mm:02}"),
                title: self.engine.dates.month(yy, mm),
                href: self.href(&month_url(yy, mm)),
                count: self.sessions_in(yy, mm),
            })
            .collect();
        YearPage {
            year: self.year_link(y),
            months,
            prev: neighbour(at.and_then(|p| p.checked_sub(1))),
            next: neighbour(at.map(|p| p + 1)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn the_schedule_keeps_this_month_and_the_two_before() {
        assert_eq!(recent_from(date(2026, 12, 7)), date(2026, 10, 1));
        assert_eq!(recent_from(date(2026, 2, 28)), date(2025, 12, 1));
        assert_eq!(recent_from(date(2026, 1, 1)), date(2025, 11, 1));
    }

    #[test]
    fn years_are_those_of_the_month_pages() {
        assert_eq!(years(&[(2025, 11), (2025, 12), (2026, 1)]), [2025, 2026]);
        assert!(years(&[]).is_empty());
    }
}
