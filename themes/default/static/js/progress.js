/*
 * progress.js — "标记为已学" on lesson pages and the progress bar on course pages.
 *
 *  - .study-toggle[data-page-id] buttons (hidden in the HTML) are shown and toggle the
 *    page's studied flag: "标记为已学" becomes "√ 已学" (the √ drawn by the style) (aria-pressed reflects the state),
 *    a status line shows the date, and a "撤销" button beside it undoes the mark.
 *  - [data-lesson-id] items (course syllabus, lesson sidebar) get an "已学" mark.
 *  - [data-course-progress] shows "已学 3/5" and a <progress> over the syllabus items;
 *    the course's "开始学习" [data-continue] becomes "继续学习" to the first lesson not
 *    yet studied (or "复习课程" to the first lesson once all are).
 * Marking or unmarking on a course's page or one of its lessons records or forgets the
 * day the course was completed (all its lessons studied; the course itself when it has
 * none), for this year's 学时 on 我的学习.
 * Everything is stored by store.js in this browser only. Without JavaScript the
 * buttons stay hidden and the pages read normally.
 */
(function () {
  "use strict";

  var J = window.Jiangtang;
  if (!J || !J.read) return;

  function all(selector) {
    return Array.prototype.slice.call(document.querySelectorAll(selector));
  }

  function render() {
    var data = J.read();
    var studied = data.studied;

    all(".study-toggle[data-page-id]").forEach(function (button) {
      var on = Object.prototype.hasOwnProperty.call(studied, button.getAttribute("data-page-id"));
      button.setAttribute("aria-pressed", on ? "true" : "false");
      button.textContent = J.t(on ? "studied_done" : "mark_studied");
    });
    all(".study-undo").forEach(function (undo) {
      undo.hidden = !Object.prototype.hasOwnProperty.call(studied, undo.getAttribute("data-page-id"));
    });

    all("[data-study-status]").forEach(function (el) {
      var id = el.getAttribute("data-study-status");
      if (!J.available) {
        el.textContent = J.t("storage_unavailable");
      } else if (Object.prototype.hasOwnProperty.call(studied, id)) {
        el.textContent = J.t("studied_on", { date: J.formatDate(studied[id]) });
      } else {
        el.textContent = "";
      }
    });

    var items = all("[data-lesson-id]");
    items.forEach(function (li) {
      var on = Object.prototype.hasOwnProperty.call(studied, li.getAttribute("data-lesson-id"));
      li.classList.toggle("is-studied", on);
      var mark = li.querySelector(".studied-mark");
      if (mark) mark.hidden = !on;
    });

    all("[data-course-progress]").forEach(function (box) {
      // Count the course syllabus only (the lesson sidebar repeats the same ids).
      var lessons = all(".course .syllabus [data-lesson-id]");
      var done = lessons.filter(function (li) { return li.classList.contains("is-studied"); }).length;
      var text = box.querySelector("[data-progress-text]");
      var bar = box.querySelector("progress");
      if (text) text.textContent = J.t("progress_of", { done: done, total: lessons.length });
      if (bar) {
        bar.max = lessons.length || 1;
        bar.value = done;
      }
      box.hidden = !J.available;
      continueLink(lessons, done);
    });
  }

  /* The course's start link leads on from where the reader is. */
  function continueLink(lessons, done) {
    var link = document.querySelector(".course [data-continue]");
    if (!link || done === 0) return;
    var next = lessons.filter(function (li) { return !li.classList.contains("is-studied"); })[0] || lessons[0];
    var a = next && next.querySelector("a");
    if (!a) return;
    link.href = a.href;
    link.textContent = J.t(done < lessons.length ? "continue_learning" : "review_course");
  }

  /* The course of this page is completed when all its lessons are studied. */
  function syncCourse() {
    var holder = document.querySelector("[data-course-lessons]");
    if (!holder || !J.syncCompleted) return;
    var ids = holder.getAttribute("data-course-lessons").split("|").filter(Boolean);
    J.syncCompleted(holder.getAttribute("data-course-id"), ids);
  }

  all(".study-toggle[data-page-id]").forEach(function (button) {
    if (!J.available) return; // nothing can be saved: keep the button hidden
    var id = button.getAttribute("data-page-id");
    button.hidden = false;
    button.addEventListener("click", function () {
      J.setStudied(id, button.getAttribute("aria-pressed") !== "true");
      syncCourse();
      render();
    });
    // Undo, said in so many words beside the button.
    var undo = document.createElement("button");
    undo.type = "button";
    undo.className = "link-button study-undo";
    undo.setAttribute("data-page-id", id);
    undo.textContent = J.t("study_undo");
    undo.hidden = true;
    undo.addEventListener("click", function () {
      J.setStudied(id, false);
      syncCourse();
      render();
      button.focus();
    });
    button.insertAdjacentElement("afterend", undo);
  });

  // Another tab (or the study page) changed the record: refresh.
  window.addEventListener("storage", function (event) {
    if (event.key === J.key || event.key === null) render();
  });

  render();
})();
