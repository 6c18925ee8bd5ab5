//! The URL layout of every output: where an entry, a person, a tag, a page
//! and each page of a paginated list live, as site paths (`diary/a/`,
//! relative to the site root, `/`-separated) and as output files
//! (`diary/a/index.html`). One place, so that pages, feeds, the sitemap, the
//! link check and the search index agree: entries by the `permalinks.entry`
//! pattern ([`EntryPattern`], [`entry`]), the rest fixed. Also how an image
//! URL written in content names a site path ([`image_path`]). A leaf: plain
//! string functions.

/// Top-level URL segments laurel generates itself: pages may not take them.
pub const RESERVED_SLUGS: &[&str] = &[
    "diary",
    "people",
    "tags",
    "archive",
    "page",
    "rss-xml",
    "atom-xml",
    "sitemap-xml",
    "robots-txt",
    "404",
    "search",
    "series",
];

/// Whether a URL written in content or front matter leads to another site
/// (`https://…`, `//host/…`) or holds its data (`data:`), rather than naming
/// a file of this one.
pub fn is_external(url: &str) -> bool {
    url.contains("://") || url.starts_with("//") || url.starts_with("data:")
}

/// The site path an image written on the page at site path `page` names,
/// as a browser reads it: `/images/a.jpg` from the site root, `a.jpg` and
/// `../a.jpg` from the page; percent-escapes decoded, query and fragment
/// dropped, `.` and `..` resolved. `None` for another site's image, and
/// for a path that climbs above the site root (it names no file of the site).
pub fn image_path(page: &str, url: &str) -> Option<String> {
    if is_external(url) {
        return None;
    }
    let url = url.split(['?', '#']).next().unwrap_or("");
    let url = percent_encoding::percent_decode_str(url).decode_utf8_lossy();
    let joined = match url.strip_prefix('/') {
        Some(rest) => rest.to_string(),
        None => format!("{page}{url}"),
    };
    let mut parts: Vec<&str> = Vec::new();
    for seg in joined.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// What an entry's URL is made of (see [`EntryPattern`]).
#[derive(Debug, Clone, Copy)]
pub struct EntryUrl<'a> {
    pub year: i32,
    pub month: u32,
    pub day: u32,
    pub slug: &'a str,
    /// The author's person id, if the entry has one.
    pub author: Option<&'a str>,
}

/// A piece of `permalinks.entry`: literal text or a token.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    Year,
    Month,
    Day,
    Slug,
    Author,
}

/// The pattern of entry URLs, `permalinks: { entry: "/diary/:year/:slug/" }`
/// in site.yaml; the default is `/diary/:slug/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryPattern {
    parts: Vec<Part>,
    /// As written, for messages.
    written: String,
}

impl Default for EntryPattern {
    fn default() -> EntryPattern {
        EntryPattern::parse(DEFAULT_ENTRY_PATTERN).expect("the default pattern is valid")
    }
}

/// Where entries live unless site.yaml says otherwise.
pub const DEFAULT_ENTRY_PATTERN: &str = "/diary/:slug/";

/// Why a `permalinks.entry` value was refused: the message and a hint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError {
    pub message: String,
    pub hint: &'static str,
    pub zh_message: String,
    pub zh_hint: &'static str,
}

impl EntryPattern {
    /// Reads a pattern: it starts and ends with `/`, has `:slug` (two
    /// entries never share a URL only if it does), and is made of the
    /// tokens `:year`, `:month`, `:day`, `:slug`, `:author` and ASCII
    /// letters, digits, `-`, `_` and `.` (no `.` or `..` segment, no empty
    /// one), so that every URL it makes is a safe path in the output folder.
    pub fn parse(written: &str) -> Result<EntryPattern, PatternError> {
        let err = |message: String, hint: &'static str, zh_message: String, zh_hint| PatternError {
            message,
            hint,
            zh_message,
            zh_hint,
        };
        const SHAPE: &str = "write a site path such as /diary/:year/:month/:slug/";
        const SHAPE_ZH: &str = "写成站内路径，例如 /diary/:year/:month/:slug/";
        if !written.starts_with('/') || !written.ends_with('/') || written.len() < 2 {
            return Err(err(
                format!("permalink `{written}` must start and end with `/`"),
                SHAPE,
                format!("网址格式 `{written}` 必须以 `/` 开头和结尾"),
                SHAPE_ZH,
            ));
        }
        let mut parts = Vec::new();
        for segment in written[1..written.len() - 1].split('/') {
            if segment.is_empty() || segment == "." || segment == ".." {
                return Err(err(
                    format!("permalink `{written}` has an empty, `.` or `..` segment"),
                    SHAPE,
                    format!("网址格式 `{written}` 里有空的、`.` 或 `..` 的一段"),
                    SHAPE_ZH,
                ));
            }
            let mut rest = segment;
            while !rest.is_empty() {
                if let Some(after) = rest.strip_prefix(':') {
                    let len = after
                        .find(|c: char| !c.is_ascii_lowercase())
                        .unwrap_or(after.len());
                    let part = match &after[..len] {
                        "year" => Part::Year,
                        "month" => Part::Month,
                        "day" => Part::Day,
                        "slug" => Part::Slug,
                        "author" => Part::Author,
                        other => {
                            return Err(err(
                                format!("unknown permalink token `:{other}` in `{written}`"),
                                "use :year, :month, :day, :slug and :author",
                                format!("网址格式 `{written}` 里有未知的占位符 `:{other}`"),
                                "可用的占位符：:year、:month、:day、:slug 和 :author",
                            ));
                        }
                    };
                    parts.push(part);
                    rest = &after[len..];
                } else {
                    let len = rest.find(':').unwrap_or(rest.len());
                    let text = &rest[..len];
                    if let Some(bad) = text
                        .chars()
                        .find(|&c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
                    {
                        return Err(err(
                            format!(
                                "permalink `{written}` has `{bad}`, which is not safe in a URL path"
                            ),
                            "use ASCII letters, digits, -, _ and . between the tokens",
                            format!("网址格式 `{written}` 里有 `{bad}`，不能安全地用在网址路径里"),
                            "占位符之间只用英文字母、数字、-、_ 和 .",
                        ));
                    }
                    push_text(&mut parts, text);
                    rest = &rest[len..];
                }
            }
            push_text(&mut parts, "/");
        }
        if !parts.contains(&Part::Slug) {
            return Err(err(
                format!("permalink `{written}` has no `:slug`, so entries could share a URL"),
                "add :slug, e.g. /diary/:year/:month/:slug/",
                format!("网址格式 `{written}` 没有 `:slug`，几篇日记可能落在同一个网址"),
                "加上 :slug，例如 /diary/:year/:month/:slug/",
            ));
        }
        Ok(EntryPattern {
            parts,
            written: written.to_string(),
        })
    }

    /// Whether the pattern uses `:author`.
    pub fn needs_author(&self) -> bool {
        self.parts.contains(&Part::Author)
    }

    /// The pattern as written in site.yaml.
    pub fn as_str(&self) -> &str {
        &self.written
    }

    /// The pattern for hints: `/diary/<year>/<slug>/`.
    pub fn shown(&self) -> String {
        ["year", "month", "day", "slug", "author"]
            .iter()
            .fold(self.written.clone(), |s, t| {
                s.replace(&format!(":{t}"), &format!("<{t}>"))
            })
    }
}

fn push_text(parts: &mut Vec<Part>, text: &str) {
    if let Some(Part::Text(t)) = parts.last_mut() {
        t.push_str(text);
    } else if !text.is_empty() {
        parts.push(Part::Text(text.to_string()));
    }
}

/// Site path of an entry page (`diary/arrival/` by default): the one place
/// an entry's URL is made. `None` when the pattern needs an author and the
/// entry has none.
pub fn entry(pattern: &EntryPattern, e: &EntryUrl) -> Option<String> {
    use std::fmt::Write;
    let mut out = String::with_capacity(pattern.written.len() + e.slug.len());
    for p in &pattern.parts {
        // Writing to a String cannot fail.
        let _ = match p {
            Part::Text(t) => {
                out.push_str(t);
                Ok(())
            }
            Part::Year => write!(out, "{:04}", e.year),
            Part::Month => write!(out, "{:02}", e.month),
            Part::Day => write!(out, "{:02}", e.day),
            Part::Slug => {
                out.push_str(e.slug);
                Ok(())
            }
            Part::Author => {
                out.push_str(e.author?);
                Ok(())
            }
        };
    }
    Some(out)
}

/// Site path of a person's page.
pub fn person(id: &str) -> String {
    format!("people/{id}/")
}

/// Site path of a tag's first page.
pub fn tag(slug: &str) -> String {
    format!("tags/{slug}/")
}

/// Site path of a series' first page.
pub fn series(slug: &str) -> String {
    format!("series/{slug}/")
}

/// Site path of a month of the archive: `archive/2020/02/`.
pub fn archive_month(year: i32, month: u32) -> String {
    format!("archive/{year:04}/{month:02}/")
}

/// Site path of a standalone page.
pub fn standalone(slug: &str) -> String {
    format!("{slug}/")
}

/// The feed of the list at site path `base` (`""` for the site feed).
pub fn feed(base: &str) -> String {
    format!("{base}rss.xml")
}

/// The Atom feed beside [`feed`]'s RSS feed.
pub fn atom_feed(base: &str) -> String {
    format!("{base}atom.xml")
}

/// Part `k` (1-based) of a sitemap too large for one file.
pub fn sitemap_part(k: usize) -> String {
    format!("sitemap-{k}.xml")
}

/// Number of pages for `n` items at `per` per page (an empty list still has one page).
pub fn page_count(n: usize, per: usize) -> usize {
    n.div_ceil(per).max(1)
}

/// Site path of page `k` (1-based) of a paginated list rooted at `base`.
pub fn page_path(base: &str, k: usize) -> String {
    if k <= 1 {
        base.to_string()
    } else {
        format!("{base}page/{k}/")
    }
}

/// The slice of item indices shown on page `k` (1-based).
pub fn page_slice(n: usize, per: usize, k: usize) -> std::ops::Range<usize> {
    let start = (k.saturating_sub(1) * per).min(n);
    start..(start + per).min(n)
}

/// Output file for a site path: `diary/a/` → `diary/a/index.html`.
pub fn html_file(path: &str) -> String {
    if path.is_empty() {
        "index.html".into()
    } else {
        format!("{path}index.html")
    }
}

/// Output file of an alias's site path (see `source::entry::alias_path`):
/// `old/` → `old/index.html`; `old.html` stays itself.
pub fn alias_file(path: &str) -> String {
    if path.ends_with('/') {
        html_file(path)
    } else {
        path.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_paths_are_read_as_a_browser_reads_them() {
        let at = |url: &str| image_path("diary/a/", url);
        assert_eq!(at("/images/a.jpg").as_deref(), Some("images/a.jpg"));
        assert_eq!(
            at("/images/my%20a.jpg?v=1").as_deref(),
            Some("images/my a.jpg")
        );
        assert_eq!(at("a.jpg").as_deref(), Some("diary/a/a.jpg"));
        assert_eq!(at("../../images/a.jpg").as_deref(), Some("images/a.jpg"));
        assert_eq!(at("/images/../../etc/passwd"), None);
        assert_eq!(at("../../../etc/passwd"), None);
        assert_eq!(at("/"), None);
        assert_eq!(at("https://e.org/a.jpg"), None);
        assert_eq!(at("//e.org/a.jpg"), None);
        assert_eq!(at("data:image/png;base64,AA"), None);
    }

    #[test]
    fn entry_patterns_make_paths() {
        let e = EntryUrl {
            year: 2020,
            month: 2,
            day: 9,
            slug: "arrival",
            author: Some("wu-yang"),
        };
        let path = |p: &str| entry(&EntryPattern::parse(p).unwrap(), &e);
        assert_eq!(path("/diary/:slug/").as_deref(), Some("diary/arrival/"));
        assert_eq!(
            path("/diary/:year/:month/:slug/").as_deref(),
            Some("diary/2020/02/arrival/")
        );
        assert_eq!(
            path("/:author/:year-:month-:day-:slug/").as_deref(),
            Some("wu-yang/2020-02-09-arrival/")
        );
        assert_eq!(path("/:slug/").as_deref(), Some("arrival/"));
        let anonymous = EntryUrl { author: None, ..e };
        let p = EntryPattern::parse("/:author/:slug/").unwrap();
        assert!(p.needs_author());
        assert_eq!(entry(&p, &anonymous), None);
    }

    #[test]
    fn bad_entry_patterns_are_refused() {
        let msg = |p: &str| EntryPattern::parse(p).unwrap_err().message;
        assert_eq!(
            msg("/diary/:yaer/:slug/"),
            "unknown permalink token `:yaer` in `/diary/:yaer/:slug/`"
        );
        assert_eq!(
            msg("/diary/:year/"),
            "permalink `/diary/:year/` has no `:slug`, so entries could share a URL"
        );
        assert_eq!(
            msg("diary/:slug/"),
            "permalink `diary/:slug/` must start and end with `/`"
        );
        assert_eq!(
            msg("/diary/:slug"),
            "permalink `/diary/:slug` must start and end with `/`"
        );
        assert_eq!(
            msg("/diary/../:slug/"),
            "permalink `/diary/../:slug/` has an empty, `.` or `..` segment"
        );
        assert!(msg("/diary//:slug/").contains("empty"));
        assert_eq!(
            msg("/diary?x/:slug/"),
            "permalink `/diary?x/:slug/` has `?`, which is not safe in a URL path"
        );
        assert!(msg("/日记/:slug/").contains("not safe"));
        assert!(msg("/a b/:slug/").contains("not safe"));
        assert!(msg("/:/:slug/").contains("unknown permalink token `:`"));
    }

    #[test]
    fn pagination_math() {
        assert_eq!(page_count(0, 10), 1);
        assert_eq!(page_count(21, 10), 3);
        assert_eq!(page_slice(21, 10, 3), 20..21);
        assert_eq!(page_path("tags/a/", 1), "tags/a/");
        assert_eq!(page_path("", 2), "page/2/");
        assert_eq!(html_file(""), "index.html");
        let a = EntryUrl {
            year: 2020,
            month: 2,
            day: 9,
            slug: "a",
            author: None,
        };
        assert_eq!(
            html_file(&entry(&EntryPattern::default(), &a).unwrap()),
            "diary/a/index.html"
        );
        assert_eq!(feed(&person("wu-yang")), "people/wu-yang/rss.xml");
        assert_eq!(archive_month(2020, 2), "archive/2020/02/");
        assert_eq!(alias_file("old/a/"), "old/a/index.html");
        assert_eq!(alias_file("old.html"), "old.html");
    }
}
