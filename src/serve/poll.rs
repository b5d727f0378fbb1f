//! `jiangtang serve --poll`: watching by looking, for file systems that send no change
//! notifications (network drives, WSL's `/mnt/c`, some containers).
//!
//! Every interval the watched folders are walked and each entry's full time stamp,
//! size and (on Unix) inode and change time are compared with the last walk: stat
//! only, no file is read. notify 8's own `PollWatcher` is not used: it keeps
//! modification times in whole seconds, so a second save within the same second is
//! never seen (notify-rs/notify#981, fixed only in the notify 9 release candidates).
//! The interval stretches to four times the walk when walking is slow, so a big site on
//! a slow drive is not walked back to back.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::time::{Duration, Instant, SystemTime};

use walkdir::WalkDir;

use super::watch::{Change, SITE_YAML, WATCHED_DIRS, is_scratch, is_source};

/// What is compared between two walks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    modified: Option<SystemTime>,
    len: u64,
    dir: bool,
    /// Inode and change time (seconds, nanoseconds): a file replaced by a rename or
    /// rewritten with its old time stamp restored still differs here.
    node: (u64, i64, i64),
}

/// A running poller; dropping it stops the polling thread.
pub(crate) struct Poller {
    stop: Arc<AtomicBool>,
}

impl Drop for Poller {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

/// Walks the site at `root` every `interval` and sends what changed to `tx`.
pub(crate) fn start(
    root: &Path,
    interval: Duration,
    tx: Sender<Change>,
) -> std::io::Result<Poller> {
    let stop = Arc::new(AtomicBool::new(false));
    let thread_stop = Arc::clone(&stop);
    let root = root.to_path_buf();
    let mut last = scan(&root);
    std::thread::Builder::new()
        .name("jiangtang-poll".into())
        .spawn(move || {
            let mut wait = interval;
            loop {
                let until = Instant::now() + wait;
                while Instant::now() < until {
                    if thread_stop.load(Ordering::SeqCst) {
                        return;
                    }
                    std::thread::sleep(Duration::from_millis(50).min(wait));
                }
                let started = Instant::now();
                let now = scan(&root);
                let changed = diff(&last, &now);
                last = now;
                wait = interval.max(started.elapsed() * 4);
                if !changed.is_empty() && tx.send(Change::Paths(changed)).is_err() {
                    return;
                }
            }
        })?;
    Ok(Poller { stop })
}

/// Every source under the site root, relative path → stamp.
fn scan(root: &Path) -> BTreeMap<PathBuf, Stamp> {
    let mut out = BTreeMap::new();
    for top in std::iter::once(SITE_YAML).chain(WATCHED_DIRS) {
        let walker = WalkDir::new(root.join(top))
            .follow_links(false)
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !is_scratch(&e.file_name().to_string_lossy()));
        for entry in walker.filter_map(Result::ok) {
            let Ok(rel) = entry.path().strip_prefix(root) else {
                continue;
            };
            if !is_source(rel) {
                continue;
            }
            if let Ok(meta) = entry.metadata() {
                out.insert(rel.to_path_buf(), stamp(&meta));
            }
        }
    }
    out
}

fn stamp(meta: &std::fs::Metadata) -> Stamp {
    #[cfg(unix)]
    let node = {
        use std::os::unix::fs::MetadataExt;
        (meta.ino(), meta.ctime(), meta.ctime_nsec())
    };
    #[cfg(not(unix))]
    let node = (0, 0, 0);
    Stamp {
        modified: meta.modified().ok(),
        len: meta.len(),
        dir: meta.is_dir(),
        node,
    }
}

/// Paths created, deleted or changed between two walks. A folder counts when it comes
/// or goes, not when its own time stamp moves (its entries tell what changed).
fn diff(before: &BTreeMap<PathBuf, Stamp>, after: &BTreeMap<PathBuf, Stamp>) -> BTreeSet<PathBuf> {
    let mut changed = BTreeSet::new();
    for (path, now) in after {
        match before.get(path) {
            None => {
                changed.insert(path.clone());
            }
            Some(was) if was != now && !(was.dir && now.dir) => {
                changed.insert(path.clone());
            }
            Some(_) => {}
        }
    }
    for path in before.keys() {
        if !after.contains_key(path) {
            changed.insert(path.clone());
        }
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_save_within_the_same_second_is_seen() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::fs::write(root.join("site.yaml"), "title: x\n").unwrap();
        std::fs::write(root.join("content/a.md"), "one").unwrap();
        let first = scan(root);
        // Another length: file systems with coarse time stamps could give this write
        // the very same time as the first.
        std::fs::write(root.join("content/a.md"), "three").unwrap();
        std::fs::write(root.join("content/.a.md.swp"), "scratch").unwrap();
        std::fs::write(root.join("notes.txt"), "not a source").unwrap();
        std::fs::create_dir_all(root.join("templates")).unwrap();
        let second = scan(root);
        let changed: Vec<PathBuf> = diff(&first, &second).into_iter().collect();
        assert_eq!(
            changed,
            [PathBuf::from("content/a.md"), PathBuf::from("templates")]
        );
        std::fs::remove_file(root.join("content/a.md")).unwrap();
        let third = scan(root);
        assert_eq!(
            diff(&second, &third).into_iter().collect::<Vec<_>>(),
            [PathBuf::from("content/a.md")]
        );
        // Nothing changed: nothing reported, folders' own stamps included.
        assert!(diff(&third, &scan(root)).is_empty());
    }
}
