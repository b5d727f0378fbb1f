//! User-facing problems with the content: where (path:line:column), what is wrong and how
//! to fix it, in Chinese and English. Internal bugs are not diagnostics; everything an
//! editor wrote that we cannot use is.

use std::collections::HashMap;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Element, Group, Level, Renderer, Snippet};

/// The language of messages printed to the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

/// Text for the user in both languages, the printer picks one: every diagnostic,
/// hint and message of the command line and the dev server is carried in this type.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Text {
    pub zh: String,
    pub en: String,
}

impl Text {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Text {
            zh: zh.into(),
            en: en.into(),
        }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }

    /// The text in one language, owned.
    pub fn into_lang(self, lang: Lang) -> String {
        match lang {
            Lang::Zh => self.zh,
            Lang::En => self.en,
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.zh.is_empty() && self.en.is_empty()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Severity {
    Error,
    Warning,
}

/// One problem found in the site's files. `line` and `column` are 1-based; 0 means
/// "the whole file".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub(crate) severity: Severity,
    /// Path relative to the site root, with `/` separators (`content/cases/x.md`).
    pub path: PathBuf,
    pub(crate) line: usize,
    pub(crate) column: usize,
    pub message: Text,
    pub hint: Text,
    /// How many characters from `column` the problem covers; 0 lets the printer underline
    /// the word found there.
    pub(crate) len: usize,
    /// Other places in the same file that explain the problem (the bracket that was
    /// never closed, the first of two equal keys).
    pub(crate) related: Vec<Related>,
}

/// A second place in the same file, shown under the first with a label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Related {
    pub(crate) line: usize,
    pub(crate) column: usize,
    pub(crate) len: usize,
    pub(crate) label: Text,
}

impl Diagnostic {
    pub(crate) fn error(path: impl AsRef<Path>, line: usize, column: usize, message: Text) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.as_ref().to_path_buf(),
            line,
            column,
            message,
            hint: Text::default(),
            len: 0,
            related: Vec::new(),
        }
    }

    pub(crate) fn warning(
        path: impl AsRef<Path>,
        line: usize,
        column: usize,
        message: Text,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, line, column, message)
        }
    }

    pub fn with_hint(mut self, hint: Text) -> Self {
        self.hint = hint;
        self
    }

    /// Underlines `len` characters from the column instead of the word found there.
    pub(crate) fn with_len(mut self, len: usize) -> Self {
        self.len = len;
        self
    }

    /// Adds a second place in the same file, shown with `label`.
    pub(crate) fn with_related(
        mut self,
        line: usize,
        column: usize,
        len: usize,
        label: Text,
    ) -> Self {
        self.related.push(Related {
            line,
            column,
            len,
            label,
        });
        self
    }

    /// A mistake in the command's arguments: no file and no position, the message names
    /// the option.
    pub fn argument(message: Text) -> Self {
        Diagnostic::error("", 0, 0, message)
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `path:line:column`, the form editors' tools and terminals turn into links; the
    /// path alone for a whole file, nothing for the command's arguments.
    pub fn location(&self) -> String {
        let path = crate::platform::slashed(&self.path);
        if self.line == 0 {
            return path;
        }
        format!("{}:{}:{}", path, self.line, self.column.max(1))
    }

    /// What starts the first line: `path:line:column: `, or nothing.
    fn lead(&self) -> String {
        let at = self.location();
        if at.is_empty() { at } else { format!("{at}: ") }
    }

    /// Plain text rendering in one language (no colour, no source line): two lines, the
    /// second being the hint.
    pub fn display(&self, lang: Lang) -> DisplayDiagnostic<'_> {
        DisplayDiagnostic { diag: self, lang }
    }
}

fn severity_label(severity: Severity, lang: Lang) -> String {
    match severity {
        Severity::Error => Text::new("错误", "error"),
        Severity::Warning => Text::new("警告", "warning"),
    }
    .into_lang(lang)
}

fn hint_label(lang: Lang) -> String {
    Text::new("修改方法", "how to fix").into_lang(lang)
}

pub struct DisplayDiagnostic<'a> {
    diag: &'a Diagnostic,
    lang: Lang,
}

impl fmt::Display for DisplayDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.diag;
        write!(
            f,
            "{}{}: {}",
            d.lead(),
            severity_label(d.severity, self.lang),
            d.message.get(self.lang)
        )?;
        if !d.hint.is_empty() {
            write!(
                f,
                "\n  {}: {}",
                hint_label(self.lang),
                d.hint.get(self.lang)
            )?;
        }
        Ok(())
    }
}

/// Prints diagnostics the way a good compiler does: a first line `path:line:column:
/// 错误: message` that terminals and editors turn into a link, the source line with the
/// spot underlined, and the hint. The source is read again from the site folder (`root`)
/// when the report is printed, so the model keeps no file text.
pub struct Report<'a> {
    pub lang: Lang,
    /// ANSI colours (a terminal); plain text when piped.
    pub color: bool,
    /// The site folder the diagnostics' paths are relative to; `None` prints no source.
    pub root: Option<&'a Path>,
}

impl Report<'_> {
    /// Every diagnostic, errors first, each group sorted by file and position, separated
    /// by blank lines. Ends with a newline when not empty.
    pub fn render(&self, diags: &[Diagnostic]) -> String {
        let mut sorted: Vec<&Diagnostic> = diags.iter().collect();
        sorted.sort_by(|a, b| order(a).cmp(&order(b)));
        let mut sources: HashMap<PathBuf, Option<String>> = HashMap::new();
        let mut out = String::new();
        for d in sorted {
            let source = match self.root {
                Some(root) => sources
                    .entry(d.path.clone())
                    .or_insert_with(|| read_source(&root.join(&d.path)))
                    .as_deref(),
                None => None,
            };
            out.push_str(&self.render_one(d, source));
            out.push('\n');
        }
        out
    }

    /// One diagnostic with `source`, the text of its file, if known.
    pub fn render_one(&self, d: &Diagnostic, source: Option<&str>) -> String {
        let lang = self.lang;
        let label = severity_label(d.severity, lang);
        let mut out = if self.color {
            let level = match d.severity {
                Severity::Error => anstyle::AnsiColor::BrightRed.on_default().bold(),
                Severity::Warning => anstyle::AnsiColor::BrightYellow.on_default().bold(),
            };
            let bold = anstyle::Style::new().bold();
            let lead = d.lead();
            let lead = if lead.is_empty() {
                lead
            } else {
                format!("{bold}{}{bold:#} ", lead.trim_end())
            };
            format!(
                "{lead}{level}{label}:{level:#} {bold}{}{bold:#}\n",
                d.message.get(lang)
            )
        } else {
            format!("{}{label}: {}\n", d.lead(), d.message.get(lang))
        };
        let level = match d.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let mut elements: Vec<Element> = Vec::new();
        // A line that could not be decoded (GBK, UTF-16) is not shown: it would only show
        // replacement characters.
        if let Some(text) = source
            && let Some(primary) = span(text, d.line, d.column, d.len)
            && !line_of(text, primary.start).contains('\u{FFFD}')
        {
            let mut annotations = vec![AnnotationKind::Primary.span(primary)];
            for r in &d.related {
                if let Some(s) = span(text, r.line, r.column, r.len) {
                    annotations.push(
                        AnnotationKind::Context
                            .span(s)
                            .label(r.label.get(lang).to_string()),
                    );
                }
            }
            elements.push(
                Snippet::source(text)
                    .line_start(1)
                    .fold(true)
                    .annotations(annotations)
                    .into(),
            );
        }
        if !d.hint.is_empty() {
            elements.push(
                Level::HELP
                    .with_name(Some(hint_label(lang)))
                    .message(d.hint.get(lang))
                    .into(),
            );
        }
        if elements.is_empty() {
            return out;
        }
        let renderer = if self.color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        let report = [Group::with_level(level).elements(elements)];
        let body = renderer.render(&report);
        // The library starts a report without a title with an empty line.
        out.push_str(body.trim_start_matches('\n').trim_end());
        out.push('\n');
        out
    }
}

/// Text of a file for the snippet: a byte-order mark dropped, line ends normalised the
/// way the parser sees them, bytes that are not UTF-8 replaced.
fn read_source(path: &Path) -> Option<String> {
    std::fs::read(path).ok().map(|b| source_text(&b))
}

/// The text the parser saw in a file's bytes, for showing its lines: a byte-order mark
/// dropped, line ends normalised, bytes that are not UTF-8 replaced.
pub fn source_text(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = String::from_utf8_lossy(bytes);
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// The line of `text` holding byte `at`.
fn line_of(text: &str, at: usize) -> &str {
    let start = text
        .get(..at)
        .and_then(|t| t.rfind('\n'))
        .map_or(0, |i| i + 1);
    let rest = text.get(start..).unwrap_or("");
    &rest[..rest.find('\n').unwrap_or(rest.len())]
}

/// Byte range in `text` of the spot at `line`:`column` (1-based, column in characters),
/// `len` characters long or, when 0, the word found there. `None` when the position is
/// not in the text (whole-file diagnostics, files changed since).
pub(crate) fn span(text: &str, line: usize, column: usize, len: usize) -> Option<Range<usize>> {
    if line == 0 {
        return None;
    }
    let mut start = 0;
    for _ in 1..line {
        start += text.get(start..)?.find('\n')? + 1;
    }
    let rest = text.get(start..)?;
    let line_text = &rest[..rest.find('\n').unwrap_or(rest.len())];
    let col = column.max(1) - 1;
    let at = line_text
        .char_indices()
        .nth(col)
        .map_or(line_text.len(), |(i, _)| i);
    let tail = &line_text[at..];
    let n = if len > 0 {
        tail.char_indices().nth(len).map_or(tail.len(), |(i, _)| i)
    } else {
        word(tail)
    };
    Some(start + at..start + at + n)
}

/// Byte length of the word at the start of `s`: a quoted or bracketed value as a whole,
/// a Markdown link with its target, else up to a space or YAML punctuation; at least one
/// character.
fn word(s: &str) -> usize {
    let mut chars = s.chars();
    let Some(first) = chars.next() else {
        return 0;
    };
    let closing = match first {
        '"' => Some('"'),
        '\'' => Some('\''),
        '“' => Some('”'),
        '[' => Some(']'),
        '{' => Some('}'),
        '(' => Some(')'),
        _ => None,
    };
    if let Some(close) = closing {
        let mut depth = 0usize;
        for (i, c) in s.char_indices() {
            if i > 0 && c == close && depth == 0 {
                let mut end = i + c.len_utf8();
                // `[text](target)`: the link as a whole.
                if first == '[' && s[end..].starts_with('(') {
                    end += word(&s[end..]);
                }
                return end;
            }
            if i > 0 && c == first && first != close {
                depth += 1;
            } else if i > 0 && c == close {
                depth = depth.saturating_sub(1);
            }
        }
        return first.len_utf8();
    }
    if first == '!' && s[1..].starts_with('[') {
        return 1 + word(&s[1..]);
    }
    let stop = |c: char| c.is_whitespace() || ",，]}:：#\"'、。；;".contains(c);
    let n: usize = s
        .chars()
        .take_while(|&c| !stop(c))
        .map(char::len_utf8)
        .sum();
    if n == 0 { first.len_utf8() } else { n }
}

fn order(d: &Diagnostic) -> (Severity, &Path, usize, usize) {
    (d.severity, &d.path, d.line, d.column)
}

/// The diagnostics as JSON for editors' tooling, in one language:
/// `{"errors": n, "warnings": n, "diagnostics": [{"severity", "path", "line", "column",
/// "end_column", "message", "hint"}]}`, sorted like the printed report.
pub fn to_json(diags: &[Diagnostic], lang: Lang, root: Option<&Path>) -> serde_json::Value {
    let mut sorted: Vec<&Diagnostic> = diags.iter().collect();
    sorted.sort_by(|a, b| order(a).cmp(&order(b)));
    let mut sources: HashMap<PathBuf, Option<String>> = HashMap::new();
    let items: Vec<serde_json::Value> = sorted
        .iter()
        .map(|d| {
            let source = root.and_then(|r| {
                sources
                    .entry(d.path.clone())
                    .or_insert_with(|| read_source(&r.join(&d.path)))
                    .clone()
            });
            let end_column = source
                .as_deref()
                .and_then(|t| span(t, d.line, d.column, d.len).map(|s| (t, s)))
                .map_or(d.column.max(1), |(t, s)| {
                    d.column.max(1) + t[s].chars().count()
                });
            serde_json::json!({
                "severity": match d.severity { Severity::Error => "error", Severity::Warning => "warning" },
                "path": crate::platform::slashed(&d.path),
                "line": d.line,
                "column": d.column,
                "end_column": if d.line == 0 { 0 } else { end_column },
                "message": d.message.get(lang),
                "hint": d.hint.get(lang),
            })
        })
        .collect();
    serde_json::json!({
        "errors": diags.iter().filter(|d| d.is_error()).count(),
        "warnings": diags.iter().filter(|d| !d.is_error()).count(),
        "diagnostics": items,
    })
}

/// "2 个错误，1 个警告" / "2 errors, 1 warning".
pub fn counts(diags: &[Diagnostic], lang: Lang) -> String {
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.len() - errors;
    Text::new(
        format!("{errors} 个错误，{warnings} 个警告"),
        format!(
            "{errors} error{}, {warnings} warning{}",
            if errors == 1 { "" } else { "s" },
            if warnings == 1 { "" } else { "s" }
        ),
    )
    .into_lang(lang)
}

/// Sorts diagnostics the way editors read them: errors first, then by file and position.
pub(crate) fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        (a.severity, &a.path, a.line, a.column).cmp(&(b.severity, &b.path, b.line, b.column))
    });
}

/// The closest candidate to `word` by edit distance, if it is close enough to be a
/// plausible typo.
pub(crate) fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let mut best: Option<(&str, f64)> = None;
    for c in candidates {
        let score = strsim::normalized_damerau_levenshtein(word, c);
        if best.is_none_or(|(_, s)| score > s) {
            best = Some((c, score));
        }
    }
    let (c, score) = best?;
    let distance = strsim::damerau_levenshtein(word, c);
    let shorter = word.chars().count().min(c.chars().count());
    // Two edits turn any two-letter word into any other: require something to be kept.
    let close = score >= 0.5 || (distance <= 2 && distance < shorter);
    close.then_some(c)
}

/// A "did you mean" hint in both languages, empty when nothing is close.
pub(crate) fn suggestion<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<Text> {
    did_you_mean(word, candidates)
        .map(|c| Text::new(format!("是不是要写“{c}”？"), format!("did you mean `{c}`?")))
}

/// Escapes text for HTML element content and attribute values, for the browser overlay
/// and the few HTML fragments built outside templates.
pub(crate) fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn did_you_mean_finds_a_typo() {
        assert_eq!(did_you_mean("titel", ["title", "summary"]), Some("title"));
        assert_eq!(
            did_you_mean("思想淬练", ["思想淬炼", "政治历练"]),
            Some("思想淬炼")
        );
        assert_eq!(did_you_mean("zzzzzz", ["title", "summary"]), None);
    }

    #[test]
    fn short_words_are_not_matched_to_anything() {
        assert_eq!(did_you_mean("ur", ["unit", "title"]), None);
        assert_eq!(did_you_mean("tilte", ["unit", "title"]), Some("title"));
    }

    #[test]
    fn spans_cover_the_word_at_the_column() {
        let text = "---\ntitle: \"a b\" # x\ntags: [甲, 乙]\n见[课程](@/a.md)。\n";
        let at = |l, c, n| span(text, l, c, n).map(|r| &text[r]);
        assert_eq!(at(2, 1, 0), Some("title"));
        assert_eq!(at(2, 8, 0), Some("\"a b\""));
        assert_eq!(at(3, 7, 0), Some("[甲, 乙]"));
        assert_eq!(at(3, 8, 1), Some("甲"));
        assert_eq!(at(4, 2, 0), Some("[课程](@/a.md)"));
        assert_eq!(at(2, 99, 0), Some(""));
        assert_eq!(at(0, 1, 0), None);
        assert_eq!(at(9, 1, 0), None);
    }

    #[test]
    fn report_shows_the_line_with_a_caret_and_the_hint() {
        let d = Diagnostic::error("content/a.md", 2, 8, Text::new("坏值", "bad value"))
            .with_hint(Text::new("改正", "fix it"));
        let r = Report {
            lang: Lang::Zh,
            color: false,
            root: None,
        };
        let out = r.render_one(&d, Some("---\ndraft: ture\n---\n"));
        assert_eq!(
            out,
            "content/a.md:2:8: 错误: 坏值\n  |\n2 | draft: ture\n  |        ^^^^\n  |\n  = 修改方法: 改正\n"
        );
        let colored = Report { color: true, ..r }.render_one(&d, Some("---\ndraft: ture\n"));
        assert!(colored.contains('\u{1b}'));
        // Without the source: the first line and the hint.
        assert!(
            r.render_one(&d, None)
                .starts_with("content/a.md:2:8: 错误: 坏值\n")
        );
    }

    #[test]
    fn json_counts_and_orders() {
        let w = Diagnostic::warning("b.md", 1, 1, Text::new("w", "w"));
        let e = Diagnostic::error("c.md", 2, 3, Text::new("错", "wrong"));
        let v = to_json(&[w, e], Lang::En, None);
        assert_eq!(v["errors"], 1);
        assert_eq!(v["warnings"], 1);
        assert_eq!(v["diagnostics"][0]["message"], "wrong");
        assert_eq!(v["diagnostics"][1]["severity"], "warning");
    }

    #[test]
    fn display_is_path_line_column_message_hint() {
        let d = Diagnostic::error("content/a.md", 3, 7, Text::new("缺少标题", "missing title"))
            .with_hint(Text::new("加上 title", "add title"));
        assert_eq!(
            d.display(Lang::Zh).to_string(),
            "content/a.md:3:7: 错误: 缺少标题\n  修改方法: 加上 title"
        );
        assert!(
            d.display(Lang::En)
                .to_string()
                .starts_with("content/a.md:3:7: error: missing title")
        );
    }
}
