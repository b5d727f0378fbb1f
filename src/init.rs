//! `jiangtang init DIR`: a small starter site that builds as it is — one course with two
//! lessons, a lecture, a case, a home page, an about page and the editing guide (the
//! sample site's `content/guide/editing.md`, which lists the starter's own allowed
//! values when previewed) — to edit from.

use std::path::Path;

use crate::diagnostic::{Diagnostic, Text};

const FILES: &[(&str, &str)] = &[
    (
        "content/guide/editing.md",
        include_str!("../content/guide/editing.md"),
    ),
    (
        "site.yaml",
        "# 站点配置\ntitle: 干部学习平台\ndescription: 本单位干部教育培训学习平台\nbase_url: /\nlanguage: zh-CN\ntimezone: Asia/Shanghai\ntheme: default\nactions: [思想淬炼, 政治历练, 实践锻炼, 专业训练]\nseries: [随州大讲堂, 周周学, 读书班, 第一议题, 专题研讨]\n",
    ),
    (".gitignore", "/public\n/.jiangtang-cache/\n"),
    (
        "content/_index.md",
        "---\ntitle: 欢迎\n---\n\n这里是本单位的干部学习平台：课程、讲座安排和案例都在这里。\n",
    ),
    (
        "content/about.md",
        "---\ntitle: 关于本平台\nsummary: 平台简介与使用说明\n---\n\n本平台汇集课程、讲座与案例。学习进度只保存在本机浏览器中，是个人学习记录，不是正式学时记录。\n",
    ),
    (
        "content/courses/ru-men/index.md",
        "---\ntitle: 入门课程\nsummary: 一门示例课程，照着它写新的课程。\naction: 专业训练\nlevel: [市直机关]\ndomain: [数字政府]\ntopics: [入门]\nhours: 2\nrequired: true\nunit: 市委组织部\ninstructors: [刘老师]\nobjectives:\n  - 了解平台的课程结构\n  - 学会写课时文件\ndate: 2026-01-05\n---\n\n课程简介写在这里。\n",
    ),
    (
        "content/courses/ru-men/01-ke-cheng-jie-gou.md",
        "---\ntitle: 第一课：课程结构\nduration: 30\n---\n\n## 课程由什么组成\n\n一门课程是一个文件夹：`index.md` 写课程信息，其余每个文件是一课。\n\n```quiz\n- question: 课程信息写在哪个文件里？\n  options: [index.md, about.md]\n  answer: A\n  explanation: 课程文件夹里的 index.md 写课程信息。\n```\n",
    ),
    (
        "content/courses/ru-men/02-xie-ke-shi.md",
        "---\ntitle: 第二课：写课时\nduration: 45\n---\n\n## 文件名\n\n文件名前的数字决定课时顺序，例如 `01-`、`02-`。\n\n返回[课程首页](@/courses/ru-men/index.md)。\n",
    ),
    (
        "content/lectures/2026-01-15-shi-li-jiang-zuo.md",
        "---\ntitle: 示例讲座\nseries: 周周学\nstart: \"2026-01-15 15:00\"\nduration: 90\nlocation: 一号会议室\nspeaker: 刘老师\nspeaker_title: 科长\nunit: 市委组织部\naudience: 全体干部\ncourse: \"@/courses/ru-men/index.md\"\n---\n\n讲座内容简介。\n",
    ),
    (
        "content/cases/shi-li-an-li.md",
        "---\ntitle: 示例案例\nsummary: 一篇示例案例。\nunit: 市委组织部\nauthor: 周敏\ndomain: 基层治理\nregion: 本市\ndate: 2026-01-10\ntopics: [基层治理]\noutcomes:\n  - 群众办事少跑腿\n---\n\n## 背景\n\n示例案例的正文：照着它写背景、做法和成效。\n",
    ),
];

/// Writes the starter site. Refuses a folder that already holds a site.
pub fn create(dir: &Path) -> Result<(), Diagnostic> {
    if dir.join("site.yaml").exists() || dir.join("content").exists() {
        return Err(Diagnostic::error(
            dir,
            0,
            0,
            Text::new(
                "这个文件夹里已经有站点（site.yaml 或 content/），不会覆盖",
                "this folder already holds a site (site.yaml or content/); nothing was overwritten",
            ),
        )
        .with_hint(Text::new("换一个新的文件夹名", "choose a new folder name")));
    }
    for (rel, text) in FILES {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| crate::io_diag(parent, &e))?;
        }
        std::fs::write(&path, text).map_err(|e| crate::io_diag(&path, &e))?;
    }
    Ok(())
}
