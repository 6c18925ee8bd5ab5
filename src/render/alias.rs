//! The redirect pages of an entry's `aliases:` (its old addresses): a small
//! page at each old path that sends readers, and search engines, on to the
//! entry's page. Not in the sitemap; whether an alias takes another page's
//! place is checked with the other path conflicts (`conflicts.rs`).

use super::graph::{Input, Reads};
use super::renderer::{PageMeta, Plan, Renderer};

impl Renderer<'_> {
    /// The entry's title and address, and which alias this is.
    pub(super) fn reads_alias(&self, i: usize, k: usize, r: &mut Reads) {
        let e = &self.site.entries[i];
        r.part_of(Input::Entry(i))
            .str(&e.src.title)
            .str(e.path())
            .str(&e.src.aliases[k].value);
    }

    pub(super) fn plan_alias(&self, i: usize) -> Plan {
        let e = &self.site.entries[i];
        // The entry's own keys: `url` and `permalink` are where readers go.
        let ctx = self.base(&PageMeta {
            kind: "alias",
            title: Some(&e.src.title),
            description: &e.src.description,
            path: e.path(),
            og_image: None,
            feed: None,
        });
        Plan::Template("alias.html", ctx)
    }
}
