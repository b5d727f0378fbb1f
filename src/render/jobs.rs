//! Render jobs as data: one [`Job`] per output file, which knows its URL, template,
//! navigation section and the page it shows. The list of jobs for a site, and the jobs
//! an edit touches, are worked out here and nowhere else.

use std::collections::HashSet;
use std::sync::Arc;

use super::archive::{year_url, years};
use super::card_index::{SHARD, part_count, part_url, shard_count, shard_url};
use super::paging::{page_count, page_of, page_url};
use super::practice;
use super::units::{rota_csv_url, rota_url, units_csv_url, units_url};
use crate::content::ListPage;
use crate::content::{Kind, Place};
use crate::site::{PageId, Site, print_url};

/// One file the renderer produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Job {
    Home,
    /// Page `n` (from 1) of the list of a kind that has one (the catalogue, the
    /// schedule, the cases); the schedule has one page.
    List(Kind, u32),
    /// Part `n` (from 1) of the card index of a paged list with filters
    /// (`render::card_index`), and its shard `n` (from 1).
    CardIndex(Kind, u32),
    CardShard(Kind, u32),
    /// The page of one content file: a course, lesson, lecture, case or plain page.
    Item(PageId),
    /// A course with all its lessons on one page, for printing (`/courses/x/print/`).
    CoursePrint(PageId),
    /// Page `n` (from 1) of the list of taxonomy `t`'s terms.
    Taxonomy(usize, u32),
    /// The unit overview (`/units/`, in place of the unit index): all years, or one.
    Units(Option<i16>),
    /// The unit overview's table as CSV.
    UnitsCsv(Option<i16>),
    /// The page of a series' rota: its place among `site.yaml`'s rotas.
    Rota(usize),
    /// One year of a rota as CSV.
    RotaCsv(usize, i16),
    /// Page `n` (from 1) of term `k` of taxonomy `t`.
    Term(usize, usize, u32),
    Search,
    Study,
    /// A data file of the study page: its page `n` (from 1) of courses.
    StudyData(usize),
    /// The practice page: the drill and the bank's fields.
    Practice,
    /// Page `n` (from 1) of the practice questions of field term `k` (`None`: of no
    /// field).
    PracticeField(Option<usize>, u32),
    /// A data file of the practice bank, from 0.
    PracticeData(usize),
    /// The month grid of the schedule: (year, month).
    Month(i16, i8),
    /// The months of a year of the schedule, with their sessions' counts.
    Year(i16),
    NotFound,
    Atom,
    /// The sitemap, or the index of its parts when one file cannot hold it.
    Sitemap,
    /// A numbered part of the sitemap (from 1).
    SitemapPart(usize),
    /// The page at an old address of a page (`aliases:`), sending readers on.
    Alias(usize),
    /// The script that tells the browser's study record which old addresses moved where
    /// (only when the site has aliases).
    AliasScript,
}

impl Job {
    /// The job that renders page `i`, if it has a page of its own: the home text is the
    /// home page, a list's intro text is its list page.
    pub fn of_page(site: &Site, i: PageId) -> Option<Job> {
        let p = site.page(i);
        match p.kind.spec().place {
            Place::Home => Some(Job::Home),
            // The intro shows on the first page of its list.
            Place::ListIntro => Some(Job::List(section_kind(&p.src.rel), 1)),
            Place::Lesson if p.course.is_none() => None,
            Place::Course | Place::Lesson | Place::InList | Place::Elsewhere => Some(Job::Item(i)),
        }
    }

    /// The root-relative URL of the file, without the base path.
    pub fn url(self, site: &Site) -> String {
        match self {
            Job::Home => "/".into(),
            Job::List(kind, n) => kind
                .spec()
                .list
                .map_or_else(String::new, |l| page_url(l.url, n)),
            Job::CardIndex(kind, n) => kind
                .spec()
                .list
                .map_or_else(String::new, |l| part_url(l.url, n)),
            Job::CardShard(kind, n) => kind
                .spec()
                .list
                .map_or_else(String::new, |l| shard_url(l.url, n)),
            Job::Item(i) => site.page(i).url.clone(),
            Job::CoursePrint(i) => print_url(&site.page(i).url),
            Job::Taxonomy(t, n) => page_url(&site.taxonomies[t].url, n),
            Job::Units(y) => units_url(y),
            Job::UnitsCsv(y) => units_csv_url(y),
            Job::Rota(r) => rota_url(site, r),
            Job::RotaCsv(r, y) => rota_csv_url(site, r, y),
            Job::Term(t, k, n) => page_url(&site.taxonomies[t].terms[k].url, n),
            Job::Search => "/search/".into(),
            Job::Study => "/study/".into(),
            Job::StudyData(n) => super::study::data_url(n),
            Job::Practice => "/practice/".into(),
            Job::PracticeField(k, n) => page_url(&practice::field_url(site, k), n),
            Job::PracticeData(c) => practice::data_url(c),
            Job::Month(y, m) => month_url(y, m),
            Job::Year(y) => year_url(y),
            Job::NotFound => "/404.html".into(),
            Job::Atom => "/atom.xml".into(),
            Job::Sitemap => "/sitemap.xml".into(),
            Job::SitemapPart(k) => super::feeds::sitemap_part_url(k),
            Job::Alias(a) => site.aliases[a].url.clone(),
            Job::AliasScript => format!("/{}", alias_script_path(site)),
        }
    }

    /// Where the file is written: `/courses/x/` → `courses/x/index.html`.
    pub fn path(self, site: &Site) -> String {
        url_to_path(&self.url(site))
    }

    /// The template that renders the file.
    pub fn template(self, site: &Site) -> &'static str {
        match self {
            Job::Home => "index.html",
            Job::List(kind, _) => kind.spec().list.map_or("", |l| l.template),
            Job::Item(i) => site
                .page(i)
                .kind
                .spec()
                .template
                .expect("a page with a job of its own has a template"),
            Job::CoursePrint(_) => "course_print.html",
            Job::Taxonomy(..) => "taxonomy.html",
            Job::Units(_) => "units.html",
            Job::Rota(_) => "rota.html",
            Job::Term(..) => "term.html",
            Job::Search => "search.html",
            Job::Study => "study.html",
            Job::Practice => "practice.html",
            Job::PracticeField(..) => "practice_field.html",
            Job::PracticeData(_) | Job::StudyData(_) => "",
            Job::Month(..) => "month.html",
            Job::Year(_) => "year.html",
            Job::NotFound => "404.html",
            Job::Atom => "atom.xml",
            Job::Sitemap | Job::SitemapPart(_) => "sitemap.xml",
            Job::Alias(_) => "alias.html",
            Job::AliasScript
            | Job::UnitsCsv(_)
            | Job::RotaCsv(..)
            | Job::CardIndex(..)
            | Job::CardShard(..) => "",
        }
    }

    /// The navigation section the page belongs to (the item marked as current).
    pub fn section(self, site: &Site) -> &'static str {
        match self {
            Job::Home => "home",
            Job::List(kind, _) => kind.spec().section,
            Job::Item(i) => {
                let p = site.page(i);
                // Only a plain page can live at /about/, which has a navigation item.
                if p.kind == Kind::Page && p.url == "/about/" {
                    "about"
                } else {
                    p.kind.spec().section
                }
            }
            Job::Month(..) | Job::Year(_) => "lectures",
            Job::CoursePrint(_) => "courses",
            Job::Search => "search",
            Job::Study => "study",
            Job::Practice | Job::PracticeField(..) => "practice",
            Job::Taxonomy(..)
            | Job::Units(_)
            | Job::UnitsCsv(_)
            | Job::Rota(_)
            | Job::RotaCsv(..)
            | Job::Term(..)
            | Job::CardIndex(..)
            | Job::CardShard(..)
            | Job::NotFound
            | Job::Atom
            | Job::Sitemap
            | Job::SitemapPart(_)
            | Job::Alias(_)
            | Job::AliasScript
            | Job::PracticeData(_)
            | Job::StudyData(_) => "",
        }
    }

    /// A page of the site that a sitemap lists (not the feed, the sitemap, the 404, an
    /// old address, a print view or a list's later pages, which repeat pages listed
    /// already, as Hugo leaves them out).
    pub fn in_sitemap(self) -> bool {
        self.page_number() == 1
            && !matches!(
                self,
                Job::Atom
                    | Job::Sitemap
                    | Job::SitemapPart(_)
                    | Job::NotFound
                    | Job::Alias(_)
                    | Job::AliasScript
                    | Job::PracticeData(_)
                    | Job::StudyData(_)
                    | Job::CoursePrint(_)
                    | Job::UnitsCsv(_)
                    | Job::RotaCsv(..)
                    | Job::CardIndex(..)
                    | Job::CardShard(..)
            )
    }

    /// An HTML page (not the feed or the sitemap).
    pub fn is_html(self) -> bool {
        !matches!(
            self,
            Job::Atom
                | Job::Sitemap
                | Job::SitemapPart(_)
                | Job::AliasScript
                | Job::UnitsCsv(_)
                | Job::RotaCsv(..)
                | Job::CardIndex(..)
                | Job::CardShard(..)
                | Job::PracticeData(_)
                | Job::StudyData(_)
        )
    }

    /// The page's number among its list's pages; 1 for every other file.
    pub fn page_number(self) -> u32 {
        match self {
            Job::List(_, n)
            | Job::Term(_, _, n)
            | Job::Taxonomy(_, n)
            | Job::PracticeField(_, n) => n,
            _ => 1,
        }
    }

    /// The content page the job shows, if any.
    fn item(self) -> Option<PageId> {
        match self {
            Job::Item(i) => Some(i),
            _ => None,
        }
    }
}

/// The kind whose list a list intro (`content/<folder>/_index.md`) belongs to.
fn section_kind(rel: &str) -> Kind {
    let folder = rel.split_once('/').map_or(rel, |(f, _)| f);
    Kind::listed_in(folder).expect("a list intro lives in the folder of a listed kind")
}

/// The items of `kind`'s list when it is paged (the catalogue, the cases, a list of
/// cards), in list order; `None` for the schedule, which is one page.
pub fn list_items(site: &Site, kind: Kind) -> Option<&[PageId]> {
    match kind.spec().list?.page {
        ListPage::Catalogue | ListPage::Cases | ListPage::Cards => Some(site.of(kind)),
        ListPage::Schedule => None,
    }
}

/// Whether `kind`'s list has filters, which read its card index when it is paged.
pub fn has_filters(kind: Kind) -> bool {
    kind.spec()
        .list
        .is_some_and(|l| !super::card_index::fields(l.page).is_empty())
}

/// How many pages a list of `items` takes at the site's `page_size`.
pub fn pages_for(site: &Site, items: usize) -> u32 {
    page_count(items, site.config.page_size)
}

/// How many terms a page of a taxonomy's list of terms shows: a term is one line, about
/// a tenth of a card, so ten times the site's `page_size`.
pub fn terms_per_page(site: &Site) -> usize {
    site.config.page_size.saturating_mul(10)
}

/// What a term's page lists, in the order it shows them: the listed kinds' pages in
/// navigation order, then lessons, then plain pages.
pub fn term_items(site: &Site, t: usize, k: usize) -> Vec<PageId> {
    let term = &site.taxonomies[t].terms[k];
    let listed = Kind::LISTED.into_iter().filter(|k| k.spec().list.is_some());
    let mut items = Vec::with_capacity(term.pages.len());
    for kind in listed.chain([Kind::Lesson, Kind::Page]) {
        items.extend(term.pages.iter().filter(|&&i| site.page(i).kind == kind));
    }
    items
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
    let mut jobs = vec![Job::Home];
    for kind in Kind::LISTED {
        let pages = list_items(site, kind).map_or(1, |items| pages_for(site, items.len()));
        jobs.extend((1..=pages).map(|n| Job::List(kind, n)));
        if pages > 1 && has_filters(kind) {
            let parts = part_count(site.of(kind).len());
            jobs.extend((1..=parts).map(|n| Job::CardIndex(kind, n)));
            let shards = shard_count(site.of(kind).len());
            jobs.extend((1..=shards).map(|n| Job::CardShard(kind, n)));
        }
    }
    jobs.extend([Job::Search, Job::Study, Job::NotFound]);
    let study_pages = super::study::page_count(site);
    if study_pages > 1 {
        jobs.extend((1..=study_pages).map(Job::StudyData));
    }
    jobs.extend(practice_jobs(site));
    jobs.extend(
        site.ids()
            .filter_map(|i| Job::of_page(site, i))
            .filter(|j| j.item().is_some()),
    );
    jobs.extend(site.of(Kind::Course).iter().map(|&i| Job::CoursePrint(i)));
    for (t, tax) in site.taxonomies.iter().enumerate() {
        if tax.terms.is_empty() {
            continue;
        }
        if tax.key == "unit" {
            jobs.extend(unit_jobs(site));
        } else {
            let pages = page_count(tax.terms.len(), terms_per_page(site));
            jobs.extend((1..=pages).map(|n| Job::Taxonomy(t, n)));
        }
        for k in 0..tax.terms.len() {
            let pages = pages_for(site, term_items(site, t, k).len());
            jobs.extend((1..=pages).map(|n| Job::Term(t, k, n)));
        }
    }
    for (r, rota) in site.config.rota.series.iter().enumerate() {
        jobs.push(Job::Rota(r));
        jobs.extend(rota.years.iter().map(|y| Job::RotaCsv(r, y.year)));
    }
    let months = months(site);
    jobs.extend(years(&months).into_iter().map(Job::Year));
    jobs.extend(months.into_iter().map(|(y, m)| Job::Month(y, m)));
    jobs.extend((0..site.aliases.len()).map(Job::Alias));
    if !site.aliases.is_empty() {
        jobs.push(Job::AliasScript);
    }
    let parts = super::feeds::sitemap_part_count(site, &jobs);
    jobs.push(Job::Atom);
    jobs.push(Job::Sitemap);
    jobs.extend((1..=parts).map(Job::SitemapPart));
    jobs
}

/// The unit overview of all years and of each year with figures, each with its CSV.
fn unit_jobs(site: &Site) -> Vec<Job> {
    let years = crate::site::units::unit_years(site);
    std::iter::once(None)
        .chain(years.into_iter().map(Some))
        .flat_map(|y| [Job::Units(y), Job::UnitsCsv(y)])
        .collect()
}

/// The practice page, the pages of each field's questions and the bank's data files;
/// none for a site without quizzes.
fn practice_jobs(site: &Site) -> Vec<Job> {
    if !practice::has_questions(site) {
        return Vec::new();
    }
    let bank = practice::Bank::of(site);
    let mut jobs = vec![Job::Practice];
    for field in &bank.fields {
        let pages = pages_for(site, field.items.len());
        jobs.extend((1..=pages).map(|n| Job::PracticeField(field.term, n)));
    }
    jobs.extend((0..bank.chunks.len()).map(Job::PracticeData));
    jobs
}

/// The jobs to render again after an edit, comparing the previous model with the new
/// one page by page; `None` when pages were added, removed or moved, or their old
/// addresses changed (render everything).
/// A change to a page's body alone touches only that page; a change to its front matter
/// touches every list, term and course page, and the pages that show it beside them
/// (the other lessons of its course, lectures of a course).
pub fn affected_jobs(prev: &Site, next: &Site) -> Option<Vec<Job>> {
    // A page at an old address that went away must not stay behind in the output.
    if prev.pages().len() != next.pages().len() || prev.aliases != next.aliases {
        return None;
    }
    let mut own: HashSet<PageId> = HashSet::new();
    let mut beside: HashSet<PageId> = HashSet::new();
    let mut structural = false;
    for (a, b) in prev.pages().zip(next.pages()) {
        let i = b.page_id;
        // The same source has the same path: only a new one needs comparing.
        let same_src = Arc::ptr_eq(a.src, b.src);
        if (!same_src && a.src.rel != b.src.rel) || a.url != b.url {
            return None;
        }
        if same_src {
            continue;
        }
        own.insert(i);
        if a.src.front_hash != b.src.front_hash {
            structural = true;
            for course in [a.course, b.course].into_iter().flatten().chain([i]) {
                beside.extend(next.page(course).lessons.iter().copied());
                beside.extend(next.lectures_of(course));
            }
        }
    }
    let jobs = if structural {
        // Which pages a list's pages hold, and so which there are, may have changed.
        let all = jobs(next);
        if all != jobs(prev) {
            return None;
        }
        // Every page that is not a content page lists or counts content, and every
        // course page shows its lessons and related lectures and cases; of the pages of
        // a paged list, those that show or count what changed.
        let shown = |i: PageId| {
            next.page(i).kind == Kind::Course || own.contains(&i) || beside.contains(&i)
        };
        let mut touched = beside.clone();
        touched.extend(
            own.iter()
                .flat_map(|&i| [Some(i), prev.page(i).course, next.page(i).course])
                .flatten(),
        );
        all.into_iter()
            .filter(|&j| j.item().is_none_or(shown))
            .filter(|&j| list_page_changed(prev, next, j, &touched))
            .collect()
    } else {
        let mut own: Vec<PageId> = own.into_iter().collect();
        own.sort_unstable();
        // A course's print view shows the course's text and each lesson's.
        let mut prints: Vec<PageId> = own
            .iter()
            .filter_map(|&i| match next.page(i).kind {
                Kind::Course => Some(i),
                _ => next.page(i).course,
            })
            .collect();
        prints.sort_unstable();
        prints.dedup();
        // Quizzes are written in bodies: the practice bank shows them.
        let quizzes = own
            .iter()
            .any(|&i| prev.page(i).md.questions != next.page(i).md.questions);
        let bank = if quizzes {
            let (before, after) = (practice_jobs(prev), practice_jobs(next));
            if before != after {
                return None;
            }
            after
        } else {
            Vec::new()
        };
        own.iter()
            .filter_map(|&i| Job::of_page(next, i))
            .chain(prints.into_iter().map(Job::CoursePrint))
            .chain(bank)
            .collect()
    };
    Some(jobs)
}

/// Whether page `job` of a paged list shows something else after an edit of the pages
/// `touched` (those edited and those that show them): other items, one of them, or
/// what the list says of all its items (counts, 学时, a speaker's title, a series'
/// sessions); the same of a page of a taxonomy's terms and of a card index's files.
/// Every other job is taken as changed.
fn list_page_changed(prev: &Site, next: &Site, job: Job, touched: &HashSet<PageId>) -> bool {
    let size = next.config.page_size;
    let holds = |items: &[PageId]| items.iter().any(|i| touched.contains(i));
    match job {
        Job::List(kind, n) => {
            let (Some(before), Some(after)) = (list_items(prev, kind), list_items(next, kind))
            else {
                return true;
            };
            // Facets count the kind's terms; the catalogue sums 学时.
            let list_wide =
                holds(after) && (!same_terms(prev, next) || total_hours(prev) != total_hours(next));
            list_wide
                || page_of(before, n, size) != page_of(after, n, size)
                || holds(page_of(after, n, size))
        }
        Job::CardIndex(kind, _) | Job::CardShard(kind, _) => {
            card_index_changed(prev, next, job, kind, touched)
        }
        Job::Taxonomy(t, n) => {
            // A line per term: its name, address, count and speaker's title; the lead
            // and the pagination count them all.
            let size = terms_per_page(next);
            let shown = |terms: &[crate::site::Term]| {
                page_of(terms, n, size)
                    .iter()
                    .map(|x| {
                        (
                            x.name.clone(),
                            x.url.clone(),
                            x.pages.len(),
                            x.speaker_title.clone(),
                        )
                    })
                    .collect::<Vec<_>>()
            };
            let (a, b) = (&prev.taxonomies[t].terms, &next.taxonomies[t].terms);
            a.len() != b.len() || shown(a) != shown(b)
        }
        Job::Term(t, k, n) => {
            let (a, b) = (&prev.taxonomies[t].terms[k], &next.taxonomies[t].terms[k]);
            let (before, after) = (term_items(prev, t, k), term_items(next, t, k));
            let header = a.name != b.name || a.speaker_title != b.speaker_title || before != after;
            // A series' page counts its lectures' sessions on every page.
            let sessions = next.taxonomies[t].key == "series" && holds(&after);
            header || sessions || holds(page_of(&after, n, size))
        }
        _ => true,
    }
}

/// Whether the card index of `kind`'s list (`job`: the index or one of its shards)
/// holds something else after an edit of the pages `touched`: the index, when one of
/// the list's items is touched or their order changed; a shard, when its items or one
/// of them did, or when the terms did (a card links to its terms, whose addresses
/// follow the set of names).
fn card_index_changed(
    prev: &Site,
    next: &Site,
    job: Job,
    kind: Kind,
    touched: &HashSet<PageId>,
) -> bool {
    let holds = |items: &[PageId]| items.iter().any(|i| touched.contains(i));
    let (before, after) = (prev.of(kind), next.of(kind));
    match job {
        Job::CardShard(_, n) => {
            let (a, b) = (page_of(before, n, SHARD), page_of(after, n, SHARD));
            a != b || holds(b) || !same_terms(prev, next)
        }
        _ => before != after || holds(after),
    }
}

/// Whether every term of every taxonomy is carried by the same pages.
fn same_terms(prev: &Site, next: &Site) -> bool {
    prev.taxonomies.len() == next.taxonomies.len()
        && prev.taxonomies.iter().zip(&next.taxonomies).all(|(a, b)| {
            a.terms.len() == b.terms.len()
                && a.terms
                    .iter()
                    .zip(&b.terms)
                    .all(|(x, y)| x.name == y.name && x.pages == y.pages)
        })
}

/// The 学时 of every course together.
fn total_hours(site: &Site) -> f64 {
    site.of(Kind::Course)
        .iter()
        .map(|&i| match &site.page(i).src.meta {
            crate::content::Meta::Course(m) => m.hours,
            _ => 0.0,
        })
        .sum()
}

/// The script that maps each old address's page id to its page's id, for `store.js`:
/// `window.JiangtangAliases = {"courses/old": "courses/new"};`.
pub fn alias_script(site: &Site) -> Vec<u8> {
    let ids: std::collections::BTreeMap<&str, &str> = site
        .aliases
        .iter()
        .map(|a| {
            (
                a.url.trim_matches('/'),
                site.nodes[a.page.index()].id.as_str(),
            )
        })
        .collect();
    let json = serde_json::to_string(&ids).expect("a map of strings serialises");
    format!(
        "/* The old addresses of pages (aliases:) and the pages they moved to. */\nwindow.JiangtangAliases = {json};\n"
    )
    .into_bytes()
}

/// Where [`alias_script`] is written, under a name that changes with its content.
pub fn alias_script_path(site: &Site) -> String {
    crate::publish::assets::fingerprint("js/aliases.js", &alias_script(site))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_map_to_index_files() {
        assert_eq!(url_to_path("/"), "index.html");
        assert_eq!(url_to_path("/courses/x/"), "courses/x/index.html");
        assert_eq!(url_to_path("/atom.xml"), "atom.xml");
        assert_eq!(url_to_path("/404.html"), "404.html");
    }
}
