//! `jiangtang build` end to end: the sample portal, base paths, escaping, and the
//! guarantee that a failed build leaves the previous output untouched.

mod common;

use std::path::Path;
use std::process::Command;

use common::{BIN, Site, links, repo, resolve, snapshot, stderr};

fn build_sample(out: &Path, base: &str) {
    let o = Command::new(BIN)
        .args(["build", "--root"])
        .arg(repo())
        .arg("--output")
        .arg(out)
        .args(["--base-url", base, "--now", "2026-11-28 10:00"])
        .output()
        .expect("run");
    assert!(
        o.status.success(),
        "sample site failed to build:\n{}",
        stderr(&o)
    );
}

fn html_files(public: &Path) -> Vec<std::path::PathBuf> {
    walkdir::WalkDir::new(public)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| e.into_path())
        .collect()
}

#[test]
fn sample_site_has_every_page_and_every_link_resolves() {
    let tmp = tempfile::tempdir().unwrap();
    let public = tmp.path().join("public");
    build_sample(&public, "/");
    for page in [
        "index.html",
        "404.html",
        "atom.xml",
        "sitemap.xml",
        "courses/index.html",
        "lectures/index.html",
        "cases/index.html",
        "search/index.html",
        "study/index.html",
        "about/index.html",
        "units/index.html",
        "speakers/index.html",
        "actions/index.html",
        "tags/index.html",
        "lectures/calendar.ics",
    ] {
        assert!(public.join(page).is_file(), "missing {page}");
    }
    let pages = html_files(&public);
    assert!(pages.len() > 100, "only {} pages", pages.len());
    let mut broken = Vec::new();
    for page in &pages {
        let html = std::fs::read_to_string(page).unwrap();
        assert!(
            html.contains("<html lang=\"zh-CN\""),
            "{} lacks lang",
            page.display()
        );
        for link in links(&html) {
            let lower = link.to_ascii_lowercase();
            assert!(
                !(lower.starts_with("http://")
                    || lower.starts_with("https://")
                    || lower.starts_with("//")),
                "{} links to another host: {link}",
                page.display()
            );
            if let Some(target) = resolve(&public, page, &link, "/")
                && !target.is_file()
            {
                broken.push(format!(
                    "{} → {link}",
                    page.strip_prefix(&public).unwrap().display()
                ));
            }
        }
    }
    assert!(
        broken.is_empty(),
        "{} broken links:\n{}",
        broken.len(),
        broken.join("\n")
    );
}

#[test]
fn lesson_titles_appear_in_their_course_syllabus() {
    let tmp = tempfile::tempdir().unwrap();
    let public = tmp.path().join("public");
    build_sample(&public, "/");
    let courses = repo().join("content/courses");
    let mut checked = 0;
    for course in std::fs::read_dir(&courses)
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_dir())
    {
        let slug = course.file_name().to_string_lossy().to_string();
        let page =
            std::fs::read_to_string(public.join("courses").join(&slug).join("index.html")).unwrap();
        for lesson in std::fs::read_dir(course.path()).unwrap().flatten() {
            let name = lesson.file_name().to_string_lossy().to_string();
            if name == "index.md" || !name.ends_with(".md") {
                continue;
            }
            let text = std::fs::read_to_string(lesson.path()).unwrap();
            if text.contains("\ndraft: true") {
                assert!(
                    !page.contains(&title_of(&text)),
                    "draft lesson {name} listed"
                );
                continue;
            }
            let title = title_of(&text);
            assert!(page.contains(&title), "{slug}: syllabus lacks {title}");
            checked += 1;
        }
    }
    assert!(checked >= 30, "only {checked} lessons checked");
}

fn title_of(md: &str) -> String {
    let line = md.lines().find(|l| l.starts_with("title:")).unwrap();
    let t = line["title:".len()..].trim().trim_matches('"');
    t.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[test]
fn base_url_prefixes_every_root_relative_link() {
    let tmp = tempfile::tempdir().unwrap();
    let public = tmp.path().join("public");
    build_sample(&public, "/training/");
    let mut bad = Vec::new();
    for page in html_files(&public) {
        let html = std::fs::read_to_string(&page).unwrap();
        for link in links(&html) {
            if link.starts_with('/') && !link.starts_with("/training/") {
                bad.push(format!("{}: {link}", page.display()));
            }
            if let Some(target) = resolve(&public, &page, &link, "/training/")
                && !target.is_file()
            {
                bad.push(format!("{}: {link} does not resolve", page.display()));
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
    let feed = std::fs::read_to_string(public.join("atom.xml")).unwrap();
    assert!(feed.contains("/training/"), "feed without base path");
}

#[test]
fn script_in_front_matter_is_text_and_raw_script_in_markdown_is_removed() {
    let evil = "<script>alert(1)</script>";
    let course = format!(
        "---\ntitle: \"课程{evil}\"\nsummary: \"简介{evil}\"\naction: 专业训练\nhours: 1\nunit: \"单位{evil}\"\n---\n\n<script>alert(2)</script>\n\n<p onclick=\"steal()\">点我</p>\n\n<a href=\"javascript:alert(3)\">链接</a>\n"
    );
    let lecture = format!(
        "---\ntitle: 讲座\nseries: 周周学\nstart: \"2026-03-15 09:00\"\nspeaker: \"张三{evil}\"\n---\n\n正文\n"
    );
    let site = Site::new(&[
        ("content/_index.md", "---\ntitle: 首页\n---\n"),
        ("content/courses/x/index.md", &course),
        ("content/lectures/l.md", &lecture),
    ]);
    let o = site.build(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut seen_escaped = 0;
    for (path, bytes) in snapshot(&site.public()) {
        let text = String::from_utf8_lossy(&bytes);
        if !(path.ends_with(".html") || path.ends_with(".xml")) {
            continue;
        }
        assert!(
            !text.contains("<script>alert"),
            "{path} contains a live script"
        );
        assert!(
            !text.contains("onclick"),
            "{path} contains an event handler"
        );
        assert!(
            !text.contains("javascript:"),
            "{path} contains a javascript: URL"
        );
        if text.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;")
            || text.contains("&lt;script&gt;alert(1)&lt;/script&gt;")
        {
            seen_escaped += 1;
        }
    }
    assert!(
        seen_escaped >= 3,
        "escaped text shown on only {seen_escaped} pages"
    );
    let course_page = std::fs::read_to_string(site.public().join("courses/x/index.html")).unwrap();
    assert!(
        course_page.contains("点我"),
        "the text of sanitised HTML is kept"
    );
}

#[test]
fn bom_and_crlf_files_build() {
    let site = Site::good();
    site.write(
        "content/cases/bom.md",
        b"\xEF\xBB\xBF---\ntitle: BOM \xE6\xA1\x88\xE4\xBE\x8B\nunit: x\n---\n\nbody\n",
    );
    site.write(
        "content/cases/crlf.md",
        b"---\r\ntitle: CRLF\r\nunit: x\r\n---\r\n\r\n## \xE6\xA0\x87\xE9\xA2\x98\r\n\r\nbody\r\n",
    );
    let o = site.build(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let bom = std::fs::read_to_string(site.public().join("cases/bom/index.html")).unwrap();
    assert!(bom.contains("BOM 案例"));
    let crlf = std::fs::read_to_string(site.public().join("cases/crlf/index.html")).unwrap();
    assert!(crlf.contains("id=\"标题\""));
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let site = Site::good();
    site.write(
        "content/cases/cao-gao.md",
        "---\ntitle: 草稿\nunit: x\ndraft: true\n---\n".as_bytes(),
    );
    site.write(
        "content/cases/wei-lai.md",
        "---\ntitle: 未来\nunit: x\npublish_date: 2030-01-01\n---\n".as_bytes(),
    );
    assert!(site.build(&[]).status.success());
    assert!(!site.public().join("cases/cao-gao/index.html").exists());
    assert!(!site.public().join("cases/wei-lai/index.html").exists());
    assert!(site.build(&["--drafts"]).status.success());
    assert!(site.public().join("cases/cao-gao/index.html").exists());
    assert!(site.public().join("cases/wei-lai/index.html").exists());
}

#[test]
fn init_creates_a_site_that_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("new-site");
    let o = Command::new(BIN).arg("init").arg(&dir).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let o = Command::new(BIN)
        .args(["build", "--root"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(dir.join("public/courses/ru-men/index.html").is_file());
    // The editing guide, with the starter's own actions listed from its site.yaml.
    let guide = std::fs::read_to_string(dir.join("public/guide/editing/index.html")).unwrap();
    assert!(guide.contains("<li><code>思想淬炼</code></li>"), "{guide}");
    let again = Command::new(BIN).arg("init").arg(&dir).output().unwrap();
    assert!(!again.status.success(), "init must refuse an existing site");
}

/// The guide shipped beside the program (`scripts/dist.sh` writes it with `jiangtang
/// markdown` from the starter site of the archive): a Markdown file to read on its own,
/// with the starter's own values written where the preview lists them, and no bare
/// site-values block left to read as if every field were free.
#[test]
fn the_shipped_guide_lists_the_starter_sites_values() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("site");
    assert!(
        Command::new(BIN)
            .arg("init")
            .arg(&dir)
            .status()
            .unwrap()
            .success()
    );
    let o = Command::new(BIN)
        .args(["markdown", "content/guide/editing.md", "--root"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let guide = String::from_utf8(o.stdout).unwrap();
    assert!(guide.starts_with("# 编辑指南\n\n本指南写给"), "{guide}");
    assert!(!guide.contains("```site-values"), "{guide}");
    assert!(!guide.contains("listed: false"), "front matter left in");
    let opts = jiangtang::Options {
        root: dir.clone(),
        ..jiangtang::Options::default()
    };
    let config = jiangtang::load_config(&opts).unwrap();
    assert!(!config.actions.is_empty() && !config.series.is_empty());
    for (key, heading, values) in [
        ("action", "（必填，选一个）：", &config.actions),
        ("series", "（选一个）：", &config.series),
    ] {
        let list: String = values.iter().map(|v| format!("- `{v}`\n")).collect();
        let expected = format!("`{key}`{heading}\n\n{list}\n");
        assert!(guide.contains(&expected), "{expected}\nnot in\n{guide}");
    }
}

#[test]
fn output_folder_cannot_be_the_site_itself() {
    let site = Site::good();
    let o = Command::new(BIN)
        .args(["build", "--root"])
        .arg(site.root())
        .arg("--output")
        .arg(site.root())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(site.root().join("content/_index.md").exists());
}

#[test]
fn summary_line_counts_pages_by_kind() {
    let site = Site::good();
    let o = site.build(&["--lang", "en"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("1 courses, 2 lessons, 1 lectures, 1 cases"),
        "{out}"
    );
}

#[test]
fn once_templates_are_rendered_once_and_given_to_every_page() {
    let site = Site::good();
    // A site's own `_once_` template replaces the theme's and is printed by base.html.
    site.write(
        "templates/_once_ui_strings.html",
        "<div id=\"ui-strings\" hidden data-note=\"{{ site.title }}·{{ nav | length }}\"></div>"
            .as_bytes(),
    );
    let o = site.build(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let home = std::fs::read_to_string(site.public().join("index.html")).unwrap();
    let case = std::fs::read_to_string(site.public().join("cases/index.html")).unwrap();
    let start = home
        .find("data-note=\"")
        .expect("the once output on the home page")
        + 11;
    let note = &home[start..start + home[start..].find('"').unwrap()];
    assert!(note.contains('·') && !note.starts_with('·'), "{note}");
    assert!(case.contains(&format!("data-note=\"{note}\"")), "{case}");

    // One that fails (per-page values are not defined there) fails the build with its
    // file named; the output stays as it was.
    let before = snapshot(&site.public());
    site.write("templates/_once_broken.html", b"<p>{{ canonical }}</p>");
    let o = site.build(&["--lang", "en"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("templates/_once_broken.html"),
        "{}",
        stderr(&o)
    );
    assert_eq!(before, snapshot(&site.public()));
}

#[test]
fn navigation_is_rendered_per_section_and_syllabus_items_per_lesson() {
    let site = Site::good();
    let o = site.build(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let read = |rel: &str| std::fs::read_to_string(site.public().join(rel)).unwrap();
    let nav_link = |html: &str, href: &str| -> String {
        let nav = &html[html.find("class=\"site-nav\"").expect("site nav")..];
        let nav = &nav[..nav.find("</nav>").unwrap()];
        let at = nav
            .find(&format!("<a href=\"{href}\""))
            .unwrap_or_else(|| panic!("no link to {href} in {nav}"));
        nav[at..at + nav[at..].find('>').unwrap()].to_string()
    };
    // The section's own page, a page in the section, a page outside every section.
    let catalogue = read("courses/index.html");
    let course = read("courses/ke-cheng/index.html");
    assert!(nav_link(&catalogue, "/courses/").contains("aria-current=\"page\""));
    assert!(nav_link(&course, "/courses/").contains("aria-current=\"true\""));
    assert!(!nav_link(&course, "/cases/").contains("aria-current"));
    assert!(nav_link(&read("about/index.html"), "/about/").contains("aria-current=\"page\""));
    // (The unit overview marks its own year tab current, outside the site navigation.)
    let units = read("units/index.html");
    let nav = &units[units.find("class=\"site-nav\"").expect("site nav")..];
    assert!(!nav[..nav.find("</nav>").expect("nav end")].contains("aria-current"));

    // Every lesson of the course, in order, this page's own marked current.
    let lesson = read("courses/ke-cheng/di-er-ke/index.html");
    let syllabus = &lesson[lesson.find("syllabus-compact").expect("syllabus")..];
    let syllabus = &syllabus[..syllabus.find("</ol>").unwrap()];
    let first = syllabus
        .find("data-lesson-id=\"courses/ke-cheng/di-yi-ke\">")
        .expect("first lesson, not current");
    let second = syllabus
        .find("data-lesson-id=\"courses/ke-cheng/di-er-ke\" class=\"is-current\">")
        .expect("second lesson, current");
    assert!(first < second, "{syllabus}");
    assert_eq!(syllabus.matches("is-current").count(), 1, "{syllabus}");
    assert_eq!(
        syllabus.matches("aria-current=\"page\"").count(),
        1,
        "{syllabus}"
    );

    // A site's own per-section template sees the section and the navigation page.
    site.write(
        "templates/_per_section_nav.html",
        b"<p id=\"where\">{{ section }}|{{ nav_page }}</p>",
    );
    let o = site.build(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(read("courses/index.html").contains("<p id=\"where\">courses|/courses/</p>"));
    assert!(read("courses/ke-cheng/index.html").contains("<p id=\"where\">courses|</p>"));

    // Per-page values are not defined there: the build fails with the template named
    // and the output stays as it was; so does a broken syllabus item.
    let before = snapshot(&site.public());
    for (name, text) in [
        ("templates/_per_section_nav.html", "<p>{{ canonical }}</p>"),
        ("templates/_syllabus_item.html", "<li>{{ canonical }}</li>"),
    ] {
        let good = site.root().join(name);
        let kept = std::fs::read(&good).ok();
        site.write(name, text.as_bytes());
        let o = site.build(&["--lang", "en"]);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        assert!(stderr(&o).contains(name), "{}", stderr(&o));
        assert_eq!(before, snapshot(&site.public()));
        match kept {
            Some(bytes) => site.write(name, &bytes),
            None => std::fs::remove_file(good).unwrap(),
        }
    }
}

#[test]
fn a_course_lists_the_first_six_cases_that_share_a_topic_or_a_field() {
    let site = Site::good();
    site.write(
        "content/courses/ke-cheng/index.md",
        "---\ntitle: 测试课程\naction: 专业训练\nhours: 2\nrequired: true\nunit: 市委组织部\ntopics: [乡村振兴]\ndomain: [数字政府]\n---\n\n简介。\n"
            .as_bytes(),
    );
    // Cases are listed newest first: c9 (9 January) … c1 (1 January).
    let tags = [
        (9, "topics: [乡村振兴]"),
        (8, "domain: [数字政府]"),
        (7, "topics: [基层治理]"),
        (6, "topics: [乡村振兴, 乡村振兴]"),
        (5, "topics: [乡村振兴]\ndomain: [数字政府]"),
        (4, "domain: [应急管理]"),
        (3, "topics: [乡村振兴]"),
        (2, "domain: [数字政府]"),
        (1, "topics: [乡村振兴]"),
    ];
    for (n, tag) in tags {
        site.write(
            &format!("content/cases/c{n}.md"),
            format!(
                "---\ntitle: 案例{n}\nunit: 市发改委\ndate: 2026-01-0{n}\n{tag}\n---\n\n正文。\n"
            )
            .as_bytes(),
        );
    }
    let o = site.build(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let html = std::fs::read_to_string(site.public().join("courses/ke-cheng/index.html")).unwrap();
    let start = html
        .find("id=\"cases-title\"")
        .expect("a related cases section");
    let section = &html[start..start + html[start..].find("</section>").unwrap()];
    let mut listed: Vec<&str> = Vec::new();
    for part in section.split("href=\"/cases/").skip(1) {
        let slug = &part[..part.find('/').unwrap()];
        if listed.last() != Some(&slug) {
            listed.push(slug);
        }
    }
    assert_eq!(listed, ["c9", "c8", "c6", "c5", "c3", "c2"]);
}

/// `content/<list>/_index.md` gives its list page a title, a description and the text
/// above the list, for each of the three lists.
#[test]
fn list_intro_files_give_their_lists_a_title_text_and_description() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let root = tmp.path();
    std::fs::copy(repo().join("site.yaml"), root.join("site.yaml")).expect("site.yaml");
    common::copy_dir(&repo().join("content"), &root.join("content"));
    let lists = [
        ("courses", "全市干部课程目录", "按“六大行动”分类的课程。"),
        (
            "lectures",
            "讲座与学习安排",
            "随州大讲堂、周周学和读书班的时间地点。",
        ),
        ("cases", "基层案例选编", "各单位报送的实践案例。"),
    ];
    for (folder, title, text) in lists {
        let intro = format!("---\ntitle: {title}\nsummary: {title}的说明\n---\n\n{text}\n");
        let path = root.join("content").join(folder).join("_index.md");
        std::fs::write(path, intro).expect("intro");
    }
    let out = root.join("public");
    let o = Command::new(BIN)
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(&out)
        .args(["--now", "2026-11-28 10:00"])
        .output()
        .expect("run");
    assert!(o.status.success(), "{}", stderr(&o));
    for (folder, title, text) in lists {
        let html = std::fs::read_to_string(out.join(folder).join("index.html")).expect("list");
        assert!(
            html.contains(&format!("<h1>{title}</h1>")),
            "{folder}: no title"
        );
        assert!(
            html.contains(&format!("<title>{title} – ")),
            "{folder}: no <title>"
        );
        assert!(
            html.contains(&format!("<p>{text}</p>")),
            "{folder}: no intro text"
        );
        assert!(
            html.contains(&format!(
                "<meta name=\"description\" content=\"{title}的说明\">"
            )),
            "{folder}: no description"
        );
    }
}

/// `listed: false` (the editing guide of the sample) publishes a page but keeps it out
/// of the search, the feed, the sitemap and the term pages.
#[test]
fn an_unlisted_page_is_published_but_not_listed() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let public = tmp.path().join("public");
    build_sample(&public, "/");
    let guide = "/guide/editing/";
    assert!(public.join("guide/editing/index.html").is_file());
    for file in ["sitemap.xml", "atom.xml", "tags/bian-ji-zhi-nan/index.html"] {
        let text = std::fs::read_to_string(public.join(file)).unwrap_or_default();
        assert!(!text.contains(guide), "{file} lists the guide");
    }
    let opts = jiangtang::Options {
        root: repo(),
        ..jiangtang::Options::default()
    };
    let (site, _, _) = jiangtang::load(&opts).expect("the sample loads");
    let docs = jiangtang::search::site::docs(&site);
    assert!(docs.iter().all(|d| d.url != guide), "the guide is searched");
    assert!(
        docs.iter().any(|d| d.url == "/about/"),
        "listed pages are searched"
    );
}

#[test]
fn a_sites_ui_strings_change_the_words_written_into_bodies_and_calendars() {
    let site = Site::good();
    site.write(
        "content/courses/ke-cheng/01-di-yi-ke.md",
        "---\ntitle: 第一课\nduration: 30\n---\n\n## 一、总体要求\n\n> [!TIP]\n> 先读原文。\n\n- [x] 已读\n- [ ] 未读\n\n```quiz\n- question: 对吗？\n  type: truefalse\n  answer: 对\n```\n"
            .as_bytes(),
    );
    site.write(
        "i18n/zh-CN.yaml",
        "quiz_title: 小测验\nquiz_check: 交卷\nquiz_true: 正确\nalert_tip: 小贴士\ntask_done: 读完了\nics_speaker: 报告人\n"
            .as_bytes(),
    );
    let o = site.build(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let read = |rel: &str| std::fs::read_to_string(site.public().join(rel)).unwrap();
    let lesson = read("courses/ke-cheng/di-yi-ke/index.html");
    for shown in [
        ">小测验</h2>",
        "hidden>交卷</button>",
        "> 正确</label>",
        "markdown-alert-title\">小贴士</p>",
        "checked aria-label=\"读完了\"",
    ] {
        assert!(lesson.contains(shown), "{shown} not on the lesson page");
    }
    for replaced in [">自测练习<", ">检查答案<", ">提示<", "\"已完成\""] {
        assert!(
            !lesson.contains(replaced),
            "{replaced} still on the lesson page"
        );
    }
    // Words the site did not override keep the theme's.
    assert!(lesson.contains("<summary>查看答案</summary>"));
    let ics = read("lectures/calendar.ics");
    assert!(ics.contains("报告人：张三"), "{ics}");
    assert!(!ics.contains("主讲："), "{ics}");
}

/// A card partial that fails on a card is reported, though the home and term pages print
/// the cards' `html` without including the partial, and nothing is published.
#[test]
fn a_card_partial_that_fails_is_reported_and_nothing_is_published() {
    let site = Site::good();
    site.write(
        "templates/_case_card.html",
        b"<li>{{ k.title }}{{ k.missing.deeper }}</li>\n",
    );
    // Only the home and term pages show the case's card.
    site.write(
        "templates/cases.html",
        b"{% extends \"base.html\" %}{% block content %}{% endblock content %}\n",
    );
    let o = site.build(&[]);
    assert!(!o.status.success(), "the build passed:\n{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("templates/_case_card.html"), "{err}");
    assert!(!site.public().exists());
}

/// A page's `aliases:` become pages at the old addresses that send readers on (meta
/// refresh, canonical and a plain link, base path included; relative in relative mode),
/// stay out of the sitemap, and are named in the script the study record reads.
#[test]
fn aliases_send_readers_from_old_addresses_to_the_page() {
    let mut files = common::GOOD_FILES.to_vec();
    files.push((
        "content/courses/ke-cheng/03-xin-ming.md",
        "---\ntitle: 第三课\naliases: [/courses/ke-cheng/jiu-ming/, \"http://edu.example.cn/training/old/lesson.html\"]\n---\n\n正文。\n",
    ));
    let site = Site::new(&files);
    let o = site.build(&["--base-url", "/training/"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let public = site.public();
    let read = |rel: &str| std::fs::read_to_string(public.join(rel)).unwrap_or_default();
    let new = "/training/courses/ke-cheng/xin-ming/";
    for old in ["courses/ke-cheng/jiu-ming/index.html", "old/lesson.html"] {
        let html = read(old);
        assert!(
            html.contains(&format!(
                "<meta http-equiv=\"refresh\" content=\"0; url={new}\">"
            )),
            "{old}: {html}"
        );
        assert!(
            html.contains(&format!("<link rel=\"canonical\" href=\"{new}\">")),
            "{old}"
        );
        assert!(
            html.contains(&format!("<a href=\"{new}\">第三课</a>")),
            "{old}"
        );
    }
    assert!(!read("sitemap.xml").contains("jiu-ming"));
    // The lesson loads the script mapping old ids to new ones, before the study record.
    let lesson = read("courses/ke-cheng/xin-ming/index.html");
    let scripts: Vec<&str> = lesson
        .split("<script src=\"/training/")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .collect();
    let at = |prefix: &str| scripts.iter().position(|s| s.starts_with(prefix));
    assert!(
        at("js/aliases.").is_some() && at("js/aliases.") < at("js/store."),
        "{scripts:?}"
    );
    let src = at("js/aliases.").map_or("", |i| scripts[i]);
    assert!(
        read(src).contains("\"courses/ke-cheng/jiu-ming\":\"courses/ke-cheng/xin-ming\""),
        "{}",
        read(src)
    );
    let o = site.build(&["--base-url", ""]);
    assert!(o.status.success(), "{}", stderr(&o));
    let html = read("courses/ke-cheng/jiu-ming/index.html");
    assert!(
        html.contains("content=\"0; url=../xin-ming/index.html\""),
        "{html}"
    );
    assert!(
        public
            .join("courses/ke-cheng/xin-ming/index.html")
            .is_file()
    );
}

#[test]
fn the_feed_carries_the_latest_pages_up_to_feed_limit() {
    let site = Site::with_cases(5, "案例", "", "feed_limit: 2\n");
    let o = site.build(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let feed = std::fs::read_to_string(site.public().join("atom.xml")).unwrap();
    let titles: Vec<&str> = feed
        .split("<entry>")
        .skip(1)
        .filter_map(|e| e.split("<title>").nth(1)?.split("</title>").next())
        .collect();
    assert_eq!(titles, ["案例5", "案例4"], "{feed}");
}

#[test]
fn calendar_links_offer_a_subscription_only_at_an_absolute_address() {
    let site = Site::good();
    // Every link to a calendar of many lectures (the site's, a series') on every page:
    // (page, the <a …>…</a>). One lecture's event file is added, not subscribed to.
    let ics_links = |base: &str| {
        let o = site.build(&["--base-url", base]);
        assert!(o.status.success(), "{}", stderr(&o));
        let mut found = Vec::new();
        for page in html_files(&site.public()) {
            let html = std::fs::read_to_string(&page).unwrap();
            for a in html.split("<a ").skip(1) {
                let a = a.split("</a>").next().unwrap_or_default();
                if a.contains(".ics\"") && !a.contains("event.ics\"") {
                    found.push((page.display().to_string(), a.to_string()));
                }
            }
        }
        assert!(found.len() >= 3, "{found:?}");
        found
    };
    for (page, a) in ics_links("/training/") {
        assert!(
            a.contains(" download") && a.contains("下载") && !a.contains("订阅"),
            "{page}: {a}"
        );
    }
    for (page, a) in ics_links("https://example.gov.cn/training/") {
        assert!(
            !a.contains(" download") && a.contains("订阅"),
            "{page}: {a}"
        );
    }
}

/// A site of seven cases tagged 共同 and a page size of three: the case library and the
/// tag's page take three pages each.
fn paged_site() -> Site {
    Site::with_cases(7, "分页案例", "tags: [共同]\n", "page_size: 3\n")
}

/// The titles of the cases a page of a list shows, in its order.
fn case_titles(html: &str) -> Vec<String> {
    html.split("分页案例")
        .skip(1)
        .filter_map(|rest| rest.split('<').next())
        .map(|n| format!("分页案例{n}"))
        .fold(Vec::new(), |mut seen, t| {
            // A card names its case in its link and its heading's text once.
            if !seen.contains(&t) {
                seen.push(t);
            }
            seen
        })
}

#[test]
fn lists_page_at_page_size_with_numbered_links_under_a_base_path() {
    let site = paged_site();
    let o = site.build(&["--base-url", "/training/"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let public = site.public();
    let read = |rel: &str| std::fs::read_to_string(public.join(rel)).unwrap_or_default();
    let tag = std::fs::read_dir(public.join("tags"))
        .unwrap()
        .filter_map(Result::ok)
        .find(|e| {
            read(&format!(
                "tags/{}/index.html",
                e.file_name().to_string_lossy()
            ))
            .contains("共同")
        })
        .map(|e| e.file_name().to_string_lossy().to_string())
        .expect("the tag 共同 has a page");
    for list in ["cases".to_string(), format!("tags/{tag}")] {
        let pages = [
            format!("{list}/index.html"),
            format!("{list}/page/2/index.html"),
            format!("{list}/page/3/index.html"),
        ];
        assert!(!public.join(format!("{list}/page/1/index.html")).exists());
        assert!(!public.join(format!("{list}/page/4/index.html")).exists());
        let shown: Vec<Vec<String>> = pages.iter().map(|p| case_titles(&read(p))).collect();
        // Newest first, three a page, each case on one page only.
        let want = [
            vec!["分页案例7", "分页案例6", "分页案例5"],
            vec!["分页案例4", "分页案例3", "分页案例2"],
            vec!["分页案例1"],
        ];
        assert_eq!(shown, want, "{list}");
        let middle = read(&pages[1]);
        let url = |n: u32| match n {
            1 => format!("/training/{list}/"),
            n => format!("/training/{list}/page/{n}/"),
        };
        assert!(
            middle.contains(&format!("<link rel=\"prev\" href=\"{}\">", url(1))),
            "{middle}"
        );
        assert!(
            middle.contains(&format!("<link rel=\"next\" href=\"{}\">", url(3))),
            "{middle}"
        );
        let nav = middle
            .split("<nav class=\"pagination\" aria-label=\"分页\">")
            .nth(1)
            .and_then(|n| n.split("</nav>").next())
            .expect("a pagination nav");
        assert!(
            nav.contains(&format!(
                "href=\"{}\" aria-current=\"page\" aria-label=\"第 2 页\">2</a>",
                url(2)
            )),
            "{nav}"
        );
        assert!(
            nav.contains(&format!("href=\"{}\" rel=\"prev\">上一页</a>", url(1))),
            "{nav}"
        );
        assert!(
            nav.contains(&format!("href=\"{}\" rel=\"next\">下一页</a>", url(3))),
            "{nav}"
        );
        assert!(
            nav.contains(&format!("href=\"{}\">最后一页</a>", url(3))),
            "{nav}"
        );
        assert!(nav.contains("第 2/3 页，列出第 4–6 项，共 7 项"), "{nav}");
        assert!(
            middle.contains("（第 2 页） – 测试站点</title>"),
            "{middle}"
        );
        // The first page has no way back, the last none on.
        let first = read(&pages[0]);
        assert!(!first.contains("rel=\"prev\"") && first.contains("rel=\"next\""));
        let last = read(&pages[2]);
        assert!(last.contains("rel=\"prev\"") && !last.contains("rel=\"next\""));
        for page in &pages {
            for link in links(&read(page)) {
                if let Some(target) = resolve(&public, &public.join(page), &link, "/training/") {
                    assert!(target.is_file(), "{page}: {link}");
                }
            }
        }
    }
    let sitemap = read("sitemap.xml");
    assert!(
        sitemap.contains("/training/cases/<") || sitemap.contains("/training/cases/</loc>"),
        "{sitemap}"
    );
    assert!(!sitemap.contains("/page/2/"), "{sitemap}");
}

#[test]
fn paged_lists_link_relatively_in_relative_mode() {
    let site = paged_site();
    let o = site.build(&["--base-url", ""]);
    assert!(o.status.success(), "{}", stderr(&o));
    let public = site.public();
    let page = public.join("cases/page/2/index.html");
    let html = std::fs::read_to_string(&page).unwrap();
    let nav = html
        .split("<nav class=\"pagination\"")
        .nth(1)
        .and_then(|n| n.split("</nav>").next())
        .expect("a pagination nav");
    let head = html.split("</head>").next().unwrap_or_default();
    let mut pager = links(nav);
    pager.extend(
        links(head)
            .into_iter()
            .filter(|l| !l.ends_with(".css") && !l.ends_with(".js")),
    );
    assert!(pager.len() >= 8, "{pager:?}");
    for link in pager {
        assert!(!link.starts_with('/'), "{link}");
        let target = resolve(&public, &page, &link, "/").expect("an internal link");
        assert!(target.is_file(), "{link}");
    }
}

#[test]
fn a_taxonomys_list_of_terms_pages_at_ten_times_page_size() {
    let site = Site::with_cases(0, "", "", "page_size: 1\n");
    for d in 1..=23 {
        site.write(
            &format!("content/cases/c{d}.md"),
            format!("---\ntitle: 案例{d}\nunit: 市发改委\ndate: 2026-03-01\ntags: [标签{d}]\n---\n\n正文。\n")
                .as_bytes(),
        );
    }
    let o = site.build(&["--base-url", "/training/"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let public = site.public();
    let read = |rel: &str| std::fs::read_to_string(public.join(rel)).unwrap_or_default();
    let pages = [
        "tags/index.html",
        "tags/page/2/index.html",
        "tags/page/3/index.html",
    ];
    assert!(!public.join("tags/page/4/index.html").exists());
    let mut seen = Vec::new();
    for (n, page) in pages.iter().enumerate() {
        let html = read(page);
        assert!(html.contains("共 23 项"), "{page} counts every tag");
        let list = html
            .split("<ul class=\"term-list\">")
            .nth(1)
            .and_then(|l| l.split("</ul>").next())
            .expect("a list of terms");
        let terms = links(list);
        assert_eq!(terms.len(), if n < 2 { 10 } else { 3 }, "{page}");
        seen.extend(terms);
        assert!(
            html.contains("<nav class=\"pagination\" aria-label=\"分页\">"),
            "{page}"
        );
    }
    assert!(read(pages[1]).contains("<link rel=\"next\" href=\"/training/tags/page/3/\">"));
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 23, "every tag once: {seen:?}");
    for url in &seen {
        let rel = url.trim_start_matches("/training/");
        assert!(public.join(rel).join("index.html").exists(), "{url}");
    }
}
