//! `laurel export book`: the whole column as a booklet — a cover, a table
//! of contents, the entries oldest first grouped by month, and the honor
//! roll by batch with portraits. As one printable HTML file (the theme's
//! `book.html`, its images inside the file as `data:` URLs) or as EPUB 3
//! (`epub-builder`; every chapter the theme's partials written as XHTML,
//! the site's images inside the book, other sites' left out for their
//! `alt` text, since a book may not load them).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use chrono::{DateTime, Datelike, FixedOffset};
use serde::Serialize;
use tera::{Context, Value};

use super::files::{absolute, site_file};
use super::tree::{Shape, Syntax, reshape};
use super::wechat::{Article, Byline, SiteValue, render_template};
use crate::config::{BuildFlags, Config};
use crate::diag::BuildError;
use crate::site::Site;
use crate::theme::Theme;

/// The booklet's file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Html,
    Epub,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Epub => "epub",
        }
    }
}

/// A booklet made, and where it goes when no `-o` says otherwise:
/// `<site>/<slug of the title>.<html|epub>`.
pub struct Booklet {
    pub bytes: Vec<u8>,
    pub default_path: PathBuf,
    pub entries: usize,
    pub people: usize,
}

/// `laurel export book`.
pub fn export(
    root: &Path,
    flags: &BuildFlags,
    now: DateTime<FixedOffset>,
    format: Format,
) -> Result<Booklet, BuildError> {
    let p = super::prepare(root, flags, now)?;
    let (site, theme) = (&p.site, &p.theme);
    let c = &site.config;
    let mut images = Images::new(format);
    let parts = Parts::of(site, theme, &mut images);
    let bytes = match format {
        Format::Html => html(c, theme, &parts)?.into_bytes(),
        Format::Epub => super::epub::book(c, theme, &parts, &images, now)?,
    };
    let name = crate::slug::slugify(&c.title);
    let name = if name.is_empty() { "book".into() } else { name };
    Ok(Booklet {
        bytes,
        default_path: c.root.join(format!("{name}.{}", format.extension())),
        entries: site.entries.len(),
        people: site.people.len(),
    })
}

/// The images a booklet holds: for HTML, `data:` URLs; for EPUB, files of
/// the book (`images/<n>.<ext>`) by the site path they come from.
pub(super) struct Images {
    format: Format,
    /// Site path → (name in the book, bytes, media type).
    pub files: BTreeMap<String, (String, Vec<u8>, String)>,
}

impl Images {
    fn new(format: Format) -> Images {
        Images {
            format,
            files: BTreeMap::new(),
        }
    }

    /// What an image's `src` becomes; `None`: left out (EPUB, another
    /// site's image).
    fn src(&mut self, config: &Config, theme: &Theme, page: &str, url: &str) -> Option<String> {
        let Some(asset) = site_file(config, theme, url) else {
            return match self.format {
                Format::Html => Some(absolute(config, page, url)),
                Format::Epub => None,
            };
        };
        Some(match self.format {
            Format::Html => format!(
                "data:{};base64,{}",
                asset.mime,
                base64::engine::general_purpose::STANDARD.encode(&asset.bytes)
            ),
            Format::Epub => {
                let n = self.files.len();
                let entry = self.files.entry(asset.path.clone()).or_insert_with(|| {
                    let ext = Path::new(&asset.path)
                        .extension()
                        .and_then(|e| e.to_str())
                        .filter(|e| e.chars().all(|c| c.is_ascii_alphanumeric()))
                        .unwrap_or("img")
                        .to_ascii_lowercase();
                    (format!("images/{n}.{ext}"), asset.bytes, asset.mime)
                });
                entry.0.clone()
            }
        })
    }
}

#[derive(Serialize)]
pub(super) struct EntryPart {
    pub id: String,
    pub title: String,
    date: String,
    author: Option<Byline>,
    day: Option<i64>,
    cover: Option<String>,
    credit: Option<String>,
    content: String,
}

#[derive(Serialize)]
pub(super) struct Month {
    pub id: String,
    pub heading: String,
    pub entries: Vec<EntryPart>,
}

#[derive(Serialize)]
pub(super) struct PersonPart {
    id: String,
    name: String,
    role: Option<String>,
    unit: Option<String>,
    team: Option<String>,
    post: Option<String>,
    deployed: Option<String>,
    returned: Option<String>,
    motto: Option<String>,
    photo: Option<String>,
    initials: String,
    bio: String,
    honors: Vec<(String, String)>,
}

#[derive(Serialize)]
pub(super) struct Batch {
    pub label: String,
    pub people: Vec<PersonPart>,
}

/// What the booklet shows, in order, whatever its format.
pub(super) struct Parts {
    pub months: Vec<Month>,
    pub batches: Vec<Batch>,
    pub first: Option<String>,
    pub last: Option<String>,
}

impl Parts {
    fn of(site: &Site, theme: &Theme, images: &mut Images) -> Parts {
        let c = &site.config;
        // Shapes take `Fn`s; the images found are recorded on the way.
        let images = std::cell::RefCell::new(images);
        let mut months: Vec<Month> = Vec::new();
        // Entries are stored newest first: the book reads oldest first.
        for (n, i) in (0..site.entries.len()).rev().enumerate() {
            let e = &site.entries[i];
            let date = e.date().with_timezone(&c.timezone);
            let id = format!("m-{:04}-{:02}", date.year(), date.month());
            if months.last().is_none_or(|m| m.id != id) {
                let heading = theme
                    .ui("month_heading", "{year}年{month}")
                    .replace("{year}", &date.year().to_string())
                    .replace(
                        "{month}",
                        &theme.ui(
                            &format!("month_{}", date.month()),
                            &format!("{}月", date.month()),
                        ),
                    );
                months.push(Month {
                    id,
                    heading,
                    entries: Vec::new(),
                });
            }
            let article = Article::of(site, i);
            let page = e.path();
            let prefix = format!("e{}-", n + 1);
            let image = |src: &str| images.borrow_mut().src(c, theme, page, src);
            let link = |href: &str| absolute(c, page, href);
            let content = reshape(&e.src.html, &shape(&prefix, &link, &image)).0;
            let cover = e.src.cover.as_ref().and_then(|v| image(&v.value));
            months
                .last_mut()
                .expect("pushed above")
                .entries
                .push(EntryPart {
                    id: format!("e{}", n + 1),
                    title: e.src.title.clone(),
                    date: e.date().to_rfc3339(),
                    author: article.author,
                    day: e.day.map(|(n, _)| n),
                    cover,
                    credit: e.src.credit.clone(),
                    content,
                });
        }
        let mut by_batch: BTreeMap<Option<u32>, Vec<PersonPart>> = BTreeMap::new();
        for (n, p) in site.people.iter().enumerate() {
            let s = &p.src;
            let page = p.path();
            let prefix = format!("p{}-", n + 1);
            let img = |src: &str| images.borrow_mut().src(c, theme, &page, src);
            let link = |href: &str| absolute(c, &page, href);
            let bio = reshape(&s.bio_html, &shape(&prefix, &link, &img)).0;
            let photo = s.photo.as_ref().and_then(|v| img(&v.value));
            by_batch.entry(s.batch).or_default().push(PersonPart {
                id: format!("p{}", n + 1),
                name: s.name.clone(),
                role: s.role.clone(),
                unit: s.unit.clone(),
                team: s.team.clone(),
                post: s.post.clone(),
                deployed: s.deployed.map(|d| d.to_string()),
                returned: s.returned.map(|d| d.to_string()),
                motto: s.motto.clone(),
                photo,
                initials: p.initials.clone(),
                bio,
                honors: s
                    .honors
                    .iter()
                    .map(|h| (h.date.to_string(), h.title.clone()))
                    .collect(),
            });
        }
        // Numbered batches first, in order; people without one last.
        let mut batches: Vec<Batch> = Vec::new();
        let mut unbatched = None;
        for (b, people) in by_batch {
            match b {
                None => unbatched = Some(people),
                Some(n) => batches.push(Batch {
                    label: format!(
                        "{}{n}{}",
                        theme.ui("batch_prefix", "第"),
                        theme.ui("batch_suffix", "批")
                    ),
                    people,
                }),
            }
        }
        if let Some(people) = unbatched {
            batches.push(Batch {
                label: theme.ui("no_batch", "其他"),
                people,
            });
        }
        Parts {
            first: site.entries.last().map(|e| e.date().to_rfc3339()),
            last: site.entries.first().map(|e| e.date().to_rfc3339()),
            months,
            batches,
        }
    }
}

fn shape<'a>(
    prefix: &'a str,
    link: &'a dyn Fn(&str) -> String,
    image: &'a dyn Fn(&str) -> Option<String>,
) -> Shape<'a> {
    Shape {
        syntax: Syntax::Html,
        wechat: false,
        notes: false,
        strip_classes: false,
        id_prefix: prefix,
        link,
        image,
    }
}

/// The context of the booklet's templates.
pub(super) fn context(config: &Config, theme: &Theme, parts: &Parts) -> Context {
    let mut ctx = Context::new();
    ctx.insert("site", &SiteValue::of(config));
    ctx.insert_value("t", theme.strings.clone());
    ctx.insert("months", &parts.months);
    ctx.insert("batches", &parts.batches);
    ctx.insert_value("first", parts.first.as_deref().into());
    ctx.insert_value("last", parts.last.as_deref().into());
    ctx
}

/// Entry and person values with their HTML marked safe (it was reshaped,
/// every text escaped) for the templates.
pub(super) fn entry_value(e: &EntryPart) -> Value {
    with_safe(Value::from_serializable(e), "content", &e.content)
}

pub(super) fn person_value(p: &PersonPart) -> Value {
    with_safe(Value::from_serializable(p), "bio", &p.bio)
}

fn with_safe(v: Value, key: &str, html: &str) -> Value {
    match v.clone().into_map() {
        Some(mut m) => {
            m.insert(key.to_string().into(), Value::safe_string(html));
            Value::from(m)
        }
        None => v,
    }
}

/// The printable HTML booklet: `book.html`.
fn html(config: &Config, theme: &Theme, parts: &Parts) -> Result<String, BuildError> {
    let mut ctx = context(config, theme, parts);
    let months: Vec<Value> = parts
        .months
        .iter()
        .map(|m| {
            let v = Value::from_serializable(m);
            let entries: Vec<Value> = m.entries.iter().map(entry_value).collect();
            match v.clone().into_map() {
                Some(mut map) => {
                    map.insert("entries".to_string().into(), Value::from(entries));
                    Value::from(map)
                }
                None => v,
            }
        })
        .collect();
    ctx.insert_value("months", Value::from(months));
    let batches: Vec<Value> = parts
        .batches
        .iter()
        .map(|b| {
            let people: Vec<Value> = b.people.iter().map(person_value).collect();
            let mut m = BTreeMap::new();
            m.insert("label".to_string(), Value::from(b.label.as_str()));
            m.insert("people".to_string(), Value::from(people));
            Value::from(m)
        })
        .collect();
    ctx.insert_value("batches", Value::from(batches));
    render_template(theme, "book.html", &ctx)
}
