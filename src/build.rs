//! `laurel build`: prepare (every problem at once), render only what changed
//! since the last build into a staging folder, and swap it in (`output`).

use std::collections::HashMap;
use std::path::Path;

use anyhow::Context as _;

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
    pub warnings: Vec<crate::diag::SourceError>,
}

/// The record of a recorded output file when it is still in place as
/// written (a regular file reached through real folders: a symlink is never
/// reused), with the recorded length and time, or else content (an edit by
/// hand shows). A record whose time was not trusted gets it once it is.
fn intact(
    output: &output::Tree,
    path: &str,
    record: &manifest::FileRecord,
    now_ns: u64,
) -> Option<manifest::FileRecord> {
    let rel = output::safe_relative(path).ok()?;
    let md = output.real_file(&rel)?;
    if !record.matches(&output.root().join(&rel), &md) {
        return None;
    }
    Some(match record.mtime {
        0 => manifest::FileRecord::of(record.key, &md, record.hash, now_ns),
        _ => *record,
    })
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
    let mut early = crate::timings::Laps::start();
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
    early.lap("config + lock");
    let inputs = manifest::input_fingerprint(&config, flags);
    early.lap("fingerprint");
    let previous = Manifest::read(&config.output);
    early.lap("old manifest");
    // Up to date: no input changed, no scheduled entry came due, and every
    // recorded output file is still there with its length (nobody deleted or
    // edited the published files).
    let now_ns = manifest::now_ns();
    let current = |m: Manifest| -> HashMap<String, manifest::FileRecord> {
        m.files
            .into_par_iter()
            .filter_map(|(p, r)| intact(&tree, &p, &r, now_ns).map(|r| (p, r)))
            .collect()
    };
    if let Some(m) = &previous
        && m.is_up_to_date(inputs, now)
    {
        let files = current(m.clone());
        if files.len() == m.files.len() {
            if files != m.files {
                // Times now trusted: the next check needs no hashing.
                let refreshed = Manifest { files, ..m.clone() };
                let _ = refreshed.write_state(&config.output, &m.id);
            }
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
    }
    let output = config.output.clone();
    let Prepared {
        mut site,
        theme,
        images,
    } = pipeline::prepare(root, flags, now, &mut SourceCache::default(), None)?.into_result()?;
    let mut warnings = site.all_warnings();
    // Reuse only files that are still there, as long as recorded (a file
    // edited by hand is rendered again).
    let reusable: HashMap<String, manifest::FileRecord> = previous.map(current).unwrap_or_default();
    let prev = RenderCache::from_keys(reusable.iter().map(|(p, r)| (p.clone(), r.key)).collect());
    let staging = Staging::new(&output, &lock).map_err(output::write_error)?;
    let rendered = render::render_once(&mut site, &theme, &images, &staging, Some(prev));
    let (summary, cache) = match rendered {
        Ok(s) => s,
        Err(e) => {
            staging.abandon();
            return Err(e);
        }
    };
    let mut laps = crate::timings::Laps::start();
    // What the rest needs of the site: the site itself, most of a build's
    // memory, goes before the manifest is made.
    let broken = crate::links::broken_in_content(&site, &summary.paths);
    laps.lap("links");
    let (entries, people, until) = (site.entries.len(), site.people.len(), site.next_scheduled);
    // Letting the site go takes a while at 100k entries (one thread): it goes
    // beside the first steps of the manifest.
    let drop_site = std::thread::spawn(move || drop((site, theme, images)));
    let written = staging.files();
    let records = staging.take_written();
    let linked: anyhow::Result<()> = summary
        .paths
        .par_iter()
        .filter(|p| !records.contains_key(p.as_str()))
        .try_for_each(|p| staging.link_from(&output, p));
    if let Err(e) = linked {
        staging.abandon();
        return Err(BuildError::Io(e));
    }
    // Each file as it is now: its length, time and content hash (of the
    // bytes written, or the reused file's recorded one).
    let now_ns = manifest::now_ns();
    let files: anyhow::Result<HashMap<String, manifest::FileRecord>> = summary
        .paths
        .par_iter()
        .map(|p| {
            let key = cache.key(p).unwrap_or(0);
            let record = match records.get(p.as_str()) {
                Some(w) => manifest::FileRecord::new(key, w.len, w.mtime, w.hash, now_ns),
                None => {
                    let dest = staging.dir().join(p);
                    let md = std::fs::metadata(&dest)
                        .with_context(|| format!("cannot look at {}", dest.display()))?;
                    let hash = reusable.get(p).map(|r| r.hash).unwrap_or_default();
                    manifest::FileRecord::of(key, &md, hash, now_ns)
                }
            };
            Ok((p.clone(), record))
        })
        .collect();
    let files = match files {
        Ok(f) => f,
        Err(e) => {
            staging.abandon();
            return Err(BuildError::Io(e));
        }
    };
    // The manifest needs the memory back before it is made.
    let _ = drop_site.join();
    laps.lap("file records");
    let manifest = Manifest {
        inputs,
        until,
        files,
        id: String::new(),
    };
    // The state beside the folder (it reveals the schedule), the list of
    // owned files in it; one id binds them.
    let id = manifest.new_id();
    // Each is a sorted list of every file: made side by side.
    let (state, marker) = rayon::join(
        || manifest.write_state(&output, &id),
        || staging.write_marker(&manifest.render_marker(&id)),
    );
    state.and(marker).map_err(BuildError::Io)?;
    warnings.extend(broken);
    let files = summary.paths.len();
    laps.lap("manifest");
    staging.commit().map_err(BuildError::Io)?;
    laps.lap("swap");
    Ok(BuildReport {
        pages: summary.pages,
        files,
        written,
        up_to_date: false,
        entries,
        people,
        millis: start.elapsed().as_millis(),
        warnings,
    })
}
