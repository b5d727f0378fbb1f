//! Taxonomies: the ways cadres browse the catalogue (action, tier, field, topic), and the
//! people and bodies behind the content (unit, speaker), plus tags and lecture series.
//! Each term gets a page listing everything that carries it.

use std::collections::BTreeMap;

use crate::content::{Kind, Meta, slugify};

use super::Site;

#[derive(Debug, Clone)]
pub struct Term {
    pub name: String,
    pub slug: String,
    pub url: String,
    /// Pages carrying the term, in site order.
    pub pages: Vec<usize>,
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
pub fn values<'a>(site: &'a Site, page: usize, key: &str) -> Vec<&'a str> {
    let p = &site.pages[page];
    let one = |o: &'a Option<String>| o.iter().map(String::as_str).collect::<Vec<_>>();
    let many = |v: &'a Vec<String>| v.iter().map(String::as_str).collect::<Vec<_>>();
    match (key, &p.src.meta) {
        ("tags", _) => many(&p.src.common.tags),
        ("action", Meta::Course(m)) => vec![m.action.as_str()],
        ("level", Meta::Course(m)) => many(&m.levels),
        ("domain", Meta::Course(m)) => many(&m.domains),
        ("domain", Meta::Case(m)) => many(&m.domains),
        ("topics", Meta::Course(m)) => many(&m.topics),
        ("topics", Meta::Case(m)) => many(&m.topics),
        ("unit", Meta::Course(m)) => one(&m.unit),
        ("unit", Meta::Lecture(m)) => one(&m.unit),
        ("unit", Meta::Case(m)) => vec![m.unit.as_str()],
        ("speaker", Meta::Lecture(m)) => one(&m.speaker),
        ("speaker", Meta::Course(m)) => many(&m.instructors),
        ("series", Meta::Lecture(m)) if !m.series.is_empty() => vec![m.series.as_str()],
        _ => Vec::new(),
    }
}

pub fn build(site: &Site) -> Vec<Taxonomy> {
    let order: Vec<usize> = site
        .courses
        .iter()
        .chain(&site.lectures)
        .chain(&site.cases)
        .copied()
        .chain(
            site.pages
                .iter()
                .enumerate()
                .filter(|(_, p)| matches!(p.kind, Kind::Lesson | Kind::Page))
                .map(|(i, _)| i),
        )
        .collect();
    TAXONOMIES
        .iter()
        .map(|&(key, folder)| {
            let mut by_name: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
            for &i in &order {
                for v in values(site, i, key) {
                    let list = by_name.entry(v).or_default();
                    if list.last() != Some(&i) {
                        list.push(i);
                    }
                }
            }
            // Terms sorted by their pinyin slug reads as a Chinese index; the configured
            // order wins for actions and series.
            let mut terms: Vec<Term> = by_name
                .into_iter()
                .map(|(name, pages)| Term {
                    name: name.to_string(),
                    slug: slugify(name),
                    url: String::new(),
                    pages,
                })
                .collect();
            let configured: &[String] = match key {
                "action" => &site.config.actions,
                "series" => &site.config.series,
                _ => &[],
            };
            terms.sort_by(|a, b| {
                let ia = configured
                    .iter()
                    .position(|c| *c == a.name)
                    .unwrap_or(usize::MAX);
                let ib = configured
                    .iter()
                    .position(|c| *c == b.name)
                    .unwrap_or(usize::MAX);
                (ia, &a.slug, &a.name).cmp(&(ib, &b.slug, &b.name))
            });
            // Homophones share a pinyin slug: number the later ones.
            let mut seen: BTreeMap<String, usize> = BTreeMap::new();
            for t in &mut terms {
                let n = seen.entry(t.slug.clone()).or_insert(0);
                *n += 1;
                if *n > 1 {
                    t.slug = format!("{}-{}", t.slug, n);
                }
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
