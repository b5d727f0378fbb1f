//! Front matter: decoding a content file, splitting the YAML block from the Markdown body,
//! and typed access to its keys. Every problem becomes a `Diagnostic` that points at the
//! line and column of the key or value concerned.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use jiff::civil::{Date, DateTime};
use serde_yaml_ng::{Mapping, Value};

use crate::diagnostic::{Diagnostic, Text, suggestion};

/// A content file split into its parts. `body_line` is the 1-based line of the file on
/// which the Markdown body starts.
#[derive(Debug)]
pub(crate) struct Split<'a> {
    pub(crate) yaml: Option<&'a str>,
    pub(crate) yaml_line: usize,
    pub(crate) body: &'a str,
    pub(crate) body_line: usize,
}

/// Lists of names (taxonomy values, site.yaml's actions and series), where a single
/// text with commas is read as several values.
const TERM_LISTS: &[&str] = &[
    "tags",
    "level",
    "domain",
    "topics",
    "instructors",
    "actions",
    "series",
    "levels",
    "domains",
];

/// Lists of co-located files and of links, whose items never hold a full-width comma.
const FILE_LISTS: &[&str] = &["attachments", "materials", "prerequisites"];

/// Keys whose value is a list, in front matter and in site.yaml: a `-` at the start of
/// a line under one is a list item.
fn is_list_key(key: &str) -> bool {
    TERM_LISTS.contains(&key)
        || FILE_LISTS.contains(&key)
        || ["objectives", "outcomes"].contains(&key)
}

/// Keys editors write in Chinese, with the key meant.
const KEY_ALIASES: &[(&str, &str)] = &[
    ("标题", "title"),
    ("题目", "title"),
    ("名称", "title"),
    ("摘要", "summary"),
    ("简介", "summary"),
    ("日期", "date"),
    ("更新日期", "updated"),
    ("草稿", "draft"),
    ("排序", "weight"),
    ("权重", "weight"),
    ("标签", "tags"),
    ("发布日期", "publish_date"),
    ("截止日期", "expiry_date"),
    ("网址", "slug"),
    ("旧网址", "aliases"),
    ("别名", "aliases"),
    ("培训行动", "action"),
    ("行动", "action"),
    ("层级", "level"),
    ("领域", "domain"),
    ("专题", "topics"),
    ("学时", "hours"),
    ("必修", "required"),
    ("单位", "unit"),
    ("主办单位", "unit"),
    ("授课人", "instructors"),
    ("讲师", "instructors"),
    ("教师", "instructors"),
    ("学习目标", "objectives"),
    ("目标", "objectives"),
    ("先修课程", "prerequisites"),
    ("时长", "duration"),
    ("附件", "attachments"),
    ("系列", "series"),
    ("开始时间", "start"),
    ("时间", "start"),
    ("结束时间", "end"),
    ("地点", "location"),
    ("主讲人", "speaker"),
    ("主讲", "speaker"),
    ("职务", "speaker_title"),
    ("对象", "audience"),
    ("参加对象", "audience"),
    ("状态", "status"),
    ("课程", "course"),
    ("材料", "materials"),
    ("重复", "repeat"),
    ("作者", "author"),
    ("地区", "region"),
    ("成效", "outcomes"),
    ("封面", "cover"),
    ("封面图片", "cover"),
    ("封面说明", "cover_alt"),
    ("回放", "recording"),
    ("录像", "recording"),
];

/// Turns raw bytes into text: UTF-8 only, a byte-order mark dropped, CRLF and lone CR
/// line ends normalised to LF (line numbers stay the same).
pub(crate) fn decode<'a>(path: &Path, bytes: &'a [u8]) -> Result<Cow<'a, str>, Diagnostic> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(Diagnostic::error(
            path,
            1,
            1,
            Text::new(
                "文件是 UTF-16 编码（记事本“另存为”时选了“Unicode”），需要 UTF-8",
                "the file is UTF-16 (\"Unicode\" in Notepad's Save as); it must be UTF-8",
            ),
        )
        .with_hint(Text::new(
            "用记事本打开，“另存为”，编码选“UTF-8”后保存",
            "open it, \"Save as\", choose the encoding UTF-8 and save",
        )));
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(normalise_newlines(text)),
        Err(e) => {
            let good = &bytes[..e.valid_up_to()];
            let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
            let line_start = good.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            let column = String::from_utf8_lossy(&good[line_start..]).chars().count() + 1;
            let gbk = looks_like_gbk(bytes);
            let message = if gbk {
                Text::new(
                    "文件不是 UTF-8 编码，看起来是 GBK/GB18030（Windows 中文版记事本、WPS 等常用的“ANSI”编码），讲堂只能读 UTF-8",
                    "the file is not UTF-8; it looks like GBK/GB18030 (the \"ANSI\" encoding of Chinese Windows editors); only UTF-8 can be read",
                )
            } else {
                Text::new("文件不是 UTF-8 编码", "the file is not valid UTF-8")
            };
            Err(Diagnostic::error(path, line, column, message).with_hint(Text::new(
                "用编辑器“另存为”并选择 UTF-8 编码（记事本：编码选“UTF-8”；WPS/VS Code：右下角编码改为 UTF-8）",
                "re-save the file as UTF-8 (\"Save as\" → encoding UTF-8 in your editor)",
            )))
        }
    }
}

/// `text` with CRLF and lone CR line ends turned into LF, borrowed when it has none.
pub(crate) fn normalise_newlines(text: &str) -> Cow<'_, str> {
    if !text.contains('\r') {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
}

/// GBK text is mostly pairs of bytes in 0x81–0xFE followed by 0x40–0xFE.
fn looks_like_gbk(bytes: &[u8]) -> bool {
    let (mut pairs, mut bad) = (0usize, 0usize);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            i += 1;
            continue;
        }
        match bytes.get(i + 1) {
            Some(&n) if (0x81..=0xFE).contains(&b) && (0x40..=0xFE).contains(&n) && n != 0x7F => {
                pairs += 1;
                i += 2;
            }
            _ => {
                bad += 1;
                i += 1;
            }
        }
    }
    pairs > 0 && bad * 10 <= pairs
}

/// A line of dashes that is not `---`: `——` typed with a Chinese input method, `- - -`,
/// `－－－`, two or four hyphens.
fn fake_fence(line: &str) -> bool {
    let dash = |c: char| matches!(c, '-' | '—' | '－' | '─' | '–' | '‐' | '━' | '一');
    // Most lines are settings: they do not start with a dash.
    if !line.trim_start().starts_with(dash) {
        return false;
    }
    let t: String = line.trim().chars().filter(|c| !c.is_whitespace()).collect();
    t != "---" && t.chars().count() >= 2 && t.chars().all(dash) && t.chars().any(|c| c != '一')
}

fn fence_error(path: &Path, line: usize, text: &str, opening: bool) -> Diagnostic {
    let written = text.trim();
    let message = if opening {
        Text::new(
            format!("信息栏的开头一行写成了“{written}”，要写成三个英文减号 ---"),
            format!(
                "the front matter's first line is `{written}`; it must be three ASCII hyphens ---"
            ),
        )
    } else {
        Text::new(
            format!("信息栏的结束行写成了“{written}”，要写成三个英文减号 ---"),
            format!(
                "the line closing the front matter is `{written}`; it must be three ASCII hyphens ---"
            ),
        )
    };
    Diagnostic::error(path, line, 1, message)
        .with_len(text.trim_end().chars().count().max(1))
        .with_hint(Text::new(
            "切换到英文输入法，把这一行改成 ---（中文输入法打出的“——”是破折号，不是减号）",
            "switch to an English keyboard and write --- (a Chinese input method types a dash `——` instead)",
        ))
}

/// Splits `---` front matter from the body. A file must start with `---` (blank lines
/// before it are skipped); a block that is opened and never closed is an error, as is an
/// empty file.
pub(crate) fn split<'a>(path: &Path, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    if text.trim().is_empty() {
        return Err(
            Diagnostic::error(path, 1, 1, Text::new("文件是空的", "the file is empty")).with_hint(
                Text::new(
                    "在文件开头写上 ---、一行 title: 标题、再一行 ---，然后写正文；不需要的文件请删除",
                    "start the file with ---, a line `title: …` and another ---, then the text; delete the file if it is not needed",
                ),
            ),
        );
    }
    // Blank lines before the opening `---` are forgiven.
    let mut start = 0;
    let mut first_no = 1;
    for line in text.split_inclusive('\n') {
        if !line.trim().is_empty() {
            break;
        }
        start += line.len();
        first_no += 1;
    }
    let rest = &text[start..];
    let first_line = rest.lines().next().unwrap_or("");
    if first_line.trim() != "---" {
        if fake_fence(first_line) {
            return Err(fence_error(path, first_no, first_line, true));
        }
        return Ok(Split {
            yaml: None,
            yaml_line: 1,
            body: text,
            body_line: 1,
        });
    }
    let yaml_start = start + first_line.len() + 1;
    let mut offset = yaml_start;
    let mut body_like: Option<usize> = None;
    for (line_no, line) in
        (first_no + 1..).zip(text.get(yaml_start..).unwrap_or("").split_inclusive('\n'))
    {
        let t = line.trim_end();
        if t.trim_start() == "---" || t == "..." {
            let yaml = &text[yaml_start..offset];
            let body_start = (offset + line.len()).min(text.len());
            return Ok(Split {
                yaml: Some(yaml),
                yaml_line: first_no + 1,
                body: &text[body_start..],
                body_line: line_no + 1,
            });
        }
        if fake_fence(line) && body_like.is_none() {
            return Err(fence_error(path, line_no, line, false));
        }
        if body_like.is_none() && looks_like_body(line) {
            body_like = Some(line_no);
        }
        offset += line.len();
    }
    let d = Diagnostic::error(
        path,
        first_no,
        1,
        Text::new(
            "文件开头的 --- 没有对应的结束行 ---（信息栏没有闭合）",
            format!("the front matter opened by --- on line {first_no} is never closed"),
        ),
    )
    .with_len(3);
    Err(match body_like {
        Some(l) => d
            .with_related(
                l,
                1,
                0,
                Text::new("正文好像从这里开始", "the text seems to start here"),
            )
            .with_hint(Text::new(
                format!("在第 {l} 行上面单独写一行 ---，把设置项和正文分开"),
                format!("add a line containing only --- above line {l}, between the settings and the text"),
            )),
        None => d.with_hint(Text::new(
            "在最后一个设置项（如 title: …）下面单独写一行 ---，再写正文",
            "add a line containing only --- after the last front-matter key, before the text",
        )),
    })
}

/// A file that starts with settings (`title: …`) without the `---` above them: adding
/// the usual three lines would give it a second title.
pub(crate) fn missing_opening_fence(path: &Path, text: &str) -> Option<Diagnostic> {
    let mut lines = (1..)
        .zip(text.lines())
        .skip_while(|(_, l)| l.trim().is_empty());
    let (first_no, first) = lines.next()?;
    if !is_key_line(first.trim_end()) {
        return None;
    }
    let d = Diagnostic::error(
        path,
        first_no,
        1,
        Text::new(
            "信息栏缺少开头的 ---：设置项前面要单独一行 ---",
            "the front matter has no opening ---: the settings must start with a line ---",
        ),
    );
    Some(match lines.find(|(_, l)| l.trim_end() == "---") {
        Some((close_no, _)) => d
            .with_related(
                close_no,
                1,
                3,
                Text::new("结束的 --- 在这里", "the closing --- is here"),
            )
            .with_hint(Text::new(
                format!("在第 {first_no} 行上面单独加一行 ---（三个英文减号）"),
                format!("add a line containing only --- above line {first_no}"),
            )),
        None => d.with_hint(Text::new(
            format!("在第 {first_no} 行上面和最后一个设置项下面各单独加一行 ---（三个英文减号）"),
            format!("add a line containing only --- above line {first_no} and another below the last setting"),
        )),
    })
}

/// The lines of a YAML block with list items written without the space after the dash
/// (`-田块整治` under `outcomes:`, which YAML reads as one long text) given their
/// space, and those lines' indexes, grouped by list. Only lines where a list is
/// expected count: after a `key:` with nothing after it, or after another item.
fn list_dashes(yaml: &str) -> (Vec<String>, Vec<Vec<usize>>) {
    let mut lines: Vec<String> = yaml.lines().map(str::to_string).collect();
    let mut lists: Vec<Vec<usize>> = Vec::new();
    // The list being read, and whether a line of it lacked the space.
    let mut list: Option<Vec<usize>> = None;
    for (i, line) in lines.iter_mut().enumerate() {
        let t = line.trim_start();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let after = t.strip_prefix('-').and_then(|r| r.chars().next());
        match (after, list.as_mut()) {
            (Some(c), Some(fixed)) if !c.is_whitespace() && c != '-' && !c.is_ascii_digit() => {
                let dash = line.len() - t.len() + 1;
                line.insert(dash, ' ');
                fixed.push(i);
            }
            (Some(' '), Some(_)) => {}
            _ => {
                lists.extend(list.take().filter(|f| !f.is_empty()));
                // A list is expected under a list key with nothing after its colon.
                let opens = t.split_once(':').is_some_and(|(key, v)| {
                    let v = v.split(" #").next().unwrap_or("");
                    is_list_key(key.trim()) && v.trim().is_empty()
                });
                if !line.starts_with(' ') && opens {
                    list = Some(Vec::new());
                }
            }
        }
    }
    lists.extend(list.filter(|f| !f.is_empty()));
    (lines, lists)
}

/// One warning per list whose items lack the space after the dash, at the first.
fn dashes_warnings(
    path: &Path,
    lines: &[String],
    lists: &[Vec<usize>],
    yaml_line: usize,
) -> Vec<Diagnostic> {
    lists
        .iter()
        .filter_map(|fixed| {
            let &first = fixed.first()?;
            let line = lines.get(first)?;
            let column = line.chars().take_while(|c| *c == ' ').count() + 1;
            let item = line.trim_start().trim_start_matches("- ");
            let numbers: Vec<String> = fixed.iter().map(|i| (yaml_line + i).to_string()).collect();
            let d = Diagnostic::warning(
                path,
                yaml_line + first,
                column,
                Text::new(
                    format!(
                        "第 {} 行：列表项的减号后面缺少空格，YAML 不把它当作列表项（这次已按列表读取）",
                        numbers.join("、")
                    ),
                    format!(
                        "{} {}: a list item lacks the space after the dash, so YAML does not read it as an item (read as a list this time)",
                        if numbers.len() == 1 { "line" } else { "lines" },
                        numbers.join(", ")
                    ),
                ),
            );
            Some(d.with_len(item.chars().count() + 1).with_hint(Text::new(
                format!("在减号后面加一个空格，写成 - {item}"),
                format!("add a space after the dash: - {item}"),
            )))
        })
        .collect()
}

/// A line that cannot be front matter: a Markdown heading, or text with no `key:`.
fn looks_like_body(line: &str) -> bool {
    let t = line.trim_end();
    if t.is_empty() || t.starts_with([' ', '\t', '-', '#', '[', '{', '"', '\'', '}', ']']) {
        return t.starts_with("# ") || t.starts_with("## ");
    }
    !t.contains(':') && !t.contains('：')
}

/// The parsed front matter of one file with the positions of its top-level keys, and the
/// diagnostics collected while reading it.
#[derive(Debug)]
pub(crate) struct FrontMatter {
    pub(crate) path: PathBuf,
    map: Mapping,
    /// key → (line, column of the key, column of the value)
    positions: HashMap<String, (usize, usize, usize)>,
    yaml_line: usize,
    lines: Vec<String>,
    pub(crate) diags: Vec<Diagnostic>,
}

impl FrontMatter {
    /// Parses the YAML block. Syntax errors are returned at their position in the file.
    pub(crate) fn parse(
        path: &Path,
        yaml: &str,
        yaml_line: usize,
    ) -> Result<FrontMatter, Diagnostic> {
        let (lines, dashes) = list_dashes(yaml);
        let fixed;
        let yaml = if dashes.is_empty() {
            yaml
        } else {
            fixed = lines.join("\n");
            &fixed
        };
        if let Some(d) = precheck(path, &lines, yaml_line) {
            return Err(d);
        }
        let value: Value = if yaml.trim().is_empty() {
            Value::Mapping(Mapping::new())
        } else {
            serde_yaml_ng::from_str(yaml)
                .map_err(|e| yaml_error_in(path, &e, yaml_line, yaml, Block::FrontMatter))?
        };
        let map = match value {
            Value::Mapping(m) => m,
            Value::Null => Mapping::new(),
            _ => {
                return Err(Diagnostic::error(
                    path,
                    yaml_line,
                    1,
                    Text::new(
                        "信息栏应当是“键: 值”的列表",
                        "front matter must be a list of `key: value` lines",
                    ),
                )
                .with_hint(Text::new(
                    "每行写成 title: 标题 这样的形式",
                    "write one `key: value` per line, e.g. `title: My page`",
                )));
            }
        };
        let positions = key_positions(&lines, yaml_line);
        let diags = dashes_warnings(path, &lines, &dashes, yaml_line);
        Ok(FrontMatter {
            path: path.to_path_buf(),
            map,
            positions,
            yaml_line,
            lines,
            diags,
        })
    }

    /// An empty front matter (a file without a `---` block).
    pub(crate) fn empty(path: &Path) -> FrontMatter {
        FrontMatter {
            path: path.to_path_buf(),
            map: Mapping::new(),
            positions: HashMap::new(),
            yaml_line: 1,
            lines: Vec::new(),
            diags: Vec::new(),
        }
    }

    /// Line and column of a key (of the front matter's start when the key is absent).
    pub(crate) fn key_pos(&self, key: &str) -> (usize, usize) {
        self.positions.get(key).map_or(
            (self.yaml_line.saturating_sub(1).max(1), 1),
            |&(l, c, _)| (l, c),
        )
    }

    /// Line and column of a key's value.
    pub(crate) fn value_pos(&self, key: &str) -> (usize, usize) {
        self.positions
            .get(key)
            .map_or(self.key_pos(key), |&(l, _, c)| (l, c))
    }

    /// Position of `needle` inside the block of `key` (e.g. one item of a list), falling
    /// back to the key's value.
    pub(crate) fn item_pos(&self, key: &str, needle: &str) -> (usize, usize) {
        let Some(&(line, _, _)) = self.positions.get(key) else {
            return self.key_pos(key);
        };
        let first = line - self.yaml_line;
        for (i, text) in self.lines.iter().enumerate().skip(first) {
            if i > first && !text.starts_with([' ', '\t', '-']) && !text.trim().is_empty() {
                break;
            }
            let search_from = if i == first {
                text.find(':').map_or(0, |c| c + 1)
            } else {
                0
            };
            if let Some(at) = text.get(search_from..).and_then(|t| find_item(t, needle)) {
                let col = text[..search_from + at].chars().count() + 1;
                return (self.yaml_line + i, col);
            }
        }
        self.value_pos(key)
    }

    /// Position of a key nested in the mapping under `key` (`requirements:` → `2026` →
    /// `市直机关` → `hours`), written in block or flow style: each of `parts` is the
    /// first `part:` after the one before it, within `key`'s block, which is where a
    /// child of a mapping is. With `value`, the position of the last part's value. Falls
    /// back to the last part found.
    pub(crate) fn nested_pos(&self, key: &str, parts: &[&str], value: bool) -> (usize, usize) {
        let Some(&(line, _, _)) = self.positions.get(key) else {
            return self.key_pos(key);
        };
        let first = line - self.yaml_line;
        let start = self.lines[first].find(':').map_or(0, |c| c + 1);
        let (mut at_line, mut at_byte) = (first, start);
        let mut found = self.key_pos(key);
        'parts: for part in parts {
            for (i, text) in self.lines.iter().enumerate().skip(at_line) {
                let t = text.trim_start();
                if i > first
                    && !text.starts_with([' ', '\t'])
                    && !t.is_empty()
                    && !t.starts_with('#')
                {
                    break 'parts;
                }
                let from = if i == at_line { at_byte } else { 0 };
                let Some((key_at, value_at)) = text.get(from..).and_then(|t| find_key(t, part))
                else {
                    continue;
                };
                let byte = from + if value { value_at } else { key_at };
                found = (self.yaml_line + i, text[..byte].chars().count() + 1);
                (at_line, at_byte) = (i, from + value_at);
                continue 'parts;
            }
            break;
        }
        found
    }

    /// Position in a block list of mappings under `key` (`sessions:` with `- date: …`
    /// items): item `item`'s dash, or with `sub` that item's key `sub` (its value with
    /// `value`). Falls back to the item, then to the key's value (a list written on one
    /// line).
    pub(crate) fn list_item_pos(
        &self,
        key: &str,
        item: usize,
        sub: Option<&str>,
        value: bool,
    ) -> (usize, usize) {
        let Some(&(line, _, _)) = self.positions.get(key) else {
            return self.key_pos(key);
        };
        let first = line - self.yaml_line + 1;
        let block = self
            .lines
            .iter()
            .enumerate()
            .skip(first)
            .take_while(|(_, t)| t.starts_with([' ', '\t', '-']) || t.trim().is_empty());
        let dash_indent = |t: &str| {
            let rest = t.trim_start();
            (rest == "-" || rest.starts_with("- ")).then(|| t.len() - rest.len())
        };
        let mut items_seen = 0;
        let mut indent = None;
        let mut item_pos = None;
        for (i, text) in block {
            let starts_item = dash_indent(text).is_some_and(|d| *indent.get_or_insert(d) == d);
            if starts_item {
                items_seen += 1;
                if items_seen == item + 2 {
                    break;
                }
            }
            if items_seen != item + 1 {
                continue;
            }
            let col = |byte: usize| text[..byte].chars().count() + 1;
            if starts_item {
                item_pos = Some((
                    self.yaml_line + i,
                    col(text.len() - text.trim_start().len()),
                ));
            }
            let Some(sub) = sub else { continue };
            let body = text.trim_start().trim_start_matches("- ").trim_start();
            if let Some(after) = body.strip_prefix(sub).and_then(|r| r.strip_prefix(':')) {
                let at_key = text.len() - body.len();
                let at_value = text.len() - after.trim_start().len();
                let byte = if value && !after.trim().is_empty() {
                    at_value
                } else {
                    at_key
                };
                return (self.yaml_line + i, col(byte));
            }
        }
        item_pos.unwrap_or_else(|| self.value_pos(key))
    }

    /// The lines of a top-level key's block (its own line and the indented lines after
    /// it) with their line numbers in the file, for values nested deeper than
    /// [`Self::item_pos`] looks (`rota:`).
    pub(crate) fn block_lines(&self, key: &str) -> Vec<(usize, &str)> {
        let Some(&(line, _, _)) = self.positions.get(key) else {
            return Vec::new();
        };
        let first = line - self.yaml_line;
        let mut out = Vec::new();
        for (i, text) in self.lines.iter().enumerate().skip(first) {
            if i > first && !text.starts_with([' ', '\t', '-']) && !text.trim().is_empty() {
                break;
            }
            out.push((self.yaml_line + i, text.as_str()));
        }
        out
    }

    /// The plain (unquoted) value of a top-level key as written on its line.
    fn raw_value(&self, key: &str) -> Option<String> {
        let &(line, _, col) = self.positions.get(key)?;
        let text = self.lines.get(line.checked_sub(self.yaml_line)?)?;
        let value: String = text.chars().skip(col - 1).collect();
        let value = value.split(" #").next().unwrap_or("").trim().to_string();
        (!value.is_empty() && !value.starts_with(['"', '\'', '[', '{'])).then_some(value)
    }

    pub(crate) fn keys(&self) -> impl Iterator<Item = &str> {
        self.map.keys().filter_map(Value::as_str)
    }

    pub(crate) fn get(&self, key: &str) -> Option<&Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    pub(crate) fn error_at(&mut self, pos: (usize, usize), message: Text, hint: Text) {
        let d = Diagnostic::error(&self.path, pos.0, pos.1, message).with_hint(hint);
        self.diags.push(d);
    }

    pub(crate) fn warn_at(&mut self, pos: (usize, usize), message: Text, hint: Text) {
        let d = Diagnostic::warning(&self.path, pos.0, pos.1, message).with_hint(hint);
        self.diags.push(d);
    }

    /// Reports every key not in `allowed`, with a "did you mean".
    /// `kind` names what the keys belong to ("课程" / "a course").
    pub(crate) fn check_keys(&mut self, allowed: &[&str], kind: &Text) {
        let unknown: Vec<String> = self
            .map
            .keys()
            .map(|k| match k {
                Value::String(s) => s.clone(),
                // A key that is not text (`1: a`, `[a]: b`) is shown as written in YAML.
                other => serde_yaml_ng::to_string(other)
                    .map_or_else(|_| format!("{other:?}"), |k| k.trim().to_string()),
            })
            .filter(|k| !allowed.contains(&k.as_str()))
            .collect();
        for key in unknown {
            let pos = self.key_pos(&key);
            let alias = KEY_ALIASES
                .iter()
                .find(|(zh, en)| *zh == key && allowed.contains(en))
                .map(|&(_, en)| {
                    Text::new(
                        format!("设置项的名字要用英文：把“{key}”改成 {en}"),
                        format!("keys are written in English: write `{en}` instead of `{key}`"),
                    )
                });
            let lower = key.to_lowercase();
            let hint = alias
                .or_else(|| {
                    (lower != key && allowed.contains(&lower.as_str())).then(|| {
                        Text::new(
                            format!("设置项的名字要用小写字母：写成 {lower}"),
                            format!("keys are lowercase: write `{lower}`"),
                        )
                    })
                })
                .or_else(|| suggestion(&key, allowed.iter().copied()))
                .unwrap_or_else(|| {
                    Text::new(
                        format!("{}可以使用的设置项：{}", kind.zh, allowed.join("、")),
                        format!("{} may use: {}", kind.en, allowed.join(", ")),
                    )
                });
            self.error_at(
                pos,
                Text::new(
                    format!("未知的设置项“{key}”"),
                    format!("unknown front-matter key `{key}`"),
                ),
                hint,
            );
        }
    }

    /// `want` says what the value should be ("一段文字" / "text").
    fn wrong_type(&mut self, key: &str, want: Text, example: &str) {
        let pos = self.value_pos(key);
        let got = describe(self.map.get(key));
        self.error_at(
            pos,
            Text::new(
                format!("“{key}”应当是{}，这里写的是{}", want.zh, got.zh),
                format!("`{key}` must be {}, found {}", want.en, got.en),
            ),
            Text::new(
                format!("例如：{key}: {example}"),
                format!("for example: {key}: {example}"),
            ),
        );
    }

    /// A text value. Numbers are accepted as text (`title: 2026` means "2026").
    pub(crate) fn string(&mut self, key: &str) -> Option<String> {
        match self.get(key)? {
            Value::String(s) => Some(s.trim().to_string()),
            // YAML reads `1.50` as 1.5 and `0x10` as 16: keep what the editor wrote.
            Value::Number(n) => Some(self.raw_value(key).unwrap_or_else(|| n.to_string())),
            Value::Bool(b) => {
                let b = *b;
                let pos = self.value_pos(key);
                self.error_at(
                    pos,
                    Text::new(
                        format!("“{key}”应当是文字，YAML 把这里读成了真假值 {b}"),
                        format!(
                            "`{key}` must be text, but YAML reads this value as the boolean {b}"
                        ),
                    ),
                    Text::new(
                        format!("给值加上引号，例如 {key}: \"{b}\""),
                        format!("put the value in quotes, e.g. {key}: \"{b}\""),
                    ),
                );
                None
            }
            _ => {
                self.wrong_type(key, Text::new("一段文字", "text"), "\"……\"");
                None
            }
        }
    }

    /// A required text value; reports its absence.
    pub(crate) fn required_string(&mut self, key: &str, example: &str) -> Option<String> {
        if self.get(key).is_none() && self.positions.contains_key(key) {
            let pos = self.key_pos(key);
            self.error_at(
                pos,
                Text::new(
                    format!("必填项“{key}”后面没有填写内容"),
                    format!("the required key `{key}` has no value"),
                ),
                Text::new(
                    format!("在冒号后面写上内容，例如 {key}: {example}"),
                    format!("write a value after the colon, e.g. {key}: {example}"),
                ),
            );
            return None;
        }
        // `Title:` or `标题:` is reported as an unknown key that names this one.
        let variant = self.keys().any(|k| {
            k != key
                && (k.to_lowercase() == key
                    || KEY_ALIASES.iter().any(|&(zh, en)| zh == k && en == key))
        });
        if self.get(key).is_none() && variant {
            return None;
        }
        if self.get(key).is_none() {
            let pos = (self.yaml_line.saturating_sub(1).max(1), 1);
            self.error_at(
                pos,
                Text::new(
                    format!("缺少必填项“{key}”"),
                    format!("missing required key `{key}`"),
                ),
                Text::new(
                    format!("在信息栏中加上一行 {key}: {example}"),
                    format!("add a line `{key}: {example}` to the front matter"),
                ),
            );
            return None;
        }
        let s = self.string(key)?;
        if s.is_empty() {
            let pos = self.value_pos(key);
            self.error_at(
                pos,
                Text::new(
                    format!("“{key}”不能为空"),
                    format!("`{key}` must not be empty"),
                ),
                Text::new(
                    format!("例如：{key}: {example}"),
                    format!("for example: {key}: {example}"),
                ),
            );
            return None;
        }
        Some(s)
    }

    /// A list of text values; a single value is taken as a list of one. Lists of names
    /// and files written with full-width brackets or commas are read as meant, with a
    /// warning: YAML reads `【粮食安全，耕地】` as one text.
    pub(crate) fn string_list(&mut self, key: &str) -> Vec<String> {
        let Some(value) = self.get(key).cloned() else {
            return Vec::new();
        };
        let names = TERM_LISTS.contains(&key) || FILE_LISTS.contains(&key);
        match value {
            Value::String(s) => self.text_as_list(key, s.trim(), names),
            Value::Number(n) => vec![n.to_string()],
            Value::Sequence(items) => self.sequence(key, &items, names),
            _ => {
                self.wrong_type(key, Text::new("文字列表", "a list of text"), "[甲, 乙]");
                Vec::new()
            }
        }
    }

    /// A list written as one text: names in full-width brackets, names separated by
    /// commas, files separated by full-width commas; else one item.
    fn text_as_list(&mut self, key: &str, s: &str, names: bool) -> Vec<String> {
        if names && let Some(inner) = full_width_brackets(s) {
            let items = split_names(inner);
            let what = Text::new("中文方括号“【】”", "full-width brackets `【】`");
            self.full_width_list(key, s, &items, what);
            return items;
        }
        if TERM_LISTS.contains(&key) {
            // `tags: 党建, 学习` means two tags: YAML reads it as one text.
            return split_names(s);
        }
        if FILE_LISTS.contains(&key) && s.contains(['，', '、']) {
            let items = split_names(s);
            let what = Text::new("中文逗号“，”", "full-width commas `，`");
            self.full_width_list(key, s, &items, what);
            return items;
        }
        vec![s.to_string()]
    }

    /// The texts of a YAML list; in a list of `names`, an item holding full-width commas
    /// is the several items meant.
    fn sequence(&mut self, key: &str, items: &[Value], names: bool) -> Vec<String> {
        let mut out = Vec::new();
        let mut joined = None;
        for item in items {
            match item {
                Value::String(s) if names && s.contains(['，', '、']) => {
                    joined.get_or_insert_with(|| s.trim().to_string());
                    out.extend(split_names(s));
                }
                Value::String(s) => out.push(s.trim().to_string()),
                Value::Number(n) => out.push(n.to_string()),
                Value::Null => {}
                _ => {
                    self.wrong_type(key, Text::new("文字列表", "a list of text"), "[甲, 乙]");
                    return Vec::new();
                }
            }
        }
        out.retain(|s| !s.is_empty());
        if let Some(written) = joined {
            self.full_width_list(
                key,
                &written,
                &out,
                Text::new("中文逗号“，”", "full-width commas `，`"),
            );
        }
        out
    }

    /// Warns that the list `key` was written with `what` (full-width punctuation) at
    /// `written`, and read as `items`.
    fn full_width_list(&mut self, key: &str, written: &str, items: &[String], what: Text) {
        let pos = self.item_pos(key, written);
        let list = format!("[{}]", items.join(", "));
        self.diags.push(
            Diagnostic::warning(
                &self.path,
                pos.0,
                pos.1,
                Text::new(
                    format!("“{key}”的列表用了{}，YAML 会把“{written}”读成一项（这次已按 {} 项读取）", what.zh, items.len()),
                    format!("the list `{key}` uses {}, which YAML reads as the one item `{written}` (read as {} items this time)", what.en, items.len()),
                ),
            )
            .with_len(written.chars().count())
            .with_hint(Text::new(
                format!("切换到英文输入法，用英文方括号和逗号：{key}: {list}"),
                format!("use ASCII brackets and commas: {key}: {list}"),
            )),
        );
    }

    pub(crate) fn bool(&mut self, key: &str) -> Option<bool> {
        let value = self.get(key)?.clone();
        if let Value::Bool(b) = value {
            return Some(b);
        }
        if let Value::String(s) = &value {
            let t = s.trim().to_lowercase();
            match t.as_str() {
                "true" | "yes" | "是" | "对" => return Some(true),
                "false" | "no" | "否" | "不" | "不是" => return Some(false),
                _ => {}
            }
            if let Some(g) = crate::diagnostic::did_you_mean(&t, ["true", "false"]) {
                let pos = self.value_pos(key);
                self.error_at(
                    pos,
                    Text::new(
                        format!("“{key}”只能写 true 或 false，这里写的是“{}”", s.trim()),
                        format!("`{key}` must be true or false, found `{}`", s.trim()),
                    ),
                    Text::new(
                        format!("是不是要写 {key}: {g}？（true 表示“是”，false 表示“否”）"),
                        format!("did you mean `{key}: {g}`?"),
                    ),
                );
                return None;
            }
        }
        self.wrong_type(key, Text::new("true 或 false", "true or false"), "true");
        None
    }

    /// A number ≥ 0.
    pub(crate) fn number(&mut self, key: &str) -> Option<f64> {
        let n = match self.get(key)? {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => s.trim().parse::<f64>().ok(),
            _ => None,
        };
        match n {
            Some(n) if n.is_finite() && n >= 0.0 => Some(n),
            _ => {
                if !self.number_with_unit(key) {
                    self.wrong_type(key, Text::new("不小于 0 的数字", "a number ≥ 0"), "2");
                }
                None
            }
        }
    }

    pub(crate) fn integer(&mut self, key: &str) -> Option<i64> {
        match self.get(key)? {
            Value::Number(n) if n.as_i64().is_some() => n.as_i64(),
            Value::String(s) if s.trim().parse::<i64>().is_ok() => s.trim().parse().ok(),
            _ => {
                if !self.number_with_unit(key) {
                    self.wrong_type(key, Text::new("整数", "a whole number"), "10");
                }
                None
            }
        }
    }

    /// `hours: 4学时`, `duration: 45分钟`: a number followed by a unit. Reports it and
    /// returns true when the value is one.
    fn number_with_unit(&mut self, key: &str) -> bool {
        let Some(Value::String(s)) = self.get(key) else {
            return false;
        };
        let s = s.trim().to_string();
        let digits: String = s
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        let unit = s[digits.len()..].trim().to_string();
        if digits.is_empty() || unit.is_empty() || digits.parse::<f64>().is_err() {
            return false;
        }
        let pos = self.value_pos(key);
        self.diags.push(
            Diagnostic::error(
                &self.path,
                pos.0,
                pos.1,
                Text::new(
                    format!("“{key}”只能写数字，这里多了单位“{unit}”"),
                    format!("`{key}` takes a bare number; remove the unit `{unit}`"),
                ),
            )
            .with_len(s.chars().count())
            .with_hint(Text::new(
                format!("去掉单位，写成 {key}: {digits}"),
                format!("write {key}: {digits}"),
            )),
        );
        true
    }

    /// A calendar date: 2026-03-05, 2026/3/5 or 2026年3月5日.
    pub(crate) fn date(&mut self, key: &str) -> Option<Date> {
        let raw = self.string(key)?;
        // A date and a time where only a date is wanted: the date is unambiguous.
        let parsed = parse_date(&raw).or_else(|| parse_datetime(&raw).map(|t| t.date()));
        match parsed {
            Some(d) => Some(d),
            None => {
                let pos = self.value_pos(key);
                let problem = explain_date(key, &raw);
                self.diags.push(
                    Diagnostic::error(
                        &self.path,
                        pos.0,
                        pos.1,
                        Text::new(
                            format!("“{key}”的日期“{raw}”无法识别{}", problem.why.zh),
                            format!("`{key}`: `{raw}` is not a valid date{}", problem.why.en),
                        ),
                    )
                    .with_len(self.raw_len(key, &raw))
                    .with_hint(problem.hint),
                );
                None
            }
        }
    }

    /// A local date and time in the site timezone: `2026-03-15 09:00`.
    pub(crate) fn datetime(&mut self, key: &str) -> Option<DateTime> {
        self.datetime_on(key, None)
    }

    /// A local date and time; with `day`, a time alone (`end: "17:00"`) is taken on that
    /// day.
    pub(crate) fn datetime_on(&mut self, key: &str, day: Option<Date>) -> Option<DateTime> {
        let raw = self.string(key)?;
        let time_only = parse_time(&raw);
        match (parse_datetime(&raw), time_only, day) {
            (Some(d), _, _) => Some(d),
            (None, Some((h, m)), Some(day)) => {
                day.at(h, m, 0, 0).checked_add(jiff::Span::new()).ok()
            }
            _ => {
                let pos = self.value_pos(key);
                let problem = explain_datetime(key, &raw);
                self.diags.push(
                    Diagnostic::error(
                        &self.path,
                        pos.0,
                        pos.1,
                        Text::new(
                            format!("“{key}”的时间“{raw}”无法识别{}", problem.why.zh),
                            format!(
                                "`{key}`: `{raw}` is not a valid date and time{}",
                                problem.why.en
                            ),
                        ),
                    )
                    .with_len(self.raw_len(key, &raw))
                    .with_hint(problem.hint),
                );
                None
            }
        }
    }

    /// Characters the value of `key` takes on its line (quotes included), for underlining.
    fn raw_len(&self, key: &str, value: &str) -> usize {
        let Some(&(line, _, col)) = self.positions.get(key) else {
            return 0;
        };
        let Some(text) = line
            .checked_sub(self.yaml_line)
            .and_then(|i| self.lines.get(i))
        else {
            return 0;
        };
        let rest: String = text.chars().skip(col - 1).collect();
        let rest = rest.split(" #").next().unwrap_or("").trim_end();
        if rest.contains(value) {
            rest.chars().count()
        } else {
            0
        }
    }
}

/// Why a date cannot be read and how to write it.
pub struct DateProblem {
    /// Appended to "… is not a valid date": "：…" / ": …", or empty.
    pub why: Text,
    pub hint: Text,
}

/// The text inside full-width brackets (`【粮食安全，耕地】`, `［a, b］`).
fn full_width_brackets(s: &str) -> Option<&str> {
    let inner = s.strip_prefix(['【', '［'])?;
    inner.strip_suffix(['】', '］'])
}

/// Names separated by commas or 、, ASCII or full-width.
fn split_names(s: &str) -> Vec<String> {
    s.split([',', '，', '、'])
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect()
}

/// Why a date and time cannot be read and how to write it.
fn explain_datetime(key: &str, raw: &str) -> DateProblem {
    let hint = |example: &str| {
        Text::new(
            format!("写成 年-月-日 时:分（24 小时制）并加英文引号，例如 {key}: \"{example}\""),
            format!(
                "write \"year-month-day hour:minute\" (24-hour clock) in quotes, e.g. {key}: \"{example}\""
            ),
        )
    };
    let problem = |zh: &str, en: &str| DateProblem {
        why: Text::new(zh, en),
        hint: hint("2026-03-15 09:00"),
    };
    let norm = normalise_digits(raw.trim());
    let (date_part, time_part) = norm
        .split_once([' ', 'T'])
        .map_or((norm.as_str(), ""), |(d, t)| (d, t.trim()));
    if parse_time(raw).is_some() {
        return problem("：只写了时间，没有日期", ": a time without a date");
    }
    if parse_date(raw).is_some() {
        return problem("：只写了日期，没有时间", ": a date without a time");
    }
    let time_alone = time_part.is_empty();
    let clock = if time_alone { date_part } else { time_part };
    let day = match parse_date(date_part) {
        Some(d) => format!("{d} "),
        None if time_alone => String::new(),
        None => "2026-03-15 ".into(),
    };
    if let Some(p) = clock_problem(key, clock, &day) {
        return p;
    }
    if parse_date(date_part).is_some() {
        // The date is fine: 下午3点, 3:00 PM, 09:00:30, a time zone.
        return problem(
            "：时刻要写成 24 小时制的 时:分，例如下午3点写 15:00",
            ": write the time of day as hour:minute on the 24-hour clock (3 pm is 15:00)",
        );
    }
    let date = explain_date(key, date_part);
    match chinese_numeral_date(date_part) {
        Some(d) => {
            let time = parse_time(time_part).map_or((9, 0), |t| t);
            let example = format!("{d} {:02}:{:02}", time.0, time.1);
            DateProblem {
                why: date.why,
                hint: hint(&example),
            }
        }
        None => DateProblem {
            why: date.why,
            hint: hint("2026-03-15 09:00"),
        },
    }
}

/// `25:00`, `9:75`: why the clock time `clock` does not exist, with an example on `day`
/// (`2026-03-15 ` or nothing).
fn clock_problem(key: &str, clock: &str, day: &str) -> Option<DateProblem> {
    let (h, m) = clock_out_of_range(clock)?;
    if h < 24 {
        return Some(DateProblem {
            why: Text::new(
                format!("：没有 {m} 分，分钟只能是 00–59"),
                format!(": there is no minute {m}; minutes go 00–59"),
            ),
            hint: Text::new(
                format!("分钟写 00–59，例如 {key}: \"{day}{h:02}:30\""),
                format!("minutes go 00–59, e.g. {key}: \"{day}{h:02}:30\""),
            ),
        });
    }
    Some(DateProblem {
        why: Text::new(
            format!("：没有 {h} 点，小时只能是 00–23（24 小时制）"),
            format!(": there is no hour {h}; hours go 00–23 (24-hour clock)"),
        ),
        hint: Text::new(
            format!(
                "小时写 00–23，例如晚上 11 点写 {key}: \"{day}23:00\"；午夜 12 点是第二天的 00:00"
            ),
            format!("e.g. 11 pm is {key}: \"{day}23:00\"; midnight is 00:00 of the next day"),
        ),
    })
}

/// `25:00`, `9:75`: a clock time whose hour or minute does not exist.
fn clock_out_of_range(time: &str) -> Option<(u32, u32)> {
    let (h, m) = time.trim().split_once(':')?;
    let (h, m): (u32, u32) = (h.trim().parse().ok()?, m.trim().get(..2)?.parse().ok()?);
    (h > 23 || m > 59).then_some((h, m))
}

/// A date written in Chinese numerals: 二〇二六年三月五日, 二〇二六年十二月三十一日.
fn chinese_numeral_date(raw: &str) -> Option<Date> {
    let s = raw.trim().trim_end_matches(['日', '号']);
    let (y, rest) = s.split_once('年')?;
    let (m, d) = rest.split_once('月')?;
    // 〇 is also typed as 零 or as the circle ○.
    let digit = |c: char| {
        let c = if matches!(c, '零' | '○') { '〇' } else { c };
        "〇一二三四五六七八九".chars().position(|n| n == c)
    };
    if !raw.chars().any(|c| digit(c).is_some() || c == '十')
        || raw.contains(|c: char| c.is_ascii_digit())
    {
        return None;
    }
    let year = y
        .chars()
        .try_fold(0i64, |n, c| Some(n * 10 + i64::try_from(digit(c)?).ok()?))?;
    // 五, 十, 十五, 二十, 二十三, 三十一.
    let small = |t: &str| -> Option<i64> {
        let chars: Vec<char> = t.chars().collect();
        let value = |c: char| digit(c).and_then(|n| i64::try_from(n).ok());
        match chars.as_slice() {
            [a] if *a == '十' => Some(10),
            [a] => value(*a),
            [a, b] if *a == '十' => Some(10 + value(*b)?),
            [a, b] if *b == '十' => Some(value(*a)? * 10),
            [a, b, c] if *b == '十' => Some(value(*a)? * 10 + value(*c)?),
            _ => None,
        }
    };
    date_of(year, small(m)?, small(d)?)
}

/// Where `key` is written as a key in `text` (bare or quoted, then `:`), and where its
/// value starts.
fn find_key(text: &str, key: &str) -> Option<(usize, usize)> {
    text.match_indices(key).find_map(|(at, _)| {
        let before = text[..at].trim_end_matches(['"', '\'']);
        let open = before
            .chars()
            .next_back()
            .is_none_or(|c| matches!(c, ' ' | '\t' | '{' | ','));
        let rest = &text[at + key.len()..];
        let after = rest.trim_start_matches(['"', '\'']);
        let colon = after.strip_prefix(':')?;
        let start = at + key.len() + (rest.len() - after.len()) + 1;
        let value = start + (colon.len() - colon.trim_start().len());
        (open).then_some((before.len(), value))
    })
}

/// Where `needle` stands in `line` as a whole item (followed by the end of the line, a
/// quote, a comma, a bracket or a space), else where it first appears: `/a/` in
/// `[/a/b/, /a/]` is the second item.
pub(crate) fn find_item(line: &str, needle: &str) -> Option<usize> {
    let whole = line.match_indices(needle).map(|(at, _)| at).find(|&at| {
        line[at + needle.len()..]
            .chars()
            .next()
            .is_none_or(|c| matches!(c, '"' | '\'' | ',' | '，' | ']' | ' ' | '#'))
    });
    whole.or_else(|| line.find(needle))
}

/// Why a date cannot be read.
pub fn explain_date(key: &str, raw: &str) -> DateProblem {
    if let Some(d) = chinese_numeral_date(raw) {
        return DateProblem {
            why: Text::new(
                "：日期要用阿拉伯数字书写",
                ": dates are written in Arabic digits",
            ),
            hint: Text::new(
                format!(
                    "写成 {key}: {d}（也可以写 {}年{}月{}日）",
                    d.year(),
                    d.month(),
                    d.day()
                ),
                format!("write {key}: {d}"),
            ),
        };
    }
    let norm = normalise_digits(raw.trim());
    let nums: Vec<&str> = norm
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .collect();
    let default_hint = || {
        Text::new(
            format!("写成 年-月-日，例如 {key}: 2026-03-15（也可以写 2026/3/15 或 2026年3月15日）"),
            format!("write year-month-day, e.g. {key}: 2026-03-15"),
        )
    };
    let nums_i: Vec<i64> = nums.iter().filter_map(|n| n.parse().ok()).collect();
    let (why, hint) = match nums_i.as_slice() {
        // 3/5/2026: day and month order unknown.
        [a, b, y] if nums[2].len() == 4 && nums[0].len() <= 2 && nums[1].len() <= 2 => {
            let (a, b, y) = (*a, *b, *y);
            let opts = [(a, b), (b, a)]
                .into_iter()
                .filter(|&(m, d)| date_of(y, m, d).is_some())
                .map(|(m, d)| format!("{y}-{m:02}-{d:02}"))
                .collect::<Vec<_>>();
            let hint = match opts.as_slice() {
                [one] => Text::new(
                    format!("年份要写在最前面：写成 {key}: {one}"),
                    format!("put the year first: {key}: {one}"),
                ),
                [x, y] if x != y => Text::new(
                    format!("年份要写在最前面；请确认是 {x} 还是 {y}，写成例如 {key}: {x}"),
                    format!("put the year first; {x} or {y}? e.g. {key}: {x}"),
                ),
                [x, ..] => Text::new(
                    format!("年份要写在最前面：写成 {key}: {x}"),
                    format!("put the year first: {key}: {x}"),
                ),
                [] => default_hint(),
            };
            (
                Text::new(
                    "：年份写在了最后，分不清月和日",
                    ": the year is last, so month and day are ambiguous",
                ),
                hint,
            )
        }
        [y, _, _] if nums[0].len() == 2 => (
            Text::new("：年份要写全四位", ": the year needs four digits"),
            Text::new(
                format!("例如 {key}: 20{y:02}-{}-{}", nums[1], nums[2]),
                format!("e.g. {key}: 20{y:02}-{}-{}", nums[1], nums[2]),
            ),
        ),
        [y, m, d] if nums[0].len() == 4 => {
            let why = if date_of(*y, *m, *d).is_some() {
                // A real date in a form not accepted (2026 3 5, 2026_3_5).
                Text::new(
                    "：年、月、日之间要用 - 或 / 分开",
                    ": separate year, month and day with - or /",
                )
            } else if !(1..=12).contains(m) {
                Text::new(format!("：没有 {m} 月"), format!(": there is no month {m}"))
            } else {
                Text::new(
                    format!("：{y}年{m}月没有{d}日"),
                    format!(": {y}-{m:02} has no day {d}"),
                )
            };
            (why, default_hint())
        }
        [_, _] if nums[0].len() == 4 => (
            Text::new("：缺少日", ": the day is missing"),
            default_hint(),
        ),
        _ => (Text::default(), default_hint()),
    };
    DateProblem { why, hint }
}

fn date_of(y: i64, m: i64, d: i64) -> Option<Date> {
    Date::new(
        i16::try_from(y).ok()?,
        i8::try_from(m).ok()?,
        i8::try_from(d).ok()?,
    )
    .ok()
}

/// Full-width digits and separators (２０２６－０３－０５) → ASCII.
fn normalise_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '－' | '—' => '-',
            '／' => '/',
            '．' | '。' => '.',
            '：' => ':',
            '\u{3000}' => ' ',
            c => c,
        })
        .collect()
}

/// What a YAML value is, for "found …" messages.
fn describe(v: Option<&Value>) -> Text {
    match v {
        Some(Value::String(s)) => Text::new(format!("文字“{s}”"), format!("the text `{s}`")),
        Some(Value::Number(n)) => Text::new(format!("数字 {n}"), format!("the number {n}")),
        Some(Value::Bool(b)) => Text::new(format!("真假值 {b}"), format!("the boolean {b}")),
        Some(Value::Sequence(_)) => Text::new("一个列表", "a list"),
        Some(Value::Mapping(_)) => Text::new("一组键值", "a mapping"),
        _ => Text::new("空值", "nothing"),
    }
}

/// Dates editors write: ISO, with slashes or dots, or the Chinese 年月日 form (日 or 号),
/// in ASCII or full-width digits. Only forms with the year first are accepted: 3/5/2026
/// could be March or May.
pub fn parse_date(raw: &str) -> Option<Date> {
    let norm = normalise_digits(raw.trim());
    let s = norm.trim().trim_end_matches(['日', '号']).trim();
    let parts: Vec<&str> = s
        .split(['-', '/', '.', '年', '月'])
        .map(str::trim)
        .collect();
    if parts.len() != 3 || parts[0].len() != 4 {
        return None;
    }
    if parts
        .iter()
        .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let y: i16 = parts[0].parse().ok()?;
    let m: i8 = parts[1].parse().ok()?;
    let d: i8 = parts[2].parse().ok()?;
    Date::new(y, m, d).ok()
}

/// `09:00`, `9:30`, `15：00`, `9点`, `9点30分`, `15时`: hour and minute.
pub fn parse_time(raw: &str) -> Option<(i8, i8)> {
    let t = normalise_digits(raw.trim());
    let t = t.trim();
    let (h, m) = if let Some((h, m)) = t.split_once(':') {
        let (m, sec) = m.split_once(':').unwrap_or((m, "0"));
        if sec.trim().parse::<u8>().ok()? != 0 {
            return None;
        }
        (h, m)
    } else if let Some((h, m)) = t.split_once(['点', '时']) {
        let m = m.trim().trim_end_matches('分');
        let m = match m {
            "" | "整" => "0",
            "半" => "30",
            m => m,
        };
        (h, m)
    } else {
        return None;
    };
    let (h, m) = (h.trim(), m.trim());
    if h.is_empty() || m.is_empty() || h.len() > 2 || m.len() > 2 {
        return None;
    }
    let h: i8 = h.parse().ok()?;
    let m: i8 = m.parse().ok()?;
    ((0..24).contains(&h) && (0..60).contains(&m)).then_some((h, m))
}

/// `2026-03-15 09:00`, `2026-03-15T09:00:00`, `2026/3/15 9:00`, `2026年3月15日 15:00`
/// (the space after 日 may be left out).
pub fn parse_datetime(raw: &str) -> Option<DateTime> {
    let s = normalise_digits(raw.trim());
    let s = s.trim();
    let (date, time) = match s.split_once(['T', ' ']) {
        Some(pair) => pair,
        None => {
            let i = s.find(['日', '号'])?;
            let end = i + s[i..].chars().next()?.len_utf8();
            (&s[..end], &s[end..])
        }
    };
    let date = parse_date(date)?;
    let (h, m) = parse_time(time)?;
    DateTime::new(date.year(), date.month(), date.day(), h, m, 0, 0).ok()
}

/// Positions of the top-level keys of a YAML block.
fn key_positions(lines: &[String], yaml_line: usize) -> HashMap<String, (usize, usize, usize)> {
    let mut out = HashMap::new();
    for (i, line) in lines.iter().enumerate() {
        if line.starts_with([' ', '\t', '#', '-']) || line.trim().is_empty() {
            continue;
        }
        let Some(colon) = line.find(':') else {
            continue;
        };
        let key = line[..colon].trim().trim_matches(['"', '\'']).to_string();
        let rest = &line[colon + 1..];
        let value_offset = colon + 1 + (rest.len() - rest.trim_start().len());
        let value_col = line[..value_offset].chars().count() + 1;
        out.entry(key).or_insert((yaml_line + i, 1, value_col));
    }
    out
}

/// A tab in a line of YAML (file line `n`), which YAML refuses in indentation and
/// reports in English elsewhere.
pub(crate) fn tab_error(path: &Path, line: &str, n: usize) -> Option<Diagnostic> {
    let col = line.find('\t')?;
    let c = line[..col].chars().count() + 1;
    let leading = line[..col].trim().is_empty();
    let (message, hint) = if leading {
        (
            Text::new(
                "YAML 中不能用制表符（Tab）缩进",
                "tabs are not allowed in YAML indentation",
            ),
            Text::new(
                "把行首的 Tab 换成空格（每一层两个空格）；编辑器里可以设置“按 Tab 键插入空格”",
                "replace the tab at the start of the line with spaces (two per level)",
            ),
        )
    } else {
        (
            Text::new(
                "这里有一个制表符（Tab），YAML 不认它作分隔",
                "a tab is used here; YAML does not accept it as a separator",
            ),
            Text::new("把 Tab 换成一个空格", "replace the tab with a space"),
        )
    };
    Some(
        Diagnostic::error(path, n, c, message)
            .with_len(1)
            .with_hint(hint),
    )
}

/// Mistakes YAML reports badly or not at all: tabs, full-width colons and spaces, and a
/// missing space after the colon.
fn precheck(path: &Path, lines: &[String], yaml_line: usize) -> Option<Diagnostic> {
    // The line of the last top-level `key: value` whose value is complete on its line.
    let mut prev_top: Option<usize> = None;
    for (i, line) in lines.iter().enumerate() {
        let n = yaml_line + i;
        let content = line.split(" #").next().unwrap_or(line);
        if let Some(d) = tab_error(path, line, n) {
            return Some(d);
        }
        if line.starts_with('\u{3000}') {
            return Some(
                Diagnostic::error(
                    path,
                    n,
                    1,
                    Text::new(
                        "行首是全角空格（中文输入法下的空格），YAML 不认",
                        "the line starts with a full-width space, which YAML does not accept",
                    ),
                )
                .with_len(line.chars().take_while(|&c| c == '\u{3000}' || c == ' ').count())
                .with_hint(Text::new(
                    "切换到英文输入法，把行首的全角空格换成普通空格（顶层设置项要顶格写）",
                    "replace the full-width spaces with normal spaces (top-level keys start at the first column)",
                )),
            );
        }
        // An indented `key: value` under a finished `key: value` line: a stray space.
        if line.starts_with(' ')
            && let Some(prev) = prev_top
            && is_key_line(line.trim_start())
        {
            let c = line.len() - line.trim_start().len();
            return Some(
                Diagnostic::error(
                    path,
                    n,
                    1,
                    Text::new(
                        "这一行前面多了空格：设置项要顶格写，和上一行对齐",
                        "this line is indented: keys start at the first column, aligned with the line above",
                    ),
                )
                .with_len(c.max(1))
                .with_related(
                    prev,
                    1,
                    0,
                    Text::new("上一个设置项在这里", "the key above"),
                )
                .with_hint(Text::new(
                    "删除行首的空格。只有列表项（- ……）和下一层的设置才需要缩进",
                    "delete the spaces at the start; only list items and nested keys are indented",
                )),
            );
        }
        if !line.starts_with([' ', '#', '-']) && !line.trim().is_empty() {
            prev_top = top_value_done(line).then_some(n);
        } else if !line.trim().is_empty() && !line.trim_start().starts_with('#') {
            prev_top = None;
        }
        if line.starts_with([' ', '#', '-']) || line.trim().is_empty() {
            continue;
        }
        let ascii_colon = content.find(':');
        if let Some(fw) = content.find('：')
            && ascii_colon.is_none_or(|a| fw < a)
        {
            let c = content[..fw].chars().count() + 1;
            return Some(
                Diagnostic::error(
                    path,
                    n,
                    c,
                    Text::new(
                        "这里用了中文全角冒号“：”，YAML 只认英文半角冒号“:”",
                        "a full-width colon `：` is used; YAML needs the ASCII colon `:`",
                    ),
                )
                .with_hint(Text::new(
                    "把“：”改成英文冒号“:”并在后面加一个空格",
                    "replace `：` with `:` followed by a space",
                )),
            );
        }
        if let Some(colon) = ascii_colon {
            let key = &content[..colon];
            let after = &content[colon + 1..];
            if key.contains('\u{3000}') {
                let c = content[..content.find('\u{3000}').unwrap_or(0)]
                    .chars()
                    .count()
                    + 1;
                return Some(
                    Diagnostic::error(
                        path,
                        n,
                        c,
                        Text::new("这里有一个全角空格", "a full-width space is used here"),
                    )
                    .with_hint(Text::new(
                        "删除全角空格，或换成普通空格",
                        "delete the full-width space or use a normal space",
                    )),
                );
            }
            if after.starts_with('\u{3000}') {
                let c = content[..colon].chars().count() + 2;
                return Some(
                    Diagnostic::error(
                        path,
                        n,
                        c,
                        Text::new(
                            "冒号后面是全角空格（中文输入法下的空格），YAML 不认",
                            "a full-width space follows the colon; YAML needs a normal space",
                        ),
                    )
                    .with_len(1)
                    .with_hint(Text::new(
                        "切换到英文输入法，把它换成普通空格",
                        "replace it with a normal space",
                    )),
                );
            }
            let quoted_key = key.starts_with(['"', '\'']);
            if !quoted_key
                && !after.is_empty()
                && !after.starts_with([' ', '\t'])
                && !key.contains(' ')
            {
                let looks_like_time = key.chars().all(|c| c.is_ascii_digit());
                if !looks_like_time {
                    let c = content[..colon].chars().count() + 2;
                    return Some(
                        Diagnostic::error(
                            path,
                            n,
                            c,
                            Text::new("冒号后面缺少空格", "missing space after the colon"),
                        )
                        .with_hint(Text::new(
                            format!("写成 {}: {}", key.trim(), after.trim()),
                            format!("write `{}: {}`", key.trim(), after.trim()),
                        )),
                    );
                }
            }
        }
    }
    None
}

/// `key: …` or `key:` with a plain ASCII key.
fn is_key_line(t: &str) -> bool {
    let Some((key, rest)) = t.split_once(':') else {
        return false;
    };
    !key.is_empty()
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && (rest.is_empty() || rest.starts_with(' '))
}

/// A top-level `key: value` line whose value is complete: not empty (a block follows),
/// not `|`/`>`, not an open flow collection or quote.
fn top_value_done(line: &str) -> bool {
    let Some((_, rest)) = line.split_once(':') else {
        return false;
    };
    let v = rest.split(" #").next().unwrap_or("").trim();
    if v.is_empty() || v.starts_with(['|', '>']) {
        return false;
    }
    let opens = v.matches(['[', '{']).count();
    let closes = v.matches([']', '}']).count();
    let quoted_open = (v.starts_with('"') && (v.len() == 1 || !v.ends_with('"')))
        || (v.starts_with('\'') && (v.len() == 1 || !v.ends_with('\'')));
    opens == closes && !quoted_open
}

/// `… at line L column C` in a libyaml message → (L, C).
fn mark(text: &str) -> Option<(usize, usize)> {
    let rest = text.split(" at line ").nth(1)?;
    let (l, rest) = rest.split_once(" column ")?;
    let c: String = rest.chars().take_while(char::is_ascii_digit).collect();
    Some((l.trim().parse().ok()?, c.parse().ok()?))
}

/// Where a block of YAML is, for the hints that depend on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Block {
    FrontMatter,
    Quiz,
}

/// A YAML syntax error of a block whose first line is file line `yaml_line`; `yaml` is
/// the block's text when known, to point at duplicate keys. The library's English text
/// is shown in English messages only.
pub(crate) fn yaml_error_in(
    path: &Path,
    e: &serde_yaml_ng::Error,
    yaml_line: usize,
    yaml: &str,
    block: Block,
) -> Diagnostic {
    let (line, column) = e
        .location()
        .map_or((yaml_line, 1), |l| (yaml_line + l.line() - 1, l.column()));
    let full = e.to_string();
    let raw = full.split(" at line ").next().unwrap_or(&full).to_string();
    let context = full.split_once(", while ").map(|(_, c)| c.to_string());
    let context_mark = context
        .as_deref()
        .and_then(mark)
        .map(|(l, c)| (yaml_line + l - 1, c));
    let generic_hint = match block {
        Block::FrontMatter => Text::new(
            "检查这一行的写法：每行“键: 值”，冒号为英文冒号且后面有空格，含特殊字符的值加英文引号",
            "check this line: `key: value` with an ASCII colon and a space; quote values containing `: ` or starting with special characters",
        ),
        Block::Quiz => quiz_hint(),
    };
    let base =
        |message: Text, hint: Text| Diagnostic::error(path, line, column, message).with_hint(hint);
    let ctx = context.as_deref().unwrap_or("");
    if raw.contains("while scanning a quoted scalar") || ctx.starts_with("scanning a quoted scalar")
    {
        // An unclosed quote is found at the end of the block: point at the quote.
        let (l, c) = context_mark.unwrap_or((line, column));
        return Diagnostic::error(
            path,
            l,
            c,
            Text::new(
                "引号没有闭合：这里开始的引号后面找不到配对的引号",
                "unclosed quote: the quote opened here has no closing quote",
            ),
        )
        .with_len(1)
        .with_hint(Text::new(
            "在值的末尾补上同样的英文引号（\" 或 '），注意不要用中文引号“”",
            "add the same ASCII quote (\" or ') at the end of the value",
        ));
    }
    if ctx.starts_with("parsing a flow sequence") || ctx.starts_with("parsing a flow mapping") {
        let (open, close) = if ctx.contains("sequence") {
            ('[', ']')
        } else {
            ('{', '}')
        };
        let mut d = base(
            Text::new(
                format!("YAML 格式错误：{open} 没有对应的 {close}，或列表中缺少英文逗号"),
                format!(
                    "invalid YAML: `{open}` is not closed with `{close}`, or a comma is missing ({raw})"
                ),
            ),
            Text::new(
                format!("在列表末尾补上 {close}；各项之间用英文逗号“,”分开（不是中文逗号“，”）"),
                format!("close the list with `{close}`; separate items with ASCII commas"),
            ),
        );
        if let Some((l, c)) = context_mark {
            d = d.with_related(
                l,
                c,
                1,
                Text::new(
                    format!("{open} 从这里开始"),
                    format!("`{open}` opened here"),
                ),
            );
        }
        return d;
    }
    if raw.contains("duplicate entry with key") {
        let key = raw
            .split('"')
            .nth(1)
            .map(str::to_string)
            .unwrap_or_default();
        let lines: Vec<&str> = yaml.lines().collect();
        let found: Vec<usize> = lines
            .iter()
            .enumerate()
            .filter(|(_, l)| {
                l.split_once(':')
                    .is_some_and(|(k, _)| k.trim().trim_matches(['"', '\'']) == key)
                    && !l.starts_with([' ', '-'])
            })
            .map(|(i, _)| yaml_line + i)
            .collect();
        let mut d = Diagnostic::error(
            path,
            found.get(1).copied().unwrap_or(line),
            1,
            Text::new(
                format!("设置项“{key}”写了两次"),
                format!("the key `{key}` is written twice"),
            ),
        )
        .with_hint(Text::new(
            "删除其中一行，只保留正确的那个值",
            "delete one of the two lines",
        ));
        if let Some(&first) = found.first()
            && found.len() > 1
        {
            d = d.with_related(
                first,
                1,
                key.chars().count(),
                Text::new("第一次在这里", "first written here"),
            );
        }
        return d;
    }
    if raw.contains("could not find expected ':'") {
        let (l, c) = context_mark.unwrap_or((line, column));
        return Diagnostic::error(
            path,
            l,
            c,
            Text::new(
                "这一行不是“键: 值”的形式（找不到英文冒号）",
                "this line is not `key: value` (no ASCII colon found)",
            ),
        )
        .with_hint(match block {
            Block::FrontMatter => Text::new(
                "信息栏里每行都要写成 键: 值（英文冒号加空格）；正文要写在结束的 --- 下面",
                "every front-matter line is `key: value`; the text goes below the closing ---",
            ),
            Block::Quiz => quiz_hint(),
        });
    }
    if raw.contains("mapping values are not allowed") {
        return base(
            Text::new(
                "YAML 格式错误：这一行的值里有“: ”（英文冒号加空格）",
                format!("invalid YAML: the value contains `: ` ({raw})"),
            ),
            Text::new(
                "给整个值加上英文引号，例如 title: \"专题: 乡村振兴\"；或把值里的冒号换成中文冒号“：”",
                "put the whole value in quotes, e.g. title: \"Topic: rural revitalisation\"",
            ),
        );
    }
    if raw.contains("did not find expected key") || raw.contains("block mapping") {
        return base(
            Text::new(
                "YAML 格式错误：缩进不一致",
                format!("invalid YAML: inconsistent indentation ({raw})"),
            ),
            Text::new(
                "检查这一行和上一行的缩进：用空格，同一层对齐；列表项以“- ”开头并比上一层多缩进两个空格",
                "check the indentation of this line and the one above: spaces, same level aligned; list items start with `- `",
            ),
        );
    }
    if raw.contains("found character that cannot start any token") {
        return base(
            Text::new(
                "YAML 格式错误：值不能以这个字符开头",
                format!("invalid YAML: a value cannot start with this character ({raw})"),
            ),
            Text::new(
                "值以 @、`、%、| 等特殊字符开头时，给整个值加上英文引号，例如 course: \"@/courses/x/index.md\"",
                "quote values starting with @, `, % and similar, e.g. course: \"@/courses/x/index.md\"",
            ),
        );
    }
    if raw.contains("did not find expected '-' indicator")
        || raw.contains("did not find expected node content")
    {
        return base(
            Text::new(
                "YAML 格式错误：列表写法不对",
                format!("invalid YAML: malformed list ({raw})"),
            ),
            Text::new(
                "列表的每一项单独一行，以“- ”（减号加空格）开头，各项缩进相同；或写成 [甲, 乙]",
                "write one item per line starting with `- ` at the same indentation, or [a, b]",
            ),
        );
    }
    base(
        Text::new("YAML 格式错误", format!("invalid YAML: {raw}")),
        generic_hint,
    )
}

/// How a quiz is written, the hint for its mistakes of form.
pub(crate) fn quiz_hint() -> Text {
    Text::new(
        "每道题以“- question: 题目”开头，下面的 type、options、answer、explanation 与 question 对齐；含冒号的文字加引号",
        "start each question with `- question: …` and align type/options/answer/explanation under it; quote text containing `: `",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p() -> &'static Path {
        Path::new("content/x.md")
    }

    #[test]
    fn bom_and_crlf_are_accepted() {
        let text = decode(p(), b"\xEF\xBB\xBF---\r\ntitle: a\r\n---\r\nbody\r\n").unwrap();
        let s = split(p(), &text).unwrap();
        assert_eq!(s.yaml, Some("title: a\n"));
        assert_eq!(s.body, "body\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        let d = split(p(), "---\ntitle: a\nbody\n").unwrap_err();
        assert_eq!((d.line, d.column), (1, 1));
        assert!(d.message.en.contains("never closed"));
        // Where the text seems to start is shown beside it.
        assert_eq!(d.related[0].line, 3);
    }

    #[test]
    fn dashes_typed_with_a_chinese_input_method_are_explained() {
        let d = split(p(), "---\ntitle: a\n——\nbody\n").unwrap_err();
        assert_eq!(d.line, 3);
        assert!(d.message.zh.contains("——"));
        let d = split(p(), "－－－\ntitle: a\n---\n").unwrap_err();
        assert_eq!(d.line, 1);
        // Blank lines before the opening line are forgiven.
        let s = split(p(), "\n\n---\ntitle: a\n---\nbody\n").unwrap();
        assert_eq!(
            (s.yaml, s.yaml_line, s.body_line),
            (Some("title: a\n"), 4, 6)
        );
    }

    #[test]
    fn utf16_is_recognised() {
        let bytes: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("---".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let d = decode(p(), &bytes).unwrap_err();
        assert!(d.message.zh.contains("UTF-16"));
    }

    #[test]
    fn lenient_dates_and_times() {
        let d = Date::new(2026, 3, 5).unwrap();
        assert_eq!(parse_date("2026年3月5号"), Some(d));
        assert_eq!(parse_date("２０２６－０３－０５"), Some(d));
        assert_eq!(parse_date("2026 年 3 月 5 日"), Some(d));
        assert_eq!(parse_date("2026-3-"), None);
        assert_eq!(parse_time("9点半"), Some((9, 30)));
        assert_eq!(parse_time("15：00"), Some((15, 0)));
        assert_eq!(parse_time("24:00"), None);
        assert_eq!(
            parse_datetime("2026年3月5日15:00"),
            DateTime::new(2026, 3, 5, 15, 0, 0, 0).ok()
        );
        assert_eq!(
            parse_datetime("2026-03-05T09:30:00"),
            DateTime::new(2026, 3, 5, 9, 30, 0, 0).ok()
        );
    }

    #[test]
    fn chinese_numeral_dates_and_impossible_clock_times_are_explained() {
        let d = |y, m, day| Date::new(y, m, day).ok();
        assert_eq!(chinese_numeral_date("二〇二六年三月五日"), d(2026, 3, 5));
        assert_eq!(
            chinese_numeral_date("二零二六年十二月三十一日"),
            d(2026, 12, 31)
        );
        assert_eq!(
            chinese_numeral_date("二〇二六年十月二十日"),
            d(2026, 10, 20)
        );
        assert_eq!(chinese_numeral_date("2026年3月5日"), None);
        assert_eq!(chinese_numeral_date("二〇二六年二月三十日"), None);
        let p = explain_date("date", "二〇二六年三月五日");
        assert!(p.hint.zh.contains("date: 2026-03-05"), "{}", p.hint.zh);
        let p = explain_datetime("start", "2026-03-20 25:00");
        assert!(p.why.zh.contains("00–23"), "{}", p.why.zh);
        assert!(p.hint.zh.contains("\"2026-03-20 23:00\""), "{}", p.hint.zh);
        let p = explain_datetime("end", "9:75");
        assert!(p.why.en.contains("minute 75"), "{}", p.why.en);
        assert_eq!(clock_out_of_range("23:59"), None);
    }

    #[test]
    fn list_items_without_a_space_are_read_as_items() {
        let (lines, lists) = list_dashes(
            "tags:\n  -甲\n  - 乙\n  -丙\nb: -1\ntopics:\n- -1\n- 丁\n-戊\nd: x\n-己\nsummary:\n  -庚\n",
        );
        assert_eq!(lines[1], "  - 甲");
        assert_eq!(lines[3], "  - 丙");
        assert_eq!(lines[4], "b: -1");
        assert_eq!(lines[6], "- -1");
        assert_eq!(lines[10], "-己", "not where a list is expected");
        assert_eq!(lines[12], "  -庚", "text, not a list");
        assert_eq!(lists, vec![vec![1, 3], vec![8]]);
        let fm = FrontMatter::parse(p(), "outcomes:\n  -甲\n  -乙\n", 2).unwrap();
        assert_eq!(
            fm.map.get("outcomes"),
            serde_yaml_ng::from_str::<Value>("[甲, 乙]").ok().as_ref()
        );
        assert_eq!(fm.diags.len(), 1);
    }

    #[test]
    fn unreadable_dates_are_explained() {
        let DateProblem { why, hint } = explain_date("date", "3/5/2026");
        assert!(why.zh.contains("分不清"), "{}", why.zh);
        assert!(
            hint.zh.contains("2026-03-05") && hint.zh.contains("2026-05-03"),
            "{}",
            hint.zh
        );
        let hint = explain_date("date", "3/25/2026").hint.zh;
        assert!(hint.contains("2026-03-25"), "{hint}");
        let zh = explain_date("date", "2026-02-30").why.zh;
        assert!(zh.contains("2月没有30日"), "{zh}");
        let zh = explain_date("date", "26/3/5").why.zh;
        assert!(zh.contains("四位"), "{zh}");
        let en = explain_date("date", "2026 3 5").why.en;
        assert!(en.contains("separate"), "{en}");
        // A readable date with an unreadable time blames the time.
        let mut fm = FrontMatter::parse(p(), "start: \"2026-03-15 下午3点\"\n", 2).unwrap();
        assert_eq!(fm.datetime("start"), None);
        assert!(
            fm.diags[0].message.en.contains("24-hour clock"),
            "{:?}",
            fm.diags[0].message
        );
    }

    #[test]
    fn values_yaml_would_change_keep_their_form() {
        let mut fm = FrontMatter::parse(p(), "title: 1.50\nsummary: 0x10\n", 2).unwrap();
        assert_eq!(fm.string("title").as_deref(), Some("1.50"));
        assert_eq!(fm.string("summary").as_deref(), Some("0x10"));
        let mut fm =
            FrontMatter::parse(p(), "tags: 党建，学习、理论\nobjectives: 甲，乙\n", 2).unwrap();
        assert_eq!(fm.string_list("tags"), ["党建", "学习", "理论"]);
        assert_eq!(fm.string_list("objectives"), ["甲，乙"]);
    }

    #[test]
    fn booleans_with_typos_get_a_suggestion() {
        let mut fm = FrontMatter::parse(p(), "draft: ture\nrequired: 是\n", 2).unwrap();
        assert_eq!(fm.bool("draft"), None);
        assert!(fm.diags[0].hint.en.contains("draft: true"));
        assert_eq!(fm.bool("required"), Some(true));
    }

    #[test]
    fn an_end_time_alone_is_on_the_start_day() {
        let mut fm = FrontMatter::parse(p(), "end: \"17:00\"\n", 2).unwrap();
        let day = Date::new(2026, 3, 5).unwrap();
        assert_eq!(
            fm.datetime_on("end", Some(day)),
            DateTime::new(2026, 3, 5, 17, 0, 0, 0).ok()
        );
        assert_eq!(fm.datetime("end"), None);
        assert!(fm.diags[0].message.zh.contains("只写了时间"));
    }

    #[test]
    fn yaml_errors_point_at_their_cause() {
        let d = FrontMatter::parse(p(), "title: \"a\nunit: b\n", 2).unwrap_err();
        assert_eq!((d.line, d.column), (2, 8));
        assert!(d.message.zh.contains("引号"));
        let d = FrontMatter::parse(p(), "title: a\nunit: b\ntitle: c\n", 2).unwrap_err();
        assert_eq!(d.line, 4);
        assert_eq!(d.related[0].line, 2);
        let d = FrontMatter::parse(p(), "title: a\n  unit: b\n", 2).unwrap_err();
        assert_eq!(d.line, 3);
        let d = FrontMatter::parse(p(), "title: [a\nunit: b\n", 2).unwrap_err();
        assert_eq!(d.related[0].line, 2);
    }

    #[test]
    fn chinese_and_capitalised_keys_name_the_right_one() {
        let mut fm = FrontMatter::parse(p(), "标题: a\nSummary: b\n", 2).unwrap();
        fm.check_keys(&["title", "summary"], &Text::new("页面", "a page"));
        assert!(fm.diags[0].hint.zh.contains("title"));
        assert!(fm.diags[1].hint.zh.contains("小写"));
        assert_eq!(fm.required_string("title", "x"), None);
        assert_eq!(fm.diags.len(), 2, "no second error for the missing title");
    }

    #[test]
    fn gbk_bytes_are_recognised() {
        // "培训" in GBK.
        let d = decode(p(), b"---\ntitle: \xc5\xe0\xd1\xb5\n---\n").unwrap_err();
        assert_eq!(d.line, 2);
        assert!(d.message.zh.contains("GBK"));
    }

    #[test]
    fn yaml_error_points_into_the_file() {
        let d = FrontMatter::parse(p(), "title: a\nsummary: [b\n", 2).unwrap_err();
        assert!(d.line >= 3, "{d:?}");
    }

    #[test]
    fn full_width_colon_is_explained() {
        let d = FrontMatter::parse(p(), "title：课程\n", 2).unwrap_err();
        assert_eq!((d.line, d.column), (2, 6));
        assert!(d.message.zh.contains("全角冒号"));
    }

    #[test]
    fn missing_space_after_colon_is_explained() {
        let d = FrontMatter::parse(p(), "title:课程\n", 2).unwrap_err();
        assert!(d.message.en.contains("missing space"));
    }

    #[test]
    fn dates_in_chinese_and_slash_forms() {
        let d = Date::new(2026, 3, 5).unwrap();
        assert_eq!(parse_date("2026-03-05"), Some(d));
        assert_eq!(parse_date("2026/3/5"), Some(d));
        assert_eq!(parse_date("2026年3月5日"), Some(d));
        assert_eq!(parse_date("3/5/2026"), None);
        assert_eq!(parse_date("2026-02-30"), None);
        assert!(parse_datetime("2026-03-05 09:30").is_some());
        assert!(parse_datetime("2026-03-05 25:30").is_none());
    }

    #[test]
    fn unknown_key_suggests_the_right_one() {
        let mut fm = FrontMatter::parse(p(), "title: a\nsumary: b\n", 2).unwrap();
        fm.check_keys(&["title", "summary"], &Text::new("页面", "a page"));
        assert_eq!(fm.diags.len(), 1);
        assert_eq!((fm.diags[0].line, fm.diags[0].column), (3, 1));
        assert!(fm.diags[0].hint.en.contains("summary"));
    }

    #[test]
    fn list_item_position_is_found() {
        let fm = FrontMatter::parse(p(), "title: a\ntags:\n  - 甲\n  - 乙\n", 2).unwrap();
        assert_eq!(fm.item_pos("tags", "乙"), (5, 5));
    }
}
