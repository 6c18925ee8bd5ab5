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

use crate::build::{BuildError, Prepared, prepare};
use crate::config::BuildFlags;
use crate::diag::SourceError;
use crate::render::{self, OutputFile, RenderError, Sink};
use crate::site::Site;

/// What `check` found besides hard errors.
#[derive(Debug, Clone)]
pub struct CheckReport {
    pub pages: usize,
    pub entries: usize,
    pub people: usize,
    pub warnings: Vec<String>,
    /// With validators: one line per validator that ran and passed.
    pub validated: Vec<String>,
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
        } else if file.path == "rss.xml" || file.path.ends_with("/rss.xml") {
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
    let Prepared { site, theme } = prepare(root, flags, now)?;
    let sink = MemorySink::default();
    let summary = render::render(&site, &theme, &sink).map_err(|e| match e {
        RenderError::Content(errs) => BuildError::Content(errs),
        RenderError::Io(e) => BuildError::Io(e),
    })?;
    let mut errors = content_links(&site, &summary.paths);
    let known: HashSet<&str> = summary.paths.iter().map(String::as_str).collect();
    // Links from Markdown were reported at their source line above.
    let from_content: HashSet<String> = site
        .entries
        .iter()
        .map(|e| &e.src.html)
        .chain(site.pages.iter().map(|p| &p.src.html))
        .chain(site.people.iter().map(|p| &p.src.bio_html))
        .flat_map(|h| links_in(h).into_iter().map(|l| l.0))
        .collect();
    let html = sink.html.into_inner().unwrap_or_else(|p| p.into_inner());
    for (page, text) in &html {
        for (dest, line, col) in links_in(text) {
            if let Some(target) = internal_target(&dest, &site.config.root_path)
                && !resolves(&target, &known)
                && !from_content.contains(&dest)
            {
                errors.push(
                    SourceError::at(
                        format!("(rendered) {page}"),
                        line,
                        col,
                        format!("broken link `{dest}`"),
                    )
                    .hint("a template links to a page that is not generated; fix the template"),
                );
            }
        }
    }
    let mut warnings = site.warnings.clone();
    let mut validated = Vec::new();
    if let Some(tools) = tools {
        let feeds = sink.feeds.into_inner().unwrap_or_else(|p| p.into_inner());
        let v = strict::validate(tools, &html, &feeds, &site.config.base_url)
            .map_err(BuildError::Io)?;
        errors.extend(v.errors);
        warnings.extend(v.warnings);
        validated = v.passed;
    }
    if !errors.is_empty() {
        let mut d = crate::diag::Diagnostics::new();
        d.extend(errors);
        return Err(BuildError::Content(d.into_sorted()));
    }
    Ok(CheckReport {
        pages: summary.pages,
        entries: site.entries.len(),
        people: site.people.len(),
        warnings,
        validated,
    })
}

/// Links in entry, page and profile Markdown that lead to no output file,
/// located in their source files.
pub fn content_links(site: &Site, paths: &[String]) -> Vec<SourceError> {
    let known: HashSet<&str> = paths.iter().map(String::as_str).collect();
    let mut out = Vec::new();
    let sources = site
        .entries
        .iter()
        .map(|e| (&e.src.path, &e.src.html))
        .chain(site.pages.iter().map(|p| (&p.src.path, &p.src.html)))
        .chain(site.people.iter().map(|p| (&p.src.path, &p.src.bio_html)));
    for (path, html) in sources {
        let mut text: Option<String> = None;
        for (dest, _, _) in links_in(html) {
            let Some(target) = internal_target(&dest, &site.config.root_path) else {
                continue;
            };
            if resolves(&target, &known) {
                continue;
            }
            // Find where the user wrote it: the destination without the prefix.
            let written = format!("/{target}");
            let text = text.get_or_insert_with(|| {
                std::fs::read_to_string(site.config.root.join(path)).unwrap_or_default()
            });
            let (line, col) = position_of(text, &written).unwrap_or((0, 0));
            out.push(
                SourceError::at(
                    path,
                    line,
                    col,
                    format!("link to `{written}` leads nowhere"),
                )
                .hint("check the path: entries live at /diary/<slug>/, people at /people/<id>/"),
            );
        }
    }
    out
}

/// `href`/`src` values with their 1-based line and column in `html`.
fn links_in(html: &str) -> Vec<(String, usize, usize)> {
    let mut out = Vec::new();
    for needle in [" href=\"", " src=\""] {
        let mut from = 0;
        while let Some(i) = html[from..].find(needle) {
            let start = from + i + needle.len();
            let Some(len) = html[start..].find('"') else {
                break;
            };
            let (line, col) = line_col(html, start);
            out.push((
                crate::html::decode_attribute(&html[start..start + len]).into_owned(),
                line,
                col,
            ));
            from = start + len;
        }
    }
    out
}

fn line_col(text: &str, byte: usize) -> (usize, usize) {
    let before = &text[..byte];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

fn position_of(text: &str, needle: &str) -> Option<(usize, usize)> {
    text.find(needle).map(|i| line_col(text, i))
}

/// For a root-relative URL under the site prefix, the site path it names
/// (without query or fragment, percent-decoded); `None` for external links.
fn internal_target(dest: &str, root_path: &str) -> Option<String> {
    if dest.starts_with("//") || !dest.starts_with('/') {
        return None;
    }
    let rest = dest
        .strip_prefix(root_path)
        .or_else(|| (root_path == "/").then_some(&dest[1..]))?;
    let rest = rest.split(['#', '?']).next().unwrap_or("");
    Some(percent_decode(rest))
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push(h * 16 + l);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// Whether a site path names a generated file (directly or as a folder index).
fn resolves(target: &str, known: &HashSet<&str>) -> bool {
    if target.is_empty() {
        return known.contains("index.html");
    }
    if target.ends_with('/') {
        return known.contains(format!("{target}index.html").as_str());
    }
    known.contains(target) || known.contains(format!("{target}/index.html").as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_targets() {
        assert_eq!(
            internal_target("/column/diary/a/#x", "/column/").as_deref(),
            Some("diary/a/")
        );
        assert_eq!(internal_target("/diary/a/", "/column/"), None);
        assert_eq!(internal_target("https://x.org/", "/"), None);
        assert_eq!(internal_target("//cdn/x", "/"), None);
        assert_eq!(
            internal_target("/tags/%E6%8A%97/", "/").as_deref(),
            Some("tags/抗/")
        );
    }

    #[test]
    fn resolution() {
        let known: HashSet<&str> = ["index.html", "diary/a/index.html", "style.css"]
            .into_iter()
            .collect();
        assert!(resolves("", &known));
        assert!(resolves("diary/a/", &known));
        assert!(resolves("diary/a", &known));
        assert!(resolves("style.css", &known));
        assert!(!resolves("diary/b/", &known));
    }

    #[test]
    fn finds_links_with_positions() {
        let l = links_in("<p>\n  <a href=\"/x/\">x</a><img src=\"/i.png\"></p>");
        assert_eq!(
            l,
            vec![("/x/".to_string(), 2, 12), ("/i.png".to_string(), 2, 32)]
        );
    }
}
