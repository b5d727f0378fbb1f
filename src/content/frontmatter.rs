//! Front matter: decoding a content file, splitting the YAML block from the Markdown body,
//! and typed access to its keys. Every problem becomes a `Diagnostic` that points at the
//! line and column of the key or value concerned.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use jiff::civil::{Date, DateTime};
use serde_yaml_ng::{Mapping, Value};

use crate::diagnostic::{Diagnostic, Text, suggestion};

/// A content file split into its parts. `body_line` is the 1-based line of the file on
/// which the Markdown body starts.
#[derive(Debug)]
pub struct Split<'a> {
    pub yaml: Option<&'a str>,
    pub yaml_line: usize,
    pub body: &'a str,
    pub body_line: usize,
}

/// Turns raw bytes into text: UTF-8 only, a byte-order mark dropped, CRLF and lone CR
/// line ends normalised to LF (line numbers stay the same).
pub fn decode(path: &Path, bytes: &[u8]) -> Result<String, Diagnostic> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(normalise_newlines(text)),
        Err(e) => {
            let good = &bytes[..e.valid_up_to()];
            let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
            let line_start = good.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            let column = String::from_utf8_lossy(&good[line_start..]).chars().count() + 1;
            let gbk = looks_like_gbk(bytes);
            let (zh, en) = if gbk {
                (
                    "文件不是 UTF-8 编码，看起来是 GBK/GB18030（Windows 中文版记事本等的默认编码）",
                    "the file is not UTF-8; it looks like GBK/GB18030 (the default of many Chinese Windows editors)",
                )
            } else {
                ("文件不是 UTF-8 编码", "the file is not valid UTF-8")
            };
            Err(Diagnostic::error(path, line, column, Text::new(zh, en)).with_hint(Text::new(
                "用编辑器“另存为”并选择 UTF-8 编码（记事本：编码选“UTF-8”；WPS/VS Code：右下角编码改为 UTF-8）",
                "re-save the file as UTF-8 (\"Save as\" → encoding UTF-8 in your editor)",
            )))
        }
    }
}

fn normalise_newlines(text: &str) -> String {
    if !text.contains('\r') {
        return text.to_string();
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
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

/// Splits `---` front matter from the body. A file must start with `---`; a block that
/// is opened and never closed is an error, as is an empty file.
pub fn split<'a>(path: &Path, text: &'a str) -> Result<Split<'a>, Diagnostic> {
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
    let first_line = text.lines().next().unwrap_or("");
    if first_line.trim_end() != "---" {
        return Ok(Split {
            yaml: None,
            yaml_line: 1,
            body: text,
            body_line: 1,
        });
    }
    let yaml_start = first_line.len() + 1;
    let mut offset = yaml_start;
    for (line_no, line) in (2..).zip(text.get(yaml_start..).unwrap_or("").split_inclusive('\n')) {
        if line.trim_end() == "---" || line.trim_end() == "..." {
            let yaml = &text[yaml_start..offset];
            let body_start = (offset + line.len()).min(text.len());
            return Ok(Split {
                yaml: Some(yaml),
                yaml_line: 2,
                body: &text[body_start..],
                body_line: line_no + 1,
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::error(
        path,
        1,
        1,
        Text::new(
            "文件开头的 --- 没有对应的结束行 ---（front matter 没有闭合）",
            "the front matter opened by --- on line 1 is never closed",
        ),
    )
    .with_hint(Text::new(
        "在最后一个设置项（如 title: …）下面单独写一行 ---，再写正文",
        "add a line containing only --- after the last front-matter key, before the text",
    )))
}

/// The parsed front matter of one file with the positions of its top-level keys, and the
/// diagnostics collected while reading it.
#[derive(Debug)]
pub struct FrontMatter {
    pub path: PathBuf,
    map: Mapping,
    /// key → (line, column of the key, column of the value)
    positions: HashMap<String, (usize, usize, usize)>,
    yaml_line: usize,
    lines: Vec<String>,
    pub diags: Vec<Diagnostic>,
}

impl FrontMatter {
    /// Parses the YAML block. Syntax errors are returned at their position in the file.
    pub fn parse(path: &Path, yaml: &str, yaml_line: usize) -> Result<FrontMatter, Diagnostic> {
        let lines: Vec<String> = yaml.lines().map(str::to_string).collect();
        if let Some(d) = precheck(path, &lines, yaml_line) {
            return Err(d);
        }
        let value: Value = if yaml.trim().is_empty() {
            Value::Mapping(Mapping::new())
        } else {
            serde_yaml_ng::from_str(yaml).map_err(|e| yaml_error(path, &e, yaml_line))?
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
                        "front matter 应当是“键: 值”的列表",
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
        Ok(FrontMatter {
            path: path.to_path_buf(),
            map,
            positions,
            yaml_line,
            lines,
            diags: Vec::new(),
        })
    }

    /// An empty front matter (a file without a `---` block).
    pub fn empty(path: &Path) -> FrontMatter {
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
    pub fn key_pos(&self, key: &str) -> (usize, usize) {
        self.positions.get(key).map_or(
            (self.yaml_line.saturating_sub(1).max(1), 1),
            |&(l, c, _)| (l, c),
        )
    }

    /// Line and column of a key's value.
    pub fn value_pos(&self, key: &str) -> (usize, usize) {
        self.positions
            .get(key)
            .map_or(self.key_pos(key), |&(l, _, c)| (l, c))
    }

    /// Position of `needle` inside the block of `key` (e.g. one item of a list), falling
    /// back to the key's value.
    pub fn item_pos(&self, key: &str, needle: &str) -> (usize, usize) {
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
            if let Some(at) = text.get(search_from..).and_then(|t| t.find(needle)) {
                let col = text[..search_from + at].chars().count() + 1;
                return (self.yaml_line + i, col);
            }
        }
        self.value_pos(key)
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.map.keys().filter_map(Value::as_str)
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    pub fn error_at(&mut self, pos: (usize, usize), message: Text, hint: Text) {
        let d = Diagnostic::error(&self.path, pos.0, pos.1, message).with_hint(hint);
        self.diags.push(d);
    }

    pub fn warn_at(&mut self, pos: (usize, usize), message: Text, hint: Text) {
        let d = Diagnostic::warning(&self.path, pos.0, pos.1, message).with_hint(hint);
        self.diags.push(d);
    }

    /// Reports every key not in `allowed`, with a "did you mean".
    pub fn check_keys(&mut self, allowed: &[&str], kind_zh: &str, kind_en: &str) {
        let unknown: Vec<String> = self
            .map
            .keys()
            .map(|k| match k {
                Value::String(s) => s.clone(),
                other => serde_yaml_ng::to_string(other)
                    .unwrap_or_default()
                    .trim()
                    .to_string(),
            })
            .filter(|k| !allowed.contains(&k.as_str()))
            .collect();
        for key in unknown {
            let pos = self.key_pos(&key);
            let hint = suggestion(&key, allowed.iter().copied()).unwrap_or_else(|| {
                Text::new(
                    format!("{kind_zh}可以使用的设置项：{}", allowed.join("、")),
                    format!("{kind_en} may use: {}", allowed.join(", ")),
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

    fn wrong_type(&mut self, key: &str, want_zh: &str, want_en: &str, example: &str) {
        let pos = self.value_pos(key);
        let got = describe(self.map.get(key));
        self.error_at(
            pos,
            Text::new(
                format!("“{key}”应当是{want_zh}，这里写的是{}", got.0),
                format!("`{key}` must be {want_en}, found {}", got.1),
            ),
            Text::new(
                format!("例如：{key}: {example}"),
                format!("for example: {key}: {example}"),
            ),
        );
    }

    /// A text value. Numbers are accepted as text (`title: 2026` means "2026").
    pub fn string(&mut self, key: &str) -> Option<String> {
        match self.get(key)? {
            Value::String(s) => Some(s.trim().to_string()),
            Value::Number(n) => Some(n.to_string()),
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
                self.wrong_type(key, "一段文字", "text", "\"……\"");
                None
            }
        }
    }

    /// A required text value; reports its absence.
    pub fn required_string(&mut self, key: &str, example: &str) -> Option<String> {
        if self.get(key).is_none() {
            let pos = (self.yaml_line.saturating_sub(1).max(1), 1);
            self.error_at(
                pos,
                Text::new(
                    format!("缺少必填项“{key}”"),
                    format!("missing required key `{key}`"),
                ),
                Text::new(
                    format!("在 front matter 中加上一行 {key}: {example}"),
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

    /// A list of text values; a single value is taken as a list of one.
    pub fn string_list(&mut self, key: &str) -> Vec<String> {
        let Some(value) = self.get(key).cloned() else {
            return Vec::new();
        };
        match value {
            Value::String(s) => vec![s.trim().to_string()],
            Value::Number(n) => vec![n.to_string()],
            Value::Sequence(items) => {
                let mut out = Vec::new();
                for item in items {
                    match item {
                        Value::String(s) => out.push(s.trim().to_string()),
                        Value::Number(n) => out.push(n.to_string()),
                        Value::Null => {}
                        _ => {
                            self.wrong_type(key, "文字列表", "a list of text", "[甲, 乙]");
                            return Vec::new();
                        }
                    }
                }
                out.retain(|s| !s.is_empty());
                out
            }
            _ => {
                self.wrong_type(key, "文字列表", "a list of text", "[甲, 乙]");
                Vec::new()
            }
        }
    }

    pub fn bool(&mut self, key: &str) -> Option<bool> {
        match self.get(key)? {
            Value::Bool(b) => Some(*b),
            Value::String(s) if matches!(s.trim(), "是" | "true" | "True") => Some(true),
            Value::String(s) if matches!(s.trim(), "否" | "false" | "False") => Some(false),
            _ => {
                self.wrong_type(key, "true 或 false", "true or false", "true");
                None
            }
        }
    }

    /// A number ≥ 0.
    pub fn number(&mut self, key: &str) -> Option<f64> {
        let n = match self.get(key)? {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => s.trim().parse::<f64>().ok(),
            _ => None,
        };
        match n {
            Some(n) if n.is_finite() && n >= 0.0 => Some(n),
            _ => {
                self.wrong_type(key, "不小于 0 的数字", "a number ≥ 0", "2");
                None
            }
        }
    }

    pub fn integer(&mut self, key: &str) -> Option<i64> {
        match self.get(key)? {
            Value::Number(n) if n.as_i64().is_some() => n.as_i64(),
            Value::String(s) if s.trim().parse::<i64>().is_ok() => s.trim().parse().ok(),
            _ => {
                self.wrong_type(key, "整数", "a whole number", "10");
                None
            }
        }
    }

    /// A calendar date: 2026-03-05, 2026/3/5 or 2026年3月5日.
    pub fn date(&mut self, key: &str) -> Option<Date> {
        let raw = self.string(key)?;
        match parse_date(&raw) {
            Some(d) => Some(d),
            None => {
                let pos = self.value_pos(key);
                self.error_at(
                    pos,
                    Text::new(
                        format!("“{key}”的日期“{raw}”无法识别"),
                        format!("`{key}`: `{raw}` is not a valid date"),
                    ),
                    Text::new(
                        format!("写成 年-月-日，例如 {key}: 2026-03-15"),
                        format!("write year-month-day, e.g. {key}: 2026-03-15"),
                    ),
                );
                None
            }
        }
    }

    /// A local date and time in the site timezone: `2026-03-15 09:00`.
    pub fn datetime(&mut self, key: &str) -> Option<DateTime> {
        let raw = self.string(key)?;
        match parse_datetime(&raw) {
            Some(d) => Some(d),
            None => {
                let pos = self.value_pos(key);
                self.error_at(
                    pos,
                    Text::new(
                        format!("“{key}”的时间“{raw}”无法识别"),
                        format!("`{key}`: `{raw}` is not a valid date and time"),
                    ),
                    Text::new(
                        format!("写成 年-月-日 时:分 并加引号，例如 {key}: \"2026-03-15 09:00\""),
                        format!(
                            "write \"year-month-day hour:minute\", e.g. {key}: \"2026-03-15 09:00\""
                        ),
                    ),
                );
                None
            }
        }
    }
}

/// What a YAML value is, for "found …" messages.
fn describe(v: Option<&Value>) -> (String, String) {
    match v {
        Some(Value::String(s)) => (format!("文字“{s}”"), format!("the text `{s}`")),
        Some(Value::Number(n)) => (format!("数字 {n}"), format!("the number {n}")),
        Some(Value::Bool(b)) => (format!("真假值 {b}"), format!("the boolean {b}")),
        Some(Value::Sequence(_)) => ("一个列表".into(), "a list".into()),
        Some(Value::Mapping(_)) => ("一组键值".into(), "a mapping".into()),
        _ => ("空值".into(), "nothing".into()),
    }
}

/// Dates editors write: ISO, with slashes or dots, or the Chinese 年月日 form.
pub fn parse_date(raw: &str) -> Option<Date> {
    let s = raw.trim().trim_end_matches('日');
    let parts: Vec<&str> = s
        .split(['-', '/', '.', '年', '月'])
        .map(str::trim)
        .collect();
    if parts.len() != 3 || parts[0].len() != 4 {
        return None;
    }
    let y: i16 = parts[0].parse().ok()?;
    let m: i8 = parts[1].parse().ok()?;
    let d: i8 = parts[2].parse().ok()?;
    Date::new(y, m, d).ok()
}

/// `2026-03-15 09:00`, `2026-03-15T09:00:00`, `2026/3/15 9:00`.
pub fn parse_datetime(raw: &str) -> Option<DateTime> {
    let s = raw.trim();
    let (date, time) = s.split_once(['T', ' '])?;
    let date = parse_date(date)?;
    let time = time.trim();
    let mut it = time.split(':');
    let h: i8 = it.next()?.trim().parse().ok()?;
    let m: i8 = it.next()?.trim().parse().ok()?;
    let sec: i8 = match it.next() {
        Some(x) => x.trim().parse().ok()?,
        None => 0,
    };
    if it.next().is_some() {
        return None;
    }
    DateTime::new(date.year(), date.month(), date.day(), h, m, sec, 0).ok()
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

/// Mistakes YAML reports badly or not at all: tabs, full-width colons and spaces, and a
/// missing space after the colon.
fn precheck(path: &Path, lines: &[String], yaml_line: usize) -> Option<Diagnostic> {
    for (i, line) in lines.iter().enumerate() {
        let n = yaml_line + i;
        let content = line.split(" #").next().unwrap_or(line);
        if let Some(col) = line.find('\t') {
            let c = line[..col].chars().count() + 1;
            return Some(
                Diagnostic::error(
                    path,
                    n,
                    c,
                    Text::new(
                        "YAML 中不能使用制表符（Tab）缩进",
                        "tabs are not allowed in YAML",
                    ),
                )
                .with_hint(Text::new(
                    "把 Tab 换成空格（两个空格一层）",
                    "replace the tab with spaces",
                )),
            );
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
            if after.starts_with('\u{3000}') {
                let c = content[..colon].chars().count() + 2;
                return Some(
                    Diagnostic::error(
                        path,
                        n,
                        c,
                        Text::new("冒号后面是全角空格", "a full-width space follows the colon"),
                    )
                    .with_hint(Text::new(
                        "把全角空格换成普通空格",
                        "use a normal space instead",
                    )),
                );
            }
        }
    }
    None
}

fn yaml_error(path: &Path, e: &serde_yaml_ng::Error, yaml_line: usize) -> Diagnostic {
    let (line, column) = e
        .location()
        .map_or((yaml_line, 1), |l| (yaml_line + l.line() - 1, l.column()));
    let raw = e.to_string();
    let raw = raw.split(" at line ").next().unwrap_or(&raw).to_string();
    let (zh, hint_zh) = if raw.contains("mapping values are not allowed") {
        (
            "YAML 格式错误：这一行的值里有冒号",
            "值里含有“: ”时，给整个值加上英文引号，例如 title: \"专题：乡村振兴\"",
        )
    } else if raw.contains("did not find expected key") || raw.contains("block mapping") {
        (
            "YAML 格式错误：缩进不一致或少了一个键",
            "检查这一行和上一行的缩进（用空格，同一层对齐），列表项以“- ”开头",
        )
    } else if raw.contains("found character that cannot start any token") {
        (
            "YAML 格式错误：这里有无法识别的字符",
            "值以 @、` 等特殊字符开头时，给值加上英文引号",
        )
    } else if raw.contains("duplicate") {
        ("YAML 格式错误：同一个设置项写了两次", "删除重复的那一行")
    } else {
        (
            "YAML 格式错误",
            "检查这一行的写法：每行“键: 值”，冒号为英文冒号且后面有空格，含特殊字符的值加引号",
        )
    };
    Diagnostic::error(
        path,
        line,
        column,
        Text::new(format!("{zh}（{raw}）"), format!("invalid YAML: {raw}")),
    )
    .with_hint(Text::new(
        hint_zh,
        "check this line: `key: value` with an ASCII colon and a space; quote values containing `: ` or starting with special characters",
    ))
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
        fm.check_keys(&["title", "summary"], "页面", "a page");
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
