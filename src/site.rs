//! The site as data: entries sorted newest first, people, tags and pages, with
//! every cross-file reference resolved to an index. [`Site::assemble`] checks
//! the whole set (unknown people, two files with one URL, ...) and collects
//! every problem before failing. Nothing here touches the disk or renders.

use std::collections::hash_map::Entry as Slot;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use chrono::{DateTime, FixedOffset};

use crate::config::Config;
use crate::diag::{Located, SourceError, closest};
use crate::layout::EntryPattern;
use crate::markdown::{Link, Removal};
use crate::source::{EntrySource, Loaded, PageSource, PersonSource};

mod entry;
mod person;
mod related;

pub use entry::{Entry, Pictured, entry_path};
pub use person::{day_number, initials};

pub use crate::source::entry::SUMMARY_CHARS;

pub use crate::layout::RESERVED_SLUGS;

#[derive(Debug)]
pub struct Person {
    pub src: Arc<PersonSource>,
    /// Entries (indices into `Site::entries`) written by this person, newest first.
    pub authored: Vec<usize>,
    /// Entries that list this person in `people:`, newest first.
    pub mentioned: Vec<usize>,
    pub initials: String,
}

impl Person {
    pub fn path(&self) -> String {
        crate::layout::person(&self.src.id)
    }

    /// Entries by or about the person, oldest first (a timeline), with whether
    /// the person wrote it.
    pub fn timeline(&self) -> Vec<(usize, bool)> {
        let mut all: Vec<(usize, bool)> = self.authored.iter().map(|&i| (i, true)).collect();
        // `authored` is in entry order: a binary search, not a scan per entry.
        debug_assert!(self.authored.is_sorted());
        all.extend(
            self.mentioned
                .iter()
                .filter(|i| self.authored.binary_search(i).is_err())
                .map(|&i| (i, false)),
        );
        // Entries are stored newest first, so a larger index is older.
        all.sort_by_key(|e| std::cmp::Reverse(e.0));
        all
    }

    /// How many entries [`timeline`](Self::timeline) lists.
    pub fn timeline_len(&self) -> usize {
        self.authored.len()
            + self
                .mentioned
                .iter()
                .filter(|i| self.authored.binary_search(i).is_err())
                .count()
    }
}

#[derive(Debug)]
pub struct Tag {
    /// Display name: the most used spelling among the entries.
    pub name: String,
    pub slug: String,
    /// Entry indices, newest first.
    pub entries: Vec<usize>,
}

impl Tag {
    pub fn path(&self) -> String {
        crate::layout::tag(&self.slug)
    }
}

/// A series (`series:`): entries read in order, part 1 the oldest.
#[derive(Debug)]
pub struct Series {
    /// As the newest entry spells it.
    pub name: String,
    pub slug: String,
    /// Entry indices, oldest first (part 1 first).
    pub entries: Vec<usize>,
}

impl Series {
    pub fn path(&self) -> String {
        crate::layout::series(&self.slug)
    }
}

#[derive(Debug)]
pub struct Page {
    pub src: Arc<PageSource>,
}

impl Page {
    pub fn path(&self) -> String {
        crate::layout::standalone(&self.src.slug.value)
    }
}

/// The checked, cross-linked site.
#[derive(Debug)]
pub struct Site {
    pub config: Config,
    pub entries: Vec<Entry>,
    /// The home page's order of entries (indices into `entries`): the
    /// pinned ones first, then the others, each newest first. Every other
    /// list keeps date order.
    pub home: Vec<usize>,
    /// Sorted by id.
    pub people: Vec<Person>,
    /// Sorted by slug.
    pub tags: Vec<Tag>,
    /// Sorted by slug.
    pub series: Vec<Series>,
    /// Sorted by weight, then title.
    pub pages: Vec<Page>,
    /// Date of the earliest entry left out because it is scheduled.
    pub next_scheduled: Option<DateTime<FixedOffset>>,
    pub warnings: Vec<SourceError>,
}

impl Site {
    /// Checks the loaded sources against each other and links them up. The
    /// site is complete even when there are problems (a reference that does
    /// not resolve is left out), so that later phases can still find theirs:
    /// every problem of a build is reported at once.
    pub fn assemble(
        config: Config,
        loaded: Loaded,
        now: DateTime<FixedOffset>,
    ) -> (Site, Vec<SourceError>) {
        let Loaded {
            entries,
            people,
            pages,
            mut errors,
            warnings,
            failed_people,
        } = loaded;
        let mut warnings = warnings;

        // People, by id. `a.yaml` and `a.yml` would be one id twice.
        let mut people: Vec<Arc<PersonSource>> = people;
        people.sort_by(|a, b| a.id.cmp(&b.id).then_with(|| a.path.cmp(&b.path)));
        let mut person_index = HashMap::new();
        let mut persons: Vec<Person> = Vec::with_capacity(people.len());
        for p in people {
            if let Some(&i) = person_index.get(&p.id) {
                let other: &Person = &persons[i];
                errors.push(
                    SourceError::file(
                        &p.path,
                        format!(
                            "person id `{}` is also used by {}",
                            p.id,
                            other.src.path.display()
                        ),
                    )
                    .hint("keep one profile per person")
                    .zh(format!(
                        "人物编号 `{}` 已被 {} 使用",
                        p.id,
                        other.src.path.display()
                    ))
                    .zh_hint("每个人只留一份资料"),
                );
                continue;
            }
            person_index.insert(p.id.clone(), persons.len());
            let initials = initials(&p.name);
            persons.push(Person {
                src: p,
                authored: Vec::new(),
                mentioned: Vec::new(),
                initials,
            });
        }

        // The first scheduled entry: the site changes when its time comes.
        let next_scheduled = entries
            .iter()
            .filter(|e| !config.future && e.date > now && (config.drafts || !e.draft))
            .map(|e| e.date)
            .min();
        // Entries: drop drafts and scheduled ones, newest first, slug as tie-breaker.
        let mut entries: Vec<Arc<EntrySource>> = entries
            .into_iter()
            .filter(|e| (config.drafts || !e.draft) && (config.future || e.date <= now))
            .collect();
        entries.sort_by(|a, b| {
            b.date
                .cmp(&a.date)
                .then_with(|| a.slug.value.cmp(&b.slug.value))
                .then_with(|| a.path.cmp(&b.path))
        });

        // One URL, one file. The paths are made side by side; the check for
        // clashes borrows them.
        let pattern = &config.entry_pattern;
        let made: Vec<Option<String>> =
            entries.par_iter().map(|e| entry_path(pattern, e)).collect();
        let mut urls: HashMap<String, (&PathBuf, &Located<String>)> =
            HashMap::with_capacity(entries.len());
        let mut paths = Vec::with_capacity(entries.len());
        for (e, made) in entries.iter().zip(made) {
            let path = made.unwrap_or_else(|| {
                errors.push(
                    SourceError::at(
                        &e.path,
                        1,
                        1,
                        format!(
                            "this entry has no author, and its URL {} needs one",
                            pattern.as_str()
                        ),
                    )
                    .hint("add `author: <person id>` to the front matter, or take :author out of permalinks.entry in site.yaml")
                    .zh(format!(
                        "这篇日记没有作者，而它的网址格式 {} 需要作者",
                        pattern.as_str()
                    ))
                    .zh_hint("在文件头里加上 `author: <人物编号>`，或从 site.yaml 的 permalinks.entry 里去掉 :author"),
                );
                // Placed where no other entry can be, to go on checking.
                entry_path(&EntryPattern::default(), e).unwrap_or_default()
            });
            match urls.entry(format!("/{path}")) {
                Slot::Occupied(first) => {
                    errors.push(url_clash(first.key(), (&e.path, &e.slug), *first.get()));
                }
                Slot::Vacant(v) => {
                    v.insert((&e.path, &e.slug));
                }
            }
            paths.push(path);
        }
        let mut pages: Vec<Arc<PageSource>> = pages
            .into_iter()
            .filter(|p| config.drafts || !p.draft)
            .collect();
        pages.sort_by(|a, b| {
            a.weight
                .cmp(&b.weight)
                .then_with(|| a.title.cmp(&b.title))
                .then_with(|| a.path.cmp(&b.path))
        });
        for p in &pages {
            let url = format!("/{}/", p.slug.value);
            if RESERVED_SLUGS.contains(&p.slug.value.as_str()) {
                errors.push(
                    SourceError::at(
                        &p.path,
                        p.slug.line,
                        p.slug.col,
                        format!("URL {url} is reserved for laurel's own pages"),
                    )
                    .hint("choose another `slug:`")
                    .zh(format!("网址 {url} 留给 laurel 自己的页面使用"))
                    .zh_hint("换一个 `slug:`"),
                );
            } else if let Some(&first) = urls.get(&url) {
                errors.push(url_clash(&url, (&p.path, &p.slug), first));
            } else {
                urls.insert(url, (&p.path, &p.slug));
            }
        }

        // Tags grouped by slug; spellings that share a slug (`COVID`, `covid`)
        // merge. Uses are counted per spelling first, and each distinct
        // spelling is slugged (pinyin) once.
        let mut uses: HashMap<&str, usize> = HashMap::new();
        for t in entries.iter().flat_map(|e| &e.tags) {
            *uses.entry(t.value.as_str()).or_default() += 1;
        }
        let mut tag_groups: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
        for (spelling, n) in uses {
            tag_groups
                .entry(crate::source::entry::nonempty_slug(spelling))
                .or_default()
                .insert(spelling.to_string(), n);
        }
        let mut tags = Vec::with_capacity(tag_groups.len());
        let mut tag_index: HashMap<String, usize> = HashMap::new();
        for (slug, spellings) in tag_groups {
            // Most used spelling wins; BTreeMap order breaks ties.
            let name = spellings
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
                .map(|(n, _)| n.clone())
                .unwrap_or_default();
            if spellings.len() > 1 {
                let all: Vec<&str> = spellings.keys().map(String::as_str).collect();
                warnings.push(
                    SourceError::general(format!(
                        "tags {} share the URL /tags/{slug}/ and are shown as one tag `{name}`",
                        all.join(", ")
                    ))
                    .zh(format!(
                        "标签 {} 的网址都是 /tags/{slug}/，合并显示为一个标签“{name}”",
                        all.join("、")
                    )),
                );
            }
            for s in spellings.keys() {
                tag_index.insert(s.clone(), tags.len());
            }
            tags.push(Tag {
                name,
                slug,
                entries: Vec::new(),
            });
        }

        let ids: Vec<String> = persons.iter().map(|p| p.src.id.clone()).collect();
        let resolve =
            |l: &Located<String>, path: &PathBuf, errors: &mut Vec<SourceError>| -> Option<usize> {
                match person_index.get(&l.value) {
                    Some(&i) => Some(i),
                    // Its profile is broken and already reported.
                    None if failed_people.contains(&l.value) => None,
                    None => {
                        let id = &l.value;
                        let err = l
                            .error(path, format!("unknown person `{id}`"))
                            .zh(format!("没有这个人物：`{id}`"));
                        let err = match closest(id, ids.iter().map(String::as_str)) {
                            Some(c) => err
                                .hint(format!("did you mean `{c}`?"))
                                .zh_hint(format!("是不是想写 `{c}`？")),
                            None => err
                                .hint(format!("create content/people/{id}.yaml or fix the id"))
                                .zh_hint(format!("新建 content/people/{id}.yaml，或改正这个 id")),
                        };
                        errors.push(err);
                        None
                    }
                }
            };

        // Each entry's people, tags and day, resolved side by side (its
        // problems kept with it, so that they are reported in entry order),
        // then filed under the people and tags in order.
        let resolved: Vec<_> = entries
            .par_iter()
            .map(|src| {
                let mut errs = Vec::new();
                let author = src
                    .author
                    .as_ref()
                    .and_then(|a| resolve(a, &src.path, &mut errs));
                let mut ppl = Vec::new();
                for p in &src.people {
                    if let Some(i) = resolve(p, &src.path, &mut errs)
                        && !ppl.contains(&i)
                    {
                        ppl.push(i);
                    }
                }
                let mut tag_ids: Vec<usize> = Vec::new();
                for t in &src.tags {
                    if let Some(&ti) = tag_index.get(&t.value)
                        && !tag_ids.contains(&ti)
                    {
                        tag_ids.push(ti);
                    }
                }
                let on = src.date.date_naive();
                let day = author.into_iter().chain(ppl.iter().copied()).find_map(|i| {
                    let p = &persons[i].src;
                    day_number(on, p.deployed?, p.returned).map(|n| (n, i))
                });
                (author, ppl, tag_ids, day, errs)
            })
            .collect();
        let mut out_entries = Vec::with_capacity(entries.len());
        let all = entries.into_iter().zip(paths).zip(resolved);
        for (idx, ((src, path), (author, ppl, tag_ids, day, errs))) in all.enumerate() {
            errors.extend(errs);
            for &ti in &tag_ids {
                tags[ti].entries.push(idx);
            }
            if let Some(a) = author {
                persons[a].authored.push(idx);
            }
            for &p in &ppl {
                persons[p].mentioned.push(idx);
            }
            out_entries.push(Entry {
                author,
                people: ppl,
                tags: tag_ids,
                day,
                related: Vec::new(),
                series: None,
                src,
                path,
                pictures: None,
            });
        }
        let series = group_series(&mut out_entries);
        let related = related::related(&out_entries, &persons, &tags, config.related_limit);
        for (e, r) in out_entries.iter_mut().zip(related) {
            e.related = r;
        }

        let home = home_order(&out_entries);
        let site = Site {
            config,
            home,
            entries: out_entries,
            people: persons,
            tags,
            series,
            pages: pages.into_iter().map(|src| Page { src }).collect(),
            next_scheduled,
            warnings,
        };
        (site, errors)
    }
}

/// The series of the entries, by slug (spellings that share one merge), each
/// numbering its entries oldest first; sets every entry's part.
fn group_series(entries: &mut [Entry]) -> Vec<Series> {
    let mut by_slug: BTreeMap<String, Series> = BTreeMap::new();
    // Oldest first: the larger index is the older entry.
    for i in (0..entries.len()).rev() {
        let Some(name) = &entries[i].src.series else {
            continue;
        };
        let slug = crate::source::entry::nonempty_slug(&name.value);
        let s = by_slug.entry(slug.clone()).or_insert_with(|| Series {
            name: String::new(),
            slug,
            entries: Vec::new(),
        });
        // The newest spelling wins: it is seen last.
        s.name.clone_from(&name.value);
        s.entries.push(i);
    }
    let series: Vec<Series> = by_slug.into_values().collect();
    for (k, s) in series.iter().enumerate() {
        for (part, &i) in s.entries.iter().enumerate() {
            entries[i].series = Some((k, part));
        }
    }
    series
}

/// Pinned entries first, then the rest; both keep the entries' own order
/// (newest first).
fn home_order(entries: &[Entry]) -> Vec<usize> {
    let (mut pinned, rest): (Vec<usize>, Vec<usize>) =
        (0..entries.len()).partition(|&i| entries[i].src.pinned);
    pinned.extend(rest);
    pinned
}

/// One Markdown document of the site (an entry's body, a page, a bio): the
/// file it is in and what rendering it found, located in that file.
pub struct Document<'a> {
    pub path: &'a Path,
    pub links: &'a [Link],
    pub removed: &'a [Removal],
}

impl Site {
    /// Lets the entries' plain text go (only the search index reads it),
    /// where no one else holds the sources: a one-shot build does this once
    /// the index is made. It is a fifth of a large column's memory.
    pub fn release_entry_texts(&mut self) {
        for e in &mut self.entries {
            if let Some(src) = std::sync::Arc::get_mut(&mut e.src) {
                src.text = String::new();
            }
        }
    }

    /// Every Markdown document of the site: entries, pages, then profiles.
    pub fn documents(&self) -> impl Iterator<Item = Document<'_>> {
        let entries = self.entries.iter().map(|e| Document {
            path: &e.src.path,
            links: &e.src.links,
            removed: &e.src.removed,
        });
        let pages = self.pages.iter().map(|p| Document {
            path: &p.src.path,
            links: &p.src.links,
            removed: &p.src.removed,
        });
        let people = self.people.iter().map(|p| Document {
            path: &p.src.path,
            links: &p.src.bio_links,
            removed: &p.src.bio_removed,
        });
        entries.chain(pages).chain(people)
    }

    /// Everything to warn about: what loading and assembling found, then
    /// what the pages will not show as written, by file and position. The
    /// latter is made from the sources as they are now, so a live rebuild
    /// that swapped an edited entry in reports that entry's, once.
    pub fn all_warnings(&self) -> Vec<SourceError> {
        self.warnings_with(&self.removed_warnings())
    }

    /// Every warning, given the [`Site::removed_warnings`] (known already).
    pub fn warnings_with(&self, removed: &[SourceError]) -> Vec<SourceError> {
        self.warnings.iter().chain(removed).cloned().collect()
    }

    /// The warnings about raw HTML taken out of the site's documents, sorted.
    pub fn removed_warnings(&self) -> Vec<SourceError> {
        let removed = self
            .documents()
            .flat_map(|d| d.removed.iter().map(move |r| r.warning(d.path)));
        crate::diag::sorted(removed)
    }

    /// [`Site::removed_warnings`] after `edited` entries changed, from
    /// `before` (what it was): only those entries are looked at.
    pub fn removed_warnings_after(
        &self,
        before: Vec<SourceError>,
        edited: &[usize],
    ) -> Vec<SourceError> {
        let paths: std::collections::HashSet<&Path> = (edited.iter())
            .map(|&i| self.entries[i].src.path.as_path())
            .collect();
        let kept = before
            .into_iter()
            .filter(|w| !paths.contains(w.path.as_path()));
        let new = edited.iter().flat_map(|&i| {
            let src = &self.entries[i].src;
            src.removed.iter().map(|r| r.warning(&src.path))
        });
        crate::diag::sorted(kept.chain(new))
    }
}

/// Two files want one URL. The error goes on the file whose `slug:` line
/// caused it (it has a location), naming the other file.
fn url_clash(
    url: &str,
    a: (&PathBuf, &Located<String>),
    b: (&PathBuf, &Located<String>),
) -> SourceError {
    let (here, other) = if a.1.line == 0 && b.1.line > 0 {
        (b, a)
    } else {
        (a, b)
    };
    SourceError::at(
        here.0,
        here.1.line,
        here.1.col,
        format!("URL {url} is also used by {}", other.0.display()),
    )
    .hint("give one of them a different `slug:` or file name")
    .zh(format!("网址 {url} 也被 {} 使用", other.0.display()))
    .zh_hint("给其中一个换个 `slug:` 或文件名")
}
