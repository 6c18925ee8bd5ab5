//! The build manifest: what the last `laurel build` read and wrote. It lets
//! the next build skip everything when no input changed, and reuse
//! (hard-link) every output file whose inputs did not change instead of
//! writing it again.
//!
//! It lives in two places, because the output folder is published:
//!
//! - the output folder's marker file (`.laurel-output`) lists the files
//!   laurel owns there, and nothing else: a file it does not list is
//!   foreign, and never deleted (see `output::guard`); the list travels
//!   with the folder, so a moved or copied site keeps its owner;
//! - the build state beside the output folder (`.<name>.laurel-state`,
//!   next to the lock file), never published: the input fingerprint, the
//!   moment a scheduled entry comes due, and every file's key and length.
//!
//! Both carry the same build id; a state whose id is not the marker's
//! (a crash between the two writes, a folder copied from elsewhere) is not
//! used: everything is then built afresh. `watch` writes the marker only.
//!
//! Format (text, one record per line):
//! ```text
//! <the marker's sentence>          .laurel-state:
//! laurel-output 2                  laurel-state 2
//! build <id | ->                   build <id>
//! <path>                           inputs <32 hex digits>
//! ...                              until <RFC 3339 date | ->
//!                                  <key> <length> <mtime ns> <hash> <path>
//! ```

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use rayon::prelude::*;

use crate::config::{BuildFlags, Config};
use crate::hash::{Hasher, Stamp};
use crate::source::{CONTENT_FOLDERS, find_files};
use crate::theme::DefaultTheme;

const HEADER: &str = "laurel-output 2";
const STATE_HEADER: &str = "laurel-state 2";
/// The build id of a marker without build state (`watch`'s).
pub const NO_STATE: &str = "-";

/// One output file as the manifest records it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FileRecord {
    /// Fingerprint of the file's inputs (see `render::RenderCache`).
    pub key: u128,
    /// Length in bytes, to notice files changed by hand.
    pub len: u64,
    /// Modification time (ns) when it can be trusted to show an edit; 0
    /// when the content must be hashed to know (unknown, or so close to
    /// the build that an edit could share the file system's time tick).
    pub mtime: u64,
    /// Hash of the content (`hash::file_hash`): a hand edit of the same
    /// length shows here.
    pub hash: u128,
}

/// How close to the build a modification time is not trusted: coarse file
/// system clocks (1 s, FAT's 2 s) could give a hand edit the same time.
const RACY_NS: u64 = 3_000_000_000;

impl FileRecord {
    /// The record of a file whose content hashes to `hash`, as it is on
    /// disk now (`md`), at `now` (ns since 1970).
    pub fn of(key: u128, md: &std::fs::Metadata, hash: u128, now: u64) -> FileRecord {
        FileRecord::new(key, md.len(), crate::hash::mtime_ns(md), hash, now)
    }

    /// The record of a file of `len` bytes last modified at `mtime` (ns),
    /// at `now`.
    pub fn new(key: u128, len: u64, mtime: u64, hash: u128, now: u64) -> FileRecord {
        FileRecord {
            key,
            len,
            mtime: if mtime.saturating_add(RACY_NS) < now {
                mtime
            } else {
                0
            },
            hash,
        }
    }

    /// Whether the file at `path` (found with `md`) is still what this
    /// records: same length, and the same time or else the same content.
    pub fn matches(&self, path: &Path, md: &std::fs::Metadata) -> bool {
        md.len() == self.len
            && ((self.mtime != 0 && crate::hash::mtime_ns(md) == self.mtime)
                || crate::hash::file_hash(path).is_ok_and(|h| h == self.hash))
    }
}

/// Now, in ns since 1970.
pub fn now_ns() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(0))
}

/// What one build read and wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Manifest {
    /// Fingerprint of every input file's stamp, the flags and laurel itself.
    pub inputs: u128,
    /// The site changes by itself at this moment (a scheduled entry's date).
    pub until: Option<DateTime<FixedOffset>>,
    pub files: HashMap<String, FileRecord>,
    /// The build id the marker and the state share (empty when unknown).
    pub id: String,
}

/// Where the build state of `output` is kept: beside it, never inside.
pub fn state_path(output: &Path) -> PathBuf {
    super::staging::sibling(output, "state")
}

impl Manifest {
    /// Reads the manifest of an output folder: the files its marker lists,
    /// with the build state when it belongs to that marker (else keys and
    /// lengths are 0 and nothing is up to date). `None` when there is no
    /// marker or it cannot be trusted (then everything is built afresh).
    pub fn read(output: &Path) -> Option<Manifest> {
        let text = std::fs::read_to_string(output.join(crate::output::MARKER)).ok()?;
        let mut lines = text.lines();
        // The first line is the marker's own sentence; the header follows.
        lines.next()?;
        if lines.next()? != HEADER {
            return None;
        }
        let id = lines.next()?.strip_prefix("build ")?;
        let mut m = Manifest {
            files: lines
                .map(|p| (p.to_string(), FileRecord::default()))
                .collect(),
            ..Manifest::default()
        };
        if id != NO_STATE
            && let Some(state) = Manifest::read_state(&state_path(output), id)
        {
            m.id = id.to_string();
            m.inputs = state.inputs;
            m.until = state.until;
            for (p, r) in state.files {
                if let Some(mine) = m.files.get_mut(&p) {
                    *mine = r;
                }
            }
        }
        Some(m)
    }

    /// The build state at `path`, if it is the one of build `id`.
    fn read_state(path: &Path, id: &str) -> Option<Manifest> {
        let text = std::fs::read_to_string(path).ok()?;
        let mut lines = text.lines();
        if lines.next()? != STATE_HEADER || lines.next()?.strip_prefix("build ")? != id {
            return None;
        }
        let inputs = u128::from_str_radix(lines.next()?.strip_prefix("inputs ")?, 16).ok()?;
        let until = match lines.next()?.strip_prefix("until ")? {
            "-" => None,
            s => Some(DateTime::parse_from_rfc3339(s).ok()?),
        };
        let mut files = HashMap::new();
        for line in lines {
            let mut parts = line.splitn(5, ' ');
            let key = u128::from_str_radix(parts.next()?, 16).ok()?;
            let len = parts.next()?.parse().ok()?;
            let mtime = parts.next()?.parse().ok()?;
            let hash = u128::from_str_radix(parts.next()?, 16).ok()?;
            let record = FileRecord {
                key,
                len,
                mtime,
                hash,
            };
            files.insert(parts.next()?.to_string(), record);
        }
        Some(Manifest {
            inputs,
            until,
            files,
            id: id.to_string(),
        })
    }

    fn sorted_paths(&self) -> Vec<&String> {
        let mut paths: Vec<&String> = self.files.keys().collect();
        paths.sort();
        paths
    }

    /// A fresh build id: tells this build's state from any other's.
    pub fn new_id(&self) -> String {
        let mut h = Hasher::default();
        h.str(&format!("{:?}", std::time::SystemTime::now()));
        h.str(&std::process::id().to_string());
        h.str(&format!("{:032x}", self.inputs));
        format!("{:032x}", h.finish())
    }

    /// The marker file's text: the files laurel owns, and nothing about
    /// how they were made (the folder is published).
    pub fn render_marker(&self, id: &str) -> String {
        let paths = self.sorted_paths();
        let mut s = String::with_capacity(64 + paths.len() * 32);
        s.push_str(crate::output::MARKER_TEXT);
        s.push_str(HEADER);
        s.push('\n');
        let _ = writeln!(s, "build {id}");
        for p in paths {
            s.push_str(p);
            s.push('\n');
        }
        s
    }

    /// The build state's text (sorted, so it is stable).
    pub fn render_state(&self, id: &str) -> String {
        let paths = self.sorted_paths();
        let mut s = String::with_capacity(64 + paths.len() * 64);
        s.push_str(STATE_HEADER);
        s.push('\n');
        let _ = writeln!(s, "build {id}");
        let _ = writeln!(s, "inputs {:032x}", self.inputs);
        match self.until {
            Some(u) => {
                let _ = writeln!(s, "until {}", u.to_rfc3339());
            }
            None => s.push_str("until -\n"),
        }
        for p in paths {
            let r = self.files[p];
            let _ = writeln!(
                s,
                "{:032x} {} {} {:032x} {p}",
                r.key, r.len, r.mtime, r.hash
            );
        }
        s
    }

    /// Writes the build state of build `id` beside `output` (replacing the
    /// last one in one step).
    pub fn write_state(&self, output: &Path, id: &str) -> anyhow::Result<()> {
        let path = state_path(output);
        let written = super::paths::write_replacing(&path, self.render_state(id).as_bytes());
        if written.is_err() {
            // A full disk: leave no half-written temporary file behind.
            let _ = std::fs::remove_file(super::paths::temp_name(&path));
        }
        written
    }

    /// Whether a build at `now` would produce exactly what this manifest
    /// describes, given the current input fingerprint.
    pub fn is_up_to_date(&self, inputs: u128, now: DateTime<FixedOffset>) -> bool {
        self.inputs == inputs && self.until.is_none_or(|u| now < u)
    }
}

/// Fingerprint of everything a build reads: every file under the site's
/// source folders (path, size, modification time), the flags, and laurel
/// itself (version and embedded theme).
pub fn input_fingerprint(config: &Config, flags: &BuildFlags) -> u128 {
    let mut h = Hasher::default();
    h.str(env!("CARGO_PKG_VERSION"));
    for name in DefaultTheme::iter() {
        h.str(&name);
        if let Some(f) = DefaultTheme::get(&name) {
            h.bytes(&f.metadata.sha256_hash());
        }
    }
    h.str(&format!("{flags:?}"));
    let mut warnings = Vec::new();
    let mut paths = vec![config.root.join(crate::config::CONFIG_FILE)];
    let mut folders = vec![
        "content".to_string(),
        "static".to_string(),
        "templates".to_string(),
    ];
    // The loaders walk their folders from their own roots and follow a root
    // that is a link; the walk of the folder above skips such a link, so a
    // linked one is walked on its own (or an edit inside it would go unseen).
    let mut loaded: Vec<String> = CONTENT_FOLDERS.iter().map(|f| f.to_string()).collect();
    if let Some(t) = &config.theme {
        folders.push(format!("themes/{t}"));
        loaded.extend(crate::theme::theme_folders(t));
    }
    folders.extend(loaded.into_iter().filter(|sub| {
        std::fs::symlink_metadata(config.root.join(sub)).is_ok_and(|m| m.file_type().is_symlink())
    }));
    for sub in folders {
        paths.extend(
            find_files(&config.root, &sub, &[], &mut warnings)
                .into_iter()
                .map(|f| f.abs),
        );
    }
    // Looked at in parallel (a large site has 100k files; each look may wait
    // on the disk), hashed in order.
    let stamps: Vec<Option<Stamp>> =
        crate::disk::run(|| paths.par_iter().map(|p| Stamp::of(p)).collect());
    for (path, stamp) in paths.iter().zip(&stamps) {
        h.str(&path.to_string_lossy());
        h.stamp(stamp.as_ref());
    }
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_the_marker_and_the_state() {
        let mut m = Manifest {
            // Long enough that the random build id (hex) cannot hold it by chance.
            inputs: 0x5ec1_e75e_c1e7_5ec1,
            until: Some(DateTime::parse_from_rfc3339("2030-01-01T08:00:00+08:00").unwrap()),
            files: HashMap::new(),
            id: String::new(),
        };
        m.files.insert(
            "diary/a b/index.html".into(),
            FileRecord {
                key: 7,
                len: 120,
                mtime: 1_700_000_000_000_000_000,
                hash: 9,
            },
        );
        m.files.insert(
            "rss.xml".into(),
            FileRecord {
                key: u128::MAX,
                len: 0,
                mtime: 0,
                hash: 1,
            },
        );
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        std::fs::create_dir(&out).unwrap();
        let id = m.new_id();
        m.id = id.clone();
        let marker = m.render_marker(&id);
        // Neither the schedule nor the input stamp: the folder is published.
        // (Short needles such as "2030" could be in the random id by chance.)
        for secret in ["2030-01-01", "5ec1e75ec1e75ec1", &m.inputs.to_string()] {
            assert!(!marker.contains(secret), "{secret} in {marker}");
        }
        std::fs::write(out.join(crate::output::MARKER), &marker).unwrap();
        m.write_state(&out, &id).unwrap();
        assert_eq!(Manifest::read(&out), Some(m.clone()));
        // Another build's state is not this marker's.
        m.write_state(&out, &m.new_id()).unwrap();
        let owned = Manifest::read(&out).unwrap();
        assert_eq!((owned.inputs, owned.until), (0, None));
        assert_eq!(owned.files.len(), 2);
        assert!(owned.files.values().all(|r| *r == FileRecord::default()));
    }

    #[test]
    fn a_plain_marker_is_no_manifest() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(crate::output::MARKER),
            crate::output::MARKER_TEXT,
        )
        .unwrap();
        assert_eq!(Manifest::read(dir.path()), None);
    }

    #[test]
    fn scheduled_entries_expire_the_manifest() {
        let t = |s: &str| DateTime::parse_from_rfc3339(s).unwrap();
        let m = Manifest {
            inputs: 1,
            until: Some(t("2030-01-01T00:00:00Z")),
            files: HashMap::new(),
            id: String::new(),
        };
        assert!(m.is_up_to_date(1, t("2029-12-31T23:59:59Z")));
        assert!(!m.is_up_to_date(1, t("2030-01-01T00:00:00Z")));
        assert!(!m.is_up_to_date(2, t("2029-01-01T00:00:00Z")));
    }
}
