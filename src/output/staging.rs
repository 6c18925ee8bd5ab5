//! `laurel build`'s writer: the whole site is written into a staging folder
//! beside the output folder (`.<name>.laurel-staging`) and swapped in only
//! when everything succeeded, so a failed or killed build leaves the
//! previous site exactly as it was. [`recover`] cleans what an interrupted
//! build left behind; it runs under the lock at the start of every build.

use std::collections::HashMap;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{Context as _, bail};

use super::guard::{refuse_foreign, refuse_unowned};
use super::lock::OutputLock;
use super::manifest::Manifest;
use super::paths::{Links, Tree, safe_relative};
use super::{MARKER, MARKER_TEXT};
use crate::hash::{bytes_hash, file_hash};
use crate::render::{Body, OutputFile, Sink};
use crate::theme::{DefaultTheme, StaticSource};

/// `.<name>.laurel-<tag>` beside the output folder.
pub(crate) fn sibling(output: &Path, tag: &str) -> PathBuf {
    let name = output
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    output.with_file_name(format!(".{name}.laurel-{tag}"))
}

/// Puts back what an interrupted build left: a crash between the two
/// renames of a swap leaves the old site in `.<name>.laurel-old` (restored
/// when the output folder is gone, else removed); a killed build leaves its
/// staging folder (removed). Call it holding the lock.
pub fn recover(output: &Path, _lock: &OutputLock) -> anyhow::Result<()> {
    let old = sibling(output, "old");
    if fs::symlink_metadata(&old).is_ok() {
        if fs::symlink_metadata(output).is_ok() {
            fs::remove_dir_all(&old).with_context(|| format!("cannot remove {}", old.display()))?;
        } else {
            fs::rename(&old, output)
                .with_context(|| format!("cannot restore {}", old.display()))?;
        }
    }
    let staging = sibling(output, "staging");
    if fs::symlink_metadata(&staging).is_ok() {
        fs::remove_dir_all(&staging)
            .with_context(|| format!("cannot remove stale {}", staging.display()))?;
    }
    Ok(())
}

/// Takes the lock of `output` for a writer and recovers from interrupted
/// builds. A folder that was clearly never laurel's is refused first, before
/// anything (the lock file included) is written beside it.
pub fn lock(output: &Path) -> anyhow::Result<OutputLock> {
    refuse_unowned(output)?;
    let lock = OutputLock::acquire(output)?;
    recover(output, &lock)?;
    Ok(lock)
}

/// A staging folder that receives a whole build before it goes live.
pub struct Staging {
    tree: Tree,
    output: PathBuf,
    /// The live site, where unchanged files are linked from.
    old: Tree,
    files: AtomicUsize,
    /// Every file written, by output path.
    written: Mutex<HashMap<String, Written>>,
}

/// A file the staging folder received: its content hash, length and
/// modification time (ns) as written, read from the open file (not looked
/// up by path again).
#[derive(Debug, Clone, Copy)]
pub struct Written {
    pub hash: u128,
    pub len: u64,
    pub mtime: u64,
}

impl Written {
    fn new(hash: u128, md: &fs::Metadata) -> Written {
        Written {
            hash,
            len: md.len(),
            mtime: crate::hash::mtime_ns(md),
        }
    }
}

impl Staging {
    /// Prepares a fresh staging folder next to `output`. The output folder
    /// must be laurel's: every file in it recorded in its manifest.
    pub fn new(output: &Path, lock: &OutputLock) -> anyhow::Result<Staging> {
        // `lock` ran `recover`; run it again in case the caller did not.
        recover(output, lock)?;
        refuse_unowned(output)?;
        if fs::symlink_metadata(output).is_ok() {
            // Leftover temporary files go with the old site at the swap.
            refuse_foreign(output, Manifest::read(output).as_ref())?;
        }
        let dir = sibling(output, "staging");
        fs::create_dir(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
        fs::write(dir.join(MARKER), MARKER_TEXT)
            .with_context(|| format!("cannot write in {}", dir.display()))?;
        Ok(Staging {
            tree: Tree::new(&dir),
            old: Tree::new(output),
            output: output.to_path_buf(),
            files: AtomicUsize::new(0),
            written: Default::default(),
        })
    }

    /// The staging folder itself.
    pub fn dir(&self) -> &Path {
        self.tree.root()
    }

    /// Every file written into the staging folder so far, by output path,
    /// taken once the writing is done: the lookups that follow (one per
    /// file, from every thread) need no lock.
    pub fn take_written(&self) -> HashMap<String, Written> {
        std::mem::take(&mut *self.written.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// Reuses an unchanged file of the old site: a hard link (no bytes are
    /// written; the file keeps its identity), or a copy where links fail.
    /// Only a regular file reached through real folders is reused: a
    /// symlink in the old site is never followed (that would copy an
    /// outside file into the site).
    pub fn link_from(&self, old_output: &Path, path: &str) -> anyhow::Result<()> {
        let rel = safe_relative(path)?;
        let other;
        let old = if old_output == self.output {
            &self.old
        } else {
            other = Tree::new(old_output);
            &other
        };
        if old.real_file(&rel).is_none() {
            bail!(
                "cannot reuse {}: not a file laurel wrote (a symlink, or gone)",
                old_output.join(&rel).display()
            );
        }
        let src = old_output.join(&rel);
        let (dest, _) = self.tree.prepare(&rel, Links::Refuse)?;
        if fs::hard_link(&src, &dest).is_err() {
            fs::copy(&src, &dest)
                .with_context(|| format!("cannot copy {} to {}", src.display(), dest.display()))?;
        }
        Ok(())
    }

    /// Replaces the marker file (it lists the files laurel owns).
    pub fn write_marker(&self, text: &str) -> anyhow::Result<()> {
        let path = self.dir().join(MARKER);
        fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))
    }

    /// Number of files written so far.
    pub fn files(&self) -> usize {
        self.files.load(Ordering::Relaxed)
    }

    /// Puts the staged site in place of the output folder. On Linux the two
    /// folders trade places in one atomic step, so even a crash at this
    /// moment leaves either the complete old site or the complete new one;
    /// elsewhere two renames, with recovery in [`recover`].
    pub fn commit(self) -> anyhow::Result<()> {
        let dir = self.dir().to_path_buf();
        if fs::symlink_metadata(&self.output).is_ok() {
            #[cfg(target_os = "linux")]
            if exchange(&dir, &self.output).is_ok() {
                // The staging name now holds the old site.
                fs::remove_dir_all(&dir)
                    .with_context(|| format!("cannot remove {}", dir.display()))?;
                return Ok(());
            }
            let old = sibling(&self.output, "old");
            fs::rename(&self.output, &old)
                .with_context(|| format!("cannot move {} aside", self.output.display()))?;
            if let Err(e) = fs::rename(&dir, &self.output) {
                let _ = fs::rename(&old, &self.output);
                return Err(anyhow::Error::new(e).context(format!(
                    "cannot move the new site to {}",
                    self.output.display()
                )));
            }
            fs::remove_dir_all(&old).with_context(|| format!("cannot remove {}", old.display()))?;
            return Ok(());
        }
        fs::rename(&dir, &self.output)
            .with_context(|| format!("cannot move the new site to {}", self.output.display()))
    }

    /// Throws the staged files away (the build failed).
    pub fn abandon(self) {
        // Dropping removes the staging folder.
    }
}

impl Drop for Staging {
    /// A build that stops before its swap, for whatever reason, leaves no
    /// staging folder behind. After a swap the staging name is gone already.
    fn drop(&mut self) {
        let dir = self.tree.root();
        if fs::symlink_metadata(dir).is_ok() {
            let _ = fs::remove_dir_all(dir);
        }
    }
}

/// Swaps two folders atomically (`renameat2` with `RENAME_EXCHANGE`).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    rustix::fs::renameat_with(
        rustix::fs::CWD,
        a,
        rustix::fs::CWD,
        b,
        rustix::fs::RenameFlags::EXCHANGE,
    )
    .map_err(std::io::Error::from)
}

impl Sink for Staging {
    fn put(&self, file: OutputFile) -> anyhow::Result<()> {
        let (dest, _) = self
            .tree
            .prepare(&safe_relative(&file.path)?, Links::Refuse)?;
        // The staging folder is fresh and ours alone (under the lock): a
        // plain write, no temporary name needed.
        let cannot_write = || format!("cannot write {}", dest.display());
        let written = match file.body {
            Body::Bytes(b) => Written::new(
                bytes_hash(&b),
                &write_file(&dest, &b).with_context(cannot_write)?,
            ),
            Body::Static(StaticSource::Disk(src)) => {
                fs::copy(&src, &dest).with_context(|| {
                    format!("cannot copy {} to {}", src.display(), dest.display())
                })?;
                Written::new(
                    file_hash(&dest).with_context(|| format!("cannot read {}", dest.display()))?,
                    &fs::metadata(&dest).with_context(cannot_write)?,
                )
            }
            Body::Static(StaticSource::Embedded(name)) => {
                let data = DefaultTheme::get(&name)
                    .with_context(|| format!("embedded file {name} missing"))?;
                Written::new(
                    bytes_hash(&data.data),
                    &write_file(&dest, &data.data).with_context(cannot_write)?,
                )
            }
        };
        self.written
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(file.path, written);
        self.files.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }
}

/// Writes a new file and returns its metadata, read from the open file.
fn write_file(dest: &Path, bytes: &[u8]) -> std::io::Result<fs::Metadata> {
    let mut f = fs::File::create(dest)?;
    f.write_all(bytes)?;
    f.metadata()
}
