//! `sitemap.xml` and `robots.txt`.

use crate::markdown::escape_html;

/// One URL of the sitemap with its last modification day.
pub struct SitemapUrl {
    pub loc: String,
    pub lastmod: Option<String>,
}

pub fn sitemap(urls: &[SitemapUrl]) -> Vec<u8> {
    let mut s = String::with_capacity(urls.len() * 100 + 200);
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    s.push_str("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for u in urls {
        s.push_str("  <url>\n    <loc>");
        s.push_str(&escape_html(&super::feeds::clean(&u.loc)));
        s.push_str("</loc>\n");
        if let Some(m) = &u.lastmod {
            s.push_str("    <lastmod>");
            s.push_str(m);
            s.push_str("</lastmod>\n");
        }
        s.push_str("  </url>\n");
    }
    s.push_str("</urlset>\n");
    s.into_bytes()
}

pub fn robots(sitemap_url: &str) -> Vec<u8> {
    format!("User-agent: *\nAllow: /\n\nSitemap: {sitemap_url}\n").into_bytes()
}
