// Paged lists in a real browser: the sample site built with `page_size: 4`, so that the
// case library and the catalogue take three pages each. A keyboard-only reader walks the
// pagination from the first page to the last and back to the first; axe-core finds no
// serious or critical violation on a page in the middle, on a desktop and on a phone.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildSite, serve, launchBrowser, openPage, settle, REPO_ROOT, BASE_PATH, PHONE } from './lib/harness.mjs';
import { axeViolations, formatViolation } from './lib/axe.mjs';

let env;
before(async () => {
  // The sample site with a small page size, in a folder of its own.
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'jiangtang-paged-'));
  fs.cpSync(path.join(REPO_ROOT, 'content'), path.join(root, 'content'), { recursive: true });
  const yaml = fs.readFileSync(path.join(REPO_ROOT, 'site.yaml'), 'utf8');
  fs.writeFileSync(path.join(root, 'site.yaml'), `${yaml}\npage_size: 4\n`);
  const server = await serve(buildSite(root));
  const browser = await launchBrowser();
  env = { server, browser, close: async () => { await browser.close(); await server.close(); } };
});
after(async () => {
  await env?.close();
});

/** Presses Tab until a link of the pagination named `name` has the focus. */
async function tabTo(page, name) {
  for (let i = 0; i < 200; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const a = document.activeElement;
      return a && a.closest('nav.pagination') ? a.textContent.trim() : null;
    });
    if (focused === name) return;
  }
  assert.fail(`Tab never reached the pagination's “${name}”`);
}

/** The page number the pagination marks as current. */
async function current(page) {
  return page.locator('nav.pagination [aria-current="page"]').textContent();
}

test('a keyboard walks the pagination to the last page and back', async () => {
  const { context, page } = await openPage(env.browser, `${env.server.origin}${BASE_PATH}cases/`);
  try {
    const nav = page.getByRole('navigation', { name: '分页' });
    assert.ok(await nav.isVisible(), 'the pagination is shown');
    assert.equal(await current(page), '1');
    await tabTo(page, '下一页');
    await Promise.all([page.waitForURL(`**${BASE_PATH}cases/page/2/`), page.keyboard.press('Enter')]);
    await settle(page);
    assert.equal(await current(page), '2');
    await tabTo(page, '最后一页');
    await Promise.all([page.waitForURL(`**${BASE_PATH}cases/page/3/`), page.keyboard.press('Enter')]);
    await settle(page);
    assert.equal(await current(page), '3');
    assert.equal(await page.locator('nav.pagination a', { hasText: '下一页' }).count(), 0, 'no next page after the last');
    await tabTo(page, '第一页');
    await Promise.all([page.waitForURL(`**${BASE_PATH}cases/`), page.keyboard.press('Enter')]);
    await settle(page);
    assert.equal(await current(page), '1');
  } finally {
    await context.close();
  }
});

test('axe: a page of a paged list has no serious or critical violations', async (t) => {
  for (const viewport of [undefined, PHONE]) {
    for (const list of ['cases/page/2/', 'courses/page/2/']) {
      await t.test(`${list} ${viewport ? 'phone' : 'desktop'}`, async () => {
        const { context, page, response } = await openPage(env.browser, `${env.server.origin}${BASE_PATH}${list}`, { viewport });
        try {
          assert.equal(response.status(), 200);
          assert.equal(await page.locator('nav.pagination').count(), 1);
          const violations = await axeViolations(page);
          assert.deepEqual(violations.map(formatViolation), []);
        } finally {
          await context.close();
        }
      });
    }
  }
});
