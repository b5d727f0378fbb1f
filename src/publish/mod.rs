//! Publishing on an intranet web server: what the built site needs to work under any
//! path and to be served cheaply, kept apart from rendering.
//!
//! - [`assets`]: theme static files as published: CSS and JS get content-fingerprinted
//!   names, and CSS `url()`/`@import` references are rewritten to those names, relative
//!   to the stylesheet so they work under any base path.
//! - [`links`]: the relative mode (`base_url: ""`), which rewrites every internal link of
//!   every HTML and XML file relative to that file, and the check that flags
//!   root-absolute links in content, which bypass the base path.
//! - [`precompress`]: `.gz` files beside the text files for nginx `gzip_static`.
//!
//! Writing the tree atomically is `output::write_atomic`.

pub(crate) mod assets;
pub(crate) mod links;
pub mod precompress;

/// The path of `to` (a file path below the site root, `css/site.1a2b3c4d.css`) relative to
/// the folder `from_dir` (`courses/x/`, or `""` for the root).
pub(crate) fn relative_path(from_dir: &str, to: &str) -> String {
    let from: Vec<&str> = from_dir.split('/').filter(|s| !s.is_empty()).collect();
    let to_parts: Vec<&str> = to.split('/').collect();
    let (to_dirs, to_last) = to_parts.split_at(to_parts.len().saturating_sub(1));
    let common = from.iter().zip(to_dirs).take_while(|(a, b)| a == b).count();
    let mut out = "../".repeat(from.len() - common);
    for d in &to_dirs[common..] {
        out.push_str(d);
        out.push('/');
    }
    out.push_str(to_last.first().copied().unwrap_or(""));
    out
}

/// The folder of a file path: `courses/x/index.html` → `courses/x/`, `a.css` → `""`.
pub(crate) fn dir_of(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..=i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths() {
        assert_eq!(relative_path("", "css/a.css"), "css/a.css");
        assert_eq!(relative_path("courses/x/", "css/a.css"), "../../css/a.css");
        assert_eq!(
            relative_path("courses/x/", "courses/y/index.html"),
            "../y/index.html"
        );
        assert_eq!(
            relative_path("courses/x/", "courses/x/index.html"),
            "index.html"
        );
        assert_eq!(relative_path("courses/x/", ""), "../../");
        assert_eq!(relative_path("courses/", "courses/x/"), "x/");
        assert_eq!(dir_of("courses/x/index.html"), "courses/x/");
        assert_eq!(dir_of("a.css"), "");
    }
}
