// Accessibility: axe-core (with WCAG 2.2's target-size rule) finds no serious or critical violation on one page of every
// kind, nor in the states the scripts draw (我的学习 with a record, search results,
// suggestions, a checked quiz, an empty filtered catalogue); a keyboard-only reader can
// search from the header, filter the course catalogue and answer a lesson quiz.
// axe is injected from node_modules as script text (no network).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, openPage, onePerKind, byKind, settle, label, BASE_PATH, DESKTOP, PHONE } from './lib/harness.mjs';
import { lessonSources, quizLessons } from './lib/content.mjs';
import { axeViolations, formatViolation } from './lib/axe.mjs';

let env;
before(async () => {
  env = await setup();
});
after(async () => {
  await env?.close();
});


test('axe: no serious or critical violations, on a desktop and on a phone', async (t) => {
  for (const [p, viewport] of onePerKind(env.site.pages).flatMap((p) => [[p, DESKTOP], [p, PHONE]])) {
    await t.test(`${label(p)} at ${viewport.width} px`, async () => {
      const { context, page } = await openPage(env.browser, env.server.origin + p.url, { viewport });
      try {
        const violations = await axeViolations(page);
        assert.equal(violations.length, 0, `${violations.length} serious/critical violations on ${label(p)}:\n${violations.map(formatViolation).join('\n')}`);
      } finally {
        await context.close();
      }
    });
  }
});

/**
 * Presses Tab until the focused element satisfies `predicate` (run in the page, given
 * document.activeElement); fails after `max` presses, listing what got focus on the way.
 */
async function tabTo(page, predicate, what, max = 60) {
  const seen = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const here = await page.evaluate(predicate);
    if (here.ok) return;
    seen.push(here.name);
    if (here.name === 'body' && i > 0) break; // focus went round the whole page
  }
  assert.fail(`Tab never reached ${what}; focus went: ${seen.join(' → ')}`);
}

/** Describes document.activeElement (used inside predicates, in the page). */
const DESCRIBE = `(el) => !el || el === document.body ? 'body' : el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
  (el.getAttribute('name') ? '[name=' + el.getAttribute('name') + ']' : '') +
  (el.textContent && el.textContent.trim() ? '"' + el.textContent.trim().slice(0, 12) + '"' : '')`;

test('keyboard: header search reaches the search page', async () => {
  const home = byKind(env.site.pages).home[0];
  const { context, page } = await openPage(env.browser, env.server.origin + home.url);
  try {
    await tabTo(
      page,
      `(() => { const el = document.activeElement; const describe = ${DESCRIBE};
        const ok = !!el && el.matches('input[type=search], input[name=q]') && !el.closest('main');
        return { ok, name: describe(el) }; })()`,
      'the header search input',
    );
    await page.keyboard.type('党史');
    await Promise.all([page.waitForURL(/\/search\/\?/, { timeout: 10000 }), page.keyboard.press('Enter')]);
    const url = new URL(page.url());
    assert.equal(url.pathname, BASE_PATH + 'search/');
    assert.equal(url.searchParams.get('q'), '党史');
  } finally {
    await context.close();
  }
});

test('keyboard: a catalogue filter can be changed', async () => {
  const catalogue = byKind(env.site.pages).catalogue?.[0];
  assert.ok(catalogue, 'the built site has no catalogue page');
  const { context, page } = await openPage(env.browser, env.server.origin + catalogue.url);
  // The course cards a reader can see: distinct visible links to /courses/x/.
  const visibleCourses = () =>
    page.$$eval(
      'main a[href]',
      (links, base) =>
        new Set(
          links
            .filter((a) => a.getClientRects().length > 0)
            .map((a) => new URL(a.href).pathname)
            .filter((p) => p.startsWith(base + 'courses/') && p.slice(base.length).split('/').length === 3),
        ).size,
      BASE_PATH,
    );
  try {
    const before = await visibleCourses();
    await tabTo(
      page,
      `(() => { const el = document.activeElement; const describe = ${DESCRIBE};
        const ok = !!el && !!el.closest('main') &&
          el.matches('select, input[type=checkbox], input[type=radio], button[aria-pressed], [role=checkbox], [role=radio]');
        return { ok, name: describe(el) }; })()`,
      'a catalogue filter control',
    );
    const control = await page.evaluate(() => {
      const el = document.activeElement;
      return el.tagName === 'SELECT' ? 'select' : el.type === 'radio' || el.getAttribute('role') === 'radio' ? 'radio' : 'toggle';
    });
    // Change it the way a keyboard user would; a select may need a few presses
    // before it reaches an option that hides some course.
    let after = before;
    for (let i = 0; i < (control === 'toggle' ? 1 : 5) && after === before; i++) {
      if (control === 'select') await page.keyboard.press('ArrowDown');
      else if (control === 'radio') await page.keyboard.press('ArrowRight');
      else await page.keyboard.press('Space');
      await page.waitForLoadState('load');
      await settle(page);
      after = await visibleCourses();
    }
    assert.notEqual(after, before, `changing the ${control} filter with the keyboard left ${before} courses shown`);
  } finally {
    await context.close();
  }
});

/** The element that has focus, described, and whether it can be seen. */
function focused(page) {
  return page.evaluate(`(() => { const el = document.activeElement; const describe = ${DESCRIBE};
    return { name: describe(el), visible: !!el && el !== document.body && el.getClientRects().length > 0,
      inQuiz: !!el && !!el.closest('section.quiz'), text: el ? (el.textContent || '').trim() : '',
      type: el ? el.type || '' : '', question: el && el.closest('fieldset') ?
        [...document.querySelectorAll('section.quiz fieldset')].indexOf(el.closest('fieldset')) : -1 }; })()`);
}

test('keyboard: answer a lesson quiz without a mouse', async () => {
  const lesson = quizLessons()[0];
  const quiz = lesson.quiz;
  const { context, page } = await openPage(env.browser, env.server.url(lesson.rel));
  try {
    await tabTo(
      page,
      `(() => { const el = document.activeElement; const describe = ${DESCRIBE};
        return { ok: !!el && el.matches('section.quiz input'), name: describe(el) }; })()`,
      'the first answer of the quiz',
    );
    // The first question answered wrong, the others right.
    const picks = quiz.map((q, i) => (i === 0 ? [q.options.findIndex((_, k) => !q.answer.includes(k))] : q.answer));
    for (let i = 0; i < quiz.length; i++) {
      const here = await focused(page);
      assert.equal(here.question, i, `Tab reached question ${i + 1} (focus: ${here.name})`);
      if (here.type === 'radio') {
        // Space picks the focused option, the arrow keys move the choice.
        await page.keyboard.press('Space');
        for (let k = 0; k < picks[i][0]; k++) await page.keyboard.press('ArrowDown');
      } else {
        for (let k = 0; k < quiz[i].options.length; k++) {
          if (picks[i].includes(k)) await page.keyboard.press('Space');
          if (k + 1 < quiz[i].options.length) await page.keyboard.press('Tab');
        }
      }
      const checked = await page.$$eval(`section.quiz fieldset:nth-of-type(${i + 1}) input`, (inputs) =>
        inputs.map((x, k) => (x.checked ? k : -1)).filter((k) => k >= 0),
      );
      assert.deepEqual(checked, picks[i], `question ${i + 1}: the keyboard chose the options`);
      await page.keyboard.press('Tab');
    }
    let here = await focused(page);
    assert.equal(here.text, '检查答案', `after the last question Tab reaches the check button (focus: ${here.name})`);
    await page.keyboard.press('Enter');

    // Feedback in live regions, the explanation shown, focus kept in the quiz.
    await page.locator('section.quiz .quiz-score').filter({ hasText: /得分/ }).waitFor();
    const feedback = () => page.$$eval('section.quiz fieldset', (sets) =>
      sets.map((f) => {
        const live = [...f.querySelectorAll('*')].find((e) => e.textContent.trim() && /√|×/.test(e.textContent) && e.closest('[aria-live], [role=status], [role=alert]') && e.getClientRects().length > 0 && !e.closest('label'));
        return live ? live.textContent.trim() : '';
      }),
    );
    // The wrong answer is first an invitation to try again; the check button keeps
    // the focus, and Enter checks the second try.
    assert.deepEqual(
      (await feedback()).map((f) => f.replace(/，.*$/, '')),
      quiz.map((_, i) => (i === 0 ? '× 回答错误' : '√ 回答正确')),
      'each question says, in a live region, whether it was right',
    );
    here = await focused(page);
    assert.equal(here.text, '检查答案', `focus stays on the check button for a second try (focus: ${here.name})`);
    await page.keyboard.press('Enter');
    await page.locator('section.quiz .quiz-feedback').first().filter({ hasText: /^× 回答错误$/ }).waitFor();
    assert.deepEqual(await feedback(), quiz.map((_, i) => (i === 0 ? '× 回答错误' : '√ 回答正确')));
    for (const q of quiz) {
      assert.ok(await page.locator('section.quiz').getByText(q.explanation).isVisible(), `the explanation "${q.explanation}" is shown`);
    }
    const score = await page.$eval('section.quiz .quiz-score', (el) => ({
      text: el.textContent.trim(),
      live: !!el.closest('[aria-live], [role=status]'),
    }));
    assert.deepEqual(score, { text: `得分：${quiz.length - 1}/${quiz.length}`, live: true }, 'the score is announced');
    here = await focused(page);
    assert.ok(here.visible && here.inQuiz, `focus stays on something visible in the quiz, not lost: ${here.name}`);
    assert.equal(here.text, '重做', 'focus lands on the retry button');

    // Retry from the keyboard: a fresh form, focus on its first answer.
    await page.keyboard.press('Enter');
    here = await focused(page);
    assert.ok(here.visible && here.question === 0, `after retry focus is on the first question: ${here.name}`);
    assert.equal(await page.locator('section.quiz input:checked').count(), 0);
  } finally {
    await context.close();
  }
});

// ---------------------------------------------------------------------------
// The states scripts draw: axe again once the page shows what a reader produced.

/** A study record with the first course finished, one lesson of the next, one quiz. */
function sampleRecord() {
  const byCourse = new Map();
  for (const l of lessonSources()) {
    const course = l.rel.split('/')[1];
    if (!byCourse.has(course)) byCourse.set(course, []);
    byCourse.get(course).push(l);
  }
  const [first, second] = [...byCourse.values()];
  const at = new Date().toISOString();
  const studied = {};
  for (const l of [...first, second[0]]) studied[l.rel.replace(/\/$/, '')] = at;
  const quizzed = quizLessons()[0];
  return {
    version: 1,
    studied,
    quiz: { [quizzed.rel.replace(/\/$/, '') + '#quiz-1']: { score: 1, total: quizzed.quiz.length, at } },
  };
}

test('axe: no serious or critical violations in the states scripts draw', async (t) => {
  const states = [
    {
      name: '我的学习 with courses finished and in progress',
      rel: 'study/',
      record: sampleRecord(),
      ready: async (page) => {
        await page.locator('main svg').first().waitFor();
        assert.ok(await page.getByRole('heading', { name: '学习中' }).isVisible());
        assert.ok(await page.getByRole('heading', { name: '已完成' }).isVisible());
      },
    },
    {
      name: 'search page with results and a kind filter',
      rel: 'search/?q=' + encodeURIComponent('应急管理'),
      ready: async (page) => {
        await page.locator('.search-result mark').first().waitFor();
        await page.getByRole('group', { name: '类型' }).getByLabel(/^\s*课\s+\d+\s*$/).check();
        await page.locator('[role=status]', { hasText: '找到' }).waitFor();
        await page.locator('.search-result mark').first().waitFor();
      },
    },
    {
      name: 'header search with suggestions open',
      rel: '',
      ready: async (page) => {
        await page.locator('#site-search-q').click();
        await page.locator('#site-search-q').pressSequentially('党性', { delay: 20 });
        await page.locator('[role=listbox] mark').first().waitFor();
        await page.keyboard.press('ArrowDown');
      },
    },
    {
      name: 'lesson quiz after checking',
      rel: quizLessons()[0].rel,
      ready: async (page) => {
        await page.locator('section.quiz input').first().check();
        await page.getByRole('button', { name: '检查答案' }).click();
        await page.locator('.quiz-score', { hasText: '得分' }).waitFor();
      },
    },
    {
      name: 'catalogue filtered to nothing',
      rel: 'courses/?required=0&action=' + encodeURIComponent('思想淬炼'),
      ready: (page) => page.locator('[data-filter-status]', { hasText: '0/' }).waitFor(),
    },
  ];
  for (const s of states) {
    await t.test(s.name, async () => {
      const context = await env.browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
      try {
        if (s.record) {
          await context.addInitScript(
            ([key, value]) => window.localStorage.setItem(key, value),
            ['jiangtang:' + BASE_PATH, JSON.stringify(s.record)],
          );
        }
        const page = await context.newPage();
        page.setDefaultTimeout(15000);
        await page.goto(env.server.url(s.rel));
        await settle(page);
        await s.ready(page);
        const violations = await axeViolations(page);
        assert.equal(violations.length, 0, `${violations.length} serious/critical violations (${s.name}):\n${violations.map(formatViolation).join('\n')}`);
      } finally {
        await context.close();
      }
    });
  }
});
