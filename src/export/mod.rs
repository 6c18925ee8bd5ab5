//! `laurel export`: the site in forms for other places than a static host.
//! [`wechat`] renders one entry for the WeChat official-account editor
//! (every style inline, outside links as numbered notes); [`book`] the
//! whole column as one printable HTML file or an EPUB 3 booklet. Both start
//! from the prepared site (`pipeline::prepare`: the same problems a build
//! reports stop them) and the HTML the entry pages show, reshaped by
//! `tree`; their templates and stylesheets are the theme's
//! (`wechat.html`, `wechat.css`, `book.html`, `book.css`), overridable like
//! any template. What they make reaches the disk only through
//! `output::export_file`.

pub mod book;
mod epub;
mod files;
mod tree;
pub mod wechat;

use std::path::Path;

use chrono::{DateTime, FixedOffset};

use crate::config::BuildFlags;
use crate::diag::{BuildError, Msg, closest};
use crate::pipeline::{self, Prepared};
use crate::site::Site;
use crate::source::SourceCache;

pub use book::Format;

/// Loads and checks the site as a build does; any problem stops the export.
fn prepare(
    root: &Path,
    flags: &BuildFlags,
    now: DateTime<FixedOffset>,
) -> Result<Prepared, BuildError> {
    pipeline::prepare(root, flags, now, &mut SourceCache::default(), None)?.into_result()
}

/// The entry named by `query`: its file (relative to the site root or to
/// the current folder) or its slug. An unknown one is a usage error with
/// the closest slug as a hint.
fn find_entry(site: &Site, query: &str) -> Result<usize, BuildError> {
    let root = &site.config.root;
    let as_path = Path::new(query);
    let rel = std::path::absolute(as_path)
        .ok()
        .and_then(|abs| abs.strip_prefix(root).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| as_path.to_path_buf());
    let by_path = |p: &Path| site.entries.iter().position(|e| e.src.path == p);
    if let Some(i) = by_path(as_path).or_else(|| by_path(&rel)) {
        return Ok(i);
    }
    // Under a `permalinks.entry` with dates, two entries may share a slug.
    let same: Vec<usize> = (0..site.entries.len())
        .filter(|&i| site.entries[i].slug() == query)
        .collect();
    match same[..] {
        [i] => return Ok(i),
        [_, _, ..] => {
            let files: Vec<String> = same
                .iter()
                .map(|&i| {
                    site.entries[i]
                        .src
                        .path
                        .to_string_lossy()
                        .replace('\\', "/")
                })
                .collect();
            return Err(BuildError::Usage(Msg::new(
                format!(
                    "the slug `{query}` names {} entries: {}\n  hint: name the entry by its file",
                    files.len(),
                    files.join(", ")
                ),
                format!(
                    "slug `{query}` 对应 {} 篇日记：{}\n  提示：请用文件名指定日记",
                    files.len(),
                    files.join("、")
                ),
            )));
        }
        [] => {}
    }
    let looks_like_file = query.ends_with(".md");
    let exists = root.join(&rel).is_file() || as_path.is_file();
    let unpublished = looks_like_file && exists;
    let (en, zh) = if unpublished {
        (
            format!(
                "{query} is not a published entry (a draft, dated in the future, or not under content/diary/)"
            ),
            format!("{query} 不是已发布的日记（是草稿、日期在将来，或不在 content/diary/ 下）"),
        )
    } else {
        (format!("no entry `{query}`"), format!("没有日记 `{query}`"))
    };
    let guess = if unpublished {
        None
    } else {
        let stem = Path::new(query)
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or(query);
        let slugs = site.entries.iter().map(|e| e.slug());
        closest(stem, slugs).map(str::to_string).or_else(|| {
            let paths: Vec<String> = site
                .entries
                .iter()
                .map(|e| e.src.path.to_string_lossy().replace('\\', "/"))
                .collect();
            closest(query, paths.iter().map(String::as_str)).map(str::to_string)
        })
    };
    let (hint_en, hint_zh) = match guess {
        _ if unpublished => (
            "pass --drafts or --future to export it".to_string(),
            "加上 --drafts 或 --future 才能导出它".to_string(),
        ),
        Some(c) => (format!("did you mean `{c}`?"), format!("是不是 `{c}`？")),
        None => (
            "name an entry by its file or its slug (`diary/<slug>/`)".to_string(),
            "请用文件名或 slug（`diary/<slug>/`）指定日记".to_string(),
        ),
    };
    Err(BuildError::Usage(Msg::new(
        format!("{en}\n  hint: {hint_en}"),
        format!("{zh}\n  提示：{hint_zh}"),
    )))
}

/// Writes an export to `dest`, atomically, never into the site's sources.
pub fn write(root: &Path, dest: &Path, bytes: &[u8]) -> Result<(), BuildError> {
    let root = std::path::absolute(root).map_err(|e| BuildError::Io(e.into()))?;
    crate::output::export_file(&root, dest, bytes).map_err(crate::output::write_error)
}
