//! Rendering: `&Site` → output files. Pure apart from handing each finished
//! file to a [`Sink`]; it never touches the disk itself, so `build`, `check`
//! and `serve` share it and only differ in the sink. Pages render in parallel.

pub mod context;
pub mod feeds;
pub mod fingerprint;
pub mod sitemap;
pub mod theme;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex};

use chrono::Datelike;
use rayon::prelude::*;
use tera::{Context, Value};

use crate::diag::SourceError;
use crate::site::Site;
use crate::source::{EntrySource, PageSource, PersonSource};
use context::{Shared, asset_permalink, insert};
pub use theme::{StaticSource, Theme};

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

/// Why rendering failed.
#[derive(Debug)]
pub enum RenderError {
    /// Template problems, located in the template files.
    Content(Vec<SourceError>),
    /// The sink could not store a file.
    Io(anyhow::Error),
}

/// What a render produced.
#[derive(Debug, Default, Clone)]
pub struct RenderSummary {
    /// Number of HTML pages.
    pub pages: usize,
    /// Every output path, sorted.
    pub paths: Arc<Vec<String>>,
    /// Output files whose inputs were gathered and fingerprinted (the rest
    /// were known unchanged from the shape of the site).
    pub planned: usize,
}

enum Job<'a> {
    Index(usize),
    Entry(usize),
    People,
    Person(usize),
    PersonFeed(usize),
    Tags,
    Tag(usize, usize),
    TagFeed(usize),
    Archive,
    Page(usize),
    /// The search page, `search/index.html`.
    Search,
    /// One file of the search index (see [`crate::search::index`]).
    SearchFile(usize),
    NotFound,
    SiteFeed,
    Sitemap,
    Robots,
    Static(&'a str, &'a StaticSource),
    /// All variants of one resized image (one decode for all of them).
    Image(&'a crate::images::ImageSet),
}

/// Number of pages for `n` items at `per` per page (an empty list still has one page).
fn page_count(n: usize, per: usize) -> usize {
    n.div_ceil(per).max(1)
}

/// Site path of page `k` (1-based) of a paginated list rooted at `base`.
fn page_path(base: &str, k: usize) -> String {
    if k <= 1 {
        base.to_string()
    } else {
        format!("{base}page/{k}/")
    }
}

/// Output file for a site path: `diary/a/` → `diary/a/index.html`.
fn html_file(path: &str) -> String {
    if path.is_empty() {
        "index.html".into()
    } else {
        format!("{path}index.html")
    }
}

struct Renderer<'a> {
    site: &'a Site,
    theme: &'a Theme,
    shared: Shared,
    /// The `paginator.pages` list of each paginated list, by base path.
    page_lists: HashMap<String, Value>,
    /// The search index files: `(output path, bytes)`.
    search: crate::search::SearchIndex,
}

/// `[{number, url}]` for every page of a paginated list.
fn page_list(c: &crate::config::Config, base: &str, total: usize) -> Value {
    let pages: Vec<Value> = (1..=total)
        .map(|k| {
            let mut m = BTreeMap::new();
            m.insert("number".to_string(), Value::from(k));
            m.insert("url".to_string(), Value::from(c.url(&page_path(base, k))));
            Value::from(m)
        })
        .collect();
    Value::from(pages)
}

/// What one job needs done: a template with its variables, ready bytes, or a
/// static file to copy.
enum Plan {
    Template(&'static str, Vars),
    /// Rendered only when its inputs changed.
    Feed(feeds::FeedSpec),
    Bytes(Vec<u8>),
    Static(StaticSource),
}

/// Template variables in insertion order, so they can be hashed (to skip
/// pages whose inputs did not change) before they become a tera `Context`.
#[derive(Default)]
struct Vars(Vec<(&'static str, Value)>);

impl Vars {
    fn insert_value(&mut self, key: &'static str, value: Value) {
        self.0.push((key, value));
    }

    fn insert<T: serde::Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        self.0.push((key, Value::from_serializable(value)));
    }

    fn into_context(self) -> Context {
        let mut ctx = Context::new();
        for (k, v) in self.0 {
            ctx.insert_value(k, v);
        }
        ctx
    }
}

/// Fingerprints of the inputs of every output file of a previous render:
/// a page whose fingerprint is unchanged is neither rendered nor written.
#[derive(Debug, Default, Clone)]
pub struct RenderCache {
    keys: HashMap<String, u128>,
    /// What a session's next render can start from.
    state: Option<Arc<RenderState>>,
    /// The caller knows the next site has this render's shape (it swapped
    /// entry sources into the same site): do not compute it again.
    same_shape: bool,
}

/// What a render keeps for the next one of a `watch`/`serve` session. When
/// the next site has the same shape (the same entries in the same order with
/// the same links, and the same people, pages, configuration, theme and
/// images), only the changed entries' cards are built again and only the
/// pages that show a changed entry are planned and fingerprinted: an edit to
/// one entry of 10,000 costs a handful of pages, not 15,000 fingerprints.
pub struct RenderState {
    shape: u128,
    /// The sources the render saw, kept alive so that a changed source can
    /// never have an unchanged one's address.
    entries: Vec<Arc<EntrySource>>,
    people: Vec<Arc<PersonSource>>,
    pages: Vec<Arc<PageSource>>,
    /// The theme's UI strings, remembered in `shared.known` (kept alive for
    /// the same reason).
    strings: Value,
    shared: Shared,
    page_lists: HashMap<String, Value>,
    /// Taken (and updated) by the next quick render.
    search: Mutex<Option<crate::search::SearchIndex>>,
    /// Static files not shadowed by a generated file (same for the same shape).
    statics: Vec<String>,
    /// Every output path, sorted, and how many are pages (same for the same shape).
    paths: Arc<Vec<String>>,
    pages_count: usize,
}

impl std::fmt::Debug for RenderState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RenderState")
            .field("shape", &self.shape)
            .field("entries", &self.entries.len())
            .finish_non_exhaustive()
    }
}

/// Everything but the entries' own text: what decides which pages exist and
/// what every page but an entry's own pages shows.
fn shape(site: &Site, theme: &Theme) -> u128 {
    let mut h = fingerprint::Hasher::default();
    h.u128(theme.fingerprint);
    h.str(&format!("{:?}", site.config));
    for e in &site.entries {
        let s = &e.src;
        h.str(&s.path.to_string_lossy());
        h.str(&s.slug.value);
        h.str(&s.date.to_rfc3339());
        h.str(s.author.as_ref().map_or("", |a| a.value.as_str()));
        h.u128(s.people.len() as u128);
        for p in &s.people {
            h.str(&p.value);
        }
        h.u128(s.tags.len() as u128);
        for t in &s.tags {
            h.str(&t.value);
        }
    }
    for ((path, role), set) in &site.images.sets {
        h.str(path);
        h.str(&format!("{role:?}"));
        h.u128(set.key);
    }
    h.finish()
}

fn same_sources<T>(a: &[Arc<T>], b: impl ExactSizeIterator<Item = Arc<T>>) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| Arc::ptr_eq(x, &y))
}

/// The pages that show entries `changed` of a site whose shape did not change.
#[derive(Default)]
struct Affected {
    /// The changed entries themselves.
    changed: Vec<usize>,
    /// Search index files the change touched (`None`: unknown, all).
    search: Option<HashSet<usize>>,
    entries: HashSet<usize>,
    index_pages: HashSet<usize>,
    tag_pages: HashSet<(usize, usize)>,
    tags: HashSet<usize>,
    people: HashSet<usize>,
}

impl Affected {
    fn of(site: &Site, changed: &[usize]) -> Affected {
        let per = site.config.entries_per_page;
        let mut a = Affected {
            changed: changed.to_vec(),
            ..Affected::default()
        };
        for &i in changed {
            // Its own page, and its neighbours' (they link to it by title).
            a.entries.insert(i);
            a.entries.extend(i.checked_sub(1));
            if i + 1 < site.entries.len() {
                a.entries.insert(i + 1);
            }
            a.index_pages.insert(i / per + 1);
            let e = &site.entries[i];
            for &t in &e.tags {
                a.tags.insert(t);
                if let Some(pos) = site.tags[t].entries.iter().position(|&x| x == i) {
                    a.tag_pages.insert((t, pos / per + 1));
                }
            }
            a.people.extend(e.author);
            a.people.extend(e.people.iter().copied());
        }
        a
    }

    /// Whether `job` shows none of the changed entries (its key is the last one).
    fn unchanged(&self, job: &Job) -> bool {
        match job {
            Job::Entry(i) => !self.entries.contains(i),
            Job::Index(k) => !self.index_pages.contains(k),
            Job::Person(i) | Job::PersonFeed(i) => !self.people.contains(i),
            Job::Tag(t, k) => !self.tag_pages.contains(&(*t, *k)),
            Job::TagFeed(t) => !self.tags.contains(t),
            // URLs and dates only: part of the shape.
            Job::Sitemap => true,
            Job::SearchFile(i) => self.search.as_ref().is_some_and(|s| !s.contains(i)),
            _ => false,
        }
    }
}

impl RenderCache {
    /// A cache from recorded keys (the build manifest).
    pub fn from_keys(keys: HashMap<String, u128>) -> RenderCache {
        RenderCache {
            keys,
            state: None,
            same_shape: false,
        }
    }

    /// Promises that the next render's site has this render's shape.
    pub fn assume_same_shape(&mut self) {
        self.same_shape = true;
    }

    /// The input fingerprint recorded for an output path.
    pub fn key(&self, path: &str) -> Option<u128> {
        self.keys.get(path).copied()
    }
}

fn plan_key(r: &Renderer, plan: &Plan) -> u128 {
    let mut h = fingerprint::Hasher::default();
    match plan {
        Plan::Template(name, vars) => {
            h.bytes(b"template");
            h.u128(r.theme.fingerprint);
            h.str(name);
            for (k, v) in &vars.0 {
                h.str(k);
                h.value(v, &r.shared.known);
            }
        }
        Plan::Feed(spec) => {
            let c = &r.site.config;
            h.bytes(b"feed");
            h.str(&spec.title);
            h.str(&spec.description);
            h.str(&spec.page_path);
            h.str(&spec.feed_path);
            h.str(&c.base_url);
            h.str(c.language.tag());
            h.bytes(&[u8::from(c.feed_full_content)]);
            // Only the items the feed shows matter.
            for &i in spec.entries.iter().take(c.feed_limit) {
                h.u128(r.shared.entry_fps[i]);
            }
        }
        Plan::Bytes(b) => {
            h.bytes(b"bytes");
            h.bytes(b);
        }
        Plan::Static(StaticSource::Embedded(name)) => {
            h.bytes(b"embedded");
            h.u128(r.theme.fingerprint);
            h.str(name);
        }
        Plan::Static(StaticSource::Disk(path)) => {
            h.bytes(b"disk");
            h.str(&path.to_string_lossy());
            h.str(&format!("{:?}", crate::source::Stamp::of(path)));
        }
    }
    h.finish()
}

/// Renders the whole site into `sink`.
pub fn render(site: &Site, theme: &Theme, sink: &dyn Sink) -> Result<RenderSummary, RenderError> {
    render_incremental(site, theme, sink, None).map(|(s, _)| s)
}

/// Renders the site, handing to `sink` only files whose inputs changed since
/// the render that produced `prev` (all files when `prev` is `None`). The
/// returned cache describes this render.
pub fn render_incremental(
    site: &Site,
    theme: &Theme,
    sink: &dyn Sink,
    prev: Option<&RenderCache>,
) -> Result<(RenderSummary, RenderCache), RenderError> {
    let mut laps = crate::timings::Laps::start();
    let per = site.config.entries_per_page;
    let shape = match prev.filter(|p| p.same_shape).and_then(|p| p.state.as_ref()) {
        Some(st) => st.shape,
        None => shape(site, theme),
    };
    laps.lap("shape");
    // Same shape as the session's last render: start from its cards.
    let same = prev.and_then(|p| p.state.as_ref()).filter(|st| {
        // Entries may have changed (that is the point); their number and
        // links are in the shape.
        st.shape == shape
            && st.entries.len() == site.entries.len()
            && same_sources(&st.people, site.people.iter().map(|p| p.src.clone()))
            && same_sources(&st.pages, site.pages.iter().map(|p| p.src.clone()))
    });
    let (shared, page_lists, mut affected, built) = match same {
        Some(st) => {
            let changed: Vec<usize> = st
                .entries
                .iter()
                .zip(&site.entries)
                .enumerate()
                .filter(|(_, (old, new))| !Arc::ptr_eq(old, &new.src))
                .map(|(i, _)| i)
                .collect();
            let mut shared = st.shared.clone();
            shared.update(site, &changed);
            shared.known.forget(&st.strings);
            shared.known.remember(&theme.strings);
            let affected = Affected::of(site, &changed);
            (shared, st.page_lists.clone(), Some(affected), None)
        }
        None => {
            // Cards and the search index are independent: side by side.
            let ((shared, page_lists), search) = rayon::join(
                || {
                    let nav = nav(site, &theme.strings);
                    let mut shared = Shared::build(site, nav, &theme.strings);
                    let mut page_lists = HashMap::new();
                    let lists = std::iter::once((String::new(), site.entries.len()))
                        .chain(site.tags.iter().map(|t| (t.path(), t.entries.len())));
                    for (base, n) in lists {
                        let list = page_list(&site.config, &base, page_count(n, per));
                        shared.known.remember(&list);
                        page_lists.insert(base, list);
                    }
                    (shared, page_lists)
                },
                || crate::search::SearchIndex::build(site),
            );
            (shared, page_lists, None, Some(search))
        }
    };
    // The search index: updated in place on the quick path, else built.
    let mut search_touched: Option<HashSet<usize>> = None;
    let search = match (same, &affected) {
        _ if built.is_some() => built,
        (Some(st), Some(a)) => {
            let taken = st.search.lock().unwrap_or_else(|p| p.into_inner()).take();
            taken.and_then(|mut index| {
                let files = index.update(site, &st.entries, &a.changed)?;
                search_touched = Some(files.into_iter().collect());
                Some(index)
            })
        }
        _ => None,
    }
    .unwrap_or_else(|| crate::search::SearchIndex::build(site));
    if let Some(a) = &mut affected {
        a.search = search_touched;
    }
    laps.lap("cards + search");
    let r = Renderer {
        site,
        theme,
        shared,
        page_lists,
        search,
    };

    let mut jobs: Vec<Job> = Vec::new();
    jobs.extend((0..site.entries.len()).map(Job::Entry));
    jobs.extend((1..=page_count(site.entries.len(), per)).map(Job::Index));
    jobs.push(Job::People);
    for i in 0..site.people.len() {
        jobs.push(Job::Person(i));
        jobs.push(Job::PersonFeed(i));
    }
    jobs.push(Job::Tags);
    for (i, t) in site.tags.iter().enumerate() {
        jobs.extend((1..=page_count(t.entries.len(), per)).map(|k| Job::Tag(i, k)));
        jobs.push(Job::TagFeed(i));
    }
    jobs.push(Job::Archive);
    jobs.extend((0..site.pages.len()).map(Job::Page));
    jobs.push(Job::Search);
    jobs.extend((0..r.search.len()).map(Job::SearchFile));
    jobs.extend([Job::NotFound, Job::SiteFeed, Job::Sitemap, Job::Robots]);

    jobs.extend(site.images.sets.values().map(|set| Job::Image(set)));

    // Generated files win over static files of the same path. The same
    // shape has the same output paths: the last render's list stands.
    // (Only while the search index kept its files: a rebuilt index may have
    // another number of shards.)
    let stable = affected.as_ref().is_some_and(|a| a.search.is_some());
    let statics: Vec<String> = match same.filter(|_| stable) {
        Some(st) => st.statics.clone(),
        None => {
            let generated: HashSet<String> = jobs.iter().flat_map(|j| r.output_paths(j)).collect();
            theme
                .statics
                .keys()
                .filter(|p| !generated.contains(p.as_str()))
                .cloned()
                .collect()
        }
    };
    for p in &statics {
        if let Some((p, s)) = theme.statics.get_key_value(p) {
            jobs.push(Job::Static(p, s));
        }
    }
    // Same output paths as last time: only the jobs that may have changed
    // run; the others keep their keys (see below).
    if stable && let Some(a) = &affected {
        jobs.retain(|j| !a.unchanged(j));
    }
    // The archive lists every entry: the slowest page to render. Started
    // first, it runs beside the rest instead of after it.
    jobs.sort_by_key(|j| !matches!(j, Job::Archive));

    laps.lap("job list");
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
    let planned = std::sync::atomic::AtomicUsize::new(0);
    let done: Vec<Vec<(String, u128, bool)>> = jobs
        .par_iter()
        .map(|job| {
            if let Job::Image(set) = job {
                return render_image(
                    set,
                    &site.config.output,
                    sink,
                    prev,
                    &fail_io,
                    &fail_content,
                );
            }
            let path = r.output_path(job);
            let is_page = path.ends_with(".html");
            if let Some(a) = &affected
                && a.unchanged(job)
                && let Some(&key) = prev.and_then(|p| p.keys.get(&path))
            {
                return vec![(path, key, is_page)];
            }
            planned.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let t0 = std::time::Instant::now();
            let plan = r.plan(job);
            let key = plan_key(&r, &plan);
            crate::timings::slow(|| format!("plan {path}"), t0);
            if prev.and_then(|p| p.keys.get(&path)) == Some(&key) {
                return vec![(path, key, is_page)];
            }
            let t0 = std::time::Instant::now();
            let body = match plan {
                Plan::Template(name, vars) => match r.render_template(name, &vars.into_context()) {
                    Ok(html) => Body::Bytes(html.into_bytes()),
                    Err(e) => {
                        fail_content(e);
                        return Vec::new();
                    }
                },
                Plan::Feed(spec) => Body::Bytes(feeds::render(site, &spec)),
                Plan::Bytes(b) => Body::Bytes(b),
                Plan::Static(s) => Body::Static(s),
            };
            crate::timings::slow(|| format!("render {path}"), t0);
            if let Err(e) = sink.put(OutputFile {
                path: path.clone(),
                body,
            }) {
                fail_io(e);
                return Vec::new();
            }
            vec![(path, key, is_page)]
        })
        .collect();
    laps.lap("plan + render");
    if let Some(e) = io_error.into_inner().unwrap_or_else(|p| p.into_inner()) {
        return Err(RenderError::Io(e));
    }
    let errors = errors.into_inner().unwrap_or_else(|p| p.into_inner());
    if !errors.is_empty() {
        return Err(RenderError::Content(errors.into_values().collect()));
    }
    // Same output paths as last time: start from its keys and path list,
    // then record the files this render looked at.
    let known = same.filter(|_| stable);
    let mut keys = match (known, prev) {
        (Some(_), Some(p)) => p.keys.clone(),
        _ => HashMap::with_capacity(done.len()),
    };
    let mut new_paths = Vec::new();
    let mut pages_count = 0;
    for (p, key, is_page) in done.into_iter().flatten() {
        if known.is_none() && !keys.contains_key(&p) {
            pages_count += usize::from(is_page);
            new_paths.push(p.clone());
        }
        keys.insert(p, key);
    }
    let (paths, pages_count) = match known {
        Some(st) => (st.paths.clone(), st.pages_count),
        None => {
            new_paths.sort();
            (Arc::new(new_paths), pages_count)
        }
    };
    let summary = RenderSummary {
        pages: pages_count,
        paths: paths.clone(),
        planned: planned.into_inner(),
    };
    let Renderer {
        shared,
        page_lists,
        search,
        ..
    } = r;
    let cache = RenderCache {
        keys,
        state: Some(Arc::new(RenderState {
            shape,
            entries: site.entries.iter().map(|e| e.src.clone()).collect(),
            people: site.people.iter().map(|p| p.src.clone()).collect(),
            pages: site.pages.iter().map(|p| p.src.clone()).collect(),
            strings: theme.strings.clone(),
            shared,
            page_lists,
            search: Mutex::new(Some(search)),
            statics,
            paths,
            pages_count,
        })),
        same_shape: false,
    };
    laps.lap("summary");
    Ok((summary, cache))
}

/// Resizes one image into its variants, unless the previous render already
/// made them from the same bytes. Returns the variants' paths and keys.
fn render_image(
    set: &crate::images::ImageSet,
    output: &std::path::Path,
    sink: &dyn Sink,
    prev: Option<&RenderCache>,
    fail_io: &(dyn Fn(anyhow::Error) + Sync),
    fail_content: &(dyn Fn(SourceError) + Sync),
) -> Vec<(String, u128, bool)> {
    let owned: Vec<(String, u128, bool)> = set
        .variants
        .iter()
        .filter(|v| v.owned)
        .map(|v| (v.path.clone(), set.key, false))
        .collect();
    let unchanged = prev.is_some_and(|p| {
        owned
            .iter()
            .all(|(path, key, _)| p.keys.get(path) == Some(key))
    });
    if unchanged {
        return owned;
    }
    let made = crate::images::reuse(set, output).map_or_else(|| crate::images::encode(set), Ok);
    let files = match made {
        Ok(f) => f,
        Err(crate::images::EncodeError::Content(e)) => {
            fail_content(e);
            return Vec::new();
        }
        Err(crate::images::EncodeError::Io(e)) => {
            fail_io(e);
            return Vec::new();
        }
    };
    for (path, bytes) in files {
        if let Err(e) = sink.put(OutputFile {
            path,
            body: Body::Bytes(bytes),
        }) {
            fail_io(e);
            return Vec::new();
        }
    }
    owned
}

/// The menu: home, honor roll, tags, archive, pages with `menu: true`, search.
fn nav(site: &Site, strings: &Value) -> Value {
    let c = &site.config;
    let t = |k: &str, fallback: &str| -> String {
        strings
            .get_from_path(k)
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_else(|| fallback.to_string())
    };
    let mut items = vec![
        nav_item(t("home", "首页"), c.url(""), "index"),
        nav_item(t("people", "光荣榜"), c.url("people/"), "people"),
        nav_item(t("tags", "标签"), c.url("tags/"), "tags"),
        nav_item(t("archive", "归档"), c.url("archive/"), "archive"),
    ];
    for p in site.pages.iter().filter(|p| p.src.menu) {
        items.push(nav_item(p.src.title.clone(), c.url(&p.path()), "page"));
    }
    items.push(nav_item(t("search", "搜索"), c.url("search/"), "search"));
    Value::from(items)
}

fn nav_item(title: String, url: String, kind: &str) -> Value {
    let mut m = BTreeMap::new();
    m.insert("title".to_string(), Value::from(title));
    m.insert("url".to_string(), Value::from(url));
    m.insert("kind".to_string(), Value::from(kind));
    Value::from(m)
}

/// Keys every template gets (see docs/templates.md).
struct PageMeta<'a> {
    kind: &'a str,
    title: Option<&'a str>,
    description: &'a str,
    path: &'a str,
    og_image: Option<String>,
    feed: Option<String>,
}

impl<'a> Renderer<'a> {
    fn output_path(&self, job: &Job) -> String {
        let s = self.site;
        let per = s.config.entries_per_page;
        let _ = per;
        match job {
            Job::Index(k) => html_file(&page_path("", *k)),
            Job::Entry(i) => html_file(&s.entries[*i].path()),
            Job::People => "people/index.html".into(),
            Job::Person(i) => html_file(&s.people[*i].path()),
            Job::PersonFeed(i) => format!("{}rss.xml", s.people[*i].path()),
            Job::Tags => "tags/index.html".into(),
            Job::Tag(i, k) => html_file(&page_path(&s.tags[*i].path(), *k)),
            Job::TagFeed(i) => format!("{}rss.xml", s.tags[*i].path()),
            Job::Archive => "archive/index.html".into(),
            Job::Page(i) => html_file(&s.pages[*i].path()),
            Job::Search => "search/index.html".into(),
            Job::SearchFile(i) => self.search.file(*i).0,
            Job::NotFound => "404.html".into(),
            Job::SiteFeed => "rss.xml".into(),
            Job::Sitemap => "sitemap.xml".into(),
            Job::Robots => "robots.txt".into(),
            Job::Static(p, _) => (*p).to_string(),
            Job::Image(set) => set.original.clone(),
        }
    }

    /// Every file a job writes.
    fn output_paths(&self, job: &Job) -> Vec<String> {
        match job {
            Job::Image(set) => set
                .variants
                .iter()
                .filter(|v| v.owned)
                .map(|v| v.path.clone())
                .collect(),
            _ => vec![self.output_path(job)],
        }
    }

    fn plan(&self, job: &Job) -> Plan {
        let s = self.site;
        let c = &s.config;
        match job {
            Job::Index(k) => {
                let base = "";
                let total = page_count(s.entries.len(), c.entries_per_page);
                let idx = page_slice(s.entries.len(), c.entries_per_page, *k);
                let path = page_path(base, *k);
                let title = (*k > 1).then(|| {
                    format!(
                        "{}{k}{}",
                        self.t("page_prefix", "第 "),
                        self.t("page_suffix", " 页")
                    )
                });
                let mut ctx = self.base(&PageMeta {
                    kind: "index",
                    title: title.as_deref(),
                    description: c.description.as_deref().unwrap_or(&c.title),
                    path: &path,
                    og_image: None,
                    feed: Some(c.url("rss.xml")),
                });
                ctx.insert_value("entries", self.cards(idx));
                ctx.insert_value("paginator", self.paginator(base, *k, total));
                Plan::Template("index.html", ctx)
            }
            Job::Entry(i) => {
                let e = &s.entries[*i];
                let path = e.path();
                let mut entry = self.shared.entry_cards[*i].clone();
                insert(&mut entry, "content", Value::safe_string(&e.src.html));
                insert(&mut entry, "credit", e.src.credit.as_deref().into());
                let link = |j: usize| {
                    let o = &s.entries[j];
                    let mut m = BTreeMap::new();
                    m.insert("title".to_string(), Value::from(o.src.title.as_str()));
                    m.insert("url".to_string(), Value::from(c.url(&o.path())));
                    Value::from(m)
                };
                insert(
                    &mut entry,
                    "prev",
                    if *i + 1 < s.entries.len() {
                        link(*i + 1)
                    } else {
                        Value::none()
                    },
                );
                insert(
                    &mut entry,
                    "next",
                    if *i > 0 { link(*i - 1) } else { Value::none() },
                );
                let mut ctx = self.base(&PageMeta {
                    kind: "entry",
                    title: Some(&e.src.title),
                    description: &e.src.description,
                    path: &path,
                    og_image: e.src.cover.as_ref().map(|v| asset_permalink(c, &v.value)),
                    feed: Some(c.url("rss.xml")),
                });
                ctx.insert_value("entry", entry);
                Plan::Template("entry.html", ctx)
            }
            Job::People => {
                let mut batches: BTreeMap<Option<u32>, Vec<Value>> = BTreeMap::new();
                for (i, p) in s.people.iter().enumerate() {
                    batches
                        .entry(p.src.batch)
                        .or_default()
                        .push(self.shared.person_cards[i].clone());
                }
                // BTreeMap puts `None` first; people without a batch go last.
                let mut list: Vec<(Option<u32>, Vec<Value>)> = batches.into_iter().collect();
                let unbatched_first = usize::from(list.first().is_some_and(|b| b.0.is_none()));
                list.rotate_left(unbatched_first);
                let batches: Vec<Value> = list
                    .into_iter()
                    .map(|(b, people)| {
                        let mut m = BTreeMap::new();
                        m.insert("batch".to_string(), b.map_or_else(Value::none, Value::from));
                        m.insert("label".to_string(), Value::from(self.batch_label(b)));
                        m.insert("people".to_string(), Value::from(people));
                        Value::from(m)
                    })
                    .collect();
                let mut ctx = self.section("people", self.t("people", "光荣榜"), "people/");
                ctx.insert_value("batches", Value::from(batches));
                Plan::Template("people.html", ctx)
            }
            Job::Person(i) => {
                let p = &s.people[*i];
                let path = p.path();
                let mut person = self.shared.person_cards[*i].clone();
                insert(&mut person, "bio", Value::safe_string(&p.src.bio_html));
                let honors: Vec<Value> = p
                    .src
                    .honors
                    .iter()
                    .map(|h| {
                        let mut m = BTreeMap::new();
                        m.insert("date".to_string(), Value::from(h.date.to_string()));
                        m.insert("title".to_string(), Value::from(h.title.as_str()));
                        Value::from(m)
                    })
                    .collect();
                insert(&mut person, "honors", Value::from(honors));
                let feed_url = c.url(&format!("{path}rss.xml"));
                insert(&mut person, "feed_url", Value::from(feed_url.as_str()));
                let entries: Vec<Value> = p
                    .timeline()
                    .into_iter()
                    .map(|(idx, authored)| {
                        let mut card = self.shared.entry_cards[idx].clone();
                        insert(
                            &mut card,
                            "role",
                            Value::from(if authored { "author" } else { "mentioned" }),
                        );
                        card
                    })
                    .collect();
                let description = p.src.motto.clone().unwrap_or_else(|| {
                    let t =
                        crate::markdown::truncate_text(&p.src.bio_text, crate::site::SUMMARY_CHARS);
                    if t.is_empty() { p.src.name.clone() } else { t }
                });
                let mut ctx = self.base(&PageMeta {
                    kind: "person",
                    title: Some(&p.src.name),
                    description: &description,
                    path: &path,
                    og_image: p.src.photo.as_ref().map(|v| asset_permalink(c, &v.value)),
                    feed: Some(feed_url),
                });
                ctx.insert_value("person", person);
                ctx.insert_value("entries", Value::from(entries));
                Plan::Template("person.html", ctx)
            }
            Job::PersonFeed(i) => {
                let p = &s.people[*i];
                let mut all: Vec<usize> = p.timeline().into_iter().map(|(i, _)| i).collect();
                all.reverse(); // newest first
                Plan::Feed(feeds::FeedSpec {
                    title: format!("{} — {}", p.src.name, c.title),
                    description: p
                        .src
                        .motto
                        .clone()
                        .unwrap_or_else(|| format!("{} · {}", p.src.name, c.title)),
                    page_path: p.path(),
                    feed_path: format!("{}rss.xml", p.path()),
                    entries: all,
                })
            }
            Job::Tags => {
                let mut order: Vec<usize> = (0..s.tags.len()).collect();
                order.sort_by(|&a, &b| {
                    s.tags[b]
                        .entries
                        .len()
                        .cmp(&s.tags[a].entries.len())
                        .then_with(|| s.tags[a].slug.cmp(&s.tags[b].slug))
                });
                let tags: Vec<Value> = order
                    .into_iter()
                    .map(|i| self.shared.tag_refs[i].clone())
                    .collect();
                let mut ctx = self.section("tags", self.t("tags", "标签"), "tags/");
                ctx.insert_value("tags", Value::from(tags));
                Plan::Template("tags.html", ctx)
            }
            Job::Tag(i, k) => {
                let t = &s.tags[*i];
                let base = t.path();
                let total = page_count(t.entries.len(), c.entries_per_page);
                let range = page_slice(t.entries.len(), c.entries_per_page, *k);
                let path = page_path(&base, *k);
                let feed_url = c.url(&format!("{base}rss.xml"));
                let mut tag = self.shared.tag_refs[*i].clone();
                insert(&mut tag, "feed_url", Value::from(feed_url.as_str()));
                let title = if *k > 1 {
                    format!("{} ({k})", t.name)
                } else {
                    t.name.clone()
                };
                let description = format!("{}: {}", self.t("tags", "Tags"), t.name);
                let mut ctx = self.base(&PageMeta {
                    kind: "tag",
                    title: Some(&title),
                    description: &description,
                    path: &path,
                    og_image: None,
                    feed: Some(feed_url),
                });
                ctx.insert_value("tag", tag);
                let cards: Vec<Value> = t.entries[range]
                    .iter()
                    .map(|&e| self.shared.entry_cards[e].clone())
                    .collect();
                ctx.insert_value("entries", Value::from(cards));
                ctx.insert_value("paginator", self.paginator(&base, *k, total));
                Plan::Template("tag.html", ctx)
            }
            Job::TagFeed(i) => {
                let t = &s.tags[*i];
                Plan::Feed(feeds::FeedSpec {
                    title: format!("{} — {}", t.name, c.title),
                    description: format!("{} · {}", t.name, c.title),
                    page_path: t.path(),
                    feed_path: format!("{}rss.xml", t.path()),
                    entries: t.entries.clone(),
                })
            }
            Job::Archive => {
                // The entries' shared cards: no per-entry values to build,
                // and each hashes as one remembered fingerprint.
                let mut months: Vec<((i32, u32), Vec<Value>)> = Vec::new();
                for (i, e) in s.entries.iter().enumerate() {
                    let d = e.date();
                    let key = (d.year(), d.month());
                    let item = self.shared.entry_cards[i].clone();
                    match months.last_mut() {
                        Some((k, list)) if *k == key => list.push(item),
                        _ => months.push((key, vec![item])),
                    }
                }
                let months: Vec<Value> = months
                    .into_iter()
                    .map(|((y, m), entries)| {
                        let mut map = BTreeMap::new();
                        map.insert("year".to_string(), Value::from(y));
                        map.insert("month".to_string(), Value::from(m));
                        map.insert("entries".to_string(), Value::from(entries));
                        Value::from(map)
                    })
                    .collect();
                let mut ctx = self.section("archive", self.t("archive", "归档"), "archive/");
                ctx.insert_value("months", Value::from(months));
                Plan::Template("archive.html", ctx)
            }
            Job::Page(i) => {
                let p = &s.pages[*i];
                let path = p.path();
                let description = p.src.summary.clone().unwrap_or_else(|| {
                    crate::markdown::truncate_text(&p.src.text, crate::site::SUMMARY_CHARS)
                });
                let mut ctx = self.base(&PageMeta {
                    kind: "page",
                    title: Some(&p.src.title),
                    description: &description,
                    path: &path,
                    og_image: None,
                    feed: Some(c.url("rss.xml")),
                });
                let mut doc = BTreeMap::new();
                doc.insert("title".to_string(), Value::from(p.src.title.as_str()));
                doc.insert("content".to_string(), Value::safe_string(&p.src.html));
                doc.insert("url".to_string(), Value::from(c.url(&path)));
                ctx.insert_value("doc", Value::from(doc));
                Plan::Template("page.html", ctx)
            }
            Job::Search => {
                let mut ctx = self.section("search", self.t("search", "搜索"), "search/");
                let mut search = BTreeMap::new();
                search.insert("index".to_string(), Value::from(c.url("search/")));
                search.insert("script".to_string(), Value::from(c.url("search.js")));
                ctx.insert_value("search", Value::from(search));
                Plan::Template("search.html", ctx)
            }
            Job::SearchFile(i) => Plan::Bytes(self.search.file(*i).1.to_vec()),
            Job::NotFound => {
                let ctx = self.section("404", self.t("not_found_title", "页面未找到"), "404.html");
                Plan::Template("404.html", ctx)
            }
            Job::SiteFeed => {
                let all: Vec<usize> = (0..s.entries.len().min(c.feed_limit)).collect();
                Plan::Feed(feeds::FeedSpec {
                    title: c.title.clone(),
                    description: c
                        .description
                        .clone()
                        .or_else(|| c.subtitle.clone())
                        .unwrap_or_else(|| c.title.clone()),
                    page_path: String::new(),
                    feed_path: "rss.xml".into(),
                    entries: all,
                })
            }
            Job::Sitemap => Plan::Bytes(sitemap::sitemap(&self.sitemap_urls())),
            Job::Robots => Plan::Bytes(sitemap::robots(&c.permalink("sitemap.xml"))),
            Job::Static(_, src) => Plan::Static((*src).clone()),
            Job::Image(_) => unreachable!("images are rendered by render_image"),
        }
    }

    fn sitemap_urls(&self) -> Vec<sitemap::SitemapUrl> {
        let s = self.site;
        let c = &s.config;
        let newest = s
            .entries
            .first()
            .map(|e| e.date().format("%Y-%m-%d").to_string());
        let url = |p: &str, lastmod: Option<String>| sitemap::SitemapUrl {
            loc: c.permalink(p),
            lastmod,
        };
        let mut v = vec![url("", newest.clone())];
        v.extend(
            s.entries
                .iter()
                .map(|e| url(&e.path(), Some(e.date().format("%Y-%m-%d").to_string()))),
        );
        v.push(url("people/", newest.clone()));
        for p in &s.people {
            let last = p
                .timeline()
                .last()
                .map(|&(i, _)| s.entries[i].date().format("%Y-%m-%d").to_string());
            v.push(url(&p.path(), last));
        }
        v.push(url("tags/", newest.clone()));
        for t in &s.tags {
            let last = t
                .entries
                .first()
                .map(|&i| s.entries[i].date().format("%Y-%m-%d").to_string());
            v.push(url(&t.path(), last));
        }
        v.push(url("archive/", newest));
        v.extend(s.pages.iter().map(|p| url(&p.path(), None)));
        v
    }

    fn t(&self, key: &str, fallback: &str) -> String {
        self.theme
            .strings
            .get_from_path(key)
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_else(|| fallback.to_string())
    }

    fn batch_label(&self, b: Option<u32>) -> String {
        match (b, self.site.config.language) {
            (None, _) => self.t("no_batch", "其他"),
            (Some(n), crate::config::Language::ZhCn) => format!("第{}批", zh_number(n)),
            (Some(n), crate::config::Language::En) => format!("Team {n}"),
        }
    }

    fn base(&self, m: &PageMeta) -> Vars {
        let c = &self.site.config;
        let mut ctx = Vars::default();
        ctx.insert_value("site", self.shared.site.clone());
        ctx.insert_value("t", self.theme.strings.clone());
        ctx.insert("kind", m.kind);
        ctx.insert_value("title", m.title.map_or_else(Value::none, Value::from));
        ctx.insert("description", m.description);
        ctx.insert("permalink", &c.permalink(m.path));
        ctx.insert("url", &c.url(m.path));
        ctx.insert_value(
            "og_image",
            m.og_image.clone().map_or_else(Value::none, Value::from),
        );
        ctx.insert_value("feed", m.feed.clone().map_or_else(Value::none, Value::from));
        ctx
    }

    /// The keys every template gets, for a page of the site's own (honor
    /// roll, tags, archive, search, 404) whose title is also its description.
    fn section(&self, kind: &str, title: String, path: &str) -> Vars {
        self.base(&PageMeta {
            kind,
            title: Some(&title),
            description: &title,
            path,
            og_image: None,
            feed: Some(self.site.config.url("rss.xml")),
        })
    }

    fn cards(&self, range: std::ops::Range<usize>) -> Value {
        Value::from(self.shared.entry_cards[range].to_vec())
    }

    fn paginator(&self, base: &str, current: usize, total: usize) -> Value {
        let c = &self.site.config;
        let u = |k: usize| Value::from(c.url(&page_path(base, k)));
        // One shared list per paginated list: building (and hashing) it per
        // page would be quadratic in the number of pages.
        let pages = self
            .page_lists
            .get(base)
            .cloned()
            .unwrap_or_else(|| page_list(c, base, total));
        let mut m = BTreeMap::new();
        m.insert("current".to_string(), Value::from(current));
        m.insert("total".to_string(), Value::from(total));
        m.insert(
            "prev_url".to_string(),
            if current > 1 {
                u(current - 1)
            } else {
                Value::none()
            },
        );
        m.insert(
            "next_url".to_string(),
            if current < total {
                u(current + 1)
            } else {
                Value::none()
            },
        );
        // The pages a compact pager shows: the first, the last and three on
        // each side of the current one. Looping over `pages` on every page of
        // a long list would be quadratic.
        let nearby: Vec<Value> = pages
            .as_array()
            .unwrap_or(&[])
            .iter()
            .enumerate()
            .filter(|(i, _)| {
                let n = i + 1;
                n == 1 || n == total || n.abs_diff(current) <= 3
            })
            .map(|(_, v)| v.clone())
            .collect();
        m.insert("nearby".to_string(), Value::from(nearby));
        m.insert("pages".to_string(), pages);
        Value::from(m)
    }

    fn render_template(&self, name: &str, ctx: &Context) -> Result<String, SourceError> {
        self.theme
            .tera
            .render(name, ctx)
            .map_err(|e| self.theme.error(&e, name))
    }
}

/// The slice of item indices shown on page `k` (1-based).
fn page_slice(n: usize, per: usize, k: usize) -> std::ops::Range<usize> {
    let start = ((k - 1) * per).min(n);
    start..(start + per).min(n)
}

/// 1 → 一, 12 → 十二, 23 → 二十三 (batch labels); larger numbers stay digits.
pub fn zh_number(n: u32) -> String {
    const D: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => D[n as usize].to_string(),
        10..=19 => format!("十{}", if n == 10 { "" } else { D[(n - 10) as usize] }),
        20..=99 => format!(
            "{}十{}",
            D[(n / 10) as usize],
            if n.is_multiple_of(10) {
                ""
            } else {
                D[(n % 10) as usize]
            }
        ),
        _ => n.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pagination_math() {
        assert_eq!(page_count(0, 10), 1);
        assert_eq!(page_count(21, 10), 3);
        assert_eq!(page_slice(21, 10, 3), 20..21);
        assert_eq!(page_path("tags/a/", 1), "tags/a/");
        assert_eq!(page_path("", 2), "page/2/");
        assert_eq!(html_file(""), "index.html");
    }

    #[test]
    fn chinese_batch_numbers() {
        assert_eq!(zh_number(1), "一");
        assert_eq!(zh_number(10), "十");
        assert_eq!(zh_number(12), "十二");
        assert_eq!(zh_number(30), "三十");
        assert_eq!(zh_number(45), "四十五");
    }
}
