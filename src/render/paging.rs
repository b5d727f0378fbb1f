//! Paged lists: how many pages a list of items takes, which items a page shows, where
//! it is published and the links between its pages. The first page is at the list's
//! own URL, the others at `page/<n>/` under it (`/cases/page/2/`), as Hugo and Zola
//! publish them; `page/1/` is not written, since nothing links to it.

use serde::Serialize;

/// The number of pages `items` take at `size` a page: at least one, so that an empty
/// list still has its page.
pub fn page_count(items: usize, size: usize) -> u32 {
    let pages = items.div_ceil(size.max(1)).max(1);
    u32::try_from(pages).unwrap_or(u32::MAX)
}

/// The items page `n` (from 1) shows.
pub fn page_of<T>(items: &[T], n: u32, size: usize) -> &[T] {
    let size = size.max(1);
    let start = (n.saturating_sub(1) as usize).saturating_mul(size);
    let end = start.saturating_add(size).min(items.len());
    items.get(start..end).unwrap_or(&[])
}

/// The root-relative URL of page `n` of the list at `list_url`.
pub fn page_url(list_url: &str, n: u32) -> String {
    if n <= 1 {
        list_url.to_string()
    } else {
        format!("{list_url}page/{n}/")
    }
}

/// `pager` in a paged list's template: where this page is among the list's pages and
/// the links to the others. Lists of one page have none.
#[derive(Debug, Serialize, PartialEq)]
pub struct Pager {
    /// This page's number, from 1, and how many there are.
    pub current: u32,
    pub pages: u32,
    /// The first and last item of this page among all of the list's, from 1, and
    /// their number.
    pub first_item: usize,
    pub last_item: usize,
    pub items: usize,
    pub first: Option<PageLink>,
    pub prev: Option<PageLink>,
    pub next: Option<PageLink>,
    pub last: Option<PageLink>,
    /// The numbered links: the first and last page and two on each side of the
    /// current one, with a gap where pages are left out.
    pub numbers: Vec<PageNumber>,
}

#[derive(Debug, Serialize, PartialEq)]
pub struct PageLink {
    pub number: u32,
    pub href: String,
}

#[derive(Debug, Serialize, PartialEq)]
pub struct PageNumber {
    pub number: u32,
    /// Empty for a gap (`…`).
    pub href: String,
    pub current: bool,
    pub gap: bool,
}

/// How many numbers show on each side of the current page.
const AROUND: u32 = 2;

/// The pager of page `n` of a list of `items` at `size` a page, whose page URLs become
/// links through `href`; `None` for a list of one page.
pub fn pager(n: u32, items: usize, size: usize, href: impl Fn(u32) -> String) -> Option<Pager> {
    let pages = page_count(items, size);
    if pages <= 1 {
        return None;
    }
    let link = |number: u32| PageLink {
        number,
        href: href(number),
    };
    let first_item = (n as usize - 1) * size + 1;
    let mut numbers = Vec::new();
    let mut shown = 0;
    for k in 1..=pages {
        let near = k.abs_diff(n) <= AROUND;
        if !(k == 1 || k == pages || near) {
            continue;
        }
        if k > shown + 1 {
            numbers.push(PageNumber {
                number: 0,
                href: String::new(),
                current: false,
                gap: true,
            });
        }
        numbers.push(PageNumber {
            number: k,
            href: href(k),
            current: k == n,
            gap: false,
        });
        shown = k;
    }
    Some(Pager {
        current: n,
        pages,
        first_item,
        last_item: (first_item + size - 1).min(items),
        items,
        first: (n > 1).then(|| link(1)),
        prev: (n > 1).then(|| link(n - 1)),
        next: (n < pages).then(|| link(n + 1)),
        last: (n < pages).then(|| link(pages)),
        numbers,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_takes_at_least_one_page() {
        assert_eq!(page_count(0, 30), 1);
        assert_eq!(page_count(30, 30), 1);
        assert_eq!(page_count(31, 30), 2);
        assert_eq!(page_count(95, 30), 4);
    }

    #[test]
    fn every_item_is_on_exactly_one_page() {
        let items: Vec<usize> = (0..95).collect();
        let mut seen = Vec::new();
        for n in 1..=page_count(items.len(), 30) {
            seen.extend_from_slice(page_of(&items, n, 30));
        }
        assert_eq!(seen, items);
        assert!(page_of(&items, 5, 30).is_empty());
    }

    #[test]
    fn the_first_page_is_at_the_lists_own_url() {
        assert_eq!(page_url("/cases/", 1), "/cases/");
        assert_eq!(page_url("/cases/", 2), "/cases/page/2/");
    }

    #[test]
    fn a_list_of_one_page_has_no_pager() {
        assert_eq!(pager(1, 30, 30, |n| n.to_string()), None);
    }

    fn numbers(p: &Pager) -> String {
        let shown: Vec<String> = p
            .numbers
            .iter()
            .map(|x| match (x.gap, x.current) {
                (true, _) => "…".to_string(),
                (false, true) => format!("[{}]", x.number),
                (false, false) => x.number.to_string(),
            })
            .collect();
        shown.join(" ")
    }

    #[test]
    fn numbers_show_the_ends_and_two_around_the_current_page() {
        let p = |n| pager(n, 300, 30, |k| format!("/cases/page/{k}/")).expect("ten pages");
        assert_eq!(numbers(&p(1)), "[1] 2 3 … 10");
        assert_eq!(numbers(&p(4)), "1 2 3 [4] 5 6 … 10");
        assert_eq!(numbers(&p(5)), "1 … 3 4 [5] 6 7 … 10");
        assert_eq!(numbers(&p(10)), "1 … 8 9 [10]");
        let middle = p(5);
        assert_eq!(middle.prev.map(|l| l.number), Some(4));
        assert_eq!(middle.next.map(|l| l.href), Some("/cases/page/6/".into()));
        assert_eq!((middle.first_item, middle.last_item), (121, 150));
        let last = p(10);
        assert!(last.next.is_none() && last.last.is_none());
        assert_eq!(last.first.map(|l| l.number), Some(1));
    }

    #[test]
    fn the_last_page_counts_only_the_items_left() {
        let p = pager(4, 95, 30, |k| k.to_string()).expect("four pages");
        assert_eq!((p.first_item, p.last_item, p.items), (91, 95, 95));
    }
}
