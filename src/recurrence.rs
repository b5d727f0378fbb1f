//! Recurring lectures: the `repeat` key of a lecture's front matter.
//!
//! ```yaml
//! repeat: {every: week, until: "2027-01-28", except: ["2026-12-31"]}
//! repeat: {every: month, week_of_month: 3, weekday: 周四, count: 8}
//! repeat: {every: week, interval: 2, count: 10}
//! ```
//!
//! Keys:
//!
//! * `every` (required): `week` / `weekly` / `每周` or `month` / `monthly` / `每月`.
//! * `interval`: every n-th week or month, an integer ≥ 1 (default 1).
//! * `until` (a date, inclusive) **or** `count` (how many occurrences), exactly
//!   one of them: a series never repeats without end.
//! * `except`: dates (or a single date) on which the series does not take
//!   place. Each must be a date the rule produces.
//! * `weekday`: for `every: month` together with `week_of_month`; for
//!   `every: week` it picks the weekday (default: the weekday of `start`).
//!   Accepts 周一…周日 (周天), 星期一…星期日 (星期天), 礼拜一…礼拜日,
//!   mon…sun, monday…sunday, mo…su, and 1–7 (1 = Monday, 7 = Sunday).
//! * `week_of_month`: 1–4, or -1 for the last such weekday of the month
//!   (only with `every: month`, and only together with `weekday`). Without
//!   it a monthly series falls on the day of the month of `start`.
//!
//! Semantics, chosen to agree exactly with RFC 5545 RRULE expansion so that the
//! site's schedule and every calendar client show the same dates:
//!
//! * **The first occurrence is the first date on or after `start` that matches
//!   the rule**, at `start`'s time of day. When `start` does not fall on the
//!   rule (e.g. "3rd Thursday" but `start` is a Monday) the series begins on
//!   the next matching date; `start` itself is then not an occurrence. The
//!   caller must use that first occurrence (see [`first_occurrence`]) as the
//!   calendar's DTSTART, shifting the end by the same amount, because
//!   RFC 5545 leaves a DTSTART that is not on the rule undefined.
//! * `interval` counts from the month/week of the first occurrence.
//! * `count` counts occurrences **before** `except` dates are removed (as
//!   RRULE COUNT does with EXDATE): `count: 8` with one `except` date holds 7
//!   lectures.
//! * A monthly series on day 29–31 skips months without that day (RFC 5545
//!   behaviour; e.g. the 31st only occurs in 31-day months).
//! * A series may produce at most [`MAX_OCCURRENCES`] occurrences; longer ones
//!   are rejected by [`parse_repeat`].
//! * `until` is a date in the site's local time zone; in the RRULE it becomes
//!   the last second of that day in UTC (RFC 5545 3.3.10 requires UTC when
//!   DTSTART carries a TZID), see [`to_rrule_in`].

use std::fmt;

use jiff::civil::{Date, DateTime, Weekday};
use jiff::tz::TimeZone;
use serde_yaml_ng::Value;

use crate::diagnostic::Text;

/// The most occurrences a series may have (ten years of weekly lectures).
pub(crate) const MAX_OCCURRENCES: usize = 520;

/// The time zone [`to_rrule`] assumes for `until`.
#[cfg(test)]
const DEFAULT_TIME_ZONE: &str = "Asia/Shanghai";

const KEYS: &[&str] = &[
    "every",
    "interval",
    "until",
    "count",
    "except",
    "week_of_month",
    "weekday",
];

/// How often the series repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Frequency {
    Weekly,
    Monthly,
}

/// How the series ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RepeatEnd {
    /// The last possible date, inclusive, in local time.
    Until(Date),
    /// The number of occurrences, counted before `except` dates are removed.
    Count(u32),
}

/// Which day in the week or month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayRule {
    /// Weekly on this weekday (the weekday of `start` unless `weekday` was given).
    Weekday(Weekday),
    /// Monthly on this day of the month (that of `start`).
    MonthDay(i8),
    /// Monthly on the `nth` (1–4, or -1 = last) `weekday` of the month.
    NthWeekday { nth: i8, weekday: Weekday },
}

/// A parsed, validated `repeat` rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recurrence {
    pub frequency: Frequency,
    /// ≥ 1.
    pub interval: u32,
    pub end: RepeatEnd,
    pub day: DayRule,
    /// Sorted, without duplicates; each is an occurrence date of the rule.
    pub except: Vec<Date>,
    /// Whether `weekday` was given explicitly for a weekly rule (then the
    /// RRULE carries BYDAY).
    explicit_weekday: bool,
}

/// A mistake in the `repeat` value, in Chinese and English.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RepeatError {
    /// The sub-key of `repeat` that is wrong (so the caller can point at its
    /// line), or `None` when the problem is with `repeat` as a whole.
    pub(crate) key: Option<String>,
    pub(crate) message: Text,
    pub(crate) hint: Text,
}

impl RepeatError {
    fn new(key: Option<&str>, message: Text, hint: Text) -> Self {
        RepeatError {
            key: key.map(str::to_string),
            message,
            hint,
        }
    }
}

impl fmt::Display for RepeatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}（{}）", self.message.zh, self.hint.zh)
    }
}

impl std::error::Error for RepeatError {}

/// Parses and validates the `repeat` value of a lecture whose `start` is given.
pub(crate) fn parse_repeat(value: &Value, start: DateTime) -> Result<Recurrence, RepeatError> {
    let map = match value {
        Value::Mapping(m) => m,
        other => {
            return Err(RepeatError::new(
                None,
                Text::new(
                    format!("repeat 应是一组键值，而不是 {}", show(other).zh),
                    format!("repeat must be a mapping of keys, not {}", show(other).en),
                ),
                Text::new(
                    "例如 repeat: {every: week, count: 10} 或 repeat: {every: month, until: \"2027-01-28\"}",
                    "for example repeat: {every: week, count: 10} or repeat: {every: month, until: \"2027-01-28\"}",
                ),
            ));
        }
    };

    let mut every: Option<&Value> = None;
    let mut interval: Option<&Value> = None;
    let mut until: Option<&Value> = None;
    let mut count: Option<&Value> = None;
    let mut except: Option<&Value> = None;
    let mut week_of_month: Option<&Value> = None;
    let mut weekday: Option<&Value> = None;
    // Which of until/count came last, to point at the second one.
    let mut last_end_key = "until";

    for (k, v) in map {
        let key = match k {
            Value::String(s) => s.as_str(),
            other => {
                return Err(RepeatError::new(
                    None,
                    Text::new(
                        format!("repeat 中的键 {} 不是文字", show(other).zh),
                        format!("key {} in repeat is not a name", show(other).en),
                    ),
                    Text::new(
                        format!("可用的键：{}", KEYS.join("、")),
                        format!("valid keys: {}", KEYS.join(", ")),
                    ),
                ));
            }
        };
        let slot = match key {
            "every" => &mut every,
            "interval" => &mut interval,
            "until" => {
                last_end_key = "until";
                &mut until
            }
            "count" => {
                last_end_key = "count";
                &mut count
            }
            "except" => &mut except,
            "week_of_month" => &mut week_of_month,
            "weekday" => &mut weekday,
            _ => return Err(unknown_key(key)),
        };
        if matches!(v, Value::Null) && key != "except" {
            return Err(RepeatError::new(
                Some(key),
                Text::new(
                    format!("repeat 的 {key} 没有填写值"),
                    format!("repeat key {key} has no value"),
                ),
                Text::new(
                    format!("给 {key} 填上值，或删除这一项"),
                    format!("give {key} a value or remove it"),
                ),
            ));
        }
        *slot = Some(v);
    }

    // every
    let frequency = match every {
        None => {
            return Err(RepeatError::new(
                None,
                Text::new(
                    "repeat 缺少 every（重复周期）",
                    "repeat is missing `every` (how often it repeats)",
                ),
                Text::new(
                    "加上 every: week（每周）或 every: month（每月）",
                    "add every: week or every: month",
                ),
            ));
        }
        Some(v) => parse_every(v)?,
    };

    // interval
    let interval = match interval {
        None => 1,
        Some(v) => match as_int(v) {
            Some(n) if (1..=1000).contains(&n) => n as u32,
            _ => {
                return Err(RepeatError::new(
                    Some("interval"),
                    Text::new(
                        format!("interval 应是不小于 1 的整数，而不是 {}", show(v).zh),
                        format!("interval must be a whole number ≥ 1, not {}", show(v).en),
                    ),
                    Text::new(
                        "例如 interval: 2 表示隔一周（或隔一个月）一次",
                        "e.g. interval: 2 means every other week (or month)",
                    ),
                ));
            }
        },
    };

    // weekday / week_of_month
    let weekday = match weekday {
        None => None,
        Some(v) => Some(parse_weekday(v).ok_or_else(|| {
            RepeatError::new(
                Some("weekday"),
                Text::new(
                    format!("无法识别的星期：{}", show(v).zh),
                    format!("unknown weekday: {}", show(v).en),
                ),
                Text::new(
                    "写作 周一…周日、星期一…星期日、mon…sun，或 1–7（1 为周一）",
                    "write 周一…周日, 星期一…星期日, mon…sun, monday…sunday, or 1–7 (1 = Monday)",
                ),
            )
        })?),
    };
    let week_of_month = match week_of_month {
        None => None,
        Some(v) => {
            if frequency == Frequency::Weekly {
                return Err(RepeatError::new(
                    Some("week_of_month"),
                    Text::new(
                        "week_of_month 只能用于每月重复（every: month）",
                        "week_of_month only applies to monthly series (every: month)",
                    ),
                    Text::new(
                        "改成 every: month，或删除 week_of_month",
                        "use every: month, or remove week_of_month",
                    ),
                ));
            }
            match as_int(v) {
                Some(n) if (1..=4).contains(&n) || n == -1 => Some(n as i8),
                _ => {
                    return Err(RepeatError::new(
                        Some("week_of_month"),
                        Text::new(
                            format!("week_of_month 应是 1–4 或 -1，而不是 {}", show(v).zh),
                            format!("week_of_month must be 1–4 or -1, not {}", show(v).en),
                        ),
                        Text::new(
                            "1–4 表示当月第几个该星期，-1 表示最后一个（不是每个月都有第 5 个）",
                            "1–4 is the n-th such weekday of the month, -1 the last one (not every month has a 5th)",
                        ),
                    ));
                }
            }
        }
    };
    let day = match (frequency, week_of_month, weekday) {
        (Frequency::Weekly, _, Some(wd)) => DayRule::Weekday(wd),
        (Frequency::Weekly, _, None) => DayRule::Weekday(start.weekday()),
        (Frequency::Monthly, Some(nth), Some(wd)) => DayRule::NthWeekday { nth, weekday: wd },
        (Frequency::Monthly, Some(_), None) => {
            return Err(RepeatError::new(
                Some("week_of_month"),
                Text::new(
                    "有 week_of_month 却没有 weekday：不知道是第几周的星期几",
                    "week_of_month is given without weekday: which day of that week?",
                ),
                Text::new(
                    "加上 weekday，例如 weekday: 周四",
                    "add weekday, e.g. weekday: thursday",
                ),
            ));
        }
        (Frequency::Monthly, None, Some(_)) => {
            return Err(RepeatError::new(
                Some("weekday"),
                Text::new(
                    "每月重复时 weekday 需要配合 week_of_month：不知道是每月第几个",
                    "for a monthly series weekday needs week_of_month: which one in the month?",
                ),
                Text::new(
                    "加上 week_of_month（1–4，-1 为最后一个），或删除 weekday 以按开始日期的日子每月重复",
                    "add week_of_month (1–4, -1 for the last), or remove weekday to repeat on start's day of the month",
                ),
            ));
        }
        (Frequency::Monthly, None, None) => DayRule::MonthDay(start.day()),
    };

    // until / count
    let end = match (until, count) {
        (Some(_), Some(_)) => {
            return Err(RepeatError::new(
                Some(last_end_key),
                Text::new(
                    "until 和 count 只能写一个",
                    "give either until or count, not both",
                ),
                Text::new(
                    "按结束日期写 until，按次数写 count，删除另一个",
                    "keep until (end date) or count (number of times) and remove the other",
                ),
            ));
        }
        (None, None) => {
            return Err(RepeatError::new(
                None,
                Text::new(
                    "repeat 需要 until（截止日期）或 count（次数），不能无限重复",
                    "repeat needs until (end date) or count (number of times); a series cannot repeat forever",
                ),
                Text::new(
                    "例如 until: \"2027-01-28\" 或 count: 8",
                    "e.g. until: \"2027-01-28\" or count: 8",
                ),
            ));
        }
        (Some(v), None) => {
            let d = parse_date_value(v).ok_or_else(|| bad_date("until", v))?;
            if d < start.date() {
                return Err(RepeatError::new(
                    Some("until"),
                    Text::new(
                        format!("until（{}）早于开始日期 {}", d, start.date()),
                        format!("until ({}) is before the start date {}", d, start.date()),
                    ),
                    Text::new(
                        "until 是最后一次可能的日期（含当天），应不早于 start",
                        "until is the last possible date (inclusive) and must not be before start",
                    ),
                ));
            }
            RepeatEnd::Until(d)
        }
        (None, Some(v)) => match as_int(v) {
            Some(n) if n >= 1 && n as usize <= MAX_OCCURRENCES => RepeatEnd::Count(n as u32),
            Some(n) if n >= 1 => {
                return Err(RepeatError::new(
                    Some("count"),
                    Text::new(
                        format!("count 为 {n}，超过上限 {MAX_OCCURRENCES} 次"),
                        format!("count is {n}, more than the limit of {MAX_OCCURRENCES}"),
                    ),
                    Text::new(
                        "把长期系列拆成几段，或缩短",
                        "split a long series into several, or shorten it",
                    ),
                ));
            }
            _ => {
                return Err(RepeatError::new(
                    Some("count"),
                    Text::new(
                        format!("count 应是不小于 1 的整数，而不是 {}", show(v).zh),
                        format!("count must be a whole number ≥ 1, not {}", show(v).en),
                    ),
                    Text::new(
                        "例如 count: 8 表示共 8 次",
                        "e.g. count: 8 means eight times",
                    ),
                ));
            }
        },
    };

    let mut rec = Recurrence {
        frequency,
        interval,
        end,
        day,
        except: Vec::new(),
        explicit_weekday: frequency == Frequency::Weekly && weekday.is_some(),
    };

    // Expand without exceptions and check the length.
    let raw = expand(&rec, start, MAX_OCCURRENCES + 1);
    if raw.len() > MAX_OCCURRENCES {
        return Err(RepeatError::new(
            Some("until"),
            Text::new(
                format!("这个系列超过 {MAX_OCCURRENCES} 次"),
                format!("this series has more than {MAX_OCCURRENCES} occurrences"),
            ),
            Text::new(
                "把 until 提前，或拆成几个系列",
                "move until earlier, or split it into several series",
            ),
        ));
    }
    if raw.is_empty() {
        let key = match rec.end {
            RepeatEnd::Until(_) => Some("until"),
            RepeatEnd::Count(_) => None,
        };
        return Err(RepeatError::new(
            key,
            Text::new(
                format!("从 {} 到 until 之间没有符合规则的日期", start.date()),
                format!(
                    "no date between {} and until matches the rule",
                    start.date()
                ),
            ),
            Text::new(
                "把 until 推后，或检查 week_of_month / weekday",
                "move until later, or check week_of_month / weekday",
            ),
        ));
    }

    // except
    if let Some(v) = except {
        let items: Vec<&Value> = match v {
            Value::Null => Vec::new(),
            Value::Sequence(seq) => seq.iter().collect(),
            single => vec![single],
        };
        let mut dates = Vec::with_capacity(items.len());
        for item in items {
            let d = parse_date_value(item).ok_or_else(|| bad_date("except", item))?;
            if !raw.iter().any(|o| o.date() == d) {
                let (before, after) = neighbours(&raw, d);
                let near = match (before, after) {
                    (Some(b), Some(a)) => format!("{b} 和 {a}"),
                    (Some(b), None) => b.to_string(),
                    (None, Some(a)) => a.to_string(),
                    (None, None) => String::new(),
                };
                let near_en = near.replace(" 和 ", " and ");
                return Err(RepeatError::new(
                    Some("except"),
                    Text::new(
                        format!("except 中的 {d} 不是这个系列的日期"),
                        format!("except date {d} is not a date of this series"),
                    ),
                    Text::new(
                        format!("最接近的日期是 {near}；请改成其中之一，或删除它"),
                        format!("the nearest dates are {near_en}; use one of them or remove it"),
                    ),
                ));
            }
            dates.push(d);
        }
        dates.sort();
        dates.dedup();
        if dates.len() >= raw.len() {
            return Err(RepeatError::new(
                Some("except"),
                Text::new(
                    "except 排除了这个系列的全部日期",
                    "except removes every date of this series",
                ),
                Text::new(
                    "至少留下一次，或把讲座改为 status: cancelled",
                    "leave at least one, or mark the lecture status: cancelled",
                ),
            ));
        }
        rec.except = dates;
    }

    Ok(rec)
}

/// Every occurrence start, in order, without the `except` dates, at most
/// [`MAX_OCCURRENCES`]. See the module documentation for the semantics.
pub(crate) fn occurrences(rec: &Recurrence, start: DateTime) -> Vec<DateTime> {
    let mut out = expand(rec, start, MAX_OCCURRENCES);
    out.retain(|o| rec.except.binary_search(&o.date()).is_err());
    out
}

/// The first date-time the rule produces on or after `start` (before `except`
/// dates are removed): the DTSTART to put in a calendar.
pub(crate) fn first_occurrence(rec: &Recurrence, start: DateTime) -> Option<DateTime> {
    expand(rec, start, 1).into_iter().next()
}

/// The EXDATE values: the occurrences removed by `except`, at `start`'s time of
/// day, in order.
pub(crate) fn exdates(rec: &Recurrence, start: DateTime) -> Vec<DateTime> {
    expand(rec, start, MAX_OCCURRENCES)
        .into_iter()
        .filter(|o| rec.except.binary_search(&o.date()).is_ok())
        .collect()
}

/// The RRULE value with `until` taken in [`DEFAULT_TIME_ZONE`] (Asia/Shanghai).
/// Use [`to_rrule_in`] with the site's time zone.
#[cfg(test)]
fn to_rrule(rec: &Recurrence) -> String {
    to_rrule_in(rec, DEFAULT_TIME_ZONE)
}

/// The RRULE value (without the `RRULE:` name), e.g.
/// `FREQ=WEEKLY;INTERVAL=1;UNTIL=20270128T155959Z` or
/// `FREQ=MONTHLY;INTERVAL=1;BYDAY=3TH;COUNT=8`.
///
/// `until` becomes 23:59:59 local time on that date in `tz`, converted to UTC.
/// An unknown `tz` is treated as UTC (validate the site's time zone first).
pub(crate) fn to_rrule_in(rec: &Recurrence, tz: &str) -> String {
    let mut s = String::new();
    s.push_str(match rec.frequency {
        Frequency::Weekly => "FREQ=WEEKLY",
        Frequency::Monthly => "FREQ=MONTHLY",
    });
    s.push_str(&format!(";INTERVAL={}", rec.interval.max(1)));
    match rec.day {
        DayRule::Weekday(wd) => {
            if rec.explicit_weekday {
                s.push_str(&format!(";BYDAY={}", ical_weekday(wd)));
            }
        }
        DayRule::MonthDay(d) => s.push_str(&format!(";BYMONTHDAY={d}")),
        DayRule::NthWeekday { nth, weekday } => {
            s.push_str(&format!(";BYDAY={}{}", nth, ical_weekday(weekday)))
        }
    }
    match rec.end {
        RepeatEnd::Until(d) => {
            let zone = TimeZone::get(tz).unwrap_or(TimeZone::UTC);
            let local = d.to_datetime(jiff::civil::Time::constant(23, 59, 59, 0));
            let utc = zone
                .to_timestamp(local)
                .map(|ts| TimeZone::UTC.to_datetime(ts))
                .unwrap_or(local);
            s.push_str(&format!(";UNTIL={}Z", utc.strftime("%Y%m%dT%H%M%S")));
        }
        RepeatEnd::Count(n) => s.push_str(&format!(";COUNT={n}")),
    }
    s
}

/// The two-letter RFC 5545 weekday code.
pub(crate) fn ical_weekday(wd: Weekday) -> &'static str {
    match wd {
        Weekday::Monday => "MO",
        Weekday::Tuesday => "TU",
        Weekday::Wednesday => "WE",
        Weekday::Thursday => "TH",
        Weekday::Friday => "FR",
        Weekday::Saturday => "SA",
        Weekday::Sunday => "SU",
    }
}

/// The rule's dates from the first on/after `start`, before exclusions, at
/// most `limit` of them.
fn expand(rec: &Recurrence, start: DateTime, limit: usize) -> Vec<DateTime> {
    let mut out = Vec::new();
    let time = start.time();
    let max = match rec.end {
        RepeatEnd::Count(n) => limit.min(n as usize),
        RepeatEnd::Until(_) => limit,
    };
    let until = match rec.end {
        RepeatEnd::Until(d) => Some(d),
        RepeatEnd::Count(_) => None,
    };
    let interval = i64::from(rec.interval.max(1));
    let push = |d: Date, out: &mut Vec<DateTime>| -> bool {
        if out.len() >= max || until.is_some_and(|u| d > u) {
            return false;
        }
        out.push(d.to_datetime(time));
        true
    };
    match rec.day {
        DayRule::Weekday(wd) => {
            let offset = i64::from(start.weekday().until(wd));
            let Some(first) = add_days(start.date(), offset) else {
                return out;
            };
            for k in 0.. {
                let Some(d) = add_days(first, k * 7 * interval) else {
                    break;
                };
                if !push(d, &mut out) {
                    break;
                }
            }
        }
        DayRule::MonthDay(day) => {
            let base = month_index(start.date());
            // A month without that day is skipped but still counts towards
            // the interval, as in RRULE; bound the loop by months anyway.
            let months_bound = (max as i64 + 2) * 2 + 12;
            for k in 0..months_bound {
                let Some((y, m)) = from_month_index(base + k * interval) else {
                    break;
                };
                let Ok(d) = Date::new(y, m, day) else {
                    continue;
                };
                if d < start.date() {
                    continue;
                }
                if !push(d, &mut out) {
                    break;
                }
            }
        }
        DayRule::NthWeekday { nth, weekday } => {
            let mut base = month_index(start.date());
            // If this month's date has passed, the series starts next month.
            match nth_in_month(base, nth, weekday) {
                Some(d) if d >= start.date() => {}
                _ => base += 1,
            }
            for k in 0.. {
                let Some(d) = nth_in_month(base + k * interval, nth, weekday) else {
                    break;
                };
                if !push(d, &mut out) {
                    break;
                }
            }
        }
    }
    out
}

fn add_days(d: Date, days: i64) -> Option<Date> {
    let span = jiff::Span::new().try_days(days).ok()?;
    d.checked_add(span).ok()
}

fn month_index(d: Date) -> i64 {
    i64::from(d.year()) * 12 + i64::from(d.month()) - 1
}

fn from_month_index(i: i64) -> Option<(i16, i8)> {
    let y = i16::try_from(i.div_euclid(12)).ok()?;
    let m = i8::try_from(i.rem_euclid(12) + 1).ok()?;
    Some((y, m))
}

fn nth_in_month(index: i64, nth: i8, wd: Weekday) -> Option<Date> {
    let (y, m) = from_month_index(index)?;
    Date::new(y, m, 1).ok()?.nth_weekday_of_month(nth, wd).ok()
}

fn neighbours(raw: &[DateTime], d: Date) -> (Option<Date>, Option<Date>) {
    let before = raw.iter().map(|o| o.date()).rfind(|o| *o < d);
    let after = raw.iter().map(|o| o.date()).find(|o| *o > d);
    (before, after)
}

fn parse_every(v: &Value) -> Result<Frequency, RepeatError> {
    let text = match v {
        Value::String(s) => s.trim().to_lowercase(),
        _ => String::new(),
    };
    match text.as_str() {
        "week" | "weekly" | "每周" | "每星期" | "周" => return Ok(Frequency::Weekly),
        "month" | "monthly" | "每月" | "月" => return Ok(Frequency::Monthly),
        _ => {}
    }
    let unsupported = matches!(
        text.as_str(),
        "day" | "daily" | "每天" | "每日" | "year" | "yearly" | "annually" | "每年"
    );
    let guess = match suggest(&text, &["week", "month", "weekly", "monthly"]) {
        Some(s) if !unsupported => {
            Text::new(format!("是不是想写 {s}？"), format!("did you mean {s}? "))
        }
        _ => Text::default(),
    };
    Err(RepeatError::new(
        Some("every"),
        Text::new(
            format!(
                "every 只能是 week（每周）或 month（每月），而不是 {}",
                show(v).zh
            ),
            format!("every must be week or month, not {}", show(v).en),
        ),
        Text::new(
            format!(
                "{}写 every: week 或 every: month（也可写 每周 / 每月）",
                guess.zh
            ),
            format!(
                "{}write every: week or every: month (每周 / 每月 also work)",
                guess.en
            ),
        ),
    ))
}

fn parse_weekday(v: &Value) -> Option<Weekday> {
    if let Some(n) = as_int(v) {
        return i8::try_from(n)
            .ok()
            .and_then(|n| Weekday::from_monday_one_offset(n).ok());
    }
    let Value::String(s) = v else {
        return None;
    };
    let s = s.trim().to_lowercase();
    let english = match s.as_str() {
        "mon" | "monday" | "mo" => Some(Weekday::Monday),
        "tue" | "tues" | "tuesday" | "tu" => Some(Weekday::Tuesday),
        "wed" | "weds" | "wednesday" | "we" => Some(Weekday::Wednesday),
        "thu" | "thur" | "thurs" | "thursday" | "th" => Some(Weekday::Thursday),
        "fri" | "friday" | "fr" => Some(Weekday::Friday),
        "sat" | "saturday" | "sa" => Some(Weekday::Saturday),
        "sun" | "sunday" | "su" => Some(Weekday::Sunday),
        _ => None,
    };
    if english.is_some() {
        return english;
    }
    let rest = ["星期", "礼拜", "周"]
        .iter()
        .find_map(|p| s.strip_prefix(p))?;
    match rest {
        "一" | "1" => Some(Weekday::Monday),
        "二" | "2" => Some(Weekday::Tuesday),
        "三" | "3" => Some(Weekday::Wednesday),
        "四" | "4" => Some(Weekday::Thursday),
        "五" | "5" => Some(Weekday::Friday),
        "六" | "6" => Some(Weekday::Saturday),
        "日" | "天" | "7" => Some(Weekday::Sunday),
        _ => None,
    }
}

/// An integer from a YAML number or a string of digits (editors quote numbers).
fn as_int(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse::<i64>().ok(),
        _ => None,
    }
}

/// A date written `2027-01-28` (also `2027-1-28`, `2027/1/28`, `2027.1.28`, `2027年1月28日`).
fn parse_date_value(v: &Value) -> Option<Date> {
    match v {
        Value::String(s) => parse_date(s),
        _ => None,
    }
}

/// The same forms as dates in front matter (`content::frontmatter::parse_date`).
fn parse_date(s: &str) -> Option<Date> {
    crate::content::frontmatter::parse_date(s)
}

fn bad_date(key: &str, v: &Value) -> RepeatError {
    RepeatError::new(
        Some(key),
        Text::new(
            format!("{key} 中的日期 {} 无效", show(v).zh),
            format!("invalid date {} in {key}", show(v).en),
        ),
        Text::new(
            "日期写作 \"2027-01-28\"（年-月-日，且须是真实存在的日期）",
            "write dates as \"2027-01-28\" (year-month-day, and a real date)",
        ),
    )
}

fn unknown_key(key: &str) -> RepeatError {
    let alias = match key.to_lowercase().as_str() {
        "freq" | "frequency" | "repeat" | "every_n" | "period" => Some("every"),
        "end" | "ends" | "end_date" | "until_date" | "to" => Some("until"),
        "times" | "occurrences" | "n" => Some("count"),
        "exceptions" | "excluding" | "exclude" | "skip" | "exdate" | "exdates" | "except_dates"
        | "not" => Some("except"),
        "byday" | "day" | "day_of_week" | "dow" | "wday" => Some("weekday"),
        "week" | "nth" | "setpos" | "bysetpos" | "week_in_month" => Some("week_of_month"),
        "every_other" | "step" => Some("interval"),
        _ => None,
    };
    let guess = alias.map(str::to_string).or_else(|| suggest(key, KEYS));
    let guess = guess.map_or_else(Text::default, |g| {
        Text::new(format!("是不是想写 {g}？"), format!("did you mean {g}? "))
    });
    RepeatError::new(
        Some(key),
        Text::new(
            format!("repeat 中有未知的键 {key}"),
            format!("unknown key {key} in repeat"),
        ),
        Text::new(
            format!("{}可用的键：{}", guess.zh, KEYS.join("、")),
            format!("{}valid keys: {}", guess.en, KEYS.join(", ")),
        ),
    )
}

/// The closest candidate by edit distance, if it is close enough.
fn suggest(word: &str, candidates: &[&str]) -> Option<String> {
    if word.is_empty() {
        return None;
    }
    let word = word.to_lowercase();
    let max = (word.chars().count() / 3).clamp(1, 3);
    candidates
        .iter()
        .map(|c| (levenshtein(&word, c), *c))
        .filter(|(d, _)| *d <= max)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c.to_string())
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = Vec::with_capacity(b.len() + 1);
        cur.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// What a YAML value is, for "not …" messages.
/// A YAML value as a message shows it (`“day”`, 一个列表).
pub(crate) fn show(v: &Value) -> Text {
    match v {
        Value::Null => Text::new("空值", "an empty value"),
        Value::Bool(b) => Text::new(b.to_string(), b.to_string()),
        Value::Number(n) => Text::new(n.to_string(), n.to_string()),
        Value::String(s) => Text::new(format!("“{s}”"), format!("\"{s}\"")),
        Value::Sequence(_) => Text::new("一个列表", "a list"),
        Value::Mapping(_) => Text::new("一组键值", "a mapping"),
        Value::Tagged(t) => Text::new(
            format!("带标签的值 {}", t.tag),
            format!("a tagged value {}", t.tag),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn yaml(s: &str) -> Value {
        serde_yaml_ng::from_str(s).expect("test YAML")
    }

    fn parse(s: &str, start: DateTime) -> Result<Recurrence, RepeatError> {
        parse_repeat(&yaml(s), start)
    }

    fn dates(v: &[DateTime]) -> Vec<String> {
        v.iter().map(|d| d.date().to_string()).collect()
    }

    fn err(s: &str, start: DateTime) -> RepeatError {
        match parse(s, start) {
            Ok(r) => panic!("expected an error for {s}, got {r:?}"),
            Err(e) => e,
        }
    }

    // 2026-12-03 is a Thursday.
    fn thu() -> DateTime {
        date(2026, 12, 3).at(19, 0, 0, 0)
    }

    #[test]
    fn weekly_until_expands_inclusive_with_except() {
        let r = parse(
            r#"{every: week, until: "2027-01-28", except: ["2026-12-31"]}"#,
            thu(),
        )
        .unwrap();
        let occ = occurrences(&r, thu());
        assert_eq!(
            dates(&occ),
            [
                "2026-12-03",
                "2026-12-10",
                "2026-12-17",
                "2026-12-24",
                "2027-01-07",
                "2027-01-14",
                "2027-01-21",
                "2027-01-28"
            ]
        );
        assert!(occ.iter().all(|o| o.time() == thu().time()));
        assert_eq!(exdates(&r, thu()), vec![date(2026, 12, 31).at(19, 0, 0, 0)]);
    }

    #[test]
    fn weekly_until_becomes_utc_end_of_day_in_rrule() {
        let r = parse(r#"{every: week, until: "2027-01-28"}"#, thu()).unwrap();
        assert_eq!(
            to_rrule(&r),
            "FREQ=WEEKLY;INTERVAL=1;UNTIL=20270128T155959Z"
        );
        assert_eq!(
            to_rrule_in(&r, "Europe/Berlin"),
            "FREQ=WEEKLY;INTERVAL=1;UNTIL=20270128T225959Z"
        );
        assert_eq!(
            to_rrule_in(&r, "No/Such_Zone"),
            "FREQ=WEEKLY;INTERVAL=1;UNTIL=20270128T235959Z"
        );
    }

    #[test]
    fn monthly_third_thursday_expands() {
        let r = parse(
            "{every: month, week_of_month: 3, weekday: 周四, count: 8}",
            thu(),
        )
        .unwrap();
        assert_eq!(to_rrule(&r), "FREQ=MONTHLY;INTERVAL=1;BYDAY=3TH;COUNT=8");
        // 2026-12-03 is the 1st Thursday; the 3rd is 12-17.
        assert_eq!(
            dates(&occurrences(&r, thu())),
            [
                "2026-12-17",
                "2027-01-21",
                "2027-02-18",
                "2027-03-18",
                "2027-04-15",
                "2027-05-20",
                "2027-06-17",
                "2027-07-15"
            ]
        );
        assert_eq!(
            first_occurrence(&r, thu()),
            Some(date(2026, 12, 17).at(19, 0, 0, 0))
        );
    }

    #[test]
    fn start_off_the_rule_begins_at_next_matching_date() {
        // Monday 2026-12-21 is after the 3rd Thursday of December.
        let start = date(2026, 12, 21).at(9, 30, 0, 0);
        let r = parse(
            "{every: month, week_of_month: 3, weekday: thu, count: 2}",
            start,
        )
        .unwrap();
        assert_eq!(dates(&occurrences(&r, start)), ["2027-01-21", "2027-02-18"]);
        // Weekly with an explicit weekday.
        let r = parse("{every: week, weekday: 星期五, count: 2}", start).unwrap();
        assert_eq!(dates(&occurrences(&r, start)), ["2026-12-25", "2027-01-01"]);
        assert_eq!(to_rrule(&r), "FREQ=WEEKLY;INTERVAL=1;BYDAY=FR;COUNT=2");
    }

    #[test]
    fn monthly_last_weekday_expands() {
        let start = date(2027, 1, 1).at(14, 0, 0, 0);
        let r = parse(
            "{every: 每月, week_of_month: -1, weekday: 5, count: 3}",
            start,
        )
        .unwrap();
        assert_eq!(to_rrule(&r), "FREQ=MONTHLY;INTERVAL=1;BYDAY=-1FR;COUNT=3");
        assert_eq!(
            dates(&occurrences(&r, start)),
            ["2027-01-29", "2027-02-26", "2027-03-26"]
        );
    }

    #[test]
    fn monthly_by_day_of_month_skips_short_months() {
        let start = date(2027, 1, 31).at(9, 0, 0, 0);
        let r = parse("{every: month, count: 4}", start).unwrap();
        assert_eq!(
            to_rrule(&r),
            "FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=31;COUNT=4"
        );
        assert_eq!(
            dates(&occurrences(&r, start)),
            ["2027-01-31", "2027-03-31", "2027-05-31", "2027-07-31"]
        );
    }

    #[test]
    fn biweekly_count_expands() {
        let r = parse("{every: week, interval: 2, count: 10}", thu()).unwrap();
        assert_eq!(to_rrule(&r), "FREQ=WEEKLY;INTERVAL=2;COUNT=10");
        let occ = occurrences(&r, thu());
        assert_eq!(occ.len(), 10);
        assert_eq!(occ[1].date(), date(2026, 12, 17));
        assert_eq!(occ[9].date(), date(2027, 4, 8));
    }

    #[test]
    fn count_includes_excepted_dates_like_rrule() {
        let r = parse(r#"{every: 每周, count: 3, except: "2026-12-10"}"#, thu()).unwrap();
        assert_eq!(dates(&occurrences(&r, thu())), ["2026-12-03", "2026-12-17"]);
    }

    #[test]
    fn bimonthly_nth_weekday_counts_from_first_occurrence() {
        let r = parse(
            "{every: monthly, interval: 2, week_of_month: 1, weekday: 周日, until: 2027-06-30}",
            thu(),
        )
        .unwrap();
        // First Sunday of Dec 2026 is 12-06 (on/after start).
        assert_eq!(
            dates(&occurrences(&r, thu())),
            ["2026-12-06", "2027-02-07", "2027-04-04", "2027-06-06"]
        );
    }

    #[test]
    fn weekday_spellings_are_accepted() {
        for (s, wd) in [
            ("周一", Weekday::Monday),
            ("星期二", Weekday::Tuesday),
            ("礼拜三", Weekday::Wednesday),
            ("Thursday", Weekday::Thursday),
            ("fri", Weekday::Friday),
            ("SA", Weekday::Saturday),
            ("周天", Weekday::Sunday),
            ("星期日", Weekday::Sunday),
            ("7", Weekday::Sunday),
        ] {
            assert_eq!(parse_weekday(&Value::String(s.into())), Some(wd), "{s}");
        }
        assert_eq!(parse_weekday(&yaml("3")), Some(Weekday::Wednesday));
        assert_eq!(parse_weekday(&yaml("0")), None);
        assert_eq!(parse_weekday(&yaml("8")), None);
    }

    #[test]
    fn dates_in_common_spellings_parse() {
        assert_eq!(parse_date("2027-01-28"), Some(date(2027, 1, 28)));
        assert_eq!(parse_date("2027-1-8"), Some(date(2027, 1, 8)));
        assert_eq!(parse_date("2027/1/8"), Some(date(2027, 1, 8)));
        assert_eq!(parse_date("2027.1.8"), Some(date(2027, 1, 8)));
        assert_eq!(parse_date("2027年1月8号"), Some(date(2027, 1, 8)));
        assert_eq!(parse_date("2027年1月8日"), Some(date(2027, 1, 8)));
        assert_eq!(parse_date("2027-02-30"), None);
        assert_eq!(parse_date("27-01-28"), None);
        assert_eq!(parse_date("2027-01-28T10:00"), None);
        assert_eq!(parse_date("二〇二七年一月"), None);
    }

    #[test]
    fn error_repeat_not_a_mapping() {
        let e = err("every week", thu());
        assert_eq!(e.key, None);
        assert!(e.message.zh.contains("键值"), "{}", e.message.zh);
    }

    #[test]
    fn error_unknown_key_suggests_closest() {
        let e = err("{every: week, count: 3, untill: 2027-01-01}", thu());
        assert_eq!(e.key.as_deref(), Some("untill"));
        assert!(e.hint.zh.contains("是不是想写 until"), "{}", e.hint.zh);
        assert!(e.hint.en.contains("did you mean until"), "{}", e.hint.en);
        let e = err("{every: week, count: 3, exceptions: []}", thu());
        assert!(e.hint.en.contains("did you mean except"), "{}", e.hint.en);
        let e = err("{every: week, count: 3, zzzzzzzz: 1}", thu());
        assert!(!e.hint.en.contains("did you mean"), "{}", e.hint.en);
    }

    #[test]
    fn error_missing_or_bad_every() {
        let e = err("{count: 3}", thu());
        assert_eq!(e.key, None);
        assert!(e.message.zh.contains("every"));
        let e = err("{every: weak, count: 3}", thu());
        assert_eq!(e.key.as_deref(), Some("every"));
        assert!(e.hint.en.contains("did you mean week"), "{}", e.hint.en);
        let e = err("{every: 每天, count: 3}", thu());
        assert_eq!(e.key.as_deref(), Some("every"));
        assert!(!e.hint.zh.contains("是不是"));
    }

    #[test]
    fn error_both_until_and_count_points_at_the_second() {
        let e = err("{every: week, until: 2027-01-01, count: 3}", thu());
        assert_eq!(e.key.as_deref(), Some("count"));
        let e = err("{every: week, count: 3, until: 2027-01-01}", thu());
        assert_eq!(e.key.as_deref(), Some("until"));
        assert!(e.message.zh.contains("只能写一个"));
    }

    #[test]
    fn error_neither_until_nor_count() {
        let e = err("{every: week}", thu());
        assert_eq!(e.key, None);
        assert!(e.message.en.contains("cannot repeat forever"));
    }

    #[test]
    fn error_until_before_start() {
        let e = err("{every: week, until: 2026-11-30}", thu());
        assert_eq!(e.key.as_deref(), Some("until"));
        assert!(e.message.zh.contains("早于"));
    }

    #[test]
    fn error_until_is_not_a_date() {
        let e = err("{every: week, until: 2027-02-30}", thu());
        assert_eq!(e.key.as_deref(), Some("until"));
        assert!(e.message.en.contains("invalid date"));
        let e = err("{every: week, until: 20270101}", thu());
        assert_eq!(e.key.as_deref(), Some("until"));
    }

    #[test]
    fn error_until_leaves_no_occurrence() {
        // 3rd Thursday of December is 12-17; until 12-10.
        let e = err(
            "{every: month, week_of_month: 3, weekday: thu, until: 2026-12-10}",
            thu(),
        );
        assert_eq!(e.key.as_deref(), Some("until"));
    }

    #[test]
    fn error_too_many_occurrences() {
        let e = err("{every: week, until: 2040-01-01}", thu());
        assert_eq!(e.key.as_deref(), Some("until"));
        let e = err("{every: week, count: 600}", thu());
        assert_eq!(e.key.as_deref(), Some("count"));
    }

    #[test]
    fn error_bad_count_and_interval() {
        for bad in ["0", "-1", "2.5", "many", "[1]"] {
            let e = err(&format!("{{every: week, count: {bad}}}"), thu());
            assert_eq!(e.key.as_deref(), Some("count"), "{bad}");
            let e = err(
                &format!("{{every: week, count: 2, interval: {bad}}}"),
                thu(),
            );
            assert_eq!(e.key.as_deref(), Some("interval"), "{bad}");
        }
    }

    #[test]
    fn error_empty_value() {
        let e = err("{every: week, count: }", thu());
        assert_eq!(e.key.as_deref(), Some("count"));
        assert!(e.message.zh.contains("没有填写值"));
    }

    #[test]
    fn error_bad_date_in_except() {
        let e = err(r#"{every: week, count: 3, except: ["2026-13-01"]}"#, thu());
        assert_eq!(e.key.as_deref(), Some("except"));
        assert!(e.message.zh.contains("2026-13-01"));
        let e = err("{every: week, count: 3, except: [20261210]}", thu());
        assert_eq!(e.key.as_deref(), Some("except"));
    }

    #[test]
    fn error_except_date_not_an_occurrence() {
        let e = err(r#"{every: week, count: 3, except: ["2026-12-11"]}"#, thu());
        assert_eq!(e.key.as_deref(), Some("except"));
        assert!(
            e.hint.zh.contains("2026-12-10 和 2026-12-17"),
            "{}",
            e.hint.zh
        );
        assert!(
            e.hint.en.contains("2026-12-10 and 2026-12-17"),
            "{}",
            e.hint.en
        );
    }

    #[test]
    fn error_except_removes_everything() {
        let e = err(
            r#"{every: week, count: 2, except: ["2026-12-03", "2026-12-10"]}"#,
            thu(),
        );
        assert_eq!(e.key.as_deref(), Some("except"));
    }

    #[test]
    fn error_week_of_month_out_of_range() {
        for bad in ["0", "5", "-2", "third"] {
            let e = err(
                &format!("{{every: month, week_of_month: {bad}, weekday: 周四, count: 2}}"),
                thu(),
            );
            assert_eq!(e.key.as_deref(), Some("week_of_month"), "{bad}");
        }
    }

    #[test]
    fn error_week_of_month_on_weekly_series() {
        let e = err(
            "{every: week, week_of_month: 2, weekday: 周四, count: 2}",
            thu(),
        );
        assert_eq!(e.key.as_deref(), Some("week_of_month"));
    }

    #[test]
    fn error_unknown_weekday() {
        let e = err(
            "{every: month, week_of_month: 3, weekday: 周八, count: 2}",
            thu(),
        );
        assert_eq!(e.key.as_deref(), Some("weekday"));
        assert!(e.message.zh.contains("周八"));
    }

    #[test]
    fn error_week_of_month_without_weekday() {
        let e = err("{every: month, week_of_month: 3, count: 2}", thu());
        assert_eq!(e.key.as_deref(), Some("week_of_month"));
        assert!(e.message.en.contains("without weekday"));
    }

    #[test]
    fn error_monthly_weekday_without_week_of_month() {
        let e = err("{every: month, weekday: 周四, count: 2}", thu());
        assert_eq!(e.key.as_deref(), Some("weekday"));
    }

    #[test]
    fn error_messages_display_in_chinese() {
        let e = err("{every: week}", thu());
        let s = e.to_string();
        assert!(s.contains("until") && s.contains("例如"), "{s}");
    }

    #[test]
    fn levenshtein_distances() {
        assert_eq!(levenshtein("untill", "until"), 1);
        assert_eq!(levenshtein("", "abc"), 3);
        assert_eq!(levenshtein("weekday", "weekday"), 0);
        assert_eq!(levenshtein("周四", "周五"), 1);
    }
}
