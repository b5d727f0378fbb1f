/*
 * filters.js — filters for the course catalogue and the case library.
 *
 * The form (form[data-filter-form], hidden in the HTML) names its list with
 * data-filter-target. Every <select> (or checkbox) whose name is not "sort" filters on
 * the card attribute of the same name: name="level" ↔ data-level="县处级|乡科级"
 * (several values are joined with "|"). The "sort" select's options carry
 * data-sort-key (a card data-* attribute) and data-sort-dir ("asc" | "desc"); the empty
 * option restores the list order.
 *
 * A paged list's form holds [data-filter-index]: the address of the list's card index
 * (src/render/card_index.rs describes it). The filters then cover all of the list's
 * items: a filtered or sorted view shows the matching cards of every page, drawn from
 * the index's shards (the server's own card HTML), page by page with a pagination of
 * the same markup as the server's, on the list's first address. Unfiltered, the page
 * shows what the server wrote. Should the index not load, the filters cover the cards of
 * the page, and a note says so.
 *
 * The state is mirrored into the query string (?action=思想淬炼&required=1&page=2) and
 * restored from it on load, so a filtered list can be bookmarked or shared. A status
 * line shows how many cards match and, for courses, their total 学时.
 * Without JavaScript the form stays hidden and the term pages are the filters.
 */
(function () {
  "use strict";

  var INDEX_FORMAT = 2;
  /* How many numbers show on each side of the current page (AROUND in paging.rs). */
  var AROUND = 2;

  var J = window.Jiangtang || {};
  var t = J.t || function (key) { return key; };
  var fmt = J.formatNumber || function (n) { return String(Math.round(n * 10) / 10); };

  function all(root, selector) {
    return Array.prototype.slice.call(root.querySelectorAll(selector));
  }

  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (m, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : m;
    });
  }

  /* ---- items: what the filters read of a card, from the page or from the index ---- */

  function itemOfCard(card, order, names) {
    var values = {};
    names.forEach(function (name) {
      var raw = card.getAttribute("data-" + name);
      values[name] = raw ? raw.split("|") : [];
    });
    return {
      order: order,
      values: values,
      hours: parseFloat(card.getAttribute("data-hours")) || 0,
      date: card.getAttribute("data-date") || "",
      card: card
    };
  }

  function itemsOfIndex(index) {
    return index.items.map(function (entry, order) {
      var values = {};
      index.fields.forEach(function (name, f) {
        values[name] = entry[2][f].map(function (k) { return index.terms[f][k]; });
      });
      return {
        order: order,
        values: values,
        hours: entry[1],
        date: entry[0],
        shard: Math.floor(order / index.shard) + 1,
        slot: order % index.shard
      };
    });
  }

  function matches(item, active) {
    return active.every(function (f) {
      var values = item.values[f.name] || [];
      return values.indexOf(f.value) !== -1;
    });
  }

  /* items sorted on `key` ("date" or a number), `dir` 1 or -1; equal keys keep the
     list order, undated items go last */
  function sorted(items, key, dir) {
    if (!key) return items;
    var value = function (item) { return key === "hours" ? item.hours : item.date; };
    return items.slice().sort(function (a, b) {
      var x = value(a);
      var y = value(b);
      var cmp;
      if (typeof x === "number") {
        cmp = x - y;
      } else {
        if (!x || !y) return (x ? 0 : 1) - (y ? 0 : 1) || a.order - b.order;
        cmp = x < y ? -1 : x > y ? 1 : 0;
      }
      return cmp * dir || a.order - b.order;
    });
  }

  /* The page numbers a pagination shows: the ends and AROUND on each side of `n`, 0
     for a gap. */
  function pageNumbers(n, pages) {
    var out = [];
    var shown = 0;
    for (var k = 1; k <= pages; k++) {
      if (!(k === 1 || k === pages || Math.abs(k - n) <= AROUND)) continue;
      if (k > shown + 1) out.push(0);
      out.push(k);
      shown = k;
    }
    return out;
  }

  /* ---- the pagination of a filtered view (the markup of _pagination.html) ---- */

  function link(className, href, text) {
    var a = document.createElement("a");
    a.className = className;
    a.href = href;
    a.textContent = text;
    return a;
  }

  /* Page `n` of `pages` holding `count` items, `size` a page: words(key) gives the
     UI's words, href(k) the address of page k. */
  function pagination(n, pages, count, size, words, href) {
    var nav = document.createElement("nav");
    nav.className = "pagination";
    nav.setAttribute("aria-label", words("pagination"));
    nav.setAttribute("data-filter-pager", "");
    var p = document.createElement("p");
    p.className = "pagination-status";
    p.textContent = fill(words("page_status"), {
      current: n, pages: pages, first: (n - 1) * size + 1, last: Math.min(n * size, count), items: count
    });
    nav.appendChild(p);
    var ul = document.createElement("ul");
    ul.className = "pagination-list";
    var item = function (a, rel) {
      if (rel) a.rel = rel;
      var li = document.createElement("li");
      li.appendChild(a);
      ul.appendChild(li);
    };
    if (n > 1) {
      item(link("pagination-step", href(1), words("page_first")));
      item(link("pagination-step", href(n - 1), words("page_prev")), "prev");
    }
    pageNumbers(n, pages).forEach(function (k) {
      if (k === 0) {
        var gap = document.createElement("li");
        gap.className = "pagination-gap";
        gap.setAttribute("aria-hidden", "true");
        gap.textContent = "…";
        ul.appendChild(gap);
        return;
      }
      var a = link("pagination-number", href(k), String(k));
      a.setAttribute("aria-label", fill(words("page_number"), { n: k }));
      if (k === n) a.setAttribute("aria-current", "page");
      item(a, k === n - 1 ? "prev" : k === n + 1 ? "next" : "");
    });
    if (n < pages) {
      item(link("pagination-step", href(n + 1), words("page_next")), "next");
      item(link("pagination-step", href(pages), words("page_last")));
    }
    nav.appendChild(ul);
    return nav;
  }

  /* ---- the form ---- */

  function setup(form) {
    var list = document.getElementById(form.getAttribute("data-filter-target"));
    if (!list) return;
    var fields = all(form, "select[name], input[type=checkbox][name]");
    var names = fields.map(function (f) { return f.name; }).filter(function (n) { return n !== "sort"; });
    var cards = all(list, ":scope > li");
    var pageItems = cards.map(function (card, k) { return itemOfCard(card, k, names); });
    var status = form.querySelector("[data-filter-status]");
    var section = list.parentNode;
    var empty = section.querySelector("[data-filter-empty]");
    var serverPager = section.querySelector("nav.pagination");
    var format = form.getAttribute("data-filter-format") || "filter_status_courses";
    var source = form.querySelector("[data-filter-index]");
    var words = function (key) { return source ? source.getAttribute("data-" + key) || key : key; };
    var pageSize = source ? parseInt(source.getAttribute("data-page-size"), 10) || 30 : 0;
    var ownPath = window.location.pathname;
    /* A filtered view lives at the list's first address. A site built with relative
       links (a relative data-site-base) keeps the page's own: its links are written
       relative to it, and moving the address would take them elsewhere. */
    var relativeLinks = (document.documentElement.getAttribute("data-site-base") || "/").charAt(0) !== "/";
    var listPath = source && !relativeLinks
      ? new URL(source.getAttribute("data-filter-list"), window.location.href).pathname
      : ownPath;
    var index = null; // the card index once read
    var shards = {}; // shard number -> promise of its cards' HTML
    var drawn = 0; // the latest view asked for, so that a slow shard draws nothing stale

    function value(field) {
      if (field.type === "checkbox") return field.checked ? field.value : "";
      return field.value;
    }

    function state() {
      var sortField = form.querySelector("select[name=sort]");
      var option = sortField ? sortField.options[sortField.selectedIndex] : null;
      var key = option ? option.getAttribute("data-sort-key") : null;
      return {
        active: fields.filter(function (f) { return f.name !== "sort" && value(f) !== ""; }),
        sortKey: key,
        sortDir: option && option.getAttribute("data-sort-dir") === "asc" ? 1 : -1
      };
    }

    function showStatus(shown, total) {
      var hours = shown.reduce(function (sum, item) { return sum + item.hours; }, 0);
      if (status) status.textContent = t(format, { count: shown.length, total: total, hours: fmt(hours) });
      if (empty) empty.hidden = shown.length > 0;
    }

    /* The page's own cards, filtered and sorted in place (a list of one page, or the
       index could not be read). */
    function applyToPage() {
      var s = state();
      var shown = pageItems.filter(function (item) { return matches(item, s.active); });
      pageItems.forEach(function (item) { item.card.hidden = shown.indexOf(item) === -1; });
      sorted(pageItems, s.sortKey, s.sortDir).forEach(function (item) { list.appendChild(item.card); });
      showStatus(shown, pageItems.length);
    }

    /* The server's page as it was written: its cards in order and its pagination. */
    function showOwnPage(items) {
      drawn += 1;
      pageItems.forEach(function (item) {
        item.card.hidden = false;
        list.appendChild(item.card);
      });
      all(list, ":scope > li:not([data-filter-own])").forEach(function (li) { list.removeChild(li); });
      removeClientPager();
      if (serverPager) serverPager.hidden = false;
      showStatus(items, items.length);
    }

    function removeClientPager() {
      all(section, "nav.pagination[data-filter-pager]").forEach(function (nav) { nav.parentNode.removeChild(nav); });
    }

    function shard(n) {
      if (!shards[n]) {
        var address = new URL(index.shards.replace("{n}", n), new URL(source.getAttribute("data-filter-index"), window.location.href));
        shards[n] = window.fetch(address.href).then(function (r) {
          if (!r.ok) throw new Error(r.status);
          return r.json();
        });
        shards[n].catch(function () { delete shards[n]; });
      }
      return shards[n];
    }

    /* Page `n` of the items matching the form, over all of the list's items. */
    function applyToAll(items, n) {
      var s = state();
      if (!s.active.length && !s.sortKey) {
        showOwnPage(items);
        return 1;
      }
      var shown = sorted(items.filter(function (item) { return matches(item, s.active); }), s.sortKey, s.sortDir);
      var pages = Math.max(1, Math.ceil(shown.length / pageSize));
      var page = Math.min(Math.max(1, n), pages);
      var slice = shown.slice((page - 1) * pageSize, page * pageSize);
      showStatus(shown, items.length);
      var view = ++drawn;
      var needed = slice.map(function (item) { return item.shard; }).filter(function (k, i, a) { return a.indexOf(k) === i; });
      Promise.all(needed.map(shard)).then(function (loaded) {
        if (view !== drawn) return;
        var html = slice.map(function (item) { return loaded[needed.indexOf(item.shard)][item.slot] || ""; });
        pageItems.forEach(function (item) { item.card.hidden = true; });
        all(list, ":scope > li:not([data-filter-own])").forEach(function (li) { list.removeChild(li); });
        list.insertAdjacentHTML("beforeend", html.join(""));
        if (J.localLinks) all(list, ":scope > li:not([data-filter-own])").forEach(J.localLinks);
        if (serverPager) serverPager.hidden = true;
        removeClientPager();
        if (pages > 1) section.insertBefore(pagerOf(page, pages, shown.length), serverPager || null);
      }).catch(function () {
        if (view === drawn) useThisPageOnly();
      });
      return page;
    }

    /* A filtered view's page `n` of `pages`: its pagination, whose links show the page
       they name in place. */
    function pagerOf(n, pages, count) {
      var nav = pagination(n, pages, count, pageSize, words, urlFor);
      nav.addEventListener("click", function (event) {
        var a = event.target.closest("a[href]");
        if (!a || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
        event.preventDefault();
        try {
          window.history.pushState(null, "", a.getAttribute("href"));
        } catch (e) { /* file:// or sandboxed */ }
        run(pageOf(new URL(a.href).search));
        section.scrollIntoView();
        var heading = section.querySelector("h2");
        if (heading) {
          heading.setAttribute("tabindex", "-1");
          heading.focus({ preventScroll: true });
        }
      });
      return nav;
    }

    /* ---- the URL ---- */

    /* The address of page `n` of the view the form holds: the list's first address
       (see listPath) with the form's state (other parameters are kept); unfiltered, the
       page's own. */
    function urlFor(n) {
      var s = state();
      var params = new URLSearchParams(window.location.search);
      fields.forEach(function (f) {
        if (value(f) !== "") params.set(f.name, value(f));
        else params.delete(f.name);
      });
      params.delete("page");
      var filtered = index && (s.active.length || s.sortKey);
      if (filtered && n > 1) params.set("page", String(n));
      var path = filtered ? listPath : ownPath;
      var query = params.toString();
      return path + (query ? "?" + query : "") + window.location.hash;
    }

    function saveToUrl(n) {
      try {
        window.history.replaceState(null, "", urlFor(n));
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

    function pageOf(search) {
      return parseInt(new URLSearchParams(search).get("page"), 10) || 1;
    }

    /* Shows page `n` of the form's view; returns the page shown. */
    function run(n) {
      if (index) return applyToAll(index.items, n);
      applyToPage();
      return 1;
    }

    function useThisPageOnly() {
      index = null;
      showOwnPage(pageItems);
      var note = form.querySelector("[data-filter-page-only]");
      if (note) note.hidden = false;
      applyToPage();
    }

    function changed() {
      saveToUrl(run(1));
    }

    form.addEventListener("change", changed);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.addEventListener("reset", function () {
      // the reset event fires before the fields are cleared
      window.setTimeout(changed, 0);
    });
    window.addEventListener("popstate", function () {
      loadFromUrl();
      run(pageOf(window.location.search));
    });

    cards.forEach(function (card) { card.setAttribute("data-filter-own", ""); });
    loadFromUrl();
    form.hidden = false;
    if (!source) {
      applyToPage();
      return;
    }
    if (status) status.textContent = words("filter_loading");
    var json = function (address) {
      return window.fetch(address).then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.json();
      });
    };
    var indexAddress = new URL(source.getAttribute("data-filter-index"), window.location.href);
    json(indexAddress.href)
      .then(function (read) {
        if (read.format !== INDEX_FORMAT) throw new Error("index format " + read.format);
        // A long list's items come in parts, the first in the index itself.
        var rest = [];
        for (var n = 2; n <= read.parts; n++) {
          rest.push(json(new URL(read.part.replace("{n}", n), indexAddress).href));
        }
        return Promise.all(rest).then(function (parts) {
          read.items = read.items.concat.apply(read.items, parts);
          return read;
        });
      })
      .then(function (read) {
        index = { shards: read.shards, items: itemsOfIndex(read) };
        var shownPage = run(pageOf(window.location.search));
        if (state().active.length || state().sortKey) saveToUrl(shownPage);
      })
      .catch(useThisPageOnly);
  }

  all(document, "form[data-filter-form]").forEach(setup);
})();
