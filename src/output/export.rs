//! The writer of `laurel export ... -o FILE`: one file the user named,
//! written whole or not at all (a temporary file beside it, renamed over
//! it), never into the site's source folders or over `site.yaml`, never
//! over a folder, and never through a symlink at the file itself (the link
//! is refused, not followed or replaced).

use std::io::Write as _;
use std::path::Path;

use anyhow::Context as _;

use super::guard::{Refused, check_export_file};
use crate::diag::Msg;

/// Writes `bytes` to `dest` for the site at `root` (absolute).
pub fn export_file(root: &Path, dest: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let refuse = |en: String, zh: String| anyhow::Error::new(Refused(Msg::new(en, zh)));
    let shown = dest.display();
    if dest.as_os_str().is_empty() || dest.file_name().is_none() {
        return Err(refuse(
            format!("`{shown}` is not a file name; name the file to write with -o"),
            format!("`{shown}` 不是文件名；请用 -o 指定要写入的文件"),
        ));
    }
    check_export_file(root, dest).map_err(|m| {
        refuse(
            format!("{}; choose another -o", m.en),
            format!("{}；请换一个 -o", m.zh),
        )
    })?;
    match std::fs::symlink_metadata(dest) {
        Ok(md) if md.file_type().is_symlink() => {
            return Err(refuse(
                format!(
                    "{shown} is a symlink; laurel does not write through links: remove it or choose another -o"
                ),
                format!("{shown} 是符号链接，laurel 不会透过链接写入：请删除它，或换一个 -o"),
            ));
        }
        Ok(md) if md.is_dir() => {
            let example = dest.join("export.html");
            return Err(refuse(
                format!(
                    "{shown} is a folder; name the file to write, e.g. -o {}",
                    example.display()
                ),
                format!(
                    "{shown} 是文件夹；请指定要写入的文件，例如 -o {}",
                    example.display()
                ),
            ));
        }
        _ => {}
    }
    let parent = match dest.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    if !parent.is_dir() {
        return Err(refuse(
            format!(
                "the folder {} does not exist; create it first",
                parent.display()
            ),
            format!("文件夹 {} 不存在；请先创建它", parent.display()),
        ));
    }
    let mut tmp = tempfile::Builder::new()
        .prefix(".laurel-export-")
        .tempfile_in(&parent)
        .with_context(|| format!("cannot create a file in {}", parent.display()))?;
    tmp.write_all(bytes)
        .and_then(|()| tmp.as_file().sync_all())
        .with_context(|| format!("cannot write {shown}"))?;
    // rename(2) replaces a link at `dest` rather than follow it: one made
    // since the check above is not written through either.
    tmp.persist(dest)
        .map_err(|e| anyhow::Error::new(e.error))
        .with_context(|| format!("cannot write {shown}"))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_whole_files_outside_the_sources_only() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content/diary")).unwrap();
        let out = root.join("book.html");
        export_file(root, &out, b"one").unwrap();
        export_file(root, &out, b"two").unwrap();
        assert_eq!(std::fs::read(&out).unwrap(), b"two");
        for bad in [
            "content/x.html",
            "content/diary",
            "site.yaml",
            "static/a.html",
        ] {
            assert!(export_file(root, &root.join(bad), b"x").is_err(), "{bad}");
        }
        assert!(export_file(root, &root.join("missing/x.html"), b"x").is_err());
        let names: Vec<_> = std::fs::read_dir(root)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 2, "no temporary file left: {names:?}");
    }

    #[cfg(unix)]
    #[test]
    fn refuses_a_symlink_at_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("target.txt");
        std::fs::write(&target, b"keep").unwrap();
        let link = dir.path().join("out.html");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let site = dir.path().join("site");
        std::fs::create_dir(&site).unwrap();
        assert!(export_file(&site, &link, b"x").is_err());
        assert_eq!(std::fs::read(&target).unwrap(), b"keep");
    }
}
