// Static checks that the theme's JS and CSS run on Chromium 87, the oldest browser the
// portal supports (UOS/Kylin, 360 and Qi-An-Xin builds). No browser needed.
//
//   checkJsDir(dir)  → problems in dir/*.js: must parse as ES2019 (script, or module
//                      when the file imports/exports), no top-level await, and none of
//                      the newer built-ins listed in JS_APIS
//   checkCssDir(dir) → problems in dir/*.css: none of the features in CSS_FEATURES,
//                      no CSS nesting
// Each problem is "file:line:column: what", ready to print.

import fs from 'node:fs';
import path from 'node:path';
import * as acorn from 'acorn';

/** Members (`x.name(`) newer than Chromium 87, or banned by the project. */
const JS_MEMBERS = new Map(Object.entries({
  at: 'Array/String.prototype.at (Chromium 92)',
  replaceAll: 'String.prototype.replaceAll (banned: use split/join or a global RegExp)',
  findLast: 'Array.prototype.findLast (Chromium 97)',
  findLastIndex: 'Array.prototype.findLastIndex (Chromium 97)',
  toSorted: 'Array.prototype.toSorted (Chromium 110)',
  toReversed: 'Array.prototype.toReversed (Chromium 110)',
  toSpliced: 'Array.prototype.toSpliced (Chromium 110)',
  hasOwn: 'Object.hasOwn (Chromium 93)',
  groupBy: 'Object/Map.groupBy (Chromium 117)',
}));
/** Global names newer than Chromium 87. */
const JS_GLOBALS = new Map(Object.entries({
  structuredClone: 'structuredClone (Chromium 98)',
}));

/** Problems of one JS source text; `file` is only used in the messages. */
export function checkJs(source, file) {
  const problems = [];
  const at = (loc) => `${file}:${loc.line}:${loc.column + 1}`;
  const isModule = /^\s*(import|export)\b/m.test(source);

  // 1. The syntax must be ES2019.
  try {
    acorn.parse(source, { ecmaVersion: 2019, sourceType: isModule ? 'module' : 'script', locations: true });
  } catch (err) {
    problems.push(`${at(err.loc || { line: 0, column: 0 })}: not ES2019 (${isModule ? 'module' : 'script'}): ${err.message}`);
  }

  // 2. Newer built-ins, found on tokens so strings and comments don't count.
  const tokens = [];
  try {
    for (const tok of acorn.tokenizer(source, { ecmaVersion: 'latest', sourceType: isModule ? 'module' : 'script', locations: true })) {
      tokens.push(tok);
    }
  } catch {
    // an untokenisable file is already reported by the parse above
  }
  tokens.forEach((tok, i) => {
    if (tok.type.label !== 'name') return;
    const prev = tokens[i - 1];
    const next = tokens[i + 1];
    const afterDot = prev && (prev.type.label === '.' || prev.type.label === '?.');
    if (afterDot && next?.type.label === '(' && JS_MEMBERS.has(tok.value)) {
      if (tok.value === 'hasOwn' && tokens[i - 2]?.value !== 'Object') return;
      problems.push(`${at(tok.loc.start)}: ${JS_MEMBERS.get(tok.value)} is missing on Chromium 87`);
    }
    if (!afterDot && JS_GLOBALS.has(tok.value)) {
      problems.push(`${at(tok.loc.start)}: ${JS_GLOBALS.get(tok.value)} is missing on Chromium 87`);
    }
  });

  // 3. Top-level await (also a parse error above, but say it plainly).
  try {
    const ast = acorn.parse(source, { ecmaVersion: 'latest', sourceType: 'module', allowAwaitOutsideFunction: true, locations: true });
    for (const node of topLevelAwaits(ast)) problems.push(`${at(node.loc.start)}: top-level await needs Chromium 89`);
  } catch {
    // not parsable even as the latest module: reported above
  }
  return problems;
}

/** AwaitExpression / for-await nodes outside any function. */
function* topLevelAwaits(node) {
  if (!node || typeof node.type !== 'string') return;
  if (/Function/.test(node.type)) return;
  if (node.type === 'AwaitExpression' || (node.type === 'ForOfStatement' && node.await)) yield node;
  for (const value of Object.values(node)) {
    if (Array.isArray(value)) for (const child of value) yield* topLevelAwaits(child);
    else if (value && typeof value === 'object' && value.type) yield* topLevelAwaits(value);
  }
}

/** CSS features Chromium 87 lacks: a pattern over comment- and string-free text. */
const CSS_FEATURES = [
  [/:has\(/g, ':has() (Chromium 105)'],
  [/:is\(/g, ':is() (Chromium 88) — the whole rule is dropped on 87'],
  [/:where\(/g, ':where() (Chromium 88) — the whole rule is dropped on 87'],
  [/@container\b/g, '@container (Chromium 105)'],
  [/@layer\b/g, '@layer (Chromium 99)'],
  [/@scope\b/g, '@scope (Chromium 118)'],
  [/color-mix\(/g, 'color-mix() (Chromium 111)'],
  [/\bsubgrid\b/g, 'subgrid (Chromium 117)'],
  [/\d(?:dvh|svh|lvh|dvw|svw|lvw)\b/g, 'dynamic viewport units dvh/svh/lvh (Chromium 108)'],
  [/&/g, 'CSS nesting "&" (Chromium 112)'],
];

/** Problems of one CSS source text; `file` is only used in the messages. */
export function checkCss(source, file) {
  const text = blankCommentsAndStrings(source);
  const problems = [];
  const lineCol = (index) => {
    const before = text.slice(0, index).split('\n');
    return `${file}:${before.length}:${before[before.length - 1].length + 1}`;
  };
  for (const [pattern, what] of CSS_FEATURES) {
    for (const m of text.matchAll(pattern)) problems.push(`${lineCol(m.index)}: ${what} is missing on Chromium 87`);
  }
  // Nesting without "&": a block opened inside a style rule (at-rules may nest).
  const stack = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '{') {
      const prelude = text.slice(start, i).trim();
      if (stack[stack.length - 1] === 'style') {
        problems.push(`${lineCol(i)}: CSS nesting ("${prelude.slice(0, 40)}" inside a rule) (Chromium 112) is missing on Chromium 87`);
      }
      stack.push(prelude.startsWith('@') ? 'at' : 'style');
      start = i + 1;
    } else if (c === '}') {
      stack.pop();
      start = i + 1;
    } else if (c === ';') {
      start = i + 1;
    }
  }
  return problems;
}

/** Replaces comments, strings and url(...) bodies with spaces, keeping line breaks. */
function blankCommentsAndStrings(css) {
  const blank = (s) => s.replace(/[^\n]/g, ' ');
  return css
    .replace(/\/\*[\s\S]*?\*\//g, blank)
    .replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g, blank)
    .replace(/url\([^)]*\)/gi, blank);
}

/** Every `*.ext` file directly in `dir` (none when `dir` is missing). */
function filesIn(dir, ext) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(ext))
    .sort()
    .map((f) => path.join(dir, f));
}

/** Problems of every dir/*.js; `{ files, problems }`. */
export function checkJsDir(dir) {
  const files = filesIn(dir, '.js');
  return { files, problems: files.flatMap((f) => checkJs(fs.readFileSync(f, 'utf8'), path.relative(process.cwd(), f))) };
}

/** Problems of every dir/*.css; `{ files, problems }`. */
export function checkCssDir(dir) {
  const files = filesIn(dir, '.css');
  return { files, problems: files.flatMap((f) => checkCss(fs.readFileSync(f, 'utf8'), path.relative(process.cwd(), f))) };
}
