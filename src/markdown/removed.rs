//! What a document loses on its way to the page, found where it was
//! written: raw HTML elements the sanitizer drops (their text stays), those
//! it drops with their content (`<script>`, `<style>`), event-handler
//! attributes (`onclick`) of elements it keeps, and comments and raw-text
//! elements that are never closed, which swallow everything after them
//! (also without sanitizing: the browser reads the page the same way).
//! What the sanitizer drops is asked of its own policy ([`super::sanitize`]).
//! A complete comment is an author's note and is not reported.

use std::ops::Range;
use std::path::PathBuf;

use pulldown_cmark::{Event, TagEnd};

use super::InFile;
use super::position::{in_source, line_cols};
use super::raw_html::{RawHtml, Token, rendered_html};
use super::sanitize::{drops_attribute, drops_content, drops_element};
use crate::diag::SourceError;

/// Something written in a document that is not published as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removal {
    pub what: Removed,
    /// 1-based line of its `<` (of its name, for an attribute).
    pub line: usize,
    /// 1-based column, in characters.
    pub col: usize,
}

/// What [`Removal`] is about. Element names are lowercase, as the HTML
/// parser reads them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Removed {
    /// An element the sanitizer drops; the text inside it stays.
    Element(String),
    /// An element the sanitizer drops with everything inside it.
    WithContent(String),
    /// An event-handler attribute dropped from an element that stays.
    Handler { element: String, attribute: String },
    /// `<!--` with no `-->` after it.
    UnclosedComment,
    /// An element whose content is raw text (`<script>`, `<style>`,
    /// `<iframe>` …) with no end tag: all that follows is its content,
    /// `hidden`, or else shown as plain text, tags and all.
    Unclosed { element: String, hidden: bool },
}

impl InFile for Removal {
    fn in_file(mut self, first_line: usize, indent: usize) -> Removal {
        self.line += first_line - 1;
        self.col += indent;
        self
    }
}

/// How to publish raw HTML as written, for the warnings about what sanitizing removed.
const UNSAFE_HTML_HINT: &str = "to publish raw HTML as written, set `markdown: { unsafe_html: true }` in site.yaml (only if every author is trusted)";

const UNSAFE_HTML_HINT_ZH: &str = "要照原样发布原始 HTML，在 site.yaml 里写 `markdown: { unsafe_html: true }`（仅当每位作者都可信时）";

impl Removal {
    /// The warning for this removal, located in `path`.
    pub fn warning(&self, path: impl Into<PathBuf>) -> SourceError {
        let unsafe_html = (
            UNSAFE_HTML_HINT.to_string(),
            UNSAFE_HTML_HINT_ZH.to_string(),
        );
        let ((message, message_zh), (hint, hint_zh)) = match &self.what {
            Removed::Element(e) | Removed::WithContent(e) if can_run_script(e) => (
                (
                    format!("<{e}> removed: raw HTML that can run script is not published"),
                    format!("<{e}> 已删除：能运行脚本的原始 HTML 不会发布"),
                ),
                unsafe_html,
            ),
            Removed::Element(e) => (
                (
                    format!(
                        "<{e}> removed: sanitized raw HTML may not hold <{e}> (the text inside it is kept)"
                    ),
                    format!("<{e}> 已删除：经过清理的原始 HTML 里不能有 <{e}>（里面的文字保留）"),
                ),
                unsafe_html,
            ),
            Removed::WithContent(e) => (
                (
                    format!(
                        "<{e}> removed with its content: sanitized raw HTML may not hold <{e}>"
                    ),
                    format!("<{e}> 连同其内容已删除：经过清理的原始 HTML 里不能有 <{e}>"),
                ),
                unsafe_html,
            ),
            Removed::Handler { element, attribute } => (
                (
                    format!(
                        "`{attribute}` removed from <{element}>: raw HTML that can run script is not published"
                    ),
                    format!("已从 <{element}> 删除 `{attribute}`：能运行脚本的原始 HTML 不会发布"),
                ),
                unsafe_html,
            ),
            Removed::UnclosedComment => (
                (
                    "this HTML comment is never closed (no \"-->\"): everything after it is hidden"
                        .to_string(),
                    "这个 HTML 注释没有结束（没有 \"-->\"）：它后面的内容都被隐藏了".to_string(),
                ),
                (
                    "end the comment with \"-->\"".to_string(),
                    "用 \"-->\" 结束这个注释".to_string(),
                ),
            ),
            Removed::Unclosed { element, hidden } => (
                (
                    format!(
                        "<{element}> is never closed (no \"</{element}>\"): everything after it is {}",
                        if *hidden {
                            "hidden"
                        } else {
                            "shown as plain text, tags and all"
                        }
                    ),
                    format!(
                        "<{element}> 没有结束（没有 \"</{element}>\"）：它后面的内容{}",
                        if *hidden {
                            "都被隐藏了"
                        } else {
                            "连同标签都显示为纯文本"
                        }
                    ),
                ),
                (
                    format!("end it with \"</{element}>\""),
                    format!("用 \"</{element}>\" 结束它"),
                ),
            ),
        };
        SourceError::at(path, self.line, self.col, message)
            .hint(hint)
            .zh(message_zh)
            .zh_hint(hint_zh)
    }
}

/// Elements that run script or load a page that can, named as such.
fn can_run_script(element: &str) -> bool {
    matches!(
        element,
        "script" | "iframe" | "frame" | "frameset" | "object" | "embed" | "applet" | "svg"
    )
}

/// Everything in `parsed` that the page will not show as written, in
/// document order. Without `sanitize` that is only what an unclosed
/// comment or raw-text element swallows. One pass over the raw HTML; a
/// document without any costs one look at each event.
pub(super) fn collect(src: &str, parsed: &[(Event, Range<usize>)], sanitize: bool) -> Vec<Removal> {
    let mut finder = Finder {
        sanitize,
        ..Finder::default()
    };
    let mut html = RawHtml::default();
    for (ev, range) in parsed {
        if let Some(h) = rendered_html(ev) {
            let at = in_source(src, range, h);
            html.scan(h, |token| finder.token(token, &at));
        } else if matches!(ev, Event::End(TagEnd::HtmlBlock)) {
            // What a block's end yields (raw text opening) has no offset.
            html.end_block(|token| finder.token(token, &|_| 0));
        }
    }
    let found = finder.finish();
    let offsets: Vec<usize> = found.iter().map(|f| f.0).collect();
    found
        .into_iter()
        .zip(line_cols(src, &offsets))
        .map(|((_, what), (line, col))| Removal { what, line, col })
        .collect()
}

/// The state of [`collect`] between tokens.
#[derive(Default)]
struct Finder {
    sanitize: bool,
    /// Byte offset of each removal in the Markdown.
    found: Vec<(usize, Removed)>,
    /// The start tag being read.
    tag: Option<OpenTag>,
    /// That tag, once it opened raw text that is not closed yet.
    raw: Option<OpenTag>,
    /// Offset of the comment open.
    comment: Option<usize>,
}

struct OpenTag {
    at: usize,
    /// Lowercase.
    name: String,
    /// Whether the sanitizer keeps the element.
    kept: bool,
    /// How many removals were found before it.
    before: usize,
}

impl Finder {
    fn token(&mut self, token: Token, at: &dyn Fn(usize) -> usize) {
        match token {
            Token::Start { at: i, name } => {
                let name = name.to_ascii_lowercase();
                let before = self.found.len();
                let dropped = if !self.sanitize {
                    None
                } else if drops_content(&name) {
                    Some(Removed::WithContent(name.clone()))
                } else if drops_element(&name) {
                    Some(Removed::Element(name.clone()))
                } else {
                    None
                };
                let kept = dropped.is_none();
                if let Some(d) = dropped {
                    self.found.push((at(i), d));
                }
                self.tag = Some(OpenTag {
                    at: at(i),
                    name,
                    kept,
                    before,
                });
            }
            Token::Attr { at: i, name, .. } => {
                if let Some(OpenTag {
                    name: element,
                    kept: true,
                    ..
                }) = &self.tag
                    && self.sanitize
                    && name.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("on"))
                    && drops_attribute(element, name)
                {
                    self.found.push((
                        at(i),
                        Removed::Handler {
                            element: element.clone(),
                            attribute: name.to_ascii_lowercase(),
                        },
                    ));
                }
            }
            Token::RawText => self.raw = self.tag.take(),
            Token::RawTextEnd => self.raw = None,
            Token::CommentStart { at: i } => self.comment = Some(at(i)),
            Token::CommentEnd => self.comment = None,
        }
    }

    /// What was found, with what is still open at the end of the document.
    fn finish(mut self) -> Vec<(usize, Removed)> {
        if let Some(OpenTag {
            at,
            name: element,
            before,
            ..
        }) = self.raw
        {
            // Nothing can follow; the element's own removal says less.
            self.found.truncate(before);
            let hidden = if self.sanitize {
                drops_content(&element)
            } else {
                // The browser shows these two as text; the rest it hides.
                !matches!(element.as_str(), "textarea" | "xmp")
            };
            self.found.push((at, Removed::Unclosed { element, hidden }));
        }
        if let Some(at) = self.comment {
            self.found.push((at, Removed::UnclosedComment));
        }
        self.found
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::{InFile, MarkdownOptions, PLAIN, render};

    const UNSAFE: MarkdownOptions<'static> = MarkdownOptions {
        chinese_quotes: false,
        sanitize: false,
        root: "/",
    };

    fn found(md: &str, opts: &MarkdownOptions) -> Vec<(Removed, usize, usize)> {
        render(md, opts)
            .removed
            .into_iter()
            .map(|r| (r.what, r.line, r.col))
            .collect()
    }

    fn element(e: &str) -> Removed {
        Removed::Element(e.to_string())
    }

    fn with_content(e: &str) -> Removed {
        Removed::WithContent(e.to_string())
    }

    fn unclosed(e: &str, hidden: bool) -> Removed {
        Removed::Unclosed {
            element: e.to_string(),
            hidden,
        }
    }

    #[test]
    fn an_unclosed_comment_is_found_where_it_starts() {
        let md = "导语。\n\n正文，<!-- 备注 -->继续。\n\n<!-- 草稿\n\n被藏起来的段落。\n\n- 列表";
        let r = render(md, &PLAIN);
        assert!(!r.html.contains("被藏起来"), "{}", r.html);
        assert_eq!(
            found(md, &PLAIN),
            [(Removed::UnclosedComment, 5, 1)],
            "the complete comment is a note, not reported"
        );
        // The browser hides the rest just the same.
        assert_eq!(found(md, &UNSAFE), [(Removed::UnclosedComment, 5, 1)]);
        // A comment is closed only by raw HTML: a `-->` in the text after
        // the list that held the comment is escaped, no end; nor is the
        // `<!-- more -->` the renderer drops.
        let md = "- <!-- 甲\n\n乙 -->\n\n丙";
        assert!(!render(md, &PLAIN).html.contains('丙'));
        assert_eq!(found(md, &PLAIN), [(Removed::UnclosedComment, 1, 3)]);
        assert_eq!(
            found("<!-- 甲\n<!-- more -->\n乙", &PLAIN),
            [(Removed::UnclosedComment, 1, 1)]
        );
        // Opened in a block quote, it runs on past the quote.
        assert_eq!(
            found("> 引文 <b>x</b>\n>\n> <!-- 甲\n\n乙", &PLAIN),
            [(Removed::UnclosedComment, 3, 3)]
        );
    }

    #[test]
    fn script_and_style_are_found_with_their_content() {
        let md = "甲\n\n<script>alert(1)</script>\n\n乙<STYLE>p { color: red }</style>丙";
        let r = render(md, &PLAIN);
        assert!(!r.html.contains("alert") && !r.html.contains("color"));
        assert_eq!(
            found(md, &PLAIN),
            [
                (with_content("script"), 3, 1),
                (with_content("style"), 5, 2)
            ]
        );
        // Not sanitizing, nothing is removed.
        assert_eq!(found(md, &UNSAFE), []);
    }

    #[test]
    fn unclosed_script_and_style_swallow_the_rest() {
        let md = "正文<script>alert(1)\n\n段落\n\n<a href=\"/x/\" onclick=\"y\">链接</a>";
        let r = render(md, &PLAIN);
        assert!(!r.html.contains("段落"), "{}", r.html);
        assert_eq!(found(md, &PLAIN), [(unclosed("script", true), 1, 3)]);
        assert_eq!(found(md, &UNSAFE), [(unclosed("script", true), 1, 3)]);
        assert_eq!(
            found("甲\n\n<style>\np {}\n\n乙", &PLAIN),
            [(unclosed("style", true), 3, 1)]
        );
        // An `<iframe>` left open turns the rest into text, tags and all.
        let md = "甲 <iframe src=\"https://v.example/1\">\n\n**乙**";
        assert!(render(md, &PLAIN).html.contains("&lt;strong&gt;"));
        assert_eq!(found(md, &PLAIN), [(unclosed("iframe", false), 1, 3)]);
        assert_eq!(found(md, &UNSAFE), [(unclosed("iframe", true), 1, 3)]);
    }

    #[test]
    fn dropped_elements_are_found_in_blocks_and_paragraphs() {
        // Columns count characters: `<` follows three CJK characters.
        let md = "第一段。\n\n记者：<iframe src=\"https://v.example/1\">视频</iframe>\n\n<div>\n<object data=x></object><embed src=y>\n<form action=/z><video src=v.mp4>片</video></form>\n</div>";
        let r = render(md, &PLAIN);
        assert!(
            r.html.contains("视频") && r.html.contains('片'),
            "{}",
            r.html
        );
        assert!(!r.html.contains("<iframe"), "{}", r.html);
        assert_eq!(
            found(md, &PLAIN),
            [
                (element("iframe"), 3, 4),
                (element("object"), 6, 1),
                (element("embed"), 6, 25),
                (element("form"), 7, 1),
                (element("video"), 7, 17),
            ]
        );
        // The text of an `<iframe>` is read as text: no `<script>` in it.
        assert_eq!(
            found("<iframe><script>x()</script></iframe>", &PLAIN),
            [(element("iframe"), 1, 1)]
        );
    }

    #[test]
    fn event_handlers_are_found_on_kept_elements() {
        let md = "正文<b onclick=\"x()\">粗体</b>\n\n<img src=\"/a.png\"\n  ONERROR=alert(1) alt=\"图\">";
        assert_eq!(
            found(md, &PLAIN),
            [
                (
                    Removed::Handler {
                        element: "b".into(),
                        attribute: "onclick".into()
                    },
                    1,
                    6
                ),
                (
                    Removed::Handler {
                        element: "img".into(),
                        attribute: "onerror".into()
                    },
                    4,
                    3
                ),
            ]
        );
        // On an element that is dropped anyway, the element says it all.
        assert_eq!(
            found("<embed src=x onload=y>", &PLAIN),
            [(element("embed"), 1, 1)]
        );
    }

    #[test]
    fn what_is_kept_is_not_reported() {
        let md = "甲<br>乙 <span class=\"note\">注</span> <!-- 备注 -->\n\n<!-- more -->\n\n<div class=\"x\">\n<a href=\"/a/\" title=\"t\">a</a> <img src=\"/i.png\" alt=\"i\">\n</div>\n\n<details open><summary>s</summary>d</details> <!---->";
        assert_eq!(found(md, &PLAIN), []);
        assert_eq!(found(md, &UNSAFE), []);
        assert_eq!(found("没有 HTML", &PLAIN), []);
    }

    #[test]
    fn warnings_name_what_was_removed_and_how_to_keep_it() {
        let r = render("甲\n\n<script>x()</script>\n\n<!-- 乙", &PLAIN);
        let shown: Vec<String> = r
            .removed
            .into_iter()
            .map(|r| r.in_file(7, 0).warning("content/diary/a.md").to_string())
            .collect();
        assert_eq!(
            shown,
            [
                "content/diary/a.md:9:1: <script> removed: raw HTML that can run script is not published\n  hint: to publish raw HTML as written, set `markdown: { unsafe_html: true }` in site.yaml (only if every author is trusted)",
                "content/diary/a.md:11:1: this HTML comment is never closed (no \"-->\"): everything after it is hidden\n  hint: end the comment with \"-->\"",
            ]
        );
        let w = |what| {
            Removal {
                what,
                line: 1,
                col: 2,
            }
            .warning("p.md")
            .message
        };
        assert_eq!(
            w(element("video")),
            "<video> removed: sanitized raw HTML may not hold <video> (the text inside it is kept)"
        );
        assert_eq!(
            w(with_content("style")),
            "<style> removed with its content: sanitized raw HTML may not hold <style>"
        );
        assert_eq!(
            w(Removed::Handler {
                element: "b".into(),
                attribute: "onclick".into()
            }),
            "`onclick` removed from <b>: raw HTML that can run script is not published"
        );
        assert_eq!(
            w(unclosed("textarea", false)),
            "<textarea> is never closed (no \"</textarea>\"): everything after it is shown as plain text, tags and all"
        );
    }
}
