//! The body of the fuzz target, kept apart so that `tests/editors.rs` replays the corpus
//! with the same code on stable Rust.

use std::path::Path;
use std::sync::{Arc, LazyLock};

use jiangtang::Config;
use jiangtang::content::{SourceFile, frontmatter, quiz};
use jiangtang::diagnostic::{Lang, Report, source_text};
use jiangtang::site::{BodyWords, BuildOptions, Site};

/// Read once: the default theme's quiz words come from parsing its UI strings.
static WORDS: LazyLock<BodyWords> = LazyLock::new(BodyWords::default);

/// Where the fuzzed file is placed: the first byte picks the kind of page.
const PATHS: &[&str] = &[
    "courses/ke/index.md",
    "courses/ke/01-di-yi-ke.md",
    "lectures/jiang-zuo.md",
    "cases/an-li.md",
    "about.md",
    "_index.md",
    "courses/_index.md",
];

/// A course, so that lessons have one, and a page to link to.
const COURSE: &str = "---\ntitle: 课程\naction: 专业训练\nhours: 2\n---\n\n## 一、总体要求\n";
const CASE: &str = "---\ntitle: 案例\nunit: 市发改委\n---\n\n## 主要做法\n";

fn source(rel: &str, bytes: &[u8]) -> Arc<SourceFile> {
    Arc::new(SourceFile {
        path: Path::new("content").join(rel),
        rel: rel.to_string(),
        bytes: bytes.to_vec().into(),
    })
}

/// One fuzz input: must never panic.
pub fn content(data: &[u8]) {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let rel = PATHS[usize::from(selector) % PATHS.len()];
    let mut sources = vec![source(rel, bytes)];
    if rel != "courses/ke/index.md" {
        sources.push(source("courses/ke/index.md", COURSE.as_bytes()));
    }
    if rel != "cases/an-li.md" {
        sources.push(source("cases/an-li.md", CASE.as_bytes()));
    }
    let Ok(now) = jiff::civil::DateTime::new(2026, 3, 10, 10, 0, 0, 0) else {
        return;
    };
    let opts = BuildOptions {
        drafts: selector & 0x80 != 0,
        now,
        words: WORDS.clone(),
    };
    let diags = match Site::build(Config::default(), &sources, Vec::new(), &opts) {
        Ok((_, warnings)) => warnings,
        Err(errors) => errors,
    };
    // Every diagnostic printed as the editor sees it, with the source line and caret.
    let text = source_text(bytes);
    for d in diags.iter().filter(|d| d.path.ends_with(rel)) {
        for (lang, color) in [(Lang::Zh, false), (Lang::En, true)] {
            let report = Report {
                lang,
                color,
                root: None,
            };
            let _ = report.render_one(d, Some(&text));
        }
    }
    let _ = jiangtang::diagnostic::to_json(&diags, Lang::Zh, None);
    // The parsers on their own, on the whole text.
    let _ = quiz::parse(Path::new("content/q.md"), &text, 1);
    let _ = frontmatter::parse_date(&text);
    let _ = frontmatter::parse_datetime(&text);
    let _ = frontmatter::parse_time(&text);
    let _ = frontmatter::explain_date("date", &text);
    let _ = Config::parse(Path::new("site.yaml"), bytes);
}

/// The parts beside a fuzzed `document.xml`: styles with Chinese names and an outline
/// level, and numbering with bullets and numbers, as Word and WPS write them.
const STYLES: &str = r#"<w:styles xmlns:w="w"><w:style w:styleId="1"><w:name w:val="标题 1"/></w:style><w:style w:styleId="H"><w:name w:val="heading 2"/><w:basedOn w:val="1"/></w:style><w:style w:styleId="O"><w:name w:val="x"/><w:pPr><w:outlineLvl w:val="2"/></w:pPr></w:style><w:style w:styleId="L"><w:name w:val="List Bullet 2"/><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style></w:styles>"#;
const NUMBERING: &str = r#"<w:numbering xmlns:w="w"><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/></w:lvl><w:lvl w:ilvl="1"><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl><w:lvl w:ilvl="2"><w:start w:val="3"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>"#;
const RELS: &str = r#"<Relationships><Relationship Id="rId1" Target="media/image1.png"/><Relationship Id="rId2" Target="https://example.org/" TargetMode="External"/></Relationships>"#;
const FOOTNOTES: &str = r#"<w:footnotes xmlns:w="w"><w:footnote w:id="1"><w:p><w:r><w:t>注释</w:t></w:r></w:p></w:footnote></w:footnotes>"#;

/// One fuzz input of the importer: must never panic. An even first byte makes the rest
/// a whole `.docx` package (zip reading, the parts, the pictures); an odd one makes it
/// the text of `document.xml`, read with fixed styles, numbering, links and notes.
pub fn import(data: &[u8]) {
    use jiangtang::import::{docx, markdown, model::Placed};
    let Some((&mode, bytes)) = data.split_first() else {
        return;
    };
    let doc = if mode % 2 == 0 {
        match jiangtang::import::convert(bytes) {
            Ok(converted) => converted.doc,
            Err(problem) => {
                let d = problem.at(Path::new("a.docx"));
                let _ = d.display(Lang::Zh).to_string();
                let _ = d.display(Lang::En).to_string();
                return;
            }
        }
    } else {
        let text = String::from_utf8_lossy(bytes);
        let parts = docx::Parts {
            document: &text,
            styles: Some(STYLES),
            numbering: Some(NUMBERING),
            footnotes: Some(FOOTNOTES),
            rels: Some(RELS),
            core: None,
        };
        match docx::parse(&parts) {
            Ok(doc) => doc,
            Err(_) => return,
        }
    };
    let placed: Vec<Placed> = (0..doc.images.len())
        .map(|i| Placed {
            file: format!("a-{i}.png"),
            shown: i % 2 == 0,
        })
        .collect();
    let _ = markdown::write(&doc, &placed);
}
