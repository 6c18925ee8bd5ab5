//! CJK-friendly emphasis.
//!
//! CommonMark decides whether a `*`/`_` run may open or close emphasis from the
//! characters on either side ("flanking"). A closing `**` preceded by
//! punctuation (`：`) and followed by a letter (`正`) is not right-flanking, so
//! `**记者：**正文` stays literal. The CJK-friendly amendment
//! (github.com/tats-u/markdown-cjk-friendly) stops counting CJK punctuation as
//! punctuation there, and lets a CJK character on the outer side stand in for
//! whitespace when the inner side is other punctuation (`**“致敬”**他们`).
//! pulldown-cmark has no hook for that, so we post-process its events:
//! within each run of inline events we recover every delimiter run — the
//! unmatched ones (emitted as one-character `Text` events) and the matched ones
//! (the `*`/`_` at the edges of `Emphasis`/`Strong` ranges) — classify each with
//! both rule sets, and only when some run's verdict differs do we dissolve
//! pulldown's emphasis and redo CommonMark's delimiter algorithm ("process
//! emphasis") with the CJK-friendly verdicts. Segments without such runs, i.e.
//! all non-CJK text, keep pulldown's output untouched.
//!
//! Strikethrough (`~~`, `~`) runs take part too: they keep pulldown-cmark's
//! own flanking rules plus what the amendment adds for `*`, so
//! `~~删除：~~正文` is struck through.

mod flanking;
mod matching;

use std::ops::Range;

use pulldown_cmark::{Event, Tag, TagEnd};

use flanking::{classify, open_close};
use matching::{match_runs, rebuild};

/// One delimiter run found in a segment, plus the matching state.
#[derive(Debug)]
struct Run {
    /// Byte offset of the run's first character in the source.
    pos: usize,
    /// Characters (= bytes: `*`, `_` and `~` are ASCII) in the run.
    len: usize,
    ch: u8,
    /// Index range of the segment events this run was recovered from.
    first_event: usize,
    last_event: usize,
    /// Links and images delimit groups; emphasis cannot cross them, as in
    /// CommonMark. (Strikethrough `~`/`~~` runs are delimiter runs too.)
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
        Some(bytes) if bytes.iter().all(|&b| b == b'~') => Piece::Delim { pos, len, ch: b'~' },
        _ => Piece::Confused,
    };
    // Strikethrough is `~~…~~` or `~…~`.
    let tildes = |at: Option<&[u8]>| if at == Some(b"~~") { 2 } else { 1 };
    match ev {
        Event::Start(Tag::Strikethrough) => {
            let pos = range.start;
            delims_at(pos, tildes(src.as_bytes().get(pos..pos + 2)))
        }
        Event::End(TagEnd::Strikethrough) => {
            let len = tildes(src.as_bytes().get(range.end.saturating_sub(2)..range.end));
            delims_at(range.end.saturating_sub(len), len)
        }
        Event::Start(Tag::Emphasis) => delims_at(range.start, 1),
        Event::Start(Tag::Strong) => delims_at(range.start, 2),
        Event::End(TagEnd::Emphasis) => delims_at(range.end.saturating_sub(1), 1),
        Event::End(TagEnd::Strong) => delims_at(range.end.saturating_sub(2), 2),
        // Unmatched delimiters come out as one-character text events; escaped
        // `\*` looks the same, but its range starts after the backslash.
        Event::Text(t)
            if t.len() == 1
                && range.len() == 1
                && matches!(t.as_bytes().first(), Some(b'*' | b'_' | b'~'))
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

pub(super) fn is_inline(ev: &Event) -> bool {
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
pub(super) fn cjk_emphasis<'a>(
    src: &'a str,
    parsed: Vec<(Event<'a>, Range<usize>)>,
) -> Vec<Event<'a>> {
    // The amendment only changes verdicts next to CJK (non-ASCII) characters.
    if src.is_ascii() || !src.bytes().any(|b| matches!(b, b'*' | b'_' | b'~')) {
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
        let cm = open_close(run.ch, run.len, prev, next, false);
        let cjk = open_close(run.ch, run.len, prev, next, true);
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

#[cfg(test)]
mod tests {
    use pulldown_cmark::Parser;

    use super::*;
    use crate::markdown::{PLAIN, html, parser_options, render, text::truncate_text};

    #[test]
    fn pulldown_alone_fails_the_cjk_cases() {
        // Guards the premise: if pulldown-cmark ever adopts the amendment,
        // this fails and the post-pass can be reconsidered.
        let mut out = String::new();
        pulldown_cmark::html::push_html(
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
    fn cjk_strikethrough_after_fullwidth_colon() {
        assert_eq!(html("~~删除：~~正文"), "<p><del>删除：</del>正文</p>\n");
        assert_eq!(
            html("正文~~（删）~~结束"),
            "<p>正文<del>（删）</del>结束</p>\n"
        );
        assert_eq!(
            html("**记者：**~~删除：~~正文"),
            "<p><strong>记者：</strong><del>删除：</del>正文</p>\n"
        );
        assert_eq!(
            html("~~**记者：**正文~~"),
            "<p><del><strong>记者：</strong>正文</del></p>\n"
        );
        // What pulldown-cmark already struck through stays so.
        assert_eq!(html("~~删除~~正文"), "<p><del>删除</del>正文</p>\n");
        assert_eq!(html("a~~b~~c 中文"), "<p>a<del>b</del>c 中文</p>\n");
        assert_eq!(html("~删：~ 正文"), "<p><del>删：</del> 正文</p>\n");
        // Unpaired and unequal runs stay text.
        assert_eq!(html("~~删除：~正文"), "<p>~~删除：~正文</p>\n");
        assert_eq!(html("~~删除：正文"), "<p>~~删除：正文</p>\n");
    }

    #[test]
    fn symbols_of_every_script_are_punctuation_for_flanking() {
        // U+1E2FF WANCHO NGUN SIGN is a currency symbol (Sc): the closing
        // `*` follows punctuation and precedes a letter, so CommonMark
        // leaves `*𞋿*delta.` literal, also when the paragraph's Chinese
        // emphasis makes laurel redo the matching.
        assert_eq!(
            html("**记者：**正文 *\u{1E2FF}*delta."),
            "<p><strong>记者：</strong>正文 *\u{1E2FF}*delta.</p>\n"
        );
        assert_eq!(html("*\u{1E2FF}*delta."), "<p>*\u{1E2FF}*delta.</p>\n");
        assert_eq!(
            html("**记者：**正文"),
            "<p><strong>记者：</strong>正文</p>\n"
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
}
