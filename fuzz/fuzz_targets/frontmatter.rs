//! The front-matter splitter: any text gives two slices of the input on lines
//! that add up, or an error located in the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|text: &str| {
    let path = Path::new("content/diary/fuzz.md");
    match laurel::source::frontmatter::split(text, path) {
        Ok(split) => {
            // Both halves are slices of the input, in order.
            let base = text.as_ptr() as usize;
            let yaml = split.yaml.as_ptr() as usize - base;
            let body = split.body.as_ptr() as usize - base;
            assert!(yaml + split.yaml.len() <= body);
            assert!(body + split.body.len() == text.len());
            assert!(split.yaml_line >= 2);
            assert!(split.body_line > split.yaml_line);
            // The body line is the count of newlines before it, plus one
            // (a closing fence at the very end, with no newline, leaves an
            // empty body "on" the next line).
            let line = text[..body].matches('\n').count() + 1;
            assert!(
                split.body_line == line || (split.body.is_empty() && split.body_line == line + 1),
                "body line {} for {text:?}",
                split.body_line
            );
        }
        Err(e) => {
            assert_eq!(e.path, path);
            assert!(e.line >= 1, "unlocated error: {e:?}");
        }
    }
});
