/*
 * table-sort.js — report tables (table[data-sortable]) sorted by a click on a column
 * header, or Enter / Space on it: each header with data-sort ("number" or "text") gets
 * a button; the sorted column carries aria-sort. A cell's data-value, when it has one,
 * is what it sorts by (a unit's place in pinyin order, a date). Numbers sort largest
 * first on the first click, text A→Z; a second click reverses. Rows that compare equal
 * keep their order. Without JavaScript the table is the same, in its first order.
 * A table written in the order of one of its columns says which (data-sorted, the
 * column's index), so that header shows it is sorted; a table in an order of its own
 * (a rota's list) shows none until the reader sorts.
 * Plain ES2019, no dependencies.
 */
(function () {
  "use strict";

  function key(row, col, type) {
    var cell = row.children[col];
    if (!cell) return type === "number" ? 0 : "";
    var raw = cell.hasAttribute("data-value") ? cell.getAttribute("data-value") : cell.textContent.trim();
    if (type === "number" || cell.hasAttribute("data-value")) {
      var n = parseFloat(raw);
      if (!isNaN(n) && String(n) === raw.replace(/^0+(?=\d)/, "")) return n;
    }
    return raw;
  }

  function compare(a, b) {
    if (typeof a === "number" && typeof b === "number") return a - b;
    return String(a).localeCompare(String(b), "zh-CN");
  }

  function sortBy(table, th, direction) {
    var body = table.tBodies[0];
    var col = Array.prototype.indexOf.call(th.parentNode.children, th);
    var type = th.getAttribute("data-sort");
    var rows = Array.prototype.slice.call(body.rows).map(function (row, i) {
      return { row: row, key: key(row, col, type), i: i };
    });
    var sign = direction === "descending" ? -1 : 1;
    rows.sort(function (x, y) {
      return sign * compare(x.key, y.key) || x.i - y.i;
    });
    rows.forEach(function (r) { body.appendChild(r.row); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) {
      if (h === th) h.setAttribute("aria-sort", direction);
      else h.removeAttribute("aria-sort");
    });
  }

  function setUp(table) {
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(heads, function (th, n) {
      if (!th.hasAttribute("data-sort")) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort-button";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      if (String(n) === table.getAttribute("data-sorted")) th.setAttribute("aria-sort", "ascending");
      button.addEventListener("click", function () {
        var now = th.getAttribute("aria-sort");
        var first = th.getAttribute("data-sort") === "number" ? "descending" : "ascending";
        var next = now === "ascending" ? "descending" : now === "descending" ? "ascending" : first;
        sortBy(table, th, next);
      });
    });
    var hint = table.querySelector(".sort-hint");
    if (hint) hint.hidden = false;
  }

  Array.prototype.forEach.call(document.querySelectorAll("table[data-sortable]"), setUp);
})();
