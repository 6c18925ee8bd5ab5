//! One entry's page, `diary/<slug>/index.html`: its card, its body, the
//! links to the entries before and after it and its related entries' cards.

use std::collections::BTreeMap;

use tera::Value;

use super::context::{asset_permalink, extend};
use super::graph::{Input, Reads};
use super::renderer::{PageMeta, Plan, Renderer};

impl Renderer<'_> {
    /// The previous (older) and next (newer) entries of entry `i`.
    fn neighbours(&self, i: usize) -> [Option<usize>; 2] {
        let n = self.site.entries.len();
        [(i + 1 < n).then_some(i + 1), i.checked_sub(1)]
    }

    /// The entry itself, only the title and URL of its neighbours, and the
    /// cards of its related entries.
    pub(super) fn reads_entry(&self, i: usize, r: &mut Reads) {
        r.entry(i);
        let related = &self.site.entries[i].related;
        r.num(related.len());
        for &j in related {
            r.card(j);
        }
        self.reads_entry_series(i, r);
        for j in self.neighbours(i) {
            self.reads_link(j, r);
        }
    }

    /// What [`Self::entry_link`] shows of entry `j`: its title and URL only.
    pub(super) fn reads_link(&self, j: Option<usize>, r: &mut Reads) {
        match j {
            Some(j) => {
                let o = &self.site.entries[j];
                r.part_of(Input::Entry(j)).str(&o.src.title).str(o.path());
            }
            None => {
                r.str("\0none");
            }
        }
    }

    /// `{ title, url }` of entry `j`, or none.
    pub(super) fn entry_link(&self, j: Option<usize>) -> Value {
        let Some(j) = j else {
            return Value::none();
        };
        let o = &self.site.entries[j];
        let mut m = BTreeMap::new();
        m.insert("title".to_string(), Value::from(o.src.title.as_str()));
        m.insert("url".to_string(), Value::from(self.config().url(o.path())));
        Value::from(m)
    }

    pub(super) fn plan_entry(&self, i: usize) -> Plan {
        let s = self.site;
        let c = self.config();
        let e = &s.entries[i];
        let path = e.path();
        let mut entry = self.shared.entry_cards[i].clone();
        let editor = e.src.editor.as_deref().or(c.masthead.editor.as_deref());
        let [prev, next] = self.neighbours(i);
        extend(
            &mut entry,
            [
                ("content", Value::safe_string(e.html())),
                ("credit", e.src.credit.as_deref().into()),
                ("editor", editor.into()),
                ("source", e.src.source.as_deref().into()),
                ("prev", self.entry_link(prev)),
                ("next", self.entry_link(next)),
                ("series", self.entry_series(i)),
                ("related", self.cards_of(&e.related)),
            ],
        );
        let mut ctx = self.base(&PageMeta {
            kind: "entry",
            title: Some(&e.src.title),
            description: &e.src.description,
            path,
            og_image: e.src.cover.as_ref().map(|v| asset_permalink(c, &v.value)),
            feed: Some(String::new()),
        });
        ctx.insert_value("entry", entry);
        ctx.insert_value("qr", self.qr(path));
        Plan::Template("entry.html", ctx)
    }
}
