//! Where pages and co-located files are published: URLs from file names, slugs and
//! course folders, and the check that no two pages claim one URL.

use std::collections::HashMap;
use std::sync::Arc;

use crate::content::{self, AssetFile, Kind, Parsed, Place};
use crate::diagnostic::{Diagnostic, Text};

/// URLs the renderer writes itself besides the lists of kinds; content may not claim
/// them (nor a list's URL, see [`reserved`]).
const SITE_PAGES: &[&str] = &["/search/", "/study/", "/practice/", "/404.html"];

/// Every URL the renderer writes itself: the kinds' lists and [`SITE_PAGES`].
pub(super) fn reserved() -> impl Iterator<Item = &'static str> {
    Kind::LISTED
        .into_iter()
        .filter_map(|k| k.spec().list.map(|l| l.url))
        .chain(SITE_PAGES.iter().copied())
}

/// The folders the later pages of paged lists are written under (`/cases/page/`, for
/// `/cases/page/2/`): a page there would share its address's folder with them.
fn pager_folders() -> Vec<String> {
    use crate::content::ListPage;
    Kind::LISTED
        .into_iter()
        .filter_map(|k| k.spec().list)
        .filter(|l| match l.page {
            ListPage::Catalogue | ListPage::Cases | ListPage::Cards => true,
            ListPage::Schedule => false,
        })
        .map(|l| format!("{}page/", l.url))
        .collect()
}

/// What the schedule's archive writes at `url`, if it is one of its addresses: a year's
/// page (`/lectures/2026/`, Chinese and English) or a month's (`/lectures/2026-03/`).
/// Every such address is kept from content, whether or not the year has sessions yet,
/// so that adding a lecture never takes a lecture's address away.
fn archive_page(url: &str) -> Option<(&'static str, &'static str)> {
    let seg = url.strip_prefix("/lectures/")?.strip_suffix('/')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    match seg.split_once('-') {
        None if seg.len() == 4 && digits(seg) => {
            Some(("讲座日程的年份页", "the schedule's page of a year"))
        }
        Some((y, m))
            if y.len() == 4
                && digits(y)
                && m.len() == 2
                && digits(m)
                && ("01"..="12").contains(&m) =>
        {
            Some(("讲座日程的月份页", "the schedule's page of a month"))
        }
        _ => None,
    }
}

/// Whether `url` lies under `/practice/`, whose addresses the practice bank's pages take
/// (a field's questions at `/practice/<field>/`, its data at `/practice/data/`): all of
/// them are kept from content, so that a new field never takes a page's address.
fn in_practice_folder(url: &str) -> bool {
    url.strip_prefix("/practice/")
        .is_some_and(|rest| !rest.is_empty())
}

/// A page whose address lies in the practice bank's folder.
fn practice_folder(src: &Parsed, url: &str) -> Diagnostic {
    let (line, column) = src.common.slug_at.unwrap_or((1, 1));
    Diagnostic::error(
        &src.path,
        line,
        column,
        Text::new(
            format!("网址 {url} 在岗位练兵的文件夹里：/practice/ 下的网址留给题库的页面"),
            format!("the URL {url} is in the practice bank's folder: addresses under /practice/ are kept for its pages"),
        ),
    )
    .with_hint(Text::new(
        "把这个文件移出 content/practice/ 文件夹，例如移到 content/guide/",
        "move the file out of content/practice/, for example into content/guide/",
    ))
}

/// The print view of the course at `course_url`, which the renderer writes: a lesson
/// may not claim it.
pub fn print_url(course_url: &str) -> String {
    format!("{course_url}print/")
}

/// The published pages with their URLs, and the URL of each course folder.
pub(super) struct Placed {
    /// (index among the files, source, URL) of each page that keeps its URL.
    pub(super) pages: Vec<(usize, Arc<Parsed>, String)>,
    /// Course folder (`courses/x`) → the course's URL.
    pub(super) course_urls: HashMap<String, String>,
}

/// Gives each published page its URL; a page whose URL another page (or the site
/// itself) claims first is reported and left out.
pub(super) fn place(published: Vec<(usize, Arc<Parsed>)>, diags: &mut Vec<Diagnostic>) -> Placed {
    use rayon::prelude::*;
    // Courses first, since lessons live under their course.
    let mut course_urls: HashMap<String, String> = HashMap::new();
    for (_, p) in published.iter().filter(|(_, p)| p.kind == Kind::Course) {
        let dir = p.rel.rsplit_once('/').map_or("", |(d, _)| d).to_string();
        let slug = p
            .common
            .slug
            .clone()
            .unwrap_or_else(|| content::slugify(dir.rsplit('/').next().unwrap_or("")));
        course_urls.insert(dir, format!("/courses/{slug}/"));
    }
    let urls: Vec<String> = published
        .par_iter()
        .map(|(_, p)| page_url(p, &course_urls))
        .collect();
    let mut keep = vec![true; urls.len()];
    let prints: Vec<String> = course_urls.values().map(|u| print_url(u)).collect();
    {
        // URL → the page claiming it (`None`: the site's own pages).
        let mut claimed: HashMap<&str, Option<usize>> = reserved().map(|u| (u, None)).collect();
        claimed.extend(prints.iter().map(|u| (u.as_str(), None)));
        let pagers = pager_folders();
        claimed.extend(pagers.iter().map(|u| (u.as_str(), None)));
        for (k, url) in urls.iter().enumerate() {
            // A list's intro file is shown on the list page, at the list's URL.
            if published[k].1.kind == Kind::Section {
                continue;
            }
            if archive_page(url).is_some() {
                keep[k] = false;
                diags.push(duplicate_url(&published[k].1, url, None));
                continue;
            }
            if in_practice_folder(url) {
                keep[k] = false;
                diags.push(practice_folder(&published[k].1, url));
                continue;
            }
            match claimed.get(url.as_str()) {
                None => {
                    claimed.insert(url, Some(k));
                }
                Some(None) => {
                    keep[k] = false;
                    diags.push(duplicate_url(&published[k].1, url, None));
                }
                Some(&Some(first)) => {
                    // The page whose `slug:` made the clash is the one to change, not a
                    // page that keeps its file's name; else the later one.
                    let by_slug = |i: usize| published[i].1.common.slug.is_some();
                    let (keeps, loses) = if by_slug(first) && !by_slug(k) {
                        (k, first)
                    } else {
                        (first, k)
                    };
                    keep[loses] = false;
                    claimed.insert(url, Some(keeps));
                    let (lost, kept) = (&published[loses].1, &published[keeps].1);
                    diags.push(duplicate_url(lost, url, Some(kept)));
                }
            }
        }
    }
    let pages = published
        .into_iter()
        .zip(urls)
        .zip(keep)
        .filter(|(_, keep)| *keep)
        .map(|(((file, src), url), _)| (file, src, url))
        .collect();
    Placed { pages, course_urls }
}

/// Each co-located file with its URL: beside its page, in its page's folder.
pub(super) fn place_files(
    assets: Vec<AssetFile>,
    course_urls: &HashMap<String, String>,
) -> Vec<(AssetFile, String)> {
    assets
        .into_iter()
        .map(|a| {
            let dir = a.rel.rsplit_once('/').map_or("", |(d, _)| d);
            let name = a.rel.rsplit('/').next().unwrap_or(&a.rel);
            let folder = if a.in_static {
                // Published at its own path from the site's root, as static files are.
                if dir.is_empty() {
                    "/".to_string()
                } else {
                    format!("/{dir}/")
                }
            } else {
                course_urls
                    .get(dir)
                    .cloned()
                    .unwrap_or_else(|| folder_url(dir))
            };
            // An image is linked to by its largest variant.
            let name = match &a.media {
                Some(crate::media::Media::Image(image)) => image.largest().name.as_str(),
                _ => name,
            };
            let url = format!("{folder}{name}");
            (a, url)
        })
        .collect()
}

/// The error for a page whose URL `other` (or the site itself, when `None`) claims.
fn duplicate_url(src: &Parsed, url: &str, other: Option<&Parsed>) -> Diagnostic {
    let (zh_other, en_other) = match other {
        None => {
            let (zh, en) =
                archive_page(url).unwrap_or(("站点自带的页面", "a page the site generates"));
            (zh.to_string(), en.to_string())
        }
        Some(o) => {
            let path = crate::platform::slashed(&o.path);
            (path.clone(), path)
        }
    };
    let seg = url.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    let file = src.rel.rsplit('/').next().unwrap_or(&src.rel);
    let hint = match &src.common.slug {
        Some(slug) => Text::new(
            format!(
                "这个文件写了 slug: {slug}，与 {zh_other} 的网址相同；换一个 slug，例如 slug: {slug}-2"
            ),
            format!(
                "this file sets slug: {slug}, the address of {en_other}; choose another slug, e.g. slug: {slug}-2"
            ),
        ),
        None => Text::new(
            format!(
                "网址由文件名“{file}”生成（中文转成拼音）为 {seg}，与 {zh_other} 相同；给这个文件改名，或写 slug: {seg}-2"
            ),
            format!(
                "the address comes from the file name `{file}` as {seg}, the same as {en_other}; rename the file or add slug: {seg}-2"
            ),
        ),
    };
    // At the `slug:` that made the address, else at the top of the file (its name).
    let (line, column) = src.common.slug_at.unwrap_or((1, 1));
    Diagnostic::error(
        &src.path,
        line,
        column,
        Text::new(
            format!("网址 {url} 与 {zh_other} 重复：两个文件不能发布到同一个网址"),
            format!("the URL {url} is also claimed by {en_other}"),
        ),
    )
    .with_hint(hint)
}

/// Where a page is published, by kind.
fn page_url(p: &Parsed, course_urls: &HashMap<String, String>) -> String {
    let (dir, file) = p.rel.rsplit_once('/').unwrap_or(("", p.rel.as_str()));
    let stem = file.trim_end_matches(".md");
    let own_slug = || {
        let name = if p.kind == Kind::Lesson {
            strip_order_prefix(stem)
        } else {
            stem
        };
        p.common
            .slug
            .clone()
            .unwrap_or_else(|| content::slugify(name))
    };
    match p.kind.spec().place {
        Place::Home => "/".into(),
        Place::ListIntro => format!("/{dir}/"),
        Place::Course => course_urls
            .get(dir)
            .cloned()
            .unwrap_or_else(|| format!("/courses/{}/", own_slug())),
        Place::Lesson => {
            let course = course_urls
                .get(dir)
                .cloned()
                .unwrap_or_else(|| folder_url(dir));
            format!("{course}{}/", own_slug())
        }
        // A listed kind's pages live under its list.
        Place::InList => {
            let list = p.kind.spec().list.expect("a kind in a list has a list");
            format!("{}{}/", list.url, own_slug())
        }
        Place::Elsewhere => {
            if stem == "_index" || stem == "index" {
                match &p.common.slug {
                    Some(s) => {
                        let parent = dir.rsplit_once('/').map_or("", |(d, _)| d);
                        format!("{}{s}/", folder_url(parent))
                    }
                    None => folder_url(dir),
                }
            } else {
                format!("{}{}/", folder_url(dir), own_slug())
            }
        }
    }
}

/// `guide/编辑` → `/guide/bian-ji/`.
pub(super) fn folder_url(dir: &str) -> String {
    let mut url = String::from("/");
    for seg in dir.split('/').filter(|s| !s.is_empty()) {
        if content::is_safe_slug(seg) {
            url.push_str(&seg.to_ascii_lowercase());
        } else {
            url.push_str(&content::slugify(seg));
        }
        url.push('/');
    }
    url
}

/// `01-qi-yuan` → `qi-yuan`: the order prefix is not part of the URL, so reordering
/// lessons keeps their URLs (and the progress stored against them).
pub(super) fn strip_order_prefix(stem: &str) -> &str {
    let digits = stem.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && digits < stem.len() {
        let rest = &stem[digits..];
        if let Some(r) = rest
            .strip_prefix(['-', '_', '.', ' '])
            .filter(|r| !r.is_empty())
        {
            return r;
        }
    }
    stem
}

pub(super) fn order_number(rel: &str) -> Option<u64> {
    let file = rel.rsplit('/').next()?;
    let rest = file.trim_start_matches(|c: char| c.is_ascii_digit());
    file[..file.len() - rest.len()].parse().ok()
}

#[cfg(test)]
mod tests {
    use super::{archive_page, in_practice_folder};

    #[test]
    fn the_practice_folder_is_kept_from_content() {
        assert!(in_practice_folder("/practice/xiang-cun-zhen-xing/"));
        assert!(in_practice_folder("/practice/data/"));
        assert!(
            !in_practice_folder("/practice/"),
            "the drill page is a site page"
        );
        assert!(!in_practice_folder("/guide/practice/"));
    }

    #[test]
    fn the_schedules_years_and_months_are_kept_from_lectures() {
        assert!(archive_page("/lectures/2026/").is_some());
        assert!(archive_page("/lectures/1999-12/").is_some());
        for free in [
            "/lectures/2026-13/",
            "/lectures/2026-3/",
            "/lectures/202/",
            "/lectures/2026-03-2/",
            "/cases/2026/",
        ] {
            assert!(archive_page(free).is_none(), "{free}");
        }
    }
}
