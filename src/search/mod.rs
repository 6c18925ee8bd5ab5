//! Site search without a server: the build writes a sharded index under
//! `search/` and the browser queries it with plain `fetch` of relative URLs
//! (`themes/default/static/search.js`). This module owns the tokenizer (the
//! rules the browser mirrors), the index files, and a Rust reader of them
//! used by tests. The search page itself is an ordinary template
//! (`search.html`) rendered by [`crate::render`].

mod index;
mod postings;
pub mod query;
pub mod tokenize;

pub(crate) use index::SearchIndex;
