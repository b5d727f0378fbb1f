/*
 * store.js — the personal study record, kept in this browser only.
 *
 * One localStorage key per site: "jiangtang:" + site base path, holding
 *   {version: 1, studied: {<page id>: ISO date}, quiz: {"<page id>#<quiz id>": {score, total, at}},
 *    completed: {<course id>: ISO date}}
 * `completed` holds the day a course's last lesson was marked (records kept before it
 * existed have none: their courses' completion dates are unknown, never guessed).
 * Records kept under a page's old address (listed by the site's generated aliases
 * script as window.JiangtangAliases, {<old id>: <new id>}) are moved to the page's id
 * when read, so renaming a page with `aliases:` keeps readers' progress.
 * Nothing is ever sent anywhere. Used by progress.js, quiz.js and study.js, which
 * reach it as window.Jiangtang (site.js, loaded first, adds the string helpers).
 * Plain ES2019, no dependencies.
 */
(function () {
  "use strict";

  var root = document.documentElement;
  var base = new URL(root.getAttribute("data-site-base") || "/", window.location.href).pathname;
  var KEY = "jiangtang:" + base;

  function empty() {
    return { version: 1, studied: {}, quiz: {}, completed: {} };
  }

  function isObject(x) {
    return x !== null && typeof x === "object" && !Array.isArray(x);
  }

  function validDate(s) {
    return typeof s === "string" && s.length <= 40 && !isNaN(Date.parse(s));
  }

  function validQuiz(q) {
    return isObject(q) &&
      typeof q.score === "number" && typeof q.total === "number" &&
      isFinite(q.score) && isFinite(q.total) &&
      q.total >= 0 && q.score >= 0 && q.score <= q.total &&
      validDate(q.at);
  }

  /* Returns a clean copy of a record, or null when `data` is not a version-1 record.
     Invalid single entries are dropped rather than rejecting the whole record. */
  function clean(data) {
    if (!isObject(data) || data.version !== 1) return null;
    if (data.studied !== undefined && !isObject(data.studied)) return null;
    if (data.quiz !== undefined && !isObject(data.quiz)) return null;
    if (data.completed !== undefined && !isObject(data.completed)) return null;
    var out = empty();
    var k;
    var studied = data.studied || {};
    for (k in studied) {
      if (Object.prototype.hasOwnProperty.call(studied, k) && k.length <= 300 && validDate(studied[k])) {
        out.studied[k] = studied[k];
      }
    }
    var completed = data.completed || {};
    for (k in completed) {
      if (Object.prototype.hasOwnProperty.call(completed, k) && k.length <= 300 && validDate(completed[k])) {
        out.completed[k] = completed[k];
      }
    }
    var quiz = data.quiz || {};
    for (k in quiz) {
      if (Object.prototype.hasOwnProperty.call(quiz, k) && k.length <= 300 && validQuiz(quiz[k])) {
        out.quiz[k] = { score: quiz[k].score, total: quiz[k].total, at: quiz[k].at };
      }
    }
    return out;
  }

  var available = (function () {
    try {
      var probe = KEY + ":probe";
      window.localStorage.setItem(probe, "1");
      window.localStorage.removeItem(probe);
      return true;
    } catch (e) {
      return false;
    }
  })();

  var aliases = isObject(window.JiangtangAliases) ? window.JiangtangAliases : {};

  function has(obj, k) {
    return Object.prototype.hasOwnProperty.call(obj, k);
  }

  /* The id a record stored under `id` belongs to now, or null when the page kept it. */
  function movedTo(id) {
    return has(aliases, id) && typeof aliases[id] === "string" ? aliases[id] : null;
  }

  /* Moves the dated entries of `map` kept under old ids to the pages' ids, keeping the
     earliest date. Returns whether anything moved. */
  function moveDated(map) {
    var moved = false;
    for (var k in map) {
      var to = has(map, k) ? movedTo(k) : null;
      if (to === null) continue;
      if (!has(map, to) || Date.parse(map[k]) < Date.parse(map[to])) map[to] = map[k];
      delete map[k];
      moved = true;
    }
    return moved;
  }

  /* Moves the entries of `data` kept under old ids to the pages' ids, as merge() would
     combine them: the earliest studied or completed date, the latest quiz attempt.
     Returns whether anything moved. */
  function migrate(data) {
    var moved = moveDated(data.studied);
    moved = moveDated(data.completed) || moved;
    var k, to, quizTo, hash;
    for (k in data.quiz) {
      hash = k.indexOf("#");
      to = has(data.quiz, k) && hash > 0 ? movedTo(k.slice(0, hash)) : null;
      if (to === null) continue;
      quizTo = to + k.slice(hash);
      if (!has(data.quiz, quizTo) || Date.parse(data.quiz[k].at) > Date.parse(data.quiz[quizTo].at)) {
        data.quiz[quizTo] = data.quiz[k];
      }
      delete data.quiz[k];
      moved = true;
    }
    return moved;
  }

  function read() {
    if (!available) return empty();
    try {
      var raw = window.localStorage.getItem(KEY);
      var data = (raw && clean(JSON.parse(raw))) || empty();
      if (migrate(data)) write(data);
      return data;
    } catch (e) {
      return empty();
    }
  }

  function write(data) {
    if (!available) return false;
    try {
      window.localStorage.setItem(KEY, JSON.stringify(data));
      return true;
    } catch (e) {
      return false;
    }
  }

  function isStudied(id) {
    return Object.prototype.hasOwnProperty.call(read().studied, id);
  }

  function studiedAt(id) {
    var s = read().studied;
    return Object.prototype.hasOwnProperty.call(s, id) ? s[id] : null;
  }

  function setStudied(id, on) {
    var data = read();
    if (on) {
      data.studied[id] = new Date().toISOString();
    } else {
      delete data.studied[id];
    }
    return write(data);
  }

  /* Records that `courseId` was completed now when every one of `lessonIds` is studied
     (keeping an earlier date), and forgets it when one is not any more. */
  function syncCompleted(courseId, lessonIds) {
    var data = read();
    var done = lessonIds.length > 0 && lessonIds.every(function (id) { return has(data.studied, id); });
    if (done && !has(data.completed, courseId)) {
      data.completed[courseId] = new Date().toISOString();
    } else if (!done && has(data.completed, courseId)) {
      delete data.completed[courseId];
    } else {
      return true;
    }
    return write(data);
  }

  function quizResult(pageId, quizId) {
    var q = read().quiz;
    var key = pageId + "#" + quizId;
    return Object.prototype.hasOwnProperty.call(q, key) ? q[key] : null;
  }

  function saveQuiz(pageId, quizId, score, total) {
    var data = read();
    data.quiz[pageId + "#" + quizId] = { score: score, total: total, at: new Date().toISOString() };
    return write(data);
  }

  /* Merges record `other` into `data` (changing `data`). A studied entry keeps the
     earliest date; a quiz entry keeps the most recent attempt. Returns counts of
     new/changed entries. */
  function combine(data, other) {
    var added = { studied: 0, quiz: 0 };
    var k;
    // A course's completion keeps its earliest date, as a lesson's does.
    for (k in other.completed) {
      if (!has(data.completed, k) || Date.parse(other.completed[k]) < Date.parse(data.completed[k])) {
        data.completed[k] = other.completed[k];
      }
    }
    for (k in other.studied) {
      if (!Object.prototype.hasOwnProperty.call(data.studied, k)) {
        data.studied[k] = other.studied[k];
        added.studied += 1;
      } else if (Date.parse(other.studied[k]) < Date.parse(data.studied[k])) {
        data.studied[k] = other.studied[k];
      }
    }
    for (k in other.quiz) {
      if (!Object.prototype.hasOwnProperty.call(data.quiz, k) ||
          Date.parse(other.quiz[k].at) > Date.parse(data.quiz[k].at)) {
        data.quiz[k] = other.quiz[k];
        added.quiz += 1;
      }
    }
    return added;
  }

  /* Merges another record into this one; the counts of new/changed entries, or null
     when `incoming` is not a valid record or cannot be saved. */
  function merge(incoming) {
    var other = clean(incoming);
    if (!other) return null;
    var data = read();
    var added = combine(data, other);
    return write(data) ? added : null;
  }

  /* What merge(incoming) would do, without doing it: the entries the file holds
     (studied, quiz) and those it would add (newStudied, newQuiz); null when invalid. */
  function preview(incoming) {
    var other = clean(incoming);
    if (!other) return null;
    var added = combine(read(), other);
    return {
      studied: Object.keys(other.studied).length,
      quiz: Object.keys(other.quiz).length,
      newStudied: added.studied,
      newQuiz: added.quiz
    };
  }

  function clear() {
    if (!available) return false;
    try {
      window.localStorage.removeItem(KEY);
      return true;
    } catch (e) {
      return false;
    }
  }

  var J = window.Jiangtang = window.Jiangtang || {};
  var api = {
    key: KEY,
    available: available,
    read: read,
    write: write,
    clean: clean,
    isStudied: isStudied,
    studiedAt: studiedAt,
    setStudied: setStudied,
    syncCompleted: syncCompleted,
    quizResult: quizResult,
    saveQuiz: saveQuiz,
    merge: merge,
    preview: preview,
    clear: clear
  };
  for (var name in api) J[name] = api[name];
})();
