//! Real-browser tests, run by `cargo test` like everything else.
//!
//! Builds the sample site (the repo root) with this crate's binary for the sub-path
//! `/training/`, then runs the Node test files under `tests/js/` (Node's built-in
//! runner, playwright-core driving Debian's Chromium) with `JIANGTANG_BIN`, `SITE_DIR`
//! and `BASE_PATH` set, and fails when they fail.
//!
//! Needs `node`, `tests/js/node_modules` (`npm ci` in tests/js) and `/usr/bin/chromium`
//! (`apt-get install chromium`). When one is missing the test is skipped with a message,
//! except under CI (env `CI` set), where it fails: CI must never go green untested.
//!
//! `JIANGTANG_JS_TESTS=pages,a11y cargo test --test browser` runs only the files whose
//! path contains one of the comma-separated words.

use std::env;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

const BASE_PATH: &str = "/training/";

#[test]
fn browser_tests() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let js = root.join("tests/js");

    if let Some(reason) = missing_tool(&js) {
        if env::var_os("CI").is_some() {
            panic!(
                "browser tests cannot run under CI: {reason}.\n\
                 scripts/test.sh installs them (apt-get install chromium; npm ci in tests/js)"
            );
        }
        say(&format!("SKIPPED browser tests: {reason}"));
        return;
    }

    let files = test_files(&js, env::var("JIANGTANG_JS_TESTS").ok().as_deref());
    assert!(
        !files.is_empty(),
        "no *.test.mjs file under {} matched",
        js.display()
    );

    let site = SiteDir::build(&root);

    say(&format!(
        "running {} browser test files against {}",
        files.len(),
        site.0.display()
    ));
    let status = Command::new("node")
        .arg("--test")
        .arg("--test-reporter=spec")
        .arg("--test-timeout=900000") // 15 min per test: a hung browser fails, not CI
        .args(&files)
        .current_dir(&root)
        .env("JIANGTANG_BIN", env!("CARGO_BIN_EXE_jiangtang"))
        .env("SITE_DIR", &site.0)
        .env("BASE_PATH", BASE_PATH)
        .status()
        .expect("could not start node");
    assert!(
        status.success(),
        "browser tests failed ({status}); see the node test report above"
    );
}

/// Prints a line straight to stderr, past libtest's capture, so a skip is seen even
/// when the test passes.
fn say(line: &str) {
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// Why the browser tests cannot run here, if they cannot.
fn missing_tool(js: &Path) -> Option<String> {
    let node_ok = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !node_ok {
        return Some("`node` is not installed".into());
    }
    for package in ["playwright-core", "axe-core", "acorn"] {
        if !js.join("node_modules").join(package).is_dir() {
            return Some(format!(
                "tests/js/node_modules/{package} is missing (run `npm ci` in tests/js)"
            ));
        }
    }
    let chromium = env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if !Path::new(&chromium).exists() {
        return Some(format!(
            "{chromium} is missing (apt-get install -y chromium)"
        ));
    }
    None
}

/// Every `*.test.mjs` under `dir` (not in node_modules), sorted; with `filter`, only
/// those whose path contains one of its comma-separated words.
fn test_files(dir: &Path, filter: Option<&str>) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                if entry.file_name() != "node_modules" {
                    walk(&path, out);
                }
            } else if path.to_string_lossy().ends_with(".test.mjs") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(dir, &mut files);
    if let Some(filter) = filter {
        let words: Vec<&str> = filter
            .split(',')
            .map(str::trim)
            .filter(|w| !w.is_empty())
            .collect();
        files.retain(|f| words.iter().any(|w| f.to_string_lossy().contains(w)));
    }
    files.sort();
    files
}

/// The sample site built into a scratch folder, removed again when dropped.
struct SiteDir(PathBuf);

impl SiteDir {
    fn build(root: &Path) -> SiteDir {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("browser-site-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let output = Command::new(env!("CARGO_BIN_EXE_jiangtang"))
            .arg("build")
            .arg("--root")
            .arg(root)
            .arg("--output")
            .arg(&dir)
            .arg("--base-url")
            .arg(BASE_PATH)
            .output()
            .expect("could not run jiangtang");
        assert!(
            output.status.success(),
            "`jiangtang build` of the sample site failed ({}):\n{}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(
            dir.join("index.html").is_file(),
            "the built site has no index.html"
        );
        SiteDir(dir)
    }
}

impl Drop for SiteDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}
