//! The programme's reports on the sample site, checked against its Markdown: the unit
//! overview's figures (all years and each year) counted here from the front matter,
//! its CSV read back by Python's `csv` module and compared with the HTML table, and the
//! 随州大讲堂 rota's mark for each unit at a fixed now.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use common::{BIN, repo, stderr};
use jiff::civil::{Date, DateTime, Weekday};
use serde_yaml_ng::Value;

const NOW: &str = "2026-11-28 10:00";

/// The sample built at [`NOW`] into a temporary folder (kept while the first value
/// lives): the folder, its output and the now.
fn built() -> (tempfile::TempDir, std::path::PathBuf, DateTime) {
    let tmp = tempfile::tempdir().expect("tmp");
    let public = tmp.path().join("public");
    build(&public);
    let now = NOW.replace(' ', "T").parse().expect("now");
    (tmp, public, now)
}

fn build(out: &Path) {
    let o = Command::new(BIN)
        .args(["build", "--root"])
        .arg(repo())
        .arg("--output")
        .arg(out)
        .args(["--base-url", "/", "--now", NOW])
        .output()
        .expect("run jiangtang");
    assert!(o.status.success(), "build failed:\n{}", stderr(&o));
}

/// The front matter of a content file, or `None` for a draft.
fn front(path: &Path) -> Option<Value> {
    let text = std::fs::read_to_string(path).expect("read content");
    let yaml = text.strip_prefix("---\n")?.split("\n---").next()?;
    let v: Value = serde_yaml_ng::from_str(yaml).expect("front matter");
    (v.get("draft").and_then(Value::as_bool) != Some(true)).then_some(v)
}

fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_string)
}

fn date_of(v: &Value, key: &str) -> Option<Date> {
    text(v, key).map(|d| d.parse().expect("a date"))
}

fn md_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .expect("read dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .filter(|p| !p.ends_with("_index.md"))
        .collect();
    out.sort();
    out
}

/// One lecture session: its lecture's series, the unit giving it, start and end.
struct Session {
    series: String,
    unit: Option<String>,
    start: DateTime,
    end: DateTime,
}

/// Every session of the sample's lectures, neither cancelled nor postponed, expanded from the two kinds of
/// `repeat:` the sample uses (weekly until a day with exceptions; the n-th weekday of
/// each month, a number of times).
fn sessions() -> Vec<Session> {
    let mut out = Vec::new();
    for path in md_files(&repo().join("content/lectures")) {
        let Some(v) = front(&path) else { continue };
        if matches!(
            text(&v, "status").as_deref(),
            Some("cancelled" | "postponed")
        ) {
            continue;
        }
        let start: DateTime = text(&v, "start").expect("start").parse().expect("start");
        let end = match (text(&v, "end"), v.get("duration").and_then(Value::as_i64)) {
            (Some(e), _) => e.parse().expect("end"),
            (None, Some(minutes)) => start + jiff::Span::new().minutes(minutes),
            (None, None) => start + jiff::Span::new().hours(2),
        };
        let length = end.duration_since(start);
        let own_unit = |day: Date| {
            v.get("sessions")
                .and_then(Value::as_sequence)
                .into_iter()
                .flatten()
                .find(|s| date_of(s, "date") == Some(day))
                .and_then(|s| text(s, "unit"))
        };
        for s in expand(start, v.get("repeat")) {
            out.push(Session {
                series: text(&v, "series").unwrap_or_default(),
                unit: own_unit(s.date()).or_else(|| text(&v, "unit")),
                start: s,
                end: s + length,
            });
        }
    }
    out
}

fn expand(start: DateTime, repeat: Option<&Value>) -> Vec<DateTime> {
    let Some(rule) = repeat else {
        return vec![start];
    };
    match text(rule, "every").as_deref() {
        Some("week") => {
            let until = date_of(rule, "until").expect("a weekly rule of the sample ends");
            let except: Vec<String> = rule
                .get("except")
                .and_then(Value::as_sequence)
                .map(|l| {
                    l.iter()
                        .filter_map(Value::as_str)
                        .map(String::from)
                        .collect()
                })
                .unwrap_or_default();
            (0..)
                .map(|k| start + jiff::Span::new().weeks(k))
                .take_while(|d| d.date() <= until)
                .filter(|d| !except.contains(&d.date().to_string()))
                .collect()
        }
        Some("month") => {
            let n = rule
                .get("week_of_month")
                .and_then(Value::as_i64)
                .expect("n");
            assert_eq!(
                text(rule, "weekday").as_deref(),
                Some("周四"),
                "extend the test"
            );
            let count = rule.get("count").and_then(Value::as_i64).expect("count");
            (0..count)
                .map(|k| {
                    let first = start.date().first_of_month() + jiff::Span::new().months(k);
                    let day = first
                        .nth_weekday_of_month(i8::try_from(n).expect("n"), Weekday::Thursday)
                        .expect("a day");
                    day.to_datetime(start.time())
                })
                .collect()
        }
        other => panic!("the sample repeats by {other:?}: extend the test"),
    }
}

/// The figures of one unit: courses, lessons, 学时, given, scheduled, cases.
type Figures = [String; 6];

/// The overview's figures counted from the Markdown, for all years or one.
fn expected(year: Option<i16>, now: DateTime) -> BTreeMap<String, Figures> {
    let in_year = |d: Option<Date>| year.is_none_or(|y| d.is_some_and(|d| d.year() == y));
    let mut rows: BTreeMap<String, (usize, usize, f64, usize, usize, usize)> = BTreeMap::new();
    for dir in std::fs::read_dir(repo().join("content/courses")).expect("courses") {
        let dir = dir.expect("entry").path();
        let Some(v) = front(&dir.join("index.md")) else {
            continue;
        };
        let (Some(unit), true) = (text(&v, "unit"), in_year(date_of(&v, "date"))) else {
            continue;
        };
        let lessons = md_files(&dir)
            .iter()
            .filter(|p| !p.ends_with("index.md") && front(p).is_some())
            .count();
        let r = rows.entry(unit).or_default();
        r.0 += 1;
        r.1 += lessons;
        r.2 += v.get("hours").and_then(Value::as_f64).expect("hours");
    }
    for s in sessions() {
        if let (Some(unit), true) = (s.unit, in_year(Some(s.start.date()))) {
            let r = rows.entry(unit).or_default();
            if s.end < now { r.3 += 1 } else { r.4 += 1 }
        }
    }
    for path in md_files(&repo().join("content/cases")) {
        let Some(v) = front(&path) else { continue };
        if in_year(date_of(&v, "date")) {
            rows.entry(text(&v, "unit").expect("unit")).or_default().5 += 1;
        }
    }
    rows.into_iter()
        .map(|(unit, r)| {
            let hours = format!("{}", (r.2 * 10.0).round() / 10.0);
            (
                unit,
                [r.0, r.1]
                    .map(|n| n.to_string())
                    .into_iter()
                    .chain([hours])
                    .chain([r.3, r.4, r.5].map(|n| n.to_string()))
                    .collect::<Vec<_>>()
                    .try_into()
                    .expect("six figures"),
            )
        })
        .collect()
}

/// The cells of each body row of the page's report table, as text.
fn table_rows(html: &str) -> Vec<Vec<String>> {
    let body = html
        .split("<tbody>")
        .nth(1)
        .and_then(|b| b.split("</tbody>").next())
        .expect("a table body");
    body.split("</tr>")
        .filter(|r| r.contains("<t"))
        .map(|row| {
            row.split("</t")
                .filter_map(|cell| cell.rsplit_once("<t").map(|(_, c)| c))
                .map(|c| plain(c.split_once('>').map_or("", |(_, t)| t)))
                .collect()
        })
        .collect()
}

/// Text without tags and surrounding space.
fn plain(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.trim().to_string()
}

/// A CSV file as Python's `csv` module reads it (after checking its BOM and CRLFs).
fn python_csv(path: &Path) -> Vec<Vec<String>> {
    let script = r#"
import csv, json, sys
raw = open(sys.argv[1], 'rb').read()
assert raw.startswith(b'\xef\xbb\xbf'), 'no BOM'
assert raw.endswith(b'\r\n') and raw.count(b'\n') == raw.count(b'\r\n'), 'not CRLF'
with open(sys.argv[1], encoding='utf-8-sig', newline='') as f:
    print(json.dumps(list(csv.reader(f))))
"#;
    let o = Command::new("python3")
        .args(["-c", script])
        .arg(path)
        .output()
        .expect("run python3");
    assert!(o.status.success(), "python csv: {}", stderr(&o));
    serde_json::from_slice(&o.stdout).expect("json rows")
}

#[test]
fn the_unit_overview_counts_what_the_markdown_holds_and_its_csv_is_the_table() {
    let (_tmp, public, now) = built();
    for (year, folder) in [
        (None, "units"),
        (Some(2026), "units/2026"),
        (Some(2027), "units/2027"),
    ] {
        let html = std::fs::read_to_string(public.join(folder).join("index.html")).expect("page");
        let shown: BTreeMap<String, Figures> = table_rows(&html)
            .into_iter()
            .map(|r| {
                (
                    r[0].clone(),
                    r[1..].to_vec().try_into().expect("seven cells"),
                )
            })
            .collect();
        let mut want = expected(year, now);
        if year.is_some() {
            want.retain(|_, f| f.iter().any(|x| x != "0"));
        }
        assert_eq!(shown, want, "{folder}");
        assert!(shown.len() > 5, "{folder} shows {} units", shown.len());

        let csv = python_csv(&public.join(folder).join("units.csv"));
        assert_eq!(
            csv[0],
            [
                "单位",
                "课程",
                "课",
                "学时",
                "已讲讲座",
                "已安排讲座",
                "案例"
            ]
        );
        assert_eq!(
            csv[1..].to_vec(),
            table_rows(&html),
            "{folder}: CSV ≠ table"
        );
    }
}

#[test]
fn the_rota_marks_each_unit_as_the_lectures_say() {
    let (_tmp, public, now) = built();
    let site: Value =
        serde_yaml_ng::from_str(&std::fs::read_to_string(repo().join("site.yaml")).expect("yaml"))
            .expect("site.yaml");
    let list: Vec<String> = site["rota"]["随州大讲堂"][2026]
        .as_sequence()
        .expect("the sample's rota for 2026")
        .iter()
        .filter_map(Value::as_str)
        .map(String::from)
        .collect();
    assert!(list.len() >= 10, "{list:?}");
    let talks: Vec<Session> = sessions()
        .into_iter()
        .filter(|s| s.series == "随州大讲堂" && s.start.date().year() == 2026)
        .collect();
    let mark = |unit: &str| {
        let mine: Vec<&Session> = talks
            .iter()
            .filter(|s| s.unit.as_deref() == Some(unit))
            .collect();
        if mine.iter().any(|s| s.end < now) {
            "已讲"
        } else if mine.is_empty() {
            "未安排"
        } else {
            "已安排"
        }
    };
    let mut want: Vec<(String, String)> = list
        .iter()
        .map(|u| (u.clone(), mark(u).to_string()))
        .collect();
    let mut extra: Vec<&Session> = talks
        .iter()
        .filter(|s| s.unit.as_ref().is_some_and(|u| !list.contains(u)))
        .collect();
    extra.sort_by_key(|s| s.start);
    for s in extra {
        let unit = s.unit.clone().expect("a unit");
        let name = format!("{unit} 名单外");
        if !want.iter().any(|(u, _)| *u == name) {
            want.push((name, mark(&unit).to_string()));
        }
    }
    let html =
        std::fs::read_to_string(public.join("series/sui-zhou-da-jiang-tang/rota/index.html"))
            .expect("the rota page");
    let shown: Vec<(String, String)> = table_rows(&html)
        .into_iter()
        .map(|r| (r[0].clone(), r[1].clone()))
        .collect();
    assert_eq!(shown, want);
    for m in ["已讲", "已安排", "未安排"] {
        assert!(
            want.iter().filter(|(_, x)| x == m).count() >= 2,
            "the sample has few {m}"
        );
    }
    let count = |m: &str| list.iter().filter(|u| mark(u) == m).count();
    let counts = format!(
        "已讲 {}/{}，已安排 {}，未安排 {}",
        count("已讲"),
        list.len(),
        count("已安排"),
        count("未安排")
    );
    assert!(
        html.contains(&counts),
        "the rota page does not say {counts}"
    );
    let series = std::fs::read_to_string(public.join("series/sui-zhou-da-jiang-tang/index.html"))
        .expect("the series page");
    assert!(
        series.contains(&counts),
        "the series page does not say {counts}"
    );

    let csv = python_csv(&public.join("series/sui-zhou-da-jiang-tang/rota/2026.csv"));
    let csv_marks: Vec<(String, String)> = csv[1..]
        .iter()
        .map(|r| {
            let name = if r[1] == "名单外" {
                format!("{} 名单外", r[0])
            } else {
                r[0].clone()
            };
            (name, r[2].clone())
        })
        .collect();
    assert_eq!(csv_marks, want, "the CSV marks the units as the page does");
}

#[test]
fn a_rota_of_a_series_without_lectures_lists_its_units_unscheduled() {
    let site = common::Site::good();
    let yaml = format!(
        "{}rota:\n  随州大讲堂:\n    2026: [市发改委, 新设单位]\n",
        common::SITE_YAML
    );
    site.write("site.yaml", yaml.as_bytes());
    let o = site.build(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    // The unit named nowhere is a warning, not an error.
    assert!(stderr(&o).contains("新设单位"), "{}", stderr(&o));
    let html = std::fs::read_to_string(
        site.public()
            .join("series/sui-zhou-da-jiang-tang/rota/index.html"),
    )
    .expect("the rota page of a series without lectures");
    let rows = table_rows(&html);
    let marks: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r[0].as_str(), r[1].as_str()))
        .collect();
    // 市发改委 lectures in 周周学, not in this series.
    assert_eq!(marks, [("市发改委", "未安排"), ("新设单位", "未安排")]);
    assert!(
        html.contains("href=\"/units/shi-fa-gai-wei/\""),
        "a unit with a page is linked"
    );
    assert!(
        !html.contains(">新设单位</a>"),
        "a unit without a page is not linked"
    );
    assert!(
        !html.contains("<a href=\"/\">随州大讲堂</a>"),
        "no link for a series without a page"
    );
    assert!(html.contains("已讲 0/2，已安排 0，未安排 2"));
}
