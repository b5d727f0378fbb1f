//! Answering requests of `jiangtang serve` from the in-memory build (tiny_http).
//!
//! Only GET and HEAD (anything else: 405). The site is mounted under its base path;
//! everything else, and every target `paths::target` refuses, gets the site's 404 page.
//! HTML answers carry the live-reload script. The dev server's own files live under
//! `<base>__jiangtang/`: `live.js`, `worker.js`, `events` (the event stream) and
//! `status` (JSON counters for tests and scripts).
//!
//! Answers are written by hand with `Connection: close`: tiny_http (0.12) keeps one
//! pool thread blocked on every idle keep-alive connection, and its pool can leave a
//! new connection queued behind them (a lost wake-up when connections arrive in a
//! burst). Closed connections free their thread at once; see also `kick`.

use std::borrow::Cow;
use std::io::Write;
use std::net::SocketAddr;
use std::sync::atomic::Ordering;

use tiny_http::{Method, Request};

use super::paths::{self, Target};
use super::{Shared, Snapshot};
use crate::diagnostic::{Lang, Text, escape_html};

/// The reserved folder under the base path. Slugs cannot start with `_`, so no page
/// can live there.
pub(crate) const RESERVED: &str = "__jiangtang/";

const LIVE_JS: &str = include_str!("live.js");
const WORKER_JS: &str = include_str!("worker.js");

/// Answers requests until the server goes away.
pub(crate) fn worker(server: &tiny_http::Server, shared: &Shared) {
    loop {
        match server.recv() {
            // A bug answering one request must not take a worker with it.
            Ok(rq) => {
                let _ =
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| handle(rq, shared)));
            }
            Err(_) => std::thread::sleep(std::time::Duration::from_millis(50)),
        }
    }
}

fn handle(rq: Request, shared: &Shared) {
    if !matches!(rq.method(), Method::Get | Method::Head) {
        respond(
            rq,
            405,
            &[
                ("Allow", "GET, HEAD"),
                ("Content-Type", "text/plain; charset=utf-8"),
            ],
            b"405 Method Not Allowed: only GET and HEAD\n",
        );
        return;
    }
    let snap = shared.snapshot();
    let url = rq.url().to_string();
    match paths::target(&url, &snap.base_path) {
        Target::Refused => not_found(rq, &snap, &url, shared.lang),
        Target::BaseWithoutSlash => {
            let to = format!("{}{}", snap.base_path, paths::raw_query(&url));
            redirect(rq, &to);
        }
        Target::Site(rel) => match rel.strip_prefix(RESERVED) {
            Some(name) => reserved(rq, shared, &snap, name),
            None => file(rq, &snap, &rel, &url, shared.lang),
        },
    }
}

/// `lang`: the language of the messages on the pages the server writes itself.
fn file(rq: Request, snap: &Snapshot, rel: &str, url: &str, lang: Lang) {
    let Some(built) = &snap.built else {
        return failure_page(rq, snap, lang);
    };
    let key = paths::output_key(rel);
    if let Some(index) = &snap.search
        && crate::search::is_index_file(&key)
    {
        return match index.get(&key) {
            Some(bytes) => send(rq, snap, 200, &key, bytes),
            None => not_found(rq, snap, url, lang),
        };
    }
    if let Some(bytes) = built.output.get(&key) {
        return send(rq, snap, 200, &key, bytes);
    }
    if let Some((_, bytes)) = snap.retired.get(&key) {
        return send(rq, snap, 200, &key, Cow::Borrowed(bytes));
    }
    if !rel.is_empty() && !rel.ends_with('/') && built.output.contains(&format!("{rel}/index.html"))
    {
        let to = format!("{}/{}", paths::raw_path(url), paths::raw_query(url));
        return redirect(rq, &to);
    }
    not_found(rq, snap, url, lang)
}

/// The site's own 404 page (live script included: it reloads once the page exists).
fn not_found(rq: Request, snap: &Snapshot, url: &str, lang: Lang) {
    let Some(built) = &snap.built else {
        return failure_page(rq, snap, lang);
    };
    if paths::raw_path(url) == "/" && snap.base_path != "/" {
        // The server root of a site published under a sub-path: point the way.
        // Written for the editor, like the failure page: in the language of the messages.
        let base = escape_html(&snap.base_path);
        let link = format!("<a href=\"{base}\">{base}</a>");
        let (html_lang, text) = match lang {
            Lang::Zh => (
                "zh-CN",
                format!("本站点发布在 {link} 下，和正式发布的地址一致。"),
            ),
            Lang::En => (
                "en",
                format!("This site is published under {link}, as it will be on the server."),
            ),
        };
        let body = format!(
            "<!DOCTYPE html>\n<html lang=\"{html_lang}\"><head><meta charset=\"utf-8\"><title>404</title></head><body><h1>404</h1><p>{text}</p></body></html>\n"
        );
        return send(rq, snap, 404, "index.html", Cow::Owned(body.into_bytes()));
    }
    match built.output.get("404.html") {
        // With relative links (`base_url: ""`) the page works only at the site's top
        // folder; answering a miss deeper down, the dev server knows where that is.
        Some(page) if built.site.config.relative => {
            let page = paths::with_base(&page, &snap.base_path);
            send(rq, snap, 404, "404.html", Cow::Owned(page))
        }
        Some(page) => send(rq, snap, 404, "404.html", page),
        None => send(rq, snap, 404, "404.txt", Cow::Borrowed(b"404 Not Found\n")),
    }
}

/// While no build has succeeded yet: the diagnostics as the page, for every path.
fn failure_page(rq: Request, snap: &Snapshot, lang: Lang) {
    let hint_label = Text::new("修改方法：", "how to fix: ").into_lang(lang);
    let mut items = String::new();
    for d in &snap.failure {
        items.push_str(&format!(
            "<li><p><code>{}</code> {}</p>",
            escape_html(&d.location()),
            escape_html(d.message.get(lang))
        ));
        if !d.hint.is_empty() {
            items.push_str(&format!(
                "<p>{hint_label}{}</p>",
                escape_html(d.hint.get(lang))
            ));
        }
        items.push_str("</li>\n");
    }
    let (html_lang, title, advice) = (
        Text::new("zh-CN", "en"),
        Text::new("站点生成失败", "the site could not be built"),
        Text::new(
            "改正下列问题并保存文件，页面会自动刷新。",
            "fix the problems below and save: this page reloads by itself.",
        ),
    );
    let body = format!(
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{title} – jiangtang</title></head><body><main><h1>{title}</h1><p>{}</p><ol>\n{items}</ol></main></body></html>\n",
        html_lang.get(lang),
        advice.get(lang),
        title = title.get(lang),
    );
    send(rq, snap, 503, "index.html", Cow::Owned(body.into_bytes()));
}

fn reserved(rq: Request, shared: &Shared, snap: &Snapshot, name: &str) {
    match name {
        "live.js" => send_plain(rq, 200, "live.js", LIVE_JS.as_bytes().to_vec()),
        "worker.js" => send_plain(rq, 200, "worker.js", WORKER_JS.as_bytes().to_vec()),
        "events" => {
            if *rq.method() == Method::Head {
                respond(
                    rq,
                    200,
                    &[
                        ("Content-Type", "text/event-stream; charset=utf-8"),
                        ("Cache-Control", "no-cache"),
                    ],
                    b"",
                );
                return;
            }
            let http10 = rq.http_version().0 == 1 && rq.http_version().1 == 0;
            shared.hub.attach(rq.into_writer(), http10);
            kick(shared.kick_addr);
        }
        "status" => {
            let body = serde_json::json!({
                "build": snap.build_id,
                "base": snap.base_path,
                "builds": shared.stats.builds.load(Ordering::SeqCst),
                "failed": shared.stats.failed.load(Ordering::SeqCst),
                "live_connections": shared.hub.connected(),
                "serving": snap.built.is_some(),
                "search_fresh": snap.search_fresh,
            })
            .to_string();
            send_plain(rq, 200, "status.json", body.into_bytes());
        }
        _ => not_found(rq, snap, "", shared.lang),
    }
}

/// An answer from the build; HTML gets the live-reload script.
fn send(rq: Request, snap: &Snapshot, status: u16, key: &str, bytes: Cow<'_, [u8]>) {
    let ctype = paths::content_type(key);
    if ctype.starts_with("text/html") {
        return send_plain(rq, status, key, paths::inject(&bytes, &script_tag(snap)));
    }
    // A part of a file (the search client reads its packs by range).
    let range = rq
        .headers()
        .iter()
        .find(|h| h.field.equiv("Range"))
        .and_then(|h| paths::byte_range(h.value.as_str(), bytes.len()));
    match range {
        Some((start, end)) if status == 200 => {
            let content_range = format!("bytes {start}-{}/{}", end - 1, bytes.len());
            respond(
                rq,
                206,
                &[
                    ("Content-Type", ctype),
                    ("Content-Range", &content_range),
                    ("Cache-Control", "no-store"),
                    ("X-Content-Type-Options", "nosniff"),
                ],
                &bytes[start..end],
            );
        }
        _ => send_plain(rq, status, key, bytes.into_owned()),
    }
}

fn send_plain(rq: Request, status: u16, key: &str, body: Vec<u8>) {
    respond(
        rq,
        status,
        &[
            ("Content-Type", paths::content_type(key)),
            ("Cache-Control", "no-store"),
            ("X-Content-Type-Options", "nosniff"),
        ],
        &body,
    );
}

fn redirect(rq: Request, to: &str) {
    respond(
        rq,
        301,
        &[
            ("Location", &encode_location(to)),
            ("Cache-Control", "no-store"),
        ],
        b"",
    );
}

/// Writes a complete answer and asks the client to close the connection. HEAD gets the
/// same head without the body. Header values are ours: no CR or LF in them.
fn respond(rq: Request, status: u16, headers: &[(&str, &str)], body: &[u8]) {
    let head_only = *rq.method() == Method::Head;
    let mut head = format!(
        "HTTP/1.1 {status} {}\r\nServer: jiangtang\r\nConnection: close\r\nContent-Length: {}\r\n",
        reason(status),
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let mut w = rq.into_writer();
    let _ = w
        .write_all(head.as_bytes())
        .and_then(|()| if head_only { Ok(()) } else { w.write_all(body) })
        .and_then(|()| w.flush());
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        206 => "Partial Content",
        301 => "Moved Permanently",
        404 => "Not Found",
        405 => "Method Not Allowed",
        503 => "Service Unavailable",
        _ => "",
    }
}

/// Opens and closes a connection to ourselves. tiny_http's pool starts a thread for it
/// when none is idle, and that thread then takes any connection left queued behind
/// threads held by event streams (see the module comment).
pub(crate) fn kick(addr: SocketAddr) {
    let _ = std::net::TcpStream::connect_timeout(&addr, std::time::Duration::from_secs(1));
}

/// `<script src="/training/__jiangtang/live.js" data-build="…"></script>`
pub(crate) fn script_tag(snap: &Snapshot) -> String {
    format!(
        "<script src=\"{}{RESERVED}live.js\" data-build=\"{}\"></script>\n",
        escape_html(&snap.base_path),
        escape_html(&snap.build_id)
    )
}

/// Percent-encodes what may not stand in a header (non-ASCII base paths).
fn encode_location(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_graphic() {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
