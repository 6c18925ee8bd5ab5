//! The path rules every writer of [`crate::output`] follows, in one place:
//! an output path is a plain relative path ([`safe_relative`]), and every
//! folder between the root of a tree (the output folder, a staging folder, a
//! scratch folder) and a file is a real folder, never a symlink
//! ([`Tree`]). A link inside the output folder is never followed: it is
//! replaced as a link, or the write is refused.

use std::collections::HashSet;
use std::fs;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::sync::RwLock;

use anyhow::{Context as _, bail};

/// `a/b/index.html` → a safe relative path, or an error for anything that
/// could leave the output folder.
pub fn safe_relative(path: &str) -> anyhow::Result<PathBuf> {
    let mut out = PathBuf::new();
    for seg in path.split('/') {
        if seg.is_empty()
            || seg == "."
            || seg == ".."
            || seg.contains(['\\', '\0'])
            || seg.contains(':') && cfg!(windows)
        {
            bail!("refusing to write unsafe output path `{path}`");
        }
        out.push(seg);
    }
    if out.as_os_str().is_empty() {
        bail!("empty output path");
    }
    Ok(out)
}

/// What to do with a symlink found where a folder of the tree belongs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Links {
    /// Refuse the write (folders laurel made itself, where no link belongs).
    Refuse,
    /// Remove the link itself (never what it points to) and make a real
    /// folder in its place (the live output folder, where people make links).
    Replace,
}

/// A folder laurel writes below, with the folders below it already known to
/// be real folders (so each costs one `mkdir` or `lstat` per tree, not one
/// per file).
pub struct Tree {
    root: PathBuf,
    /// Relative paths of folders checked (or made) to be real folders.
    real_dirs: RwLock<HashSet<PathBuf>>,
}

impl Tree {
    pub fn new(root: &Path) -> Tree {
        Tree {
            root: root.to_path_buf(),
            real_dirs: RwLock::default(),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Forgets what was checked: someone may have changed the folders since.
    pub fn forget(&self) {
        self.real_dirs
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }

    fn is_known(&self, rel: &Path) -> bool {
        self.real_dirs
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .contains(rel)
    }

    fn know(&self, rel: &Path) {
        self.real_dirs
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .insert(rel.to_path_buf());
    }

    /// Where to write `rel`: its absolute path, once every folder above it
    /// is a real folder below the root (missing ones are made). Returns
    /// whether a symlink had to be replaced on the way.
    pub fn prepare(&self, rel: &Path, links: Links) -> anyhow::Result<(PathBuf, bool)> {
        let mut replaced = false;
        let mut dir = PathBuf::new();
        let parents: Vec<_> = rel.parent().into_iter().flat_map(|p| p.iter()).collect();
        for part in parents {
            dir.push(part);
            if self.is_known(&dir) {
                continue;
            }
            let abs = self.root.join(&dir);
            // `mkdir` first: it never follows a link, and in a fresh tree it
            // is the only call needed.
            match fs::create_dir(&abs) {
                Ok(()) => {}
                Err(e) if e.kind() == ErrorKind::AlreadyExists => {
                    let md = fs::symlink_metadata(&abs)
                        .with_context(|| format!("cannot read {}", abs.display()))?;
                    if md.is_symlink() {
                        if links == Links::Refuse {
                            bail!(
                                "{} is a symlink; laurel never writes through links inside its output",
                                abs.display()
                            );
                        }
                        remove_link(&abs)?;
                        fs::create_dir(&abs)
                            .with_context(|| format!("cannot create {}", abs.display()))?;
                        replaced = true;
                    } else if !md.is_dir() {
                        bail!(
                            "{} is a file where laurel needs a folder; remove it",
                            abs.display()
                        );
                    }
                }
                Err(e) => {
                    return Err(e).with_context(|| format!("cannot create {}", abs.display()));
                }
            }
            self.know(&dir);
        }
        Ok((self.root.join(rel), replaced))
    }

    /// Whether every folder above `rel` is a real folder (no link, no file).
    pub fn has_real_parents(&self, rel: &Path) -> bool {
        let mut dir = PathBuf::new();
        let parents: Vec<_> = rel.parent().into_iter().flat_map(|p| p.iter()).collect();
        for part in parents {
            dir.push(part);
            if self.is_known(&dir) {
                continue;
            }
            match fs::symlink_metadata(self.root.join(&dir)) {
                Ok(md) if md.is_dir() => self.know(&dir),
                _ => return false,
            }
        }
        true
    }

    /// The metadata of `rel` when it is a regular file reached through real
    /// folders only: what may be read, linked or copied from an old site.
    pub fn real_file(&self, rel: &Path) -> Option<fs::Metadata> {
        if !self.has_real_parents(rel) {
            return None;
        }
        fs::symlink_metadata(self.root.join(rel))
            .ok()
            .filter(|md| md.is_file())
    }
}

/// Removes a symlink itself, never what it points to.
fn remove_link(path: &Path) -> anyhow::Result<()> {
    // `remove_file` unlinks the link on Unix; on Windows a link to a folder
    // is removed with `remove_dir`, which does not follow it either.
    fs::remove_file(path)
        .or_else(|_| fs::remove_dir(path))
        .with_context(|| format!("cannot remove the link {}", path.display()))
}

/// The temporary name a file is written to before it is renamed over `dest`.
pub fn temp_name(dest: &Path) -> PathBuf {
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    dest.with_file_name(format!(".{name}{TEMP_SUFFIX}"))
}

/// How laurel's temporary files end (`.index.html.laurel-tmp`).
pub const TEMP_SUFFIX: &str = ".laurel-tmp";

/// Writes `bytes` to a temporary name beside `dest` and renames it over
/// `dest`: a reader never sees half a file, and a symlink at `dest` is
/// replaced, never followed.
pub fn write_replacing(dest: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let tmp = temp_name(dest);
    fs::write(&tmp, bytes).with_context(|| format!("cannot write {}", tmp.display()))?;
    fs::rename(&tmp, dest).with_context(|| format!("cannot write {}", dest.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_paths_are_refused() {
        for p in [
            "../x",
            "a/../../x",
            "/etc/passwd",
            "a//b",
            "",
            "a/./b",
            "a\\..\\b",
        ] {
            assert!(safe_relative(p).is_err(), "{p}");
        }
        assert_eq!(
            safe_relative("diary/a/index.html").unwrap(),
            PathBuf::from("diary/a/index.html")
        );
    }

    #[cfg(unix)]
    #[test]
    fn links_inside_a_tree_are_never_followed() {
        let dir = tempfile::tempdir().unwrap();
        let (root, outside) = (dir.path().join("out"), dir.path().join("outside"));
        fs::create_dir_all(&root).unwrap();
        fs::create_dir_all(&outside).unwrap();
        fs::write(outside.join("secret"), "x").unwrap();
        std::os::unix::fs::symlink(&outside, root.join("diary")).unwrap();

        let tree = Tree::new(&root);
        let rel = Path::new("diary/secret");
        assert!(tree.real_file(rel).is_none(), "read through a link");
        assert!(tree.prepare(rel, Links::Refuse).is_err());
        assert!(root.join("diary").is_symlink());

        let (dest, replaced) = tree.prepare(rel, Links::Replace).unwrap();
        assert!(replaced);
        write_replacing(&dest, b"new").unwrap();
        assert_eq!(fs::read(outside.join("secret")).unwrap(), b"x");
        assert!(tree.real_file(rel).is_some());
    }
}
