//! The build manifest: what the last `laurel build` read and wrote, kept in
//! the output folder's marker file (`.laurel-output`). It lets the next build
//! skip everything when no input changed, and reuse (hard-link) every output
//! file whose inputs did not change instead of writing it again.
//!
//! It is also the list of what laurel owns in the output folder: a file
//! it does not record is foreign, and never deleted (see `output::guard`).
//! `watch` keeps it too, with no input fingerprint (0: never up to date).
//!
//! Format (text, one record per line):
//! ```text
//! laurel-output 1
//! inputs <32 hex digits>
//! until <RFC 3339 date | ->
//! <32 hex digits key> <length> <path>
//! ```

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

use chrono::{DateTime, FixedOffset};

use crate::config::{BuildFlags, Config};
use crate::hash::{Hasher, Stamp};
use crate::source::find_files;
use crate::theme::DefaultTheme;

const HEADER: &str = "laurel-output 1";

/// One output file as the manifest records it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FileRecord {
    /// Fingerprint of the file's inputs (see `render::RenderCache`).
    pub key: u128,
    /// Length in bytes, to notice files changed by hand.
    pub len: u64,
}

/// What one build read and wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Manifest {
    /// Fingerprint of every input file's stamp, the flags and laurel itself.
    pub inputs: u128,
    /// The site changes by itself at this moment (a scheduled entry's date).
    pub until: Option<DateTime<FixedOffset>>,
    pub files: HashMap<String, FileRecord>,
}

impl Manifest {
    /// Reads the manifest of an output folder; `None` when there is none or it
    /// cannot be trusted (then everything is built afresh).
    pub fn read(output: &Path) -> Option<Manifest> {
        let text = std::fs::read_to_string(output.join(crate::output::MARKER)).ok()?;
        let mut lines = text.lines();
        // The first line is the marker's own sentence; the header follows.
        lines.next()?;
        if lines.next()? != HEADER {
            return None;
        }
        let inputs = u128::from_str_radix(lines.next()?.strip_prefix("inputs ")?, 16).ok()?;
        let until = match lines.next()?.strip_prefix("until ")? {
            "-" => None,
            s => Some(DateTime::parse_from_rfc3339(s).ok()?),
        };
        let mut files = HashMap::new();
        for line in lines {
            let mut parts = line.splitn(3, ' ');
            let key = u128::from_str_radix(parts.next()?, 16).ok()?;
            let len = parts.next()?.parse().ok()?;
            files.insert(parts.next()?.to_string(), FileRecord { key, len });
        }
        Some(Manifest {
            inputs,
            until,
            files,
        })
    }

    /// The marker file's text, manifest included (sorted, so it is stable).
    pub fn render(&self) -> String {
        let mut paths: Vec<&String> = self.files.keys().collect();
        paths.sort();
        let mut s = String::with_capacity(64 + paths.len() * 64);
        s.push_str(crate::output::MARKER_TEXT);
        s.push_str(HEADER);
        s.push('\n');
        let _ = writeln!(s, "inputs {:032x}", self.inputs);
        match self.until {
            Some(u) => {
                let _ = writeln!(s, "until {}", u.to_rfc3339());
            }
            None => s.push_str("until -\n"),
        }
        for p in paths {
            let r = self.files[p];
            let _ = writeln!(s, "{:032x} {} {p}", r.key, r.len);
        }
        s
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
    let mut stamp = |path: &Path| {
        h.str(&path.to_string_lossy());
        h.str(&format!("{:?}", Stamp::of(path)));
    };
    stamp(&config.root.join(crate::config::CONFIG_FILE));
    let mut folders = vec![
        "content".to_string(),
        "static".to_string(),
        "templates".to_string(),
    ];
    if let Some(t) = &config.theme {
        folders.push(format!("themes/{t}"));
    }
    for sub in folders {
        for f in find_files(&config.root, &sub, &[], &mut warnings) {
            stamp(&f.abs);
        }
    }
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let mut m = Manifest {
            inputs: 0xabc,
            until: Some(DateTime::parse_from_rfc3339("2030-01-01T08:00:00+08:00").unwrap()),
            files: HashMap::new(),
        };
        m.files.insert(
            "diary/a b/index.html".into(),
            FileRecord { key: 7, len: 120 },
        );
        m.files.insert(
            "rss.xml".into(),
            FileRecord {
                key: u128::MAX,
                len: 0,
            },
        );
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(crate::output::MARKER), m.render()).unwrap();
        assert_eq!(Manifest::read(dir.path()), Some(m));
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
        };
        assert!(m.is_up_to_date(1, t("2029-12-31T23:59:59Z")));
        assert!(!m.is_up_to_date(1, t("2030-01-01T00:00:00Z")));
        assert!(!m.is_up_to_date(2, t("2029-01-01T00:00:00Z")));
    }
}
