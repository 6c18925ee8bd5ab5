//! Properties of the parsers that read hostile text, checked on generated
//! inputs (proptest): any input gives `Ok` or an error located in the file it
//! came from, never a panic. The same functions have cargo-fuzz targets in
//! `fuzz/`; these run in every `cargo test`, with bounded sizes and case
//! counts so they stay fast.

use std::path::{Path, PathBuf};

use laurel::config::{BuildFlags, Config, RawConfig};
use laurel::live::decode_path;
use laurel::markdown::{MarkdownOptions, reading_minutes, render, truncate_text};
use laurel::slug::{fallback_slug, is_safe_slug, slugify};
use laurel::source::{FoundFile, LoadOptions, entry, frontmatter, page, person};
use proptest::prelude::*;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Text built from pieces that matter to the parsers (fences, Markdown
/// markers, CJK punctuation, HTML, YAML syntax, control characters) mixed
/// with arbitrary characters.
fn hostile_text(max_pieces: usize) -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("---\n".to_string()),
        Just("...\n".to_string()),
        Just("\n".to_string()),
        Just("\n\n".to_string()),
        Just("**".to_string()),
        Just("*".to_string()),
        Just("__".to_string()),
        Just("_".to_string()),
        Just("> ".to_string()),
        Just("# ".to_string()),
        Just("- [ ] ".to_string()),
        Just("1. ".to_string()),
        Just("`".to_string()),
        Just("```\n".to_string()),
        Just("|a|b|\n|-|-|\n".to_string()),
        Just("[^1]".to_string()),
        Just("[^1]: note\n".to_string()),
        Just(" {#id}".to_string()),
        Just("[link](/people/wu-yang/)".to_string()),
        Just("![img](//evil.org/x.png)".to_string()),
        Just("[x](javascript:alert(1))".to_string()),
        Just("<script>alert(1)</script>".to_string()),
        Just("<a href=\"javascript:x\">".to_string()),
        Just("<!-- more -->".to_string()),
        Just("记者：".to_string()),
        Just("抵达武汉的第一天。".to_string()),
        Just("“引号”".to_string()),
        Just("title: ".to_string()),
        Just("date: 2020-02-10\n".to_string()),
        Just("tags: [".to_string()),
        Just("]".to_string()),
        Just(": ".to_string()),
        Just("&anchor ".to_string()),
        Just("*anchor".to_string()),
        Just("!!binary ".to_string()),
        Just("\t".to_string()),
        Just("\u{0}".to_string()),
        Just("\u{1}".to_string()),
        Just("\u{feff}".to_string()),
        Just("\u{200b}".to_string()),
        Just("\u{85}".to_string()),
        Just("\u{2028}".to_string()),
        Just("👩‍⚕️".to_string()),
        Just("e\u{301}".to_string()),
        any::<char>().prop_map(|c| c.to_string()),
        "[a-z0-9 .]{1,8}",
    ];
    prop::collection::vec(piece, 0..max_pieces).prop_map(|v| v.concat())
}

/// Front matter with the keys the loaders know (and one they do not),
/// holding hostile values, then a hostile body.
fn hostile_document() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        Just("title"),
        Just("date"),
        Just("author"),
        Just("people"),
        Just("tags"),
        Just("summary"),
        Just("cover"),
        Just("credit"),
        Just("slug"),
        Just("draft"),
        Just("weight"),
        Just("name"),
        Just("photo"),
        Just("bio"),
        Just("honors"),
        Just("private"),
        Just("deployed"),
        Just("batch"),
        Just("bogus"),
    ];
    let value = prop_oneof![
        Just("2020-02-10".to_string()),
        Just("2020-02-10 21:30".to_string()),
        Just("2020-02-30".to_string()),
        Just("2020-02-10T21:30:00+08:00".to_string()),
        Just("[wu-yang, COVID, covid]".to_string()),
        Just("../../etc/passwd".to_string()),
        Just("con".to_string()),
        Just("javascript:alert(1)".to_string()),
        Just("/images/a.jpg".to_string()),
        Just("true".to_string()),
        Just("-1".to_string()),
        Just("99999999999999999999999".to_string()),
        Just("{ date: 2020-03-08, title: 优秀 }".to_string()),
        Just("|\n  多行\n  文本".to_string()),
        Just("\"\\u0001\"".to_string()),
        hostile_text(6),
    ];
    let line = (key, value).prop_map(|(k, v)| format!("{k}: {v}\n"));
    (
        prop::collection::vec(line, 0..8),
        prop::bool::ANY,
        hostile_text(20),
    )
        .prop_map(|(lines, fenced, body)| {
            let yaml = lines.concat();
            if fenced {
                format!("---\n{yaml}---\n{body}")
            } else {
                format!("{yaml}{body}")
            }
        })
}

/// Writes `text` as `rel` inside a fresh temp site.
fn write_file(dir: &Path, rel: &str, text: &str) -> FoundFile {
    let abs = dir.join(rel);
    std::fs::create_dir_all(abs.parent().unwrap()).unwrap();
    std::fs::write(&abs, text).unwrap();
    FoundFile {
        rel: PathBuf::from(rel),
        abs,
    }
}

fn load_options(sanitize: bool) -> LoadOptions {
    LoadOptions {
        timezone: chrono_tz::Asia::Shanghai,
        root_path: "/column/".to_string(),
        sanitize,
        chinese_quotes: true,
    }
}

/// True if a tag (not text: `javascript:` may be shown) of `html` has a
/// `javascript:` link or source.
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

proptest! {
    #![proptest_config(config())]

    #[test]
    fn front_matter_split_gives_slices_or_a_located_error(text in hostile_text(40)) {
        let path = Path::new("content/diary/a.md");
        match frontmatter::split(&text, path) {
            Ok(s) => {
                let base = text.as_ptr() as usize;
                let yaml = s.yaml.as_ptr() as usize - base;
                let body = s.body.as_ptr() as usize - base;
                prop_assert!(yaml + s.yaml.len() <= body);
                prop_assert_eq!(body + s.body.len(), text.len());
                prop_assert!(s.yaml_line >= 2 && s.body_line > s.yaml_line);
            }
            Err(e) => {
                prop_assert_eq!(&e.path, path);
                prop_assert!(e.line >= 1);
            }
        }
    }

    #[test]
    fn entries_and_pages_load_or_report_errors_in_their_file(text in hostile_document(), sanitize in prop::bool::ANY) {
        let dir = tempfile::tempdir().unwrap();
        let opts = load_options(sanitize);
        let file = write_file(dir.path(), "content/diary/2020-02-10-a.md", &text);
        match entry::load(&file, &opts) {
            Ok(e) => prop_assert!(is_safe_slug(&e.slug.value), "slug {:?}", e.slug.value),
            Err(errors) => {
                prop_assert!(!errors.is_empty());
                for e in errors {
                    prop_assert_eq!(&e.path, &file.rel);
                }
            }
        }
        let file = write_file(dir.path(), "content/pages/a.md", &text);
        match page::load(&file, &opts) {
            Ok(p) => prop_assert!(is_safe_slug(&p.slug.value), "slug {:?}", p.slug.value),
            Err(errors) => {
                for e in errors {
                    prop_assert_eq!(&e.path, &file.rel);
                }
            }
        }
    }

    #[test]
    fn profiles_load_or_report_errors_in_their_file(text in hostile_document()) {
        let dir = tempfile::tempdir().unwrap();
        let file = write_file(dir.path(), "content/people/wu-yang.yaml", &text);
        match person::load(&file, &load_options(true)) {
            Ok(p) => prop_assert_eq!(p.id, "wu-yang"),
            Err(errors) => {
                prop_assert!(!errors.is_empty());
                for e in errors {
                    prop_assert_eq!(&e.path, &file.rel);
                }
            }
        }
    }

    #[test]
    fn site_yaml_resolves_or_reports_errors_in_site_yaml(text in hostile_document()) {
        let file = Path::new("site.yaml");
        let text = text.replace("---\n", "");
        let text = format!("base_url: https://example.org/\n{text}");
        if let Ok(raw) = laurel::yaml::parse::<RawConfig>(&text, file, 1)
            && let Err(errors) = Config::resolve(raw, PathBuf::from("/nonexistent"), &BuildFlags::default())
        {
            for e in errors {
                prop_assert_eq!(&e.path, file);
            }
        }
    }

    #[test]
    fn markdown_renders_anything_and_sanitized_output_has_no_script(text in hostile_text(60)) {
        for sanitize in [true, false] {
            let out = render(&text, &MarkdownOptions {
                    sanitize,
                    chinese_quotes: true,
                    root: "/column/",
                });
            if sanitize {
                let lower = out.html.to_ascii_lowercase();
                prop_assert!(!lower.contains("<script"), "{}", out.html);
                prop_assert!(!has_script_url(&lower), "{}", out.html);
            }
            let _ = reading_minutes(&out.text);
            for max in [0, 3, 120] {
                let t = truncate_text(&out.text, max);
                let kept = t.strip_suffix('…').unwrap_or(&t);
                prop_assert!(out.text.starts_with(kept));
            }
        }
    }

    #[test]
    fn slugs_are_empty_or_safe_and_idempotent(text in prop_oneof![hostile_text(12), any::<String>()]) {
        let slug = slugify(&text);
        prop_assert!(slug.is_empty() || is_safe_slug(&slug), "{:?} -> {:?}", text, slug);
        prop_assert_eq!(slugify(&slug), slug.clone());
        prop_assert!(is_safe_slug(&fallback_slug(&text)));
    }

    #[test]
    fn request_paths_never_leave_the_site(parts in prop::collection::vec(prop_oneof![
        Just("/"), Just("."), Just(".."), Just("%2e"), Just("%2E%2e"), Just("%2f"),
        Just("%5c"), Just("\\"), Just("%00"), Just("%"), Just("%g1"), Just("%e4%bb"),
        Just("diary"), Just("index.html"), Just("a"), Just("代"),
    ], 0..10)) {
        let path = parts.concat();
        if let Some(p) = decode_path(&path) {
            prop_assert!(!p.contains(['\\', '\0']) && !p.starts_with('/'), "{:?} -> {:?}", path, p);
            let segments: Vec<&str> = p.split('/').collect();
            for (i, seg) in segments.iter().enumerate() {
                prop_assert!(*seg != "." && *seg != "..", "{:?} -> {:?}", path, p);
                prop_assert!(!seg.is_empty() || i + 1 == segments.len(), "{:?} -> {:?}", path, p);
            }
        }
    }
}
