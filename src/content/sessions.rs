//! The `sessions` key of a repeating lecture: who speaks on which date, and on what.
//!
//! ```yaml
//! repeat: {every: month, week_of_month: 3, weekday: 周四, count: 4}
//! sessions:
//!   - date: 2026-12-17
//!     speaker: 胡晓燕
//!     speaker_title: 市财政局局长
//!     unit: 市财政局
//!     topic: 财政资金绩效管理的“账”怎么算
//! ```
//!
//! A list, one item per session that has its own speaker or topic, each naming its
//! `date` (one of the series' dates). A list of rows reads like the rota table editors
//! used to write by hand, and a session without an item keeps the lecture's own values.
//! `speaker_title` belongs to the session's speaker: without a `speaker` of its own,
//! a session takes the lecture's speaker and title both; `unit` is the speaking unit
//! (主讲单位), beside the lecture's organiser.

use jiff::civil::Date;
use serde_yaml_ng::Value;

use crate::diagnostic::{Text, suggestion};
use crate::recurrence::show;

const KEYS: &[&str] = &["date", "speaker", "speaker_title", "unit", "topic"];

/// One session's own values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionNote {
    pub date: Date,
    pub speaker: Option<String>,
    pub speaker_title: String,
    pub unit: Option<String>,
    pub topic: String,
}

/// Where a mistake is: the whole value, an item (by index), or a key of an item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Spot {
    Value,
    Item(usize),
    /// The key itself (an unknown key) or, with `value`, what follows it.
    Key {
        item: usize,
        key: String,
        value: bool,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SessionError {
    pub(crate) spot: Spot,
    pub(crate) message: Text,
    pub(crate) hint: Text,
}

fn error(spot: Spot, message: Text, hint: Text) -> SessionError {
    SessionError {
        spot,
        message,
        hint,
    }
}

/// Reads `sessions` against `dates`, the series' session dates in order. Every
/// mistake is reported, one error each; the notes are those read without one.
pub(crate) fn parse(value: &Value, dates: &[Date]) -> (Vec<SessionNote>, Vec<SessionError>) {
    let Value::Sequence(items) = value else {
        let e = error(
            Spot::Value,
            Text::new(
                format!(
                    "sessions 应是一个列表（每场一项），而不是{}",
                    show(value).zh
                ),
                format!(
                    "sessions must be a list (one item per session), not {}",
                    show(value).en
                ),
            ),
            Text::new(
                "每场写一项，以“- date:”开头，例如：\n  sessions:\n    - date: 2026-12-17\n      speaker: 张三\n      topic: 题目",
                "write one item per session, starting with `- date:`, e.g.\n  sessions:\n    - date: 2026-12-17\n      speaker: Zhang San\n      topic: the topic",
            ),
        );
        return (Vec::new(), vec![e]);
    };
    let mut notes: Vec<SessionNote> = Vec::new();
    let mut errors = Vec::new();
    for (n, item) in items.iter().enumerate() {
        match read_item(n, item, dates) {
            Ok(note) if notes.iter().any(|x| x.date == note.date) => errors.push(error(
                Spot::Key {
                    item: n,
                    key: "date".into(),
                    value: true,
                },
                Text::new(
                    format!("sessions 中 {} 这一场写了两次", note.date),
                    format!("the session of {} is listed twice in sessions", note.date),
                ),
                Text::new(
                    "把两项合成一项，或改正其中一项的日期",
                    "merge the two items, or correct the date of one",
                ),
            )),
            Ok(note) => notes.push(note),
            Err(mut e) => errors.append(&mut e),
        }
    }
    notes.sort_by_key(|x| x.date);
    (notes, errors)
}

fn read_item(n: usize, item: &Value, dates: &[Date]) -> Result<SessionNote, Vec<SessionError>> {
    let Value::Mapping(map) = item else {
        return Err(vec![error(
            Spot::Item(n),
            Text::new(
                format!(
                    "sessions 的第 {} 项应是一组“键: 值”，而不是{}",
                    n + 1,
                    show(item).zh
                ),
                format!(
                    "item {} of sessions must be `key: value` lines, not {}",
                    n + 1,
                    show(item).en
                ),
            ),
            Text::new(
                "写成“- date: 2026-12-17”，下一行缩进写 speaker:、topic: 等",
                "write `- date: 2026-12-17` and, indented below it, speaker:, topic: and so on",
            ),
        )]);
    };
    let mut errors = Vec::new();
    let mut text = |key: &str| -> Option<String> {
        let v = map.get(key)?;
        match v {
            Value::String(s) => Some(s.trim().to_string()),
            Value::Number(x) => Some(x.to_string()),
            Value::Null => None,
            other => {
                errors.push(wrong_type(n, key, other));
                None
            }
        }
    };
    let date_raw = text("date");
    let speaker = text("speaker").filter(|s| !s.is_empty());
    let speaker_title = text("speaker_title").unwrap_or_default();
    let unit = text("unit").filter(|s| !s.is_empty());
    let topic = text("topic").unwrap_or_default();
    for key in map.keys() {
        let name = key.as_str().map_or_else(|| show(key).en, str::to_string);
        if !KEYS.contains(&name.as_str()) {
            errors.push(unknown_key(n, &name));
        }
    }
    let date = match date_raw {
        None if !map.contains_key("date") || map.get("date").is_some_and(Value::is_null) => {
            errors.push(error(
                Spot::Item(n),
                Text::new(
                    format!("sessions 的第 {} 项没有写 date（哪一天的讲座）", n + 1),
                    format!(
                        "item {} of sessions has no date (which session it is)",
                        n + 1
                    ),
                ),
                Text::new(
                    "在这一项的开头写上 date: 2026-12-17（须是这个系列的日期）",
                    "begin the item with date: 2026-12-17 (a date of this series)",
                ),
            ));
            None
        }
        None => None,
        Some(raw) => match crate::content::frontmatter::parse_date(&raw) {
            None => {
                errors.push(bad_date(n, &raw));
                None
            }
            Some(d) if !dates.contains(&d) => {
                errors.push(not_a_session(n, d, dates));
                None
            }
            Some(d) => Some(d),
        },
    };
    if speaker.is_none() && topic.is_empty() && errors.is_empty() {
        errors.push(error(
            Spot::Item(n),
            Text::new(
                format!("sessions 的第 {} 项既没有 speaker 也没有 topic", n + 1),
                format!("item {} of sessions has neither speaker nor topic", n + 1),
            ),
            Text::new(
                "写上这一场的主讲人（speaker）或题目（topic），或删除这一项",
                "give the session's speaker or topic, or remove the item",
            ),
        ));
    }
    match date {
        Some(date) if errors.is_empty() => Ok(SessionNote {
            date,
            speaker,
            speaker_title,
            unit,
            topic,
        }),
        _ => Err(errors),
    }
}

fn at_value(n: usize, key: &str) -> Spot {
    Spot::Key {
        item: n,
        key: key.to_string(),
        value: true,
    }
}

fn wrong_type(n: usize, key: &str, v: &Value) -> SessionError {
    error(
        at_value(n, key),
        Text::new(
            format!("sessions 中的 {key} 应是一段文字，而不是{}", show(v).zh),
            format!("{key} in sessions must be text, not {}", show(v).en),
        ),
        Text::new(
            format!("写成 {key}: 文字；一场有几位主讲人时写在一起，如“张三、李四”"),
            format!(
                "write {key}: text; several speakers of one session go together, e.g. `Zhang San, Li Si`"
            ),
        ),
    )
}

fn unknown_key(n: usize, key: &str) -> SessionError {
    let guess = match key {
        "主讲人" | "主讲" | "speakers" | "lecturer" => Some(Text::new(
            "是不是要写“speaker”？",
            "did you mean `speaker`?",
        )),
        "题目" | "title" | "subject" => {
            Some(Text::new("是不是要写“topic”？", "did you mean `topic`?"))
        }
        "日期" | "day" | "when" => Some(Text::new("是不是要写“date”？", "did you mean `date`?")),
        _ => suggestion(key, KEYS.iter().copied()),
    };
    let keys = Text::new(
        format!("每场可写的键：{}", KEYS.join("、")),
        format!("a session may have: {}", KEYS.join(", ")),
    );
    let hint = guess.map_or(keys.clone(), |g| {
        Text::new(
            format!("{}{}", g.zh, keys.zh),
            format!("{} {}", g.en, keys.en),
        )
    });
    error(
        Spot::Key {
            item: n,
            key: key.to_string(),
            value: false,
        },
        Text::new(
            format!("sessions 中有未知的键“{key}”"),
            format!("unknown key `{key}` in sessions"),
        ),
        hint,
    )
}

fn bad_date(n: usize, raw: &str) -> SessionError {
    error(
        at_value(n, "date"),
        Text::new(
            format!("sessions 中的日期“{raw}”无法识别"),
            format!("the date `{raw}` in sessions cannot be read"),
        ),
        Text::new(
            "日期写作 2026-12-17（年-月-日，且须是真实存在的日期）",
            "write dates as 2026-12-17 (year-month-day, and a real date)",
        ),
    )
}

fn not_a_session(n: usize, d: Date, dates: &[Date]) -> SessionError {
    let before = dates.iter().rfind(|x| **x < d);
    let after = dates.iter().find(|x| **x > d);
    let near: Vec<String> = before
        .into_iter()
        .chain(after)
        .map(Date::to_string)
        .collect();
    error(
        at_value(n, "date"),
        Text::new(
            format!("{d} 不是这个系列的讲座日期"),
            format!("{d} is not a date of this series"),
        ),
        Text::new(
            format!(
                "最接近的日期是 {}；请改成其中之一（日期由 repeat 决定，已被 except 去掉的日期也不算）",
                near.join(" 和 ")
            ),
            format!(
                "the nearest dates are {}; use one of them (repeat gives the dates, and those its except removes do not count)",
                near.join(" and ")
            ),
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(s: &str) -> Value {
        serde_yaml_ng::from_str(s).expect("test YAML")
    }

    fn dates() -> Vec<Date> {
        ["2026-12-17", "2027-01-21", "2027-02-18"]
            .iter()
            .map(|d| d.parse().expect("a date"))
            .collect()
    }

    #[test]
    fn a_session_gets_its_speaker_and_topic() {
        let (notes, errors) = parse(
            &yaml(
                "- date: 2027-01-21\n  speaker: 张海涛\n  unit: 市数据局\n  topic: 用数据改进决策\n",
            ),
            &dates(),
        );
        assert_eq!(errors, []);
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].date.to_string(), "2027-01-21");
        assert_eq!(notes[0].speaker.as_deref(), Some("张海涛"));
        assert_eq!(notes[0].unit.as_deref(), Some("市数据局"));
        assert_eq!(notes[0].topic, "用数据改进决策");
    }

    #[test]
    fn each_mistake_is_one_error_at_its_key() {
        let (notes, errors) = parse(
            &yaml(
                "- date: 2027-01-22\n  speaker: 甲\n- date: 2026-12-17\n  speeker: 乙\n- date: 2027-02-18\n  topic: [a, b]\n- date: 2026-12-17\n  topic: 又一次\n",
            ),
            &dates(),
        );
        let spots: Vec<Spot> = errors.iter().map(|e| e.spot.clone()).collect();
        assert_eq!(
            spots,
            [
                at_value(0, "date"),
                Spot::Key {
                    item: 1,
                    key: "speeker".into(),
                    value: false
                },
                at_value(2, "topic"),
            ]
        );
        assert!(errors[0].hint.zh.contains("2027-01-21 和 2027-02-18"));
        assert!(errors[1].hint.en.contains("did you mean `speaker`?"));
        // The fourth names 2026-12-17 again, after the second's mistake kept it out.
        assert_eq!(notes.len(), 1);
    }

    #[test]
    fn a_date_twice_is_reported_at_the_second() {
        let (_, errors) = parse(
            &yaml("- date: 2026-12-17\n  topic: 甲\n- date: 2026-12-17\n  topic: 乙\n"),
            &dates(),
        );
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].spot, at_value(1, "date"));
    }

    #[test]
    fn not_a_list_is_one_error() {
        let (_, errors) = parse(&yaml("{date: 2026-12-17}"), &dates());
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].spot, Spot::Value);
    }
}
