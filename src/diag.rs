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
    /// The message and hint in Chinese, shown to zh-CN sites; a problem
    /// without them is shown in English to everyone.
    pub zh: Option<Box<Zh>>,
}

/// A message in English and in Chinese, for a function that says what is
/// wrong before its caller knows where (it adds the location).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Msg {
    pub en: String,
    pub zh: String,
}

impl Msg {
    pub fn new(en: impl Into<String>, zh: impl Into<String>) -> Msg {
        Msg {
            en: en.into(),
            zh: zh.into(),
        }
    }
}

impl Msg {
    /// The message about a field: `cover` + "is empty" → "cover is empty",
    /// 封面 + 是空的 → 封面是空的 (a space before a code span).
    pub fn about(&self, en: &str, zh: &str) -> Msg {
        let gap = if self.zh.starts_with('`') { " " } else { "" };
        Msg {
            en: format!("{en} {}", self.en),
            zh: format!("{zh}{gap}{}", self.zh),
        }
    }
}

impl fmt::Display for Msg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.en)
    }
}

/// The Chinese wording of a [`SourceError`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Zh {
    pub message: String,
    pub hint: Option<String>,
}

/// The language laurel speaks to the user: the site's (`language:` in
/// site.yaml), unless `LAUREL_LANG=zh|en` says otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// `zh`, `zh-CN`, `zh_CN`, `en`, `en-US` (any case).
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.trim().to_ascii_lowercase();
        if s == "zh" || s.starts_with("zh-") || s.starts_with("zh_") {
            Some(Lang::Zh)
        } else if s == "en" || s.starts_with("en-") || s.starts_with("en_") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// `en` or `zh`, whichever this is.
    pub fn pick<'a>(self, en: &'a str, zh: &'a str) -> &'a str {
        match self {
            Lang::En => en,
            Lang::Zh => zh,
        }
    }
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
            zh: None,
        }
    }

    /// The message in Chinese (keeps a Chinese hint given before).
    #[must_use]
    pub fn zh(mut self, message: impl Into<String>) -> Self {
        let hint = self.zh.take().and_then(|z| z.hint);
        self.zh = Some(Box::new(Zh {
            message: message.into(),
            hint,
        }));
        self
    }

    /// A problem at `line:col` of `path`, said in both languages.
    pub fn said_at(path: impl Into<PathBuf>, line: usize, col: usize, msg: Msg) -> Self {
        Self::at(path, line, col, msg.en).zh(msg.zh)
    }

    /// The hint in English and in Chinese; call after [`SourceError::zh`].
    #[must_use]
    pub fn hints(self, en: impl Into<String>, zh: impl Into<String>) -> Self {
        self.hint(en).zh_hint(zh)
    }

    /// The hint in Chinese; call after [`SourceError::zh`].
    #[must_use]
    pub fn zh_hint(mut self, hint: impl Into<String>) -> Self {
        if let Some(z) = &mut self.zh {
            z.hint = Some(hint.into());
        }
        self
    }

    /// Message and hint in `lang` (English where no Chinese was given).
    pub fn said(&self, lang: Lang) -> (&str, Option<&str>) {
        match (lang, &self.zh) {
            (Lang::Zh, Some(z)) => (&z.message, z.hint.as_deref().or(self.hint.as_deref())),
            _ => (&self.message, self.hint.as_deref()),
        }
    }

    /// A problem with a whole file (no meaningful line).
    pub fn file(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self::at(path, 0, 0, message)
    }

    /// A problem of the site as a whole, in no one file (two tags that
    /// share a URL, say): shown without a location.
    pub fn general(message: impl Into<String>) -> Self {
        Self::at(PathBuf::new(), 0, 0, message)
    }

    /// `location: message` and the indented hint, in `lang`: how a warning
    /// is printed (errors add their source line, see [`report_with_source`]).
    pub fn shown(&self, lang: Lang) -> String {
        let (message, hint) = self.said(lang);
        let mut out = self.location();
        if !out.is_empty() {
            out.push_str(": ");
        }
        out.push_str(message);
        if let Some(hint) = hint {
            out.push_str(lang.pick("\n  hint: ", "\n  提示："));
            out.push_str(hint);
        }
        out
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
        f.write_str(&self.shown(Lang::En))
    }
}

impl std::error::Error for SourceError {}

/// Forward slashes on every platform, so messages and tests read the same.
fn display_path(path: &Path) -> String {
    let shown = path.to_string_lossy();
    // Only where `\` separates folders: elsewhere it is part of a name.
    if std::path::MAIN_SEPARATOR == '\\' {
        shown.replace('\\', "/")
    } else {
        shown.into_owned()
    }
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

    /// A [`SourceError`] pointing at this value, said in both languages.
    pub fn said(&self, path: impl Into<PathBuf>, msg: Msg) -> SourceError {
        SourceError::said_at(path, self.line, self.col, msg)
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

/// Problems with the source line each points at and a caret under its
/// column, the way a terminal and `serve`'s overlay show them:
///
/// ```text
/// error: content/diary/a.md:4:9: unknown person `wu-yan`
///   |
/// 4 | author: wu-yan
///   |         ^
///   hint: did you mean `wu-yang`?
/// ```
///
/// Files are read from `root` (once each, for the first
/// [`MAX_SNIPPETS`] problems); a file that cannot be read, or a position
/// past its end, leaves the problem as [`ContentErrors`] writes it.
pub fn report_with_source(errors: &[SourceError], root: &Path, lang: Lang) -> String {
    let mut files: std::collections::HashMap<&Path, Option<String>> = Default::default();
    let mut out = String::new();
    for (i, e) in errors.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let (message, hint) = e.said(lang);
        out.push_str(lang.pick("error: ", "错误："));
        let location = e.location();
        if !location.is_empty() {
            out.push_str(&location);
            out.push_str(": ");
        }
        out.push_str(message);
        if i < MAX_SNIPPETS && e.line > 0 {
            let text = files
                .entry(e.path.as_path())
                .or_insert_with(|| read_source(&root.join(&e.path)));
            if let Some(lines) = text.as_deref().and_then(|t| snippet(t, e.line, e.col)) {
                out.push('\n');
                out.push_str(&lines);
            }
        }
        if let Some(hint) = hint {
            out.push_str(lang.pick("\n  hint: ", "\n  提示："));
            out.push_str(hint);
        }
    }
    let n = errors.len();
    out.push('\n');
    out.push_str(&match lang {
        Lang::En => format!(
            "{n} problem{} found; nothing was written",
            if n == 1 { "" } else { "s" }
        ),
        Lang::Zh => format!("共 {n} 个问题，未写入任何文件"),
    });
    out
}

/// Problems past this many are listed without their source lines.
pub const MAX_SNIPPETS: usize = 50;

/// A source file small enough to show lines of.
fn read_source(path: &Path) -> Option<String> {
    const LIMIT: u64 = 16 << 20;
    let meta = std::fs::symlink_metadata(path).ok()?;
    if !meta.is_file() || meta.len() > LIMIT {
        return None;
    }
    std::fs::read_to_string(path).ok()
}

/// Line `line` of `text` with a caret under character `col` (1-based; 0 is
/// the whole line's start), framed by a gutter with the line number.
fn snippet(text: &str, line: usize, col: usize) -> Option<String> {
    use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
    /// Longer lines (minified HTML, a pasted blob) are not worth a screen.
    const MAX_LINE_CHARS: usize = 240;
    let src = text.split('\n').nth(line.checked_sub(1)?)?;
    let src = src.strip_suffix('\r').unwrap_or(src);
    if src.chars().count() > MAX_LINE_CHARS {
        return None;
    }
    let start = match col {
        0 => 0,
        c => match src.char_indices().nth(c - 1) {
            Some((i, _)) => i,
            // Just past the end: the caret goes after the last character.
            None if src.chars().count() + 1 == c => src.len(),
            None => return None,
        },
    };
    let end = src[start..]
        .chars()
        .next()
        .map_or(start, |ch| start + ch.len_utf8());
    let report = &[Group::with_level(Level::ERROR).element(
        Snippet::source(src)
            .line_start(line)
            .fold(false)
            .annotation(AnnotationKind::Primary.span(start..end)),
    )];
    Some(Renderer::plain().render(report).trim_end().to_string())
}

/// Why a command failed: the one error type of the pipeline.
#[derive(Debug)]
pub enum BuildError {
    /// Problems in the user's files: all of them, sorted.
    Content(Vec<SourceError>),
    /// The command cannot run as asked (e.g. the output folder is the site).
    Usage(Msg),
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
            BuildError::Usage(m) => write!(f, "{}", m.en),
            BuildError::Io(e) => write!(f, "{e:#}"),
        }
    }
}

impl BuildError {
    /// What to print: content problems with their source lines (files read
    /// from `root`, see [`report_with_source`]), anything else as
    /// [`Display`](fmt::Display) writes it.
    pub fn report(&self, root: &Path, lang: Lang) -> String {
        match self {
            BuildError::Content(errs) => report_with_source(errs, root, lang),
            BuildError::Usage(m) if lang == Lang::Zh => m.zh.clone(),
            other => other.to_string(),
        }
    }
}

impl From<anyhow::Error> for BuildError {
    fn from(e: anyhow::Error) -> Self {
        BuildError::Io(e)
    }
}

/// The candidate closest to `unknown`, when one is close enough.
pub fn closest<'a>(
    unknown: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        let score = strsim::jaro_winkler(unknown, c);
        if score > best.map_or(0.0, |b| b.0) {
            best = Some((score, c));
        }
    }
    best.filter(|(score, _)| *score >= 0.8).map(|(_, c)| c)
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
        assert!(!BuildError::Usage(Msg::new("too many open files", "")).is_out_of_files());
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
    fn shows_the_source_line_with_a_caret_under_the_column() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("content/diary")).expect("mkdir");
        std::fs::write(
            dir.path().join("content/diary/a.md"),
            "---\ntitle：抵达\nauthor: wu-yan\n---\n",
        )
        .expect("write");
        let errors = [
            SourceError::at("content/diary/a.md", 2, 6, "full-width colon"),
            SourceError::at("content/diary/a.md", 3, 9, "unknown person `wu-yan`")
                .hint("did you mean `wu-yang`?"),
            SourceError::at("content/diary/gone.md", 1, 1, "cannot read"),
            SourceError::at("content/diary/a.md", 99, 1, "past the end"),
        ];
        assert_eq!(
            report_with_source(&errors, dir.path(), Lang::En),
            "error: content/diary/a.md:2:6: full-width colon\n  |\n2 | title：抵达\n  |      ^^\n\
             error: content/diary/a.md:3:9: unknown person `wu-yan`\n  |\n3 | author: wu-yan\n  |         ^\n  \
             hint: did you mean `wu-yang`?\n\
             error: content/diary/gone.md:1:1: cannot read\n\
             error: content/diary/a.md:99:1: past the end\n\
             4 problems found; nothing was written"
        );
    }

    #[test]
    fn suggests_only_close_names() {
        let ids = ["dai-xiaohong", "wu-yang", "lv-shuming"];
        assert_eq!(closest("wu-yan", ids), Some("wu-yang"));
        assert_eq!(closest("zhang-san", ids), None);
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
