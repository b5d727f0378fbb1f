//! Mistakes in the command line itself (an unknown option, a value that is not one of
//! the allowed ones, a missing value, a mistyped command), told the way content mistakes
//! are: what is wrong and how to fix it, in Chinese or English. clap finds them; its own
//! words are English only.

use clap::error::{ContextKind, ContextValue, Error, ErrorKind};
use jiangtang::Diagnostic;
use jiangtang::diagnostic::Text;

/// How to run the program, as hints write it (`jiangtang`, `./jiangtang`), and the
/// command the mistake was made in (`build`), if any.
pub(crate) struct Typed<'a> {
    pub(crate) program: &'a str,
    pub(crate) command: Option<&'a str>,
}

impl Typed<'_> {
    /// `运行 jiangtang build --help 查看用法`.
    fn see_help(&self) -> Text {
        let help = match self.command {
            Some(c) => format!("{} {c} --help", self.program),
            None => format!("{} --help", self.program),
        };
        Text::new(
            format!("运行 {help} 查看用法"),
            format!("run `{help}` to see how to use it"),
        )
    }
}

/// The command the arguments name: the first argument that is one of `commands`.
pub(crate) fn command_in<'a>(args: &'a [String], commands: &[&str]) -> Option<&'a str> {
    args.iter()
        .skip(1)
        .map(String::as_str)
        .find(|a| commands.contains(a))
}

/// Whether clap prints this one itself: help and the version are not mistakes.
pub(crate) fn is_shown_as_is(e: &Error) -> bool {
    matches!(
        e.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
            | ErrorKind::Io
            | ErrorKind::Format
    )
}

/// The values clap gives for `kind`, as plain text.
fn context(e: &Error, kind: ContextKind) -> Vec<String> {
    match e.get(kind) {
        Some(ContextValue::String(s)) => vec![s.clone()],
        Some(ContextValue::Strings(v)) => v.clone(),
        Some(ContextValue::StyledStr(s)) => vec![s.to_string()],
        Some(ContextValue::StyledStrs(v)) => v.iter().map(ToString::to_string).collect(),
        Some(ContextValue::Number(n)) => vec![n.to_string()],
        _ => Vec::new(),
    }
}

fn first(e: &Error, kind: ContextKind) -> String {
    context(e, kind).into_iter().next().unwrap_or_default()
}

/// "是不是要写 --port？" before the rest of a hint, when clap has a guess.
fn with_guess(guess: Option<String>, rest: Text) -> Text {
    match guess {
        Some(g) => Text::new(
            format!("是不是要写 {g}？{}", rest.zh),
            format!("did you mean `{g}`? {}", rest.en),
        ),
        None => rest,
    }
}

/// The mistake as a diagnostic of the command line.
pub(crate) fn diagnostic(e: &Error, typed: &Typed) -> Diagnostic {
    let arg = first(e, ContextKind::InvalidArg);
    let (message, hint) = match e.kind() {
        ErrorKind::UnknownArgument => unknown_argument(e, &arg, typed),
        ErrorKind::InvalidSubcommand => unknown_command(e, typed),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => invalid_value(e, &arg, typed),
        ErrorKind::MissingRequiredArgument => {
            let missing = context(e, ContextKind::InvalidArg).join(" ");
            (
                Text::new(
                    format!("缺少参数：{missing}"),
                    format!("missing argument: {missing}"),
                ),
                typed.see_help(),
            )
        }
        ErrorKind::ArgumentConflict => {
            let prior = first(e, ContextKind::PriorArg);
            (
                Text::new(
                    format!("{arg} 不能和 {prior} 一起用"),
                    format!("{arg} cannot be used with {prior}"),
                ),
                Text::new("去掉其中一个", "leave one of them out"),
            )
        }
        ErrorKind::InvalidUtf8 => (
            Text::new(
                "参数里有无法读取的字符（不是 UTF-8 文本）",
                "an argument is not valid UTF-8 text",
            ),
            Text::new(
                "把文件夹或文件改成只用中文、字母和数字的名称",
                "rename the folder or file with letters and digits only",
            ),
        ),
        _ => (
            Text::new(
                format!("命令行写得不对：{arg}"),
                format!("the command line is wrong: {arg}"),
            ),
            typed.see_help(),
        ),
    };
    Diagnostic::argument(message).with_hint(hint)
}

fn unknown_argument(e: &Error, arg: &str, typed: &Typed) -> (Text, Text) {
    let guess = context(e, ContextKind::SuggestedArg).into_iter().next();
    let message = if arg.starts_with('-') {
        Text::new(
            format!("没有 {arg} 这个选项"),
            format!("there is no option {arg}"),
        )
    } else {
        Text::new(
            format!("多余的参数“{arg}”"),
            format!("unexpected argument `{arg}`"),
        )
    };
    (message, with_guess(guess, typed.see_help()))
}

fn unknown_command(e: &Error, typed: &Typed) -> (Text, Text) {
    let name = first(e, ContextKind::InvalidSubcommand);
    let guess = context(e, ContextKind::SuggestedSubcommand)
        .into_iter()
        .next()
        .map(|g| format!("{} {g}", typed.program));
    let commands = "build、serve、check、new、init";
    let rest = Text::new(
        format!("可用的命令：{commands}；{}", typed.see_help().zh),
        format!(
            "the commands are {}; {}",
            commands.replace('、', ", "),
            typed.see_help().en
        ),
    );
    (
        Text::new(
            format!("没有“{name}”这个命令"),
            format!("there is no command `{name}`"),
        ),
        with_guess(guess, rest),
    )
}

/// A value that is not allowed, or none where one is needed (`--root` at the end).
fn invalid_value(e: &Error, arg: &str, typed: &Typed) -> (Text, Text) {
    let value = first(e, ContextKind::InvalidValue);
    let option = arg.split([' ', '=']).next().unwrap_or(arg);
    if value.is_empty() {
        return (
            Text::new(
                format!("{option} 后面缺少值"),
                format!("{option} needs a value"),
            ),
            Text::new(
                format!("写成 {arg}（值写在 {option} 后面，中间空一格）"),
                format!("write {arg} (the value after {option} and a space)"),
            ),
        );
    }
    // An option's value, or a value in a place of its own (`new <类型>`).
    let positional = option.starts_with('<');
    let message = if positional {
        Text::new(
            format!("{option}“{value}”不能用"),
            format!("{option} `{value}` is not one it takes"),
        )
    } else {
        Text::new(
            format!("{option} 的值“{value}”不能用"),
            format!("{option}: `{value}` is not a value it takes"),
        )
    };
    let valid = context(e, ContextKind::ValidValue);
    let hint = if !valid.is_empty() {
        let guess = context(e, ContextKind::SuggestedValue).into_iter().next();
        let rest = Text::new(
            format!("可选的值：{}", valid.join("、")),
            format!("the values it takes: {}", valid.join(", ")),
        );
        let guess = guess.map(|g| {
            if positional {
                g
            } else {
                format!("{option} {g}")
            }
        });
        with_guess(guess, rest)
    } else if option == "--port" {
        Text::new(
            "端口是 0 到 65535 之间的整数，例如 --port 8080",
            "a port is a whole number from 0 to 65535, e.g. --port 8080",
        )
    } else {
        typed.see_help()
    };
    (message, hint)
}
