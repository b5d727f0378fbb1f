/*
 * schedule.js — keeps the lecture schedule right after the site was built.
 *
 * The build decides "upcoming", "past" and "本周" on the day it runs. Every lecture card
 * (.lecture-card) and lecture page (article[data-lecture]) carries data-start / data-end
 * as local times of the site timezone (UTC+8, "2026-03-15T09:00"); this script compares
 * them with the reader's clock so a site published last week still reads correctly:
 *  - lectures.html: cards are moved between "即将开始" (soonest first, grouped by month)
 *    and "往期讲座" (newest month first, folded); cancelled ones follow the upcoming
 *    months in a group of their own; the series filter (?series=周周学)
 *    narrows both lists.
 *  - home page ([data-schedule-home]): lectures that are over are hidden; the 本周 / 下周
 *    strip ([data-week-strip]) takes this week's and next week's sessions, still to
 *    come, from the items the build wrote for the weeks ahead (cancelled ones last).
 *  - a repeating lecture's card ([data-run], every session to come in one card) and
 *    page name its next session and move with it, showing that session's speaker and
 *    topic ([data-session]) when the series gives each its own; the page marks 下次 in
 *    its list of sessions and is over only when its last session is.
 *  - everywhere: the "本周" badge and highlight; on a lecture page "进行中" / "已结束"
 *    (a lecture that was postponed or cancelled shows that instead), and "添加到日历"
 *    only while it is still to come.
 * Without JavaScript the build-time lists show unchanged.
 */
(function () {
  "use strict";

  var J = window.Jiangtang || {};
  var t = J.t || function (key) { return key; };
  var OFFSET = 8 * 3600 * 1000; // the site timezone, Asia/Shanghai (no daylight saving)
  var DAY = 24 * 3600 * 1000;
  var now = Date.now();

  function all(root, selector) {
    return Array.prototype.slice.call(root.querySelectorAll(selector));
  }

  /* "2026-03-15T09:00" (UTC+8) -> epoch milliseconds; NaN when unreadable */
  function parseLocal(s) {
    var m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(s || "");
    if (!m) return NaN;
    return Date.UTC(+m[1], +m[2] - 1, +m[3], +(m[4] || 0), +(m[5] || 0), +(m[6] || 0)) - OFFSET;
  }

  /* Monday 00:00 of the current week in UTC+8, as epoch milliseconds */
  function weekStart(time) {
    var local = new Date(time + OFFSET); // its UTC fields are the UTC+8 wall clock
    var sinceMonday = (local.getUTCDay() + 6) % 7;
    return Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() - sinceMonday) - OFFSET;
  }

  var monday = weekStart(now);

  /* "2026-12-11T16:00" -> the theme's "12月11日" */
  function shortDate(local) {
    var m = /^(\d{4})-(\d{2})-(\d{2})/.exec(local);
    return m ? t("short_date_format", { month: +m[2], day: +m[3] }) : local;
  }

  /* The next session of a repeating lecture's card or page ([data-run]: "start/end"
     pairs) by the reader's clock, else its last; it becomes the element's
     data-start / data-end, so the lecture is over only when its last session is. */
  function nextSession(el) {
    var runs = el.getAttribute("data-run").split(" ").map(function (pair) {
      var p = pair.split("/");
      return { start: p[0], end: p[1] || p[0] };
    });
    var next = runs.filter(function (r) { return parseLocal(r.end) > now; })[0] || runs[runs.length - 1];
    if (next) {
      el.setAttribute("data-start", next.start);
      el.setAttribute("data-end", next.end);
    }
    return next;
  }

  /* ---- a repeating lecture's card: its next session by the reader's clock ---- */
  all(document, ".lecture-card[data-run]").forEach(function (card) {
    var next = nextSession(card);
    if (!next) return;
    var m = /^(\d{4})-(\d{2})/.exec(next.start);
    if (m) {
      card.setAttribute("data-month", m[1] + "-" + m[2]);
      card.setAttribute("data-month-label", t("month_format", { year: +m[1], month: +m[2] }));
    }
    var time = card.querySelector("[data-next-date]");
    if (time) {
      time.textContent = shortDate(next.start);
      time.setAttribute("datetime", next.start);
    }
    // A series whose sessions have their own speakers and topics: the next one's.
    all(card, "[data-session]").forEach(function (note) {
      note.hidden = note.getAttribute("data-session") !== next.start;
    });
  });

  /* ---- a repeating lecture's page: the header and 下次 follow the next session ---- */
  all(document, "article[data-lecture][data-run]").forEach(function (article) {
    var next = nextSession(article);
    if (!next) return;
    var over = !(parseLocal(next.end) > now);
    var header = article.querySelector(".page-header");
    var time = header && header.querySelector("[data-next-date]");
    all(article, ".sessions li[data-session-end]").forEach(function (item) {
      var when = item.querySelector("time[datetime]");
      var start = when ? when.getAttribute("datetime") : "";
      var isNext = !over && start === next.start;
      item.classList.toggle("is-past", !(parseLocal(item.getAttribute("data-session-end")) > now));
      item.classList.toggle("is-next", isNext);
      var badge = item.querySelector("[data-next-badge]");
      if (badge) badge.hidden = !isNext;
      // The list writes each session's date in full; the header takes the next one's.
      if (start === next.start && time && when) {
        time.textContent = when.textContent;
        time.setAttribute("datetime", start);
      }
    });
    if (!header) return;
    var badge = header.querySelector("[data-next-badge]");
    if (badge) badge.hidden = over;
    // A series whose sessions have their own speakers and topics: the next one's.
    all(header, "[data-session]").forEach(function (row) {
      row.hidden = row.getAttribute("data-session") !== next.start;
    });
  });

  /* Decides the state of one card or lecture page from its data attributes. */
  function state(el) {
    var start = parseLocal(el.getAttribute("data-start"));
    var end = parseLocal(el.getAttribute("data-end"));
    if (isNaN(end) || end < start) end = start;
    if (isNaN(start)) return null;
    var upcoming = end > now; // a lecture under way still counts as upcoming
    return {
      start: start,
      upcoming: upcoming,
      running: start <= now && now < end,
      thisWeek: upcoming && start >= monday && start < monday + 7 * DAY
    };
  }

  function mark(el, s) {
    el.classList.toggle("is-this-week", s.thisWeek);
    el.classList.toggle("is-past", !s.upcoming);
    var badge = el.querySelector("[data-week-badge]");
    if (badge) badge.hidden = !s.thisWeek;
  }

  /* ---- every lecture card and the lecture page ---- */
  var cards = all(document, ".lecture-card[data-start]");
  var states = cards.map(function (card) {
    var s = state(card);
    if (s) mark(card, s);
    return s;
  });

  all(document, "article[data-lecture]").forEach(function (article) {
    var s = state(article);
    if (!s) return;
    mark(article, s);
    var badge = article.querySelector("[data-time-badge]");
    if (badge) {
      badge.textContent = s.running ? t("lecture_running") : s.upcoming ? "" : t("lecture_over");
      badge.hidden = badge.textContent === "";
    }
    // Nothing to add to a calendar once the lecture is over.
    var button = article.querySelector("[data-calendar-button]");
    if (button) button.hidden = !s.upcoming;
  });

  /* ---- home page: hide what is already over ---- */
  all(document, "[data-schedule-home]").forEach(function (list) {
    var visible = 0;
    cards.forEach(function (card, i) {
      if (!list.contains(card) || !states[i]) return;
      card.hidden = !states[i].upcoming;
      if (!card.hidden) visible += 1;
    });
    var empty = document.querySelector("[data-schedule-empty=home]");
    if (empty) empty.hidden = visible > 0;
  });

  /* ---- home page: the 本周 / 下周 strip ---- */
  all(document, "[data-week-strip]").forEach(function (strip) {
    var lists = ["this", "next", "later"].map(function (w) {
      var box = strip.querySelector("[data-week=" + w + "]");
      return box.tagName === "OL" ? box : box.querySelector("ol");
    });
    var entries = [];
    lists.forEach(function (list) {
      all(list, ".week-item").forEach(function (li) {
        var s = state(li);
        if (s) entries.push({ li: li, s: s, cancelled: li.getAttribute("data-status") === "cancelled" });
      });
    });
    entries.sort(function (a, b) {
      return (a.cancelled - b.cancelled) || (a.s.start - b.s.start);
    });
    var counts = [0, 0];
    entries.forEach(function (e) {
      var week = Math.floor((e.s.start - monday) / (7 * DAY));
      // Over, or beyond next week: kept out of sight for a later day.
      var slot = e.s.upcoming && (week === 0 || week === 1) ? week : 2;
      // A session under way since before Monday still belongs to this week.
      if (e.s.upcoming && week < 0) slot = 0;
      if (slot < 2) counts[slot] += 1;
      lists[slot].appendChild(e.li);
    });
    ["this", "next"].forEach(function (w, i) {
      var none = strip.querySelector("[data-week=" + w + "] .week-none");
      if (none) none.hidden = counts[i] > 0;
    });
    // Past the weeks the build wrote, the strip cannot know: it says so.
    var stale = parseLocal(strip.getAttribute("data-until")) <= monday + 14 * DAY;
    var columns = strip.querySelector(".week-columns");
    if (columns) columns.hidden = stale || counts[0] + counts[1] === 0;
    var empty = strip.querySelector("[data-week-empty]");
    if (empty) empty.hidden = stale || counts[0] + counts[1] > 0;
    var staleNote = strip.querySelector("[data-week-stale]");
    if (staleNote) staleNote.hidden = !stale;
  });

  /* ---- schedule page: re-split upcoming / past, series filter ---- */
  var upBox = document.querySelector("[data-schedule-upcoming]");
  var pastBox = document.querySelector("[data-schedule-past]");
  if (!upBox || !pastBox) return;

  var items = [];
  cards.forEach(function (card, i) {
    if (states[i] && (upBox.contains(card) || pastBox.contains(card))) {
      items.push({ card: card, s: states[i] });
    }
  });
  var moved = items.some(function (it) {
    return it.s.upcoming !== upBox.contains(it.card);
  });

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function cancelled(it) {
    return it.card.getAttribute("data-status") === "cancelled";
  }

  /* Groups items by month: [{month, label, items}] in the order of `list`; with
     `apart`, cancelled ones form a group of their own (the list puts them last). */
  function byMonth(list, apart) {
    var groups = [];
    list.forEach(function (it) {
      var own = apart && cancelled(it);
      var month = own ? "cancelled" : it.card.getAttribute("data-month");
      var last = groups[groups.length - 1];
      if (!last || last.month !== month) {
        var label = own ? t("cancelled_group") : it.card.getAttribute("data-month-label") || month;
        last = { month: month, label: label, items: [] };
        groups.push(last);
      }
      last.items.push(it);
    });
    return groups;
  }

  function rebuild() {
    var openMonths = all(pastBox, "details[open]").map(function (d) { return d.getAttribute("data-month"); });
    var upcoming = items.filter(function (it) { return it.s.upcoming; })
      .sort(function (a, b) { return (cancelled(a) - cancelled(b)) || (a.s.start - b.s.start); });
    var past = items.filter(function (it) { return !it.s.upcoming; })
      .sort(function (a, b) { return b.s.start - a.s.start; });

    upBox.textContent = "";
    byMonth(upcoming, true).forEach(function (g) {
      var section = el("section", "month-group");
      section.setAttribute("data-month", g.month);
      section.appendChild(el("h3", "month-title", g.label));
      var ol = el("ol", "card-list lecture-list");
      g.items.forEach(function (it) { ol.appendChild(it.card); });
      section.appendChild(ol);
      upBox.appendChild(section);
    });

    pastBox.textContent = "";
    byMonth(past, false).forEach(function (g) {
      var details = el("details", "month-group");
      details.setAttribute("data-month", g.month);
      details.open = openMonths.indexOf(g.month) !== -1;
      var summary = el("summary");
      summary.appendChild(el("span", "month-title", g.label));
      summary.appendChild(document.createTextNode(" "));
      summary.appendChild(el("span", "count"));
      details.appendChild(summary);
      var ol = el("ol", "card-list lecture-list");
      g.items.forEach(function (it) { ol.appendChild(it.card); });
      details.appendChild(ol);
      pastBox.appendChild(details);
    });
  }

  if (moved) rebuild();

  var form = document.querySelector("form[data-schedule-filter]");
  var select = form ? form.querySelector("select[name=series]") : null;
  var status = form ? form.querySelector("[data-filter-status]") : null;

  /* Lectures (pages) and sessions the cards of `list` stand for. */
  function tally(list) {
    var lectures = {};
    var sessions = 0;
    list.forEach(function (it) {
      lectures[it.card.getAttribute("data-lecture")] = true;
      sessions += +(it.card.getAttribute("data-session-count") || 1);
    });
    return { lectures: Object.keys(lectures).length, sessions: sessions };
  }
  var total = tally(items);

  /* Shows the cards of the chosen series; updates month counts, empty notes, status. */
  function filter() {
    var series = select ? select.value : "";
    items.forEach(function (it) {
      it.card.hidden = series !== "" && it.card.getAttribute("data-series") !== series;
    });
    var shown = tally(items.filter(function (it) { return !it.card.hidden; }));
    all(document, "[data-schedule-upcoming] .month-group, [data-schedule-past] .month-group").forEach(function (group) {
      var visible = all(group, ".lecture-card").filter(function (c) { return !c.hidden; }).length;
      group.hidden = visible === 0;
      var count = group.querySelector("summary .count");
      if (count) count.textContent = t("lecture_count", { count: visible });
    });
    [["upcoming", upBox], ["past", pastBox]].forEach(function (pair) {
      var note = document.querySelector("[data-schedule-empty=" + pair[0] + "]");
      var any = all(pair[1], ".lecture-card").some(function (c) { return !c.hidden; });
      if (note) note.hidden = any;
    });
    if (status) {
      status.textContent = series ? t("filter_status_lectures", {
        count: shown.lectures, total: total.lectures, sessions: shown.sessions, total_sessions: total.sessions
      }) : "";
    }
  }

  if (select) {
    var wanted = new URLSearchParams(window.location.search).get("series");
    if (wanted && all(select, "option").some(function (o) { return o.value === wanted; })) {
      select.value = wanted;
    }
    select.addEventListener("change", function () {
      filter();
      var params = new URLSearchParams(window.location.search);
      if (select.value) params.set("series", select.value);
      else params.delete("series");
      var query = params.toString();
      try {
        window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
      } catch (e) { /* ignore: filtering still works */ }
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.hidden = false;
  }
  filter();
})();
