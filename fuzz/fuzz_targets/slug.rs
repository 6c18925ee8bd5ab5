//! Slugging: output is empty or a safe path segment, idempotent, and the
//! fallback is always safe.
#![no_main]

use laurel::slug::{fallback_slug, is_safe_slug, slugify};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let slug = slugify(text);
    assert!(
        slug.is_empty() || is_safe_slug(&slug),
        "{text:?} -> {slug:?}"
    );
    assert_eq!(slugify(&slug), slug, "not idempotent for {text:?}");
    assert!(is_safe_slug(&fallback_slug(text)));
    // A user's `slug:` that passes is_safe_slug is used as is; slugifying
    // it may differ (`a--b` -> `a-b`) but stays non-empty and safe.
    if is_safe_slug(text) {
        assert!(is_safe_slug(&slugify(text)), "{text:?}");
    }
});
