//! Output paths that cannot both exist: a static file where a generated
//! file needs a folder (`static/about` and the page `about`, whose output is
//! `about/index.html`), or a static file below a generated file's path
//! (`static/rss.xml/x`). Found from the job list, before anything is
//! written, and reported at the static file, naming what needs the path.

use std::collections::BTreeMap;
use std::path::Path;

use rayon::prelude::*;

use super::job::Job;
use super::renderer::Renderer;
use crate::diag::{Msg, SourceError};
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
    fn needed_by(&self, job: Job) -> Msg {
        let s = self.site;
        let file = |p: &Path| p.to_string_lossy().replace('\\', "/");
        let both = |en: &str, zh: &str| Msg::new(en, zh);
        match job {
            Job::Entry(i) => {
                let f = file(&s.entries[i].src.path);
                Msg::new(format!("the entry {f}"), format!("日记 {f}"))
            }
            Job::Alias(i, k) => {
                let e = &s.entries[i].src;
                let a = &e.aliases[k];
                let at = format!("{}:{}:{}", file(&e.path), a.line, a.col);
                Msg::new(
                    format!("the alias /{} of {at}", a.value),
                    format!("{at} 的旧网址 /{}", a.value),
                )
            }
            Job::Page(i) => {
                let f = file(&s.pages[i].src.path);
                Msg::new(format!("the page {f}"), format!("页面 {f}"))
            }
            Job::Person(i, _) | Job::PersonFeed(i, _) => {
                let f = file(&s.people[i].src.path);
                Msg::new(format!("the person {f}"), format!("人物 {f}"))
            }
            Job::Tag(t, _) | Job::TagFeed(t, _) => {
                let n = &s.tags[t].name;
                Msg::new(format!("the tag \"{n}\""), format!("标签“{n}”"))
            }
            Job::Series(i, _) | Job::SeriesFeed(i, _) => {
                let n = &s.series[i].name;
                Msg::new(format!("the series \"{n}\""), format!("系列“{n}”"))
            }
            Job::Image(i) => {
                let o = &self.image_sets[i].original;
                Msg::new(
                    format!("the resized copies of {o}"),
                    format!("{o} 的缩放副本"),
                )
            }
            Job::Index(_) => both("the home page", "首页"),
            Job::People(_) => both("the honor roll", "英雄榜"),
            Job::Tags(_) => both("the tag list", "标签列表"),
            Job::Archive | Job::ArchiveMonth(..) => both("the archive", "归档"),
            Job::Search | Job::SearchFile(_) => both("the search page", "搜索页"),
            Job::NotFound => both("the 404 page", "404 页面"),
            Job::SiteFeed(_) => both("the site feed", "全站订阅源"),
            Job::Sitemap | Job::SitemapPart(_) => both("the sitemap", "站点地图"),
            Job::Robots => both("robots.txt", "robots.txt"),
            Job::Static(_) => both("a static file", "一个静态文件"),
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
                (Some((g, job)), _) => {
                    let by = self.needed_by(*job);
                    let (what, what_zh) = what(*job);
                    SourceError::file(
                        &shown,
                        format!("this file is where {by} needs a folder: it writes /{g}"),
                    )
                    .hint(format!("rename or move {shown}, or {what}"))
                    .zh(format!(
                        "这个文件占了{}要用作文件夹的位置：它要写 /{g}",
                        by.zh
                    ))
                    .zh_hint(format!("把 {shown} 改名或移走，或{what_zh}"))
                }
                (None, Some((g, job))) => {
                    let by = self.needed_by(*job);
                    SourceError::file(
                        &shown,
                        format!("this file would go inside /{g}, which {by} writes as a file"),
                    )
                    .hint(format!("move {shown} out of static/{g}/"))
                    .zh(format!(
                        "这个文件会放进 /{g} 里，而{}把 /{g} 写成一个文件",
                        by.zh
                    ))
                    .zh_hint(format!("把 {shown} 移出 static/{g}/"))
                }
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
            let static_file = statics.get(path).map(|src| {
                let f = static_shown(root, src);
                Msg::new(format!("the static file {f}"), format!("静态文件 {f}"))
            });
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
                .hint("remove this alias, or give it a path no page of the site uses")
                .zh(format!("旧网址 /{} 会覆盖{}写出的文件", a.value, other.zh))
                .zh_hint("删掉这个旧网址，或换一个本站页面都没用到的路径"),
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
        // The jobs that write exactly `p`.
        let at = |p: &str| {
            let start = generated.partition_point(|(g, _)| g.as_str() < p);
            let end = generated.partition_point(|(g, _)| g.as_str() <= p);
            &generated[start..end]
        };
        // One look per entry, in parallel (`collect` keeps their order).
        let errors = generated.par_iter().filter_map(|(path, job)| {
            let Job::Entry(i) = *job else { return None };
            // Entries and standalone pages share one URL map in
            // `Site::assemble`, which reports their clashes.
            let same = at(path)
                .iter()
                .find(|(_, o)| !matches!(o, Job::Entry(_) | Job::Page(_)));
            let above = path
                .match_indices('/')
                .find_map(|(n, _)| at(&path[..n]).first());
            let (_, other) = same.or(above)?;
            let e = &self.site.entries[i];
            let url = self.site.config.url(e.path());
            Some(
                SourceError::at(
                    &e.src.path,
                    e.src.slug.line,
                    e.src.slug.col,
                    format!(
                        "the entry's URL {url} is also where {} is written",
                        self.needed_by(*other)
                    ),
                )
                .hint("give the entry another `slug:`, or change permalinks.entry in site.yaml")
                .zh(format!(
                    "这篇日记的网址 {url} 也是{}写入的位置",
                    self.needed_by(*other).zh
                ))
                .zh_hint("给这篇日记换个 `slug:`，或修改 site.yaml 里的 permalinks.entry"),
            )
        });
        errors.collect()
    }
}

/// How to move the other side of a clash, for hints (English, Chinese).
fn what(job: Job) -> (&'static str, &'static str) {
    match job {
        Job::Entry(_) => ("give the entry another `slug:`", "给这篇日记换个 `slug:`"),
        Job::Alias(..) => ("give the alias another path", "给这个旧网址换个路径"),
        Job::Page(_) => ("give the page another `slug:`", "给这个页面换个 `slug:`"),
        Job::Person(..) | Job::PersonFeed(..) => {
            ("rename the person's file", "给这个人物的资料文件改名")
        }
        Job::Tag(..) | Job::TagFeed(..) => ("rename the tag", "给这个标签改名"),
        Job::Series(..) | Job::SeriesFeed(..) => ("rename the series", "给这个系列改名"),
        _ => ("move the other file", "移走另一个文件"),
    }
}
