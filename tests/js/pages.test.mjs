// Every HTML page of the built site loads in Chromium with no console error, no
// uncaught page error, no failed request (any response ≥ 400 or network failure)
// and no request leaving the intranet.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, watch, settle, label } from './lib/harness.mjs';

let env;
before(async () => {
  env = await setup();
});
after(async () => {
  await env?.close();
});

test('every page loads cleanly', async (t) => {
  const { site, server, browser } = env;
  assert.ok(site.pages.length > 0, 'the built site has no HTML page');
  const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  const problems = watch(page);
  const failures = [];
  for (const p of site.pages) {
    problems.length = 0;
    try {
      await page.goto(server.origin + p.url, { waitUntil: 'load' });
      await settle(page); // deferred scripts and their first fetches
    } catch (err) {
      problems.push(`navigation failed: ${err.message}`);
    }
    if (problems.length) failures.push(`${label(p)}\n    ${problems.join('\n    ')}`);
  }
  await context.close();
  t.diagnostic(`${site.pages.length} pages visited`);
  assert.equal(failures.length, 0, `${failures.length} of ${site.pages.length} pages have problems:\n  ${failures.join('\n  ')}`);
});
