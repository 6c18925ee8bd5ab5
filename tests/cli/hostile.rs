//! Hostile input, one fixture per case: paths that try to leave the output
//! folder or break on static hosts, symlinks out of the site, markup in every
//! field, templates that ask for private data, and sizes far past any real
//! column. Each case ends in a sensible site or a located error, never a
//! crash or a leak.

// Timings, kill outcomes and skip reasons, for `--nocapture` runs.
#![allow(clippy::print_stderr)]

use std::collections::BTreeMap;
use std::time::Instant;

use crate::support::{TestSite, entry, page_title, parse_feed};

/// Windows device names: a file or folder so named cannot be uploaded to (or
/// checked out on) a Windows-backed host.
const RESERVED: &[&str] = &[
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
    "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// Every path of public/ is made of segments that every common static host
/// accepts (no control characters, no trailing dot or space, no device names,
/// nothing but `[A-Za-z0-9._-]`), and no two paths differ only in case.
#[track_caller]
fn assert_host_safe(site: &TestSite) {
    let files = site.snapshot_dir();
    let mut folded: BTreeMap<String, &str> = BTreeMap::new();
    for path in files.keys() {
        for seg in path.trim_end_matches('/').split('/') {
            let stem = seg.split('.').next().unwrap_or(seg).to_ascii_lowercase();
            assert!(
                !seg.is_empty()
                    && !seg.ends_with(['.', ' '])
                    && !RESERVED.contains(&stem.as_str())
                    && seg
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b)),
                "`{path}` has a segment `{seg}` that breaks on static hosts"
            );
        }
        if let Some(other) = folded.insert(path.to_lowercase(), path) {
            panic!("`{path}` and `{other}` differ only in case");
        }
    }
}

/// True if `needle` occurs inside a tag of `html` (in text it is harmless).
fn in_a_tag(html: &str, needle: &str) -> bool {
    html.match_indices(needle).any(|(i, _)| {
        html[..i]
            .rfind(['<', '>'])
            .is_some_and(|j| &html[j..=j] == "<")
    })
}

/// `xml` with the contents of every `<description>` removed.
fn without_descriptions(xml: &str) -> String {
    let mut out = String::new();
    let mut rest = xml;
    while let Some(i) = rest.find("<description>") {
        out.push_str(&rest[..i]);
        rest = rest[i..]
            .split_once("</description>")
            .map_or("", |(_, r)| r);
    }
    out.push_str(rest);
    out
}

/// Paths of public/ files whose bytes contain `needle`.
fn files_containing(site: &TestSite, needle: &[u8]) -> Vec<String> {
    site.snapshot_dir()
        .into_iter()
        .filter(|(_, bytes)| bytes.windows(needle.len()).any(|w| w == needle))
        .map(|(p, _)| p)
        .collect()
}

// ---------------------------------------------------------------------------
// Path safety
// ---------------------------------------------------------------------------

#[test]
fn dot_dot_in_an_entry_slug_is_refused_at_its_line() {
    let site = TestSite::nested();
    site.file(
        "content/diary/2020-02-11-up.md",
        &entry("title: 上\ndate: 2020-02-11\nslug: ../../escaped", "正文\n"),
    );
    let out = site.run(&["build"]);
    out.assert_code(1);
    assert_eq!(
        out.errors(),
        ["error: content/diary/2020-02-11-up.md:4:7: invalid slug `../../escaped`"]
    );
    assert!(!site.path("public").exists());
    assert!(!site.root().parent().unwrap().join("escaped").exists());
}

#[test]
fn dot_dot_in_a_page_slug_is_refused_at_its_line() {
    let site = TestSite::nested();
    site.file(
        "content/pages/about.md",
        "---\ntitle: 关于\nslug: ../about\n---\n关于本栏目\n",
    );
    let out = site.run(&["build"]);
    out.assert_code(1);
    assert_eq!(
        out.errors(),
        ["error: content/pages/about.md:3:7: invalid slug `../about`"]
    );
}

#[test]
fn slug_with_a_device_name_backslash_or_control_character_is_refused() {
    for bad in ["con", "a\\\\b", "a\\u0001b", "trailing.", "A-B", "a/b"] {
        let site = TestSite::new();
        site.file(
            "content/diary/2020-02-11-x.md",
            &entry(
                &format!("title: x\ndate: 2020-02-11\nslug: \"{bad}\""),
                "x\n",
            ),
        );
        let out = site.run(&["build"]);
        out.assert_code(1);
        let errors = out.errors();
        assert_eq!(errors.len(), 1, "{bad}: {errors:?}");
        assert!(
            errors[0].starts_with("error: content/diary/2020-02-11-x.md:4:7: invalid slug"),
            "{bad}: {errors:?}"
        );
    }
}

#[test]
fn person_file_named_after_a_device_or_in_capitals_is_refused() {
    for id in ["con", "NUL", "Wu-Yang", "lpt1"] {
        let site = TestSite::new();
        site.file(&format!("content/people/{id}.yaml"), "name: 某人\n");
        let out = site.run(&["build"]);
        out.assert_code(1);
        assert_eq!(
            out.errors(),
            [format!(
                "error: content/people/{id}.yaml: invalid person id `{id}` (the file name)"
            )],
        );
    }
}

#[test]
fn hostile_tags_and_file_names_give_host_safe_paths() {
    let site = TestSite::nested();
    site.file(
        "content/diary/2020-02-11-tags.md",
        &entry(
            "title: 标签\ndate: 2020-02-11\ntags: [\"../../x\", con, AUX, \"trail...\", \"a\\u0001b\", \"a\\\\b\", \"CON.txt\", \" \", \"…\", \"%2e%2e\"]",
            "x\n",
        ),
    )
    .file(
        "content/diary/2020-02-12-Trailing. .md",
        &entry("title: 尾点\ndate: 2020-02-12", "x\n"),
    )
    .file(
        "content/diary/2020-02-13-nul.md",
        &entry("title: 设备名\ndate: 2020-02-13", "x\n"),
    )
    .file(
        "content/diary/2020-02-14-a\u{1}b.md",
        &entry("title: 控制字符\ndate: 2020-02-14", "x\n"),
    )
    .file(
        "content/pages/Aux.md",
        "---\ntitle: 页面\n---\n页面\n",
    );
    site.build();
    assert_host_safe(&site);
    // Nothing landed beside the site or the output folder.
    let outside: Vec<_> = std::fs::read_dir(site.root().parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(outside, ["site"]);
    for dir in [
        "diary/trailing",
        "diary/nul-x",
        "diary/a-b",
        "aux-x",
        "tags/con-x",
        "tags/aux-x",
        "tags/trail",
    ] {
        assert!(site.exists(&format!("{dir}/index.html")), "{dir}");
    }
}

#[test]
fn tags_differing_only_in_case_merge_into_one_page_with_a_warning() {
    let site = TestSite::new();
    site.file(
        "content/diary/2020-02-11-a.md",
        &entry("title: 甲\ndate: 2020-02-11\ntags: [COVID]", "x\n"),
    )
    .file(
        "content/diary/2020-02-12-b.md",
        &entry("title: 乙\ndate: 2020-02-12\ntags: [covid, Covid]", "x\n"),
    );
    let out = site.build();
    assert_eq!(
        out.warnings(),
        [
            "warning: tags COVID, Covid, covid share the URL /tags/covid/ and are shown as one tag `COVID`"
        ]
    );
    assert_host_safe(&site);
    let tag_dirs: Vec<String> = site
        .snapshot_dir()
        .into_keys()
        .filter(|p| p.starts_with("tags/") && p.ends_with("/index.html") && p != "tags/index.html")
        .collect();
    assert_eq!(
        tag_dirs,
        ["tags/covid/index.html", "tags/nursing/index.html"]
    );
    let page = site.read("tags/covid/index.html");
    assert!(page.contains("/column/diary/a/") && page.contains("/column/diary/b/"));
}

// ---------------------------------------------------------------------------
// Symlinks out of the site
// ---------------------------------------------------------------------------

#[cfg(unix)]
#[test]
fn content_symlinks_out_of_the_site_are_skipped_with_a_warning() {
    let site = TestSite::nested();
    let entry_outside = site.outside(
        "leak.md",
        &entry("title: LEAKED-ENTRY\ndate: 2020-02-11", "x\n"),
    );
    let person_outside = site.outside("leak.yaml", "name: LEAKED-PERSON\n");
    std::os::unix::fs::symlink(&entry_outside, site.path("content/diary/leak.md")).unwrap();
    std::os::unix::fs::symlink(&person_outside, site.path("content/people/leak.yaml")).unwrap();
    std::os::unix::fs::symlink(site.root().parent().unwrap(), site.path("content/diary/up"))
        .unwrap();
    let out = site.build();
    let mut warnings = out.warnings();
    warnings.sort();
    assert_eq!(
        warnings,
        [
            "warning: content/diary/leak.md: symlink points outside the site; skipped",
            "warning: content/diary/up: symlink points outside the site; skipped",
            "warning: content/people/leak.yaml: symlink points outside the site; skipped",
        ]
    );
    assert_eq!(files_containing(&site, b"LEAKED"), Vec::<String>::new());
}

#[cfg(unix)]
#[test]
fn template_symlink_out_of_the_site_is_skipped_with_a_warning() {
    let site = TestSite::nested();
    let outside = site.outside("evil.html", "LEAKED-TEMPLATE {{ site.title }}");
    std::fs::create_dir_all(site.path("templates")).unwrap();
    std::os::unix::fs::symlink(&outside, site.path("templates/entry.html")).unwrap();
    let out = site.build();
    assert_eq!(
        out.warnings(),
        ["warning: templates/entry.html: symlink points outside the site; skipped"]
    );
    assert_eq!(files_containing(&site, b"LEAKED"), Vec::<String>::new());
    assert!(site.read("diary/arrival/index.html").contains("今天抵达"));
}

#[cfg(unix)]
#[test]
fn theme_strings_linked_from_outside_the_site_are_skipped_with_a_warning() {
    let site = TestSite::nested();
    // A whole set of strings, one of them marked: the build would succeed
    // with it and show the mark on every page.
    let strings = include_str!("../../themes/default/i18n.yaml")
        .replace("  home: 首页\n", "  home: LEAKED-STRING\n");
    let outside = site.outside("i18n.yaml", &strings);
    std::fs::create_dir_all(site.path("themes/mine/templates")).unwrap();
    std::os::unix::fs::symlink(&outside, site.path("themes/mine/i18n.yaml")).unwrap();
    site.file(
        "site.yaml",
        &format!("{}theme: mine\n", crate::support::SITE_YAML),
    );
    let out = site.build();
    assert_eq!(
        out.warnings(),
        ["warning: themes/mine/i18n.yaml: symlink points outside the site; skipped"]
    );
    assert_eq!(files_containing(&site, b"LEAKED"), Vec::<String>::new());
    assert!(site.read("index.html").contains("首页"));
    // The same strings inside the site are the theme's.
    std::fs::remove_file(site.path("themes/mine/i18n.yaml")).unwrap();
    site.file("themes/mine/i18n.yaml", &strings);
    let out = site.build();
    assert_eq!(out.warnings(), Vec::<&str>::new());
    assert!(site.read("index.html").contains("LEAKED-STRING"));
}

#[cfg(unix)]
#[test]
fn symlink_inside_the_site_is_followed() {
    let site = TestSite::new();
    site.file("shared/photo.txt", "INSIDE");
    std::fs::create_dir_all(site.path("static")).unwrap();
    std::os::unix::fs::symlink(site.path("shared/photo.txt"), site.path("static/photo.txt"))
        .unwrap();
    let out = site.build();
    assert_eq!(out.warnings(), Vec::<&str>::new());
    assert_eq!(site.read("photo.txt"), "INSIDE");
}

// ---------------------------------------------------------------------------
// Escaping audit
// ---------------------------------------------------------------------------

/// Markup that must come out as text wherever a field lands: a tag, an
/// attribute break-out, an entity and a character illegal in XML 1.0.
fn payload(field: &str) -> String {
    format!("<script>{field}</script>\\\" onload=\\\"{field}\\\" &amp; ' \\u0001\\u001f end")
}

#[test]
fn every_field_is_escaped_in_every_output_context() {
    let site = TestSite::new();
    site.file(
        "site.yaml",
        &format!(
            // Straight quotes as typed: this is about escaping, not typography.
            "title: \"{}\"\nsubtitle: \"{}\"\ndescription: \"{}\"\nauthor: \"{}\"\nbase_url: https://example.org/column/\nmarkdown: {{ chinese_quotes: false }}\n",
            payload("site-title"),
            payload("site-subtitle"),
            payload("site-description"),
            payload("site-author"),
        ),
    )
    .file(
        "content/people/wu-yang.yaml",
        &format!(
            "name: \"{}\"\nrole: \"{}\"\nunit: \"{}\"\nteam: \"{}\"\npost: \"{}\"\nmotto: \"{}\"\nbatch: 1\ndeployed: 2020-02-09\nbio: \"{}\"\nhonors:\n  - {{ date: 2020-03-08, title: \"{}\" }}\n",
            payload("name"),
            payload("role"),
            payload("unit"),
            payload("team"),
            payload("post"),
            payload("motto"),
            payload("bio"),
            payload("honor"),
        ),
    )
    .file(
        "content/diary/2020-02-10-arrival.md",
        &entry(
            &format!(
                "title: \"{}\"\ndate: 2020-02-10 21:30\nauthor: wu-yang\ntags: [\"{}\"]\nsummary: \"{}\"\ncredit: \"{}\"\ncover: /images/a.jpg",
                payload("title"),
                payload("tag"),
                payload("summary"),
                payload("credit"),
            ),
            "正文 <script>body</script>\n",
        ),
    )
    .file(
        "content/pages/about.md",
        &format!("---\ntitle: \"{}\"\n---\n关于\n", payload("page-title")),
    );
    // The cover must exist (a missing one is an error of its own).
    let mut cover = Vec::new();
    image::DynamicImage::ImageRgb8(image::RgbImage::new(16, 9))
        .write_with_encoder(image::codecs::jpeg::JpegEncoder::new(&mut cover))
        .expect("encode a JPEG");
    site.bytes("static/images/a.jpg", &cover);
    site.build();

    let files = site.snapshot_dir();
    for (path, bytes) in &files {
        // Feed descriptions are checked on their own below.
        let text = without_descriptions(&String::from_utf8_lossy(bytes));
        // No field's markup survives as markup, in any file.
        assert!(
            !text.contains("<script>"),
            "{path} has a raw <script>:\n{text}"
        );
        assert!(
            !in_a_tag(&text, "\" onload="),
            "{path} lets a quote out of an attribute"
        );
        if path.ends_with(".xml") {
            assert!(
                !text.chars().any(|c| c == '\u{1}' || c == '\u{1f}'),
                "{path} has characters illegal in XML 1.0"
            );
        }
    }
    for feed in ["rss.xml", "people/wu-yang/rss.xml"] {
        let parsed = parse_feed(&site, feed);
        let item_title = parsed.entries[0].title.as_ref().unwrap().content.clone();
        assert!(
            item_title.starts_with("<script>title</script>\" onload=\"title\" &amp; '"),
            "{feed}: {item_title:?}"
        );
    }
    let sitemap = site.read("sitemap.xml");
    assert!(sitemap.starts_with("<?xml"), "{sitemap}");
    let title = page_title(&site.read("diary/arrival/index.html"));
    assert!(title.contains("<script>title</script>"), "{title}");
}

/// RSS readers render `<description>` as HTML, so a plain-text summary must
/// arrive there escaped: `<script>` in `summary:` (or in a code span of the
/// body, which the automatic summary decodes) must reach the reader as text.
#[test]
fn feed_descriptions_carry_summaries_as_escaped_html() {
    let site = TestSite::new();
    site.file(
        "content/diary/2020-02-10-arrival.md",
        &entry(
            "title: 抵达\ndate: 2020-02-10 21:30\nauthor: wu-yang\nsummary: \"<script>alert(1)</script>\"",
            "正文\n",
        ),
    )
    .file(
        "content/diary/2020-02-11-code.md",
        &entry("title: 代码\ndate: 2020-02-11", "`<img src=x onerror=alert(2)>`\n"),
    );
    site.build();
    for feed in ["rss.xml", "people/wu-yang/rss.xml", "tags/nursing/rss.xml"] {
        if !site.exists(feed) {
            continue;
        }
        for item in parse_feed(&site, feed).entries {
            let html = item.summary.map(|s| s.content).unwrap_or_default();
            assert!(
                !html.contains("<script") && !html.contains("<img"),
                "{feed}: description is live HTML: {html}"
            );
        }
    }
}

#[test]
fn script_urls_in_cover_and_photo_are_refused_at_their_line() {
    let site = TestSite::new();
    site.file(
        "content/diary/2020-02-11-cover.md",
        &entry(
            "title: 封面\ndate: 2020-02-11\ncover: \"JavaScript:alert(1)\"",
            "x\n",
        ),
    )
    .file(
        "content/diary/2020-02-12-quote.md",
        &entry(
            "title: 引号\ndate: 2020-02-12\ncover: '/a.jpg\" onerror=\"alert(1)'",
            "x\n",
        ),
    )
    .file(
        "content/people/li-na.yaml",
        "name: 李娜\nphoto: \"data:text/html,<script>alert(1)</script>\"\n",
    );
    let out = site.run(&["build"]);
    out.assert_code(1);
    let errors = out.errors();
    assert_eq!(errors.len(), 3, "{}", out.stderr);
    assert!(
        errors[0].starts_with("error: content/diary/2020-02-11-cover.md:4:8: "),
        "{errors:?}"
    );
    assert!(
        errors[1].starts_with("error: content/diary/2020-02-12-quote.md:4:8: "),
        "{errors:?}"
    );
    assert!(
        errors[2].starts_with("error: content/people/li-na.yaml:2:8: "),
        "{errors:?}"
    );
}

const CANARY: &str = "SECRET-CANARY-7431";

fn site_with_private_data() -> TestSite {
    let site = TestSite::new();
    site.file(
        "content/people/wu-yang.yaml",
        &format!("name: 吴洋\ndeployed: 2020-02-09\nprivate:\n  family_contact: {CANARY}\n"),
    );
    site
}

#[test]
fn template_asking_for_person_private_gets_nothing() {
    let site = site_with_private_data();
    site.file(
        "templates/person.html",
        "<html><body>[{{ person.private | default(value='none') }}][{{ person.private.family_contact | default(value='none') }}]</body></html>",
    );
    let out = site.run(&["build"]);
    // Whether laurel refuses the template or renders nothing, no secret lands.
    assert_eq!(
        files_containing(&site, CANARY.as_bytes()),
        Vec::<String>::new()
    );
    assert!(!out.stderr.contains(CANARY), "{}", out.stderr);
    if out.code == 0 {
        assert_eq!(
            site.read("people/wu-yang/index.html"),
            "<html><body>[none][none]</body></html>"
        );
    }
}

#[test]
fn template_dumping_the_whole_context_gets_nothing_private() {
    let site = site_with_private_data();
    site.file(
        "templates/person.html",
        "<html><body>{{ __tera_context }}</body></html>",
    )
    .file(
        "templates/entry.html",
        "<html><body>{{ __tera_context }}</body></html>",
    );
    let out = site.run(&["build"]);
    assert_eq!(
        files_containing(&site, CANARY.as_bytes()),
        Vec::<String>::new()
    );
    assert_eq!(
        files_containing(&site, b"family_contact"),
        Vec::<String>::new()
    );
    assert!(!out.stderr.contains(CANARY), "{}", out.stderr);
}

// ---------------------------------------------------------------------------
// Limits
// ---------------------------------------------------------------------------

/// Runs `build` and reports its wall time (the binary is the debug build in
/// `cargo test`, so sizes here are chosen to stay well under a minute).
fn timed_build(site: &TestSite) -> (crate::support::Output, f64) {
    let t = Instant::now();
    let out = site.run(&["build"]);
    (out, t.elapsed().as_secs_f64())
}

#[test]
fn ten_thousand_nested_blockquotes_build_a_page() {
    let site = TestSite::new();
    site.file(
        "content/diary/2020-02-11-deep.md",
        &entry(
            "title: 深\ndate: 2020-02-11",
            &format!("{}最深处\n", "> ".repeat(10_000)),
        ),
    );
    let (out, secs) = timed_build(&site);
    out.assert_ok();
    assert!(site.read("diary/deep/index.html").contains("最深处"));
    eprintln!("10k nested blockquotes: {secs:.1} s");
}

#[test]
fn one_megabyte_single_line_builds_a_page() {
    let site = TestSite::new();
    let line: String = "武汉加油".repeat((1 << 20) / 12 + 1);
    site.file(
        "content/diary/2020-02-11-long.md",
        &entry("title: 长\ndate: 2020-02-11", &format!("{line}\n")),
    );
    let (out, secs) = timed_build(&site);
    out.assert_ok();
    let page = site.read("diary/long/index.html");
    assert!(page.contains(&line));
    // The summary on the index is cut, not the whole megabyte.
    assert!(site.read("index.html").len() < 100_000);
    eprintln!("1 MB line: {secs:.1} s");
}

#[test]
fn hundred_thousand_tags_on_one_entry_are_refused_at_the_first_extra_tag() {
    // Every tag page lists the entry with all its tags: 100k tags would mean
    // 100k pages of 100k links (an earlier version ran for hours).
    let site = TestSite::new();
    let tags: Vec<String> = (0..100_000).map(|i| format!("t{i}")).collect();
    site.file(
        "content/diary/2020-02-11-tags.md",
        &entry(
            &format!("title: 标签\ndate: 2020-02-11\ntags: [{}]", tags.join(", ")),
            "x\n",
        ),
    );
    let (out, secs) = timed_build(&site);
    eprintln!("100k tags: exit {} in {secs:.1} s", out.code);
    out.assert_code(1);
    let col = "tags: [".len() + tags[..100].iter().map(|t| t.len() + 2).sum::<usize>() + 1;
    assert_eq!(
        out.errors(),
        [format!(
            "error: content/diary/2020-02-11-tags.md:4:{col}: too many tags (100000); an entry may have at most 100"
        )]
    );
}

#[test]
fn hundred_tags_on_one_entry_build() {
    let site = TestSite::new();
    let tags: Vec<String> = (0..100).map(|i| format!("标签{i}")).collect();
    site.file(
        "content/diary/2020-02-11-tags.md",
        &entry(
            &format!("title: 标签\ndate: 2020-02-11\ntags: [{}]", tags.join(", ")),
            "x\n",
        ),
    );
    site.build();
    assert!(site.exists("tags/biao-qian-99/index.html"));
    assert_host_safe(&site);
}

#[test]
fn ten_thousand_people_build_an_honor_roll() {
    let site = TestSite::new();
    for i in 0..10_000 {
        site.file(
            &format!("content/people/p{i}.yaml"),
            &format!("name: 人{i}\nbatch: {}\n", i % 7),
        );
    }
    let (out, secs) = timed_build(&site);
    eprintln!("10k people: {secs:.1} s");
    out.assert_ok();
    // 10,001 people (with wu-yang), 200 a page: 51 pages of the roll.
    let roll: Vec<String> = std::iter::once("people/index.html".to_string())
        .chain((2..=51).map(|k| format!("people/page/{k}/index.html")))
        .collect();
    assert!(!site.exists("people/page/52/index.html"));
    let on_roll = roll
        .iter()
        .filter(|p| site.read(p).contains("/column/people/p9999/"))
        .count();
    assert_eq!(on_roll, 1, "p9999 is on one page of the roll");
    assert!(site.exists("people/p9999/index.html"));
}

#[test]
fn fifty_megabyte_entry_builds_a_page() {
    let site = TestSite::new();
    let para = "今天病区里有两位病人情况好转，准备转到普通病房继续观察。**记者：**正文。\n\n";
    let body = para.repeat(50 * 1024 * 1024 / para.len());
    site.file(
        "content/diary/2020-02-11-huge.md",
        &entry("title: 巨\ndate: 2020-02-11", &body),
    );
    let (out, secs) = timed_build(&site);
    eprintln!("50 MB entry: exit {} in {secs:.1} s", out.code);
    out.assert_ok();
    assert!(site.read("diary/huge/index.html").len() > 50 * 1024 * 1024);
}

#[test]
fn control_characters_from_yaml_escapes_or_pasted_into_a_body_never_reach_the_output() {
    // YAML escapes write characters HTML forbids in text: NUL, VT, DEL, C1.
    const BAD: &str = r"\0\x0b\x7f\x85\x9f\ufdd0";
    // The same characters pasted into Markdown (NUL becomes U+FFFD there).
    const PASTED: &str = "\u{1}\u{b}\u{7f}\u{85}\u{9f}\u{fdd0}\u{1b}";
    let site = TestSite::new();
    site.file(
        "site.yaml",
        &format!(
            "title: \"专栏{BAD}\"\nsubtitle: \"副{BAD}\"\nbase_url: https://example.org/column/\n"
        ),
    )
    .file(
        "content/people/wu-yang.yaml",
        &format!(
            "name: \"吴{BAD}洋\"\nrole: \"护{BAD}士\"\nunit: \"医{BAD}院\"\nmotto: \"坚{BAD}持\"\n\
             deployed: 2020-02-09\nbio: \"简{BAD}介\"\nhonors:\n  - {{ date: 2020-03-08, title: \"表{BAD}彰\" }}\n"
        ),
    )
    .file(
        "content/diary/2020-02-10-arrival.md",
        &entry(
            &format!(
                "title: \"抵{BAD}达\"\ndate: 2020-02-10\nauthor: wu-yang\ntags: [\"护{BAD}理\"]\n\
                 summary: \"摘{BAD}要\"\ncredit: \"摄{BAD}影\""
            ),
            &format!(
                "今天{PASTED}抵达。\n\n`代{PASTED}码` <span title=\"标{PASTED}题\">正文</span>\n\n[链{PASTED}接](/about/ \"说{PASTED}明\")\n"
            ),
        ),
    )
    .file(
        "content/pages/about.md",
        &entry(
            &format!("title: \"关{BAD}于\"\nsummary: \"简{BAD}述\""),
            &format!("关{PASTED}于。\n"),
        ),
    );
    site.build().assert_ok();
    let forbidden = |c: char| {
        (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
            || ('\u{fdd0}'..='\u{fdef}').contains(&c)
    };
    let mut texts = 0;
    for (path, bytes) in site.site_snapshot() {
        // Pages, feeds, the search documents, sitemap, robots.txt.
        if !["html", "xml", "json", "txt"]
            .iter()
            .any(|ext| path.ends_with(&format!(".{ext}")))
        {
            continue;
        }
        let text = String::from_utf8(bytes).expect("text output is UTF-8");
        texts += 1;
        let bad: Vec<char> = text.chars().filter(|&c| forbidden(c)).collect();
        assert!(bad.is_empty(), "{path} has {bad:?}");
    }
    assert!(texts > 10, "only {texts} text files");
    let entry = site.read("diary/arrival/index.html");
    for word in [
        "今天抵达",
        "代码",
        "标题",
        "链接",
        "说明",
        "护理",
        "吴洋",
        "摘要",
        "专栏",
    ] {
        assert!(entry.contains(word), "{word} missing from the entry page");
    }
    let person = site.read("people/wu-yang/index.html");
    for word in ["护士", "医院", "坚持", "简介", "表彰"] {
        assert!(person.contains(word), "{word} missing from the person page");
    }
    assert!(site.read("about/index.html").contains("关于"));
}
