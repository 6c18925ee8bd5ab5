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

    /// The bytes of search index file `i`: taken out of a build's store
    /// (each file is asked for once), or copied from a session's index.
    pub(super) fn search_file(&self, i: usize) -> Vec<u8> {
        match self.search_files.get(i) {
            Some(f) => std::mem::take(&mut *f.lock().unwrap_or_else(|p| p.into_inner())),
            None => self.search.file(i).1.to_vec(),
        }
    }
}
