// One quote style in the scripts browsers run (the theme's and the dev server's):
// strings in double quotes, single quotes only around a string that holds a double
// quote (no escapes needed). No browser needed.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as acorn from 'acorn';
import { REPO_ROOT } from './lib/harness.mjs';

const DIRS = ['themes/default/static/js', 'src/serve'];

/** "file:line:column: …" for each string of `source` in single quotes that need not be. */
function quoteProblems(source, file) {
  const problems = [];
  for (const tok of acorn.tokenizer(source, { ecmaVersion: 'latest', locations: true })) {
    if (tok.type.label !== 'string' || source[tok.start] !== "'" || tok.value.includes('"')) continue;
    problems.push(`${file}:${tok.loc.start.line}:${tok.loc.start.column + 1}: write ${source.slice(tok.start, tok.end)} in double quotes`);
  }
  return problems;
}

test('client scripts quote strings one way', () => {
  const files = DIRS.flatMap((dir) => fs.readdirSync(path.join(REPO_ROOT, dir))
    .filter((name) => name.endsWith('.js'))
    .map((name) => path.join(dir, name)));
  assert.ok(files.length > 2, `no scripts found in ${DIRS.join(', ')}`);
  const problems = files.flatMap((file) => quoteProblems(fs.readFileSync(path.join(REPO_ROOT, file), 'utf8'), file));
  assert.equal(problems.length, 0, `${problems.length} problems:\n${problems.join('\n')}`);
});

test('the quote check finds single quotes, not those around a double quote', () => {
  const source = [
    'var a = \'x\';',
    'var b = "y";',
    'var c = \'a[href="#"]\';',
    '// \'in a comment\' and `in a template`',
  ].join('\n');
  assert.deepEqual(quoteProblems(source, 'f.js'), ["f.js:1:9: write 'x' in double quotes"]);
});
