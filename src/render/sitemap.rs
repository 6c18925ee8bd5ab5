//! `sitemap.xml` and `robots.txt`. A site of up to 50,000 URLs gets one
//! sitemap; a larger one gets `sitemap.xml` as a sitemap index naming
//! `sitemap-1.xml`, `sitemap-2.xml`, …, each within the sitemaps.org limits
//! (50,000 URLs, 50 MiB).

use crate::markdown::escape_html;

/// At most this many URLs in one sitemap file (sitemaps.org).
const MAX_URLS: usize = 50_000;
/// At most this many bytes in one sitemap file, uncompressed (sitemaps.org).
const MAX_BYTES: usize = 50 * 1024 * 1024;

const HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
const URLSET: &str = "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";
const URLSET_END: &str = "</urlset>\n";

/// One URL of the sitemap with its last modification day.
pub struct SitemapUrl {
    pub loc: String,
    pub lastmod: Option<String>,
}

/// The `<url>` element of one URL.
fn url_element(u: &SitemapUrl) -> String {
    let mut s = String::with_capacity(u.loc.len() + 64);
    s.push_str("  <url>\n    <loc>");
    s.push_str(&escape_html(&super::feeds::clean(&u.loc)));
    s.push_str("</loc>\n");
    if let Some(m) = &u.lastmod {
        s.push_str("    <lastmod>");
        s.push_str(m);
        s.push_str("</lastmod>\n");
    }
    s.push_str("  </url>\n");
    s
}

/// The sitemap files: `[sitemap.xml]` for a site within one file's limits,
/// else `[index, part 1, part 2, …]`; `part_url(k)` is part `k`'s absolute URL.
pub fn sitemaps(urls: &[SitemapUrl], part_url: impl Fn(usize) -> String) -> Vec<Vec<u8>> {
    split(urls, MAX_URLS, MAX_BYTES, part_url)
}

fn split(
    urls: &[SitemapUrl],
    max_urls: usize,
    max_bytes: usize,
    part_url: impl Fn(usize) -> String,
) -> Vec<Vec<u8>> {
    let frame = HEAD.len() + URLSET.len() + URLSET_END.len();
    // (bytes, newest lastmod) of each part as it fills.
    let mut parts: Vec<(String, Option<&str>)> = Vec::new();
    let mut count = 0;
    for u in urls {
        let el = url_element(u);
        let full = parts.last().is_none_or(|(s, _)| {
            count == max_urls || s.len() + el.len() + URLSET_END.len() > max_bytes
        });
        if full {
            parts.push((format!("{HEAD}{URLSET}"), None));
            count = 0;
        }
        let (s, newest) = parts.last_mut().expect("pushed above");
        s.push_str(&el);
        if let Some(m) = u.lastmod.as_deref() {
            *newest = Some(newest.map_or(m, |n: &str| n.max(m)));
        }
        count += 1;
    }
    debug_assert!(frame < max_bytes);
    if parts.len() <= 1 {
        let mut s = parts
            .pop()
            .map_or_else(|| format!("{HEAD}{URLSET}"), |(s, _)| s);
        s.push_str(URLSET_END);
        return vec![s.into_bytes()];
    }
    let mut index = String::from(HEAD);
    index.push_str("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for (k, (_, newest)) in parts.iter().enumerate() {
        index.push_str("  <sitemap>\n    <loc>");
        index.push_str(&escape_html(&part_url(k + 1)));
        index.push_str("</loc>\n");
        if let Some(m) = newest {
            index.push_str("    <lastmod>");
            index.push_str(m);
            index.push_str("</lastmod>\n");
        }
        index.push_str("  </sitemap>\n");
    }
    index.push_str("</sitemapindex>\n");
    std::iter::once(index.into_bytes())
        .chain(parts.into_iter().map(|(mut s, _)| {
            s.push_str(URLSET_END);
            s.into_bytes()
        }))
        .collect()
}

pub fn robots(sitemap_url: &str) -> Vec<u8> {
    format!("User-agent: *\nAllow: /\n\nSitemap: {sitemap_url}\n").into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(n: usize) -> Vec<SitemapUrl> {
        (0..n)
            .map(|i| SitemapUrl {
                loc: format!("https://example.org/diary/e{i}/"),
                lastmod: Some(format!("2020-02-{:02}", 1 + i % 28)),
            })
            .collect()
    }

    fn text(b: &[u8]) -> &str {
        std::str::from_utf8(b).unwrap()
    }

    #[test]
    fn a_small_site_has_one_sitemap() {
        let files = split(&urls(3), 5, MAX_BYTES, |k| format!("p{k}"));
        assert_eq!(files.len(), 1);
        let s = text(&files[0]);
        assert!(
            s.starts_with(&format!("{HEAD}{URLSET}")) && s.ends_with(URLSET_END),
            "{s}"
        );
        assert_eq!(s.matches("<url>").count(), 3);
        let empty = split(&[], 5, MAX_BYTES, |k| format!("p{k}"));
        assert_eq!(text(&empty[0]), format!("{HEAD}{URLSET}{URLSET_END}"));
    }

    #[test]
    fn a_large_site_gets_an_index_and_parts_within_the_limits() {
        let all = urls(12);
        let files = split(&all, 5, MAX_BYTES, |k| {
            format!("https://example.org/sitemap-{k}.xml")
        });
        assert_eq!(files.len(), 4, "index and three parts");
        let index = text(&files[0]);
        assert!(index.contains("<sitemapindex"), "{index}");
        for k in 1..=3 {
            assert!(index.contains(&format!("<loc>https://example.org/sitemap-{k}.xml</loc>")));
        }
        let counts: Vec<usize> = files[1..]
            .iter()
            .map(|f| text(f).matches("<url>").count())
            .collect();
        assert_eq!(counts, [5, 5, 2]);
        // Every URL once, in order.
        let locs: String = files[1..].iter().map(|f| text(f)).collect();
        let mut at = 0;
        for u in &all {
            let i = locs[at..]
                .find(&format!("<loc>{}</loc>", u.loc))
                .expect("listed")
                + at;
            at = i + 1;
        }
        // The index dates each part by its newest URL.
        assert!(index.contains("<lastmod>2020-02-05</lastmod>"), "{index}");

        // The byte limit splits too.
        let one = url_element(&all[0]).len();
        let frame = HEAD.len() + URLSET.len() + URLSET_END.len();
        let limit = frame + 3 * one + 2;
        let files = split(&all, 100, limit, |k| format!("p{k}"));
        assert!(files.len() > 4, "{} files", files.len());
        for f in &files[1..] {
            assert!(f.len() <= limit, "{} bytes", f.len());
        }
        let listed: usize = files[1..]
            .iter()
            .map(|f| text(f).matches("<url>").count())
            .sum();
        assert_eq!(listed, all.len());
    }
}
