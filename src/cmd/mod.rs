//! The commands: one file each, thin: call the library, print what it
//! reports, return the exit code (0 ok, 1 content problems or I/O, 2 usage).

pub mod args;
pub mod build;
pub mod check;
pub mod export;
pub mod live;
pub mod new;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::{DateTime, FixedOffset, Local};

use laurel::BuildError;
use laurel::Lang;

/// "Now", overridable with `LAUREL_NOW` (RFC 3339) for reproducible builds.
pub fn now() -> Result<DateTime<FixedOffset>, String> {
    match std::env::var("LAUREL_NOW") {
        Ok(s) => DateTime::parse_from_rfc3339(&s)
            .map_err(|e| format!("LAUREL_NOW `{s}` is not RFC 3339: {e}")),
        Err(_) => Ok(Local::now().fixed_offset()),
    }
}

/// The site folder: `--root` as given; else the current folder, or the
/// nearest folder above it that holds a site.yaml (as git and cargo find
/// theirs); else the current folder, whose missing site.yaml is reported.
pub fn site_root(given: Option<PathBuf>) -> PathBuf {
    if let Some(root) = given {
        return root;
    }
    let here = PathBuf::from(".");
    let Ok(cwd) = std::env::current_dir() else {
        return here;
    };
    match cwd
        .ancestors()
        .find(|d| d.join(laurel::config::CONFIG_FILE).is_file())
    {
        Some(d) if d != cwd => d.to_path_buf(),
        _ => here,
    }
}

/// The language to speak to the user of the site at `root`
/// (see [`laurel::config::message_lang`]).
pub fn lang(root: &Path) -> Lang {
    laurel::config::message_lang(root)
}

/// Prints `e` (content problems with their source lines, read from the
/// site at `root`, in its language) and returns the exit code it means.
pub fn report_error(e: &BuildError, root: &Path) -> ExitCode {
    print_error(e, root);
    match e {
        BuildError::Usage(_) => ExitCode::from(2),
        BuildError::Content(_) | BuildError::Io(_) => ExitCode::from(1),
    }
}

/// Prints `e` as [`report_error`] does, for a command with exit codes of its own.
pub fn print_error(e: &BuildError, root: &Path) {
    let lang = lang(root);
    match e {
        // Content errors carry their own `error:` prefix, one per problem.
        BuildError::Content(_) => eprintln!("{}", e.report(root, lang)),
        BuildError::Usage(_) => {
            eprintln!("{}{}", lang.pick("error: ", "错误："), e.report(root, lang))
        }
        // The machine's own words (std's I/O errors) stay as they come.
        BuildError::Io(_) => eprintln!("{}{e}", lang.pick("error: ", "错误：")),
    }
}

/// The line a build ends with, the same for `build`, `watch` and `serve`:
/// `built 61 pages (180 files) from 27 entries and 7 people in 45 ms`, plus
/// `(12 written, 168 unchanged)` when some files were already right (in
/// Chinese on a zh-CN site).
pub fn built_line(
    lang: Lang,
    pages: usize,
    files: usize,
    entries: usize,
    people: usize,
    written: usize,
    millis: u128,
) -> String {
    let unchanged = files.saturating_sub(written);
    if lang == Lang::Zh {
        return format!(
            "已构建 {pages} 个页面（{files} 个文件），来自 {entries} 篇日记和 {people} 位人物，用时 {millis} 毫秒{}",
            if unchanged > 0 {
                format!("（写入 {written} 个，{unchanged} 个未变）")
            } else {
                String::new()
            }
        );
    }
    format!(
        "built {} ({}) from {} and {} in {millis} ms{}",
        count(pages, "page", "pages"),
        count(files, "file", "files"),
        count(entries, "entry", "entries"),
        count(people, "person", "people"),
        if unchanged > 0 {
            format!(" ({written} written, {unchanged} unchanged)")
        } else {
            String::new()
        }
    )
}

pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

pub fn print_warnings(lang: Lang, warnings: &[laurel::SourceError]) {
    for w in warnings {
        eprintln!("{}{}", lang.pick("warning: ", "警告："), w.shown(lang));
    }
}
