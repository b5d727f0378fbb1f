//! The site model: every published page with its URL and rendered Markdown, courses with
//! their ordered lessons, the lecture schedule, case studies, taxonomies and the checks
//! that need all pages at once (duplicate URLs, links, anchors, prerequisites). Built by
//! a pure function from parsed files; rendering reads it and never changes it.
//!
//! The model is one [`Structure`] (what the configuration, the day, the attachments and
//! the front matter decide: URLs, links between pages, lists, taxonomies, schedule) and
//! one [`PageText`] per page (its parsed source and rendered Markdown). A build after
//! edits to bodies only shares the previous structure whole and renders the edited
//! bodies alone ([`cache`]).

mod aliases;
mod cache;
pub mod media;
mod schedule;
mod structure;
pub mod taxonomy;
pub(crate) mod units;
mod urls;
pub use urls::print_url;

use std::collections::HashMap;
use std::ops::Deref;
use std::sync::Arc;

use jiff::civil::{Date, DateTime};
use rayon::prelude::*;

use crate::config::Config;
use crate::content::links;
pub use crate::content::markdown::BodyWords;
use crate::content::markdown::{LinkTargets, Rendered, Unpublished};
pub use crate::content::markdown::{is_han, reading_minutes};
use crate::content::{AssetFile, Kind, Parsed, SourceFile};
use crate::diagnostic::{Diagnostic, Text, did_you_mean};
use crate::media::{Media, Picture, Problem};
pub use aliases::Alias;
pub use cache::Cache;
use cache::{FileEntry, TargetsHasher};
pub use schedule::{Occurrence, sessions};
pub use taxonomy::{Taxonomy, Term};

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub drafts: bool,
    /// "Today" in the site timezone: decides scheduled publishing and upcoming lectures.
    pub now: DateTime,
    /// The words the Markdown renderer writes into bodies, from the theme.
    pub words: BodyWords,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Attachment {
    pub name: String,
    pub url: String,
    pub ext: String,
    pub size: u64,
}

/// A page's place in the site's list of pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PageId(u32);

impl PageId {
    pub fn index(self) -> usize {
        self.0 as usize
    }

    /// The id of the page at `index` of a site's pages.
    fn at(index: usize) -> PageId {
        PageId(u32::try_from(index).expect("a site has fewer than 2^32 pages"))
    }
}

/// What a page is and links to: what its place and front matter decide.
#[derive(Debug, Clone)]
pub struct Node {
    pub kind: Kind,
    /// Root-relative URL without the base path: `/courses/x/`.
    pub url: String,
    /// Stable id for scripts (localStorage keys): the URL without slashes at the ends.
    pub id: String,
    /// Lesson → its course; lecture → its related course.
    pub course: Option<PageId>,
    /// Course → its lessons in order.
    pub lessons: Vec<PageId>,
    pub prev: Option<PageId>,
    pub next: Option<PageId>,
    pub prerequisites: Vec<PageId>,
    pub attachments: Vec<Attachment>,
    /// `cover:` (courses, lectures, cases).
    pub cover: Option<media::Cover>,
    /// `recording:` (lectures).
    pub recording: Option<media::Recording>,
    /// Index of the page's file among the build's sources.
    file: usize,
}

/// A page's text: its parsed source and its rendered Markdown.
#[derive(Debug, Clone)]
pub struct PageText {
    pub src: Arc<Parsed>,
    pub md: Arc<Rendered>,
    pub reading_minutes: u32,
}

/// One page as the renderer sees it: what it is and links to (through `Deref`), and its
/// text.
#[derive(Debug, Clone, Copy)]
pub struct Page<'s> {
    pub page_id: PageId,
    node: &'s Node,
    pub src: &'s Arc<Parsed>,
    pub md: &'s Arc<Rendered>,
    pub reading_minutes: u32,
}

impl<'s> Page<'s> {
    pub fn title(&self) -> &'s str {
        &self.src.common.title
    }

    /// What the page is and links to, for as long as the site lives.
    pub fn node(&self) -> &'s Node {
        self.node
    }
}

impl Deref for Page<'_> {
    type Target = Node;

    fn deref(&self) -> &Node {
        self.node
    }
}

/// Everything the configuration, the day, the attachments and the front matter decide,
/// bodies aside. A build after edits to bodies only shares it whole.
#[derive(Debug)]
pub struct Structure {
    pub nodes: Vec<Node>,
    pub home: Option<PageId>,
    /// A listed kind → the page holding its list's intro text (`content/<folder>/_index.md`).
    pub sections: HashMap<Kind, PageId>,
    /// The pages of each kind that has pages of its own, in the kind's list order.
    by_kind: HashMap<Kind, Vec<PageId>>,
    pub taxonomies: Vec<Taxonomy>,
    /// Every lecture session in time order; a repeating lecture has one per date.
    pub schedule: Vec<Occurrence>,
    /// Co-located files to copy: source on disk → URL.
    pub files: Vec<(AssetFile, String)>,
    /// The pages' old addresses (`aliases:`), in page order.
    pub aliases: Vec<Alias>,
    /// Page source path → page.
    by_rel: HashMap<String, PageId>,
    /// Warnings about several pages' front matter together (overlapping lectures,
    /// near-duplicate terms).
    warnings: Vec<Diagnostic>,
    /// What the structure was built from besides the sources.
    inputs: Inputs,
}

#[derive(Debug, PartialEq)]
struct Inputs {
    config: Config,
    drafts: bool,
    today: Date,
    words: BodyWords,
}

impl Structure {
    /// The pages of `kind`, in its list order (courses by weight and title, lectures by
    /// start, cases newest first, other kinds in site order).
    pub fn of(&self, kind: Kind) -> &[PageId] {
        self.by_kind.get(&kind).map_or(&[], Vec::as_slice)
    }
}

#[derive(Debug)]
pub struct Site {
    pub config: Config,
    pub now: DateTime,
    structure: Arc<Structure>,
    /// One per node of the structure, in the same order.
    texts: Vec<PageText>,
    /// What the next build may reuse (see [`Site::build_with`]).
    pub cache: Cache,
}

impl Deref for Site {
    type Target = Structure;

    fn deref(&self) -> &Structure {
        &self.structure
    }
}

impl Site {
    pub fn page(&self, i: PageId) -> Page<'_> {
        let t = &self.texts[i.index()];
        Page {
            page_id: i,
            node: &self.structure.nodes[i.index()],
            src: &t.src,
            md: &t.md,
            reading_minutes: t.reading_minutes,
        }
    }

    /// Every page, in site order.
    pub fn pages(&self) -> impl ExactSizeIterator<Item = Page<'_>> + Clone {
        self.ids().map(|i| self.page(i))
    }

    /// Every page, in site order, on rayon's pool.
    pub fn par_pages(&self) -> impl IndexedParallelIterator<Item = Page<'_>> {
        (0..self.texts.len())
            .into_par_iter()
            .map(|i| self.page(PageId::at(i)))
    }

    /// The id of every page, in site order.
    pub fn ids(&self) -> impl ExactSizeIterator<Item = PageId> + Clone + use<> {
        (0..self.texts.len()).map(PageId::at)
    }

    /// The lectures that name `course` as theirs, in schedule order.
    pub fn lectures_of(&self, course: PageId) -> impl Iterator<Item = PageId> + '_ {
        self.of(Kind::Lecture)
            .iter()
            .copied()
            .filter(move |&l| self.page(l).course == Some(course))
    }

    /// The structure while this build makes it: nothing else holds it yet.
    fn structure_mut(&mut self) -> &mut Structure {
        self.parts_mut().0
    }

    /// The structure while this build makes it, and the pages' texts.
    fn parts_mut(&mut self) -> (&mut Structure, &[PageText]) {
        let structure =
            Arc::get_mut(&mut self.structure).expect("the structure is shared only once built");
        (structure, &self.texts)
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
        let read = match cache::bodies_only(
            cache::read(sources, &config, cache),
            &config,
            &assets,
            opts,
        ) {
            Ok(built) => return built,
            Err(read) => read,
        };
        let input = Input {
            config,
            sources,
            assets,
            opts,
        };
        build_all(input, read)
    }
}

/// What a whole build is made from.
struct Input<'a> {
    config: Config,
    sources: &'a [Arc<SourceFile>],
    assets: Vec<AssetFile>,
    opts: &'a BuildOptions,
}

/// The whole build: URLs, link targets, Markdown (taken from the previous build for
/// pages whose source and link targets are unchanged), structure, schedule and
/// taxonomies.
fn build_all(
    input: Input<'_>,
    mut read: cache::Read<'_>,
) -> Result<(Site, Vec<Diagnostic>), Vec<Diagnostic>> {
    let Input {
        config,
        sources,
        assets,
        opts,
    } = input;
    let mut diags = cache::file_diags(&read.files);
    let today = opts.now.date();
    let mut hasher = TargetsHasher::new();
    let (published, unpublished) = published(&read.files, opts.drafts, today, &mut hasher);
    let urls::Placed {
        pages: placed,
        course_urls,
    } = urls::place(published, &mut diags);
    let site_urls = urls::reserved().chain(["/"]).map(String::from);
    let aliases = aliases::place(&placed, site_urls, &config.base_path, &mut diags);

    let (nodes, mut texts): (Vec<Node>, Vec<PageText>) = placed
        .into_iter()
        .map(|(file, src, url)| {
            let id = match url.trim_matches('/') {
                "" => "home".to_string(),
                id => id.to_string(),
            };
            let node = Node {
                kind: src.kind,
                url,
                id,
                course: None,
                lessons: Vec::new(),
                prev: None,
                next: None,
                prerequisites: Vec::new(),
                attachments: Vec::new(),
                cover: None,
                recording: None,
                file,
            };
            let text = PageText {
                src,
                md: Arc::default(),
                reading_minutes: 1,
            };
            (node, text)
        })
        .unzip();

    // Co-located files are copied beside their page's folder URL.
    let site_files = urls::place_files(assets, &course_urls);
    let values = config.allowed_values();
    for (key, list) in &values {
        hasher.add(4, key, list.join("\n").as_bytes());
    }
    let mut targets = LinkTargets {
        unpublished,
        values,
        ..LinkTargets::default()
    };
    for (a, url) in &site_files {
        // Links written in Markdown are final HTML: they carry the base path.
        let final_url = config.url(url);
        hasher.add(1, url, final_url.as_bytes());
        if let Some(media) = &a.media {
            // A page shows an image by its variants: it changes when they do.
            hasher.add(2, &a.rel, format!("{media:?}").as_bytes());
            targets
                .images
                .insert(final_url.clone(), picture(media, &final_url));
        }
        // Files named by their path in content/; those of static/ by their URL alone.
        if !a.in_static {
            targets.files.insert(a.rel.clone(), final_url);
        }
    }
    for (node, text) in nodes.iter().zip(&texts) {
        let final_url = config.url(&node.url);
        hasher.add(0, &text.src.rel, final_url.as_bytes());
        targets.pages.insert(text.src.rel.clone(), final_url);
    }

    // Markdown, in parallel; a page's HTML depends on its body and on where every
    // other page and file lives, so the cache holds while neither changes.
    hasher.add(3, "unsafe_html", &[u8::from(config.unsafe_html)]);
    hasher.add(3, "words", format!("{:?}", opts.words).as_bytes());
    let targets_hash = hasher.digest();
    let mds = read.render_markdown(
        targets_hash,
        &nodes,
        &texts,
        &targets,
        config.unsafe_html,
        &opts.words,
    );
    for ((text, md), node) in texts.iter_mut().zip(mds).zip(&nodes) {
        text.md = Arc::clone(&md.md);
        text.reading_minutes = md.reading_minutes;
        read.files[node.file].md = Some(md);
    }
    let by_rel: HashMap<String, PageId> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| (t.src.rel.clone(), PageId::at(i)))
        .collect();
    check_markdown(&texts, &by_rel, &targets, 0..texts.len(), &mut diags);

    let structure = Structure {
        nodes,
        home: None,
        sections: HashMap::new(),
        by_kind: HashMap::new(),
        taxonomies: Vec::new(),
        schedule: Vec::new(),
        files: site_files,
        aliases,
        by_rel,
        warnings: Vec::new(),
        inputs: Inputs {
            config: config.clone(),
            drafts: opts.drafts,
            today,
            words: opts.words.clone(),
        },
    };
    let mut site = Site {
        config,
        now: opts.now,
        structure: Arc::new(structure),
        texts,
        cache: Cache::default(),
    };
    structure::link(&mut site, &targets.unpublished, &mut diags);
    let taxonomies = taxonomy::build(&site);
    site.structure_mut().taxonomies = taxonomies;
    diags.extend(aliases::on_term_pages(&site));
    let schedule = schedule::schedule(&site);
    site.structure_mut().schedule = schedule;
    let mut warnings = schedule::overlaps(&site);
    warnings.extend(unshown_images(&site.files, &site.texts, &site.config));
    let page_sources: Vec<&SourceFile> = site.nodes.iter().map(|n| &*sources[n.file]).collect();
    warnings.extend(taxonomy::near_duplicates(&site, &page_sources));
    warnings.extend(units::rota_warnings(&site));
    diags.extend(units::year_like_units(&site, &page_sources));
    diags.extend(warnings.iter().cloned());
    if diags.iter().any(Diagnostic::is_error) {
        return finish(site, diags);
    }
    site.structure_mut().warnings = warnings;
    site.cache = read.keep(Arc::new(targets), targets_hash, &site.structure);
    finish(site, diags)
}

/// How pages show `media` published at `final_url`, or why they cannot.
fn picture(media: &Media, final_url: &str) -> Result<Picture, Problem> {
    match media {
        Media::Image(image) => {
            let folder = final_url.rsplit_once('/').map_or("", |(f, _)| f);
            Ok(Picture::new(image, &format!("{folder}/")))
        }
        Media::Broken(p) => Err(p.clone()),
    }
}

/// The images that cannot be published and that no page shows: each a warning at the
/// file (those shown are errors where they are shown).
fn unshown_images(
    files: &[(AssetFile, String)],
    texts: &[PageText],
    config: &Config,
) -> Vec<Diagnostic> {
    let shown: std::collections::HashSet<&str> = texts
        .iter()
        .flat_map(|t| t.md.broken_images.iter().map(String::as_str))
        .collect();
    // Covers are reported where they are named.
    let covers: std::collections::HashSet<String> = texts
        .iter()
        .filter_map(|t| media::file_rel(&t.src.rel, &t.src.common.cover.as_ref()?.target))
        .collect();
    files
        .iter()
        .filter_map(|(a, url)| match &a.media {
            Some(Media::Broken(p))
                if !shown.contains(config.url(url).as_str())
                    && (a.in_static || !covers.contains(&a.rel)) =>
            {
                Some(p.unpublished(&a.source_path()))
            }
            _ => None,
        })
        .collect()
}

/// The parsed files published in this build, with their index among the files.
type Published = Vec<(usize, Arc<Parsed>)>;

/// The parsed files that are published in this build, and why each of the others is left
/// out (links to them say why).
fn published(
    files: &[FileEntry],
    drafts: bool,
    today: Date,
    hasher: &mut TargetsHasher,
) -> (Published, HashMap<String, Unpublished>) {
    let mut unpublished = HashMap::new();
    let mut published = Vec::with_capacity(files.len());
    for (i, e) in files.iter().enumerate() {
        let Some(p) = &e.parsed else { continue };
        match unpublished_why(p, drafts, today) {
            None => published.push((i, Arc::clone(p))),
            Some(why) => {
                // A page left out for another reason changes what links to it report.
                hasher.add(2, &p.rel, format!("{why:?}").as_bytes());
                unpublished.insert(p.rel.clone(), why);
            }
        }
    }
    (published, unpublished)
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

/// Each page's Markdown diagnostics, its broken links with the page or file they most
/// likely meant, then its links to anchors checked against the headings of the page
/// they point to.
fn check_markdown(
    texts: &[PageText],
    by_rel: &HashMap<String, PageId>,
    targets: &LinkTargets,
    checked: impl Iterator<Item = usize>,
    diags: &mut Vec<Diagnostic>,
) {
    for p in checked.map(|i| &texts[i]) {
        diags.extend(p.md.diags.iter().cloned());
        for b in &p.md.broken {
            let guess = if b.target.ends_with(".md") {
                let pages = texts
                    .iter()
                    .map(|t| (t.src.rel.as_str(), t.src.common.title.as_str()));
                links::likely_target(&b.target, &b.text, pages)
            } else {
                let files = targets.files.keys().map(|k| (k.as_str(), ""));
                links::likely_target(&b.target, &b.text, files)
            };
            let at = (b.line, b.column);
            let guess = guess.map(str::to_string);
            diags.push(links::broken_at(
                &p.src.path,
                &p.src.rel,
                at,
                &b.dest,
                guess,
            ));
        }
        for a in &p.md.anchors {
            let Some(&t) = by_rel.get(a.target.as_str()) else {
                continue;
            };
            let target = &texts[t.index()].md;
            let ids = &target.heading_ids;
            if ids.contains(&a.anchor) || ids.contains(&a.anchor.to_lowercase()) {
                continue;
            }
            let guess = did_you_mean(&a.anchor, ids.iter().map(String::as_str));
            let known: Vec<&str> = target.toc.iter().map(|t| t.id.as_str()).take(8).collect();
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

#[cfg(test)]
mod tests;
