//! `laurel check`: every content check of a build, plus internal links, with
//! nothing written. Links in Markdown are reported at their line in the
//! source file; links the templates produce are reported on the page.
//! `--strict` adds the real validators of [`strict`] (vnu for the pages,
//! feedparser for the feeds), which read a temporary copy of the rendered
//! files.

mod strict;

pub use strict::{MissingTool, Tools, VNU_JAR_VAR};

use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::sync::Mutex;

use chrono::{DateTime, FixedOffset};

use crate::config::BuildFlags;
use crate::diag::{BuildError, SourceError};
use crate::links::{internal_target, percent_decode, resolves};
use crate::pipeline::{self, Prepared};
use crate::render::{self, OutputFile, Sink};
use crate::source::SourceCache;

/// What `check` found besides hard errors.
#[derive(Debug, Clone)]
pub struct CheckReport {
    pub pages: usize,
    pub entries: usize,
    pub people: usize,
    pub warnings: Vec<SourceError>,
    /// With validators: one line per validator that ran and passed.
    pub validated: Vec<crate::diag::Msg>,
}

/// Keeps rendered pages in memory for the link scan, and feeds for `--strict`.
#[derive(Default)]
struct MemorySink {
    html: Mutex<BTreeMap<String, String>>,
    feeds: Mutex<BTreeMap<String, Vec<u8>>>,
}

impl Sink for MemorySink {
    fn put(&self, file: OutputFile) -> anyhow::Result<()> {
        let render::Body::Bytes(b) = file.body else {
            return Ok(());
        };
        if file.path.ends_with(".html") {
            let s = String::from_utf8_lossy(&b).into_owned();
            self.html
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .insert(file.path, s);
        } else if ["rss.xml", "atom.xml"]
            .iter()
            .any(|f| file.path == *f || file.path.ends_with(&format!("/{f}")))
        {
            self.feeds
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .insert(file.path, b);
        }
        Ok(())
    }
}

/// Every check of a build plus internal links; writes nothing.
pub fn check(
    root: &Path,
    flags: &BuildFlags,
    now: DateTime<FixedOffset>,
) -> Result<CheckReport, BuildError> {
    check_with(root, flags, now, None)
}

/// [`check`], then, with `tools` (`laurel check --strict`), every page and
/// feed through the validators that were found. All problems, broken links
/// and validator errors alike, are reported together. Tools that were not
/// found are the caller's to report ([`Tools::missing`]).
pub fn check_with(
    root: &Path,
    flags: &BuildFlags,
    now: DateTime<FixedOffset>,
    tools: Option<&Tools>,
) -> Result<CheckReport, BuildError> {
    let Prepared {
        site,
        theme,
        images,
    } = pipeline::prepare(root, flags, now, &mut SourceCache::default(), None)?.into_result()?;
    let sink = MemorySink::default();
    let summary = render::render(&site, &theme, &images, &sink)?;
    let mut errors = crate::links::broken_in_content(&site, &summary.paths);
    let known: HashSet<&str> = summary.paths.iter().map(String::as_str).collect();
    // Links from Markdown were reported at their source line above.
    let from_content = crate::links::content_targets(&site);
    let html = sink.html.into_inner().unwrap_or_else(|p| p.into_inner());
    for (page, text) in &html {
        for (dest, line, col) in links_in(text) {
            if let Some(target) = internal_target(&dest, &site.config.root_path)
                && !resolves(&target, &known)
                && !from_content.contains(&target)
            {
                errors.push(
                    SourceError::at(
                        format!("(rendered) {page}"),
                        line,
                        col,
                        format!("broken link `{dest}`"),
                    )
                    .hint("a template links to a page that is not generated; fix the template")
                    .zh(format!("坏链接 `{dest}`"))
                    .zh_hint("模板链接到一个不会生成的页面；改正这个模板"),
                );
            }
        }
    }
    let mut warnings = site.all_warnings();
    if site.config.lint_copy {
        warnings.extend(copy_warnings(&site));
    }
    let mut validated = Vec::new();
    if let Some(tools) = tools {
        warnings.extend(crate::links::external_images(&site));
        let feeds = sink.feeds.into_inner().unwrap_or_else(|p| p.into_inner());
        let v = strict::validate(tools, &html, &feeds, &site.config.base_url)
            .map_err(BuildError::Io)?;
        errors.extend(v.errors);
        warnings.extend(v.warnings);
        validated = v.passed;
    }
    if !errors.is_empty() {
        return Err(BuildError::content(errors));
    }
    Ok(CheckReport {
        pages: summary.pages,
        entries: site.entries.len(),
        people: site.people.len(),
        warnings,
        validated,
    })
}

/// The Chinese copy lint of every entry and standalone page (`lint: { copy:
/// false }` in site.yaml turns it off), by file and position.
fn copy_warnings(site: &crate::site::Site) -> Vec<SourceError> {
    use rayon::prelude::*;
    let paths: Vec<&Path> = site
        .entries
        .iter()
        .map(|e| e.src.path.as_path())
        .chain(site.pages.iter().map(|p| p.src.path.as_path()))
        .collect();
    let found: Vec<SourceError> = paths
        .par_iter()
        .flat_map_iter(|p| crate::source::lint_copy(&site.config.root, p))
        .collect();
    crate::diag::sorted(found)
}

/// `href`/`src` values with their 1-based line and column in `html`, in
/// document order. One pass: lines and columns are counted on from the
/// previous value, never from the start of the page.
fn links_in(html: &str) -> Vec<(String, usize, usize)> {
    const HREF: &str = " href=\"";
    const SRC: &str = " src=\"";
    let find = |from: usize, needle: &str| html[from..].find(needle).map(|i| i + from);
    let mut out = Vec::new();
    let (mut next_href, mut next_src) = (find(0, HREF), find(0, SRC));
    // `line` and `col` are those of byte `counted`.
    let (mut counted, mut line, mut col) = (0, 1, 1);
    loop {
        let (at, needle) = match (next_href, next_src) {
            (Some(h), Some(s)) if s < h => (s, SRC),
            (Some(h), _) => (h, HREF),
            (None, Some(s)) => (s, SRC),
            (None, None) => break,
        };
        let start = at + needle.len();
        let Some(len) = html[start..].find('"') else {
            break;
        };
        for c in html[counted..start].chars() {
            if c == '\n' {
                line += 1;
                col = 1;
            } else {
                col += 1;
            }
        }
        counted = start;
        out.push((
            crate::html::decode_attribute(&html[start..start + len]).into_owned(),
            line,
            col,
        ));
        let end = start + len;
        if next_href.is_some_and(|h| h < end) {
            next_href = find(end, HREF);
        }
        if next_src.is_some_and(|s| s < end) {
            next_src = find(end, SRC);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_links_with_positions() {
        let l = links_in("<p>\n  <a href=\"/x/\">x</a><img src=\"/i.png\"></p>");
        assert_eq!(
            l,
            vec![("/x/".to_string(), 2, 12), ("/i.png".to_string(), 2, 32)]
        );
        let l = links_in("<img src=\"/a\">\n\u{4e2d}<a href=\"/b?x=1&amp;y\">");
        assert_eq!(
            l,
            vec![("/a".to_string(), 1, 11), ("/b?x=1&y".to_string(), 2, 11)]
        );
    }
}
