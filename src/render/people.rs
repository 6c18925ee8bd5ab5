//! The honor roll, `people/index.html`: every person's card, grouped by
//! batch (people without a batch last). A roll of more than [`PER_PAGE`]
//! people goes on to `people/page/N/index.html`, in the same order.

use std::collections::BTreeMap;

use tera::Value;

use super::graph::Reads;
use super::renderer::{Plan, Renderer, paged_title};
use crate::layout::{page_count, page_path, page_slice};
use crate::site::Site;

/// Cards on one page of the honor roll.
pub(crate) const PER_PAGE: usize = 200;

/// The roll's order: people by batch (none last), then by id.
pub(crate) fn roll(site: &Site) -> Vec<usize> {
    let mut order: Vec<usize> = (0..site.people.len()).collect();
    // `people` is sorted by id and the sort is stable.
    order.sort_by_key(|&i| {
        let b = site.people[i].src.batch;
        (b.is_none(), b)
    });
    order
}

impl Renderer<'_> {
    pub(super) fn people_pages(&self) -> usize {
        page_count(self.site.people.len(), PER_PAGE)
    }

    pub(super) fn reads_people(&self, k: usize, r: &mut Reads) {
        r.num(k).num(self.people_pages());
        for &i in &self.roll[page_slice(self.roll.len(), PER_PAGE, k)] {
            r.person(i);
        }
        // Each batch's size is shown beside its heading.
        for (batch, n) in self.batch_sizes() {
            r.num(batch.map_or(0, |b| b as usize + 1)).num(n);
        }
    }

    /// People per batch, in the roll's order.
    fn batch_sizes(&self) -> Vec<(Option<u32>, usize)> {
        let mut sizes: Vec<(Option<u32>, usize)> = Vec::new();
        for &i in &self.roll {
            let b = self.site.people[i].src.batch;
            match sizes.last_mut() {
                Some((last, n)) if *last == b => *n += 1,
                _ => sizes.push((b, 1)),
            }
        }
        sizes
    }

    pub(super) fn plan_people(&self, k: usize) -> Plan {
        let sizes: BTreeMap<Option<u32>, usize> = self.batch_sizes().into_iter().collect();
        let mut batches: Vec<(Option<u32>, Vec<Value>)> = Vec::new();
        for &i in &self.roll[page_slice(self.roll.len(), PER_PAGE, k)] {
            let b = self.site.people[i].src.batch;
            let card = self.shared.person_cards[i].clone();
            match batches.last_mut() {
                Some((last, list)) if *last == b => list.push(card),
                _ => batches.push((b, vec![card])),
            }
        }
        let batches: Vec<Value> = batches
            .into_iter()
            .map(|(b, people)| {
                let mut m = BTreeMap::new();
                m.insert("batch".to_string(), b.map_or_else(Value::none, Value::from));
                m.insert("label".to_string(), Value::from(self.batch_label(b)));
                m.insert("count".to_string(), Value::from(sizes[&b]));
                m.insert("people".to_string(), Value::from(people));
                Value::from(m)
            })
            .collect();
        let title = paged_title(&self.t("people", "光荣榜"), k);
        let mut ctx = self.section("people", title, &page_path("people/", k));
        ctx.insert_value("batches", Value::from(batches));
        ctx.insert_value(
            "paginator",
            self.paginator("people/", k, self.people_pages()),
        );
        Plan::Template("people.html", ctx)
    }
}
