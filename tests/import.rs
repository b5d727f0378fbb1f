//! `jiangtang import` on the Word documents of `tests/fixtures/docx/` (written by
//! `make_docx.py` with python-docx, Chinese text): each imported into the small good
//! site, the page compared with `<name>.md` and what the command printed with
//! `<name>.out.txt`; the site then builds without an error. `UPDATE_SNAPSHOTS=1 cargo
//! test --test import` rewrites the expected files. The conversion of Word's and WPS's
//! XML variants is tested part by part in `src/import/tests.rs`.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{BIN, Site, repo, stderr};

/// Each document, as what it is imported, and where.
const FIXTURES: &[(&str, &[&str])] = &[
    ("headings", &["--as", "page", "--to", "guide/"]),
    ("official", &["--as", "case"]),
    ("lists", &["--as", "lesson", "--to", "courses/ke-cheng"]),
    ("tables", &["--as", "case"]),
    ("images", &["--as", "case"]),
    ("round-trip", &["--as", "case"]),
];

fn fixtures() -> PathBuf {
    repo().join("tests/fixtures/docx")
}

/// Imports `docx` into a fresh good site: what the command printed, the page's path
/// and text, and the site.
fn import(docx: &Path, args: &[&str]) -> (String, PathBuf, String, Site) {
    let site = Site::good();
    let o = Command::new(BIN)
        .arg("import")
        .arg(docx)
        .args(args)
        .arg("--root")
        .arg(site.root())
        .output()
        .expect("run jiangtang import");
    let printed = format!(
        "{}{}exit: {}\n",
        stderr(&o),
        String::from_utf8_lossy(&o.stdout),
        o.status.code().unwrap_or(-1)
    )
    .replace(&docx.display().to_string(), "DOCX");
    let page = printed
        .lines()
        .find(|l| l.starts_with("已导入 "))
        .and_then(|l| l.split(" → ").nth(1))
        .and_then(|rest| rest.split(['，', '\n']).next())
        .map(PathBuf::from)
        .unwrap_or_default();
    let text = std::fs::read_to_string(site.root().join(&page)).unwrap_or_default();
    (printed, page, text, site)
}

#[test]
fn each_fixture_converts_to_its_markdown_and_builds() {
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let mut problems = Vec::new();
    for (name, args) in FIXTURES {
        let (printed, page, text, site) = import(&fixtures().join(format!("{name}.docx")), args);
        if !printed.ends_with("exit: 0\n") || text.is_empty() {
            problems.push(format!("{name}: not imported\n{printed}"));
            continue;
        }
        for (file, got) in [
            (format!("{name}.md"), &text),
            (format!("{name}.out.txt"), &printed),
        ] {
            let path = fixtures().join(&file);
            if update {
                std::fs::write(&path, got).expect("write expected");
            } else if std::fs::read_to_string(&path).unwrap_or_default() != *got {
                problems.push(format!(
                    "{file} differs from what {name}.docx gives now:\n{got}"
                ));
            }
        }
        let built = site.build(&[]);
        let report = stderr(&built);
        if !built.status.success() || report.contains("错误") {
            problems.push(format!(
                "{name}: {} does not build\n{report}",
                page.display()
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

/// The committed documents are what the script writes: written again (python-docx),
/// each converts to the same Markdown.
#[test]
fn the_fixture_script_writes_documents_that_convert_the_same() {
    let has_docx = Command::new("python3")
        .args(["-c", "import docx, PIL"])
        .status()
        .is_ok_and(|s| s.success());
    if !has_docx {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install python-docx and Pillow (scripts/test.sh does)"
        );
        eprintln!("SKIPPED: python-docx is not installed");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let o = Command::new("python3")
        .arg(fixtures().join("make_docx.py"))
        .arg(dir.path())
        .output()
        .expect("run make_docx.py");
    assert!(o.status.success(), "{}", stderr(&o));
    for (name, args) in FIXTURES {
        let (_, _, text, _) = import(&dir.path().join(format!("{name}.docx")), args);
        let want =
            std::fs::read_to_string(fixtures().join(format!("{name}.md"))).expect("expected");
        assert_eq!(text, want, "{name}.docx written again converts otherwise");
    }
}

#[test]
fn force_replaces_and_several_lessons_are_numbered_in_turn() {
    let site = Site::good();
    let run = |args: &[&str]| {
        Command::new(BIN)
            .arg("import")
            .args(args)
            .arg("--root")
            .arg(site.root())
            .output()
            .expect("run")
    };
    let lists = fixtures().join("lists.docx");
    let tables = fixtures().join("tables.docx");
    let (lists, tables) = (lists.to_string_lossy(), tables.to_string_lossy());
    let args = ["--as", "lesson", "--to", "courses/ke-cheng"];
    let o = run(&[&lists, &tables, args[0], args[1], args[2], args[3]]);
    assert!(o.status.success(), "{}", stderr(&o));
    let course = site.root().join("content/courses/ke-cheng");
    assert!(course.join("03-xue-xi-an-pai.md").is_file());
    assert!(course.join("04-pei-xun-cheng-xiao-tong-ji.md").is_file());
    // A file named with --to that exists is replaced only with --force.
    std::fs::write(
        course.join("03-xue-xi-an-pai.md"),
        "---\ntitle: 改过\nduration: 1\n---\n",
    )
    .expect("write");
    let to = "courses/ke-cheng/03-xue-xi-an-pai.md";
    let o = run(&[&lists, "--as", "lesson", "--to", to]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("已经存在"), "{}", stderr(&o));
    let o = run(&[&lists, "--as", "lesson", "--to", to, "--force"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(course.join("03-xue-xi-an-pai.md")).expect("read");
    assert!(text.starts_with("---\ntitle: 学习安排"), "{text}");
    assert!(site.build(&[]).status.success());
}
