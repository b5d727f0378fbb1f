//! Theme static files as published. CSS and JS get a content fingerprint in their names
//! (`css/site.3f9a1c2b.css`), so a web server can cache them for a year; everything else
//! keeps its name. Stylesheets are rewritten first: each `url(…)` and `@import` that
//! points at a static file is replaced by that file's published name, written relative
//! to the stylesheet, and root-absolute references (`url(/img/a.png)`) are made relative
//! too, so the CSS works under any base path and in the relative mode alike. A
//! stylesheet's fingerprint is taken from its rewritten text, so it changes whenever a
//! file it references is renamed.

use std::collections::BTreeMap;

use super::{dir_of, relative_path};

/// Static files as published.
#[derive(Debug, Default)]
pub struct Published {
    /// Static path (`css/site.css`) → root-relative URL without the base path
    /// (`/css/site.3f9a1c2b.css`): what the templates' `asset()` looks up.
    pub urls: BTreeMap<String, String>,
    /// Output path → bytes.
    pub files: Vec<(String, Vec<u8>)>,
}

/// Publishes the theme's static files (static path → bytes).
pub(crate) fn publish(statics: &BTreeMap<String, Vec<u8>>) -> Published {
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    let mut files = Vec::with_capacity(statics.len());
    for (rel, bytes) in statics.iter().filter(|(r, _)| !is_css(r)) {
        let name = fingerprint(rel, bytes);
        names.insert(rel.clone(), name.clone());
        files.push((name, bytes.clone()));
    }
    // Stylesheets in dependency order (one that @imports another comes after it).
    let mut pending: Vec<&String> = statics.keys().filter(|r| is_css(r)).collect();
    while !pending.is_empty() {
        let ready = pending.iter().position(|rel| {
            css_refs(rel, &statics[*rel])
                .iter()
                .all(|t| t == *rel || !pending.contains(&t))
        });
        // An @import cycle is broken CSS anyway: take the files in order.
        let rel = pending.remove(ready.unwrap_or(0));
        let bytes = &statics[rel];
        let rewritten = rewrite_css(rel, bytes, &names);
        let name = fingerprint(rel, &rewritten);
        names.insert(rel.clone(), name.clone());
        files.push((name, rewritten));
    }
    let urls = names
        .into_iter()
        .map(|(rel, name)| (rel, format!("/{name}")))
        .collect();
    Published { urls, files }
}

/// Whether a static file gets a fingerprint in its name: scripts and stylesheets, the
/// files a page loads on every visit.
fn is_fingerprinted(ext: &str) -> bool {
    matches!(ext, "css" | "js")
}

/// `css/site.css` → `css/site.3f9a1c2b.css` (the first 32 bits of the content's hash),
/// for CSS and JS; other files keep their name.
pub(crate) fn fingerprint(rel: &str, bytes: &[u8]) -> String {
    match rel.rsplit_once('.') {
        Some((stem, ext)) if is_fingerprinted(ext) => {
            let hash = xxhash_rust::xxh3::xxh3_64(bytes);
            format!("{stem}.{:08x}.{ext}", hash >> 32)
        }
        _ => rel.to_string(),
    }
}

/// The static path a fingerprinted name was made from (`css/site.0123abcd.css` →
/// `css/site.css`); `None` for a name [`fingerprint`] does not make.
pub(crate) fn unfingerprint(name: &str) -> Option<String> {
    let (rest, ext) = name.rsplit_once('.')?;
    let (stem, hash) = rest.rsplit_once('.')?;
    let is_hash = hash.len() == 8 && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    (is_fingerprinted(ext) && is_hash).then(|| format!("{stem}.{ext}"))
}

fn is_css(rel: &str) -> bool {
    rel.ends_with(".css")
}

/// One reference in a stylesheet: the byte range of the URL text.
struct CssRef {
    start: usize,
    end: usize,
}

/// The `url(…)` and `@import "…"` references of a stylesheet, outside comments.
fn scan_css(css: &str) -> Vec<CssRef> {
    let b = css.as_bytes();
    let mut refs = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i..].starts_with(b"/*") {
            i = css[i + 2..].find("*/").map_or(b.len(), |e| i + 2 + e + 2);
            continue;
        }
        if b[i] == b'"' || b[i] == b'\'' {
            // A string outside url(): only @import strings are references.
            let q = b[i];
            let end = find_byte(b, i + 1, q).unwrap_or(b.len());
            if preceded_by_import(css, i) {
                refs.push(CssRef { start: i + 1, end });
            }
            i = end + 1;
            continue;
        }
        if b[i..].len() >= 4 && b[i..i + 4].eq_ignore_ascii_case(b"url(") {
            let before = i.checked_sub(1).map(|j| b[j]);
            if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_') {
                i += 4;
                continue;
            }
            let mut j = i + 4;
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            if j < b.len() && (b[j] == b'"' || b[j] == b'\'') {
                let q = b[j];
                let end = find_byte(b, j + 1, q).unwrap_or(b.len());
                refs.push(CssRef { start: j + 1, end });
                i = css[end..].find(')').map_or(b.len(), |e| end + e + 1);
            } else {
                let close = find_byte(b, j, b')').unwrap_or(b.len());
                let mut end = close;
                while end > j && b[end - 1].is_ascii_whitespace() {
                    end -= 1;
                }
                refs.push(CssRef { start: j, end });
                i = close + 1;
            }
            continue;
        }
        i += 1;
    }
    refs
}

fn find_byte(b: &[u8], from: usize, c: u8) -> Option<usize> {
    b.get(from..)?
        .iter()
        .position(|&x| x == c)
        .map(|p| p + from)
}

fn preceded_by_import(css: &str, quote: usize) -> bool {
    css[..quote]
        .trim_end()
        .to_ascii_lowercase()
        .ends_with("@import")
}

/// The static paths a stylesheet refers to (resolved, existing or not).
fn css_refs(rel: &str, bytes: &[u8]) -> Vec<String> {
    let Ok(css) = std::str::from_utf8(bytes) else {
        return Vec::new();
    };
    scan_css(css)
        .iter()
        .filter_map(|r| target(rel, &css[r.start..r.end]).map(|(t, _, _)| t))
        .collect()
}

/// Resolves a stylesheet reference: (static path it points at, query and fragment,
/// whether it was root-absolute). `None` for other hosts, `data:` and the like.
fn target(css_rel: &str, url: &str) -> Option<(String, String, bool)> {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    let has_scheme = lower
        .split_once(':')
        .is_some_and(|(s, _)| !s.is_empty() && !s.contains('/') && !s.contains('?'));
    if url.is_empty() || url.starts_with('#') || url.starts_with("//") || has_scheme {
        return None;
    }
    let cut = url.find(['?', '#']).unwrap_or(url.len());
    let (path, suffix) = url.split_at(cut);
    let absolute = path.starts_with('/');
    let joined = if absolute {
        path.trim_start_matches('/').to_string()
    } else {
        format!("{}{path}", dir_of(css_rel))
    };
    let mut parts: Vec<&str> = Vec::new();
    for seg in joined.split('/') {
        match seg {
            "." | "" => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some((parts.join("/"), suffix.to_string(), absolute))
}

/// Rewrites a stylesheet's references to published names, relative to the stylesheet.
fn rewrite_css(rel: &str, bytes: &[u8], names: &BTreeMap<String, String>) -> Vec<u8> {
    let Ok(css) = std::str::from_utf8(bytes) else {
        return bytes.to_vec();
    };
    let mut out = String::with_capacity(css.len());
    let mut last = 0;
    for r in scan_css(css) {
        let url = &css[r.start..r.end];
        let Some((path, suffix, absolute)) = target(rel, url) else {
            continue;
        };
        let published = names.get(&path);
        if !absolute && published.is_none_or(|n| *n == path) {
            continue; // a relative reference to a file that keeps its name
        }
        let to = published.map_or(path.as_str(), String::as_str);
        out.push_str(&css[last..r.start]);
        out.push_str(&relative_path(dir_of(rel), to));
        out.push_str(&suffix);
        last = r.end;
    }
    out.push_str(&css[last..]);
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn statics(files: &[(&str, &str)]) -> BTreeMap<String, Vec<u8>> {
        files
            .iter()
            .map(|(k, v)| (k.to_string(), v.as_bytes().to_vec()))
            .collect()
    }

    fn file<'a>(p: &'a Published, rel: &str) -> (&'a str, String) {
        let url = &p.urls[rel];
        let (name, bytes) = p
            .files
            .iter()
            .find(|(n, _)| format!("/{n}") == *url)
            .expect("published file");
        (name, String::from_utf8_lossy(bytes).to_string())
    }

    #[test]
    fn css_references_point_at_published_names_relative_to_the_stylesheet() {
        let p = publish(&statics(&[
            (
                "css/site.css",
                "@import \"print.css\";\n/* url(/ignored.png) */\n.a{background:url(/img/bg.png)}\n.b{background:url( '../img/bg.png?v=1#x' )}\n.c{background:url(data:image/png;base64,AAAA)}\n.d{cursor:url(https://other.example/c.cur)}\n.e{background:url(../fonts/f.woff2)}\n",
            ),
            ("css/print.css", ".p{background:url(\"/js/x.js\")}"),
            ("img/bg.png", "png"),
            ("js/x.js", "1"),
        ]));
        let (print_name, print) = file(&p, "css/print.css");
        let js = p.urls["js/x.js"].trim_start_matches('/');
        assert_eq!(print, format!(".p{{background:url(\"../{js}\")}}"));
        let (_, site) = file(&p, "css/site.css");
        let print_file = print_name.trim_start_matches("css/");
        assert!(
            site.starts_with(&format!("@import \"{print_file}\";")),
            "{site}"
        );
        assert!(site.contains("/* url(/ignored.png) */"), "{site}");
        assert!(site.contains(".a{background:url(../img/bg.png)}"), "{site}");
        assert!(site.contains("url( '../img/bg.png?v=1#x' )"), "{site}");
        assert!(site.contains("url(data:image/png;base64,AAAA)"), "{site}");
        assert!(site.contains("url(https://other.example/c.cur)"), "{site}");
        assert!(site.contains("url(../fonts/f.woff2)"), "{site}");
        assert_eq!(p.urls["img/bg.png"], "/img/bg.png");
    }

    #[test]
    fn a_stylesheet_is_renamed_when_a_stylesheet_it_imports_changes() {
        let a = publish(&statics(&[
            ("css/site.css", "@import url(base.css);"),
            ("css/base.css", "body{color:red}"),
        ]));
        let b = publish(&statics(&[
            ("css/site.css", "@import url(base.css);"),
            ("css/base.css", "body{color:blue}"),
        ]));
        assert_ne!(a.urls["css/site.css"], b.urls["css/site.css"]);
        assert_ne!(a.urls["css/base.css"], b.urls["css/base.css"]);
        let (_, site) = file(&a, "css/site.css");
        let base = a.urls["css/base.css"].trim_start_matches("/css/");
        assert_eq!(site, format!("@import url({base});"));
    }

    #[test]
    fn only_css_and_js_are_fingerprinted() {
        let a = fingerprint("css/site.css", b"body{}");
        assert!(
            a.starts_with("css/site.")
                && a.ends_with(".css")
                && a.len() == "css/site.12345678.css".len()
        );
        assert_eq!(fingerprint("img/logo.png", b"x"), "img/logo.png");
        assert_ne!(fingerprint("js/a.js", b"1"), fingerprint("js/a.js", b"2"));
    }

    #[test]
    fn unfingerprint_undoes_fingerprint() {
        for rel in ["css/site.css", "js/a.b.js", "print.css"] {
            let name = fingerprint(rel, b"x");
            assert_ne!(name, rel);
            assert_eq!(unfingerprint(&name).as_deref(), Some(rel));
        }
    }

    #[test]
    fn unfingerprint_rejects_other_names() {
        for name in [
            "css/site.css",
            "img/logo.0123abcd.png",
            "css/site.0123abc.css",
            "css/site.0123ABCD.css",
            "0123abcd.css",
            "index.html",
        ] {
            assert_eq!(unfingerprint(name), None, "{name}");
        }
    }

    #[test]
    fn import_cycles_do_not_hang() {
        let p = publish(&statics(&[
            ("a.css", "@import 'b.css';"),
            ("b.css", "@import 'a.css';"),
        ]));
        assert_eq!(p.files.len(), 2);
    }
}
