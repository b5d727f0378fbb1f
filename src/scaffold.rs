//! `jiangtang new KIND PATH`: a content file with every field of its kind filled with an
//! example and a comment, ready to build. PATH is relative to the site's `content/` (a
//! leading `content/` is accepted too); a folder gets a file named by an ASCII slug of the
//! title. Existing files are never overwritten.

use std::path::{Component, Path, PathBuf};

use jiff::civil::Date;

use crate::config::Config;
use crate::content::{Example, Kind, NewSpec, slugify};
use crate::diagnostic::{Diagnostic, Text};

/// What `new` needs of a kind it writes (see [`Kind::scaffolded`]).
fn new_spec(kind: Kind) -> NewSpec {
    kind.spec()
        .new
        .expect("`new` is offered only the kinds that have what it writes")
}

/// Whether a file at a place of kind `found` is a file of `kind`: a page may also be
/// the home page or a list's intro.
fn accepts(kind: Kind, found: Kind) -> bool {
    found == kind || (kind == Kind::Page && matches!(found, Kind::Home | Kind::Section))
}

/// A file `new` is about to write: its path relative to the site root and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    pub path: PathBuf,
    pub text: String,
}

/// Works out the file for `new KIND PATH [--title TITLE]` in the site at `root` and
/// writes it. `today` dates the example. Fails without writing when the file exists.
pub fn create(
    root: &Path,
    kind: Kind,
    path: &str,
    title: Option<&str>,
    config: &Config,
    today: Date,
) -> Result<Planned, Diagnostic> {
    let planned = plan(root, kind, path, title, config, today)?;
    let abs = root.join(&planned.path);
    if let Some(parent) = abs.parent() {
        std::fs::create_dir_all(parent).map_err(|e| crate::io_diag(&planned.path, &e))?;
    }
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&abs);
    match file {
        Ok(mut f) => {
            use std::io::Write;
            f.write_all(planned.text.as_bytes())
                .map_err(|e| crate::io_diag(&planned.path, &e))?;
            Ok(planned)
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(exists(
            &planned.path,
            Text::new(
                "换一个文件名（或用 --title 给出另一个标题），或者直接编辑已有的文件",
                "choose another file name (or another --title), or edit the existing file",
            ),
        )),
        Err(e) => Err(crate::io_diag(&planned.path, &e)),
    }
}

/// The refusal to overwrite `path`; `hint` says what to do instead, which depends on
/// the command (`new` suggests another name, `import` suggests `--force`).
pub(crate) fn exists(path: &Path, hint: Text) -> Diagnostic {
    Diagnostic::error(
        path,
        0,
        0,
        Text::new(
            "这个文件已经存在，没有覆盖它",
            "this file already exists; it was not overwritten",
        ),
    )
    .with_hint(hint)
}

/// A mistake in the arguments of `new`: the message names the path given.
fn usage(message: Text, hint: Text) -> Diagnostic {
    Diagnostic::argument(message).with_hint(hint)
}

/// The file `create` would write, without writing it.
pub(crate) fn plan(
    root: &Path,
    kind: Kind,
    path: &str,
    title: Option<&str>,
    config: &Config,
    today: Date,
) -> Result<Planned, Diagnostic> {
    let rel = content_relative(root, path)?;
    let title = title.map(str::trim).filter(|t| !t.is_empty());
    let is_folder = path.ends_with(['/', '\\'])
        || rel.is_empty()
        || root.join("content").join(&rel).is_dir()
        || (kind == Kind::Course && !rel.ends_with(".md"))
        || Kind::listed_in(&rel).is_some();
    // In English a kind is named by its key (`course`), as on the command line.
    let kind_name = Text::new(kind.names().zh, kind.key());
    let need_title = || {
        usage(
            Text::new(
                format!(
                    "“{path}”是一个文件夹，需要用 --title 给出{}的标题，文件名由标题生成",
                    kind_name.zh
                ),
                format!(
                    "`{path}` is a folder: give the {}'s title with --title to name the file",
                    kind_name.en
                ),
            ),
            Text::new(
                format!(
                    "例如：jiangtang new {} {path} --title \"{}\"",
                    kind.key(),
                    new_spec(kind).title
                ),
                format!("e.g. jiangtang new {} {path} --title \"…\"", kind.key()),
            ),
        )
    };
    let start = today
        .checked_add(jiff::Span::new().days(7))
        .unwrap_or(today);
    let rel = if kind == Kind::Course {
        let stripped = rel
            .strip_suffix("/index.md")
            .or_else(|| rel.strip_suffix(".md"))
            .unwrap_or(&rel)
            .trim_end_matches('/')
            .to_string();
        // `courses` (or `courses/`) alone: the folder is named by the title.
        if stripped == "courses" || stripped.is_empty() {
            let t = title.ok_or_else(need_title)?;
            format!("courses/{}/index.md", slugify(t))
        } else {
            format!("{stripped}/index.md")
        }
    } else if is_folder {
        let t = title.ok_or_else(need_title)?;
        let dir = rel.trim_end_matches('/');
        let prefix = match new_spec(kind).example {
            Example::Lesson => format!("{:02}-", next_lesson_number(root, dir)),
            Example::Lecture => format!("{}-", start.strftime("%Y-%m-%d")),
            Example::Course | Example::Rows { .. } => String::new(),
        };
        let name = format!("{prefix}{}.md", slugify(t));
        if dir.is_empty() {
            name
        } else {
            format!("{dir}/{name}")
        }
    } else if rel.ends_with(".md") {
        rel.clone()
    } else {
        format!("{rel}.md")
    };
    let found = Kind::of(&rel);
    if !accepts(kind, found) {
        let (place_zh, place_en) = new_spec(kind).place;
        let found = found.names();
        return Err(usage(
            Text::new(
                format!(
                    "content/{rel} 这个位置的文件是{}，不是{}（文件的种类由它所在的文件夹决定）",
                    found.zh, kind_name.zh
                ),
                format!(
                    "a file at content/{rel} is {}, not a {} (the folder decides what a file is)",
                    found.en, kind_name.en
                ),
            ),
            Text::new(
                format!("{}要放在 content/{place_zh}", kind_name.zh),
                format!("a {} goes in content/{place_en}", kind_name.en),
            ),
        ));
    }
    let course_dir = rel.rsplit_once('/').map_or("", |(d, _)| d).to_string();
    if kind == Kind::Lesson
        && !root
            .join("content")
            .join(&course_dir)
            .join("index.md")
            .is_file()
    {
        return Err(usage(
            Text::new(
                format!("content/{course_dir}/ 里还没有课程文件 index.md，课时必须属于一门课程"),
                format!(
                    "content/{course_dir}/ has no course file index.md; a lesson belongs to a course"
                ),
            ),
            Text::new(
                format!("先创建课程：jiangtang new course {course_dir} --title \"课程名称\""),
                format!("create the course first: jiangtang new course {course_dir} --title \"…\""),
            ),
        ));
    }
    let stem = rel
        .rsplit('/')
        .next()
        .unwrap_or("")
        .trim_end_matches(".md")
        .to_string();
    let own_name = if kind == Kind::Course {
        course_dir.rsplit('/').next().unwrap_or("").to_string()
    } else {
        stem.clone()
    };
    let title = title.map(str::to_string).unwrap_or_else(|| {
        if own_name.is_ascii() || own_name == "index" || own_name == "_index" {
            new_spec(kind).title.to_string()
        } else {
            own_name.clone()
        }
    });
    let text = template(kind, &title, &course_dir, config, today, start);
    Ok(Planned {
        path: Path::new("content").join(&rel),
        text,
    })
}

/// PATH relative to `content/`, with `/` separators; refuses paths that leave it.
fn content_relative(root: &Path, path: &str) -> Result<String, Diagnostic> {
    let p = Path::new(path.trim());
    let content = root.join("content");
    let p = if p.is_absolute() {
        let abs_content = std::fs::canonicalize(&content).unwrap_or(content.clone());
        let parent = p.parent().and_then(|d| std::fs::canonicalize(d).ok());
        match parent {
            Some(parent) if parent.starts_with(&abs_content) => {
                let rest = parent.strip_prefix(&abs_content).unwrap_or(Path::new(""));
                rest.join(p.file_name().unwrap_or_default())
            }
            _ => p.strip_prefix(&content).unwrap_or(p).to_path_buf(),
        }
    } else {
        p.strip_prefix("content").unwrap_or(p).to_path_buf()
    };
    let mut parts = Vec::new();
    for c in p.components() {
        match c {
            Component::Normal(s) => parts.push(s.to_string_lossy().to_string()),
            Component::CurDir => {}
            _ => {
                return Err(usage(
                    Text::new(
                        format!("路径“{path}”不在站点的 content/ 文件夹里"),
                        format!("`{path}` is not inside the site's content/ folder"),
                    ),
                    Text::new(
                        "路径从 content/ 算起，例如 courses/dang-shi/index.md 或 cases/an-li.md",
                        "paths start at content/, e.g. courses/party-history/index.md or cases/x.md",
                    ),
                ));
            }
        }
    }
    if let Some(bad) = parts.iter().find(|s| crate::content::is_ignored(s)) {
        return Err(usage(
            Text::new(
                format!("“{bad}”这样的名字会被忽略（以点开头或是临时文件）"),
                format!("a name like `{bad}` is ignored (hidden or a temporary file)"),
            ),
            Text::new("换一个名字", "choose another name"),
        ));
    }
    Ok(parts.join("/"))
}

/// One more than the highest order number of the lessons in `content/<dir>`.
fn next_lesson_number(root: &Path, dir: &str) -> u64 {
    let Ok(entries) = std::fs::read_dir(root.join("content").join(dir)) else {
        return 1;
    };
    entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().to_string();
            let digits: String = name.chars().take_while(char::is_ascii_digit).collect();
            digits.parse::<u64>().ok().filter(|_| name.ends_with(".md"))
        })
        .max()
        .map_or(1, |n| n.saturating_add(1))
}

/// A YAML value for `s`: as it is when YAML reads it back unchanged, else quoted.
fn scalar(s: &str) -> String {
    let plain = !s.contains(" #")
        && !s.contains('\n')
        && s.trim() == s
        && serde_yaml_ng::from_str::<serde_yaml_ng::Value>(&format!("k: {s}"))
            .ok()
            .and_then(|v| v.get("k").and_then(|v| v.as_str().map(str::to_string)))
            .is_some_and(|v| v == s);
    if plain {
        s.to_string()
    } else {
        serde_json::to_string(s).expect("a string serialises")
    }
}

/// One line of front matter: key, value (a value starting with a newline is a block
/// written below the key) and comment. An empty key makes the comment a line of its own.
struct Row {
    key: &'static str,
    value: String,
    comment: String,
}

fn row(key: &'static str, value: impl Into<String>, comment: impl Into<String>) -> Row {
    Row {
        key,
        value: value.into(),
        comment: comment.into(),
    }
}

/// A commented-out optional line.
fn optional(line: &str) -> Row {
    row("", "", format!("# {line}"))
}

/// Lines `key: value  # comment` with the comments aligned.
fn block(rows: &[Row]) -> String {
    let head = |r: &Row| {
        let first = r.value.split('\n').next().unwrap_or("");
        if first.is_empty() {
            format!("{}:", r.key)
        } else {
            format!("{}: {first}", r.key)
        }
    };
    let width = rows
        .iter()
        .filter(|r| !r.key.is_empty())
        .map(|r| display_width(&head(r)))
        .max()
        .unwrap_or(0)
        .min(36);
    let mut out = String::new();
    for r in rows {
        if r.key.is_empty() {
            out.push_str(&r.comment);
            out.push('\n');
            continue;
        }
        let h = head(r);
        out.push_str(&h);
        if !r.comment.is_empty() {
            out.push_str(&" ".repeat(width.saturating_sub(display_width(&h)) + 2));
            out.push_str("# ");
            out.push_str(&r.comment);
        }
        out.push('\n');
        if let Some((_, rest)) = r.value.split_once('\n') {
            out.push_str(rest);
            out.push('\n');
        }
    }
    out
}

/// Display width: Han characters and full-width punctuation take two columns.
fn display_width(s: &str) -> usize {
    s.chars()
        .map(|c| if (c as u32) < 0x1100 { 1 } else { 2 })
        .sum()
}

fn list(items: &[&str]) -> String {
    format!("[{}]", items.join(", "))
}

/// The settings every kind has, after the kind's own.
fn common_rows(rows: &mut Vec<Row>, today: Date) {
    rows.push(row(
        "date",
        today.strftime("%Y-%m-%d").to_string(),
        "日期：年-月-日",
    ));
    rows.push(row("tags", "[]", "标签，例如 [党史学习, 理论武装]"));
    rows.push(row("draft", "false", "写 true 则暂不发布（草稿）"));
    rows.push(optional(
        "updated: 2026-03-20        # 最近修改日期（可选）",
    ));
    rows.push(optional(
        "weight: 10                 # 排序：数字小的排在前面（可选）",
    ));
    rows.push(optional(
        "slug: wang-zhi             # 网址的最后一段：小写字母、数字和连字符（可选，默认由文件名生成）",
    ));
    rows.push(optional(
        "publish_date: 2026-04-01   # 从这天起才发布（可选）",
    ));
    rows.push(optional(
        "expiry_date: 2026-12-31    # 过了这天不再显示（可选）",
    ));
    rows.push(optional(
        "listed: false              # 不出现在搜索、订阅、网站地图和标签页中，只能通过链接打开（可选）",
    ));
    rows.push(optional(
        "aliases: [/courses/jiu-ming/]  # 改名或移动后的旧网址：打开旧网址会转到这里（可选）",
    ));
}

fn template(
    kind: Kind,
    title: &str,
    course_dir: &str,
    config: &Config,
    today: Date,
    start: Date,
) -> String {
    let (rows, body) = example(kind, title, course_dir, config, today, start);
    format!("---\n{}---\n\n{body}", block(&rows))
}

/// The front matter `new` writes for a file of `kind` (without its example body), with
/// the values of `filled` in place of the examples of the same keys (`author`, `date`):
/// what `jiangtang import` writes above a document's text.
pub(crate) fn front_matter(
    kind: Kind,
    title: &str,
    course_dir: &str,
    config: &Config,
    today: Date,
    filled: &[(&str, String)],
) -> String {
    let (mut rows, _) = example(kind, title, course_dir, config, today, today);
    for r in &mut rows {
        if let Some((_, v)) = filled.iter().find(|(k, _)| *k == r.key) {
            r.value = scalar(v);
        }
    }
    format!("---\n{}---\n", block(&rows))
}

/// The rows of a kind's front matter and its example body.
fn example(
    kind: Kind,
    title: &str,
    course_dir: &str,
    config: &Config,
    today: Date,
    start: Date,
) -> (Vec<Row>, String) {
    let title = scalar(title);
    let first_or = |v: &[String], d: &str| scalar(v.first().map_or(d, String::as_str));
    let ex = |key| new_spec(kind).example(key);
    let (mut rows, body) = match new_spec(kind).example {
        Example::Course => (
            vec![
                row("title", title, "必填：课程名称"),
                row("summary", ex("summary"), "简介"),
                row(
                    "action",
                    first_or(&config.actions, "专业训练"),
                    format!("必填：培训行动，{} 之一（见 site.yaml）", config.actions.join("、")),
                ),
                row("level", list(&["市直机关", "乡镇街道"]), "适用层级，可写多个"),
                row("domain", list(&["基层治理"]), "领域"),
                row("topics", list(&["政策解读"]), "专题"),
                row("hours", "2", "必填：学时，数字"),
                row("required", "false", "必修写 true，选修写 false"),
                row("unit", "市委组织部", "主办单位"),
                row("instructors", list(&[ex("instructors")]), "授课人，可写多个"),
                row(
                    "objectives",
                    format!("\n  - {}\n  - 能够结合本职工作加以运用", ex("objectives")),
                    "学习目标：每行一条，以“- ”开头",
                ),
                row(
                    "prerequisites",
                    "[]",
                    "先修课程，例如 [\"@/courses/ji-ceng-zhi-li/index.md\"]",
                ),
                optional("cover: cover.jpg                 # 封面图片（可选）：放在本文件夹里的 JPEG 或 PNG 图片"),
                optional("cover_alt: 图片内容的简短描述    # 封面的说明文字，读屏软件读给视障读者听"),
            ],
            "## 课程简介\n\n在这里介绍课程的背景、内容和安排。\n\n## 课时安排\n\n本课程的课时是这个文件夹里的其他 .md 文件，文件名前的数字（01-、02-）决定顺序。\n新建课时：`jiangtang new lesson 本文件夹 --title \"第一课：……\"`\n".to_string(),
        ),
        Example::Lesson => (
            vec![
                row("title", title, "必填：课时标题"),
                row("summary", ex("summary"), "简介"),
                row("duration", "45", "时长（分钟）"),
                row(
                    "attachments",
                    "[]",
                    "附件：放在本课程文件夹里的文件，例如 [slides-01.pdf, handout.docx]",
                ),
            ],
            format!(
                "## 一、学习要点\n\n正文写在这里。链接到其他内容时写它的文件路径，例如[返回课程](@/{course_dir}/index.md)。\n\n## 二、思考与讨论\n\n1. 结合本单位实际，谈谈……\n\n## 自测题\n\n```quiz\n- question: 这是一道单选题的示例，正确答案是哪一项？\n  type: single          # single 单选 | multiple 多选 | truefalse 判断\n  options: [选项甲, 选项乙, 选项丙]\n  answer: A             # 选项字母；多选写 [A, C]；判断题写 true 或 false\n  explanation: 这里写答案解析。\n```\n"
            ),
        ),
        Example::Lecture => {
            let day = start.strftime("%Y-%m-%d").to_string();
            (
                vec![
                    row("title", title, "必填：讲座题目"),
                    row("summary", ex("summary"), "简介"),
                    row(
                        "series",
                        first_or(&config.series, "周周学"),
                        format!("讲座系列：{} 之一（见 site.yaml）", config.series.join("、")),
                    ),
                    row("start", format!("\"{day} 15:00\""), "必填：开始时间（本地时间，加引号）"),
                    row(
                        "end",
                        format!("\"{day} 17:00\""),
                        "结束时间；也可以不写 end，改写 duration: 120（分钟）",
                    ),
                    row("location", "市委党校大礼堂", "地点"),
                    row("speaker", ex("speaker"), "主讲人"),
                    row("speaker_title", ex("speaker_title"), "主讲人职务"),
                    row("unit", "市数据局", "承办单位"),
                    row("audience", "市直单位副处级以上干部", "参加对象"),
                    row("status", "scheduled", "scheduled 正常 | postponed 延期 | cancelled 取消"),
                    row("materials", "[]", "讲座材料：放在本文件夹里的文件，例如 [handout.pdf]"),
                    optional("course: \"@/courses/shu-zi-zheng-fu/index.md\"   # 相关课程（可选）"),
                    optional(
                        "repeat: {every: week, until: \"2026-12-31\"}       # 定期举办（可选）：every 写 week 或 month，until 或 count: 8",
                    ),
                    optional("sessions:                        # 定期举办时各场的主讲人和题目（可选）：每场一项，date 须是 repeat 排出的日期"),
                    optional(&format!("  - date: {day}")),
                    optional("    speaker: 王老师                # 这一场的主讲人；不写则用上面的 speaker"),
                    optional("    speaker_title: 市某局局长       # 这一场主讲人的职务"),
                    optional("    unit: 市数据局                 # 主讲单位（可选）"),
                    optional("    topic: 这一场的题目"),
                    optional("cover: cover.jpg                 # 封面图片（可选）：放在本文件夹里的 JPEG 或 PNG 图片"),
                    optional("cover_alt: 图片内容的简短描述    # 封面的说明文字，读屏软件读给视障读者听"),
                    optional("recording: hui-fang.mp4          # 讲座回放（可选）：本文件夹里的 MP4 或 WebM 视频；同名的 .vtt 文件是字幕"),
                ],
                "## 讲座简介\n\n在这里介绍讲座的主要内容。\n\n## 主讲人简介\n\n主讲人的简要介绍。\n".to_string(),
            )
        }
        Example::Rows { rows, body } => {
            let title = row("title", title, format!("必填：{}标题", kind.names().zh));
            let own = rows.iter().map(|&(key, value, comment)| row(key, value, comment));
            (std::iter::once(title).chain(own).collect(), body.to_string())
        }
    };
    common_rows(&mut rows, today);
    (rows, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        Date::new(2026, 3, 10).unwrap()
    }

    /// Every kind's body has a sentence the build warns about when it is published.
    #[test]
    fn every_body_has_sample_text_the_build_recognises() {
        for kind in Kind::scaffolded() {
            let text = template(
                kind,
                "标题",
                "courses/x",
                &Config::default(),
                today(),
                today(),
            );
            assert!(
                crate::content::SAMPLE_TEXT.iter().any(|s| text.contains(s)),
                "{}: {text}",
                kind.key()
            );
        }
    }

    #[test]
    fn titles_are_quoted_only_when_needed() {
        assert_eq!(scalar("乡村振兴实务"), "乡村振兴实务");
        assert_eq!(scalar("专题：乡村振兴"), "专题：乡村振兴");
        assert_eq!(scalar("a: b"), "\"a: b\"");
        assert_eq!(scalar("2026"), "\"2026\"");
        assert_eq!(scalar("true"), "\"true\"");
        assert_eq!(scalar("[x]"), "\"[x]\"");
        assert_eq!(scalar("a #b"), "\"a #b\"");
    }

    #[test]
    fn a_folder_and_a_chinese_title_give_an_ascii_file_name() {
        let dir = tempfile_dir();
        let p = plan(
            &dir,
            Kind::Case,
            "cases/",
            Some("大洪山乡村旅游"),
            &Config::default(),
            today(),
        )
        .unwrap();
        assert_eq!(
            p.path,
            Path::new("content/cases/da-hong-shan-xiang-cun-lv-you.md")
        );
        assert!(p.text.contains("title: 大洪山乡村旅游"));
    }

    #[test]
    fn paths_are_relative_to_content() {
        let dir = tempfile_dir();
        for path in ["content/cases/x.md", "cases/x.md", "./cases/x", "cases/x"] {
            let p = plan(&dir, Kind::Case, path, None, &Config::default(), today()).unwrap();
            assert_eq!(p.path, Path::new("content/cases/x.md"), "{path}");
        }
        let e = plan(
            &dir,
            Kind::Case,
            "../x.md",
            None,
            &Config::default(),
            today(),
        );
        assert!(e.is_err());
    }

    #[test]
    fn a_kind_in_the_wrong_folder_is_refused() {
        let dir = tempfile_dir();
        let e = plan(
            &dir,
            Kind::Lecture,
            "cases/x.md",
            None,
            &Config::default(),
            today(),
        )
        .unwrap_err();
        assert!(e.message.zh.contains("案例"), "{e:?}");
        assert!(e.hint.zh.contains("lectures/"));
    }

    #[test]
    fn course_paths() {
        let dir = tempfile_dir();
        for path in [
            "courses/x",
            "courses/x/",
            "courses/x/index.md",
            "courses/x.md",
        ] {
            let p = plan(&dir, Kind::Course, path, None, &Config::default(), today()).unwrap();
            assert_eq!(p.path, Path::new("content/courses/x/index.md"), "{path}");
        }
        let p = plan(
            &dir,
            Kind::Course,
            "courses",
            Some("党史学习"),
            &Config::default(),
            today(),
        )
        .unwrap();
        assert_eq!(
            p.path,
            Path::new("content/courses/dang-shi-xue-xi/index.md")
        );
    }

    fn tempfile_dir() -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "jiangtang-scaffold-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        let _ = std::fs::create_dir_all(dir.join("content"));
        dir
    }
}
