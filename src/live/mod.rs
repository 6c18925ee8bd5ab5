//! The loop behind `watch` and `serve`: build once, then rebuild on every
//! burst of changes until asked to stop. Errors never end the loop: they are
//! reported and the last good site stays in place.
//!
//! - `session.rs`: what a session keeps between rebuilds (sources, the last
//!   site, the render cache and its dependency graph) and the quick path;
//! - `watcher.rs`: file events (or polling), debounced into bursts;
//! - `server.rs`: `serve`'s HTTP side, from memory, with live reload;
//! - `connections.rs`: `serve`'s accept loop, connection cap and timeouts.
//!
//! `watch` writes through `output`'s in-place store; `serve` keeps the site
//! in memory and never touches the output folder.

mod connections;
mod memory;
mod server;
mod session;
mod watcher;

pub use server::decode_path;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, FixedOffset};

use crate::diag::BuildError;
use crate::export::wechat::SiteUpdate;
use session::{RebuildReport, Session, Store};
use watcher::SiteWatcher;

/// How long a rebuild that ran out of file descriptors waits before it is
/// tried again. They come back when connections or other programs close
/// theirs (`serve` closes a stalled connection within seconds); meanwhile
/// the last good site stays in place.
const STARVED_RETRY: Duration = Duration::from_millis(500);

/// What the loop tells its caller (who prints, or tells browsers).
pub enum LiveEvent<'a> {
    /// A rebuild succeeded. `changed` is empty for the first build.
    Rebuilt {
        changed: &'a [PathBuf],
        report: &'a RebuildReport,
    },
    /// A rebuild failed; the previous site is still being served.
    Failed {
        changed: &'a [PathBuf],
        error: &'a BuildError,
        /// Whether an earlier build succeeded (and is still being served).
        have_site: bool,
    },
    /// Something worth saying (e.g. polling instead of native events).
    Note(String),
}

/// Options of the loop.
pub struct LiveOptions<'a> {
    pub root: &'a Path,
    pub output: &'a Path,
    pub poll: bool,
    /// Asked between bursts of changes: stop now?
    pub stop: &'a dyn Fn() -> bool,
    pub now: &'a (dyn Fn() -> DateTime<FixedOffset> + Sync),
    /// `serve`: told of each good site, for its WeChat copy button.
    pub on_site: Option<&'a dyn Fn(SiteUpdate)>,
}

/// Runs until `stop` is set. `store` receives every change.
pub fn run(
    session: &mut Session,
    store: &dyn Store,
    opts: &LiveOptions,
    on_event: &mut dyn FnMut(LiveEvent),
) -> anyhow::Result<()> {
    let mut watcher = SiteWatcher::start(opts.root, opts.output, opts.poll)?;
    if let Some(note) = watcher.fallback_note.take() {
        on_event(LiveEvent::Note(note));
    }
    let mut changed: Vec<PathBuf> = Vec::new();
    let mut pending = true; // the first build
    let mut have_site = false;
    // What each reported file held when the rebuild for it started. After a
    // good rebuild, a burst for files that still hold those bytes changes
    // nothing (a save whose events arrive in two bursts on a busy machine, a
    // `touch`) and is not rebuilt: one save, one rebuild line.
    let mut seen: HashMap<PathBuf, Option<u128>> = HashMap::new();
    let mut last_ok = false;
    // The last rebuild ran out of file descriptors (e.g. `serve` holding
    // many connections): it is tried again until it can read the site, so
    // the edit is not left waiting for the next save.
    let mut starved = false;
    while !(opts.stop)() {
        if pending {
            for p in &changed {
                match version(p) {
                    Some(v) => seen.insert(p.clone(), v),
                    None => seen.remove(p),
                };
            }
            session.invalidate(&changed);
            last_ok = false;
            match session.rebuild(store, (opts.now)()) {
                Ok(report) => {
                    if starved {
                        starved = false;
                        watcher.rewatch();
                    }
                    have_site = true;
                    last_ok = true;
                    if let Some(on_site) = opts.on_site
                        && let Some(update) = session.site_update()
                    {
                        on_site(update);
                    }
                    on_event(LiveEvent::Rebuilt {
                        changed: &changed,
                        report: &report,
                    });
                }
                Err(error) if error.is_out_of_files() => {
                    if !starved {
                        on_event(LiveEvent::Note(format!(
                            "out of file descriptors (too many open connections or files); \
                             trying the rebuild again every {} ms until some are free",
                            STARVED_RETRY.as_millis()
                        )));
                    }
                    starved = true;
                }
                Err(error) => {
                    starved = false;
                    on_event(LiveEvent::Failed {
                        changed: &changed,
                        error: &error,
                        have_site,
                    });
                }
            }
            pending = starved;
        }
        let wait = if starved {
            STARVED_RETRY
        } else {
            Duration::from_millis(200)
        };
        match watcher.next_batch(wait) {
            Ok(paths) if !paths.is_empty() => {
                let unchanged = last_ok
                    && paths
                        .iter()
                        .all(|p| version(p).is_some_and(|v| seen.get(p) == Some(&v)));
                if starved {
                    // Still the same rebuild, for more files.
                    changed.extend(paths);
                    changed.sort();
                    changed.dedup();
                } else if !unchanged {
                    changed = paths;
                    pending = true;
                }
            }
            Ok(_) => {}
            Err(_) => anyhow::bail!("the file watcher stopped"),
        }
    }
    Ok(())
}

/// Which version of a file is on disk: the hash of its bytes (of its size
/// and time for a file over 16 MiB, which is not read twice), or that there
/// is none. `None` when it cannot be told (a folder, an unreadable file):
/// then it counts as changed.
fn version(path: &Path) -> Option<Option<u128>> {
    let md = match std::fs::symlink_metadata(path) {
        Ok(md) => md,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Some(None),
        Err(_) => return None,
    };
    if !md.is_file() {
        return None;
    }
    let mut h = crate::hash::Hasher::default();
    if md.len() > 16 << 20 {
        h.u128(u128::from(md.len()));
        h.str(&format!("{:?}", md.modified().ok()));
    } else {
        h.bytes(&std::fs::read(path).ok()?);
    }
    Some(Some(h.finish()))
}

/// `laurel watch`: rebuild into the output folder until `stop`.
pub fn watch(
    root: &Path,
    flags: crate::config::BuildFlags,
    poll: bool,
    stop: &AtomicBool,
    now: &(dyn Fn() -> DateTime<FixedOffset> + Sync),
    on_event: &mut dyn FnMut(LiveEvent),
) -> Result<(), BuildError> {
    let mut session = Session::new(root, flags);
    let config = session.config()?;
    crate::pipeline::check_output(&config)?;
    let store =
        crate::output::DiskStore::open(&config.output).map_err(crate::output::write_error)?;
    let should_stop = || stop.load(Ordering::Relaxed);
    let opts = LiveOptions {
        root: &config.root,
        output: &config.output,
        poll,
        stop: &should_stop,
        now,
        on_site: None,
    };
    run(&mut session, &store, &opts, on_event).map_err(BuildError::Io)
}

/// Where `serve` listens and how to reach it.
pub struct ServeSetup {
    pub listener: std::net::TcpListener,
    /// The site's address, e.g. `http://127.0.0.1:1111/column/`.
    pub url: String,
    pub is_public: bool,
}

/// Binds the server socket (so the port is known before the first build).
pub fn bind_serve(
    root: &Path,
    flags: &crate::config::BuildFlags,
    bind: std::net::IpAddr,
    port: u16,
) -> Result<ServeSetup, BuildError> {
    let config = crate::config::Config::load(root, flags)?;
    let listener = std::net::TcpListener::bind((bind, port)).map_err(|e| {
        BuildError::Usage(crate::diag::Msg::new(
            format!("cannot listen on {bind}:{port}: {e}; try another --port"),
            format!("无法在 {bind}:{port} 上监听：{e}；请换一个 --port"),
        ))
    })?;
    let addr = listener
        .local_addr()
        .map_err(|e| BuildError::Io(e.into()))?;
    let host = if addr.ip().is_unspecified() {
        "127.0.0.1".to_string()
    } else {
        addr.ip().to_string()
    };
    let host = if addr.is_ipv6() && !addr.ip().is_unspecified() {
        format!("[{host}]")
    } else {
        host
    };
    let url = format!("http://{host}:{}{}", addr.port(), config.root_path);
    Ok(ServeSetup {
        listener,
        url,
        is_public: server::is_public(&addr),
    })
}

/// `laurel serve`: rebuild into memory and serve until `stop`.
pub fn serve(
    root: &Path,
    mut flags: crate::config::BuildFlags,
    setup: ServeSetup,
    poll: bool,
    stop: &AtomicBool,
    now: &(dyn Fn() -> DateTime<FixedOffset> + Sync),
    on_event: &mut dyn FnMut(LiveEvent),
) -> Result<(), BuildError> {
    // The WeChat copy button exports for the published site (where the
    // editor fetches the images from), not for this server.
    let published = crate::config::Config::load(root, &flags)?.base_url;
    let lang = crate::config::message_lang(root);
    // Pages link root-relative, but feeds and canonical links are absolute:
    // point them at this server.
    flags.base_url = Some(setup.url.clone());
    let mut session = Session::new(root, flags);
    let config = session.config()?;
    let state = server::ServeState::new(&config.root_path);
    let server_state = state.clone();
    let listener = setup.listener;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| BuildError::Io(e.into()))?;
    // The server runs beside the rebuild loop; if it dies, the loop ends and
    // its error is returned.
    let failure: Arc<Mutex<Option<anyhow::Error>>> = Arc::default();
    let server_failure = failure.clone();
    std::thread::spawn(move || {
        if let Err(e) = runtime.block_on(server::run(listener, server_state)) {
            *server_failure.lock().unwrap_or_else(|p| p.into_inner()) = Some(e);
        }
    });
    let should_stop = || {
        stop.load(Ordering::Relaxed) || failure.lock().unwrap_or_else(|p| p.into_inner()).is_some()
    };
    let on_site = |update: SiteUpdate| {
        state.update_site(match update {
            SiteUpdate::Whole(s) => SiteUpdate::Whole(Box::new(s.published_at(&published))),
            edit => edit,
        });
    };
    let opts = LiveOptions {
        root: &config.root,
        output: &config.output,
        poll,
        stop: &should_stop,
        now,
        on_site: Some(&on_site),
    };
    let mut had_error = false;
    run(&mut session, &state.store, &opts, &mut |ev| {
        match &ev {
            LiveEvent::Rebuilt { report, changed } => {
                if had_error
                    || !changed.is_empty() && !report.written.is_empty()
                    || !report.removed.is_empty()
                {
                    let css_only = !had_error && report.is_css_only();
                    state.notify(if css_only {
                        server::Notice::Css
                    } else {
                        server::Notice::Reload
                    });
                }
                had_error = false;
            }
            LiveEvent::Failed { error, .. } => {
                had_error = true;
                state.notify(server::Notice::Error(format!(
                    "{}\n\n{}",
                    lang.pick("laurel: build failed", "laurel：构建失败"),
                    error.report(root, lang)
                )));
            }
            LiveEvent::Note(_) => {}
        }
        on_event(ev);
    })
    .map_err(BuildError::Io)?;
    match failure.lock().unwrap_or_else(|p| p.into_inner()).take() {
        Some(e) => Err(BuildError::Io(e.context("the web server stopped"))),
        None => Ok(()),
    }
}
