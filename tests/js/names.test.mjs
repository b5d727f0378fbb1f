// Names read right, as a cadre sees them: the units 广水市 and 曾都区 link to addresses
// spelled by their pinyin (guang-shui-shi, zeng-du-qu — not yan-shui-shi, ceng-du-qu)
// and sit in pinyin order in the unit overview's table; the speakers' list and a speaker's page
// show the title (职务) the lecture sources give; a case shows 主要成效 once.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { setup, watch, settle, REPO_ROOT, BASE_PATH } from './lib/harness.mjs';

let env;
before(async () => {
  env = await setup();
});
after(async () => {
  await env?.close();
});

async function open(url) {
  const context = await env.browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  const problems = watch(page);
  await page.goto(env.server.origin + url, { waitUntil: 'load' });
  await settle(page);
  return { page, problems, close: () => context.close() };
}

/// The speaker_title each lecture source gives `speaker`, read from the Markdown itself.
function titlesInSources(speaker) {
  const dir = path.join(REPO_ROOT, 'content/lectures');
  const titles = new Set();
  for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.md'))) {
    const text = fs.readFileSync(path.join(dir, name), 'utf8');
    if (!new RegExp(`^speaker: ${speaker}\\s*$`, 'm').test(text)) continue;
    const m = text.match(/^speaker_title: (.+?)\s*$/m);
    if (m) titles.add(m[1]);
  }
  return titles;
}

test('unit links of 广水市 and 曾都区 read by their pinyin, in pinyin order', async () => {
  const { page, problems, close } = await open(`${BASE_PATH}units/`);
  const links = await page.$$eval('.units-table tbody a', (as) =>
    as.map((a) => ({ name: a.textContent.trim(), href: a.getAttribute('href') })));
  const href = (name) => links.find((l) => l.name === name)?.href;
  assert.equal(href('广水市'), `${BASE_PATH}units/guang-shui-shi/`);
  assert.equal(href('曾都区'), `${BASE_PATH}units/zeng-du-qu/`);
  const names = links.map((l) => l.name);
  // g < s < z: 广水市 before 随县 before 曾都区, which is last.
  assert.ok(names.indexOf('广水市') < names.indexOf('随县'), names.join(' '));
  assert.ok(names.indexOf('随县') < names.indexOf('曾都区'), names.join(' '));
  assert.equal(names.at(-1), '曾都区');
  // The link leads to the unit's page.
  await page.click('.units-table tbody a:text-is("曾都区")');
  await page.waitForURL(`**${BASE_PATH}units/zeng-du-qu/`);
  assert.equal((await page.textContent('h1')).trim(), '曾都区');
  assert.deepEqual(problems, []);
  await close();
});

test('the speakers list and a speaker page show the title the source gives', async () => {
  const titles = titlesInSources('张海涛');
  assert.ok(titles.size > 0, 'no lecture source gives 张海涛 a title');
  const { page, problems, close } = await open(`${BASE_PATH}speakers/`);
  const item = page.locator('.term-list li', { has: page.locator('a:text-is("张海涛")') });
  const shown = (await item.locator('.speaker-title').textContent()).trim();
  assert.ok(titles.has(shown), `shown ${shown}, sources give ${[...titles].join('、')}`);
  assert.ok(await item.locator('.speaker-title').isVisible());
  await item.locator('a').click();
  await page.waitForURL(`**${BASE_PATH}speakers/zhang-hai-tao/`);
  assert.equal((await page.textContent('.page-header .speaker-title')).trim(), shown);
  assert.deepEqual(problems, []);
  await close();
});

test('a case with footnotes shows 主要成效 once', async () => {
  const { page, problems, close } = await open(`${BASE_PATH}cases/zeng-du-qu-wang-ge-hua-zhi-li/`);
  assert.ok(await page.locator('.footnote-definition').count() > 0, 'the case has no footnote');
  const headings = await page.locator('h2, h3').allTextContents();
  assert.equal(headings.filter((h) => h.trim() === '主要成效').length, 1, headings.join(' | '));
  assert.deepEqual(problems, []);
  await close();
});
