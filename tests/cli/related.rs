//! Related entries on an entry page: others that share its people (weighted
//! above tags) or its tags, up to `related: { limit }` (4 by default).

use crate::support::*;

/// The minimal site's entry (`arrival`, by wu-yang, tag nursing) and four
/// more: one by wu-yang without tags, two with the tag only, one unrelated.
fn site_with_neighbours(site_yaml: &str) -> TestSite {
    let site = TestSite::new();
    site.file("site.yaml", site_yaml)
        .file("content/people/li-si.yaml", "name: 李四\n")
        .file(
            "content/diary/2020-01-01-by-wu.md",
            &entry(
                "title: 吴洋旧文\ndate: 2020-01-01\nauthor: wu-yang",
                "正文。\n",
            ),
        )
        .file(
            "content/diary/2020-03-01-tag-new.md",
            &entry(
                "title: 同标签新\ndate: 2020-03-01\ntags: [nursing]",
                "正文。\n",
            ),
        )
        .file(
            "content/diary/2020-02-20-tag-old.md",
            &entry(
                "title: 同标签旧\ndate: 2020-02-20\nauthor: li-si\ntags: [nursing]",
                "正文。\n",
            ),
        )
        .file(
            "content/diary/2020-02-15-other.md",
            &entry(
                "title: 无关\ndate: 2020-02-15\nauthor: li-si\ntags: [other]",
                "正文。\n",
            ),
        );
    site
}

/// The URLs the entry page's related list links to, in order.
fn related_of(site: &TestSite, slug: &str) -> Vec<String> {
    let html = site.read(&format!("diary/{slug}/index.html"));
    let Some(start) = html.find("<section class=\"aside\" aria-labelledby=\"entry-related\">")
    else {
        return Vec::new();
    };
    let section = &html[start..];
    let section = &section[..section.find("</section>").expect("closed")];
    attr_values(section, "href")
        .into_iter()
        .map(str::to_string)
        .collect()
}

#[test]
fn related_entries_put_shared_people_before_tags_then_newest() {
    let site = site_with_neighbours(SITE_YAML);
    site.build().assert_ok();
    assert_eq!(
        related_of(&site, "arrival"),
        [
            "/column/diary/by-wu/",
            "/column/diary/tag-new/",
            "/column/diary/tag-old/",
        ]
    );
    let page = site.read("diary/arrival/index.html");
    assert!(
        text_of(main_of(&page)).contains("相关日记 吴洋旧文"),
        "{page}"
    );
    // li-si's two entries share a person; the tag links tag-old to the rest.
    assert_eq!(
        related_of(&site, "tag-old"),
        [
            "/column/diary/other/",
            "/column/diary/tag-new/",
            "/column/diary/arrival/",
        ]
    );
}

#[test]
fn related_limit_caps_the_list_and_zero_turns_it_off() {
    let site = site_with_neighbours(&format!("{SITE_YAML}related: {{ limit: 1 }}\n"));
    site.build().assert_ok();
    assert_eq!(related_of(&site, "arrival"), ["/column/diary/by-wu/"]);
    site.file(
        "site.yaml",
        &format!("{SITE_YAML}related: {{ limit: 0 }}\n"),
    );
    site.build().assert_ok();
    assert_eq!(related_of(&site, "arrival"), Vec::<String>::new());
    assert!(!site.read("diary/arrival/index.html").contains("相关日记"));
}

#[test]
fn an_entry_sharing_nothing_has_no_related_list() {
    let site = TestSite::new();
    site.file(
        "content/diary/2020-02-11-alone.md",
        &entry("title: 独自\ndate: 2020-02-11", "正文。\n"),
    );
    site.build().assert_ok();
    assert_eq!(related_of(&site, "alone"), Vec::<String>::new());
}

#[test]
fn a_related_entry_retitled_shows_its_new_title_after_a_rebuild() {
    let site = site_with_neighbours(SITE_YAML);
    site.build().assert_ok();
    // Not a neighbour of `arrival` (whose older/newer links show titles too).
    site.file(
        "content/diary/2020-03-01-tag-new.md",
        &entry(
            "title: 同标签新（改）\ndate: 2020-03-01\ntags: [nursing]",
            "正文。\n",
        ),
    );
    site.build().assert_ok();
    assert!(
        site.read("diary/arrival/index.html")
            .contains(">同标签新（改）</a>")
    );
}

#[test]
fn related_limit_out_of_range_is_a_located_error() {
    let site = TestSite::new();
    site.file(
        "site.yaml",
        &format!("{SITE_YAML}related: {{ limit: 50 }}\n"),
    );
    let out = site.run(&["build"]);
    out.assert_code(1);
    assert_eq!(
        out.errors(),
        ["error: site.yaml:3:19: related.limit must be at most 20"]
    );
    site.file(
        "site.yaml",
        &format!("{SITE_YAML}related: {{ count: 2 }}\n"),
    );
    let out = site.run(&["build"]);
    out.assert_code(1);
    assert_eq!(out.errors(), ["error: site.yaml:3:12: unknown key `count`"]);
}
