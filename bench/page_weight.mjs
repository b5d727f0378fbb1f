#!/usr/bin/env node
/*
 * What a reader's browser meets when it opens pages of a built site, in headless
 * Chromium (Debian's, driven by the browser tests' playwright-core): for each page,
 * DOMContentLoaded (ms from the start of the navigation, the median of --runs loads,
 * each in a fresh context, so with an empty cache) and every file the page fetched by
 * the time it has been quiet for 500 ms, with its bytes and what fetched it. Called by
 * `bench/run.py --parts weight`; by hand:
 *
 *   node bench/page_weight.mjs --origin http://127.0.0.1:8000 --pages /,/cases/ \
 *        [--runs 5] [--json out.json]
 *
 * The site must be served without compression for the bytes to be the files' sizes.
 */

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(REPO, 'tests', 'js', 'package.json'));
const { chromium } = require('playwright-core');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}

const origin = option('origin');
const pages = (option('pages') || '').split(',').filter(Boolean);
const runs = Number(option('runs', '5'));
if (!origin || pages.length === 0 || !(runs >= 1)) {
  console.error('usage: page_weight.mjs --origin URL --pages /a/,/b/ [--runs N] [--json FILE]');
  process.exit(2);
}

/** Waits until no request has been in flight for `quiet` ms (at most `timeout`). */
async function quiet(page, inFlight, quietMs = 500, timeout = 15000) {
  const start = Date.now();
  let calm = Date.now();
  while (Date.now() - start < timeout) {
    if (inFlight.size > 0) calm = Date.now();
    else if (Date.now() - calm >= quietMs) return;
    await page.waitForTimeout(50);
  }
}

async function open(browser, url) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  const inFlight = new Set();
  const files = [];
  page.on('request', (r) => inFlight.add(r));
  page.on('requestfailed', (r) => inFlight.delete(r));
  page.on('requestfinished', async (r) => {
    const res = await r.response();
    let bytes = 0;
    try {
      bytes = res ? (await res.body()).length : 0;
    } catch { /* a body the browser did not keep */ }
    files.push({ url: r.url(), type: r.resourceType(), status: res ? res.status() : 0, bytes });
    inFlight.delete(r);
  });
  await page.goto(url, { waitUntil: 'load' });
  await quiet(page, inFlight);
  const dcl = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    return nav.domContentLoadedEventEnd - nav.startTime;
  });
  await context.close();
  return { dcl, files };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
const out = [];
try {
  for (const p of pages) {
    const url = new URL(p, origin).href;
    await open(browser, url); // warm-up: the server's and the disk's caches, not the browser's
    const samples = [];
    let files = [];
    for (let i = 0; i < runs; i++) {
      const r = await open(browser, url);
      samples.push(r.dcl);
      files = r.files;
    }
    out.push({ page: p, dcl_ms: median(samples), dcl_samples: samples, files });
  }
} finally {
  await browser.close();
}
const json = JSON.stringify(out, null, 1);
const file = option('json');
if (file) fs.writeFileSync(file, json);
else console.log(json);
