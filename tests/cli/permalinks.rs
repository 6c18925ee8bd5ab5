//! `permalinks: { entry: … }` in site.yaml: where entry pages live, and that
//! every link to an entry (cards, feeds, sitemap, search, neighbours,
//! series, aliases, the WeChat export) follows; bad patterns and the URL
//! clashes they allow are located errors.

use crate::support::*;

const ARRIVAL_FILE: &str = "content/diary/2020-02-10-arrival.md";

fn site_with(permalinks: &str) -> TestSite {
    let site = TestSite::new();
    site.file(
        "site.yaml",
        &format!("{SITE_YAML}permalinks:\n  entry: {permalinks}\n"),
    );
    site
}

/// The minimal site plus a second entry (same tag, same person, same series).
fn two_entries(permalinks: &str) -> TestSite {
    let site = site_with(permalinks);
    site.file(
        ARRIVAL_FILE,
        &entry(
            "title: 抵达\ndate: 2020-02-10 21:30\nauthor: wu-yang\ntags: [nursing]\nseries: 方舱日记\naliases: [/old/arrival/]",
            "今天抵达。\n",
        ),
    )
    .file(
        "content/diary/2020-03-01-night.md",
        &entry(
            "title: 夜班\ndate: 2020-03-01\nauthor: wu-yang\ntags: [nursing]\nseries: 方舱日记",
            "夜里很安静。见[抵达](/diary/2020/02/arrival/)。\n",
        ),
    );
    site
}

#[test]
fn entries_are_written_where_the_pattern_says_and_every_link_follows() {
    let site = two_entries("\"/diary/:year/:month/:slug/\"");
    site.build().assert_ok();
    assert!(site.exists("diary/2020/02/arrival/index.html"));
    assert!(site.exists("diary/2020/03/night/index.html"));
    assert!(!site.exists("diary/arrival/index.html"));
    let url = "/column/diary/2020/02/arrival/";
    let abs = "https://example.org/column/diary/2020/02/arrival/";
    // Cards on the home page, tag, person, series and archive pages.
    for page in [
        "index.html",
        "tags/nursing/index.html",
        "people/wu-yang/index.html",
        "series/fang-cang-ri-ji/index.html",
        "archive/2020/02/index.html",
    ] {
        let html = site.read(page);
        assert!(html.contains(&format!("href=\"{url}\"")), "{page}: {html}");
        assert!(!html.contains("/column/diary/arrival/"), "{page}: {html}");
    }
    // The newer entry's neighbour and series links, and its body link.
    let night = site.read("diary/2020/03/night/index.html");
    assert!(
        attr_values(&night, "href")
            .iter()
            .filter(|h| **h == url)
            .count()
            >= 2,
        "{night}"
    );
    // The entry's own canonical link.
    let arrival = site.read("diary/2020/02/arrival/index.html");
    assert!(
        arrival.contains(&format!("<link rel=\"canonical\" href=\"{abs}\">")),
        "{arrival}"
    );
    // Feeds, the sitemap, the alias page, the search documents.
    for file in ["rss.xml", "atom.xml", "tags/nursing/rss.xml", "sitemap.xml"] {
        assert!(site.read(file).contains(abs), "{file}");
    }
    assert!(site.read("old/arrival/index.html").contains(abs));
    let docs: String = (0..2)
        .filter(|b| site.exists(&format!("search/d/{b}.json")))
        .map(|b| site.read(&format!("search/d/{b}.json")))
        .collect();
    assert!(docs.contains(&format!("\"u\":\"{url}\"")), "{docs}");
    // No link of the site leads nowhere.
    let check = site.run(&["check"]);
    check.assert_ok();
    assert!(
        check.stdout.contains("no broken internal links"),
        "{}",
        check.stdout
    );
    // The WeChat export of the newer entry links to the older one's address.
    let wechat = site.run(&["export", "wechat", "night"]);
    wechat.assert_ok();
    assert!(wechat.stdout.contains(abs), "{}", wechat.stdout);
}

#[test]
fn the_default_pattern_is_diary_slug() {
    let site = TestSite::new();
    site.build().assert_ok();
    assert!(site.exists("diary/arrival/index.html"));
    let site = site_with("/diary/:slug/");
    site.build().assert_ok();
    assert!(site.exists("diary/arrival/index.html"));
}

#[test]
fn author_and_day_tokens() {
    let site = site_with("/:author/:year-:month-:day-:slug/");
    site.build().assert_ok();
    assert!(site.exists("wu-yang/2020-02-10-arrival/index.html"));
    assert!(
        site.read("index.html")
            .contains("href=\"/column/wu-yang/2020-02-10-arrival/\"")
    );
}

#[test]
fn an_entry_without_an_author_under_an_author_pattern_is_an_error_at_the_entry() {
    let site = site_with("/:author/:slug/");
    site.file(
        "content/diary/2020-02-11-night.md",
        &entry("title: 夜班\ndate: 2020-02-11", "夜里很安静。\n"),
    );
    let out = site.run(&["build"]);
    out.assert_code(1);
    assert_eq!(
        out.errors(),
        [
            "error: content/diary/2020-02-11-night.md:1:1: this entry has no author, and its URL /:author/:slug/ needs one"
        ]
    );
    assert!(
        out.stderr.contains("hint: add `author: <person id>`"),
        "{}",
        out.stderr
    );
}

#[test]
fn bad_patterns_are_errors_at_their_value_in_site_yaml() {
    let cases = [
        (
            "/diary/:yaer/:slug/",
            "site.yaml:4:10: unknown permalink token `:yaer` in `/diary/:yaer/:slug/`",
        ),
        (
            "/diary/:year/",
            "site.yaml:4:10: permalink `/diary/:year/` has no `:slug`, so entries could share a URL",
        ),
        (
            "diary/:slug/",
            "site.yaml:4:10: permalink `diary/:slug/` must start and end with `/`",
        ),
        (
            "/diary/:slug",
            "site.yaml:4:10: permalink `/diary/:slug` must start and end with `/`",
        ),
        (
            "/diary/../:slug/",
            "site.yaml:4:10: permalink `/diary/../:slug/` has an empty, `.` or `..` segment",
        ),
        (
            "\"/diary/a b/:slug/\"",
            "site.yaml:4:10: permalink `/diary/a b/:slug/` has ` `, which is not safe in a URL path",
        ),
    ];
    for (pattern, want) in cases {
        let site = site_with(pattern);
        let out = site.run(&["build"]);
        out.assert_code(1);
        assert_eq!(out.errors(), [format!("error: {want}")], "{pattern}");
        assert!(
            !site.exists("index.html"),
            "{pattern}: something was written"
        );
    }
}

#[test]
fn unknown_permalink_keys_are_errors() {
    let site = TestSite::new();
    site.file(
        "site.yaml",
        &format!("{SITE_YAML}permalinks:\n  people: /p/:id/\n"),
    );
    let out = site.run(&["build"]);
    out.assert_code(1);
    assert!(
        out.errors()[0].starts_with("error: site.yaml:4:3: unknown key `people`"),
        "{}",
        out.stderr
    );
}

#[test]
fn two_entries_on_one_url_is_an_error_naming_both() {
    // Different slugs by default, one URL under this pattern.
    let site = site_with("/diary/:year/:month/:slug/");
    site.file(
        "content/diary/2020-02-20-arrival.md",
        &entry(
            "title: 又一次抵达\ndate: 2020-02-20\nslug: arrival",
            "又来了。\n",
        ),
    );
    site.file(
        ARRIVAL_FILE,
        &entry(
            "title: 抵达\ndate: 2020-02-10 21:30\nauthor: wu-yang",
            "今天抵达。\n",
        ),
    );
    let out = site.run(&["build"]);
    out.assert_code(1);
    assert_eq!(
        out.errors(),
        [
            "error: content/diary/2020-02-20-arrival.md:4:7: URL /diary/2020/02/arrival/ is also used by content/diary/2020-02-10-arrival.md"
        ]
    );
}

#[test]
fn an_entry_on_a_generated_page_is_an_error_naming_both() {
    let site = site_with("/:slug/");
    site.file(
        ARRIVAL_FILE,
        &entry(
            "title: 抵达\ndate: 2020-02-10 21:30\nauthor: wu-yang\nslug: people",
            "今天抵达。\n",
        ),
    );
    let out = site.run(&["build"]);
    out.assert_code(1);
    assert_eq!(
        out.errors(),
        [format!(
            "error: {ARRIVAL_FILE}:5:7: the entry's URL /column/people/ is also where the honor roll is written"
        )]
    );

    // A standalone page on the same URL.
    site.file(
        ARRIVAL_FILE,
        &entry(
            "title: 抵达\ndate: 2020-02-10 21:30\nauthor: wu-yang\nslug: about",
            "今天。\n",
        ),
    )
    .file(
        "content/pages/about.md",
        "---\ntitle: 关于\n---\n关于本栏。\n",
    );
    let out = site.run(&["build"]);
    out.assert_code(1);
    let errors = out.errors();
    assert_eq!(errors.len(), 1, "{}", out.stderr);
    assert!(
        errors[0].contains("URL /about/ is also used by"),
        "{}",
        errors[0]
    );
    assert!(
        errors[0].contains("about.md") && errors[0].contains("arrival.md"),
        "{}",
        errors[0]
    );
}

#[test]
fn one_slug_in_two_years_is_two_entries_and_exports_ask_for_the_file() {
    let site = site_with("/diary/:year/:slug/");
    site.file(
        "content/diary/2021-02-10-arrival.md",
        &entry(
            "title: 一年后\ndate: 2021-02-10\nauthor: wu-yang",
            "一年了。\n",
        ),
    );
    site.build().assert_ok();
    assert!(site.exists("diary/2020/arrival/index.html"));
    assert!(site.exists("diary/2021/arrival/index.html"));
    let out = site.run(&["export", "wechat", "arrival"]);
    out.assert_code(2);
    assert!(
        out.stderr.contains("the slug `arrival` names 2 entries: content/diary/2021-02-10-arrival.md, content/diary/2020-02-10-arrival.md"),
        "{}",
        out.stderr
    );
    let by_file = site.run(&["export", "wechat", "content/diary/2021-02-10-arrival.md"]);
    by_file.assert_ok();
    assert!(by_file.stdout.contains("一年了。"), "{}", by_file.stdout);
}
