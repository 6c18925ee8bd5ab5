//! Output paths that cannot both exist: a static file where a generated
//! file needs a folder (`static/about` and the page `about`, whose output is
//! `about/index.html`), or a static file below a generated file's path
//! (`static/rss.xml/x`). Found from the job list, before anything is
//! written, and reported at the static file, naming what needs the path.

use std::collections::BTreeMap;
use std::path::Path;

use super::job::Job;
use super::renderer::Renderer;
use crate::diag::SourceError;
use crate::theme::StaticSource;

/// The static file as the user knows it, relative to the site root.
fn static_shown(root: &Path, source: &StaticSource) -> String {
    match source {
        StaticSource::Disk(abs) => abs
            .strip_prefix(root)
            .unwrap_or(abs)
            .to_string_lossy()
            .replace('\\', "/"),
        StaticSource::Embedded(name) => format!("(default theme) {name}"),
    }
}

impl Renderer<'_> {
    /// What writes the output of `job`, as the user knows it.
    fn needed_by(&self, job: Job) -> String {
        let s = self.site;
        let file = |p: &Path| p.to_string_lossy().replace('\\', "/");
        match job {
            Job::Entry(i) => format!("the entry {}", file(&s.entries[i].src.path)),
            Job::Alias(i, k) => {
                let e = &s.entries[i].src;
                let a = &e.aliases[k];
                format!(
                    "the alias /{} of {}:{}:{}",
                    a.value,
                    file(&e.path),
                    a.line,
                    a.col
                )
            }
            Job::Page(i) => format!("the page {}", file(&s.pages[i].src.path)),
            Job::Person(i, _) | Job::PersonFeed(i, _) => {
                format!("the person {}", file(&s.people[i].src.path))
            }
            Job::Tag(t, _) | Job::TagFeed(t, _) => format!("the tag \"{}\"", s.tags[t].name),
            Job::Series(i, _) | Job::SeriesFeed(i, _) => {
                format!("the series \"{}\"", s.series[i].name)
            }
            Job::Image(i) => format!("the resized copies of {}", self.image_sets[i].original),
            Job::Index(_) => "the home page".into(),
            Job::People(_) => "the honor roll".into(),
            Job::Tags(_) => "the tag list".into(),
            Job::Archive | Job::ArchiveMonth(..) => "the archive".into(),
            Job::Search | Job::SearchFile(_) => "the search page".into(),
            Job::NotFound => "the 404 page".into(),
            Job::SiteFeed(_) => "the site feed".into(),
            Job::Sitemap | Job::SitemapPart(_) => "the sitemap".into(),
            Job::Robots => "robots.txt".into(),
            Job::Static(_) => "a static file".into(),
        }
    }

    /// Every static file (of `statics`) whose path clashes with a generated
    /// one (`generated`: sorted output paths with their jobs).
    pub(super) fn path_conflicts(
        &self,
        generated: &[(String, Job)],
        statics: &[(String, StaticSource)],
    ) -> Vec<SourceError> {
        let find = |p: &str| {
            generated
                .binary_search_by(|(g, _)| g.as_str().cmp(p))
                .ok()
                .map(|i| &generated[i])
        };
        let mut errors = Vec::new();
        for (path, source) in statics {
            // A generated file below this one: it needs `path` as a folder.
            let folder = format!("{path}/");
            let start = generated.partition_point(|(g, _)| g.as_str() < folder.as_str());
            let below = generated.get(start).filter(|(g, _)| g.starts_with(&folder));
            // A generated file at one of this one's folders.
            let above = path.match_indices('/').find_map(|(i, _)| find(&path[..i]));
            let shown = static_shown(&self.site.config.root, source);
            let error = match (below, above) {
                (Some((g, job)), _) => SourceError::file(
                    &shown,
                    format!(
                        "this file is where {} needs a folder: it writes /{g}",
                        self.needed_by(*job)
                    ),
                )
                .hint(format!(
                    "rename or move {shown}, or give the {} another path",
                    what(*job)
                )),
                (None, Some((g, job))) => SourceError::file(
                    &shown,
                    format!(
                        "this file would go inside /{g}, which {} writes as a file",
                        self.needed_by(*job)
                    ),
                )
                .hint(format!("move {shown} out of static/{g}/")),
                (None, None) => continue,
            };
            errors.push(error);
        }
        errors
    }
}

impl Renderer<'_> {
    /// Every alias whose output file another generated file (a page, a
    /// feed, another alias) or a static file also needs, or that needs a
    /// folder where one of them is a file. Reported at the alias, naming
    /// the other: an alias never replaces anything.
    pub(super) fn alias_conflicts(
        &self,
        generated: &[(String, Job)],
        statics: &BTreeMap<String, StaticSource>,
    ) -> Vec<SourceError> {
        let mut errors = Vec::new();
        for (j, (path, job)) in generated.iter().enumerate() {
            let Job::Alias(i, k) = *job else { continue };
            let same = generated.partition_point(|(g, _)| g.as_str() < path.as_str());
            let other = if same == j { j + 1 } else { same };
            let taken = generated
                .get(other)
                .filter(|(g, _)| g == path)
                .map(|(_, o)| self.needed_by(*o));
            let folder = format!("{path}/");
            let start = generated.partition_point(|(g, _)| g.as_str() < folder.as_str());
            let below = generated
                .get(start)
                .filter(|(g, _)| g.starts_with(&folder))
                .map(|(_, o)| self.needed_by(*o));
            let above = path.match_indices('/').find_map(|(n, _)| {
                let dir = &path[..n];
                let at = generated.partition_point(|(g, _)| g.as_str() < dir);
                generated
                    .get(at)
                    .filter(|(g, _)| g == dir)
                    .map(|(_, o)| self.needed_by(*o))
            });
            let root = &self.site.config.root;
            let static_file = statics
                .get(path)
                .map(|src| format!("the static file {}", static_shown(root, src)));
            let Some(other) = taken.or(below).or(above).or(static_file) else {
                continue;
            };
            let e = &self.site.entries[i].src;
            let a = &e.aliases[k];
            errors.push(
                SourceError::at(
                    &e.path,
                    a.line,
                    a.col,
                    format!("alias /{} would replace what {other} writes", a.value),
                )
                .hint("remove this alias, or give it a path no page of the site uses"),
            );
        }
        errors
    }
}

impl Renderer<'_> {
    /// Every entry page (placed by `permalinks.entry`) whose output file
    /// another generated file also needs (a page, the honor roll, a tag,
    /// page 2 of the home page …), or that would go inside one of them.
    /// Reported at the entry's `slug:` (or its file), naming the other.
    /// Two entries, or an entry and a page, on one URL are
    /// `Site::assemble`'s to report.
    pub(super) fn entry_conflicts(&self, generated: &[(String, Job)]) -> Vec<SourceError> {
        let mut errors = Vec::new();
        // The jobs that write exactly `p`.
        let at = |p: &str| {
            let start = generated.partition_point(|(g, _)| g.as_str() < p);
            let end = generated.partition_point(|(g, _)| g.as_str() <= p);
            &generated[start..end]
        };
        for (path, job) in generated {
            let Job::Entry(i) = *job else { continue };
            // Entries and standalone pages share one URL map in
            // `Site::assemble`, which reports their clashes.
            let same = at(path)
                .iter()
                .find(|(_, o)| !matches!(o, Job::Entry(_) | Job::Page(_)));
            let above = path
                .match_indices('/')
                .find_map(|(n, _)| at(&path[..n]).first());
            let Some((_, other)) = same.or(above) else {
                continue;
            };
            let e = &self.site.entries[i];
            let url = self.site.config.url(e.path());
            errors.push(
                SourceError::at(
                    &e.src.path,
                    e.src.slug.line,
                    e.src.slug.col,
                    format!(
                        "the entry's URL {url} is also where {} is written",
                        self.needed_by(*other)
                    ),
                )
                .hint("give the entry another `slug:`, or change permalinks.entry in site.yaml"),
            );
        }
        errors
    }
}

/// The kind of thing whose path may be changed, for hints.
fn what(job: Job) -> &'static str {
    match job {
        Job::Entry(_) => "entry (slug:)",
        Job::Alias(..) => "alias (aliases:)",
        Job::Page(_) => "page (slug:)",
        Job::Person(..) | Job::PersonFeed(..) => "person (another file name)",
        Job::Tag(..) | Job::TagFeed(..) => "tag another name",
        Job::Series(..) | Job::SeriesFeed(..) => "series another name",
        _ => "static file",
    }
}
