//! Building the search index: `&Site` → the files under `search/` that the
//! browser fetches. Nothing here renders HTML or touches the disk.
//!
//! Files (see docs/templates.md, "Search index files"):
//! - `search/meta.json`: `{ "format": 1, "shards": N, "docs": D, "block": B,
//!   "v": "<hash>" }`.
//! - `search/s/<k>.bin`, `k` in `0..N`: the postings of every token whose
//!   [`shard_of`] is `k`, binary (below). N grows with the corpus so that a
//!   shard stays around [`SHARD_TARGET_BYTES`]; a query fetches one shard per
//!   distinct shard of its terms.
//! - `search/d/<b>.json`: documents `b*B` to `b*B+B-1` ([`DOC_BLOCK`]), fetched
//!   only when one of them is shown: a JSON array of `{ "k": kind, "t": title,
//!   "u": url, "d": date or null, "m": meta line or null, "p": a person's
//!   photo URL (absent otherwise), "x": text for the snippet (at most
//!   [`SNIPPET_TEXT_CHARS`]) }`.
//!
//! A shard is a sequence of little-endian base-128 varints: the token count,
//! then per token (sorted by UTF-8 bytes): byte length, the UTF-8 bytes, the
//! number of postings, the byte length of the postings, and the postings as
//! (doc id delta from the previous posting, weight) pairs, doc ids ascending.
//!
//! Documents: entries oldest first (so a new entry does not renumber the
//! others), then people by id, then standalone pages. Only what the site
//! publishes is indexed: the assembled [`Site`] has no drafts or scheduled
//! entries (unless `--drafts`/`--future` asked for them), and a person's
//! `private:` block was never read into it.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use super::postings::{Fast, Field, Packed, encode_pairs, encode_shard, postings};
use super::tokenize::shard_of;
use crate::site::{Entry, Page, Person, Site};
use crate::source::EntrySource;

/// Average shard size the shard count aims at.
pub const SHARD_TARGET_BYTES: usize = 32 * 1024;
/// Most shards a site gets (a million-document site has bigger shards).
pub const MAX_SHARDS: u32 = 4096;
/// Documents per `d/<block>.json` file: fewer files to write than one per
/// document, at a few kilobytes more per shown result.
pub const DOC_BLOCK: usize = 8;
/// Characters of text kept per document for snippets.
/// (At 100k entries every 1,000 characters here are about 300 MB of
/// `d/*.json` files and memory; a match further in shows the beginning.)
pub const SNIPPET_TEXT_CHARS: usize = 600;

/// Weight of a token in a title (an entry's title, a person's name, a page's title).
pub const W_TITLE: u32 = 100;
/// In the names of an entry's author and people, or its tags.
pub const W_NAME: u32 = 30;
/// In a person's role, unit, team or post.
pub const W_META: u32 = 10;
/// Each occurrence in the body text, counted up to [`BODY_CAP`] times.
pub const BODY_CAP: u32 = 9;

/// What one document contributes to the index and to its `d/<id>.json`.
pub(super) struct Doc<'a> {
    kind: &'static str,
    title: &'a str,
    url: String,
    date: Option<String>,
    meta: Option<String>,
    /// A person's photo, shown beside the result.
    photo: Option<String>,
    snippet: &'a str,
    pub(super) fields: Vec<(Field, &'a str)>,
}

#[derive(Serialize)]
struct DocJson<'a> {
    k: &'a str,
    t: &'a str,
    u: &'a str,
    d: Option<&'a str>,
    m: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    p: Option<&'a str>,
    x: String,
}

#[derive(Serialize)]
struct MetaJson {
    format: u32,
    shards: u32,
    docs: usize,
    block: usize,
    v: String,
}

/// Postings of one shard: token → [(doc id, weight)], ids ascending.
type Shard = BTreeMap<String, Vec<(u32, u32)>>;

/// The search index of a site: its files, and what a `watch`/`serve`
/// session needs to re-index only the documents an edit changed (`shards`,
/// the postings: a build does not keep them).
pub(crate) struct SearchIndex {
    shards: Vec<Shard>,
    shard_bytes: Vec<Vec<u8>>,
    doc_bytes: Vec<Vec<u8>>,
    /// xxh3 of each shard file, then of each document block: `meta.json`'s v.
    file_hashes: Vec<u64>,
    meta: Vec<u8>,
    docs: usize,
    total_postings: usize,
}

impl SearchIndex {
    /// Indexes every published document of `site`; `keep_postings` for a
    /// `watch`/`serve` session, whose edits update the index.
    pub fn build(site: &Site, keep_postings: bool) -> SearchIndex {
        let docs = documents(site);
        let postings = postings(&docs);
        let doc_bytes: Vec<Vec<u8>> = docs.par_chunks(DOC_BLOCK).map(doc_block).collect();
        let n_docs = docs.len();
        drop(docs);
        let (total, packed) = into_shards(postings);
        // Each shard's lists go as soon as it is encoded; a session keeps
        // them as plain pairs, to update in place.
        let encoded: Vec<(Vec<u8>, Shard)> = (packed.into_par_iter())
            .map(|s| {
                let bytes = encode_shard(s.iter().map(|(t, l)| (t.as_str(), l)));
                if !keep_postings {
                    return (bytes, Shard::new());
                }
                (
                    bytes,
                    s.into_iter()
                        .map(|(t, l)| (t, l.iter().collect()))
                        .collect(),
                )
            })
            .collect();
        let (shard_bytes, shards): (Vec<Vec<u8>>, Vec<Shard>) = encoded.into_iter().unzip();
        let shards = if keep_postings { shards } else { Vec::new() };
        let file_hashes = shard_bytes
            .iter()
            .chain(&doc_bytes)
            .map(|b| xxhash_rust::xxh3::xxh3_64(b))
            .collect();
        let mut index = SearchIndex {
            shards,
            shard_bytes,
            doc_bytes,
            file_hashes,
            meta: Vec::new(),
            docs: n_docs,
            total_postings: total,
        };
        index.meta = index.meta_json();
        index
    }

    /// A one-shot build's index: each file is handed to `put` (its path
    /// under the output folder, its bytes) as soon as it is made, and let
    /// go; the entries' plain text, which only the index reads, is released
    /// once the document blocks and postings are made, before the shards are
    /// encoded. On a large column the files are hundreds of megabytes that
    /// nothing else reads. Returns the index (its paths, no bytes or
    /// postings) and what `put` returned for each file.
    pub fn build_once<T: Send>(
        site: &mut Site,
        put: impl Fn(String, Vec<u8>) -> anyhow::Result<T> + Sync,
    ) -> anyhow::Result<(SearchIndex, Vec<T>)> {
        let put_hashed = |path: String, bytes: Vec<u8>| -> anyhow::Result<(u64, T)> {
            let hash = xxhash_rust::xxh3::xxh3_64(&bytes);
            Ok((hash, put(path, bytes)?))
        };
        let (postings, n_docs, blocks) = {
            let docs = documents(site);
            // Both are parallel; side by side, each fills the other's
            // serial moments.
            let (blocks, postings) = rayon::join(
                || {
                    (docs.par_chunks(DOC_BLOCK).enumerate())
                        .map(|(b, block)| put_hashed(block_path(b), doc_block(block)))
                        .collect::<anyhow::Result<Vec<(u64, T)>>>()
                },
                || postings(&docs),
            );
            (postings, docs.len(), blocks?)
        };
        site.release_entry_texts();
        let (total, packed) = into_shards(postings);
        let shards: Vec<(u64, T)> = (packed.into_par_iter().enumerate())
            .map(|(k, s)| {
                let bytes = encode_shard(s.iter().map(|(t, l)| (t.as_str(), l)));
                drop(s);
                put_hashed(shard_path(k), bytes)
            })
            .collect::<anyhow::Result<_>>()?;
        let mut index = SearchIndex {
            shards: Vec::new(),
            shard_bytes: vec![Vec::new(); shards.len()],
            doc_bytes: vec![Vec::new(); blocks.len()],
            file_hashes: Vec::with_capacity(shards.len() + blocks.len()),
            meta: Vec::new(),
            docs: n_docs,
            total_postings: total,
        };
        let mut done = Vec::with_capacity(1 + shards.len() + blocks.len());
        for (hash, t) in shards.into_iter().chain(blocks) {
            index.file_hashes.push(hash);
            done.push(t);
        }
        done.push(put(index.file(0).0, index.meta_json())?);
        Ok((index, done))
    }

    fn meta_json(&self) -> Vec<u8> {
        let mut h = crate::hash::Hasher::default();
        for f in &self.file_hashes {
            h.bytes(&f.to_le_bytes());
        }
        json_bytes(&MetaJson {
            format: 1,
            shards: u32::try_from(self.shard_bytes.len()).unwrap_or(u32::MAX),
            docs: self.docs,
            block: DOC_BLOCK,
            v: format!("{:08x}", h.finish() as u32),
        })
    }

    /// Number of files: meta.json, the shards, the document blocks.
    pub fn len(&self) -> usize {
        1 + self.shard_bytes.len() + self.doc_bytes.len()
    }

    /// File `i`: `(path under the output folder, bytes)`.
    pub fn file(&self, i: usize) -> (String, &[u8]) {
        let shards = self.shard_bytes.len();
        if i == 0 {
            ("search/meta.json".to_string(), &self.meta)
        } else if i <= shards {
            (shard_path(i - 1), &self.shard_bytes[i - 1])
        } else {
            let b = i - 1 - shards;
            (block_path(b), &self.doc_bytes[b])
        }
    }

    /// Re-indexes entries `changed` (indices into `site.entries`), whose
    /// previous sources were `old` (indexed like `site.entries`), in a site
    /// that is otherwise the one this index was built from. Returns the
    /// indices of the files that changed, or `None` when the index must be
    /// built again (the shard count would change).
    pub fn update(
        &mut self,
        site: &Site,
        old: &[Arc<EntrySource>],
        changed: &[usize],
    ) -> Option<Vec<usize>> {
        let n_shards = u32::try_from(self.shards.len()).ok()?;
        (self.shards.len() == self.shard_bytes.len()).then_some(())?;
        let n_entries = site.entries.len();
        let mut touched_shards: BTreeSet<usize> = BTreeSet::new();
        let mut touched_blocks: BTreeSet<usize> = BTreeSet::new();
        let mut total = self.total_postings;
        for &i in changed {
            let e = site.entries.get(i)?;
            let before = old.get(i)?;
            let id = u32::try_from(n_entries - 1 - i).ok()?;
            let weights = |src: &EntrySource| -> HashMap<String, u32, Fast> {
                let doc = entry_doc(site, e, src);
                postings(std::slice::from_ref(&doc))
                    .into_iter()
                    .filter_map(|(t, l)| l.iter().next().map(|(_, w)| (t, w)))
                    .collect()
            };
            let (was, now) = (weights(before), weights(&e.src));
            for (token, w) in &was {
                if now.get(token) == Some(w) {
                    continue;
                }
                let k = shard_of(token, n_shards) as usize;
                let shard = &mut self.shards[k];
                if let Some(list) = shard.get_mut(token.as_str())
                    && let Ok(at) = list.binary_search_by_key(&id, |p| p.0)
                {
                    list.remove(at);
                    total -= 1;
                    if list.is_empty() {
                        shard.remove(token.as_str());
                    }
                }
                touched_shards.insert(k);
            }
            for (token, &w) in &now {
                if was.get(token) == Some(&w) {
                    continue;
                }
                let k = shard_of(token, n_shards) as usize;
                let list = self.shards[k].entry(token.clone()).or_default();
                match list.binary_search_by_key(&id, |p| p.0) {
                    Ok(at) => list[at].1 = w,
                    Err(at) => {
                        list.insert(at, (id, w));
                        total += 1;
                    }
                }
                touched_shards.insert(k);
            }
            touched_blocks.insert(id as usize / DOC_BLOCK);
        }
        if shard_count(total * 5 / 2) != n_shards {
            return None;
        }
        self.total_postings = total;
        let shards = self.shards.len();
        let mut files = vec![0];
        for &k in &touched_shards {
            self.shard_bytes[k] = encode_pairs(&self.shards[k]);
            self.file_hashes[k] = xxhash_rust::xxh3::xxh3_64(&self.shard_bytes[k]);
            files.push(1 + k);
        }
        for &b in &touched_blocks {
            let ids = b * DOC_BLOCK..((b + 1) * DOC_BLOCK).min(self.docs);
            let docs: Vec<Doc> = ids.map(|id| doc_by_id(site, id)).collect::<Option<_>>()?;
            self.doc_bytes[b] = doc_block(&docs);
            self.file_hashes[shards + b] = xxhash_rust::xxh3::xxh3_64(&self.doc_bytes[b]);
            files.push(1 + shards + b);
        }
        self.meta = self.meta_json();
        Some(files)
    }
}

fn shard_path(k: usize) -> String {
    format!("search/s/{k}.bin")
}

fn block_path(b: usize) -> String {
    format!("search/d/{b}.json")
}

/// The `d/<block>.json` file of `docs`.
fn doc_block(docs: &[Doc]) -> Vec<u8> {
    json_bytes(&docs.iter().map(doc_json).collect::<Vec<_>>())
}

/// `postings` split into their shards, with the number of postings: the
/// shard count grows with it.
fn into_shards(postings: super::postings::Postings) -> (usize, Vec<BTreeMap<String, Packed>>) {
    let total: usize = postings.values().map(Packed::len).sum();
    let n = shard_count(total * 5 / 2);
    let mut packed: Vec<BTreeMap<String, Packed>> = vec![BTreeMap::new(); n as usize];
    for (token, list) in postings {
        let k = shard_of(&token, n) as usize;
        packed[k].insert(token, list);
    }
    (total, packed)
}

/// Shards for an index of about `bytes`: a power of two, at least 1.
fn shard_count(bytes: usize) -> u32 {
    let wanted = bytes.div_ceil(SHARD_TARGET_BYTES).max(1);
    u32::try_from(wanted.next_power_of_two())
        .unwrap_or(MAX_SHARDS)
        .min(MAX_SHARDS)
}

/// Every published document, in id order.
fn documents(site: &Site) -> Vec<Doc<'_>> {
    let mut docs = Vec::with_capacity(site.entries.len() + site.people.len() + site.pages.len());
    for e in site.entries.iter().rev() {
        docs.push(entry_doc(site, e, &e.src));
    }
    for p in &site.people {
        docs.push(person_doc(site, p));
    }
    for p in &site.pages {
        docs.push(page_doc(site, p));
    }
    docs
}

/// Document `id` (see [`documents`] for the numbering).
fn doc_by_id(site: &Site, id: usize) -> Option<Doc<'_>> {
    let n = site.entries.len();
    if id < n {
        let e = &site.entries[n - 1 - id];
        return Some(entry_doc(site, e, &e.src));
    }
    if let Some(p) = site.people.get(id - n) {
        return Some(person_doc(site, p));
    }
    site.pages
        .get(id - n - site.people.len())
        .map(|p| page_doc(site, p))
}

/// The document of entry `e` with the text of `src` (its current source, or
/// the one it had before an edit).
fn entry_doc<'a>(site: &'a Site, e: &Entry, src: &'a EntrySource) -> Doc<'a> {
    let c = &site.config;
    let mut fields = vec![(Field::Title, src.title.as_str())];
    for &t in &e.tags {
        fields.push((Field::Name, site.tags[t].name.as_str()));
    }
    for &p in e.author.iter().chain(&e.people) {
        fields.push((Field::Name, site.people[p].src.name.as_str()));
    }
    if let Some(s) = &src.summary {
        fields.push((Field::Body, s));
    }
    fields.push((Field::Body, &src.text));
    Doc {
        kind: "entry",
        title: &src.title,
        url: c.url(e.path()),
        date: Some(e.date().format("%Y-%m-%d").to_string()),
        meta: e.author.map(|a| site.people[a].src.name.clone()),
        photo: None,
        snippet: &src.text,
        fields,
    }
}

fn person_doc<'a>(site: &'a Site, p: &'a Person) -> Doc<'a> {
    let c = &site.config;
    {
        let s = &p.src;
        let mut fields = vec![(Field::Title, s.name.as_str())];
        for m in [&s.role, &s.unit, &s.team, &s.post].into_iter().flatten() {
            fields.push((Field::Meta, m.as_str()));
        }
        if let Some(m) = &s.motto {
            fields.push((Field::Body, m));
        }
        fields.push((Field::Body, &s.bio_text));
        for h in &s.honors {
            fields.push((Field::Body, &h.title));
        }
        let meta: Vec<&str> = [&s.role, &s.unit]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect();
        Doc {
            kind: "person",
            title: &s.name,
            url: c.url(&p.path()),
            date: None,
            meta: (!meta.is_empty()).then(|| meta.join(" · ")),
            photo: s.photo.as_ref().map(|ph| c.asset_url(&ph.value)),
            snippet: if s.bio_text.trim().is_empty() {
                s.motto.as_deref().unwrap_or("")
            } else {
                &s.bio_text
            },
            fields,
        }
    }
}

fn page_doc<'a>(site: &'a Site, p: &'a Page) -> Doc<'a> {
    let mut fields = vec![(Field::Title, p.src.title.as_str())];
    if let Some(s) = &p.src.summary {
        fields.push((Field::Body, s));
    }
    fields.push((Field::Body, &p.src.text));
    Doc {
        kind: "page",
        title: &p.src.title,
        url: site.config.url(&p.path()),
        date: None,
        meta: None,
        photo: None,
        snippet: &p.src.text,
        fields,
    }
}

fn doc_json<'a>(doc: &'a Doc) -> DocJson<'a> {
    // Whitespace collapsed: the snippet is shown as one line of text.
    let mut x = String::new();
    let mut chars = 0;
    for (n, word) in doc.snippet.split_whitespace().enumerate() {
        if chars >= SNIPPET_TEXT_CHARS {
            break;
        }
        if n > 0 {
            x.push(' ');
            chars += 1;
        }
        x.push_str(word);
        chars += word.chars().count();
    }
    if let Some((cut, _)) = x.char_indices().nth(SNIPPET_TEXT_CHARS) {
        x.truncate(cut);
    }
    DocJson {
        k: doc.kind,
        t: doc.title,
        u: &doc.url,
        d: doc.date.as_deref(),
        m: doc.meta.as_deref(),
        p: doc.photo.as_deref(),
        x,
    }
}

/// JSON with `<`, `>` and `&` written as `\u003c`, `\u003e`, `\u0026`: the
/// same data, but no markup even for a host that serves it as HTML.
fn json_bytes<T: Serialize>(v: &T) -> Vec<u8> {
    let json = serde_json::to_string(v).unwrap_or_default();
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            c => out.push(c),
        }
    }
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_count_grows_with_the_index() {
        assert_eq!(shard_count(0), 1);
        assert_eq!(shard_count(SHARD_TARGET_BYTES), 1);
        assert_eq!(shard_count(SHARD_TARGET_BYTES + 1), 2);
        assert_eq!(shard_count(100 * SHARD_TARGET_BYTES), 128);
        assert_eq!(shard_count(usize::MAX / 2), MAX_SHARDS);
    }

    #[test]
    fn json_files_carry_no_markup() {
        let j = json_bytes(&"<script>a & b</script>");
        assert_eq!(
            String::from_utf8(j.clone()).unwrap(),
            r#""\u003cscript\u003ea \u0026 b\u003c/script\u003e""#
        );
        assert_eq!(
            serde_json::from_slice::<String>(&j).unwrap(),
            "<script>a & b</script>"
        );
    }
}
