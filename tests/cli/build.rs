//! `laurel build` on good sites: the complete output, URLs under a base_url
//! with a path prefix, and reproducible bytes.

use crate::support::{BASE_URL, TestSite, attr_values, entry, main_of, parse_feed};

#[test]
fn site_yaml_and_content_alone_build_a_complete_site_with_the_embedded_theme() {
    let site = TestSite::new();
    site.file(
        "site.yaml",
        "title: 测试专栏\nbase_url: https://example.org/column/\nentries_per_page: 1\n",
    )
    .file(
        "content/diary/2020-02-11-training.md",
        &entry(
            "title: 培训\ndate: 2020-02-11\nauthor: wu-yang\ntags: [nursing]",
            "穿脱防护服培训。\n",
        ),
    )
    .file(
        "content/pages/about.md",
        &entry("title: 关于本栏目\nslug: about", "栏目介绍。\n"),
    );
    assert!(
        !site.path("templates").exists()
            && !site.path("themes").exists()
            && !site.path("static").exists()
    );

    let out = site.build();

    for path in [
        "index.html",
        "page/2/index.html",
        "diary/arrival/index.html",
        "diary/training/index.html",
        "people/index.html",
        "people/wu-yang/index.html",
        "people/wu-yang/rss.xml",
        "tags/index.html",
        "tags/nursing/index.html",
        "tags/nursing/rss.xml",
        "archive/index.html",
        "about/index.html",
        "rss.xml",
        "sitemap.xml",
        "robots.txt",
        "404.html",
        "style.css",
    ] {
        assert!(
            site.exists(path),
            "public/{path} is missing; public/ holds {:?}",
            site.snapshot_dir().keys()
        );
    }
    assert!(
        !site.exists("page/3/index.html"),
        "two entries at one per page make two pages"
    );
    assert!(
        site.read("index.html")
            .contains("href=\"/column/style.css\""),
        "pages use the theme's stylesheet"
    );
    assert!(!site.read("style.css").trim().is_empty());

    // The one-line summary, with counts that match what was written.
    let html_pages = site.html_pages().len();
    let line = out.stdout.trim_end();
    assert_eq!(
        out.stdout.lines().count(),
        1,
        "one summary line, got:\n{}",
        out.stdout
    );
    let prefix = format!("built {html_pages} pages (");
    assert!(
        line.starts_with(&prefix),
        "summary `{line}` should start with `{prefix}`"
    );
    assert!(
        line.contains(" files) from 2 entries and 1 "),
        "summary `{line}` names the counts"
    );
    assert!(
        line.ends_with(" ms"),
        "summary `{line}` ends with the time taken"
    );
    assert!(
        out.stderr.is_empty(),
        "a clean build prints nothing on stderr:\n{}",
        out.stderr
    );
}

#[test]
fn theme_links_carry_the_base_url_path_prefix() {
    let site = TestSite::new();
    site.file(
        "content/pages/about.md",
        &entry("title: 关于\nmenu: true", "栏目介绍。\n"),
    );
    site.build();

    for (path, html) in site.html_pages() {
        for attr in ["href", "src"] {
            for url in attr_values(&html, attr) {
                if url.starts_with('/') && !url.starts_with("//") {
                    assert!(
                        url.starts_with("/column/"),
                        "public/{path}: {attr}=\"{url}\" lacks the /column/ prefix"
                    );
                }
            }
        }
    }
    let entry_page = site.read("diary/arrival/index.html");
    assert!(
        entry_page.contains("href=\"/column/people/wu-yang/\""),
        "the byline links to the author"
    );
    assert!(
        entry_page.contains("href=\"https://example.org/column/diary/arrival/\""),
        "canonical link is absolute"
    );
    assert!(
        site.read("index.html").contains("href=\"/column/about/\""),
        "menu pages are linked with the prefix"
    );
}

#[test]
fn markdown_links_and_images_to_the_site_root_get_the_prefix() {
    let site = TestSite::new();
    site.file(
        "content/diary/2020-02-10-arrival.md",
        &entry(
            "title: 抵达\ndate: 2020-02-10\nauthor: wu-yang",
            "见[吴洋](/people/wu-yang/)。\n\n![合影](/images/team.svg)\n\n[外链](https://example.com/x)\n",
        ),
    )
    // An SVG: used as written (a JPEG would become a `<picture>`, see body_images.rs).
    .file(
        "static/images/team.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"4\" height=\"3\"/>",
    );
    site.build();

    let page = site.read("diary/arrival/index.html");
    let prose = main_of(&page);
    assert!(
        prose.contains("href=\"/column/people/wu-yang/\""),
        "Markdown link gets the prefix:\n{prose}"
    );
    assert!(
        prose.contains("src=\"/column/images/team.svg\""),
        "Markdown image gets the prefix:\n{prose}"
    );
    assert!(
        prose.contains("href=\"https://example.com/x\""),
        "external links stay as written:\n{prose}"
    );
    assert!(
        !prose.contains("href=\"/people/"),
        "no unprefixed site link is left:\n{prose}"
    );

    // Feed readers have no page to resolve against: content links are absolute.
    let feed = parse_feed(&site, "rss.xml");
    let body = feed.entries[0]
        .content
        .as_ref()
        .and_then(|c| c.body.clone())
        .expect("full content in the feed");
    assert!(
        body.contains("href=\"https://example.org/column/people/wu-yang/\""),
        "feed content:\n{body}"
    );
    assert!(
        body.contains("src=\"https://example.org/column/images/team.svg\""),
        "feed content:\n{body}"
    );
}

#[test]
fn feeds_and_sitemap_use_absolute_urls_under_the_base_url() {
    let site = TestSite::new();
    site.build();

    for path in ["rss.xml", "people/wu-yang/rss.xml", "tags/nursing/rss.xml"] {
        let feed = parse_feed(&site, path);
        for link in &feed.links {
            assert!(
                link.href.starts_with(BASE_URL),
                "{path}: channel link {}",
                link.href
            );
        }
        for e in &feed.entries {
            for link in &e.links {
                assert!(
                    link.href.starts_with(BASE_URL),
                    "{path}: item link {}",
                    link.href
                );
            }
        }
    }
    let sitemap = site.read("sitemap.xml");
    let locs: Vec<&str> = sitemap
        .split("<loc>")
        .skip(1)
        .map(|s| s.split("</loc>").next().unwrap())
        .collect();
    assert!(
        locs.contains(&"https://example.org/column/diary/arrival/"),
        "sitemap lists the entry: {locs:?}"
    );
    assert!(
        locs.contains(&"https://example.org/column/"),
        "sitemap lists the home page: {locs:?}"
    );
    for loc in &locs {
        assert!(
            loc.starts_with(BASE_URL),
            "sitemap loc {loc} is not under {BASE_URL}"
        );
    }
    assert!(
        site.read("robots.txt")
            .contains("Sitemap: https://example.org/column/sitemap.xml"),
        "robots.txt points at the sitemap"
    );
}

#[test]
fn base_url_flag_overrides_site_yaml() {
    let site = TestSite::new();
    site.run(&["build", "--base-url", "http://localhost:9999/"])
        .assert_ok();

    let page = site.read("diary/arrival/index.html");
    assert!(
        page.contains("href=\"http://localhost:9999/diary/arrival/\""),
        "canonical link uses the flag's URL"
    );
    assert!(
        page.contains("href=\"/people/wu-yang/\""),
        "links lose the /column/ prefix"
    );
    assert!(
        !page.contains("/column/"),
        "nothing refers to the site.yaml prefix:\n{page}"
    );
    let feed = parse_feed(&site, "rss.xml");
    assert_eq!(
        feed.entries[0].links[0].href,
        "http://localhost:9999/diary/arrival/"
    );
    assert!(
        site.read("sitemap.xml")
            .contains("<loc>http://localhost:9999/diary/arrival/</loc>")
    );
}

#[test]
fn two_builds_of_one_site_are_byte_identical() {
    let site = TestSite::new();
    site.file(
        "site.yaml",
        "title: 测试专栏\nbase_url: https://example.org/column/\nentries_per_page: 2\n",
    )
    .file(
        "content/people/li-si.yaml",
        "name: 李四\nbatch: 2\ndeployed: 2020-02-20\n",
    )
    .file(
        "content/pages/about.md",
        &entry("title: 关于\nmenu: true", "介绍。\n"),
    );
    // Same dates and shared tags, so only explicit tie-breakers fix the order.
    for (i, slug) in ["alpha", "bravo", "charlie", "delta", "echo"]
        .iter()
        .enumerate()
    {
        site.file(
            &format!("content/diary/2020-03-01-{slug}.md"),
            &entry(
                &format!("title: 同一天 {i}\ndate: 2020-03-01\nauthor: li-si\npeople: [wu-yang]\ntags: [nursing, team-{}]", i % 2),
                "正文。\n",
            ),
        );
    }

    site.build();
    let first = site.site_snapshot();
    site.build();
    assert_eq!(site.site_snapshot(), first, "a rebuild changed public/");

    let fresh = TestSite::new();
    for (path, bytes) in site.snapshot_all() {
        if !path.starts_with("public/") && !path.ends_with('/') {
            fresh.bytes(&path, &bytes);
        }
    }
    fresh.build();
    assert_eq!(
        fresh.site_snapshot(),
        first,
        "the same sources in another folder built different bytes"
    );
}

#[test]
fn pages_load_nothing_from_other_hosts() {
    let site = TestSite::new();
    site.file(
        "content/people/wu-yang.yaml",
        "name: 吴洋\ndeployed: 2020-02-09\nphoto: /images/wu-yang.svg\n",
    )
    .file(
        "static/images/wu-yang.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"8\" height=\"8\"></svg>\n",
    );
    site.build();

    let external = |url: &str| {
        (url.starts_with("http://") || url.starts_with("https://") || url.starts_with("//"))
            && !url.starts_with(BASE_URL)
    };
    for (path, html) in site.html_pages() {
        for url in attr_values(&html, "src") {
            assert!(!external(url), "public/{path} loads {url}");
        }
        for tag in html.split("<link ").skip(1) {
            let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
            for url in attr_values(&format!(" {tag}"), "href") {
                assert!(!external(url), "public/{path} links a resource from {url}");
            }
        }
        assert!(
            !html.contains("livereload") && !html.contains("live-reload"),
            "public/{path}: no reload script in build output"
        );
    }
    let css = site.read("style.css");
    assert!(
        !css.contains("url(http") && !css.contains("url(//") && !css.contains("@import"),
        "style.css loads remote files"
    );
}
