//! Content mistakes: each is reported as `path:line:column` with a message and a hint,
//! the build exits with 1, nothing panics, and the previous `public/` stays byte for byte
//! as it was.

mod common;

use common::{Site, snapshot, stderr};

struct Case {
    name: &'static str,
    file: &'static str,
    bytes: &'static [u8],
    /// `path:line:column` expected at the start of a diagnostic line.
    location: &'static str,
    /// A piece of the Chinese message.
    zh: &'static str,
    /// A piece of the English message (`--lang en`).
    en: &'static str,
}

const CASES: &[Case] = &[
    Case {
        name: "invalid YAML",
        file: "content/cases/a.md",
        bytes: "---\ntitle: [未闭合\nunit: x\n---\n".as_bytes(),
        location: "content/cases/a.md:3:5",
        zh: "YAML 格式错误",
        en: "invalid YAML",
    },
    Case {
        name: "missing title",
        file: "content/cases/a.md",
        bytes: b"---\nunit: x\n---\n",
        location: "content/cases/a.md:1:1",
        zh: "缺少必填项“title”",
        en: "missing required key `title`",
    },
    Case {
        name: "unknown key with did-you-mean",
        file: "content/cases/a.md",
        bytes: b"---\ntitle: a\nunit: x\nsumary: b\n---\n",
        location: "content/cases/a.md:4:1",
        zh: "是不是要写“summary”",
        en: "did you mean `summary`",
    },
    Case {
        name: "wrong type",
        file: "content/courses/b/index.md",
        bytes: "---\ntitle: 课程\naction: 专业训练\nhours: 很多\n---\n".as_bytes(),
        location: "content/courses/b/index.md:4:8",
        zh: "“hours”应当是不小于 0 的数字",
        en: "`hours` must be a number",
    },
    Case {
        name: "boolean that is not one",
        file: "content/cases/a.md",
        bytes: b"---\ntitle: a\nunit: x\ndraft: maybe\n---\n",
        location: "content/cases/a.md:4:8",
        zh: "“draft”应当是true 或 false",
        en: "`draft` must be true or false",
    },
    Case {
        name: "bad date",
        file: "content/cases/a.md",
        bytes: b"---\ntitle: a\nunit: x\ndate: 2026-13-45\n---\n",
        location: "content/cases/a.md:4:7",
        zh: "日期“2026-13-45”无法识别",
        en: "is not a valid date",
    },
    Case {
        name: "unknown action",
        file: "content/courses/b/index.md",
        bytes: "---\ntitle: 课程\naction: 思想淬练\nhours: 2\n---\n".as_bytes(),
        location: "content/courses/b/index.md:3:9",
        zh: "未知的培训行动“思想淬练”",
        en: "unknown action",
    },
    Case {
        name: "broken @/ link",
        file: "content/cases/a.md",
        bytes: "---\ntitle: a\nunit: x\n---\n\n见[课程](@/courses/kk/index.md)\n".as_bytes(),
        location: "content/cases/a.md:6:2",
        zh: "链接目标“@/courses/kk/index.md”不存在",
        en: "does not exist",
    },
    Case {
        name: "broken relative link",
        file: "content/cases/a.md",
        bytes: "---\ntitle: a\nunit: x\n---\n\n第一行\n\n见[案例](../cases/none.md)\n".as_bytes(),
        location: "content/cases/a.md:8:2",
        zh: "链接目标“../cases/none.md”不存在",
        en: "does not exist",
    },
    Case {
        name: "broken anchor",
        file: "content/cases/a.md",
        bytes: "---\ntitle: a\nunit: x\n---\n\n见[课程](@/courses/ke-cheng/index.md#不存在)\n".as_bytes(),
        location: "content/cases/a.md:6:2",
        zh: "锚点“#不存在”",
        en: "anchor `#不存在` does not exist",
    },
    Case {
        name: "duplicate URL",
        file: "content/cases/b.md",
        bytes: b"---\ntitle: b\nunit: x\nslug: an-li\n---\n",
        location: "content/cases/b.md:4:1",
        zh: "网址 /cases/an-li/ 与 content/cases/an-li.md 重复",
        en: "also claimed by",
    },
    Case {
        name: "slug leaving the output folder",
        file: "content/cases/a.md",
        bytes: b"---\ntitle: a\nunit: x\nslug: ../../x\n---\n",
        location: "content/cases/a.md:4:7",
        zh: "slug“../../x”不能用作网址",
        en: "cannot be used in a URL",
    },
    Case {
        name: "lecture ending before it starts",
        file: "content/lectures/b.md",
        bytes: "---\ntitle: 讲座\nstart: \"2026-03-15 09:00\"\nend: \"2026-03-15 08:00\"\n---\n".as_bytes(),
        location: "content/lectures/b.md:4:6",
        zh: "结束时间早于",
        en: "ends before it starts",
    },
    Case {
        name: "lecture without start",
        file: "content/lectures/b.md",
        bytes: "---\ntitle: 讲座\nseries: 周周学\n---\n".as_bytes(),
        location: "content/lectures/b.md:1:1",
        zh: "缺少必填项“start”",
        en: "missing required key `start`",
    },
    Case {
        name: "unknown series",
        file: "content/lectures/b.md",
        bytes: "---\ntitle: 讲座\nseries: 周周讲\nstart: \"2026-03-15 09:00\"\n---\n".as_bytes(),
        location: "content/lectures/b.md:3:9",
        zh: "未知的讲座系列“周周讲”",
        en: "unknown series",
    },
    Case {
        name: "non-UTF-8 (GBK) file",
        file: "content/cases/a.md",
        bytes: b"---\ntitle: \xc5\xe0\xd1\xb5\nunit: x\n---\n",
        location: "content/cases/a.md:2:8",
        zh: "GBK",
        en: "not UTF-8",
    },
    Case {
        name: "empty file",
        file: "content/cases/a.md",
        bytes: b"",
        location: "content/cases/a.md:1:1",
        zh: "文件是空的",
        en: "the file is empty",
    },
    Case {
        name: "front matter never closed",
        file: "content/cases/a.md",
        bytes: b"---\ntitle: a\nunit: x\n\nbody\n",
        location: "content/cases/a.md:1:1",
        zh: "没有对应的结束行",
        en: "never closed",
    },
    Case {
        name: "full-width colon",
        file: "content/cases/a.md",
        bytes: "---\ntitle：案例\nunit: x\n---\n".as_bytes(),
        location: "content/cases/a.md:2:6",
        zh: "全角冒号",
        en: "full-width colon",
    },
    Case {
        name: "tab in YAML",
        file: "content/cases/a.md",
        bytes: b"---\ntitle: a\nunit: x\ntags:\n\t- b\n---\n",
        location: "content/cases/a.md:5:1",
        zh: "制表符",
        en: "tabs are not allowed",
    },
    Case {
        name: "missing attachment",
        file: "content/courses/ke-cheng/03-san.md",
        bytes: b"---\ntitle: c\nattachments: [slides.pdf]\n---\n",
        location: "content/courses/ke-cheng/03-san.md:3:15",
        zh: "附件“slides.pdf”不存在",
        en: "attachment `slides.pdf` does not exist",
    },
    Case {
        name: "quiz answer outside the options",
        file: "content/courses/ke-cheng/03-san.md",
        bytes: "---\ntitle: c\n---\n\n```quiz\n- question: 一\n  options: [甲, 乙]\n  answer: D\n```\n".as_bytes(),
        location: "content/courses/ke-cheng/03-san.md:8:3",
        zh: "不是有效的选项字母",
        en: "is not an option letter",
    },
    Case {
        name: "invalid repeat rule",
        file: "content/lectures/b.md",
        bytes: "---\ntitle: 讲座\nstart: \"2026-03-15 09:00\"\nrepeat: {every: day, count: 3}\n---\n".as_bytes(),
        location: "content/lectures/b.md:4:10",
        zh: "every",
        en: "every",
    },
    Case {
        name: "link to a page made a draft",
        file: "content/courses/ke-cheng/01-di-yi-ke.md",
        bytes: "---\ntitle: 第一课\nduration: 30\ndraft: true\n---\n\n## 一、总体要求\n\n正文。\n"
            .as_bytes(),
        location: "content/courses/ke-cheng/02-di-er-ke.md:6:2",
        zh: "是草稿（draft: true），本次生成不会发布它",
        en: "is a draft (draft: true) and is not published in this build",
    },
    Case {
        name: "unknown prerequisite",
        file: "content/courses/b/index.md",
        bytes: "---\ntitle: 课程\naction: 专业训练\nhours: 2\nprerequisites: [\"@/courses/none/index.md\"]\n---\n".as_bytes(),
        location: "content/courses/b/index.md:5:18",
        zh: "找不到课程",
        en: "no course at",
    },
];

#[test]
fn every_bad_input_is_reported_at_its_place_and_public_is_untouched() {
    let mut failures = Vec::new();
    for case in CASES {
        let site = Site::good();
        let first = site.build(&[]);
        assert!(
            first.status.success(),
            "{}: the good site failed:\n{}",
            case.name,
            stderr(&first)
        );
        let before = snapshot(&site.public());
        site.write(case.file, case.bytes);
        for (lang, piece) in [("zh", case.zh), ("en", case.en)] {
            let o = site.build(&["--lang", lang]);
            let err = stderr(&o);
            let line = err.lines().find(|l| l.starts_with(case.location));
            let problems = [
                (
                    o.status.code() != Some(1),
                    format!("exit code {:?}", o.status.code()),
                ),
                (
                    line.is_none(),
                    format!("no line starting with {}", case.location),
                ),
                (!err.contains(piece), format!("message lacks `{piece}`")),
                (err.contains("panicked"), "panicked".to_string()),
                (
                    snapshot(&site.public()) != before,
                    "public/ changed".to_string(),
                ),
            ];
            for (bad, what) in problems {
                if bad {
                    failures.push(format!("{} [{lang}]: {what}\n{err}", case.name));
                }
            }
        }
        let hint = if site.build(&[]).status.code() == Some(1) {
            stderr(&site.build(&[]))
        } else {
            String::new()
        };
        if !hint.contains("修改方法") {
            failures.push(format!("{}: no hint (修改方法)\n{hint}", case.name));
        }
    }
    assert!(
        failures.is_empty(),
        "{} problems:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
    assert!(CASES.len() >= 15);
}

/// `--drafts` publishes drafts, so a link to one works there.
#[test]
fn a_link_to_a_draft_works_with_drafts() {
    let site = Site::good();
    site.write(
        "content/courses/ke-cheng/01-di-yi-ke.md",
        "---\ntitle: 第一课\nduration: 30\ndraft: true\n---\n\n## 一、总体要求\n\n正文。\n"
            .as_bytes(),
    );
    assert_eq!(site.build(&[]).status.code(), Some(1));
    let o = site.build(&["--drafts"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let lesson =
        std::fs::read_to_string(site.public().join("courses/ke-cheng/di-er-ke/index.html"))
            .expect("the lesson that links to the draft");
    assert!(
        lesson.contains("href=\"/courses/ke-cheng/di-yi-ke/#"),
        "{lesson}"
    );
    assert!(
        site.public()
            .join("courses/ke-cheng/di-yi-ke/index.html")
            .exists()
    );
}

#[test]
fn all_problems_of_a_build_are_reported_at_once() {
    let site = Site::good();
    site.write("content/cases/a.md", b"---\nunit: x\n---\n");
    site.write(
        "content/cases/b.md",
        b"---\ntitle: b\nunit: x\ndate: 2026-99-01\n---\n",
    );
    let o = site.build(&[]);
    let err = stderr(&o);
    assert!(err.contains("content/cases/a.md:1:1"), "{err}");
    assert!(err.contains("content/cases/b.md:4:7"), "{err}");
    assert!(err.contains("2 个错误"), "{err}");
}

#[test]
fn invalid_site_yaml_is_reported() {
    let site = Site::good();
    site.write(
        "site.yaml",
        "title: x\ntimezone: Mars/Base\nactons: [a]\n".as_bytes(),
    );
    let o = site.build(&[]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("site.yaml:2:11"), "{err}");
    assert!(err.contains("site.yaml:3:1"), "{err}");
    assert!(err.contains("actions"), "{err}");
}
