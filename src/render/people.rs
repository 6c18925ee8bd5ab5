//! The honor roll, `people/index.html`: every person's card, grouped by
//! batch (people without a batch last).

use std::collections::BTreeMap;

use tera::Value;

use super::graph::Reads;
use super::renderer::{Plan, Renderer};

impl Renderer<'_> {
    pub(super) fn reads_people(&self, r: &mut Reads) {
        for i in 0..self.site.people.len() {
            r.person(i);
        }
    }

    pub(super) fn plan_people(&self) -> Plan {
        let mut batches: BTreeMap<Option<u32>, Vec<Value>> = BTreeMap::new();
        for (i, p) in self.site.people.iter().enumerate() {
            batches
                .entry(p.src.batch)
                .or_default()
                .push(self.shared.person_cards[i].clone());
        }
        // BTreeMap puts `None` first; people without a batch go last.
        let mut list: Vec<(Option<u32>, Vec<Value>)> = batches.into_iter().collect();
        let unbatched_first = usize::from(list.first().is_some_and(|b| b.0.is_none()));
        list.rotate_left(unbatched_first);
        let batches: Vec<Value> = list
            .into_iter()
            .map(|(b, people)| {
                let mut m = BTreeMap::new();
                m.insert("batch".to_string(), b.map_or_else(Value::none, Value::from));
                m.insert("label".to_string(), Value::from(self.batch_label(b)));
                m.insert("people".to_string(), Value::from(people));
                Value::from(m)
            })
            .collect();
        let mut ctx = self.section("people", self.t("people", "光荣榜"), "people/");
        ctx.insert_value("batches", Value::from(batches));
        Plan::Template("people.html", ctx)
    }
}
