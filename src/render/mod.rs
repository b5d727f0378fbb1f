//! Rendering: the site model → every output file, in memory. One [`Job`] per file
//! (`jobs`); each job's template gets the values every page shares and the typed
//! context of its kind of page (`pages`, `cards`, `feeds`), described in
//! `themes/default/README.md`. Pages render in parallel. Also writes the fingerprinted
//! static files (`engine`) and calendars (`ics`).

mod archive;
mod card_index;
mod cards;
mod engine;
mod feeds;
pub mod format;
pub mod ics;
mod indexes;
mod jobs;
mod pages;
mod paging;
mod practice;
mod print;
mod study;
pub mod theme;
mod units;
mod upcoming;

use std::sync::{Arc, Mutex, OnceLock};

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::content::{Front, Kind, ListPage, Reader};
use crate::diagnostic::Diagnostic;
use crate::output::Sink;
use crate::site::{PageId, Site};
pub use engine::Engine;
use indexes::Indexes;
pub use jobs::{Job, affected_jobs, jobs, url_to_path};
pub use theme::Theme;

/// The site being rendered, with the values every page shares.
pub struct Renderer<'s> {
    site: &'s Site,
    engine: Arc<Engine>,
    /// `site`, `ui`, `nav` and `once`, given to every template.
    shared: [(&'static str, tera::Value); 4],
    indexes: Indexes<'s>,
    parts: Parts,
    /// The URLs of the navigation items.
    nav_urls: Vec<String>,
    /// The practice bank, made on first use.
    bank: OnceLock<practice::Bank>,
    /// Every course as the study page lists it, made on first use.
    study: OnceLock<Result<Vec<String>, Diagnostic>>,
}

/// Parts of pages rendered once per build and shared by the pages that show them, each
/// made on first use.
struct Parts {
    /// Per page: its list card (course, lecture, case) with `html`, the card rendered by
    /// its partial.
    cards: Vec<OnceLock<tera::Value>>,
    /// Per course: its card with its lesson cards as `lessons`.
    course_lessons: Vec<OnceLock<tera::Value>>,
    /// Per course: each lesson as a syllabus item (not current, current).
    syllabus: Vec<OnceLock<Result<Vec<[String; 2]>, Diagnostic>>>,
    /// The `_per_section_` templates' output per section and navigation page (a handful
    /// of them).
    per_section: Mutex<Vec<(String, String, tera::Value)>>,
}

/// A navigation item.
#[derive(Serialize)]
struct NavItem<'a> {
    key: &'static str,
    title: &'a str,
    url: &'static str,
    href: String,
    /// The item is the list page of a kind.
    list: bool,
}

/// `site` in every template.
#[derive(Serialize)]
struct SiteValue<'a> {
    title: &'a str,
    description: &'a str,
    language: &'a str,
    base: &'a str,
    base_url: &'a str,
    actions: &'a [String],
    series: &'a [String],
    taxonomies: &'a std::collections::BTreeMap<String, String>,
    footer: &'a str,
    timezone: &'a str,
    today: String,
    /// The address of the script that moves study records from old addresses, with
    /// the base path; empty when the site has no aliases.
    aliases_script: String,
}

impl<'s> Renderer<'s> {
    /// Fails when a `_once_` template does not render.
    pub fn new(site: &'s Site, engine: Arc<Engine>) -> Result<Renderer<'s>, Diagnostic> {
        let c = &site.config;
        let site_value = cards::to_value(&SiteValue {
            title: &c.title,
            description: &c.description,
            language: &c.language,
            base: &c.base_path,
            base_url: &c.base_url,
            actions: &c.actions,
            series: &c.series,
            taxonomies: &c.taxonomies,
            footer: &c.footer,
            timezone: &c.timezone,
            today: format::iso_date(site.now.date()),
            aliases_script: if site.aliases.is_empty() {
                String::new()
            } else {
                engine::join_base(&c.base_path, &jobs::alias_script_path(site))
            },
        });
        let nav = nav(site, &engine);
        let nav_urls = nav.iter().map(|item| item.url.to_string()).collect();
        let nav = cards::to_value(&nav);
        let mut ctx = Context::new();
        ctx.insert_value("site", site_value.clone());
        ctx.insert_value("ui", engine.ui_value.clone());
        ctx.insert_value("nav", nav.clone());
        let once = engine.render_named(&engine.once, &ctx)?;
        let shared = [
            ("site", site_value),
            ("ui", engine.ui_value.clone()),
            ("nav", nav),
            ("once", once),
        ];
        let n = site.pages().len();
        let per_page = || (0..n).map(|_| OnceLock::new()).collect();
        Ok(Renderer {
            site,
            engine,
            shared,
            indexes: Indexes::new(site),
            parts: Parts {
                cards: per_page(),
                course_lessons: per_page(),
                syllabus: (0..n).map(|_| OnceLock::new()).collect(),
                per_section: Mutex::new(Vec::new()),
            },
            nav_urls,
            bank: OnceLock::new(),
            study: OnceLock::new(),
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
        let file = match job {
            Job::AliasScript => Some(jobs::alias_script(self.site)),
            Job::UnitsCsv(y) => Some(self.units_csv(y)),
            Job::RotaCsv(r, y) => Some(self.rota_csv(r, y)),
            Job::CardIndex(kind, n) => Some(self.card_index(kind, n)),
            Job::CardShard(kind, n) => Some(self.card_shard(kind, n)?),
            Job::PracticeData(c) => Some(self.practice_data(c)),
            Job::StudyData(n) => Some(self.study_data(n)?),
            _ => None,
        };
        if let Some(bytes) = file {
            return Ok((job.path(self.site), bytes));
        }
        let template = job.template(self.site);
        let ctx = self.context(job)?;
        // Straight into bytes: the templates and values are UTF-8 already, so the text
        // needs no second check.
        let mut text = Vec::with_capacity(32 * 1024);
        self.engine
            .tera
            .render_to(template, &ctx, &mut text)
            .map_err(|e| engine::template_error(&format!("templates/{template}"), &e))?;
        Ok((job.path(self.site), text))
    }

    /// The template context of a job: the shared values, the job's own, and where the
    /// page is (`section`, `canonical`, `page_title`, `per_section`).
    fn context(&self, job: Job) -> Result<Context, Diagnostic> {
        let s = self.site;
        let mut c = self.context_with_shared();
        let own = match job {
            Job::Home => values(&self.home()?),
            Job::List(kind, n) => match kind.spec().list.map(|l| l.page) {
                Some(ListPage::Catalogue) => values(&self.catalogue(n)),
                Some(ListPage::Schedule) => values(&self.schedule()),
                Some(ListPage::Cases) => values(&self.cases(n)),
                Some(ListPage::Cards) => self.card_list(kind, n)?,
                None => Context::new(),
            },
            Job::Item(i) => self.item(i)?,
            Job::CoursePrint(i) => values(&self.course_print(i)),
            Job::Taxonomy(t, n) => values(&self.taxonomy(t, n)),
            Job::Units(y) => values(&self.units_page(y)),
            Job::Rota(r) => values(&self.rota_page(r)),
            Job::Term(t, k, n) => values(&self.term_page(t, k, n)?),
            Job::Month(y, m) => values(&self.month(y, m)),
            Job::Year(y) => values(&self.year_page(y)),
            Job::Study => values(&self.study()?),
            Job::Practice => values(&self.practice()),
            Job::PracticeField(k, n) => values(&self.practice_field(k, n)),
            Job::Atom => values(&self.feed()),
            Job::Sitemap => values(&self.sitemap(None)),
            Job::SitemapPart(k) => values(&self.sitemap(Some(k))),
            Job::Alias(a) => values(&self.alias(a)),
            Job::Search
            | Job::NotFound
            | Job::AliasScript
            | Job::UnitsCsv(_)
            | Job::RotaCsv(..)
            | Job::CardIndex(..)
            | Job::CardShard(..)
            | Job::PracticeData(_)
            | Job::StudyData(_) => Context::new(),
        };
        c.extend(own);
        let url = job.url(s);
        let section = job.section(s);
        c.insert_value("per_section", self.per_section(section, &url)?);
        c.insert("section", section);
        c.insert("page_title", &self.title(job));
        c.insert("canonical", &url);
        Ok(c)
    }

    /// The context of a content page, by its kind.
    fn item(&self, i: PageId) -> Result<Context, Diagnostic> {
        let p = self.site.page(i);
        let mut c = Context::new();
        match p.kind.spec().front {
            Front::Own(Reader::Course, _) => c.insert("course", &self.course(i)),
            Front::Own(Reader::Lesson, _) => return Ok(values(&self.lesson(i)?)),
            Front::Own(Reader::Lecture, _) => c.insert("lecture", &self.lecture(i)),
            Front::Own(Reader::Case, _) => c.insert("case", &self.case(i)),
            // Plain pages are `page`, the pages of a new kind by its key (`notice`).
            Front::Fields(_) => c.insert(p.kind.key(), &self.plain_page(i)),
        }
        Ok(c)
    }

    /// The page's title (`page_title`): the UI's name of a list, a page's own title;
    /// a list's later pages say which page they are.
    fn title(&self, job: Job) -> String {
        let title = self.own_title(job);
        match job.page_number() {
            1 => title,
            n => self
                .engine
                .ui("page_title_numbered")
                .replace("{title}", &title)
                .replace("{n}", &n.to_string()),
        }
    }

    fn own_title(&self, job: Job) -> String {
        let s = self.site;
        let ui = |key: &str| self.engine.ui(key).to_string();
        match job {
            Job::Home
            | Job::Atom
            | Job::Sitemap
            | Job::SitemapPart(_)
            | Job::AliasScript
            | Job::UnitsCsv(_)
            | Job::RotaCsv(..)
            | Job::CardIndex(..)
            | Job::CardShard(..)
            | Job::PracticeData(_)
            | Job::StudyData(_) => String::new(),
            Job::List(kind, _) => match s.sections.get(&kind) {
                Some(&intro) => s.page(intro).title().to_string(),
                None => kind
                    .spec()
                    .list
                    .map_or_else(String::new, |l| ui(l.title_key)),
            },
            Job::Item(i) | Job::CoursePrint(i) => s.page(i).title().to_string(),
            Job::Taxonomy(t, _) => s.taxonomies[t].title.clone(),
            Job::Units(None) => ui("units_title"),
            Job::Units(Some(y)) => ui("units_title_year").replace("{year}", &y.to_string()),
            Job::Rota(r) => ui("rota_title").replace("{series}", &s.config.rota.series[r].name),
            Job::Term(t, k, _) => {
                let tax = &s.taxonomies[t];
                format!("{}：{}", tax.title, tax.terms[k].name)
            }
            Job::Month(y, m) => self.engine.dates.month(y, m),
            Job::Year(y) => ui("year_title").replace("{year}", &y.to_string()),
            Job::Search => ui("nav_search"),
            Job::Study => ui("nav_study"),
            Job::Practice => ui("practice_title"),
            Job::PracticeField(k, _) => {
                let name = practice::field_name(s, k)
                    .map_or_else(|| ui("practice_no_field"), str::to_string);
                ui("practice_field_title").replace("{field}", &name)
            }
            Job::NotFound => ui("not_found_title"),
            Job::Alias(a) => s.page(s.aliases[a].page).title().to_string(),
        }
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
        self.parts
            .per_section
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
}

/// A value as JSON for a page's scripts, printed into a `data-` attribute (the
/// Content-Security-Policy allows no inline script, JSON blocks included).
fn json_data<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).expect("page data of strings and numbers serialises")
}

/// A page's typed values as a template context.
fn values<T: Serialize>(v: &T) -> Context {
    Context::from_serialize(v).expect("page values are a struct of template values")
}

/// The navigation: home, each kind's list, my study, and the about page when there is
/// one.
fn nav<'e>(site: &Site, engine: &'e Engine) -> Vec<NavItem<'e>> {
    let item = |key: &'static str, ui_key: &str, url: &'static str| NavItem {
        key,
        title: engine.ui(ui_key),
        url,
        href: engine::join_base(&site.config.base_path, url),
        list: false,
    };
    let mut items = vec![item("home", "nav_home", "/")];
    for kind in Kind::LISTED {
        let list = kind.spec().list.expect("a listed kind has a list");
        items.push(NavItem {
            list: true,
            ..item(list.folder, list.title_key, list.url)
        });
    }
    items.push(item("study", "nav_study", "/study/"));
    // Practice needs questions: a site without quizzes does not offer it.
    if practice::has_questions(site) {
        items.push(item("practice", "nav_practice", "/practice/"));
    }
    // Only plain pages can live at /about/.
    if site
        .of(Kind::Page)
        .iter()
        .any(|&i| site.page(i).url == "/about/")
    {
        items.push(item("about", "nav_about", "/about/"));
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every UI string the renderer asks the engine for is in the default theme.
    #[test]
    fn the_default_theme_names_every_ui_string_the_renderer_uses() {
        let theme = Theme::load(
            std::path::Path::new("/nonexistent"),
            &crate::config::Config::default(),
        )
        .expect("the default theme loads");
        let mut keys = vec!["nav_home", "nav_study", "nav_about", "nav_search"];
        keys.extend(["nav_practice", "practice_title", "practice_field_title"]);
        keys.push("practice_no_field");
        keys.extend(["not_found_title", "postponed", "cancelled", "date_format"]);
        keys.extend([
            "month_format",
            "weekdays",
            "repeat_every_week",
            "repeat_every_n_weeks",
        ]);
        keys.extend([
            "repeat_every_month",
            "repeat_every_n_months",
            "repeat_month_day",
        ]);
        keys.extend(["repeat_nth_weekday", "repeat_last_weekday"]);
        keys.extend(["short_date_format", "this_week", "next_week"]);
        keys.extend(["page_title_numbered", "year_title"]);
        keys.extend([
            "units_title",
            "units_title_year",
            "units_all_years",
            "units_year",
        ]);
        keys.extend(["rota_title", "rota_listed", "rota_extra", "rota_given"]);
        keys.extend(["rota_scheduled", "rota_unscheduled"]);
        keys.extend(["units_col_unit", "units_col_courses", "units_col_lessons"]);
        keys.extend(["units_col_hours", "units_col_given", "units_col_scheduled"]);
        keys.extend(["units_col_cases", "rota_col_unit", "rota_col_listed"]);
        keys.extend(["rota_col_mark", "rota_col_date", "rota_col_title"]);
        keys.extend(["rota_col_speaker", "rota_col_link"]);
        for list in Kind::LISTED.iter().filter_map(|k| k.spec().list) {
            keys.push(list.title_key);
            if let Some(h) = list.home {
                keys.extend([h.title_key, h.more_key, h.empty_key]);
            }
        }
        for key in keys {
            assert!(theme.ui.contains_key(key), "{key}");
        }
    }
}
