//! The dependency graph: what each output file reads, declared once, where
//! the page is planned (each page kind's `reads` function, beside its `plan`).
//!
//! A job's [`Reads`] gives two things from that one declaration:
//! - its **key**: a hash of the fingerprints of everything it reads (and of
//!   its own parameters). Equal keys mean equal bytes, so a page whose key did
//!   not change is neither rendered nor written; `build` compares with the
//!   keys its manifest recorded, `watch` and `serve` with the last render's.
//! - its **inputs** (an entry, a person, a tag, a standalone page): the
//!   [`Graph`] turns them around, so that an edit asks "which outputs read
//!   what I changed?" and looks at those only, not at the whole site.
//!
//! The graph's structure (which jobs exist, which inputs each reads) depends
//! on the site's *shape*; [`Place`] says which fields of an entry decide it.
//! An edit that keeps every entry's place keeps the graph.

use std::collections::{BTreeSet, HashMap};

use super::context::Fingerprints;
use crate::hash::Hasher;
use crate::source::EntrySource;

/// One input a page can read (indices into the site's lists).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Input {
    Entry(usize),
    Person(usize),
    Tag(usize),
    Page(usize),
}

/// What one job reads, as it declares it: builds the job's key and records
/// its inputs for the graph.
pub(crate) struct Reads<'a> {
    fps: &'a Fingerprints,
    h: Hasher,
    inputs: Vec<Input>,
}

impl<'a> Reads<'a> {
    /// The reads of a job of `kind` (every job reads the site's globals).
    pub fn new(fps: &'a Fingerprints, kind: &str) -> Reads<'a> {
        let mut h = Hasher::default();
        h.str(kind);
        h.u128(fps.globals);
        Reads {
            fps,
            h,
            inputs: Vec::new(),
        }
    }

    /// Reads all of entry `i` (its card and content).
    pub fn entry(&mut self, i: usize) -> &mut Self {
        self.inputs.push(Input::Entry(i));
        self.h.u128(self.fps.entries[i]);
        self
    }

    /// Reads entry `i`'s card only (what a list of entries shows).
    pub fn card(&mut self, i: usize) -> &mut Self {
        self.inputs.push(Input::Entry(i));
        self.h.u128(self.fps.cards[i]);
        self
    }

    /// Reads all of person `i` (card and profile).
    pub fn person(&mut self, i: usize) -> &mut Self {
        self.inputs.push(Input::Person(i));
        self.h.u128(self.fps.people[i]);
        self
    }

    /// Reads tag `i`'s ref (name, URL, count).
    pub fn tag(&mut self, i: usize) -> &mut Self {
        self.inputs.push(Input::Tag(i));
        self.h.u128(self.fps.tags[i]);
        self
    }

    /// Reads standalone page `i`.
    pub fn page(&mut self, i: usize) -> &mut Self {
        self.inputs.push(Input::Page(i));
        self.h.u128(self.fps.pages[i]);
        self
    }

    /// Depends on `input`, but only on the values then passed to [`Reads::str`]
    /// (an entry page shows its neighbours' titles, not their text).
    pub fn part_of(&mut self, input: Input) -> &mut Self {
        self.inputs.push(input);
        self
    }

    /// A parameter of the job, or a value it shows.
    pub fn str(&mut self, s: &str) -> &mut Self {
        self.h.str(s);
        self
    }

    pub fn num(&mut self, n: usize) -> &mut Self {
        self.h.u128(n as u128);
        self
    }

    pub fn finish(self) -> (u128, Vec<Input>) {
        (self.h.finish(), self.inputs)
    }
}

/// Input → the jobs that read it (indices into the render's job list).
#[derive(Debug, Default)]
pub(crate) struct Graph {
    readers: HashMap<Input, Vec<u32>>,
}

impl Graph {
    /// The graph of a render, from each job's inputs (by job index).
    pub fn of<'i>(inputs: impl Iterator<Item = (usize, &'i [Input])>) -> Graph {
        let mut readers: HashMap<Input, Vec<u32>> = HashMap::new();
        for (job, ins) in inputs {
            let job = u32::try_from(job).unwrap_or(u32::MAX);
            for &i in ins {
                let list = readers.entry(i).or_default();
                // A job may read one input twice (an entry's own page and
                // its neighbour link); record it once.
                if list.last() != Some(&job) {
                    list.push(job);
                }
            }
        }
        Graph { readers }
    }

    /// Every job that reads any of `changed`, in job order.
    pub fn touched(&self, changed: &[Input]) -> BTreeSet<usize> {
        changed
            .iter()
            .filter_map(|i| self.readers.get(i))
            .flatten()
            .map(|&j| j as usize)
            .collect()
    }
}

/// The fields of an entry that decide the site's shape: which pages exist,
/// which entries each list shows and in what order, whose timeline and which
/// tag an entry is on, which images are made. An edit that keeps an entry's
/// place changes only what the entry itself shows (its card and its page),
/// which the graph follows; any other edit is a new shape, and every job's
/// key is computed again (cheaply: keys are hashes of fingerprints).
///
/// This is the one definition: `watch`/`serve` take their quick path only
/// when every edited entry kept its place.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Place<'a> {
    path: &'a std::path::Path,
    date: chrono::DateTime<chrono::FixedOffset>,
    slug: &'a str,
    draft: bool,
    /// Pinned entries lead the home page: its order.
    pinned: bool,
    author: Option<&'a str>,
    people: Vec<&'a str>,
    tags: Vec<&'a str>,
    cover: Option<&'a str>,
    /// The body's images of the site: which images are made, and which
    /// entries' pages show them.
    images: Vec<&'a str>,
    /// Each alias is an output file of its own.
    aliases: Vec<&'a str>,
    /// A series has pages of its own, and numbers its parts.
    series: Option<&'a str>,
}

impl<'a> Place<'a> {
    pub fn of(e: &'a EntrySource) -> Place<'a> {
        Place {
            path: &e.path,
            date: e.date,
            slug: &e.slug.value,
            draft: e.draft,
            pinned: e.pinned,
            author: e.author.as_ref().map(|l| l.value.as_str()),
            people: e.people.iter().map(|l| l.value.as_str()).collect(),
            tags: e.tags.iter().map(|l| l.value.as_str()).collect(),
            cover: e.cover.as_ref().map(|l| l.value.as_str()),
            images: (e.links.iter())
                .filter(|l| l.is_site_image())
                .map(|l| l.dest.as_str())
                .collect(),
            aliases: e.aliases.iter().map(|l| l.value.as_str()).collect(),
            series: e.series.as_ref().map(|l| l.value.as_str()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_graph_finds_every_reader_of_a_change() {
        let a = [Input::Entry(0), Input::Entry(1)];
        let b = [Input::Entry(1), Input::Entry(1), Input::Person(0)];
        let c = [Input::Tag(3)];
        let g = Graph::of([(0, &a[..]), (1, &b[..]), (2, &c[..])].into_iter());
        assert_eq!(
            g.touched(&[Input::Entry(1)])
                .into_iter()
                .collect::<Vec<_>>(),
            [0, 1]
        );
        assert_eq!(
            g.touched(&[Input::Person(0), Input::Tag(3)])
                .into_iter()
                .collect::<Vec<_>>(),
            [1, 2]
        );
        assert!(g.touched(&[Input::Page(0)]).is_empty());
    }

    #[test]
    fn keys_follow_what_is_read() {
        let fps = Fingerprints {
            globals: 1,
            cards: vec![5, 6],
            entries: vec![10, 11],
            people: vec![20],
            tags: vec![30],
            pages: vec![],
        };
        let key = |f: &Fingerprints, e: usize| {
            let mut r = Reads::new(f, "entry");
            r.entry(e).num(e);
            r.finish().0
        };
        assert_ne!(key(&fps, 0), key(&fps, 1));
        let mut changed = fps.clone();
        changed.entries[0] = 99;
        assert_ne!(key(&fps, 0), key(&changed, 0));
        assert_eq!(key(&fps, 1), key(&changed, 1));
        changed.globals = 2;
        assert_ne!(key(&fps, 1), key(&changed, 1));
    }
}
