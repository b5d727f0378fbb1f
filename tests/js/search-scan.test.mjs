// Search results a cadre can scan, in a real browser on the search page:
//
//  - a lecture's result is dated by its start as its Markdown gives it, not by a
//    publish date;
//  - a snippet from a table keeps the cells of a row apart (a ｜ b ｜ c), as the
//    Markdown source has them;
//  - a snippet that does not start with its page's text starts where a sentence, a
//    block, a table cell or at least a clause of that page starts (never inside a
//    word or on a comma).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { setup, openPage, REPO_ROOT } from './lib/harness.mjs';
import { pageSources } from './lib/content.mjs';

let env;
before(async () => {
  env = await setup();
});
after(async () => {
  await env?.close();
});

/** The search page's results for `q`, once every excerpt has arrived. */
async function results(q) {
  const { context, page, problems } = await openPage(env.browser, env.server.url('search/?q=' + encodeURIComponent(q)));
  try {
    await page.locator('.search-result').first().waitFor({ timeout: 15000 });
    await page.waitForFunction(() => [...document.querySelectorAll('.search-result__excerpt')].every((p) => p.textContent !== ''));
    const found = await page.$$eval('.search-result', (items) => items.map((li) => ({
      title: li.querySelector('.search-result__title').textContent.trim(),
      href: li.querySelector('.search-result__title').href,
      date: li.querySelector('.search-result__date')?.textContent.trim() ?? '',
      excerpt: li.querySelector('.search-result__excerpt').textContent,
      // What is marked: in the excerpt, and anywhere in the result.
      marks: [...li.querySelectorAll('.search-result__excerpt mark')].map((m) => m.textContent),
      marked: li.querySelectorAll('mark').length,
      kind: li.querySelector('.search-badge')?.textContent.trim() ?? '',
    })));
    assert.deepEqual(problems, []);
    return found;
  } finally {
    await context.close();
  }
}

/** `key: value` lines of a Markdown file's front matter. */
function front(file) {
  const text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  const block = text.match(/^---\r?\n([\s\S]*?)\r?\n---/);
  const meta = {};
  for (const line of (block ? block[1] : '').split(/\r?\n/)) {
    const m = line.match(/^(\w+):\s*(.*)$/);
    if (m) meta[m[1]] = m[2].replace(/^(["'])(.*)\1$/, '$2');
  }
  return { meta, body: block ? text.slice(block[0].length) : text };
}

test('a lecture result shows the day and time the lecture starts', async (t) => {
  const dir = path.join(REPO_ROOT, 'content', 'lectures');
  const lectures = fs.readdirSync(dir).filter((n) => n.endsWith('.md') && !n.startsWith('_'))
    .map((n) => front(path.join(dir, n)).meta)
    .filter((m) => m.draft !== 'true' && m.start);
  assert.ok(lectures.length >= 12, `${lectures.length} lectures in the sample`);
  for (const m of lectures) {
    await t.test(m.title, async () => {
      const [, y, mo, d, hm] = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}:\d{2})/.exec(m.start);
      const start = `${+y}年${+mo}月${+d}日 ${hm}`;
      const hit = (await results(m.title)).find((r) => r.title === m.title);
      assert.ok(hit, `searching its title does not find "${m.title}"`);
      assert.equal(hit.date, start, `the result is dated ${hit.date}, the lecture starts ${start}`);
    });
  }
});

test('a snippet from a table keeps the cells of a row apart', async () => {
  // A row of plain cells in a lesson: its middle cell is the query.
  const courses = path.join(REPO_ROOT, 'content', 'courses');
  let row = null;
  for (const course of fs.readdirSync(courses)) {
    for (const name of fs.readdirSync(path.join(courses, course)).filter((n) => n.endsWith('.md'))) {
      const { body } = front(path.join(courses, course, name));
      for (const line of body.split('\n')) {
        const cells = line.trim().replace(/^\||\|$/g, '').split('|').map((c) => c.trim());
        if (!row && line.trim().startsWith('|') && cells.length >= 3 && cells[1].length >= 4 &&
            cells.every((c) => /^[\p{Script=Han}\p{N} 年月]+$/u.test(c))) row = cells;
      }
    }
  }
  assert.ok(row, 'the sample has a table row of plain cells');
  const found = await results(row[1]);
  const shown = found.map((r) => r.excerpt).find((e) => e.includes(row[1]));
  assert.ok(shown, `no snippet shows "${row[1]}"`);
  assert.ok(shown.includes(`${row[1]} ｜ ${row[2]}`), `cells not kept apart: ${shown}`);
  assert.ok(!shown.includes(row[0] + row[1]), `cells glued: ${shown}`);
});

test('a snippet starts where a sentence, block or cell of its page starts', async () => {
  let checked = 0;
  for (const q of ['应急', '干部', '调研', '群众']) {
    for (const r of await results(q)) {
      if (!r.excerpt.startsWith('…')) continue;
      const start = r.excerpt.slice(1).replace(/…$/, '');
      assert.doesNotMatch(start, /^[\s，、：:,.)）」』”’]/, `"${q}": the snippet starts on punctuation: ${r.excerpt}`);
      // What the page shows before it: the end of a sentence, of a block or of a cell.
      const text = await pageText(r.href, r.title);
      const probe = start.replace(/ ｜ /g, ' ').slice(0, 12);
      const at = text.indexOf(probe);
      assert.ok(at > 0, `"${probe}" is not on ${r.href}`);
      assert.match(text[at - 1], /[。！？；!?; ，、：,:]/, `"${q}": the snippet "${r.excerpt.slice(0, 30)}" starts mid-sentence after "${text.slice(at - 10, at)}"`);
      checked += 1;
    }
  }
  assert.ok(checked >= 5, `only ${checked} snippets start inside their page`);
});

/** A page's summary and the text of its <main>, whitespace runs as one space. */
async function pageText(href, title) {
  const { context, page } = await openPage(env.browser, href);
  try {
    // As the index prepares it: a hard wrap between two Han characters (shown as a
    // space, unlike the tab between cells or the break between blocks) joins them.
    // The summary is searched too, and not every page shows it.
    const summary = pageSources().find((p) => p.title === title)?.summary ?? '';
    return (summary + '\n' + await page.locator('main').innerText())
      .replace(/(\p{Script=Han}) (?=\p{Script=Han})/gu, '$1')
      .replace(/\s+/g, ' ');
  } finally {
    await context.close();
  }
}

test('乡村振兴: the whole phrase is marked where it occurs, every result shows a mark, dates are labelled', async () => {
  const q = '乡村振兴';
  const found = await results(q);
  assert.ok(found.length >= 5, JSON.stringify(found));
  const sources = pageSources();
  for (const r of found) {
    // A part of the phrase is marked alone only in a text without the phrase.
    if (r.excerpt.includes(q)) assert.deepEqual([...new Set(r.marks)], [q], `${r.title}: ${JSON.stringify(r.marks)} in ${r.excerpt}`);
    // A lesson found by its course's name shows it marked (a case found by its field
    // alone has no text that holds the query).
    if (r.kind === '课' || r.excerpt.includes(q)) assert.ok(r.marked > 0, `${r.title}: nothing marked (${r.excerpt})`);
    // Not a lecture: dated by its last change, labelled, the Chinese way.
    const src = sources.find((p) => p.title === r.title);
    if (!r.href.includes('/lectures/') && src) {
      const meta = front(src.file).meta;
      const iso = (meta.updated || meta.date || '').slice(0, 10);
      const [y, mo, d] = iso.split('-').map(Number);
      assert.equal(r.date, iso ? `更新于 ${y}年${mo}月${d}日` : '', `${r.title}`);
    }
  }
  assert.ok(found.some((r) => r.marks.includes(q)), 'some excerpt holds the whole phrase');
});

test('a snippet from a table keeps its rows apart', async () => {
  // Two rows of a lesson's table, read from the Markdown: the last cell of the
  // first row is the query, so the snippet runs on into the second.
  const { body } = front(path.join(REPO_ROOT, 'content/courses/xiang-cun-zhen-xing-shi-wu/03-cun-ji-ti-jing-ji-fa-zhan.md'));
  const rows = body.split('\n').filter((l) => l.trim().startsWith('|') && !/^\|\s*-/.test(l.trim()))
    .map((l) => l.trim().replace(/^\||\|$/g, '').split('|').map((c) => c.trim()));
  const at = rows.findIndex((r) => r[0] === '乡村旅游');
  assert.ok(at > 1, 'the lesson has a row for 乡村旅游 after another');
  const before = rows[at - 1];
  const found = await results(before[before.length - 1]);
  const shown = found.map((r) => r.excerpt.replace(/\s+/g, '')).find((e) => e.includes(`${before[before.length - 1]}；乡村旅游`));
  assert.ok(shown, `rows run together: ${JSON.stringify(found.map((r) => r.excerpt))}`);
});
