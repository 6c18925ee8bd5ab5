//! The search page, `search/index.html`, and the index files under
//! `search/` (built by [`crate::search`]; written as they are).

use std::collections::BTreeMap;

use tera::Value;

use super::renderer::{Plan, Renderer};

impl Renderer<'_> {
    pub(super) fn plan_search(&self) -> Plan {
        let c = self.config();
        let mut ctx = self.section("search", self.t("search", "搜索"), "search/");
        let mut search = BTreeMap::new();
        search.insert("index".to_string(), Value::from(c.url("search/")));
        search.insert("script".to_string(), Value::from(c.url("search.js")));
        ctx.insert_value("search", Value::from(search));
        Plan::Template("search.html", ctx)
    }

    /// The bytes of search index file `i`.
    pub(super) fn search_file(&self, i: usize) -> &[u8] {
        self.search.file(i).1
    }
}
