//! Why a media file is not published, and what the editor can do about it.

use std::path::Path;

use crate::diagnostic::{Diagnostic, Text};

/// A media file that cannot be published as it is.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Problem {
    /// Larger than [`super::MAX_BYTES`]; not read.
    TooLarge { bytes: u64 },
    /// More pixels than [`super::MAX_PIXELS`]; not decoded.
    TooManyPixels { width: u32, height: u32 },
    /// A HEIC/HEIF photo, which browsers do not show.
    Heic,
    /// Not an image of a known format, or cut short, or damaged.
    Corrupt,
    /// An SVG holding what runs when it is opened on its own.
    UnsafeSvg(SvgRisk),
    /// The file could not be read.
    Unreadable(String),
}

/// What makes an SVG unsafe to publish.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SvgRisk {
    Script,
    EventHandler,
    ExternalReference,
    /// Not well-formed XML: what it would do cannot be told.
    Malformed,
}

impl Problem {
    /// The error at a reference to the file (`line`, `column` in `path`).
    pub(crate) fn at(&self, path: &Path, line: usize, column: usize) -> Diagnostic {
        Diagnostic::error(path, line, column, self.message()).with_hint(self.hint())
    }

    fn message(&self) -> Text {
        match self {
            Problem::TooLarge { bytes } => {
                let mb = *bytes as f64 / (1024.0 * 1024.0);
                Text::new(
                    format!("图片文件太大（{mb:.0} MB，上限 50 MB），没有处理"),
                    format!(
                        "the image file is too large ({mb:.0} MB, at most 50 MB); it was not processed"
                    ),
                )
            }
            Problem::TooManyPixels { width, height } => {
                let mp = u64::from(*width) * u64::from(*height) / 1_000_000;
                Text::new(
                    format!("图片有 {width}×{height} 像素（约 {mp} 百万，上限 50 百万），没有解码"),
                    format!(
                        "the image has {width}×{height} pixels (about {mp} megapixels, at most 50); it was not decoded"
                    ),
                )
            }
            Problem::Heic => Text::new(
                "HEIC 格式的照片（苹果手机的默认格式）浏览器不能显示",
                "HEIC photos (the iPhone's default format) cannot be shown by browsers",
            ),
            Problem::Corrupt => Text::new(
                "图片无法解码：文件已损坏、不完整，或不是 JPEG、PNG、WebP、GIF 图片",
                "the image cannot be decoded: the file is damaged, cut short, or not a JPEG, PNG, WebP or GIF image",
            ),
            Problem::UnsafeSvg(risk) => {
                let (zh, en) = match risk {
                    SvgRisk::Script => ("脚本（<script>）", "a script (<script>)"),
                    SvgRisk::EventHandler => (
                        "事件处理属性（如 onload）",
                        "an event handler (such as onload)",
                    ),
                    SvgRisk::ExternalReference => (
                        "对外部文件或网址的引用",
                        "a reference to an outside file or address",
                    ),
                    SvgRisk::Malformed => (
                        "无法解析的内容（不是完整的 XML）",
                        "content that cannot be parsed (not well-formed XML)",
                    ),
                };
                Text::new(
                    format!("SVG 图片中含有{zh}；单独打开 SVG 时它会像网页一样运行，所以不能发布"),
                    format!(
                        "the SVG image contains {en}; an SVG opened on its own runs like a web page, so it cannot be published"
                    ),
                )
            }
            Problem::Unreadable(e) => Text::new(
                format!("无法读取图片文件：{e}"),
                format!("cannot read the image file: {e}"),
            ),
        }
    }

    fn hint(&self) -> Text {
        match self {
            Problem::TooLarge { .. } | Problem::TooManyPixels { .. } => Text::new(
                "用看图软件把图片缩小后另存为 JPEG（长边 4000 像素以内就够网页用），再放回这里",
                "shrink the image in a picture viewer and save it as JPEG (4,000 pixels on the long side is plenty for the web), then put it back here",
            ),
            Problem::Heic => Text::new(
                "在电脑上用“照片”或看图软件打开它，“另存为”或“导出”为 JPEG，把链接改成 .jpg 文件；以后可在手机“设置 → 相机 → 格式”中选“兼容性最佳”",
                "open it in Photos or a picture viewer and export or “save as” JPEG, then link the .jpg file; on the phone, Settings → Camera → Formats → Most Compatible avoids HEIC",
            ),
            Problem::Corrupt => Text::new(
                "重新从原始来源复制这张图片，或用看图软件打开后另存为 JPEG 或 PNG",
                "copy the image again from where it came from, or open it in a picture viewer and save it as JPEG or PNG",
            ),
            Problem::UnsafeSvg(_) => Text::new(
                "用绘图软件重新导出不含脚本和外部链接的 SVG，或导出为 PNG 图片",
                "export the drawing again as a plain SVG without scripts or outside links, or as a PNG image",
            ),
            Problem::Unreadable(_) => Text::new(
                "检查文件是否存在、是否有读取权限",
                "check that the file exists and is readable",
            ),
        }
    }

    /// The warning for an image no page shows: it is left out of the site.
    pub(crate) fn unpublished(&self, path: &Path) -> Diagnostic {
        let m = self.message();
        Diagnostic::warning(
            path,
            0,
            0,
            Text::new(
                format!("{}；这个文件没有发布", m.zh),
                format!("{}; this file is not published", m.en),
            ),
        )
        .with_hint(self.hint())
    }
}
