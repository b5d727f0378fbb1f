//! Markdown → HTML for one page: CommonMark with GFM tables, strikethrough, task lists,
//! footnotes and alerts; heading ids and the table of contents; links written as source
//! paths resolved to URLs and checked; quizzes; raw HTML sanitised. Pure: text in, HTML
//! and findings out.

use std::collections::{HashMap, HashSet, VecDeque};
use std::path::Path;
use std::sync::LazyLock;

use jiff::civil::Date;
use pulldown_cmark::{
    BlockQuoteKind, CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd,
};
use serde::Serialize;

use super::links::{Resolved, link_text, resolve};
use super::quiz;
use super::values::{self, Allowed};
use crate::diagnostic::{Diagnostic, Text};
use crate::media::{self, Loading, Picture, Problem};

/// Where links written in Markdown may point: content pages by their source path and
/// other files (attachments, images) by theirs, both relative to `content/`.
#[derive(Debug, Default)]
pub(crate) struct LinkTargets {
    pub(crate) pages: HashMap<String, String>,
    pub(crate) files: HashMap<String, String>,
    /// Pages that exist but are left out of this build, by source path, so that a link
    /// to one says why instead of "does not exist".
    pub(crate) unpublished: HashMap<String, Unpublished>,
    /// The values `site.yaml` allows for front-matter keys (`action` → its `actions`),
    /// which a ```` ```site-values ```` block lists.
    pub(crate) values: Allowed,
    /// Processed images by their final URL: how to show each, or why it cannot be.
    pub(crate) images: HashMap<String, Result<Picture, Problem>>,
}

/// Why a page that exists is not published in this build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unpublished {
    /// `draft: true`.
    Draft,
    /// `publish_date` is still to come.
    Scheduled(Date),
    /// `expiry_date` has passed.
    Expired(Date),
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TocItem {
    pub level: u8,
    pub id: String,
    pub title: String,
}

/// A link to `#anchor` of another page (or this one), checked once every page is rendered.
#[derive(Debug, Clone)]
pub struct AnchorRef {
    pub target: String,
    pub anchor: String,
    pub line: usize,
    pub column: usize,
}

/// A link or image whose target does not exist, explained once the site's pages and
/// their titles are known (`explain_broken`).
#[derive(Debug, Clone)]
pub struct BrokenLink {
    /// As written.
    pub dest: String,
    /// The content-relative path it resolves to.
    pub target: String,
    /// The link's text (an image's description).
    pub text: String,
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Default)]
pub struct Rendered {
    pub html: String,
    pub toc: Vec<TocItem>,
    pub heading_ids: HashSet<String>,
    /// The text of h2/h3 headings, for search.
    pub headings: Vec<String>,
    /// Visible text, for search and reading time.
    pub text: String,
    pub anchors: Vec<AnchorRef>,
    pub broken: Vec<BrokenLink>,
    pub diags: Vec<Diagnostic>,
    pub quizzes: usize,
    /// The answers of every quiz, for the end of a printout.
    pub answer_key: Vec<quiz::KeyEntry>,
    /// Every question of the page's quizzes in order, for the practice bank.
    pub questions: Vec<quiz::Question>,
    /// Minutes to read `text` (see [`reading_minutes`]).
    pub reading_minutes: u32,
    /// The final URLs of the images shown that cannot be published (each reported here).
    pub broken_images: Vec<String>,
}

/// The words the renderer writes into page bodies (quizzes, alert titles, task-box
/// labels), from the theme's UI strings, so that a site's own `i18n/zh-CN.yaml` can change
/// them like every other label.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BodyWords {
    pub quiz_title: String,
    pub quiz_show_answer: String,
    pub quiz_right_answer: String,
    pub quiz_check: String,
    pub quiz_retry: String,
    pub quiz_multiple: String,
    pub quiz_true: String,
    pub quiz_false: String,
    pub alert_note: String,
    pub alert_tip: String,
    pub alert_important: String,
    pub alert_warning: String,
    pub alert_caution: String,
    pub task_done: String,
    pub task_todo: String,
}

impl BodyWords {
    /// The words under the theme's keys of the same names. The default theme's strings
    /// are always loaded under a site's own, so every key is there.
    pub fn from_ui(ui: &std::collections::BTreeMap<String, String>) -> BodyWords {
        let word = |key: &str| {
            ui.get(key)
                .cloned()
                .expect("the default theme's i18n file has every body word")
        };
        BodyWords {
            quiz_title: word("quiz_title"),
            quiz_show_answer: word("quiz_show_answer"),
            quiz_right_answer: word("quiz_right_answer"),
            quiz_check: word("quiz_check"),
            quiz_retry: word("quiz_retry"),
            quiz_multiple: word("quiz_multiple"),
            quiz_true: word("quiz_true"),
            quiz_false: word("quiz_false"),
            alert_note: word("alert_note"),
            alert_tip: word("alert_tip"),
            alert_important: word("alert_important"),
            alert_warning: word("alert_warning"),
            alert_caution: word("alert_caution"),
            task_done: word("task_done"),
            task_todo: word("task_todo"),
        }
    }

    /// The class and title of an alert block.
    fn alert(&self, kind: BlockQuoteKind) -> (&'static str, &str) {
        match kind {
            BlockQuoteKind::Note => ("note", &self.alert_note),
            BlockQuoteKind::Tip => ("tip", &self.alert_tip),
            BlockQuoteKind::Important => ("important", &self.alert_important),
            BlockQuoteKind::Warning => ("warning", &self.alert_warning),
            BlockQuoteKind::Caution => ("caution", &self.alert_caution),
        }
    }
}

impl Default for BodyWords {
    /// The default theme's words.
    fn default() -> BodyWords {
        BodyWords::from_ui(&crate::render::Theme::embedded().ui)
    }
}

pub(crate) struct Input<'a> {
    /// Site-relative path for diagnostics (`content/cases/x.md`).
    pub(crate) path: &'a Path,
    /// Content-relative source path (`cases/x.md`).
    pub(crate) source: &'a str,
    pub(crate) body: &'a str,
    /// File line on which `body` starts.
    pub(crate) body_line: usize,
    pub(crate) unsafe_html: bool,
    /// The words written into the body (theme UI strings).
    pub(crate) words: &'a BodyWords,
}

const QUIZ_MARK: char = '\u{E000}';

/// Between the cells of a table row in the page's text.
const CELL_SEP: &str = " ｜ ";

/// After a table row in the page's text, unless it ends a sentence itself: an excerpt
/// shows blocks run together, and rows must not (`a ｜ b；c ｜ d`).
const ROW_END: char = '；';

/// The Markdown pages are written in: CommonMark with GFM, footnotes and heading
/// attributes; quotes left as typed.
pub(super) fn options() -> Options {
    let mut opts = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_GFM
        | Options::ENABLE_HEADING_ATTRIBUTES;
    opts.remove(Options::ENABLE_SMART_PUNCTUATION);
    opts
}

pub(crate) fn render(input: &Input, targets: &LinkTargets) -> Rendered {
    let opts = options();
    // Positions are needed for links and quizzes only.
    let mut lines = Lines::new(input.body, input.body_line);
    let mut out = Rendered::default();
    let mut queue: VecDeque<Event> = VecDeque::new();
    let mut has_raw_html = false;
    let mut quizzes: Vec<String> = Vec::new();
    let mut used_ids: HashMap<String, usize> = HashMap::new();

    // Buffers for constructs rendered as a whole.
    let mut heading: Option<(HeadingLevel, Option<String>, Vec<Event>, String)> = None;
    let mut quiz_block: Option<(usize, String)> = None;
    let mut values_block: Option<(usize, String)> = None;
    let mut image: Option<ImageRef> = None;
    let mut images_shown = 0usize;
    let mut in_code = false;

    let mut html = String::with_capacity(input.body.len() * 3 / 2);
    let mut parser = Parser::new_ext(input.body, opts).into_offset_iter();
    // Events are written out as they come: the page's events are never all held at once.
    let events = std::iter::from_fn(|| {
        loop {
            if let Some(e) = queue.pop_front() {
                return Some(e);
            }
            let (event, range) = parser.next()?;
            // A quiz block collects its YAML until the fence closes.
            if let Some((_, yaml)) = quiz_block.as_mut() {
                match event {
                    Event::Text(t) => yaml.push_str(&t),
                    Event::End(TagEnd::CodeBlock) => {
                        let (first_line, yaml) = quiz_block.take().expect("inside a quiz block");
                        // A fence never closed runs to the end of the file, text and all.
                        let block = input.body[range.clone()].trim_end();
                        if !block.ends_with("```") && !block.ends_with("~~~") {
                            out.diags.push(quiz_runs_on(input.path, first_line));
                            continue;
                        }
                        match quiz::parse(input.path, &yaml, first_line) {
                            Ok(questions) => {
                                let n = quizzes.len() + 1;
                                let key = quiz::answer_key(&questions, n, input.words);
                                out.answer_key.extend(key);
                                out.questions.extend(questions.iter().cloned());
                                quizzes.push(quiz::render(
                                    &questions,
                                    quizzes.len() + 1,
                                    input.words,
                                ));
                                let mark = format!("{QUIZ_MARK}{}{QUIZ_MARK}", quizzes.len() - 1);
                                queue.push_back(Event::Html(format!("{mark}\n").into()));
                            }
                            Err(d) => out.diags.push(d),
                        }
                    }
                    _ => {}
                }
                continue;
            }
            // A site-values block names one key.
            if let Some((_, key)) = values_block.as_mut() {
                match event {
                    Event::Text(t) => key.push_str(&t),
                    Event::End(TagEnd::CodeBlock) => {
                        let (line, key) = values_block.take().expect("inside a values block");
                        match values::html_list(input.path, line, key.trim(), &targets.values) {
                            Ok(html) => queue.push_back(Event::Html(html.into())),
                            Err(d) => out.diags.push(d),
                        }
                    }
                    _ => {}
                }
                continue;
            }
            // An image's alt text is the text inside it, written out as one attribute.
            if let Some(img) = image.as_mut() {
                match event {
                    Event::Text(t) | Event::Code(t) => img.alt.push_str(&t),
                    Event::End(TagEnd::Image) => {
                        let img = image.take().expect("inside an image");
                        let loading = if images_shown == 0 {
                            Loading::Eager
                        } else {
                            Loading::Lazy
                        };
                        images_shown += 1;
                        if img.alt.trim().is_empty() {
                            out.diags.push(no_alt(input.path, img.line, img.column));
                        }
                        let html = media::img_html(
                            img.picture.as_ref(),
                            &img.url,
                            &img.alt,
                            &img.title,
                            loading,
                        );
                        let event = Event::InlineHtml(html.into());
                        match heading.as_mut() {
                            Some((_, _, inner, _)) => inner.push(event),
                            None => queue.push_back(event),
                        }
                    }
                    _ => {}
                }
                continue;
            }
            let event = match event {
                Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(ref lang)))
                    if values::is_values_block(lang) =>
                {
                    values_block = Some((lines.locate(range.start).0 + 1, String::new()));
                    continue;
                }
                Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(ref lang)))
                    if lang.trim() == "quiz" =>
                {
                    quiz_block = Some((lines.locate(range.start).0 + 1, String::new()));
                    continue;
                }
                Event::Start(Tag::CodeBlock(_)) => {
                    in_code = true;
                    event
                }
                Event::End(TagEnd::CodeBlock) => {
                    in_code = false;
                    out.text.push_str("\n\n");
                    event
                }
                Event::Start(Tag::Heading { level, id, .. }) => {
                    heading = Some((level, id.map(|s| s.to_string()), Vec::new(), String::new()));
                    continue;
                }
                Event::End(TagEnd::Heading(_)) => {
                    if let Some((level, explicit, inner, text)) = heading.take() {
                        let base = explicit.unwrap_or_else(|| anchor_id(&text));
                        let id = unique_id(&mut used_ids, base);
                        let mut inner_html = String::new();
                        pulldown_cmark::html::push_html(&mut inner_html, inner.into_iter());
                        let n = level as u8;
                        if (2..=3).contains(&n) {
                            out.toc.push(TocItem {
                                level: n,
                                id: id.clone(),
                                title: text.trim().to_string(),
                            });
                            out.headings.push(text.trim().to_string());
                        }
                        out.text.push_str(text.trim());
                        out.text.push_str("\n\n");
                        queue.push_back(Event::Html(
                            format!("<h{n} id=\"{}\">{inner_html}</h{n}>\n", attr(&id)).into(),
                        ));
                        out.heading_ids.insert(id);
                    }
                    continue;
                }
                Event::Start(Tag::BlockQuote(Some(kind))) => {
                    let (class, label) = input.words.alert(kind);
                    Event::Html(
                    format!("<div class=\"markdown-alert markdown-alert-{class}\" role=\"note\"><p class=\"markdown-alert-title\">{}</p>\n", attr(label)).into(),
                )
                }
                Event::End(TagEnd::BlockQuote(Some(_))) => Event::Html("</div>\n".into()),
                Event::Start(Tag::Table(_)) => {
                    queue.push_back(Event::Html("<div class=\"table-wrap\">\n".into()));
                    event
                }
                Event::End(TagEnd::Table) => {
                    queue.push_back(event);
                    Event::Html("</div>\n".into())
                }
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => {
                    let (line, column) = lines.locate(range.start);
                    let text = link_text(&input.body[range.clone()]);
                    let resolved =
                        resolve(input, targets, &dest_url, (line, column, text), &mut out);
                    match resolved {
                        Resolved::External(url) => Event::InlineHtml(
                            format!(
                                "<a href=\"{}\" rel=\"noopener\"{}>",
                                attr(&url),
                                title_attr(&title)
                            )
                            .into(),
                        ),
                        Resolved::Internal(url) => Event::Start(Tag::Link {
                            link_type,
                            dest_url: url.into(),
                            title,
                            id,
                        }),
                    }
                }
                Event::Start(Tag::Image {
                    dest_url, title, ..
                }) => {
                    let (line, column) = lines.locate(range.start);
                    let text = link_text(&input.body[range.clone()]);
                    let url =
                        match resolve(input, targets, &dest_url, (line, column, text), &mut out) {
                            Resolved::External(u) | Resolved::Internal(u) => u,
                        };
                    let picture = match targets.images.get(&url) {
                        Some(Ok(p)) => Some(p.clone()),
                        Some(Err(problem)) => {
                            out.diags.push(problem.at(input.path, line, column));
                            out.broken_images.push(url.clone());
                            None
                        }
                        None => None,
                    };
                    image = Some(ImageRef {
                        url,
                        title: title.to_string(),
                        alt: String::new(),
                        line,
                        column,
                        picture,
                    });
                    continue;
                }
                Event::Html(_) | Event::InlineHtml(_) => {
                    has_raw_html = true;
                    event
                }
                // Task-list boxes get a label, so screen readers say what the mark means.
                Event::TaskListMarker(done) => Event::InlineHtml(
                    if done {
                        format!(
                            "<input type=\"checkbox\" disabled checked aria-label=\"{}\"> ",
                            attr(&input.words.task_done)
                        )
                    } else {
                        format!(
                            "<input type=\"checkbox\" disabled aria-label=\"{}\"> ",
                            attr(&input.words.task_todo)
                        )
                    }
                    .into(),
                ),
                Event::Text(ref t) | Event::Code(ref t) => {
                    if let Some((_, _, _, text)) = heading.as_mut() {
                        text.push_str(t);
                    } else if !in_code || t.len() < 2000 {
                        out.text.push_str(t);
                    }
                    event
                }
                Event::SoftBreak | Event::HardBreak => {
                    out.text.push('\n');
                    event
                }
                // Blocks are separated by a blank line in the text, soft breaks by one newline,
                // so search can tell a hard-wrapped sentence from two paragraphs.
                Event::End(TagEnd::Paragraph | TagEnd::Item) => {
                    out.text.push_str("\n\n");
                    event
                }
                // Cells stay apart in search excerpts: `a ｜ b ｜ c`, a row a block.
                Event::End(TagEnd::TableCell) => {
                    out.text.push_str(CELL_SEP);
                    event
                }
                Event::End(TagEnd::TableHead | TagEnd::TableRow) => {
                    let kept = out.text.trim_end_matches(CELL_SEP).len();
                    out.text.truncate(kept);
                    if !out
                        .text
                        .ends_with(['。', '！', '？', '；', '.', '!', '?', ';', '\n'])
                    {
                        out.text.push(ROW_END);
                    }
                    out.text.push_str("\n\n");
                    event
                }
                other => other,
            };
            if let Some((_, _, inner, _)) = heading.as_mut() {
                inner.push(event);
            } else {
                queue.push_back(event);
            }
        }
    });
    pulldown_cmark::html::push_html(&mut html, events);
    if let Some((line, _)) = quiz_block {
        // An unclosed fence runs to the end of the file; parse what there is.
        out.diags.push(
            Diagnostic::error(
                input.path,
                line.saturating_sub(1),
                1,
                Text::new(
                    "自测题代码块没有结束的 ```",
                    "the quiz block is never closed with ```",
                ),
            )
            .with_hint(Text::new(
                "在题目后面单独写一行 ```",
                "add a line with ``` after the questions",
            )),
        );
    }

    if has_raw_html && !input.unsafe_html {
        html = SANITIZER.clean(&html).to_string();
    }
    if !quizzes.is_empty() {
        for (i, q) in quizzes.iter().enumerate() {
            html = html.replace(&format!("{QUIZ_MARK}{i}{QUIZ_MARK}"), q);
        }
    }
    out.quizzes = quizzes.len();
    out.reading_minutes = reading_minutes(&out.text);
    // Kept for the whole build: no spare capacity.
    html.shrink_to_fit();
    out.text.shrink_to_fit();
    out.html = html;
    out
}

/// Han characters at ≈ 300 a minute, other words at ≈ 200.
pub fn reading_minutes(text: &str) -> u32 {
    let mut han = 0u32;
    let mut words = 0u32;
    let mut in_word = false;
    for c in text.chars() {
        if is_han(c) {
            han += 1;
            in_word = false;
        } else if is_alphanumeric(c) {
            if !in_word {
                words += 1;
            }
            in_word = true;
        } else {
            in_word = false;
        }
    }
    let minutes = f64::from(han) / 300.0 + f64::from(words) / 200.0;
    (minutes.ceil() as u32).max(1)
}

pub fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2FFFF}')
}

/// `char::is_alphanumeric`, answering ASCII and the common Chinese punctuation without
/// the Unicode tables.
fn is_alphanumeric(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    match c {
        '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' => true,
        '，' | '。' | '、' | '：' | '；' | '！' | '？' | '（' | '）' | '《' | '》' | '“' | '”'
        | '‘' | '’' | '「' | '」' | '『' | '』' | '【' | '】' | '—' | '…' | '·' | '\u{3000}' => {
            false
        }
        _ => c.is_alphanumeric(),
    }
}

/// An image being read: where it points, and its alt text so far.
struct ImageRef {
    url: String,
    title: String,
    alt: String,
    line: usize,
    column: usize,
    picture: Option<Picture>,
}

/// The warning for an image written without alt text (`![](photo.jpg)`).
fn no_alt(path: &Path, line: usize, column: usize) -> Diagnostic {
    Diagnostic::warning(
        path,
        line,
        column,
        Text::new(
            "图片没有替代文字：读屏软件无法告诉视障读者图上是什么",
            "the image has no alt text: screen readers cannot tell what it shows",
        ),
    )
    .with_hint(Text::new(
        "在方括号里写上图片内容的简短描述，例如 ![会场全景](photo.jpg)",
        "describe the picture briefly in the brackets, e.g. ![the lecture hall](photo.jpg)",
    ))
}

/// A quiz block starting on `first_line` whose fence is closed only by the end of the file.
fn quiz_runs_on(path: &Path, first_line: usize) -> Diagnostic {
    Diagnostic::error(
        path,
        first_line.saturating_sub(1),
        1,
        Text::new(
            "自测题代码块没有结束的 ```，后面的正文都被当成了题目",
            "the quiz block is never closed with ```, so the text after it is read as questions",
        ),
    )
    .with_hint(Text::new(
        "在最后一道题的下面单独写一行 ```",
        "add a line with ``` after the last question",
    ))
}

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.add_generic_attributes(["id", "class"])
        .add_tags(["div", "input", "details", "summary", "section"])
        .add_tag_attributes("input", ["type", "checked", "disabled", "aria-label"])
        .add_tag_attributes("ol", ["start"])
        .link_rel(Some("noopener"));
    b
});

/// The id of a heading: letters and digits of any script kept (lowercased), spaces and
/// ASCII punctuation turned into `-`, other punctuation (、，：…) dropped.
pub(crate) fn anchor_id(text: &str) -> String {
    let mut id = String::new();
    for c in text.trim().chars() {
        if is_alphanumeric(c) {
            // Han characters have no case: only letters of other scripts need the tables.
            if c.is_ascii() || is_han(c) {
                id.push(c.to_ascii_lowercase());
            } else {
                id.extend(c.to_lowercase());
            }
        } else if (c.is_whitespace() || c.is_ascii_punctuation())
            && !id.ends_with('-')
            && !id.is_empty()
        {
            id.push('-');
        }
    }
    let id = id.trim_end_matches('-').to_string();
    if id.is_empty() {
        "section".to_string()
    } else {
        id
    }
}

fn unique_id(used: &mut HashMap<String, usize>, base: String) -> String {
    let n = used.entry(base.clone()).or_insert(0);
    *n += 1;
    if *n == 1 {
        base
    } else {
        format!("{base}-{}", *n - 1)
    }
}

fn attr(s: &str) -> String {
    crate::diagnostic::escape_html(s)
}

fn title_attr(title: &CowStr) -> String {
    if title.is_empty() {
        String::new()
    } else {
        format!(" title=\"{}\"", attr(title))
    }
}

/// Byte offset in the body → 1-based line and column (in characters) of the file. Offsets
/// come in document order, so each call counts lines from the previous one on (and from
/// the top again for an earlier offset).
struct Lines<'a> {
    text: &'a str,
    first_line: usize,
    /// Where counting stopped, the newlines before it and the start of its line.
    pos: usize,
    line: usize,
    start: usize,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str, first_line: usize) -> Self {
        Lines {
            text,
            first_line,
            pos: 0,
            line: 0,
            start: 0,
        }
    }

    fn locate(&mut self, offset: usize) -> (usize, usize) {
        let end = offset.min(self.text.len());
        if end < self.pos {
            (self.pos, self.line, self.start) = (0, 0, 0);
        }
        let seen = &self.text.as_bytes()[self.pos..end];
        self.line += seen.iter().filter(|&&b| b == b'\n').count();
        if let Some(i) = seen.iter().rposition(|&b| b == b'\n') {
            self.start = self.pos + i + 1;
        }
        self.pos = end;
        let col = self
            .text
            .get(self.start..offset)
            .map_or(1, |s| s.chars().count() + 1);
        (self.first_line + self.line, col)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::links::likely_target;

    fn targets() -> LinkTargets {
        let mut t = LinkTargets::default();
        t.pages
            .insert("courses/a/index.md".into(), "/courses/a/".into());
        t.pages.insert("cases/b.md".into(), "/cases/b/".into());
        t.files.insert(
            "courses/a/slides.pdf".into(),
            "/courses/a/slides.pdf".into(),
        );
        t.values
            .insert("series", vec!["周周学".into(), "读<书>班".into()]);
        t
    }

    fn md(body: &str) -> Rendered {
        let input = Input {
            path: Path::new("content/courses/a/01.md"),
            source: "courses/a/01.md",
            body,
            body_line: 5,
            unsafe_html: false,
            words: &BodyWords::default(),
        };
        render(&input, &targets())
    }

    #[test]
    fn a_renamed_lesson_is_found_by_its_number_folder_and_title() {
        let pages = [
            ("courses/a/01-di-yi-ke.md", "第一课：高标准农田建设"),
            ("courses/a/03-tu-di-liu-zhuan.md", "第三课：土地流转"),
            ("courses/b/01-tu-di-zheng-zhi.md", "另一门课"),
            ("courses/a/index.md", "课程"),
        ];
        let guess = |wanted, text| likely_target(wanted, text, pages);
        // Same folder and number beat a similar name with another number.
        assert_eq!(
            guess("courses/a/01-tu-di-zheng-zhi.md", "土地整治"),
            Some("courses/a/01-di-yi-ke.md")
        );
        // A link's text like a page's title finds it without a number.
        assert_eq!(
            guess("courses/a/tu-di.md", "第三课：土地流转"),
            Some("courses/a/03-tu-di-liu-zhuan.md")
        );
        assert_eq!(guess("cases/zzz.md", "无关"), None);
        let (broken, text) = (&md("见[土地](missing.md)。\n").broken, "土地");
        assert_eq!(broken.len(), 1);
        assert_eq!((broken[0].text.as_str(), broken[0].line), (text, 5));
    }

    #[test]
    fn site_values_blocks_list_what_site_yaml_allows() {
        let r = md("可选：\n\n```site-values\nseries\n```\n\n后文\n");
        assert!(r.diags.is_empty(), "{:?}", r.diags);
        assert!(
            r.html.contains("<ul class=\"site-values\"><li><code>周周学</code></li><li><code>读&lt;书&gt;班</code></li></ul>"),
            "{}",
            r.html
        );
        assert!(r.html.contains("<p>后文</p>"));
        let r = md("```site-values\nhours\n```\n");
        assert_eq!(r.diags.len(), 1);
        assert_eq!((r.diags[0].line, r.diags[0].column), (6, 1));
    }

    #[test]
    fn source_path_links_become_urls() {
        let r = md("[a](@/cases/b.md#x) [b](index.md) [c](../../cases/b.md) [d](slides.pdf)\n");
        assert!(r.html.contains("href=\"/cases/b/#x\""), "{}", r.html);
        assert!(r.html.contains("href=\"/courses/a/\""));
        assert!(r.html.contains("href=\"/courses/a/slides.pdf\""));
        assert_eq!(r.anchors.len(), 1);
        assert!(r.diags.is_empty());
    }

    #[test]
    fn broken_link_is_reported_at_its_position() {
        // Explained (with the page meant) once every page's title is known.
        let r = md("text\n\nsee [x](@/cases/c.md)\n");
        assert!(r.diags.is_empty());
        assert_eq!(r.broken.len(), 1);
        assert_eq!((r.broken[0].line, r.broken[0].column), (7, 5));
        assert_eq!(r.broken[0].target, "cases/c.md");
    }

    #[test]
    fn a_link_to_an_unpublished_page_says_why() {
        let mut t = targets();
        t.unpublished
            .insert("cases/draft.md".into(), Unpublished::Draft);
        let later = Date::new(2026, 4, 1).unwrap();
        t.unpublished
            .insert("cases/later.md".into(), Unpublished::Scheduled(later));
        let input = Input {
            path: Path::new("content/courses/a/01.md"),
            source: "courses/a/01.md",
            body: "[x](@/cases/draft.md#a) [y](../../cases/later.md)\n",
            body_line: 5,
            unsafe_html: false,
            words: &BodyWords::default(),
        };
        let r = render(&input, &t);
        assert_eq!(r.diags.len(), 2);
        assert!(r.diags[0].message.en.contains("is a draft"));
        assert!(r.diags[0].hint.en.contains("content/cases/draft.md"));
        assert!(r.diags[0].hint.zh.contains("--drafts"));
        assert!(r.diags[1].message.zh.contains("定于 2026-04-01 发布"));
        assert!(r.diags.iter().all(Diagnostic::is_error));
        // No anchor check against a page that is not there.
        assert!(r.anchors.is_empty());
    }

    #[test]
    fn headings_get_ids_and_toc() {
        let r = md("## 一、总体要求\n\n### Step 1: Go\n\n## 一、总体要求\n");
        let ids: Vec<&str> = r.toc.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["一总体要求", "step-1-go", "一总体要求-1"]);
        assert!(r.html.contains("<h2 id=\"一总体要求\">一、总体要求</h2>"));
    }

    #[test]
    fn raw_script_and_event_handlers_are_removed() {
        let r = md(
            "<script>alert(1)</script>\n\n<p onclick=\"x()\">hi</p>\n\n<img src=x onerror=alert(1)>\n",
        );
        assert!(!r.html.contains("<script"), "{}", r.html);
        assert!(!r.html.contains("onclick"));
        assert!(!r.html.contains("onerror"));
        assert!(r.html.contains("hi"));
    }

    #[test]
    fn gfm_features_render() {
        let r = md(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~x~~\n\n- [x] done\n\n> [!NOTE]\n> 注意\n\n脚注[^1]\n\n[^1]: 说明\n",
        );
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("<del>x</del>"));
        assert!(r.html.contains("type=\"checkbox\""));
        assert!(r.html.contains("markdown-alert-note"));
        assert!(r.html.contains("footnote"));
    }

    #[test]
    fn external_links_get_noopener() {
        let r = md("[x](https://example.org/)\n");
        assert!(r.html.contains("rel=\"noopener\""));
    }

    #[test]
    fn quiz_block_becomes_a_form() {
        let r = md("```quiz\n- question: 一\n  options: [甲, 乙]\n  answer: A\n```\n");
        assert_eq!(r.quizzes, 1);
        assert!(
            r.html.contains("<section class=\"quiz\" id=\"quiz-1\""),
            "{}",
            r.html
        );
    }

    #[test]
    fn quiz_error_points_at_the_markdown_line() {
        let r = md("intro\n\n```quiz\n- question: 一\n  options: [甲, 乙]\n  answer: Z\n```\n");
        assert_eq!(r.diags.len(), 1);
        assert_eq!(r.diags[0].line, 10);
    }

    #[test]
    fn shortcuts_agree_with_unicode() {
        for c in (0u32..0x3_0000).filter_map(char::from_u32) {
            assert_eq!(is_alphanumeric(c), c.is_alphanumeric(), "{c:?}");
            if is_han(c) {
                assert!(c.to_lowercase().eq([c]), "{c:?}");
            }
        }
    }

    #[test]
    fn positions_are_found_in_any_order() {
        let text = "一\n二三\n\n四五六";
        let mut lines = Lines::new(text, 10);
        let at = |l: &mut Lines, s: &str| l.locate(text.find(s).unwrap());
        assert_eq!(at(&mut lines, "三"), (11, 2));
        assert_eq!(at(&mut lines, "六"), (13, 3));
        assert_eq!(at(&mut lines, "一"), (10, 1));
        assert_eq!(at(&mut lines, "五"), (13, 2));
        assert_eq!(lines.locate(text.len() + 5), (13, 1));
    }

    #[test]
    fn escaping_out_of_content_is_an_error() {
        let r = md("[x](../../../etc/passwd.md)\n");
        assert_eq!(r.diags.len(), 1);
    }
}
