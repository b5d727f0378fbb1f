//! The Atom feed of the latest pages and the sitemap of every page.

use serde::Serialize;

use super::Renderer;
use super::format::iso_date;
use super::jobs::{Job, jobs};
use crate::content::Meta;
use crate::site::{Page, PageId};

/// Entries of the Atom feed.
const FEED_ENTRIES: usize = 50;

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

#[derive(Serialize)]
pub(super) struct Sitemap {
    entries: Vec<SitemapEntry>,
    site_url: String,
}

#[derive(Serialize)]
struct SitemapEntry {
    url: String,
    updated: String,
}

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
        entries.truncate(FEED_ENTRIES);
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

    /// Every page of the site, by URL.
    pub(super) fn sitemap(&self) -> Sitemap {
        let s = self.site;
        let mut entries: Vec<SitemapEntry> = jobs(s)
            .into_iter()
            .filter(|j| j.in_sitemap())
            .filter(|j| !matches!(j, Job::Item(i) if s.page(*i).src.common.unlisted))
            .map(|j| {
                let date = match j {
                    Job::Item(i) => updated(s.page(i)),
                    _ => None,
                };
                SitemapEntry {
                    url: self.abs(&j.url(s)),
                    updated: date.map(iso_date).unwrap_or_default(),
                }
            })
            .collect();
        entries.sort_by(|a, b| a.url.cmp(&b.url));
        Sitemap {
            entries,
            site_url: self.abs("/"),
        }
    }

    /// Absolute URL when the site has an origin, else the base-path URL.
    fn abs(&self, path: &str) -> String {
        let c = &self.site.config;
        c.absolute(path).unwrap_or_else(|| c.url(path))
    }
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
