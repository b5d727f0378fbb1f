//! The built site in memory (path → bytes, plus files copied from `content/`), and the
//! atomic writer: the new site is written beside the output folder and swapped in with
//! one rename, so readers see either the complete old site or the complete new one.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

#[derive(Debug, Default, Clone)]
pub struct Output {
    /// Output path relative to the site root (`courses/x/index.html`) → bytes. Shared,
    /// so the dev server can keep serving one build while the next reuses most of it.
    /// Keys are shared too, so copying the map for the next build allocates no strings.
    pub files: BTreeMap<Arc<str>, Arc<[u8]>>,
    /// Output path → source file copied as is (attachments, images).
    pub copies: BTreeMap<String, PathBuf>,
}

impl Output {
    pub fn add(&mut self, path: impl Into<String>, bytes: impl Into<Vec<u8>>) {
        self.files
            .insert(Arc::from(path.into()), Arc::from(bytes.into()));
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

/// Where rendered files go, from many threads at once: memory (the dev server, `check`)
/// or a staging folder on disk (`build`).
pub trait Sink: Sync {
    /// Stores the file `rel` (its path in the site, `courses/x/index.html`).
    fn put(&self, rel: &str, bytes: Vec<u8>) -> io::Result<()>;
    /// Stores the file `rel` as a copy of `src`.
    fn copy(&self, rel: &str, src: &Path) -> io::Result<()>;
    /// Stores the file `rel` with the bytes of `src`, a file nothing ever changes (an
    /// image cache entry), so that a hard link to it serves as well as a copy.
    fn share(&self, rel: &str, src: &Path) -> io::Result<()> {
        self.copy(rel, src)
    }
}

impl Sink for std::sync::Mutex<Output> {
    fn put(&self, rel: &str, bytes: Vec<u8>) -> io::Result<()> {
        let mut out = self
            .lock()
            .map_err(|_| io::Error::other("output lock poisoned"))?;
        out.add(rel, bytes);
        Ok(())
    }

    fn copy(&self, rel: &str, src: &Path) -> io::Result<()> {
        let mut out = self
            .lock()
            .map_err(|_| io::Error::other("output lock poisoned"))?;
        out.copies.insert(rel.to_string(), src.to_path_buf());
        Ok(())
    }
}

impl Sink for Staging {
    fn put(&self, rel: &str, bytes: Vec<u8>) -> io::Result<()> {
        Staging::put(self, rel, &bytes)
    }

    fn copy(&self, rel: &str, src: &Path) -> io::Result<()> {
        Staging::copy(self, rel, src)
    }

    fn share(&self, rel: &str, src: &Path) -> io::Result<()> {
        let rel = safe_rel(rel)?;
        let path = self.dir.join(&rel);
        self.make_parent(&path)?;
        remove_if_present(&path)?;
        // A link writes no data: publishing the variants of hundreds of cached photos
        // then costs no more than the pages around them. Another file system: a copy.
        std::fs::hard_link(src, &path).or_else(|_| std::fs::copy(src, &path).map(drop))
    }
}

const STAGING: &str = ".jt-staging-";
const OLD: &str = ".jt-old-";

/// How the site is written.
#[derive(Debug, Clone, Copy, Default)]
pub struct WriteOptions {
    /// Also write a `.gz` beside every text file over 1 KiB (nginx `gzip_static`).
    pub precompress: bool,
}

/// Writes `out` to `dest` atomically; see [`write_atomic_with`].
pub fn write_atomic(out: &Output, dest: &Path) -> io::Result<()> {
    write_atomic_with(out, dest, WriteOptions::default())
}

/// Writes `out` to `dest` atomically. The new tree is written into a staging folder beside
/// `dest` (so on the same file system) and swapped in with one rename: on Linux an atomic
/// exchange of the two folders, elsewhere two renames in quick succession, each tried
/// again for up to two seconds while the system refuses (on Windows, a folder open in
/// Explorer); then an [`InUse`] error and `dest` as it was. A build killed
/// at any moment leaves `dest` either the complete old or the complete new site; the
/// staging folders of killed builds are removed by the next build.
///
/// When the folder beside `dest` is on another file system (`dest` is a mount point) or
/// cannot be written, the new tree is staged inside `dest` and swapped in entry by entry
/// (each entry atomically, the home page last) instead.
pub fn write_atomic_with(out: &Output, dest: &Path, opts: WriteOptions) -> io::Result<()> {
    let staging = Staging::open(dest, opts)?;
    let beside = !staging.in_place;
    match staging.put_all(out).and_then(|()| staging.commit()) {
        Err(e) if beside && cannot_stage_beside(&e) => {
            let staging = Staging::open_in_place(&follow_symlink(dest)?, opts)?;
            staging.put_all(out)?;
            staging.commit()
        }
        other => other,
    }
}

/// A new output tree being written, file by file, in a folder of its own; it replaces
/// the output folder as a whole on [`Staging::commit`] (see [`write_atomic_with`]).
/// Dropped without a commit, it is removed and the output folder stays as it was. Files
/// can be put from many threads at once, so pages are written as they are rendered.
pub struct Staging {
    dir: PathBuf,
    dest: PathBuf,
    parent: PathBuf,
    name: String,
    in_place: bool,
    /// Whether the output folder held anything to link unchanged files from.
    published: bool,
    opts: WriteOptions,
    /// Folders already created under `dir`.
    made: std::sync::Mutex<std::collections::HashSet<PathBuf>>,
    committed: bool,
}

impl Staging {
    /// Prepares the staging folder for `dest`: beside it when possible, inside it when
    /// `dest` is a mount point or its parent cannot be written. Removes what killed
    /// builds left behind.
    pub fn open(dest: &Path, opts: WriteOptions) -> io::Result<Staging> {
        let dest = follow_symlink(dest)?;
        let (parent, name) = parent_and_name(&dest)?;
        std::fs::create_dir_all(&parent)?;
        clean_leftovers(
            &parent,
            &[format!(".{name}{STAGING}"), format!(".{name}{OLD}")],
        );
        if dest.is_dir() {
            clean_leftovers(&dest, &[STAGING.to_string(), OLD.to_string()]);
        }
        if is_mount_point(&dest, &parent) {
            return Staging::open_in_place(&dest, opts);
        }
        let dir = parent.join(format!(".{name}{STAGING}{}", std::process::id()));
        let prepared = if dir.exists() {
            std::fs::remove_dir_all(&dir)
        } else {
            Ok(())
        }
        .and_then(|()| std::fs::create_dir(&dir));
        match prepared {
            Ok(()) => Staging::new(dir, &dest, false, opts),
            Err(e) if cannot_stage_beside(&e) => Staging::open_in_place(&dest, opts),
            Err(e) => Err(e),
        }
    }

    /// The fallback: the new tree is staged inside `dest` (so on its file system).
    fn open_in_place(dest: &Path, opts: WriteOptions) -> io::Result<Staging> {
        std::fs::create_dir_all(dest)?;
        let dir = dest.join(format!("{STAGING}{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir)?;
        }
        std::fs::create_dir(&dir)?;
        Staging::new(dir, dest, true, opts)
    }

    fn new(dir: PathBuf, dest: &Path, in_place: bool, opts: WriteOptions) -> io::Result<Staging> {
        let (parent, name) = parent_and_name(dest)?;
        // Staged inside `dest`, the staging folder itself makes it non-empty.
        let published = std::fs::read_dir(dest)
            .is_ok_and(|mut entries| entries.any(|e| e.is_ok_and(|e| e.path() != dir)));
        Ok(Staging {
            dir,
            dest: dest.to_path_buf(),
            parent,
            name,
            in_place,
            published,
            opts,
            made: Default::default(),
            committed: false,
        })
    }

    /// Writes one file, `rel` being its path in the site (`courses/x/index.html`). A file
    /// the output folder already holds with the same bytes is hard-linked instead of
    /// written: no new file, no data written, its modification time (and so the
    /// `Last-Modified` a web server sends) kept, and removing the old tree afterwards
    /// frees nothing but names. Where links are not possible the file is written.
    pub fn put(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        let rel = safe_rel(rel)?;
        let path = self.dir.join(&rel);
        self.make_parent(&path)?;
        let published = self.dest.join(&rel);
        if self.published
            && same_bytes(&published, bytes)
            && std::fs::hard_link(&published, &path).is_ok()
        {
            return Ok(());
        }
        write_new(&path, bytes)
    }

    /// Copies the file `src` to `rel` (hard-linked like [`Staging::put`] when unchanged).
    pub fn copy(&self, rel: &str, src: &Path) -> io::Result<()> {
        let rel = safe_rel(rel)?;
        let path = self.dir.join(&rel);
        self.make_parent(&path)?;
        let published = self.dest.join(&rel);
        let unchanged = self.published
            && match (
                std::fs::metadata(src),
                std::fs::symlink_metadata(&published),
            ) {
                (Ok(a), Ok(b)) if a.len() == b.len() => {
                    std::fs::read(src).is_ok_and(|bytes| same_bytes(&published, &bytes))
                }
                _ => false,
            };
        if unchanged && std::fs::hard_link(&published, &path).is_ok() {
            return Ok(());
        }
        // Never through a name that may be a link into the published tree.
        remove_if_present(&path)?;
        std::fs::copy(src, &path).map(drop)
    }

    fn make_parent(&self, path: &Path) -> io::Result<()> {
        let Some(dir) = path.parent() else {
            return Ok(());
        };
        let known = self.made.lock().is_ok_and(|made| made.contains(dir));
        if !known {
            std::fs::create_dir_all(dir)?;
            if let Ok(mut made) = self.made.lock() {
                made.insert(dir.to_path_buf());
            }
        }
        Ok(())
    }

    /// Writes every file of `out`, in parallel.
    pub fn put_all(&self, out: &Output) -> io::Result<()> {
        use rayon::prelude::*;
        out.files
            .par_iter()
            .try_for_each(|(rel, bytes)| self.put(rel, bytes))?;
        out.copies
            .par_iter()
            .try_for_each(|(rel, src)| self.copy(rel, src))
    }

    /// Finishes the tree (compressed copies when asked) and swaps it in for the output
    /// folder. Nothing is flushed to disk: the swap is atomic for every reader and for a
    /// build that is killed; making the tree survive a power cut would take a flush of
    /// every file, which static-site generators leave to the system.
    pub fn commit(mut self) -> io::Result<()> {
        if self.opts.precompress {
            crate::publish::precompress::precompress_tree(&self.dir)?;
        }
        let result = if self.in_place {
            swap_entries(&self.dir, &self.dest)
        } else {
            swap_in(&self.dir, &self.dest, &self.parent, &self.name)
        };
        self.committed = result.is_ok();
        if self.in_place {
            // What is left inside is the staging folder with the replaced entries.
            let _ = std::fs::remove_dir_all(&self.dir);
        }
        result
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Whether `path` is a regular file (not a symbolic link) holding exactly `bytes`.
fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
        && std::fs::read(path).is_ok_and(|old| old == bytes)
}

/// Writes `bytes` to a new file at `path`. A file already there (a name written twice)
/// is removed first rather than truncated, since it may be a hard link into the
/// published tree, which must not change.
fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    use std::io::Write;
    let create = || {
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
    };
    let mut file = match create() {
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            remove_if_present(path)?;
            create()?
        }
        other => other?,
    };
    file.write_all(bytes)
}

fn remove_if_present(path: &Path) -> io::Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

fn parent_and_name(dest: &Path) -> io::Result<(PathBuf, String)> {
    let parent = match dest.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
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
    Ok((parent, name))
}

/// Errors after which staging inside the output folder may still work: the folder
/// beside it is read-only or on another file system.
fn cannot_stage_beside(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::PermissionDenied
            | io::ErrorKind::ReadOnlyFilesystem
            | io::ErrorKind::CrossesDevices
            | io::ErrorKind::ResourceBusy
    )
}

/// An output folder given as a symbolic link is written where the link points, so the
/// link itself stays.
fn follow_symlink(dest: &Path) -> io::Result<PathBuf> {
    match std::fs::symlink_metadata(dest) {
        Ok(m) if m.file_type().is_symlink() => std::fs::canonicalize(dest),
        _ => Ok(dest.to_path_buf()),
    }
}

#[cfg(unix)]
fn is_mount_point(dest: &Path, parent: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(dest), std::fs::metadata(parent)) {
        (Ok(d), Ok(p)) => d.is_dir() && d.dev() != p.dev(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn is_mount_point(_: &Path, _: &Path) -> bool {
    false
}

/// Output paths come from slugs we generated or validated; this is the last guard. The
/// path comes back with the system's separators: Windows does not read `/` in a path
/// joined to a `\\?\` one (a canonical output folder).
fn safe_rel(rel: &str) -> io::Result<PathBuf> {
    let p = Path::new(rel);
    let ok = !rel.is_empty()
        && p.components()
            .all(|c| matches!(c, std::path::Component::Normal(_)));
    if ok {
        Ok(p.components().collect())
    } else {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("unsafe output path {rel}"),
        ))
    }
}

fn swap_in(staging: &Path, dest: &Path, parent: &Path, name: &str) -> io::Result<()> {
    if !dest.exists() {
        return rename_patiently(staging, dest);
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
        Err(e) if cannot_stage_beside(&e) => Err(e),
        Err(_) => {
            let old = parent.join(format!(".{name}{OLD}{}", std::process::id()));
            swap_by_renames(staging, dest, &old, &mut rename_patiently)?;
            let _ = std::fs::remove_dir_all(&old);
            Ok(())
        }
    }
}

/// The swap where two folders cannot be exchanged in one step (Windows, some file
/// systems): the output folder is renamed aside to `old`, then the new tree to its name.
/// When the first rename is refused nothing has changed; when the second is, the old
/// site is renamed back. Either way the error is [`InUse`], naming the output folder.
fn swap_by_renames(
    staging: &Path,
    dest: &Path,
    old: &Path,
    rename: &mut dyn FnMut(&Path, &Path) -> io::Result<()>,
) -> io::Result<()> {
    let in_use = |source| {
        io::Error::other(InUse {
            folder: dest.to_path_buf(),
            source,
        })
    };
    rename(dest, old).map_err(in_use)?;
    if let Err(e) = rename(staging, dest) {
        // Only a refusal as lasting as this one leaves the output folder missing, its
        // old content kept beside it; the next build writes it again.
        let _ = rename(old, dest);
        return Err(in_use(e));
    }
    Ok(())
}

/// The output folder (or, staged inside it, one of its entries) could not be replaced:
/// the system kept refusing to rename it or the new tree (on Windows, while a program
/// has it or a file in it open: Explorer, a command prompt, an editor, a virus scan).
#[derive(Debug)]
pub struct InUse {
    pub folder: PathBuf,
    pub source: io::Error,
}

impl std::fmt::Display for InUse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} could not be replaced: {}",
            self.folder.display(),
            self.source
        )
    }
}

impl std::error::Error for InUse {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// Renames `from` to `to`, trying again for a while when the system refuses for a
/// moment (see [`retry_delay`]).
fn rename_patiently(from: &Path, to: &Path) -> io::Result<()> {
    retrying(|| std::fs::rename(from, to), std::thread::sleep)
}

/// Runs `op` until it succeeds or [`retry_delay`] gives up, sleeping in between.
fn retrying<T>(
    mut op: impl FnMut() -> io::Result<T>,
    mut sleep: impl FnMut(Duration),
) -> io::Result<T> {
    let mut attempt = 0;
    loop {
        match op() {
            Err(e) => match retry_delay(attempt, &e) {
                Some(delay) => {
                    sleep(delay);
                    attempt += 1;
                }
                None => return Err(e),
            },
            done => return done,
        }
    }
}

/// How many times a refused rename is tried again.
const DELAYS: usize = 7;

/// How long to wait before trying a refused rename again, after `attempt` retries
/// (from 0); `None` to give up. Windows refuses to rename a folder while a program has
/// it or a file in it open, often only for a moment (Explorer refreshing its view, a
/// virus scan of the files just written); a refusal lasting two seconds is someone's
/// open window, and the editor is told. Other errors are not retried.
fn retry_delay(attempt: u32, e: &io::Error) -> Option<Duration> {
    const DELAYS_MS: [u64; DELAYS] = [10, 20, 50, 100, 200, 500, 1000];
    if !may_pass(e) {
        return None;
    }
    let ms = DELAYS_MS.get(usize::try_from(attempt).ok()?)?;
    Some(Duration::from_millis(*ms))
}

/// Whether a refused rename may succeed when tried again: access denied (a folder open
/// elsewhere, on Windows) or a file in use by another process.
fn may_pass(e: &io::Error) -> bool {
    // ERROR_SHARING_VIOLATION and ERROR_LOCK_VIOLATION, whatever kind they map to.
    const WINDOWS_IN_USE: [i32; 2] = [32, 33];
    matches!(
        e.kind(),
        io::ErrorKind::PermissionDenied | io::ErrorKind::ResourceBusy
    ) || (cfg!(windows)
        && e.raw_os_error()
            .is_some_and(|c| WINDOWS_IN_USE.contains(&c)))
}

/// The fallback's swap: each top-level entry of `staging` (inside `dest`) is swapped in
/// on its own, folders and assets first and the top-level pages last, so a page never
/// appears before what it links to. Entries of the old site that the new one lacks are
/// removed at the end.
fn swap_entries(staging: &Path, dest: &Path) -> io::Result<()> {
    let mut names: Vec<std::ffi::OsString> = std::fs::read_dir(staging)?
        .map(|e| e.map(|e| e.file_name()))
        .collect::<io::Result<_>>()?;
    let is_page = |n: &std::ffi::OsString| {
        let n = n.to_string_lossy();
        n.ends_with(".html") || n.ends_with(".html.gz")
    };
    names.sort_by_key(|n| (is_page(n), n.to_string_lossy() == "index.html", n.clone()));
    for n in &names {
        let (from, to) = (staging.join(n), dest.join(n));
        if std::fs::symlink_metadata(&to).is_err() {
            rename_patiently(&from, &to)?;
        } else if exchange(&from, &to).is_err() {
            let aside = staging.join(format!("{OLD}{}", n.to_string_lossy()));
            swap_by_renames(&from, &to, &aside, &mut rename_patiently)?;
        }
    }
    let staging_name = staging.file_name().unwrap_or_default();
    for e in std::fs::read_dir(dest)?.flatten() {
        let n = e.file_name();
        if n == staging_name || names.contains(&n) {
            continue;
        }
        let p = e.path();
        if e.file_type().is_ok_and(|t| t.is_dir()) {
            std::fs::remove_dir_all(&p)?;
        } else {
            std::fs::remove_file(&p)?;
        }
    }
    Ok(())
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

/// Removes the staging folders (names starting with one of `prefixes` and ending with a
/// process id) of builds that were killed. A folder whose process is still running is
/// left alone.
fn clean_leftovers(dir: &Path, prefixes: &[String]) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let file = e.file_name().to_string_lossy().to_string();
        let Some(pid) = prefixes.iter().find_map(|p| file.strip_prefix(p.as_str())) else {
            continue;
        };
        let alive = pid
            .parse::<u32>()
            .is_ok_and(|pid| pid != std::process::id() && crate::platform::process_alive(pid));
        if !alive {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write_in_place(out: &Output, dest: &Path) {
        let staging = Staging::open_in_place(dest, WriteOptions::default()).unwrap();
        staging.put_all(out).unwrap();
        staging.commit().unwrap();
    }

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

    #[test]
    fn staging_inside_the_output_folder_replaces_every_entry() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("public");
        let mut a = Output::default();
        a.add("index.html", "one");
        a.add("old/index.html", "gone");
        a.add("css/a.css", "a");
        write_in_place(&a, &dest);
        let mut b = Output::default();
        b.add("index.html", "two");
        b.add("css/b.css", "b");
        b.add("new/index.html", "new");
        write_in_place(&b, &dest);
        let mut names: Vec<String> = walkdir::WalkDir::new(&dest)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                e.path()
                    .strip_prefix(&dest)
                    .unwrap()
                    .to_string_lossy()
                    .to_string()
            })
            .collect();
        names.sort();
        assert_eq!(names, ["css/b.css", "index.html", "new/index.html"]);
        assert_eq!(
            std::fs::read_to_string(dest.join("index.html")).unwrap(),
            "two"
        );
    }

    fn refused() -> io::Error {
        io::Error::from(io::ErrorKind::PermissionDenied)
    }

    #[test]
    fn refused_renames_are_tried_again_for_about_two_seconds() {
        let delays: Vec<Duration> = (0..)
            .map_while(|attempt| retry_delay(attempt, &refused()))
            .collect();
        assert!(delays.windows(2).all(|w| w[0] < w[1]), "{delays:?}");
        let total: Duration = delays.iter().sum();
        assert!(
            total > Duration::from_secs(1) && total < Duration::from_secs(3),
            "{total:?}"
        );
        let busy = io::Error::from(io::ErrorKind::ResourceBusy);
        assert!(retry_delay(0, &busy).is_some());
        // Mistakes that waiting does not mend fail at once.
        for kind in [io::ErrorKind::NotFound, io::ErrorKind::AlreadyExists] {
            assert_eq!(retry_delay(0, &io::Error::from(kind)), None);
        }
    }

    #[test]
    fn a_rename_refused_for_a_moment_succeeds() {
        let mut calls = 0;
        let mut slept = Vec::new();
        let result = retrying(
            || {
                calls += 1;
                if calls < 3 { Err(refused()) } else { Ok(calls) }
            },
            |d| slept.push(d),
        );
        assert_eq!(result.unwrap(), 3);
        assert_eq!(slept.len(), 2);
        let mut slept = 0;
        let result: io::Result<()> = retrying(|| Err(refused()), |_| slept += 1);
        assert!(result.is_err());
        assert_eq!(slept, DELAYS);
    }

    /// The two-rename swap with renames that the "system" refuses for the paths in
    /// `refuse`, done for real otherwise.
    fn swap_refusing(refuse: &[&Path], staging: &Path, dest: &Path, old: &Path) -> io::Result<()> {
        swap_by_renames(staging, dest, old, &mut |from, to| {
            if refuse.contains(&from) {
                Err(refused())
            } else {
                std::fs::rename(from, to)
            }
        })
    }

    fn site_in(dir: &Path, name: &str, page: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::create_dir(&path).unwrap();
        std::fs::write(path.join("index.html"), page).unwrap();
        path
    }

    #[test]
    fn an_output_folder_in_use_is_named_and_left_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let dest = site_in(dir.path(), "public", "old");
        let staging = site_in(dir.path(), ".public.jt-staging-1", "new");
        let old = dir.path().join(".public.jt-old-1");
        let home = |site: &Path| std::fs::read_to_string(site.join("index.html")).unwrap();

        // The output folder itself is held open.
        let e = swap_refusing(&[&dest], &staging, &dest, &old).unwrap_err();
        let in_use = e.get_ref().and_then(|e| e.downcast_ref::<InUse>()).unwrap();
        assert_eq!(in_use.folder, dest);
        assert_eq!(home(&dest), "old");
        assert!(!old.exists());
        assert!(
            !cannot_stage_beside(&e),
            "no retry inside the folder in use"
        );

        // The new tree is held (a virus scan): the old site is put back.
        let e = swap_refusing(&[&staging], &staging, &dest, &old).unwrap_err();
        assert!(e.get_ref().is_some_and(|e| e.is::<InUse>()));
        assert_eq!(home(&dest), "old");
        assert!(!old.exists());

        swap_refusing(&[], &staging, &dest, &old).unwrap();
        assert_eq!(home(&dest), "new");
        assert_eq!(home(&old), "old");
    }

    #[test]
    fn output_paths_get_the_systems_separators() {
        let rel = safe_rel("courses/x/index.html").unwrap();
        assert_eq!(rel, Path::new("courses").join("x").join("index.html"));
        for bad in ["", "../x", "/etc/passwd", "a/../../b"] {
            assert!(safe_rel(bad).is_err(), "{bad}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_symlinked_output_folder_stays_a_symlink() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real");
        std::fs::create_dir(&real).unwrap();
        let link = dir.path().join("public");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let mut a = Output::default();
        a.add("index.html", "one");
        write_atomic(&a, &link).unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(
            std::fs::read_to_string(real.join("index.html")).unwrap(),
            "one"
        );
    }

    #[cfg(unix)]
    #[test]
    fn unchanged_files_are_linked_and_the_published_tree_never_changes() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("public");
        let attachment = dir.path().join("a.pdf");
        std::fs::write(&attachment, "pdf").unwrap();
        let mut a = Output::default();
        a.add("same.html", "same");
        a.add("changed.html", "old");
        a.copies.insert("a.pdf".into(), attachment.clone());
        write_atomic(&a, &dest).unwrap();
        let inode = |rel: &str| std::fs::metadata(dest.join(rel)).unwrap().ino();
        let (same, changed, pdf) = (inode("same.html"), inode("changed.html"), inode("a.pdf"));

        let staging = Staging::open(&dest, WriteOptions::default()).unwrap();
        staging.put("same.html", b"same").unwrap();
        staging.put("changed.html", b"new").unwrap();
        staging.copy("a.pdf", &attachment).unwrap();
        // A name written twice, and a copy over a linked name: the published files
        // they were linked to keep their bytes.
        staging.put("same.html", b"rewritten").unwrap();
        std::fs::write(dir.path().join("b.pdf"), "other").unwrap();
        staging.copy("a.pdf", &dir.path().join("b.pdf")).unwrap();
        assert_eq!(
            std::fs::read_to_string(dest.join("same.html")).unwrap(),
            "same"
        );
        assert_eq!(std::fs::read_to_string(dest.join("a.pdf")).unwrap(), "pdf");
        assert_eq!(
            std::fs::read_to_string(dest.join("changed.html")).unwrap(),
            "old"
        );
        drop(staging);

        let mut b = Output::default();
        b.add("same.html", "same");
        b.add("changed.html", "new");
        b.copies.insert("a.pdf".into(), attachment);
        write_atomic(&b, &dest).unwrap();
        assert_eq!(
            inode("same.html"),
            same,
            "unchanged page linked, not written"
        );
        assert_eq!(
            inode("a.pdf"),
            pdf,
            "unchanged attachment linked, not copied"
        );
        assert_ne!(inode("changed.html"), changed);
        assert_eq!(
            std::fs::read_to_string(dest.join("changed.html")).unwrap(),
            "new"
        );
        assert_eq!(
            std::fs::read_to_string(dest.join("same.html")).unwrap(),
            "same"
        );
    }
}
