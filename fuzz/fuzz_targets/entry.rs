//! Entry and page loading (front matter, YAML into the entry/page structs,
//! dates, slugs, Markdown): Ok, or errors that all name the file.
#![no_main]

#[path = "common.rs"]
mod common;

use laurel::source::{entry, page};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // First byte picks the options so both sanitize modes are explored.
    let (sanitize, bytes) = match data.split_first() {
        Some((b, rest)) => (b & 1 == 0, rest),
        None => (true, data),
    };
    let opts = common::options(sanitize);
    let file = common::file("content/diary/2020-02-10-fuzz.md", bytes);
    match entry::load(&file, &opts) {
        Ok(e) => assert!(
            laurel::slug::is_safe_slug(&e.slug.value),
            "unsafe slug {:?}",
            e.slug.value
        ),
        Err(errors) => {
            assert!(!errors.is_empty());
            for e in errors {
                assert_eq!(e.path, file.rel, "{e:?}");
            }
        }
    }
    let file = common::file("content/pages/fuzz.md", bytes);
    if let Err(errors) = page::load(&file, &opts) {
        assert!(!errors.is_empty());
        for e in errors {
            assert_eq!(e.path, file.rel, "{e:?}");
        }
    }
});
