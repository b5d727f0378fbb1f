//! A `.docx` package from its bytes: what kind of file it is, its parts, its pictures.

use std::collections::HashMap;
use std::io::{Cursor, Read};
use std::path::Path;

use zip::ZipArchive;

use super::docx::{self, Parts};
use super::model::Document;
use crate::diagnostic::{Diagnostic, Text};

/// An XML part larger than this (unpacked) is taken for damage or a zip bomb.
const MAX_XML: u64 = 64 * 1024 * 1024;

/// The start of an OLE compound file: legacy `.doc`, `.wps`, and encrypted `.docx`.
const CFB: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Why a file cannot be imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// An OLE compound file holding an encrypted package: the document has a password.
    Encrypted,
    /// An OLE compound file: a Word 97–2003 `.doc` or a WPS `.wps`.
    Legacy,
    /// Not a zip file at all (a PDF, a text file, an image …).
    NotZip,
    /// A zip file whose end is missing or damaged.
    Truncated,
    /// A zip file that is not a Word document; the program it belongs to if known.
    NotWord(Option<&'static str>),
    /// The document's XML is damaged.
    Damaged(String),
    /// No text at all.
    NoText,
}

/// A document read from a package, and each picture's bytes (`None` for a picture
/// that is not in the package, such as one linked from the web).
#[derive(Debug, Clone)]
pub struct Converted {
    pub doc: Document,
    pub media: Vec<Option<Media>>,
}

#[derive(Debug, Clone)]
pub struct Media {
    pub bytes: Vec<u8>,
    /// The file name's extension: the format's, else the part's.
    pub extension: String,
    /// Whether the site shows it as a picture.
    pub shown: bool,
}

/// Reads a `.docx` from its bytes.
pub fn convert(bytes: &[u8]) -> Result<Converted, Problem> {
    if bytes.starts_with(&CFB) {
        return Err(if contains_utf16(bytes, "EncryptedPackage") {
            Problem::Encrypted
        } else {
            Problem::Legacy
        });
    }
    if !bytes.starts_with(b"PK") {
        return Err(Problem::NotZip);
    }
    let mut zip = ZipArchive::new(Cursor::new(bytes)).map_err(|_| Problem::Truncated)?;
    let main = main_part(&mut zip)?;
    let dir = main.rsplit_once('/').map_or("", |(d, _)| d).to_string();
    let name = main.rsplit('/').next().unwrap_or("document.xml");
    let document = part(&mut zip, &main)?.ok_or(Problem::NotWord(None))?;
    let rels = part(&mut zip, &join(&dir, &format!("_rels/{name}.rels")))?;
    let by_type = rels.as_deref().map(rel_types).unwrap_or_default();
    let side = |kind: &str, file: &str| {
        by_type
            .get(kind)
            .map_or_else(|| join(&dir, file), |t| resolve(&dir, t))
    };
    let styles = part(&mut zip, &side("styles", "styles.xml"))?;
    let numbering = part(&mut zip, &side("numbering", "numbering.xml"))?;
    let footnotes = part(&mut zip, &side("footnotes", "footnotes.xml"))?;
    let core = part(&mut zip, "docProps/core.xml")?;
    let parts = Parts {
        document: &document,
        styles: styles.as_deref(),
        numbering: numbering.as_deref(),
        footnotes: footnotes.as_deref(),
        rels: rels.as_deref(),
        core: core.as_deref(),
    };
    let doc = docx::parse(&parts).map_err(|e| Problem::Damaged(e.0))?;
    if doc.title.as_deref().is_none_or(|t| t.trim().is_empty())
        && doc.blocks.iter().all(block_is_blank)
    {
        return Err(Problem::NoText);
    }
    let media = doc
        .images
        .iter()
        .map(|image| media(&mut zip, &resolve(&dir, &image.target)))
        .collect::<Result<_, _>>()?;
    Ok(Converted { doc, media })
}

fn block_is_blank(b: &super::model::Block) -> bool {
    use super::model::{Block, Inline};
    let words = |c: &[Inline]| docx::plain(c).is_empty();
    match b {
        Block::Heading { content, .. }
        | Block::Paragraph(content)
        | Block::Item { content, .. } => words(content),
        Block::Table(t) => t.rows.iter().flatten().all(|c| words(&c.0)),
    }
}

/// Whether `name` appears in UTF-16LE, as the stream names of a compound file are stored.
fn contains_utf16(bytes: &[u8], name: &str) -> bool {
    let needle: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
    bytes.windows(needle.len()).any(|w| w == needle.as_slice())
}

/// The main document's part, from the package's relationships (`word/document.xml`
/// when they do not say).
fn main_part(zip: &mut ZipArchive<Cursor<&[u8]>>) -> Result<String, Problem> {
    let rels = part(zip, "_rels/.rels")?;
    let main = rels
        .as_deref()
        .and_then(|r| rel_types(r).remove("officeDocument"))
        .map(|t| resolve("", &t))
        .unwrap_or_else(|| "word/document.xml".to_string());
    if zip.index_for_name(&main).is_some()
        && main.ends_with(".xml")
        && !main.starts_with("xl/")
        && !main.starts_with("ppt/")
    {
        return Ok(main);
    }
    let has = |prefix: &str| {
        zip.file_names_raw()
            .any(|n| n.starts_with(prefix.as_bytes()))
    };
    Err(Problem::NotWord(if has("xl/") {
        Some("Excel")
    } else if has("ppt/") {
        Some("PowerPoint")
    } else {
        None
    }))
}

/// A relationship part's targets by the last word of their type (`styles`, `image` …).
fn rel_types(xml: &str) -> HashMap<String, String> {
    let Ok(doc) = roxmltree::Document::parse(xml) else {
        return HashMap::new();
    };
    doc.root_element()
        .children()
        .filter(|n| n.is_element())
        .filter_map(|r| {
            let kind = r.attribute("Type")?.rsplit('/').next()?.to_string();
            Some((kind, r.attribute("Target")?.to_string()))
        })
        .collect()
}

fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

/// A relationship's target as a part name: relative to `dir`, or from the package's
/// root when it starts with `/`; `..` steps out of a folder.
fn resolve(dir: &str, target: &str) -> String {
    let full = match target.strip_prefix('/') {
        Some(abs) => abs.to_string(),
        None => join(dir, target),
    };
    let mut parts: Vec<&str> = Vec::new();
    for p in full.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            _ => parts.push(p),
        }
    }
    parts.join("/")
}

/// A part's bytes; `None` when the package has no such part.
fn bytes_of(
    zip: &mut ZipArchive<Cursor<&[u8]>>,
    name: &str,
    limit: u64,
) -> Result<Option<Vec<u8>>, Problem> {
    let Some(index) = zip.index_for_name(name) else {
        return Ok(None);
    };
    let file = zip.by_index(index).map_err(|_| Problem::Truncated)?;
    let mut out = Vec::new();
    file.take(limit.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(|_| Problem::Truncated)?;
    if u64::try_from(out.len()).unwrap_or(u64::MAX) > limit {
        return Err(Problem::Damaged(format!("{name} is over {limit} bytes")));
    }
    Ok(Some(out))
}

/// An XML part as text (UTF-8 or UTF-16, with or without a byte-order mark).
fn part(zip: &mut ZipArchive<Cursor<&[u8]>>, name: &str) -> Result<Option<String>, Problem> {
    Ok(bytes_of(zip, name, MAX_XML)?.map(|b| xml_text(&b)))
}

fn xml_text(b: &[u8]) -> String {
    let utf16 = |big: bool| {
        let units: Vec<u16> = b[2..]
            .chunks_exact(2)
            .map(|c| {
                if big {
                    u16::from_be_bytes([c[0], c[1]])
                } else {
                    u16::from_le_bytes([c[0], c[1]])
                }
            })
            .collect();
        String::from_utf16_lossy(&units)
    };
    match b {
        [0xFF, 0xFE, ..] => utf16(false),
        [0xFE, 0xFF, ..] => utf16(true),
        [0xEF, 0xBB, 0xBF, rest @ ..] => String::from_utf8_lossy(rest).into_owned(),
        _ => String::from_utf8_lossy(b).into_owned(),
    }
}

/// A picture's bytes and how it will be published; `None` when the package lacks it.
fn media(zip: &mut ZipArchive<Cursor<&[u8]>>, name: &str) -> Result<Option<Media>, Problem> {
    let limit = crate::media::MAX_BYTES;
    let Some(bytes) = bytes_of(zip, name, limit)? else {
        return Ok(None);
    };
    let sniffed = match image::guess_format(&bytes) {
        Ok(image::ImageFormat::Jpeg) => Some("jpg"),
        Ok(image::ImageFormat::Png) => Some("png"),
        Ok(image::ImageFormat::Gif) => Some("gif"),
        Ok(image::ImageFormat::WebP) => Some("webp"),
        _ => None,
    };
    let shown = sniffed.is_some() && crate::media::process::check(&bytes).is_ok();
    let own = Path::new(name)
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .filter(|e| !e.is_empty() && e.chars().all(|c| c.is_ascii_alphanumeric()))
        .unwrap_or_else(|| "bin".to_string());
    let extension = sniffed.map_or(own, str::to_string);
    Ok(Some(Media {
        bytes,
        extension,
        shown,
    }))
}

impl Problem {
    /// The error at the file given on the command line.
    pub fn at(&self, file: &Path) -> Diagnostic {
        let (message, hint) = self.text();
        Diagnostic::error(file, 0, 0, message).with_hint(hint)
    }

    fn text(&self) -> (Text, Text) {
        let save_as = Text::new(
            "用 Word 或 WPS 打开它，“文件 → 另存为”，保存类型选 Word 文档（*.docx），再导入新文件",
            "open it in Word or WPS, File → Save As, choose Word Document (*.docx), and import the new file",
        );
        match self {
            Problem::Encrypted => (
                Text::new(
                    "文档设置了打开密码（已加密），无法读取",
                    "the document is protected by a password (encrypted) and cannot be read",
                ),
                Text::new(
                    "用 Word 或 WPS 打开它，在“文件 → 信息 → 保护文档 → 用密码进行加密”（WPS：“文件 → 文档加密”）中清除密码并保存，再导入",
                    "open it in Word or WPS, remove the password (File → Info → Protect Document → Encrypt with Password) and save, then import it",
                ),
            ),
            Problem::Legacy => (
                Text::new(
                    "这是旧版 Word（.doc）或 WPS（.wps）格式的文件，只能导入 .docx",
                    "this is a legacy Word (.doc) or WPS (.wps) file; only .docx can be imported",
                ),
                save_as,
            ),
            Problem::NotZip => (
                Text::new(
                    "这不是 Word 文档（.docx）",
                    "this is not a Word document (.docx)",
                ),
                save_as,
            ),
            Problem::Truncated => (
                Text::new(
                    "文件不完整或已损坏（可能没有下载完，或复制时中断）",
                    "the file is incomplete or damaged (perhaps not fully downloaded or copied)",
                ),
                Text::new(
                    "重新下载或复制这个文件；能在 Word 或 WPS 中打开时，另存为一个新的 .docx 再导入",
                    "download or copy it again; if Word or WPS opens it, save it as a new .docx and import that",
                ),
            ),
            Problem::NotWord(program) => (
                match program {
                    Some(p) => Text::new(
                        format!("这是 {p} 文件，不是 Word 文档"),
                        format!("this is a {p} file, not a Word document"),
                    ),
                    None => Text::new(
                        "这是一个 zip 压缩文件，不是 Word 文档",
                        "this is a zip archive, not a Word document",
                    ),
                },
                Text::new(
                    "只能导入 Word 或 WPS 保存的 .docx 文档",
                    "only .docx documents saved by Word or WPS can be imported",
                ),
            ),
            Problem::Damaged(why) => (
                Text::new(
                    format!("文档内容已损坏，无法读取（{why}）"),
                    format!("the document is damaged and cannot be read ({why})"),
                ),
                Text::new(
                    "用 Word 或 WPS 打开它（会提示修复），另存为一个新的 .docx 再导入",
                    "open it in Word or WPS (which offers to repair it), save it as a new .docx and import that",
                ),
            ),
            Problem::NoText => (
                Text::new(
                    "文档里没有文字，没有可导入的内容",
                    "the document has no text to import",
                ),
                Text::new(
                    "确认选对了文件；扫描件（只有图片）要先转成文字",
                    "check that this is the right file; a scan (pictures only) must be turned into text first",
                ),
            ),
        }
    }
}
