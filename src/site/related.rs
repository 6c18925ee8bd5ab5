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
    (0..entries.len())
        .into_par_iter()
        .map(|i| related_to(i, entries, people, tags, limit))
        .collect()
}

/// The author and `people:` of an entry, sorted, each once.
fn people_of(e: &Entry) -> Vec<usize> {
    let mut v: Vec<usize> = e
        .author
        .into_iter()
        .chain(e.people.iter().copied())
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

fn related_to(
    i: usize,
    entries: &[Entry],
    people: &[Person],
    tags: &[Tag],
    limit: usize,
) -> Vec<usize> {
    let e = &entries[i];
    let mine = people_of(e);
    let mut my_tags = e.tags.clone();
    my_tags.sort_unstable();
    // People's lists first: they weigh more, so they are looked at first
    // when the candidates run out.
    let lists = mine
        .iter()
        .flat_map(|&p| [&people[p].authored[..], &people[p].mentioned[..]])
        .chain(my_tags.iter().map(|&t| &tags[t].entries[..]));
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
            let o = &entries[j];
            // `people:` may repeat the author: count the author once.
            let author = o.author.filter(|a| mine.binary_search(a).is_ok());
            let persons = u32::from(author.is_some())
                + o.people
                    .iter()
                    .filter(|&&p| Some(p) != o.author && mine.binary_search(&p).is_ok())
                    .count() as u32;
            let shared_tags = o
                .tags
                .iter()
                .filter(|t| my_tags.binary_search(t).is_ok())
                .count() as u32;
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
