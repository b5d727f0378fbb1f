#!/usr/bin/env node
/*
 * jiangtang search against Pagefind on the same built site, in Node (≥ 20):
 * known-item recall@10 on one shared query set, bytes a first (cold) and a
 * second query download, and query time. Called by `bench/run.py --parts
 * pagefind`; it can also be run by hand:
 *
 *   node bench/search_compare.mjs --site public --pagefind public/pagefind \
 *        [--queries 600] [--trad 0.25] [--seed 1] [--bytes 100] [--json out.json]
 *        [--jiangtang-only]
 *
 * --site is a site built by jiangtang (its `search/` index is read, and its
 * page texts give the queries); --pagefind is the bundle `pagefind --site …`
 * wrote for the same site. --jiangtang-only measures jiangtang's client alone
 * (no --pagefind needed; the judge then knows only the pages jiangtang indexed),
 * which is quick when only jiangtang's index changed.
 *
 * Queries: random substrings of 2–8 characters of page bodies (never starting
 * inside a Latin word), a share of them (--trad) written in traditional
 * characters where the fold table has a traditional form. A query counts as
 * found when its page is in the top 10, or when more than 10 pages contain
 * the text and the top 10 all do while the page is still among the results
 * (the rule of tests/js/search/recall.mjs).
 *
 * Pagefind runs its own client (pagefind.js and its WebAssembly) with `fetch`
 * answered from disk, no worker; jiangtang runs themes/default/static/js/search.js
 * with a loader reading from disk. Bytes are what each client fetched: for
 * Pagefind the WebAssembly, metadata, index chunks and fragments; for jiangtang
 * the entry, page columns, directory, term chunks, metadata and text pieces.
 * Neither count includes the client script itself (pagefind.js is 47 KB,
 * search.js 79 KB, 24 KB gzipped).
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const JT = createRequire(import.meta.url)(path.join(root, 'themes/default/static/js/search.js'));
const { rng, squeeze, containsLoose, isLatinWordChar } =
  await import(pathToFileURL(path.join(root, 'tests/js/search/recall.mjs')).href);

function args(argv) {
  const o = { queries: 600, trad: 0.25, seed: 1, bytes: 100 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = argv[i + 1];
    if (a === '--site') { o.site = v; i++; }
    else if (a === '--pagefind') { o.pagefind = v; i++; }
    else if (a === '--queries') { o.queries = +v; i++; }
    else if (a === '--trad') { o.trad = +v; i++; }
    else if (a === '--seed') { o.seed = +v; i++; }
    else if (a === '--bytes') { o.bytes = +v; i++; }
    else if (a === '--json') { o.json = v; i++; }
    else if (a === '--jiangtang-only') o.jiangtangOnly = true;
    else throw new Error(`unknown option ${a}`);
  }
  if (!o.site || !(o.pagefind || o.jiangtangOnly)) {
    throw new Error('usage: search_compare.mjs --site DIR (--pagefind DIR | --jiangtang-only) [options]');
  }
  return o;
}

/** A new instance of search.js (its fold table not loaded). */
function freshClient() {
  const req = createRequire(import.meta.url);
  const file = req.resolve(path.join(root, 'themes/default/static/js/search.js'));
  delete req.cache[file];
  return req(file);
}

function pct(sorted, p) {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

function summary(list) {
  const s = list.slice().sort((a, b) => a - b);
  const mean = s.reduce((x, y) => x + y, 0) / (s.length || 1);
  return { n: s.length, median: pct(s, 0.5), p95: pct(s, 0.95), max: s[s.length - 1] || 0, mean: +mean.toFixed(2) };
}

/** Simplified → traditional, the first traditional form in the fold table. */
function traditionalMap() {
  const text = fs.readFileSync(path.join(root, 'src/search/data/ts_chars.txt'), 'utf8');
  const map = new Map();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const [trad, simp] = line.split('\t');
    if (trad && simp && !map.has(simp)) map.set(simp, trad);
  }
  return map;
}

function diskLoader(dir, counter) {
  return (p, opts) => fs.promises.readFile(path.join(dir, p)).then((b) => {
    // A range of a pack, as a web server answers a range request.
    if (opts && opts.range) b = b.subarray(opts.range[0], opts.range[0] + opts.range[1]);
    if (counter) counter.bytes += b.length;
    return b;
  });
}

/** The pages of a jiangtang index: [{url, title, body}] by page id. */
async function jiangtangPages(searchDir) {
  const eng = JT.createEngine({ load: diskLoader(searchDir) });
  await eng.init();
  const n = eng.entry.docs;
  const pages = [];
  for (let id = 0; id < n; id++) {
    const m = await eng.meta(id);
    pages.push({ url: m.u, title: m.t, meta: (m.b || []).concat(m.a ? [m.a] : []).join(' / '), body: await eng.text(id) });
  }
  return pages;
}

function makeQueries(pages, o) {
  const rand = rng(o.seed);
  const trad = traditionalMap();
  const out = [];
  let guard = 0;
  while (out.length < o.queries && guard++ < o.queries * 50) {
    const pi = Math.floor(rand() * pages.length);
    const chars = Array.from(pages[pi].body);
    const len = 2 + Math.floor(rand() * 7);
    if (chars.length < len) continue;
    const start = Math.floor(rand() * (chars.length - len + 1));
    if (start > 0 && isLatinWordChar(chars[start - 1]) && isLatinWordChar(chars[start])) continue;
    let q = chars.slice(start, start + len).join('').trim();
    if (!q || JT.plan(q).slots.length === 0) continue;
    let traditional = false;
    if (rand() < o.trad) {
      const t = Array.from(q).map((c) => trad.get(c) || c).join('');
      if (t !== q) {
        q = t;
        traditional = true;
      }
    }
    out.push({ q, page: pi, traditional });
  }
  return out;
}

/** Pagefind's client in this process, fetching from `dir` (counted in `counter`). */
async function pagefindClient(dir) {
  const counter = { bytes: 0, files: 0 };
  const BASE = 'http://pagefind.local/pagefind/';
  globalThis.fetch = async (input) => {
    const url = typeof input === 'string' ? input : input.url;
    const rel = decodeURIComponent(new URL(url).pathname.replace(/^\/pagefind\//, ''));
    const buf = await fs.promises.readFile(path.join(dir, rel));
    counter.bytes += buf.length;
    counter.files += 1;
    return new Response(buf, { status: 200, headers: { 'content-type': 'application/octet-stream' } });
  };
  const pf = await import(pathToFileURL(path.join(path.resolve(dir), 'pagefind.js')).href);
  const instance = () => pf.createInstance({ basePath: BASE });
  // Fragment id → URL and text, read once from disk (not counted).
  const frag = new Map();
  const fdir = path.join(dir, 'fragment');
  for (const name of fs.readdirSync(fdir)) {
    const raw = zlib.gunzipSync(fs.readFileSync(path.join(fdir, name))).toString('utf8');
    const json = JSON.parse(raw.slice(raw.indexOf('{')));
    frag.set(name.replace(/\.pf_fragment$/, ''), {
      url: json.url,
      text: `${(json.meta && json.meta.title) || ''}\n${String(json.content || '').replace(/\u200b/g, '')}`
    });
  }
  return { counter, instance, frag };
}

async function main() {
  const o = args(process.argv.slice(2));
  const searchDir = path.join(o.site, 'search');
  const pages = await jiangtangPages(searchDir);
  const queries = makeQueries(pages, o);
  // Folding for the judge (queries in traditional characters match simplified text).
  JT.setFoldTable(fs.readFileSync(path.join(root, 'src/search/data/ts_chars.txt'), 'utf8'));
  const squeezed = new Map(pages.map((p) => [p.url, squeeze(`${p.title}\n${p.meta}\n${p.body}`)]));

  const pfc = o.jiangtangOnly ? null : await pagefindClient(o.pagefind);
  for (const f of pfc ? pfc.frag.values() : []) {
    if (!squeezed.has(f.url)) squeezed.set(f.url, squeeze(f.text));
  }

  // Pages that contain each query (for the ambiguity rule), by URL.
  const holders = queries.map(({ q }) => {
    const key = squeeze(q);
    let count = 0;
    for (const s of squeezed.values()) if (containsLoose(s, key) && ++count > 10) break;
    return { key, ambiguous: count > 10 };
  });

  const judge = (urls, qi) => {
    const target = pages[queries[qi].page].url;
    const top = urls.slice(0, 10);
    if (top.includes(target)) return { ok: true, strict: true };
    const h = holders[qi];
    if (!h.ambiguous) return { ok: false, strict: false };
    const ok = urls.includes(target) && top.length === 10 &&
      top.every((u) => squeezed.has(u) && containsLoose(squeezed.get(u), h.key));
    return { ok, strict: false };
  };

  const result = { pages: pages.length, queries: queries.length, traditional: queries.filter((x) => x.traditional).length };

  /** Recall and warm query time of one client: `run(q)` resolves to result URLs, best first. */
  const measure = async (run) => {
    const times = [];
    let ok = 0;
    let strict = 0;
    let okTrad = 0;
    const misses = [];
    for (let i = 0; i < queries.length; i++) {
      await run(queries[i].q); // warm: the files it needs are loaded once
      const t0 = performance.now();
      const urls = await run(queries[i].q);
      times.push(performance.now() - t0);
      const j = judge(urls, i);
      ok += j.ok;
      strict += j.strict;
      if (j.ok && queries[i].traditional) okTrad++;
      if (!j.ok && misses.length < 10) misses.push(queries[i].q);
    }
    return {
      recall10: +(ok / queries.length).toFixed(4),
      strict10: +(strict / queries.length).toFixed(4),
      recall10Traditional: +(okTrad / (result.traditional || 1)).toFixed(4),
      queryMs: summary(times),
      misses
    };
  };

  const eng = JT.createEngine({ load: diskLoader(searchDir) });
  const urls = pages.map((p) => p.url);
  result.jiangtang = await measure((q) => eng.search(q).then((res) => res.results.map((r) => urls[r.id])));

  if (!o.jiangtangOnly) {
    const inst = pfc.instance();
    await inst.init();
    const toUrl = (id) => {
      const f = pfc.frag.get(id);
      return f ? new URL(f.url, 'http://x').pathname : '';
    };
    result.pagefind = await measure((q) => inst.search(q).then((res) => res.results.map((r) => toUrl(r.id))));
  }

  // Downloads: a fresh client per query (nothing cached), the query and then
  // the titles and excerpts of its first 10 results; then a second query on
  // the same client.
  {
    const sample = queries.slice(0, o.bytes);
    const jt1 = [];
    const jt2 = [];
    const pf1 = [];
    const pf2 = [];
    for (let i = 0; i + 1 < sample.length; i += 1) {
      const a = sample[i].q;
      const b = sample[(i + 1) % sample.length].q;
      const counter = { bytes: 0 };
      // A client that has not loaded the fold table yet, as in a fresh browser.
      const eng = freshClient().createEngine({ load: diskLoader(searchDir, counter) });
      const showJt = async (q) => {
        const res = await eng.search(q);
        await Promise.all(res.results.slice(0, 10).map((r) => Promise.all([eng.meta(r.id), eng.excerpt(r.id, res.plan, 120)])));
      };
      await showJt(a);
      jt1.push(counter.bytes);
      await showJt(b);
      jt2.push(counter.bytes - jt1[jt1.length - 1]);
      if (o.jiangtangOnly) continue;

      const inst = pfc.instance();
      const before = pfc.counter.bytes;
      const showPf = async (q) => {
        const res = await inst.search(q);
        await Promise.all(res.results.slice(0, 10).map((r) => r.data()));
      };
      await showPf(a);
      const first = pfc.counter.bytes - before;
      pf1.push(first);
      await showPf(b);
      pf2.push(pfc.counter.bytes - before - first);
      await inst.destroy();
    }
    result.jiangtang.firstQueryBytes = summary(jt1);
    result.jiangtang.secondQueryBytes = summary(jt2);
    if (!o.jiangtangOnly) {
      result.pagefind.firstQueryBytes = summary(pf1);
      result.pagefind.secondQueryBytes = summary(pf2);
    }
  }

  const text = JSON.stringify(result, null, 1);
  if (o.json) fs.writeFileSync(o.json, text);
  console.log(text);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
