//! Which folders laurel may write and replace. The output folder can never
//! be the site root, hold the site, or sit inside a source folder (compared
//! after resolving symlinks on both sides, and as written). And laurel
//! replaces a folder only when everything in it is its own: files recorded
//! in the manifest of the marker file. Anything else is foreign, and a
//! foreign file is never deleted.

use std::collections::HashSet;
use std::fs;
use std::path::{Component, Path, PathBuf};

use anyhow::{Context as _, bail};

use super::MARKER;
use super::manifest::Manifest;
use super::paths::TEMP_SUFFIX;
use crate::diag::Msg;

/// A folder laurel refuses to write: a usage error (exit 2), not a failure.
#[derive(Debug)]
pub struct Refused(pub Msg);

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.en)
    }
}

impl std::error::Error for Refused {}

/// The site's folders that the output may never be inside.
const SOURCES: [&str; 4] = ["content", "static", "templates", "themes"];

/// Refuses output folders that would destroy the site: the root itself, a
/// folder holding the root, or one inside one of the site's source folders.
pub fn check_output_dir(root: &Path, output: &Path) -> Result<(), Msg> {
    // Resolved (symlinks followed) and as written: content/ may be a link
    // to elsewhere, and a link below it may lead elsewhere again.
    let resolved = (normalize(root), normalize(output));
    let written = (lexical(root), lexical(output));
    for (root, out) in [&resolved, &written] {
        if out == root {
            return Err(Msg::new(
                format!("the output folder {} is the site root", output.display()),
                format!("输出文件夹 {} 就是网站根目录", output.display()),
            ));
        }
        if root.starts_with(out) {
            return Err(Msg::new(
                format!("the output folder {} contains the site", output.display()),
                format!("输出文件夹 {} 包含了网站本身", output.display()),
            ));
        }
    }
    for sub in SOURCES {
        let inside = [
            (normalize(&root.join(sub)), &resolved.1),
            (resolved.0.join(sub), &resolved.1),
            (written.0.join(sub), &written.1),
        ]
        .iter()
        .any(|(source, out)| out.starts_with(source));
        if inside {
            return Err(Msg::new(
                format!(
                    "the output folder {} is inside the site's {sub}/ folder",
                    output.display()
                ),
                format!("输出文件夹 {} 位于网站的 {sub}/ 文件夹内", output.display()),
            ));
        }
    }
    if resolved.1.parent().is_none() {
        return Err(Msg::new(
            "the output folder cannot be the file system root",
            "输出文件夹不能是文件系统的根目录",
        ));
    }
    Ok(())
}

/// Refuses a file to export into that belongs to the site: `site.yaml`, or
/// anything inside one of its source folders (compared after resolving
/// symlinks, and as written).
pub fn check_export_file(root: &Path, file: &Path) -> Result<(), Msg> {
    let resolved = (normalize(root), normalize(file));
    let written = (lexical(root), lexical(file));
    for (root, out) in [&resolved, &written] {
        if *out == root.join(crate::config::CONFIG_FILE) || root.starts_with(out) {
            return Err(Msg::new(
                format!("{} is the site's own", file.display()),
                format!("{} 是网站自己的文件", file.display()),
            ));
        }
        for sub in SOURCES {
            if out.starts_with(root.join(sub)) {
                return Err(Msg::new(
                    format!("{} is inside the site's {sub}/ folder", file.display()),
                    format!("{} 位于网站的 {sub}/ 文件夹内", file.display()),
                ));
            }
        }
    }
    Ok(())
}

/// Absolute, with `.` and `..` resolved lexically (no symlink followed).
fn lexical(p: &Path) -> PathBuf {
    let abs = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let mut clean = PathBuf::new();
    for c in abs.components() {
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

/// Resolves `.` and `..` and follows the symlinks of the existing part.
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
    lexical(&out)
}

/// Refuses, before anything is written, an output folder that is not a
/// folder, or holds files and no marker (it was never laurel's).
pub fn refuse_unowned(output: &Path) -> anyhow::Result<()> {
    // The output folder itself may be a link (public -> /var/www/site): a
    // swap replaces the link, never what it points to.
    let Ok(md) = fs::metadata(output) else {
        if let Ok(link) = fs::read_link(output) {
            // A link to nowhere: a swap would replace the link, and the
            // site would never reach where the link was meant to lead.
            return Err(Refused(Msg::new(
                format!(
                    "the output folder {} is a symlink to {}, which does not exist; create that folder, or remove the link",
                    output.display(),
                    link.display()
                ),
                format!(
                    "输出文件夹 {} 是指向 {} 的符号链接，而那里并不存在；请创建那个文件夹，或删除这个链接",
                    output.display(),
                    link.display()
                ),
            ))
            .into());
        }
        return Ok(());
    };
    if !md.is_dir() {
        bail!(
            "{} exists and is not a folder; refusing to replace it",
            output.display()
        );
    }
    let is_ours = output.join(MARKER).exists();
    let is_empty = fs::read_dir(output)
        .map(|mut d| d.next().is_none())
        .unwrap_or(false);
    if !is_ours && !is_empty {
        bail!(
            "{} exists and was not written by laurel; refusing to replace it (remove it or choose another --output)",
            output.display()
        );
    }
    Ok(())
}

/// Files below `output` that laurel did not write: neither the marker, nor
/// recorded in its manifest, nor one of laurel's temporary files. A symlink
/// where the manifest has a file or a folder is laurel's place (the link is
/// replaced, never followed); anywhere else it is foreign.
#[cfg(test)]
pub fn foreign_files(output: &Path, manifest: Option<&Manifest>) -> anyhow::Result<Vec<String>> {
    Ok(list(output, manifest)?.foreign)
}

/// What is in an output folder besides laurel's recorded files.
struct Listing {
    /// Files laurel did not write, sorted.
    foreign: Vec<String>,
    /// laurel's own temporary files (`.x.laurel-tmp`) left by a killed watch.
    leftovers: Vec<PathBuf>,
}

fn list(output: &Path, manifest: Option<&Manifest>) -> anyhow::Result<Listing> {
    let files: HashSet<&str> = manifest
        .map(|m| m.files.keys().map(String::as_str).collect())
        .unwrap_or_default();
    let folders: HashSet<&str> = files
        .iter()
        .flat_map(|p| p.match_indices('/').map(|(i, _)| &p[..i]))
        .collect();
    let mut foreign = Vec::new();
    let mut leftovers = Vec::new();
    let walk = walkdir::WalkDir::new(output)
        .min_depth(1)
        .follow_links(false);
    for item in walk {
        let item = item.with_context(|| format!("cannot list {}", output.display()))?;
        let ty = item.file_type();
        if ty.is_dir() {
            continue;
        }
        let rel = item.path().strip_prefix(output).unwrap_or(item.path());
        let rel = rel.to_string_lossy().replace('\\', "/");
        if ty.is_file() && rel.ends_with(TEMP_SUFFIX) {
            leftovers.push(item.path().to_path_buf());
            continue;
        }
        let ours = rel == MARKER
            || files.contains(rel.as_str())
            || ty.is_symlink() && folders.contains(rel.as_str());
        if !ours {
            foreign.push(rel);
        }
    }
    // Sorted once here, not per folder while walking (most builds find none).
    foreign.sort();
    Ok(Listing { foreign, leftovers })
}

/// Refuses to replace or update `output` while it holds foreign files.
/// Returns laurel's own leftover temporary files, which may be removed.
pub fn refuse_foreign(output: &Path, manifest: Option<&Manifest>) -> anyhow::Result<Vec<PathBuf>> {
    let Listing { foreign, leftovers } = list(output, manifest)?;
    if foreign.is_empty() {
        return Ok(leftovers);
    }
    const SHOWN: usize = 5;
    let mut names = foreign[..foreign.len().min(SHOWN)].join(", ");
    if foreign.len() > SHOWN {
        names.push_str(&format!(" and {} more", foreign.len() - SHOWN));
    }
    let en = format!(
        "{} holds {} laurel did not write ({names}); refusing to replace it: move {} away or choose another --output (a file to publish with the site belongs in static/)",
        output.display(),
        if foreign.len() == 1 {
            "a file".to_string()
        } else {
            format!("{} files", foreign.len())
        },
        if foreign.len() == 1 { "it" } else { "them" },
    );
    let zh_names = {
        let mut n = foreign[..foreign.len().min(SHOWN)].join("、");
        if foreign.len() > SHOWN {
            n.push_str(&format!(" 等另外 {} 个", foreign.len() - SHOWN));
        }
        n
    };
    let zh = format!(
        "{} 里有 {} 个不是 laurel 写入的文件（{zh_names}），不予替换：请把它们移走，或换一个 --output（要随网站发布的文件请放进 static/）",
        output.display(),
        foreign.len()
    );
    Err(Refused(Msg::new(en, zh)).into())
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[cfg(unix)]
    #[test]
    fn source_folders_are_compared_after_resolving_links() {
        let dir = tempfile::tempdir().unwrap();
        let (root, real) = (dir.path().join("site"), dir.path().join("real"));
        fs::create_dir_all(&root).unwrap();
        fs::create_dir_all(real.join("diary")).unwrap();
        std::os::unix::fs::symlink(&real, root.join("content")).unwrap();
        for out in [
            root.join("content/pub"),
            real.join("pub"),
            real.join("diary/pub"),
        ] {
            let err = check_output_dir(&root, &out).unwrap_err();
            assert!(
                err.en.contains("inside the site's content/ folder"),
                "{err}"
            );
        }
        assert!(check_output_dir(&root, &root.join("public")).is_ok());
    }

    #[test]
    fn foreign_files_are_those_the_manifest_does_not_record() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        for rel in ["index.html", "diary/a/index.html", "README.txt", "x/y.txt"] {
            let p = out.join(rel);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, "x").unwrap();
        }
        fs::write(out.join(MARKER), "m").unwrap();
        fs::write(out.join(".index.html.laurel-tmp"), "t").unwrap();
        let mut m = Manifest::default();
        for rel in ["index.html", "diary/a/index.html"] {
            m.files.insert(rel.into(), Default::default());
        }
        assert_eq!(
            foreign_files(out, Some(&m)).unwrap(),
            ["README.txt", "x/y.txt"]
        );
        fs::remove_file(out.join("README.txt")).unwrap();
        fs::remove_file(out.join("x/y.txt")).unwrap();
        assert_eq!(
            refuse_foreign(out, Some(&m)).unwrap(),
            [out.join(".index.html.laurel-tmp")]
        );
        fs::write(out.join("README.txt"), "x").unwrap();
        fs::write(out.join("x/y.txt"), "x").unwrap();
        let err = refuse_foreign(out, Some(&m)).unwrap_err();
        assert!(err.is::<Refused>());
        assert!(
            err.to_string()
                .contains("holds 2 files laurel did not write (README.txt, x/y.txt)"),
            "{err}"
        );
        assert_eq!(
            foreign_files(out, None).unwrap(),
            ["README.txt", "diary/a/index.html", "index.html", "x/y.txt"]
        );
    }
}
