//! Preparing a build: `site.yaml` → sources → the site → theme → images,
//! every phase's problems collected together. A phase that has problems does
//! not stop the next: a broken `site.yaml` still lets the content be checked
//! (against the defaults), a broken entry is left out of the site while the
//! others are checked against each other, and images are checked against the
//! static files even when a template is broken. `build`, `check` and
//! `watch`/`serve` all prepare through here, so they report the same
//! problems in the same order.

use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};

use crate::config::{BuildFlags, Config};
use crate::diag::{BuildError, SourceError};
use crate::images::{Images, ProbeCache};
use crate::site::Site;
use crate::source::{self, LoadOptions, SourceCache};
use crate::theme::Theme;
use crate::timings::Laps;

/// A loaded, checked site with its theme and images, ready to render.
pub struct Prepared {
    pub site: Site,
    /// Shared: `serve` renders exports from the last good theme on request.
    pub theme: Arc<Theme>,
    pub images: Images,
}

/// What preparing found: the site (complete where it could be made), and
/// every problem. With problems, `prepared` is for finding more of them
/// (rendering it finds the template problems), never for writing.
pub(crate) struct Outcome {
    pub prepared: Option<Prepared>,
    pub problems: Vec<SourceError>,
}

/// Loads `site.yaml` and refuses output folders that would destroy the site.
pub(crate) fn load_config(root: &Path, flags: &BuildFlags) -> Result<Config, BuildError> {
    let config = Config::load(root, flags)?;
    check_output(&config)?;
    Ok(config)
}

/// Refuses output folders that would destroy the site (a usage error).
pub(crate) fn check_output(config: &Config) -> Result<(), BuildError> {
    crate::output::check_output_dir(&config.root, &config.output).map_err(|m| {
        BuildError::Usage(crate::diag::Msg::new(
            format!("{}; choose another --output", m.en),
            format!("{}；请换一个 --output", m.zh),
        ))
    })
}

/// Loads and checks everything, collecting every problem of every phase.
/// A usage or I/O error (not a content problem) ends it early.
pub(crate) fn prepare(
    root: &Path,
    flags: &BuildFlags,
    now: DateTime<FixedOffset>,
    sources: &mut SourceCache,
    probes: Option<&ProbeCache>,
) -> Result<Outcome, BuildError> {
    let (config, mut problems) = match load_config(root, flags) {
        Ok(c) => (c, Vec::new()),
        Err(BuildError::Content(errs)) => match Config::fallback(root, flags) {
            Some(c) => (c, errs),
            None => return Err(BuildError::Content(errs)),
        },
        Err(e) => return Err(e),
    };
    let opts = LoadOptions::of(&config);
    let mut laps = Laps::start();
    // Theme and content are independent: load them side by side.
    let (loaded, theme) = rayon::join(
        || source::load_cached(&config.root, &opts, sources),
        || Theme::load(&config),
    );
    laps.lap("load + theme");
    let (mut site, errors) = Site::assemble(config, loaded, now);
    problems.extend(errors);
    laps.lap("assemble");
    let (theme, statics) = match theme {
        Ok(t) => {
            let statics = t.statics.clone();
            (Some(t), statics)
        }
        Err(broken) => {
            problems.extend(broken.errors);
            (None, broken.statics)
        }
    };
    let images = match crate::images::scan(&site, &statics, probes) {
        Ok(i) => i,
        Err(errs) => {
            problems.extend(errs);
            Images::default()
        }
    };
    crate::images::picture_bodies(&mut site, &images);
    laps.lap("images");
    let prepared = theme.map(|theme| {
        site.warnings.extend(theme.warnings.iter().cloned());
        Prepared {
            site,
            theme: Arc::new(theme),
            images,
        }
    });
    Ok(Outcome { prepared, problems })
}

impl Outcome {
    /// The prepared site, or every problem: those found while preparing and
    /// the template problems a render of the rest finds.
    pub(crate) fn into_result(self) -> Result<Prepared, BuildError> {
        self.into_result_unless(None)
    }

    /// [`Outcome::into_result`], but without rendering for template problems
    /// when the theme is `known_good` (the fingerprint of a theme that
    /// rendered the last good site): a live session then shows an edit's
    /// problem at once instead of after a render of the whole site.
    pub(crate) fn into_result_unless(
        self,
        known_good: Option<u128>,
    ) -> Result<Prepared, BuildError> {
        let Outcome {
            prepared,
            mut problems,
        } = self;
        match prepared {
            Some(p) if problems.is_empty() => Ok(p),
            Some(p) => {
                if known_good != Some(p.theme.fingerprint) {
                    problems.extend(crate::render::template_problems(
                        &p.site, &p.theme, &p.images,
                    ));
                }
                Err(BuildError::content(problems))
            }
            None => Err(BuildError::content(problems)),
        }
    }
}
