//! The home page and its pages: `index.html`, `page/N/index.html`, the
//! latest entries' cards, `entries_per_page` a page.

use super::graph::Reads;
use super::renderer::{PageMeta, Plan, Renderer};
use crate::layout::{page_count, page_path, page_slice};
use tera::Value;

/// People shown in the honor-roll strip of the first home page, in the
/// roll's order; the strip links to the whole roll.
pub(super) const ROLL_STRIP: usize = 12;

impl Renderer<'_> {
    fn home_pages(&self) -> usize {
        page_count(self.site.entries.len(), self.config().entries_per_page)
    }

    /// Page `k` shows the cards of its slice of entries.
    pub(super) fn reads_home(&self, k: usize, r: &mut Reads) {
        let n = self.site.entries.len();
        r.num(k).num(self.home_pages());
        for &i in &self.site.home[page_slice(n, self.config().entries_per_page, k)] {
            r.card(i);
        }
        if k == 1 {
            r.num(self.roll.len());
            for &i in self.roll.iter().take(ROLL_STRIP) {
                r.person(i);
            }
        }
    }

    pub(super) fn plan_home(&self, k: usize) -> Plan {
        let c = self.config();
        let base = "";
        let total = self.home_pages();
        let idx = page_slice(self.site.entries.len(), c.entries_per_page, k);
        let path = page_path(base, k);
        let title = (k > 1).then(|| {
            format!(
                "{}{k}{}",
                self.t("page_prefix", "第 "),
                self.t("page_suffix", " 页")
            )
        });
        let mut ctx = self.base(&PageMeta {
            kind: "index",
            title: title.as_deref(),
            description: c.description.as_deref().unwrap_or(&c.title),
            path: &path,
            og_image: None,
            feed: Some(String::new()),
        });
        ctx.insert_value("entries", self.cards_of(&self.site.home[idx]));
        ctx.insert_value("paginator", self.paginator(base, k, total));
        if k == 1 {
            let strip: Vec<Value> = (self.roll.iter().take(ROLL_STRIP))
                .map(|&i| self.shared.person_cards[i].clone())
                .collect();
            ctx.insert_value("roll", Value::from(strip));
            ctx.insert_value("roll_count", Value::from(self.roll.len()));
        }
        Plan::Template("index.html", ctx)
    }
}
