// The unit overview (/units/) and the 随州大讲堂 rota as a reader uses them: the table
// sorted by a click on a column header and by the keyboard (Tab to the header, Enter,
// Space), aria-sort on the sorted column only, no row lost; axe on the overview, a
// year of it and the rota, on a desktop and a phone, sorted and not; with JavaScript
// off both tables are whole (every unit page linked, the same rows as with it) and a
// phone never scrolls the page sideways.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, openPage, byKind, BASE_PATH, DESKTOP, PHONE } from './lib/harness.mjs';
import { axeViolations, formatViolation } from './lib/axe.mjs';

let env;
before(async () => {
  env = await setup();
});
after(async () => {
  await env?.close();
});

const UNITS = `${BASE_PATH}units/`;
const ROTA = `${BASE_PATH}series/sui-zhou-da-jiang-tang/rota/`;

function open(url, options = {}) {
  return openPage(env.browser, env.server.origin + url, options);
}

/** The body rows of the first report table: each row's cells as text. */
function rows(page) {
  return page.$$eval('table.report-table tbody tr', (trs) =>
    trs.map((tr) => [...tr.cells].map((c) => c.textContent.replace(/\s+/g, ' ').trim())));
}

/** aria-sort of each header of the first report table (null where none). */
function sortState(page) {
  return page.$$eval('table.report-table thead th', (ths) => ths.map((th) => th.getAttribute('aria-sort')));
}

const column = (table, n) => table.map((r) => Number(r[n]));
const sortedBy = (list, cmp) => [...list].sort(cmp);

test('a click on a column header sorts the unit table by it, a second click reverses', async () => {
  const { page, problems, context } = await open(UNITS);
  try {
    const before = await rows(page);
    assert.ok(before.length >= 10, `${before.length} rows`);
    const names = before.map((r) => r[0]);
    assert.deepEqual(await sortState(page), ['ascending', null, null, null, null, null, null]);

    await page.click('thead th:nth-child(4) button'); // 学时
    const byHours = await rows(page);
    assert.deepEqual(column(byHours, 3), sortedBy(column(before, 3), (a, b) => b - a), 'largest 学时 first');
    assert.deepEqual(sortedBy(byHours.map(String), undefined), sortedBy(before.map(String), undefined), 'the same rows');
    assert.deepEqual(await sortState(page), [null, null, null, 'descending', null, null, null]);

    await page.click('thead th:nth-child(4) button');
    assert.deepEqual(column(await rows(page), 3), sortedBy(column(before, 3), (a, b) => a - b), 'smallest first');
    assert.equal((await sortState(page))[3], 'ascending');

    // By name: back to the index's (pinyin) order, then reversed.
    await page.click('thead th:nth-child(1) button');
    assert.deepEqual((await rows(page)).map((r) => r[0]), names);
    await page.click('thead th:nth-child(1) button');
    assert.deepEqual((await rows(page)).map((r) => r[0]), [...names].reverse());
    assert.equal((await sortState(page))[0], 'descending');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('the unit table sorts by keyboard: Tab to a header, Enter, then Space', async () => {
  const { page, context } = await open(UNITS);
  try {
    const before = await rows(page);
    let reached = false;
    for (let i = 0; i < 80 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement.closest('th') === document.querySelector('table.report-table thead th:nth-child(7)'));
    }
    assert.ok(reached, 'Tab never reached the 案例 header');
    await page.keyboard.press('Enter');
    assert.deepEqual(column(await rows(page), 6), sortedBy(column(before, 6), (a, b) => b - a));
    assert.equal((await sortState(page))[6], 'descending');
    await page.keyboard.press('Space');
    assert.deepEqual(column(await rows(page), 6), sortedBy(column(before, 6), (a, b) => a - b));
    assert.equal((await sortState(page))[6], 'ascending');
    assert.equal(await page.evaluate(() => document.activeElement.textContent.trim()), '案例', 'focus stays on the header');
  } finally {
    await context.close();
  }
});

test('the rota sorts by its 情况 column: 已讲, 已安排, 未安排', async () => {
  const { page, context } = await open(ROTA);
  try {
    // Written in the rota's own order, not by unit: no header claims a sort yet.
    assert.deepEqual((await sortState(page)).filter(Boolean), []);
    await page.click('thead th:nth-child(2) button');
    const marks = (await rows(page)).map((r) => r[1]);
    const rank = { 已讲: 1, 已安排: 2, 未安排: 3 };
    assert.deepEqual(marks, sortedBy(marks, (a, b) => rank[a] - rank[b]));
    assert.ok(new Set(marks).size === 3, marks.join(' '));
  } finally {
    await context.close();
  }
});

test('axe: no serious or critical violation on the overview, a year and the rota', async (t) => {
  const year = (byKind(env.site.pages)['units-year'] || [])[0];
  assert.ok(year, 'the sample has no year of the unit overview');
  for (const url of [UNITS, decodeURI(year.url), ROTA]) {
    for (const viewport of [DESKTOP, PHONE]) {
      for (const sorted of [false, true]) {
        await t.test(`${url} at ${viewport.width} px${sorted ? ', sorted' : ''}`, async () => {
          const { page, context } = await open(encodeURI(url), { viewport });
          try {
            if (sorted) await page.click('thead th:nth-child(2) button');
            const violations = await axeViolations(page);
            assert.equal(violations.length, 0, violations.map(formatViolation).join('\n'));
          } finally {
            await context.close();
          }
        });
      }
    }
  }
});

test('without JavaScript both tables are whole and link every unit page', async () => {
  const unitPages = (byKind(env.site.pages).term || [])
    .filter((p) => p.section === 'units')
    .map((p) => decodeURI(p.url));
  assert.ok(unitPages.length >= 10, `${unitPages.length} unit pages`);
  for (const url of [UNITS, ROTA]) {
    const off = await open(url, { javaScriptEnabled: false });
    const on = await open(url);
    try {
      const shown = await off.page.$$eval('table.report-table tbody a', (as) => as.map((a) => decodeURI(new URL(a.href).pathname)));
      if (url === UNITS) assert.deepEqual([...new Set(shown)].filter((u) => unitPages.includes(u)).sort(), [...unitPages].sort());
      assert.deepEqual(await rows(off.page), await rows(on.page), `${url}: the same rows with JavaScript and without`);
      assert.equal(await off.page.locator('thead button').count(), 0, 'no sort buttons that do nothing');
    } finally {
      await off.context.close();
      await on.context.close();
    }
  }
});

test('on a phone the page never scrolls sideways; the table scrolls in its region', async () => {
  for (const url of [UNITS, ROTA]) {
    const { page, context } = await open(url, { viewport: PHONE });
    try {
      const wide = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(wide <= 0, `${url} scrolls ${wide} px sideways`);
    } finally {
      await context.close();
    }
  }
});
