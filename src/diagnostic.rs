//! User-facing problems with the content: where (path:line:column), what is wrong and how
//! to fix it, in Chinese and English. Internal bugs are not diagnostics; everything an
//! editor wrote that we cannot use is.

use std::fmt;
use std::path::{Path, PathBuf};

/// The language of messages printed to the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

/// A message in both languages; the printer picks one.
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

    pub fn is_empty(&self) -> bool {
        self.zh.is_empty() && self.en.is_empty()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem found in the site's files. `line` and `column` are 1-based; 0 means
/// "the whole file".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path relative to the site root, with `/` separators (`content/cases/x.md`).
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
    pub message: Text,
    pub hint: Text,
}

impl Diagnostic {
    pub fn error(path: impl AsRef<Path>, line: usize, column: usize, message: Text) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.as_ref().to_path_buf(),
            line,
            column,
            message,
            hint: Text::default(),
        }
    }

    pub fn warning(path: impl AsRef<Path>, line: usize, column: usize, message: Text) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, line, column, message)
        }
    }

    pub fn with_hint(mut self, hint: Text) -> Self {
        self.hint = hint;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `path:line:column`, the form editors' tools and terminals turn into links.
    pub fn location(&self) -> String {
        let path = self.path.to_string_lossy().replace('\\', "/");
        format!("{}:{}:{}", path, self.line.max(1), self.column.max(1))
    }

    /// Plain text rendering in one language (no colour): two or three lines.
    pub fn display(&self, lang: Lang) -> DisplayDiagnostic<'_> {
        DisplayDiagnostic { diag: self, lang }
    }
}

pub struct DisplayDiagnostic<'a> {
    diag: &'a Diagnostic,
    lang: Lang,
}

impl fmt::Display for DisplayDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.diag;
        let label = match (d.severity, self.lang) {
            (Severity::Error, Lang::Zh) => "错误",
            (Severity::Error, Lang::En) => "error",
            (Severity::Warning, Lang::Zh) => "警告",
            (Severity::Warning, Lang::En) => "warning",
        };
        write!(
            f,
            "{}: {}: {}",
            d.location(),
            label,
            d.message.get(self.lang)
        )?;
        if !d.hint.is_empty() {
            let how = match self.lang {
                Lang::Zh => "修改方法",
                Lang::En => "how to fix",
            };
            write!(f, "\n  {}: {}", how, d.hint.get(self.lang))?;
        }
        Ok(())
    }
}

/// Sorts diagnostics the way editors read them: errors first, then by file and position.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        (a.severity, &a.path, a.line, a.column).cmp(&(b.severity, &b.path, b.line, b.column))
    });
}

/// The closest candidate to `word` by edit distance, if it is close enough to be a
/// plausible typo.
pub fn did_you_mean<'a>(
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
    let close = score >= 0.5 || strsim::damerau_levenshtein(word, c) <= 2;
    close.then_some(c)
}

/// A "did you mean" hint in both languages, empty when nothing is close.
pub fn suggestion<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<Text> {
    did_you_mean(word, candidates)
        .map(|c| Text::new(format!("是不是要写“{c}”？"), format!("did you mean `{c}`?")))
}

/// Escapes text for HTML element content and attribute values, for the browser overlay
/// and the few HTML fragments built outside templates.
pub fn escape_html(s: &str) -> String {
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
