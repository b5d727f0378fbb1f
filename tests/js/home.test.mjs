// What is coming, as a cadre sees it, checked against the lectures' Markdown: the home
// page's 本周 / 下周 strip on a given day (the browser's clock is set; the build's own
// day with JavaScript off), a repeating lecture as one card naming its next session,
// and every count of lectures (讲座, pages) and sessions (场) saying which it counts and
// agreeing with the sources.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setup, settle, watch, buildSite, serve, DESKTOP, PHONE } from './lib/harness.mjs';
import { lectureSessions, lectureOwnSessions, localMs, localIso } from './lib/content.mjs';

let env;
const sessions = lectureSessions();
before(async () => {
  env = await setup();
});
after(async () => {
  await env?.close();
});

const DAY = 24 * 3600 * 1000;

/** Monday 00:00 (UTC+8) of the week of `ms`, as epoch ms. */
function monday(ms) {
  const local = new Date(ms + 8 * 3600000);
  const back = (local.getUTCDay() + 6) % 7;
  return Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() - back) - 8 * 3600000;
}

/** What the strip should list on `now`: [this week, next week] as "rel start" lines. */
function expectedWeeks(now) {
  const first = monday(now);
  return [0, 1].map((w) =>
    sessions
      .filter((s) => localMs(s.end) > now)
      .filter((s) => localMs(s.start) >= first + w * 7 * DAY && localMs(s.start) < first + (w + 1) * 7 * DAY)
      .sort((a, b) => (a.status === 'cancelled') - (b.status === 'cancelled') || a.start.localeCompare(b.start))
      .map((s) => `${s.rel} ${s.start}`),
  );
}

/** Opens `url` with the clock at `day` (or the real one), JavaScript on or off. */
async function open(url, { day = null, viewport = DESKTOP, javaScriptEnabled = true } = {}) {
  const context = await env.browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', javaScriptEnabled });
  if (day) await context.clock.install({ time: new Date(day) });
  const page = await context.newPage();
  const problems = watch(page);
  await page.goto(env.server.url(url), { waitUntil: 'load' });
  await settle(page);
  assert.deepEqual(problems, []);
  return { context, page };
}

/** The strip as shown: per week the visible items as "rel start", and its notes. */
async function strip(page) {
  return page.evaluate((base) => {
    const shown = (el) => !!el && el.getClientRects().length > 0;
    const week = (w) =>
      [...document.querySelectorAll(`[data-week-strip] [data-week=${w}] .week-item`)].filter(shown).map((li) => {
        const href = li.querySelector('.week-title a').getAttribute('href').slice(base.length);
        return `${href} ${li.getAttribute('data-start')}`;
      });
    const hidden = [...document.querySelectorAll('[data-week-strip] .week-item')].filter((li) => !shown(li)).length;
    const text = (sel) => [...document.querySelectorAll(`[data-week-strip] ${sel}`)].filter(shown).map((e) => e.textContent.trim());
    const box = document.querySelector('[data-week-strip]').getBoundingClientRect();
    const none = ['this', 'next'].map((w) => shown(document.querySelector(`[data-week-strip] [data-week=${w}] .week-none`)));
    return { weeks: [week('this'), week('next')], hidden, none, notes: text('.empty'), cancelled: text('.status-cancelled .badge'), top: box.top };
  }, env.server.base);
}

for (const day of ['2026-12-07T09:00:00+08:00', '2026-12-21T09:00:00+08:00', '2027-01-11T09:00:00+08:00']) {
  test(`the strip lists this week and next week on ${day.slice(0, 10)}, cancelled last`, async () => {
    const { context, page } = await open('', { day });
    try {
      const seen = await strip(page);
      const expected = expectedWeeks(Date.parse(day));
      assert.deepEqual(seen.weeks, expected);
      assert.ok(expected[0].length + expected[1].length > 0, 'the sample has sessions in these weeks');
      assert.ok(seen.hidden > 0, 'the later weeks are in the page, out of sight');
      for (const list of seen.weeks) {
        const statuses = list.map((line) => sessions.find((s) => `${s.rel} ${s.start}` === line).status);
        if (statuses.includes('cancelled')) assert.notEqual(statuses[0], 'cancelled');
      }
      // A week with nothing says so.
      assert.deepEqual(seen.none, seen.weeks.map((list) => list.length === 0), JSON.stringify(seen));
      assert.deepEqual(seen.notes, []);
    } finally {
      await context.close();
    }
  });
}

test('a cancelled session in the strip says 已取消 and does not lead its week', async () => {
  const day = '2026-12-07T09:00:00+08:00';
  const cancelled = expectedWeeks(Date.parse(day))[0].filter((line) => sessions.find((s) => `${s.rel} ${s.start}` === line).status === 'cancelled');
  assert.ok(cancelled.length > 0, 'the sample has a cancelled session in the week of 2026-12-07');
  const { context, page } = await open('', { day });
  try {
    const seen = await strip(page);
    assert.deepEqual(seen.cancelled, cancelled.map(() => '已取消'));
    assert.ok(!cancelled.includes(seen.weeks[0][0]));
  } finally {
    await context.close();
  }
});

test('a cancelled lecture follows the others in 近期讲座 and 即将开始, a postponed one keeps its time', async () => {
  const day = '2026-12-07T09:00:00+08:00';
  const cancelled = sessions.find((s) => s.status === 'cancelled' && localMs(s.end) > Date.parse(day));
  assert.ok(cancelled, 'the sample has a cancelled lecture still to come on 2026-12-07');
  for (const [url, list] of [['', '[data-schedule-home]'], ['lectures/', '[data-schedule-upcoming]']]) {
    const { context, page } = await open(url, { day });
    try {
      const cards = await page.evaluate((sel) =>
        [...document.querySelectorAll(`${sel} .lecture-card`)]
          .filter((c) => c.getClientRects().length > 0)
          .map((c) => ({ status: c.getAttribute('data-status'), start: c.getAttribute('data-start') })), list);
      const statuses = cards.map((c) => c.status);
      assert.ok(statuses.includes('cancelled'), `${url}: ${JSON.stringify(cards)}`);
      assert.equal(statuses.indexOf('cancelled'), statuses.length - statuses.filter((x) => x === 'cancelled').length, `${url}: ${JSON.stringify(cards)}`);
      const others = cards.filter((c) => c.status !== 'cancelled').map((c) => c.start);
      assert.deepEqual(others, [...others].sort(), `${url}: the others stay in time order`);
      if (url) {
        const groups = await page.locator('[data-schedule-upcoming] .month-title').allTextContents();
        assert.equal(groups[groups.length - 1], '已取消的讲座', JSON.stringify(groups));
      }
    } finally {
      await context.close();
    }
  }
});

test('long after the build the strip sends readers to the schedule', async () => {
  const { context, page } = await open('', { day: '2027-06-07T09:00:00+08:00' });
  try {
    const seen = await strip(page);
    assert.deepEqual(seen.weeks, [[], []]);
    assert.equal(seen.notes.length, 1);
    assert.match(seen.notes[0], /讲座安排/);
    assert.ok(await page.locator('[data-week-strip] .empty:visible a[href$="/lectures/"]').count() === 1);
  } finally {
    await context.close();
  }
});

test('with nothing in the two weeks the strip says so and links the schedule', async () => {
  // A site whose only lecture is five weeks away, built today.
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'jiangtang-quiet-'));
  const later = new Date(Date.now() + 35 * DAY + 8 * 3600000).toISOString().slice(0, 10);
  fs.mkdirSync(path.join(root, 'content', 'lectures'), { recursive: true });
  fs.writeFileSync(path.join(root, 'site.yaml'), 'title: 测试站点\nbase_url: /\nlanguage: zh-CN\ntimezone: Asia/Shanghai\n');
  fs.writeFileSync(path.join(root, 'content', 'lectures', 'later.md'), `---\ntitle: 五周后的讲座\nstart: "${later} 09:00"\nduration: 60\n---\n`);
  const out = buildSite(root);
  const server = await serve(out);
  try {
    for (const javaScriptEnabled of [true, false]) {
      const context = await env.browser.newContext({ viewport: DESKTOP, locale: 'zh-CN', javaScriptEnabled });
      try {
        const page = await context.newPage();
        await page.goto(server.url(''), { waitUntil: 'load' });
        await settle(page);
        const seen = await page.evaluate(() => {
          const shown = (el) => !!el && el.getClientRects().length > 0;
          const notes = [...document.querySelectorAll('[data-week-strip] .empty')].filter(shown);
          return {
            items: [...document.querySelectorAll('[data-week-strip] .week-item')].filter(shown).length,
            columns: shown(document.querySelector('[data-week-strip] .week-columns')),
            notes: notes.map((p) => p.textContent.trim()),
            links: notes.map((p) => p.querySelector('a').getAttribute('href')),
          };
        });
        assert.deepEqual(seen, {
          items: 0,
          columns: false,
          notes: ['本周和下周暂无讲座安排。查看讲座安排'],
          links: [server.base + 'lectures/'],
        }, `JavaScript ${javaScriptEnabled ? 'on' : 'off'}`);
      } finally {
        await context.close();
      }
    }
  } finally {
    await server.close();
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(out, { recursive: true, force: true });
  }
});

test('without JavaScript the strip shows the weeks of the day the site was built', async () => {
  const { context, page } = await open('', { javaScriptEnabled: false });
  try {
    const seen = await strip(page);
    assert.deepEqual(seen.weeks, expectedWeeks(Date.now()));
  } finally {
    await context.close();
  }
});

test('the strip is on the first screen at 1280×900 and near the top on a phone', async () => {
  for (const [viewport, limit] of [[{ width: 1280, height: 900 }, 900 - 250], [PHONE, PHONE.height - 200]]) {
    const { context, page } = await open('', { day: '2026-12-07T09:00:00+08:00', viewport });
    try {
      const seen = await strip(page);
      assert.ok(seen.top < limit, `strip at ${seen.top}px at ${viewport.width} px wide`);
    } finally {
      await context.close();
    }
  }
});

/** The upcoming cards of `url` that link to lecture `rel`, with their texts. */
async function cardsOf(page, rel) {
  return page.evaluate(
    ([rel, base]) =>
      [...document.querySelectorAll('[data-schedule-upcoming] .lecture-card, [data-schedule-home] .lecture-card')]
        .filter((c) => c.getClientRects().length > 0)
        .filter((c) => c.querySelector('.card-title a').getAttribute('href') === base + rel)
        .map((c) => c.querySelector('.lecture-when').textContent.replace(/\s+/g, ' ').trim()),
    [rel, env.server.base],
  );
}

test('a weekly series is one card among the upcoming, naming its next session', async () => {
  const weekly = sessions.filter((s) => s.series === '周周学' && s.repeats);
  const rel = weekly[0].rel;
  for (const day of ['2026-12-07T09:00:00+08:00', '2026-12-12T09:00:00+08:00']) {
    const next = weekly.find((s) => localMs(s.end) > Date.parse(day));
    const [, m, d] = next.start.slice(0, 10).split('-').map(Number);
    const wd = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'][new Date(next.start.slice(0, 10)).getUTCDay()];
    const want = `每${wd} ${next.start.slice(11)}–${next.end.slice(11)}，下次 ${m}月${d}日`;
    for (const [url, viewport] of [['lectures/', DESKTOP], ['', DESKTOP], ['lectures/', PHONE]]) {
      const { context, page } = await open(url, { day, viewport });
      try {
        const cards = await cardsOf(page, rel);
        assert.equal(cards.length, 1, `${url} on ${day}: ${JSON.stringify(cards)}`);
        // Stacked on a desktop card, one line on a phone: the words are the same.
        assert.equal(cards[0].replace(/\s/g, '').replace('，', ''), want.replace(/\s/g, '').replace('，', ''));
        if (viewport === PHONE) assert.equal(await page.locator('[data-schedule-upcoming] .lecture-next .sep').first().isVisible(), true);
      } finally {
        await context.close();
      }
    }
  }
});

test('every count of lectures and sessions says what it counts and agrees with the sources', async () => {
  const lectures = new Set(sessions.map((s) => s.rel));
  const series = [...new Set(sessions.map((s) => s.series))].filter(Boolean);
  const of = (name) => sessions.filter((s) => s.series === name);
  const pair = (list) => `${new Set(list.map((s) => s.rel)).size} 个讲座 · ${list.length} 场`;
  const text = (page, sel) => page.locator(sel).first().textContent().then((t) => t.replace(/\s+/g, ' ').trim());

  let { context, page } = await open('');
  try {
    const stat = await text(page, `.stat-list a[href$="/lectures/"]`);
    assert.equal(stat, `${lectures.size} 个讲座 共 ${sessions.length} 场`);
  } finally {
    await context.close();
  }

  ({ context, page } = await open('lectures/'));
  try {
    assert.equal(await text(page, '.schedule-totals'), `共 ${lectures.size} 个讲座、${sessions.length} 场（系列讲座每次算一场）。`);
    for (const name of series) {
      const item = page.locator('.term-nav li', { has: page.getByRole('link', { name, exact: true }) });
      assert.equal(await item.locator('.count').textContent(), pair(of(name)), name);
      await page.selectOption('#filter-series', name);
      // The filter chooses among what the schedule shows: sessions to come, and past
      // ones of this month and the two before it (older ones are on the month pages).
      const now = localIso(Date.now());
      const [y, m] = now.slice(0, 7).split('-').map(Number);
      const back = new Date(Date.UTC(y, m - 3, 1)).toISOString().slice(0, 10);
      const onPage = sessions.filter((s) => s.end >= now || s.start.slice(0, 10) >= back);
      const list = onPage.filter((s) => s.series === name);
      const pages = new Set(onPage.map((s) => s.rel)).size;
      assert.equal(
        await text(page, '[data-filter-status]'),
        `显示 ${new Set(list.map((s) => s.rel)).size}/${pages} 个讲座，${list.length}/${onPage.length} 场`,
        name,
      );
    }
    const seriesUrls = await page.$$eval('.term-nav:not(.schedule-archive) li > a:first-child', (as) => as.map((a) => [a.textContent, a.getAttribute('href')]));
    await context.close();
    for (const [name, href] of seriesUrls) {
      ({ context, page } = await open(href.slice(env.server.base.length)));
      assert.equal(await text(page, '.page-header .lead'), pair(of(name)), href);
      await context.close();
    }
    const months = [...new Set(sessions.map((s) => s.start.slice(0, 7)))];
    for (const month of months) {
      ({ context, page } = await open(`lectures/${month}/`));
      const count = sessions.filter((s) => s.start.startsWith(month)).length;
      assert.equal(await text(page, '.page-header .lead'), `本月共 ${count} 场`, month);
      await context.close();
    }
    context = null;
  } finally {
    await context?.close();
  }
});

test('a series whose sessions have their own speakers shows the next one\'s, by the reader\'s clock', async () => {
  const own = lectureOwnSessions();
  const [rel, notes] = Object.entries(own)[0] || [];
  assert.ok(rel && notes.length >= 2, 'the sample has a series with sessions of their own');
  for (const note of notes.slice(0, 2)) {
    // The day before the session: it is the next one.
    const day = new Date(Date.parse(`${note.date}T09:00:00+08:00`) - 24 * 3600 * 1000).toISOString();
    for (const [url, viewport] of [['lectures/', DESKTOP], ['lectures/', PHONE]]) {
      const { context, page } = await open(url, { day, viewport });
      try {
        const shown = await page.evaluate(([rel, base]) => {
          const card = [...document.querySelectorAll('[data-schedule-upcoming] .lecture-card')]
            .find((c) => c.querySelector('.card-title a').getAttribute('href') === base + rel);
          return card ? card.innerText : null;
        }, [rel, env.server.base]);
        assert.ok(shown, `${url}: no upcoming card for ${rel}`);
        assert.ok(shown.includes(note.topic), `${note.date}: ${shown}`);
        assert.ok(shown.includes(note.speaker), `${note.date}: ${shown}`);
        for (const other of notes.filter((n) => n !== note)) {
          assert.ok(!shown.includes(other.topic), `${note.date} shows ${other.date}'s topic: ${shown}`);
        }
      } finally {
        await context.close();
      }
    }
  }
  // The page lists every session with its own speaker and topic.
  const { context, page } = await open(rel, { day: '2026-12-07T09:00:00+08:00' });
  try {
    const items = await page.locator('.rota-list li').allInnerTexts();
    assert.equal(items.length, notes.length, JSON.stringify(items));
    for (const note of notes) {
      const item = items.find((t) => t.includes(note.topic));
      assert.ok(item && item.includes(note.speaker) && item.includes(note.speaker_title), `${note.date}: ${JSON.stringify(items)}`);
    }
  } finally {
    await context.close();
  }
});
