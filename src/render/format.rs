//! Dates, times and sizes the Chinese way: 2026年3月15日 周日, 09:00–11:30, 1.2 MB.

use jiff::civil::{Date, DateTime, Weekday};

/// How dates, months, weekdays and repeat rules read, in the words of the theme's UI
/// strings (`date_format`, `month_format`, `weekdays`, `repeat_*`), so that a theme
/// can change every word a reader sees.
#[derive(Debug, Clone)]
pub struct DateWords {
    /// `{year}年{month}月{day}日`
    date: String,
    /// `{year}年{month}月`
    month: String,
    /// `{month}月{day}日`, a day of the coming weeks
    short_date: String,
    /// Monday first.
    weekdays: [String; 7],
    every_week: String,
    every_n_weeks: String,
    every_month: String,
    every_n_months: String,
    month_day: String,
    nth_weekday: String,
    last_weekday: String,
}

impl DateWords {
    /// The words from UI strings; `ui(key)` gives the string of a key.
    pub fn new<'u>(ui: impl Fn(&str) -> &'u str) -> DateWords {
        let names: Vec<&str> = ui("weekdays").split_whitespace().collect();
        let weekdays: [String; 7] =
            std::array::from_fn(|i| names.get(i).map_or_else(String::new, |n| (*n).to_string()));
        DateWords {
            date: ui("date_format").to_string(),
            month: ui("month_format").to_string(),
            short_date: ui("short_date_format").to_string(),
            weekdays,
            every_week: ui("repeat_every_week").to_string(),
            every_n_weeks: ui("repeat_every_n_weeks").to_string(),
            every_month: ui("repeat_every_month").to_string(),
            every_n_months: ui("repeat_every_n_months").to_string(),
            month_day: ui("repeat_month_day").to_string(),
            nth_weekday: ui("repeat_nth_weekday").to_string(),
            last_weekday: ui("repeat_last_weekday").to_string(),
        }
    }

    pub fn weekday(&self, w: Weekday) -> &str {
        &self.weekdays[usize::from(w.to_monday_zero_offset().unsigned_abs())]
    }

    /// 2026年3月15日 (no weekday), for publication dates.
    pub fn date(&self, d: Date) -> String {
        fill(
            &self.date,
            &[
                ("year", d.year().into()),
                ("month", d.month().into()),
                ("day", d.day().into()),
            ],
        )
    }

    /// 2026年3月15日 周日
    pub fn date_weekday(&self, d: Date) -> String {
        format!("{} {}", self.date(d), self.weekday(d.weekday()))
    }

    /// 12月11日, for a day of the coming weeks (the year goes without saying).
    pub fn short_date(&self, d: Date) -> String {
        fill(
            &self.short_date,
            &[("month", d.month().into()), ("day", d.day().into())],
        )
    }

    /// 周三 12月9日, a session in the home page's 本周 / 下周 strip.
    pub fn weekday_short_date(&self, d: Date) -> String {
        format!("{} {}", self.weekday(d.weekday()), self.short_date(d))
    }

    /// 2026年3月
    pub fn month(&self, year: i16, month: i8) -> String {
        fill(
            &self.month,
            &[("year", year.into()), ("month", month.into())],
        )
    }

    /// 09:00–11:30, or with the end date when the event runs past midnight.
    pub fn time_range(&self, start: DateTime, end: DateTime) -> String {
        if start.date() == end.date() {
            format!("{}–{}", hhmm(start), hhmm(end))
        } else {
            format!("{}–{} {}", hhmm(start), self.date(end.date()), hhmm(end))
        }
    }

    /// 每周五 15:00 / 每月第 3 个周四 15:00 …, how a series repeats.
    pub fn repeat(&self, rule: &crate::recurrence::Recurrence, start: DateTime) -> String {
        format!("{} {}", self.repeat_days(rule), hhmm(start))
    }

    /// 每周五 / 每月第 3 个周四 …, the days a series meets.
    pub fn repeat_days(&self, rule: &crate::recurrence::Recurrence) -> String {
        use crate::recurrence::{DayRule, Frequency};
        let n = i64::from(rule.interval);
        let every = match (rule.frequency, rule.interval) {
            (Frequency::Weekly, 1) => self.every_week.clone(),
            (Frequency::Weekly, _) => fill(&self.every_n_weeks, &[("n", n)]),
            (Frequency::Monthly, 1) => self.every_month.clone(),
            (Frequency::Monthly, _) => fill(&self.every_n_months, &[("n", n)]),
        };
        let day = match rule.day {
            DayRule::Weekday(w) => self.weekday(w).to_string(),
            DayRule::MonthDay(d) => fill(&self.month_day, &[("day", d.into())]),
            DayRule::NthWeekday { nth: -1, weekday } => self
                .last_weekday
                .replace("{weekday}", self.weekday(weekday)),
            DayRule::NthWeekday { nth, weekday } => fill(&self.nth_weekday, &[("n", nth.into())])
                .replace("{weekday}", self.weekday(weekday)),
        };
        format!("{every}{day}")
    }
}

/// `text` with each `{name}` replaced by its number.
fn fill(text: &str, values: &[(&str, i64)]) -> String {
    values.iter().fold(text.to_string(), |t, (name, v)| {
        t.replace(&format!("{{{name}}}"), &v.to_string())
    })
}

pub fn iso_date(d: Date) -> String {
    d.strftime("%Y-%m-%d").to_string()
}

pub fn iso_local(t: DateTime) -> String {
    t.strftime("%Y-%m-%dT%H:%M").to_string()
}

pub fn hhmm(t: DateTime) -> String {
    t.strftime("%H:%M").to_string()
}

pub fn month_key(d: Date) -> String {
    d.strftime("%Y-%m").to_string()
}

/// A file's size as Windows shows it to Chinese readers: binary units, KB whole, MB and
/// GB with one decimal below 100, never "1024 KB" (rounding moves up a unit).
pub fn size_human(bytes: u64) -> String {
    const UNITS: [&str; 3] = ["KB", "MB", "GB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    // 1023.5 and above would print as 1024.
    while unit + 1 < UNITS.len() && value >= 1023.5 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 || value >= 99.95 {
        format!("{:.0} {}", value.max(1.0), UNITS[unit])
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// The type of a file as readers name it, from its extension: office documents by
/// their program (what Chinese offices call them), any other file by its extension.
pub fn file_kind(ext: &str) -> String {
    match ext.to_ascii_lowercase().as_str() {
        "doc" | "docx" => "Word".to_string(),
        "ppt" | "pptx" => "PPT".to_string(),
        "xls" | "xlsx" => "Excel".to_string(),
        "" => "文件".to_string(),
        other => other.to_ascii_uppercase(),
    }
}

/// "1.5" for 1.5 学时, "4" for 4.0.
pub fn hours(h: f64) -> String {
    if (h - h.round()).abs() < 1e-9 {
        format!("{}", h.round() as i64)
    } else {
        format!("{}", (h * 10.0).round() / 10.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words() -> DateWords {
        let theme = crate::render::Theme::load(
            std::path::Path::new("/nonexistent"),
            &crate::config::Config::default(),
        )
        .expect("the default theme loads");
        DateWords::new(|k| theme.ui.get(k).map_or("", String::as_str))
    }

    #[test]
    fn dates_read_the_chinese_way() {
        let w = words();
        let d = Date::new(2026, 3, 15).unwrap();
        assert_eq!(w.date_weekday(d), "2026年3月15日 周日");
        assert_eq!(w.date(d), "2026年3月15日");
        let s = d.at(9, 0, 0, 0);
        let e = d.at(11, 30, 0, 0);
        assert_eq!(w.time_range(s, e), "09:00–11:30");
        let next_day = Date::new(2026, 3, 16).unwrap().at(1, 0, 0, 0);
        assert_eq!(w.time_range(s, next_day), "09:00–2026年3月16日 01:00");
        assert_eq!(w.month(2026, 3), "2026年3月");
        assert_eq!(w.weekday_short_date(d), "周日 3月15日");
    }

    #[test]
    fn sizes_and_hours() {
        assert_eq!(size_human(500), "500 B");
        assert_eq!(size_human(2048), "2 KB");
        assert_eq!(size_human(1_300_000), "1.2 MB");
        assert_eq!(size_human(1023 * 1024 + 1000), "1.0 MB");
        assert_eq!(size_human(150 * 1024 * 1024), "150 MB");
        assert_eq!(size_human(3 * 1024 * 1024 * 1024 / 2), "1.5 GB");
        assert_eq!(file_kind("pdf"), "PDF");
        assert_eq!(file_kind("PPTX"), "PPT");
        assert_eq!(file_kind("docx"), "Word");
        assert_eq!(file_kind("mp4"), "MP4");
        assert_eq!(hours(4.0), "4");
        assert_eq!(hours(1.5), "1.5");
    }
}
