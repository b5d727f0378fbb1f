//! ```` ```site-values ```` blocks: a line naming a front-matter key (`action`, `level`,
//! `domain`, `series`) that stands for the values `site.yaml` allows for it. A rendered
//! page lists them as HTML (`html_list`); a page read outside the site, such as the
//! editors' guide shipped beside the program, gets them written into its Markdown
//! (`standalone`). Pure: text and values in, text and diagnostics out.

use std::collections::BTreeMap;
use std::path::Path;

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};
use serde::Deserialize;

use super::frontmatter;
use crate::diagnostic::{Diagnostic, Text};

/// The values `site.yaml` allows, by the front-matter key they are for.
pub(crate) type Allowed = BTreeMap<&'static str, Vec<String>>;

/// Whether a fenced code block's info string makes it a site-values block.
pub(crate) fn is_values_block(info: &str) -> bool {
    info.trim() == "site-values"
}

/// The values allowed for `key`, written in a site-values block whose key is on line
/// `line` of `path`; an error when `key` is not one whose values can be listed.
fn allowed<'a>(
    path: &Path,
    line: usize,
    key: &str,
    values: &'a Allowed,
) -> Result<&'a [String], Diagnostic> {
    if let Some(list) = values.get(key) {
        return Ok(list);
    }
    let keys: Vec<&str> = values.keys().copied().collect();
    Err(Diagnostic::error(
        path,
        line,
        1,
        Text::new(
            format!("site-values 代码块里的“{key}”不是可以列出取值的设置项"),
            format!("`{key}` in a site-values block is not a key whose values can be listed"),
        ),
    )
    .with_hint(Text::new(
        format!("写其中之一：{}", keys.join("、")),
        format!("write one of: {}", keys.join(", ")),
    )))
}

/// The HTML a site-values block for `key` stands for in a rendered page (nothing listed
/// when `site.yaml` allows any value).
pub(crate) fn html_list(
    path: &Path,
    line: usize,
    key: &str,
    values: &Allowed,
) -> Result<String, Diagnostic> {
    let items: String = allowed(path, line, key, values)?
        .iter()
        .map(|v| {
            format!(
                "<li><code>{}</code></li>",
                crate::diagnostic::escape_html(v)
            )
        })
        .collect();
    Ok(format!("<ul class=\"site-values\">{items}</ul>\n"))
}

/// The front matter's values a standalone page needs.
#[derive(Deserialize)]
struct Head {
    title: Option<String>,
}

/// A content file's text as a Markdown file read outside the site: its front matter left
/// out, its title as the first heading, and each site-values block written as the list
/// the rendered page shows, so that no bare key is left where the values belong.
pub(crate) fn standalone(
    path: &Path,
    text: &str,
    values: &Allowed,
) -> Result<String, Vec<Diagnostic>> {
    let split = frontmatter::split(path, text).map_err(|d| vec![d])?;
    let head: Head = match split.yaml {
        None => Head { title: None },
        Some(yaml) => serde_yaml_ng::from_str(yaml).map_err(|_| vec![unreadable(path)])?,
    };
    let body = expand(path, split.body, split.body_line, values)?;
    Ok(match head.title {
        Some(title) => format!("# {}\n\n{}", title.trim(), body.trim_start()),
        None => body,
    })
}

fn unreadable(path: &Path) -> Diagnostic {
    Diagnostic::error(
        path,
        1,
        1,
        Text::new("信息栏无法读取", "the front matter cannot be read"),
    )
    .with_hint(Text::new(
        "运行 jiangtang check，按它的提示改正",
        "run jiangtang check and fix what it reports",
    ))
}

/// `body` (which starts on line `body_line` of its file) with every site-values block
/// replaced by a Markdown list of the allowed values.
fn expand(
    path: &Path,
    body: &str,
    body_line: usize,
    values: &Allowed,
) -> Result<String, Vec<Diagnostic>> {
    let mut out = String::with_capacity(body.len());
    let mut copied = 0;
    let mut diags = Vec::new();
    let mut block: Option<(std::ops::Range<usize>, String)> = None;
    for (event, range) in Parser::new_ext(body, super::markdown::options()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) if is_values_block(&info) => {
                block = Some((range, String::new()));
            }
            Event::Text(t) => {
                if let Some((_, key)) = block.as_mut() {
                    key.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                let Some((range, key)) = block.take() else {
                    continue;
                };
                // The key is on the line after the opening fence.
                let line = body_line + body[..range.start].matches('\n').count() + 1;
                match allowed(path, line, key.trim(), values) {
                    Ok(list) => {
                        out.push_str(&body[copied..range.start]);
                        out.push_str(&markdown_list(list, &line_prefix(body, range.start)));
                        // The block ends before its last line end, which ends the list;
                        // with nothing listed, it goes too.
                        copied = range.end;
                        if list.is_empty() && body[copied..].starts_with('\n') {
                            copied += 1;
                        }
                    }
                    Err(d) => diags.push(d),
                }
            }
            _ => {}
        }
    }
    out.push_str(&body[copied..]);
    if diags.is_empty() {
        Ok(out)
    } else {
        Err(diags)
    }
}

/// What stands before the block on its first line, as the lines after it continue it:
/// spaces for a list item's marker and indentation, `>` kept for a quote.
fn line_prefix(body: &str, start: usize) -> String {
    let line_start = body[..start].rfind('\n').map_or(0, |i| i + 1);
    body[line_start..start]
        .chars()
        .map(|c| if c == '>' { '>' } else { ' ' })
        .collect()
}

/// One `- `value`` line per value, each after the first starting with `prefix`, the
/// last without its line end.
fn markdown_list(values: &[String], prefix: &str) -> String {
    let items: Vec<String> = values
        .iter()
        .map(|v| {
            // A value holding a backtick takes a longer fence, spaced from it.
            if v.contains('`') {
                format!("- `` {v} ``")
            } else {
                format!("- `{v}`")
            }
        })
        .collect();
    items.join(&format!("\n{prefix}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values() -> Allowed {
        let mut v = Allowed::new();
        v.insert("action", vec!["思想淬炼".into(), "政治历练".into()]);
        v.insert("level", Vec::new());
        v.insert("series", vec!["读<书>班".into(), "a`b".into()]);
        v
    }

    #[test]
    fn a_standalone_page_has_its_title_and_its_values_written_in() {
        let text = "---\ntitle: 编辑指南\nlisted: false\n---\n\n行动：\n\n```site-values\naction\n```\n\n层级：\n\n```site-values\nlevel\n```\n\n系列：\n\n```site-values\nseries\n```\n\n后文\n";
        let out = standalone(Path::new("content/g.md"), text, &values()).expect("expands");
        assert_eq!(
            out,
            "# 编辑指南\n\n行动：\n\n- `思想淬炼`\n- `政治历练`\n\n层级：\n\n\n系列：\n\n- `读<书>班`\n- `` a`b ``\n\n后文\n"
        );
    }

    #[test]
    fn blocks_inside_list_items_and_quotes_stay_there() {
        let text =
            "- 行动：\n\n  ```site-values\n  action\n  ```\n\n> ```site-values\n> action\n> ```\n";
        let out = expand(Path::new("a.md"), text, 1, &values()).expect("expands");
        assert_eq!(
            out,
            "- 行动：\n\n  - `思想淬炼`\n  - `政治历练`\n\n> - `思想淬炼`\n> - `政治历练`\n"
        );
    }

    #[test]
    fn an_unknown_key_is_reported_where_it_is_written() {
        let text = "---\ntitle: t\n---\n\n```site-values\nhours\n```\n";
        let diags = standalone(Path::new("a.md"), text, &values()).expect_err("hours");
        assert_eq!(diags.len(), 1);
        assert_eq!((diags[0].line, diags[0].column), (6, 1));
        assert!(diags[0].hint.zh.contains("action"), "{:?}", diags[0].hint);
        let html = html_list(Path::new("a.md"), 2, "series", &values()).expect("series");
        assert!(
            html.contains("<li><code>读&lt;书&gt;班</code></li>"),
            "{html}"
        );
    }
}
