//! `laurel build`: prepare (every problem at once), render only what changed
//! since the last build into a staging folder, and swap it in (`output`).

use std::collections::HashMap;
use std::path::Path;

use rayon::prelude::*;
use std::time::Instant;

use chrono::{DateTime, FixedOffset};

use crate::config::BuildFlags;
use crate::diag::BuildError;
use crate::output::manifest::{self, Manifest};
use crate::output::{self, Staging};
use crate::pipeline::{self, Prepared};
use crate::render::{self, RenderCache};
use crate::source::SourceCache;

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

/// Whether a recorded output file is still in place as written (a regular
/// file reached through real folders: a symlink is never reused).
fn is_intact(output: &output::Tree, path: &str, record: &manifest::FileRecord) -> bool {
    output::safe_relative(path)
        .ok()
        .and_then(|rel| output.real_file(&rel))
        .is_some_and(|md| md.len() == record.len)
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
    let config = match pipeline::load_config(root, flags) {
        Ok(c) => c,
        // A broken site.yaml: report the content's problems with it.
        Err(BuildError::Content(errs)) => {
            let all = pipeline::prepare(root, flags, now, &mut SourceCache::default(), None)?;
            return Err(all.into_result().err().unwrap_or(BuildError::Content(errs)));
        }
        Err(e) => return Err(e),
    };
    // Held to the end: one writer at a time; leftovers of killed builds are
    // cleaned under it, also when the build turns out to be up to date.
    let lock = output::lock(&config.output).map_err(output::write_error)?;
    let tree = output::Tree::new(&config.output);
    let inputs = manifest::input_fingerprint(&config, flags);
    let previous = Manifest::read(&config.output);
    // Up to date: no input changed, no scheduled entry came due, and every
    // recorded output file is still there with its length (nobody deleted or
    // edited the published files).
    if let Some(m) = &previous
        && m.is_up_to_date(inputs, now)
        && m.files.par_iter().all(|(p, r)| is_intact(&tree, p, r))
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
    let Prepared {
        site,
        theme,
        images,
    } = pipeline::prepare(root, flags, now, &mut SourceCache::default(), None)?.into_result()?;
    let mut warnings = site.warnings.clone();
    // Reuse only files that are still there, as long as recorded (a file
    // edited by hand is rendered again).
    let reusable: HashMap<String, manifest::FileRecord> = previous
        .map(|m| {
            m.files
                .into_par_iter()
                .filter(|(p, r)| is_intact(&tree, p, r))
                .collect()
        })
        .unwrap_or_default();
    let prev = RenderCache::from_keys(reusable.iter().map(|(p, r)| (p.clone(), r.key)).collect());
    let staging = Staging::new(&output, &lock).map_err(output::write_error)?;
    let rendered = render::render_incremental(&site, &theme, &images, &staging, Some(prev), None);
    let (summary, cache) = match rendered {
        Ok(s) => s,
        Err(e) => {
            staging.abandon();
            return Err(e);
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
    // The state beside the folder (it reveals the schedule), the list of
    // owned files in it; one id binds them.
    let id = manifest.new_id();
    manifest.write_state(&output, &id).map_err(BuildError::Io)?;
    staging
        .write_marker(&manifest.render_marker(&id))
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
