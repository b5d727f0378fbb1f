//! `aliases:` — a page's old addresses. Each becomes a small page that sends readers on
//! to the page (and tells the browser scripts to move what they stored under the old
//! address). An alias may not be an address the site already uses.

use std::collections::HashMap;
use std::sync::Arc;

use super::PageId;
use crate::content::{Parsed, Ref};
use crate::diagnostic::{Diagnostic, Text};
use crate::serve::paths::{Target, target};

/// An old address of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alias {
    /// Root-relative, without the base path: `/courses/old-name/`.
    pub url: String,
    /// The page readers are sent on to.
    pub page: PageId,
    /// Where the alias is written in the page's front matter.
    pub line: usize,
    pub column: usize,
}

/// Who holds an address.
#[derive(Clone, Copy)]
enum Holder {
    /// A page the site writes itself (a list, the search page …).
    Site,
    /// The page at this index.
    Page(usize),
    /// An alias of the page at this index.
    AliasOf(usize),
}

/// The aliases of the placed `pages` (source, URL), each checked against the site's own
/// addresses (`taken`), every page's address and the aliases before it.
pub(super) fn place(
    pages: &[(usize, Arc<Parsed>, String)],
    taken: impl Iterator<Item = String>,
    base_path: &str,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Alias> {
    let mut held: HashMap<String, Holder> = taken.map(|u| (u, Holder::Site)).collect();
    for (k, (_, _, url)) in pages.iter().enumerate() {
        held.insert(url.clone(), Holder::Page(k));
    }
    let mut aliases = Vec::new();
    for (k, (_, src, _)) in pages.iter().enumerate() {
        for written in &src.common.aliases {
            let url = match alias_url(&written.target, base_path) {
                Ok(url) => url,
                Err(hint) => {
                    diags.push(unusable(src, written, hint));
                    continue;
                }
            };
            if let Some(&holder) = held.get(&url) {
                let other = |i: usize| &*pages[i].1;
                diags.push(taken_by(src, written, &url, holder, k, other));
                continue;
            }
            held.insert(url.clone(), Holder::AliasOf(k));
            aliases.push(Alias {
                url,
                page: PageId::at(k),
                line: written.line,
                column: written.column,
            });
        }
    }
    aliases
}

/// An alias as written → its root-relative URL. Accepts what an editor copies from the
/// address bar (`http://host/training/courses/x/`, percent-escapes, the base path) and
/// the short forms `/courses/x`, `courses/x/index.html`. `Err` holds the hint.
pub(crate) fn alias_url(written: &str, base_path: &str) -> Result<String, Text> {
    let written = written.trim();
    if written.contains(['?', '#']) {
        return Err(Text::new(
            "旧网址里不能有 ? 或 #：只写问号前面的部分，例如 /courses/old-name/",
            "an old address cannot hold ? or #: write the part before it, e.g. /courses/old-name/",
        ));
    }
    let is_url = written.contains("://");
    let raw = if is_url || written.starts_with('/') {
        written.to_string()
    } else {
        format!("/{written}")
    };
    let rel = match (target(&raw, base_path), is_url) {
        (Target::Site(rel), _) => rel,
        (Target::BaseWithoutSlash, _) => String::new(),
        // Written without the base path, as the other addresses of the site are.
        (Target::Refused, false) if base_path != "/" => match target(&raw, "/") {
            Target::Site(rel) => rel,
            Target::BaseWithoutSlash | Target::Refused => return Err(malformed()),
        },
        (Target::Refused, true) if base_path != "/" => {
            return Err(Text::new(
                format!("这个网址不在本站点（{base_path}）下：只写本站的旧网址"),
                format!(
                    "this address is outside the site ({base_path}): write an old address of this site"
                ),
            ));
        }
        (Target::Refused, _) => return Err(malformed()),
    };
    let rel = rel.strip_suffix("index.html").unwrap_or(&rel);
    if rel.is_empty() || rel.ends_with('/') || rel.ends_with(".html") || rel.ends_with(".htm") {
        Ok(format!("/{rel}"))
    } else {
        Ok(format!("/{rel}/"))
    }
}

fn malformed() -> Text {
    Text::new(
        "旧网址写成以 / 开头的站内路径，例如 /courses/old-name/，不能含 ..、\\ 或连续的 /",
        "write an old address as a path of this site, e.g. /courses/old-name/, without .., \\ or //",
    )
}

/// An alias that cannot be an address.
fn unusable(src: &Parsed, written: &Ref, hint: Text) -> Diagnostic {
    Diagnostic::error(
        &src.path,
        written.line,
        written.column,
        Text::new(
            format!("aliases 里的“{}”不能用作网址", written.target),
            format!(
                "`{}` in aliases cannot be used as an address",
                written.target
            ),
        ),
    )
    .with_hint(hint)
}

/// An alias whose address `holder` already holds; `own` is the page with the alias.
fn taken_by<'a>(
    src: &Parsed,
    written: &Ref,
    url: &str,
    holder: Holder,
    own: usize,
    page: impl Fn(usize) -> &'a Parsed,
) -> Diagnostic {
    let path = |i: usize| crate::platform::slashed(&page(i).path);
    let (zh, en, hint) = match holder {
        Holder::Page(i) if i == own => (
            "就是这个页面现在的网址".to_string(),
            "is this page's own address".to_string(),
            Text::new("删掉这一项", "remove this item"),
        ),
        Holder::AliasOf(i) if i == own => (
            "在 aliases 里写了两次".to_string(),
            "is listed twice in aliases".to_string(),
            Text::new("删掉重复的一项", "remove the repeated item"),
        ),
        Holder::Page(i) => (
            format!("是 {} 的网址", path(i)),
            format!("is the address of {}", path(i)),
            Text::new(
                "旧网址不能指向仍在使用的网址：删掉这一项，或给那个页面换网址",
                "an old address cannot be one still in use: remove this item or move that page",
            ),
        ),
        Holder::AliasOf(i) => (
            format!("也写在 {} 的 aliases 里", path(i)),
            format!("is also in the aliases of {}", path(i)),
            Text::new(
                "一个旧网址只能转到一个页面：只在其中一个文件里保留它",
                "an old address can lead to one page only: keep it in one of the files",
            ),
        ),
        Holder::Site => (
            "是站点自带页面的网址".to_string(),
            "is the address of a page the site generates".to_string(),
            Text::new("删掉这一项", "remove this item"),
        ),
    };
    Diagnostic::error(
        &src.path,
        written.line,
        written.column,
        Text::new(
            format!("旧网址 {url} {zh}"),
            format!("the old address {url} {en}"),
        ),
    )
    .with_hint(hint)
}

/// The aliases that are the address of a taxonomy or term page (known only once the
/// taxonomies are built).
pub(super) fn on_term_pages(site: &super::Site) -> Vec<Diagnostic> {
    let terms: std::collections::HashSet<&str> = site
        .taxonomies
        .iter()
        .flat_map(|t| std::iter::once(&t.url).chain(t.terms.iter().map(|term| &term.url)))
        .map(String::as_str)
        .collect();
    site.aliases
        .iter()
        .filter(|a| terms.contains(a.url.as_str()))
        .map(|a| {
            Diagnostic::error(
                &site.page(a.page).src.path,
                a.line,
                a.column,
                Text::new(
                    format!("旧网址 {} 是站点自带的分类页面的网址", a.url),
                    format!(
                        "the old address {} is the address of a term page the site generates",
                        a.url
                    ),
                ),
            )
            .with_hint(Text::new("删掉这一项", "remove this item"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::alias_url;

    #[test]
    fn aliases_are_read_as_editors_copy_them() {
        let ok = |w: &str, base: &str| alias_url(w, base).ok();
        assert_eq!(ok("/courses/old/", "/").as_deref(), Some("/courses/old/"));
        assert_eq!(ok("courses/old", "/").as_deref(), Some("/courses/old/"));
        assert_eq!(
            ok("/courses/old/index.html", "/").as_deref(),
            Some("/courses/old/")
        );
        assert_eq!(ok("/news/12.html", "/").as_deref(), Some("/news/12.html"));
        let copied = "http://edu.example.cn/training/courses/%E4%B9%A1/";
        assert_eq!(ok(copied, "/training/").as_deref(), Some("/courses/乡/"));
        assert_eq!(
            ok("/training/courses/old/", "/training/").as_deref(),
            Some("/courses/old/")
        );
        assert_eq!(
            ok("/courses/old/", "/training/").as_deref(),
            Some("/courses/old/")
        );
        assert_eq!(ok("/courses/../x/", "/"), None);
        assert_eq!(ok("/x/?id=3", "/"), None);
        assert_eq!(ok("http://other.cn/elsewhere/", "/training/"), None);
    }
}
