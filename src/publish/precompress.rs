//! `--precompress`: a `.gz` file beside every text file over 1 KiB, for nginx
//! `gzip_static on;`, which then sends the compressed file as it is instead of
//! compressing on every request. Each `.gz` gets its original's modification time, so
//! both carry the same `Last-Modified` and ETag. The gzip header has no name and no time
//! of its own, so the same input always gives the same bytes.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use libdeflater::{CompressionLvl, Compressor};
use rayon::prelude::*;

/// Files this size or smaller are left alone: compressing them saves no round trip.
pub(crate) const MIN_BYTES: u64 = 1024;

/// Extensions of text files worth compressing.
pub(crate) const TEXT_EXTENSIONS: &[&str] = &[
    "html",
    "htm",
    "css",
    "js",
    "mjs",
    "json",
    "xml",
    "ics",
    "svg",
    "txt",
    "csv",
    "md",
    "map",
    "webmanifest",
];

/// Whether `path` is a text file by its extension.
pub fn is_text(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| TEXT_EXTENSIONS.iter().any(|t| t.eq_ignore_ascii_case(e)))
}

/// Writes `<file>.gz` beside every text file over [`MIN_BYTES`] under `root` (in
/// parallel). Returns how many were written.
pub(crate) fn precompress_tree(root: &Path) -> io::Result<usize> {
    let mut files: Vec<PathBuf> = Vec::new();
    for entry in walkdir::WalkDir::new(root) {
        let entry = entry.map_err(io::Error::other)?;
        if entry.file_type().is_file()
            && is_text(entry.path())
            && entry.metadata().map_err(io::Error::other)?.len() > MIN_BYTES
        {
            files.push(entry.into_path());
        }
    }
    files
        .par_iter()
        .map(|p| precompress_file(p))
        .collect::<io::Result<Vec<()>>>()?;
    Ok(files.len())
}

/// Writes `<path>.gz` with the modification time of `path`.
pub(crate) fn precompress_file(path: &Path) -> io::Result<()> {
    let bytes = std::fs::read(path)?;
    let modified = std::fs::metadata(path)?.modified()?;
    let mut gz_name = path.as_os_str().to_owned();
    gz_name.push(".gz");
    let gz_path = PathBuf::from(gz_name);
    // A new file, never through an existing name: in a staged tree that name may be a
    // hard link into the published one (see `output::Staging::put`).
    match std::fs::remove_file(&gz_path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    let file = std::fs::File::create(&gz_path)?;
    let mut writer = io::BufWriter::new(file);
    writer.write_all(&gzip(&bytes)?)?;
    let file = writer
        .into_inner()
        .map_err(io::IntoInnerError::into_error)?;
    file.set_modified(modified)?;
    Ok(())
}

/// libdeflate's level for `.gz` files: about the size of zlib's best level, in
/// less time.
const PRECOMPRESS_LEVEL: i32 = 9;

/// Gzip at [`PRECOMPRESS_LEVEL`], with an empty header (no file name, time 0).
pub(crate) fn gzip(bytes: &[u8]) -> io::Result<Vec<u8>> {
    let level =
        CompressionLvl::new(PRECOMPRESS_LEVEL).map_err(|e| io::Error::other(format!("{e:?}")))?;
    let mut c = Compressor::new(level);
    let mut out = vec![0; c.gzip_compress_bound(bytes.len())];
    let n = c
        .gzip_compress(bytes, &mut out)
        .map_err(|e| io::Error::other(format!("{e:?}")))?;
    out.truncate(n);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn text_files_over_one_kib_get_a_gz_with_the_same_mtime() {
        let dir = tempfile::tempdir().unwrap();
        let big = "<p>学习强国</p>\n".repeat(200);
        std::fs::create_dir_all(dir.path().join("a")).unwrap();
        std::fs::write(dir.path().join("a/index.html"), &big).unwrap();
        std::fs::write(dir.path().join("small.css"), "body{}").unwrap();
        std::fs::write(dir.path().join("slides.pdf"), big.as_bytes()).unwrap();
        let old = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
        std::fs::File::options()
            .write(true)
            .open(dir.path().join("a/index.html"))
            .unwrap()
            .set_modified(old)
            .unwrap();
        assert_eq!(precompress_tree(dir.path()).unwrap(), 1);
        let gz = dir.path().join("a/index.html.gz");
        assert_eq!(std::fs::metadata(&gz).unwrap().modified().unwrap(), old);
        let mut text = String::new();
        flate2::read::GzDecoder::new(std::fs::File::open(&gz).unwrap())
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(text, big);
        assert!(!dir.path().join("small.css.gz").exists());
        assert!(!dir.path().join("slides.pdf.gz").exists());
        assert_eq!(gzip(big.as_bytes()).unwrap(), gzip(big.as_bytes()).unwrap());
    }
}
