// A Word document through the whole chain: `jiangtang import` of the generated case
// (tests/fixtures/docx/round-trip.docx: a heading tree, a numbered list, a table and two
// photos), `jiangtang build` of the sample site with it, and the case page in Chromium:
// the headings in their levels, the table's cells, both photos loaded with their alt
// text, and nothing failing on the page.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { REPO_ROOT, buildSite, serve, launchBrowser, openPage } from './lib/harness.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/** The sample site with the document imported as a case; returns it and the page's path. */
function siteWithImport() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'jiangtang-import-'));
  for (const f of ['site.yaml', 'content']) {
    fs.cpSync(path.join(REPO_ROOT, f), path.join(root, f), { recursive: true });
  }
  const bin = process.env.JIANGTANG_BIN || path.join(REPO_ROOT, 'target/debug/jiangtang');
  const out = execFileSync(bin, ['import', path.join(REPO_ROOT, 'tests/fixtures/docx/round-trip.docx'),
    '--as', 'case', '--root', root], { encoding: 'utf8' });
  const page = out.match(/→ content\/(cases\/[a-z0-9-]+)\.md/);
  assert.ok(page, `no page named in: ${out}`);
  return { root, rel: `${page[1]}/` };
}

test('an imported case shows its headings, its table and both photos', async () => {
  const { root, rel } = siteWithImport();
  assert.equal(rel, 'cases/san-lian-san-bang-po-jie-ji-ceng-zhi-li-nan-ti/');
  const server = await serve(buildSite(root));
  const { context, page, problems } = await openPage(browser, server.url(rel));
  try {
    assert.equal(await page.locator('h1').first().innerText(), '“三联三帮”破解基层治理难题');
    const headings = await page.$$eval('.content h2, .content h3',
      (hs) => hs.map((h) => `${h.tagName} ${h.textContent.trim()}`));
    assert.deepEqual(headings, [
      'H2 一、背景', 'H2 二、主要做法', 'H3 （一）联系到户', 'H3 （二）帮办实事', 'H2 三、现场照片',
    ]);
    assert.deepEqual(await page.$$eval('.content ol li', (lis) => lis.map((l) => l.textContent.trim())),
      ['网格员包片到户', '党员认领微心愿']);
    const cells = await page.$$eval('.content table tr',
      (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent.trim())));
    assert.deepEqual(cells, [['指标', '数值'], ['走访户数', '3200'], ['办结诉求', '418']]);
    // Lazy images load when scrolled to.
    const images = page.locator('.content img');
    assert.equal(await images.count(), 2);
    for (let i = 0; i < 2; i++) {
      await images.nth(i).scrollIntoViewIfNeeded();
      await page.waitForFunction((n) => {
        const img = document.querySelectorAll('.content img')[n];
        return img.complete && img.naturalWidth > 0;
      }, i, { timeout: 10000 });
    }
    const shown = await page.$$eval('.content img', (imgs) => imgs.map((img) => ({
      alt: img.alt, loaded: img.complete && img.naturalWidth > 0,
    })));
    assert.deepEqual(shown, [
      { alt: '网格员入户走访', loaded: true },
      { alt: '居民议事会现场', loaded: true },
    ]);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
    await server.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
});
