//! Stable 128-bit hashes (xxh3) of bytes, strings and template values, and
//! file stamps: what incremental builds compare to know that nothing changed.
//! A leaf: it knows nothing of sites or pages.

use std::path::Path;

use tera::Value;
use xxhash_rust::xxh3::Xxh3;

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

    /// A tera value tree, structure included.
    pub fn value(&mut self, v: &Value) {
        if let Some(m) = v.as_map() {
            self.bytes(&[7]);
            self.bytes(&(m.len() as u64).to_le_bytes());
            for (k, v) in m {
                match k.as_str() {
                    Some(s) => self.str(s),
                    None => self.str(&k.to_string()),
                }
                self.value(v);
            }
        } else if let Some(a) = v.as_array() {
            self.bytes(&[6]);
            self.bytes(&(a.len() as u64).to_le_bytes());
            for x in a {
                self.value(x);
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

    /// A file's stamp, or that it could not be looked at (`None`): its
    /// numbers, not a formatted string (a site's inputs are 100k stamps).
    pub fn stamp(&mut self, stamp: Option<&Stamp>) {
        let Some(s) = stamp else {
            self.bytes(&[0]);
            return;
        };
        let nanos = s
            .modified
            .map(|t| match t.duration_since(std::time::UNIX_EPOCH) {
                Ok(d) => d.as_nanos() as i128,
                Err(before) => -(before.duration().as_nanos() as i128),
            });
        self.bytes(&[1]);
        self.bytes(&s.len.to_le_bytes());
        match nanos {
            Some(n) => {
                self.bytes(&[1]);
                self.bytes(&n.to_le_bytes());
            }
            None => self.bytes(&[0]),
        }
    }

    pub fn finish(mut self) -> u128 {
        self.flush();
        self.h.digest128()
    }
}

/// What identifies one version of a file on disk without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
}

impl Stamp {
    pub fn of(path: &Path) -> Option<Stamp> {
        let m = std::fs::metadata(path).ok()?;
        Some(Stamp {
            len: m.len(),
            modified: m.modified().ok(),
        })
    }

    /// The stamp of a file that could not be looked at: never equal to a
    /// real one with a time.
    pub fn unknown() -> Stamp {
        Stamp {
            len: u64::MAX,
            modified: None,
        }
    }

    /// Whether the file system gave a modification time (without one, a
    /// stamp cannot tell two versions apart).
    pub fn has_time(&self) -> bool {
        self.modified.is_some()
    }
}

/// Hash of a file's bytes, read in pieces (a static file may be large).
pub fn file_hash(path: &Path) -> std::io::Result<u128> {
    use std::io::Read as _;
    let mut f = std::fs::File::open(path)?;
    let mut h = Xxh3::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        match f.read(&mut buf)? {
            0 => return Ok(h.digest128()),
            n => h.update(&buf[..n]),
        }
    }
}

/// Hash of bytes as [`file_hash`] gives it for a file holding them.
pub fn bytes_hash(b: &[u8]) -> u128 {
    xxhash_rust::xxh3::xxh3_128(b)
}

/// A file's modification time in nanoseconds since 1970; 0 when unknown.
pub fn mtime_ns(md: &std::fs::Metadata) -> u64 {
    md.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn fp(v: &Value) -> u128 {
        let mut h = Hasher::default();
        h.value(v);
        h.finish()
    }

    #[test]
    fn a_file_hashes_as_its_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f");
        let bytes: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&p, &bytes).unwrap();
        assert_eq!(file_hash(&p).unwrap(), bytes_hash(&bytes));
    }

    #[test]
    fn equal_values_equal_hashes_and_changes_show() {
        let map = |pairs: &[(&str, Value)]| {
            Value::from(
                pairs
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.clone()))
                    .collect::<BTreeMap<String, Value>>(),
            )
        };
        let a = map(&[("title", Value::from("第一天")), ("n", Value::from(1))]);
        let b = map(&[("title", Value::from("第一天")), ("n", Value::from(1))]);
        let c = map(&[("title", Value::from("第二天")), ("n", Value::from(1))]);
        assert_eq!(fp(&a), fp(&b));
        assert_ne!(fp(&a), fp(&c));
        // Safe and plain strings render differently, so they must differ.
        assert_ne!(fp(&Value::safe_string("<b>")), fp(&Value::from("<b>")));
        // Concatenation ambiguity is ruled out by length prefixes.
        let x = Value::from(vec![Value::from("ab"), Value::from("c")]);
        let y = Value::from(vec![Value::from("a"), Value::from("bc")]);
        assert_ne!(fp(&x), fp(&y));
        assert_ne!(fp(&Value::none()), fp(&Value::from(false)));
    }
}
