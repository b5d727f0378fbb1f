//! The kinds of content, in one table: for each kind, where its files live, what its
//! front matter may hold, how its pages are published, listed, navigated, searched and
//! scaffolded. Code that treats kinds differently reads this table or matches every kind
//! by name, so that a new kind cannot be left out unnoticed.

use crate::diagnostic::Text;

/// What a content file is, by its place in `content/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Home,
    /// The intro text of a list page: `courses/_index.md`, `lectures/_index.md`, `cases/_index.md`.
    Section,
    Course,
    Lesson,
    Lecture,
    Case,
    Page,
}

/// Everything the site does with one kind.
#[derive(Debug)]
pub struct KindSpec {
    /// The kind's name in code, templates, scripts and the search index.
    pub(crate) key: &'static str,
    /// What a file of the kind is called in messages: (Chinese, English with article).
    pub(crate) names: (&'static str, &'static str),
    /// The front-matter keys of the kind besides [`COMMON_KEYS`].
    pub(crate) keys: &'static [&'static str],
    /// The template of the kind's own pages (`None`: it has no page of its own).
    pub(crate) template: Option<&'static str>,
    /// The navigation section its pages belong to.
    pub(crate) section: &'static str,
    /// The list page of the kind, if it has one.
    pub(crate) list: Option<ListSpec>,
    /// The partial that shows one item in lists, and the name the partial knows it by.
    pub(crate) card: Option<(&'static str, &'static str)>,
    /// Whether its pages are entries of the Atom feed.
    pub(crate) in_feed: bool,
    /// Whether its pages are found by the search.
    pub(crate) searched: bool,
    /// The first item of a search result's breadcrumb: the list the page belongs to.
    pub(crate) crumb: &'static str,
    /// What `jiangtang new` writes for the kind, if it writes files of the kind.
    pub(crate) new: Option<NewSpec>,
}

/// `jiangtang new KIND`: the kind's example title and where its files go.
#[derive(Debug, Clone, Copy)]
pub struct NewSpec {
    pub(crate) title: &'static str,
    /// Where files of the kind live, for messages: (Chinese, English).
    pub(crate) place: (&'static str, &'static str),
}

/// A kind's list page.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ListSpec {
    /// The folder of `content/` that holds the kind's files (and the list's `_index.md`).
    pub(crate) folder: &'static str,
    pub(crate) url: &'static str,
    pub(crate) template: &'static str,
    /// The UI string that names the list (its page title and navigation item).
    pub(crate) title_key: &'static str,
}

/// The front-matter keys every kind has.
pub const COMMON_KEYS: &[&str] = &[
    "title",
    "slug",
    "summary",
    "date",
    "updated",
    "draft",
    "weight",
    "tags",
    "publish_date",
    "expiry_date",
    "listed",
];

const PAGE: KindSpec = KindSpec {
    key: "page",
    names: ("页面", "a page"),
    keys: &[],
    template: Some("page.html"),
    section: "",
    list: None,
    card: None,
    in_feed: true,
    searched: true,
    crumb: "页面",
    new: Some(NewSpec {
        title: "新页面",
        place: ("文件名.md 或 guide/文件名.md", "FILE.md or guide/FILE.md"),
    }),
};

const COURSE: KindSpec = KindSpec {
    key: "course",
    names: ("课程", "a course"),
    keys: &[
        "action",
        "level",
        "domain",
        "topics",
        "hours",
        "required",
        "unit",
        "instructors",
        "objectives",
        "prerequisites",
    ],
    template: Some("course.html"),
    section: "courses",
    list: Some(ListSpec {
        folder: "courses",
        url: "/courses/",
        template: "courses.html",
        title_key: "nav_courses",
    }),
    card: Some(("_course_card.html", "c")),
    in_feed: true,
    searched: true,
    crumb: "课程",
    new: Some(NewSpec {
        title: "新课程",
        place: ("courses/课程文件夹/index.md", "courses/FOLDER/index.md"),
    }),
};

const LESSON: KindSpec = KindSpec {
    key: "lesson",
    names: ("课时", "a lesson"),
    keys: &["duration", "attachments"],
    template: Some("lesson.html"),
    section: "courses",
    list: None,
    card: None,
    in_feed: true,
    searched: true,
    crumb: "课程",
    new: Some(NewSpec {
        title: "新课时",
        place: ("courses/课程文件夹/文件名.md", "courses/FOLDER/FILE.md"),
    }),
};

const LECTURE: KindSpec = KindSpec {
    key: "lecture",
    names: ("讲座", "a lecture"),
    keys: &[
        "series",
        "start",
        "end",
        "duration",
        "location",
        "speaker",
        "speaker_title",
        "unit",
        "audience",
        "status",
        "course",
        "materials",
        "repeat",
    ],
    template: Some("lecture.html"),
    section: "lectures",
    list: Some(ListSpec {
        folder: "lectures",
        url: "/lectures/",
        template: "lectures.html",
        title_key: "nav_lectures",
    }),
    card: Some(("_lecture_card.html", "l")),
    in_feed: true,
    searched: true,
    crumb: "讲座",
    new: Some(NewSpec {
        title: "新讲座",
        place: ("lectures/文件名.md", "lectures/FILE.md"),
    }),
};

const CASE: KindSpec = KindSpec {
    key: "case",
    names: ("案例", "a case"),
    keys: &["unit", "author", "domain", "region", "topics", "outcomes"],
    template: Some("case.html"),
    section: "cases",
    list: Some(ListSpec {
        folder: "cases",
        url: "/cases/",
        template: "cases.html",
        title_key: "nav_cases",
    }),
    card: Some(("_case_card.html", "k")),
    in_feed: true,
    searched: true,
    crumb: "案例",
    new: Some(NewSpec {
        title: "新案例",
        place: ("cases/文件名.md", "cases/FILE.md"),
    }),
};

const HOME: KindSpec = KindSpec {
    key: "home",
    template: None,
    section: "home",
    in_feed: false,
    searched: false,
    new: None,
    ..PAGE
};

const SECTION: KindSpec = KindSpec {
    key: "section",
    template: None,
    in_feed: false,
    searched: false,
    new: None,
    ..PAGE
};

impl Kind {
    /// Every kind.
    pub(crate) const ALL: [Kind; 7] = [
        Kind::Home,
        Kind::Section,
        Kind::Course,
        Kind::Lesson,
        Kind::Lecture,
        Kind::Case,
        Kind::Page,
    ];

    /// The kinds that have a list page, in the order of the navigation.
    pub(crate) const LISTED: [Kind; 3] = [Kind::Course, Kind::Lecture, Kind::Case];

    /// The kinds the search finds, in the order of their number in the search index.
    pub(crate) fn searched() -> impl Iterator<Item = Kind> {
        Kind::ALL.into_iter().filter(|k| k.spec().searched)
    }

    /// The kinds `jiangtang new` writes.
    pub fn scaffolded() -> impl Iterator<Item = Kind> {
        Kind::ALL.into_iter().filter(|k| k.spec().new.is_some())
    }

    /// The kind whose key is `key`.
    pub fn from_key(key: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.key() == key)
    }

    /// The kind's number in the search index, if the search finds it.
    pub(crate) fn search_index(self) -> Option<u8> {
        let n = Kind::searched().position(|k| k == self)?;
        Some(u8::try_from(n).expect("there are far fewer than 256 kinds"))
    }

    pub(crate) fn spec(self) -> &'static KindSpec {
        match self {
            Kind::Home => &HOME,
            Kind::Section => &SECTION,
            Kind::Course => &COURSE,
            Kind::Lesson => &LESSON,
            Kind::Lecture => &LECTURE,
            Kind::Case => &CASE,
            Kind::Page => &PAGE,
        }
    }

    /// The kind a file has by its place in `content/`.
    pub(crate) fn of(rel: &str) -> Kind {
        let parts: Vec<&str> = rel.split('/').collect();
        match parts.as_slice() {
            ["_index.md"] => Kind::Home,
            [folder, "_index.md"] if Kind::listed_in(folder).is_some() => Kind::Section,
            ["courses", _, "index.md" | "_index.md"] => Kind::Course,
            ["courses", _, _, ..] => Kind::Lesson,
            ["lectures", _, ..] => Kind::Lecture,
            ["cases", _, ..] => Kind::Case,
            _ => Kind::Page,
        }
    }

    /// The kind whose list lives in `folder` of `content/`.
    pub(crate) fn listed_in(folder: &str) -> Option<Kind> {
        Kind::LISTED
            .into_iter()
            .find(|k| k.spec().list.is_some_and(|l| l.folder == folder))
    }

    pub fn key(self) -> &'static str {
        self.spec().key
    }

    /// "课程" / "a course", for messages.
    pub fn names(self) -> Text {
        let (zh, en) = self.spec().names;
        Text::new(zh, en)
    }

    pub fn allowed_keys(self) -> Vec<&'static str> {
        let mut keys = COMMON_KEYS.to_vec();
        keys.extend_from_slice(self.spec().keys);
        keys
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_get_their_kind_from_their_place() {
        assert_eq!(Kind::of("_index.md"), Kind::Home);
        assert_eq!(Kind::of("cases/_index.md"), Kind::Section);
        assert_eq!(Kind::of("guide/_index.md"), Kind::Page);
        assert_eq!(Kind::of("courses/x/index.md"), Kind::Course);
        assert_eq!(Kind::of("courses/x/01-a.md"), Kind::Lesson);
        assert_eq!(Kind::of("lectures/a.md"), Kind::Lecture);
        assert_eq!(Kind::of("cases/a.md"), Kind::Case);
        assert_eq!(Kind::of("about.md"), Kind::Page);
        assert_eq!(Kind::of("guide/editing.md"), Kind::Page);
    }

    #[test]
    fn the_search_numbers_its_kinds_in_table_order() {
        let keys: Vec<&str> = Kind::searched().map(Kind::key).collect();
        assert_eq!(keys, ["course", "lesson", "lecture", "case", "page"]);
        assert_eq!(Kind::Lecture.search_index(), Some(2));
        assert_eq!(Kind::Home.search_index(), None);
    }

    #[test]
    fn every_listed_kind_has_a_list_and_a_card() {
        for k in Kind::LISTED {
            let s = k.spec();
            assert!(s.list.is_some() && s.card.is_some(), "{}", s.key);
            assert_eq!(Kind::listed_in(s.list.map_or("", |l| l.folder)), Some(k));
        }
    }
}
