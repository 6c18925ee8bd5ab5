//! A whole build of a tiny site (site.yaml, one person, one linked page)
//! whose entry and profile are arbitrary bytes: the build succeeds with a
//! complete site inside its output folder, or fails with problems located in
//! the content and writes nothing. Never a panic, never an I/O error.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::DateTime;
use laurel::{BuildError, BuildFlags};
use libfuzzer_sys::fuzz_target;

static RUN: AtomicU64 = AtomicU64::new(0);

const SITE: &str = "title: 武汉日记\nbase_url: https://example.org/column/\nlanguage: zh-CN\n";
const PAGE: &str = "---\ntitle: 关于\n---\n见[吴洋](/people/wu-yang/)与[日记](/diary/)。\n";

// The input: one byte of flags, the entry's bytes, 0xFF (never in UTF-8),
// the profile's bytes. Seeds are easy to write by hand (corpus/site/).
fuzz_target!(|data: &[u8]| {
    let (flags, rest) = data.split_first().unwrap_or((&0, &[]));
    let (entry, person) = match rest.iter().position(|&b| b == 0xFF) {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (rest, &b"name: \xe5\x90\xb4\xe6\xb4\x8b\n"[..]),
    };
    let flags = *flags;
    let n = RUN.fetch_add(1, Ordering::Relaxed);
    let root = std::env::temp_dir().join(format!("laurel-fuzz-site-{}-{n}", std::process::id()));
    let write = |rel: &str, bytes: &[u8]| {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    };
    write("site.yaml", SITE.as_bytes());
    write("content/pages/about.md", PAGE.as_bytes());
    write("content/diary/2020-02-10-fuzz.md", entry);
    write("content/people/wu-yang.yaml", person);
    let flags = BuildFlags {
        drafts: flags & 1 != 0,
        future: flags & 2 != 0,
        ..BuildFlags::default()
    };
    let now = DateTime::parse_from_rfc3339("2026-01-01T00:00:00+08:00").unwrap();
    let public = root.join("public");
    match laurel::build(&root, &flags, now) {
        Ok(_) => {
            assert!(public.join("index.html").is_file(), "no index page");
            assert!(public.join("rss.xml").is_file(), "no feed");
            for f in files(&public) {
                assert!(f.starts_with(&public), "{} is outside public/", f.display());
            }
        }
        Err(BuildError::Content(errors)) => {
            assert!(!errors.is_empty());
            for e in &errors {
                assert!(
                    e.path.starts_with("content") || e.path == Path::new("site.yaml"),
                    "unlocated: {e:?}"
                );
            }
            assert!(!public.exists(), "a failed build wrote public/");
        }
        Err(e) => panic!("not a content problem: {e}"),
    }
    // Nothing but the inputs, the output and laurel's own lock/state files.
    for name in std::fs::read_dir(&root).unwrap() {
        let name = name.unwrap().file_name().to_string_lossy().into_owned();
        assert!(
            matches!(name.as_str(), "site.yaml" | "content" | "public")
                || name.starts_with(".public.laurel-"),
            "left behind: {name}"
        );
    }
    std::fs::remove_dir_all(&root).unwrap();
});

/// Every file and folder under `dir`, without following symlinks.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        let t = e.file_type().unwrap();
        assert!(
            !t.is_symlink(),
            "symlink in the output: {}",
            e.path().display()
        );
        if t.is_dir() {
            out.extend(files(&e.path()));
        }
        out.push(e.path());
    }
    out
}
