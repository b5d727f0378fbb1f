// A lecture page read on a given day (the browser's clock is set, whatever day the site
// was built): "添加到日历" only while the lecture is still to come, never for a
// cancelled one; "已结束" only for a lecture that took place, not for a postponed or a
// cancelled one; a series (a rota) leads with its next session and is over only when
// its last one is.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, settle, watch, DESKTOP } from './lib/harness.mjs';

let env;
before(async () => {
  env = await setup();
});
after(async () => {
  await env?.close();
});

const LECTURES = {
  scheduled: 'lectures/2026-12-03-cheng-shi-she-qu-wang-ge-zhi-li/',
  postponed: 'lectures/2026-11-26-du-shu-ban-jie-ye-fen-xiang/',
  cancelled: 'lectures/2026-12-09-di-yi-yi-ti-sui-xian/',
};

/** `read` evaluated on the page at `url` on `day` (UTC+8), the browser's clock set. */
async function seenOn(url, day, read) {
  const context = await env.browser.newContext({ viewport: DESKTOP, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  try {
    await context.clock.install({ time: new Date(day) });
    const page = await context.newPage();
    const problems = watch(page);
    await page.goto(env.server.url(url), { waitUntil: 'load' });
    await settle(page);
    assert.deepEqual(problems, []);
    return await page.evaluate(read);
  } finally {
    await context.close();
  }
}

/** What a reader sees in the lecture's header on `day` (UTC+8). */
function header(url, day) {
  return seenOn(url, day, () => {
    const visible = (el) => !!el && !el.hidden && el.getClientRects().length > 0;
    const buttons = [...document.querySelectorAll('.page-tools a')].filter(visible).map((a) => a.textContent.trim());
    const badges = [...document.querySelectorAll('.page-header .badge')].filter(visible).map((b) => b.textContent.trim());
    return { buttons, badges };
  });
}

test('a lecture to come offers its calendar file; once over it says 已结束 instead', async () => {
  const before = await header(LECTURES.scheduled, '2026-12-01T09:00:00+08:00');
  assert.ok(before.buttons.includes('添加到日历'), JSON.stringify(before));
  assert.ok(!before.badges.includes('已结束'), JSON.stringify(before));
  const afterIt = await header(LECTURES.scheduled, '2026-12-04T09:00:00+08:00');
  assert.ok(!afterIt.buttons.includes('添加到日历'), JSON.stringify(afterIt));
  assert.ok(afterIt.badges.includes('已结束'), JSON.stringify(afterIt));
});

test('a postponed lecture says 已延期, not also 已结束, and offers no calendar for its old date', async () => {
  const seen = await header(LECTURES.postponed, '2026-12-01T09:00:00+08:00');
  assert.ok(seen.badges.includes('已延期'), JSON.stringify(seen));
  assert.ok(!seen.badges.includes('已结束'), JSON.stringify(seen));
  assert.ok(!seen.buttons.includes('添加到日历'), JSON.stringify(seen));
});

test('a cancelled lecture never offers 添加到日历', async () => {
  for (const day of ['2026-12-01T09:00:00+08:00', '2026-12-20T09:00:00+08:00']) {
    const seen = await header(LECTURES.cancelled, day);
    assert.ok(seen.badges.includes('已取消'), JSON.stringify(seen));
    assert.ok(!seen.badges.includes('已结束'), JSON.stringify(seen));
    assert.ok(!seen.buttons.includes('添加到日历'), JSON.stringify(seen));
  }
});

const ROTA = 'lectures/2026-12-17-sui-zhou-da-jiang-tang-lun-jiang/';

/** The rota lecture's page on `day` (UTC+8): header buttons, badges, time and the
 *  visible facts, and the items of the list of sessions marked 下次. */
function rota(day) {
  return seenOn(ROTA, day, () => {
    const visible = (el) => !!el && !el.hidden && el.getClientRects().length > 0;
    const text = (el) => el.textContent.replace(/\s+/g, ' ').trim();
    const head = document.querySelector('.page-header');
    return {
      buttons: [...head.querySelectorAll('.page-tools a')].filter(visible).map(text),
      badges: [...head.querySelectorAll('.badge')].filter(visible).map(text),
      facts: [...head.querySelectorAll('.facts > div')]
        .filter(visible)
        .map((row) => `${text(row.querySelector('dt'))} ${text(row.querySelector('dd'))}`),
      next: [...document.querySelectorAll('.sessions li')]
        .filter((li) => visible(li.querySelector('.badge-next')))
        .map(text),
    };
  });
}

test('a rota read after its first session leads with the next one, not 已结束', async () => {
  const seen = await rota('2026-12-18T10:00:00+08:00');
  const all = JSON.stringify(seen);
  assert.ok(!seen.badges.includes('已结束'), all);
  assert.ok(seen.badges.includes('下次'), all);
  assert.ok(seen.buttons.includes('添加到日历'), all);
  assert.ok(seen.facts.some((f) => f.startsWith('时间') && f.includes('2027年1月21日 周四 15:00')), all);
  assert.ok(seen.facts.includes('题目 用数据改进决策和服务'), all);
  assert.ok(seen.facts.includes('主讲人 张海涛 市数据局局长'), all);
  assert.ok(!seen.facts.some((f) => f.includes('胡晓燕')), all);
  assert.equal(seen.next.length, 1, all);
  assert.ok(seen.next[0].startsWith('2027年1月21日'), all);
});

test('a rota is over once its last session is', async () => {
  const seen = await rota('2027-03-19T10:00:00+08:00');
  const all = JSON.stringify(seen);
  assert.ok(seen.badges.includes('已结束'), all);
  assert.ok(!seen.badges.includes('下次'), all);
  assert.ok(!seen.buttons.includes('添加到日历'), all);
  assert.deepEqual(seen.next, [], all);
});
