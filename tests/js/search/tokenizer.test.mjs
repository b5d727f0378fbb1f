// The browser tokeniser must agree with the Rust one on tests/search_cases.json
// (the Rust side runs the same table in src/search/tokenizer.rs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..', '..');
// search.js is a classic script that also exports itself for CommonJS.
const JT = createRequire(import.meta.url)(path.join(root, 'themes/default/static/js/search.js'));

JT.setFoldTable(fs.readFileSync(path.join(root, 'src/search/data/ts_chars.txt'), 'utf8'));
const { cases } = JSON.parse(fs.readFileSync(path.join(root, 'tests/search_cases.json'), 'utf8'));

test('the shared case table is not empty', () => {
  assert.ok(cases.length >= 20);
});

for (const c of cases) {
  test(`tokenize: ${c.name}`, () => {
    const got = JT.tokenize(c.input).map((t) => [t.text, t.pos, t.kind]);
    assert.deepEqual(got, c.tokens);
    assert.equal(JT.normalize(c.input), c.normalized);
  });
}

test('token offsets point at the source characters', () => {
  const text = '迴圈（loop）是程式設計';
  const toks = JT.tokenize(text);
  assert.equal(text.slice(toks[0].start, toks[0].end), '迴圈');
  assert.equal(text.slice(toks[2].start, toks[2].end), 'loop');
  const sup = JT.tokenize('𠮷野家');
  assert.equal('𠮷野家'.slice(sup[0].start, sup[0].end), '𠮷野');
  assert.equal('𠮷野家'.slice(sup[0].start, sup[0].end1), '𠮷');
});

test('query plan: bigrams, prefix lookups and offsets', () => {
  const p = JT.plan('党员干部');
  // Every other bigram and the last one spell out the run.
  assert.deepEqual(p.slots.map((s) => [s.term, s.prefix, s.offset]), [
    ['党员', false, 0], ['干部', false, 2]]);
  assert.equal(p.span, 4);
  assert.deepEqual(JT.plan('人民代表大会').slots.map((s) => [s.term, s.offset]), [
    ['人民', 0], ['代表', 2], ['大会', 4]]);
  assert.deepEqual(JT.plan('是一段').slots.map((s) => [s.term, s.offset]), [['是一', 0], ['一段', 1]]);
  assert.deepEqual(JT.plan('段简').slots.map((s) => s.term), ['段简']);
  assert.deepEqual(JT.plan('年').slots.map((s) => [s.term, s.prefix]), [['年', true]]);
  const mixed = JT.plan('Rust 所有权');
  assert.deepEqual(mixed.slots.map((s) => [s.term, s.prefix, s.offset]), [
    ['rust', true, 0], ['所有', false, 1], ['有权', false, 2]]);
  const spaced = JT.plan('党员 干部');
  assert.deepEqual(spaced.slots.map((s) => [s.term, s.offset]), [['党员', 0], ['干部', 2]]);
  assert.equal(JT.plan('，。！').slots.length, 0);
  // Lone characters between punctuation: junctions (X then a token starting
  // with Y) instead of prefix lookups.
  const lone = JT.plan('一；给');
  assert.deepEqual(lone.slots.map((s) => [s.term, s.junction, s.offset]), [['一', '给', 0]]);
  assert.equal(lone.span, 2);
  assert.deepEqual(JT.plan('中央电视台 法').slots.map((s) => [s.term, s.junction || '', s.offset]), [
    ['中央', '', 0], ['电视', '', 2], ['视台', '', 3], ['台', '法', 4]]);
  assert.deepEqual(JT.plan('甲、乙、丙').slots.map((s) => [s.term, s.junction]), [['甲', '乙'], ['乙', '丙']]);
  assert.deepEqual(JT.plan('法 rust').slots.map((s) => [s.term, s.junction || '', s.prefix]), [
    ['法', 'r', true], ['rust', '', true]]);
  assert.deepEqual(JT.plan('rust 法').slots.map((s) => [s.term, s.junction || '', s.prefix]), [
    ['rust', '', true], ['法', '', true]]);
  const long = JT.plan('中'.repeat(200));
  assert.equal(long.slots.length, JT.MAX_SLOTS);
  assert.ok(long.truncated);
});

test('code-point order matches the Rust writer (UTF-8 byte order)', () => {
  const words = ['a', 'ab', 'b', 'z', '\uff01', '\u{20000}', '\u4e00', '\ue000', '\u{10ffff}'];
  const js = words.slice().sort(JT.cmpCp);
  const bytes = words.slice().sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
  assert.deepEqual(js, bytes);
});
