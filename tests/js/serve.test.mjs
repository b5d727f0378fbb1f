// `jiangtang serve` in a real browser: the open page reloads by itself and shows the
// edited text at the same scroll position; a broken file shows the diagnostics over
// the page and fixing it reloads; a stylesheet change restyles without a reload; many
// open tabs share one live-reload connection, so page loads are not starved by the
// browser's six-connections-per-host limit. Pages are served with a strict
// Content-Security-Policy, as the portal is. The live-reload scripts themselves must
// be ES2019 like the theme's.
//
// Runs the engine's `serve` on a temporary copy of the sample site (site.yaml and
// content/) under BASE_PATH, on a free port.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import zlib from 'node:zlib';
import { REPO_ROOT, BASE_PATH, launchBrowser, watch, settle, resultsShown } from './lib/harness.mjs';
import { checkJsDir } from './lib/compat.mjs';

const BIN = process.env.JIANGTANG_BIN || path.join(REPO_ROOT, 'target/debug/jiangtang');
const COURSE = 'courses/xiang-cun-zhen-xing-shi-wu';
const LESSON_FILE = `content/${COURSE}/99-shi-shi-yu-lan.md`;
const LESSON_URL = `${COURSE}/shi-shi-yu-lan/`;
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** A lesson long enough to scroll, with `extra` as its last paragraph. */
function lesson(extra = '', frontMatter = 'title: 实时预览测试课\nduration: 10') {
  const parts = [];
  for (let i = 1; i <= 12; i++) {
    parts.push(`## 第${i}部分\n\n` + '这是用于测试实时预览的段落，内容较长，以便页面可以滚动。'.repeat(12) + '\n');
  }
  return `---\n${frontMatter}\n---\n\n${parts.join('\n')}\n${extra}\n`;
}

let site;
let server;
let browser;

before(async () => {
  site = fs.mkdtempSync(path.join(os.tmpdir(), 'jiangtang-serve-'));
  fs.copyFileSync(path.join(REPO_ROOT, 'site.yaml'), path.join(site, 'site.yaml'));
  fs.cpSync(path.join(REPO_ROOT, 'content'), path.join(site, 'content'), { recursive: true });
  fs.mkdirSync(path.join(site, 'static/css'), { recursive: true });
  write(LESSON_FILE, lesson('最初的结尾段落。'));
  server = await startServer(site);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  server?.stop();
  if (site) fs.rmSync(site, { recursive: true, force: true });
});

function write(rel, text) {
  const file = path.join(site, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

/** Starts `jiangtang serve` on a free port; resolves once it prints its address. */
function startServer(root) {
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, ['serve', '--root', root, '--port', '0', '--base-url', BASE_PATH], {
      env: { ...process.env, JIANGTANG_SERVE_HEARTBEAT_MS: '300' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`jiangtang serve printed no address in 120 s:\n${out}\n${err}`));
    }, 120000);
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/http:\/\/127\.0\.0\.1:(\d+)\//);
      if (m) {
        clearTimeout(timer);
        const origin = `http://127.0.0.1:${m[1]}`;
        resolve({
          origin,
          url: (rel = '') => origin + BASE_PATH + rel,
          output: () => out + err,
          stop: () => child.kill(),
        });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`jiangtang serve exited (${code}):\n${out}\n${err}`));
    });
  });
}

async function status() {
  const res = await fetch(server.url('__jiangtang/status'));
  return res.json();
}

/** Waits until `check()` is true (polling), or fails with `what`. */
async function until(check, what, timeout = 30000) {
  const start = Date.now();
  for (;;) {
    if (await check()) return;
    if (Date.now() - start > timeout) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A browser context whose HTML pages carry the portal's strict CSP. */
async function strictContext() {
  const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  await context.route(
    (url) => url.origin === server.origin && !url.pathname.includes('/__jiangtang/'),
    async (route) => {
      if (route.request().resourceType() !== 'document') return route.continue();
      const response = await route.fetch();
      await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': CSP } });
    },
  );
  return context;
}

/** Opens `rel` and waits until live reload has heard the server's hello. */
async function openLive(context, rel) {
  const page = await context.newPage();
  const problems = watch(page);
  await page.goto(server.url(rel), { waitUntil: 'load' });
  await page.waitForFunction(() => window.jiangtangLive && window.jiangtangLive.events.includes('hello'), null, {
    timeout: 30000,
  });
  await settle(page);
  return { page, problems };
}

test('the live-reload scripts are ES2019', () => {
  const { files, problems } = checkJsDir(path.join(REPO_ROOT, 'src/serve'));
  assert.equal(files.length, 2, `expected live.js and worker.js, got ${files}`);
  assert.equal(problems.length, 0, problems.join('\n'));
});

test('the open page reloads and shows the edited text at the same place', async () => {
  const context = await strictContext();
  try {
    const { page, problems } = await openLive(context, LESSON_URL);
    assert.equal(await page.evaluate(() => window.jiangtangLive.via), 'worker');
    assert.match(await page.textContent('main'), /最初的结尾段落/);
    await page.evaluate(() => {
      window.scrollTo(0, 600);
      window.beforeReload = true;
    });
    const y = await page.evaluate(() => window.scrollY);
    assert.ok(y > 500, `the page does not scroll (scrollY ${y})`);

    write(LESSON_FILE, lesson('编辑后的结尾段落：浏览器应当自动显示这句话。'));
    await page.waitForFunction(() => document.body.innerText.includes('编辑后的结尾段落'), null, { timeout: 30000 });
    assert.equal(await page.evaluate(() => window.beforeReload), undefined, 'the page was not reloaded');
    await page.waitForFunction((want) => Math.abs(window.scrollY - want) < 40, y, { timeout: 5000 });
    await settle(page);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('a broken file shows its diagnostics over the page; fixing it reloads', async () => {
  const context = await strictContext();
  try {
    const { page, problems } = await openLive(context, LESSON_URL);
    const before = await page.textContent('main');

    write(LESSON_FILE, lesson('', 'title: [没有闭合的列表\nduration: 10'));
    const overlay = page.locator('#jiangtang-error-overlay');
    await overlay.waitFor({ state: 'visible', timeout: 30000 });
    const text = await overlay.innerText();
    assert.match(text, /生成失败：\d+ 个错误/);
    assert.ok(text.includes(`${LESSON_FILE}:`), `no path:line:column in the overlay:\n${text}`);
    assert.match(text, /修改方法：/);
    // The page under it is still the last good build.
    assert.equal(await page.textContent('main'), before);

    write(LESSON_FILE, lesson('修好以后的结尾段落。'));
    await page.waitForFunction(() => document.body.innerText.includes('修好以后的结尾段落'), null, { timeout: 30000 });
    assert.equal(await overlay.count(), 0, 'the overlay stayed after the fix');
    await settle(page);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

/** The search page of the preview for `q`: result links and marked words, once they show. */
async function searchPreview(context, q) {
  const page = await context.newPage();
  const problems = watch(page);
  await page.goto(server.url('search/?q=' + encodeURIComponent(q)), { waitUntil: 'load' });
  const status = page.locator('main [role=status]');
  await status.filter({ hasText: /找到|没有/ }).waitFor({ timeout: 30000 });
  await resultsShown(page, await status.textContent());
  const results = await page.locator('main .search-results__list > li').evaluateAll((lis) =>
    lis.map((li) => ({
      href: li.querySelector('a').getAttribute('href'),
      marks: [...li.querySelectorAll('mark')].map((m) => m.textContent),
      text: li.textContent,
    })),
  );
  await settle(page);
  assert.deepEqual(problems, []);
  await page.close();
  return results;
}

test('search on the preview follows edits: the edited page is indexed again by itself', async () => {
  const context = await strictContext();
  try {
    const edits = ['增量索引第一版：长江经济带绿色发展示范区。', '增量索引第二版：汉襄肉牛产业带。'];
    for (const text of edits) {
      const before = (await status()).build;
      write(LESSON_FILE, lesson(text));
      // A build left over from an earlier test also changes the build number: wait
      // for the one that serves this edit, and for its search index.
      await until(async () => {
        const s = await status();
        if (s.build === before || !s.search_fresh) return false;
        const html = await (await fetch(server.url(LESSON_URL))).text();
        const again = await status();
        return html.includes(text) && again.build === s.build && again.search_fresh;
      }, 'the search index of the edit');
    }
    const entry = await (await fetch(server.url('search/index.json.gz'))).arrayBuffer();
    const delta = JSON.parse(zlib.gunzipSync(Buffer.from(entry)).toString('utf8')).delta;
    assert.ok(delta && delta.docs === 1, 'the edit went into a delta of one page: ' + JSON.stringify(delta));
    const now = await searchPreview(context, '汉襄肉牛产业带');
    assert.equal(now.length, 1, JSON.stringify(now));
    assert.ok(now[0].href.endsWith(LESSON_URL), now[0].href);
    assert.ok(now[0].marks.includes('汉襄肉牛产业带'), JSON.stringify(now[0]));
    const old = await searchPreview(context, '绿色发展示范区');
    assert.ok(!old.some((r) => r.href.endsWith(LESSON_URL)), 'the text of the first edit is still found');
    // The other pages are still found through the full index.
    const others = await searchPreview(context, '乡村振兴');
    assert.ok(others.length > 3, JSON.stringify(others));
  } finally {
    await context.close();
  }
});

test('a stylesheet change restyles the open page without reloading it', async () => {
  const context = await strictContext();
  try {
    const { page, problems } = await openLive(context, LESSON_URL);
    const css = await page.evaluate(() =>
      fetch(document.querySelector('link[rel="stylesheet"]').href).then((r) => r.text()),
    );
    await page.evaluate(() => {
      window.noReload = true;
    });
    write('static/css/site.css', `${css}\nmain { outline: 5px solid rgb(1, 2, 3); }\n`);
    await page.waitForFunction(() => getComputedStyle(document.querySelector('main')).outlineColor === 'rgb(1, 2, 3)', null, {
      timeout: 30000,
    });
    assert.equal(await page.evaluate(() => window.noReload), true, 'the page reloaded');
    assert.equal(await page.locator('link[rel="stylesheet"]').count(), 1, 'the old stylesheet stayed');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
    const { build } = await status();
    fs.rmSync(path.join(site, 'static/css/site.css'), { force: true });
    await until(async () => (await status()).build !== build, 'the build without the test stylesheet');
  }
});

test('ten open tabs share one connection and new pages still load at once', async () => {
  await until(async () => (await status()).live_connections === 0, 'earlier connections to close');
  const context = await strictContext();
  try {
    const tabs = [];
    for (let i = 0; i < 10; i++) tabs.push(await openLive(context, i % 2 ? LESSON_URL : ''));
    await until(async () => (await status()).live_connections === 1, 'one shared connection');

    // An eleventh page loads promptly: the tabs hold no connection of their own.
    const started = Date.now();
    const extra = await context.newPage();
    await extra.goto(server.url('courses/'), { waitUntil: 'load', timeout: 10000 });
    assert.ok(Date.now() - started < 10000);

    for (const { page } of tabs) await page.evaluate(() => (window.beforeReload = true));
    write(LESSON_FILE, lesson('十个标签页都应当刷新。'));
    for (const { page } of tabs) {
      await page.waitForFunction(() => window.beforeReload === undefined && window.jiangtangLive, null, {
        timeout: 30000,
      });
    }
    for (const { page, problems } of tabs) {
      await settle(page);
      assert.deepEqual(problems, []);
    }
  } finally {
    await context.close();
  }
});
