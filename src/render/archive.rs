//! The archive, `archive/index.html`: every entry's card, grouped by month.

use std::collections::BTreeMap;

use chrono::Datelike;
use tera::Value;

use super::graph::Reads;
use super::renderer::{Plan, Renderer};

impl Renderer<'_> {
    pub(super) fn reads_archive(&self, r: &mut Reads) {
        for i in 0..self.site.entries.len() {
            r.card(i);
        }
    }

    pub(super) fn plan_archive(&self) -> Plan {
        let mut months: Vec<((i32, u32), Vec<Value>)> = Vec::new();
        for (i, e) in self.site.entries.iter().enumerate() {
            let d = e.date();
            let key = (d.year(), d.month());
            let item = self.shared.entry_cards[i].clone();
            match months.last_mut() {
                Some((k, list)) if *k == key => list.push(item),
                _ => months.push((key, vec![item])),
            }
        }
        let months: Vec<Value> = months
            .into_iter()
            .map(|((y, m), entries)| {
                let mut map = BTreeMap::new();
                map.insert("year".to_string(), Value::from(y));
                map.insert("month".to_string(), Value::from(m));
                map.insert("entries".to_string(), Value::from(entries));
                Value::from(map)
            })
            .collect();
        let mut ctx = self.section("archive", self.t("archive", "归档"), "archive/");
        ctx.insert_value("months", Value::from(months));
        Plan::Template("archive.html", ctx)
    }
}
