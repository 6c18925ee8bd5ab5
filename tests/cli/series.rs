//! `series:` in front matter: the series' own page lists its parts in
//! reading order (with feeds), and each part's page says which part it is
//! and links the parts before and after it.

use crate::support::*;

/// Three parts of 方舱日记 (written out of order) and one other entry.
fn site_with_series() -> TestSite {
    let site = TestSite::new();
    for (file, title, date) in [
        ("2020-02-20-two.md", "方舱第二天", "2020-02-20"),
        ("2020-02-19-one.md", "方舱第一天", "2020-02-19"),
        ("2020-02-25-three.md", "方舱第三天", "2020-02-25"),
    ] {
        site.file(
            &format!("content/diary/{file}"),
            &entry(
                &format!("title: {title}\ndate: {date}\nseries: 方舱日记"),
                "正文。\n",
            ),
        );
    }
    site
}

/// The `<nav class="box series-nav">` of an entry page, as text.
fn series_box(site: &TestSite, slug: &str) -> String {
    let html = site.read(&format!("diary/{slug}/index.html"));
    let start = html
        .find("<nav class=\"box series-nav\"")
        .unwrap_or_else(|| panic!("diary/{slug}/ has no series box"));
    let nav = &html[start..];
    nav[..nav.find("</nav>").expect("closed")].to_string()
}

#[test]
fn a_series_part_shows_its_number_and_its_neighbours_in_the_series() {
    let site = site_with_series();
    site.build().assert_ok();
    let two = series_box(&site, "two");
    assert!(
        text_of(&two).starts_with("专题 · 第 2 篇，共 3 篇 方舱日记"),
        "{two}"
    );
    assert!(
        two.contains(r#"<a href="/column/series/fang-cang-ri-ji/">方舱日记</a>"#),
        "{two}"
    );
    assert!(
        two.contains(r#"href="/column/diary/one/""#)
            && text_of(&two).contains("专题上一篇: 方舱第一天"),
        "{two}"
    );
    assert!(
        two.contains(r#"href="/column/diary/three/""#)
            && text_of(&two).contains("专题下一篇: 方舱第三天"),
        "{two}"
    );
    let one = series_box(&site, "one");
    assert!(
        text_of(&one).starts_with("专题 · 第 1 篇，共 3 篇"),
        "{one}"
    );
    assert!(!one.contains("专题上一篇"), "{one}");
    // An entry outside the series has no box.
    assert!(!site.read("diary/arrival/index.html").contains("series-nav"));
}

#[test]
fn the_series_page_lists_its_parts_oldest_first_with_feeds() {
    let site = site_with_series();
    site.build().assert_ok();
    let page = site.read("series/fang-cang-ri-ji/index.html");
    let main = main_of(&page);
    let order: Vec<usize> = ["/diary/one/", "/diary/two/", "/diary/three/"]
        .iter()
        .map(|u| {
            main.find(u)
                .unwrap_or_else(|| panic!("{u} missing: {main}"))
        })
        .collect();
    assert!(order.is_sorted(), "{main}");
    assert!(text_of(main).contains("第 1 篇"), "{main}");
    assert!(page_title(&page).starts_with("方舱日记"));
    for feed in [
        "series/fang-cang-ri-ji/rss.xml",
        "series/fang-cang-ri-ji/atom.xml",
    ] {
        let titles: Vec<String> = parse_feed(&site, feed)
            .entries
            .iter()
            .map(|e| e.title.as_ref().unwrap().content.clone())
            .collect();
        assert_eq!(titles, ["方舱第三天", "方舱第二天", "方舱第一天"], "{feed}");
    }
    assert!(
        site.read("sitemap.xml")
            .contains("/column/series/fang-cang-ri-ji/")
    );
}

#[test]
fn series_in_english() {
    let site = site_with_series();
    site.file("site.yaml", &format!("{SITE_YAML}language: en\n"));
    site.build().assert_ok();
    assert!(text_of(&series_box(&site, "three")).starts_with("Series · Part 3 of 3"));
}

#[test]
fn a_page_may_not_take_the_series_url() {
    let site = TestSite::new();
    site.file(
        "content/pages/series.md",
        "---\ntitle: 专题\nslug: series\n---\n说明。\n",
    );
    let out = site.run(&["build"]);
    out.assert_code(1);
    assert_eq!(
        out.errors(),
        ["error: content/pages/series.md:3:7: URL /series/ is reserved for laurel's own pages"]
    );
}
