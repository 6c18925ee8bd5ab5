//! The pipeline, end to end: config → load → assemble → theme → render →
//! write. `build` writes through a staging folder; `check` renders into memory
//! and checks every internal link, writing nothing.

use std::path::Path;
use std::time::Instant;

use chrono::{DateTime, FixedOffset};

use crate::config::{BuildFlags, Config, LoadError};
use crate::diag::SourceError;
use crate::output::{self, Staging};
use crate::render::{self, RenderError, Theme};
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
    pub files: usize,
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
    let config = Config::load(root, flags)?;
    if let Err(msg) = output::check_output_dir(&config.root, &config.output) {
        return Err(BuildError::Usage(format!("{msg}; choose another --output")));
    }
    let opts = LoadOptions {
        timezone: config.timezone,
        root_path: config.root_path.clone(),
        sanitize: !config.unsafe_html,
    };
    // Theme and content are independent: load them side by side.
    let (loaded, theme) = rayon::join(
        || source::load(&config.root, &opts),
        || Theme::load(&config),
    );
    let mut errors = Vec::new();
    let theme = match theme {
        Ok(t) => Some(t),
        Err(e) => {
            errors.extend(e);
            None
        }
    };
    let site = match Site::assemble(config, loaded, now) {
        Ok(s) => Some(s),
        Err(e) => {
            errors.extend(e);
            None
        }
    };
    match (site, theme) {
        (Some(mut site), Some(theme)) if errors.is_empty() => {
            site.warnings.extend(theme.warnings.iter().cloned());
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

/// `laurel build`: everything, into the output folder, atomically.
pub fn build(
    root: &Path,
    flags: &BuildFlags,
    now: DateTime<FixedOffset>,
) -> Result<BuildReport, BuildError> {
    let start = Instant::now();
    let Prepared { site, theme } = prepare(root, flags, now)?;
    let mut warnings = site.warnings.clone();
    let staging = Staging::new(&site.config.output).map_err(BuildError::Io)?;
    let summary = match render::render(&site, &theme, &staging) {
        Ok(s) => s,
        Err(e) => {
            staging.abandon();
            return Err(match e {
                RenderError::Content(errs) => content_errors(errs),
                RenderError::Io(e) => BuildError::Io(e),
            });
        }
    };
    for broken in crate::check::content_links(&site, &summary.paths) {
        warnings.push(broken.to_string());
    }
    let files = staging.files();
    staging.commit().map_err(BuildError::Io)?;
    Ok(BuildReport {
        pages: summary.pages,
        files,
        entries: site.entries.len(),
        people: site.people.len(),
        millis: start.elapsed().as_millis(),
        warnings,
    })
}
