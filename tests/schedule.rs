//! The lecture schedule at a fixed "now": upcoming first, this week marked, past grouped
//! by month, the month grid and its links, and the schedule's own checks.

mod common;

use common::{Site, stderr};

fn lecture(title: &str, start: &str, place: &str) -> String {
    format!(
        "---\ntitle: {title}\nseries: 周周学\nstart: \"{start}\"\nduration: 90\nlocation: {place}\n---\n\n正文。\n"
    )
}

fn site() -> Site {
    let files = [
        (
            "content/lectures/a.md",
            lecture("二月讲座", "2026-02-10 15:00", "一号楼"),
        ),
        (
            "content/lectures/b.md",
            lecture("本周一讲座", "2026-03-09 15:00", "二号楼"),
        ),
        (
            "content/lectures/c.md",
            lecture("本周四讲座", "2026-03-12 15:00", "三号楼"),
        ),
        (
            "content/lectures/d.md",
            lecture("下周讲座", "2026-03-20 15:00", "四号楼"),
        ),
    ];
    let owned: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
    Site::new(&owned)
}

fn section<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let a = html.find(start).unwrap_or_else(|| panic!("no {start}"));
    let b = html[a..].find(end).map_or(html.len(), |b| a + b);
    &html[a..b]
}

#[test]
fn upcoming_this_week_and_past_are_split_at_the_given_now() {
    let site = site();
    let o = site.build(&[]); // --now 2026-03-10 10:00, a Tuesday
    assert!(o.status.success(), "{}", stderr(&o));
    let html = std::fs::read_to_string(site.public().join("lectures/index.html")).unwrap();
    let upcoming = section(&html, "schedule-upcoming", "schedule-past");
    let past = section(&html, "schedule-past", "</main>");
    assert!(
        upcoming.contains("本周四讲座") && upcoming.contains("下周讲座"),
        "{upcoming}"
    );
    assert!(!upcoming.contains("二月讲座") && !upcoming.contains("本周一讲座"));
    assert!(past.contains("二月讲座") && past.contains("本周一讲座"));
    assert!(
        upcoming.find("本周四讲座") < upcoming.find("下周讲座"),
        "soonest first"
    );
    assert!(
        past.find("2026年3月") < past.find("2026年2月"),
        "newest month first"
    );
    // This week is marked on the Thursday lecture, not on next week's.
    let card = |title: &str| {
        upcoming
            .split("<li")
            .find(|c| c.contains(title))
            .unwrap_or_default()
            .to_string()
    };
    assert!(card("本周四讲座").contains("is-this-week"));
    assert!(!card("下周讲座").contains("is-this-week"));
    // Each card carries its times so the browser can correct the split later.
    assert!(html.contains("data-start=\"2026-03-12T15:00\""));
    assert!(html.contains("2026年3月12日 周四"));
    assert!(html.contains("15:00–16:30"));
}

#[test]
fn month_grid_lists_sessions_on_their_days_and_links_neighbouring_months() {
    let site = site();
    assert!(site.build(&[]).status.success());
    let march = std::fs::read_to_string(site.public().join("lectures/2026-03/index.html")).unwrap();
    assert!(march.contains("本周四讲座") && march.contains("下周讲座"));
    assert!(!march.contains("二月讲座"));
    assert!(
        march.contains("href=\"/lectures/2026-02/\""),
        "link to the previous month"
    );
    assert!(
        !march.contains("href=\"/lectures/2026-04/\""),
        "no month after the last session"
    );
    let feb = std::fs::read_to_string(site.public().join("lectures/2026-02/index.html")).unwrap();
    assert!(feb.contains("href=\"/lectures/2026-03/\""));
    let schedule = std::fs::read_to_string(site.public().join("lectures/index.html")).unwrap();
    assert!(
        schedule.contains("href=\"/lectures/2026-03/\""),
        "the schedule links the current month"
    );
}

#[test]
fn two_lectures_in_one_room_at_once_is_a_warning() {
    let site = site();
    site.write(
        "content/lectures/e.md",
        lecture("冲突讲座", "2026-03-12 16:00", "三号楼").as_bytes(),
    );
    let o = site.build(&[]);
    assert!(o.status.success(), "a warning does not fail the build");
    let err = stderr(&o);
    assert!(err.contains("content/lectures/e.md:4:8: 警告"), "{err}");
    assert!(err.contains("三号楼"));
}

#[test]
fn a_start_without_a_time_is_explained() {
    let site = site();
    site.write(
        "content/lectures/e.md",
        "---\ntitle: 讲座\nstart: 2026-03-12\n---\n".as_bytes(),
    );
    let o = site.build(&[]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("content/lectures/e.md:3:8"), "{err}");
    assert!(err.contains("缺少几点几分"), "{err}");
}

#[test]
fn a_lecture_without_series_and_a_weekly_series_render() {
    let site = site();
    site.write(
        "content/lectures/e.md",
        "---\ntitle: 无系列讲座\nstart: \"2026-03-13 09:00\"\n---\n".as_bytes(),
    );
    site.write(
        "content/lectures/f.md",
        "---\ntitle: 每周学习\nseries: 周周学\nstart: \"2026-03-06 15:00\"\nrepeat: {every: week, count: 4}\n---\n".as_bytes(),
    );
    let o = site.build(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let page = std::fs::read_to_string(site.public().join("lectures/f/index.html")).unwrap();
    assert!(page.contains("每周五 15:00"), "the rule is spelled out");
    assert!(!page.contains("每周周五"), "the weekday is not doubled");
    assert_eq!(
        page.matches("<li data-session-end=\"").count(),
        4,
        "every session listed"
    );
}

#[test]
fn subscribe_links_are_offered_only_with_an_absolute_base_url() {
    let site = site();
    assert!(
        site.build(&["--base-url", "https://edu.example.gov.cn/training/"])
            .status
            .success()
    );
    let html = std::fs::read_to_string(site.public().join("lectures/index.html")).unwrap();
    assert!(html.contains("href=\"webcal://edu.example.gov.cn/training/lectures/calendar.ics\""));
    assert!(html.contains("https://edu.example.gov.cn/training/lectures/calendar.ics"));
    assert!(site.build(&[]).status.success());
    let html = std::fs::read_to_string(site.public().join("lectures/index.html")).unwrap();
    assert!(!html.contains("webcal://"));
    assert!(
        html.contains("download>下载日历文件</a>"),
        "without an absolute base_url the calendar is offered as a file to download"
    );
    assert!(
        !html.contains("base_url") && !html.contains("site.yaml"),
        "readers are not told how to configure the site"
    );
}

#[test]
fn the_schedule_keeps_three_months_and_years_list_the_older_months() {
    let site = site();
    // In May: February's lecture is older than March, April and May; March's stay.
    let o = std::process::Command::new(common::BIN)
        .args(["build", "--now", "2026-05-20 10:00", "--root"])
        .arg(site.root())
        .output()
        .expect("run jiangtang");
    assert!(o.status.success(), "{}", stderr(&o));
    let read = |rel: &str| std::fs::read_to_string(site.public().join(rel)).unwrap();
    let html = read("lectures/index.html");
    let past = section(&html, "schedule-past", "</main>");
    assert!(!past.contains("二月讲座"), "{past}");
    for title in ["本周一讲座", "本周四讲座", "下周讲座"] {
        assert!(past.contains(title), "{title}: {past}");
    }
    let archive = section(&html, "schedule-archive", "</nav>");
    assert!(archive.contains("更早的 1 场讲座"), "{archive}");
    assert!(
        archive.contains(
            "<a href=\"/lectures/2026/\">2026年讲座</a> <span class=\"count\">4 场</span>"
        ),
        "{archive}"
    );
    // Without JavaScript: the year lists its months with counts, February's page its
    // lecture.
    let year = read("lectures/2026/index.html");
    assert!(
        year.contains(
            "<a href=\"/lectures/2026-02/\">2026年2月</a> <span class=\"count\">1 场</span>"
        ),
        "{year}"
    );
    assert!(
        year.contains(
            "<a href=\"/lectures/2026-03/\">2026年3月</a> <span class=\"count\">3 场</span>"
        ),
        "{year}"
    );
    assert!(
        year.find("2026年5月") < year.find("2026年2月"),
        "newest first"
    );
    assert!(read("lectures/2026-02/index.html").contains("/lectures/a/"));
    assert!(read("sitemap.xml").contains("/lectures/2026/"));
}
