// At a 375×740 phone viewport, one page of every kind scrolls only vertically:
// document.documentElement.scrollWidth <= innerWidth. On failure the message names
// the elements that stick out past the right edge.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, openPage, onePerKind, label, PHONE } from './lib/harness.mjs';

let env;
before(async () => {
  env = await setup();
});
after(async () => {
  await env?.close();
});

test('no horizontal scrolling on a phone', async (t) => {
  const { site, server, browser } = env;
  for (const p of onePerKind(site.pages)) {
    await t.test(label(p), async () => {
      const { context, page } = await openPage(browser, server.origin + p.url, { viewport: PHONE });
      try {
        const result = await page.evaluate(() => {
          const width = window.innerWidth;
          // The outermost elements whose right edge passes the viewport.
          const wide = [];
          for (const el of document.body.querySelectorAll('*')) {
            const r = el.getBoundingClientRect();
            if (r.right > width + 0.5 && !(el.parentElement && el.parentElement.getBoundingClientRect().right > width + 0.5)) {
              const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
                (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '');
              wide.push(`${name} (right edge ${Math.round(r.right)}px)`);
            }
          }
          return { scrollWidth: document.documentElement.scrollWidth, width, wide: wide.slice(0, 10) };
        });
        assert.ok(
          result.scrollWidth <= result.width,
          `scrollWidth ${result.scrollWidth} > innerWidth ${result.width}; too wide: ${result.wide.join(', ') || '(none found)'}`,
        );
      } finally {
        await context.close();
      }
    });
  }
});

test('body text is 16 px or more on a phone', async (t) => {
  const { site, server, browser } = env;
  for (const p of onePerKind(site.pages)) {
    await t.test(label(p), async () => {
      const { context, page } = await openPage(browser, server.origin + p.url, { viewport: PHONE });
      try {
        // The reading text: paragraphs and list items of <main>, less small print
        // (hints, meta lines, counts, footnotes) that is not meant to be read through.
        const small = await page.evaluate(() =>
          [...document.querySelectorAll('main .content p, main .content li, main .lead, main .outcomes li')]
            .filter((el) => el.getClientRects().length > 0 && el.textContent.trim() !== '')
            .filter((el) => !el.closest('.footnote-definition'))
            .map((el) => [el.tagName.toLowerCase() + '.' + el.className, parseFloat(getComputedStyle(el).fontSize)])
            .filter(([, px]) => px < 16),
        );
        assert.deepEqual(small, []);
      } finally {
        await context.close();
      }
    });
  }
});

test('the phone menu wraps into even rows: no item alone on a line, none broken', async () => {
  const { server, browser } = env;
  const { context, page } = await openPage(browser, server.url(''), { viewport: PHONE });
  try {
    const items = await page.evaluate(() =>
      [...document.querySelectorAll('.site-nav li')].map((li) => {
        const a = li.querySelector('a');
        const r = a.getBoundingClientRect();
        const line = parseFloat(getComputedStyle(a).lineHeight);
        const pad = parseFloat(getComputedStyle(a).paddingTop) + parseFloat(getComputedStyle(a).paddingBottom);
        const border = parseFloat(getComputedStyle(a).borderBottomWidth);
        return { text: a.textContent.trim(), top: Math.round(r.top), lines: Math.round((r.height - pad - border) / line) };
      }),
    );
    assert.ok(items.length >= 5, JSON.stringify(items));
    const rows = new Map();
    for (const it of items) rows.set(it.top, [...(rows.get(it.top) || []), it.text]);
    const sizes = [...rows.values()].map((r) => r.length);
    assert.ok(sizes.every((n) => n >= 2), `rows ${JSON.stringify([...rows.values()])}`);
    assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `uneven rows ${JSON.stringify([...rows.values()])}`);
    for (const it of items) assert.equal(it.lines, 1, `${it.text} breaks over lines`);
  } finally {
    await context.close();
  }
});
