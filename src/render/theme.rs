//! Theme lookup: templates, static files and UI strings, layered
//! embedded default < `themes/<name>/` < the site's own `templates/`, `static/`, `i18n/`.
//! Reading the files is the I/O edge; everything after works on the loaded `Theme`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};
use walkdir::WalkDir;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Text};

static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

#[derive(Debug, Clone, Default)]
pub struct Theme {
    /// Template name → (text, where it came from).
    pub templates: BTreeMap<String, (String, String)>,
    /// Static file path (`css/site.css`) → bytes.
    pub statics: BTreeMap<String, Vec<u8>>,
    /// UI strings (`nav_courses` → 课程).
    pub ui: BTreeMap<String, String>,
}

impl Theme {
    /// The default theme as built into the binary.
    pub fn embedded() -> Theme {
        let mut t = Theme::default();
        add_embedded(&DEFAULT_THEME, &mut t);
        t
    }

    /// Loads the layers for a site at `root`.
    pub fn load(root: &Path, config: &Config) -> Result<Theme, Vec<Diagnostic>> {
        let mut theme = Theme::embedded();
        let mut diags = Vec::new();
        let theme_dir = root.join("themes").join(&config.theme);
        if theme_dir.is_dir() {
            overlay(
                &mut theme,
                &theme_dir,
                &format!("themes/{}/", config.theme),
                &mut diags,
            );
        } else if config.theme != "default" {
            diags.push(
                Diagnostic::error(
                    "site.yaml",
                    1,
                    1,
                    Text::new(
                        format!("找不到主题“{}”（themes/{}/ 不存在）", config.theme, config.theme),
                        format!("theme `{}` not found (themes/{}/ does not exist)", config.theme, config.theme),
                    ),
                )
                .with_hint(Text::new(
                    "删除 site.yaml 中的 theme 一行使用默认主题，或把主题放到 themes/ 文件夹",
                    "remove the `theme` line to use the built-in theme, or put the theme under themes/",
                )),
            );
        }
        overlay(&mut theme, root, "", &mut diags);
        if diags.is_empty() {
            Ok(theme)
        } else {
            Err(diags)
        }
    }
}

fn add_embedded(dir: &Dir<'static>, theme: &mut Theme) {
    for entry in dir.entries() {
        if let Some(d) = entry.as_dir() {
            add_embedded(d, theme);
        } else if let Some(f) = entry.as_file() {
            let path = crate::platform::slashed(f.path());
            add_file(
                theme,
                &path,
                f.contents(),
                "jiangtang:default/",
                &mut Vec::new(),
            );
        }
    }
}

/// Adds `templates/`, `static/` and `i18n/` found under `dir`.
fn overlay(theme: &mut Theme, dir: &Path, origin: &str, diags: &mut Vec<Diagnostic>) {
    for sub in ["templates", "static", "i18n"] {
        let base = dir.join(sub);
        if !base.is_dir() {
            continue;
        }
        for entry in WalkDir::new(&base)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
        {
            if !entry.file_type().is_file()
                || crate::content::is_ignored(&entry.file_name().to_string_lossy())
            {
                continue;
            }
            let rel = entry
                .path()
                .strip_prefix(dir)
                .map(Path::to_path_buf)
                .unwrap_or_else(|_| PathBuf::from(entry.path()));
            let rel = crate::platform::slashed(&rel);
            match std::fs::read(entry.path()) {
                Ok(bytes) => add_file(theme, &rel, &bytes, origin, diags),
                Err(e) => diags.push(Diagnostic::error(
                    format!("{origin}{rel}"),
                    0,
                    0,
                    Text::new(
                        format!("无法读取文件：{e}"),
                        format!("cannot read the file: {e}"),
                    ),
                )),
            }
        }
    }
}

fn add_file(theme: &mut Theme, rel: &str, bytes: &[u8], origin: &str, diags: &mut Vec<Diagnostic>) {
    if let Some(name) = rel.strip_prefix("templates/") {
        match std::str::from_utf8(bytes) {
            Ok(text) => {
                theme.templates.insert(
                    name.to_string(),
                    (text.replace("\r\n", "\n"), format!("{origin}{rel}")),
                );
            }
            Err(_) => diags.push(Diagnostic::error(
                format!("{origin}{rel}"),
                1,
                1,
                Text::new("模板文件不是 UTF-8 编码", "the template is not UTF-8"),
            )),
        }
    } else if let Some(name) = rel.strip_prefix("static/") {
        theme.statics.insert(name.to_string(), bytes.to_vec());
    } else if rel == "i18n/zh-CN.yaml" {
        let path = format!("{origin}{rel}");
        match serde_yaml_ng::from_slice::<BTreeMap<String, serde_yaml_ng::Value>>(bytes) {
            Ok(map) => {
                for (k, v) in map {
                    let s = match v {
                        serde_yaml_ng::Value::String(s) => s,
                        other => serde_yaml_ng::to_string(&other)
                            .unwrap_or_default()
                            .trim()
                            .to_string(),
                    };
                    theme.ui.insert(k, s);
                }
            }
            Err(e) => {
                let (l, c) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
                diags.push(Diagnostic::error(
                    path,
                    l,
                    c,
                    Text::new(
                        format!("界面文字文件格式错误：{e}"),
                        format!("invalid UI strings file: {e}"),
                    ),
                ));
            }
        }
    }
}
