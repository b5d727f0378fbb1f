//! The card index of a paged list with filters (the catalogue, the case library): what
//! `filters.js` reads to filter, count and page all of the list's items, not only the
//! page it was opened on.
//!
//! Two kinds of files, under the list's `page/` folder (kept from content, see
//! `site::urls`), written only when the list takes more than one page:
//!
//! - `page/cards.json`, the index: the filters' fields, each field's values once
//!   (`terms`), and per item, in list order, `[date, 学时, [[value numbers] per field]]`.
//!   Values are numbers into `terms`, so the index stays small: about 30 bytes a card
//!   (at 10,000 generated pages, the 2,000 cases take 68 KB, the 308 courses 10 KB).
//!   A list of more than [`PART`] items has its items in parts, so that no file the
//!   list's page reads passes 200 KB: the index holds the first part and says how many
//!   there are; `page/cards-part-<n>.json` (from 2) holds part `n`'s items.
//! - `page/cards-<n>.json` (from 1), the shards: the HTML of [`SHARD`] cards each, as
//!   the list prints them (each card's partial rendered once, shared with the list's
//!   pages), so that a card shown by the script is the server's card, byte for byte.
//!   A filtered page fetches only the shards that hold its cards.

use std::collections::HashMap;

use serde::Serialize;

use super::Renderer;
use crate::content::{Kind, ListPage};
use crate::diagnostic::Diagnostic;

/// Cards per shard: small, since a page of a rare filter's matches takes one card from
/// each of up to a page's worth of shards (10 cards of about 600 bytes: 6 KB a shard).
pub const SHARD: usize = 10;

/// What the index format's readers check (`INDEX_FORMAT` in `filters.js`).
const FORMAT: u32 = 2;

/// Items per part of the index: at about 30 bytes an item, 60 KB; an item of many
/// values takes a few times that, still well under 200 KB.
pub const PART: usize = 2_000;

/// The filters' fields of a list: the names of its form's selects, in the order of the
/// values [`Filterable`] holds.
pub fn fields(page: ListPage) -> &'static [&'static str] {
    match page {
        ListPage::Catalogue => &["action", "level", "domain", "topic", "required"],
        ListPage::Cases => &["unit", "domain", "topic"],
        ListPage::Schedule | ListPage::Cards => &[],
    }
}

/// What the filters read of one item: its values per field, its 学时 and its date (ISO,
/// or empty).
pub struct Filterable {
    pub values: Vec<Vec<String>>,
    pub hours: f64,
    pub date: String,
}

/// The index file.
#[derive(Debug, Serialize, PartialEq)]
pub struct CardIndex {
    format: u32,
    /// Cards per shard: item `k` (from 0) is card `k % shard` of shard `k / shard + 1`.
    shard: usize,
    /// The shards' address, `{n}` standing for the number, relative to the index.
    shards: &'static str,
    /// How many parts the items take, and the address of part `n` from 2, like `shards`.
    parts: u32,
    part: &'static str,
    fields: &'static [&'static str],
    /// Per field, its values in the order they first occur.
    terms: Vec<Vec<String>>,
    items: Vec<Entry>,
}

/// An item: `[date, 学时, [[value numbers] per field]]`.
#[derive(Debug, Serialize, PartialEq)]
struct Entry(String, f64, Vec<Vec<u32>>);

/// The index of `items`, in list order, filtered on `fields`.
pub fn index(fields: &'static [&'static str], items: Vec<Filterable>) -> CardIndex {
    let mut numbers: Vec<HashMap<String, u32>> = vec![HashMap::new(); fields.len()];
    let mut terms: Vec<Vec<String>> = vec![Vec::new(); fields.len()];
    let entries: Vec<Entry> = items
        .into_iter()
        .map(|item| {
            let values = item
                .values
                .into_iter()
                .zip(numbers.iter_mut().zip(terms.iter_mut()))
                .map(|(values, (numbers, terms))| {
                    values
                        .into_iter()
                        .map(|v| {
                            let next = u32::try_from(terms.len()).unwrap_or(u32::MAX);
                            *numbers.entry(v).or_insert_with_key(|v| {
                                terms.push(v.clone());
                                next
                            })
                        })
                        .collect()
                })
                .collect();
            Entry(item.date, item.hours, values)
        })
        .collect();
    CardIndex {
        format: FORMAT,
        shard: SHARD,
        shards: "cards-{n}.json",
        parts: part_count(entries.len()),
        part: "cards-part-{n}.json",
        fields,
        terms,
        items: entries,
    }
}

/// Where a list's index is: `/cases/` → `/cases/page/cards.json`.
pub fn index_url(list_url: &str) -> String {
    format!("{list_url}page/cards.json")
}

/// Where part `n` (from 1) of a list's index is: the index itself, then its parts.
pub fn part_url(list_url: &str, n: u32) -> String {
    if n <= 1 {
        index_url(list_url)
    } else {
        format!("{list_url}page/cards-part-{n}.json")
    }
}

/// How many parts the index of `items` cards takes.
pub fn part_count(items: usize) -> u32 {
    u32::try_from(items.div_ceil(PART).max(1)).unwrap_or(u32::MAX)
}

impl CardIndex {
    /// Part `n` (from 1) as JSON: the index with the first part's items, or the bare
    /// list of part `n`'s items.
    fn part_json(mut self, n: u32) -> Vec<u8> {
        let start = (n.saturating_sub(1) as usize).saturating_mul(PART);
        let end = self.items.len().min(start.saturating_add(PART));
        let items: Vec<Entry> = self.items.drain(..).take(end).skip(start).collect();
        if n <= 1 {
            self.items = items;
            serde_json::to_vec(&self).expect("the card index serialises")
        } else {
            serde_json::to_vec(&items).expect("the card index's items serialise")
        }
    }
}

/// Where shard `n` (from 1) of a list's index is.
pub fn shard_url(list_url: &str, n: u32) -> String {
    format!("{list_url}page/cards-{n}.json")
}

/// How many shards `items` cards take.
pub fn shard_count(items: usize) -> u32 {
    u32::try_from(items.div_ceil(SHARD)).unwrap_or(u32::MAX)
}

impl Renderer<'_> {
    /// Part `n` (from 1) of the index of `kind`'s list, as JSON.
    pub(super) fn card_index(&self, kind: Kind, n: u32) -> Vec<u8> {
        let page = kind.spec().list.map_or(ListPage::Cards, |l| l.page);
        let items = self
            .site
            .of(kind)
            .iter()
            .filter_map(|&i| self.filter_values(i))
            .collect();
        index(fields(page), items).part_json(n)
    }

    /// Shard `n` of `kind`'s list: its cards' HTML, as a JSON array of strings.
    pub(super) fn card_shard(&self, kind: Kind, n: u32) -> Result<Vec<u8>, Diagnostic> {
        let items = self.site.of(kind);
        let start = (n.saturating_sub(1) as usize).saturating_mul(SHARD);
        let shown = items
            .get(start..(start + SHARD).min(items.len()))
            .unwrap_or(&[]);
        let cards = self.checked_cards(shown)?;
        let html: Vec<&str> = cards
            .as_array()
            .map(|cards| {
                cards
                    .iter()
                    .filter_map(|c| c.get_from_path("html").and_then(tera::Value::as_str))
                    .collect()
            })
            .unwrap_or_default();
        Ok(serde_json::to_vec(&html).expect("a list of strings serialises"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(values: &[&[&str]], date: &str) -> Filterable {
        Filterable {
            values: values
                .iter()
                .map(|v| v.iter().map(|s| (*s).to_string()).collect())
                .collect(),
            hours: 2.5,
            date: date.into(),
        }
    }

    #[test]
    fn values_are_numbered_per_field_in_the_order_they_occur() {
        let index = index(
            fields(ListPage::Cases),
            vec![
                item(
                    &[&["市委党校"], &["乡村振兴"], &["调研", "治理"]],
                    "2026-01-02",
                ),
                item(&[&["市统计局"], &["乡村振兴"], &["治理"]], ""),
            ],
        );
        let json = serde_json::to_string(&index).expect("serialises");
        assert_eq!(
            json,
            concat!(
                r#"{"format":2,"shard":10,"shards":"cards-{n}.json","parts":1,"part":"cards-part-{n}.json","#,
                r#""fields":["unit","domain","topic"],"#,
                r#""terms":[["市委党校","市统计局"],["乡村振兴"],["调研","治理"]],"#,
                r#""items":[["2026-01-02",2.5,[[0],[0],[0,1]]],["",2.5,[[1],[0],[1]]]]}"#
            )
        );
    }

    #[test]
    fn a_long_list_has_its_items_in_parts() {
        let items = |n: usize| {
            (0..n)
                .map(|k| item(&[&["市委党校"], &[], &[]], &format!("2026-01-{k}")))
                .collect()
        };
        assert_eq!(part_count(0), 1);
        assert_eq!(part_count(PART), 1);
        assert_eq!(part_count(PART + 1), 2);
        let whole = |n| index(fields(ListPage::Cases), items(n));
        let head: serde_json::Value =
            serde_json::from_slice(&whole(PART * 2 + 5).part_json(1)).expect("JSON");
        assert_eq!(head["parts"], 3);
        assert_eq!(head["items"].as_array().map(Vec::len), Some(PART));
        let third: Vec<serde_json::Value> =
            serde_json::from_slice(&whole(PART * 2 + 5).part_json(3)).expect("JSON");
        assert_eq!(third.len(), 5);
        assert_eq!(third[0][0], format!("2026-01-{}", PART * 2));
        assert_eq!(part_url("/cases/", 1), "/cases/page/cards.json");
        assert_eq!(part_url("/cases/", 2), "/cases/page/cards-part-2.json");
    }

    #[test]
    fn shards_hold_ten_cards_each() {
        assert_eq!(shard_count(0), 0);
        assert_eq!(shard_count(10), 1);
        assert_eq!(shard_count(2001), 201);
        assert_eq!(index_url("/cases/"), "/cases/page/cards.json");
        assert_eq!(shard_url("/cases/", 3), "/cases/page/cards-3.json");
    }
}
