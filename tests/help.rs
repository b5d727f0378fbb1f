//! The command line's own words: `jiangtang --help` and each command's help, as an
//! editor reads them (Chinese by default, English with `--lang en` or an English
//! `LANG`/`LC_ALL`; snapshots in `tests/help/`, `UPDATE_SNAPSHOTS=1 cargo test --test
//! help` writes them again), the commands `init` and `new` suggest, the paths `new`
//! names, and output to a reader that has stopped reading.

mod common;

use std::process::Command;

use common::{BIN, repo};

const COMMANDS: &[&str] = &["", "build", "serve", "check", "new", "import", "init"];

/// The help printed for `args`, with the locale variables set as given.
fn help(args: &[&str], env: &[(&str, &str)]) -> String {
    let mut cmd = Command::new(BIN);
    cmd.env_remove("LANG").env_remove("LC_ALL");
    cmd.args(args.iter().filter(|a| !a.is_empty()))
        .arg("--help");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let o = cmd.output().expect("run jiangtang");
    assert!(o.status.success(), "{args:?} --help failed");
    String::from_utf8(o.stdout).expect("UTF-8 help")
}

fn check_snapshot(name: &str, actual: &str, problems: &mut Vec<String>) {
    let path = repo().join("tests/help").join(name);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, actual).expect("write snapshot");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    if expected != actual {
        problems.push(format!(
            "{name} differs:\n--- expected\n{expected}\n--- actual\n{actual}"
        ));
    }
}

#[test]
fn help_is_chinese_by_default_and_english_when_asked() {
    let mut problems = Vec::new();
    for &command in COMMANDS {
        let stem = if command.is_empty() {
            "jiangtang"
        } else {
            command
        };
        let zh = help(&[command], &[]);
        assert!(!zh.contains("Usage") && !zh.contains("Print help"), "{zh}");
        check_snapshot(&format!("{stem}.zh.txt"), &zh, &mut problems);
        let en = help(&["--lang", "en", command], &[]);
        assert!(en.contains("Usage:"), "{en}");
        check_snapshot(&format!("{stem}.en.txt"), &en, &mut problems);
        // An English locale asks for English; LC_ALL before LANG.
        assert_eq!(help(&[command], &[("LANG", "en_US.UTF-8")]), en);
        let zh_all = [("LANG", "en_US.UTF-8"), ("LC_ALL", "zh_CN.UTF-8")];
        assert_eq!(help(&[command], &zh_all), zh);
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

/// The preview and check commands that `init` and `new` suggest run when copied: the
/// program is named the way it was started (a bare name only works from PATH).
#[test]
fn hints_name_the_program_as_it_was_started() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let bin = std::path::Path::new(BIN);
    let run = |program: &str, dir: &std::path::Path, args: &[&str]| {
        let o = Command::new(program)
            .current_dir(dir)
            .env_remove("LANG")
            .env_remove("LC_ALL")
            .args(args)
            .output()
            .expect("run jiangtang");
        assert!(o.status.success(), "{args:?}");
        String::from_utf8(o.stdout).expect("UTF-8")
    };
    let site = tmp.path().join("site");
    let site_arg = site.to_str().expect("UTF-8 temp path");
    // By a relative path: no `cd`, which would leave the program behind.
    let folder = bin.parent().expect("the binary's folder");
    let out = run("./jiangtang", folder, &["init", site_arg]);
    assert!(
        out.ends_with(&format!("预览：\n  ./jiangtang serve --root {site_arg}\n")),
        "{out}"
    );
    let out = run(
        "./jiangtang",
        folder,
        &["new", "case", "cases/x.md", "--root", site_arg],
    );
    let root = format!(" --root {site_arg}");
    assert!(
        out.contains(&format!(
            "预览：./jiangtang serve{root}；检查：./jiangtang check{root}"
        )),
        "{out}"
    );
    // By an absolute path, from inside the site.
    let out = run(BIN, &site, &["--lang", "en", "new", "case", "cases/y.md"]);
    assert!(
        out.contains(&format!("preview: {BIN} serve; check: {BIN} check")),
        "{out}"
    );
}

/// Mistakes in the command line, told as content mistakes are: what is wrong and how to
/// fix it, in Chinese unless English is asked for, with clap's exit code (2). Snapshots
/// in `tests/help/usage.{zh,en}.txt`; the program's path reads `jiangtang` there.
#[test]
fn command_line_mistakes_say_what_is_wrong_and_how_to_fix_it() {
    const CASES: &[&[&str]] = &[
        &["build", "--prot", "8080"],
        &["biuld"],
        &["xyz"],
        &["--lang", "fr", "build"],
        &["serve", "--port", "abc"],
        &["check", "--format", "jsno"],
        &["build", "--root"],
        &["new", "case"],
        &["new", "kase", "cases/x.md"],
        &["build", "extra"],
    ];
    let mut problems = Vec::new();
    for (lang, stem) in [(None, "usage.zh.txt"), (Some("en"), "usage.en.txt")] {
        let mut all = String::new();
        // `--lang` twice is a mistake of its own: the Chinese run has the bad value.
        for args in CASES.iter().filter(|a| lang.is_none() || a[0] != "--lang") {
            let mut cmd = Command::new(BIN);
            cmd.env_remove("LANG").env_remove("LC_ALL");
            if let Some(l) = lang {
                cmd.args(["--lang", l]);
            }
            let o = cmd.args(*args).output().expect("run jiangtang");
            let err = String::from_utf8(o.stderr).expect("UTF-8 message");
            assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
            assert!(o.stdout.is_empty(), "{args:?}");
            // One message, no English of clap's in the Chinese one.
            assert_eq!(
                err.matches("修改方法").count(),
                usize::from(lang.is_none()),
                "{err}"
            );
            if lang.is_none() {
                assert!(!err.contains("Usage") && !err.contains("error:"), "{err}");
            }
            all.push_str(&format!(
                "$ jiangtang {}\n{}\n",
                args.join(" "),
                err.replace(BIN, "jiangtang")
            ));
        }
        check_snapshot(stem, &all, &mut problems);
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

/// `--version` is printed as clap prints it, not as a mistake.
#[test]
fn the_version_is_printed_as_it_is() {
    let o = Command::new(BIN)
        .arg("--version")
        .output()
        .expect("run jiangtang");
    assert!(o.status.success());
    let out = String::from_utf8(o.stdout).expect("UTF-8");
    assert_eq!(out, format!("jiangtang {}\n", env!("CARGO_PKG_VERSION")));
}

/// `new --root site` names the file it wrote, and the one it refused to overwrite, by a
/// path that opens from where it ran (`site/content/…`), not from inside the site.
#[test]
fn new_names_its_file_from_where_it_ran() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let jt = |args: &[&str]| {
        Command::new(BIN)
            .current_dir(tmp.path())
            .env_remove("LANG")
            .env_remove("LC_ALL")
            .args(args)
            .output()
            .expect("run jiangtang")
    };
    assert!(jt(&["init", "site"]).status.success());
    for (root, title) in [("site", "新案例"), ("site/", "另一个案例")] {
        let o = jt(&["new", "case", "cases", "--title", title, "--root", root]);
        let out = String::from_utf8(o.stdout).expect("UTF-8");
        assert!(o.status.success(), "{out}");
        let first = out.lines().next().unwrap_or_default();
        let shown = first.split_once('：').map_or("", |(_, p)| p);
        assert!(shown.starts_with("site/content/cases/"), "{out}");
        assert!(tmp.path().join(shown).is_file(), "{shown} opens from here");
        let again = jt(&["new", "case", "cases", "--title", title, "--root", root]);
        let err = String::from_utf8(again.stderr).expect("UTF-8");
        assert_eq!(again.status.code(), Some(2), "{err}");
        assert!(err.starts_with(&format!("{shown}: 错误: ")), "{err}");
    }
}

/// A reader that stops reading (`jiangtang check | head -1`) ends no command with a
/// panic: the rest of the output is dropped and each command exits with its own status.
/// The pipe's reading end is closed before the program starts, so every write to it
/// fails (`EPIPE`).
#[test]
fn a_closed_pipe_ends_no_command_with_a_panic() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let (good, bad) = (tmp.path().join("good"), tmp.path().join("bad"));
    for site in [&good, &bad] {
        assert!(
            Command::new(BIN)
                .arg("init")
                .arg(site)
                .status()
                .expect("init")
                .success()
        );
    }
    std::fs::write(bad.join("content/about.md"), "---\ntitle 关于\n---\n").expect("write");
    let (good, bad) = (good.to_str().expect("UTF-8"), bad.to_str().expect("UTF-8"));
    let new_site = tmp.path().join("new").to_string_lossy().into_owned();
    // (arguments, whether stdout (else stderr) is the closed pipe, exit status)
    let cases: &[(&[&str], bool, i32)] = &[
        (&["check", "--root", good], true, 0),
        (&["check", "--root", bad], false, 1),
        (&["check", "--root", bad, "--format", "json"], true, 1),
        (&["build", "--root", good], true, 0),
        (&["build", "--root", bad], false, 1),
        (&["new", "page", "x.md", "--root", good], true, 0),
        (&["init", &new_site], true, 0),
        (
            &["markdown", "content/guide/editing.md", "--root", good],
            true,
            0,
        ),
        (&["biuld"], false, 2),
        (&["--version"], true, 0),
        (&["--help"], true, 0),
    ];
    for &(args, closed_stdout, status) in cases {
        let (reader, writer) = std::io::pipe().expect("pipe");
        drop(reader);
        let mut cmd = Command::new(BIN);
        cmd.args(args).env_remove("LANG").env_remove("LC_ALL");
        if closed_stdout {
            cmd.stdout(writer);
        } else {
            cmd.stderr(writer);
        }
        let o = cmd.output().expect("run jiangtang");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert_eq!(o.status.code(), Some(status), "{args:?}: {err}");
    }
}
