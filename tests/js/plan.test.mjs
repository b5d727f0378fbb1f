// Yearly study plans on 我的学习, in a real browser with its clock in mid-2026, each
// scenario in a fresh browser context:
//
//  - choosing a tier (kept after a reload) and completing a course (every lesson marked)
//    moves this year's total bar, and the bar of the course's action, by its 学时, with
//    the numbers as text, and lists the course with today's date in the study record;
//  - a record kept before completion dates existed counts its finished course as "date
//    unknown", outside this year's 学时;
//  - export and import keep the completion dates;
//  - print (emulated print media): the study record's table with its label alone;
//  - axe: no serious or critical violation with a tier chosen and a course completed.
//
// Requirements come from the repo's site.yaml and courses from their Markdown, never
// from what the page's scripts read.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setup, settle, BASE_PATH, REPO_ROOT, PHONE } from './lib/harness.mjs';
import { courseSources } from './lib/content.mjs';
import { axeViolations, formatViolation } from './lib/axe.mjs';

let env;
let course; // a course of 思想淬炼 with lessons
let plan; // 市直机关's requirement for 2026, from site.yaml
before(async () => {
  env = await setup();
  course = courseSources()
    .filter((c) => c.action === '思想淬炼' && c.lessons.length > 0)
    .sort((a, b) => a.lessons.length - b.lessons.length)[0];
  const yaml = fs.readFileSync(path.join(REPO_ROOT, 'site.yaml'), 'utf8');
  const line = yaml.match(/^ {4}市直机关: \{hours: (\d+), by_action: \{思想淬炼: (\d+)/m);
  plan = { hours: Number(line[1]), thought: Number(line[2]) };
});
after(async () => {
  await env?.close();
});

const STORE_KEY = 'jiangtang:' + BASE_PATH;
const TODAY = '2026年6月15日';
const url = (rel) => env.server.url(rel);

/** A fresh context whose clock reads 15 June 2026, 10:00 in Suizhou. */
async function context(options = {}) {
  const ctx = await env.browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', acceptDownloads: true, ...options });
  await ctx.clock.install({ time: new Date('2026-06-15T10:00:00+08:00') });
  const page = await ctx.newPage();
  page.setDefaultTimeout(15000);
  return { ctx, page };
}

async function openStudy(page) {
  await page.goto(url('study/'));
  await settle(page);
}

/** The plan's bars as the reader sees them: label → [value, max, text]. */
async function bars(page) {
  return page.$$eval('[data-plan-bars] .plan-row', (rows) =>
    Object.fromEntries(
      rows.map((r) => [
        r.querySelector('.plan-label').textContent,
        [Number(r.querySelector('progress').value), Number(r.querySelector('progress').max), r.querySelector('.plan-value').textContent],
      ]),
    ),
  );
}

async function completeCourse(page) {
  for (const rel of course.lessons) {
    await page.goto(url(rel));
    await page.getByRole('button', { name: '标记为已学' }).first().click();
    await page.waitForFunction(() => document.querySelector('main button[aria-pressed]').getAttribute('aria-pressed') === 'true');
  }
}

async function chooseTier(page, tier) {
  await openStudy(page);
  await page.getByLabel('我的层级').selectOption(tier);
}

test('choosing a tier and completing a course moves this year\'s bars by its 学时', async () => {
  const { ctx, page } = await context();
  try {
    await chooseTier(page, '市直机关');
    assert.match(await page.textContent('#plan-title'), /^2026年度学时要求$/);
    let shown = await bars(page);
    assert.deepEqual(shown['总学时'], [0, plan.hours, `0 / ${plan.hours} 学时`]);
    assert.deepEqual(shown['思想淬炼'], [0, plan.thought, `0 / ${plan.thought} 学时`]);

    await completeCourse(page);
    await openStudy(page);
    assert.equal(await page.getByLabel('我的层级').inputValue(), '市直机关', 'the tier is kept');
    shown = await bars(page);
    assert.deepEqual(shown['总学时'], [course.hours, plan.hours, `${course.hours} / ${plan.hours} 学时`]);
    const thought = Math.min(course.hours, plan.thought);
    assert.equal(shown['思想淬炼'][0], thought);
    assert.match(shown['思想淬炼'][2], new RegExp(`^${course.hours} / ${plan.thought} 学时`));
    for (const [label, [, , text]] of Object.entries(shown)) {
      if (label !== '总学时' && label !== '思想淬炼') assert.match(text, /^0 \//, `${label} is another action`);
    }
    // The bars are named for assistive technology by their label and numbers.
    const name = await page.getByRole('progressbar', { name: /总学时/ }).getAttribute('aria-labelledby');
    assert.ok(name.split(' ').length === 2);

    const rows = await page.$$eval('[data-record-rows] tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
    assert.deepEqual(rows, [[course.title, '思想淬炼', TODAY, String(course.hours)]]);
    assert.equal(await page.textContent('[data-record-total]'), String(course.hours));

    // Unmarking a lesson un-completes the course.
    await page.goto(url(course.lessons[0]));
    await page.getByRole('button', { name: /已学/ }).first().click();
    await openStudy(page);
    assert.deepEqual((await bars(page))['总学时'], [0, plan.hours, `0 / ${plan.hours} 学时`]);
  } finally {
    await ctx.close();
  }
});

test('a course finished before completion dates were kept counts as date unknown', async () => {
  const { ctx, page } = await context();
  try {
    await openStudy(page);
    const studied = Object.fromEntries(course.lessons.map((rel) => [rel.replace(/\/$/, ''), '2025-03-01T02:00:00.000Z']));
    await page.evaluate(([key, record]) => localStorage.setItem(key, JSON.stringify(record)), [STORE_KEY, { version: 1, studied, quiz: {} }]);
    await chooseTier(page, '市直机关');
    assert.deepEqual((await bars(page))['总学时'], [0, plan.hours, `0 / ${plan.hours} 学时`]);
    assert.equal(
      await page.textContent('[data-plan-unknown]'),
      `另有 1 门已完成课程（${course.hours} 学时）是在记录完成日期之前学完的，完成日期不详，未计入本年度。`,
    );
    assert.match(await page.textContent('[data-record-unknown]'), new RegExp(`完成日期不详的课程未列入：1 门，${course.hours} 学时`));
  } finally {
    await ctx.close();
  }
});

test('export and import keep completion dates', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jt-plan-'));
  const a = await context();
  const b = await context();
  try {
    await completeCourse(a.page);
    await openStudy(a.page);
    const [download] = await Promise.all([a.page.waitForEvent('download'), a.page.getByRole('button', { name: '导出学习记录' }).click()]);
    const file = path.join(dir, 'record.json');
    await download.saveAs(file);
    const exported = JSON.parse(fs.readFileSync(file, 'utf8'));
    const id = course.rel.replace(/\/$/, '');
    assert.ok(exported.completed[id].startsWith('2026-06-15T02:00'), JSON.stringify(exported.completed));

    await openStudy(b.page);
    await b.page.setInputFiles('[data-study-import]', file);
    await b.page.getByRole('button', { name: '确认导入' }).click();
    const rows = await b.page.$$eval('[data-record-rows] tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
    assert.deepEqual(rows, [[course.title, '思想淬炼', TODAY, String(course.hours)]]);
  } finally {
    await a.ctx.close();
    await b.ctx.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('printed, 我的学习 is the study record: its label, table and total alone', async () => {
  const { ctx, page } = await context();
  try {
    await completeCourse(page);
    await chooseTier(page, '市直机关');
    await page.emulateMedia({ media: 'print' });
    const shown = (sel) => page.$eval(sel, (el) => getComputedStyle(el).display !== 'none' && el.getClientRects().length > 0);
    assert.equal(await shown('.study-record-table'), true);
    assert.equal(await shown('.study-record-label'), true);
    assert.equal(await page.textContent('.study-record-label'), '自记录，以组织部门登记为准');
    assert.match(await page.textContent('[data-record-meta]'), /层级：市直机关/);
    for (const sel of ['.study-plan', '.study-summary', '[data-study-group=done]', '.study-tools', '.site-nav', '[data-record-print]']) {
      assert.equal(await shown(sel), false, `${sel} is not printed`);
    }
    const pdf = await page.pdf({ format: 'A4' });
    assert.ok(pdf.length > 1000);
  } finally {
    await ctx.close();
  }
});

test('axe: 我的学习 with a tier and a completed course, desktop and phone', async () => {
  for (const viewport of [undefined, PHONE]) {
    const { ctx, page } = await context(viewport ? { viewport } : {});
    try {
      await completeCourse(page);
      await chooseTier(page, '市直机关');
      const violations = await axeViolations(page);
      assert.equal(violations.length, 0, violations.map(formatViolation).join('\n'));
    } finally {
      await ctx.close();
    }
  }
});
