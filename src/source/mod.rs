//! Loading: disk → plain data. This module walks `content/` and reads
//! `site.yaml`'s siblings into [`EntrySource`], [`PersonSource`] and
//! [`PageSource`] values, with every problem collected as a located
//! [`SourceError`]. It does not cross-check files against each other (that is
//! [`crate::site`]) and renders nothing but each file's own Markdown.

pub mod date;
pub mod entry;
pub mod frontmatter;
mod names;
pub mod page;
pub mod person;

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diag::SourceError;
use crate::hash::Stamp;
use crate::markdown::InFile;

pub use entry::EntrySource;
pub use names::is_left_out;
use names::{hidden_left_out, in_static_folder, is_ignored_name, is_unexpected_hidden};
pub use page::PageSource;
pub use person::PersonSource;

/// Everything read from disk, before cross-checking.
#[derive(Debug, Default)]
pub struct Loaded {
    pub entries: Vec<Arc<EntrySource>>,
    pub people: Vec<Arc<PersonSource>>,
    pub pages: Vec<Arc<PageSource>>,
    pub errors: Vec<SourceError>,
    pub warnings: Vec<SourceError>,
    /// Ids of profiles that exist but failed to load: entries naming them
    /// are not reported again as "unknown person".
    pub failed_people: Vec<String>,
}

/// The folders content is loaded from (entries, profiles, pages), each
/// walked from its own root, which is followed when it is a link.
pub const CONTENT_FOLDERS: [&str; 3] = ["content/diary", "content/people", "content/pages"];

/// A file found under the site root: its path relative to the root (what users
/// see in messages) and its absolute path.
#[derive(Debug, Clone)]
pub struct FoundFile {
    pub rel: PathBuf,
    pub abs: PathBuf,
}

/// Lists regular files below `root/sub` with one of `exts` (sorted, so every
/// later phase sees them in one order). `root/sub` itself is followed when it
/// is a link; symlinks below it are followed only while they stay inside
/// `root`, others are skipped with a warning. What [`is_left_out`] leaves
/// out is skipped, a folder with everything in it; in a static folder, a
/// hidden file left out is named in a warning.
pub fn find_files(
    root: &Path,
    sub: &str,
    exts: &[&str],
    warnings: &mut Vec<SourceError>,
) -> Vec<FoundFile> {
    let dir = root.join(sub);
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut files = Vec::new();
    // Problems met on the way, sorted with the files below.
    let mut found: Vec<SourceError> = Vec::new();
    // The walk is in the folders' own order, sorted once at the end: sorting
    // each folder's names as it is read costs more at 100k files.
    let mut left_out: Vec<PathBuf> = Vec::new();
    let walker = WalkDir::new(&dir)
        .follow_links(false)
        .into_iter()
        .filter_entry(|e| {
            // The name alone clears almost every entry; only an ignored
            // one needs its path (a static folder keeps a few).
            if e.depth() == 0 || !is_ignored_name(&e.file_name().to_string_lossy()) {
                return true;
            }
            let rel = e.path().strip_prefix(root).unwrap_or(e.path());
            if !is_left_out(rel) {
                return true;
            }
            if !e.file_type().is_dir()
                && is_unexpected_hidden(&e.file_name().to_string_lossy())
                && in_static_folder(rel)
            {
                left_out.push(rel.to_path_buf());
            }
            false
        });
    for item in walker {
        let item = match item {
            Ok(i) => i,
            Err(e) => {
                let path = e.path().unwrap_or(&dir);
                let path = path.strip_prefix(root).unwrap_or(path).to_path_buf();
                found.push(
                    SourceError::file(path, format!("cannot read: {e}"))
                        .zh(format!("无法读取：{e}")),
                );
                continue;
            }
        };
        // The folder itself (followed when it is a link: a folder linked
        // there on purpose, like content/ kept elsewhere).
        if item.depth() == 0 {
            continue;
        }
        let abs = item.path().to_path_buf();
        let rel = abs.strip_prefix(root).unwrap_or(&abs).to_path_buf();
        if item.path_is_symlink() {
            if !link_leads_inside(root, &abs, &rel, &mut found) {
                continue;
            }
        } else if !item.file_type().is_file() {
            continue;
        }
        let has_ext = exts.is_empty()
            || abs
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| exts.iter().any(|x| x.eq_ignore_ascii_case(e)));
        if has_ext {
            files.push(FoundFile { rel, abs });
        }
    }
    found.extend(left_out.into_iter().map(hidden_left_out));
    files.sort_unstable_by(|a, b| tree_order(&a.rel, &b.rel));
    found.sort_by(|a, b| tree_order(&a.path, &b.path));
    warnings.extend(found);
    files
}

/// The order of a walk that visits each folder's names sorted byte by byte:
/// paths compared by their components, so `a/z.md` comes before `a.md`
/// (`a` < `a.md`). Only the first byte where the two differ is looked at,
/// a separator counting as less than any byte of a name.
fn tree_order(a: &Path, b: &Path) -> std::cmp::Ordering {
    let (a, b) = (
        a.as_os_str().as_encoded_bytes(),
        b.as_os_str().as_encoded_bytes(),
    );
    let same = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let rank = |s: &[u8]| {
        s.get(same).map(|&c| {
            if std::path::is_separator(c.into()) {
                0
            } else {
                u16::from(c) + 1
            }
        })
    };
    rank(a).cmp(&rank(b))
}

/// Whether the symlink `abs` (shown as `rel`) may be read as a file of the
/// site: it leads to a file inside `root`, both with every link resolved.
/// Otherwise a warning says why it is skipped (a link out of the site would
/// publish a file from elsewhere; a link to a folder would show its files
/// twice).
pub fn link_leads_inside(
    root: &Path,
    abs: &Path,
    rel: &Path,
    warnings: &mut Vec<SourceError>,
) -> bool {
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let (en, zh) = match std::fs::canonicalize(abs) {
        Ok(target) if target.starts_with(&root) => {
            if target.is_file() {
                return true;
            }
            (
                "symlink to a folder skipped",
                "指向文件夹的符号链接，已跳过",
            )
        }
        Ok(_) => (
            "symlink points outside the site; skipped",
            "符号链接指向站点之外，已跳过",
        ),
        Err(_) => ("broken symlink skipped", "符号链接指向的文件不存在，已跳过"),
    };
    warnings.push(SourceError::file(rel, en).zh(zh));
    false
}

/// Reads one file as text, or a located error.
pub fn read_text(file: &FoundFile) -> Result<String, SourceError> {
    let bytes = std::fs::read(&file.abs).map_err(|e| {
        SourceError::file(&file.rel, format!("cannot read file: {e}"))
            .zh(format!("无法读取文件：{e}"))
    })?;
    crate::text::decode_utf8(&bytes, &file.rel).map(Cow::into_owned)
}

/// The Chinese copy problems of the Markdown body of `rel` (an entry or a
/// page, below `root`), as warnings located in the file. Read again from
/// disk: only `laurel check` asks, so a build never pays for it.
pub fn lint_copy(root: &Path, rel: &Path) -> Vec<SourceError> {
    let file = FoundFile {
        rel: rel.to_path_buf(),
        abs: root.join(rel),
    };
    let Ok(text) = read_text(&file) else {
        return Vec::new();
    };
    let Ok(split) = frontmatter::split(&text, rel) else {
        return Vec::new();
    };
    in_file(crate::markdown::lint_copy(split.body), split.body_line, 0)
        .into_iter()
        .map(|p| SourceError::said_at(rel, p.line, p.col, p.message).hints(p.hint.en, p.hint.zh))
        .collect()
}

/// Links or removals of a document moved into the file that holds it: its
/// first line is `first_line` of the file, `indent` characters were
/// stripped from the start of each of its lines.
fn in_file<T: InFile>(found: Vec<T>, first_line: usize, indent: usize) -> Vec<T> {
    found
        .into_iter()
        .map(|f| f.in_file(first_line, indent))
        .collect()
}

/// Options that shape how sources are read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadOptions {
    pub timezone: chrono_tz::Tz,
    pub root_path: String,
    pub sanitize: bool,
    /// Straight quotes in text become Chinese quotation marks (zh-CN).
    pub chinese_quotes: bool,
}

impl LoadOptions {
    /// A title (or other one-line text: a motto, a summary) as the site
    /// shows it: with Chinese quotation marks when asked.
    pub fn title(&self, title: String) -> String {
        if self.chinese_quotes {
            match crate::markdown::Quotes::default().curl(&title) {
                std::borrow::Cow::Owned(curled) => curled,
                std::borrow::Cow::Borrowed(_) => title,
            }
        } else {
            title
        }
    }

    /// How Markdown of this site is rendered.
    pub fn markdown(&self) -> crate::markdown::MarkdownOptions<'_> {
        crate::markdown::MarkdownOptions {
            sanitize: self.sanitize,
            chinese_quotes: self.chinese_quotes,
            root: &self.root_path,
        }
    }

    /// The options `config` asks for.
    pub fn of(config: &crate::config::Config) -> LoadOptions {
        LoadOptions {
            timezone: config.timezone,
            root_path: config.root_path.clone(),
            sanitize: !config.unsafe_html,
            chinese_quotes: config.chinese_quotes,
        }
    }
}

type Cached<T> = (Stamp, Result<Arc<T>, Vec<SourceError>>);

/// Parsed files of the previous load, so `watch` re-reads only what changed.
/// A file is re-read when its stamp (size, modification time) differs or
/// when [`SourceCache::invalidate`] named it.
#[derive(Default)]
pub struct SourceCache {
    opts: Option<LoadOptions>,
    entries: HashMap<PathBuf, Cached<EntrySource>>,
    people: HashMap<PathBuf, Cached<PersonSource>>,
    pages: HashMap<PathBuf, Cached<PageSource>>,
}

impl SourceCache {
    /// Reads one entry file again, through the cache: the stamp it was read
    /// at and the result are remembered as a full load would. Errors are
    /// the caller's to report (a full load reports them again).
    pub fn reload_entry(
        &mut self,
        root: &Path,
        abs: &Path,
        opts: &LoadOptions,
    ) -> Option<Arc<EntrySource>> {
        if self.opts.as_ref() != Some(opts) {
            return None;
        }
        let rel = abs.strip_prefix(root).ok()?.to_path_buf();
        let stamp = Stamp::of(abs)?;
        stamp.has_time().then_some(())?;
        let file = FoundFile {
            rel,
            abs: abs.to_path_buf(),
        };
        let loaded = entry::load(&file, opts).map(Arc::new);
        // An entry with problems takes the full path, which reports them.
        let ok = loaded
            .as_ref()
            .ok()
            .filter(|e| e.problems.is_empty())
            .cloned();
        self.entries.insert(file.abs, (stamp, loaded));
        ok
    }

    /// Forgets one file (its next load reads it again).
    pub fn invalidate(&mut self, abs: &Path) {
        self.entries.remove(abs);
        self.people.remove(abs);
        self.pages.remove(abs);
    }

    /// Forgets everything.
    pub fn clear(&mut self) {
        *self = SourceCache::default();
    }
}

/// Loads every file of one kind, reusing cached results for unchanged files.
fn load_kind<T: Send + Sync>(
    files: &[FoundFile],
    cache: &mut HashMap<PathBuf, Cached<T>>,
    opts: &LoadOptions,
    loader: fn(&FoundFile, &LoadOptions) -> Result<T, Vec<SourceError>>,
) -> Vec<Result<Arc<T>, Vec<SourceError>>> {
    let known = &*cache;
    // Each read may wait on the disk: more of them in flight than cores.
    let results: Vec<Cached<T>> = crate::disk::run(|| {
        files
            .par_iter()
            .map(|f| {
                // Stamp before reading: an edit during the read makes the
                // next load see a different stamp and read again.
                let stamp = Stamp::of(&f.abs).unwrap_or_else(Stamp::unknown);
                match known.get(&f.abs) {
                    Some((s, r)) if *s == stamp && stamp.has_time() => (stamp, r.clone()),
                    _ => (stamp, loader(f, opts).map(Arc::new)),
                }
            })
            .collect()
    });
    let mut fresh: HashMap<PathBuf, Cached<T>> = HashMap::with_capacity(files.len());
    let mut out = Vec::with_capacity(files.len());
    for (f, (stamp, r)) in files.iter().zip(results) {
        fresh.insert(f.abs.clone(), (stamp, r.clone()));
        out.push(r);
    }
    // Files that disappeared drop out of the cache here.
    *cache = fresh;
    out
}

/// Loads every entry, profile and page under `root/content`, in parallel,
/// reusing and refreshing `cache`.
pub fn load_cached(root: &Path, opts: &LoadOptions, cache: &mut SourceCache) -> Loaded {
    if cache.opts.as_ref() != Some(opts) {
        cache.clear();
        cache.opts = Some(opts.clone());
    }
    let mut loaded = Loaded::default();
    let diary = find_files(
        root,
        CONTENT_FOLDERS[0],
        &["md", "markdown"],
        &mut loaded.warnings,
    );
    let people = find_files(
        root,
        CONTENT_FOLDERS[1],
        &["yaml", "yml"],
        &mut loaded.warnings,
    );
    let pages = find_files(
        root,
        CONTENT_FOLDERS[2],
        &["md", "markdown"],
        &mut loaded.warnings,
    );

    for r in load_kind(&diary, &mut cache.entries, opts, entry::load) {
        match r {
            Ok(e) => {
                loaded.errors.extend(e.problems.iter().cloned());
                loaded.entries.push(e);
            }
            Err(errs) => loaded.errors.extend(errs),
        }
    }
    for (r, f) in load_kind(&people, &mut cache.people, opts, person::load)
        .into_iter()
        .zip(&people)
    {
        match r {
            Ok(p) => {
                loaded.errors.extend(p.problems.iter().cloned());
                loaded.people.push(p);
            }
            Err(errs) => {
                loaded.errors.extend(errs);
                if let Some(stem) = f.abs.file_stem() {
                    loaded
                        .failed_people
                        .push(stem.to_string_lossy().into_owned());
                }
            }
        }
    }
    for r in load_kind(&pages, &mut cache.pages, opts, page::load) {
        match r {
            Ok(p) => {
                loaded.errors.extend(p.problems.iter().cloned());
                loaded.pages.push(p);
            }
            Err(errs) => loaded.errors.extend(errs),
        }
    }
    loaded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_come_in_the_order_of_a_walk_of_sorted_folders() {
        let dir = tempfile::tempdir().unwrap();
        let names = [
            "b.md", "a.md", "a/z.md", "a-b.md", "a/b/c.md", "a0.md", "中.md", "A.md", "a/b.md",
        ];
        for n in names {
            let p = dir.path().join("content").join(n);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "x").unwrap();
        }
        let mut warnings = Vec::new();
        let found: Vec<String> = find_files(dir.path(), "content", &["md"], &mut warnings)
            .into_iter()
            .map(|f| f.rel.to_string_lossy().replace('\\', "/"))
            .collect();
        // Each folder's names byte by byte, a folder's files where its name
        // sorts: `a` (with `a/…`) before `a-b.md` and `a.md`.
        assert_eq!(
            found,
            [
                "content/A.md",
                "content/a/b/c.md",
                "content/a/b.md",
                "content/a/z.md",
                "content/a-b.md",
                "content/a.md",
                "content/a0.md",
                "content/b.md",
                "content/中.md",
            ]
        );
        assert!(warnings.is_empty());
    }
}
