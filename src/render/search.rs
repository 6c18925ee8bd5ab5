//! The search page, `search/index.html`, and the index files under
//! `search/` (built by [`crate::search`]; written as they are).

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use tera::Value;

use super::job::{bytes_key, unchanged};
use super::renderer::{Plan, Renderer};
use super::{Body, OutputFile, Sink};
use crate::search::SearchIndex;

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
    /// were written by [`put_index_files`] before anything else was made).
    pub(super) fn search_file(&self, i: usize) -> Vec<u8> {
        self.search.file(i).1.to_vec()
    }
}

/// A one-shot build's search index files, handed to `sink` where their key
/// differs from `prev`'s, before the cards and pages are made, and let go:
/// on a large column they are hundreds of megabytes that nothing else
/// reads. Returns each file's path and key, as its job would.
pub(super) fn put_index_files(
    search: &mut SearchIndex,
    prev: Option<&HashMap<String, u128>>,
    sink: &dyn Sink,
) -> anyhow::Result<Vec<(String, u128)>> {
    let files = search.take_files();
    let search = &*search;
    files
        .into_par_iter()
        .enumerate()
        .map(|(i, bytes)| {
            let path = search.file(i).0;
            let key = bytes_key(&bytes);
            if !unchanged(prev, &path, key) {
                sink.put(OutputFile {
                    path: path.clone(),
                    body: Body::Bytes(bytes),
                })?;
            }
            Ok((path, key))
        })
        .collect()
}
