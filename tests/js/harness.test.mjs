// The harness itself: page classification and the static server (no browser), on a
// tiny site written to a temporary folder.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { classify, listPages, serve, BASE_PATH } from './lib/harness.mjs';

test('pages are classified by path', () => {
  const kinds = {
    '': 'home',
    '404.html': '404',
    'courses/': 'catalogue',
    'courses/dang-shi/': 'course',
    'courses/dang-shi/01-qi-yuan/': 'lesson',
    'courses/dang-shi/print/': 'print',
    'lectures/': 'schedule',
    'lectures/2026-03-15-x/': 'lecture',
    'lectures/2026/': 'year',
    'cases/': 'cases',
    'cases/page/2/': 'pager',
    'tags/dang-shi/page/12/': 'pager',
    'cases/y/': 'case',
    'search/': 'search',
    'study/': 'study',
    'units/': 'taxonomy',
    'units/shi-wei/': 'term',
    'units/2026/': 'units-year',
    'series/sui-zhou-da-jiang-tang/rota/': 'rota',
    'speakers/': 'taxonomy',
    'tags/': 'taxonomy',
    'series/zhou-zhou-xue/': 'term',
    'about/': 'page',
    'guide/editing/': 'page',
  };
  for (const [rel, kind] of Object.entries(kinds)) assert.equal(classify(rel).kind, kind, rel);
});

test('the server mounts the site under the base path', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiangtang-harness-'));
  const write = (rel, text) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  };
  write('index.html', '<h1>home</h1>');
  write('404.html', '<h1>missing</h1>');
  write('courses/党史/index.html', '<h1>course</h1>');
  write('css/site.css', 'body{}');
  write('lectures/calendar.ics', 'BEGIN:VCALENDAR');
  const server = await serve(dir);
  const get = (p) => fetch(server.origin + p, { redirect: 'manual' });
  try {
    let res = await get(BASE_PATH);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /^text\/html/);
    assert.equal(await res.text(), '<h1>home</h1>');

    res = await get(BASE_PATH + 'courses/' + encodeURIComponent('党史') + '/');
    assert.equal(await res.text(), '<h1>course</h1>');

    res = await get(BASE_PATH + 'courses/' + encodeURIComponent('党史'));
    assert.equal(res.status, 301);
    assert.equal(res.headers.get('location'), BASE_PATH + 'courses/' + encodeURIComponent('党史') + '/');

    assert.match((await get(BASE_PATH + 'css/site.css')).headers.get('content-type'), /^text\/css/);
    assert.match((await get(BASE_PATH + 'lectures/calendar.ics')).headers.get('content-type'), /^text\/calendar/);

    for (const missing of [BASE_PATH + 'nope/', '/index.html', BASE_PATH + '../index.html', BASE_PATH + '%2e%2e/x']) {
      res = await get(missing);
      assert.equal(res.status, 404, missing);
      assert.equal(await res.text(), '<h1>missing</h1>');
    }
    assert.deepEqual(
      listPages(dir).map((p) => [p.kind, p.url]),
      [
        ['404', BASE_PATH + '404.html'],
        ['course', BASE_PATH + 'courses/' + encodeURIComponent('党史') + '/'],
        ['home', BASE_PATH],
      ].sort((a, b) => a[1].localeCompare(b[1])),
    );
  } finally {
    await server.close();
    fs.rmSync(dir, { recursive: true });
  }
});
