// jiangtang serve: live reload in the browser. Injected by the dev server into every
// HTML page it serves (never part of a built site). Plain ES2019, no dependencies, no
// inline code or styles in markup, so it runs under the portal's strict CSP.
//
// - Listens for the server's events through worker.js (a SharedWorker: one connection
//   for all open tabs), or its own EventSource where SharedWorker is unavailable.
// - hello/reload: reloads when the server has a newer build than this page, keeping
//   the scroll position.
// - css: swaps the stylesheets in place, no reload.
// - error: shows the build's diagnostics over the page (built with DOM APIs and
//   textContent only) until the next good build.
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || window.jiangtangLive) return;

  var here = script.src.replace(/live\.js(?:[?#].*)?$/, "");
  var pageBuild = script.getAttribute("data-build") || "";
  var SCROLL_KEY = "jiangtang-live-scroll";
  var OVERLAY_ID = "jiangtang-error-overlay";
  var WARNINGS_ID = "jiangtang-warnings";
  var lang = "zh";
  var reloading = false;

  var TEXT = {
    zh: {
      failed: "生成失败：{n} 个错误",
      kept: "页面仍是上一次成功生成的版本。改正后保存文件，这里会自动更新。",
      error: "错误",
      warning: "警告",
      hint: "修改方法",
      close: "关闭",
      warnings: "{n} 个警告",
      more: "另有 {n} 个警告，见终端。",
    },
    en: {
      failed: "Build failed: {n} error(s)",
      kept: "This page is the last good build. Fix the file and save; this updates by itself.",
      error: "error",
      warning: "warning",
      hint: "how to fix",
      close: "Close",
      warnings: "{n} warning(s)",
      more: "{n} more in the terminal.",
    },
  };

  // What tests (and curious editors) can look at.
  var api = { via: "", events: [], build: pageBuild };
  window.jiangtangLive = api;

  function t(key, n) {
    return TEXT[lang][key].split("{n}").join(String(n));
  }

  restoreScroll();
  connect();

  function connect() {
    if (typeof SharedWorker === "function") {
      try {
        var worker = new SharedWorker(here + "worker.js", { name: "jiangtang-live" });
        var fellBack = false;
        worker.addEventListener("error", function () {
          if (!fellBack) {
            fellBack = true;
            direct();
          }
        });
        worker.port.onmessage = function (e) {
          var m = e.data || {};
          handle(m.type, m.data);
        };
        window.addEventListener("pagehide", function () {
          worker.port.postMessage({ type: "bye" });
        });
        window.addEventListener("pageshow", function (e) {
          if (e.persisted) worker.port.postMessage({ type: "hi" });
        });
        api.via = "worker";
        return;
      } catch (err) {
        // Workers blocked (policy, private mode): use a connection of our own.
      }
    }
    direct();
  }

  function direct() {
    api.via = "direct";
    var source = new EventSource(here + "events");
    ["hello", "reload", "css", "error"].forEach(function (type) {
      source.addEventListener(type, function (e) {
        var data;
        try {
          data = JSON.parse(e.data);
        } catch (err) {
          return;
        }
        handle(type, data);
      });
    });
    source.addEventListener("error", function () {
      // A closed stream (the server answered something else) is not retried by the
      // browser: try again ourselves.
      if (source.readyState === 2) {
        setTimeout(direct, 2000);
      }
    });
  }

  function handle(type, data) {
    if (!data || reloading) return;
    if (data.lang) lang = data.lang === "en" ? "en" : "zh";
    api.events.push(type);
    if (type === "hello" || type === "reload") {
      if (data.error) {
        showError(data.error);
      } else if (data.build && data.build !== pageBuild) {
        reload();
      } else {
        clearError();
        showWarnings(data.warnings);
      }
    } else if (type === "css") {
      pageBuild = data.build;
      api.build = pageBuild;
      clearError();
      swapStyles(data.swap || {}, data.build);
      showWarnings(data.warnings);
    } else if (type === "error") {
      showError(data.error);
    }
  }

  // ---------------------------------------------------------------------------
  // Reloading, keeping the scroll position

  function reload() {
    reloading = true;
    try {
      sessionStorage.setItem(
        SCROLL_KEY,
        JSON.stringify({
          path: location.pathname + location.search,
          x: window.pageXOffset,
          y: window.pageYOffset,
        })
      );
    } catch (err) {
      // Storage switched off: the browser's own scroll restoration still applies.
    }
    location.reload();
  }

  function restoreScroll() {
    var saved = null;
    try {
      saved = JSON.parse(sessionStorage.getItem(SCROLL_KEY) || "null");
      sessionStorage.removeItem(SCROLL_KEY);
    } catch (err) {
      return;
    }
    if (!saved || saved.path !== location.pathname + location.search) return;
    var go = function () {
      window.scrollTo(saved.x, saved.y);
    };
    go();
    if (document.readyState !== "complete") window.addEventListener("load", go);
  }

  // ---------------------------------------------------------------------------
  // Stylesheets swapped in place

  function swapStyles(swap, build) {
    var links = document.querySelectorAll('link[rel~="stylesheet"]');
    for (var i = 0; i < links.length; i++) {
      var link = links[i];
      var url;
      try {
        url = new URL(link.href, location.href);
      } catch (err) {
        continue;
      }
      if (url.origin !== location.origin) continue;
      var renamed = Object.prototype.hasOwnProperty.call(swap, url.pathname) ? swap[url.pathname] : "";
      var next = new URL(renamed || url.pathname, location.href);
      next.search = url.search;
      if (!renamed) next.searchParams.set("jiangtang", build);
      replaceLink(link, next.href);
    }
  }

  // The new sheet goes in beside the old one, which leaves once the new one has
  // loaded: no flash of unstyled page.
  function replaceLink(link, href) {
    var fresh = link.cloneNode(false);
    fresh.href = href;
    fresh.addEventListener("load", function () {
      if (link.parentNode) link.parentNode.removeChild(link);
    });
    fresh.addEventListener("error", function () {
      if (fresh.parentNode) fresh.parentNode.removeChild(fresh);
    });
    link.parentNode.insertBefore(fresh, link.nextSibling);
  }

  // ---------------------------------------------------------------------------
  // The error overlay and the warnings box

  function el(tag, style, text) {
    var node = document.createElement(tag);
    if (style) {
      for (var key in style) {
        if (Object.prototype.hasOwnProperty.call(style, key)) node.style[key] = style[key];
      }
    }
    if (text !== undefined) node.textContent = text;
    return node;
  }

  var FONT = 'system-ui, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Zen Hei", sans-serif';
  var MONO = 'ui-monospace, Menlo, Consolas, "DejaVu Sans Mono", monospace';

  function remove(id) {
    var node = document.getElementById(id);
    if (node && node.parentNode) node.parentNode.removeChild(node);
  }

  function clearError() {
    remove(OVERLAY_ID);
  }

  function diagnosticItem(d) {
    var li = el("li", { margin: "0 0 1rem", padding: "0" });
    var head = el("p", { margin: "0 0 .25rem" });
    head.appendChild(
      el("code", { fontFamily: MONO, fontSize: ".95em", background: "#f3f3f3", padding: ".1em .3em", borderRadius: "3px", wordBreak: "break-all" }, d.location)
    );
    var label = d.severity === "warning" ? t("warning") : t("error");
    head.appendChild(document.createTextNode(" "));
    head.appendChild(el("strong", { color: d.severity === "warning" ? "#8a5a00" : "#b71c1c" }, label + "："));
    head.appendChild(document.createTextNode(pick(d.message)));
    li.appendChild(head);
    var hint = pick(d.hint);
    if (hint) li.appendChild(el("p", { margin: "0", color: "#333" }, t("hint") + "：" + hint));
    return li;
  }

  function pick(text) {
    if (!text) return "";
    return text[lang] || text.zh || text.en || "";
  }

  function showError(error) {
    clearError();
    var diagnostics = (error && error.diagnostics) || [];
    var box = el("div", {
      position: "fixed",
      top: "0",
      right: "0",
      bottom: "0",
      left: "0",
      zIndex: "2147483647",
      overflow: "auto",
      background: "rgba(30, 30, 30, .72)",
      padding: "5vh 1rem",
      boxSizing: "border-box",
      textAlign: "left",
    });
    box.id = OVERLAY_ID;
    box.setAttribute("role", "alertdialog");
    box.setAttribute("aria-modal", "false");
    box.setAttribute("aria-labelledby", OVERLAY_ID + "-title");
    var panel = el("div", {
      maxWidth: "56rem",
      margin: "0 auto",
      background: "#fff",
      color: "#1a1a1a",
      borderTop: "6px solid #c62828",
      borderRadius: "4px",
      padding: "1.25rem 1.5rem",
      font: "16px/1.6 " + FONT,
      boxShadow: "0 8px 32px rgba(0, 0, 0, .35)",
    });
    var title = el("h2", { margin: "0 0 .5rem", fontSize: "1.3rem", color: "#b71c1c" }, t("failed", error ? error.errors : 0));
    title.id = OVERLAY_ID + "-title";
    panel.appendChild(title);
    panel.appendChild(el("p", { margin: "0 0 1rem", color: "#444" }, t("kept")));
    var list = el("ol", { margin: "0", padding: "0 0 0 1.5rem" });
    for (var i = 0; i < diagnostics.length; i++) list.appendChild(diagnosticItem(diagnostics[i]));
    panel.appendChild(list);
    var close = el("button", {
      font: "inherit",
      padding: ".3rem 1rem",
      marginTop: ".5rem",
      cursor: "pointer",
    }, t("close"));
    close.type = "button";
    close.addEventListener("click", clearError);
    panel.appendChild(close);
    box.appendChild(panel);
    (document.body || document.documentElement).appendChild(box);
  }

  function showWarnings(warnings) {
    remove(WARNINGS_ID);
    var items = (warnings && warnings.items) || [];
    var total = (warnings && warnings.total) || items.length;
    if (!total) return;
    var box = el("div", {
      position: "fixed",
      right: "1rem",
      bottom: "1rem",
      zIndex: "2147483646",
      maxWidth: "min(40rem, calc(100vw - 2rem))",
      maxHeight: "50vh",
      overflow: "auto",
      background: "#fff8e1",
      color: "#1a1a1a",
      border: "1px solid #c79100",
      borderRadius: "4px",
      font: "14px/1.5 " + FONT,
      boxShadow: "0 4px 16px rgba(0, 0, 0, .2)",
    });
    box.id = WARNINGS_ID;
    box.setAttribute("role", "status");
    var toggle = el("button", {
      font: "inherit",
      background: "transparent",
      border: "0",
      padding: ".4rem .8rem",
      cursor: "pointer",
      color: "#6d4c00",
    }, "⚠ " + t("warnings", total));
    toggle.type = "button";
    toggle.setAttribute("aria-expanded", "false");
    var list = el("ol", { margin: "0", padding: "0 1rem .5rem 2.2rem", display: "none" });
    for (var i = 0; i < items.length; i++) list.appendChild(diagnosticItem(items[i]));
    if (total > items.length) list.appendChild(el("li", { listStyle: "none" }, t("more", total - items.length)));
    toggle.addEventListener("click", function () {
      var open = list.style.display === "none";
      list.style.display = open ? "block" : "none";
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
    var close = el("button", {
      font: "inherit",
      background: "transparent",
      border: "0",
      padding: ".4rem .8rem",
      cursor: "pointer",
      float: "right",
    }, "×");
    close.type = "button";
    close.setAttribute("aria-label", t("close"));
    close.addEventListener("click", function () {
      remove(WARNINGS_ID);
    });
    box.appendChild(close);
    box.appendChild(toggle);
    box.appendChild(list);
    (document.body || document.documentElement).appendChild(box);
  }
})();
