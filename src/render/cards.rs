//! The values templates get for things shown in lists: terms, links, and the cards of
//! courses, lessons, lectures, cases and the kinds of typed fields (each card also
//! rendered once by its partial, as `html`, so a list of thousands of entries costs no
//! template work per entry).

use std::borrow::Cow;

use jiff::civil::{Date, DateTime};
use serde::Serialize;

use super::Renderer;
use super::format::{self, iso_date, iso_local, month_key};
use crate::content::{FieldValue, Front, Kind, LectureMeta, Meta, Reader, Status};
use crate::diagnostic::Diagnostic;
use crate::site::{Occurrence, Page, PageId};

/// A taxonomy term.
#[derive(Debug, Clone, Serialize)]
pub(super) struct TermValue {
    pub(super) name: String,
    pub(super) url: String,
    pub(super) href: String,
    pub(super) count: usize,
    /// A speaker's title (职务), on the speakers' list and the speaker's page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) speaker_title: Option<String>,
}

/// A term with the calendar of its lectures (a series).
#[derive(Serialize)]
pub(super) struct TermWithCalendar {
    #[serde(flatten)]
    pub(super) term: TermValue,
    pub(super) ics_url: Option<String>,
    /// The sessions of the lectures that carry the term (`count` counts pages).
    pub(super) sessions: usize,
}

/// A page as a link.
#[derive(Serialize)]
pub(super) struct Link<'a> {
    title: &'a str,
    url: &'a str,
    href: String,
}

/// A file attached to a lesson or lecture.
#[derive(Serialize)]
pub(super) struct AttachmentValue<'a> {
    name: &'a str,
    url: &'a str,
    ext: &'a str,
    /// What readers call its type: "PDF", "PPT", "Word".
    kind: String,
    /// Its size when the site was built: "1.2 MB".
    size: String,
    /// Whether the browser shows it (a PDF, opened in a new tab) rather than saving it.
    opens: bool,
}

/// What every card starts with.
#[derive(Serialize)]
struct CardHead<'a> {
    id: &'a str,
    title: &'a str,
    url: &'a str,
    href: String,
    summary: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    cover: Option<CoverValue<'a>>,
}

/// A cover picture (`cover:`), URLs final.
#[derive(Serialize)]
pub(super) struct CoverValue<'a> {
    src: &'a str,
    /// `url 480w, url 960w, …`, empty for an image of one width.
    srcset: String,
    width: u32,
    height: u32,
    alt: &'a str,
}

impl<'a> CoverValue<'a> {
    pub(super) fn of(cover: &'a crate::site::media::Cover) -> CoverValue<'a> {
        let p = &cover.picture;
        CoverValue {
            src: p.src(),
            srcset: p.srcset_attr(),
            width: p.width,
            height: p.height,
            alt: &cover.alt,
        }
    }
}

/// A lecture's recording (`recording:`), URLs final.
#[derive(Serialize)]
pub(super) struct RecordingValue<'a> {
    url: &'a str,
    mime: &'a str,
    subtitles: Option<&'a str>,
}

/// A course's facts, on its card and its page.
#[derive(Serialize)]
pub(super) struct CourseFacts<'a> {
    action: Cow<'a, TermValue>,
    levels: Vec<Cow<'a, TermValue>>,
    domains: Vec<Cow<'a, TermValue>>,
    topics: Vec<Cow<'a, TermValue>>,
    hours: String,
    hours_value: f64,
    required: bool,
    unit: Option<Cow<'a, TermValue>>,
    lesson_count: usize,
    minutes: u32,
}

/// The card of a course or case: its facts and its publication date.
#[derive(Serialize)]
struct DatedCard<'a, F> {
    #[serde(flatten)]
    head: CardHead<'a>,
    #[serde(flatten)]
    facts: F,
    date: String,
    date_zh: String,
}

type CourseCard<'a> = DatedCard<'a, CourseFacts<'a>>;
type CaseCard<'a> = DatedCard<'a, CaseFacts<'a>>;

/// A lecture's facts for one of its sessions, on its card and its page.
#[derive(Serialize)]
pub(super) struct LectureFacts<'a> {
    series: Option<Cow<'a, TermValue>>,
    start: String,
    end: String,
    time_zh: String,
    month: String,
    month_zh: String,
    repeats: bool,
    location: &'a str,
    #[serde(flatten)]
    who: SessionWho<'a>,
    unit: Option<Cow<'a, TermValue>>,
    audience: &'a str,
    status: &'static str,
    status_zh: &'a str,
    upcoming: bool,
    this_week: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    recording: Option<RecordingValue<'a>>,
}

/// Who speaks at one session of a lecture, and on what: the session's own values
/// (`sessions`) where it has them, else the lecture's.
#[derive(Serialize)]
pub(super) struct SessionWho<'a> {
    speaker: Option<Cow<'a, TermValue>>,
    speaker_title: &'a str,
    /// The speaking unit (主讲单位), beside the lecture's organiser.
    speaking_unit: Option<Cow<'a, TermValue>>,
    topic: &'a str,
    /// Whether the session has values of its own (the home strip shows them then).
    own: bool,
}

impl SessionWho<'_> {
    /// The speaker's name, empty when the session names none.
    pub(super) fn speaker_name(&self) -> &str {
        self.speaker.as_ref().map_or("", |t| t.name.as_str())
    }

    pub(super) fn title(&self) -> &str {
        self.speaker_title
    }
}

#[derive(Serialize)]
pub(super) struct LectureCard<'a> {
    #[serde(flatten)]
    head: CardHead<'a>,
    #[serde(flatten)]
    facts: LectureFacts<'a>,
    date_zh: String,
    /// A repeating lecture's sessions to come, when the card stands for them all.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) run: Option<super::upcoming::Run<'a>>,
}

/// A case's facts, on its card and its page.
#[derive(Serialize)]
pub(super) struct CaseFacts<'a> {
    unit: Cow<'a, TermValue>,
    author: &'a str,
    domains: Vec<Cow<'a, TermValue>>,
    region: &'a str,
    topics: Vec<Cow<'a, TermValue>>,
}

/// The values of a kind's typed fields by key ([`crate::content::Fields`]), on its
/// card and its page: terms as [`TermValue`]s, a text or term not given as `null`.
pub(super) struct FieldValues<'a>(Vec<(&'static str, Shown<'a>)>);

#[derive(Serialize)]
#[serde(untagged)]
enum Shown<'a> {
    Text(Option<&'a str>),
    List(&'a [String]),
    Flag(bool),
    Term(Option<Cow<'a, TermValue>>),
    Terms(Vec<Cow<'a, TermValue>>),
}

impl Serialize for FieldValues<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (key, value) in &self.0 {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

/// A lesson in its course's syllabus.
#[derive(Serialize)]
pub(super) struct LessonCard<'a> {
    #[serde(flatten)]
    head: CardHead<'a>,
    duration: u32,
    weight: i64,
    index: usize,
}

/// A course with its lessons, for the study page and a lesson's page.
#[derive(Serialize)]
struct CourseWithLessons<'a> {
    #[serde(flatten)]
    card: CourseCard<'a>,
    lessons: Vec<LessonCard<'a>>,
}

impl<'s> Renderer<'s> {
    /// `url` with the base path in front, what `url(path=…)` returns in a template.
    pub(super) fn href(&self, url: &str) -> String {
        super::engine::join_base(&self.site.config.base_path, url)
    }

    pub(super) fn term_value(&self, name: &str, url: &str, count: usize) -> TermValue {
        TermValue {
            name: name.to_string(),
            url: url.to_string(),
            href: self.href(url),
            count,
            speaker_title: None,
        }
    }

    /// The term `name` of the taxonomy `key`, borrowed from the terms made once.
    pub(super) fn term(&self, key: &str, name: &str) -> Cow<'_, TermValue> {
        let make = |n: &str, u: &str, c: usize| self.term_value(n, u, c);
        match self.indexes.terms(key, make).and_then(|t| t.get(name)) {
            Some(v) => Cow::Borrowed(v),
            None => Cow::Owned(self.term_value(name, "", 0)),
        }
    }

    pub(super) fn terms_of(&self, key: &str, names: &[String]) -> Vec<Cow<'_, TermValue>> {
        names.iter().map(|n| self.term(key, n)).collect()
    }

    pub(super) fn link<'p>(&self, p: Page<'p>) -> Link<'p> {
        Link {
            title: p.title(),
            url: &p.node().url,
            href: self.href(&p.url),
        }
    }

    pub(super) fn attachments<'p>(&self, p: Page<'p>) -> Vec<AttachmentValue<'p>> {
        p.node()
            .attachments
            .iter()
            .map(|a| AttachmentValue {
                name: &a.name,
                url: &a.url,
                ext: &a.ext,
                kind: format::file_kind(&a.ext),
                size: format::size_human(a.size),
                opens: a.ext == "pdf",
            })
            .collect()
    }

    fn head<'p>(&self, p: Page<'p>) -> CardHead<'p> {
        CardHead {
            id: &p.node().id,
            title: p.title(),
            url: &p.node().url,
            href: self.href(&p.url),
            summary: &p.src.common.summary,
            cover: p.node().cover.as_ref().map(CoverValue::of),
        }
    }

    pub(super) fn course_facts(&self, i: PageId) -> Option<CourseFacts<'_>> {
        let p = self.site.page(i);
        let Meta::Course(m) = &p.src.meta else {
            return None;
        };
        let minutes = p
            .lessons
            .iter()
            .map(|&l| lesson_minutes(self.site.page(l)))
            .sum();
        Some(CourseFacts {
            action: self.term("action", &m.action),
            levels: self.terms_of("level", &m.levels),
            domains: self.terms_of("domain", &m.domains),
            topics: self.terms_of("topics", &m.topics),
            hours: format::hours(m.hours),
            hours_value: m.hours,
            required: m.required,
            unit: m.unit.as_ref().map(|u| self.term("unit", u)),
            lesson_count: p.lessons.len(),
            minutes,
        })
    }

    fn course_card(&self, i: PageId) -> Option<CourseCard<'_>> {
        Some(self.dated_card(i, self.course_facts(i)?))
    }

    fn dated_card<F>(&self, i: PageId, facts: F) -> DatedCard<'_, F> {
        let p = self.site.page(i);
        DatedCard {
            head: self.head(p),
            facts,
            date: p.src.common.date.map(iso_date).unwrap_or_default(),
            date_zh: p
                .src
                .common
                .date
                .map(|d| self.engine.dates.date(d))
                .unwrap_or_default(),
        }
    }

    /// The session a lecture is shown by: its next one, or its last when all are over.
    pub(super) fn shown_session(&self, i: PageId) -> Option<&'s Occurrence> {
        let mut mine = self.indexes.sessions_of(i);
        let now = self.site.now;
        mine.clone()
            .find(|o| o.end >= now)
            .or_else(|| mine.next_back())
    }

    pub(super) fn lecture_facts(
        &self,
        i: PageId,
        start: DateTime,
        end: DateTime,
    ) -> Option<LectureFacts<'_>> {
        let s = self.site;
        let p = s.page(i);
        let Meta::Lecture(m) = &p.src.meta else {
            return None;
        };
        let now = s.now;
        let week_start = super::upcoming::monday_of(now.date());
        let week_end = week_start.saturating_add(jiff::Span::new().days(7));
        let this_week = start.date() >= week_start && start.date() < week_end;
        let status_zh = match m.status {
            Status::Scheduled => "",
            Status::Postponed => self.engine.ui("postponed"),
            Status::Cancelled => self.engine.ui("cancelled"),
        };
        Some(LectureFacts {
            series: (!m.series.is_empty()).then(|| self.term("series", &m.series)),
            start: iso_local(start),
            end: iso_local(end),
            time_zh: self.engine.dates.time_range(start, end),
            month: month_key(start.date()),
            month_zh: self
                .engine
                .dates
                .month(start.date().year(), start.date().month()),
            repeats: m.repeat.is_some(),
            location: &m.location,
            who: self.session_who(m, start.date()),
            unit: m.unit.as_ref().map(|u| self.term("unit", u)),
            audience: &m.audience,
            status: m.status.key(),
            status_zh,
            upcoming: end >= now,
            this_week,
            recording: p.node().recording.as_ref().map(|r| RecordingValue {
                url: &r.url,
                mime: r.mime,
                subtitles: r.subtitles.as_deref(),
            }),
        })
    }

    /// Who speaks at the session of lecture `m` on `day`. A session with a speaker
    /// of its own has that speaker's title, not the lecture's.
    pub(super) fn session_who(&self, m: &'s LectureMeta, day: Date) -> SessionWho<'_> {
        let note = m.session_on(day);
        let (speaker, speaker_title) = match note.and_then(|n| Some((n.speaker.as_ref()?, n))) {
            Some((x, n)) => (Some(x), n.speaker_title.as_str()),
            None => (m.speaker.as_ref(), m.speaker_title.as_str()),
        };
        SessionWho {
            speaker: speaker.map(|x| self.term("speaker", x)),
            speaker_title,
            speaking_unit: note
                .and_then(|n| n.unit.as_ref())
                .map(|u| self.term("unit", u)),
            topic: note.map_or("", |n| n.topic.as_str()),
            own: note.is_some(),
        }
    }

    pub(super) fn lecture_card_at(
        &self,
        i: PageId,
        start: DateTime,
        end: DateTime,
    ) -> Option<LectureCard<'_>> {
        Some(LectureCard {
            head: self.head(self.site.page(i)),
            facts: self.lecture_facts(i, start, end)?,
            date_zh: self.engine.dates.date_weekday(start.date()),
            run: None,
        })
    }

    pub(super) fn case_facts(&self, i: PageId) -> Option<CaseFacts<'_>> {
        let Meta::Case(m) = &self.site.page(i).src.meta else {
            return None;
        };
        Some(CaseFacts {
            unit: self.term("unit", &m.unit),
            author: &m.author,
            domains: self.terms_of("domain", &m.domains),
            region: &m.region,
            topics: self.terms_of("topics", &m.topics),
        })
    }

    /// What the filters of a list read of page `i`'s card, for the list's card index:
    /// the values its card's `data-*` attributes hold, in the order of
    /// [`super::card_index::fields`].
    pub(super) fn filter_values(&self, i: PageId) -> Option<super::card_index::Filterable> {
        let names = |terms: Vec<Cow<'_, TermValue>>| terms.iter().map(|t| t.name.clone()).collect();
        let p = self.site.page(i);
        let date = p.src.common.date.map(iso_date).unwrap_or_default();
        let (values, hours) = match p.kind.spec().front {
            Front::Own(Reader::Course, _) => {
                let c = self.course_facts(i)?;
                let required = if c.required { "1" } else { "0" };
                let values = vec![
                    vec![c.action.name.clone()],
                    names(c.levels),
                    names(c.domains),
                    names(c.topics),
                    vec![required.to_string()],
                ];
                (values, c.hours_value)
            }
            Front::Own(Reader::Case, _) => {
                let c = self.case_facts(i)?;
                (
                    vec![vec![c.unit.name.clone()], names(c.domains), names(c.topics)],
                    0.0,
                )
            }
            Front::Own(Reader::Lesson | Reader::Lecture, _) | Front::Fields(_) => return None,
        };
        Some(super::card_index::Filterable {
            values,
            hours,
            date,
        })
    }

    fn case_card(&self, i: PageId) -> Option<CaseCard<'_>> {
        Some(self.dated_card(i, self.case_facts(i)?))
    }

    /// The typed fields of page `i` (none when its front matter could not be read).
    pub(super) fn field_values(&self, i: PageId) -> FieldValues<'_> {
        let Meta::Fields(fields) = &self.site.page(i).src.meta else {
            return FieldValues(Vec::new());
        };
        let shown = |key: &'static str, value: &'s FieldValue| match value {
            FieldValue::Text(t) => Shown::Text(t.as_deref()),
            FieldValue::List(l) => Shown::List(l),
            FieldValue::Flag(f) => Shown::Flag(*f),
            FieldValue::Term(t) => Shown::Term(t.as_ref().map(|n| self.term(key, n))),
            FieldValue::Terms(t) => Shown::Terms(self.terms_of(key, t)),
        };
        FieldValues(fields.0.iter().map(|(k, v)| (*k, shown(k, v))).collect())
    }

    pub(super) fn lesson_cards(&self, course: PageId) -> Vec<LessonCard<'_>> {
        self.site
            .page(course)
            .lessons
            .iter()
            .enumerate()
            .map(|(n, &l)| {
                let p = self.site.page(l);
                LessonCard {
                    head: self.head(p),
                    duration: lesson_minutes(p),
                    weight: p.src.common.weight.unwrap_or(0),
                    index: n + 1,
                }
            })
            .collect()
    }

    /// The list card of page `i` as a template value, with `html`: the card rendered by
    /// its partial, made once. When the partial fails, `html` is left out and lists
    /// include the partial themselves, so the error is reported with the page that
    /// shows it.
    pub(super) fn card(&self, i: PageId) -> tera::Value {
        self.parts.cards[i.index()]
            .get_or_init(|| {
                let spec = self.site.page(i).kind.spec();
                if spec.card.is_none() {
                    return tera::Value::from(());
                }
                let value = match spec.front {
                    Front::Own(Reader::Course, _) => self.course_card(i).map(|c| to_value(&c)),
                    Front::Own(Reader::Lecture, _) => self.shown_session(i).and_then(|o| {
                        self.lecture_card_at(i, o.start, o.end)
                            .map(|c| to_value(&c))
                    }),
                    Front::Own(Reader::Case, _) => self.case_card(i).map(|c| to_value(&c)),
                    Front::Own(Reader::Lesson, _) => None,
                    Front::Fields(_) => Some(to_value(&self.dated_card(i, self.field_values(i)))),
                };
                value.map_or_else(|| tera::Value::from(()), |c| self.with_html(i, c))
            })
            .clone()
    }

    /// `card`, a card of page `i`, with `html`: the card rendered by its kind's
    /// partial (left out when the partial fails, for [`Self::checked_cards`] to report).
    pub(super) fn with_html(&self, i: PageId, card: tera::Value) -> tera::Value {
        let Some((partial, name)) = self.site.page(i).kind.spec().card else {
            return card;
        };
        let mut ctx = self.context_with_shared();
        ctx.insert_value(name, card.clone());
        match self.engine.tera.render(partial, &ctx) {
            Ok(html) => with_value(card, "html", tera::Value::from(html)),
            Err(_) => card,
        }
    }

    /// The cards of `pages` that have one, each with its `html`, for lists that print
    /// the cards' `html` alone (whatever their kind): a partial that fails is reported
    /// here, with the page that shows the card.
    pub(super) fn checked_cards<'i>(
        &self,
        pages: impl IntoIterator<Item = &'i PageId>,
    ) -> Result<tera::Value, Diagnostic> {
        self.checked(pages.into_iter().map(|&i| (i, self.card(i))))
    }

    /// `cards`, each of its page, checked as [`Self::checked_cards`] checks them.
    pub(super) fn checked(
        &self,
        cards_of: impl IntoIterator<Item = (PageId, tera::Value)>,
    ) -> Result<tera::Value, Diagnostic> {
        let mut cards = Vec::new();
        for (i, card) in cards_of {
            if card.is_none() {
                continue;
            }
            if card.get_from_path("html").is_none() {
                return Err(self.card_error(i, card));
            }
            cards.push(card);
        }
        Ok(tera::Value::from(cards))
    }

    /// Why the partial of page `i`'s card fails to render `card`.
    fn card_error(&self, i: PageId, card: tera::Value) -> Diagnostic {
        let (partial, name) = self
            .site
            .page(i)
            .kind
            .spec()
            .card
            .expect("a card has a partial");
        let mut ctx = self.context_with_shared();
        ctx.insert_value(name, card);
        let e = self
            .engine
            .tera
            .render(partial, &ctx)
            .expect_err("the partial failed on this very card when the card was made");
        super::engine::template_error(&format!("templates/{partial}"), &e)
    }

    /// The cards of `pages`, as one template value.
    pub(super) fn cards<'i>(&self, pages: impl IntoIterator<Item = &'i PageId>) -> tera::Value {
        tera::Value::from(pages.into_iter().map(|&i| self.card(i)).collect::<Vec<_>>())
    }

    /// A course's card with its lesson cards as `lessons`, made once.
    pub(super) fn course_with_lessons(&self, course: PageId) -> tera::Value {
        self.parts.course_lessons[course.index()]
            .get_or_init(|| match self.course_card(course) {
                Some(card) => to_value(&CourseWithLessons {
                    card,
                    lessons: self.lesson_cards(course),
                }),
                None => tera::Value::from(()),
            })
            .clone()
    }

    /// One session in the schedule: the lecture's list card (made once, with its
    /// `html`) when it is the lecture's only session, else a card of its own.
    pub(super) fn occurrence_card(&self, o: &Occurrence) -> tera::Value {
        if self.indexes.session_count(o.page) == 1 {
            self.card(o.page)
        } else {
            self.lecture_card_at(o.page, o.start, o.end)
                .map_or_else(|| tera::Value::from(()), |c| to_value(&c))
        }
    }

    /// Terms of a taxonomy with counts, for filters: the pages of `only` (every kind
    /// when `None`) that carry each term, terms without any left out.
    pub(super) fn facet(&self, key: &str, only: Option<Kind>) -> Vec<TermValue> {
        let s = self.site;
        let Some(tax) = s.taxonomies.iter().find(|t| t.key == key) else {
            return Vec::new();
        };
        tax.terms
            .iter()
            .filter_map(|t| {
                let count = t
                    .pages
                    .iter()
                    .filter(|&&i| only.is_none_or(|k| s.page(i).kind == k))
                    .count();
                (count > 0).then(|| self.term_value(&t.name, &t.url, count))
            })
            .collect()
    }
}

/// A lesson's `duration` in minutes (0 when not given).
pub(super) fn lesson_minutes(p: Page<'_>) -> u32 {
    match &p.src.meta {
        Meta::Lesson(m) => m.duration.unwrap_or(0),
        _ => 0,
    }
}

/// A value made for templates as a template value. Every value the renderer makes is
/// made of strings, numbers, lists and maps with string keys, which always convert.
pub(super) fn to_value<T: Serialize>(v: &T) -> tera::Value {
    tera::Value::try_from_serializable(v)
        .expect("template values are strings, numbers, lists and string-keyed maps")
}

/// The map `v` with `key` set to `value`.
fn with_value(v: tera::Value, key: &'static str, value: tera::Value) -> tera::Value {
    let mut map = v
        .into_map()
        .expect("a card is a map: it is made from a struct");
    map.insert(key.into(), value);
    tera::Value::from(map)
}
