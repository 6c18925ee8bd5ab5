//! `laurel check`, `laurel new entry|person` and `laurel init`.

use crate::support::{TestSite, entry, laurel};

#[test]
fn check_on_a_good_site_exits_0_and_writes_nothing() {
    let site = TestSite::new();
    let before = site.snapshot_all();
    let out = site.run(&["check"]);
    out.assert_ok();
    assert!(
        out.stdout.starts_with("ok: 1 entry, 1 person, "),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.ends_with(" pages, no broken internal links\n"),
        "{}",
        out.stdout
    );
    assert!(!site.path("public").exists(), "check created public/");
    assert_eq!(site.snapshot_all(), before, "check wrote something");
}

#[test]
fn check_reports_a_markdown_link_to_a_missing_page_at_its_line() {
    let site = TestSite::new();
    site.file(
        "content/diary/2020-02-10-arrival.md",
        &entry(
            "title: 抵达\ndate: 2020-02-10\nauthor: wu-yang",
            "第一段。\n\n详见[前一篇](/diary/nope/)。\n",
        ),
    );
    let before = site.snapshot_all();
    let out = site.run(&["check"]);
    out.assert_code(1);
    // Line 8 of the file; the link target starts at character 9.
    let expected =
        "error: content/diary/2020-02-10-arrival.md:8:9: link to `/diary/nope/` leads nowhere";
    assert!(out.errors().contains(&expected), "{}", out.stderr);
    assert!(
        out.stderr.contains(&format!("{expected}\n  hint: ")),
        "{}",
        out.stderr
    );
    assert_eq!(site.snapshot_all(), before, "check wrote something");
}

#[test]
fn check_reports_a_broken_markdown_link_once() {
    // The link is the user's, in the entry file; the same link seen again in the
    // rendered page must not be reported a second time as a theme problem.
    let site = TestSite::new();
    site.file(
        "content/diary/2020-02-10-arrival.md",
        &entry(
            "title: 抵达\ndate: 2020-02-10\nauthor: wu-yang",
            "详见[前一篇](/diary/nope/)。\n",
        ),
    );
    let out = site.run(&["check"]);
    out.assert_code(1);
    assert_eq!(
        out.errors(),
        ["error: content/diary/2020-02-10-arrival.md:6:9: link to `/diary/nope/` leads nowhere"],
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .ends_with("1 problem found; nothing was written\n"),
        "{}",
        out.stderr
    );
}

#[test]
fn new_entry_creates_a_pinyin_named_file_that_builds() {
    let site = TestSite::new();
    let out = site.run(&["new", "entry", "抵达武汉", "--author", "wu-yang"]);
    out.assert_ok();
    // LAUREL_NOW is 2026-01-01 00:00 in Shanghai.
    let rel = "content/diary/2026-01-01-di-da-wu-han.md";
    assert!(site.path(rel).is_file(), "created: {}", out.stdout);
    assert_eq!(
        out.stdout,
        format!("created {}\n", site.path(rel).display())
    );

    site.build();
    let page = site.read("diary/di-da-wu-han/index.html");
    assert!(page.contains("抵达武汉"));
    assert!(
        page.contains("href=\"/column/people/wu-yang/\""),
        "the author is linked"
    );
}

#[test]
fn new_entry_with_unknown_author_fails_and_writes_nothing() {
    let site = TestSite::new();
    let before = site.snapshot_all();
    let out = site.run(&["new", "entry", "标题", "--author", "nobody"]);
    out.assert_code(1);
    assert_eq!(
        out.stderr,
        "error: unknown person `nobody`: there is no content/people/nobody.yaml\n"
    );
    assert_eq!(site.snapshot_all(), before);
}

#[test]
fn new_person_creates_a_profile_that_builds() {
    let site = TestSite::new();
    let out = site.run(&["new", "person", "li-si", "--name", "李四"]);
    out.assert_ok();
    let profile =
        std::fs::read_to_string(site.path("content/people/li-si.yaml")).expect("profile created");
    assert!(profile.contains("李四"));

    site.build();
    assert!(site.read("people/li-si/index.html").contains("李四"));
    assert!(
        site.read("people/index.html")
            .contains("href=\"/column/people/li-si/\"")
    );

    let again = site.run(&["new", "person", "li-si", "--name", "李四"]);
    assert_ne!(again.code, 0, "an existing profile is never overwritten");
    assert_eq!(
        std::fs::read_to_string(site.path("content/people/li-si.yaml")).unwrap(),
        profile
    );
}

#[test]
fn init_creates_a_site_that_builds() {
    let parent = TestSite::empty();
    let out = laurel(parent.root(), &["init", "my-column"]);
    out.assert_ok();
    let dir = parent.path("my-column");
    assert!(dir.join("site.yaml").is_file());

    let built = laurel(parent.root(), &["--root", "my-column", "build"]);
    built.assert_ok();
    assert!(dir.join("public/index.html").is_file());
    assert!(
        built.stderr.is_empty(),
        "the new site builds without warnings:\n{}",
        built.stderr
    );
}

#[test]
fn init_refuses_a_non_empty_folder() {
    let site = TestSite::new();
    let before = site.snapshot_all();
    let out = laurel(site.root(), &["init", site.root().to_str().unwrap()]);
    assert_ne!(out.code, 0);
    assert!(
        out.stderr.starts_with("error: ") && out.stderr.contains("is not empty"),
        "{}",
        out.stderr
    );
    assert_eq!(site.snapshot_all(), before, "init touched an existing site");
}
