//! iCalendar (RFC 5545) output for the lecture schedule: the per-site,
//! per-series and per-event `.ics` files.
//!
//! The output is fully deterministic: it depends only on the arguments (never
//! on the clock or the host), and events are written sorted by start, then UID,
//! whatever order they are passed in. Lines end in CRLF and are folded at 75
//! octets without splitting a UTF-8 character.
//!
//! Time zone: all DTSTART/DTEND/EXDATE values carry `TZID=<tz>` and the
//! calendar holds one VTIMEZONE for `tz`, derived from jiff's bundled tz
//! database for the span of time the events cover:
//!
//! * When the zone has no offset transition in that span (Asia/Shanghai has
//!   had none since 1991) the VTIMEZONE is a single fixed-offset STANDARD
//!   observance starting 19700101T000000 (for Asia/Shanghai: +0800, CST).
//! * Otherwise it lists the observance in force at the first event and then
//!   every transition up to the last occurrence as its own STANDARD/DAYLIGHT
//!   block (explicit onsets, no RRULE), which is exact for every date the
//!   calendar uses.
//!
//! An unknown or empty `tz` is written as `UTC`; the caller should validate
//! the site's `timezone` first (see [`is_known_time_zone`]).

use jiff::civil::DateTime;
use jiff::tz::{Dst, Offset, TimeZone};

/// The PRODID of every calendar this program writes.
pub(crate) const PRODID: &str = "-//jiangtang//NONSGML jiangtang//ZH";

/// Most VTIMEZONE observances written (a safety bound).
const MAX_OBSERVANCES: usize = 400;

/// A lecture's status as the calendar shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum EventStatus {
    /// `scheduled`.
    Confirmed,
    /// `postponed`: the date is not final.
    Tentative,
    /// `cancelled`.
    Cancelled,
}

impl EventStatus {
    /// The STATUS value.
    pub(crate) fn as_ical(self) -> &'static str {
        match self {
            EventStatus::Confirmed => "CONFIRMED",
            EventStatus::Tentative => "TENTATIVE",
            EventStatus::Cancelled => "CANCELLED",
        }
    }
}

/// One VEVENT.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Event {
    /// A stable id derived from the source path, e.g.
    /// `lectures/2026-12-03-xxx@example.gov.cn` (or `@jiangtang`).
    pub(crate) uid: String,
    pub(crate) summary: String,
    /// Plain text; newlines are kept (escaped as `\n`).
    pub(crate) description: String,
    pub(crate) location: String,
    /// An absolute URL (only when the site's base_url is absolute).
    pub(crate) url: Option<String>,
    /// Local, in the calendar's time zone. For a recurring event this must be
    /// the first occurrence (`recurrence::first_occurrence`).
    pub(crate) start: DateTime,
    /// Local; DTEND is left out when it is not after `start`.
    pub(crate) end: DateTime,
    pub(crate) status: EventStatus,
    /// The lecture series.
    pub(crate) categories: Vec<String>,
    /// From the content's `updated`/`date`, local time; never from the clock.
    pub(crate) stamp: DateTime,
    pub(crate) sequence: u32,
    /// The RRULE value (e.g. `recurrence::to_rrule_in`) and the EXDATEs
    /// (local date-times, e.g. `recurrence::exdates`).
    pub(crate) recurrence: Option<(String, Vec<DateTime>)>,
    /// For one session of a series told apart from the rest (its own speaker and
    /// topic): the local start of the occurrence it replaces (RECURRENCE-ID). Such an
    /// event has the series' UID and no `recurrence`.
    pub(crate) recurrence_id: Option<DateTime>,
}

/// Whether `tz` is a time zone name the bundled database knows.
pub(crate) fn is_known_time_zone(tz: &str) -> bool {
    !tz.trim().is_empty() && TimeZone::get(tz).is_ok()
}

/// Writes a complete VCALENDAR named `name` with `events` in time zone `tz`
/// (e.g. "Asia/Shanghai").
pub(crate) fn write_calendar(name: &str, tz: &str, events: &[Event]) -> String {
    let (tzid, zone) = match TimeZone::get(tz) {
        Ok(zone) if !tz.trim().is_empty() => (tz.trim().to_string(), zone),
        _ => ("UTC".to_string(), TimeZone::UTC),
    };
    let tz_param = param_value(&tzid);

    let mut order: Vec<&Event> = events.iter().collect();
    order.sort_by(|a, b| a.start.cmp(&b.start).then_with(|| a.uid.cmp(&b.uid)));

    let mut out = String::new();
    let mut line = |s: &str| push_folded(&mut out, s);
    line("BEGIN:VCALENDAR");
    line("VERSION:2.0");
    line(&format!("PRODID:{PRODID}"));
    line("CALSCALE:GREGORIAN");
    line("METHOD:PUBLISH");
    line(&format!("X-WR-CALNAME:{}", escape_text(name)));
    line(&format!("X-WR-TIMEZONE:{}", escape_text(&tzid)));

    let (from, to) = time_span(&zone, &order);
    for l in vtimezone(&tzid, &zone, from, to) {
        line(&l);
    }

    for ev in order {
        line("BEGIN:VEVENT");
        line(&format!("UID:{}", escape_text(&ev.uid)));
        line(&format!("DTSTAMP:{}", utc_stamp(&zone, ev.stamp)));
        if let Some(id) = ev.recurrence_id {
            line(&format!("RECURRENCE-ID;TZID={tz_param}:{}", fmt_local(id)));
        }
        line(&format!("DTSTART;TZID={tz_param}:{}", fmt_local(ev.start)));
        if ev.end > ev.start {
            line(&format!("DTEND;TZID={tz_param}:{}", fmt_local(ev.end)));
        }
        line(&format!("SUMMARY:{}", escape_text(&ev.summary)));
        if !ev.description.trim().is_empty() {
            line(&format!("DESCRIPTION:{}", escape_text(&ev.description)));
        }
        if !ev.location.trim().is_empty() {
            line(&format!("LOCATION:{}", escape_text(&ev.location)));
        }
        if let Some(url) = ev
            .url
            .as_deref()
            .map(sanitize_uri)
            .filter(|u| !u.is_empty())
        {
            line(&format!("URL:{url}"));
        }
        line(&format!("STATUS:{}", ev.status.as_ical()));
        let cats: Vec<String> = ev
            .categories
            .iter()
            .filter(|c| !c.trim().is_empty())
            .map(|c| escape_text(c))
            .collect();
        if !cats.is_empty() {
            line(&format!("CATEGORIES:{}", cats.join(",")));
        }
        line(&format!("SEQUENCE:{}", ev.sequence));
        if let Some((rrule, exdates)) = &ev.recurrence {
            let rrule = sanitize_rrule(rrule);
            if !rrule.is_empty() {
                line(&format!("RRULE:{rrule}"));
                let mut ex: Vec<String> = exdates.iter().map(|d| fmt_local(*d)).collect();
                ex.sort();
                ex.dedup();
                if !ex.is_empty() {
                    line(&format!("EXDATE;TZID={tz_param}:{}", ex.join(",")));
                }
            }
        }
        line("END:VEVENT");
    }
    line("END:VCALENDAR");
    out
}

/// Escapes a TEXT value (RFC 5545 3.3.11): backslash, `;`, `,` and newlines;
/// other control characters (except tab) are dropped.
pub(crate) fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends one content line, folded so that no physical line exceeds 75
/// octets (continuations start with one space), never inside a UTF-8
/// character, followed by CRLF.
fn push_folded(out: &mut String, line: &str) {
    let mut len = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if len + n > 75 {
            out.push_str("\r\n ");
            len = 1;
        }
        out.push(c);
        len += n;
    }
    out.push_str("\r\n");
}

/// Folds a whole content line.
#[cfg(test)]
fn fold_line(line: &str) -> String {
    let mut out = String::new();
    push_folded(&mut out, line);
    out
}

/// A parameter value, quoted when it contains `:`, `;` or `,`.
fn param_value(s: &str) -> String {
    let clean: String = s.chars().filter(|c| *c != '"' && !c.is_control()).collect();
    if clean.contains([':', ';', ',']) {
        format!("\"{clean}\"")
    } else {
        clean
    }
}

/// Makes a URI safe for a content line: percent-encodes bytes outside
/// printable ASCII and the characters that may not appear in a URI.
fn sanitize_uri(s: &str) -> String {
    let mut out = String::new();
    for b in s.trim().bytes() {
        if b.is_ascii_graphic() && !b"\"<>\\^`{|}".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// An RRULE value keeps only the characters RRULE syntax uses.
fn sanitize_rrule(s: &str) -> String {
    s.trim()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '=' | ';' | ',' | '-' | '+'))
        .collect()
}

fn fmt_local(dt: DateTime) -> String {
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}",
        dt.year(),
        dt.month(),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second()
    )
}

/// `stamp` (local in `zone`) as a UTC date-time `…Z`.
fn utc_stamp(zone: &TimeZone, stamp: DateTime) -> String {
    let utc = zone
        .to_timestamp(stamp)
        .map(|ts| TimeZone::UTC.to_datetime(ts))
        .unwrap_or(stamp);
    format!("{}Z", fmt_local(utc))
}

fn fmt_offset(o: Offset) -> String {
    let secs = o.seconds();
    let sign = if secs < 0 { '-' } else { '+' };
    let a = secs.unsigned_abs();
    let (h, m, s) = (a / 3600, (a % 3600) / 60, a % 60);
    if s == 0 {
        format!("{sign}{h:02}{m:02}")
    } else {
        format!("{sign}{h:02}{m:02}{s:02}")
    }
}

/// The instants from the first event's start to the last event's (or
/// occurrence's) end, padded by a day on each side.
fn time_span(zone: &TimeZone, events: &[&Event]) -> (jiff::Timestamp, jiff::Timestamp) {
    const DAY: i64 = 86_400;
    let to_ts = |dt: DateTime| zone.to_timestamp(dt).ok().map(|t| t.as_second());
    let mut lo: Option<i64> = None;
    let mut hi: Option<i64> = None;
    for ev in events {
        let (Some(start), Some(end)) = (to_ts(ev.start), to_ts(ev.end)) else {
            continue;
        };
        let end = end.max(start);
        let last = match &ev.recurrence {
            Some((rrule, _)) => recurrence_end(rrule, start, end - start),
            None => end,
        };
        lo = Some(lo.map_or(start, |l| l.min(start)));
        hi = Some(hi.map_or(last, |h| h.max(last)));
    }
    let ts = |s: i64| {
        jiff::Timestamp::from_second(s).unwrap_or(if s < 0 {
            jiff::Timestamp::MIN
        } else {
            jiff::Timestamp::MAX
        })
    };
    match (lo, hi) {
        (Some(lo), Some(hi)) => (ts(lo.saturating_sub(DAY)), ts(hi.saturating_add(DAY))),
        // No events: describe the zone as of 1970.
        _ => (jiff::Timestamp::UNIX_EPOCH, jiff::Timestamp::UNIX_EPOCH),
    }
}

/// An upper bound (Unix seconds) for the end of the last occurrence of a
/// recurring event starting at `start` (Unix seconds).
fn recurrence_end(rrule: &str, start: i64, duration: i64) -> i64 {
    const DAY: i64 = 86_400;
    const CAP: i64 = 100 * 366 * DAY;
    let mut freq = "";
    let mut interval: i64 = 1;
    let mut count: Option<i64> = None;
    let mut until: Option<i64> = None;
    for part in rrule.split(';') {
        let Some((k, v)) = part.split_once('=') else {
            continue;
        };
        match k.trim().to_ascii_uppercase().as_str() {
            "FREQ" => freq = v.trim(),
            "INTERVAL" => interval = v.trim().parse().unwrap_or(1).max(1),
            "COUNT" => count = v.trim().parse().ok(),
            "UNTIL" => until = parse_until(v.trim()),
            _ => {}
        }
    }
    let bound = if let Some(u) = until {
        // UNTIL bounds the start of the last occurrence.
        u.saturating_sub(start).clamp(0, CAP)
    } else if let Some(n) = count {
        let period = match freq.to_ascii_uppercase().as_str() {
            "SECONDLY" => 1,
            "MINUTELY" => 60,
            "HOURLY" => 3600,
            "DAILY" => DAY,
            "WEEKLY" => 7 * DAY,
            "MONTHLY" => 31 * DAY,
            _ => 366 * DAY,
        };
        // Months without the day are skipped, so allow for twice as many.
        n.saturating_mul(interval)
            .saturating_mul(period)
            .saturating_mul(2)
            .clamp(0, CAP)
    } else {
        10 * 366 * DAY
    };
    start.saturating_add(bound).saturating_add(duration.max(0))
}

/// UNTIL as Unix seconds: `20270128T155959Z`, a floating `20270128T155959`
/// or a date `20270128` (read as UTC; a day's error is covered by padding).
fn parse_until(v: &str) -> Option<i64> {
    let v = v.trim_end_matches(['Z', 'z']);
    let digits: String = v.chars().filter(|c| c.is_ascii_digit()).collect();
    let num = |r: std::ops::Range<usize>| digits.get(r).and_then(|s| s.parse::<i16>().ok());
    let (y, mo, d) = (num(0..4)?, num(4..6)?, num(6..8)?);
    let (h, mi, s) = if digits.len() >= 14 {
        (num(8..10)?, num(10..12)?, num(12..14)?)
    } else {
        (23, 59, 59)
    };
    let dt = DateTime::new(
        y,
        i8::try_from(mo).ok()?,
        i8::try_from(d).ok()?,
        i8::try_from(h).ok()?,
        i8::try_from(mi).ok()?,
        i8::try_from(s).ok()?,
        0,
    )
    .ok()?;
    TimeZone::UTC.to_timestamp(dt).ok().map(|t| t.as_second())
}

/// The VTIMEZONE lines for `zone` covering the instants `from..=to`.
fn vtimezone(
    tzid: &str,
    zone: &TimeZone,
    from: jiff::Timestamp,
    to: jiff::Timestamp,
) -> Vec<String> {
    let mut lines = vec![
        "BEGIN:VTIMEZONE".to_string(),
        format!("TZID:{}", escape_text(tzid)),
    ];
    let observance = |lines: &mut Vec<String>,
                      dst: Dst,
                      onset: DateTime,
                      off_from: Offset,
                      off_to: Offset,
                      name: &str| {
        let kind = if dst.is_dst() { "DAYLIGHT" } else { "STANDARD" };
        lines.push(format!("BEGIN:{kind}"));
        lines.push(format!("DTSTART:{}", fmt_local(onset)));
        lines.push(format!("TZOFFSETFROM:{}", fmt_offset(off_from)));
        lines.push(format!("TZOFFSETTO:{}", fmt_offset(off_to)));
        if !name.is_empty() {
            lines.push(format!("TZNAME:{}", escape_text(name)));
        }
        lines.push(format!("END:{kind}"));
    };
    let epoch = DateTime::constant(1970, 1, 1, 0, 0, 0, 0);

    let transitions: Vec<_> = zone
        .following(from)
        .take_while(|t| t.timestamp() <= to)
        .take(MAX_OBSERVANCES)
        .collect();
    let info = zone.to_offset_info(from);
    if transitions.is_empty() {
        // A fixed offset over the whole span: one STANDARD observance.
        let off = info.offset();
        observance(&mut lines, Dst::No, epoch, off, off, info.abbreviation());
    } else {
        // The observance in force at `from`, from the transition that began it.
        match zone.preceding(from).next() {
            Some(p) => {
                let before = offset_before(zone, p.timestamp());
                let onset = before.to_datetime(p.timestamp());
                observance(
                    &mut lines,
                    p.dst(),
                    onset,
                    before,
                    p.offset(),
                    p.abbreviation(),
                );
            }
            None => {
                let off = info.offset();
                observance(&mut lines, info.dst(), epoch, off, off, info.abbreviation());
            }
        }
        for t in &transitions {
            let before = offset_before(zone, t.timestamp());
            let onset = before.to_datetime(t.timestamp());
            observance(
                &mut lines,
                t.dst(),
                onset,
                before,
                t.offset(),
                t.abbreviation(),
            );
        }
    }
    lines.push("END:VTIMEZONE".to_string());
    lines
}

/// The offset in force just before the instant `ts`.
fn offset_before(zone: &TimeZone, ts: jiff::Timestamp) -> Offset {
    match jiff::Timestamp::from_second(ts.as_second().saturating_sub(1)) {
        Ok(prev) => zone.to_offset(prev),
        Err(_) => zone.to_offset(ts),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn event(uid: &str) -> Event {
        Event {
            uid: uid.into(),
            summary: "随州大讲堂：乡村振兴".into(),
            description: "主讲：张三".into(),
            location: "市委党校报告厅".into(),
            url: Some("https://example.gov.cn/training/lectures/x/".into()),
            start: date(2026, 12, 3).at(19, 0, 0, 0),
            end: date(2026, 12, 3).at(21, 0, 0, 0),
            status: EventStatus::Confirmed,
            categories: vec!["随州大讲堂".into()],
            stamp: date(2026, 11, 20).at(10, 0, 0, 0),
            sequence: 0,
            recurrence: None,
            recurrence_id: None,
        }
    }

    /// Unfolds and returns the logical content lines.
    fn unfold(ics: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for l in ics.split("\r\n") {
            if let Some(rest) = l.strip_prefix(' ') {
                if let Some(last) = out.last_mut() {
                    last.push_str(rest);
                }
            } else if !l.is_empty() {
                out.push(l.to_string());
            }
        }
        out
    }

    fn has_line(ics: &str, line: &str) -> bool {
        unfold(ics).iter().any(|l| l == line)
    }

    #[test]
    fn calendar_has_header_and_event_properties() {
        let ics = write_calendar(
            "随州大讲堂",
            "Asia/Shanghai",
            &[event("lectures/a@jiangtang")],
        );
        let lines = unfold(&ics);
        assert_eq!(
            &lines[..7],
            [
                "BEGIN:VCALENDAR",
                "VERSION:2.0",
                "PRODID:-//jiangtang//NONSGML jiangtang//ZH",
                "CALSCALE:GREGORIAN",
                "METHOD:PUBLISH",
                "X-WR-CALNAME:随州大讲堂",
                "X-WR-TIMEZONE:Asia/Shanghai",
            ]
        );
        for l in [
            "UID:lectures/a@jiangtang",
            "DTSTAMP:20261120T020000Z",
            "DTSTART;TZID=Asia/Shanghai:20261203T190000",
            "DTEND;TZID=Asia/Shanghai:20261203T210000",
            "SUMMARY:随州大讲堂：乡村振兴",
            "DESCRIPTION:主讲：张三",
            "LOCATION:市委党校报告厅",
            "URL:https://example.gov.cn/training/lectures/x/",
            "STATUS:CONFIRMED",
            "CATEGORIES:随州大讲堂",
            "SEQUENCE:0",
        ] {
            assert!(has_line(&ics, l), "missing {l}\n{ics}");
        }
        assert_eq!(lines.last().map(String::as_str), Some("END:VCALENDAR"));
        assert!(!ics.contains("RRULE"));
    }

    #[test]
    fn shanghai_vtimezone_is_fixed_cst() {
        let ics = write_calendar("x", "Asia/Shanghai", &[event("a")]);
        let lines = unfold(&ics);
        let i = lines.iter().position(|l| l == "BEGIN:VTIMEZONE").unwrap();
        assert_eq!(
            &lines[i..i + 9],
            [
                "BEGIN:VTIMEZONE",
                "TZID:Asia/Shanghai",
                "BEGIN:STANDARD",
                "DTSTART:19700101T000000",
                "TZOFFSETFROM:+0800",
                "TZOFFSETTO:+0800",
                "TZNAME:CST",
                "END:STANDARD",
                "END:VTIMEZONE",
            ]
        );
    }

    #[test]
    fn dst_zone_vtimezone_lists_transitions_in_range() {
        let mut ev = event("a");
        ev.start = date(2026, 1, 5).at(10, 0, 0, 0);
        ev.end = date(2026, 1, 5).at(11, 0, 0, 0);
        ev.recurrence = Some((
            "FREQ=WEEKLY;INTERVAL=1;UNTIL=20261231T235959Z".into(),
            vec![],
        ));
        let ics = write_calendar("x", "America/New_York", &[ev]);
        let lines = unfold(&ics);
        let i = lines.iter().position(|l| l == "BEGIN:VTIMEZONE").unwrap();
        let j = lines.iter().position(|l| l == "END:VTIMEZONE").unwrap();
        let tz = lines[i..=j].join("\n");
        let expected = "BEGIN:VTIMEZONE\nTZID:America/New_York\n\
            BEGIN:STANDARD\nDTSTART:20251102T020000\nTZOFFSETFROM:-0400\nTZOFFSETTO:-0500\nTZNAME:EST\nEND:STANDARD\n\
            BEGIN:DAYLIGHT\nDTSTART:20260308T020000\nTZOFFSETFROM:-0500\nTZOFFSETTO:-0400\nTZNAME:EDT\nEND:DAYLIGHT\n\
            BEGIN:STANDARD\nDTSTART:20261101T020000\nTZOFFSETFROM:-0400\nTZOFFSETTO:-0500\nTZNAME:EST\nEND:STANDARD\n\
            END:VTIMEZONE";
        assert_eq!(tz, expected);
    }

    #[test]
    fn dtstamp_is_utc_from_stamp_not_the_clock() {
        let mut ev = event("a");
        ev.stamp = date(2026, 1, 1).at(3, 4, 5, 0);
        let ics = write_calendar("x", "Asia/Shanghai", &[ev]);
        assert!(has_line(&ics, "DTSTAMP:20251231T190405Z"), "{ics}");
    }

    #[test]
    fn cancelled_event_has_status_cancelled() {
        let mut ev = event("a");
        ev.status = EventStatus::Cancelled;
        ev.sequence = 2;
        let ics = write_calendar("x", "Asia/Shanghai", &[ev]);
        assert!(has_line(&ics, "STATUS:CANCELLED"));
        assert!(has_line(&ics, "SEQUENCE:2"));
    }

    #[test]
    fn postponed_event_has_status_tentative() {
        let mut ev = event("a");
        ev.status = EventStatus::Tentative;
        let ics = write_calendar("x", "Asia/Shanghai", &[ev]);
        assert!(has_line(&ics, "STATUS:TENTATIVE"));
    }

    #[test]
    fn recurring_event_has_rrule_and_exdate_with_tzid() {
        let mut ev = event("a");
        ev.recurrence = Some((
            "FREQ=WEEKLY;INTERVAL=1;UNTIL=20270128T155959Z".into(),
            vec![
                date(2027, 1, 7).at(19, 0, 0, 0),
                date(2026, 12, 31).at(19, 0, 0, 0),
            ],
        ));
        let ics = write_calendar("x", "Asia/Shanghai", &[ev]);
        assert!(has_line(
            &ics,
            "RRULE:FREQ=WEEKLY;INTERVAL=1;UNTIL=20270128T155959Z"
        ));
        assert!(has_line(
            &ics,
            "EXDATE;TZID=Asia/Shanghai:20261231T190000,20270107T190000"
        ));
    }

    #[test]
    fn text_escaping_handles_backslash_semicolon_comma_newline() {
        assert_eq!(
            escape_text("a\\b;c,d\ne\r\nf\rg\u{7}h\ti"),
            "a\\\\b\\;c\\,d\\ne\\nf\\ng".to_string() + "h\ti"
        );
        let mut ev = event("a");
        ev.summary = "第一议题; 学习, 研讨".into();
        ev.description = "第一行\n第二行".into();
        ev.categories = vec!["周周学".into(), "读书班,专题".into()];
        let ics = write_calendar("x", "Asia/Shanghai", &[ev]);
        assert!(has_line(&ics, "SUMMARY:第一议题\\; 学习\\, 研讨"));
        assert!(has_line(&ics, "DESCRIPTION:第一行\\n第二行"));
        assert!(has_line(&ics, "CATEGORIES:周周学,读书班\\,专题"));
    }

    #[test]
    fn folding_never_splits_a_utf8_character() {
        let mut ev = event("a");
        // 3-octet characters; one ASCII char shifts the boundary each time.
        for prefix in ["", "x", "xy"] {
            ev.description = format!("{prefix}{}", "干部能力提升学习平台随州大讲堂".repeat(12));
            let ics = write_calendar("x", "Asia/Shanghai", &[ev.clone()]);
            // Check the raw octets: every physical line is at most 75 octets
            // and is valid UTF-8 on its own (no character was cut in two).
            let bytes = ics.as_bytes();
            let mut physical: Vec<&[u8]> = Vec::new();
            let mut begin = 0;
            for i in 0..bytes.len().saturating_sub(1) {
                if bytes[i] == b'\r' && bytes[i + 1] == b'\n' {
                    physical.push(&bytes[begin..i]);
                    begin = i + 2;
                }
            }
            for l in &physical {
                assert!(l.len() <= 75, "{} octets", l.len());
                assert!(std::str::from_utf8(l).is_ok(), "split character");
            }
            // Folding happens as late as possible: a line is folded only when
            // the next character would not fit.
            let desc: Vec<&&[u8]> = physical
                .iter()
                .skip_while(|l| !l.starts_with(b"DESCRIPTION:"))
                .take_while(|l| l.starts_with(b"DESCRIPTION:") || l.starts_with(b" "))
                .collect();
            assert!(desc.len() >= 7, "{}", desc.len());
            for l in &desc[..desc.len() - 1] {
                assert!(l.len() >= 73, "folded early at {} octets", l.len());
            }
            // Unfolding gives back the text.
            assert!(has_line(&ics, &format!("DESCRIPTION:{}", ev.description)));
        }
    }

    #[test]
    fn folding_keeps_75_octet_lines_and_folds_76() {
        let l75 = "X".repeat(75);
        assert_eq!(fold_line(&l75), format!("{l75}\r\n"));
        let l76 = "X".repeat(76);
        assert_eq!(fold_line(&l76), format!("{}\r\n X\r\n", "X".repeat(75)));
        // 24 Han characters = 72 octets + "ABC" = 75; one more Han char would be 78.
        let s = format!("ABC{}汉", "汉".repeat(24));
        let f = fold_line(&s);
        let first = f.split("\r\n").next().unwrap_or_default();
        assert_eq!(first.len(), 75);
        assert_eq!(f, format!("ABC{}\r\n 汉\r\n", "汉".repeat(24)));
    }

    #[test]
    fn output_uses_crlf_only() {
        let mut ev = event("a");
        ev.description = "一\n二\r\n三\r四".into();
        let ics = write_calendar("x", "Asia/Shanghai", &[ev]);
        assert!(ics.ends_with("\r\n"));
        let bytes = ics.as_bytes();
        for (i, b) in bytes.iter().enumerate() {
            if *b == b'\n' {
                assert_eq!(bytes.get(i.wrapping_sub(1)), Some(&b'\r'), "bare LF at {i}");
            }
            if *b == b'\r' {
                assert_eq!(bytes.get(i + 1), Some(&b'\n'), "bare CR at {i}");
            }
        }
    }

    #[test]
    fn output_is_deterministic_and_sorted() {
        let a = event("b@x");
        let mut b = event("a@x");
        b.start = date(2027, 3, 1).at(9, 0, 0, 0);
        b.end = date(2027, 3, 1).at(10, 0, 0, 0);
        let c = event("a@x2");
        let one = write_calendar("x", "Asia/Shanghai", &[a.clone(), b.clone(), c.clone()]);
        let two = write_calendar("x", "Asia/Shanghai", &[b, c, a]);
        assert_eq!(one, two);
        let uids: Vec<String> = unfold(&one)
            .into_iter()
            .filter(|l| l.starts_with("UID:"))
            .collect();
        assert_eq!(uids, ["UID:a@x2", "UID:b@x", "UID:a@x"]);
    }

    #[test]
    fn empty_optional_fields_are_left_out() {
        let mut ev = event("a");
        ev.url = None;
        ev.description = String::new();
        ev.location = " ".into();
        ev.categories = vec![];
        let ics = write_calendar("x", "Asia/Shanghai", &[ev]);
        for p in ["URL", "DESCRIPTION", "LOCATION", "CATEGORIES"] {
            assert!(!ics.contains(&format!("\r\n{p}")), "{p} present");
        }
    }

    #[test]
    fn url_is_percent_encoded_when_not_ascii() {
        let mut ev = event("a");
        ev.url = Some("https://example.gov.cn/讲座/a b/".into());
        let ics = write_calendar("x", "Asia/Shanghai", &[ev]);
        assert!(has_line(
            &ics,
            "URL:https://example.gov.cn/%E8%AE%B2%E5%BA%A7/a%20b/"
        ));
    }

    #[test]
    fn end_not_after_start_omits_dtend() {
        let mut ev = event("a");
        ev.end = ev.start;
        let ics = write_calendar("x", "Asia/Shanghai", &[ev]);
        assert!(!ics.contains("DTEND"));
    }

    #[test]
    fn unknown_time_zone_falls_back_to_utc() {
        assert!(!is_known_time_zone("Mars/Olympus"));
        assert!(!is_known_time_zone(""));
        assert!(is_known_time_zone("Asia/Shanghai"));
        let ics = write_calendar("x", "Mars/Olympus", &[event("a")]);
        assert!(has_line(&ics, "DTSTART;TZID=UTC:20261203T190000"));
        assert!(has_line(&ics, "TZOFFSETTO:+0000"));
        assert!(has_line(&ics, "DTSTAMP:20261120T100000Z"));
    }

    #[test]
    fn calendar_without_events_is_valid() {
        let ics = write_calendar("空日历", "Asia/Shanghai", &[]);
        assert!(has_line(&ics, "TZOFFSETTO:+0800"));
        assert!(!ics.contains("VEVENT"));
    }

    #[test]
    fn offsets_with_seconds_and_negative_are_formatted() {
        assert_eq!(fmt_offset(Offset::from_seconds(8 * 3600).unwrap()), "+0800");
        assert_eq!(
            fmt_offset(Offset::from_seconds(-(3 * 3600 + 1800)).unwrap()),
            "-0330"
        );
        assert_eq!(fmt_offset(Offset::from_seconds(29_143).unwrap()), "+080543");
    }

    #[test]
    fn tzid_parameter_is_quoted_when_needed() {
        assert_eq!(param_value("Asia/Shanghai"), "Asia/Shanghai");
        assert_eq!(param_value("a:b"), "\"a:b\"");
        assert_eq!(param_value("a\"b"), "ab");
    }

    #[test]
    fn until_is_parsed_in_all_forms() {
        assert_eq!(parse_until("19700101T000010Z"), Some(10));
        assert_eq!(parse_until("19700101"), Some(86_399));
        assert_eq!(parse_until("garbage"), None);
    }
}
