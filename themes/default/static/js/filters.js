/*
 * filters.js — filters for the course catalogue and the case library.
 *
 * The form (form[data-filter-form], hidden in the HTML) names its list with
 * data-filter-target. Every <select> (or checkbox) whose name is not "sort" filters on
 * the card attribute of the same name: name="level" ↔ data-level="县处级|乡科级"
 * (several values are joined with "|"). The "sort" select's options carry
 * data-sort-key (a card data-* attribute) and data-sort-dir ("asc" | "desc"); the empty
 * option restores the page order.
 *
 * The state is mirrored into the query string (?action=思想淬炼&required=1) and restored
 * from it on load, so a filtered list can be bookmarked or shared. A status line shows
 * how many cards are visible and, for courses, their total 学时.
 * Without JavaScript the form stays hidden and the full list shows.
 */
(function () {
  "use strict";

  var J = window.Jiangtang || {};
  var t = J.t || function (key) { return key; };
  var fmt = J.formatNumber || function (n) { return String(Math.round(n * 10) / 10); };

  function all(root, selector) {
    return Array.prototype.slice.call(root.querySelectorAll(selector));
  }

  function setup(form) {
    var list = document.getElementById(form.getAttribute("data-filter-target"));
    if (!list) return;
    var cards = all(list, ":scope > li");
    var original = cards.slice(); // page order, for "默认顺序"
    var fields = all(form, "select[name], input[type=checkbox][name]");
    var status = form.querySelector("[data-filter-status]");
    var empty = list.parentNode.querySelector("[data-filter-empty]");
    var format = form.getAttribute("data-filter-format") || "filter_status_courses";

    function value(field) {
      if (field.type === "checkbox") return field.checked ? field.value : "";
      return field.value;
    }

    function cardValues(card, name) {
      var raw = card.getAttribute("data-" + name);
      return raw ? raw.split("|") : [];
    }

    function sortCards() {
      var sortField = form.querySelector("select[name=sort]");
      var option = sortField ? sortField.options[sortField.selectedIndex] : null;
      var key = option ? option.getAttribute("data-sort-key") : null;
      var dir = option && option.getAttribute("data-sort-dir") === "asc" ? 1 : -1;
      var order = original.slice();
      if (key) {
        order.sort(function (a, b) {
          var x = a.getAttribute("data-" + key) || "";
          var y = b.getAttribute("data-" + key) || "";
          var nx = parseFloat(x);
          var ny = parseFloat(y);
          var cmp;
          if (key !== "date" && !isNaN(nx) && !isNaN(ny)) {
            cmp = nx - ny;
          } else {
            // ISO dates compare as strings; undated cards go last
            if (!x || !y) return (x ? 0 : 1) - (y ? 0 : 1);
            cmp = x < y ? -1 : x > y ? 1 : 0;
          }
          // stable: equal keys keep the page order
          return cmp * dir || original.indexOf(a) - original.indexOf(b);
        });
      }
      order.forEach(function (card) { list.appendChild(card); });
    }

    function apply() {
      var active = fields.filter(function (f) { return f.name !== "sort" && value(f) !== ""; });
      var count = 0;
      var hours = 0;
      cards.forEach(function (card) {
        var show = active.every(function (f) {
          return cardValues(card, f.name).indexOf(value(f)) !== -1;
        });
        card.hidden = !show;
        if (show) {
          count += 1;
          hours += parseFloat(card.getAttribute("data-hours")) || 0;
        }
      });
      sortCards();
      if (status) {
        status.textContent = t(format, { count: count, total: cards.length, hours: fmt(hours) });
      }
      if (empty) empty.hidden = count > 0;
    }

    /* form state -> query string (other parameters are kept) */
    function saveToUrl() {
      var params = new URLSearchParams(window.location.search);
      fields.forEach(function (f) {
        if (value(f) !== "") params.set(f.name, value(f));
        else params.delete(f.name);
      });
      var query = params.toString();
      var url = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
      try {
        window.history.replaceState(null, "", url);
      } catch (e) { /* file:// or sandboxed: filtering still works */ }
    }

    /* query string -> form state (unknown values are ignored) */
    function loadFromUrl() {
      var params = new URLSearchParams(window.location.search);
      fields.forEach(function (f) {
        var v = params.get(f.name);
        if (f.type === "checkbox") {
          f.checked = v !== null && v === f.value;
        } else if (v !== null && all(f, "option").some(function (o) { return o.value === v; })) {
          f.value = v;
        } else {
          f.value = "";
        }
      });
    }

    form.addEventListener("change", function () {
      apply();
      saveToUrl();
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.addEventListener("reset", function () {
      // the reset event fires before the fields are cleared
      window.setTimeout(function () {
        apply();
        saveToUrl();
      }, 0);
    });
    window.addEventListener("popstate", function () {
      loadFromUrl();
      apply();
    });

    loadFromUrl();
    apply();
    form.hidden = false;
  }

  all(document, "form[data-filter-form]").forEach(setup);
})();
