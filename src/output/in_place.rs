//! `laurel watch`'s writer: the output folder updated in place, file by
//! file, under the same rules as a build. Each file is written to a
//! temporary name and renamed over the old one (a reader never sees half a
//! page); a symlink inside the output folder is replaced, never followed;
//! only files laurel recorded in the marker's manifest are ever removed, and
//! the manifest lists a file before it is written, so a killed watch leaves
//! nothing that the next build would take for foreign. The lock is held
//! while a rebuild stores its files, not while it renders: a `laurel build`
//! beside a running watch waits a moment, never forever.

use std::collections::HashMap;
use std::fs;
use std::io::ErrorKind;
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

use anyhow::Context as _;

use super::guard::refuse_foreign;
use super::lock::OutputLock;
use super::manifest::{FileRecord, Manifest};
use super::paths::{Links, Tree, safe_relative, write_replacing};
use super::staging::lock;
use super::{MARKER, Store, body_bytes};
use crate::render::OutputFile;

/// What tells one version of the marker file from another, without reading it.
type MarkerStamp = (u64, Option<std::time::SystemTime>, u64);

fn marker_stamp(path: &Path) -> Option<MarkerStamp> {
    let md = fs::symlink_metadata(path).ok()?;
    #[cfg(unix)]
    let id = std::os::unix::fs::MetadataExt::ino(&md);
    #[cfg(not(unix))]
    let id = 0;
    Some((md.len(), md.modified().ok(), id))
}

/// The output folder on disk, updated in place.
pub struct DiskStore {
    tree: Tree,
    /// Hash of the bytes of every file written, to skip identical rewrites.
    written: RwLock<HashMap<String, u128>>,
    state: Mutex<State>,
    /// The lock, from [`Store::begin`] to [`Store::finish`].
    held: Mutex<Option<OutputLock>>,
}

struct State {
    /// Every file laurel has in the folder (no input fingerprint: a later
    /// `laurel build` never takes it for up to date).
    manifest: Manifest,
    /// The marker's stamp as we last wrote it: another one means someone
    /// (a `laurel build`) replaced the folder behind our back.
    marker: Option<MarkerStamp>,
    /// The manifest changed since the marker was written.
    dirty: bool,
    /// The next rebuild must store everything: the first one, or after a
    /// link inside the folder was replaced (files below it are gone).
    lost: bool,
    /// The paths the last `begin` recorded.
    begun: Option<Arc<Vec<String>>>,
}

impl DiskStore {
    /// Opens the output folder for in-place updates. The folder must be
    /// laurel's (see `guard`); the files its manifest records are handed to
    /// the first rebuild, which removes those the site no longer has and
    /// leaves identical ones alone.
    pub fn open(output: &Path) -> anyhow::Result<DiskStore> {
        let _lock = lock(output)?;
        let marker_exists = fs::symlink_metadata(output.join(MARKER)).is_ok();
        let mut manifest = Manifest::default();
        if marker_exists {
            let recorded = Manifest::read(output);
            // A watch killed mid-write leaves `.x.laurel-tmp` files: ours to clean.
            for tmp in refuse_foreign(output, recorded.as_ref())? {
                fs::remove_file(&tmp)
                    .with_context(|| format!("cannot remove {}", tmp.display()))?;
            }
            manifest.files = recorded.map(|m| m.files).unwrap_or_default();
        }
        fs::create_dir_all(output)
            .with_context(|| format!("cannot create {}", output.display()))?;
        let store = DiskStore {
            tree: Tree::new(output),
            written: RwLock::default(),
            state: Mutex::new(State {
                manifest,
                marker: None,
                dirty: true,
                lost: true,
                begun: None,
            }),
            held: Mutex::new(None),
        };
        store.write_marker(&mut store.state())?;
        Ok(store)
    }

    pub fn dir(&self) -> &Path {
        self.tree.root()
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn write_marker(&self, st: &mut State) -> anyhow::Result<()> {
        let path = self.dir().join(MARKER);
        write_replacing(
            &path,
            st.manifest
                .render_marker(super::manifest::NO_STATE)
                .as_bytes(),
        )?;
        st.marker = marker_stamp(&path);
        st.dirty = false;
        Ok(())
    }

    fn forget_written(&self) {
        self.written
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }

    /// Notices a folder deleted or replaced since we last wrote its marker,
    /// and takes what is there now as the starting point. Returns whether
    /// it changed.
    fn resync(&self, st: &mut State) -> anyhow::Result<bool> {
        let dir = self.dir();
        let now = marker_stamp(&dir.join(MARKER));
        match now {
            Some(_) if now == st.marker => return Ok(false),
            Some(_) => {
                // A `laurel build` swapped in its site: what it recorded is
                // laurel's too.
                if let Some(m) = Manifest::read(dir) {
                    st.manifest.files.extend(m.files);
                }
            }
            None => {
                // Someone deleted the output folder, or its marker: keep
                // only the files that are still there.
                fs::create_dir_all(dir)
                    .with_context(|| format!("cannot create {}", dir.display()))?;
                self.tree.forget();
                st.manifest.files.retain(|p, _| {
                    safe_relative(p).is_ok_and(|rel| self.tree.real_file(&rel).is_some())
                });
            }
        }
        self.tree.forget();
        self.forget_written();
        self.write_marker(st)?;
        Ok(true)
    }
}

impl Store for DiskStore {
    fn reopen(&self) -> anyhow::Result<Option<Vec<String>>> {
        let _lock = OutputLock::acquire(self.dir())?;
        let mut st = self.state();
        let changed = self.resync(&mut st)?;
        if !changed && !st.lost {
            return Ok(None);
        }
        st.lost = false;
        self.forget_written();
        let mut paths: Vec<String> = st.manifest.files.keys().cloned().collect();
        paths.sort();
        Ok(Some(paths))
    }

    fn begin(&self, paths: &Arc<Vec<String>>) -> anyhow::Result<()> {
        let mut held = self.held.lock().unwrap_or_else(|p| p.into_inner());
        if held.is_none() {
            *held = Some(OutputLock::acquire(self.dir())?);
        }
        // Folders may have been replaced by links since the last rebuild.
        self.tree.forget();
        let mut st = self.state();
        let resynced = self.resync(&mut st)?;
        if resynced {
            st.lost = true;
        }
        // Record every file before it is written: a watch killed while
        // storing must leave nothing unrecorded (it would be foreign). The
        // paths recorded last time are all still there, unless the folder
        // changed behind our back: an edit that kept the site's shape
        // records nothing new, without looking at every path.
        let same = !resynced && st.begun.as_ref().is_some_and(|b| Arc::ptr_eq(b, paths));
        if !same {
            for p in paths.iter() {
                if !st.manifest.files.contains_key(p) {
                    st.manifest.files.insert(p.clone(), FileRecord::default());
                    st.dirty = true;
                }
            }
            st.begun = Some(paths.clone());
        }
        if st.dirty {
            self.write_marker(&mut st)?;
        }
        Ok(())
    }

    fn finish(&self) -> anyhow::Result<()> {
        let written = {
            let mut st = self.state();
            if st.dirty {
                self.write_marker(&mut st)
            } else {
                Ok(())
            }
        };
        // Released also when the marker could not be written.
        *self.held.lock().unwrap_or_else(|p| p.into_inner()) = None;
        written
    }

    fn store(&self, file: OutputFile) -> anyhow::Result<bool> {
        let rel = safe_relative(&file.path)?;
        let bytes = body_bytes(&file.body)?;
        let hash = xxhash_rust::xxh3::xxh3_128(&bytes);
        if self
            .written
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .get(&file.path)
            == Some(&hash)
        {
            return Ok(false);
        }
        let (dest, replaced) = self.tree.prepare(&rel, Links::Replace)?;
        if replaced {
            // The files that were behind the link are no longer in the site.
            self.state().lost = true;
        }
        // A file left by an earlier build with the same bytes stays untouched
        // (a symlink in its place is replaced, never read through).
        let same = fs::symlink_metadata(&dest).is_ok_and(|md| md.is_file())
            && fs::read(&dest).is_ok_and(|old| old == bytes);
        if !same {
            write_replacing(&dest, &bytes)?;
        }
        {
            // Recorded by `begin` already, unless the caller skipped it. No
            // length is recorded: a build never reuses what watch wrote (its
            // keys are 0), and the marker changes only when the paths do.
            let mut st = self.state();
            if !st.manifest.files.contains_key(&file.path) {
                st.manifest
                    .files
                    .insert(file.path.clone(), FileRecord::default());
                st.dirty = true;
            }
        }
        self.written
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .insert(file.path, hash);
        Ok(!same)
    }

    fn remove(&self, path: &str) -> anyhow::Result<()> {
        let rel = safe_relative(path)?;
        self.written
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .remove(path);
        {
            let mut st = self.state();
            // Never delete a file laurel did not write.
            if st.manifest.files.remove(path).is_none() {
                return Ok(());
            }
            st.dirty = true;
        }
        // Behind a link the file is not laurel's to reach.
        if !self.tree.has_real_parents(&rel) {
            return Ok(());
        }
        let dest = self.dir().join(&rel);
        match fs::symlink_metadata(&dest) {
            Ok(md) if md.is_dir() => return Ok(()),
            Ok(_) => fs::remove_file(&dest)
                .with_context(|| format!("cannot remove {}", dest.display()))?,
            Err(e) if e.kind() == ErrorKind::NotFound => {}
            Err(e) => {
                return Err(
                    anyhow::Error::new(e).context(format!("cannot remove {}", dest.display()))
                );
            }
        }
        // Drop folders the removal left empty (diary/<old-slug>/), never the output folder itself.
        let mut dir = dest.parent();
        while let Some(d) = dir {
            if d == self.dir() || fs::remove_dir(d).is_err() {
                break;
            }
            // A removed folder is no longer known to be there.
            self.tree.forget();
            dir = d.parent();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::Body;

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            body: Body::Bytes(text.as_bytes().to_vec()),
        }
    }

    #[test]
    fn files_are_recorded_before_they_are_written_and_only_recorded_ones_removed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let store = DiskStore::open(&out).unwrap();
        assert_eq!(store.reopen().unwrap(), Some(vec![]), "the first rebuild");
        let paths = Arc::new(vec!["a/index.html".to_string(), "b.html".to_string()]);
        store.begin(&paths).unwrap();
        // Killed here, the marker already names both files.
        let recorded = Manifest::read(&out).unwrap();
        assert!(paths.iter().all(|p| recorded.files.contains_key(p)));
        assert!(store.store(file("a/index.html", "a")).unwrap());
        assert!(store.store(file("b.html", "b")).unwrap());
        assert!(!store.store(file("b.html", "b")).unwrap(), "same bytes");
        store.finish().unwrap();
        assert_eq!(store.reopen().unwrap(), None);

        // Someone drops a file in; removing it is refused silently.
        fs::write(out.join("theirs.txt"), "x").unwrap();
        store.begin(&Arc::new(Vec::new())).unwrap();
        store.remove("theirs.txt").unwrap();
        store.remove("a/index.html").unwrap();
        store.finish().unwrap();
        assert!(out.join("theirs.txt").is_file());
        assert!(!out.join("a").exists(), "the emptied folder is gone");
        let recorded = Manifest::read(&out).unwrap();
        assert_eq!(recorded.files.keys().collect::<Vec<_>>(), ["b.html"]);
        assert_eq!(recorded.inputs, 0, "a build never takes it for up to date");

        // Reopened later, the folder holds a foreign file: refused.
        drop(store);
        let err = DiskStore::open(&out).err().expect("refused");
        assert!(err.is::<crate::output::Refused>(), "{err:#}");
    }
}
