// What the sample site's Markdown sources say, read straight from content/, so that the
// browser tests can compare what the pages show with what the editor wrote instead of
// with data the same theme scripts read.
//
//   lessonSources()  every lesson: { file, rel, title, quiz }   (rel: "courses/x/y/")
//   courseSources()  every course: { rel, title, action, hours, lessons: [lesson rel] }
//   quizLessons()    the lessons with a ```quiz block
//   pageSources()    every Markdown page but the section intros: { file, title, summary,
//                    body, draft }
//   lectureSessions() every session of every lecture: { rel, title, series, status, start,
//                    end, repeats } (local times "2026-12-11T16:00", UTC+8), in time order
//
// A quiz is a list of questions { question, type, options, answer, explanation }, where
// `options` are the option texts as shown (a true/false question gets 对 / 错) and
// `answer` the indices of the right options. Only the inline forms the sample content
// uses are read (`options: [甲, 乙]`, `answer: B`, `answer: [A, C]`, `answer: true`).

import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './harness.mjs';

const TRUE_FALSE = ['对', '错'];

/** Every lesson of the site at `root`, sorted by URL. */
export function lessonSources(root = REPO_ROOT) {
  const courses = path.join(root, 'content', 'courses');
  const lessons = [];
  for (const dir of fs.readdirSync(courses, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    const courseDir = path.join(courses, dir.name);
    const courseSlug = frontMatter(fs.readFileSync(path.join(courseDir, 'index.md'), 'utf8')).slug || dir.name;
    for (const name of fs.readdirSync(courseDir)) {
      if (!name.endsWith('.md') || name === 'index.md' || name.startsWith('_')) continue;
      const file = path.join(courseDir, name);
      const text = fs.readFileSync(file, 'utf8');
      const meta = frontMatter(text);
      if (meta.draft === 'true') continue;
      const slug = meta.slug || name.replace(/\.md$/, '').replace(/^\d+[-_]/, '');
      lessons.push({ file, rel: `courses/${courseSlug}/${slug}/`, title: meta.title || '', quiz: parseQuiz(text) });
    }
  }
  return lessons.sort((a, b) => a.rel.localeCompare(b.rel));
}

/** Every course: { rel, title, action, hours, lessons: [lesson rel] }, sorted by rel. */
export function courseSources(root = REPO_ROOT) {
  const courses = path.join(root, 'content', 'courses');
  const lessons = lessonSources(root);
  const out = [];
  for (const dir of fs.readdirSync(courses, { withFileTypes: true })) {
    const index = path.join(courses, dir.name, 'index.md');
    if (!dir.isDirectory() || !fs.existsSync(index)) continue;
    const meta = frontMatter(fs.readFileSync(index, 'utf8'));
    if (meta.draft === 'true') continue;
    const rel = `courses/${meta.slug || dir.name}/`;
    out.push({
      rel,
      title: meta.title,
      action: meta.action,
      hours: Number(meta.hours),
      lessons: lessons.filter((l) => l.rel.startsWith(rel)).map((l) => l.rel),
    });
  }
  return out.sort((a, b) => a.rel.localeCompare(b.rel));
}

/** The lessons with a quiz, the one with the most kinds of question first. */
export function quizLessons(root = REPO_ROOT) {
  const kinds = (l) => new Set(l.quiz.map((q) => q.type)).size;
  return lessonSources(root)
    .filter((l) => l.quiz.length > 0)
    .sort((a, b) => kinds(b) - kinds(a) || b.quiz.length - a.quiz.length || a.rel.localeCompare(b.rel));
}

/** Every content page (courses, lessons, lectures, cases, plain pages), not `_index.md`. */
export function pageSources(root = REPO_ROOT) {
  const out = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.md') && entry.name !== '_index.md') {
        const text = fs.readFileSync(full, 'utf8').replace(/^\uFEFF/, '');
        const meta = frontMatter(text);
        const body = text.replace(/^---\r?\n[\s\S]*?\r?\n---\r?\n?/, '');
        out.push({ file: full, title: meta.title || '', summary: meta.summary || '', body, draft: meta.draft === 'true' });
      }
    }
  };
  walk(path.join(root, 'content'));
  return out.sort((a, b) => a.file.localeCompare(b.file));
}

/**
 * Every session of every published lecture, a `repeat:` rule expanded here by its
 * documented meaning; only the forms the sample uses are read (weekly with `until` and
 * `except`, the n-th weekday of each month with `count`), anything else throws.
 */
export function lectureSessions(root = REPO_ROOT) {
  const dir = path.join(root, 'content', 'lectures');
  const out = [];
  for (const name of fs.readdirSync(dir)) {
    if (!name.endsWith('.md') || name.startsWith('_')) continue;
    const meta = frontMatter(fs.readFileSync(path.join(dir, name), 'utf8'));
    if (meta.draft === 'true') continue;
    const start = meta.start.replace(' ', 'T');
    const minutes = meta.end
      ? (localMs(meta.end.replace(' ', 'T')) - localMs(start)) / 60000
      : Number(meta.duration || 120);
    const lecture = {
      rel: `lectures/${meta.slug || name.replace(/\.md$/, '')}/`,
      title: meta.title,
      series: meta.series || '',
      status: meta.status || 'scheduled',
      repeats: !!meta.repeat,
    };
    for (const day of meta.repeat ? repeatDays(meta.repeat, start.slice(0, 10)) : [start.slice(0, 10)]) {
      const s = day + start.slice(10);
      out.push({ ...lecture, start: s, end: localIso(localMs(s) + minutes * 60000) });
    }
  }
  return out.sort((a, b) => a.start.localeCompare(b.start) || a.rel.localeCompare(b.rel));
}

/**
 * The `sessions:` of each published lecture that has them, as
 * `{ rel: [{ date, speaker, speaker_title, unit, topic }] }`: the block form the sample
 * uses, one `- date:` item per session and its keys indented below.
 */
export function lectureOwnSessions(root = REPO_ROOT) {
  const dir = path.join(root, 'content', 'lectures');
  const out = {};
  for (const name of fs.readdirSync(dir)) {
    if (!name.endsWith('.md') || name.startsWith('_')) continue;
    const text = fs.readFileSync(path.join(dir, name), 'utf8');
    const meta = frontMatter(text);
    const block = /^sessions:\s*\n((?:[ -].*\n)+)/m.exec(text);
    if (!block || meta.draft === 'true') continue;
    const items = [];
    for (const line of block[1].split('\n')) {
      const m = /^\s*(- )?(\w+):\s*(.*)$/.exec(line);
      if (!m) continue;
      if (m[1]) items.push({});
      items[items.length - 1][m[2]] = unquote(m[3].trim());
    }
    out[`lectures/${meta.slug || name.replace(/\.md$/, '')}/`] = items;
  }
  return out;
}

const WEEKDAYS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];

/** The days ("2026-12-11") of an inline `repeat: {…}` mapping starting on `first`. */
function repeatDays(rule, first) {
  const get = (key) => (rule.match(new RegExp(`\\b${key}:\\s*("[^"]*"|\\[[^\\]]*\\]|[^,}]+)`)) || [])[1];
  const except = inlineList(get('except') || '[]');
  const until = get('until') && unquote(get('until'));
  const count = get('count') && Number(get('count'));
  const days = [];
  const day = new Date(first + 'T00:00:00Z');
  if (get('every').trim() === 'week' && until) {
    for (; day.toISOString().slice(0, 10) <= until; day.setUTCDate(day.getUTCDate() + 7)) {
      days.push(day.toISOString().slice(0, 10));
    }
  } else if (get('every').trim() === 'month' && count && get('week_of_month')) {
    const nth = Number(get('week_of_month'));
    const weekday = WEEKDAYS.indexOf(unquote(get('weekday')));
    for (let m = 0; days.length < count; m += 1) {
      const d = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth() + m, 1));
      d.setUTCDate(1 + ((weekday - d.getUTCDay() + 7) % 7) + 7 * (nth - 1));
      if (d >= day) days.push(d.toISOString().slice(0, 10));
    }
  } else {
    throw new Error(`the test does not expand repeat: ${rule}`);
  }
  return days.filter((d) => !except.includes(d));
}

/** "2026-12-11T16:00" (UTC+8) → epoch ms, and back. */
export function localMs(local) {
  return Date.parse(local + ':00+08:00');
}
export function localIso(ms) {
  return new Date(ms + 8 * 3600000).toISOString().slice(0, 16);
}

/** The top-level `key: value` lines of a file's front matter (values unquoted). */
function frontMatter(text) {
  const m = text.replace(/^\uFEFF/, '').match(/^---\r?\n([\s\S]*?)\r?\n---/);
  const out = {};
  if (!m) return out;
  for (const line of m[1].split(/\r?\n/)) {
    const kv = line.match(/^([A-Za-z_]+):\s*(.*)$/);
    if (kv) out[kv[1]] = unquote(kv[2]);
  }
  return out;
}

/** The questions of the first ```quiz block of a Markdown file ([] without one). */
export function parseQuiz(text) {
  const block = text.match(/^```quiz[^\n]*\n([\s\S]*?)^```\s*$/m);
  if (!block) return [];
  const questions = [];
  let q = null;
  for (const line of block[1].split(/\r?\n/)) {
    const item = line.match(/^-\s+(\w+):\s*(.*)$/);
    const field = line.match(/^\s+(\w+):\s*(.*)$/);
    if (item) {
      q = { type: 'single' };
      questions.push(q);
      q[item[1]] = item[2];
    } else if (field && q) {
      q[field[1]] = field[2];
    }
  }
  return questions.map((raw) => {
    const type = unquote(raw.type || 'single');
    const options = type === 'truefalse' ? TRUE_FALSE : inlineList(raw.options || '');
    let answer;
    if (type === 'truefalse') {
      answer = [unquote(raw.answer) === 'true' ? 0 : 1];
    } else {
      answer = inlineList(raw.answer || '').map((letter) => letter.toUpperCase().charCodeAt(0) - 65);
    }
    return { question: unquote(raw.question || ''), type, options, answer, explanation: unquote(raw.explanation || '') };
  });
}

/** "[甲, 乙]" → ["甲", "乙"]; "B" → ["B"]. */
function inlineList(value) {
  const v = value.trim();
  const inner = v.startsWith('[') && v.endsWith(']') ? v.slice(1, -1) : v;
  return inner.split(',').map((s) => unquote(s.trim())).filter((s) => s !== '');
}

function unquote(s) {
  const v = String(s ?? '').trim();
  return /^(["']).*\1$/.test(v) ? v.slice(1, -1) : v;
}
