//! Source positions for what the passes find in a document: where a byte of
//! a raw-HTML event's text is in the Markdown, and byte offsets turned into
//! 1-based lines and columns counted in characters (what editors show). It
//! knows nothing about what was found there.

use std::ops::Range;

/// Maps a byte offset in the text of an event (found at `range` of `src`)
/// to a byte offset in `src`. The text is the source slice unless a
/// container stripped something from it (a block quote's `>` on a line
/// that continues an HTML block); then everything in it is placed at the
/// event's start.
pub(super) fn in_source(src: &str, range: &Range<usize>, text: &str) -> impl Fn(usize) -> usize {
    let exact = src.get(range.start..).is_some_and(|s| s.starts_with(text));
    let start = range.start;
    move |offset| if exact { start + offset } else { start }
}

/// The 1-based line and character column of each byte offset in `src`
/// (offsets in any order; past the end means the end), counted in one pass
/// over the text however many there are.
pub(super) fn line_cols(src: &str, offsets: &[usize]) -> Vec<(usize, usize)> {
    let mut order: Vec<usize> = (0..offsets.len()).collect();
    order.sort_by_key(|&i| offsets[i]);
    let mut pos = vec![(0, 0); offsets.len()];
    let (mut byte, mut line, mut col) = (0usize, 1usize, 1usize);
    for i in order {
        let target = offsets[i].min(src.len());
        for c in src[byte..].chars() {
            if byte >= target {
                break;
            }
            byte += c.len_utf8();
            if c == '\n' {
                line += 1;
                col = 1;
            } else {
                col += 1;
            }
        }
        pos[i] = (line, col);
    }
    pos
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_and_order_does_not_matter() {
        let src = "中文\nab 正<x>";
        // `<` is byte 3 + 1 + 3 + 3 = 13 on line 2, after 4 characters.
        assert_eq!(line_cols(src, &[13, 0, 99]), [(2, 5), (1, 1), (2, 8)]);
    }

    #[test]
    fn stripped_event_text_is_placed_at_the_event() {
        let src = "> <a\n> href=x>";
        let at = in_source(src, &(7..14), "href=x>");
        assert_eq!(at(2), 9);
        let at = in_source(src, &(5..14), "href=x>");
        assert_eq!(at(2), 5);
    }
}
