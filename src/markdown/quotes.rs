//! Chinese quotation marks. A zh-CN site's writers type straight quotes
//! (`驻地"理发店"开张了`) where Chinese text uses “” and ‘’. In text (never
//! in code, raw HTML, URLs or attributes) double quotes alternate open and
//! close within each block; a single quote is curled only beside a Chinese
//! character or punctuation mark, so the apostrophe of `don't` stays.

use std::borrow::Cow;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::unicode::is_cjk;

/// Pairing state of one block of text, carried across its text events.
#[derive(Default)]
pub struct Quotes {
    double_open: bool,
    single_open: bool,
    /// The last character of the text before (for single quotes).
    prev: Option<char>,
}

impl Quotes {
    /// `text` with its straight quotes curled; the pairing continues from the
    /// text given before.
    pub fn curl<'t>(&mut self, text: &'t str) -> Cow<'t, str> {
        if !text.contains(['"', '\'']) {
            self.prev = text.chars().next_back().or(self.prev);
            return Cow::Borrowed(text);
        }
        let mut out = String::with_capacity(text.len() + 8);
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            let curled = match c {
                '"' => {
                    self.double_open = !self.double_open;
                    if self.double_open { '“' } else { '”' }
                }
                '\'' if self.prev.is_some_and(is_cjk)
                    || chars.peek().copied().is_some_and(is_cjk) =>
                {
                    self.single_open = !self.single_open;
                    if self.single_open { '‘' } else { '’' }
                }
                c => c,
            };
            out.push(curled);
            self.prev = Some(curled);
        }
        Cow::Owned(out)
    }
}

/// Curls the quotes of every text event outside code, block by block.
pub(super) fn curl_events(events: &mut [Event<'_>]) {
    let mut q = Quotes::default();
    let mut in_code = false;
    for ev in events.iter_mut() {
        match ev {
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Start(
                Tag::Paragraph
                | Tag::Heading { .. }
                | Tag::Item
                | Tag::TableCell
                | Tag::BlockQuote(_)
                | Tag::FootnoteDefinition(_),
            ) => q = Quotes::default(),
            Event::Text(t) if !in_code => {
                if let Cow::Owned(s) = q.curl(t) {
                    *t = CowStr::from(s);
                }
            }
            // Inline code and breaks are not text, but what comes after them
            // is not next to the text before.
            Event::Code(_) | Event::SoftBreak | Event::HardBreak => q.prev = None,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn curl(s: &str) -> String {
        Quotes::default().curl(s).into_owned()
    }

    #[test]
    fn straight_quotes_in_chinese_become_chinese_quotes() {
        assert_eq!(curl("驻地\"理发店\"开张了"), "驻地“理发店”开张了");
        assert_eq!(
            curl("\"三区两通道\"和\"一人一策\""),
            "“三区两通道”和“一人一策”"
        );
        assert_eq!(curl("他说：'我们回家了'。"), "他说：‘我们回家了’。");
    }

    #[test]
    fn apostrophes_between_latin_letters_stay() {
        assert_eq!(curl("don't 和 it's"), "don't 和 it's");
        assert_eq!(curl("no quotes"), "no quotes");
    }
}
