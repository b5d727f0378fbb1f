//! The editor-facing tools: the bad-input corpus (`tests/bad_input/<case>/`, each a small
//! site whose exact diagnostics are snapshot-tested), `jiangtang check` (exit codes, JSON),
//! `jiangtang new` (every kind builds cleanly), `jiangtang import` (its bad input), and
//! the fuzz targets (their corpora replayed on stable; the crate checked).
//!
//! A corpus case is a folder with `README` (what mistake it shows), `site/` (files laid
//! over the small good site of `tests/common`) and `expected.txt` / `expected.en.txt`:
//! the exact output of `jiangtang check` piped (no colour), then `exit: N`.
//! `UPDATE_SNAPSHOTS=1 cargo test --test editors` rewrites the expected files.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{BIN, Site, repo, stderr};

// The fuzz target's body, shared with fuzz/fuzz_targets/content.rs.
#[path = "../fuzz/src/lib.rs"]
mod fuzz_body;

const NOW: &str = "2026-03-10 10:00";

fn run(args: &[&str], root: &Path) -> Output {
    Command::new(BIN)
        .args(args)
        .arg("--root")
        .arg(root)
        .args(["--now", NOW])
        .env_remove("NO_COLOR")
        .output()
        .expect("run jiangtang")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

/// What a person sees when piping `check`: stderr, then stdout, then the exit code.
fn transcript(o: &Output) -> String {
    format!(
        "{}{}exit: {}\n",
        stderr(o),
        stdout(o),
        o.status.code().unwrap_or(-1)
    )
}

fn cases() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(repo().join("tests/bad_input"))
        .expect("tests/bad_input")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

/// The good site with a case's files laid over it.
fn case_site(case: &Path) -> Site {
    let site = Site::good();
    let files = case.join("site");
    for e in walkdir::WalkDir::new(&files)
        .into_iter()
        .filter_map(Result::ok)
    {
        if e.file_type().is_file() {
            let rel = e.path().strip_prefix(&files).expect("prefix");
            let rel = jiangtang::platform::slashed(rel);
            site.write(&rel, &std::fs::read(e.path()).expect("read case file"));
        }
    }
    site
}

/// First lines of the diagnostics in a transcript: `path:line:column: 错误: …`.
fn headers(text: &str) -> Vec<&str> {
    text.lines()
        .filter(|l| l.contains(": 错误: ") || l.contains(": 警告: "))
        .collect()
}

fn check_case(case: &Path, update: bool) -> Vec<String> {
    let name = case.file_name().unwrap_or_default().to_string_lossy();
    let mut problems = Vec::new();
    let site = case_site(case);
    let zh = run(&["check"], site.root());
    let en = run(&["--lang", "en", "check"], site.root());
    for (o, file) in [(&zh, "expected.txt"), (&en, "expected.en.txt")] {
        let got = transcript(o);
        let path = case.join(file);
        if got.contains("panicked") {
            problems.push(format!("{name}: panicked\n{got}"));
        }
        if update {
            std::fs::write(&path, &got).expect("write snapshot");
            continue;
        }
        let want = std::fs::read_to_string(&path).unwrap_or_default();
        if got != want {
            problems.push(format!(
                "{name}/{file} differs (UPDATE_SNAPSHOTS=1 rewrites it)\n--- expected\n{want}--- got\n{got}"
            ));
        }
    }
    // `build` reports the same diagnostics and the same outcome, and keeps public/ as it was.
    let code = zh.status.code();
    let built = site.build(&[]);
    let build_err = stderr(&built);
    if built.status.code() != code {
        problems.push(format!(
            "{name}: build exited {:?}, check {code:?}\n{build_err}",
            built.status.code()
        ));
    }
    if headers(&build_err) != headers(&stderr(&zh)) {
        problems.push(format!(
            "{name}: build and check report different diagnostics\n--- build\n{build_err}--- check\n{}",
            stderr(&zh)
        ));
    }
    if code == Some(1) && site.public().exists() {
        problems.push(format!("{name}: a failed build wrote public/"));
    }
    problems
}

#[test]
fn bad_input_corpus_matches_its_snapshots() {
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let all = cases();
    assert!(all.len() >= 40, "only {} corpus cases", all.len());
    let chunks: Vec<&[PathBuf]> = all.chunks(all.len().div_ceil(4)).collect();
    let problems: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = chunks
            .iter()
            .map(|chunk| {
                s.spawn(move || {
                    chunk
                        .iter()
                        .flat_map(|c| check_case(c, update))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("thread"))
            .collect()
    });
    assert!(
        problems.is_empty(),
        "{} problems:\n\n{}",
        problems.len(),
        problems.join("\n\n")
    );
}

/// The import cases (`tests/bad_import/<case>/`): the case's files copied into the
/// small good site, `jiangtang import` run there with the arguments of `args`, its
/// transcript compared with `expected.txt` / `expected.en.txt`. A case whose README
/// starts with "accepted" imports (exit 0) and builds; any other fails with one error
/// and writes nothing.
#[test]
fn bad_input_imports_match_their_snapshots() {
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let dir = repo().join("tests/bad_import");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/bad_import")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(cases.len() >= 10, "only {} import cases", cases.len());
    let problems: Vec<String> = cases.iter().flat_map(|c| import_case(c, update)).collect();
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

fn import_case(case: &Path, update: bool) -> Vec<String> {
    let name = case.file_name().unwrap_or_default().to_string_lossy();
    let read = |file: &str| std::fs::read_to_string(case.join(file)).unwrap_or_default();
    let accepted = read("README").starts_with("accepted");
    let args: Vec<String> = read("args")
        .split_whitespace()
        .map(str::to_string)
        .collect();
    let site = Site::good();
    for e in std::fs::read_dir(case)
        .expect("case")
        .filter_map(Result::ok)
    {
        let file = e.file_name().to_string_lossy().to_string();
        if !["README", "args", "expected.txt", "expected.en.txt"].contains(&file.as_str()) {
            site.write(&file, &std::fs::read(e.path()).expect("read input"));
        }
    }
    let before = common::snapshot(&site.root().join("content"));
    let mut problems = Vec::new();
    for (lang, file) in [("zh", "expected.txt"), ("en", "expected.en.txt")] {
        let o = Command::new(BIN)
            .args(["--lang", lang, "import"])
            .args(&args)
            .current_dir(site.root())
            .env_remove("NO_COLOR")
            .output()
            .expect("run jiangtang import");
        let got = transcript(&o);
        let errors = got
            .lines()
            .filter(|l| {
                ["错误: ", "error: "]
                    .iter()
                    .any(|e| l.starts_with(e) || l.contains(&format!(": {e}")))
            })
            .count();
        if got.contains("panicked") || errors != usize::from(!accepted) {
            problems.push(format!("{name}: {errors} errors\n{got}"));
        }
        let changed = common::snapshot(&site.root().join("content")) != before;
        if !accepted && changed {
            problems.push(format!("{name}: a refused import wrote files"));
        }
        if accepted {
            let built = site.build(&[]);
            if !built.status.success() {
                problems.push(format!(
                    "{name}: the imported page does not build\n{}",
                    stderr(&built)
                ));
            }
        }
        if update {
            std::fs::write(case.join(file), &got).expect("write snapshot");
        } else if got != read(file) {
            problems.push(format!(
                "{name}/{file} differs (UPDATE_SNAPSHOTS=1 rewrites it)\n--- expected\n{}--- got\n{got}",
                read(file)
            ));
        }
        // The accepted case is imported again in English: over the first, on request.
        if accepted && lang == "zh" {
            for e in std::fs::read_dir(site.root().join("content/cases"))
                .expect("cases")
                .filter_map(Result::ok)
            {
                let keep = e.file_name().to_string_lossy().starts_with("an-li");
                if !keep {
                    let _ = std::fs::remove_file(e.path());
                }
            }
        }
    }
    problems
}

#[test]
fn every_corpus_case_explains_itself() {
    for case in cases() {
        let readme = std::fs::read_to_string(case.join("README")).unwrap_or_default();
        assert!(!readme.trim().is_empty(), "{}: no README", case.display());
        let expected = std::fs::read_to_string(case.join("expected.txt")).unwrap_or_default();
        let accepted = readme.starts_with("accepted");
        if accepted {
            assert!(expected.ends_with("exit: 0\n"), "{}", case.display());
            continue;
        }
        // Every reported problem has a place and a hint.
        assert!(
            !headers(&expected).is_empty(),
            "{}: no diagnostic",
            case.display()
        );
        assert!(
            expected.contains("= 修改方法: "),
            "{}: no hint",
            case.display()
        );
        let en = std::fs::read_to_string(case.join("expected.en.txt")).unwrap_or_default();
        assert!(
            en.contains("= how to fix: "),
            "{}: no English hint",
            case.display()
        );
        assert!(
            !en.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
                || en.contains('“')
                || en.contains('`')
                || en.contains(" | "),
            "{}",
            case.display()
        );
    }
}

#[test]
fn check_exit_codes_and_json_shape() {
    let site = Site::good();
    let clean = run(&["check"], site.root());
    assert_eq!(clean.status.code(), Some(0), "{}", transcript(&clean));
    assert!(
        stdout(&clean).contains("检查通过"),
        "{}",
        transcript(&clean)
    );
    assert!(!site.public().exists(), "check must not write public/");

    let json = run(&["check", "--format", "json"], site.root());
    assert_eq!(json.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON on stdout");
    assert_eq!(v["errors"], 0);
    assert_eq!(v["warnings"], 0);
    assert_eq!(v["diagnostics"], serde_json::json!([]));

    site.write(
        "content/cases/a.md",
        b"---\ntitle: a\nunit: x\ndraft: ture\n---\n",
    );
    site.write(
        "content/cases/b.md",
        "---\ntitle: b\nunit: 市发该委\n---\n".as_bytes(),
    );
    let bad = run(&["check", "--format", "json"], site.root());
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        bad.stderr.is_empty(),
        "JSON mode prints nothing else: {}",
        stderr(&bad)
    );
    let v: serde_json::Value = serde_json::from_slice(&bad.stdout).expect("JSON");
    assert_eq!(v["errors"], 1, "{v:#}");
    assert_eq!(v["warnings"], 1, "{v:#}");
    let d = &v["diagnostics"][0];
    let keys: Vec<&str> = d
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "column",
            "end_column",
            "hint",
            "line",
            "message",
            "path",
            "severity"
        ]
    );
    assert_eq!(d["severity"], "error");
    assert_eq!(d["path"], "content/cases/a.md");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(4), Some(8))
    );
    assert_eq!(d["end_column"], 12);
    assert!(d["message"].as_str().unwrap_or("").contains("draft"));
    assert!(d["hint"].as_str().unwrap_or("").contains("true"));
    assert_eq!(v["diagnostics"][1]["severity"], "warning");

    let en = run(&["--lang", "en", "check", "--format", "json"], site.root());
    let v: serde_json::Value = serde_json::from_slice(&en.stdout).expect("JSON");
    assert!(
        v["diagnostics"][0]["message"]
            .as_str()
            .unwrap_or("")
            .starts_with("`draft` must be true or false"),
        "{v:#}"
    );

    // Warnings alone do not fail the check.
    site.write("content/cases/a.md", b"---\ntitle: a\nunit: x\n---\n");
    let warned = run(&["check"], site.root());
    assert_eq!(warned.status.code(), Some(0), "{}", transcript(&warned));
    assert!(stderr(&warned).contains(": 警告: "));

    // Not a site at all.
    let empty = tempfile::tempdir().expect("tmp");
    let o = run(&["check"], empty.path());
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("site.yaml"));
}

#[test]
fn diagnostics_are_coloured_only_on_request_of_a_terminal() {
    let site = Site::good();
    site.write(
        "content/cases/a.md",
        b"---\ntitle: a\nunit: x\ndraft: ture\n---\n",
    );
    let o = run(&["check"], site.root());
    let err = stderr(&o);
    assert!(!err.contains('\u{1b}'), "piped output has no escape codes");
    // The snippet: the source line with a caret under the value.
    assert!(err.contains("4 | draft: ture\n  |        ^^^^\n"), "{err}");
}

#[test]
fn new_writes_a_file_of_every_kind_that_builds() {
    let site = Site::good();
    let made = [
        (
            vec!["course", "courses/xiang-cun-zhen-xing"],
            "content/courses/xiang-cun-zhen-xing/index.md",
        ),
        (
            vec![
                "lesson",
                "courses/xiang-cun-zhen-xing/",
                "--title",
                "第一课：政策要点",
            ],
            "content/courses/xiang-cun-zhen-xing/01-di-yi-ke-zheng-ce-yao-dian.md",
        ),
        (
            vec!["lesson", "content/courses/ke-cheng/", "--title", "第三课"],
            "content/courses/ke-cheng/03-di-san-ke.md",
        ),
        (
            vec![
                "lecture",
                "lectures/",
                "--title",
                "数字政府建设的实践与思考",
            ],
            "",
        ),
        (
            vec![
                "case",
                "cases/da-hong-shan.md",
                "--title",
                "大洪山乡村旅游带动集体增收",
            ],
            "content/cases/da-hong-shan.md",
        ),
        (
            vec!["case", "cases", "--title", "专题: 乡村 #1"],
            "content/cases/zhuan-ti-xiang-cun-1.md",
        ),
        (
            vec!["page", "guide/bian-xie-zhi-nan", "--title", "编写指南"],
            "content/guide/bian-xie-zhi-nan.md",
        ),
    ];
    for (args, path) in &made {
        let mut cmd = vec!["new"];
        cmd.extend(args.iter().copied());
        let o = Command::new(BIN)
            .args(&cmd)
            .arg("--root")
            .arg(site.root())
            .output()
            .expect("run");
        assert_eq!(o.status.code(), Some(0), "{cmd:?}: {}", transcript(&o));
        if !path.is_empty() {
            assert!(
                site.root().join(path).is_file(),
                "{cmd:?}: {}",
                transcript(&o)
            );
            assert!(stdout(&o).contains(path), "{}", stdout(&o));
        }
    }
    // The lecture is named by its date and an ASCII slug of its title.
    let lectures: Vec<String> = std::fs::read_dir(site.root().join("content/lectures"))
        .expect("lectures")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    assert!(
        lectures.iter().any(
            |n| n.ends_with("-shu-zi-zheng-fu-jian-she-de-shi-jian-yu-si-kao.md") && n.is_ascii()
        ),
        "{lectures:?}"
    );
    // Every field of the kind is there, with a comment.
    let course = std::fs::read_to_string(site.root().join(made[0].1)).expect("course");
    for key in jiangtang::content::Kind::Course.allowed_keys() {
        assert!(
            course.contains(&format!("{key}:")),
            "course lacks {key}:\n{course}"
        );
    }
    assert!(course.contains("title: 新课程"), "{course}");
    // No errors, in check and in build; each file is reminded once that it still holds
    // the examples.
    let o = run(&["check"], site.root());
    assert_eq!(o.status.code(), Some(0), "{}", transcript(&o));
    assert_only_example_warnings(&stderr(&o), made.len());
    let b = site.build(&[]);
    assert!(b.status.success(), "{}", stderr(&b));
    assert!(
        site.public()
            .join("courses/xiang-cun-zhen-xing/di-yi-ke-zheng-ce-yao-dian/index.html")
            .is_file()
    );
    assert!(
        site.public()
            .join("cases/da-hong-shan/index.html")
            .is_file()
    );
    assert!(
        site.public()
            .join("guide/bian-xie-zhi-nan/index.html")
            .is_file()
    );
}

#[test]
fn new_refuses_to_overwrite_and_explains_wrong_places() {
    let site = Site::good();
    let before = std::fs::read(site.root().join("content/cases/an-li.md")).expect("read");
    let new = |args: &[&str]| {
        Command::new(BIN)
            .arg("new")
            .args(args)
            .arg("--root")
            .arg(site.root())
            .output()
            .expect("run")
    };
    let o = new(&["case", "cases/an-li.md"]);
    assert_eq!(o.status.code(), Some(2), "{}", transcript(&o));
    assert!(stderr(&o).contains("已经存在"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read(site.root().join("content/cases/an-li.md")).expect("read"),
        before
    );
    let o = new(&["lecture", "cases/x.md"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("lectures/"), "{}", stderr(&o));
    let o = new(&["lesson", "courses/mei-you/01-a.md"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("jiangtang new course courses/mei-you"),
        "{}",
        stderr(&o)
    );
    let o = new(&["case", "cases/"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--title"), "{}", stderr(&o));
    let o = new(&["page", "../outside.md"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!site.root().join("outside.md").exists());
    let empty = tempfile::tempdir().expect("tmp");
    let o = Command::new(BIN)
        .args(["new", "page", "a.md", "--root"])
        .arg(empty.path())
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("site.yaml"), "{}", stderr(&o));
}

#[test]
fn new_files_build_in_a_fresh_starter_site() {
    let dir = tempfile::tempdir().expect("tmp");
    let root = dir.path().join("site");
    let o = Command::new(BIN)
        .arg("init")
        .arg(&root)
        .output()
        .expect("init");
    assert!(o.status.success());
    for kind in ["course", "lecture", "case", "page"] {
        let o = Command::new(BIN)
            .args(["new", kind, &format!("{kind}s-x/"), "--title", "示例"])
            .arg("--root")
            .arg(&root)
            .output()
            .expect("new");
        // Only the right folders are accepted for each kind.
        assert_eq!(
            o.status.code(),
            Some(if kind == "page" { 0 } else { 2 }),
            "{kind}: {}",
            transcript(&o)
        );
    }
    for args in [
        ["course", "courses/", "--title", "新的课程"],
        ["lesson", "courses/xin-de-ke-cheng", "--title", "第一课"],
        ["lecture", "lectures", "--title", "讲座"],
        ["case", "cases", "--title", "案例"],
    ] {
        let o = Command::new(BIN)
            .arg("new")
            .args(args)
            .arg("--root")
            .arg(&root)
            .output()
            .expect("new");
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", transcript(&o));
    }
    let o = run(&["check"], &root);
    assert_eq!(o.status.code(), Some(0), "{}", transcript(&o));
    // The four files above and the page of the first loop.
    assert_only_example_warnings(&stderr(&o), 5);
}

/// `count` warnings in a report, each saying that a file still holds `new`'s examples.
fn assert_only_example_warnings(report: &str, count: usize) {
    let found = headers(report);
    assert_eq!(found.len(), count, "{report}");
    for h in found {
        assert!(h.contains(": 警告: 看起来还是示例内容"), "{report}");
    }
}

/// The fuzz corpus (the seeds committed in fuzz/corpus/content) replayed through the
/// fuzz target's code, so that whatever the fuzzer once found stays fixed.
#[test]
fn fuzz_corpus_replays_without_panics() {
    let dir = repo().join("fuzz/corpus/content");
    let mut n = 0;
    for e in std::fs::read_dir(&dir).expect("fuzz corpus") {
        let path = e.expect("entry").path();
        let data = std::fs::read(&path).expect("read seed");
        fuzz_body::content(&data);
        n += 1;
    }
    assert!(n >= 50, "only {n} seeds");
}

/// The importer's fuzz corpus (fuzz/corpus/import: the fixture documents whole and
/// their `document.xml`, a compound file, a cut-short zip) replayed the same way.
#[test]
fn import_fuzz_corpus_replays_without_panics() {
    let dir = repo().join("fuzz/corpus/import");
    let mut n = 0;
    for e in std::fs::read_dir(&dir).expect("fuzz corpus") {
        let data = std::fs::read(e.expect("entry").path()).expect("read seed");
        fuzz_body::import(&data);
        n += 1;
    }
    assert!(n >= 12, "only {n} seeds");
}

/// The fuzz crate compiles (running it needs nightly and cargo-fuzz; see fuzz/README.md).
#[test]
fn fuzz_target_builds() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let o = Command::new(cargo)
        .args(["check", "--quiet", "--manifest-path"])
        .arg(repo().join("fuzz/Cargo.toml"))
        .env("CARGO_TARGET_DIR", repo().join("target/fuzz-check"))
        .output()
        .expect("run cargo");
    assert!(
        o.status.success(),
        "cargo check of fuzz/ failed:\n{}",
        stderr(&o)
    );
}

/// A mistake in one page's front matter is the only error: the pages that refer to the
/// page (its lessons, links to it, a lecture naming its course) report nothing more.
#[test]
fn one_front_matter_mistake_is_one_error() {
    let cases: Vec<PathBuf> = cases()
        .into_iter()
        .filter(|c| c.to_string_lossy().ends_with("-no-cascade"))
        .collect();
    assert!(cases.len() >= 5, "{cases:?}");
    for case in cases {
        let site = case_site(&case);
        let o = run(&["check"], site.root());
        let text = stderr(&o);
        let errors = headers(&text);
        assert_eq!(errors.len(), 1, "{}:\n{text}", case.display());
    }
}

/// A mistake on the command line is named by its option, without a file position, in
/// the language asked for, with a hint, and the command fails.
#[test]
fn command_line_mistakes_name_the_option() {
    let site = Site::good();
    let busy = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a port");
    let port = busy.local_addr().expect("address").port().to_string();
    let cli = |args: &[&str]| {
        Command::new(BIN)
            .args(args)
            .arg("--root")
            .arg(site.root())
            .output()
            .expect("run")
    };
    let cases: [(Vec<&str>, &str, &str); 4] = [
        (
            vec!["check", "--now", "2026-13-01"],
            "错误: --now 的值“2026-13-01”不是日期时间\n",
            "= 修改方法: 写成 --now",
        ),
        (
            vec!["build", "--base-url", "training"],
            "错误: --base-url：base_url“training”无法使用\n",
            "= 修改方法: 写成路径",
        ),
        (
            vec!["serve", "--port", &port],
            "已被占用",
            "= 修改方法: 换一个端口",
        ),
        (
            vec!["--lang", "en", "serve", "--port", &port],
            "is in use",
            "= how to fix: pick another port",
        ),
    ];
    for (args, message, hint) in cases {
        let o = cli(&args);
        let err = stderr(&o);
        assert!(!o.status.success(), "{args:?}: {err}");
        assert!(err.contains(message), "{args:?}: {err}");
        assert!(err.contains(hint), "{args:?}: {err}");
        assert!(
            err.starts_with("错误: ") || err.starts_with("error: "),
            "{args:?}: {err}"
        );
        assert!(!err.contains(":1:1"), "{args:?}: {err}");
    }
    drop(busy);
}
