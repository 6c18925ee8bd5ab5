//! Markdown rendering: this module owns turning an entry body into HTML (via
//! pulldown-cmark, with tables, footnotes, strikethrough, task lists and
//! heading attributes) — the options, the [`Rendered`] outputs and the
//! [`render`] entry point that runs the passes in order. Each pass lives in
//! its own file: [`cjk`] re-pairs emphasis the CJK-friendly way, [`events`]
//! gives headings ids, prefixes links with the site root, turns task markers
//! into text and finds the `<!-- more -->` split, [`links`] records every
//! link and image with its position, [`removed`] what the page will not
//! show as written (what sanitizing drops, comments never closed), both
//! reading raw HTML with [`raw_html`] and locating it with [`position`],
//! [`sanitize`] holds the ammonia policy and URL allow-list, [`text`]
//! derives plain text, summaries and reading time, and [`unicode`] has the
//! character tables they share.

mod cjk;
mod copy;
mod events;
mod links;
mod position;
mod quotes;
mod raw_html;
mod removed;
mod sanitize;
mod text;
mod unicode;

use std::borrow::Cow;
use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, html};

use cjk::cjk_emphasis;
pub use copy::{CopyProblem, lint as lint_copy};
use events::{Finished, finish_events, heading_ids};
pub use events::{ImageHook, ImageRef};
pub use links::{Link, LinkKind};
pub use quotes::Quotes;
pub use removed::{Removal, Removed};
use sanitize::SANITIZER;
use text::plain_text;
pub use text::{reading_minutes, truncate_text};
// Where render/sitemap.rs still looks for it; the escaper lives in `html`.
pub(crate) use crate::html::escape_html;

/// How [`render`] treats links and raw HTML.
#[derive(Debug, Clone, Copy)]
pub struct MarkdownOptions<'a> {
    /// Sanitize raw HTML with ammonia (true unless site.yaml says markdown.unsafe_html: true).
    pub sanitize: bool,
    /// Straight quotes in text become Chinese quotation marks (“” ‘’): a
    /// zh-CN site, unless site.yaml says `markdown: { chinese_quotes: false }`.
    pub chinese_quotes: bool,
    /// Path prefix of the site, e.g. "/" or "/column/"; links and images whose destination starts with a single '/' (not '//') get it: "/people/wu-yang/" -> "/column/people/wu-yang/".
    pub root: &'a str,
}

/// The outputs of [`render`] for one Markdown document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// The whole body as HTML.
    pub html: String,
    /// Plain text of the body (no tags, entities decoded, whitespace collapsed) — used for summaries, search and reading time.
    pub text: String,
    /// What a summary is cut from, as plain text: the part before
    /// `<!-- more -->` when the marker is present, else the first paragraph
    /// (or the first block with text).
    pub lead: String,
    /// Every link and image destination, with its line and column in
    /// `markdown` (in document order; raw HTML `href`/`src` included, only
    /// those the sanitizer keeps when sanitizing). Positions are relative to
    /// `markdown`; sources move them into their file ([`InFile`]).
    pub links: Vec<Link>,
    /// What the page will not show as written, with its line and column in
    /// `markdown`, in document order: with `opts.sanitize`, the raw HTML
    /// the sanitizer drops; always, the comments and raw-text elements
    /// (`<script>` …) never closed, which swallow everything after them.
    pub removed: Vec<Removal>,
}

/// Something located in a document, moved into the file that holds it.
pub trait InFile {
    /// The same thing with its position moved into the file: `first_line`
    /// is the file line of the document's first line, `indent` the
    /// characters stripped from the start of every line (a YAML block
    /// scalar's indentation).
    #[must_use]
    fn in_file(self, first_line: usize, indent: usize) -> Self;
}

/// Renders `markdown` to HTML, plain text and the lead a summary is cut
/// from, and lists the links and images it contains where they were written.
///
/// Beyond CommonMark + GFM tables/footnotes/strikethrough/task lists and
/// `{#id}` heading attributes:
/// * `**`/`*`/`__`/`_` runs touching CJK text follow the CJK-friendly flanking
///   amendment, so `**记者：**正文` is bold;
/// * a soft line break between two CJK characters renders as nothing;
/// * every heading gets a unique `id` (explicit `{#id}`, else the slug of its
///   text, else `section`; repeats get `-1`, `-2`, …);
/// * link and image targets starting with a single `/` get `opts.root`;
/// * task-list items start with `<span class="task task-done">☑</span>` (or
///   `task-open` and `☐`) rather than a disabled checkbox, which would be a
///   form control without a label;
/// * with `opts.sanitize`, documents containing raw HTML go through ammonia,
///   and Markdown links with script-capable URL schemes are unlinked.
pub fn render(markdown: &str, opts: &MarkdownOptions) -> Rendered {
    render_with_images(markdown, opts, &|_| None)
}

/// [`render`], with each Markdown image that `images` gives HTML for
/// replaced by that HTML (the image pipeline's `<picture>`; see
/// `images::body`). The HTML is the hook's to make safe; it is sanitized
/// with the rest when the document has raw HTML.
pub fn render_with_images(markdown: &str, opts: &MarkdownOptions, images: &ImageHook) -> Rendered {
    let mut parser = Parser::new_ext(markdown, parser_options()).into_offset_iter();
    let parsed: Vec<(Event<'_>, Range<usize>)> = parser.by_ref().collect();
    let links = links::collect(
        markdown,
        &parsed,
        parser.reference_definitions(),
        opts.sanitize,
    );
    let removed = removed::collect(markdown, &parsed, opts.sanitize);
    let mut events = cjk_emphasis(markdown, parsed);
    if opts.chinese_quotes {
        quotes::curl_events(&mut events);
    }
    let ids = heading_ids(&events);
    let Finished {
        events,
        more_at,
        has_raw_html,
    } = finish_events(events, opts, ids, images);

    let (text, first_paragraph) = plain_text(&events);
    let lead = match more_at {
        Some(at) => plain_text(&events[..at]).0,
        None => first_paragraph,
    };
    // Rendered HTML is usually a bit longer than its source.
    let mut html = String::with_capacity(markdown.len() + markdown.len() / 2 + 16);
    html::push_html(&mut html, events.into_iter());

    // Skipping ammonia when there is no raw HTML is the common, fast path:
    // everything else pulldown-cmark emits is escaped, and unsafe link
    // schemes were already neutralised in `finish_events`.
    if opts.sanitize && has_raw_html {
        html = SANITIZER.clean(&html).to_string();
    }
    // Control characters pasted into the body are dropped from every output
    // (pages, feeds, search) here, once; positions in `links` stay those of
    // the source.
    let clean = |s: String| match crate::text::without_forbidden(&s) {
        Cow::Borrowed(_) => s,
        Cow::Owned(o) => o,
    };
    // The body and its text are kept for the whole build (100k entries:
    // hundreds of megabytes): exactly as long as they are, not with the
    // room the growing buffers left (up to as much again).
    let exact = |s: String| {
        if s.capacity() - s.len() > 64 {
            s.as_str().to_owned()
        } else {
            s
        }
    };
    Rendered {
        html: exact(clean(html)),
        text: exact(clean(text)),
        lead: clean(lead),
        links,
        removed,
    }
}

fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

#[cfg(test)]
const PLAIN: MarkdownOptions<'static> = MarkdownOptions {
    chinese_quotes: false,
    sanitize: true,
    root: "/",
};

#[cfg(test)]
fn html(md: &str) -> String {
    render(md, &PLAIN).html
}

#[cfg(test)]
mod tests {
    use super::*;

    // --- GFM features ---

    #[test]
    fn tables_render() {
        assert_eq!(
            html("| a | b |\n|:-|-:|\n| 1 | 2 |"),
            "<table><thead><tr><th style=\"text-align: left\">a</th><th style=\"text-align: right\">b</th></tr></thead><tbody>\n<tr><td style=\"text-align: left\">1</td><td style=\"text-align: right\">2</td></tr>\n</tbody></table>\n"
        );
    }

    #[test]
    fn footnotes_render() {
        assert_eq!(
            html("正文[^1]\n\n[^1]: 注释"),
            "<p>正文<sup class=\"footnote-reference\"><a href=\"#1\">1</a></sup></p>\n<div class=\"footnote-definition\" id=\"1\"><sup class=\"footnote-definition-label\">1</sup>\n<p>注释</p>\n</div>\n"
        );
    }

    #[test]
    fn task_lists_and_strikethrough_render() {
        assert_eq!(
            html("- [x] 完成\n- [ ] ~~取消~~"),
            "<ul>\n<li><span class=\"task task-done\">☑</span> 完成</li>\n<li><span class=\"task task-open\">☐</span> <del>取消</del></li>\n</ul>\n"
        );
        // The box is a mark, not a word: summaries and search snippets
        // leave it out.
        assert_eq!(render("- [x] 完成\n- [ ] 待办", &PLAIN).text, "完成 待办");
        // In a loose list the marker is inside the paragraph.
        assert_eq!(
            html("- [ ] 一\n\n- [x] 二"),
            "<ul>\n<li>\n<p><span class=\"task task-open\">☐</span> 一</p>\n</li>\n<li>\n<p><span class=\"task task-done\">☑</span> 二</p>\n</li>\n</ul>\n"
        );
    }

    #[test]
    fn code_block_language_class() {
        assert_eq!(
            html("```rust\nfn main() {}\n```"),
            "<pre><code class=\"language-rust\">fn main() {}\n</code></pre>\n"
        );
    }

    #[test]
    fn never_panics_on_odd_input() {
        let inputs = [
            "",
            "*",
            "**",
            "_",
            "\\",
            "\\*",
            "**\u{0}**",
            "*\u{200f}*中",
            "中*\u{fe00}*文",
            "[**注：**](javascript:x)正",
            "~~**注：~~**正",
            "| **注：** |\n|-|\n| **注：**正 |",
            "<!-- more",
            "<div>\n<!-- more -->\n</div>",
            "<script>",
            "&#0; &#xFFFFFFFF; &#99999999999; &bogus;",
            "<a href='x'>\u{1F468}\u{200D}\u{1F469}</a>",
            "<div>\n<a 中=1 é='x\n<!--",
            "<div>\n<script\n\n</scrip",
            "<div>\n<b title=\"\n\n\"",
            "<div>\n</\n<!-\n<?\n<!x\n<a\u{0}=>",
            "- <style>\n\n</style x>",
        ];
        for md in inputs {
            let r = render(md, &PLAIN);
            let _ = truncate_text(&r.text, 3);
            let _ = reading_minutes(&r.text);
        }
    }
}
