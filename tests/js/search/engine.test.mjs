// The search client (themes/default/static/js/search.js) run in Node on the
// fixture index that src/search/tests.rs writes to tests/js/search/fixture/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as recall from './recall.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..', '..');
const JT = createRequire(import.meta.url)(path.join(root, 'themes/default/static/js/search.js'));

const FIXTURE = path.join(here, 'fixture');
const docs = JSON.parse(fs.readFileSync(path.join(FIXTURE, 'docs.json'), 'utf8'));

const readFixture = recall.diskLoader(FIXTURE);

function engine(load) {
  return JT.createEngine({ load: load || readFixture });
}

/** URLs of the results of `q`, best first. */
async function urls(eng, q, options) {
  const res = await eng.search(q, options);
  const metas = await Promise.all(res.results.map((r) => eng.meta(r.id)));
  return { res, urls: metas.map((m) => m.u) };
}

const LOOP_PAGES = docs.filter((d) => d.url.startsWith('/about/xun-huan/')).map((d) => d.url).sort();

// Runs first: the fold table, once loaded, stays loaded for the process.
test('the fold table is fetched only when a query needs it', async () => {
  const fetched = [];
  const eng = engine((p) => {
    fetched.push(p);
    return fs.promises.readFile(path.join(FIXTURE, 'search', p));
  });
  const folds = () => fetched.filter((p) => p.startsWith('fold/'));
  await eng.search('党员干部');
  assert.deepEqual(folds(), [], 'simplified query needs no fold table');
  assert.ok(fetched.includes('index.json.gz') && fetched.includes('docs.bin.gz'));
  await eng.search('黨員');
  // 黨 U+9EE8 and 員 U+54E1: the parts of the table with those characters only.
  assert.deepEqual(folds().sort(), ['fold/26.txt.gz', 'fold/8.txt.gz']);
  const before = fetched.length;
  await eng.search('党员干部');
  assert.equal(fetched.length, before, 'a repeated query fetches nothing');
});

test('Pagefind 1237: 迴圈 and 回圈 find all eight zh-TW pages', async () => {
  const eng = engine();
  assert.equal(LOOP_PAGES.length, 8);
  for (const q of ['迴圈', '回圈']) {
    const { urls: got } = await urls(eng, q);
    assert.deepEqual(got.slice().sort(), LOOP_PAGES, q);
  }
});

test('Pagefind 987: substrings across word boundaries', async () => {
  const eng = engine();
  for (const q of ['段简', '是一段', '简体中', '一段简体中文的说明', '子串']) {
    const { urls: got } = await urls(eng, q);
    assert.equal(got[0], '/about/jian-ti/', q);
  }
});

test('traditional ↔ simplified: 黨員幹部 and 党员干部 find the same pages', async () => {
  const eng = engine();
  const trad = await urls(eng, '黨員幹部');
  const simp = await urls(eng, '党员干部');
  assert.deepEqual(trad.urls, simp.urls);
  assert.ok(simp.urls.includes('/cases/dang-yuan-xia-ji-ceng/'), 'traditional page found by simplified query');
  assert.ok(trad.urls.includes('/courses/xin-shi-dai/01-li-lun/'), 'simplified page found by traditional query');
  assert.equal(trad.urls[0], '/cases/dang-yuan-xia-ji-ceng/', 'title match first');
});

test('mixed scripts, digits and dates', async () => {
  const eng = engine();
  assert.equal((await urls(eng, 'Rust 所有权')).urls[0], '/courses/rust-ru-men/');
  assert.equal((await urls(eng, 'rust所有权')).urls[0], '/courses/rust-ru-men/');
  assert.equal((await urls(eng, 'RUST')).urls[0], '/courses/rust-ru-men/');
  assert.equal((await urls(eng, 'ownership')).urls[0], '/courses/rust-ru-men/');
  assert.equal((await urls(eng, 'owner')).urls[0], '/courses/rust-ru-men/', 'Latin words match by prefix');
  assert.equal((await urls(eng, 'HTML5')).urls[0], '/courses/rust-ru-men/');
  const date = await urls(eng, '2026年');
  assert.equal(date.urls[0], '/lectures/2026-03-da-jiang-tang/');
  assert.equal((await urls(eng, '2026年3月15日')).urls[0], '/lectures/2026-03-da-jiang-tang/');
  assert.equal((await urls(eng, '２０２６年')).urls[0], '/lectures/2026-03-da-jiang-tang/', 'full-width digits');
});

test('a single character is a prefix lookup', async () => {
  const eng = engine();
  const { res, urls: got } = await urls(eng, '茶');
  assert.deepEqual(got, ['/lectures/2026-03-da-jiang-tang/']);
  assert.equal(res.plan.slots[0].prefix, true);
  const dang = await urls(eng, '党');
  assert.ok(dang.urls.length >= 5);
  // 鎮 (traditional) as one character finds the traditional page.
  assert.deepEqual((await urls(eng, '镇')).urls, ['/cases/dang-yuan-xia-ji-ceng/']);
});

test('punctuation-only and empty queries give nothing, without error', async () => {
  const eng = engine();
  for (const q of ['', '   ', '，。！？', '……——', '()[]{}']) {
    const res = await eng.search(q);
    assert.equal(res.total, 0, JSON.stringify(q));
    assert.equal(res.plan.slots.length, 0);
  }
});

test('a very long query is cut and still finds its page', async () => {
  const eng = engine();
  const body = docs.find((d) => d.url === '/about/jian-ti/').body;
  const res = await eng.search(body + body + body);
  assert.ok(res.tooLong);
  assert.equal(res.plan.slots.length, JT.MAX_SLOTS);
  assert.equal((await eng.meta(res.results[0].id)).u, '/about/jian-ti/');
  const junk = await eng.search('哈'.repeat(5000));
  assert.equal(junk.total, 0);
});

test('the exact title puts its page first, for every page', async () => {
  const eng = engine();
  for (const d of docs) {
    const { urls: got } = await urls(eng, d.title);
    assert.equal(got[0], d.url, d.title);
  }
  // 乡村振兴 is also in several bodies and headings; the case titled so is first.
  const res = await eng.search('乡村振兴');
  assert.ok(res.results[0].exact);
  assert.equal((await eng.meta(res.results[0].id)).u, '/cases/xiang-cun-zhen-xing/');
  assert.ok(res.total >= 4);
});

test('a query with no complete match falls back to partial matches', async () => {
  const eng = engine();
  const res = await eng.search('乡村振兴火星基地');
  assert.equal(res.partial, true);
  assert.ok(res.total > 0);
  const none = await eng.search('量子计算');
  assert.equal(none.total, 0);
  assert.equal(none.partial, false);
});

test('filters by kind and action, with counts', async () => {
  const eng = engine();
  const all = await eng.search('乡村振兴');
  assert.ok(all.counts.kind.case >= 2);
  assert.ok(all.counts.kind.lesson >= 1);
  const cases = await eng.search('乡村振兴', { kinds: ['case'] });
  assert.equal(cases.total, all.counts.kind.case);
  for (const r of cases.results) assert.equal((await eng.meta(r.id)).k, 'case');
  const action = await eng.search('干部', { actions: ['思想淬炼'] });
  assert.ok(action.total >= 1);
  for (const r of action.results) assert.equal((await eng.meta(r.id)).a, '思想淬炼');
  // Kind counts are computed with the action filter applied.
  assert.equal(action.counts.kind.case || 0, 0);
  assert.ok(all.counts.action['思想淬炼'] >= 1);
});

test('excerpts mark the matched text, folded or not', async () => {
  const eng = engine();
  const res = await eng.search('段简');
  const ex = await eng.excerpt(res.results[0].id, res.plan, 40);
  assert.deepEqual(ex.parts.filter((p) => p.mark).map((p) => p.text), ['段简']);
  const trad = await eng.search('党员干部');
  const id = trad.results.find(async () => true).id;
  const hl = await eng.excerpt(id, trad.plan, 0);
  assert.ok(hl.parts.some((p) => p.mark && p.text === '黨員幹部'));
  const one = JT.highlight('今年是2026年', JT.plan('年'), 0);
  assert.deepEqual(one.parts.filter((p) => p.mark).map((p) => p.text), ['年', '年']);
  const long = JT.highlight('前'.repeat(300) + '目标文字' + '后'.repeat(300), JT.plan('目标'), 60);
  assert.ok(long.before && long.after);
  assert.ok(long.parts.some((p) => p.mark && p.text === '目标'));
  assert.ok(long.parts.map((p) => p.text).join('').length <= 62);
});

test('a lone character between punctuation is looked up with its neighbour', async () => {
  const eng = engine();
  const { res, urls: got } = await urls(eng, '部，系');
  assert.deepEqual(res.plan.slots.map((s) => [s.term, s.junction]), [['部', '系']]);
  assert.equal(got[0], '/courses/xin-shi-dai/');
  const ex = await eng.excerpt(res.results[0].id, res.plan, 40);
  assert.deepEqual(ex.parts.filter((p) => p.mark).map((p) => p.text), ['部', '系']);
});

test('an excerpt fetches only the piece of the text that holds the match', async () => {
  const fetched = [];
  const eng = engine((p, opts) => {
    fetched.push(opts && opts.range ? `${p}@${opts.range.join('+')}` : p);
    return readFixture(p, opts);
  });
  const res = await eng.search('收官标记');
  const id = res.results[0].id;
  const meta = await eng.meta(id);
  assert.equal(meta.u, '/about/chang-pian/');
  assert.ok(meta.f[1] >= 3, 'the long page has several pieces');
  assert.equal(meta.x.length, meta.f[1], 'one text file per piece');
  const texts = () => fetched.filter((p) => p.startsWith('f/'));
  const ex = await eng.excerpt(id, res.plan, 60);
  assert.ok(ex.parts.some((p) => p.mark && p.text === '收官标记'));
  assert.ok(ex.before, 'the excerpt is from the end of the page');
  const last = meta.x[meta.x.length - 1];
  assert.deepEqual(texts(), [`f/${last[0]}.gz@${last[1]}+${last[2]}`], 'only the last piece, by range');
  const whole = await eng.text(id);
  assert.equal(whole, docs.find((d) => d.url === '/about/chang-pian/').body);
});

test('works when the server already un-gzipped the files', async () => {
  const eng = engine(async (p, opts) => zlib.gunzipSync(await readFixture(p, opts)));
  assert.equal((await urls(eng, '段简')).urls[0], '/about/jian-ti/');
  const res = await eng.search('收官标记');
  const ex = await eng.excerpt(res.results[0].id, res.plan, 60);
  assert.ok(ex.parts.some((p) => p.mark && p.text === '收官标记'));
});

test('works when the server ignores range requests (whole packs are cut here)', async () => {
  const asked = [];
  const eng = engine((p, opts) => {
    if (opts && opts.range) asked.push(p);
    return fs.promises.readFile(path.join(FIXTURE, 'search', p));
  });
  assert.equal((await urls(eng, '段简')).urls[0], '/about/jian-ti/');
  const res = await eng.search('收官标记');
  const ex = await eng.excerpt(res.results[0].id, res.plan, 60);
  assert.ok(ex.parts.some((p) => p.mark && p.text === '收官标记'));
  assert.ok(asked.some((p) => p.startsWith('t/')) && asked.some((p) => p.startsWith('f/')));
  for (const d of docs) assert.equal((await urls(eng, d.title)).urls[0], d.url, d.title);
});

test('a failing fetch rejects, and a later search retries', async () => {
  let fail = true;
  const eng = engine((p) => {
    if (fail) return Promise.reject(new Error('HTTP 404'));
    return fs.promises.readFile(path.join(FIXTURE, 'search', p));
  });
  await assert.rejects(eng.search('党员'));
  fail = false;
  assert.ok((await eng.search('党员')).total > 0);
});

test('known-item recall on the fixture site', async () => {
  const report = await recall.run({ publicDir: FIXTURE, docs, perPage: 20, seed: 3, bytesSample: 5 });
  assert.ok(report.queries > 300);
  assert.ok(report.recall10Rate >= 0.99, JSON.stringify(report.misses));
  assert.equal(report.anywhereRate, 1);
});

test('queries answer well within 30 ms once the index files are loaded', async () => {
  const eng = engine();
  const qs = ['党员干部', '乡村振兴', 'Rust 所有权', '2026年', '迴圈', '党'];
  for (const q of qs) await eng.search(q);
  for (const q of qs) {
    const t0 = performance.now();
    await eng.search(q);
    assert.ok(performance.now() - t0 < 30, q);
  }
});

// The dev server's incremental index: the fixture site after three edits (one
// case rewritten, one lecture removed, one case added with a new action), served
// as the full index plus a delta (see src/search/delta.rs).
const EDITED = JSON.parse(fs.readFileSync(path.join(FIXTURE, 'delta-docs.json'), 'utf8'));

function deltaEngine(fetched, entry = 'delta-entry.json.gz') {
  return engine((p, opts) => {
    if (fetched) fetched.push(p);
    return p === 'index.json.gz' ? fs.promises.readFile(path.join(FIXTURE, entry)) : readFixture(p, opts);
  });
}

test('delta: a removed page is hidden by a delta of no page', async () => {
  const eng = deltaEngine(null, 'removal-entry.json.gz');
  const got = await urls(eng, '乡村振兴');
  assert.ok(got.urls.length >= 3, JSON.stringify(got.urls));
  assert.ok(!got.urls.includes('/cases/xiang-cun-zhen-xing/'));
  const word = await urls(eng, '香菇');
  assert.ok(!word.urls.includes('/cases/xiang-cun-zhen-xing/'));
  assert.ok(word.urls.includes('/lectures/2026-03-da-jiang-tang/'), JSON.stringify(word.urls));
  const one = await urls(eng, '菇');
  assert.ok(!one.urls.includes('/cases/xiang-cun-zhen-xing/'));
  assert.equal(eng.delta.entry.docs, 0);
});

test('delta: edited, added and removed pages are found as they are now', async () => {
  const fetched = [];
  const eng = deltaEngine(fetched);
  // The rewritten case: found by its new text, no longer by its old text.
  let got = await urls(eng, '量子通信');
  assert.deepEqual(got.urls, ['/cases/chan-ye-fa-zhan/']);
  got = await urls(eng, '龙头企业');
  assert.deepEqual(got.urls, []);
  // Its title did not change and still puts it first.
  got = await urls(eng, '产业发展带动乡村振兴的三点做法');
  assert.equal(got.urls[0], '/cases/chan-ye-fa-zhan/');
  // The removed lecture is gone, the added case is there.
  got = await urls(eng, '网格化管理');
  assert.deepEqual(got.urls, []);
  got = await urls(eng, '一网通办');
  assert.equal(got.urls[0], '/cases/shu-zi-zheng-wu/');
  assert.ok(fetched.some((p) => p.startsWith('delta/1/t/')), 'the delta was read');
  assert.ok(!fetched.some((p) => p.startsWith('delta/1/fold/')), 'fold files come from the base');
});

test('delta: every page of the edited site, and only those, is found by its title', async () => {
  const eng = deltaEngine();
  const live = new Set(EDITED.map((d) => d.url));
  for (const d of EDITED) {
    const res = await eng.search(d.title);
    const metas = await Promise.all(res.results.map((r) => eng.meta(r.id)));
    assert.equal(metas[0].u, d.url, d.title);
    for (const m of metas) assert.ok(live.has(m.u), m.u + ' is not on the site any more');
    // No page twice (the base's old copy of an edited page is hidden).
    assert.equal(new Set(metas.map((m) => m.u)).size, metas.length, d.title);
  }
  // Unchanged pages are still found through the base: Pagefind 1237 again.
  const loop = await urls(eng, '迴圈');
  assert.deepEqual(loop.urls.slice().sort(), LOOP_PAGES);
});

test('delta: filters know the new action, excerpts of delta pages are marked', async () => {
  const eng = deltaEngine();
  await eng.search('一网通办');
  assert.ok(eng.entry.actions.values.includes('数字赋能'));
  assert.ok(eng.entry.actions.values.includes('思想淬炼'));
  const res = await eng.search('干部', { actions: ['思想淬炼'] });
  assert.ok(res.total >= 1);
  for (const r of res.results) assert.equal((await eng.meta(r.id)).a, '思想淬炼');
  const digital = await eng.search('办事', { actions: ['数字赋能'] });
  assert.equal(digital.total, 1);
  assert.equal((await eng.meta(digital.results[0].id)).u, '/cases/shu-zi-zheng-wu/');
  assert.equal(digital.counts.action['数字赋能'], 1);
  const both = await eng.search('党的建设', { domains: ['党的建设'] });
  const found = await Promise.all(both.results.map((r) => eng.meta(r.id)));
  assert.ok(found.some((m) => m.u === '/cases/shu-zi-zheng-wu/'), 'a base value matches a delta page');
  const q = await eng.search('量子通信');
  const ex = await eng.excerpt(q.results[0].id, q.plan, 40);
  assert.deepEqual(ex.parts.filter((p) => p.mark).map((p) => p.text), ['量子通信']);
  const text = await eng.text(q.results[0].id);
  assert.ok(text.includes('项目专班制'));
  // One-character prefix lookups join both indexes too.
  const one = await urls(eng, '量');
  assert.ok(one.urls.includes('/cases/chan-ye-fa-zhan/'));
});

// The fixture is the Rust writer's output (src/search/tests.rs keeps it up to date),
// so its version is the writer's FORMAT.
test('the client reads the index format the writer writes, and refuses another', async () => {
  const entry = JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(FIXTURE, 'search', 'index.json.gz'))));
  assert.equal(entry.format, JT.INDEX_FORMAT);
  const newer = zlib.gzipSync(JSON.stringify({ ...entry, format: JT.INDEX_FORMAT + 1 }));
  const eng = engine((p, opts) => (p === 'index.json.gz' ? newer : readFixture(p, opts)));
  await assert.rejects(eng.search('党员'), (err) => err.code === 'format');
});
