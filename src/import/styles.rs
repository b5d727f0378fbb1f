//! What styles and numbering say about a paragraph: its style's name and outline level
//! (Word's English names, WPS's and localised Word's Chinese ones), its list and level,
//! and the number WPS or Word writes before an official document's heading. Pure.

use std::collections::HashMap;

use roxmltree::Node;

use super::docx::{attr, child, children, val};
use super::headings::numbering_level;

/// What a paragraph style gives: its name, the style it is based on, its outline level,
/// its numbering.
#[derive(Debug, Default, Clone)]
pub(super) struct StyleDef {
    pub(super) name: String,
    pub(super) based_on: Option<String>,
    pub(super) outline: Option<u8>,
    pub(super) num: Option<(String, u8)>,
}

#[derive(Debug, Default)]
pub(super) struct Styles(HashMap<String, StyleDef>);

impl Styles {
    pub(super) fn read(root: Node<'_, '_>) -> Styles {
        let mut map = HashMap::new();
        for s in children(root, "style") {
            let Some(id) = attr(s, "styleId") else {
                continue;
            };
            let ppr = child(s, "pPr");
            map.insert(
                id.to_string(),
                StyleDef {
                    name: val(s, "name").unwrap_or(id).to_string(),
                    based_on: val(s, "basedOn").map(str::to_string),
                    outline: ppr.and_then(|p| val(p, "outlineLvl")?.parse().ok()),
                    num: ppr.and_then(num_pr),
                },
            );
        }
        Styles(map)
    }

    /// The style `id` and those it is based on, nearest first (at most 10: a loop of
    /// `basedOn` ends there).
    pub(super) fn chain(&self, id: &str) -> Vec<&StyleDef> {
        let mut out = Vec::new();
        let mut next = Some(id);
        while let Some(id) = next {
            let Some(s) = self.0.get(id) else { break };
            out.push(s);
            if out.len() >= 10 {
                break;
            }
            next = s.based_on.as_deref();
        }
        out
    }
}

/// `<w:numPr>` of paragraph properties: the numbering instance and level.
pub(super) fn num_pr(ppr: Node<'_, '_>) -> Option<(String, u8)> {
    let n = child(ppr, "numPr")?;
    let id = val(n, "numId")?.to_string();
    let level = val(n, "ilvl").and_then(|l| l.parse().ok()).unwrap_or(0);
    Some((id, level))
}

/// What a style's name says about a paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    Title,
    Heading(u8),
    /// A table of contents' entry: dropped (the site makes its own).
    Contents,
    Body,
}

/// Word's built-in names in English (`heading 1`, `Title`), as WPS and localised Word
/// may write them (`标题 1`, `标题`), and the TOC entries.
pub(super) fn role_of_name(name: &str) -> Role {
    let lower = name.trim().to_lowercase();
    if lower == "title" || lower == "标题" {
        return Role::Title;
    }
    if lower.starts_with("toc") || lower.starts_with("目录") {
        return Role::Contents;
    }
    for prefix in ["heading", "标题"] {
        if let Some(rest) = lower.strip_prefix(prefix)
            && let Ok(n) = rest.trim().parse::<u8>()
            && (1..=9).contains(&n)
        {
            return Role::Heading(n);
        }
    }
    Role::Body
}

/// The nesting a list style's name gives: `List Bullet 2` is the second level.
pub(super) fn list_style_depth(name: &str) -> u8 {
    let lower = name.to_lowercase();
    if !lower.starts_with("list") {
        return 0;
    }
    lower
        .rsplit(' ')
        .next()
        .and_then(|n| n.parse::<u8>().ok())
        .map_or(0, |n| n.saturating_sub(1).min(8))
}

/// The list kind of each numbering instance's levels.
#[derive(Debug, Default)]
pub(super) struct Numbering {
    /// numId → abstractNumId.
    nums: HashMap<String, String>,
    /// (abstractNumId, level) → its definition.
    levels: HashMap<(String, u8), Level>,
}

/// A numbering level: its kind (`Some(true)` ordered, `Some(false)` bullets, `None` no
/// number), format (`decimal`, `chineseCounting` …), text (`%1、`) and first number.
#[derive(Debug, Clone)]
pub(super) struct Level {
    pub(super) kind: Option<bool>,
    pub(super) format: String,
    pub(super) text: String,
    pub(super) start: u32,
}

impl Numbering {
    pub(super) fn read(root: Node<'_, '_>) -> Numbering {
        let mut out = Numbering::default();
        for a in children(root, "abstractNum") {
            let Some(id) = attr(a, "abstractNumId") else {
                continue;
            };
            for l in children(a, "lvl") {
                let level = attr(l, "ilvl").and_then(|v| v.parse().ok()).unwrap_or(0);
                let format = val(l, "numFmt").unwrap_or("decimal").to_string();
                let kind = match format.as_str() {
                    "none" => None,
                    "bullet" => Some(false),
                    _ => Some(true),
                };
                let def = Level {
                    kind,
                    format,
                    text: val(l, "lvlText").unwrap_or("").to_string(),
                    start: val(l, "start").and_then(|v| v.parse().ok()).unwrap_or(1),
                };
                out.levels.insert((id.to_string(), level), def);
            }
        }
        for n in children(root, "num") {
            if let (Some(id), Some(abs)) = (attr(n, "numId"), val(n, "abstractNumId")) {
                out.nums.insert(id.to_string(), abs.to_string());
            }
        }
        out
    }

    /// The level a paragraph numbered `num` is at; `None` for numId 0 (numbering off)
    /// or an instance not defined.
    pub(super) fn level(&self, num: &(String, u8)) -> Option<Level> {
        if num.0 == "0" {
            return None;
        }
        let abs = self.nums.get(&num.0)?;
        // Numbered, but the level is not defined: an ordered list all the same.
        Some(
            self.levels
                .get(&(abs.clone(), num.1))
                .cloned()
                .unwrap_or(Level {
                    kind: Some(true),
                    format: "decimal".to_string(),
                    text: String::new(),
                    start: 1,
                }),
        )
    }
}

/// The number an official document's heading shows when WPS or Word numbers it
/// (`一、`, `（一）`, `（1）`, `1．`), or `None` for a list's number (`1.`, `a)`).
pub(super) fn official_label(level: &Level, ilvl: u8, n: u32) -> Option<String> {
    let value = match level.format.as_str() {
        "chineseCounting"
        | "chineseCountingThousand"
        | "japaneseCounting"
        | "taiwaneseCounting" => chinese_number(n),
        "decimal" | "decimalFullWidth" | "decimalHalfWidth" => n.to_string(),
        _ => return None,
    };
    let label = level
        .text
        .replace(&format!("%{}", u32::from(ilvl) + 1), &value);
    let heading = !label.contains('%') && !label.ends_with('.');
    (heading && numbering_level(&format!("{label}标题")).is_some()).then_some(label)
}

/// 1 → 一, 10 → 十, 12 → 十二, 20 → 二十 (as headings count, to 99).
fn chinese_number(n: u32) -> String {
    const DIGITS: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let digit = |d: u32| DIGITS[usize::try_from(d % 10).unwrap_or(0)];
    match n {
        0..=9 => digit(n).to_string(),
        10..=19 => format!("十{}", if n == 10 { "" } else { digit(n) }),
        20..=99 => format!(
            "{}十{}",
            digit(n / 10),
            if n.is_multiple_of(10) { "" } else { digit(n) }
        ),
        _ => n.to_string(),
    }
}
