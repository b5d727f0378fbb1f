//! What differs between the systems editors run jiangtang on (Linux, Windows): how a
//! path is written in URLs and messages and how paths compare, which program opens the
//! browser, the console's encoding and colours and writing to it, whether a process
//! still runs, thread priority. The decisions are pure functions, tested on every
//! system; the calls into the system sit behind `cfg`.

use std::borrow::Cow;
use std::fmt::Display;
use std::io::Write;
use std::path::Path;

/// `path` as URLs and messages write it: its parts joined by `/`, whatever the
/// system's separator (`content\courses\a.md` on Windows → `content/courses/a.md`).
pub fn slashed(path: &Path) -> String {
    with_slashes(&path.to_string_lossy(), std::path::MAIN_SEPARATOR).into_owned()
}

/// `text` with every `separator` written `/`. Only the system's separator is replaced:
/// on Linux a `\` is part of a file's name.
fn with_slashes(text: &str, separator: char) -> Cow<'_, str> {
    if separator == '/' || !text.contains(separator) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.replace(separator, "/"))
    }
}

/// A path of the site folder `root` (`content/cases/x.md`) as the editor can open it from
/// where the command ran: `site/content/cases/x.md` for `--root site`, unchanged for the
/// current folder; written with `/` like every path in messages.
pub fn from_here(root: &Path, path: &Path) -> String {
    joined(
        &root.to_string_lossy(),
        &slashed(path),
        std::path::MAIN_SEPARATOR,
    )
}

fn joined(root: &str, path: &str, separator: char) -> String {
    let root = with_slashes(root, separator);
    match root.as_ref() {
        "" | "." => path.to_string(),
        root if root.ends_with('/') => format!("{root}{path}"),
        root => format!("{root}/{path}"),
    }
}

/// Whether `path` is `folder` or inside it, comparing names as the file system does:
/// on Windows regardless of case (`Content` is `content`). Both absolute and normalised.
pub fn is_within(path: &Path, folder: &Path) -> bool {
    within(path, folder, cfg!(windows))
}

fn within(path: &Path, folder: &Path, ignore_case: bool) -> bool {
    if !ignore_case {
        return path.starts_with(folder);
    }
    let names = |p: &Path| -> Vec<String> {
        p.components()
            .map(|c| c.as_os_str().to_string_lossy().to_lowercase())
            .collect()
    };
    let (path, folder) = (names(path), names(folder));
    path.starts_with(&folder)
}

/// The programs that open `url` in the default browser on `os` (as in
/// `std::env::consts::OS`), in the order to try them: the first that starts wins.
///
/// On Windows `explorer URL` hands the address to the default browser without a shell
/// in between; `cmd /C start "" URL` would read `&`, `^` and `%…%` in the address as
/// its own syntax. Desktop Linux has `xdg-open` (UOS and Kylin too); `gio open` is the
/// GNOME fallback.
pub fn browser_commands(os: &str, url: &str) -> Vec<(&'static str, Vec<String>)> {
    let url = url.to_string();
    match os {
        "windows" => vec![("explorer", vec![url])],
        "macos" => vec![("open", vec![url])],
        _ => vec![
            ("xdg-open", vec![url.clone()]),
            ("gio", vec!["open".into(), url]),
        ],
    }
}

/// Opens `url` in the default browser; false when no opener could be started.
pub fn open_browser(url: &str) -> bool {
    browser_commands(std::env::consts::OS, url)
        .into_iter()
        .any(|(program, args)| {
            std::process::Command::new(program)
                .args(args)
                .stdin(std::process::Stdio::null())
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .is_ok()
        })
}

/// The code page of UTF-8 in Windows' console API.
pub const UTF8_CODE_PAGE: u32 = 65001;

/// Whether the console's output code page should be switched to UTF-8 for this run.
/// What jiangtang writes to the console itself needs no code page (Rust's standard
/// library hands it over as UTF-16); what it writes into a pipe to another console
/// program (`jiangtang check | more`, `| findstr`) is UTF-8, which that program shows
/// with the console's code page, 936 (GBK) on a Chinese Windows. So the page is
/// switched only when some output does not go to the console itself, and only when
/// there is a console (code page 0: none).
pub fn switch_to_utf8(code_page: u32, stdout_is_console: bool, stderr_is_console: bool) -> bool {
    code_page != 0 && code_page != UTF8_CODE_PAGE && !(stdout_is_console && stderr_is_console)
}

/// The console set up for jiangtang's messages; see [`switch_to_utf8`]. Dropping it
/// puts back the code page it changed, since the console outlives the process and other
/// programs in it expect their own.
pub struct Console {
    #[cfg(windows)]
    restore: Option<u32>,
}

impl Console {
    /// Prepares the console of this process (nothing to do but on Windows).
    pub fn prepare() -> Console {
        Console {
            #[cfg(windows)]
            restore: windows::utf8_for_pipes(),
        }
    }
}

impl Drop for Console {
    fn drop(&mut self) {
        #[cfg(windows)]
        if let Some(code_page) = self.restore {
            windows::set_code_page(code_page);
        }
    }
}

/// Writes `text` and a line end to standard output.
///
/// A reader that has gone away (`jiangtang check | head -1` closed the pipe: `EPIPE`,
/// or `ERROR_NO_DATA` on Windows, both `BrokenPipe`) is no fault of the program, so
/// instead of panicking as `println!` does, the line is dropped: the command carries on
/// and ends with its own exit status. Any other failure to write the console is dropped
/// too, having no other place to be reported.
pub fn out_line(text: impl Display) {
    let _ = write_line(&mut std::io::stdout().lock(), text);
}

/// Writes `text` and a line end to standard error; see [`out_line`].
pub fn err_line(text: impl Display) {
    let _ = write_line(&mut std::io::stderr().lock(), text);
}

/// Writes `text` as it is to standard error; see [`out_line`].
pub fn err_text(text: impl Display) {
    let mut err = std::io::stderr().lock();
    let _ = write!(err, "{text}").and_then(|()| err.flush());
}

/// Flushed at once: tests and wrappers read the output through a pipe, line by line.
fn write_line(w: &mut impl Write, text: impl Display) -> std::io::Result<()> {
    writeln!(w, "{text}")?;
    w.flush()
}

/// Whether the terminal shows colours written as ANSI escape sequences. Windows' console
/// does once asked to (Windows 10 and later); older ones would print the sequences as
/// text, so messages go without colour there.
#[cfg(windows)]
pub fn ansi_colours() -> bool {
    static ENABLED: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *ENABLED.get_or_init(|| anstyle_query::windows::enable_ansi_colors().unwrap_or(false))
}

/// Whether the terminal shows colours written as ANSI escape sequences: always, but on
/// Windows.
#[cfg(not(windows))]
pub fn ansi_colours() -> bool {
    true
}

/// Whether the process `pid` is still running (a build writing its staging folder).
#[cfg(target_os = "linux")]
pub fn process_alive(pid: u32) -> bool {
    Path::new(&format!("/proc/{pid}")).exists()
}

#[cfg(windows)]
pub use windows::process_alive;

/// Where the system cannot tell, no process counts as running: its staging folders are
/// leftovers.
#[cfg(not(any(target_os = "linux", windows)))]
pub fn process_alive(_pid: u32) -> bool {
    false
}

/// Gives the calling thread the lowest scheduling priority, so that background work
/// does not slow the work an editor waits for. On Linux the nice value belongs to the
/// thread, on Windows the priority too; elsewhere nothing changes (a process-wide nice
/// value would slow the whole server).
pub fn lower_thread_priority() {
    #[cfg(target_os = "linux")]
    let _ = rustix::process::setpriority_process(None, 19);
    #[cfg(windows)]
    windows::lowest_thread_priority();
}

/// The calls into Windows (`windows-sys`).
#[cfg(windows)]
#[allow(
    unsafe_code,
    reason = "the Windows API is C; each call says why it is sound"
)]
mod windows {
    use windows_sys::Win32::Foundation::{CloseHandle, STILL_ACTIVE};
    use windows_sys::Win32::System::Console::{GetConsoleOutputCP, SetConsoleOutputCP};
    use windows_sys::Win32::System::Threading::{
        GetCurrentThread, GetExitCodeProcess, OpenProcess, PROCESS_QUERY_LIMITED_INFORMATION,
        SetThreadPriority, THREAD_PRIORITY_LOWEST,
    };

    /// Switches the console to UTF-8 when [`super::switch_to_utf8`] says so; returns the
    /// code page to put back.
    pub fn utf8_for_pipes() -> Option<u32> {
        use std::io::IsTerminal;
        // SAFETY: no arguments; 0 without a console.
        let current = unsafe { GetConsoleOutputCP() };
        let switch = super::switch_to_utf8(
            current,
            std::io::stdout().is_terminal(),
            std::io::stderr().is_terminal(),
        );
        (switch && set_code_page(super::UTF8_CODE_PAGE)).then_some(current)
    }

    pub fn set_code_page(code_page: u32) -> bool {
        // SAFETY: a number in, a flag out; fails harmlessly without a console.
        unsafe { SetConsoleOutputCP(code_page) != 0 }
    }

    pub fn process_alive(pid: u32) -> bool {
        // SAFETY: the handle is checked before use and closed once; the exit code is
        // written into a local.
        unsafe {
            let handle = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, 0, pid);
            if handle.is_null() {
                // No such process, or one of another user: not a build of this
                // user's site either way.
                return false;
            }
            let mut code = 0u32;
            let running = GetExitCodeProcess(handle, &mut code) != 0 && code == STILL_ACTIVE as u32;
            CloseHandle(handle);
            running
        }
    }

    pub fn lowest_thread_priority() {
        // SAFETY: the pseudo handle of the calling thread needs no closing.
        unsafe { SetThreadPriority(GetCurrentThread(), THREAD_PRIORITY_LOWEST) };
    }
}

/// How a hint names this program so that the command runs when copied: the way it was
/// started when that was by a path (`./jiangtang`, `~/jt/jiangtang`, `.\jiangtang.exe`),
/// which a shell needs unless the program's folder is on PATH; else the name the shell
/// found (`jiangtang.exe` on Windows). A path with spaces is quoted. The flag says
/// whether the name is a relative path, which stops working after a `cd`.
pub fn program_name(argv0: &str, windows: bool) -> (String, bool) {
    let separators: &[char] = if windows { &['/', '\\'] } else { &['/'] };
    if !argv0.contains(separators) {
        let name = if argv0.is_empty() { "jiangtang" } else { argv0 };
        let exe = windows && !name.to_ascii_lowercase().ends_with(".exe");
        return (
            if exe {
                format!("{name}.exe")
            } else {
                name.to_string()
            },
            false,
        );
    }
    let absolute = argv0.starts_with(separators)
        || (windows && argv0.get(1..3).is_some_and(|s| s == ":\\" || s == ":/"));
    let shown = if argv0.contains(' ') {
        format!("\"{argv0}\"")
    } else {
        argv0.to_string()
    };
    (shown, !absolute)
}

#[cfg(test)]
mod tests {

    #[test]
    fn hints_run_the_program_the_way_it_was_started() {
        let name = |argv0: &str, windows: bool| program_name(argv0, windows);
        assert_eq!(name("jiangtang", false), ("jiangtang".into(), false));
        assert_eq!(name("./jiangtang", false), ("./jiangtang".into(), true));
        assert_eq!(
            name("/opt/jt/jiangtang", false),
            ("/opt/jt/jiangtang".into(), false)
        );
        assert_eq!(name("jiangtang", true), ("jiangtang.exe".into(), false));
        assert_eq!(name("jiangtang.exe", true), ("jiangtang.exe".into(), false));
        assert_eq!(
            name(".\\jiangtang.exe", true),
            (".\\jiangtang.exe".into(), true)
        );
        let spaced = "C:\\Program Files\\jt\\jiangtang.exe";
        assert_eq!(name(spaced, true), (format!("\"{spaced}\""), false));
        assert_eq!(name("", false), ("jiangtang".into(), false));
    }
    use super::*;

    #[test]
    fn backslashes_become_slashes_where_they_separate() {
        assert_eq!(
            with_slashes(r"content\courses\x\01-a.md", '\\'),
            "content/courses/x/01-a.md"
        );
        assert_eq!(with_slashes(r"C:\site\content", '\\'), "C:/site/content");
        // Windows accepts both separators in one path.
        assert_eq!(
            with_slashes(r"content/courses\a.md", '\\'),
            "content/courses/a.md"
        );
        assert_eq!(with_slashes("content/a.md", '\\'), "content/a.md");
        // On Linux a backslash is a character of the name.
        assert_eq!(with_slashes(r"content/a\b.md", '/'), r"content/a\b.md");
        assert!(matches!(with_slashes("a/b", '/'), Cow::Borrowed(_)));
    }

    #[test]
    fn paths_in_the_site_are_shown_from_where_the_command_ran() {
        let at = |root: &str, sep| joined(root, "content/cases/x.md", sep);
        assert_eq!(at(".", '/'), "content/cases/x.md");
        assert_eq!(at("", '/'), "content/cases/x.md");
        assert_eq!(at("site", '/'), "site/content/cases/x.md");
        assert_eq!(at("site/", '/'), "site/content/cases/x.md");
        assert_eq!(at("../a/site", '/'), "../a/site/content/cases/x.md");
        assert_eq!(at("/srv/site", '/'), "/srv/site/content/cases/x.md");
        assert_eq!(at("/", '/'), "/content/cases/x.md");
        // `--root site\` or `--root .\site` typed in cmd.exe.
        assert_eq!(at(r"site\", '\\'), "site/content/cases/x.md");
        assert_eq!(at(r".\site", '\\'), "./site/content/cases/x.md");
        assert_eq!(at(r"C:\sites\a", '\\'), "C:/sites/a/content/cases/x.md");
        let root = Path::new("site");
        assert_eq!(
            from_here(root, &Path::new("content").join("a.md")),
            "site/content/a.md"
        );
    }

    #[test]
    fn slashed_paths_use_slashes() {
        let path = Path::new("content").join("courses").join("a.md");
        assert_eq!(slashed(&path), "content/courses/a.md");
    }

    #[test]
    fn folders_contain_their_paths_in_any_case_on_windows() {
        let (content, inside) = (Path::new("/site/content"), Path::new("/site/Content/a.md"));
        assert!(within(inside, content, true));
        assert!(!within(inside, content, false));
        assert!(within(Path::new("/site/content"), content, false));
        assert!(!within(Path::new("/site/contents"), content, true));
        assert!(!within(Path::new("/site"), content, true));
    }

    #[test]
    fn browsers_open_without_a_shell_on_windows() {
        let url = "http://127.0.0.1:1111/a&b/%E5%9F%B9/";
        let windows = browser_commands("windows", url);
        assert_eq!(windows, [("explorer", vec![url.to_string()])]);
        let linux = browser_commands("linux", url);
        assert_eq!(linux[0], ("xdg-open", vec![url.to_string()]));
        assert_eq!(linux[1], ("gio", vec!["open".to_string(), url.to_string()]));
        assert_eq!(browser_commands("macos", url)[0].0, "open");
    }

    #[test]
    fn utf8_only_for_output_through_a_pipe() {
        // A Chinese Windows console (GBK) with everything written to it: unchanged.
        assert!(!switch_to_utf8(936, true, true));
        // `jiangtang check | more`, or messages redirected: switched.
        assert!(switch_to_utf8(936, false, true));
        assert!(switch_to_utf8(936, true, false));
        // Already UTF-8, or no console at all.
        assert!(!switch_to_utf8(UTF8_CODE_PAGE, false, false));
        assert!(!switch_to_utf8(0, false, false));
    }

    #[test]
    fn this_process_is_alive() {
        #[cfg(any(target_os = "linux", windows))]
        assert!(process_alive(std::process::id()));
        // Far above any process id the systems hand out.
        assert!(!process_alive(u32::MAX - 1));
    }
}
