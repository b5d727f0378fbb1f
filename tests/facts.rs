//! What a cadre reads on a page, checked against the Markdown it came from: the test
//! reads each source file's front matter itself (not the model, not the template data)
//! and looks for its facts in the published HTML, on the page and on the card that
//! lists it (the catalogue, the schedule, the case library).
//!
//! `JIANGTANG_BIN` names another build of the binary to check (an older revision, say);
//! by default the test checks the one cargo built.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{BIN, Site, repo, stderr};
use jiff::Span;
use jiff::civil::{Date, DateTime, Weekday};
use serde_yaml_ng::{Mapping, Value};

const NOW: &str = "2026-12-07 09:00";

fn bin() -> PathBuf {
    std::env::var_os("JIANGTANG_BIN").map_or_else(|| PathBuf::from(BIN), PathBuf::from)
}

fn build(root: &Path, out: &Path) {
    let o = Command::new(bin())
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out)
        .args(["--now", NOW])
        .output()
        .expect("run jiangtang");
    assert!(o.status.success(), "build failed:\n{}", stderr(&o));
}

fn now() -> DateTime {
    datetime(NOW)
}

/// The first day of the oldest month whose past sessions the schedule still shows.
fn recent_from() -> Date {
    let first = now().date().first_of_month();
    first.checked_sub(Span::new().months(2)).expect("a date")
}

// ---------------------------------------------------------------------------------
// Tests

#[test]
fn the_sample_site_shows_what_its_sources_say() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("public");
    build(&repo(), &out);
    check_site(&repo(), &out);
}

/// The benchmark corpus: hundreds of lectures whose `date:` (the day the file was
/// written) differs from their `start:`, and courses of up to 25 lessons.
#[test]
fn a_generated_corpus_of_1000_pages_shows_what_its_sources_say() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let root = tmp.path().join("corpus");
    common::generated_corpus(1000, 42, &root);
    let out = tmp.path().join("public");
    build(&root, &out);
    check_site(&root, &out);
}

/// `jiangtang new lecture` writes `date:` with the day the file was made; the page must
/// still show the day the lecture starts.
#[test]
fn a_lecture_with_a_date_key_shows_its_start_not_that_date() {
    let site = Site::new(&[(
        "content/lectures/jiang-zuo.md",
        "---\ntitle: 测试讲座\ndate: 2026-12-07\nseries: 周周学\nstart: \"2027-01-14 15:00\"\nend: \"2027-01-14 17:00\"\n---\n\n讲座。\n",
    )]);
    let out = site.public();
    build(site.root(), &out);
    let html = std::fs::read_to_string(out.join("lectures/jiang-zuo/index.html")).expect("page");
    let shown = fact(&html, "时间").expect("时间 on the page");
    assert_eq!(shown, "2027年1月14日 周四 15:00–17:00");
}

/// A count of lessons says 课: 课时 ("class hours") beside 学时 reads as a second
/// measure of hours. The home page's total is the sources' published lessons.
#[test]
fn lesson_counts_say_ke_and_hours_say_xueshi() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("public");
    build(&repo(), &out);
    let site = Built {
        root: repo(),
        out: out.clone(),
        base: base_path(&repo()),
    };
    let lessons = site
        .sources("courses")
        .iter()
        .filter(|(p, _)| !p.ends_with("index.md"))
        .count();
    let home = text(&site.page("/").expect("the home page"));
    assert!(
        home.contains(&format!("{lessons} 课")),
        "the home page does not count {lessons} 课"
    );
    let mut said = Vec::new();
    for e in walkdir::WalkDir::new(&out)
        .into_iter()
        .filter_map(Result::ok)
    {
        let path = e.path();
        // The editors' guide names the kind of file, not a count.
        let for_editors = path
            .strip_prefix(&out)
            .is_ok_and(|p| p.starts_with("guide"));
        if path.extension().is_some_and(|x| x == "html") && !for_editors {
            let html = std::fs::read_to_string(path).expect("read a page");
            if text(&html).contains("课时") {
                said.push(
                    path.strip_prefix(&out)
                        .unwrap_or(path)
                        .display()
                        .to_string(),
                );
            }
        }
    }
    assert!(said.is_empty(), "pages that say 课时: {said:?}");
}

/// Whether a lecture is to come or over is the build's to say (the course page lists
/// its lectures with dates); a page's text that says so by hand goes stale.
#[test]
fn no_sample_text_says_by_hand_whether_a_lecture_is_to_come() {
    let mut stale = Vec::new();
    for e in walkdir::WalkDir::new(repo().join("content"))
        .into_iter()
        .filter_map(Result::ok)
    {
        let path = e.path();
        if path.extension().is_none_or(|x| x != "md")
            || path.starts_with(repo().join("content/guide"))
        {
            continue;
        }
        let md = std::fs::read_to_string(path).expect("read a source");
        for (n, line) in md.lines().enumerate() {
            let names_lecture = line.contains("lectures/");
            let says_when = ["即将举办", "已举办", "即将开始", "已结束", "计划中"]
                .iter()
                .any(|w| line.contains(w));
            if names_lecture && says_when {
                stale.push(format!("{}:{}: {line}", path.display(), n + 1));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "text that goes stale:\n{}",
        stale.join("\n")
    );
}

/// Every check of every kind; all problems are reported together.
fn check_site(root: &Path, out: &Path) {
    let site = Built {
        root: root.to_path_buf(),
        out: out.to_path_buf(),
        base: base_path(root),
    };
    let mut report = Report::default();
    lectures(&site, &mut report);
    courses_and_lessons(&site, &mut report);
    cases(&site, &mut report);
    eprintln!("{}: checked {:?}", root.display(), report.checked);
    for kind in ["lecture", "course", "lesson", "case"] {
        assert!(
            report.checked.get(kind).is_some_and(|&n| n > 0),
            "no {kind} checked: {:?}",
            report.checked
        );
    }
    let shown: Vec<&str> = report
        .problems
        .iter()
        .take(40)
        .map(String::as_str)
        .collect();
    assert!(
        report.problems.is_empty(),
        "{} facts wrong or missing (first {}):\n{}",
        report.problems.len(),
        shown.len(),
        shown.join("\n")
    );
}

#[derive(Default)]
struct Report {
    /// Source files checked, by kind.
    checked: BTreeMap<&'static str, usize>,
    problems: Vec<String>,
}

impl Report {
    fn count(&mut self, kind: &'static str) {
        *self.checked.entry(kind).or_default() += 1;
    }

    /// `shown` must be `expected`.
    fn same(&mut self, at: &str, label: &str, shown: Option<String>, expected: &str) {
        if shown.as_deref() != Some(expected) {
            self.problems
                .push(format!("{at}: {label} is {shown:?}, expected {expected:?}"));
        }
    }

    /// `shown` must contain `expected`.
    fn has(&mut self, at: &str, label: &str, shown: Option<&str>, expected: &str) {
        if !shown.is_some_and(|s| s.contains(expected)) {
            // Long texts (a whole header) are cut: their start says enough.
            let shown = shown.map(|s| s.chars().take(100).collect::<String>());
            self.problems.push(format!(
                "{at}: {label} is {shown:?}, expected it to show {expected:?}"
            ));
        }
    }
}

// ---------------------------------------------------------------------------------
// Lectures

/// What a lecture's front matter says about it.
struct Lecture {
    location: Option<String>,
    speaker: Option<String>,
    speaker_title: Option<String>,
    status: Option<&'static str>,
    /// Whether it is a series (has `repeat:`).
    repeats: bool,
    sessions: Vec<(DateTime, DateTime)>,
    /// The `sessions:` of a series: each named date's own speaker, title and topic.
    own: BTreeMap<Date, Own>,
}

/// One session's own values, as its `sessions:` item gives them.
struct Own {
    speaker: Option<String>,
    speaker_title: Option<String>,
    topic: Option<String>,
}

impl Lecture {
    fn read(m: &Mapping) -> Lecture {
        let start = datetime(string(m, "start").expect("a lecture has a start"));
        let end = match (string(m, "end"), m.get("duration").and_then(Value::as_i64)) {
            // `end` may be a time alone, on the day of the start.
            (Some(e), _) if e.len() <= 5 => datetime(&format!("{} {e}", start.date())),
            (Some(e), _) => datetime(e),
            (None, Some(minutes)) => start + Span::new().minutes(minutes),
            (None, None) => start + Span::new().hours(2),
        };
        let status = match string(m, "status") {
            Some("postponed" | "已延期" | "延期") => Some("已延期"),
            Some("cancelled" | "canceled" | "已取消" | "取消") => Some("已取消"),
            _ => None,
        };
        let length = end - start;
        let sessions = match m.get("repeat") {
            None => vec![(start, end)],
            Some(rule) => session_days(rule, start.date())
                .into_iter()
                .map(|d| {
                    let s = d.to_datetime(start.time());
                    (s, s + length)
                })
                .collect(),
        };
        Lecture {
            location: string(m, "location").map(str::to_string),
            speaker: string(m, "speaker").map(str::to_string),
            speaker_title: string(m, "speaker_title").map(str::to_string),
            status,
            repeats: m.contains_key("repeat"),
            sessions,
            own: m
                .get("sessions")
                .and_then(Value::as_sequence)
                .into_iter()
                .flatten()
                .filter_map(Value::as_mapping)
                .map(|item| {
                    let text = |k: &str| string(item, k).map(str::to_string);
                    let day = date(string(item, "date").expect("a session names its date"));
                    let own = Own {
                        speaker: text("speaker"),
                        speaker_title: text("speaker_title"),
                        topic: text("topic"),
                    };
                    (day, own)
                })
                .collect(),
        }
    }

    /// Who speaks at the session on `day`, with what title: the session's own
    /// speaker (and that speaker's title) when `sessions:` names one.
    fn speaker_on(&self, day: Date) -> (Option<&str>, Option<&str>) {
        match self.own.get(&day).filter(|o| o.speaker.is_some()) {
            Some(o) => (o.speaker.as_deref(), o.speaker_title.as_deref()),
            None => (self.speaker.as_deref(), self.speaker_title.as_deref()),
        }
    }

    fn topic_on(&self, day: Date) -> Option<&str> {
        self.own.get(&day).and_then(|o| o.topic.as_deref())
    }

    /// The session a page leads with: the next one, or the last when all are over.
    fn next_session(&self) -> (DateTime, DateTime) {
        let upcoming = self.sessions.iter().find(|(_, end)| *end >= now());
        *upcoming
            .or(self.sessions.last())
            .expect("a lecture has a session")
    }
}

/// Each lecture page (date with weekday and time, place, speaker with title, status,
/// every session of a series) and its cards on the schedule, one per session.
fn lectures(site: &Built, report: &mut Report) {
    let schedule = site.page("/lectures/").expect("the schedule is published");
    for (path, m) in site.sources("lectures") {
        let url = format!("/lectures/{}/", slug(&m, &path));
        let l = Lecture::read(&m);
        report.count("lecture");
        let Some(html) = site.page(&url) else {
            report.problems.push(format!("{url}: no page"));
            continue;
        };
        let head = header(&html);
        let (start, end) = l.next_session();
        let time = fact(head, "时间");
        report.has(&url, "时间", time.as_deref(), &when_zh(start, end));
        if l.repeats {
            if end >= now() {
                report.has(&url, "时间 of a series", time.as_deref(), "下次");
            }
            let all = text(&html);
            for &(s, e) in &l.sessions {
                let when = when_zh(s, e);
                if !all.contains(&when) {
                    report
                        .problems
                        .push(format!("{url}: the session {when} is not listed"));
                }
            }
            own_sessions(report, &url, &html, &l);
            speakers_sessions(site, report, &url, &html, &l);
            month_sessions(site, report, &url, &l);
            strip_sessions(site, report, &url, &l);
        }
        lecture_facts(report, &url, head, &l, start.date());

        let at = format!("/lectures/ card of {url}");
        let cards = site.items_linking(&schedule, &url);
        // A series shows its sessions to come as one card, its past ones one by one;
        // past sessions before the month two months back are on their month's page.
        let (to_come, past): (Vec<_>, Vec<_>) = l
            .sessions
            .iter()
            .partition(|&&(_, end)| l.repeats && end >= now());
        let (past, older): (Vec<_>, Vec<_>) = past
            .into_iter()
            .partition(|&&(s, e)| e >= now() || s.date() >= recent_from());
        for &(s, _) in older {
            let month = format!("/lectures/{}-{:02}/", s.year(), s.month());
            let html = site.page(&month).unwrap_or_default();
            // A session over several days ends on another day: its start tells it.
            let time = format!("{}–", hm(s));
            if !site
                .items_linking(&html, &url)
                .iter()
                .any(|i| text(i).contains(&time))
            {
                report
                    .problems
                    .push(format!("{month}: no item links {url} at {time}"));
            }
        }
        let expected = past.len() + usize::from(!to_come.is_empty());
        if cards.len() != expected {
            report.problems.push(format!(
                "{at}: {} cards, expected {expected} ({} past sessions, {} to come)",
                cards.len(),
                past.len(),
                to_come.len()
            ));
        }
        if let Some(&&(s, e)) = to_come.first() {
            let next = format!(
                "{} {}–{}，下次 {}月{}日",
                weekday_zh(s.date()),
                hm(s),
                hm(e),
                s.month(),
                s.day()
            );
            match cards.iter().find(|c| text(c).contains(&next)) {
                Some(card) => {
                    lecture_facts(report, &format!("{at}, the series"), card, &l, s.date());
                }
                None => report.problems.push(format!("{at}: no card says {next:?}")),
            }
            // The series' page shows the same card as the schedule.
            let series = string(&m, "series").and_then(|name| {
                let (href, _) = links(&html).into_iter().find(|(_, t)| t == name)?;
                Some((name, site.page(href.strip_prefix(&site.base)?)?))
            });
            if let Some((name, page)) = series {
                let cards = site.items_linking(&page, &url);
                if !cards.iter().any(|c| text(c).contains(&next)) {
                    report.problems.push(format!(
                        "{url}: no card on the page of {name} says {next:?}"
                    ));
                }
            }
        }
        for &(s, e) in past {
            let when = when_zh(s, e);
            match cards.iter().find(|c| text(c).contains(&when)) {
                Some(card) => lecture_facts(report, &format!("{at} on {when}"), card, &l, s.date()),
                None => report
                    .problems
                    .push(format!("{at}: no card shows the session {when}")),
            }
        }
    }
}

/// Place, speaker (with title), topic and status of the session on `day`, on a
/// lecture's page header or card.
fn lecture_facts(report: &mut Report, at: &str, html: &str, l: &Lecture, day: Date) {
    if let Some(place) = &l.location {
        report.same(at, "地点", fact(html, "地点"), place);
    }
    let (speaker, title) = l.speaker_on(day);
    if let Some(speaker) = speaker {
        let shown = fact(html, "主讲人");
        report.has(at, "主讲人", shown.as_deref(), speaker);
        if let Some(title) = title {
            report.has(at, "主讲人", shown.as_deref(), title);
        }
    }
    if let Some(topic) = l.topic_on(day) {
        report.same(at, "题目", fact(html, "题目"), topic);
    }
    let all = text(html);
    match l.status {
        Some(status) => {
            if !all.contains(status) {
                report
                    .problems
                    .push(format!("{at}: does not show {status}"));
            }
        }
        None => {
            for other in ["已延期", "已取消"] {
                if all.contains(other) {
                    report
                        .problems
                        .push(format!("{at}: shows {other}, but the lecture is not"));
                }
            }
        }
    }
}

/// Each session of a series in the page's list of sessions, with its own speaker,
/// title and topic where `sessions:` gives them (else the lecture's speaker).
fn own_sessions(report: &mut Report, url: &str, html: &str, l: &Lecture) {
    for &(s, e) in &l.sessions {
        let when = when_zh(s, e);
        let needle = format!("datetime=\"{}\"", s.strftime("%Y-%m-%dT%H:%M"));
        // The session's item in the list (the header's <time> comes first).
        let item = html
            .match_indices(&needle)
            .map(|(at, _)| at)
            .find_map(|at| {
                let open = html[..at].rfind("<li")?;
                let close = html[at..].find("</li>")? + at;
                Some(text(&html[open..close]))
            });
        let Some(item) = item else {
            report
                .problems
                .push(format!("{url}: no item for the session {when}"));
            continue;
        };
        let (speaker, title) = l.speaker_on(s.date());
        let want = [
            l.topic_on(s.date()),
            l.own.get(&s.date()).and(speaker),
            l.own.get(&s.date()).and(title),
        ];
        for w in want.into_iter().flatten() {
            if !item.contains(w) {
                report.problems.push(format!(
                    "{url}: the session {when} shows {item:?}, not {w:?}"
                ));
            }
        }
    }
}

/// The page of each speaker `sessions:` names (reached by the link on the lecture's
/// page) lists that speaker's own sessions of the series, with their dates and
/// topics, and none given by someone else.
fn speakers_sessions(site: &Built, report: &mut Report, url: &str, html: &str, l: &Lecture) {
    for &(s, e) in &l.sessions {
        let Some(speaker) = l.own.get(&s.date()).and_then(|o| o.speaker.as_deref()) else {
            continue;
        };
        let at = format!("{url}: the page of {speaker}");
        let page = links(html)
            .into_iter()
            .find(|(_, t)| t == speaker)
            .and_then(|(h, _)| site.page(h.strip_prefix(&site.base)?));
        let Some(page) = page else {
            report
                .problems
                .push(format!("{at}: not linked or not published"));
            continue;
        };
        let cards = site.items_linking(&page, url);
        let when = when_zh(s, e);
        let own = cards.iter().find(|c| text(c).contains(&when));
        match (own, l.topic_on(s.date())) {
            (None, _) => report
                .problems
                .push(format!("{at}: no card shows the session {when}")),
            (Some(card), Some(topic)) => report.same(&at, "题目", fact(card, "题目"), topic),
            (Some(_), None) => {}
        }
        for card in cards {
            report.has(&at, "主讲人", fact(card, "主讲人").as_deref(), speaker);
        }
    }
}

/// The month calendar's list of days names, on the day of each session that
/// `sessions:` gives a topic or speaker of its own, that topic and speaker.
fn month_sessions(site: &Built, report: &mut Report, url: &str, l: &Lecture) {
    for (&day, own) in &l.own {
        let month = format!("/lectures/{}/", day.strftime("%Y-%m"));
        let at = format!("{month} on {day}, {url}");
        let Some(html) = site.page(&month) else {
            report.problems.push(format!("{at}: no month page"));
            continue;
        };
        let list = html
            .find("<ol class=\"month-list\"")
            .map_or("", |i| &html[i..]);
        let item = list
            .find(&format!("<time datetime=\"{day}\">"))
            .map(|i| &list[i..])
            .and_then(|rest| Some(&rest[..rest.find("</ul>")?]));
        let Some(item) = item else {
            report.problems.push(format!("{at}: the day is not listed"));
            continue;
        };
        let shown = text(item);
        for want in [&own.topic, &own.speaker].into_iter().flatten() {
            report.has(&at, "the day", Some(&shown), want);
        }
    }
}

/// The home page's 本周 / 下周 strip names a session's own speaker with their title,
/// as every other page does.
fn strip_sessions(site: &Built, report: &mut Report, url: &str, l: &Lecture) {
    let home = site.page("/").expect("the home page is published");
    for item in site.items_linking(&home, url) {
        if !item.starts_with("<li class=\"week-item") {
            continue;
        }
        let own = l.own.iter().find(|(day, _)| {
            item.contains(&format!("<time datetime=\"{}", day.strftime("%Y-%m-%d")))
        });
        let Some((day, own)) = own else { continue };
        if let (Some(speaker), Some(title)) = (&own.speaker, &own.speaker_title) {
            let at = format!("/ strip on {day}, {url}");
            report.has(
                &at,
                "the item",
                Some(&text(item)),
                &format!("{speaker} {title}"),
            );
        }
    }
}

/// The days of a `repeat:` rule, expanded here by its documented meaning (the forms
/// the sources use: weekly or monthly, every n-th, until a date or a count of
/// occurrences counted before `except` dates are taken out, a month's n-th weekday or
/// its day of the month). The first session is the first day of the rule on or after
/// `first`.
fn session_days(rule: &Value, first: Date) -> Vec<Date> {
    let rule = rule.as_mapping().expect("repeat is a mapping");
    let key = |k: &str| rule.get(k);
    let interval = key("interval").and_then(Value::as_i64).unwrap_or(1);
    let until = key("until").and_then(Value::as_str).map(date);
    let count = key("count").and_then(Value::as_u64).map(|n| n as usize);
    assert!(until.is_some() || count.is_some(), "repeat without an end");
    let except: Vec<Date> = match key("except") {
        Some(Value::Sequence(s)) => s.iter().filter_map(Value::as_str).map(date).collect(),
        Some(Value::String(s)) => vec![date(s)],
        _ => Vec::new(),
    };
    let weekday = key("weekday").map(|w| weekday_named(w.as_str().expect("a weekday name")));
    let nth = key("week_of_month").and_then(Value::as_i64);
    let every = key("every")
        .and_then(Value::as_str)
        .expect("repeat has every");
    let monthly = matches!(every, "month" | "monthly" | "每月");

    // The day of the rule in the week or month starting at `from`, if there is one.
    let on = |from: Date| -> Option<Date> {
        if !monthly {
            let w = weekday.unwrap_or(first.weekday());
            return Some(from.nth_weekday(1, w).expect("a day of the week"));
        }
        let month = from.first_of_month();
        match (nth, weekday) {
            (Some(n), Some(w)) => month.nth_weekday_of_month(n as i8, w).ok(),
            _ => Date::new(month.year(), month.month(), first.day()).ok(),
        }
    };
    let step = |from: Date, n: i64| -> Date {
        if monthly {
            from.first_of_month() + Span::new().months(n)
        } else {
            from + Span::new().weeks(n)
        }
    };
    // The week (from the day before `first`) or month in which the series begins.
    let mut period = if monthly {
        first.first_of_month()
    } else {
        first - Span::new().days(1)
    };
    while on(period).is_none_or(|d| d < first) {
        period = step(period, 1);
    }
    let mut days = Vec::new();
    loop {
        if let Some(d) = on(period) {
            if until.is_some_and(|u| d > u) || count.is_some_and(|c| days.len() == c) {
                break;
            }
            days.push(d);
        }
        period = step(period, interval);
    }
    days.retain(|d| !except.contains(d));
    days
}

fn weekday_named(name: &str) -> Weekday {
    let days = ["一", "二", "三", "四", "五", "六", "日"];
    let n = days
        .iter()
        .position(|d| name.ends_with(d))
        .unwrap_or_else(|| panic!("the test reads weekdays written 周一…周日, not {name}"));
    Weekday::from_monday_one_offset(n as i8 + 1).expect("1–7")
}

// ---------------------------------------------------------------------------------
// Courses and lessons

/// Each course page and catalogue card (学时 and the number of lessons, counted as the
/// lesson files in the course's folder), the course page's syllabus (each lesson with
/// its duration), and each lesson page (its duration and its course's title).
fn courses_and_lessons(site: &Built, report: &mut Report) {
    let catalogue = site.list("/courses/").expect("the catalogue is published");
    for (index, m) in site.sources("courses") {
        let Some(folder) = index.parent().filter(|_| index.ends_with("index.md")) else {
            continue;
        };
        let url = format!("/courses/{}/", slug(&m, folder));
        let title = string(&m, "title").expect("a course has a title");
        report.count("course");
        let lessons: Vec<(PathBuf, Mapping)> = site
            .sources_in(folder)
            .into_iter()
            .filter(|(p, _)| !p.ends_with("index.md"))
            .collect();
        let hours = match m.get("hours") {
            Some(Value::Number(n)) => n.as_i64().map_or_else(
                || format!("{}", n.as_f64().expect("a number")),
                |h| h.to_string(),
            ),
            other => panic!("{url}: hours is {other:?}"),
        };
        let count = format!("{} 课", lessons.len());
        let page = site.page(&url);
        let cards = site.items_linking(&catalogue, &url);
        let card_at = format!("/courses/ card of {url}");
        if cards.len() != 1 {
            report
                .problems
                .push(format!("{card_at}: {} cards, expected 1", cards.len()));
        }
        for (at, html) in [(url.as_str(), page.as_deref().map(header))]
            .into_iter()
            .chain(cards.iter().map(|c| (card_at.as_str(), Some(*c))))
        {
            let Some(html) = html else {
                report.problems.push(format!("{at}: no page"));
                continue;
            };
            report.same(at, "学时", fact(html, "学时"), &format!("{hours} 学时"));
            let shown = fact(html, "课数");
            if !shown.as_deref().is_some_and(|s| s.starts_with(&count)) {
                report
                    .problems
                    .push(format!("{at}: 课数 is {shown:?}, expected {count:?} first"));
            }
        }

        for (path, lm) in &lessons {
            let name = path.file_stem().expect("a file name").to_string_lossy();
            let lesson_url = format!("{url}{}/", slug_or(lm, without_order(&name)));
            let minutes = lm.get("duration").and_then(Value::as_u64);
            report.count("lesson");
            // The syllabus lists the lesson (the course's text may link it too).
            let items = page.as_deref().map(|p| site.items_linking(p, &lesson_url));
            let items = items.unwrap_or_default();
            let duration = minutes.map(|d| format!("{d} 分钟"));
            if !items
                .iter()
                .any(|i| duration.as_ref().is_none_or(|d| text(i).contains(d)))
            {
                report.problems.push(format!(
                    "{url}: no syllabus item for {lesson_url} showing {duration:?}"
                ));
            }
            let Some(html) = site.page(&lesson_url) else {
                report.problems.push(format!("{lesson_url}: no page"));
                continue;
            };
            if let Some(d) = minutes {
                let head = text(header(&html));
                report.has(
                    &lesson_url,
                    "the header",
                    Some(&head),
                    &format!("时长：{d} 分钟"),
                );
            }
            if !site.has_link(&html, &url, title) {
                report.problems.push(format!(
                    "{lesson_url}: no link to its course {url} titled {title:?}"
                ));
            }
        }
    }
}

/// `01-qi-yuan` → `qi-yuan`: lesson URLs leave out the file's order number.
fn without_order(stem: &str) -> &str {
    let rest = stem.trim_start_matches(|c: char| c.is_ascii_digit());
    match rest.strip_prefix(['-', '_', '.', ' ']) {
        Some(r) if rest.len() < stem.len() && !r.is_empty() => r,
        _ => stem,
    }
}

// ---------------------------------------------------------------------------------
// Cases

/// Each case page and case-library card: the unit and the date.
fn cases(site: &Built, report: &mut Report) {
    let library = site.list("/cases/").expect("the case library is published");
    for (path, m) in site.sources("cases") {
        let url = format!("/cases/{}/", slug(&m, &path));
        let unit = string(&m, "unit").expect("a case has a unit");
        let day = string(&m, "date").map(|d| day_short(date(d)));
        report.count("case");
        let Some(html) = site.page(&url) else {
            report.problems.push(format!("{url}: no page"));
            continue;
        };
        let head = header(&html);
        report.same(&url, "报送单位", fact(head, "报送单位"), unit);
        if let Some(day) = &day {
            report.same(&url, "日期", fact(head, "日期"), day);
        }
        let at = format!("/cases/ card of {url}");
        let cards = site.items_linking(&library, &url);
        let [card] = cards.as_slice() else {
            report
                .problems
                .push(format!("{at}: {} cards, expected 1", cards.len()));
            continue;
        };
        if !links(card).iter().any(|(_, t)| t == unit) {
            report.problems.push(format!("{at}: no unit {unit:?}"));
        }
        if let Some(day) = &day {
            report.same(&at, "日期", fact(card, "日期"), day);
        }
    }
}

// ---------------------------------------------------------------------------------
// The site's sources and output

struct Built {
    root: PathBuf,
    out: PathBuf,
    /// The base path links carry (`/training` for a `base_url` of `/training/`).
    base: String,
}

impl Built {
    /// The published page of `url`, if there is one.
    fn page(&self, url: &str) -> Option<String> {
        let file = self
            .out
            .join(url.trim_start_matches('/'))
            .join("index.html");
        std::fs::read_to_string(file).ok()
    }

    /// The published Markdown files of `content/<folder>` and its subfolders, with
    /// their front matter, list intros left out.
    fn sources(&self, folder: &str) -> Vec<(PathBuf, Mapping)> {
        let mut out = Vec::new();
        for e in walkdir::WalkDir::new(self.root.join("content").join(folder))
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
        {
            let path = e.into_path();
            if path.extension().is_some_and(|x| x == "md") && !path.ends_with("_index.md") {
                let m = front(&std::fs::read_to_string(&path).expect("read a source"));
                if published(&m) {
                    out.push((path, m));
                }
            }
        }
        out
    }

    /// The published Markdown files directly in `folder`.
    fn sources_in(&self, folder: &Path) -> Vec<(PathBuf, Mapping)> {
        let rel = folder
            .strip_prefix(self.root.join("content"))
            .expect("a folder of content/");
        self.sources(&rel.to_string_lossy())
            .into_iter()
            .filter(|(p, _)| p.parent() == Some(folder))
            .collect()
    }

    /// Every page of the paged list at `url`, one after the other, found by following
    /// each page's `rel="next"`.
    fn list(&self, url: &str) -> Option<String> {
        let mut all = self.page(url)?;
        let mut last = all.clone();
        let next = |html: &str| {
            let rest = html.split("<link rel=\"next\" href=\"").nth(1)?;
            let href = rest.split('"').next()?;
            Some(format!(
                "/{}",
                href.strip_prefix(self.base.as_str())?
                    .trim_start_matches('/')
            ))
        };
        while let Some(url) = next(&last) {
            last = self.page(&url)?;
            all.push_str(&last);
        }
        Some(all)
    }

    fn href(&self, url: &str) -> String {
        format!("{}{url}", self.base)
    }

    /// The list items of `html` that link to the page of `url`: cards, syllabus items.
    fn items_linking<'h>(&self, html: &'h str, url: &str) -> Vec<&'h str> {
        let needle = format!("href=\"{}\"", self.href(url));
        let mut items = Vec::new();
        let mut from = 0;
        while let Some(at) = html[from..].find(&needle).map(|i| i + from) {
            let open = html[..at].rfind("<li").unwrap_or(0);
            let close = html[at..].find("</li>").map_or(html.len(), |i| at + i + 5);
            items.push(&html[open..close]);
            from = close;
        }
        items
    }

    /// Whether `html` links to the page of `url` with `title` as the link's text.
    fn has_link(&self, html: &str, url: &str, title: &str) -> bool {
        let href = self.href(url);
        links(html).iter().any(|(h, t)| *h == href && t == title)
    }
}

fn base_path(root: &Path) -> String {
    let yaml = std::fs::read_to_string(root.join("site.yaml")).expect("site.yaml");
    let config: Mapping = serde_yaml_ng::from_str(&yaml).expect("site.yaml is YAML");
    let base = string(&config, "base_url").unwrap_or("/");
    let path = match base.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("", |i| &rest[i..]),
        None => base,
    };
    path.trim_end_matches('/').to_string()
}

/// The front matter of a Markdown file, as YAML.
fn front(md: &str) -> Mapping {
    let md = md
        .strip_prefix('\u{feff}')
        .unwrap_or(md)
        .replace("\r\n", "\n");
    let body = md
        .strip_prefix("---\n")
        .expect("front matter opens the file");
    let end = body.find("\n---").expect("front matter is closed");
    serde_yaml_ng::from_str(&body[..end]).expect("front matter is YAML")
}

fn string<'m>(m: &'m Mapping, key: &str) -> Option<&'m str> {
    m.get(key).and_then(Value::as_str)
}

/// Not a draft, and not to be published after now.
fn published(m: &Mapping) -> bool {
    let draft = m.get("draft").and_then(Value::as_bool).unwrap_or(false);
    let later = string(m, "publish_date").is_some_and(|d| date(&d[..10]) > now().date());
    !draft && !later
}

/// The last part of a page's URL: its `slug:`, else the file's (or folder's) name.
fn slug(m: &Mapping, path: &Path) -> String {
    let stem = path.file_stem().expect("a file name").to_string_lossy();
    slug_or(m, &stem)
}

fn slug_or(m: &Mapping, name: &str) -> String {
    string(m, "slug").unwrap_or(name).to_string()
}

// ---------------------------------------------------------------------------------
// Dates, written here independently of the renderer

fn datetime(s: &str) -> DateTime {
    ["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S"]
        .iter()
        .find_map(|f| DateTime::strptime(f, s).ok())
        .unwrap_or_else(|| panic!("{s:?} is not a date and time"))
}

fn date(s: &str) -> Date {
    Date::strptime("%Y-%m-%d", s).unwrap_or_else(|_| panic!("{s:?} is not a date"))
}

fn weekday_zh(d: Date) -> &'static str {
    ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]
        [d.weekday().to_monday_zero_offset() as usize]
}

/// `2026年6月12日`
fn day_short(d: Date) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// `2026年6月12日 周五`
fn day_zh(d: Date) -> String {
    format!("{} {}", day_short(d), weekday_zh(d))
}

fn hm(t: DateTime) -> String {
    format!("{:02}:{:02}", t.hour(), t.minute())
}

/// `2026年6月12日 周五 15:00–17:00`; a session over several days ends with the date:
/// `2026年7月22日 周三 08:30–2026年7月24日 17:30`.
fn when_zh(start: DateTime, end: DateTime) -> String {
    let to = if end.date() == start.date() {
        hm(end)
    } else {
        format!("{} {}", day_short(end.date()), hm(end))
    };
    format!("{} {}–{to}", day_zh(start.date()), hm(start))
}

// ---------------------------------------------------------------------------------
// Reading HTML

/// The page's header (title and facts), or the whole page when it has none.
fn header(html: &str) -> &str {
    let Some(open) = html.find("<header class=\"page-header\"") else {
        return html;
    };
    let close = html[open..]
        .find("</header>")
        .map_or(html.len(), |i| open + i);
    &html[open..close]
}

/// The text of the `<dd>` that follows `<dt>{label}</dt>`.
fn fact(html: &str, label: &str) -> Option<String> {
    let at = html.find(&format!("<dt>{label}</dt>"))?;
    let rest = &html[at..];
    let dd = rest.find("<dd>")? + 4;
    let end = rest[dd..].find("</dd>")? + dd;
    Some(text(&rest[dd..end]))
}

/// What a reader sees of `html`: tags removed, entities decoded, white space collapsed.
fn text(html: &str) -> String {
    let mut raw = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => raw.push(c),
            _ => {}
        }
    }
    unescape(&raw)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// `&amp;`, `&quot;`, `&lt;`, `&gt;` and numeric references (`&#x2F;`, `&#39;`).
fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(end) = rest.find(';').filter(|&e| e < 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let name = &rest[1..end];
        let c = match name {
            "amp" => Some('&'),
            "quot" => Some('"'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "nbsp" => Some(' '),
            _ => name
                .strip_prefix("#x")
                .map(|h| u32::from_str_radix(h, 16))
                .or_else(|| name.strip_prefix('#').map(str::parse))
                .and_then(Result::ok)
                .and_then(char::from_u32),
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The links of `html`: `href` and the link's text.
fn links(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("<a ") {
        rest = &rest[i..];
        let Some(close) = rest.find("</a>") else {
            break;
        };
        let a = &rest[..close];
        if let (Some(h), Some(gt)) = (a.find("href=\""), a.find('>')) {
            let href = &a[h + 6..];
            let href = &href[..href.find('"').unwrap_or(href.len())];
            out.push((unescape(href), text(&a[gt + 1..])));
        }
        rest = &rest[close..];
    }
    out
}
