/*
 * quiz.js — self-check quizzes (```quiz blocks rendered by the engine).
 *
 * Markup: section.quiz[data-quiz-id] > form.quiz-form > fieldset.quiz-q[data-type][data-answer]
 * with radio/checkbox inputs, a <details class="quiz-answer"> (answer + explanation),
 * p.quiz-feedback, hidden button.quiz-check / button.quiz-retry and p.quiz-score.
 *
 * Without JavaScript readers open "查看答案" themselves. With it: the answers stay
 * hidden until "检查答案"; each question is graded (text + mark, not colour alone). A
 * right answer opens its explanation. A wrong one first invites another try: its
 * answer stays folded under "查看答案" (open on request), and is shown with the
 * explanation when the second try is checked, so that trying again is not copying.
 * The score is shown and saved in this browser (store.js) under "<page id>#<quiz id>";
 * "重做" resets the form.
 */
(function () {
  "use strict";

  var J = window.Jiangtang;
  if (!J || !J.t) return;

  function all(root, selector) {
    return Array.prototype.slice.call(root.querySelectorAll(selector));
  }

  function pageId(section) {
    var holder = section.closest("[data-page-id]");
    return holder ? holder.getAttribute("data-page-id") : window.location.pathname;
  }

  /* The expected answer of a question as a sorted list of input values. */
  function expected(q) {
    return (q.getAttribute("data-answer") || "")
      .split(",")
      .map(function (s) { return s.trim(); })
      .filter(function (s) { return s !== ""; })
      .sort();
  }

  function chosen(q) {
    return all(q, "input:checked").map(function (input) { return input.value; }).sort();
  }

  function sameList(a, b) {
    if (a.length !== b.length) return false;
    for (var i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }

  /* Before a check: the marks of the last one go (its count of tries stays). */
  function resetQuestion(q) {
    q.classList.remove("is-correct", "is-wrong");
    all(q, ".quiz-opt.is-answer").forEach(function (opt) { opt.classList.remove("is-answer"); });
    all(q, ".quiz-mark").forEach(function (mark) { mark.parentNode.removeChild(mark); });
    var feedback = q.querySelector(".quiz-feedback");
    if (feedback) feedback.textContent = "";
    var answer = q.querySelector(".quiz-answer");
    if (answer) {
      answer.open = false;
      answer.hidden = true; // no peeking before checking
    }
  }

  /* Grades one question; returns true when right. A wrong answer shows the right one
     only from the second try on. */
  function grade(q) {
    var want = expected(q);
    var got = chosen(q);
    var right = got.length > 0 && sameList(want, got);
    var feedback = q.querySelector(".quiz-feedback");
    if (got.length === 0) {
      // Not a try: nothing is shown but that it is unanswered.
      q.classList.add("is-wrong");
      if (feedback) feedback.textContent = J.t("quiz_unanswered");
      return false;
    }
    var tries = Number(q.getAttribute("data-tries") || 0) + 1;
    q.setAttribute("data-tries", String(tries));
    q.classList.add(right ? "is-correct" : "is-wrong");
    var answer = q.querySelector(".quiz-answer");
    if (!right && tries < 2) {
      if (feedback) feedback.textContent = J.t("quiz_try_again");
      if (answer) answer.hidden = false; // folded: open on request
      return false;
    }

    all(q, ".quiz-opt").forEach(function (opt) {
      var input = opt.querySelector("input");
      if (input && want.indexOf(input.value) !== -1) {
        opt.classList.add("is-answer");
        var mark = document.createElement("span");
        mark.className = "quiz-mark";
        mark.textContent = "√ " + J.t("quiz_right_answer"); // √ is in every Chinese font
        opt.appendChild(mark);
      }
    });

    if (feedback) {
      feedback.textContent = J.t(right ? "quiz_correct" : "quiz_wrong");
    }
    if (answer) {
      answer.hidden = false;
      answer.open = true;
    }
    return right;
  }

  function showLast(section, scoreEl) {
    if (!J.quizResult) return;
    var last = J.quizResult(pageId(section), section.getAttribute("data-quiz-id"));
    if (last) {
      scoreEl.textContent = J.t("quiz_last_score", {
        score: last.score, total: last.total, date: J.formatDate(last.at)
      });
    }
  }

  all(document, "section.quiz").forEach(function (section) {
    var form = section.querySelector(".quiz-form");
    if (!form) return;
    var questions = all(form, ".quiz-q");
    var check = form.querySelector(".quiz-check");
    var retry = form.querySelector(".quiz-retry");
    var scoreEl = form.querySelector(".quiz-score");
    if (!check || !questions.length) return;

    questions.forEach(resetQuestion);
    check.hidden = false;
    if (scoreEl) showLast(section, scoreEl);

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var score = 0;
      var another = false;
      questions.forEach(function (q) {
        resetQuestion(q);
        if (grade(q)) score += 1;
        else if (Number(q.getAttribute("data-tries") || 0) < 2) another = true;
      });
      if (scoreEl) scoreEl.textContent = J.t("quiz_score", { score: score, total: questions.length });
      if (J.saveQuiz && J.available) {
        J.saveQuiz(pageId(section), section.getAttribute("data-quiz-id"), score, questions.length);
      }
      // While a wrong answer may be tried again, 检查答案 stays.
      check.hidden = !another;
      if (retry) {
        retry.hidden = false;
        if (!another) retry.focus();
      }
    });

    if (retry) {
      retry.addEventListener("click", function () {
        form.reset();
        questions.forEach(function (q) {
          q.removeAttribute("data-tries");
          resetQuestion(q);
        });
        if (scoreEl) scoreEl.textContent = "";
        retry.hidden = true;
        check.hidden = false;
        var first = form.querySelector("input");
        if (first) first.focus();
      });
    }
  });
})();
