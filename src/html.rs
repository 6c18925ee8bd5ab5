//! HTML text: escaping the text laurel puts into pages and feeds, and
//! decoding the character references found in HTML that someone else wrote
//! (raw HTML in Markdown, `href` values). Every escape and every decode in the
//! crate goes through here, so a string is never escaped twice or decoded
//! with a smaller table in one place than in another. Full named-entity
//! decoding (the WHATWG list, `&mdash;` included) comes from `htmlize`.
//! This module knows nothing of tags: finding text or attributes in HTML is
//! the caller's job.

use std::borrow::Cow;

/// HTML-escape text for an element or a double-quoted attribute (& < > " ').
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    let mut last = 0;
    for (i, b) in s.bytes().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        // `i` is at an ASCII byte, hence a char boundary.
        out.push_str(&s[last..i]);
        out.push_str(rep);
        last = i + 1;
    }
    out.push_str(&s[last..]);
    out
}

/// Decodes the character references in HTML text (between tags): named
/// (`&mdash;`, also the legacy ones without `;` such as `&copy`), decimal and
/// hexadecimal, as a browser does. Unknown names stay as written.
pub(crate) fn decode_text(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    htmlize::unescape(s)
}

/// Decodes the character references in an attribute value. Unlike
/// [`decode_text`], a legacy name without `;` followed by `=` or an
/// alphanumeric stays literal (`?a=1&copy=2` is a query, not `©=2`).
pub(crate) fn decode_attribute(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    htmlize::unescape_attribute(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_html() {
        assert_eq!(
            escape_html("<a href=\"x\">Tom & Jerry's</a>"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;"
        );
        assert_eq!(escape_html("中文"), "中文");
        assert_eq!(escape_html(""), "");
    }

    #[test]
    fn decodes_named_numeric_and_legacy_references() {
        assert_eq!(decode_text("甲&mdash;乙&hellip;"), "甲—乙…");
        assert_eq!(
            decode_text("&lt;b&gt; &amp; &quot;&apos;&nbsp;"),
            "<b> & \"'\u{a0}"
        );
        assert_eq!(decode_text("&#20013;&#x6587;"), "中文");
        assert_eq!(decode_text("&copy 2020"), "© 2020");
        assert_eq!(decode_text("&bogus; & &;"), "&bogus; & &;");
        // As in HTML, NUL and invalid code points become U+FFFD.
        assert_eq!(decode_text("&#0;&#xFFFFFFFF;"), "\u{FFFD}\u{FFFD}");
        assert!(matches!(decode_text("中文"), Cow::Borrowed(_)));
    }

    #[test]
    fn attributes_keep_query_ampersands() {
        assert_eq!(decode_attribute("/a/?x=1&amp;copy=2"), "/a/?x=1&copy=2");
        assert_eq!(decode_attribute("/a/?x=1&copy=2"), "/a/?x=1&copy=2");
        assert_eq!(decode_attribute("/a/&#x27;b&quot;"), "/a/'b\"");
    }
}
