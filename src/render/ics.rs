//! Lectures → iCalendar files: one calendar for the whole schedule, one per series and one
//! per lecture. Everything in them comes from the content (UIDs from source paths,
//! DTSTAMP and SEQUENCE from `updated`), so two builds of the same content are identical.

use jiff::civil::{Date, DateTime};
use rayon::prelude::*;

use super::Engine;
use crate::calendar::{Event, EventStatus, write_calendar};
use crate::content::sessions::SessionNote;
use crate::content::{Kind, Meta, Status};
use crate::recurrence;
use crate::site::{Page, PageId, Site};

/// Where the whole schedule's calendar is published.
pub const ALL: &str = "/lectures/calendar.ics";

/// The calendar URL of a lecture page.
pub fn event_url(page_url: &str) -> String {
    format!("{page_url}event.ics")
}

/// The calendar URL of a series' term page.
pub fn series_url(term_url: &str) -> String {
    format!("{term_url}calendar.ics")
}

/// Every calendar file of the site: (output path, text). The labels in the events'
/// descriptions are the theme's UI strings.
pub fn calendars(site: &Site, engine: &Engine) -> Vec<(String, String)> {
    let tz = &site.config.timezone;
    let event_of = |i: PageId| events(site, engine, i);
    let mut out = Vec::new();
    let all: Vec<Event> = site
        .of(Kind::Lecture)
        .iter()
        .flat_map(|&i| event_of(i))
        .collect();
    out.push((path(ALL), write_calendar(&site.config.title, tz, &all)));
    if let Some(series) = site.taxonomies.iter().find(|t| t.key == "series") {
        for term in &series.terms {
            let events: Vec<Event> = term.pages.iter().flat_map(|&i| event_of(i)).collect();
            let name = format!("{} · {}", site.config.title, term.name);
            out.push((
                path(&series_url(&term.url)),
                write_calendar(&name, tz, &events),
            ));
        }
    }
    out.par_extend(site.of(Kind::Lecture).par_iter().filter_map(|&i| {
        let p = site.page(i);
        let events = event_of(i);
        (!events.is_empty()).then(|| {
            (
                path(&event_url(&p.url)),
                write_calendar(p.title(), tz, &events),
            )
        })
    }));
    out
}

fn path(url: &str) -> String {
    url.trim_start_matches('/').to_string()
}

/// The events of lecture `i`: one, a series with its RRULE, followed by one for each
/// session with a speaker or topic of its own (RECURRENCE-ID), so that a calendar
/// shows who speaks on what that day.
fn events(site: &Site, engine: &Engine, i: PageId) -> Vec<Event> {
    let Some(master) = event(site, engine, i) else {
        return Vec::new();
    };
    let Meta::Lecture(m) = &site.page(i).src.meta else {
        return vec![master];
    };
    let length = m.end.duration_since(m.start);
    let own: Vec<Event> = crate::site::sessions(m)
        .into_iter()
        .filter_map(|(start, end)| {
            let note = m.session_on(start.date())?;
            let mut e = master.clone();
            e.recurrence = None;
            e.recurrence_id = Some(start);
            e.start = start;
            e.end = start.checked_add(length).unwrap_or(end);
            if !note.topic.is_empty() {
                e.summary = format!("{}：{}", master.summary, note.topic);
            }
            e.description = describe(site, engine, i, Some(note));
            Some(e)
        })
        .collect();
    std::iter::once(master).chain(own).collect()
}

fn event(site: &Site, engine: &Engine, i: PageId) -> Option<Event> {
    let p = site.page(i);
    let Meta::Lecture(m) = &p.src.meta else {
        return None;
    };
    let host = site
        .config
        .origin
        .as_deref()
        .and_then(|o| o.split("://").nth(1))
        .unwrap_or("jiangtang");
    let uid = format!("{}@{host}", p.src.rel.trim_end_matches(".md"));
    let (start, end, recurrence) = match &m.repeat {
        None => (m.start, m.end, None),
        Some(rule) => {
            let first = recurrence::first_occurrence(rule, m.start).unwrap_or(m.start);
            let end = first
                .checked_add(m.end.duration_since(m.start))
                .unwrap_or(m.end);
            let rrule = recurrence::to_rrule_in(rule, &site.config.timezone);
            (
                first,
                end,
                Some((rrule, recurrence::exdates(rule, m.start))),
            )
        }
    };
    let description = describe(site, engine, i, None);
    let url = site.config.absolute(&p.url);
    let summary = match m.status {
        Status::Cancelled => format!("【{}】{}", engine.ui("cancelled"), p.title()),
        Status::Postponed => format!("【{}】{}", engine.ui("postponed"), p.title()),
        Status::Scheduled => p.title().to_string(),
    };
    Some(Event {
        uid,
        summary,
        description,
        location: m.location.clone(),
        url,
        start,
        end,
        status: match m.status {
            Status::Scheduled => EventStatus::Confirmed,
            Status::Postponed => EventStatus::Tentative,
            Status::Cancelled => EventStatus::Cancelled,
        },
        categories: if m.series.is_empty() {
            Vec::new()
        } else {
            vec![m.series.clone()]
        },
        stamp: stamp(p),
        sequence: sequence(p),
        recurrence,
        recurrence_id: None,
    })
}

/// An event's DESCRIPTION: the summary, then the speaker (the session's own, with
/// its topic, when `note` is given), organiser, audience and the page's address.
fn describe(site: &Site, engine: &Engine, i: PageId, note: Option<&SessionNote>) -> String {
    let p = site.page(i);
    let Meta::Lecture(m) = &p.src.meta else {
        return String::new();
    };
    let mut description = p.src.common.summary.clone();
    let mut line = |label: &str, value: &str| {
        if !value.is_empty() {
            if !description.is_empty() {
                description.push('\n');
            }
            description.push_str(&format!("{label}：{value}"));
        }
    };
    line(
        engine.ui("session_topic"),
        note.map_or("", |n| n.topic.as_str()),
    );
    let (speaker, title) = match note.and_then(|n| Some((n.speaker.as_ref()?, n))) {
        Some((s, n)) => (Some(s), n.speaker_title.as_str()),
        None => (m.speaker.as_ref(), m.speaker_title.as_str()),
    };
    let speaker = match (speaker, title) {
        (Some(s), "") => s.clone(),
        (Some(s), t) => format!("{s}（{t}）"),
        (None, _) => String::new(),
    };
    line(engine.ui("ics_speaker"), &speaker);
    line(
        engine.ui("speaking_unit"),
        note.and_then(|n| n.unit.as_deref()).unwrap_or(""),
    );
    line(engine.ui("organiser"), m.unit.as_deref().unwrap_or(""));
    line(engine.ui("audience"), &m.audience);
    let url = site.config.absolute(&p.url);
    line(engine.ui("ics_details"), url.as_deref().unwrap_or(""));
    description
}

/// DTSTAMP: the last content change (`updated`, else `date`), never the clock.
fn stamp(p: Page<'_>) -> DateTime {
    let c = &p.src.common;
    let day = c.updated.or(c.date).unwrap_or(Date::constant(2020, 1, 1));
    day.to_datetime(jiff::civil::Time::midnight())
}

/// SEQUENCE grows with `updated`: days from `date` (or 2020-01-01) to `updated`.
fn sequence(p: Page<'_>) -> u32 {
    let c = &p.src.common;
    let (Some(updated), created) = (c.updated, c.date.unwrap_or(Date::constant(2020, 1, 1))) else {
        return 0;
    };
    let days = updated.since(created).map(|s| s.get_days()).unwrap_or(0);
    u32::try_from(days).unwrap_or(0)
}
