//! Markdown rendering: this module owns turning an entry body into HTML (via
//! pulldown-cmark, with tables, footnotes, strikethrough, task lists and
//! heading attributes), plus the plain text, `<!-- more -->` summary split,
//! summary truncation and reading-time estimate derived from it. It adds what
//! Chinese text needs on top of CommonMark — CJK-friendly emphasis flanking and
//! dropping soft line breaks between CJK characters — gives every heading a
//! unique `id`, prefixes site-absolute link targets with the site root, and,
//! when asked, sanitizes raw HTML with ammonia.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::LazyLock;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};
use unicode_segmentation::UnicodeSegmentation;

use crate::slug::slugify;

/// How [`render`] treats links and raw HTML.
#[derive(Debug, Clone, Copy)]
pub struct MarkdownOptions<'a> {
    /// Sanitize raw HTML with ammonia (true unless site.yaml says markdown.unsafe_html: true).
    pub sanitize: bool,
    /// Path prefix of the site, e.g. "/" or "/column/"; links and images whose destination starts with a single '/' (not '//') get it: "/people/wu-yang/" -> "/column/people/wu-yang/".
    pub root: &'a str,
}

/// The outputs of [`render`] for one Markdown document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// The whole body as HTML.
    pub html: String,
    /// HTML of the part before `<!-- more -->` (the marker on its own line/paragraph), if the marker is present.
    pub before_more: Option<String>,
    /// Plain text of the body (no tags, entities decoded, whitespace collapsed) — used for summaries, search and reading time.
    pub text: String,
}

/// Renders `markdown` to HTML, plain text and the optional pre-`<!-- more -->`
/// part.
///
/// Beyond CommonMark + GFM tables/footnotes/strikethrough/task lists and
/// `{#id}` heading attributes:
/// * `**`/`*`/`__`/`_` runs touching CJK text follow the CJK-friendly flanking
///   amendment, so `**记者：**正文` is bold;
/// * a soft line break between two CJK characters renders as nothing;
/// * every heading gets a unique `id` (explicit `{#id}`, else the slug of its
///   text, else `section`; repeats get `-1`, `-2`, …);
/// * link and image targets starting with a single `/` get `opts.root`;
/// * task-list items start with `<span class="task task-done">☑</span>` (or
///   `task-open` and `☐`) rather than a disabled checkbox, which would be a
///   form control without a label;
/// * with `opts.sanitize`, documents containing raw HTML go through ammonia,
///   and Markdown links with script-capable URL schemes are unlinked.
pub fn render(markdown: &str, opts: &MarkdownOptions) -> Rendered {
    let parsed: Vec<(Event<'_>, Range<usize>)> = Parser::new_ext(markdown, parser_options())
        .into_offset_iter()
        .collect();
    let events = cjk_emphasis(markdown, parsed);
    let ids = heading_ids(&events);
    let Finished {
        events,
        more_at,
        has_raw_html,
    } = finish_events(events, opts, ids);

    let text = plain_text(&events);
    let mut before_more = more_at.map(|at| render_prefix(&events[..at]));
    // Rendered HTML is usually a bit longer than its source.
    let mut html = String::with_capacity(markdown.len() + markdown.len() / 2 + 16);
    html::push_html(&mut html, events.into_iter());

    // Skipping ammonia when there is no raw HTML is the common, fast path:
    // everything else pulldown-cmark emits is escaped, and unsafe link
    // schemes were already neutralised in `finish_events`.
    if opts.sanitize && has_raw_html {
        html = SANITIZER.clean(&html).to_string();
        before_more = before_more.map(|h| SANITIZER.clean(&h).to_string());
    }
    Rendered {
        html,
        before_more,
        text,
    }
}

fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

// ---------------------------------------------------------------------------
// CJK-friendly emphasis
//
// CommonMark decides whether a `*`/`_` run may open or close emphasis from the
// characters on either side ("flanking"). A closing `**` preceded by
// punctuation (`：`) and followed by a letter (`正`) is not right-flanking, so
// `**记者：**正文` stays literal. The CJK-friendly amendment
// (github.com/tats-u/markdown-cjk-friendly) stops counting CJK punctuation as
// punctuation there, and lets a CJK character on the outer side stand in for
// whitespace when the inner side is other punctuation (`**“致敬”**他们`).
// pulldown-cmark has no hook for that, so we post-process its events:
// within each run of inline events we recover every delimiter run — the
// unmatched ones (emitted as one-character `Text` events) and the matched ones
// (the `*`/`_` at the edges of `Emphasis`/`Strong` ranges) — classify each with
// both rule sets, and only when some run's verdict differs do we dissolve
// pulldown's emphasis and redo CommonMark's delimiter algorithm ("process
// emphasis") with the CJK-friendly verdicts. Segments without such runs, i.e.
// all non-CJK text, keep pulldown's output untouched.
// ---------------------------------------------------------------------------

/// Character classes that matter for flanking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cls {
    /// Unicode whitespace, or the start/end of the line.
    Space,
    /// Unicode punctuation or symbol that is not CJK (`:`, `“`, `)`).
    Punct,
    /// CJK punctuation (`：`, `。`, `（`).
    CjkPunct,
    /// Other CJK characters (Han, kana, Hangul).
    Cjk,
    /// Anything else (letters, digits).
    Other,
}

fn classify(c: Option<char>) -> Cls {
    let Some(c) = c else { return Cls::Space };
    if c.is_whitespace() {
        Cls::Space
    } else if is_ideographic_vs(c) {
        // An ideographic variation selector only ever follows a Han character.
        Cls::Cjk
    } else if is_cjk(c) {
        if is_punct(c) { Cls::CjkPunct } else { Cls::Cjk }
    } else if is_punct(c) {
        Cls::Punct
    } else {
        Cls::Other
    }
}

/// `(can_open, can_close)` of a delimiter run of `ch` between `prev` and
/// `next`, under CommonMark (`cjk == false`) or the CJK-friendly amendment.
fn open_close(ch: u8, prev: Cls, next: Cls, cjk: bool) -> (bool, bool) {
    let punct = |c: Cls| matches!(c, Cls::Punct | Cls::CjkPunct);
    let (left, right) = if cjk {
        let is_cjk = |c: Cls| matches!(c, Cls::Cjk | Cls::CjkPunct);
        (
            next != Cls::Space
                && (next != Cls::Punct || prev == Cls::Space || prev == Cls::Punct || is_cjk(prev)),
            prev != Cls::Space
                && (prev != Cls::Punct || next == Cls::Space || next == Cls::Punct || is_cjk(next)),
        )
    } else {
        (
            next != Cls::Space && (!punct(next) || prev == Cls::Space || punct(prev)),
            prev != Cls::Space && (!punct(prev) || next == Cls::Space || punct(next)),
        )
    };
    if ch == b'*' {
        (left, right)
    } else {
        // `_` may not open or close inside a word (rules 2, 6 and 3, 7).
        (
            left && (!right || punct(prev)),
            right && (!left || punct(next)),
        )
    }
}

/// One delimiter run found in a segment, plus the matching state.
#[derive(Debug)]
struct Run {
    /// Byte offset of the run's first character in the source.
    pos: usize,
    /// Characters (= bytes: `*` and `_` are ASCII) in the run.
    len: usize,
    ch: u8,
    /// Index range of the segment events this run was recovered from.
    first_event: usize,
    last_event: usize,
    /// Links, images and strikethrough delimit groups; emphasis cannot cross
    /// them, as in CommonMark.
    group: usize,
    /// Nothing but container markup precedes it on its line.
    at_line_start: bool,
    can_open: bool,
    can_close: bool,
    /// Characters not yet used by a match.
    count: usize,
    /// Sizes (1 = emphasis, 2 = strong) of matches where this run opened /
    /// closed, innermost first.
    opens: Vec<u8>,
    closes: Vec<u8>,
}

/// What a parsed event contributes to delimiter-run recovery.
enum Piece {
    /// Not a delimiter.
    No,
    /// `len` delimiter characters at byte `pos`.
    Delim { pos: usize, len: usize, ch: u8 },
    /// An emphasis event whose range does not line up with the source; we
    /// then leave the whole segment as pulldown-cmark rendered it.
    Confused,
}

fn piece(src: &str, ev: &Event, range: &Range<usize>) -> Piece {
    let delims_at = |pos: usize, len: usize| match src.as_bytes().get(pos..pos + len) {
        Some(bytes) if bytes.iter().all(|&b| b == b'*') => Piece::Delim { pos, len, ch: b'*' },
        Some(bytes) if bytes.iter().all(|&b| b == b'_') => Piece::Delim { pos, len, ch: b'_' },
        _ => Piece::Confused,
    };
    match ev {
        Event::Start(Tag::Emphasis) => delims_at(range.start, 1),
        Event::Start(Tag::Strong) => delims_at(range.start, 2),
        Event::End(TagEnd::Emphasis) => delims_at(range.end.saturating_sub(1), 1),
        Event::End(TagEnd::Strong) => delims_at(range.end.saturating_sub(2), 2),
        // Unmatched delimiters come out as one-character text events; escaped
        // `\*` looks the same, but its range starts after the backslash.
        Event::Text(t)
            if t.len() == 1
                && range.len() == 1
                && matches!(t.as_bytes().first(), Some(b'*' | b'_'))
                && src.as_bytes().get(range.start) == t.as_bytes().first()
                && !is_escaped(src, range.start) =>
        {
            Piece::Delim {
                pos: range.start,
                len: 1,
                ch: t.as_bytes()[0],
            }
        }
        _ => Piece::No,
    }
}

/// True when the byte at `pos` is preceded by an odd number of backslashes.
fn is_escaped(src: &str, pos: usize) -> bool {
    let before = src.as_bytes().get(..pos).unwrap_or_default();
    before.iter().rev().take_while(|&&b| b == b'\\').count() % 2 == 1
}

fn is_inline(ev: &Event) -> bool {
    match ev {
        Event::Text(_)
        | Event::Code(_)
        | Event::InlineMath(_)
        | Event::DisplayMath(_)
        | Event::InlineHtml(_)
        | Event::FootnoteReference(_)
        | Event::SoftBreak
        | Event::HardBreak => true,
        Event::Start(tag) => matches!(
            tag,
            Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Superscript
                | Tag::Subscript
                | Tag::Link { .. }
                | Tag::Image { .. }
        ),
        Event::End(tag) => matches!(
            tag,
            TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Superscript
                | TagEnd::Subscript
                | TagEnd::Link
                | TagEnd::Image
        ),
        _ => false,
    }
}

/// Applies CJK-friendly emphasis to the parsed events and drops the offsets.
fn cjk_emphasis<'a>(src: &'a str, parsed: Vec<(Event<'a>, Range<usize>)>) -> Vec<Event<'a>> {
    // The amendment only changes verdicts next to CJK (non-ASCII) characters.
    if src.is_ascii() || !src.bytes().any(|b| b == b'*' || b == b'_') {
        return parsed.into_iter().map(|(ev, _)| ev).collect();
    }
    let mut out = Vec::with_capacity(parsed.len());
    let mut segment: Vec<(Event<'a>, Range<usize>)> = Vec::new();
    let mut in_code_block = false;
    for (ev, range) in parsed {
        match &ev {
            Event::Start(Tag::CodeBlock(_)) => in_code_block = true,
            Event::End(TagEnd::CodeBlock) => in_code_block = false,
            _ => {}
        }
        // Code block contents are Text events too, but never inline markup.
        if !in_code_block && is_inline(&ev) {
            segment.push((ev, range));
            continue;
        }
        flush_segment(src, &mut segment, &mut out);
        out.push(ev);
    }
    flush_segment(src, &mut segment, &mut out);
    out
}

/// Moves one inline segment to `out`, redoing its emphasis if needed.
fn flush_segment<'a>(
    src: &'a str,
    segment: &mut Vec<(Event<'a>, Range<usize>)>,
    out: &mut Vec<Event<'a>>,
) {
    if segment.is_empty() {
        return;
    }
    let seg = std::mem::take(segment);
    match find_runs(src, &seg) {
        Some(mut runs) => {
            match_runs(&mut runs);
            rebuild(src, seg, &runs, out);
        }
        None => out.extend(seg.into_iter().map(|(ev, _)| ev)),
    }
}

/// Recovers the delimiter runs of a segment; `None` when the CJK-friendly
/// verdicts agree with CommonMark's for every run (nothing to redo).
fn find_runs(src: &str, seg: &[(Event, Range<usize>)]) -> Option<Vec<Run>> {
    let mut runs: Vec<Run> = Vec::new();
    let mut groups: Vec<usize> = vec![0];
    let mut next_group = 1;
    let mut at_line_start = true;
    for (i, (ev, range)) in seg.iter().enumerate() {
        match piece(src, ev, range) {
            Piece::Confused => return None,
            Piece::Delim { pos, len, ch } => {
                if let Some(last) = runs.last_mut()
                    && last.ch == ch
                    && last.last_event + 1 == i
                    && last.pos + last.len == pos
                {
                    last.len += len;
                    last.count += len;
                    last.last_event = i;
                } else {
                    runs.push(Run {
                        pos,
                        len,
                        ch,
                        first_event: i,
                        last_event: i,
                        group: groups.last().copied().unwrap_or(0),
                        at_line_start,
                        can_open: false,
                        can_close: false,
                        count: len,
                        opens: Vec::new(),
                        closes: Vec::new(),
                    });
                }
                at_line_start = false;
            }
            Piece::No => {
                match ev {
                    Event::SoftBreak | Event::HardBreak => {
                        at_line_start = true;
                        continue;
                    }
                    Event::Start(_) => {
                        groups.push(next_group);
                        next_group += 1;
                    }
                    Event::End(_) => {
                        groups.pop();
                    }
                    _ => {}
                }
                at_line_start = false;
            }
        }
    }

    let mut differs = false;
    for run in &mut runs {
        // pulldown-cmark treats the start of each line's content (after `>`
        // or a table pipe) and the end of a segment as whitespace; the source
        // characters there are container markup.
        let prev = if run.at_line_start {
            None
        } else {
            char_before(src, run.pos)
        };
        let next = if run.last_event + 1 == seg.len() {
            None
        } else {
            src.get(run.pos + run.len..).and_then(|s| s.chars().next())
        };
        let (prev, next) = (classify(prev), classify(next));
        let cm = open_close(run.ch, prev, next, false);
        let cjk = open_close(run.ch, prev, next, true);
        differs |= cm != cjk;
        (run.can_open, run.can_close) = cjk;
    }
    differs.then_some(runs)
}

/// The character before byte `pos`, looking through a variation selector to
/// the character it modifies (the amendment's "CJK sequence").
fn char_before(src: &str, pos: usize) -> Option<char> {
    let mut chars = src.get(..pos)?.chars().rev();
    let c = chars.next()?;
    if ('\u{FE00}'..='\u{FE0E}').contains(&c) {
        chars.next().or(Some(c))
    } else {
        Some(c)
    }
}

/// CommonMark's "process emphasis" over each group's runs, with the verdicts
/// stored in the runs. Records matches in `opens`/`closes`.
fn match_runs(runs: &mut [Run]) {
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
    let mut bottom = [0usize; 12];
    let key = |r: &Run| {
        usize::from(r.ch == b'_') * 6 + usize::from(r.can_open && r.can_close) * 3 + r.len % 3
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
/// and close.
fn compatible(opener: &Run, closer: &Run) -> bool {
    let both = (opener.can_open && opener.can_close) || (closer.can_open && closer.can_close);
    opener.ch == closer.ch
        && (!both
            || !(opener.len + closer.len).is_multiple_of(3)
            || (opener.len.is_multiple_of(3) && closer.len.is_multiple_of(3)))
}

/// Emits a segment with its emphasis rebuilt from the matched runs.
fn rebuild<'a>(
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
        if used == 2 {
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

// ---------------------------------------------------------------------------
// Heading ids, links, soft breaks, the more marker
// ---------------------------------------------------------------------------

/// Unique ids for the document's headings, in order.
fn heading_ids(events: &[Event]) -> Vec<String> {
    let explicit: HashSet<&str> = events
        .iter()
        .filter_map(|ev| match ev {
            Event::Start(Tag::Heading { id: Some(id), .. }) if !id.is_empty() => Some(id.as_ref()),
            _ => None,
        })
        .collect();
    let mut used: HashSet<String> = HashSet::new();
    // Next suffix to try per base, so many equal headings stay linear.
    let mut next_suffix: HashMap<String, usize> = HashMap::new();
    let mut ids = Vec::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { id, .. }) = &events[i] {
            let mut text = String::new();
            i += 1;
            while let Some(ev) = events.get(i) {
                match ev {
                    Event::End(TagEnd::Heading(_)) => break,
                    Event::Text(t) | Event::Code(t) => text.push_str(t),
                    Event::SoftBreak | Event::HardBreak => text.push(' '),
                    _ => {}
                }
                i += 1;
            }
            let chosen = match id.as_deref().filter(|id| !id.is_empty()) {
                Some(id) if !used.contains(id) => id.to_string(),
                Some(id) => with_suffix(id, &used, &explicit, &mut next_suffix),
                None => {
                    let slug = slugify(&text);
                    let base = if slug.is_empty() { "section" } else { &slug };
                    // Auto ids also avoid explicit ids used later on.
                    if used.contains(base) || explicit.contains(base) {
                        with_suffix(base, &used, &explicit, &mut next_suffix)
                    } else {
                        base.to_string()
                    }
                }
            };
            used.insert(chosen.clone());
            ids.push(chosen);
        }
        i += 1;
    }
    ids
}

fn with_suffix(
    base: &str,
    used: &HashSet<String>,
    explicit: &HashSet<&str>,
    next_suffix: &mut HashMap<String, usize>,
) -> String {
    let n = next_suffix.entry(base.to_string()).or_insert(1);
    loop {
        let candidate = format!("{base}-{n}");
        *n += 1;
        if !used.contains(&candidate) && !explicit.contains(candidate.as_str()) {
            return candidate;
        }
    }
}

struct Finished<'a> {
    events: Vec<Event<'a>>,
    /// Index in `events` where `<!-- more -->` was.
    more_at: Option<usize>,
    has_raw_html: bool,
}

/// Final event pass: heading ids, link targets, CJK soft breaks, the more
/// marker, and the raw-HTML check.
fn finish_events<'a>(
    mut events: Vec<Event<'a>>,
    opts: &MarkdownOptions,
    ids: Vec<String>,
) -> Finished<'a> {
    let mut out: Vec<Event<'a>> = Vec::with_capacity(events.len());
    let mut ids = ids.into_iter();
    let mut more_at = None;
    let mut has_raw_html = false;
    // One entry per open Link/Image: whether we dropped its tags.
    let mut dropped: Vec<bool> = Vec::new();
    let root = opts.root.trim_end_matches('/');
    let mut i = 0;
    while i < events.len() {
        // Take ownership without shifting the vector; the placeholder is
        // never read because lookahead only inspects later indices.
        let ev = std::mem::replace(&mut events[i], Event::HardBreak);
        i += 1;
        match ev {
            Event::SoftBreak => {
                let prev = last_char_back(&out);
                let next = first_char_ahead(&events[i..]);
                if !joins_without_space(prev, next) {
                    out.push(Event::SoftBreak);
                }
            }
            Event::Start(Tag::HtmlBlock)
                if matches!(events.get(i), Some(Event::Html(h)) if is_more_marker(h))
                    && matches!(events.get(i + 1), Some(Event::End(TagEnd::HtmlBlock))) =>
            {
                more_at.get_or_insert(out.len());
                i += 2;
            }
            Event::Html(h) | Event::InlineHtml(h) if is_more_marker(&h) => {
                more_at.get_or_insert(out.len());
            }
            Event::Html(_) | Event::InlineHtml(_) => {
                has_raw_html = true;
                out.push(ev);
            }
            Event::Start(Tag::Heading {
                level,
                id: _,
                classes,
                mut attrs,
            }) => {
                if opts.sanitize {
                    // `{onclick=…}` would otherwise bypass sanitizing, which
                    // only runs on documents with raw HTML.
                    attrs.retain(|(key, _)| is_harmless_attr(key));
                }
                let id = ids.next().map(CowStr::from);
                out.push(Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                }));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                if opts.sanitize && !is_safe_url(&dest_url) {
                    dropped.push(true);
                } else {
                    dropped.push(false);
                    out.push(Event::Start(Tag::Link {
                        link_type,
                        dest_url: with_root(root, dest_url),
                        title,
                        id,
                    }));
                }
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                if opts.sanitize && !is_safe_url(&dest_url) {
                    // The alt text stays, as plain text.
                    dropped.push(true);
                } else {
                    dropped.push(false);
                    out.push(Event::Start(Tag::Image {
                        link_type,
                        dest_url: with_root(root, dest_url),
                        title,
                        id,
                    }));
                }
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                if !dropped.pop().unwrap_or(false) {
                    out.push(ev);
                }
            }
            // pulldown-cmark would emit `<input disabled type="checkbox">`: a
            // form control without a label, which screen readers announce as
            // an unnamed checkbox (and Lighthouse and axe flag). A ballot box
            // character says the same thing, is read out, and needs no form;
            // the span lets a theme hang it where the list bullet was.
            Event::TaskListMarker(done) => {
                out.push(Event::InlineHtml(CowStr::Borrowed(if done {
                    TASK_DONE
                } else {
                    TASK_OPEN
                })));
            }
            other => out.push(other),
        }
    }
    Finished {
        events: out,
        more_at,
        has_raw_html,
    }
}

/// What a task-list item starts with: `- [x]` and `- [ ]`.
const TASK_DONE: &str = "<span class=\"task task-done\">\u{2611}</span> ";
const TASK_OPEN: &str = "<span class=\"task task-open\">\u{2610}</span> ";

fn is_more_marker(html: &str) -> bool {
    html.trim()
        .strip_prefix("<!--")
        .and_then(|s| s.strip_suffix("-->"))
        .is_some_and(|s| s.trim().eq_ignore_ascii_case("more"))
}

/// Custom heading attributes that cannot run script or restyle the page.
fn is_harmless_attr(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    matches!(key.as_str(), "lang" | "title" | "dir")
        || (key.starts_with("data-")
            && key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
}

/// False for URLs with a scheme outside the allow-list (`javascript:`,
/// `vbscript:`, `data:` …). Relative URLs are safe.
fn is_safe_url(url: &str) -> bool {
    if !url.contains(':') {
        return true;
    }
    // Browsers ignore ASCII whitespace and control characters inside the
    // scheme ("java\tscript:"), so we must too.
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_ascii_control())
        .take_while(|&c| !matches!(c, '/' | '?' | '#'))
        .collect();
    let Some((scheme, _)) = cleaned.split_once(':') else {
        return true;
    };
    const ALLOWED: [&str; 14] = [
        "http", "https", "mailto", "tel", "ftp", "ftps", "sms", "xmpp", "irc", "ircs", "magnet",
        "geo", "webcal", "news",
    ];
    ALLOWED.iter().any(|s| s.eq_ignore_ascii_case(scheme))
}

/// Prefixes site-absolute paths (one leading `/`, not `//host`) with the root.
fn with_root<'a>(root: &str, dest: CowStr<'a>) -> CowStr<'a> {
    if !root.is_empty() && dest.starts_with('/') && !dest.starts_with("//") {
        CowStr::from(format!("{root}{dest}"))
    } else {
        dest
    }
}

/// Last character of the text before a soft break, looking through inline
/// markup such as `**` or link tags (bounded, so this stays O(1)).
fn last_char_back(out: &[Event]) -> Option<char> {
    for ev in out.iter().rev().take(8) {
        match ev {
            Event::Text(t) | Event::Code(t) => return t.chars().next_back(),
            ev if is_transparent(ev) => continue,
            _ => return None,
        }
    }
    None
}

fn first_char_ahead(events: &[Event]) -> Option<char> {
    for ev in events.iter().take(8) {
        match ev {
            Event::Text(t) | Event::Code(t) => return t.chars().next(),
            ev if is_transparent(ev) => continue,
            _ => return None,
        }
    }
    None
}

fn is_transparent(ev: &Event) -> bool {
    matches!(
        ev,
        Event::Start(Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. })
            | Event::End(TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link)
    )
}

/// Whether a soft break between `prev` and `next` should vanish. Follows the
/// CSS Text segment-break rule: both sides East Asian wide, except Hangul
/// (Korean separates words with spaces). Curly quotes, `…`, `—` and `·` are
/// "ambiguous width": they count as CJK only next to an unambiguous CJK
/// character, so `“致敬”\n他们` joins but English `“a”\n“b”` keeps its space.
fn joins_without_space(prev: Option<char>, next: Option<char>) -> bool {
    let (Some(p), Some(n)) = (prev, next) else {
        return false;
    };
    let wide = |c: char| is_cjk(c) && !is_hangul(c);
    let ambiguous = |c: char| {
        matches!(
            c,
            '\u{2018}'
                | '\u{2019}'
                | '\u{201C}'
                | '\u{201D}'
                | '\u{2026}'
                | '\u{2014}'
                | '\u{00B7}'
        )
    };
    (wide(p) && wide(n)) || (wide(p) && ambiguous(n)) || (ambiguous(p) && wide(n))
}

/// Renders a prefix of the events, closing whatever is still open.
fn render_prefix(prefix: &[Event]) -> String {
    let mut open: Vec<TagEnd> = Vec::new();
    for ev in prefix {
        match ev {
            Event::Start(tag) => open.push(tag.to_end()),
            Event::End(_) => {
                open.pop();
            }
            _ => {}
        }
    }
    let mut html = String::new();
    html::push_html(
        &mut html,
        prefix
            .iter()
            .cloned()
            .chain(open.into_iter().rev().map(Event::End)),
    );
    html
}

// ---------------------------------------------------------------------------
// Sanitizing
// ---------------------------------------------------------------------------

/// ammonia's defaults plus exactly what pulldown-cmark emits itself.
static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    // No <input>: task-list items start with a ☑/☐ span (see `finish_events`).
    b.add_tag_attributes("code", &["class"])
        .add_tag_attributes("span", &["class"])
        .add_tag_attributes("sup", &["class", "id"])
        .add_tag_attributes("div", &["class", "id"])
        .add_tag_attributes("th", &["style"])
        .add_tag_attributes("td", &["style"])
        .add_generic_attribute_prefixes(&["data-"])
        .filter_style_properties(HashSet::from(["text-align"]))
        // Markdown links get no rel either; keep both paths identical.
        .link_rel(None);
    for h in ["h1", "h2", "h3", "h4", "h5", "h6"] {
        b.add_tag_attributes(h, &["id", "class"]);
    }
    b.attribute_filter(|element, attribute, value| match (element, attribute) {
        ("code", "class") => keep_class_tokens(value, |t| t.starts_with("language-")),
        (_, "class") => keep_class_tokens(value, |_| true),
        _ => Some(Cow::Borrowed(value)),
    });
    b
});

/// Keeps the class tokens made of `[A-Za-z0-9_+#.-]` that pass `keep`.
fn keep_class_tokens<'v>(value: &'v str, keep: impl Fn(&str) -> bool) -> Option<Cow<'v, str>> {
    let tokens: Vec<&str> = value
        .split_ascii_whitespace()
        .filter(|t| {
            keep(t)
                && t.bytes().all(|b| {
                    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'+' | b'#' | b'.')
                })
        })
        .collect();
    if tokens.is_empty() {
        None
    } else {
        Some(Cow::Owned(tokens.join(" ")))
    }
}

// ---------------------------------------------------------------------------
// Plain text
// ---------------------------------------------------------------------------

/// Accumulates text with whitespace collapsed to single spaces, trimmed.
#[derive(Default)]
struct TextSink {
    out: String,
    pending_space: bool,
}

impl TextSink {
    fn space(&mut self) {
        self.pending_space = true;
    }

    fn push(&mut self, s: &str) {
        if s.starts_with(char::is_whitespace) {
            self.pending_space = true;
        }
        let mut any = false;
        for word in s.split_whitespace() {
            if self.pending_space && !self.out.is_empty() && !self.follows_cjk_punct(word) {
                self.out.push(' ');
            }
            self.out.push_str(word);
            // Words within one string were separated by whitespace.
            self.pending_space = true;
            any = true;
        }
        if any {
            self.pending_space = s.ends_with(char::is_whitespace);
        }
    }

    /// Full-width punctuation (`。`, `，`, `」`) carries its own spacing: a
    /// space after it, where two paragraphs are joined, shows as a gap in
    /// summaries (`家中。 他们`). Latin and Hangul after it keep the space.
    fn follows_cjk_punct(&self, next: &str) -> bool {
        let wide = |c: char| is_cjk(c) && !is_hangul(c);
        let prev = self.out.chars().next_back();
        let next = next.chars().next();
        matches!((prev, next), (Some(p), Some(n)) if wide(p) && is_punct(p) && wide(n))
    }
}

fn plain_text(events: &[Event]) -> String {
    let mut sink = TextSink::default();
    let mut raw = RawHtmlText::default();
    let mut image_depth = 0usize;
    for ev in events {
        match ev {
            // Image alt text is not body text; script bodies are not text.
            Event::Text(t) | Event::Code(t) if image_depth == 0 && raw.skip_until.is_none() => {
                sink.push(t)
            }
            Event::Html(h) | Event::InlineHtml(h) => raw.feed(h, &mut sink),
            Event::SoftBreak | Event::HardBreak | Event::Rule => sink.space(),
            Event::Start(Tag::Image { .. }) => image_depth += 1,
            Event::End(TagEnd::Image) => image_depth = image_depth.saturating_sub(1),
            Event::End(tag) if !is_inline(&Event::End(*tag)) => sink.space(),
            _ => {}
        }
    }
    sink.out
}

/// Extracts the text of raw HTML events, which may split tags and comments
/// across events (one event per line of an HTML block).
#[derive(Default)]
struct RawHtmlText {
    in_tag: bool,
    in_comment: bool,
    /// Closing tag that ends a `<script>`/`<style>` body being skipped.
    skip_until: Option<&'static str>,
}

impl RawHtmlText {
    fn feed(&mut self, s: &str, sink: &mut TextSink) {
        let bytes = s.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if self.in_comment {
                match find(bytes, i, b"-->") {
                    Some(p) => {
                        self.in_comment = false;
                        i = p + 3;
                    }
                    None => return,
                }
                continue;
            }
            if let Some(end) = self.skip_until {
                match find_ignore_case(bytes, i, end.as_bytes()) {
                    Some(p) => {
                        self.skip_until = None;
                        i = p;
                    }
                    None => return,
                }
                continue;
            }
            if self.in_tag {
                match bytes[i..].iter().position(|&b| b == b'>') {
                    Some(p) => {
                        self.in_tag = false;
                        i += p + 1;
                    }
                    None => return,
                }
                continue;
            }
            let Some(lt) = bytes[i..].iter().position(|&b| b == b'<').map(|p| i + p) else {
                sink.push(&decode_entities(s.get(i..).unwrap_or_default()));
                return;
            };
            sink.push(&decode_entities(s.get(i..lt).unwrap_or_default()));
            let rest = &bytes[lt + 1..];
            if rest.starts_with(b"!--") {
                self.in_comment = true;
                i = lt + 4;
            } else if rest
                .first()
                .is_some_and(|&b| b.is_ascii_alphabetic() || matches!(b, b'/' | b'!' | b'?'))
            {
                let closing = rest.first() == Some(&b'/');
                let name_start = usize::from(closing);
                let name_len = rest[name_start..]
                    .iter()
                    .take_while(|b| b.is_ascii_alphanumeric())
                    .count();
                let name = &rest[name_start..name_start + name_len];
                if !closing && name.eq_ignore_ascii_case(b"script") {
                    self.skip_until = Some("</script");
                } else if !closing && name.eq_ignore_ascii_case(b"style") {
                    self.skip_until = Some("</style");
                }
                if !is_inline_html_tag(name) {
                    sink.space();
                }
                self.in_tag = true;
                i = lt + 1;
            } else {
                // A lone `<` is text.
                sink.push("<");
                i = lt + 1;
            }
        }
    }
}

/// Tags that do not separate words (no space is inserted for them).
fn is_inline_html_tag(name: &[u8]) -> bool {
    const INLINE: [&[u8]; 22] = [
        b"a", b"abbr", b"b", b"bdi", b"bdo", b"cite", b"code", b"del", b"em", b"font", b"i",
        b"ins", b"kbd", b"mark", b"q", b"s", b"small", b"span", b"strong", b"sub", b"sup", b"u",
    ];
    INLINE.iter().any(|t| t.eq_ignore_ascii_case(name))
}

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

fn find_ignore_case(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
        .map(|p| p + from)
}

/// Decodes the character references that commonly appear in hand-written
/// HTML: the five XML ones, `&nbsp;` and numeric references. Others are kept
/// verbatim.
fn decode_entities(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let decoded = after
            .find(';')
            .filter(|&semi| semi <= 10)
            .and_then(|semi| decode_entity(&after[..semi]).map(|c| (c, semi)));
        match decoded {
            Some((c, semi)) => {
                out.push(c);
                rest = &after[semi + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

fn decode_entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some('\u{A0}'),
        _ => {
            let num = name.strip_prefix('#')?;
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse::<u32>().ok()?,
            };
            // As in HTML, NUL and invalid code points become U+FFFD.
            Some(
                char::from_u32(code)
                    .filter(|&c| c != '\0')
                    .unwrap_or('\u{FFFD}'),
            )
        }
    }
}

// ---------------------------------------------------------------------------
// Summaries, reading time, escaping
// ---------------------------------------------------------------------------

/// First ~`max` characters of plain text, cut on a grapheme boundary (unicode-segmentation), preferring to cut after Chinese/Latin sentence punctuation (。！？；.!?) found in the last 30% of the window, and appending "…" when cut. Returns the text unchanged when it is short enough.
///
/// "Characters" are grapheme clusters, so an emoji sequence or a letter with
/// combining accents counts once and is never split. Latin `.!?` only count
/// as a sentence end before whitespace (not in `3.14`), and a closing quote or
/// bracket right after the punctuation is kept (`……。”`). Without sentence
/// punctuation, a space in the last 30% is preferred over cutting inside a
/// word. The result is at most `max` graphemes plus the `…`.
pub fn truncate_text(text: &str, max: usize) -> String {
    // Index of the first grapheme in the last 30% of the window.
    let search_from = max - max * 3 / 10;
    let mut window_end = 0;
    let mut sentence_end: Option<usize> = None;
    let mut latin_end: Option<usize> = None;
    let mut space_at: Option<usize> = None;
    let mut cut = false;
    for (count, (idx, g)) in text.grapheme_indices(true).enumerate() {
        let g_end = idx + g.len();
        let is_space = g.chars().all(char::is_whitespace);
        let closes = is_closing_mark(g);
        // A Latin full stop is confirmed by the whitespace after it.
        if let Some(end) = latin_end.take() {
            if is_space {
                sentence_end = Some(end);
            } else if closes && count < max {
                latin_end = Some(g_end);
            }
        }
        if count == max {
            cut = true;
            break;
        }
        if count >= search_from {
            // CJK sentence ends need no confirmation; a closing quote or
            // bracket right after one joins it.
            if matches!(g, "。" | "！" | "？" | "；") || (closes && sentence_end == Some(idx)) {
                sentence_end = Some(g_end);
            } else if matches!(g, "." | "!" | "?") {
                latin_end = Some(g_end);
            } else if is_space {
                space_at = Some(idx);
            }
        }
        window_end = g_end;
    }
    if !cut {
        return text.to_string();
    }
    let at = sentence_end.or(space_at).unwrap_or(window_end);
    let kept = text.get(..at).unwrap_or(text).trim_end();
    let mut out = String::with_capacity(kept.len() + 3);
    out.push_str(kept);
    out.push('…');
    out
}

fn is_closing_mark(g: &str) -> bool {
    matches!(
        g,
        "”" | "’" | "」" | "』" | "）" | "》" | "】" | "\"" | "'" | ")"
    )
}

/// Reading time in minutes, at least 1: Han characters (and other CJK: kana, hangul) at 400 per minute plus Latin/other words at 220 per minute, rounded up.
///
/// A word is a whitespace-, CJK- or CJK-punctuation-delimited run that
/// contains a letter or digit, so lone dashes or ellipses do not count.
pub fn reading_minutes(text: &str) -> u32 {
    let mut cjk: u64 = 0;
    let mut words: u64 = 0;
    let mut in_word = false;
    let mut word_has_alnum = false;
    for c in text.chars() {
        let boundary = if is_cjk_letter(c) {
            cjk += 1;
            true
        } else {
            c.is_whitespace() || is_cjk(c)
        };
        if boundary {
            if in_word && word_has_alnum {
                words += 1;
            }
            in_word = false;
            word_has_alnum = false;
        } else {
            in_word = true;
            word_has_alnum |= c.is_alphanumeric();
        }
    }
    if in_word && word_has_alnum {
        words += 1;
    }
    // cjk/400 + words/220 minutes, in integer math over the common
    // denominator 88 000, rounded up.
    let units = cjk * 220 + words * 400;
    let minutes = units.div_ceil(88_000).max(1);
    u32::try_from(minutes).unwrap_or(u32::MAX)
}

/// HTML-escape text for an element or a double-quoted attribute (& < > " ').
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    let mut last = 0;
    for (i, b) in s.bytes().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        // `i` is at an ASCII byte, hence a char boundary.
        out.push_str(&s[last..i]);
        out.push_str(rep);
        last = i + 1;
    }
    out.push_str(&s[last..]);
    out
}

// ---------------------------------------------------------------------------
// Character classes
// ---------------------------------------------------------------------------

fn in_ranges(c: char, ranges: &[(u32, u32)]) -> bool {
    let cp = u32::from(c);
    ranges
        .binary_search_by(|&(lo, hi)| {
            if hi < cp {
                std::cmp::Ordering::Less
            } else if lo > cp {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// East Asian Wide/Fullwidth/Halfwidth characters that are not emoji, plus
/// Hangul: the amendment's "CJK character" (ranges as of Unicode 16).
const CJK_RANGES: &[(u32, u32)] = &[
    (0x1100, 0x115F),   // Hangul Jamo initials
    (0x2329, 0x232A),   // angle brackets
    (0x2E80, 0x303E),   // radicals, ideographic description, CJK punctuation
    (0x3041, 0x33FF),   // kana, bopomofo, compatibility jamo, enclosed CJK
    (0x3400, 0x4DBF),   // Extension A
    (0x4E00, 0x9FFF),   // Unified Ideographs
    (0xA000, 0xA4CF),   // Yi
    (0xA960, 0xA97F),   // Hangul Jamo Extended-A
    (0xAC00, 0xD7FF),   // Hangul syllables, Jamo Extended-B
    (0xF900, 0xFAFF),   // compatibility ideographs
    (0xFE10, 0xFE19),   // vertical forms
    (0xFE30, 0xFE6F),   // compatibility and small forms
    (0xFF00, 0xFFDC),   // fullwidth and halfwidth forms
    (0xFFE0, 0xFFEE),   // fullwidth signs
    (0x16FE0, 0x16FFF), // ideographic symbols
    (0x17000, 0x18CFF), // Tangut, Khitan
    (0x1AFF0, 0x1B2FF), // kana supplements, Nushu
    (0x20000, 0x3FFFD), // Extensions B and later
];

fn is_cjk(c: char) -> bool {
    u32::from(c) >= 0x1100 && in_ranges(c, CJK_RANGES)
}

fn is_hangul(c: char) -> bool {
    matches!(u32::from(c),
        0x1100..=0x11FF | 0x3130..=0x318F | 0xA960..=0xA97F | 0xAC00..=0xD7FF | 0xFFA0..=0xFFDC)
}

fn is_ideographic_vs(c: char) -> bool {
    ('\u{E0100}'..='\u{E01EF}').contains(&c)
}

/// Letters read one at a time: Han, kana, Hangul, bopomofo.
fn is_cjk_letter(c: char) -> bool {
    matches!(u32::from(c),
        0x3005..=0x3007
        | 0x3041..=0x30FF
        | 0x3100..=0x312F
        | 0x3131..=0x318E
        | 0x31A0..=0x31BF
        | 0x31F0..=0x31FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFF66..=0xFF9F
        | 0x20000..=0x3FFFD)
}

/// Non-ASCII Unicode punctuation (P*) and symbols (S*), which CommonMark
/// 0.31 counts as punctuation for flanking. Covers Latin-1, general
/// punctuation, symbols, CJK and fullwidth punctuation and emoji; rare scripts
/// are approximated.
const PUNCT_RANGES: &[(u32, u32)] = &[
    (0xA1, 0xA9),
    (0xAB, 0xAC),
    (0xAE, 0xB1),
    (0xB4, 0xB4),
    (0xB6, 0xB8),
    (0xBB, 0xBB),
    (0xBF, 0xBF),
    (0xD7, 0xD7),
    (0xF7, 0xF7),
    (0x2C2, 0x2C5),
    (0x2D2, 0x2DF),
    (0x2E5, 0x2EB),
    (0x2ED, 0x2ED),
    (0x2EF, 0x2FF),
    (0x375, 0x375),
    (0x37E, 0x37E),
    (0x384, 0x385),
    (0x387, 0x387),
    (0x3F6, 0x3F6),
    (0x482, 0x482),
    (0x55A, 0x55F),
    (0x589, 0x58A),
    (0x58D, 0x58F),
    (0x5BE, 0x5BE),
    (0x5C0, 0x5C0),
    (0x5C3, 0x5C3),
    (0x5C6, 0x5C6),
    (0x5F3, 0x5F4),
    (0x606, 0x60F),
    (0x61B, 0x61B),
    (0x61D, 0x61F),
    (0x66A, 0x66D),
    (0x6D4, 0x6D4),
    (0x6DE, 0x6DE),
    (0x6E9, 0x6E9),
    (0x6FD, 0x6FE),
    (0x700, 0x70D),
    (0x964, 0x965),
    (0x970, 0x970),
    (0xE3F, 0xE3F),
    (0xE4F, 0xE4F),
    (0xE5A, 0xE5B),
    (0xF04, 0xF12),
    (0x104A, 0x104F),
    (0x10FB, 0x10FB),
    (0x1360, 0x1368),
    (0x166D, 0x166E),
    (0x17D4, 0x17D6),
    (0x17D8, 0x17DB),
    (0x1800, 0x180A),
    (0x1FBD, 0x1FBD),
    (0x1FBF, 0x1FC1),
    (0x1FCD, 0x1FCF),
    (0x1FDD, 0x1FDF),
    (0x1FED, 0x1FEF),
    (0x1FFD, 0x1FFE),
    (0x2010, 0x2027),
    (0x2030, 0x205E),
    (0x207A, 0x207E),
    (0x208A, 0x208E),
    (0x20A0, 0x20C0),
    (0x2100, 0x2101),
    (0x2103, 0x2106),
    (0x2108, 0x2109),
    (0x2114, 0x2114),
    (0x2116, 0x2118),
    (0x211E, 0x2123),
    (0x2125, 0x2125),
    (0x2127, 0x2127),
    (0x2129, 0x2129),
    (0x212E, 0x212E),
    (0x213A, 0x213B),
    (0x2140, 0x2144),
    (0x214A, 0x214D),
    (0x214F, 0x214F),
    (0x218A, 0x218B),
    (0x2190, 0x2426),
    (0x2440, 0x244A),
    (0x249C, 0x24E9),
    (0x2500, 0x2775),
    (0x2794, 0x2B73),
    (0x2B76, 0x2B95),
    (0x2B97, 0x2BFF),
    (0x2CE5, 0x2CEA),
    (0x2CF9, 0x2CFC),
    (0x2CFE, 0x2CFF),
    (0x2D70, 0x2D70),
    (0x2E00, 0x2E2E),
    (0x2E30, 0x2E5D),
    (0x2E80, 0x2FFF),
    (0x3001, 0x3004),
    (0x3008, 0x3020),
    (0x3030, 0x3030),
    (0x3036, 0x3037),
    (0x303D, 0x303F),
    (0x309B, 0x309C),
    (0x30A0, 0x30A0),
    (0x30FB, 0x30FB),
    (0x3190, 0x3191),
    (0x3196, 0x319F),
    (0x31C0, 0x31E5),
    (0x31EF, 0x31EF),
    (0x3200, 0x321E),
    (0x322A, 0x3247),
    (0x3250, 0x3250),
    (0x3260, 0x327F),
    (0x328A, 0x32B0),
    (0x32C0, 0x33FF),
    (0x4DC0, 0x4DFF),
    (0xA490, 0xA4C6),
    (0xA4FE, 0xA4FF),
    (0xA60D, 0xA60F),
    (0xA673, 0xA673),
    (0xA67E, 0xA67E),
    (0xA6F2, 0xA6F7),
    (0xA700, 0xA716),
    (0xA720, 0xA721),
    (0xA789, 0xA78A),
    (0xA828, 0xA82B),
    (0xA836, 0xA839),
    (0xA874, 0xA877),
    (0xA8CE, 0xA8CF),
    (0xA8F8, 0xA8FA),
    (0xA8FC, 0xA8FC),
    (0xA92E, 0xA92F),
    (0xA95F, 0xA95F),
    (0xA9C1, 0xA9CD),
    (0xA9DE, 0xA9DF),
    (0xAA5C, 0xAA5F),
    (0xAA77, 0xAA79),
    (0xAADE, 0xAADF),
    (0xAAF0, 0xAAF1),
    (0xAB5B, 0xAB5B),
    (0xAB6A, 0xAB6B),
    (0xABEB, 0xABEB),
    (0xFB29, 0xFB29),
    (0xFBB2, 0xFBC2),
    (0xFD3E, 0xFD4F),
    (0xFDCF, 0xFDCF),
    (0xFDFC, 0xFDFF),
    (0xFE10, 0xFE19),
    (0xFE30, 0xFE52),
    (0xFE54, 0xFE66),
    (0xFE68, 0xFE6B),
    (0xFF01, 0xFF0F),
    (0xFF1A, 0xFF20),
    (0xFF3B, 0xFF40),
    (0xFF5B, 0xFF65),
    (0xFFE0, 0xFFE6),
    (0xFFE8, 0xFFEE),
    (0xFFFC, 0xFFFD),
    (0x1F000, 0x1F0FF),
    (0x1F10D, 0x1F1FF),
    (0x1F200, 0x1FBCA),
];

fn is_punct(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_punctuation()
    } else {
        in_ranges(c, PUNCT_RANGES)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAIN: MarkdownOptions<'static> = MarkdownOptions {
        sanitize: true,
        root: "/",
    };

    fn html(md: &str) -> String {
        render(md, &PLAIN).html
    }

    // --- CJK emphasis ---

    #[test]
    fn pulldown_alone_fails_the_cjk_cases() {
        // Guards the premise: if pulldown-cmark ever adopts the amendment,
        // this fails and the post-pass can be reconsidered.
        let mut out = String::new();
        html::push_html(
            &mut out,
            Parser::new_ext("**记者：**正文", parser_options()),
        );
        assert_eq!(out, "<p>**记者：**正文</p>\n");
    }

    #[test]
    fn cjk_strong_after_fullwidth_colon() {
        assert_eq!(
            html("**记者：**正文"),
            "<p><strong>记者：</strong>正文</p>\n"
        );
    }

    #[test]
    fn cjk_strong_around_quotes() {
        assert_eq!(
            html("**“致敬”**他们"),
            "<p><strong>“致敬”</strong>他们</p>\n"
        );
    }

    #[test]
    fn cjk_emphasis_single_star() {
        assert_eq!(html("*注：*以下"), "<p><em>注：</em>以下</p>\n");
    }

    #[test]
    fn cjk_strong_around_brackets_mid_sentence() {
        assert_eq!(
            html("正文**（完）**结束"),
            "<p>正文<strong>（完）</strong>结束</p>\n"
        );
    }

    #[test]
    fn cjk_underscore_stays_literal_like_the_amendment() {
        // `_` is still forbidden intraword; Chinese has no spaces, so a `__`
        // between Han characters stays literal. Use `**` for Chinese.
        assert_eq!(html("__下划线：__正文"), "<p>__下划线：__正文</p>\n");
        // With a space (or punctuation) outside, CommonMark already works.
        assert_eq!(
            html("__下划线：__ 正文"),
            "<p><strong>下划线：</strong> 正文</p>\n"
        );
        assert_eq!(html("_注：_，正文"), "<p><em>注：</em>，正文</p>\n");
    }

    #[test]
    fn latin_is_unchanged() {
        assert_eq!(html("**Note:**text"), "<p>**Note:**text</p>\n");
        assert_eq!(html("2**3**4"), "<p>2<strong>3</strong>4</p>\n");
        assert_eq!(html("snake_case_name"), "<p>snake_case_name</p>\n");
        assert_eq!(
            html("*a* **b** ***c***"),
            "<p><em>a</em> <strong>b</strong> <em><strong>c</strong></em></p>\n"
        );
        assert_eq!(
            html("**Note:** text"),
            "<p><strong>Note:</strong> text</p>\n"
        );
    }

    #[test]
    fn cjk_nested_emphasis() {
        assert_eq!(
            html("**外*内：*层：**字"),
            "<p><strong>外<em>内：</em>层：</strong>字</p>\n"
        );
    }

    #[test]
    fn cjk_strong_with_link_inside() {
        assert_eq!(
            html("**见[这里](/a/)：**正文"),
            "<p><strong>见<a href=\"/a/\">这里</a>：</strong>正文</p>\n"
        );
    }

    #[test]
    fn cjk_rematches_what_commonmark_paired_wrongly() {
        // CommonMark pairs the 2nd and 3rd `**` here, nesting everything.
        assert_eq!(
            html("**记者：**今天是**重要**的一天"),
            "<p><strong>记者：</strong>今天是<strong>重要</strong>的一天</p>\n"
        );
        assert_eq!(
            html("**张三：**你好。**李四：**好。"),
            "<p><strong>张三：</strong>你好。<strong>李四：</strong>好。</p>\n"
        );
    }

    #[test]
    fn cjk_mixed_with_latin_punctuation() {
        assert_eq!(html("**注意:**正文"), "<p><strong>注意:</strong>正文</p>\n");
        assert_eq!(
            html("**[链接](/a)**正文"),
            "<p><strong><a href=\"/a\">链接</a></strong>正文</p>\n"
        );
    }

    #[test]
    fn cjk_code_and_escapes_stay_literal() {
        assert_eq!(html("`**a：**b`"), "<p><code>**a：**b</code></p>\n");
        assert_eq!(html("\\*\\*记者：\\*\\*正文"), "<p>**记者：**正文</p>\n");
        assert_eq!(
            html("```\n**记者：**正文\n```"),
            "<pre><code>**记者：**正文\n</code></pre>\n"
        );
        // The escaped star leaves a lone `*` opener; with the `**` closer
        // (which can also open) CommonMark's rule of 3 forbids a match.
        assert_eq!(html("\\**记者：**正文"), "<p>**记者：**正文</p>\n");
    }

    #[test]
    fn cjk_emphasis_in_other_containers() {
        assert_eq!(
            html("## **注：**标题"),
            "<h2 id=\"zhu-biao-ti\"><strong>注：</strong>标题</h2>\n"
        );
        assert_eq!(
            html("> **记者：**正文"),
            "<blockquote>\n<p><strong>记者：</strong>正文</p>\n</blockquote>\n"
        );
        assert_eq!(
            html("- **记者：**正文"),
            "<ul>\n<li><strong>记者：</strong>正文</li>\n</ul>\n"
        );
        assert_eq!(
            html("|a|\n|-|\n|**注：**正|"),
            "<table><thead><tr><th>a</th></tr></thead><tbody>\n<tr><td><strong>注：</strong>正</td></tr>\n</tbody></table>\n"
        );
        assert_eq!(
            html("第一行**注：**\n**记者：**正文"),
            "<p>第一行<strong>注：</strong><strong>记者：</strong>正文</p>\n"
        );
    }

    #[test]
    fn cjk_leftover_delimiters_stay_text() {
        assert_eq!(
            html("***记者：**正文"),
            "<p>*<strong>记者：</strong>正文</p>\n"
        );
        assert_eq!(html("**记者：正文"), "<p>**记者：正文</p>\n");
        assert_eq!(html("记者：**正文"), "<p>记者：**正文</p>\n");
    }

    #[test]
    fn pathological_delimiters_are_fast() {
        let md = "**记者：".repeat(20_000);
        let start = std::time::Instant::now();
        let out = render(&md, &PLAIN);
        assert!(out.html.starts_with("<p><strong>记者：</strong>"));
        assert!(start.elapsed().as_secs() < 5);
    }

    // --- soft breaks ---

    #[test]
    fn soft_break_between_cjk_vanishes() {
        assert_eq!(html("第一行\n第二行"), "<p>第一行第二行</p>\n");
        assert_eq!(html("他说：\n“你好”"), "<p>他说：“你好”</p>\n");
        assert_eq!(
            html("**第一行**\n第二行"),
            "<p><strong>第一行</strong>第二行</p>\n"
        );
        assert_eq!(render("第一行\n第二行", &PLAIN).text, "第一行第二行");
    }

    #[test]
    fn soft_break_elsewhere_stays() {
        assert_eq!(html("English\nline"), "<p>English\nline</p>\n");
        assert_eq!(html("中文\nEnglish"), "<p>中文\nEnglish</p>\n");
        assert_eq!(html("English\n中文"), "<p>English\n中文</p>\n");
        assert_eq!(html("“a”\n“b”"), "<p>“a”\n“b”</p>\n");
        assert_eq!(html("한국어\n문장"), "<p>한국어\n문장</p>\n");
        assert_eq!(render("中文\nEnglish", &PLAIN).text, "中文 English");
    }

    // --- GFM features ---

    #[test]
    fn tables_render() {
        assert_eq!(
            html("| a | b |\n|:-|-:|\n| 1 | 2 |"),
            "<table><thead><tr><th style=\"text-align: left\">a</th><th style=\"text-align: right\">b</th></tr></thead><tbody>\n<tr><td style=\"text-align: left\">1</td><td style=\"text-align: right\">2</td></tr>\n</tbody></table>\n"
        );
    }

    #[test]
    fn footnotes_render() {
        assert_eq!(
            html("正文[^1]\n\n[^1]: 注释"),
            "<p>正文<sup class=\"footnote-reference\"><a href=\"#1\">1</a></sup></p>\n<div class=\"footnote-definition\" id=\"1\"><sup class=\"footnote-definition-label\">1</sup>\n<p>注释</p>\n</div>\n"
        );
    }

    #[test]
    fn task_lists_and_strikethrough_render() {
        assert_eq!(
            html("- [x] 完成\n- [ ] ~~取消~~"),
            "<ul>\n<li><span class=\"task task-done\">☑</span> 完成</li>\n<li><span class=\"task task-open\">☐</span> <del>取消</del></li>\n</ul>\n"
        );
        // The marker is text, so it is in the plain text too (summaries, search).
        assert_eq!(render("- [x] 完成", &PLAIN).text, "☑ 完成");
        // In a loose list the marker is inside the paragraph.
        assert_eq!(
            html("- [ ] 一\n\n- [x] 二"),
            "<ul>\n<li>\n<p><span class=\"task task-open\">☐</span> 一</p>\n</li>\n<li>\n<p><span class=\"task task-done\">☑</span> 二</p>\n</li>\n</ul>\n"
        );
    }

    #[test]
    fn code_block_language_class() {
        assert_eq!(
            html("```rust\nfn main() {}\n```"),
            "<pre><code class=\"language-rust\">fn main() {}\n</code></pre>\n"
        );
    }

    // --- headings ---

    #[test]
    fn heading_ids_from_text() {
        assert_eq!(html("## 第一天"), "<h2 id=\"di-yi-tian\">第一天</h2>\n");
        assert_eq!(
            html("# Hello, World!"),
            "<h1 id=\"hello-world\">Hello, World!</h1>\n"
        );
        assert_eq!(html("## ???"), "<h2 id=\"section\">???</h2>\n");
        assert_eq!(
            html("## `code` *x*"),
            "<h2 id=\"code-x\"><code>code</code> <em>x</em></h2>\n"
        );
    }

    #[test]
    fn heading_ids_are_unique() {
        assert_eq!(
            html("## 第一天\n\n## 第一天\n\n## 第一天\n\n## ?\n\n## !"),
            "<h2 id=\"di-yi-tian\">第一天</h2>\n<h2 id=\"di-yi-tian-1\">第一天</h2>\n<h2 id=\"di-yi-tian-2\">第一天</h2>\n<h2 id=\"section\">?</h2>\n<h2 id=\"section-1\">!</h2>\n"
        );
    }

    #[test]
    fn explicit_heading_ids_win() {
        assert_eq!(
            html("## Intro\n\n## 导语 {#intro}\n\n## x {#intro}"),
            "<h2 id=\"intro-1\">Intro</h2>\n<h2 id=\"intro\">导语</h2>\n<h2 id=\"intro-2\">x</h2>\n"
        );
        assert_eq!(
            html("## T {#my-id .wide}"),
            "<h2 id=\"my-id\" class=\"wide\">T</h2>\n"
        );
    }

    #[test]
    fn heading_attributes_are_filtered_when_sanitizing() {
        assert_eq!(
            html("## T {onclick=alert(1) data-x=1}"),
            "<h2 id=\"t\" data-x=\"1\">T</h2>\n"
        );
        let unsafe_opts = MarkdownOptions {
            sanitize: false,
            root: "/",
        };
        assert_eq!(
            render("## T {onclick=x}", &unsafe_opts).html,
            "<h2 id=\"t\" onclick=\"x\">T</h2>\n"
        );
    }

    // --- links ---

    #[test]
    fn root_prefix_on_site_absolute_links() {
        let opts = MarkdownOptions {
            sanitize: true,
            root: "/column/",
        };
        let r = |md: &str| render(md, &opts).html;
        assert_eq!(r("[a](/x/)"), "<p><a href=\"/column/x/\">a</a></p>\n");
        assert_eq!(
            r("![图](/img/a.jpg \"标题\")"),
            "<p><img src=\"/column/img/a.jpg\" alt=\"图\" title=\"标题\" /></p>\n"
        );
        assert_eq!(
            r("[a](//cdn.example.com/x)"),
            "<p><a href=\"//cdn.example.com/x\">a</a></p>\n"
        );
        assert_eq!(
            r("[a](https://example.com/)"),
            "<p><a href=\"https://example.com/\">a</a></p>\n"
        );
        assert_eq!(r("[a](#frag)"), "<p><a href=\"#frag\">a</a></p>\n");
        assert_eq!(r("[a](rel/x)"), "<p><a href=\"rel/x\">a</a></p>\n");
        assert_eq!(
            r("[a][r]\n\n[r]: /people/wu-yang/"),
            "<p><a href=\"/column/people/wu-yang/\">a</a></p>\n"
        );
        // Root "/" leaves paths alone.
        assert_eq!(html("[a](/x/)"), "<p><a href=\"/x/\">a</a></p>\n");
    }

    #[test]
    fn script_urls_are_unlinked_when_sanitizing() {
        assert_eq!(html("[点我](javascript:alert(1))"), "<p>点我</p>\n");
        assert_eq!(
            html("[x](JaVa\tScRiPt:alert(1))"),
            "<p>[x](JaVa\tScRiPt:alert(1))</p>\n"
        );
        assert_eq!(
            html("<javascript:alert(1)>"),
            "<p>javascript:alert(1)</p>\n"
        );
        assert_eq!(html("![图](data:text/html,x)"), "<p>图</p>\n");
        assert_eq!(
            html("[m](mailto:a@b.c)"),
            "<p><a href=\"mailto:a@b.c\">m</a></p>\n"
        );
        assert!(!is_safe_url("java\tscript:alert(1)"));
        assert!(!is_safe_url(" javascript:x"));
        assert!(is_safe_url("/a:b"));
        assert!(is_safe_url("?q=a:b"));
    }

    // --- raw HTML ---

    #[test]
    fn sanitize_strips_script_and_handlers_keeps_text() {
        assert_eq!(
            html("正文<script>alert(1)</script><b onclick=\"x()\">粗体</b>"),
            "<p>正文<b>粗体</b></p>\n"
        );
        assert_eq!(
            html("<img src=\"x.png\" onerror=\"alert(1)\">\n\n文字"),
            "<img src=\"x.png\">\n<p>文字</p>\n"
        );
        assert_eq!(html("<iframe src=\"https://evil\">保留</iframe>"), "保留");
        assert_eq!(html("<style>p{}</style>\n\n段落"), "\n<p>段落</p>\n");
        assert_eq!(
            html("<a href=\"javascript:x\">链接</a>"),
            "<p><a>链接</a></p>\n"
        );
    }

    #[test]
    fn sanitize_keeps_markdown_output() {
        let md = "## 标题 {#t}\n\n| a |\n|:-:|\n| b |\n\n- [x] 完成\n\n```rust\nx\n```\n\n~~删~~ 注[^1]\n\n[^1]: 脚注\n\n<b>raw</b>";
        assert_eq!(
            html(md),
            "<h2 id=\"t\">标题</h2>\n<table><thead><tr><th style=\"text-align:center\">a</th></tr></thead><tbody>\n<tr><td style=\"text-align:center\">b</td></tr>\n</tbody></table>\n<ul>\n<li><span class=\"task task-done\">☑</span> 完成</li>\n</ul>\n<pre><code class=\"language-rust\">x\n</code></pre>\n<p><del>删</del> 注<sup class=\"footnote-reference\"><a href=\"#1\">1</a></sup></p>\n<div class=\"footnote-definition\" id=\"1\"><sup class=\"footnote-definition-label\">1</sup>\n<p>脚注</p>\n</div>\n<p><b>raw</b></p>\n"
        );
    }

    #[test]
    fn unsafe_html_is_kept_when_not_sanitizing() {
        let opts = MarkdownOptions {
            sanitize: false,
            root: "/",
        };
        assert_eq!(
            render("<script>x()</script>", &opts).html,
            "<script>x()</script>"
        );
    }

    // --- more marker ---

    #[test]
    fn more_marker_splits_and_disappears() {
        let r = render("导语。\n\n<!-- more -->\n\n正文。", &PLAIN);
        assert_eq!(r.html, "<p>导语。</p>\n<p>正文。</p>\n");
        assert_eq!(r.before_more.as_deref(), Some("<p>导语。</p>\n"));
        assert_eq!(r.text, "导语。正文。");

        let r = render("导语\n<!--more-->\n正文", &PLAIN);
        assert_eq!(r.html, "<p>导语</p>\n<p>正文</p>\n");
        assert_eq!(r.before_more.as_deref(), Some("<p>导语</p>\n"));

        let r = render("- 一\n- 二 <!-- more --> 三", &PLAIN);
        assert_eq!(
            r.before_more.as_deref(),
            Some("<ul>\n<li>一</li>\n<li>二 </li>\n</ul>\n")
        );

        assert_eq!(render("没有标记", &PLAIN).before_more, None);
    }

    #[test]
    fn more_marker_is_not_raw_html() {
        // With raw HTML, ammonia would re-serialize the `<br />`; without it
        // the pulldown-cmark form stays.
        let r = render("a  \nb\n\n<!-- more -->", &PLAIN);
        assert_eq!(r.html, "<p>a<br />\nb</p>\n");
    }

    #[test]
    fn raw_form_controls_are_removed() {
        assert_eq!(
            html("<input type=\"checkbox\" checked> 完成"),
            "<p> 完成</p>\n"
        );
    }

    // --- plain text ---

    #[test]
    fn plain_text_joins_chinese_paragraphs_without_a_gap() {
        let r = render(
            "第一段。\n\n「第二段」\n\n## 标题\n\n正文，\n\nEnglish。\n\n한국어。\n\n完",
            &PLAIN,
        );
        assert_eq!(r.text, "第一段。「第二段」标题 正文， English。 한국어。完");
    }

    #[test]
    fn plain_text_is_collapsed_and_decoded() {
        let r = render(
            "# 标题\n\n段落 &amp; *强调* `code`\n\n![图片说明](/a.png)\n\n- 一\n- 二\n\n<div>原始 &lt;HTML&gt;<script>bad()</script></div>",
            &PLAIN,
        );
        assert_eq!(r.text, "标题 段落 & 强调 code 一 二 原始 <HTML>");
        let r = render("行一  \n行二<b>粗</b>体", &PLAIN);
        assert_eq!(r.text, "行一 行二粗体");
    }

    // --- helpers ---

    #[test]
    fn truncate_short_text_is_unchanged() {
        assert_eq!(truncate_text("短文本", 120), "短文本");
        assert_eq!(truncate_text("", 5), "");
        assert_eq!(truncate_text("12345", 5), "12345");
    }

    #[test]
    fn truncate_prefers_sentence_end() {
        let text = format!("{}。{}", "字".repeat(80), "后".repeat(100));
        assert_eq!(truncate_text(&text, 100), format!("{}。…", "字".repeat(80)));
        // Punctuation before the last 30% is ignored.
        let text = format!("{}。{}", "字".repeat(10), "后".repeat(100));
        assert_eq!(
            truncate_text(&text, 20),
            format!("{}。{}…", "字".repeat(10), "后".repeat(9))
        );
        // A closing quote stays with its sentence.
        let text = format!("{}。”{}", "字".repeat(18), "后".repeat(10));
        assert_eq!(truncate_text(&text, 22), format!("{}。”…", "字".repeat(18)));
        let text = "The cat sat. The dog ran away from home.";
        assert_eq!(truncate_text(text, 15), "The cat sat.…");
        // A decimal point is not a sentence end; the space before it is used.
        assert_eq!(
            truncate_text("Pi: a value near 3.14159", 20),
            "Pi: a value near…"
        );
    }

    #[test]
    fn truncate_never_splits_graphemes() {
        let family = "👨\u{200d}👩\u{200d}👧";
        let text = format!("{}{}bbb", "a".repeat(9), family);
        assert_eq!(
            truncate_text(&text, 10),
            format!("{}{}…", "a".repeat(9), family)
        );
        assert_eq!(truncate_text(&text, 9), format!("{}…", "a".repeat(9)));
        let text = format!("{}e\u{301}bb", "a".repeat(9));
        assert_eq!(
            truncate_text(&text, 10),
            format!("{}e\u{301}…", "a".repeat(9))
        );
        assert_eq!(
            truncate_text(&format!("{}e\u{301}", "a".repeat(9)), 10),
            format!("{}e\u{301}", "a".repeat(9))
        );
        assert_eq!(truncate_text("abc", 0), "…");
    }

    #[test]
    fn reading_time() {
        assert_eq!(reading_minutes(""), 1);
        assert_eq!(reading_minutes(&"中".repeat(800)), 2);
        assert_eq!(reading_minutes(&"中".repeat(801)), 3);
        assert_eq!(reading_minutes(&"word ".repeat(440)), 2);
        assert_eq!(reading_minutes(&"word ".repeat(441)), 3);
        // 400 Han (1 min) + 220 words (1 min).
        let mixed = format!("{}{}", "中".repeat(400), " word".repeat(220));
        assert_eq!(reading_minutes(&mixed), 2);
        // Punctuation is neither a character nor a word.
        assert_eq!(reading_minutes(&"，— …".repeat(5000)), 1);
        assert_eq!(reading_minutes(&"ひら가".repeat(300)), 3);
    }

    #[test]
    fn escapes_html() {
        assert_eq!(
            escape_html("<a href=\"x\">Tom & Jerry's</a>"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;"
        );
        assert_eq!(escape_html("中文"), "中文");
        assert_eq!(escape_html(""), "");
    }

    #[test]
    fn char_classes() {
        assert_eq!(classify(Some('：')), Cls::CjkPunct);
        assert_eq!(classify(Some('（')), Cls::CjkPunct);
        assert_eq!(classify(Some('。')), Cls::CjkPunct);
        assert_eq!(classify(Some('“')), Cls::Punct);
        assert_eq!(classify(Some('正')), Cls::Cjk);
        assert_eq!(classify(Some('가')), Cls::Cjk);
        assert_eq!(classify(Some('\u{3000}')), Cls::Space);
        assert_eq!(classify(Some('a')), Cls::Other);
        assert_eq!(classify(Some('😷')), Cls::Punct);
        assert_eq!(classify(None), Cls::Space);
    }

    /// Renders many pseudo-random mixes of delimiters, CJK text and markup:
    /// nothing may panic, and the rebuilt events must stay balanced.
    #[test]
    fn fuzz_delimiters_stay_balanced() {
        const PIECES: [&str; 28] = [
            "*", "**", "***", "_", "__", "~~", "记者", "：", "。", "“", "”", "（", "）", "a", " ",
            "\n", "\\", "`", "[", "](/x)", "|", "> ", "- ", "<b>", "é", "😷", "正文", ":",
        ];
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..3000 {
            let len = (next() % 24) as usize;
            let md: String = (0..len)
                .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
                .collect();
            let parsed: Vec<_> = Parser::new_ext(&md, parser_options())
                .into_offset_iter()
                .collect();
            let events = cjk_emphasis(&md, parsed);
            let mut open: Vec<TagEnd> = Vec::new();
            for ev in &events {
                match ev {
                    Event::Start(tag) => open.push(tag.to_end()),
                    Event::End(end) => assert_eq!(open.pop(), Some(*end), "input {md:?}"),
                    _ => {}
                }
            }
            assert!(open.is_empty(), "input {md:?}");
            let r = render(&md, &PLAIN);
            let _ = truncate_text(&r.text, 7);
        }
    }

    #[test]
    fn never_panics_on_odd_input() {
        let inputs = [
            "",
            "*",
            "**",
            "_",
            "\\",
            "\\*",
            "**\u{0}**",
            "*\u{200f}*中",
            "中*\u{fe00}*文",
            "[**注：**](javascript:x)正",
            "~~**注：~~**正",
            "| **注：** |\n|-|\n| **注：**正 |",
            "<!-- more",
            "<div>\n<!-- more -->\n</div>",
            "<script>",
            "&#0; &#xFFFFFFFF; &#99999999999; &bogus;",
            "<a href='x'>\u{1F468}\u{200D}\u{1F469}</a>",
        ];
        for md in inputs {
            let r = render(md, &PLAIN);
            let _ = truncate_text(&r.text, 3);
            let _ = reading_minutes(&r.text);
        }
    }
}
