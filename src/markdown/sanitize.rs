//! Sanitizing: the ammonia policy for documents with raw HTML (its defaults
//! plus exactly what pulldown-cmark emits) and the questions `removed` asks
//! of it, the class-token filter, the URL scheme allow-list for Markdown
//! links and the heading attributes that cannot run script. Deciding *when*
//! to sanitize is `render`'s job.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

/// ammonia's defaults plus exactly what pulldown-cmark emits itself.
pub(super) static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    // No <input>: task-list items start with a ☑/☐ span (see `finish_events`).
    b.add_tag_attributes("code", &["class"])
        .add_tag_attributes("span", &["class"])
        .add_tag_attributes("sup", &["class", "id"])
        .add_tag_attributes("div", &["class", "id"])
        .add_tag_attributes("th", &["style"])
        .add_tag_attributes("td", &["style"])
        // The image pipeline's `<picture>` for body images (`images::body`).
        .add_tags(["picture", "source"])
        .add_tag_attributes("source", &["type", "srcset", "sizes"])
        .add_tag_attributes("img", &["srcset", "sizes", "loading", "decoding"])
        .add_generic_attribute_prefixes(&["data-"])
        .filter_style_properties(HashSet::from(["text-align"]))
        // Markdown links get no rel either; keep both paths identical.
        .link_rel(None);
    for h in ["h1", "h2", "h3", "h4", "h5", "h6"] {
        b.add_tag_attributes(h, &["id", "class"]);
    }
    b.attribute_filter(|element, attribute, value| match (element, attribute) {
        ("code", "class") => keep_class_tokens(value, |t| t.starts_with("language-")),
        (_, "class") => keep_class_tokens(value, |_| true),
        _ => Some(Cow::Borrowed(value)),
    });
    b
});

/// The elements and attributes [`SANITIZER`] keeps, read from its own
/// configuration, so that what the warnings say it removed cannot drift
/// from what it removes.
struct Kept {
    elements: HashSet<&'static str>,
    /// Removed together with everything inside them.
    cleaned: HashSet<&'static str>,
    generic_attributes: HashSet<&'static str>,
    generic_prefixes: HashSet<&'static str>,
    attributes: HashMap<&'static str, HashSet<&'static str>>,
    /// Attributes kept on an element with some values only.
    attribute_values: HashMap<&'static str, HashMap<&'static str, HashSet<&'static str>>>,
}

static KEPT: LazyLock<Kept> = LazyLock::new(|| Kept {
    elements: SANITIZER.clone_tags(),
    cleaned: SANITIZER.clone_clean_content_tags(),
    generic_attributes: SANITIZER.clone_generic_attributes(),
    generic_prefixes: SANITIZER
        .clone_generic_attribute_prefixes()
        .unwrap_or_default(),
    attributes: SANITIZER.clone_tag_attributes(),
    attribute_values: SANITIZER.clone_tag_attribute_values(),
});

/// Whether the sanitizer drops a `name` element; the parser lowercases
/// names, so `name` may be written in any case.
pub(super) fn drops_element(name: &str) -> bool {
    !KEPT.elements.contains(name.to_ascii_lowercase().as_str())
}

/// Whether the sanitizer drops a `name` element with all its content
/// (`script`, `style`) rather than keeping its text.
pub(super) fn drops_content(name: &str) -> bool {
    KEPT.cleaned.contains(name.to_ascii_lowercase().as_str())
}

/// Whether the sanitizer drops attribute `attribute` of a kept `element`
/// whatever its value.
pub(super) fn drops_attribute(element: &str, attribute: &str) -> bool {
    let (element, attribute) = (element.to_ascii_lowercase(), attribute.to_ascii_lowercase());
    let (element, attribute) = (element.as_str(), attribute.as_str());
    let k = &*KEPT;
    !(k.generic_attributes.contains(attribute)
        || k.generic_prefixes.iter().any(|p| attribute.starts_with(p))
        || k.attributes
            .get(element)
            .is_some_and(|a| a.contains(attribute))
        || k.attribute_values
            .get(element)
            .is_some_and(|a| a.contains_key(attribute)))
}

/// Keeps the class tokens made of `[A-Za-z0-9_+#.-]` that pass `keep`.
fn keep_class_tokens<'v>(value: &'v str, keep: impl Fn(&str) -> bool) -> Option<Cow<'v, str>> {
    let tokens: Vec<&str> = value
        .split_ascii_whitespace()
        .filter(|t| {
            keep(t)
                && t.bytes().all(|b| {
                    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'+' | b'#' | b'.')
                })
        })
        .collect();
    if tokens.is_empty() {
        None
    } else {
        Some(Cow::Owned(tokens.join(" ")))
    }
}

/// Custom heading attributes that cannot run script or restyle the page.
pub(super) fn is_harmless_attr(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    matches!(key.as_str(), "lang" | "title" | "dir")
        || (key.starts_with("data-")
            && key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
}

/// False for URLs with a scheme outside the allow-list (`javascript:`,
/// `vbscript:`, `data:` …). Relative URLs are safe.
pub(super) fn is_safe_url(url: &str) -> bool {
    if !url.contains(':') {
        return true;
    }
    // Browsers ignore ASCII whitespace and control characters inside the
    // scheme ("java\tscript:"), so we must too.
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_ascii_control())
        .take_while(|&c| !matches!(c, '/' | '?' | '#'))
        .collect();
    let Some((scheme, _)) = cleaned.split_once(':') else {
        return true;
    };
    const ALLOWED: [&str; 14] = [
        "http", "https", "mailto", "tel", "ftp", "ftps", "sms", "xmpp", "irc", "ircs", "magnet",
        "geo", "webcal", "news",
    ];
    ALLOWED.iter().any(|s| s.eq_ignore_ascii_case(scheme))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::{MarkdownOptions, html, render};

    #[test]
    fn script_urls_are_unlinked_when_sanitizing() {
        assert_eq!(html("[点我](javascript:alert(1))"), "<p>点我</p>\n");
        assert_eq!(
            html("[x](JaVa\tScRiPt:alert(1))"),
            "<p>[x](JaVa\tScRiPt:alert(1))</p>\n"
        );
        assert_eq!(
            html("<javascript:alert(1)>"),
            "<p>javascript:alert(1)</p>\n"
        );
        assert_eq!(html("![图](data:text/html,x)"), "<p>图</p>\n");
        assert_eq!(
            html("[m](mailto:a@b.c)"),
            "<p><a href=\"mailto:a@b.c\">m</a></p>\n"
        );
        assert!(!is_safe_url("java\tscript:alert(1)"));
        assert!(!is_safe_url(" javascript:x"));
        assert!(is_safe_url("/a:b"));
        assert!(is_safe_url("?q=a:b"));
    }

    #[test]
    fn sanitize_strips_script_and_handlers_keeps_text() {
        assert_eq!(
            html("正文<script>alert(1)</script><b onclick=\"x()\">粗体</b>"),
            "<p>正文<b>粗体</b></p>\n"
        );
        assert_eq!(
            html("<img src=\"x.png\" onerror=\"alert(1)\">\n\n文字"),
            "<img src=\"x.png\">\n<p>文字</p>\n"
        );
        assert_eq!(html("<iframe src=\"https://evil\">保留</iframe>"), "保留");
        assert_eq!(html("<style>p{}</style>\n\n段落"), "\n<p>段落</p>\n");
        assert_eq!(
            html("<a href=\"javascript:x\">链接</a>"),
            "<p><a>链接</a></p>\n"
        );
    }

    #[test]
    fn sanitize_keeps_markdown_output() {
        let md = "## 标题 {#t}\n\n| a |\n|:-:|\n| b |\n\n- [x] 完成\n\n```rust\nx\n```\n\n~~删~~ 注[^1]\n\n[^1]: 脚注\n\n<b>raw</b>";
        assert_eq!(
            html(md),
            "<h2 id=\"t\">标题</h2>\n<table><thead><tr><th style=\"text-align:center\">a</th></tr></thead><tbody>\n<tr><td style=\"text-align:center\">b</td></tr>\n</tbody></table>\n<ul>\n<li><span class=\"task task-done\">☑</span> 完成</li>\n</ul>\n<pre><code class=\"language-rust\">x\n</code></pre>\n<p><del>删</del> 注<sup class=\"footnote-reference\"><a href=\"#1\">1</a></sup></p>\n<div class=\"footnote-definition\" id=\"1\"><sup class=\"footnote-definition-label\">1</sup>\n<p>脚注</p>\n</div>\n<p><b>raw</b></p>\n"
        );
    }

    #[test]
    fn unsafe_html_is_kept_when_not_sanitizing() {
        let opts = MarkdownOptions {
            chinese_quotes: false,
            sanitize: false,
            root: "/",
        };
        assert_eq!(
            render("<script>x()</script>", &opts).html,
            "<script>x()</script>"
        );
    }

    #[test]
    fn raw_form_controls_are_removed() {
        assert_eq!(
            html("<input type=\"checkbox\" checked> 完成"),
            "<p> 完成</p>\n"
        );
    }
}
