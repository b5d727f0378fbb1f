//! The dev server's incremental index: after an edit, only the pages that changed
//! are indexed, into a small second index (a *delta*) beside the last full one (the
//! *base*), which stays as it was.
//!
//! Files: the delta is a complete index of the changed and new pages under
//! `search/delta/<n>/` (the same layout as `search/`, without the fold files, which
//! the client reads from the base). The base's entry file `search/index.json.gz` is
//! written again with one more field, `delta: {dir, docs, deleted}`: the folder, the
//! number of pages in the delta, and the base ids of the pages that changed or are
//! gone. The client searches both, drops the base's `deleted` pages, and numbers
//! the delta's pages after the base's (delta page `i` is page `base.docs + i`), so
//! one posting list covers both and ranking sees one collection.
//!
//! The delta's filter values start with the base's, in the base's order, so a
//! value's number is the same in both; its entry lists them all.
//!
//! A delta always holds every change since the base, so a new one replaces the
//! last; when it would hold too many pages the caller builds a full index instead.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::io::Read;

use serde_json::{Value, json};

use super::SearchDoc;
use super::index::{IndexOptions, Seed, build_segment};

/// What a full index was built from: each page's id and fingerprint, and its
/// entry file.
pub(crate) struct IndexBase {
    /// URL → (id in the base, fingerprint of the page as indexed).
    pages: HashMap<String, (u32, u64)>,
    entry: serde_json::Map<String, Value>,
    actions: Vec<String>,
    levels: Vec<String>,
    domains: Vec<String>,
}

/// How the pages of a site differ from those of a base.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Changes {
    /// Indices (into the site's pages) of the pages that are new or changed.
    pub(crate) fresh: Vec<usize>,
    /// Base ids of the pages that changed or are gone, ascending.
    pub(crate) deleted: Vec<u32>,
}

impl Changes {
    /// Pages the delta would hold or hide.
    pub(crate) fn len(&self) -> usize {
        self.fresh.len() + self.deleted.len()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.fresh.is_empty() && self.deleted.is_empty()
    }
}

/// A fingerprint of everything the index takes from a page.
fn fingerprint(d: &SearchDoc) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    d.url.hash(&mut h);
    d.title.hash(&mut h);
    d.kind.hash(&mut h);
    d.breadcrumb.hash(&mut h);
    d.headings.hash(&mut h);
    d.body.hash(&mut h);
    d.action.hash(&mut h);
    d.levels.hash(&mut h);
    d.domains.hash(&mut h);
    d.date.hash(&mut h);
    h.finish()
}

/// The values of a filter of the entry; `None` when the entry does not list them as
/// the writer does.
fn strings(entry: &serde_json::Map<String, Value>, facet: &str) -> Option<Vec<String>> {
    entry
        .get(facet)?
        .get("values")?
        .as_array()?
        .iter()
        .map(|v| v.as_str().map(str::to_string))
        .collect()
}

impl IndexBase {
    /// The base of the full index whose entry file (`search/index.json.gz`, as
    /// written) is `entry_gz`, built from `docs`. `None` when the entry cannot be
    /// read or does not describe `docs`.
    pub(crate) fn new(docs: &[SearchDoc], entry_gz: &[u8]) -> Option<IndexBase> {
        let mut raw = Vec::new();
        flate2::read::GzDecoder::new(entry_gz)
            .read_to_end(&mut raw)
            .ok()?;
        let Value::Object(mut entry) = serde_json::from_slice(&raw).ok()? else {
            return None;
        };
        if entry.get("docs").and_then(Value::as_u64) != Some(docs.len() as u64) {
            return None;
        }
        entry.remove("delta");
        // Ids are positions in URL order, as the writer numbers pages.
        let mut order: Vec<&SearchDoc> = docs.iter().collect();
        order.sort_by(|a, b| a.url.cmp(&b.url));
        let pages = order
            .iter()
            .enumerate()
            .map(|(id, d)| (d.url.clone(), (id as u32, fingerprint(d))))
            .collect();
        Some(IndexBase {
            pages,
            actions: strings(&entry, "actions")?,
            levels: strings(&entry, "levels")?,
            domains: strings(&entry, "domains")?,
            entry,
        })
    }

    /// Number of pages in the base.
    pub(crate) fn len(&self) -> usize {
        self.pages.len()
    }

    /// The pages of `docs` that the base does not have as they are, and the base's
    /// pages that `docs` no longer has as they were.
    pub(crate) fn changes(&self, docs: &[SearchDoc]) -> Changes {
        let mut changes = Changes::default();
        let mut kept = vec![false; self.pages.len()];
        for (i, d) in docs.iter().enumerate() {
            match self.pages.get(&d.url) {
                Some(&(id, print)) if print == fingerprint(d) => {
                    if let Some(k) = kept.get_mut(id as usize) {
                        *k = true;
                    }
                }
                _ => changes.fresh.push(i),
            }
        }
        changes.deleted = (0..kept.len() as u32)
            .filter(|&id| !kept[id as usize])
            .collect();
        changes
    }

    /// The files of a delta numbered `n` holding `changes` of `docs`: the delta
    /// itself under `search/delta/<n>/`, and the base's entry file pointing at it.
    pub(crate) fn delta(
        &self,
        docs: &[SearchDoc],
        changes: &Changes,
        n: u64,
        opts: &IndexOptions,
    ) -> Vec<(String, Vec<u8>)> {
        let fresh: Vec<SearchDoc> = changes
            .fresh
            .iter()
            .filter_map(|&i| docs.get(i).cloned())
            .collect();
        let seed = Seed {
            actions: &self.actions,
            levels: &self.levels,
            domains: &self.domains,
            without_fold_files: true,
        };
        let dir = format!("delta/{n}/");
        let mut out: Vec<(String, Vec<u8>)> = build_segment(&fresh, opts, &seed)
            .into_iter()
            .map(|(path, bytes)| {
                let rest = path.strip_prefix("search/").unwrap_or(&path);
                (format!("search/{dir}{rest}"), bytes)
            })
            .collect();
        let mut entry = self.entry.clone();
        entry.insert(
            "delta".to_string(),
            json!({ "dir": dir, "docs": fresh.len(), "deleted": changes.deleted }),
        );
        let entry = serde_json::to_vec(&Value::Object(entry)).expect("a JSON value serialises");
        out.push((
            "search/index.json.gz".to_string(),
            super::encode::gzip(&entry, opts.level.min(9)),
        ));
        out
    }
}
