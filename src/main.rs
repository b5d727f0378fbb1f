//! The `jiangtang` command line: parses arguments, calls the library, prints diagnostics
//! and a summary. Exit codes: 0 success, 1 content errors, 2 usage or file-system errors.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand, ValueEnum};
use jiangtang::content::Kind;
use jiangtang::{Diagnostic, Lang, Options};

#[derive(Parser)]
#[command(
    name = "jiangtang",
    version,
    about = "讲堂 — 干部培训学习平台静态网站生成器 / a static-site generator for cadre-training portals"
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
    },
    /// Create a working starter site in DIR.
    Init { dir: PathBuf },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
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
        } => build(lang, root, output, base_url, drafts, now),
        Command::Init { dir } => match jiangtang::init::create(&dir) {
            Ok(()) => {
                let msg = match lang {
                    Lang::Zh => format!(
                        "已在 {} 创建新站点。预览：cd {} && jiangtang serve",
                        dir.display(),
                        dir.display()
                    ),
                    Lang::En => format!(
                        "created a new site in {}. Preview: cd {} && jiangtang serve",
                        dir.display(),
                        dir.display()
                    ),
                };
                println!("{msg}");
                ExitCode::SUCCESS
            }
            Err(d) => {
                print_diags(&[d], lang);
                ExitCode::from(2)
            }
        },
    }
}

fn parse_now(raw: &str) -> Option<jiff::civil::DateTime> {
    jiangtang::content::frontmatter::parse_datetime(raw).or_else(|| {
        jiangtang::content::frontmatter::parse_date(raw)
            .and_then(|d| d.at(12, 0, 0, 0).checked_add(jiff::Span::new()).ok())
    })
}

fn build(
    lang: Lang,
    root: PathBuf,
    output: Option<PathBuf>,
    base_url: Option<String>,
    drafts: bool,
    now: Option<String>,
) -> ExitCode {
    let started = Instant::now();
    let now = match now.as_deref().map(|raw| (raw, parse_now(raw))) {
        None => None,
        Some((_, Some(t))) => Some(t),
        Some((raw, None)) => {
            eprintln!(
                "--now: {raw}: {}",
                pick(lang, "无法识别的日期时间", "not a date and time")
            );
            return ExitCode::from(2);
        }
    };
    let opts = Options {
        root: root.clone(),
        base_url,
        drafts,
        now,
    };
    let out_dir = output.unwrap_or_else(|| root.join("public"));
    if let Err(d) = jiangtang::check_output_dir(&root, &out_dir) {
        print_diags(&[d], lang);
        return ExitCode::from(2);
    }
    let done = Arc::new(AtomicBool::new(false));
    let progress = progress_line(Arc::clone(&done), lang);
    let result = jiangtang::build(&opts);
    let written = result
        .as_ref()
        .ok()
        .map(|b| jiangtang::output::write_atomic(&b.output, &out_dir));
    done.store(true, Ordering::SeqCst);
    if let Some(h) = progress {
        let _ = h.join();
    }
    match (result, written) {
        (Err(diags), _) => {
            print_diags(&diags, lang);
            let errors = diags.iter().filter(|d| d.is_error()).count();
            eprintln!(
                "{}",
                match lang {
                    Lang::Zh => format!(
                        "生成失败：{errors} 个错误。{} 保持不变。",
                        out_dir.display()
                    ),
                    Lang::En => format!(
                        "build failed: {errors} error(s). {} was left unchanged.",
                        out_dir.display()
                    ),
                }
            );
            ExitCode::from(1)
        }
        (Ok(_), Some(Err(e))) => {
            print_diags(&[jiangtang::io_diag(&out_dir, &e)], lang);
            ExitCode::from(2)
        }
        (Ok(built), _) => {
            print_diags(&built.warnings, lang);
            let count = |k: Kind| built.site.pages.iter().filter(|p| p.kind == k).count();
            let html = built
                .output
                .files
                .keys()
                .filter(|k| k.ends_with(".html"))
                .count();
            let secs = started.elapsed().as_secs_f64();
            let line = match lang {
                Lang::Zh => format!(
                    "已生成 {html} 个页面（课程 {}，课时 {}，讲座 {}，案例 {}，其他页面 {}），{} 个警告，用时 {secs:.2} 秒 → {}",
                    count(Kind::Course),
                    count(Kind::Lesson),
                    count(Kind::Lecture),
                    count(Kind::Case),
                    count(Kind::Page),
                    built.warnings.len(),
                    out_dir.display()
                ),
                Lang::En => format!(
                    "built {html} pages ({} courses, {} lessons, {} lectures, {} cases, {} other pages), {} warning(s) in {secs:.2} s → {}",
                    count(Kind::Course),
                    count(Kind::Lesson),
                    count(Kind::Lecture),
                    count(Kind::Case),
                    count(Kind::Page),
                    built.warnings.len(),
                    out_dir.display()
                ),
            };
            println!("{line}");
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
        bar.set_message(pick(lang, "正在生成站点……", "building the site…"));
        bar.enable_steady_tick(Duration::from_millis(100));
        while !done.load(Ordering::SeqCst) {
            std::thread::sleep(Duration::from_millis(20));
        }
        bar.finish_and_clear();
    }))
}

fn pick(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

fn print_diags(diags: &[Diagnostic], lang: Lang) {
    for d in diags {
        eprintln!("{}", d.display(lang));
    }
}
