//! Live reload over Server-Sent Events: the open connections, the state every new
//! connection is told first (`hello`), and the events sent after each build (`reload`,
//! `css`, `error`). Same origin and port as the pages, under the base path.
//!
//! Each connection has its own small thread and a bounded queue, so a slow or dead
//! browser tab never holds up the others or the page requests. A comment line is sent
//! every heartbeat; writing to a closed connection fails and ends its thread, which is
//! how disconnected clients are freed.

use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{RecvTimeoutError, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use serde_json::{Value, json};

use crate::diagnostic::{Diagnostic, Severity};

/// Events a connection may queue before it counts as stuck and is dropped.
const QUEUE: usize = 64;
/// Warnings sent to the browser at most (all of them are in the terminal).
const WARNINGS_SHOWN: usize = 50;

/// What a browser tab needs to know on connecting.
#[derive(Debug, Clone, Default)]
struct State {
    /// The build the server answers from (`""` before the first good build).
    build: String,
    /// The diagnostics of the failed build, while the last build failed.
    error: Option<Value>,
    /// Warnings of the build being served.
    warnings: Value,
}

struct Client {
    queue: SyncSender<Arc<str>>,
    alive: Arc<AtomicBool>,
}

struct Inner {
    clients: Vec<Client>,
    state: State,
}

/// The live-reload connections and the state they are told about.
pub(crate) struct Hub {
    inner: Mutex<Inner>,
    connected: AtomicUsize,
    heartbeat: Duration,
    lang: &'static str,
}

impl Hub {
    pub(crate) fn new(heartbeat: Duration, lang: crate::Lang) -> Hub {
        Hub {
            inner: Mutex::new(Inner {
                clients: Vec::new(),
                state: State {
                    warnings: warnings_json(&[]),
                    ..State::default()
                },
            }),
            connected: AtomicUsize::new(0),
            heartbeat,
            lang: match lang {
                crate::Lang::Zh => "zh",
                crate::Lang::En => "en",
            },
        }
    }

    /// Open live-reload connections.
    pub(crate) fn connected(&self) -> usize {
        self.connected.load(Ordering::SeqCst)
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic elsewhere must not take live reload down with it.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Takes over a request's connection as an event stream: writes the response head,
    /// then `hello` and every later event until the browser goes away.
    pub(crate) fn attach(self: &Arc<Self>, mut writer: Box<dyn Write + Send>, http10: bool) {
        let (tx, rx) = sync_channel::<Arc<str>>(QUEUE);
        let alive = Arc::new(AtomicBool::new(true));
        {
            let mut inner = self.lock();
            inner.clients.retain(|c| c.alive.load(Ordering::SeqCst));
            // `hello` goes first, under the lock, so no event can slip in between.
            let hello = self.hello(&inner.state);
            if tx.try_send(hello).is_err() {
                return;
            }
            inner.clients.push(Client {
                queue: tx,
                alive: Arc::clone(&alive),
            });
        }
        self.connected.fetch_add(1, Ordering::SeqCst);
        let hub = Arc::clone(self);
        let thread_alive = Arc::clone(&alive);
        let spawned = std::thread::Builder::new()
            .name("jiangtang-live".into())
            .spawn(move || {
                let head = format!(
                    "HTTP/1.{} 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-cache, no-transform\r\nX-Accel-Buffering: no\r\nX-Content-Type-Options: nosniff\r\n\r\nretry: 1000\n\n",
                    if http10 { 0 } else { 1 }
                );
                let mut ok = writer
                    .write_all(head.as_bytes())
                    .and_then(|()| writer.flush())
                    .is_ok();
                while ok {
                    let chunk: Arc<str> = match rx.recv_timeout(hub.heartbeat) {
                        Ok(event) => event,
                        Err(RecvTimeoutError::Timeout) => Arc::from(":\n\n"),
                        Err(RecvTimeoutError::Disconnected) => break,
                    };
                    ok = writer
                        .write_all(chunk.as_bytes())
                        .and_then(|()| writer.flush())
                        .is_ok();
                }
                thread_alive.store(false, Ordering::SeqCst);
                hub.connected.fetch_sub(1, Ordering::SeqCst);
            });
        if spawned.is_err() {
            alive.store(false, Ordering::SeqCst);
            self.connected.fetch_sub(1, Ordering::SeqCst);
        }
    }

    fn hello(&self, state: &State) -> Arc<str> {
        event(
            "hello",
            &json!({
                "build": state.build,
                "error": state.error,
                "warnings": state.warnings,
                "lang": self.lang,
            }),
        )
    }

    /// A new build is being served: every tab not showing it reloads.
    pub(crate) fn reload(&self, build: &str, warnings: &[Diagnostic]) {
        let warnings = warnings_json(warnings);
        let mut inner = self.lock();
        inner.state = State {
            build: build.to_string(),
            error: None,
            warnings: warnings.clone(),
        };
        let e = event(
            "reload",
            &json!({"build": build, "warnings": warnings, "lang": self.lang}),
        );
        broadcast(&mut inner, e);
    }

    /// A new build that differs only in stylesheets: tabs swap `swap` (old URL path →
    /// new URL path) and re-fetch their other same-origin stylesheets, without reloading.
    pub(crate) fn css(&self, build: &str, swap: &Value, warnings: &[Diagnostic]) {
        let warnings = warnings_json(warnings);
        let mut inner = self.lock();
        inner.state = State {
            build: build.to_string(),
            error: None,
            warnings: warnings.clone(),
        };
        let e = event(
            "css",
            &json!({"build": build, "swap": swap, "warnings": warnings, "lang": self.lang}),
        );
        broadcast(&mut inner, e);
    }

    /// The last build failed: every tab shows the overlay until the next good build.
    pub(crate) fn error(&self, diags: &[Diagnostic]) {
        let value = json!({
            "errors": diags.iter().filter(|d| d.is_error()).count(),
            "diagnostics": diagnostics_json(diags),
        });
        let mut inner = self.lock();
        inner.state.error = Some(value.clone());
        let e = event("error", &json!({"error": value, "lang": self.lang}));
        broadcast(&mut inner, e);
    }
}

/// Queues `e` for every connection; connections that are gone or stuck are dropped.
fn broadcast(inner: &mut Inner, e: Arc<str>) {
    inner.clients.retain(|c| {
        if !c.alive.load(Ordering::SeqCst) {
            return false;
        }
        match c.queue.try_send(Arc::clone(&e)) {
            Ok(()) => true,
            Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => false,
        }
    });
}

/// One SSE message. The data is compact JSON, which never contains a newline.
fn event(name: &str, data: &Value) -> Arc<str> {
    Arc::from(format!("event: {name}\ndata: {data}\n\n"))
}

/// The warnings of a good build for the browser: how many, and the first ones.
fn warnings_json(warnings: &[Diagnostic]) -> Value {
    json!({
        "total": warnings.len(),
        "items": diagnostics_json(&sorted(warnings)[..warnings.len().min(WARNINGS_SHOWN)]),
    })
}

fn sorted(diags: &[Diagnostic]) -> Vec<Diagnostic> {
    let mut sorted = diags.to_vec();
    crate::diagnostic::sort(&mut sorted);
    sorted
}

/// Diagnostics as the overlay shows them, errors first, both languages.
pub(crate) fn diagnostics_json(diags: &[Diagnostic]) -> Value {
    Value::Array(
        sorted(diags)
            .iter()
            .map(|d| {
                json!({
                    "severity": match d.severity {
                        Severity::Error => "error",
                        Severity::Warning => "warning",
                    },
                    "location": d.location(),
                    "path": crate::platform::slashed(&d.path),
                    "line": d.line,
                    "column": d.column,
                    "message": {"zh": d.message.zh, "en": d.message.en},
                    "hint": {"zh": d.hint.zh, "en": d.hint.en},
                })
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Text;
    use std::sync::mpsc::{Receiver, channel};

    /// A writer that hands each flushed chunk to a channel, failing once told to.
    struct Pipe {
        buf: Vec<u8>,
        out: std::sync::mpsc::Sender<String>,
        broken: Arc<AtomicBool>,
    }

    impl Write for Pipe {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            if self.broken.load(Ordering::SeqCst) {
                return Err(std::io::ErrorKind::BrokenPipe.into());
            }
            self.buf.extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            let text = String::from_utf8_lossy(&self.buf).to_string();
            self.buf.clear();
            let _ = self.out.send(text);
            Ok(())
        }
    }

    fn client(hub: &Arc<Hub>) -> (Receiver<String>, Arc<AtomicBool>) {
        let (tx, rx) = channel();
        let broken = Arc::new(AtomicBool::new(false));
        hub.attach(
            Box::new(Pipe {
                buf: Vec::new(),
                out: tx,
                broken: Arc::clone(&broken),
            }),
            false,
        );
        (rx, broken)
    }

    fn next(rx: &Receiver<String>) -> String {
        rx.recv_timeout(Duration::from_secs(5)).unwrap()
    }

    #[test]
    fn hello_then_events_in_order() {
        let hub = Arc::new(Hub::new(Duration::from_secs(60), crate::Lang::Zh));
        hub.reload("b1", &[]);
        let (rx, _) = client(&hub);
        assert!(next(&rx).starts_with("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream"));
        let hello = next(&rx);
        assert!(hello.starts_with("event: hello\ndata: {"), "{hello}");
        assert!(hello.contains("\"build\":\"b1\""), "{hello}");
        let d = Diagnostic::error("content/a.md", 3, 5, Text::new("坏了", "broken"));
        hub.error(&[d]);
        let e = next(&rx);
        assert!(e.starts_with("event: error\n"), "{e}");
        assert!(e.contains("content/a.md:3:5") && e.contains("坏了"), "{e}");
        hub.reload("b2", &[]);
        assert!(next(&rx).contains("\"build\":\"b2\""));
        // A tab connecting while the build is broken hears about it at once.
        hub.error(&[]);
        let (rx2, _) = client(&hub);
        next(&rx2);
        assert!(next(&rx2).contains("\"error\":{"));
    }

    #[test]
    fn closed_connections_are_freed_by_the_heartbeat() {
        let hub = Arc::new(Hub::new(Duration::from_millis(20), crate::Lang::Zh));
        let (rx, broken) = client(&hub);
        next(&rx);
        assert_eq!(hub.connected(), 1);
        broken.store(true, Ordering::SeqCst);
        let start = std::time::Instant::now();
        while hub.connected() > 0 && start.elapsed() < Duration::from_secs(5) {
            std::thread::sleep(Duration::from_millis(10));
        }
        assert_eq!(hub.connected(), 0);
        hub.reload("b", &[]);
        assert!(hub.lock().clients.is_empty());
    }
}
