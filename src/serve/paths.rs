//! Request targets → paths in the in-memory output, and the answers' content types.
//! Pure functions: everything a request names is decoded and checked here before any
//! lookup, so `..`, `%2e%2e`, encoded slashes, backslashes, NUL and absolute paths never
//! reach the output (which is a map, not a folder: nothing outside it can be read).

/// Where a request lands relative to the site's base path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target {
    /// A path below the base path, decoded: `""` (the home page), `courses/x/`,
    /// `css/site.1234abcd.css`. Never contains `.`/`..` segments, `\`, NUL or `//`.
    Site(String),
    /// The base path without its trailing slash (`/training`): redirect to it.
    BaseWithoutSlash,
    /// Outside the base path, malformed or refused: answered with the 404 page.
    Refused,
}

/// Decodes and checks a request target (`/training/courses/x/?q=1`) against the base
/// path (`/training/`, always with leading and trailing `/`).
pub(crate) fn target(raw: &str, base_path: &str) -> Target {
    let Some(segments) = decode_path(raw) else {
        return Target::Refused;
    };
    let path = format!("/{}", segments.join("/"));
    if format!("{path}/") == base_path {
        return Target::BaseWithoutSlash;
    }
    match path.strip_prefix(base_path) {
        Some(rel) => Target::Site(rel.to_string()),
        None => Target::Refused,
    }
}

/// The path part of a request target (no query or fragment), as the client sent it.
/// An absolute-form target (`http://host/x`) gives its path.
pub(crate) fn raw_path(raw: &str) -> &str {
    let end = raw.find(['?', '#']).unwrap_or(raw.len());
    let path = &raw[..end];
    for scheme in ["http://", "https://"] {
        if path.len() >= scheme.len() && path[..scheme.len()].eq_ignore_ascii_case(scheme) {
            let rest = &path[scheme.len()..];
            return rest.find('/').map_or("/", |i| &rest[i..]);
        }
    }
    path
}

/// The query of a request target including its `?`, or `""`.
pub(crate) fn raw_query(raw: &str) -> &str {
    let raw = raw.split('#').next().unwrap_or("");
    raw.find('?').map_or("", |i| &raw[i..])
}

/// Splits the path into decoded segments, refusing anything that could name a file
/// outside the output or that a real link never contains.
fn decode_path(raw: &str) -> Option<Vec<String>> {
    let path = raw_path(raw);
    let rest = path.strip_prefix('/')?;
    let parts: Vec<&str> = rest.split('/').collect();
    let last = parts.len() - 1;
    let mut out = Vec::with_capacity(parts.len());
    for (i, part) in parts.iter().enumerate() {
        if part.is_empty() && i != last {
            return None; // `//`: an absolute path smuggled in after the base
        }
        let seg = percent_decode(part)?;
        let bad = seg == "."
            || seg == ".."
            || seg.chars().any(|c| c == '/' || c == '\\' || c.is_control());
        if bad {
            return None;
        }
        out.push(seg);
    }
    Some(out)
}

/// `%xx` escapes → UTF-8 text; `None` for broken escapes or bytes that are not UTF-8
/// (overlong forms such as `%c0%ae` included).
pub(crate) fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The output file a site path names: directories end in `/` and mean their
/// `index.html`.
pub(crate) fn output_key(rel: &str) -> String {
    if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    }
}

/// The `Content-Type` of an output file by its extension.
pub(crate) fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "ics" => "text/calendar; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "bmp" => "image/bmp",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "ppt" => "application/vnd.ms-powerpoint",
        "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        "m4a" => "audio/mp4",
        "ogg" => "audio/ogg",
        "wav" => "audio/wav",
        "zip" => "application/zip",
        "gz" => "application/gzip",
        _ => "application/octet-stream",
    }
}

/// Inserts `tag` before the last `</body>` (any case), or appends it when the page has
/// none.
pub(crate) fn inject(html: &[u8], tag: &str) -> Vec<u8> {
    let needle = b"</body";
    let at = html
        .windows(needle.len())
        .rposition(|w| w.eq_ignore_ascii_case(needle))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// `html` with `<base href="{base}">` first in its `<head>`, so that its relative links
/// resolve from `base` whatever address it is shown at; unchanged without a `<head>`.
pub(crate) fn with_base(html: &[u8], base: &str) -> Vec<u8> {
    let head = html.windows(6).position(|w| {
        w[..5].eq_ignore_ascii_case(b"<head") && (w[5] == b'>' || w[5].is_ascii_whitespace())
    });
    let Some(at) = head.and_then(|s| html[s..].iter().position(|&b| b == b'>').map(|e| s + e + 1))
    else {
        return html.to_vec();
    };
    let tag = format!("<base href=\"{}\">", crate::diagnostic::escape_html(base));
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// The bytes `start..end` of a body of `len` bytes that a `Range` header asks for:
/// one range of bytes (`a-b`, `a-` or `-n`). Anything else, or a range outside the
/// body, is `None`, and the whole body is sent (a server may ignore a range).
pub(crate) fn byte_range(header: &str, len: usize) -> Option<(usize, usize)> {
    let spec = header.trim().strip_prefix("bytes=")?.trim();
    if spec.contains(',') {
        return None;
    }
    let (a, b) = spec.split_once('-')?;
    let (start, end) = match (a.trim(), b.trim()) {
        ("", n) => {
            let n: usize = n.parse().ok()?;
            (len.checked_sub(n.min(len))?, len)
        }
        (a, "") => (a.parse().ok()?, len),
        (a, b) => {
            let last: usize = b.parse().ok()?;
            (a.parse().ok()?, last.saturating_add(1).min(len))
        }
    };
    (start < end && end <= len).then_some((start, end))
}

#[cfg(test)]
mod tests {
    #[test]
    fn byte_ranges() {
        assert_eq!(byte_range("bytes=0-9", 100), Some((0, 10)));
        assert_eq!(byte_range("bytes=90-", 100), Some((90, 100)));
        assert_eq!(byte_range("bytes=-10", 100), Some((90, 100)));
        assert_eq!(byte_range("bytes=95-200", 100), Some((95, 100)));
        assert_eq!(byte_range("bytes=100-120", 100), None);
        assert_eq!(byte_range("bytes=5-4", 100), None);
        assert_eq!(byte_range("bytes=0-1,5-6", 100), None);
        assert_eq!(byte_range("items=0-1", 100), None);
        assert_eq!(byte_range("bytes=x-1", 100), None);
        assert_eq!(byte_range("bytes=-0", 100), None);
        assert_eq!(byte_range("bytes=0-0", 0), None);
    }

    use super::*;

    #[test]
    fn a_base_opens_the_head() {
        let page = b"<html><HEAD lang=x><title>t</title></head><body><header>h</header></body>";
        assert_eq!(
            String::from_utf8_lossy(&with_base(page, "/")),
            "<html><HEAD lang=x><base href=\"/\"><title>t</title></head><body><header>h</header></body>"
        );
        assert_eq!(with_base(b"<header>x</header>", "/"), b"<header>x</header>");
    }

    const BASE: &str = "/training/";

    fn site(rel: &str) -> Target {
        Target::Site(rel.to_string())
    }

    #[test]
    fn pages_resolve_below_the_base_path() {
        assert_eq!(target("/training/", BASE), site(""));
        assert_eq!(target("/training/?x=1", BASE), site(""));
        assert_eq!(target("/training/courses/x/", BASE), site("courses/x/"));
        assert_eq!(target("/training/courses/x", BASE), site("courses/x"));
        assert_eq!(
            target("/training/courses/%E5%85%9A%E5%8F%B2/#top", BASE),
            site("courses/党史/")
        );
        assert_eq!(target("/training", BASE), Target::BaseWithoutSlash);
        assert_eq!(target("/training?x", BASE), Target::BaseWithoutSlash);
        assert_eq!(target("/", "/"), site(""));
        assert_eq!(target("/a/b.css", "/"), site("a/b.css"));
        assert_eq!(
            target("http://localhost:1111/training/x/", BASE),
            site("x/")
        );
    }

    #[test]
    fn everything_outside_the_base_path_is_refused() {
        for raw in [
            "/",
            "/index.html",
            "/trainingx/",
            "/other/training/",
            "*",
            "",
        ] {
            assert_eq!(target(raw, BASE), Target::Refused, "{raw}");
        }
    }

    #[test]
    fn traversal_in_any_form_is_refused() {
        for raw in [
            "/training/../site.yaml",
            "/training/courses/../../site.yaml",
            "/training/%2e%2e/site.yaml",
            "/training/%2E%2E/site.yaml",
            "/training/.%2e/site.yaml",
            "/training/..%2fsite.yaml",
            "/training/..%2Fsite.yaml",
            "/training/%2e%2e%2fsite.yaml",
            "/training/..\\site.yaml",
            "/training/..%5csite.yaml",
            "/training/%5c..%5csite.yaml",
            "/training//etc/passwd",
            "/training/%2fetc%2fpasswd",
            "/training/./index.html",
            "/training/x%00.html",
            "/training/%c0%ae%c0%ae/site.yaml",
            "/training/%zz",
            "/training/%2",
            "/%2e%2e/training/index.html",
            "/training/C:%5cWindows%5cwin.ini",
        ] {
            assert_eq!(target(raw, BASE), Target::Refused, "{raw}");
        }
        // A double-encoded dot is a literal file name `%2e%2e`, which no site has.
        assert_eq!(target("/training/%252e%252e/x", BASE), site("%2e%2e/x"));
    }

    #[test]
    fn output_keys_and_types() {
        assert_eq!(output_key(""), "index.html");
        assert_eq!(output_key("courses/x/"), "courses/x/index.html");
        assert_eq!(output_key("a.css"), "a.css");
        assert_eq!(
            content_type("lectures/calendar.ics"),
            "text/calendar; charset=utf-8"
        );
        assert_eq!(content_type("x/INDEX.HTML"), "text/html; charset=utf-8");
        assert_eq!(content_type("favicon.svg"), "image/svg+xml");
        assert_eq!(content_type("a.pdf"), "application/pdf");
        assert_eq!(content_type("noext"), "application/octet-stream");
    }

    #[test]
    fn the_script_goes_before_the_last_body_end() {
        let out = inject(b"<body><p>a</body></p>\n</BODY>\n</html>", "<s>");
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "<body><p>a</body></p>\n<s></BODY>\n</html>"
        );
        assert_eq!(inject(b"<p>x", "<s>"), b"<p>x<s>");
    }

    #[test]
    fn query_and_path_split() {
        assert_eq!(raw_path("/a/b?c=d#e"), "/a/b");
        assert_eq!(raw_query("/a/b?c=d#e"), "?c=d");
        assert_eq!(raw_query("/a/b#e?x"), "");
    }
}
