//! The archive: `archive/index.html`, every month with its number of entries
//! (and, on a small site, the entries themselves), and one page per month,
//! `archive/<yyyy>/<mm>/[page/N/]index.html`, at most [`PER_PAGE`] entries
//! each. No archive page grows with the size of the column.

use std::collections::BTreeMap;
use std::ops::Range;

use chrono::Datelike;
use tera::Value;

use super::graph::Reads;
use super::renderer::{PageMeta, Plan, Renderer, paged_title};
use crate::layout::{archive_month, page_count, page_path, page_slice};
use crate::site::Site;

/// Entries on one archive page; also the size up to which the archive's
/// index lists every entry itself.
pub(crate) const PER_PAGE: usize = 100;

/// One month of the column: its entries are consecutive (newest first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Month {
    pub year: i32,
    pub month: u32,
    pub entries: Range<usize>,
}

impl Month {
    pub fn path(&self) -> String {
        archive_month(self.year, self.month)
    }

    pub fn pages(&self) -> usize {
        page_count(self.entries.len(), PER_PAGE)
    }
}

/// The site's months, newest first.
pub(crate) fn months(site: &Site) -> Vec<Month> {
    let mut out: Vec<Month> = Vec::new();
    for (i, e) in site.entries.iter().enumerate() {
        let d = e.date();
        match out.last_mut() {
            Some(m) if (m.year, m.month) == (d.year(), d.month()) => m.entries.end = i + 1,
            _ => out.push(Month {
                year: d.year(),
                month: d.month(),
                entries: i..i + 1,
            }),
        }
    }
    out
}

impl Renderer<'_> {
    /// Whether the index lists the entries too (a small column).
    fn archive_lists_entries(&self) -> bool {
        self.site.entries.len() <= PER_PAGE
    }

    pub(super) fn reads_archive(&self, r: &mut Reads) {
        for m in &self.months {
            r.num(m.year.unsigned_abs() as usize)
                .num(m.month as usize)
                .num(m.entries.len());
        }
        if self.archive_lists_entries() {
            for i in 0..self.site.entries.len() {
                r.card(i);
            }
        }
    }

    /// What a template gets for a month: `year`, `month`, `count`, `url`.
    fn month_value(&self, m: &Month) -> BTreeMap<String, Value> {
        let mut map = BTreeMap::new();
        map.insert("year".to_string(), Value::from(m.year));
        map.insert("month".to_string(), Value::from(m.month));
        map.insert("count".to_string(), Value::from(m.entries.len()));
        map.insert("url".to_string(), Value::from(self.config().url(&m.path())));
        map
    }

    pub(super) fn plan_archive(&self) -> Plan {
        let lists = self.archive_lists_entries();
        let months: Vec<Value> = self
            .months
            .iter()
            .map(|m| {
                let mut map = self.month_value(m);
                if lists {
                    map.insert("entries".to_string(), self.cards(m.entries.clone()));
                }
                Value::from(map)
            })
            .collect();
        let mut ctx = self.section("archive", self.t("archive", "归档"), "archive/");
        ctx.insert_value("months", Value::from(months));
        Plan::Template("archive.html", ctx)
    }

    /// Page `k` of month `m`: its slice of cards, and the months around it.
    pub(super) fn reads_archive_month(&self, m: usize, k: usize, r: &mut Reads) {
        let month = &self.months[m];
        r.num(k).num(month.pages());
        for n in [m.checked_sub(1), Some(m), m.checked_add(1)]
            .into_iter()
            .flatten()
            .filter_map(|n| self.months.get(n))
        {
            r.num(n.year.unsigned_abs() as usize).num(n.month as usize);
        }
        for i in page_slice(month.entries.len(), PER_PAGE, k) {
            r.card(month.entries.start + i);
        }
    }

    pub(super) fn plan_archive_month(&self, m: usize, k: usize) -> Plan {
        let month = &self.months[m];
        let base = month.path();
        let path = page_path(&base, k);
        let heading = self
            .t("month_heading", "{year}年{month}")
            .replace("{year}", &month.year.to_string())
            .replace(
                "{month}",
                &self.t(
                    &format!("month_{}", month.month),
                    &format!("{}月", month.month),
                ),
            );
        let title = paged_title(&heading, k);
        let mut ctx = self.base(&PageMeta {
            kind: "archive-month",
            title: Some(&title),
            description: &title,
            path: &path,
            og_image: None,
            feed: Some(String::new()),
        });
        let neighbour = |n: Option<usize>| {
            n.and_then(|n| self.months.get(n))
                .map_or_else(Value::none, |n| Value::from(self.month_value(n)))
        };
        ctx.insert_value("month", Value::from(self.month_value(month)));
        // Newest first: the month before in the list is the newer one.
        ctx.insert_value("newer", neighbour(m.checked_sub(1)));
        ctx.insert_value("older", neighbour(m.checked_add(1)));
        let range = page_slice(month.entries.len(), PER_PAGE, k);
        let start = month.entries.start;
        ctx.insert_value(
            "entries",
            self.cards(start + range.start..start + range.end),
        );
        ctx.insert_value("paginator", self.paginator(&base, k, month.pages()));
        Plan::Template("archive_month.html", ctx)
    }
}
