//! Rendering: a prepared site → output files handed to a [`Sink`]. Pure
//! apart from handing each finished file to the sink; it never touches the
//! disk itself (that is `output`'s), so `build`, `check` and `serve` share it
//! and differ only in the sink. Jobs run in parallel.
//!
//! One file per page kind (`home`, `entry`, `people`, `person`, `tags`,
//! `archive`, `standalone`, `search`, `site_files`), each with the `plan` of
//! its pages (template and variables) and, beside it, the `reads` that say
//! what those pages show: the dependency graph (`graph.rs`) is made of those
//! declarations. A page is rendered only when its key (a hash of what it
//! reads) changed since the render that produced the [`RenderCache`]; an edit
//! that keeps the site's shape (see [`Place`]) looks only at the jobs the
//! graph says read what changed.

mod alias;
mod archive;
mod conflicts;
mod context;
mod entry;
mod feeds;
mod graph;
mod home;
mod images;
mod job;
mod people;
mod person;
mod renderer;
mod search;
mod series;
mod site_files;
mod sitemap;
mod standalone;
mod tags;

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use tera::Value;

use crate::diag::{BuildError, SourceError};
use crate::images::{ImageSet, Images};
use crate::layout::page_count;
use crate::search::SearchIndex;
use crate::site::Site;
use crate::source::EntrySource;
use crate::theme::{StaticSource, Theme};
use crate::timings;
use context::Shared;
pub(crate) use context::asset_permalink;
pub(crate) use graph::Place;
use graph::{Graph, Input};
use job::{Job, Keyed};
use renderer::{Plan, Renderer, nav, page_list};

/// The bytes of one output file, or where to copy them from.
#[derive(Debug, Clone)]
pub enum Body {
    Bytes(Vec<u8>),
    Static(StaticSource),
}

/// One file of the output folder. `path` is relative and `/`-separated.
#[derive(Debug, Clone)]
pub struct OutputFile {
    pub path: String,
    pub body: Body,
}

/// Where rendered files go: a staging folder, memory, or nowhere.
pub trait Sink: Sync {
    fn put(&self, file: OutputFile) -> anyhow::Result<()>;
}

/// What a render produced.
#[derive(Debug, Default, Clone)]
pub(crate) struct RenderSummary {
    /// Number of HTML pages.
    pub pages: usize,
    /// Every output path, sorted.
    pub paths: Arc<Vec<String>>,
    /// Jobs whose key was computed (the others were known unchanged from
    /// the graph).
    pub planned: usize,
}

/// The key of every output file of a previous render (a page whose key is
/// unchanged is neither rendered nor written), and what a `watch`/`serve`
/// session's next render can start from.
#[derive(Default, Clone)]
pub(crate) struct RenderCache {
    keys: HashMap<String, u128>,
    state: Option<Arc<RenderState>>,
}

impl RenderCache {
    /// A cache from recorded keys (the build manifest).
    pub fn from_keys(keys: HashMap<String, u128>) -> RenderCache {
        RenderCache { keys, state: None }
    }

    /// The key recorded for an output path.
    pub fn key(&self, path: &str) -> Option<u128> {
        self.keys.get(path).copied()
    }
}

/// What a render keeps for the next one of a session, when that one has
/// the same shape: the cards, the search index, the job list and its graph.
struct RenderState {
    shared: Shared,
    page_lists: HashMap<String, Value>,
    /// Taken (and updated) by the next quick render.
    search: Mutex<Option<SearchIndex>>,
    /// The sources the search index was built from (to take an edited
    /// entry's old words out of it).
    entries: Vec<Arc<EntrySource>>,
    statics: Vec<(String, StaticSource)>,
    jobs: Arc<Vec<Job>>,
    /// The index in `jobs` of the first search file's job (they follow
    /// each other, in file order).
    search_jobs: usize,
    graph: Arc<Graph>,
    /// Every output path, sorted, and how many are pages.
    paths: Arc<Vec<String>>,
    pages_count: usize,
    /// What an edit that keeps every entry's place leaves as it was: the
    /// resized images, the archive's months, the honor roll's order.
    image_sets: Vec<Arc<ImageSet>>,
    months: Vec<archive::Month>,
    roll: Vec<usize>,
}

/// An edit that kept the site's shape: every changed entry kept its
/// [`Place`]; nothing else changed. Its entries' indices.
pub(crate) struct Edit {
    pub entries: Vec<usize>,
}

/// What a render is for: what it makes, and what it keeps afterwards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Purpose {
    /// One build or check: every file; of what it made, only the keys are
    /// kept (the search index's postings are let go as soon as its files
    /// are encoded).
    Once,
    /// A `watch`/`serve` session: also the state a next render starts from
    /// (cards, search postings, the graph).
    Session,
    /// Only the template problems: no images decoded, nothing kept.
    Problems,
}

/// Renders the whole site into `sink`.
pub(crate) fn render(
    site: &Site,
    theme: &Theme,
    images: &Images,
    sink: &dyn Sink,
) -> Result<RenderSummary, BuildError> {
    render_incremental(site, theme, images, sink, None, None, Purpose::Once).map(|(s, _)| s)
}

/// A one-shot build's render ([`Purpose::Once`]) of a site it may change:
/// the search index is made first, and the entries' plain text, which only
/// the index reads, is let go before the cards and pages are made.
pub(crate) fn render_once(
    site: &mut Site,
    theme: &Theme,
    images: &Images,
    sink: &dyn Sink,
    prev: Option<RenderCache>,
) -> Result<(RenderSummary, RenderCache), BuildError> {
    let mut laps = timings::Laps::start();
    let index =
        search::index_once(site, prev.as_ref().map(|p| &p.keys), sink).map_err(BuildError::Io)?;
    laps.lap("search");
    full(
        site,
        theme,
        images,
        sink,
        prev.as_ref(),
        Purpose::Once,
        Some(index),
    )
}

/// The template problems a render of `site` finds (for a site that already
/// has other problems, so that all of them are reported at once). Nothing is
/// kept, and images are not decoded.
pub(crate) fn template_problems(site: &Site, theme: &Theme, images: &Images) -> Vec<SourceError> {
    struct Nowhere;
    impl Sink for Nowhere {
        fn put(&self, _: OutputFile) -> anyhow::Result<()> {
            Ok(())
        }
    }
    match full(site, theme, images, &Nowhere, None, Purpose::Problems, None) {
        Err(BuildError::Content(errs)) => errs,
        _ => Vec::new(),
    }
}

/// Renders the site, handing to `sink` only files whose key changed since
/// the render that produced `prev` (all files when `prev` is `None`). With
/// `edit`, and a `prev` from the same session, only the jobs that read what
/// the edit changed are looked at. The returned cache describes this render.
pub(crate) fn render_incremental(
    site: &Site,
    theme: &Theme,
    images: &Images,
    sink: &dyn Sink,
    prev: Option<RenderCache>,
    edit: Option<&Edit>,
    purpose: Purpose,
) -> Result<(RenderSummary, RenderCache), BuildError> {
    let mut prev = prev;
    // The quick path takes the last render's state over (no copies).
    if let (Some(edit), Some(p)) = (edit, prev.as_mut())
        && let Some(state) = p.state.take()
    {
        match Arc::try_unwrap(state) {
            Ok(state) => {
                let keys = std::mem::take(&mut p.keys);
                match quick(site, theme, images, sink, keys, state, edit) {
                    Ok(done) => return done,
                    // It cannot be followed: look at everything.
                    Err(keys) => p.keys = keys,
                }
            }
            Err(shared) => p.state = Some(shared),
        }
    }
    full(site, theme, images, sink, prev.as_ref(), purpose, None)
}

/// Every job, each rendered when its key changed (images not for
/// [`Purpose::Problems`]), with the site's search index, made here unless
/// given (a one-shot build's with its files written, paths and keys).
fn full(
    site: &Site,
    theme: &Theme,
    images: &Images,
    sink: &dyn Sink,
    prev: Option<&RenderCache>,
    purpose: Purpose,
    search: Option<(SearchIndex, Vec<(String, u128)>)>,
) -> Result<(RenderSummary, RenderCache), BuildError> {
    let mut laps = timings::Laps::start();
    let (search, written) = search.unzip();
    let per = site.config.entries_per_page;
    // Cards and the search index are independent: side by side.
    let months = archive::months(site);
    let ((shared, page_lists), search) = rayon::join(
        || {
            let nav = nav(site, &theme.strings);
            let shared = Shared::build(site, images, nav, &theme.strings, theme.fingerprint);
            let lists = std::iter::once((String::new(), page_count(site.entries.len(), per)))
                .chain(
                    site.tags
                        .iter()
                        .map(|t| (t.path(), page_count(t.entries.len(), per))),
                )
                .chain(months.iter().map(|m| (m.path(), m.pages())))
                .chain(site.series.iter().map(|s| {
                    (
                        s.path(),
                        page_count(s.entries.len(), series::SERIES_PER_PAGE),
                    )
                }))
                .chain([
                    (
                        "people/".to_string(),
                        page_count(site.people.len(), people::PER_PAGE),
                    ),
                    (
                        "tags/".to_string(),
                        page_count(site.tags.len(), tags::TAGS_PER_PAGE),
                    ),
                ])
                .chain(site.people.iter().map(|p| {
                    (
                        p.path(),
                        page_count(p.timeline_len(), person::TIMELINE_PER_PAGE),
                    )
                }));
            let page_lists = lists
                .map(|(base, pages)| {
                    let list = page_list(&site.config, &base, pages);
                    (base, list)
                })
                .collect();
            (shared, page_lists)
        },
        || search.unwrap_or_else(|| SearchIndex::build(site, purpose == Purpose::Session)),
    );
    laps.lap("cards + search");
    let mut r = Renderer {
        site,
        theme,
        shared,
        page_lists,
        search,
        statics: Vec::new(),
        image_sets: images.sets.values().cloned().collect(),
        months,
        roll: people::roll(site),
        sitemap: Default::default(),
    };
    let mut jobs = r.page_jobs();
    jobs.extend((0..r.image_sets.len()).map(Job::Image));
    // Generated files win over static files of the same path.
    let mut generated: Vec<(String, Job)> = jobs
        .par_iter()
        .flat_map_iter(|&j| r.output_paths(j).into_iter().map(move |p| (p, j)))
        .collect();
    // Stable: of two jobs on one path (an alias and a page), the error
    // names them in job order.
    generated.par_sort_by(|a, b| a.0.cmp(&b.0));
    let alias_conflicts = r.alias_conflicts(&generated, &theme.statics);
    let entry_conflicts = r.entry_conflicts(&generated);
    let is_generated = |p: &str| {
        generated
            .binary_search_by(|(g, _)| g.as_str().cmp(p))
            .is_ok()
    };
    r.statics = theme
        .statics
        .iter()
        .filter(|(p, _)| !is_generated(p))
        .map(|(p, s)| (p.clone(), s.clone()))
        .collect();
    // A static file where a generated one needs a folder, or inside one:
    // refused before anything is written.
    let mut conflicts = r.path_conflicts(&generated, &r.statics);
    conflicts.extend(entry_conflicts);
    conflicts.extend(alias_conflicts);
    if !conflicts.is_empty() {
        return Err(BuildError::content(conflicts));
    }
    drop(generated);
    jobs.extend((0..r.statics.len()).map(Job::Static));
    laps.lap("job list");
    let search_jobs = (jobs.iter())
        .position(|j| matches!(j, Job::SearchFile(_)))
        .unwrap_or(jobs.len());
    let all: Vec<usize> = (0..jobs.len())
        .filter(|&i| match jobs[i] {
            Job::Image(_) => purpose != Purpose::Problems,
            Job::SearchFile(_) => written.is_none(),
            _ => true,
        })
        .collect();
    let keep_inputs = purpose == Purpose::Session;
    let mut done = run(&r, &jobs, &all, prev.map(|p| &p.keys), sink, keep_inputs)?;
    if let Some(files) = written {
        done.push(Done {
            job: search_jobs,
            files,
            inputs: Vec::new(),
        });
    }
    laps.lap("plan + render");

    let mut keys = HashMap::with_capacity(done.len());
    let mut paths = Vec::with_capacity(done.len());
    let mut inputs: Vec<(usize, Vec<Input>)> = Vec::with_capacity(done.len());
    for d in done {
        for (p, key) in d.files {
            paths.push(p.clone());
            keys.insert(p, key);
        }
        inputs.push((d.job, d.inputs));
    }
    paths.sort();
    let pages_count = paths.iter().filter(|p| p.ends_with(".html")).count();
    let paths = Arc::new(paths);
    let summary = RenderSummary {
        pages: pages_count,
        paths: paths.clone(),
        planned: jobs.len(),
    };
    if purpose != Purpose::Session {
        return Ok((summary, RenderCache::from_keys(keys)));
    }
    let graph = Graph::of(inputs.iter().map(|(j, i)| (*j, &i[..])));
    let state = RenderState {
        shared: r.shared,
        page_lists: r.page_lists,
        search: Mutex::new(Some(r.search)),
        entries: site.entries.iter().map(|e| e.src.clone()).collect(),
        statics: r.statics,
        jobs: Arc::new(jobs),
        search_jobs,
        graph: Arc::new(graph),
        paths,
        pages_count,
        image_sets: r.image_sets,
        months: r.months,
        roll: r.roll,
    };
    laps.lap("graph");
    Ok((
        summary,
        RenderCache {
            keys,
            state: Some(Arc::new(state)),
        },
    ))
}

/// The jobs that read the edited entries, from the last render's state and
/// keys. `Err(keys)` when the edit cannot be followed this way (the search
/// index needs another number of shards): then everything is looked at.
#[allow(clippy::type_complexity)]
fn quick(
    site: &Site,
    theme: &Theme,
    images: &Images,
    sink: &dyn Sink,
    keys: HashMap<String, u128>,
    state: RenderState,
    edit: &Edit,
) -> Result<Result<(RenderSummary, RenderCache), BuildError>, HashMap<String, u128>> {
    let mut laps = timings::Laps::start();
    let RenderState {
        mut shared,
        page_lists,
        search,
        entries: mut old_entries,
        statics,
        jobs,
        search_jobs,
        graph,
        paths,
        pages_count,
        image_sets,
        months,
        roll,
    } = state;
    let Some(mut search) = search.into_inner().unwrap_or_else(|p| p.into_inner()) else {
        return Err(keys);
    };
    let Some(touched_files) = search.update(site, &old_entries, &edit.entries) else {
        return Err(keys);
    };
    shared.update(site, images, &edit.entries);
    laps.lap("cards + search");
    let changed: Vec<Input> = edit.entries.iter().map(|&i| Input::Entry(i)).collect();
    let mut which = graph.touched(&changed);
    which.extend(touched_files.into_iter().map(|f| search_jobs + f));
    let which: Vec<usize> = which.into_iter().collect();
    // The search index now holds the edited entries' words.
    for &i in &edit.entries {
        old_entries[i] = site.entries[i].src.clone();
    }
    let r = Renderer {
        site,
        theme,
        shared,
        page_lists,
        search,
        statics,
        image_sets,
        months,
        roll,
        sitemap: Default::default(),
    };
    let done = match run(&r, &jobs, &which, Some(&keys), sink, true) {
        Ok(d) => d,
        Err(e) => return Ok(Err(e)),
    };
    laps.lap("plan + render");
    let mut keys = keys;
    for d in done {
        keys.extend(d.files);
    }
    let summary = RenderSummary {
        pages: pages_count,
        paths: paths.clone(),
        planned: which.len(),
    };
    let next = RenderState {
        shared: r.shared,
        page_lists: r.page_lists,
        search: Mutex::new(Some(r.search)),
        entries: old_entries,
        statics: r.statics,
        jobs,
        search_jobs,
        graph,
        paths,
        pages_count,
        image_sets: r.image_sets,
        months: r.months,
        roll: r.roll,
    };
    laps.lap("summary");
    Ok(Ok((
        summary,
        RenderCache {
            keys,
            state: Some(Arc::new(next)),
        },
    )))
}

/// What one job did: its files with their keys, and what it read.
struct Done {
    job: usize,
    files: Vec<(String, u128)>,
    inputs: Vec<Input>,
}

/// Runs jobs `which` (indices into `jobs`): each computes its key and is
/// rendered and handed to `sink` only when the key differs from `prev`'s;
/// what each read is kept with `keep_inputs` (for the dependency graph).
/// Every template problem is collected; the first I/O failure is returned.
fn run(
    r: &Renderer,
    jobs: &[Job],
    which: &[usize],
    prev: Option<&HashMap<String, u128>>,
    sink: &dyn Sink,
    keep_inputs: bool,
) -> Result<Vec<Done>, BuildError> {
    let errors: Mutex<BTreeMap<String, SourceError>> = Mutex::new(BTreeMap::new());
    let io_error: Mutex<Option<anyhow::Error>> = Mutex::new(None);
    let fail_io = |e: anyhow::Error| {
        io_error
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get_or_insert(e);
    };
    let fail_content = |e: SourceError| {
        let mut errs = errors.lock().unwrap_or_else(|p| p.into_inner());
        errs.entry(e.to_string()).or_insert(e);
    };
    let done: Vec<Done> = which
        .par_iter()
        .filter_map(|&i| {
            let job = jobs[i];
            if let Job::Image(k) = job {
                let files = images::render_image(
                    &r.image_sets[k],
                    &r.site.config.output,
                    sink,
                    prev,
                    &fail_io,
                    &fail_content,
                );
                return Some(Done {
                    job: i,
                    files,
                    inputs: Vec::new(),
                });
            }
            let path = r.output_path(job);
            let t0 = std::time::Instant::now();
            let (key, inputs, body) = match r.key(job) {
                Keyed::Bytes(key, bytes) => (key, Vec::new(), Some(bytes)),
                Keyed::Reads(key, inputs) => (key, inputs, None),
            };
            let inputs = if keep_inputs { inputs } else { Vec::new() };
            let done = move |path: String| Done {
                job: i,
                files: vec![(path, key)],
                inputs,
            };
            if job::unchanged(prev, &path, key) {
                return Some(done(path));
            }
            let body = match (body, r.plan(job)) {
                (Some(bytes), _) => Body::Bytes(bytes),
                (None, Some(Plan::Template(name, ctx))) => match r.render_template(name, &ctx) {
                    Ok(html) => Body::Bytes(html),
                    Err(e) => {
                        fail_content(e);
                        return None;
                    }
                },
                (None, Some(Plan::Feed(spec))) => Body::Bytes(feeds::render(r.site, &spec)),
                (None, Some(Plan::Static(s))) => Body::Static(s),
                (None, None) => return Some(done(path)),
            };
            timings::slow(|| format!("render {path}"), t0);
            if let Err(e) = sink.put(OutputFile {
                path: path.clone(),
                body,
            }) {
                fail_io(e);
                return None;
            }
            Some(done(path))
        })
        .collect();
    if let Some(e) = io_error.into_inner().unwrap_or_else(|p| p.into_inner()) {
        return Err(BuildError::Io(e));
    }
    let errors = errors.into_inner().unwrap_or_else(|p| p.into_inner());
    if !errors.is_empty() {
        return Err(BuildError::content(errors.into_values()));
    }
    Ok(done)
}
