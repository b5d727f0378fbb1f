//! Covers and recordings named in front matter (`cover:`, `recording:`), found among
//! the co-located files and checked: a cover must be a published image, a recording a
//! video browsers play; subtitles are the `.vtt` file of the recording's name.

use std::collections::HashMap;

use super::{PageText, Structure};
use crate::content::{AssetFile, Parsed, Ref};
use crate::diagnostic::{Diagnostic, Text};
use crate::media::{Media, Picture};

/// A page's cover picture, URLs final (base path included).
#[derive(Debug, Clone, PartialEq)]
pub struct Cover {
    pub picture: Picture,
    pub alt: String,
}

/// A lecture's recording, URLs final.
#[derive(Debug, Clone, PartialEq)]
pub struct Recording {
    pub url: String,
    pub mime: &'static str,
    /// The `.vtt` file of the same name beside it.
    pub subtitles: Option<String>,
}

/// The content-relative path of a file named `target` in the front matter of the page
/// at `page_rel`; `None` when it leaves `content/`.
pub(super) fn file_rel(page_rel: &str, target: &str) -> Option<String> {
    let dir = page_rel.rsplit_once('/').map_or("", |(d, _)| d);
    crate::content::links::normalise(&format!("{dir}/{target}"))
}

/// Finds every page's cover and recording; problems go to `diags`.
pub(super) fn attach(s: &mut Structure, texts: &[PageText], diags: &mut Vec<Diagnostic>) {
    let files: HashMap<&str, (&AssetFile, &str)> = s
        .files
        .iter()
        .filter(|(a, _)| !a.in_static)
        .map(|(a, url)| (a.rel.as_str(), (a, url.as_str())))
        .collect();
    let config = &s.inputs.config;
    let mut found = Vec::with_capacity(texts.len());
    for t in texts {
        let src = &t.src;
        let cover = src.common.cover.as_ref().and_then(|r| {
            let (a, url) = find(
                &files,
                src,
                r,
                Text::new("封面图片", "cover picture"),
                diags,
            )?;
            cover_of(src, r, a, &config.url(url), diags)
        });
        let recording = src
            .common
            .recording
            .as_ref()
            .and_then(|r| recording_of(src, r, &files, |u| config.url(u), diags));
        found.push((cover, recording));
    }
    for (node, (cover, recording)) in s.nodes.iter_mut().zip(found) {
        node.cover = cover;
        node.recording = recording;
    }
}

/// The file `r` names beside `src`, or an error saying it is not there.
fn find<'f>(
    files: &HashMap<&str, (&'f AssetFile, &'f str)>,
    src: &Parsed,
    r: &Ref,
    what: Text,
    diags: &mut Vec<Diagnostic>,
) -> Option<(&'f AssetFile, &'f str)> {
    let rel = file_rel(&src.rel, &r.target);
    if let Some(&found) = rel.as_deref().and_then(|rel| files.get(rel)) {
        return Some(found);
    }
    let dir = src.rel.rsplit_once('/').map_or("", |(d, _)| d);
    diags.push(at(
        src,
        r,
        Text::new(
            format!("{}“{}”不存在", what.zh, r.target),
            format!("{} `{}` does not exist", what.en, r.target),
        ),
        Text::new(
            format!("把文件放到 content/{dir}/ 里（与本文件放在一起），或改正文件名"),
            format!("put the file in content/{dir}/ (beside this file) or correct its name"),
        ),
    ));
    None
}

fn cover_of(
    src: &Parsed,
    r: &Ref,
    a: &AssetFile,
    final_url: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<Cover> {
    let image = match &a.media {
        Some(Media::Image(image)) => image,
        Some(Media::Broken(p)) => {
            diags.push(p.at(&src.path, r.line, r.column));
            return None;
        }
        None => {
            diags.push(at(
                src,
                r,
                Text::new(
                    format!("封面“{}”不是图片", r.target),
                    format!("the cover `{}` is not an image", r.target),
                ),
                Text::new(
                    "封面用 JPEG、PNG、WebP 或 GIF 图片",
                    "use a JPEG, PNG, WebP or GIF image as the cover",
                ),
            ));
            return None;
        }
    };
    let alt = src.common.cover_alt.trim().to_string();
    if alt.is_empty() {
        diags.push(
            Diagnostic::warning(
                &src.path,
                r.line,
                r.column,
                Text::new(
                    "封面图片没有说明文字：读屏软件无法告诉视障读者图上是什么",
                    "the cover has no alt text: screen readers cannot tell what it shows",
                ),
            )
            .with_hint(Text::new(
                "在下一行写上 cover_alt: 图片内容的简短描述",
                "add a line cover_alt: with a short description of the picture",
            )),
        );
    }
    let folder = final_url.rsplit_once('/').map_or("", |(f, _)| f);
    Some(Cover {
        picture: Picture::new(image, &format!("{folder}/")),
        alt,
    })
}

/// An error at the value `r` of `src`'s front matter.
fn at(src: &Parsed, r: &Ref, message: Text, hint: Text) -> Diagnostic {
    Diagnostic::error(&src.path, r.line, r.column, message).with_hint(hint)
}

/// The video types browsers play, by extension.
fn video_type(name: &str) -> Option<&'static str> {
    let ext = name
        .rsplit_once('.')
        .map_or("", |(_, e)| e)
        .to_ascii_lowercase();
    match ext.as_str() {
        "mp4" | "m4v" => Some("video/mp4"),
        "webm" => Some("video/webm"),
        _ => None,
    }
}

fn recording_of(
    src: &Parsed,
    r: &Ref,
    files: &HashMap<&str, (&AssetFile, &str)>,
    url: impl Fn(&str) -> String,
    diags: &mut Vec<Diagnostic>,
) -> Option<Recording> {
    let Some(mime) = video_type(&r.target) else {
        let ext = r.target.rsplit_once('.').map_or("", |(_, e)| e);
        diags.push(
            at(src, r, Text::new(
                    format!("浏览器不能播放“.{ext}”格式的视频：回放只能用 MP4 或 WebM 文件"),
                    format!("browsers cannot play `.{ext}` videos: a recording must be an MP4 or WebM file"),
                ), Text::new(
                "用视频转换软件（如格式工厂、HandBrake）转成 MP4（H.264 视频、AAC 音频），再把 recording: 改成新文件名",
                "convert it to MP4 (H.264 video, AAC audio) with a video converter such as HandBrake, then name the new file in recording:",
            )),
        );
        return None;
    };
    // A path on the site (`/videos/x.mp4`, published from static/ or another server path).
    if r.target.starts_with('/') {
        return Some(Recording {
            url: url(&r.target),
            mime,
            subtitles: None,
        });
    }
    let (a, video_url) = find(files, src, r, Text::new("回放视频", "recording"), diags)?;
    let stem = a.rel.rsplit_once('.').map_or(a.rel.as_str(), |(s, _)| s);
    let subtitles = files
        .get(format!("{stem}.vtt").as_str())
        .map(|(_, u)| url(u));
    Some(Recording {
        url: url(video_url),
        mime,
        subtitles,
    })
}
