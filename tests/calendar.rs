//! The lecture calendars as a real iCalendar parser sees them (Python's `icalendar`, via
//! tests/ics/check_ics.py): every file parses, events match the content, output is
//! reproducible.

mod common;

use std::path::Path;
use std::process::Command;

use common::{BIN, Site, repo, snapshot, stderr};

/// Runs the checker on one file; `None` when Python's icalendar is not installed
/// (outside CI only: under CI that is a failure).
fn check(ics: &Path) -> Option<serde_json::Value> {
    let o = Command::new("python3")
        .arg(repo().join("tests/ics/check_ics.py"))
        .arg(ics)
        .output()
        .expect("python3");
    if o.status.code() == Some(3) {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install Python's icalendar (pip install icalendar)"
        );
        eprintln!("SKIPPED: Python's icalendar is not installed");
        return None;
    }
    assert!(
        o.status.success(),
        "{} is not valid iCalendar:\n{}",
        ics.display(),
        String::from_utf8_lossy(&o.stderr)
    );
    Some(serde_json::from_slice(&o.stdout).expect("checker prints JSON"))
}

fn build_sample(out: &Path) {
    let o = Command::new(BIN)
        .args(["build", "--root"])
        .arg(repo())
        .arg("--output")
        .arg(out)
        .args(["--now", "2026-11-28 10:00"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn every_calendar_of_the_sample_site_parses_and_matches_the_content() {
    let tmp = tempfile::tempdir().unwrap();
    let public = tmp.path().join("public");
    build_sample(&public);
    let lectures = std::fs::read_dir(repo().join("content/lectures"))
        .unwrap()
        .flatten()
        .filter(|e| {
            e.file_name().to_string_lossy().ends_with(".md") && e.file_name() != "_index.md"
        })
        .count();
    let Some(all) = check(&public.join("lectures/calendar.ics")) else {
        return;
    };
    let events = all["events"].as_array().unwrap();
    let (events, own): (Vec<_>, Vec<_>) = events.iter().partition(|e| e["recurrence_id"].is_null());
    assert_eq!(events.len(), lectures, "one VEVENT per lecture file");
    assert!(
        own.iter().all(|o| events
            .iter()
            .any(|e| e["uid"] == o["uid"] && !e["rrule"].is_null())),
        "a session told apart belongs to a series"
    );
    assert!(
        events
            .iter()
            .all(|e| e["dtstart"]["tzid"] == "Asia/Shanghai")
    );
    assert!(
        events.iter().any(|e| e["status"] == "CANCELLED"),
        "cancelled lectures stay, marked CANCELLED"
    );
    let series: Vec<_> = events.iter().filter(|e| !e["rrule"].is_null()).collect();
    assert!(
        series.len() >= 2,
        "the weekly and monthly series carry RRULEs"
    );
    for e in &series {
        let occ = e["occurrences"].as_u64().unwrap_or(0);
        assert!(occ > 1, "series {} expands to {occ}", e["summary"]);
    }
    let mut files = 0;
    for (path, _) in snapshot(&public) {
        if path.ends_with(".ics") {
            check(&public.join(&path));
            files += 1;
        }
    }
    assert!(
        files > lectures,
        "per-lecture and per-series calendars exist ({files} files)"
    );
}

#[test]
fn weekly_series_expands_with_its_exceptions() {
    let site = Site::new(&[(
        "content/lectures/zhou-zhou-xue.md",
        "---\ntitle: 周周学\nseries: 周周学\nstart: \"2026-03-06 15:00\"\nduration: 90\nlocation: 市民之家三楼会议室，东侧第二间（请提前十分钟到场签到，携带笔记本）\nrepeat: {every: week, until: \"2026-04-24\", except: [\"2026-04-03\"]}\n---\n",
    )]);
    let o = site.build(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let Some(cal) = check(&site.public().join("lectures/zhou-zhou-xue/event.ics")) else {
        return;
    };
    let e = &cal["events"][0];
    assert!(e["rrule"].as_str().unwrap().contains("FREQ=WEEKLY"));
    assert_eq!(e["exdates"].as_array().unwrap().len(), 1);
    if let Some(n) = e["occurrences"].as_u64() {
        assert_eq!(n, 7, "8 Fridays from 6 March to 24 April, less one");
    }
    // The long Chinese location is folded without splitting a character (the checker
    // rejects lines over 75 octets and broken UTF-8), and lines end in CRLF.
    let raw = std::fs::read(site.public().join("lectures/zhou-zhou-xue/event.ics")).unwrap();
    assert!(
        raw.windows(3).any(|w| w == b"\r\n "),
        "long lines are folded"
    );
    // The lecture's page lists every session, the 3 April one left out; the schedule
    // shows the series' sessions to come as one card beside the past one.
    let page =
        std::fs::read_to_string(site.public().join("lectures/zhou-zhou-xue/index.html")).unwrap();
    let mut days: Vec<&str> = page
        .split("datetime=\"")
        .skip(1)
        .filter_map(|s| s.get(..16))
        .filter(|d| d.ends_with("T15:00"))
        .collect();
    days.sort_unstable();
    days.dedup();
    let expected = [
        "03-06", "03-13", "03-20", "03-27", "04-10", "04-17", "04-24",
    ]
    .map(|d| format!("2026-{d}T15:00"));
    assert_eq!(days, expected, "the sessions on the lecture's page");
    let schedule = std::fs::read_to_string(site.public().join("lectures/index.html")).unwrap();
    let cards = schedule
        .matches("href=\"/lectures/zhou-zhou-xue/\"")
        .count();
    assert_eq!(
        cards, 2,
        "one card for the past session, one for those to come"
    );
}

/// A series whose sessions name their own speakers and topics: each such session is
/// an event of its own (the series' UID, RECURRENCE-ID), titled with its topic and
/// describing its speaker, and the series still has as many sessions as its rule.
#[test]
fn a_session_with_its_own_speaker_is_its_own_event() {
    let site = Site::new(&[(
        "content/lectures/lun-jiang.md",
        "---\ntitle: 大讲堂轮讲\nseries: 随州大讲堂\nstart: \"2026-12-17 15:00\"\nend: \"2026-12-17 17:00\"\nspeaker: 市委组织部\nrepeat: {every: month, week_of_month: 3, weekday: 周四, count: 3}\nsessions:\n  - date: 2027-01-21\n    speaker: 张海涛\n    speaker_title: 市数据局局长\n    unit: 市数据局\n    topic: 用数据改进决策和服务\n---\n",
    )]);
    let o = site.build(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let Some(cal) = check(&site.public().join("lectures/lun-jiang/event.ics")) else {
        return;
    };
    let events = cal["events"].as_array().unwrap();
    assert_eq!(events.len(), 2, "{events:#?}");
    let (series, own) = (&events[0], &events[1]);
    assert_eq!(own["uid"], series["uid"]);
    assert_eq!(own["recurrence_id"], "2027-01-21T15:00:00+08:00");
    assert_eq!(own["dtstart"]["value"], "2027-01-21T15:00:00+08:00");
    assert_eq!(own["summary"], "大讲堂轮讲：用数据改进决策和服务");
    let description = own["description"].as_str().unwrap();
    assert!(
        description.contains("主讲：张海涛（市数据局局长）"),
        "{description}"
    );
    assert!(description.contains("主讲单位：市数据局"), "{description}");
    assert!(own["rrule"].is_null());
    assert_eq!(series["summary"], "大讲堂轮讲");
    assert!(
        series["description"]
            .as_str()
            .unwrap()
            .contains("主讲：市委组织部")
    );
    if let Some(n) = series["occurrences"].as_u64() {
        assert_eq!(n, 3, "the session told apart replaces one, adds none");
    }
}

#[test]
fn two_builds_of_the_same_content_are_byte_identical() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    build_sample(&a.path().join("p"));
    build_sample(&b.path().join("p"));
    let (sa, sb) = (snapshot(&a.path().join("p")), snapshot(&b.path().join("p")));
    assert_eq!(sa.keys().collect::<Vec<_>>(), sb.keys().collect::<Vec<_>>());
    for (k, v) in &sa {
        assert!(sb[k] == *v, "{k} differs between two builds");
    }
}

#[test]
fn with_an_absolute_base_url_every_event_links_back_to_its_lecture_page() {
    let tmp = tempfile::tempdir().unwrap();
    let public = tmp.path().join("public");
    let base = "https://px.example.gov.cn/training/";
    let o = Command::new(BIN)
        .args(["build", "--root"])
        .arg(repo())
        .arg("--output")
        .arg(&public)
        .args(["--now", "2026-11-28 10:00", "--base-url", base])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let Some(all) = check(&public.join("lectures/calendar.ics")) else {
        return;
    };
    let events = all["events"].as_array().unwrap();
    assert!(!events.is_empty());
    for e in events {
        let url = e["url"].as_str().unwrap_or_default();
        let rel = url
            .strip_prefix(base)
            .unwrap_or_else(|| panic!("{} has URL {url:?}", e["summary"]));
        let page = std::fs::read_to_string(public.join(rel).join("index.html"))
            .unwrap_or_else(|_| panic!("{url} is no page of the site"));
        // The lecture page's title is the event's, less a 【已取消】-style mark and,
        // for a session with a topic of its own, the topic after "：".
        let summary = e["summary"].as_str().unwrap_or_default();
        let title = summary.rsplit('】').next().unwrap_or(summary);
        let title = match e["recurrence_id"].is_null() {
            true => title,
            false => title.split_once('：').map_or(title, |(t, _)| t),
        };
        assert!(
            page.contains(&format!("<h1>{title}</h1>")),
            "{url} is not the page of {summary}"
        );
        let description = e["description"].as_str().unwrap_or_default();
        assert!(
            description.contains(url),
            "the description of {summary} lacks the page link: {description}"
        );
    }
}
