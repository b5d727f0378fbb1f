//! Links and the base path.
//!
//! - [`relativize`]: the relative mode (`base_url: ""`). Every page is rendered with
//!   root-relative links (`/courses/x/`); this pass rewrites each internal link of every
//!   HTML and XML file relative to that file (`../../courses/x/index.html`), so the
//!   folder works copied to any path of any server, or opened from the disk. Links to a
//!   folder get its `index.html`; `data-*` attributes holding a folder (the site base
//!   `data-site-base="/"` that scripts read) become a folder prefix (`../../`). Only
//!   links to files the build writes are touched; anything else (another application on
//!   the same host) is left as written. The pass is idempotent.
//! - [`root_absolute_links`]: content links written as `/path`, which bypass the base
//!   path, reported as warnings with their position.

use std::collections::BTreeSet;

use pulldown_cmark::{Event, Options, Parser, Tag};
use rayon::prelude::*;

use super::{dir_of, relative_path};
use crate::diagnostic::{Diagnostic, Text};
use crate::output::Output;
use crate::site::{Page, Site};

/// Rewrites every internal link of the HTML and XML files in `out` relative to the file.
pub(crate) fn relativize(out: &mut Output) {
    let known: BTreeSet<String> = out
        .files
        .keys()
        .map(|k| k.to_string())
        .chain(out.copies.keys().cloned())
        .collect();
    let updates: Vec<(std::sync::Arc<str>, String)> = out
        .files
        .par_iter()
        .filter_map(|(path, bytes)| {
            let xml = if path.ends_with(".html") || path.ends_with(".htm") {
                false
            } else if path.ends_with(".xml") {
                true
            } else {
                return None;
            };
            let text = std::str::from_utf8(&bytes[..]).ok()?;
            rewrite_markup(text, path, &known, xml).map(|t| (path.clone(), t))
        })
        .collect();
    for (path, text) in updates {
        out.files.insert(path, text.into_bytes().into());
    }
}

/// The markup with its internal links made relative to `file`; `None` when unchanged.
pub(crate) fn rewrite_markup(
    text: &str,
    file: &str,
    known: &BTreeSet<String>,
    xml: bool,
) -> Option<String> {
    let from = dir_of(file);
    let b = text.as_bytes();
    let len = b.len();
    let mut out = String::new();
    let mut last = 0;
    let replace = |out: &mut String, last: &mut usize, start: usize, end: usize, new: &str| {
        out.push_str(&text[*last..start]);
        out.push_str(new);
        *last = end;
    };
    let mut i = 0;
    while let Some(off) = text[i..].find('<') {
        let s = i + off;
        let rest = &text[s..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            i = comment.find("-->").map_or(len, |e| s + 4 + e + 3);
            continue;
        }
        if rest.starts_with("<![CDATA[") {
            i = rest.find("]]>").map_or(len, |e| s + e + 3);
            continue;
        }
        let name_end = rest[1..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == ':'))
            .map_or(len, |e| s + 1 + e);
        if name_end == s + 1 {
            i = s + 1;
            continue; // `</x>`, `<!DOCTYPE`, `<?xml`, a stray `<`
        }
        let tag = text[s + 1..name_end].to_ascii_lowercase();
        let mut j = name_end;
        loop {
            while j < len && (b[j].is_ascii_whitespace() || b[j] == b'/') {
                j += 1;
            }
            if j >= len {
                break;
            }
            if b[j] == b'>' {
                j += 1;
                break;
            }
            let name_start = j;
            while j < len && !b[j].is_ascii_whitespace() && !matches!(b[j], b'=' | b'>' | b'/') {
                j += 1;
            }
            if j == name_start {
                j += 1; // a stray character such as a quote
                continue;
            }
            let attr = text[name_start..j].to_ascii_lowercase();
            let mut k = j;
            while k < len && b[k].is_ascii_whitespace() {
                k += 1;
            }
            if k >= len || b[k] != b'=' {
                continue; // an attribute without a value
            }
            k += 1;
            while k < len && b[k].is_ascii_whitespace() {
                k += 1;
            }
            let (vs, ve, next) = match b.get(k) {
                Some(&q) if q == b'"' || q == b'\'' => {
                    let end = text[k + 1..].find(q as char).map_or(len, |e| k + 1 + e);
                    (k + 1, end, (end + 1).min(len))
                }
                _ => {
                    let end = text[k..]
                        .find(|c: char| c.is_ascii_whitespace() || c == '>')
                        .map_or(len, |e| k + e);
                    (k, end, end)
                }
            };
            j = next;
            if let Some(new) = rewrite_attr(&attr, &text[vs..ve], from, known) {
                replace(&mut out, &mut last, vs, ve, &new);
            }
        }
        i = j.max(s + 1);
        if xml && matches!(tag.as_str(), "loc" | "id" | "uri") {
            let end = text[i..].find('<').map_or(len, |e| i + e);
            let raw = &text[i..end];
            let trimmed = raw.trim();
            if let Some(new) = relativize_url(&unescape(trimmed), from, known, false) {
                let start = i + (raw.len() - raw.trim_start().len());
                replace(
                    &mut out,
                    &mut last,
                    start,
                    start + trimmed.len(),
                    &escape(&new),
                );
            }
            i = end;
        } else if !xml && matches!(tag.as_str(), "script" | "style" | "textarea" | "title") {
            let close = format!("</{tag}");
            i = find_ci(text, i, &close).unwrap_or(len);
        }
    }
    if last == 0 {
        return None;
    }
    out.push_str(&text[last..]);
    Some(out)
}

fn find_ci(text: &str, from: usize, needle: &str) -> Option<usize> {
    let hay = text.as_bytes().get(from..)?;
    let n = needle.as_bytes();
    hay.windows(n.len())
        .position(|w| w.eq_ignore_ascii_case(n))
        .map(|p| p + from)
}

const URL_ATTRS: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "poster",
    "cite",
    "data",
    "background",
    "xlink:href",
];

/// The new (escaped) value of an attribute, or `None` to keep it.
fn rewrite_attr(attr: &str, raw: &str, from: &str, known: &BTreeSet<String>) -> Option<String> {
    if !raw.contains('/') {
        return None;
    }
    let value = unescape(raw);
    let new = if attr == "srcset" {
        let mut changed = false;
        let parts: Vec<String> = value
            .split(',')
            .map(|part| {
                let t = part.trim_start();
                let (url, descriptor) = t.split_once(char::is_whitespace).unwrap_or((t, ""));
                match relativize_url(url, from, known, false) {
                    Some(u) => {
                        changed = true;
                        let sep = if descriptor.is_empty() { "" } else { " " };
                        format!("{u}{sep}{descriptor}")
                    }
                    None => t.to_string(),
                }
            })
            .collect();
        changed.then(|| parts.join(", "))?
    } else if URL_ATTRS.contains(&attr) {
        relativize_url(&value, from, known, false)?
    } else if attr.starts_with("data-") {
        relativize_url(&value, from, known, true)?
    } else if attr == "content" {
        // `<meta http-equiv="refresh" content="0; url=/x/">`, the page at an old address.
        let (delay, target) = refresh_target(&value)?;
        format!("{delay}{}", relativize_url(target, from, known, false)?)
    } else {
        return None;
    };
    Some(escape(&new))
}

/// A meta refresh's `content` split before its URL: `0; url=/x/` → (`0; url=`, `/x/`).
fn refresh_target(value: &str) -> Option<(&str, &str)> {
    if !value.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let at = value.to_ascii_lowercase().find("url=")? + "url=".len();
    Some(value.split_at(at))
}

/// A root-relative URL (`/courses/x/#a`) relative to the folder `from`, when it points at
/// something the build writes. `prefix`: a folder stays a folder (`../../`) instead of
/// pointing at its `index.html`.
fn relativize_url(url: &str, from: &str, known: &BTreeSet<String>, prefix: bool) -> Option<String> {
    if !url.starts_with('/') || url.starts_with("//") {
        return None;
    }
    let cut = url.find(['?', '#']).unwrap_or(url.len());
    let (path, suffix) = url.split_at(cut);
    let target = &path[1..];
    let decoded = percent_decode(target);
    let is_folder = target.is_empty() || target.ends_with('/');
    let rel = if is_folder && prefix {
        let holds_files = known
            .range(decoded.clone()..)
            .next()
            .is_some_and(|k| k.starts_with(&decoded));
        if !holds_files {
            return None;
        }
        let r = relative_path(from, target);
        if r.is_empty() { "./".to_string() } else { r }
    } else if is_folder {
        if !known.contains(&format!("{decoded}index.html")) {
            return None;
        }
        relative_path(from, &format!("{target}index.html"))
    } else if known.contains(&decoded) {
        relative_path(from, target)
    } else if !prefix && known.contains(&format!("{decoded}/index.html")) {
        relative_path(from, &format!("{target}/index.html"))
    } else {
        return None;
    };
    Some(format!("{rel}{suffix}"))
}

fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&#x2f;", "/")
        .replace("&#x2F;", "/")
        .replace("&#47;", "/")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// Links in content written as `/path`: they bypass the base path, so they break when the
/// site is published under a sub-path or copied elsewhere. Warnings, since a link to
/// another application on the same host is written that way on purpose.
pub(crate) fn root_absolute_links(site: &Site) -> Vec<Diagnostic> {
    root_absolute_links_in(site, |_| true)
}

/// [`root_absolute_links`] of the pages `pick` selects (an incremental rebuild checks
/// the pages whose file changed).
pub(crate) fn root_absolute_links_in(
    site: &Site,
    pick: impl Fn(Page<'_>) -> bool + Sync,
) -> Vec<Diagnostic> {
    let mut diags: Vec<Diagnostic> = site
        .par_pages()
        .filter(|&p| pick(p))
        .flat_map_iter(|p| page_root_links(site, p))
        .collect();
    sort_by_position(&mut diags);
    diags
}

/// The order [`root_absolute_links`] reports in: by file, line and column.
pub(crate) fn sort_by_position(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
}

fn is_root_absolute(dest: &str) -> bool {
    let d = dest.trim();
    d.starts_with('/') && !d.starts_with("//") && !d.starts_with("/@")
}

fn page_root_links(site: &Site, p: Page<'_>) -> Vec<Diagnostic> {
    let body = p.src.body.as_str();
    let maybe = ["](/", "](</", "]( /", "]: /", "]: </", "=\"/", "='/", "=/"]
        .iter()
        .any(|n| body.contains(n));
    if !maybe {
        return Vec::new();
    }
    let opts = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_GFM
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let mut found: Vec<(usize, String)> = Vec::new();
    for (event, range) in Parser::new_ext(body, opts).into_offset_iter() {
        match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. })
                if is_root_absolute(&dest_url) =>
            {
                found.push((range.start, dest_url.to_string()));
            }
            Event::Html(h) | Event::InlineHtml(h) => {
                for (at, url) in html_urls(&h) {
                    if is_root_absolute(&url) {
                        found.push((range.start + at, url));
                    }
                }
            }
            _ => {}
        }
    }
    found
        .into_iter()
        .map(|(offset, dest)| {
            let before = &body[..offset];
            let line = p.src.body_line + before.matches('\n').count();
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            let base = &site.config.base_path;
            let hint = match page_for(site, &dest) {
                Some(src) => Text::new(
                    format!("链接本站页面请写内容文件路径：@/{src}"),
                    format!("link pages of this site by their content file: @/{src}"),
                ),
                None => Text::new(
                    "链接本站页面请写内容文件路径（如 @/courses/x/index.md）或相对路径；若链接的是同一服务器上的其他系统，可忽略此提示",
                    "link pages of this site by their content file (e.g. @/courses/x/index.md) or a relative path; ignore this if it links another application on the same server",
                ),
            };
            Diagnostic::warning(
                &p.src.path,
                line,
                column,
                Text::new(
                    format!("链接 {dest} 以 / 开头，绕过了站点的基础路径 {base}：站点发布在子路径下或复制到别处时会失效"),
                    format!("link {dest} starts with / and bypasses the site's base path {base}: it breaks when the site is published under a sub-path or copied elsewhere"),
                ),
            )
            .with_hint(hint)
        })
        .collect()
}

/// The source file (`courses/x/index.md`) or attachment of a root-absolute link, if it
/// points into this site (with or without the base path in front).
fn page_for(site: &Site, dest: &str) -> Option<String> {
    let path = dest.split(['#', '?']).next().unwrap_or("");
    let base = site.config.base_path.as_str();
    let candidates = [
        Some(path.to_string()),
        path.strip_prefix(base.trim_end_matches('/'))
            .filter(|_| base != "/")
            .map(str::to_string),
    ];
    for c in candidates.into_iter().flatten() {
        let with_slash = if c.ends_with('/') || c.contains('.') {
            c.clone()
        } else {
            format!("{c}/")
        };
        if let Some(p) = site.pages().find(|p| p.url == c || p.url == with_slash) {
            return Some(p.src.rel.clone());
        }
        if let Some((a, _)) = site.files.iter().find(|(_, u)| *u == c) {
            return Some(a.rel.clone());
        }
    }
    None
}

/// `href`/`src` values in a piece of raw HTML, with their byte offsets.
fn html_urls(html: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let lower = html.to_ascii_lowercase();
    for attr in ["href", "src"] {
        let mut from = 0;
        while let Some(i) = lower[from..].find(attr) {
            let at = from + i;
            from = at + attr.len();
            let before = lower[..at].chars().last();
            if !before.is_some_and(char::is_whitespace) {
                continue;
            }
            let rest = html[from..].trim_start();
            let Some(rest) = rest.strip_prefix('=') else {
                continue;
            };
            let rest = rest.trim_start();
            let value = match rest.chars().next() {
                Some(q @ ('"' | '\'')) => rest[1..].split(q).next().unwrap_or(""),
                _ => rest
                    .split(|c: char| c.is_whitespace() || c == '>')
                    .next()
                    .unwrap_or(""),
            };
            out.push((at, unescape(value)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(paths: &[&str]) -> BTreeSet<String> {
        paths.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn links_become_relative_to_the_page() {
        let k = known(&[
            "index.html",
            "courses/index.html",
            "courses/x/index.html",
            "css/site.1234abcd.css",
            "search/index.html",
            "search/index.json",
            "附件/说明.pdf",
        ]);
        let html = concat!(
            "<!DOCTYPE html>\n<html lang=\"zh-CN\" data-site-base=\"/\">\n",
            "<link rel=\"stylesheet\" href=\"/css/site.1234abcd.css\">\n",
            "<a href=\"/\">home</a> <a href='/courses/x/#学习目标'>x</a>\n",
            "<a href=/courses>c</a> <a href=\"/oa/\">other app</a>\n",
            "<a href=\"https://www.gov.cn/\">out</a> <a href=\"#top\">top</a>\n",
            "<img src=\"/%E9%99%84%E4%BB%B6/%E8%AF%B4%E6%98%8E.pdf\" alt=\"\">\n",
            "<form action=\"/search/\"><input name=q></form>\n",
            "<div data-index=\"/search/index.json\" data-page-id=\"courses/x\"></div>\n",
            "<!-- <a href=\"/courses/\"> -->\n",
            "<script src=\"/css/site.1234abcd.css\" defer></script>\n",
            "<script>var a = '<a href=\"/courses/\">';</script>\n",
            "<a href=\"/courses/?q=1&amp;b=2\">q</a>\n",
        );
        let out = rewrite_markup(html, "courses/x/index.html", &k, false).unwrap();
        for want in [
            "data-site-base=\"../../\"",
            "href=\"../../css/site.1234abcd.css\"",
            "<a href=\"../../index.html\">home</a>",
            "<a href='index.html#学习目标'>x</a>",
            "<a href=../index.html>c</a>",
            "<a href=\"/oa/\">other app</a>",
            "href=\"https://www.gov.cn/\"",
            "href=\"#top\"",
            "src=\"../../%E9%99%84%E4%BB%B6/%E8%AF%B4%E6%98%8E.pdf\"",
            "action=\"../../search/index.html\"",
            "data-index=\"../../search/index.json\"",
            "data-page-id=\"courses/x\"",
            "<!-- <a href=\"/courses/\"> -->",
            "<script src=\"../../css/site.1234abcd.css\" defer>",
            "<script>var a = '<a href=\"/courses/\">';</script>",
            "href=\"../index.html?q=1&amp;b=2\"",
        ] {
            assert!(out.contains(want), "missing {want} in\n{out}");
        }
        // Idempotent.
        assert!(rewrite_markup(&out, "courses/x/index.html", &k, false).is_none());
        let root = rewrite_markup("<html data-site-base=\"/\">", "index.html", &k, false).unwrap();
        assert_eq!(root, "<html data-site-base=\"./\">");
    }

    #[test]
    fn a_refresh_to_a_page_becomes_relative() {
        let k = known(&["courses/new/index.html", "courses/old/index.html"]);
        let html = "<meta name=\"description\" content=\"讲座\"><meta http-equiv=\"refresh\" content=\"0; url=/courses/new/\">";
        let out = rewrite_markup(html, "courses/old/index.html", &k, false).unwrap();
        assert_eq!(
            out,
            "<meta name=\"description\" content=\"讲座\"><meta http-equiv=\"refresh\" content=\"0; url=../new/index.html\">"
        );
    }

    #[test]
    fn feeds_and_sitemaps_become_relative_to_their_file() {
        let k = known(&["index.html", "courses/x/index.html", "atom.xml"]);
        let xml = "<feed><link rel=\"self\" href=\"/atom.xml\"/><id>/</id><entry><link href=\"/courses/x/\"/><id>/courses/x/</id></entry></feed><urlset><url><loc> /courses/x/ </loc></url></urlset>";
        let out = rewrite_markup(xml, "atom.xml", &k, true).unwrap();
        assert_eq!(
            out,
            "<feed><link rel=\"self\" href=\"atom.xml\"/><id>index.html</id><entry><link href=\"courses/x/index.html\"/><id>courses/x/index.html</id></entry></feed><urlset><url><loc> courses/x/index.html </loc></url></urlset>"
        );
    }

    #[test]
    fn raw_html_urls_are_found_with_their_offsets() {
        let h = "<a class=\"x\" href=\"/a/\">a</a><img src='/b.png'>";
        let urls = html_urls(h);
        assert_eq!(
            urls,
            vec![(13, "/a/".to_string()), (34, "/b.png".to_string())]
        );
        assert!(is_root_absolute("/courses/"));
        assert!(!is_root_absolute("//cdn/x"));
        assert!(!is_root_absolute("@/courses/x.md"));
    }
}
