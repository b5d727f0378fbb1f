/*
 * jiangtang site search — the browser client of the static index written by
 * `src/search/` (Rust). One plain file, no dependencies, no build step, ES2019
 * (Chromium 87). It works in two places:
 *
 *   - in the browser, loaded as a classic `<script defer>`: it finds the site's
 *     base path in `<html data-base="/training/">` (or `data-site-base`), fetches
 *     `<base>search/…`, and
 *     drives the search page (`<div id="search-results">`) and the header boxes
 *     (`<form role="search"><input name="q">`);
 *   - in Node ≥ 20, via `require()`: `createEngine({load})` takes a loader that
 *     returns the bytes of a file of the index (tests read them from disk).
 *
 * The tokeniser below is a line-for-line port of `src/search/tokenizer.rs`;
 * `tests/search_cases.json` keeps the two in agreement.
 */
(function (root, factory) {
  'use strict';
  var api = factory();
  if (typeof module === 'object' && module && module.exports) {
    module.exports = api;
  }
  if (root) {
    root.JiangtangSearch = api;
  }
  if (typeof document !== 'undefined' && typeof window !== 'undefined') {
    if (document.readyState === 'loading') {
      document.addEventListener('DOMContentLoaded', api.startUi);
    } else {
      api.startUi();
    }
  }
})(typeof window !== 'undefined' ? window : null, function () {
  'use strict';

  /* ------------------------------------------------------------------ */
  /* Normalisation: NFC, then per character NFKC, lowercase, and          */
  /* traditional → simplified folding (OpenCC TSCharacters, Apache-2.0).  */
  /* ------------------------------------------------------------------ */

  /**
   * Fold table: code point → code point. Empty until the whole table is loaded
   * (`setFoldTable`) or parts of it, the index's fold files, as texts need them.
   */
  var foldMap = new Map();
  var foldLoaded = false;
  var foldParts = new Set();

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
    var map = foldMap;
    var cps = [];
    var lines = text.split('\n');
    for (var i = 0; i < lines.length; i++) {
      var line = lines[i];
      if (line.charAt(0) === '#') continue;
      for (var j = 0; j < line.length; j++) {
        var cp = line.codePointAt(j);
        if (cp > 0xffff) j++;
        if (cp !== 9 && cp !== 13 && cp !== 32) cps.push(cp);
      }
    }
    for (var k = 0; k + 1 < cps.length; k += 2) map.set(cps[k], cps[k + 1]);
  }

  function foldCp(cp) {
    if (cp < 0x3400) return cp;
    var to = foldMap.get(cp);
    return to === undefined ? cp : to;
  }

  /** Letters and digits of any script (Unicode Alphabetic or Number). */
  var WORD_RE = /[\p{Alphabetic}\p{N}]/u;

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

  /** Appends the normalised code points of one input code point to `out`. */
  function normalizeCp(cp, out) {
    if (cp < 0x80) {
      out.push(cp >= 65 && cp <= 90 ? cp + 32 : cp);
    } else if ((cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0x4e00 && cp <= 0x9fff)) {
      out.push(foldCp(cp));
    } else if (!isIgnorable(cp)) {
      var nfkc = String.fromCodePoint(cp).normalize('NFKC');
      for (var i = 0; i < nfkc.length; i++) {
        var c = nfkc.codePointAt(i);
        if (c > 0xffff) i++;
        // Lowercase one code point at a time, like Rust's char::to_lowercase.
        var lower = String.fromCodePoint(c).toLowerCase();
        for (var j = 0; j < lower.length; j++) {
          var l = lower.codePointAt(j);
          if (l > 0xffff) j++;
          out.push(foldCp(l));
        }
      }
    }
  }

  /** The normalised text (what the tokeniser splits). */
  function normalize(text) {
    var s = String(text).normalize('NFC');
    var out = [];
    for (var i = 0; i < s.length; i++) {
      var cp = s.codePointAt(i);
      if (cp > 0xffff) i++;
      normalizeCp(cp, out);
    }
    var parts = [];
    for (var k = 0; k < out.length; k += 4096) {
      parts.push(String.fromCodePoint.apply(null, out.slice(k, k + 4096)));
    }
    return parts.join('');
  }

  /* ------------------------------------------------------------------ */
  /* Tokeniser                                                            */
  /* ------------------------------------------------------------------ */

  /** Longest word kept, in characters (Rust: MAX_WORD_CHARS). */
  var MAX_WORD_CHARS = 32;

  /**
   * Splits `text` by script. Han/kana runs give overlapping bigrams ('b') and a
   * tail ('t', the run's last character) or, for a one-character run, a single
   * ('s'); letters and digits give words ('w'). Tokens are numbered 0, 1, 2 …
   * (`pos`); `start`/`end` are UTF-16 offsets into `text.normalize('NFC')`, and
   * `end1` is where the token's first character ends (for marking prefixes).
   */
  function tokenize(text) {
    var s = String(text).normalize('NFC');
    var tokens = [];
    var pos = 0;
    var run = []; // {c, start, end}
    var word = [];
    var wordStart = 0;
    var wordEnd = 0;
    var buf = [];

    function push(t, kind, start, end, end1) {
      tokens.push({ text: t, pos: pos, kind: kind, start: start, end: end, end1: end1 });
      pos++;
    }
    function flushRun() {
      var n = run.length;
      if (n === 1) {
        push(String.fromCodePoint(run[0].c), 's', run[0].start, run[0].end, run[0].end);
      } else if (n > 1) {
        for (var i = 0; i + 1 < n; i++) {
          push(String.fromCodePoint(run[i].c, run[i + 1].c), 'b', run[i].start, run[i + 1].end, run[i].end);
        }
        push(String.fromCodePoint(run[n - 1].c), 't', run[n - 1].start, run[n - 1].end, run[n - 1].end);
      }
      run = [];
    }
    function flushWord() {
      if (word.length > 0) {
        push(String.fromCodePoint.apply(null, word), 'w', wordStart, wordEnd, wordEnd);
        word = [];
      }
    }

    for (var i = 0; i < s.length; i++) {
      var start = i;
      var cp = s.codePointAt(i);
      if (cp > 0xffff) i++;
      var end = i + 1;
      buf.length = 0;
      normalizeCp(cp, buf);
      for (var k = 0; k < buf.length; k++) {
        var c = buf[k];
        if (isCjk(c)) {
          flushWord();
          run.push({ c: c, start: start, end: end });
        } else if (isWordCp(c)) {
          flushRun();
          if (word.length === 0) wordStart = start;
          if (word.length < MAX_WORD_CHARS) word.push(c);
          wordEnd = end;
        } else {
          flushRun();
          flushWord();
        }
      }
    }
    flushRun();
    flushWord();
    return tokens;
  }

  /* ------------------------------------------------------------------ */
  /* Query plan                                                           */
  /* ------------------------------------------------------------------ */

  /** Most query slots used; the rest of a very long query is ignored. */
  var MAX_SLOTS = 16;

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
    var tokens = tokenize(query);
    var slots = [];
    var truncated = false;
    // Within a Han run, every other bigram (and the last) already spells out the
    // run: 人民代表大会 needs 人民, 代表, 大会 at offsets 0, 2, 4, not all five.
    // Fewer terms to fetch; the phrase check stays exact.
    var skip = new Array(tokens.length);
    for (var r = 0; r < tokens.length;) {
      if (tokens[r].kind !== 'b') {
        r++;
        continue;
      }
      var end = r;
      while (end < tokens.length && tokens[end].kind === 'b') end++;
      for (var k = r; k < end; k++) skip[k] = (k - r) % 2 === 1 && k !== end - 1;
      r = end;
    }
    for (var i = 0; i < tokens.length; i++) {
      var t = tokens[i];
      var next = tokens[i + 1];
      var slot = null;
      if (t.kind === 'b') {
        if (!skip[i]) slot = { term: t.text, prefix: false, pos: t.pos };
      } else if (t.kind === 't' || t.kind === 's') {
        // A lone character is spelled by the junction before it, if any.
        var covered = t.kind === 's' && i > 0 && (tokens[i - 1].kind === 't' || tokens[i - 1].kind === 's');
        // A junction where it replaces a prefix lookup: of this character, or
        // of a lone character after it. A run's last character before a bigram
        // or a word needs nothing: the next slot's position pins it.
        if (next && (next.kind === 's' || (t.kind === 's' && !covered))) {
          slot = { term: t.text, prefix: true, pos: t.pos, junction: String.fromCodePoint(next.text.codePointAt(0)) };
        } else if (t.kind === 's' && !covered) {
          slot = { term: t.text, prefix: true, pos: t.pos };
        }
      } else {
        slot = { term: t.text, prefix: true, pos: t.pos };
      }
      if (!slot) continue;
      if (slots.length === MAX_SLOTS) {
        truncated = true;
        break;
      }
      slots.push(slot);
    }
    var base = slots.length ? slots[0].pos : 0;
    var last = slots.length ? slots[slots.length - 1].pos : 0;
    for (var j = 0; j < slots.length; j++) {
      var sj = slots[j];
      sj.offset = sj.pos - base;
      sj.key = sj.junction ? '~' + sj.term + sj.junction : (sj.prefix ? '*' : '=') + sj.term;
    }
    var span = truncated ? last - base + 1 : (tokens.length ? tokens[tokens.length - 1].pos + 1 - base : 0);
    // Pages whose body holds the best match: page id → body token position.
    return { slots: slots, span: span, truncated: truncated, tokens: tokens, at: new Map() };
  }

  /* ------------------------------------------------------------------ */
  /* Bytes: gzip, varints, term order                                     */
  /* ------------------------------------------------------------------ */

  /** Un-gzips `bytes` (a Uint8Array) unless a server already did. */
  function gunzip(bytes) {
    if (!(bytes.length > 2 && bytes[0] === 0x1f && bytes[1] === 0x8b)) {
      return Promise.resolve(bytes);
    }
    if (typeof DecompressionStream === 'undefined') {
      return Promise.reject(makeError('unsupported', 'DecompressionStream is not available'));
    }
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Response(stream).arrayBuffer().then(function (buf) {
      return new Uint8Array(buf);
    });
  }

  function makeError(code, message) {
    var e = new Error(message);
    e.code = code;
    return e;
  }

  var utf8 = new TextDecoder('utf-8');

  /** Reads LEB128 varints from a Uint8Array. */
  function Reader(bytes, pos) {
    this.b = bytes;
    this.p = pos || 0;
  }
  Reader.prototype.u = function () {
    var b = this.b;
    var x = b[this.p++];
    if (x < 0x80) return x;
    var v = x & 0x7f;
    var shift = 7;
    for (;;) {
      x = b[this.p++];
      v += (x & 0x7f) * Math.pow(2, shift);
      if (x < 0x80) return v;
      shift += 7;
    }
  };

  /** Compares two strings by code point (the order of the Rust writer). */
  function cmpCp(a, b) {
    var n = Math.min(a.length, b.length);
    for (var i = 0; i < n; i++) {
      var x = a.charCodeAt(i);
      var y = b.charCodeAt(i);
      if (x !== y) {
        // Surrogates (D800–DFFF) stand for code points above FFFF.
        if (x >= 0xd800 && y >= 0xd800) {
          var xs = x <= 0xdfff;
          var ys = y <= 0xdfff;
          if (xs !== ys) return xs ? 1 : -1;
        }
        return x < y ? -1 : 1;
      }
    }
    return a.length - b.length;
  }

  /** Largest i with list[i] <= key, or -1. */
  function floorIndex(list, key) {
    var lo = 0;
    var hi = list.length - 1;
    var ans = -1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
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
    var lo = 0;
    var hi = list.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (cmpCp(list[mid], key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * A term chunk: the term directory is read at once, postings on demand. Terms
   * are front-coded: `varint shared, varint rest, rest bytes` (the first `shared`
   * UTF-8 bytes are those of the term before).
   */
  function parseChunk(bytes) {
    var r = new Reader(bytes, 0);
    var n = r.u();
    var terms = new Array(n);
    var df = new Int32Array(n);
    var off = new Int32Array(n);
    var len = new Int32Array(n);
    var term = new Uint8Array(64);
    for (var i = 0; i < n; i++) {
      var shared = r.u();
      var rest = r.u();
      if (shared + rest > term.length) {
        var grown = new Uint8Array(2 * (shared + rest));
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
    return { bytes: bytes, terms: terms, df: df, off: off, len: len, cache: new Map() };
  }

  /**
   * Postings of term `i` of a chunk: `docs` (ascending ids), and for doc k its
   * positions `pos[ps[k] … ps[k+1])`. Per page: `varint (Δid × 2 + m)`, when m
   * is 1 `varint n` (else n = 1), then n position deltas.
   */
  function postingsOf(chunk, i) {
    var hit = chunk.cache.get(i);
    if (hit) return hit;
    var n = chunk.df[i];
    var r = new Reader(chunk.bytes, chunk.off[i]);
    var docs = new Int32Array(n);
    var ps = new Int32Array(n + 1);
    var pos = new Int32Array(chunk.len[i]); // never more positions than bytes
    var doc = 0;
    var np = 0;
    for (var k = 0; k < n; k++) {
      // Page delta × 2, plus 1 when a count of positions follows (else one).
      var d = r.u();
      var more = d % 2;
      doc += (d - more) / 2;
      docs[k] = doc;
      ps[k] = np;
      var m = more ? r.u() : 1;
      var p = 0;
      for (var j = 0; j < m; j++) {
        p += r.u();
        pos[np++] = p;
      }
    }
    ps[n] = np;
    var list = { docs: docs, ps: ps, pos: pos.subarray(0, np) };
    chunk.cache.set(i, list);
    return list;
  }

  var EMPTY_LIST = { docs: new Int32Array(0), ps: new Int32Array(1), pos: new Int32Array(0) };

  /**
   * The page set of one character (term `X\u0001`, written for characters with
   * many terms) as a posting list without positions. Payload: 0 and page
   * deltas, or 1 and a bitmap of all pages.
   */
  function pageSetOf(chunk, i) {
    var b = chunk.bytes;
    var off = chunk.off[i];
    var end = off + chunk.len[i];
    var docs = new Int32Array(chunk.df[i]);
    var n = 0;
    if (b[off] === 1) {
      for (var j = off + 1; j < end && n < docs.length; j++) {
        for (var k = 0; k < 8; k++) if (b[j] & (1 << k)) docs[n++] = (j - off - 1) * 8 + k;
      }
    } else {
      var r = new Reader(b, off + 1);
      var doc = 0;
      while (r.p < end && n < docs.length) {
        doc += r.u();
        docs[n++] = doc;
      }
    }
    return { docs: docs.subarray(0, n), ps: new Int32Array(n + 1), pos: new Int32Array(0) };
  }

  /** Union of posting lists (prefix lookups): positions merged per page. */
  function unionLists(lists) {
    if (lists.length === 0) return EMPTY_LIST;
    if (lists.length === 1) return lists[0];
    // One sort key per (list, page): page * 2^21 + entry number, sorted natively.
    var total = 0;
    var npos = 0;
    var i;
    for (i = 0; i < lists.length; i++) {
      total += lists[i].docs.length;
      npos += lists[i].pos.length;
    }
    var keys = new Float64Array(total);
    var fromList = new Int32Array(total);
    var fromIdx = new Int32Array(total);
    var e = 0;
    for (i = 0; i < lists.length; i++) {
      var l = lists[i];
      for (var k = 0; k < l.docs.length; k++) {
        keys[e] = l.docs[k] * 2097152 + e;
        fromList[e] = i;
        fromIdx[e] = k;
        e++;
      }
    }
    keys.sort();
    var docs = new Int32Array(total);
    var ps = new Int32Array(total + 1);
    var pos = new Int32Array(npos);
    var nd = -1;
    var np = 0;
    var segStart = 0;
    var segs = 0;
    for (var x = 0; x < total; x++) {
      var entry = keys[x] % 2097152;
      var doc = (keys[x] - entry) / 2097152;
      if (nd < 0 || docs[nd] !== doc) {
        if (segs > 1) pos.subarray(segStart, np).sort();
        nd++;
        docs[nd] = doc;
        ps[nd] = np;
        segStart = np;
        segs = 0;
      }
      var src = lists[fromList[entry]];
      var j = fromIdx[entry];
      pos.set(src.pos.subarray(src.ps[j], src.ps[j + 1]), np);
      np += src.ps[j + 1] - src.ps[j];
      segs++;
    }
    if (segs > 1) pos.subarray(segStart, np).sort();
    nd++;
    ps[nd] = np;
    return { docs: docs.subarray(0, nd), ps: ps.subarray(0, nd + 1), pos: pos };
  }

  /** Index of `doc` in sorted `docs` from `from`, or -1 (galloping search). */
  function seek(docs, doc, from) {
    var lo = from;
    var step = 1;
    var hi = from;
    while (hi < docs.length && docs[hi] < doc) {
      lo = hi + 1;
      hi += step;
      step *= 2;
    }
    if (hi >= docs.length) hi = docs.length - 1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (docs[mid] < doc) lo = mid + 1;
      else if (docs[mid] > doc) hi = mid - 1;
      else return mid;
    }
    return -(lo + 1);
  }

  /* ------------------------------------------------------------------ */
  /* Ranking constants                                                    */
  /* ------------------------------------------------------------------ */

  var K1 = 1.2;
  var B = 0.75;
  /** Field weights: a match in the title counts as this many body matches. */
  var W_TITLE = 8;
  var W_META = 1.5;
  var W_HEAD = 2.5;
  /** Score multiplier per share of the query found as one phrase. */
  var PHRASE_BONUS = 1.0;
  /** Extra multiplier when the whole query is a phrase of the title. */
  var TITLE_PHRASE_BONUS = 1.0;
  /**
   * Chunks fetched at most for one prefix lookup (one character, a short word):
   * few when the query is that one slot (someone still typing), more when it is
   * one of several (a word, or a character after a word), where a cut list
   * would lose pages that have every part of the query. A character whose
   * terms fill more than about two chunks also has its page set in the first
   * chunk (the writer adds it), so a cut lookup still lists every page.
   */
  var MAX_PREFIX_CHUNKS = 4;
  var MAX_PREFIX_CHUNKS_IN_PHRASE = 8;

  /* ------------------------------------------------------------------ */
  /* Engine                                                               */
  /* ------------------------------------------------------------------ */

  /**
   * A search engine over one index. `options.load(path)` returns (a promise of)
   * the raw bytes of `search/<path>` as a Uint8Array or ArrayBuffer; the first
   * call asks for `index.json.gz` with `{fresh: true}` (the browser revalidates
   * it), later calls carry the build id as `options.build` for cache busting.
   */
  function Engine(options) {
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
  Engine.prototype.file = function (path, fresh, range) {
    var self = this;
    var key = range ? path + '@' + range[0] : path;
    var hit = this.files.get(key);
    if (hit) return hit;
    var opts = { fresh: !!fresh, build: this.entry ? this.entry.build : '' };
    if (range) opts.range = range;
    var p = Promise.resolve(this.loadRaw(path, opts))
      .then(function (raw) {
        var bytes = raw instanceof Uint8Array ? raw : new Uint8Array(raw);
        self.stats.bytes += bytes.length;
        self.stats.files += 1;
        // The whole pack (the server ignored the range): cut the member out. Other
        // lengths are a member that the server un-gzipped itself (gunzip passes it).
        var whole = range && bytes.length !== range[1] && bytes.length >= range[0] + range[1] &&
          bytes[range[0]] === 0x1f && bytes[range[0] + 1] === 0x8b;
        if (whole) bytes = bytes.subarray(range[0], range[0] + range[1]);
        return gunzip(bytes);
      });
    p.catch(function () {
      self.files.delete(key); // let a later search retry
    });
    this.files.set(key, p);
    return p;
  };

  Engine.prototype.json = function (path, fresh, range) {
    return this.file(path, fresh, range).then(function (bytes) {
      return JSON.parse(utf8.decode(bytes));
    });
  };

  /** Loads the entry file and the per-page columns. */
  Engine.prototype.init = function () {
    var self = this;
    if (this.ready) return this.ready;
    this.ready = this.json('index.json.gz', true).then(function (entry) {
      if (entry.format !== 4) throw makeError('format', 'unknown index format ' + entry.format);
      self.entry = entry;
      var fold = entry.fold;
      var bits = typeof atob === 'function' ? atob(fold.bits) : Buffer.from(fold.bits, 'base64').toString('binary');
      var arr = new Uint8Array(bits.length);
      for (var i = 0; i < bits.length; i++) arr[i] = bits.charCodeAt(i);
      self.foldBits = arr;
      self.foldExtra = new Set(Array.from(fold.extra || '').map(function (c) { return c.codePointAt(0); }));
      if (entry.delta) self.delta = deltaEngine(self.loadRaw, entry.delta.dir);
      return Promise.all([self.file('docs.bin.gz'), self.delta ? self.delta.init() : null]);
    }).then(function (got) {
      var cols = got[0];
      var n = self.entry.docs;
      var r = new Reader(cols, 4 * n);
      var levels = new Array(n);
      var domains = new Array(n);
      var i;
      var k;
      for (i = 0; i < n; i++) {
        var cl = r.u();
        levels[i] = [];
        for (k = 0; k < cl; k++) levels[i].push(r.u());
      }
      for (i = 0; i < n; i++) {
        var cd = r.u();
        domains[i] = [];
        for (k = 0; k < cd; k++) domains[i].push(r.u());
      }
      // Metadata groups: where each is in its pack (offsets restart with each pack).
      var groups = r.u();
      var pack = self.entry.metaPack;
      self.metaAt = new Float64Array(2 * groups);
      var at = 0;
      for (i = 0; i < groups; i++) {
        if (i % pack === 0) at = 0;
        var len = r.u();
        self.metaAt[2 * i] = at;
        self.metaAt[2 * i + 1] = len;
        at += len;
      }
      var bodyLen = new Float64Array(n);
      for (i = 0; i < n; i++) bodyLen[i] = Math.exp(cols[i] / 20) - 1;
      self.docs = {
        bodyLen: bodyLen,
        titleLen: cols.subarray(n, 2 * n),
        kind: cols.subarray(2 * n, 3 * n),
        action: cols.subarray(3 * n, 4 * n),
        levels: levels,
        domains: domains
      };
      self.count = n;
      if (self.delta) self.joinDelta();
      return self;
    });
    this.ready.catch(function () {
      self.ready = null;
    });
    return this.ready;
  };

  /**
   * The engine of a delta index (written by the dev server after an edit: the
   * changed pages, in `dir`, beside the full index). Its fold files are the base's.
   */
  function deltaEngine(load, dir) {
    return new Engine({
      load: function (path, opts) {
        return load(path.indexOf('fold/') === 0 ? path : dir + path, opts);
      }
    });
  }

  /**
   * Joins the delta's pages to the base's: delta page `i` becomes page
   * `base.docs + i`, and the base's pages that the delta replaces or removes
   * (`entry.delta.deleted`) are left out of every posting list. The delta's
   * filter values start with the base's, so its lists of values are used.
   */
  Engine.prototype.joinDelta = function () {
    var d = this.delta;
    var n = this.entry.docs;
    var m = d.entry.docs;
    var a = this.docs;
    var b = d.docs;
    function join(x, y, Type) {
      var out = new Type(n + m);
      out.set(x, 0);
      out.set(y, n);
      return out;
    }
    this.docs = {
      bodyLen: join(a.bodyLen, b.bodyLen, Float64Array),
      titleLen: join(a.titleLen, b.titleLen, Uint8Array),
      kind: join(a.kind, b.kind, Uint8Array),
      action: join(a.action, b.action, Uint8Array),
      levels: a.levels.concat(b.levels),
      domains: a.domains.concat(b.domains)
    };
    var gone = new Uint8Array(n);
    var deleted = this.entry.delta.deleted || [];
    for (var i = 0; i < deleted.length; i++) if (deleted[i] < n) gone[deleted[i]] = 1;
    this.deleted = gone;
    this.count = n + m - deleted.length;
    var self = this;
    ['actions', 'levels', 'domains'].forEach(function (f) {
      self.entry[f] = d.entry[f];
    });
  };

  /**
   * One posting list over base and delta: `a`'s pages but the deleted ones, then
   * `b`'s numbered after the base's `n` pages.
   */
  function joinLists(a, b, n, deleted) {
    var docs = new Int32Array(a.docs.length + b.docs.length);
    var ps = new Int32Array(docs.length + 1);
    var pos = new Int32Array(a.pos.length + b.pos.length);
    var nd = 0;
    var np = 0;
    function put(list, k, id) {
      docs[nd] = id;
      ps[nd] = np;
      pos.set(list.pos.subarray(list.ps[k], list.ps[k + 1]), np);
      np += list.ps[k + 1] - list.ps[k];
      nd++;
    }
    var k;
    for (k = 0; k < a.docs.length; k++) if (!deleted[a.docs[k]]) put(a, k, a.docs[k]);
    for (k = 0; k < b.docs.length; k++) put(b, k, b.docs[k] + n);
    ps[nd] = np;
    return { docs: docs.subarray(0, nd), ps: ps.subarray(0, nd + 1), pos: pos.subarray(0, np) };
  }

  /**
   * The fold files (`fold/<n>.txt.gz`, `fold/x.txt.gz`) that folding `text`
   * needs and that are not loaded yet, per the entry's bitmap.
   */
  Engine.prototype.foldFiles = function (text) {
    var need = [];
    if (foldLoaded) return need;
    var fold = this.entry.fold;
    var s = String(text).normalize('NFKC');
    for (var i = 0; i < s.length; i++) {
      var cp = s.codePointAt(i);
      if (cp > 0xffff) i++;
      var part = null;
      if (cp >= fold.start && cp <= fold.end) {
        var bit = cp - fold.start;
        if (this.foldBits[bit >> 3] & (1 << (bit & 7))) part = 'fold/' + Math.floor(bit / fold.bucket) + '.txt.gz';
      } else if (this.foldExtra.has(cp)) {
        part = 'fold/x.txt.gz';
      }
      if (part && !foldParts.has(part) && need.indexOf(part) < 0) need.push(part);
    }
    return need;
  };

  /** Whether folding `text` needs fold files that are not loaded yet. */
  Engine.prototype.needsFold = function (text) {
    return this.foldFiles(text).length > 0;
  };

  /** Loads the fold files that `text` needs. */
  Engine.prototype.ensureFold = function (text) {
    var self = this;
    return Promise.all(this.foldFiles(text).map(function (part) {
      return self.file(part).then(function (bytes) {
        if (!foldParts.has(part)) addFoldPairs(utf8.decode(bytes));
        foldParts.add(part);
      });
    }));
  };

  /** Directory page `i`: `{t: first terms, n: compressed lengths}` of its chunks. */
  Engine.prototype.dirPage = function (i) {
    return this.json('d/' + i + '.json.gz');
  };

  /** Chunk `i`: a range of the term pack of its directory page. */
  Engine.prototype.chunk = function (i) {
    var self = this;
    var hit = this.chunks.get(i);
    if (hit) return hit;
    var page = Math.floor(i / this.entry.dirFanout);
    var p = this.dirPage(page).then(function (dir) {
      var j = i - page * self.entry.dirFanout;
      var offset = 0;
      for (var k = 0; k < j; k++) offset += dir.n[k];
      return self.file('t/' + page + '.gz', false, [offset, dir.n[j]]);
    }).then(parseChunk);
    p.catch(function () {
      self.chunks.delete(i);
    });
    this.chunks.set(i, p);
    return p;
  };

  /** Number of the chunk that would hold `term`, or -1. */
  Engine.prototype.chunkOf = function (term) {
    var e = this.entry;
    var page = floorIndex(e.dirs, term);
    if (page < 0) return Promise.resolve(-1);
    return this.dirPage(page).then(function (dir) {
      var j = floorIndex(dir.t, term);
      return j < 0 ? -1 : page * e.dirFanout + j;
    });
  };

  /** First term of chunk `i` (null past the last chunk). */
  Engine.prototype.chunkFirst = function (i) {
    var e = this.entry;
    if (i >= e.chunks) return Promise.resolve(null);
    var page = Math.floor(i / e.dirFanout);
    return this.dirPage(page).then(function (dir) {
      return dir.t[i - page * e.dirFanout];
    });
  };

  /** Posting list of one term (empty when the index does not have it). */
  Engine.prototype.termList = function (term) {
    var self = this;
    return this.chunkOf(term).then(function (ci) {
      if (ci < 0) return EMPTY_LIST;
      return self.chunk(ci).then(function (chunk) {
        var i = lowerBound(chunk.terms, term);
        var found = i < chunk.terms.length && chunk.terms[i] === term;
        return found ? postingsOf(chunk, i) : EMPTY_LIST;
      });
    });
  };

  /**
   * Posting list of one slot: an exact term, a junction (`X Y` or the bigram
   * `XY`) or the union of a prefix.
   */
  Engine.prototype.slotList = function (slot, maxChunks) {
    var self = this;
    if (!this.delta) return this.ownSlotList(slot, maxChunks);
    return Promise.all([this.ownSlotList(slot, maxChunks), this.delta.slotList(slot, maxChunks)]).then(function (got) {
      return {
        list: joinLists(got[0].list, got[1].list, self.entry.docs, self.deleted),
        truncated: got[0].truncated || got[1].truncated
      };
    });
  };

  /** Posting list of one slot in this engine's own index (see `slotList`). */
  Engine.prototype.ownSlotList = function (slot, maxChunks) {
    var self = this;
    if (this.entry.chunks === 0) return Promise.resolve({ list: EMPTY_LIST, truncated: false });
    var term = slot.term;
    var cap = maxChunks || MAX_PREFIX_CHUNKS;
    if (!slot.prefix) {
      return this.termList(term).then(function (list) {
        return { list: list, truncated: false };
      });
    }
    if (slot.junction) {
      var terms = [term + ' ' + slot.junction];
      if (isCjk(slot.junction.codePointAt(0))) terms.push(term + slot.junction);
      return Promise.all(terms.map(function (t) { return self.termList(t); })).then(function (lists) {
        return { list: unionLists(lists.filter(function (l) { return l.docs.length > 0; })), truncated: false };
      });
    }
    // Prefix: the chunks from the one holding `term` while chunks may start with it.
    var cacheKey = slot.key + '/' + cap;
    var cached = this.unions.get(cacheKey);
    if (cached) return Promise.resolve(cached);
    return this.chunkOf(term).then(function (first) {
      var start = first < 0 ? 0 : first;
      var ids = [start];
      var truncated = false;
      function more(i) {
        return self.chunkFirst(i).then(function (f) {
          if (f === null || cmpCp(f, term) > 0 && f.slice(0, term.length) !== term) return ids;
          if (ids.length >= cap) {
            truncated = true;
            return ids;
          }
          ids.push(i);
          return more(i + 1);
        });
      }
      return more(start + 1).then(function (chunkIds) {
        return Promise.all(chunkIds.map(function (i) { return self.chunk(i); }));
      }).then(function (chunks) {
        var lists = [];
        var pages = null;
        for (var c = 0; c < chunks.length; c++) {
          var ch = chunks[c];
          for (var i = lowerBound(ch.terms, term); i < ch.terms.length; i++) {
            var t = ch.terms[i];
            if (t.slice(0, term.length) !== term) break;
            if (t.charCodeAt(t.length - 1) === 1) {
              if (t === term + '\u0001') pages = pageSetOf(ch, i);
            } else {
              lists.push(postingsOf(ch, i));
            }
          }
        }
        // A lookup cut short still lists every page that has the character
        // (those not read have no positions, so they rank after the others).
        if (truncated && pages) {
          lists.push(pages);
          truncated = false;
        }
        var got = { list: unionLists(lists), truncated: truncated };
        self.unions.set(cacheKey, got);
        if (self.unions.size > 64) self.unions.delete(self.unions.keys().next().value);
        return got;
      });
    });
  };

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
  Engine.prototype.search = function (query, options) {
    var self = this;
    options = options || {};
    return this.init().then(function () {
      return self.ensureFold(query);
    }).then(function () {
      var p = plan(query);
      var result = {
        query: query, plan: p, total: 0, results: [], partial: false,
        truncated: false, tooLong: p.truncated,
        counts: { kind: {}, action: {}, level: {}, domain: {} }
      };
      if (p.slots.length === 0) return result;
      var unique = [];
      var byKey = new Map();
      p.slots.forEach(function (s) {
        if (!byKey.has(s.key)) {
          byKey.set(s.key, unique.length);
          unique.push(s);
        }
      });
      var cap = unique.length > 1 ? MAX_PREFIX_CHUNKS_IN_PHRASE : MAX_PREFIX_CHUNKS;
      return Promise.all(unique.map(function (s) { return self.slotList(s, cap); })).then(function (got) {
        var lists = got.map(function (g) { return g.list; });
        result.truncated = got.some(function (g) { return g.truncated; });
        var slotIdx = p.slots.map(function (s) { return byKey.get(s.key); });
        var scored = self.score(p, lists, slotIdx, false);
        if (scored.length === 0 && unique.length > 1) {
          scored = self.score(p, lists, slotIdx, true);
          result.partial = scored.length > 0;
        }
        // Pages with every part but nowhere as one phrase are still results, but
        // the user is told that nothing matched the text exactly.
        result.exactPhrase = scored.some(function (x) { return x.full; });
        if (!result.exactPhrase && scored.length > 0) result.partial = true;
        self.filter(scored, options, result);
        return result;
      });
    });
  };

  /** Scratch arrays for the phrase check, grown on demand. */
  var scratch = { a: new Int32Array(256), b: new Int32Array(256), la: new Int32Array(256), lb: new Int32Array(256) };

  function growScratch(n) {
    if (scratch.a.length >= n) return;
    var size = Math.max(n, scratch.a.length * 2);
    scratch = { a: new Int32Array(size), b: new Int32Array(size), la: new Int32Array(size), lb: new Int32Array(size) };
  }

  /**
   * Candidate pages: those in every list (or, when `partial`, in any), with each
   * list's index for them in `where[c * u + k]` (-1 when absent).
   */
  function candidates(lists, partial) {
    var u = lists.length;
    var cand = [];
    var where = [];
    var k;
    if (!partial) {
      var order = lists.map(function (l, i) { return i; }).sort(function (x, y) {
        return lists[x].docs.length - lists[y].docs.length;
      });
      var driver = lists[order[0]];
      var cursor = new Int32Array(u);
      var at = new Int32Array(u);
      outer: for (var x = 0; x < driver.docs.length; x++) {
        var d = driver.docs[x];
        at[order[0]] = x;
        for (k = 1; k < u; k++) {
          var li = order[k];
          var found = seek(lists[li].docs, d, cursor[li]);
          if (found < 0) {
            cursor[li] = -found - 1;
            continue outer;
          }
          cursor[li] = found;
          at[li] = found;
        }
        cand.push(d);
        for (k = 0; k < u; k++) where.push(at[k]);
      }
    } else {
      var all = unionLists(lists).docs;
      var cur = new Int32Array(u);
      for (var y = 0; y < all.length; y++) {
        cand.push(all[y]);
        for (k = 0; k < u; k++) {
          var f = seek(lists[k].docs, all[y], cur[k]);
          if (f >= 0) cur[k] = f;
          where.push(f >= 0 ? f : -1);
        }
      }
    }
    return { docs: cand, where: where };
  }

  /** Scores the pages that have every unique slot (or, when `partial`, any). */
  Engine.prototype.score = function (p, lists, slotIdx, partial) {
    var e = this.entry;
    var docs = this.docs;
    var N = Math.max(this.count, 1);
    var avg = e.avgBody || 1;
    var L = e.layout;
    var u = lists.length;
    var idf = lists.map(function (l) {
      var df = l.docs.length;
      return Math.log(1 + (N - df + 0.5) / (df + 0.5));
    });
    var c0 = candidates(lists, partial);
    var cand = c0.docs;
    var where = c0.where;
    var out = new Array(cand.length);
    var nSlots = p.slots.length;
    var lastOffset = nSlots ? p.slots[nSlots - 1].offset : 0;
    for (var c = 0; c < cand.length; c++) {
      var doc = cand[c];
      var base = c * u;
      var norm = K1 * (1 - B + B * docs.bodyLen[doc] / avg);
      var score = 0;
      var matched = 0;
      var k;
      for (k = 0; k < u; k++) {
        var idx = where[base + k];
        if (idx < 0) continue;
        matched++;
        var list = lists[k];
        var tt = 0;
        var tm = 0;
        var th = 0;
        var tb = 0;
        for (var q = list.ps[idx], qe = list.ps[idx + 1]; q < qe; q++) {
          var pp = list.pos[q];
          if (pp >= L.body) tb++;
          else if (pp >= L.head) th++;
          else if (pp >= L.meta) tm++;
          else tt++;
        }
        var tf = W_TITLE * tt + W_META * tm + W_HEAD * th + tb;
        score += idf[k] * tf * (K1 + 1) / (tf + norm);
      }
      // Phrase: the longest run of consecutive slots at consecutive positions.
      // Anchors (position − slot offset) of slot s are merged with those of s − 1.
      // The body anchor of the longest run there is where the excerpt is cut.
      var run = 1;
      var titlePhrase = false;
      var exact = false;
      var bodyRun = 0;
      var bodyAt = -1;
      if (nSlots > 1) {
        var prevN = 0;
        run = 0;
        for (var s = 0; s < nSlots; s++) {
          var ix = where[base + slotIdx[s]];
          var lst = lists[slotIdx[s]];
          var off = p.slots[s].offset;
          var n = ix < 0 ? 0 : lst.ps[ix + 1] - lst.ps[ix];
          growScratch(n + prevN + 1);
          var curA = scratch.b;
          var curL = scratch.lb;
          var prevA = scratch.a;
          var prevL = scratch.la;
          var j = 0;
          for (var z = 0; z < n; z++) {
            var anchor = lst.pos[lst.ps[ix] + z] - off;
            while (j < prevN && prevA[j] < anchor) j++;
            var len = j < prevN && prevA[j] === anchor ? prevL[j] + 1 : 1;
            curA[z] = anchor;
            curL[z] = len;
            if (len > run) run = len;
            if (len > bodyRun) {
              var runStart = anchor + p.slots[s - len + 1].offset;
              if (runStart >= L.body) {
                bodyRun = len;
                bodyAt = runStart - L.body;
              }
            }
            if (len === nSlots && anchor + lastOffset < L.meta) {
              titlePhrase = true;
              if (anchor === 0 && docs.titleLen[doc] === p.span) exact = true;
            }
          }
          // Swap: this slot's anchors become the previous ones.
          scratch.a = curA;
          scratch.la = curL;
          scratch.b = prevA;
          scratch.lb = prevL;
          prevN = n;
        }
        score *= 1 + PHRASE_BONUS * (run - 1) / (nSlots - 1);
      } else {
        var l1 = lists[slotIdx[0]];
        var w1 = where[base + slotIdx[0]];
        var first = l1.pos[l1.ps[w1]];
        titlePhrase = first < L.meta;
        exact = first === 0 && docs.titleLen[doc] === p.span;
        for (var q1 = l1.ps[w1]; q1 < l1.ps[w1 + 1]; q1++) {
          if (l1.pos[q1] >= L.body) {
            bodyAt = l1.pos[q1] - L.body;
            break;
          }
        }
      }
      if (bodyAt >= 0) p.at.set(doc, bodyAt);
      if (titlePhrase) score *= 1 + TITLE_PHRASE_BONUS;
      if (partial) score *= (matched / u) * (matched / u);
      out[c] = { id: doc, score: score, exact: exact, full: run === nSlots, run: run };
    }
    return out;
  };

  /** Applies the filters, counts values, sorts, and fills `result`. */
  Engine.prototype.filter = function (scored, options, result) {
    var e = this.entry;
    var docs = this.docs;
    function selected(list, values) {
      if (!list || list.length === 0) return null;
      var set = new Uint8Array(values.length + 1);
      list.forEach(function (v) {
        var i = values.indexOf(v);
        if (i >= 0) set[i] = 1;
      });
      return set;
    }
    var fk = selected(options.kinds, e.kinds.values);
    var fa = selected(options.actions, e.actions.values);
    var fl = selected(options.levels, e.levels.values);
    var fd = selected(options.domains, e.domains.values);
    function anyIn(set, arr) {
      for (var i = 0; i < arr.length; i++) if (set[arr[i]]) return true;
      return false;
    }
    var nK = new Int32Array(e.kinds.values.length);
    var nA = new Int32Array(e.actions.values.length);
    var nL = new Int32Array(e.levels.values.length);
    var nD = new Int32Array(e.domains.values.length);
    var kept = [];
    var i;
    var v;
    for (i = 0; i < scored.length; i++) {
      var d = scored[i].id;
      var kind = docs.kind[d];
      var action = docs.action[d];
      var okK = !fk || fk[kind] === 1;
      var okA = !fa || (action > 0 && fa[action - 1] === 1);
      var okL = !fl || anyIn(fl, docs.levels[d]);
      var okD = !fd || anyIn(fd, docs.domains[d]);
      // Each group is counted with the other groups' filters applied.
      if (okA && okL && okD) nK[kind]++;
      if (okK && okL && okD && action > 0) nA[action - 1]++;
      if (okK && okA && okD) for (v = 0; v < docs.levels[d].length; v++) nL[docs.levels[d][v]]++;
      if (okK && okA && okL) for (v = 0; v < docs.domains[d].length; v++) nD[docs.domains[d][v]]++;
      if (okK && okA && okL && okD) kept.push(scored[i]);
    }
    function named(values, n) {
      var o = {};
      for (var x = 0; x < values.length; x++) if (n[x]) o[values[x]] = n[x];
      return o;
    }
    // Order: the page whose title is the query, then pages that have the whole
    // query as one phrase, then the rest; by score within each.
    kept.sort(function (a, b) {
      if (a.exact !== b.exact) return a.exact ? -1 : 1;
      if (a.full !== b.full) return a.full ? -1 : 1;
      if (b.score !== a.score) return b.score - a.score;
      return a.id - b.id;
    });
    result.total = kept.length;
    result.results = kept;
    result.counts = {
      kind: named(e.kinds.values, nK),
      action: named(e.actions.values, nA),
      level: named(e.levels.values, nL),
      domain: named(e.domains.values, nD)
    };
  };

  /** Metadata group `group` (a list): a range of its pack. */
  Engine.prototype.metaGroup = function (group) {
    var range = [this.metaAt[2 * group], this.metaAt[2 * group + 1]];
    return this.json('m/' + Math.floor(group / this.entry.metaPack) + '.gz', false, range);
  };

  /**
   * Metadata of page `id`: `{u: url, t: title, k: kind, b: breadcrumb, a: action,
   * d: date, f: [index in its text file, number of pieces], x: [[pack, offset,
   * length] of each text file]}`.
   */
  Engine.prototype.meta = function (id) {
    if (this.delta && id >= this.entry.docs) return this.delta.meta(id - this.entry.docs);
    var g = this.entry.metaGroup;
    var group = Math.floor(id / g);
    return this.metaGroup(group).then(function (list) {
      return list[id - group * g];
    });
  };

  var utf16 = new TextDecoder('utf-16le');

  /**
   * The text file at `at` ([pack, offset, length] in `f/`): `varint count`, the
   * lengths in UTF-16 code units, then the pieces in UTF-16LE.
   */
  Engine.prototype.textFile = function (at) {
    return this.file('f/' + at[0] + '.gz', false, [at[1], at[2]]).then(function (bytes) {
      var r = new Reader(bytes, 0);
      var count = r.u();
      var lens = [];
      for (var i = 0; i < count; i++) lens.push(r.u());
      var out = [];
      var at = r.p;
      for (var j = 0; j < count; j++) {
        out.push(utf16.decode(bytes.subarray(at, at + 2 * lens[j])));
        at += 2 * lens[j];
      }
      return out;
    });
  };

  /** Piece `i` of the text of the page with metadata `m`. */
  Engine.prototype.piece = function (m, i) {
    var f = m.f;
    var many = f[1] > 1;
    return this.textFile(m.x[many ? i : 0]).then(function (list) {
      return list[many ? 0 : f[0]] || '';
    });
  };

  /** Body text of page `id` (as indexed): all its pieces. */
  Engine.prototype.text = function (id) {
    var self = this;
    if (this.delta && id >= this.entry.docs) return this.delta.text(id - this.entry.docs);
    return this.meta(id).then(function (m) {
      var all = [];
      for (var i = 0; i < (m.f[1] || 1); i++) all.push(self.piece(m, i));
      return Promise.all(all);
    }).then(function (pieces) {
      return pieces.join('');
    });
  };

  /**
   * Marks the places of `text` that match the query plan `p`. The fold table is
   * fetched only when nothing matches without it and the text has characters
   * that fold (a page in traditional characters found by a simplified query).
   */
  Engine.prototype.highlight = function (text, p, maxLen) {
    var first = highlight(text, p, maxLen);
    if (first.matches > 0 || !this.needsFold(text)) return Promise.resolve(first);
    return this.ensureFold(text).then(function () {
      return highlight(text, p, maxLen);
    }).catch(function () {
      return first;
    });
  };

  /**
   * Excerpt of page `id` around the best match: `{parts: [{text, mark}], before,
   * after}`. Only the piece of the text that holds the match is fetched (and
   * the next one when the match runs into it), found from the match's position
   * that the search left in `p.at`.
   */
  Engine.prototype.excerpt = function (id, p, maxLen) {
    var self = this;
    if (this.delta && id >= this.entry.docs) {
      var local = id - this.entry.docs;
      var q = Object.create(p || null);
      q.at = new Map();
      if (p && p.at && p.at.has(id)) q.at.set(local, p.at.get(id));
      return this.delta.excerpt(local, q, maxLen);
    }
    var size = this.entry.pieceTokens;
    return this.meta(id).then(function (m) {
      var count = m.f[1] || 1;
      var at = p && p.at ? p.at.get(id) : undefined;
      var first = 0;
      if (at !== undefined && count > 1) first = Math.min(Math.floor(at / size), count - 1);
      var last = first;
      if (at !== undefined && first + 1 < count && at + (p.span || 1) >= (first + 1) * size) last = first + 1;
      var wanted = [];
      for (var i = first; i <= last; i++) wanted.push(self.piece(m, i));
      return Promise.all(wanted).then(function (pieces) {
        return self.highlight(pieces.join(''), p, maxLen || 120);
      }).then(function (hl) {
        if (first > 0) hl.before = true;
        if (last + 1 < count) hl.after = true;
        return hl;
      });
    });
  };

  /**
   * Finds the query's matches in `text` and cuts a window of about `maxLen`
   * characters around the best one (the whole text when `maxLen` is 0).
   */
  function highlight(text, p, maxLen) {
    var s = String(text).normalize('NFC');
    var toks = tokenize(s);
    var slots = p.slots;
    var spans = []; // [start, end, pos, slotIndex]
    for (var i = 0; i < toks.length; i++) {
      var t = toks[i];
      for (var k = 0; k < slots.length; k++) {
        var sl = slots[k];
        if (sl.junction) {
          // X then a token starting with Y (`XY` or `X Y` in the index): both
          // characters are marked.
          var nx = toks[i + 1];
          var joined = t.kind === 'b' ? t.text === sl.term + sl.junction
            : (t.kind !== 'w' && t.text === sl.term && nx && nx.pos === t.pos + 1 &&
              nx.text.slice(0, sl.junction.length) === sl.junction);
          if (joined) {
            spans.push([t.start, t.end1, t.pos, k]);
            if (t.kind === 'b') spans.push([t.end1, t.end, t.pos, k]);
            else spans.push([nx.start, nx.kind === 'w' ? nx.end : nx.end1, t.pos, k]);
          }
        } else if (sl.prefix) {
          if (t.text.slice(0, sl.term.length) === sl.term) {
            // A one-character Han lookup marks that character only.
            var end = t.kind === 'w' ? t.end : t.end1;
            spans.push([t.start, end, t.pos, k]);
          }
        } else if (t.kind === 'b' && t.text === sl.term) {
          spans.push([t.start, t.end, t.pos, k]);
        }
      }
    }
    // Best anchor: where most slots line up as a phrase; else the first match.
    var best = -1;
    var bestCount = 0;
    var byAnchor = new Map();
    spans.forEach(function (sp) {
      var a = sp[2] - slots[sp[3]].offset;
      var set = byAnchor.get(a);
      if (!set) byAnchor.set(a, (set = new Set()));
      set.add(sp[3]);
      if (set.size > bestCount || (set.size === bestCount && a < best)) {
        bestCount = set.size;
        best = a;
      }
    });
    var centre = 0;
    for (var j = 0; j < spans.length; j++) {
      if (spans[j][2] - slots[spans[j][3]].offset === best) {
        centre = spans[j][0];
        break;
      }
    }
    var from = 0;
    var to = s.length;
    if (maxLen && s.length > maxLen) {
      from = Math.max(0, centre - Math.floor(maxLen / 4));
      to = Math.min(s.length, from + maxLen);
      from = Math.max(0, to - maxLen);
      // Do not cut a surrogate pair in two.
      if (from > 0 && isLowSurrogate(s.charCodeAt(from))) from++;
      if (to < s.length && isLowSurrogate(s.charCodeAt(to))) to++;
    }
    // Merge spans into marked ranges inside the window.
    var ranges = spans.map(function (sp) { return [sp[0], sp[1]]; })
      .filter(function (r) { return r[1] > from && r[0] < to; })
      .sort(function (a, b) { return a[0] - b[0]; });
    var merged = [];
    ranges.forEach(function (r) {
      var last = merged[merged.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
      else merged.push([Math.max(r[0], from), Math.min(r[1], to)]);
    });
    var parts = [];
    var at = from;
    merged.forEach(function (r) {
      if (r[0] > at) parts.push({ text: s.slice(at, r[0]), mark: false });
      parts.push({ text: s.slice(r[0], r[1]), mark: true });
      at = r[1];
    });
    if (at < to) parts.push({ text: s.slice(at, to), mark: false });
    return { parts: parts, before: from > 0, after: to < s.length, matches: spans.length };
  }

  function isLowSurrogate(u) {
    return u >= 0xdc00 && u <= 0xdfff;
  }

  function createEngine(options) {
    return new Engine(options);
  }

  /* ------------------------------------------------------------------ */
  /* Browser user interface                                               */
  /* ------------------------------------------------------------------ */

  var UI = {
    kinds: { course: '课程', lesson: '课时', lecture: '讲座', 'case': '案例', page: '页面' },
    groups: { kind: '类型', action: '培训行动', level: '层级', domain: '领域' },
    loading: '正在加载搜索索引……',
    prompt: '输入关键词开始搜索，简体、繁体都可以。',
    found: function (n) { return '找到 ' + n + ' 条结果'; },
    partial: '没有找到与搜索词完全一致的内容，下面的结果只包含其中的部分文字。',
    truncated: '单个字或很短的词只显示部分结果，多输入一两个字会更准确。',
    tooLong: '搜索词太长，只用了前面一部分。',
    punctuation: '请输入文字或数字，标点符号不参与搜索。',
    none: function (q) { return '没有找到与“' + q + '”相关的内容。'; },
    tips: [
      '试试减少字数，或换一个说法；',
      '繁体、简体都可以搜索，系统会自动转换（例如“黨員”和“党员”结果相同）；',
      '检查是否有错别字；',
      '如果选择了筛选条件，可以取消筛选后再试。'
    ],
    more: '显示更多结果',
    clear: '清除筛选',
    fileProtocol: '站内搜索需要通过网站地址访问（例如 http://…/search/）。直接双击打开本地文件时，浏览器不允许读取搜索索引。',
    failed: '搜索索引加载失败，请稍后刷新重试；如果问题持续存在，请联系网站管理员。',
    unsupported: '当前浏览器版本过旧，无法使用站内搜索，请升级浏览器（Chromium 80 或更新版本）。',
    suggestAll: function (q) { return '查看“' + q + '”的全部搜索结果'; },
    suggestLabel: '搜索建议'
  };

  var PAGE_SIZE = 10;

  /** The site's base path: `<html data-base>` (or the theme's `data-site-base`). */
  function basePath() {
    var html = document.documentElement;
    var b = html.getAttribute('data-base');
    if (b === null) b = html.getAttribute('data-site-base');
    if (b === null) b = '/';
    if (b !== '' && b.charAt(b.length - 1) !== '/') b += '/';
    return b;
  }

  function pageUrl(base, url) {
    return base + String(url).replace(/^\//, '');
  }

  var sharedEngine = null;

  /** The page's engine, fetching `<base>search/…` over HTTP. */
  function browserEngine() {
    if (sharedEngine) return sharedEngine;
    var base = basePath();
    sharedEngine = createEngine({
      load: function (path, opts) {
        var url = base + 'search/' + path;
        if (opts.build && !opts.fresh) url += '?v=' + encodeURIComponent(opts.build);
        var init = { cache: opts.fresh ? 'no-cache' : 'default', credentials: 'same-origin' };
        // A part of a pack; a server that ignores the range sends all of it.
        if (opts.range) init.headers = { Range: 'bytes=' + opts.range[0] + '-' + (opts.range[0] + opts.range[1] - 1) };
        return fetch(url, init)
          .then(function (res) {
            if (!res.ok) throw makeError('http', 'HTTP ' + res.status + ' ' + url);
            return res.arrayBuffer();
          });
      }
    });
    return sharedEngine;
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  /** Appends highlighted parts (`{text, mark}`) to `node` as text and <mark>. */
  function appendParts(node, hl) {
    if (hl.before) node.appendChild(document.createTextNode('…'));
    hl.parts.forEach(function (part) {
      if (part.mark) node.appendChild(el('mark', null, part.text));
      else node.appendChild(document.createTextNode(part.text));
    });
    if (hl.after) node.appendChild(document.createTextNode('…'));
  }

  function errorMessage(err) {
    if (location.protocol === 'file:') return UI.fileProtocol;
    if (err && err.code === 'unsupported') return UI.unsupported;
    return UI.failed;
  }

  function debounce(fn, ms) {
    var timer = null;
    return function () {
      var args = arguments;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(null, args); }, ms);
    };
  }

  /** The search page: live results, filters, keyboard navigation. */
  function SearchPage(container, inputs) {
    this.box = container;
    this.inputs = inputs;
    this.input = inputs[inputs.length - 1];
    this.engine = browserEngine();
    this.base = basePath();
    this.seq = 0;
    this.filters = { kinds: [], actions: [], levels: [], domains: [] };
    this.result = null;
    this.shown = 0;

    // The status line below is the live region; the rest need not be read out.
    this.box.textContent = '';
    this.box.removeAttribute('aria-live');
    this.status = el('p', 'search-status');
    this.status.setAttribute('role', 'status');
    this.status.setAttribute('aria-live', 'polite');
    this.notes = el('div', 'search-notes');
    this.filterBox = el('div', 'search-filters');
    this.list = el('ol', 'search-results__list');
    this.moreButton = el('button', 'search-more', UI.more);
    this.moreButton.type = 'button';
    this.moreButton.hidden = true;
    this.box.appendChild(this.status);
    this.box.appendChild(this.notes);
    this.box.appendChild(this.filterBox);
    this.box.appendChild(this.list);
    this.box.appendChild(this.moreButton);

    var self = this;
    var run = debounce(function () { self.run(); }, 150);
    inputs.forEach(function (input) {
      var form = input.form;
      if (form) {
        form.addEventListener('submit', function (ev) {
          ev.preventDefault();
          self.syncFrom(input);
          self.run();
        });
      }
      input.addEventListener('input', function () {
        self.syncFrom(input);
        run();
      });
      input.addEventListener('keydown', function (ev) {
        if (ev.key === 'ArrowDown') {
          ev.preventDefault();
          self.focusResult(0);
        }
      });
    });
    this.list.addEventListener('keydown', function (ev) { self.onListKey(ev); });
    this.moreButton.addEventListener('click', function () { self.showMore(); });

    var q = new URLSearchParams(location.search).get('q') || '';
    inputs.forEach(function (input) { input.value = q; });
    if (location.protocol === 'file:') {
      this.setStatus(UI.fileProtocol, true);
      return;
    }
    if (q) this.run();
    else {
      this.setStatus(UI.prompt);
      this.input.focus();
    }
  }

  SearchPage.prototype.syncFrom = function (source) {
    this.input = source;
    this.inputs.forEach(function (input) {
      if (input !== source) input.value = source.value;
    });
  };

  SearchPage.prototype.setStatus = function (text, isError) {
    this.status.textContent = text;
    this.status.className = 'search-status' + (isError ? ' search-status--error' : '');
  };

  SearchPage.prototype.run = function () {
    var self = this;
    var q = this.input.value.trim();
    var seq = ++this.seq;
    var url = new URL(location.href);
    if (q) url.searchParams.set('q', q);
    else url.searchParams.delete('q');
    history.replaceState(history.state, '', url.pathname + url.search + url.hash);
    if (!q) {
      this.clear();
      this.setStatus(UI.prompt);
      return;
    }
    if (!this.engine.entry) this.setStatus(UI.loading);
    this.engine.search(q, this.filters).then(function (result) {
      if (seq !== self.seq) return null;
      self.result = result;
      self.shown = 0;
      self.list.textContent = '';
      self.renderNotes(result);
      self.renderFilters(result);
      if (result.plan.slots.length === 0) {
        self.setStatus(UI.punctuation);
        self.moreButton.hidden = true;
        return null;
      }
      if (result.total === 0) {
        self.renderEmpty(q);
        self.moreButton.hidden = true;
        return null;
      }
      self.setStatus(UI.found(result.total));
      return self.showMore();
    }).catch(function (err) {
      if (seq !== self.seq) return;
      self.clear();
      self.setStatus(errorMessage(err), true);
      if (typeof console !== 'undefined') console.error('jiangtang search:', err);
    });
  };

  SearchPage.prototype.clear = function () {
    this.list.textContent = '';
    this.notes.textContent = '';
    this.filterBox.textContent = '';
    this.moreButton.hidden = true;
  };

  SearchPage.prototype.renderNotes = function (result) {
    this.notes.textContent = '';
    var notes = [];
    if (result.partial) notes.push(UI.partial);
    if (result.truncated) notes.push(UI.truncated);
    if (result.tooLong) notes.push(UI.tooLong);
    var box = this.notes;
    notes.forEach(function (n) { box.appendChild(el('p', 'search-note', n)); });
  };

  SearchPage.prototype.renderEmpty = function (q) {
    this.setStatus(UI.none(q));
    var tips = el('ul', 'search-tips');
    UI.tips.forEach(function (t) { tips.appendChild(el('li', null, t)); });
    this.notes.appendChild(tips);
  };

  /** Filter groups as checkboxes with counts; a change re-runs the query. */
  SearchPage.prototype.renderFilters = function (result) {
    var self = this;
    var box = this.filterBox;
    // A reader who just toggled a filter keeps the focus on it (or on the nearest
    // control) although the controls are drawn anew.
    var had = document.activeElement;
    var focusKey = had && box.contains(had) ? had.getAttribute('data-filter') || 'clear' : null;
    var toFocus = null;
    box.textContent = '';
    var groups = [
      ['kind', 'kinds', this.engine.entry.kinds.values],
      ['action', 'actions', this.engine.entry.actions.values],
      ['level', 'levels', this.engine.entry.levels.values],
      ['domain', 'domains', this.engine.entry.domains.values]
    ];
    var any = false;
    groups.forEach(function (g) {
      var counts = result.counts[g[0]];
      var chosen = self.filters[g[1]];
      var values = g[2].filter(function (v) { return counts[v] || chosen.indexOf(v) >= 0; });
      // A group whose only value covers every result would filter nothing.
      var useless = values.length === 1 && chosen.length === 0 && counts[values[0]] === result.total;
      if (values.length === 0 || useless) return;
      any = true;
      var fs = el('fieldset', 'search-filter search-filter--' + g[0]);
      fs.appendChild(el('legend', null, UI.groups[g[0]]));
      values.forEach(function (v) {
        var label = el('label', 'search-filter__option');
        var box2 = document.createElement('input');
        box2.type = 'checkbox';
        box2.value = v;
        box2.setAttribute('data-filter', g[0] + ':' + v);
        if (focusKey === g[0] + ':' + v) toFocus = box2;
        box2.checked = chosen.indexOf(v) >= 0;
        box2.addEventListener('change', function () {
          var list = self.filters[g[1]];
          var i = list.indexOf(v);
          if (box2.checked && i < 0) list.push(v);
          if (!box2.checked && i >= 0) list.splice(i, 1);
          self.run();
        });
        label.appendChild(box2);
        label.appendChild(document.createTextNode(' ' + (g[0] === 'kind' ? UI.kinds[v] || v : v) + ' '));
        label.appendChild(el('span', 'search-filter__count', String(counts[v] || 0)));
        fs.appendChild(label);
      });
      box.appendChild(fs);
    });
    var active = groups.some(function (g) { return self.filters[g[1]].length > 0; });
    if (active) {
      var clear = el('button', 'search-filter__clear', UI.clear);
      clear.type = 'button';
      clear.addEventListener('click', function () {
        self.filters = { kinds: [], actions: [], levels: [], domains: [] };
        self.run();
      });
      box.appendChild(clear);
      if (focusKey === 'clear') toFocus = clear;
    }
    box.hidden = !any && !active;
    if (focusKey) (toFocus || box.querySelector('input') || this.input).focus();
  };

  /** Renders the next PAGE_SIZE results: titles first, excerpts as they arrive. */
  SearchPage.prototype.showMore = function () {
    var self = this;
    var result = this.result;
    var seq = this.seq;
    var from = this.shown;
    var slice = result.results.slice(from, from + PAGE_SIZE);
    this.shown = from + slice.length;
    this.moreButton.hidden = this.shown >= result.total;
    return Promise.all(slice.map(function (r) { return self.engine.meta(r.id); })).then(function (metas) {
      if (seq !== self.seq) return null;
      var items = metas.map(function (m, i) { return self.renderItem(m, slice[i].id, result.plan); });
      return Promise.all(items.map(function (item, i) {
        return self.engine.excerpt(slice[i].id, result.plan, 120).then(function (hl) {
          if (seq === self.seq) appendParts(item, hl);
        }, function () { /* an excerpt that fails to load is left out */ });
      }));
    });
  };

  SearchPage.prototype.renderItem = function (m, id, p) {
    var li = el('li', 'search-result');
    li.setAttribute('data-id', String(id));
    var head = el('div', 'search-result__meta');
    head.appendChild(el('span', 'search-badge search-badge--' + m.k, UI.kinds[m.k] || m.k));
    // The breadcrumb, less a first element that only repeats the badge (案例 …).
    var crumbs = (m.b || []).filter(function (c, i) { return !(i === 0 && c === UI.kinds[m.k]); });
    if (crumbs.length) head.appendChild(el('span', 'search-result__crumbs', crumbs.join(' › ')));
    if (m.d) head.appendChild(el('span', 'search-result__date', m.d));
    li.appendChild(head);
    var a = el('a', 'search-result__title');
    a.href = pageUrl(this.base, m.u);
    var titleHl = highlight(m.t, p, 0);
    appendParts(a, titleHl);
    li.appendChild(a);
    var excerpt = el('p', 'search-result__excerpt');
    li.appendChild(excerpt);
    this.list.appendChild(li);
    return excerpt;
  };

  SearchPage.prototype.links = function () {
    return Array.prototype.slice.call(this.list.querySelectorAll('a.search-result__title'));
  };

  SearchPage.prototype.focusResult = function (i) {
    var links = this.links();
    if (links.length === 0) return;
    links[Math.max(0, Math.min(i, links.length - 1))].focus();
  };

  SearchPage.prototype.onListKey = function (ev) {
    var links = this.links();
    var i = links.indexOf(document.activeElement);
    if (i < 0) return;
    if (ev.key === 'ArrowDown') {
      ev.preventDefault();
      if (i + 1 < links.length) links[i + 1].focus();
      else if (!this.moreButton.hidden) this.moreButton.focus();
    } else if (ev.key === 'ArrowUp') {
      ev.preventDefault();
      if (i > 0) links[i - 1].focus();
      else this.input.focus();
    } else if (ev.key === 'Escape') {
      this.input.focus();
    }
    // Enter follows the focused link natively.
  };

  /** Type-ahead under a header box: up to 6 titles, ↑/↓/Enter/Escape. */
  function Suggest(input) {
    var self = this;
    this.input = input;
    this.engine = browserEngine();
    this.base = basePath();
    this.seq = 0;
    this.active = -1;
    this.items = [];
    this.box = el('ul', 'search-suggest');
    this.box.setAttribute('role', 'listbox');
    this.box.setAttribute('aria-label', UI.suggestLabel);
    this.box.id = 'search-suggest-' + Math.random().toString(36).slice(2);
    this.box.hidden = true;
    // The ARIA 1.2 combobox: the box keeps focus, aria-activedescendant names the option.
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-expanded', 'false');
    input.setAttribute('autocomplete', 'off');
    input.setAttribute('aria-controls', this.box.id);
    input.setAttribute('aria-autocomplete', 'list');
    // Placed at the end of the form; the theme positions it (see .search-suggest).
    (input.form || input.parentNode).appendChild(this.box);
    // Options are not links (nothing focusable may sit inside an option): a press
    // keeps the focus in the box, a click opens the option's page.
    this.box.addEventListener('mousedown', function (ev) { ev.preventDefault(); });
    this.box.addEventListener('click', function (ev) {
      var item = ev.target.closest('[data-href]');
      if (item) location.href = item.getAttribute('data-href');
    });
    var update = debounce(function () { self.update(); }, 200);
    input.addEventListener('input', update);
    input.addEventListener('keydown', function (ev) { self.onKey(ev); });
    input.addEventListener('blur', function () {
      setTimeout(function () { self.close(); }, 150);
    });
  }

  Suggest.prototype.close = function () {
    this.box.hidden = true;
    this.input.setAttribute('aria-expanded', 'false');
    this.active = -1;
    this.input.removeAttribute('aria-activedescendant');
  };

  Suggest.prototype.update = function () {
    var self = this;
    var q = this.input.value.trim();
    var seq = ++this.seq;
    if (Array.from(q).length < 2 || location.protocol === 'file:') {
      this.close();
      return;
    }
    this.engine.search(q, {}).then(function (result) {
      var top = result.results.slice(0, 6);
      return Promise.all(top.map(function (r) { return self.engine.meta(r.id); })).then(function (metas) {
        if (seq !== self.seq) return;
        self.render(q, result, metas);
      });
    }).catch(function () { self.close(); });
  };

  Suggest.prototype.render = function (q, result, metas) {
    var self = this;
    this.box.textContent = '';
    this.items = [];
    this.active = -1;
    metas.forEach(function (m, i) {
      var li = el('li', 'search-suggest__item');
      li.id = self.box.id + '-' + i;
      li.setAttribute('role', 'option');
      li.setAttribute('data-href', pageUrl(self.base, m.u));
      li.appendChild(el('span', 'search-badge search-badge--' + m.k, UI.kinds[m.k] || m.k));
      var title = el('span', 'search-suggest__link');
      appendParts(title, highlight(m.t, result.plan, 0));
      li.appendChild(title);
      self.box.appendChild(li);
      self.items.push(li);
    });
    if (result.total > metas.length || metas.length === 0) {
      var all = el('li', 'search-suggest__item search-suggest__all');
      all.id = self.box.id + '-all';
      all.setAttribute('role', 'option');
      all.setAttribute('data-href', pageUrl(this.base, 'search/') + '?q=' + encodeURIComponent(q));
      all.appendChild(el('span', 'search-suggest__link', metas.length ? UI.suggestAll(q) : UI.none(q)));
      this.box.appendChild(all);
      this.items.push(all);
    }
    this.box.hidden = this.items.length === 0;
    this.input.setAttribute('aria-expanded', this.box.hidden ? 'false' : 'true');
  };

  Suggest.prototype.onKey = function (ev) {
    if (this.box.hidden) return;
    var n = this.items.length;
    if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
      ev.preventDefault();
      var step = ev.key === 'ArrowDown' ? 1 : -1;
      // Cycles through the options and back to the input (-1).
      var next = this.active + step;
      if (next >= n) next = -1;
      else if (next < -1) next = n - 1;
      this.active = next;
      var self = this;
      this.items.forEach(function (li, i) {
        li.setAttribute('aria-selected', i === self.active ? 'true' : 'false');
      });
      if (this.active >= 0) this.input.setAttribute('aria-activedescendant', this.items[this.active].id);
      else this.input.removeAttribute('aria-activedescendant');
    } else if (ev.key === 'Enter' && this.active >= 0) {
      ev.preventDefault();
      location.href = this.items[this.active].getAttribute('data-href');
    } else if (ev.key === 'Escape') {
      this.close();
    }
  };

  /** Wires the page: the search page if it has #search-results, else type-ahead. */
  function startUi() {
    var inputs = Array.prototype.slice.call(
      document.querySelectorAll('form[role="search"] input[name="q"]'));
    var container = document.getElementById('search-results');
    if (container) {
      // The page's own box (the theme's #search-page-q) is the main one.
      var own = document.getElementById('search-page-q') || document.getElementById('search-input');
      if (own && inputs.indexOf(own) >= 0) {
        inputs.splice(inputs.indexOf(own), 1);
        inputs.push(own);
      }
      if (inputs.length === 0) return;
      new SearchPage(container, inputs); // eslint-disable-line no-new
      return;
    }
    inputs.forEach(function (input) {
      if (input.getAttribute('data-suggest') !== 'off') new Suggest(input); // eslint-disable-line no-new
    });
  }

  return {
    setFoldTable: setFoldTable,
    normalize: normalize,
    tokenize: tokenize,
    plan: plan,
    isCjk: isCjk,
    cmpCp: cmpCp,
    gunzip: gunzip,
    highlight: highlight,
    createEngine: createEngine,
    startUi: startUi,
    MAX_WORD_CHARS: MAX_WORD_CHARS,
    MAX_SLOTS: MAX_SLOTS
  };
});
