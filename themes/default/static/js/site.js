/*
 * site.js — loaded (deferred) on every page before the other theme scripts.
 *  - window.Jiangtang.t(key, values): user-interface strings. They live in the
 *    i18n file and reach the page as data-<key> attributes of #ui-strings.
 *  - formatDate / formatNumber helpers.
 *  - localLinks(element): links in HTML a script fetched, made to work on this page.
 *  - "打印" buttons ([data-print]) are shown and call window.print(); print headers
 *    get the day ([data-print-date]); a course's print view opened as #print prints.
 *  - wide tables get keyboard scrolling; task-list checkboxes get a label.
 * Plain ES2019, no dependencies; the page works without it.
 */
(function () {
  "use strict";

  var J = window.Jiangtang = window.Jiangtang || {};
  var strings = document.getElementById("ui-strings");

  /* t("progress_of", {done: 3, total: 5}) -> "已学 3/5" */
  J.t = function (key, values) {
    var s = strings ? strings.getAttribute("data-" + key) : null;
    if (s === null) s = key;
    if (values) {
      s = s.replace(/\{(\w+)\}/g, function (m, name) {
        return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : m;
      });
    }
    return s;
  };

  /* ISO timestamp -> "2026年3月15日" in the reader's local time */
  J.formatDate = function (iso) {
    var d = new Date(iso);
    if (isNaN(d.getTime())) return "";
    return J.t("date_format", { year: d.getFullYear(), month: d.getMonth() + 1, day: d.getDate() });
  };

  /* 3 -> "3", 2.5 -> "2.5", 0.1 + 0.2 -> "0.3" */
  J.formatNumber = function (n) {
    return String(Math.round(n * 10) / 10);
  };

  /* HTML from a data file (a list's cards, a page of 我的学习's courses) has its links
     root-relative, as a served site writes them. A site built with relative links
     (base_url: "", opened from a folder) says so with a relative data-site-base: there
     each link becomes relative to this page, folders naming their index.html, as the
     build wrote the page's own links. */
  J.localLinks = function (element) {
    var base = document.documentElement.getAttribute("data-site-base") || "/";
    if (base.charAt(0) === "/") return;
    var local = function (url) {
      if (url.charAt(0) !== "/" || url.charAt(1) === "/") return url;
      var cut = url.search(/[?#]/);
      var path = cut < 0 ? url : url.slice(0, cut);
      if (path.charAt(path.length - 1) === "/") path += "index.html";
      return base + path.slice(1) + (cut < 0 ? "" : url.slice(cut));
    };
    var nodes = element.querySelectorAll("[href], [src], [srcset]");
    for (var i = 0; i < nodes.length; i++) {
      var node = nodes[i];
      ["href", "src"].forEach(function (name) {
        if (node.hasAttribute(name)) node.setAttribute(name, local(node.getAttribute(name)));
      });
      if (node.hasAttribute("srcset")) {
        node.setAttribute("srcset", node.getAttribute("srcset").split(",").map(function (part) {
          var words = part.trim().split(/\s+/);
          words[0] = local(words[0]);
          return words.join(" ");
        }).join(", "));
      }
    }
  };

  /* Wide tables scroll sideways inside their wrapper (CSS). When one actually
     overflows, make the scrolling box focusable so the arrow keys can scroll it. */
  function markScrollableTables() {
    var tables = document.querySelectorAll(".content .table-wrap, .content table");
    for (var i = 0; i < tables.length; i++) {
      var table = tables[i];
      if (table.parentNode.classList && table.parentNode.classList.contains("table-wrap")) continue;
      if (table.scrollWidth > table.clientWidth + 1) {
        table.setAttribute("tabindex", "0");
        table.setAttribute("role", "region");
        table.setAttribute("aria-label", J.t("table_scroll"));
      } else if (table.getAttribute("role") === "region") {
        table.removeAttribute("tabindex");
        table.removeAttribute("role");
        table.removeAttribute("aria-label");
      }
    }
  }
  markScrollableTables();
  var resizeTimer = 0;
  window.addEventListener("resize", function () {
    window.clearTimeout(resizeTimer);
    resizeTimer = window.setTimeout(markScrollableTables, 200);
  });

  /* Markdown task lists ("- [x] …") come as bare disabled checkboxes; name their
     state for screen readers (the item's text follows the box). */
  var boxes = document.querySelectorAll('.content li > input[type="checkbox"][disabled]');
  for (var b = 0; b < boxes.length; b++) {
    if (!boxes[b].hasAttribute("aria-label")) {
      boxes[b].setAttribute("aria-label", J.t(boxes[b].checked ? "task_done" : "task_todo"));
    }
  }

  var printButtons = document.querySelectorAll("[data-print]");
  for (var i = 0; i < printButtons.length; i++) {
    printButtons[i].hidden = false;
    printButtons[i].addEventListener("click", function () {
      window.print();
    });
  }

  /* The day a page is printed, not built: the built page stays the same every day. */
  var printDates = document.querySelectorAll("[data-print-date]");
  var today = J.t("print_date", { date: J.formatDate(new Date().toISOString()) });
  for (var d = 0; d < printDates.length; d++) printDates[d].textContent = today;

  /* 打印讲义 on a course page opens its print view as #print: print it once it has
     loaded (images included), and not again on reload. */
  if (location.hash === "#print" && document.querySelector("[data-print-view]")) {
    history.replaceState(null, "", location.pathname + location.search);
    var printWhenLoaded = function () { window.print(); };
    if (document.readyState === "complete") printWhenLoaded();
    else window.addEventListener("load", printWhenLoaded);
  }
})();
