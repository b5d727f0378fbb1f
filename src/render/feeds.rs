//! The Atom feed of the latest pages and the sitemap of every page: one file, or, past
//! the sitemap protocol's limits, an index of numbered parts (`sitemap1.xml`, …).

use std::ops::Range;

use serde::Serialize;

use super::Renderer;
use super::format::iso_date;
use super::jobs::{Job, jobs};
use crate::content::Meta;
use crate::site::{Page, PageId, Site};

#[derive(Serialize)]
pub(super) struct Feed<'a> {
    entries: Vec<FeedEntry<'a>>,
    updated: String,
    feed_url: String,
    site_url: String,
}

#[derive(Serialize)]
struct FeedEntry<'a> {
    title: &'a str,
    url: String,
    updated: String,
    summary: &'a str,
}

/// One sitemap file: a list of pages (`entries`), or, when the pages need more than one
/// file, the index of the parts (`parts`, their URLs).
#[derive(Serialize)]
pub(super) struct Sitemap {
    entries: Vec<SitemapEntry>,
    parts: Vec<String>,
    site_url: String,
}

#[derive(Serialize)]
pub(super) struct SitemapEntry {
    url: String,
    updated: String,
}

/// What one sitemap file may hold.
#[derive(Debug, Clone, Copy)]
pub(super) struct SitemapLimits {
    pub urls: usize,
    pub bytes: usize,
}

/// The sitemap protocol's limits: 50,000 URLs and 50 MB (uncompressed) per file.
pub(super) const SITEMAP_LIMITS: SitemapLimits = SitemapLimits {
    urls: 50_000,
    bytes: 50 * 1024 * 1024,
};

/// Bytes of markup around one entry (`<url><loc>…</loc><lastmod>…</lastmod></url>` with
/// its indentation) and around a whole file, rounded up so that a part never passes
/// the limit.
const ENTRY_MARKUP: usize = 80;
const FILE_MARKUP: usize = 256;

impl Renderer<'_> {
    /// The pages of the kinds in the feed, most recently updated first.
    pub(super) fn feed(&self) -> Feed<'_> {
        let s = self.site;
        let mut entries: Vec<PageId> = s
            .pages()
            .filter(|p| p.kind.spec().in_feed && !p.src.common.unlisted)
            .map(|p| p.page_id)
            .collect();
        entries.sort_by(|&a, &b| {
            let (pa, pb) = (s.page(a), s.page(b));
            (updated(pb), &pa.url).cmp(&(updated(pa), &pb.url))
        });
        entries.truncate(s.config.feed_limit);
        let latest = entries.first().map(|&i| updated(s.page(i)));
        Feed {
            entries: entries
                .iter()
                .map(|&i| {
                    let p = s.page(i);
                    FeedEntry {
                        title: p.title(),
                        url: self.abs(&p.url),
                        updated: rfc3339(updated(p)),
                        summary: &p.src.common.summary,
                    }
                })
                .collect(),
            updated: rfc3339(latest.flatten()),
            feed_url: self.abs("/atom.xml"),
            site_url: self.abs("/"),
        }
    }

    /// The sitemap (`None`) or its numbered part (from 1).
    pub(super) fn sitemap(&self, part: Option<usize>) -> Sitemap {
        self.sitemap_within(part, SITEMAP_LIMITS)
    }

    fn sitemap_within(&self, part: Option<usize>, limits: SitemapLimits) -> Sitemap {
        let s = self.site;
        let mut entries = sitemap_entries(s, &jobs(s));
        let site_url = self.abs("/");
        let parts = sitemap_parts(&entries, &site_url, limits);
        match part {
            None if parts.len() <= 1 => Sitemap {
                entries,
                parts: Vec::new(),
                site_url,
            },
            None => Sitemap {
                entries: Vec::new(),
                parts: (1..=parts.len())
                    .map(|k| self.abs(&sitemap_part_url(k)))
                    .collect(),
                site_url,
            },
            Some(k) => {
                let range = k
                    .checked_sub(1)
                    .and_then(|i| parts.get(i))
                    .cloned()
                    .unwrap_or_default();
                entries.truncate(range.end);
                entries.drain(..range.start);
                Sitemap {
                    entries,
                    parts: Vec::new(),
                    site_url,
                }
            }
        }
    }

    /// Absolute URL when the site has an origin, else the base-path URL.
    fn abs(&self, path: &str) -> String {
        abs(self.site, path)
    }
}

fn abs(site: &Site, path: &str) -> String {
    let c = &site.config;
    c.absolute(path).unwrap_or_else(|| c.url(path))
}

/// Every page of `jobs` that a sitemap lists, by URL.
fn sitemap_entries(s: &Site, jobs: &[Job]) -> Vec<SitemapEntry> {
    let mut entries: Vec<SitemapEntry> = jobs
        .iter()
        .filter(|j| j.in_sitemap())
        .filter(|j| !matches!(j, Job::Item(i) if s.page(*i).src.common.unlisted))
        .map(|&j| {
            let date = match j {
                Job::Item(i) => updated(s.page(i)),
                _ => None,
            };
            SitemapEntry {
                url: abs(s, &j.url(s)),
                updated: date.map(iso_date).unwrap_or_default(),
            }
        })
        .collect();
    entries.sort_by(|a, b| a.url.cmp(&b.url));
    entries
}

/// How many numbered parts the sitemap of `jobs` needs: 0 when one file holds it.
pub(super) fn sitemap_part_count(site: &Site, jobs: &[Job]) -> usize {
    let parts = sitemap_parts(
        &sitemap_entries(site, jobs),
        &abs(site, "/"),
        SITEMAP_LIMITS,
    );
    if parts.len() > 1 { parts.len() } else { 0 }
}

/// `/sitemap3.xml`
pub(super) fn sitemap_part_url(k: usize) -> String {
    format!("/sitemap{k}.xml")
}

/// The entries of each sitemap file, in order; one range when a single file holds them.
/// A file's size is estimated from above: every location written in full after
/// `site_url`, escaped, with its markup.
fn sitemap_parts(
    entries: &[SitemapEntry],
    site_url: &str,
    limits: SitemapLimits,
) -> Vec<Range<usize>> {
    let size = |e: &SitemapEntry| {
        let escapes = e.url.matches(['&', '<', '>', '"', '\'']).count() * 5;
        site_url.len() + e.url.len() + escapes + e.updated.len() + ENTRY_MARKUP
    };
    let mut parts = Vec::new();
    let (mut start, mut bytes) = (0, FILE_MARKUP);
    for (i, e) in entries.iter().enumerate() {
        let n = size(e);
        if i > start && (i - start >= limits.urls || bytes + n > limits.bytes) {
            parts.push(start..i);
            (start, bytes) = (i, FILE_MARKUP);
        }
        bytes += n;
    }
    parts.push(start..entries.len());
    parts
}

/// When a page last changed: `updated`, else `date`, else a lecture's start.
fn updated(p: Page<'_>) -> Option<jiff::civil::Date> {
    let c = &p.src.common;
    c.updated.or(c.date).or(match &p.src.meta {
        Meta::Lecture(m) => Some(m.start.date()),
        _ => None,
    })
}

/// RFC 3339 at midnight UTC+8 of a date, for feeds. Without a date: a fixed epoch, so
/// output never depends on the clock.
fn rfc3339(d: Option<jiff::civil::Date>) -> String {
    match d {
        Some(d) => format!("{}T00:00:00+08:00", iso_date(d)),
        None => "2000-01-01T00:00:00+08:00".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(url: &str) -> SitemapEntry {
        SitemapEntry {
            url: url.to_string(),
            updated: "2026-12-07".to_string(),
        }
    }

    /// The bytes of the entries of `range` and the file's markup, by the estimate.
    fn estimate(entries: &[SitemapEntry], range: Range<usize>, site_url: &str) -> usize {
        let one = |r: Range<usize>| sitemap_parts(&entries[r], site_url, SITEMAP_LIMITS);
        assert_eq!(one(range.clone()).len(), 1);
        FILE_MARKUP
            + entries[range]
                .iter()
                .map(|e| site_url.len() + e.url.len() + e.updated.len() + ENTRY_MARKUP)
                .sum::<usize>()
    }

    #[test]
    fn a_sitemap_within_the_limits_is_one_file() {
        let entries: Vec<SitemapEntry> = (0..5).map(|i| entry(&format!("/p{i}/"))).collect();
        assert_eq!(sitemap_parts(&entries, "/", SITEMAP_LIMITS), vec![0..5]);
        assert_eq!(sitemap_parts(&[], "/", SITEMAP_LIMITS), vec![0..0]);
    }

    #[test]
    fn past_the_url_limit_the_entries_are_split_in_order() {
        let entries: Vec<SitemapEntry> = (0..7).map(|i| entry(&format!("/p{i}/"))).collect();
        let limits = SitemapLimits {
            urls: 3,
            bytes: usize::MAX,
        };
        assert_eq!(sitemap_parts(&entries, "/", limits), vec![0..3, 3..6, 6..7]);
    }

    #[test]
    fn past_the_byte_limit_no_part_is_bigger_than_the_limit() {
        let site = "https://example.gov.cn/training/";
        let entries: Vec<SitemapEntry> = (0..40)
            .map(|i| entry(&format!("/courses/{}/", "x".repeat(i * 7))))
            .collect();
        let limits = SitemapLimits {
            urls: usize::MAX,
            bytes: 1500,
        };
        let parts = sitemap_parts(&entries, site, limits);
        assert!(parts.len() > 3, "{parts:?}");
        // Every entry in exactly one part, in order.
        let joined: Vec<usize> = parts.iter().flat_map(|r| r.clone()).collect();
        assert_eq!(joined, (0..40).collect::<Vec<_>>());
        for r in parts {
            // A part of one entry may pass the limit only when that entry alone does.
            assert!(
                r.len() == 1 || estimate(&entries, r.clone(), site) <= limits.bytes,
                "{r:?}"
            );
        }
    }

    #[test]
    fn escaped_characters_count_in_the_size() {
        let plain = vec![entry("/a/"), entry("/b/")];
        let amp = vec![entry("/a/?x=1&y=2&z=3"), entry("/b/?x=1&y=2&z=3")];
        let bytes = FILE_MARKUP + 2 * (1 + 3 + 10 + ENTRY_MARKUP);
        let limits = SitemapLimits {
            urls: usize::MAX,
            bytes: bytes + 2 * 12,
        };
        assert_eq!(sitemap_parts(&plain, "/", limits).len(), 1);
        // Twelve bytes longer each, which would fit, but `&` is written `&amp;`.
        assert_eq!(sitemap_parts(&amp, "/", limits).len(), 2);
    }

    /// The `<loc>`s of a rendered sitemap file and the name of its root element.
    fn locs(xml: &str) -> (String, Vec<String>) {
        let doc = roxmltree::Document::parse(xml).expect("the sitemap is well-formed XML");
        let locs = doc
            .descendants()
            .filter(|n| n.has_tag_name("loc"))
            .map(|n| n.text().unwrap_or_default().to_string())
            .collect();
        (doc.root_element().tag_name().name().to_string(), locs)
    }

    #[test]
    fn a_sitemap_past_the_limits_is_an_index_of_parts_holding_every_page() {
        let opts = crate::Options {
            root: std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")),
            base_url: Some("https://example.gov.cn/training/".into()),
            images: crate::media::Work::Later,
            ..crate::Options::default()
        };
        let (site, theme, _) = crate::load(&opts).expect("the sample site loads");
        let engine = std::sync::Arc::new(
            super::super::Engine::new(&site.config, &theme).expect("the default theme compiles"),
        );
        let r = Renderer::new(&site, engine).expect("the sample site renders");
        let render = |m: Sitemap| {
            let mut c = r.context_with_shared();
            c.extend(super::super::values(&m));
            let mut text = Vec::new();
            r.engine
                .tera
                .render_to("sitemap.xml", &c, &mut text)
                .expect("the sitemap template renders");
            String::from_utf8(text).expect("templates write UTF-8")
        };
        let (root, every) = locs(&render(r.sitemap_within(None, SITEMAP_LIMITS)));
        assert_eq!(root, "urlset");
        assert!(every.len() > 20, "{every:?}");

        let limits = SitemapLimits {
            urls: 7,
            bytes: usize::MAX,
        };
        let (root, parts) = locs(&render(r.sitemap_within(None, limits)));
        assert_eq!(root, "sitemapindex");
        let n = every.len().div_ceil(7);
        let expected: Vec<String> = (1..=n)
            .map(|k| format!("https://example.gov.cn/training/sitemap{k}.xml"))
            .collect();
        assert_eq!(parts, expected);
        let mut joined = Vec::new();
        for k in 1..=n {
            let (root, locs) = locs(&render(r.sitemap_within(Some(k), limits)));
            assert_eq!(root, "urlset");
            assert!(!locs.is_empty() && locs.len() <= 7, "part {k}: {locs:?}");
            joined.extend(locs);
        }
        assert_eq!(joined, every, "the parts hold every page once, in order");
    }
}
