//! [`Document`] → Markdown (CommonMark with GFM tables, strikethrough and footnotes, as
//! the site's renderer reads it). Pure.

use super::model::{Block, Document, Inline, Placed, Style, Table};

/// The body of the page: blocks parted by blank lines, the footnotes at the end.
/// `images` are the pictures' files, in the order of `doc.images`.
pub fn write(doc: &Document, images: &[Placed]) -> String {
    let w = Writer { doc, images };
    let mut out = String::new();
    // The indentation of each list level: the width of its parent's marker.
    let mut indents: Vec<usize> = Vec::new();
    let mut in_list = false;
    for block in &doc.blocks {
        let is_item = matches!(block, Block::Item { .. });
        if !out.is_empty() && (!is_item || !in_list) {
            out.push('\n');
        }
        if !is_item {
            indents.clear();
        }
        in_list = is_item;
        match block {
            Block::Heading { level, content, .. } => {
                let text = w.inlines(content, Place::Heading);
                out.push_str(&format!("{} {text}\n", "#".repeat(usize::from(*level))));
            }
            Block::Paragraph(content) => {
                out.push_str(&w.inlines(content, Place::Paragraph));
                out.push('\n');
            }
            Block::Item {
                ordered,
                level,
                number,
                content,
            } => {
                let level = usize::from(*level).min(indents.len());
                indents.truncate(level);
                let indent: usize = indents.iter().sum();
                let marker = if *ordered {
                    format!("{number}. ")
                } else {
                    "- ".to_string()
                };
                indents.push(marker.chars().count());
                let pad = " ".repeat(indent + marker.chars().count());
                let text = w
                    .inlines(content, Place::Paragraph)
                    .replace('\n', &format!("\n{pad}"));
                out.push_str(&format!("{}{marker}{text}\n", " ".repeat(indent)));
            }
            Block::Table(table) => out.push_str(&w.table(table)),
        }
    }
    for (i, note) in doc.footnotes.iter().enumerate() {
        if i == 0 {
            out.push('\n');
        }
        let text = w.inlines(note, Place::Cell);
        out.push_str(&format!("[^{}]: {text}\n", i + 1));
    }
    out
}

/// Where inlines are written: a line break is a hard break in a paragraph, `<br>` in a
/// table cell, a space in a heading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    Paragraph,
    Heading,
    Cell,
}

struct Writer<'a> {
    doc: &'a Document,
    images: &'a [Placed],
}

impl Writer<'_> {
    fn table(&self, table: &Table) -> String {
        let width = table.rows.iter().map(Vec::len).max().unwrap_or(0).max(1);
        let mut out = String::new();
        for (i, row) in table.rows.iter().enumerate() {
            let cells: Vec<String> = (0..width)
                .map(|c| {
                    row.get(c)
                        .map(|cell| self.inlines(&cell.0, Place::Cell))
                        .unwrap_or_default()
                })
                .collect();
            out.push_str(&format!("| {} |\n", cells.join(" | ")));
            if i == 0 {
                out.push_str(&format!("|{}\n", " --- |".repeat(width)));
            }
        }
        out
    }

    fn inlines(&self, content: &[Inline], place: Place) -> String {
        let mut out = String::new();
        for (i, inline) in content.iter().enumerate() {
            match inline {
                Inline::Text { text, style } => {
                    let prev = neighbour(content.get(i.wrapping_sub(1)), true);
                    let next = neighbour(content.get(i + 1), false);
                    out.push_str(&styled(text, *style, prev, next, place));
                }
                Inline::Break => out.push_str(match place {
                    Place::Paragraph => "\\\n",
                    Place::Heading => " ",
                    Place::Cell => "<br>",
                }),
                Inline::Link { url, content } => {
                    let text = self.inlines(content, place);
                    if text.trim().is_empty() {
                        out.push_str(&escape(url, place));
                    } else {
                        out.push_str(&format!("[{text}]({})", destination(url)));
                    }
                }
                Inline::Note(n) => out.push_str(&format!("[^{n}]")),
                Inline::Image(n) => out.push_str(&self.image(*n)),
            }
        }
        if place == Place::Paragraph {
            escape_line_starts(&out)
        } else {
            out
        }
    }

    fn image(&self, n: usize) -> String {
        let Some(placed) = self.images.get(n) else {
            return String::new();
        };
        let file = destination(&placed.file);
        if placed.shown {
            format!("![{}]({file})", self.alt(n))
        } else {
            format!("[图片 {}]({file})", n + 1)
        }
    }

    /// The picture's description, brackets escaped.
    fn alt(&self, n: usize) -> String {
        let alt = self.doc.images.get(n).and_then(|i| i.alt.as_deref());
        escape(alt.unwrap_or(""), Place::Heading)
    }
}

/// What sits next to a piece of text: `None` at the edge, `Some(None)` for something
/// that is not text (a delimiter may touch it), `Some(Some(c))` a character.
fn neighbour(inline: Option<&Inline>, before: bool) -> Option<Option<char>> {
    match inline? {
        Inline::Text { text, style } if style.is_plain() => Some(if before {
            text.chars().last()
        } else {
            text.chars().next()
        }),
        // Styled text beside styled text: delimiter runs would merge.
        Inline::Text { .. } => Some(None),
        _ => Some(Some('x')),
    }
}

/// Text with its style: `**…**`, `*…*`, `~~…~~` where CommonMark reads them as such
/// beside what surrounds them, else the HTML tags (which the site keeps).
fn styled(
    text: &str,
    style: Style,
    prev: Option<Option<char>>,
    next: Option<Option<char>>,
    place: Place,
) -> String {
    if style.is_plain() || text.trim().is_empty() {
        return escape(text, place);
    }
    let core = text.trim_matches(char::is_whitespace);
    let lead = &text[..text.len() - text.trim_start().len()];
    let trail = &text[text.trim_end().len()..];
    let before = if lead.is_empty() {
        prev
    } else {
        Some(Some(' '))
    };
    let after = if trail.is_empty() {
        next
    } else {
        Some(Some(' '))
    };
    let markdown = flanks(core, before, after);
    let mut open = String::new();
    let mut close = String::new();
    for (on, md, tag) in [
        (style.bold, "**", "strong"),
        (style.italic, "*", "em"),
        (style.strike, "~~", "del"),
    ] {
        if !on {
            continue;
        }
        if markdown {
            open.push_str(md);
            close.insert_str(0, md);
        } else {
            open.push_str(&format!("<{tag}>"));
            close.insert_str(0, &format!("</{tag}>"));
        }
    }
    format!("{lead}{open}{}{close}{trail}", escape(core, place))
}

/// Whether delimiters around `core` open and close (CommonMark's flanking rules, with
/// Han characters counted as letters as the spec does).
fn flanks(core: &str, before: Option<Option<char>>, after: Option<Option<char>>) -> bool {
    let (Some(first), Some(last)) = (core.chars().next(), core.chars().last()) else {
        return false;
    };
    let loose = |c: Option<Option<char>>| match c {
        None => true,
        Some(None) => false,
        Some(Some(c)) => c.is_whitespace() || is_punct(c),
    };
    let opens = !is_punct(first) || loose(before);
    let closes = !is_punct(last) || loose(after);
    opens && closes && before != Some(None) && after != Some(None)
}

fn is_punct(c: char) -> bool {
    c.is_ascii_punctuation() || (!c.is_alphanumeric() && !c.is_whitespace())
}

/// Markdown's special characters escaped, so the text reads as written.
fn escape(text: &str, place: Place) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '~' | '|' | '&' | '$' => {
                out.push('\\');
                out.push(c);
            }
            '\n' if place != Place::Paragraph => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// A line that would start a block (`# `, `- `, `1. `, `+`, `=`) keeps its text.
fn escape_line_starts(text: &str) -> String {
    let lines: Vec<String> = text
        .split('\n')
        .map(|line| {
            let digits = line.chars().take_while(char::is_ascii_digit).count();
            let after = line[digits..].chars().next();
            if matches!(line.chars().next(), Some('#' | '-' | '+' | '=')) {
                format!("\\{line}")
            } else if digits > 0 && matches!(after, Some('.' | ')')) {
                format!("{}\\{}", &line[..digits], &line[digits..])
            } else {
                line.to_string()
            }
        })
        .collect();
    lines.join("\n")
}

/// A link destination: in `<…>` when it holds spaces or parentheses.
fn destination(url: &str) -> String {
    if url.contains([' ', '(', ')', '<', '>']) {
        format!("<{}>", url.replace(['<', '>'], ""))
    } else {
        url.to_string()
    }
}
