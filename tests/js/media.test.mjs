// Photos and recordings as a phone gets them. A case page whose source photo is a
// 4032×3024 phone picture, at 375 px: at most 200 KB of image bytes transferred (the
// page scrolled to the end, so lazy images load too), every <img> with width and height,
// each image's box laid out at its final shape before the image arrives, and no layout
// shift while the images load (Layout Instability API: CLS = 0). The sample site's recorded
// lecture: its <video> loads its metadata (readyState ≥ 1) with the subtitles track.
//
// The photo is made with Pillow (tests/media/make_photo.py); without it the first test
// is skipped outside CI.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { REPO_ROOT, buildSite, getSite, serve, launchBrowser, openPage, PHONE } from './lib/harness.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

function havePillow() {
  try {
    execFileSync('python3', ['-c', 'import PIL'], { stdio: 'ignore' });
    return true;
  } catch {
    assert.ok(!process.env.CI, 'CI must install Python\'s Pillow (pip install Pillow)');
    return false;
  }
}

/** The sample site with one more case, holding a phone photo twice, between paragraphs. */
function siteWithPhoto() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'jiangtang-media-'));
  for (const f of ['site.yaml', 'content']) {
    fs.cpSync(path.join(REPO_ROOT, f), path.join(root, f), { recursive: true });
  }
  const text = '现场教学的情况说明。'.repeat(40);
  fs.writeFileSync(path.join(root, 'content/cases/xian-chang.md'),
    `---\ntitle: 现场教学\nunit: 市委组织部\n---\n\n${text}\n\n![现场照片](xian-chang.jpg)\n\n${text}\n\n![会场另一角](xian-chang.jpg)\n\n${text}\n`);
  execFileSync('python3', [path.join(REPO_ROOT, 'tests/media/make_photo.py'),
    path.join(root, 'content/cases/xian-chang.jpg'), '4032', '3024', '1']);
  return root;
}

test('a phone photo at 375 px: ≤ 200 KB of images, sized, no layout shift', async (t) => {
  if (!havePillow()) return t.skip('Pillow is not installed');
  const root = siteWithPhoto();
  const dir = buildSite(root);
  const server = await serve(dir);
  const context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' });
  // Before any image has arrived, each already has its box: the height its width and
  // height attributes give it.
  await context.addInitScript(() => {
    document.addEventListener('DOMContentLoaded', () => {
      window.boxesBeforeLoad = [...document.querySelectorAll('.content img')].map((i) => {
        const r = i.getBoundingClientRect();
        return { loaded: i.complete && i.naturalWidth > 0, ratio: r.height / r.width };
      });
    });
  });
  const page = await context.newPage();
  const imageBytes = [];
  page.on('response', async (r) => {
    if (r.request().resourceType() === 'image') {
      imageBytes.push((await r.body().catch(() => Buffer.alloc(0))).length);
    }
  });
  await page.goto(server.url('cases/xian-chang/'), { waitUntil: 'load' });
  try {
    const result = await page.evaluate(async () => {
      // The shifts while the images load: from here on (the lazy one loads when
      // scrolled near).
      let cls = 0;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) if (!e.hadRecentInput) cls += e.value;
      }).observe({ type: 'layout-shift' });
      // Scroll to the end so that the lazy image loads, then let it decode and lay out.
      window.scrollTo(0, document.body.scrollHeight);
      await new Promise((r) => setTimeout(r, 300));
      const imgs = [...document.querySelectorAll('.content img')];
      await Promise.race([
        Promise.all(imgs.map((i) => (i.complete ? null : new Promise((r) => { i.onload = i.onerror = r; })))),
        new Promise((r) => setTimeout(r, 5000)),
      ]);
      await new Promise((r) => setTimeout(r, 300));
      return {
        cls,
        boxes: window.boxesBeforeLoad,
        imgs: imgs.map((i) => ({
          src: i.currentSrc, width: i.getAttribute('width'), height: i.getAttribute('height'),
          loaded: i.complete && i.naturalWidth > 0,
        })),
        all: [...document.querySelectorAll('img')].filter((i) => !i.hasAttribute('width') || !i.hasAttribute('height')).map((i) => i.src),
      };
    });
    assert.equal(result.imgs.length, 2, JSON.stringify(result));
    for (const i of result.imgs) {
      assert.ok(i.loaded, `not loaded: ${JSON.stringify(i)}`);
      assert.match(i.src, /xian-chang-480w\.jpg$/, 'a 375 px phone takes the 480 px variant');
    }
    assert.deepEqual(result.all, [], 'every <img> has width and height');
    assert.equal(result.cls, 0, `cumulative layout shift while the images load: ${result.cls}`);
    assert.equal(result.boxes.length, 2, JSON.stringify(result.boxes));
    for (const b of result.boxes) {
      assert.ok(Math.abs(b.ratio - 3024 / 4032) < 0.01, `box before the image arrived: ${JSON.stringify(b)}`);
    }
    const total = imageBytes.reduce((a, b) => a + b, 0);
    assert.ok(imageBytes.length > 0, 'the photo was requested');
    assert.ok(total <= 200 * 1024, `image bytes transferred: ${total}`);
  } finally {
    await context.close();
    await server.close();
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the recorded lecture plays: metadata loaded, subtitles on', async () => {
  const site = await getSite();
  const server = await serve(site.dir);
  const { context, page } = await openPage(browser, server.url('lectures/2026-12-01-dong-chun-sen-lin-fang-huo/'));
  try {
    const state = await page.evaluate(async () => {
      const v = document.querySelector('.recording video');
      if (!v) return null;
      const deadline = Date.now() + 5000;
      while (v.readyState < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const track = v.textTracks[0];
      return { readyState: v.readyState, duration: v.duration, error: v.error && v.error.code, track: track && track.mode, lang: track && track.language };
    });
    assert.ok(state, 'the lecture page has a <video>');
    assert.ok(state.readyState >= 1, `readyState ${JSON.stringify(state)}`);
    assert.ok(state.duration > 3 && state.duration < 5, `duration ${state.duration}`);
    assert.equal(state.track, 'showing', JSON.stringify(state));
    assert.equal(state.lang, 'zh');
  } finally {
    await context.close();
    await server.close();
  }
});

test('handouts: a PDF opens in a new tab, another file is saved, both with type and size', async () => {
  const site = await getSite();
  const server = await serve(site.dir);
  const pdfPage = await openPage(browser, server.url('lectures/2026-12-01-dong-chun-sen-lin-fang-huo/'));
  const txtPage = await openPage(browser, server.url('lectures/2027-01-13-du-shu-ban-di-san-qi/'));
  try {
    const pdf = pdfPage.page.locator('.attachments li');
    assert.equal(await pdf.count(), 1);
    // The words for screen readers sit on lines of their own in innerText (off screen).
    assert.match((await pdf.innerText()).replace(/\n/g, ''), /^2026-12-01-dong-chun-sen-lin-fang-huo\.pdf（在新标签页打开） · PDF · 1 KB$/);
    assert.equal(await pdf.getByRole('link', { name: /^2026-12-01-dong-chun-sen-lin-fang-huo\.pdf\s*（在新标签页打开）$/ }).count(), 1);
    // The reader's page stays where it is; the PDF comes up in a tab of its own.
    const [tab] = await Promise.all([
      pdfPage.context.waitForEvent('page'),
      pdf.locator('a').click(),
    ]);
    await tab.waitForLoadState('commit');
    assert.match(tab.url(), /\/lectures\/2026-12-01-dong-chun-sen-lin-fang-huo\.pdf$/);
    assert.match(pdfPage.page.url(), /\/lectures\/2026-12-01-dong-chun-sen-lin-fang-huo\/$/);
    assert.equal(await tab.evaluate(() => window.opener), null, 'rel=noopener: the new tab cannot reach this page');

    const txt = txtPage.page.locator('.attachments li');
    assert.match(await txt.innerText(), /^2027-du-shu-ban-shu-mu\.txt · TXT · 727 B$/);
    const [download] = await Promise.all([
      txtPage.page.waitForEvent('download'),
      txt.locator('a').click(),
    ]);
    assert.equal(download.suggestedFilename(), '2027-du-shu-ban-shu-mu.txt');
    assert.equal(txtPage.context.pages().length, 1, 'no tab opened for a file that is saved');
  } finally {
    await pdfPage.context.close();
    await txtPage.context.close();
    await server.close();
  }
});
