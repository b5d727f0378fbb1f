//! Images in Markdown as readers get them: a phone photo is published upright, in a few
//! widths, without its EXIF block (read back with Python's Pillow, a real parser), shown
//! with width, height and srcset; a second build takes it from the cache.
//!
//! The photos are made by tests/media/make_photo.py (Pillow) with the EXIF a phone
//! writes: GPS position, camera, serial number, orientation.

mod common;

use std::path::Path;
use std::process::Command;

use common::{Site, have_pillow, images_in, stderr};

/// Writes a phone photo of `width` × `height` with EXIF `orientation` at `rel` in `site`.
fn photo(site: &Site, rel: &str, width: u32, height: u32, orientation: u8) {
    common::photo_at(&site.root().join(rel), width, height, orientation);
}

const CASE: &str = "---\ntitle: 现场教学\nunit: 市委组织部\n---\n\n开场。\n\n![现场照片](photo.jpg)\n\n中间。\n\n![第二次引用](photo.jpg \"会场\")\n";

fn site_with_photo(orientation: u8) -> Site {
    let site = Site::good();
    site.write("content/cases/xian-chang.md", CASE.as_bytes());
    photo(&site, "content/cases/photo.jpg", 4032, 3024, orientation);
    site
}

fn imgs(html: &str) -> Vec<&str> {
    html.match_indices("<img ")
        .map(|(i, _)| &html[i..i + html[i..].find('>').expect("img closes")])
        .collect()
}

#[test]
fn a_phone_photo_is_published_upright_resized_and_without_metadata() {
    if !have_pillow() {
        return;
    }
    // The source has EXIF: the checker sees it (so that its silence below means something).
    let site = site_with_photo(6);
    let source = images_in(&site.root().join("content"));
    let meta = &source["cases/photo.jpg"]["metadata"];
    assert!(meta.as_array().is_some_and(|m| !m.is_empty()), "{source}");

    let o = site.build(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let public = site.public();
    let published = images_in(&public);
    let want = [
        ("cases/photo-480w.jpg", [480, 640]),
        ("cases/photo-960w.jpg", [960, 1280]),
        ("cases/photo.jpg", [1600, 2133]),
    ];
    let files = published.as_object().expect("an object");
    assert_eq!(files.len(), want.len(), "{published}");
    for (name, size) in want {
        let f = &published[name];
        // Orientation 6 (turned right): the landscape sensor image is published portrait.
        assert_eq!(f["size"], serde_json::json!(size), "{name}: {published}");
        assert_eq!(f["metadata"], serde_json::json!([]), "{name}: {published}");
    }
    let small = std::fs::metadata(public.join("cases/photo-480w.jpg")).expect("480w");
    assert!(small.len() < 100_000, "480w is {} bytes", small.len());

    let html = std::fs::read_to_string(public.join("cases/xian-chang/index.html")).expect("page");
    let imgs = imgs(&html);
    assert_eq!(imgs.len(), 2, "{html}");
    let srcset =
        "srcset=\"/cases/photo-480w.jpg 480w, /cases/photo-960w.jpg 960w, /cases/photo.jpg 1600w\"";
    for img in &imgs {
        for attr in [
            "src=\"/cases/photo.jpg\"",
            srcset,
            "sizes=\"(max-width: 48rem) 100vw, 48rem\"",
            "width=\"1600\" height=\"2133\"",
            "decoding=\"async\"",
        ] {
            assert!(img.contains(attr), "{attr} missing in {img}");
        }
    }
    // The first image of the page is wanted at once; the others load when scrolled near.
    assert!(!imgs[0].contains("loading="), "{}", imgs[0]);
    assert!(imgs[0].contains("alt=\"现场照片\""), "{}", imgs[0]);
    assert!(imgs[1].contains("loading=\"lazy\""), "{}", imgs[1]);
    assert!(imgs[1].contains("title=\"会场\""), "{}", imgs[1]);
}

#[test]
fn a_second_build_takes_the_images_from_the_cache() {
    if !have_pillow() {
        return;
    }
    let site = site_with_photo(1);
    let timed_build = || {
        let started = std::time::Instant::now();
        let o = site.build(&[]);
        assert!(o.status.success(), "{}", stderr(&o));
        (
            String::from_utf8_lossy(&o.stdout).to_string(),
            started.elapsed(),
        )
    };
    let (first, first_time) = timed_build();
    assert!(
        first.contains("图片：新处理 1 张，取自缓存 0 张"),
        "{first}"
    );
    let before = common::snapshot(&site.public());
    let (second, second_time) = timed_build();
    assert!(
        second.contains("图片：新处理 0 张，取自缓存 1 张"),
        "{second}"
    );
    assert_eq!(common::snapshot(&site.public()), before);
    // Decoding and resizing a 12-megapixel photo is most of the first build's time.
    assert!(
        second_time < first_time,
        "cached build {second_time:?}, first {first_time:?}"
    );
    // The cache is a folder of the site, which `init` tells git to leave out.
    assert!(site.root().join(".jiangtang-cache/images").is_dir());

    // The same photo turned on its side (other bytes, the same name): made again, and
    // the page says so, although the cache remembers the file by its name.
    let page = |site: &Site| {
        std::fs::read_to_string(site.public().join("cases/xian-chang/index.html")).expect("page")
    };
    assert!(page(&site).contains("width=\"1600\" height=\"1200\""));
    photo(&site, "content/cases/photo.jpg", 4032, 3024, 6);
    let (third, _) = timed_build();
    assert!(
        third.contains("图片：新处理 1 张，取自缓存 0 张"),
        "{third}"
    );
    assert!(page(&site).contains("width=\"1600\" height=\"2133\""));
}

#[test]
fn a_file_over_50_mb_is_refused_before_it_is_read() {
    let site = Site::good();
    let o = site.build(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let before = common::snapshot(&site.public());
    site.write(
        "content/cases/da.md",
        "---\ntitle: 大图\nunit: x\n---\n\n![全景](quan-jing.jpg)\n".as_bytes(),
    );
    // Sparse: 51 MB on paper, nothing on the disk; reading it would take the time.
    let big =
        std::fs::File::create(site.root().join("content/cases/quan-jing.jpg")).expect("create");
    big.set_len(51 * 1024 * 1024).expect("set_len");
    let o = site.build(&[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("content/cases/da.md:6:1: 错误: 图片文件太大（51 MB，上限 50 MB），没有处理"),
        "{err}"
    );
    assert_eq!(common::snapshot(&site.public()), before);
}

#[test]
fn handouts_show_their_type_and_size_and_a_pdf_opens_in_a_new_tab() {
    let site = Site::good();
    site.write(
        "content/lectures/jiang-zuo.md",
        "---\ntitle: 测试讲座\nseries: 周周学\nstart: \"2026-03-15 09:00\"\nspeaker: 张三\nmaterials: [讲义.pdf, 课件.pptx]\n---\n\n讲座。\n"
            .as_bytes(),
    );
    site.write("content/lectures/讲义.pdf", &vec![b'%'; 1_300_000]);
    site.write("content/lectures/课件.pptx", &vec![0; 300 * 1024]);
    let o = site.build(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let html =
        std::fs::read_to_string(site.public().join("lectures/jiang-zuo/index.html")).expect("page");
    let items: Vec<&str> = html
        .match_indices("<li><a href=\"/lectures/")
        .map(|(i, _)| &html[i..i + html[i..].find("</li>").expect("li closes")])
        .filter(|li| li.contains("file-meta"))
        .collect();
    assert_eq!(
        items,
        [
            "<li><a href=\"/lectures/讲义.pdf\" target=\"_blank\" rel=\"noopener\">讲义.pdf<span class=\"visually-hidden\">（在新标签页打开）</span></a> <span class=\"file-meta\">· PDF · 1.2 MB</span>",
            "<li><a href=\"/lectures/课件.pptx\" download>课件.pptx</a> <span class=\"file-meta\">· PPT · 300 KB</span>",
        ],
        "{html}"
    );
}

/// Every URL of every `<img>` (`src` and each `srcset` candidate) in the HTML under
/// `public`, with the file it is in.
fn image_urls(public: &Path) -> Vec<(std::path::PathBuf, String)> {
    let mut out = Vec::new();
    for (rel, bytes) in common::snapshot(public) {
        if !rel.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8_lossy(&bytes).to_string();
        for img in imgs(&html) {
            for attr in ["src=\"", "srcset=\""] {
                let Some(at) = img.find(&format!(" {attr}")) else {
                    continue;
                };
                let value = &img[at + attr.len() + 1..];
                let value = common::html_unescape(&value[..value.find('"').expect("closes")]);
                let urls: Vec<String> = if attr == "src=\"" {
                    vec![value]
                } else {
                    value
                        .split(", ")
                        .map(|c| c.rsplit_once(' ').expect("a width").0.to_string())
                        .collect()
                };
                out.extend(urls.into_iter().map(|u| (public.join(&rel), u)));
            }
        }
    }
    out
}

#[test]
fn with_relative_links_every_variant_is_found_from_every_depth() {
    if !have_pillow() {
        return;
    }
    let site = Site::good();
    site.write(
        "site.yaml",
        common::SITE_YAML
            .replace("base_url: /", "base_url: \"\"")
            .as_bytes(),
    );
    // A photo on a case (depth 2), one in a lesson (depth 3, the file in the course's
    // folder), and a course cover shown on cards at depths 0 and 1; a space and a comma
    // in a file name, which srcset would otherwise read as separators.
    site.write(
        "content/cases/an-li.md",
        "---\ntitle: 测试案例\nunit: 市发改委\n---\n\n![现场](<现场 照片,1.jpg>)\n".as_bytes(),
    );
    site.write(
        "content/courses/ke-cheng/01-di-yi-ke.md",
        "---\ntitle: 第一课\n---\n\n## 一、总体要求\n\n![示意图](tu.jpg)\n".as_bytes(),
    );
    site.write(
        "content/courses/ke-cheng/index.md",
        "---\ntitle: 测试课程\naction: 专业训练\nhours: 2\ncover: feng-mian.jpg\ncover_alt: 封面\n---\n\n简介。\n"
            .as_bytes(),
    );
    for rel in [
        "content/cases/现场 照片,1.jpg",
        "content/courses/ke-cheng/tu.jpg",
        "content/courses/ke-cheng/feng-mian.jpg",
    ] {
        photo(&site, rel, 1200, 900, 1);
    }
    let o = site.build(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let public = site.public();
    let urls = image_urls(&public);
    let pages: std::collections::BTreeSet<_> = urls
        .iter()
        .filter_map(|(f, _)| f.strip_prefix(&public).ok())
        .map(|f| f.to_string_lossy().to_string())
        .collect();
    for page in [
        "index.html",
        "courses/index.html",
        "cases/an-li/index.html",
        "courses/ke-cheng/index.html",
        "courses/ke-cheng/di-yi-ke/index.html",
    ] {
        assert!(pages.contains(page), "no image on {page}: {pages:?}");
    }
    // 3 images × 3 widths, from each page that shows them.
    assert!(urls.len() >= 5 * 4, "{urls:?}");
    for (file, url) in &urls {
        assert!(!url.starts_with('/'), "{url} in {file:?} is not relative");
        let target = common::resolve(&public, file, url, "/").expect("a path");
        assert!(target.is_file(), "{url} in {file:?} leads nowhere");
    }
}

/// Runs Python with Pillow on `script` and its arguments; returns its standard output.
fn pillow(script: &str, args: &[&str]) -> String {
    let o = Command::new("python3")
        .args(["-c", script])
        .args(args)
        .output()
        .expect("python3");
    assert!(o.status.success(), "{}", stderr(&o));
    String::from_utf8_lossy(&o.stdout).trim().to_string()
}

/// An animated GIF is published as a still of its first frame, a PNG: pages stay light
/// on phones (an animation is a recording: `recording:` takes an MP4 a tenth its size),
/// and no GIF block (comments, application data) reaches readers.
#[test]
fn an_animated_gif_is_published_as_a_still_of_its_first_frame() {
    if !have_pillow() {
        return;
    }
    let site = Site::good();
    site.write(
        "content/cases/an-li.md",
        "---\ntitle: 测试案例\nunit: 市发改委\n---\n\n![操作演示](yan-shi.gif)\n".as_bytes(),
    );
    let gif = site.root().join("content/cases/yan-shi.gif");
    pillow(
        "import sys; from PIL import Image\n\
         frames = [Image.new('RGB', (1200, 600), c) for c in ((255, 0, 0), (0, 0, 255), (0, 255, 0))]\n\
         frames[0].save(sys.argv[1], save_all=True, append_images=frames[1:], duration=200, loop=0, comment=b'made on PC-0042 by zhangsan')",
        &[gif.to_str().expect("UTF-8 path")],
    );
    let frames = pillow(
        "import sys; from PIL import Image; print(Image.open(sys.argv[1]).n_frames)",
        &[gif.to_str().expect("UTF-8 path")],
    );
    assert_eq!(frames, "3", "the source is animated");
    let o = site.build(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let public = site.public();
    let published = images_in(&public);
    let names: Vec<&String> = published.as_object().expect("an object").keys().collect();
    assert_eq!(
        names,
        [
            "cases/yan-shi-1200w.png",
            "cases/yan-shi-480w.png",
            "cases/yan-shi-960w.png"
        ],
        "{published}"
    );
    for name in &names {
        assert_eq!(
            published[name.as_str()]["metadata"],
            serde_json::json!([]),
            "{published}"
        );
    }
    assert!(!public.join("cases/yan-shi.gif").exists());
    // The still is the first frame, red.
    let pixel = pillow(
        "import sys; from PIL import Image; print(Image.open(sys.argv[1]).convert('RGB').getpixel((600, 300)))",
        &[public
            .join("cases/yan-shi-1200w.png")
            .to_str()
            .expect("UTF-8 path")],
    );
    assert_eq!(pixel, "(255, 0, 0)");
    let html = std::fs::read_to_string(public.join("cases/an-li/index.html")).expect("page");
    let imgs = imgs(&html);
    assert_eq!(imgs.len(), 1, "{html}");
    assert!(
        imgs[0].contains("src=\"/cases/yan-shi-1200w.png\""),
        "{}",
        imgs[0]
    );
}

/// A photo under `static/` shown from Markdown by its path on the site is published as
/// a co-located one is: upright, in its widths, without metadata, with srcset and size.
#[test]
fn a_photo_under_static_is_processed_like_a_co_located_one() {
    if !have_pillow() {
        return;
    }
    let site = Site::good();
    site.write(
        "content/cases/an-li.md",
        "---\ntitle: 测试案例\nunit: 市发改委\n---\n\n![会场全景](/images/hui-chang.jpg)\n"
            .as_bytes(),
    );
    photo(&site, "static/images/hui-chang.jpg", 4032, 3024, 6);
    let source = images_in(&site.root().join("static"));
    let meta = &source["images/hui-chang.jpg"]["metadata"];
    assert!(meta.as_array().is_some_and(|m| !m.is_empty()), "{source}");
    let o = site.build(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("图片：新处理 1 张"),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    let public = site.public();
    let published = images_in(&public.join("images"));
    let want = [
        ("hui-chang-480w.jpg", [480, 640]),
        ("hui-chang-960w.jpg", [960, 1280]),
        ("hui-chang.jpg", [1600, 2133]),
    ];
    assert_eq!(
        published.as_object().map(|o| o.len()),
        Some(3),
        "{published}"
    );
    for (name, size) in want {
        assert_eq!(
            published[name]["size"],
            serde_json::json!(size),
            "{published}"
        );
        assert_eq!(
            published[name]["metadata"],
            serde_json::json!([]),
            "{published}"
        );
    }
    let html = std::fs::read_to_string(public.join("cases/an-li/index.html")).expect("page");
    let imgs = imgs(&html);
    assert_eq!(imgs.len(), 1, "{html}");
    for attr in [
        "src=\"/images/hui-chang.jpg\"",
        "srcset=\"/images/hui-chang-480w.jpg 480w, /images/hui-chang-960w.jpg 960w, /images/hui-chang.jpg 1600w\"",
        "width=\"1600\" height=\"2133\"",
    ] {
        assert!(imgs[0].contains(attr), "{attr} missing in {}", imgs[0]);
    }
}
