//! `jiangtang import FILE.docx… --as case|lesson|page`: Word (and WPS) documents as
//! pages of the site. The package is read here (zip, parts, pictures, files written);
//! the conversion in between is pure: [`docx::parse`] reads the parts' XML into the
//! [`model::Document`], [`markdown::write`] writes it as Markdown, and the front matter
//! is the one `jiangtang new` writes (`scaffold::front_matter`).

pub mod docx;
mod headings;
pub mod markdown;
pub mod model;
mod package;
mod styles;
#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};

use jiff::civil::Date;

use crate::config::Config;
use crate::content::Kind;
use crate::diagnostic::{Diagnostic, Text};
use model::{Document, Dropped, Lost, Note, Placed};
pub use package::{Converted, Problem, convert};

/// The kinds a document can become.
pub const KINDS: [Kind; 3] = [Kind::Case, Kind::Lesson, Kind::Page];

/// What the command asks for, besides the files.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    /// The site folder.
    pub root: &'a Path,
    pub kind: Kind,
    /// Where in `content/` (a folder, or a file for one document); for a lesson, the
    /// course's folder.
    pub to: Option<&'a str>,
    /// Replace files that exist.
    pub force: bool,
    pub config: &'a Config,
    pub today: Date,
}

/// One document imported: where its page and pictures were written, and what the
/// editor should look at.
#[derive(Debug, Clone)]
pub struct Imported {
    pub source: PathBuf,
    /// The page, relative to the site's folder (`content/cases/x.md`).
    pub page: PathBuf,
    pub images: Vec<PathBuf>,
    pub warnings: Vec<Diagnostic>,
}

impl Imported {
    /// "已导入 a.docx → content/cases/x.md（图片 2 张）".
    pub fn summary(&self) -> Text {
        let (source, page) = (
            crate::platform::slashed(&self.source),
            crate::platform::slashed(&self.page),
        );
        let n = self.images.len();
        let names: Vec<String> = self
            .images
            .iter()
            .filter_map(|p| p.file_name())
            .map(|f| f.to_string_lossy().to_string())
            .collect();
        let (zh, en) = if n == 0 {
            (String::new(), String::new())
        } else {
            let s = if n == 1 { "" } else { "s" };
            (
                format!("，图片 {n} 张在同一文件夹：{}", names.join("、")),
                format!(", {n} picture{s} beside it: {}", names.join(", ")),
            )
        };
        Text::new(
            format!("已导入 {source} → {page}{zh}"),
            format!("imported {source} → {page}{en}"),
        )
    }
}

/// A file to write: its path relative to the site's folder and its bytes.
type File = (PathBuf, Vec<u8>);

/// A document read and placed, not yet written.
struct Plan {
    source: PathBuf,
    page: PathBuf,
    text: String,
    /// (path relative to the site's folder, bytes).
    images: Vec<File>,
    warnings: Vec<Diagnostic>,
}

/// Imports every file, or none: when any cannot be read or placed, nothing is written
/// and every error is returned.
pub fn import(files: &[PathBuf], req: &Request<'_>) -> Result<Vec<Imported>, Vec<Diagnostic>> {
    let mut plans = Vec::new();
    let mut errors = Vec::new();
    for (i, file) in files.iter().enumerate() {
        match plan(file, i, req) {
            Ok(p) => plans.push(p),
            Err(d) => errors.push(d),
        }
    }
    errors.extend(clashes(&plans, req));
    if !errors.is_empty() {
        return Err(errors);
    }
    plans.into_iter().map(|p| write(p, req.root)).collect()
}

fn plan(file: &Path, nth: usize, req: &Request<'_>) -> Result<Plan, Diagnostic> {
    let bytes = std::fs::read(file).map_err(|e| crate::io_diag(file, &e))?;
    let converted = convert(&bytes).map_err(|p| p.at(file))?;
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().trim().to_string())
        .unwrap_or_default();
    let doc = &converted.doc;
    let title = doc
        .title
        .clone()
        .filter(|t| !t.trim().is_empty())
        .unwrap_or(stem);
    let page = target(req, &title, nth)?;
    let dir = page.parent().unwrap_or(Path::new("")).to_path_buf();
    let page_stem = page
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let (placed, images, lost) = place_images(&converted, &page_stem, &dir);
    let course_dir = dir
        .strip_prefix("content")
        .map(crate::platform::slashed)
        .unwrap_or_default();
    let text = format!(
        "{}\n{}",
        crate::scaffold::front_matter(
            req.kind,
            &title,
            &course_dir,
            req.config,
            req.today,
            &filled(doc, req.config)
        ),
        markdown::write(doc, &placed)
    );
    let warnings = doc
        .notes
        .iter()
        .chain(&lost)
        .map(|n| warning(file, n))
        .collect();
    Ok(Plan {
        source: file.to_path_buf(),
        page,
        text,
        images,
        warnings,
    })
}

/// The page's path, as `jiangtang new` would name it for the document's title. The
/// n-th lesson of one command is numbered n after the first.
fn target(req: &Request<'_>, title: &str, nth: usize) -> Result<PathBuf, Diagnostic> {
    let to = match (req.to, req.kind) {
        (Some(to), _) => to.to_string(),
        (None, Kind::Lesson) => return Err(lesson_without_course()),
        (None, kind) => kind
            .spec()
            .list
            .map_or_else(String::new, |l| format!("{}/", l.folder)),
    };
    let is_file = to.ends_with(".md");
    let to = if is_file || to.is_empty() || to.ends_with('/') {
        to
    } else {
        format!("{to}/")
    };
    let planned =
        crate::scaffold::plan(req.root, req.kind, &to, Some(title), req.config, req.today)?;
    if req.kind != Kind::Lesson || is_file || nth == 0 {
        return Ok(planned.path);
    }
    let name = planned
        .path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let digits: String = name.chars().take_while(char::is_ascii_digit).collect();
    let number = digits.parse::<usize>().unwrap_or(1).saturating_add(nth);
    let renamed = format!("{number:02}{}", &name[digits.len()..]);
    Ok(planned.path.with_file_name(renamed))
}

/// The values of the front matter the document gives: its author and the day it was
/// written (in the site's time zone).
fn filled(doc: &Document, config: &Config) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if let Some(author) = &doc.author {
        out.push(("author", author.clone()));
    }
    if let Some(date) = doc.created.as_deref().and_then(|c| created_day(c, config)) {
        out.push(("date", date.strftime("%Y-%m-%d").to_string()));
    }
    out
}

/// The local day of a W3CDTF time (`2026-03-01T08:00:00Z`), or of a bare date.
fn created_day(created: &str, config: &Config) -> Option<Date> {
    let tz = jiff::tz::TimeZone::get(&config.timezone).unwrap_or(jiff::tz::TimeZone::UTC);
    if let Ok(ts) = created.parse::<jiff::Timestamp>() {
        return Some(ts.to_zoned_datetime(tz).date());
    }
    created.get(..10)?.parse::<Date>().ok()
}

/// Each picture's file beside the page (`<stem>-1.png` …, the same part once), the
/// files to write, and the pictures that cannot be shown.
fn place_images(
    converted: &Converted,
    stem: &str,
    dir: &Path,
) -> (Vec<Placed>, Vec<File>, Vec<Note>) {
    let mut placed: Vec<Placed> = Vec::new();
    let mut files = Vec::new();
    let mut lost = Vec::new();
    for (i, image) in converted.doc.images.iter().enumerate() {
        let Some(media) = &converted.media[i] else {
            placed.push(Placed {
                file: String::new(),
                shown: false,
            });
            continue;
        };
        let earlier = converted.doc.images[..i]
            .iter()
            .position(|o| o.target == image.target);
        if let Some(j) = earlier {
            placed.push(placed[j].clone());
            continue;
        }
        let file = format!("{stem}-{}.{}", files.len() + 1, media.extension);
        if !media.shown {
            lost.push(Note {
                paragraph: image.paragraph,
                excerpt: String::new(),
                what: Lost::ImageFormat {
                    number: i + 1,
                    file: file.clone(),
                },
            });
        }
        files.push((dir.join(&file), media.bytes.clone()));
        placed.push(Placed {
            file,
            shown: media.shown,
        });
    }
    (placed, files, lost)
}

/// Files that exist (without `--force`) or that two documents would both write.
fn clashes(plans: &[Plan], req: &Request<'_>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut seen: Vec<&Path> = Vec::new();
    for p in plans {
        let paths = std::iter::once(&p.page).chain(p.images.iter().map(|(path, _)| path));
        for path in paths {
            if seen.contains(&path.as_path()) {
                out.push(twice(path, &p.source));
            } else if !req.force && req.root.join(path).exists() {
                out.push(exists(path));
            }
            seen.push(path);
        }
    }
    out
}

fn write(plan: Plan, root: &Path) -> Result<Imported, Vec<Diagnostic>> {
    let io = |path: &Path, e: std::io::Error| vec![crate::io_diag(path, &e)];
    if let Some(dir) = plan.page.parent() {
        std::fs::create_dir_all(root.join(dir)).map_err(|e| io(dir, e))?;
    }
    for (path, bytes) in &plan.images {
        std::fs::write(root.join(path), bytes).map_err(|e| io(path, e))?;
    }
    std::fs::write(root.join(&plan.page), &plan.text).map_err(|e| io(&plan.page, e))?;
    Ok(Imported {
        source: plan.source,
        page: plan.page,
        images: plan.images.into_iter().map(|(p, _)| p).collect(),
        warnings: plan.warnings,
    })
}

fn lesson_without_course() -> Diagnostic {
    Diagnostic::argument(Text::new(
        "导入为课时（--as lesson）时要用 --to 指明课程文件夹",
        "a lesson (--as lesson) needs --to naming its course's folder",
    ))
    .with_hint(Text::new(
        "例如：jiangtang import 第一课.docx --as lesson --to courses/dang-shi",
        "e.g. jiangtang import lesson-1.docx --as lesson --to courses/party-history",
    ))
}

fn exists(path: &Path) -> Diagnostic {
    crate::scaffold::exists(
        path,
        Text::new(
            "确认要用导入的内容替换它时加上 --force；否则用 --to 给出别的位置",
            "add --force to replace it with the imported text, or give another place with --to",
        ),
    )
}

fn twice(path: &Path, source: &Path) -> Diagnostic {
    let source = crate::platform::slashed(source);
    Diagnostic::error(
        path,
        0,
        0,
        Text::new(
            format!("{source} 和前面的另一个文档都要写到这个文件，没有导入任何文件"),
            format!(
                "{source} and an earlier document would both write this file; nothing was imported"
            ),
        ),
    )
    .with_hint(Text::new(
        "分两次导入，用 --to 给出不同的文件名",
        "import them one at a time, naming different files with --to",
    ))
}

/// A note on the conversion as a warning at the document, with the paragraph's number
/// and first characters so that the editor finds it in Word.
fn warning(file: &Path, note: &Note) -> Diagnostic {
    let at = if note.excerpt.is_empty() {
        Text::new(
            format!("第 {} 段：", note.paragraph),
            format!("paragraph {}: ", note.paragraph),
        )
    } else {
        Text::new(
            format!("第 {} 段（“{}…”）：", note.paragraph, note.excerpt),
            format!("paragraph {} (“{}…”): ", note.paragraph, note.excerpt),
        )
    };
    let (message, hint) = lost_text(&note.what);
    Diagnostic::warning(
        file,
        0,
        0,
        Text::new(
            format!("{}{}", at.zh, message.zh),
            format!("{}{}", at.en, message.en),
        ),
    )
    .with_hint(hint)
}

fn lost_text(what: &Lost) -> (Text, Text) {
    match what {
        Lost::MergedCells { table } => (
            Text::new(
                format!("表格 {table} 有合并的单元格，网页表格不能合并，已拆开，文字留在第一格"),
                format!(
                    "table {table} has merged cells, which web tables cannot have: they were split, the text kept in the first"
                ),
            ),
            Text::new(
                "在导入的文件中检查这个表格；需要时把合并单元格的文字补到各格",
                "check the table in the imported file; repeat the merged text in each cell where needed",
            ),
        ),
        Lost::CellParagraphs { table } => (
            Text::new(
                format!("表格 {table} 的单元格里有多个段落，已合成一行，用换行隔开"),
                format!(
                    "cells of table {table} hold several paragraphs: each became one line with line breaks"
                ),
            ),
            Text::new(
                "检查这个表格；长段文字可以移到表格外面",
                "check the table; long text reads better outside it",
            ),
        ),
        Lost::ImageWithoutAlt { number, name } => (
            Text::new(
                format!("第 {number} 张图片（{name}）没有替代文字"),
                format!("picture {number} ({name}) has no alt text"),
            ),
            Text::new(
                "在导入的文件中，把图片内容的简短描述写进 ![] 的方括号；或在 Word 中右击图片 → “编辑替代文字”后重新导入",
                "write a short description of the picture between the brackets of ![] in the imported file, or add alt text in Word (right-click → Edit Alt Text) and import again",
            ),
        ),
        Lost::Dropped(what) => {
            let (zh, en) = match what {
                Dropped::TextBox => ("文本框", "a text box"),
                Dropped::Chart => ("图表", "a chart"),
                Dropped::Diagram => ("SmartArt 图形", "a SmartArt diagram"),
                Dropped::Equation => ("公式", "an equation"),
            };
            (
                Text::new(
                    format!("{zh}不能转换，没有导入"),
                    format!("{en} cannot be converted and was left out"),
                ),
                Text::new(
                    "需要时把其中的文字复制到正文，或在 Word 中把它另存为图片，放在页面旁边，用 ![描述](文件名) 插入",
                    "copy its text into the page where needed, or save it as a picture from Word beside the page and show it with ![description](file)",
                ),
            )
        }
        Lost::ImageFormat { number, file } => (
            Text::new(
                format!("第 {number} 张图片的格式网页不能显示，已保存为 {file}，正文中是它的链接"),
                format!(
                    "picture {number} is in a format web pages cannot show: saved as {file} and linked to"
                ),
            ),
            Text::new(
                "在 Word 或 WPS 中把图片另存为 PNG 或 JPEG，放在同一文件夹，把链接改成 ![图片描述](新文件名)",
                "save the picture as PNG or JPEG from Word or WPS into the same folder and change the link to ![description](new-file)",
            ),
        ),
    }
}
