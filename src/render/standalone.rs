//! Standalone pages, `<slug>/index.html` (about, the care measures, ...).

use std::collections::BTreeMap;

use tera::Value;

use super::graph::Reads;
use super::renderer::{PageMeta, Plan, Renderer};
use crate::markdown::truncate_text;

impl Renderer<'_> {
    pub(super) fn reads_standalone(&self, i: usize, r: &mut Reads) {
        r.page(i).str(&self.site.pages[i].path());
    }

    pub(super) fn plan_standalone(&self, i: usize) -> Plan {
        let c = self.config();
        let p = &self.site.pages[i];
        let path = p.path();
        let description = p
            .src
            .summary
            .clone()
            .unwrap_or_else(|| truncate_text(&p.src.text, crate::site::SUMMARY_CHARS));
        let mut ctx = self.base(&PageMeta {
            kind: "page",
            title: Some(&p.src.title),
            description: &description,
            path: &path,
            og_image: None,
            feed: Some(String::new()),
        });
        let mut doc = BTreeMap::new();
        doc.insert("title".to_string(), Value::from(p.src.title.as_str()));
        doc.insert("content".to_string(), Value::safe_string(&p.src.html));
        doc.insert("url".to_string(), Value::from(c.url(&path)));
        ctx.insert_value("doc", Value::from(doc));
        Plan::Template("page.html", ctx)
    }
}
