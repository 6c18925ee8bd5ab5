//! `pinned: true`: an entry stays first on the home page, marked as pinned,
//! while every other list keeps date order.

use crate::support::*;

/// Three entries, the oldest two pinned.
fn site_with_pinned() -> TestSite {
    let site = TestSite::new();
    site.file(
        "content/diary/2020-01-01-rules.md",
        &entry(
            "title: 守则\ndate: 2020-01-01\npinned: true\ntags: [nursing]",
            "守则。",
        ),
    )
    .file(
        "content/diary/2020-01-05-notice.md",
        &entry(
            "title: 通知\ndate: 2020-01-05\npinned: true\ntags: [nursing]",
            "通知。",
        ),
    )
    .file(
        "content/diary/2020-03-01-later.md",
        &entry("title: 后来\ndate: 2020-03-01\ntags: [nursing]", "后来。"),
    );
    site
}

/// The entry URLs of a list page, in the order its cards show them.
/// The entries a list links to, in order (a card links to its entry more
/// than once: cover, title, "read more").
fn card_order(html: &str) -> Vec<&str> {
    let mut order: Vec<&str> = attr_values(main_of(html), "href")
        .into_iter()
        .filter(|h| h.contains("/diary/"))
        .collect();
    order.dedup();
    order
}

#[test]
fn pinned_entries_lead_the_home_page_newest_pinned_first() {
    let site = site_with_pinned();
    site.build().assert_ok();
    let home = site.read("index.html");
    assert_eq!(
        card_order(&home),
        [
            "/column/diary/notice/",
            "/column/diary/rules/",
            "/column/diary/later/",
            "/column/diary/arrival/",
        ]
    );
    let pinned = card_linking_to(&home, "/column/diary/notice/");
    assert!(text_of(pinned).contains("置顶"), "{pinned}");
    let unpinned = card_linking_to(&home, "/column/diary/later/");
    assert!(!text_of(unpinned).contains("置顶"), "{unpinned}");
}

#[test]
fn pinned_marker_follows_the_site_language() {
    let site = site_with_pinned();
    site.file("site.yaml", &format!("{SITE_YAML}language: en\n"));
    site.build().assert_ok();
    let home = site.read("index.html");
    let pinned = card_linking_to(&home, "/column/diary/rules/");
    assert!(text_of(pinned).contains("Pinned"), "{pinned}");
}

#[test]
fn other_lists_and_feeds_keep_date_order() {
    let site = site_with_pinned();
    site.build().assert_ok();
    let dated = [
        "/column/diary/later/",
        "/column/diary/arrival/",
        "/column/diary/notice/",
        "/column/diary/rules/",
    ];
    let tag = site.read("tags/nursing/index.html");
    assert_eq!(card_order(&tag), dated);
    assert!(!text_of(main_of(&tag)).contains("置顶"));
    let feed = parse_feed(&site, "rss.xml");
    let links: Vec<String> = feed
        .entries
        .iter()
        .map(|e| {
            e.links[0]
                .href
                .trim_start_matches("https://example.org")
                .to_string()
        })
        .collect();
    assert_eq!(links, dated);
    // The entry page's older/newer links follow dates too.
    let later = site.read("diary/later/index.html");
    assert!(
        later.contains(r#"href="/column/diary/arrival/" rel="prev""#),
        "{later}"
    );
}

#[test]
fn pinned_spills_onto_the_next_home_page_in_order() {
    let site = site_with_pinned();
    site.file("site.yaml", &format!("{SITE_YAML}entries_per_page: 1\n"));
    site.build().assert_ok();
    assert_eq!(
        card_order(&site.read("index.html")),
        ["/column/diary/notice/"]
    );
    assert_eq!(
        card_order(&site.read("page/2/index.html")),
        ["/column/diary/rules/"]
    );
    assert_eq!(
        card_order(&site.read("page/3/index.html")),
        ["/column/diary/later/"]
    );
}

#[test]
fn pinned_must_be_true_or_false() {
    let site = TestSite::new();
    site.file(
        "content/diary/2020-01-01-rules.md",
        &entry(
            "title: 守则\ndate: 2020-01-01\npinned: yes please",
            "守则。",
        ),
    );
    let out = site.run(&["build"]);
    out.assert_code(1);
    assert_eq!(
        out.errors(),
        ["error: content/diary/2020-01-01-rules.md:4:9: invalid boolean"]
    );
}
