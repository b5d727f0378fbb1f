//! What a cadre reads on a page, checked against the Markdown it came from: the test
//! reads each source file's front matter itself (not the model, not the template data)
//! and looks for its facts in the published HTML.

mod common;

use std::path::Path;
use std::process::Command;

use common::{BIN, Site, repo, stderr};
use jiff::civil::{Date, DateTime};

const NOW: &str = "2026-12-07 09:00";

fn build(root: &Path, out: &Path) {
    let o = Command::new(BIN)
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out)
        .args(["--now", NOW])
        .output()
        .expect("run jiangtang");
    assert!(o.status.success(), "build failed:\n{}", stderr(&o));
}

/// The front matter of a Markdown file, as YAML.
fn front(md: &str) -> serde_yaml_ng::Mapping {
    let body = md
        .strip_prefix("---\n")
        .expect("front matter opens the file");
    let end = body.find("\n---").expect("front matter is closed");
    serde_yaml_ng::from_str(&body[..end]).expect("front matter is YAML")
}

fn text<'m>(m: &'m serde_yaml_ng::Mapping, key: &str) -> Option<&'m str> {
    m.get(key).and_then(|v| v.as_str())
}

fn weekday_zh(d: Date) -> &'static str {
    ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]
        [d.weekday().to_monday_zero_offset() as usize]
}

/// `2026年6月12日 周五`, written here independently of the renderer.
fn day_zh(d: Date) -> String {
    format!(
        "{}年{}月{}日 {}",
        d.year(),
        d.month(),
        d.day(),
        weekday_zh(d)
    )
}

/// The text of the `<dd>` that follows `<dt>{label}</dt>`, tags removed.
fn fact(html: &str, label: &str) -> Option<String> {
    let at = html.find(&format!("<dt>{label}</dt>"))?;
    let rest = &html[at..];
    let dd = rest.find("<dd>")? + 4;
    let end = rest[dd..].find("</dd>")? + dd;
    let mut out = String::new();
    let mut in_tag = false;
    for c in rest[dd..end].chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    Some(out)
}

fn start_of(m: &serde_yaml_ng::Mapping) -> DateTime {
    let s = text(m, "start").expect("every sample lecture has a start");
    DateTime::strptime("%Y-%m-%d %H:%M", s).expect("sample starts are written YYYY-MM-DD HH:MM")
}

/// Every lecture page shows, under 时间, the date (with weekday) and time of its
/// session: the start itself for a single lecture, a date of the series on the same
/// weekday at the same time for a repeating one.
#[test]
fn every_lecture_page_shows_the_date_and_time_its_source_gives() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("public");
    build(&repo(), &out);
    let mut checked = 0;
    for e in std::fs::read_dir(repo().join("content/lectures")).expect("lectures") {
        let path = e.expect("entry").path();
        if path.extension().is_none_or(|x| x != "md") || path.ends_with("_index.md") {
            continue;
        }
        let md = std::fs::read_to_string(&path).expect("read");
        let m = front(&md);
        let slug = path
            .file_stem()
            .expect("stem")
            .to_string_lossy()
            .to_string();
        let page = out.join("lectures").join(&slug).join("index.html");
        let html = std::fs::read_to_string(&page).expect("lecture page exists");
        let shown = fact(&html, "时间").unwrap_or_else(|| panic!("{slug}: no 时间 on the page"));
        let start = start_of(&m);
        let time = format!("{:02}:{:02}", start.hour(), start.minute());
        assert!(
            shown.contains(&time),
            "{slug}: 时间 is {shown:?}, expected {time}"
        );
        if m.contains_key("repeat") {
            let weekday = weekday_zh(start.date());
            assert!(
                shown.contains("年") && shown.contains(weekday),
                "{slug}: a session of the series on {weekday} expected, 时间 is {shown:?}"
            );
        } else {
            let day = day_zh(start.date());
            assert!(
                shown.contains(&day),
                "{slug}: 时间 is {shown:?}, expected {day}"
            );
        }
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} lectures checked");
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
