//! The I/O of images: reading, decoding, resizing and encoding, and the cache that lets a
//! build with unchanged images skip all of it.
//!
//! The cache lives in `.jiangtang-cache/images/` inside the site. Each image has a folder
//! named by the hash of its bytes and of the settings ([`SETTINGS`]), holding `meta`
//! (format, upright width and height) and one file per width (`480.jpg`). A folder is
//! written under a temporary name and renamed when complete, so a killed build never
//! leaves a half-made entry and two builds at once never see one.

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageEncoder, ImageFormat, ImageReader};
use rayon::prelude::*;

use super::{Format, Image, JPEG_QUALITY, MAX_BYTES, MAX_PIXELS, Media, Problem, WIDTHS};
use crate::content::AssetFile;

/// Everything that changes what a variant holds: a change here starts the cache afresh.
const SETTINGS: &str = "1 lanczos3";

/// Images of up to this many pixels are made at once even with [`Work::Later`].
const LATER_ABOVE: u64 = 1_000_000;

/// The cache folder inside a site.
pub const CACHE_DIR: &str = ".jiangtang-cache";

/// How many images a build made, took from the cache, or left for later.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub processed: usize,
    pub cached: usize,
    /// Planned from their headers, their files still to make ([`Work::Later`]).
    pub pending: usize,
}

/// When the images not in the cache are made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Work {
    /// Before the build goes on (`build`, `check`).
    #[default]
    Now,
    /// Later, by the caller (`serve`, whose first page must not wait): the build gets
    /// each image's size and variants from its header, and the variants' files appear
    /// in the cache when made.
    Later,
}

/// Turns every image among `assets` into its variants (or the reason it cannot be
/// published), in parallel, reading from and writing to the cache of the site at `root`;
/// SVG files are checked. Other files are left as they are.
pub fn prepare(root: &Path, assets: &mut [AssetFile], work: Work) -> Counts {
    let cache = root.join(CACHE_DIR).join("images");
    let counts: [AtomicUsize; 3] = Default::default();
    assets.par_iter_mut().for_each(|a| {
        if a.rel.to_ascii_lowercase().ends_with(".svg") {
            a.media = check_svg(&a.abs).map(Media::Broken);
        } else if super::is_image(&a.rel) {
            let name = a.rel.rsplit('/').next().unwrap_or(&a.rel);
            let (media, how) = image_of(&cache, &a.abs, a.size, name, work);
            if let (Media::Image(_), Some(how)) = (&media, how) {
                counts[how as usize].fetch_add(1, Ordering::Relaxed);
            }
            a.media = Some(media);
        }
    });
    let [processed, cached, pending] = counts.map(AtomicUsize::into_inner);
    Counts {
        processed,
        cached,
        pending,
    }
}

/// Where an image's variants came from, as counted in [`Counts`].
#[derive(Clone, Copy)]
enum How {
    Processed = 0,
    Cached = 1,
    Pending = 2,
}

fn check_svg(path: &Path) -> Option<Problem> {
    match std::fs::read(path) {
        Ok(bytes) => super::svg::risk(&String::from_utf8_lossy(&bytes)).map(Problem::UnsafeSvg),
        Err(e) => Some(Problem::Unreadable(e.to_string())),
    }
}

/// The image of the file at `path` (`size` bytes, named `name`), and where it came from.
fn image_of(cache: &Path, path: &Path, size: u64, name: &str, work: Work) -> (Media, Option<How>) {
    // Refused before reading: a file this size is no photo taken for a web page.
    if size > MAX_BYTES {
        return (Media::Broken(Problem::TooLarge { bytes: size }), None);
    }
    let stamp = stamp_of(path, size);
    let known = stamp.as_deref().and_then(|s| remembered(cache, path, s));
    if let Some(Some(Ok(image))) = known.map(|key| cached(&cache.join(key), name)) {
        return (Media::Image(Arc::new(image)), Some(How::Cached));
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => return (Media::Broken(Problem::Unreadable(e.to_string())), None),
    };
    let key = key(&bytes);
    if let Some(stamp) = &stamp {
        remember(cache, path, stamp, &key);
    }
    let entry = cache.join(key);
    match cached(&entry, name) {
        Some(Ok(image)) => return (Media::Image(Arc::new(image)), Some(How::Cached)),
        Some(Err(p)) => return (Media::Broken(p), None),
        None => {}
    }
    let made = match (work, probe(&bytes)) {
        (_, Err(p)) => Err(p),
        // A small image takes milliseconds: made now even when the caller is in a hurry.
        (Work::Later, Ok((w, h, f))) if u64::from(w) * u64::from(h) > LATER_ABOVE => {
            Ok((planned(&entry, name, w, h, f), How::Pending))
        }
        _ => make(&bytes, name, &entry).map(|i| (i, How::Processed)),
    };
    match made {
        Ok((image, how)) => (Media::Image(Arc::new(image)), Some(how)),
        Err(p) => (Media::Broken(p), None),
    }
}

/// The cache key of an image's bytes under the current settings.
fn key(bytes: &[u8]) -> String {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(bytes);
    h.update(format!("{SETTINGS} {WIDTHS:?} q{JPEG_QUALITY}").as_bytes());
    format!("{:032x}", h.digest128())
}

/// What identifies the file at `path` without reading it: its length, its modification
/// time and the settings. A photo replaced by another of the same length within the same
/// nanosecond would be missed, as `make` would miss it.
fn stamp_of(path: &Path, size: u64) -> Option<String> {
    let modified = std::fs::metadata(path).ok()?.modified().ok()?;
    let nanos = modified
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_nanos();
    Some(format!(
        "{size} {nanos} {SETTINGS} {WIDTHS:?} q{JPEG_QUALITY}"
    ))
}

/// Where the cache key last computed for the file at `path` is kept: reading and
/// hashing hundreds of unchanged photos on every build would cost more than the build.
fn memo_path(cache: &Path, path: &Path) -> PathBuf {
    let name = xxhash_rust::xxh3::xxh3_128(path.as_os_str().as_encoded_bytes());
    cache.join("paths").join(format!("{name:032x}"))
}

/// The cache key of the file at `path` if it was computed when the file had `stamp`.
fn remembered(cache: &Path, path: &Path, stamp: &str) -> Option<String> {
    let memo = std::fs::read_to_string(memo_path(cache, path)).ok()?;
    let (key, was) = memo.split_once('\n')?;
    (was.trim_end() == stamp).then(|| key.to_string())
}

/// Records `key` for the file at `path` with `stamp`. A memo that cannot be written
/// costs a read next time, nothing else; written under another name and renamed, so a
/// reader never sees half of one.
fn remember(cache: &Path, path: &Path, stamp: &str, key: &str) {
    let memo = memo_path(cache, path);
    let Some(dir) = memo.parent() else { return };
    let _ = std::fs::create_dir_all(dir);
    let tmp = memo.with_extension(format!("tmp{}", std::process::id()));
    if std::fs::write(&tmp, format!("{key}\n{stamp}\n")).is_ok() {
        let _ = std::fs::rename(&tmp, &memo);
    }
}

/// The image kept in the cache folder `entry`, if it is complete, or the damage found
/// in its pixels when it was made.
fn cached(entry: &Path, name: &str) -> Option<Result<Image, Problem>> {
    if entry.with_extension("damaged").is_file() {
        return Some(Err(Problem::Corrupt));
    }
    let meta = std::fs::read_to_string(entry.join("meta")).ok()?;
    let mut fields = meta.split_whitespace();
    let format = match fields.next()? {
        "jpg" => Format::Jpeg,
        "png" => Format::Png,
        _ => return None,
    };
    let width: u32 = fields.next()?.parse().ok()?;
    let height: u32 = fields.next()?.parse().ok()?;
    let image = planned(entry, name, width, height, format);
    image.files.iter().all(|f| f.is_file()).then_some(Ok(image))
}

/// The variants of an upright `width` × `height` image and their files in `entry`.
fn planned(entry: &Path, name: &str, width: u32, height: u32, format: Format) -> Image {
    let variants = super::variants(name, width, height, format);
    let files = variants
        .iter()
        .map(|v| entry.join(format!("{}.{}", v.width, format.ext())))
        .collect();
    Image {
        format,
        variants,
        files,
    }
}

/// Decodes, resizes and encodes an image into the cache folder `entry`.
fn make(bytes: &[u8], name: &str, entry: &Path) -> Result<Image, Problem> {
    let (decoded, icc, source) = match decode(bytes) {
        Ok(d) => d,
        Err(Problem::Corrupt) => {
            // Remembered, so that a preview that planned it from its header learns it.
            if let Some(dir) = entry.parent() {
                let _ = std::fs::create_dir_all(dir);
                let _ = std::fs::write(entry.with_extension("damaged"), b"");
            }
            return Err(Problem::Corrupt);
        }
        Err(p) => return Err(p),
    };
    let format = format_for(source, decoded.color().has_alpha());
    let decoded = match format {
        Format::Jpeg => DynamicImage::ImageRgb8(decoded.into_rgb8()),
        Format::Png if decoded.color().has_alpha() => {
            DynamicImage::ImageRgba8(decoded.into_rgba8())
        }
        Format::Png => DynamicImage::ImageRgb8(decoded.into_rgb8()),
    };
    let image = planned(entry, name, decoded.width(), decoded.height(), format);
    let encoded = encode_all(&decoded, &image, icc.as_deref()).map_err(|_| Problem::Corrupt)?;
    let meta = format!(
        "{} {} {}\n",
        format.ext(),
        decoded.width(),
        decoded.height()
    );
    // A cache that cannot be written costs time, not correctness: the files are
    // published from the temporary folder if the rename fails.
    let written =
        store(entry, &meta, &image, &encoded).map_err(|e| Problem::Unreadable(e.to_string()))?;
    Ok(Image {
        files: written,
        ..image
    })
}

/// The decoded image turned upright, its colour profile and its format. Refuses images
/// with more than [`MAX_PIXELS`] pixels after reading their header only.
fn decode(bytes: &[u8]) -> Result<(DynamicImage, Option<Vec<u8>>, ImageFormat), Problem> {
    let (format, mut decoder) = header(bytes)?;
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let icc = decoder.icc_profile().ok().flatten();
    let mut image = DynamicImage::from_decoder(decoder).map_err(|_| Problem::Corrupt)?;
    if format == ImageFormat::Jpeg && !ends_complete(bytes) {
        // The decoder fills a cut-short JPEG with grey rather than failing.
        return Err(Problem::Corrupt);
    }
    image.apply_orientation(orientation);
    Ok((image, icc, format))
}

/// Whether the build will publish an image of these bytes, or why not.
pub(crate) fn check(bytes: &[u8]) -> Result<(), Problem> {
    let size = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if size > super::MAX_BYTES {
        return Err(Problem::TooLarge { bytes: size });
    }
    decode(bytes).map(|_| ())
}

/// The upright size and the variants' format of an image, from its header alone.
fn probe(bytes: &[u8]) -> Result<(u32, u32, Format), Problem> {
    use image::metadata::Orientation as O;
    let (format, mut decoder) = header(bytes)?;
    let (width, height) = decoder.dimensions();
    let alpha = decoder.color_type().has_alpha();
    let turned = matches!(
        decoder.orientation(),
        Ok(O::Rotate90 | O::Rotate270 | O::Rotate90FlipH | O::Rotate270FlipH)
    );
    let (width, height) = if turned {
        (height, width)
    } else {
        (width, height)
    };
    Ok((width, height, format_for(format, alpha)))
}

/// The decoder of an image after its header, refused when it is not of a format
/// browsers show or has more than [`MAX_PIXELS`] pixels.
fn header(bytes: &[u8]) -> Result<(ImageFormat, impl ImageDecoder + '_), Problem> {
    let format = match image::guess_format(bytes) {
        Ok(f @ (ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP | ImageFormat::Gif)) => f,
        _ if is_heif(bytes) => return Err(Problem::Heic),
        _ => return Err(Problem::Corrupt),
    };
    let decoder = ImageReader::with_format(Cursor::new(bytes), format)
        .into_decoder()
        .map_err(|_| Problem::Corrupt)?;
    let (width, height) = decoder.dimensions();
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(Problem::TooManyPixels { width, height });
    }
    Ok((format, decoder))
}

/// Whether a JPEG ends with its end-of-image marker (trailing zeros, which some
/// cameras pad with, allowed).
fn ends_complete(bytes: &[u8]) -> bool {
    let end = bytes.iter().rposition(|&b| b != 0).map_or(0, |i| i + 1);
    bytes[..end].ends_with(&[0xFF, 0xD9])
}

/// Whether the bytes are a HEIF container (HEIC photos): an ISO box `ftyp` with a
/// HEIF brand.
fn is_heif(bytes: &[u8]) -> bool {
    bytes.get(4..8) == Some(b"ftyp")
        && bytes.get(8..12).is_some_and(|brand| {
            [
                b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1",
            ]
            .iter()
            .any(|b| brand == *b)
        })
}

/// JPEG for photos (JPEG sources, opaque WebP); PNG for graphics (PNG and GIF
/// sources) and anything transparent.
fn format_for(source: ImageFormat, alpha: bool) -> Format {
    match source {
        ImageFormat::Jpeg => Format::Jpeg,
        ImageFormat::WebP if !alpha => Format::Jpeg,
        _ => Format::Png,
    }
}

/// Every variant of `image` encoded, largest first made from the source and each smaller
/// one from the next larger (a fraction of the work of resizing the source each time,
/// with no visible difference).
fn encode_all(
    decoded: &DynamicImage,
    image: &Image,
    icc: Option<&[u8]>,
) -> image::ImageResult<Vec<Vec<u8>>> {
    let mut encoded = Vec::with_capacity(image.variants.len());
    let mut from = std::borrow::Cow::Borrowed(decoded);
    for v in image.variants.iter().rev() {
        if (from.width(), from.height()) != (v.width, v.height) {
            from = std::borrow::Cow::Owned(shrink(&from, v.width, v.height));
        }
        encoded.push(encode(&from, image.format, icc)?);
    }
    encoded.reverse();
    Ok(encoded)
}

/// `image` made `width` × `height` (smaller): averaged over areas down to twice that
/// size, which is fast and keeps every pixel's share, then Lanczos for sharpness (as
/// libvips does).
fn shrink(image: &DynamicImage, width: u32, height: u32) -> DynamicImage {
    let (w2, h2) = (width.saturating_mul(2), height.saturating_mul(2));
    if image.width() > w2 && image.height() > h2 {
        image
            .thumbnail_exact(w2, h2)
            .resize_exact(width, height, FilterType::Lanczos3)
    } else {
        image.resize_exact(width, height, FilterType::Lanczos3)
    }
}

/// The encoded file: no metadata but the colour profile.
fn encode(image: &DynamicImage, format: Format, icc: Option<&[u8]>) -> image::ImageResult<Vec<u8>> {
    let mut buf = Vec::new();
    match format {
        Format::Jpeg => {
            let mut e = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut buf, JPEG_QUALITY);
            if let Some(p) = icc {
                // A profile the encoder refuses (too large) leaves the colours as sRGB.
                let _ = e.set_icc_profile(p.to_vec());
            }
            image.write_with_encoder(e)?;
        }
        Format::Png => {
            let mut e = image::codecs::png::PngEncoder::new_with_quality(
                &mut buf,
                image::codecs::png::CompressionType::Best,
                image::codecs::png::FilterType::Adaptive,
            );
            if let Some(p) = icc {
                let _ = e.set_icc_profile(p.to_vec());
            }
            image.write_with_encoder(e)?;
        }
    }
    Ok(buf)
}

/// Writes the files of `image` into the cache folder `entry` (through a temporary
/// folder renamed when complete). Returns where the files are.
fn store(
    entry: &Path,
    meta: &str,
    image: &Image,
    encoded: &[Vec<u8>],
) -> std::io::Result<Vec<PathBuf>> {
    static SEQ: AtomicUsize = AtomicUsize::new(0);
    let tmp = entry.with_extension(format!(
        "tmp{}-{}",
        std::process::id(),
        SEQ.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&tmp)?;
    let in_tmp: Vec<PathBuf> = image
        .files
        .iter()
        .map(|f| tmp.join(f.file_name().unwrap_or_default()))
        .collect();
    for (file, bytes) in in_tmp.iter().zip(encoded) {
        std::fs::write(file, bytes)?;
    }
    std::fs::write(tmp.join("meta"), meta)?;
    match std::fs::rename(&tmp, entry) {
        Ok(()) => Ok(image.files.clone()),
        // Another build made the same entry meanwhile: it holds the same files.
        Err(_) if entry.join("meta").is_file() => {
            let _ = std::fs::remove_dir_all(&tmp);
            Ok(image.files.clone())
        }
        Err(_) => Ok(in_tmp),
    }
}
