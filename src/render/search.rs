//! The search page, `search/index.html`, and the index files under
//! `search/` (built by [`crate::search`]; written as they are).

use std::collections::{BTreeMap, HashMap};

use tera::Value;

use super::job::{bytes_key, unchanged};
use super::renderer::{Plan, Renderer};
use super::{Body, OutputFile, Sink};
use crate::search::SearchIndex;
use crate::site::Site;

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

    /// The bytes of search index file `i` (a session's: a one-shot build's
    /// were written by [`index_once`] before anything else was made).
    pub(super) fn search_file(&self, i: usize) -> Vec<u8> {
        self.search.file(i).1.to_vec()
    }
}

/// A one-shot build's search index, each file handed to `sink` where its
/// key differs from `prev`'s as soon as it is made (before the cards and
/// pages; see [`SearchIndex::build_once`]), with each file's path and key,
/// as its job would give them.
pub(super) fn index_once(
    site: &mut Site,
    prev: Option<&HashMap<String, u128>>,
    sink: &dyn Sink,
) -> anyhow::Result<(SearchIndex, Vec<(String, u128)>)> {
    SearchIndex::build_once(site, |path, bytes| {
        let key = bytes_key(&bytes);
        if !unchanged(prev, &path, key) {
            sink.put(OutputFile {
                path: path.clone(),
                body: Body::Bytes(bytes),
            })?;
        }
        Ok((path, key))
    })
}
