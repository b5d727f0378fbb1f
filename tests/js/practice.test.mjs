// 岗位练兵 (/practice/) in a real browser, each scenario in a fresh browser context:
//
//  - a drill of 10 draws 10 distinct questions of the bank, grades each the way the
//    Markdown's answer says, shows the score and every explanation, and puts exactly
//    the wrong ones in the 错题本, which survives a reload and empties as its questions
//    are answered right; the study record is never touched;
//  - a drill of one field draws only that field's questions;
//  - without JavaScript the bank, read field by field and page by page, holds every
//    question of every lesson, each with its right answer in a <details>;
//  - axe: no serious or critical violation before and after a drill, desktop and phone.
//
// Expected values come from the lessons' Markdown (tests/js/lib/content.mjs), never from
// the data files the drill script reads.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, openPage, settle, BASE_PATH, PHONE } from './lib/harness.mjs';
import { quizLessons } from './lib/content.mjs';
import { axeViolations, formatViolation } from './lib/axe.mjs';

let env;
/** Every question of the Markdown by its id, `<lesson id>#<n>`. */
const bank = new Map();
before(async () => {
  env = await setup();
  for (const lesson of quizLessons()) {
    lesson.quiz.forEach((q, i) => bank.set(`${lesson.rel.replace(/\/$/, '')}#${i + 1}`, { ...q, lesson }));
  }
});
after(async () => {
  await env?.close();
});

const PRACTICE = 'practice/';
const BOOK_KEY = 'jiangtang:' + BASE_PATH + ':practice';
const STUDY_KEY = 'jiangtang:' + BASE_PATH;
const url = (rel) => env.server.url(rel);

async function open(rel, options) {
  const opened = await openPage(env.browser, url(rel), options);
  opened.page.setDefaultTimeout(15000);
  return opened;
}

/** Starts a drill of `count` questions of `scope` ("all", "f:<n>"); returns their ids. */
async function startDrill(page, scope, count) {
  await page.selectOption('#practice-scope', scope);
  await page.check(`input[name=count][value="${count}"]`);
  await page.click('[data-practice-setup] button[type=submit]');
  await page.waitForSelector('[data-practice-run]:not([hidden]) .quiz-q');
  return page.$$eval('[data-practice-questions] .quiz-q', (qs) => qs.map((q) => q.getAttribute('data-id')));
}

/** The option positions that answer `q` right, or wrong. */
function choice(q, right) {
  if (right) return q.answer;
  if (q.type === 'multiple') return q.answer.length === 1 ? [...q.answer, q.answer[0] === 0 ? 1 : 0] : [q.answer[0]];
  return [q.options.findIndex((_, i) => !q.answer.includes(i))];
}

/** Answers the drill's questions, right where `right(id, i)` says so; submits. */
async function answer(page, ids, right) {
  for (const [i, id] of ids.entries()) {
    const q = bank.get(id);
    const inputs = page.locator('[data-practice-questions] .quiz-q').nth(i).locator('input');
    for (const k of choice(q, right(id, i))) await inputs.nth(k).check();
  }
  await page.click('[data-practice-submit]');
  await page.waitForSelector('[data-practice-score]:not(:empty)');
}

const bookIds = (page) =>
  page.evaluate((key) => Object.keys((JSON.parse(localStorage.getItem(key) || 'null') || { wrong: {} }).wrong).sort(), BOOK_KEY);

test('a drill of 10 is graded by the Markdown and its wrong answers stay in the 错题本 until answered right', async () => {
  const { context, page, problems } = await open(PRACTICE);
  try {
    const total = Number((await page.textContent('.page-header .lead')).match(/共 (\d+) 道/)[1]);
    assert.equal(total, bank.size, 'the page counts every question of the Markdown');
    assert.match(await page.textContent('[data-practice-book-count]'), /错题本是空的/);

    const ids = await startDrill(page, 'all', '10');
    assert.equal(ids.length, 10);
    assert.equal(new Set(ids).size, 10, 'ten distinct questions');
    for (const [i, id] of ids.entries()) {
      const q = bank.get(id);
      assert.ok(q, `${id} is a question of the Markdown`);
      const legend = await page.locator('[data-practice-questions] .quiz-q legend').nth(i).textContent();
      assert.ok(legend.includes(q.question), `question ${i + 1} reads as its Markdown: ${legend}`);
      const source = await page.locator('[data-practice-questions] .practice-source a').nth(i).getAttribute('href');
      assert.equal(decodeURI(new URL(source, 'http://x').pathname), BASE_PATH + q.lesson.rel, 'it links its lesson');
    }

    // The first four right, the rest wrong.
    await answer(page, ids, (_, i) => i < 4);
    assert.match(await page.textContent('[data-practice-score]'), /得分：4\/10/);
    const graded = await page.$$eval('[data-practice-questions] .quiz-q', (qs) =>
      qs.map((q) => ({ right: q.classList.contains('is-correct'), shown: q.querySelector('.quiz-answer')?.textContent || '' })),
    );
    for (const [i, g] of graded.entries()) {
      const q = bank.get(ids[i]);
      assert.equal(g.right, i < 4, `question ${i + 1} graded`);
      const letters = q.type === 'truefalse' ? q.options[q.answer[0]] : q.answer.map((k) => String.fromCharCode(65 + k)).join('、');
      assert.ok(g.shown.includes('正确答案：' + letters), `question ${i + 1} shows its answer: ${g.shown}`);
      if (q.explanation) assert.ok(g.shown.includes(q.explanation), `question ${i + 1} shows its explanation`);
    }
    const wrong = ids.slice(4).sort();
    assert.deepEqual(await bookIds(page), wrong, 'the six wrong answers are in the book');
    assert.match(await page.textContent('[data-practice-book-count]'), /错题本中有 6 道题/);
    assert.equal(await page.evaluate((k) => localStorage.getItem(k), STUDY_KEY), null, 'a drill is not study');

    // A reload keeps the book; retrying it asks its questions.
    await page.reload();
    await settle(page);
    assert.match(await page.textContent('[data-practice-book-count]'), /错题本中有 6 道题/);
    await page.click('[data-practice-book-retry]');
    await page.waitForSelector('[data-practice-run]:not([hidden]) .quiz-q');
    const retry = await page.$$eval('[data-practice-questions] .quiz-q', (qs) => qs.map((q) => q.getAttribute('data-id')));
    assert.deepEqual([...retry].sort(), wrong);
    const rightNow = new Set(retry.slice(0, 3));
    await answer(page, retry, (id) => rightNow.has(id));
    assert.deepEqual(await bookIds(page), retry.slice(3).sort(), 'answered right, they leave the book');
    assert.match(await page.textContent('[data-practice-score]'), /还剩 3 道/);

    await page.click('[data-practice-book-retry]');
    await page.waitForSelector('[data-practice-submit]:not([hidden])');
    const last = await page.$$eval('[data-practice-questions] .quiz-q', (qs) => qs.map((q) => q.getAttribute('data-id')));
    assert.equal(last.length, 3);
    await answer(page, last, () => true);
    assert.deepEqual(await bookIds(page), []);
    assert.match(await page.textContent('[data-practice-book-count]'), /错题本是空的/);
    assert.equal(await page.isHidden('[data-practice-book-retry]'), true);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('a drill of one field draws only its questions, all of them when asked', async () => {
  const { context, page } = await open(PRACTICE);
  try {
    const option = page.locator('#practice-scope option[value^="f:"]').first();
    const [value, text] = [await option.getAttribute('value'), await option.textContent()];
    const [, field, count] = text.match(/^(.+)（(\d+) 道）$/);
    const ids = await startDrill(page, value, 'all');
    assert.equal(ids.length, Number(count), `every question of ${field}`);
    // The field page (without the drill) lists the same questions.
    const fieldHref = await page.locator('.practice-bank-fields a', { hasText: field }).getAttribute('href');
    const listed = await page.evaluate(async (href) => {
      const doc = new DOMParser().parseFromString(await (await fetch(href)).text(), 'text/html');
      return [...doc.querySelectorAll('.practice-item .practice-q')].map((p) => p.textContent);
    }, fieldHref);
    assert.deepEqual(ids.map((id) => bank.get(id).question).sort(), listed.map((q) => q.replace(/（多选）$/, '')).sort());
  } finally {
    await context.close();
  }
});

test('without JavaScript the bank by field holds every question with its answer in a <details>', async () => {
  const { context, page } = await open(PRACTICE, { javaScriptEnabled: false });
  try {
    assert.equal(await page.isVisible('[data-practice]'), false, 'no drill without JavaScript');
    const fields = await page.$$eval('.practice-bank-fields a', (as) => as.map((a) => a.href));
    assert.ok(fields.length > 1);
    const seen = new Map();
    for (const first of fields) {
      // Each field's pages, through its pager.
      for (let href = first; href; ) {
        await page.goto(href);
        const items = await page.$$eval('.practice-item', (lis) =>
          lis.map((li) => ({
            q: li.querySelector('.practice-q').textContent.replace(/（多选）$/, ''),
            lesson: decodeURI(new URL(li.querySelector('.practice-source a').href).pathname),
            answer: li.querySelector('details.quiz-answer').textContent,
          })),
        );
        for (const item of items) seen.set(item.lesson + '|' + item.q, item.answer);
        href = await page.$eval('a[rel=next].pagination-step', (a) => a.href).catch(() => null);
      }
    }
    for (const q of bank.values()) {
      const shown = seen.get(BASE_PATH + q.lesson.rel + '|' + q.question);
      assert.ok(shown !== undefined, `${q.lesson.rel}: ${q.question} is in the bank`);
      const letters = q.type === 'truefalse' ? q.options[q.answer[0]] : q.answer.map((k) => String.fromCharCode(65 + k)).join('、');
      assert.ok(shown.includes('正确答案：' + letters), `${q.question}: ${shown}`);
    }
    assert.equal(seen.size, bank.size, 'nothing but the Markdown\'s questions');
  } finally {
    await context.close();
  }
});

test('axe: no serious or critical violation on /practice/ before and after a drill, desktop and phone', async () => {
  for (const viewport of [undefined, PHONE]) {
    const { context, page } = await open(PRACTICE, { viewport });
    try {
      let violations = await axeViolations(page);
      assert.equal(violations.length, 0, violations.map(formatViolation).join('\n'));
      const ids = await startDrill(page, 'all', '10');
      await answer(page, ids, (_, i) => i % 2 === 0);
      await page.reload();
      await settle(page);
      await startDrill(page, 'all', '10');
      violations = await axeViolations(page);
      assert.equal(violations.length, 0, violations.map(formatViolation).join('\n'));
      const field = await page.$eval('.practice-bank-fields a', (a) => a.href);
      await page.goto(field);
      violations = await axeViolations(page);
      assert.equal(violations.length, 0, violations.map(formatViolation).join('\n'));
    } finally {
      await context.close();
    }
  }
});
