// The theme's JavaScript is ES2019 and its CSS avoids features Chromium 87 lacks
// (no browser needed). The checker itself is proved on bad and good fixtures written
// to a temporary folder, so a check that silently stops working fails here too.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './lib/harness.mjs';
import { checkJsDir, checkCssDir } from './lib/compat.mjs';

const STATIC = path.join(REPO_ROOT, 'themes/default/static');

test('theme JavaScript runs on Chromium 87', () => {
  const { files, problems } = checkJsDir(path.join(STATIC, 'js'));
  assert.ok(files.length > 0, `no JavaScript found in ${STATIC}/js`);
  assert.equal(problems.length, 0, `${problems.length} problems:\n${problems.join('\n')}`);
});

test('theme CSS runs on Chromium 87', () => {
  const { files, problems } = checkCssDir(path.join(STATIC, 'css'));
  assert.ok(files.length > 0, `no CSS found in ${STATIC}/css`);
  assert.equal(problems.length, 0, `${problems.length} problems:\n${problems.join('\n')}`);
});

/** Writes `files` ({name: text}) into a fresh temporary folder; returns it. */
function fixture(files) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiangtang-compat-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

/** Asserts that each `needle` appears in some problem of `problems`. */
function assertFound(problems, needles) {
  for (const needle of needles) {
    assert.ok(problems.some((p) => p.includes(needle)), `checker missed ${needle}; it said:\n${problems.join('\n')}`);
  }
}

test('the JS checker catches what Chromium 87 lacks', () => {
  const dir = fixture({
    'chain.js': 'var a = {};\nvar b = a?.b;\n', // ES2020 syntax
    'apis.js': [
      'var last = [1, 2].at(-1);',
      'var s = "a-b".replaceAll("-", "");',
      'var c = structuredClone({});',
      'var own = Object.hasOwn({}, "x");',
      '// [1].at(0) in a comment and "x.at(1)" in a string are fine',
    ].join('\n'),
    'tla.mjs.js': 'import x from "./x.js";\nawait x();\n', // top-level await in a module
    'fields.js': 'class A { x = 1; }\n', // class fields are ES2022
  });
  const { files, problems } = checkJsDir(dir);
  assert.equal(files.length, 4);
  assertFound(problems, [
    'chain.js:2:',
    'apis.js:1:19: Array/String.prototype.at',
    'apis.js:2:',
    'replaceAll',
    'structuredClone',
    'Object.hasOwn',
    'tla.mjs.js:2:1: top-level await',
    'fields.js:1:',
  ]);
  assert.ok(!problems.some((p) => p.includes('apis.js:5:')), 'comments and strings must not count');
  fs.rmSync(dir, { recursive: true });
});

test('the JS checker passes good ES2019', () => {
  const dir = fixture({
    'ok.js': [
      '(function () {',
      '  "use strict";',
      '  var list = [1, 2, 3];',
      '  var last = list[list.length - 1];',
      '  const o = { ...{ a: 1 } };',
      '  async function f() { for await (const x of []) {} await null; }',
      '  try { JSON.parse("x"); } catch { /* optional catch binding is ES2019 */ }',
      '  var t = last.toString() + o.constructor.name + list.at;',
      '  return [last, o, f, Object.prototype.hasOwnProperty.call(o, "a"), [[1]].flat()];',
      '})();',
    ].join('\n'),
    'mod.js': 'import { a } from "./a.js";\nexport function b() { return a; }\n',
  });
  assert.deepEqual(checkJsDir(dir).problems, []);
  fs.rmSync(dir, { recursive: true });
});

test('the CSS checker catches what Chromium 87 lacks', () => {
  const dir = fixture({
    'bad.css': [
      '.card:has(img) { padding: 0; }', // 1
      '@container (min-width: 30em) { .a { color: red; } }', // 2
      '@layer base { p { margin: 0; } }', // 3
      '.nav { & a { color: red; } }', // 4
      '.b { color: color-mix(in srgb, red, blue); }', // 5
      ':is(h1, h2) { margin: 0; }', // 6
      '.c { height: 100dvh; }', // 7
      '.d { color: red; .e { color: blue; } }', // 8: nesting without &
    ].join('\n'),
  });
  const { problems } = checkCssDir(dir);
  assertFound(problems, [
    'bad.css:1:6: :has()',
    'bad.css:2:1: @container',
    'bad.css:3:1: @layer',
    'bad.css:4:8: CSS nesting "&"',
    'bad.css:5:',
    'color-mix()',
    'bad.css:6:1: :is()',
    'bad.css:7:',
    'bad.css:8:',
  ]);
  fs.rmSync(dir, { recursive: true });
});

test('the CSS checker passes good CSS', () => {
  const dir = fixture({
    'ok.css': [
      '/* :has( and & in a comment are fine */',
      'a:focus-visible { outline: 2px solid; }',
      '.q::before { content: "&"; }',
      '@media (max-width: 40em) { .a { display: block; } }',
      '@supports (display: grid) { .g { display: grid; gap: 1rem; } }',
      '@keyframes spin { from { transform: rotate(0); } to { transform: rotate(1turn); } }',
      '.i { background: url(data:image/svg+xml;utf8,a&b); }',
      ':root { --gap: clamp(1rem, 2vw, 2rem); }',
    ].join('\n'),
  });
  assert.deepEqual(checkCssDir(dir).problems, []);
  fs.rmSync(dir, { recursive: true });
});
