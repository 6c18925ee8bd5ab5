//! One entry of the site: its source, where its page lives, who and what
//! it links to, and its HTML once the body's images are resized.

use std::sync::Arc;

use chrono::{DateTime, FixedOffset};

use crate::layout::EntryPattern;
use crate::source::EntrySource;

#[derive(Debug)]
pub struct Entry {
    pub src: Arc<EntrySource>,
    /// Site path of the entry page (`diary/<slug>/` by default), made by
    /// [`entry_path`] from `permalinks.entry`.
    pub path: String,
    /// The body and summary with the image pipeline's `<picture>` for each
    /// image of the site (set by `images::body` once the images are
    /// scanned); `None`: the body has none, and `src.html` is the page's.
    pub pictures: Option<Arc<Pictured>>,
    pub author: Option<usize>,
    pub people: Vec<usize>,
    pub tags: Vec<usize>,
    /// "Day N" of a deployment the entry's date falls in: the author's, else
    /// the first listed person's (see [`crate::site::day_number`]), with whose it is.
    pub day: Option<(i64, usize)>,
    /// Entries that share its people or tags, best first (see `related.rs`).
    pub related: Vec<usize>,
    /// The series (index into `Site::series`) and which part of it (0-based,
    /// oldest first) the entry is.
    pub series: Option<(usize, usize)>,
}

/// An entry's HTML with its body images resized (see [`Entry::pictures`]).
#[derive(Debug)]
pub struct Pictured {
    pub html: String,
}

impl Entry {
    /// The body as its page shows it (feeds and exports show `src.html`,
    /// with the original images).
    pub fn html(&self) -> &str {
        self.pictures.as_ref().map_or(&self.src.html, |p| &p.html)
    }

    /// The summary as cards show it: plain text, so the same with or
    /// without resized body images.
    pub fn summary_html(&self) -> &str {
        &self.src.summary_html
    }

    pub fn slug(&self) -> &str {
        &self.src.slug.value
    }

    /// Site path of the entry page: `diary/<slug>/` by default.
    pub fn path(&self) -> &str {
        &self.path
    }

    pub fn date(&self) -> DateTime<FixedOffset> {
        self.src.date
    }
}

/// Site path of an entry's page under `pattern` (`None`: the pattern needs
/// an author and the entry has none). Dates are the entry's own, as the
/// archive groups them.
pub fn entry_path(pattern: &EntryPattern, e: &EntrySource) -> Option<String> {
    use chrono::Datelike;
    crate::layout::entry(
        pattern,
        &crate::layout::EntryUrl {
            year: e.date.year(),
            month: e.date.month(),
            day: e.date.day(),
            slug: &e.slug.value,
            author: e.author.as_ref().map(|a| a.value.as_str()),
        },
    )
}
