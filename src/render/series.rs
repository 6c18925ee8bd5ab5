//! Series (`series:` in front matter): `series/<slug>/[page/N/]index.html`,
//! the parts in reading order (part 1, the oldest, first; going on to
//! `page/N/` past [`SERIES_PER_PAGE`] parts), and its feeds
//! `series/<slug>/rss.xml` and `atom.xml` (newest first, as every feed).
//! An entry's own page shows its part and the parts before and after it
//! (see `entry.rs`).

use std::collections::BTreeMap;

use tera::Value;

use super::context::extend;
use super::feeds::{FeedSpec, Format};
use super::graph::Reads;
use super::renderer::{PageMeta, Plan, Renderer};
use crate::layout::{atom_feed, feed, page_count, page_path, page_slice};

/// Parts on one page of a series.
pub(crate) const SERIES_PER_PAGE: usize = 100;

impl Renderer<'_> {
    pub(super) fn series_pages(&self, s: usize) -> usize {
        page_count(self.site.series[s].entries.len(), SERIES_PER_PAGE)
    }

    /// Page `k` of series `s`: its name and the cards of its slice of parts.
    pub(super) fn reads_series(&self, s: usize, k: usize, r: &mut Reads) {
        let series = &self.site.series[s];
        r.str(&series.name).num(series.entries.len());
        r.num(k).num(self.series_pages(s));
        for &e in &series.entries[page_slice(series.entries.len(), SERIES_PER_PAGE, k)] {
            r.card(e);
        }
    }

    /// `{ name, slug, url, count, feed_url, atom_url }`.
    fn series_value(&self, s: usize) -> Value {
        let c = self.config();
        let series = &self.site.series[s];
        let base = series.path();
        let mut m = BTreeMap::new();
        m.insert("name".to_string(), Value::from(series.name.as_str()));
        m.insert("slug".to_string(), Value::from(series.slug.as_str()));
        m.insert("url".to_string(), Value::from(c.url(&base)));
        m.insert("count".to_string(), Value::from(series.entries.len()));
        m.insert("feed_url".to_string(), Value::from(c.url(&feed(&base))));
        m.insert(
            "atom_url".to_string(),
            Value::from(c.url(&atom_feed(&base))),
        );
        Value::from(m)
    }

    pub(super) fn plan_series(&self, s: usize, k: usize) -> Plan {
        let series = &self.site.series[s];
        let base = series.path();
        let range = page_slice(series.entries.len(), SERIES_PER_PAGE, k);
        let first_part = range.start + 1;
        let entries: Vec<Value> = series.entries[range]
            .iter()
            .enumerate()
            .map(|(n, &i)| {
                let mut card = self.shared.entry_cards[i].clone();
                extend(&mut card, [("part", Value::from(first_part + n))]);
                card
            })
            .collect();
        let title = if k > 1 {
            format!("{} ({k})", series.name)
        } else {
            series.name.clone()
        };
        let description = format!("{}: {}", self.t("series", "专题"), series.name);
        let mut ctx = self.base(&PageMeta {
            kind: "series",
            title: Some(&title),
            description: &description,
            path: &page_path(&base, k),
            og_image: None,
            feed: Some(base.clone()),
        });
        ctx.insert_value("series", self.series_value(s));
        ctx.insert_value("entries", Value::from(entries));
        ctx.insert_value("paginator", self.paginator(&base, k, self.series_pages(s)));
        Plan::Template("series.html", ctx)
    }

    /// The series' newest parts, as many as the feed shows.
    fn series_feed_entries(&self, s: usize) -> Vec<usize> {
        let parts = &self.site.series[s].entries;
        parts
            .iter()
            .rev()
            .take(self.config().feed_limit)
            .copied()
            .collect()
    }

    pub(super) fn reads_series_feed(&self, s: usize, r: &mut Reads) {
        r.str(&self.site.series[s].name);
        for e in self.series_feed_entries(s) {
            r.entry(e);
        }
    }

    pub(super) fn plan_series_feed(&self, s: usize, format: Format) -> Plan {
        let c = self.config();
        let series = &self.site.series[s];
        Plan::Feed(FeedSpec {
            title: format!("{} — {}", series.name, c.title),
            description: format!("{} · {}", series.name, c.title),
            page_path: series.path(),
            feed_path: format.path(&series.path()),
            entries: self.series_feed_entries(s),
            format,
        })
    }

    /// The entries before and after entry `i` in its series.
    fn series_neighbours(&self, i: usize) -> Option<(usize, usize, [Option<usize>; 2])> {
        let (s, part) = self.site.entries[i].series?;
        let parts = &self.site.series[s].entries;
        let prev = part.checked_sub(1).map(|p| parts[p]);
        let next = parts.get(part + 1).copied();
        Some((s, part, [prev, next]))
    }

    /// What an entry page shows of its series: the name, its part of how
    /// many, and the titles and URLs of the parts around it.
    pub(super) fn reads_entry_series(&self, i: usize, r: &mut Reads) {
        let Some((s, part, around)) = self.series_neighbours(i) else {
            r.str("\0no series");
            return;
        };
        let series = &self.site.series[s];
        r.str(&series.name).num(part).num(series.entries.len());
        for j in around {
            self.reads_link(j, r);
        }
    }

    /// `entry.series`: the series value plus `part`, `prev`, `next`; none.
    pub(super) fn entry_series(&self, i: usize) -> Value {
        let Some((s, part, [prev, next])) = self.series_neighbours(i) else {
            return Value::none();
        };
        let mut v = self.series_value(s);
        extend(
            &mut v,
            [
                ("part", Value::from(part + 1)),
                ("prev", self.entry_link(prev)),
                ("next", self.entry_link(next)),
            ],
        );
        v
    }
}
