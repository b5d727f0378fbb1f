// The month calendar on a phone (375 px) is a list of the days that have lectures,
// each with its sessions as the lectures' Markdown gives them, and nothing scrolls
// sideways: neither the page nor a box inside it.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, openPage, PHONE } from './lib/harness.mjs';
import { lectureSessions } from './lib/content.mjs';

let env;
const sessions = lectureSessions();
before(async () => {
  env = await setup();
});
after(async () => {
  await env?.close();
});

test('on a phone the month calendar is a list of the days with lectures, with no sideways scroll', async () => {
  for (const month of ['2026-12', '2027-01']) {
    const { context, page } = await openPage(env.browser, env.server.url(`lectures/${month}/`), { viewport: PHONE });
    try {
      const seen = await page.evaluate(() => {
        const scrollers = [...document.querySelectorAll('body *')].filter((el) => {
          const overflow = getComputedStyle(el).overflowX;
          return (overflow === 'auto' || overflow === 'scroll') && el.scrollWidth > el.clientWidth && el.getClientRects().length > 0;
        });
        return {
          fits: document.documentElement.scrollWidth <= window.innerWidth,
          scrollers: scrollers.map((el) => el.className),
          grid: !!document.querySelector('.month-grid') && document.querySelector('.month-grid').getClientRects().length > 0,
          days: [...document.querySelectorAll('.month-list > li')].filter((li) => li.getClientRects().length > 0).map((li) => ({
            day: li.querySelector('time').getAttribute('datetime'),
            titles: [...li.querySelectorAll('.day-events a')].map((a) => a.textContent.slice(a.querySelector('.event-time').textContent.length).trim()),
          })),
        };
      });
      assert.equal(seen.fits, true);
      assert.deepEqual(seen.scrollers, []);
      assert.equal(seen.grid, false);
      const inMonth = sessions.filter((s) => s.start.startsWith(month));
      const days = [...new Set(inMonth.map((s) => s.start.slice(0, 10)))];
      assert.deepEqual(
        seen.days,
        days.map((day) => ({ day, titles: inMonth.filter((s) => s.start.startsWith(day)).map((s) => s.title) })),
      );
    } finally {
      await context.close();
    }
  }
});
