//! `site.yaml` → `Config`: the site's title, where it is published (base URL), its
//! timezone, theme, the programme's actions and lecture series (with their rota, read by
//! `rota`), and taxonomy names.

use std::collections::BTreeMap;
use std::path::Path;

use crate::content::frontmatter::{self, FrontMatter};
use crate::diagnostic::{Diagnostic, Text};

#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub title: String,
    pub description: String,
    /// `base_url` as written (or given with `--base-url`).
    pub base_url: String,
    /// The path the site is mounted at, always starting and ending with `/`.
    pub base_path: String,
    /// `https://host` when `base_url` is absolute, for feeds and calendar links.
    pub origin: Option<String>,
    /// `base_url: ""`: every link is written relative to its page.
    pub relative: bool,
    pub language: String,
    pub timezone: String,
    pub theme: String,
    pub actions: Vec<String>,
    pub series: Vec<String>,
    /// Which units are expected to lecture in a series, by year (`rota:`).
    pub rota: crate::rota::Rota,
    /// The tiers (`level`) and fields (`domain`) courses and cases may name; any value
    /// when empty.
    pub levels: Vec<String>,
    pub domains: Vec<String>,
    /// Display names of taxonomies by key (`unit` → 单位).
    pub taxonomies: BTreeMap<String, String>,
    /// Slugs of names spelled the editor's way (`曾都区: zengdu`), for terms whose
    /// pinyin reads wrong or too long.
    pub slugs: BTreeMap<String, String>,
    pub unsafe_html: bool,
    pub footer: String,
    /// How many of the latest pages the Atom feed carries.
    pub feed_limit: usize,
    /// How many items a page of a paged list (the catalogue, the cases, a term) shows.
    pub page_size: usize,
    /// The 学时 each tier is to reach per year (`requirements:`).
    pub requirements: crate::requirements::Requirements,
}

impl Default for Config {
    fn default() -> Self {
        let taxonomies = [
            ("action", "培训行动"),
            ("level", "层级"),
            ("domain", "领域"),
            ("topics", "专题"),
            ("unit", "单位"),
            ("tags", "标签"),
            ("speaker", "主讲人"),
            ("series", "讲座系列"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        Config {
            title: "干部学习平台".into(),
            description: String::new(),
            base_url: "/".into(),
            base_path: "/".into(),
            origin: None,
            relative: false,
            language: "zh-CN".into(),
            timezone: "Asia/Shanghai".into(),
            theme: "default".into(),
            actions: ["思想淬炼", "政治历练", "实践锻炼", "专业训练"]
                .map(String::from)
                .to_vec(),
            series: ["随州大讲堂", "周周学", "读书班", "第一议题", "专题研讨"]
                .map(String::from)
                .to_vec(),
            rota: crate::rota::Rota::default(),
            levels: Vec::new(),
            domains: Vec::new(),
            taxonomies,
            slugs: BTreeMap::new(),
            unsafe_html: false,
            footer: String::new(),
            feed_limit: 50,
            page_size: 30,
            requirements: crate::requirements::Requirements::default(),
        }
    }
}

const KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "language",
    "timezone",
    "theme",
    "actions",
    "series",
    "rota",
    "levels",
    "domains",
    "taxonomies",
    "slugs",
    "unsafe_html",
    "footer",
    "feed_limit",
    "page_size",
    "requirements",
];

impl Config {
    /// Reads `site.yaml` text. `path` is used in diagnostics only.
    pub fn parse(path: &Path, bytes: &[u8]) -> Result<Config, Vec<Diagnostic>> {
        let text = frontmatter::decode(path, bytes).map_err(|d| vec![d])?;
        let mut fm = FrontMatter::parse(path, &text, 1).map_err(|d| vec![d])?;
        fm.check_keys(KEYS, &Text::new("site.yaml ", "site.yaml"));
        let mut c = Config::default();
        if let Some(t) = fm.required_string("title", "随州市干部能力提升学习平台") {
            c.title = t;
        }
        c.description = fm.string("description").unwrap_or_default();
        if fm.get("base_url").is_some() || has_key(&fm, "base_url") {
            c.base_url = fm.string("base_url").unwrap_or_default();
        }
        if let Some(l) = fm.string("language") {
            c.language = l;
        }
        if let Some(tz) = fm.string("timezone") {
            if !crate::calendar::is_known_time_zone(&tz) {
                let pos = fm.value_pos("timezone");
                fm.error_at(
                    pos,
                    Text::new(
                        format!("未知的时区“{tz}”"),
                        format!("unknown timezone `{tz}`"),
                    ),
                    Text::new(
                        "中国大陆写 timezone: Asia/Shanghai",
                        "for mainland China: timezone: Asia/Shanghai",
                    ),
                );
            }
            c.timezone = tz;
        }
        if let Some(t) = fm.string("theme") {
            c.theme = t;
        }
        let actions = fm.string_list("actions");
        if !actions.is_empty() {
            c.actions = actions;
        }
        let series = fm.string_list("series");
        if !series.is_empty() {
            c.series = series;
        }
        c.rota = crate::rota::read(&mut fm, &c.series);
        c.levels = fm.string_list("levels");
        c.domains = fm.string_list("domains");
        if let Some(serde_yaml_ng::Value::Mapping(m)) = fm.get("taxonomies").cloned() {
            for (k, v) in m {
                if let (Some(k), Some(v)) = (k.as_str(), v.as_str()) {
                    c.taxonomies.insert(k.to_string(), v.to_string());
                }
            }
        }
        c.slugs = read_slugs(&mut fm);
        c.unsafe_html = fm.bool("unsafe_html").unwrap_or(false);
        c.footer = fm.string("footer").unwrap_or_default();
        let feed = Text::new("订阅源至少要有 1 条", "the feed needs at least 1 entry");
        if let Some(n) = positive(&mut fm, "feed_limit", 50, feed) {
            c.feed_limit = n;
        }
        let page = Text::new(
            "每页至少要列 1 项",
            "a page of a list shows at least 1 item",
        );
        if let Some(n) = positive(&mut fm, "page_size", 30, page) {
            c.page_size = n;
        }
        let names = crate::requirements::Names {
            tiers: &c.levels,
            actions: &c.actions,
        };
        c.requirements = crate::requirements::read(&mut fm, &names);
        if let Err(d) = c.set_base_url(&c.base_url.clone()) {
            let pos = fm.value_pos("base_url");
            fm.error_at(pos, d.0, d.1);
        }
        let diags = std::mem::take(&mut fm.diags);
        if diags.iter().any(Diagnostic::is_error) {
            Err(diags)
        } else {
            Ok(c)
        }
    }

    /// Sets where the site is published: a path (`/training/`), an absolute URL
    /// (`https://host/training/`) or `""` for relative links.
    pub(crate) fn set_base_url(&mut self, raw: &str) -> Result<(), (Text, Text)> {
        let raw = raw.trim();
        self.base_url = raw.to_string();
        self.relative = raw.is_empty();
        self.origin = None;
        let path = if raw.is_empty() {
            "/".to_string()
        } else if let Some(rest) = raw
            .strip_prefix("https://")
            .or_else(|| raw.strip_prefix("http://"))
        {
            let scheme = if raw.starts_with("https") {
                "https"
            } else {
                "http"
            };
            let (host, path) = rest.split_once('/').map_or((rest, ""), |(h, p)| (h, p));
            if host.is_empty() {
                return Err(bad_base(raw));
            }
            self.origin = Some(format!("{scheme}://{host}"));
            format!("/{path}")
        } else if raw.starts_with('/') {
            raw.to_string()
        } else {
            return Err(bad_base(raw));
        };
        if path.contains("..") || path.contains(['?', '#', '\\', ' ']) {
            return Err(bad_base(raw));
        }
        let mut path = path.replace("//", "/");
        if !path.ends_with('/') {
            path.push('/');
        }
        self.base_path = path;
        Ok(())
    }

    /// The values this site allows for front-matter keys, by key: what site-values
    /// blocks list (a key allowing any value has none).
    pub(crate) fn allowed_values(&self) -> crate::content::values::Allowed {
        [
            ("action", &self.actions),
            ("level", &self.levels),
            ("domain", &self.domains),
            ("series", &self.series),
        ]
        .into_iter()
        .map(|(key, list)| (key, list.clone()))
        .collect()
    }

    /// The absolute URL of a root-relative path, when the site has an origin.
    pub(crate) fn absolute(&self, path: &str) -> Option<String> {
        self.origin
            .as_ref()
            .map(|o| format!("{o}{}", self.url(path)))
    }

    /// A root-relative site path with the base path in front.
    pub(crate) fn url(&self, path: &str) -> String {
        let p = path.strip_prefix('/').unwrap_or(path);
        format!("{}{p}", self.base_path)
    }
}

/// `slugs:`, a table of names and the slugs they get: each slug a valid one, no two the
/// same. Entries with a mistake are reported and left out.
fn read_slugs(fm: &mut FrontMatter) -> BTreeMap<String, String> {
    let mut out: BTreeMap<String, String> = BTreeMap::new();
    let Some(value) = fm.get("slugs").cloned() else {
        return out;
    };
    let serde_yaml_ng::Value::Mapping(m) = value else {
        let pos = fm.value_pos("slugs");
        fm.error_at(
            pos,
            Text::new(
                "slugs 应该是“名称: 网址拼写”的对照表",
                "`slugs` should be a table of `name: slug`",
            ),
            Text::new(
                "每行写一个名称，缩进两个空格，例如：\nslugs:\n  曾都区: zeng-du-qu",
                "one name a line, indented two spaces, e.g.\nslugs:\n  曾都区: zeng-du-qu",
            ),
        );
        return out;
    };
    for (name, slug) in m {
        let name = yaml_text(&name);
        let slug = yaml_text(&slug);
        let pos = fm.item_pos("slugs", &name);
        if slug.len() > 120 || !crate::content::is_plain_slug(&slug) {
            let meant = crate::content::slugify(&slug);
            fm.error_at(
                pos,
                Text::new(
                    format!("“{name}”的网址拼写“{slug}”不能用"),
                    format!("the slug `{slug}` of `{name}` cannot be used"),
                ),
                Text::new(
                    format!("只用小写字母、数字和连字符（-），例如 {name}: {meant}"),
                    format!(
                        "use lowercase letters, digits and hyphens (-) only, e.g. {name}: {meant}"
                    ),
                ),
            );
            continue;
        }
        if let Some((other, _)) = out.iter().find(|(_, s)| **s == slug) {
            let other = other.clone();
            fm.error_at(
                pos,
                Text::new(
                    format!("“{name}”和“{other}”的网址拼写都是“{slug}”"),
                    format!("`{name}` and `{other}` both have the slug `{slug}`"),
                ),
                Text::new(
                    "两个名称会得到同一个网址：给其中一个换一个拼写",
                    "the two names would get one address: spell one of them differently",
                ),
            );
            continue;
        }
        out.insert(name, slug);
    }
    out
}

/// A YAML key or value as text (numbers and flags as written).
fn yaml_text(v: &serde_yaml_ng::Value) -> String {
    match v {
        serde_yaml_ng::Value::String(s) => s.clone(),
        serde_yaml_ng::Value::Null => String::new(),
        other => serde_yaml_ng::to_string(other)
            .unwrap_or_default()
            .trim()
            .to_string(),
    }
}

/// A whole number of at least 1 under `key` (`feed_limit`, `page_size`), or `None` when
/// the key is absent or wrong (a wrong value is reported at its place, saying `why` a
/// number below 1 cannot be).
fn positive(fm: &mut FrontMatter, key: &str, default: usize, why: Text) -> Option<usize> {
    let n = fm.integer(key)?;
    if n >= 1 {
        return Some(usize::try_from(n).unwrap_or(usize::MAX));
    }
    let pos = fm.value_pos(key);
    fm.error_at(
        pos,
        Text::new(
            format!("{key} 写的是 {n}，{}", why.zh),
            format!("{key} is {n}; {}", why.en),
        ),
        Text::new(
            format!("写一个正整数，例如 {key}: {default}（默认就是 {default}）"),
            format!("write a positive whole number, e.g. {key}: {default} (the default)"),
        ),
    );
    None
}

fn has_key(fm: &FrontMatter, key: &str) -> bool {
    fm.keys().any(|k| k == key)
}

fn bad_base(raw: &str) -> (Text, Text) {
    (
        Text::new(
            format!("base_url“{raw}”无法使用"),
            format!("base_url `{raw}` cannot be used"),
        ),
        Text::new(
            "写成路径（/ 或 /training/）、完整网址（https://example.gov.cn/training/），或留空 \"\" 生成相对链接",
            "write a path (/ or /training/), an absolute URL (https://example.gov.cn/training/), or \"\" for relative links",
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_forms() {
        let mut c = Config::default();
        c.set_base_url("/training").unwrap();
        assert_eq!(c.base_path, "/training/");
        assert_eq!(c.url("/courses/"), "/training/courses/");
        c.set_base_url("https://edu.example.gov.cn/training/")
            .unwrap();
        assert_eq!(c.origin.as_deref(), Some("https://edu.example.gov.cn"));
        assert_eq!(
            c.absolute("/a/").as_deref(),
            Some("https://edu.example.gov.cn/training/a/")
        );
        c.set_base_url("").unwrap();
        assert!(c.relative);
        assert!(c.set_base_url("training").is_err());
        assert!(c.set_base_url("/../x").is_err());
    }

    #[test]
    fn site_yaml_with_unknown_key_and_timezone() {
        let e = Config::parse(
            Path::new("site.yaml"),
            "title: x\ntimezon: Asia/Shanghai\ntimezone: Mars/Base\n".as_bytes(),
        )
        .unwrap_err();
        assert_eq!(e.len(), 2);
        assert!(e.iter().any(|d| d.hint.en.contains("timezone")));
    }
}
