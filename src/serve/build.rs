//! The builder thread of `jiangtang serve`: the first build, then one rebuild per batch
//! of changes, the snapshot swap, the event to the browsers and the terminal lines.
//!
//! Rebuilds go through `crate::rebuild` (incremental: an edited page is re-parsed and
//! only what shows it is rendered again; templates, themes and site.yaml rebuild all).
//! Batches that arrive while a build runs are merged into the next one. The paths passed
//! to the rebuild are every change since the last good build (a failed build produced
//! nothing, so its changes are still pending). A failed build is reported only when no
//! further change arrives within [`ERROR_GRACE`]: an editor that writes a file in two
//! steps does not flash an error in every tab.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use serde_json::{Map, Value};

use super::watch::Change;
use super::{Shared, Snapshot, clock, ms, say};
use crate::diagnostic::{Diagnostic, Lang, Text};
use crate::publish::assets::unfingerprint;
use crate::search::delta::IndexBase;
use crate::search::{IndexOptions, SearchDoc, is_index_file};
use crate::{Built, Options, Output};

/// How long a failed build waits for a follow-up save before it is reported.
const ERROR_GRACE: Duration = Duration::from_millis(150);

/// The first build, before the server answers. Returns the warnings it printed.
pub(crate) fn initial(shared: &Shared, opts: &Options, images: &Sender<()>) -> HashSet<String> {
    let started = Instant::now();
    shared.stats.builds.fetch_add(1, Ordering::SeqCst);
    match crate::build(opts) {
        Ok(built) => {
            let pages = built
                .output
                .files
                .keys()
                .filter(|k| k.ends_with(".html"))
                .count();
            let mut seen = HashSet::new();
            print_new_warnings(&built.warnings, &mut seen, shared.lang);
            let secs = started.elapsed().as_secs_f64();
            say(Text::new(
                format!("已生成 {pages} 个页面，用时 {secs:.2} 秒（只在内存中，不写入 public/）"),
                format!("built {pages} pages in {secs:.2} s (in memory; public/ is not written)"),
            )
            .get(shared.lang));
            ask_for_images(&built, images);
            publish(shared, built, false, None, true);
            seen
        }
        Err(diags) => {
            fail(shared, opts, &diags);
            HashSet::new()
        }
    }
}

/// Rebuilds on every batch from the watcher until the watcher goes away.
pub(crate) fn run(
    shared: &Shared,
    opts: &Options,
    rx: Receiver<Change>,
    mut seen_warnings: HashSet<String>,
    search: &Sender<(String, Arc<Built>)>,
    images: &Sender<()>,
) {
    let mut pending: BTreeSet<PathBuf> = BTreeSet::new();
    let mut carry: Option<Change> = None;
    let mut full_next = false;
    loop {
        let first = match carry.take() {
            Some(c) => c,
            None => match rx.recv() {
                Ok(c) => c,
                Err(_) => return,
            },
        };
        let mut fresh = BTreeSet::new();
        absorb(first, &mut fresh, shared.lang);
        while let Ok(c) = rx.try_recv() {
            absorb(c, &mut fresh, shared.lang);
        }
        if fresh.is_empty() {
            continue;
        }
        pending.extend(fresh.iter().cloned());
        let changed: Vec<PathBuf> = pending.iter().cloned().collect();
        let started = Instant::now();
        shared.stats.builds.fetch_add(1, Ordering::SeqCst);
        let snap = shared.snapshot();
        let result = guarded(|| match &snap.built {
            Some(prev) if !full_next => crate::rebuild(prev, opts, &changed),
            _ => crate::build(opts),
        });
        // After an internal error the incremental state is not trusted again.
        full_next = matches!(&result, Err(d) if d.iter().any(is_internal));
        match result {
            Ok(built) => {
                let css_only = snap.built.is_some() && only_styles(&opts.root, &changed);
                let base_before = snap.base_path.clone();
                let css = css_only.then(|| {
                    let old = snap.built.as_ref().map(|b| &b.output);
                    old.map_or(Value::Object(Map::new()), |old| {
                        css_swap(old, &built.output, &built.site.config.base_path)
                    })
                });
                drop(snap);
                let base_after = built.site.config.base_path.clone();
                ask_for_images(&built, images);
                let (built, id) = publish(shared, built, css_only, css, false);
                let _ = search.send((id, Arc::clone(&built)));
                pending.clear();
                print_new_warnings(&built.warnings, &mut seen_warnings, shared.lang);
                let what = describe(&fresh, shared.lang);
                let took = ms(started);
                say(&format!(
                    "{}{}",
                    clock(),
                    match (shared.lang, css_only) {
                        (Lang::Zh, false) => format!("已更新：{what}（{took} 毫秒）"),
                        (Lang::Zh, true) => {
                            format!("已更新样式：{what}（{took} 毫秒，页面不刷新）")
                        }
                        (Lang::En, false) => format!("rebuilt: {what} ({took} ms)"),
                        (Lang::En, true) => {
                            format!("restyled: {what} ({took} ms, no reload)")
                        }
                    }
                ));
                if base_after != base_before {
                    say(Text::new(
                        format!("站点路径已改为 {base_after}，请在浏览器中打开新地址"),
                        format!("the site now lives under {base_after}; open the new address"),
                    )
                    .get(shared.lang));
                }
            }
            Err(diags) => {
                drop(snap);
                match rx.recv_timeout(ERROR_GRACE) {
                    Ok(c) => carry = Some(c), // more is being saved: build again first
                    Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => {
                        fail(shared, opts, &diags)
                    }
                }
            }
        }
    }
}

/// Asks the image maker for the images `built` planned but did not make.
fn ask_for_images(built: &Built, images: &Sender<()>) {
    if built.images.pending > 0 {
        let _ = images.send(());
    }
}

/// Makes the images that builds planned from their headers (each request: every image
/// not in the cache), then asks for a build that shows them, as if they had been saved.
pub(crate) fn make_images(root: &Path, rx: &Receiver<()>, changes: &Sender<Change>) {
    while rx.recv().is_ok() {
        while rx.try_recv().is_ok() {}
        let Ok((_, mut assets)) = crate::content::walk(root) else {
            continue;
        };
        let counts = crate::media::prepare(root, &mut assets, crate::media::Work::Now);
        let broken = assets
            .iter()
            .any(|a| matches!(a.media, Some(crate::media::Media::Broken(_))));
        if counts.processed == 0 && !broken {
            continue;
        }
        let made: BTreeSet<PathBuf> = assets
            .iter()
            .filter(|a| a.media.is_some())
            .map(crate::content::AssetFile::source_path)
            .collect();
        if changes.send(Change::Paths(made)).is_err() {
            return;
        }
    }
}

/// Runs a build; a panic in it (a bug, never the content's fault) becomes a diagnostic,
/// so the server keeps serving the last good build.
fn guarded(
    build: impl FnOnce() -> Result<Built, Vec<Diagnostic>>,
) -> Result<Built, Vec<Diagnostic>> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(build)).unwrap_or_else(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(vec![
            Diagnostic::error(
                INTERNAL,
                0,
                0,
                Text::new(
                    format!("jiangtang 内部错误：{what}"),
                    format!("internal error in jiangtang: {what}"),
                ),
            )
            .with_hint(Text::new(
                "这不是内容的问题。请把终端中的信息报告给维护者；再次保存文件会完整重新生成",
                "not a problem in the content: please report the terminal output; saving again rebuilds everything",
            )),
        ])
    })
}

/// The path of diagnostics about our own bugs.
const INTERNAL: &str = "jiangtang";

fn is_internal(d: &Diagnostic) -> bool {
    d.path.as_os_str() == INTERNAL && d.line == 0
}

fn absorb(change: Change, into: &mut BTreeSet<PathBuf>, lang: Lang) {
    match change {
        Change::Paths(p) => into.extend(p),
        // Lost events: build everything (a site.yaml change rebuilds all).
        Change::Rescan => {
            into.insert(PathBuf::from(super::watch::SITE_YAML));
        }
        Change::Problem(e) => crate::platform::err_line(format_args!(
            "{}{}",
            clock(),
            Text::new(
                format!("监视文件时出错：{e}（网络盘或 WSL 上请用 --poll）"),
                format!("file watching problem: {e} (on network drives or WSL use --poll)")
            )
            .get(lang)
        )),
    }
}

/// Swaps in a good build, then tells the browsers. The outgoing build is freed only
/// after that, off the path from the save to the reload, on a thread of its own.
fn publish(
    shared: &Shared,
    built: Built,
    css_only: bool,
    css: Option<Value>,
    search_fresh: bool,
) -> (Arc<Built>, String) {
    let (number, id) = shared.next_build_id();
    let base_path = built.site.config.base_path.clone();
    let prev = shared.snapshot();
    let retired = retire(&prev, &built, number);
    // Until the index of this build is ready, the last refreshed one is the freshest.
    let search = prev.search.clone();
    drop(prev);
    let built = Arc::new(built);
    let outgoing = shared.set(Snapshot {
        built: Some(Arc::clone(&built)),
        build_id: id.clone(),
        base_path,
        failure: Vec::new(),
        retired,
        search: if search_fresh { None } else { search },
        search_fresh,
    });
    match css {
        Some(swap) if css_only => shared.hub.css(&id, &swap, &built.warnings),
        _ => shared.hub.reload(&id, &built.warnings),
    }
    // Beside the builder, so that a save right after this one is not kept waiting: the
    // copy of the output the next rebuild renders into, then freeing the outgoing build.
    let next = Arc::clone(&built);
    let _ = std::thread::Builder::new()
        .name("jiangtang-tidy".into())
        .spawn(move || {
            next.prepare_rebuild();
            drop(next);
            drop(outgoing);
        });
    (built, id)
}

/// How long the builder must have been quiet before the search index is refreshed
/// with a delta (a few milliseconds of work per changed page).
const DELTA_QUIET: Duration = Duration::from_millis(100);

/// How long the builder must have been quiet before the search index is built again
/// in full: indexing a big site takes seconds, and the next save's rebuild should not
/// share the processor with it.
const SEARCH_QUIET: Duration = Duration::from_millis(1000);

/// Most pages a delta holds or hides before a full index is built instead: 64, or a
/// sixteenth of the site when that is more.
fn delta_limit(base_pages: usize) -> usize {
    (base_pages / 16).max(64)
}

/// Output files by path, as an `Output` holds them.
type Files = Vec<(Arc<str>, Arc<[u8]>)>;

/// The last full index: what it was built from and its files (`search/…` but
/// `search/index.html`).
struct SearchBase {
    index: IndexBase,
    files: Arc<Output>,
}

impl SearchBase {
    fn new(docs: &[SearchDoc], files: Output) -> Option<SearchBase> {
        let entry = files.files.get("search/index.json.gz")?;
        let index = IndexBase::new(docs, entry)?;
        Some(SearchBase {
            index,
            files: Arc::new(files),
        })
    }

    /// The base of the index that `built` holds (a full build's).
    fn of_build(built: &Built) -> Option<SearchBase> {
        let mut files = Output::default();
        files.files = built
            .output
            .files
            .iter()
            .filter(|(path, _)| is_index_file(path))
            .map(|(path, bytes)| (Arc::clone(path), Arc::clone(bytes)))
            .collect();
        SearchBase::new(&crate::search::site::docs(&built.site), files)
    }

    /// The index files with a delta numbered `n` of `docs`, and the delta's own files
    /// (without the entry, which points at it); `None` when too many pages changed.
    /// `kept` are the files of the previous delta, served one more round.
    fn with_delta(&self, docs: &[SearchDoc], n: u64, kept: &Files) -> Option<(Output, Files)> {
        let changes = self.index.changes(docs);
        if changes.len() > delta_limit(self.index.len()) {
            return None;
        }
        let mut out = (*self.files).clone();
        if changes.is_empty() {
            return Some((out, Vec::new()));
        }
        out.files.extend(kept.iter().cloned());
        let mut fresh = Vec::new();
        for (path, bytes) in self
            .index
            .delta(docs, &changes, n, &IndexOptions::default())
        {
            let (path, bytes): (Arc<str>, Arc<[u8]>) = (path.into(), bytes.into());
            if &*path != "search/index.json.gz" {
                fresh.push((Arc::clone(&path), Arc::clone(&bytes)));
            }
            out.files.insert(path, bytes);
        }
        Some((out, fresh))
    }
}

/// Runs `f` on the indexing pool (or here, when there is none).
fn on_pool<R: Send>(pool: Option<&rayon::ThreadPool>, f: impl FnOnce() -> R + Send) -> R {
    match pool {
        Some(pool) => pool.install(f),
        None => f(),
    }
}

/// Refreshes the search index of each rebuild after its reload went out (the rebuild
/// leaves the index as it was) and serves it with that build, unless a newer build
/// came first. Waits for a quiet moment and indexes only the latest build: the pages
/// that changed since the last full index go into a delta (see `search::delta`);
/// when too many changed, the whole index is built again after a longer quiet.
pub(crate) fn refresh_search(shared: &Shared, rx: &Receiver<(String, Arc<Built>)>) {
    // Indexing runs on a pool of its own with one thread: on the shared pool its tasks
    // would queue in front of the next rebuild's pages. The thread runs at the lowest
    // priority, so that a save while it indexes gets the processor at once.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .thread_name(|_| "jiangtang-index".into())
        .start_handler(|_| crate::platform::lower_thread_priority())
        .build()
        .ok();
    let pool = pool.as_ref();
    let first = shared.snapshot().built.clone();
    let mut base = first.and_then(|built| {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            on_pool(pool, || SearchBase::of_build(&built))
        }))
        .ok()
        .flatten()
    });
    let mut deltas = 0u64;
    // The files of the delta served last, kept one more round for a tab that read
    // its entry just before it was replaced.
    let mut last_delta: Files = Vec::new();
    let mut next = None;
    loop {
        let mut job = match next.take() {
            Some(job) => job,
            None => match rx.recv() {
                Ok(job) => job,
                Err(_) => return,
            },
        };
        while let Ok(newer) = rx.recv_timeout(DELTA_QUIET) {
            job = newer;
        }
        let (id, built) = job;
        let step = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            on_pool(pool, || {
                let docs = crate::search::site::docs(&built.site);
                let delta = base
                    .as_ref()
                    .and_then(|b| b.with_delta(&docs, deltas + 1, &last_delta));
                (docs, delta)
            })
        }));
        let Ok((docs, delta)) = step else { continue };
        let index = match delta {
            Some((out, fresh)) => {
                if !fresh.is_empty() {
                    deltas += 1;
                }
                last_delta = fresh;
                out
            }
            None => {
                // A full index takes seconds: only after a longer quiet moment.
                match rx.recv_timeout(SEARCH_QUIET) {
                    Ok(newer) => {
                        next = Some(newer);
                        continue;
                    }
                    Err(RecvTimeoutError::Disconnected) => return,
                    Err(RecvTimeoutError::Timeout) => {}
                }
                let full = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    on_pool(pool, || {
                        let mut out = Output::default();
                        crate::add_index_of(&docs, &mut out);
                        out
                    })
                }));
                let Ok(full) = full else { continue };
                base = SearchBase::new(&docs, full.clone());
                last_delta.clear();
                full
            }
        };
        let index = Arc::new(index);
        shared.replace_if(&id, |snap| Snapshot {
            built: snap.built.clone(),
            build_id: snap.build_id.clone(),
            base_path: snap.base_path.clone(),
            failure: snap.failure.clone(),
            retired: Arc::clone(&snap.retired),
            search: Some(index),
            search_fresh: true,
        });
    }
}

/// Reports a failed build: terminal, every open tab, and the page itself while there
/// is no good build to show.
fn fail(shared: &Shared, opts: &Options, diags: &[Diagnostic]) {
    shared.stats.failed.fetch_add(1, Ordering::SeqCst);
    let mut sorted = diags.to_vec();
    crate::diagnostic::sort(&mut sorted);
    print_diags(&sorted, shared.lang);
    let errors = sorted.iter().filter(|d| d.is_error()).count();
    let snap = shared.snapshot();
    if snap.built.is_none() {
        let base_path = crate::load_config(opts)
            .map(|c| c.base_path)
            .unwrap_or_else(|_| snap.base_path.clone());
        shared.set(Snapshot {
            built: None,
            build_id: String::new(),
            base_path,
            failure: sorted.clone(),
            retired: Arc::default(),
            search: None,
            search_fresh: false,
        });
    }
    crate::platform::err_line(format_args!(
        "{}{}",
        clock(),
        match (shared.lang, snap.built.is_some()) {
            (Lang::Zh, true) => format!(
                "生成失败：{errors} 个错误。浏览器中已显示这些错误，页面仍是上一次成功生成的版本。"
            ),
            (Lang::Zh, false) => {
                format!("生成失败：{errors} 个错误。改正后保存，预览会自动出现。")
            }
            (Lang::En, true) => format!(
                "build failed: {errors} error(s), shown in the browser; pages stay at the last good build."
            ),
            (Lang::En, false) => format!(
                "build failed: {errors} error(s). Fix and save; the preview appears by itself."
            ),
        }
    ));
    shared.hub.error(&sorted);
}

fn print_diags(diags: &[Diagnostic], lang: Lang) {
    for d in diags {
        crate::platform::err_line(d.display(lang));
    }
}

/// Prints the warnings not printed after the previous build, and how many were left
/// out; `seen` becomes this build's warnings.
fn print_new_warnings(warnings: &[Diagnostic], seen: &mut HashSet<String>, lang: Lang) {
    let mut sorted = warnings.to_vec();
    crate::diagnostic::sort(&mut sorted);
    let mut now = HashSet::with_capacity(sorted.len());
    let mut repeated = 0;
    for d in &sorted {
        let text = d.display(lang).to_string();
        if seen.contains(&text) {
            repeated += 1;
        } else {
            crate::platform::err_line(format_args!("{text}"));
        }
        now.insert(text);
    }
    if repeated > 0 {
        crate::platform::err_line(
            Text::new(
                format!("（另有 {repeated} 个警告和上次相同，不再重复显示）"),
                format!("({repeated} warning(s) as before, not repeated)"),
            )
            .get(lang),
        );
    }
    *seen = now;
}

/// `content/a.md` or `content/a.md 等 3 个文件`.
fn describe(paths: &BTreeSet<PathBuf>, lang: Lang) -> String {
    let first = paths
        .iter()
        .next()
        .map(|p| crate::platform::slashed(p))
        .unwrap_or_default();
    match (paths.len(), lang) {
        (0 | 1, _) => first,
        (n, Lang::Zh) => format!("{first} 等 {n} 个文件"),
        (n, Lang::En) => format!("{first} and {} more", n - 1),
    }
}

/// Whether the changes are stylesheets only (folders that hold them aside), so that
/// tabs can swap them instead of reloading.
fn only_styles(root: &std::path::Path, changed: &[PathBuf]) -> bool {
    let is_css = |p: &PathBuf| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("css"));
    changed.iter().any(is_css) && changed.iter().all(|p| is_css(p) || root.join(p).is_dir())
}

/// How many builds a retired stylesheet or script is kept for.
const KEEP_RETIRED: u64 = 20;

/// Fingerprinted files kept after their build: URL path → (build number, bytes).
type Retired = BTreeMap<String, (u64, Vec<u8>)>;

/// The fingerprinted files of the outgoing build and recent ones that build `number`
/// (`built`) no longer has.
fn retire(prev: &Snapshot, built: &Built, number: u64) -> Arc<Retired> {
    let new = &built.output;
    // Only the theme's static files are fingerprinted; after an edit of content they
    // are those of the outgoing build, and nothing new is retired.
    let old = prev.built.as_deref().filter(|old| !old.same_statics(built));
    let gone: Vec<&str> = old.map_or_else(Vec::new, |old| {
        old.output
            .files
            .keys()
            .map(|k| &**k)
            .filter(|k| unfingerprint(k).is_some() && !new.contains(k))
            .collect()
    });
    let expired = |k: &String, n: u64| number.saturating_sub(n) > KEEP_RETIRED || new.contains(k);
    if gone.is_empty() && !prev.retired.iter().any(|(k, (n, _))| expired(k, *n)) {
        return Arc::clone(&prev.retired);
    }
    let mut kept: Retired = prev
        .retired
        .iter()
        .filter(|(k, (n, _))| !expired(k, *n))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    if let Some(old) = old {
        for key in gone {
            if let Some(bytes) = old.output.get(key) {
                kept.insert(key.to_string(), (number, bytes.into_owned()));
            }
        }
    }
    Arc::new(kept)
}

/// Stylesheets renamed by their fingerprint between two builds: old URL path → new.
fn css_swap(old: &Output, new: &Output, base: &str) -> Value {
    let added: Vec<&std::sync::Arc<str>> = new
        .files
        .keys()
        .filter(|k| k.ends_with(".css") && !old.contains(k))
        .collect();
    let mut map = Map::new();
    for gone in old
        .files
        .keys()
        .filter(|k| k.ends_with(".css") && !new.contains(k))
    {
        let Some(source) = unfingerprint(gone) else {
            continue;
        };
        if let Some(to) = added
            .iter()
            .find(|a| unfingerprint(a).as_ref() == Some(&source))
        {
            map.insert(
                format!("{base}{gone}"),
                Value::String(format!("{base}{to}")),
            );
        }
    }
    Value::Object(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renamed_stylesheets_are_paired_by_name() {
        let mut old = Output::default();
        old.add("css/site.0123abcd.css", "a");
        old.add("css/print.11112222.css", "p");
        old.add("js/site.0123abcd.js", "j");
        let mut new = Output::default();
        new.add("css/site.99998888.css", "b");
        new.add("css/print.11112222.css", "p");
        new.add("js/site.0123abcd.js", "j");
        let swap = css_swap(&old, &new, "/training/");
        assert_eq!(
            swap,
            serde_json::json!({"/training/css/site.0123abcd.css": "/training/css/site.99998888.css"})
        );
    }

    #[test]
    fn describing_changes() {
        let one: BTreeSet<PathBuf> = [PathBuf::from("content/a.md")].into();
        assert_eq!(describe(&one, Lang::Zh), "content/a.md");
        let two: BTreeSet<PathBuf> =
            [PathBuf::from("content/a.md"), PathBuf::from("site.yaml")].into();
        assert_eq!(describe(&two, Lang::Zh), "content/a.md 等 2 个文件");
    }
}
