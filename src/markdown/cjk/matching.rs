//! CommonMark's delimiter algorithm ("process emphasis") rerun over the
//! recovered runs with the CJK-friendly verdicts, and the segment's events
//! rebuilt from the matches.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag};

use super::Run;

/// CommonMark's "process emphasis" over each group's runs, with the verdicts
/// stored in the runs. Records matches in `opens`/`closes`.
pub(super) fn match_runs(runs: &mut [Run]) {
    let mut order: Vec<(usize, usize)> =
        runs.iter().enumerate().map(|(i, r)| (r.group, i)).collect();
    // Sorting by (group, index) keeps document order within each group.
    order.sort_unstable();
    for group in order.chunk_by(|a, b| a.0 == b.0) {
        let indices: Vec<usize> = group.iter().map(|&(_, i)| i).collect();
        match_group(runs, &indices);
    }
}

fn match_group(runs: &mut [Run], order: &[usize]) {
    // Potential openers, innermost last.
    let mut stack: Vec<usize> = Vec::new();
    // For each closer kind (char, can-both, length mod 3): stack height below
    // which a previous search found nothing. Keeps this linear on
    // pathological input, like the reference implementation's openers_bottom.
    let mut bottom = [0usize; 18];
    let key = |r: &Run| {
        let ch = match r.ch {
            b'*' => 0,
            b'_' => 1,
            _ => 2,
        };
        ch * 6 + usize::from(r.can_open && r.can_close) * 3 + r.len % 3
    };
    for &ci in order {
        if runs[ci].can_close {
            while runs[ci].count > 0 {
                let k = key(&runs[ci]);
                let lo = bottom[k].min(stack.len());
                let closer = &runs[ci];
                let found = (lo..stack.len())
                    .rev()
                    .find(|&si| compatible(&runs[stack[si]], closer));
                let Some(si) = found else {
                    bottom[k] = stack.len();
                    break;
                };
                // Openers between the match and the closer can never match
                // any more; they stay literal.
                stack.truncate(si + 1);
                let oi = stack[si];
                let used = if runs[oi].count >= 2 && runs[ci].count >= 2 {
                    2
                } else {
                    1
                };
                runs[oi].count -= used;
                runs[oi].opens.push(used as u8);
                runs[ci].count -= used;
                runs[ci].closes.push(used as u8);
                if runs[oi].count == 0 {
                    stack.pop();
                }
                for b in &mut bottom {
                    *b = (*b).min(stack.len());
                }
            }
        }
        if runs[ci].count > 0 && runs[ci].can_open {
            stack.push(ci);
        }
    }
}

/// Same character, and CommonMark's "rule of 3" for runs that can both open
/// and close; tildes only pair with a run as long (`~~…~~`, `~…~`).
fn compatible(opener: &Run, closer: &Run) -> bool {
    let both = (opener.can_open && opener.can_close) || (closer.can_open && closer.can_close);
    if opener.ch == b'~' || closer.ch == b'~' {
        return opener.ch == closer.ch && opener.len == closer.len && opener.len <= 2;
    }
    opener.ch == closer.ch
        && (!both
            || !(opener.len + closer.len).is_multiple_of(3)
            || (opener.len.is_multiple_of(3) && closer.len.is_multiple_of(3)))
}

/// Emits a segment with its emphasis rebuilt from the matched runs.
pub(super) fn rebuild<'a>(
    src: &'a str,
    seg: Vec<(Event<'a>, Range<usize>)>,
    runs: &[Run],
    out: &mut Vec<Event<'a>>,
) {
    let mut next_run = runs.iter().peekable();
    for (i, (ev, _)) in seg.into_iter().enumerate() {
        let Some(run) = next_run.peek() else {
            out.push(ev);
            continue;
        };
        if i < run.first_event {
            out.push(ev);
            continue;
        }
        // Every event of a run is replaced by the run's output, emitted once.
        if i == run.last_event {
            emit_run(src, run, out);
            next_run.next();
        }
    }
}

fn emit_run<'a>(src: &'a str, run: &Run, out: &mut Vec<Event<'a>>) {
    let tag = |used: u8| {
        if run.ch == b'~' {
            Tag::Strikethrough
        } else if used == 2 {
            Tag::Strong
        } else {
            Tag::Emphasis
        }
    };
    // A closer uses its characters from the left, an opener from the right.
    for &used in &run.closes {
        out.push(Event::End(tag(used).to_end()));
    }
    if run.count > 0 {
        let closed: usize = run.closes.iter().map(|&u| usize::from(u)).sum();
        let start = run.pos + closed;
        let literal = match src.get(start..start + run.count) {
            Some(s) => CowStr::Borrowed(s),
            None => CowStr::from(char::from(run.ch).to_string().repeat(run.count)),
        };
        out.push(Event::Text(literal));
    }
    for &used in run.opens.iter().rev() {
        out.push(Event::Start(tag(used)));
    }
}
