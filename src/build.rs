//! The pipeline, end to end: config → load → assemble → theme → render →
//! write. `build` writes through a staging folder; `check` renders into memory
//! and checks every internal link, writing nothing.

use std::collections::HashMap;
use std::path::Path;

use rayon::prelude::*;
use std::time::Instant;

use chrono::{DateTime, FixedOffset};

use crate::config::{BuildFlags, Config, LoadError};
use crate::diag::SourceError;
use crate::manifest::{self, Manifest};
use crate::output::{self, Staging};
use crate::render::{self, RenderCache, RenderError, Theme};
use crate::site::Site;
use crate::source::{self, LoadOptions};

/// Why a build failed.
#[derive(Debug)]
pub enum BuildError {
    /// Problems in the user's files: all of them, sorted.
    Content(Vec<SourceError>),
    /// The command cannot run as asked (e.g. the output folder is the site).
    Usage(String),
    /// The machine failed us (disk full, permissions).
    Io(anyhow::Error),
}

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BuildError::Content(errs) => crate::diag::ContentErrors(errs.clone()).fmt(f),
            BuildError::Usage(m) => write!(f, "{m}"),
            BuildError::Io(e) => write!(f, "{e:#}"),
        }
    }
}

impl From<LoadError> for BuildError {
    fn from(e: LoadError) -> Self {
        match e {
            LoadError::Content(v) => BuildError::Content(v),
            LoadError::Io(e) => BuildError::Io(e),
        }
    }
}

/// What a successful build did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    pub pages: usize,
    /// Files in the output folder.
    pub files: usize,
    /// Files rendered and written by this build (the rest were reused).
    pub written: usize,
    /// Nothing changed since the last build: nothing was done.
    pub up_to_date: bool,
    pub entries: usize,
    pub people: usize,
    pub millis: u128,
    pub warnings: Vec<String>,
}

/// A loaded, checked site with its theme, ready to render.
pub struct Prepared {
    pub site: Site,
    pub theme: Theme,
}

/// Loads and checks everything, collecting every content problem.
pub fn prepare(
    root: &Path,
    flags: &BuildFlags,
    now: DateTime<FixedOffset>,
) -> Result<Prepared, BuildError> {
    prepare_config(load_config(root, flags)?, now)
}

/// Loads `site.yaml` and refuses output folders that would destroy the site.
pub(crate) fn load_config(root: &Path, flags: &BuildFlags) -> Result<Config, BuildError> {
    let config = Config::load(root, flags)?;
    check_output(&config)?;
    Ok(config)
}

/// Refuses output folders that would destroy the site (a usage error).
pub(crate) fn check_output(config: &Config) -> Result<(), BuildError> {
    output::check_output_dir(&config.root, &config.output)
        .map_err(|msg| BuildError::Usage(format!("{msg}; choose another --output")))
}

/// [`prepare`] with the configuration already loaded.
fn prepare_config(config: Config, now: DateTime<FixedOffset>) -> Result<Prepared, BuildError> {
    prepare_cached(config, now, &mut source::SourceCache::default(), None)
}

/// [`prepare`] reusing what a `watch`/`serve` session already read: sources
/// by file stamp, image headers by file stamp.
pub(crate) fn prepare_cached(
    config: Config,
    now: DateTime<FixedOffset>,
    sources: &mut source::SourceCache,
    probes: Option<&crate::images::ProbeCache>,
) -> Result<Prepared, BuildError> {
    let opts = LoadOptions::of(&config);
    let mut laps = crate::timings::Laps::start();
    // Theme and content are independent: load them side by side.
    let (loaded, theme) = rayon::join(
        || source::load_cached(&config.root, &opts, sources),
        || Theme::load(&config),
    );
    laps.lap("load + theme");
    let mut errors = Vec::new();
    let theme = theme.map_err(|e| errors.extend(e)).ok();
    let site = Site::assemble(config, loaded, now)
        .map_err(|e| errors.extend(e))
        .ok();
    laps.lap("assemble");
    match (site, theme) {
        (Some(mut site), Some(theme)) if errors.is_empty() => {
            site.warnings.extend(theme.warnings.iter().cloned());
            site.scan_images(&theme.statics, probes)
                .map_err(content_errors)?;
            laps.lap("images");
            Ok(Prepared { site, theme })
        }
        _ => Err(content_errors(errors)),
    }
}

/// All problems, sorted and deduplicated, as one build error.
pub(crate) fn content_errors(errors: Vec<SourceError>) -> BuildError {
    let mut d = crate::diag::Diagnostics::new();
    d.extend(errors);
    BuildError::Content(d.into_sorted())
}

/// Whether a recorded output file is still in place as written.
fn is_intact(output: &Path, path: &str, record: &manifest::FileRecord) -> bool {
    output::safe_relative(path)
        .ok()
        .and_then(|rel| std::fs::symlink_metadata(output.join(rel)).ok())
        .is_some_and(|md| md.is_file() && md.len() == record.len)
}

/// `laurel build`: everything, into the output folder, atomically.
///
/// When the output folder holds the manifest of an earlier build, nothing is
/// done if no input changed, and output files whose inputs did not change are
/// hard-linked from the old site instead of being rendered and written again.
pub fn build(
    root: &Path,
    flags: &BuildFlags,
    now: DateTime<FixedOffset>,
) -> Result<BuildReport, BuildError> {
    let start = Instant::now();
    let config = load_config(root, flags)?;
    let inputs = manifest::input_fingerprint(&config, flags);
    let previous = Manifest::read(&config.output);
    // Up to date: no input changed, no scheduled entry came due, and every
    // recorded output file is still there with its length (nobody deleted or
    // edited the published files).
    if let Some(m) = &previous
        && m.is_up_to_date(inputs, now)
        && m.files
            .par_iter()
            .all(|(p, r)| is_intact(&config.output, p, r))
    {
        return Ok(BuildReport {
            pages: m.files.keys().filter(|p| p.ends_with(".html")).count(),
            files: m.files.len(),
            written: 0,
            up_to_date: true,
            entries: 0,
            people: 0,
            millis: start.elapsed().as_millis(),
            warnings: Vec::new(),
        });
    }
    let output = config.output.clone();
    let Prepared { site, theme } = prepare_config(config, now)?;
    let mut warnings = site.warnings.clone();
    // Reuse only files that are still there, as long as recorded (a file
    // edited by hand is rendered again).
    let reusable: HashMap<String, manifest::FileRecord> = previous
        .map(|m| {
            m.files
                .into_par_iter()
                .filter(|(p, r)| is_intact(&output, p, r))
                .collect()
        })
        .unwrap_or_default();
    let prev = RenderCache::from_keys(reusable.iter().map(|(p, r)| (p.clone(), r.key)).collect());
    let staging = Staging::new(&output).map_err(BuildError::Io)?;
    let (summary, cache) = match render::render_incremental(&site, &theme, &staging, Some(&prev)) {
        Ok(s) => s,
        Err(e) => {
            staging.abandon();
            return Err(match e {
                RenderError::Content(errs) => content_errors(errs),
                RenderError::Io(e) => BuildError::Io(e),
            });
        }
    };
    let written = staging.files();
    let linked: anyhow::Result<Vec<(String, u64)>> = summary
        .paths
        .par_iter()
        .filter(|p| staging.written_len(p).is_none())
        .map(|p| {
            staging.link_from(&output, p)?;
            Ok((p.clone(), reusable.get(p).map_or(0, |r| r.len)))
        })
        .collect();
    let linked = match linked {
        Ok(l) => l,
        Err(e) => {
            staging.abandon();
            return Err(BuildError::Io(e));
        }
    };
    let mut files: HashMap<String, manifest::FileRecord> =
        HashMap::with_capacity(summary.paths.len());
    for p in summary.paths.iter() {
        let len = staging.written_len(p).unwrap_or(0);
        files.insert(
            p.clone(),
            manifest::FileRecord {
                key: cache.key(p).unwrap_or(0),
                len,
            },
        );
    }
    for (p, len) in linked {
        if let Some(r) = files.get_mut(&p) {
            r.len = len;
        }
    }
    let manifest = Manifest {
        inputs,
        until: site.next_scheduled,
        files,
    };
    staging
        .write_marker(&manifest.render())
        .map_err(BuildError::Io)?;
    for broken in crate::links::broken_in_content(&site, &summary.paths) {
        warnings.push(broken.to_string());
    }
    let files = summary.paths.len();
    staging.commit().map_err(BuildError::Io)?;
    Ok(BuildReport {
        pages: summary.pages,
        files,
        written,
        up_to_date: false,
        entries: site.entries.len(),
        people: site.people.len(),
        millis: start.elapsed().as_millis(),
        warnings,
    })
}
