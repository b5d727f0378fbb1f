//! Content: reading `content/` (the only I/O here is `walk`), front matter typed by the
//! kind a file's location gives it, and Markdown rendering. Parsing is pure so it can run
//! in parallel and again, for one file, in the dev server.

pub mod frontmatter;
pub(crate) mod kind;
pub(crate) mod links;
pub(crate) mod markdown;
pub mod quiz;
pub(crate) mod sessions;
pub(crate) mod values;

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::civil::{Date, DateTime};
use rayon::prelude::*;
use walkdir::WalkDir;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Text, suggestion};
use frontmatter::FrontMatter;
pub use kind::{COMMON_KEYS, Kind, KindSpec, NewSpec};
pub(crate) use kind::{Example, Field, FieldType, Front, ListPage, ListSpec, Order, Place, Reader};

/// One file read from `content/`.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Site-relative path used in diagnostics: `content/cases/x.md`.
    pub path: PathBuf,
    /// Content-relative path with `/` separators: `cases/x.md`.
    pub rel: String,
    pub bytes: SourceBytes,
}

/// A file's bytes, held as text when they are UTF-8 (checked once, when the file is
/// read), so that the parsed page can share its body with the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceBytes(Result<String, Vec<u8>>);

impl SourceBytes {
    /// The bytes as text, when they are UTF-8.
    pub(crate) fn text(&self) -> Option<&str> {
        self.0.as_deref().ok()
    }
}

impl From<Vec<u8>> for SourceBytes {
    fn from(bytes: Vec<u8>) -> Self {
        SourceBytes(String::from_utf8(bytes).map_err(|e| e.into_bytes()))
    }
}

impl std::ops::Deref for SourceBytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match &self.0 {
            Ok(text) => text.as_bytes(),
            Err(bytes) => bytes,
        }
    }
}

/// The Markdown body of a content file: the end of the file's text, shared with the file
/// when decoding left the text as it was, else a copy.
#[derive(Clone)]
pub struct Body(BodyText);

#[derive(Clone)]
enum BodyText {
    /// The file's text from this byte on.
    Shared(Arc<SourceFile>, usize),
    Owned(String),
}

impl Body {
    pub(crate) fn as_str(&self) -> &str {
        match &self.0 {
            // Shared only when the file is text and the body ends it (`parse`).
            BodyText::Shared(file, start) => {
                &file.bytes.text().expect("a shared body's file is text")[*start..]
            }
            BodyText::Owned(text) => text,
        }
    }
}

impl std::ops::Deref for Body {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Debug for Body {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.as_str().fmt(f)
    }
}

/// A non-Markdown file in `content/` (an attachment or image), copied beside its page.
#[derive(Debug, Clone, PartialEq)]
pub struct AssetFile {
    pub rel: String,
    pub abs: PathBuf,
    pub size: u64,
    /// What an image became (`media::prepare`); `None` for other files, which are
    /// copied as they are.
    pub media: Option<crate::media::Media>,
    /// An image under the site's `static/` (`rel` relative to it), published at the same
    /// path from the site's root, rather than a file of `content/`.
    pub in_static: bool,
}

impl AssetFile {
    /// The file's path from the site's folder, as messages name it.
    pub fn source_path(&self) -> PathBuf {
        Path::new(if self.in_static { "static" } else { "content" }).join(&self.rel)
    }
}

/// Reads every Markdown file and lists every other file under `content/`, in a stable order.
/// Hidden files and editor leftovers are skipped.
pub fn walk(root: &Path) -> std::io::Result<(Vec<SourceFile>, Vec<AssetFile>)> {
    let content = root.join("content");
    let mut sources = Vec::new();
    let mut assets = Vec::new();
    if !content.is_dir() {
        return Ok((sources, assets));
    }
    let walker = WalkDir::new(&content)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(&e.file_name().to_string_lossy()));
    let mut markdown = Vec::new();
    // A failure stops the walk; the Markdown files found before it are read first, so
    // that the first failure in walking order is the one reported.
    let mut failed = None;
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                failed = Some(std::io::Error::other(e));
                break;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let rel_path = entry.path().strip_prefix(&content).unwrap_or(entry.path());
        let rel = crate::platform::slashed(rel_path);
        if rel.ends_with(".md") {
            markdown.push((entry.into_path(), rel));
        } else {
            let size = match entry.metadata() {
                Ok(m) => m.len(),
                Err(e) => {
                    failed = Some(std::io::Error::other(e));
                    break;
                }
            };
            assets.push(AssetFile {
                rel,
                abs: entry.path().to_path_buf(),
                size,
                media: None,
                in_static: false,
            });
        }
    }
    // Markdown files are read in parallel.
    let read: Vec<std::io::Result<SourceFile>> = markdown
        .into_par_iter()
        .map(|(abs, rel)| {
            let bytes = std::fs::read(&abs)?;
            let path = Path::new("content").join(abs.strip_prefix(&content).unwrap_or(&abs));
            Ok(SourceFile {
                path,
                rel,
                bytes: bytes.into(),
            })
        })
        .collect();
    for file in read {
        sources.push(file?);
    }
    if let Some(e) = failed {
        return Err(e);
    }
    assets.extend(static_images(root)?);
    Ok((sources, assets))
}

/// The images under the site's `static/`: shown from Markdown (`![](/images/x.jpg)`),
/// they are published like co-located ones, resized and without metadata.
fn static_images(root: &Path) -> std::io::Result<Vec<AssetFile>> {
    let dir = root.join("static");
    let mut images = Vec::new();
    if !dir.is_dir() {
        return Ok(images);
    }
    let walker = WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry = entry.map_err(std::io::Error::other)?;
        let rel = crate::platform::slashed(entry.path().strip_prefix(&dir).unwrap_or(entry.path()));
        if entry.file_type().is_file() && crate::media::is_image(&rel) {
            images.push(AssetFile {
                rel,
                abs: entry.path().to_path_buf(),
                size: entry.metadata().map_err(std::io::Error::other)?.len(),
                media: None,
                in_static: true,
            });
        }
    }
    Ok(images)
}

/// Editor swap, backup and temporary files, and hidden files.
pub(crate) fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
        || name == "Thumbs.db"
}

/// A reference written in front matter (a link or file name) with its position, checked
/// once every page is known.
#[derive(Debug, Clone)]
pub struct Ref {
    pub target: String,
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Clone, Default)]
pub struct Common {
    pub title: String,
    pub slug: Option<String>,
    /// Line and column of the `slug:` key, when the file has one.
    pub slug_at: Option<(usize, usize)>,
    pub summary: String,
    pub date: Option<Date>,
    pub updated: Option<Date>,
    pub draft: bool,
    pub weight: Option<i64>,
    pub tags: Vec<String>,
    pub publish_date: Option<Date>,
    pub expiry_date: Option<Date>,
    /// `listed: false`: published, but out of the search, the feed, the sitemap and the
    /// term pages (pages for editors, such as the editing guide).
    pub unlisted: bool,
    /// `aliases:` the page's old addresses, as written, each with its position; each
    /// gets a page that sends readers on to the page's address.
    pub aliases: Vec<Ref>,
    /// `cover:` (courses, lectures, cases): a picture beside the file.
    pub cover: Option<Ref>,
    /// `cover_alt:`: what the cover shows, for screen readers.
    pub cover_alt: String,
    /// `recording:` (lectures): a video file beside the file, or a path on the site.
    pub recording: Option<Ref>,
}

#[derive(Debug, Clone)]
pub struct CourseMeta {
    pub action: String,
    pub levels: Vec<String>,
    pub domains: Vec<String>,
    pub topics: Vec<String>,
    pub hours: f64,
    pub required: bool,
    pub unit: Option<String>,
    pub instructors: Vec<String>,
    pub objectives: Vec<String>,
    pub prerequisites: Vec<Ref>,
}

#[derive(Debug, Clone)]
pub struct LessonMeta {
    pub duration: Option<u32>,
    pub attachments: Vec<Ref>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Scheduled,
    Postponed,
    Cancelled,
}

impl Status {
    pub(crate) fn key(self) -> &'static str {
        match self {
            Status::Scheduled => "scheduled",
            Status::Postponed => "postponed",
            Status::Cancelled => "cancelled",
        }
    }
}

#[derive(Debug, Clone)]
pub struct LectureMeta {
    pub series: String,
    pub start: DateTime,
    /// Where `start` is written, for problems found with the whole schedule.
    pub start_pos: (usize, usize),
    pub end: DateTime,
    pub location: String,
    pub speaker: Option<String>,
    pub speaker_title: String,
    pub unit: Option<String>,
    pub audience: String,
    pub status: Status,
    pub course: Option<Ref>,
    pub materials: Vec<Ref>,
    /// The `repeat` rule, when the lecture is a series (周周学 every week…).
    pub repeat: Option<crate::recurrence::Recurrence>,
    /// A series' sessions with a speaker or topic of their own, by date.
    pub sessions: Vec<sessions::SessionNote>,
}

impl LectureMeta {
    /// The own values of the session on `day`, if it has any.
    pub(crate) fn session_on(&self, day: jiff::civil::Date) -> Option<&sessions::SessionNote> {
        self.sessions.iter().find(|s| s.date == day)
    }

    /// Whether `name`, a value of taxonomy `key`, takes part in the session on `day`:
    /// as its speaker (its own, else the lecture's), as its speaking unit or as the
    /// lecture's organiser.
    pub(crate) fn takes_part(&self, day: jiff::civil::Date, key: &str, name: &str) -> bool {
        let note = self.session_on(day);
        match key {
            "speaker" => note
                .and_then(|n| n.speaker.as_deref())
                .or(self.speaker.as_deref())
                .is_some_and(|x| x == name),
            "unit" => {
                self.unit.as_deref() == Some(name)
                    || note.and_then(|n| n.unit.as_deref()) == Some(name)
            }
            _ => true,
        }
    }
}

#[derive(Debug, Clone)]
pub struct CaseMeta {
    pub unit: String,
    pub author: String,
    pub domains: Vec<String>,
    pub region: String,
    pub topics: Vec<String>,
    pub outcomes: Vec<String>,
}

/// The values of a kind's typed fields ([`Front::Fields`]), in the table's order.
#[derive(Debug, Clone, Default)]
pub struct Fields(pub(crate) Vec<(&'static str, FieldValue)>);

/// One field's value, by its [`FieldType`]; a text or term not given is `None`.
#[derive(Debug, Clone)]
pub(crate) enum FieldValue {
    Text(Option<String>),
    List(Vec<String>),
    Flag(bool),
    Term(Option<String>),
    Terms(Vec<String>),
}

impl Fields {
    /// Whether flag `key` is set.
    pub(crate) fn flag(&self, key: &str) -> bool {
        self.0
            .iter()
            .any(|(k, v)| *k == key && matches!(v, FieldValue::Flag(true)))
    }

    /// The names of the terms of taxonomy `key` the fields give: one, or a list.
    pub(crate) fn terms(&self, key: &str) -> (Option<&str>, &[String]) {
        let Some((_, v)) = self.0.iter().find(|(k, _)| *k == key) else {
            return (None, &[]);
        };
        match v {
            FieldValue::Term(one) => (one.as_deref(), &[]),
            FieldValue::Terms(many) => (None, many),
            FieldValue::Text(_) | FieldValue::List(_) | FieldValue::Flag(_) => (None, &[]),
        }
    }
}

#[derive(Debug, Clone)]
pub enum Meta {
    /// A kind whose keys are typed fields; plain pages have none.
    Fields(Fields),
    Course(CourseMeta),
    Lesson(LessonMeta),
    Lecture(Box<LectureMeta>),
    Case(CaseMeta),
}

impl Meta {
    /// Whether the typed field `key` is a flag that is set.
    pub(crate) fn flag(&self, key: &str) -> bool {
        match self {
            Meta::Fields(f) => f.flag(key),
            Meta::Course(_) | Meta::Lesson(_) | Meta::Lecture(_) | Meta::Case(_) => false,
        }
    }
}

/// A content file with its front matter read and checked; the body is still Markdown.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub kind: Kind,
    pub path: PathBuf,
    pub rel: String,
    pub common: Common,
    pub meta: Meta,
    pub body: Body,
    pub body_line: usize,
    /// Hash of everything before the body (the front matter and its fences): two parses
    /// with the same hash differ in their bodies only.
    pub front_hash: u64,
    /// The front matter has errors: the page stands in for the pages that refer to it,
    /// with the values that could be read, and the build fails.
    pub broken: bool,
}

/// Reads one file's front matter. Returns the page (if it could be read at all) and every
/// problem found in it.
pub(crate) fn parse(src: &Arc<SourceFile>, config: &Config) -> (Option<Parsed>, Vec<Diagnostic>) {
    // Text that is UTF-8 already needs no second check.
    let decoded = match src.bytes.text() {
        Some(t) => Ok(frontmatter::normalise_newlines(
            t.strip_prefix('\u{FEFF}').unwrap_or(t),
        )),
        None => frontmatter::decode(&src.path, &src.bytes),
    };
    let text = match decoded {
        Ok(t) => t,
        Err(d) => return (None, vec![d]),
    };
    let split = match frontmatter::split(&src.path, &text) {
        Ok(s) => s,
        Err(d) => return (None, vec![d]),
    };
    // A page whose front matter cannot be read at all still stands in for the pages
    // that refer to it, so that its one mistake is the only one reported.
    let stand_in = |d: Diagnostic| {
        let kind = Kind::of(&src.rel);
        let page = Parsed {
            kind,
            path: src.path.clone(),
            rel: src.rel.clone(),
            common: Common::default(),
            meta: Meta::Fields(Fields::default()),
            broken: true,
            body: Body(BodyText::Owned(split.body.to_string())),
            body_line: split.body_line,
            front_hash: xxhash_rust::xxh3::xxh3_64(
                text[..text.len() - split.body.len()].as_bytes(),
            ),
        };
        (Some(page), vec![d])
    };
    let mut fm = match split.yaml {
        Some(yaml) => match FrontMatter::parse(&src.path, yaml, split.yaml_line) {
            Ok(fm) => fm,
            Err(d) => return stand_in(d),
        },
        None => FrontMatter::empty(&src.path),
    };
    if split.yaml.is_none() {
        if let Some(d) = frontmatter::missing_opening_fence(&src.path, &text) {
            return stand_in(d);
        }
        let d = Diagnostic::error(
            &src.path,
            1,
            1,
            Text::new(
                "文件开头缺少信息栏（两行 --- 包起来的设置项）",
                "the file has no front matter (settings between --- lines)",
            ),
        )
        .with_hint(Text::new(
            "在文件最前面加上三行：---、title: 标题、---",
            "add three lines at the very top: ---, `title: …`, ---",
        ));
        return stand_in(d);
    }
    let kind = Kind::of(&src.rel);
    fm.check_keys(&kind.allowed_keys(), &kind.names());
    let common = read_common(&mut fm);
    let meta = match kind.spec().front {
        Front::Own(Reader::Course, _) => read_course(&mut fm, config).map(Meta::Course),
        Front::Own(Reader::Lesson, _) => Some(Meta::Lesson(read_lesson(&mut fm))),
        Front::Own(Reader::Lecture, _) => {
            read_lecture(&mut fm, config).map(|m| Meta::Lecture(Box::new(m)))
        }
        Front::Own(Reader::Case, _) => read_case(&mut fm, config).map(Meta::Case),
        Front::Fields(fields) => Some(Meta::Fields(read_fields(&mut fm, fields))),
    };
    let mut diags = std::mem::take(&mut fm.diags);
    // A file left as `new` wrote it gets one warning, the front matter's; its body's
    // sample text is told once that is filled in.
    let examples = example_content(&fm, kind);
    let draft = common.as_ref().is_some_and(|c| c.draft);
    if examples.is_none() && !draft {
        diags.extend(sample_text(&src.path, split.body, split.body_line, kind));
    }
    diags.extend(examples);
    if let Some(Meta::Lecture(m)) = &meta {
        diags.extend(file_date_differs(&src.path, &src.rel, m));
    }
    // A file with mistakes in its front matter is still a page of the site for the
    // pages that refer to it (its URL, its lessons, links to it), so that each mistake
    // is reported once, at its place, and none is reported because of another.
    let broken = common.is_none() || meta.is_none() || diags.iter().any(Diagnostic::is_error);
    let page = Parsed {
        kind,
        path: src.path.clone(),
        rel: src.rel.clone(),
        common: common.unwrap_or_default(),
        meta: meta.unwrap_or(Meta::Fields(Fields::default())),
        broken,
        body: match (&text, src.bytes.text()) {
            // The body ends the file's text: it starts as far from the end.
            (Cow::Borrowed(_), Some(t)) => Body(BodyText::Shared(
                Arc::clone(src),
                t.len() - split.body.len(),
            )),
            _ => Body(BodyText::Owned(split.body.to_string())),
        },
        body_line: split.body_line,
        front_hash: xxhash_rust::xxh3::xxh3_64(text[..text.len() - split.body.len()].as_bytes()),
    };
    (Some(page), diags)
}

/// A file that still holds the example values `jiangtang new` wrote: one warning, at
/// the first, naming every key that holds one.
fn example_content(fm: &FrontMatter, kind: Kind) -> Option<Diagnostic> {
    let new = kind.spec().new?;
    // The example title is written when no --title is given.
    let examples = std::iter::once(("title", new.title)).chain(new.examples.iter().copied());
    let holds = |key: &str, example: &str| match fm.get(key) {
        Some(serde_yaml_ng::Value::String(s)) => s.trim() == example,
        Some(serde_yaml_ng::Value::Sequence(items)) => items
            .iter()
            .any(|v| v.as_str().is_some_and(|s| s.trim() == example)),
        _ => false,
    };
    let kept: Vec<(&str, &str)> = examples
        .filter(|(key, example)| holds(key, example))
        .collect();
    let &(key, example) = kept.first()?;
    let (line, column) = fm.item_pos(key, example);
    let keys: Vec<&str> = kept.iter().map(|(k, _)| *k).collect();
    let names = kind.names();
    Some(
        Diagnostic::warning(
            &fm.path,
            line,
            column,
            Text::new(
                format!(
                    "看起来还是示例内容：{} 还是 jiangtang new 写入的示例",
                    keys.join("、")
                ),
                format!(
                    "this still looks like example content: {} as written by jiangtang new",
                    keys.join(", ")
                ),
            ),
        )
        .with_len(example.chars().count())
        .with_hint(Text::new(
            format!("改成这个{}自己的内容，用不上的行可以删除", names.zh),
            format!(
                "write what is true of {}, or delete the lines it does not need",
                names.en
            ),
        )),
    )
}

/// Sentences of the body `jiangtang new` writes that no real page would have, one or
/// more in each kind's (the scaffold's tests hold it to that).
pub(crate) const SAMPLE_TEXT: &[&str] = &[
    "正文写在这里。",
    "链接到其他内容时写它的文件路径，例如",
    "在这里介绍课程的背景、内容和安排。",
    "在这里介绍讲座的主要内容。",
    "主讲人的简要介绍。",
    "案例的背景和要解决的问题。",
    "用数字说明成效。",
    "这是一道单选题的示例，正确答案是哪一项？",
    "[选项甲, 选项乙, 选项丙]",
    "这里写答案解析。",
];

/// Lines of the sample body that a real page could hold as part of a sentence, so they
/// count only as a whole line (after a list marker).
const SAMPLE_LINES: &[&str] = &[
    "第一项做法……",
    "第二项做法……",
    "可复制、可推广的经验。",
    "结合本单位实际，谈谈……",
];

/// The line and column of each piece of sample text in `body`, in order.
fn sample_text_places(body: &str, body_line: usize) -> Vec<(usize, usize, &'static str)> {
    let mut found = Vec::new();
    // One search of the whole body per phrase, before one per line: almost every page
    // holds none of them, and searching each line for each phrase was a fifth of a build.
    let any = |phrases: &[&str]| phrases.iter().any(|s| body.contains(s));
    if !any(SAMPLE_TEXT) && !any(SAMPLE_LINES) {
        return found;
    }
    for (i, line) in body.lines().enumerate() {
        let bare = line
            .trim()
            .trim_start_matches(|c: char| c.is_ascii_digit())
            .trim_start_matches(['.', '-', '*', ' ']);
        let whole = SAMPLE_LINES.iter().find(|s| bare == **s);
        let part = SAMPLE_TEXT
            .iter()
            .filter_map(|s| line.find(s).map(|at| (at, *s)))
            .min();
        let hit = match (whole, part) {
            (_, Some((at, s))) => Some((line[..at].chars().count() + 1, s)),
            (Some(s), None) => Some((line.chars().count() - bare.chars().count() + 1, *s)),
            (None, None) => None,
        };
        if let Some((column, s)) = hit {
            found.push((body_line + i, column, s));
        }
    }
    found
}

/// A published page whose body still holds sample text `jiangtang new` wrote: one
/// warning, at the first, naming the lines of all. Drafts are being written, and are
/// left alone.
fn sample_text(path: &Path, body: &str, body_line: usize, kind: Kind) -> Option<Diagnostic> {
    let places = sample_text_places(body, body_line);
    let &(line, column, sentence) = places.first()?;
    let lines: Vec<String> = places.iter().map(|p| p.0.to_string()).collect();
    let names = kind.names();
    let (zh, en) = if places.len() == 1 {
        (
            format!(
                "这个{}还有 jiangtang new 写入的示例正文“{sentence}”",
                names.zh
            ),
            format!("this page still has the sample text “{sentence}” that jiangtang new wrote"),
        )
    } else {
        (
            format!(
                "这个{}还有 {} 处 jiangtang new 写入的示例正文（第 {} 行），第一处是“{sentence}”",
                names.zh,
                places.len(),
                lines.join("、")
            ),
            format!(
                "this page still has {} pieces of the sample text jiangtang new wrote (lines {}), the first “{sentence}”",
                places.len(),
                lines.join(", ")
            ),
        )
    };
    Some(
        Diagnostic::warning(path, line, column, Text::new(zh, en))
            .with_len(sentence.chars().count())
            .with_hint(Text::new(
                "把示例正文换成这个页面自己的内容；还没写完可以先在信息栏加上 draft: true",
                "replace the sample text with the page's own; until it is done, add draft: true to the front matter",
            )),
    )
}

/// A lecture file named by a date (`2026-03-05-….md`, as `jiangtang new` names it) whose
/// `start` is another day: its address keeps the file's date. A postponed lecture keeps
/// its address on purpose, for the links already sent out.
fn file_date_differs(path: &Path, rel: &str, m: &LectureMeta) -> Option<Diagnostic> {
    if m.status == Status::Postponed {
        return None;
    }
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let prefix = name.get(..10)?;
    let dashes = prefix.char_indices().all(|(i, c)| match i {
        4 | 7 => c == '-',
        _ => c.is_ascii_digit(),
    });
    let day = frontmatter::parse_date(prefix).filter(|_| dashes)?;
    let start = m.start.date();
    if day == start {
        return None;
    }
    let renamed = format!("{start}{}", &name[10..]);
    let (line, column) = m.start_pos;
    Some(
        Diagnostic::warning(
            path,
            line,
            column,
            Text::new(
                format!("文件名里的日期（{day}）和 start（{start}）不一致：网址用的是文件名里的日期"),
                format!("the file name says {day} but start is {start}: the address keeps the file's date"),
            ),
        )
        .with_hint(Text::new(
            format!("讲座改了日期就把文件改名为 {renamed}（网址会随之改变）；若是 start 写错了，改正 start；延期的讲座写 status: postponed"),
            format!("if the lecture moved, rename the file to {renamed} (its address changes with it); if start is wrong, correct it; for a postponed lecture write status: postponed"),
        )),
    )
}

fn read_common(fm: &mut FrontMatter) -> Option<Common> {
    let title = fm.required_string("title", "标题");
    let slug = fm.string("slug");
    if let Some(s) = &slug
        && !is_safe_slug(s)
    {
        let pos = fm.value_pos("slug");
        fm.error_at(
            pos,
            Text::new(format!("slug“{s}”不能用作网址"), format!("slug `{s}` cannot be used in a URL")),
            Text::new(
                "slug 只能包含小写字母、数字和连字符，例如 slug: dang-shi-xue-xi",
                "a slug may contain only lowercase letters, digits and hyphens, e.g. slug: party-history",
            ),
        );
    }
    if let Some(s) = &slug
        && is_safe_slug(s)
        && s.contains(|c: char| c.is_ascii_uppercase() || c == '_')
    {
        let pos = fm.value_pos("slug");
        let meant = slugify(s);
        fm.warn_at(
            pos,
            Text::new(
                format!("slug“{s}”含有大写字母或下划线，网址会区分大小写，读者不好输入"),
                format!("slug `{s}` has capitals or underscores; addresses are case-sensitive and hard to type"),
            ),
            Text::new(
                format!("slug 只用小写字母、数字和连字符：写成 slug: {meant}"),
                format!("use lowercase letters, digits and hyphens only: slug: {meant}"),
            ),
        );
    }
    let common = Common {
        summary: fm.string("summary").unwrap_or_default(),
        date: fm.date("date"),
        updated: fm.date("updated"),
        draft: fm.bool("draft").unwrap_or(false),
        weight: fm.integer("weight"),
        tags: fm.string_list("tags"),
        publish_date: fm.date("publish_date"),
        expiry_date: fm.date("expiry_date"),
        unlisted: !fm.bool("listed").unwrap_or(true),
        aliases: refs(fm, "aliases"),
        cover: single_ref(fm, "cover"),
        cover_alt: fm.string("cover_alt").unwrap_or_default(),
        recording: single_ref(fm, "recording"),
        title: title.clone().unwrap_or_default(),
        // A slug that cannot be an address is reported above; the file's name stands.
        slug_at: slug.is_some().then(|| fm.key_pos("slug")),
        slug: slug.filter(|s| is_safe_slug(s)),
    };
    title.map(|_| common)
}

/// Slugs end up as folder names under `public/`: no separators, no dots at the start,
/// nothing a file system or URL treats specially.
pub(crate) fn is_safe_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 120
        && !s.starts_with(['.', '-'])
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Lowercase letters, digits and single hyphens between them (`zeng-du-qu`): what
/// `slugify` makes, and what it leaves as it is.
pub(crate) fn is_plain_slug(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
}

/// An ASCII, URL-safe slug for any name: 党史学习 → dang-shi-xue-xi.
pub(crate) fn slugify(name: &str) -> String {
    slugify_as(name, crate::names::Name::Other)
}

/// A slug for a name of the given sort (a person's surname reads differently).
pub(crate) fn slugify_as(name: &str, what: crate::names::Name) -> String {
    // Already a slug (`lesson-01`): nothing to change.
    if is_plain_slug(name) {
        return name.to_string();
    }
    let ascii = crate::names::read(name, what);
    let mut out = String::with_capacity(ascii.len());
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "page".to_string()
    } else {
        out
    }
}

/// The values `site.yaml` allows for a key: the site's key, its values and what one is
/// called ("讲座系列"; "series", "series").
struct Allowed<'a> {
    site_key: &'a str,
    values: &'a [String],
    what: (&'a str, &'a str, &'a str),
}

/// Whether `value` is one of the allowed values; reports it when not, with the closest
/// value and every allowed one, since an editor cannot guess them.
fn check_member(fm: &mut FrontMatter, key: &str, value: &str, allowed: &Allowed) -> bool {
    if allowed.values.iter().any(|a| a == value) {
        return true;
    }
    let (what_zh, one_en, many_en) = allowed.what;
    let site_key = allowed.site_key;
    let pos = fm.item_pos(key, value);
    let hint = if allowed.values.is_empty() {
        Text::new(
            format!(
                "site.yaml 里还没有设置{what_zh}：在 site.yaml 中加上一行 {site_key}: [{value}]"
            ),
            format!(
                "site.yaml allows no {many_en} yet: add a line `{site_key}: [{value}]` to site.yaml"
            ),
        )
    } else {
        let guess =
            suggestion(value, allowed.values.iter().map(String::as_str)).unwrap_or_default();
        Text::new(
            format!(
                "{}可选的{what_zh}：{}（在 site.yaml 的 {site_key} 中设置）",
                guess.zh,
                allowed.values.join("、")
            ),
            format!(
                "{}{}he {many_en} allowed by `{site_key}` in site.yaml: {}",
                guess.en,
                if guess.en.is_empty() { "T" } else { " T" },
                allowed.values.join(", ")
            ),
        )
    };
    fm.error_at(
        pos,
        Text::new(
            format!("未知的{what_zh}“{value}”"),
            format!("unknown {one_en} `{value}`"),
        ),
        hint,
    );
    false
}

/// The values of a list whose values `site.yaml` may fix (`levels:`, `domains:`): each
/// must be one of `allowed` when the site lists any.
fn configured_terms(fm: &mut FrontMatter, key: &str, allowed: &Allowed) -> Vec<String> {
    let values = fm.string_list(key);
    if !allowed.values.is_empty() {
        for v in &values {
            check_member(fm, key, v, allowed);
        }
    }
    values
}

/// The tiers `site.yaml` allows for `level`.
fn levels(config: &Config) -> Allowed<'_> {
    Allowed {
        site_key: "levels",
        values: &config.levels,
        what: ("层级", "tier", "tiers"),
    }
}

/// The fields `site.yaml` allows for `domain`.
fn domains(config: &Config) -> Allowed<'_> {
    Allowed {
        site_key: "domains",
        values: &config.domains,
        what: ("领域", "field", "fields"),
    }
}

/// The file named by `key`, with where its value is written.
fn single_ref(fm: &mut FrontMatter, key: &str) -> Option<Ref> {
    let target = fm.string(key).filter(|s| !s.trim().is_empty())?;
    let (line, column) = fm.value_pos(key);
    Some(Ref {
        target: target.trim().to_string(),
        line,
        column,
    })
}

fn refs(fm: &mut FrontMatter, key: &str) -> Vec<Ref> {
    fm.string_list(key)
        .into_iter()
        .map(|target| {
            let (line, column) = fm.item_pos(key, &target);
            Ref {
                target,
                line,
                column,
            }
        })
        .collect()
}

fn read_course(fm: &mut FrontMatter, config: &Config) -> Option<CourseMeta> {
    let action = fm.required_string(
        "action",
        &config
            .actions
            .first()
            .cloned()
            .unwrap_or_else(|| "专业训练".into()),
    );
    let action_ok = match &action {
        Some(a) => {
            let allowed = Allowed {
                site_key: "actions",
                values: &config.actions,
                what: ("培训行动", "action", "actions"),
            };
            check_member(fm, "action", a, &allowed)
        }
        None => false,
    };
    let hours = if fm.get("hours").is_none() {
        let pos = fm.key_pos("title");
        fm.error_at(
            pos,
            Text::new(
                "课程缺少必填项“hours”（学时）",
                "a course needs `hours` (study hours)",
            ),
            Text::new(
                "在信息栏中加上一行 hours: 4",
                "add a line `hours: 4` to the front matter",
            ),
        );
        None
    } else {
        fm.number("hours")
    };
    let required = fm.bool("required").unwrap_or(false);
    let meta = CourseMeta {
        action: action.clone().unwrap_or_default(),
        levels: configured_terms(fm, "level", &levels(config)),
        domains: configured_terms(fm, "domain", &domains(config)),
        topics: fm.string_list("topics"),
        hours: hours.unwrap_or(0.0),
        required,
        unit: fm.string("unit").filter(|s| !s.is_empty()),
        instructors: fm.string_list("instructors"),
        objectives: fm.string_list("objectives"),
        prerequisites: refs(fm, "prerequisites"),
    };
    (action_ok && hours.is_some()).then_some(meta)
}

fn read_lesson(fm: &mut FrontMatter) -> LessonMeta {
    LessonMeta {
        duration: fm.integer("duration").and_then(|d| u32::try_from(d).ok()),
        attachments: refs(fm, "attachments"),
    }
}

fn read_lecture(fm: &mut FrontMatter, config: &Config) -> Option<LectureMeta> {
    let series = fm.string("series").unwrap_or_default();
    if !series.is_empty() {
        let allowed = Allowed {
            site_key: "series",
            values: &config.series,
            what: ("讲座系列", "series", "series"),
        };
        check_member(fm, "series", &series, &allowed);
    }
    if fm.get("start").is_none() {
        fm.required_string("start", "\"2026-03-15 09:00\"");
        return None;
    }
    if let Some(raw) = fm.string("start")
        && frontmatter::parse_datetime(&raw).is_none()
        && frontmatter::parse_date(&raw).is_some()
    {
        let pos = fm.value_pos("start");
        fm.error_at(
            pos,
            Text::new(
                format!("讲座的开始时间“{raw}”只有日期，缺少几点几分"),
                format!("lecture start `{raw}` has a date but no time"),
            ),
            Text::new(
                format!(
                    "写上开始时刻（站点时区 {}），例如 start: \"{raw} 09:00\"",
                    config.timezone
                ),
                format!(
                    "add the time of day (site timezone {}), e.g. start: \"{raw} 09:00\"",
                    config.timezone
                ),
            ),
        );
        return None;
    }
    let start_pos = fm.value_pos("start");
    let start = fm.datetime("start")?;
    let end = match (fm.get("end").is_some(), fm.get("duration").is_some()) {
        (true, _) => fm.datetime_on("end", Some(start.date()))?,
        (false, true) => {
            let minutes = fm.integer("duration")?;
            start.checked_add(jiff::Span::new().minutes(minutes)).ok()?
        }
        (false, false) => start.checked_add(jiff::Span::new().hours(2)).ok()?,
    };
    if end <= start {
        let key = if fm.get("end").is_some() {
            "end"
        } else {
            "duration"
        };
        let pos = fm.value_pos(key);
        fm.error_at(
            pos,
            Text::new(
                "讲座的结束时间早于（或等于）开始时间",
                "the lecture ends before it starts",
            ),
            Text::new(
                format!(
                    "检查 start（{}）和 {key} 的日期与时间",
                    start.strftime("%Y-%m-%d %H:%M")
                ),
                format!(
                    "check the dates and times of start ({}) and {key}",
                    start.strftime("%Y-%m-%d %H:%M")
                ),
            ),
        );
        return None;
    }
    let status = match fm.string("status").as_deref() {
        None | Some("" | "scheduled" | "已安排" | "正常") => Status::Scheduled,
        Some("postponed" | "已延期" | "延期") => Status::Postponed,
        Some("cancelled" | "canceled" | "已取消" | "取消") => Status::Cancelled,
        Some(other) => {
            let pos = fm.value_pos("status");
            fm.error_at(
                pos,
                Text::new(
                    format!("未知的讲座状态“{other}”"),
                    format!("unknown lecture status `{other}`"),
                ),
                Text::new(
                    "status 只能是 scheduled（正常）、postponed（延期）或 cancelled（取消）",
                    "status must be scheduled, postponed or cancelled",
                ),
            );
            return None;
        }
    };
    let course = fm.string("course").map(|target| {
        let (line, column) = fm.value_pos("course");
        Ref {
            target,
            line,
            column,
        }
    });
    let repeat = match fm.get("repeat").cloned() {
        None => None,
        Some(v) => match crate::recurrence::parse_repeat(&v, start) {
            Ok(r) => Some(r),
            Err(e) => {
                let pos = match &e.key {
                    Some(k) => fm.item_pos("repeat", &format!("{k}:")),
                    None => fm.value_pos("repeat"),
                };
                fm.error_at(pos, e.message, e.hint);
                return None;
            }
        },
    };
    let sessions = read_sessions(fm, repeat.as_ref(), start)?;
    Some(LectureMeta {
        series,
        start,
        start_pos,
        end,
        location: fm.string("location").unwrap_or_default(),
        speaker: fm.string("speaker").filter(|s| !s.is_empty()),
        speaker_title: fm.string("speaker_title").unwrap_or_default(),
        unit: fm.string("unit").filter(|s| !s.is_empty()),
        audience: fm.string("audience").unwrap_or_default(),
        status,
        course,
        materials: refs(fm, "materials"),
        repeat,
        sessions,
    })
}

/// The `sessions` of a series, checked against its dates; `None` after a mistake
/// (each reported at its place).
fn read_sessions(
    fm: &mut FrontMatter,
    repeat: Option<&crate::recurrence::Recurrence>,
    start: jiff::civil::DateTime,
) -> Option<Vec<sessions::SessionNote>> {
    let Some(value) = fm.get("sessions").cloned() else {
        return Some(Vec::new());
    };
    let Some(rule) = repeat else {
        let pos = fm.key_pos("sessions");
        fm.error_at(
            pos,
            Text::new(
                "sessions 只用于重复举办的讲座（写了 repeat 的讲座）",
                "sessions is for a repeating lecture (one with repeat)",
            ),
            Text::new(
                "单场讲座的主讲人和题目直接写在 speaker 和 title 里；删除 sessions",
                "a single lecture gives its speaker and title in speaker and title: remove sessions",
            ),
        );
        return None;
    };
    let dates: Vec<jiff::civil::Date> = crate::recurrence::occurrences(rule, start)
        .iter()
        .map(|s| s.date())
        .collect();
    let (notes, errors) = sessions::parse(&value, &dates);
    let failed = !errors.is_empty();
    for e in errors {
        let pos = match &e.spot {
            sessions::Spot::Value => fm.value_pos("sessions"),
            sessions::Spot::Item(n) => fm.list_item_pos("sessions", *n, None, false),
            sessions::Spot::Key { item, key, value } => {
                fm.list_item_pos("sessions", *item, Some(key), *value)
            }
        };
        fm.error_at(pos, e.message, e.hint);
    }
    (!failed).then_some(notes)
}

fn read_case(fm: &mut FrontMatter, config: &Config) -> Option<CaseMeta> {
    let unit = fm.required_string("unit", "市发改委")?;
    Some(CaseMeta {
        unit,
        author: fm.string("author").unwrap_or_default(),
        domains: configured_terms(fm, "domain", &domains(config)),
        region: fm.string("region").unwrap_or_default(),
        topics: fm.string_list("topics"),
        outcomes: fm.string_list("outcomes"),
    })
}

fn read_fields(fm: &mut FrontMatter, fields: &'static [Field]) -> Fields {
    let text = |fm: &mut FrontMatter, key| fm.string(key).filter(|s| !s.is_empty());
    let value = |fm: &mut FrontMatter, f: &Field| match f.ty {
        FieldType::Text => FieldValue::Text(text(fm, f.key)),
        FieldType::List => FieldValue::List(fm.string_list(f.key)),
        FieldType::Flag => FieldValue::Flag(fm.bool(f.key).unwrap_or(false)),
        FieldType::Term => FieldValue::Term(text(fm, f.key)),
        FieldType::Terms => FieldValue::Terms(fm.string_list(f.key)),
    };
    Fields(fields.iter().map(|f| (f.key, value(fm, f))).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(rel: &str, text: &str) -> Arc<SourceFile> {
        Arc::new(SourceFile {
            path: Path::new("content").join(rel),
            rel: rel.into(),
            bytes: text.as_bytes().to_vec().into(),
        })
    }

    fn config() -> Config {
        Config::default()
    }

    #[test]
    fn typed_fields_are_read_by_their_type() {
        const FIELDS: &[Field] = &[
            Field {
                key: "unit",
                ty: FieldType::Term,
            },
            Field {
                key: "topics",
                ty: FieldType::Terms,
            },
            Field {
                key: "pinned",
                ty: FieldType::Flag,
            },
            Field {
                key: "place",
                ty: FieldType::Text,
            },
            Field {
                key: "steps",
                ty: FieldType::List,
            },
        ];
        let yaml = "unit: 市委组织部\ntopics: [乡村振兴, 基层治理]\npinned: true\nsteps: [报名]\n";
        let mut fm = FrontMatter::parse(Path::new("content/x.md"), yaml, 2).unwrap();
        let f = read_fields(&mut fm, FIELDS);
        assert!(fm.diags.is_empty(), "{:?}", fm.diags);
        assert_eq!(f.terms("unit"), (Some("市委组织部"), &[][..]));
        assert_eq!(f.terms("topics").1, ["乡村振兴", "基层治理"]);
        assert!(f.flag("pinned") && !f.flag("unit"));
        // Texts and lists are no taxonomy's terms; a text not given is `None`.
        assert_eq!(f.terms("steps"), (None, &[][..]));
        assert!(matches!(&f.0[3], ("place", FieldValue::Text(None))));
        assert!(matches!(&f.0[4], ("steps", FieldValue::List(l)) if l == &["报名"]));
    }

    #[test]
    fn a_flag_that_is_not_true_or_false_is_reported_at_its_value() {
        const FIELDS: &[Field] = &[Field {
            key: "pinned",
            ty: FieldType::Flag,
        }];
        let mut fm = FrontMatter::parse(Path::new("content/x.md"), "pinned: 置顶\n", 2).unwrap();
        let f = read_fields(&mut fm, FIELDS);
        assert!(!f.flag("pinned"));
        assert_eq!(fm.diags.len(), 1);
        assert_eq!((fm.diags[0].line, fm.diags[0].column), (2, 9));
    }

    #[test]
    fn slugs_are_ascii() {
        assert_eq!(slugify("党史学习教育"), "dang-shi-xue-xi-jiao-yu");
        assert_eq!(slugify("2026 年 Q1"), "2026-nian-q1");
        assert!(!is_safe_slug("../../x"));
        assert!(is_safe_slug("dang-shi_1"));
    }

    #[test]
    fn course_without_action_or_hours_is_an_error() {
        let (page, diags) = parse(
            &src("courses/a/index.md", "---\ntitle: 课程\n---\n"),
            &config(),
        );
        assert!(
            page.is_some_and(|p| p.broken),
            "a page with errors stands in, marked broken"
        );
        assert!(diags.iter().any(|d| d.message.en.contains("action")));
        assert!(diags.iter().any(|d| d.message.en.contains("hours")));
    }

    #[test]
    fn unknown_action_suggests_a_configured_one() {
        let (_, diags) = parse(
            &src(
                "courses/a/index.md",
                "---\ntitle: 课程\naction: 思想淬练\nhours: 2\n---\n",
            ),
            &config(),
        );
        assert_eq!(diags.len(), 1);
        assert_eq!((diags[0].line, diags[0].column), (3, 9));
        assert!(diags[0].hint.zh.contains("思想淬炼"));
    }

    #[test]
    fn lecture_ending_before_it_starts_is_an_error() {
        let (page, diags) = parse(
            &src(
                "lectures/a.md",
                "---\ntitle: 讲座\nstart: \"2026-03-15 09:00\"\nend: \"2026-03-15 08:00\"\n---\n",
            ),
            &config(),
        );
        assert!(
            page.is_some_and(|p| p.broken),
            "a page with errors stands in, marked broken"
        );
        assert_eq!(diags[0].line, 4);
    }

    #[test]
    fn lecture_without_start_is_an_error() {
        let (page, diags) = parse(&src("lectures/a.md", "---\ntitle: 讲座\n---\n"), &config());
        assert!(
            page.is_some_and(|p| p.broken),
            "a page with errors stands in, marked broken"
        );
        assert!(diags[0].message.en.contains("start"));
    }
}
