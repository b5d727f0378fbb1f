/*
 * practice.js — 岗位练兵 drills on /practice/.
 *
 * The page holds the drill index (JSON in #practice-index's data-index): the bank's data files, each
 * [address, action, [fields], count] with actions and fields by position; addresses,
 * and the lessons' in the data, are relative to /practice/. A drill picks
 * distinct questions at random from the files of the chosen action or field and fetches
 * only the files it drew from. Each question is graded on 提交: the score, the right
 * answer and the explanation of every question are shown. Wrong answers are kept in
 * the 错题本, "jiangtang:<site base>:practice" in localStorage ({version: 1, wrong:
 * {<question id>: question}}), and leave it once answered right; the questions are kept
 * whole, so the book can be retried without fetching. Drills are not study: nothing
 * here touches the study record of store.js.
 * Plain ES2019, no dependencies. Without JavaScript the page lists the bank by field.
 */
(function () {
  "use strict";

  var root = document.querySelector("[data-practice]");
  var indexEl = document.getElementById("practice-index");
  if (!root || !indexEl || !window.fetch) return;
  var index;
  try {
    index = JSON.parse(indexEl.getAttribute("data-index"));
  } catch (e) {
    return;
  }

  var setup = root.querySelector("[data-practice-setup]");
  var status = root.querySelector("[data-practice-status]");
  var run = root.querySelector("[data-practice-run]");
  var list = run.querySelector("[data-practice-questions]");
  var submit = run.querySelector("[data-practice-submit]");
  var again = run.querySelector("[data-practice-again]");
  var scoreEl = run.querySelector("[data-practice-score]");
  var bookBox = document.querySelector("[data-practice-book]");
  var bookCount = bookBox.querySelector("[data-practice-book-count]");
  var bookRetry = bookBox.querySelector("[data-practice-book-retry]");
  var has = function (o, k) { return Object.prototype.hasOwnProperty.call(o, k); };

  function t(key, values) {
    var s = root.getAttribute("data-s-" + key) || key;
    return s.replace(/\{(\w+)\}/g, function (m, name) {
      return values && has(values, name) ? String(values[name]) : m;
    });
  }

  /* ---- the 错题本 ---- */
  var base = new URL(document.documentElement.getAttribute("data-site-base") || "/", window.location.href).pathname;
  var KEY = "jiangtang:" + base + ":practice";
  var available = (function () {
    try {
      window.localStorage.setItem(KEY + ":probe", "1");
      window.localStorage.removeItem(KEY + ":probe");
      return true;
    } catch (e) {
      return false;
    }
  })();

  function validQuestion(q) {
    return q !== null && typeof q === "object" && typeof q.id === "string" &&
      typeof q.q === "string" && Array.isArray(q.o) &&
      (Array.isArray(q.a) || typeof q.a === "boolean");
  }

  function readBook() {
    var book = { version: 1, wrong: {} };
    if (!available) return book;
    try {
      var data = JSON.parse(window.localStorage.getItem(KEY) || "null");
      if (data && data.version === 1 && data.wrong && typeof data.wrong === "object") {
        for (var id in data.wrong) {
          if (has(data.wrong, id) && validQuestion(data.wrong[id])) book.wrong[id] = data.wrong[id];
        }
      }
    } catch (e) {
      // An unreadable book is an empty one.
    }
    return book;
  }

  function writeBook(book) {
    if (!available) return;
    try {
      window.localStorage.setItem(KEY, JSON.stringify(book));
    } catch (e) {
      // Full or refused: the drill still works, the book is not kept.
    }
  }

  function showBook() {
    var n = Object.keys(readBook().wrong).length;
    bookBox.hidden = false;
    bookCount.textContent = !available ? t("unavailable") : n ? t("count", { count: n }) : t("empty");
    bookRetry.hidden = n === 0;
  }

  /* ---- drawing ---- */
  function matching(scope) {
    var kind = scope.indexOf(":") === 1 ? scope.charAt(0) : "";
    var k = parseInt(scope.slice(2), 10);
    return index.data.filter(function (d) {
      if (kind === "a") return d[1] === k;
      if (kind === "f") return d[2].indexOf(k) !== -1;
      return true;
    });
  }

  /* `count` distinct positions below `total`, in random order. */
  function positions(total, count) {
    var swapped = {};
    var out = [];
    for (var i = 0; i < count; i += 1) {
      var j = i + Math.floor(Math.random() * (total - i));
      var at = has(swapped, j) ? swapped[j] : j;
      swapped[j] = has(swapped, i) ? swapped[i] : i;
      out.push(at);
    }
    return out;
  }

  function draw(scope, wanted) {
    var files = matching(scope);
    var total = files.reduce(function (sum, d) { return sum + d[3]; }, 0);
    var count = wanted === "all" ? total : Math.min(total, parseInt(wanted, 10) || 10);
    var picks = positions(total, count).map(function (p) {
      var f = 0;
      while (p >= files[f][3]) {
        p -= files[f][3];
        f += 1;
      }
      return [f, p];
    });
    var needed = {};
    picks.forEach(function (pick) { needed[pick[0]] = true; });
    var loads = Object.keys(needed).map(function (f) {
      return window.fetch(new URL(files[f][0], window.location.href).href).then(function (r) {
        if (!r.ok) throw new Error(String(r.status));
        return r.json();
      }).then(function (questions) { needed[f] = questions; });
    });
    return Promise.all(loads).then(function () {
      return picks.map(function (pick) { return needed[pick[0]][pick[1]]; }).filter(validQuestion);
    });
  }

  /* ---- a drill ---- */
  var current = [];
  var fromBook = false;

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function letter(i) {
    return String.fromCharCode(65 + (i % 26));
  }

  function choices(q) {
    if (!Array.isArray(q.a)) return [["true", t("yes")], ["false", t("no")]];
    return q.o.map(function (o, i) { return [String(i), letter(i) + ". " + o]; });
  }

  function question(q, n) {
    var box = el("fieldset", "quiz-q");
    box.setAttribute("data-id", q.id);
    var legend = el("legend");
    legend.appendChild(el("span", "quiz-num", n + "."));
    legend.appendChild(document.createTextNode(" " + q.q + (q.t === "multiple" ? t("multiple") : "")));
    box.appendChild(legend);
    var type = q.t === "multiple" ? "checkbox" : "radio";
    choices(q).forEach(function (c) {
      var label = el("label", "quiz-opt");
      var input = el("input");
      input.type = type;
      input.name = "practice-" + n;
      input.value = c[0];
      label.appendChild(input);
      label.appendChild(document.createTextNode(" " + c[1]));
      box.appendChild(label);
    });
    var source = el("p", "practice-source", t("from") + t("colon"));
    var link = el("a", "", q.c + " · " + q.l);
    link.href = new URL(q.h, window.location.href).href;
    source.appendChild(link);
    box.appendChild(source);
    box.appendChild(el("p", "quiz-feedback"));
    return box;
  }

  function start(questions, book) {
    current = questions;
    fromBook = book;
    list.textContent = "";
    questions.forEach(function (q, i) { list.appendChild(question(q, i + 1)); });
    scoreEl.textContent = "";
    submit.hidden = false;
    again.hidden = true;
    run.hidden = false;
    status.textContent = t("drawn", { count: questions.length });
    var first = list.querySelector("input");
    if (first) first.focus();
  }

  function expected(q) {
    return Array.isArray(q.a) ? q.a.map(String).sort() : [String(q.a)];
  }

  function shownAnswer(q) {
    if (!Array.isArray(q.a)) return q.a ? t("yes") : t("no");
    return q.a.map(letter).join("、");
  }

  function grade(event) {
    event.preventDefault();
    var book = readBook();
    var score = 0;
    var added = 0;
    var boxes = Array.prototype.slice.call(list.querySelectorAll(".quiz-q"));
    boxes.forEach(function (box, i) {
      var q = current[i];
      var inputs = Array.prototype.slice.call(box.querySelectorAll("input"));
      var chosen = inputs.filter(function (x) { return x.checked; }).map(function (x) { return x.value; }).sort();
      var right = chosen.join(",") === expected(q).join(",");
      inputs.forEach(function (x) { x.disabled = true; });
      box.classList.add(right ? "is-correct" : "is-wrong");
      box.querySelector(".quiz-feedback").textContent =
        right ? t("correct") : chosen.length ? t("wrong") : t("unanswered");
      var answer = el("div", "quiz-answer");
      answer.appendChild(el("p", "", t("right") + t("colon") + shownAnswer(q)));
      if (q.e) answer.appendChild(el("p", "quiz-explanation", q.e));
      box.appendChild(answer);
      if (right) {
        score += 1;
        delete book.wrong[q.id];
      } else {
        if (!has(book.wrong, q.id)) added += 1;
        book.wrong[q.id] = q;
      }
    });
    writeBook(book);
    var left = Object.keys(book.wrong).length;
    var note = score === current.length ? t("none")
      : fromBook ? t("left", { count: left }) : t("added", { count: current.length - score });
    scoreEl.textContent = t("score", { score: score, total: current.length }) + " " + note;
    submit.hidden = true;
    again.hidden = false;
    again.focus();
    showBook();
  }

  setup.addEventListener("submit", function (event) {
    event.preventDefault();
    var scope = setup.elements.scope.value;
    var count = setup.querySelector("input[name=count]:checked");
    status.textContent = t("loading");
    draw(scope, count ? count.value : "10").then(function (questions) {
      start(questions, false);
    }, function () {
      status.textContent = t("failed");
    });
  });

  run.addEventListener("submit", grade);
  again.addEventListener("click", function () {
    run.hidden = true;
    status.textContent = "";
    setup.querySelector("select").focus();
  });
  bookRetry.addEventListener("click", function () {
    var wrong = readBook().wrong;
    var questions = Object.keys(wrong).map(function (id) { return wrong[id]; });
    var order = positions(questions.length, questions.length);
    start(order.map(function (i) { return questions[i]; }), true);
    run.scrollIntoView();
  });

  root.hidden = false;
  showBook();
})();
