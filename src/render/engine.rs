//! The template engine of a build: the compiled templates with their `url()` and
//! `asset()` functions, the published static files, the UI strings, and the partials
//! rendered once per build or per section.

use std::collections::BTreeMap;
use std::sync::Arc;

use tera::{Context, Kwargs, State, Tera};

use crate::diagnostic::{Diagnostic, Text};
use crate::output::Output;

use super::Theme;

/// What rendering needs that depends only on the theme and `site.yaml`: the compiled
/// templates with their functions, and the published static files. Made once per full
/// build and shared by the rebuilds that change content only.
pub struct Engine {
    pub(super) tera: Tera,
    /// The theme's static files under their published (fingerprinted) names.
    pub statics: Output,
    ui: BTreeMap<String, String>,
    /// `ui` as a template value.
    pub(super) ui_value: tera::Value,
    /// How dates read, in the words of `ui`.
    pub(super) dates: super::format::DateWords,
    /// The templates rendered once per build (`_once_<name>.html`): (name, template).
    pub(super) once: Vec<(String, String)>,
    /// The templates rendered once per section (`_per_section_<name>.html`): (name,
    /// template).
    pub(super) per_section: Vec<(String, String)>,
}

impl Engine {
    pub fn new(config: &crate::Config, theme: &Theme) -> Result<Engine, Vec<Diagnostic>> {
        let mut statics = Output::default();
        // Static files; CSS and JS get a content fingerprint in their name, CSS `url()`s
        // point at the published names (`publish::assets`).
        let published = crate::publish::assets::publish(&theme.statics);
        for (name, bytes) in published.files {
            statics.add(name, bytes);
        }
        let assets = Arc::new(published.urls);
        let mut tera = Tera::new();
        tera.autoescape_on([".html", ".xml", ".htm"]);
        let base = config.base_path.clone();
        tera.register_function(
            "url",
            move |kw: Kwargs, _: &State| -> tera::TeraResult<String> {
                let path: &str = kw.must_get("path")?;
                Ok(join_base(&base, path))
            },
        );
        let base = config.base_path.clone();
        let lookup = Arc::clone(&assets);
        tera.register_function(
            "asset",
            move |kw: Kwargs, _: &State| -> tera::TeraResult<String> {
                let path: &str = kw.must_get("path")?;
                let key = path.trim_start_matches('/');
                match lookup.get(key) {
                    Some(u) => Ok(join_base(&base, u)),
                    None => Err(tera::Error::message(format!(
                        "asset(): no static file `{key}` in the theme"
                    ))),
                }
            },
        );
        let templates = theme
            .templates
            .iter()
            .map(|(name, (text, _))| (name.as_str(), text.as_str()));
        if let Err(e) = tera.add_raw_templates(templates) {
            return Err(vec![template_error("templates/", &e)]);
        }
        let named = |prefix: &str| -> Vec<(String, String)> {
            theme
                .templates
                .keys()
                .filter_map(|t| {
                    let name = t.strip_prefix(prefix)?.strip_suffix(".html")?;
                    Some((name.to_string(), t.clone()))
                })
                .collect()
        };
        Ok(Engine {
            tera,
            statics,
            ui: theme.ui.clone(),
            dates: super::format::DateWords::new(|key| {
                theme.ui.get(key).map_or("", String::as_str)
            }),
            ui_value: tera::Value::from_serializable(&theme.ui),
            once: named(ONCE_PREFIX),
            per_section: named(PER_SECTION_PREFIX),
        })
    }

    /// The UI string `key`. The default theme's strings are always loaded under a
    /// site's own, so every key the renderer asks for is there.
    pub(super) fn ui(&self, key: &str) -> &str {
        self.ui
            .get(key)
            .map(String::as_str)
            .expect("the default theme's i18n file has every UI string the renderer uses")
    }

    /// The words quizzes are written in, as the Markdown renderer has them.
    pub(super) fn body_words(&self) -> crate::site::BodyWords {
        crate::site::BodyWords::from_ui(&self.ui)
    }

    /// Renders `template` with `ctx`; an error names the template's file.
    pub(super) fn render_partial(
        &self,
        template: &str,
        ctx: &Context,
    ) -> Result<String, Diagnostic> {
        self.tera
            .render(template, ctx)
            .map_err(|e| template_error(&format!("templates/{template}"), &e))
    }

    /// Renders each of `templates` ((name, template)) with `ctx`: a map from name to
    /// its output, already HTML.
    pub(super) fn render_named(
        &self,
        templates: &[(String, String)],
        ctx: &Context,
    ) -> Result<tera::Value, Diagnostic> {
        let mut out = tera::Map::new();
        for (name, template) in templates {
            let html = self.render_partial(template, ctx)?;
            out.insert(name.clone().into(), tera::Value::safe_string(&html));
        }
        Ok(tera::Value::from(out))
    }
}

/// Templates named `_once_<name>.html` do not depend on the page: each is rendered once
/// per build, with the values every template gets, and every page gets its output as
/// `once.<name>` (like Hugo's `partialCached`).
const ONCE_PREFIX: &str = "_once_";

/// Templates named `_per_section_<name>.html` depend only on the page's section and on
/// which navigation item the page is (`nav_page`: that item's URL, or ""): each is
/// rendered once per such pair, and every page gets its output as `per_section.<name>`
/// (the site navigation, which marks the current section).
const PER_SECTION_PREFIX: &str = "_per_section_";

/// `base` (the base path) joined with a root-relative `path`; other URLs as they are.
pub(super) fn join_base(base: &str, path: &str) -> String {
    let has_scheme = path
        .split_once(':')
        .is_some_and(|(s, _)| !s.is_empty() && !s.contains(['/', '?', '#']));
    if has_scheme || path.starts_with("//") || path.starts_with('#') {
        return path.to_string();
    }
    format!("{base}{}", path.trim_start_matches('/'))
}

pub(super) fn template_error(origin: &str, e: &tera::Error) -> Diagnostic {
    let mut msg = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        src = s.source();
    }
    Diagnostic::error(
        origin,
        0,
        0,
        Text::new(format!("模板错误：{msg}"), format!("template error: {msg}")),
    )
    .with_hint(Text::new(
        "这是主题模板的问题，不是内容的问题：请检查该模板，或删除站点 templates/ 中的同名文件以使用默认模板",
        "this is a problem in a theme template, not in the content: fix the template or remove the site's override",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_base_path_goes_before_site_urls_only() {
        assert_eq!(join_base("/training/", "/courses/"), "/training/courses/");
        assert_eq!(join_base("/", "/"), "/");
        assert_eq!(join_base("/t/", "https://x.cn/a"), "https://x.cn/a");
        assert_eq!(join_base("/t/", "#top"), "#top");
    }
}
