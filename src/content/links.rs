//! Links written in Markdown: a destination resolved to a URL (source paths, `@/`
//! paths, files beside the page), and the messages for one that leads nowhere: a page
//! left out of the build, a path on the editor's own computer, or the page that was most
//! likely meant.

use std::path::Path;

use super::markdown::{AnchorRef, BrokenLink, Input, LinkTargets, Rendered, Unpublished};
use crate::diagnostic::{Diagnostic, Text};

pub(super) enum Resolved {
    Internal(String),
    External(String),
}

/// `[text](dest)` or `![text](dest)` → `text`; empty for other forms (autolinks).
pub(super) fn link_text(source: &str) -> &str {
    source
        .strip_prefix('!')
        .unwrap_or(source)
        .strip_prefix('[')
        .and_then(|rest| rest.rfind("](").map(|end| &rest[..end]))
        .unwrap_or("")
}

/// A link's destination as a URL; `at` is where it is written (line, column) and its
/// text.
pub(super) fn resolve(
    input: &Input,
    targets: &LinkTargets,
    dest: &str,
    at: (usize, usize, &str),
    out: &mut Rendered,
) -> Resolved {
    let (line, column, text) = at;
    let dest = dest.trim();
    let lower = dest.to_ascii_lowercase();
    let is_external = lower.starts_with("http:")
        || lower.starts_with("https:")
        || lower.starts_with("mailto:")
        || lower.starts_with("tel:")
        || lower.starts_with("//")
        || lower.starts_with("webcal:");
    if is_external {
        return Resolved::External(dest.to_string());
    }
    if let Some(name) = local_file_name(dest) {
        out.diags
            .push(on_this_computer(input, line, column, dest, &name));
        return Resolved::Internal(dest.to_string());
    }
    if dest.is_empty() || dest.starts_with('/') && !dest.starts_with("/@") {
        return Resolved::Internal(dest.to_string());
    }
    let (path_part, anchor) = match dest.split_once('#') {
        Some((p, a)) => (p, Some(a)),
        None => (dest, None),
    };
    if path_part.is_empty() {
        if let Some(a) = anchor {
            out.anchors.push(AnchorRef {
                target: input.source.to_string(),
                anchor: a.to_string(),
                line,
                column,
            });
        }
        return Resolved::Internal(dest.to_string());
    }
    let decoded = percent_decode(path_part);
    let source = if let Some(rest) = decoded.strip_prefix("@/") {
        normalise(rest)
    } else {
        let dir = input.source.rsplit_once('/').map_or("", |(d, _)| d);
        normalise(&format!("{dir}/{decoded}"))
    };
    let Some(source) = source else {
        out.diags.push(broken(input, line, column, dest, None).with_hint(Text::new(
            "这个链接指到了 content/ 文件夹外面（../ 太多）；链接只能指向 content/ 里的文件，可以从 content/ 算起写成 @/路径",
            "the link leaves the content/ folder (too many ../); link to files inside content/, e.g. with an @/ path",
        )));
        return Resolved::Internal(dest.to_string());
    };
    let is_page = source.ends_with(".md");
    let table = if is_page {
        &targets.pages
    } else {
        &targets.files
    };
    match table.get(&source) {
        Some(url) => {
            if let (Some(a), true) = (anchor, is_page) {
                out.anchors.push(AnchorRef {
                    target: source.clone(),
                    anchor: a.to_string(),
                    line,
                    column,
                });
            }
            let url = match anchor {
                Some(a) => format!("{url}#{a}"),
                None => url.clone(),
            };
            Resolved::Internal(url)
        }
        None => {
            if let Some(&why) = targets.unpublished.get(&source).filter(|_| is_page) {
                out.diags
                    .push(unpublished(input, line, column, dest, &source, why));
                return Resolved::Internal(dest.to_string());
            }
            let same_but_case = table
                .keys()
                .find(|k| k.to_lowercase() == source.to_lowercase())
                .cloned();
            if let Some(twin) = &same_but_case {
                // Windows does not mind the letter case; the web server does.
                let name = twin.rsplit('/').next().unwrap_or(twin);
                out.diags.push(
                    broken(input, line, column, dest, None).with_hint(Text::new(
                        format!("文件名的大小写不一致：实际文件是 {name}（网站服务器区分大小写），链接里也写成 {name}"),
                        format!("the letter case differs: the file is {name} (web servers are case-sensitive); write {name} in the link"),
                    )),
                );
                return Resolved::Internal(dest.to_string());
            }
            // Which page was meant is found once every page's title is known.
            out.broken.push(BrokenLink {
                dest: dest.to_string(),
                target: source,
                text: text.to_string(),
                line,
                column,
            });
            Resolved::Internal(dest.to_string())
        }
    }
}

/// The file name of a path on the editor's own computer (`C:\Users\…\a.png`,
/// `file:///D:/…`, `\\server\share\…`), which no reader can open.
fn local_file_name(dest: &str) -> Option<String> {
    let lower = dest.to_ascii_lowercase();
    let bytes = dest.as_bytes();
    let drive = bytes.len() > 2
        && bytes[0].is_ascii_alphabetic()
        && bytes[1] == b':'
        && matches!(bytes[2], b'\\' | b'/');
    let local = drive || dest.starts_with("\\\\") || lower.starts_with("file:");
    let name = dest.rsplit(['\\', '/']).next().unwrap_or(dest);
    local.then(|| percent_decode(name))
}

fn on_this_computer(
    input: &Input,
    line: usize,
    column: usize,
    dest: &str,
    name: &str,
) -> Diagnostic {
    let dir = input
        .path
        .parent()
        .map_or(String::new(), crate::platform::slashed);
    Diagnostic::error(
        input.path,
        line,
        column,
        Text::new(
            format!("“{dest}”是您电脑上的文件路径，读者打不开"),
            format!("`{dest}` is a path on your own computer; readers cannot open it"),
        ),
    )
    .with_hint(Text::new(
        format!("把这个文件复制到 {dir}/ 文件夹（和本文件放在一起），链接里只写文件名：{name}"),
        format!("copy the file into {dir}/ (beside this file) and write its name alone: {name}"),
    ))
}

fn broken(
    input: &Input,
    line: usize,
    column: usize,
    dest: &str,
    guess: Option<String>,
) -> Diagnostic {
    broken_at(input.path, input.source, (line, column), dest, guess)
}

/// "Link target does not exist" in the file at `path` (`source` content-relative),
/// with the page or file meant when one is likely.
pub(crate) fn broken_at(
    path: &Path,
    source: &str,
    (line, column): (usize, usize),
    dest: &str,
    guess: Option<String>,
) -> Diagnostic {
    // Suggest in the form the editor used: a file beside this one by its name.
    let dir = source.rsplit_once('/').map_or("", |(d, _)| d);
    let hint = match guess.map(|g| match g.strip_prefix(&format!("{dir}/")) {
        Some(name) if !dest.starts_with("@/") && !name.contains('/') => name.to_string(),
        _ => format!("@/{g}"),
    }) {
        Some(g) => Text::new(
            format!("是不是要链接到 {g}？文件改名或移动后，请同时修改链接"),
            format!("did you mean {g}? When a file is renamed or moved, update links to it"),
        ),
        None => Text::new(
            "检查文件名和路径：@/ 开头的路径从 content/ 算起，例如 @/courses/党史/index.md；相对路径从本文件所在目录算起",
            "check the path: @/ paths start at content/ (e.g. @/courses/x/index.md); relative paths start at this file's folder",
        ),
    };
    Diagnostic::error(
        path,
        line,
        column,
        Text::new(
            format!("链接目标“{dest}”不存在"),
            format!("link target `{dest}` does not exist"),
        ),
    )
    .with_hint(hint)
}

/// The page or file a broken link most likely meant, among `candidates` (content-
/// relative path, title): after a rename, the one in the same folder with the same order
/// number (`01-`), a similar name and a title like the link's text. `None` when nothing
/// is close enough to be worth suggesting.
pub(crate) fn likely_target<'a>(
    wanted: &str,
    text: &str,
    candidates: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Option<&'a str> {
    let (w_dir, w_name) = dir_and_name(wanted);
    let (w_num, w_rest) = order_number(w_name);
    let text = text.trim();
    let score = |(path, title): (&str, &str)| {
        let (dir, name) = dir_and_name(path);
        let (num, rest) = order_number(name);
        let mut score = 2.0 * strsim::normalized_damerau_levenshtein(w_rest, rest);
        if dir == w_dir {
            score += 2.0;
        }
        match (w_num, num) {
            (Some(a), Some(b)) if a == b => score += 2.0,
            (Some(_), Some(_)) => score -= 2.0,
            _ => {}
        }
        if !text.is_empty() && !title.is_empty() {
            score += 2.0 * strsim::normalized_damerau_levenshtein(text, title.trim());
        }
        score
    };
    candidates
        .into_iter()
        .map(|c| (c.0, score(c)))
        .filter(|&(_, s)| s >= 3.0)
        .max_by(|a, b| a.1.total_cmp(&b.1).then_with(|| b.0.cmp(a.0)))
        .map(|(path, _)| path)
}

/// `courses/x/01-a.md` → (`courses/x`, `01-a`); a folder's `index.md` is named by the
/// folder.
fn dir_and_name(path: &str) -> (&str, &str) {
    let (dir, file) = path.rsplit_once('/').unwrap_or(("", path));
    let stem = file.strip_suffix(".md").unwrap_or(file);
    if stem == "index" || stem == "_index" {
        return dir.rsplit_once('/').unwrap_or(("", dir));
    }
    (dir, stem)
}

/// `01-a` → (Some("01"), "a"); `a` → (None, "a").
fn order_number(name: &str) -> (Option<&str>, &str) {
    let digits = name.len() - name.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 {
        return (None, name);
    }
    let rest = name[digits..].trim_start_matches(['-', '_', '.', ' ']);
    (Some(&name[..digits]), rest)
}

/// A link to a page that exists but is not published in this build (`source` is its
/// content-relative path).
///
/// An error, like a link to a missing file: published as it is, the link would lead
/// readers to a "page not found". A warning would publish that dead link and be missed
/// among the build's output; `--drafts` (`build` or `serve`) shows both pages while the
/// target is being written.
fn unpublished(
    input: &Input,
    line: usize,
    column: usize,
    dest: &str,
    source: &str,
    why: Unpublished,
) -> Diagnostic {
    let (message, hint) = unpublished_text(LINK, dest, source, why);
    Diagnostic::error(input.path, line, column, message).with_hint(hint)
}

/// What points at a page left out of the build, in the messages of [`unpublished_text`].
pub(crate) struct Pointer {
    /// The thing pointed at: 链接目标 / link target.
    pub(crate) target: (&'static str, &'static str),
    /// What to remove instead: 这个链接 / this link.
    pub(crate) this: (&'static str, &'static str),
}

/// A Markdown link.
pub(crate) const LINK: Pointer = Pointer {
    target: ("链接目标", "link target"),
    this: ("这个链接", "this link"),
};

/// The message and hint for `dest`, which names `content/{source}`, a page left out of
/// this build for `why`.
pub(crate) fn unpublished_text(
    p: Pointer,
    dest: &str,
    source: &str,
    why: Unpublished,
) -> (Text, Text) {
    let (target_zh, target_en) = p.target;
    let (this_zh, this_en) = p.this;
    match why {
        Unpublished::Draft => (
            Text::new(
                format!("{target_zh}“{dest}”是草稿（draft: true），本次生成不会发布它"),
                format!(
                    "{target_en} `{dest}` is a draft (draft: true) and is not published in this build"
                ),
            ),
            Text::new(
                format!(
                    "要发布它，删去 content/{source} 里的 draft: true；否则删去{this_zh}。想连同草稿一起预览，生成或预览时加 --drafts"
                ),
                format!(
                    "to publish it, remove `draft: true` from content/{source}; otherwise remove {this_en}. To preview with drafts, build or serve with --drafts"
                ),
            ),
        ),
        Unpublished::Scheduled(date) => (
            Text::new(
                format!(
                    "{target_zh}“{dest}”定于 {date} 发布（publish_date），本次生成还不会发布它"
                ),
                format!(
                    "{target_en} `{dest}` is scheduled for {date} (publish_date) and is not published in this build"
                ),
            ),
            Text::new(
                format!(
                    "等它发布后再加{this_zh}，或把 content/{source} 的 publish_date 改为今天或更早；想提前预览，生成或预览时加 --drafts"
                ),
                format!(
                    "add {this_en} once the target is published, or set the publish_date of content/{source} to today or earlier. To preview, build or serve with --drafts"
                ),
            ),
        ),
        Unpublished::Expired(date) => (
            Text::new(
                format!(
                    "{target_zh}“{dest}”已过下线日期 {date}（expiry_date），本次生成不再发布它"
                ),
                format!(
                    "{target_en} `{dest}` is past its expiry_date ({date}) and is not published in this build"
                ),
            ),
            Text::new(
                format!(
                    "删去{this_zh}，或把 content/{source} 的 expiry_date 改晚；生成或预览时加 --drafts 仍会包含它"
                ),
                format!(
                    "remove {this_en}, or move the expiry_date of content/{source} later; builds with --drafts still include it"
                ),
            ),
        ),
    }
}

/// Resolves `.` and `..` in a content-relative path; `None` when it leaves `content/`.
pub(crate) fn normalise(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .map_or_else(|_| s.to_string(), std::borrow::Cow::into_owned)
}
