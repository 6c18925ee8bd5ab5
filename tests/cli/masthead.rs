//! The publisher's lines of site.yaml (`organizer`, `icp`, `police_beian`,
//! a default `editor`) in every page's footer, and an entry's own
//! `editor:` (责任编辑) and `source:` (来源) on its page; each escaped, each
//! a located error when it has the wrong type.

use crate::support::*;

fn site_with(extra_yaml: &str) -> TestSite {
    let site = TestSite::new();
    site.file("site.yaml", &format!("{SITE_YAML}{extra_yaml}"));
    site
}

/// The `<footer>` of a page.
fn footer_of(html: &str) -> &str {
    let start = html
        .find("<footer class=\"site-footer\">")
        .expect("page has a footer");
    let end = html[start..].find("</footer>").expect("footer is closed") + start;
    &html[start..end]
}

#[test]
fn icp_number_links_to_the_miit_lookup_on_every_page() {
    let site = site_with("icp: 鄂ICP备00000000号-1\n");
    site.build().assert_ok();
    for page in [
        "index.html",
        "diary/arrival/index.html",
        "people/wu-yang/index.html",
        "404.html",
    ] {
        let footer = footer_of(&site.read(page)).to_string();
        assert!(
            footer.contains(
                "<a href=\"https://beian.miit.gov.cn/\" rel=\"noopener\">鄂ICP备00000000号-1</a>"
            ),
            "{page}: {footer}"
        );
    }
}

#[test]
fn police_number_links_to_its_record_by_its_digits() {
    let site = site_with("police_beian: 鄂公网安备 42010602000000号\n");
    site.build().assert_ok();
    let footer = footer_of(&site.read("index.html")).to_string();
    assert!(
        footer.contains(
            "<a href=\"http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=42010602000000\" rel=\"noopener\">鄂公网安备 42010602000000号</a>"
        ),
        "{footer}"
    );
}

#[test]
fn police_number_without_digits_is_located() {
    let site = site_with("police_beian: 鄂公网安备\n");
    let out = site.run(&["build"]);
    out.assert_code(1);
    assert_eq!(
        out.errors(),
        ["error: site.yaml:3:15: police_beian `鄂公网安备` has no record number"]
    );
}

#[test]
fn organizer_is_in_the_footer() {
    let site = site_with("organizer: 凤城市委宣传部\n");
    site.build().assert_ok();
    let footer = text_of(footer_of(&site.read("tags/index.html")));
    assert!(footer.contains("主办单位：凤城市委宣传部"), "{footer}");
}

#[test]
fn site_editor_is_the_editor_of_entries_without_their_own() {
    let site = site_with("editor: 王编辑\n");
    site.file(
        "content/diary/2020-02-11-own.md",
        &entry(
            "title: 自有编辑\ndate: 2020-02-11\neditor: 李编辑",
            "正文。\n",
        ),
    );
    site.build().assert_ok();
    let arrival = main_of(&site.read("diary/arrival/index.html")).to_string();
    assert!(
        arrival.contains("<p class=\"entry-editor\">责任编辑：王编辑</p>"),
        "{arrival}"
    );
    let own = main_of(&site.read("diary/own/index.html")).to_string();
    assert!(
        own.contains("<p class=\"entry-editor\">责任编辑：李编辑</p>"),
        "{own}"
    );
    assert!(!own.contains("王编辑"), "{own}");
}

#[test]
fn entry_editor_and_source_are_shown_on_its_page_only() {
    let site = TestSite::new();
    site.file(
        "content/diary/2020-02-10-arrival.md",
        &entry(
            "title: 抵达\ndate: 2020-02-10 21:30\nauthor: wu-yang\neditor: 李编辑\nsource: 凤城日报",
            "今天抵达。\n",
        ),
    );
    site.build().assert_ok();
    let page = main_of(&site.read("diary/arrival/index.html")).to_string();
    assert!(
        page.contains("<span class=\"entry-source\">来源：凤城日报</span>"),
        "{page}"
    );
    assert!(
        page.contains("<p class=\"entry-editor\">责任编辑：李编辑</p>"),
        "{page}"
    );
    // Not on cards: the home page shows neither.
    let home = site.read("index.html");
    assert!(
        !home.contains("凤城日报") && !home.contains("李编辑"),
        "{home}"
    );
}

#[test]
fn an_entry_without_editor_or_source_shows_neither_line() {
    let site = TestSite::new();
    site.build().assert_ok();
    let page = site.read("diary/arrival/index.html");
    assert!(
        !page.contains("entry-editor") && !page.contains("entry-source"),
        "{page}"
    );
}

#[test]
fn publisher_fields_are_escaped() {
    let site = site_with(
        "icp: \"<b>鄂ICP</b>\"\npolice_beian: \"<i>1</i>\"\norganizer: \"<script>x</script>\"\neditor: \"<u>编</u>\"\n",
    );
    site.file(
        "content/diary/2020-02-11-x.md",
        &entry(
            "title: X\ndate: 2020-02-11\nsource: \"<em>报</em>\"",
            "正文。\n",
        ),
    );
    site.build().assert_ok();
    let page = site.read("diary/x/index.html");
    for raw in ["<b>", "<i>", "<script>x", "<u>", "<em>报"] {
        assert!(!page.contains(raw), "{raw} reached the page:\n{page}");
    }
    for escaped in [
        "&lt;b&gt;鄂ICP",
        "&lt;script&gt;x",
        "&lt;u&gt;编",
        "&lt;em&gt;报",
    ] {
        assert!(page.contains(escaped), "{escaped} is missing:\n{page}");
    }
    assert!(page.contains("recordcode=1\""), "{page}");
}

#[test]
fn a_publisher_field_of_the_wrong_type_is_located() {
    let site = site_with("icp: [鄂ICP备00000000号]\n");
    let out = site.run(&["build"]);
    out.assert_code(1);
    let errors = out.errors();
    assert_eq!(errors.len(), 1, "{}", out.stderr);
    assert!(
        errors[0].starts_with("error: site.yaml:3:6: "),
        "{}",
        out.stderr
    );
}

#[test]
fn an_entry_editor_of_the_wrong_type_is_located() {
    let site = TestSite::new();
    site.file(
        "content/diary/2020-02-11-x.md",
        &entry(
            "title: X\ndate: 2020-02-11\neditor:\n  name: 李编辑",
            "正文。\n",
        ),
    );
    let out = site.run(&["build"]);
    out.assert_code(1);
    let errors = out.errors();
    assert_eq!(errors.len(), 1, "{}", out.stderr);
    assert!(
        errors[0].starts_with("error: content/diary/2020-02-11-x.md:5:"),
        "{}",
        out.stderr
    );
}

#[test]
fn an_empty_publisher_field_is_located() {
    let site = site_with("organizer: \"  \"\n");
    let out = site.run(&["build"]);
    out.assert_code(1);
    assert_eq!(out.errors(), ["error: site.yaml:3:12: organizer is empty"]);
}
