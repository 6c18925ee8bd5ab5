//! One person: `people/<id>/index.html` (the profile and a timeline of the
//! entries by or about them, going on to `people/<id>/page/N/` past
//! [`TIMELINE_PER_PAGE`] entries) and `people/<id>/rss.xml` (their entries'
//! feed).

use std::collections::BTreeMap;

use tera::Value;

use super::context::{asset_permalink, extend};
use super::feeds::{FeedSpec, Format};
use super::graph::Reads;
use super::renderer::{PageMeta, Plan, Renderer, paged_title};
use crate::layout::{atom_feed, feed, page_count, page_path, page_slice};

/// Entries on one page of a person's timeline.
pub(crate) const TIMELINE_PER_PAGE: usize = 100;
use crate::markdown::truncate_text;

impl Renderer<'_> {
    /// Pages of person `i`'s timeline.
    pub(super) fn person_pages(&self, i: usize) -> usize {
        page_count(self.site.people[i].timeline_len(), TIMELINE_PER_PAGE)
    }

    /// The profile, and the cards of page `k` of the timeline.
    pub(super) fn reads_person(&self, i: usize, k: usize, r: &mut Reads) {
        r.person(i).num(k).num(self.person_pages(i));
        let timeline = self.site.people[i].timeline();
        for &(e, authored) in &timeline[page_slice(timeline.len(), TIMELINE_PER_PAGE, k)] {
            r.card(e).num(usize::from(authored));
        }
    }

    pub(super) fn plan_person(&self, i: usize, k: usize) -> Plan {
        let c = self.config();
        let p = &self.site.people[i];
        let base = p.path();
        let path = page_path(&base, k);
        let mut person = self.shared.person_cards[i].clone();
        let honors: Vec<Value> = p
            .src
            .honors
            .iter()
            .map(|h| {
                let mut m = BTreeMap::new();
                m.insert("date".to_string(), Value::from(h.date.to_string()));
                m.insert("title".to_string(), Value::from(h.title.as_str()));
                Value::from(m)
            })
            .collect();
        extend(
            &mut person,
            [
                ("bio", Value::safe_string(&p.src.bio_html)),
                ("honors", Value::from(honors)),
                ("feed_url", Value::from(c.url(&feed(&base)))),
                ("atom_url", Value::from(c.url(&atom_feed(&base)))),
            ],
        );
        let timeline = p.timeline();
        let entries: Vec<Value> = timeline[page_slice(timeline.len(), TIMELINE_PER_PAGE, k)]
            .iter()
            .map(|&(idx, authored)| {
                let mut card = self.shared.entry_cards[idx].clone();
                let role = if authored { "author" } else { "mentioned" };
                extend(&mut card, [("role", Value::from(role))]);
                card
            })
            .collect();
        let description = p.src.motto.clone().unwrap_or_else(|| {
            let t = truncate_text(&p.src.bio_text, crate::site::SUMMARY_CHARS);
            if t.is_empty() { p.src.name.clone() } else { t }
        });
        let title = paged_title(&p.src.name, k);
        let mut ctx = self.base(&PageMeta {
            kind: "person",
            title: Some(&title),
            description: &description,
            path: &path,
            og_image: p.src.photo.as_ref().map(|v| asset_permalink(c, &v.value)),
            feed: Some(base.clone()),
        });
        ctx.insert_value("person", person);
        ctx.insert_value("qr", self.qr(&path));
        ctx.insert_value("entries", Value::from(entries));
        ctx.insert_value("paginator", self.paginator(&base, k, self.person_pages(i)));
        Plan::Template("person.html", ctx)
    }

    /// The person's newest entries, as many as the feed shows.
    fn person_feed_entries(&self, i: usize) -> Vec<usize> {
        let mut all: Vec<usize> = self.site.people[i]
            .timeline()
            .into_iter()
            .map(|(i, _)| i)
            .collect();
        all.reverse(); // newest first
        all
    }

    pub(super) fn reads_person_feed(&self, i: usize, r: &mut Reads) {
        r.person(i);
        for e in self
            .person_feed_entries(i)
            .into_iter()
            .take(self.config().feed_limit)
        {
            r.entry(e);
        }
    }

    pub(super) fn plan_person_feed(&self, i: usize, format: Format) -> Plan {
        let c = self.config();
        let p = &self.site.people[i];
        Plan::Feed(FeedSpec {
            title: format!("{} — {}", p.src.name, c.title),
            description: p
                .src
                .motto
                .clone()
                .unwrap_or_else(|| format!("{} · {}", p.src.name, c.title)),
            page_path: p.path(),
            feed_path: format.path(&p.path()),
            format,
            entries: self.person_feed_entries(i),
        })
    }
}
