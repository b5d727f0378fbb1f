// Writes PNG screenshots of the main pages at desktop (1280 px) and phone (375 px)
// width, for a person to look at:
//
//   node tests/js/screenshots.mjs OUTDIR
//
// Uses the site in SITE_DIR when set, otherwise builds the repo's sample site with
// JIANGTANG_BIN (default target/debug/jiangtang) for BASE_PATH (default /training/).
// Files are named KIND-WIDTH.png (course-375.png …).

import fs from 'node:fs';
import path from 'node:path';
import { setup, byKind, settle, DESKTOP, PHONE } from './lib/harness.mjs';

const outDir = process.argv[2];
if (!outDir) {
  console.error('usage: node tests/js/screenshots.mjs OUTDIR');
  process.exit(2);
}
fs.mkdirSync(outDir, { recursive: true });

const env = await setup();
try {
  const kinds = byKind(env.site.pages);
  const first = (kind) => kinds[kind]?.[0]?.url;
  // [name, URL path]; a missing kind is reported and skipped.
  const shots = [
    ['home', first('home')],
    ['catalogue', first('catalogue')],
    ['course', first('course')],
    ['lesson', first('lesson')],
    ['schedule', first('schedule')],
    ['lecture', first('lecture')],
    ['cases', first('cases')],
    ['case', first('case')],
    ['search', first('search') && first('search') + '?q=' + encodeURIComponent('乡村振兴')],
    ['study', first('study')],
    ['units', first('taxonomy') && env.server.base + 'units/'],
    ['rota', first('rota')],
    ['practice', first('practice')],
    ['404', env.server.base + 'no-such-page/'], // what a reader sees: the server's 404
  ];
  for (const [name, url] of shots) {
    if (!url) {
      console.log(`skip ${name}: the site has no such page`);
      continue;
    }
    for (const viewport of [DESKTOP, PHONE]) {
      const context = await env.browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
      const page = await context.newPage();
      await page.goto(env.server.origin + url, { waitUntil: 'load' });
      await settle(page);
      const file = path.join(outDir, `${name}-${viewport.width}.png`);
      await page.screenshot({ path: file, fullPage: true });
      console.log(`wrote ${file}  (${decodeURI(url)})`);
      await context.close();
    }
  }
} finally {
  await env.close();
}
