//! `requirements:` in `site.yaml`: the 学时 each tier is to reach in a year, in total and
//! per action, which 我的学习 measures a cadre's courses completed that year against.
//!
//! ```yaml
//! requirements:
//!   2026:
//!     市直机关: {hours: 50, by_action: {思想淬炼: 12, 专业训练: 20}}
//!     乡镇街道: {hours: 40}
//! ```
//!
//! Tiers are the values of `levels:` (the tiers courses are for) when `site.yaml` lists
//! them, and any name otherwise; actions are those of `actions:`. Each mistake is one
//! message at its place in `site.yaml`, and the entry it is in is left out.

use serde::Serialize;
use serde_yaml_ng::{Mapping, Value};

use crate::content::frontmatter::FrontMatter;
use crate::diagnostic::{Text, suggestion};

const KEY: &str = "requirements";
const TIER_KEYS: [&str; 2] = ["hours", "by_action"];

/// The requirements of every year, in the order written.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Requirements {
    pub years: Vec<YearPlan>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct YearPlan {
    pub year: i16,
    pub tiers: Vec<TierPlan>,
}

/// What one tier is to reach in a year: `hours` in all, and at least so many of them
/// in some actions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TierPlan {
    pub tier: String,
    pub hours: f64,
    pub by_action: Vec<ActionHours>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActionHours {
    pub action: String,
    pub hours: f64,
}

impl Requirements {
    /// The tiers named in any year, in the order of `levels` (else as first written).
    pub fn tiers(&self, levels: &[String]) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for t in self.years.iter().flat_map(|y| &y.tiers) {
            if !out.contains(&t.tier) {
                out.push(t.tier.clone());
            }
        }
        let rank = |t: &String| levels.iter().position(|l| l == t).unwrap_or(usize::MAX);
        out.sort_by_key(rank);
        out
    }
}

/// What names `requirements:` may use.
pub(crate) struct Names<'a> {
    /// Any tier when empty.
    pub tiers: &'a [String],
    pub actions: &'a [String],
}

/// Reads `requirements:`, reporting each mistake into `fm`.
pub(crate) fn read(fm: &mut FrontMatter, names: &Names) -> Requirements {
    let Some(value) = fm.get(KEY).cloned() else {
        return Requirements::default();
    };
    let Value::Mapping(years) = value else {
        if !value.is_null() {
            let pos = fm.value_pos(KEY);
            fm.error_at(
                pos,
                Text::new(
                    "requirements 应该按年份写各层级的学时要求",
                    "`requirements` should give each year's hours by tier",
                ),
                example(),
            );
        }
        return Requirements::default();
    };
    let mut out = Requirements::default();
    for (year, tiers) in &years {
        let raw = text(year);
        let Some(y) = as_year(year) else {
            let pos = fm.nested_pos(KEY, &[&raw], false);
            fm.error_at(
                pos,
                Text::new(format!("“{raw}”不是年份"), format!("`{raw}` is not a year")),
                Text::new(
                    "年份写四位阿拉伯数字，例如 2026:",
                    "write the year in four digits, e.g. 2026:",
                ),
            );
            continue;
        };
        let tiers = match tiers {
            Value::Mapping(m) => read_tiers(fm, names, &raw, m),
            _ => {
                let pos = fm.nested_pos(KEY, &[&raw], true);
                fm.error_at(
                    pos,
                    Text::new(
                        format!("{raw} 年的要求应该按层级来写"),
                        format!("the requirements of {raw} should be given by tier"),
                    ),
                    example(),
                );
                continue;
            }
        };
        out.years.push(YearPlan { year: y, tiers });
    }
    out
}

fn read_tiers(fm: &mut FrontMatter, names: &Names, year: &str, m: &Mapping) -> Vec<TierPlan> {
    let mut out = Vec::new();
    for (tier, plan) in m {
        let tier = text(tier);
        if !names.tiers.is_empty() && !names.tiers.contains(&tier) {
            let pos = fm.nested_pos(KEY, &[year, &tier], false);
            let hint = suggestion(&tier, names.tiers.iter().map(String::as_str))
                .unwrap_or_else(|| one_of("levels", names.tiers));
            fm.error_at(
                pos,
                Text::new(
                    format!("“{tier}”不是 site.yaml 的 levels 中的层级"),
                    format!("`{tier}` is not a tier of `levels` in site.yaml"),
                ),
                hint,
            );
            continue;
        }
        let at = [year, tier.as_str()];
        if let Some(plan) = read_plan(fm, names, &at, plan) {
            out.push(TierPlan {
                tier,
                hours: plan.0,
                by_action: plan.1,
            });
        }
    }
    out
}

/// A tier's `{hours, by_action}` (a bare number is its hours).
fn read_plan(
    fm: &mut FrontMatter,
    names: &Names,
    at: &[&str; 2],
    plan: &Value,
) -> Option<(f64, Vec<ActionHours>)> {
    let map = match plan {
        Value::Mapping(m) => m,
        Value::Number(_) => return hours(fm, at, "", plan).map(|h| (h, Vec::new())),
        _ => {
            let pos = fm.nested_pos(KEY, at, true);
            fm.error_at(
                pos,
                Text::new(
                    format!("{} 年“{}”的要求应该写成 {{hours: 学时}}", at[0], at[1]),
                    format!(
                        "the requirement of `{}` in {} should be `{{hours: …}}`",
                        at[1], at[0]
                    ),
                ),
                example(),
            );
            return None;
        }
    };
    for key in map.keys().map(text) {
        if !TIER_KEYS.contains(&key.as_str()) {
            let pos = fm.nested_pos(KEY, &[at[0], at[1], &key], false);
            let hint = suggestion(&key, TIER_KEYS.iter().copied())
                .unwrap_or_else(|| one_of("", &TIER_KEYS.map(String::from)));
            fm.error_at(
                pos,
                Text::new(
                    format!("{} 年“{}”的要求中有未知的键“{key}”", at[0], at[1]),
                    format!(
                        "unknown key `{key}` in the requirement of `{}` in {}",
                        at[1], at[0]
                    ),
                ),
                hint,
            );
            return None;
        }
    }
    let Some(total) = map.get("hours") else {
        let pos = fm.nested_pos(KEY, at, false);
        fm.error_at(
            pos,
            Text::new(
                format!("{} 年“{}”的要求缺少总学时 hours", at[0], at[1]),
                format!("the requirement of `{}` in {} has no `hours`", at[1], at[0]),
            ),
            Text::new(
                format!("写成 {}: {{hours: 50}}", at[1]),
                format!("write {}: {{hours: 50}}", at[1]),
            ),
        );
        return None;
    };
    let total = hours(fm, at, "hours", total)?;
    let by_action = match map.get("by_action") {
        None => Vec::new(),
        Some(v) => read_by_action(fm, names, at, v)?,
    };
    Some((total, by_action))
}

fn read_by_action(
    fm: &mut FrontMatter,
    names: &Names,
    at: &[&str; 2],
    value: &Value,
) -> Option<Vec<ActionHours>> {
    let Value::Mapping(m) = value else {
        let pos = fm.nested_pos(KEY, &[at[0], at[1], "by_action"], true);
        fm.error_at(
            pos,
            Text::new(
                "by_action 应该写各培训行动的学时",
                "`by_action` should give hours per action",
            ),
            Text::new(
                "例如 by_action: {思想淬炼: 12, 专业训练: 20}",
                "e.g. by_action: {思想淬炼: 12, 专业训练: 20}",
            ),
        );
        return None;
    };
    let mut out = Vec::new();
    for (action, h) in m {
        let action = text(action);
        if !names.actions.contains(&action) {
            let pos = fm.nested_pos(KEY, &[at[0], at[1], "by_action", &action], false);
            let hint = suggestion(&action, names.actions.iter().map(String::as_str))
                .unwrap_or_else(|| one_of("actions", names.actions));
            fm.error_at(
                pos,
                Text::new(
                    format!("“{action}”不是 site.yaml 的 actions 中的培训行动"),
                    format!("`{action}` is not an action of `actions` in site.yaml"),
                ),
                hint,
            );
            return None;
        }
        let h = hours(fm, at, &action, h)?;
        out.push(ActionHours { action, hours: h });
    }
    Some(out)
}

/// A number of 学时 ≥ 0 under `key` of the tier at `at` (its own value when `key` is
/// empty).
fn hours(fm: &mut FrontMatter, at: &[&str; 2], key: &str, v: &Value) -> Option<f64> {
    let n = match v {
        Value::Number(n) => n.as_f64().filter(|n| n.is_finite()),
        _ => None,
    };
    if let Some(n) = n.filter(|n| *n >= 0.0) {
        return Some(n);
    }
    let path: Vec<&str> = if key.is_empty() {
        at.to_vec()
    } else if key == "hours" {
        vec![at[0], at[1], key]
    } else {
        vec![at[0], at[1], "by_action", key]
    };
    let pos = fm.nested_pos(KEY, &path, true);
    let raw = text(v);
    let (zh, en) = if n.is_some() {
        ("学时不能是负数", "hours cannot be negative")
    } else {
        ("学时应该是数字", "hours must be a number")
    };
    // `50学时`, `50 小时`: the number is there, with its unit.
    let digits: String = raw
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    let hint = match digits.parse::<f64>() {
        Ok(n) if n.is_finite() => Text::new(
            format!("只写数字，不带单位，例如 {n}"),
            format!("write the number alone, without a unit, e.g. {n}"),
        ),
        _ => Text::new(
            "写不小于 0 的阿拉伯数字，例如 50 或 12.5",
            "write a number of 0 or more in digits, e.g. 50 or 12.5",
        ),
    };
    fm.error_at(
        pos,
        Text::new(
            format!("{} 年“{}”的学时写的是“{raw}”：{zh}", at[0], at[1]),
            format!("the hours of `{}` in {} are `{raw}`: {en}", at[1], at[0]),
        ),
        hint,
    );
    None
}

/// A year written as a whole number from 1900 to 2999.
fn as_year(v: &Value) -> Option<i16> {
    let n = match v {
        Value::Number(n) => n.as_i64()?,
        Value::String(s) if s.len() == 4 => s.parse().ok()?,
        _ => return None,
    };
    i16::try_from(n).ok().filter(|y| (1900..=2999).contains(y))
}

/// A YAML key or value as written.
fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => serde_yaml_ng::to_string(other)
            .unwrap_or_default()
            .trim()
            .to_string(),
    }
}

fn one_of(key: &str, names: &[String]) -> Text {
    let from = if key.is_empty() {
        String::new()
    } else {
        format!("（site.yaml 的 {key}）")
    };
    Text::new(
        format!("可以写{from}：{}", names.join("、")),
        format!("allowed: {}", names.join(", ")),
    )
}

fn example() -> Text {
    Text::new(
        "例如：\nrequirements:\n  2026:\n    市直机关: {hours: 50, by_action: {思想淬炼: 12}}",
        "e.g.\nrequirements:\n  2026:\n    市直机关: {hours: 50, by_action: {思想淬炼: 12}}",
    )
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn parse(yaml: &str) -> (Requirements, Vec<String>) {
        let mut fm = FrontMatter::parse(Path::new("site.yaml"), yaml, 1).expect("valid YAML");
        let tiers = ["市直机关".to_string(), "乡镇街道".to_string()];
        let actions = ["思想淬炼".to_string(), "专业训练".to_string()];
        let names = Names {
            tiers: &tiers,
            actions: &actions,
        };
        let r = read(&mut fm, &names);
        let diags = fm
            .diags
            .iter()
            .map(|d| format!("{}:{} {}", d.line, d.column, d.message.en))
            .collect();
        (r, diags)
    }

    #[test]
    fn the_requirements_of_the_request_are_read_in_order() {
        let (r, diags) = parse(
            "requirements:\n  2026:\n    市直机关: {hours: 50, by_action: {思想淬炼: 12, 专业训练: 20}}\n    乡镇街道: {hours: 40}\n",
        );
        assert_eq!(diags, Vec::<String>::new());
        assert_eq!(r.years.len(), 1);
        let y = &r.years[0];
        assert_eq!((y.year, y.tiers.len()), (2026, 2));
        assert_eq!(y.tiers[0].hours, 50.0);
        assert_eq!(
            y.tiers[0].by_action,
            vec![
                ActionHours {
                    action: "思想淬炼".into(),
                    hours: 12.0
                },
                ActionHours {
                    action: "专业训练".into(),
                    hours: 20.0
                }
            ]
        );
        assert_eq!(
            (y.tiers[1].tier.as_str(), y.tiers[1].hours),
            ("乡镇街道", 40.0)
        );
    }

    #[test]
    fn each_mistake_is_one_message_at_its_place() {
        let (r, diags) = parse(
            "requirements:\n  2026:\n    市直机关: {hours: -5}\n    乡镇: {hours: 40}\n    乡镇街道:\n      hours: 40\n      by_action: {思想粹炼: 3}\n  二〇二七:\n    市直机关: {hours: 五十}\n",
        );
        assert_eq!(
            diags,
            vec![
                "3:19 the hours of `市直机关` in 2026 are `-5`: hours cannot be negative",
                "4:5 `乡镇` is not a tier of `levels` in site.yaml",
                "7:19 `思想粹炼` is not an action of `actions` in site.yaml",
                "8:3 `二〇二七` is not a year",
            ]
        );
        assert_eq!(r.years[0].tiers.len(), 0);
    }

    #[test]
    fn hours_that_are_not_numbers_are_said_so() {
        let (_, diags) = parse("requirements:\n  2026:\n    市直机关: {hours: 五十}\n");
        assert_eq!(
            diags,
            vec!["3:19 the hours of `市直机关` in 2026 are `五十`: hours must be a number"]
        );
    }
}
