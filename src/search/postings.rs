//! Postings: which documents hold a token, with what weight. Built from the
//! documents' fields in parallel chunks, held as the shard files store them
//! ([`Packed`]: varint pairs, a few bytes per posting, not sixteen with a
//! growing vector's spare room), and written into shard files.

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;

use super::index::{BODY_CAP, Doc, W_META, W_NAME, W_TITLE};
use super::tokenize::{TokenKey, cjk_text, for_each_token_key};

/// Where a piece of text sits in its document: decides its weight.
#[derive(Clone, Copy)]
pub(super) enum Field {
    Title,
    Name,
    Meta,
    Body,
}

/// A fast hasher for the short token strings (std's SipHash guards against
/// hostile keys, which cost here more than they protect).
pub(super) type Fast = xxhash_rust::xxh3::Xxh3DefaultBuilder;

/// Postings of a run of documents: token → its list, ids ascending.
pub(super) type Postings = HashMap<String, Packed, Fast>;

/// One token's postings, ids ascending, as a shard file stores them: per
/// posting the doc id (the first as is, the others as the gap to the one
/// before) and the weight, each a little-endian base-128 varint.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Packed {
    bytes: Vec<u8>,
    count: u32,
    last: u32,
}

impl Packed {
    /// Adds a posting; `id` is above every id in the list.
    pub fn push(&mut self, id: u32, weight: u32) {
        let gap = if self.count == 0 { id } else { id - self.last };
        varint(&mut self.bytes, u64::from(gap));
        varint(&mut self.bytes, u64::from(weight));
        self.count += 1;
        self.last = id;
    }

    /// Adds the postings of `later`, whose ids are all above this list's.
    pub fn append(&mut self, later: &Packed) {
        let mut pairs = later.iter();
        let Some((first, weight)) = pairs.next() else {
            return;
        };
        let rest = pairs.rest;
        self.push(first, weight);
        self.bytes.extend_from_slice(rest);
        self.count += later.count - 1;
        self.last = later.last;
    }

    pub fn len(&self) -> usize {
        self.count as usize
    }

    /// The postings, ids ascending.
    pub fn iter(&self) -> Pairs<'_> {
        Pairs {
            rest: &self.bytes,
            id: 0,
            first: true,
        }
    }
}

impl FromIterator<(u32, u32)> for Packed {
    fn from_iter<I: IntoIterator<Item = (u32, u32)>>(pairs: I) -> Packed {
        let mut p = Packed::default();
        for (id, w) in pairs {
            p.push(id, w);
        }
        p
    }
}

/// The postings of a [`Packed`] list, decoded.
pub(super) struct Pairs<'a> {
    rest: &'a [u8],
    id: u32,
    first: bool,
}

impl Iterator for Pairs<'_> {
    type Item = (u32, u32);

    fn next(&mut self) -> Option<(u32, u32)> {
        let gap = read_varint(&mut self.rest)?;
        let weight = read_varint(&mut self.rest)?;
        self.id = if self.first {
            gap
        } else {
            self.id.saturating_add(gap)
        };
        self.first = false;
        Some((self.id, weight))
    }
}

/// Token → postings of every document. Documents are read in parallel in
/// chunks; chunks are merged in id order, so every list stays ascending.
pub(super) fn postings(docs: &[Doc]) -> Postings {
    const CHUNK: usize = 256;
    // Chunks are indexed a window at a time and merged before the next
    // window: every chunk's own dictionary alive at once would be several
    // times the index itself on a 100k-entry site. The merge is serial, so
    // it runs beside the indexing of the next window (two windows' maps
    // alive at most).
    const WINDOW: usize = 16;
    let mut all = Postings::default();
    let mut pending: Vec<Postings> = Vec::new();
    for (w, window) in docs.chunks(CHUNK * WINDOW).enumerate() {
        let base = w * CHUNK * WINDOW;
        let previous = std::mem::take(&mut pending);
        let (maps, ()) = rayon::join(
            || index_chunks(window, base, CHUNK),
            || merge_into(&mut all, previous),
        );
        pending = maps;
    }
    merge_into(&mut all, pending);
    all
}

/// Appends chunk maps to `all`, in the order given (ids ascending).
fn merge_into(all: &mut Postings, maps: Vec<Postings>) {
    for chunk in maps {
        for (token, list) in chunk {
            match all.get_mut(&token) {
                Some(l) => l.append(&list),
                None => {
                    all.insert(token, list);
                }
            }
        }
    }
}

/// Postings of `docs` (whose first id is `base`), in chunks of `chunk`
/// documents indexed in parallel; the maps come back in id order.
fn index_chunks(docs: &[Doc], base: usize, size: usize) -> Vec<Postings> {
    docs.par_chunks(size)
        .enumerate()
        .map(|(c, chunk)| {
            // Tokens get a number once per chunk, so the hot loop looks a
            // token up without allocating.
            // CJK tokens (most of them) are looked up as numbers.
            let mut cjk: rustc_hash::FxHashMap<u64, u32> = rustc_hash::FxHashMap::default();
            let mut words: HashMap<String, u32, Fast> = HashMap::default();
            let mut lists: Vec<Packed> = Vec::new();
            // Per token number, for the document at hand: (document marker,
            // fields seen as bits: 1 title, 2 name, 4 meta; body count).
            let mut state: Vec<(u32, u8, u32)> = Vec::new();
            let mut touched: Vec<u32> = Vec::new();
            for (i, doc) in chunk.iter().enumerate() {
                let marker = u32::try_from(i + 1).unwrap_or(u32::MAX);
                for &(field, text) in &doc.fields {
                    for_each_token_key(text, |t| {
                        let known = match t {
                            TokenKey::Cjk(k) => cjk.get(&k).copied(),
                            TokenKey::Word(w) => words.get(w).copied(),
                        };
                        let n = match known {
                            Some(n) => n,
                            None => {
                                let n = u32::try_from(lists.len()).unwrap_or(u32::MAX);
                                match t {
                                    TokenKey::Cjk(k) => cjk.insert(k, n),
                                    TokenKey::Word(w) => words.insert(w.to_string(), n),
                                };
                                lists.push(Packed::default());
                                state.push((0, 0, 0));
                                n
                            }
                        };
                        let s = &mut state[n as usize];
                        if s.0 != marker {
                            *s = (marker, 0, 0);
                            touched.push(n);
                        }
                        match field {
                            Field::Title => s.1 |= 1,
                            Field::Name => s.1 |= 2,
                            Field::Meta => s.1 |= 4,
                            Field::Body => s.2 = s.2.saturating_add(1),
                        }
                    });
                }
                let id = u32::try_from(base + c * size + i).unwrap_or(u32::MAX);
                for n in touched.drain(..) {
                    let (_, bits, body) = state[n as usize];
                    lists[n as usize].push(id, weight(bits, body));
                }
            }
            let mut out =
                Postings::with_capacity_and_hasher(cjk.len() + words.len(), Fast::default());
            for (k, n) in cjk {
                out.insert(cjk_text(k), std::mem::take(&mut lists[n as usize]));
            }
            for (token, n) in words {
                out.insert(token, std::mem::take(&mut lists[n as usize]));
            }
            out
        })
        .collect()
}

/// A token's weight in a document from the fields it occurs in (bits: 1
/// title, 2 name, 4 meta) and its count in the body.
pub(super) fn weight(bits: u8, body: u32) -> u32 {
    let has = |b: u8| u32::from(bits & b != 0);
    W_TITLE * has(1) + W_NAME * has(2) + W_META * has(4) + body.min(BODY_CAP)
}

/// One shard file from its tokens (sorted) and their postings: the token
/// count, then per token its byte length, its UTF-8 bytes, the number of
/// postings, their byte length and the postings.
pub(super) fn encode_shard<'a>(
    tokens: impl ExactSizeIterator<Item = (&'a str, &'a Packed)>,
) -> Vec<u8> {
    let mut out = Vec::new();
    varint(&mut out, tokens.len() as u64);
    for (token, list) in tokens {
        varint(&mut out, token.len() as u64);
        out.extend_from_slice(token.as_bytes());
        varint(&mut out, u64::from(list.count));
        varint(&mut out, list.bytes.len() as u64);
        out.extend_from_slice(&list.bytes);
    }
    out
}

/// [`encode_shard`] of a shard whose lists are plain pairs.
pub(super) fn encode_pairs(tokens: &BTreeMap<String, Vec<(u32, u32)>>) -> Vec<u8> {
    let packed: Vec<(&str, Packed)> = tokens
        .iter()
        .map(|(t, l)| (t.as_str(), l.iter().copied().collect()))
        .collect();
    encode_shard(packed.iter().map(|(t, p)| (*t, p)))
}

fn varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8 & 0x7f) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Reads one varint written by [`varint`] (at most 32 bits) off the front.
fn read_varint(bytes: &mut &[u8]) -> Option<u32> {
    let mut v: u32 = 0;
    for shift in (0..35).step_by(7) {
        let (&b, rest) = bytes.split_first()?;
        *bytes = rest;
        v |= u32::from(b & 0x7f).checked_shl(shift)?;
        if b & 0x80 == 0 {
            return Some(v);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_put_titles_above_names_above_body() {
        assert_eq!(weight(1, 0), 100);
        assert_eq!(weight(2, 3), 33);
        assert_eq!(weight(0, 500), BODY_CAP);
        assert!(weight(1, 0) > weight(2, 500));
        assert!(weight(2, 0) > weight(4, 500));
        assert!(weight(4, 0) > weight(0, 500));
    }

    #[test]
    fn varints_are_little_endian_base_128() {
        let mut v = Vec::new();
        varint(&mut v, 1);
        varint(&mut v, 300);
        assert_eq!(v, [1, 0xac, 0x02]);
        let mut r = &v[..];
        assert_eq!(read_varint(&mut r), Some(1));
        assert_eq!(read_varint(&mut r), Some(300));
        assert_eq!(read_varint(&mut r), None);
    }

    #[test]
    fn packed_lists_append_and_read_back_as_pairs() {
        let a: Packed = [(3, 100), (200, 9)].into_iter().collect();
        let b: Packed = [(201, 1), (70_000, 139)].into_iter().collect();
        let mut ab = a.clone();
        ab.append(&b);
        ab.append(&Packed::default());
        let all = [(3, 100), (200, 9), (201, 1), (70_000, 139)];
        assert_eq!(ab.iter().collect::<Vec<_>>(), all);
        assert_eq!(ab, all.into_iter().collect());
        assert_eq!(ab.len(), 4);
        let mut empty = Packed::default();
        empty.append(&a);
        assert_eq!(empty, a);
    }

    #[test]
    fn a_shard_of_pairs_is_the_shard_of_packed_lists() {
        let mut pairs = BTreeMap::new();
        pairs.insert("武汉".to_string(), vec![(0, 30), (5, 2)]);
        pairs.insert("ab".to_string(), vec![(7, 100)]);
        let packed: Vec<(String, Packed)> = pairs
            .iter()
            .map(|(t, l)| (t.clone(), l.iter().copied().collect()))
            .collect();
        let bytes = encode_pairs(&pairs);
        assert_eq!(
            bytes,
            encode_shard(packed.iter().map(|(t, p)| (t.as_str(), p)))
        );
        // count 2; "ab" (2 bytes), 1 posting of 2 bytes: 7, 100; then 武汉.
        assert_eq!(bytes[..9], [2, 2, b'a', b'b', 1, 2, 7, 100, 6]);
    }
}
