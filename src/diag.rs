//! Diagnostics for user content: one located problem ([`SourceError`]) and the
//! list of all problems of a build, [`sorted`] one way; [`BuildError`], why a
//! command failed.
//!
//! This module owns how a content problem looks to a user:
//! `path:line:col: message` followed by an indented `hint:` line. It does not own
//! I/O errors of the tool itself; those travel as `anyhow::Error` with the path
//! attached at the call site.

use std::fmt;
use std::path::{Path, PathBuf};

/// One problem in the user's content, located in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceError {
    /// Path as shown to the user: relative to the site root where possible.
    pub path: PathBuf,
    /// 1-based line in the *file* (not in the front-matter block); 0 when unknown.
    pub line: usize,
    /// 1-based column (in characters); 0 when unknown.
    pub col: usize,
    /// What is wrong, lowercase, without a trailing period.
    pub message: String,
    /// One line that tells the user how to fix it.
    pub hint: Option<String>,
}

impl SourceError {
    /// A problem at `line:col` of `path`.
    pub fn at(
        path: impl Into<PathBuf>,
        line: usize,
        col: usize,
        message: impl Into<String>,
    ) -> Self {
        Self {
            path: path.into(),
            line,
            col,
            message: message.into(),
            hint: None,
        }
    }

    /// A problem with a whole file (no meaningful line).
    pub fn file(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self::at(path, 0, 0, message)
    }

    /// Adds the one-line fix hint.
    #[must_use]
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// The `path:line:col` prefix (line and column omitted when unknown).
    pub fn location(&self) -> String {
        let path = display_path(&self.path);
        match (self.line, self.col) {
            (0, _) => path,
            (l, 0) => format!("{path}:{l}"),
            (l, c) => format!("{path}:{l}:{c}"),
        }
    }
}

impl fmt::Display for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location(), self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

impl std::error::Error for SourceError {}

/// Forward slashes on every platform, so messages and tests read the same.
fn display_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// A value from a user file with the file position it was written at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located<T> {
    pub value: T,
    pub line: usize,
    pub col: usize,
}

impl<T> Located<T> {
    /// A [`SourceError`] pointing at this value.
    pub fn error(&self, path: impl Into<PathBuf>, message: impl Into<String>) -> SourceError {
        SourceError::at(path, self.line, self.col, message)
    }
}

/// Problems sorted by file, then position, duplicates removed, so a report
/// is the same whatever order the parallel phases found them in.
pub fn sorted(errors: impl IntoIterator<Item = SourceError>) -> Vec<SourceError> {
    let mut errors: Vec<SourceError> = errors.into_iter().collect();
    errors.sort_by(|a, b| {
        (&a.path, a.line, a.col, &a.message).cmp(&(&b.path, b.line, b.col, &b.message))
    });
    errors.dedup();
    errors
}

/// The error a build returns when the content has problems: all of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentErrors(pub Vec<SourceError>);

impl fmt::Display for ContentErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "error: {e}")?;
        }
        let n = self.0.len();
        write!(
            f,
            "\n{n} problem{} found; nothing was written",
            if n == 1 { "" } else { "s" }
        )
    }
}

impl std::error::Error for ContentErrors {}

/// Why a command failed: the one error type of the pipeline.
#[derive(Debug)]
pub enum BuildError {
    /// Problems in the user's files: all of them, sorted.
    Content(Vec<SourceError>),
    /// The command cannot run as asked (e.g. the output folder is the site).
    Usage(String),
    /// The machine failed us (disk full, permissions).
    Io(anyhow::Error),
}

impl BuildError {
    /// All problems, sorted and deduplicated, as one error.
    pub fn content(errors: impl IntoIterator<Item = SourceError>) -> BuildError {
        BuildError::Content(sorted(errors))
    }

    /// Whether the build failed, at least in part, because the process or the
    /// system ran out of file descriptors: a passing condition (`watch` and
    /// `serve` try again rather than call the site broken).
    pub fn is_out_of_files(&self) -> bool {
        match self {
            BuildError::Content(errs) => errs.iter().any(|e| mentions_out_of_files(&e.message)),
            BuildError::Usage(_) => false,
            BuildError::Io(e) => {
                e.chain().any(|c| {
                    c.downcast_ref::<std::io::Error>()
                        .is_some_and(|io| io.raw_os_error().is_some_and(is_out_of_files_code))
                }) || mentions_out_of_files(&format!("{e:#}"))
            }
        }
    }
}

/// EMFILE (this process has too many open files) and ENFILE (the whole
/// system has).
#[cfg(unix)]
const OUT_OF_FILES: [i32; 2] = [
    rustix::io::Errno::MFILE.raw_os_error(),
    rustix::io::Errno::NFILE.raw_os_error(),
];
/// ERROR_TOO_MANY_OPEN_FILES.
#[cfg(windows)]
const OUT_OF_FILES: [i32; 1] = [4];
#[cfg(not(any(unix, windows)))]
const OUT_OF_FILES: [i32; 0] = [];

fn is_out_of_files_code(code: i32) -> bool {
    OUT_OF_FILES.contains(&code)
}

/// Whether a message tells of an I/O error for want of file descriptors.
/// Most reach the build as text (a located `cannot read file: ...`, a
/// warning for a folder that could not be walked), which ends in std's own
/// rendering of the error: `... (os error 24)`.
pub fn mentions_out_of_files(text: &str) -> bool {
    OUT_OF_FILES
        .iter()
        .any(|code| text.contains(&format!("(os error {code})")))
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::Content(errs) => ContentErrors(errs.clone()).fmt(f),
            BuildError::Usage(m) => write!(f, "{m}"),
            BuildError::Io(e) => write!(f, "{e:#}"),
        }
    }
}

impl From<anyhow::Error> for BuildError {
    fn from(e: anyhow::Error) -> Self {
        BuildError::Io(e)
    }
}

/// "did you mean `x`?" for the closest candidate, when one is close enough.
pub fn did_you_mean<'a>(
    unknown: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        let score = strsim::jaro_winkler(unknown, c);
        if score > best.map_or(0.0, |b| b.0) {
            best = Some((score, c));
        }
    }
    match best {
        Some((score, c)) if score >= 0.8 => Some(format!("did you mean `{c}`?")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn running_out_of_file_descriptors_is_told_apart() {
        let emfile = || std::io::Error::from_raw_os_error(rustix::io::Errno::MFILE.raw_os_error());
        let enfile = std::io::Error::from_raw_os_error(rustix::io::Errno::NFILE.raw_os_error());
        let io = |e: std::io::Error| BuildError::Io(anyhow::Error::new(e).context("cannot read x"));
        assert!(io(emfile()).is_out_of_files());
        assert!(io(enfile).is_out_of_files());
        assert!(!io(std::io::Error::from(std::io::ErrorKind::PermissionDenied)).is_out_of_files());
        let unreadable = SourceError::file(
            "content/diary/a.md",
            format!("cannot read file: {}", emfile()),
        );
        let broken = SourceError::at("content/diary/b.md", 3, 7, "invalid date");
        assert!(BuildError::content([broken.clone(), unreadable]).is_out_of_files());
        assert!(!BuildError::content([broken]).is_out_of_files());
        assert!(!BuildError::Usage("too many open files".into()).is_out_of_files());
        assert!(mentions_out_of_files(&format!(
            "cannot read content: {}",
            emfile()
        )));
    }

    #[test]
    fn formats_location_message_and_hint() {
        let e = SourceError::at("content/diary/a.md", 3, 9, "unknown person `wu-yan`")
            .hint("did you mean `wu-yang`?");
        assert_eq!(
            e.to_string(),
            "content/diary/a.md:3:9: unknown person `wu-yan`\n  hint: did you mean `wu-yang`?"
        );
        assert_eq!(
            SourceError::file("site.yaml", "x").to_string(),
            "site.yaml: x"
        );
    }

    #[test]
    fn suggests_only_close_names() {
        let ids = ["dai-xiaohong", "wu-yang", "lv-shuming"];
        assert_eq!(
            did_you_mean("wu-yan", ids).as_deref(),
            Some("did you mean `wu-yang`?")
        );
        assert_eq!(did_you_mean("zhang-san", ids), None);
    }

    #[test]
    fn sorts_and_dedups() {
        let v = sorted([
            SourceError::at("b.md", 1, 1, "x"),
            SourceError::at("a.md", 9, 1, "y"),
            SourceError::at("a.md", 2, 1, "z"),
            SourceError::at("a.md", 2, 1, "z"),
        ]);
        let lines: Vec<_> = v.iter().map(|e| e.location()).collect();
        assert_eq!(lines, ["a.md:2:1", "a.md:9:1", "b.md:1:1"]);
    }
}
