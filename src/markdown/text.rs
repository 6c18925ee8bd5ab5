//! Plain text derived from the events (whitespace collapsed, raw HTML tags
//! dropped, entities decoded, script bodies skipped), summary truncation on
//! grapheme and sentence boundaries and the reading-time estimate. Entity
//! decoding itself is `crate::html`'s.

use pulldown_cmark::{Event, Tag, TagEnd};
use unicode_segmentation::UnicodeSegmentation;

use super::cjk::is_inline;
use super::events::{TASK_DONE, TASK_OPEN};
use super::unicode::{is_cjk, is_cjk_letter, is_hangul, is_punct};
use crate::html::decode_text;

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

/// The plain text of `events` and, separately, of its first paragraph (the
/// first block with text when the body opens with a list or a quote): what
/// a card shows.
pub(super) fn plain_text(events: &[Event]) -> (String, String) {
    let mut sink = TextSink::default();
    let mut lead: Option<usize> = None;
    let mut depth = 0usize;
    let mut raw = RawHtmlText::default();
    let mut image_depth = 0usize;
    for ev in events {
        match ev {
            // Image alt text is not body text; script bodies are not text.
            Event::Text(t) | Event::Code(t) if image_depth == 0 && raw.skip_until.is_none() => {
                sink.push(t)
            }
            // A task-list box is a mark, not a word of the text.
            Event::InlineHtml(h) if matches!(h.as_ref(), TASK_DONE | TASK_OPEN) => {}
            Event::Html(h) | Event::InlineHtml(h) => raw.feed(h, &mut sink),
            Event::SoftBreak | Event::HardBreak | Event::Rule => sink.space(),
            Event::Start(Tag::Image { .. }) => image_depth += 1,
            Event::End(TagEnd::Image) => image_depth = image_depth.saturating_sub(1),
            Event::Start(_) if !is_inline(ev) => depth += 1,
            Event::End(_) if !is_inline(ev) => {
                depth = depth.saturating_sub(1);
                if depth == 0 && lead.is_none() && !sink.out.is_empty() {
                    lead = Some(sink.out.len());
                }
                sink.space()
            }
            _ => {}
        }
    }
    let lead = sink.out[..lead.unwrap_or(sink.out.len())].to_string();
    (sink.out, lead)
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
                sink.push(&decode_text(s.get(i..).unwrap_or_default()));
                return;
            };
            sink.push(&decode_text(s.get(i..lt).unwrap_or_default()));
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

/// First ~`max` characters of plain text, cut on a grapheme boundary (unicode-segmentation), preferring to cut after Chinese/Latin sentence punctuation (。！？；.!?) found in the last 30% of the window, and appending "…" when cut. Returns the text unchanged when it is short enough.
///
/// "Characters" are grapheme clusters, so an emoji sequence or a letter with
/// combining accents counts once and is never split. Latin `.!?` only count
/// as a sentence end before whitespace (not in `3.14`), and a closing quote or
/// bracket right after the punctuation is kept (`……。”`). Without sentence
/// punctuation, a space in the last 30% is preferred over cutting inside a
/// word. The result is at most `max` graphemes plus the `…`.
pub fn truncate_text(text: &str, max: usize) -> String {
    // Common text (ASCII, Han, CJK and general punctuation) is one grapheme
    // per character: walked by characters, skipping the segmenter's tables.
    if text
        .chars()
        .take(max.saturating_add(1))
        .all(is_own_grapheme)
    {
        let chars = text
            .char_indices()
            .map(|(i, c)| (i, &text[i..i + c.len_utf8()]));
        truncate_graphemes(text, max, chars)
    } else {
        truncate_graphemes(text, max, text.grapheme_indices(true))
    }
}

/// [`truncate_text`] over `text`'s graphemes, with their byte offsets.
fn truncate_graphemes<'a>(
    text: &'a str,
    max: usize,
    graphemes: impl Iterator<Item = (usize, &'a str)>,
) -> String {
    // Index of the first grapheme in the last 30% of the window.
    let search_from = max - max * 3 / 10;
    let mut window_end = 0;
    let mut sentence_end: Option<usize> = None;
    let mut latin_end: Option<usize> = None;
    let mut space_at: Option<usize> = None;
    let mut cut = false;
    for (count, (idx, g)) in graphemes.enumerate() {
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

/// Whether `c` is a grapheme cluster of its own next to any other such
/// character: none of them joins a neighbour (no CR, combining or spacing
/// mark, prepend, joiner, regional indicator or Hangul jamo among them).
fn is_own_grapheme(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n'
            | ' '..='~'
            | '\u{2010}'..='\u{2027}'
            | '\u{3000}'..='\u{3029}'
            | '\u{4E00}'..='\u{9FFF}'
            | '\u{FF01}'..='\u{FF5E}'
    )
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::{PLAIN, render};

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
    fn characters_walked_one_by_one_are_graphemes_of_their_own() {
        let own: Vec<char> = (0..0x11_0000u32)
            .filter_map(char::from_u32)
            .filter(|&c| is_own_grapheme(c))
            .collect();
        let samples = [
            'a', ' ', '\n', '\t', '~', '中', '。', '“', '…', '！', '\u{3029}',
        ];
        for &c in &own {
            for s in samples {
                for pair in [format!("{c}{s}"), format!("{s}{c}")] {
                    assert_eq!(pair.graphemes(true).count(), 2, "{pair:?}");
                }
            }
        }
        // Joiners and marks after them send the cut to the segmenter.
        for (text, max) in [("ab\u{301}cd", 2), ("中\u{302a}文字", 1), ("a\r\nb", 1)] {
            let slow: String = text.graphemes(true).take(max).collect();
            assert_eq!(truncate_text(text, max), format!("{slow}…"), "{text:?}");
        }
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
}
