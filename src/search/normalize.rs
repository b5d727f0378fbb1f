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
pub(crate) fn fold_char(c: char) -> char {
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
    } else if let Some(one) = tables().single(cp) {
        out(one);
    } else {
        normalize_slow(c, out);
    }
}

/// The per-character steps in full (NFKC, lowercase, fold).
fn normalize_slow(c: char, out: &mut impl FnMut(char)) {
    if !is_ignorable(c as u32) {
        for d in std::iter::once(c).nfkc() {
            for l in d.to_lowercase() {
                out(fold_char(l));
            }
        }
    }
}

/// Precomputed answers for the characters between ASCII and the ideographs and
/// for the compatibility and full-width blocks (punctuation, kana, letters):
/// the result of [`normalize_slow`] when it is one character, and which BMP
/// characters leave any text they are in NFC.
struct Tables {
    /// Code point of the single normalised character, or `MANY`.
    single: Vec<u32>,
    /// Bit per BMP code point: NFC quick check "yes" and combining class 0.
    nfc_safe: Vec<u64>,
}

const MANY: u32 = u32::MAX;
const LOW_END: u32 = 0x3400;
const HIGH_START: u32 = 0xF900;

impl Tables {
    #[inline]
    fn single(&self, cp: u32) -> Option<char> {
        let i = if cp < LOW_END {
            cp - 0x80
        } else if (HIGH_START..0x10000).contains(&cp) {
            cp - HIGH_START + (LOW_END - 0x80)
        } else {
            return None;
        };
        let v = *self.single.get(i as usize)?;
        if v == MANY { None } else { char::from_u32(v) }
    }

    #[inline]
    fn nfc_safe(&self, c: char) -> bool {
        let cp = c as usize;
        cp < 0x10000 && self.nfc_safe[cp / 64] & (1 << (cp % 64)) != 0
    }
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| {
        let one = |cp: u32| {
            let Some(c) = char::from_u32(cp) else {
                return MANY;
            };
            let mut got = [MANY; 2];
            let mut n = 0;
            normalize_slow(c, &mut |o| {
                if n < 2 {
                    got[n] = o as u32;
                }
                n += 1;
            });
            if n == 1 { got[0] } else { MANY }
        };
        let single = (0x80..LOW_END)
            .chain(HIGH_START..0x10000)
            .map(one)
            .collect();
        let mut nfc_safe = vec![0u64; 0x10000 / 64];
        for cp in 0..0x10000u32 {
            if let Some(c) = char::from_u32(cp)
                && is_nfc_quick(std::iter::once(c)) == IsNormalized::Yes
                && unicode_normalization::char::canonical_combining_class(c) == 0
            {
                nfc_safe[cp as usize / 64] |= 1 << (cp % 64);
            }
        }
        Tables { single, nfc_safe }
    })
}

/// Applies NFC to the whole text when it is not already NFC (so that decomposed
/// accents join their letters before the per-character steps).
pub(crate) fn nfc(text: &str) -> std::borrow::Cow<'_, str> {
    if text.is_ascii() {
        return std::borrow::Cow::Borrowed(text);
    }
    // Text made only of characters that are NFC on their own and combine with
    // nothing is NFC: the common case, without the general check.
    let t = tables();
    if text.chars().all(|c| {
        let cp = c as u32;
        cp < 0x300 || (0x4E00..=0x9FFF).contains(&cp) || t.nfc_safe(c)
    }) || is_nfc_quick(text.chars()) == IsNormalized::Yes
    {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(text.nfc().collect())
    }
}

/// The normalised text: what the tokeniser sees before it splits by script.
#[cfg(test)]
pub(crate) fn normalize(text: &str) -> String {
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
    fn the_tables_agree_with_the_full_steps() {
        for cp in (0x80..LOW_END).chain(HIGH_START..0x10000) {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            let mut fast = String::new();
            normalize_char(c, &mut |o| fast.push(o));
            let mut slow = String::new();
            normalize_slow(c, &mut |o| slow.push(o));
            assert_eq!(fast, slow, "U+{cp:04X}");
        }
        for text in [
            "Cafe\u{301}",
            "e\u{301}\u{300}",
            "\u{212B}",
            "ＲＵＳＴ",
            "가\u{11A8}",
        ] {
            assert_eq!(nfc(text), text.nfc().collect::<String>(), "{text:?}");
        }
    }

    #[test]
    fn nfkc_and_lowercase() {
        assert_eq!(normalize("ＲＵＳＴ２０２６"), "rust2026");
        assert_eq!(normalize("㍻"), "平成");
        assert_eq!(normalize("Cafe\u{301}"), "café");
    }
}
