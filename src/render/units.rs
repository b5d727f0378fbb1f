//! The programme's report pages: the unit overview (`/units/`, `/units/<year>/`) and
//! each series' rota (`/series/<slug>/rota/`), each with its table as a CSV file
//! beside it (`units.csv`, `<year>.csv`) that Excel and WPS open as it is: UTF-8 with
//! a byte-order mark, CRLF line ends, RFC 4180 quoting. The figures come from
//! `site::units`; a page and its CSV are made from the same rows.

use serde::Serialize;

use super::Renderer;
use super::cards::TermValue;
use super::format::hours;
use crate::site::units::{Mark, RotaEntry, UnitRow, rota_year, undated, unit_rows, unit_years};
use crate::site::{Site, Term};

/// `/units/` for all years, `/units/2026/` for one.
pub fn units_url(year: Option<i16>) -> String {
    year.map_or_else(|| "/units/".into(), |y| format!("/units/{y}/"))
}

/// The CSV beside a unit overview.
pub fn units_csv_url(year: Option<i16>) -> String {
    format!("{}units.csv", units_url(year))
}

/// The page of rota `r` (its place among `site.yaml`'s rotas), under its series' page.
pub fn rota_url(site: &Site, r: usize) -> String {
    let name = &site.config.rota.series[r].name;
    let slug = series_term(site, name).map_or_else(
        || crate::site::taxonomy::term_slug(&site.config, "series", name),
        |t| t.slug.clone(),
    );
    format!("/series/{slug}/rota/")
}

/// The CSV of one year of rota `r`.
pub fn rota_csv_url(site: &Site, r: usize, year: i16) -> String {
    format!("{}{year}.csv", rota_url(site, r))
}

fn series_term<'s>(site: &'s Site, name: &str) -> Option<&'s Term> {
    site.taxonomies
        .iter()
        .find(|t| t.key == "series")
        .and_then(|t| t.term(name))
}

/// `units.html`'s values.
#[derive(Serialize)]
pub(super) struct UnitsPage {
    units: UnitsValue,
}

#[derive(Serialize)]
struct UnitsValue {
    /// The year shown, none for all years.
    year: Option<i16>,
    /// Every year with figures, oldest first, and the overview of all years first.
    years: Vec<YearTab>,
    rows: Vec<UnitRowValue>,
    total: Figures,
    csv_href: String,
    /// Courses and cases without `date:`, counted in the overview of all years only.
    undated: usize,
}

#[derive(Serialize)]
struct YearTab {
    title: String,
    href: String,
    current: bool,
}

#[derive(Serialize)]
struct UnitRowValue {
    name: String,
    href: String,
    /// The unit's place in the unit index (by pinyin), to sort by name.
    rank: usize,
    #[serde(flatten)]
    figures: Figures,
}

#[derive(Serialize, Default)]
struct Figures {
    courses: usize,
    lessons: usize,
    hours: String,
    given: usize,
    scheduled: usize,
    cases: usize,
}

/// `rota.html`'s values.
#[derive(Serialize)]
pub(super) struct RotaPage {
    rota: RotaValue,
}

#[derive(Serialize)]
struct RotaValue {
    series: TermValue,
    /// Newest year first.
    years: Vec<RotaYear>,
}

/// One year of a rota, with its counts (已讲 7/20, 已安排 3).
#[derive(Serialize)]
pub(super) struct RotaYear {
    year: i16,
    listed: usize,
    given: usize,
    scheduled: usize,
    unscheduled: usize,
    /// Units that lectured without being on the list.
    extra: usize,
    rows: Vec<RotaRow>,
    csv_href: String,
    href: String,
}

#[derive(Serialize)]
struct RotaRow {
    unit: TermValue,
    listed: bool,
    /// given, scheduled or unscheduled.
    mark: &'static str,
    sessions: Vec<RotaSession>,
}

#[derive(Serialize)]
struct RotaSession {
    date: String,
    date_zh: String,
    title: String,
    speaker: String,
    speaker_title: String,
    href: String,
    given: bool,
}

impl<'s> Renderer<'s> {
    pub(super) fn units_page(&self, year: Option<i16>) -> UnitsPage {
        let rows = unit_rows(self.site, year);
        let mut years = vec![YearTab {
            title: self.engine.ui("units_all_years").to_string(),
            href: self.href(&units_url(None)),
            current: year.is_none(),
        }];
        years.extend(unit_years(self.site).into_iter().map(|y| {
            YearTab {
                title: self
                    .engine
                    .ui("units_year")
                    .replace("{year}", &y.to_string()),
                href: self.href(&units_url(Some(y))),
                current: year == Some(y),
            }
        }));
        UnitsPage {
            units: UnitsValue {
                year,
                years,
                total: total(&rows),
                rows: rows
                    .iter()
                    .enumerate()
                    .map(|(rank, r)| UnitRowValue {
                        name: r.term.name.clone(),
                        href: self.href(&r.term.url),
                        rank,
                        figures: figures(r),
                    })
                    .collect(),
                csv_href: self.href(&units_csv_url(year)),
                undated: year.map_or(0, |_| undated(self.site)),
            },
        }
    }

    pub(super) fn rota_page(&self, r: usize) -> RotaPage {
        let rota = &self.site.config.rota.series[r];
        let mut years: Vec<RotaYear> = rota
            .years
            .iter()
            .map(|y| self.rota_year(r, y.year, &rota_year(self.site, &rota.name, y)))
            .collect();
        years.sort_by_key(|y| std::cmp::Reverse(y.year));
        RotaPage {
            rota: RotaValue {
                series: self.term("series", &rota.name).into_owned(),
                years,
            },
        }
    }

    /// One year of rota `r` with its counts, as its page and the series' page show it.
    pub(super) fn rota_year(&self, r: usize, year: i16, entries: &[RotaEntry<'s>]) -> RotaYear {
        let listed = entries.iter().filter(|e| e.listed);
        let count = |m: Mark| listed.clone().filter(|e| e.mark == m).count();
        let url = rota_url(self.site, r);
        RotaYear {
            year,
            listed: listed.clone().count(),
            given: count(Mark::Given),
            scheduled: count(Mark::Scheduled),
            unscheduled: count(Mark::Unscheduled),
            extra: entries.iter().filter(|e| !e.listed).count(),
            rows: entries.iter().map(|e| self.rota_row(e)).collect(),
            csv_href: self.href(&rota_csv_url(self.site, r, year)),
            href: format!("{}#rota-{year}", self.href(&url)),
        }
    }

    fn rota_row(&self, e: &RotaEntry<'s>) -> RotaRow {
        let now = self.site.now;
        RotaRow {
            unit: self.term("unit", e.unit).into_owned(),
            listed: e.listed,
            mark: match e.mark {
                Mark::Given => "given",
                Mark::Scheduled => "scheduled",
                Mark::Unscheduled => "unscheduled",
            },
            sessions: e
                .sessions
                .iter()
                .map(|&(o, m)| {
                    let day = o.start.date();
                    let p = self.site.page(o.page);
                    let who = self.session_who(m, day);
                    let topic = m.session_on(day).map_or("", |n| n.topic.as_str());
                    RotaSession {
                        date: super::format::iso_date(day),
                        date_zh: self.engine.dates.date_weekday(day),
                        title: if topic.is_empty() { p.title() } else { topic }.to_string(),
                        speaker: who.speaker_name().to_string(),
                        speaker_title: who.title().to_string(),
                        href: self.href(&p.url),
                        given: o.end < now,
                    }
                })
                .collect(),
        }
    }

    /// The rota of the series `name` on its page: this year's, else the latest year's.
    pub(super) fn series_rota(&self, name: &str) -> Option<RotaYear> {
        let (r, rota) = self
            .site
            .config
            .rota
            .series
            .iter()
            .enumerate()
            .find(|(_, s)| s.name == name)?;
        let this = self.site.now.date().year();
        let y = rota
            .years
            .iter()
            .find(|y| y.year == this)
            .or_else(|| rota.years.iter().max_by_key(|y| y.year))?;
        Some(self.rota_year(r, y.year, &rota_year(self.site, name, y)))
    }

    /// The unit overview's table as CSV.
    pub(super) fn units_csv(&self, year: Option<i16>) -> Vec<u8> {
        let head = [
            "units_col_unit",
            "units_col_courses",
            "units_col_lessons",
            "units_col_hours",
            "units_col_given",
            "units_col_scheduled",
            "units_col_cases",
        ]
        .map(|k| self.engine.ui(k).to_string());
        let rows = unit_rows(self.site, year).into_iter().map(|r| {
            let f = figures(&r);
            [
                r.term.name.clone(),
                f.courses.to_string(),
                f.lessons.to_string(),
                f.hours,
                f.given.to_string(),
                f.scheduled.to_string(),
                f.cases.to_string(),
            ]
        });
        excel_csv(std::iter::once(head).chain(rows))
    }

    /// One year of a rota as CSV: a line per unit, its sessions' values joined by "；".
    pub(super) fn rota_csv(&self, r: usize, year: i16) -> Vec<u8> {
        let rota = &self.site.config.rota.series[r];
        let Some(y) = rota.years.iter().find(|y| y.year == year) else {
            return excel_csv(std::iter::empty::<[String; 0]>());
        };
        let page = self.rota_year(r, year, &rota_year(self.site, &rota.name, y));
        let ui = |k: &str| self.engine.ui(k).to_string();
        let head = [
            "rota_col_unit",
            "rota_col_listed",
            "rota_col_mark",
            "rota_col_date",
            "rota_col_title",
            "rota_col_speaker",
            "rota_col_link",
        ]
        .map(ui);
        let join = |row: &RotaRow, f: &dyn Fn(&RotaSession) -> String| {
            row.sessions.iter().map(f).collect::<Vec<_>>().join("；")
        };
        let origin = self.site.config.origin.clone().unwrap_or_default();
        let rows = page.rows.iter().map(|row| {
            [
                row.unit.name.clone(),
                ui(if row.listed {
                    "rota_listed"
                } else {
                    "rota_extra"
                }),
                ui(&format!("rota_{}", row.mark)),
                join(row, &|s| s.date.clone()),
                join(row, &|s| s.title.clone()),
                join(row, &|s| s.speaker.clone()),
                join(row, &|s| format!("{origin}{}", s.href)),
            ]
        });
        excel_csv(std::iter::once(head).chain(rows))
    }
}

fn figures(r: &UnitRow) -> Figures {
    Figures {
        courses: r.courses,
        lessons: r.lessons,
        hours: hours(r.hours),
        given: r.given,
        scheduled: r.scheduled,
        cases: r.cases,
    }
}

fn total(rows: &[UnitRow]) -> Figures {
    let sum = |f: fn(&UnitRow) -> usize| rows.iter().map(f).sum();
    Figures {
        courses: sum(|r| r.courses),
        lessons: sum(|r| r.lessons),
        hours: hours(rows.iter().map(|r| r.hours).sum()),
        given: sum(|r| r.given),
        scheduled: sum(|r| r.scheduled),
        cases: sum(|r| r.cases),
    }
}

/// Rows as a CSV file Excel and WPS open as they are: a byte-order mark (without one
/// Excel reads UTF-8 as the local code page), CRLF, fields quoted when they must be.
fn excel_csv<R: AsRef<[String]>>(rows: impl Iterator<Item = R>) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .flexible(true)
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    for row in rows {
        w.write_record(row.as_ref())
            .expect("writing to memory cannot fail");
    }
    w.into_inner().expect("writing to memory cannot fail")
}
