/*
 * jiangtang site search — the browser client of the static index written by
 * `src/search/` (Rust). One plain file, no dependencies, no build step, ES2019
 * (Chromium 87). It works in two places:
 *
 *   - in the browser, loaded as a classic `<script defer>`: it finds the site's
 *     base path in `<html data-base="/training/">` (or `data-site-base`), fetches
 *     `<base>search/…`, and drives the search page (`<div id="search-results">`)
 *     and the header boxes (`<form role="search"><input name="q">`);
 *   - in Node ≥ 20, via `require()`: `createEngine({load})` takes a loader that
 *     returns the bytes of a file of the index (tests read them from disk).
 *
 * The tokeniser below is a line-for-line port of `src/search/tokenizer.rs`;
 * `tests/search_cases.json` keeps the two in agreement.
 */
(function () {
  "use strict";

  /**
   * Version of the index files this client reads: `FORMAT` in
   * `src/search/index.rs`, written as `format` in `index.json.gz`. Both change
   * together; an index of another version is refused rather than misread.
   */
  const INDEX_FORMAT = 4;

  /* ------------------------------------------------------------------ */
  /* Normalisation: NFC, then per character NFKC, lowercase, and          */
  /* traditional → simplified folding (OpenCC TSCharacters, Apache-2.0).  */
  /* ------------------------------------------------------------------ */

  /**
   * Fold table: code point → code point. Empty until the whole table is loaded
   * (`setFoldTable`) or parts of it, the index's fold files, as texts need them.
   */
  let foldMap = new Map();
  let foldLoaded = false;
  const foldParts = new Set();

  /**
   * Loads the whole fold table, given as the data file
   * `src/search/data/ts_chars.txt` (lines `繁<TAB>简`, `#` comments) or as the
   * index's fold files (the pairs written one after the other).
   */
  function setFoldTable(text) {
    foldMap = new Map();
    addFoldPairs(text);
    foldLoaded = true;
  }

  /** Adds pairs (in either form of `setFoldTable`) to the fold table. */
  function addFoldPairs(text) {
    const cps = [];
    for (const line of text.split("\n")) {
      if (line.charAt(0) === "#") continue;
      for (const ch of line) {
        const cp = ch.codePointAt(0);
        if (cp !== 9 && cp !== 13 && cp !== 32) cps.push(cp);
      }
    }
    for (let k = 0; k + 1 < cps.length; k += 2) foldMap.set(cps[k], cps[k + 1]);
  }

  function foldCp(cp) {
    if (cp < 0x3400) return cp;
    const to = foldMap.get(cp);
    return to === undefined ? cp : to;
  }

  /** Letters and digits of any script (Unicode Alphabetic or Number). */
  const WORD_RE = /[\p{Alphabetic}\p{N}]/u;

  /** Han ideographs, kana and ideographic marks: the same ranges as the Rust `is_cjk`. */
  function isCjk(cp) {
    return (cp >= 0x3005 && cp <= 0x3007) ||
      (cp >= 0x3021 && cp <= 0x3029) ||
      (cp >= 0x3038 && cp <= 0x303b) ||
      (cp >= 0x3041 && cp <= 0x3096) ||
      (cp >= 0x309d && cp <= 0x309f) ||
      (cp >= 0x30a1 && cp <= 0x30fa) ||
      (cp >= 0x30fc && cp <= 0x30ff) ||
      (cp >= 0x31f0 && cp <= 0x31ff) ||
      (cp >= 0x3400 && cp <= 0x4dbf) ||
      (cp >= 0x4e00 && cp <= 0x9fff) ||
      (cp >= 0xf900 && cp <= 0xfaff) ||
      (cp >= 0x20000 && cp <= 0x3ffff);
  }

  /** Letters and digits of every other script (Rust: `is_word_char`). */
  function isWordCp(cp) {
    if (cp < 0x80) {
      return (cp >= 48 && cp <= 57) || (cp >= 97 && cp <= 122) || (cp >= 65 && cp <= 90);
    }
    return !isCjk(cp) && WORD_RE.test(String.fromCodePoint(cp));
  }

  /**
   * Invisible format characters (soft hyphen, zero-width space and joiners,
   * direction marks, BOM) are dropped, so they neither split nor join words.
   */
  function isIgnorable(cp) {
    return cp === 0xad || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x202a && cp <= 0x202e) ||
      (cp >= 0x2060 && cp <= 0x2064) || cp === 0xfeff;
  }

  /** Appends the normalised code points of one input code point to `out` (Rust: `normalize_char`). */
  function normalizeCp(cp, out) {
    if (cp < 0x80) {
      out.push(cp >= 65 && cp <= 90 ? cp + 32 : cp);
    } else if ((cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0x4e00 && cp <= 0x9fff)) {
      out.push(foldCp(cp));
    } else if (!isIgnorable(cp)) {
      const nfkc = String.fromCodePoint(cp).normalize("NFKC");
      for (let i = 0; i < nfkc.length; i++) {
        const c = nfkc.codePointAt(i);
        if (c > 0xffff) i++;
        // Lowercase one code point at a time, like Rust's char::to_lowercase.
        const lower = String.fromCodePoint(c).toLowerCase();
        for (let j = 0; j < lower.length; j++) {
          const l = lower.codePointAt(j);
          if (l > 0xffff) j++;
          out.push(foldCp(l));
        }
      }
    }
  }

  /** The normalised text (what the tokeniser splits). */
  function normalize(text) {
    const s = String(text).normalize("NFC");
    const out = [];
    for (let i = 0; i < s.length; i++) {
      const cp = s.codePointAt(i);
      if (cp > 0xffff) i++;
      normalizeCp(cp, out);
    }
    // In slices: a spread of a whole long text would overflow the call stack.
    const parts = [];
    for (let k = 0; k < out.length; k += 4096) {
      parts.push(String.fromCodePoint(...out.slice(k, k + 4096)));
    }
    return parts.join("");
  }

  /* ------------------------------------------------------------------ */
  /* Tokeniser (src/search/tokenizer.rs)                                  */
  /* ------------------------------------------------------------------ */

  /** Longest word kept, in characters (Rust: MAX_WORD_CHARS). */
  const MAX_WORD_CHARS = 32;

  /**
   * The script-run state machine (Rust: `Splitter`): bigrams are given out as
   * soon as their second character arrives, the tail when the run ends.
   */
  class Splitter {
    constructor() {
      this.tokens = [];
      this.pos = 0;
      /** Last character of the current Han/kana run and its range (`{c, start, end}`). */
      this.prev = null;
      this.runLen = 0;
      this.word = [];
      this.wordStart = 0;
      this.wordEnd = 0;
    }

    push(text, kind, start, end, end1) {
      this.tokens.push({ text, pos: this.pos, kind, start, end, end1 });
      this.pos++;
    }

    flushRun() {
      const prev = this.prev;
      if (prev) {
        this.push(String.fromCodePoint(prev.c), this.runLen === 1 ? "s" : "t", prev.start, prev.end, prev.end);
        this.prev = null;
      }
      this.runLen = 0;
    }

    flushWord() {
      if (this.word.length > 0) {
        this.push(String.fromCodePoint(...this.word), "w", this.wordStart, this.wordEnd, this.wordEnd);
        this.word = [];
      }
    }

    feed(c, start, end) {
      if (isCjk(c)) {
        this.flushWord();
        const prev = this.prev;
        if (prev) this.push(String.fromCodePoint(prev.c, c), "b", prev.start, end, prev.end);
        this.prev = { c, start, end };
        this.runLen++;
      } else if (isWordCp(c)) {
        this.flushRun();
        if (this.word.length === 0) this.wordStart = start;
        if (this.word.length < MAX_WORD_CHARS) this.word.push(c);
        this.wordEnd = end;
      } else {
        this.flushRun();
        this.flushWord();
      }
    }
  }

  /**
   * Splits `text` by script. Han/kana runs give overlapping bigrams ('b') and a
   * tail ('t', the run's last character) or, for a one-character run, a single
   * ('s'); letters and digits give words ('w'). Tokens are numbered 0, 1, 2 …
   * (`pos`); `start`/`end` are UTF-16 offsets into `text.normalize('NFC')`, and
   * `end1` is where the token's first character ends (for marking prefixes).
   */
  function tokenize(text) {
    const s = String(text).normalize("NFC");
    const sp = new Splitter();
    const normalized = [];
    for (let i = 0; i < s.length; i++) {
      const start = i;
      const cp = s.codePointAt(i);
      if (cp > 0xffff) i++;
      const end = i + 1;
      normalized.length = 0;
      normalizeCp(cp, normalized);
      for (let k = 0; k < normalized.length; k++) sp.feed(normalized[k], start, end);
    }
    sp.flushRun();
    sp.flushWord();
    return sp.tokens;
  }

  /* ------------------------------------------------------------------ */
  /* Query plan                                                           */
  /* ------------------------------------------------------------------ */

  /** Most query slots used; the rest of a very long query is ignored. */
  const MAX_SLOTS = 16;

  /**
   * Turns a query into slots. An n-character Han run gives bigrams covering it; a
   * word is a prefix lookup. A lone Han character (a one-character run) followed
   * by another token, and a run's last character followed by a lone one, become
   * junction slots: the index has such a character as `X Y` (Y the first
   * character of the next token), or inside the bigram `XY` — two exact terms
   * instead of every term that starts with X, and the lone character after it
   * needs no slot of its own. A lone character with nothing around it is a
   * prefix lookup (every term starting with it). `offset` is the slot's position
   * relative to the first slot (phrases are checked with it); `span` is the
   * number of tokens of the whole query (a page whose title has the same number
   * of tokens and the phrase at 0 has exactly the query as its title).
   */
  function plan(query) {
    const tokens = tokenize(query);
    const skip = skippedBigrams(tokens);
    const slots = [];
    let truncated = false;
    for (let i = 0; i < tokens.length; i++) {
      const slot = skip[i] ? null : slotOf(tokens, i);
      if (!slot) continue;
      if (slots.length === MAX_SLOTS) {
        truncated = true;
        break;
      }
      slots.push(slot);
    }
    const base = slots.length ? slots[0].pos : 0;
    const last = slots.length ? slots[slots.length - 1].pos : 0;
    for (const slot of slots) {
      slot.offset = slot.pos - base;
      slot.key = slotKey(slot);
    }
    const span = truncated ? last - base + 1 : (tokens.length ? tokens[tokens.length - 1].pos + 1 - base : 0);
    // Pages whose body holds the best match: page id → body token position.
    return { slots, span, truncated, tokens, at: new Map() };
  }

  /**
   * Within a Han run, every other bigram (and the last) already spells out the
   * run: 人民代表大会 needs 人民, 代表, 大会 at offsets 0, 2, 4, not all five.
   * Fewer terms to fetch; the phrase check stays exact. True for the bigrams
   * left out.
   */
  function skippedBigrams(tokens) {
    const skip = new Array(tokens.length);
    for (let r = 0; r < tokens.length;) {
      if (tokens[r].kind !== "b") {
        r++;
        continue;
      }
      let end = r;
      while (end < tokens.length && tokens[end].kind === "b") end++;
      for (let k = r; k < end; k++) skip[k] = (k - r) % 2 === 1 && k !== end - 1;
      r = end;
    }
    return skip;
  }

  /** The slot of token `i` (see `plan`), or null when it needs none. */
  function slotOf(tokens, i) {
    const t = tokens[i];
    const next = tokens[i + 1];
    if (t.kind === "b") return { term: t.text, prefix: false, pos: t.pos };
    if (t.kind === "t" || t.kind === "s") {
      // A lone character is spelled by the junction before it, if any.
      const covered = t.kind === "s" && i > 0 && (tokens[i - 1].kind === "t" || tokens[i - 1].kind === "s");
      // A junction where it replaces a prefix lookup: of this character, or
      // of a lone character after it. A run's last character before a bigram
      // or a word needs nothing: the next slot's position pins it.
      if (next && (next.kind === "s" || (t.kind === "s" && !covered))) {
        return { term: t.text, prefix: true, pos: t.pos, junction: String.fromCodePoint(next.text.codePointAt(0)) };
      }
      if (t.kind === "s" && !covered) return { term: t.text, prefix: true, pos: t.pos };
      return null;
    }
    return { term: t.text, prefix: true, pos: t.pos };
  }

  /** What a slot looks up, as a key: `~XY` a junction, `*x` a prefix, `=xy` a term. */
  function slotKey(slot) {
    if (slot.junction) return `~${slot.term}${slot.junction}`;
    return (slot.prefix ? "*" : "=") + slot.term;
  }

  /* ------------------------------------------------------------------ */
  /* Bytes: gzip, varints, term order                                     */
  /* ------------------------------------------------------------------ */

  /** Un-gzips `bytes` (a Uint8Array) unless a server already did. */
  async function gunzip(bytes) {
    if (!(bytes.length > 2 && bytes[0] === 0x1f && bytes[1] === 0x8b)) return bytes;
    if (typeof DecompressionStream === "undefined") {
      throw makeError("unsupported", "DecompressionStream is not available");
    }
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  }

  /** An Error with a `code` the page turns into a message for the reader. */
  function makeError(code, message) {
    const e = new Error(message);
    e.code = code;
    return e;
  }

  const utf8 = new TextDecoder("utf-8");
  const utf16 = new TextDecoder("utf-16le");

  /** Reads LEB128 varints from a Uint8Array. */
  class Reader {
    constructor(bytes, pos) {
      this.b = bytes;
      this.p = pos || 0;
    }

    u() {
      const b = this.b;
      let x = b[this.p++];
      if (x < 0x80) return x;
      // Multiplied, not shifted: values may pass 2^31.
      let v = x & 0x7f;
      let shift = 7;
      for (;;) {
        x = b[this.p++];
        v += (x & 0x7f) * Math.pow(2, shift);
        if (x < 0x80) return v;
        shift += 7;
      }
    }
  }

  /** Compares two strings by code point (the order of the Rust writer). */
  function cmpCp(a, b) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      const x = a.charCodeAt(i);
      const y = b.charCodeAt(i);
      if (x !== y) {
        // Surrogates (D800–DFFF) stand for code points above FFFF.
        if (x >= 0xd800 && y >= 0xd800) {
          const xs = x <= 0xdfff;
          const ys = y <= 0xdfff;
          if (xs !== ys) return xs ? 1 : -1;
        }
        return x < y ? -1 : 1;
      }
    }
    return a.length - b.length;
  }

  /** Largest i with list[i] <= key, or -1. */
  function floorIndex(list, key) {
    let lo = 0;
    let hi = list.length - 1;
    let ans = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (cmpCp(list[mid], key) <= 0) {
        ans = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return ans;
  }

  /** Smallest i with list[i] >= key (list.length if none). */
  function lowerBound(list, key) {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cmpCp(list[mid], key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /* ------------------------------------------------------------------ */
  /* Posting lists                                                        */
  /* ------------------------------------------------------------------ */

  /**
   * A term chunk: the term directory is read at once, postings on demand. Terms
   * are front-coded: `varint shared, varint rest, rest bytes` (the first `shared`
   * UTF-8 bytes are those of the term before).
   */
  function parseChunk(bytes) {
    const r = new Reader(bytes, 0);
    const n = r.u();
    const terms = new Array(n);
    const df = new Int32Array(n);
    const off = new Int32Array(n);
    const len = new Int32Array(n);
    let term = new Uint8Array(64);
    for (let i = 0; i < n; i++) {
      const shared = r.u();
      const rest = r.u();
      if (shared + rest > term.length) {
        const grown = new Uint8Array(2 * (shared + rest));
        grown.set(term.subarray(0, shared));
        term = grown;
      }
      term.set(bytes.subarray(r.p, r.p + rest), shared);
      r.p += rest;
      terms[i] = utf8.decode(term.subarray(0, shared + rest));
      df[i] = r.u();
      len[i] = r.u();
      off[i] = r.p;
      r.p += len[i];
    }
    return { bytes, terms, df, off, len, cache: new Map() };
  }

  /**
   * Postings of term `i` of a chunk: `docs` (ascending ids), and for doc k its
   * positions `pos[ps[k] … ps[k+1])`. Per page: `varint (Δid × 2 + m)`, when m
   * is 1 `varint n` (else n = 1), then n position deltas.
   */
  function postingsOf(chunk, i) {
    const hit = chunk.cache.get(i);
    if (hit) return hit;
    const n = chunk.df[i];
    const r = new Reader(chunk.bytes, chunk.off[i]);
    const docs = new Int32Array(n);
    const ps = new Int32Array(n + 1);
    const pos = new Int32Array(chunk.len[i]); // never more positions than bytes
    let doc = 0;
    let np = 0;
    for (let k = 0; k < n; k++) {
      // Page delta × 2, plus 1 when a count of positions follows (else one).
      const d = r.u();
      const more = d % 2;
      doc += (d - more) / 2;
      docs[k] = doc;
      ps[k] = np;
      const m = more ? r.u() : 1;
      let p = 0;
      for (let j = 0; j < m; j++) {
        p += r.u();
        pos[np++] = p;
      }
    }
    ps[n] = np;
    const list = { docs, ps, pos: pos.subarray(0, np) };
    chunk.cache.set(i, list);
    return list;
  }

  const EMPTY_LIST = { docs: new Int32Array(0), ps: new Int32Array(1), pos: new Int32Array(0) };

  /** Last character of the term that holds a character's page set (`X\u0001`). */
  const PAGE_SET_MARK = "\u0001";

  /**
   * The page set of one character (term `X\u0001`, written for characters with
   * many terms) as a posting list without positions. Payload: 0 and page
   * deltas, or 1 and a bitmap of all pages.
   */
  function pageSetOf(chunk, i) {
    const b = chunk.bytes;
    const off = chunk.off[i];
    const end = off + chunk.len[i];
    const docs = new Int32Array(chunk.df[i]);
    let n = 0;
    if (b[off] === 1) {
      for (let j = off + 1; j < end && n < docs.length; j++) {
        for (let k = 0; k < 8; k++) if (b[j] & (1 << k)) docs[n++] = (j - off - 1) * 8 + k;
      }
    } else {
      const r = new Reader(b, off + 1);
      let doc = 0;
      while (r.p < end && n < docs.length) {
        doc += r.u();
        docs[n++] = doc;
      }
    }
    return { docs: docs.subarray(0, n), ps: new Int32Array(n + 1), pos: new Int32Array(0) };
  }

  /** Entries per page in the sort keys of `unionLists` (2^21). */
  const UNION_KEY_SPAN = 2097152;

  /** Union of posting lists (prefix lookups): positions merged per page. */
  function unionLists(lists) {
    if (lists.length === 0) return EMPTY_LIST;
    if (lists.length === 1) return lists[0];
    // One sort key per (list, page): page * 2^21 + entry number, sorted natively.
    let total = 0;
    let npos = 0;
    for (const l of lists) {
      total += l.docs.length;
      npos += l.pos.length;
    }
    const keys = new Float64Array(total);
    const fromList = new Int32Array(total);
    const fromIdx = new Int32Array(total);
    let e = 0;
    for (let i = 0; i < lists.length; i++) {
      const l = lists[i];
      for (let k = 0; k < l.docs.length; k++) {
        keys[e] = l.docs[k] * UNION_KEY_SPAN + e;
        fromList[e] = i;
        fromIdx[e] = k;
        e++;
      }
    }
    keys.sort();
    const docs = new Int32Array(total);
    const ps = new Int32Array(total + 1);
    const pos = new Int32Array(npos);
    let nd = -1;
    let np = 0;
    let segStart = 0;
    let segs = 0;
    for (let x = 0; x < total; x++) {
      const entry = keys[x] % UNION_KEY_SPAN;
      const doc = (keys[x] - entry) / UNION_KEY_SPAN;
      if (nd < 0 || docs[nd] !== doc) {
        if (segs > 1) pos.subarray(segStart, np).sort();
        nd++;
        docs[nd] = doc;
        ps[nd] = np;
        segStart = np;
        segs = 0;
      }
      const src = lists[fromList[entry]];
      const j = fromIdx[entry];
      pos.set(src.pos.subarray(src.ps[j], src.ps[j + 1]), np);
      np += src.ps[j + 1] - src.ps[j];
      segs++;
    }
    if (segs > 1) pos.subarray(segStart, np).sort();
    nd++;
    ps[nd] = np;
    return { docs: docs.subarray(0, nd), ps: ps.subarray(0, nd + 1), pos };
  }

  /**
   * One posting list over base and delta: `a`'s pages but the deleted ones, then
   * `b`'s numbered after the base's `n` pages.
   */
  function joinLists(a, b, n, deleted) {
    const docs = new Int32Array(a.docs.length + b.docs.length);
    const ps = new Int32Array(docs.length + 1);
    const pos = new Int32Array(a.pos.length + b.pos.length);
    let nd = 0;
    let np = 0;
    function put(list, k, id) {
      docs[nd] = id;
      ps[nd] = np;
      pos.set(list.pos.subarray(list.ps[k], list.ps[k + 1]), np);
      np += list.ps[k + 1] - list.ps[k];
      nd++;
    }
    for (let k = 0; k < a.docs.length; k++) if (!deleted[a.docs[k]]) put(a, k, a.docs[k]);
    for (let k = 0; k < b.docs.length; k++) put(b, k, b.docs[k] + n);
    ps[nd] = np;
    return { docs: docs.subarray(0, nd), ps: ps.subarray(0, nd + 1), pos: pos.subarray(0, np) };
  }

  /** Index of `doc` in sorted `docs` from `from`, or -1 (galloping search). */
  function seek(docs, doc, from) {
    let lo = from;
    let step = 1;
    let hi = from;
    while (hi < docs.length && docs[hi] < doc) {
      lo = hi + 1;
      hi += step;
      step *= 2;
    }
    if (hi >= docs.length) hi = docs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (docs[mid] < doc) lo = mid + 1;
      else if (docs[mid] > doc) hi = mid - 1;
      else return mid;
    }
    return -(lo + 1);
  }

  /* ------------------------------------------------------------------ */
  /* Ranking                                                              */
  /* ------------------------------------------------------------------ */

  const K1 = 1.2;
  const B = 0.75;
  /** Field weights: a match in the title counts as this many body matches. */
  const W_TITLE = 8;
  const W_META = 1.5;
  const W_HEAD = 2.5;
  /** Score multiplier per share of the query found as one phrase. */
  const PHRASE_BONUS = 1.0;
  /** Extra multiplier when the whole query is a phrase of the title. */
  const TITLE_PHRASE_BONUS = 1.0;
  /**
   * Chunks fetched at most for one prefix lookup (one character, a short word):
   * few when the query is that one slot (someone still typing), more when it is
   * one of several (a word, or a character after a word), where a cut list
   * would lose pages that have every part of the query. A character whose
   * terms fill more than about two chunks also has its page set in the first
   * chunk (the writer adds it), so a cut lookup still lists every page.
   */
  const MAX_PREFIX_CHUNKS = 4;
  const MAX_PREFIX_CHUNKS_IN_PHRASE = 8;
  /** Prefix unions kept for the next keystrokes. */
  const MAX_CACHED_UNIONS = 64;

  /**
   * Candidate pages: those in every list (or, when `partial`, in any), with each
   * list's index for them in `where[c * u + k]` (-1 when absent).
   */
  function candidates(lists, partial) {
    return partial ? candidatesInAny(lists) : candidatesInAll(lists);
  }

  /** The pages of every list, driven by the shortest list. */
  function candidatesInAll(lists) {
    const u = lists.length;
    const cand = [];
    const where = [];
    const order = lists.map((l, i) => i).sort((x, y) => lists[x].docs.length - lists[y].docs.length);
    const driver = lists[order[0]];
    const cursor = new Int32Array(u);
    const at = new Int32Array(u);
    outer: for (let x = 0; x < driver.docs.length; x++) {
      const d = driver.docs[x];
      at[order[0]] = x;
      for (let k = 1; k < u; k++) {
        const li = order[k];
        const found = seek(lists[li].docs, d, cursor[li]);
        if (found < 0) {
          cursor[li] = -found - 1;
          continue outer;
        }
        cursor[li] = found;
        at[li] = found;
      }
      cand.push(d);
      for (let k = 0; k < u; k++) where.push(at[k]);
    }
    return { docs: cand, where };
  }

  /** The pages of any list. */
  function candidatesInAny(lists) {
    const u = lists.length;
    const cand = [];
    const where = [];
    const all = unionLists(lists).docs;
    const cur = new Int32Array(u);
    for (let y = 0; y < all.length; y++) {
      cand.push(all[y]);
      for (let k = 0; k < u; k++) {
        const f = seek(lists[k].docs, all[y], cur[k]);
        if (f >= 0) cur[k] = f;
        where.push(f >= 0 ? f : -1);
      }
    }
    return { docs: cand, where };
  }

  /**
   * BM25 of one slot on one page (its entry `idx` of `list`), the positions
   * weighted by the field they fall in (`layout`: where each field starts).
   */
  function slotScore(list, idx, layout, idf, norm) {
    let tt = 0;
    let tm = 0;
    let th = 0;
    let tb = 0;
    for (let q = list.ps[idx], qe = list.ps[idx + 1]; q < qe; q++) {
      const pp = list.pos[q];
      if (pp >= layout.body) tb++;
      else if (pp >= layout.head) th++;
      else if (pp >= layout.meta) tm++;
      else tt++;
    }
    const tf = W_TITLE * tt + W_META * tm + W_HEAD * th + tb;
    return idf * tf * (K1 + 1) / (tf + norm);
  }

  /** Scratch arrays for the phrase check, grown on demand. */
  let scratch = { a: new Int32Array(256), b: new Int32Array(256), la: new Int32Array(256), lb: new Int32Array(256) };

  function growScratch(n) {
    if (scratch.a.length >= n) return;
    const size = Math.max(n, scratch.a.length * 2);
    scratch = { a: new Int32Array(size), b: new Int32Array(size), la: new Int32Array(size), lb: new Int32Array(size) };
  }

  /**
   * How a page holds a query of several slots: `run`, the longest run of
   * consecutive slots at consecutive positions; `titlePhrase`, the whole query
   * a phrase of the title; `exact`, the title is the query; `bodyAt`, the body
   * position of the longest run there (where the excerpt is cut), or -1.
   * Anchors (position − slot offset) of slot s are merged with those of s − 1.
   * `base` is the page's first index in `where` (see `candidates`).
   */
  function phraseMatch(p, lists, slotIdx, where, base, layout, titleLen) {
    const slots = p.slots;
    const nSlots = slots.length;
    const lastOffset = slots[nSlots - 1].offset;
    const m = { run: 0, titlePhrase: false, exact: false, bodyAt: -1 };
    let bodyRun = 0;
    let prevN = 0;
    for (let s = 0; s < nSlots; s++) {
      const ix = where[base + slotIdx[s]];
      const lst = lists[slotIdx[s]];
      const off = slots[s].offset;
      const n = ix < 0 ? 0 : lst.ps[ix + 1] - lst.ps[ix];
      growScratch(n + prevN + 1);
      const curA = scratch.b;
      const curL = scratch.lb;
      const prevA = scratch.a;
      const prevL = scratch.la;
      let j = 0;
      for (let z = 0; z < n; z++) {
        const anchor = lst.pos[lst.ps[ix] + z] - off;
        while (j < prevN && prevA[j] < anchor) j++;
        const len = j < prevN && prevA[j] === anchor ? prevL[j] + 1 : 1;
        curA[z] = anchor;
        curL[z] = len;
        if (len > m.run) m.run = len;
        if (len > bodyRun) {
          const runStart = anchor + slots[s - len + 1].offset;
          if (runStart >= layout.body) {
            bodyRun = len;
            m.bodyAt = runStart - layout.body;
          }
        }
        if (len === nSlots && anchor + lastOffset < layout.meta) {
          m.titlePhrase = true;
          if (anchor === 0 && titleLen === p.span) m.exact = true;
        }
      }
      // Swap: this slot's anchors become the previous ones.
      scratch.a = curA;
      scratch.la = curL;
      scratch.b = prevA;
      scratch.lb = prevL;
      prevN = n;
    }
    return m;
  }

  /** `phraseMatch` for a query of one slot: its page entry `w` of `list`. */
  function singleMatch(p, list, w, layout, titleLen) {
    const first = list.pos[list.ps[w]];
    const m = { run: 1, titlePhrase: first < layout.meta, exact: first === 0 && titleLen === p.span, bodyAt: -1 };
    for (let q = list.ps[w]; q < list.ps[w + 1]; q++) {
      if (list.pos[q] >= layout.body) {
        m.bodyAt = list.pos[q] - layout.body;
        break;
      }
    }
    return m;
  }

  /** Flags of the selected `list` of `values` (null when none is selected). */
  function selected(list, values) {
    if (!list || list.length === 0) return null;
    const set = new Uint8Array(values.length + 1);
    for (const v of list) {
      const i = values.indexOf(v);
      if (i >= 0) set[i] = 1;
    }
    return set;
  }

  /** Whether any value number in `arr` is flagged in `set`. */
  function anyIn(set, arr) {
    for (let i = 0; i < arr.length; i++) if (set[arr[i]]) return true;
    return false;
  }

  /** `{value: count}` of the values counted at least once. */
  function named(values, n) {
    const o = {};
    for (let x = 0; x < values.length; x++) if (n[x]) o[values[x]] = n[x];
    return o;
  }

  /**
   * Result order: the page whose title is the query, then pages that have the
   * whole query as one phrase, then the rest; by score within each.
   */
  function byRank(a, b) {
    if (a.exact !== b.exact) return a.exact ? -1 : 1;
    if (a.full !== b.full) return a.full ? -1 : 1;
    if (b.score !== a.score) return b.score - a.score;
    return a.id - b.id;
  }

  /* ------------------------------------------------------------------ */
  /* Engine                                                               */
  /* ------------------------------------------------------------------ */

  /** `make()`'s promise, kept in `map` under `key` until it fails (a later call then retries). */
  function once(map, key, make) {
    const hit = map.get(key);
    if (hit) return hit;
    const p = make();
    p.catch(() => {
      map.delete(key);
    });
    map.set(key, p);
    return p;
  }

  /**
   * A search engine over one index. `options.load(path)` returns (a promise of)
   * the raw bytes of `search/<path>` as a Uint8Array or ArrayBuffer; the first
   * call asks for `index.json.gz` with `{fresh: true}` (the browser revalidates
   * it), later calls carry the build id as `options.build` for cache busting.
   */
  class Engine {
    constructor(options) {
      this.loadRaw = options.load;
      this.files = new Map(); // path → Promise<Uint8Array> (decompressed)
      this.chunks = new Map(); // chunk number → Promise<chunk>
      this.unions = new Map(); // prefix slot key → merged posting list (recent ones)
      this.stats = { bytes: 0, files: 0 };
      this.entry = null;
      this.ready = null;
    }

    /**
     * Fetches and un-gzips one file of the index, once; with `range` ([offset,
     * length]), only those bytes of it (a gzip member of a pack). A loader may
     * ignore the range and return the whole file, which is then cut here.
     */
    file(path, fresh, range) {
      const key = range ? `${path}@${range[0]}` : path;
      return once(this.files, key, () => {
        const opts = { fresh: !!fresh, build: this.entry ? this.entry.build : "" };
        if (range) opts.range = range;
        return Promise.resolve(this.loadRaw(path, opts)).then((raw) => this.unpack(raw, range));
      });
    }

    /** The bytes a loader returned, counted, cut to `range` if need be, un-gzipped. */
    unpack(raw, range) {
      let bytes = raw instanceof Uint8Array ? raw : new Uint8Array(raw);
      this.stats.bytes += bytes.length;
      this.stats.files += 1;
      // The whole pack (the server ignored the range): cut the member out. Other
      // lengths are a member that the server un-gzipped itself (gunzip passes it).
      const whole = range && bytes.length !== range[1] && bytes.length >= range[0] + range[1] &&
        bytes[range[0]] === 0x1f && bytes[range[0] + 1] === 0x8b;
      if (whole) bytes = bytes.subarray(range[0], range[0] + range[1]);
      return gunzip(bytes);
    }

    async json(path, fresh, range) {
      return JSON.parse(utf8.decode(await this.file(path, fresh, range)));
    }

    /** Loads the entry file and the per-page columns, once (again after a failure). */
    init() {
      if (!this.ready) {
        this.ready = this.load();
        this.ready.catch(() => {
          this.ready = null;
        });
      }
      return this.ready;
    }

    async load() {
      const entry = await this.json("index.json.gz", true);
      if (entry.format !== INDEX_FORMAT) throw makeError("format", `unknown index format ${entry.format}`);
      this.entry = entry;
      this.readFoldBitmap(entry.fold);
      if (entry.delta) this.delta = deltaEngine(this.loadRaw, entry.delta.dir);
      const [cols] = await Promise.all([this.file("docs.bin.gz"), this.delta ? this.delta.init() : null]);
      this.readColumns(cols);
      if (this.delta) this.joinDelta();
      return this;
    }

    /** The entry's map of which characters fold, and in which fold file. */
    readFoldBitmap(fold) {
      const bits = typeof atob === "function" ? atob(fold.bits) : Buffer.from(fold.bits, "base64").toString("binary");
      const arr = new Uint8Array(bits.length);
      for (let i = 0; i < bits.length; i++) arr[i] = bits.charCodeAt(i);
      this.foldBits = arr;
      this.foldExtra = new Set(Array.from(fold.extra || "").map((c) => c.codePointAt(0)));
    }

    /**
     * `docs.bin.gz`: per page a byte each of body length (log scale), title
     * length, kind and action; then varints: each page's levels, each page's
     * domains, and the length of each metadata group.
     */
    readColumns(cols) {
      const n = this.entry.docs;
      const r = new Reader(cols, 4 * n);
      const levels = readValueLists(r, n);
      const domains = readValueLists(r, n);
      this.metaAt = readMetaRanges(r, this.entry.metaPack);
      const bodyLen = new Float64Array(n);
      for (let i = 0; i < n; i++) bodyLen[i] = Math.exp(cols[i] / 20) - 1;
      this.docs = {
        bodyLen,
        titleLen: cols.subarray(n, 2 * n),
        kind: cols.subarray(2 * n, 3 * n),
        action: cols.subarray(3 * n, 4 * n),
        levels,
        domains,
      };
      this.count = n;
    }

    /**
     * Joins the delta's pages to the base's: delta page `i` becomes page
     * `base.docs + i`, and the base's pages that the delta replaces or removes
     * (`entry.delta.deleted`) are left out of every posting list. The delta's
     * filter values start with the base's, so its lists of values are used.
     */
    joinDelta() {
      const d = this.delta;
      const n = this.entry.docs;
      const m = d.entry.docs;
      const a = this.docs;
      const b = d.docs;
      const join = (x, y, Type) => {
        const out = new Type(n + m);
        out.set(x, 0);
        out.set(y, n);
        return out;
      };
      this.docs = {
        bodyLen: join(a.bodyLen, b.bodyLen, Float64Array),
        titleLen: join(a.titleLen, b.titleLen, Uint8Array),
        kind: join(a.kind, b.kind, Uint8Array),
        action: join(a.action, b.action, Uint8Array),
        levels: a.levels.concat(b.levels),
        domains: a.domains.concat(b.domains),
      };
      const gone = new Uint8Array(n);
      const deleted = this.entry.delta.deleted || [];
      for (const id of deleted) if (id < n) gone[id] = 1;
      this.deleted = gone;
      this.count = n + m - deleted.length;
      for (const f of ["actions", "levels", "domains"]) this.entry[f] = d.entry[f];
    }

    /**
     * The fold files (`fold/<n>.txt.gz`, `fold/x.txt.gz`) that folding `text`
     * needs and that are not loaded yet, per the entry's bitmap.
     */
    foldFiles(text) {
      const need = [];
      if (foldLoaded) return need;
      const fold = this.entry.fold;
      const s = String(text).normalize("NFKC");
      for (let i = 0; i < s.length; i++) {
        const cp = s.codePointAt(i);
        if (cp > 0xffff) i++;
        let part = null;
        if (cp >= fold.start && cp <= fold.end) {
          const bit = cp - fold.start;
          if (this.foldBits[bit >> 3] & (1 << (bit & 7))) part = `fold/${Math.floor(bit / fold.bucket)}.txt.gz`;
        } else if (this.foldExtra.has(cp)) {
          part = "fold/x.txt.gz";
        }
        if (part && !foldParts.has(part) && need.indexOf(part) < 0) need.push(part);
      }
      return need;
    }

    /** Whether folding `text` needs fold files that are not loaded yet. */
    needsFold(text) {
      return this.foldFiles(text).length > 0;
    }

    /** Loads the fold files that `text` needs. */
    ensureFold(text) {
      return Promise.all(this.foldFiles(text).map(async (part) => {
        const bytes = await this.file(part);
        if (!foldParts.has(part)) addFoldPairs(utf8.decode(bytes));
        foldParts.add(part);
      }));
    }

    /** Directory page `i`: `{t: first terms, n: compressed lengths}` of its chunks. */
    dirPage(i) {
      return this.json(`d/${i}.json.gz`);
    }

    /** Chunk `i`: a range of the term pack of its directory page. */
    chunk(i) {
      return once(this.chunks, i, async () => {
        const fanout = this.entry.dirFanout;
        const page = Math.floor(i / fanout);
        const dir = await this.dirPage(page);
        const j = i - page * fanout;
        let offset = 0;
        for (let k = 0; k < j; k++) offset += dir.n[k];
        return parseChunk(await this.file(`t/${page}.gz`, false, [offset, dir.n[j]]));
      });
    }

    /** Number of the chunk that would hold `term`, or -1. */
    async chunkOf(term) {
      const e = this.entry;
      const page = floorIndex(e.dirs, term);
      if (page < 0) return -1;
      const dir = await this.dirPage(page);
      const j = floorIndex(dir.t, term);
      return j < 0 ? -1 : page * e.dirFanout + j;
    }

    /** First term of chunk `i` (null past the last chunk). */
    async chunkFirst(i) {
      const e = this.entry;
      if (i >= e.chunks) return null;
      const page = Math.floor(i / e.dirFanout);
      const dir = await this.dirPage(page);
      return dir.t[i - page * e.dirFanout];
    }

    /** Posting list of one term (empty when the index does not have it). */
    async termList(term) {
      const ci = await this.chunkOf(term);
      if (ci < 0) return EMPTY_LIST;
      const chunk = await this.chunk(ci);
      const i = lowerBound(chunk.terms, term);
      const found = i < chunk.terms.length && chunk.terms[i] === term;
      return found ? postingsOf(chunk, i) : EMPTY_LIST;
    }

    /**
     * Posting list of one slot: an exact term, a junction (`X Y` or the bigram
     * `XY`) or the union of a prefix.
     */
    async slotList(slot, maxChunks) {
      if (!this.delta) return this.ownSlotList(slot, maxChunks);
      const [own, delta] = await Promise.all([this.ownSlotList(slot, maxChunks), this.delta.slotList(slot, maxChunks)]);
      return {
        list: joinLists(own.list, delta.list, this.entry.docs, this.deleted),
        truncated: own.truncated || delta.truncated,
      };
    }

    /** Posting list of one slot in this engine's own index (see `slotList`). */
    async ownSlotList(slot, maxChunks) {
      if (this.entry.chunks === 0) return { list: EMPTY_LIST, truncated: false };
      if (!slot.prefix) return { list: await this.termList(slot.term), truncated: false };
      if (slot.junction) return { list: await this.junctionList(slot), truncated: false };
      return this.prefixList(slot, maxChunks || MAX_PREFIX_CHUNKS);
    }

    /** A junction: `X Y`, and the bigram `XY` when Y is a Han character. */
    async junctionList(slot) {
      const terms = [`${slot.term} ${slot.junction}`];
      if (isCjk(slot.junction.codePointAt(0))) terms.push(slot.term + slot.junction);
      const lists = await Promise.all(terms.map((t) => this.termList(t)));
      return unionLists(lists.filter((l) => l.docs.length > 0));
    }

    /** Every term that starts with the slot's, from at most `cap` chunks (cached). */
    async prefixList(slot, cap) {
      const term = slot.term;
      const cacheKey = `${slot.key}/${cap}`;
      const cached = this.unions.get(cacheKey);
      if (cached) return cached;
      const { ids, truncated: cut } = await this.prefixChunks(term, cap);
      const chunks = await Promise.all(ids.map((i) => this.chunk(i)));
      const lists = [];
      let pages = null;
      for (const ch of chunks) {
        for (let i = lowerBound(ch.terms, term); i < ch.terms.length; i++) {
          const t = ch.terms[i];
          if (!t.startsWith(term)) break;
          if (t.endsWith(PAGE_SET_MARK)) {
            if (t === term + PAGE_SET_MARK) pages = pageSetOf(ch, i);
          } else {
            lists.push(postingsOf(ch, i));
          }
        }
      }
      // A lookup cut short still lists every page that has the character
      // (those not read have no positions, so they rank after the others).
      let truncated = cut;
      if (truncated && pages) {
        lists.push(pages);
        truncated = false;
      }
      const got = { list: unionLists(lists), truncated };
      this.unions.set(cacheKey, got);
      if (this.unions.size > MAX_CACHED_UNIONS) this.unions.delete(this.unions.keys().next().value);
      return got;
    }

    /**
     * `ids`: the chunks from the one holding `term` while chunks may start with
     * it, at most `cap`; `truncated` when more would have followed.
     */
    async prefixChunks(term, cap) {
      const first = await this.chunkOf(term);
      const ids = [first < 0 ? 0 : first];
      for (let i = ids[0] + 1; ; i++) {
        const f = await this.chunkFirst(i);
        if (f === null || (cmpCp(f, term) > 0 && !f.startsWith(term))) return { ids, truncated: false };
        if (ids.length >= cap) return { ids, truncated: true };
        ids.push(i);
      }
    }

    /**
     * Runs a query. Options: `kinds`, `actions`, `levels`, `domains` (arrays of
     * selected values; empty = all). Resolves to
     * `{query, plan, total, results: [{id, score}], counts, partial, truncated, tooLong}`
     * where `counts.kind` etc. map each value to the number of matching pages (with
     * the other filters applied), `partial` says no page has the query as one
     * phrase (results then have its parts apart, or only some of them), and
     * `truncated` that a one-character
     * or short-word lookup was cut short.
     */
    async search(query, options) {
      await this.init();
      await this.ensureFold(query);
      const p = plan(query);
      const result = {
        query, plan: p, total: 0, results: [], partial: false,
        truncated: false, tooLong: p.truncated,
        counts: { kind: {}, action: {}, level: {}, domain: {} },
      };
      if (p.slots.length === 0) return result;
      // Each distinct lookup once; `slotIdx` maps the query's slots to them.
      const unique = [];
      const byKey = new Map();
      for (const s of p.slots) {
        if (!byKey.has(s.key)) {
          byKey.set(s.key, unique.length);
          unique.push(s);
        }
      }
      const cap = unique.length > 1 ? MAX_PREFIX_CHUNKS_IN_PHRASE : MAX_PREFIX_CHUNKS;
      const got = await Promise.all(unique.map((s) => this.slotList(s, cap)));
      const lists = got.map((g) => g.list);
      result.truncated = got.some((g) => g.truncated);
      const slotIdx = p.slots.map((s) => byKey.get(s.key));
      let scored = this.score(p, lists, slotIdx, false);
      if (scored.length === 0 && unique.length > 1) {
        scored = this.score(p, lists, slotIdx, true);
        result.partial = scored.length > 0;
      }
      // Pages with every part but nowhere as one phrase are still results, but
      // the user is told that nothing matched the text exactly.
      result.exactPhrase = scored.some((x) => x.full);
      if (!result.exactPhrase && scored.length > 0) result.partial = true;
      this.filter(scored, options || {}, result);
      return result;
    }

    /** Scores the pages that have every unique slot (or, when `partial`, any). */
    score(p, lists, slotIdx, partial) {
      const e = this.entry;
      const docs = this.docs;
      const N = Math.max(this.count, 1);
      const avg = e.avgBody || 1;
      const layout = e.layout;
      const u = lists.length;
      const idf = lists.map((l) => {
        const df = l.docs.length;
        return Math.log(1 + (N - df + 0.5) / (df + 0.5));
      });
      const { docs: cand, where } = candidates(lists, partial);
      const out = new Array(cand.length);
      const nSlots = p.slots.length;
      for (let c = 0; c < cand.length; c++) {
        const doc = cand[c];
        const base = c * u;
        const norm = K1 * (1 - B + B * docs.bodyLen[doc] / avg);
        let score = 0;
        let matched = 0;
        for (let k = 0; k < u; k++) {
          const idx = where[base + k];
          if (idx < 0) continue;
          matched++;
          score += slotScore(lists[k], idx, layout, idf[k], norm);
        }
        let m;
        if (nSlots > 1) {
          m = phraseMatch(p, lists, slotIdx, where, base, layout, docs.titleLen[doc]);
          score *= 1 + PHRASE_BONUS * (m.run - 1) / (nSlots - 1);
        } else {
          m = singleMatch(p, lists[slotIdx[0]], where[base + slotIdx[0]], layout, docs.titleLen[doc]);
        }
        if (m.bodyAt >= 0) p.at.set(doc, m.bodyAt);
        if (m.titlePhrase) score *= 1 + TITLE_PHRASE_BONUS;
        if (partial) score *= (matched / u) * (matched / u);
        out[c] = { id: doc, score, exact: m.exact, full: m.run === nSlots, run: m.run };
      }
      return out;
    }

    /** Applies the filters, counts values, sorts, and fills `result`. */
    filter(scored, options, result) {
      const e = this.entry;
      const docs = this.docs;
      const fk = selected(options.kinds, e.kinds.values);
      const fa = selected(options.actions, e.actions.values);
      const fl = selected(options.levels, e.levels.values);
      const fd = selected(options.domains, e.domains.values);
      const nK = new Int32Array(e.kinds.values.length);
      const nA = new Int32Array(e.actions.values.length);
      const nL = new Int32Array(e.levels.values.length);
      const nD = new Int32Array(e.domains.values.length);
      const kept = [];
      for (const hit of scored) {
        const d = hit.id;
        const kind = docs.kind[d];
        const action = docs.action[d];
        const levels = docs.levels[d];
        const domains = docs.domains[d];
        const okK = !fk || fk[kind] === 1;
        const okA = !fa || (action > 0 && fa[action - 1] === 1);
        const okL = !fl || anyIn(fl, levels);
        const okD = !fd || anyIn(fd, domains);
        // Each group is counted with the other groups' filters applied.
        if (okA && okL && okD) nK[kind]++;
        if (okK && okL && okD && action > 0) nA[action - 1]++;
        if (okK && okA && okD) for (const v of levels) nL[v]++;
        if (okK && okA && okL) for (const v of domains) nD[v]++;
        if (okK && okA && okL && okD) kept.push(hit);
      }
      kept.sort(byRank);
      result.total = kept.length;
      result.results = kept;
      result.counts = {
        kind: named(e.kinds.values, nK),
        action: named(e.actions.values, nA),
        level: named(e.levels.values, nL),
        domain: named(e.domains.values, nD),
      };
    }

    /** Metadata group `group` (a list): a range of its pack. */
    metaGroup(group) {
      const range = [this.metaAt[2 * group], this.metaAt[2 * group + 1]];
      return this.json(`m/${Math.floor(group / this.entry.metaPack)}.gz`, false, range);
    }

    /**
     * Metadata of page `id`: `{u: url, t: title, k: kind, b: breadcrumb, a: action,
     * d: date (a lecture's start with its time), f: [index in its text file, number of pieces], x: [[pack, offset,
     * length] of each text file]}`.
     */
    async meta(id) {
      if (this.delta && id >= this.entry.docs) return this.delta.meta(id - this.entry.docs);
      const g = this.entry.metaGroup;
      const group = Math.floor(id / g);
      const list = await this.metaGroup(group);
      return list[id - group * g];
    }

    /**
     * The text file at `at` ([pack, offset, length] in `f/`): `varint count`, the
     * lengths in UTF-16 code units, then the pieces in UTF-16LE.
     */
    async textFile(at) {
      const bytes = await this.file(`f/${at[0]}.gz`, false, [at[1], at[2]]);
      const r = new Reader(bytes, 0);
      const count = r.u();
      const lens = [];
      for (let i = 0; i < count; i++) lens.push(r.u());
      const out = [];
      let p = r.p;
      for (const len of lens) {
        out.push(utf16.decode(bytes.subarray(p, p + 2 * len)));
        p += 2 * len;
      }
      return out;
    }

    /** Piece `i` of the text of the page with metadata `m`. */
    async piece(m, i) {
      const f = m.f;
      const many = f[1] > 1;
      const list = await this.textFile(m.x[many ? i : 0]);
      return list[many ? 0 : f[0]] || "";
    }

    /** Body text of page `id` (as indexed): all its pieces. */
    async text(id) {
      if (this.delta && id >= this.entry.docs) return this.delta.text(id - this.entry.docs);
      const m = await this.meta(id);
      const all = [];
      for (let i = 0; i < (m.f[1] || 1); i++) all.push(this.piece(m, i));
      return (await Promise.all(all)).join("");
    }

    /**
     * Marks the places of `text` that match the query plan `p`. The fold table is
     * fetched only when nothing matches without it and the text has characters
     * that fold (a page in traditional characters found by a simplified query).
     */
    async highlight(text, p, maxLen) {
      const first = highlight(text, p, maxLen);
      if (first.matches > 0 || !this.needsFold(text)) return first;
      try {
        await this.ensureFold(text);
        return highlight(text, p, maxLen);
      } catch {
        return first;
      }
    }

    /**
     * Excerpt of page `id` around the best match: `{parts: [{text, mark}], before,
     * after}`. Only the piece of the text that holds the match is fetched (and
     * the next one when the match runs into it), found from the match's position
     * that the search left in `p.at`.
     */
    async excerpt(id, p, maxLen) {
      if (this.delta && id >= this.entry.docs) return this.deltaExcerpt(id, p, maxLen);
      const size = this.entry.pieceTokens;
      const m = await this.meta(id);
      const count = m.f[1] || 1;
      const at = p && p.at ? p.at.get(id) : undefined;
      let first = 0;
      if (at !== undefined && count > 1) first = Math.min(Math.floor(at / size), count - 1);
      let last = first;
      if (at !== undefined && first + 1 < count && at + (p.span || 1) >= (first + 1) * size) last = first + 1;
      const wanted = [];
      for (let i = first; i <= last; i++) wanted.push(this.piece(m, i));
      const pieces = await Promise.all(wanted);
      const hl = await this.highlight(pieces.join(""), p, maxLen || 120);
      if (first > 0) hl.before = true;
      if (last + 1 < count) hl.after = true;
      return hl;
    }

    /** `excerpt` of a page of the delta: the plan's body position renumbered for it. */
    deltaExcerpt(id, p, maxLen) {
      const local = id - this.entry.docs;
      const q = Object.create(p || null);
      q.at = new Map();
      if (p && p.at && p.at.has(id)) q.at.set(local, p.at.get(id));
      return this.delta.excerpt(local, q, maxLen);
    }
  }

  /** Per page of `docs.bin.gz`: a count, then that many value numbers. */
  function readValueLists(r, n) {
    const lists = new Array(n);
    for (let i = 0; i < n; i++) {
      const count = r.u();
      lists[i] = [];
      for (let k = 0; k < count; k++) lists[i].push(r.u());
    }
    return lists;
  }

  /**
   * Where each metadata group is in its pack, `[offset, length]` pairs in one
   * array (offsets restart with each pack of `pack` groups).
   */
  function readMetaRanges(r, pack) {
    const groups = r.u();
    const at = new Float64Array(2 * groups);
    let offset = 0;
    for (let i = 0; i < groups; i++) {
      if (i % pack === 0) offset = 0;
      const len = r.u();
      at[2 * i] = offset;
      at[2 * i + 1] = len;
      offset += len;
    }
    return at;
  }

  /**
   * The engine of a delta index (written by the dev server after an edit: the
   * changed pages, in `dir`, beside the full index). Its fold files are the base's.
   */
  function deltaEngine(load, dir) {
    return new Engine({
      load: (path, opts) => load(path.startsWith("fold/") ? path : dir + path, opts),
    });
  }

  function createEngine(options) {
    return new Engine(options);
  }

  /* ------------------------------------------------------------------ */
  /* Highlighting                                                         */
  /* ------------------------------------------------------------------ */

  /**
   * Finds the query's matches in `text` and cuts a window of about `maxLen`
   * characters around the best one (the whole text when `maxLen` is 0).
   */
  function highlight(text, p, maxLen) {
    const s = String(text).normalize("NFC");
    const all = matchSpans(tokenize(s), p.slots);
    let spans = wholePhrases(all, p.slots);
    // The phrase is in the result's title or breadcrumb: its parts alone are not marked.
    if (p.phraseOnly && spans.length === all.length && !hasPhrase(all, p.slots)) spans = [];
    const [from, to] = excerptWindow(s, bestMatchStart(spans, p.slots), maxLen);
    const parts = [];
    let at = from;
    for (const r of markedRanges(spans, from, to)) {
      if (r[0] > at) parts.push({ text: s.slice(at, r[0]), mark: false });
      parts.push({ text: s.slice(r[0], r[1]), mark: true });
      at = r[1];
    }
    if (at < to) parts.push({ text: s.slice(at, to), mark: false });
    return { parts, before: from > 0, after: to < s.length, matches: spans.length };
  }

  /** Where the tokens `toks` match the slots: `[start, end, pos, slot index]`. */
  function matchSpans(toks, slots) {
    const spans = [];
    for (let i = 0; i < toks.length; i++) {
      const t = toks[i];
      for (let k = 0; k < slots.length; k++) {
        const sl = slots[k];
        if (sl.junction) {
          // X then a token starting with Y (`XY` or `X Y` in the index): both
          // characters are marked.
          const nx = toks[i + 1];
          const joined = t.kind === "b" ? t.text === sl.term + sl.junction
            : (t.kind !== "w" && t.text === sl.term && nx && nx.pos === t.pos + 1 &&
              nx.text.startsWith(sl.junction));
          if (joined) {
            spans.push([t.start, t.end1, t.pos, k]);
            if (t.kind === "b") spans.push([t.end1, t.end, t.pos, k]);
            else spans.push([nx.start, nx.kind === "w" ? nx.end : nx.end1, t.pos, k]);
          }
        } else if (sl.prefix) {
          if (t.text.startsWith(sl.term)) {
            // A one-character Han lookup marks that character only.
            const end = t.kind === "w" ? t.end : t.end1;
            spans.push([t.start, end, t.pos, k]);
          }
        } else if (t.kind === "b" && t.text === sl.term) {
          spans.push([t.start, t.end, t.pos, k]);
        }
      }
    }
    return spans;
  }

  /**
   * Where the whole query occurs as a phrase (every slot at its offset from one
   * anchor), only those spans: 乡村振兴 is marked as a whole, not also 乡村 in 乡村旅游
   * beside it. Where it does not, every span: single terms are marked then.
   */
  function wholePhrases(spans, slots) {
    if (slots.length < 2) return spans;
    const byAnchor = new Map();
    for (const sp of spans) {
      const a = sp[2] - slots[sp[3]].offset;
      if (!byAnchor.has(a)) byAnchor.set(a, new Set());
      byAnchor.get(a).add(sp[3]);
    }
    const whole = new Set([...byAnchor].filter((e) => e[1].size === slots.length).map((e) => e[0]));
    return whole.size ? spans.filter((sp) => whole.has(sp[2] - slots[sp[3]].offset)) : spans;
  }

  /** Whether `spans` hold the whole query as a phrase (a query of two slots or more). */
  function hasPhrase(spans, slots) {
    return slots.length >= 2 && wholePhrases(spans, slots) !== spans;
  }

  /** Whether `text` holds the whole query as a phrase. */
  function phraseIn(text, p) {
    return hasPhrase(matchSpans(tokenize(String(text).normalize("NFC")), p.slots), p.slots);
  }

  /** Start of the best match: where most slots line up as a phrase; else the first match. */
  function bestMatchStart(spans, slots) {
    let best = -1;
    let bestCount = 0;
    const byAnchor = new Map();
    for (const sp of spans) {
      const a = sp[2] - slots[sp[3]].offset;
      let set = byAnchor.get(a);
      if (!set) byAnchor.set(a, (set = new Set()));
      set.add(sp[3]);
      if (set.size > bestCount || (set.size === bestCount && a < best)) {
        bestCount = set.size;
        best = a;
      }
    }
    const first = spans.find((sp) => sp[2] - slots[sp[3]].offset === best);
    return first ? first[0] : 0;
  }

  /**
   * `[from, to)` of `s`: about `maxLen` characters with `centre` a quarter in (all of
   * `s` for 0), starting where a sentence or a block starts when one does shortly
   * before the match, else never inside a word of letters or digits.
   */
  function excerptWindow(s, centre, maxLen) {
    let from = 0;
    let to = s.length;
    if (maxLen && s.length > maxLen) {
      from = Math.max(0, centre - Math.floor(maxLen / 4));
      to = Math.min(s.length, from + maxLen);
      from = Math.max(0, to - maxLen);
      from = readableStart(s, from, Math.min(centre, s.length), maxLen);
      to = Math.min(s.length, from + maxLen);
      // Do not cut a surrogate pair in two.
      if (from > 0 && isLowSurrogate(s.charCodeAt(from))) from++;
      if (to < s.length && isLowSurrogate(s.charCodeAt(to))) to++;
    }
    return [from, to];
  }

  /* Ends of sentences and the separators of blocks and table cells in indexed text;
     then the ends of clauses, where Chinese text can also be cut between words. */
  const SENTENCE_END = /[。！？；!?;｜\n]/;
  const CLAUSE_END = /[，、：,:]/;

  /* A letter or digit of a word written with spaces around it (Han text has none). */
  function inLatinWord(c) {
    return /[\p{L}\p{N}]/u.test(c) && !/\p{Script=Han}/u.test(c);
  }

  /**
   * Where an excerpt meant to start at `from` (before the match at `centre`) reads
   * well: after the last end of a sentence, else of a clause, that leaves the match
   * in the window; else, inside a word of letters or digits, after that word; never
   * on the punctuation that closes or continues what was cut off.
   */
  function readableStart(s, from, centre, maxLen) {
    if (from === 0) return 0;
    const earliest = Math.max(0, centre - Math.floor((maxLen * 3) / 4));
    let start = lastEnd(s, SENTENCE_END, earliest, centre);
    if (start < 0) start = lastEnd(s, CLAUSE_END, earliest, centre);
    if (start < 0) {
      start = from;
      if (inLatinWord(s[from - 1])) while (start < centre && inLatinWord(s[start])) start++;
    }
    while (start < centre && /[\s，、：:,.)）」』”’]/.test(s[start])) start++;
    return start;
  }

  /** Just after the last character of `s` in `[earliest, centre)` that `re` matches, or -1. */
  function lastEnd(s, re, earliest, centre) {
    for (let i = centre - 1; i >= earliest; i--) if (re.test(s[i])) return i + 1;
    return -1;
  }

  /** The spans merged into ranges to mark, cut to the window `[from, to)`. */
  function markedRanges(spans, from, to) {
    const ranges = spans.map((sp) => [sp[0], sp[1]])
      .filter((r) => r[1] > from && r[0] < to)
      .sort((a, b) => a[0] - b[0]);
    const merged = [];
    for (const r of ranges) {
      const last = merged[merged.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
      else merged.push([Math.max(r[0], from), Math.min(r[1], to)]);
    }
    return merged;
  }

  function isLowSurrogate(u) {
    return u >= 0xdc00 && u <= 0xdfff;
  }

  /* ------------------------------------------------------------------ */
  /* Browser user interface                                               */
  /* ------------------------------------------------------------------ */

  /**
   * A user-interface string of the theme (`i18n/zh-CN.yaml`), which site.js reads from
   * the page (`Jiangtang.t`); the key itself where there is none (as in Node's tests).
   */
  function t(key, values) {
    const J = typeof window === "undefined" ? null : window.Jiangtang;
    return J && J.t ? J.t(key, values) : key;
  }

  const UI = {
    groups: {
      kind: t("search_group_kinds"),
      action: t("search_group_actions"),
      level: t("search_group_levels"),
      domain: t("search_group_domains"),
    },
    loading: t("search_loading"),
    prompt: t("search_prompt"),
    found: (n) => t("search_found", { count: n }),
    partial: t("search_partial"),
    truncated: t("search_truncated"),
    tooLong: t("search_too_long"),
    punctuation: t("search_punctuation"),
    none: (q) => t("search_none", { query: q }),
    tips: t("search_tips").split("|"),
    more: t("search_more"),
    clear: t("search_clear"),
    filters: t("search_filters"),
    fileProtocol: t("search_file_protocol"),
    failed: t("search_failed"),
    unsupported: t("search_unsupported"),
    suggestAll: (q) => t("search_suggest_all", { query: q }),
    suggestLabel: t("search_suggest_label"),
  };

  /** Results shown at first, and added by each press of 显示更多结果. */
  const PAGE_SIZE = 10;
  /** Titles the header box suggests. */
  const MAX_SUGGESTIONS = 6;

  /** The site's base path: `<html data-base>` (or the theme's `data-site-base`). */
  function basePath() {
    const html = document.documentElement;
    let b = html.getAttribute("data-base");
    if (b === null) b = html.getAttribute("data-site-base");
    if (b === null) b = "/";
    if (b !== "" && b.charAt(b.length - 1) !== "/") b += "/";
    return b;
  }

  function pageUrl(base, url) {
    return base + String(url).replace(/^\//, "");
  }

  let sharedEngine = null;

  /** The page's engine, fetching `<base>search/…` over HTTP. */
  function browserEngine() {
    if (!sharedEngine) {
      const base = basePath();
      sharedEngine = createEngine({ load: (path, opts) => fetchIndexFile(`${base}search/${path}`, opts) });
    }
    return sharedEngine;
  }

  /** Fetches one file of the index (see `Engine` for `opts`). */
  async function fetchIndexFile(url, opts) {
    if (opts.build && !opts.fresh) url += `?v=${encodeURIComponent(opts.build)}`;
    const init = { cache: opts.fresh ? "no-cache" : "default", credentials: "same-origin" };
    // A part of a pack; a server that ignores the range sends all of it.
    if (opts.range) init.headers = { Range: `bytes=${opts.range[0]}-${opts.range[0] + opts.range[1] - 1}` };
    const res = await fetch(url, init);
    if (!res.ok) throw makeError("http", `HTTP ${res.status} ${url}`);
    return res.arrayBuffer();
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  /** Appends highlighted parts (`{text, mark}`) to `node` as text and <mark>. */
  function appendParts(node, hl) {
    if (hl.before) node.appendChild(document.createTextNode("…"));
    for (const part of hl.parts) {
      if (part.mark) node.appendChild(el("mark", null, part.text));
      else node.appendChild(document.createTextNode(part.text));
    }
    if (hl.after) node.appendChild(document.createTextNode("…"));
  }

  /**
   * A result's date the Chinese way: a lecture's start ("2026年12月9日 08:30"), else
   * the page's last change, labelled ("更新于 2026年11月25日"). Unreadable: as given.
   */
  function resultDate(d, kind) {
    const m = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}:\d{2}))?/.exec(d);
    if (!m) return d;
    const day = t("date_format", { year: +m[1], month: +m[2], day: +m[3] });
    if (kind === "lecture") return m[4] ? `${day} ${m[4]}` : day;
    return t("search_date_updated", { date: day });
  }

  /** A page kind's badge. */
  function badge(kind, label) {
    return el("span", `search-badge search-badge--${kind}`, label);
  }

  /** A page kind's name, as the index gives it (`kinds.labels`). */
  function kindLabel(entry, kind) {
    const kinds = entry.kinds;
    const i = kinds.values.indexOf(kind);
    return (kinds.labels && kinds.labels[i]) || kind;
  }

  function errorMessage(err) {
    if (location.protocol === "file:") return UI.fileProtocol;
    if (err && err.code === "unsupported") return UI.unsupported;
    return UI.failed;
  }

  function debounce(fn, ms) {
    let timer = null;
    return (...args) => {
      clearTimeout(timer);
      timer = setTimeout(() => fn(...args), ms);
    };
  }

  function noFilters() {
    return { kinds: [], actions: [], levels: [], domains: [] };
  }

  /** The search page: live results, filters, keyboard navigation. */
  class SearchPage {
    constructor(container, inputs) {
      this.box = container;
      this.inputs = inputs;
      this.input = inputs[inputs.length - 1];
      this.engine = browserEngine();
      this.base = basePath();
      this.seq = 0;
      this.filters = noFilters();
      this.result = null;
      this.shown = 0;
      this.build();
      this.listen();
      this.start();
    }

    build() {
      // The links the page offers without JavaScript (a <noscript>, whose content
      // reads as text here), kept for when search cannot run in this browser.
      const noscript = this.box.querySelector("noscript");
      this.browseHtml = noscript ? noscript.textContent : "";
      // The status line below is the live region; the rest need not be read out.
      this.box.textContent = "";
      this.box.removeAttribute("aria-live");
      this.status = el("p", "search-status");
      this.status.setAttribute("role", "status");
      this.status.setAttribute("aria-live", "polite");
      this.notes = el("div", "search-notes");
      // On a phone the filters fold away, so that the first result is on the first
      // screen; a wider screen shows them open.
      this.filterBox = el("details", "search-filters");
      this.filterBox.appendChild(el("summary", "search-filters__toggle", UI.filters));
      this.filterBox.open = !window.matchMedia || window.matchMedia("(min-width: 40em)").matches;
      this.filterBody = el("div", "search-filters__body");
      this.filterBox.appendChild(this.filterBody);
      this.list = el("ol", "search-results__list");
      this.moreButton = el("button", "search-more", UI.more);
      this.moreButton.type = "button";
      this.moreButton.hidden = true;
      this.box.appendChild(this.status);
      this.box.appendChild(this.notes);
      this.box.appendChild(this.filterBox);
      this.box.appendChild(this.list);
      this.box.appendChild(this.moreButton);
    }

    /** Where search cannot run: the status says why, and the sections to browse follow. */
    showBrowse() {
      if (this.browsing || !this.browseHtml) return;
      const tpl = document.createElement("template");
      tpl.innerHTML = this.browseHtml;
      for (const note of tpl.content.querySelectorAll(".notice")) note.remove();
      const browse = el("div", "search-browse");
      browse.appendChild(tpl.content);
      this.box.insertBefore(browse, this.notes);
      this.browsing = true;
    }

    listen() {
      const run = debounce(() => this.run(), 150);
      for (const input of this.inputs) {
        if (input.form) {
          input.form.addEventListener("submit", (ev) => {
            ev.preventDefault();
            this.syncFrom(input);
            this.run();
          });
        }
        input.addEventListener("input", () => {
          this.syncFrom(input);
          run();
        });
        input.addEventListener("keydown", (ev) => {
          if (ev.key === "ArrowDown") {
            ev.preventDefault();
            this.focusResult(0);
          }
        });
      }
      this.list.addEventListener("keydown", (ev) => this.onListKey(ev));
      this.moreButton.addEventListener("click", () => this.showMore());
    }

    /** Searches for the query in the address (`?q=`), if any. */
    start() {
      const q = new URLSearchParams(location.search).get("q") || "";
      for (const input of this.inputs) input.value = q;
      if (location.protocol === "file:") {
        this.setStatus(UI.fileProtocol, true);
        this.showBrowse();
      } else if (q) {
        this.run();
      } else {
        this.setStatus(UI.prompt);
        this.input.focus();
      }
    }

    syncFrom(source) {
      this.input = source;
      for (const input of this.inputs) {
        if (input !== source) input.value = source.value;
      }
    }

    setStatus(text, isError) {
      this.status.textContent = text;
      this.status.className = `search-status${isError ? " search-status--error" : ""}`;
    }

    /** Searches for the box's text; an answer to an older query (`seq`) is dropped. */
    async run() {
      const q = this.input.value.trim();
      const seq = ++this.seq;
      const url = new URL(location.href);
      if (q) url.searchParams.set("q", q);
      else url.searchParams.delete("q");
      history.replaceState(history.state, "", url.pathname + url.search + url.hash);
      if (!q) {
        this.clear();
        this.setStatus(UI.prompt);
        return;
      }
      if (!this.engine.entry) this.setStatus(UI.loading);
      try {
        const result = await this.engine.search(q, this.filters);
        if (seq === this.seq) await this.render(q, result);
      } catch (err) {
        if (seq !== this.seq) return;
        this.clear();
        this.setStatus(errorMessage(err), true);
        this.showBrowse();
        if (typeof console !== "undefined") console.error("jiangtang search:", err);
      }
    }

    /** Shows a new result: notes, filters, and its first page of results. */
    render(q, result) {
      this.result = result;
      this.shown = 0;
      this.list.textContent = "";
      this.renderNotes(result);
      this.renderFilters(result);
      if (result.plan.slots.length === 0) {
        this.setStatus(UI.punctuation);
        this.moreButton.hidden = true;
        return null;
      }
      if (result.total === 0) {
        this.renderEmpty(q);
        this.moreButton.hidden = true;
        return null;
      }
      this.setStatus(UI.found(result.total));
      return this.showMore();
    }

    clear() {
      this.list.textContent = "";
      this.notes.textContent = "";
      this.filterBox.textContent = "";
      this.moreButton.hidden = true;
    }

    renderNotes(result) {
      this.notes.textContent = "";
      const notes = [];
      if (result.partial) notes.push(UI.partial);
      if (result.truncated) notes.push(UI.truncated);
      if (result.tooLong) notes.push(UI.tooLong);
      for (const n of notes) this.notes.appendChild(el("p", "search-note", n));
    }

    renderEmpty(q) {
      this.setStatus(UI.none(q));
      const tips = el("ul", "search-tips");
      for (const t of UI.tips) tips.appendChild(el("li", null, t));
      this.notes.appendChild(tips);
    }

    /** The filter groups: the name in `result.counts`, the key in `filters`, the values. */
    filterGroups() {
      const e = this.engine.entry;
      return [
        { name: "kind", key: "kinds", values: e.kinds.values },
        { name: "action", key: "actions", values: e.actions.values },
        { name: "level", key: "levels", values: e.levels.values },
        { name: "domain", key: "domains", values: e.domains.values },
      ];
    }

    /** Filter groups as checkboxes with counts; a change re-runs the query. */
    renderFilters(result) {
      const box = this.filterBody;
      // A reader who just toggled a filter keeps the focus on it (or on the nearest
      // control) although the controls are drawn anew.
      const had = document.activeElement;
      const focusKey = had && box.contains(had) ? had.getAttribute("data-filter") || "clear" : null;
      box.textContent = "";
      const groups = this.filterGroups();
      let any = false;
      for (const group of groups) {
        const fieldset = this.filterFieldset(group, result);
        if (!fieldset) continue;
        any = true;
        box.appendChild(fieldset);
      }
      let clear = null;
      const active = groups.some((g) => this.filters[g.key].length > 0);
      if (active) {
        clear = el("button", "search-filter__clear", UI.clear);
        clear.type = "button";
        clear.addEventListener("click", () => {
          this.filters = noFilters();
          this.run();
        });
        box.appendChild(clear);
      }
      this.filterBox.hidden = !any && !active;
      if (active) this.filterBox.open = true;
      if (focusKey) {
        const again = focusKey === "clear" ? clear
          : Array.from(box.querySelectorAll("input[data-filter]")).find((c) => c.getAttribute("data-filter") === focusKey);
        (again || box.querySelector("input") || this.input).focus();
      }
    }

    /** One group's checkboxes, or null when the group would filter nothing. */
    filterFieldset(group, result) {
      const counts = result.counts[group.name];
      const chosen = this.filters[group.key];
      const values = group.values.filter((v) => counts[v] || chosen.indexOf(v) >= 0);
      // A group whose only value covers every result would filter nothing.
      const useless = values.length === 1 && chosen.length === 0 && counts[values[0]] === result.total;
      if (values.length === 0 || useless) return null;
      const fieldset = el("fieldset", `search-filter search-filter--${group.name}`);
      fieldset.appendChild(el("legend", null, UI.groups[group.name]));
      for (const v of values) fieldset.appendChild(this.filterOption(group, v, counts[v] || 0));
      return fieldset;
    }

    /** A value of a group as a labelled checkbox with its count. */
    filterOption(group, value, count) {
      const label = el("label", "search-filter__option");
      const box = document.createElement("input");
      box.type = "checkbox";
      box.value = value;
      box.setAttribute("data-filter", `${group.name}:${value}`);
      box.checked = this.filters[group.key].indexOf(value) >= 0;
      box.addEventListener("change", () => {
        const list = this.filters[group.key];
        const i = list.indexOf(value);
        if (box.checked && i < 0) list.push(value);
        if (!box.checked && i >= 0) list.splice(i, 1);
        this.run();
      });
      const name = group.name === "kind" ? kindLabel(this.engine.entry, value) : value;
      label.appendChild(box);
      label.appendChild(document.createTextNode(` ${name} `));
      label.appendChild(el("span", "search-filter__count", String(count)));
      return label;
    }

    /** Renders the next PAGE_SIZE results: titles first, excerpts as they arrive. */
    async showMore() {
      const result = this.result;
      const seq = this.seq;
      const from = this.shown;
      const slice = result.results.slice(from, from + PAGE_SIZE);
      this.shown = from + slice.length;
      this.moreButton.hidden = this.shown >= result.total;
      const metas = await Promise.all(slice.map((r) => this.engine.meta(r.id)));
      if (seq !== this.seq) return null;
      const items = metas.map((m, i) => this.renderItem(m, slice[i].id, result.plan));
      // A result whose title or breadcrumb holds the phrase marks nothing less in its excerpt.
      const plans = metas.map((m) => phraseIn([m.t].concat(m.b || []).join(" "), result.plan)
        ? Object.assign(Object.create(result.plan), { phraseOnly: true }) : result.plan);
      return Promise.all(items.map((item, i) => this.engine.excerpt(slice[i].id, plans[i], 120).then(
        (hl) => {
          if (seq === this.seq) appendParts(item, hl);
        },
        () => { /* an excerpt that fails to load is left out */ })));
    }

    /** Adds one result (badge, breadcrumb, date, title); returns its empty excerpt. */
    renderItem(m, id, p) {
      const li = el("li", "search-result");
      li.setAttribute("data-id", String(id));
      const head = el("div", "search-result__meta");
      const label = kindLabel(this.engine.entry, m.k);
      head.appendChild(badge(m.k, label));
      // The breadcrumb, less a first element that only repeats the badge (案例 …).
      const crumbs = (m.b || []).filter((c, i) => !(i === 0 && c === label));
      // Marked too: a lesson may be found by its course's name alone.
      if (crumbs.length) appendParts(head.appendChild(el("span", "search-result__crumbs")), highlight(crumbs.join(" › "), p, 0));
      if (m.d) head.appendChild(el("span", "search-result__date", resultDate(m.d, m.k)));
      li.appendChild(head);
      const a = el("a", "search-result__title");
      a.href = pageUrl(this.base, m.u);
      appendParts(a, highlight(m.t, p, 0));
      li.appendChild(a);
      const excerpt = el("p", "search-result__excerpt");
      li.appendChild(excerpt);
      this.list.appendChild(li);
      return excerpt;
    }

    links() {
      return Array.from(this.list.querySelectorAll("a.search-result__title"));
    }

    focusResult(i) {
      const links = this.links();
      if (links.length === 0) return;
      links[Math.max(0, Math.min(i, links.length - 1))].focus();
    }

    onListKey(ev) {
      const links = this.links();
      const i = links.indexOf(document.activeElement);
      if (i < 0) return;
      if (ev.key === "ArrowDown") {
        ev.preventDefault();
        if (i + 1 < links.length) links[i + 1].focus();
        else if (!this.moreButton.hidden) this.moreButton.focus();
      } else if (ev.key === "ArrowUp") {
        ev.preventDefault();
        if (i > 0) links[i - 1].focus();
        else this.input.focus();
      } else if (ev.key === "Escape") {
        this.input.focus();
      }
      // Enter follows the focused link natively.
    }
  }

  /** Type-ahead under a header box: up to MAX_SUGGESTIONS titles, ↑/↓/Enter/Escape. */
  class Suggest {
    constructor(input) {
      this.input = input;
      this.engine = browserEngine();
      this.base = basePath();
      this.seq = 0;
      this.active = -1;
      this.items = [];
      this.box = el("ul", "search-suggest");
      this.box.setAttribute("role", "listbox");
      this.box.setAttribute("aria-label", UI.suggestLabel);
      this.box.id = `search-suggest-${Math.random().toString(36).slice(2)}`;
      this.box.hidden = true;
      // The ARIA 1.2 combobox: the box keeps focus, aria-activedescendant names the option.
      input.setAttribute("role", "combobox");
      input.setAttribute("aria-expanded", "false");
      input.setAttribute("autocomplete", "off");
      input.setAttribute("aria-controls", this.box.id);
      input.setAttribute("aria-autocomplete", "list");
      // Placed at the end of the form; the theme positions it (see .search-suggest).
      (input.form || input.parentNode).appendChild(this.box);
      this.listen();
    }

    listen() {
      // Options are not links (nothing focusable may sit inside an option): a press
      // keeps the focus in the box, a click opens the option's page.
      this.box.addEventListener("mousedown", (ev) => ev.preventDefault());
      this.box.addEventListener("click", (ev) => {
        const item = ev.target.closest("[data-href]");
        if (item) location.href = item.getAttribute("data-href");
      });
      this.input.addEventListener("input", debounce(() => this.update(), 200));
      this.input.addEventListener("keydown", (ev) => this.onKey(ev));
      this.input.addEventListener("blur", () => {
        setTimeout(() => this.close(), 150);
      });
    }

    close() {
      this.box.hidden = true;
      this.input.setAttribute("aria-expanded", "false");
      this.active = -1;
      this.input.removeAttribute("aria-activedescendant");
    }

    /** Suggests titles for the box's text (two characters or more). */
    async update() {
      const q = this.input.value.trim();
      const seq = ++this.seq;
      if (Array.from(q).length < 2 || location.protocol === "file:") {
        this.close();
        return;
      }
      try {
        const result = await this.engine.search(q, {});
        const top = result.results.slice(0, MAX_SUGGESTIONS);
        const metas = await Promise.all(top.map((r) => this.engine.meta(r.id)));
        if (seq === this.seq) this.render(q, result, metas);
      } catch {
        this.close();
      }
    }

    render(q, result, metas) {
      this.box.textContent = "";
      this.items = [];
      this.active = -1;
      metas.forEach((m, i) => {
        const title = el("span", "search-suggest__link");
        appendParts(title, highlight(m.t, result.plan, 0));
        this.addItem("search-suggest__item", `${this.box.id}-${i}`, pageUrl(this.base, m.u), [badge(m.k, kindLabel(this.engine.entry, m.k)), title]);
      });
      if (result.total > metas.length || metas.length === 0) {
        const text = metas.length ? UI.suggestAll(q) : UI.none(q);
        this.addItem("search-suggest__item search-suggest__all", `${this.box.id}-all`,
          `${pageUrl(this.base, "search/")}?q=${encodeURIComponent(q)}`, [el("span", "search-suggest__link", text)]);
      }
      this.box.hidden = this.items.length === 0;
      this.input.setAttribute("aria-expanded", this.box.hidden ? "false" : "true");
    }

    /** Adds an option that opens `href`. */
    addItem(className, id, href, children) {
      const li = el("li", className);
      li.id = id;
      li.setAttribute("role", "option");
      li.setAttribute("data-href", href);
      for (const child of children) li.appendChild(child);
      this.box.appendChild(li);
      this.items.push(li);
    }

    onKey(ev) {
      if (this.box.hidden) return;
      if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
        ev.preventDefault();
        this.move(ev.key === "ArrowDown" ? 1 : -1);
      } else if (ev.key === "Enter" && this.active >= 0) {
        ev.preventDefault();
        location.href = this.items[this.active].getAttribute("data-href");
      } else if (ev.key === "Escape") {
        this.close();
      }
    }

    /** Moves the active option by `step`, cycling through the options and back to the input (-1). */
    move(step) {
      const n = this.items.length;
      let next = this.active + step;
      if (next >= n) next = -1;
      else if (next < -1) next = n - 1;
      this.active = next;
      this.items.forEach((li, i) => {
        li.setAttribute("aria-selected", i === next ? "true" : "false");
      });
      if (next >= 0) this.input.setAttribute("aria-activedescendant", this.items[next].id);
      else this.input.removeAttribute("aria-activedescendant");
    }
  }

  /** Wires the page: the search page if it has #search-results, else type-ahead. */
  function startUi() {
    const inputs = Array.from(document.querySelectorAll('form[role="search"] input[name="q"]'));
    const container = document.getElementById("search-results");
    if (container) {
      // The page's own box (the theme's #search-page-q) is the main one.
      const own = document.getElementById("search-page-q") || document.getElementById("search-input");
      if (own && inputs.indexOf(own) >= 0) {
        inputs.splice(inputs.indexOf(own), 1);
        inputs.push(own);
      }
      if (inputs.length === 0) return;
      new SearchPage(container, inputs); // eslint-disable-line no-new
      return;
    }
    for (const input of inputs) {
      if (input.getAttribute("data-suggest") !== "off") new Suggest(input); // eslint-disable-line no-new
    }
  }

  const api = {
    INDEX_FORMAT,
    setFoldTable,
    normalize,
    tokenize,
    plan,
    isCjk,
    cmpCp,
    gunzip,
    highlight,
    createEngine,
    startUi,
    MAX_WORD_CHARS,
    MAX_SLOTS,
  };

  // Node (tests, benchmarks) loads this file with require(); a page, as a classic script.
  if (typeof module === "object" && module && module.exports) module.exports = api;
  if (typeof window !== "undefined") {
    window.JiangtangSearch = api;
    if (typeof document !== "undefined") {
      if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", startUi);
      else startUi();
    }
  }
})();
