//! Every page light at scale: a generated corpus of 2,000 pages (the benchmark's
//! generator, `../shared/bench/gen_corpus.py`, as `tests/facts.rs` uses it) is built
//! and its output checked for what a cadre on a slow intranet PC meets.
//!
//! The goal is no HTML page over 200 KB at 10,000 pages. A page that lists the site
//! (home, lists, their later pages, terms, taxonomies, the schedule's years and months,
//! search, 我的学习, 岗位练兵 and its bank's pages) may grow with it, so at 2,000 pages it gets its share of the goal,
//! 200 KB × 2,000 / 10,000 = 40 KB, plus 30 KB for what every page carries whatever the
//! site's size (layout, navigation, filters, one page of cards). A content page or a
//! course's print view grows with its own text only and is held to the 200 KB itself.

mod common;

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{BIN, links, resolve, stderr};

const KB: u64 = 1000;
/// The limit of a page that lists the site, at 2,000 pages.
const LISTING_LIMIT: u64 = 200 * KB * 2_000 / 10_000 + 30 * KB;
/// The limit of a page that shows one item.
const ITEM_LIMIT: u64 = 200 * KB;

/// The folders of the taxonomies' pages.
const TAXONOMIES: &[&str] = &[
    "actions", "levels", "domains", "topics", "units", "speakers", "series", "tags",
];

/// Builds the corpus once for every test of this file.
fn corpus() -> &'static Path {
    static BUILT: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    BUILT
        .get_or_init(|| {
            let tmp = tempfile::tempdir().expect("temp dir");
            let root = tmp.path().join("corpus");
            common::generated_corpus(2000, 42, &root);
            let o = Command::new(BIN)
                .args(["build", "--root"])
                .arg(&root)
                .arg("--output")
                .arg(tmp.path().join("public"))
                .args(["--now", "2026-12-07 09:00"])
                .output()
                .expect("run jiangtang");
            assert!(o.status.success(), "build failed:\n{}", stderr(&o));
            tmp
        })
        .path()
}

fn public() -> PathBuf {
    corpus().join("public")
}

/// Every HTML file of the output, by its path under it (`cases/page/2/index.html`).
fn html_files(public: &Path) -> BTreeSet<String> {
    walkdir::WalkDir::new(public)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .filter_map(|e| {
            let rel = e.path().strip_prefix(public).ok()?;
            Some(rel.to_string_lossy().replace('\\', "/"))
        })
        .collect()
}

/// Whether the page at `rel` lists the site rather than showing one item.
fn lists_the_site(rel: &str) -> bool {
    let parts: Vec<&str> = rel.split('/').collect();
    let year_or_month =
        |s: &str| s.len() >= 4 && s.chars().all(|c| c.is_ascii_digit() || c == '-') && s.len() <= 7;
    match parts.as_slice() {
        ["index.html"] | ["404.html"] => true,
        [top, ..] if TAXONOMIES.contains(top) => true,
        [
            "search" | "study" | "courses" | "cases" | "lectures",
            "index.html",
        ] => true,
        ["courses" | "cases", "page", ..] => true,
        ["practice", ..] => true,
        ["lectures", ym, "index.html"] => year_or_month(ym),
        _ => false,
    }
}

#[test]
fn every_page_is_within_its_share_of_200_kb() {
    let public = public();
    let mut over = Vec::new();
    for rel in html_files(&public) {
        let size = std::fs::metadata(public.join(&rel)).expect("stat").len();
        let limit = if lists_the_site(&rel) {
            LISTING_LIMIT
        } else {
            ITEM_LIMIT
        };
        if size > limit {
            over.push(format!("{rel}: {size} bytes, over {limit}"));
        }
    }
    assert!(
        over.is_empty(),
        "pages over their limit:\n{}",
        over.join("\n")
    );
}

/// The item URL of each card of a list (its title's link), in page order.
fn card_items(html: &str) -> Vec<String> {
    html.split("<h3 class=\"card-title\"><a href=\"")
        .skip(1)
        .filter_map(|card| card.split('"').next())
        .map(str::to_string)
        .collect()
}

/// The pages of the list at `dir` (`cases`, `tags/x`), first to last, by following its
/// `rel="next"` links.
fn pages_of(public: &Path, dir: &str) -> Vec<String> {
    let mut pages = vec![format!("{dir}/index.html")];
    loop {
        let html = std::fs::read_to_string(public.join(pages.last().expect("a page")))
            .expect("read a list page");
        let next = html
            .split("<link rel=\"next\" href=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next());
        match next {
            Some(url) => {
                let rel = format!("{}index.html", url.trim_start_matches('/'));
                assert!(!pages.contains(&rel), "{dir}: the pages go round at {rel}");
                pages.push(rel);
            }
            None => return pages,
        }
    }
}

#[test]
fn every_item_is_on_exactly_one_page_of_its_list() {
    let public = public();
    let files = html_files(&public);
    let items_of = |kind: &str| -> BTreeSet<String> {
        files
            .iter()
            .filter(|rel| {
                let parts: Vec<&str> = rel.split('/').collect();
                parts.len() == 3 && parts[0] == kind && parts[1] != "page"
            })
            .map(|rel| format!("/{}", rel.trim_end_matches("index.html")))
            .collect()
    };
    for (list, kind) in [("courses", "courses"), ("cases", "cases")] {
        let pages = pages_of(&public, list);
        assert!(
            pages.len() > 1,
            "{list} takes more than one page at 2,000 pages"
        );
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        for page in &pages {
            let html = std::fs::read_to_string(public.join(page)).expect("read");
            for url in card_items(&html) {
                *seen.entry(url).or_default() += 1;
            }
        }
        let twice: Vec<&String> = seen
            .iter()
            .filter(|(_, n)| **n > 1)
            .map(|(u, _)| u)
            .collect();
        assert!(twice.is_empty(), "{list}: on more than one page: {twice:?}");
        let shown: BTreeSet<String> = seen.into_keys().collect();
        assert_eq!(shown, items_of(kind), "{list}: the items of its pages");
    }
    // A term's pages list what carries it: as many cards and links as its count.
    let mut paged_terms = 0;
    for rel in files.iter().filter(|r| r.ends_with("/page/2/index.html")) {
        let dir = rel.trim_end_matches("/page/2/index.html");
        if !TAXONOMIES.iter().any(|t| dir.starts_with(&format!("{t}/"))) {
            continue;
        }
        paged_terms += 1;
        let mut seen = Vec::new();
        for page in pages_of(&public, dir) {
            let html = std::fs::read_to_string(public.join(&page)).expect("read");
            seen.extend(card_items(&html));
            for list in html.split("<ul class=\"link-list\">").skip(1) {
                let list = list.split("</ul>").next().unwrap_or_default();
                seen.extend(links(list));
            }
        }
        let first =
            std::fs::read_to_string(public.join(format!("{dir}/index.html"))).expect("read");
        let status = first
            .split("<p class=\"pagination-status\">")
            .nth(1)
            .and_then(|s| s.split("</p>").next())
            .expect("a paged term says how many it lists");
        let count: usize = status
            .rsplit("共 ")
            .next()
            .and_then(|s| s.trim_end_matches(" 项").parse().ok())
            .expect("the count of the term's items");
        let distinct: BTreeSet<&String> = seen.iter().collect();
        assert_eq!(distinct.len(), seen.len(), "{dir}: an item on two pages");
        assert_eq!(seen.len(), count, "{dir}: {status}");
    }
    assert!(paged_terms > 0, "no term takes more than one page");
}

#[test]
fn every_speaker_is_on_exactly_one_page_of_the_speakers_list() {
    let public = public();
    let pages = pages_of(&public, "speakers");
    assert!(
        pages.len() > 1,
        "the speakers' list takes more than one page"
    );
    let mut listed = Vec::new();
    for page in &pages {
        let html = std::fs::read_to_string(public.join(page)).expect("read");
        let list = html
            .split("<ul class=\"term-list\">")
            .nth(1)
            .and_then(|l| l.split("</ul>").next())
            .expect("a list of speakers");
        listed.extend(links(list));
    }
    let speakers: BTreeSet<String> = html_files(&public)
        .into_iter()
        .filter(|rel| {
            let parts: Vec<&str> = rel.split('/').collect();
            parts.len() == 3 && parts[0] == "speakers" && parts[1] != "page"
        })
        .map(|rel| format!("/{}", rel.trim_end_matches("index.html")))
        .collect();
    let distinct: BTreeSet<String> = listed.iter().cloned().collect();
    assert_eq!(distinct.len(), listed.len(), "a speaker on two pages");
    assert_eq!(
        distinct, speakers,
        "the list's pages link every speaker's page"
    );
}

/// The limit of a data file a page reads when it opens, at 2,000 pages.
const DATA_LIMIT: u64 = 200 * KB * 2_000 / 10_000;

/// The `<li>` of each card of a list page, as the page prints it.
fn card_html(html: &str) -> Vec<String> {
    let list = html
        .split("<ul class=\"card-list")
        .nth(1)
        .and_then(|l| l.split_once('>'))
        .map(|(_, l)| l.split("\n  </ul>").next().unwrap_or_default())
        .unwrap_or_default();
    list.split("<li class=\"card ")
        .skip(1)
        .map(|card| format!("<li class=\"card {}", card.trim_end()))
        .collect()
}

#[test]
fn the_card_index_holds_every_item_as_the_lists_pages_show_it() {
    let public = public();
    for (list, fields) in [("courses", 5), ("cases", 3)] {
        let index_file = public.join(format!("{list}/page/cards.json"));
        let size = std::fs::metadata(&index_file).expect("the index").len();
        assert!(size <= DATA_LIMIT, "{list}: the index is {size} bytes");
        let index: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&index_file).expect("read")).expect("JSON");
        let pages: Vec<String> = pages_of(&public, list)
            .iter()
            .flat_map(|p| card_html(&std::fs::read_to_string(public.join(p)).expect("read")))
            .collect();
        let items = index["items"].as_array().expect("items");
        assert_eq!(items.len(), pages.len(), "{list}: one entry per card");
        let terms = index["terms"].as_array().expect("terms");
        assert_eq!(terms.len(), fields, "{list}: a list of values per field");
        for item in items {
            let values = item[2].as_array().expect("values per field");
            for (field, numbers) in values.iter().enumerate() {
                for n in numbers.as_array().expect("numbers") {
                    let n = usize::try_from(n.as_u64().expect("a number")).expect("small");
                    assert!(n < terms[field].as_array().expect("values").len());
                }
            }
        }
        let mut shards = Vec::new();
        for n in 1.. {
            let file = public.join(format!("{list}/page/cards-{n}.json"));
            let Ok(bytes) = std::fs::read(&file) else {
                break;
            };
            assert!(bytes.len() as u64 <= DATA_LIMIT, "{}", file.display());
            let cards: Vec<String> = serde_json::from_slice(&bytes).expect("JSON");
            shards.extend(cards.into_iter().map(|c| c.trim_end().to_string()));
        }
        assert_eq!(
            shards, pages,
            "{list}: the shards hold the pages' cards, in order"
        );
    }
}

/// A list longer than a part of the card index (2,000 items) has its items in parts,
/// each file under the data limit, which together hold every card of the list in order.
#[test]
fn a_long_list_has_its_card_index_in_parts() {
    let site = common::Site::new(&[]);
    for d in 1..=2_050 {
        let domain = if d <= 50 {
            "基层治理"
        } else {
            "乡村振兴"
        };
        // A day of its own, later for a larger d: the list shows c2050 first.
        let (year, rest) = (2010 + d / 300, d % 300);
        let date = format!("{year}-{:02}-{:02}", rest / 25 + 1, rest % 25 + 1);
        site.write(
            &format!("content/cases/c{d}.md"),
            format!(
                "---\ntitle: 案例{d}\nunit: 市发改委\ndate: {date}\ndomain: {domain}\n---\n\n正文。\n"
            )
            .as_bytes(),
        );
    }
    let o = site.build(&[]);
    assert!(o.status.success(), "build failed:\n{}", stderr(&o));
    let public = site.public();
    let read = |name: &str| {
        let bytes = std::fs::read(public.join("cases/page").join(name)).expect("a part");
        // The goal itself: no file a page reads on opening passes 200 KB.
        assert!(
            bytes.len() as u64 <= 200 * KB,
            "{name}: {} bytes",
            bytes.len()
        );
        serde_json::from_slice::<serde_json::Value>(&bytes).expect("JSON")
    };
    let index = read("cards.json");
    assert_eq!(index["parts"], 2);
    let mut items = index["items"].as_array().expect("items").clone();
    let part = index["part"].as_str().expect("the parts' address");
    items.extend(
        read(&part.replace("{n}", "2"))
            .as_array()
            .expect("items")
            .clone(),
    );
    assert!(!public.join("cases/page/cards-part-3.json").exists());
    let cards: Vec<String> = pages_of(&public, "cases")
        .iter()
        .flat_map(|p| card_items(&std::fs::read_to_string(public.join(p)).expect("read")))
        .collect();
    assert_eq!(
        items.len(),
        cards.len(),
        "one entry per card, in the list's order"
    );
    // The oldest fifty, last in the list, are the field's only items: the second part's.
    let domains = index["terms"][1].as_array().expect("the fields' values");
    let rare = domains
        .iter()
        .position(|d| d == "基层治理")
        .expect("the field");
    let with_rare: Vec<usize> = (0..items.len())
        .filter(|&k| {
            items[k][2][1]
                .as_array()
                .is_some_and(|v| v.iter().any(|n| n == rare))
        })
        .collect();
    assert_eq!(with_rare, (2_000..2_050).collect::<Vec<_>>());
}

/// The course ids of `html`'s 我的学习 items, in order.
fn study_ids(html: &str) -> Vec<String> {
    html.split("<li class=\"study-course\" data-course-id=\"")
        .skip(1)
        .filter_map(|li| li.split('"').next())
        .map(str::to_string)
        .collect()
}

#[test]
fn study_pages_hold_every_course_in_catalogue_order() {
    let public = public();
    let html = std::fs::read_to_string(public.join("study/index.html")).expect("the study page");
    let attr = html
        .split("data-study-index=\"")
        .nth(1)
        .and_then(|a| a.split('"').next())
        .expect("the page names its data files");
    let index: serde_json::Value =
        serde_json::from_str(&attr.replace("&quot;", "\"")).expect("JSON");
    let ids: Vec<String> = serde_json::from_value(index["ids"].clone()).expect("ids");
    // The catalogue's order: its pages' cards link to the courses.
    let catalogue: Vec<String> = pages_of(&public, "courses")
        .iter()
        .flat_map(|p| card_items(&std::fs::read_to_string(public.join(p)).expect("read")))
        .map(|href| href.trim_matches('/').to_string())
        .collect();
    assert_eq!(ids, catalogue, "the index lists the catalogue's courses");
    let per_page = index["per_page"].as_u64().expect("per_page");
    let files = index["files"].as_array().expect("files");
    assert_eq!(files.len() as u64, (ids.len() as u64).div_ceil(per_page));
    let mut listed = Vec::new();
    for (n, file) in files.iter().enumerate() {
        let address = file.as_str().expect("an address");
        let path = address.split('?').next().expect("a path");
        assert_eq!(path, format!("data/{}.json", n + 1));
        let bytes = std::fs::read(public.join("study").join(path)).expect("a data file");
        // A page of courses grows with its courses' lessons only, as a content page does.
        assert!(
            bytes.len() as u64 <= ITEM_LIMIT,
            "{address}: {} bytes",
            bytes.len()
        );
        let items: Vec<String> = serde_json::from_slice(&bytes).expect("JSON");
        assert!(items.len() as u64 <= per_page);
        listed.extend(items.iter().flat_map(|li| study_ids(li)));
        if n == 0 {
            assert_eq!(
                study_ids(&html),
                study_ids(&items.concat()),
                "the page shows page 1"
            );
        }
    }
    assert_eq!(
        listed, ids,
        "the data files hold every course once, in order"
    );
}

#[test]
fn a_crawl_without_javascript_from_the_home_page_reaches_every_page() {
    let public = public();
    let files = html_files(&public);
    let mut reached: BTreeSet<String> = BTreeSet::new();
    let mut queue: VecDeque<String> = VecDeque::from(["index.html".to_string()]);
    reached.insert("index.html".into());
    while let Some(rel) = queue.pop_front() {
        let from = public.join(&rel);
        let html = std::fs::read_to_string(&from).expect("read");
        for link in links(&html) {
            let Some(target) = resolve(&public, &from, &link, "/") else {
                continue;
            };
            let Ok(to) = target.strip_prefix(&public) else {
                continue;
            };
            let to = to.to_string_lossy().replace('\\', "/");
            if files.contains(&to) && reached.insert(to.clone()) {
                queue.push_back(to);
            }
        }
    }
    let missed: Vec<&String> = files
        .iter()
        .filter(|rel| !reached.contains(*rel) && rel.as_str() != "404.html")
        .collect();
    assert!(
        missed.is_empty(),
        "{} pages not reached: {missed:?}",
        missed.len()
    );
}
