//! Media in `content/`: photos and graphics decoded, turned upright, stripped of every
//! metadata block and resized into a few widths (`process`, the I/O, with its cache in
//! `.jiangtang-cache/`); SVG files checked for what would run when one is opened on its
//! own (`svg`). What each image becomes (its widths, format and file names) and the HTML
//! that shows it are pure decisions made here.

pub(crate) mod problem;
pub(crate) mod process;
pub(crate) mod svg;

use std::sync::Arc;

pub(crate) use problem::Problem;
pub use process::{Counts, Work, prepare};

use crate::diagnostic::escape_html;

/// The widths the variants are made at, never above the source's own.
pub(crate) const WIDTHS: [u32; 3] = [480, 960, 1600];
/// JPEG quality of the variants: no visible loss on photos at a third of the camera's bytes.
pub(crate) const JPEG_QUALITY: u8 = 82;
/// Files larger than this are refused before they are read.
pub(crate) const MAX_BYTES: u64 = 50 * 1024 * 1024;
/// Images with more pixels than this are refused before they are decoded (a small file
/// can claim a huge size: a decompression bomb).
pub(crate) const MAX_PIXELS: u64 = 50_000_000;
/// How the content column is laid out, for the browser to pick a variant before the CSS
/// is known (the `.content` column is at most 48rem wide).
pub(crate) const SIZES: &str = "(max-width: 48rem) 100vw, 48rem";

/// The format a variant is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Photos.
    Jpeg,
    /// Graphics, screenshots, anything with transparency.
    Png,
}

impl Format {
    pub(crate) fn ext(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Png => "png",
        }
    }
}

/// One published size of an image.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Variant {
    /// File name beside the page (`photo-480w.jpg`; the largest keeps the source's name
    /// when the format is the same, so links to the file still work).
    pub name: String,
    pub width: u32,
    pub height: u32,
}

/// A processed image: its variants, smallest first, and where each is kept in the cache.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Image {
    pub format: Format,
    pub variants: Vec<Variant>,
    /// The cached file of each variant, in the same order.
    pub files: Vec<std::path::PathBuf>,
}

impl Image {
    /// The largest variant: the one `src` names and the link to the file leads to.
    pub(crate) fn largest(&self) -> &Variant {
        self.variants
            .last()
            .expect("an image has at least its own width as a variant")
    }
}

/// What an image file in `content/` became.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Media {
    Image(Arc<Image>),
    /// Not published; the references to it say why.
    Broken(Problem),
}

/// The widths to publish for a source `width` pixels wide: each of [`WIDTHS`] below it,
/// and the source's own width when it is under the largest (never upscaled).
pub(crate) fn widths(width: u32) -> Vec<u32> {
    let mut out: Vec<u32> = WIDTHS.iter().copied().filter(|&w| w < width).collect();
    let top = width.min(WIDTHS[WIDTHS.len() - 1]);
    if out.last() != Some(&top) {
        out.push(top);
    }
    out
}

/// The variants of `name` (a file name such as `photo.jpg`) for an upright source of
/// `width` × `height` written as `format`.
pub(crate) fn variants(name: &str, width: u32, height: u32, format: Format) -> Vec<Variant> {
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
    let same_format = match format {
        Format::Jpeg => ["jpg", "jpeg"].contains(&ext.to_ascii_lowercase().as_str()),
        Format::Png => ext.eq_ignore_ascii_case("png"),
    };
    let all = widths(width);
    all.iter()
        .enumerate()
        .map(|(i, &w)| {
            let largest = i + 1 == all.len();
            let name = if largest && same_format {
                name.to_string()
            } else {
                format!("{stem}-{w}w.{}", format.ext())
            };
            Variant {
                name,
                width: w,
                height: scaled(height, w, width),
            }
        })
        .collect()
}

/// `height` scaled by `to / from`, rounded, at least 1.
fn scaled(height: u32, to: u32, from: u32) -> u32 {
    let h = (u64::from(height) * u64::from(to) + u64::from(from) / 2) / u64::from(from.max(1));
    u32::try_from(h.max(1)).unwrap_or(u32::MAX)
}

/// An image as a page shows it: URLs final (base path included), the largest last.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picture {
    pub(crate) srcset: Vec<(String, u32)>,
    pub(crate) width: u32,
    pub(crate) height: u32,
}

/// What a URL in `srcset` cannot hold as it is: its separators (a space ends the URL, a
/// comma the candidate) and `%`, so that decoding gives the file's name back.
const SRCSET_ESCAPED: &percent_encoding::AsciiSet =
    &percent_encoding::CONTROLS.add(b' ').add(b',').add(b'%');

impl Picture {
    /// `image` published in the folder whose final URL is `folder` (ending in `/`).
    pub(crate) fn new(image: &Image, folder: &str) -> Picture {
        let largest = image.largest();
        let folder = percent_encoding::utf8_percent_encode(folder, SRCSET_ESCAPED).to_string();
        Picture {
            srcset: image
                .variants
                .iter()
                .map(|v| {
                    let name = percent_encoding::utf8_percent_encode(&v.name, SRCSET_ESCAPED);
                    (format!("{folder}{name}"), v.width)
                })
                .collect(),
            width: largest.width,
            height: largest.height,
        }
    }

    pub(crate) fn src(&self) -> &str {
        self.srcset.last().map_or("", |(u, _)| u)
    }

    /// The `srcset` attribute's value (not escaped for HTML), empty for an image of one width.
    pub(crate) fn srcset_attr(&self) -> String {
        if self.srcset.len() < 2 {
            return String::new();
        }
        let each: Vec<String> = self
            .srcset
            .iter()
            .map(|(u, w)| format!("{u} {w}w"))
            .collect();
        each.join(", ")
    }
}

/// How an `<img>` loads: the first image of a page is wanted at once; the others wait
/// until they are scrolled near.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Loading {
    Eager,
    Lazy,
}

/// The `<img>` element of `picture`, or of a plain `src` (an image not processed: on
/// another site, an SVG).
pub(crate) fn img_html(
    picture: Option<&Picture>,
    src: &str,
    alt: &str,
    title: &str,
    loading: Loading,
) -> String {
    let mut html = String::with_capacity(256);
    match picture {
        Some(p) => {
            html.push_str(&format!("<img src=\"{}\"", escape_html(p.src())));
            let srcset = p.srcset_attr();
            if !srcset.is_empty() {
                html.push_str(&format!(
                    " srcset=\"{}\" sizes=\"{SIZES}\"",
                    escape_html(&srcset)
                ));
            }
            html.push_str(&format!(" width=\"{}\" height=\"{}\"", p.width, p.height));
        }
        None => html.push_str(&format!("<img src=\"{}\"", escape_html(src))),
    }
    html.push_str(&format!(" alt=\"{}\"", escape_html(alt)));
    if !title.is_empty() {
        html.push_str(&format!(" title=\"{}\"", escape_html(title)));
    }
    if loading == Loading::Lazy {
        html.push_str(" loading=\"lazy\"");
    }
    html.push_str(" decoding=\"async\">");
    html
}

/// Whether a file in `content/` is an image this module processes, by its extension:
/// the formats browsers show, and HEIC, which they do not (refused with advice).
pub(crate) fn is_image(rel: &str) -> bool {
    let ext = rel.rsplit_once('.').map_or("", |(_, e)| e);
    ["jpg", "jpeg", "png", "webp", "gif", "heic", "heif"]
        .iter()
        .any(|e| ext.eq_ignore_ascii_case(e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_never_upscale() {
        assert_eq!(widths(4032), vec![480, 960, 1600]);
        assert_eq!(widths(1600), vec![480, 960, 1600]);
        assert_eq!(widths(1000), vec![480, 960, 1000]);
        assert_eq!(widths(960), vec![480, 960]);
        assert_eq!(widths(300), vec![300]);
    }

    #[test]
    fn the_largest_keeps_the_name_when_the_format_stays() {
        let v = variants("photo.JPG", 4032, 3024, Format::Jpeg);
        let names: Vec<&str> = v.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(names, ["photo-480w.jpg", "photo-960w.jpg", "photo.JPG"]);
        assert_eq!((v[0].width, v[0].height), (480, 360));
        assert_eq!((v[2].width, v[2].height), (1600, 1200));
        let v = variants("x.webp", 800, 600, Format::Jpeg);
        let names: Vec<&str> = v.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(names, ["x-480w.jpg", "x-800w.jpg"]);
    }

    #[test]
    fn img_html_has_every_attribute() {
        let image = Image {
            format: Format::Jpeg,
            variants: variants("p.jpg", 4032, 3024, Format::Jpeg),
            files: Vec::new(),
        };
        let p = Picture::new(&image, "/t/cases/");
        let html = img_html(Some(&p), "", "现场\"照片\"", "", Loading::Lazy);
        assert_eq!(
            html,
            "<img src=\"/t/cases/p.jpg\" srcset=\"/t/cases/p-480w.jpg 480w, /t/cases/p-960w.jpg 960w, /t/cases/p.jpg 1600w\" sizes=\"(max-width: 48rem) 100vw, 48rem\" width=\"1600\" height=\"1200\" alt=\"现场&quot;照片&quot;\" loading=\"lazy\" decoding=\"async\">"
        );
        let eager = img_html(None, "https://x/y.png", "", "t", Loading::Eager);
        assert_eq!(
            eager,
            "<img src=\"https://x/y.png\" alt=\"\" title=\"t\" decoding=\"async\">"
        );
    }
}
