//! The body of the fuzz target, kept apart so that `tests/editors.rs` replays the corpus
//! with the same code on stable Rust.

use std::path::Path;
use std::sync::{Arc, LazyLock};

use jiangtang::Config;
use jiangtang::content::{SourceFile, frontmatter, quiz};
use jiangtang::diagnostic::{Lang, Report, source_text};
use jiangtang::site::{BodyWords, BuildOptions, Site};

/// Read once: the default theme's quiz words come from parsing its UI strings.
static WORDS: LazyLock<BodyWords> = LazyLock::new(BodyWords::default);

/// Where the fuzzed file is placed: the first byte picks the kind of page.
const PATHS: &[&str] = &[
    "courses/ke/index.md",
    "courses/ke/01-di-yi-ke.md",
    "lectures/jiang-zuo.md",
    "cases/an-li.md",
    "about.md",
    "_index.md",
    "courses/_index.md",
];

/// A course, so that lessons have one, and a page to link to.
const COURSE: &str = "---\ntitle: 课程\naction: 专业训练\nhours: 2\n---\n\n## 一、总体要求\n";
const CASE: &str = "---\ntitle: 案例\nunit: 市发改委\n---\n\n## 主要做法\n";

fn source(rel: &str, bytes: &[u8]) -> Arc<SourceFile> {
    Arc::new(SourceFile {
        path: Path::new("content").join(rel),
        rel: rel.to_string(),
        bytes: bytes.to_vec().into(),
    })
}

/// One fuzz input: must never panic.
pub fn content(data: &[u8]) {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let rel = PATHS[usize::from(selector) % PATHS.len()];
    let mut sources = vec![source(rel, bytes)];
    if rel != "courses/ke/index.md" {
        sources.push(source("courses/ke/index.md", COURSE.as_bytes()));
    }
    if rel != "cases/an-li.md" {
        sources.push(source("cases/an-li.md", CASE.as_bytes()));
    }
    let Ok(now) = jiff::civil::DateTime::new(2026, 3, 10, 10, 0, 0, 0) else {
        return;
    };
    let opts = BuildOptions {
        drafts: selector & 0x80 != 0,
        now,
        words: WORDS.clone(),
    };
    let diags = match Site::build(Config::default(), &sources, Vec::new(), &opts) {
        Ok((_, warnings)) => warnings,
        Err(errors) => errors,
    };
    // Every diagnostic printed as the editor sees it, with the source line and caret.
    let text = source_text(bytes);
    for d in diags.iter().filter(|d| d.path.ends_with(rel)) {
        for (lang, color) in [(Lang::Zh, false), (Lang::En, true)] {
            let report = Report {
                lang,
                color,
                root: None,
            };
            let _ = report.render_one(d, Some(&text));
        }
    }
    let _ = jiangtang::diagnostic::to_json(&diags, Lang::Zh, None);
    // The parsers on their own, on the whole text.
    let _ = quiz::parse(Path::new("content/q.md"), &text, 1);
    let _ = frontmatter::parse_date(&text);
    let _ = frontmatter::parse_datetime(&text);
    let _ = frontmatter::parse_time(&text);
    let _ = frontmatter::explain_date("date", &text);
    let _ = Config::parse(Path::new("site.yaml"), bytes);
}
