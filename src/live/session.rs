//! Incremental rebuilds for `watch` and `serve`: the state kept between
//! builds (parsed sources, fingerprints of every output file) and the
//! [`Store`]s the changed files go to.
//!
//! A rebuild runs the whole pipeline, but re-reads only files whose stamp
//! changed and re-renders only pages whose inputs (template fingerprint plus
//! every template variable) changed, so its result is by construction what a
//! clean build produces. Nothing is stored until the whole rebuild succeeded:
//! a broken edit leaves the last good site in place.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use chrono::{DateTime, FixedOffset};

use crate::config::{BuildFlags, Config};
use crate::diag::BuildError;
use crate::export::wechat::{Article, SiteUpdate, Snapshot};
use crate::pipeline::{self, Prepared};
use crate::render::{self, Edit, OutputFile, Place, RenderCache, Sink};
use crate::source::{LoadOptions, SourceCache};

pub use super::memory::{MemoryStore, Served};
pub use crate::output::Store;

/// Collects the files a rebuild changed, in memory, until it has succeeded.
#[derive(Default)]
struct Collect(Mutex<Vec<OutputFile>>);

impl Sink for Collect {
    fn put(&self, file: OutputFile) -> anyhow::Result<()> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).push(file);
        Ok(())
    }
}

/// What one rebuild did.
#[derive(Debug, Clone, Default)]
pub struct RebuildReport {
    /// Files whose bytes changed (written).
    pub written: Vec<String>,
    pub removed: Vec<String>,
    pub pages: usize,
    /// Every output file of the site (written or not).
    pub files: usize,
    /// Output files whose inputs were gathered again (the others were known
    /// unchanged without looking).
    pub planned: usize,
    pub entries: usize,
    pub people: usize,
    pub millis: u128,
    pub warnings: Vec<crate::diag::SourceError>,
}

impl RebuildReport {
    /// Whether only stylesheets changed (the browser can swap them in place).
    pub fn is_css_only(&self) -> bool {
        !self.written.is_empty()
            && self.removed.is_empty()
            && self.written.iter().all(|p| p.ends_with(".css"))
    }
}

/// State kept between rebuilds.
pub struct Session {
    root: PathBuf,
    flags: BuildFlags,
    sources: SourceCache,
    render_cache: Option<RenderCache>,
    /// Header facts of `photo`/`cover` images, by file stamp.
    probes: crate::images::ProbeCache,
    /// Output paths of the last good build, sorted.
    paths: Arc<Vec<String>>,
    /// The site and theme of the last good build, for the quick path.
    last: Option<Last>,
    /// Paths reported changed since the last rebuild.
    pending: Vec<PathBuf>,
    /// The entries the last rebuild swapped into the site before it (the
    /// quick path); `None` after any other rebuild.
    last_edit: Option<Vec<usize>>,
    /// The last good site's warnings about removed HTML (see
    /// [`crate::site::Site::removed_warnings`]).
    removed_warnings: Option<Vec<crate::diag::SourceError>>,
    /// The theme of the last good build (it renders that site): a broken
    /// edit with the same theme is reported without rendering for template
    /// problems.
    good_theme: Option<u128>,
}

/// Items of sorted `a` missing from sorted `b`.
fn sorted_difference<'a>(a: &'a [String], b: &[String]) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut j = 0;
    for x in a {
        while j < b.len() && b[j] < *x {
            j += 1;
        }
        if b.get(j) != Some(x) {
            out.push(x.as_str());
        }
    }
    out
}

/// The last good build, kept for the quick path: when the only changes
/// since are edits to published entries that keep each entry's [`Place`],
/// the next site is this one with those entries' sources swapped: nothing
/// else is walked, read or assembled, and the render looks only at the
/// pages the dependency graph says show them.
struct Last {
    prepared: Prepared,
    /// Absolute path of each entry's file → its index in `site.entries`.
    entry_at: HashMap<PathBuf, usize>,
}

impl Session {
    pub fn new(root: &Path, flags: BuildFlags) -> Session {
        Session {
            root: root.to_path_buf(),
            flags,
            sources: SourceCache::default(),
            render_cache: None,
            probes: crate::images::ProbeCache::default(),
            paths: Arc::new(Vec::new()),
            last: None,
            pending: Vec::new(),
            last_edit: None,
            removed_warnings: None,
            good_theme: None,
        }
    }

    /// Tells the session which files changed (it re-reads them even if their
    /// stamp looks unchanged, e.g. an edit within the file system's clock tick).
    pub fn invalidate(&mut self, paths: &[PathBuf]) {
        for p in paths {
            self.sources.invalidate(p);
            self.probes.forget(p);
        }
        self.pending.extend(paths.iter().cloned());
    }

    /// The quick path: the last site with the edited entries swapped in, when
    /// every pending change is an edit of a published entry that kept its
    /// place (see [`Last`]), with the edit. `None`: do a full load.
    fn quick_site(
        &mut self,
        pending: &[PathBuf],
        now: DateTime<FixedOffset>,
    ) -> Option<(Last, Edit)> {
        let last = self.last.take()?;
        let site = &last.prepared.site;
        if pending.is_empty() || site.next_scheduled.is_some_and(|t| t <= now) {
            return None;
        }
        let config = &site.config;
        let opts = LoadOptions::of(config);
        let mut swaps = Vec::with_capacity(pending.len());
        for path in pending {
            let &i = last.entry_at.get(path)?;
            let new = self.sources.reload_entry(&config.root, path, &opts)?;
            if Place::of(&site.entries[i].src) != Place::of(&new) {
                return None;
            }
            swaps.push((i, new));
        }
        let mut last = last;
        let mut edit = Edit {
            entries: Vec::with_capacity(swaps.len()),
        };
        for (i, new) in swaps {
            let p = &mut last.prepared;
            p.site.entries[i].src = new;
            // Its images are those of the last site (they are part of its place).
            let e = &p.site.entries[i];
            p.site.entries[i].pictures =
                crate::images::picture_body(e, &p.images, &p.site.config, &opts);
            edit.entries.push(i);
        }
        edit.entries.sort_unstable();
        edit.entries.dedup();
        Some((last, edit))
    }

    /// What the WeChat exports of the last good site need (`serve`): the
    /// entries the last rebuild swapped in, or after any other rebuild the
    /// whole site.
    pub fn site_update(&self) -> Option<SiteUpdate> {
        let last = self.last.as_ref()?;
        let site = &last.prepared.site;
        Some(match &self.last_edit {
            Some(edited) => {
                SiteUpdate::Entries(edited.iter().map(|&i| Article::of(site, i)).collect())
            }
            None => SiteUpdate::Whole(Box::new(Snapshot::of(site, last.prepared.theme.clone()))),
        })
    }

    /// The resolved configuration (for the server: output folder, base URL).
    pub fn config(&self) -> Result<Config, BuildError> {
        Config::load(&self.root, &self.flags)
    }

    fn prepare(&mut self, now: DateTime<FixedOffset>) -> Result<Prepared, BuildError> {
        pipeline::prepare(
            &self.root,
            &self.flags,
            now,
            &mut self.sources,
            Some(&self.probes),
        )?
        .into_result_unless(self.good_theme)
    }

    /// Rebuilds into `store`, writing only what changed. A rebuild that ran
    /// out of file descriptors ([`BuildError::is_out_of_files`]) keeps
    /// nothing it read: the next one reads every file again.
    pub fn rebuild(
        &mut self,
        store: &dyn Store,
        now: DateTime<FixedOffset>,
    ) -> Result<RebuildReport, BuildError> {
        let result = self.try_rebuild(store, now);
        if result.as_ref().is_err_and(BuildError::is_out_of_files) {
            // A failed read is cached with the file's stamp, like a good one.
            self.sources.clear();
        }
        result
    }

    fn try_rebuild(
        &mut self,
        store: &dyn Store,
        now: DateTime<FixedOffset>,
    ) -> Result<RebuildReport, BuildError> {
        let start = Instant::now();
        if let Some(present) = store.reopen().map_err(BuildError::Io)? {
            self.render_cache = None;
            self.paths = Arc::new(present);
        }
        let pending = std::mem::take(&mut self.pending);
        self.last_edit = None;
        let (prepared, edit, entry_at) = match self.quick_site(&pending, now) {
            Some((last, edit)) => (last.prepared, Some(edit), Some(last.entry_at)),
            None => {
                self.last = None;
                (self.prepare(now)?, None, None)
            }
        };
        // A folder that cannot be walked is only a warning, and its pages
        // would be gone from the site. For want of file descriptors, that is
        // no site to keep: fail, to be tried again.
        if let Some(w) =
            (prepared.site.warnings.iter()).find(|w| crate::diag::mentions_out_of_files(&w.message))
        {
            return Err(BuildError::Io(anyhow::anyhow!("{w}")));
        }
        let collect = Collect::default();
        let (summary, cache) = render::render_incremental(
            &prepared.site,
            &prepared.theme,
            &prepared.images,
            &collect,
            self.render_cache.take(),
            edit.as_ref(),
            render::Purpose::Session,
        )?;
        let mut laps = crate::timings::Laps::start();
        let files = collect.0.into_inner().unwrap_or_else(|p| p.into_inner());
        let mut report = RebuildReport::default();
        store.begin(&summary.paths).map_err(BuildError::Io)?;
        let stored = (|| -> anyhow::Result<()> {
            for f in files {
                let path = f.path.clone();
                if store.store(f)? {
                    report.written.push(path);
                }
            }
            // The same list as last time (same shape) has nothing gone.
            if !Arc::ptr_eq(&self.paths, &summary.paths) {
                for gone in sorted_difference(&self.paths, &summary.paths) {
                    store.remove(gone)?;
                    report.removed.push(gone.to_string());
                }
            }
            Ok(())
        })();
        let finished = store.finish();
        stored.and(finished).map_err(BuildError::Io)?;
        laps.lap("store");
        report.written.sort();
        self.paths = summary.paths.clone();
        self.render_cache = Some(cache);
        report.pages = summary.pages;
        report.files = summary.paths.len();
        report.planned = summary.planned;
        let site = &prepared.site;
        report.entries = site.entries.len();
        report.people = site.people.len();
        // Only the edited entries' warnings can have changed.
        let removed = match (&edit, self.removed_warnings.take()) {
            (Some(edit), Some(before)) => site.removed_warnings_after(before, &edit.entries),
            _ => site.removed_warnings(),
        };
        report.warnings = site.warnings_with(&removed);
        self.removed_warnings = Some(removed);
        let entry_at = entry_at.unwrap_or_else(|| {
            site.entries
                .iter()
                .enumerate()
                .map(|(i, e)| (site.config.root.join(&e.src.path), i))
                .collect()
        });
        self.good_theme = Some(prepared.theme.fingerprint);
        self.last = Some(Last { prepared, entry_at });
        self.last_edit = edit.map(|e| e.entries);
        report.millis = start.elapsed().as_millis();
        Ok(report)
    }
}

#[cfg(test)]
#[path = "session_tests.rs"]
mod edit_sequences;

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::fs;

    use super::*;
    use crate::render::Body;

    const NOW: &str = "2026-01-01T00:00:00+08:00";

    fn entry_text(k: usize, title: &str, body: &str) -> String {
        let tags = ["x", "y", "z"];
        let author = if k.is_multiple_of(2) { "a" } else { "b" };
        format!(
            "---\ntitle: {title}\ndate: 2020-{:02}-{:02} 10:00\nauthor: {author}\ntags: [{}, {}]\n---\n{body}\n",
            2 + k / 28,
            k % 28 + 1,
            tags[k % 3],
            tags[(k + 1) % 3],
        )
    }

    fn files(store: &MemoryStore) -> BTreeMap<String, u128> {
        store.hashes()
    }

    fn write(root: &Path, rel: &str, text: &str) {
        let p = root.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }

    /// `site_yaml`, people `a` and `b`, and `n` entries `e00.md` … by them.
    fn write_site(root: &Path, site_yaml: &str, n: usize) {
        write(root, "site.yaml", site_yaml);
        write(
            root,
            "content/people/a.yaml",
            "name: 甲\ndeployed: 2020-02-01\n",
        );
        write(root, "content/people/b.yaml", "name: 乙\n");
        for k in 0..n {
            write(
                root,
                &format!("content/diary/e{k:02}.md"),
                &entry_text(k, &format!("第{k}篇"), "正文。"),
            );
        }
    }

    #[test]
    fn static_files_are_kept_as_paths_not_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let video = dir.path().join("clip.mp4");
        fs::write(&video, vec![7u8; 10_000]).unwrap();
        let store = MemoryStore::default();
        let file = |p: &Path| OutputFile {
            path: "media/clip.mp4".into(),
            body: Body::Static(crate::theme::StaticSource::Disk(p.to_path_buf())),
        };
        assert!(store.store(file(&video)).unwrap());
        assert!(!store.store(file(&video)).unwrap(), "unchanged");
        match store.get("media/clip.mp4") {
            Some(Served::File { path }) => assert_eq!(path, video),
            other => panic!("held as {other:?}"),
        }
        fs::write(&video, vec![8u8; 20_000]).unwrap();
        assert!(store.store(file(&video)).unwrap(), "a change is seen");
    }

    #[test]
    fn sorted_difference_finds_what_is_gone() {
        let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let a = v(&["a", "b", "d", "f"]);
        let b = v(&["b", "c", "f", "g"]);
        assert_eq!(sorted_difference(&a, &b), ["a", "d"]);
        assert_eq!(sorted_difference(&b, &a), ["c", "g"]);
        assert!(sorted_difference(&a, &a).is_empty());
        assert_eq!(sorted_difference(&a, &[]), ["a", "b", "d", "f"]);
    }

    /// Edits that keep the site's shape take the quick path (only pages that
    /// show the edited entry are looked at), and still end in exactly what a
    /// fresh render of the same files gives.
    #[test]
    fn quick_rebuilds_after_one_entry_changed_match_a_fresh_render() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write_site(
            root,
            "title: T\nbase_url: https://example.org/c/\nentries_per_page: 3\nfeed: { limit: 4 }\n",
            60,
        );
        let write = |rel: &str, text: &str| write(root, rel, text);
        let now = DateTime::parse_from_rfc3339(NOW).unwrap();
        let mut session = Session::new(root, BuildFlags::default());
        let store = MemoryStore::default();
        let first = session.rebuild(&store, now).unwrap();
        let total = first.planned;
        assert!(total > 120, "{total}");

        let edits: [(usize, &str, &str); 6] = [
            (7, "新的标题", "正文。"),
            (0, "第0篇", "改过的正文，更长一些。"),
            (59, "最新一篇改名", "正文。"),
            (0, "最早一篇改名", "正文。"),
            (10, "第10篇", "<!-- more -->之后"),
            (3, "又改", "又改的正文"),
        ];
        for (k, title, body) in edits {
            let rel = format!("content/diary/e{k:02}.md");
            write(&rel, &entry_text(k, title, body));
            session.invalidate(&[root.join(&rel)]);
            let report = session.rebuild(&store, now).unwrap();
            assert!(
                report.planned * 3 < total,
                "edit of e{k:02}: {} of {total} files planned: not the quick path",
                report.planned
            );
            assert!(!report.written.is_empty(), "edit of e{k:02} wrote nothing");

            let fresh = MemoryStore::default();
            Session::new(root, BuildFlags::default())
                .rebuild(&fresh, now)
                .unwrap();
            let (got, want) = (files(&store), files(&fresh));
            let differ: Vec<&String> = want
                .iter()
                .filter(|(p, h)| got.get(*p) != Some(h))
                .map(|(p, _)| p)
                .collect();
            assert!(
                differ.is_empty(),
                "after editing e{k:02}, stale: {differ:?}"
            );
            assert_eq!(got.len(), want.len());
        }

        // A new tag changes the shape: everything is looked at again.
        write(
            "content/diary/e05.md",
            &entry_text(5, "第5篇", "正文。").replace("tags: [", "tags: [new, "),
        );
        session.invalidate(&[root.join("content/diary/e05.md")]);
        let report = session.rebuild(&store, now).unwrap();
        assert!(report.planned >= total, "{} of {total}", report.planned);
        let fresh_matches = |store: &MemoryStore, when: &str| {
            let fresh = MemoryStore::default();
            Session::new(root, BuildFlags::default())
                .rebuild(&fresh, now)
                .unwrap();
            assert_eq!(files(store), files(&fresh), "after {when}");
        };
        fresh_matches(&store, "a new tag");

        // Edits that move an entry, hide it, or touch a person or the
        // configuration take the full path, and end where a fresh render does.
        let changes: [(&str, String); 4] = [
            (
                "content/diary/e10.md",
                entry_text(10, "第10篇", "正文。").replace("2020-02-11", "2020-03-30"),
            ),
            (
                "content/diary/e20.md",
                entry_text(20, "第20篇", "正文。").replace("---\ntitle", "---\ndraft: true\ntitle"),
            ),
            ("content/people/b.yaml", "name: 乙二\n".to_string()),
            (
                "site.yaml",
                "title: T2\nbase_url: https://example.org/c/\nentries_per_page: 3\n".to_string(),
            ),
        ];
        for (rel, text) in changes {
            write(rel, &text);
            session.invalidate(&[root.join(rel)]);
            session.rebuild(&store, now).unwrap();
            fresh_matches(&store, rel);
        }
    }

    /// What the sanitizer removed is warned about on every rebuild, once,
    /// as the entry is now: on the quick path (an edit that keeps the
    /// entry's place) exactly as a fresh session reports it.
    #[test]
    fn removal_warnings_follow_the_entry_through_quick_rebuilds() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write_site(root, "title: T\nbase_url: https://example.org/\n", 8);
        let now = DateTime::parse_from_rfc3339(NOW).unwrap();
        let mut session = Session::new(root, BuildFlags::default());
        let store = MemoryStore::default();
        let total = session.rebuild(&store, now).unwrap().planned;
        let script = "content/diary/e02.md:9:1: <script> removed: raw HTML that can run script is not published\n  hint: to publish raw HTML as written, set `markdown: { unsafe_html: true }` in site.yaml (only if every author is trusted)";
        let steps: [(usize, &str, &[&str]); 4] = [
            (2, "正文。\n\n<script>x()</script>", &[script]),
            (2, "改过的正文。\n\n<script>x()</script>", &[script]),
            (5, "别的文章改了。", &[script]),
            (2, "正文。", &[]),
        ];
        for (k, body, want) in steps {
            let rel = format!("content/diary/e{k:02}.md");
            write(root, &rel, &entry_text(k, &format!("第{k}篇"), body));
            session.invalidate(&[root.join(&rel)]);
            let report = session.rebuild(&store, now).unwrap();
            assert!(report.planned < total, "e{k}: not the quick path");
            let shown = |w: &[crate::diag::SourceError]| -> Vec<String> {
                w.iter().map(ToString::to_string).collect()
            };
            assert_eq!(shown(&report.warnings), want, "after editing e{k}");
            let fresh = Session::new(root, BuildFlags::default())
                .rebuild(&MemoryStore::default(), now)
                .unwrap();
            assert_eq!(
                shown(&fresh.warnings),
                want,
                "a fresh session, after editing e{k}"
            );
            let page = store.get("diary/e02/index.html");
            let Some(Served::Bytes(page)) = page else {
                panic!("no page for e02");
            };
            assert!(!String::from_utf8_lossy(&page).contains("x()"));
        }
    }
}
