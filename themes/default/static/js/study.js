/*
 * study.js — the "我的学习" page, built from the record kept by store.js.
 *
 * The HTML lists a page of courses (li.study-course with data-course-id, data-hours,
 * data-action and its lessons as [data-lesson-id]); on a site with more, the section's
 * data-study-index names every course id in catalogue order and the data files that
 * hold each page of them as the HTML prints them. This script:
 *  - fetches the pages that hold the courses the record touches (a lesson's id is its
 *    course's id and its own name), so that the page never carries the catalogue;
 *  - sorts those courses into 学习中 / 已完成 and shows "已学 3/5 课（60%）" per course;
 *    under 未开始 (with their count) it lists the courses not started a page at a time,
 *    turning pages with 上一页 / 下一页 and fetching what a page shows when shown;
 *  - sums the 学时 of finished courses, overall and by action (a small inline SVG bar
 *    chart with a text equivalent for screen readers);
 *  - exports the record to a JSON file (Blob download, naming the file) and imports
 *    one: what the file holds and would add is shown first, merged once confirmed
 *    (validated by store.js); clears the record, once confirmed, from a section of
 *    its own.
 *  - with site.yaml's requirements (JSON in #study-requirements' data-requirements), lets the reader choose
 *    their tier (kept in localStorage under "<record key>:tier", changeable) and shows
 *    this year's 学时 (courses completed this year, by the record's completion dates)
 *    against the tier's requirement, in total and per action: <progress> bars with the
 *    numbers as text; courses finished before completion dates were recorded are
 *    counted apart as "date unknown", never guessed into a year;
 *  - fills the printable study record: this year's completed courses with their dates
 *    and 学时 and the total, labelled as self-kept (自记录，以组织部门登记为准).
 * A course without lessons counts as finished when the course page itself was marked.
 * This is a personal note kept in this browser on this device, not an official record.
 */
(function () {
  "use strict";

  var J = window.Jiangtang;
  if (!J || !J.read) return;
  var SVG = "http://www.w3.org/2000/svg";
  var has = function (obj, key) { return Object.prototype.hasOwnProperty.call(obj, key); };

  function all(root, selector) {
    return Array.prototype.slice.call(root.querySelectorAll(selector));
  }

  function group(name) {
    var section = document.querySelector("[data-study-group=" + name + "]");
    return section ? { section: section, list: section.querySelector(".study-list") } : null;
  }

  var groups = { progress: group("progress"), done: group("done"), todo: group("todo") };
  if (!groups.todo || !groups.todo.list) return;
  var summary = document.querySelector("[data-study-summary]");
  var chartBox = document.querySelector("[data-study-chart]");
  var tools = document.querySelector("[data-study-tools]");
  var message = document.querySelector("[data-study-message]");
  var clearSection = document.querySelector("[data-study-clear-section]");
  var clearMessage = document.querySelector("[data-study-clear-message]");

  function say(text, where) {
    var box = where || message;
    if (box) box.textContent = text;
  }

  /* ---- the courses: the page's own, and the data files' pages ---- */
  var todo = groups.todo.section;
  var FORMAT = 1;
  var index = (function () {
    try {
      var parsed = JSON.parse(todo.getAttribute("data-study-index") || "null");
      return parsed && parsed.format === FORMAT ? parsed : null;
    } catch (e) {
      return null;
    }
  })();
  var loaded = {}; // course id -> its li, once read from the page or a data file
  var order = []; // every course id, in catalogue order
  all(todo, ".study-course[data-course-id]").forEach(function (li) {
    var id = li.getAttribute("data-course-id");
    loaded[id] = li;
    order.push(id);
  });
  var perPage = index ? index.per_page : Math.max(1, order.length);
  if (index) order = index.ids;
  var position = {};
  order.forEach(function (id, i) { position[id] = i; });
  var pageCount = 1; // pages of the courses not started
  var pages = { 1: Promise.resolve() }; // page number -> its data file, read
  var shownPage = 1;
  var failed = false;

  function ts(key, values) {
    var text = todo.getAttribute("data-s-" + key) || key;
    return text.replace(/\{(\w+)\}/g, function (m, name) {
      return values && has(values, name) ? String(values[name]) : m;
    });
  }

  function loadPage(n) {
    if (!pages[n] && index) {
      var address = new URL(index.files[n - 1], window.location.href).href;
      pages[n] = window.fetch(address).then(function (r) {
        if (!r.ok) throw new Error(String(r.status));
        return r.json();
      }).then(function (items) {
        var box = document.createElement("ul");
        box.innerHTML = items.join("");
        all(box, ".study-course[data-course-id]").forEach(function (li) {
          if (J.localLinks) J.localLinks(li);
          loaded[li.getAttribute("data-course-id")] = li;
        });
      });
      pages[n].catch(function () {
        delete pages[n];
        failed = true;
      });
    }
    return pages[n] || Promise.resolve();
  }

  /* The courses the record names: a course marked as a whole, or the course of a
     lesson studied, of a quiz answered (saved as "<lesson id>#…"), of a completion. */
  function touched(data) {
    var out = {};
    var add = function (id) {
      var course = has(position, id) ? id : id.slice(0, Math.max(0, id.lastIndexOf("/")));
      if (has(position, course)) out[course] = true;
    };
    Object.keys(data.studied).forEach(add);
    Object.keys(data.quiz).forEach(function (key) { add(key.split("#")[0]); });
    Object.keys(data.completed || {}).forEach(add);
    return Object.keys(out);
  }

  function pageOf(id) {
    return Math.floor(position[id] / perPage) + 1;
  }

  function loadAll(ids) {
    var numbers = [];
    ids.forEach(function (id) {
      var n = pageOf(id);
      if (numbers.indexOf(n) === -1) numbers.push(n);
    });
    var settle = function (n) { return loadPage(n).then(function () {}, function () {}); };
    return Promise.all(numbers.map(settle));
  }

  /* Reads the touched courses' pages, then the courses of the page of 未开始 shown (the
     courses not started, in catalogue order), then draws. */
  function render() {
    var ids = touched(J.read());
    loadAll(ids).then(function () {
      var data = J.read();
      ids = touched(data);
      var started = {};
      ids.forEach(function (id) {
        if (loaded[id] && courseState(loaded[id], data) !== "todo") started[id] = true;
      });
      var notStarted = order.filter(function (id) { return !has(started, id); });
      pageCount = Math.max(1, Math.ceil(notStarted.length / perPage));
      shownPage = Math.min(shownPage, pageCount);
      var shown = notStarted.slice((shownPage - 1) * perPage, shownPage * perPage);
      return loadAll(shown).then(function () { draw(J.read(), ids, shown, notStarted.length); });
    });
  }

  /* "自测 3/4" for the quizzes saved under "<lesson id>#..." */
  function quizText(quiz, lessonId) {
    var parts = [];
    for (var key in quiz) {
      if (has(quiz, key) && key.indexOf(lessonId + "#") === 0) {
        parts.push(J.t("study_quiz_result", { score: quiz[key].score, total: quiz[key].total }));
      }
    }
    return parts.join(" ");
  }

  /* How far the record goes in course `li`: marks its lessons, fills its progress;
     returns "todo", "progress" or "done". */
  function courseState(li, data) {
    var studied = data.studied;
    var lessons = all(li, "[data-lesson-id]");
    var ids = lessons.length
      ? lessons.map(function (l) { return l.getAttribute("data-lesson-id"); })
      : [li.getAttribute("data-course-id")];
    var done = 0;
    lessons.forEach(function (l) {
      var id = l.getAttribute("data-lesson-id");
      var on = has(studied, id);
      l.classList.toggle("is-studied", on);
      var tick = l.querySelector(".studied-mark");
      if (tick) tick.hidden = !on;
      var result = l.querySelector(".quiz-result");
      if (result) {
        result.textContent = quizText(data.quiz, id);
        result.hidden = result.textContent === "";
      }
    });
    ids.forEach(function (id) { if (has(studied, id)) done += 1; });
    li.setAttribute("data-lessons-done", lessons.length ? String(done) : "0");

    var text = li.querySelector("[data-course-progress-text]");
    var bar = li.querySelector("progress");
    if (text) {
      text.textContent = J.t("study_course_share", {
        done: done, total: ids.length, percent: Math.round((done / ids.length) * 100)
      });
      text.hidden = done === 0;
    }
    if (bar) {
      bar.max = ids.length;
      bar.value = done;
      bar.hidden = done === 0;
    }
    return done === 0 ? "todo" : done === ids.length ? "done" : "progress";
  }

  function draw(data, ids, shown, notStarted) {
    var count = { done: 0, progress: 0, lessons: 0 };
    var hoursDone = 0;
    var byAction = {};
    var finished = [];
    var lists = { progress: [], done: [], todo: [] };

    ids.sort(function (a, b) { return position[a] - position[b]; });
    ids.forEach(function (id) {
      var li = loaded[id];
      if (!li) return; // its page could not be read: said at the top
      var state = courseState(li, data);
      count.lessons += Number(li.getAttribute("data-lessons-done"));
      if (state === "todo") return;
      count[state] += 1;
      lists[state].push(li);
      if (state === "done") {
        var hours = parseFloat(li.getAttribute("data-hours")) || 0;
        var action = li.getAttribute("data-action") || "";
        hoursDone += hours;
        byAction[action] = (byAction[action] || 0) + hours;
        finished.push({ id: li.getAttribute("data-course-id"), hours: hours, action: action,
          title: (li.querySelector(".study-course-title") || li).textContent.trim() });
      }
    });
    shown.forEach(function (id) {
      var li = loaded[id];
      if (li) {
        courseState(li, data);
        lists.todo.push(li);
      }
    });

    ["progress", "done", "todo"].forEach(function (name) {
      var list = groups[name] && groups[name].list;
      if (!list) return;
      all(list, ":scope > .study-course").forEach(function (li) {
        if (lists[name].indexOf(li) === -1) list.removeChild(li);
      });
      lists[name].forEach(function (li) { list.appendChild(li); }); // in catalogue order
      if (name !== "todo") groups[name].section.hidden = !lists[name].length;
    });
    drawTodo(notStarted);

    setStat("done", count.done);
    setStat("progress", count.progress);
    setStat("lessons", count.lessons);
    setStat("hours", J.formatNumber(hoursDone));
    drawChart(byAction, hoursDone);
    if (summary) summary.hidden = false;
    drawYear(thisYear(finished, data.completed || {}));
  }

  /* 未开始's heading and count, its page of courses and the buttons between pages. */
  var pager = todo.querySelector("[data-study-pager]");
  var more = todo.querySelector("[data-study-more]");
  var alarm = document.querySelector("[data-study-failed]");
  function drawTodo(notStarted) {
    var title = todo.querySelector("[data-js-title]");
    if (title) title.textContent = ts("count", { count: notStarted });
    todo.hidden = notStarted === 0;
    if (more) more.hidden = true; // the pager reaches every course
    if (pager) {
      pager.hidden = pageCount < 2;
      pager.querySelector("[data-study-page]").textContent =
        ts("page", { current: shownPage, pages: pageCount, size: perPage });
      var prev = pager.querySelector("[data-study-prev]");
      var next = pager.querySelector("[data-study-next]");
      prev.disabled = shownPage <= 1;
      next.disabled = shownPage >= pageCount;
      // A button that was pressed to the first or last page hands the focus on.
      if (document.activeElement === prev && prev.disabled) next.focus();
      if (document.activeElement === next && next.disabled) prev.focus();
    }
    if (alarm) {
      alarm.hidden = !failed;
      alarm.textContent = failed ? ts(window.location.protocol === "file:" ? "file" : "failed") : "";
    }
  }

  if (pager) {
    [["[data-study-prev]", -1], ["[data-study-next]", 1]].forEach(function (step) {
      var button = pager.querySelector(step[0]);
      button.addEventListener("click", function () {
        shownPage = Math.min(pageCount, Math.max(1, shownPage + step[1]));
        failed = false;
        render();
      });
    });
  }

  /* ---- this year: the requirement and the printable record ---- */
  var planBox = document.querySelector("[data-study-plan]");
  var recordBox = document.querySelector("[data-study-record]");
  var tierSelect = document.querySelector("[data-study-tier]");
  var TIER_KEY = J.key + ":tier";
  var plans = (function () {
    var el = document.getElementById("study-requirements");
    try {
      return el ? JSON.parse(el.getAttribute("data-requirements")).years : [];
    } catch (e) {
      return [];
    }
  })();

  function s(key, values) {
    var text = (recordBox && recordBox.getAttribute("data-s-" + key)) || key;
    return text.replace(/\{(\w+)\}/g, function (m, name) {
      return values && has(values, name) ? String(values[name]) : m;
    });
  }

  function storedTier() {
    try {
      return window.localStorage.getItem(TIER_KEY) || "";
    } catch (e) {
      return "";
    }
  }

  /* The finished courses completed in the reader's current year (by date), and those
     whose completion date was never recorded. */
  function thisYear(finished, completed) {
    var year = new Date().getFullYear();
    var out = { year: year, courses: [], unknown: [] };
    finished.forEach(function (c) {
      if (!has(completed, c.id)) {
        out.unknown.push(c);
      } else if (new Date(completed[c.id]).getFullYear() === year) {
        out.courses.push({ id: c.id, title: c.title, hours: c.hours, action: c.action, date: completed[c.id] });
      }
    });
    out.courses.sort(function (a, b) { return Date.parse(a.date) - Date.parse(b.date); });
    return out;
  }

  function sum(list, action) {
    return list.reduce(function (n, c) { return n + (action === undefined || c.action === action ? c.hours : 0); }, 0);
  }

  function bar(label, done, need, n) {
    var row = document.createElement("div");
    row.className = "plan-row";
    var name = document.createElement("span");
    name.className = "plan-label";
    name.id = "plan-label-" + n;
    name.textContent = label;
    var progress = document.createElement("progress");
    progress.max = need || 1;
    progress.value = Math.min(done, need || 1);
    progress.setAttribute("aria-labelledby", name.id + " plan-value-" + n);
    var value = document.createElement("span");
    value.className = "plan-value";
    value.id = "plan-value-" + n;
    value.textContent = s("study_plan_value", { done: J.formatNumber(done), need: J.formatNumber(need) }) +
      (done >= need ? s("study_plan_reached") : "");
    row.appendChild(name);
    row.appendChild(progress);
    row.appendChild(value);
    return row;
  }

  function drawPlan(year) {
    if (!planBox || !plans.length) return;
    planBox.hidden = false;
    var title = planBox.querySelector("[data-title]");
    title.textContent = title.getAttribute("data-title").replace("{year}", year.year);
    var tier = storedTier();
    if (tierSelect.value !== tier) tierSelect.value = tier;
    if (tierSelect.value !== tier) tier = ""; // a tier the site no longer has
    var note = planBox.querySelector("[data-plan-note]");
    var bars = planBox.querySelector("[data-plan-bars]");
    bars.textContent = "";
    var plan = null;
    plans.forEach(function (p) {
      if (p.year !== year.year) return;
      p.tiers.forEach(function (t) { if (t.tier === tier) plan = t; });
    });
    var total = sum(year.courses);
    if (!tier) {
      note.textContent = s("study_tier_prompt");
    } else if (!plan) {
      note.textContent = s("study_tier_none", { year: year.year, tier: tier, hours: J.formatNumber(total) });
    } else {
      note.textContent = s("study_plan_note");
      bars.appendChild(bar(s("study_plan_total"), total, plan.hours, 0));
      plan.by_action.forEach(function (a, i) {
        bars.appendChild(bar(a.action, sum(year.courses, a.action), a.hours, i + 1));
      });
    }
    var unknown = planBox.querySelector("[data-plan-unknown]");
    unknown.hidden = !year.unknown.length;
    unknown.textContent = s("study_plan_unknown", { count: year.unknown.length, hours: J.formatNumber(sum(year.unknown)) });
  }

  function drawRecord(year) {
    if (!recordBox) return;
    recordBox.hidden = false;
    var title = recordBox.querySelector("[data-title]");
    title.textContent = title.getAttribute("data-title").replace("{year}", year.year);
    var tier = storedTier();
    recordBox.querySelector("[data-record-meta]").textContent =
      s("study_record_meta", { tier: tier || "—", date: J.formatDate(new Date().toISOString()) });
    var rows = recordBox.querySelector("[data-record-rows]");
    rows.textContent = "";
    year.courses.forEach(function (c) {
      var tr = document.createElement("tr");
      [c.title, c.action, J.formatDate(c.date), J.formatNumber(c.hours)].forEach(function (text, i) {
        var cell = document.createElement(i === 0 ? "th" : "td");
        if (i === 0) cell.scope = "row";
        if (i === 3) cell.className = "num";
        cell.textContent = text;
        tr.appendChild(cell);
      });
      rows.appendChild(tr);
    });
    if (!year.courses.length) {
      var tr = document.createElement("tr");
      var td = document.createElement("td");
      td.colSpan = 4;
      td.textContent = s("study_record_empty");
      tr.appendChild(td);
      rows.appendChild(tr);
    }
    recordBox.querySelector("[data-record-total]").textContent = J.formatNumber(sum(year.courses));
    var unknown = recordBox.querySelector("[data-record-unknown]");
    unknown.hidden = !year.unknown.length;
    unknown.textContent = s("study_record_unknown", { count: year.unknown.length, hours: J.formatNumber(sum(year.unknown)) });
  }

  function drawYear(year) {
    drawPlan(year);
    drawRecord(year);
  }

  if (tierSelect) {
    tierSelect.addEventListener("change", function () {
      try {
        if (tierSelect.value) window.localStorage.setItem(TIER_KEY, tierSelect.value);
        else window.localStorage.removeItem(TIER_KEY);
      } catch (e) {
        // Not kept: the choice holds for this visit only.
      }
      render();
    });
  }
  var printButton = recordBox && recordBox.querySelector("[data-record-print]");
  if (printButton) printButton.addEventListener("click", function () { window.print(); });

  function setStat(name, value) {
    var el = document.querySelector("[data-stat=" + name + "]");
    if (el) el.textContent = String(value);
  }

  /* Horizontal bars, one per action (site order first, then any other action). */
  function drawChart(byAction, total) {
    if (!chartBox) return;
    chartBox.textContent = "";
    if (!total) {
      var p = document.createElement("p");
      p.className = "hint";
      p.textContent = J.t("study_chart_empty");
      chartBox.appendChild(p);
      return;
    }
    var order = (chartBox.getAttribute("data-actions") || "").split("|").filter(Boolean);
    Object.keys(byAction).forEach(function (a) { if (order.indexOf(a) === -1) order.push(a); });
    var max = 0;
    order.forEach(function (a) { max = Math.max(max, byAction[a] || 0); });

    var rowH = 34, labelW = 120, valueW = 90, width = 600;
    var barW = width - labelW - valueW;
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 " + width + " " + (order.length * rowH + 4));
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var textList = document.createElement("ul");
    textList.className = "visually-hidden";

    order.forEach(function (action, i) {
      var hours = byAction[action] || 0;
      var y = i * rowH + 4;
      var label = document.createElementNS(SVG, "text");
      label.setAttribute("x", "0");
      label.setAttribute("y", String(y + 18));
      label.textContent = action;
      var bg = document.createElementNS(SVG, "rect");
      bg.setAttribute("class", "bar-bg");
      bg.setAttribute("x", String(labelW));
      bg.setAttribute("y", String(y + 4));
      bg.setAttribute("width", String(barW));
      bg.setAttribute("height", "20");
      var bar = document.createElementNS(SVG, "rect");
      bar.setAttribute("class", "bar");
      bar.setAttribute("x", String(labelW));
      bar.setAttribute("y", String(y + 4));
      bar.setAttribute("width", String(max ? Math.max(hours ? 2 : 0, (hours / max) * barW) : 0));
      bar.setAttribute("height", "20");
      var value = document.createElementNS(SVG, "text");
      value.setAttribute("x", String(labelW + barW + 8));
      value.setAttribute("y", String(y + 18));
      value.textContent = J.formatNumber(hours) + " " + J.t("study_hours_unit");
      svg.appendChild(label);
      svg.appendChild(bg);
      svg.appendChild(bar);
      svg.appendChild(value);

      var item = document.createElement("li");
      item.textContent = J.t("study_chart_label", { action: action, hours: J.formatNumber(hours) });
      textList.appendChild(item);
    });
    chartBox.appendChild(svg);
    chartBox.appendChild(textList);
  }

  /* ---- export / import / clear ---- */
  function today() {
    var d = new Date();
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }

  function exportRecord() {
    var data = J.read();
    var file = {
      version: 1,
      site: new URL(document.documentElement.getAttribute("data-site-base") || "/", window.location.href).href,
      exported: new Date().toISOString(),
      studied: data.studied,
      quiz: data.quiz,
      completed: data.completed
    };
    var blob = new Blob([JSON.stringify(file, null, 2)], { type: "application/json" });
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = J.t("study_file_name") + "-" + today() + ".json";
    document.body.appendChild(link);
    link.click();
    document.body.removeChild(link);
    window.setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
    say(J.t("study_exported", { file: link.download }));
  }

  /* Import in two steps: the chosen file is read and described (how many records,
     how many new, merged not replaced); only 确认导入 merges it. */
  var preview = tools && tools.querySelector("[data-study-preview]");
  var pending = null;

  function showPreview(record, name) {
    pending = record;
    var counts = record && J.preview(record);
    if (!counts || !preview) {
      pending = null;
      say(J.t("study_import_error"));
      return;
    }
    counts.file = name;
    preview.querySelector("[data-study-preview-text]").textContent = J.t("study_import_preview", counts);
    preview.hidden = false;
    say("");
    preview.querySelector("[data-study-import-confirm]").focus();
  }

  function finishImport(confirmed, input) {
    var result = confirmed && pending ? J.merge(pending) : null;
    pending = null;
    if (preview) preview.hidden = true;
    input.value = "";
    if (!confirmed) say(J.t("study_import_cancelled"));
    else say(result ? J.t("study_imported", result) : J.t("study_import_error"));
    render();
    input.focus();
  }

  function importFile(input) {
    var file = input.files && input.files[0];
    if (preview) preview.hidden = true;
    if (!file) return;
    if (file.size > 2 * 1024 * 1024) {
      say(J.t("study_import_error"));
      input.value = "";
      return;
    }
    var reader = new FileReader();
    reader.onload = function () {
      var record = null;
      try {
        record = JSON.parse(String(reader.result));
      } catch (e) {
        record = null;
      }
      showPreview(record, file.name);
      if (!pending) input.value = "";
    };
    reader.onerror = function () {
      say(J.t("study_import_error"));
      input.value = "";
    };
    reader.readAsText(file);
  }

  if (tools) {
    tools.hidden = false;
    var exportButton = tools.querySelector("[data-study-export]");
    var importInput = tools.querySelector("[data-study-import]");
    if (!J.available) {
      all(tools, "button, input, label, .file-field").forEach(function (el) { el.hidden = true; });
      say(J.t("storage_unavailable"));
    }
    if (exportButton) exportButton.addEventListener("click", exportRecord);
    if (importInput) {
      importInput.addEventListener("change", function () { importFile(importInput); });
      if (preview) {
        preview.querySelector("[data-study-import-confirm]").addEventListener("click", function () {
          finishImport(true, importInput);
        });
        preview.querySelector("[data-study-import-cancel]").addEventListener("click", function () {
          finishImport(false, importInput);
        });
      }
    }
  }

  if (clearSection && J.available) {
    clearSection.hidden = false;
    var clearButton = clearSection.querySelector("[data-study-clear]");
    clearButton.addEventListener("click", function () {
      if (window.confirm(J.t("study_clear_confirm"))) {
        J.clear();
        render();
        say(J.t("study_cleared"), clearMessage);
      }
    });
  }

  window.addEventListener("storage", function (event) {
    if (event.key === J.key || event.key === TIER_KEY || event.key === null) render();
  });

  render();
})();
