//! `aliases:` in an entry's front matter: a redirect page at each old path,
//! so that links to an entry's old address keep working.

use crate::support::*;

/// The minimal site's entry with `aliases:` (front matter line 6).
fn arrival_with(aliases: &str) -> String {
    entry(
        &format!(
            "title: 抵达\ndate: 2020-02-10 21:30\nauthor: wu-yang\ntags: [nursing]\naliases: {aliases}"
        ),
        "今天抵达。\n",
    )
}

const ARRIVAL_FILE: &str = "content/diary/2020-02-10-arrival.md";

#[test]
fn an_alias_redirects_to_the_entry() {
    let site = TestSite::new();
    site.file(
        ARRIVAL_FILE,
        &arrival_with("[/old/arrival/, 2020/arrival.html]"),
    );
    site.build().assert_ok();
    for path in ["old/arrival/index.html", "2020/arrival.html"] {
        let page = site.read(path);
        assert!(
            page.contains(
                r#"<meta http-equiv="refresh" content="0; url=https://example.org/column/diary/arrival/">"#
            ),
            "{path}: {page}"
        );
        assert!(
            page.contains(
                r#"<link rel="canonical" href="https://example.org/column/diary/arrival/">"#
            ),
            "{page}"
        );
        assert!(
            page.contains(r#"<meta name="robots" content="noindex">"#),
            "{page}"
        );
        assert!(
            page.contains(r#"<a href="/column/diary/arrival/">抵达</a>"#),
            "{page}"
        );
    }
    let sitemap = site.read("sitemap.xml");
    assert!(!sitemap.contains("old/arrival"), "{sitemap}");
    assert!(!sitemap.contains("2020/arrival.html"), "{sitemap}");
}

#[test]
fn links_to_an_alias_are_not_broken() {
    let site = TestSite::new();
    site.file(ARRIVAL_FILE, &arrival_with("[/old/arrival/]"))
        .file(
            "content/pages/about.md",
            "---\ntitle: 关于\n---\n见[旧文](/old/arrival/)。\n",
        );
    let out = site.run(&["check"]);
    out.assert_ok();
    assert!(
        out.stdout.contains("no broken internal links"),
        "{}",
        out.stdout
    );
}

#[test]
fn an_alias_over_a_generated_page_is_an_error_naming_both() {
    let site = TestSite::new();
    site.file(ARRIVAL_FILE, &arrival_with("[/old/, /tags/nursing/]"));
    let out = site.run(&["build"]);
    out.assert_code(1);
    assert_eq!(
        out.errors(),
        [format!(
            "error: {ARRIVAL_FILE}:6:18: alias /tags/nursing/ would replace what the tag \"nursing\" writes"
        )]
    );
    assert!(!site.exists("index.html"));
}

#[test]
fn two_entries_with_one_alias_are_an_error_naming_both() {
    let site = TestSite::new();
    site.file(ARRIVAL_FILE, &arrival_with("[/old/]")).file(
        "content/diary/2020-02-11-night.md",
        &entry(
            "title: 夜班\ndate: 2020-02-11\naliases:\n  - /old",
            "夜里。\n",
        ),
    );
    let out = site.run(&["build"]);
    out.assert_code(1);
    assert_eq!(
        out.errors(),
        [
            format!(
                "error: {ARRIVAL_FILE}:6:11: alias /old/ would replace what the alias /old/ of content/diary/2020-02-11-night.md:5:5 writes"
            ),
            format!(
                "error: content/diary/2020-02-11-night.md:5:5: alias /old/ would replace what the alias /old/ of {ARRIVAL_FILE}:6:11 writes"
            ),
        ]
    );
}

#[test]
fn unsafe_aliases_are_located_errors() {
    let site = TestSite::new();
    site.file(
        ARRIVAL_FILE,
        &arrival_with(
            "\n  - /../../etc/\n  - https://evil.org/x/\n  - /old?id=3\n  - '/a\\b/'\n  - \"/a\\tb/\"\n  - /",
        ),
    );
    let out = site.run(&["build"]);
    out.assert_code(1);
    assert_eq!(
        out.errors(),
        [
            format!(
                "error: {ARRIVAL_FILE}:7:5: alias `/../../etc/` is not a plain path (an empty, `.`, `..` or hidden segment)"
            ),
            format!(
                "error: {ARRIVAL_FILE}:8:5: alias `https://evil.org/x/` must be a path on this site, without a scheme"
            ),
            format!(
                "error: {ARRIVAL_FILE}:9:5: alias `/old?id=3` has a query or fragment; write the path only"
            ),
            format!(
                "error: {ARRIVAL_FILE}:10:5: alias `/a\\b/` has a backslash, a space or a control character"
            ),
            format!(
                "error: {ARRIVAL_FILE}:11:5: alias `/a\tb/` has a backslash, a space or a control character"
            ),
            format!("error: {ARRIVAL_FILE}:12:5: alias `/` is the home page"),
        ]
    );
}
