//! The URL layout of every output: where an entry, a person, a tag, a page
//! and each page of a paginated list live, as site paths (`diary/a/`,
//! relative to the site root, `/`-separated) and as output files
//! (`diary/a/index.html`). One place, so that pages, feeds, the sitemap, the
//! link check and the search index agree. A leaf: plain string functions.

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

/// Site path of an entry page.
pub fn entry(slug: &str) -> String {
    format!("diary/{slug}/")
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
    fn pagination_math() {
        assert_eq!(page_count(0, 10), 1);
        assert_eq!(page_count(21, 10), 3);
        assert_eq!(page_slice(21, 10, 3), 20..21);
        assert_eq!(page_path("tags/a/", 1), "tags/a/");
        assert_eq!(page_path("", 2), "page/2/");
        assert_eq!(html_file(""), "index.html");
        assert_eq!(html_file(&entry("a")), "diary/a/index.html");
        assert_eq!(feed(&person("wu-yang")), "people/wu-yang/rss.xml");
        assert_eq!(archive_month(2020, 2), "archive/2020/02/");
        assert_eq!(alias_file("old/a/"), "old/a/index.html");
        assert_eq!(alias_file("old.html"), "old.html");
    }
}
