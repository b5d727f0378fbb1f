// Renaming a lesson without losing its readers, in a real browser: a reader marks a
// lesson as studied and takes its quiz; the editor renames the lesson's file and keeps
// the old address in `aliases:`; the site is built again. The old address now leads to
// the new one, and the same browser shows the lesson as studied with its last score
// under the new address (the record moved; nothing is left under the old one).
//
// Works on a copy of the sample site, built and served by this file (the same origin
// before and after, as a reader's browser keeps its storage per origin).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT, BASE_PATH, buildSite, serve, launchBrowser, settle, watch, DESKTOP } from './lib/harness.mjs';
import { quizLessons } from './lib/content.mjs';

let root; // the copy of the sample site
let out; // its output, served at one origin throughout
let server;
let browser;
before(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'jiangtang-rename-'));
  fs.copyFileSync(path.join(REPO_ROOT, 'site.yaml'), path.join(root, 'site.yaml'));
  fs.cpSync(path.join(REPO_ROOT, 'content'), path.join(root, 'content'), { recursive: true });
  out = buildSite(root);
  server = await serve(out);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.close();
  for (const dir of [root, out]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** Renames the lesson's file to `name`.md, with its old address in `aliases:`. */
function renameWithAlias(file, name, oldUrl) {
  const text = fs.readFileSync(file, 'utf8').replace(/^slug:.*\n/m, '');
  const moved = path.join(path.dirname(file), name + '.md');
  fs.writeFileSync(moved, text.replace(/^---\n/, `---\naliases: ["${oldUrl}"]\n`));
  fs.rmSync(file);
}

test('progress and quiz scores recorded under the old address appear under the new one', async () => {
  const lesson = quizLessons(root)[0];
  assert.ok(lesson, 'the sample site has a lesson with a quiz');
  const context = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  try {
    // Before: study the lesson and answer its quiz right.
    const before = await context.newPage();
    const problems = watch(before);
    await before.goto(server.url(lesson.rel));
    await settle(before);
    await before.getByRole('button', { name: '标记为已学' }).first().click();
    await before.waitForFunction(() => document.querySelector('main button[aria-pressed]').getAttribute('aria-pressed') === 'true');
    const questions = before.locator('main section.quiz fieldset');
    for (let i = 0; i < lesson.quiz.length; i++) {
      for (const k of lesson.quiz[i].answer) {
        await questions.nth(i).getByLabel(lesson.quiz[i].options[k], { exact: false }).check();
      }
    }
    await before.getByRole('button', { name: '检查答案' }).click();
    await before.locator('main .quiz-score').filter({ hasText: /^得分：/ }).waitFor();
    await before.close();

    // The editor renames the file and keeps the old address.
    const oldRel = lesson.rel;
    const newRel = oldRel.replace(/[^/]+\/$/, 'xin-ming-de-ke/');
    renameWithAlias(lesson.file, '09-xin-ming-de-ke', '/' + oldRel);
    buildSite(root, BASE_PATH, out);

    // After: the old address leads to the new one, which shows the record.
    const after = await context.newPage();
    const problemsAfter = watch(after);
    await after.goto(server.url(oldRel));
    await after.waitForURL(server.url(newRel));
    await settle(after);
    const toggle = after.locator('main button[aria-pressed]').first();
    assert.equal(await toggle.getAttribute('aria-pressed'), 'true', 'the lesson shows as studied at its new address');
    assert.equal(await toggle.textContent(), '已学');
    const n = lesson.quiz.length;
    assert.match(await after.locator('main .quiz-score').textContent(), new RegExp(`^上次得分：${n}/${n}`));
    const ids = await after.evaluate((key) => {
      const record = JSON.parse(window.localStorage.getItem(key));
      return [...Object.keys(record.studied), ...Object.keys(record.quiz)];
    }, 'jiangtang:' + BASE_PATH);
    const oldId = oldRel.replace(/\/$/, '');
    const newId = newRel.replace(/\/$/, '');
    assert.ok(ids.length >= 2 && ids.every((id) => id.startsWith(newId)), `every entry moved to ${newId}: ${ids}`);
    assert.ok(!ids.some((id) => id.startsWith(oldId + '#') || id === oldId), 'nothing is left under the old address');
    assert.deepEqual([...problems, ...problemsAfter], []);
  } finally {
    await context.close();
  }
});
