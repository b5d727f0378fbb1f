//! The model built with and without the cache of earlier builds.
use std::collections::BTreeMap;

use super::urls::{folder_url, strip_order_prefix};
use super::*;
use crate::content;
use crate::content::SourceFile;

#[test]
fn reading_time_counts_han_and_words() {
    assert_eq!(reading_minutes(&"字".repeat(600)), 2);
    assert_eq!(reading_minutes("a few words"), 1);
    assert_eq!(
        reading_minutes(&format!("{} {}", "字".repeat(300), "word ".repeat(200))),
        2
    );
}

#[test]
fn order_prefix_is_not_in_the_url() {
    assert_eq!(strip_order_prefix("01-qi-yuan"), "qi-yuan");
    assert_eq!(strip_order_prefix("01"), "01");
    assert_eq!(strip_order_prefix("2026-plan"), "plan");
}

fn file(rel: &str, text: &str) -> Arc<SourceFile> {
    Arc::new(SourceFile {
        path: std::path::Path::new("content").join(rel),
        rel: rel.into(),
        bytes: text.as_bytes().to_vec().into(),
    })
}

fn site_files() -> Vec<Arc<SourceFile>> {
    vec![
        file(
            "cases/c.md",
            "---\ntitle: 案例\nunit: 市发该委\ndate: 2026-01-05\n---\n案例正文。\n",
        ),
        file(
            "courses/a/01-one.md",
            "---\ntitle: 第一课\n---\n见[第二课](02-two.md#第二节)。\n",
        ),
        file(
            "courses/a/02-two.md",
            "---\ntitle: 第二课\n---\n## 第二节\n\n正文。\n",
        ),
        file(
            "courses/a/index.md",
            "---\ntitle: 课程\naction: 思想淬炼\nhours: 2\nunit: 市发改委\ntags: [党史]\n---\n课程介绍。\n",
        ),
        file(
            "lectures/x.md",
            "---\ntitle: 讲座甲\nstart: \"2026-03-15 09:00\"\nlocation: 礼堂\ncourse: ../courses/a\n---\n",
        ),
        file(
            "lectures/y.md",
            "---\ntitle: 讲座乙\nstart: \"2026-03-15 10:00\"\nlocation: 礼堂\n---\n",
        ),
    ]
}

type Built = Result<(Site, Vec<Diagnostic>), Vec<Diagnostic>>;

fn build(sources: &[Arc<SourceFile>], cache: &Cache) -> Built {
    let opts = BuildOptions {
        drafts: false,
        now: jiff::civil::date(2026, 3, 10).at(10, 0, 0, 0),
        words: BodyWords::default(),
    };
    Site::build_with(Config::default(), sources, Vec::new(), &opts, cache)
}

/// Everything a build decides, in a stable order.
fn summary(built: &Built) -> String {
    let (site, diags) = match built {
        Err(diags) => return format!("{diags:?}"),
        Ok(b) => b,
    };
    let pages: Vec<String> = site
        .pages()
        .map(|p| {
            format!(
                "{} {} {:?} {:?} {} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?}",
                p.url,
                p.id,
                p.src.common,
                p.src.meta,
                p.src.body.as_str(),
                p.md.html,
                p.md.text,
                p.md.toc,
                p.reading_minutes,
                p.course,
                p.lessons,
                (p.prev, p.next),
                p.prerequisites,
                p.attachments,
            )
        })
        .collect();
    let sections: BTreeMap<_, _> = site.sections.iter().collect();
    format!(
        "{pages:#?} {:?} {sections:?} {:?} {:?} {:?} {:?} {:?} {:?} {diags:?}",
        site.home,
        [Kind::Course, Kind::Lecture, Kind::Case, Kind::Page].map(|k| site.of(k)),
        site.taxonomies,
        site.schedule,
        site.files,
        site.config.title,
        site.now,
    )
}

fn structure_of_built(built: &Built) -> Option<Arc<Structure>> {
    let (site, _) = built.as_ref().ok()?;
    cache::structure_of(&site.cache)
}

/// Builds after each edit with the cache of the last good build, like the dev server,
/// and checks the result against a build without cache. Returns whether the edit
/// reused the structure of the previous build.
fn edit(sources: &mut [Arc<SourceFile>], last: &mut Built, rel: &str, text: &str) -> bool {
    let i = sources.iter().position(|s| s.rel == rel).unwrap();
    sources[i] = file(rel, text);
    let cache = last
        .as_ref()
        .map(|(s, _)| s.cache.clone())
        .unwrap_or_default();
    let next = build(sources, &cache);
    assert_eq!(
        summary(&next),
        summary(&build(sources, &Cache::default())),
        "{rel}"
    );
    let reused = match (structure_of_built(last), structure_of_built(&next)) {
        (Some(a), Some(b)) => Arc::ptr_eq(&a, &b),
        _ => false,
    };
    if next.is_ok() {
        *last = next;
    }
    reused
}

#[test]
fn builds_from_the_cache_equal_full_builds() {
    let mut sources = site_files();
    let mut last = build(&sources, &Cache::default());
    let (_, warnings) = last.as_ref().unwrap();
    // The overlap of the two lectures and the near-duplicate unit.
    assert_eq!(warnings.len(), 2, "{warnings:?}");

    // Bodies only: the structure is reused, the Markdown rendered again.
    let two = "---\ntitle: 第二课\n---\n## 第二节\n\n新的正文，更长一些。\n";
    assert!(edit(&mut sources, &mut last, "courses/a/02-two.md", two));
    let one = "---\ntitle: 第一课\n---\n见[第二课](02-two.md#第二节)和[课程](index.md)。\n";
    assert!(edit(&mut sources, &mut last, "courses/a/01-one.md", one));
    // The same bytes saved again.
    assert!(edit(&mut sources, &mut last, "courses/a/01-one.md", one));
    // A heading renamed breaks the anchor linking to it: an error, like a full build.
    let renamed = "---\ntitle: 第二课\n---\n## 第三节\n\n正文。\n";
    assert!(!edit(
        &mut sources,
        &mut last,
        "courses/a/02-two.md",
        renamed
    ));
    assert!(edit(&mut sources, &mut last, "courses/a/02-two.md", two));

    // Front matter: a comment moves the warnings below it, a new value changes terms.
    let case = "---\n# 说明\ntitle: 案例\nunit: 市发该委\ndate: 2026-01-05\n---\n案例正文。\n";
    assert!(!edit(&mut sources, &mut last, "cases/c.md", case));
    let lecture = "---\ntitle: 讲座乙\nstart: \"2026-03-15 12:00\"\nlocation: 礼堂\n---\n";
    assert!(!edit(&mut sources, &mut last, "lectures/y.md", lecture));
    let (_, warnings) = last.as_ref().unwrap();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
}

#[test]
fn slugs_of_plain_names_are_the_names() {
    for name in ["lesson-01", "a", "2026", "a-b-c"] {
        assert_eq!(content::slugify(name), name);
    }
    for (name, slug) in [
        ("-a", "a"),
        ("a-", "a"),
        ("a--b", "a-b"),
        ("", "page"),
        ("A", "a"),
    ] {
        assert_eq!(content::slugify(name), slug);
    }
}

/// Units, speakers and tags get their slugs and order from how the names are read:
/// 广水市 guang-shui-shi, 曾都区 zeng-du-qu (not yan-shui-shi, ceng-du-qu), a speaker
/// surnamed 曾 zeng; `site.yaml` `slugs:` spells a name the editor's way.
#[test]
fn terms_read_right_and_sort_by_their_reading() {
    let case = |name: &str, unit: &str| {
        file(
            &format!("cases/{name}.md"),
            &format!("---\ntitle: 案例\nunit: {unit}\ndate: 2026-01-05\n---\n正文。\n"),
        )
    };
    let lecture = file(
        "lectures/z.md",
        "---\ntitle: 讲座\nstart: \"2026-03-15 09:00\"\nspeaker: 曾庆华\nunit: 随县\n---\n",
    );
    let sources = vec![
        case("a", "曾都区"),
        case("b", "广水市"),
        case("c", "安陆市"),
        case("d", "市长江办"),
        lecture,
    ];
    let mut config = Config::default();
    config.slugs.insert("市长江办".into(), "cjb".into());
    let opts = BuildOptions {
        drafts: false,
        now: jiff::civil::date(2026, 3, 10).at(10, 0, 0, 0),
        words: BodyWords::default(),
    };
    let (site, _) = Site::build_with(config, &sources, Vec::new(), &opts, &Cache::default())
        .expect("the site builds");
    let urls = |key: &str| -> Vec<(String, String)> {
        let tax = site
            .taxonomies
            .iter()
            .find(|t| t.key == key)
            .expect("taxonomy");
        tax.terms
            .iter()
            .map(|t| (t.name.clone(), t.url.clone()))
            .collect()
    };
    let pair = |n: &str, u: &str| (n.to_string(), u.to_string());
    assert_eq!(
        urls("unit"),
        [
            pair("安陆市", "/units/an-lu-shi/"),
            pair("市长江办", "/units/cjb/"),
            pair("广水市", "/units/guang-shui-shi/"),
            pair("随县", "/units/sui-xian/"),
            pair("曾都区", "/units/zeng-du-qu/"),
        ]
    );
    assert_eq!(
        urls("speaker"),
        [pair("曾庆华", "/speakers/zeng-qing-hua/")]
    );
}

/// A slug `site.yaml` spells keeps its address: a name whose pinyin is the same is
/// numbered instead.
#[test]
fn spelled_slugs_win_over_homophones() {
    let term = |name: &str, slug: &str| taxonomy::Term {
        name: name.into(),
        slug: slug.into(),
        url: String::new(),
        pages: Vec::new(),
        speaker_title: None,
    };
    let mut terms = vec![term("城关", "cheng-guan"), term("成关", "cheng-guan")];
    let spelled = BTreeMap::from([("成关".to_string(), "cheng-guan".to_string())]);
    taxonomy::number_homophones(&mut terms, &spelled);
    let slugs: Vec<&str> = terms.iter().map(|t| t.slug.as_str()).collect();
    assert_eq!(slugs, ["cheng-guan-2", "cheng-guan"]);
}

#[test]
fn folder_urls_are_ascii() {
    assert_eq!(folder_url("guide/编辑指南"), "/guide/bian-ji-zhi-nan/");
    assert_eq!(folder_url(""), "/");
}
