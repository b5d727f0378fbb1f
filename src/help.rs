//! The command line's help in Chinese. The English help is clap's, from the doc comments
//! of `Cli` in `main.rs`; this module puts Chinese in its place, argument by argument,
//! with clap's own words (headings, usage, `--help`, `--version`) in Chinese too.

use clap::{Arg, ArgAction, Command};
use jiangtang::Lang;
use jiangtang::content::Kind;

/// The language of the help: English for `--lang en` (or `--lang=en`), else for a
/// `LC_ALL` or, without it, `LANG` that starts with `en`; Chinese otherwise.
pub(crate) fn help_lang(args: &[String], lc_all: Option<&str>, lang_env: Option<&str>) -> Lang {
    let mut given = None;
    for (i, a) in args.iter().enumerate() {
        if let Some(v) = a.strip_prefix("--lang=") {
            given = Some(v.to_string());
        } else if a == "--lang" {
            given = args.get(i + 1).cloned();
        }
    }
    let env = lc_all.filter(|v| !v.is_empty()).or(lang_env);
    let english = match given.as_deref() {
        Some(v) => v == "en",
        None => env.is_some_and(|v| v.starts_with("en")),
    };
    if english { Lang::En } else { Lang::Zh }
}

/// The help of each command: (command, its help, its usage after `jiangtang`).
const COMMANDS: &[(&str, &str, &str)] = &[
    (
        "build",
        "生成站点，写入 public/（整体替换；生成失败时 public/ 保持原样）",
        "build [选项]",
    ),
    (
        "init",
        "在“目录”中新建一个可以直接运行的示例站点",
        "init <目录>",
    ),
    (
        "serve",
        "预览站点，保存文件后自动刷新：在内存中生成（不写 public/），按站点的网址前缀提供",
        "serve [选项]",
    ),
    (
        "check",
        "检查站点，不写任何文件：信息栏、链接和锚点、附件、分类取值、讲座规则、模板。没有错误时退出码为 0，有错误时为 1",
        "check [选项]",
    ),
    (
        "new",
        "新建一个内容文件，各项设置都填好示例，例如 jiangtang new course courses/dang-shi，jiangtang new lesson courses/dang-shi --title \"第一课\"",
        "new [选项] <类型> <路径>",
    ),
    (
        "import",
        "导入 Word 文档（.docx，Word 或 WPS 保存）：信息栏按 new 的写法填好，正文转成 Markdown，图片保存在旁边",
        "import [选项] --as <类型> <文件>...",
    ),
];

/// The help of each argument: (command, argument id, help, value name).
const ARGS: &[(&str, &str, &str, &str)] = &[
    (
        "",
        "lang",
        "提示信息的语言：zh（中文，默认）或 en（英文）",
        "语言",
    ),
    (
        "*",
        "root",
        "站点文件夹（含 site.yaml 和 content/），默认为当前文件夹",
        "目录",
    ),
    ("*", "drafts", "包括草稿和尚未到发布日期的页面", ""),
    (
        "build",
        "output",
        "输出文件夹（默认为站点文件夹中的 public/）",
        "目录",
    ),
    (
        "build",
        "base_url",
        "发布网址：路径（/training/）、完整网址，或 \"\"（全部使用相对链接）；代替 site.yaml 中的 base_url",
        "网址",
    ),
    (
        "build",
        "now",
        "按这个本地日期时间生成（\"2026-03-15\" 或 \"2026-03-15 09:00\"），用于得到可重复的结果",
        "日期时间",
    ),
    (
        "build",
        "precompress",
        "同时为每个超过 1 KiB 的文本文件写一个 .gz 文件，供 nginx 的 gzip_static on 使用",
        "",
    ),
    ("init", "dir", "新站点的文件夹", "目录"),
    (
        "serve",
        "bind",
        "监听的地址；默认 127.0.0.1，只有本机可以访问",
        "地址",
    ),
    (
        "serve",
        "port",
        "端口（默认 1111；0 表示任选一个空闲端口）",
        "端口",
    ),
    ("serve", "open", "在默认浏览器中打开预览", ""),
    (
        "serve",
        "poll",
        "定时查看文件是否修改，不依赖系统通知（网络盘、WSL 中使用）",
        "",
    ),
    (
        "serve",
        "base_url",
        "按这个网址前缀预览，代替 site.yaml 中的 base_url",
        "网址",
    ),
    (
        "check",
        "format",
        "human：带出错行的说明（默认）；json：在标准输出写一个 JSON 对象，供编辑器等工具使用",
        "格式",
    ),
    (
        "check",
        "now",
        "按这个本地日期时间检查（写法同 build）",
        "日期时间",
    ),
    (
        "new",
        "path",
        "content/ 中的路径（可以带 content/ 开头）：一个文件，或者与 --title 一起给出一个文件夹",
        "路径",
    ),
    (
        "new",
        "title",
        "标题；路径是文件夹时，文件名由标题生成（拼音）",
        "标题",
    ),
    (
        "import",
        "files",
        "要导入的 Word 文档（.docx），可以写多个",
        "文件",
    ),
    (
        "import",
        "as",
        "导入成什么：case（案例）、lesson（课时）或 page（页面）",
        "类型",
    ),
    (
        "import",
        "to",
        "放在 content/ 中的位置：文件夹（文件名由标题生成）或文件；课时写课程文件夹，例如 courses/dang-shi",
        "路径",
    ),
    ("import", "force", "覆盖已经存在的文件", ""),
];

/// `cmd` (clap's, built from `Cli`) with its help in `lang`.
pub(crate) fn localise(cmd: Command, lang: Lang) -> Command {
    match lang {
        Lang::En => {
            cmd.about("jiangtang (讲堂) — a static-site generator for cadre-training portals")
        }
        Lang::Zh => zh(cmd),
    }
}

fn zh(cmd: Command) -> Command {
    let cmd = chinese_frame(cmd, "jiangtang [选项] <命令>")
        .about("讲堂 — 干部培训学习平台静态网站生成器")
        .after_help(
            "常用：jiangtang serve 预览，jiangtang check 检查，jiangtang build 生成发布文件。\n\
             每个命令的说明：jiangtang <命令> --help。英文说明：--lang en。",
        )
        .subcommand_help_heading("命令")
        .subcommand_value_name("命令")
        .disable_help_subcommand(true)
        .disable_version_flag(true)
        .arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("显示版本号")
                .display_order(usize::MAX),
        )
        .mut_args(|a| arg_zh("", a));
    cmd.mut_subcommands(|sub| {
        let name = sub.get_name().to_string();
        let (about, usage) = COMMANDS
            .iter()
            .find(|(c, _, _)| *c == name)
            .map_or(("", ""), |&(_, about, usage)| (about, usage));
        chinese_frame(sub, &format!("jiangtang {usage}"))
            .about(about)
            .long_about(None)
            .mut_args(|a| arg_zh(&name, a))
    })
}

/// Clap's words around the help in Chinese: the usage line, the headings, `--help`.
fn chinese_frame(cmd: Command, usage: &str) -> Command {
    cmd.help_template("{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}")
        .override_usage(usage.to_string())
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("显示帮助")
                .display_order(usize::MAX),
        )
}

/// One argument's help in Chinese, for command `cmd` ("" for the top level).
fn arg_zh(cmd: &str, a: Arg) -> Arg {
    let id = a.get_id().as_str().to_string();
    let heading = if a.is_positional() {
        "参数"
    } else {
        "选项"
    };
    let a = a.help_heading(heading).long_help(None);
    if !a.get_action().takes_values() {
        return match ARGS
            .iter()
            .find(|(c, i, _, _)| *i == id && (*c == cmd || *c == "*"))
        {
            Some(&(_, _, help, _)) => a.help(help),
            None => a,
        };
    }
    // Shown in the help text instead, in Chinese.
    let a = a.hide_default_value(true).hide_possible_values(true);
    if cmd == "new" && id == "kind" {
        let kinds: Vec<String> = Kind::scaffolded()
            .map(|k| format!("{}（{}）", k.key(), k.names().zh))
            .collect();
        return a
            .help(format!("要新建的内容类型：{}", kinds.join("、")))
            .value_name("类型");
    }
    let found = ARGS
        .iter()
        .find(|(c, i, _, _)| *i == id && (*c == cmd || *c == "*" && !cmd.is_empty()));
    match found {
        Some(&(_, _, help, "")) => a.help(help),
        Some(&(_, _, help, value)) => a.help(help).value_name(value),
        None => a,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn english_is_asked_for_by_flag_or_environment() {
        let zh = |a: &[&str], all, lang| help_lang(&args(a), all, lang) == Lang::Zh;
        assert!(zh(&["jiangtang", "--help"], None, None));
        assert!(zh(&["jiangtang", "--help"], None, Some("zh_CN.UTF-8")));
        assert!(zh(&["jiangtang", "--help"], None, Some("C.UTF-8")));
        assert!(!zh(&["jiangtang", "--help"], None, Some("en_US.UTF-8")));
        assert!(!zh(
            &["jiangtang", "--help"],
            Some("en_GB.UTF-8"),
            Some("zh_CN")
        ));
        assert!(zh(
            &["jiangtang", "--help"],
            Some("zh_CN.UTF-8"),
            Some("en_US")
        ));
        assert!(!zh(
            &["jiangtang", "--lang", "en", "build", "-h"],
            None,
            None
        ));
        assert!(!zh(&["jiangtang", "build", "--lang=en", "-h"], None, None));
        assert!(zh(
            &["jiangtang", "--lang", "zh", "-h"],
            None,
            Some("en_US")
        ));
    }
}
