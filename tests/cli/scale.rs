//! Bounded output: no page grows with the number of entries, people or tags.
//! Lists past a page's worth go on to further pages (archive months, the
//! honor roll, a person's timeline, the tag list) and every item is still
//! listed exactly once.

use std::collections::BTreeMap;

use crate::support::{TestSite, attr_values, entry};

/// The largest HTML page laurel writes for a site of small entries, however
/// many entries, people and tags it has.
const PAGE_LIMIT: usize = 256 * 1024;

/// 1,600 entries in one month, all by one author, each with its own tag;
/// 450 people in one batch.
fn big_site() -> TestSite {
    let site = TestSite::empty();
    site.file(
        "site.yaml",
        "title: 大专栏\nbase_url: https://example.org/column/\nlanguage: zh-CN\nentries_per_page: 10\n",
    );
    for p in 0..450 {
        site.file(
            &format!("content/people/p{p:03}.yaml"),
            &format!(
                "name: 队员{p}\nrole: 护士\nunit: 市第一人民医院\nbatch: 1\ndeployed: 2020-02-09\nmotto: 坚守岗位\n"
            ),
        );
    }
    for i in 0..1600 {
        let day = 1 + i % 28;
        let (h, m) = (i / 60 % 24, i % 60);
        site.file(
            &format!("content/diary/2020-02-{day:02}-e{i}.md"),
            &entry(
                &format!(
                    "title: 第{i}篇日记\ndate: 2020-02-{day:02} {h:02}:{m:02}\nauthor: p000\npeople: [p{:03}]\ntags: [话题{i}]",
                    1 + i % 449
                ),
                &format!("今天是第{i}篇。队员们在病区里忙碌。\n"),
            ),
        );
    }
    site
}

/// Every `href` in the pages `paths` that starts with `prefix`, with how
/// often it appears.
fn links_in(site: &TestSite, paths: &[String], prefix: &str) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for p in paths {
        let page = site.read(p);
        for href in attr_values(&page, "href") {
            // Links to further pages of a list are not items of it.
            if href.starts_with(prefix) && href != prefix && !href.contains("/page/") {
                *out.entry(href.to_string()).or_default() += 1;
            }
        }
    }
    out
}

/// `base`'s first page and its `page/N/` pages, as public/ paths, checking
/// there are exactly `pages` of them.
fn pages_of(site: &TestSite, base: &str, pages: usize) -> Vec<String> {
    let all: Vec<String> = std::iter::once(format!("{base}index.html"))
        .chain((2..=pages).map(|k| format!("{base}page/{k}/index.html")))
        .collect();
    for p in &all {
        assert!(site.exists(p), "{p} is missing");
    }
    assert!(
        !site.exists(&format!("{base}page/{}/index.html", pages + 1)),
        "{base} has more than {pages} pages"
    );
    all
}

#[test]
fn no_page_grows_with_the_number_of_entries_people_or_tags() {
    let site = big_site();
    site.build();
    let mut largest = (0, String::new());
    for (path, bytes) in site.site_snapshot() {
        if path.ends_with(".html") && bytes.len() > largest.0 {
            largest = (bytes.len(), path);
        }
    }
    assert!(
        largest.0 <= PAGE_LIMIT,
        "{} is {} bytes (limit {PAGE_LIMIT})",
        largest.1,
        largest.0
    );

    // The archive: an index of months, then 100 entries a page.
    let index = site.read("archive/index.html");
    assert!(
        index.contains("href=\"/column/archive/2020/02/\""),
        "{index}"
    );
    assert!(index.contains("1600 篇日记"), "the month's count");
    assert!(
        !index.contains("/column/diary/"),
        "a large archive index lists months only"
    );
    let month = pages_of(&site, "archive/2020/02/", 16);
    let listed = links_in(&site, &month, "/column/diary/");
    assert_eq!(listed.len(), 1600, "every entry of the month");
    assert!(listed.values().all(|&n| n == 1), "each entry once");

    // The honor roll: 200 people a page, the batch's size on each.
    let roll = pages_of(&site, "people/", 3);
    let people = links_in(&site, &roll, "/column/people/p");
    assert_eq!(people.len(), 450, "every person on the roll");
    for p in &roll {
        assert!(site.read(p).contains("450 人"), "{p}: the batch's size");
    }

    // The author's timeline: 100 entries a page; the profile on every page.
    let timeline = pages_of(&site, "people/p000/", 16);
    let theirs = links_in(&site, &timeline, "/column/diary/");
    assert_eq!(theirs.len(), 1600, "every entry on the timeline");

    // The tag list: 500 tags a page.
    let tags = pages_of(&site, "tags/", 4);
    assert_eq!(
        links_in(&site, &tags, "/column/tags/").len(),
        1600,
        "every tag listed"
    );
}

#[test]
fn a_small_archive_lists_its_entries_on_the_index_and_on_month_pages() {
    let site = TestSite::new();
    site.file(
        "content/diary/2020-03-01-march.md",
        &entry(
            "title: 三月\ndate: 2020-03-01 09:00\nauthor: wu-yang",
            "正文\n",
        ),
    );
    site.build();
    let index = site.read("archive/index.html");
    for href in [
        "/column/archive/2020/03/",
        "/column/archive/2020/02/",
        "/column/diary/march/",
        "/column/diary/arrival/",
    ] {
        assert!(
            index.contains(&format!("href=\"{href}\"")),
            "{href}: {index}"
        );
    }
    let march = site.read("archive/2020/03/index.html");
    assert!(march.contains("href=\"/column/diary/march/\""));
    assert!(
        !march.contains("href=\"/column/diary/arrival/\""),
        "February's entry"
    );
    // Month to month.
    assert!(
        march.contains("href=\"/column/archive/2020/02/\""),
        "the older month"
    );
    let sitemap = String::from_utf8(site.site_snapshot()["sitemap.xml"].clone()).unwrap();
    assert!(sitemap.contains("<loc>https://example.org/column/archive/2020/03/</loc>"));
}
