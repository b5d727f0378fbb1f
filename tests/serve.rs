//! `jiangtang serve` end to end: the real binary on a free port over a temporary site,
//! spoken to over plain TCP (so request targets reach the server exactly as written).
//!
//! Pages under the base path, content types, methods; live reload after an edit, one
//! rebuild per atomic save, none for editor scratch files, also with `--poll`; errors
//! shown while the last good build keeps being served; stylesheet swaps; the search
//! index refreshed after a rebuild; traversal in every form refused; 50 live-reload
//! connections beside 200 page requests, and their cleanup.
//!
//! `bench_edit_to_reload` (ignored) measures edit → reload on a big generated site.

mod common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{BIN, GOOD_FILES, SITE_YAML, TINY_PNG, copy_dir};

const BASE: &str = "/training/";
const LESSON: &str = "content/courses/ke-cheng/01-di-yi-ke.md";
const LESSON_URL: &str = "/training/courses/ke-cheng/di-yi-ke/";
const WAIT: Duration = Duration::from_secs(30);

// ---------------------------------------------------------------------------
// Harness: a site, the server process, a raw HTTP client and an SSE client

/// A temporary site (the tests' small valid site, published under /training/, with a
/// PDF and a PNG beside the course). `dir/site` is the site; `dir/secret.txt` lies
/// outside it.
struct TestSite {
    dir: tempfile::TempDir,
}

impl TestSite {
    fn new() -> TestSite {
        let dir = tempfile::tempdir().expect("temp dir");
        let site = TestSite { dir };
        site.write(
            "site.yaml",
            &SITE_YAML.replace("base_url: /\n", "base_url: /training/\n"),
        );
        for (p, t) in GOOD_FILES {
            site.write(p, t);
        }
        site.write_bytes("content/courses/ke-cheng/slides.pdf", b"%PDF-1.4\n%test\n");
        site.write_bytes("content/courses/ke-cheng/tu.png", TINY_PNG);
        std::fs::write(site.dir.path().join("secret.txt"), "TOP-SECRET-OUTSIDE").expect("write");
        site
    }

    fn root(&self) -> PathBuf {
        self.dir.path().join("site")
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    fn write(&self, rel: &str, text: &str) {
        self.write_bytes(rel, text.as_bytes());
    }

    fn write_bytes(&self, rel: &str, bytes: &[u8]) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, bytes).expect("write");
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).expect("read")
    }

    /// Saves like editors that write a temp file and rename it over the original.
    fn atomic_save(&self, rel: &str, temp_name: &str, text: &str) {
        let target = self.path(rel);
        let temp = target.with_file_name(temp_name);
        std::fs::write(&temp, text).expect("write temp");
        std::fs::rename(&temp, &target).expect("rename");
    }
}

/// The server process, killed when dropped.
struct Server {
    child: Child,
    port: u16,
    /// The base path the server printed (`/training/`).
    base: String,
    stderr: Arc<Mutex<String>>,
    stdout: Arc<Mutex<String>>,
}

impl Server {
    fn start(site: &TestSite) -> Server {
        Server::start_at(&site.root(), &[])
    }

    fn start_at(root: &Path, extra: &[&str]) -> Server {
        let mut child = Command::new(BIN)
            .args(["serve", "--port", "0", "--root"])
            .arg(root)
            .args(extra)
            .env("JIANGTANG_SERVE_HEARTBEAT_MS", "200")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start jiangtang serve");
        let stdout = Arc::new(Mutex::new(String::new()));
        let stderr = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = channel();
        let out = child.stdout.take().expect("stdout");
        let log = Arc::clone(&stdout);
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                log.lock().unwrap().push_str(&format!("{line}\n"));
                if let Some(i) = line.find("http://127.0.0.1:") {
                    let rest = &line[i + "http://127.0.0.1:".len()..];
                    let port: String = rest.chars().take_while(char::is_ascii_digit).collect();
                    let base = rest[port.len()..].split_whitespace().next().unwrap_or("/");
                    let _ = tx.send((port.parse::<u16>().unwrap_or(0), base.to_string()));
                }
            }
        });
        let err = child.stderr.take().expect("stderr");
        let log = Arc::clone(&stderr);
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                log.lock().unwrap().push_str(&(line + "\n"));
            }
        });
        let (port, base) = match rx.recv_timeout(Duration::from_secs(600)) {
            Ok(p) => p,
            Err(_) => {
                let _ = child.kill();
                panic!(
                    "the server printed no address; stderr:\n{}",
                    stderr.lock().unwrap()
                );
            }
        };
        Server {
            child,
            port,
            base,
            stderr,
            stdout,
        }
    }

    fn get(&self, target: &str) -> Resp {
        self.request("GET", target)
    }

    fn request(&self, method: &str, target: &str) -> Resp {
        request(self.port, method, target)
    }

    fn status(&self) -> serde_json::Value {
        let r = self.get(&format!("{}__jiangtang/status", self.base));
        assert_eq!(r.status, 200, "status: {}", r.text());
        serde_json::from_slice(&r.body).expect("status JSON")
    }

    fn builds(&self) -> u64 {
        self.status()["builds"].as_u64().expect("builds")
    }

    fn events(&self) -> Sse {
        Sse::connect(self.port, &format!("{}__jiangtang/events", self.base))
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    fn stdout(&self) -> String {
        self.stdout.lock().unwrap().clone()
    }

    /// Waits until stdout or stderr has shown `needle`.
    fn wait_for_output(&self, needle: &str) {
        let start = Instant::now();
        while start.elapsed() < WAIT {
            if self.stdout().contains(needle) || self.stderr().contains(needle) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!(
            "the server never printed {needle:?}\nstdout:\n{}\nstderr:\n{}",
            self.stdout(),
            self.stderr()
        );
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Resp {
    status: u16,
    headers: BTreeMap<String, String>,
    body: Vec<u8>,
}

impl Resp {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).to_string()
    }

    fn header(&self, name: &str) -> &str {
        self.headers.get(name).map_or("", String::as_str)
    }
}

/// One request on its own connection, the target sent byte for byte.
fn request(port: u16, method: &str, target: &str) -> Resp {
    request_with(port, method, target, "")
}

/// A request with `extra` header lines (each ending in CRLF).
fn request_with(port: u16, method: &str, target: &str, extra: &str) -> Resp {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(WAIT)).expect("timeout");
    write!(
        s,
        "{method} {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{extra}Connection: close\r\n\r\n"
    )
    .expect("send");
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).expect("read");
    parse_response(&raw)
}

fn parse_response(raw: &[u8]) -> Resp {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no header end in {:?}", String::from_utf8_lossy(raw)));
    let head = String::from_utf8_lossy(&raw[..end]).to_string();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("bad status line {status_line}"));
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Resp {
        status,
        headers,
        body: raw[end + 4..].to_vec(),
    }
}

/// A live-reload connection: every event as (name, JSON data), in order.
struct Sse {
    rx: Receiver<(String, serde_json::Value)>,
    stream: TcpStream,
}

impl Sse {
    fn connect(port: u16, target: &str) -> Sse {
        let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        write!(
            s,
            "GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .expect("send");
        let stream = s.try_clone().expect("clone");
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(s);
            let mut line = String::new();
            // Response head.
            loop {
                line.clear();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    return;
                }
                if line == "\r\n" {
                    break;
                }
                if line.starts_with("HTTP/") {
                    assert!(line.contains(" 200 "), "event stream answered {line}");
                }
            }
            let (mut name, mut data) = (String::new(), String::new());
            loop {
                line.clear();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    return;
                }
                let l = line.trim_end_matches(['\r', '\n']);
                if l.is_empty() {
                    if !name.is_empty() {
                        let value = serde_json::from_str(&data).expect("event JSON");
                        if tx.send((std::mem::take(&mut name), value)).is_err() {
                            return;
                        }
                    }
                    data.clear();
                } else if let Some(n) = l.strip_prefix("event: ") {
                    name = n.to_string();
                } else if let Some(d) = l.strip_prefix("data: ") {
                    data.push_str(d);
                }
            }
        });
        Sse { rx, stream }
    }

    /// The next event within `wait`.
    fn next(&self, wait: Duration) -> Option<(String, serde_json::Value)> {
        self.rx.recv_timeout(wait).ok()
    }

    /// The next event, which must be `name`.
    fn expect(&self, name: &str) -> serde_json::Value {
        match self.next(WAIT) {
            Some((n, data)) if n == name => data,
            other => panic!("expected a `{name}` event, got {other:?}"),
        }
    }

    /// Events that arrive within `wait`.
    fn quiet(&self, wait: Duration) -> Vec<String> {
        let until = Instant::now() + wait;
        let mut got = Vec::new();
        while let Some(left) = until.checked_duration_since(Instant::now()) {
            match self.next(left) {
                Some((n, _)) => got.push(n),
                None => break,
            }
        }
        got
    }
}

impl Drop for Sse {
    fn drop(&mut self) {
        let _ = self.stream.shutdown(std::net::Shutdown::Both);
    }
}

/// The first `href`/`src` value on the page that starts with `prefix`.
fn link_starting(html: &str, prefix: &str) -> String {
    common::links(html)
        .into_iter()
        .find(|l| l.starts_with(prefix))
        .unwrap_or_else(|| panic!("no link starting with {prefix}"))
}

// ---------------------------------------------------------------------------
// Serving

#[test]
fn pages_and_files_are_served_under_the_base_path() {
    let site = TestSite::new();
    let server = Server::start(&site);
    assert!(
        server.stdout().contains("http://127.0.0.1:"),
        "{}",
        server.stdout()
    );
    assert!(
        !server.stderr().contains("警告：正在监听"),
        "loopback must not warn: {}",
        server.stderr()
    );

    let home = server.get(BASE);
    assert_eq!(home.status, 200);
    assert_eq!(home.header("content-type"), "text/html; charset=utf-8");
    let html = home.text();
    assert!(
        html.contains("<script src=\"/training/__jiangtang/live.js\" data-build=\""),
        "no live-reload script in {html}"
    );
    let script = html.find("__jiangtang/live.js").unwrap();
    assert!(
        script < html.rfind("</body>").unwrap(),
        "script after </body>"
    );

    let lesson = server.get(LESSON_URL);
    assert_eq!(lesson.status, 200);
    assert!(lesson.text().contains("第一课"));

    // Directories without their slash, like the published site behind nginx.
    let r = server.get("/training");
    assert_eq!((r.status, r.header("location")), (301, "/training/"));
    let r = server.get("/training/courses/ke-cheng?x=1");
    assert_eq!(
        (r.status, r.header("location")),
        (301, "/training/courses/ke-cheng/?x=1")
    );

    let css = link_starting(&html, "/training/css/");
    let js = link_starting(&html, "/training/js/");
    for (target, ctype) in [
        (css.as_str(), "text/css; charset=utf-8"),
        (js.as_str(), "text/javascript; charset=utf-8"),
        ("/training/favicon.svg", "image/svg+xml"),
        (
            "/training/lectures/calendar.ics",
            "text/calendar; charset=utf-8",
        ),
        ("/training/courses/ke-cheng/slides.pdf", "application/pdf"),
        ("/training/courses/ke-cheng/tu.png", "image/png"),
        ("/training/atom.xml", "application/xml; charset=utf-8"),
        ("/training/sitemap.xml", "application/xml; charset=utf-8"),
        (
            "/training/__jiangtang/live.js",
            "text/javascript; charset=utf-8",
        ),
        (
            "/training/__jiangtang/worker.js",
            "text/javascript; charset=utf-8",
        ),
        ("/training/__jiangtang/status", "application/json"),
    ] {
        let r = server.get(target);
        assert_eq!(r.status, 200, "{target}");
        assert_eq!(r.header("content-type"), ctype, "{target}");
        assert_eq!(r.header("cache-control"), "no-store", "{target}");
    }
    assert_eq!(
        server.get("/training/courses/ke-cheng/slides.pdf").body,
        b"%PDF-1.4\n%test\n"
    );
    // The calendar is not HTML: nothing injected.
    assert!(
        !server
            .get("/training/lectures/calendar.ics")
            .text()
            .contains("live.js")
    );

    // Misses get the site's 404 page (with the script: it reloads once the page exists).
    let not_found = server.get("/training/no-such-page/");
    assert_eq!(not_found.status, 404);
    assert_eq!(not_found.header("content-type"), "text/html; charset=utf-8");
    assert!(not_found.text().contains("__jiangtang/live.js"));
    let page_404 = server.get("/training/404.html").text();
    assert_eq!(not_found.text(), page_404);
    for outside in [
        "/",
        "/index.html",
        "/courses/",
        "/trainingx/",
        "/training.html",
    ] {
        assert_eq!(server.get(outside).status, 404, "{outside}");
    }

    // HEAD: the same head, no body.
    let head = server.request("HEAD", LESSON_URL);
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(
        head.header("content-length"),
        lesson.body.len().to_string().as_str()
    );
    for method in ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "PROPFIND"] {
        let r = server.request(method, BASE);
        assert_eq!(r.status, 405, "{method}");
        assert_eq!(r.header("allow"), "GET, HEAD", "{method}");
    }

    // Served from memory: nothing written into the site.
    assert!(!site.path("public").exists());
}

/// With relative links (`base_url: ""`) the 404 page's links start from the site's top
/// folder; the dev server shows it for misses at any depth, with a `<base>` there.
#[test]
fn the_relative_mode_404_page_works_at_any_depth() {
    let site = TestSite::new();
    site.write(
        "site.yaml",
        &SITE_YAML.replace("base_url: /\n", "base_url: \"\"\n"),
    );
    let server = Server::start(&site);
    assert_eq!(server.base, "/");
    let deep = server.get("/courses/ke-cheng/no-such-lesson/");
    assert_eq!(deep.status, 404);
    let html = deep.text();
    assert!(html.contains("<base href=\"/\">"), "{html}");
    let links: Vec<String> = common::links(&html)
        .into_iter()
        .filter(|l| !l.starts_with('#') && !l.contains("://"))
        .collect();
    assert!(links.iter().any(|l| l.starts_with("css/")), "{links:?}");
    for link in &links {
        let target = if link.starts_with('/') {
            link.clone()
        } else {
            format!("/{link}")
        };
        assert_eq!(server.get(&target).status, 200, "{link} from the 404 page");
    }
    // The page itself, asked for by its name, is served as it was built.
    assert!(!server.get("/404.html").text().contains("<base"));
}

#[test]
fn traversal_in_any_form_is_refused() {
    let site = TestSite::new();
    let server = Server::start(&site);
    let secret = site.dir.path().join("secret.txt");
    let abs_secret = secret.to_string_lossy().to_string();
    let abs_yaml = site.path("site.yaml").to_string_lossy().to_string();
    let mut targets: Vec<String> = [
        "/training/../site.yaml",
        "/training/../../secret.txt",
        "/training/courses/../../site.yaml",
        "/training/courses/ke-cheng/../../../secret.txt",
        "/training/%2e%2e/site.yaml",
        "/training/%2E%2E/%2e%2e/secret.txt",
        "/training/.%2e/site.yaml",
        "/training/%2e./site.yaml",
        "/training/..%2fsite.yaml",
        "/training/..%2F..%2Fsecret.txt",
        "/training/%2e%2e%2f%2e%2e%2fsecret.txt",
        "/training/..\\site.yaml",
        "/training/..\\..\\secret.txt",
        "/training/..%5csite.yaml",
        "/training/%5c..%5c..%5csecret.txt",
        "/training/%c0%ae%c0%ae/site.yaml",
        "/training/%252e%252e/site.yaml",
        "/training/./../site.yaml",
        "/training//etc/passwd",
        "/training/%2fetc%2fpasswd",
        "/training/%2Fetc/passwd",
        "//etc/passwd",
        "/etc/passwd",
        "/site.yaml",
        "/training/site.yaml",
        "/training/content/about.md",
        "/training/C:%5cWindows%5cwin.ini",
        "/training/x%00.html",
        "http://127.0.0.1/training/../site.yaml",
    ]
    .map(String::from)
    .to_vec();
    // Absolute paths of files on this machine, written after the base path.
    for abs in [&abs_secret, &abs_yaml] {
        targets.push(format!("/training/{abs}"));
        targets.push(format!("/training{abs}"));
        targets.push(format!("/training/{}", abs.replace('/', "%2f")));
        targets.push(format!("/training/{}", abs.trim_start_matches('/')));
    }
    for target in &targets {
        let r = server.get(target);
        let body = r.text();
        assert_eq!(r.status, 404, "{target}");
        assert!(
            !body.contains("TOP-SECRET") && !body.contains("base_url") && !body.contains("root:"),
            "{target} leaked a file"
        );
    }
}

// ---------------------------------------------------------------------------
// Live reload

#[test]
fn an_edit_reloads_and_the_new_text_is_served() {
    let site = TestSite::new();
    let server = Server::start(&site);
    let sse = server.events();
    let hello = sse.expect("hello");
    let build = hello["build"].as_str().unwrap().to_string();
    assert!(!build.is_empty());
    assert!(hello["error"].is_null());
    let page = server.get(LESSON_URL).text();
    assert!(page.contains(&format!("data-build=\"{build}\"")));

    let text = site
        .read(LESSON)
        .replace("正文。", "改过的正文：新内容甲。");
    site.write(LESSON, &text);
    let reload = sse.expect("reload");
    assert_ne!(reload["build"], hello["build"]);
    // The reload comes after the swap: the new text is already there.
    let page = server.get(LESSON_URL).text();
    assert!(page.contains("改过的正文：新内容甲。"), "{page}");
    assert!(page.contains(&format!(
        "data-build=\"{}\"",
        reload["build"].as_str().unwrap()
    )));
    server.wait_for_output("已更新：content/courses/ke-cheng/01-di-yi-ke.md");

    // A link that bypasses the base path: warned about as by `build`, in the terminal
    // and in the page.
    site.write(
        LESSON,
        &text.replace("新内容甲。", "新内容甲，见[课程](/courses/ke-cheng/)。"),
    );
    let reload = sse.expect("reload");
    assert_eq!(reload["warnings"]["total"], 1, "{reload}");
    server.wait_for_output("绕过了站点的基础路径 /training/");

    // A new page, then its deletion.
    site.write(
        "content/cases/xin-an-li.md",
        "---\ntitle: 新案例\nunit: 市委组织部\ndate: 2026-02-01\n---\n\n新的案例正文。\n",
    );
    sse.expect("reload");
    let r = server.get("/training/cases/xin-an-li/");
    assert_eq!(r.status, 200);
    assert!(r.text().contains("新的案例正文。"));
    std::fs::remove_file(site.path("content/cases/xin-an-li.md")).unwrap();
    sse.expect("reload");
    assert_eq!(server.get("/training/cases/xin-an-li/").status, 404);

    // A rename: the page moves.
    std::fs::rename(
        site.path("content/about.md"),
        site.path("content/guan-yu.md"),
    )
    .unwrap();
    sse.expect("reload");
    assert_eq!(server.get("/training/about/").status, 404);
    assert_eq!(server.get("/training/guan-yu/").status, 200);

    // site.yaml, saved atomically.
    let yaml = site.read("site.yaml").replace("测试站点", "改名后的站点");
    site.atomic_save("site.yaml", ".site.yaml.tmp", &yaml);
    sse.expect("reload");
    assert!(server.get(BASE).text().contains("改名后的站点"));
}

#[test]
fn an_atomic_save_rebuilds_exactly_once() {
    let site = TestSite::new();
    let server = Server::start(&site);
    let sse = server.events();
    sse.expect("hello");
    // Temp names of gedit/GLib, vim-like tools, and one no filter knows.
    for (i, temp) in [
        ".goutputstream-XK2Q1Z",
        "01-di-yi-ke.md.tmp",
        "01-di-yi-ke.md.new",
    ]
    .iter()
    .enumerate()
    {
        let before = server.builds();
        let text = site
            .read(LESSON)
            .replace("正文", &format!("正文（第 {i} 次保存）"));
        site.atomic_save(LESSON, temp, &text);
        sse.expect("reload");
        let after = sse.quiet(Duration::from_millis(800));
        assert!(after.is_empty(), "{temp}: more events {after:?}");
        assert_eq!(server.builds(), before + 1, "{temp}: rebuilds");
        assert!(
            server
                .get(LESSON_URL)
                .text()
                .contains(&format!("正文（第 {i} 次保存）"))
        );
        // The temp file was never published.
        assert_eq!(
            server
                .get(&format!("/training/courses/ke-cheng/{temp}"))
                .status,
            404
        );
    }
    // vim's way: probe file, original renamed to a backup, new file written, backup removed.
    let before = server.builds();
    let text = site.read(LESSON).replace("正文", "正文（vim 保存）");
    let (file, backup) = (site.path(LESSON), site.path(&format!("{LESSON}~")));
    let probe = file.with_file_name("4913");
    std::fs::write(&probe, "").unwrap();
    std::fs::remove_file(&probe).unwrap();
    std::fs::rename(&file, &backup).unwrap();
    std::fs::write(&file, text).unwrap();
    std::fs::remove_file(&backup).unwrap();
    sse.expect("reload");
    let after = sse.quiet(Duration::from_millis(800));
    assert!(after.is_empty(), "vim: more events {after:?}");
    assert_eq!(server.builds(), before + 1, "vim: rebuilds");
    assert!(server.get(LESSON_URL).text().contains("正文（vim 保存）"));
}

#[test]
fn the_search_index_follows_edits() {
    let site = TestSite::new();
    let server = Server::start(&site);
    let sse = server.events();
    sse.expect("hello");
    let docs = "/training/search/docs.bin.gz";
    let entry = "/training/search/index.json.gz";
    let before = server.get(docs);
    assert_eq!(before.status, 200);
    assert_eq!(before.header("content-type"), "application/gzip");
    // Packs are read by range.
    let pack = server.get("/training/search/t/0.gz");
    assert_eq!(pack.status, 200);
    let part = request_with(
        server.port,
        "GET",
        "/training/search/t/0.gz?v=1",
        "Range: bytes=10-19\r\n",
    );
    assert_eq!(part.status, 206);
    assert_eq!(
        part.header("content-range"),
        format!("bytes 10-19/{}", pack.body.len())
    );
    assert_eq!(part.body, pack.body[10..20]);
    let entry_before = json_gz(&server.get(entry).body);
    assert!(entry_before.get("delta").is_none());
    site.write(
        LESSON,
        &site
            .read(LESSON)
            .replace("title: 第一课", "title: 改名后的第一课"),
    );
    sse.expect("reload");
    // Refreshed in the background after the reload: only the edited page is indexed
    // again, into a delta beside the index, which stays as it was.
    let start = Instant::now();
    let delta = loop {
        let now = json_gz(&server.get(entry).body);
        if let Some(delta) = now.get("delta") {
            assert_eq!(now["build"], entry_before["build"]);
            break delta.clone();
        }
        assert!(start.elapsed() < WAIT, "the search index never changed");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(delta["docs"], 1, "{delta}");
    assert_eq!(
        delta["deleted"].as_array().map(Vec::len),
        Some(1),
        "{delta}"
    );
    assert_eq!(server.get(docs).body, before.body);
    let dir = delta["dir"].as_str().unwrap_or_default();
    let delta_entry = json_gz(
        &server
            .get(&format!("/training/search/{dir}index.json.gz"))
            .body,
    );
    assert_eq!(delta_entry["docs"], 1);
    let meta = json_gz(&server.get(&format!("/training/search/{dir}m/0.gz")).body);
    assert_eq!(meta[0]["t"], "改名后的第一课", "{meta}");
    assert_eq!(server.get("/training/search/").status, 200);
    while server.status()["search_fresh"] != true {
        assert!(start.elapsed() < WAIT, "search_fresh never set");
        std::thread::sleep(Duration::from_millis(50));
    }

    // A second edit of the same page replaces the delta; the first stays readable
    // for a tab that loaded its entry just before.
    site.write(
        LESSON,
        &site
            .read(LESSON)
            .replace("title: 改名后的第一课", "title: 再次改名的第一课"),
    );
    sse.expect("reload");
    let second = loop {
        let now = json_gz(&server.get(entry).body);
        if now["delta"]["dir"] != delta["dir"] {
            break now["delta"].clone();
        }
        assert!(start.elapsed() < WAIT, "the second delta never came");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(second["docs"], 1, "{second}");
    assert_eq!(second["deleted"], delta["deleted"]);
    let dir2 = second["dir"].as_str().unwrap_or_default();
    let meta = json_gz(&server.get(&format!("/training/search/{dir2}m/0.gz")).body);
    assert_eq!(meta[0]["t"], "再次改名的第一课", "{meta}");
    assert_eq!(
        server.get(&format!("/training/search/{dir}m/0.gz")).status,
        200
    );
}

fn json_gz(bytes: &[u8]) -> serde_json::Value {
    let mut raw = Vec::new();
    let _ = flate2::read::GzDecoder::new(bytes).read_to_end(&mut raw);
    serde_json::from_slice(&raw).unwrap_or_default()
}

#[test]
fn editor_scratch_files_rebuild_nothing() {
    let site = TestSite::new();
    let server = Server::start(&site);
    let sse = server.events();
    sse.expect("hello");
    let before = server.builds();
    let dir = "content/courses/ke-cheng/";
    for name in [
        ".01-di-yi-ke.md.swp",
        ".01-di-yi-ke.md.swx",
        "01-di-yi-ke.md~",
        ".#01-di-yi-ke.md",
        "#01-di-yi-ke.md#",
        "4913",
        "notes.tmp",
        ".DS_Store",
        "01-di-yi-ke.md___jb_tmp___",
        "~$slides.docx",
    ] {
        site.write(&format!("{dir}{name}"), "scratch");
    }
    // vim's probe: created and deleted at once.
    std::fs::remove_file(site.path(&format!("{dir}4913"))).unwrap();
    // The output folder and other files at the root are not sources.
    site.write("public/index.html", "old output");
    site.write("notes.txt", "not a source");
    site.write("site.yaml~", "backup");
    let events = sse.quiet(Duration::from_millis(1000));
    assert!(events.is_empty(), "events: {events:?}");
    assert_eq!(server.builds(), before);
}

#[test]
fn polling_sees_edits_and_ignores_scratch_files() {
    let site = TestSite::new();
    let server = Server::start_at(&site.root(), &["--poll"]);
    let sse = server.events();
    sse.expect("hello");
    site.write(
        LESSON,
        &site.read(LESSON).replace("正文。", "轮询看到的正文。"),
    );
    sse.expect("reload");
    assert!(server.get(LESSON_URL).text().contains("轮询看到的正文。"));
    // A second save right after the first one is seen (notify 8's poller misses saves
    // within the same second).
    site.write(
        LESSON,
        &site
            .read(LESSON)
            .replace("轮询看到的正文。", "马上又改了。"),
    );
    sse.expect("reload");
    assert!(server.get(LESSON_URL).text().contains("马上又改了。"));
    let before = server.builds();
    site.write("content/courses/ke-cheng/.01-di-yi-ke.md.swp", "scratch");
    site.write("content/courses/ke-cheng/01-di-yi-ke.md~", "backup");
    let events = sse.quiet(Duration::from_millis(1500));
    assert!(events.is_empty(), "events: {events:?}");
    assert_eq!(server.builds(), before);
}

#[test]
fn bad_yaml_shows_an_error_and_keeps_the_last_good_page() {
    let site = TestSite::new();
    let server = Server::start(&site);
    let sse = server.events();
    sse.expect("hello");
    let good = site.read(LESSON);
    let before = server.get(LESSON_URL).text();

    site.write(
        LESSON,
        "---\ntitle: 第一课\nduration: [30\n---\n\n坏了的正文。\n",
    );
    let error = sse.expect("error");
    let diags = error["error"]["diagnostics"]
        .as_array()
        .expect("diagnostics");
    assert!(error["error"]["errors"].as_u64().unwrap() >= 1);
    let d = &diags[0];
    assert_eq!(d["path"], LESSON);
    assert!(d["line"].as_u64().unwrap() >= 1, "{d}");
    assert!(
        d["location"]
            .as_str()
            .unwrap()
            .starts_with(&format!("{LESSON}:")),
        "{d}"
    );
    assert!(
        d["message"]["zh"]
            .as_str()
            .unwrap()
            .chars()
            .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "message not in Chinese: {d}"
    );
    // The terminal says the same.
    server.wait_for_output(&format!("{LESSON}:"));
    server.wait_for_output("生成失败");

    // The last good build is still served, and a tab opened now learns of the error.
    let page = server.get(LESSON_URL);
    assert_eq!(page.status, 200);
    assert_eq!(page.text(), before);
    let late = server.events();
    let hello = late.expect("hello");
    assert_eq!(hello["error"]["diagnostics"][0]["path"], LESSON);

    // Fixing it reloads every tab with the fixed text.
    site.write(LESSON, &good.replace("正文。", "修好的正文。"));
    sse.expect("reload");
    late.expect("reload");
    assert!(server.get(LESSON_URL).text().contains("修好的正文。"));
    assert!(server.status()["failed"].as_u64().unwrap() >= 1);
}

#[test]
fn a_site_that_starts_broken_shows_why_and_recovers() {
    let site = TestSite::new();
    let good = site.read("content/about.md");
    site.write("content/about.md", "---\ntitle: [关于\n---\n");
    let server = Server::start(&site);
    let r = server.get(LESSON_URL);
    assert_eq!(r.status, 503);
    let html = r.text();
    assert!(html.contains("content/about.md:"), "{html}");
    assert!(html.contains("__jiangtang/live.js"));
    let sse = server.events();
    let hello = sse.expect("hello");
    assert!(hello["error"].is_object());
    site.write("content/about.md", &good);
    sse.expect("reload");
    assert_eq!(server.get(LESSON_URL).status, 200);
}

/// Started where there is no site (no site.yaml), the preview stops at once with what is
/// wrong and how to fix it, as `new` does, instead of serving nothing.
#[test]
fn serve_outside_a_site_stops_at_once_and_says_why() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut child = Command::new(BIN)
        .current_dir(dir.path())
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .args(["serve", "--port", "0"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run jiangtang serve");
    let started = Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if started.elapsed() > Duration::from_secs(5) {
            let _ = child.kill();
            panic!("serve kept running outside a site");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let o = child.wait_with_output().expect("output");
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.starts_with("site.yaml: 错误: . 不是 jiangtang 站点：缺少 site.yaml\n"),
        "{err}"
    );
    assert!(
        err.contains("--root") && err.contains("jiangtang init"),
        "{err}"
    );
    assert!(
        o.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
}

#[test]
fn the_failure_page_speaks_the_language_of_the_messages() {
    let site = TestSite::new();
    site.write("content/about.md", "---\ntitle: [关于\n---\n");
    let server = Server::start_at(&site.root(), &["--lang", "en"]);
    let html = server.get(LESSON_URL).text();
    assert!(html.contains("<html lang=\"en\">"), "{html}");
    assert!(html.contains("the site could not be built"), "{html}");
    assert!(html.contains("how to fix: "), "{html}");
    assert!(!html.contains("修改方法"), "{html}");
}

#[test]
fn the_server_root_points_to_the_base_path_in_the_language_of_the_messages() {
    let site = TestSite::new();
    let zh = Server::start(&site);
    let r = zh.get("/");
    assert_eq!(r.status, 404);
    let html = r.text();
    assert!(html.contains("<html lang=\"zh-CN\">"), "{html}");
    assert!(
        html.contains("本站点发布在 <a href=\"/training/\">/training/</a> 下"),
        "{html}"
    );
    assert!(!html.contains("published under"), "{html}");
    drop(zh);
    let en = Server::start_at(&site.root(), &["--lang", "en"]);
    let html = en.get("/").text();
    assert!(html.contains("<html lang=\"en\">"), "{html}");
    assert!(
        html.contains("published under <a href=\"/training/\">/training/</a>"),
        "{html}"
    );
    assert!(!html.contains("本站点"), "{html}");
}

#[test]
fn stylesheet_changes_swap_without_reload() {
    let site = TestSite::new();
    // The folder exists (and is watched) before the stylesheet is first written.
    std::fs::create_dir_all(site.path("static/css")).unwrap();
    let server = Server::start(&site);
    let sse = server.events();
    sse.expect("hello");
    let old_css = link_starting(&server.get(BASE).text(), "/training/css/site.");
    let theme_css = server.get(&old_css).text();
    site.write(
        "static/css/site.css",
        &format!("{theme_css}\n.jiangtang-test-marker {{ color: rgb(1, 2, 3); }}\n"),
    );
    let css = sse.expect("css");
    let swap = css["swap"].as_object().expect("swap map");
    let new_css = swap
        .get(&old_css)
        .and_then(|v| v.as_str())
        .unwrap_or_else(|| panic!("{old_css} not swapped: {css}"))
        .to_string();
    assert_ne!(new_css, old_css);
    let r = server.get(&new_css);
    assert_eq!(r.status, 200);
    assert!(r.text().contains("jiangtang-test-marker"));
    assert!(server.get(BASE).text().contains(&new_css));
    // A page loaded just before the swap still gets the stylesheet it names.
    let old = server.get(&old_css);
    assert_eq!(old.status, 200);
    assert_eq!(old.text(), theme_css);
    assert!(sse.quiet(Duration::from_millis(500)).is_empty());
}

#[test]
fn fifty_live_clients_do_not_starve_page_requests() {
    let site = TestSite::new();
    let server = Server::start(&site);
    let clients: Vec<Sse> = (0..50).map(|_| server.events()).collect();
    for c in &clients {
        c.expect("hello");
    }
    assert_eq!(server.status()["live_connections"], 50);

    let pages = [
        BASE,
        LESSON_URL,
        "/training/courses/",
        "/training/lectures/calendar.ics",
        "/training/no-such-page/",
    ];
    let port = server.port;
    let started = Instant::now();
    let workers: Vec<_> = (0..8)
        .map(|w| {
            std::thread::spawn(move || {
                let mut codes = Vec::new();
                for i in 0..25 {
                    let target = pages[(w + i) % pages.len()];
                    codes.push((target, request(port, "GET", target).status));
                }
                codes
            })
        })
        .collect();
    let mut answered = 0;
    for w in workers {
        for (target, code) in w.join().expect("client thread") {
            let want = if target.contains("no-such") { 404 } else { 200 };
            assert_eq!(code, want, "{target}");
            answered += 1;
        }
    }
    assert_eq!(answered, 200);
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "200 requests took {:?}",
        started.elapsed()
    );

    // Every tab hears about the next build.
    site.write(
        LESSON,
        &site.read(LESSON).replace("正文。", "五十个标签页。"),
    );
    for c in &clients {
        c.expect("reload");
    }

    // Closed tabs are freed (the heartbeat finds them).
    drop(clients);
    let start = Instant::now();
    while server.status()["live_connections"] != 0 && start.elapsed() < WAIT {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(server.status()["live_connections"], 0);
}

// ---------------------------------------------------------------------------
// Benchmark: `JIANGTANG_BENCH_SITE=/tmp/jt-10000 cargo test --release --test serve -- --ignored --nocapture`

#[test]
#[ignore = "benchmark: needs JIANGTANG_BENCH_SITE (a generated corpus) and a release build"]
fn bench_edit_to_reload() {
    let Some(src) = std::env::var_os("JIANGTANG_BENCH_SITE") else {
        eprintln!("set JIANGTANG_BENCH_SITE to a site folder");
        return;
    };
    let edits: usize = std::env::var("JIANGTANG_BENCH_EDITS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(25);
    let src = PathBuf::from(src);
    let tmp = tempfile::tempdir().expect("temp dir");
    let root = tmp.path().join("site");
    copy_dir(&src, &root);

    // A full build of the same site, to the disk, for comparison.
    let out = tmp.path().join("public");
    let t = Instant::now();
    let o = Command::new(BIN)
        .args(["build", "--root"])
        .arg(&root)
        .arg("--output")
        .arg(&out)
        .output()
        .expect("build");
    let full_build = t.elapsed();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    let t = Instant::now();
    let server = Server::start_at(&root, &[]);
    let startup = t.elapsed();
    let sse = server.events();
    sse.expect("hello");

    // A lesson: a Markdown file in a course folder other than index.md.
    let lesson = walkdir::WalkDir::new(root.join("content/courses"))
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .find(|p| {
            p.extension().is_some_and(|e| e == "md")
                && p.file_name()
                    .is_some_and(|n| n != "index.md" && n != "_index.md")
        })
        .expect("a lesson in the corpus");
    let original = std::fs::read_to_string(&lesson).expect("read lesson");
    let mut times = Vec::new();
    let mut search_after = Vec::new();
    for i in 0..edits {
        let text = format!("{original}\n\n第 {i} 次修改。\n");
        let t = Instant::now();
        std::fs::write(&lesson, text).expect("write");
        match sse.next(Duration::from_secs(600)) {
            Some((name, _)) if name == "reload" => times.push(t.elapsed()),
            other => panic!("edit {i}: expected reload, got {other:?}"),
        }
        // The next save comes once the search index has caught up in the background,
        // as when an editor reads the page before typing on.
        let reloaded = Instant::now();
        while server.status()["search_fresh"] != true {
            assert!(
                reloaded.elapsed() < Duration::from_secs(600),
                "search index stuck"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        search_after.push(reloaded.elapsed());
    }
    search_after.sort();
    times.sort();
    // Then saves 1.5 s apart, the search index being built in the background meanwhile.
    let mut busy = Vec::new();
    for i in 0..edits {
        let text = format!("{original}\n\n第 {i} 次快速修改。\n");
        let t = Instant::now();
        std::fs::write(&lesson, text).expect("write");
        match sse.next(Duration::from_secs(600)) {
            Some((name, _)) if name == "reload" => busy.push(t.elapsed()),
            other => panic!("quick edit {i}: expected reload, got {other:?}"),
        }
        std::thread::sleep(Duration::from_millis(1500).saturating_sub(t.elapsed()));
    }
    busy.sort();
    // The server's own figure per rebuild ("已更新：…（N 毫秒）"): build and swap only.
    let mut rebuilds: Vec<f64> = server
        .stdout()
        .lines()
        .filter_map(|l| l.split("（").last()?.strip_suffix(" 毫秒）")?.parse().ok())
        .collect();
    rebuilds.sort_by(f64::total_cmp);
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let median = times[times.len() / 2];
    let p95 = times[((times.len() * 95).div_ceil(100)).saturating_sub(1)];
    eprintln!(
        "site {}: full build (jiangtang build, to disk) {:.0} ms; serve start-up (in memory) {:.0} ms",
        src.display(),
        ms(full_build),
        ms(startup)
    );
    eprintln!(
        "edit → reload over {} edits: median {:.1} ms, p95 {:.1} ms, min {:.1} ms, max {:.1} ms; median / full build = {:.3}",
        times.len(),
        ms(median),
        ms(p95),
        ms(times[0]),
        ms(times[times.len() - 1]),
        median.as_secs_f64() / full_build.as_secs_f64()
    );
    eprintln!(
        "search index served {:.0} ms after the reload (median; it waits 1 s for quiet first)",
        ms(search_after[search_after.len() / 2]),
    );
    eprintln!(
        "saves 1.5 s apart (indexing meanwhile): median {:.1} ms, p95 {:.1} ms",
        ms(busy[busy.len() / 2]),
        ms(busy[((busy.len() * 95).div_ceil(100)).saturating_sub(1)]),
    );
    if !rebuilds.is_empty() {
        eprintln!(
            "the rebuild itself, all saves (server's figure): median {:.1} ms, p95 {:.1} ms",
            rebuilds[rebuilds.len() / 2],
            rebuilds[((rebuilds.len() * 95).div_ceil(100)).saturating_sub(1)]
        );
    }
}

/// The dev server's copies of a phone photo carry no EXIF either: every variant the page
/// names, fetched over HTTP once the server has made it, read back with Pillow.
#[test]
fn served_photos_carry_no_metadata() {
    if !common::have_pillow() {
        return;
    }
    let site = TestSite::new();
    site.write(
        "content/cases/an-li.md",
        "---\ntitle: 测试案例\nunit: 市发改委\n---\n\n![现场照片](photo.jpg)\n",
    );
    let source = site.path("content/cases/photo.jpg");
    common::photo_at(&source, 2000, 1500, 6);
    let meta = &common::images_in(&site.path("content/cases"))["photo.jpg"]["metadata"];
    assert!(
        meta.as_array().is_some_and(|m| !m.is_empty()),
        "the source has EXIF: {meta}"
    );

    let server = Server::start(&site);
    // The server plans images from their headers (the page names the variants at once)
    // and makes them on a thread of its own, then builds again.
    let deadline = Instant::now() + WAIT;
    let srcset = loop {
        let html = server.get("/training/cases/an-li/").text();
        if let Some(i) = html.find("srcset=\"") {
            let rest = &html[i + "srcset=\"".len()..];
            break rest[..rest.find('"').expect("closes")].to_string();
        }
        assert!(
            Instant::now() < deadline,
            "no srcset after {WAIT:?}: {html}"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    let fetched = tempfile::tempdir().expect("temp dir");
    let urls: Vec<&str> = srcset
        .split(", ")
        .filter_map(|c| c.split(' ').next())
        .collect();
    assert_eq!(urls.len(), 3, "{srcset}");
    for url in &urls {
        let resp = loop {
            let resp = server.get(url);
            if resp.status != 404 || Instant::now() > deadline {
                break resp;
            }
            std::thread::sleep(Duration::from_millis(100));
        };
        assert_eq!(resp.status, 200, "{url}");
        assert_eq!(resp.header("content-type"), "image/jpeg", "{url}");
        let name = url.rsplit('/').next().expect("a name");
        std::fs::write(fetched.path().join(name), &resp.body).expect("write");
    }
    let served = common::images_in(fetched.path());
    let files = served.as_object().expect("an object");
    assert_eq!(files.len(), 3, "{served}");
    for (name, f) in files {
        assert_eq!(f["metadata"], serde_json::json!([]), "{name}: {served}");
    }
    // Upright: orientation 6 turns the landscape sensor image to portrait.
    assert_eq!(
        served["photo.jpg"]["size"],
        serde_json::json!([1500, 2000]),
        "{served}"
    );
}
