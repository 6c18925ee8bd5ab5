//! File watching for `watch` and `serve`: which paths matter, and a watcher
//! that turns bursts of file-system events into one batch of changed paths.
//! Native events (inotify, FSEvents, ...) through notify's debouncer, with a
//! fall back to polling when native watching is not available.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::Duration;

use notify::{PollWatcher, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{
    DebounceEventResult, Debouncer, FileIdCache, NoCache, RecommendedCache, new_debouncer_opt,
};

use crate::source::is_left_out;

/// Quiet time that ends a burst of events. Editors' saves (a temporary
/// file renamed over the old one, vim's backup dance) take well under a
/// millisecond; a `git checkout` keeps events coming, and later events join
/// the batch (see [`SiteWatcher::next_batch`]).
pub const DEBOUNCE: Duration = Duration::from_millis(10);
/// How often the debouncer looks for quiet bursts.
const TICK: Duration = Duration::from_millis(2);
/// How long a batch waits for more events after its first burst.
const TAIL: Duration = Duration::from_millis(2);
/// Poll interval when polling.
pub const POLL_INTERVAL: Duration = Duration::from_millis(300);

/// The folders and files of a site whose changes trigger a rebuild.
pub const WATCHED: &[&str] = &["content", "static", "templates", "themes"];

/// Whether a changed path matters for the site at `root` (output at `output`).
pub fn is_relevant(root: &Path, output: &Path, path: &Path) -> bool {
    if path.starts_with(output) {
        return false;
    }
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    // A name left out anywhere below the root: nothing in a hidden folder
    // is part of the site (a static folder publishes a few hidden files).
    if rel.ancestors().any(is_left_out) {
        return false;
    }
    let mut parts = rel.components();
    match parts
        .next()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
    {
        Some(first) if first == crate::config::CONFIG_FILE && parts.next().is_none() => true,
        Some(first) => WATCHED.contains(&first.as_str()),
        None => false,
    }
}

enum Inner {
    Native(Debouncer<RecommendedWatcher, RecommendedCache>),
    Poll(Debouncer<PollWatcher, NoCache>),
}

impl Inner {
    fn watch(&mut self, dir: &Path) -> notify::Result<()> {
        match self {
            Inner::Native(d) => d.watch(dir, RecursiveMode::Recursive),
            Inner::Poll(d) => d.watch(dir, RecursiveMode::Recursive),
        }
    }
}

/// A running watcher; dropping it stops watching.
pub struct SiteWatcher {
    inner: Inner,
    rx: Receiver<DebounceEventResult>,
    root: PathBuf,
    output: PathBuf,
    /// Said once when native watching failed and polling took over.
    pub fallback_note: Option<String>,
}

fn watch_all<W: notify::Watcher, C: FileIdCache>(
    d: &mut Debouncer<W, C>,
    root: &Path,
) -> notify::Result<()> {
    // The root itself non-recursively (site.yaml, folders created later),
    // then each source folder recursively. Never the output folder.
    d.watch(root, RecursiveMode::NonRecursive)?;
    for sub in WATCHED {
        let dir = root.join(sub);
        if dir.is_dir() {
            d.watch(&dir, RecursiveMode::Recursive)?;
        }
    }
    Ok(())
}

impl SiteWatcher {
    pub fn start(root: &Path, output: &Path, force_poll: bool) -> anyhow::Result<SiteWatcher> {
        let (tx, rx) = channel();
        let mut fallback_note = None;
        let inner = if force_poll {
            None
        } else {
            let attempt = new_debouncer_opt::<_, RecommendedWatcher, RecommendedCache>(
                DEBOUNCE,
                Some(TICK),
                tx.clone(),
                RecommendedCache::new(),
                notify::Config::default(),
            )
            .and_then(|mut d| watch_all(&mut d, root).map(|()| d));
            match attempt {
                Ok(d) => Some(Inner::Native(d)),
                Err(e) => {
                    fallback_note = Some(format!(
                        "native file watching failed ({e}); polling every {} ms instead",
                        POLL_INTERVAL.as_millis()
                    ));
                    None
                }
            }
        };
        let inner = match inner {
            Some(i) => i,
            None => {
                let mut d = new_debouncer_opt::<_, PollWatcher, NoCache>(
                    DEBOUNCE,
                    None,
                    tx,
                    NoCache,
                    notify::Config::default()
                        .with_poll_interval(POLL_INTERVAL)
                        .with_compare_contents(false),
                )?;
                watch_all(&mut d, root)?;
                Inner::Poll(d)
            }
        };
        Ok(SiteWatcher {
            inner,
            rx,
            root: root.to_path_buf(),
            output: output.to_path_buf(),
            fallback_note,
        })
    }

    /// Watches the site's folders again. Native watchers walk a folder to
    /// watch the folders inside it, also those created later, and a walk
    /// without a free file descriptor silently skips them: after a time
    /// without any, this finds them (polling walks everything each time).
    pub fn rewatch(&mut self) {
        if let Inner::Native(d) = &mut self.inner {
            let _ = watch_all(d, &self.root);
        }
    }

    /// Waits up to `timeout` for changes; returns the relevant changed paths
    /// of one burst (empty when nothing relevant happened). Events arriving
    /// right after the first batch join it, so a `git checkout` is one rebuild.
    pub fn next_batch(&mut self, timeout: Duration) -> Result<Vec<PathBuf>, Disconnected> {
        let first = match self.rx.recv_timeout(timeout) {
            Ok(r) => r,
            Err(RecvTimeoutError::Timeout) => return Ok(Vec::new()),
            Err(RecvTimeoutError::Disconnected) => return Err(Disconnected),
        };
        let mut paths = Vec::new();
        let mut take = |r: DebounceEventResult| {
            if let Ok(events) = r {
                // Reading files (our own rebuild walks the folders) is not a change.
                for e in events.iter().filter(|e| !e.event.kind.is_access()) {
                    paths.extend(
                        e.event
                            .paths
                            .iter()
                            .filter(|p| is_relevant(&self.root, &self.output, p))
                            .cloned(),
                    );
                }
            } else {
                // The watcher lost track (e.g. queue overflow): force a look at everything.
                paths.push(self.root.join(crate::config::CONFIG_FILE));
            }
        };
        take(first);
        while let Ok(r) = self.rx.recv_timeout(TAIL) {
            take(r);
        }
        paths.sort();
        paths.dedup();
        // A source folder created after watching began (e.g. templates/) is
        // seen through the root's own watch; watch inside it from now on.
        for sub in WATCHED {
            let dir = self.root.join(sub);
            if paths.contains(&dir) && dir.is_dir() {
                let _ = self.inner.watch(&dir);
            }
        }
        Ok(paths)
    }
}

/// The watcher stopped.
#[derive(Debug)]
pub struct Disconnected;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relevance() {
        let root = Path::new("/s");
        let out = Path::new("/s/public");
        assert!(is_relevant(root, out, Path::new("/s/site.yaml")));
        assert!(is_relevant(root, out, Path::new("/s/content/diary/a.md")));
        assert!(is_relevant(root, out, Path::new("/s/templates/entry.html")));
        assert!(!is_relevant(root, out, Path::new("/s/public/index.html")));
        assert!(!is_relevant(
            root,
            out,
            Path::new("/s/content/diary/.a.md.swp")
        ));
        assert!(!is_relevant(root, out, Path::new("/s/content/diary/a.md~")));
        assert!(!is_relevant(root, out, Path::new("/s/.git/index")));
        assert!(!is_relevant(
            root,
            out,
            Path::new("/s/content/diary/.trash/gone.md")
        ));
        assert!(is_relevant(
            root,
            out,
            Path::new("/s/static/.well-known/security.txt")
        ));
        assert!(!is_relevant(root, out, Path::new("/s/README.md")));
        assert!(!is_relevant(root, out, Path::new("/elsewhere/site.yaml")));
    }
}
