//! Reading a document's raw HTML the way the HTML parser of the sanitizer
//! and of the browser will: start tags and their attributes, comments, and
//! the elements whose content is raw text up to their end tag (`<script>`,
//! `<style>`, `<iframe>` …). The raw-HTML events are read in document
//! order and the state carries from one to the next, because the page holds
//! them in one string: a comment opened in one block hides everything after
//! it until some later raw HTML closes it (the HTML pulldown-cmark makes of
//! Markdown cannot: it escapes every `<` and `>` of the text). What is kept
//! or dropped is not decided here; `links` and `removed` do that.

use std::ops::Range;

use pulldown_cmark::Event;

use super::events::is_more_marker;

/// The text of an event that reaches the page as raw HTML. The
/// `<!-- more -->` marker does not: the renderer drops it.
pub(super) fn rendered_html<'e>(ev: &'e Event) -> Option<&'e str> {
    match ev {
        Event::Html(h) | Event::InlineHtml(h) if !is_more_marker(h) => Some(h),
        _ => None,
    }
}

/// What [`RawHtml::scan`] found, at byte offsets in the text it was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Token<'s> {
    /// `<name` opening a start tag; `name` as written.
    Start { at: usize, name: &'s str },
    /// An attribute of the start tag being read, with the byte range of its
    /// value as written (character references not decoded; up to the end of
    /// the text when the quote closes in a later event).
    Attr {
        at: usize,
        name: &'s str,
        value: Option<Range<usize>>,
    },
    /// The start tag just read opened an element whose content is raw text.
    RawText,
    /// The end tag of that element.
    RawTextEnd,
    /// `<!--` opening a comment.
    CommentStart { at: usize },
    /// The `-->` closing it.
    CommentEnd,
}

/// Where the reading is between two pieces of text.
#[derive(Debug, Clone, Copy, Default)]
enum State {
    #[default]
    Text,
    /// Inside a tag: a start tag (its attributes are reported) or an end
    /// tag. `raw`: the end tag name of a start tag that opens raw text.
    Tag {
        start: bool,
        raw: Option<&'static str>,
    },
    /// Inside a quoted attribute value of such a tag.
    Quoted {
        quote: u8,
        start: bool,
        raw: Option<&'static str>,
    },
    Comment,
    /// `<!DOCTYPE …>`, `<?php …>`: the parser reads these as comments that
    /// end at the first `>`.
    Bogus,
    /// Inside an element whose content is raw text, until `</name`.
    RawText(&'static str),
}

/// Reads raw HTML event by event; see the module documentation.
#[derive(Debug, Default)]
pub(super) struct RawHtml {
    state: State,
}

impl RawHtml {
    /// Reads the text of one raw-HTML event, calling `emit` for what it finds.
    pub(super) fn scan<'s>(&mut self, s: &'s str, mut emit: impl FnMut(Token<'s>)) {
        let b = s.as_bytes();
        let mut i = 0;
        while i < b.len() {
            match self.state {
                State::Text => {
                    let Some(lt) = s[i..].find('<').map(|p| i + p) else {
                        return;
                    };
                    let next = b.get(lt + 1).copied();
                    if s[lt..].starts_with("<!--") {
                        emit(Token::CommentStart { at: lt });
                        self.state = State::Comment;
                        // From the first `-`: `<!-->` and `<!--->` are closed at once.
                        i = lt + 2;
                    } else if next == Some(b'/')
                        && b.get(lt + 2).is_some_and(u8::is_ascii_alphabetic)
                    {
                        self.state = State::Tag {
                            start: false,
                            raw: None,
                        };
                        i = lt + 2;
                    } else if next.is_some_and(|c| c.is_ascii_alphabetic()) {
                        let len = b[lt + 1..]
                            .iter()
                            .take_while(|&&c| !is_space(c) && c != b'/' && c != b'>')
                            .count();
                        let name = &s[lt + 1..lt + 1 + len];
                        emit(Token::Start { at: lt, name });
                        self.state = State::Tag {
                            start: true,
                            raw: raw_text_end(name),
                        };
                        i = lt + 1 + len;
                    } else if matches!(next, Some(b'!' | b'?')) {
                        self.state = State::Bogus;
                        i = lt + 2;
                    } else {
                        i = lt + 1;
                    }
                }
                State::Comment => match comment_end(s, i) {
                    Some(end) => {
                        emit(Token::CommentEnd);
                        self.state = State::Text;
                        i = end;
                    }
                    None => return,
                },
                State::Bogus => match s[i..].find('>') {
                    Some(p) => {
                        self.state = State::Text;
                        i += p + 1;
                    }
                    None => return,
                },
                State::RawText(name) => match end_tag(s, i, name) {
                    Some(p) => {
                        emit(Token::RawTextEnd);
                        self.state = State::Tag {
                            start: false,
                            raw: None,
                        };
                        i = p + 2 + name.len();
                    }
                    None => return,
                },
                State::Quoted { quote, start, raw } => {
                    match b[i..].iter().position(|&c| c == quote) {
                        Some(p) => {
                            self.state = State::Tag { start, raw };
                            i += p + 1;
                        }
                        None => return,
                    }
                }
                State::Tag { start, raw } => match b[i] {
                    b'>' => {
                        self.end_tag(&mut emit);
                        i += 1;
                    }
                    c if is_space(c) || c == b'/' => i += 1,
                    _ => i = self.attribute(s, i, start, raw, &mut emit),
                },
            }
        }
    }

    /// The end of a block of raw HTML. A tag still open there is ended by
    /// the next `>` of the page, which is in the HTML made of the Markdown
    /// that follows: its attributes end here. Comments and raw text go on.
    pub(super) fn end_block(&mut self, mut emit: impl FnMut(Token<'static>)) {
        if let State::Tag { .. } | State::Quoted { .. } = self.state {
            self.end_tag(&mut emit);
        }
    }

    /// The `>` of a tag: raw text follows the start tag of a raw-text
    /// element (also when written `<script/>`: HTML has no such shorthand).
    fn end_tag<'s>(&mut self, emit: &mut impl FnMut(Token<'s>)) {
        let raw = match self.state {
            State::Tag { raw, .. } | State::Quoted { raw, .. } => raw,
            _ => None,
        };
        self.state = match raw {
            Some(name) => {
                emit(Token::RawText);
                State::RawText(name)
            }
            None => State::Text,
        };
    }

    /// Reads one attribute starting at `i`; returns where reading goes on.
    fn attribute<'s>(
        &mut self,
        s: &'s str,
        mut i: usize,
        start: bool,
        raw: Option<&'static str>,
        emit: &mut impl FnMut(Token<'s>),
    ) -> usize {
        let b = s.as_bytes();
        let at = i;
        // The first character belongs to the name even if it is `=`.
        i += 1;
        while i < b.len() && !is_space(b[i]) && !matches!(b[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        let name = &s[at..i];
        let skip_space = |mut j: usize| {
            while j < b.len() && is_space(b[j]) {
                j += 1;
            }
            j
        };
        let mut j = skip_space(i);
        if b.get(j) != Some(&b'=') {
            if start {
                emit(Token::Attr {
                    at,
                    name,
                    value: None,
                });
            }
            return i;
        }
        j = skip_space(j + 1);
        let (value, next) = match b.get(j) {
            Some(&quote @ (b'"' | b'\'')) => match b[j + 1..].iter().position(|&c| c == quote) {
                Some(len) => (j + 1..j + 1 + len, j + 2 + len),
                None => {
                    self.state = State::Quoted { quote, start, raw };
                    (j + 1..b.len(), b.len())
                }
            },
            _ => {
                let len = b[j..]
                    .iter()
                    .take_while(|&&c| !is_space(c) && c != b'>')
                    .count();
                (j..j + len, j + len)
            }
        };
        let value = Some(value);
        if start {
            emit(Token::Attr { at, name, value });
        }
        next
    }
}

/// HTML's ASCII whitespace.
fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

/// The elements whose content the parser reads as raw text, by the name of
/// their end tag (`<plaintext>`, which never ends, is left out).
fn raw_text_end(name: &str) -> Option<&'static str> {
    const RAW_TEXT: [&str; 9] = [
        "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript",
    ];
    RAW_TEXT.into_iter().find(|r| r.eq_ignore_ascii_case(name))
}

/// The byte after the `-->` (or `--!>`) ending a comment, searching from `from`.
fn comment_end(s: &str, from: usize) -> Option<usize> {
    let mut i = from;
    while let Some(p) = s[i..].find("--").map(|p| i + p) {
        let rest = &s[p + 2..];
        if rest.starts_with('>') {
            return Some(p + 3);
        }
        if rest.starts_with("!>") {
            return Some(p + 4);
        }
        i = p + 1;
    }
    None
}

/// Where `</name` followed by a space, `/`, `>` or the end of the text
/// starts, searching from `from`.
fn end_tag(s: &str, from: usize, name: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut i = from;
    while let Some(p) = s[i..].find("</").map(|p| i + p) {
        let after = p + 2 + name.len();
        let named = b
            .get(p + 2..after)
            .is_some_and(|n| n.eq_ignore_ascii_case(name.as_bytes()));
        if named
            && b.get(after)
                .is_none_or(|&c| is_space(c) || c == b'/' || c == b'>')
        {
            return Some(p);
        }
        i = p + 2;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tokens of `texts` read as consecutive events of one block.
    fn tokens<'s>(texts: &[&'s str]) -> Vec<Token<'s>> {
        let mut html = RawHtml::default();
        let mut out = Vec::new();
        for t in texts {
            html.scan(t, |token| out.push(token));
        }
        html.end_block(|token| out.push(token));
        out
    }

    #[test]
    fn comments_end_as_the_html_parser_ends_them() {
        use Token::{CommentEnd as End, CommentStart as Start};
        assert_eq!(tokens(&["<!-->x"]), [Start { at: 0 }, End]);
        assert_eq!(tokens(&["<!--->"]), [Start { at: 0 }, End]);
        assert_eq!(tokens(&["<!-- a --!> b"]), [Start { at: 0 }, End]);
        assert_eq!(tokens(&["<!-- a -- b\n", "-> <b>"]), [Start { at: 0 }]);
        // Bogus comments end at the first `>`, and are not reported.
        assert_eq!(
            tokens(&["<!DOCTYPE x><?php y ?><b>"]),
            [Token::Start { at: 22, name: "b" }]
        );
    }

    #[test]
    fn quoted_values_and_raw_text_run_across_events() {
        assert_eq!(
            tokens(&["<p title=\"a\n", "> b\" onclick=x>"]),
            [
                Token::Start { at: 0, name: "p" },
                Token::Attr {
                    at: 3,
                    name: "title",
                    value: Some(10..12)
                },
                Token::Attr {
                    at: 5,
                    name: "onclick",
                    value: Some(13..14)
                },
            ]
        );
        assert_eq!(
            tokens(&["<Script>if (a </b) {\n", "x = '<b>'</SCRIPT\n", "><b>"]),
            [
                Token::Start {
                    at: 0,
                    name: "Script"
                },
                Token::RawText,
                Token::RawTextEnd,
                Token::Start { at: 1, name: "b" },
            ]
        );
        // A start tag still open at the end of its block ends there.
        assert_eq!(
            tokens(&["<style media=x"]),
            [
                Token::Start {
                    at: 0,
                    name: "style"
                },
                Token::Attr {
                    at: 7,
                    name: "media",
                    value: Some(13..14)
                },
                Token::RawText,
            ]
        );
    }
}
