//! WordprocessingML → [`Document`]: pure, from the texts of a package's parts. Elements
//! and attributes are matched by their local names, so Word's transitional namespace,
//! the strict one and WPS's copies of them read alike.

use std::collections::HashMap;

use roxmltree::Node;

use super::headings;
use super::model::{Block, Cell, Document, Dropped, Image, Inline, Lost, Note, Style, Table};
use super::styles::{
    Numbering, Role, Styles, list_style_depth, num_pr, official_label, role_of_name,
};

/// The texts of the parts of a `.docx` the conversion reads; only the document is needed.
#[derive(Debug, Default, Clone, Copy)]
pub struct Parts<'a> {
    /// `word/document.xml` (or wherever the package's relationships put it).
    pub document: &'a str,
    pub styles: Option<&'a str>,
    pub numbering: Option<&'a str>,
    pub footnotes: Option<&'a str>,
    /// The document's relationships: images and hyperlinks by id.
    pub rels: Option<&'a str>,
    /// `docProps/core.xml`: author and dates.
    pub core: Option<&'a str>,
}

/// Why a document cannot be read: its main part is not well-formed XML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable(pub String);

/// Reads the parts into the document model. Only a broken main part is an error: a
/// broken side part (styles, numbering, footnotes) loses what it would have given.
pub fn parse<'a>(parts: &Parts<'a>) -> Result<Document, Unreadable> {
    let xml = roxmltree::Document::parse(parts.document).map_err(|e| Unreadable(e.to_string()))?;
    if too_deep(xml.root()) {
        return Err(Unreadable(format!("elements nested over {MAX_DEPTH} deep")));
    }
    let side = |text: Option<&'a str>| {
        text.and_then(|t| roxmltree::Document::parse(t).ok())
            .filter(|d| !too_deep(d.root()))
    };
    let styles =
        side(parts.styles).map_or_else(Styles::default, |d| Styles::read(d.root_element()));
    let numbering = side(parts.numbering)
        .map_or_else(Numbering::default, |d| Numbering::read(d.root_element()));
    let rels = side(parts.rels).map_or_else(HashMap::new, |d| read_rels(d.root_element()));
    let mut reader = Reader {
        styles: &styles,
        numbering: &numbering,
        rels: &rels,
        doc: Document::default(),
        note_ids: HashMap::new(),
        paragraph: 0,
        tables: 0,
        counters: HashMap::new(),
        excerpts: HashMap::new(),
    };
    if let Some(body) = child(xml.root_element(), "body") {
        reader.body(body);
    }
    if let Some(notes) = side(parts.footnotes) {
        reader.footnotes(notes.root_element());
    }
    for note in &mut reader.doc.notes {
        note.excerpt = reader
            .excerpts
            .get(&note.paragraph)
            .cloned()
            .unwrap_or_default();
    }
    let mut doc = reader.doc;
    if let Some(core) = parts.core.and_then(|t| roxmltree::Document::parse(t).ok()) {
        read_core(core.root_element(), &mut doc);
    }
    headings::official_numbering(&mut doc.blocks);
    headings::take_title(&mut doc);
    Ok(doc)
}

/// Deeper than any document Word or WPS writes: the walk, which recurses, stops here.
const MAX_DEPTH: usize = 200;

/// Whether elements nest deeper than [`MAX_DEPTH`] (measured without recursing).
fn too_deep(root: Node<'_, '_>) -> bool {
    let mut stack = vec![(root, 0)];
    while let Some((n, depth)) = stack.pop() {
        if depth > MAX_DEPTH {
            return true;
        }
        stack.extend(
            n.children()
                .filter(Node::is_element)
                .map(|c| (c, depth + 1)),
        );
    }
    false
}

fn local<'a>(n: Node<'a, '_>) -> &'a str {
    n.tag_name().name()
}

fn is(n: Node<'_, '_>, name: &str) -> bool {
    n.is_element() && local(n) == name
}

pub(super) fn child<'a, 'i>(n: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    n.children().find(|c| is(*c, name))
}

pub(super) fn children<'a, 'i>(
    n: Node<'a, 'i>,
    name: &'static str,
) -> impl Iterator<Item = Node<'a, 'i>> {
    n.children().filter(move |c| is(*c, name))
}

/// An attribute by local name, whatever its namespace (`w:val`, `r:id`).
pub(super) fn attr<'a>(n: Node<'a, '_>, name: &str) -> Option<&'a str> {
    n.attributes().find(|a| a.name() == name).map(|a| a.value())
}

pub(super) fn val<'a>(n: Node<'a, '_>, name: &str) -> Option<&'a str> {
    child(n, name).and_then(|c| attr(c, "val"))
}

/// An on/off property (`<w:b/>`, `<w:b w:val="0"/>`).
fn flag(props: Option<Node<'_, '_>>, name: &str) -> Option<bool> {
    let n = child(props?, name)?;
    Some(!matches!(
        attr(n, "val"),
        Some("0" | "false" | "off" | "none")
    ))
}

fn read_rels(root: Node<'_, '_>) -> HashMap<String, String> {
    children(root, "Relationship")
        .filter_map(|r| Some((attr(r, "Id")?.to_string(), attr(r, "Target")?.to_string())))
        .collect()
}

fn read_core(root: Node<'_, '_>, doc: &mut Document) {
    let text = |name: &str| {
        child(root, name)
            .and_then(|n| n.text())
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string)
    };
    doc.author = text("creator");
    doc.created = text("created");
}

/// The state of the walk through the body.
struct Reader<'s> {
    styles: &'s Styles,
    numbering: &'s Numbering,
    rels: &'s HashMap<String, String>,
    doc: Document,
    /// Footnote id in the document → its number in the Markdown (1, 2 …).
    note_ids: HashMap<String, usize>,
    /// Paragraphs met so far, for notes.
    paragraph: usize,
    tables: usize,
    /// The running number of each (numbering instance, level).
    counters: HashMap<(String, u8), u32>,
    /// The first characters of each paragraph, by number, for notes.
    excerpts: HashMap<usize, String>,
}

/// A field being read inside a paragraph (`fldChar` begin … separate … end).
#[derive(Debug, Default)]
struct Field {
    code: String,
    /// Past `separate`: the runs are the field's result.
    result: bool,
    link: Option<usize>,
}

/// Where the runs of a paragraph go: the inlines, and the link being filled.
#[derive(Debug, Default)]
struct Runs {
    out: Vec<Inline>,
    fields: Vec<Field>,
}

impl Reader<'_> {
    fn body(&mut self, body: Node<'_, '_>) {
        for n in body.children().filter(Node::is_element) {
            match local(n) {
                "p" => self.paragraph(n),
                "tbl" => self.table(n),
                "sdt" => {
                    if let Some(content) = child(n, "sdtContent") {
                        self.body(content);
                    }
                }
                "customXml" | "ins" | "moveTo" => self.body(n),
                _ => {}
            }
        }
    }

    fn paragraph(&mut self, p: Node<'_, '_>) {
        self.paragraph += 1;
        let ppr = child(p, "pPr");
        let style = ppr.and_then(|pp| val(pp, "pStyle")).unwrap_or("");
        let chain = self.styles.chain(style);
        let role = chain
            .first()
            .map_or_else(|| role_of_name(style), |s| role_of_name(&s.name));
        if role == Role::Contents {
            return;
        }
        let content = self.inlines(p);
        if is_blank(&content) {
            return;
        }
        let outline = ppr
            .and_then(|pp| val(pp, "outlineLvl")?.parse::<u8>().ok())
            .or_else(|| chain.iter().find_map(|s| s.outline));
        let level = match (role, outline) {
            (Role::Title, _) => {
                if self.doc.title.is_none() {
                    self.doc.title = Some(plain(&content));
                    return;
                }
                None
            }
            (Role::Heading(n), _) => Some(n),
            (_, Some(o)) if o < 9 => Some(o + 1),
            _ => None,
        };
        if let Some(level) = level {
            self.doc.blocks.push(Block::Heading {
                level,
                styled: true,
                content,
            });
            return;
        }
        // Word's "List Bullet 2" numbers at level 0 and shows the nesting by its indent.
        let (num, nested) = match ppr.and_then(num_pr) {
            Some(num) => (Some(num), 0),
            None => (
                chain.iter().find_map(|s| s.num.clone()),
                chain.first().map_or(0, |s| list_style_depth(&s.name)),
            ),
        };
        if let Some(num) = num
            && let Some(level) = self.numbering.level(&num)
            && let Some(ordered) = level.kind
        {
            let number = level
                .start
                .saturating_add(self.count(&num))
                .saturating_sub(1);
            if let Some(label) = official_label(&level, num.1, number) {
                // The number is the heading's own: text, as if typed.
                let mut content = content;
                content.insert(
                    0,
                    Inline::Text {
                        text: label,
                        style: Style::default(),
                    },
                );
                self.doc.blocks.push(Block::Paragraph(content));
                return;
            }
            self.doc.blocks.push(Block::Item {
                ordered,
                level: num.1.max(nested).min(8),
                number,
                content,
            });
            return;
        }
        self.doc.blocks.push(Block::Paragraph(content));
    }

    /// The next number of a list level; the deeper levels start again.
    fn count(&mut self, num: &(String, u8)) -> u32 {
        self.counters
            .retain(|(id, level), _| !(id == &num.0 && *level > num.1));
        let n = self.counters.entry(num.clone()).or_insert(0);
        *n = n.saturating_add(1);
        *n
    }

    fn inlines(&mut self, p: Node<'_, '_>) -> Vec<Inline> {
        let mut runs = Runs::default();
        self.container(p, &mut runs);
        let mut out = runs.out;
        trim_indent(&mut out);
        let excerpt: String = plain(&out).chars().take(12).collect();
        self.excerpts.entry(self.paragraph).or_insert(excerpt);
        out
    }

    /// The runs of a paragraph or of an element holding runs.
    fn container(&mut self, n: Node<'_, '_>, runs: &mut Runs) {
        for c in n.children().filter(Node::is_element) {
            match local(c) {
                "r" => self.run(c, runs),
                "hyperlink" => {
                    let url = attr(c, "id")
                        .and_then(|id| self.rels.get(id))
                        .filter(|u| !u.is_empty());
                    match url {
                        Some(url) => {
                            let mut inner = Runs::default();
                            self.container(c, &mut inner);
                            runs.out.push(Inline::Link {
                                url: url.clone(),
                                content: inner.out,
                            });
                        }
                        None => self.container(c, runs),
                    }
                }
                "fldSimple" => {
                    let url = attr(c, "instr").and_then(hyperlink_target);
                    let mut inner = Runs::default();
                    self.container(c, &mut inner);
                    match url {
                        Some(url) => runs.out.push(Inline::Link {
                            url,
                            content: inner.out,
                        }),
                        None => runs.out.extend(inner.out),
                    }
                }
                "ins" | "moveTo" | "smartTag" | "customXml" | "bdo" | "dir" => {
                    self.container(c, runs);
                }
                "sdt" => {
                    if let Some(content) = child(c, "sdtContent") {
                        self.container(content, runs);
                    }
                }
                "AlternateContent" => {
                    if let Some(choice) = child(c, "Choice") {
                        self.container(choice, runs);
                    }
                }
                "oMath" | "oMathPara" => self.note(Lost::Dropped(Dropped::Equation)),
                _ => {}
            }
        }
    }

    fn run(&mut self, r: Node<'_, '_>, runs: &mut Runs) {
        let rpr = child(r, "rPr");
        let style = Style {
            bold: flag(rpr, "b").unwrap_or(false),
            italic: flag(rpr, "i").unwrap_or(false),
            strike: flag(rpr, "strike").unwrap_or(false) || flag(rpr, "dstrike").unwrap_or(false),
        };
        for c in r.children().filter(Node::is_element) {
            match local(c) {
                // A field's code is not text; its result is.
                "t" if runs.fields.iter().all(|f| f.result) => {
                    push_text(&mut runs.out, c.text().unwrap_or(""), style);
                }
                "tab" => push_text(&mut runs.out, " ", style),
                "noBreakHyphen" => push_text(&mut runs.out, "-", style),
                "br" | "cr" if !matches!(attr(c, "type"), Some("page" | "column")) => {
                    runs.out.push(Inline::Break);
                }
                "drawing" | "pict" | "object" => self.images(c, &mut runs.out),
                "AlternateContent" => {
                    if let Some(choice) = child(c, "Choice") {
                        self.run(choice, runs);
                    }
                }
                "footnoteReference" => {
                    if let Some(id) = attr(c, "id") {
                        let next = self.note_ids.len() + 1;
                        let n = *self.note_ids.entry(id.to_string()).or_insert(next);
                        runs.out.push(Inline::Note(n));
                    }
                }
                "fldChar" => field_char(c, runs),
                "instrText" => {
                    if let Some(f) = runs.fields.last_mut() {
                        f.code.push_str(c.text().unwrap_or(""));
                    }
                }
                _ => {}
            }
        }
    }

    /// The pictures of a `w:drawing` (DrawingML) or `w:pict` (VML, older Word and WPS).
    fn images(&mut self, n: Node<'_, '_>, out: &mut Vec<Inline>) {
        let mut alt = None;
        let mut name = None;
        let before = self.doc.images.len();
        for d in n.descendants().filter(Node::is_element) {
            match local(d) {
                "docPr" => {
                    alt = attr(d, "descr").or_else(|| attr(d, "title"));
                    name = attr(d, "name");
                }
                "shape" => {
                    alt = attr(d, "alt").or(alt);
                }
                "blip" | "imagedata" => {
                    let id = attr(d, "embed").or_else(|| attr(d, "id"));
                    let Some(target) = id.and_then(|id| self.rels.get(id)) else {
                        continue;
                    };
                    let alt = alt
                        .map(|a| a.split_whitespace().collect::<Vec<_>>().join(" "))
                        .filter(|a| !a.is_empty());
                    let index = self.doc.images.len();
                    let name = name.or_else(|| attr(d, "title")).unwrap_or("").to_string();
                    if alt.is_none() {
                        self.note(Lost::ImageWithoutAlt {
                            number: index + 1,
                            name: name.clone(),
                        });
                    }
                    self.doc.images.push(Image {
                        target: target.clone(),
                        alt,
                        name,
                        paragraph: self.paragraph,
                    });
                    out.push(Inline::Image(index));
                }
                _ => {}
            }
        }
        if self.doc.images.len() == before {
            self.dropped(n);
        }
    }

    /// A drawing without a picture: a text box, chart or diagram is lost, and said so.
    fn dropped(&mut self, n: Node<'_, '_>) {
        let found = |name: &str| n.descendants().any(|d| is(d, name));
        let what = if found("txbxContent") {
            Dropped::TextBox
        } else if found("chart") {
            Dropped::Chart
        } else if found("relIds") {
            Dropped::Diagram
        } else {
            return;
        };
        self.note(Lost::Dropped(what));
    }

    fn note(&mut self, what: Lost) {
        self.doc.notes.push(Note {
            paragraph: self.paragraph,
            excerpt: String::new(),
            what,
        });
    }

    fn table(&mut self, t: Node<'_, '_>) {
        self.tables += 1;
        let number = self.tables;
        let first = self.paragraph + 1;
        let (mut merged, mut several) = (false, false);
        let mut rows = Vec::new();
        for tr in t.descendants().filter(|n| is(*n, "tr")) {
            // Rows of a table nested in a cell are read with the cell.
            if tr.ancestors().skip(1).find(|a| is(*a, "tbl")) != Some(t) {
                continue;
            }
            let mut row = Vec::new();
            for tc in children(tr, "tc") {
                let tcpr = child(tc, "tcPr");
                let span = tcpr
                    .and_then(|p| val(p, "gridSpan")?.parse::<usize>().ok())
                    .unwrap_or(1)
                    .clamp(1, 64);
                let continued = tcpr
                    .and_then(|p| child(p, "vMerge"))
                    .is_some_and(|v| attr(v, "val") != Some("restart"));
                merged |= span > 1 || continued;
                let cell = if continued {
                    Cell::default()
                } else {
                    let (cell, paras) = self.cell(tc);
                    several |= paras > 1;
                    cell
                };
                row.push(cell);
                row.extend(std::iter::repeat_n(Cell::default(), span - 1));
            }
            rows.push(row);
        }
        let lost = [
            (merged, Lost::MergedCells { table: number }),
            (several, Lost::CellParagraphs { table: number }),
        ];
        for (happened, what) in lost {
            if happened {
                self.doc.notes.push(Note {
                    paragraph: first,
                    excerpt: String::new(),
                    what,
                });
            }
        }
        if rows.iter().flatten().any(|c| !is_blank(&c.0)) {
            self.doc.blocks.push(Block::Table(Table { number, rows }));
        }
    }

    /// A cell's paragraphs (and those of tables inside it) on one line, parted by breaks,
    /// and how many there were.
    fn cell(&mut self, tc: Node<'_, '_>) -> (Cell, usize) {
        let mut content = Vec::new();
        let mut count = 0;
        for p in tc.descendants().filter(|n| is(*n, "p")) {
            self.paragraph += 1;
            let inlines = self.inlines(p);
            if is_blank(&inlines) {
                continue;
            }
            if count > 0 {
                content.push(Inline::Break);
            }
            content.extend(inlines);
            count += 1;
        }
        (Cell(content), count)
    }

    fn footnotes(&mut self, root: Node<'_, '_>) {
        let mut notes: Vec<(usize, Vec<Inline>)> = Vec::new();
        for f in children(root, "footnote") {
            let Some(n) = attr(f, "id").and_then(|id| self.note_ids.get(id)).copied() else {
                continue;
            };
            let mut content = Vec::new();
            for p in f.descendants().filter(|c| is(*c, "p")) {
                let inlines = self.inlines(p);
                if is_blank(&inlines) {
                    continue;
                }
                if !content.is_empty() {
                    push_text(&mut content, " ", Style::default());
                }
                content.extend(inlines);
            }
            notes.push((n, content));
        }
        notes.sort_by_key(|(n, _)| *n);
        self.doc.footnotes = notes.into_iter().map(|(_, c)| c).collect();
        // A reference whose note is missing would be a dangling `[^n]`.
        let have = self.doc.footnotes.len();
        if have < self.note_ids.len() {
            self.doc.footnotes.resize(self.note_ids.len(), Vec::new());
        }
    }
}

/// `fldChar`: a field begins, shows its result, or ends; a HYPERLINK field's result
/// becomes a link.
fn field_char(c: Node<'_, '_>, runs: &mut Runs) {
    match attr(c, "fldCharType") {
        Some("begin") => runs.fields.push(Field::default()),
        Some("separate") => {
            let start = runs.out.len();
            if let Some(f) = runs.fields.last_mut() {
                f.result = true;
                if hyperlink_target(&f.code).is_some() {
                    f.link = Some(start);
                }
            }
        }
        Some("end") => {
            let Some(f) = runs.fields.pop() else { return };
            let (Some(start), Some(url)) = (f.link, hyperlink_target(&f.code)) else {
                return;
            };
            let content = runs.out.split_off(start.min(runs.out.len()));
            runs.out.push(Inline::Link { url, content });
        }
        _ => {}
    }
}

/// The address of a `HYPERLINK "…"` field code (links to bookmarks, `\l`, are text).
fn hyperlink_target(code: &str) -> Option<String> {
    let rest = code.trim().strip_prefix("HYPERLINK")?.trim();
    if rest.starts_with("\\l") {
        return None;
    }
    let url = match rest.strip_prefix('"') {
        Some(quoted) => quoted.split('"').next()?,
        None => rest.split_whitespace().next()?,
    };
    (!url.is_empty()).then(|| url.to_string())
}

/// Appends text, joined to the last piece when its style is the same.
fn push_text(out: &mut Vec<Inline>, text: &str, style: Style) {
    if text.is_empty() {
        return;
    }
    if let Some(Inline::Text {
        text: last,
        style: s,
    }) = out.last_mut()
        && *s == style
    {
        last.push_str(text);
        return;
    }
    out.push(Inline::Text {
        text: text.to_string(),
        style,
    });
}

/// Whether inlines show nothing: no text but spaces, no picture, no note.
pub(crate) fn is_blank(content: &[Inline]) -> bool {
    content.iter().all(|i| match i {
        Inline::Text { text, .. } => text.trim().is_empty(),
        Inline::Break => true,
        Inline::Link { content, .. } => is_blank(content),
        Inline::Note(_) | Inline::Image(_) => false,
    })
}

/// The text of inlines, without formatting.
pub(crate) fn plain(content: &[Inline]) -> String {
    let mut s = String::new();
    for i in content {
        match i {
            Inline::Text { text, .. } => s.push_str(text),
            Inline::Break => s.push(' '),
            Inline::Link { content, .. } => s.push_str(&plain(content)),
            Inline::Note(_) | Inline::Image(_) => {}
        }
    }
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Indentation typed as spaces (full-width spaces in Chinese documents, `　　正文`) and
/// the paragraph's trailing spaces go; a run of only spaces before the text goes too.
fn trim_indent(out: &mut Vec<Inline>) {
    let indent = |c: char| c.is_whitespace();
    while let Some(Inline::Text { text, .. }) = out.first_mut() {
        let kept = text.trim_start_matches(indent).to_string();
        if kept.is_empty() {
            out.remove(0);
        } else {
            *text = kept;
            break;
        }
    }
    while matches!(out.first(), Some(Inline::Break)) {
        out.remove(0);
    }
    while let Some(last) = out.last_mut() {
        match last {
            Inline::Text { text, .. } => {
                let kept = text.trim_end_matches(indent).to_string();
                if kept.is_empty() {
                    out.pop();
                } else {
                    *text = kept;
                    break;
                }
            }
            Inline::Break => {
                out.pop();
            }
            _ => break,
        }
    }
}
