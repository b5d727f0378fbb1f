#!/usr/bin/env node
/*
 * Known-item recall of jiangtang search, measured with the real client
 * (themes/default/static/js/search.js) on a built index.
 *
 *   node tests/js/search/recall.mjs <public-dir> <docs.json> [options]
 *
 * <public-dir> holds `search/index.json.gz` …; <docs.json> is the list of
 * `{url, title, meta, body}` that `jiangtang::search::recall_docs_json` writes for the
 * same pages. For every page (or `--pages N` of them) it takes `--per-page`
 * random substrings of 2–8 characters of the body and searches for them.
 *
 * A query counts as found (recall@10) when the page is in the top 10, or when
 * the query is ambiguous — more than 10 pages contain the same text — and the
 * top 10 are all pages that contain it while the page is still among the
 * results. `strict` counts only the first case; `anywhere` counts the page
 * anywhere in the results. Exits 1 when recall@10 is below `--min`.
 *
 * Options: --per-page N (3) --pages N (all) --seed N (1) --min X (0.99)
 *          --json (print the report as JSON) --bytes N (first-query download
 *          sample size, 50)
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..', '..');
const JT = createRequire(import.meta.url)(path.join(root, 'themes/default/static/js/search.js'));

/** Small deterministic PRNG (mulberry32). */
export function rng(seed) {
  let a = seed >>> 0;
  return function () {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A new instance of search.js: its fold table not loaded yet, as in a fresh browser. */
function freshClient() {
  const req = createRequire(import.meta.url);
  const file = req.resolve(path.join(root, 'themes/default/static/js/search.js'));
  delete req.cache[file];
  return req(file);
}

/**
 * Loader reading `<public>/search/<path>` from disk, and only the bytes asked for
 * when the engine asks for a range (`opts.range`: [offset, length]), as a web
 * server answers a range request.
 */
export function diskLoader(publicDir) {
  return (p, opts) =>
    fs.promises.readFile(path.join(publicDir, 'search', p)).then((b) =>
      opts && opts.range ? b.subarray(opts.range[0], opts.range[0] + opts.range[1]) : b,
    );
}

/** Normalised text with every run of separators squeezed to one space. */
export function squeeze(text) {
  const toks = JT.normalize(text);
  let out = '';
  let sep = false;
  for (const ch of toks) {
    const cp = ch.codePointAt(0);
    const word = JT.isCjk(cp) || /[\p{Alphabetic}\p{N}]/u.test(ch);
    if (word) {
      if (sep && out) out += ' ';
      out += ch;
      sep = false;
    } else {
      sep = true;
    }
  }
  return out;
}

export function isLatinWordChar(ch) {
  const n = JT.normalize(ch);
  return n.length > 0 && !JT.isCjk(n.codePointAt(0)) && /[\p{Alphabetic}\p{N}]/u.test(n);
}

/**
 * Whether squeezed text contains the squeezed query, where a separator in the
 * query may also match none (the engine reads "着，我" as 着 then 我, which
 * "着我" satisfies too).
 */
export function containsLoose(text, key) {
  if (!key.includes(' ')) return text.includes(key);
  const re = new RegExp(key.split(' ').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join(' ?'), 'u');
  return re.test(text);
}

async function loadIds(engine) {
  await engine.init();
  const n = engine.entry.docs;
  const urls = new Array(n);
  const g = engine.entry.metaGroup;
  for (let group = 0; group * g < n; group++) {
    const list = await engine.metaGroup(group);
    list.forEach((m, i) => { urls[group * g + i] = m.u; });
  }
  return urls;
}

function percentile(sorted, p) {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

/**
 * Runs the measurement; resolves to a report object.
 * `options`: {publicDir, docs (array) | docsPath, perPage, pages, seed, bytesSample}
 */
export async function run(options) {
  const docs = options.docs || JSON.parse(fs.readFileSync(options.docsPath, 'utf8'));
  const publicDir = options.publicDir;
  const foldText = fs.readFileSync(path.join(root, 'src/search/data/ts_chars.txt'), 'utf8');
  JT.setFoldTable(foldText);
  const engine = JT.createEngine({ load: diskLoader(publicDir) });
  const urls = await loadIds(engine);
  const idOf = new Map(urls.map((u, i) => [u, i]));
  const rand = rng(options.seed || 1);
  const perPage = options.perPage || 3;
  const squeezed = docs.map((d) => squeeze(`${d.title}\n${d.meta || ''}\n${d.body}`));
  const docIndex = new Map(docs.map((d, i) => [d.url, i]));

  let pages = docs.map((d, i) => i);
  if (options.pages && options.pages < pages.length) {
    for (let i = pages.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [pages[i], pages[j]] = [pages[j], pages[i]];
    }
    pages = pages.slice(0, options.pages);
  }

  const report = {
    queries: 0, strict: 0, recall10: 0, anywhere: 0, ambiguous: 0,
    byLength: {}, misses: [], latencyMs: {}, firstQueryBytes: {}
  };
  const times = [];
  for (const pi of pages) {
    const doc = docs[pi];
    const target = idOf.get(doc.url);
    if (target === undefined) throw new Error(`page ${doc.url} is not in the index`);
    const chars = Array.from(doc.body);
    for (let k = 0; k < perPage; k++) {
      let q = '';
      for (let attempt = 0; attempt < 20; attempt++) {
        const len = 2 + Math.floor(rand() * 7);
        if (chars.length < len) break;
        const start = Math.floor(rand() * (chars.length - len + 1));
        // Latin words and numbers are matched by prefix, so a query never starts
        // inside one (it may end inside one).
        if (start > 0 && isLatinWordChar(chars[start - 1]) && isLatinWordChar(chars[start])) continue;
        q = chars.slice(start, start + len).join('').trim();
        if (JT.plan(q).slots.length > 0) break;
        q = '';
      }
      if (!q) continue;
      const t0 = performance.now();
      const res = await engine.search(q);
      times.push(performance.now() - t0);
      const ids = res.results.map((r) => r.id);
      const top = ids.slice(0, 10);
      const key = squeeze(q);
      const strict = top.includes(target);
      const anywhere = ids.includes(target);
      let ok = strict;
      let ambiguous = false;
      if (!strict) {
        let count = 0;
        for (const s of squeezed) if (containsLoose(s, key) && ++count > 10) break;
        ambiguous = count > 10;
        if (ambiguous) {
          ok = anywhere && top.length === 10 &&
            top.every((id) => docIndex.has(urls[id]) && containsLoose(squeezed[docIndex.get(urls[id])], key));
        }
      }
      const L = Array.from(q).length;
      const b = report.byLength[L] || (report.byLength[L] = { queries: 0, strict: 0, recall10: 0 });
      b.queries++;
      report.queries++;
      if (strict) { report.strict++; b.strict++; }
      if (ok) { report.recall10++; b.recall10++; }
      if (anywhere) report.anywhere++;
      if (ambiguous) report.ambiguous++;
      if (!ok && report.misses.length < 20) {
        report.misses.push({
          query: q, url: doc.url, total: res.total, partial: res.partial, ambiguous,
          rank: ids.indexOf(target), top: top.slice(0, 3).map((id) => urls[id])
        });
      }
    }
  }
  times.sort((a, b) => a - b);
  report.latencyMs = {
    median: +percentile(times, 0.5).toFixed(2),
    p95: +percentile(times, 0.95).toFixed(2),
    max: +(times[times.length - 1] || 0).toFixed(2)
  };

  // First-query downloads: a fresh engine (empty cache) per query, counting the
  // entry, the page columns, the directory and term chunks, and the metadata and
  // excerpts of the first 10 results.
  const sample = options.bytesSample === undefined ? 50 : options.bytesSample;
  // A second query on the same engine shows what the cache saves.
  const bytes = [];
  const second = [];
  const brand = rng((options.seed || 1) + 7);
  const randomQuery = () => {
    const doc = docs[Math.floor(brand() * docs.length)];
    const chars = Array.from(doc.body);
    const len = 2 + Math.floor(brand() * 5);
    const start = Math.floor(brand() * Math.max(1, chars.length - len));
    return chars.slice(start, start + len).join('').trim();
  };
  const show = async (eng, q) => {
    const res = await eng.search(q);
    await Promise.all(res.results.slice(0, 10).map((r) => eng.excerpt(r.id, res.plan, 120)));
  };
  for (let i = 0; i < sample; i++) {
    const q = randomQuery();
    const q2 = randomQuery();
    if (!JT.plan(q).slots.length || !JT.plan(q2).slots.length) continue;
    const fresh = freshClient().createEngine({ load: diskLoader(publicDir) });
    await show(fresh, q);
    bytes.push(fresh.stats.bytes);
    await show(fresh, q2);
    second.push(fresh.stats.bytes - bytes[bytes.length - 1]);
  }
  const summary = (list) => {
    list.sort((a, b) => a - b);
    return { samples: list.length, median: percentile(list, 0.5), p95: percentile(list, 0.95), max: list[list.length - 1] || 0 };
  };
  report.firstQueryBytes = summary(bytes);
  report.secondQueryBytes = summary(second);
  const q = report.queries || 1;
  report.strictRate = +(report.strict / q).toFixed(4);
  report.recall10Rate = +(report.recall10 / q).toFixed(4);
  report.anywhereRate = +(report.anywhere / q).toFixed(4);
  return report;
}

function parseArgs(argv) {
  const opts = { publicDir: argv[0], docsPath: argv[1], min: 0.99 };
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i];
    const v = argv[i + 1];
    if (a === '--per-page') { opts.perPage = +v; i++; }
    else if (a === '--pages') { opts.pages = +v; i++; }
    else if (a === '--seed') { opts.seed = +v; i++; }
    else if (a === '--min') { opts.min = +v; i++; }
    else if (a === '--bytes') { opts.bytesSample = +v; i++; }
    else if (a === '--json') opts.json = true;
    else throw new Error(`unknown option ${a}`);
  }
  return opts;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const argv = process.argv.slice(2);
  if (argv.length < 2) {
    console.error('usage: node tests/js/search/recall.mjs <public-dir> <docs.json> [--per-page N] [--pages N] [--seed N] [--min X] [--bytes N] [--json]');
    process.exit(2);
  }
  const opts = parseArgs(argv);
  run(opts).then((r) => {
    if (opts.json) {
      console.log(JSON.stringify(r, null, 2));
    } else {
      console.log(`queries ${r.queries}: recall@10 ${r.recall10Rate} (strict top-10 ${r.strictRate}, ` +
        `found anywhere ${r.anywhereRate}, ambiguous ${r.ambiguous})`);
      for (const [len, b] of Object.entries(r.byLength)) {
        console.log(`  ${len} chars: ${b.queries} queries, recall@10 ${(b.recall10 / b.queries).toFixed(4)}, strict ${(b.strict / b.queries).toFixed(4)}`);
      }
      console.log(`latency ms (warm engine, files from disk): median ${r.latencyMs.median}, p95 ${r.latencyMs.p95}, max ${r.latencyMs.max}`);
      console.log(`first-query download bytes (search + 10 titles + 10 excerpts): median ${r.firstQueryBytes.median}, p95 ${r.firstQueryBytes.p95}, max ${r.firstQueryBytes.max}`);
      console.log(`second-query download bytes (same engine): median ${r.secondQueryBytes.median}, p95 ${r.secondQueryBytes.p95}, max ${r.secondQueryBytes.max}`);
      r.misses.slice(0, 10).forEach((m) => console.log(`  miss: ${JSON.stringify(m)}`));
    }
    const pass = r.recall10Rate >= opts.min;
    console.log(`${pass ? 1 : 0} passed, ${pass ? 0 : 1} failed`);
    process.exit(pass ? 0 : 1);
  }, (err) => {
    console.error(err);
    process.exit(1);
  });
}
