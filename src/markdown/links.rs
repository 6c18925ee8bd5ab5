//! The links and images a document contains, taken from the parser's events
//! with their source offsets: Markdown links and images (inline, reference,
//! autolinks) and the `href`/`src` attributes of raw HTML. Each is located at
//! its destination in the Markdown text, as a 1-based line and column in
//! characters. Whether a link leads anywhere is `crate::links`'s question;
//! this file only records what was written and where.

use std::ops::Range;

use pulldown_cmark::{Event, LinkType, RefDefs, Tag, TagEnd};

use super::InFile;
use super::position::{in_source, line_cols};
use super::raw_html::{RawHtml, Token, rendered_html};

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
    /// An image (`![alt](src)`, `<img src>`), not a link.
    pub is_image: bool,
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
    /// A Markdown image of the site itself (not `http(s)://`, `//` or
    /// `data:`): the image pipeline's to resize (see `images::body`).
    pub fn is_site_image(&self) -> bool {
        self.is_image && self.kind == LinkKind::Markdown && !crate::layout::is_external(&self.dest)
    }
}

impl InFile for Link {
    fn in_file(mut self, first_line: usize, indent: usize) -> Link {
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
    let mut found: Vec<Found> = Vec::new();
    // Open links/images: index in `found` of an inline destination still to
    // be located, and the furthest byte their content reached.
    let mut open: Vec<(Option<usize>, usize)> = Vec::new();
    let mut html = RawHtml::default();
    // The start tag whose attributes are being read.
    let mut tag = TagKind::Other;
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
                let is_image = matches!(ev, Event::Start(Tag::Image { .. }));
                let opener = if is_image { 2 } else { 1 };
                found.push((
                    at.unwrap_or(range.start),
                    dest_url.to_string(),
                    LinkKind::Markdown,
                    is_image,
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
            Event::End(TagEnd::HtmlBlock) => html.end_block(|_| {}),
            ev => {
                if let Some(h) = rendered_html(ev) {
                    let at = in_source(src, range, h);
                    html.scan(h, |token| match token {
                        Token::Start { name, .. } => tag = TagKind::of(name),
                        Token::Attr {
                            name,
                            value: Some(value),
                            ..
                        } if tag.keeps(name, sanitize) => found.push((
                            at(value.start),
                            crate::html::decode_attribute(&h[value]).into_owned(),
                            LinkKind::Html,
                            matches!(tag, TagKind::Img),
                        )),
                        _ => {}
                    });
                }
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

/// A destination found: its byte offset, text, kind and whether it is an image.
type Found = (usize, String, LinkKind, bool);

/// The links with their byte offsets turned into lines and columns.
fn locate(src: &str, found: Vec<Found>) -> Vec<Link> {
    let offsets: Vec<usize> = found.iter().map(|f| f.0).collect();
    found
        .into_iter()
        .zip(line_cols(src, &offsets))
        .map(|((_, dest, kind, is_image), (line, col))| Link {
            dest,
            line,
            col,
            kind,
            is_image,
        })
        .collect()
}

/// Which raw HTML attributes are links: `href` and `src`; when sanitizing,
/// only those ammonia keeps (`a href`, `img src`).
#[derive(Clone, Copy)]
enum TagKind {
    A,
    Img,
    Other,
}

impl TagKind {
    fn of(name: &str) -> TagKind {
        if name.eq_ignore_ascii_case("a") {
            TagKind::A
        } else if name.eq_ignore_ascii_case("img") {
            TagKind::Img
        } else {
            TagKind::Other
        }
    }

    fn keeps(self, attribute: &str, sanitize: bool) -> bool {
        let is_href = attribute.eq_ignore_ascii_case("href");
        let is_src = attribute.eq_ignore_ascii_case("src");
        match self {
            _ if !sanitize => is_href || is_src,
            TagKind::A => is_href,
            TagKind::Img => is_src,
            TagKind::Other => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::{InFile, MarkdownOptions, PLAIN, render};

    fn found(md: &str, sanitize: bool) -> Vec<(String, usize, usize, LinkKind)> {
        let opts = MarkdownOptions {
            sanitize,
            chinese_quotes: false,
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
        let md = "<div>\n<a class=b href=\"/a/?x=1&amp;y\">a</a> <iframe src='/f/'></iframe>\n</div>\n\n段 <img\nsrc=/i.png> <!-- <a href=\"/no/\"> -->";
        assert_eq!(
            found(md, true),
            [at("/a/?x=1&y", 2, 18, H), at("/i.png", 6, 5, H)]
        );
        // Left open, the `<iframe>` swallows the rest as text: no `<img>`.
        let open = md.replace("</iframe>", "");
        assert_eq!(found(&open, true), [at("/a/?x=1&y", 2, 18, H)]);
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
