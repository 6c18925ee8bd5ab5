//! The serve request path: decode_path never yields a path that can leave the
//! site (no `.`/`..` segment, backslash, NUL, leading `/`, empty inner
//! segment).
#![no_main]

use laurel::live::decode_path;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Some(p) = decode_path(text) {
        assert!(!p.contains(['\\', '\0']), "{text:?} -> {p:?}");
        assert!(!p.starts_with('/'), "{text:?} -> {p:?}");
        let segments: Vec<&str> = p.split('/').collect();
        for (i, seg) in segments.iter().enumerate() {
            assert!(*seg != "." && *seg != "..", "{text:?} -> {p:?}");
            assert!(
                !seg.is_empty() || i + 1 == segments.len(),
                "{text:?} -> {p:?}"
            );
        }
    }
});
