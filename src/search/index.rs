//! The index writer. Output, all under `search/`, all gzip-compressed by us so
//! that no web-server setting is needed (the client un-gzips with
//! DecompressionStream, or takes the bytes as they are when a server already did):
//!
//! - `index.json.gz` — the entry file (small): format, build id, page count,
//!   average body length, the first term of every term chunk, the filter values
//!   with their totals, the field layout and the fold bitmap.
//! - `docs.bin.gz` — one row per page, columns: body-length norm (u8),
//!   title length in tokens (u8), kind (u8), action (u8, 0 = none, else 1 + index),
//!   then per page `count, indices…` varints for levels and for domains.
//! - `d/<n>.json.gz` — the term directory, second level: the first term of each of
//!   `dirFanout` consecutive chunks (the entry holds the first term of each page),
//!   so the entry stays small however large the site.
//! - `t/<n>.bin.gz` — term chunks, cut by compressed size, terms in code-point
//!   order: `varint count`, then per term `varint len, UTF-8, varint df,
//!   varint byte length, postings`; postings are per page `varint Δid, varint n,
//!   n × varint Δposition`.
//! - `m/<g>.json.gz` — metadata of pages `g*meta_group …`: url, title, kind,
//!   breadcrumb, action, date and where its text is.
//! - `f/<g>.json.gz` — page texts (for excerpts), consecutive pages grouped up to
//!   `frag_bytes`.
//! - `fold.txt.gz` — the traditional → simplified pairs, fetched only when a
//!   query or an excerpt has a character marked in the fold bitmap.
//!
//! Positions put every field of a page on one line so that phrases can be checked
//! in any of them: title at 0, breadcrumb/action/tiers/fields at 128, headings at
//! 256, body from 1024 (see [`Layout`]).

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;

use super::encode::{Fnv, base64, gzip, put_varint};
use super::normalize::{FOLD_BITMAP_END, FOLD_BITMAP_START, fold_pairs};
use super::tokenizer::{is_cjk, tokenize_with};
use super::{DocKind, SearchDoc};

/// Where each field starts in a page's position space; a field's tokens past the
/// start of the next field are dropped (they are in the body anyway).
#[derive(Clone, Copy, Debug, Serialize)]
pub(crate) struct Layout {
    title: u32,
    meta: u32,
    head: u32,
    body: u32,
}

const LAYOUT: Layout = Layout {
    title: 0,
    meta: 128,
    head: 256,
    body: 1024,
};

/// Format version of the files; the client refuses other versions.
const FORMAT: u32 = 1;

/// Tuning knobs of the index writer.
#[derive(Clone, Debug)]
pub struct IndexOptions {
    /// Target compressed size of one term chunk, in bytes.
    pub chunk_bytes: usize,
    /// Chunks listed per directory page.
    pub dir_fanout: usize,
    /// Pages per metadata file.
    pub meta_group: usize,
    /// Target uncompressed size of one text (excerpt) file, in bytes.
    pub frag_bytes: usize,
    /// gzip level, 0–9.
    pub level: u32,
}

impl Default for IndexOptions {
    fn default() -> Self {
        IndexOptions {
            chunk_bytes: 6 * 1024,
            dir_fanout: 64,
            meta_group: 16,
            frag_bytes: 2 * 1024,
            level: 6,
        }
    }
}

/// Body text as indexed and as shown in excerpts: whitespace runs become one
/// space, and a single line break between two Han/kana characters (an editor's
/// hard wrap inside a paragraph) disappears so that the words on both sides still
/// join. Blocks should be separated by a blank line, which stays a separator.
pub fn prepare_body(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_ws = false;
    let mut newlines = 0;
    let mut prev: Option<char> = None;
    for c in text.chars() {
        if c.is_whitespace() {
            pending_ws = true;
            newlines += usize::from(c == '\n');
            continue;
        }
        if pending_ws {
            let join = newlines == 1 && prev.is_some_and(is_cjk) && is_cjk(c);
            if !join && prev.is_some() {
                out.push(' ');
            }
            pending_ws = false;
            newlines = 0;
        }
        out.push(c);
        prev = Some(c);
    }
    out
}

/// JSON list of `{url, title, meta, body}` (meta: breadcrumb, action, tiers and
/// fields, which are searchable too; the body as indexed), the input of
/// `tests/js/search/recall.js`.
pub fn recall_docs_json(docs: &[SearchDoc]) -> String {
    #[derive(Serialize)]
    struct Row<'a> {
        url: &'a str,
        title: &'a str,
        meta: String,
        body: String,
    }
    let rows: Vec<Row> = docs
        .iter()
        .map(|d| Row {
            url: &d.url,
            title: &d.title,
            meta: d
                .breadcrumb
                .iter()
                .chain(d.action.iter())
                .chain(d.levels.iter())
                .chain(d.domains.iter())
                .map(String::as_str)
                .collect::<Vec<_>>()
                .join(" / "),
            body: prepare_body(&d.body),
        })
        .collect();
    serde_json::to_string(&rows).unwrap_or_else(|_| "[]".to_string())
}

/// Builds the search files with the default options.
pub fn build_index(docs: &[SearchDoc]) -> Vec<(String, Vec<u8>)> {
    build_index_with(docs, &IndexOptions::default())
}

/// One page after tokenising. Its distinct terms are stored flat (no allocation
/// per term): `entries` sorted by (shard, hash, term), each pointing into `text`
/// (the term) and `positions` (its sorted positions).
struct DocTerms {
    text: String,
    positions: Vec<u32>,
    entries: Vec<DocEntry>,
    /// `entries[shard_start[s]..shard_start[s + 1]]` belong to shard `s`.
    shard_start: Vec<u32>,
    body_len: u32,
    title_len: u32,
    body: String,
}

#[derive(Clone, Copy)]
struct DocEntry {
    hash: u64,
    /// [`sort_key`] of the term: the whole term when it is at most 8 bytes.
    key: u64,
    term: (u32, u32),
    pos: (u32, u32),
}

impl DocTerms {
    fn term(&self, e: &DocEntry) -> &str {
        self.text
            .get(e.term.0 as usize..e.term.1 as usize)
            .unwrap_or("")
    }
    fn positions(&self, e: &DocEntry) -> &[u32] {
        self.positions
            .get(e.pos.0 as usize..e.pos.1 as usize)
            .unwrap_or(&[])
    }
}

/// The term space is cut into shards by the top bits of the term hash so that
/// postings can be gathered in parallel.
const SHARD_BITS: u32 = 6;
const SHARDS: usize = 1 << SHARD_BITS;

fn shard_of(hash: u64) -> u8 {
    (hash >> (64 - SHARD_BITS)) as u8
}

fn term_hash(term: &str) -> u64 {
    use std::hash::Hasher;
    let mut h = super::encode::FxHasher::default();
    h.write(term.as_bytes());
    // Spread the low-entropy bits so that the shard (top bits) is balanced.
    let x = h.finish();
    (x ^ (x >> 29)).wrapping_mul(0xbf58_476d_1ce4_e5b9) ^ (x >> 32)
}

/// Token occurrences of one page before grouping: (hash, key, position, start
/// and end of the term in `text`). Terms under 8 bytes (nearly all) are their
/// key and are not copied to `text`.
struct Occurrences {
    text: String,
    list: Vec<(u64, u64, u32, u32, u32)>,
}

/// Length of a term under 8 bytes from its key (zero-padded bytes).
fn key_len(key: u64) -> usize {
    8 - (key.trailing_zeros() / 8) as usize
}

impl Occurrences {
    /// Adds the tokens of `text`, numbered from `*next`, keeping those before
    /// `limit`; returns how many were kept.
    fn add_field(&mut self, text: &str, next: &mut u32, limit: u32) -> u32 {
        let mut count = 0;
        let base = *next;
        tokenize_with(text, |term, pos, _, _, _| {
            let pos = base + pos;
            if pos >= limit {
                return;
            }
            let (start, end) = if term.len() < 8 {
                (0, 0)
            } else {
                let start = self.text.len() as u32;
                self.text.push_str(term);
                (start, self.text.len() as u32)
            };
            self.list
                .push((term_hash(term), sort_key(term), pos, start, end));
            count += 1;
        });
        *next += count;
        count
    }

    /// Appends the term of occurrence `o` to `out`.
    fn push_term(&self, o: &(u64, u64, u32, u32, u32), out: &mut String) {
        if o.4 == 0 {
            let bytes = o.1.to_be_bytes();
            out.push_str(std::str::from_utf8(&bytes[..key_len(o.1)]).unwrap_or(""));
        } else {
            out.push_str(self.text.get(o.3 as usize..o.4 as usize).unwrap_or(""));
        }
    }

    /// Whether two occurrences have the same term.
    fn same(&self, a: &(u64, u64, u32, u32, u32), b: &(u64, u64, u32, u32, u32)) -> bool {
        if a.4 == 0 || b.4 == 0 {
            a.4 == b.4 && a.1 == b.1
        } else {
            self.text.get(a.3 as usize..a.4 as usize) == self.text.get(b.3 as usize..b.4 as usize)
        }
    }

    fn long_term<'a>(&'a self, o: &(u64, u64, u32, u32, u32)) -> &'a str {
        self.text.get(o.3 as usize..o.4 as usize).unwrap_or("")
    }
}

fn analyse(doc: &SearchDoc) -> DocTerms {
    let mut occ = Occurrences {
        text: String::new(),
        list: Vec::new(),
    };
    let mut next = LAYOUT.title;
    let title_len = occ.add_field(&doc.title, &mut next, LAYOUT.meta);
    next = LAYOUT.meta;
    let meta_fields = doc
        .breadcrumb
        .iter()
        .chain(doc.action.iter())
        .chain(doc.levels.iter())
        .chain(doc.domains.iter());
    for text in meta_fields {
        occ.add_field(text, &mut next, LAYOUT.head);
    }
    next = LAYOUT.head;
    for heading in &doc.headings {
        occ.add_field(heading, &mut next, LAYOUT.body);
    }
    next = LAYOUT.body;
    let body = prepare_body(&doc.body);
    let body_len = occ.add_field(&body, &mut next, u32::MAX);

    // Sort by integers only (shard, hash, key, position); equal hashes are then
    // checked for equal terms, and the rare collision is sorted out by term.
    let mut list = std::mem::take(&mut occ.list);
    list.sort_unstable_by_key(|o| (shard_of(o.0), o.0, o.1, o.2));
    let mut dt = DocTerms {
        text: String::new(),
        positions: Vec::with_capacity(list.len()),
        entries: Vec::new(),
        shard_start: Vec::new(),
        body_len,
        title_len,
        body,
    };
    let mut i = 0;
    while i < list.len() {
        let mut j = i + 1;
        while j < list.len() && list[j].0 == list[i].0 {
            j += 1;
        }
        let group = &mut list[i..j];
        if group.iter().any(|o| o.4 != 0) {
            // Long terms (or a collision with one): order by the term itself.
            group.sort_by(|a, b| {
                (a.4 != 0, a.1, occ.long_term(a), a.2).cmp(&(b.4 != 0, b.1, occ.long_term(b), b.2))
            });
        }
        let mut k = 0;
        while k < group.len() {
            let head = group[k];
            let pos_start = dt.positions.len() as u32;
            while k < group.len() && occ.same(&group[k], &head) {
                dt.positions.push(group[k].2);
                k += 1;
            }
            let t0 = dt.text.len() as u32;
            occ.push_term(&head, &mut dt.text);
            dt.entries.push(DocEntry {
                hash: head.0,
                key: head.1,
                term: (t0, dt.text.len() as u32),
                pos: (pos_start, dt.positions.len() as u32),
            });
        }
        i = j;
    }
    let mut at = 0;
    dt.shard_start = (0..=SHARDS)
        .map(|shard| {
            while at < dt.entries.len() && usize::from(shard_of(dt.entries[at].hash)) < shard {
                at += 1;
            }
            at as u32
        })
        .collect();
    dt
}

/// The first 8 bytes of a term, big-endian: orders like the term itself up to
/// ties (terms never contain NUL), and most terms (bigrams) fit whole.
fn sort_key(term: &str) -> u64 {
    let mut k = [0u8; 8];
    let b = term.as_bytes();
    let n = b.len().min(8);
    k[..n].copy_from_slice(&b[..n]);
    u64::from_be_bytes(k)
}

/// The encoded term blocks of one shard: `blocks[range]` for each term.
struct ShardBlocks<'a> {
    blocks: Vec<u8>,
    terms: Vec<(&'a str, u32, u32)>,
}

/// Gathers the postings of one shard and encodes each term's block.
fn shard_blocks(analysed: &[DocTerms], shard: usize) -> ShardBlocks<'_> {
    // (hash, page, entry, key): small and self-contained, so that sorting and
    // grouping touch no page memory; a term of under 8 bytes (every BMP bigram) is
    // its key (terms under 8 bytes are equal when their keys are), longer ones
    // are compared in full.
    let mut items: Vec<(u64, u32, u32, u64)> = Vec::new();
    for (id, dt) in analysed.iter().enumerate() {
        let lo = dt.shard_start[shard] as usize;
        let hi = dt.shard_start[shard + 1] as usize;
        for (e, entry) in dt.entries[lo..hi].iter().enumerate() {
            items.push((entry.hash, id as u32, (lo + e) as u32, entry.key));
        }
    }
    items.sort_unstable_by_key(|it| (it.0, it.1));
    let term_of = |it: &(u64, u32, u32, u64)| {
        let dt = &analysed[it.1 as usize];
        dt.term(&dt.entries[it.2 as usize])
    };
    let mut out = ShardBlocks {
        blocks: Vec::new(),
        terms: Vec::new(),
    };
    let mut scratch = Vec::new();
    let mut postings: Vec<(u32, &[u32])> = Vec::new();
    let mut i = 0;
    while i < items.len() {
        let mut j = i + 1;
        while j < items.len() && items[j].0 == items[i].0 {
            j += 1;
        }
        let group = &mut items[i..j];
        let first = term_of(&group[0]);
        let simple = first.len() < 8 && group.iter().all(|it| it.3 == group[0].3);
        if !simple && group.iter().any(|it| term_of(it) != first) {
            // A hash collision (or a long term): sort the group by term.
            group.sort_by(|a, b| term_of(a).cmp(term_of(b)).then(a.1.cmp(&b.1)));
        }
        let mut k = 0;
        while k < group.len() {
            let term = term_of(&group[k]);
            postings.clear();
            while k < group.len() && (simple || term_of(&group[k]) == term) {
                let dt = &analysed[group[k].1 as usize];
                postings.push((group[k].1, dt.positions(&dt.entries[group[k].2 as usize])));
                k += 1;
            }
            let start = out.blocks.len() as u32;
            encode_term(term, &postings, &mut scratch, &mut out.blocks);
            out.terms.push((term, start, out.blocks.len() as u32));
        }
        i = j;
    }
    out
}

/// Quantised body length, 1 byte: `round(ln(1 + len) * 20)`; the client inverts it.
fn norm_byte(len: u32) -> u8 {
    let q = ((1.0 + f64::from(len)).ln() * 20.0).round();
    q.clamp(0.0, 255.0) as u8
}

/// Appends one term's block to `out`: term, df, postings (`scratch` is reused).
fn encode_term(term: &str, postings: &[(u32, &[u32])], scratch: &mut Vec<u8>, out: &mut Vec<u8>) {
    scratch.clear();
    let mut prev_doc = 0;
    for &(doc, positions) in postings {
        put_varint(scratch, u64::from(doc - prev_doc));
        prev_doc = doc;
        put_varint(scratch, positions.len() as u64);
        let mut prev = 0;
        for &p in positions {
            put_varint(scratch, u64::from(p - prev));
            prev = p;
        }
    }
    put_varint(out, term.len() as u64);
    out.extend_from_slice(term.as_bytes());
    put_varint(out, postings.len() as u64);
    put_varint(out, scratch.len() as u64);
    out.extend_from_slice(scratch);
}

/// Groups values (actions, tiers, fields) in order of first appearance.
#[derive(Default)]
struct Vocab {
    names: Vec<String>,
    ids: HashMap<String, usize>,
    counts: Vec<u32>,
}

impl Vocab {
    fn id(&mut self, name: &str) -> usize {
        if let Some(&i) = self.ids.get(name) {
            self.counts[i] += 1;
            return i;
        }
        let i = self.names.len();
        self.names.push(name.to_string());
        self.ids.insert(name.to_string(), i);
        self.counts.push(1);
        i
    }
}

#[derive(Serialize)]
struct Facet {
    values: Vec<String>,
    counts: Vec<u32>,
}

#[derive(Serialize)]
struct FoldInfo {
    /// First code point of the bitmap.
    start: u32,
    /// Last code point of the bitmap (inclusive).
    end: u32,
    /// Base64 bitmap, bit `i` (LSB first) set when `start + i` folds.
    bits: String,
    /// Foldable characters outside the bitmap range.
    extra: String,
    file: String,
}

#[derive(Serialize)]
struct Entry {
    format: u32,
    build: String,
    docs: usize,
    #[serde(rename = "avgBody")]
    avg_body: f64,
    layout: Layout,
    /// Number of term chunks (`t/<i>.bin.gz`).
    chunks: usize,
    /// Chunks per directory page (`d/<i>.json.gz`).
    #[serde(rename = "dirFanout")]
    dir_fanout: usize,
    /// First term of every directory page.
    dirs: Vec<String>,
    #[serde(rename = "metaGroup")]
    meta_group: usize,
    kinds: Facet,
    actions: Facet,
    levels: Facet,
    domains: Facet,
    fold: FoldInfo,
}

#[derive(Serialize)]
struct Meta<'a> {
    u: &'a str,
    t: &'a str,
    k: &'static str,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    b: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    a: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    d: Option<&'a str>,
    /// Text file number and index inside it.
    f: [usize; 2],
}

fn fold_entry() -> (FoldInfo, Vec<u8>) {
    let span = (FOLD_BITMAP_END - FOLD_BITMAP_START + 1) as usize;
    let mut bits = vec![0u8; span.div_ceil(8)];
    let mut extra = String::new();
    let mut pairs = String::new();
    for &(from, to) in fold_pairs() {
        let cp = from as u32;
        if (FOLD_BITMAP_START..=FOLD_BITMAP_END).contains(&cp) {
            let i = (cp - FOLD_BITMAP_START) as usize;
            bits[i / 8] |= 1 << (i % 8);
        } else {
            extra.push(from);
        }
        pairs.push(from);
        pairs.push(to);
    }
    let info = FoldInfo {
        start: FOLD_BITMAP_START,
        end: FOLD_BITMAP_END,
        bits: base64(&bits),
        extra,
        file: "fold.txt.gz".to_string(),
    };
    (info, pairs.into_bytes())
}

/// Builds the search files; paths are relative to `public/`.
pub fn build_index_with(docs: &[SearchDoc], opts: &IndexOptions) -> Vec<(String, Vec<u8>)> {
    let level = opts.level.min(9);
    let meta_group = opts.meta_group.max(1);
    let dir_fanout = opts.dir_fanout.max(1);

    // Stable page order (by URL) so ids, files and the build id are reproducible.
    let mut order: Vec<&SearchDoc> = docs.iter().collect();
    order.sort_by(|a, b| a.url.cmp(&b.url));

    let analysed: Vec<DocTerms> = order.par_iter().map(|d| analyse(d)).collect();

    // Postings, built per shard of the term space in parallel, then put in
    // code-point (= UTF-8 byte) order.
    let shards: Vec<ShardBlocks> = (0..SHARDS)
        .into_par_iter()
        .map(|shard| shard_blocks(&analysed, shard))
        .collect();
    let mut terms: Vec<(u64, &str, &[u8])> = shards
        .iter()
        .flat_map(|sb| {
            sb.terms.iter().map(move |&(term, lo, hi)| {
                (
                    sort_key(term),
                    term,
                    sb.blocks.get(lo as usize..hi as usize).unwrap_or(&[]),
                )
            })
        })
        .collect();
    terms.par_sort_unstable_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)));
    let blocks: Vec<&[u8]> = terms.iter().map(|t| t.2).collect();

    // Cut chunks by estimated compressed size: the ratio is measured on a sample.
    let ratio = {
        let step = (blocks.len() / 400).max(1);
        let sample: Vec<u8> = blocks
            .iter()
            .step_by(step)
            .take(400)
            .flat_map(|b| b.iter().copied())
            .collect();
        if sample.is_empty() {
            0.5
        } else {
            (gzip(&sample, level).len() as f64 / sample.len() as f64).clamp(0.05, 1.0)
        }
    };
    let raw_target = (opts.chunk_bytes as f64 / ratio) as usize;
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    let mut start = 0;
    let mut size = 0;
    for (i, b) in blocks.iter().enumerate() {
        if size > 0 && size + b.len() / 2 > raw_target {
            cuts.push((start, i));
            start = i;
            size = 0;
        }
        size += b.len();
    }
    if start < blocks.len() {
        cuts.push((start, blocks.len()));
    }
    let chunk_files: Vec<Vec<u8>> = cuts
        .par_iter()
        .map(|&(lo, hi)| {
            let mut raw = Vec::new();
            put_varint(&mut raw, (hi - lo) as u64);
            for b in &blocks[lo..hi] {
                raw.extend_from_slice(b);
            }
            gzip(&raw, level)
        })
        .collect();
    let chunk_firsts: Vec<&str> = cuts.iter().map(|&(lo, _)| terms[lo].1).collect();
    let dir_pages: Vec<&[&str]> = chunk_firsts.chunks(dir_fanout).collect();
    let dir_files: Vec<Vec<u8>> = dir_pages
        .iter()
        .map(|page| gzip(&serde_json::to_vec(page).unwrap_or_default(), level))
        .collect();
    let dirs: Vec<String> = dir_pages.iter().map(|p| p[0].to_string()).collect();
    let chunk_count = chunk_firsts.len();
    drop(chunk_firsts);
    drop(blocks);
    drop(terms);
    drop(shards);

    // Filters and the per-page columns.
    let n = order.len();
    let mut kinds = vec![0u32; DocKind::ALL.len()];
    let mut actions = Vocab::default();
    let mut levels = Vocab::default();
    let mut domains = Vocab::default();
    let mut cols = vec![0u8; 4 * n];
    let mut lists = Vec::new();
    let mut domain_lists = Vec::new();
    let mut body_total = 0u64;
    for (i, (d, dt)) in order.iter().zip(&analysed).enumerate() {
        body_total += u64::from(dt.body_len);
        cols[i] = norm_byte(dt.body_len);
        cols[n + i] = dt.title_len.min(255) as u8;
        cols[2 * n + i] = d.kind.index();
        kinds[usize::from(d.kind.index())] += 1;
        cols[3 * n + i] = match &d.action {
            Some(a) => (actions.id(a) + 1).min(255) as u8,
            None => 0,
        };
        put_varint(&mut lists, d.levels.len() as u64);
        for l in &d.levels {
            put_varint(&mut lists, levels.id(l) as u64);
        }
        put_varint(&mut domain_lists, d.domains.len() as u64);
        for l in &d.domains {
            put_varint(&mut domain_lists, domains.id(l) as u64);
        }
    }
    cols.extend_from_slice(&lists);
    cols.extend_from_slice(&domain_lists);
    let docs_file = gzip(&cols, level);

    // Page texts, grouped, and metadata pointing at them.
    let mut frag_groups: Vec<Vec<&str>> = Vec::new();
    let mut frag_of = Vec::with_capacity(n);
    let mut group_size = usize::MAX;
    for dt in &analysed {
        if group_size >= opts.frag_bytes {
            frag_groups.push(Vec::new());
            group_size = 0;
        }
        let g = frag_groups.len() - 1;
        frag_of.push([g, frag_groups[g].len()]);
        frag_groups[g].push(dt.body.as_str());
        group_size += dt.body.len();
    }
    let frag_files: Vec<Vec<u8>> = frag_groups
        .par_iter()
        .map(|g| gzip(&serde_json::to_vec(g).unwrap_or_default(), level))
        .collect();
    let metas: Vec<Meta> = order
        .iter()
        .zip(&frag_of)
        .map(|(d, f)| Meta {
            u: &d.url,
            t: &d.title,
            k: d.kind.key(),
            b: &d.breadcrumb,
            a: d.action.as_deref(),
            d: d.date.as_deref(),
            f: *f,
        })
        .collect();
    let meta_files: Vec<Vec<u8>> = metas
        .par_chunks(meta_group)
        .map(|g| gzip(&serde_json::to_vec(g).unwrap_or_default(), level))
        .collect();

    let (fold, fold_raw) = fold_entry();
    let fold_file = gzip(&fold_raw, level);

    let mut out: Vec<(String, Vec<u8>)> = Vec::new();
    out.push(("search/docs.bin.gz".to_string(), docs_file));
    out.push(("search/fold.txt.gz".to_string(), fold_file));
    for (i, f) in dir_files.into_iter().enumerate() {
        out.push((format!("search/d/{i}.json.gz"), f));
    }
    for (i, f) in chunk_files.into_iter().enumerate() {
        out.push((format!("search/t/{i}.bin.gz"), f));
    }
    for (i, f) in meta_files.into_iter().enumerate() {
        out.push((format!("search/m/{i}.json.gz"), f));
    }
    for (i, f) in frag_files.into_iter().enumerate() {
        out.push((format!("search/f/{i}.json.gz"), f));
    }
    let mut h = Fnv::new();
    for (path, bytes) in &out {
        h.write(path.as_bytes());
        h.write(bytes);
    }

    let facet = |v: Vocab| Facet {
        values: v.names,
        counts: v.counts,
    };
    let entry = Entry {
        format: FORMAT,
        build: h.hex(),
        docs: n,
        avg_body: if n == 0 {
            0.0
        } else {
            body_total as f64 / n as f64
        },
        layout: LAYOUT,
        chunks: chunk_count,
        dir_fanout,
        dirs,
        meta_group,
        kinds: Facet {
            values: DocKind::ALL.iter().map(|k| k.key().to_string()).collect(),
            counts: kinds,
        },
        actions: facet(actions),
        levels: facet(levels),
        domains: facet(domains),
        fold,
    };
    let entry_json = serde_json::to_vec(&entry).unwrap_or_default();
    out.insert(
        0,
        ("search/index.json.gz".to_string(), gzip(&entry_json, level)),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hard_wraps_between_han_characters_disappear() {
        assert_eq!(prepare_body("党员\n干部"), "党员干部");
        assert_eq!(prepare_body("党员 干部"), "党员 干部");
        assert_eq!(
            prepare_body("Rust\n所有权\r\n第二段\n\n第三段"),
            "Rust 所有权第二段 第三段"
        );
        assert_eq!(prepare_body("  a \t b  "), "a b");
    }

    #[test]
    fn norms_are_monotonic() {
        let mut last = 0;
        for len in [0, 1, 10, 100, 1000, 10_000, 100_000] {
            let q = norm_byte(len);
            assert!(q >= last);
            last = q;
        }
        assert_eq!(norm_byte(u32::MAX), 255);
    }
}
