//! The practice bank (`/practice/`): every question of every lesson's quizzes, with its
//! lesson, course, action and fields. Without JavaScript the bank is read field by field
//! on paged lists (`/practice/<field>/`); the drill script draws from it through data
//! files of at most [`CHUNK`] questions of one course each (`/practice/data/<n>.json`),
//! fetched only for the questions a drill draws, so that neither the page nor any file
//! it loads grows with the site. Drills are practice: nothing here is a study record.

use serde::Serialize;

use crate::content::Meta;
use crate::content::quiz::{self, Answer, Question};
use crate::content::{Kind, markdown::BodyWords};
use crate::site::{PageId, Site, Term};

/// The most questions one data file holds (about 40 KB of Chinese text).
pub(super) const CHUNK: usize = 100;

/// The slug of the questions whose course names no field.
const NO_FIELD: &str = "other";

/// One question of the bank: question `k` (from 0) of `lesson`'s quizzes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Entry {
    pub(super) lesson: PageId,
    pub(super) course: PageId,
    pub(super) k: usize,
}

/// The questions of one field, term `term` of the field taxonomy (`None`: of courses
/// that name no field), as positions in the bank's entries.
#[derive(Debug, PartialEq)]
pub(super) struct Field {
    pub(super) term: Option<usize>,
    pub(super) items: Vec<usize>,
}

/// The entries `start..end`, all of one course, written as one data file.
#[derive(Debug, PartialEq)]
pub(super) struct Chunk {
    pub(super) course: PageId,
    pub(super) start: usize,
    pub(super) end: usize,
}

#[derive(Debug, PartialEq)]
pub(super) struct Bank {
    pub(super) entries: Vec<Entry>,
    pub(super) fields: Vec<Field>,
    pub(super) chunks: Vec<Chunk>,
}

/// A course's action and fields.
fn course_terms(site: &Site, course: PageId) -> (&str, &[String]) {
    match &site.page(course).src.meta {
        Meta::Course(m) => (&m.action, &m.domains),
        _ => ("", &[]),
    }
}

impl Bank {
    /// The bank in catalogue order: courses, their lessons, their questions; fields in
    /// the order of the field taxonomy, the questions of no field last.
    pub(super) fn of(site: &Site) -> Bank {
        let mut entries = Vec::new();
        let mut chunks = Vec::new();
        for &course in site.of(Kind::Course) {
            let start = entries.len();
            for &lesson in &site.page(course).lessons {
                let n = site.page(lesson).md.questions.len();
                entries.extend((0..n).map(|k| Entry { lesson, course, k }));
            }
            let mut at = start;
            while at < entries.len() {
                let end = (at + CHUNK).min(entries.len());
                chunks.push(Chunk {
                    course,
                    start: at,
                    end,
                });
                at = end;
            }
        }
        let fields = fields(site, &entries);
        Bank {
            entries,
            fields,
            chunks,
        }
    }

    pub(super) fn question<'s>(&self, site: &'s Site, i: usize) -> &'s Question {
        let e = self.entries[i];
        &site.page(e.lesson).md.questions[e.k]
    }
}

/// Whether some lesson of a course has a quiz: only then has the site a practice bank
/// (its pages and its navigation item).
pub(super) fn has_questions(site: &Site) -> bool {
    site.of(Kind::Course).iter().any(|&c| {
        site.page(c)
            .lessons
            .iter()
            .any(|&l| !site.page(l).md.questions.is_empty())
    })
}

/// The terms of the field taxonomy.
fn field_terms(site: &Site) -> &[Term] {
    site.taxonomies
        .iter()
        .find(|t| t.key == "domain")
        .map_or(&[][..], |t| &t.terms[..])
}

/// A field's name: its term's, or `None` for the questions of no field.
pub(super) fn field_name(site: &Site, term: Option<usize>) -> Option<&str> {
    term.map(|k| field_terms(site)[k].name.as_str())
}

/// `/practice/<field>/`
pub(super) fn field_url(site: &Site, term: Option<usize>) -> String {
    let slug = term.map_or(NO_FIELD, |k| field_terms(site)[k].slug.as_str());
    format!("/practice/{slug}/")
}

/// The fields of the bank's questions, each with its questions.
fn fields(site: &Site, entries: &[Entry]) -> Vec<Field> {
    let terms = field_terms(site);
    let mut fields: Vec<Field> = (0..terms.len())
        .map(|k| Field {
            term: Some(k),
            items: Vec::new(),
        })
        .collect();
    let mut none = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        let (_, domains) = course_terms(site, e.course);
        let mut placed = false;
        for d in domains {
            if let Some(f) = terms.iter().position(|t| &t.name == d) {
                fields[f].items.push(i);
                placed = true;
            }
        }
        if !placed {
            none.push(i);
        }
    }
    fields.retain(|f| !f.items.is_empty());
    if !none.is_empty() {
        fields.push(Field {
            term: None,
            items: none,
        });
    }
    fields
}

/// `/practice/data/<n>.json`, `n` from 1.
pub(super) fn data_url(chunk: usize) -> String {
    format!("/practice/data/{}.json", chunk + 1)
}

/// A question as the drill script reads it (short keys: a data file holds many).
#[derive(Serialize)]
struct DataQuestion<'a> {
    /// `<lesson id>#<n>`, n from 1: the 错题本 keeps questions under it.
    id: String,
    q: &'a str,
    /// `single`, `multiple` or `truefalse`.
    t: &'static str,
    o: &'a [String],
    a: DataAnswer<'a>,
    e: &'a str,
    /// The lesson's title and address, and its course's title.
    l: &'a str,
    h: String,
    c: &'a str,
}

#[derive(Serialize)]
#[serde(untagged)]
enum DataAnswer<'a> {
    Options(&'a [usize]),
    TrueFalse(bool),
}

pub(super) fn kind_of(q: &Question) -> &'static str {
    match q.answer {
        Answer::TrueFalse(_) => "truefalse",
        Answer::Options(_) if q.multiple => "multiple",
        Answer::Options(_) => "single",
    }
}

/// A root-relative URL as seen from `/practice/`, where the drill runs: the data's
/// addresses then hold under any base path and in relative-link mode alike.
fn from_practice(url: &str) -> String {
    format!("../{}", url.trim_start_matches('/'))
}

/// The data file of chunk `c`: a JSON array of its questions.
pub(super) fn data_file(site: &Site, bank: &Bank, c: usize) -> Vec<u8> {
    let chunk = &bank.chunks[c];
    let questions: Vec<DataQuestion> = (chunk.start..chunk.end)
        .map(|i| {
            let e = bank.entries[i];
            let q = bank.question(site, i);
            let lesson = site.page(e.lesson);
            DataQuestion {
                id: format!("{}#{}", lesson.id, e.k + 1),
                q: &q.question,
                t: kind_of(q),
                o: &q.options,
                a: match &q.answer {
                    Answer::Options(v) => DataAnswer::Options(v),
                    Answer::TrueFalse(b) => DataAnswer::TrueFalse(*b),
                },
                e: &q.explanation,
                l: lesson.title(),
                h: from_practice(&lesson.url),
                c: site.page(e.course).title(),
            }
        })
        .collect();
    serde_json::to_vec(&questions).expect("questions of strings and numbers serialise")
}

/// What the drill script needs to draw questions before fetching any: per data file,
/// its address (from `/practice/`, with a version of its content, so that a browser's
/// cached copy of an older bank is never read against this index), its course's action
/// and fields (as positions in `actions` and `fields`) and how many questions it holds.
#[derive(Serialize)]
pub(super) struct DrillIndex {
    actions: Vec<String>,
    fields: Vec<String>,
    /// `[address, action, [fields], count]`
    data: Vec<(String, usize, Vec<usize>, usize)>,
}

pub(super) fn drill_index(site: &Site, bank: &Bank, no_field: &str) -> DrillIndex {
    let actions = site.config.actions.clone();
    let names: Vec<&str> = bank
        .fields
        .iter()
        .map(|f| field_name(site, f.term).unwrap_or(no_field))
        .collect();
    let data = (0..bank.chunks.len())
        .map(|c| {
            let chunk = &bank.chunks[c];
            let (action, domains) = course_terms(site, chunk.course);
            let mut fields: Vec<usize> = domains
                .iter()
                .filter_map(|d| names.iter().position(|n| n == d))
                .collect();
            if fields.is_empty() {
                fields.extend(bank.fields.iter().position(|f| f.term.is_none()));
            }
            let a = actions.iter().position(|x| x == action).unwrap_or(0);
            let version = xxhash_rust::xxh3::xxh3_64(&data_file(site, bank, c)) >> 32;
            let address = format!("{}?v={version:08x}", from_practice(&data_url(c)));
            (address, a, fields, chunk.end - chunk.start)
        })
        .collect();
    DrillIndex {
        actions,
        fields: names.into_iter().map(str::to_string).collect(),
        data,
    }
}

/// An option of a question with its letter.
#[derive(Serialize)]
pub(super) struct Choice<'a> {
    letter: String,
    text: &'a str,
}

/// One question on a field's page, with its answer to open.
#[derive(Serialize)]
pub(super) struct BankQuestion<'a> {
    pub(super) number: usize,
    pub(super) id: String,
    pub(super) question: &'a str,
    pub(super) kind: &'static str,
    pub(super) options: Vec<Choice<'a>>,
    pub(super) answer: String,
    pub(super) explanation: &'a str,
    pub(super) lesson: &'a str,
    pub(super) lesson_href: String,
    pub(super) course: &'a str,
    pub(super) action: &'a str,
}

pub(super) fn bank_question<'s>(
    site: &'s Site,
    bank: &Bank,
    i: usize,
    number: usize,
    words: &BodyWords,
    href: impl Fn(&str) -> String,
) -> BankQuestion<'s> {
    let e = bank.entries[i];
    let q = bank.question(site, i);
    let lesson = site.page(e.lesson);
    BankQuestion {
        number,
        id: format!("q-{}-{}", lesson.id.replace('/', "-"), e.k + 1),
        question: &q.question,
        kind: kind_of(q),
        options: (0..)
            .zip(&q.options)
            .map(|(k, o)| Choice {
                letter: quiz::letter(k),
                text: o,
            })
            .collect(),
        answer: quiz::shown_answer(q, words),
        explanation: &q.explanation,
        lesson: lesson.title(),
        lesson_href: href(&lesson.url),
        course: site.page(e.course).title(),
        action: course_terms(site, e.course).0,
    }
}

/// `/practice/`: the drill's choices and the fields to read the bank by.
#[derive(Serialize)]
pub(super) struct PracticePage {
    total: usize,
    fields: Vec<FieldLink>,
    actions: Vec<ActionCount>,
    /// [`DrillIndex`] as JSON, for the drill script.
    drill: String,
}

/// An action with questions, by its position among the site's actions (the drill
/// index's).
#[derive(Serialize)]
pub(super) struct ActionCount {
    index: usize,
    name: String,
    count: usize,
}

/// A field of the bank with its number of questions and page.
#[derive(Serialize)]
pub(super) struct FieldLink {
    name: String,
    href: String,
    count: usize,
}

/// A page of one field's questions.
#[derive(Serialize)]
pub(super) struct PracticeFieldPage<'a> {
    field: FieldLink,
    questions: Vec<BankQuestion<'a>>,
    pager: Option<super::paging::Pager>,
    practice_href: String,
}

impl<'s> super::Renderer<'s> {
    fn bank(&self) -> &Bank {
        self.bank.get_or_init(|| Bank::of(self.site))
    }

    fn field_link(&self, field: &Field) -> FieldLink {
        let no_field = self.engine.ui("practice_no_field");
        FieldLink {
            name: field_name(self.site, field.term)
                .unwrap_or(no_field)
                .to_string(),
            href: self.href(&field_url(self.site, field.term)),
            count: field.items.len(),
        }
    }

    pub(super) fn practice(&self) -> PracticePage {
        let (site, bank) = (self.site, self.bank());
        let index = drill_index(site, bank, self.engine.ui("practice_no_field"));
        let actions = site
            .config
            .actions
            .iter()
            .enumerate()
            .map(|(index, a)| {
                let count = bank
                    .entries
                    .iter()
                    .filter(|e| course_terms(site, e.course).0 == a)
                    .count();
                ActionCount {
                    index,
                    name: a.clone(),
                    count,
                }
            })
            .filter(|a| a.count > 0)
            .collect();
        PracticePage {
            total: bank.entries.len(),
            fields: bank.fields.iter().map(|f| self.field_link(f)).collect(),
            actions,
            drill: super::json_data(&index),
        }
    }

    pub(super) fn practice_field(&self, term: Option<usize>, n: u32) -> PracticeFieldPage<'s> {
        let (site, bank) = (self.site, self.bank());
        let size = site.config.page_size;
        let empty = Field {
            term,
            items: Vec::new(),
        };
        let field = bank
            .fields
            .iter()
            .find(|f| f.term == term)
            .unwrap_or(&empty);
        let on_page = super::paging::page_of(&field.items, n, size);
        let first = (n.max(1) as usize - 1) * size + 1;
        let words = &self.engine.body_words();
        let questions = on_page
            .iter()
            .zip(first..)
            .map(|(&i, number)| bank_question(site, bank, i, number, words, |u| self.href(u)))
            .collect();
        let url = field_url(site, term);
        PracticeFieldPage {
            field: self.field_link(field),
            questions,
            pager: super::paging::pager(n, field.items.len(), size, |p| {
                self.href(&super::paging::page_url(&url, p))
            }),
            practice_href: self.href("/practice/"),
        }
    }

    pub(super) fn practice_data(&self, c: usize) -> Vec<u8> {
        data_file(self.site, self.bank(), c)
    }
}
