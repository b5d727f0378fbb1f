//! The index writer. Output, all under `search/`, all gzip-compressed by us so
//! that no web-server setting is needed (the client un-gzips with
//! DecompressionStream, or takes the bytes as they are when a server already did):
//!
//! - `index.json.gz` — the entry file (small): format, build id, page count,
//!   average body length, the first term of every directory page, the filter
//!   values with their totals, the field layout, the text piece size and the
//!   fold bitmap.
//! - `docs.bin.gz` — one row per page, columns: body-length norm (u8),
//!   title length in tokens (u8), kind (u8), action (u8, 0 = none, else 1 + index),
//!   then per page `count, indices…` varints for levels and for domains, then
//!   `varint groups` and the compressed length of each metadata group.
//! - `d/<n>.json.gz` — the term directory, second level, for `dirFanout`
//!   consecutive chunks (the entry holds the first term of each page, so it stays
//!   small however large the site): `{t: [first term of each chunk], n:
//!   [file length of each chunk]}`.
//! - `t/<n>.gz` — the term pack of directory page `n`: its chunks one after the
//!   other, each a gzip member of its own (stored, not deflated: see
//!   [`IndexOptions::chunk_level`]); the client fetches one chunk with an
//!   HTTP range request (its offset is the sum of the lengths before it), or cuts
//!   it out of the whole pack when a server ignores ranges. A chunk's terms are
//!   cut by file size, in code-point order: `varint count`, then per term
//!   `varint shared, varint rest, rest of the UTF-8` (front coding: the first
//!   `shared` bytes are those of the term before, none for the first term),
//!   `varint df, varint byte length, postings`; postings are
//!   per page `varint (Δid << 1 | m)`, when `m` is 1 `varint n` (else n = 1),
//!   then `n × varint Δposition`.
//! - `m/<n>.gz` — packs of `metaPack` metadata groups (read by range, the offsets
//!   summed from the lengths in `docs.bin.gz`); group `g` is the JSON list of the
//!   metadata of pages `g*metaGroup …`: url, title, kind,
//!   breadcrumb, action, date (a lecture's start, `2026-06-12 15:00`; another page's `updated`, else its `date`) and where its text pieces are (`f: [index,
//!   count]`, `x: [[pack, offset, length], …]`, one text file, or one per piece).
//! - `f/<n>.gz` — text packs (up to `pack_bytes`, read by range like term packs)
//!   of page texts for excerpts, cut into pieces of `pieceTokens` body tokens
//!   (piece `i` starts with body token `i × pieceTokens`; the last piece takes the
//!   rest). A text file (one gzip member): `varint count`, `count × varint length`
//!   in UTF-16 code units, then the pieces in UTF-16LE. A page of one piece shares
//!   its file with its neighbours up to `frag_bytes`; a longer page has one file
//!   per piece, so an excerpt costs one small range. When a sample of these files
//!   does not compress (text that is already dense), they are stored in gzip
//!   without compression.
//! - `fold/<n>.txt.gz` — the traditional → simplified pairs (written one after
//!   the other) of the characters `start + n × bucket …` of the fold bitmap, and
//!   `fold/x.txt.gz` those of the characters outside it; fetched only for the
//!   characters of a query or an unmatched excerpt that the bitmap marks.
//!
//! The dev server adds a delta index beside these files after an edit (see
//! `delta.rs`): `search/delta/<n>/` in this layout, and a `delta` field in the entry.
//!
//! Positions put every field of a page on one line so that phrases can be checked
//! in any of them: title at 0, breadcrumb/action/tiers/fields at 128, headings at
//! 256, body from 1024 (see [`Layout`]).
//!
//! **Junction terms.** A Han/kana character that ends a run (a tail or a
//! one-character run) and is followed by another token of the same field is
//! indexed as the term `X Y` (X, a space, the first character of the next token)
//! instead of `X`. A query that has a lone character between punctuation
//! (`一；给`) then looks up `一 给` and `一给` instead of every term that starts
//! with `一`; a prefix lookup of `X` still finds every `X…` term, these included.
//!
//! **Page sets.** When the terms that start with one character take more than
//! two chunks' worth of bytes, the term `X\u{1}` (placed right after `X`, so in
//! the first chunk a prefix lookup of `X` reads) lists every page that has one of
//! them: `0` and page deltas, or `1` and a bitmap of all pages, whichever is
//! smaller. A one-character query then reads a few chunks for its ranking and
//! still lists every page.
//!
//! Building: a sample of the pages cuts the term space into key ranges at
//! first-character boundaries; pages are tokenised in parallel, a batch at a time,
//! into (term key, position) lists grouped by range, which are appended to their
//! ranges (the texts, in UTF-16, to the text files); each range then sorts its
//! occurrences (a counting sort on its distinct keys, which keeps page and position order),
//! encodes its term blocks already in term order and cuts them into chunks (their
//! terms front-coded), in parallel with the other ranges, freeing its occurrences
//! when done. Chunks never span two ranges.

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;

use super::SearchDoc;
use super::encode::{base64, gzip, put_varint};
use super::normalize::{FOLD_BITMAP_END, FOLD_BITMAP_START, fold_pairs, nfc};
use super::tokenizer::{TokenKind, TokenSink, is_cjk, tokenize_into};
use crate::content::Kind;

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

/// Metadata groups per pack (`m/<n>.gz`).
const META_PACK: usize = 64;

/// Format version of the files; the client refuses other versions.
const FORMAT: u32 = 4;

/// Separates the two characters of a junction term (`X Y`); never part of a token.
const JUNCTION: u8 = b' ';

/// Tuning knobs of the index writer.
#[derive(Clone, Debug)]
pub struct IndexOptions {
    /// Target size of one term chunk's file, in bytes.
    pub(crate) chunk_bytes: usize,
    /// Chunks listed per directory page.
    pub(crate) dir_fanout: usize,
    /// Pages per metadata file.
    pub(crate) meta_group: usize,
    /// Target size of a text file shared by one-piece pages (UTF-16 bytes).
    pub(crate) frag_bytes: usize,
    /// Largest text pack (compressed bytes; a bigger text file has a pack of its own).
    pub(crate) pack_bytes: usize,
    /// Body tokens per text piece (one excerpt needs one piece).
    pub(crate) piece_tokens: u32,
    /// Compression level, 0–12 (libdeflate's levels; 0 stores).
    pub(crate) level: u32,
    /// Compression level of the term chunks. They are stored (0) by default: their
    /// postings are varints of near-random page gaps and positions, which deflate
    /// takes only to about 0.85 of the front-coded chunk, for about a tenth of a
    /// whole build's CPU time. A query reads chunks of `chunk_bytes` either way.
    pub(crate) chunk_level: u32,
}

impl Default for IndexOptions {
    fn default() -> Self {
        IndexOptions {
            chunk_bytes: 6 * 1024,
            dir_fanout: 64,
            meta_group: 8,
            frag_bytes: 2 * 1024,
            pack_bytes: 256 * 1024,
            piece_tokens: 1024,
            level: 1,
            chunk_level: 0,
        }
    }
}

/// Body text as indexed and as shown in excerpts: whitespace runs become one
/// space, and a single line break between two Han/kana characters (an editor's
/// hard wrap inside a paragraph) disappears so that the words on both sides still
/// join. Blocks should be separated by a blank line, which stays a separator.
pub fn prepare_body(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Whitespace seen since the last character: none, or how many line breaks.
    let mut gap: Option<usize> = None;
    let mut prev: Option<char> = None;
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c.is_whitespace() {
            *gap.get_or_insert(0) += usize::from(c == '\n');
            rest = &rest[c.len_utf8()..];
            continue;
        }
        // A run of characters that are neither ASCII nor possibly whitespace
        // (Han, kana, most punctuation) is copied at once. The bytes stopped at
        // are ASCII or lead bytes, so the run ends on a character boundary.
        let run = match rest
            .bytes()
            .position(|b| b < 0x80 || matches!(b, 0xC2 | 0xE1 | 0xE2 | 0xE3))
        {
            None => rest.len(),
            Some(n) if n > 0 && rest.is_char_boundary(n) => n,
            Some(_) => c.len_utf8(),
        };
        if let Some(newlines) = gap.take() {
            let join = newlines == 1 && prev.is_some_and(is_cjk) && is_cjk(c);
            if !join && prev.is_some() {
                out.push(' ');
            }
        }
        let chunk = &rest[..run];
        out.push_str(chunk);
        prev = chunk.chars().next_back();
        rest = &rest[run..];
    }
    out
}

/// The texts of a page's meta field, in index order: breadcrumb, action, tiers,
/// fields.
pub(super) fn meta_texts(d: &SearchDoc) -> impl Iterator<Item = &str> {
    d.breadcrumb
        .iter()
        .chain(d.action.iter())
        .chain(d.levels.iter())
        .chain(d.domains.iter())
        .map(String::as_str)
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
            meta: meta_texts(d).collect::<Vec<_>>().join(" / "),
            body: prepare_body(&d.body),
        })
        .collect();
    serde_json::to_string(&rows).expect("rows of strings serialise")
}

/// Builds the search files with the default options.
pub fn build_index(docs: &[SearchDoc]) -> Vec<(String, Vec<u8>)> {
    build_index_with(docs, &IndexOptions::default())
}

/// The first 8 bytes of a term, big-endian, zero-padded: orders like the term
/// itself up to ties (terms never contain NUL), and most terms (bigrams,
/// junctions, short words) fit whole.
#[inline]
fn pack(bytes: &[u8]) -> u64 {
    let mut k = [0u8; 8];
    let n = bytes.len().min(8);
    k[..n].copy_from_slice(&bytes[..n]);
    u64::from_be_bytes(k)
}

/// The bytes of a term of at most 8 bytes from its key.
fn unpack(key: u64) -> ([u8; 8], usize) {
    let len = 8 - (key.trailing_zeros() / 8) as usize;
    (key.to_be_bytes(), len.min(8))
}

/// The UTF-8 bytes of `c` as a big-endian number, and how many there are.
#[inline]
fn utf8(c: char) -> (u64, u32) {
    let cp = u64::from(c as u32);
    if cp < 0x80 {
        (cp, 1)
    } else if cp < 0x800 {
        ((0xC0 | cp >> 6) << 8 | (0x80 | cp & 0x3F), 2)
    } else if cp < 0x1_0000 {
        (
            (0xE0 | cp >> 12) << 16 | (0x80 | (cp >> 6) & 0x3F) << 8 | (0x80 | cp & 0x3F),
            3,
        )
    } else {
        (
            (0xF0 | cp >> 18) << 24
                | (0x80 | (cp >> 12) & 0x3F) << 16
                | (0x80 | (cp >> 6) & 0x3F) << 8
                | (0x80 | cp & 0x3F),
            4,
        )
    }
}

/// Token occurrences of one page in position order: key and position, and the
/// rare terms longer than 8 bytes apart.
#[derive(Default)]
struct Occurrences {
    keys: Vec<u64>,
    pos: Vec<u32>,
    /// (start, end) in `long_text`, position.
    long: Vec<(u32, u32, u32)>,
    long_text: String,
}

impl Occurrences {
    /// Adds a term given as its UTF-8 bytes in a number (`len` ≤ 8).
    #[inline]
    fn add_bits(&mut self, bits: u64, len: u32, pos: u32) {
        self.keys.push(bits << (8 * (8 - len)));
        self.pos.push(pos);
    }

    fn add_str(&mut self, term: &str, pos: u32) {
        if term.len() <= 8 {
            self.keys.push(pack(term.as_bytes()));
            self.pos.push(pos);
        } else {
            let start = self.long_text.len() as u32;
            self.long_text.push_str(term);
            self.long.push((start, self.long_text.len() as u32, pos));
        }
    }
}

/// Collects the tokens of one field (possibly several strings numbered on, like
/// the headings) into `occ`, with junction terms.
struct FieldSink<'a> {
    occ: &'a mut Occurrences,
    /// Position of the current string's token 0.
    offset: u32,
    limit: u32,
    /// Tokens kept in the current string.
    kept: u32,
    /// A tail or one-character run waiting for the next token: character, position.
    pending: Option<(char, u32)>,
    /// Body only: tokens per piece, tokens left in the current piece, and the
    /// byte offsets where pieces start.
    pieces: Option<(u32, u32, &'a mut Vec<u32>)>,
}

impl FieldSink<'_> {
    /// Called before every token: its absolute position when it is kept, after
    /// writing the junction of the character that waited for it.
    #[inline]
    fn next(&mut self, first: char, pos: u32, start: usize) -> Option<u32> {
        let abs = self.offset.saturating_add(pos);
        if abs >= self.limit {
            return None;
        }
        if let Some((x, xpos)) = self.pending.take() {
            let (bx, lx) = utf8(x);
            let (by, ly) = utf8(first);
            if lx + 1 + ly <= 8 {
                let bits = ((bx << 8 | u64::from(JUNCTION)) << (8 * ly)) | by;
                self.occ.add_bits(bits, lx + 1 + ly, xpos);
            } else {
                let mut term = String::with_capacity(9);
                term.push(x);
                term.push(JUNCTION as char);
                term.push(first);
                self.occ.add_str(&term, xpos);
            }
        }
        self.kept += 1;
        if let Some((size, left, cuts)) = &mut self.pieces {
            if *left == 0 {
                cuts.push(start as u32);
                *left = *size;
            }
            *left -= 1;
        }
        Some(abs)
    }

    /// Ends the field: a waiting character is indexed as itself.
    fn finish(&mut self) {
        if let Some((x, xpos)) = self.pending.take() {
            let (bits, len) = utf8(x);
            self.occ.add_bits(bits, len, xpos);
        }
    }

    /// Tokenises one string of the field; returns the tokens kept.
    fn string(&mut self, text: &str) -> u32 {
        self.kept = 0;
        tokenize_into(&nfc(text), self);
        let kept = self.kept;
        self.offset = self.offset.saturating_add(kept);
        kept
    }
}

impl TokenSink for FieldSink<'_> {
    #[inline]
    fn pair(&mut self, a: char, b: char, pos: u32, start: usize, _end: usize) {
        if let Some(abs) = self.next(a, pos, start) {
            let (ba, la) = utf8(a);
            let (bb, lb) = utf8(b);
            self.occ.add_bits(ba << (8 * lb) | bb, la + lb, abs);
        }
    }

    #[inline]
    fn one(&mut self, _kind: TokenKind, c: char, pos: u32, start: usize, _end: usize) {
        if let Some(abs) = self.next(c, pos, start) {
            self.pending = Some((c, abs));
        }
    }

    #[inline]
    fn word(&mut self, word: &str, pos: u32, start: usize, _end: usize) {
        let first = word.chars().next().unwrap_or(' ');
        if let Some(abs) = self.next(first, pos, start) {
            self.occ.add_str(word, abs);
        }
    }
}

/// Tokenises the fields of a page (title, meta, headings, body) into `occ`;
/// returns the title and body lengths in tokens, the body as indexed and where
/// its pieces start.
fn tokenize_page(doc: &SearchDoc, piece_tokens: u32, occ: &mut Occurrences) -> PageText {
    let mut field = |texts: &mut dyn Iterator<Item = &str>, start: u32, limit: u32| {
        let mut sink = FieldSink {
            occ: &mut *occ,
            offset: start,
            limit,
            kept: 0,
            pending: None,
            pieces: None,
        };
        let mut kept = 0;
        for text in texts {
            kept += sink.string(text);
        }
        sink.finish();
        kept
    };
    let title_len = field(
        &mut std::iter::once(doc.title.as_str()),
        LAYOUT.title,
        LAYOUT.meta,
    );
    field(&mut meta_texts(doc), LAYOUT.meta, LAYOUT.head);
    field(
        &mut doc.headings.iter().map(String::as_str),
        LAYOUT.head,
        LAYOUT.body,
    );
    let prepared = prepare_body(&doc.body);
    let normalised = match nfc(&prepared) {
        std::borrow::Cow::Owned(s) => Some(s),
        std::borrow::Cow::Borrowed(_) => None,
    };
    let body = normalised.unwrap_or(prepared);
    let size = piece_tokens.max(1);
    let mut cuts = Vec::new();
    let body_len = {
        let mut sink = FieldSink {
            occ,
            offset: LAYOUT.body,
            limit: u32::MAX,
            kept: 0,
            pending: None,
            pieces: Some((size, size, &mut cuts)),
        };
        tokenize_into(&body, &mut sink);
        sink.finish();
        sink.kept
    };
    // A last piece of less than half the size joins the one before it.
    if !cuts.is_empty() && body_len.saturating_sub(cuts.len() as u32 * size) < size / 2 {
        cuts.pop();
    }
    PageText {
        body_len,
        title_len,
        body,
        cuts,
    }
}

/// The terms of one page, grouped by key range (each range in position order).
struct PageTerms {
    keys: Vec<u64>,
    pos: Vec<u32>,
    /// Range `r` is `keys[range_at[r]..range_at[r + 1]]`.
    range_at: Vec<u32>,
    /// Terms longer than 8 bytes: (start, end) in `long_text`, position.
    long: Vec<(u32, u32, u32)>,
    long_text: String,
}

/// What the tokeniser learns of a page besides its terms: lengths, the body as
/// indexed, and where its pieces start.
struct PageText {
    body_len: u32,
    title_len: u32,
    body: String,
    /// Byte offsets in `body` where pieces 1, 2, … start.
    cuts: Vec<u32>,
}

/// What else the writer keeps of a page: lengths and its text pieces in UTF-16LE.
struct PageInfo {
    body_len: u32,
    title_len: u32,
    /// Bytes of the body in UTF-8 (how shared text files are filled).
    utf8_len: usize,
    pieces: Vec<Vec<u8>>,
}

/// Pages analysed at a time.
const BATCH: usize = 512;

/// The key ranges, by their boundaries (at most 255, each the key of a character
/// alone: see [`first_char_key`]).
struct Ranges {
    bounds: Vec<u64>,
    /// The range of the terms that start with each character of the Basic
    /// Multilingual Plane, by code point. A term's range depends on its first
    /// character only, since every boundary is a character alone.
    by_char: Vec<u8>,
}

impl Ranges {
    fn new(bounds: Vec<u64>) -> Ranges {
        // One range (a small site, a dev server's delta) needs no table.
        let by_char = if bounds.is_empty() {
            Vec::new()
        } else {
            (0..0x1_0000u32)
                .map(|cp| {
                    let key = char::from_u32(cp).map_or(0, |c| {
                        let (bits, len) = utf8(c);
                        bits << (8 * (8 - len))
                    });
                    bounds.partition_point(|&b| b <= key) as u8
                })
                .collect()
        };
        Ranges { bounds, by_char }
    }

    fn count(&self) -> usize {
        self.bounds.len() + 1
    }

    /// Range of `key`: the number of boundaries at or below it.
    #[inline]
    fn of(&self, key: u64) -> usize {
        if self.by_char.is_empty() {
            return 0;
        }
        let [lead, b1, b2, ..] = key.to_be_bytes();
        let cp = match lead {
            0..0x80 => u32::from(lead),
            0x80..0xE0 => u32::from(lead & 0x1F) << 6 | u32::from(b1 & 0x3F),
            0xE0..0xF0 => {
                u32::from(lead & 0x0F) << 12 | u32::from(b1 & 0x3F) << 6 | u32::from(b2 & 0x3F)
            }
            _ => return self.bounds.partition_point(|&b| b <= key),
        };
        usize::from(self.by_char[cp as usize])
    }
}

/// Tokenises a page and groups its occurrences by key range (stable, so each
/// range stays in position order).
fn analyse(doc: &SearchDoc, piece_tokens: u32, ranges: &Ranges) -> (PageTerms, PageInfo) {
    // The tokens go to this thread's arrays, reused from page to page (they stay in
    // the caches, and grow only for a page longer than any before), and are then
    // copied to the page's own arrays grouped by range.
    thread_local! {
        static OCC: std::cell::RefCell<Occurrences> = std::cell::RefCell::default();
    }
    OCC.with_borrow_mut(|occ| {
        occ.keys.clear();
        occ.pos.clear();
        analyse_into(doc, piece_tokens, ranges, occ)
    })
}

fn analyse_into(
    doc: &SearchDoc,
    piece_tokens: u32,
    ranges: &Ranges,
    occ: &mut Occurrences,
) -> (PageTerms, PageInfo) {
    let text = tokenize_page(doc, piece_tokens, occ);
    let body = text.body.as_str();
    let mut start = 0;
    let pieces = text
        .cuts
        .iter()
        .chain(std::iter::once(&(body.len() as u32)))
        .map(|&cut| {
            let piece = utf16le(&body[start..cut as usize]);
            start = cut as usize;
            piece
        })
        .collect();
    let info = PageInfo {
        body_len: text.body_len,
        title_len: text.title_len,
        utf8_len: body.len(),
        pieces,
    };
    let count = ranges.count();
    let mut range_at = vec![0u32; count + 1];
    let (keys, pos) = if count == 1 {
        range_at[1] = occ.keys.len() as u32;
        (occ.keys.clone(), occ.pos.clone())
    } else {
        let which: Vec<u8> = occ.keys.iter().map(|&k| ranges.of(k) as u8).collect();
        for &r in &which {
            range_at[usize::from(r) + 1] += 1;
        }
        for r in 0..count {
            range_at[r + 1] += range_at[r];
        }
        let mut at = range_at.clone();
        let mut keys = vec![0u64; occ.keys.len()];
        let mut pos = vec![0u32; occ.pos.len()];
        for (i, &r) in which.iter().enumerate() {
            let slot = &mut at[usize::from(r)];
            keys[*slot as usize] = occ.keys[i];
            pos[*slot as usize] = occ.pos[i];
            *slot += 1;
        }
        (keys, pos)
    };
    let terms = PageTerms {
        keys,
        pos,
        range_at,
        long: std::mem::take(&mut occ.long),
        long_text: std::mem::take(&mut occ.long_text),
    };
    (terms, info)
}

/// Key ranges of about equal size for building in parallel: the boundaries,
/// from the terms of a sample of the pages.
fn splitters(docs: &[&SearchDoc], piece_tokens: u32) -> Ranges {
    if docs.len() < 64 {
        return Ranges::new(Vec::new());
    }
    let step = (docs.len() / 64).max(1);
    let mut sample: Vec<u64> = docs
        .par_iter()
        .step_by(step)
        .flat_map_iter(|d| {
            let mut occ = Occurrences::default();
            tokenize_page(d, piece_tokens, &mut occ);
            occ.keys.into_iter().step_by(4)
        })
        .collect();
    sample.sort_unstable();
    // Boundaries at first characters: the terms that start with one character
    // stay in one range (see `encode_range`).
    let mut out: Vec<u64> = (1..RANGES)
        .map(|r| first_char_key(sample[r * sample.len() / RANGES]))
        .filter(|&k| k > 0)
        .collect();
    out.dedup();
    Ranges::new(out)
}

/// `key` cut to its first character (the other bytes zero): every term that
/// starts with that character has a key from this one up to the next.
#[inline]
fn first_char_key(key: u64) -> u64 {
    let lead = (key >> 56) as u8;
    let len = match lead {
        0..0x80 => 1,
        0x80..0xE0 => 2,
        0xE0..0xF0 => 3,
        _ => 4,
    };
    key & !(u64::MAX >> (8 * len))
}

/// Hashes a term key (8 bytes of UTF-8) for the map of distinct keys: one
/// multiplication, its high half folded into the low bits the table uses.
#[derive(Default)]
struct KeyHasher(u64);

impl std::hash::Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b) ^ self.0.rotate_left(8));
        }
    }

    #[inline]
    fn write_u64(&mut self, k: u64) {
        let x = k.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        self.0 = x ^ (x >> 29);
    }
}

type KeyMap = HashMap<u64, u32, std::hash::BuildHasherDefault<KeyHasher>>;

/// Reads one LEB128 varint at `*p`.
#[inline]
fn get_varint(b: &[u8], p: &mut usize) -> u64 {
    let mut v = 0u64;
    let mut shift = 0;
    while let Some(&x) = b.get(*p) {
        *p += 1;
        v |= u64::from(x & 0x7F) << shift;
        if x < 0x80 || shift > 56 {
            break;
        }
        shift += 7;
    }
    v
}

/// The encoded term blocks of one key range, in term order.
struct RangeBlocks {
    blocks: Vec<u8>,
    /// End of each block in `blocks`.
    ends: Vec<u32>,
}

impl RangeBlocks {
    fn block(&self, i: usize) -> &[u8] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.blocks[start..self.ends[i] as usize]
    }
}

/// Key ranges the term space is cut into for building: small enough that a range's
/// arrays stay in the processor's caches while it is sorted (at 10,000 pages, about
/// 50,000 occurrences each).
const RANGES: usize = 256;

/// Marks an occurrence of a term longer than 8 bytes (in the page number).
const LONG: u32 = 1 << 31;

/// The occurrences of one key range, gathered from every page in page order
/// (each page's in position order), a batch of pages at a time; freed as soon as
/// the range is encoded.
#[derive(Default)]
struct RangeOcc {
    batches: Vec<RangeBatch>,
    /// Terms longer than 8 bytes: term, page, position.
    long: Vec<(Box<str>, u32, u32)>,
}

/// The occurrences of one key range in one batch of pages, in arrays of their
/// exact size.
struct RangeBatch {
    keys: Vec<u64>,
    pos: Vec<u32>,
    /// Per page that has occurrences here: its id and the end of its run in `keys`.
    pages: Vec<(u32, u32)>,
}

impl RangeOcc {
    /// Appends the occurrences of range `r` of the pages of a batch, numbered from
    /// `base`.
    fn add(&mut self, base: u32, batch: &[(PageTerms, PageInfo)], r: usize) {
        let run = |t: &PageTerms| t.range_at[r] as usize..t.range_at[r + 1] as usize;
        let len: usize = batch.iter().map(|(t, _)| run(t).len()).sum();
        if len == 0 {
            return;
        }
        let mut keys = Vec::with_capacity(len);
        let mut pos = Vec::with_capacity(len);
        let mut pages = Vec::new();
        for (i, (t, _)) in batch.iter().enumerate() {
            let run = run(t);
            if !run.is_empty() {
                keys.extend_from_slice(&t.keys[run.clone()]);
                pos.extend_from_slice(&t.pos[run]);
                pages.push((base + i as u32, keys.len() as u32));
            }
        }
        self.batches.push(RangeBatch { keys, pos, pages });
    }
}

/// Encodes the term blocks of one key range from its occurrences (consumed).
/// The terms that start with one character and take more than `set_bytes`
/// together also get that character's page set.
fn encode_range(occ: RangeOcc, page_count: usize, set_bytes: usize) -> RangeBlocks {
    let RangeOcc { batches, long } = occ;
    let short: usize = batches.iter().map(|b| b.keys.len()).sum();
    // Long terms after the others: a key group that holds one is sorted apart (by
    // term, page and position) anyway.
    let longs: Vec<(&str, u32, u32)> = long.iter().map(|(t, id, p)| (&**t, *id, *p)).collect();
    // A counting sort on the distinct keys: each occurrence gets its key's slot
    // (slots numbered in order of first appearance), the slots are put in key
    // order, and the occurrences are placed in one pass. They arrive in (page,
    // position) order and keep it within a key.
    let total = short + longs.len();
    // Sized for the usual share of distinct keys (about one in five occurrences), so
    // that the map seldom grows.
    let mut slot_of = KeyMap::with_capacity_and_hasher(total / 4, Default::default());
    let mut slot_keys: Vec<u64> = Vec::with_capacity(total / 4);
    let mut counts: Vec<u32> = Vec::with_capacity(total / 4);
    let mut slots: Vec<u32> = Vec::with_capacity(total);
    let all_keys = batches
        .iter()
        .flat_map(|b| b.keys.iter().copied())
        .chain(longs.iter().map(|l| pack(l.0.as_bytes())));
    for k in all_keys {
        let s = *slot_of.entry(k).or_insert_with(|| {
            slot_keys.push(k);
            counts.push(0);
            (slot_keys.len() - 1) as u32
        });
        counts[s as usize] += 1;
        slots.push(s);
    }
    drop(slot_of);
    let mut order: Vec<(u64, u32)> = slot_keys.iter().copied().zip(0..).collect();
    order.sort_unstable();
    let mut next = vec![0u32; slot_keys.len()];
    let mut at = 0;
    for &(_, s) in &order {
        next[s as usize] = at;
        at += counts[s as usize];
    }
    // Each occurrence as page (| LONG) << 32 | position (for long terms: index in
    // `longs`).
    let mut items = vec![0u64; total];
    let mut place = |i: usize, item: u64| {
        let s = slots[i] as usize;
        items[next[s] as usize] = item;
        next[s] += 1;
    };
    let mut i = 0;
    for b in &batches {
        let mut start = 0;
        for &(id, end) in &b.pages {
            let end = end as usize;
            for &p in &b.pos[start..end] {
                place(i, (u64::from(id) << 32) | u64::from(p));
                i += 1;
            }
            start = end;
        }
    }
    for (l, &(_, id, _)) in longs.iter().enumerate() {
        place(short + l, (u64::from(id | LONG) << 32) | l as u64);
    }
    drop((batches, slots));
    let mut out = RangeBlocks {
        blocks: Vec::with_capacity(total * 5),
        ends: Vec::new(),
    };
    let mut scratch = Vec::new();
    let page_of = |it: u64| (it >> 32) as u32;
    let mut set = PageSet::new(page_count);
    // The current first character: its key, first block and first byte.
    let mut first = (u64::MAX, 0, 0);
    let mut end = 0;
    for &(key, s) in &order {
        let group = &items[end as usize..(end + counts[s as usize]) as usize];
        end += counts[s as usize];
        if first_char_key(key) != first.0 {
            set.finish(first, set_bytes, &mut scratch, &mut out);
            first = (first_char_key(key), out.ends.len(), out.blocks.len());
        }
        for &it in group {
            set.add(page_of(it) & !LONG);
        }
        let (bytes, len) = unpack(key);
        if group.iter().all(|&it| page_of(it) & LONG == 0) {
            encode_block(&bytes[..len], group, &mut scratch, &mut out);
            continue;
        }
        // The term of exactly 8 bytes first (""), then longer ones by term.
        let mut named: Vec<(&str, u32, u32)> = group
            .iter()
            .map(|&it| {
                let page = page_of(it);
                if page & LONG == 0 {
                    ("", page, it as u32)
                } else {
                    longs.get(it as u32 as usize).copied().unwrap_or(("", 0, 0))
                }
            })
            .collect();
        named.sort_unstable();
        for same in named.chunk_by(|a, b| a.0 == b.0) {
            let run: Vec<u64> = same
                .iter()
                .map(|x| (u64::from(x.1) << 32) | u64::from(x.2))
                .collect();
            let term = if same[0].0.is_empty() {
                &bytes[..len]
            } else {
                same[0].0.as_bytes()
            };
            encode_block(term, &run, &mut scratch, &mut out);
        }
    }
    set.finish(first, set_bytes, &mut scratch, &mut out);
    out
}

/// The pages that have some term starting with one character, gathered while
/// that character's terms are encoded.
struct PageSet {
    bits: Vec<u64>,
    pages: Vec<u32>,
    total: usize,
}

impl PageSet {
    fn new(total: usize) -> Self {
        PageSet {
            bits: vec![0; total.div_ceil(64)],
            pages: Vec::new(),
            total,
        }
    }

    #[inline]
    fn add(&mut self, page: u32) {
        let (w, b) = (page as usize / 64, page % 64);
        if let Some(word) = self.bits.get_mut(w)
            && *word & (1 << b) == 0
        {
            *word |= 1 << b;
            self.pages.push(page);
        }
    }

    /// Ends the character whose blocks start at block `start` (byte `at`) of
    /// `out`: when they take at least `min_bytes`, adds the term `X\u{1}` with the
    /// set after the block of `X` itself (or first), so that a prefix lookup of
    /// `X` finds it in the first chunk it fetches. Payload: `0`, then page
    /// deltas; or `1`, then a bitmap of all pages (bit `i % 8` of byte `i / 8`).
    fn finish(
        &mut self,
        (key, start, at): (u64, usize, usize),
        min_bytes: usize,
        scratch: &mut Vec<u8>,
        out: &mut RangeBlocks,
    ) {
        if key != u64::MAX && out.blocks.len() - at >= min_bytes {
            scratch.clear();
            scratch.push(0);
            let mut prev = 0;
            // The pages in order, from the bitmap.
            for (w, &word) in self.bits.iter().enumerate() {
                let mut rest = word;
                while rest != 0 {
                    let p = (w * 64) as u32 + rest.trailing_zeros();
                    put_varint(scratch, u64::from(p - prev));
                    prev = p;
                    rest &= rest - 1;
                }
            }
            let bitmap = self.total.div_ceil(8);
            if bitmap + 1 < scratch.len() {
                scratch.clear();
                scratch.push(1);
                scratch.extend(self.bits.iter().flat_map(|w| w.to_le_bytes()).take(bitmap));
            }
            let (bytes, len) = unpack(key);
            let mut term = bytes[..len].to_vec();
            let mut block = Vec::with_capacity(scratch.len() + 16);
            put_varint(&mut block, len as u64 + 1);
            block.extend_from_slice(&term);
            block.push(1);
            put_varint(&mut block, self.pages.len() as u64);
            put_varint(&mut block, scratch.len() as u64);
            block.extend_from_slice(scratch);
            // After the block of the character alone, when there is one.
            term.insert(0, len as u8);
            let (index, pos) = if out.block(start).starts_with(&term) {
                (start + 1, out.ends[start] as usize)
            } else {
                (start, at)
            };
            let added = block.len() as u32;
            out.blocks.splice(pos..pos, block);
            for end in &mut out.ends[index..] {
                *end += added;
            }
            out.ends.insert(index, pos as u32 + added);
        }
        for &p in &self.pages {
            if let Some(word) = self.bits.get_mut(p as usize / 64) {
                *word = 0;
            }
        }
        self.pages.clear();
    }
}

/// Appends one term's block: term, df, byte length, postings, from its
/// occurrences in (page, position) order.
fn encode_block(term: &[u8], occ: &[u64], scratch: &mut Vec<u8>, out: &mut RangeBlocks) {
    scratch.clear();
    let page_of = |it: u64| (it >> 32) as u32;
    let mut prev = 0;
    let mut df = 0u64;
    for same in occ.chunk_by(|a, b| page_of(*a) == page_of(*b)) {
        let page = page_of(same[0]);
        let n = same.len() as u64;
        let delta = u64::from(page - prev) << 1;
        prev = page;
        df += 1;
        if n == 1 {
            put_varint(scratch, delta);
        } else {
            put_varint(scratch, delta | 1);
            put_varint(scratch, n);
        }
        let mut last = 0;
        for &it in same {
            let p = it as u32;
            put_varint(scratch, u64::from(p - last));
            last = p;
        }
    }
    let b = &mut out.blocks;
    put_varint(b, term.len() as u64);
    b.extend_from_slice(term);
    put_varint(b, df);
    put_varint(b, scratch.len() as u64);
    b.extend_from_slice(scratch);
    out.ends.push(b.len() as u32);
}

/// Quantised body length, 1 byte: `round(ln(1 + len) * 20)`; the client inverts it.
fn norm_byte(len: u32) -> u8 {
    let q = ((1.0 + f64::from(len)).ln() * 20.0).round();
    q.clamp(0.0, 255.0) as u8
}

/// A text file: `varint count`, the lengths in UTF-16 code units, the pieces in
/// UTF-16LE (given already encoded).
fn text_file(pieces: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::with_capacity(pieces.iter().map(|p| p.len() + 3).sum::<usize>() + 4);
    put_varint(&mut out, pieces.len() as u64);
    for piece in pieces {
        put_varint(&mut out, piece.len() as u64 / 2);
    }
    for piece in pieces {
        out.extend_from_slice(piece);
    }
    out
}

/// `text` in UTF-16LE.
fn utf16le(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(2 * text.len());
    for u in text.encode_utf16() {
        out.extend_from_slice(&u.to_le_bytes());
    }
    out
}

/// The text files, made page by page in page order: a page of one piece shares
/// a file with its neighbours (up to `frag` bytes), a longer one has a file per
/// piece.
struct Texts {
    files: Vec<Vec<u8>>,
    /// The pieces of the shared file being filled (always the last file begun).
    open: Option<Vec<Vec<u8>>>,
    /// Its estimated size; `usize::MAX` when the next one-piece page begins a file.
    size: usize,
    frag: usize,
    /// Per page: first file, index in it, number of pieces.
    of: Vec<[usize; 3]>,
}

impl Texts {
    fn new(frag: usize) -> Self {
        Texts {
            files: Vec::new(),
            open: None,
            size: usize::MAX,
            frag,
            of: Vec::new(),
        }
    }

    fn close(&mut self) {
        if let Some(pieces) = self.open.take() {
            self.files.push(text_file(&pieces));
        }
    }

    fn add(&mut self, info: PageInfo) {
        let mut pieces = info.pieces;
        if pieces.len() == 1 {
            if self.size >= self.frag {
                self.close();
                self.size = 0;
            }
            let open = self.open.get_or_insert_with(Vec::new);
            self.of.push([self.files.len(), open.len(), 1]);
            open.append(&mut pieces);
            self.size += 2 * info.utf8_len / 3;
        } else {
            self.close();
            self.of.push([self.files.len(), 0, pieces.len()]);
            for piece in pieces {
                self.files.push(text_file(&[piece]));
            }
            self.size = usize::MAX;
        }
    }

    fn finish(mut self) -> (Vec<Vec<u8>>, Vec<[usize; 3]>) {
        self.close();
        (self.files, self.of)
    }
}

/// Cuts the blocks of one range into chunks of about `chunk_bytes` (compressed, when
/// `level` compresses) and makes their files; returns the chunk files and the first
/// term of each. A chunk's terms are front-coded (see [`put_block`]). Its size in
/// block bytes is chosen from the ratio of file bytes to block bytes of the range's
/// chunks before it (of [`FIRST_RATIO`] for its first chunk).
fn chunk_range(range: &RangeBlocks, chunk_bytes: usize, level: u32) -> (Vec<Vec<u8>>, Vec<String>) {
    let count = range.ends.len();
    let mut files = Vec::new();
    let mut firsts = Vec::new();
    let (mut blocks_done, mut file_done) = (0usize, 0usize);
    let mut raw = Vec::new();
    let mut next = 0;
    while next < count {
        let ratio = if blocks_done == 0 {
            FIRST_RATIO
        } else {
            (file_done as f64 / blocks_done as f64).clamp(0.05, 1.0)
        };
        let target = (chunk_bytes as f64 / ratio) as usize;
        let start = next;
        let mut size = 0;
        while next < count {
            let b = range.block(next);
            if next > start && size + b.len() / 2 > target {
                break;
            }
            size += b.len();
            next += 1;
        }
        raw.clear();
        put_varint(&mut raw, (next - start) as u64);
        let mut prev: &[u8] = &[];
        for i in start..next {
            prev = put_block(range.block(i), prev, &mut raw);
        }
        let file = gzip(&raw, level);
        blocks_done += size;
        file_done += file.len();
        files.push(file);
        firsts.push(String::from_utf8_lossy(block_term(range.block(start)).0).into_owned());
    }
    (files, firsts)
}

/// A file of the index as JSON: its types have string keys and plain values, which
/// serde_json always writes.
fn to_json<T: Serialize + ?Sized>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).expect("index values serialise")
}

/// The term of an encoded block (`varint len, UTF-8, …`) and the rest of the block.
fn block_term(block: &[u8]) -> (&[u8], &[u8]) {
    let mut p = 0;
    let len = get_varint(block, &mut p) as usize;
    block[p..].split_at(len)
}

/// Appends a block to a chunk with its term front-coded against `prev`, the term
/// before it in the chunk: `varint shared, varint rest, the rest of the UTF-8`
/// (the first `shared` bytes are those of `prev`), then df, byte length and
/// postings as they are. Returns the block's term.
fn put_block<'a>(block: &'a [u8], prev: &[u8], out: &mut Vec<u8>) -> &'a [u8] {
    let (term, tail) = block_term(block);
    let shared = term.iter().zip(prev).take_while(|(a, b)| a == b).count();
    put_varint(out, shared as u64);
    put_varint(out, (term.len() - shared) as u64);
    out.extend_from_slice(&term[shared..]);
    out.extend_from_slice(tail);
    term
}

/// The ratio of chunk bytes to block bytes assumed for a range's first chunk: about
/// what front coding saves (deflated as well, they would be about 0.75).
const FIRST_RATIO: f64 = 0.87;

/// Compresses `files` in parallel at `level`, or stores them (level 0) when a
/// sample shows that compressing would save less than a tenth.
fn compress_all(mut files: Vec<Vec<u8>>, level: u32) -> Vec<Vec<u8>> {
    let step = (files.len() / 64).max(1);
    let (raw, packed) = files
        .par_iter()
        .step_by(step)
        .map(|f| (f.len(), gzip(f, level).len()))
        .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    let level = if packed * 10 > raw * 9 { 0 } else { level };
    // In place: each raw file is freed as soon as its compressed one exists.
    files.par_iter_mut().for_each(|f| *f = gzip(f, level));
    files
}

/// Groups values (actions, tiers, fields) in order of first appearance.
#[derive(Default)]
struct Vocab {
    names: Vec<String>,
    ids: HashMap<String, usize>,
    counts: Vec<u32>,
}

impl Vocab {
    /// A vocabulary that starts with `names` (counted zero times).
    fn seeded(names: &[String]) -> Vocab {
        let mut v = Vocab::default();
        for name in names {
            if !v.ids.contains_key(name) {
                v.ids.insert(name.clone(), v.names.len());
                v.names.push(name.clone());
                v.counts.push(0);
            }
        }
        v
    }

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

/// The kinds of page, with the names results show them by.
#[derive(Serialize)]
struct KindFacet {
    values: Vec<&'static str>,
    labels: Vec<&'static str>,
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
    /// Foldable characters outside the bitmap range (their pairs are in
    /// `fold/x.txt.gz`).
    extra: String,
    /// Code points per fold file: the pair of `start + i` is in
    /// `fold/<i / bucket>.txt.gz`.
    bucket: u32,
}

#[derive(Serialize)]
struct Entry {
    format: u32,
    build: String,
    docs: usize,
    #[serde(rename = "avgBody")]
    avg_body: f64,
    layout: Layout,
    /// Number of term chunks (in the packs `t/<i / dirFanout>.gz`).
    chunks: usize,
    /// Chunks per directory page (`d/<i>.json.gz`).
    #[serde(rename = "dirFanout")]
    dir_fanout: usize,
    /// First term of every directory page.
    dirs: Vec<String>,
    #[serde(rename = "metaGroup")]
    meta_group: usize,
    /// Metadata groups per pack.
    #[serde(rename = "metaPack")]
    meta_pack: usize,
    /// Body tokens per text piece.
    #[serde(rename = "pieceTokens")]
    piece_tokens: u32,
    kinds: KindFacet,
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
    /// Text: index in its file, number of pieces (one file each when more than
    /// one).
    f: [usize; 2],
    /// Where each of its text files is: pack, offset, length.
    x: &'a [[usize; 3]],
}

/// A page of the term directory: the first term and the compressed length of each
/// of its chunks (the chunks are in its term pack in this order).
#[derive(Serialize)]
struct DirPage<'a> {
    t: &'a [String],
    n: Vec<usize>,
}

/// Puts `files` one after the other into packs of at most `limit` bytes (a bigger
/// file has one of its own); returns the packs and where each file is in them
/// (pack, offset, length).
fn pack_files(files: Vec<Vec<u8>>, limit: usize) -> (Vec<Vec<u8>>, Vec<[usize; 3]>) {
    // The layout first, then each pack made from its files (in parallel).
    let mut at = Vec::with_capacity(files.len());
    let mut starts: Vec<usize> = Vec::new();
    let mut size = 0;
    for (i, f) in files.iter().enumerate() {
        if starts.is_empty() || size + f.len() > limit {
            starts.push(i);
            size = 0;
        }
        at.push([starts.len() - 1, size, f.len()]);
        size += f.len();
    }
    let packs = (0..starts.len())
        .into_par_iter()
        .map(|p| {
            let end = starts.get(p + 1).copied().unwrap_or(files.len());
            files[starts[p]..end].concat()
        })
        .collect();
    (packs, at)
}

/// Code points per fold file (`fold/<n>.txt.gz`).
const FOLD_BUCKET: u32 = 1024;

/// The fold bitmap for the entry, and the fold files: the pairs of characters
/// `FOLD_BITMAP_START + n × FOLD_BUCKET …` in `fold/<n>.txt.gz`, those outside
/// the bitmap in `fold/x.txt.gz`.
fn fold_entry() -> (FoldInfo, Vec<(String, String)>) {
    let span = (FOLD_BITMAP_END - FOLD_BITMAP_START + 1) as usize;
    let mut bits = vec![0u8; span.div_ceil(8)];
    let mut extra = String::new();
    let mut files: std::collections::BTreeMap<String, String> = Default::default();
    for &(from, to) in fold_pairs() {
        let cp = from as u32;
        let name = if (FOLD_BITMAP_START..=FOLD_BITMAP_END).contains(&cp) {
            let i = (cp - FOLD_BITMAP_START) as usize;
            bits[i / 8] |= 1 << (i % 8);
            format!("fold/{}.txt.gz", (cp - FOLD_BITMAP_START) / FOLD_BUCKET)
        } else {
            extra.push(from);
            "fold/x.txt.gz".to_string()
        };
        let pairs = files.entry(name).or_default();
        pairs.push(from);
        pairs.push(to);
    }
    let info = FoldInfo {
        start: FOLD_BITMAP_START,
        end: FOLD_BITMAP_END,
        bits: base64(&bits),
        extra,
        bucket: FOLD_BUCKET,
    };
    (info, files.into_iter().collect())
}

/// Builds the search files; paths are relative to `public/`.
pub fn build_index_with(docs: &[SearchDoc], opts: &IndexOptions) -> Vec<(String, Vec<u8>)> {
    build_segment(docs, opts, &Seed::default())
}

/// What a segment inherits from the index it extends (see `search::delta`): the
/// filter values in the order of that index (new values come after them), and
/// whether the fold files are written (a delta reads its base's).
#[derive(Default)]
pub(super) struct Seed<'a> {
    pub(crate) actions: &'a [String],
    pub(crate) levels: &'a [String],
    pub(crate) domains: &'a [String],
    pub(crate) without_fold_files: bool,
}

/// The files of one index over `docs`, all under `search/`.
pub(super) fn build_segment(
    docs: &[SearchDoc],
    opts: &IndexOptions,
    seed: &Seed,
) -> Vec<(String, Vec<u8>)> {
    let level = opts.level.min(12);
    let chunk_level = opts.chunk_level.min(12);
    let meta_group = opts.meta_group.max(1);
    let dir_fanout = opts.dir_fanout.max(1);
    let piece_tokens = opts.piece_tokens.max(1);

    // Stable page order (by URL) so ids, files and the build id are reproducible.
    let mut order: Vec<&SearchDoc> = docs.iter().collect();
    order.sort_by(|a, b| a.url.cmp(&b.url));

    let ranges = splitters(&order, piece_tokens);
    let n = order.len();
    // Pages are analysed in parallel a batch at a time; each batch's occurrences
    // are appended to their key ranges and its texts to the text files, so that
    // only the ranges (and not the pages as well) are held.
    let mut occs: Vec<RangeOcc> = (0..ranges.count()).map(|_| RangeOcc::default()).collect();
    let mut lens: Vec<(u32, u32)> = Vec::with_capacity(n);
    let mut texts = Texts::new(opts.frag_bytes);
    for (b, batch) in order.chunks(BATCH).enumerate() {
        let base = (b * BATCH) as u32;
        let analysed: Vec<(PageTerms, PageInfo)> = batch
            .par_iter()
            .map(|d| analyse(d, piece_tokens, &ranges))
            .collect();
        occs.par_iter_mut()
            .enumerate()
            .for_each(|(r, occ)| occ.add(base, &analysed, r));
        for (i, (terms, info)) in analysed.into_iter().enumerate() {
            let id = base + i as u32;
            for &(s, e, p) in &terms.long {
                let term = &terms.long_text[s as usize..e as usize];
                let r = ranges.of(pack(term.as_bytes()));
                occs[r].long.push((term.into(), id, p));
            }
            lens.push((info.body_len, info.title_len));
            texts.add(info);
        }
    }
    let (text_raw, text_of) = texts.finish();

    // Term blocks, built per key range in parallel (each range's blocks are in
    // term order, and the ranges follow each other), cut into chunks and
    // compressed at once; a range's occurrences are freed when it is done.
    let set_bytes = 2 * opts.chunk_bytes;
    let ranges: Vec<(Vec<Vec<u8>>, Vec<String>)> = occs
        .into_par_iter()
        .map(|occ| {
            chunk_range(
                &encode_range(occ, n, set_bytes),
                opts.chunk_bytes,
                chunk_level,
            )
        })
        .collect();
    let mut chunk_files = Vec::new();
    let mut chunk_firsts = Vec::new();
    for (files, firsts) in ranges {
        chunk_files.extend(files);
        chunk_firsts.extend(firsts);
    }
    let chunk_count = chunk_files.len();
    let dir_pages: Vec<&[String]> = chunk_firsts.chunks(dir_fanout).collect();
    // A term pack holds the chunks of one directory page, one after the other; the
    // directory page has their lengths.
    let dir_files: Vec<Vec<u8>> = dir_pages
        .par_iter()
        .zip(chunk_files.par_chunks(dir_fanout))
        .map(|(firsts, files)| {
            let page = DirPage {
                t: firsts,
                n: files.iter().map(Vec::len).collect(),
            };
            gzip(&to_json(&page), level)
        })
        .collect();
    let term_packs: Vec<Vec<u8>> = chunk_files
        .par_chunks(dir_fanout)
        .map(<[_]>::concat)
        .collect();
    drop(chunk_files);
    let dirs: Vec<String> = dir_pages.iter().map(|p| p[0].clone()).collect();

    // Filters and the per-page columns.
    let mut kinds = vec![0u32; Kind::searched().count()];
    let mut actions = Vocab::seeded(seed.actions);
    let mut levels = Vocab::seeded(seed.levels);
    let mut domains = Vocab::seeded(seed.domains);
    let mut cols = vec![0u8; 4 * n];
    let mut lists = Vec::new();
    let mut domain_lists = Vec::new();
    let mut body_total = 0u64;
    for (i, (d, &(body_len, title_len))) in order.iter().zip(&lens).enumerate() {
        body_total += u64::from(body_len);
        cols[i] = norm_byte(body_len);
        cols[n + i] = title_len.min(255) as u8;
        let kind = d
            .kind
            .search_index()
            .expect("documents are of the kinds searched");
        cols[2 * n + i] = kind;
        kinds[usize::from(kind)] += 1;
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

    // Page texts, compressed in place (or stored when they do not compress).
    let (text_packs, text_at) = pack_files(compress_all(text_raw, level), opts.pack_bytes);
    let metas: Vec<Meta> = order
        .iter()
        .zip(&text_of)
        .map(|(d, &[file, index, count])| Meta {
            u: &d.url,
            t: &d.title,
            k: d.kind.key(),
            b: &d.breadcrumb,
            a: d.action.as_deref(),
            d: d.date.as_deref(),
            f: [index, count],
            x: &text_at[file..file + count],
        })
        .collect();
    let meta_files: Vec<Vec<u8>> = metas
        .par_chunks(meta_group)
        .map(|g| gzip(&to_json(g), level))
        .collect();
    // Metadata groups go into packs of `META_PACK`; their lengths end the columns.
    put_varint(&mut cols, meta_files.len() as u64);
    for f in &meta_files {
        put_varint(&mut cols, f.len() as u64);
    }
    let docs_file = gzip(&cols, level);
    let meta_packs: Vec<Vec<u8>> = meta_files.chunks(META_PACK).map(<[_]>::concat).collect();
    drop(meta_files);

    let (fold, fold_texts) = fold_entry();

    let mut out: Vec<(String, Vec<u8>)> = Vec::new();
    out.push(("search/docs.bin.gz".to_string(), docs_file));
    for (name, pairs) in fold_texts.into_iter().filter(|_| !seed.without_fold_files) {
        out.push((
            format!("search/{name}"),
            gzip(pairs.as_bytes(), level.max(6)),
        ));
    }
    for (i, f) in dir_files.into_iter().enumerate() {
        out.push((format!("search/d/{i}.json.gz"), f));
    }
    for (i, f) in term_packs.into_iter().enumerate() {
        out.push((format!("search/t/{i}.gz"), f));
    }
    for (i, f) in meta_packs.into_iter().enumerate() {
        out.push((format!("search/m/{i}.gz"), f));
    }
    for (i, f) in text_packs.into_iter().enumerate() {
        out.push((format!("search/f/{i}.gz"), f));
    }
    // The build id: a hash of every file, each hashed on its own (in parallel), then
    // their names and hashes together.
    let file_hashes: Vec<u64> = out
        .par_iter()
        .map(|(_, bytes)| xxhash_rust::xxh3::xxh3_64(bytes))
        .collect();
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for ((path, _), file_hash) in out.iter().zip(file_hashes) {
        h.update(path.as_bytes());
        h.update(&file_hash.to_le_bytes());
    }

    let facet = |v: Vocab| Facet {
        values: v.names,
        counts: v.counts,
    };
    let entry = Entry {
        format: FORMAT,
        build: format!("{:016x}", h.digest()),
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
        meta_pack: META_PACK,
        piece_tokens,
        kinds: KindFacet {
            values: Kind::searched().map(Kind::key).collect(),
            labels: Kind::searched().map(|k| k.spec().label).collect(),
            counts: kinds,
        },
        actions: facet(actions),
        levels: facet(levels),
        domains: facet(domains),
        fold,
    };
    let entry_json = to_json(&entry);
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
        assert_eq!(
            prepare_body("党员\u{3000}干部\u{a0}x\u{2028}y　——“引号”"),
            "党员 干部 x y ——“引号”"
        );
    }

    #[test]
    fn ranges_agree_with_a_search_of_the_boundaries() {
        // Boundaries at characters of every UTF-8 length, some neighbours.
        let bounds: Vec<u64> = ["a", "m", "é", "中", "丫", "党", "学", "习", "𠀀", "𠀂"]
            .iter()
            .map(|t| pack(t.as_bytes()))
            .collect();
        let mut sorted = bounds.clone();
        sorted.sort_unstable();
        let ranges = Ranges::new(sorted.clone());
        // Terms of one to four characters, each from around a boundary or anywhere.
        let near: Vec<char> = "amé中丫党学习𠀀𠀂"
            .chars()
            .flat_map(|c| [c as u32 - 1, c as u32, c as u32 + 1])
            .filter_map(char::from_u32)
            .collect();
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for _ in 0..20_000 {
            let len = 1 + next() % 4;
            let term: String = (0..len)
                .map(|_| {
                    let r = next();
                    if r % 3 == 0 {
                        near[(r / 3) as usize % near.len()]
                    } else {
                        let cp = match r % 4 {
                            0 => r >> 8 & 0x7F,
                            1 => 0x80 + (r >> 8) % 0x780,
                            2 => 0x800 + (r >> 8) % 0xF800,
                            _ => 0x1_0000 + (r >> 8) % 0x10_0000,
                        };
                        char::from_u32(cp as u32).unwrap_or('x')
                    }
                })
                .collect();
            let k = pack(term.as_bytes());
            assert_eq!(ranges.of(k), sorted.partition_point(|&b| b <= k), "{term}");
        }
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
