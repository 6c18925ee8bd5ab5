//! Flanking: which characters count as space, punctuation, CJK punctuation
//! or CJK for emphasis, and whether a delimiter run between two of them may
//! open or close emphasis under CommonMark or the CJK-friendly amendment.

use crate::markdown::unicode::{is_cjk, is_ideographic_vs, is_punct};

/// Character classes that matter for flanking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Cls {
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

pub(super) fn classify(c: Option<char>) -> Cls {
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

/// `(can_open, can_close)` of a delimiter run of `len` times `ch` between
/// `prev` and `next`, under CommonMark (`cjk == false`) or the CJK-friendly
/// amendment.
pub(super) fn open_close(ch: u8, len: usize, prev: Cls, next: Cls, cjk: bool) -> (bool, bool) {
    let punct = |c: Cls| matches!(c, Cls::Punct | Cls::CjkPunct);
    if ch == b'~' {
        // pulldown-cmark's strikethrough rules: `~~` may be intraword and
        // opens whatever precedes it; a single `~` flanks like `_`. The
        // amendment adds what it adds to `*` (`~~删除：~~正文`).
        let pulldown = (
            next != Cls::Space && (len > 1 || prev == Cls::Space || punct(prev)),
            prev != Cls::Space && ((len > 1 && !punct(prev)) || next == Cls::Space || punct(next)),
        );
        if !cjk {
            return pulldown;
        }
        let star_cm = open_close(b'*', len, prev, next, false);
        let star_cjk = open_close(b'*', len, prev, next, true);
        return (
            pulldown.0 || (star_cjk.0 && !star_cm.0),
            pulldown.1 || (star_cjk.1 && !star_cm.1),
        );
    }
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
