//! Fingerprints of template inputs: a 128-bit hash of a tera [`Value`] tree,
//! so `watch` can tell which pages' inputs changed without rendering them.
//!
//! Shared objects (entry cards, people, tags, the `site` map) are hashed once
//! per render and remembered by address; pages that contain them hash the
//! remembered fingerprint instead of walking them again.

use std::collections::HashMap;

use tera::Value;
use xxhash_rust::xxh3::Xxh3;

/// Fingerprints of shared values, keyed by the address of their map. A
/// remembered value must stay alive while it is remembered (or be forgotten
/// first), or another map could take its address.
#[derive(Default, Clone)]
pub struct Known(HashMap<usize, u128>);

impl Known {
    /// Forgets a remembered value (before it is replaced and dropped).
    pub fn forget(&mut self, v: &Value) {
        if let Some(m) = v.as_map() {
            self.0.remove(&(m as *const _ as usize));
        }
    }

    /// Remembers `v` (a map) with its fingerprint; returns the fingerprint.
    pub fn remember(&mut self, v: &Value) -> u128 {
        let fp = fingerprint(v, self);
        if let Some(m) = v.as_map() {
            self.0.insert(m as *const _ as usize, fp);
        }
        fp
    }
}

/// Buffers small writes: xxh3's streaming update is slow on tiny slices.
pub struct Hasher {
    h: Xxh3,
    buf: Vec<u8>,
}

impl Default for Hasher {
    fn default() -> Self {
        Hasher {
            h: Xxh3::new(),
            buf: Vec::with_capacity(8192),
        }
    }
}

impl Hasher {
    pub fn bytes(&mut self, b: &[u8]) {
        if b.len() >= 4096 {
            self.flush();
            self.h.update(b);
        } else {
            if self.buf.len() + b.len() > self.buf.capacity() {
                self.flush();
            }
            self.buf.extend_from_slice(b);
        }
    }

    /// A length-prefixed string (so `ab`+`c` and `a`+`bc` differ).
    pub fn str(&mut self, s: &str) {
        self.bytes(&(s.len() as u64).to_le_bytes());
        self.bytes(s.as_bytes());
    }

    pub fn u128(&mut self, v: u128) {
        self.bytes(&v.to_le_bytes());
    }

    fn flush(&mut self) {
        if !self.buf.is_empty() {
            self.h.update(&self.buf);
            self.buf.clear();
        }
    }

    pub fn value(&mut self, v: &Value, known: &Known) {
        if let Some(m) = v.as_map() {
            if let Some(fp) = known.0.get(&(m as *const _ as usize)) {
                self.bytes(&[9]);
                self.u128(*fp);
                return;
            }
            self.bytes(&[7]);
            self.bytes(&(m.len() as u64).to_le_bytes());
            for (k, v) in m {
                match k.as_str() {
                    Some(s) => self.str(s),
                    None => self.str(&k.to_string()),
                }
                self.value(v, known);
            }
        } else if let Some(a) = v.as_array() {
            self.bytes(&[6]);
            self.bytes(&(a.len() as u64).to_le_bytes());
            for x in a {
                self.value(x, known);
            }
        } else if let Some(s) = v.as_str() {
            self.bytes(&[5, u8::from(v.is_safe())]);
            self.str(s);
        } else if let Some(b) = v.as_bool() {
            self.bytes(&[2, u8::from(b)]);
        } else if let Some(i) = v.as_i128() {
            self.bytes(&[3]);
            self.bytes(&i.to_le_bytes());
        } else if let Some(u) = v.as_u128() {
            self.bytes(&[4]);
            self.bytes(&u.to_le_bytes());
        } else if let Some(f) = v.as_f64() {
            self.bytes(&[8]);
            self.bytes(&f.to_bits().to_le_bytes());
        } else if let Some(b) = v.as_bytes() {
            self.bytes(&[10]);
            self.bytes(&(b.len() as u64).to_le_bytes());
            self.bytes(b);
        } else if v.is_none() {
            self.bytes(&[0]);
        } else {
            self.bytes(&[1]);
        }
    }

    pub fn finish(mut self) -> u128 {
        self.flush();
        self.h.digest128()
    }
}

/// The fingerprint of a whole value.
pub fn fingerprint(v: &Value, known: &Known) -> u128 {
    let mut h = Hasher::default();
    h.value(v, known);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn map(pairs: &[(&str, Value)]) -> Value {
        Value::from(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect::<BTreeMap<String, Value>>(),
        )
    }

    #[test]
    fn equal_values_equal_fingerprints_and_changes_show() {
        let k = Known::default();
        let a = map(&[("title", Value::from("第一天")), ("n", Value::from(1))]);
        let b = map(&[("title", Value::from("第一天")), ("n", Value::from(1))]);
        let c = map(&[("title", Value::from("第二天")), ("n", Value::from(1))]);
        assert_eq!(fingerprint(&a, &k), fingerprint(&b, &k));
        assert_ne!(fingerprint(&a, &k), fingerprint(&c, &k));
        // Safe and plain strings render differently, so they must differ.
        assert_ne!(
            fingerprint(&Value::safe_string("<b>"), &k),
            fingerprint(&Value::from("<b>"), &k)
        );
        // Concatenation ambiguity is ruled out by length prefixes.
        let x = Value::from(vec![Value::from("ab"), Value::from("c")]);
        let y = Value::from(vec![Value::from("a"), Value::from("bc")]);
        assert_ne!(fingerprint(&x, &k), fingerprint(&y, &k));
        assert_ne!(
            fingerprint(&Value::none(), &k),
            fingerprint(&Value::from(false), &k)
        );
    }

    #[test]
    fn known_values_hash_to_their_remembered_fingerprint() {
        let mut k = Known::default();
        let card = map(&[("title", Value::from("a"))]);
        let fp = k.remember(&card);
        let list = Value::from(vec![card.clone()]);
        let mut expected = Hasher::default();
        expected.bytes(&[6]);
        expected.bytes(&1u64.to_le_bytes());
        expected.bytes(&[9]);
        expected.u128(fp);
        assert_eq!(fingerprint(&list, &k), expected.finish());
    }
}
