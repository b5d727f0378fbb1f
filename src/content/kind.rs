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
    /// What readers call one (the search's badge and filter): 课 for a lesson, whose
    /// name for editors, 课时, would read as "class hours" beside 学时.
    pub(crate) label: &'static str,
    /// Where the kind's files sit and what their pages are part of.
    pub(crate) place: Place,
    /// The front-matter keys of the kind besides [`COMMON_KEYS`], and how they are read.
    pub(crate) front: Front,
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
    /// What the build's summary counts the kind's pages as: (Chinese, English plural).
    pub(crate) counted: Option<(&'static str, &'static str)>,
}

/// Where a kind's files sit in `content/` and what their pages are part of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Place {
    /// `_index.md`: the home page's text.
    Home,
    /// `<list folder>/_index.md`: a list page's title and intro.
    ListIntro,
    /// `courses/<folder>/index.md`: a course, which holds the lessons beside it.
    Course,
    /// `courses/<folder>/<file>.md`: a lesson of the course of its folder.
    Lesson,
    /// `<list folder>/**/*.md`: one page each, published under the list's URL.
    InList,
    /// Anywhere else: a plain page at the URL of its path.
    Elsewhere,
}

/// A kind's own front-matter keys and how they are read.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Front {
    /// Read by the kind's own reader in `content`, which checks more than each value's
    /// type (an action of the site, a start before the end, links to other files).
    Own(Reader, &'static [&'static str]),
    /// Typed fields, read, shown and counted in taxonomies the same way for every kind.
    Fields(&'static [Field]),
}

/// The kinds whose front matter has a reader of its own.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Reader {
    Course,
    Lesson,
    Lecture,
    Case,
}

/// A front-matter key read as a typed field.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Field {
    pub(crate) key: &'static str,
    pub(crate) ty: FieldType,
}

/// What a field holds; a missing field is empty, `false` or `null`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(
    dead_code,
    reason = "the types a new kind's fields may have; the bundled kinds have readers of their own"
)]
pub(crate) enum FieldType {
    /// A string.
    Text,
    /// A list of strings.
    List,
    /// `true` or `false`.
    Flag,
    /// A term of the taxonomy of the same key (`unit`): shown as a link to its page,
    /// and the page is listed on the term's page.
    Term,
    /// Terms of the taxonomy of the same key, as a list.
    Terms,
}

/// `jiangtang new KIND`: the kind's example title and where its files go.
#[derive(Debug, Clone, Copy)]
pub struct NewSpec {
    pub(crate) title: &'static str,
    /// Where files of the kind live, for messages: (Chinese, English).
    pub(crate) place: (&'static str, &'static str),
    /// The front matter and body of the file it writes.
    pub(crate) example: Example,
    /// Example values written for the editor to replace, by key; a file still holding
    /// one is reported as example content. Only values no real page would have: a unit
    /// such as 市委组织部 may well be meant.
    pub(crate) examples: &'static [(&'static str, &'static str)],
}

impl NewSpec {
    /// The example value written for `key`.
    pub(crate) fn example(&self, key: &str) -> &'static str {
        self.examples
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| *v)
            .expect("the example written for a key is in the kind's table")
    }
}

/// What `jiangtang new` writes below the title.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Example {
    /// Written by the kind's own code in `scaffold`: its values come from the site's
    /// configuration, the day or the files beside it.
    Course,
    Lesson,
    Lecture,
    /// Lines `key: value  # comment` (a value starting with a newline is a block
    /// written below the key), then the body.
    Rows {
        rows: &'static [(&'static str, &'static str, &'static str)],
        body: &'static str,
    },
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
    /// The order of the list (and of the kind's cards wherever they are listed).
    pub(crate) order: Order,
    /// What the list page's template gets.
    pub(crate) page: ListPage,
    /// The kind's section on the home page, if it has one there.
    pub(crate) home: Option<HomeSpec>,
}

/// The order of a kind's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Order {
    /// By `weight`, then title, then URL.
    Weight,
    /// By the lecture's start, then URL: a schedule (numbered, `<ol>`).
    Start,
    /// Newest `date` first, then by URL; pages whose flag field `first` is true come
    /// before the others.
    Newest { first: Option<&'static str> },
}

/// What a list page's template gets besides the list's intro.
#[derive(Debug, Clone, Copy)]
#[allow(
    dead_code,
    reason = "`Cards` is the list page of a new kind; the bundled kinds have pages of their own"
)]
pub(crate) enum ListPage {
    /// The course catalogue: cards, filters and the hours in all.
    Catalogue,
    /// The lecture schedule: upcoming sessions, past months, series, calendars.
    Schedule,
    /// The case library: cards and filters.
    Cases,
    /// The cards of the kind's pages, named by the list's folder (`notices`).
    Cards,
}

/// A kind's section on the home page: the first `count` cards of its list (newest
/// first by `date` when `newest`), a heading, a link to the list and a line for none.
#[derive(Debug, Clone, Copy)]
pub(crate) struct HomeSpec {
    pub(crate) count: usize,
    pub(crate) newest: bool,
    /// UI strings: the heading, the link to the whole list, the line shown for none.
    pub(crate) title_key: &'static str,
    pub(crate) more_key: &'static str,
    pub(crate) empty_key: &'static str,
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
    "aliases",
];

const PAGE: KindSpec = KindSpec {
    key: "page",
    names: ("页面", "a page"),
    label: "页面",
    place: Place::Elsewhere,
    front: Front::Fields(&[]),
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
        example: Example::Rows {
            rows: &[("summary", "一句话说明这个页面。", "简介")],
            body: "## 第一部分\n\n正文写在这里。可以用 **加粗**、列表、表格和链接，链接到其他内容时写它的文件路径，例如 @/courses/课程文件夹/index.md。\n",
        },
        examples: &[("summary", "一句话说明这个页面。")],
    }),
    counted: Some(("其他页面", "other pages")),
};

const COURSE: KindSpec = KindSpec {
    key: "course",
    names: ("课程", "a course"),
    label: "课程",
    place: Place::Course,
    front: Front::Own(
        Reader::Course,
        &[
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
            "cover",
            "cover_alt",
        ],
    ),
    template: Some("course.html"),
    section: "courses",
    list: Some(ListSpec {
        folder: "courses",
        url: "/courses/",
        template: "courses.html",
        title_key: "nav_courses",
        order: Order::Weight,
        page: ListPage::Catalogue,
        home: Some(HomeSpec {
            count: 6,
            newest: true,
            title_key: "new_courses",
            more_key: "all_courses",
            empty_key: "no_courses",
        }),
    }),
    card: Some(("_course_card.html", "c")),
    in_feed: true,
    searched: true,
    crumb: "课程",
    new: Some(NewSpec {
        title: "新课程",
        place: ("courses/课程文件夹/index.md", "courses/FOLDER/index.md"),
        example: Example::Course,
        examples: &[
            ("summary", "一两句话介绍这门课程，显示在课程目录中。"),
            ("instructors", "王老师"),
            ("objectives", "掌握本课程的主要政策要点"),
        ],
    }),
    counted: Some(("课程", "courses")),
};

const LESSON: KindSpec = KindSpec {
    key: "lesson",
    names: ("课时", "a lesson"),
    label: "课",
    place: Place::Lesson,
    front: Front::Own(Reader::Lesson, &["duration", "attachments"]),
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
        example: Example::Lesson,
        examples: &[("summary", "这一课讲什么，一句话。")],
    }),
    counted: Some(("课时", "lessons")),
};

const LECTURE: KindSpec = KindSpec {
    key: "lecture",
    names: ("讲座", "a lecture"),
    label: "讲座",
    place: Place::InList,
    front: Front::Own(
        Reader::Lecture,
        &[
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
            "sessions",
            "cover",
            "cover_alt",
            "recording",
        ],
    ),
    template: Some("lecture.html"),
    section: "lectures",
    list: Some(ListSpec {
        folder: "lectures",
        url: "/lectures/",
        template: "lectures.html",
        title_key: "nav_lectures",
        order: Order::Start,
        page: ListPage::Schedule,
        // The home page's upcoming sessions are a section of their own in `index.html`.
        home: None,
    }),
    card: Some(("_lecture_card.html", "l")),
    in_feed: true,
    searched: true,
    crumb: "讲座",
    new: Some(NewSpec {
        title: "新讲座",
        place: ("lectures/文件名.md", "lectures/FILE.md"),
        example: Example::Lecture,
        examples: &[
            ("summary", "一两句话介绍这次讲座。"),
            ("speaker", "王老师"),
            ("speaker_title", "市某局局长"),
        ],
    }),
    counted: Some(("讲座", "lectures")),
};

const CASE: KindSpec = KindSpec {
    key: "case",
    names: ("案例", "a case"),
    label: "案例",
    place: Place::InList,
    front: Front::Own(
        Reader::Case,
        &[
            "unit",
            "author",
            "domain",
            "region",
            "topics",
            "outcomes",
            "cover",
            "cover_alt",
        ],
    ),
    template: Some("case.html"),
    section: "cases",
    list: Some(ListSpec {
        folder: "cases",
        url: "/cases/",
        template: "cases.html",
        title_key: "nav_cases",
        order: Order::Newest { first: None },
        page: ListPage::Cases,
        home: Some(HomeSpec {
            count: 4,
            newest: false,
            title_key: "featured_cases",
            more_key: "all_cases",
            empty_key: "no_cases",
        }),
    }),
    card: Some(("_case_card.html", "k")),
    in_feed: true,
    searched: true,
    crumb: "案例",
    new: Some(NewSpec {
        title: "新案例",
        place: ("cases/文件名.md", "cases/FILE.md"),
        example: Example::Rows {
            rows: &[
                ("summary", "一两句话概括这个案例。", "简介"),
                ("unit", "市发改委", "必填：报送单位"),
                ("author", "李明", "撰写人"),
                ("domain", "基层治理", "领域"),
                ("region", "随县", "地区"),
                ("topics", "[经验做法]", "专题，可写多个"),
                (
                    "outcomes",
                    "\n  - 办事时间缩短一半\n  - 群众满意度明显提升",
                    "取得的成效：每行一条，以“- ”开头",
                ),
            ],
            body: "## 背景\n\n案例的背景和要解决的问题。\n\n## 主要做法\n\n1. 第一项做法……\n2. 第二项做法……\n\n## 取得成效\n\n用数字说明成效。\n\n## 经验启示\n\n可复制、可推广的经验。\n",
        },
        examples: &[
            ("summary", "一两句话概括这个案例。"),
            ("author", "李明"),
            ("outcomes", "办事时间缩短一半"),
        ],
    }),
    counted: Some(("案例", "cases")),
};

const HOME: KindSpec = KindSpec {
    key: "home",
    place: Place::Home,
    template: None,
    section: "home",
    in_feed: false,
    searched: false,
    new: None,
    counted: None,
    ..PAGE
};

const SECTION: KindSpec = KindSpec {
    key: "section",
    place: Place::ListIntro,
    template: None,
    in_feed: false,
    searched: false,
    new: None,
    counted: None,
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

    /// How many pages of each kind `kinds` holds, for the build's summary:
    /// "课程 3，…，其他页面 2" / "3 courses, …, 2 other pages".
    pub fn summary(kinds: &[Kind]) -> Text {
        // Plain pages are "the other pages": last.
        let order = Kind::ALL.into_iter().filter(|&k| k != Kind::Page);
        let (mut zh, mut en) = (Vec::new(), Vec::new());
        for kind in order.chain([Kind::Page]) {
            if let Some((zh_name, en_name)) = kind.spec().counted {
                let n = kinds.iter().filter(|&&k| k == kind).count();
                zh.push(format!("{zh_name} {n}"));
                en.push(format!("{n} {en_name}"));
            }
        }
        Text::new(zh.join("，"), en.join(", "))
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
            [folder, _, ..] => Kind::listed_in(folder)
                .filter(|k| k.spec().place == Place::InList)
                .unwrap_or(Kind::Page),
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
        match self.spec().front {
            Front::Own(_, own) => keys.extend_from_slice(own),
            Front::Fields(fields) => keys.extend(fields.iter().map(|f| f.key)),
        }
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

    #[test]
    fn the_example_values_warned_about_are_the_ones_written() {
        for k in Kind::ALL {
            let Some(new) = k.spec().new else { continue };
            let Example::Rows { rows, .. } = new.example else {
                continue;
            };
            for (key, value) in new.examples {
                assert!(
                    rows.iter().any(|(k, v, _)| k == key && v.contains(value)),
                    "{}: the example {key}: {value} is not what `new` writes",
                    k.key()
                );
            }
        }
    }
}
