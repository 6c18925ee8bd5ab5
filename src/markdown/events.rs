//! The final event pass over the parsed document: unique heading ids, the
//! site root on link and image targets, task-list markers as text, soft
//! breaks that vanish between CJK characters, the `<!-- more -->` split and
//! rendering the part before it. It does not sanitize (see `sanitize`).

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::MarkdownOptions;
use super::sanitize::{is_harmless_attr, is_safe_url};
use super::unicode::{is_cjk, is_hangul};
use crate::slug::slugify;

/// Unique ids for the document's headings, in order.
pub(super) fn heading_ids(events: &[Event]) -> Vec<String> {
    let explicit: HashSet<&str> = events
        .iter()
        .filter_map(|ev| match ev {
            Event::Start(Tag::Heading { id: Some(id), .. }) if !id.is_empty() => Some(id.as_ref()),
            _ => None,
        })
        .collect();
    let mut used: HashSet<String> = HashSet::new();
    // Next suffix to try per base, so many equal headings stay linear.
    let mut next_suffix: HashMap<String, usize> = HashMap::new();
    let mut ids = Vec::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { id, .. }) = &events[i] {
            let mut text = String::new();
            i += 1;
            while let Some(ev) = events.get(i) {
                match ev {
                    Event::End(TagEnd::Heading(_)) => break,
                    Event::Text(t) | Event::Code(t) => text.push_str(t),
                    Event::SoftBreak | Event::HardBreak => text.push(' '),
                    _ => {}
                }
                i += 1;
            }
            let chosen = match id.as_deref().filter(|id| !id.is_empty()) {
                Some(id) if !used.contains(id) => id.to_string(),
                Some(id) => with_suffix(id, &used, &explicit, &mut next_suffix),
                None => {
                    let slug = slugify(&text);
                    let base = if slug.is_empty() { "section" } else { &slug };
                    // Auto ids also avoid explicit ids used later on.
                    if used.contains(base) || explicit.contains(base) {
                        with_suffix(base, &used, &explicit, &mut next_suffix)
                    } else {
                        base.to_string()
                    }
                }
            };
            used.insert(chosen.clone());
            ids.push(chosen);
        }
        i += 1;
    }
    ids
}

fn with_suffix(
    base: &str,
    used: &HashSet<String>,
    explicit: &HashSet<&str>,
    next_suffix: &mut HashMap<String, usize>,
) -> String {
    let n = next_suffix.entry(base.to_string()).or_insert(1);
    loop {
        let candidate = format!("{base}-{n}");
        *n += 1;
        if !used.contains(&candidate) && !explicit.contains(candidate.as_str()) {
            return candidate;
        }
    }
}

pub(super) struct Finished<'a> {
    pub(super) events: Vec<Event<'a>>,
    /// Index in `events` where `<!-- more -->` was.
    pub(super) more_at: Option<usize>,
    pub(super) has_raw_html: bool,
}

/// Final event pass: heading ids, link targets, CJK soft breaks, the more
/// marker, images the `images` hook replaces, and the raw-HTML check.
pub(super) fn finish_events<'a>(
    mut events: Vec<Event<'a>>,
    opts: &MarkdownOptions,
    ids: Vec<String>,
    images: &ImageHook,
) -> Finished<'a> {
    // Markdown images seen so far (the hook's `n`).
    let mut images_seen = 0;
    let mut out: Vec<Event<'a>> = Vec::with_capacity(events.len());
    let mut ids = ids.into_iter();
    let mut more_at = None;
    let mut has_raw_html = false;
    // One entry per open Link/Image: whether we dropped its tags.
    let mut dropped: Vec<bool> = Vec::new();
    let root = opts.root.trim_end_matches('/');
    let mut i = 0;
    while i < events.len() {
        // Take ownership without shifting the vector; the placeholder is
        // never read because lookahead only inspects later indices.
        let ev = std::mem::replace(&mut events[i], Event::HardBreak);
        i += 1;
        match ev {
            Event::SoftBreak => {
                let prev = last_char_back(&out);
                let next = first_char_ahead(&events[i..]);
                if !joins_without_space(prev, next) {
                    out.push(Event::SoftBreak);
                }
            }
            Event::Start(Tag::HtmlBlock)
                if matches!(events.get(i), Some(Event::Html(h)) if is_more_marker(h))
                    && matches!(events.get(i + 1), Some(Event::End(TagEnd::HtmlBlock))) =>
            {
                more_at.get_or_insert(out.len());
                i += 2;
            }
            Event::Html(h) | Event::InlineHtml(h) if is_more_marker(&h) => {
                more_at.get_or_insert(out.len());
            }
            Event::Html(_) | Event::InlineHtml(_) => {
                has_raw_html = true;
                out.push(ev);
            }
            Event::Start(Tag::Heading {
                level,
                id: _,
                classes,
                mut attrs,
            }) => {
                if opts.sanitize {
                    // `{onclick=…}` would otherwise bypass sanitizing, which
                    // only runs on documents with raw HTML.
                    attrs.retain(|(key, _)| is_harmless_attr(key));
                }
                let id = ids.next().map(CowStr::from);
                out.push(Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                }));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                if opts.sanitize && !is_safe_url(&dest_url) {
                    dropped.push(true);
                } else {
                    dropped.push(false);
                    out.push(Event::Start(Tag::Link {
                        link_type,
                        dest_url: with_root(root, dest_url),
                        title,
                        id,
                    }));
                }
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let n = images_seen;
                images_seen += 1;
                let (alt, end) = alt_text(&events[i..]);
                let image = ImageRef {
                    dest: &dest_url,
                    alt: &alt,
                    title: &title,
                    n,
                };
                if let Some(html) = images(&image) {
                    // The hook's HTML stands for the image and its alt text.
                    out.push(Event::InlineHtml(CowStr::from(html)));
                    i += end + 1;
                    continue;
                }
                if opts.sanitize && !is_safe_url(&dest_url) {
                    // The alt text stays, as plain text.
                    dropped.push(true);
                } else {
                    dropped.push(false);
                    out.push(Event::Start(Tag::Image {
                        link_type,
                        dest_url: with_root(root, dest_url),
                        title,
                        id,
                    }));
                }
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                if !dropped.pop().unwrap_or(false) {
                    out.push(ev);
                }
            }
            // pulldown-cmark would emit `<input disabled type="checkbox">`: a
            // form control without a label, which screen readers announce as
            // an unnamed checkbox (and Lighthouse and axe flag). A ballot box
            // character says the same thing, is read out, and needs no form;
            // the span lets a theme hang it where the list bullet was.
            Event::TaskListMarker(done) => {
                out.push(Event::InlineHtml(CowStr::Borrowed(if done {
                    TASK_DONE
                } else {
                    TASK_OPEN
                })));
            }
            other => out.push(other),
        }
    }
    Finished {
        events: out,
        more_at,
        has_raw_html,
    }
}

/// A Markdown image as the image hook of [`super::render_with_images`] sees it.
#[derive(Debug)]
pub struct ImageRef<'a> {
    /// The destination as written (escapes resolved, no site root added).
    pub dest: &'a str,
    /// The alt text, as plain text.
    pub alt: &'a str,
    /// The title (`![alt](src "title")`), or empty.
    pub title: &'a str,
    /// Which image of the document it is (0-based, every Markdown image counted).
    pub n: usize,
}

/// HTML to put in place of an image, or `None` to render it as written.
pub type ImageHook<'h> = dyn Fn(&ImageRef) -> Option<String> + Sync + 'h;

/// The plain text of an image's alt events (`events` starts after its
/// `Start`), and the index in `events` of its `End`.
fn alt_text(events: &[Event]) -> (String, usize) {
    let mut alt = String::new();
    let mut depth = 0usize;
    for (k, ev) in events.iter().enumerate() {
        match ev {
            Event::Start(_) => depth += 1,
            Event::End(TagEnd::Image) if depth == 0 => return (alt, k),
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Text(t) | Event::Code(t) => alt.push_str(t),
            Event::SoftBreak | Event::HardBreak => alt.push(' '),
            _ => {}
        }
    }
    (alt, events.len())
}

/// What a task-list item starts with: `- [x]` and `- [ ]`.
pub(super) const TASK_DONE: &str = "<span class=\"task task-done\">\u{2611}</span> ";
pub(super) const TASK_OPEN: &str = "<span class=\"task task-open\">\u{2610}</span> ";

/// `<!-- more -->`, however spaced or capitalised, alone in its event.
pub(super) fn is_more_marker(html: &str) -> bool {
    html.trim()
        .strip_prefix("<!--")
        .and_then(|s| s.strip_suffix("-->"))
        .is_some_and(|s| s.trim().eq_ignore_ascii_case("more"))
}

/// Prefixes site-absolute paths (one leading `/`, not `//host`) with the root.
fn with_root<'a>(root: &str, dest: CowStr<'a>) -> CowStr<'a> {
    if !root.is_empty() && dest.starts_with('/') && !dest.starts_with("//") {
        CowStr::from(format!("{root}{dest}"))
    } else {
        dest
    }
}

/// Last character of the text before a soft break, looking through inline
/// markup such as `**` or link tags (bounded, so this stays O(1)).
fn last_char_back(out: &[Event]) -> Option<char> {
    for ev in out.iter().rev().take(8) {
        match ev {
            Event::Text(t) | Event::Code(t) => return t.chars().next_back(),
            ev if is_transparent(ev) => continue,
            _ => return None,
        }
    }
    None
}

fn first_char_ahead(events: &[Event]) -> Option<char> {
    for ev in events.iter().take(8) {
        match ev {
            Event::Text(t) | Event::Code(t) => return t.chars().next(),
            ev if is_transparent(ev) => continue,
            _ => return None,
        }
    }
    None
}

fn is_transparent(ev: &Event) -> bool {
    matches!(
        ev,
        Event::Start(Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. })
            | Event::End(TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link)
    )
}

/// Whether a soft break between `prev` and `next` should vanish. Follows the
/// CSS Text segment-break rule: both sides East Asian wide, except Hangul
/// (Korean separates words with spaces). Curly quotes, `…`, `—` and `·` are
/// "ambiguous width": they count as CJK only next to an unambiguous CJK
/// character, so `“致敬”\n他们` joins but English `“a”\n“b”` keeps its space.
fn joins_without_space(prev: Option<char>, next: Option<char>) -> bool {
    let (Some(p), Some(n)) = (prev, next) else {
        return false;
    };
    let wide = |c: char| is_cjk(c) && !is_hangul(c);
    let ambiguous = |c: char| {
        matches!(
            c,
            '\u{2018}'
                | '\u{2019}'
                | '\u{201C}'
                | '\u{201D}'
                | '\u{2026}'
                | '\u{2014}'
                | '\u{00B7}'
        )
    };
    (wide(p) && wide(n)) || (wide(p) && ambiguous(n)) || (ambiguous(p) && wide(n))
}

#[cfg(test)]
mod tests {
    use crate::markdown::{MarkdownOptions, PLAIN, html, render};

    // --- soft breaks ---

    #[test]
    fn soft_break_between_cjk_vanishes() {
        assert_eq!(html("第一行\n第二行"), "<p>第一行第二行</p>\n");
        assert_eq!(html("他说：\n“你好”"), "<p>他说：“你好”</p>\n");
        assert_eq!(
            html("**第一行**\n第二行"),
            "<p><strong>第一行</strong>第二行</p>\n"
        );
        assert_eq!(render("第一行\n第二行", &PLAIN).text, "第一行第二行");
    }

    #[test]
    fn soft_break_elsewhere_stays() {
        assert_eq!(html("English\nline"), "<p>English\nline</p>\n");
        assert_eq!(html("中文\nEnglish"), "<p>中文\nEnglish</p>\n");
        assert_eq!(html("English\n中文"), "<p>English\n中文</p>\n");
        assert_eq!(html("“a”\n“b”"), "<p>“a”\n“b”</p>\n");
        assert_eq!(html("한국어\n문장"), "<p>한국어\n문장</p>\n");
        assert_eq!(render("中文\nEnglish", &PLAIN).text, "中文 English");
    }

    // --- headings ---

    #[test]
    fn heading_ids_from_text() {
        assert_eq!(html("## 第一天"), "<h2 id=\"di-yi-tian\">第一天</h2>\n");
        assert_eq!(
            html("# Hello, World!"),
            "<h1 id=\"hello-world\">Hello, World!</h1>\n"
        );
        assert_eq!(html("## ???"), "<h2 id=\"section\">???</h2>\n");
        assert_eq!(
            html("## `code` *x*"),
            "<h2 id=\"code-x\"><code>code</code> <em>x</em></h2>\n"
        );
    }

    #[test]
    fn heading_ids_are_unique() {
        assert_eq!(
            html("## 第一天\n\n## 第一天\n\n## 第一天\n\n## ?\n\n## !"),
            "<h2 id=\"di-yi-tian\">第一天</h2>\n<h2 id=\"di-yi-tian-1\">第一天</h2>\n<h2 id=\"di-yi-tian-2\">第一天</h2>\n<h2 id=\"section\">?</h2>\n<h2 id=\"section-1\">!</h2>\n"
        );
    }

    #[test]
    fn explicit_heading_ids_win() {
        assert_eq!(
            html("## Intro\n\n## 导语 {#intro}\n\n## x {#intro}"),
            "<h2 id=\"intro-1\">Intro</h2>\n<h2 id=\"intro\">导语</h2>\n<h2 id=\"intro-2\">x</h2>\n"
        );
        assert_eq!(
            html("## T {#my-id .wide}"),
            "<h2 id=\"my-id\" class=\"wide\">T</h2>\n"
        );
    }

    #[test]
    fn heading_attributes_are_filtered_when_sanitizing() {
        assert_eq!(
            html("## T {onclick=alert(1) data-x=1}"),
            "<h2 id=\"t\" data-x=\"1\">T</h2>\n"
        );
        let unsafe_opts = MarkdownOptions {
            chinese_quotes: false,
            sanitize: false,
            root: "/",
        };
        assert_eq!(
            render("## T {onclick=x}", &unsafe_opts).html,
            "<h2 id=\"t\" onclick=\"x\">T</h2>\n"
        );
    }

    // --- links ---

    #[test]
    fn root_prefix_on_site_absolute_links() {
        let opts = MarkdownOptions {
            chinese_quotes: false,
            sanitize: true,
            root: "/column/",
        };
        let r = |md: &str| render(md, &opts).html;
        assert_eq!(r("[a](/x/)"), "<p><a href=\"/column/x/\">a</a></p>\n");
        assert_eq!(
            r("![图](/img/a.jpg \"标题\")"),
            "<p><img src=\"/column/img/a.jpg\" alt=\"图\" title=\"标题\" /></p>\n"
        );
        assert_eq!(
            r("[a](//cdn.example.com/x)"),
            "<p><a href=\"//cdn.example.com/x\">a</a></p>\n"
        );
        assert_eq!(
            r("[a](https://example.com/)"),
            "<p><a href=\"https://example.com/\">a</a></p>\n"
        );
        assert_eq!(r("[a](#frag)"), "<p><a href=\"#frag\">a</a></p>\n");
        assert_eq!(r("[a](rel/x)"), "<p><a href=\"rel/x\">a</a></p>\n");
        assert_eq!(
            r("[a][r]\n\n[r]: /people/wu-yang/"),
            "<p><a href=\"/column/people/wu-yang/\">a</a></p>\n"
        );
        // Root "/" leaves paths alone.
        assert_eq!(html("[a](/x/)"), "<p><a href=\"/x/\">a</a></p>\n");
    }

    // --- more marker ---

    #[test]
    fn more_marker_splits_and_disappears() {
        let r = render("导语。\n\n<!-- more -->\n\n正文。", &PLAIN);
        assert_eq!(r.html, "<p>导语。</p>\n<p>正文。</p>\n");
        assert_eq!(r.lead, "导语。");
        assert_eq!(r.text, "导语。正文。");

        let r = render("导语\n<!--more-->\n正文", &PLAIN);
        assert_eq!(r.html, "<p>导语</p>\n<p>正文</p>\n");
        assert_eq!(r.lead, "导语");

        let r = render("- 一\n- 二 <!-- more --> 三", &PLAIN);
        assert_eq!(r.lead, "一 二");

        // Without a marker, the lead is the first paragraph.
        assert_eq!(render("第一段。\n\n第二段。", &PLAIN).lead, "第一段。");
    }

    #[test]
    fn more_marker_is_not_raw_html() {
        // With raw HTML, ammonia would re-serialize the `<br />`; without it
        // the pulldown-cmark form stays.
        let r = render("a  \nb\n\n<!-- more -->", &PLAIN);
        assert_eq!(r.html, "<p>a<br />\nb</p>\n");
    }
}
