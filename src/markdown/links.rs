//! The links and images a document contains, taken from the parser's events
//! with their source offsets: Markdown links and images (inline, reference,
//! autolinks) and the `href`/`src` attributes of raw HTML. Each is located at
//! its destination in the Markdown text, as a 1-based line and column in
//! characters. Whether a link leads anywhere is `crate::links`'s question;
//! this file only records what was written and where.

use std::ops::Range;

use pulldown_cmark::{Event, LinkType, RefDefs, Tag, TagEnd};

/// A link or image destination in a Markdown document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The destination as written (backslash escapes and character references
    /// resolved, no site root added, not percent-decoded).
    pub dest: String,
    /// 1-based line of the destination in the Markdown text.
    pub line: usize,
    /// 1-based column, in characters, of the destination's first character.
    pub col: usize,
    /// Where the destination was written.
    pub kind: LinkKind,
}

/// Markdown destinations get the site root prefixed when rendered; raw HTML
/// is left as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    /// `[text](dest)`, `![alt](src)`, `[text][ref]`, `<https://…>`.
    Markdown,
    /// An `href` or `src` attribute in raw HTML.
    Html,
}

impl Link {
    /// The same link with its position moved into the file that holds the
    /// document: `first_line` is the file line of the document's first line,
    /// `indent` the characters stripped from the start of every line (a YAML
    /// block scalar's indentation).
    pub fn in_file(mut self, first_line: usize, indent: usize) -> Link {
        self.line += first_line - 1;
        self.col += indent;
        self
    }
}

/// Every link and image in `parsed`, in document order. With `sanitize`,
/// raw HTML attributes that ammonia drops are skipped (it keeps only `a href`
/// and `img src`), so what is reported is what the page will contain.
pub(super) fn collect(
    src: &str,
    parsed: &[(Event, Range<usize>)],
    refdefs: &RefDefs,
    sanitize: bool,
) -> Vec<Link> {
    // Byte offset of each destination; converted to line:col in one pass below.
    let mut found: Vec<(usize, String, LinkKind)> = Vec::new();
    // Open links/images: index in `found` of an inline destination still to
    // be located, and the furthest byte their content reached.
    let mut open: Vec<(Option<usize>, usize)> = Vec::new();
    let mut html_tag = HtmlTags::default();
    for (ev, range) in parsed {
        match ev {
            Event::Start(
                Tag::Link {
                    link_type,
                    dest_url,
                    id,
                    ..
                }
                | Tag::Image {
                    link_type,
                    dest_url,
                    id,
                    ..
                },
            ) => {
                let at = match link_type {
                    LinkType::Autolink | LinkType::Email => Some(range.start + 1),
                    LinkType::Inline => None,
                    // The destination is in the definition; fall back to the
                    // link itself.
                    _ => Some(
                        refdefs
                            .get(id)
                            .map(|def| after_label(src, &def.span))
                            .unwrap_or(range.start),
                    ),
                };
                let opener = if matches!(ev, Event::Start(Tag::Image { .. })) {
                    2
                } else {
                    1
                };
                found.push((
                    at.unwrap_or(range.start),
                    dest_url.to_string(),
                    LinkKind::Markdown,
                ));
                let pending = at.is_none().then_some(found.len() - 1);
                open.push((pending, range.start + opener));
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                if let Some((pending, reached)) = open.pop() {
                    if let Some(i) = pending {
                        found[i].0 = inline_dest(src, reached, range.end);
                    }
                    if let Some(parent) = open.last_mut() {
                        parent.1 = parent.1.max(range.end);
                    }
                }
            }
            Event::Html(h) | Event::InlineHtml(h) => {
                // The text is the source slice unless a container stripped
                // something; then the attributes are placed at the event.
                let exact = src
                    .get(range.start..)
                    .is_some_and(|s| s.starts_with(h.as_ref()));
                html_tag.scan(h, sanitize, |offset, value| {
                    let at = if exact {
                        range.start + offset
                    } else {
                        range.start
                    };
                    found.push((at, value, LinkKind::Html));
                });
                if let Some(top) = open.last_mut() {
                    top.1 = top.1.max(range.end);
                }
            }
            // A tag may continue on the next line of its block, not past it.
            Event::End(TagEnd::HtmlBlock) => html_tag = HtmlTags::default(),
            _ => {
                if let Some(top) = open.last_mut() {
                    top.1 = top.1.max(range.end);
                }
            }
        }
    }
    locate(src, found)
}

/// Where the destination of an inline link starts: after the `](` that
/// follows the link text (whose events end at `reached`), past spaces and a
/// `<`.
fn inline_dest(src: &str, reached: usize, end: usize) -> usize {
    let Some(seg) = src.get(reached..end) else {
        return reached;
    };
    let Some(paren) = seg.find("](") else {
        return reached;
    };
    skip_to_dest(src, reached + paren + 2)
}

/// Where the destination of a reference definition `[label]: dest` starts.
fn after_label(src: &str, span: &Range<usize>) -> usize {
    let seg = src.get(span.clone()).unwrap_or_default();
    match seg.find("]:") {
        Some(colon) => skip_to_dest(src, span.start + colon + 2),
        None => span.start,
    }
}

fn skip_to_dest(src: &str, from: usize) -> usize {
    let rest = &src[from..];
    let trimmed = rest.trim_start_matches([' ', '\t', '\n', '\r']);
    let at = from + rest.len() - trimmed.len();
    if trimmed.starts_with('<') { at + 1 } else { at }
}

/// Converts byte offsets to 1-based line and character column, in one pass
/// over the text however many links there are.
fn locate(src: &str, mut found: Vec<(usize, String, LinkKind)>) -> Vec<Link> {
    let mut order: Vec<usize> = (0..found.len()).collect();
    order.sort_by_key(|&i| found[i].0);
    let mut pos = vec![(0, 0); found.len()];
    let (mut byte, mut line, mut col) = (0usize, 1usize, 1usize);
    for i in order {
        let target = found[i].0.min(src.len());
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
    found
        .drain(..)
        .zip(pos)
        .map(|((_, dest, kind), (line, col))| Link {
            dest,
            line,
            col,
            kind,
        })
        .collect()
}

/// Finds `href` and `src` attribute values in raw HTML, which may split one
/// tag across events (an HTML block comes one line at a time).
#[derive(Clone, Copy)]
enum TagKind {
    A,
    Img,
    Other,
}

#[derive(Default)]
struct HtmlTags {
    /// The tag whose attributes are being read.
    tag: Option<TagKind>,
    in_comment: bool,
}

impl HtmlTags {
    /// Calls `found(byte offset in s, decoded value)` for each attribute.
    fn scan(&mut self, s: &str, sanitize: bool, mut found: impl FnMut(usize, String)) {
        let b = s.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if self.in_comment {
                match s[i..].find("-->") {
                    Some(p) => {
                        self.in_comment = false;
                        i += p + 3;
                    }
                    None => return,
                }
                continue;
            }
            let Some(tag) = self.tag else {
                let Some(lt) = s[i..].find('<').map(|p| i + p) else {
                    return;
                };
                if s[lt..].starts_with("<!--") {
                    self.in_comment = true;
                    i = lt + 4;
                    continue;
                }
                let name_len = b[lt + 1..]
                    .iter()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .count();
                if name_len > 0 && b[lt + 1].is_ascii_alphabetic() {
                    let name = &s[lt + 1..lt + 1 + name_len];
                    self.tag = Some(if name.eq_ignore_ascii_case("a") {
                        TagKind::A
                    } else if name.eq_ignore_ascii_case("img") {
                        TagKind::Img
                    } else {
                        TagKind::Other
                    });
                }
                i = lt + 1 + name_len;
                continue;
            };
            // Inside a tag: attributes until `>`.
            match b[i] {
                b'>' => {
                    self.tag = None;
                    i += 1;
                }
                c if c.is_ascii_whitespace() || c == b'/' => i += 1,
                _ => {
                    let name_start = i;
                    while i < b.len()
                        && !b[i].is_ascii_whitespace()
                        && !matches!(b[i], b'=' | b'>' | b'/')
                    {
                        i += 1;
                    }
                    let name = &s[name_start..i];
                    let mut j = i;
                    while j < b.len() && b[j].is_ascii_whitespace() {
                        j += 1;
                    }
                    if b.get(j) != Some(&b'=') {
                        continue;
                    }
                    j += 1;
                    while j < b.len() && b[j].is_ascii_whitespace() {
                        j += 1;
                    }
                    let (start, end, next) = match b.get(j) {
                        Some(&q @ (b'"' | b'\'')) => match s[j + 1..].find(q as char) {
                            Some(len) => (j + 1, j + 1 + len, j + 2 + len),
                            // Unclosed quote: the rest is the value.
                            None => (j + 1, b.len(), b.len()),
                        },
                        _ => {
                            let len = b[j..]
                                .iter()
                                .take_while(|c| !c.is_ascii_whitespace() && **c != b'>')
                                .count();
                            (j, j + len, j + len)
                        }
                    };
                    let is_href = name.eq_ignore_ascii_case("href");
                    let is_src = name.eq_ignore_ascii_case("src");
                    let wanted = match tag {
                        _ if !sanitize => is_href || is_src,
                        TagKind::A => is_href,
                        TagKind::Img => is_src,
                        TagKind::Other => false,
                    };
                    if wanted {
                        found(
                            start,
                            crate::html::decode_attribute(&s[start..end]).into_owned(),
                        );
                    }
                    i = next;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::{MarkdownOptions, PLAIN, render};

    fn found(md: &str, sanitize: bool) -> Vec<(String, usize, usize, LinkKind)> {
        let opts = MarkdownOptions {
            sanitize,
            root: "/column/",
        };
        render(md, &opts)
            .links
            .into_iter()
            .map(|l| (l.dest, l.line, l.col, l.kind))
            .collect()
    }

    fn at(dest: &str, line: usize, col: usize, kind: LinkKind) -> (String, usize, usize, LinkKind) {
        (dest.to_string(), line, col, kind)
    }

    #[test]
    fn markdown_links_are_located_at_their_destination() {
        use LinkKind::Markdown as M;
        assert_eq!(
            found(
                "中文 [a *b*](/x/ \"t\") ![图](</i.png>)\n\n<https://e.org/>",
                true
            ),
            [
                at("/x/", 1, 12, M),
                at("/i.png", 1, 27, M),
                at("https://e.org/", 3, 2, M)
            ]
        );
        // An image inside a link: both, each at its own destination.
        assert_eq!(
            found("[![i](/i.png)](/x/)", true),
            [at("/x/", 1, 16, M), at("/i.png", 1, 7, M)]
        );
        // Reference links point at their definition; escapes are resolved.
        assert_eq!(
            found("[a][r] [r]\n\n[r]:\n  /d%20e/\\_x", true),
            [at("/d%20e/_x", 4, 3, M), at("/d%20e/_x", 4, 3, M)]
        );
        assert_eq!(found("[a](\n/x/)", true), [at("/x/", 2, 1, M)]);
    }

    #[test]
    fn raw_html_attributes_are_located_in_their_event() {
        use LinkKind::Html as H;
        let md = "<div>\n<a class=b href=\"/a/?x=1&amp;y\">a</a> <iframe src='/f/'>\n</div>\n\n段 <img\nsrc=/i.png> <!-- <a href=\"/no/\"> -->";
        assert_eq!(
            found(md, true),
            [at("/a/?x=1&y", 2, 18, H), at("/i.png", 6, 5, H)]
        );
        // A tag split over the lines of its block.
        assert_eq!(
            found("<div>\n<a\n  href=\"/x/\">x</a>\n</div>", true),
            [at("/x/", 3, 9, H)]
        );
        // Unsanitized, every `href`/`src` stays on the page.
        assert_eq!(
            found(md, false),
            [
                at("/a/?x=1&y", 2, 18, H),
                at("/f/", 2, 52, H),
                at("/i.png", 6, 5, H)
            ]
        );
    }

    #[test]
    fn links_move_into_the_file() {
        let l = render("[a](/x/)", &PLAIN).links.remove(0).in_file(7, 2);
        assert_eq!((l.line, l.col), (7, 7));
    }
}
