//! jiangtang (讲堂): a static-site generator for cadre-training portals.
//!
//! Data flows one way: `site.yaml` + `content/` are loaded (`content`, `config`), turned
//! into the site model (`site`), rendered into files in memory (`render`, `search`,
//! `calendar`), then written atomically (`output`) or served (`serve`). The CLI in
//! `main.rs` is a thin layer over [`build`] and friends.

// Diagnostics travel on the error path only, where their size costs nothing measurable.
#![allow(clippy::result_large_err)]
// The console is written through `platform::out_line` and friends, which survive a
// reader that has gone away; `println!` and `eprintln!` would panic.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub(crate) mod calendar;
pub(crate) mod config;
pub mod content;
pub mod diagnostic;
pub mod import;
pub mod init;
pub mod media;
pub(crate) mod names;
pub mod output;
pub mod platform;
pub mod publish;
pub(crate) mod recurrence;
pub(crate) mod render;
pub(crate) mod requirements;
pub(crate) mod rota;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::civil::DateTime;

pub use config::Config;
pub use diagnostic::{Diagnostic, Lang, Text};
pub(crate) use output::Output;
use render::{Job, Renderer, Theme};
use site::BodyWords;
pub(crate) use site::Site;

/// What to build and how.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The site folder (holding `site.yaml` and `content/`).
    pub root: PathBuf,
    /// Overrides `base_url` of `site.yaml`.
    pub base_url: Option<String>,
    /// Include drafts and pages scheduled for later.
    pub drafts: bool,
    /// "Now" in the site timezone; `None` reads the clock. Fixing it makes builds
    /// reproducible and lets tests check the upcoming/past split.
    pub now: Option<DateTime>,
    /// When images missing from the cache are made: the dev server makes them after
    /// its first page is served.
    pub images: media::Work,
}

/// A finished build held in memory, with what the next incremental build reuses.
pub struct Built {
    pub site: Site,
    /// How many images this build made and how many it took from the cache.
    pub images: media::Counts,
    pub output: Output,
    pub warnings: Vec<Diagnostic>,
    pub theme: Theme,
    /// The compiled templates and static files, reused by rebuilds of content.
    engine: Arc<render::Engine>,
    sources: Vec<Arc<content::SourceFile>>,
    assets: Vec<content::AssetFile>,
    /// The root-absolute link warnings among `warnings`, kept by a rebuild for the pages
    /// it does not check again.
    root_links: Vec<Diagnostic>,
    /// A copy of `output` made ahead of time ([`Built::prepare_rebuild`]), taken by the
    /// next rebuild to render into.
    spare: std::sync::Mutex<Option<Output>>,
}

impl Built {
    /// Whether `self` and `other` publish the same theme static files, as a rebuild
    /// after an edit of content does.
    pub(crate) fn same_statics(&self, other: &Built) -> bool {
        Arc::ptr_eq(&self.engine, &other.engine)
    }

    /// Does ahead of time what the next [`rebuild`] from `self` would do first: copy the
    /// output map (tens of thousands of entries on a big site) that it renders into. The
    /// dev server calls it while it waits for the next change.
    pub fn prepare_rebuild(&self) {
        let mut spare = self.spare.lock().unwrap_or_else(|e| e.into_inner());
        if spare.is_none() {
            *spare = Some(self.output.clone());
        }
    }

    /// The copy of `output` to render a rebuild into.
    fn output_copy(&self) -> Output {
        let spare = self.spare.lock().unwrap_or_else(|e| e.into_inner()).take();
        spare.unwrap_or_else(|| self.output.clone())
    }
}

/// Reads `site.yaml` and applies command-line overrides.
/// A folder without `site.yaml`: what is wrong and how to make or name a site.
fn not_a_site(root: &Path) -> Diagnostic {
    Diagnostic::error(
        "site.yaml",
        0,
        0,
        Text::new(
            format!("{} 不是 jiangtang 站点：缺少 site.yaml", root.display()),
            format!(
                "{} is not a jiangtang site: site.yaml is missing",
                root.display()
            ),
        ),
    )
    .with_hint(Text::new(
        "在站点文件夹中运行，或用 --root 指定站点文件夹；新建站点用 jiangtang init 文件夹名",
        "run inside the site folder or pass --root; create a site with `jiangtang init DIR`",
    ))
}

/// The site folder `root` holds a `site.yaml` (whatever is in it). The dev server asks
/// before it starts: it shows mistakes in the file while it runs, but without one there
/// is no site to watch.
pub fn require_site(root: &Path) -> Result<(), Diagnostic> {
    match std::fs::metadata(root.join("site.yaml")) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(not_a_site(root)),
        Err(e) => Err(io_diag("site.yaml", &e)),
    }
}

pub fn load_config(opts: &Options) -> Result<Config, Vec<Diagnostic>> {
    let path = opts.root.join("site.yaml");
    let mut config = match std::fs::read(&path) {
        Ok(bytes) => Config::parse(Path::new("site.yaml"), &bytes)?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(vec![not_a_site(&opts.root)]);
        }
        Err(e) => return Err(vec![io_diag("site.yaml", &e)]),
    };
    if let Some(b) = &opts.base_url
        && let Err((m, h)) = config.set_base_url(b)
    {
        let m = Text::new(
            format!("--base-url：{}", m.zh),
            format!("--base-url: {}", m.en),
        );
        return Err(vec![Diagnostic::argument(m).with_hint(h)]);
    }
    Ok(config)
}

/// The content file `rel` (a path in the site folder, `content/guide/editing.md`) as a
/// Markdown file to read outside the site: its title as the first heading, its front
/// matter left out, the values `site.yaml` allows written into its site-values blocks.
pub fn standalone_page(opts: &Options, rel: &Path) -> Result<String, Vec<Diagnostic>> {
    let config = load_config(opts)?;
    let bytes = std::fs::read(opts.root.join(rel)).map_err(|e| vec![io_diag(rel, &e)])?;
    let text = content::frontmatter::decode(rel, &bytes).map_err(|d| vec![d])?;
    content::values::standalone(rel, &text, &config.allowed_values())
}

/// The current local time in the site timezone.
pub fn now_in(config: &Config) -> DateTime {
    let tz = jiff::tz::TimeZone::get(&config.timezone).unwrap_or(jiff::tz::TimeZone::UTC);
    jiff::Timestamp::now().to_zoned_datetime(tz).datetime()
}

/// Loads and checks the whole site: the model and the theme, or every error found.
pub fn load(opts: &Options) -> Result<(Site, Theme, Vec<Diagnostic>), Vec<Diagnostic>> {
    let loaded = load_all(opts)?;
    Ok((loaded.site, loaded.theme, loaded.warnings))
}

/// A loaded site with what a rebuild needs of its loading.
struct Loaded {
    site: Site,
    theme: Theme,
    /// Every warning: the model's and the root-absolute links'.
    warnings: Vec<Diagnostic>,
    sources: Vec<Arc<content::SourceFile>>,
    assets: Vec<content::AssetFile>,
    /// The root-absolute link warnings alone, which a rebuild updates page by page.
    root_links: Vec<Diagnostic>,
    /// How many images were made and how many taken from the cache.
    images: media::Counts,
}

fn load_all(opts: &Options) -> Result<Loaded, Vec<Diagnostic>> {
    let config = load_config(opts)?;
    let theme = timed("theme", || Theme::load(&opts.root, &config))?;
    let (sources, mut assets) =
        timed("read", || content::walk(&opts.root)).map_err(|e| vec![io_diag("content", &e)])?;
    let images = timed("images", || {
        media::prepare(&opts.root, &mut assets, opts.images)
    });
    let sources: Vec<Arc<content::SourceFile>> = sources.into_iter().map(Arc::new).collect();
    let now = opts.now.unwrap_or_else(|| now_in(&config));
    let bopts = site::BuildOptions {
        drafts: opts.drafts,
        now,
        words: BodyWords::from_ui(&theme.ui),
    };
    let (site, mut warnings) = timed("model", || {
        Site::build(config, &sources, assets.clone(), &bopts)
    })?;
    let root_links = timed("links", || publish::links::root_absolute_links(&site));
    warnings.extend(root_links.iter().cloned());
    Ok(Loaded {
        site,
        theme,
        warnings,
        sources,
        assets,
        root_links,
        images,
    })
}

/// Renders a loaded site into memory, search index included.
pub(crate) fn render_site(site: &Site, theme: &Theme) -> Result<Output, Vec<Diagnostic>> {
    let engine = Arc::new(render::Engine::new(&site.config, theme)?);
    render_site_with(site, &engine)
}

fn render_site_with(site: &Site, engine: &Arc<render::Engine>) -> Result<Output, Vec<Diagnostic>> {
    let mut out = timed("render", || {
        render_jobs(
            site,
            engine,
            &render::jobs(site),
            Output::default(),
            Extras::ALL,
        )
    })?;
    timed("search", || add_search_index(site, &mut out));
    Ok(out)
}

/// Runs `f`; when the environment variable `JIANGTANG_TIMINGS` is set, prints to stderr
/// how long it took (wall clock) and the memory in use after it, to see where a build
/// spends its time.
pub(crate) fn timed<T>(phase: &str, f: impl FnOnce() -> T) -> T {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    if !*ON.get_or_init(|| std::env::var_os("JIANGTANG_TIMINGS").is_some()) {
        return f();
    }
    let started = std::time::Instant::now();
    let cpu_before = cpu_ms();
    let value = f();
    let cpu = cpu_ms()
        .zip(cpu_before)
        .map_or(String::new(), |(after, before)| {
            format!(", {:6} ms CPU", after - before)
        });
    // Resident memory after the phase, where the system tells it (Linux).
    let rss_mb = std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
        .map_or(String::new(), |pages| {
            format!(", {} MB resident", (pages * 4096) >> 20)
        });
    crate::platform::err_line(format_args!(
        "{phase:>8}: {:7.1} ms{cpu}{rss_mb}",
        started.elapsed().as_secs_f64() * 1e3
    ));
    value
}

/// The CPU time (user and system) the process has used so far, in milliseconds, where
/// the system tells it (Linux, at its clock tick's precision).
fn cpu_ms() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The fields after the command name, which is in parentheses and may hold spaces.
    let mut fields = stat.rsplit_once(')')?.1.split_whitespace();
    let user: u64 = fields.nth(11)?.parse().ok()?;
    let system: u64 = fields.next()?.parse().ok()?;
    // Clock ticks of 1/100 s, the value Linux reports on every common platform.
    Some((user + system) * 10)
}

/// Writes the search index (`search/…`) of `site` into `out`, replacing the old one.
pub fn add_search_index(site: &Site, out: &mut Output) {
    add_index_of(&search::site::docs(site), out);
}

/// Writes the search index of `docs` into `out`, replacing the old one.
pub(crate) fn add_index_of(docs: &[search::SearchDoc], out: &mut Output) {
    out.files.retain(|path, _| !search::is_index_file(path));
    for (path, bytes) in search::build_index(docs) {
        out.add(path, bytes);
    }
}

/// What a render writes besides the pages of its jobs.
#[derive(Clone, Copy)]
struct Extras {
    /// The theme's static files.
    statics: bool,
    /// The co-located files (attachments, images).
    copies: bool,
    /// The calendar files.
    calendars: bool,
}

impl Extras {
    const ALL: Extras = Extras {
        statics: true,
        copies: true,
        calendars: true,
    };
}

/// Renders `jobs` on top of `out` (which holds the previous build's files when only part
/// of the site is rendered again).
fn render_jobs(
    site: &Site,
    engine: &Arc<render::Engine>,
    jobs: &[Job],
    out: Output,
    extras: Extras,
) -> Result<Output, Vec<Diagnostic>> {
    let sink = std::sync::Mutex::new(out);
    render_into(site, engine, jobs, &sink, extras).map_err(|e| match e {
        BuildError::Content(d) => d,
        BuildError::Write(e) => vec![io_diag("", &e)],
    })?;
    let mut out = sink.into_inner().unwrap_or_else(|e| e.into_inner());
    // Last, so that it sees every file: relative mode rewrites the links of all of them.
    if site.config.relative {
        publish::links::relativize(&mut out);
    }
    Ok(out)
}

/// Renders `jobs` and the `extras` asked for (static files, co-located files, calendar
/// files) into `sink`.
fn render_into(
    site: &Site,
    engine: &Arc<render::Engine>,
    jobs: &[Job],
    sink: &dyn output::Sink,
    extras: Extras,
) -> Result<(), BuildError> {
    use rayon::prelude::*;
    let renderer = timed("renderer", || Renderer::new(site, Arc::clone(engine)))
        .map_err(|d| BuildError::Content(vec![d]))?;
    // Calendars beside the pages: each fills the other's idle moments (a phase's last
    // jobs leave a core free).
    let (diags, calendars) = rayon::join(
        || timed("pages", || renderer.render_all(jobs, sink)),
        || {
            if !extras.calendars {
                return Ok(());
            }
            timed("ics", || {
                render::ics::calendars(site, engine)
                    .into_par_iter()
                    .try_for_each(|(path, text)| sink.put(&path, text.into_bytes()))
            })
        },
    );
    let diags = diags?;
    if !diags.is_empty() {
        return Err(BuildError::Content(diags));
    }
    calendars?;
    if extras.statics {
        // The images of static/ are published as their variants (below), never as given.
        let images: std::collections::HashSet<&str> = site
            .files
            .iter()
            .filter(|(a, _)| a.in_static)
            .map(|(a, _)| a.rel.as_str())
            .collect();
        for (path, bytes) in &engine.statics.files {
            if !images.contains(&**path) {
                sink.put(path, bytes.to_vec())?;
            }
        }
    }
    if extras.copies {
        site.files
            .par_iter()
            .try_for_each(|(asset, url)| copy_file(sink, asset, url))?;
    }
    Ok(())
}

/// Publishes a co-located file at `url`: an image as its variants (from the cache), a
/// file that cannot be published not at all, any other file as it is.
fn copy_file(
    sink: &dyn output::Sink,
    asset: &content::AssetFile,
    url: &str,
) -> std::io::Result<()> {
    match &asset.media {
        None => sink.copy(&render::url_to_path(url), &asset.abs),
        Some(media::Media::Broken(_)) => Ok(()),
        Some(media::Media::Image(image)) => {
            let folder = url.rsplit_once('/').map_or("", |(f, _)| f);
            image
                .variants
                .iter()
                .zip(&image.files)
                .try_for_each(|(v, file)| {
                    sink.share(&render::url_to_path(&format!("{folder}/{}", v.name)), file)
                })
        }
    }
}

/// Why a build that writes its output failed.
#[derive(Debug)]
pub enum BuildError {
    /// Mistakes in the content or the templates; nothing was written.
    Content(Vec<Diagnostic>),
    /// The output could not be written; the output folder is as it was.
    Write(std::io::Error),
}

impl From<Vec<Diagnostic>> for BuildError {
    fn from(d: Vec<Diagnostic>) -> Self {
        BuildError::Content(d)
    }
}

impl From<std::io::Error> for BuildError {
    fn from(e: std::io::Error) -> Self {
        BuildError::Write(e)
    }
}

/// What `build_into` published.
pub struct Published {
    /// The kind of every page of the site.
    pub kinds: Vec<content::Kind>,
    pub warnings: Vec<Diagnostic>,
    /// How many HTML pages were written.
    pub html: usize,
    /// How many images were made and how many taken from the cache.
    pub images: media::Counts,
}

/// Loads, renders and writes the site to `dest`, swapping it in atomically (see
/// [`output::Staging`]). Pages are written as they are rendered, so the whole site is
/// never held in memory. On any error `dest` stays as it was.
pub fn build_into(
    opts: &Options,
    dest: &Path,
    wopts: output::WriteOptions,
) -> Result<Published, BuildError> {
    let Loaded {
        site,
        theme,
        warnings,
        images,
        ..
    } = load_all(opts)?;
    if site.config.relative {
        // Relative links are rewritten knowing every file: built in memory first.
        let out = render_site(&site, &theme)?;
        timed("write", || output::write_atomic_with(&out, dest, wopts))?;
        // The pages at old addresses only send readers on.
        let html = out.files.keys().filter(|k| k.ends_with(".html")).count();
        let html = html.saturating_sub(site.aliases.len());
        return Ok(Published {
            kinds: site.pages().map(|p| p.kind).collect(),
            warnings,
            html,
            images,
        });
    }
    let staging = output::Staging::open(dest, wopts)?;
    let jobs = render::jobs(&site);
    timed("render", || {
        let engine = Arc::new(render::Engine::new(&site.config, &theme)?);
        render_into(&site, &engine, &jobs, &staging, Extras::ALL)
    })?;
    // The pages at old addresses only send readers on.
    let html = jobs
        .iter()
        .filter(|j| j.is_html() && !matches!(j, render::Job::Alias(_)))
        .count();
    let kinds = site.pages().map(|p| p.kind).collect();
    timed("search", || {
        use rayon::prelude::*;
        let docs = search::site::docs(&site);
        // The index needs the documents only: the memory of the model (sources, parsed
        // pages) goes back to the allocator for the index to reuse, which keeps the
        // build's peak memory at the larger of the two rather than their sum. It is
        // freed on one thread while the index begins on the other (its first steps,
        // sorting the pages and sampling their terms, leave a core free).
        let ((), files) = rayon::join(move || drop(site), || search::build_index(&docs));
        files
            .into_par_iter()
            .try_for_each(|(path, bytes)| staging.put(&path, &bytes))
    })?;
    timed("write", || staging.commit())?;
    Ok(Published {
        kinds,
        warnings,
        html,
        images,
    })
}

/// Loads and renders: the complete site in memory.
pub fn build(opts: &Options) -> Result<Built, Vec<Diagnostic>> {
    let Loaded {
        site,
        theme,
        warnings,
        sources,
        assets,
        root_links,
        images,
    } = load_all(opts)?;
    let engine = Arc::new(render::Engine::new(&site.config, &theme)?);
    let output = render_site_with(&site, &engine)?;
    Ok(Built {
        engine,
        images,
        site,
        output,
        warnings,
        theme,
        sources,
        assets,
        root_links,
        spare: Default::default(),
    })
}

/// Builds again after the files `changed` (paths relative to the site root) were
/// written, created or deleted. Edits to Markdown files re-parse those files and render
/// only the pages that show what changed; anything else (site.yaml, templates, static
/// files, attachments) rebuilds everything. The result equals a full build, except for
/// the search index after a partial rebuild (see [`add_search_index`]).
pub fn rebuild(
    prev: &Built,
    opts: &Options,
    changed: &[PathBuf],
) -> Result<Built, Vec<Diagnostic>> {
    let content_md =
        |p: &PathBuf| p.starts_with("content") && p.extension().is_some_and(|e| e == "md");
    if changed.is_empty() || !changed.iter().all(content_md) {
        return build(opts);
    }
    let sources = timed("sources", || sources_after(&prev.sources, opts, changed))?;
    let config = prev.site.config.clone();
    let now = opts.now.unwrap_or_else(|| now_in(&config));
    let bopts = site::BuildOptions {
        drafts: opts.drafts,
        now,
        words: BodyWords::from_ui(&prev.theme.ui),
    };
    let (site, mut warnings) = timed("model", || {
        Site::build_with(
            config,
            &sources,
            prev.assets.clone(),
            &bopts,
            &prev.site.cache,
        )
    })?;
    // `None` when a page came, went or moved.
    let affected = timed("affected", || render::affected_jobs(&prev.site, &site));
    let root_links = timed("links", || {
        root_links_after(prev, &site, affected.is_none())
    });
    warnings.extend(root_links.iter().cloned());
    // Calendars show lectures only; the search index stays as it was until the caller
    // refreshes it with `add_search_index` (the dev server does so after the reload).
    let lectures_changed = changed.iter().any(|p| p.starts_with("content/lectures"));
    let output = match affected {
        Some(jobs) => timed("render", || {
            let mut out = timed("output", || prev.output_copy());
            // The theme's static files are in `out` already; co-located files too,
            // unless the edit changed which are published.
            let copies = prev.site.files != site.files;
            if copies {
                out.copies.clear();
            }
            let extras = Extras {
                statics: false,
                copies,
                calendars: lectures_changed,
            };
            render_jobs(&site, &prev.engine, &jobs, out, extras)
        })?,
        None => render_site_with(&site, &prev.engine)?,
    };
    Ok(Built {
        engine: Arc::clone(&prev.engine),
        images: media::Counts::default(),
        site,
        output,
        warnings,
        theme: prev.theme.clone(),
        sources,
        assets: prev.assets.clone(),
        root_links,
        spare: Default::default(),
    })
}

/// The sources of `prev` with the files `changed` (paths relative to the site root) read
/// again, added or left out, in the order of `content::walk`: by name, folder by folder,
/// so by the names along `rel`.
fn sources_after(
    prev: &[Arc<content::SourceFile>],
    opts: &Options,
    changed: &[PathBuf],
) -> Result<Vec<Arc<content::SourceFile>>, Vec<Diagnostic>> {
    let mut sources = prev.to_vec();
    for path in changed {
        let rel = platform::slashed(path.strip_prefix("content").unwrap_or(path));
        let at = sources.binary_search_by(|s| s.rel.split('/').cmp(rel.split('/')));
        match (std::fs::read(opts.root.join(path)), at) {
            (Ok(bytes), at) => {
                let file = Arc::new(content::SourceFile {
                    path: path.clone(),
                    rel,
                    bytes: bytes.into(),
                });
                match at {
                    Ok(i) => sources[i] = file,
                    Err(i) => sources.insert(i, file),
                }
            }
            (Err(e), Ok(i)) if e.kind() == std::io::ErrorKind::NotFound => {
                sources.remove(i);
            }
            (Err(e), Err(_)) if e.kind() == std::io::ErrorKind::NotFound => {}
            (Err(e), _) => return Err(vec![io_diag(path, &e)]),
        }
    }
    Ok(sources)
}

/// The root-absolute link warnings of `site`, rebuilt from `prev`: the pages whose file
/// changed are checked again and the others keep their warnings. When a page came, went
/// or `moved` (the hints name pages by their address), every page is checked again.
fn root_links_after(prev: &Built, site: &Site, moved: bool) -> Vec<Diagnostic> {
    let (old, new) = (prev.site.pages(), site.pages());
    if moved || old.len() != new.len() {
        return publish::links::root_absolute_links(site);
    }
    // The pages whose file was read again: a page keeps the same `Arc` while its file is
    // unchanged.
    let fresh_pages: Vec<site::Page<'_>> = old
        .zip(new)
        .filter(|(a, b)| !Arc::ptr_eq(a.src, b.src))
        .map(|(_, b)| b)
        .collect();
    if fresh_pages.is_empty() {
        return prev.root_links.clone();
    }
    // By address, for the check below that runs once per page of the site.
    let mut fresh: Vec<usize> = fresh_pages
        .iter()
        .map(|p| Arc::as_ptr(p.src).addr())
        .collect();
    fresh.sort_unstable();
    let is_fresh = |p: site::Page<'_>| fresh.binary_search(&Arc::as_ptr(p.src).addr()).is_ok();
    let fresh_paths: Vec<&Path> = fresh_pages.iter().map(|p| p.src.path.as_path()).collect();
    let mut out: Vec<Diagnostic> = prev
        .root_links
        .iter()
        .filter(|d| !fresh_paths.contains(&d.path.as_path()))
        .cloned()
        .collect();
    out.extend(publish::links::root_absolute_links_in(site, is_fresh));
    publish::links::sort_by_position(&mut out);
    out
}

/// Every check of `build` without writing anything: loads the site and renders it in
/// memory, so template errors count too. Returns every problem found (errors and
/// warnings) and the number of pages the site would publish.
pub fn check(opts: &Options) -> (Vec<Diagnostic>, usize) {
    match load(opts) {
        Err(diags) => (diags, 0),
        Ok((site, theme, mut diags)) => {
            if let Err(errors) = render_site(&site, &theme) {
                diags.extend(errors);
            }
            (diags, site.pages().len())
        }
    }
}

/// The output folder is held open by another program (Windows): what to close.
fn in_use_diag(e: &output::InUse) -> Diagnostic {
    Diagnostic::error(
        &e.folder,
        0,
        0,
        Text::new(
            format!("无法替换输出文件夹，它正被其他程序使用（{}）", e.source),
            format!(
                "cannot replace the output folder: another program is using it ({})",
                e.source
            ),
        ),
    )
    .with_hint(Text::new(
        "关闭打开该文件夹或其中文件的资源管理器窗口、命令提示符或编辑器，然后重新生成",
        "close the Explorer window, command prompt or editor that has the folder or a file in it open, then build again",
    ))
}

/// Refuses output folders whose replacement would destroy the site's sources.
pub fn check_output_dir(root: &Path, output: &Path) -> Result<(), Diagnostic> {
    // Without the working folder, a relative path cannot be compared: say so.
    let abs = |p: &Path| {
        std::path::absolute(p)
            .map(|p| normalise(&p))
            .map_err(|e| io_diag(p, &e))
    };
    let (root, out) = (abs(root)?, abs(output)?);
    let dangerous = platform::is_within(&root, &out)
        || ["content", "themes", "templates", "static", "src", ".git"]
            .iter()
            .any(|d| platform::is_within(&out, &root.join(d)));
    if dangerous {
        return Err(Diagnostic::error(
            output,
            0,
            0,
            Text::new(
                "输出文件夹不能是站点文件夹本身、它的上级或 content/ 等源文件夹（生成时会整体替换输出文件夹）",
                "the output folder cannot be the site folder, one of its parents, or a source folder such as content/ (it is replaced as a whole)",
            ),
        )
        .with_hint(Text::new("使用默认的 public/，或另选一个空文件夹", "use the default public/ or another empty folder")));
    }
    Ok(())
}

fn normalise(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

pub fn io_diag(path: impl AsRef<Path>, e: &std::io::Error) -> Diagnostic {
    if let Some(in_use) = e.get_ref().and_then(|e| e.downcast_ref::<output::InUse>()) {
        return in_use_diag(in_use);
    }
    // The system's words are English: the common causes are said in Chinese too.
    let why = match e.kind() {
        std::io::ErrorKind::NotFound => "找不到这个文件或文件夹".to_string(),
        std::io::ErrorKind::PermissionDenied => "没有读写权限".to_string(),
        std::io::ErrorKind::AlreadyExists => "已经存在".to_string(),
        std::io::ErrorKind::StorageFull => "磁盘已满".to_string(),
        _ => format!("系统报告：{e}"),
    };
    Diagnostic::error(
        path,
        0,
        0,
        Text::new(
            format!("读写文件失败：{why}"),
            format!("cannot read or write: {e}"),
        ),
    )
    .with_hint(Text::new(
        "检查文件夹是否存在、是否有读写权限",
        "check that the folder exists and is readable/writable",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_file_errors_are_said_in_chinese() {
        for kind in [
            std::io::ErrorKind::NotFound,
            std::io::ErrorKind::PermissionDenied,
        ] {
            let d = io_diag("content/a.md", &std::io::Error::from(kind));
            assert!(!d.message.zh.contains("os error"), "{}", d.message.zh);
            assert!(
                !d.message.zh.contains("not found") && !d.message.zh.contains("denied"),
                "{}",
                d.message.zh
            );
            assert_eq!(d.location(), "content/a.md");
        }
    }
}
