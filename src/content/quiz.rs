//! Self-check quizzes: the YAML inside a ```` ```quiz ```` block, parsed into questions and
//! rendered as an accessible form that works without JavaScript (answers behind
//! `<details>`) and is enhanced by the theme's quiz script.

use std::fmt::Write;
use std::path::Path;

use serde_yaml_ng::Value;

use crate::content::frontmatter::{self, Block};
use crate::diagnostic::{Diagnostic, Text, suggestion};

#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// Indexes of the right options (one for single choice).
    Options(Vec<usize>),
    TrueFalse(bool),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    pub question: String,
    pub multiple: bool,
    pub options: Vec<String>,
    pub answer: Answer,
    pub explanation: String,
}

const KEYS: &[&str] = &["question", "type", "options", "answer", "explanation"];

/// Parses a quiz block. `first_line` is the file line of the block's first YAML line.
pub fn parse(path: &Path, yaml: &str, first_line: usize) -> Result<Vec<Question>, Diagnostic> {
    let lines: Vec<&str> = yaml.lines().collect();
    // A tab is the common mistake the YAML library names only in English.
    if let Some(d) = (first_line..)
        .zip(&lines)
        .find_map(|(n, line)| frontmatter::tab_error(path, line, n))
    {
        return Err(d);
    }
    let value: Value = serde_yaml_ng::from_str(yaml).map_err(|e| {
        let d = frontmatter::yaml_error_in(path, &e, first_line, yaml, Block::Quiz);
        let message = Text::new(
            format!("自测题中：{}", d.message.zh),
            format!("in the quiz: {}", d.message.en),
        );
        Diagnostic { message, ..d }
    })?;
    let Value::Sequence(items) = value else {
        return Err(Diagnostic::error(
            path,
            first_line,
            1,
            Text::new(
                "自测题应当是一个题目列表",
                "a quiz must be a list of questions",
            ),
        )
        .with_hint(Text::new(
            "每道题以“- question: 题目”开头",
            "start each question with `- question: …`",
        )));
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let at = |key: &str| {
            locate(&lines, i, key).map_or((first_line, 1), |(l, c)| (first_line + l, c))
        };
        let err = |key: &str, message: Text, hint: Text| {
            let (l, c) = at(key);
            Diagnostic::error(path, l, c, message).with_hint(hint)
        };
        let n = i + 1;
        let Value::Mapping(map) = item else {
            return Err(err(
                "",
                Text::new(
                    format!("第 {n} 题应当是“键: 值”的形式"),
                    format!("question {n} must be a mapping of keys"),
                ),
                Text::new("写成 - question: 题目", "write `- question: …`"),
            ));
        };
        for key in map.keys() {
            let k = key.as_str().unwrap_or("");
            if !KEYS.contains(&k) {
                let (l, c) = at(k);
                let hint = suggestion(k, KEYS.iter().copied()).unwrap_or_else(|| {
                    Text::new(
                        format!("可用的键：{}", KEYS.join("、")),
                        format!("keys: {}", KEYS.join(", ")),
                    )
                });
                return Err(Diagnostic::error(
                    path,
                    l,
                    c,
                    Text::new(
                        format!("第 {n} 题有未知的键“{k}”"),
                        format!("question {n}: unknown key `{k}`"),
                    ),
                )
                .with_hint(hint));
            }
        }
        let text = |key: &str| match map.get(key) {
            Some(Value::String(s)) => Some(s.trim().to_string()),
            Some(Value::Number(x)) => Some(x.to_string()),
            Some(Value::Bool(b)) => Some(b.to_string()),
            _ => None,
        };
        let question = text("question").filter(|s| !s.is_empty()).ok_or_else(|| {
            err(
                "question",
                Text::new(
                    format!("第 {n} 题缺少题目 question"),
                    format!("question {n} has no `question`"),
                ),
                Text::new("加上 question: 题目文字", "add `question: …`"),
            )
        })?;
        let kind = text("type").unwrap_or_default();
        let options: Vec<String> = match map.get("options") {
            Some(Value::Sequence(seq)) => seq
                .iter()
                .map(|v| match v {
                    Value::String(s) => s.trim().to_string(),
                    other => serde_yaml_ng::to_string(other)
                        .unwrap_or_default()
                        .trim()
                        .to_string(),
                })
                .collect(),
            None | Some(Value::Null) => Vec::new(),
            Some(_) => {
                return Err(err(
                    "options",
                    Text::new(
                        format!("第 {n} 题的 options 应当是选项列表"),
                        format!("question {n}: `options` must be a list"),
                    ),
                    Text::new(
                        "写成 options: [选项一, 选项二, 选项三]",
                        "write `options: [first, second, third]`",
                    ),
                ));
            }
        };
        let answer_value = map.get("answer").cloned().unwrap_or(Value::Null);
        let is_tf = kind == "truefalse"
            || kind == "判断"
            || (kind.is_empty() && matches!(answer_value, Value::Bool(_)));
        let answer = if is_tf {
            match answer_value {
                Value::Bool(b) => Answer::TrueFalse(b),
                Value::String(ref s) if matches!(s.as_str(), "对" | "正确" | "是") => {
                    Answer::TrueFalse(true)
                }
                Value::String(ref s) if matches!(s.as_str(), "错" | "错误" | "否") => {
                    Answer::TrueFalse(false)
                }
                _ => {
                    return Err(err(
                        "answer",
                        Text::new(
                            format!("第 {n} 题是判断题，answer 应当是 true 或 false"),
                            format!("question {n} is true/false: `answer` must be true or false"),
                        ),
                        Text::new(
                            "写成 answer: true（对）或 answer: false（错）",
                            "write `answer: true` or `answer: false`",
                        ),
                    ));
                }
            }
        } else {
            if !matches!(kind.as_str(), "" | "single" | "multiple" | "单选" | "多选") {
                return Err(err(
                    "type",
                    Text::new(
                        format!("第 {n} 题的题型“{kind}”无法识别"),
                        format!("question {n}: unknown type `{kind}`"),
                    ),
                    Text::new(
                        "type 只能是 single（单选）、multiple（多选）或 truefalse（判断）",
                        "type must be single, multiple or truefalse",
                    ),
                ));
            }
            if options.len() < 2 {
                return Err(err(
                    "options",
                    Text::new(
                        format!("第 {n} 题至少需要两个选项"),
                        format!("question {n} needs at least two options"),
                    ),
                    Text::new(
                        "写成 options: [选项一, 选项二]",
                        "write `options: [first, second]`",
                    ),
                ));
            }
            let written: Vec<&str> = match &answer_value {
                Value::String(s) => vec![s.as_str()],
                Value::Sequence(seq) => seq.iter().filter_map(Value::as_str).collect(),
                _ => Vec::new(),
            };
            // `A，C`, `[A、C]` and full-width letters typed with a Chinese input method
            // (Ｃ) mean what they say.
            let letters: Vec<String> = written
                .iter()
                .flat_map(|s| s.split([',', '，', '、', ' ', '\u{3000}']))
                .filter(|x| !x.is_empty())
                .map(half_width)
                .collect();
            let mut idx = Vec::new();
            for l in &letters {
                let l = l.trim().to_ascii_uppercase();
                let i = match l.as_bytes() {
                    [c @ b'A'..=b'Z'] => usize::from(c - b'A'),
                    _ => usize::MAX,
                };
                if i >= options.len() {
                    // At least two options are checked above.
                    let last = letter(options.len().min(26) - 1);
                    return Err(err(
                        "answer",
                        Text::new(
                            format!("第 {n} 题的答案“{l}”不是有效的选项字母"),
                            format!("question {n}: answer `{l}` is not an option letter"),
                        ),
                        Text::new(
                            format!("答案用选项字母 A–{last} 表示，多选题写成 [A, C]"),
                            format!("use option letters A–{last}; multiple choice: [A, C]"),
                        ),
                    ));
                }
                idx.push(i);
            }
            idx.sort_unstable();
            idx.dedup();
            if idx.is_empty() {
                return Err(err(
                    "answer",
                    Text::new(
                        format!("第 {n} 题缺少答案 answer"),
                        format!("question {n} has no `answer`"),
                    ),
                    Text::new(
                        "单选写 answer: A，多选写 answer: [A, C]",
                        "single choice: `answer: A`; multiple: `answer: [A, C]`",
                    ),
                ));
            }
            let explicitly_single = kind == "single" || kind == "单选";
            if explicitly_single && idx.len() > 1 {
                return Err(err(
                    "answer",
                    Text::new(
                        format!("第 {n} 题是单选题，却给了多个答案"),
                        format!("question {n} is single choice but has several answers"),
                    ),
                    Text::new(
                        "改成 type: multiple，或只保留一个答案",
                        "set `type: multiple` or keep one answer",
                    ),
                ));
            }
            Answer::Options(idx)
        };
        let multiple = matches!(&answer, Answer::Options(v) if v.len() > 1)
            || kind == "multiple"
            || kind == "多选";
        out.push(Question {
            question,
            multiple,
            options: if is_tf { Vec::new() } else { options },
            answer,
            explanation: text("explanation").unwrap_or_default(),
        });
    }
    if out.is_empty() {
        return Err(Diagnostic::error(
            path,
            first_line,
            1,
            Text::new("自测题是空的", "the quiz has no questions"),
        )
        .with_hint(Text::new(
            "至少写一道题：- question: 题目",
            "add at least one `- question: …`",
        )));
    }
    Ok(out)
}

/// Full-width letters and digits (Ｃ, ａ) as ASCII.
fn half_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'Ａ'..='Ｚ' | 'ａ'..='ｚ' | '０'..='９' => {
                char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
            }
            c => c,
        })
        .collect()
}

/// Finds the line (0-based within the block) and column of `key` in the `index`-th item.
fn locate(lines: &[&str], index: usize, key: &str) -> Option<(usize, usize)> {
    let mut item = None;
    let mut count = 0;
    for (i, line) in lines.iter().enumerate() {
        if line.starts_with('-') {
            if count == index {
                item = Some(i);
            } else if item.is_some() {
                break;
            }
            count += 1;
        }
        if let Some(start) = item {
            if key.is_empty() {
                return Some((start, 1));
            }
            let trimmed = line.trim_start_matches(['-', ' ']);
            if trimmed.starts_with(&format!("{key}:")) {
                let col = line.len() - trimmed.len() + 1;
                return Some((i, col));
            }
        }
    }
    item.map(|i| (i, 1))
}

use super::markdown::BodyWords;

fn esc(s: &str) -> String {
    crate::diagnostic::escape_html(s)
}

/// The quiz as HTML. `n` numbers the quizzes of a page from 1.
pub(crate) fn render(questions: &[Question], n: usize, words: &BodyWords) -> String {
    let id = format!("quiz-{n}");
    let mut h = String::new();
    let _ = write!(
        h,
        "<section class=\"quiz\" id=\"{id}\" data-quiz-id=\"{id}\" aria-labelledby=\"{id}-title\">\
         <h2 class=\"quiz-title\" id=\"{id}-title\">{}</h2><form class=\"quiz-form\" novalidate>",
        esc(&words.quiz_title)
    );
    for (qi, q) in questions.iter().enumerate() {
        let qn = qi + 1;
        let shown = esc(&shown_answer(q, words));
        let (ty, data_answer) = match &q.answer {
            Answer::TrueFalse(b) => ("truefalse", b.to_string()),
            Answer::Options(v) => (
                if q.multiple { "multiple" } else { "single" },
                v.iter().map(usize::to_string).collect::<Vec<_>>().join(","),
            ),
        };
        let _ = write!(
            h,
            "<fieldset class=\"quiz-q\" data-type=\"{ty}\" data-answer=\"{data_answer}\">\
             <legend><span class=\"quiz-num\">{qn}.</span> {}{}</legend>",
            esc(&q.question),
            if q.multiple {
                esc(&words.quiz_multiple)
            } else {
                String::new()
            }
        );
        let input = if q.multiple { "checkbox" } else { "radio" };
        match &q.answer {
            Answer::TrueFalse(_) => {
                for (value, label) in [("true", &words.quiz_true), ("false", &words.quiz_false)] {
                    let _ = write!(
                        h,
                        "<label class=\"quiz-opt\"><input type=\"radio\" name=\"{id}-{qn}\" value=\"{value}\"> {}</label>",
                        esc(label)
                    );
                }
            }
            Answer::Options(_) => {
                for (oi, opt) in q.options.iter().enumerate() {
                    let _ = write!(
                        h,
                        "<label class=\"quiz-opt\"><input type=\"{input}\" name=\"{id}-{qn}\" value=\"{oi}\"> {}. {}</label>",
                        letter(oi),
                        esc(opt)
                    );
                }
            }
        }
        let _ = write!(
            h,
            "<details class=\"quiz-answer\"><summary>{}</summary><p>{}：{shown}</p>",
            esc(&words.quiz_show_answer),
            esc(&words.quiz_right_answer)
        );
        if !q.explanation.is_empty() {
            let _ = write!(
                h,
                "<p class=\"quiz-explanation\">{}</p>",
                esc(&q.explanation)
            );
        }
        h.push_str("</details><p class=\"quiz-feedback\" aria-live=\"polite\"></p></fieldset>");
    }
    let _ = write!(
        h,
        "<div class=\"quiz-actions\"><button type=\"submit\" class=\"quiz-check\" hidden>{}</button> \
         <button type=\"button\" class=\"quiz-retry\" hidden>{}</button></div>\
         <p class=\"quiz-score\" aria-live=\"polite\"></p></form></section>",
        esc(&words.quiz_check),
        esc(&words.quiz_retry)
    );
    h
}

/// The right answer as a reader sees it: `对`, `B` or `A、C`.
pub(crate) fn shown_answer(q: &Question, words: &BodyWords) -> String {
    match &q.answer {
        Answer::TrueFalse(b) => if *b {
            &words.quiz_true
        } else {
            &words.quiz_false
        }
        .clone(),
        Answer::Options(v) => v.iter().map(|&i| letter(i)).collect::<Vec<_>>().join("、"),
    }
}

/// One line of a printed answer key: the quiz (from 1) and question (from 1) it answers.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct KeyEntry {
    pub quiz: usize,
    pub question: usize,
    pub answer: String,
    pub explanation: String,
}

/// The answer key of quiz `n`, which printouts give at their end rather than beside the
/// questions, so that a printed quiz can still be done.
pub(crate) fn answer_key(questions: &[Question], n: usize, words: &BodyWords) -> Vec<KeyEntry> {
    (1..)
        .zip(questions)
        .map(|(question, q)| KeyEntry {
            quiz: n,
            question,
            answer: shown_answer(q, words),
            explanation: q.explanation.clone(),
        })
        .collect()
}

pub(crate) fn letter(i: usize) -> String {
    char::from(b'A' + u8::try_from(i % 26).expect("below 26")).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p() -> &'static Path {
        Path::new("content/courses/c/01.md")
    }

    #[test]
    fn single_multiple_and_truefalse_questions_parse() {
        let qs = parse(
            p(),
            "- question: 一\n  options: [甲, 乙, 丙]\n  answer: B\n  explanation: 因为\n\
             - question: 二\n  type: multiple\n  options: [甲, 乙, 丙]\n  answer: [A, C]\n\
             - question: 三\n  type: truefalse\n  answer: false\n",
            10,
        )
        .unwrap();
        assert_eq!(qs.len(), 3);
        assert_eq!(qs[0].answer, Answer::Options(vec![1]));
        assert!(!qs[0].multiple);
        assert_eq!(qs[1].answer, Answer::Options(vec![0, 2]));
        assert!(qs[1].multiple);
        assert_eq!(qs[2].answer, Answer::TrueFalse(false));
    }

    #[test]
    fn full_width_answer_letters_are_read_as_written() {
        let qs = parse(
            p(),
            "- question: 一\n  options: [甲, 乙, 丙]\n  answer: Ｃ\n\
             - question: 二\n  options: [甲, 乙, 丙]\n  answer: [Ａ，ｃ]\n",
            10,
        )
        .unwrap();
        assert_eq!(qs[0].answer, Answer::Options(vec![2]));
        assert_eq!(qs[1].answer, Answer::Options(vec![0, 2]));
        assert!(qs[1].multiple);
    }

    #[test]
    fn yaml_mistakes_in_a_quiz_are_said_in_chinese() {
        for yaml in [
            "- question: 一\n\toptions: [甲, 乙]\n",
            "- question: 一\n  options: [甲, 乙\n  answer: A\n",
            "- question: 一\n options: x\n  answer: A\n",
        ] {
            let d = parse(p(), yaml, 10).unwrap_err();
            // No English words (the library says "found a tab character that …").
            let english = d
                .message
                .zh
                .split(|c: char| !c.is_ascii_lowercase())
                .any(|w| w.len() >= 4);
            assert!(!english, "{yaml:?}: {}", d.message.zh);
            assert!(d.line >= 10, "{yaml:?}: {d:?}");
        }
    }

    #[test]
    fn answer_outside_the_options_points_at_its_line() {
        let d = parse(
            p(),
            "- question: 一\n  options: [甲, 乙]\n  answer: D\n",
            10,
        )
        .unwrap_err();
        assert_eq!((d.line, d.column), (12, 3));
        assert!(d.message.zh.contains("D"));
    }

    #[test]
    fn unknown_key_in_a_question_suggests_the_right_one() {
        let d = parse(p(), "- question: 一\n  options: [甲, 乙]\n  anwser: A\n", 5).unwrap_err();
        assert_eq!(d.line, 7);
        assert!(d.hint.en.contains("answer"));
    }

    #[test]
    fn yaml_syntax_error_is_reported_inside_the_markdown_file() {
        let d = parse(p(), "- question: 一\n  options: [甲, 乙\n", 20).unwrap_err();
        assert!(d.line >= 21, "{d:?}");
    }

    #[test]
    fn single_choice_with_two_answers_is_an_error() {
        let d = parse(
            p(),
            "- question: 一\n  type: single\n  options: [甲, 乙]\n  answer: [A, B]\n",
            1,
        )
        .unwrap_err();
        assert!(d.message.en.contains("single choice"));
    }

    #[test]
    fn rendered_quiz_escapes_text_and_reveals_answers_in_details() {
        let qs = parse(
            p(),
            "- question: \"<script>x</script>\"\n  options: [甲, 乙]\n  answer: A\n",
            1,
        )
        .unwrap();
        let html = render(&qs, 1, &BodyWords::default());
        assert!(!html.contains("<script>"));
        assert!(html.contains("<details class=\"quiz-answer\">"));
        assert!(html.contains("data-answer=\"0\""));
        assert!(html.contains(">自测练习</h2>"), "{html}");
    }

    #[test]
    fn a_quiz_speaks_the_words_of_the_theme() {
        let qs = parse(
            p(),
            "- question: 甲\n  type: truefalse\n  answer: 对\n- question: 乙\n  type: multiple\n  options: [a, b]\n  answer: [A, B]\n",
            1,
        )
        .unwrap();
        let words = BodyWords {
            quiz_title: "Self-test".into(),
            quiz_show_answer: "Show answer".into(),
            quiz_right_answer: "Answer".into(),
            quiz_check: "Check".into(),
            quiz_retry: "Again".into(),
            quiz_multiple: " (several)".into(),
            quiz_true: "True".into(),
            quiz_false: "False & <no>".into(),
            ..BodyWords::default()
        };
        let html = render(&qs, 1, &words);
        for shown in [
            ">Self-test</h2>",
            "<summary>Show answer</summary><p>Answer：True</p>",
            "> False &amp; &lt;no&gt;</label>",
            "乙 (several)</legend>",
            "hidden>Check</button>",
            "hidden>Again</button>",
        ] {
            assert!(html.contains(shown), "{shown} not in {html}");
        }
        for default in [
            "自测练习",
            "查看答案",
            "检查答案",
            "重做",
            "多选",
            "对",
            "错",
        ] {
            assert!(!html.contains(default), "{default} in {html}");
        }
    }
}
