//! Answering a query from the index files: decoding shards and ranking. The
//! browser does the same in `themes/default/static/search.js` (`rank`); this
//! copy lets laurel's tests (and tools) query a built site exactly the way a
//! reader's browser does.
//!
//! Ranking: a document must contain every term (when none contains them all,
//! those with the most terms are shown). Its score is the sum over terms of
//! `weight × idf`, where the weight records where the term occurs (title 100,
//! names and tags 30, a person's role/unit 10, body text 1 per occurrence up
//! to 9; see [`super::index`]) and `idf = 1 + bit length of (documents / df)`
//! (integer arithmetic, so JavaScript gets the same order). Ties go to the
//! higher document id: pages, people, then newer entries.

use std::collections::{BTreeMap, HashMap};

use super::tokenize::{query_terms, shard_of};

/// One occurrence record: a document and the token's weight in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Posting {
    pub doc: u32,
    pub weight: u32,
}

/// A ranked document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub doc: u32,
    pub score: u64,
    /// How many of the query's terms the document has.
    pub matched: usize,
}

fn read_varint(bytes: &[u8], pos: &mut usize) -> Option<u64> {
    let mut v: u64 = 0;
    for shift in (0..64).step_by(7) {
        let b = *bytes.get(*pos)?;
        *pos += 1;
        v |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Some(v);
        }
    }
    None
}

/// Token → postings of one shard file; `None` when the bytes are not a shard.
pub fn decode_shard(bytes: &[u8]) -> Option<BTreeMap<String, Vec<Posting>>> {
    let mut pos = 0;
    let n = read_varint(bytes, &mut pos)?;
    let mut out = BTreeMap::new();
    for _ in 0..n {
        let len = usize::try_from(read_varint(bytes, &mut pos)?).ok()?;
        let token = std::str::from_utf8(bytes.get(pos..pos.checked_add(len)?)?).ok()?;
        pos += len;
        let count = read_varint(bytes, &mut pos)?;
        let _byte_len = read_varint(bytes, &mut pos)?;
        let mut list = Vec::new();
        let mut doc: u64 = 0;
        for i in 0..count {
            let gap = read_varint(bytes, &mut pos)?;
            doc = if i == 0 { gap } else { doc.checked_add(gap)? };
            let weight = read_varint(bytes, &mut pos)?;
            list.push(Posting {
                doc: u32::try_from(doc).ok()?,
                weight: u32::try_from(weight).ok()?,
            });
        }
        out.insert(token.to_string(), list);
    }
    (pos == bytes.len()).then_some(out)
}

/// `1 + bit length of (docs / df)`: rarer terms count more.
pub fn idf(docs: u32, df: usize) -> u64 {
    let df = u32::try_from(df).unwrap_or(u32::MAX).max(1);
    1 + u64::from(32 - (docs / df).leading_zeros())
}

/// Ranks documents by the postings of each query term (one list per term,
/// empty when the term is not in the index); best first.
pub fn rank(docs: u32, terms: &[&[Posting]]) -> Vec<Hit> {
    let mut hits: HashMap<u32, Hit> = HashMap::new();
    for list in terms {
        let idf = idf(docs, list.len());
        for p in *list {
            let h = hits.entry(p.doc).or_insert(Hit {
                doc: p.doc,
                score: 0,
                matched: 0,
            });
            h.score += u64::from(p.weight) * idf;
            h.matched += 1;
        }
    }
    let best = hits.values().map(|h| h.matched).max().unwrap_or(0);
    let mut out: Vec<Hit> = hits.into_values().filter(|h| h.matched == best).collect();
    out.sort_by(|a, b| b.score.cmp(&a.score).then(b.doc.cmp(&a.doc)));
    out
}

/// Queries a built index: `read` returns the bytes of a file under `search/`
/// (`meta.json`, `s/3.bin`), as a static host would. Returns the ranked hits
/// and the files it read, in order; `None` when a file is missing or broken.
pub fn search(
    read: impl Fn(&str) -> Option<Vec<u8>>,
    query: &str,
) -> Option<(Vec<Hit>, Vec<String>)> {
    let mut files = vec!["meta.json".to_string()];
    let meta: serde_json::Value = serde_json::from_slice(&read("meta.json")?).ok()?;
    let shards = u32::try_from(meta.get("shards")?.as_u64()?).ok()?;
    let docs = u32::try_from(meta.get("docs")?.as_u64()?).ok()?;
    let terms = query_terms(query);
    let mut loaded: BTreeMap<u32, BTreeMap<String, Vec<Posting>>> = BTreeMap::new();
    for t in &terms {
        let k = shard_of(t, shards);
        if let std::collections::btree_map::Entry::Vacant(slot) = loaded.entry(k) {
            let path = format!("s/{k}.bin");
            slot.insert(decode_shard(&read(&path)?)?);
            files.push(path);
        }
    }
    let lists: Vec<&[Posting]> = terms
        .iter()
        .map(|t| {
            loaded
                .get(&shard_of(t, shards))
                .and_then(|s| s.get(t))
                .map_or(&[][..], Vec::as_slice)
        })
        .collect();
    Some((rank(docs, &lists), files))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(doc: u32, weight: u32) -> Posting {
        Posting { doc, weight }
    }

    #[test]
    fn a_title_match_ranks_above_body_matches() {
        // Doc 0: the term in its title; doc 1: nine times in the body.
        let a = [p(0, 100), p(1, 9)];
        let b = [p(0, 100), p(1, 9), p(2, 3)];
        let hits = rank(10, &[&a, &b]);
        assert_eq!(hits.iter().map(|h| h.doc).collect::<Vec<_>>(), [0, 1]);
        assert!(hits[0].score > hits[1].score);
    }

    #[test]
    fn every_term_is_required_when_some_document_has_them_all() {
        let a = [p(0, 1), p(1, 1)];
        let b = [p(1, 1), p(2, 100)];
        let hits = rank(3, &[&a, &b]);
        assert_eq!(hits.iter().map(|h| h.doc).collect::<Vec<_>>(), [1]);
        // Nobody has both: the best partial matches are shown.
        let c = [p(5, 1)];
        let hits = rank(6, &[&a, &c]);
        assert_eq!(hits.len(), 3);
        assert!(hits.iter().all(|h| h.matched == 1));
    }

    #[test]
    fn rare_terms_weigh_more_and_ties_go_to_the_newer_document() {
        assert!(idf(1000, 1) > idf(1000, 500));
        assert_eq!(idf(1000, 1000), 2);
        assert_eq!(idf(0, 0), 1);
        let a = [p(3, 5), p(7, 5)];
        let hits = rank(10, &[&a]);
        assert_eq!(hits.iter().map(|h| h.doc).collect::<Vec<_>>(), [7, 3]);
        assert!(rank(10, &[]).is_empty());
    }

    #[test]
    fn broken_shards_are_refused_not_panicked_on() {
        assert_eq!(decode_shard(&[0]), Some(BTreeMap::new()));
        assert_eq!(decode_shard(&[]), None);
        assert_eq!(decode_shard(&[1, 200]), None);
        assert_eq!(decode_shard(&[0xff; 20]), None);
        assert_eq!(decode_shard(&[1, 1, b'a', 1, 2, 0, 1, 9]), None);
        let ok = decode_shard(&[1, 1, b'a', 1, 2, 4, 7]).expect("valid");
        assert_eq!(ok["a"], [p(4, 7)]);
    }
}
