// Paged lists in a real browser: the sample site built with `page_size: 4`, so that the
// case library and the catalogue take three pages each. A keyboard-only reader walks the
// pagination from the first page to the last and back to the first; axe-core finds no
// serious or critical violation on a page in the middle, on a desktop and on a phone.
// With JavaScript, the filters choose among the items of every page (read from the
// Markdown here), and a filtered or sorted view pages with its own pagination.
// 我的学习 carries the first page of courses only: it fetches the pages of the courses
// the record touches, and a page of the courses not started when the reader turns to it.
// Built with relative links and served from a deeper folder, the cards and courses the
// scripts fetch link to pages that exist. A list of more than 2,000 cases, whose card
// index comes in parts, filters over all of them.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildSite, serve, launchBrowser, openPage, settle, REPO_ROOT, BASE_PATH, PHONE } from './lib/harness.mjs';
import { axeViolations, formatViolation } from './lib/axe.mjs';
import { courseSources } from './lib/content.mjs';

let env;
before(async () => {
  // The sample site with a small page size, in a folder of its own.
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'jiangtang-paged-'));
  fs.cpSync(path.join(REPO_ROOT, 'content'), path.join(root, 'content'), { recursive: true });
  const yaml = fs.readFileSync(path.join(REPO_ROOT, 'site.yaml'), 'utf8');
  fs.writeFileSync(path.join(root, 'site.yaml'), `${yaml}\npage_size: 4\n`);
  const server = await serve(buildSite(root));
  const browser = await launchBrowser();
  env = { root, server, browser, close: async () => { await browser.close(); await server.close(); } };
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

// ---------------------------------------------------------------------------
// Filters over all of a paged list's items (the card index)

/** The published items of a list's folder, from their Markdown: title, date, 学时 and
 *  the front matter's single values (`action`, `domain`). */
function listSources(folder) {
  const dir = path.join(REPO_ROOT, 'content', folder);
  const files = folder === 'courses'
    ? fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => path.join(dir, e.name, 'index.md'))
    : fs.readdirSync(dir).filter((n) => n.endsWith('.md') && !n.startsWith('_')).map((n) => path.join(dir, n));
  return files.map((file) => {
    const front = fs.readFileSync(file, 'utf8').match(/^---\n([\s\S]*?)\n---/)[1];
    const key = (k) => (front.match(new RegExp(`^${k}:\\s*(.*)$`, 'm')) || [])[1]?.trim().replace(/^["']|["']$/g, '') ?? '';
    return { title: key('title'), date: key('date'), hours: Number(key('hours')) || 0, action: key('action'), domain: key('domain'), draft: key('draft') === 'true' };
  }).filter((x) => !x.draft);
}

/** The titles of the cards the list shows. */
function shownTitles(page, list) {
  return page.$$eval(`main #${list} > li:not([hidden]) .card-title a`, (as) => as.map((a) => a.textContent.trim()));
}

/** Waits until the status line says `count` of `total`, and returns it. */
async function statusSays(page, count, total) {
  const status = page.locator('main [data-filter-status]');
  await page.waitForFunction(
    ([c, t]) => new RegExp(`显示 ${c}/${t} `).test(document.querySelector('main [data-filter-status]').textContent),
    [count, total],
    { timeout: 5000 },
  ).catch(async () => assert.fail(`status “${await status.textContent()}”, wanted ${count}/${total}`));
  return (await status.textContent()).trim();
}

test('filters cover every page of the list, as the content says, and the URL keeps them', async (t) => {
  for (const [folder, list, field] of [['cases', 'case-list', 'domain'], ['courses', 'course-list', 'action']]) {
    await t.test(folder, async () => {
      const items = listSources(folder);
      const { context, page, problems } = await openPage(env.browser, `${env.server.origin}${BASE_PATH}${folder}/`);
      try {
        const firstPage = await shownTitles(page, list);
        assert.ok(firstPage.length < items.length, 'the list takes more than one page');
        // The value whose items lie most beyond the first page.
        const values = [...new Set(items.map((x) => x[field]))];
        const beyond = (v) => items.filter((x) => x[field] === v && !firstPage.includes(x.title)).length;
        const value = values.sort((a, b) => beyond(b) - beyond(a))[0];
        assert.ok(beyond(value) > 0, `some ${field} has items beyond the first page`);
        const expected = items.filter((x) => x[field] === value);
        await page.locator(`main form select[name=${field}]`).selectOption(value);
        const status = await statusSays(page, expected.length, items.length);
        await settle(page);
        assert.deepEqual((await shownTitles(page, list)).sort(), expected.map((x) => x.title).sort());
        if (folder === 'courses') {
          const hours = Math.round(expected.reduce((s, x) => s + x.hours, 0) * 10) / 10;
          assert.match(status, new RegExp(`合计 ${hours} 学时`));
        }
        const address = new URL(page.url());
        assert.equal(decodeURI(address.pathname), `${BASE_PATH}${folder}/`);
        assert.equal(address.searchParams.get(field), value);
        assert.equal(await page.locator('main nav.pagination:not([hidden])').count(), 0, 'one page of matches has no pagination');

        const again = await openPage(env.browser, page.url());
        try {
          await statusSays(again.page, expected.length, items.length);
          await settle(again.page);
          assert.deepEqual((await shownTitles(again.page, list)).sort(), expected.map((x) => x.title).sort(), 'the address shows the same view');
          assert.equal(await again.page.locator(`main form select[name=${field}]`).inputValue(), value);
        } finally {
          await again.context.close();
        }

        await page.getByRole('button', { name: '重置筛选' }).click();
        await statusSays(page, items.length, items.length);
        assert.deepEqual(await shownTitles(page, list), firstPage, 'reset shows the page as the server wrote it');
        assert.equal(new URL(page.url()).search, '');
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    });
  }
});

test('a sorted view pages through every item with a pagination of its own', async () => {
  const items = listSources('cases').sort((a, b) => a.date.localeCompare(b.date));
  const pages = Math.ceil(items.length / 4);
  assert.ok(pages >= 3, 'the sample has cases for three pages of four');
  const { context, page, problems } = await openPage(env.browser, `${env.server.origin}${BASE_PATH}cases/page/2/`);
  try {
    await page.locator('main form select[name=sort]').selectOption({ label: '最早发布' });
    await statusSays(page, items.length, items.length);
    const seen = [];
    for (let n = 1; n <= pages; n++) {
      await page.locator('main nav.pagination[data-filter-pager] [aria-current="page"]', { hasText: String(n) }).waitFor();
      await settle(page);
      const shown = await shownTitles(page, 'case-list');
      assert.deepEqual(shown, items.slice((n - 1) * 4, n * 4).map((x) => x.title), `page ${n} of the oldest first`);
      seen.push(...shown);
      const address = new URL(page.url());
      assert.equal(decodeURI(address.pathname), `${BASE_PATH}cases/`);
      assert.equal(address.searchParams.get('page'), n > 1 ? String(n) : null);
      assert.equal(await page.locator('main nav.pagination:not([hidden])').count(), 1, 'only the view’s pagination shows');
      if (n < pages) await page.locator('main nav.pagination[data-filter-pager] a', { hasText: '下一页' }).click();
    }
    assert.deepEqual(seen, items.map((x) => x.title), 'the pages hold every case once');

    await page.goBack();
    await page.locator('main nav.pagination[data-filter-pager] [aria-current="page"]', { hasText: String(pages - 1) }).waitFor();
    await settle(page);
    assert.deepEqual(await shownTitles(page, 'case-list'), items.slice((pages - 2) * 4, (pages - 1) * 4).map((x) => x.title), 'back shows the page before');

    await page.reload();
    await page.locator('main nav.pagination[data-filter-pager] [aria-current="page"]', { hasText: String(pages - 1) }).waitFor();
    await settle(page);
    assert.deepEqual(await shownTitles(page, 'case-list'), items.slice((pages - 2) * 4, (pages - 1) * 4).map((x) => x.title), 'a reload shows the same page');
    const violations = await axeViolations(page);
    assert.deepEqual(violations.map(formatViolation), []);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('我的学习 reads the courses the record touches and pages through the rest', async () => {
  const origin = `${env.server.origin}${BASE_PATH}`;
  const { context, page } = await openPage(env.browser, `${origin}study/`);
  try {
    const index = JSON.parse(await page.locator('[data-study-index]').getAttribute('data-study-index'));
    assert.equal(index.per_page, 4, 'page_size: 4 gives pages of four courses');
    const sources = new Map(courseSources().map((c) => [c.rel.replace(/\/$/, ''), c]));
    assert.deepEqual([...sources.keys()].sort(), [...index.ids].sort(), 'the index lists every course of the content');
    const catalogue = index.ids.map((id) => sources.get(id));
    const pages = Math.ceil(catalogue.length / 4);
    assert.ok(pages >= 3, `the sample site's ${catalogue.length} courses take three pages`);
    // The page itself carries its first page of courses, not the others.
    const html = await (await page.request.get(`${origin}study/`)).text();
    for (const [k, c] of catalogue.entries()) {
      assert.equal(html.includes(`data-course-id="${index.ids[k]}"`), k < 4, `${c.title} in the page's HTML`);
    }

    // Study one lesson of a course on the last page, from the lesson's own page.
    const course = catalogue.filter((c) => c.lessons.length >= 2).at(-1);
    const at = index.ids.indexOf(course.rel.replace(/\/$/, ''));
    assert.ok(at >= 4 * (pages - 1), 'the course is on the last page');
    await page.goto(`${origin}${course.lessons[0]}`);
    await page.getByRole('button', { name: '标记为已学' }).first().click();
    await page.waitForFunction(() => document.querySelector('main button[aria-pressed]').getAttribute('aria-pressed') === 'true');

    const fetched = [];
    page.on('request', (r) => {
      const m = new URL(r.url()).pathname.match(/\/study\/data\/(\d+)\.json$/);
      if (m) fetched.push(Number(m[1]));
    });
    await page.goto(`${origin}study/`);
    const progress = page.locator('[data-study-group=progress] li.study-course');
    await progress.first().waitFor();
    assert.deepEqual(fetched, [pages], 'only the page holding the touched course is read');
    assert.equal(await progress.count(), 1);
    assert.equal(await progress.locator('.study-course-title').textContent(), course.title);
    assert.equal(await progress.locator('[data-course-progress-text]').textContent(),
      `已学 1/${course.lessons.length} 课（${Math.round(100 / course.lessons.length)}%）`);
    const link = new URL(await progress.locator('.study-course-title').getAttribute('href'), page.url());
    assert.equal(link.pathname, `${BASE_PATH}${course.rel}`, 'a course read from a data file links to its page');
    const heading = page.locator('#group-todo');
    assert.equal(await heading.textContent(), `未开始（${catalogue.length - 1} 门）`);

    // The keyboard turns the pages of the courses not started; each page is read once.
    const titles = async () => page.$$eval('[data-study-group=todo] li.study-course .study-course-title', (a) => a.map((x) => x.textContent));
    const status = page.locator('[data-study-page]');
    // 未开始 pages through the courses not started, a full page but the last.
    const todoPages = Math.ceil((catalogue.length - 1) / 4);
    const seen = [];
    const look = (sel) => page.locator(sel).evaluate((b) => [b.disabled, getComputedStyle(b).color]);
    const [prevOff, prevColour] = await look('[data-study-prev]');
    const [nextOff, nextColour] = await look('[data-study-next]');
    assert.ok(prevOff && !nextOff, 'on the first page only 上一页 is off');
    assert.notEqual(prevColour, nextColour, 'a button that is off looks it');
    assert.ok(await page.locator('[data-study-pager] + ul.study-list').count(), 'the buttons stand above the list');
    for (let n = 1; n <= todoPages; n++) {
      assert.equal(await status.textContent(), `第 ${n}/${todoPages} 页（按课程目录顺序，每页 4 门；已开始的课程列在上面）`);
      const these = await titles();
      assert.ok(n === todoPages ? these.length > 0 : these.length === 4, `page ${n} is full: ${these}`);
      seen.push(...these);
      if (n === todoPages) break;
      await page.locator('[data-study-next]').focus();
      await page.keyboard.press('Enter');
      await page.waitForFunction((want) => document.querySelector('[data-study-page]').textContent.startsWith(want), `第 ${n + 1}/`);
    }
    assert.deepEqual(seen, catalogue.filter((c) => c !== course).map((c) => c.title), 'every course not started, once, in catalogue order');
    assert.ok(await page.locator('[data-study-next]').isDisabled(), 'no page after the last');
    assert.equal(await page.evaluate(() => document.activeElement.hasAttribute('data-study-prev')), true, 'the focus moves to 上一页');
    assert.deepEqual([...new Set(fetched)].sort(), Array.from({ length: pages - 1 }, (_, i) => i + 2), 'pages read as shown');
    assert.equal(fetched.length, new Set(fetched).size, 'no page read twice');

    // A page of courses that cannot be read is said at the top, above the figures it
    // leaves out.
    await page.route('**/study/data/*.json*', (r) => r.abort());
    await page.goto(`${origin}study/`);
    const alarm = page.locator('[data-study-failed]');
    await alarm.waitFor({ state: 'visible' });
    assert.match(await alarm.textContent(), /^有些课程的资料没能读取，下面的统计可能不全/);
    assert.equal(await alarm.evaluate((a) => !!(a.compareDocumentPosition(document.querySelector('[data-study-summary]')) & Node.DOCUMENT_POSITION_FOLLOWING)), true);
  } finally {
    await context.close();
  }
});

test('relative links: cards and courses read from data files lead to their pages', async () => {
  // The same site built with relative links (base_url: ""), copied under a deeper path.
  const out = buildSite(env.root, '');
  const deep = '/copies/portal/';
  const server = await serve(out, deep);
  const { context, page, problems } = await openPage(env.browser, server.url('cases/'));
  try {
    const items = listSources('cases');
    const firstPage = await shownTitles(page, 'case-list');
    const value = [...new Set(items.map((x) => x.domain))]
      .find((v) => items.some((x) => x.domain === v && !firstPage.includes(x.title)));
    // Filtered from the first page and from a later one: every link of the page, the
    // cards' and the layout's, leads to a page of the copy.
    for (const start of ['cases/', 'cases/page/2/']) {
      await page.goto(server.url(start));
      await page.locator('main form select[name=domain]').selectOption(value);
      await statusSays(page, items.filter((x) => x.domain === value).length, items.length);
      await settle(page);
      const hrefs = await page.$$eval('a[href]:not([href^="#"])', (a) => a.filter((x) => !x.closest('[hidden]')).map((x) => x.href));
      assert.ok(hrefs.some((h) => /\/cases\/[^/]+\/index\.html$/.test(h)), `${start}: the cards' links`);
      for (const href of new Set(hrefs)) {
        assert.ok(new URL(href).pathname.startsWith(deep), `${start}: ${href} stays under the copy`);
        assert.equal((await page.request.get(href)).status(), 200, `${start}: ${href}`);
      }
    }

    await page.goto(server.url('study/'));
    await page.locator('[data-study-next]').click();
    await page.waitForFunction(() => document.querySelector('[data-study-page]').textContent.startsWith('第 2/'));
    const links = await page.$$eval('[data-study-group=todo] li.study-course a[href]', (a) => a.map((x) => x.href));
    assert.ok(links.length > 0);
    for (const href of links) {
      assert.ok(href.endsWith('/index.html') && new URL(href).pathname.startsWith(deep), href);
      assert.equal((await page.request.get(href)).status(), 200, href);
    }
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
    await server.close();
  }
});

test('a list whose card index comes in parts filters over every item', async () => {
  // 2,050 cases, the oldest fifty (last in the list, in the index's second part) of a
  // field of their own.
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'jiangtang-long-'));
  fs.writeFileSync(path.join(root, 'site.yaml'), 'title: 长列表\nbase_url: /\nlanguage: zh-CN\nactions: [专业训练]\n');
  const rare = [];
  for (let d = 1; d <= 2050; d++) {
    const date = new Date(Date.UTC(2010, 0, 1) + d * 86400000).toISOString().slice(0, 10);
    const domain = d <= 50 ? '基层治理' : '乡村振兴';
    if (d <= 50) rare.push(`案例${d}`);
    fs.mkdirSync(path.join(root, 'content', 'cases'), { recursive: true });
    fs.writeFileSync(path.join(root, 'content', 'cases', `c${d}.md`), `---\ntitle: 案例${d}\nunit: 市发改委\ndate: ${date}\ndomain: ${domain}\n---\n\n正文。\n`);
  }
  const server = await serve(buildSite(root));
  const { context, page, problems } = await openPage(env.browser, server.url('cases/'));
  try {
    await page.locator('main form select[name=domain]').selectOption('基层治理');
    await statusSays(page, 50, 2050);
    await settle(page);
    const shown = await shownTitles(page, 'case-list');
    assert.equal(shown.length, 30, 'a page of the matches');
    assert.ok(shown.every((t) => rare.includes(t)), `${shown}`);
    const parts = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname).filter((p) => /cards-part-/.test(p)));
    assert.deepEqual(parts, [`${BASE_PATH}cases/page/cards-part-2.json`], 'the index\'s second part is read');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
    await server.close();
  }
});
