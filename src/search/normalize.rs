//! Character normalisation shared by the index writer and the browser client:
//! NFC for the whole text, then for each code point NFKC, lowercase and
//! traditional → simplified folding (OpenCC's TSCharacters, first candidate).
//! `themes/default/static/js/search.js` implements exactly the same steps.

use std::collections::HashMap;
use std::sync::OnceLock;

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// The folding table, `<traditional>\t<simplified>` per line (see its header).
const TS_CHARS: &str = include_str!("data/ts_chars.txt");

/// First code point of the range covered by the fold bitmap sent to browsers.
pub(crate) const FOLD_BITMAP_START: u32 = 0x3400;
/// Last code point (inclusive) of the range covered by the fold bitmap.
pub(crate) const FOLD_BITMAP_END: u32 = 0x9FFF;

/// The traditional → simplified pairs, in file order (sorted by source).
pub(crate) fn fold_pairs() -> &'static [(char, char)] {
    static PAIRS: OnceLock<Vec<(char, char)>> = OnceLock::new();
    PAIRS.get_or_init(|| {
        TS_CHARS
            .lines()
            .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
            .filter_map(|line| {
                let mut chars = line.chars();
                let from = chars.next()?;
                let tab = chars.next()?;
                let to = chars.next()?;
                (tab == '\t' && chars.next().is_none()).then_some((from, to))
            })
            .collect()
    })
}

/// The table as a direct lookup for the common range and a map for the rest.
struct FoldMap {
    common: Vec<char>,
    other: HashMap<char, char>,
}

fn fold_map() -> &'static FoldMap {
    static MAP: OnceLock<FoldMap> = OnceLock::new();
    MAP.get_or_init(|| {
        let mut common: Vec<char> = (FOLD_BITMAP_START..=FOLD_BITMAP_END)
            .map(|cp| char::from_u32(cp).unwrap_or('\u{FFFD}'))
            .collect();
        let mut other = HashMap::new();
        for &(from, to) in fold_pairs() {
            let cp = from as u32;
            if (FOLD_BITMAP_START..=FOLD_BITMAP_END).contains(&cp) {
                common[(cp - FOLD_BITMAP_START) as usize] = to;
            } else {
                other.insert(from, to);
            }
        }
        FoldMap { common, other }
    })
}

/// Folds one (already NFKC-normalised, lowercased) character to simplified Chinese.
#[inline]
pub fn fold_char(c: char) -> char {
    let cp = c as u32;
    if cp < FOLD_BITMAP_START {
        return c;
    }
    let map = fold_map();
    if cp <= FOLD_BITMAP_END {
        map.common[(cp - FOLD_BITMAP_START) as usize]
    } else {
        map.other.get(&c).copied().unwrap_or(c)
    }
}

/// Invisible format characters (soft hyphen, zero-width space and joiners,
/// direction marks, BOM) are dropped, so they neither split nor join words.
#[inline]
fn is_ignorable(cp: u32) -> bool {
    matches!(cp, 0xAD | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2064 | 0xFEFF)
}

/// Calls `out` with the normalised form of one code point (usually one character,
/// sometimes several: `㍻` → `平成`, `ﬁ` → `fi`, or none).
#[inline]
pub(crate) fn normalize_char(c: char, out: &mut impl FnMut(char)) {
    let cp = c as u32;
    if cp < 0x80 {
        out(c.to_ascii_lowercase());
    } else if (0x3400..=0x4DBF).contains(&cp) || (0x4E00..=0x9FFF).contains(&cp) {
        // Unified ideographs have no compatibility decomposition and no case.
        out(fold_char(c));
    } else if !is_ignorable(cp) {
        for d in std::iter::once(c).nfkc() {
            for l in d.to_lowercase() {
                out(fold_char(l));
            }
        }
    }
}

/// Applies NFC to the whole text when it is not already NFC (so that decomposed
/// accents join their letters before the per-character steps).
pub(crate) fn nfc(text: &str) -> std::borrow::Cow<'_, str> {
    if text.is_ascii() || is_nfc_quick(text.chars()) == IsNormalized::Yes {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(text.nfc().collect())
    }
}

/// The normalised text: what the tokeniser sees before it splits by script.
pub fn normalize(text: &str) -> String {
    let text = nfc(text);
    let mut s = String::with_capacity(text.len());
    for c in text.chars() {
        normalize_char(c, &mut |n| s.push(n));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_loaded_and_idempotent() {
        let pairs = fold_pairs();
        assert!(pairs.len() > 3000, "fold table too small: {}", pairs.len());
        for &(from, to) in pairs {
            assert_ne!(from, to);
            assert_eq!(fold_char(to), to, "{from}→{to} is not idempotent");
        }
    }

    #[test]
    fn folds_traditional_characters() {
        assert_eq!(normalize("黨員幹部"), "党员干部");
        assert_eq!(normalize("迴圈"), "回圈");
        assert_eq!(normalize("簡體"), "简体");
    }

    #[test]
    fn nfkc_and_lowercase() {
        assert_eq!(normalize("ＲＵＳＴ２０２６"), "rust2026");
        assert_eq!(normalize("㍻"), "平成");
        assert_eq!(normalize("Cafe\u{301}"), "café");
    }
}
