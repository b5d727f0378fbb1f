// jiangtang serve: one live-reload connection shared by every open tab of the site
// (a SharedWorker started by live.js). Browsers allow only six connections per host
// over HTTP/1.1; one event stream per tab would use them up after six tabs and leave
// page loads waiting. Plain ES2019, no dependencies.
//
// Relays the server's events to every tab and tells a tab that joins later the
// current state as a `hello`.
"use strict";

var ports = [];
var state = null;
var source = null;

function send(port, type, data) {
  try {
    port.postMessage({ type: type, data: data });
  } catch (err) {
    drop(port);
  }
}

function drop(port) {
  var i = ports.indexOf(port);
  if (i >= 0) ports.splice(i, 1);
}

function remember(type, data) {
  if (type === "hello") {
    state = { build: data.build, error: data.error || null, warnings: data.warnings || null, lang: data.lang };
  } else if (!state) {
    return;
  } else if (type === "reload" || type === "css") {
    state.build = data.build;
    state.error = null;
    state.warnings = data.warnings || null;
  } else if (type === "error") {
    state.error = data.error;
  }
}

function open() {
  source = new EventSource(self.location.href.replace(/worker\.js(?:[?#].*)?$/, "events"));
  ["hello", "reload", "css", "error"].forEach(function (type) {
    source.addEventListener(type, function (e) {
      var data;
      try {
        data = JSON.parse(e.data);
      } catch (err) {
        return;
      }
      remember(type, data);
      ports.slice().forEach(function (port) {
        send(port, type, data);
      });
    });
  });
  source.addEventListener("error", function () {
    // The browser retries a dropped stream by itself, but not a refused one.
    if (source.readyState === 2) setTimeout(open, 2000);
  });
}

self.addEventListener("connect", function (e) {
  var port = e.ports[0];
  port.onmessage = function (m) {
    var type = m.data && m.data.type;
    if (type === "bye") {
      drop(port);
    } else if (type === "hi" && ports.indexOf(port) < 0) {
      ports.push(port);
      if (state) send(port, "hello", state);
    }
  };
  ports.push(port);
  if (state) send(port, "hello", state);
  if (!source) open();
});
