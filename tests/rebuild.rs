//! Incremental rebuilds (the dev server's path) give exactly what a full build gives.

mod common;

use std::path::PathBuf;

use common::Site;
use jiangtang::{Options, build, rebuild};

fn opts(site: &Site) -> Options {
    Options {
        root: site.root().to_path_buf(),
        now: jiangtang::content::frontmatter::parse_datetime("2026-03-10 10:00"),
        ..Options::default()
    }
}

fn assert_same(site: &Site, changed: &[&str], prev: &jiangtang::Built) -> jiangtang::Built {
    let o = opts(site);
    let changed: Vec<PathBuf> = changed.iter().map(PathBuf::from).collect();
    let mut inc = rebuild(prev, &o, &changed).unwrap_or_else(|d| panic!("rebuild failed: {d:?}"));
    // The search index is refreshed separately (the dev server does it after the reload).
    jiangtang::add_search_index(&inc.site, &mut inc.output);
    let full = build(&o).unwrap_or_else(|d| panic!("build failed: {d:?}"));
    let keys = |b: &jiangtang::Built| b.output.files.keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&inc), keys(&full));
    for (k, v) in &full.output.files {
        assert!(
            inc.output.files[k] == *v,
            "{k} differs from a full build after changing {changed:?}"
        );
    }
    inc
}

#[test]
fn body_edit_front_matter_edit_and_new_page_rebuild_like_a_full_build() {
    let site = Site::good();
    let first = build(&opts(&site)).unwrap();
    site.write(
        "content/courses/ke-cheng/01-di-yi-ke.md",
        "---\ntitle: 第一课\nduration: 30\n---\n\n## 一、总体要求\n\n改过的正文。\n".as_bytes(),
    );
    let second = assert_same(&site, &["content/courses/ke-cheng/01-di-yi-ke.md"], &first);
    assert!(
        String::from_utf8_lossy(&second.output.files["courses/ke-cheng/di-yi-ke/index.html"])
            .contains("改过的正文")
    );
    site.write(
        "content/courses/ke-cheng/01-di-yi-ke.md",
        "---\ntitle: 第一课（修订）\nduration: 35\n---\n\n## 一、总体要求\n\n正文。\n".as_bytes(),
    );
    let third = assert_same(&site, &["content/courses/ke-cheng/01-di-yi-ke.md"], &second);
    site.write(
        "content/cases/xin-an-li.md",
        "---\ntitle: 新案例\nunit: 市发改委\n---\n\n新。\n".as_bytes(),
    );
    let fourth = assert_same(&site, &["content/cases/xin-an-li.md"], &third);
    std::fs::remove_file(site.root().join("content/cases/xin-an-li.md")).unwrap();
    assert_same(&site, &["content/cases/xin-an-li.md"], &fourth);
}

#[test]
fn a_broken_edit_fails_and_the_fix_rebuilds() {
    let site = Site::good();
    let first = build(&opts(&site)).unwrap();
    site.write("content/cases/an-li.md", b"---\ntitle: [\n---\n");
    let err = rebuild(
        &first,
        &opts(&site),
        &[PathBuf::from("content/cases/an-li.md")],
    )
    .err()
    .unwrap();
    assert!(err[0].location().starts_with("content/cases/an-li.md:"));
    site.write(
        "content/cases/an-li.md",
        "---\ntitle: 修好了\nunit: x\n---\n".as_bytes(),
    );
    let fixed = assert_same(&site, &["content/cases/an-li.md"], &first);
    assert!(
        String::from_utf8_lossy(&fixed.output.files["cases/an-li/index.html"]).contains("修好了")
    );
}
