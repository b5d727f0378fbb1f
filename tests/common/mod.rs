//! Helpers shared by the integration tests: small sites in temporary folders, running the
//! real binary, snapshots of an output folder, and the links a built page contains.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const BIN: &str = env!("CARGO_BIN_EXE_jiangtang");

/// The repository root, which is also the sample site.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub const SITE_YAML: &str = "title: 测试站点\nbase_url: /\nlanguage: zh-CN\ntimezone: Asia/Shanghai\nactions: [思想淬炼, 政治历练, 实践锻炼, 专业训练]\nseries: [随州大讲堂, 周周学]\n";

/// A real PNG of one red pixel: images are decoded when published, so a test image must
/// be a whole one.
pub const TINY_PNG: &[u8] = b"\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90\x77\x53\xde\x00\x00\x00\x0c\x49\x44\x41\x54\x78\x9c\x63\x38\x21\x27\x07\x00\x02\xb6\x01\x05\x34\xa6\x75\xaa\x00\x00\x00\x00\x49\x45\x4e\x44\xae\x42\x60\x82";

/// A small valid site: one course with two lessons, a lecture, a case and a page.
pub const GOOD_FILES: &[(&str, &str)] = &[
    ("content/_index.md", "---\ntitle: 首页\n---\n\n欢迎。\n"),
    (
        "content/courses/ke-cheng/index.md",
        "---\ntitle: 测试课程\naction: 专业训练\nhours: 2\nrequired: true\nunit: 市委组织部\n---\n\n## 课程简介\n\n简介。\n",
    ),
    (
        "content/courses/ke-cheng/01-di-yi-ke.md",
        "---\ntitle: 第一课\nduration: 30\n---\n\n## 一、总体要求\n\n正文。\n",
    ),
    (
        "content/courses/ke-cheng/02-di-er-ke.md",
        "---\ntitle: 第二课\nduration: 40\n---\n\n见[第一课](01-di-yi-ke.md#一总体要求)。\n",
    ),
    (
        "content/lectures/jiang-zuo.md",
        "---\ntitle: 测试讲座\nseries: 周周学\nstart: \"2026-03-15 09:00\"\nend: \"2026-03-15 11:30\"\nspeaker: 张三\nunit: 市发改委\n---\n\n讲座。\n",
    ),
    (
        "content/cases/an-li.md",
        "---\ntitle: 测试案例\nunit: 市发改委\ndate: 2026-01-01\n---\n\n案例。\n",
    ),
    ("content/about.md", "---\ntitle: 关于\n---\n\n关于本站。\n"),
];

pub struct Site {
    pub dir: tempfile::TempDir,
}

impl Site {
    pub fn new(files: &[(&str, &str)]) -> Site {
        let dir = tempfile::tempdir().expect("temp dir");
        let site = Site { dir };
        site.write("site.yaml", SITE_YAML.as_bytes());
        for (p, t) in files {
            site.write(p, t.as_bytes());
        }
        site
    }

    pub fn good() -> Site {
        Site::new(GOOD_FILES)
    }

    /// A site of `n` cases (`content/cases/c1.md` …), titled `{title}1` … and dated from
    /// 2026-03-01 on, each with the front-matter lines `front`, and `yaml` added to
    /// `site.yaml`.
    pub fn with_cases(n: usize, title: &str, front: &str, yaml: &str) -> Site {
        let site = Site::new(&[]);
        for d in 1..=n {
            site.write(
                &format!("content/cases/c{d}.md"),
                format!(
                    "---\ntitle: {title}{d}\nunit: 市发改委\ndate: 2026-03-{d:02}\n{front}---\n\n正文。\n"
                )
                .as_bytes(),
            );
        }
        site.write("site.yaml", format!("{SITE_YAML}{yaml}").as_bytes());
        site
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn public(&self) -> PathBuf {
        self.root().join("public")
    }

    pub fn write(&self, rel: &str, bytes: &[u8]) {
        let p = self.root().join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, bytes).expect("write");
    }

    pub fn build(&self, extra: &[&str]) -> Output {
        let mut cmd = Command::new(BIN);
        cmd.arg("build")
            .arg("--root")
            .arg(self.root())
            .args(["--now", "2026-03-10 10:00"])
            .args(extra);
        cmd.output().expect("run jiangtang")
    }
}

/// Writes the benchmark's generated corpus of `pages` pages (`../shared/bench/gen_corpus.py`,
/// jiangtang's flavour) to `out`; fails the test when the generator is not beside the
/// repository.
pub fn generated_corpus(pages: u32, seed: u32, out: &Path) {
    let script = repo().join("../shared/bench/gen_corpus.py");
    assert!(
        script.is_file(),
        "{} not found: the shared bench folder is expected beside the repository",
        script.display()
    );
    let o = Command::new("python3")
        .arg(&script)
        .args(["--pages", &pages.to_string(), "--seed", &seed.to_string()])
        .args(["--flavor", "jiangtang", "--out"])
        .arg(out)
        .output()
        .expect("run python3");
    assert!(o.status.success(), "gen_corpus.py failed:\n{}", stderr(&o));
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

/// Every file under `dir` with its bytes.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
    {
        if e.file_type().is_file() {
            let rel = e
                .path()
                .strip_prefix(dir)
                .expect("prefix")
                .to_string_lossy()
                .to_string();
            out.insert(rel, std::fs::read(e.path()).expect("read"));
        }
    }
    out
}

/// Values of `href="…"`, `src="…"` and `action="…"` attributes in an HTML text.
pub fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\"", "action=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            let before = rest[..i].chars().last();
            rest = &rest[i + attr.len()..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '-') {
                continue;
            }
            if let Some(end) = rest.find('"') {
                out.push(html_unescape(&rest[..end]));
                rest = &rest[end..];
            }
        }
    }
    out
}

pub fn html_unescape(s: &str) -> String {
    s.replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
}

pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(b) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).to_string()
}

/// The file a link on page `from` (a path under `public`) points at, if it is internal.
/// `base` is the base path the site was built with.
pub fn resolve(public: &Path, from: &Path, link: &str, base: &str) -> Option<PathBuf> {
    let lower = link.to_ascii_lowercase();
    if link.is_empty()
        || link.starts_with('#')
        || [
            "http:",
            "https:",
            "mailto:",
            "tel:",
            "webcal:",
            "data:",
            "javascript:",
            "//",
        ]
        .iter()
        .any(|p| lower.starts_with(p))
    {
        return None;
    }
    let path = link.split(['#', '?']).next().unwrap_or("");
    let path = percent_decode(path);
    let target = if let Some(rest) = path.strip_prefix(base) {
        public.join(rest)
    } else if path.starts_with('/') {
        // A root-relative link outside the base path: report it as missing.
        return Some(
            public
                .join("__outside_base__")
                .join(path.trim_start_matches('/')),
        );
    } else {
        from.parent().expect("dir").join(&path)
    };
    Some(if path.ends_with('/') || target.is_dir() {
        target.join("index.html")
    } else {
        target
    })
}

/// Copies every file under `from` to `to`.
pub fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = e.path().strip_prefix(from).expect("prefix");
        let dest = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("mkdir");
        } else if e.file_type().is_file() {
            std::fs::copy(e.path(), &dest).expect("copy");
        }
    }
}

/// Whether Python's Pillow is there (the media tests read images with it); outside CI a
/// missing Pillow skips a test, under CI it fails.
pub fn have_pillow() -> bool {
    let ok = Command::new("python3")
        .args(["-c", "import PIL"])
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install Python's Pillow (pip install Pillow)"
        );
        eprintln!("SKIPPED: Python's Pillow is not installed");
    }
    ok
}

/// Writes a phone photo of `width` × `height` with EXIF (GPS, camera, serial number) and
/// `orientation` at `path` (tests/media/make_photo.py).
pub fn photo_at(path: &Path, width: u32, height: u32, orientation: u8) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    let o = Command::new("python3")
        .arg(repo().join("tests/media/make_photo.py"))
        .arg(path)
        .args([
            width.to_string(),
            height.to_string(),
            orientation.to_string(),
        ])
        .output()
        .expect("python3");
    assert!(o.status.success(), "{}", stderr(&o));
}

/// Every JPEG, PNG and WebP under `dir` as Pillow reads it: size and metadata left.
pub fn images_in(dir: &Path) -> serde_json::Value {
    let o = Command::new("python3")
        .arg(repo().join("tests/media/check_images.py"))
        .arg(dir)
        .output()
        .expect("python3");
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_slice(&o.stdout).expect("the checker prints JSON")
}
