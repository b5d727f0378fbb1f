//! The site model: every published page with its URL and rendered Markdown, courses with
//! their ordered lessons, the lecture schedule, case studies, taxonomies and the checks
//! that need all pages at once (duplicate URLs, links, anchors, prerequisites). Built by
//! a pure function from parsed files; rendering reads it and never changes it.

pub mod taxonomy;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use jiff::civil::{Date, DateTime};
use rayon::prelude::*;

use crate::config::Config;
use crate::content::markdown::{self, LinkTargets, Rendered, Unpublished};
use crate::content::{self, AssetFile, Kind, Meta, Parsed, Ref, SourceFile};
use crate::diagnostic::{Diagnostic, Text, did_you_mean};
pub use taxonomy::{Taxonomy, Term};

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub drafts: bool,
    /// "Today" in the site timezone: decides scheduled publishing and upcoming lectures.
    pub now: DateTime,
}

#[derive(Debug, Clone)]
pub struct Attachment {
    pub name: String,
    pub url: String,
    pub ext: String,
    pub size: u64,
}

#[derive(Debug)]
pub struct Page {
    pub kind: Kind,
    pub src: Arc<Parsed>,
    /// Root-relative URL without the base path: `/courses/x/`.
    pub url: String,
    /// Stable id for scripts (localStorage keys): the URL without slashes at the ends.
    pub id: String,
    pub md: Arc<Rendered>,
    pub reading_minutes: u32,
    /// Lesson → its course; lecture → its related course.
    pub course: Option<usize>,
    /// Course → its lessons in order.
    pub lessons: Vec<usize>,
    pub prev: Option<usize>,
    pub next: Option<usize>,
    pub prerequisites: Vec<usize>,
    pub attachments: Vec<Attachment>,
}

impl Page {
    pub fn title(&self) -> &str {
        &self.src.common.title
    }
}

type ParseResult = (Option<Arc<Parsed>>, Arc<Vec<Diagnostic>>);

/// Results of one build that the next one can reuse when inputs are unchanged.
#[derive(Debug, Default, Clone)]
pub struct Cache {
    /// Source path → (hash of the file's bytes, its parse result).
    parsed: HashMap<String, (u64, ParseResult)>,
    /// Source path → (the parse it was rendered from, the rendered Markdown).
    rendered: HashMap<String, (Arc<Parsed>, Arc<Rendered>)>,
    /// Hash of all link targets (pages left out included) and of the HTML policy.
    targets: u64,
}

fn targets_hash(t: &LinkTargets, unsafe_html: bool) -> u64 {
    let mut pairs: Vec<(&String, &String)> = t.pages.iter().chain(t.files.iter()).collect();
    pairs.sort_unstable();
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for (k, v) in pairs {
        h.update(k.as_bytes());
        h.update(&[0]);
        h.update(v.as_bytes());
        h.update(&[1]);
    }
    // A page left out for another reason changes what links to it report.
    let mut hidden: Vec<(&String, &Unpublished)> = t.unpublished.iter().collect();
    hidden.sort_unstable_by_key(|&(k, _)| k);
    for (k, why) in hidden {
        h.update(k.as_bytes());
        h.update(format!("{why:?}").as_bytes());
        h.update(&[2]);
    }
    h.update(&[u8::from(unsafe_html)]);
    h.digest()
}

/// One session of a lecture: a single lecture has one, a series one per date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Occurrence {
    pub page: usize,
    pub start: DateTime,
    pub end: DateTime,
}

#[derive(Debug)]
pub struct Site {
    pub config: Config,
    pub now: DateTime,
    pub pages: Vec<Page>,
    pub home: Option<usize>,
    /// `courses`, `lectures`, `cases` → the page holding the list's intro text.
    pub sections: HashMap<String, usize>,
    pub courses: Vec<usize>,
    pub lectures: Vec<usize>,
    pub cases: Vec<usize>,
    pub plain: Vec<usize>,
    pub taxonomies: Vec<Taxonomy>,
    /// Every lecture session in time order; a repeating lecture has one per date.
    pub schedule: Vec<Occurrence>,
    /// What the next build may reuse (see [`Site::build_with`]).
    pub cache: Cache,
    /// Co-located files to copy: source on disk → URL.
    pub files: Vec<(AssetFile, String)>,
}

/// URLs the renderer writes itself; content may not claim them.
pub const RESERVED: &[&str] = &[
    "/courses/",
    "/lectures/",
    "/cases/",
    "/search/",
    "/study/",
    "/404.html",
];

impl Site {
    pub fn page(&self, i: usize) -> &Page {
        &self.pages[i]
    }

    /// Builds the model. Returns the site and its warnings, or every error found.
    pub fn build(
        config: Config,
        sources: &[Arc<SourceFile>],
        assets: Vec<AssetFile>,
        opts: &BuildOptions,
    ) -> Result<(Site, Vec<Diagnostic>), Vec<Diagnostic>> {
        Site::build_with(config, sources, assets, opts, &Cache::default())
    }

    /// Builds the model, reusing from `cache` the front matter of files whose bytes are
    /// unchanged and the Markdown of pages whose body and link targets are unchanged.
    /// The dev server passes the previous build's cache; the result is the same as
    /// without it.
    pub fn build_with(
        config: Config,
        sources: &[Arc<SourceFile>],
        assets: Vec<AssetFile>,
        opts: &BuildOptions,
        cache: &Cache,
    ) -> Result<(Site, Vec<Diagnostic>), Vec<Diagnostic>> {
        let mut diags = Vec::new();
        let mut next_cache = Cache::default();
        let parsed: Vec<(u64, ParseResult)> = sources
            .par_iter()
            .map(|s| {
                let hash = xxhash_rust::xxh3::xxh3_64(&s.bytes);
                match cache.parsed.get(&s.rel) {
                    Some((h, r)) if *h == hash => (hash, r.clone()),
                    _ => {
                        let (p, d) = content::parse(s, &config);
                        (hash, (p.map(Arc::new), Arc::new(d)))
                    }
                }
            })
            .collect();
        let mut pages_src: Vec<Arc<Parsed>> = Vec::new();
        for (src, (hash, (p, d))) in sources.iter().zip(parsed) {
            diags.extend(d.iter().cloned());
            if let Some(p) = &p {
                pages_src.push(Arc::clone(p));
            }
            next_cache.parsed.insert(src.rel.clone(), (hash, (p, d)));
        }
        let today = opts.now.date();
        // Pages left out are remembered, so that links to them can say why.
        let mut unpublished = HashMap::new();
        pages_src.retain(|p| match unpublished_why(p, opts.drafts, today) {
            None => true,
            Some(why) => {
                unpublished.insert(p.rel.clone(), why);
                false
            }
        });

        // URLs: courses first, since lessons live under their course.
        let mut course_urls: HashMap<String, String> = HashMap::new();
        for p in pages_src.iter().filter(|p| p.kind == Kind::Course) {
            let dir = p.rel.rsplit_once('/').map_or("", |(d, _)| d).to_string();
            let slug = p
                .common
                .slug
                .clone()
                .unwrap_or_else(|| content::slugify(dir.rsplit('/').next().unwrap_or("")));
            course_urls.insert(dir, format!("/courses/{slug}/"));
        }
        let mut claimed: HashMap<String, String> = RESERVED
            .iter()
            .map(|u| (u.to_string(), String::new()))
            .collect();
        let mut pages: Vec<Page> = Vec::new();
        for src in pages_src {
            let url = page_url(&src, &course_urls);
            if let Some(other) = claimed.get(&url) {
                let (zh_other, en_other) = if other.is_empty() {
                    (
                        "站点自带的页面".to_string(),
                        "a page the site generates".to_string(),
                    )
                } else {
                    (other.clone(), other.clone())
                };
                let seg = url.trim_end_matches('/').rsplit('/').next().unwrap_or("");
                let file = src.rel.rsplit('/').next().unwrap_or(&src.rel);
                let hint = match &src.common.slug {
                    Some(slug) => Text::new(
                        format!(
                            "这个文件写了 slug: {slug}，与 {zh_other} 的网址相同；换一个 slug，例如 slug: {slug}-2"
                        ),
                        format!(
                            "this file sets slug: {slug}, the address of {en_other}; choose another slug, e.g. slug: {slug}-2"
                        ),
                    ),
                    None => Text::new(
                        format!(
                            "网址由文件名“{file}”生成（中文转成拼音）为 {seg}，与 {zh_other} 相同；给这个文件改名，或写 slug: {seg}-2"
                        ),
                        format!(
                            "the address comes from the file name `{file}` as {seg}, the same as {en_other}; rename the file or add slug: {seg}-2"
                        ),
                    ),
                };
                diags.push(
                    Diagnostic::error(
                        &src.path,
                        1,
                        1,
                        Text::new(
                            format!("网址 {url} 与 {zh_other} 重复：两个文件不能发布到同一个网址"),
                            format!("the URL {url} is also claimed by {en_other}"),
                        ),
                    )
                    .with_hint(hint),
                );
                continue;
            }
            claimed.insert(url.clone(), src.path.to_string_lossy().replace('\\', "/"));
            let id = url.trim_matches('/').to_string();
            pages.push(Page {
                kind: src.kind,
                src,
                url,
                id: if id.is_empty() { "home".into() } else { id },
                md: Arc::default(),
                reading_minutes: 1,
                course: None,
                lessons: Vec::new(),
                prev: None,
                next: None,
                prerequisites: Vec::new(),
                attachments: Vec::new(),
            });
        }

        // Co-located files are copied beside their page's folder URL.
        let mut files = Vec::new();
        let mut targets = LinkTargets {
            unpublished,
            ..LinkTargets::default()
        };
        for a in assets {
            let dir = a.rel.rsplit_once('/').map_or("", |(d, _)| d);
            let name = a.rel.rsplit('/').next().unwrap_or(&a.rel);
            let folder = course_urls
                .get(dir)
                .cloned()
                .unwrap_or_else(|| folder_url(dir));
            let url = format!("{folder}{name}");
            targets.files.insert(a.rel.clone(), config.url(&url));
            files.push((a, url));
        }
        for p in &pages {
            // Links written in Markdown are final HTML: they carry the base path.
            targets.pages.insert(p.src.rel.clone(), config.url(&p.url));
        }

        // Markdown, in parallel; a page's HTML depends on its body and on where every
        // other page and file lives, so the cache holds while neither changes.
        let unsafe_html = config.unsafe_html;
        next_cache.targets = targets_hash(&targets, unsafe_html);
        let reuse = cache.targets == next_cache.targets;
        pages.par_iter_mut().for_each(|p| {
            if reuse
                && let Some(md) = cache.rendered.get(&p.src.rel)
                && Arc::ptr_eq(&md.0, &p.src)
            {
                p.md = Arc::clone(&md.1);
            } else {
                let input = markdown::Input {
                    path: &p.src.path,
                    source: &p.src.rel,
                    body: &p.src.body,
                    body_line: p.src.body_line,
                    unsafe_html,
                };
                p.md = Arc::new(markdown::render(&input, &targets));
            }
            p.reading_minutes = reading_minutes(&p.md.text);
        });
        for p in &pages {
            next_cache
                .rendered
                .insert(p.src.rel.clone(), (Arc::clone(&p.src), Arc::clone(&p.md)));
        }
        let by_rel: HashMap<&str, usize> = pages
            .iter()
            .enumerate()
            .map(|(i, p)| (p.src.rel.as_str(), i))
            .collect();
        for p in &pages {
            diags.extend(p.md.diags.iter().cloned());
            for a in &p.md.anchors {
                let Some(&t) = by_rel.get(a.target.as_str()) else {
                    continue;
                };
                let ids = &pages[t].md.heading_ids;
                if !ids.contains(&a.anchor) && !ids.contains(&a.anchor.to_lowercase()) {
                    let guess = did_you_mean(&a.anchor, ids.iter().map(String::as_str));
                    let known: Vec<&str> = pages[t]
                        .md
                        .toc
                        .iter()
                        .map(|t| t.id.as_str())
                        .take(8)
                        .collect();
                    diags.push(
                        Diagnostic::error(
                            &p.src.path,
                            a.line,
                            a.column,
                            Text::new(
                                format!("链接中的锚点“#{}”在 {} 中不存在", a.anchor, a.target),
                                format!("anchor `#{}` does not exist in {}", a.anchor, a.target),
                            ),
                        )
                        .with_hint(match guess {
                            Some(g) => Text::new(
                                format!("是不是要写 #{g}？"),
                                format!("did you mean #{g}?"),
                            ),
                            None => Text::new(
                                format!("锚点是标题文字去掉标点，例如：{}", known.join("、")),
                                format!(
                                    "anchors are heading texts without punctuation, e.g. {}",
                                    known.join(", ")
                                ),
                            ),
                        }),
                    );
                }
            }
        }

        // Structure.
        let mut site = Site {
            config,
            now: opts.now,
            home: None,
            sections: HashMap::new(),
            courses: Vec::new(),
            lectures: Vec::new(),
            cases: Vec::new(),
            plain: Vec::new(),
            taxonomies: Vec::new(),
            schedule: Vec::new(),
            cache: next_cache,
            files,
            pages,
        };
        let by_rel = by_rel_owned(&site);
        link_structure(&mut site, &by_rel, &mut diags);
        site.taxonomies = taxonomy::build(&site);
        site.schedule = schedule(&site);
        diags.extend(overlaps(&site));
        diags.extend(taxonomy::near_duplicates(&site, sources));
        if diags.iter().any(Diagnostic::is_error) {
            crate::diagnostic::sort(&mut diags);
            return Err(diags);
        }
        crate::diagnostic::sort(&mut diags);
        Ok((site, diags))
    }
}

/// Every session of every lecture, in time order.
pub fn schedule(site: &Site) -> Vec<Occurrence> {
    let mut out = Vec::new();
    for &i in &site.lectures {
        if let Meta::Lecture(m) = &site.pages[i].src.meta {
            out.extend(sessions(m).into_iter().map(|(start, end)| Occurrence {
                page: i,
                start,
                end,
            }));
        }
    }
    out.sort_by_key(|o| (o.start, o.page));
    out
}

/// Two sessions at the same place and time: a warning on the later file (a room cannot
/// hold two lectures; usually one of them has a wrong date or place).
fn overlaps(site: &Site) -> Vec<Diagnostic> {
    let mut by_place: HashMap<&str, Vec<&Occurrence>> = HashMap::new();
    for o in &site.schedule {
        if let Meta::Lecture(m) = &site.pages[o.page].src.meta
            && !m.location.trim().is_empty()
            && m.status != content::Status::Cancelled
        {
            by_place.entry(m.location.trim()).or_default().push(o);
        }
    }
    let mut out = Vec::new();
    let mut reported = std::collections::HashSet::new();
    for (place, list) in by_place {
        for (i, a) in list.iter().enumerate() {
            for b in &list[i + 1..] {
                if b.start >= a.end {
                    break;
                }
                if a.page == b.page || !reported.insert((a.page.min(b.page), a.page.max(b.page))) {
                    continue;
                }
                let (pa, pb) = (&site.pages[a.page], &site.pages[b.page]);
                let later = if pa.src.rel > pb.src.rel { pa } else { pb };
                let other = if std::ptr::eq(later, pa) { pb } else { pa };
                let Meta::Lecture(m) = &later.src.meta else {
                    continue;
                };
                let when = b.start.strftime("%Y-%m-%d %H:%M").to_string();
                out.push(
                    Diagnostic::warning(
                        &later.src.path,
                        m.start_pos.0,
                        m.start_pos.1,
                        Text::new(
                            format!("{when} 在“{place}”与 {} 时间重叠", other.src.path.display()),
                            format!(
                                "at {when} this overlaps {} in the same place ({place})",
                                other.src.path.display()
                            ),
                        ),
                    )
                    .with_hint(Text::new(
                        "检查两场讲座的日期、时间和地点",
                        "check the dates, times and places of both lectures",
                    )),
                );
            }
        }
    }
    out
}

/// The (start, end) of each session of one lecture.
pub fn sessions(m: &content::LectureMeta) -> Vec<(DateTime, DateTime)> {
    let length = m.end.duration_since(m.start);
    match &m.repeat {
        None => vec![(m.start, m.end)],
        Some(rule) => crate::recurrence::occurrences(rule, m.start)
            .into_iter()
            .filter_map(|s| s.checked_add(length).ok().map(|e| (s, e)))
            .collect(),
    }
}

fn by_rel_owned(site: &Site) -> HashMap<String, usize> {
    site.pages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.src.rel.clone(), i))
        .collect()
}

/// Why a page is left out of this build; `None` when it is published.
fn unpublished_why(p: &Parsed, drafts: bool, today: Date) -> Option<Unpublished> {
    let c = &p.common;
    if drafts {
        None
    } else if c.draft {
        Some(Unpublished::Draft)
    } else if let Some(d) = c.publish_date.filter(|&d| d > today) {
        Some(Unpublished::Scheduled(d))
    } else {
        c.expiry_date
            .filter(|&d| d < today)
            .map(Unpublished::Expired)
    }
}

/// Where a page is published, by kind.
fn page_url(p: &Parsed, course_urls: &HashMap<String, String>) -> String {
    let (dir, file) = p.rel.rsplit_once('/').unwrap_or(("", p.rel.as_str()));
    let stem = file.trim_end_matches(".md");
    let own_slug = || {
        let name = if p.kind == Kind::Lesson {
            strip_order_prefix(stem)
        } else {
            stem
        };
        p.common
            .slug
            .clone()
            .unwrap_or_else(|| content::slugify(name))
    };
    match p.kind {
        Kind::Home => "/".into(),
        Kind::Section => format!("/{dir}/"),
        Kind::Course => course_urls
            .get(dir)
            .cloned()
            .unwrap_or_else(|| format!("/courses/{}/", own_slug())),
        Kind::Lesson => {
            let course = course_urls
                .get(dir)
                .cloned()
                .unwrap_or_else(|| folder_url(dir));
            format!("{course}{}/", own_slug())
        }
        Kind::Lecture => format!("/lectures/{}/", own_slug()),
        Kind::Case => format!("/cases/{}/", own_slug()),
        Kind::Page => {
            if stem == "_index" || stem == "index" {
                match &p.common.slug {
                    Some(s) => {
                        let parent = dir.rsplit_once('/').map_or("", |(d, _)| d);
                        format!("{}{s}/", folder_url(parent))
                    }
                    None => folder_url(dir),
                }
            } else {
                format!("{}{}/", folder_url(dir), own_slug())
            }
        }
    }
}

/// `guide/编辑` → `/guide/bian-ji/`.
fn folder_url(dir: &str) -> String {
    let mut url = String::from("/");
    for seg in dir.split('/').filter(|s| !s.is_empty()) {
        if content::is_safe_slug(seg) {
            url.push_str(&seg.to_ascii_lowercase());
        } else {
            url.push_str(&content::slugify(seg));
        }
        url.push('/');
    }
    url
}

/// `01-qi-yuan` → `qi-yuan`: the order prefix is not part of the URL, so reordering
/// lessons keeps their URLs (and the progress stored against them).
fn strip_order_prefix(stem: &str) -> &str {
    let digits = stem.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && digits < stem.len() {
        let rest = &stem[digits..];
        if let Some(r) = rest
            .strip_prefix(['-', '_', '.', ' '])
            .filter(|r| !r.is_empty())
        {
            return r;
        }
    }
    stem
}

fn order_number(rel: &str) -> Option<u64> {
    let file = rel.rsplit('/').next()?;
    let digits: String = file.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// Han characters at ≈ 300 a minute, other words at ≈ 200.
pub fn reading_minutes(text: &str) -> u32 {
    let mut han = 0u32;
    let mut words = 0u32;
    let mut in_word = false;
    for c in text.chars() {
        if is_han(c) {
            han += 1;
            in_word = false;
        } else if c.is_alphanumeric() {
            if !in_word {
                words += 1;
            }
            in_word = true;
        } else {
            in_word = false;
        }
    }
    let minutes = f64::from(han) / 300.0 + f64::from(words) / 200.0;
    (minutes.ceil() as u32).max(1)
}

pub fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2FFFF}')
}

fn link_structure(site: &mut Site, by_rel: &HashMap<String, usize>, diags: &mut Vec<Diagnostic>) {
    let files_by_rel: HashMap<String, (String, u64)> = site
        .files
        .iter()
        .map(|(a, url)| (a.rel.clone(), (url.clone(), a.size)))
        .collect();
    let mut lessons_of: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    let course_by_dir: HashMap<String, usize> = site
        .pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.kind == Kind::Course)
        .map(|(i, p)| {
            (
                p.src
                    .rel
                    .rsplit_once('/')
                    .map_or("", |(d, _)| d)
                    .to_string(),
                i,
            )
        })
        .collect();

    for i in 0..site.pages.len() {
        let kind = site.pages[i].kind;
        let dir = site.pages[i]
            .src
            .rel
            .rsplit_once('/')
            .map_or("", |(d, _)| d)
            .to_string();
        match kind {
            Kind::Home => site.home = Some(i),
            Kind::Section => {
                site.sections.insert(dir.clone(), i);
            }
            Kind::Course => site.courses.push(i),
            Kind::Lecture => site.lectures.push(i),
            Kind::Case => site.cases.push(i),
            Kind::Page => site.plain.push(i),
            Kind::Lesson => match course_by_dir.get(&dir) {
                Some(&c) => {
                    lessons_of.entry(c).or_default().push(i);
                    site.pages[i].course = Some(c);
                }
                None => diags.push(
                    Diagnostic::error(
                        &site.pages[i].src.path,
                        1,
                        1,
                        Text::new(
                            format!("课时所在的文件夹 content/{dir}/ 里没有课程文件 index.md"),
                            format!("this lesson's folder content/{dir}/ has no course file index.md"),
                        ),
                    )
                    .with_hint(Text::new(
                        "在这个文件夹里新建 index.md 写课程信息（title、action、hours），或把课时移到课程文件夹里",
                        "add an index.md with the course (title, action, hours) to the folder, or move the lesson into a course folder",
                    )),
                ),
            },
        }
        let (refs, own_dir): (Vec<Ref>, &str) = match &site.pages[i].src.meta {
            Meta::Lesson(m) => (m.attachments.clone(), &dir),
            Meta::Lecture(m) => (m.materials.clone(), &dir),
            _ => (Vec::new(), &dir),
        };
        let mut attachments = Vec::new();
        for r in refs {
            let rel = if own_dir.is_empty() {
                r.target.clone()
            } else {
                format!("{own_dir}/{}", r.target)
            };
            match files_by_rel.get(&rel) {
                Some((url, size)) => attachments.push(Attachment {
                    name: r.target.clone(),
                    url: url.clone(),
                    ext: r
                        .target
                        .rsplit_once('.')
                        .map_or(String::new(), |(_, e)| e.to_lowercase()),
                    size: *size,
                }),
                None => {
                    let case_twin = files_by_rel
                        .keys()
                        .find(|k| k.to_lowercase() == rel.to_lowercase());
                    let hint = match case_twin {
                        Some(t) => Text::new(
                            format!(
                                "文件名大小写不一致：实际文件是 {}（网站服务器区分大小写）",
                                t.rsplit('/').next().unwrap_or(t)
                            ),
                            format!(
                                "the letter case differs: the file is {} (web servers are case-sensitive)",
                                t.rsplit('/').next().unwrap_or(t)
                            ),
                        ),
                        None => Text::new(
                            format!("把文件放到 content/{own_dir}/ 里，或改正文件名"),
                            format!("put the file in content/{own_dir}/ or correct its name"),
                        ),
                    };
                    diags.push(
                        Diagnostic::error(
                            &site.pages[i].src.path,
                            r.line,
                            r.column,
                            Text::new(
                                format!("附件“{}”不存在", r.target),
                                format!("attachment `{}` does not exist", r.target),
                            ),
                        )
                        .with_hint(hint),
                    );
                }
            }
        }
        site.pages[i].attachments = attachments;
    }

    // Lesson order: weight, then the number in the file name, then the file name.
    for (course, mut lessons) in lessons_of {
        lessons.sort_by(|&a, &b| {
            let (pa, pb) = (&site.pages[a], &site.pages[b]);
            let ka = (
                pa.src.common.weight.unwrap_or(i64::MAX),
                order_number(&pa.src.rel).unwrap_or(u64::MAX),
                &pa.src.rel,
            );
            let kb = (
                pb.src.common.weight.unwrap_or(i64::MAX),
                order_number(&pb.src.rel).unwrap_or(u64::MAX),
                &pb.src.rel,
            );
            ka.cmp(&kb)
        });
        for (n, &l) in lessons.iter().enumerate() {
            site.pages[l].prev = n.checked_sub(1).map(|p| lessons[p]);
            site.pages[l].next = lessons.get(n + 1).copied();
        }
        site.pages[course].lessons = lessons;
    }

    // Cross references written in front matter.
    let resolve = |r: &Ref, from: &Parsed| -> Option<String> {
        let t = r.target.trim();
        let rel = if let Some(rest) = t.strip_prefix("@/") {
            rest.to_string()
        } else {
            let dir = from.rel.rsplit_once('/').map_or("", |(d, _)| d);
            let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
            for seg in t.split('/') {
                match seg {
                    "." | "" => {}
                    ".." => {
                        parts.pop()?;
                    }
                    s => parts.push(s),
                }
            }
            parts.join("/")
        };
        // A course may be named by its folder as well as by its index.md.
        if rel.ends_with(".md") {
            Some(rel)
        } else {
            Some(format!("{}/index.md", rel.trim_end_matches('/')))
        }
    };
    let mut broken = Vec::new();
    for i in 0..site.pages.len() {
        let refs: Vec<(Ref, bool)> = match &site.pages[i].src.meta {
            Meta::Course(m) => m.prerequisites.iter().map(|r| (r.clone(), true)).collect(),
            Meta::Lecture(m) => m.course.iter().map(|r| (r.clone(), false)).collect(),
            _ => Vec::new(),
        };
        for (r, is_prereq) in refs {
            let target = resolve(&r, &site.pages[i].src).and_then(|rel| by_rel.get(&rel).copied());
            match target.filter(|&t| site.pages[t].kind == Kind::Course) {
                Some(t) if is_prereq => site.pages[i].prerequisites.push(t),
                Some(t) => site.pages[i].course = Some(t),
                None => broken.push((i, r)),
            }
        }
    }
    let course_paths: Vec<String> = site
        .courses
        .iter()
        .map(|&c| format!("@/{}", site.pages[c].src.rel))
        .collect();
    for (i, r) in broken {
        let guess = did_you_mean(&r.target, course_paths.iter().map(String::as_str));
        diags.push(
            Diagnostic::error(
                &site.pages[i].src.path,
                r.line,
                r.column,
                Text::new(
                    format!("找不到课程“{}”", r.target),
                    format!("no course at `{}`", r.target),
                ),
            )
            .with_hint(match guess {
                Some(g) => Text::new(format!("是不是要写 {g}？"), format!("did you mean {g}?")),
                None => Text::new(
                    "写成课程文件的路径，例如 @/courses/dang-shi/index.md",
                    "write the course file's path, e.g. @/courses/party-history/index.md",
                ),
            }),
        );
    }

    // List orders.
    let pages = &site.pages;
    site.courses.sort_by(|&a, &b| {
        let (pa, pb) = (&pages[a], &pages[b]);
        (
            pa.src.common.weight.unwrap_or(i64::MAX),
            &pa.src.common.title,
            &pa.url,
        )
            .cmp(&(
                pb.src.common.weight.unwrap_or(i64::MAX),
                &pb.src.common.title,
                &pb.url,
            ))
    });
    site.lectures.sort_by_key(|&i| match &pages[i].src.meta {
        Meta::Lecture(m) => (m.start, pages[i].url.clone()),
        _ => (DateTime::default(), pages[i].url.clone()),
    });
    site.cases.sort_by(|&a, &b| {
        (pages[b].src.common.date, &pages[a].url).cmp(&(pages[a].src.common.date, &pages[b].url))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn folder_urls_are_ascii() {
        assert_eq!(folder_url("guide/编辑指南"), "/guide/bian-ji-zhi-nan/");
        assert_eq!(folder_url(""), "/");
    }
}
