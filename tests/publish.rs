//! Publishing on a real web server and the atomic writer under SIGKILL.
//!
//! - The sample portal, built with `--base-url /training/ --precompress`, is served by a
//!   real nginx with `deploy/nginx.conf` (paths and port substituted) and crawled from
//!   `/training/`, following every `href`, `src`, `action`, `srcset`, path-valued `data-*`
//!   attribute, CSS `url()`/`@import`, feed/sitemap link and search index file: no 404,
//!   no request outside `/training/`, `.gz` served to gzip clients, calendars as
//!   `text/calendar`, the Content-Security-Policy on every page and no inline script.
//! - A small site with stylesheet references is crawled the same way, under the base
//!   path and in the relative mode copied to a deeper path.
//! - Builds of a large generated site are killed with SIGKILL at random moments; after
//!   each, `public/` must be exactly one complete build.
//!
//! nginx comes from `apt-get install nginx` (`scripts/test.sh` does it). It is started
//! on a free loopback port in its own prefix folder, in the foreground, and killed at
//! the end. When it is missing the nginx tests are skipped with a message, except under
//! CI (env `CI` set), where they fail. The crawler talks HTTP/1.1 to 127.0.0.1 only.

mod common;

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::hash::{Hash, Hasher};
use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{BIN, Site, percent_decode, repo, stderr};

const NOW: &str = "2026-11-28 10:00";

/// Prints past libtest's capture, so a skip is seen even when the test passes.
fn say(line: &str) {
    let _ = writeln!(std::io::stderr(), "{line}");
}

fn under_ci() -> bool {
    std::env::var_os("CI").is_some()
}

/// Skips locally, fails under CI.
fn unavailable(what: &str, reason: &str) {
    if under_ci() {
        panic!("{what} cannot run under CI: {reason}");
    }
    say(&format!("SKIPPED {what}: {reason}"));
}

fn jiangtang(args: &[&str], root: &Path, output: &Path) -> std::process::Output {
    build_with(Path::new(BIN), args, root, output)
}

fn build_with(bin: &Path, args: &[&str], root: &Path, output: &Path) -> std::process::Output {
    let o = Command::new(bin)
        .arg("build")
        .arg("--root")
        .arg(root)
        .arg("--output")
        .arg(output)
        .args(["--now", NOW])
        .args(args)
        .output()
        .expect("run jiangtang");
    assert!(o.status.success(), "build failed:\n{}", stderr(&o));
    o
}

fn tempdir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    // nginx workers may run as another user: let them in.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755));
    }
    dir
}

// ---------------------------------------------------------------------------------------
// nginx

fn find_nginx() -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/sbin", "/usr/local/sbin", "/usr/local/nginx/sbin"].map(PathBuf::from))
        .map(|d| d.join("nginx"))
        .find(|p| p.is_file())
}

struct Nginx {
    child: Child,
    port: u16,
    prefix: PathBuf,
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `deploy/nginx.conf` with the port, the folder served and (optionally) the mount
/// path substituted, as an administrator would edit it.
fn deploy_conf(port: u16, www: &Path) -> String {
    let conf =
        std::fs::read_to_string(repo().join("deploy/nginx.conf")).expect("deploy/nginx.conf");
    let mut out = conf.clone();
    for (from, to) in [
        ("listen 80;", format!("listen 127.0.0.1:{port};")),
        ("root /srv/www;", format!("root {};", www.display())),
    ] {
        assert_eq!(
            conf.matches(from).count(),
            1,
            "deploy/nginx.conf should contain `{from}` once"
        );
        out = out.replace(from, &to);
    }
    out
}

impl Nginx {
    /// Serves `www` (which holds `training/`) with deploy/nginx.conf, or `None` (after
    /// the skip message) when nginx is not installed.
    fn start(prefix: &Path, www: &Path) -> Option<Nginx> {
        let Some(bin) = find_nginx() else {
            unavailable(
                "the nginx tests",
                "nginx is not installed (apt-get install nginx)",
            );
            return None;
        };
        std::fs::create_dir_all(prefix).expect("nginx prefix");
        let mime = ["/etc/nginx/mime.types", "/usr/local/nginx/conf/mime.types"]
            .iter()
            .find(|p| Path::new(p).is_file())
            .map(|p| format!("include {p};"))
            .unwrap_or_else(|| {
                "types { text/html html; text/css css; application/javascript js; application/json json; text/xml xml; image/svg+xml svg; application/pdf pdf; image/png png; }".into()
            });
        let mut last_error = String::new();
        for _ in 0..5 {
            let port = free_port();
            std::fs::write(prefix.join("jiangtang.conf"), deploy_conf(port, www)).expect("conf");
            let p = prefix.display();
            let main = format!(
                "daemon off;\nmaster_process off;\nworker_processes 1;\npid {p}/nginx.pid;\nerror_log {p}/error.log warn;\nevents {{ worker_connections 64; }}\nhttp {{\n  {mime}\n  default_type application/octet-stream;\n  access_log {p}/access.log;\n  client_body_temp_path {p}/body;\n  proxy_temp_path {p}/proxy;\n  fastcgi_temp_path {p}/fastcgi;\n  uwsgi_temp_path {p}/uwsgi;\n  scgi_temp_path {p}/scgi;\n  include {p}/jiangtang.conf;\n}}\n"
            );
            std::fs::write(prefix.join("nginx.conf"), main).expect("conf");
            let test = Command::new(&bin)
                .arg("-t")
                .arg("-q")
                .arg("-p")
                .arg(prefix)
                .arg("-e")
                .arg(prefix.join("error.log"))
                .arg("-c")
                .arg(prefix.join("nginx.conf"))
                .output()
                .expect("nginx -t");
            assert!(
                test.status.success(),
                "nginx rejects deploy/nginx.conf:\n{}",
                stderr(&test)
            );
            let child = Command::new(&bin)
                .arg("-p")
                .arg(prefix)
                .arg("-e")
                .arg(prefix.join("error.log"))
                .arg("-c")
                .arg(prefix.join("nginx.conf"))
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("start nginx");
            let mut nginx = Nginx {
                child,
                port,
                prefix: prefix.to_path_buf(),
            };
            let start = Instant::now();
            while start.elapsed() < Duration::from_secs(15) {
                if let Ok(Some(_)) = nginx.child.try_wait() {
                    break;
                }
                if TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_ok() {
                    return Some(nginx);
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            last_error = std::fs::read_to_string(prefix.join("error.log")).unwrap_or_default();
            drop(nginx);
        }
        panic!("nginx did not start:\n{last_error}");
    }

    fn get(&self, path: &str, gzip: bool) -> Response {
        http_get(self.port, path, gzip)
    }

    /// A request for bytes `first..=last`, as the search client sends it.
    fn get_range(&self, path: &str, first: usize, last: usize) -> Response {
        http_get_with(
            self.port,
            path,
            true,
            &format!("Range: bytes={first}-{last}\r\n"),
        )
    }

    fn access_log(&self) -> String {
        std::fs::read_to_string(self.prefix.join("access.log")).unwrap_or_default()
    }
}

fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

// ---------------------------------------------------------------------------------------
// A minimal HTTP/1.1 client for 127.0.0.1.

#[derive(Debug, Clone)]
struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn content_type(&self) -> &str {
        self.header("content-type").unwrap_or("")
    }
}

/// Percent-encodes what may not stand in a request line (non-ASCII, spaces).
fn encode_path(path: &str) -> String {
    let mut out = String::new();
    for b in path.bytes() {
        if b.is_ascii_graphic() {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn http_get(port: u16, path: &str, gzip: bool) -> Response {
    http_get_with(port, path, gzip, "")
}

/// A GET with `extra` header lines (each ending in CRLF).
fn http_get_with(port: u16, path: &str, gzip: bool, extra: &str) -> Response {
    let mut stream = TcpStream::connect((Ipv4Addr::LOCALHOST, port)).expect("connect to nginx");
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .expect("timeout");
    let ae = if gzip {
        format!("Accept-Encoding: gzip\r\n{extra}")
    } else {
        extra.to_string()
    };
    let req = format!(
        "GET {} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: jiangtang-test\r\n{ae}Connection: close\r\n\r\n",
        encode_path(path)
    );
    stream.write_all(req.as_bytes()).expect("send request");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read response");
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("response head");
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("status line");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    let chunked = headers.iter().any(|(k, v)| {
        k.eq_ignore_ascii_case("transfer-encoding") && v.eq_ignore_ascii_case("chunked")
    });
    if chunked {
        body = dechunk(&body);
    }
    Response {
        status,
        headers,
        body,
    }
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = b.windows(2).position(|w| w == b"\r\n") {
        let size_text = String::from_utf8_lossy(&b[..eol]);
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
            .unwrap_or(0);
        if size == 0 || b.len() < eol + 2 + size {
            break;
        }
        out.extend_from_slice(&b[eol + 2..eol + 2 + size]);
        b = &b[(eol + 4 + size).min(b.len())..];
    }
    out
}

// ---------------------------------------------------------------------------------------
// Reading references out of HTML, CSS, XML and JSON.

struct Tag {
    name: String,
    attrs: Vec<(String, String)>,
    /// For `<script>` and `<style>`: the text up to the closing tag.
    body: Option<String>,
}

impl Tag {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&#x2f;", "/")
        .replace("&#x2F;", "/")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Every start tag of an HTML text with its attributes (an independent, simple scanner:
/// not the one the relative mode uses).
fn tags(html: &str) -> Vec<Tag> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        if let Some(r) = rest.strip_prefix("!--") {
            rest = r.find("-->").map_or("", |e| &r[e + 3..]);
            continue;
        }
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        if name.is_empty() {
            continue;
        }
        rest = &rest[name.len()..];
        let name = name.to_ascii_lowercase();
        let mut attrs = Vec::new();
        loop {
            rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
            if rest.is_empty() {
                break;
            }
            if let Some(r) = rest.strip_prefix('>') {
                rest = r;
                break;
            }
            let an: String = rest
                .chars()
                .take_while(|c| !c.is_whitespace() && !matches!(c, '=' | '>' | '/'))
                .collect();
            if an.is_empty() {
                rest = &rest[rest.chars().next().map_or(1, char::len_utf8)..];
                continue;
            }
            rest = &rest[an.len()..];
            let after = rest.trim_start();
            let value = if let Some(v) = after.strip_prefix('=') {
                let v = v.trim_start();
                match v.chars().next() {
                    Some(q @ ('"' | '\'')) => {
                        let end = v[1..].find(q).map_or(v.len(), |e| e + 1);
                        rest = v.get(end + 1..).unwrap_or("");
                        v[1..end].to_string()
                    }
                    _ => {
                        let end = v
                            .find(|c: char| c.is_whitespace() || c == '>')
                            .unwrap_or(v.len());
                        rest = &v[end..];
                        v[..end].to_string()
                    }
                }
            } else {
                String::new()
            };
            attrs.push((an.to_ascii_lowercase(), unescape(&value)));
        }
        let body = if name == "script" || name == "style" {
            let close = format!("</{name}");
            let end = rest.to_ascii_lowercase().find(&close).unwrap_or(rest.len());
            let b = rest[..end].to_string();
            rest = &rest[end..];
            Some(b)
        } else {
            None
        };
        out.push(Tag { name, attrs, body });
    }
    out
}

/// References in an HTML page.
fn html_refs(tags: &[Tag]) -> Vec<String> {
    let mut out = Vec::new();
    for t in tags {
        for (k, v) in &t.attrs {
            match k.as_str() {
                "href" | "src" | "action" | "poster" | "formaction" => out.push(v.clone()),
                "srcset" => out.extend(
                    v.split(',')
                        .filter_map(|p| p.split_whitespace().next())
                        .map(str::to_string),
                ),
                k if k.starts_with("data-")
                    && (v.starts_with('/') || v.starts_with("./") || v.starts_with("../")) =>
                {
                    out.push(v.clone())
                }
                _ => {}
            }
        }
    }
    out
}

/// `url(…)` and `@import "…"` references in a stylesheet.
fn css_refs(css: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut text = css.to_string();
    while let Some(i) = text.find("/*") {
        let end = text[i..].find("*/").map_or(text.len(), |e| i + e + 2);
        text.replace_range(i..end, "");
    }
    let lower = text.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find("url(") {
        let s = from + i + 4;
        let e = text[s..].find(')').map_or(text.len(), |e| s + e);
        out.push(text[s..e].trim().trim_matches(['"', '\'']).to_string());
        from = e;
    }
    let mut from = 0;
    while let Some(i) = lower[from..].find("@import") {
        let s = from + i + 7;
        let rest = text[s..].trim_start();
        if let Some(q @ ('"' | '\'')) = rest.chars().next()
            && let Some(end) = rest[1..].find(q)
        {
            out.push(rest[1..=end].to_string());
        }
        from = s;
    }
    out
}

/// `href="…"` and `<loc>`/`<id>` values of a feed or sitemap.
fn xml_refs(xml: &str) -> Vec<String> {
    let mut out: Vec<String> = tags(xml)
        .iter()
        .filter_map(|t| t.attr("href").map(str::to_string))
        .collect();
    for el in ["loc", "id"] {
        let open = format!("<{el}>");
        let close = format!("</{el}>");
        let mut rest = xml;
        while let Some(i) = rest.find(&open) {
            rest = &rest[i + open.len()..];
            if let Some(e) = rest.find(&close) {
                out.push(unescape(rest[..e].trim()));
            }
        }
    }
    out
}

/// Strings in a JSON document that look like links into the site.
fn json_refs(json: &[u8], prefix: &str) -> Vec<String> {
    fn walk(v: &serde_json::Value, prefix: &str, out: &mut Vec<String>) {
        match v {
            serde_json::Value::String(s) if s.starts_with(prefix) => out.push(s.clone()),
            serde_json::Value::Array(a) => a.iter().for_each(|x| walk(x, prefix, out)),
            serde_json::Value::Object(o) => o.values().for_each(|x| walk(x, prefix, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    if let Ok(v) = serde_json::from_slice::<serde_json::Value>(json) {
        walk(&v, prefix, &mut out);
    }
    out
}

/// A reference on page `from` (a request path) as a request path on this server, or
/// `Err` with the reference when it points at another host. `Ok(None)`: nothing to fetch.
fn resolve(from: &str, r: &str, port: u16) -> Result<Option<String>, String> {
    let r = r.trim();
    let lower = r.to_ascii_lowercase();
    if r.is_empty()
        || r.starts_with('#')
        || ["mailto:", "tel:", "data:"]
            .iter()
            .any(|s| lower.starts_with(s))
    {
        return Ok(None);
    }
    let own = format!("http://127.0.0.1:{port}");
    let path = if let Some(p) = r.strip_prefix(&own) {
        if p.is_empty() {
            "/".to_string()
        } else {
            p.to_string()
        }
    } else if r.starts_with("//") || lower.split_once(':').is_some_and(|(s, _)| !s.contains('/')) {
        return Err(r.to_string());
    } else if r.starts_with('/') {
        r.to_string()
    } else {
        let dir = &from[..from.rfind('/').map_or(0, |i| i + 1)];
        format!("{dir}{r}")
    };
    let path = path.split(['#', '?']).next().unwrap_or("");
    let mut parts: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').collect();
    for (i, seg) in segments.iter().enumerate() {
        match *seg {
            "." => {}
            ".." => {
                parts.pop();
            }
            "" if i > 0 && i + 1 < segments.len() => {}
            s => parts.push(s),
        }
    }
    let mut out = parts.join("/");
    if !out.starts_with('/') {
        out.insert(0, '/');
    }
    if (path.ends_with('/') || path.ends_with("/.") || path.ends_with("/..")) && !out.ends_with('/')
    {
        out.push('/');
    }
    Ok(Some(out))
}

// ---------------------------------------------------------------------------------------
// The crawler.

struct Crawl {
    /// Request path → response (without Accept-Encoding).
    fetched: BTreeMap<String, Response>,
    problems: Vec<String>,
}

fn crawl(nginx: &Nginx, start: &str, prefix: &str, public: &Path) -> Crawl {
    let mut fetched = BTreeMap::new();
    let mut problems = Vec::new();
    let mut queue: VecDeque<(String, String)> = VecDeque::new();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    queue.push_back((start.to_string(), "(start)".to_string()));
    seen.insert(start.to_string());
    // The search index files: fetched even when only a script knows their names.
    for e in walkdir::WalkDir::new(public.join("search"))
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = e.path().strip_prefix(public).unwrap_or(e.path());
        let name = jiangtang::platform::slashed(rel);
        if e.file_type().is_file() && !name.ends_with(".html") && !name.ends_with(".gz") {
            let path = format!("{prefix}{name}");
            if seen.insert(path.clone()) {
                queue.push_back((path, "(search index files)".to_string()));
            }
        }
    }
    while let Some((path, referrer)) = queue.pop_front() {
        let resp = nginx.get(&path, false);
        let mut refs: Vec<String> = Vec::new();
        match resp.status {
            200 => {}
            301 | 302 | 307 | 308 => {
                if let Some(loc) = resp.header("location") {
                    refs.push(loc.to_string());
                }
            }
            s => problems.push(format!("{s} {path} (from {referrer})")),
        }
        if resp.status == 200 {
            let ct = resp.content_type().to_string();
            let text = String::from_utf8_lossy(&resp.body).to_string();
            if ct.starts_with("text/html") {
                let t = tags(&text);
                refs.extend(html_refs(&t));
                problems.extend(page_problems(&path, &t, nginx.port));
            } else if ct.starts_with("text/css") {
                refs.extend(css_refs(&text));
            } else if ct.contains("xml") {
                refs.extend(xml_refs(&text));
            } else if ct.contains("json") {
                refs.extend(json_refs(&resp.body, prefix));
            }
        }
        for r in refs {
            match resolve(&path, &r, nginx.port) {
                Ok(Some(target)) => {
                    if !target.starts_with(prefix) {
                        problems.push(format!("{path} links outside {prefix}: {r}"));
                    } else if seen.insert(target.clone()) {
                        queue.push_back((target, path.clone()));
                    }
                }
                Ok(None) => {}
                // Links out are checked per tag (`page_problems`); anything else is one.
                Err(url) => {
                    let is_page_link = resp.content_type().starts_with("text/html");
                    if !is_page_link {
                        problems.push(format!("{path} references another host: {url}"));
                    }
                }
            }
        }
        fetched.insert(path, resp);
    }
    Crawl { fetched, problems }
}

/// What a page may not contain under the portal's Content-Security-Policy, and links
/// to other hosts that are not content links with `rel="noopener"`.
fn page_problems(path: &str, tags: &[Tag], port: u16) -> Vec<String> {
    let mut out = Vec::new();
    for t in tags {
        if t.name == "script" {
            if t.attr("src").is_none() {
                out.push(format!("{path}: inline <script>"));
            }
            if t.body.as_deref().is_some_and(|b| !b.trim().is_empty()) {
                out.push(format!("{path}: <script> with inline code"));
            }
        }
        if t.name == "style" {
            out.push(format!("{path}: inline <style>"));
        }
        for (k, v) in &t.attrs {
            if k.starts_with("on") && k.len() > 2 {
                out.push(format!("{path}: inline event handler {k} on <{}>", t.name));
            }
            if k == "style" {
                out.push(format!("{path}: inline style attribute on <{}>", t.name));
            }
            if v.trim_start()
                .to_ascii_lowercase()
                .starts_with("javascript:")
            {
                out.push(format!("{path}: javascript: URL in {k}"));
            }
        }
        for k in ["href", "src", "action", "poster"] {
            let Some(v) = t.attr(k) else { continue };
            if let Err(url) = resolve(path, v, port) {
                let content_link = t.name == "a"
                    && t.attr("rel")
                        .is_some_and(|r| r.split_whitespace().any(|x| x == "noopener"));
                if !content_link {
                    out.push(format!(
                        "{path}: <{} {k}> references another host: {url}",
                        t.name
                    ));
                }
            }
        }
    }
    out
}

/// The file on disk behind a request path.
fn file_of(public: &Path, prefix: &str, path: &str) -> PathBuf {
    let rest = percent_decode(path.strip_prefix(prefix).unwrap_or(path));
    let p = public.join(&rest);
    if rest.is_empty() || rest.ends_with('/') {
        p.join("index.html")
    } else {
        p
    }
}

fn assert_no_problems(what: &str, problems: &[String]) {
    assert!(
        problems.is_empty(),
        "{what}: {} problem(s):\n{}",
        problems.len(),
        problems
            .iter()
            .take(60)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

// ---------------------------------------------------------------------------------------
// The tests.

#[test]
fn nginx_serves_the_sample_portal_under_training() {
    let tmp = tempdir();
    let www = tmp.path().join("www");
    let public = www.join("training");
    jiangtang(
        &["--base-url", "/training/", "--precompress"],
        &repo(),
        &public,
    );
    let Some(nginx) = Nginx::start(&tmp.path().join("nginx"), &www) else {
        return;
    };
    let crawl = crawl(&nginx, "/training/", "/training/", &public);
    assert_no_problems("crawl of /training/", &crawl.problems);

    // The search client reads term chunks and page texts as ranges of their packs,
    // with the headers a browser sends.
    let dir: serde_json::Value = {
        use std::io::Read as _;
        let gz = std::fs::read(public.join("search/d/0.json.gz")).expect("search/d/0.json.gz");
        let mut raw = Vec::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_end(&mut raw)
            .expect("gunzip");
        serde_json::from_slice(&raw).expect("directory page")
    };
    let lens: Vec<usize> = dir["n"]
        .as_array()
        .expect("chunk lengths")
        .iter()
        .filter_map(|n| n.as_u64().map(|n| n as usize))
        .collect();
    assert!(lens.len() >= 2, "{dir}");
    let pack = std::fs::read(public.join("search/t/0.gz")).expect("search/t/0.gz");
    let (start, end) = (lens[0], lens[0] + lens[1]);
    let r = nginx.get_range("/training/search/t/0.gz?v=x", start, end - 1);
    assert_eq!(r.status, 206, "range request: {:?}", r.headers);
    assert_eq!(
        r.header("content-range"),
        Some(format!("bytes {start}-{}/{}", end - 1, pack.len()).as_str())
    );
    assert_eq!(r.body, pack[start..end], "the second chunk");
    assert_eq!(&r.body[..2], &[0x1f, 0x8b], "a chunk is a gzip member");
    assert_eq!(r.header("content-encoding"), None);
    let pages: Vec<(&String, &Response)> = crawl
        .fetched
        .iter()
        .filter(|(_, r)| r.status == 200 && r.content_type().starts_with("text/html"))
        .collect();
    assert!(pages.len() > 300, "only {} pages reached", pages.len());
    say(&format!(
        "nginx crawl: {} requests, {} pages, no 404, nothing outside /training/",
        crawl.fetched.len(),
        pages.len()
    ));

    let mut problems = Vec::new();
    for (path, r) in &crawl.fetched {
        if r.status != 200 {
            continue;
        }
        let ct = r.content_type();
        let csp = r.header("content-security-policy").unwrap_or("");
        if !csp.contains("script-src 'self'") || csp.contains("unsafe-inline") {
            problems.push(format!("{path}: Content-Security-Policy `{csp}`"));
        }
        if r.header("x-content-type-options") != Some("nosniff") {
            problems.push(format!("{path}: no X-Content-Type-Options: nosniff"));
        }
        let cache = r.header("cache-control").unwrap_or("");
        let fingerprinted = is_fingerprinted(path);
        if fingerprinted && !(cache.contains("immutable") && cache.contains("max-age=31536000")) {
            problems.push(format!(
                "{path}: fingerprinted asset with Cache-Control `{cache}`"
            ));
        }
        if !fingerprinted && cache != "no-cache" {
            problems.push(format!("{path}: Cache-Control `{cache}`, want no-cache"));
        }
        let textual = ct.starts_with("text/")
            || ct.starts_with("application/javascript")
            || ct.starts_with("application/json");
        if textual && !ct.to_ascii_lowercase().contains("charset=utf-8") {
            problems.push(format!("{path}: Content-Type `{ct}` without charset=utf-8"));
        }
        if path.ends_with(".ics") && !ct.starts_with("text/calendar") {
            problems.push(format!("{path}: calendar served as `{ct}`"));
        }
        if (path.ends_with(".css") || path.ends_with(".js")) && !fingerprinted {
            problems.push(format!("{path}: CSS/JS without a fingerprint in its name"));
        }
    }
    assert_no_problems("response headers", &problems);
    let calendars = crawl.fetched.keys().filter(|p| p.ends_with(".ics")).count();
    assert!(calendars > 5, "only {calendars} calendars reached");

    // gzip_static: every text file over 1 KiB has a .gz twin with the same mtime, which
    // nginx sends as it is to gzip clients, with the same Last-Modified.
    let mut compressed = 0;
    for (path, plain) in &crawl.fetched {
        if plain.status != 200 || plain.header("location").is_some() {
            continue;
        }
        let file = file_of(&public, "/training/", path);
        let gz = PathBuf::from(format!("{}.gz", file.display()));
        let size = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
        let text = jiangtang::publish::precompress::is_text(&file);
        if !(text && size > 1024) {
            assert!(!gz.exists(), "{} should not be precompressed", gz.display());
            continue;
        }
        assert!(gz.is_file(), "{} is missing", gz.display());
        let mtime = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
        assert_eq!(mtime(&file), mtime(&gz), "{}: mtime differs", gz.display());
        let r = nginx.get(path, true);
        assert_eq!(r.status, 200, "{path} with gzip");
        assert_eq!(
            r.header("content-encoding"),
            Some("gzip"),
            "{path}: not gzip"
        );
        assert_eq!(
            r.body,
            std::fs::read(&gz).expect("read .gz"),
            "{path}: not the precompressed file"
        );
        assert_eq!(
            r.header("last-modified"),
            plain.header("last-modified"),
            "{path}"
        );
        assert_eq!(r.content_type(), plain.content_type(), "{path}");
        assert!(
            r.header("vary")
                .is_some_and(|v| v.contains("Accept-Encoding")),
            "{path}: no Vary"
        );
        assert!(plain.header("content-encoding").is_none(), "{path}");
        compressed += 1;
    }
    assert!(compressed > 300, "only {compressed} gzip responses checked");

    // The portal's own 404 page, with the headers, for any missing path.
    let missing = nginx.get("/training/no-such-page/", false);
    assert_eq!(missing.status, 404);
    assert_eq!(
        missing.body,
        std::fs::read(public.join("404.html")).expect("404.html"),
        "not the portal's 404 page"
    );
    assert!(missing.header("content-security-policy").is_some());
    let redirect = nginx.get("/training", false);
    assert_eq!(redirect.status, 301);
    assert_eq!(redirect.header("location"), Some("/training/"));
    // Dot files (a running build's staging folder) are never served.
    std::fs::create_dir_all(public.join(".jt-staging-1")).expect("mkdir");
    std::fs::write(public.join(".jt-staging-1/index.html"), "x").expect("write");
    assert_eq!(
        nginx
            .get("/training/.jt-staging-1/index.html", false)
            .status,
        404
    );

    // The server saw requests under /training/ only.
    let log = nginx.access_log();
    let outside: Vec<&str> = log
        .lines()
        .filter(|l| {
            let req = l.split('"').nth(1).unwrap_or("");
            let path = req.split(' ').nth(1).unwrap_or("");
            !(path.starts_with("/training/") || path == "/training")
        })
        .collect();
    assert!(
        outside.is_empty(),
        "requests outside /training/:\n{}",
        outside.join("\n")
    );
}

fn is_fingerprinted(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or("");
    let parts: Vec<&str> = name.split('.').collect();
    parts.len() >= 3
        && matches!(parts[parts.len() - 1], "css" | "js")
        && parts[parts.len() - 2].len() == 8
        && parts[parts.len() - 2]
            .chars()
            .all(|c| c.is_ascii_hexdigit())
}

/// A small site whose stylesheet refers to an image, a font and another stylesheet (by
/// root-absolute and relative URLs), with an attachment and a link out.
fn site_with_stylesheet_references() -> Site {
    let site = Site::good();
    let theme_css = std::fs::read_to_string(repo().join("themes/default/static/css/site.css"))
        .expect("theme css");
    site.write(
        "static/css/site.css",
        format!("@import \"print.css\";\n{theme_css}\n.banner{{background:url(/img/banner.svg) no-repeat}}\n@font-face{{font-family:x;src:url('../fonts/x.woff2') format('woff2')}}\n").as_bytes(),
    );
    site.write(
        "static/css/print.css",
        b"@media print{.site-header{background:url(\"../img/banner.svg\")}}",
    );
    site.write(
        "static/img/banner.svg",
        b"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1\" height=\"1\"/>",
    );
    site.write("static/fonts/x.woff2", b"wOF2");
    site.write(
        "content/cases/an-li.md",
        "---\ntitle: 测试案例\nunit: 市发改委\ndate: 2026-01-01\n---\n\n案例，见[政策原文](https://www.gov.cn/zhengce/)和[材料](cai-liao.pdf)。\n".as_bytes(),
    );
    site.write("content/cases/cai-liao.pdf", b"%PDF-1.4\n");
    site
}

#[test]
fn stylesheet_references_work_under_the_base_path_and_relative_links_anywhere() {
    let site = site_with_stylesheet_references();
    for (base, mount) in [("/training/", "/training/"), ("", "/training/copy/deep/")] {
        let tmp = tempdir();
        let www = tmp.path().join("www");
        let public = www.join(mount.trim_matches('/'));
        jiangtang(&["--base-url", base, "--precompress"], site.root(), &public);
        let css: Vec<String> = std::fs::read_dir(public.join("css"))
            .expect("css folder")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().to_string())
            .filter(|n| n.ends_with(".css"))
            .collect();
        assert!(css.iter().any(|n| n.starts_with("print.")), "{css:?}");
        assert!(css.iter().all(|n| is_fingerprinted(n)), "{css:?}");
        let Some(nginx) = Nginx::start(&tmp.path().join("nginx"), &www) else {
            return;
        };
        let crawl = crawl(&nginx, mount, mount, &public);
        assert_no_problems(
            &format!("crawl of {mount} (base_url {base:?})"),
            &crawl.problems,
        );
        for want in [
            "img/banner.svg",
            "fonts/x.woff2",
            "cases/cai-liao.pdf",
            "atom.xml",
        ] {
            assert!(
                crawl.fetched.contains_key(&format!("{mount}{want}")),
                "{want} not reached under {mount}: {:?}",
                crawl.fetched.keys().collect::<Vec<_>>()
            );
        }
        assert!(
            crawl
                .fetched
                .keys()
                .any(|k| k.starts_with(&format!("{mount}css/print."))),
            "the imported stylesheet was not reached"
        );
        let case = std::fs::read_to_string(public.join("cases/an-li/index.html")).expect("case");
        assert!(
            case.contains("href=\"https://www.gov.cn/zhengce/\" rel=\"noopener\""),
            "external link without rel=noopener"
        );
        if base.is_empty() {
            // Nothing root-relative is left that points into the site.
            for (path, r) in &crawl.fetched {
                if r.content_type().starts_with("text/html") {
                    let text = String::from_utf8_lossy(&r.body);
                    for t in tags(&text) {
                        for (k, v) in &t.attrs {
                            assert!(
                                !v.starts_with('/') || v.starts_with("//"),
                                "{path}: root-relative {k}=\"{v}\" in relative mode"
                            );
                        }
                    }
                }
            }
        }
    }
}

/// The relative mode rewrites links after rendering; an incremental rebuild (the dev
/// server's path, which renders only some pages on top of the previous output) must give
/// what a full build gives.
#[test]
fn relative_mode_rebuilds_like_a_full_build() {
    let site = Site::good();
    let opts = jiangtang::Options {
        root: site.root().to_path_buf(),
        base_url: Some(String::new()),
        now: jiangtang::content::frontmatter::parse_datetime("2026-03-10 10:00"),
        ..jiangtang::Options::default()
    };
    let first = jiangtang::build(&opts).unwrap_or_else(|d| panic!("{d:?}"));
    let lesson = first
        .output
        .files
        .get("courses/ke-cheng/di-yi-ke/index.html")
        .map(|b| String::from_utf8_lossy(b).to_string())
        .unwrap_or_default();
    assert!(lesson.contains("href=\"../../../index.html\""), "{lesson}");
    assert!(lesson.contains("data-site-base=\"../../../\""), "{lesson}");
    site.write(
        "content/courses/ke-cheng/01-di-yi-ke.md",
        "---\ntitle: 第一课\nduration: 30\n---\n\n## 一、总体要求\n\n改过的正文，见[第二课](02-di-er-ke.md)。\n".as_bytes(),
    );
    let changed = [PathBuf::from("content/courses/ke-cheng/01-di-yi-ke.md")];
    let mut inc = jiangtang::rebuild(&first, &opts, &changed).unwrap_or_else(|d| panic!("{d:?}"));
    jiangtang::add_search_index(&inc.site, &mut inc.output);
    let full = jiangtang::build(&opts).unwrap_or_else(|d| panic!("{d:?}"));
    assert_eq!(
        inc.output.files.keys().collect::<Vec<_>>(),
        full.output.files.keys().collect::<Vec<_>>()
    );
    for (k, v) in &full.output.files {
        assert!(inc.output.files[k] == *v, "{k} differs from a full build");
    }
}

#[test]
fn theme_templates_print_links_and_assets_through_url_and_asset() {
    let dir = repo().join("themes/default/templates");
    let mut bad = Vec::new();
    for e in std::fs::read_dir(&dir).expect("templates").flatten() {
        let text = std::fs::read_to_string(e.path()).unwrap_or_default();
        for t in tags(&text) {
            for (k, v) in &t.attrs {
                let url_attr =
                    matches!(k.as_str(), "href" | "src" | "action" | "poster" | "srcset");
                if url_attr && v.starts_with('/') {
                    bad.push(format!("{}: {k}=\"{v}\"", e.file_name().to_string_lossy()));
                }
            }
        }
    }
    assert!(
        bad.is_empty(),
        "hard-coded root paths bypass the base path; use url(path=…) or asset(path=…):\n{}",
        bad.join("\n")
    );
}

#[test]
fn root_absolute_links_in_content_are_reported_with_their_position() {
    let site = Site::good();
    site.write(
        "content/cases/an-li.md",
        "---\ntitle: 测试案例\nunit: 市发改委\n---\n\n正文\n\n见[课程](/courses/ke-cheng/)和<a href=\"/oa/\">办公系统</a>。\n".as_bytes(),
    );
    let o = site.build(&["--lang", "en", "--base-url", "/training/"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("content/cases/an-li.md:8:2"), "{err}");
    assert!(err.contains("/courses/ke-cheng/"), "{err}");
    assert!(err.contains("@/courses/ke-cheng/index.md"), "{err}");
    assert!(err.contains("/oa/"), "{err}");
    // `check` reports them too, as warnings: the check passes.
    let o = Command::new(BIN)
        .args(["--lang", "en", "check", "--root"])
        .arg(site.root())
        .output()
        .expect("run jiangtang check");
    let out = format!("{}{}", stderr(&o), String::from_utf8_lossy(&o.stdout));
    assert!(o.status.success(), "{out}");
    assert!(out.contains("content/cases/an-li.md:8:2"), "{out}");
    assert!(out.contains("bypasses the site's base path"), "{out}");
}

/// A hash of every file under `dir` (relative path → size and content hash).
fn fingerprint_tree(dir: &Path) -> BTreeMap<String, (u64, u64)> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
    {
        if e.file_type().is_file() {
            let rel = e
                .path()
                .strip_prefix(dir)
                .expect("prefix")
                .to_string_lossy()
                .to_string();
            let bytes = std::fs::read(e.path()).expect("read");
            let mut h = std::collections::hash_map::DefaultHasher::new();
            bytes.hash(&mut h);
            out.insert(rel, (bytes.len() as u64, h.finish()));
        }
    }
    out
}

fn assert_same_tree(dir: &Path, want: &BTreeMap<String, (u64, u64)>, what: &str) {
    let got = fingerprint_tree(dir);
    let differ: Vec<&String> = got
        .keys()
        .chain(want.keys())
        .filter(|k| got.get(*k) != want.get(*k))
        .take(10)
        .collect();
    assert!(
        differ.is_empty(),
        "{what}: {} differs from a complete build in {differ:?}",
        dir.display()
    );
}

#[test]
fn output_on_a_tmpfs_and_on_a_mount_point_is_replaced_whole() {
    let site = site_with_stylesheet_references();
    let reference = tempdir();
    let ref_public = reference.path().join("public");
    jiangtang(&["--precompress"], site.root(), &ref_public);
    let want = fingerprint_tree(&ref_public);
    assert!(want.keys().any(|k| k.ends_with(".html.gz")));

    // /dev/shm: another file system than the site and the temp folder.
    let shm = Path::new("/dev/shm");
    if shm.is_dir() {
        let dir = tempfile::tempdir_in(shm).expect("tmpfs dir");
        let out = dir.path().join("public");
        std::fs::create_dir_all(out.join("stale")).expect("mkdir");
        jiangtang(&["--base-url", "/other/"], site.root(), &out);
        jiangtang(&["--precompress"], site.root(), &out);
        assert_same_tree(&out, &want, "output on /dev/shm");
    } else {
        say("SKIPPED the /dev/shm output check: no /dev/shm");
    }

    // A mount point as the output folder: the folder beside it is on another file
    // system, so the new site is staged inside and swapped in entry by entry. Run in a
    // private mount namespace, so that nothing stays mounted whatever happens.
    let probe = Command::new("unshare").args(["-m", "true"]).output();
    if !probe.is_ok_and(|o| o.status.success()) {
        say("SKIPPED the mount-point output check: `unshare -m` is not permitted here");
        return;
    }
    let tmp = tempdir();
    let mnt = tmp.path().join("mnt");
    let copy = tmp.path().join("copy");
    std::fs::create_dir_all(&mnt).expect("mkdir");
    let script = format!(
        "set -e\nmount -t tmpfs jiangtang-test \"$MNT\"\nmkdir \"$MNT/stale\"\n\"$BIN\" build --root \"$ROOT\" --output \"$MNT\" --now '{NOW}' --base-url /other/\n\"$BIN\" build --root \"$ROOT\" --output \"$MNT\" --now '{NOW}' --precompress\ncp -a \"$MNT/.\" \"$COPY\"\n"
    );
    let o = Command::new("unshare")
        .args(["-m", "--propagation", "private", "sh", "-c", &script])
        .env("MNT", &mnt)
        .env("COPY", &copy)
        .env("BIN", BIN)
        .env("ROOT", site.root())
        .output()
        .expect("unshare");
    if !o.status.success() && stderr(&o).contains("mount:") {
        say(&format!(
            "SKIPPED the mount-point output check: {}",
            stderr(&o).trim()
        ));
        return;
    }
    assert!(
        o.status.success(),
        "build into a mount point failed:\n{}",
        stderr(&o)
    );
    assert_same_tree(&copy, &want, "output into a mount point");
}

/// Builds of a large generated site killed with SIGKILL at random moments: after each,
/// `public/` is exactly the complete old site or the complete new one.
#[test]
fn killed_builds_leave_the_old_or_the_new_site() {
    let generator = repo().join("../shared/bench/gen_corpus.py");
    if !generator.is_file() {
        unavailable(
            "the kill -9 test",
            &format!(
                "the corpus generator {} is missing (shared/ must sit beside the repository)",
                generator.display()
            ),
        );
        return;
    }
    let pages: u32 = std::env::var("JIANGTANG_KILL_PAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(600);
    let kills: u32 = std::env::var("JIANGTANG_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(24);
    let tmp = tempdir();
    // Its own copy of the binary: the shared target folder may be rebuilt meanwhile.
    let bin = tmp.path().join("jiangtang");
    std::fs::copy(BIN, &bin).expect("copy the binary");
    let site = tmp.path().join("site");
    let o = Command::new("python3")
        .arg(&generator)
        .args([
            "--pages",
            &pages.to_string(),
            "--seed",
            "1",
            "--flavor",
            "jiangtang",
            "--out",
        ])
        .arg(&site)
        .output()
        .expect("run python3 gen_corpus.py");
    assert!(o.status.success(), "gen_corpus.py failed:\n{}", stderr(&o));

    // Two different complete builds: the site under /a/ and under /b/.
    let variants = ["/a/", "/b/"];
    let args = |base: &'static str| ["--base-url", base, "--precompress"];
    let mut refs = Vec::new();
    let mut took = Duration::ZERO;
    for base in variants {
        let out = tmp.path().join(format!("ref{}", base.trim_matches('/')));
        let t = Instant::now();
        build_with(&bin, &args(base), &site, &out.join("public"));
        took = took.max(t.elapsed());
        refs.push(fingerprint_tree(&out.join("public")));
    }
    assert_ne!(refs[0], refs[1]);
    let files = refs[0].len();

    let work = tmp.path().join("work");
    let public = work.join("public");
    let t = Instant::now();
    build_with(&bin, &args(variants[0]), &site, &public);
    took = took.max(t.elapsed());
    assert_same_tree(&public, &refs[0], "the first build");

    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15 ^ u64::from(pages);
    let mut random = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let (mut mid_write, mut old, mut new) = (0, 0, 0);
    let mut current = 0;
    let mut i = 0;
    while i < kills || ((mid_write == 0 || new == 0) && i < kills * 2) {
        let variant = 1 - current;
        // Every other kill anywhere from the start to a little past the usual end of a
        // build; the others from 60 % to 150 %, where it writes and swaps (builds
        // take longer or shorter as the machine is busy).
        let uniform = (random() % 1000) as f64 / 1000.0;
        let fraction = if i % 2 == 0 {
            0.05 + uniform
        } else {
            0.6 + 0.9 * uniform
        };
        let delay = took.mul_f64(fraction);
        let mut child = Command::new(&bin)
            .arg("build")
            .arg("--root")
            .arg(&site)
            .arg("--output")
            .arg(&public)
            .args(["--now", NOW])
            .args(args(variants[variant]))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start build");
        std::thread::sleep(delay);
        let pid = child.id();
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        // Its staging folder is there when the kill hit it writing or swapping.
        let staging_left = work.join(format!(".public.jt-staging-{pid}")).exists();
        let now = fingerprint_tree(&public);
        let which = refs.iter().position(|r| *r == now);
        assert!(
            which.is_some(),
            "after a kill at {delay:?} ({:.0}% of a build), public/ is neither complete build: {} files, want {files}",
            fraction * 100.0,
            now.len()
        );
        if staging_left {
            mid_write += 1;
        }
        if which == Some(variant) {
            new += 1;
            current = variant;
        } else {
            old += 1;
        }
        i += 1;
    }
    say(&format!(
        "kill -9 test: {pages}-page site ({files} files, a build takes {took:.1?}); {i} kills: public/ was the old site {old} times, the new one {new} times; {mid_write} kills hit a build while it was writing"
    ));
    assert!(mid_write > 0, "no kill landed while a build was writing");
    // The next complete build removes what killed builds left behind.
    build_with(&bin, &args(variants[0]), &site, &public);
    assert_same_tree(&public, &refs[0], "the build after the kills");
    let leftovers: Vec<String> = std::fs::read_dir(&work)
        .expect("work dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n != "public")
        .collect();
    assert!(leftovers.is_empty(), "left behind: {leftovers:?}");
}
