// Site search in a real browser (the engine itself is tested in Node, tests/js/search/):
//
//  - the header box of any page suggests pages as the reader types, with the matched
//    text in <mark>; ↓ and Enter, or a click, open the page suggested;
//  - the "all results" suggestion links to /search/?q=…, which lists every match
//    (more on demand): every published page with the query in its text, no draft, the
//    highlighted words really on the pages found; and it filters by kind with the
//    counts it shows;
//  - a query in traditional characters (黨員, 應急管理) finds the same pages, in the same
//    order, as the simplified one.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, openPage, byKind, BASE_PATH, DESKTOP, PHONE, resultsShown } from './lib/harness.mjs';
import { pageSources } from './lib/content.mjs';

let env;
before(async () => {
  env = await setup();
});
after(async () => {
  await env?.close();
});

const url = (rel) => env.server.url(rel);

/** The header search box: a combobox once its suggestions are wired up. */
const headerBox = (page) => page.getByRole('search', { name: '全站搜索' }).getByRole('combobox', { name: '搜索课程、讲座和案例' });
const pathOf = (u) => decodeURI(new URL(u, 'http://x').pathname);

async function open(address) {
  const opened = await openPage(env.browser, address);
  opened.page.setDefaultTimeout(15000);
  return opened;
}

/** The visible suggestions under the header box: [{id, title, kind, marks, selected}]. */
function suggestions(page) {
  return page.$$eval('header [role=listbox] [role=option]', (options) =>
    options
      .filter((o) => o.getClientRects().length > 0)
      .map((o) => {
        const badge = o.querySelector('.search-badge');
        return {
          id: o.id,
          title: o.textContent.slice(badge ? badge.textContent.length : 0).trim(),
          kind: badge ? badge.textContent.trim() : '',
          marks: [...o.querySelectorAll('mark')].map((m) => m.textContent),
          selected: o.getAttribute('aria-selected') === 'true',
        };
      }),
  );
}

/** Waits until the suggestions are for `query`: one of them marks all of it. */
async function waitForSuggestions(page, query) {
  await page.waitForFunction(
    (q) => [...document.querySelectorAll('header [role=listbox] [role=option] mark')].some((m) => m.textContent === q && m.getClientRects().length > 0),
    query,
  );
  return suggestions(page);
}

/** The results the search page shows, after pressing "显示更多结果" until all are out. */
async function allResults(page) {
  const status = page.locator('main [role=status]');
  await status.filter({ hasText: /找到|没有/ }).waitFor();
  const total = await resultsShown(page, await status.textContent());
  const more = page.getByRole('button', { name: '显示更多结果' });
  const items = page.locator('main .search-results__list > li');
  for (let i = 0; i < 20 && (await more.isVisible()); i++) {
    const before = await items.count();
    await more.click();
    await page.waitForFunction((n) => document.querySelectorAll('main .search-results__list > li').length > n, before);
  }
  // Excerpts arrive after the titles: wait until every result has one.
  await page.waitForFunction(() =>
    [...document.querySelectorAll('main .search-results__list > li')].every((li) => li.querySelector('p') && li.querySelector('p').textContent !== ''),
  );
  const results = await items.evaluateAll((lis) =>
    lis.map((li) => {
      const a = li.querySelector('a');
      return {
        href: a.getAttribute('href'),
        title: a.textContent.trim(),
        kind: li.querySelector('.search-badge')?.textContent.trim() ?? '',
        crumbs: li.querySelector('.search-result__crumbs')?.textContent.trim() ?? '',
        marks: [...li.querySelectorAll('mark')].map((m) => m.textContent),
      };
    }),
  );
  return { total, results };
}

/** The text of each page's <main>, fetched in the browser. */
function mainTexts(page, hrefs) {
  return page.evaluate(async (hrefs) => {
    const out = [];
    for (const h of hrefs) {
      const doc = new DOMParser().parseFromString(await (await fetch(h)).text(), 'text/html');
      out.push(doc.querySelector('main').textContent.replace(/\s+/g, ''));
    }
    return out;
  }, hrefs);
}

test('header search: suggestions as you type, highlighted; keyboard and click open them', async () => {
  const course = byKind(env.site.pages).course[0];
  const { context, page, problems } = await open(env.server.origin + course.url);
  // Term chunks and page texts are parts of packs, read by range.
  const parts = [];
  page.on('response', (r) => {
    if (/\/search\/(t|f|m)\/\d+\.gz/.test(r.url())) parts.push([r.status(), r.request().headers().range || '']);
  });
  try {
    const box = headerBox(page);
    await box.click();
    await box.pressSequentially('应急', { delay: 30 });
    let list = await waitForSuggestions(page, '应急');
    assert.ok(list.length >= 2, 'two characters already suggest pages');
    assert.ok(parts.length > 0, 'no term pack was read');
    for (const [status, range] of parts) {
      assert.equal(status, 206, 'a pack was read whole');
      assert.match(range, /^bytes=\d+-\d+$/);
    }
    await box.pressSequentially('管理', { delay: 30 });
    list = await waitForSuggestions(page, '应急管理');
    const pages = list.filter((s) => s.kind);
    assert.ok(pages.length >= 2 && pages.length <= 6, `a handful of pages suggested: ${JSON.stringify(list)}`);
    for (const s of pages) {
      for (const m of s.marks) assert.ok('应急管理'.includes(m), `"${m}" in "${s.title}" is highlighted but not part of the query`);
    }
    assert.ok(pages[0].title.includes('应急管理') && pages[0].marks.includes('应急管理'), 'the best match comes first, highlighted');
    const all = list.find((s) => !s.kind);
    assert.ok(all && all.title.includes('全部搜索结果'), 'the last suggestion leads to all results');
    assert.equal(await box.getAttribute('aria-expanded'), 'true', 'the box says its list is open');

    // ↓ selects the first suggestion (the box keeps focus), Enter opens it.
    await page.keyboard.press('ArrowDown');
    list = await suggestions(page);
    assert.ok(list[0].selected, 'ArrowDown selects the first suggestion');
    assert.equal(await box.getAttribute('aria-activedescendant'), list[0].id, 'the box points screen readers at it');
    const from = page.url();
    await Promise.all([page.waitForURL((u) => u.href !== from), page.keyboard.press('Enter')]);
    assert.equal((await page.locator('main h1').textContent()).trim(), pages[0].title, 'Enter opened the suggested page');
    assert.match(pathOf(page.url()), new RegExp(`^${BASE_PATH}courses/[^/]+/$`), 'the suggested course');

    // On that page, a click on a suggestion opens it.
    const box2 = headerBox(page);
    await box2.click();
    await box2.pressSequentially('党性', { delay: 30 });
    list = (await waitForSuggestions(page, '党性')).filter((s) => s.kind);
    const target = list.find((s) => s.kind === '课') || list[list.length - 1];
    const from2 = page.url();
    await Promise.all([
      page.waitForURL((u) => u.href !== from2),
      page.locator('header [role=option]', { hasText: target.title }).click(),
    ]);
    assert.equal((await page.locator('main h1').textContent()).trim(), target.title);
    assert.match(pathOf(page.url()), new RegExp(`^${BASE_PATH}courses/[^/]+/[^/]+/$`), 'the suggested lesson');
    assert.ok((await page.locator('main').textContent()).includes('党性'), 'the page opened contains the query');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('search page: linked query, every match, kind filter', async () => {
  const { context, page, problems } = await open(url(''));
  try {
    const query = '应急管理';
    const box = headerBox(page);
    await box.click();
    await box.pressSequentially(query, { delay: 30 });
    await waitForSuggestions(page, query);
    await Promise.all([
      page.waitForURL((u) => pathOf(u) === BASE_PATH + 'search/'),
      page.locator('header [role=option]', { hasText: '全部搜索结果' }).click(),
    ]);
    assert.equal(new URL(page.url()).searchParams.get('q'), query, 'the link carries the query');
    assert.equal(await page.locator('#search-page-q').inputValue(), query, 'the search box shows the query');

    const { total, results } = await allResults(page);
    assert.ok(total > 10, `"${query}" has more than one screen of results (${total})`);
    assert.equal(results.length, total, 'every result can be shown');
    assert.equal(new Set(results.map((r) => r.href)).size, total, 'no page is listed twice');
    for (const r of results) {
      // A lesson may be found by its course's title, shown in its breadcrumb.
      assert.ok(r.marks.length > 0 || r.crumbs.includes(query), `${r.title}: the match is highlighted`);
      for (const m of r.marks) assert.ok(query.includes(m), `${r.title}: "${m}" highlighted`);
    }
    // What is highlighted is really on the page found.
    const texts = await mainTexts(page, results.map((r) => r.href));
    results.forEach((r, i) => {
      for (const m of r.marks) assert.ok(texts[i].includes(m), `${r.href} does not contain the highlighted "${m}"`);
    });
    // Every published page whose title, summary or text has the query is found; drafts are not.
    const titles = results.map((r) => r.title);
    const sources = pageSources().filter((p) => (p.title + p.summary + p.body).includes(query));
    for (const p of sources.filter((p) => !p.draft)) assert.ok(titles.includes(p.title), `"${p.title}" has "${query}" but was not found`);
    for (const p of sources.filter((p) => p.draft)) assert.ok(!titles.includes(p.title), `the draft "${p.title}" was found`);
    assert.ok(sources.some((p) => p.draft), 'the sample site has a draft with the query, to check drafts stay unfound');

    // The kind filter: lessons (课) only, with the count it announced.
    const kinds = new Map();
    for (const r of results) kinds.set(r.kind, (kinds.get(r.kind) || 0) + 1);
    assert.ok(kinds.size >= 2, 'results of several kinds');
    const filter = page.getByRole('group', { name: '类型' });
    for (const [kind, n] of kinds) {
      // 课 is also the first letter of 课程: the label must begin with the whole name.
      const option = filter.locator('label', { hasText: new RegExp(`^\\s*${kind}\\s*\\d`) });
      assert.equal((await option.locator('.search-filter__count').textContent()).trim(), String(n), `the ${kind} count`);
    }
    // Toggled from the keyboard: the list is redrawn, the focus stays on the filter.
    const lessons = kinds.get('课');
    await filter.getByLabel(/^\s*课\s+\d+\s*$/).focus();
    await page.keyboard.press('Space');
    await page.locator('main [role=status]', { hasText: `找到 ${lessons} 条结果` }).waitFor();
    await page.locator('main .search-result').first().waitFor();
    assert.ok(await filter.getByLabel(/^\s*课\s+\d+\s*$/).isChecked());
    assert.equal(
      await page.evaluate(() => document.activeElement.closest('label')?.textContent.trim().split(/\s+/)[0] ?? document.activeElement.tagName),
      '课',
      'the focus stays on the filter just changed',
    );
    const filtered = await allResults(page);
    assert.equal(filtered.results.length, lessons);
    assert.ok(filtered.results.every((r) => r.kind === '课'), 'only lessons are listed');
    assert.deepEqual(
      filtered.results.map((r) => r.href),
      results.filter((r) => r.kind === '课').map((r) => r.href),
      'the same lessons, in the same order',
    );
    await page.getByRole('group', { name: '类型' }).getByLabel(/^\s*课\s+\d+\s*$/).uncheck();
    await page.locator('main [role=status]', { hasText: `找到 ${total} 条结果` }).waitFor();
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('search page: traditional characters find the same pages', async () => {
  const { context, page, problems } = await open(url(''));
  try {
    for (const [simplified, traditional] of [
      ['党员', '黨員'],
      ['应急管理', '應急管理'],
    ]) {
      await page.goto(url('search/?q=' + encodeURIComponent(simplified)));
      const want = await allResults(page);
      assert.ok(want.total > 0, `"${simplified}" finds something`);
      await page.goto(url('search/?q=' + encodeURIComponent(traditional)));
      const got = await allResults(page);
      assert.deepEqual(got.results.map((r) => r.href), want.results.map((r) => r.href), `"${traditional}" finds what "${simplified}" finds`);
      for (const r of got.results) {
        assert.ok(
          r.marks.some((m) => simplified.includes(m)) || r.crumbs.includes(simplified),
          `${r.title}: the simplified text matching "${traditional}" is highlighted`,
        );
      }
      assert.ok(got.results.some((r) => r.marks.includes(simplified)), `the whole of "${simplified}" is highlighted somewhere`);
    }
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('search page on a phone: the filters fold away and the first result is on the first screen', async () => {
  const { context, page } = await openPage(env.browser, url('search/?q=' + encodeURIComponent('乡村振兴')), { viewport: PHONE });
  try {
    await page.locator('main .search-results__list > li').first().waitFor();
    const seen = await page.evaluate(() => {
      const filters = document.querySelector('main details.search-filters');
      // The first result's title, the link a reader taps.
      const first = document.querySelector('main .search-results__list > li a.search-result__title');
      return {
        folded: !!filters && !filters.open && !filters.hidden,
        toggle: filters ? filters.querySelector('summary').textContent : '',
        firstBottom: first.getBoundingClientRect().bottom,
        screen: window.innerHeight,
      };
    });
    assert.ok(seen.folded, JSON.stringify(seen));
    assert.equal(seen.toggle, '筛选结果');
    assert.ok(seen.firstBottom <= seen.screen, `the first result's title ends at ${seen.firstBottom}px, below the ${seen.screen}px screen`);
    // Opening the filters shows them; choosing one keeps them open.
    await page.locator('main summary.search-filters__toggle').click();
    const kind = page.locator('main .search-filter--kind input').first();
    await kind.check();
    await page.locator('main [role=status]').filter({ hasText: /找到/ }).waitFor();
    assert.ok(await page.evaluate(() => document.querySelector('main details.search-filters').open));
  } finally {
    await context.close();
  }
});

test('search page on a desktop: the filters are open and the button reads on one line', async () => {
  const { context, page } = await open(url('search/?q=' + encodeURIComponent('乡村振兴')));
  try {
    await page.locator('main .search-results__list > li').first().waitFor();
    const seen = await page.evaluate(() => {
      const button = document.querySelector('main .search-row button');
      const lineHeight = parseFloat(getComputedStyle(button).lineHeight) || 24;
      const text = document.createRange();
      text.selectNodeContents(button);
      return {
        open: document.querySelector('main details.search-filters').open,
        lines: Math.round(text.getBoundingClientRect().height / lineHeight),
      };
    });
    assert.deepEqual(seen, { open: true, lines: 1 });
  } finally {
    await context.close();
  }
});

test('a browser that cannot run search says so and offers the sections to browse', async () => {
  const context = await env.browser.newContext({ viewport: DESKTOP, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  try {
    // Chromium before 80 has no DecompressionStream.
    await context.addInitScript(() => {
      delete window.DecompressionStream;
    });
    const page = await context.newPage();
    await page.goto(url('search/?q=' + encodeURIComponent('乡村振兴')));
    const status = page.locator('main [role=status]');
    await status.filter({ hasText: '浏览器版本过旧' }).waitFor();
    const links = await page.locator('main .search-browse a').evaluateAll((as) => as.map((a) => [a.textContent.trim(), a.getAttribute('href')]));
    const hrefs = links.map(([, href]) => href);
    for (const section of ['courses/', 'lectures/', 'cases/']) {
      assert.ok(hrefs.includes(BASE_PATH + section), `no link to ${section}: ${JSON.stringify(links)}`);
    }
    assert.equal(await page.locator('main .search-browse .notice').count(), 0, 'the no-JavaScript note is not shown');
  } finally {
    await context.close();
  }
});
