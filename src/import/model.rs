//! What a Word document becomes before it is written as Markdown.

/// A document read from a `.docx`: its properties, its body and what did not convert.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Document {
    /// From the Title style, or a first heading.
    pub title: Option<String>,
    /// `dc:creator` of the core properties.
    pub author: Option<String>,
    /// `dcterms:created` of the core properties, as written (W3CDTF).
    pub created: Option<String>,
    pub blocks: Vec<Block>,
    /// Footnote texts; `Inline::Note(n)` refers to the n-th (1-based).
    pub footnotes: Vec<Vec<Inline>>,
    /// The pictures in order of appearance; `Inline::Image(i)` refers to the i-th.
    pub images: Vec<Image>,
    /// What was lost or needs the editor's eye, by paragraph.
    pub notes: Vec<Note>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// `styled`: from a heading style or outline level, not from official numbering.
    Heading {
        level: u8,
        styled: bool,
        content: Vec<Inline>,
    },
    Paragraph(Vec<Inline>),
    /// An item of a bulleted or numbered list; `level` 0 is the outermost.
    Item {
        ordered: bool,
        level: u8,
        number: u32,
        content: Vec<Inline>,
    },
    Table(Table),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// The table's number in the document, for notes.
    pub number: usize,
    pub rows: Vec<Vec<Cell>>,
}

/// A cell's content: its paragraphs joined by breaks.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Cell(pub Vec<Inline>);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    Text {
        text: String,
        style: Style,
    },
    Break,
    Link {
        url: String,
        content: Vec<Inline>,
    },
    /// A footnote reference, by the note's number.
    Note(usize),
    /// A picture, by its place in `Document::images`.
    Image(usize),
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    pub bold: bool,
    pub italic: bool,
    pub strike: bool,
}

impl Style {
    pub fn is_plain(self) -> bool {
        self == Style::default()
    }
}

/// A picture of the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    /// Its part, relative to the document's folder (`media/image1.png`).
    pub target: String,
    /// Its description (Word's alt text), if it has one.
    pub alt: Option<String>,
    /// Its name in the document (`图片 3`).
    pub name: String,
    pub paragraph: usize,
}

/// Something the conversion lost or could not decide, at a paragraph (1-based, counting
/// every paragraph of the body, table cells included) with its first characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub paragraph: usize,
    pub excerpt: String,
    pub what: Lost,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lost {
    /// A table's merged cells were split: the text stays in the first.
    MergedCells { table: usize },
    /// Cells of several paragraphs became one line with breaks.
    CellParagraphs { table: usize },
    /// A picture without alt text (`number` is 1-based).
    ImageWithoutAlt { number: usize, name: String },
    /// A picture in a format browsers or the image pipeline cannot show (EMF, TIFF …),
    /// kept as a link to its file.
    ImageFormat { number: usize, file: String },
    /// Something Markdown has no form for, left out.
    Dropped(Dropped),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dropped {
    TextBox,
    Chart,
    /// SmartArt.
    Diagram,
    Equation,
}

/// Where a picture was written and whether it is shown (else linked to).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed {
    /// Its file name beside the Markdown (`da-hong-shan-1.png`).
    pub file: String,
    pub shown: bool,
}
