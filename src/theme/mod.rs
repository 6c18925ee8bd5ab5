//! The theme: templates, UI strings and static files. The default theme is
//! embedded in the binary (one table, [`DefaultTheme`]); a theme folder under
//! `themes/<name>/` and the site's own `templates/` override single files by
//! name, in that order. This module also registers laurel's template filters.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rust_embed::RustEmbed;
use tera::{Tera, Value};

use crate::config::{Config, Language};
use crate::diag::SourceError;
use crate::source::{FoundFile, find_files, link_leads_inside};

mod filters;
#[doc(hidden)]
pub use filters::{FILTER_CALLS, render_one};

/// The default theme, compiled into the binary.
#[derive(RustEmbed)]
#[folder = "themes/default/"]
pub struct DefaultTheme;

/// A static file of the output: embedded in the binary or on disk.
#[derive(Debug, Clone)]
pub enum StaticSource {
    /// A path inside [`DefaultTheme`].
    Embedded(String),
    Disk(PathBuf),
}

/// A theme that could not be loaded: its problems, and its static files.
pub struct Broken {
    pub errors: Vec<SourceError>,
    pub statics: BTreeMap<String, StaticSource>,
}

/// Templates ready to render, the UI strings, and the static files to copy.
pub struct Theme {
    pub tera: Tera,
    /// UI strings for the site's language (`t` in templates).
    pub strings: Value,
    /// Output path (relative, `/`-separated) → where the bytes come from.
    /// Later layers (theme folder, then the site's `static/`) override earlier ones.
    pub statics: BTreeMap<String, StaticSource>,
    pub warnings: Vec<SourceError>,
    /// Changes whenever a template, the UI strings or the static file list
    /// change: part of every page's fingerprint.
    pub fingerprint: u128,
    /// Template name → path shown in error messages.
    sources: BTreeMap<String, (String, String)>,
}

impl Theme {
    /// A UI string of the site's language (`t.<key>`), or `fallback` when
    /// the theme's `i18n.yaml` has no such key.
    pub fn ui(&self, key: &str, fallback: &str) -> String {
        self.strings
            .get_from_path(key)
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_else(|| fallback.to_string())
    }

    /// A render error of template `name`, located in its file where tera says.
    pub fn error(&self, e: &tera::Error, name: &str) -> SourceError {
        let mut err = template_error(e, &self.sources);
        if err.line == 0 {
            err.path = self
                .sources
                .get(name)
                .map_or_else(|| format!("templates/{name}"), |(_, p)| p.clone())
                .into();
        }
        err
    }

    /// Reads the theme's layers; on problems, every one of them and the
    /// static files found (images can still be checked against them).
    pub fn load(config: &Config) -> Result<Theme, Broken> {
        let mut errors = Vec::new();
        let mut warnings = Vec::new();
        // name → (source text, path shown in errors)
        let mut templates: BTreeMap<String, (String, String)> = BTreeMap::new();
        let mut statics: BTreeMap<String, StaticSource> = BTreeMap::new();
        let mut i18n_text: Option<(String, String)> = None;

        for name in DefaultTheme::iter() {
            let file = DefaultTheme::get(&name).expect("listed by iter");
            if let Some(t) = name.strip_prefix("templates/") {
                let text = String::from_utf8_lossy(&file.data).into_owned();
                templates.insert(
                    t.to_string(),
                    (text, format!("(default theme) templates/{t}")),
                );
            } else if let Some(s) = name.strip_prefix("static/") {
                statics.insert(s.to_string(), StaticSource::Embedded(name.to_string()));
            } else if name == "i18n.yaml" {
                i18n_text = Some((
                    String::from_utf8_lossy(&file.data).into_owned(),
                    "(default theme) i18n.yaml".into(),
                ));
            }
        }

        if let Some(t) = &config.theme {
            let base = format!("themes/{t}");
            let [templates_dir, static_dir] = theme_folders(t);
            read_templates(
                &config.root,
                &templates_dir,
                &mut templates,
                &mut errors,
                &mut warnings,
            );
            for f in find_files(&config.root, &static_dir, &[], &mut warnings) {
                let Some(rel) = static_rel(&f, &config.root.join(&static_dir), &mut warnings)
                else {
                    continue;
                };
                statics.insert(rel, StaticSource::Disk(f.abs));
            }
            let i18n_rel = format!("{base}/i18n.yaml");
            let i18n = config.root.join(&i18n_rel);
            // A link is read under the rule of every file of the site: only
            // one that leads to a file inside it.
            let readable = match std::fs::symlink_metadata(&i18n) {
                Ok(m) if m.is_symlink() => {
                    link_leads_inside(&config.root, &i18n, i18n_rel.as_ref(), &mut warnings)
                }
                Ok(m) => m.is_file(),
                Err(_) => false,
            };
            if readable {
                match std::fs::read_to_string(&i18n) {
                    Ok(t) => i18n_text = Some((t, i18n_rel)),
                    Err(e) => errors.push(
                        SourceError::file(i18n_rel, format!("cannot read: {e}"))
                            .zh(format!("无法读取：{e}")),
                    ),
                }
            }
        }
        read_templates(
            &config.root,
            "templates",
            &mut templates,
            &mut errors,
            &mut warnings,
        );
        for f in find_files(&config.root, "static", &[], &mut warnings) {
            let Some(rel) = static_rel(&f, &config.root.join("static"), &mut warnings) else {
                continue;
            };
            statics.insert(rel, StaticSource::Disk(f.abs));
        }

        let strings = match &i18n_text {
            Some((text, path)) => parse_i18n(text, path, config.language).unwrap_or_else(|e| {
                errors.push(e);
                Value::none()
            }),
            None => Value::from(BTreeMap::<String, Value>::new()),
        };

        let mut tera = Tera::new();
        tera.autoescape_on(vec![".html", ".htm", ".xml"]);
        filters::register(&mut tera, config);
        let raw: Vec<(String, String)> = templates
            .iter()
            .map(|(n, (t, _))| (n.clone(), t.clone()))
            .collect();
        if let Err(e) = tera.add_raw_templates(raw) {
            errors.push(template_error(&e, &templates));
        }
        if !errors.is_empty() {
            return Err(Broken { errors, statics });
        }
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        for (name, (text, _)) in &templates {
            h.update(name.as_bytes());
            h.update(&[0]);
            h.update(text.as_bytes());
            h.update(&[0]);
        }
        if let Some((text, _)) = &i18n_text {
            h.update(text.as_bytes());
        }
        h.update(config.language.tag().as_bytes());
        let fingerprint = h.digest128();
        // Keep only display paths; the texts are inside tera now.
        let sources = templates
            .into_iter()
            .map(|(n, (_, p))| (n, (String::new(), p)))
            .collect();
        Ok(Theme {
            tera,
            strings,
            statics,
            warnings,
            fingerprint,
            sources,
        })
    }
}

/// Output-relative path of a static file below `base`; `None`, with a
/// warning naming the file, for a name that cannot be published as it is
/// (one rule for build, watch and serve): not valid UTF-8, a backslash (a
/// folder separator to some servers and tools), or a control character
/// (a newline, a tab, ...).
fn static_rel(f: &FoundFile, base: &Path, warnings: &mut Vec<SourceError>) -> Option<String> {
    let rel = f.abs.strip_prefix(base).unwrap_or(&f.abs);
    // Name by name: on Windows the separator itself is a backslash.
    let problem = rel.iter().find_map(|name| match name.to_str() {
        None => Some(("is not valid UTF-8", "不是有效的 UTF-8")),
        Some(s) if s.contains('\\') => Some(("has a backslash", "含有反斜杠 \\")),
        Some(s) if s.chars().any(char::is_control) => {
            Some(("has a control character", "含有控制字符"))
        }
        Some(_) => None,
    });
    if let Some((problem, problem_zh)) = problem {
        let mut shown = String::new();
        for c in f.rel.to_string_lossy().chars() {
            if c.is_control() {
                shown.extend(c.escape_default());
            } else {
                shown.push(c);
            }
        }
        warnings.push(
            SourceError::file(
                shown,
                format!("the file name {problem}; skipped (rename the file to publish it)"),
            )
            .zh(format!("文件名{problem_zh}，已跳过（改名后才能发布）")),
        );
        return None;
    }
    Some(rel.to_string_lossy().replace('\\', "/"))
}

/// Template name of a file below `base`.
fn rel_under(f: &FoundFile, base: &Path) -> String {
    f.abs
        .strip_prefix(base)
        .unwrap_or(&f.abs)
        .to_string_lossy()
        .replace('\\', "/")
}

/// The folders a site's own theme `name` is read from, below the site root:
/// its templates and its static files.
pub fn theme_folders(name: &str) -> [String; 2] {
    [
        format!("themes/{name}/templates"),
        format!("themes/{name}/static"),
    ]
}

fn read_templates(
    root: &Path,
    sub: &str,
    templates: &mut BTreeMap<String, (String, String)>,
    errors: &mut Vec<SourceError>,
    warnings: &mut Vec<SourceError>,
) {
    let base = root.join(sub);
    for f in find_files(root, sub, &["html", "xml", "txt", "css"], warnings) {
        let name = rel_under(&f, &base);
        match crate::source::read_text(&f) {
            Ok(t) => {
                templates.insert(name, (t, f.rel.to_string_lossy().replace('\\', "/")));
            }
            Err(e) => errors.push(e),
        }
    }
}

/// Turns a tera error into a located error on the template file.
pub fn template_error(
    e: &tera::Error,
    templates: &BTreeMap<String, (String, String)>,
) -> SourceError {
    let text = error_chain(e);
    // tera 2 names the template in its report (` --> name:line:col`).
    let mut path = "templates".to_string();
    let (mut line, mut col) = (0, 0);
    if let Some(pos) = text.find("--> ") {
        let rest = &text[pos + 4..];
        let loc = rest.lines().next().unwrap_or("");
        let mut parts = loc.rsplitn(3, ':');
        let c = parts.next().and_then(|s| s.trim().parse().ok());
        let l = parts.next().and_then(|s| s.trim().parse().ok());
        if let (Some(c), Some(l), Some(name)) = (c, l, parts.next()) {
            line = l;
            col = c;
            path = templates
                .get(name)
                .map_or_else(|| format!("templates/{name}"), |(_, p)| p.clone());
        }
    }
    let first = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("template error");
    let message = first.trim().trim_start_matches("error: ").to_string();
    SourceError::at(path, line, col, format!("template: {message}"))
        .hint("fix the template, or delete it to fall back to the default theme's")
        .zh(format!("模板：{message}"))
        .zh_hint("改正这个模板，或删掉它，改用默认主题的模板")
}

pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push('\n');
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}

fn parse_i18n(text: &str, path: &str, lang: Language) -> Result<Value, SourceError> {
    // Values are mostly strings, but themes may keep lists (month names) and flags too.
    let all: BTreeMap<String, BTreeMap<String, serde_json::Value>> =
        crate::yaml::parse(text, Path::new(path), 1)?;
    let Some(strings) = all.get(lang.tag()).or_else(|| all.get("zh-CN")) else {
        return Err(
            SourceError::file(path, format!("no strings for language `{}`", lang.tag()))
                .hint("add a top-level key for the language")
                .zh(format!("没有语言 `{}` 的文字", lang.tag()))
                .zh_hint("为这个语言加一个顶层键"),
        );
    };
    Ok(Value::from_serializable(strings))
}
