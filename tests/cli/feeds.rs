//! RSS and Atom feeds as a feed reader sees them: parsed by feed-rs (and
//! feedparser, where installed), not by laurel.

use std::collections::HashSet;

use crate::support::{
    BASE_URL, TestSite, entry, feedparser, has_feedparser, parse_feed, real_client, text_of,
    unescape,
};

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

/// A title with markup-like text, XML's specials and Chinese quotes.
const TRICKY_TITLE: &str = "“致敬” <b>白衣</b> & 战士 </title>";
/// A plain-text summary that looks like HTML.
const TRICKY_SUMMARY: &str = "摘要 <i>不是标签</i> & 符号";

/// One entry whose title, summary and body hold Chinese text and everything
/// HTML and XML must escape: code with `<script>`, `&&`, raw HTML, a CDATA end.
fn site_with_tricky_entry() -> TestSite {
    let site = TestSite::new();
    site.file(
        "content/diary/2020-02-11-tricky.md",
        &entry(
            &format!(
                "title: '{TRICKY_TITLE}'\ndate: 2020-02-11 08:00\nauthor: wu-yang\nsummary: '{TRICKY_SUMMARY}'"
            ),
            "今天**抵达**武汉，见到[吴洋](/people/wu-yang/)。代码 `<script>alert(1)</script>` 与 `a && b`。\n\n\
             - [x] 交接完成\n- [ ] 明天查房\n\n原始 HTML：<span>一 &amp; 二</span>，]]> 结束。\n",
        ),
    );
    site.build();
    site
}

/// The entry's body as its page shows it, with links made absolute (as feeds
/// must have them).
fn page_body(site: &TestSite) -> String {
    let html = site.read("diary/tricky/index.html");
    let start = html
        .find("<div class=\"prose\">")
        .expect("the page has a prose block")
        + "<div class=\"prose\">".len();
    let len = html[start..]
        .find("</div>")
        .expect("the prose block is closed");
    html[start..start + len]
        .trim()
        .replace("href=\"/column/", &format!("href=\"{BASE_URL}"))
}

#[test]
fn feed_rs_reads_back_the_title_and_body_the_page_shows() {
    let site = site_with_tricky_entry();
    let body = page_body(&site);
    assert!(
        body.contains("<code>&lt;script&gt;alert(1)&lt;/script&gt;</code>")
            && body.contains("☑</span> 交接完成")
            && body.contains("]]&gt; 结束"),
        "the page body: {body}"
    );
    let feed = parse_feed(&site, "rss.xml");
    let item = feed
        .entries
        .iter()
        .find(|e| {
            e.links
                .first()
                .is_some_and(|l| l.href == format!("{BASE_URL}diary/tricky/"))
        })
        .expect("the entry is in the feed");
    assert_eq!(item.title.as_ref().unwrap().content, TRICKY_TITLE);
    let content = item.content.as_ref().and_then(|c| c.body.as_deref());
    assert_eq!(content.map(str::trim), Some(body.as_str()));
}

#[test]
fn feedparser_reads_back_the_title_and_body_the_page_shows() {
    if !real_client(
        "feedparser",
        has_feedparser(),
        "python3 -m pip install feedparser",
    ) {
        return;
    }
    let site = site_with_tricky_entry();
    let body = page_body(&site);
    for path in ["rss.xml", "people/wu-yang/rss.xml"] {
        let feed = feedparser(&site, path);
        assert_eq!(feed["bozo"], false, "{path}: {}", feed["bozo_exception"]);
        let item = &feed["entries"][0];
        assert_eq!(item["title"], TRICKY_TITLE, "{path}");
        assert_eq!(item["link"], format!("{BASE_URL}diary/tricky/"), "{path}");
        assert_eq!(item["id"], format!("{BASE_URL}diary/tricky/"), "{path}");
        assert_eq!(item["published"], "2020-02-11T00:00:00+00:00", "{path}");
        assert_eq!(
            item["content"].as_str().map(str::trim),
            Some(body.as_str()),
            "{path}"
        );
    }
}

/// `summary:` is plain text on the page (escaped); in a feed, `<description>`
/// is HTML, so the text must arrive escaped there too, or a reader shows
/// `<i>` as italics (and would run whatever markup a summary holds).
#[test]
fn feed_summary_is_the_text_the_page_shows() {
    let site = site_with_tricky_entry();
    let feed = parse_feed(&site, "rss.xml");
    let summary = feed.entries[0].summary.as_ref().expect("a summary");
    assert_eq!(unescape(&text_of(&summary.content)), TRICKY_SUMMARY);
    if real_client(
        "feedparser",
        has_feedparser(),
        "python3 -m pip install feedparser",
    ) {
        let summary = feedparser(&site, "rss.xml")["entries"][0]["summary"].clone();
        let summary = summary.as_str().expect("a summary");
        assert_eq!(unescape(&text_of(summary)), TRICKY_SUMMARY);
    }
}

/// Every RSS feed of the site (site, people, tags).
fn rss_paths(site: &TestSite) -> Vec<String> {
    site.snapshot_dir()
        .into_keys()
        .filter(|p| p == "rss.xml" || p.ends_with("/rss.xml"))
        .collect()
}

/// Of each item: id, title, link, date.
fn items(feed: &feed_rs::model::Feed) -> Vec<(String, String, String, String)> {
    feed.entries
        .iter()
        .map(|e| {
            (
                e.id.clone(),
                e.title
                    .as_ref()
                    .map(|t| t.content.clone())
                    .unwrap_or_default(),
                e.links.first().map(|l| l.href.clone()).unwrap_or_default(),
                e.published.map(|d| d.to_rfc3339()).unwrap_or_default(),
            )
        })
        .collect()
}

#[test]
fn every_rss_feed_has_an_atom_twin_with_the_same_items() {
    let site = site_with_three_entries("title: 测试专栏\nbase_url: https://example.org/column/\n");
    site.build();
    let paths = rss_paths(&site);
    assert_eq!(
        paths,
        [
            "people/li-si/rss.xml",
            "people/wu-yang/rss.xml",
            "rss.xml",
            "tags/nursing/rss.xml"
        ]
    );
    for rss_path in &paths {
        let atom_path = rss_path.replace("rss.xml", "atom.xml");
        let rss = parse_feed(&site, rss_path);
        let atom = parse_feed(&site, &atom_path);
        assert_eq!(
            atom.feed_type,
            feed_rs::model::FeedType::Atom,
            "{atom_path}"
        );
        assert!(!atom.entries.is_empty(), "{atom_path} has entries");
        assert_eq!(items(&atom), items(&rss), "{atom_path} and {rss_path}");
        assert_eq!(
            atom.updated.map(|d| d.to_rfc3339()),
            atom.entries[0].published.map(|d| d.to_rfc3339()),
            "{atom_path}: updated when its newest entry was"
        );
        let self_link = atom.links.iter().find(|l| l.rel.as_deref() == Some("self"));
        assert_eq!(
            self_link.map(|l| l.href.as_str()),
            Some(format!("{BASE_URL}{atom_path}").as_str())
        );
    }
    // Each page names its Atom feed beside its RSS feed.
    let alternate = |page: &str, feed: &str| {
        let html = site.read(page);
        let link = r#"type="application/atom+xml" title=""#;
        let href = format!(r#"href="/column/{feed}">"#);
        assert!(
            html.lines().any(|l| l.contains(link) && l.contains(&href)),
            "{page} has no Atom link to {feed}"
        );
    };
    alternate("index.html", "atom.xml");
    alternate("diary/arrival/index.html", "atom.xml");
    alternate("tags/nursing/index.html", "tags/nursing/atom.xml");
    alternate("people/li-si/index.html", "people/li-si/atom.xml");
}

#[test]
fn atom_feeds_carry_the_title_body_and_summary_the_page_shows() {
    let site = site_with_tricky_entry();
    let body = page_body(&site);
    let feed = parse_feed(&site, "atom.xml");
    let item = &feed.entries[0];
    assert_eq!(item.id, format!("{BASE_URL}diary/tricky/"));
    assert_eq!(item.title.as_ref().unwrap().content, TRICKY_TITLE);
    let content = item.content.as_ref().and_then(|c| c.body.as_deref());
    assert_eq!(content.map(str::trim), Some(body.as_str()));
    let summary = item.summary.as_ref().expect("a summary");
    assert_eq!(summary.content, TRICKY_SUMMARY);
    assert_eq!(item.authors[0].name, "吴洋");
    if !real_client(
        "feedparser",
        has_feedparser(),
        "python3 -m pip install feedparser",
    ) {
        return;
    }
    for path in ["atom.xml", "people/wu-yang/atom.xml"] {
        let atom = feedparser(&site, path);
        assert_eq!(atom["bozo"], false, "{path}: {}", atom["bozo_exception"]);
        let rss = feedparser(&site, &path.replace("atom.xml", "rss.xml"));
        let item = &atom["entries"][0];
        for key in ["title", "link", "id", "published"] {
            assert_eq!(item[key], rss["entries"][0][key], "{path}: {key}");
        }
        assert_eq!(item["id"], format!("{BASE_URL}diary/tricky/"), "{path}");
        assert_eq!(
            item["content"].as_str().map(str::trim),
            Some(body.as_str()),
            "{path}"
        );
        assert_eq!(item["summary"], TRICKY_SUMMARY, "{path}");
    }
}
