//! What one build hands to the next: each file's front matter (kept while the file is
//! the same or its bytes hash the same), each page's rendered Markdown (while no link
//! target moves), and the whole [`Structure`] (while an edit changes bodies only).

use std::collections::HashMap;
use std::sync::{Arc, Weak};

use rayon::prelude::*;

use super::{BodyWords, BuildOptions, Node, PageText, Site, Structure, check_markdown, finish};
use crate::config::Config;
use crate::content::markdown::{self, LinkTargets, Rendered};
use crate::content::{self, AssetFile, Parsed, SourceFile};
use crate::diagnostic::Diagnostic;

/// Results of one build that the next one can reuse.
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
    structure: Arc<Structure>,
}

/// What one build knows of one source file.
#[derive(Debug)]
pub(super) struct FileEntry {
    /// The file read. A file shared through an `Arc` cannot change while a pointer to it
    /// lives, so the same pointer means the same bytes.
    source: Weak<SourceFile>,
    /// Hash of the file's bytes.
    hash: u64,
    pub(super) parsed: Option<Arc<Parsed>>,
    /// The problems found in the file's front matter (`None`: none).
    diags: Option<Arc<Vec<Diagnostic>>>,
    /// The page's rendered Markdown, when the file is a published page.
    pub(super) md: Option<PageMd>,
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

/// A page's rendered Markdown with what a build reads of it for every page, kept beside
/// it so that pages taken from the previous build need not be visited.
#[derive(Debug, Clone)]
pub(super) struct PageMd {
    pub(super) md: Arc<Rendered>,
    pub(super) reading_minutes: u32,
    /// The Markdown has diagnostics, broken links or links to anchors to check.
    checks: bool,
}

impl PageMd {
    fn new(md: Rendered) -> PageMd {
        PageMd {
            reading_minutes: md.reading_minutes,
            checks: !md.diags.is_empty() || !md.anchors.is_empty() || !md.broken.is_empty(),
            md: Arc::new(md),
        }
    }
}

/// Hashes link targets as they are added, in an order that depends only on the targets
/// themselves (source order, asset order).
pub(super) struct TargetsHasher(xxhash_rust::xxh3::Xxh3);

impl TargetsHasher {
    pub(super) fn new() -> TargetsHasher {
        TargetsHasher(xxhash_rust::xxh3::Xxh3::new())
    }

    pub(super) fn add(&mut self, tag: u8, key: &str, value: &[u8]) {
        let h = &mut self.0;
        h.update(&[tag]);
        h.update(&(key.len() as u64).to_le_bytes());
        h.update(key.as_bytes());
        h.update(&(value.len() as u64).to_le_bytes());
        h.update(value);
    }

    pub(super) fn digest(&self) -> u64 {
        self.0.digest()
    }
}

/// Every file of a build, parsed or taken from the previous build.
pub(super) struct Read<'c> {
    pub(super) files: Vec<FileEntry>,
    /// For each file, the index of its entry in the previous build.
    prev_of: Vec<Option<usize>>,
    index: Arc<HashMap<String, usize>>,
    prev: Option<&'c Reuse>,
    /// The same files at the same places as in the previous build.
    aligned: bool,
}

type Built = Result<(Site, Vec<Diagnostic>), Vec<Diagnostic>>;

/// Parses every file, taking from `cache` the result for a file that is the same (same
/// pointer) or has the same bytes (same hash). Files are parsed in parallel.
pub(super) fn read<'c>(sources: &[Arc<SourceFile>], config: &Config, cache: &'c Cache) -> Read<'c> {
    let prev = cache.0.as_deref();
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
    let files: Vec<FileEntry> = entries
        .into_iter()
        .map(|e| e.expect("every file is taken from the cache or parsed"))
        .collect();
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
    Read {
        files,
        prev_of,
        index,
        prev,
        aligned,
    }
}

impl Read<'_> {
    /// Each page's Markdown, in parallel, in page order: taken from the previous build
    /// when its source is the same and no link target moved (`targets_hash`).
    pub(super) fn render_markdown(
        &self,
        targets_hash: u64,
        nodes: &[Node],
        texts: &[PageText],
        targets: &LinkTargets,
        unsafe_html: bool,
        words: &BodyWords,
    ) -> Vec<PageMd> {
        let reuse = self.prev.filter(|r| r.targets_hash == targets_hash);
        nodes
            .par_iter()
            .zip(texts)
            .map(|(node, text)| {
                let old = reuse.zip(self.prev_of[node.file]).map(|(r, j)| &r.files[j]);
                match old.map(|e| (&e.parsed, &e.md)) {
                    Some((Some(op), Some(md))) if Arc::ptr_eq(op, &text.src) => md.clone(),
                    _ => PageMd::new(render_page(&text.src, targets, unsafe_html, words)),
                }
            })
            .collect()
    }

    /// The cache of a build that produced `structure`.
    pub(super) fn keep(
        self,
        targets: Arc<LinkTargets>,
        targets_hash: u64,
        structure: &Arc<Structure>,
    ) -> Cache {
        Cache(Some(Arc::new(Reuse {
            files: self.files,
            index: self.index,
            targets,
            targets_hash,
            structure: Arc::clone(structure),
        })))
    }
}

fn render_page(
    src: &Parsed,
    targets: &LinkTargets,
    unsafe_html: bool,
    words: &BodyWords,
) -> Rendered {
    let input = markdown::Input {
        path: &src.path,
        source: &src.rel,
        body: src.body.as_str(),
        body_line: src.body_line,
        unsafe_html,
        words,
    };
    markdown::render(&input, targets)
}

/// Every file's diagnostics, in source order.
pub(super) fn file_diags(files: &[FileEntry]) -> Vec<Diagnostic> {
    files
        .iter()
        .filter_map(|e| e.diags.as_deref())
        .flat_map(|d| d.iter().cloned())
        .collect()
}

/// The build after edits to bodies only, when that is what happened since the previous
/// build: the same files, configuration, attachments and day, and the same text before
/// every body. Else gives `read` back for a whole build.
pub(super) fn bodies_only<'c>(
    read: Read<'c>,
    config: &Config,
    assets: &[AssetFile],
    opts: &BuildOptions,
) -> Result<Built, Read<'c>> {
    let Some(r) = read.prev.filter(|_| read.aligned) else {
        return Err(read);
    };
    let s = &r.structure;
    let same_inputs = s.inputs.config == *config
        && s.inputs.drafts == opts.drafts
        && s.inputs.today == opts.now.date()
        && s.inputs.words == opts.words
        && s.files.len() == assets.len()
        && s.files.iter().zip(assets).all(|((a, _), b)| a == b)
        && read.files.len() == r.files.len();
    if !same_inputs {
        return Err(read);
    }
    let parsed: Option<Vec<Arc<Parsed>>> = read
        .files
        .iter()
        .zip(&r.files)
        .map(|(new, old)| match (&new.parsed, &old.parsed) {
            (Some(a), Some(b)) if Arc::ptr_eq(a, b) || a.front_hash == b.front_hash => {
                Some(Arc::clone(a))
            }
            _ => None,
        })
        .collect();
    match parsed {
        Some(parsed) => Ok(build_bodies(config.clone(), r, read, &parsed, opts)),
        None => Err(read),
    }
}

/// The build after edits to bodies only: the structure of `r` with each page's source
/// and Markdown, rendered again for the pages whose file changed.
fn build_bodies(
    config: Config,
    r: &Reuse,
    mut read: Read<'_>,
    parsed: &[Arc<Parsed>],
    opts: &BuildOptions,
) -> Built {
    let structure = &r.structure;
    let unsafe_html = config.unsafe_html;
    // Markdown of the pages whose file changed, in parallel, in page order.
    let fresh: Vec<(usize, PageMd)> = structure
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| {
            let old = &r.files[n.file];
            !matches!((&old.parsed, &old.md), (Some(p), Some(_)) if Arc::ptr_eq(p, &parsed[n.file]))
        })
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|(i, n)| {
            let md = render_page(&parsed[n.file], &r.targets, unsafe_html, &opts.words);
            (i, PageMd::new(md))
        })
        .collect();
    let mut fresh = fresh.into_iter().peekable();
    let texts: Vec<PageText> = structure
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let md = match fresh.next_if(|(j, _)| *j == i) {
                Some((_, md)) => md,
                None => r.files[n.file]
                    .md
                    .clone()
                    .expect("a published page of the previous build has its Markdown"),
            };
            let text = PageText {
                src: Arc::clone(&parsed[n.file]),
                md: Arc::clone(&md.md),
                reading_minutes: md.reading_minutes,
            };
            read.files[n.file].md = Some(md);
            text
        })
        .collect();
    let mut diags = file_diags(&read.files);
    let checked = structure
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| read.files[n.file].md.as_ref().is_some_and(|md| md.checks))
        .map(|(i, _)| i);
    check_markdown(&texts, &structure.by_rel, &r.targets, checked, &mut diags);
    diags.extend(structure.warnings.iter().cloned());
    let cache = read.keep(Arc::clone(&r.targets), r.targets_hash, structure);
    let site = Site {
        config,
        now: opts.now,
        structure: Arc::clone(structure),
        texts,
        cache,
    };
    finish(site, diags)
}

/// The structure the cache holds, to tell whether a build reused it.
#[cfg(test)]
pub(super) fn structure_of(cache: &Cache) -> Option<Arc<Structure>> {
    Some(Arc::clone(&cache.0.as_ref()?.structure))
}
