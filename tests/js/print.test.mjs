// Printing as a cadre hands lessons out: Chromium prints pages (print media) to PDF and
// pdf.js reads the PDF back, so the checks are on the sheets themselves: how many, what
// text they carry and in which order.
//
//  - a one-minute lesson with three sections and a quiz prints on one sheet, headed by
//    site, course, lesson and date, with addresses outside the site written out, the
//    quiz without its answers and the answer key at the end;
//  - 打印讲义 on a course page opens the course's print view and prints it;
//  - the print view of every sample course prints the course, then each lesson on a new
//    sheet in the syllabus's order, then the answer key; it is in no sitemap.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as pdfjs from 'pdfjs-dist/legacy/build/pdf.mjs';
import { setup, openPage, byKind, buildSite, serve, label } from './lib/harness.mjs';
import { parseQuiz } from './lib/content.mjs';

let env;
let small; // the one-minute course: { server, dir }

// A course whose first lesson reads in a minute but has three h2 sections and a quiz.
const SMALL = {
  'site.yaml': 'title: 打印测试平台\nbase_url: /training/\nlanguage: zh-CN\ntimezone: Asia/Shanghai\nactions: [专业训练]\n',
  'content/courses/ke/index.md': '---\ntitle: 公文处理基础\naction: 专业训练\nhours: 1\n---\n本课程讲公文处理的基本要求。\n',
  'content/courses/ke/01-gai-shu.md': `---
title: 一分钟读懂公文格式
---
## 为什么讲格式

公文格式统一，便于阅读、办理和归档。详见[党政机关公文格式](https://www.gov.cn/zhengce/gongwen/)，或学习[收文办理](02-ban-li.md)。

## 三个要素

版头、主体、版记各有规矩，不能随意增减。

## 小结

格式是公文的“门面”，写好格式是基本功。

\`\`\`quiz
- question: 公文由哪几部分组成？
  options: [版头、主体、版记, 标题和正文]
  answer: A
  explanation: 版头、主体、版记三部分。
- question: 公文格式可以随意增减。
  type: truefalse
  answer: false
\`\`\`
`,
  'content/courses/ke/02-ban-li.md': '---\ntitle: 收文办理的流程\n---\n## 签收登记\n\n收到公文先签收、登记，再送负责人批办。\n',
};

before(async () => {
  env = await setup();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'jiangtang-print-'));
  for (const [rel, text] of Object.entries(SMALL)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  const dir = buildSite(root, undefined, path.join(root, 'public'));
  small = { root, server: await serve(dir) };
});

after(async () => {
  await small?.server.close();
  if (small) fs.rmSync(small.root, { recursive: true, force: true });
  await env?.close();
});

/** The page at `url` printed to an A4 PDF: `{ pages: [text of each sheet] }`. */
async function printed(url) {
  const { context, page, problems } = await openPage(env.browser, url);
  try {
    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true });
    assert.deepEqual(problems, [], `problems on ${url}`);
    return { pages: await sheets(pdf) };
  } finally {
    await context.close();
  }
}

/**
 * The text of each page of a PDF, as pdf.js reads it, less its page number: every
 * sheet must carry "第 n 页" (its number in the document) in its margin.
 */
async function sheets(pdf) {
  const doc = await pdfjs.getDocument({ data: new Uint8Array(pdf), isEvalSupported: false }).promise;
  const out = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const content = await (await doc.getPage(n)).getTextContent();
    const text = content.items.map((item) => item.str).join('');
    const number = `第 ${n} 页`;
    assert.ok(text.includes(number), `sheet ${n} of ${doc.numPages} has no "${number}": ${text.slice(0, 80)}`);
    out.push(text.replace(number, ''));
  }
  await doc.destroy();
  return out;
}

/** The answers as the key prints them ("A", "对", "A、C"), from the quiz's source. */
function keyAnswer(q) {
  return q.answer.map((i) => (q.type === 'truefalse' ? q.options[i] : String.fromCharCode(65 + i))).join('、');
}

test('a one-minute lesson prints on one sheet, headed, with the answer key at the end', async () => {
  const source = SMALL['content/courses/ke/01-gai-shu.md'];
  assert.equal((source.match(/^## /gm) || []).length, 3, 'the lesson has three sections');
  const { pages } = await printed(small.server.url('courses/ke/gai-shu/'));
  assert.equal(pages.length, 1, `printed on ${pages.length} sheets:\n${pages.join('\n---\n')}`);
  const [sheet] = pages;
  const header = ['打印测试平台', '公文处理基础', '一分钟读懂公文格式'].join(' · ');
  assert.ok(sheet.startsWith(header), `the sheet starts with "${sheet.slice(0, 60)}", not the print header "${header}"`);
  assert.match(sheet, /打印日期：\d{4}年\d{1,2}月\d{1,2}日/, 'the header has the day it was printed');
  // An address outside the site in full; the portal's own paths not at all.
  assert.ok(sheet.includes('(https://www.gov.cn/zhengce/gongwen/)'), 'the outside link is printed with its address');
  assert.ok(!sheet.includes('/training/'), `a path of the site is printed: ${sheet}`);
  // The questions come without answers; the key follows them, answer by answer.
  const quiz = parseQuiz(source);
  const key = sheet.indexOf('参考答案');
  assert.ok(key > sheet.indexOf(quiz.at(-1).question), 'the answer key follows the last question');
  assert.ok(!sheet.slice(0, key).includes('正确答案'), 'an answer is shown beside its question');
  const expected = quiz.map((q, i) => `${i + 1}. ${keyAnswer(q)}`);
  let at = key;
  for (const line of expected) {
    const found = sheet.indexOf(line, at);
    assert.ok(found > at, `the key lacks "${line}" after "${sheet.slice(at, at + 40)}"`);
    at = found;
  }
  assert.ok(sheet.includes(quiz[0].explanation), 'the key gives the explanation');
});

test('打印讲义 on a course page opens the course print view and prints it', async () => {
  const course = byKind(env.site.pages).course[0];
  const { context, page } = await openPage(env.browser, env.server.origin + course.url);
  try {
    await context.addInitScript(() => {
      window.printCalls = 0;
      window.print = () => { window.printCalls += 1; };
    });
    const button = page.getByRole('link', { name: '打印讲义' });
    assert.equal(await button.count(), 1, 'one 打印讲义 on the course page');
    await Promise.all([page.waitForURL(/\/print\/$/), button.click()]);
    await page.waitForFunction(() => window.printCalls > 0);
    assert.equal(await page.evaluate(() => window.printCalls), 1, 'printed once');
    assert.equal(new URL(page.url()).pathname, course.url + 'print/');
    assert.equal(await page.evaluate(() => location.hash), '', 'a reload does not print again');
    assert.equal(await page.getAttribute('meta[name="robots"]', 'content'), 'noindex');
  } finally {
    await context.close();
  }
});

test('the print view of a course prints every lesson in order, each on new sheets', async (t) => {
  const sitemap = fs.readFileSync(path.join(env.site.dir, 'sitemap.xml'), 'utf8');
  assert.ok(!sitemap.includes('/print/'), 'a print view is in the sitemap');
  const views = byKind(env.site.pages).print || [];
  const courses = byKind(env.site.pages).course;
  assert.equal(views.length, courses.length, 'every course has a print view');
  for (const course of courses) {
    await t.test(label(course), async () => {
      const { context, page } = await openPage(env.browser, env.server.origin + course.url);
      const titles = await page.$$eval('.syllabus li a', (links) => links.map((a) => a.textContent.trim()));
      const hasQuiz = [];
      for (const href of await page.$$eval('.syllabus li a', (links) => links.map((a) => a.href))) {
        const lesson = await page.context().request.get(href);
        hasQuiz.push((await lesson.text()).includes('class="quiz"'));
      }
      await context.close();
      const { pages } = await printed(env.server.origin + course.url + 'print/');
      const courseTitle = await titleOf(course);
      assert.ok(pages[0].includes(courseTitle), 'the first sheet is the course');
      // Each lesson starts a sheet: the print header, then 第 n 课 / 共 N 课 and its title.
      let sheet = 0;
      for (const [i, title] of titles.entries()) {
        const kicker = `第 ${i + 1} 课 / 共 ${titles.length} 课`;
        const next = pages.findIndex((text, n) => n > sheet && text.includes(kicker));
        assert.ok(next > sheet, `${kicker} (${title}) is not on a sheet after sheet ${sheet + 1}`);
        const start = pages[next];
        assert.ok(start.startsWith(`${courseTitle} · ${title}`, start.indexOf(' · ') + 3),
          `sheet ${next + 1} does not open with the header of "${title}": ${start.slice(0, 80)}`);
        assert.ok(start.indexOf(title, start.indexOf(kicker)) > 0, `"${title}" does not follow ${kicker}`);
        sheet = next;
      }
      const last = pages.at(-1);
      // The answer key has its sheet's header too: site · course · 参考答案.
      const keyHeader = `${courseTitle} · 参考答案`;
      if (hasQuiz.some(Boolean)) {
        assert.ok(last.startsWith(keyHeader, last.indexOf(' · ') + 3), `the last sheet does not open with the header "${keyHeader}": ${last.slice(0, 80)}`);
        assert.ok(last.indexOf('参考答案', last.indexOf('打印日期')) > 0, `the last sheet is not the answer key: ${last.slice(0, 80)}`);
      }
      else assert.ok(!pages.join('').includes('参考答案'), 'an answer key without quizzes');
      assert.ok(pages.length >= titles.length + 1, `${pages.length} sheets for ${titles.length} lessons and the course`);
    });
  }
});

async function titleOf(course) {
  const html = fs.readFileSync(course.file, 'utf8');
  const m = html.match(/<h1>([^<]*)<\/h1>/);
  assert.ok(m, `${course.rel} has no <h1>`);
  return m[1].replace(/&amp;/g, '&');
}

test('a lesson\'s tags stay with its text, never alone at the top of a sheet', async (t) => {
  for (const lesson of byKind(env.site.pages).lesson) {
    const html = fs.readFileSync(lesson.file, 'utf8');
    // Those with a quiz run past a sheet (the answer key follows the text).
    if (!html.includes('class="page-tags"') || !html.includes('class="quiz"')) continue;
    await t.test(label(lesson), async () => {
      const { pages } = await printed(env.server.origin + lesson.url);
      for (const [n, text] of pages.entries()) {
        if (n === 0) continue;
        // What the sheet holds below its header (the header repeats on every sheet).
        const body = text.replace(/^.*?打印日期：\d{4}年\d{1,2}月\d{1,2}日/, '');
        assert.ok(!body.startsWith('标签'), `sheet ${n + 1} starts with the tags alone: ${body.slice(0, 80)}`);
      }
    });
  }
});
