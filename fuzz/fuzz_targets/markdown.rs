//! The Markdown pipeline (CJK emphasis, heading ids, root prefixing,
//! sanitizing), summaries and reading time: never a panic; sanitized output
//! carries no script.
#![no_main]

use laurel::markdown::{MarkdownOptions, reading_minutes, render, truncate_text};
use libfuzzer_sys::fuzz_target;

/// True if a tag (not text: `javascript:` may be shown) has a `javascript:`
/// link or source.
fn has_script_url(html: &str) -> bool {
    ["href=\"javascript:", "src=\"javascript:"]
        .iter()
        .any(|needle| {
            html.match_indices(needle).any(|(i, _)| {
                html[..i]
                    .rfind(['<', '>'])
                    .is_some_and(|j| &html[j..=j] == "<")
            })
        })
}

fuzz_target!(|text: &str| {
    for sanitize in [true, false] {
        let opts = MarkdownOptions {
            sanitize,
            // Both paths: with and without Chinese quotation marks.
            chinese_quotes: sanitize,
            root: "/column/",
        };
        let out = render(text, &opts);
        if sanitize {
            let lower = out.html.to_ascii_lowercase();
            assert!(!lower.contains("<script"), "script survived: {}", out.html);
            assert!(!has_script_url(&lower), "js link survived: {}", out.html);
        }
        if let Some(before) = &out.before_more {
            assert!(before.len() <= out.html.len() + 64);
        }
        let _ = reading_minutes(&out.text);
        for max in [0, 1, 5, 120] {
            let t = truncate_text(&out.text, max);
            // A prefix of the text, plus "…" when cut.
            let kept = t.strip_suffix('…').unwrap_or(&t);
            assert!(out.text.starts_with(kept), "{max}: {t:?}");
        }
    }
});
