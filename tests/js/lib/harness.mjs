// Shared helpers for the real-browser tests of jiangtang.
//
// A test file does, in order:
//   const site = await getSite();          // the built site (SITE_DIR, or built here)
//   const server = await serve(site.dir);  // tiny static server under BASE_PATH
//   const browser = await launchBrowser(); // Debian's Chromium, headless, no network
//   const { page, problems } = await openPage(browser, server.url('courses/'));
// and closes the browser and the server in `after`.
//
// Environment (set by tests/browser.rs; all optional when run by hand):
//   SITE_DIR      the built site; when unset, getSite() builds the repo's sample site
//   BASE_PATH     the sub-path the site is built for and served under (default /training/)
//   JIANGTANG_BIN the engine binary used to build (default <repo>/target/debug/jiangtang)
//   CHROMIUM      the browser binary (default /usr/bin/chromium)

import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

/** The repository root (tests/js/lib/ → ../../..). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** The sub-path the site is served under, always with leading and trailing "/". */
export const BASE_PATH = normaliseBase(process.env.BASE_PATH || '/training/');

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

/** Flags that keep Chromium from hanging on this network-less machine. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Viewports used across the tests. */
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 375, height: 740 };

function normaliseBase(base) {
  let b = base.startsWith('/') ? base : '/' + base;
  if (!b.endsWith('/')) b += '/';
  return b;
}

// ---------------------------------------------------------------------------
// The built site

let sitePromise = null;

/**
 * The built site: `{ dir, pages }` where `pages` lists every HTML page (see listPages).
 * Uses SITE_DIR when set; otherwise builds the repo's sample site once per process
 * into a temporary folder with JIANGTANG_BIN (or target/debug/jiangtang).
 */
export function getSite() {
  sitePromise ??= (async () => {
    let dir = process.env.SITE_DIR;
    if (!dir) dir = buildSite(REPO_ROOT);
    if (!fs.existsSync(path.join(dir, 'index.html'))) {
      throw new Error(`SITE_DIR ${dir} has no index.html: is it a built jiangtang site?`);
    }
    return { dir, pages: listPages(dir) };
  })();
  return sitePromise;
}

/**
 * Builds the site at `root` for BASE_PATH into `out` (by default a fresh temporary
 * folder); returns the folder.
 */
export function buildSite(root, base = BASE_PATH, out = null) {
  const bin = process.env.JIANGTANG_BIN || path.join(REPO_ROOT, 'target/debug/jiangtang');
  if (!fs.existsSync(bin)) {
    throw new Error(`no site to test: set SITE_DIR, or JIANGTANG_BIN, or run \`cargo build\` (${bin} missing)`);
  }
  out ??= fs.mkdtempSync(path.join(os.tmpdir(), 'jiangtang-site-'));
  execFileSync(bin, ['build', '--root', root, '--output', out, '--base-url', base], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return out;
}

/**
 * Every HTML page of the built site, classified by kind from its path:
 *   home · 404 · catalogue (/courses/) · course (/courses/x/) · lesson (/courses/x/y/)
 *   print (/courses/x/print/, a course's print view)
 *   schedule (/lectures/) · lecture (/lectures/x/) · month (/lectures/2026-11/)
 *   year (/lectures/2026/, the months of a year of the schedule)
 *   pager (/cases/page/2/, /tags/x/page/2/: a later page of a paged list)
 *   cases (/cases/) · case (/cases/x/)
 *   search · study · taxonomy (/units/, the unit overview; /tags/ …) · term (/units/x/ …)
 *   units-year (/units/2026/) · rota (/series/x/rota/) · page (anything else)
 *   search · study · practice · practice-field · taxonomy (/units/, /tags/ …) · term (/units/x/ …) · page (anything else)
 * Each entry is `{ file, rel, url, kind, section }`; `rel` is the path below the base
 * ("courses/x/"), `url` the path to request ("/training/courses/x/").
 */
export function listPages(siteDir) {
  const taxonomyDirs = taxonomyDirNames();
  const pages = [];
  for (const file of walk(siteDir)) {
    if (!file.endsWith('.html')) continue;
    let rel = path.relative(siteDir, file).split(path.sep).join('/');
    rel = rel === 'index.html' ? '' : rel.replace(/(^|\/)index\.html$/, '$1');
    const { kind, section } = classify(rel, taxonomyDirs);
    pages.push({ file, rel, url: BASE_PATH + encodePath(rel), kind, section });
  }
  pages.sort((a, b) => a.rel.localeCompare(b.rel));
  return pages;
}

/** The kind of page at `rel` (path below the base, directories ending in "/"). */
export function classify(rel, taxonomyDirs = taxonomyDirNames()) {
  if (rel === '') return { kind: 'home', section: 'home' };
  if (rel === '404.html') return { kind: '404', section: '' };
  const isDir = rel.endsWith('/');
  const parts = rel.replace(/\/$/, '').split('/');
  const [top] = parts;
  const depth = isDir ? parts.length : Infinity; // a loose foo.html is never a list or item
  const sections = {
    courses: ['catalogue', 'course', 'lesson'],
    lectures: ['schedule', 'lecture'],
    cases: ['cases', 'case'],
  };
  // A later page of a paged list: /cases/page/2/, /tags/x/page/2/
  if (depth === parts.length && parts.length >= 3 && parts[parts.length - 2] === 'page' && /^\d+$/.test(parts[parts.length - 1])) {
    return { kind: 'pager', section: top };
  }
  // One year of the unit overview: /units/2026/ (no unit may take a year's address).
  if (top === 'units' && depth === 2 && /^\d{4}$/.test(parts[1])) {
    return { kind: 'units-year', section: top };
  }
  // A series' rota: /series/x/rota/
  if (top === 'series' && depth === 3 && parts[2] === 'rota') return { kind: 'rota', section: top };
  // The months of a year of the schedule: /lectures/2026/
  if (top === 'lectures' && depth === 2 && /^\d{4}$/.test(parts[1])) {
    return { kind: 'year', section: top };
  }
  // The schedule's month grid: /lectures/2026-11/
  if (top === 'lectures' && depth === 2 && /^\d{4}-\d{2}$/.test(parts[1])) {
    return { kind: 'month', section: top };
  }
  // A course's print view: /courses/x/print/ (no lesson may take that address).
  if (top === 'courses' && depth === 3 && parts[2] === 'print') return { kind: 'print', section: top };
  if (sections[top] && depth <= sections[top].length) {
    return { kind: sections[top][depth - 1], section: top };
  }
  if (depth === 1 && (top === 'search' || top === 'study')) return { kind: top, section: top };
  // 岗位练兵 and its bank by field: /practice/, /practice/<field>/
  if (top === 'practice' && depth <= 2) return { kind: depth === 1 ? 'practice' : 'practice-field', section: top };
  if (taxonomyDirs.has(top) && depth <= 2) {
    return { kind: depth === 1 ? 'taxonomy' : 'term', section: top };
  }
  return { kind: 'page', section: top };
}

/**
 * The URL folder names taxonomies may live under: each key of `taxonomies:` in the
 * repo's site.yaml, in singular and plural ("unit" → units), plus the usual ones.
 */
export function taxonomyDirNames(siteYaml = path.join(REPO_ROOT, 'site.yaml')) {
  const keys = ['action', 'level', 'domain', 'topics', 'unit', 'tags', 'speaker', 'series'];
  try {
    const text = fs.readFileSync(siteYaml, 'utf8');
    const block = text.match(/^taxonomies:\s*\n((?:[ \t]+.*\n?|\s*\n)*)/m);
    if (block) for (const m of block[1].matchAll(/^[ \t]+([A-Za-z_]+)\s*:/gm)) keys.push(m[1]);
  } catch {
    // no site.yaml: the defaults will do
  }
  const names = new Set();
  for (const k of keys) {
    names.add(k);
    names.add(k.endsWith('s') ? k : k + 's');
  }
  return names;
}

/** Pages grouped by kind: `{ course: [...], lesson: [...], ... }`. */
export function byKind(pages) {
  const groups = {};
  for (const p of pages) (groups[p.kind] ??= []).push(p);
  return groups;
}

/** One page of every kind (the first by path), for the per-kind checks. */
export function onePerKind(pages) {
  return Object.values(byKind(pages)).map((list) => list[0]);
}

function* walk(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else if (entry.isFile()) yield full;
  }
}

/** Percent-encodes each path segment (slugs may be Chinese). */
function encodePath(rel) {
  return rel.split('/').map(encodeURIComponent).join('/');
}

// ---------------------------------------------------------------------------
// The static server: SITE_DIR mounted under BASE_PATH, like nginx on the intranet

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.ics': 'text/calendar; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.pdf': 'application/pdf',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.vtt': 'text/vtt; charset=utf-8',
  '.pptx': 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.mp4': 'video/mp4',
  '.mp3': 'audio/mpeg',
  '.zip': 'application/zip',
};

/** The Content-Type the server sends for a file name. */
export function contentType(file) {
  return TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';
}

/**
 * Serves `siteDir` under BASE_PATH on 127.0.0.1 at a free port.
 * "/dir" redirects to "/dir/", "/dir/" serves dir/index.html, anything missing (or
 * outside BASE_PATH) gets the site's 404.html with status 404.
 * Returns `{ origin, base, url(rel), close() }`; `url('courses/')` → full URL.
 */
export async function serve(siteDir, base = BASE_PATH) {
  const root = path.resolve(siteDir);
  const notFound = (res) => {
    const page = path.join(root, '404.html');
    res.writeHead(404, { 'Content-Type': TYPES['.html'] });
    res.end(fs.existsSync(page) ? fs.readFileSync(page) : 'not found');
  };
  const server = http.createServer((req, res) => {
    const { pathname } = new URL(req.url, 'http://x');
    let rel;
    try {
      rel = decodeURIComponent(pathname);
    } catch {
      return notFound(res);
    }
    if (rel + '/' === base) return redirect(res, base);
    if (!rel.startsWith(base)) return notFound(res);
    const file = path.resolve(root, '.' + rel.slice(base.length - 1));
    if (file !== root && !file.startsWith(root + path.sep)) return notFound(res);
    let stat = fs.statSync(file, { throwIfNoEntry: false });
    if (stat?.isDirectory()) {
      if (!pathname.endsWith('/')) return redirect(res, pathname + '/');
      return sendFile(res, path.join(file, 'index.html'), req.method, notFound, req.headers.range);
    }
    return sendFile(res, file, req.method, notFound, req.headers.range);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    origin,
    base,
    url: (rel = '') => origin + base + rel.replace(/^\//, ''),
    close: () =>
      new Promise((resolve) => {
        server.close(resolve);
        server.closeAllConnections(); // don't wait for idle keep-alive sockets
      }),
  };
}

function redirect(res, location) {
  res.writeHead(301, { Location: location });
  res.end();
}

function sendFile(res, file, method, notFound, range) {
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (!stat?.isFile()) return notFound(res);
  // One range of bytes, as nginx answers it (the search client reads packs so).
  const m = /^bytes=(\d+)-(\d*)$/.exec(range || '');
  if (m && Number(m[1]) < stat.size) {
    const start = Number(m[1]);
    const end = Math.min(m[2] === '' ? stat.size - 1 : Number(m[2]), stat.size - 1);
    res.writeHead(206, {
      'Content-Type': contentType(file),
      'Content-Length': end - start + 1,
      'Content-Range': `bytes ${start}-${end}/${stat.size}`,
    });
    if (method === 'HEAD') return res.end();
    return fs.createReadStream(file, { start, end }).pipe(res);
  }
  res.writeHead(200, { 'Content-Type': contentType(file), 'Content-Length': stat.size, 'Accept-Ranges': 'bytes' });
  if (method === 'HEAD') return res.end();
  fs.createReadStream(file).pipe(res);
}

// ---------------------------------------------------------------------------
// The browser

/** Launches Debian's Chromium headless with the no-network flags. */
export async function launchBrowser() {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} missing: apt-get install -y chromium`);
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/**
 * Opens `url` in a new context and page and waits for the load event.
 * Options: `viewport`, `javaScriptEnabled` (default true), `waitUntil` ('load').
 * Returns `{ context, page, response, problems }`; `problems` is a live list of strings:
 * console errors, uncaught page errors, failed requests, responses ≥ 400, and
 * requests that leave 127.0.0.1 (the intranet rule: no CDN, no font, no analytics).
 * Close with `context.close()`.
 */
export async function openPage(browser, url, options = {}) {
  const context = await browser.newContext({
    viewport: options.viewport || DESKTOP,
    javaScriptEnabled: options.javaScriptEnabled ?? true,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  const page = await context.newPage();
  const problems = watch(page);
  const response = await page.goto(url, { waitUntil: options.waitUntil || 'load' });
  await settle(page);
  return { context, page, response, problems };
}

/**
 * Waits until the page has had no request in flight for `quiet` ms (at most `timeout`
 * ms in all): lets deferred scripts and their first fetches (a search index, say)
 * finish, much faster than Playwright's 500 ms 'networkidle'.
 */
export async function settle(page, { quiet = 100, timeout = 5000 } = {}) {
  const start = Date.now();
  let inflight = 0;
  let last = Date.now();
  const up = () => {
    inflight++;
    last = Date.now();
  };
  const down = () => {
    inflight--;
    last = Date.now();
  };
  page.on('request', up);
  page.on('requestfinished', down);
  page.on('requestfailed', down);
  try {
    while (Date.now() - start < timeout && (inflight > 0 || Date.now() - last < quiet)) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  } finally {
    page.off('request', up);
    page.off('requestfinished', down);
    page.off('requestfailed', down);
  }
}

/** Results the search page draws at once, before "显示更多结果" (its PAGE_SIZE). */
const SEARCH_PAGE_SIZE = 10;

/**
 * Waits until the search page shows the results its status line (`statusText`)
 * announces, each with its excerpt, and returns their total (0 for none). The
 * status comes first and the results follow as they load, so waiting for the
 * status alone can catch an empty list.
 */
export async function resultsShown(page, statusText) {
  const total = Number((statusText.match(/找到 (\d+) 条结果/) || [0, 0])[1]);
  await page.waitForFunction((n) => {
    const items = [...document.querySelectorAll('main .search-results__list > li')];
    return items.length === n && items.every((li) => li.querySelector('p') && li.querySelector('p').textContent !== '');
  }, Math.min(total, SEARCH_PAGE_SIZE));
  return total;
}

/** Starts collecting a page's problems (see openPage); returns the live list. */
export function watch(page) {
  const problems = [];
  const local = (u) => /^(data|blob|about):/.test(u) || new URL(u).hostname === '127.0.0.1';
  page.on('console', (msg) => {
    if (msg.type() === 'error') {
      const loc = msg.location();
      problems.push(`console error: ${msg.text()}${loc?.url ? ` (${loc.url}:${loc.lineNumber})` : ''}`);
    }
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.stack || err.message}`));
  page.on('request', (req) => {
    if (!local(req.url())) problems.push(`request leaves the intranet: ${req.url()}`);
  });
  page.on('requestfailed', (req) => {
    const error = req.failure()?.errorText;
    // ERR_ABORTED is the browser or the page changing its mind (the next navigation
    // cancels a late favicon fetch, an AbortController), not a broken link: a missing
    // file still shows as its HTTP 404 below.
    if (error === 'net::ERR_ABORTED') return;
    problems.push(`request failed: ${req.url()} (${error})`);
  });
  page.on('response', (res) => {
    if (res.status() < 400) return;
    // Without <link rel="icon"> Chromium asks for /favicon.ico at the server root,
    // outside the base path: on the intranet that is someone else's site.
    const hint = new URL(res.url()).pathname === '/favicon.ico' ? ' (the page has no <link rel="icon">)' : '';
    problems.push(`HTTP ${res.status()}: ${res.url()}${hint}`);
  });
  return problems;
}

/**
 * Sets up what a test file needs once: the site, the server and the browser.
 * Returns `{ site, server, browser, close() }`.
 */
export async function setup() {
  const site = await getSite();
  const server = await serve(site.dir);
  let browser;
  try {
    browser = await launchBrowser();
  } catch (err) {
    await server.close();
    throw err;
  }
  return {
    site,
    server,
    browser,
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}

/** Short readable label for a page in messages: "course /training/courses/x/". */
export function label(p) {
  return `${p.kind} ${decodeURI(p.url)}`;
}
