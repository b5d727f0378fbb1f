//! How pages link to each other, in the order it is worked out: pages sorted into their
//! kinds' lists, lessons into their courses, attachments found, lessons ordered, courses
//! named in front matter resolved, lists ordered.

use std::collections::{BTreeMap, HashMap};

use jiff::civil::DateTime;

use super::urls::order_number;
use super::{Attachment, Node, PageId, PageText, Site, Structure};
use crate::content::links;
use crate::content::markdown::Unpublished;
use crate::content::{Kind, Meta, Order, Parsed, Place, Ref};
use crate::diagnostic::{Diagnostic, Text, did_you_mean};

/// A course named in front matter (`prerequisites`, a lecture's `course`).
const COURSE_REF: links::Pointer = links::Pointer {
    target: ("课程", "course"),
    this: ("这一项", "this entry"),
};

/// Links every page of `site`; problems go to `diags`.
pub(super) fn link(
    site: &mut Site,
    unpublished: &HashMap<String, Unpublished>,
    diags: &mut Vec<Diagnostic>,
) {
    let (s, texts) = site.parts_mut();
    let lessons_of = classify(s, texts, diags);
    attach(s, texts, diags);
    super::media::attach(s, texts, diags);
    order_lessons(s, texts, lessons_of);
    resolve_courses(s, texts, unpublished, diags);
    order_lists(s, texts);
}

/// Sorts pages into the home page, list intros and their kinds' lists (in site order),
/// and lessons into the course of their folder. Returns each course's lessons.
fn classify(
    s: &mut Structure,
    texts: &[PageText],
    diags: &mut Vec<Diagnostic>,
) -> BTreeMap<PageId, Vec<PageId>> {
    let course_by_dir: HashMap<&str, PageId> = s
        .nodes
        .iter()
        .zip(texts)
        .enumerate()
        .filter(|(_, (n, _))| n.kind == Kind::Course)
        .map(|(i, (_, t))| (dir_of(&t.src.rel), PageId::at(i)))
        .collect();
    let mut lessons_of: BTreeMap<PageId, Vec<PageId>> = BTreeMap::new();
    for (i, t) in texts.iter().enumerate() {
        let id = PageId::at(i);
        let dir = dir_of(&t.src.rel);
        let kind = s.nodes[i].kind;
        match kind.spec().place {
            Place::Home => s.home = Some(id),
            Place::ListIntro => {
                let kind = Kind::listed_in(dir).expect("a list intro lives in a listed folder");
                s.sections.insert(kind, id);
            }
            Place::Course | Place::InList | Place::Elsewhere => {
                s.by_kind.entry(kind).or_default().push(id);
            }
            Place::Lesson => match course_by_dir.get(dir) {
                Some(&c) => {
                    lessons_of.entry(c).or_default().push(id);
                    s.nodes[i].course = Some(c);
                }
                None => diags.push(no_course(&t.src, dir)),
            },
        }
    }
    lessons_of
}

/// `courses/x/01-a.md` → `courses/x`.
fn dir_of(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(d, _)| d)
}

fn no_course(src: &Parsed, dir: &str) -> Diagnostic {
    Diagnostic::error(
        &src.path,
        1,
        1,
        Text::new(
            format!("课时所在的文件夹 content/{dir}/ 里没有课程文件 index.md"),
            format!("this lesson's folder content/{dir}/ has no course file index.md"),
        ),
    )
    .with_hint(Text::new(
        "在这个文件夹里新建 index.md 写课程信息（title、action、hours），或把课时移到课程文件夹里",
        "add an index.md with the course (title, action, hours) to the folder, or move the lesson into a course folder",
    ))
}

/// Finds the files a lesson's `attachments` and a lecture's `materials` name, in the
/// page's folder.
fn attach(s: &mut Structure, texts: &[PageText], diags: &mut Vec<Diagnostic>) {
    let files_by_rel: HashMap<&str, (&str, u64)> = s
        .files
        .iter()
        .filter(|(a, _)| !a.in_static)
        .map(|(a, url)| (a.rel.as_str(), (url.as_str(), a.size)))
        .collect();
    for (node, t) in s.nodes.iter_mut().zip(texts) {
        let refs: &[Ref] = match &t.src.meta {
            Meta::Lesson(m) => &m.attachments,
            Meta::Lecture(m) => &m.materials,
            Meta::Course(_) | Meta::Case(_) | Meta::Fields(_) => &[],
        };
        let dir = dir_of(&t.src.rel);
        for r in refs {
            let rel = if dir.is_empty() {
                r.target.clone()
            } else {
                format!("{dir}/{}", r.target)
            };
            match files_by_rel.get(rel.as_str()) {
                Some(&(url, size)) => node.attachments.push(Attachment {
                    name: r.target.clone(),
                    url: url.to_string(),
                    ext: r
                        .target
                        .rsplit_once('.')
                        .map_or(String::new(), |(_, e)| e.to_lowercase()),
                    size,
                }),
                None => {
                    let twin = files_by_rel
                        .keys()
                        .find(|k| k.to_lowercase() == rel.to_lowercase());
                    diags.push(missing_attachment(&t.src, r, dir, twin.copied()));
                }
            }
        }
    }
}

/// An attachment that is not there; `twin`: a file whose name differs in case only.
fn missing_attachment(src: &Parsed, r: &Ref, dir: &str, twin: Option<&str>) -> Diagnostic {
    let hint = match twin {
        Some(t) => {
            let name = t.rsplit('/').next().unwrap_or(t);
            Text::new(
                format!("文件名大小写不一致：实际文件是 {name}（网站服务器区分大小写）"),
                format!(
                    "the letter case differs: the file is {name} (web servers are case-sensitive)"
                ),
            )
        }
        None => Text::new(
            format!("把文件放到 content/{dir}/ 里，或改正文件名"),
            format!("put the file in content/{dir}/ or correct its name"),
        ),
    };
    Diagnostic::error(
        &src.path,
        r.line,
        r.column,
        Text::new(
            format!("附件“{}”不存在", r.target),
            format!("attachment `{}` does not exist", r.target),
        ),
    )
    .with_hint(hint)
}

/// Lesson order: weight, then the number in the file name, then the file name.
fn order_lessons(s: &mut Structure, texts: &[PageText], lessons_of: BTreeMap<PageId, Vec<PageId>>) {
    for (course, mut lessons) in lessons_of {
        lessons.sort_by_cached_key(|&l| {
            let p = &texts[l.index()].src;
            (
                p.common.weight.unwrap_or(i64::MAX),
                order_number(&p.rel).unwrap_or(u64::MAX),
                p.rel.as_str(),
            )
        });
        for (n, &l) in lessons.iter().enumerate() {
            let node = &mut s.nodes[l.index()];
            node.prev = n.checked_sub(1).map(|p| lessons[p]);
            node.next = lessons.get(n + 1).copied();
        }
        s.nodes[course.index()].lessons = lessons;
    }
}

/// The file a course reference written in `from` points at: `@/…` from `content/`, else
/// relative to `from`'s folder; a folder stands for its `index.md`.
fn resolve_ref(r: &Ref, from: &Parsed) -> Option<String> {
    let t = r.target.trim();
    let rel = if let Some(rest) = t.strip_prefix("@/") {
        rest.to_string()
    } else {
        let mut parts: Vec<&str> = dir_of(&from.rel)
            .split('/')
            .filter(|s| !s.is_empty())
            .collect();
        for seg in t.split('/') {
            match seg {
                "." | "" => {}
                ".." => {
                    parts.pop()?;
                }
                s => parts.push(s),
            }
        }
        parts.join("/")
    };
    if rel.ends_with(".md") {
        Some(rel)
    } else {
        Some(format!("{}/index.md", rel.trim_end_matches('/')))
    }
}

/// Courses named in front matter: a course's `prerequisites`, a lecture's `course`.
fn resolve_courses(
    s: &mut Structure,
    texts: &[PageText],
    unpublished: &HashMap<String, Unpublished>,
    diags: &mut Vec<Diagnostic>,
) {
    let mut broken = Vec::new();
    for (i, t) in texts.iter().enumerate() {
        let src = &t.src;
        let (refs, is_prereq): (&[Ref], bool) = match &src.meta {
            Meta::Course(m) => (&m.prerequisites, true),
            Meta::Lecture(m) => (m.course.as_slice(), false),
            Meta::Lesson(_) | Meta::Case(_) | Meta::Fields(_) => (&[], false),
        };
        for r in refs {
            let rel = resolve_ref(r, src);
            let target = rel.as_ref().and_then(|rel| s.by_rel.get(rel).copied());
            match target.filter(|&t| s.nodes[t.index()].kind == Kind::Course) {
                Some(t) if is_prereq => s.nodes[i].prerequisites.push(t),
                Some(t) => s.nodes[i].course = Some(t),
                None => match rel.and_then(|rel| unpublished.get(&rel).map(|&w| (rel, w))) {
                    // The course exists but is left out of this build: say why.
                    Some((rel, why)) => {
                        let (message, hint) =
                            links::unpublished_text(COURSE_REF, &r.target, &rel, why);
                        diags.push(
                            Diagnostic::error(&src.path, r.line, r.column, message).with_hint(hint),
                        );
                    }
                    None => broken.push((&src.path, r)),
                },
            }
        }
    }
    if broken.is_empty() {
        return;
    }
    let course_paths: Vec<String> = s
        .of(Kind::Course)
        .iter()
        .map(|&c| format!("@/{}", texts[c.index()].src.rel))
        .collect();
    for (path, r) in broken {
        let guess = did_you_mean(&r.target, course_paths.iter().map(String::as_str));
        diags.push(
            Diagnostic::error(
                path,
                r.line,
                r.column,
                Text::new(
                    format!("找不到课程“{}”", r.target),
                    format!("no course at `{}`", r.target),
                ),
            )
            .with_hint(match guess {
                Some(g) => Text::new(format!("是不是要写 {g}？"), format!("did you mean {g}?")),
                None => Text::new(
                    "写成课程文件的路径，例如 @/courses/dang-shi/index.md",
                    "write the course file's path, e.g. @/courses/party-history/index.md",
                ),
            }),
        );
    }
}

/// Each kind's list in the order its table entry gives ([`Order`]); kinds without a
/// list (plain pages) as they are.
fn order_lists(s: &mut Structure, texts: &[PageText]) {
    let Structure { nodes, by_kind, .. } = s;
    let page = |i: PageId| (&nodes[i.index()], &*texts[i.index()].src);
    for (&kind, list) in by_kind.iter_mut() {
        let Some(spec) = kind.spec().list else {
            continue;
        };
        match spec.order {
            Order::Weight => list.sort_by_cached_key(|&i| {
                let (n, p): (&Node, &Parsed) = page(i);
                (
                    p.common.weight.unwrap_or(i64::MAX),
                    p.common.title.clone(),
                    n.url.clone(),
                )
            }),
            Order::Start => list.sort_by_cached_key(|&i| {
                let (n, p) = page(i);
                let start = match &p.meta {
                    Meta::Lecture(m) => m.start,
                    _ => DateTime::default(),
                };
                (start, n.url.clone())
            }),
            Order::Newest { first } => list.sort_by_cached_key(|&i| {
                let (n, p) = page(i);
                let later = first.is_some_and(|key| !p.meta.flag(key));
                (later, std::cmp::Reverse(p.common.date), n.url.clone())
            }),
        }
    }
}
