//! The job list: one job per output file (one per resized image, which
//! writes all its variants), its output path, and the dispatch of a job to
//! its page kind's `reads` and `plan` (one file per kind).

use std::collections::HashMap;

use super::feeds::Format;
use super::graph::{Input, Reads};
use super::renderer::{Plan, Renderer};
use crate::hash::{Hasher, Stamp};
use crate::layout::{alias_file, html_file, page_count, page_path, sitemap_part};
use crate::theme::StaticSource;

/// One output file (or one image's variants) to produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Job {
    /// Page `k` (1-based) of the home page's list.
    Index(usize),
    Entry(usize),
    /// Alias `k` of entry `i`: a redirect to its page.
    Alias(usize, usize),
    /// Page `k` of the honor roll.
    People(usize),
    /// Page `k` of person `i`'s page (the profile and their timeline).
    Person(usize, usize),
    /// Person `i`'s feed, RSS or Atom.
    PersonFeed(usize, Format),
    /// Page `k` of the tag list.
    Tags(usize),
    /// Page `k` of tag `t`.
    Tag(usize, usize),
    TagFeed(usize, Format),
    /// Page `k` of series `s`.
    Series(usize, usize),
    SeriesFeed(usize, Format),
    Archive,
    /// Page `k` of month `m` of the archive.
    ArchiveMonth(usize, usize),
    /// A standalone page.
    Page(usize),
    /// The search page, `search/index.html`.
    Search,
    /// One file of the search index (see [`crate::search`]).
    SearchFile(usize),
    NotFound,
    SiteFeed(Format),
    /// `sitemap.xml`: the sitemap, or the index of its parts.
    Sitemap,
    /// Part `k` (1-based) of a sitemap too large for one file.
    SitemapPart(usize),
    Robots,
    /// A static file (index into [`Renderer::statics`]).
    Static(usize),
    /// All variants of one resized image (index into
    /// [`Renderer::image_sets`]; one decode for all of them).
    Image(usize),
}

/// How a job's key is found.
pub(crate) enum Keyed {
    /// From what it reads (a page or a feed).
    Reads(u128, Vec<Input>),
    /// From its bytes, made to find it (search files, sitemap, robots).
    Bytes(u128, Vec<u8>),
}

impl Renderer<'_> {
    /// Every job of the site but static files and images, in a fixed order
    /// (the same site shape gives the same list).
    pub fn page_jobs(&self) -> Vec<Job> {
        let s = self.site;
        let per = s.config.entries_per_page;
        let mut jobs = Vec::new();
        jobs.extend((0..s.entries.len()).map(Job::Entry));
        for (i, e) in s.entries.iter().enumerate() {
            jobs.extend((0..e.src.aliases.len()).map(|k| Job::Alias(i, k)));
        }
        jobs.extend((1..=page_count(s.entries.len(), per)).map(Job::Index));
        jobs.extend((1..=self.people_pages()).map(Job::People));
        for i in 0..s.people.len() {
            jobs.extend((1..=self.person_pages(i)).map(|k| Job::Person(i, k)));
            jobs.extend(Format::ALL.map(|f| Job::PersonFeed(i, f)));
        }
        jobs.extend((1..=self.tags_pages()).map(Job::Tags));
        for (i, t) in s.tags.iter().enumerate() {
            jobs.extend((1..=page_count(t.entries.len(), per)).map(|k| Job::Tag(i, k)));
            jobs.extend(Format::ALL.map(|f| Job::TagFeed(i, f)));
        }
        for s in 0..s.series.len() {
            jobs.extend((1..=self.series_pages(s)).map(|k| Job::Series(s, k)));
            jobs.extend(Format::ALL.map(|f| Job::SeriesFeed(s, f)));
        }
        jobs.push(Job::Archive);
        for (m, month) in self.months.iter().enumerate() {
            jobs.extend((1..=month.pages()).map(|k| Job::ArchiveMonth(m, k)));
        }
        jobs.extend((0..s.pages.len()).map(Job::Page));
        jobs.push(Job::Search);
        jobs.extend((0..self.search.len()).map(Job::SearchFile));
        jobs.push(Job::NotFound);
        jobs.extend(Format::ALL.map(Job::SiteFeed));
        jobs.push(Job::Sitemap);
        jobs.extend((1..self.sitemap_files().len()).map(Job::SitemapPart));
        jobs.push(Job::Robots);
        jobs
    }

    pub fn output_path(&self, job: Job) -> String {
        let s = self.site;
        match job {
            Job::Index(k) => html_file(&page_path("", k)),
            Job::Entry(i) => html_file(s.entries[i].path()),
            Job::Alias(i, k) => alias_file(&s.entries[i].src.aliases[k].value),
            Job::People(k) => html_file(&page_path("people/", k)),
            Job::Person(i, k) => html_file(&page_path(&s.people[i].path(), k)),
            Job::PersonFeed(i, f) => f.path(&s.people[i].path()),
            Job::Tags(k) => html_file(&page_path("tags/", k)),
            Job::Tag(i, k) => html_file(&page_path(&s.tags[i].path(), k)),
            Job::TagFeed(i, f) => f.path(&s.tags[i].path()),
            Job::Series(i, k) => html_file(&page_path(&s.series[i].path(), k)),
            Job::SeriesFeed(i, f) => f.path(&s.series[i].path()),
            Job::Archive => "archive/index.html".into(),
            Job::ArchiveMonth(m, k) => html_file(&page_path(&self.months[m].path(), k)),
            Job::Page(i) => html_file(&s.pages[i].path()),
            Job::Search => "search/index.html".into(),
            Job::SearchFile(i) => self.search.file(i).0,
            Job::NotFound => "404.html".into(),
            Job::SiteFeed(f) => f.path(""),
            Job::Sitemap => "sitemap.xml".into(),
            Job::SitemapPart(k) => sitemap_part(k),
            Job::Robots => "robots.txt".into(),
            Job::Static(i) => self.statics[i].0.clone(),
            Job::Image(i) => self.image_sets[i].original.clone(),
        }
    }

    /// Every file a job writes.
    pub fn output_paths(&self, job: Job) -> Vec<String> {
        match job {
            Job::Image(i) => self.image_sets[i]
                .variants
                .iter()
                .filter(|v| v.owned)
                .map(|v| v.path.clone())
                .collect(),
            _ => vec![self.output_path(job)],
        }
    }

    /// The job's key, and its inputs (the graph's edges).
    pub fn key(&self, job: Job) -> Keyed {
        let bytes = |b: Vec<u8>| Keyed::Bytes(bytes_key(&b), b);
        let mut r = match job {
            Job::SearchFile(i) => return bytes(self.search_file(i)),
            Job::Sitemap => return bytes(self.sitemap_files()[0].clone()),
            Job::SitemapPart(k) => return bytes(self.sitemap_files()[k].clone()),
            Job::Robots => return bytes(self.robots_bytes()),
            Job::Static(i) => return Keyed::Reads(static_key(&self.statics[i]), Vec::new()),
            Job::Image(i) => return Keyed::Reads(self.image_sets[i].key, Vec::new()),
            _ => self.reads(kind(job)),
        };
        self.declare(job, &mut r);
        let (key, inputs) = r.finish();
        Keyed::Reads(key, inputs)
    }

    /// What a page or feed reads: each page kind says so beside its plan.
    fn declare(&self, job: Job, r: &mut Reads) {
        match job {
            Job::Index(k) => self.reads_home(k, r),
            Job::Entry(i) => self.reads_entry(i, r),
            Job::Alias(i, k) => self.reads_alias(i, k, r),
            Job::People(k) => self.reads_people(k, r),
            Job::Person(i, k) => self.reads_person(i, k, r),
            Job::PersonFeed(i, _) => self.reads_person_feed(i, r),
            Job::Tags(k) => self.reads_tags(k, r),
            Job::Tag(t, k) => self.reads_tag(t, k, r),
            Job::TagFeed(t, _) => self.reads_tag_feed(t, r),
            Job::Series(s, k) => self.reads_series(s, k, r),
            Job::SeriesFeed(s, _) => self.reads_series_feed(s, r),
            Job::Archive => self.reads_archive(r),
            Job::ArchiveMonth(m, k) => self.reads_archive_month(m, k, r),
            Job::Page(i) => self.reads_standalone(i, r),
            Job::SiteFeed(_) => self.reads_site_feed(r),
            // The site's globals only.
            Job::Search | Job::NotFound => {}
            Job::SearchFile(_)
            | Job::Sitemap
            | Job::SitemapPart(_)
            | Job::Robots
            | Job::Static(_)
            | Job::Image(_) => {}
        }
    }

    /// What a page, feed or static file needs done (not images: see
    /// `images.rs`; not files keyed by their bytes: those are written as made).
    pub fn plan(&self, job: Job) -> Option<Plan> {
        Some(match job {
            Job::Index(k) => self.plan_home(k),
            Job::Entry(i) => self.plan_entry(i),
            Job::Alias(i, _) => self.plan_alias(i),
            Job::People(k) => self.plan_people(k),
            Job::Person(i, k) => self.plan_person(i, k),
            Job::PersonFeed(i, f) => self.plan_person_feed(i, f),
            Job::Tags(k) => self.plan_tags(k),
            Job::Tag(t, k) => self.plan_tag(t, k),
            Job::TagFeed(t, f) => self.plan_tag_feed(t, f),
            Job::Series(s, k) => self.plan_series(s, k),
            Job::SeriesFeed(s, f) => self.plan_series_feed(s, f),
            Job::Archive => self.plan_archive(),
            Job::ArchiveMonth(m, k) => self.plan_archive_month(m, k),
            Job::Page(i) => self.plan_standalone(i),
            Job::Search => self.plan_search(),
            Job::NotFound => self.plan_not_found(),
            Job::SiteFeed(f) => self.plan_site_feed(f),
            Job::Static(i) => Plan::Static(self.statics[i].1.clone()),
            Job::SearchFile(_)
            | Job::Sitemap
            | Job::SitemapPart(_)
            | Job::Robots
            | Job::Image(_) => return None,
        })
    }
}

/// The key of a job whose output is `bytes` as they are.
pub(super) fn bytes_key(bytes: &[u8]) -> u128 {
    let mut h = Hasher::default();
    h.bytes(bytes);
    h.finish()
}

/// Whether the last render, whose keys are `prev`, wrote `path` with `key`:
/// then the file stays as it is (in the old site, linked, or in memory).
pub(super) fn unchanged(prev: Option<&HashMap<String, u128>>, path: &str, key: u128) -> bool {
    prev.and_then(|p| p.get(path)) == Some(&key)
}

/// The name a job's key starts with (so two kinds never share a key).
fn kind(job: Job) -> &'static str {
    match job {
        Job::Index(_) => "index",
        Job::Entry(_) => "entry",
        Job::Alias(..) => "alias",
        Job::People(_) => "people",
        Job::Person(..) => "person",
        Job::PersonFeed(_, Format::Rss) => "person-feed",
        Job::PersonFeed(_, Format::Atom) => "person-atom",
        Job::Tags(_) => "tags",
        Job::Tag(..) => "tag",
        Job::TagFeed(_, Format::Rss) => "tag-feed",
        Job::TagFeed(_, Format::Atom) => "tag-atom",
        Job::Series(..) => "series",
        Job::SeriesFeed(_, Format::Rss) => "series-feed",
        Job::SeriesFeed(_, Format::Atom) => "series-atom",
        Job::Archive => "archive",
        Job::ArchiveMonth(..) => "archive-month",
        Job::Page(_) => "page",
        Job::Search => "search",
        Job::SearchFile(_) => "search-file",
        Job::NotFound => "404",
        Job::SiteFeed(Format::Rss) => "site-feed",
        Job::SiteFeed(Format::Atom) => "site-atom",
        Job::Sitemap => "sitemap",
        Job::SitemapPart(_) => "sitemap-part",
        Job::Robots => "robots",
        Job::Static(_) => "static",
        Job::Image(_) => "image",
    }
}

/// A static file's key: where it comes from and which version it is (an
/// embedded file by its content hash, a file on disk by its stamp).
fn static_key((path, src): &(String, StaticSource)) -> u128 {
    let mut h = Hasher::default();
    h.str(path);
    match src {
        StaticSource::Embedded(name) => {
            h.str("embedded");
            h.str(name);
            if let Some(f) = crate::theme::DefaultTheme::get(name) {
                h.bytes(&f.metadata.sha256_hash());
            }
        }
        StaticSource::Disk(p) => {
            h.str("disk");
            h.str(&p.to_string_lossy());
            h.str(&format!("{:?}", Stamp::of(p)));
        }
    }
    h.finish()
}
