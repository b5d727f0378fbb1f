//! Search on real build output: the index the build writes, queried by the real browser
//! client (themes/default/static/js/search.js) running in Node — known-item recall on the
//! sample site and on a generated 1,000-page corpus.

mod common;

use std::path::Path;
use std::process::Command;

use common::{BIN, repo, stderr};

fn node_available() -> bool {
    let ok = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(std::env::var_os("CI").is_none(), "CI must install Node.js");
        eprintln!("SKIPPED: node is not installed");
    }
    ok
}

/// Builds `root` into `out` and writes the documents the index was made from.
fn build_with_docs(root: &Path, out: &Path, docs: &Path) {
    let o = Command::new(BIN)
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let built = jiangtang::build(&jiangtang::Options {
        root: root.to_path_buf(),
        ..Default::default()
    })
    .unwrap_or_else(|d| panic!("{d:?}"));
    let json = jiangtang::search::recall_docs_json(&jiangtang::search::site::docs(&built.site));
    std::fs::write(docs, json).unwrap();
}

fn recall(public: &Path, docs: &Path, extra: &[&str]) {
    let o = Command::new("node")
        .arg(repo().join("tests/js/search/recall.mjs"))
        .arg(public)
        .arg(docs)
        .args(["--min", "0.99"])
        .args(extra)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&o.stdout);
    eprintln!("{report}");
    assert!(
        o.status.success(),
        "recall below 0.99:\n{report}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn every_page_of_the_sample_site_is_found_by_its_own_text() {
    if !node_available() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let (public, docs) = (tmp.path().join("public"), tmp.path().join("docs.json"));
    build_with_docs(&repo(), &public, &docs);
    assert!(public.join("search/index.json.gz").is_file());
    recall(&public, &docs, &["--per-page", "8"]);
}

#[test]
fn a_generated_thousand_page_corpus_is_searchable() {
    let generator = repo().join("../shared/bench/gen_corpus.py");
    if !generator.is_file() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI has ../shared beside the clone"
        );
        eprintln!("SKIPPED: {} not found", generator.display());
        return;
    }
    if !node_available() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let o = Command::new("python3")
        .arg(&generator)
        .args([
            "--pages",
            "1000",
            "--seed",
            "7",
            "--flavor",
            "jiangtang",
            "--out",
        ])
        .arg(&site)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let (public, docs) = (tmp.path().join("public"), tmp.path().join("docs.json"));
    build_with_docs(&site, &public, &docs);
    recall(&public, &docs, &["--pages", "500", "--per-page", "2"]);
}
