//! The site in memory, for `serve`: each output file's bytes (or, for a
//! static file, where it is on disk), never the output folder.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use crate::output::{Store, body_bytes};
use crate::render::{Body, OutputFile};

/// What `serve` answers with for one output file.
#[derive(Debug, Clone)]
pub enum Served {
    /// A rendered file, in memory.
    Bytes(Arc<Vec<u8>>),
    /// A static file of the site, streamed from disk at each request (a
    /// large video is never held in memory).
    File { path: PathBuf },
}

/// Fingerprint (of the bytes, or of a static file's stamp) and content of
/// one file.
type StoredFile = (u128, Served);

#[cfg(test)]
impl MemoryStore {
    /// Every file's path and the hash of its bytes (tests compare stores).
    pub(crate) fn hashes(&self) -> std::collections::BTreeMap<String, u128> {
        self.files
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .map(|(p, (h, _))| (p.clone(), *h))
            .collect()
    }
}

/// The site in memory, for `serve`: never touches the output folder.
#[derive(Default)]
pub struct MemoryStore {
    files: RwLock<HashMap<String, StoredFile>>,
}

impl MemoryStore {
    /// One output file, if the site has it.
    pub fn get(&self, path: &str) -> Option<Served> {
        self.files
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .get(path)
            .map(|(_, b)| b.clone())
    }
}

impl Store for MemoryStore {
    fn store(&self, file: OutputFile) -> anyhow::Result<bool> {
        let (hash, served) = match file.body {
            Body::Bytes(b) => (xxhash_rust::xxh3::xxh3_128(&b), Served::Bytes(Arc::new(b))),
            Body::Static(crate::theme::StaticSource::Disk(path)) => {
                let md = std::fs::metadata(&path)
                    .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
                let mut h = crate::hash::Hasher::default();
                h.str(&path.to_string_lossy());
                h.str(&format!("{} {}", md.len(), crate::hash::mtime_ns(&md)));
                (h.finish(), Served::File { path })
            }
            other => {
                let b = body_bytes(&other)?;
                (xxhash_rust::xxh3::xxh3_128(&b), Served::Bytes(Arc::new(b)))
            }
        };
        let mut files = self.files.write().unwrap_or_else(|p| p.into_inner());
        if files.get(&file.path).map(|(h, _)| *h) == Some(hash) {
            return Ok(false);
        }
        files.insert(file.path, (hash, served));
        Ok(true)
    }

    fn remove(&self, path: &str) -> anyhow::Result<()> {
        self.files
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .remove(path);
        Ok(())
    }
}
