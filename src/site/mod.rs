//! The site model: every published page with its URL and rendered Markdown, courses with
//! their ordered lessons, the lecture schedule, case studies, taxonomies and the checks
//! that need all pages at once (duplicate URLs, links, anchors, prerequisites). Built by
//! a pure function from parsed files; rendering reads it and never changes it.

pub mod taxonomy;

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Weak};

use jiff::civil::{Date, DateTime};
use rayon::prelude::*;

use crate::config::Config;
use crate::content::markdown::{self, LinkTargets, Rendered, Unpublished};
pub use crate::content::markdown::{is_han, reading_minutes};
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

/// Results of one build that the next one can reuse: each file's front matter (kept while
/// the file is the same or its bytes hash the same), each page's rendered Markdown (while
/// no link target moves), and everything front matter alone decides (while an edit
/// changes bodies only).
#[derive(Debug, Default, Clone)]
pub struct Cache(Option<Arc<Reuse>>);

#[derive(Debug)]
struct Reuse {
    /// One entry per source file, in the order of the build's sources.
    files: Vec<FileEntry>,
    /// Source path → index in `files`.
    index: Arc<HashMap<String, usize>>,
    /// Where links written in Markdown may point.
    targets: Arc<LinkTargets>,
    /// Hash of `targets` and of the HTML policy.
    targets_hash: u64,
    frame: Arc<Frame>,
}

/// What one build knows of one source file.
#[derive(Debug)]
struct FileEntry {
    /// The file read. A file shared through an `Arc` cannot change while a pointer to it
    /// lives, so the same pointer means the same bytes.
    source: Weak<SourceFile>,
    /// Hash of the file's bytes.
    hash: u64,
    parsed: Option<Arc<Parsed>>,
    /// The problems found in the file's front matter (`None`: none).
    diags: Option<Arc<Vec<Diagnostic>>>,
    /// The page's rendered Markdown, when the file is a published page.
    md: Option<PageMd>,
}

/// A page's rendered Markdown with what a build reads of it for every page, kept beside
/// it so that pages taken from the previous build need not be visited.
#[derive(Debug, Clone)]
struct PageMd {
    md: Arc<Rendered>,
    reading_minutes: u32,
    /// The Markdown has diagnostics or links to anchors to check.
    checks: bool,
}

impl PageMd {
    fn new(md: Rendered) -> PageMd {
        PageMd {
            reading_minutes: md.reading_minutes,
            checks: !md.diags.is_empty() || !md.anchors.is_empty(),
            md: Arc::new(md),
        }
    }
}

/// Everything the configuration, the day, the attachments and the front matter decide,
/// bodies aside: a build after edits to bodies only takes it whole.
#[derive(Debug)]
struct Frame {
    config: Config,
    drafts: bool,
    today: Date,
    pages: Vec<PageFrame>,
    /// Page source path → page index.
    by_rel: HashMap<String, usize>,
    home: Option<usize>,
    sections: HashMap<String, usize>,
    courses: Vec<usize>,
    lectures: Vec<usize>,
    cases: Vec<usize>,
    plain: Vec<usize>,
    taxonomies: Vec<Taxonomy>,
    schedule: Vec<Occurrence>,
    files: Vec<(AssetFile, String)>,
    /// Warnings about several pages' front matter together (overlapping lectures,
    /// near-duplicate terms).
    warnings: Vec<Diagnostic>,
}

/// A page without its source and Markdown.
#[derive(Debug)]
struct PageFrame {
    /// Index of the page's file among the sources.
    file: usize,
    kind: Kind,
    url: String,
    id: String,
    course: Option<usize>,
    lessons: Vec<usize>,
    prev: Option<usize>,
    next: Option<usize>,
    prerequisites: Vec<usize>,
    attachments: Vec<Attachment>,
}

impl PageFrame {
    fn of(p: &Page, file: usize) -> PageFrame {
        PageFrame {
            file,
            kind: p.kind,
            url: p.url.clone(),
            id: p.id.clone(),
            course: p.course,
            lessons: p.lessons.clone(),
            prev: p.prev,
            next: p.next,
            prerequisites: p.prerequisites.clone(),
            attachments: p.attachments.clone(),
        }
    }

    fn page(&self, src: Arc<Parsed>, md: &PageMd) -> Page {
        Page {
            kind: self.kind,
            src,
            url: self.url.clone(),
            id: self.id.clone(),
            reading_minutes: md.reading_minutes,
            md: Arc::clone(&md.md),
            course: self.course,
            lessons: self.lessons.clone(),
            prev: self.prev,
            next: self.next,
            prerequisites: self.prerequisites.clone(),
            attachments: self.attachments.clone(),
        }
    }
}

/// Hashes link targets as they are added, in an order that depends only on the targets
/// themselves (source order, asset order).
struct TargetsHasher(xxhash_rust::xxh3::Xxh3);

impl TargetsHasher {
    fn add(&mut self, tag: u8, key: &str, value: &[u8]) {
        let h = &mut self.0;
        h.update(&[tag]);
        h.update(&(key.len() as u64).to_le_bytes());
        h.update(key.as_bytes());
        h.update(&(value.len() as u64).to_le_bytes());
        h.update(value);
    }
}

impl FileEntry {
    /// This entry for `source`, a file with the same bytes, in a new build.
    fn again(&self, source: Weak<SourceFile>) -> FileEntry {
        FileEntry {
            source,
            hash: self.hash,
            parsed: self.parsed.clone(),
            diags: self.diags.clone(),
            md: None,
        }
    }
}

/// Parses every file, taking from `prev` the result for a file that is the same (same
/// pointer) or has the same bytes (same hash). Files are parsed in parallel. Returns the
/// entries and, for each, the index of its entry in `prev`.
fn read_files(
    sources: &[Arc<SourceFile>],
    config: &Config,
    prev: Option<&Reuse>,
) -> (Vec<FileEntry>, Vec<Option<usize>>) {
    let same_file =
        |e: &FileEntry, s: &Arc<SourceFile>| std::ptr::eq(e.source.as_ptr(), Arc::as_ptr(s));
    let old = |j: Option<usize>| prev.zip(j).map(|(r, j)| &r.files[j]);
    // The same file usually sits at the same place: no need to look up its path.
    let prev_of: Vec<Option<usize>> = sources
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let r = prev?;
            match r.files.get(i) {
                Some(e) if same_file(e, s) => Some(i),
                _ => r.index.get(&s.rel).copied(),
            }
        })
        .collect();
    let mut entries: Vec<Option<FileEntry>> = sources
        .iter()
        .zip(&prev_of)
        .map(|(s, &j)| {
            old(j)
                .filter(|e| same_file(e, s))
                .map(|e| e.again(e.source.clone()))
        })
        .collect();
    let fresh: Vec<(usize, FileEntry)> = entries
        .iter()
        .enumerate()
        .filter(|(_, e)| e.is_none())
        .map(|(i, _)| i)
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|i| {
            let s = &sources[i];
            let hash = xxhash_rust::xxh3::xxh3_64(&s.bytes);
            let entry = match old(prev_of[i]) {
                Some(e) if e.hash == hash => e.again(Arc::downgrade(s)),
                _ => {
                    let (p, d) = content::parse(s, config);
                    FileEntry {
                        source: Arc::downgrade(s),
                        hash,
                        parsed: p.map(Arc::new),
                        diags: (!d.is_empty()).then(|| Arc::new(d)),
                        md: None,
                    }
                }
            };
            (i, entry)
        })
        .collect();
    for (i, entry) in fresh {
        entries[i] = Some(entry);
    }
    (entries.into_iter().flatten().collect(), prev_of)
}

fn render_page(src: &Parsed, targets: &LinkTargets, unsafe_html: bool) -> Rendered {
    let input = markdown::Input {
        path: &src.path,
        source: &src.rel,
        body: src.body.as_str(),
        body_line: src.body_line,
        unsafe_html,
    };
    markdown::render(&input, targets)
}

/// Every file's diagnostics, in source order.
fn file_diags(files: &[FileEntry]) -> Vec<Diagnostic> {
    files
        .iter()
        .filter_map(|e| e.diags.as_deref())
        .flat_map(|d| d.iter().cloned())
        .collect()
}

/// Sorts the diagnostics; any error fails the build.
fn finish(
    site: Site,
    mut diags: Vec<Diagnostic>,
) -> Result<(Site, Vec<Diagnostic>), Vec<Diagnostic>> {
    crate::diagnostic::sort(&mut diags);
    if diags.iter().any(Diagnostic::is_error) {
        return Err(diags);
    }
    Ok((site, diags))
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
    /// unchanged, the Markdown of pages whose body and link targets are unchanged and,
    /// when only bodies changed, everything front matter decides. The dev server passes
    /// the previous build's cache; the result is the same as without it.
    pub fn build_with(
        config: Config,
        sources: &[Arc<SourceFile>],
        assets: Vec<AssetFile>,
        opts: &BuildOptions,
        cache: &Cache,
    ) -> Result<(Site, Vec<Diagnostic>), Vec<Diagnostic>> {
        let prev = cache.0.as_deref();
        let (files, prev_of) = read_files(sources, &config, prev);
        let aligned = prev.is_some_and(|r| {
            r.files.len() == files.len() && prev_of.iter().enumerate().all(|(i, &j)| j == Some(i))
        });
        let index = match prev {
            Some(r) if aligned => Arc::clone(&r.index),
            _ => Arc::new(
                sources
                    .iter()
                    .enumerate()
                    .map(|(i, s)| (s.rel.clone(), i))
                    .collect(),
            ),
        };
        if let Some(r) = prev.filter(|_| aligned)
            && let Some(parsed) = bodies_only(r, &files, &config, &assets, opts)
        {
            return build_bodies(config, r, files, &parsed, index, opts);
        }
        build_all(config, sources, files, &prev_of, index, assets, opts, prev)
    }
}

/// The parse of every file when, since the build of `r`, only bodies changed: the same
/// files, configuration, attachments and day, and the same text before every body.
fn bodies_only(
    r: &Reuse,
    files: &[FileEntry],
    config: &Config,
    assets: &[AssetFile],
    opts: &BuildOptions,
) -> Option<Vec<Arc<Parsed>>> {
    let f = &r.frame;
    let same_inputs = f.config == *config
        && f.drafts == opts.drafts
        && f.today == opts.now.date()
        && f.files.len() == assets.len()
        && f.files.iter().zip(assets).all(|((a, _), b)| a == b)
        && files.len() == r.files.len();
    if !same_inputs {
        return None;
    }
    files
        .iter()
        .zip(&r.files)
        .map(|(new, old)| match (&new.parsed, &old.parsed) {
            (Some(a), Some(b)) if Arc::ptr_eq(a, b) || a.front_hash == b.front_hash => {
                Some(Arc::clone(a))
            }
            _ => None,
        })
        .collect()
}

/// The build after edits to bodies only: the frame of `r` with each page's source and
/// Markdown, rendered again for the pages whose file changed.
fn build_bodies(
    config: Config,
    r: &Reuse,
    mut files: Vec<FileEntry>,
    parsed: &[Arc<Parsed>],
    index: Arc<HashMap<String, usize>>,
    opts: &BuildOptions,
) -> Result<(Site, Vec<Diagnostic>), Vec<Diagnostic>> {
    let frame = &r.frame;
    let unsafe_html = config.unsafe_html;
    // Markdown of the pages whose file changed, in parallel, in page order.
    let fresh: Vec<(usize, PageMd)> = frame
        .pages
        .iter()
        .enumerate()
        .filter(|(_, f)| {
            let old = &r.files[f.file];
            !matches!((&old.parsed, &old.md), (Some(p), Some(_)) if Arc::ptr_eq(p, &parsed[f.file]))
        })
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|(i, f)| {
            let md = render_page(&parsed[f.file], &r.targets, unsafe_html);
            (i, PageMd::new(md))
        })
        .collect();
    let mut fresh = fresh.into_iter().peekable();
    let pages: Vec<Page> = frame
        .pages
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let md = match fresh.next_if(|(j, _)| *j == i) {
                Some((_, md)) => md,
                None => r.files[f.file]
                    .md
                    .clone()
                    .unwrap_or_else(|| PageMd::new(Rendered::default())),
            };
            let page = f.page(Arc::clone(&parsed[f.file]), &md);
            files[f.file].md = Some(md);
            page
        })
        .collect();
    let mut diags = file_diags(&files);
    let checked = frame
        .pages
        .iter()
        .enumerate()
        .filter(|(_, f)| files[f.file].md.as_ref().is_some_and(|md| md.checks))
        .map(|(i, _)| i);
    check_markdown(&pages, &frame.by_rel, checked, &mut diags);
    diags.extend(frame.warnings.iter().cloned());
    let site = Site {
        config,
        now: opts.now,
        pages,
        home: frame.home,
        sections: frame.sections.clone(),
        courses: frame.courses.clone(),
        lectures: frame.lectures.clone(),
        cases: frame.cases.clone(),
        plain: frame.plain.clone(),
        taxonomies: frame.taxonomies.clone(),
        schedule: frame.schedule.clone(),
        files: frame.files.clone(),
        cache: Cache(Some(Arc::new(Reuse {
            files,
            index,
            targets: Arc::clone(&r.targets),
            targets_hash: r.targets_hash,
            frame: Arc::clone(&r.frame),
        }))),
    };
    finish(site, diags)
}

/// The whole build: URLs, link targets, Markdown (taken from `prev` for pages whose
/// source and link targets are unchanged), structure, schedule and taxonomies.
#[allow(clippy::too_many_arguments)]
fn build_all(
    config: Config,
    sources: &[Arc<SourceFile>],
    mut files: Vec<FileEntry>,
    prev_of: &[Option<usize>],
    index: Arc<HashMap<String, usize>>,
    assets: Vec<AssetFile>,
    opts: &BuildOptions,
    prev: Option<&Reuse>,
) -> Result<(Site, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut diags = file_diags(&files);
    let today = opts.now.date();
    let mut hasher = TargetsHasher(xxhash_rust::xxh3::Xxh3::new());
    // Pages left out are remembered, so that links to them can say why.
    let mut unpublished = HashMap::new();
    let mut pages_src: Vec<(usize, Arc<Parsed>)> = Vec::with_capacity(files.len());
    for (i, e) in files.iter().enumerate() {
        let Some(p) = &e.parsed else { continue };
        match unpublished_why(p, opts.drafts, today) {
            None => pages_src.push((i, Arc::clone(p))),
            Some(why) => {
                // A page left out for another reason changes what links to it report.
                hasher.add(2, &p.rel, format!("{why:?}").as_bytes());
                unpublished.insert(p.rel.clone(), why);
            }
        }
    }

    // URLs: courses first, since lessons live under their course.
    let mut course_urls: HashMap<String, String> = HashMap::new();
    for (_, p) in pages_src.iter().filter(|(_, p)| p.kind == Kind::Course) {
        let dir = p.rel.rsplit_once('/').map_or("", |(d, _)| d).to_string();
        let slug = p
            .common
            .slug
            .clone()
            .unwrap_or_else(|| content::slugify(dir.rsplit('/').next().unwrap_or("")));
        course_urls.insert(dir, format!("/courses/{slug}/"));
    }
    let urls: Vec<String> = pages_src
        .par_iter()
        .map(|(_, p)| page_url(p, &course_urls))
        .collect();
    let mut keep = vec![true; urls.len()];
    {
        // URL → the page claiming it (`None`: the site's own pages).
        let mut claimed: HashMap<&str, Option<usize>> =
            RESERVED.iter().map(|&u| (u, None)).collect();
        for (k, url) in urls.iter().enumerate() {
            let Some(&other) = claimed.get(url.as_str()) else {
                claimed.insert(url, Some(k));
                continue;
            };
            keep[k] = false;
            diags.push(duplicate_url(
                &pages_src[k].1,
                url,
                other.map(|o| &*pages_src[o].1),
            ));
        }
    }
    let mut pages: Vec<Page> = Vec::with_capacity(urls.len());
    let mut page_files: Vec<usize> = Vec::with_capacity(urls.len());
    for (((file, src), url), keep) in pages_src.into_iter().zip(urls).zip(keep) {
        if !keep {
            continue;
        }
        let id = url.trim_matches('/');
        let id = if id.is_empty() {
            "home".into()
        } else {
            id.to_string()
        };
        pages.push(Page {
            kind: src.kind,
            src,
            url,
            id,
            md: Arc::default(),
            reading_minutes: 1,
            course: None,
            lessons: Vec::new(),
            prev: None,
            next: None,
            prerequisites: Vec::new(),
            attachments: Vec::new(),
        });
        page_files.push(file);
    }

    // Co-located files are copied beside their page's folder URL.
    let mut site_files = Vec::with_capacity(assets.len());
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
        let final_url = config.url(&url);
        hasher.add(1, &a.rel, final_url.as_bytes());
        targets.files.insert(a.rel.clone(), final_url);
        site_files.push((a, url));
    }
    for p in &pages {
        // Links written in Markdown are final HTML: they carry the base path.
        let final_url = config.url(&p.url);
        hasher.add(0, &p.src.rel, final_url.as_bytes());
        targets.pages.insert(p.src.rel.clone(), final_url);
    }

    // Markdown, in parallel; a page's HTML depends on its body and on where every
    // other page and file lives, so the cache holds while neither changes.
    let unsafe_html = config.unsafe_html;
    hasher.add(3, "unsafe_html", &[u8::from(unsafe_html)]);
    let targets_hash = hasher.0.digest();
    let reuse = prev.filter(|r| r.targets_hash == targets_hash);
    let mut mds: Vec<Option<PageMd>> = vec![None; pages.len()];
    pages
        .par_iter_mut()
        .zip(&page_files)
        .zip(&mut mds)
        .for_each(|((p, &file), slot)| {
            let old = reuse.zip(prev_of[file]).map(|(r, j)| &r.files[j]);
            let md = match old.map(|e| (&e.parsed, &e.md)) {
                Some((Some(op), Some(md))) if Arc::ptr_eq(op, &p.src) => md.clone(),
                _ => PageMd::new(render_page(&p.src, &targets, unsafe_html)),
            };
            p.md = Arc::clone(&md.md);
            p.reading_minutes = md.reading_minutes;
            *slot = Some(md);
        });
    for (md, &file) in mds.into_iter().zip(&page_files) {
        files[file].md = md;
    }
    let by_rel: HashMap<String, usize> = pages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.src.rel.clone(), i))
        .collect();
    check_markdown(&pages, &by_rel, 0..pages.len(), &mut diags);

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
        cache: Cache::default(),
        files: site_files,
        pages,
    };
    link_structure(&mut site, &by_rel, &targets.unpublished, &mut diags);
    site.taxonomies = taxonomy::build(&site);
    site.schedule = schedule(&site);
    let mut warnings = overlaps(&site);
    let page_sources: Vec<&SourceFile> = page_files.iter().map(|&f| &*sources[f]).collect();
    warnings.extend(taxonomy::near_duplicates(&site, &page_sources));
    diags.extend(warnings.iter().cloned());
    if diags.iter().any(Diagnostic::is_error) {
        return finish(site, diags);
    }
    let frame = Frame {
        config: site.config.clone(),
        drafts: opts.drafts,
        today,
        pages: site
            .pages
            .iter()
            .zip(&page_files)
            .map(|(p, &file)| PageFrame::of(p, file))
            .collect(),
        by_rel,
        home: site.home,
        sections: site.sections.clone(),
        courses: site.courses.clone(),
        lectures: site.lectures.clone(),
        cases: site.cases.clone(),
        plain: site.plain.clone(),
        taxonomies: site.taxonomies.clone(),
        schedule: site.schedule.clone(),
        files: site.files.clone(),
        warnings,
    };
    site.cache = Cache(Some(Arc::new(Reuse {
        files,
        index,
        targets: Arc::new(targets),
        targets_hash,
        frame: Arc::new(frame),
    })));
    finish(site, diags)
}

/// The error for a page whose URL `other` (or the site itself, when `None`) claims.
fn duplicate_url(src: &Parsed, url: &str, other: Option<&Parsed>) -> Diagnostic {
    let (zh_other, en_other) = match other {
        None => (
            "站点自带的页面".to_string(),
            "a page the site generates".to_string(),
        ),
        Some(o) => {
            let path = o.path.to_string_lossy().replace('\\', "/");
            (path.clone(), path)
        }
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
    Diagnostic::error(
        &src.path,
        1,
        1,
        Text::new(
            format!("网址 {url} 与 {zh_other} 重复：两个文件不能发布到同一个网址"),
            format!("the URL {url} is also claimed by {en_other}"),
        ),
    )
    .with_hint(hint)
}

/// Each page's Markdown diagnostics, then its links to anchors checked against the
/// headings of the page they point to.
fn check_markdown(
    pages: &[Page],
    by_rel: &HashMap<String, usize>,
    checked: impl Iterator<Item = usize>,
    diags: &mut Vec<Diagnostic>,
) {
    for p in checked.map(|i| &pages[i]) {
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
                        Some(g) => {
                            Text::new(format!("是不是要写 #{g}？"), format!("did you mean #{g}?"))
                        }
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

/// A course named in front matter (`prerequisites`, a lecture's `course`).
const COURSE_REF: markdown::Pointer = markdown::Pointer {
    target: ("课程", "course"),
    this: ("这一项", "this entry"),
};

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
    let rest = file.trim_start_matches(|c: char| c.is_ascii_digit());
    file[..file.len() - rest.len()].parse().ok()
}

fn link_structure(
    site: &mut Site,
    by_rel: &HashMap<String, usize>,
    unpublished: &HashMap<String, Unpublished>,
    diags: &mut Vec<Diagnostic>,
) {
    let files_by_rel: HashMap<&str, (&str, u64)> = site
        .files
        .iter()
        .map(|(a, url)| (a.rel.as_str(), (url.as_str(), a.size)))
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
        let src = Arc::clone(&site.pages[i].src);
        let dir = src.rel.rsplit_once('/').map_or("", |(d, _)| d);
        match kind {
            Kind::Home => site.home = Some(i),
            Kind::Section => {
                site.sections.insert(dir.to_string(), i);
            }
            Kind::Course => site.courses.push(i),
            Kind::Lecture => site.lectures.push(i),
            Kind::Case => site.cases.push(i),
            Kind::Page => site.plain.push(i),
            Kind::Lesson => match course_by_dir.get(dir) {
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
        let (refs, own_dir): (&[Ref], &str) = match &src.meta {
            Meta::Lesson(m) => (&m.attachments, dir),
            Meta::Lecture(m) => (&m.materials, dir),
            _ => (&[], dir),
        };
        let mut attachments = Vec::new();
        for r in refs {
            let rel = if own_dir.is_empty() {
                r.target.clone()
            } else {
                format!("{own_dir}/{}", r.target)
            };
            match files_by_rel.get(rel.as_str()) {
                Some(&(url, size)) => attachments.push(Attachment {
                    name: r.target.clone(),
                    url: url.to_string(),
                    ext: r
                        .target
                        .rsplit_once('.')
                        .map_or(String::new(), |(_, e)| e.to_lowercase()),
                    size,
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
        let pages = &site.pages;
        lessons.sort_by_cached_key(|&l| {
            let p = &pages[l].src;
            (
                p.common.weight.unwrap_or(i64::MAX),
                order_number(&p.rel).unwrap_or(u64::MAX),
                p.rel.as_str(),
            )
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
        let src = Arc::clone(&site.pages[i].src);
        let (refs, is_prereq): (&[Ref], bool) = match &src.meta {
            Meta::Course(m) => (&m.prerequisites, true),
            Meta::Lecture(m) => (m.course.as_slice(), false),
            _ => (&[], false),
        };
        for r in refs {
            let rel = resolve(r, &src);
            let target = rel.as_ref().and_then(|rel| by_rel.get(rel).copied());
            match target.filter(|&t| site.pages[t].kind == Kind::Course) {
                Some(t) if is_prereq => site.pages[i].prerequisites.push(t),
                Some(t) => site.pages[i].course = Some(t),
                None => match rel.and_then(|rel| unpublished.get(&rel).map(|&w| (rel, w))) {
                    // The course exists but is left out of this build: say why.
                    Some((rel, why)) => {
                        let (message, hint) =
                            markdown::unpublished_text(COURSE_REF, &r.target, &rel, why);
                        diags.push(
                            Diagnostic::error(&src.path, r.line, r.column, message).with_hint(hint),
                        );
                    }
                    None => broken.push((i, r.clone())),
                },
            }
        }
    }
    let course_paths: Vec<String> = if broken.is_empty() {
        Vec::new()
    } else {
        site.courses
            .iter()
            .map(|&c| format!("@/{}", site.pages[c].src.rel))
            .collect()
    };
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
    let lecture_key = |i: usize| match &pages[i].src.meta {
        Meta::Lecture(m) => (m.start, pages[i].url.as_str()),
        _ => (DateTime::default(), pages[i].url.as_str()),
    };
    site.lectures
        .sort_by(|&a, &b| lecture_key(a).cmp(&lecture_key(b)));
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
            .pages
            .iter()
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
            (&site.courses, &site.lectures, &site.cases, &site.plain),
            site.taxonomies,
            site.schedule,
            site.files,
            site.config.title,
            site.now,
        )
    }

    fn frame_of(built: &Built) -> Option<Arc<Frame>> {
        let (site, _) = built.as_ref().ok()?;
        Some(Arc::clone(&site.cache.0.as_ref()?.frame))
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
        let reused = match (frame_of(last), frame_of(&next)) {
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

    #[test]
    fn folder_urls_are_ascii() {
        assert_eq!(folder_url("guide/编辑指南"), "/guide/bian-ji-zhi-nan/");
        assert_eq!(folder_url(""), "/");
    }
}
