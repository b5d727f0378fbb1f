//! The `jiangtang` command line: parses arguments, calls the library, prints diagnostics
//! and a summary. Exit codes: 0 success, 1 content errors, 2 usage or file-system errors.
//! Output goes through `platform::out_line` and friends: a reader that stops reading
//! (`| head -1`) ends no command with a panic, and the exit code stays the command's.

#![warn(clippy::print_stdout, clippy::print_stderr)]

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use jiangtang::content::Kind;
use jiangtang::diagnostic::Text;
use jiangtang::{Diagnostic, Lang, Options, platform};

mod help;
mod usage;

/// The allocator of the binary (see Cargo.toml).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// For a one-shot build: freed memory stays with the allocator for reuse, instead of going
/// back to the system after a delay (see Cargo.toml). The `MIMALLOC_PURGE_DELAY`
/// environment variable still decides when it is set. Called before any other thread
/// starts.
#[allow(unsafe_code, reason = "mimalloc's option API is C")]
fn keep_freed_memory() {
    // `mi_option_purge_delay` in mimalloc 2's `mimalloc.h` (the Rust bindings lack it).
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
        return;
    }
    // SAFETY: sets an option value; the option functions are not thread-safe, and no
    // other thread exists yet.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, -1) }
}

#[derive(Parser)]
#[command(
    name = "jiangtang",
    version,
    about = "jiangtang (讲堂) — a static-site generator for cadre-training portals"
)]
struct Cli {
    /// Message language: zh (中文, default) or en.
    #[arg(long, global = true, value_enum, default_value_t = LangArg::Zh)]
    lang: LangArg,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum LangArg {
    Zh,
    En,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into public/ (replaced atomically; untouched when the build fails).
    Build {
        /// The site folder (holding site.yaml and content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output folder (default: public/ inside the site folder).
        #[arg(long)]
        output: Option<PathBuf>,
        /// Publish under this base URL: a path (/training/), an absolute URL, or "" for relative links.
        #[arg(long)]
        base_url: Option<String>,
        /// Include drafts and pages scheduled for later.
        #[arg(long)]
        drafts: bool,
        /// Build as if it were this local date and time ("2026-03-15" or "2026-03-15 09:00"), for reproducible output.
        #[arg(long)]
        now: Option<String>,
        /// Also write a .gz beside every text file over 1 KiB, for nginx `gzip_static on`.
        #[arg(long)]
        precompress: bool,
    },
    /// Create a working starter site in DIR.
    Init { dir: PathBuf },
    /// Preview the site with live reload: built in memory (public/ is not written),
    /// served under its base path, rebuilt on every saved change.
    Serve {
        /// The site folder (holding site.yaml and content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Address to listen on. The default keeps the preview on this computer.
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Port (0: any free port).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Open the preview in the default browser.
        #[arg(long)]
        open: bool,
        /// Include drafts and pages scheduled for later.
        #[arg(long)]
        drafts: bool,
        /// Poll for changes instead of relying on file-system notifications (network drives, WSL).
        #[arg(long)]
        poll: bool,
        /// Serve under this base URL instead of the one in site.yaml.
        #[arg(long)]
        base_url: Option<String>,
    },
    /// Check the site without writing anything: front matter, links and anchors,
    /// attachments, taxonomy values, schedule rules, templates. Exit 0 when clean, 1 on errors.
    Check {
        /// The site folder (holding site.yaml and content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// human: messages with the source line; json: one JSON object on stdout for editors' tools.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Also check what a build with --drafts would publish.
        #[arg(long)]
        drafts: bool,
        /// Check as if it were this local date and time (as for build).
        #[arg(long)]
        now: Option<String>,
    },
    /// Create a content file with every field of its kind filled with an example:
    /// `jiangtang new course courses/dang-shi`, `new lesson courses/dang-shi --title "第一课"`.
    New {
        /// The kind of file.
        #[arg(value_parser = new_kinds())]
        kind: String,
        /// Path inside content/ (a leading content/ is accepted): a file, or a folder with --title.
        path: String,
        /// The site folder (holding site.yaml and content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The title; names the file (as an ASCII slug) when PATH is a folder.
        #[arg(long)]
        title: Option<String>,
    },
    /// Bring Word documents (.docx, from Word or WPS) in as pages: front matter as `new`
    /// writes it, the text as Markdown, the pictures beside it.
    Import {
        /// The Word documents (.docx).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// What each document becomes.
        #[arg(long = "as", id = "as", value_name = "KIND", value_parser = import_kinds())]
        kind: String,
        /// Where in content/: a folder (the file is named by the title) or a file; for a lesson, its course's folder.
        #[arg(long)]
        to: Option<String>,
        /// The site folder (holding site.yaml and content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Replace files that exist.
        #[arg(long)]
        force: bool,
    },
    /// Print a content file as Markdown to read outside the site (the editors' guide
    /// shipped beside the program): its title as a heading, no front matter, the values
    /// site.yaml allows written into its site-values blocks.
    #[command(hide = true)]
    Markdown {
        /// The file, as a path in the site folder (content/guide/editing.md).
        file: PathBuf,
        /// The site folder (holding site.yaml and content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Human,
    Json,
}

/// The kinds `new` writes, by their keys (`course`, `lesson` …).
fn new_kinds() -> clap::builder::PossibleValuesParser {
    clap::builder::PossibleValuesParser::new(Kind::scaffolded().map(Kind::key))
}

/// The kinds a document can be imported as (`case`, `lesson`, `page`).
fn import_kinds() -> clap::builder::PossibleValuesParser {
    clap::builder::PossibleValuesParser::new(jiangtang::import::KINDS.map(Kind::key))
}

fn main() -> ExitCode {
    // Kept until main returns, which puts back the console's code page.
    let _console = platform::Console::prepare();
    // Not `Cli::parse`, which would exit at once, past the console's restore.
    let cli = match parse_args() {
        Ok(cli) => cli,
        Err((e, lang)) => return usage_error(&e, lang),
    };
    let lang = match cli.lang {
        LangArg::Zh => Lang::Zh,
        LangArg::En => Lang::En,
    };
    match cli.command {
        Command::Build {
            root,
            output,
            base_url,
            drafts,
            now,
            precompress,
        } => {
            keep_freed_memory();
            build(lang, root, output, base_url, drafts, now, precompress)
        }
        Command::Serve {
            root,
            bind,
            port,
            open,
            drafts,
            poll,
            base_url,
        } => serve(
            lang,
            jiangtang::serve::ServeOptions {
                site: Options {
                    root,
                    base_url,
                    drafts,
                    now: None,
                    // The first page is served before the images are made.
                    images: jiangtang::media::Work::Later,
                },
                bind,
                port,
                poll,
                open,
                lang,
            },
        ),
        Command::Check {
            root,
            format,
            drafts,
            now,
        } => check(lang, root, format, drafts, now),
        Command::New {
            kind,
            path,
            root,
            title,
        } => new_file(lang, kind, &path, root, title),
        Command::Markdown { file, root } => {
            let opts = Options {
                root: root.clone(),
                ..Options::default()
            };
            match jiangtang::standalone_page(&opts, &file) {
                Ok(text) => {
                    platform::out_line(text.trim_end());
                    ExitCode::SUCCESS
                }
                Err(diags) => {
                    print_report(&diags, lang, Some(&root));
                    ExitCode::from(1)
                }
            }
        }
        Command::Import {
            files,
            kind,
            to,
            root,
            force,
        } => import(lang, &files, &kind, to.as_deref(), root, force),
        Command::Init { dir } => match jiangtang::init::create(&dir) {
            Ok(()) => {
                let (prog, relative) = program();
                let dir = dir.display();
                // Two commands on two lines: Windows PowerShell 5 has no `&&`. A program
                // started by a relative path is not found from inside the new folder.
                let steps = if relative {
                    format!("  {prog} serve --root {dir}")
                } else {
                    format!("  cd {dir}\n  {prog} serve")
                };
                let msg = Text::new(
                    format!("已在 {dir} 创建新站点。预览：\n{steps}"),
                    format!("created a new site in {dir}. Preview:\n{steps}"),
                )
                .into_lang(lang);
                platform::out_line(&msg);
                ExitCode::SUCCESS
            }
            Err(d) => {
                print_diags(&[d], lang);
                ExitCode::from(2)
            }
        },
    }
}

/// This program as hints name it, and whether that is a relative path (see
/// `platform::program_name`).
fn program() -> (String, bool) {
    let argv0 = std::env::args_os()
        .next()
        .map(|a| a.to_string_lossy().into_owned())
        .unwrap_or_default();
    platform::program_name(&argv0, cfg!(windows))
}

/// The arguments, with the help in Chinese unless English is asked for; a mistake comes
/// with the language to tell it in.
fn parse_args() -> Result<Cli, (clap::Error, Lang)> {
    let args: Vec<String> = std::env::args_os()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let env = |name: &str| std::env::var(name).ok();
    let lang = help::help_lang(&args, env("LC_ALL").as_deref(), env("LANG").as_deref());
    help::localise(Cli::command(), lang)
        .try_get_matches_from(std::env::args_os())
        .and_then(|m| Cli::from_arg_matches(&m))
        .map_err(|e| (e, lang))
}

/// A mistake in the arguments, told like a content mistake (help and the version as
/// clap prints them), with clap's exit code.
fn usage_error(e: &clap::Error, lang: Lang) -> ExitCode {
    if usage::is_shown_as_is(e) {
        let _ = e.print();
    } else {
        let args: Vec<String> = std::env::args_os()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        let commands: Vec<String> = Cli::command()
            .get_subcommands()
            .map(|c| c.get_name().to_string())
            .collect();
        let commands: Vec<&str> = commands.iter().map(String::as_str).collect();
        let (program, _) = program();
        let typed = usage::Typed {
            program: &program,
            command: usage::command_in(&args, &commands),
        };
        print_diags(&[usage::diagnostic(e, &typed)], lang);
    }
    ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2))
}

/// Runs the preview server; returns only when it cannot start (exit code 2).
fn serve(lang: Lang, opts: jiangtang::serve::ServeOptions) -> ExitCode {
    match jiangtang::serve::run(opts) {
        Ok(()) => ExitCode::SUCCESS,
        Err(d) => {
            print_diags(&[d], lang);
            ExitCode::from(2)
        }
    }
}

/// `--now`: a date and time, or a date (at noon).
fn parse_now(raw: &str) -> Option<jiff::civil::DateTime> {
    jiangtang::content::frontmatter::parse_datetime(raw).or_else(|| {
        jiangtang::content::frontmatter::parse_date(raw)
            .and_then(|d| d.at(12, 0, 0, 0).checked_add(jiff::Span::new()).ok())
    })
}

fn bad_now(raw: &str) -> Diagnostic {
    Diagnostic::argument(Text::new(
        format!("--now 的值“{raw}”不是日期时间"),
        format!("--now: `{raw}` is not a date and time"),
    ))
    .with_hint(Text::new(
        "写成 --now \"2026-03-15 09:00\" 或 --now 2026-03-15",
        "write --now \"2026-03-15 09:00\" or --now 2026-03-15",
    ))
}

fn build(
    lang: Lang,
    root: PathBuf,
    output: Option<PathBuf>,
    base_url: Option<String>,
    drafts: bool,
    now: Option<String>,
    precompress: bool,
) -> ExitCode {
    let started = Instant::now();
    let now = match now.as_deref().map(|raw| (raw, parse_now(raw))) {
        None => None,
        Some((_, Some(t))) => Some(t),
        Some((raw, None)) => {
            print_diags(&[bad_now(raw)], lang);
            return ExitCode::from(2);
        }
    };
    let opts = Options {
        root: root.clone(),
        base_url,
        drafts,
        now,
        images: jiangtang::media::Work::Now,
    };
    let out_dir = output.unwrap_or_else(|| root.join("public"));
    if let Err(d) = jiangtang::check_output_dir(&root, &out_dir) {
        print_diags(&[d], lang);
        return ExitCode::from(2);
    }
    let done = Arc::new(AtomicBool::new(false));
    let progress = progress_line(Arc::clone(&done), lang);
    let wopts = jiangtang::output::WriteOptions { precompress };
    let result = jiangtang::build_into(&opts, &out_dir, wopts);
    done.store(true, Ordering::SeqCst);
    if let Some(h) = progress {
        let _ = h.join();
    }
    match result {
        Err(jiangtang::BuildError::Content(diags)) => {
            print_report(&diags, lang, Some(&root));
            let errors = diags.iter().filter(|d| d.is_error()).count();
            platform::err_line(
                Text::new(
                    format!(
                        "生成失败：{errors} 个错误。{} 保持不变。",
                        out_dir.display()
                    ),
                    format!(
                        "build failed: {errors} error(s). {} was left unchanged.",
                        out_dir.display()
                    ),
                )
                .get(lang),
            );
            ExitCode::from(1)
        }
        Err(jiangtang::BuildError::Write(e)) => {
            print_diags(&[jiangtang::io_diag(&out_dir, &e)], lang);
            ExitCode::from(2)
        }
        Ok(built) => {
            print_report(&built.warnings, lang, Some(&root));
            let counts = Kind::summary(&built.kinds);
            let html = built.html;
            let secs = started.elapsed().as_secs_f64();
            let warnings = built.warnings.len();
            let line = Text::new(
                format!(
                    "已生成 {html} 个页面（{}），{warnings} 个警告，用时 {secs:.2} 秒 → {}",
                    counts.zh,
                    out_dir.display()
                ),
                format!(
                    "built {html} pages ({}), {warnings} warning(s) in {secs:.2} s → {}",
                    counts.en,
                    out_dir.display()
                ),
            )
            .into_lang(lang);
            platform::out_line(&line);
            let images = built.images;
            if images.processed + images.cached > 0 {
                let line = Text::new(
                    format!(
                        "图片：新处理 {} 张，取自缓存 {} 张",
                        images.processed, images.cached
                    ),
                    format!(
                        "images: {} processed, {} from the cache",
                        images.processed, images.cached
                    ),
                );
                platform::out_line(line.get(lang));
            }
            ExitCode::SUCCESS
        }
    }
}

/// A spinner on stderr for builds that take longer than a second; nothing when stderr is
/// not a terminal.
fn progress_line(done: Arc<AtomicBool>, lang: Lang) -> Option<std::thread::JoinHandle<()>> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    Some(std::thread::spawn(move || {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(1) {
            if done.load(Ordering::SeqCst) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_message(Text::new("正在生成站点……", "building the site…").into_lang(lang));
        bar.enable_steady_tick(Duration::from_millis(100));
        while !done.load(Ordering::SeqCst) {
            std::thread::sleep(Duration::from_millis(20));
        }
        bar.finish_and_clear();
    }))
}

fn print_diags(diags: &[Diagnostic], lang: Lang) {
    print_report(diags, lang, None);
}

/// Prints diagnostics on stderr with the source lines read from the site folder `root`:
/// coloured on a terminal (unless NO_COLOR is set), plain when piped.
fn print_report(diags: &[Diagnostic], lang: Lang, root: Option<&Path>) {
    if diags.is_empty() {
        return;
    }
    let color = std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none()
        && platform::ansi_colours();
    let report = jiangtang::diagnostic::Report { lang, color, root };
    platform::err_text(report.render(diags));
}

/// `jiangtang check`: every validation of `build` without writing anything.
fn check(lang: Lang, root: PathBuf, format: Format, drafts: bool, now: Option<String>) -> ExitCode {
    let now = match now.as_deref().map(|raw| (raw, parse_now(raw))) {
        None => None,
        Some((_, Some(t))) => Some(t),
        Some((raw, None)) => {
            print_diags(&[bad_now(raw)], lang);
            return ExitCode::from(2);
        }
    };
    let opts = Options {
        root: root.clone(),
        base_url: None,
        drafts,
        now,
        images: jiangtang::media::Work::Now,
    };
    let (diags, pages) = jiangtang::check(&opts);
    let errors = diags.iter().filter(|d| d.is_error()).count();
    match format {
        Format::Json => {
            let json = jiangtang::diagnostic::to_json(&diags, lang, Some(&root));
            platform::out_line(
                serde_json::to_string_pretty(&json).expect("a JSON value serialises"),
            );
        }
        Format::Human => {
            print_report(&diags, lang, Some(&root));
            let counts = jiangtang::diagnostic::counts(&diags, lang);
            if errors > 0 {
                platform::err_line(
                    Text::new(
                        format!("检查未通过：{counts}。"),
                        format!("check failed: {counts}."),
                    )
                    .get(lang),
                );
            } else {
                platform::out_line(
                    Text::new(
                        format!("检查通过：{pages} 个内容文件，{counts}。"),
                        format!("check passed: {pages} content files, {counts}."),
                    )
                    .get(lang),
                );
            }
        }
    }
    if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// `jiangtang new KIND PATH`: a content file filled with examples, never overwriting.
/// The site's `site.yaml`, or its mistakes printed.
fn site_config(root: &Path, lang: Lang) -> Result<jiangtang::Config, ()> {
    let opts = Options {
        root: root.to_path_buf(),
        ..Options::default()
    };
    jiangtang::load_config(&opts).map_err(|diags| print_report(&diags, lang, Some(root)))
}

fn new_file(
    lang: Lang,
    kind: String,
    path: &str,
    root: PathBuf,
    title: Option<String>,
) -> ExitCode {
    let kind = Kind::from_key(&kind).expect("the argument parser accepts only the keys of kinds");
    let config = match site_config(&root, lang) {
        Ok(c) => c,
        Err(()) => return ExitCode::from(2),
    };
    let today = jiangtang::now_in(&config).date();
    match jiangtang::scaffold::create(&root, kind, path, title.as_deref(), &config, today) {
        Ok(created) => {
            let shown = platform::from_here(&root, &created.path);
            let name = kind.names();
            let (prog, _) = program();
            let root_arg = if root == Path::new(".") {
                String::new()
            } else {
                format!(" --root {}", root.display())
            };
            let (serve, check) = (
                format!("{prog} serve{root_arg}"),
                format!("{prog} check{root_arg}"),
            );
            platform::out_line(Text::new(format!(
                        "已创建{}：{shown}\n  打开它，把示例内容改成实际内容；预览：{serve}；检查：{check}",
                        name.zh
                    ), format!(
                        "created a {}: {shown}\n  open it and replace the examples; preview: {serve}; check: {check}",
                        kind.key()
                    )).get(lang));
            ExitCode::SUCCESS
        }
        Err(mut d) => {
            // Named as the editor can open it from here, like the file `new` writes.
            if !d.path.as_os_str().is_empty() {
                d.path = PathBuf::from(platform::from_here(&root, &d.path));
            }
            print_report(&[d], lang, Some(Path::new(".")));
            ExitCode::from(2)
        }
    }
}

fn import(
    lang: Lang,
    files: &[PathBuf],
    kind: &str,
    to: Option<&str>,
    root: PathBuf,
    force: bool,
) -> ExitCode {
    let kind = Kind::from_key(kind).expect("the argument parser accepts only the keys of kinds");
    let Ok(config) = site_config(&root, lang) else {
        return ExitCode::from(1);
    };
    let request = jiangtang::import::Request {
        root: &root,
        kind,
        to,
        force,
        config: &config,
        today: jiangtang::now_in(&config).date(),
    };
    match jiangtang::import::import(files, &request) {
        Ok(done) => {
            for d in &done {
                print_report(&d.warnings, lang, None);
                platform::out_line(d.summary().get(lang));
            }
            ExitCode::SUCCESS
        }
        Err(errors) => {
            print_report(&errors, lang, Some(&root));
            platform::err_line(Text::new("没有导入任何文件。", "nothing was imported.").get(lang));
            ExitCode::from(1)
        }
    }
}
