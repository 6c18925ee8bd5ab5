//! Reshaping rendered HTML for a reader that is not a browser on the site:
//! the HTML an entry's page shows is parsed as a fragment (html5ever, the
//! parser of the sanitizer, through `scraper`) and written out again under
//! a [`Shape`]: links made absolute or turned into numbered notes, images
//! pointed elsewhere, `div`s made `section`s and lists kept to two levels
//! for WeChat, ids prefixed so that many entries fit in one document, as
//! HTML or as XHTML. Text is escaped again on the way out, so nothing a
//! writer typed can become markup. This module reshapes what the page
//! shows; which links and images an entry has is the Markdown events'
//! business (`markdown::Link`), and nothing here checks them.

use ego_tree::iter::Edge;
use scraper::{Html, Node};

/// How the HTML is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Syntax {
    Html,
    /// Void elements closed (`<br/>`), text and attributes XML-safe.
    Xhtml,
}

/// One outside link, turned into a numbered note.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub(crate) struct Note {
    pub number: usize,
    pub text: String,
    pub url: String,
}

/// What to do with the HTML.
pub(super) struct Shape<'a> {
    pub syntax: Syntax,
    /// WeChat's editor: sectioning elements become `section`, lists deeper
    /// than two levels become paragraphs, `pre` text keeps its spaces and
    /// line breaks as no-break spaces and `<br>`, links inside the entry
    /// (`#...`) lose their anchor.
    pub wechat: bool,
    /// Outside links become their text plus `[n]`, listed in `notes`.
    pub notes: bool,
    /// Drops every `class` and `id` attribute (after styles were inlined).
    pub strip_classes: bool,
    /// Put before every `id` and `#...` link.
    pub id_prefix: &'a str,
    /// A link's `href` as it should be written (absolute).
    pub link: &'a dyn Fn(&str) -> String,
    /// An image's `src` as it should be written; `None`: the image is left
    /// out and its `alt` text written instead.
    pub image: &'a dyn Fn(&str) -> Option<String>,
}

/// Elements left out with everything inside them.
const DROPPED: &[&str] = &[
    "script", "style", "template", "noscript", "iframe", "object", "embed", "source", "link",
    "meta", "base", "input", "button", "select", "textarea", "form", "head", "title",
];

/// Elements written as their content only.
const UNWRAPPED: &[&str] = &["picture", "html", "body"];

const VOID: &[&str] = &["br", "hr", "img", "wbr", "col", "area", "track"];

/// Elements nested deeper than this are written as their content only: no
/// reader needs more, and the inliner and e-book readers walk the tree
/// recursively (a hostile entry 20,000 `div`s deep would overflow them).
const MAX_DEPTH: usize = 48;

/// WeChat keeps `section` and `p`; these become one of them.
fn wechat_name(name: &str) -> &str {
    match name {
        "div" | "article" | "aside" | "header" | "footer" | "nav" | "main" | "hgroup"
        | "details" | "figure" => "section",
        "figcaption" | "summary" | "address" => "p",
        other => other,
    }
}

/// Attributes never written: they load or run something, or pick among
/// image files that are not there.
fn is_dropped_attribute(name: &str) -> bool {
    name.starts_with("on")
        || matches!(
            name,
            "srcset" | "sizes" | "loading" | "decoding" | "fetchpriority" | "xmlns"
        )
}

/// What closing an element writes.
enum Close {
    Nothing,
    Tag(String),
    /// The end of an outside link: its note number.
    Note(usize),
    /// A list flattened into paragraphs.
    FlatList,
    /// An item of a flattened list.
    FlatItem,
}

/// The reshaped HTML and the notes its outside links became.
pub(super) fn reshape(html: &str, shape: &Shape) -> (String, Vec<Note>) {
    let doc = Html::parse_fragment(html);
    let mut w = Writer {
        shape,
        out: String::with_capacity(html.len() + html.len() / 4),
        notes: Vec::new(),
        link_text: None,
        lists: 0,
        pre: 0,
        flat_open: false,
    };
    let mut closes: Vec<Close> = Vec::new();
    // Iterative (open/close edges): a document nested thousands deep
    // cannot exhaust the stack.
    let mut skipping: Option<ego_tree::NodeId> = None;
    for edge in doc.root_element().traverse() {
        match edge {
            Edge::Open(node) => {
                if skipping.is_some() {
                    continue;
                }
                match node.value() {
                    Node::Text(t) => w.text(&t.text),
                    Node::Element(el) => {
                        let name = el.name();
                        if DROPPED.contains(&name) {
                            skipping = Some(node.id());
                            continue;
                        }
                        let close = if closes.len() >= MAX_DEPTH {
                            Close::Nothing
                        } else {
                            w.open(el)
                        };
                        closes.push(close);
                    }
                    _ => {}
                }
            }
            Edge::Close(node) => {
                if let Some(id) = skipping {
                    if id == node.id() {
                        skipping = None;
                    }
                    continue;
                }
                if node.value().is_element()
                    && let Some(c) = closes.pop()
                {
                    w.close(c);
                }
            }
        }
    }
    (w.out, w.notes)
}

struct Writer<'s, 'a> {
    shape: &'s Shape<'a>,
    out: String,
    notes: Vec<Note>,
    /// The text of the outside link being read.
    link_text: Option<String>,
    /// Lists open (WeChat: how deep).
    lists: usize,
    pre: usize,
    /// A paragraph of a flattened list item is open.
    flat_open: bool,
}

impl Writer<'_, '_> {
    fn text(&mut self, t: &str) {
        if let Some(l) = &mut self.link_text {
            l.push_str(t);
        }
        if self.shape.wechat && self.pre > 0 {
            // The editor collapses white space: keep it as no-break spaces
            // and line breaks.
            let br = self.void("br");
            let mut lines = t.split('\n').peekable();
            while let Some(line) = lines.next() {
                let line = line.replace('\t', "    ").replace(' ', "\u{a0}");
                escape_into(&mut self.out, &line, false, self.shape.syntax);
                if lines.peek().is_some() {
                    self.out.push_str(&br);
                }
            }
            return;
        }
        escape_into(&mut self.out, t, false, self.shape.syntax);
    }

    fn void(&self, name: &str) -> String {
        match self.shape.syntax {
            Syntax::Html => format!("<{name}>"),
            Syntax::Xhtml => format!("<{name}/>"),
        }
    }

    fn open(&mut self, el: &scraper::node::Element) -> Close {
        let shape = self.shape;
        let name = el.name();
        if UNWRAPPED.contains(&name) {
            return Close::Nothing;
        }
        if shape.wechat && matches!(name, "ul" | "ol") {
            self.lists += 1;
            if self.lists > 2 {
                // A paragraph cannot hold the next: the item's text ends here.
                self.end_flat_item();
                return Close::FlatList;
            }
        }
        if shape.wechat && name == "li" && self.lists > 2 {
            self.end_flat_item();
            self.out.push_str("<p>· ");
            self.flat_open = true;
            return Close::FlatItem;
        }
        let mut attrs: Vec<(String, String)> = Vec::new();
        let mut note = None;
        for (k, v) in el.attrs() {
            let k = k.to_ascii_lowercase();
            if is_dropped_attribute(&k) || !is_xml_name(&k) {
                continue;
            }
            if (k == "class" || k == "id") && shape.strip_classes {
                continue;
            }
            let v = match (name, k.as_str()) {
                (_, "id") => format!("{}{v}", shape.id_prefix),
                ("a", "href") => match v.strip_prefix('#') {
                    Some(_) if shape.wechat => continue,
                    Some(frag) => format!("#{}{frag}", shape.id_prefix),
                    None => {
                        let url = (shape.link)(v);
                        if shape.notes && !is_wechat_url(&url) {
                            note = Some(url);
                            continue;
                        }
                        url
                    }
                },
                ("img", "src") => match (shape.image)(v) {
                    Some(src) => src,
                    None => {
                        let alt = el.attr("alt").unwrap_or_default();
                        escape_into(&mut self.out, alt, false, shape.syntax);
                        return Close::Nothing;
                    }
                },
                ("img", "width" | "height") if shape.wechat => continue,
                _ => v.to_string(),
            };
            attrs.push((k, v));
        }
        if let Some(url) = note {
            return self.open_note(url);
        }
        if name == "a" && !attrs.iter().any(|(k, _)| k == "href") {
            // An anchor that leads nowhere any more: its text only.
            return Close::Nothing;
        }
        let name = if shape.wechat {
            wechat_name(name)
        } else {
            name
        };
        if name == "pre" {
            self.pre += 1;
        }
        self.out.push('<');
        self.out.push_str(name);
        for (k, v) in &attrs {
            self.out.push(' ');
            self.out.push_str(k);
            self.out.push_str("=\"");
            escape_into(&mut self.out, v, true, shape.syntax);
            self.out.push('"');
        }
        if VOID.contains(&name) {
            self.out.push_str(if shape.syntax == Syntax::Xhtml {
                "/>"
            } else {
                ">"
            });
            return Close::Nothing;
        }
        self.out.push('>');
        Close::Tag(name.to_string())
    }

    /// An outside link: its text stays, its URL becomes note `n` (one
    /// number per URL).
    fn open_note(&mut self, url: String) -> Close {
        let number = match self.notes.iter().find(|n| n.url == url) {
            Some(n) => n.number,
            None => {
                let number = self.notes.len() + 1;
                self.notes.push(Note {
                    number,
                    text: String::new(),
                    url,
                });
                number
            }
        };
        self.link_text = Some(String::new());
        Close::Note(number)
    }

    fn close(&mut self, c: Close) {
        match c {
            Close::Nothing => {}
            Close::Tag(name) => {
                if name == "pre" {
                    self.pre -= 1;
                }
                if self.shape.wechat && matches!(name.as_str(), "ul" | "ol") {
                    self.lists -= 1;
                }
                self.out.push_str("</");
                self.out.push_str(&name);
                self.out.push('>');
            }
            Close::Note(n) => {
                let text = self.link_text.take().unwrap_or_default();
                if let Some(note) = self.notes.get_mut(n - 1)
                    && note.text.is_empty()
                {
                    note.text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                }
                self.out.push_str(&format!("<sup>[{n}]</sup>"));
            }
            Close::FlatList => self.lists -= 1,
            Close::FlatItem => self.end_flat_item(),
        }
    }

    fn end_flat_item(&mut self) {
        if self.flat_open {
            self.out.push_str("</p>");
            self.flat_open = false;
        }
    }
}

/// Links WeChat's editor keeps: those to other official-account articles.
fn is_wechat_url(url: &str) -> bool {
    url.starts_with("https://mp.weixin.qq.com/") || url.starts_with("http://mp.weixin.qq.com/")
}

/// An attribute name that XML (and so XHTML) accepts.
fn is_xml_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// Escapes text (or a double-quoted attribute value); in XHTML without the
/// characters XML cannot hold at all.
fn escape_into(out: &mut String, s: &str, attr: bool, syntax: Syntax) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attr => out.push_str("&quot;"),
            c if syntax == Syntax::Xhtml
                && (c.is_control() && !matches!(c, '\t' | '\n' | '\r')
                    || matches!(c, '\u{fffe}' | '\u{ffff}')) => {}
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape<'a>(
        wechat: bool,
        link: &'a dyn Fn(&str) -> String,
        image: &'a dyn Fn(&str) -> Option<String>,
    ) -> Shape<'a> {
        Shape {
            syntax: if wechat { Syntax::Html } else { Syntax::Xhtml },
            wechat,
            notes: wechat,
            strip_classes: false,
            id_prefix: if wechat { "" } else { "e1-" },
            link,
            image,
        }
    }

    #[test]
    fn outside_links_become_numbered_notes() {
        let link = |h: &str| format!("https://e.org{h}");
        let image = |s: &str| Some(format!("https://e.org{s}"));
        let (html, notes) = reshape(
            "<p><a href=\"/a/\">甲</a> <a href=\"#fn\">1</a> <a href=\"/a/\">again</a><img src=\"/i.png\" alt=\"x\"></p><div><ul><li>1<ul><li>2<ul><li>3</li></ul></li></ul></li></ul></div>",
            &shape(true, &link, &image),
        );
        assert_eq!(
            html,
            "<p>甲<sup>[1]</sup> 1 again<sup>[1]</sup><img alt=\"x\" src=\"https://e.org/i.png\"></p><section><ul><li>1<ul><li>2<p>· 3</p></li></ul></li></ul></section>"
        );
        assert_eq!(
            notes,
            [Note {
                number: 1,
                text: "甲".into(),
                url: "https://e.org/a/".into()
            }]
        );
    }

    #[test]
    fn xhtml_closes_voids_prefixes_ids_and_escapes_text() {
        let link = |h: &str| h.to_string();
        let image = |_: &str| None;
        let (html, _) = reshape(
            "<h2 id=\"a\" onclick=\"x()\">&lt;b&gt; &amp;</h2><br><a href=\"#a\">up</a><img src=\"/x.png\" alt=\"pic\"><script>alert(1)</script>",
            &shape(false, &link, &image),
        );
        assert_eq!(
            html,
            "<h2 id=\"e1-a\">&lt;b&gt; &amp;</h2><br/><a href=\"#e1-a\">up</a>pic"
        );
    }

    #[test]
    fn nesting_is_bounded() {
        let link = |h: &str| h.to_string();
        let image = |s: &str| Some(s.to_string());
        let deep = format!("{}x{}", "<div>".repeat(5000), "</div>".repeat(5000));
        let (html, _) = reshape(&deep, &shape(true, &link, &image));
        // The fragment's own root (`html`) is one of the levels.
        assert_eq!(html.matches("<section>").count(), MAX_DEPTH - 1);
        assert!(html.contains(">x<"));
    }

    #[test]
    fn wechat_pre_keeps_spaces_and_line_breaks() {
        let link = |h: &str| h.to_string();
        let image = |s: &str| Some(s.to_string());
        let (html, _) = reshape(
            "<pre><code>fn a() {\n  b();\n}</code></pre>",
            &shape(true, &link, &image),
        );
        assert_eq!(
            html,
            "<pre><code>fn\u{a0}a()\u{a0}{<br>\u{a0}\u{a0}b();<br>}</code></pre>"
        );
    }
}
