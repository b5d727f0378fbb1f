//! Dates, times and sizes the Chinese way: 2026年3月15日 周日, 09:00–11:30, 1.2 MB.

use jiff::civil::{Date, DateTime, Weekday};

pub fn weekday_zh(w: Weekday) -> &'static str {
    match w {
        Weekday::Monday => "周一",
        Weekday::Tuesday => "周二",
        Weekday::Wednesday => "周三",
        Weekday::Thursday => "周四",
        Weekday::Friday => "周五",
        Weekday::Saturday => "周六",
        Weekday::Sunday => "周日",
    }
}

/// 2026年3月15日 周日
pub fn date_zh(d: Date) -> String {
    format!(
        "{}年{}月{}日 {}",
        d.year(),
        d.month(),
        d.day(),
        weekday_zh(d.weekday())
    )
}

/// 2026年3月15日 (no weekday), for publication dates.
pub fn date_zh_short(d: Date) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
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

/// 09:00–11:30, or with the end date when the event runs past midnight.
pub fn time_range_zh(start: DateTime, end: DateTime) -> String {
    if start.date() == end.date() {
        format!("{}–{}", hhmm(start), hhmm(end))
    } else {
        format!(
            "{}–{} {}",
            hhmm(start),
            date_zh_short(end.date()),
            hhmm(end)
        )
    }
}

pub fn month_key(d: Date) -> String {
    d.strftime("%Y-%m").to_string()
}

pub fn month_zh(d: Date) -> String {
    format!("{}年{}月", d.year(), d.month())
}

pub fn size_human(bytes: u64) -> String {
    const KB: f64 = 1024.0;
    let b = bytes as f64;
    if b < KB {
        format!("{bytes} B")
    } else if b < KB * KB {
        format!("{:.0} KB", (b / KB).max(1.0))
    } else {
        format!("{:.1} MB", b / KB / KB)
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

    #[test]
    fn dates_read_the_chinese_way() {
        let d = Date::new(2026, 3, 15).unwrap();
        assert_eq!(date_zh(d), "2026年3月15日 周日");
        let s = d.at(9, 0, 0, 0);
        let e = d.at(11, 30, 0, 0);
        assert_eq!(time_range_zh(s, e), "09:00–11:30");
        assert_eq!(month_zh(d), "2026年3月");
    }

    #[test]
    fn sizes_and_hours() {
        assert_eq!(size_human(500), "500 B");
        assert_eq!(size_human(2048), "2 KB");
        assert_eq!(size_human(1_300_000), "1.2 MB");
        assert_eq!(hours(4.0), "4");
        assert_eq!(hours(1.5), "1.5");
    }
}
