//! Tags: `tags/index.html` (every tag, most used first, going on to
//! `tags/page/N/` past [`TAGS_PER_PAGE`] tags), each tag's pages
//! `tags/<slug>/[page/N/]index.html` and its feed `tags/<slug>/rss.xml`.

use tera::Value;

use super::context::extend;
use super::feeds::{FeedSpec, Format};
use super::graph::Reads;
use super::renderer::{PageMeta, Plan, Renderer, paged_title};
use crate::layout::{atom_feed, feed, page_count, page_path, page_slice};

/// Tags on one page of the tag list.
pub(crate) const TAGS_PER_PAGE: usize = 500;

impl Renderer<'_> {
    pub(super) fn tags_pages(&self) -> usize {
        page_count(self.site.tags.len(), TAGS_PER_PAGE)
    }

    /// Tags, most used first (then by slug).
    fn tags_by_use(&self) -> Vec<usize> {
        let s = self.site;
        let mut order: Vec<usize> = (0..s.tags.len()).collect();
        order.sort_by(|&a, &b| {
            s.tags[b]
                .entries
                .len()
                .cmp(&s.tags[a].entries.len())
                .then_with(|| s.tags[a].slug.cmp(&s.tags[b].slug))
        });
        order
    }

    /// Page `k` of the tag list. Every tag's use count decides the order.
    pub(super) fn reads_tags(&self, k: usize, r: &mut Reads) {
        r.num(k).num(self.tags_pages());
        for t in 0..self.site.tags.len() {
            r.tag(t);
        }
    }

    pub(super) fn plan_tags(&self, k: usize) -> Plan {
        let order = self.tags_by_use();
        let tags: Vec<Value> = order[page_slice(order.len(), TAGS_PER_PAGE, k)]
            .iter()
            .map(|&i| self.shared.tag_refs[i].clone())
            .collect();
        let title = paged_title(&self.t("tags", "标签"), k);
        let mut ctx = self.section("tags", title, &page_path("tags/", k));
        ctx.insert_value("tags", Value::from(tags));
        ctx.insert_value("paginator", self.paginator("tags/", k, self.tags_pages()));
        Plan::Template("tags.html", ctx)
    }

    fn tag_pages(&self, t: usize) -> usize {
        page_count(
            self.site.tags[t].entries.len(),
            self.config().entries_per_page,
        )
    }

    /// Page `k` of tag `t`: the tag and the cards of its slice of entries.
    pub(super) fn reads_tag(&self, t: usize, k: usize, r: &mut Reads) {
        let tag = &self.site.tags[t];
        r.tag(t).num(k).num(self.tag_pages(t));
        for &e in &tag.entries[page_slice(tag.entries.len(), self.config().entries_per_page, k)] {
            r.card(e);
        }
    }

    pub(super) fn plan_tag(&self, i: usize, k: usize) -> Plan {
        let c = self.config();
        let t = &self.site.tags[i];
        let base = t.path();
        let total = self.tag_pages(i);
        let range = page_slice(t.entries.len(), c.entries_per_page, k);
        let path = page_path(&base, k);
        let mut tag = self.shared.tag_refs[i].clone();
        extend(
            &mut tag,
            [
                ("feed_url", Value::from(c.url(&feed(&base)))),
                ("atom_url", Value::from(c.url(&atom_feed(&base)))),
            ],
        );
        let title = paged_title(&t.name, k);
        let description = format!("{}: {}", self.t("tags", "Tags"), t.name);
        let mut ctx = self.base(&PageMeta {
            kind: "tag",
            title: Some(&title),
            description: &description,
            path: &path,
            og_image: None,
            feed: Some(base.clone()),
        });
        ctx.insert_value("tag", tag);
        let cards: Vec<Value> = t.entries[range]
            .iter()
            .map(|&e| self.shared.entry_cards[e].clone())
            .collect();
        ctx.insert_value("entries", Value::from(cards));
        ctx.insert_value("paginator", self.paginator(&base, k, total));
        Plan::Template("tag.html", ctx)
    }

    pub(super) fn reads_tag_feed(&self, t: usize, r: &mut Reads) {
        r.tag(t);
        for &e in self.site.tags[t]
            .entries
            .iter()
            .take(self.config().feed_limit)
        {
            r.entry(e);
        }
    }

    pub(super) fn plan_tag_feed(&self, i: usize, format: Format) -> Plan {
        let c = self.config();
        let t = &self.site.tags[i];
        Plan::Feed(FeedSpec {
            title: format!("{} — {}", t.name, c.title),
            description: format!("{} · {}", t.name, c.title),
            page_path: t.path(),
            feed_path: format.path(&t.path()),
            format,
            entries: t.entries.clone(),
        })
    }
}
