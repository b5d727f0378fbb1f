//! Incremental rebuilds (the dev server's path) give exactly what a full build gives.

mod common;

use std::path::PathBuf;

use common::Site;
use jiangtang::{Diagnostic, Lang, Options, build, rebuild};

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
    // As the dev server does while it waits: the copy of the output is made ahead.
    prev.prepare_rebuild();
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
    assert_eq!(inc.output.copies, full.output.copies);
    inc
}

/// Writes the oldest case of a `Site::with_cases` site (`c1`, dated the first) anew,
/// `rest` its front matter's lines after the date.
fn write_oldest_case(site: &Site, title: &str, rest: &str) {
    site.write(
        "content/cases/c1.md",
        format!("---\ntitle: {title}\nunit: 市发改委\ndate: 2026-03-01\n{rest}\n---\n\n正文。\n")
            .as_bytes(),
    );
}

/// Whether the rebuild `b` kept `file` of the build `a` as it was (not rendered again).
fn same_file(a: &jiangtang::Built, b: &jiangtang::Built, file: &str) -> bool {
    std::sync::Arc::ptr_eq(&a.output.files[file], &b.output.files[file])
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

const LESSON_1: &str = "content/courses/ke-cheng/01-di-yi-ke.md";

fn lesson_1(extra: &str) -> String {
    format!("---\ntitle: 第一课\nduration: 30\n{extra}---\n\n## 一、总体要求\n\n正文。\n")
}

fn messages(diags: &[Diagnostic]) -> Vec<String> {
    diags
        .iter()
        .map(|d| d.display(Lang::En).to_string())
        .collect()
}

/// Lesson 2 links to lesson 1. Lesson 2's Markdown, rendered once and reused while no
/// link target moves, must be checked again when lesson 1 stops being published, and
/// say why.
#[test]
fn a_link_target_leaving_the_build_is_reported_and_its_return_rebuilds() {
    let site = Site::good();
    let first = build(&opts(&site)).unwrap();
    let changed = [PathBuf::from(LESSON_1)];
    for (extra, why) in [
        ("draft: true\n", "is a draft (draft: true)"),
        ("publish_date: 2026-04-01\n", "is scheduled for 2026-04-01"),
        (
            "expiry_date: 2026-03-01\n",
            "is past its expiry_date (2026-03-01)",
        ),
    ] {
        site.write(LESSON_1, lesson_1(extra).as_bytes());
        let err = rebuild(&first, &opts(&site), &changed)
            .err()
            .unwrap_or_else(|| panic!("a link to a page with {extra:?} passed"));
        assert_eq!(err.len(), 1, "{:?}", messages(&err));
        assert_eq!(
            err[0].location(),
            "content/courses/ke-cheng/02-di-er-ke.md:6:2"
        );
        assert!(err[0].message.en.contains(why), "{}", err[0].message.en);
        // With --drafts the same edit builds, incrementally as in full.
        let drafts = Options {
            drafts: true,
            ..opts(&site)
        };
        let inc = rebuild(&first, &drafts, &changed);
        assert!(inc.is_ok(), "{:?}", inc.err().map(|e| messages(&e)));
    }
    // Published again: the lesson's link works as before.
    site.write(LESSON_1, lesson_1("").as_bytes());
    assert_same(&site, &[LESSON_1], &first);

    // The dev server rebuilds from the last good build with every file changed since:
    // a draft again, and the link removed from lesson 2.
    site.write(LESSON_1, lesson_1("draft: true\n").as_bytes());
    let lesson_2 = "content/courses/ke-cheng/02-di-er-ke.md";
    site.write(
        lesson_2,
        "---\ntitle: 第二课\nduration: 40\n---\n\n正文。\n".as_bytes(),
    );
    assert_same(&site, &[LESSON_1, lesson_2], &first);
}

/// `build` and `check` warn about content links written as `/path`; so does the dev
/// server's rebuild, for the pages it checks again, and it keeps the others' warnings.
#[test]
fn root_absolute_link_warnings_follow_incremental_rebuilds() {
    let site = Site::good();
    let first = build(&opts(&site)).unwrap();
    assert!(first.warnings.is_empty(), "{:?}", messages(&first.warnings));
    // Writes `file`, rebuilds from `prev` and compares the warnings with a full build's.
    let step = |prev: &jiangtang::Built, file: &str, text: &str, count: usize| {
        site.write(file, text.as_bytes());
        let next = rebuild(prev, &opts(&site), &[PathBuf::from(file)]).unwrap();
        let full = build(&opts(&site)).unwrap();
        assert_eq!(messages(&next.warnings), messages(&full.warnings));
        assert_eq!(next.warnings.len(), count, "{:?}", messages(&next.warnings));
        next
    };
    let case = "content/cases/an-li.md";
    let case_text =
        |link: &str| format!("---\ntitle: 案例\nunit: 市发改委\n---\n\n见[课程]({link})。\n");
    let second = step(&first, case, &case_text("/courses/ke-cheng/"), 1);
    assert_eq!(second.warnings[0].location(), "content/cases/an-li.md:6:2");
    let hint = &second.warnings[0].hint.en;
    assert!(hint.contains("@/courses/ke-cheng/index.md"), "{hint}");
    // Another page edited: the case is not read again and keeps its warning.
    let third = step(
        &second,
        "content/about.md",
        "---\ntitle: 关于\n---\n\n改过。\n",
        1,
    );
    // A new page: every page is checked again.
    let fourth = step(
        &third,
        "content/cases/xin.md",
        "---\ntitle: 新\nunit: x\n---\n\n[首页](/)\n",
        2,
    );
    // Fixed: the warning goes.
    step(&fourth, case, &case_text("@/courses/ke-cheng/index.md"), 1);
}

#[test]
fn pages_keep_the_order_of_a_full_build() {
    // Folder by folder, `a/b.md` comes before `a-b.md`, though `-` sorts before `/`.
    let site = Site::good();
    site.write(
        "content/a/b.md",
        "---\ntitle: 乙\n---\n\n正文。\n".as_bytes(),
    );
    site.write(
        "content/a-b.md",
        "---\ntitle: 甲乙\n---\n\n正文。\n".as_bytes(),
    );
    let first = build(&opts(&site)).unwrap();
    site.write(
        "content/a/b.md",
        "---\ntitle: 乙（修订）\n---\n\n正文。\n".as_bytes(),
    );
    let second = assert_same(&site, &["content/a/b.md"], &first);
    site.write(
        "content/a/c.md",
        "---\ntitle: 丙\n---\n\n正文。\n".as_bytes(),
    );
    let third = assert_same(&site, &["content/a/c.md"], &second);
    let order = |b: &jiangtang::Built| b.site.pages().map(|p| p.url.clone()).collect::<Vec<_>>();
    let full = build(&opts(&site)).unwrap();
    assert_eq!(order(&third), order(&full));
}

/// A broken link written in an edit of a body alone is explained with the page it most
/// likely meant, by the titles of the pages as they are now.
#[test]
fn a_broken_link_in_a_body_edit_suggests_the_page_meant() {
    let site = Site::good();
    let first = build(&opts(&site)).unwrap();
    site.write(
        "content/cases/an-li.md",
        "---\ntitle: 测试案例\nunit: 市发改委\ndate: 2026-01-01\n---\n\n见[第二课](@/courses/ke-cheng/02-er.md)。\n"
            .as_bytes(),
    );
    let err = rebuild(
        &first,
        &opts(&site),
        &[PathBuf::from("content/cases/an-li.md")],
    )
    .err()
    .expect("a broken link fails the rebuild");
    assert_eq!(messages(&err).len(), 1, "{:?}", messages(&err));
    assert_eq!(err[0].location(), "content/cases/an-li.md:7:2");
    assert!(
        err[0].hint.en.contains("@/courses/ke-cheng/02-di-er-ke.md"),
        "{}",
        err[0].hint.en
    );
    // The full build says the same.
    let full = build(&opts(&site)).err().expect("the full build fails too");
    assert_eq!(messages(&full), messages(&err));
}

#[test]
fn adding_and_removing_an_old_address_rebuilds_like_a_full_build() {
    let site = Site::good();
    let first = build(&opts(&site)).unwrap();
    let lesson = "content/courses/ke-cheng/01-di-yi-ke.md";
    site.write(
        lesson,
        "---\ntitle: 第一课\naliases: [/courses/ke-cheng/jiu-ke/]\n---\n\n## 一、总体要求\n"
            .as_bytes(),
    );
    let second = assert_same(&site, &[lesson], &first);
    assert!(
        second
            .output
            .files
            .contains_key("courses/ke-cheng/jiu-ke/index.html")
    );
    site.write(
        lesson,
        "---\ntitle: 第一课\n---\n\n## 一、总体要求\n".as_bytes(),
    );
    let third = assert_same(&site, &[lesson], &second);
    assert!(
        !third
            .output
            .files
            .contains_key("courses/ke-cheng/jiu-ke/index.html")
    );
}

#[test]
fn a_front_matter_edit_renders_again_only_the_list_pages_that_show_it() {
    let site = Site::with_cases(7, "案例", "tags: [共同]\n", "page_size: 3\n");
    let first = build(&opts(&site)).unwrap();
    let tag = first
        .output
        .files
        .keys()
        .find(|k| k.starts_with("tags/") && k.ends_with("/page/3/index.html"))
        .map(|k| k.trim_end_matches("page/3/index.html").to_string())
        .expect("the tag's third page");
    // The oldest case, alone on the last page of each list, gets a new title.
    write_oldest_case(&site, "案例一", "tags: [共同]");
    let second = assert_same(&site, &["content/cases/c1.md"], &first);
    let kept = |file: &str| same_file(&first, &second, file);
    for list in ["cases/".to_string(), tag] {
        assert!(kept(&format!("{list}index.html")), "{list}");
        assert!(kept(&format!("{list}page/2/index.html")), "{list}");
        assert!(!kept(&format!("{list}page/3/index.html")), "{list}");
    }
    // Dated the newest, it moves to the first page and every page shows others.
    site.write(
        "content/cases/c1.md",
        "---\ntitle: 案例一\nunit: 市发改委\ndate: 2026-03-09\ntags: [共同]\n---\n\n正文。\n"
            .as_bytes(),
    );
    assert_same(&site, &["content/cases/c1.md"], &second);
}

#[test]
fn an_edit_renders_again_only_the_card_shards_and_term_lists_that_show_it() {
    // 23 cases, three a page: eight pages, and the card index's three shards of ten.
    let site = Site::with_cases(
        23,
        "案例",
        "tags: [共同]\ndomain: 乡村振兴\n",
        "page_size: 3\n",
    );
    site.write(
        "content/cases/c2.md",
        "---\ntitle: 案例二\nunit: 市发改委\ndate: 2026-03-02\ntags: [共同, 其他]\ndomain: 乡村振兴\n---\n\n正文。\n"
            .as_bytes(),
    );
    let first = build(&opts(&site)).unwrap();
    let shards = [
        "cases/page/cards-1.json",
        "cases/page/cards-2.json",
        "cases/page/cards-3.json",
    ];
    for file in shards
        .iter()
        .chain(&["cases/page/cards.json", "tags/index.html"])
    {
        assert!(first.output.files.contains_key(*file), "{file}");
    }
    assert!(!first.output.files.contains_key("cases/page/cards-4.json"));
    // The oldest case, the last card of the last shard, gets a new title.
    write_oldest_case(&site, "改过的案例一", "tags: [共同]\ndomain: 乡村振兴");
    let second = assert_same(&site, &["content/cases/c1.md"], &first);
    let kept = |file: &str| same_file(&first, &second, file);
    assert!(
        kept(shards[0]) && kept(shards[1]),
        "the shards without it are not rendered again"
    );
    assert!(!kept(shards[2]));
    let last = String::from_utf8_lossy(&second.output.files[shards[2]]).into_owned();
    assert!(last.contains("改过的案例一"), "{last}");
    // Its terms are the same: the lists of terms are not rendered again.
    assert!(kept("tags/index.html") && kept("domains/index.html"));

    // The other tag on it too: the tags' list counts one more page for it.
    write_oldest_case(
        &site,
        "改过的案例一",
        "tags: [共同, 其他]\ndomain: 乡村振兴",
    );
    let third = assert_same(&site, &["content/cases/c1.md"], &second);
    let again = |file: &str| same_file(&second, &third, file);
    assert!(!again("tags/index.html"));
    assert!(
        again("domains/index.html"),
        "the fields' list shows nothing new"
    );
    // The terms changed, whose addresses the cards link to: every shard is made again.
    assert!(shards.iter().all(|f| !again(f)));
}

/// Renaming a term on one page (a case's field, a course's tag and unit) gives the term a
/// new address and changes what every list that shows it says: the paged lists, their
/// card shards, the terms' lists and pages and the unit overview follow, as a full build.
#[test]
fn renaming_a_term_on_one_page_rebuilds_like_a_full_build() {
    let site = Site::with_cases(
        23,
        "案例",
        "tags: [共同]\ndomain: 乡村振兴\n",
        "page_size: 3\n",
    );
    let course = |tag: &str, unit: &str| {
        format!(
            "---\ntitle: 课程{tag}\naction: 专业训练\nhours: 2\nunit: {unit}\ndomain: 乡村振兴\ntags: [{tag}]\n---\n\n简介。\n"
        )
    };
    for k in 1..=7 {
        site.write(
            &format!("content/courses/k{k}/index.md"),
            course("共同", "市发改委").as_bytes(),
        );
        site.write(
            &format!("content/courses/k{k}/01-a.md"),
            "---\ntitle: 第一课\nduration: 30\n---\n\n正文。\n".as_bytes(),
        );
    }
    let first = build(&opts(&site)).unwrap();
    write_oldest_case(&site, "案例1", "tags: [共同]\ndomain: 基层治理");
    let second = assert_same(&site, &["content/cases/c1.md"], &first);
    let course_1 = "content/courses/k1/index.md";
    site.write(course_1, course("改名", "市统计局").as_bytes());
    let third = assert_same(&site, &[course_1], &second);
    // And back: the terms and their addresses are those of the first build again.
    write_oldest_case(&site, "案例1", "tags: [共同]\ndomain: 乡村振兴");
    let fourth = assert_same(&site, &["content/cases/c1.md"], &third);
    site.write(course_1, course("共同", "市发改委").as_bytes());
    assert_same(&site, &[course_1], &fourth);
}

/// Quizzes are written in bodies, and the practice bank shows them: a body edit that
/// adds a quiz, changes a question or removes the quiz rebuilds the practice pages and
/// their data as a full build does.
#[test]
fn a_quiz_edited_in_a_body_rebuilds_the_practice_bank() {
    let quiz = |question: &str| {
        format!(
            "---\ntitle: 第一课\nduration: 30\n---\n\n## 一、总体要求\n\n正文。\n\n```quiz\n- question: {question}\n  options: [甲, 乙]\n  answer: B\n  explanation: 解析。\n```\n"
        )
    };
    let site = Site::good();
    let first = build(&opts(&site)).unwrap();
    site.write(LESSON_1, quiz("第一问").as_bytes());
    let second = assert_same(&site, &[LESSON_1], &first);
    let data = |b: &jiangtang::Built| {
        String::from_utf8_lossy(&b.output.files["practice/data/1.json"]).to_string()
    };
    assert!(data(&second).contains("第一问"));
    site.write(LESSON_1, quiz("改过的问题").as_bytes());
    let third = assert_same(&site, &[LESSON_1], &second);
    assert!(data(&third).contains("改过的问题"));
    site.write(LESSON_1, lesson_1("").as_bytes());
    let fourth = assert_same(&site, &[LESSON_1], &third);
    assert!(!fourth.output.files.contains_key("practice/data/1.json"));
}
