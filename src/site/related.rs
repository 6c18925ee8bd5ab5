//! Related entries: for each entry, the others that share its people (the
//! author and `people:`) or its tags, best first. A shared person counts
//! [`PERSON_WEIGHT`], a shared tag [`TAG_WEIGHT`]; equal scores go newest
//! first (then by position, so the choice is deterministic).
//!
//! Linear in the number of entries: candidates come from the per-person
//! and per-tag entry lists, at most [`WINDOW`] each side of the entry in
//! each list (those nearest in date) and [`MAX_CANDIDATES`] in all, so a
//! tag on every entry of a 10,000-entry column costs what a small one does.

use rayon::prelude::*;

use super::{Entry, Person, Tag};

pub const PERSON_WEIGHT: u32 = 3;
pub const TAG_WEIGHT: u32 = 1;
/// Entries looked at on each side of an entry in one person's or tag's list.
const WINDOW: usize = 8;
/// Candidates scored for one entry at most.
const MAX_CANDIDATES: usize = 128;

/// The related entries of every entry (indices into `entries`), at most
/// `limit` each.
pub fn related(
    entries: &[Entry],
    people: &[Person],
    tags: &[Tag],
    limit: usize,
) -> Vec<Vec<usize>> {
    if limit == 0 {
        return vec![Vec::new(); entries.len()];
    }
    let keys = Keys::of(entries);
    (0..entries.len())
        .into_par_iter()
        .map(|i| related_to(i, &keys, people, tags, limit))
        .collect()
}

/// Every entry's people (the author and `people:`, each once) and tags,
/// sorted, in two flat arrays: scoring a candidate reads a few adjacent
/// numbers instead of following an entry's lists across the heap (at 100k
/// entries those reads missed the cache and made this step superlinear).
struct Keys {
    /// Entry `i`'s people are `people[starts[i].0..starts[i + 1].0]`, its
    /// tags `tags[starts[i].1..starts[i + 1].1]`.
    starts: Vec<(u32, u32)>,
    people: Vec<u32>,
    tags: Vec<u32>,
}

impl Keys {
    fn of(entries: &[Entry]) -> Keys {
        let mut keys = Keys {
            starts: Vec::with_capacity(entries.len() + 1),
            people: Vec::new(),
            tags: Vec::new(),
        };
        let index = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        let mut one = Vec::new();
        for e in entries {
            keys.starts
                .push((index(keys.people.len()), index(keys.tags.len())));
            // `people:` may repeat the author: each person once.
            one.clear();
            one.extend(e.author.iter().chain(&e.people).map(|&p| index(p)));
            one.sort_unstable();
            one.dedup();
            keys.people.extend_from_slice(&one);
            one.clear();
            one.extend(e.tags.iter().map(|&t| index(t)));
            one.sort_unstable();
            one.dedup();
            keys.tags.extend_from_slice(&one);
        }
        keys.starts
            .push((index(keys.people.len()), index(keys.tags.len())));
        keys
    }

    fn people(&self, i: usize) -> &[u32] {
        &self.people[self.starts[i].0 as usize..self.starts[i + 1].0 as usize]
    }

    fn tags(&self, i: usize) -> &[u32] {
        &self.tags[self.starts[i].1 as usize..self.starts[i + 1].1 as usize]
    }
}

/// How many numbers two sorted lists share.
fn shared(a: &[u32], b: &[u32]) -> u32 {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

fn related_to(i: usize, keys: &Keys, people: &[Person], tags: &[Tag], limit: usize) -> Vec<usize> {
    let mine = keys.people(i);
    let my_tags = keys.tags(i);
    // People's lists first: they weigh more, so they are looked at first
    // when the candidates run out.
    let lists = mine
        .iter()
        .flat_map(|&p| {
            let p = &people[p as usize];
            [&p.authored[..], &p.mentioned[..]]
        })
        .chain(my_tags.iter().map(|&t| &tags[t as usize].entries[..]));
    let mut candidates = Vec::new();
    for list in lists {
        if candidates.len() >= MAX_CANDIDATES {
            break;
        }
        // Lists are in entry order (newest first): `i`'s place in it.
        let at = list.partition_point(|&j| j < i);
        let from = at.saturating_sub(WINDOW);
        let to = (at + WINDOW + 1).min(list.len());
        candidates.extend(list[from..to].iter().copied().filter(|&j| j != i));
    }
    candidates.sort_unstable();
    candidates.dedup();
    let mut scored: Vec<(u32, usize)> = candidates
        .into_iter()
        .map(|j| {
            let persons = shared(mine, keys.people(j));
            let shared_tags = shared(my_tags, keys.tags(j));
            (persons * PERSON_WEIGHT + shared_tags * TAG_WEIGHT, j)
        })
        .collect();
    // Best score first; a smaller index is a newer entry. Only the best
    // `limit` are sorted.
    let order = |a: &(u32, usize), b: &(u32, usize)| b.0.cmp(&a.0).then(a.1.cmp(&b.1));
    if scored.len() > limit {
        scored.select_nth_unstable_by(limit - 1, order);
        scored.truncate(limit);
    }
    scored.sort_unstable_by(order);
    scored.into_iter().map(|(_, j)| j).collect()
}
