//! RSS feeds as a feed reader sees them: parsed by feed-rs, not by laurel.

use std::collections::HashSet;

use crate::support::{BASE_URL, TestSite, entry, parse_feed};

/// A site with two people and three entries, one of them about both people.
fn site_with_three_entries(site_yaml: &str) -> TestSite {
    let site = TestSite::new();
    site.file("site.yaml", site_yaml)
        .file(
            "content/people/li-si.yaml",
            "name: 李四\ndeployed: 2020-02-20\n",
        )
        .file(
            "content/diary/2020-02-21-second.md",
            &entry(
                "title: 第二篇\ndate: 2020-02-21 08:00\nauthor: li-si\ntags: [nursing]",
                "正文。\n",
            ),
        )
        .file(
            "content/diary/2020-02-22-third.md",
            &entry(
                "title: 第三篇\ndate: 2020-02-22T09:30:00+08:00\nauthor: li-si\npeople: [wu-yang]",
                "正文。\n",
            ),
        );
    site
}

/// Every feed of the site: the site feed and one per person.
fn feed_paths(site: &TestSite) -> Vec<String> {
    let mut paths = vec!["rss.xml".to_string()];
    paths.extend(
        site.snapshot_dir()
            .into_keys()
            .filter(|p| p.starts_with("people/") && p.ends_with("/rss.xml")),
    );
    paths
}

#[test]
fn every_feed_item_has_title_absolute_link_date_and_unique_id() {
    let site = site_with_three_entries("title: 测试专栏\nbase_url: https://example.org/column/\n");
    site.build();
    let paths = feed_paths(&site);
    assert_eq!(
        paths,
        ["rss.xml", "people/li-si/rss.xml", "people/wu-yang/rss.xml"]
    );

    for path in &paths {
        let feed = parse_feed(&site, path);
        assert!(!feed.entries.is_empty(), "{path} has items");
        let mut ids = HashSet::new();
        for item in &feed.entries {
            let title = item.title.as_ref().map(|t| t.content.trim()).unwrap_or("");
            assert!(!title.is_empty(), "{path}: an item has no title");
            let link = item.links.first().map(|l| l.href.as_str()).unwrap_or("");
            assert!(
                link.starts_with(BASE_URL),
                "{path}: item `{title}` links to `{link}`"
            );
            assert!(
                item.published.is_some(),
                "{path}: item `{title}` has no date"
            );
            assert!(
                ids.insert(item.id.clone()),
                "{path}: id `{}` is used twice",
                item.id
            );
        }
    }

    let site_feed = parse_feed(&site, "rss.xml");
    let titles: Vec<&str> = site_feed
        .entries
        .iter()
        .filter_map(|e| e.title.as_ref())
        .map(|t| t.content.as_str())
        .collect();
    assert_eq!(
        titles,
        ["第三篇", "第二篇", "抵达"],
        "site feed: newest first"
    );
    let newest = site_feed.entries[0].published.expect("date");
    assert_eq!(
        newest.to_rfc3339(),
        "2020-02-22T01:30:00+00:00",
        "the entry's own time and offset"
    );
    // wu-yang wrote one entry and is mentioned in another.
    assert_eq!(parse_feed(&site, "people/wu-yang/rss.xml").entries.len(), 2);
}

#[test]
fn feed_ids_are_stable_across_builds() {
    let site = site_with_three_entries("title: 测试专栏\nbase_url: https://example.org/column/\n");
    site.build();
    let ids = |s: &TestSite| -> Vec<String> {
        parse_feed(s, "rss.xml")
            .entries
            .into_iter()
            .map(|e| e.id)
            .collect()
    };
    let first = ids(&site);
    site.file(
        "content/diary/2020-02-23-fourth.md",
        &entry("title: 第四篇\ndate: 2020-02-23", "正文。\n"),
    );
    site.build();
    let second = ids(&site);
    assert_eq!(
        &second[1..],
        &first[..],
        "adding an entry keeps the other items' ids"
    );
}

#[test]
fn feed_limit_caps_the_number_of_items() {
    let site = site_with_three_entries(
        "title: 测试专栏\nbase_url: https://example.org/column/\nfeed: { limit: 2 }\n",
    );
    site.build();
    let site_feed = parse_feed(&site, "rss.xml");
    assert_eq!(
        site_feed.entries.len(),
        2,
        "site feed holds the two newest entries"
    );
    assert_eq!(
        site_feed.entries[0].title.as_ref().unwrap().content,
        "第三篇"
    );
    for path in feed_paths(&site) {
        assert!(
            parse_feed(&site, &path).entries.len() <= 2,
            "{path} has more than 2 items"
        );
    }
    // The pages still list everything.
    assert!(site.read("index.html").contains("/column/diary/arrival/"));
}
