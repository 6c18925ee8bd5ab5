//! One diary entry: `content/diary/**/*.md`, front matter plus Markdown.

use std::path::PathBuf;

use chrono::{DateTime, FixedOffset};
use serde::Deserialize;

use super::{FoundFile, LoadOptions, date, frontmatter};
use crate::diag::{Located, Msg, SourceError};
use crate::markdown;
use crate::slug;
use crate::yaml::{self, Spanned};

/// Front matter exactly as the user may write it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    title: Spanned<String>,
    date: Spanned<String>,
    #[serde(default)]
    author: Option<Spanned<String>>,
    #[serde(default)]
    people: Vec<Spanned<String>>,
    #[serde(default)]
    tags: Vec<Spanned<String>>,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    cover: Option<Spanned<String>>,
    #[serde(default)]
    credit: Option<String>,
    #[serde(default)]
    slug: Option<Spanned<String>>,
    #[serde(default)]
    draft: bool,
    #[serde(default)]
    pinned: bool,
    #[serde(default)]
    aliases: Vec<Spanned<String>>,
    #[serde(default)]
    series: Option<Spanned<String>>,
    /// 责任编辑 (else site.yaml's `editor`).
    #[serde(default)]
    editor: Option<String>,
    /// 来源: where the story comes from.
    #[serde(default)]
    source: Option<String>,
}

/// An entry read from one file: its own fields checked, its Markdown rendered.
/// Cross-file checks (people ids, duplicate URLs) happen in [`crate::site`].
#[derive(Debug, Clone)]
pub struct EntrySource {
    /// Path relative to the site root, for messages.
    pub path: PathBuf,
    pub title: String,
    pub date: DateTime<FixedOffset>,
    pub author: Option<Located<String>>,
    pub people: Vec<Located<String>>,
    /// Tag names as written (trimmed, empty ones dropped).
    pub tags: Vec<Located<String>>,
    /// `summary:` as written (plain text), if any.
    pub summary: Option<String>,
    /// Site path (`/images/a.jpg`) or absolute http(s) URL.
    pub cover: Option<Located<String>>,
    pub credit: Option<String>,
    pub slug: Located<String>,
    pub draft: bool,
    /// `pinned: true`: first on the home page (every other list keeps date order).
    pub pinned: bool,
    /// `aliases:`: old site paths that redirect to the entry, normalized
    /// (`old/path/`, or `old.html`), located at the value as written.
    pub aliases: Vec<Located<String>>,
    /// `series:`: the name of the series the entry is a part of (trimmed;
    /// an empty one is none).
    pub series: Option<Located<String>>,
    /// `editor:` (责任编辑) as written, trimmed; none when empty.
    pub editor: Option<String>,
    /// `source:` (来源) as written, trimmed; none when empty.
    pub source: Option<String>,
    pub html: String,
    pub text: String,
    /// The Markdown body, kept only when it has images of the site
    /// ([`markdown::Link::is_site_image`]): `images::body` renders it again
    /// with their sizes once the images are scanned.
    pub body: Option<String>,
    /// Links and images in the body, located in the file.
    pub links: Vec<markdown::Link>,
    /// What the body's page will not show as written (raw HTML the
    /// sanitizer drops, comments never closed), located in the file: the
    /// warnings of the entry, made from the entry as it is now, so a live
    /// rebuild that swaps the entry in shows its own.
    pub removed: Vec<markdown::Removal>,
    /// Derived once per file version (cached across `watch` rebuilds):
    /// reading time, the summary as HTML and as plain text.
    pub reading_minutes: u32,
    pub summary_html: String,
    pub description: String,
    /// Problems of the file that did not stop it from loading (unknown
    /// keys): the build fails with them, the entry is there so the rest of
    /// the site can be checked.
    pub problems: Vec<SourceError>,
}

/// Characters of plain text in an automatic summary.
pub const SUMMARY_CHARS: usize = 120;

/// Tags one entry may have. Every tag page shows the entry's card with all
/// its tags, so n tags cost n pages of n links each: 100k tags on one entry
/// would never finish building.
pub const MAX_TAGS: usize = 100;

/// The card's summary (HTML) and the plain description (meta, feeds):
/// `summary:` as written for both; else the card shows the text before
/// `<!-- more -->`, or the first paragraph, cut near 120 characters (so a
/// phone screen holds two or three cards), and the description is the
/// first ~120 characters of the text.
fn summarize(summary: Option<&str>, md: &markdown::Rendered) -> (String, String) {
    let card = |s: &str| format!("<p>{}</p>", crate::html::escape_html(s));
    if let Some(s) = summary {
        return (card(s), s.to_string());
    }
    (
        card(&markdown::truncate_text(&md.lead, SUMMARY_CHARS)),
        markdown::truncate_text(&md.text, SUMMARY_CHARS),
    )
}

pub fn load(file: &FoundFile, opts: &LoadOptions) -> Result<EntrySource, Vec<SourceError>> {
    let text = super::read_text(file).map_err(|e| vec![e])?;
    let path = &file.rel;
    let split = frontmatter::split(&text, path).map_err(|e| vec![e])?;
    // Unknown keys are reported, and the rest is still checked.
    let (raw, unknown) = yaml::parse_all::<RawEntry>(split.yaml, path, split.yaml_line);
    let Some(raw) = raw else {
        return Err(unknown);
    };
    let loc = |s: &Spanned<String>| yaml::located(s, split.yaml_line);
    let text_loc = |s: &Spanned<String>| yaml::located_text(s, split.yaml_line);
    let mut errors = Vec::new();

    let title = text_loc(&raw.title);
    if title.value.is_empty() {
        errors.push(
            title
                .error(path, "title is empty")
                .hint("write the entry's headline after `title:`")
                .zh("标题是空的")
                .zh_hint("在 `title:` 后面写上这篇日记的标题"),
        );
    }
    let date_loc = loc(&raw.date);
    let date = match date::parse_datetime(&date_loc.value, opts.timezone) {
        Ok(d) => Some(d),
        Err(msg) => {
            errors.push(
                date_loc
                    .error(path, msg.en)
                    .hint(date::DATE_HINT)
                    .zh(msg.zh)
                    .zh_hint(date::DATE_HINT_ZH),
            );
            None
        }
    };
    let slug = match &raw.slug {
        Some(s) => {
            let l = loc(s);
            if !slug::is_safe_slug(&l.value) {
                errors.push(
                    l.error(path, format!("invalid slug `{}`", l.value))
                        .hint(format!(
                            "use lowercase letters, digits and hyphens, e.g. `{}`",
                            nonempty_slug(&l.value)
                        ))
                        .zh(format!("slug `{}` 无效", l.value))
                        .zh_hint(format!(
                            "只用小写字母、数字和连字符，例如 `{}`",
                            nonempty_slug(&l.value)
                        )),
                );
            }
            l
        }
        None => {
            let stem = file
                .rel
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            Located {
                value: nonempty_slug(strip_date_prefix(&stem)),
                line: 0,
                col: 0,
            }
        }
    };
    let cover = raw.cover.as_ref().map(loc);
    if let Some(c) = &cover
        && let Err(msg) = check_link_target(&c.value)
    {
        errors.push(c.said(path, msg.about("cover", "封面")).hints(
            "write a site path such as /images/cover.jpg",
            "写站内路径，例如 /images/cover.jpg",
        ));
    }
    let tags: Vec<Located<String>> = raw
        .tags
        .iter()
        .map(text_loc)
        .filter(|t| !t.value.is_empty())
        .collect();
    if let Some(first_extra) = tags.get(MAX_TAGS) {
        errors.push(
            first_extra
                .error(
                    path,
                    format!(
                        "too many tags ({}); an entry may have at most {MAX_TAGS}",
                        tags.len()
                    ),
                )
                .hint("keep the tags readers would browse by; put the rest in the text")
                .zh(format!(
                    "标签太多（{} 个）；一篇日记最多 {MAX_TAGS} 个",
                    tags.len()
                ))
                .zh_hint("只留读者会按它浏览的标签，其余写进正文"),
        );
    }
    let mut aliases = Vec::with_capacity(raw.aliases.len());
    for a in &raw.aliases {
        let l = loc(a);
        match alias_path(&l.value) {
            Ok(p) => aliases.push(Located { value: p, ..l }),
            Err(msg) => errors.push(l.said(path, msg.about("alias", "旧网址")).hints(
                "write the entry's old address as a site path, e.g. /diary/old-name/",
                "写这篇日记原来的站内地址，例如 /diary/old-name/",
            )),
        }
    }

    if !errors.is_empty() {
        errors.extend(unknown);
        return Err(errors);
    }
    let md = markdown::render(split.body, &opts.markdown());
    let summary = raw
        .summary
        .map(|s| opts.title(yaml::text(&s)))
        .filter(|s| !s.is_empty());
    let (summary_html, description) = summarize(summary.as_deref(), &md);
    Ok(EntrySource {
        reading_minutes: markdown::reading_minutes(&md.text),
        summary_html,
        description,
        path: path.clone(),
        title: opts.title(title.value),
        date: date.expect("errors returned above"),
        author: raw.author.as_ref().map(loc),
        people: raw.people.iter().map(loc).collect(),
        tags,
        summary,
        cover,
        credit: raw.credit.map(|s| yaml::text(&s)).filter(|s| !s.is_empty()),
        slug,
        draft: raw.draft,
        pinned: raw.pinned,
        aliases,
        series: raw
            .series
            .as_ref()
            .map(text_loc)
            .filter(|s| !s.value.is_empty()),
        body: md
            .links
            .iter()
            .any(markdown::Link::is_site_image)
            .then(|| split.body.to_string()),
        editor: raw.editor.map(|s| yaml::text(&s)).filter(|s| !s.is_empty()),
        source: raw.source.map(|s| yaml::text(&s)).filter(|s| !s.is_empty()),
        html: md.html,
        text: md.text,
        problems: unknown,
        links: super::in_file(md.links, split.body_line, 0),
        removed: super::in_file(md.removed, split.body_line, 0),
    })
}

/// `2020-02-10-arrival` → `arrival`; other stems unchanged.
pub fn strip_date_prefix(stem: &str) -> &str {
    let b = stem.as_bytes();
    let is_date = b.len() > 11
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit)
        && (b[10] == b'-' || b[10] == b'_');
    if is_date { &stem[11..] } else { stem }
}

/// A slug for any text: pinyin/ASCII, or a stable hash when nothing is left.
pub fn nonempty_slug(s: &str) -> String {
    let s2 = slug::slugify(s);
    if s2.is_empty() {
        slug::fallback_slug(s)
    } else {
        s2
    }
}

/// Image and link fields take a site path or an http(s) URL, nothing else
/// (`javascript:`, `data:` and `../` never reach a page).
pub fn check_link_target(v: &str) -> Result<(), Msg> {
    let lower = v.to_ascii_lowercase();
    if v.is_empty() {
        return Err(Msg::new("is empty", "是空的"));
    }
    if lower.starts_with("https://") || lower.starts_with("http://") {
        if v.contains(['"', '<', '>', ' ', '\\']) {
            return Err(Msg::new(
                format!("`{v}` is not a valid URL"),
                format!("`{v}` 不是有效的网址"),
            ));
        }
        return Ok(());
    }
    if !v.starts_with('/') || v.starts_with("//") {
        return Err(Msg::new(
            format!("`{v}` must be a site path starting with / or an http(s) URL"),
            format!("`{v}` 必须是以 / 开头的站内路径，或 http(s) 网址"),
        ));
    }
    if v.split('/').any(|seg| seg == "..")
        || v.contains(['"', '<', '>', '\\'])
        || v.chars().any(char::is_control)
    {
        return Err(unsafe_path(v));
    }
    Ok(())
}

fn unsafe_path(v: &str) -> Msg {
    Msg::new(
        format!("`{v}` is not a safe path"),
        format!("`{v}` 不是安全的路径"),
    )
}

/// An `aliases:` value (`/old/path/`, `old/path`, `/old.html`) as the site
/// path it redirects from (`old/path/`, `old.html`). Only plain path
/// segments: nothing that could leave the output folder or mean something
/// else to a server (a scheme, a query, `..`, hidden names, backslashes).
pub fn alias_path(v: &str) -> Result<String, Msg> {
    let rest = v.strip_prefix('/').unwrap_or(v);
    if rest.is_empty() {
        return Err(Msg::new(
            format!("`{v}` is the home page"),
            format!("`{v}` 是首页"),
        ));
    }
    if v.contains("://") || v.starts_with("//") || v.contains(':') {
        return Err(Msg::new(
            format!("`{v}` must be a path on this site, without a scheme"),
            format!("`{v}` 必须是本站的路径，不带 http:// 之类的协议"),
        ));
    }
    if v.contains(['?', '#']) {
        return Err(Msg::new(
            format!("`{v}` has a query or fragment; write the path only"),
            format!("`{v}` 带有 ? 或 # 后的部分；只写路径"),
        ));
    }
    if v.contains('\\') || v.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(Msg::new(
            format!("`{v}` has a backslash, a space or a control character"),
            format!("`{v}` 含有反斜杠、空格或控制字符"),
        ));
    }
    if v.contains(['"', '<', '>', '%']) {
        return Err(unsafe_path(v));
    }
    let trimmed = rest.strip_suffix('/').unwrap_or(rest);
    if trimmed
        .split('/')
        .any(|seg| seg.is_empty() || seg.starts_with('.'))
    {
        return Err(Msg::new(
            format!("`{v}` is not a plain path (an empty, `.`, `..` or hidden segment)"),
            format!("`{v}` 不是普通路径（有空的、`.`、`..` 或隐藏的一段）"),
        ));
    }
    let lower = trimmed.to_ascii_lowercase();
    if lower.ends_with(".html") || lower.ends_with(".htm") {
        Ok(trimmed.to_string())
    } else {
        Ok(format!("{trimmed}/"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_prefix_is_stripped() {
        assert_eq!(strip_date_prefix("2020-02-10-arrival"), "arrival");
        assert_eq!(strip_date_prefix("2020-02-10-第一天"), "第一天");
        assert_eq!(strip_date_prefix("arrival"), "arrival");
        assert_eq!(strip_date_prefix("2020-02-10"), "2020-02-10");
    }

    #[test]
    fn chinese_stem_becomes_pinyin() {
        assert_eq!(
            nonempty_slug(strip_date_prefix("2020-02-10-第一天")),
            "di-yi-tian"
        );
    }

    #[test]
    fn alias_paths() {
        assert_eq!(alias_path("/old/path/").unwrap(), "old/path/");
        assert_eq!(alias_path("old/path").unwrap(), "old/path/");
        assert_eq!(alias_path("/2020/旧文.html").unwrap(), "2020/旧文.html");
        for bad in [
            "/",
            "",
            "/../etc/",
            "/a/../../b/",
            "/a/./b/",
            "https://evil.org/x/",
            "//evil.org/x/",
            "javascript:alert(1)",
            "/a?b=1",
            "/a#top",
            "/a\\b/",
            "/a\u{7}b/",
            "/a b/",
            "/a//b/",
            "/.laurel-output/",
            "/a%2e%2e/",
        ] {
            assert!(alias_path(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn link_targets() {
        assert!(check_link_target("/images/a.jpg").is_ok());
        assert!(check_link_target("https://e.org/a.jpg").is_ok());
        assert!(check_link_target("javascript:alert(1)").is_err());
        assert!(check_link_target("JavaScript:alert(1)").is_err());
        assert!(check_link_target("/../etc/passwd").is_err());
        assert!(check_link_target("//evil.org/x").is_err());
        assert!(check_link_target("images/a.jpg").is_err());
    }
}
