//! The built site in memory (path → bytes, plus files copied from `content/`), and the
//! atomic writer: the new site is written beside the output folder and swapped in with
//! one rename, so readers see either the complete old site or the complete new one.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Debug, Default, Clone)]
pub struct Output {
    /// Output path relative to the site root (`courses/x/index.html`) → bytes. Shared,
    /// so the dev server can keep serving one build while the next reuses most of it.
    pub files: BTreeMap<String, Arc<[u8]>>,
    /// Output path → source file copied as is (attachments, images).
    pub copies: BTreeMap<String, PathBuf>,
}

impl Output {
    pub fn add(&mut self, path: impl Into<String>, bytes: impl Into<Vec<u8>>) {
        self.files.insert(path.into(), Arc::from(bytes.into()));
    }

    /// The bytes served for `path`, reading copied files from disk.
    pub fn get(&self, path: &str) -> Option<Cow<'_, [u8]>> {
        if let Some(b) = self.files.get(path) {
            return Some(Cow::Borrowed(b));
        }
        let src = self.copies.get(path)?;
        std::fs::read(src).ok().map(Cow::Owned)
    }

    pub fn contains(&self, path: &str) -> bool {
        self.files.contains_key(path) || self.copies.contains_key(path)
    }

    pub fn len(&self) -> usize {
        self.files.len() + self.copies.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

const STAGING: &str = ".jt-staging-";
const OLD: &str = ".jt-old-";

/// Writes `out` to `dest` atomically. The staging folder is a sibling of `dest` (same
/// file system), so the final step is a rename: on Linux an atomic exchange of the two
/// folders, elsewhere two renames in quick succession.
pub fn write_atomic(out: &Output, dest: &Path) -> io::Result<()> {
    let parent = match dest.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent)?;
    let name = dest
        .file_name()
        .ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                "output path has no folder name",
            )
        })?
        .to_string_lossy()
        .to_string();
    clean_leftovers(&parent, &name);
    let pid = std::process::id();
    let staging = parent.join(format!(".{name}{STAGING}{pid}"));
    if staging.exists() {
        std::fs::remove_dir_all(&staging)?;
    }
    let result = write_tree(out, &staging).and_then(|()| swap_in(&staging, dest, &parent, &name));
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}

fn write_tree(out: &Output, root: &Path) -> io::Result<()> {
    std::fs::create_dir_all(root)?;
    let mut made: std::collections::HashSet<PathBuf> = std::collections::HashSet::new();
    let mut ensure_dir = |p: &Path| -> io::Result<()> {
        if let Some(d) = p.parent()
            && made.insert(d.to_path_buf())
        {
            std::fs::create_dir_all(d)?;
        }
        Ok(())
    };
    for (rel, bytes) in &out.files {
        let p = root.join(safe_rel(rel)?);
        ensure_dir(&p)?;
        std::fs::write(&p, bytes)?;
    }
    for (rel, src) in &out.copies {
        let p = root.join(safe_rel(rel)?);
        ensure_dir(&p)?;
        std::fs::copy(src, &p)?;
    }
    // Make the new tree durable before it becomes visible.
    if let Ok(f) = std::fs::File::open(root) {
        let _ = f.sync_all();
    }
    Ok(())
}

/// Output paths come from slugs we generated or validated; this is the last guard.
fn safe_rel(rel: &str) -> io::Result<&Path> {
    let p = Path::new(rel);
    let ok = !rel.is_empty()
        && p.components()
            .all(|c| matches!(c, std::path::Component::Normal(_)));
    if ok {
        Ok(p)
    } else {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("unsafe output path {rel}"),
        ))
    }
}

fn swap_in(staging: &Path, dest: &Path, parent: &Path, name: &str) -> io::Result<()> {
    if !dest.exists() {
        return std::fs::rename(staging, dest);
    }
    if !dest.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("{} exists and is not a folder", dest.display()),
        ));
    }
    match exchange(staging, dest) {
        Ok(()) => {
            // `staging` now holds the previous site.
            let _ = std::fs::remove_dir_all(staging);
            Ok(())
        }
        Err(_) => {
            let old = parent.join(format!(".{name}{OLD}{}", std::process::id()));
            std::fs::rename(dest, &old)?;
            if let Err(e) = std::fs::rename(staging, dest) {
                let _ = std::fs::rename(&old, dest);
                return Err(e);
            }
            let _ = std::fs::remove_dir_all(&old);
            Ok(())
        }
    }
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "no atomic exchange",
    ))
}

/// Removes staging folders of builds that were killed. A folder whose process is still
/// running is left alone.
fn clean_leftovers(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let prefixes = [format!(".{name}{STAGING}"), format!(".{name}{OLD}")];
    for e in entries.flatten() {
        let file = e.file_name().to_string_lossy().to_string();
        let Some(pid) = prefixes.iter().find_map(|p| file.strip_prefix(p.as_str())) else {
            continue;
        };
        let alive = pid.parse::<u32>().is_ok_and(|pid| {
            pid != std::process::id() && Path::new(&format!("/proc/{pid}")).exists()
        });
        if !alive {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_write_replaces_the_whole_tree() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("public");
        let mut a = Output::default();
        a.add("index.html", "one");
        a.add("old/index.html", "gone");
        write_atomic(&a, &dest).unwrap();
        let mut b = Output::default();
        b.add("index.html", "two");
        write_atomic(&b, &dest).unwrap();
        assert_eq!(
            std::fs::read_to_string(dest.join("index.html")).unwrap(),
            "two"
        );
        assert!(!dest.join("old").exists());
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(leftovers.len(), 1, "{leftovers:?}");
    }

    #[test]
    fn unsafe_paths_are_refused_and_nothing_changes() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("public");
        let mut a = Output::default();
        a.add("index.html", "one");
        write_atomic(&a, &dest).unwrap();
        let mut b = Output::default();
        b.add("../escape.html", "x");
        assert!(write_atomic(&b, &dest).is_err());
        assert_eq!(
            std::fs::read_to_string(dest.join("index.html")).unwrap(),
            "one"
        );
        assert!(!dir.path().join("escape.html").exists());
    }
}
