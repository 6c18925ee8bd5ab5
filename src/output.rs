//! The only writer to disk. A build renders into a staging folder beside the
//! output folder and swaps it in only when everything succeeded, so a failed
//! build leaves the previous site exactly as it was. Paths are checked so that
//! nothing is ever written outside the staging folder.

use std::fs;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{Context as _, bail};

use crate::render::{Body, OutputFile, Sink, StaticSource, theme::DefaultTheme};

/// Marker file that tells laurel an output folder is its own to replace.
pub const MARKER: &str = ".laurel-output";

/// Refuses output folders that would destroy the site: the root itself, a
/// folder holding the root, or one of the site's source folders.
pub fn check_output_dir(root: &Path, output: &Path) -> Result<(), String> {
    let root = normalize(root);
    let out = normalize(output);
    if out == root {
        return Err(format!(
            "the output folder {} is the site root",
            output.display()
        ));
    }
    if root.starts_with(&out) {
        return Err(format!(
            "the output folder {} contains the site",
            output.display()
        ));
    }
    for sub in ["content", "static", "templates", "themes"] {
        if out.starts_with(root.join(sub)) {
            return Err(format!(
                "the output folder {} is inside the site's {sub}/ folder",
                output.display()
            ));
        }
    }
    if out.parent().is_none() {
        return Err("the output folder cannot be the file system root".into());
    }
    Ok(())
}

/// Resolves `.` and `..` lexically and follows symlinks of the existing part.
fn normalize(p: &Path) -> PathBuf {
    let abs = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    // Canonicalize the longest existing ancestor so symlinked folders compare equal.
    let mut existing = abs.clone();
    let mut tail = Vec::new();
    while !existing.exists() {
        match (existing.file_name(), existing.parent()) {
            (Some(n), Some(parent)) => {
                tail.push(n.to_os_string());
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut out = fs::canonicalize(&existing).unwrap_or(existing);
    for n in tail.into_iter().rev() {
        out.push(n);
    }
    let mut clean = PathBuf::new();
    for c in out.components() {
        match c {
            Component::ParentDir => {
                clean.pop();
            }
            Component::CurDir => {}
            other => clean.push(other),
        }
    }
    clean
}

/// A staging folder that receives a whole build before it goes live.
pub struct Staging {
    dir: PathBuf,
    output: PathBuf,
    files: AtomicUsize,
}

fn sibling(output: &Path, tag: &str) -> PathBuf {
    let name = output
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    output.with_file_name(format!(".{name}.laurel-{tag}"))
}

impl Staging {
    /// Prepares a fresh staging folder next to `output`, after recovering from
    /// any build that was interrupted before (a crash between the two renames
    /// of a swap leaves the old site in `.<name>.laurel-old`).
    pub fn new(output: &Path) -> anyhow::Result<Staging> {
        let parent = output.parent().context("output folder has no parent")?;
        fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
        let old = sibling(output, "old");
        if old.exists() {
            if output.exists() {
                fs::remove_dir_all(&old)
                    .with_context(|| format!("cannot remove {}", old.display()))?;
            } else {
                fs::rename(&old, output)
                    .with_context(|| format!("cannot restore {}", old.display()))?;
            }
        }
        if output.exists() {
            let is_ours = output.join(MARKER).exists();
            let is_empty = fs::read_dir(output)
                .map(|mut d| d.next().is_none())
                .unwrap_or(false);
            if !output.is_dir() {
                bail!(
                    "{} exists and is not a folder; refusing to replace it",
                    output.display()
                );
            }
            if !is_ours && !is_empty {
                bail!(
                    "{} exists and was not written by laurel; refusing to replace it (remove it or choose another --output)",
                    output.display()
                );
            }
        }
        let dir = sibling(output, "staging");
        if dir.exists() {
            fs::remove_dir_all(&dir)
                .with_context(|| format!("cannot remove stale {}", dir.display()))?;
        }
        fs::create_dir(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
        fs::write(
            dir.join(MARKER),
            "This folder is generated by laurel and replaced on every build.\n",
        )
        .with_context(|| format!("cannot write in {}", dir.display()))?;
        Ok(Staging {
            dir,
            output: output.to_path_buf(),
            files: AtomicUsize::new(0),
        })
    }

    /// Number of files written so far.
    pub fn files(&self) -> usize {
        self.files.load(Ordering::Relaxed)
    }

    /// Puts the staged site in place of the output folder.
    pub fn commit(self) -> anyhow::Result<()> {
        let old = sibling(&self.output, "old");
        let had_old = self.output.exists();
        if had_old {
            fs::rename(&self.output, &old)
                .with_context(|| format!("cannot move {} aside", self.output.display()))?;
        }
        if let Err(e) = fs::rename(&self.dir, &self.output) {
            if had_old {
                let _ = fs::rename(&old, &self.output);
            }
            return Err(anyhow::Error::new(e).context(format!(
                "cannot move the new site to {}",
                self.output.display()
            )));
        }
        if had_old {
            fs::remove_dir_all(&old).with_context(|| format!("cannot remove {}", old.display()))?;
        }
        Ok(())
    }

    /// Throws the staged files away (the build failed).
    pub fn abandon(self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

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

impl Sink for Staging {
    fn put(&self, file: OutputFile) -> anyhow::Result<()> {
        let dest = self.dir.join(safe_relative(&file.path)?);
        if let Some(parent) = dest.parent() {
            fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        match file.body {
            Body::Bytes(b) => {
                fs::write(&dest, b).with_context(|| format!("cannot write {}", dest.display()))?
            }
            Body::Static(StaticSource::Disk(src)) => {
                fs::copy(&src, &dest).with_context(|| {
                    format!("cannot copy {} to {}", src.display(), dest.display())
                })?;
            }
            Body::Static(StaticSource::Embedded(name)) => {
                let data = DefaultTheme::get(&name)
                    .with_context(|| format!("embedded file {name} missing"))?;
                fs::write(&dest, data.data.as_ref())
                    .with_context(|| format!("cannot write {}", dest.display()))?;
            }
        }
        self.files.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }
}

/// Reads the bytes of a body (for in-memory sinks).
pub fn body_bytes(body: &Body) -> anyhow::Result<Vec<u8>> {
    Ok(match body {
        Body::Bytes(b) => b.clone(),
        Body::Static(StaticSource::Disk(p)) => {
            fs::read(p).with_context(|| format!("cannot read {}", p.display()))?
        }
        Body::Static(StaticSource::Embedded(name)) => DefaultTheme::get(name)
            .with_context(|| format!("embedded file {name} missing"))?
            .data
            .into_owned(),
    })
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

    #[test]
    fn output_folder_guards() {
        let root = Path::new("/tmp/laurel-site");
        assert!(check_output_dir(root, root).is_err());
        assert!(check_output_dir(root, &root.join("content")).is_err());
        assert!(check_output_dir(root, &root.join("content/x")).is_err());
        assert!(check_output_dir(root, Path::new("/tmp")).is_err());
        assert!(check_output_dir(root, &root.join("public/..")).is_err());
        assert!(check_output_dir(root, &root.join("public")).is_ok());
        assert!(check_output_dir(root, Path::new("/tmp/elsewhere")).is_ok());
    }
}
