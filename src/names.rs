//! Names read aloud: the pinyin of Chinese names, which gives terms and files their ASCII
//! slugs and Chinese lists their order.
//!
//! A character's reading comes from the `pinyin` crate (its most common reading). Where
//! that reading is wrong in a word, as for place names (广水 guang-shui is right, 曾都
//! would read ceng-dou) and surnames (曾 zeng, 单 shan), the tables below give the word's
//! reading: the longest word that matches wins. A `site.yaml` `slugs:` table spells any
//! other name the editor's way (`site::taxonomy`).

use pinyin::ToPinyin;

/// What a name names: a person's surname reads differently from the same character in
/// a word (曾 zeng, 单 shan).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Name {
    Person,
    Other,
}

/// Words whose characters do not take their most common reading: place names of the
/// programme's region and of China, and words common in unit, course and topic names.
const WORDS: &[(&str, &str)] = &[
    ("东阿", "dong e"),
    ("乐清", "yue qing"),
    ("乐陵", "le ling"),
    ("六安", "lu an"),
    ("六合", "lu he"),
    ("银行", "yin hang"),
    ("会计", "kuai ji"),
    ("传记", "zhuan ji"),
    ("参与", "can yu"),
    ("参加", "can jia"),
    ("首都", "shou du"),
    ("台州", "tai zhou"),
    ("吐鲁番", "tu lu fan"),
    ("大都", "da du"),
    ("尉氏", "wei shi"),
    ("广水", "guang shui"),
    ("成都", "cheng du"),
    ("曾都", "zeng du"),
    ("朝阳", "chao yang"),
    ("行业", "hang ye"),
    ("行长", "hang zhang"),
    ("调查", "diao cha"),
    ("调研", "diao yan"),
    ("都市", "du shi"),
    ("都江堰", "du jiang yan"),
    ("重庆", "chong qing"),
    ("铅山", "yan shan"),
    ("长岗", "chang gang"),
    ("长期", "chang qi"),
    ("长效", "chang xiao"),
    ("长江", "chang jiang"),
    ("长沙", "chang sha"),
    ("长征", "chang zheng"),
    ("长春", "chang chun"),
    ("长远", "chang yuan"),
    ("长阳", "chang yang"),
    ("长城", "chang cheng"),
    ("番禺", "pan yu"),
    ("蚌埠", "beng bu"),
    ("丽水", "li shui"),
];

/// Surnames that do not take their characters' most common reading, and the compound
/// surnames, read at the start of a person's name.
const SURNAMES: &[(&str, &str)] = &[
    ("万俟", "mo qi"),
    ("仇", "qiu"),
    ("区", "ou"),
    ("单", "shan"),
    ("尉迟", "yu chi"),
    ("曾", "zeng"),
    ("朴", "piao"),
    ("查", "zha"),
    ("盖", "ge"),
    ("缪", "miao"),
    ("覃", "qin"),
    ("解", "xie"),
    ("长孙", "zhang sun"),
];

/// The longest entry of `table` that `text` starts with, of up to four characters.
fn longest<'t>(table: &'t [(&str, &str)], text: &str) -> Option<(&'t str, &'t str)> {
    let ends = text
        .char_indices()
        .map(|(i, _)| i)
        .skip(1)
        .chain([text.len()]);
    let ends: Vec<usize> = ends.take(4).collect();
    ends.into_iter().rev().find_map(|end| {
        let word = &text[..end];
        table.iter().find(|(w, _)| *w == word).copied()
    })
}

/// A name read aloud, in the shape slugs are made from: each Chinese syllable followed
/// by a space, other characters as `deunicode` spells them (`2026年Q1` →
/// `2026nian Q1`). A character with no spelling becomes `-`.
pub(crate) fn read(name: &str, what: Name) -> String {
    let mut out = String::with_capacity(name.len() * 2);
    let mut rest = name;
    if what == Name::Person
        && let Some((word, reading)) = longest(SURNAMES, rest)
    {
        push_words(&mut out, reading);
        rest = &rest[word.len()..];
    }
    while let Some(c) = rest.chars().next() {
        if let Some((word, reading)) = longest(WORDS, rest) {
            push_words(&mut out, reading);
            rest = &rest[word.len()..];
            continue;
        }
        match c.to_pinyin() {
            Some(p) => push_words(&mut out, p.plain()),
            None => out.push_str(deunicode::deunicode_char(c).unwrap_or("-")),
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Each syllable of `reading` and a space; ü as v, as slugs were always written (旅
/// lv: the addresses of existing pages stay the same).
fn push_words(out: &mut String, reading: &str) {
    for syllable in reading.split(' ') {
        out.extend(syllable.chars().map(|c| if c == 'ü' { 'v' } else { c }));
        out.push(' ');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_hold_one_reading_per_word() {
        for table in [WORDS, SURNAMES] {
            let mut words: Vec<&str> = table.iter().map(|(w, _)| *w).collect();
            words.sort_unstable();
            let before = words.len();
            words.dedup();
            assert_eq!(before, words.len(), "a word twice");
            for (w, r) in table {
                assert!(w.chars().count() <= 4, "{w}: longer than a lookup reads");
                assert_eq!(w.chars().count(), r.split(' ').count(), "{w}: {r}");
                assert!(
                    r.bytes().all(|b| b.is_ascii_lowercase() || b == b' '),
                    "{r}"
                );
            }
        }
    }

    #[test]
    fn place_names_read_as_they_are_said() {
        assert_eq!(read("广水市", Name::Other), "guang shui shi ");
        assert_eq!(read("曾都区", Name::Other), "zeng du qu ");
        assert_eq!(
            read("随州市长江路", Name::Other),
            "sui zhou shi chang jiang lu "
        );
        // The most common reading where no word says otherwise.
        assert_eq!(read("曾经", Name::Other), "ceng jing ");
        assert_eq!(read("文旅", Name::Other), "wen lv ");
    }

    #[test]
    fn surnames_read_at_the_start_of_a_persons_name_only() {
        assert_eq!(read("曾庆华", Name::Person), "zeng qing hua ");
        assert_eq!(read("单志强", Name::Person), "shan zhi qiang ");
        assert_eq!(read("单志强", Name::Other), "dan zhi qiang ");
        assert_eq!(read("欧阳曾", Name::Person), "ou yang ceng ");
    }

    #[test]
    fn other_characters_keep_their_spelling() {
        assert_eq!(read("2026年Q1", Name::Other), "2026nian Q1");
        assert_eq!(read("Café", Name::Other), "Cafe");
    }
}
