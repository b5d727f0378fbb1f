// Learning scenarios in a real browser, each in a fresh browser context (empty
// localStorage), driven the way a reader drives them: clicks, selects, files.
//
//  - catalogue: filters and a sort chosen in the form show exactly the courses the
//    course pages say match, with the right 学时 total and per-value counts; the state is
//    in the URL and comes back on reload and in a new context;
//  - progress: "标记为已学" on lessons shows on the lesson, course and 我的学习 pages
//    (groups, finished 学时, chart), after reloads;
//  - export/import: the record exported as a file and imported into a fresh browser
//    context shows the same progress there;
//  - quiz: right and wrong answers graded per question with the explanation, the score
//    shown, kept in localStorage and shown again after a reload; retry.
//
// Expected values come from the built course pages and the Markdown sources (quiz
// answers), never from the data the theme scripts read.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setup, openPage, settle, byKind, BASE_PATH } from './lib/harness.mjs';
import { quizLessons } from './lib/content.mjs';

let env;
let courses; // facts of every course, read from its own page
before(async () => {
  env = await setup();
  courses = await readCourses(byKind(env.site.pages).course.map((p) => p.url));
});
after(async () => {
  await env?.close();
});

const STORE_KEY = 'jiangtang:' + BASE_PATH;

/** openPage with a shorter wait for anything: a step that does not happen fails soon. */
async function open(address) {
  const opened = await openPage(env.browser, address);
  opened.page.setDefaultTimeout(15000);
  return opened;
}
const url = (rel) => env.server.url(rel);
const pathOf = (u) => decodeURI(new URL(u, 'http://x').pathname);

// ---------------------------------------------------------------------------
// Facts from the built pages

/**
 * Reads every course page (fetched and parsed in the browser): its title, action,
 * 必修, 学时, levels, domains, topics, date and lessons.
 */
async function readCourses(urls) {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(url(''));
  const list = await page.evaluate(async (urls) => {
    const out = [];
    for (const u of urls) {
      const html = await (await fetch(u)).text();
      const doc = new DOMParser().parseFromString(html, 'text/html');
      const facts = {};
      for (const row of doc.querySelectorAll('main dl.facts > div')) {
        const dt = row.querySelector('dt').textContent.trim();
        const dd = row.querySelector('dd');
        const links = [...dd.querySelectorAll('a')].map((a) => a.textContent.trim());
        facts[dt] = { text: dd.textContent.trim(), links, time: dd.querySelector('time')?.getAttribute('datetime') || '' };
      }
      const lessons = [...doc.querySelectorAll('main ol.syllabus li a[href]')].map((a) => ({
        url: new URL(a.getAttribute('href'), location.href).pathname,
        title: a.textContent.trim(),
      }));
      out.push({
        url: new URL(u, location.href).pathname,
        title: doc.querySelector('main h1').textContent.trim(),
        action: doc.querySelector('main .kicker a').textContent.trim(),
        facts,
        lessons,
      });
    }
    return out;
  }, urls);
  await context.close();
  return list.map((c) => ({
    url: decodeURI(c.url),
    title: c.title,
    lessons: c.lessons.map((l) => ({ ...l, url: decodeURI(l.url) })),
    action: c.action,
    hours: parseFloat(c.facts['学时'].text),
    required: c.facts['必修/选修'].text === '必修',
    level: c.facts['层级']?.links ?? [],
    domain: c.facts['领域']?.links ?? [],
    topic: c.facts['专题']?.links ?? [],
    date: c.facts['发布日期']?.time ?? '',
  }));
}

/** The value of `key` a course has for the catalogue filter of that name, as a list. */
function valuesOf(course, key) {
  if (key === 'required') return [course.required ? '1' : '0'];
  if (key === 'action') return [course.action];
  return course[key];
}

// ---------------------------------------------------------------------------
// Catalogue

/** The course pages the catalogue visibly links to, in page order. */
function shownCourses(page) {
  return page.$$eval(
    'main a[href]',
    (links, base) => {
      const seen = [];
      for (const a of links) {
        if (a.getClientRects().length === 0) continue;
        const p = decodeURI(new URL(a.href).pathname);
        if (p.startsWith(base + 'courses/') && p.slice(base.length).split('/').length === 3 && !seen.includes(p)) {
          seen.push(p);
        }
      }
      return seen;
    },
    BASE_PATH,
  );
}

/** The catalogue status line: "显示 3/11 门课程，合计 12 学时" → {count, total, hours}. */
async function catalogueStatus(page) {
  const text = (await page.locator('main [data-filter-status]').textContent()).trim();
  const m = text.match(/(\d+)\s*\/\s*(\d+)\s*门课程.*?([\d.]+)\s*学时/);
  assert.ok(m, `catalogue status line not understood: "${text}"`);
  return { text, count: Number(m[1]), total: Number(m[2]), hours: Number(m[3]) };
}

/** The whole visible state of the catalogue, to compare across reloads. */
async function catalogueView(page) {
  return {
    shown: await shownCourses(page),
    status: (await catalogueStatus(page)).text,
    selects: await page.$$eval('main form select', (ss) => ss.map((s) => `${s.name}=${s.value}`)),
  };
}

/** `courses` sorted as "学时从多到少" must sort them: by hours, ties in page order. */
function byHoursDesc(list, pageOrder) {
  return [...list].sort((a, b) => b.hours - a.hours || pageOrder.indexOf(a.url) - pageOrder.indexOf(b.url));
}

const sum = (list) => Math.round(list.reduce((s, c) => s + c.hours, 0) * 10) / 10;
const titles = (paths) => paths.map((p) => courses.find((c) => c.url === p)?.title ?? p).join('、');

test('catalogue: filters, sort, counts, 学时 total and the URL', async () => {
  const catalogue = byKind(env.site.pages).catalogue[0];
  const { context, page, problems } = await open(env.server.origin + catalogue.url);
  try {
    const pageOrder = await shownCourses(page);
    assert.deepEqual([...pageOrder].sort(), courses.map((c) => c.url).sort(), 'unfiltered, the catalogue shows every course');
    let status = await catalogueStatus(page);
    assert.equal(status.count, courses.length);
    assert.equal(status.hours, sum(courses), 'the unfiltered 学时 total is the sum over all courses');

    // Every option of every facet names its value and the number of courses with it.
    const fields = { action: '培训行动', level: '层级', domain: '领域', topic: '专题' };
    for (const [key, labelText] of Object.entries(fields)) {
      const options = await page
        .getByLabel(labelText, { exact: true })
        .locator('option')
        .evaluateAll((os) => os.filter((o) => o.value).map((o) => ({ value: o.value, text: o.textContent.trim() })));
      const expected = new Map();
      for (const c of courses) for (const v of valuesOf(c, key)) expected.set(v, (expected.get(v) || 0) + 1);
      assert.deepEqual(options.map((o) => o.value).sort(), [...expected.keys()].sort(), `the ${labelText} filter offers every value courses have`);
      for (const o of options) {
        assert.equal(o.text, `${o.value}（${expected.get(o.value)}）`, `${labelText} option "${o.value}" shows its course count`);
      }
    }

    /** Picks, as a reader would, the option of `labelText` that starts with `value`. */
    async function choose(labelText, value) {
      const select = page.getByLabel(labelText, { exact: true });
      const label = await select.locator('option').evaluateAll(
        (os, v) => os.find((o) => o.value === v)?.textContent.trim(),
        value,
      );
      assert.ok(label, `${labelText} has no option ${value}`);
      await select.selectOption({ label });
    }

    // Filters chosen one after the other, each narrowing the current set if it can:
    // the value with the most courses that still leaves out some.
    const chosen = {};
    let expected = courses;
    let narrowed = 0;
    const steps = [
      ['action', '培训行动'],
      ['sort'],
      ['level', '层级'],
      ['required', '必修/选修'],
      ['domain', '领域'],
    ];
    for (const [key, labelText] of steps) {
      if (key === 'sort') {
        await page.getByLabel('排序', { exact: true }).selectOption({ label: '学时从多到少' });
        chosen.sort = 'hours';
      } else {
        const counts = new Map();
        for (const c of expected) for (const v of valuesOf(c, key)) counts.set(v, (counts.get(v) || 0) + 1);
        const ranked = [...counts].sort((a, b) => {
          const fewer = (n) => (n < expected.length ? 1 : 0);
          return fewer(b[1]) - fewer(a[1]) || b[1] - a[1];
        });
        const [value, n] = ranked[0];
        if (n < expected.length) narrowed += 1;
        const label = key === 'required' ? (value === '1' ? '必修' : '选修') : value;
        if (key === 'required') await page.getByLabel(labelText, { exact: true }).selectOption({ label });
        else await choose(labelText, value);
        chosen[key] = value;
        expected = expected.filter((c) => valuesOf(c, key).includes(value));
      }
      const want = chosen.sort ? byHoursDesc(expected, pageOrder).map((c) => c.url) : pageOrder.filter((u) => expected.some((c) => c.url === u));
      const shown = await shownCourses(page);
      const what = JSON.stringify(chosen);
      assert.deepEqual(shown, want, `with ${what} the catalogue shows ${titles(shown)}; expected ${titles(want)}`);
      status = await catalogueStatus(page);
      assert.equal(status.count, expected.length, `status count with ${what}`);
      assert.equal(status.total, courses.length, `status total with ${what}`);
      assert.equal(status.hours, sum(expected), `with ${what} the status sums the shown courses' 学时`);
      const query = Object.fromEntries(new URL(page.url()).searchParams);
      assert.deepEqual(query, chosen, 'the URL query holds exactly the chosen filters');
    }
    assert.ok(narrowed >= 2, 'the sample catalogue is rich enough for the filters to narrow the list');
    assert.ok(expected.length >= 1);

    // The same URL reloaded, then opened in a new browser context, shows the same view.
    const view = await catalogueView(page);
    const filteredUrl = page.url();
    await page.reload();
    await settle(page);
    assert.deepEqual(await catalogueView(page), view, 'a reload shows the same filtered view');
    const fresh = await open(filteredUrl);
    try {
      assert.deepEqual(await catalogueView(fresh.page), view, 'the URL opened in a fresh context shows the same view');
      assert.deepEqual(fresh.problems, []);
    } finally {
      await fresh.context.close();
    }

    // Reset: everything again, in page order, and a clean URL.
    await page.getByRole('button', { name: '重置筛选' }).click();
    await page.waitForFunction(() => !location.search);
    assert.deepEqual(await shownCourses(page), pageOrder, 'reset shows every course in page order');
    assert.equal((await catalogueStatus(page)).count, courses.length);

    // Newest first: by the date each course page shows.
    await page.getByLabel('排序', { exact: true }).selectOption({ label: '最新发布' });
    const newest = [...courses]
      .sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : pageOrder.indexOf(a.url) - pageOrder.indexOf(b.url)))
      .map((c) => c.url);
    assert.notDeepEqual(newest, pageOrder, 'the sample catalogue is not already newest first');
    assert.deepEqual(await shownCourses(page), newest, 'sorted newest first');
    assert.equal(new URL(page.url()).search, '?sort=newest');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('catalogue: a filter that matches nothing says so; unknown values are ignored', async () => {
  // A domain held by required courses only, asked for elective ones (or the reverse).
  const domains = [...new Set(courses.flatMap((c) => c.domain))];
  const domain = domains.find((d) => new Set(courses.filter((c) => c.domain.includes(d)).map((c) => c.required)).size === 1);
  assert.ok(domain, 'some domain has only required or only elective courses');
  const required = courses.find((c) => c.domain.includes(domain)).required ? '0' : '1';
  const { context, page } = await open(
    url(`courses/?domain=${encodeURIComponent(domain)}&required=${required}&action=${encodeURIComponent('不存在的行动')}`),
  );
  try {
    assert.deepEqual(await shownCourses(page), []);
    const status = await catalogueStatus(page);
    assert.equal(status.count, 0);
    assert.equal(status.hours, 0);
    assert.ok(await page.getByText('没有符合筛选条件的课程', { exact: false }).isVisible(), 'the "no match" message is shown');
    assert.equal(await page.getByLabel('培训行动', { exact: true }).inputValue(), '', 'an unknown action is ignored');
  } finally {
    await context.close();
  }
});

// ---------------------------------------------------------------------------
// Progress

/** On an open lesson page: clicks the first "标记为已学" and waits for it to hold. */
async function markStudied(page) {
  const button = page.getByRole('button', { name: '标记为已学' }).first();
  assert.equal(await button.getAttribute('aria-pressed'), 'false', `${pathOf(page.url())} starts unmarked`);
  await button.click();
  await page.waitForFunction(() =>
    [...document.querySelectorAll('main button[aria-pressed]')].every((b) => b.getAttribute('aria-pressed') === 'true' && b.textContent.trim().startsWith('已学')),
  );
  // What the reader sees, the style's mark included: one check mark, not two.
  const shown = await page.evaluate(() =>
    [...document.querySelectorAll('main button[aria-pressed]')].map((b) => {
      const mark = getComputedStyle(b, '::before').content.replace(/^"|"$/g, '');
      return `${mark === 'none' ? '' : mark} ${b.textContent}`.trim();
    }),
  );
  for (const text of shown) assert.equal(text, '√ 已学', `${pathOf(page.url())}: ${JSON.stringify(shown)}`);
}

/** Opens each lesson of `course` (first `n`) by following the pager, marking each. */
async function studyLessons(page, course, n = course.lessons.length) {
  await page.goto(url(course.lessons[0].url.slice(BASE_PATH.length)));
  for (let i = 0; i < n; i++) {
    assert.equal(pathOf(page.url()), course.lessons[i].url);
    await markStudied(page);
    if (i + 1 < n) {
      await Promise.all([page.waitForURL((u) => pathOf(u) === course.lessons[i + 1].url), page.getByRole('link', { name: /下一课/ }).click()]);
    }
  }
}

/** The course page's progress: {text, value, max, marked: lesson titles shown as 已学}. */
async function courseProgress(page, course) {
  await page.goto(url(course.url.slice(BASE_PATH.length)));
  const box = page.locator('main [data-course-progress]');
  assert.ok(await box.isVisible(), `the progress box shows on ${course.title}`);
  return {
    text: (await box.locator('[data-progress-text]').textContent()).trim(),
    value: await box.locator('progress').evaluate((p) => p.value),
    max: await box.locator('progress').evaluate((p) => p.max),
    marked: await page.$$eval('main ol.syllabus li', (lis) =>
      lis.filter((li) => [...li.querySelectorAll('*')].some((e) => e.textContent.trim() === '已学' && e.getClientRects().length > 0))
        .map((li) => li.querySelector('a').textContent.trim()),
    ),
  };
}

/** Opens 我的学习 from the site navigation and reads what it shows. */
async function studyView(page) {
  await page.goto(url(''));
  await Promise.all([
    page.waitForURL((u) => pathOf(u) !== BASE_PATH),
    page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '我的学习' }).click(),
  ]);
  return readStudy(page);
}

async function readStudy(page) {
  await page.locator('[data-study-summary]').waitFor({ state: 'visible' });
  return page.evaluate(() => {
    const visible = (el) => !!el && el.getClientRects().length > 0;
    const stat = (name) => document.querySelector(`[data-stat=${name}]`).textContent.trim();
    const group = (title) => {
      const h = [...document.querySelectorAll('main h2')].find((x) => x.textContent.trim() === title && visible(x));
      if (!h) return [];
      return [...h.closest('section').querySelectorAll('li.study-course')].map((li) => ({
        title: li.querySelector('a').textContent.trim(),
        progress: visible(li.querySelector('[data-course-progress-text]')) ? li.querySelector('[data-course-progress-text]').textContent.trim() : '',
      }));
    };
    const chart = document.querySelector('[data-study-chart]');
    const svg = chart.querySelector('svg');
    const unit = (name) => {
      const box = document.querySelector(`[data-stat=${name}]`).closest('div');
      return [box.querySelector('dt').textContent.trim(), box.querySelector('.stat-unit').textContent.trim()];
    };
    return {
      units: { lessons: unit('lessons'), hours: unit('hours') },
      unitsNote: visible(document.querySelector('.study-units-note')) ? document.querySelector('.study-units-note').textContent.trim() : '',
      done: stat('done'),
      progress: stat('progress'),
      lessons: stat('lessons'),
      hours: stat('hours'),
      inProgress: group('学习中'),
      finished: group('已完成'),
      // 未开始 says how many courses are not started: its list shows a page of them.
      notStarted: (() => {
        const h = [...document.querySelectorAll('main h2')].find((x) => x.textContent.trim().startsWith('未开始') && visible(x));
        const n = h && h.textContent.trim().match(/^未开始（(\d+) 门）$/);
        return n ? Number(n[1]) : -1;
      })(),
      chart: svg
        ? {
            bars: [...svg.querySelectorAll('rect.bar')].map((r) => Number(r.getAttribute('width'))),
            labels: [...chart.querySelectorAll('li')].map((li) => li.textContent.trim()),
          }
        : null,
      chartText: chart.textContent.trim(),
      quiz: [...document.querySelectorAll('.quiz-result')].filter(visible).map((e) => e.textContent.trim()),
    };
  });
}

/** The titles 未开始 lists, page after page (上一页 / 下一页 when it has pages). */
async function notStartedTitles(page) {
  const titles = [];
  const next = page.locator('[data-study-next]');
  for (let i = 0; i < 100; i++) {
    titles.push(...(await page.$$eval('[data-study-group=todo] li.study-course', (lis) => lis.map((li) => li.querySelector('a').textContent.trim()))));
    if (!(await next.isVisible()) || (await next.isDisabled())) return titles;
    const status = await page.locator('[data-study-page]').textContent();
    await next.click();
    await page.waitForFunction((s) => document.querySelector('[data-study-page]').textContent !== s, status);
  }
  return assert.fail('未开始 never reached its last page');
}

test('progress: 标记为已学 shows on the lesson, the course and 我的学习', async () => {
  // Two small courses of different actions to finish, a third to start.
  const small = [...courses].sort((a, b) => a.lessons.length - b.lessons.length || a.url.localeCompare(b.url));
  const first = small[0];
  const second = small.find((c) => c.action !== first.action);
  const started = small.find((c) => c !== first && c !== second && c.lessons.length >= 2);
  assert.ok(second && started, 'the sample site has courses to finish and to start');

  const { context, page, problems } = await open(url(''));
  try {
    // A lesson: the button toggles, its state and date survive a reload.
    await page.goto(url(started.lessons[0].url.slice(BASE_PATH.length)));
    await markStudied(page);
    const status = page.locator('main [data-study-status]').first();
    assert.match(await status.textContent(), /^已于 \d{4}年\d{1,2}月\d{1,2}日 标记为已学$/);
    await page.reload();
    await settle(page);
    assert.equal(await page.getByRole('button', { name: /^√?\s*已学$/ }).first().getAttribute('aria-pressed'), 'true', 'still marked after a reload');
    assert.ok(await page.locator('aside li.is-current .studied-mark').isVisible(), 'the syllabus beside the lesson marks it 已学');
    // 撤销 beside the mark undoes it.
    await page.getByRole('button', { name: '撤销' }).first().click();
    await page.waitForFunction(() => document.querySelector('main button[aria-pressed]').getAttribute('aria-pressed') === 'false');
    assert.equal((await status.textContent()).trim(), '', 'undoing clears the date');
    assert.equal(await page.getByRole('button', { name: '撤销' }).count(), 0, 'nothing to undo any more');
    assert.equal(await page.getByRole('button', { name: '标记为已学' }).count(), 2, 'both buttons read 标记为已学 again');
    // So does pressing the button again.
    await markStudied(page);
    await page.getByRole('button', { name: /^√?\s*已学$/ }).last().click();
    await page.waitForFunction(() => document.querySelector('main button[aria-pressed]').getAttribute('aria-pressed') === 'false');
    await markStudied(page);

    let progress = await courseProgress(page, started);
    assert.equal(progress.text, `已学 1/${started.lessons.length}`);
    // The course's start button now leads on to the first lesson not studied.
    const go = page.locator('main .page-tools a[data-continue]');
    assert.equal((await go.textContent()).trim(), '继续学习');
    assert.equal(pathOf(await go.getAttribute('href')), started.lessons[1].url);
    assert.equal(progress.value, 1);
    assert.equal(progress.max, started.lessons.length);
    assert.deepEqual(progress.marked, [started.lessons[0].title]);

    // Finish two courses through their lesson pages.
    for (const course of [first, second]) {
      await studyLessons(page, course);
      progress = await courseProgress(page, course);
      assert.equal(progress.text, `已学 ${course.lessons.length}/${course.lessons.length}`);
      assert.equal(progress.value, progress.max);
      assert.deepEqual(progress.marked, course.lessons.map((l) => l.title));
    }

    const study = await studyView(page);
    assert.equal(pathOf(page.url()), BASE_PATH + 'study/');
    // A partly studied course gives its share in lessons (课), never beside 学时 unexplained.
    const share = `已学 1/${started.lessons.length} 课（${Math.round(100 / started.lessons.length)}%）`;
    assert.deepEqual(study.inProgress, [{ title: started.title, progress: share }]);
    const finished = courses.filter((c) => c === first || c === second); // page order
    assert.deepEqual(
      study.finished.map((c) => c.title).sort(),
      finished.map((c) => c.title).sort(),
    );
    for (const c of study.finished) assert.match(c.progress, /^已学 (\d+)\/\1 课（100%）$/);
    assert.deepEqual(study.units, { lessons: ['已学的课', '课'], hours: ['已完成课程的学时', '学时'] });
    assert.match(study.unitsNote, /“课”是课程里的一节内容；“学时”是课程规定的学习量/, 'the summary says what 课 and 学时 count');
    assert.equal(study.done, '2');
    assert.equal(study.progress, '1');
    assert.equal(study.lessons, String(first.lessons.length + second.lessons.length + 1));
    assert.equal(Number(study.hours), first.hours + second.hours, '学时 of finished courses');
    assert.equal(study.notStarted, courses.length - 3);
    assert.ok(study.chart, 'the chart is drawn as an SVG');
    assert.ok(study.chart.bars.filter((w) => w > 0).length === 2, 'one bar for each action with finished courses');
    for (const c of [first, second]) {
      assert.ok(study.chart.labels.includes(`${c.action}：${c.hours} 学时`), `the chart's text lists ${c.action}: ${study.chart.labels}`);
    }

    // The record is kept: a reload of 我的学习 shows the same.
    await page.reload();
    await settle(page);
    assert.deepEqual(await readStudy(page), study);
    // Page by page, 未开始 lists every course not started, each once.
    const rest = courses.filter((c) => ![first, second, started].includes(c)).map((c) => c.title);
    assert.deepEqual((await notStartedTitles(page)).sort(), rest.sort());
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

// ---------------------------------------------------------------------------
// Export and import

/** On an open lesson page with a quiz: answers every question as `pick(q)` says, checks. */
async function answerQuiz(page, quiz, pick) {
  const questions = page.locator('main section.quiz fieldset');
  assert.equal(await questions.count(), quiz.length, 'the page shows every question of the source');
  for (let i = 0; i < quiz.length; i++) {
    for (const k of pick(quiz[i], i)) {
      await questions.nth(i).getByLabel(quiz[i].options[k], { exact: false }).check();
    }
  }
  await page.getByRole('button', { name: '检查答案' }).click();
  await page.locator('main .quiz-score').filter({ hasText: /^得分：/ }).waitFor();
}

test('export and import: the record moves to a fresh browser profile', async () => {
  const lesson = quizLessons()[0];
  const course = courses.find((c) => c.lessons.some((l) => l.url === BASE_PATH + lesson.rel));
  assert.ok(course, `the course of ${lesson.rel} is built`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiangtang-export-'));

  // Browser A: study a whole course and take its quiz, then export.
  const a = await open(url(''));
  let exported;
  let file;
  try {
    await studyLessons(a.page, course);
    await a.page.goto(url(lesson.rel));
    await answerQuiz(a.page, lesson.quiz, (q) => q.answer);
    exported = await studyView(a.page);
    assert.equal(exported.done, '1');
    assert.deepEqual(exported.quiz, [`自测 ${lesson.quiz.length}/${lesson.quiz.length}`]);

    const [download] = await Promise.all([a.page.waitForEvent('download'), a.page.getByRole('button', { name: '导出学习记录' }).click()]);
    assert.match(download.suggestedFilename(), /^学习记录-\d{4}-\d{2}-\d{2}\.json$/);
    file = path.join(dir, download.suggestedFilename());
    await download.saveAs(file);
    // The message names the file and where the browser put it.
    await a.page.getByText(`已导出学习记录文件“${download.suggestedFilename()}”，在浏览器的下载文件夹中。`).waitFor();
    const record = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert.equal(record.version, 1);
    assert.deepEqual(
      Object.keys(record.studied).sort(),
      course.lessons.map((l) => l.url.slice(BASE_PATH.length).replace(/\/$/, '')).sort(),
      'the file lists the studied lessons',
    );
    const quizKeys = Object.keys(record.quiz);
    assert.equal(quizKeys.length, 1);
    assert.deepEqual([record.quiz[quizKeys[0]].score, record.quiz[quizKeys[0]].total], [lesson.quiz.length, lesson.quiz.length]);
    assert.deepEqual(a.problems, []);
  } finally {
    await a.context.close();
  }

  // Browser B: a new context (its own empty profile) imports the file.
  const b = await open(url('study/'));
  try {
    assert.equal(await b.page.evaluate((k) => localStorage.getItem(k), STORE_KEY), null, 'the new profile starts empty');
    const empty = await readStudy(b.page);
    assert.equal(empty.done, '0');
    assert.equal(empty.finished.length, 0);

    // Choosing the file says what the import will do, and does nothing yet.
    const name = path.basename(file);
    const n = course.lessons.length;
    await b.page.getByLabel('导入学习记录', { exact: false }).setInputFiles(file);
    await b.page.getByText(`文件“${name}”中有 ${n} 条已学记录、1 条自测成绩。导入会与本机记录合并：新增 ${n} 条已学记录、1 条自测成绩，本机原有的记录不会删除。`).waitFor();
    assert.equal((await readStudy(b.page)).done, '0', 'nothing is imported before it is confirmed');
    // 取消 leaves the record as it was.
    await b.page.getByRole('button', { name: '取消' }).click();
    await b.page.getByText('已取消导入，本机记录没有改变。').waitFor();
    assert.deepEqual(await readStudy(b.page), empty, 'a cancelled import changes nothing');
    assert.equal(await b.page.evaluate((k) => localStorage.getItem(k), STORE_KEY), null, 'nothing stored');

    await b.page.getByLabel('导入学习记录', { exact: false }).setInputFiles(file);
    await b.page.getByRole('button', { name: '确认导入' }).click();
    await b.page.getByText(`已导入：新增 ${n} 条已学记录、1 条自测成绩。本机原有的记录都已保留。`).waitFor();
    assert.deepEqual(await readStudy(b.page), exported, '我的学习 shows what it showed in the first browser');

    // Importing the same file again says, and does, that it adds nothing; a broken
    // file is refused at once.
    await b.page.getByLabel('导入学习记录', { exact: false }).setInputFiles(file);
    await b.page.getByText(`中有 ${n} 条已学记录、1 条自测成绩。导入会与本机记录合并：新增 0 条已学记录、0 条自测成绩`).waitFor();
    await b.page.getByRole('button', { name: '确认导入' }).click();
    await b.page.getByText('已导入：新增 0 条已学记录、0 条自测成绩。').waitFor();
    await b.page.getByLabel('导入学习记录', { exact: false }).setInputFiles({
      name: 'other.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify({ version: 2, studied: {} })),
    });
    await b.page.getByText('无法导入').waitFor();
    assert.deepEqual(await readStudy(b.page), exported, 'a refused file changes nothing');

    // The other pages of browser B see the imported record too.
    const progress = await courseProgress(b.page, course);
    assert.equal(progress.text, `已学 ${course.lessons.length}/${course.lessons.length}`);
    await b.page.goto(url(lesson.rel));
    assert.match(await b.page.locator('main .quiz-score').textContent(), new RegExp(`^上次得分：${lesson.quiz.length}/${lesson.quiz.length}`));
    assert.deepEqual(b.problems, []);
  } finally {
    await b.context.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('clear: 清除本机记录 stands apart from import, asks first, then clears', async () => {
  const lesson = courses.find((c) => c.lessons.length > 0).lessons[0];
  const { page, context, problems } = await open(env.server.origin + lesson.url);
  try {
    await page.getByRole('button', { name: '标记为已学' }).first().click();
    await page.goto(url('study/'));
    assert.equal((await readStudy(page)).lessons, '1');
    const clear = page.getByRole('button', { name: '清除本机记录' });
    const own = page.getByRole('region', { name: '清除本机记录' });
    assert.equal(await own.getByRole('button', { name: '清除本机记录' }).count(), 1, 'the button has a section of its own');
    assert.equal(await page.getByRole('region', { name: '导出与导入' }).getByRole('button', { name: '清除本机记录' }).count(), 0,
      'the button is not among export and import');
    const gap = await page.evaluate(() => {
      const input = document.querySelector('[data-study-import]').getBoundingClientRect();
      const button = document.querySelector('[data-study-clear]').getBoundingClientRect();
      return button.top - input.bottom;
    });
    assert.ok(gap >= 48, `清除本机记录 is ${gap} px below the import field`);

    // Declining the question keeps the record; accepting clears it.
    page.once('dialog', (d) => d.dismiss());
    await clear.click();
    assert.equal((await readStudy(page)).lessons, '1', 'declined: the record stays');
    let question = '';
    page.once('dialog', (d) => { question = d.message(); d.accept(); });
    await clear.click();
    await own.getByText('已清除本机学习记录。').waitFor();
    assert.match(question, /确定要清除本机浏览器中的全部学习记录吗/);
    assert.equal((await readStudy(page)).lessons, '0');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

// ---------------------------------------------------------------------------
// Quiz

test('quiz: graded per question, explained, scored, kept and retried', async () => {
  const lesson = quizLessons()[0];
  const quiz = lesson.quiz;
  assert.ok(quiz.length >= 2, `${lesson.rel} has a quiz of several questions`);
  const { context, page, problems } = await open(url(lesson.rel));
  try {
    const questions = page.locator('main section.quiz fieldset');
    assert.equal(await questions.count(), quiz.length);
    for (let i = 0; i < quiz.length; i++) {
      assert.ok(!(await questions.nth(i).getByText(quiz[i].explanation).isVisible()), `question ${i + 1}: no explanation before checking`);
    }

    // First question right, every other one wrong (a wrong option, or one missing).
    const wrong = (q) => {
      if (q.type === 'multiple') return q.answer.slice(0, -1).length ? q.answer.slice(0, -1) : [q.options.findIndex((_, k) => !q.answer.includes(k))];
      return [q.options.findIndex((_, k) => !q.answer.includes(k))];
    };
    const rightMarks = (q) => q.locator('label').evaluateAll((ls) =>
      ls.map((l, k) => (/正确答案/.test(l.textContent) ? k : -1)).filter((k) => k >= 0),
    );
    await answerQuiz(page, quiz, (q, i) => (i === 0 ? q.answer : wrong(q)));
    // A first wrong answer: try again; the answer waits, folded, under 查看答案.
    for (let i = 1; i < quiz.length; i++) {
      const q = questions.nth(i);
      assert.match((await q.locator('.quiz-feedback').textContent()).trim(), /^× 回答错误，请再想一想/, `question ${i + 1} feedback`);
      assert.ok(!(await q.getByText(quiz[i].explanation).isVisible()), `question ${i + 1}: no explanation yet`);
      assert.deepEqual(await rightMarks(q), [], `question ${i + 1}: no answer marked yet`);
      assert.ok(await q.getByText('查看答案').isVisible(), `question ${i + 1}: the answer can be asked for`);
    }
    assert.ok(await page.getByRole('button', { name: '检查答案' }).isVisible(), 'another check is offered');
    // The second try of the same wrong answers shows the right ones.
    await page.getByRole('button', { name: '检查答案' }).click();
    await page.locator('main .quiz-feedback').nth(quiz.length - 1).filter({ hasText: /^× 回答错误$/ }).waitFor();
    for (let i = 0; i < quiz.length; i++) {
      const q = questions.nth(i);
      const feedback = (await q.locator('.quiz-feedback').textContent()).trim();
      assert.equal(feedback, i === 0 ? '√ 回答正确' : '× 回答错误', `question ${i + 1} feedback`);
      assert.ok(await q.getByText(quiz[i].explanation).isVisible(), `question ${i + 1}: the explanation is shown`);
      assert.deepEqual(await rightMarks(q), quiz[i].answer, `question ${i + 1}: the right options are marked 正确答案`);
    }
    const score = page.locator('main .quiz-score');
    assert.equal((await score.textContent()).trim(), `得分：1/${quiz.length}`);

    const stored = async () => JSON.parse(await page.evaluate((k) => localStorage.getItem(k), STORE_KEY)).quiz;
    const kept = async () => Object.values(await stored()).map((r) => [r.score, r.total]);
    assert.deepEqual(await kept(), [[1, quiz.length]], 'the score is kept in localStorage');
    assert.ok(!(await page.getByRole('button', { name: '检查答案' }).isVisible()), 'nothing left to try');

    // Retry clears the attempt; then everything right.
    await page.getByRole('button', { name: '重做' }).click();
    assert.equal(await page.locator('main section.quiz input:checked').count(), 0, 'retry clears the answers');
    assert.equal(await page.locator('main .quiz-feedback').filter({ hasText: /\S/ }).count(), 0, 'retry clears the feedback');
    assert.ok(!(await questions.first().getByText(quiz[0].explanation).isVisible()), 'retry hides the explanations again');
    assert.equal((await score.textContent()).trim(), '', 'retry clears the score');
    assert.ok(await page.getByRole('button', { name: '检查答案' }).isVisible());
    assert.ok(!(await page.getByRole('button', { name: '重做' }).isVisible()));
    await answerQuiz(page, quiz, (q) => q.answer);
    assert.equal((await score.textContent()).trim(), `得分：${quiz.length}/${quiz.length}`);
    for (let i = 0; i < quiz.length; i++) {
      assert.equal((await questions.nth(i).locator('.quiz-feedback').textContent()).trim(), '√ 回答正确');
    }
    assert.deepEqual(await kept(), [[quiz.length, quiz.length]], 'the latest attempt is kept');

    // A reload shows the kept score over a fresh form.
    await page.reload();
    await settle(page);
    assert.match(await score.textContent(), new RegExp(`^上次得分：${quiz.length}/${quiz.length}（\\d{4}年`), 'a reload shows the last score');
    assert.equal(await page.locator('main section.quiz input:checked').count(), 0, 'a reload starts with fresh answers');
    assert.equal(await page.locator('main .quiz-feedback').filter({ hasText: /\S/ }).count(), 0);

    // Checking with nothing chosen grades every question as unanswered.
    await answerQuiz(page, quiz, () => []);
    for (let i = 0; i < quiz.length; i++) {
      assert.equal((await questions.nth(i).locator('.quiz-feedback').textContent()).trim(), '× 未作答', `question ${i + 1} unanswered`);
    }
    assert.equal((await score.textContent()).trim(), `得分：0/${quiz.length}`);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
