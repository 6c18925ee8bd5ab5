//! The site's own files: `404.html`, the site feed `rss.xml`, `sitemap.xml`
//! and `robots.txt`.

use super::feeds::{FeedSpec, Format};
use super::graph::Reads;
use super::renderer::{Plan, Renderer};
use super::sitemap::{self, SitemapUrl};
use crate::layout::sitemap_part;

impl Renderer<'_> {
    pub(super) fn plan_not_found(&self) -> Plan {
        let ctx = self.section("404", self.t("not_found_title", "页面未找到"), "404.html");
        Plan::Template("404.html", ctx)
    }

    fn site_feed_len(&self) -> usize {
        self.site.entries.len().min(self.config().feed_limit)
    }

    pub(super) fn reads_site_feed(&self, r: &mut Reads) {
        for i in 0..self.site_feed_len() {
            r.entry(i);
        }
    }

    pub(super) fn plan_site_feed(&self, format: Format) -> Plan {
        let c = self.config();
        Plan::Feed(FeedSpec {
            title: c.title.clone(),
            description: c
                .description
                .clone()
                .or_else(|| c.subtitle.clone())
                .unwrap_or_else(|| c.title.clone()),
            page_path: String::new(),
            feed_path: format.path(""),
            format,
            entries: (0..self.site_feed_len()).collect(),
        })
    }

    /// The sitemap files (see [`sitemap::sitemaps`]), made once per render:
    /// `[sitemap.xml]`, or `[sitemap.xml (the index), sitemap-1.xml, …]`.
    pub(super) fn sitemap_files(&self) -> &[Vec<u8>] {
        self.sitemap.get_or_init(|| {
            let c = self.config();
            sitemap::sitemaps(&self.sitemap_urls(), |k| c.permalink(&sitemap_part(k)))
        })
    }

    /// Every URL of the site with its date: all part of the site's shape.
    fn sitemap_urls(&self) -> Vec<SitemapUrl> {
        let s = self.site;
        let c = self.config();
        let day = |i: usize| s.entries[i].date().format("%Y-%m-%d").to_string();
        let newest = (!s.entries.is_empty()).then(|| day(0));
        let url = |p: &str, lastmod: Option<String>| SitemapUrl {
            loc: c.permalink(p),
            lastmod,
        };
        let mut v = vec![url("", newest.clone())];
        v.extend((0..s.entries.len()).map(|i| url(s.entries[i].path(), Some(day(i)))));
        v.push(url("people/", newest.clone()));
        for p in &s.people {
            let last = p.timeline().last().map(|&(i, _)| day(i));
            v.push(url(&p.path(), last));
        }
        v.push(url("tags/", newest.clone()));
        for t in &s.tags {
            v.push(url(&t.path(), t.entries.first().map(|&i| day(i))));
        }
        for se in &s.series {
            v.push(url(&se.path(), se.entries.last().map(|&i| day(i))));
        }
        v.push(url("archive/", newest));
        for m in &self.months {
            v.push(url(&m.path(), Some(day(m.entries.start))));
        }
        v.extend(s.pages.iter().map(|p| url(&p.path(), None)));
        v
    }

    pub(super) fn robots_bytes(&self) -> Vec<u8> {
        sitemap::robots(&self.config().permalink("sitemap.xml"))
    }
}
