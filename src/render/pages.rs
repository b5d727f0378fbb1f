//! What each page's template gets beside the values every page shares: one builder per
//! kind of page, each returning a typed context borrowed from the model (the fields are
//! listed in `themes/default/README.md`).

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::Serialize;

use super::Renderer;
use super::archive::{YearLink, recent_from};
use super::cards::{
    AttachmentValue, CaseFacts, CourseFacts, CoverValue, FieldValues, LectureFacts, LessonCard,
    Link, SessionWho, TermValue, TermWithCalendar, lesson_minutes, to_value,
};
use super::format::{self, iso_date, iso_local, month_key};
use super::ics;
use super::jobs::{month_url, months, term_items};
use super::paging::{Pager, page_of, page_url, pager};
use super::upcoming::WeekStrip;
use crate::content::markdown::TocItem;
use crate::content::quiz::KeyEntry;
use crate::content::{Kind, ListSpec, Meta, Order};
use crate::diagnostic::Diagnostic;
use crate::site::{Occurrence, Page, PageId, print_url};

/// The element of a list of the kind's cards: numbered when in time order.
fn list_tag(list: ListSpec) -> &'static str {
    match list.order {
        Order::Start => "ol",
        Order::Weight | Order::Newest { .. } => "ul",
    }
}

/// The days of a week, Monday first.
const WEEK: [jiff::civil::Weekday; 7] = {
    use jiff::civil::Weekday::*;
    [
        Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday,
    ]
};

/// A page's own values, part of `lesson`, `lecture`, `course`, `case`, `page` and the
/// page of a kind of typed fields.
#[derive(Serialize)]
pub(super) struct PageFields<'a> {
    id: &'a str,
    title: &'a str,
    url: &'a str,
    href: String,
    summary: &'a str,
    content_html: &'a str,
    toc: &'a [TocItem],
    date: String,
    date_zh: String,
    updated: String,
    updated_zh: String,
    reading_minutes: u32,
    tags: Vec<Cow<'a, TermValue>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cover: Option<CoverValue<'a>>,
}

/// What a list page takes from its intro file, `content/<folder>/_index.md`: the text
/// above the list, its title and its description.
#[derive(Serialize)]
pub(super) struct Intro<'a> {
    intro_html: &'a str,
    section_title: Option<&'a str>,
    intro_summary: Option<&'a str>,
}

#[derive(Serialize)]
pub(super) struct Home<'a> {
    page: PageFields<'a>,
    /// The 本周 / 下周 strip.
    week: WeekStrip<'a>,
    upcoming: Vec<tera::Value>,
    new_courses: tera::Value,
    featured_cases: tera::Value,
    /// The sections of the kinds whose table entry puts them on the home page.
    sections: Vec<HomeSection<'a>>,
    totals: Totals,
}

/// A kind's section on the home page ([`crate::content::kind::HomeSpec`]).
#[derive(Serialize)]
struct HomeSection<'a> {
    key: &'static str,
    folder: &'static str,
    url: &'static str,
    /// `ul`, or `ol` for a list in time order.
    tag: &'static str,
    title: &'a str,
    more: &'a str,
    empty: &'a str,
    cards: tera::Value,
}

/// The page of a kind of typed fields (and of a plain page, which has none).
#[derive(Serialize)]
pub(super) struct PlainPage<'a> {
    #[serde(flatten)]
    page: PageFields<'a>,
    #[serde(flatten)]
    fields: FieldValues<'a>,
}

#[derive(Serialize)]
struct Totals {
    courses: usize,
    lessons: usize,
    /// Lecture pages; `sessions` counts their sessions (a series has many).
    lectures: usize,
    sessions: usize,
    cases: usize,
    hours: String,
}

#[derive(Serialize)]
pub(super) struct Catalogue<'a> {
    /// The courses on this page of the catalogue; `total` counts all of them.
    courses: tera::Value,
    total: usize,
    pager: Option<Pager>,
    total_hours: String,
    facets: CourseFacets,
    filter_index: Option<FilterIndex>,
    #[serde(flatten)]
    intro: Intro<'a>,
}

/// Where the filters of a paged list read all of its items (`render::card_index`), and
/// the list's first page, where a filtered view is shown; both with the base path.
#[derive(Serialize)]
struct FilterIndex {
    index: String,
    list: String,
    page_size: usize,
}

#[derive(Serialize)]
struct CourseFacets {
    action: Vec<TermValue>,
    level: Vec<TermValue>,
    domain: Vec<TermValue>,
    topics: Vec<TermValue>,
}

#[derive(Serialize)]
pub(super) struct Schedule<'a> {
    /// Lecture pages and their sessions, as on the home page.
    lectures: usize,
    sessions: usize,
    upcoming: Vec<tera::Value>,
    /// Past sessions of this month and the two before it; older ones are on the month
    /// pages, listed by the pages of `archive` (each year, newest first), and `older`
    /// counts them.
    past_months: Vec<PastMonth>,
    archive: Vec<YearLink>,
    older: usize,
    series: Vec<TermWithCalendar>,
    month_url: String,
    calendar_url: &'static str,
    subscribe: Subscribe,
    #[serde(flatten)]
    intro: Intro<'a>,
}

#[derive(Serialize)]
struct PastMonth {
    month: String,
    month_zh: String,
    lectures: Vec<tera::Value>,
}

/// Calendar apps subscribe to an absolute address only: `webcal://` and `https://`
/// when `base_url` is absolute, else the template explains.
#[derive(Serialize)]
struct Subscribe {
    absolute: Option<String>,
    webcal: Option<String>,
}

#[derive(Serialize)]
pub(super) struct Cases<'a> {
    /// The cases on this page of the library; `total` counts all of them.
    cases: tera::Value,
    total: usize,
    pager: Option<Pager>,
    facets: CaseFacets,
    filter_index: Option<FilterIndex>,
    #[serde(flatten)]
    intro: Intro<'a>,
}

#[derive(Serialize)]
struct CaseFacets {
    unit: Vec<TermValue>,
    domain: Vec<TermValue>,
    topics: Vec<TermValue>,
}

/// `course` in `course.html`; the related lectures and cases are their list cards.
#[derive(Serialize)]
pub(super) struct CoursePage<'a> {
    #[serde(flatten)]
    page: PageFields<'a>,
    #[serde(flatten)]
    facts: Option<CourseFacts<'a>>,
    objectives: &'a [String],
    prerequisites: Vec<Link<'a>>,
    instructors: Vec<Cow<'a, TermValue>>,
    lessons: Vec<LessonCard<'a>>,
    related_lectures: Vec<tera::Value>,
    related_cases: Vec<tera::Value>,
    /// The course's print view, with every lesson.
    print_href: String,
}

#[derive(Serialize)]
pub(super) struct Lesson<'a> {
    lesson: LessonPage<'a>,
    course: tera::Value,
    syllabus_html: tera::Value,
    prev: Option<Link<'a>>,
    next: Option<Link<'a>>,
}

#[derive(Serialize)]
struct LessonPage<'a> {
    #[serde(flatten)]
    page: PageFields<'a>,
    duration: u32,
    weight: i64,
    index: usize,
    attachments: Vec<AttachmentValue<'a>>,
    has_quiz: bool,
    answer_key: &'a [KeyEntry],
}

/// `lecture` in `lecture.html`, with the facts of the session it is shown by.
#[derive(Serialize)]
pub(super) struct LecturePage<'a> {
    #[serde(flatten)]
    page: PageFields<'a>,
    #[serde(flatten)]
    facts: Option<LectureFacts<'a>>,
    course: Option<Link<'a>>,
    materials: Vec<AttachmentValue<'a>>,
    ics_url: String,
    sessions: Vec<Session<'a>>,
    repeat_zh: String,
    /// Whether some session has a speaker or topic of its own: the page then lists
    /// the sessions open, as the series' rota.
    rota: bool,
}

/// One session of a repeating lecture.
#[derive(Serialize)]
struct Session<'a> {
    #[serde(flatten)]
    who: Option<SessionWho<'a>>,
    start: String,
    end: String,
    date_zh: String,
    time_zh: String,
    upcoming: bool,
    /// The next session, the one the page leads with.
    next: bool,
}

#[derive(Serialize)]
pub(super) struct CasePage<'a> {
    #[serde(flatten)]
    page: PageFields<'a>,
    #[serde(flatten)]
    facts: Option<CaseFacts<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    outcomes: Option<&'a [String]>,
}

#[derive(Serialize)]
pub(super) struct TaxonomyPage<'a> {
    /// `terms`: this page's; `total` counts all of them.
    taxonomy: TaxonomyValue<'a>,
    total: usize,
    pager: Option<Pager>,
}

#[derive(Serialize)]
struct TaxonomyValue<'a> {
    key: &'a str,
    title: &'a str,
    url: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    terms: Option<Vec<TermValue>>,
}

/// A term's page: what carries the term, grouped by kind (`courses`, `lectures`,
/// `cases` as cards, by their list's folder name, and the same as `sections`, the
/// listed kinds that carry it in navigation order; `lessons` and `pages` as links).
#[derive(Serialize)]
pub(super) struct TermPage<'a> {
    taxonomy: TaxonomyValue<'a>,
    term: TermWithCalendar,
    #[serde(flatten)]
    listed: BTreeMap<&'static str, tera::Value>,
    sections: Vec<TermSection<'a>>,
    lessons: Vec<Link<'a>>,
    pages: Vec<Link<'a>>,
    /// How many lessons and plain pages carry the term, on all its pages.
    lesson_count: usize,
    page_count: usize,
    /// A series' rota this year (else its latest), with a link to the rota's page.
    #[serde(skip_serializing_if = "Option::is_none")]
    rota: Option<super::units::RotaYear>,
    pager: Option<Pager>,
}

/// The cards of one kind on a term's page.
#[derive(Serialize)]
struct TermSection<'a> {
    key: &'static str,
    folder: &'static str,
    /// `ul`, or `ol` for a list in time order.
    tag: &'static str,
    title: &'a str,
    cards: tera::Value,
    /// How many of the kind carry the term, on all pages of the term.
    count: usize,
}

#[derive(Serialize)]
pub(super) struct Month<'a> {
    month: MonthGrid<'a>,
}

/// One month of the schedule as weeks of days (Monday first), each day with its
/// sessions, and links to the neighbouring months that have pages.
#[derive(Serialize)]
struct MonthGrid<'a> {
    key: String,
    title: String,
    weekdays: [&'a str; 7],
    prev: Option<MonthLink>,
    next: Option<MonthLink>,
    count: usize,
    weeks: Vec<Vec<Day>>,
}

#[derive(Serialize)]
struct MonthLink {
    href: String,
    url: String,
    title: String,
}

#[derive(Serialize)]
struct Day {
    day: i8,
    date: String,
    date_zh: String,
    in_month: bool,
    today: bool,
    lectures: Vec<tera::Value>,
}

impl<'s> Renderer<'s> {
    /// The values of a page itself, borrowed from the model.
    pub(super) fn page_fields(&self, p: Page<'s>) -> PageFields<'_> {
        let (src, md, node) = (p.src, p.md, p.node());
        let c = &src.common;
        PageFields {
            id: &node.id,
            title: p.title(),
            url: &node.url,
            href: self.href(&node.url),
            summary: &c.summary,
            content_html: &md.html,
            toc: &md.toc,
            date: c.date.map(iso_date).unwrap_or_default(),
            date_zh: c
                .date
                .map(|d| self.engine.dates.date(d))
                .unwrap_or_default(),
            updated: c.updated.map(iso_date).unwrap_or_default(),
            updated_zh: c
                .updated
                .map(|d| self.engine.dates.date(d))
                .unwrap_or_default(),
            reading_minutes: p.reading_minutes,
            tags: c.tags.iter().map(|n| self.term("tags", n)).collect(),
            cover: node.cover.as_ref().map(CoverValue::of),
        }
    }

    /// The intro of `kind`'s list on page `n` of it: the text shows on the first page.
    fn intro(&self, kind: Kind, n: u32) -> Intro<'s> {
        let page = self.site.sections.get(&kind).map(|&i| self.site.page(i));
        let md = page.map(|p| p.md).filter(|_| n == 1);
        Intro {
            intro_html: md.map_or("", |md| &md.html),
            section_title: page.map(|p| p.title()),
            intro_summary: page
                .map(|p| p.src)
                .map(|src| src.common.summary.as_str())
                .filter(|s| !s.is_empty()),
        }
    }

    pub(super) fn home(&self) -> Result<Home<'_>, Diagnostic> {
        let s = self.site;
        let page = match s.home {
            Some(h) => self.page_fields(s.page(h)),
            // A site without content/_index.md still gets a home page.
            None => PageFields {
                id: "home",
                title: &s.config.title,
                url: "/",
                href: self.href("/"),
                summary: "",
                content_html: "",
                toc: &[],
                date: String::new(),
                date_zh: String::new(),
                updated: String::new(),
                updated_zh: String::new(),
                reading_minutes: 0,
                tags: Vec::new(),
                cover: None,
            },
        };
        let upcoming = self.upcoming_cards(6);
        let courses = s.of(Kind::Course);
        let sections = Kind::LISTED
            .into_iter()
            .filter_map(|kind| self.home_section(kind).transpose())
            .collect::<Result<Vec<_>, _>>()?;
        let of = |key: &str| {
            let section = sections.iter().find(|x| x.key == key);
            section.map_or_else(|| tera::Value::from(()), |x| x.cards.clone())
        };
        Ok(Home {
            page,
            week: self.week_strip(),
            upcoming,
            new_courses: of(Kind::Course.key()),
            featured_cases: of(Kind::Case.key()),
            sections,
            totals: Totals {
                courses: courses.len(),
                lessons: courses.iter().map(|&i| s.page(i).lessons.len()).sum(),
                lectures: s.of(Kind::Lecture).len(),
                sessions: s.schedule.len(),
                cases: s.of(Kind::Case).len(),
                hours: format::hours(self.total_hours()),
            },
        })
    }

    /// The section of `kind` on the home page, if its table entry gives it one.
    fn home_section(&self, kind: Kind) -> Result<Option<HomeSection<'_>>, Diagnostic> {
        let Some((list, home)) = kind.spec().list.and_then(|l| Some((l, l.home?))) else {
            return Ok(None);
        };
        let mut pages = self.site.of(kind).to_vec();
        if home.newest {
            // Stable: pages of one date keep their list order.
            pages.sort_by_key(|&a| std::cmp::Reverse(self.site.page(a).src.common.date));
        }
        Ok(Some(HomeSection {
            key: kind.key(),
            folder: list.folder,
            url: list.url,
            tag: list_tag(list),
            title: self.engine.ui(home.title_key),
            more: self.engine.ui(home.more_key),
            empty: self.engine.ui(home.empty_key),
            cards: self.checked_cards(pages.iter().take(home.count))?,
        }))
    }

    fn total_hours(&self) -> f64 {
        let s = self.site;
        s.of(Kind::Course)
            .iter()
            .map(|&i| match &s.page(i).src.meta {
                Meta::Course(m) => m.hours,
                _ => 0.0,
            })
            .sum()
    }

    pub(super) fn catalogue(&self, n: u32) -> Catalogue<'_> {
        let only = Some(Kind::Course);
        let (shown, pager) = self.list_page(Kind::Course, n);
        Catalogue {
            courses: self.cards(shown),
            total: self.site.of(Kind::Course).len(),
            pager,
            total_hours: format::hours(self.total_hours()),
            facets: CourseFacets {
                action: self.facet("action", only),
                level: self.facet("level", only),
                domain: self.facet("domain", only),
                topics: self.facet("topics", only),
            },
            filter_index: self.filter_index(Kind::Course),
            intro: self.intro(Kind::Course, n),
        }
    }

    pub(super) fn schedule(&self) -> Schedule<'_> {
        let s = self.site;
        let from = recent_from(s.now.date());
        let (past, older): (Vec<&Occurrence>, Vec<&Occurrence>) = s
            .schedule
            .iter()
            .filter(|o| o.end < s.now)
            .partition(|o| o.start.date() >= from);
        let mut past_months: Vec<PastMonth> = Vec::new();
        for o in past.iter().rev() {
            let key = month_key(o.start.date());
            if past_months.last().is_none_or(|m| m.month != key) {
                past_months.push(PastMonth {
                    month: key,
                    month_zh: self
                        .engine
                        .dates
                        .month(o.start.date().year(), o.start.date().month()),
                    lectures: Vec::new(),
                });
            }
            let month = past_months.last_mut().expect("a month was pushed above");
            month.lectures.push(self.occurrence_card(o));
        }
        let series = self
            .facet("series", None)
            .into_iter()
            .map(|term| TermWithCalendar {
                ics_url: Some(ics::series_url(&term.url)),
                sessions: self.term_sessions("series", &term.name),
                term,
            })
            .collect();
        let absolute = s.config.absolute(ics::ALL);
        let webcal = absolute.as_ref().map(|u| {
            let rest = u.split_once("://").map_or(u.as_str(), |(_, r)| r);
            format!("webcal://{rest}")
        });
        Schedule {
            lectures: s.of(Kind::Lecture).len(),
            sessions: s.schedule.len(),
            upcoming: self.upcoming_cards(usize::MAX),
            past_months,
            archive: self.archive_years(),
            older: older.len(),
            series,
            month_url: month_url(s.now.date().year(), s.now.date().month()),
            calendar_url: ics::ALL,
            subscribe: Subscribe { absolute, webcal },
            intro: self.intro(Kind::Lecture, 1),
        }
    }

    pub(super) fn cases(&self, n: u32) -> Cases<'_> {
        let only = Some(Kind::Case);
        let (shown, pager) = self.list_page(Kind::Case, n);
        Cases {
            cases: self.cards(shown),
            total: self.site.of(Kind::Case).len(),
            pager,
            facets: CaseFacets {
                unit: self.facet("unit", only),
                domain: self.facet("domain", only),
                topics: self.facet("topics", only),
            },
            filter_index: self.filter_index(Kind::Case),
            intro: self.intro(Kind::Case, n),
        }
    }

    pub(super) fn course(&self, i: PageId) -> CoursePage<'_> {
        let s = self.site;
        let p = s.page(i);
        let (objectives, instructors, related_cases): (&[String], _, _) = match &p.src.meta {
            Meta::Course(m) => (
                &m.objectives,
                self.terms_of("speaker", &m.instructors),
                self.indexes.related_cases(&m.topics, &m.domains),
            ),
            _ => (&[], Vec::new(), Vec::new()),
        };
        CoursePage {
            page: self.page_fields(p),
            facts: self.course_facts(i),
            objectives,
            prerequisites: p
                .prerequisites
                .iter()
                .map(|&x| self.link(s.page(x)))
                .collect(),
            instructors,
            lessons: self.lesson_cards(i),
            related_lectures: self
                .indexes
                .lectures_of_course(i)
                .iter()
                .map(|&l| self.card(l))
                .collect(),
            related_cases: related_cases.into_iter().map(|k| self.card(k)).collect(),
            print_href: self.href(&print_url(&p.url)),
        }
    }

    pub(super) fn lesson(&self, i: PageId) -> Result<Lesson<'_>, Diagnostic> {
        let s = self.site;
        let p = s.page(i);
        let course = p.course.expect("a lesson has a page only in a course");
        let index = s
            .page(course)
            .lessons
            .iter()
            .position(|&l| l == i)
            .expect("a lesson is among its course's lessons");
        Ok(Lesson {
            lesson: LessonPage {
                page: self.page_fields(p),
                duration: lesson_minutes(p),
                weight: p.src.common.weight.unwrap_or(0),
                index: index + 1,
                attachments: self.attachments(p),
                has_quiz: p.md.quizzes > 0,
                answer_key: &p.md.answer_key,
            },
            course: self.course_with_lessons(course),
            syllabus_html: self.syllabus_html(course, index)?,
            prev: p.prev.map(|x| self.link(s.page(x))),
            next: p.next.map(|x| self.link(s.page(x))),
        })
    }

    pub(super) fn lecture(&self, i: PageId) -> LecturePage<'_> {
        let s = self.site;
        let p = s.page(i);
        let shown = self.shown_session(i);
        // A lecture is dated by its session, not by the `date:` of its front matter
        // (which `new` fills with the day the file was written).
        let mut page = self.page_fields(p);
        if let Some(o) = shown {
            page.date = iso_date(o.start.date());
            page.date_zh = self.engine.dates.date_weekday(o.start.date());
        }
        let now = s.now;
        let next = shown.filter(|o| o.end >= now).map(|o| o.start);
        let lecture = match &p.src.meta {
            Meta::Lecture(m) => Some(m),
            _ => None,
        };
        LecturePage {
            page,
            facts: shown.and_then(|o| self.lecture_facts(i, o.start, o.end)),
            course: p.course.map(|x| self.link(s.page(x))),
            materials: self.attachments(p),
            ics_url: ics::event_url(&p.url),
            sessions: self
                .indexes
                .sessions_of(i)
                .map(|o| Session {
                    who: lecture.map(|m| self.session_who(m, o.start.date())),
                    start: iso_local(o.start),
                    end: iso_local(o.end),
                    date_zh: self.engine.dates.date_weekday(o.start.date()),
                    time_zh: self.engine.dates.time_range(o.start, o.end),
                    upcoming: o.end >= now,
                    next: Some(o.start) == next,
                })
                .collect(),
            repeat_zh: lecture.map_or_else(String::new, |m| {
                m.repeat
                    .as_ref()
                    .map_or_else(String::new, |r| self.engine.dates.repeat(r, m.start))
            }),
            rota: lecture.is_some_and(|m| !m.sessions.is_empty()),
        }
    }

    pub(super) fn case(&self, i: PageId) -> CasePage<'_> {
        let p = self.site.page(i);
        CasePage {
            page: self.page_fields(p),
            facts: self.case_facts(i),
            outcomes: match &p.src.meta {
                Meta::Case(m) => Some(m.outcomes.as_slice()),
                _ => None,
            },
        }
    }

    /// The page of a kind of typed fields: its own values and its fields.
    pub(super) fn plain_page(&self, i: PageId) -> PlainPage<'_> {
        PlainPage {
            page: self.page_fields(self.site.page(i)),
            fields: self.field_values(i),
        }
    }

    /// The list page of a kind listed by its cards ([`ListPage::Cards`]): the cards,
    /// named by the list's folder (`notices`), and the intro.
    pub(super) fn card_list(&self, kind: Kind, n: u32) -> Result<tera::Context, Diagnostic> {
        let mut c = tera::Context::from_serialize(&self.intro(kind, n))
            .expect("an intro is a struct of template values");
        if let Some(list) = kind.spec().list {
            let (shown, pager) = self.list_page(kind, n);
            c.insert_value(list.folder, self.checked_cards(shown)?);
            c.insert("total", &self.site.of(kind).len());
            c.insert("pager", &pager);
        }
        Ok(c)
    }

    /// The pages of `kind` that page `n` of its list shows, and its pager.
    /// The card index of `kind`'s list, written when the list is paged.
    fn filter_index(&self, kind: Kind) -> Option<FilterIndex> {
        let paged = super::jobs::pages_for(self.site, self.site.of(kind).len()) > 1;
        let list = kind.spec().list.filter(|_| paged)?;
        Some(FilterIndex {
            index: self.href(&super::card_index::index_url(list.url)),
            list: self.href(list.url),
            page_size: self.site.config.page_size,
        })
    }

    fn list_page(&self, kind: Kind, n: u32) -> (&'s [PageId], Option<Pager>) {
        let s = self.site;
        let all = s.of(kind);
        let size = s.config.page_size;
        let url = kind.spec().list.map_or("", |l| l.url);
        let pager = pager(n, all.len(), size, |k| self.href(&page_url(url, k)));
        (page_of(all, n, size), pager)
    }

    pub(super) fn taxonomy(&self, t: usize, n: u32) -> TaxonomyPage<'_> {
        let tax = &self.site.taxonomies[t];
        let size = super::jobs::terms_per_page(self.site);
        let pager = pager(n, tax.terms.len(), size, |k| {
            self.href(&page_url(&tax.url, k))
        });
        let terms = page_of(&tax.terms, n, size)
            .iter()
            .map(|x| TermValue {
                speaker_title: x.speaker_title.clone(),
                ..self.term_value(&x.name, &x.url, x.pages.len())
            })
            .collect();
        TaxonomyPage {
            taxonomy: TaxonomyValue {
                key: tax.key,
                title: &tax.title,
                url: &tax.url,
                terms: Some(terms),
            },
            total: tax.terms.len(),
            pager,
        }
    }

    pub(super) fn term_page(&self, t: usize, k: usize, n: u32) -> Result<TermPage<'_>, Diagnostic> {
        let s = self.site;
        let tax = &s.taxonomies[t];
        let term = &tax.terms[k];
        let items = term_items(s, t, k);
        let size = s.config.page_size;
        let shown = page_of(&items, n, size);
        let of = |kind: Kind| {
            shown
                .iter()
                .copied()
                .filter(move |&i| s.page(i).kind == kind)
        };
        let count = |kind: Kind| items.iter().filter(|&&i| s.page(i).kind == kind).count();
        let pager = pager(n, items.len(), size, |p| self.href(&page_url(&term.url, p)));
        let mut listed = BTreeMap::new();
        let mut sections = Vec::new();
        for kind in Kind::LISTED {
            let Some(list) = kind.spec().list else {
                continue;
            };
            let cards =
                self.checked(of(kind).flat_map(|i| self.term_cards(i, tax.key, &term.name)))?;
            if cards.as_array().is_some_and(|c| !c.is_empty()) {
                sections.push(TermSection {
                    key: kind.key(),
                    folder: list.folder,
                    tag: list_tag(list),
                    title: self.engine.ui(list.title_key),
                    cards: cards.clone(),
                    count: count(kind),
                });
            }
            listed.insert(list.folder, cards);
        }
        Ok(TermPage {
            taxonomy: TaxonomyValue {
                key: tax.key,
                title: &tax.title,
                url: &tax.url,
                terms: None,
            },
            term: TermWithCalendar {
                term: TermValue {
                    speaker_title: term.speaker_title.clone(),
                    ..self.term_value(&term.name, &term.url, term.pages.len())
                },
                ics_url: (tax.key == "series").then(|| ics::series_url(&term.url)),
                sessions: self.term_sessions(tax.key, &term.name),
            },
            listed,
            sections,
            lessons: of(Kind::Lesson).map(|i| self.link(s.page(i))).collect(),
            pages: of(Kind::Page).map(|i| self.link(s.page(i))).collect(),
            lesson_count: count(Kind::Lesson),
            page_count: count(Kind::Page),
            rota: (tax.key == "series")
                .then(|| self.series_rota(&term.name))
                .flatten(),
            pager,
        })
    }

    /// The cards of page `i` on the page of term `name` of taxonomy `key`: the
    /// sessions of a lecture the term takes part in, one card each, when it takes part
    /// in only some (a speaker of a rota); else the page's own card, which for a
    /// series with sessions to come is the schedule's (its rule and next session).
    fn term_cards(&self, i: PageId, key: &str, name: &str) -> Vec<(PageId, tera::Value)> {
        let whole = || {
            let run = self.next_run_card(i).map(|c| self.with_html(i, c));
            vec![(i, run.unwrap_or_else(|| self.card(i)))]
        };
        let Meta::Lecture(m) = &self.site.page(i).src.meta else {
            return whole();
        };
        let (own, others): (Vec<&Occurrence>, Vec<&Occurrence>) = self
            .indexes
            .sessions_of(i)
            .partition(|o| m.takes_part(o.start.date(), key, name));
        if others.is_empty() {
            return whole();
        }
        own.into_iter()
            .map(|o| (i, self.with_html(i, self.occurrence_card(o))))
            .collect()
    }

    pub(super) fn month(&self, y: i16, m: i8) -> Month<'_> {
        use jiff::civil::Date;
        let s = self.site;
        let first = Date::new(y, m, 1).expect("a month of the schedule is a real month");
        let offset = i64::from(first.weekday().to_monday_zero_offset());
        let mut day = first.saturating_sub(jiff::Span::new().days(offset));
        let today = s.now.date();
        let mut weeks = Vec::new();
        let mut count = 0;
        loop {
            let mut week = Vec::new();
            for _ in 0..7 {
                let lectures: Vec<tera::Value> = self
                    .indexes
                    .sessions_on(day)
                    .map(|o| self.occurrence_card(o))
                    .collect();
                if day.month() == m {
                    count += lectures.len();
                }
                week.push(Day {
                    day: day.day(),
                    date: iso_date(day),
                    date_zh: self.engine.dates.date_weekday(day),
                    in_month: day.month() == m,
                    today: day == today,
                    lectures,
                });
                day = day.saturating_add(jiff::Span::new().days(1));
            }
            weeks.push(week);
            if day.month() != m || day.year() != y {
                break;
            }
        }
        let all = months(s);
        let pos = all.iter().position(|&x| x == (y, m));
        let link = |i: Option<usize>| {
            i.and_then(|i| all.get(i)).map(|&(yy, mm)| {
                let url = month_url(yy, mm);
                MonthLink {
                    href: self.href(&url),
                    url,
                    title: self.engine.dates.month(yy, mm),
                }
            })
        };
        Month {
            month: MonthGrid {
                key: format!("{y}-{m:02}"),
                title: self.engine.dates.month(y, m),
                weekdays: WEEK.map(|w| self.engine.dates.weekday(w)),
                prev: link(pos.and_then(|p| p.checked_sub(1))),
                next: link(pos.map(|p| p + 1)),
                count,
                weeks,
            },
        }
    }

    /// The syllabus beside lesson `index` of `course`: every lesson of the course
    /// rendered by `_syllabus_item.html` (with `item`, its LessonCard, and `current`),
    /// one after the other. Each lesson is rendered once as current and once not.
    fn syllabus_html(&self, course: PageId, index: usize) -> Result<tera::Value, Diagnostic> {
        let items = self.parts.syllabus[course.index()].get_or_init(|| {
            let template = "_syllabus_item.html";
            let mut c = self.context_with_shared();
            let mut render = |item: &tera::Value, current: bool| {
                c.insert_value("item", item.clone());
                c.insert("current", &current);
                self.engine.render_partial(template, &c)
            };
            self.lesson_cards(course)
                .iter()
                .map(|card| {
                    let item = to_value(card);
                    Ok([render(&item, false)?, render(&item, true)?])
                })
                .collect()
        });
        let items = items.as_ref().map_err(Diagnostic::clone)?;
        let mut html = String::with_capacity(items.iter().map(|i| i[0].len() + 1).sum());
        for (n, item) in items.iter().enumerate() {
            if n > 0 {
                html.push('\n');
            }
            html.push_str(&item[usize::from(n == index)]);
        }
        Ok(tera::Value::safe_string(&html))
    }

    /// The page at old address `a`: the page it sends readers on to.
    pub(super) fn alias(&self, a: usize) -> AliasPage {
        let p = self.site.page(self.site.aliases[a].page);
        AliasPage {
            alias: AliasTarget {
                url: p.url.clone(),
                title: p.title().to_string(),
            },
        }
    }
}

/// `alias.html`'s values.
#[derive(Serialize)]
pub(super) struct AliasPage {
    alias: AliasTarget,
}

/// Where an old address leads: the page's root-relative URL and its title.
#[derive(Serialize)]
struct AliasTarget {
    url: String,
    title: String,
}
