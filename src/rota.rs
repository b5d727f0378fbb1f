//! `rota:` in `site.yaml`: which units are expected to lecture in a series, year by
//! year (随州大讲堂 is given by each unit's head in turn).
//!
//! ```yaml
//! rota:
//!   随州大讲堂:
//!     2026: [市发改委, 市财政局, 随县]
//! ```
//!
//! Read with the place of every unit's name, so that a unit the content never names can
//! be reported at its place in `site.yaml` once the content is known
//! ([`unknown_units`], called by the model).

use std::path::PathBuf;

use serde_yaml_ng::Value;

use crate::content::frontmatter::{FrontMatter, find_item};
use crate::diagnostic::{Diagnostic, Text, suggestion};

/// The rota of every series that has one, in the order `site.yaml` gives them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Rota {
    pub series: Vec<SeriesRota>,
    /// Where the rota is written, for the warnings given once the content is known.
    pub path: PathBuf,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SeriesRota {
    pub name: String,
    /// In the order written.
    pub years: Vec<YearRota>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct YearRota {
    pub year: i16,
    pub units: Vec<RotaUnit>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RotaUnit {
    pub name: String,
    /// Line and column of the name in `site.yaml`.
    pub pos: (usize, usize),
}

/// Reads `rota:` against the site's `series`. Every mistake is reported at its place,
/// one message each; what was read without one is kept.
pub(crate) fn read(fm: &mut FrontMatter, series: &[String]) -> Rota {
    let mut rota = Rota {
        series: Vec::new(),
        path: fm.path.clone(),
    };
    let Some(value) = fm.get("rota").cloned() else {
        return rota;
    };
    let lines = Lines(
        fm.block_lines("rota")
            .into_iter()
            .map(|(n, t)| (n, t.to_string()))
            .collect(),
    );
    let Value::Mapping(map) = value else {
        fm.error_at(fm.value_pos("rota"), not_a_table(), table_hint());
        return rota;
    };
    for (name, years) in map {
        let name = text(&name);
        let at = lines.key(0, &name);
        let pos = at.map_or_else(|| fm.value_pos("rota"), |i| lines.pos(i, &name));
        if !series.contains(&name) {
            fm.error_at(pos, unknown_series(&name), series_hint(&name, series));
            continue;
        }
        let Value::Mapping(years) = years else {
            fm.error_at(pos, years_not_a_table(&name), table_hint());
            continue;
        };
        let mut read = SeriesRota {
            name: name.clone(),
            years: Vec::new(),
        };
        for (year, units) in years {
            let written = text(&year);
            let line = at.and_then(|i| lines.key(i, &written));
            let pos = line.map_or(pos, |i| lines.pos(i, &written));
            let Some(year) = as_year(&year) else {
                fm.error_at(pos, not_a_year(&name, &written), year_hint());
                continue;
            };
            let Value::Sequence(items) = units else {
                fm.error_at(pos, not_a_list(&name, year), list_hint(year));
                continue;
            };
            let units = read_units(fm, &items, |unit| {
                line.and_then(|i| lines.find(i, unit)).unwrap_or(pos)
            });
            read.years.push(YearRota { year, units });
        }
        rota.series.push(read);
    }
    rota
}

/// The units of one year: each a name, none twice (a second mention is reported).
fn read_units(
    fm: &mut FrontMatter,
    items: &[Value],
    place: impl Fn(&str) -> (usize, usize),
) -> Vec<RotaUnit> {
    let mut units: Vec<RotaUnit> = Vec::new();
    for item in items {
        let name = text(item).trim().to_string();
        let pos = place(&name);
        if name.is_empty() || matches!(item, Value::Mapping(_) | Value::Sequence(_)) {
            fm.error_at(
                pos,
                Text::new(
                    "rota 的名单里每一项应是一个单位名称",
                    "each item of a rota's list must be the name of a unit",
                ),
                Text::new(
                    "写成 [市发改委, 市财政局]，或每行一个“- 单位名称”",
                    "write [Unit A, Unit B], or one `- unit name` a line",
                ),
            );
            continue;
        }
        if units.iter().any(|u| u.name == name) {
            fm.error_at(
                pos,
                Text::new(
                    format!("“{name}”在这一年的名单里写了两次"),
                    format!("`{name}` is listed twice for this year"),
                ),
                Text::new("删掉其中一个", "remove one of them"),
            );
            continue;
        }
        units.push(RotaUnit { name, pos });
    }
    units
}

/// A YAML key or item as text (numbers as written).
fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => String::new(),
        other => serde_yaml_ng::to_string(other)
            .unwrap_or_default()
            .trim()
            .to_string(),
    }
}

/// A year written as a number (`2026:`) or as four digits in quotes (`"2026":`).
fn as_year(v: &Value) -> Option<i16> {
    let n = match v {
        Value::Number(n) => n.as_i64()?,
        Value::String(s) if s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()) => {
            s.parse().ok()?
        }
        _ => return None,
    };
    (1900..=2200)
        .contains(&n)
        .then(|| i16::try_from(n).ok())
        .flatten()
}

/// The rota's units that no page names as a unit: a warning each, at its place in
/// `site.yaml`, with the closest unit the content names. A typo here would show the
/// unit as never having lectured.
pub(crate) fn unknown_units<'a>(
    rota: &Rota,
    known: impl Fn(&str) -> bool,
    names: impl Iterator<Item = &'a str> + Clone,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for s in &rota.series {
        for y in &s.years {
            for u in y.units.iter().filter(|u| !known(&u.name)) {
                let guess = suggestion(&u.name, names.clone()).unwrap_or_default();
                out.push(
                    Diagnostic::warning(
                        &rota.path,
                        u.pos.0,
                        u.pos.1,
                        Text::new(
                            format!("{}轮讲名单中的“{}”在内容中从未出现", s.name, u.name),
                            format!(
                                "`{}` in the rota of {} appears nowhere in the content",
                                u.name, s.name
                            ),
                        ),
                    )
                    .with_len(u.name.chars().count())
                    .with_hint(Text::new(
                        format!(
                            "{}单位名称要和讲座、课程、案例的 unit 写法完全一致；还没有任何内容的单位可以不改",
                            guess.zh
                        ),
                        format!(
                            "{}{}he name must be written as the `unit` of lectures, courses and cases; a unit with no content yet may stay",
                            guess.en,
                            if guess.en.is_empty() { "T" } else { " T" },
                        ),
                    )),
                );
            }
        }
    }
    out
}

/// The lines of `rota:`'s block with their numbers in the file, to find where a name
/// nested in it is written.
struct Lines(Vec<(usize, String)>);

impl Lines {
    /// The line, among those indented under line `parent`, that starts with `key:`
    /// (quoted or not).
    fn key(&self, parent: usize, key: &str) -> Option<usize> {
        self.children(parent).find(|&i| {
            let t = self.0[i].1.trim_start().trim_start_matches(['"', '\'']);
            t.strip_prefix(key).is_some_and(|rest| {
                rest.trim_start_matches(['"', '\''])
                    .trim_start()
                    .starts_with(':')
            })
        })
    }

    /// Where `needle` is written on line `i` (its first character), else the line's
    /// first character.
    fn pos(&self, i: usize, needle: &str) -> (usize, usize) {
        let (n, text) = &self.0[i];
        let at = find_item(text, needle).unwrap_or(text.len() - text.trim_start().len());
        (*n, text[..at].chars().count() + 1)
    }

    /// Where item `needle` is written: after the colon of line `i`, or on a line
    /// indented under it.
    fn find(&self, i: usize, needle: &str) -> Option<(usize, usize)> {
        let (n, text) = &self.0[i];
        let colon = text.find(':').map_or(0, |c| c + 1);
        if let Some(at) = find_item(&text[colon..], needle) {
            return Some((*n, text[..colon + at].chars().count() + 1));
        }
        self.children(i)
            .find(|&k| find_item(&self.0[k].1, needle).is_some())
            .map(|k| self.pos(k, needle))
    }

    /// The lines indented deeper than line `parent`, up to the next that is not.
    fn children(&self, parent: usize) -> impl Iterator<Item = usize> + '_ {
        let indent = |t: &str| t.len() - t.trim_start().len();
        let depth = self.0.get(parent).map_or(0, |(_, t)| indent(t));
        (parent + 1..self.0.len())
            .take_while(move |&i| {
                let t = &self.0[i].1;
                t.trim().is_empty() || indent(t) > depth
            })
            .filter(move |&i| !self.0[i].1.trim().is_empty())
    }
}

fn not_a_table() -> Text {
    Text::new(
        "rota 应是“讲座系列: 各年度的单位名单”的对照表",
        "`rota` should be a table of `series: lists of units by year`",
    )
}

fn table_hint() -> Text {
    Text::new(
        "例如：\nrota:\n  随州大讲堂:\n    2026: [市发改委, 市财政局]",
        "e.g.\nrota:\n  随州大讲堂:\n    2026: [Unit A, Unit B]",
    )
}

fn years_not_a_table(series: &str) -> Text {
    Text::new(
        format!("rota 中“{series}”下应按年度写单位名单"),
        format!("under `{series}` in `rota`, write the lists of units by year"),
    )
}

fn unknown_series(name: &str) -> Text {
    Text::new(
        format!("rota 中的讲座系列“{name}”不在 site.yaml 的 series 中"),
        format!("the series `{name}` in `rota` is not one of `series` in site.yaml"),
    )
}

fn series_hint(name: &str, series: &[String]) -> Text {
    let guess = suggestion(name, series.iter().map(String::as_str)).unwrap_or_default();
    Text::new(
        format!("{}可选的讲座系列：{}", guess.zh, series.join("、")),
        format!(
            "{}{}he series in site.yaml: {}",
            guess.en,
            if guess.en.is_empty() { "T" } else { " T" },
            series.join(", ")
        ),
    )
}

fn not_a_year(series: &str, written: &str) -> Text {
    Text::new(
        format!("rota 中“{series}”下的“{written}”不是年份"),
        format!("`{written}` under `{series}` in `rota` is not a year"),
    )
}

fn year_hint() -> Text {
    Text::new(
        "年份只写四位数字，例如 2026: [市发改委, 市财政局]",
        "write the year as four digits, e.g. 2026: [Unit A, Unit B]",
    )
}

fn not_a_list(series: &str, year: i16) -> Text {
    Text::new(
        format!("rota 中“{series}”{year} 年的名单应是一个列表"),
        format!("the {year} list of `{series}` in `rota` must be a list"),
    )
}

fn list_hint(year: i16) -> Text {
    Text::new(
        format!("写成 {year}: [市发改委, 市财政局]（方括号、逗号分隔），或每行一个“- 单位名称”"),
        format!(
            "write {year}: [Unit A, Unit B] (square brackets, commas), or one `- unit name` a line"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn read_yaml(yaml: &str) -> (Rota, Vec<Diagnostic>) {
        let mut fm = FrontMatter::parse(Path::new("site.yaml"), yaml, 1).expect("yaml");
        let series = ["随州大讲堂".to_string(), "周周学".to_string()];
        let rota = read(&mut fm, &series);
        (rota, fm.diags)
    }

    #[test]
    fn units_are_read_with_their_places() {
        let (rota, diags) = read_yaml(
            "title: x\nrota:\n  随州大讲堂:\n    2026: [市发改委, 随县]\n    \"2027\":\n      - 曾都区\n",
        );
        assert!(diags.is_empty(), "{diags:?}");
        let years = &rota.series[0].years;
        assert_eq!(years[0].year, 2026);
        assert_eq!(years[0].units[1].name, "随县");
        assert_eq!(years[0].units[1].pos, (4, 18));
        assert_eq!(years[1].year, 2027);
        assert_eq!(years[1].units[0].pos, (6, 9));
    }

    #[test]
    fn each_mistake_is_one_error_at_its_place() {
        let (rota, diags) = read_yaml(
            "rota:\n  随州大讲坛:\n    2026: [a]\n  周周学:\n    明年: [a]\n    2026: 市发改委, 随县\n",
        );
        let at: Vec<(usize, usize)> = diags.iter().map(|d| (d.line, d.column)).collect();
        assert_eq!(at, [(2, 3), (5, 5), (6, 5)]);
        assert!(
            diags[0].hint.zh.contains("随州大讲堂"),
            "{:?}",
            diags[0].hint
        );
        assert!(rota.series[0].years.is_empty());
    }

    #[test]
    fn an_unknown_unit_is_a_warning_with_the_closest_name() {
        let (rota, _) = read_yaml("rota:\n  随州大讲堂:\n    2026: [市发该委]\n");
        let names = ["市发改委", "随县"];
        let w = unknown_units(&rota, |n| names.contains(&n), names.iter().copied());
        assert_eq!(w.len(), 1);
        assert_eq!((w[0].line, w[0].column), (3, 12));
        assert!(w[0].hint.zh.contains("市发改委"));
    }
}
