//! Tests of the index writer, and the small fixture site whose index the Node
//! tests of `search.js` read from `tests/js/search/fixture/` (kept up to date by
//! `fixture_index_is_up_to_date`; regenerate with `JT_UPDATE_SEARCH_FIXTURE=1`).

use std::collections::BTreeMap;
use std::io::Read;
use std::path::PathBuf;

use super::delta::IndexBase;
use super::{IndexOptions, SearchDoc, build_index, recall_docs_json, tokenize};
use crate::content::Kind;

fn doc(url: &str, title: &str, kind: Kind, body: &str) -> SearchDoc {
    SearchDoc {
        url: url.to_string(),
        title: title.to_string(),
        kind,
        breadcrumb: Vec::new(),
        headings: Vec::new(),
        body: body.to_string(),
        action: None,
        levels: Vec::new(),
        domains: Vec::new(),
        date: None,
    }
}

/// The fixture site: programme pages, Pagefind's regression texts (issues 1237
/// and 987), traditional and simplified pages, mixed scripts and dates.
pub(super) fn fixture_docs() -> Vec<SearchDoc> {
    let mut docs = Vec::new();
    let course = "新时代党的创新理论";
    let mut c = doc(
        "/courses/xin-shi-dai/",
        course,
        Kind::Course,
        "本课程面向全市党员干部，系统学习新时代党的创新理论。\n\n\
         课程分为理论学习、专题研讨和实践锻炼三个部分，共十二学时。",
    );
    c.breadcrumb = vec!["课程".into()];
    c.headings = vec!["课程目标".into(), "学习安排".into()];
    c.action = Some("思想淬炼".into());
    c.levels = vec!["县处级".into(), "乡科级".into()];
    c.domains = vec!["党的建设".into()];
    docs.push(c);
    for (i, (slug, title, body)) in [
        (
            "01-li-lun",
            "第1课：党员干部的理论武装",
            "理论武装是党员干部提高能力的基础。周周学安排每周一次集中学习，\
             第一议题制度要求把学习放在会议的第一项。",
        ),
        (
            "02-shi-jian",
            "第2课：在实践中锻炼",
            "选派年轻干部到乡村振兴一线、信访接待窗口和项目建设一线\n挂职锻炼，\
             在岗位大练兵和擂台比武中提升本领。",
        ),
        (
            "03-yan-tao",
            "第3课：专题研讨",
            "专题研讨围绕产业发展、基层治理、乡村振兴等主题展开，每组提交一份调研报告。",
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let mut l = doc(
            &format!("/courses/xin-shi-dai/{slug}/"),
            title,
            Kind::Lesson,
            body,
        );
        l.breadcrumb = vec!["课程".into(), course.into()];
        l.action = Some("思想淬炼".into());
        l.levels = vec!["县处级".into()];
        l.domains = vec!["党的建设".into()];
        l.headings = vec![format!("第{}部分", i + 1)];
        docs.push(l);
    }
    let mut r = doc(
        "/courses/rust-ru-men/",
        "Rust 所有权与借用",
        Kind::Course,
        "Rust 的所有权（ownership）规则让内存安全在编译期得到保证。\
         本课程适合信息化岗位的干部，配合 HTML5 与 CSS3 的网页开发课程学习。",
    );
    r.action = Some("专业训练".into());
    r.domains = vec!["数字政府".into()];
    r.breadcrumb = vec!["课程".into()];
    docs.push(r);
    let mut lec = doc(
        "/lectures/2026-03-da-jiang-tang/",
        "随州大讲堂：乡村振兴的随州实践",
        Kind::Lecture,
        "时间：2026年3月15日 周日 09:00–11:30。地点：市委党校报告厅。\
         本期随州大讲堂由市农业农村局主要负责同志主讲，介绍香菇、茶叶等特色产业的发展经验。",
    );
    lec.date = Some("2026-03-15".into());
    lec.breadcrumb = vec!["讲座".into()];
    docs.push(lec);
    let mut lec2 = doc(
        "/lectures/2025-11-zhou-zhou-xue/",
        "周周学：基层治理中的群众工作方法",
        Kind::Lecture,
        "时间：2025年11月7日。周周学面向机关干部，本期讨论基层治理和网格化管理。",
    );
    lec2.date = Some("2025-11-07".into());
    lec2.breadcrumb = vec!["讲座".into()];
    docs.push(lec2);
    let mut case = doc(
        "/cases/dang-yuan-xia-ji-ceng/",
        "黨員幹部下基層",
        Kind::Case,
        "本案例以繁體中文記錄：某鎮組織黨員幹部下基層，走訪農戶，解決群眾反映的問題。",
    );
    case.breadcrumb = vec!["案例".into()];
    case.domains = vec!["基层治理".into()];
    case.date = Some("2025-06-01".into());
    docs.push(case);
    let mut case2 = doc(
        "/cases/xiang-cun-zhen-xing/",
        "乡村振兴",
        Kind::Case,
        "某村依托香菇产业推进乡村振兴，村集体经济收入三年翻了一番。",
    );
    case2.breadcrumb = vec!["案例".into()];
    case2.domains = vec!["乡村振兴".into()];
    docs.push(case2);
    let mut case3 = doc(
        "/cases/chan-ye-fa-zhan/",
        "产业发展带动乡村振兴的三点做法",
        Kind::Case,
        "一是培育龙头企业；二是完善利益联结机制；三是加强技能培训。乡村振兴离不开人才。",
    );
    case3.breadcrumb = vec!["案例".into()];
    docs.push(case3);
    // Pagefind issue 987: substrings across jieba's word boundaries.
    docs.push(doc(
        "/about/jian-ti/",
        "关于本站文字",
        Kind::Page,
        "这是一段简体中文的说明文字，用来检查任意子串都能被搜索到。",
    ));
    // Pagefind issue 1237: eight zh-TW pages that all contain 迴圈.
    let loops = [
        (
            "for",
            "for 迴圈",
            "for 迴圈會重複執行程式區塊，直到條件不成立為止。",
        ),
        ("while", "while 迴圈", "while迴圈在每次執行前先檢查條件。"),
        (
            "nested",
            "巢狀迴圈",
            "在迴圈之中再放一個迴圈，稱為巢狀迴圈。",
        ),
        ("break", "跳出迴圈", "使用 break 可以提前結束迴圈。"),
        (
            "infinite",
            "無窮迴圈",
            "條件永遠成立時，程式會陷入無窮迴圈。",
        ),
        ("array", "用迴圈走訪陣列", "走訪陣列時常用迴圈搭配索引。"),
        ("speed", "迴圈的效能", "減少迴圈內的運算可以提升效能。"),
        (
            "intro",
            "程式設計入門",
            "迴圈是程式設計的基本概念，與條件判斷同樣重要。",
        ),
    ];
    for (slug, title, body) in loops {
        docs.push(doc(
            &format!("/about/xun-huan/{slug}/"),
            title,
            Kind::Page,
            body,
        ));
    }
    // A page long enough to be cut into several text pieces, with a phrase found
    // only near its end.
    let mut long = String::new();
    for n in 1..=110 {
        long.push_str(&format!(
            "学习笔记第{n}段：今天整理了关于社区服务的{}条体会，逐条写明做法和效果。\n\n",
            n % 7 + 2
        ));
    }
    long.push_str("全文结尾处写着独一无二的收官标记。");
    docs.push(doc("/about/chang-pian/", "长篇学习笔记", Kind::Page, &long));
    docs.push(doc(
        "/about/",
        "关于学习平台",
        Kind::Page,
        "随州市干部能力提升学习平台汇集课程、讲座和案例。学习进度只保存在本机浏览器中，\
         是个人学习记录，不作为正式学时登记。",
    ));
    docs
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let _ = flate2::read::MultiGzDecoder::new(bytes).read_to_end(&mut out);
    out
}

/// The first gzip member of a pack, un-gzipped (metadata group 0 of `m/0.gz`).
fn first_member(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let _ = flate2::read::GzDecoder::new(bytes).read_to_end(&mut out);
    out
}

fn files() -> BTreeMap<String, Vec<u8>> {
    build_index(&fixture_docs()).into_iter().collect()
}

/// The fixture site after three edits: one case rewritten, one lecture removed and
/// one case added with an action and a field the site did not have.
fn edited_docs() -> Vec<SearchDoc> {
    let mut docs = fixture_docs();
    docs.retain(|d| d.url != "/lectures/2025-11-zhou-zhou-xue/");
    for d in &mut docs {
        if d.url == "/cases/chan-ye-fa-zhan/" {
            d.body = "园区招商实行项目专班制，量子通信产业链落户随州高新区。".into();
        }
    }
    let mut added = doc(
        "/cases/shu-zi-zheng-wu/",
        "数字政务一网通办",
        Kind::Case,
        "市政务服务中心推行一网通办，群众办事平均跑动次数降到零点三次。",
    );
    added.breadcrumb = vec!["案例".into()];
    added.action = Some("数字赋能".into());
    added.domains = vec!["数字政府".into(), "党的建设".into()];
    docs.push(added);
    docs
}

/// The delta files of [`edited_docs`] over the fixture index, numbered 1.
fn delta_files() -> BTreeMap<String, Vec<u8>> {
    delta_of(&edited_docs(), 1)
}

/// The delta files of `docs` over the fixture index, numbered `n`.
fn delta_of(docs: &[SearchDoc], n: u64) -> BTreeMap<String, Vec<u8>> {
    let base_docs = fixture_docs();
    let full = files();
    let base = IndexBase::new(&base_docs, &full["search/index.json.gz"]);
    let Some(base) = base else {
        panic!("the fixture's entry file gives no base");
    };
    let changes = base.changes(docs);
    base.delta(docs, &changes, n, &IndexOptions::default())
        .into_iter()
        .collect()
}

/// The fixture site with one page removed and nothing else changed: a delta of no
/// page that only hides one.
fn removal_docs() -> Vec<SearchDoc> {
    let mut docs = fixture_docs();
    docs.retain(|d| d.url != "/cases/xiang-cun-zhen-xing/");
    docs
}

fn json_of(bytes: &[u8]) -> serde_json::Value {
    serde_json::from_slice(&gunzip(bytes)).unwrap_or_default()
}

#[test]
fn a_delta_holds_the_changed_pages_and_hides_the_old_ones() {
    let base_docs = fixture_docs();
    let full = files();
    let Some(base) = IndexBase::new(&base_docs, &full["search/index.json.gz"]) else {
        panic!("no base");
    };
    assert_eq!(base.len(), base_docs.len());
    assert!(
        IndexBase::new(&base_docs[1..], &full["search/index.json.gz"]).is_none(),
        "an entry of other pages is no base"
    );
    assert!(IndexBase::new(&base_docs, b"not gzip").is_none());
    assert!(base.changes(&base_docs).is_empty(), "same pages, no change");
    let mut shuffled = base_docs.clone();
    shuffled.reverse();
    assert!(base.changes(&shuffled).is_empty(), "order does not matter");

    let docs = edited_docs();
    let changes = base.changes(&docs);
    let mut urls: Vec<&str> = base_docs.iter().map(|d| d.url.as_str()).collect();
    urls.sort();
    let deleted: Vec<&str> = changes.deleted.iter().map(|&i| urls[i as usize]).collect();
    assert_eq!(
        deleted,
        [
            "/cases/chan-ye-fa-zhan/",
            "/lectures/2025-11-zhou-zhou-xue/"
        ]
    );
    let fresh: Vec<&str> = changes
        .fresh
        .iter()
        .map(|&i| docs[i].url.as_str())
        .collect();
    assert_eq!(
        fresh,
        ["/cases/chan-ye-fa-zhan/", "/cases/shu-zi-zheng-wu/"]
    );

    let delta = delta_files();
    // The base's files stay; the delta is beside them, without fold files.
    assert!(
        delta
            .keys()
            .all(|p| p == "search/index.json.gz" || p.starts_with("search/delta/1/"))
    );
    assert!(!delta.keys().any(|p| p.contains("/fold/")));
    let entry = json_of(&delta["search/index.json.gz"]);
    let old_entry = json_of(&full["search/index.json.gz"]);
    assert_eq!(
        entry["build"], old_entry["build"],
        "base files are unchanged"
    );
    assert_eq!(entry["docs"], old_entry["docs"]);
    assert_eq!(entry["delta"]["dir"], "delta/1/");
    assert_eq!(entry["delta"]["docs"], 2);
    assert_eq!(
        entry["delta"]["deleted"],
        serde_json::json!(changes.deleted)
    );
    // The delta's filter values begin with the base's, new ones after them.
    let d_entry = json_of(&delta["search/delta/1/index.json.gz"]);
    assert_eq!(d_entry["docs"], 2);
    for facet in ["actions", "levels", "domains"] {
        let old = old_entry[facet]["values"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let new = d_entry[facet]["values"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert_eq!(new[..old.len()], old[..], "{facet}");
    }
    let actions = d_entry["actions"]["values"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(actions.last(), Some(&serde_json::json!("数字赋能")));
    // The delta's terms are those of its two pages.
    let inner: BTreeMap<String, Vec<u8>> = delta
        .iter()
        .filter_map(|(p, b)| {
            p.strip_prefix("search/delta/1/")
                .map(|rest| (format!("search/{rest}"), b.clone()))
        })
        .collect();
    let terms: Vec<String> = decode_terms(&inner).into_iter().map(|t| t.0).collect();
    assert!(terms.iter().any(|t| t == "量子"));
    assert!(
        !terms.iter().any(|t| t == "龙头"),
        "the old text is not in the delta"
    );
}

fn varint(b: &[u8], p: &mut usize) -> u64 {
    let mut v = 0u64;
    let mut shift = 0;
    while let Some(&x) = b.get(*p) {
        *p += 1;
        v |= u64::from(x & 0x7F) << shift;
        if x < 0x80 {
            break;
        }
        shift += 7;
    }
    v
}

/// A term with its postings: (page, positions). A page set (`X\u{1}`) has its
/// pages with no positions.
type Decoded = (String, Vec<(u64, Vec<u64>)>);

/// The compressed bytes at `[pack, offset, length]` of pack folder `dir`.
fn packed<'a>(files: &'a BTreeMap<String, Vec<u8>>, dir: &str, at: &[u64]) -> &'a [u8] {
    let pack = &files[&format!("search/{dir}/{}.gz", at[0])];
    &pack[at[1] as usize..(at[1] + at[2]) as usize]
}

/// Every term chunk (compressed), read through the directory pages and their packs.
fn chunks(files: &BTreeMap<String, Vec<u8>>) -> Vec<Vec<u8>> {
    let entry: serde_json::Value =
        serde_json::from_slice(&gunzip(&files["search/index.json.gz"])).unwrap_or_default();
    let count = entry["chunks"].as_u64().unwrap_or(0) as usize;
    let fanout = entry["dirFanout"].as_u64().unwrap_or(1) as usize;
    let mut out = Vec::new();
    for page in 0..count.div_ceil(fanout) {
        let dir: serde_json::Value =
            serde_json::from_slice(&gunzip(&files[&format!("search/d/{page}.json.gz")]))
                .unwrap_or_default();
        let lens: Vec<u64> = dir["n"]
            .as_array()
            .map(|a| a.iter().filter_map(|v| v.as_u64()).collect())
            .unwrap_or_default();
        assert_eq!(dir["t"].as_array().map(Vec::len), Some(lens.len()));
        let mut offset = 0;
        for len in lens {
            out.push(packed(files, "t", &[page as u64, offset, len]).to_vec());
            offset += len;
        }
        let pack_len = files[&format!("search/t/{page}.gz")].len() as u64;
        assert_eq!(offset, pack_len, "pack {page} is its chunks");
    }
    assert_eq!(out.len(), count);
    out
}

/// Decodes every term chunk.
fn decode_terms(files: &BTreeMap<String, Vec<u8>>) -> Vec<Decoded> {
    let mut out = Vec::new();
    for chunk in chunks(files) {
        let raw = gunzip(&chunk);
        let mut p = 0;
        let n = varint(&raw, &mut p);
        let mut prev: Vec<u8> = Vec::new();
        for _ in 0..n {
            // Front-coded: the first `shared` bytes are those of the term before.
            let shared = varint(&raw, &mut p) as usize;
            let rest = varint(&raw, &mut p) as usize;
            assert!(
                shared <= prev.len(),
                "shared prefix longer than the term before"
            );
            prev.truncate(shared);
            prev.extend_from_slice(&raw[p..p + rest]);
            let term = String::from_utf8_lossy(&prev).to_string();
            p += rest;
            let df = varint(&raw, &mut p);
            let bytes = varint(&raw, &mut p) as usize;
            let end = p + bytes;
            let mut postings = Vec::new();
            if term.ends_with('\u{1}') {
                if raw[p] == 1 {
                    for (i, byte) in raw[p + 1..end].iter().enumerate() {
                        for bit in 0..8 {
                            if byte & (1 << bit) != 0 {
                                postings.push(((i * 8 + bit) as u64, Vec::new()));
                            }
                        }
                    }
                } else {
                    p += 1;
                    let mut doc = 0;
                    while p < end {
                        doc += varint(&raw, &mut p);
                        postings.push((doc, Vec::new()));
                    }
                }
                assert_eq!(postings.len() as u64, df, "page set {term:?}");
                p = end;
                out.push((term, postings));
                continue;
            }
            let mut doc = 0;
            for _ in 0..df {
                let d = varint(&raw, &mut p);
                doc += d >> 1;
                let m = if d & 1 == 1 { varint(&raw, &mut p) } else { 1 };
                let mut pos = 0;
                let mut list = Vec::new();
                for _ in 0..m {
                    pos += varint(&raw, &mut p);
                    list.push(pos);
                }
                postings.push((doc, list));
            }
            assert_eq!(p, end, "byte length of {term:?}");
            out.push((term, postings));
        }
    }
    out
}

/// The index a straightforward reading of the format gives: every token of every
/// field at its position (title 0, meta 128, headings 256, body 1024, strings of
/// a field numbered on), a run's last character followed by another token of its
/// field as the junction `X Y`. Pages in URL order.
fn reference_index(docs: &[SearchDoc]) -> BTreeMap<String, BTreeMap<u64, Vec<u64>>> {
    let mut sorted: Vec<&SearchDoc> = docs.iter().collect();
    sorted.sort_by(|a, b| a.url.cmp(&b.url));
    let mut index: BTreeMap<String, BTreeMap<u64, Vec<u64>>> = BTreeMap::new();
    for (id, d) in sorted.iter().enumerate() {
        let body = super::prepare_body(&d.body);
        let meta: Vec<&str> = super::index::meta_texts(d).collect();
        let fields: [(Vec<&str>, u64, u64); 4] = [
            (vec![d.title.as_str()], 0, 128),
            (meta, 128, 256),
            (d.headings.iter().map(String::as_str).collect(), 256, 1024),
            (vec![body.as_str()], 1024, u64::MAX),
        ];
        for (texts, start, limit) in fields {
            let mut tokens = Vec::new();
            let mut next = start;
            for text in texts {
                let toks = tokenize(text);
                let kept: Vec<_> = toks
                    .into_iter()
                    .map(|t| (t.text, t.kind, next + u64::from(t.pos)))
                    .filter(|t| t.2 < limit)
                    .collect();
                next += kept.len() as u64;
                tokens.extend(kept);
            }
            for (i, (text, kind, pos)) in tokens.iter().enumerate() {
                let mut term = text.clone();
                if matches!(
                    kind,
                    super::tokenizer::TokenKind::Tail | super::tokenizer::TokenKind::Single
                ) && let Some((following, _, _)) = tokens.get(i + 1)
                {
                    term.push(' ');
                    term.extend(following.chars().next());
                }
                index
                    .entry(term)
                    .or_default()
                    .entry(id as u64)
                    .or_default()
                    .push(*pos);
            }
        }
    }
    index
}

/// Pages of generated text: Han runs between punctuation, words of every
/// length (some over 8 bytes, some of exactly 8 sharing a prefix with longer
/// ones), characters outside the BMP, traditional characters.
fn generated_docs(n: usize) -> Vec<SearchDoc> {
    let han: Vec<char> = "党员干部学习理论实践乡村振兴一给是不了人在有的我们國際黨員𠀀𠀁𪚥"
        .chars()
        .collect();
    let words = [
        "rust",
        "abcdefgh",
        "abcdefghi",
        "internationalization",
        "x",
        "2026",
    ];
    let punct = ["，", "。", "；", " ", "、", "\n\n", "——"];
    let mut seed = 7u64;
    let mut rand = move |m: usize| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((seed >> 33) as usize) % m
    };
    (0..n)
        .map(|i| {
            let mut body = String::new();
            for _ in 0..(20 + rand(200)) {
                match rand(10) {
                    0 => body.push_str(words[rand(words.len())]),
                    1..=2 => body.push_str(punct[rand(punct.len())]),
                    _ => body.push(han[rand(han.len())]),
                }
            }
            let mut d = doc(
                &format!("/p/{i:04}/"),
                &format!("第{i}页"),
                Kind::Page,
                &body,
            );
            d.headings = vec![format!("标题{}", han[rand(han.len())])];
            d.breadcrumb = vec!["页面".into()];
            d
        })
        .collect()
}

#[test]
fn the_index_holds_exactly_the_tokens_of_every_page() {
    // Enough pages for the writer to cut the term space into ranges, and small
    // chunks so that frequent characters get page sets.
    let docs = generated_docs(400);
    let opts = super::IndexOptions {
        chunk_bytes: 1024,
        ..Default::default()
    };
    let files: BTreeMap<String, Vec<u8>> =
        super::build_index_with(&docs, &opts).into_iter().collect();
    let decoded = decode_terms(&files);
    for pair in decoded.windows(2) {
        assert!(pair[0].0 < pair[1].0, "{:?} !< {:?}", pair[0].0, pair[1].0);
    }
    let reference = reference_index(&docs);
    let mut sets = 0;
    let mut got: BTreeMap<String, BTreeMap<u64, Vec<u64>>> = BTreeMap::new();
    for (term, postings) in &decoded {
        if let Some(c) = term.strip_suffix('\u{1}') {
            // Every page with a term that starts with the character.
            sets += 1;
            let expected: std::collections::BTreeSet<u64> = reference
                .iter()
                .filter(|(t, _)| t.starts_with(c))
                .flat_map(|(_, p)| p.keys().copied())
                .collect();
            let pages: std::collections::BTreeSet<u64> = postings.iter().map(|p| p.0).collect();
            assert_eq!(pages, expected, "page set of {c:?}");
            continue;
        }
        got.insert(term.clone(), postings.iter().cloned().collect());
    }
    assert!(sets > 0, "no page sets with small chunks");
    assert_eq!(got.len(), reference.len());
    for (term, postings) in &reference {
        assert_eq!(got.get(term), Some(postings), "postings of {term:?}");
    }
    assert!(got.contains_key("internationalization"));
    assert!(got.contains_key("abcdefgh") && got.contains_key("abcdefghi"));
}

#[test]
fn lone_characters_are_indexed_with_the_next_token() {
    let d = doc("/x/", "标题", Kind::Page, "统一；给予方针，法 rust。末");
    let files: BTreeMap<String, Vec<u8>> = build_index(&[d]).into_iter().collect();
    let terms: Vec<String> = decode_terms(&files).into_iter().map(|t| t.0).collect();
    for t in ["一 给", "针 法", "法 r", "末", "题"] {
        assert!(terms.iter().any(|x| x == t), "{t:?} missing from {terms:?}");
    }
    for t in ["一", "针", "法"] {
        assert!(!terms.iter().any(|x| x == t), "{t:?} should be a junction");
    }
}

#[test]
fn page_texts_are_cut_into_pieces_that_join_up_again() {
    let body: String = (0..3000)
        .map(|i| if i % 37 == 36 { '。' } else { '字' })
        .collect();
    let d = doc("/long/", "长页面", Kind::Page, &body);
    let short = doc("/short/", "短页面", Kind::Page, "短短的正文。");
    let opts = super::IndexOptions {
        piece_tokens: 500,
        ..Default::default()
    };
    let files: BTreeMap<String, Vec<u8>> = super::build_index_with(&[d, short], &opts)
        .into_iter()
        .collect();
    let metas: serde_json::Value =
        serde_json::from_slice(&first_member(&files["search/m/0.gz"])).unwrap_or_default();
    let text = |at: &serde_json::Value| -> Vec<String> {
        let at: Vec<u64> = at
            .as_array()
            .map(|a| a.iter().filter_map(|v| v.as_u64()).collect())
            .unwrap_or_default();
        let raw = gunzip(packed(&files, "f", &at));
        let mut p = 0;
        let count = varint(&raw, &mut p);
        let lens: Vec<usize> = (0..count).map(|_| varint(&raw, &mut p) as usize).collect();
        lens.iter()
            .map(|&n| {
                let units: Vec<u16> = raw[p..p + 2 * n]
                    .chunks(2)
                    .map(|c| u16::from_le_bytes([c[0], c[1]]))
                    .collect();
                p += 2 * n;
                String::from_utf16_lossy(&units)
            })
            .collect()
    };
    // Pages in URL order: /long/ is page 0.
    let f = &metas[0]["f"];
    let pieces = f[1].as_u64().unwrap_or(0);
    assert!(pieces >= 5, "{f}");
    assert_eq!(
        metas[0]["x"].as_array().map(Vec::len),
        Some(pieces as usize)
    );
    let mut joined = String::new();
    for i in 0..pieces {
        let list = text(&metas[0]["x"][i as usize]);
        assert_eq!(list.len(), 1);
        joined.push_str(&list[0]);
        if i + 1 < pieces {
            // Piece i holds body tokens i*500 …: about 500 characters here.
            assert!((480..=560).contains(&list[0].chars().count()), "piece {i}");
        }
    }
    assert_eq!(joined, super::prepare_body(&body));
    let g = &metas[1]["f"];
    assert_eq!(g[1], 1);
    assert_eq!(
        text(&metas[1]["x"][0])[g[0].as_u64().unwrap_or(0) as usize],
        "短短的正文。"
    );
    // Both pages' texts are in one pack.
    assert_eq!(
        files.keys().filter(|k| k.starts_with("search/f/")).count(),
        1
    );
}

#[test]
fn every_file_is_gzip_and_the_entry_describes_them() {
    let files = files();
    for (path, bytes) in &files {
        assert!(path.starts_with("search/"), "{path}");
        assert_eq!(&bytes[..2], &[0x1f, 0x8b], "{path} is not gzip");
    }
    let entry: serde_json::Value =
        serde_json::from_slice(&gunzip(&files["search/index.json.gz"])).unwrap_or_default();
    assert_eq!(entry["format"], 4);
    assert_eq!(entry["docs"].as_u64(), Some(fixture_docs().len() as u64));
    // Every chunk in a pack is a gzip member of its own.
    let chunks = chunks(&files);
    assert!(!chunks.is_empty());
    for c in &chunks {
        assert_eq!(&c[..2], &[0x1f, 0x8b]);
        assert!(!gunzip(c).is_empty());
    }
    assert!(files.contains_key("search/docs.bin.gz"));
    // 黨 U+9EE8 is in the fold file of U+9C00 … U+9FFF.
    let fold = String::from_utf8(gunzip(&files["search/fold/26.txt.gz"])).unwrap_or_default();
    assert!(fold.contains("黨党"));
    assert!(files.contains_key("search/fold/x.txt.gz"));
    assert_eq!(entry["kinds"]["values"][0], "course");
}

#[test]
fn terms_are_sorted_and_traditional_text_is_folded() {
    let files = files();
    let terms = decode_terms(&files);
    for pair in terms.windows(2) {
        assert!(pair[0].0 < pair[1].0, "{} !< {}", pair[0].0, pair[1].0);
    }
    let find = |t: &str| {
        terms
            .iter()
            .find(|(term, _)| term == t)
            .map(|(_, p)| p.len())
    };
    assert_eq!(find("回圈"), Some(8), "every zh-TW page has 迴圈 → 回圈");
    assert_eq!(find("迴圈"), None);
    assert!(find("段简").is_some());
    assert!(find("党员").unwrap_or(0) >= 3);
}

#[test]
fn positions_put_the_title_first_and_the_body_after_1024() {
    let files = files();
    let terms = decode_terms(&files);
    let (_, postings) = terms
        .iter()
        .find(|(t, _)| t == "乡村")
        .cloned()
        .unwrap_or_default();
    // The case titled 乡村振兴 has 乡村 at position 0, and again in its body.
    let mut sorted: Vec<&SearchDoc> = Vec::new();
    let docs = fixture_docs();
    sorted.extend(docs.iter());
    sorted.sort_by(|a, b| a.url.cmp(&b.url));
    let id = sorted
        .iter()
        .position(|d| d.url == "/cases/xiang-cun-zhen-xing/")
        .unwrap_or(usize::MAX) as u64;
    let (_, pos) = postings
        .iter()
        .find(|(d, _)| *d == id)
        .cloned()
        .unwrap_or_default();
    assert_eq!(pos.first(), Some(&0));
    assert!(pos.iter().any(|&p| p >= 1024));
}

#[test]
fn the_index_is_reproducible() {
    assert_eq!(files(), files());
}

#[test]
fn an_empty_site_gives_a_valid_index() {
    let files: BTreeMap<String, Vec<u8>> = build_index(&[]).into_iter().collect();
    let entry: serde_json::Value =
        serde_json::from_slice(&gunzip(&files["search/index.json.gz"])).unwrap_or_default();
    assert_eq!(entry["docs"], 0);
    assert_eq!(entry["chunks"], 0);
}

#[test]
fn large_text_and_odd_input_do_not_panic() {
    let mut d = doc("/x/", "", Kind::Page, "");
    d.body = "测".repeat(20_000) + &"a".repeat(5_000) + "\u{0}\u{FFFF}\u{10FFFF}";
    d.headings = vec!["标".repeat(2000)];
    d.title = "题".repeat(500);
    let files = build_index(&[d]);
    assert!(!files.is_empty());
    assert!(tokenize("\u{0}\u{FFFF}").is_empty());
}

fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/js/search/fixture")
}

/// The Node tests read this index; it must match what the writer produces now.
/// `JT_UPDATE_SEARCH_FIXTURE=1 cargo test fixture_index_is_up_to_date` rewrites it.
#[test]
fn fixture_index_is_up_to_date() {
    let dir = fixture_dir();
    let mut expected = files();
    expected.insert(
        "docs.json".to_string(),
        recall_docs_json(&fixture_docs()).into_bytes(),
    );
    // The same site after three edits, as the dev server serves it: the delta
    // beside the index, and the entry file that points at it.
    expected.insert(
        "delta-docs.json".to_string(),
        recall_docs_json(&edited_docs()).into_bytes(),
    );
    for (path, bytes) in delta_files() {
        let path = match path.as_str() {
            "search/index.json.gz" => "delta-entry.json.gz".to_string(),
            _ => path,
        };
        expected.insert(path, bytes);
    }
    for (path, bytes) in delta_of(&removal_docs(), 2) {
        let path = match path.as_str() {
            "search/index.json.gz" => "removal-entry.json.gz".to_string(),
            _ => path,
        };
        expected.insert(path, bytes);
    }
    if std::env::var_os("JT_UPDATE_SEARCH_FIXTURE").is_some() {
        let _ = std::fs::remove_dir_all(&dir);
        for (path, bytes) in &expected {
            let full = dir.join(path);
            if let Some(parent) = full.parent() {
                std::fs::create_dir_all(parent).unwrap_or_default();
            }
            std::fs::write(&full, bytes).unwrap_or_default();
        }
    }
    // Compared after un-gzipping (and without the build id, a hash of the gzip
    // bytes), so that any deflate implementation of flate2 gives the same answer.
    let content = |path: &str, bytes: &[u8]| -> Vec<u8> {
        if !path.ends_with(".gz") {
            return bytes.to_vec();
        }
        let raw = gunzip(bytes);
        if path.ends_with("index.json.gz") || path.ends_with("-entry.json.gz") {
            let mut v: serde_json::Value = serde_json::from_slice(&raw).unwrap_or_default();
            if let Some(o) = v.as_object_mut() {
                o.remove("build");
            }
            return v.to_string().into_bytes();
        }
        raw
    };
    let mut stale = Vec::new();
    for (path, bytes) in &expected {
        let on_disk = std::fs::read(dir.join(path)).unwrap_or_default();
        if content(path, &on_disk) != content(path, bytes) {
            stale.push(path.clone());
        }
    }
    assert!(
        stale.is_empty(),
        "tests/js/search/fixture is out of date ({} files differ, e.g. {}); \
         run `JT_UPDATE_SEARCH_FIXTURE=1 cargo test fixture_index_is_up_to_date`",
        stale.len(),
        stale[0]
    );
}
