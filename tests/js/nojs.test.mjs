// With JavaScript disabled the site is still readable: every kind of page shows its
// main content, and the list pages (catalogue, schedule, case library, taxonomy
// indexes) reach every item of their kind that the built site has, on their own pages
// or those they lead to (a paged list's later pages, the schedule's years and months)
// — nothing is left for a script to fetch or un-hide. (A link inside a closed
// <details>, such as the collapsed past lectures, counts: one click opens it without
// JavaScript.)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, openPage, onePerKind, byKind, label, classify, BASE_PATH } from './lib/harness.mjs';

let env;
before(async () => {
  env = await setup();
});
after(async () => {
  await env?.close();
});

/** Opens a page with JavaScript off; returns `{ context, page }`. */
function openNoJs(p) {
  return openPage(env.browser, env.server.origin + p.url, { javaScriptEnabled: false });
}

/** Decoded paths of the links in <main> that a reader can see or open. */
async function reachableLinks(page) {
  return page.$$eval('main a[href]', (links) =>
    links
      .filter((a) => a.getClientRects().length > 0 || a.closest('details:not([open])'))
      .map((a) => decodeURI(new URL(a.href).pathname)),
  );
}

test('every kind of page shows its main content', async (t) => {
  for (const p of onePerKind(env.site.pages)) {
    await t.test(label(p), async () => {
      const { context, page } = await openNoJs(p);
      try {
        const main = page.locator('main');
        assert.equal(await main.count(), 1, 'expected exactly one <main>');
        assert.ok(await main.isVisible(), '<main> is not visible');
        const h1 = page.locator('main h1, h1').first();
        assert.ok(await h1.isVisible(), 'no visible <h1>');
        const text = (await main.innerText()).trim();
        assert.ok(text.length >= 10, `<main> shows almost no text: ${JSON.stringify(text)}`);
      } finally {
        await context.close();
      }
    });
  }
});

// The pages a list leads to on the way to its items, without JavaScript.
const LIST_PARTS = new Set(['pager', 'year', 'month']);

/** Every link reachable from list page `list` and the pages of its own it leads to. */
async function reachedFrom(list) {
  const shown = new Set();
  const queue = [decodeURI(list.url)];
  const seen = new Set(queue);
  while (queue.length > 0) {
    const url = queue.shift();
    const { context, page } = await openNoJs({ url: encodeURI(url) });
    try {
      for (const link of await reachableLinks(page)) {
        shown.add(link);
        const rel = link.startsWith(BASE_PATH) ? link.slice(BASE_PATH.length) : null;
        const part = rel !== null && classify(rel);
        if (part && LIST_PARTS.has(part.kind) && part.section === list.section && !seen.has(link)) {
          seen.add(link);
          queue.push(link);
        }
      }
    } finally {
      await context.close();
    }
  }
  return shown;
}

// Each list page and the kind of page its cards link to.
const LISTS = [
  ['catalogue', 'course'],
  ['schedule', 'lecture'],
  ['cases', 'case'],
];

test('list pages show every item', async (t) => {
  const kinds = byKind(env.site.pages);
  for (const [listKind, itemKind] of LISTS) {
    await t.test(`${listKind} lists every ${itemKind}`, async () => {
      const list = kinds[listKind]?.[0];
      assert.ok(list, `the built site has no ${listKind} page`);
      const expected = (kinds[itemKind] || []).map((p) => decodeURI(p.url));
      assert.ok(expected.length > 0, `the built site has no ${itemKind} page`);
      const shown = await reachedFrom(list);
      const missing = expected.filter((u) => !shown.has(u));
      assert.deepEqual(missing, [], `${label(list)} reaches ${expected.length - missing.length} of ${expected.length} ${itemKind} pages; missing:\n  ${missing.join('\n  ')}`);
    });
  }

  // A taxonomy index (/units/) links to each of its term pages (/units/x/).
  for (const tax of kinds.taxonomy || []) {
    await t.test(`${label(tax)} lists every term`, async () => {
      const expected = (kinds.term || []).filter((p) => p.section === tax.section).map((p) => decodeURI(p.url));
      const { context, page } = await openNoJs(tax);
      try {
        const shown = new Set(await reachableLinks(page));
        const missing = expected.filter((u) => !shown.has(u));
        assert.deepEqual(missing, [], `missing terms:\n  ${missing.join('\n  ')}`);
      } finally {
        await context.close();
      }
    });
  }
});
