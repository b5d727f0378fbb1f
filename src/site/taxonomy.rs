//! Taxonomies: the ways cadres browse the catalogue (action, tier, field, topic), and the
//! people and bodies behind the content (unit, speaker), plus tags and lecture series.
//! Each term gets a page listing everything that carries it.

use std::collections::BTreeMap;

use crate::content::sessions::SessionNote;
use crate::content::{Kind, Meta, Place, slugify_as};
use crate::names::Name;

use super::{Page, PageId, Site};

#[derive(Debug, Clone)]
pub struct Term {
    pub name: String,
    pub slug: String,
    pub url: String,
    /// Pages carrying the term, in site order.
    pub pages: Vec<PageId>,
    /// A speaker's title (职务), from the latest lecture that gives one.
    pub speaker_title: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Taxonomy {
    pub key: &'static str,
    pub title: String,
    pub url: String,
    pub terms: Vec<Term>,
}

impl Taxonomy {
    pub fn term(&self, name: &str) -> Option<&Term> {
        self.terms.iter().find(|t| t.name == name)
    }
}

/// Taxonomy key → URL folder.
pub const TAXONOMIES: &[(&str, &str)] = &[
    ("action", "actions"),
    ("level", "levels"),
    ("domain", "domains"),
    ("topics", "topics"),
    ("unit", "units"),
    ("speaker", "speakers"),
    ("series", "series"),
    ("tags", "tags"),
];

/// The values of taxonomy `key` on one page.
pub fn values<'a>(site: &'a Site, page: PageId, key: &str) -> Vec<&'a str> {
    each_value(site.page(page), key).collect()
}

/// The values of taxonomy `key` on `p`, without collecting them.
fn each_value<'a>(p: Page<'a>, key: &str) -> Box<dyn Iterator<Item = &'a str> + 'a> {
    let none: &[String] = &[];
    // Every kind of page is named, so a new kind's values cannot be left out unseen.
    let (one, many): (Option<&str>, &[String]) = match (key, &p.src.meta) {
        ("tags", _) => (None, &p.src.common.tags),
        (_, Meta::Course(m)) => match key {
            "action" => (Some(&m.action), none),
            "level" => (None, &m.levels),
            "domain" => (None, &m.domains),
            "topics" => (None, &m.topics),
            "unit" => (m.unit.as_deref(), none),
            "speaker" => (None, &m.instructors),
            _ => (None, none),
        },
        (_, Meta::Lecture(m)) => {
            // A series' sessions may name speakers and speaking units of their own.
            let pick: fn(&SessionNote) -> Option<&str> = match key {
                "unit" => |n| n.unit.as_deref(),
                "speaker" => |n| n.speaker.as_deref(),
                _ => |_| None,
            };
            let own = m.sessions.iter().filter_map(pick);
            let (one, many) = match key {
                "unit" => (m.unit.as_deref(), none),
                "speaker" => (m.speaker.as_deref(), none),
                "series" if !m.series.is_empty() => (Some(m.series.as_str()), none),
                _ => (None, none),
            };
            return Box::new(
                one.into_iter()
                    .chain(many.iter().map(String::as_str))
                    .chain(own),
            );
        }
        (_, Meta::Case(m)) => match key {
            "domain" => (None, &m.domains),
            "topics" => (None, &m.topics),
            "unit" => (Some(&m.unit), none),
            _ => (None, none),
        },
        // A kind of typed fields carries the terms of its term fields.
        (_, Meta::Fields(f)) => f.terms(key),
        // Lessons carry tags only.
        (_, Meta::Lesson(_)) => (None, none),
    };
    Box::new(one.into_iter().chain(many.iter().map(String::as_str)))
}

pub fn build(site: &Site) -> Vec<Taxonomy> {
    let order: Vec<PageId> = Kind::LISTED
        .iter()
        .flat_map(|&k| site.of(k))
        .copied()
        .chain(
            site.pages()
                // The pages of kinds without a list of their own.
                .filter(|p| matches!(p.kind.spec().place, Place::Lesson | Place::Elsewhere))
                .map(|p| p.page_id),
        )
        .filter(|&i| !site.page(i).src.common.unlisted)
        .collect();
    TAXONOMIES
        .iter()
        .map(|&(key, folder)| {
            let mut by_name: BTreeMap<&str, Vec<PageId>> = BTreeMap::new();
            for &i in &order {
                for v in each_value(site.page(i), key) {
                    let list = by_name.entry(v).or_default();
                    if list.last() != Some(&i) {
                        list.push(i);
                    }
                }
            }
            let mut terms: Vec<Term> = by_name
                .into_iter()
                .map(|(name, pages)| Term {
                    name: name.to_string(),
                    slug: term_slug(&site.config, key, name),
                    url: String::new(),
                    speaker_title: (key == "speaker")
                        .then(|| speaker_title(site, name, &pages))
                        .flatten(),
                    pages,
                })
                .collect();
            sort_terms(&mut terms, &site.config, key);
            number_homophones(&mut terms, &site.config.slugs);
            for t in &mut terms {
                t.url = format!("/{folder}/{}/", t.slug);
            }
            Taxonomy {
                key,
                title: site
                    .config
                    .taxonomies
                    .get(key)
                    .cloned()
                    .unwrap_or_else(|| key.to_string()),
                url: format!("/{folder}/"),
                terms,
            }
        })
        .collect()
}

/// The title (职务) the latest of `pages`' lectures (or of their sessions) gives
/// speaker `name`, if any does.
fn speaker_title(site: &Site, name: &str, pages: &[PageId]) -> Option<String> {
    pages
        .iter()
        .filter_map(|&i| match &site.page(i).src.meta {
            Meta::Lecture(m) => Some(m),
            _ => None,
        })
        .flat_map(|m| {
            let own =
                (m.speaker.as_deref() == Some(name)).then(|| (m.start.date(), &m.speaker_title));
            let sessions = m
                .sessions
                .iter()
                .filter(|n| n.speaker.as_deref() == Some(name));
            own.into_iter()
                .chain(sessions.map(|n| (n.date, &n.speaker_title)))
        })
        .filter(|(_, title)| !title.trim().is_empty())
        .max_by_key(|&(day, _)| day)
        .map(|(_, title)| title.trim().to_string())
}

/// A term's slug: the one `site.yaml` spells for its name, else its pinyin (a speaker's
/// as a person's name, surname first).
pub(crate) fn term_slug(config: &crate::config::Config, key: &str, name: &str) -> String {
    if let Some(slug) = config.slugs.get(name) {
        return slug.clone();
    }
    let what = if key == "speaker" {
        Name::Person
    } else {
        Name::Other
    };
    slugify_as(name, what)
}

/// Terms in the order of their pinyin, which reads as a Chinese index; the configured
/// order wins for actions and series.
fn sort_terms(terms: &mut [Term], config: &crate::config::Config, key: &str) {
    let configured: &[String] = match key {
        "action" => &config.actions,
        "series" => &config.series,
        _ => &[],
    };
    let rank = |name: &str| {
        configured
            .iter()
            .position(|c| c == name)
            .unwrap_or(usize::MAX)
    };
    terms.sort_by(|a, b| (rank(&a.name), &a.slug, &a.name).cmp(&(rank(&b.name), &b.slug, &b.name)));
}

/// Homophones share a pinyin slug: the later ones are numbered (`-2`), and so is any
/// term whose pinyin is a slug `site.yaml` gives another name.
pub(super) fn number_homophones(terms: &mut [Term], spelled: &BTreeMap<String, String>) {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for t in terms.iter().filter(|t| spelled.contains_key(&t.name)) {
        seen.insert(t.slug.clone(), 1);
    }
    for t in terms.iter_mut().filter(|t| !spelled.contains_key(&t.name)) {
        let n = seen.entry(t.slug.clone()).or_insert(0);
        *n += 1;
        if *n > 1 {
            t.slug = format!("{}-{}", t.slug, n);
        }
    }
}

/// Taxonomy values one character away from a value used elsewhere (`市发该委` beside
/// `市发改委`): probably a typo that would split one unit or topic into two pages. A
/// warning on the less used spelling, at its place in the front matter. Values that
/// differ only in a numeral (`第一支部`, `第二支部`) are left alone.
/// `sources` holds each page's file, by page index.
pub fn near_duplicates(
    site: &Site,
    sources: &[&crate::content::SourceFile],
) -> Vec<crate::Diagnostic> {
    use crate::diagnostic::{Diagnostic, Text};
    let numeral = |c: char| c.is_ascii_digit() || "〇零一二三四五六七八九十百".contains(c);
    let mut out = Vec::new();
    for tax in &site.taxonomies {
        if matches!(tax.key, "action" | "series") {
            continue;
        }
        // Same length and one character apart ⇔ the two share a key with that character
        // replaced by a wildcard: bucket by those keys instead of comparing all pairs
        // (thousands of speakers and units on a large site).
        let mut buckets: std::collections::HashMap<String, Vec<usize>> =
            std::collections::HashMap::new();
        for (i, t) in tax.terms.iter().enumerate() {
            let chars: Vec<char> = t.name.chars().collect();
            if chars.len() < 4 {
                continue;
            }
            for k in 0..chars.len() {
                let mut key = chars.clone();
                key[k] = '\u{FFFF}';
                buckets
                    .entry(key.into_iter().collect())
                    .or_default()
                    .push(i);
            }
        }
        let mut pairs: Vec<(usize, usize)> = buckets
            .values()
            .filter(|v| v.len() > 1)
            .flat_map(|v| v.iter().flat_map(move |&x| v.iter().map(move |&y| (x, y))))
            .filter(|(x, y)| x != y)
            .collect();
        pairs.sort_unstable();
        pairs.dedup();
        for (a, b) in pairs
            .into_iter()
            .map(|(x, y)| (&tax.terms[x], &tax.terms[y]))
        {
            {
                // One character typed wrong (a homophone picked by the input method):
                // same length, four characters or more. Longer and shorter forms
                // (岗位练兵, 岗位大练兵) are usually deliberate.
                let (la, lb) = (a.name.chars().count(), b.name.chars().count());
                if a.name == b.name || la != lb || la < 4 {
                    continue;
                }
                if strsim::hamming(&a.name, &b.name) != Ok(1) {
                    continue;
                }
                // Warn on `a` when it is the rarer spelling (ties: the later name).
                if (a.pages.len(), &b.name) > (b.pages.len(), &a.name) {
                    continue;
                }
                let differs: Vec<(char, char)> = a
                    .name
                    .chars()
                    .zip(b.name.chars())
                    .filter(|(x, y)| x != y)
                    .collect();
                if la == lb && differs.iter().all(|&(x, y)| numeral(x) && numeral(y)) {
                    continue;
                }
                for &p in &a.pages {
                    let page = site.page(p);
                    let (line, column) = sources
                        .get(p.index())
                        .map_or((1, 1), |s| locate(&s.bytes, tax.key, &a.name));
                    out.push(
                        Diagnostic::warning(
                            &page.src.path,
                            line,
                            column,
                            Text::new(
                                format!(
                                    "{}“{}”与其他页面写的“{}”只差一个字，是不是写错了？",
                                    tax.title, a.name, b.name
                                ),
                                format!(
                                    "{} `{}` differs by one character from `{}` used elsewhere: a typo?",
                                    tax.key, a.name, b.name
                                ),
                            ),
                        )
                        .with_len(a.name.chars().count())
                        .with_hint(Text::new(
                            format!("同一个就统一写成“{}”，否则会生成两个不同的页面；确实不同可以不改", b.name),
                            format!("if they are the same, write `{}` everywhere (otherwise they get two pages); if not, ignore this", b.name),
                        )),
                    );
                }
            }
        }
    }
    out
}

/// Line and column of `needle` in a file's front matter: under the taxonomy's key (or
/// `instructors` for speakers) when it is there, else its first occurrence.
pub(super) fn locate(bytes: &[u8], key: &str, needle: &str) -> (usize, usize) {
    let text = crate::diagnostic::source_text(bytes);
    let lines: Vec<&str> = text.lines().collect();
    let end = lines
        .iter()
        .skip(1)
        .position(|l| l.trim_end() == "---")
        .map_or(lines.len(), |i| i + 1);
    let front = &lines[..end];
    let keys: &[&str] = if key == "speaker" {
        &["speaker", "instructors"]
    } else {
        &[key]
    };
    let mut under_key = false;
    let mut first = None;
    for (i, line) in front.iter().enumerate().skip(1) {
        if !line.starts_with([' ', '-']) {
            under_key = keys
                .iter()
                .any(|k| line.split(':').next().is_some_and(|x| x.trim() == *k));
        }
        if let Some(at) = line.find(needle) {
            let pos = (i + 1, line[..at].chars().count() + 1);
            if under_key {
                return pos;
            }
            first.get_or_insert(pos);
        }
    }
    first.unwrap_or((1, 1))
}
