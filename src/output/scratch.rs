//! `check --strict`'s writer: a scratch folder of our own under the
//! system's temporary folder, holding a copy of the rendered site for the
//! validators to read, removed when dropped. `check` writes nothing to the
//! site; the scratch folder follows the same path rules as every writer.

use std::path::Path;

use anyhow::Context as _;

use super::paths::{Links, Tree, safe_relative};

/// A temporary folder, removed when dropped.
pub struct Scratch {
    tree: Tree,
    /// Removes the folder when dropped.
    _dir: tempfile::TempDir,
}

impl Scratch {
    /// A fresh folder (`laurel-check-XXXX`): its name is new, so two runs
    /// never share one.
    pub fn new() -> anyhow::Result<Scratch> {
        let dir = tempfile::Builder::new()
            .prefix("laurel-check-")
            .tempdir()
            .with_context(|| {
                format!(
                    "cannot create a temporary folder in {}",
                    std::env::temp_dir().display()
                )
            })?;
        Ok(Scratch {
            tree: Tree::new(dir.path()),
            _dir: dir,
        })
    }

    pub fn path(&self) -> &Path {
        self.tree.root()
    }

    /// Writes `rel` (a rendered output path, `/`-separated) below the folder.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> anyhow::Result<()> {
        let (dest, _) = self.tree.prepare(&safe_relative(rel)?, Links::Refuse)?;
        std::fs::write(&dest, bytes).with_context(|| format!("cannot write {}", dest.display()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scratch_refuses_paths_that_leave_it() {
        let dir = Scratch::new().expect("temp dir");
        for bad in ["../x.html", "/etc/x.html", "a//b.html", "a/./b.html"] {
            assert!(dir.write(bad, b"x").is_err(), "{bad} was written");
        }
        dir.write("a/b/index.html", b"x").expect("a normal path");
        let path = dir.path().to_path_buf();
        assert!(path.join("a/b/index.html").is_file());
        drop(dir);
        assert!(!path.exists(), "the folder is removed when dropped");
    }

    #[cfg(unix)]
    #[test]
    fn scratch_never_writes_through_a_symlink() {
        let outside = tempfile::tempdir().unwrap();
        let dir = Scratch::new().expect("temp dir");
        std::os::unix::fs::symlink(outside.path(), dir.path().join("diary")).unwrap();
        assert!(dir.write("diary/a/index.html", b"x").is_err());
        assert!(std::fs::read_dir(outside.path()).unwrap().next().is_none());
    }
}
