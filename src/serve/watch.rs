//! Watching the site's sources with notify and its full debouncer: `content/`,
//! `site.yaml`, `themes/`, `templates/`, `static/` and `i18n/`. Turns file-system
//! events into batches of changed paths relative to the site root.
//!
//! Editor atomic saves (temp file renamed over the original) arrive as one rename and
//! count once; renames count both names; deletes and new files count. Reads (`open`)
//! are never changes, which is what keeps a build from triggering the next one. Editor
//! temp and backup files and the output folder are ignored. `--poll` swaps the native
//! watcher for the poller of `super::poll` (network drives, WSL's /mnt).

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use notify::event::ModifyKind;
use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};
use notify_debouncer_full::{DebounceEventResult, Debouncer, FileIdCache, new_debouncer_opt};

/// Folders of the site whose changes rebuild it, watched recursively.
pub(crate) const WATCHED_DIRS: [&str; 5] = ["content", "themes", "templates", "static", "i18n"];
/// The one watched file at the site root.
pub(crate) const SITE_YAML: &str = "site.yaml";

/// How long a path must be quiet before its events are handed on, and how often the
/// debouncer looks; both count in the time from a save to the reload. Editors finish a
/// save (even vim's backup dance) within a millisecond or two; a longer burst (a `git
/// checkout`) is coalesced by the builder, which takes everything that arrived while it
/// was building in one go.
pub(crate) const DEBOUNCE: Duration = Duration::from_millis(5);
const TICK: Duration = Duration::from_millis(2);
/// Poll interval of `--poll` (longer when walking the site takes long).
pub(crate) const POLL_INTERVAL: Duration = Duration::from_millis(500);

/// What the watcher tells the builder.
#[derive(Debug)]
pub(crate) enum Change {
    /// Paths relative to the site root that were written, created, renamed or deleted.
    Paths(BTreeSet<PathBuf>),
    /// The watcher lost events (queue overflow): everything may have changed.
    Rescan,
    /// The watcher reported a problem (printed, nothing rebuilt).
    Problem(String),
}

/// A running watcher; dropping it stops watching.
pub(crate) struct Watch {
    _inner: Box<dyn Send>,
}

/// The running debouncer, reachable from its own event handler without keeping it alive.
type Shared = Mutex<Box<dyn Roots>>;

/// `Debouncer::watch` for either watcher type.
trait Roots: Send {
    fn add(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()>;
}

impl<T: Watcher + Send, C: FileIdCache + Send> Roots for Debouncer<T, C> {
    fn add(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        self.watch(path, mode)
    }
}

/// Starts watching the site at `root` (absolute), sending batches to `tx`.
pub(crate) fn start(
    root: &Path,
    output: &Path,
    poll: bool,
    tx: Sender<Change>,
) -> notify::Result<Watch> {
    if poll {
        let poller = super::poll::start(root, POLL_INTERVAL, tx)?;
        return Ok(Watch {
            _inner: Box::new(poller),
        });
    }
    let filter = Filter {
        root: root.to_path_buf(),
        output: output.to_path_buf(),
    };
    // The handler needs the debouncer to add folders created later (a new
    // `templates/`); it is filled in right after the debouncer exists.
    // A weak link, so that dropping `Watch` really drops the debouncer.
    let slot: Arc<Mutex<Weak<Shared>>> = Arc::new(Mutex::new(Weak::new()));
    let handler_slot = Arc::clone(&slot);
    let handler = move |result: DebounceEventResult| {
        let events = match result {
            Ok(events) => events,
            Err(errors) => {
                for e in errors {
                    let _ = tx.send(Change::Problem(e.to_string()));
                }
                return;
            }
        };
        let mut changed = BTreeSet::new();
        let mut rescan = false;
        for event in &events {
            if event.need_rescan() {
                rescan = true;
                continue;
            }
            if matches!(event.kind, EventKind::Access(_) | EventKind::Other) {
                continue;
            }
            // A folder's own time stamp changes with its entries; the entries have their
            // own events, and scratch files must not count through their folder.
            let folder_touched = matches!(event.kind, EventKind::Modify(m) if !matches!(m, ModifyKind::Name(_)))
                && event.paths.iter().all(|p| p.is_dir());
            if folder_touched {
                continue;
            }
            for path in &event.paths {
                if let Some(rel) = filter.relevant(path) {
                    if is_top_dir(&rel) && path.is_dir() {
                        add_root(&handler_slot, path);
                    }
                    changed.insert(rel);
                }
            }
        }
        if rescan {
            let _ = tx.send(Change::Rescan);
        } else if !changed.is_empty() {
            let _ = tx.send(Change::Paths(changed));
        }
    };
    let roots: Box<dyn Roots> = Box::new(new_debouncer_opt::<_, RecommendedWatcher, _>(
        DEBOUNCE,
        Some(TICK),
        handler,
        notify_debouncer_full::RecommendedCache::new(),
        notify::Config::default(),
    )?);
    let roots = Arc::new(Mutex::new(roots));
    {
        let mut r = roots.lock().unwrap_or_else(|e| e.into_inner());
        // The root itself, not recursively: site.yaml (also when saved atomically) and
        // watched folders that appear later.
        r.add(root, RecursiveMode::NonRecursive)?;
        for dir in WATCHED_DIRS {
            let p = root.join(dir);
            if p.is_dir() {
                r.add(&p, RecursiveMode::Recursive)?;
            }
        }
    }
    *slot.lock().unwrap_or_else(|e| e.into_inner()) = Arc::downgrade(&roots);
    Ok(Watch {
        _inner: Box::new(roots),
    })
}

fn add_root(slot: &Mutex<Weak<Shared>>, path: &Path) {
    let roots = slot.lock().unwrap_or_else(|e| e.into_inner()).upgrade();
    if let Some(roots) = roots {
        let _ = roots
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .add(path, RecursiveMode::Recursive);
    }
}

/// `templates` but not `templates/x.html`.
fn is_top_dir(rel: &Path) -> bool {
    rel.components().count() == 1 && rel != Path::new(SITE_YAML)
}

/// Which paths are changes to the site.
struct Filter {
    root: PathBuf,
    output: PathBuf,
}

impl Filter {
    /// The path relative to the site root when a change there matters.
    fn relevant(&self, path: &Path) -> Option<PathBuf> {
        if path.starts_with(&self.output) {
            return None;
        }
        let rel = path.strip_prefix(&self.root).ok()?;
        is_source(rel).then(|| rel.to_path_buf())
    }
}

/// Whether `rel` (relative to the site root) is a source of the site: site.yaml or a
/// file or folder under a watched folder, with no editor temp/backup or hidden name on
/// the way.
pub(crate) fn is_source(rel: &Path) -> bool {
    let mut names = Vec::new();
    for c in rel.components() {
        match c {
            Component::Normal(n) => names.push(n.to_string_lossy()),
            _ => return false,
        }
    }
    let Some(first) = names.first() else {
        return false;
    };
    let top = if names.len() == 1 {
        first == SITE_YAML || WATCHED_DIRS.contains(&first.as_ref())
    } else {
        WATCHED_DIRS.contains(&first.as_ref())
    };
    top && !names.iter().any(|n| is_scratch(n))
}

/// Editor swap, backup, lock and temp files, and hidden files (which the build skips).
pub(crate) fn is_scratch(name: &str) -> bool {
    name.starts_with('.') // .#lock (emacs), .x.swp (vim), .DS_Store, .goutputstream-* (gedit)
        || name.starts_with('#') // #autosave# (emacs)
        || name.starts_with("~$") // Office lock files
        || name.ends_with('~') // backups
        || name == "4913" // vim's probe file
        || name.eq_ignore_ascii_case("Thumbs.db")
        || name.eq_ignore_ascii_case("desktop.ini")
        || [".swp", ".swx", ".swo", ".tmp", ".temp", ".bak", ".crswap", ".part", ".kate-swp"]
            .iter()
            .any(|ext| name.len() > ext.len() && name.to_ascii_lowercase().ends_with(ext))
        || name.contains("___jb_") // JetBrains safe write: x.md___jb_tmp___, ___jb_old___
        || crate::content::is_ignored(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_and_scratch_files() {
        for p in [
            "site.yaml",
            "content",
            "content/courses/x/01-a.md",
            "content/courses/x/slides.pdf",
            "templates/base.html",
            "themes/mine/static/css/site.css",
            "static/css/site.css",
            "i18n/zh-CN.yaml",
        ] {
            assert!(is_source(Path::new(p)), "{p}");
        }
        for p in [
            "public/index.html",
            "site.yaml.tmp",
            ".site.yaml.swp",
            "README.md",
            "src/main.rs",
            "target/debug/x",
            "content/.a.md.swp",
            "content/a.md.swx",
            "content/a.md~",
            "content/.#a.md",
            "content/#a.md#",
            "content/4913",
            "content/a.md.tmp",
            "content/.DS_Store",
            "content/courses/x/.goutputstream-ABC123",
            "content/a.md___jb_tmp___",
            "content/~$slides.docx",
            "content/.git/config",
            "themes/.hidden/x.html",
        ] {
            assert!(!is_source(Path::new(p)), "{p}");
        }
    }
}
