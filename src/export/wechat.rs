//! `laurel export wechat ENTRY`: one entry as the WeChat official-account
//! editor keeps it. The editor drops `<style>`, classes and links outside
//! WeChat, so: the theme's `wechat.html` is rendered with the entry's body
//! reshaped (`section`s, lists two levels deep at most, absolute image
//! URLs, outside links as numbered notes unless `wechat: { links: keep }`),
//! the theme's `wechat.css` is inlined into every element's `style`
//! (css-inline), and then every `class` and `id` is dropped. `serve` offers
//! the same rendition to its copy button ([`Article`] is what it keeps).

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use serde::Serialize;
use tera::{Context, Value};

use super::files::absolute;
use super::tree::{Shape, Syntax, reshape};
use crate::config::{BuildFlags, Config};
use crate::diag::BuildError;
use crate::site::Site;
use crate::source::EntrySource;
use crate::theme::Theme;

/// What the WeChat rendition of one entry shows: the entry and its author.
#[derive(Debug, Clone)]
pub struct Article {
    pub src: Arc<EntrySource>,
    /// Site path of the entry's page (the site's, see `site::Entry::path`).
    pub path: String,
    pub author: Option<Byline>,
    pub day: Option<i64>,
}

/// The author's name and role.
#[derive(Debug, Clone, Serialize)]
pub struct Byline {
    pub name: String,
    pub role: Option<String>,
}

impl Article {
    /// Entry `i` of `site`.
    pub fn of(site: &Site, i: usize) -> Article {
        let e = &site.entries[i];
        Article {
            src: e.src.clone(),
            path: e.path().to_string(),
            author: e.author.map(|a| {
                let p = &site.people[a].src;
                Byline {
                    name: p.name.clone(),
                    role: p.role.clone(),
                }
            }),
            day: e.day.map(|(n, _)| n),
        }
    }
}

/// How the last good site changed, for `serve`'s copy button: a new site,
/// or the same one with some entries edited (only they are taken again).
pub enum SiteUpdate {
    Whole(Box<Snapshot>),
    Entries(Vec<Article>),
}

/// What `serve` keeps of the last good site to render any entry's WeChat
/// rendition on request (for its copy button): the configuration, the
/// theme, and each entry by slug.
#[derive(Clone)]
pub struct Snapshot {
    config: Config,
    theme: Arc<Theme>,
    /// By key (see [`Snapshot::key_at`]).
    articles: HashMap<String, Article>,
    /// Output file of each entry page → the entry's key.
    pages: HashMap<String, String>,
}

impl Snapshot {
    pub fn of(site: &Site, theme: Arc<Theme>) -> Snapshot {
        Snapshot {
            config: site.config.clone(),
            theme,
            articles: (0..site.entries.len())
                .map(|i| {
                    (
                        key(site.entries[i].path()).to_string(),
                        Article::of(site, i),
                    )
                })
                .collect(),
            pages: site
                .entries
                .iter()
                .map(|e| {
                    (
                        crate::layout::html_file(e.path()),
                        key(e.path()).to_string(),
                    )
                })
                .collect(),
        }
    }

    /// The same with links and images under `base_url` (`serve` builds the
    /// site for its own address; WeChat fetches images from the published
    /// one).
    #[must_use]
    pub fn published_at(mut self, base_url: &str) -> Snapshot {
        self.config.base_url = base_url.to_string();
        self
    }

    /// Takes in entries edited without changing the site's shape (their
    /// paths and people are those of this snapshot's site).
    pub fn apply(&mut self, articles: Vec<Article>) {
        for a in articles {
            self.articles.insert(key(&a.path).to_string(), a);
        }
    }

    /// The key of the entry whose page is the output file `file`: its site
    /// path without the last `/` (`diary/arrival`), unique whatever
    /// `permalinks.entry` makes of slugs.
    pub fn key_at(&self, file: &str) -> Option<&str> {
        self.pages.get(file).map(String::as_str)
    }

    /// The rendition of the entry of this key, if there is one.
    pub fn render(&self, key: &str) -> Option<Result<String, BuildError>> {
        let a = self.articles.get(key)?;
        Some(render(&self.config, &self.theme, a))
    }

    /// A UI string of the theme.
    pub fn ui(&self, key: &str, fallback: &str) -> String {
        self.theme.ui(key, fallback)
    }
}

/// An entry's key in a [`Snapshot`]: its site path without the last `/`.
fn key(path: &str) -> &str {
    path.strip_suffix('/').unwrap_or(path)
}

#[derive(Serialize)]
struct EntryValue<'a> {
    title: &'a str,
    date: String,
    permalink: String,
    cover: Option<String>,
    credit: Option<&'a str>,
    author: Option<&'a Byline>,
    day: Option<i64>,
    reading_minutes: u32,
}

/// `laurel export wechat ENTRY`: the rendition of the entry named by
/// `query` (its file or its slug).
pub fn export(
    root: &Path,
    flags: &BuildFlags,
    now: DateTime<FixedOffset>,
    query: &str,
) -> Result<String, BuildError> {
    let p = super::prepare(root, flags, now)?;
    let i = super::find_entry(&p.site, query)?;
    render(&p.site.config, &p.theme, &Article::of(&p.site, i))
}

/// The WeChat rendition of one entry.
pub fn render(config: &Config, theme: &Theme, a: &Article) -> Result<String, BuildError> {
    let e = &a.src;
    let page = &a.path;
    let link = |href: &str| absolute(config, page, href);
    let image = |src: &str| Some(absolute(config, page, src));
    let (body, notes) = reshape(
        &e.html,
        &Shape {
            syntax: Syntax::Html,
            wechat: true,
            notes: !config.wechat_keep_links,
            strip_classes: false,
            id_prefix: "",
            link: &link,
            image: &image,
        },
    );
    let entry = EntryValue {
        title: &e.title,
        date: e.date.to_rfc3339(),
        permalink: config.permalink(page),
        cover: e
            .cover
            .as_ref()
            .map(|c| crate::render::asset_permalink(config, &c.value)),
        credit: e.credit.as_deref(),
        author: a.author.as_ref(),
        day: a.day,
        reading_minutes: e.reading_minutes,
    };
    let mut ctx = Context::new();
    let mut entry = Value::from_serializable(&entry);
    if let Some(mut m) = entry.clone().into_map() {
        m.insert("content".to_string().into(), Value::safe_string(&body));
        entry = Value::from(m);
    }
    ctx.insert_value("entry", entry);
    ctx.insert("notes", &notes);
    ctx.insert_value("t", theme.strings.clone());
    ctx.insert("site", &SiteValue::of(config));
    let html = render_template(theme, "wechat.html", &ctx)?;
    let css = render_template(theme, "wechat.css", &ctx)?;
    let inlined = inline(&html, &css).map_err(|m| {
        BuildError::content([crate::diag::SourceError::file(
            "templates/wechat.css",
            format!("cannot inline the WeChat stylesheet: {m}"),
        )
        .hint("fix the CSS, or delete the file to fall back to the default theme's")
        .zh(format!("无法把微信样式表内联：{m}"))
        .zh_hint("改正这个 CSS，或删掉这个文件，改用默认主题的")])
    })?;
    let keep = |s: &str| s.to_string();
    let keep_src = |s: &str| Some(s.to_string());
    let (out, _) = reshape(
        &inlined,
        &Shape {
            syntax: Syntax::Html,
            wechat: true,
            notes: false,
            strip_classes: true,
            id_prefix: "",
            link: &keep,
            image: &keep_src,
        },
    );
    Ok(out + "\n")
}

/// The `site` object of export templates: the site's own fields.
#[derive(Serialize)]
pub(super) struct SiteValue<'a> {
    title: &'a str,
    subtitle: Option<&'a str>,
    description: Option<&'a str>,
    author: Option<&'a str>,
    language: &'static str,
    base_url: &'a str,
}

impl SiteValue<'_> {
    pub(super) fn of(c: &Config) -> SiteValue<'_> {
        SiteValue {
            title: &c.title,
            subtitle: c.subtitle.as_deref(),
            description: c.description.as_deref(),
            author: c.author.as_deref(),
            language: c.language.tag(),
            base_url: &c.base_url,
        }
    }
}

/// Renders one template of the theme; its problem is located in its file.
pub(super) fn render_template(
    theme: &Theme,
    name: &str,
    ctx: &Context,
) -> Result<String, BuildError> {
    theme
        .tera
        .render(name, ctx)
        .map_err(|e| BuildError::content([theme.error(&e, name)]))
}

/// `css` written into the `style` of every element it selects in `html`.
fn inline(html: &str, css: &str) -> Result<String, String> {
    let inliner = css_inline::CSSInliner::options()
        .keep_style_tags(false)
        .keep_link_tags(false)
        .load_remote_stylesheets(false)
        .build();
    inliner
        .inline_fragment(html, css)
        .map_err(|e| e.to_string())
}
