//! `jiangtang serve`: the preview server editors keep open while they write.
//!
//! One process, three kinds of threads around one shared value, the [`Snapshot`] of the
//! last good build:
//!
//! - HTTP workers (`http`) answer GET/HEAD from the snapshot's in-memory output, mounted
//!   under the base path exactly like the published site, with a live-reload script
//!   injected into every HTML answer. Nothing is written to `public/`.
//! - The watcher (`watch`, notify + its full debouncer; `poll` with `--poll`) turns
//!   saves into batches of changed paths.
//! - The builder (`build`) rebuilds after each batch, swaps the snapshot in one step (a
//!   request sees the complete old or the complete new build, never half of one) and
//!   only then tells the browsers (`live`, Server-Sent Events on the same port): reload,
//!   swap stylesheets, or show the diagnostics over the page. A failed build keeps the
//!   last good one served.
//!
//! The browser side is `live.js` (injected; overlay, reload keeping the scroll position,
//! stylesheet swap) and `worker.js` (a SharedWorker holding one event stream for all
//! tabs of the site, so many open tabs do not use up the browser's six connections per
//! host). Both are plain ES2019 files served from `<base>__jiangtang/`, no inline code,
//! so they work under the portal's strict Content-Security-Policy.
//!
//! `JIANGTANG_SERVE_HEARTBEAT_MS` sets how often idle event streams are pinged (and dead
//! ones noticed); tests make it short.

mod build;
mod http;
pub(crate) mod live;
pub(crate) mod paths;
mod poll;
pub(crate) mod watch;

use std::collections::BTreeMap;
use std::io::ErrorKind;
use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use crate::diagnostic::{Diagnostic, Lang, Text};
use crate::{Built, Options};

/// Everything `jiangtang serve` is told on the command line.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site to build (root, base URL override, drafts).
    pub site: Options,
    /// Address to listen on (`127.0.0.1` by default; a name such as `localhost` works).
    pub bind: String,
    /// Port (0: any free port; the address is printed).
    pub port: u16,
    /// Poll for changes instead of using the system's notifications.
    pub poll: bool,
    /// Open the preview in the default browser.
    pub open: bool,
    /// Language of the terminal and overlay messages.
    pub lang: Lang,
}

/// The build being served. Replaced as a whole after each successful build.
pub(crate) struct Snapshot {
    /// The last good build; `None` until the first one succeeds.
    pub(crate) built: Option<Arc<Built>>,
    /// Names this build in pages and events (`<instance>-<n>`).
    pub(crate) build_id: String,
    /// Where the site is mounted (`/` or `/training/`).
    pub(crate) base_path: String,
    /// Why there is no good build yet (shown as the page until there is).
    pub(crate) failure: Vec<Diagnostic>,
    /// Fingerprinted CSS and JS of recent builds that this one no longer has, by output
    /// path → (build number, bytes): a page loaded just before a swap still gets its
    /// stylesheet and scripts.
    pub(crate) retired: Arc<BTreeMap<String, (u64, Vec<u8>)>>,
    /// The search index (`search/…` but `search/index.html`) when it is fresher than the
    /// build's own: an incremental rebuild leaves the index as it was, and it is built
    /// again in the background after the reload.
    pub(crate) search: Option<Arc<crate::Output>>,
    /// Whether the search index served is this build's (not yet, right after a rebuild).
    pub(crate) search_fresh: bool,
}

/// Counters shown at `<base>__jiangtang/status` (tests read them).
#[derive(Default)]
pub(crate) struct Stats {
    pub(crate) builds: AtomicU64,
    pub(crate) failed: AtomicU64,
}

/// What every thread of the server shares.
pub(crate) struct Shared {
    snapshot: RwLock<Arc<Snapshot>>,
    pub(crate) hub: Arc<live::Hub>,
    pub(crate) stats: Stats,
    pub(crate) lang: Lang,
    /// Changes the build id of every server start, so tabs left open across a restart
    /// reload.
    instance: String,
    builds_done: AtomicU64,
    /// Our own address on loopback, for `http::kick`.
    pub(crate) kick_addr: SocketAddr,
}

impl Shared {
    pub(crate) fn snapshot(&self) -> Arc<Snapshot> {
        Arc::clone(&self.snapshot.read().unwrap_or_else(|e| e.into_inner()))
    }

    /// Swaps in `snap`; returns the one it replaces (freeing a big build takes a while:
    /// the caller chooses when).
    fn set(&self, snap: Snapshot) -> Arc<Snapshot> {
        let mut slot = self.snapshot.write().unwrap_or_else(|e| e.into_inner());
        std::mem::replace(&mut *slot, Arc::new(snap))
    }

    /// Replaces the snapshot with `f(current)` only while it is still build `id`;
    /// false when a newer build came first.
    fn replace_if(&self, id: &str, f: impl FnOnce(&Snapshot) -> Snapshot) -> bool {
        let mut slot = self.snapshot.write().unwrap_or_else(|e| e.into_inner());
        if slot.build_id != id {
            return false;
        }
        *slot = Arc::new(f(&slot));
        true
    }

    /// The number and the id of the next good build.
    fn next_build_id(&self) -> (u64, String) {
        let n = self.builds_done.fetch_add(1, Ordering::SeqCst) + 1;
        (n, format!("{}-{n}", self.instance))
    }
}

/// Builds the site, serves it and rebuilds on every change until the process is
/// stopped. Returns only when the server cannot start (address in use, site folder
/// missing); problems in the content never end it.
pub fn run(opts: ServeOptions) -> Result<(), Diagnostic> {
    let lang = opts.lang;
    crate::require_site(&opts.site.root)?;
    // Absolute, as the watcher reports paths. Not canonical: on Windows that is a
    // `\\?\C:\…` path, to which paths joined with `/` (a diagnostic's source file) do
    // not resolve.
    let root = std::path::absolute(&opts.site.root)
        .and_then(|root| std::fs::metadata(&root).map(|_| root))
        .map_err(|e| crate::io_diag(&opts.site.root, &e))?;
    let site_opts = Options {
        root: root.clone(),
        ..opts.site.clone()
    };
    let addr = resolve_bind(&opts.bind, opts.port)?;
    let server = tiny_http::Server::http(addr).map_err(|e| bind_failed(addr, &*e))?;
    let addr = server
        .server_addr()
        .to_ip()
        .ok_or_else(|| bind_failed(addr, &std::io::Error::from(ErrorKind::AddrNotAvailable)))?;
    let server = Arc::new(server);

    let heartbeat = std::env::var("JIANGTANG_SERVE_HEARTBEAT_MS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .map_or(Duration::from_secs(10), Duration::from_millis);
    let instance = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64 & 0xff_ffff_ffff);
    let shared = Arc::new(Shared {
        snapshot: RwLock::new(Arc::new(Snapshot {
            built: None,
            build_id: String::new(),
            base_path: "/".into(),
            failure: Vec::new(),
            retired: Arc::default(),
            search: None,
            search_fresh: false,
        })),
        hub: Arc::new(live::Hub::new(heartbeat, lang)),
        stats: Stats::default(),
        lang,
        instance: format!("{instance:x}"),
        builds_done: AtomicU64::new(0),
        kick_addr: SocketAddr::new(
            match addr.ip() {
                ip if !ip.is_unspecified() => ip,
                IpAddr::V4(_) => IpAddr::V4(std::net::Ipv4Addr::LOCALHOST),
                IpAddr::V6(_) => IpAddr::V6(std::net::Ipv6Addr::LOCALHOST),
            },
            addr.port(),
        ),
    });

    // Watch before the first build, so a save during it is not lost.
    let (tx, rx) = std::sync::mpsc::channel();
    let output_dir = root.join("public");
    // Images missing from the cache are made after the first page is served, by a
    // thread of their own that asks for a build when they are there.
    let images_tx = {
        let (images_tx, images_rx) = std::sync::mpsc::channel();
        let (root, changes) = (root.clone(), tx.clone());
        std::thread::Builder::new()
            .name("jiangtang-images".into())
            .spawn(move || build::make_images(&root, &images_rx, &changes))
            .map_err(|e| crate::io_diag("serve", &e))?;
        images_tx
    };
    let _watch = match watch::start(&root, &output_dir, opts.poll, tx) {
        Ok(w) => Some(w),
        Err(e) => {
            crate::platform::err_line(Text::new(format!(
                        "警告：无法监视文件改动（{e}），修改后不会自动更新。网络盘或 WSL 上请加 --poll。"
                    ), format!(
                        "warning: cannot watch for changes ({e}); pages will not update. On network drives or WSL use --poll."
                    )).get(lang));
            None
        }
    };

    say(Text::new("正在生成站点……", "building the site…").get(lang));
    let seen_warnings = build::initial(&shared, &site_opts, &images_tx);
    let search_tx = {
        let (tx, rx) = std::sync::mpsc::channel();
        let shared = Arc::clone(&shared);
        std::thread::Builder::new()
            .name("jiangtang-search".into())
            .spawn(move || build::refresh_search(&shared, &rx))
            .map_err(|e| crate::io_diag("serve", &e))?;
        tx
    };

    let snap = shared.snapshot();
    let url = format!("http://{}{}", host_for_url(&addr), snap.base_path);
    say(Text::new(format!("预览地址：{url}"), format!("preview at {url}")).get(lang));
    say(Text::new("修改 content/、site.yaml、themes/、templates/、static/ 中的文件后自动更新；按 Ctrl+C 停止。", "pages update when files in content/, site.yaml, themes/, templates/ or static/ change; Ctrl+C stops.").get(lang));
    if !addr.ip().is_loopback() {
        crate::platform::err_line(Text::new(format!(
                    "警告：正在监听 {addr}，同一网络中的其他电脑也能打开预览（包括草稿）。只在本机预览请去掉 --bind。"
                ), format!(
                    "warning: listening on {addr}: other computers on the network can open the preview (drafts included). Drop --bind to keep it on this computer."
                )).get(lang));
    }

    {
        let shared = Arc::clone(&shared);
        std::thread::Builder::new()
            .name("jiangtang-build".into())
            .spawn(move || {
                build::run(
                    &shared,
                    &site_opts,
                    rx,
                    seen_warnings,
                    &search_tx,
                    &images_tx,
                )
            })
            .map_err(|e| crate::io_diag("serve", &e))?;
    }
    if opts.open {
        open_browser(&url, lang);
    }
    {
        // While event streams hold pool threads, a connection can wait in tiny_http's
        // queue; a kick now and then lets a fresh thread take it (see `http`).
        let shared = Arc::clone(&shared);
        std::thread::Builder::new()
            .name("jiangtang-kick".into())
            .spawn(move || {
                loop {
                    std::thread::sleep(Duration::from_secs(1));
                    if shared.hub.connected() > 0 {
                        http::kick(shared.kick_addr);
                    }
                }
            })
            .map_err(|e| crate::io_diag("serve", &e))?;
    }
    let mut workers = Vec::new();
    for i in 0..WORKERS {
        let server = Arc::clone(&server);
        let shared = Arc::clone(&shared);
        let handle = std::thread::Builder::new()
            .name(format!("jiangtang-http-{i}"))
            .spawn(move || http::worker(&server, &shared))
            .map_err(|e| crate::io_diag("serve", &e))?;
        workers.push(handle);
    }
    for w in workers {
        let _ = w.join();
    }
    Ok(())
}

/// Threads answering requests. Answers come from memory and event streams get their
/// own threads, so a handful is plenty.
const WORKERS: usize = 8;

fn resolve_bind(bind: &str, port: u16) -> Result<SocketAddr, Diagnostic> {
    let host = bind.trim_start_matches('[').trim_end_matches(']');
    if let Ok(ip) = host.parse::<IpAddr>() {
        return Ok(SocketAddr::new(ip, port));
    }
    (host, port)
        .to_socket_addrs()
        .ok()
        .and_then(|mut a| a.next())
        .ok_or_else(|| {
            Diagnostic::argument(Text::new(
                format!("--bind 的地址“{bind}”无法识别"),
                format!("--bind: cannot resolve the address `{bind}`"),
            ))
            .with_hint(Text::new(
                "使用 IP 地址，例如 127.0.0.1（默认，仅本机）",
                "use an IP address such as 127.0.0.1 (the default, this computer only)",
            ))
        })
}

fn bind_failed(addr: SocketAddr, e: &(dyn std::error::Error + 'static)) -> Diagnostic {
    let port = addr.port();
    // The system's own words are English: the common causes are said in both languages.
    let why = match e.downcast_ref::<std::io::Error>().map(std::io::Error::kind) {
        Some(ErrorKind::AddrInUse) => Text::new(
            format!("端口 {port} 已被占用（另一个 jiangtang serve 或其他程序）"),
            format!("port {port} is in use (another jiangtang serve or another program)"),
        ),
        Some(ErrorKind::PermissionDenied) => Text::new(
            format!("没有使用端口 {port} 的权限（1024 以下的端口需要管理员权限）"),
            format!(
                "no permission to use port {port} (ports below 1024 need administrator rights)"
            ),
        ),
        Some(ErrorKind::AddrNotAvailable) => Text::new(
            format!("这台电脑没有地址 {}（--bind）", addr.ip()),
            format!("this computer has no address {} (--bind)", addr.ip()),
        ),
        _ => Text::new(format!("系统报告：{e}"), format!("the system says: {e}")),
    };
    let next = port.wrapping_add(1).max(1024);
    Diagnostic::argument(Text::new(
        format!("无法在 {addr} 上启动预览服务器：{}", why.zh),
        format!("cannot start the preview server on {addr}: {}", why.en),
    ))
    .with_hint(Text::new(
        format!("换一个端口：在原来的命令后面加上 --port {next}；或先关掉正在运行的预览"),
        format!("pick another port: add --port {next} to the same command, or stop the preview already running"),
    ))
}

/// `127.0.0.1` or `[::1]`; the unspecified address is shown as loopback, which is where
/// the editor's own browser reaches it.
fn host_for_url(addr: &SocketAddr) -> String {
    let ip = match addr.ip() {
        IpAddr::V4(v4) if v4.is_unspecified() => IpAddr::V4(std::net::Ipv4Addr::LOCALHOST),
        IpAddr::V6(v6) if v6.is_unspecified() => IpAddr::V6(std::net::Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    match ip {
        IpAddr::V4(v4) => format!("{v4}:{}", addr.port()),
        IpAddr::V6(v6) => format!("[{v6}]:{}", addr.port()),
    }
}

fn open_browser(url: &str, lang: Lang) {
    if !crate::platform::open_browser(url) {
        crate::platform::err_line(
            Text::new(
                format!("无法自动打开浏览器，请手动打开 {url}"),
                format!("could not open a browser; open {url} yourself"),
            )
            .get(lang),
        );
    }
}

/// A line on stdout, flushed at once (tests and wrappers read it through a pipe).
pub(crate) fn say(line: &str) {
    crate::platform::out_line(line);
}

/// `[10:15:02] ` in local time, in front of each rebuild line.
pub(crate) fn clock() -> String {
    jiff::ZonedDateTime::now()
        .strftime("[%H:%M:%S] ")
        .to_string()
}

/// Milliseconds for messages.
pub(crate) fn ms(since: Instant) -> u128 {
    since.elapsed().as_millis()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bind_addresses_and_urls() {
        let a = resolve_bind("127.0.0.1", 1111).unwrap();
        assert!(a.ip().is_loopback());
        assert_eq!(host_for_url(&a), "127.0.0.1:1111");
        let a = resolve_bind("[::1]", 80).unwrap();
        assert_eq!(host_for_url(&a), "[::1]:80");
        let a = resolve_bind("0.0.0.0", 8).unwrap();
        assert!(!a.ip().is_loopback());
        assert_eq!(host_for_url(&a), "127.0.0.1:8");
    }
}
