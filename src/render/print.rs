//! The print view of a course (`/courses/x/print/`, `course_print.html`): the course and
//! every lesson in order on one page, each lesson's quiz answers gathered at the end, so
//! that one print of it is the whole handout. It is in no list, search or sitemap.

use serde::Serialize;

use super::Renderer;
use super::cards::{AttachmentValue, lesson_minutes};
use super::pages::CoursePage;
use crate::content::quiz::KeyEntry;
use crate::site::PageId;

#[derive(Serialize)]
pub(super) struct CoursePrint<'a> {
    course: CoursePage<'a>,
    /// The course's own text, its ids scoped to it.
    course_html: String,
    lessons: Vec<PrintedLesson<'a>>,
    /// Whether any lesson has a quiz, whose answers end the printout.
    has_answer_key: bool,
}

/// One lesson as printed within its course.
#[derive(Serialize)]
struct PrintedLesson<'a> {
    title: &'a str,
    href: String,
    index: usize,
    duration: u32,
    /// The lesson's text, its ids scoped to the lesson (the page holds many).
    body_html: String,
    attachments: Vec<AttachmentValue<'a>>,
    answer_key: &'a [KeyEntry],
}

impl Renderer<'_> {
    pub(super) fn course_print(&self, course: PageId) -> CoursePrint<'_> {
        let s = self.site;
        let lessons = s
            .page(course)
            .node()
            .lessons
            .iter()
            .enumerate()
            .map(|(n, &l)| {
                let p = s.page(l);
                PrintedLesson {
                    title: p.title(),
                    href: self.href(&p.url),
                    index: n + 1,
                    duration: lesson_minutes(p),
                    body_html: scope_ids(&p.md.html, &format!("l{}-", n + 1)),
                    attachments: self.attachments(p),
                    answer_key: &p.md.answer_key,
                }
            });
        let lessons: Vec<PrintedLesson> = lessons.collect();
        CoursePrint {
            course: self.course(course),
            course_html: scope_ids(&s.page(course).md.html, "c-"),
            has_answer_key: lessons.iter().any(|l| !l.answer_key.is_empty()),
            lessons,
        }
    }
}

/// `html` with every id it defines or refers to (headings, footnotes, quiz fields and
/// their labels) prefixed, so that several pages' bodies can share one document.
/// The bodies are the Markdown renderer's own output, in which attributes are written
/// one way (` name="value"`) and text never holds an unescaped quote.
fn scope_ids(html: &str, prefix: &str) -> String {
    const ATTRIBUTES: [&str; 6] = [
        " id=\"",
        " href=\"#",
        " aria-labelledby=\"",
        " aria-describedby=\"",
        " for=\"",
        " name=\"",
    ];
    let mut out = html.to_string();
    for attribute in ATTRIBUTES {
        out = out.replace(attribute, &format!("{attribute}{prefix}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::scope_ids;

    #[test]
    fn ids_and_references_to_them_are_scoped() {
        let html = "<h2 id=\"a\">A</h2><p><a href=\"#a\">x</a> <a href=\"/b/#c\">y</a></p>\
                    <section aria-labelledby=\"quiz-1-title\"><input name=\"quiz-1-1\"></section>";
        assert_eq!(
            scope_ids(html, "l2-"),
            "<h2 id=\"l2-a\">A</h2><p><a href=\"#l2-a\">x</a> <a href=\"/b/#c\">y</a></p>\
             <section aria-labelledby=\"l2-quiz-1-title\"><input name=\"l2-quiz-1-1\"></section>"
        );
    }

    #[test]
    fn text_that_looks_like_an_attribute_is_left_alone() {
        // The renderer escapes quotes in text, so ` id="` cannot occur outside a tag.
        let html = "<p>写成 id=&quot;x&quot; 即可</p>";
        assert_eq!(scope_ids(html, "l1-"), html);
    }
}
