//! Rendering: the site model → every output file, in memory. Templates (Tera) get the
//! values described in `themes/default/README.md`; pages render in parallel. Also writes
//! the fingerprinted static files, co-located attachments, feed and sitemap.

pub mod format;
pub mod ics;
pub mod theme;

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, OnceLock};

use rayon::prelude::*;
use serde::Serialize;
use serde_json::{Value, json};
use tera::{Context, Kwargs, State, Tera};

use crate::content::{Kind, Meta, Status};
use crate::diagnostic::{Diagnostic, Text};
use crate::output::{Output, Sink};
use crate::site::{Page, Site};
use format::{date_zh, date_zh_short, iso_date, iso_local, month_key, month_zh, time_range_zh};
pub use theme::Theme;

/// One file the renderer produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Job {
    Home,
    Catalogue,
    Course(usize),
    Lesson(usize),
    Schedule,
    Lecture(usize),
    Cases,
    Case(usize),
    Plain(usize),
    Taxonomy(usize),
    Term(usize, usize),
    Search,
    Study,
    /// The month grid of the schedule: (year, month).
    Month(i16, i8),
    NotFound,
    Atom,
    Sitemap,
}

/// Where a root-relative URL is written: `/courses/x/` → `courses/x/index.html`.
pub fn url_to_path(url: &str) -> String {
    let trimmed = url.trim_start_matches('/');
    if trimmed.is_empty() || trimmed.ends_with('/') {
        format!("{trimmed}index.html")
    } else {
        trimmed.to_string()
    }
}

/// Every job for the site, in a stable order.
pub fn jobs(site: &Site) -> Vec<Job> {
    let mut jobs = vec![
        Job::Home,
        Job::Catalogue,
        Job::Schedule,
        Job::Cases,
        Job::Search,
        Job::Study,
        Job::NotFound,
    ];
    for (i, p) in site.pages.iter().enumerate() {
        match p.kind {
            Kind::Course => jobs.push(Job::Course(i)),
            Kind::Lesson if p.course.is_some() => jobs.push(Job::Lesson(i)),
            Kind::Lecture => jobs.push(Job::Lecture(i)),
            Kind::Case => jobs.push(Job::Case(i)),
            Kind::Page => jobs.push(Job::Plain(i)),
            _ => {}
        }
    }
    for (t, tax) in site.taxonomies.iter().enumerate() {
        if tax.terms.is_empty() {
            continue;
        }
        jobs.push(Job::Taxonomy(t));
        jobs.extend((0..tax.terms.len()).map(|k| Job::Term(t, k)));
    }
    jobs.extend(months(site).into_iter().map(|(y, m)| Job::Month(y, m)));
    jobs.push(Job::Atom);
    jobs.push(Job::Sitemap);
    jobs
}

/// The jobs to render again after an edit, comparing the previous model with the new
/// one page by page; `None` when pages were added, removed or moved (render everything).
/// A change to a page's body alone touches only that page; a change to its front matter
/// touches every list, term and course page, and the pages that show it beside them
/// (the other lessons of its course, lectures of a course).
pub fn affected_jobs(prev: &Site, next: &Site) -> Option<Vec<Job>> {
    if prev.pages.len() != next.pages.len() {
        return None;
    }
    let mut own: Vec<usize> = Vec::new();
    let mut structural = false;
    let mut extra: std::collections::HashSet<usize> = std::collections::HashSet::new();
    for (i, (a, b)) in prev.pages.iter().zip(&next.pages).enumerate() {
        // The same source has the same path: only a new one needs comparing.
        let same_src = std::sync::Arc::ptr_eq(&a.src, &b.src);
        if (!same_src && a.src.rel != b.src.rel) || a.url != b.url {
            return None;
        }
        if same_src {
            continue;
        }
        own.push(i);
        let front_matter_same = format!("{:?}{:?}", a.src.common, a.src.meta)
            == format!("{:?}{:?}", b.src.common, b.src.meta);
        if !front_matter_same {
            structural = true;
            for course in [a.course, b.course]
                .into_iter()
                .flatten()
                .chain(std::iter::once(i))
            {
                extra.extend(next.pages[course].lessons.iter().copied());
                extra.extend(
                    next.lectures
                        .iter()
                        .copied()
                        .filter(|&l| next.pages[l].course == Some(course)),
                );
            }
        }
    }
    let mut out: Vec<Job> = Vec::new();
    if structural {
        out = jobs(next)
            .into_iter()
            .filter(|j| match *j {
                Job::Lesson(i) | Job::Lecture(i) | Job::Case(i) | Job::Plain(i) => {
                    extra.contains(&i) || own.contains(&i)
                }
                _ => true,
            })
            .collect();
    } else {
        for i in own {
            let job = match next.pages[i].kind {
                Kind::Home => Job::Home,
                Kind::Section => match next.pages[i].url.as_str() {
                    "/courses/" => Job::Catalogue,
                    "/lectures/" => Job::Schedule,
                    _ => Job::Cases,
                },
                Kind::Course => Job::Course(i),
                Kind::Lesson => Job::Lesson(i),
                Kind::Lecture => Job::Lecture(i),
                Kind::Case => Job::Case(i),
                Kind::Page => Job::Plain(i),
            };
            out.push(job);
        }
    }
    Some(out)
}

/// What rendering needs that depends only on the theme and `site.yaml`: the compiled
/// templates with their functions, and the published static files. Made once per full
/// build and shared by the rebuilds that change content only.
pub struct Engine {
    tera: Tera,
    /// The theme's static files under their published (fingerprinted) names.
    pub statics: Output,
    ui: BTreeMap<String, String>,
    /// `ui` as a template value.
    ui_value: tera::Value,
    /// The templates rendered once per build (`_once_<name>.html`): (name, template).
    once: Vec<(String, String)>,
    /// The templates rendered once per section (`_per_section_<name>.html`): (name,
    /// template).
    per_section: Vec<(String, String)>,
}

impl Engine {
    pub fn new(config: &crate::Config, theme: &Theme) -> Result<Engine, Vec<Diagnostic>> {
        let mut statics = Output::default();
        // Static files; CSS and JS get a content fingerprint in their name, CSS `url()`s
        // point at the published names (`publish::assets`).
        let published = crate::publish::assets::publish(&theme.statics);
        for (name, bytes) in published.files {
            statics.add(name, bytes);
        }
        let assets = Arc::new(published.urls);
        let mut tera = Tera::new();
        tera.autoescape_on([".html", ".xml", ".htm"]);
        let base = config.base_path.clone();
        tera.register_function(
            "url",
            move |kw: Kwargs, _: &State| -> tera::TeraResult<String> {
                let path: &str = kw.must_get("path")?;
                Ok(join_base(&base, path))
            },
        );
        let base = config.base_path.clone();
        let lookup = Arc::clone(&assets);
        tera.register_function(
            "asset",
            move |kw: Kwargs, _: &State| -> tera::TeraResult<String> {
                let path: &str = kw.must_get("path")?;
                let key = path.trim_start_matches('/');
                match lookup.get(key) {
                    Some(u) => Ok(join_base(&base, u)),
                    None => Err(tera::Error::message(format!(
                        "asset(): no static file `{key}` in the theme"
                    ))),
                }
            },
        );
        let templates = theme
            .templates
            .iter()
            .map(|(name, (text, _))| (name.as_str(), text.as_str()));
        if let Err(e) = tera.add_raw_templates(templates) {
            return Err(vec![template_error("templates/", &e)]);
        }
        let named = |prefix: &str| -> Vec<(String, String)> {
            theme
                .templates
                .keys()
                .filter_map(|t| {
                    let name = t.strip_prefix(prefix)?.strip_suffix(".html")?;
                    Some((name.to_string(), t.clone()))
                })
                .collect()
        };
        Ok(Engine {
            tera,
            statics,
            ui: theme.ui.clone(),
            ui_value: tera::Value::from_serializable(&theme.ui),
            once: named(ONCE_PREFIX),
            per_section: named(PER_SECTION_PREFIX),
        })
    }

    /// Renders `template` with `ctx`; an error names the template's file.
    fn render_partial(&self, template: &str, ctx: &Context) -> Result<String, Diagnostic> {
        self.tera
            .render(template, ctx)
            .map_err(|e| template_error(&format!("templates/{template}"), &e))
    }

    /// Renders each of `templates` ((name, template)) with `ctx`: a map from name to
    /// its output, already HTML.
    fn render_named(
        &self,
        templates: &[(String, String)],
        ctx: &Context,
    ) -> Result<tera::Value, Diagnostic> {
        let mut out = tera::Map::new();
        for (name, template) in templates {
            let html = self.render_partial(template, ctx)?;
            out.insert(name.clone().into(), tera::Value::safe_string(&html));
        }
        Ok(tera::Value::from(out))
    }
}

/// Templates named `_once_<name>.html` do not depend on the page: each is rendered once
/// per build, with the values every template gets, and every page gets its output as
/// `once.<name>` (like Hugo's `partialCached`).
const ONCE_PREFIX: &str = "_once_";

/// Templates named `_per_section_<name>.html` depend only on the page's section and on
/// which navigation item the page is (`nav_page`: that item's URL, or ""): each is
/// rendered once per such pair, and every page gets its output as `per_section.<name>`
/// (the site navigation, which marks the current section).
const PER_SECTION_PREFIX: &str = "_per_section_";

/// Indices into `site.schedule`.
#[derive(Default)]
struct ScheduleIndex {
    /// The sessions of each lecture page.
    sessions_of: HashMap<usize, Vec<usize>>,
    /// The sessions of each day.
    by_day: HashMap<jiff::civil::Date, Vec<usize>>,
}

/// The site being rendered, with the values every page shares.
pub struct Renderer<'a> {
    site: &'a Site,
    engine: Arc<Engine>,
    /// `site`, `ui`, `nav` and `once`, given to every template.
    shared: [(&'static str, tera::Value); 4],
    /// Per taxonomy of `site.taxonomies`, made on first use: term name → (name, url,
    /// count). The indexes below are made on first use too, so that rendering a page
    /// again after an edit builds only what that page shows.
    terms: Vec<OnceLock<HashMap<String, Value>>>,
    /// Indices into `site.schedule`, made on first use.
    schedule_index: OnceLock<ScheduleIndex>,
    /// The lectures that belong to each course, made on first use.
    lectures_of_course: OnceLock<HashMap<usize, Vec<usize>>>,
    /// Positions in `site.cases` of the cases of each topic and of each field.
    cases_by_tag: OnceLock<CasesByTag<'a>>,
    /// Per page, made on first use: its card for lists (course, lecture, case) with the
    /// card already rendered by its partial as `html`, so a list of thousands of entries
    /// costs no template work per entry and a card shown on many pages is made once.
    cards: Vec<OnceLock<tera::Value>>,
    /// Per course, made on first use: its card with its lesson cards as `lessons`.
    course_lessons: Vec<OnceLock<tera::Value>>,
    /// Per course, made on first use: each lesson as a syllabus item (not current,
    /// current).
    syllabus: Vec<OnceLock<Result<Vec<[String; 2]>, Diagnostic>>>,
    /// The URLs of the navigation items.
    nav_urls: Vec<String>,
    /// The `_per_section_` templates' output (`per_section`) per section and navigation
    /// page (a handful of them), made on first use.
    per_section: Mutex<Vec<(String, String, tera::Value)>>,
}

impl<'a> Renderer<'a> {
    /// Fails when a `_once_` template does not render.
    pub fn new(site: &'a Site, engine: Arc<Engine>) -> Result<Renderer<'a>, Diagnostic> {
        let site_value = to_tera(&site_value(site));
        let nav_json = nav(site, &engine.ui);
        let nav_urls = nav_json
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|item| Some(item.get("url")?.as_str()?.to_string()))
            .collect();
        let nav = to_tera(&nav_json);
        let mut c = Context::new();
        c.insert_value("site", site_value.clone());
        c.insert_value("ui", engine.ui_value.clone());
        c.insert_value("nav", nav.clone());
        let once = engine.render_named(&engine.once, &c)?;
        let shared = [
            ("site", site_value),
            ("ui", engine.ui_value.clone()),
            ("nav", nav),
            ("once", once),
        ];
        let n = site.pages.len();
        Ok(Renderer {
            site,
            engine,
            shared,
            terms: site.taxonomies.iter().map(|_| OnceLock::new()).collect(),
            schedule_index: OnceLock::new(),
            lectures_of_course: OnceLock::new(),
            cases_by_tag: OnceLock::new(),
            cards: (0..n).map(|_| OnceLock::new()).collect(),
            course_lessons: (0..n).map(|_| OnceLock::new()).collect(),
            syllabus: (0..n).map(|_| OnceLock::new()).collect(),
            nav_urls,
            per_section: Mutex::new(Vec::new()),
        })
    }

    /// The terms of the taxonomy `key`: name → (name, url, count).
    fn terms(&self, key: &str) -> Option<&HashMap<String, Value>> {
        let t = self.site.taxonomies.iter().rposition(|t| t.key == key)?;
        Some(self.terms[t].get_or_init(|| {
            self.site.taxonomies[t]
                .terms
                .iter()
                .map(|t| {
                    let v = self.term_value(&t.name, &t.url, t.pages.len());
                    (t.name.clone(), v)
                })
                .collect()
        }))
    }

    fn schedule_index(&self) -> &ScheduleIndex {
        self.schedule_index.get_or_init(|| {
            let mut index = ScheduleIndex::default();
            for (n, o) in self.site.schedule.iter().enumerate() {
                index.sessions_of.entry(o.page).or_default().push(n);
                index.by_day.entry(o.start.date()).or_default().push(n);
            }
            index
        })
    }

    /// The first cases (in the site's order, at most [`RELATED_CASES`]) that share a
    /// topic or a field with a course, from lists of the cases by topic and by field
    /// made once: no course page looks at every case.
    fn related_cases(&self, topics: &[String], domains: &[String]) -> Vec<usize> {
        let (by_topic, by_domain) = self.cases_by_tag.get_or_init(|| {
            let mut by_topic: HashMap<&str, Vec<usize>> = HashMap::new();
            let mut by_domain: HashMap<&str, Vec<usize>> = HashMap::new();
            for (n, &k) in self.site.cases.iter().enumerate() {
                if let Meta::Case(cm) = &self.site.page(k).src.meta {
                    for t in &cm.topics {
                        push_once(by_topic.entry(t).or_default(), n);
                    }
                    for d in &cm.domains {
                        push_once(by_domain.entry(d).or_default(), n);
                    }
                }
            }
            (by_topic, by_domain)
        });
        let lists = topics
            .iter()
            .filter_map(|t| by_topic.get(t.as_str()))
            .chain(domains.iter().filter_map(|d| by_domain.get(d.as_str())));
        // Each list is in site order: the first few of each are all the union can need.
        let mut first: Vec<usize> = lists
            .flat_map(|l| l.iter().take(RELATED_CASES).copied())
            .collect();
        first.sort_unstable();
        first.dedup();
        first.truncate(RELATED_CASES);
        first.into_iter().map(|n| self.site.cases[n]).collect()
    }

    fn lectures_of_course(&self) -> &HashMap<usize, Vec<usize>> {
        self.lectures_of_course.get_or_init(|| {
            let mut of: HashMap<usize, Vec<usize>> = HashMap::new();
            for &l in &self.site.lectures {
                if let Some(c) = self.site.page(l).course {
                    of.entry(c).or_default().push(l);
                }
            }
            of
        })
    }

    /// Renders every job in parallel, handing each file to `sink` as soon as it is made.
    /// Returns the template errors (each once), or the first error of the sink.
    pub fn render_all(&self, jobs: &[Job], sink: &dyn Sink) -> std::io::Result<Vec<Diagnostic>> {
        let results: Vec<Option<Diagnostic>> = jobs
            .par_iter()
            .map(|&j| match self.render(j) {
                Ok((path, bytes)) => sink.put(&path, bytes).map(|()| None),
                Err(d) => Ok(Some(d)),
            })
            .collect::<std::io::Result<_>>()?;
        let mut diags: Vec<Diagnostic> = Vec::new();
        // One broken template fails many pages: report each problem once.
        for d in results.into_iter().flatten() {
            if !diags.iter().any(|x| x.message == d.message) {
                diags.push(d);
            }
        }
        Ok(diags)
    }

    /// Renders one job: its output path and bytes.
    pub fn render(&self, job: Job) -> Result<(String, Vec<u8>), Diagnostic> {
        let (url, template, ctx) = self.context(job)?;
        // Straight into bytes: the templates and values are UTF-8 already, so the text
        // needs no second check.
        let mut text = Vec::with_capacity(32 * 1024);
        self.engine
            .tera
            .render_to(template, &ctx, &mut text)
            .map_err(|e| {
                let origin = format!("templates/{template}");
                template_error(&origin, &e)
            })?;
        let path = match job {
            Job::NotFound => "404.html".to_string(),
            Job::Atom => "atom.xml".to_string(),
            Job::Sitemap => "sitemap.xml".to_string(),
            _ => url_to_path(&url),
        };
        Ok((path, text))
    }

    /// The output of the `_per_section_` templates for a page of `section` at
    /// `canonical`, rendered on first use.
    fn per_section(&self, section: &str, canonical: &str) -> Result<tera::Value, Diagnostic> {
        let nav_page = self
            .nav_urls
            .iter()
            .find(|url| *url == canonical)
            .map_or("", String::as_str);
        let known = |(s, n, _): &&(String, String, tera::Value)| s == section && n == nav_page;
        if let Some((_, _, v)) = self.lock_per_section().iter().find(known) {
            return Ok(v.clone());
        }
        let mut c = self.context_with_shared();
        c.insert("section", section);
        c.insert("nav_page", nav_page);
        let value = self.engine.render_named(&self.engine.per_section, &c)?;
        self.lock_per_section()
            .push((section.to_string(), nav_page.to_string(), value.clone()));
        Ok(value)
    }

    fn lock_per_section(&self) -> std::sync::MutexGuard<'_, Vec<(String, String, tera::Value)>> {
        // The list only ever gains finished entries: a panic elsewhere cannot leave it
        // half-written.
        self.per_section
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// A template context holding the values every page shares.
    fn context_with_shared(&self) -> Context {
        let mut c = Context::new();
        for (key, value) in &self.shared {
            c.insert_value(*key, value.clone());
        }
        c
    }

    fn context(&self, job: Job) -> Result<(String, &'static str, Context), Diagnostic> {
        let s = self.site;
        let mut c = self.context_with_shared();
        let (url, template, section, title): (String, &'static str, &str, String) = match job {
            Job::Home => {
                let home = s.home.map(|h| s.page(h));
                // A site without content/_index.md still gets a home page.
                let page = home.map(|p| self.page_value(p)).unwrap_or_else(|| {
                    json!({"id": "home", "title": s.config.title, "url": "/", "summary": "", "content_html": "",
                           "toc": [], "date": "", "date_zh": "", "updated": "", "updated_zh": "", "reading_minutes": 0, "tags": []})
                });
                c.insert("page", &page);
                let now = s.now;
                let upcoming: Vec<Value> = s
                    .schedule
                    .iter()
                    .filter(|o| o.end >= now)
                    .take(6)
                    .map(|o| self.lecture_card_at(o.page, o.start, o.end))
                    .collect();
                let mut newest = s.courses.clone();
                newest.sort_by_key(|&a| std::cmp::Reverse(s.page(a).src.common.date));
                c.insert("upcoming", &upcoming);
                c.insert_value("new_courses", self.cards(newest.iter().take(6)));
                c.insert_value("featured_cases", self.cards(s.cases.iter().take(4)));
                let lessons: usize = s.courses.iter().map(|&i| s.page(i).lessons.len()).sum();
                c.insert(
                    "totals",
                    &json!({
                        "courses": s.courses.len(), "lessons": lessons, "lectures": s.lectures.len(),
                        "cases": s.cases.len(), "hours": format::hours(total_hours(s, &s.courses)),
                    }),
                );
                ("/".into(), "index.html", "home", String::new())
            }
            Job::Catalogue => {
                c.insert_value("courses", self.cards(&s.courses));
                c.insert("total_hours", &format::hours(total_hours(s, &s.courses)));
                c.insert(
                    "facets",
                    &json!({
                        "action": self.facet("action"), "level": self.facet("level"),
                        "domain": self.facet("domain"), "topics": self.facet("topics"),
                    }),
                );
                self.intro(&mut c, "courses");
                (
                    "/courses/".into(),
                    "courses.html",
                    "courses",
                    self.ui("nav_courses", "课程"),
                )
            }
            Job::Course(i) => {
                let p = s.page(i);
                c.insert("course", &self.course_full(i));
                (
                    p.url.clone(),
                    "course.html",
                    "courses",
                    p.title().to_string(),
                )
            }
            Job::Lesson(i) => {
                let p = s.page(i);
                let course = p.course.unwrap_or(i);
                let index = s
                    .page(course)
                    .lessons
                    .iter()
                    .position(|&l| l == i)
                    .unwrap_or(0);
                let lesson = LessonPage {
                    page: self.page_fields(p),
                    href: self.href(&p.url),
                    duration: lesson_minutes(p),
                    weight: p.src.common.weight.unwrap_or(0),
                    index: index + 1,
                    attachments: self.attachments(p),
                    has_quiz: p.md.quizzes > 0,
                };
                c.insert("lesson", &lesson);
                c.insert_value("course", self.course_with_lessons(course));
                c.insert_value("syllabus_html", self.syllabus_html(course, index)?);
                c.insert("prev", &p.prev.map(|x| self.link(s.page(x))));
                c.insert("next", &p.next.map(|x| self.link(s.page(x))));
                (
                    p.url.clone(),
                    "lesson.html",
                    "courses",
                    p.title().to_string(),
                )
            }
            Job::Schedule => {
                let now = s.now;
                let (upcoming, past): (Vec<&crate::site::Occurrence>, Vec<_>) =
                    s.schedule.iter().partition(|o| o.end >= now);
                let mut months: Vec<(String, String, Vec<tera::Value>)> = Vec::new();
                for o in past.iter().rev() {
                    let key = month_key(o.start.date());
                    if months.last().is_none_or(|(k, _, _)| *k != key) {
                        months.push((key, month_zh(o.start.date()), Vec::new()));
                    }
                    if let Some(last) = months.last_mut() {
                        last.2.push(self.occurrence_card(o));
                    }
                }
                c.insert_value(
                    "upcoming",
                    tera::Value::from(
                        upcoming
                            .iter()
                            .map(|o| self.occurrence_card(o))
                            .collect::<Vec<_>>(),
                    ),
                );
                c.insert_value(
                    "past_months",
                    tera::Value::from(
                        months
                            .into_iter()
                            .map(|(m, z, l)| {
                                let mut v = tera::Map::new();
                                v.insert("month".into(), m.into());
                                v.insert("month_zh".into(), z.into());
                                v.insert("lectures".into(), l.into());
                                tera::Value::from(v)
                            })
                            .collect::<Vec<_>>(),
                    ),
                );
                let series: Vec<Value> = self
                    .facet("series")
                    .into_iter()
                    .map(|mut t| {
                        let ics = t["url"].as_str().map(ics::series_url);
                        merge(&mut t, json!({ "ics_url": ics }));
                        t
                    })
                    .collect();
                c.insert("series", &series);
                let (y, m) = (s.now.date().year(), s.now.date().month());
                c.insert("month_url", &month_url(y, m));
                c.insert("calendar_url", ics::ALL);
                // Calendar apps subscribe to an absolute address only: offer webcal:// and
                // https:// when base_url is absolute, else the template explains.
                let absolute = s.config.absolute(ics::ALL);
                let webcal = absolute.as_ref().map(|u| {
                    let rest = u.split_once("://").map_or(u.as_str(), |(_, r)| r);
                    format!("webcal://{rest}")
                });
                c.insert(
                    "subscribe",
                    &json!({"absolute": absolute, "webcal": webcal}),
                );
                self.intro(&mut c, "lectures");
                (
                    "/lectures/".into(),
                    "lectures.html",
                    "lectures",
                    self.ui("nav_lectures", "讲座安排"),
                )
            }
            Job::Lecture(i) => {
                let p = s.page(i);
                // A lecture is dated by its session, not by the `date:` of its front
                // matter (which `new` fills with the day the file was written).
                let mut page = self.page_fields(p);
                if let Some(o) = self.shown_session(i) {
                    page.date = iso_date(o.start.date());
                    page.date_zh = date_zh(o.start.date());
                }
                let lecture = LecturePage {
                    card: self.lecture_card(i),
                    page,
                    course: p.course.map(|x| self.link(s.page(x))),
                    materials: self.attachments(p),
                    ics_url: ics::event_url(&p.url),
                    sessions: self.sessions(i),
                    repeat_zh: repeat_zh(p),
                };
                c.insert("lecture", &lecture);
                (
                    p.url.clone(),
                    "lecture.html",
                    "lectures",
                    p.title().to_string(),
                )
            }
            Job::Cases => {
                c.insert_value("cases", self.cards(&s.cases));
                c.insert(
                    "facets",
                    &json!({"unit": self.facet("unit_cases"), "domain": self.facet("domain_cases"), "topics": self.facet("topics_cases")}),
                );
                self.intro(&mut c, "cases");
                (
                    "/cases/".into(),
                    "cases.html",
                    "cases",
                    self.ui("nav_cases", "案例"),
                )
            }
            Job::Case(i) => {
                let p = s.page(i);
                let case = CasePage {
                    card: self.case_card(i),
                    page: self.page_fields(p),
                    outcomes: match &p.src.meta {
                        Meta::Case(m) => Some(&m.outcomes),
                        _ => None,
                    },
                };
                c.insert("case", &case);
                (p.url.clone(), "case.html", "cases", p.title().to_string())
            }
            Job::Plain(i) => {
                let p = s.page(i);
                c.insert("page", &self.page_value(p));
                let section = if p.url == "/about/" { "about" } else { "" };
                (p.url.clone(), "page.html", section, p.title().to_string())
            }
            Job::Taxonomy(t) => {
                let tax = &s.taxonomies[t];
                let terms: Vec<Value> = tax
                    .terms
                    .iter()
                    .map(|x| self.term_value(&x.name, &x.url, x.pages.len()))
                    .collect();
                c.insert(
                    "taxonomy",
                    &json!({"key": tax.key, "title": tax.title, "url": tax.url, "terms": terms}),
                );
                (tax.url.clone(), "taxonomy.html", "", tax.title.clone())
            }
            Job::Term(t, k) => {
                let tax = &s.taxonomies[t];
                let term = &tax.terms[k];
                c.insert(
                    "taxonomy",
                    &json!({"key": tax.key, "title": tax.title, "url": tax.url}),
                );
                let ics_url = (tax.key == "series").then(|| ics::series_url(&term.url));
                let mut term_value = self.term_value(&term.name, &term.url, term.pages.len());
                merge(&mut term_value, json!({ "ics_url": ics_url }));
                c.insert("term", &term_value);
                let of = |kind: Kind| {
                    term.pages
                        .iter()
                        .copied()
                        .filter(move |&i| s.page(i).kind == kind)
                };
                c.insert_value("courses", self.cards(&of(Kind::Course).collect::<Vec<_>>()));
                c.insert_value(
                    "lectures",
                    self.cards(&of(Kind::Lecture).collect::<Vec<_>>()),
                );
                c.insert_value("cases", self.cards(&of(Kind::Case).collect::<Vec<_>>()));
                c.insert(
                    "lessons",
                    &of(Kind::Lesson)
                        .map(|i| self.link(s.page(i)))
                        .collect::<Vec<_>>(),
                );
                c.insert(
                    "pages",
                    &of(Kind::Page)
                        .map(|i| self.link(s.page(i)))
                        .collect::<Vec<_>>(),
                );
                (
                    term.url.clone(),
                    "term.html",
                    "",
                    format!("{}：{}", tax.title, term.name),
                )
            }
            Job::Month(y, m) => {
                c.insert_value("month", self.month_grid(y, m));
                let title = format!("{}年{}月", y, m);
                (month_url(y, m), "month.html", "lectures", title)
            }
            Job::Search => (
                "/search/".into(),
                "search.html",
                "search",
                self.ui("nav_search", "搜索"),
            ),
            Job::Study => {
                let courses: Vec<tera::Value> = s
                    .courses
                    .iter()
                    .map(|&i| self.course_with_lessons(i))
                    .collect();
                c.insert_value("courses", tera::Value::from(courses));
                (
                    "/study/".into(),
                    "study.html",
                    "study",
                    self.ui("nav_study", "我的学习"),
                )
            }
            Job::NotFound => (
                "/404.html".into(),
                "404.html",
                "",
                self.ui("not_found_title", "页面不存在"),
            ),
            Job::Atom => {
                let mut entries: Vec<usize> = s
                    .pages
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| {
                        matches!(
                            p.kind,
                            Kind::Course | Kind::Lesson | Kind::Lecture | Kind::Case | Kind::Page
                        )
                    })
                    .map(|(i, _)| i)
                    .collect();
                entries.sort_by(|&a, &b| {
                    (updated(s.page(b)), &s.page(a).url).cmp(&(updated(s.page(a)), &s.page(b).url))
                });
                entries.truncate(50);
                let list: Vec<Value> = entries
                    .iter()
                    .map(|&i| {
                        let p = s.page(i);
                        json!({"title": p.title(), "url": self.abs(&p.url), "updated": rfc3339(updated(p)), "summary": p.src.common.summary})
                    })
                    .collect();
                let latest = entries
                    .first()
                    .map(|&i| rfc3339(updated(s.page(i))))
                    .unwrap_or_else(|| rfc3339(None));
                c.insert("entries", &list);
                c.insert("updated", &latest);
                c.insert("feed_url", &self.abs("/atom.xml"));
                c.insert("site_url", &self.abs("/"));
                ("/atom.xml".into(), "atom.xml", "", String::new())
            }
            Job::Sitemap => {
                let mut list: Vec<SitemapEntry> = jobs(s)
                    .into_iter()
                    .filter(|j| !matches!(j, Job::Atom | Job::Sitemap | Job::NotFound))
                    .map(|j| {
                        let (url, date) = self.url_and_date(j);
                        SitemapEntry {
                            url: self.abs(&url),
                            updated: date.map(iso_date).unwrap_or_default(),
                        }
                    })
                    .collect();
                list.sort_by(|a, b| a.url.cmp(&b.url));
                c.insert("entries", &list);
                c.insert("site_url", &self.abs("/"));
                ("/sitemap.xml".into(), "sitemap.xml", "", String::new())
            }
        };
        c.insert_value("per_section", self.per_section(section, &url)?);
        c.insert("section", section);
        c.insert("page_title", &title);
        c.insert("canonical", &url);
        Ok((url, template, c))
    }

    fn url_and_date(&self, job: Job) -> (String, Option<jiff::civil::Date>) {
        let s = self.site;
        match job {
            Job::Course(i) | Job::Lesson(i) | Job::Lecture(i) | Job::Case(i) | Job::Plain(i) => {
                (s.page(i).url.clone(), updated(s.page(i)))
            }
            Job::Home => ("/".into(), None),
            Job::Catalogue => ("/courses/".into(), None),
            Job::Schedule => ("/lectures/".into(), None),
            Job::Cases => ("/cases/".into(), None),
            Job::Search => ("/search/".into(), None),
            Job::Month(y, m) => (month_url(y, m), None),
            Job::Study => ("/study/".into(), None),
            Job::Taxonomy(t) => (s.taxonomies[t].url.clone(), None),
            Job::Term(t, k) => (s.taxonomies[t].terms[k].url.clone(), None),
            Job::NotFound | Job::Atom | Job::Sitemap => (String::new(), None),
        }
    }

    /// A taxonomy term: `{name, url, href, count}`.
    fn term_value(&self, name: &str, url: &str, count: usize) -> Value {
        json!({"name": name, "url": url, "href": self.href(url), "count": count})
    }

    /// A page as a link: `{title, url, href}`.
    fn link(&self, p: &Page) -> Value {
        json!({"title": p.title(), "url": p.url, "href": self.href(&p.url)})
    }

    /// `url` with the base path in front, what `url(path=…)` returns in a template.
    fn href(&self, url: &str) -> String {
        join_base(&self.site.config.base_path, url)
    }

    /// Absolute URL when the site has an origin, else the base-path URL.
    fn abs(&self, path: &str) -> String {
        self.site
            .config
            .absolute(path)
            .unwrap_or_else(|| self.site.config.url(path))
    }

    fn ui(&self, key: &str, fallback: &str) -> String {
        self.engine
            .ui
            .get(key)
            .cloned()
            .unwrap_or_else(|| fallback.to_string())
    }

    fn intro(&self, c: &mut Context, section: &str) {
        let page = self.site.sections.get(section).map(|&i| self.site.page(i));
        c.insert(
            "intro_html",
            &page.map(|p| p.md.html.clone()).unwrap_or_default(),
        );
        if let Some(p) = page {
            c.insert("section_title", p.title());
        }
    }

    fn term(&self, key: &'static str, name: &str) -> Value {
        self.term_ref(key, name).into_owned()
    }

    /// The term `name` of the taxonomy `key`, borrowed from the terms made once.
    fn term_ref(&self, key: &'static str, name: &str) -> Cow<'_, Value> {
        match self.terms(key).and_then(|terms| terms.get(name)) {
            Some(v) => Cow::Borrowed(v),
            None => Cow::Owned(self.term_value(name, "", 0)),
        }
    }

    fn terms_of(&self, key: &'static str, names: &[String]) -> Vec<Value> {
        names.iter().map(|n| self.term(key, n)).collect()
    }

    /// Terms of a taxonomy with counts, for filters. `<key>_cases` counts case studies only.
    fn facet(&self, key: &str) -> Vec<Value> {
        let s = self.site;
        let (tax_key, only) = match key.strip_suffix("_cases") {
            Some(k) => (k, Some(Kind::Case)),
            None if matches!(key, "action" | "level" | "domain" | "topics") => {
                (key, Some(Kind::Course))
            }
            None => (key, None),
        };
        let Some(tax) = s.taxonomies.iter().find(|t| t.key == tax_key) else {
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

    fn page_value(&self, p: &Page) -> Value {
        serde_json::to_value(self.page_fields(p)).unwrap_or_default()
    }

    /// The values of a page itself, borrowed from the model.
    fn page_fields<'p>(&'p self, p: &'p Page) -> PageFields<'p> {
        let c = &p.src.common;
        PageFields {
            id: &p.id,
            title: &c.title,
            url: &p.url,
            summary: &c.summary,
            content_html: &p.md.html,
            toc: &p.md.toc,
            date: c.date.map(iso_date).unwrap_or_default(),
            date_zh: c.date.map(date_zh_short).unwrap_or_default(),
            updated: c.updated.map(iso_date).unwrap_or_default(),
            updated_zh: c.updated.map(date_zh_short).unwrap_or_default(),
            reading_minutes: p.reading_minutes,
            tags: c.tags.iter().map(|n| self.term_ref("tags", n)).collect(),
        }
    }

    /// The cards of `pages`, as one template value.
    fn cards<'i>(&self, pages: impl IntoIterator<Item = &'i usize>) -> tera::Value {
        tera::Value::from(pages.into_iter().map(|&i| self.card(i)).collect::<Vec<_>>())
    }

    /// The list card of page `i`, with `html`: the card rendered by its partial. When the
    /// partial fails, `html` is left out and lists include the partial themselves, so the
    /// error is reported with the page that shows it.
    fn card(&self, i: usize) -> tera::Value {
        self.cards[i]
            .get_or_init(|| {
                let (v, partial, name) = match self.site.page(i).kind {
                    Kind::Course => (self.course_card(i), "_course_card.html", "c"),
                    Kind::Lecture => (self.lecture_card(i), "_lecture_card.html", "l"),
                    Kind::Case => (self.case_card(i), "_case_card.html", "k"),
                    _ => (Value::Null, "", ""),
                };
                let card = to_tera(&v);
                if v.is_null() {
                    return card;
                }
                let mut ctx = self.context_with_shared();
                ctx.insert_value(name, card.clone());
                match self.engine.tera.render(partial, &ctx) {
                    Ok(html) => with_value(card, "html", tera::Value::from(html)),
                    Err(_) => card,
                }
            })
            .clone()
    }

    /// A course's card with its lesson cards as `lessons`, made once.
    fn course_with_lessons(&self, course: usize) -> tera::Value {
        self.course_lessons[course]
            .get_or_init(|| {
                let mut v = self.course_card(course);
                merge(&mut v, json!({"lessons": self.lesson_cards(course)}));
                to_tera(&v)
            })
            .clone()
    }

    fn course_card(&self, i: usize) -> Value {
        let p = self.site.page(i);
        let Meta::Course(m) = &p.src.meta else {
            return Value::Null;
        };
        let minutes: u32 = p
            .lessons
            .iter()
            .map(|&l| lesson_minutes(self.site.page(l)))
            .sum();
        json!({
            "id": p.id,
            "title": p.title(),
            "url": p.url,
            "href": self.href(&p.url),
            "summary": p.src.common.summary,
            "action": self.term("action", &m.action),
            "levels": self.terms_of("level", &m.levels),
            "domains": self.terms_of("domain", &m.domains),
            "topics": self.terms_of("topics", &m.topics),
            "hours": format::hours(m.hours),
            "hours_value": m.hours,
            "required": m.required,
            "unit": m.unit.as_ref().map(|u| self.term("unit", u)),
            "lesson_count": p.lessons.len(),
            "minutes": minutes,
            "date": p.src.common.date.map(iso_date).unwrap_or_default(),
            "date_zh": p.src.common.date.map(date_zh_short).unwrap_or_default(),
        })
    }

    fn course_full(&self, i: usize) -> Option<CoursePage<'_>> {
        let s = self.site;
        let p = s.page(i);
        let Meta::Course(m) = &p.src.meta else {
            return None;
        };
        let related_lectures = self
            .lectures_of_course()
            .get(&i)
            .into_iter()
            .flatten()
            .map(|&l| self.card(l))
            .collect();
        let related_cases = self
            .related_cases(&m.topics, &m.domains)
            .into_iter()
            .map(|k| self.card(k))
            .collect();
        Some(CoursePage {
            card: self.course_card(i),
            page: self.page_fields(p),
            objectives: &m.objectives,
            prerequisites: p
                .prerequisites
                .iter()
                .map(|&x| self.link(s.page(x)))
                .collect(),
            instructors: m
                .instructors
                .iter()
                .map(|n| self.term_ref("speaker", n))
                .collect(),
            lessons: self.lesson_cards(i),
            related_lectures,
            related_cases,
        })
    }

    /// The syllabus beside lesson `index` of `course`: every lesson of the course
    /// rendered by `_syllabus_item.html` (with `item`, its LessonCard, and `current`),
    /// one after the other. Each lesson is rendered once as current and once not.
    fn syllabus_html(&self, course: usize, index: usize) -> Result<tera::Value, Diagnostic> {
        let items = self.syllabus[course].get_or_init(|| {
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
                    let item = to_tera(card);
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

    fn lesson_cards(&self, course: usize) -> Vec<Value> {
        self.site
            .page(course)
            .lessons
            .iter()
            .enumerate()
            .map(|(n, &l)| self.lesson_card(l, n))
            .collect()
    }

    fn lesson_card(&self, i: usize, index: usize) -> Value {
        let p = self.site.page(i);
        json!({
            "id": p.id,
            "title": p.title(),
            "url": p.url,
            "href": self.href(&p.url),
            "summary": p.src.common.summary,
            "duration": lesson_minutes(p),
            "weight": p.src.common.weight.unwrap_or(0),
            "index": index + 1,
        })
    }

    /// One session in the schedule: the lecture's list card (made once, with its
    /// `html`) when it is the lecture's only session, else a card of its own.
    fn occurrence_card(&self, o: &crate::site::Occurrence) -> tera::Value {
        let sessions = self.schedule_index().sessions_of.get(&o.page);
        if sessions.is_some_and(|n| n.len() == 1) {
            self.card(o.page)
        } else {
            to_tera(&self.lecture_card_at(o.page, o.start, o.end))
        }
    }

    /// A lecture as listed: a series shows its next session (or its last one when over).
    fn lecture_card(&self, i: usize) -> Value {
        match self.shown_session(i) {
            Some(o) => self.lecture_card_at(i, o.start, o.end),
            None => Value::Null,
        }
    }

    /// The session a lecture is shown by: its next one, or its last when all are over.
    fn shown_session(&self, i: usize) -> Option<&'a crate::site::Occurrence> {
        let s = self.site;
        let mine = self
            .schedule_index()
            .sessions_of
            .get(&i)
            .into_iter()
            .flatten()
            .map(|&n| &s.schedule[n]);
        mine.clone()
            .find(|o| o.end >= s.now)
            .or_else(|| mine.clone().next_back())
    }

    /// One month of the schedule as weeks of days (Monday first), each day with its
    /// sessions, and links to the neighbouring months that have pages. A lecture with
    /// one session is shown by its list card (made once).
    fn month_grid(&self, y: i16, m: i8) -> tera::Value {
        use jiff::civil::Date;
        let s = self.site;
        let Ok(first) = Date::new(y, m, 1) else {
            return tera::Value::from(());
        };
        let offset = i64::from(first.weekday().to_monday_zero_offset());
        let start = first.saturating_sub(jiff::Span::new().days(offset));
        let today = s.now.date();
        let mut weeks = Vec::new();
        let mut day = start;
        let mut count = 0;
        loop {
            let mut week = Vec::new();
            for _ in 0..7 {
                let lectures: Vec<tera::Value> = self
                    .schedule_index()
                    .by_day
                    .get(&day)
                    .into_iter()
                    .flatten()
                    .map(|&n| self.occurrence_card(&s.schedule[n]))
                    .collect();
                if day.month() == m {
                    count += lectures.len();
                }
                let cell = json!({
                    "day": day.day(), "date": iso_date(day), "date_zh": date_zh(day),
                    "in_month": day.month() == m, "today": day == today,
                });
                week.push(with_value(
                    to_tera(&cell),
                    "lectures",
                    tera::Value::from(lectures),
                ));
                day = day.saturating_add(jiff::Span::new().days(1));
            }
            weeks.push(tera::Value::from(week));
            if day.month() != m || day.year() != y {
                break;
            }
        }
        let all = months(s);
        let pos = all.iter().position(|&x| x == (y, m));
        let link = |i: Option<usize>| {
            i.and_then(|i| all.get(i)).map(|&(yy, mm)| {
                let url = month_url(yy, mm);
                json!({"href": self.href(&url), "url": url, "title": format!("{yy}年{mm}月")})
            })
        };
        let month = json!({
            "key": format!("{y}-{m:02}"),
            "title": format!("{y}年{m}月"),
            "weekdays": ["周一", "周二", "周三", "周四", "周五", "周六", "周日"],
            "prev": link(pos.and_then(|p| p.checked_sub(1))),
            "next": link(pos.map(|p| p + 1)),
            "count": count,
        });
        with_value(to_tera(&month), "weeks", tera::Value::from(weeks))
    }

    /// Every session of a lecture with its date, for the lecture page.
    fn sessions(&self, i: usize) -> Vec<Value> {
        let now = self.site.now;
        let schedule = &self.site.schedule;
        self.schedule_index()
            .sessions_of
            .get(&i)
            .into_iter()
            .flatten()
            .map(|&n| &schedule[n])
            .map(|o| {
                json!({
                    "start": iso_local(o.start), "end": iso_local(o.end),
                    "date_zh": date_zh(o.start.date()), "time_zh": time_range_zh(o.start, o.end),
                    "upcoming": o.end >= now,
                })
            })
            .collect()
    }

    fn lecture_card_at(
        &self,
        i: usize,
        start: jiff::civil::DateTime,
        end: jiff::civil::DateTime,
    ) -> Value {
        let s = self.site;
        let p = s.page(i);
        let Meta::Lecture(m) = &p.src.meta else {
            return Value::Null;
        };
        let now = s.now;
        let week_start = now.date().saturating_sub(
            jiff::Span::new().days(i64::from(now.date().weekday().to_monday_zero_offset())),
        );
        let week_end = week_start.saturating_add(jiff::Span::new().days(7));
        let this_week = start.date() >= week_start && start.date() < week_end;
        let status_zh = match m.status {
            Status::Scheduled => "",
            Status::Postponed => "已延期",
            Status::Cancelled => "已取消",
        };
        json!({
            "id": p.id,
            "title": p.title(),
            "url": p.url,
            "href": self.href(&p.url),
            "summary": p.src.common.summary,
            "series": if m.series.is_empty() { Value::Null } else { self.term("series", &m.series) },
            "start": iso_local(start),
            "end": iso_local(end),
            "date_zh": date_zh(start.date()),
            "time_zh": time_range_zh(start, end),
            "month": month_key(start.date()),
            "month_zh": month_zh(start.date()),
            "repeats": m.repeat.is_some(),
            "location": m.location,
            "speaker": m.speaker.as_ref().map(|x| self.term("speaker", x)),
            "speaker_title": m.speaker_title,
            "unit": m.unit.as_ref().map(|u| self.term("unit", u)),
            "audience": m.audience,
            "status": m.status.key(),
            "status_zh": status_zh,
            "upcoming": end >= now,
            "this_week": this_week,
        })
    }

    fn case_card(&self, i: usize) -> Value {
        let p = self.site.page(i);
        let Meta::Case(m) = &p.src.meta else {
            return Value::Null;
        };
        json!({
            "id": p.id,
            "title": p.title(),
            "url": p.url,
            "href": self.href(&p.url),
            "summary": p.src.common.summary,
            "unit": self.term("unit", &m.unit),
            "author": m.author,
            "domains": self.terms_of("domain", &m.domains),
            "region": m.region,
            "date": p.src.common.date.map(iso_date).unwrap_or_default(),
            "date_zh": p.src.common.date.map(date_zh_short).unwrap_or_default(),
            "topics": self.terms_of("topics", &m.topics),
        })
    }

    fn attachments(&self, p: &Page) -> Vec<Value> {
        p.attachments
            .iter()
            .map(|a| json!({"name": a.name, "url": a.url, "ext": a.ext, "size": format::size_human(a.size)}))
            .collect()
    }
}

/// `/lectures/2026-11/`
pub fn month_url(y: i16, m: i8) -> String {
    format!("/lectures/{y}-{m:02}/")
}

/// Every month from the first session to the last, and the current month.
pub fn months(site: &Site) -> Vec<(i16, i8)> {
    let now = site.now.date();
    let dates = site
        .schedule
        .iter()
        .map(|o| o.start.date())
        .chain(std::iter::once(now));
    let (Some(first), Some(last)) = (dates.clone().min(), dates.max()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let (mut y, mut m) = (first.year(), first.month());
    while (y, m) <= (last.year(), last.month()) {
        out.push((y, m));
        (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    }
    out
}

/// 每周五 / 每月第三个周四 …, how a series repeats, in words.
fn repeat_zh(p: &Page) -> String {
    use crate::recurrence::{DayRule, Frequency};
    let Meta::Lecture(m) = &p.src.meta else {
        return String::new();
    };
    let Some(r) = &m.repeat else {
        return String::new();
    };
    let every = match (r.frequency, r.interval) {
        (Frequency::Weekly, 1) => "每周".to_string(),
        (Frequency::Weekly, n) => format!("每 {n} 周"),
        (Frequency::Monthly, 1) => "每月".to_string(),
        (Frequency::Monthly, n) => format!("每 {n} 个月"),
    };
    let day = match r.day {
        DayRule::Weekday(w) => format::weekday_zh(w).to_string(),
        DayRule::MonthDay(d) => format!("{d} 日"),
        DayRule::NthWeekday { nth: -1, weekday } => {
            format!("最后一个{}", format::weekday_zh(weekday))
        }
        DayRule::NthWeekday { nth, weekday } => {
            format!("第 {nth} 个{}", format::weekday_zh(weekday))
        }
    };
    format!("{every}{day} {}", format::hhmm(m.start))
}

fn lesson_minutes(p: &Page) -> u32 {
    match &p.src.meta {
        Meta::Lesson(m) => m.duration.unwrap_or(0),
        _ => 0,
    }
}

fn total_hours(site: &Site, courses: &[usize]) -> f64 {
    courses
        .iter()
        .map(|&i| match &site.page(i).src.meta {
            Meta::Course(m) => m.hours,
            _ => 0.0,
        })
        .sum()
}

fn updated(p: &Page) -> Option<jiff::civil::Date> {
    let c = &p.src.common;
    c.updated.or(c.date).or(match &p.src.meta {
        Meta::Lecture(m) => Some(m.start.date()),
        _ => None,
    })
}

/// RFC 3339 at midnight UTC+8 of a date, for feeds. Without a date: a fixed epoch, so
/// output never depends on the clock.
fn rfc3339(d: Option<jiff::civil::Date>) -> String {
    match d {
        Some(d) => format!("{}T00:00:00+08:00", iso_date(d)),
        None => "2000-01-01T00:00:00+08:00".into(),
    }
}

fn to_tera(v: &Value) -> tera::Value {
    tera::Value::try_from_serializable(v).unwrap_or_else(|_| tera::Value::from(()))
}

/// An entry of `sitemap.xml`.
#[derive(Serialize)]
struct SitemapEntry {
    url: String,
    updated: String,
}

/// A page's own values, given to its template (as part of `lesson`, `lecture`, `case`
/// or `page`) without an intermediate JSON value.
#[derive(Serialize)]
struct PageFields<'a> {
    id: &'a str,
    title: &'a str,
    url: &'a str,
    summary: &'a str,
    content_html: &'a str,
    toc: &'a [crate::content::markdown::TocItem],
    date: String,
    date_zh: String,
    updated: String,
    updated_zh: String,
    reading_minutes: u32,
    tags: Vec<Cow<'a, Value>>,
}

/// `lesson` in `lesson.html`: its LessonCard with its page's values.
#[derive(Serialize)]
struct LessonPage<'a> {
    #[serde(flatten)]
    page: PageFields<'a>,
    href: String,
    duration: u32,
    weight: i64,
    index: usize,
    attachments: Vec<Value>,
    has_quiz: bool,
}

/// `lecture` in `lecture.html`: its LectureCard with its page's values (which win).
#[derive(Serialize)]
struct LecturePage<'a> {
    #[serde(flatten)]
    card: Value,
    #[serde(flatten)]
    page: PageFields<'a>,
    course: Option<Value>,
    materials: Vec<Value>,
    ics_url: String,
    sessions: Vec<Value>,
    repeat_zh: String,
}

/// `course` in `course.html`: its CourseCard with its page's values (which win); the
/// related lectures and cases are their list cards (made once, with `html`).
#[derive(Serialize)]
struct CoursePage<'a> {
    #[serde(flatten)]
    card: Value,
    #[serde(flatten)]
    page: PageFields<'a>,
    objectives: &'a [String],
    prerequisites: Vec<Value>,
    instructors: Vec<Cow<'a, Value>>,
    lessons: Vec<Value>,
    related_lectures: Vec<tera::Value>,
    related_cases: Vec<tera::Value>,
}

/// `case` in `case.html`: its CaseCard with its page's values (which win).
#[derive(Serialize)]
struct CasePage<'a> {
    #[serde(flatten)]
    card: Value,
    #[serde(flatten)]
    page: PageFields<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    outcomes: Option<&'a Vec<String>>,
}

/// Related cases a course page lists.
const RELATED_CASES: usize = 6;

/// Cases by topic and by field: positions in `site.cases`, in order.
type CasesByTag<'a> = (HashMap<&'a str, Vec<usize>>, HashMap<&'a str, Vec<usize>>);

/// Appends `n` unless it is already last (a case that names a tag twice).
fn push_once(list: &mut Vec<usize>, n: usize) {
    if list.last() != Some(&n) {
        list.push(n);
    }
}

/// The object `v` with `key` set to `value`.
fn with_value(v: tera::Value, key: &'static str, value: tera::Value) -> tera::Value {
    let mut map = v.into_map().unwrap_or_default();
    map.insert(key.into(), value);
    tera::Value::from(map)
}

fn merge(into: &mut Value, from: Value) {
    if let (Value::Object(a), Value::Object(b)) = (into, from) {
        for (k, v) in b {
            a.insert(k, v);
        }
    }
}

fn join_base(base: &str, path: &str) -> String {
    let has_scheme = path
        .split_once(':')
        .is_some_and(|(s, _)| !s.is_empty() && !s.contains(['/', '?', '#']));
    if has_scheme || path.starts_with("//") || path.starts_with('#') {
        return path.to_string();
    }
    format!("{base}{}", path.trim_start_matches('/'))
}

/// `css/site.css` → `css/site.3f9a1c2b.css`, for CSS and JS only.
pub(crate) fn fingerprinted(rel: &str, bytes: &[u8]) -> String {
    let (stem, ext) = match rel.rsplit_once('.') {
        Some((s, e)) if matches!(e, "css" | "js") => (s, e),
        _ => return rel.to_string(),
    };
    let hash = xxhash_rust::xxh3::xxh3_64(bytes);
    format!("{stem}.{:08x}.{ext}", hash >> 32)
}

fn site_value(site: &Site) -> Value {
    let c = &site.config;
    json!({
        "title": c.title,
        "description": c.description,
        "language": c.language,
        "base": c.base_path,
        "base_url": c.base_url,
        "actions": c.actions,
        "series": c.series,
        "taxonomies": c.taxonomies,
        "footer": c.footer,
        "timezone": c.timezone,
        "today": iso_date(site.now.date()),
    })
}

fn nav(site: &Site, ui: &BTreeMap<String, String>) -> Value {
    let item = |key: &str, (ui_key, default): (&str, &str), url: &str| {
        let title = ui.get(ui_key).map_or(default, String::as_str);
        let href = join_base(&site.config.base_path, url);
        json!({"key": key, "title": title, "url": url, "href": href})
    };
    let mut items = vec![
        item("home", ("nav_home", "首页"), "/"),
        item("courses", ("nav_courses", "课程"), "/courses/"),
        item("lectures", ("nav_lectures", "讲座安排"), "/lectures/"),
        item("cases", ("nav_cases", "案例"), "/cases/"),
        item("study", ("nav_study", "我的学习"), "/study/"),
    ];
    // Only plain pages can live at /about/.
    if site.plain.iter().any(|&i| site.page(i).url == "/about/") {
        items.push(item("about", ("nav_about", "关于"), "/about/"));
    }
    Value::Array(items)
}

fn template_error(origin: &str, e: &tera::Error) -> Diagnostic {
    let mut msg = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        src = s.source();
    }
    Diagnostic::error(
        origin,
        0,
        0,
        Text::new(format!("模板错误：{msg}"), format!("template error: {msg}")),
    )
    .with_hint(Text::new(
        "这是主题模板的问题，不是内容的问题：请检查该模板，或删除站点 templates/ 中的同名文件以使用默认模板",
        "this is a problem in a theme template, not in the content: fix the template or remove the site's override",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_map_to_index_files() {
        assert_eq!(url_to_path("/"), "index.html");
        assert_eq!(url_to_path("/courses/x/"), "courses/x/index.html");
        assert_eq!(url_to_path("/atom.xml"), "atom.xml");
    }

    #[test]
    fn only_css_and_js_are_fingerprinted() {
        let a = fingerprinted("css/site.css", b"body{}");
        assert!(
            a.starts_with("css/site.")
                && a.ends_with(".css")
                && a.len() == "css/site.12345678.css".len()
        );
        assert_eq!(fingerprinted("img/logo.png", b"x"), "img/logo.png");
        assert_ne!(
            fingerprinted("js/a.js", b"1"),
            fingerprinted("js/a.js", b"2")
        );
    }
}
