//! `laurel check` (and `check --strict`), `laurel new entry|person` and
//! `laurel init`.

use std::ffi::OsStr;

use crate::support::{TestSite, WU_YANG, entry, has_feedparser, laurel, real_client, vnu_jar};

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
        // The line itself, with a caret under the column (详见[前一篇]( is
        // 13 columns wide: Chinese characters take two).
        out.stderr.contains(&format!(
            "{expected}\n  |\n8 | 详见[前一篇](/diary/nope/)。\n  |              ^\n  hint: "
        )),
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
fn check_locates_a_percent_encoded_broken_link_in_the_file() {
    // The destination is located from the Markdown events, not by searching
    // the file for its decoded form (which is not in the file).
    let site = TestSite::new();
    site.file(
        "content/diary/2020-02-10-arrival.md",
        &entry(
            "title: 抵达\ndate: 2020-02-10\nauthor: wu-yang",
            "第一段。\n\n见 [x](/diary/no%20such/) 与 [y][ref]。\n\n[ref]: </diary/gone/>\n",
        ),
    );
    let out = site.run(&["check"]);
    out.assert_code(1);
    assert_eq!(
        out.errors(),
        [
            "error: content/diary/2020-02-10-arrival.md:8:7: link to `/diary/no%20such/` leads nowhere",
            "error: content/diary/2020-02-10-arrival.md:10:9: link to `/diary/gone/` leads nowhere",
        ],
        "{}",
        out.stderr
    );
    // `build` reports the same links, at the same places, as warnings.
    let out = site.build();
    assert_eq!(
        out.warnings(),
        [
            "warning: content/diary/2020-02-10-arrival.md:8:7: link to `/diary/no%20such/` leads nowhere",
            "warning: content/diary/2020-02-10-arrival.md:10:9: link to `/diary/gone/` leads nowhere",
        ],
        "{}",
        out.stderr
    );
}

#[test]
fn check_locates_broken_links_in_raw_html_and_profile_bios() {
    let site = TestSite::new();
    site.file(
        "content/diary/2020-02-10-arrival.md",
        &entry(
            "title: 抵达\ndate: 2020-02-10\nauthor: wu-yang",
            "<p>见\n<a title=x href='/column/diary/nope/'>这里</a></p>\n",
        ),
    );
    site.file(
        "content/people/wu-yang.yaml",
        &format!("{WU_YANG}bio: |\n  第一行。\n\n  见[前一篇](/diary/gone/)。\n"),
    );
    let out = site.run(&["check"]);
    out.assert_code(1);
    assert_eq!(
        out.errors(),
        [
            "error: content/diary/2020-02-10-arrival.md:7:18: link to `/column/diary/nope/` leads nowhere",
            "error: content/people/wu-yang.yaml:8:10: link to `/diary/gone/` leads nowhere",
        ],
        "{}",
        out.stderr
    );
}

const VNU_INSTALL: &str = "cd tests/browser && npm ci (and Java 17)";
const FEEDPARSER_INSTALL: &str = "python3 -m pip install feedparser";

/// Both validators, or `None` (the test is skipped; a failure under CI).
fn strict_tools() -> Option<std::path::PathBuf> {
    let jar = vnu_jar();
    let found = real_client("vnu", jar.is_some(), VNU_INSTALL)
        & real_client("feedparser", has_feedparser(), FEEDPARSER_INSTALL);
    if found { jar } else { None }
}

#[test]
fn check_strict_runs_vnu_on_every_page_and_feedparser_on_every_feed() {
    let Some(jar) = strict_tools() else { return };
    let site = TestSite::new();
    site.file(
        "content/diary/2020-02-11-escaping.md",
        &entry(
            "title: '<b>致敬</b> & \"逆行者\"'\ndate: 2020-02-11\nauthor: wu-yang\ntags: [护理]",
            "- [x] 交接完成\n- [ ] 明天查房\n\n代码 `<script>` 与 <span>一 &amp; 二</span>。\n",
        ),
    );
    let before = site.snapshot_all();
    let out = site.run_env(
        &[("LAUREL_VNU_JAR", Some(jar.as_os_str()))],
        &["check", "--strict"],
    );
    out.assert_ok();
    let lines: Vec<&str> = out.stdout.lines().collect();
    let pages = lines[0]
        .split(", ")
        .find_map(|part| part.strip_suffix(" pages"))
        .expect("the first line counts the pages");
    assert_eq!(
        lines[1..],
        [
            format!("ok: vnu: {pages} pages are valid HTML"),
            // RSS and Atom each: the site feed, wu-yang's, and one per tag
            // (nursing, 护理).
            "ok: feedparser: 8 feeds parse without problems".to_string()
        ],
        "{}",
        out.stdout
    );
    assert_eq!(
        site.snapshot_all(),
        before,
        "check --strict wrote into the site"
    );
}

#[test]
fn check_strict_reports_invalid_html_at_its_line_in_the_rendered_page() {
    let Some(jar) = strict_tools() else { return };
    let site = TestSite::new();
    site.file(
        "templates/entry.html",
        "{% extends \"base.html\" %}\n{% block main %}\n<div><p>{{ entry.title }}</span></div>\n{% endblock main %}\n",
    );
    let out = site.run_env(
        &[("LAUREL_VNU_JAR", Some(jar.as_os_str()))],
        &["check", "--strict"],
    );
    out.assert_code(1);
    let errors = out.errors();
    assert_eq!(errors.len(), 1, "{}", out.stderr);
    assert!(
        errors[0].starts_with("error: (rendered) diary/arrival/index.html:")
            && errors[0].ends_with(": html: Stray end tag “span”."),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("hint: the Nu HTML checker rejects this markup")
    );
    assert!(
        out.stderr
            .ends_with("1 problem found; nothing was written\n")
    );
}

#[test]
fn check_strict_names_each_missing_tool_and_how_to_install_it() {
    // Nothing on PATH: no java, no vnu, no python3.
    let site = TestSite::new();
    let empty = site.path("empty-path");
    std::fs::create_dir(&empty).expect("create a folder");
    let env = [
        ("PATH", Some(empty.as_os_str())),
        ("LAUREL_VNU_JAR", None),
        ("JAVA_HOME", None),
    ];
    let out = site.run_env(&env, &["check", "--strict"]);
    out.assert_code(2);
    assert!(
        out.stdout.ends_with(" pages, no broken internal links\n"),
        "the other checks ran: {}",
        out.stdout
    );
    assert_eq!(
        out.errors(),
        [
            "error: --strict needs vnu, which is not installed: no LAUREL_VNU_JAR, no node_modules/vnu-jar/build/dist/vnu.jar in the site folder, the current folder or above, and no `vnu` on PATH",
            "error: --strict needs feedparser, which is not installed: no `python3` on PATH",
        ],
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("hint: install the Nu HTML checker with `npm install vnu-jar`")
    );
    assert!(
        out.stderr
            .contains("hint: install Python 3, then `python3 -m pip install feedparser`")
    );

    // A jar that is not there is named; content problems still exit 1.
    site.file(
        "content/diary/2020-02-10-arrival.md",
        &entry("title: 抵达\ndate: 2020-02-10", "[坏链接](/diary/nope/)\n"),
    );
    let env = [
        ("PATH", Some(empty.as_os_str())),
        ("LAUREL_VNU_JAR", Some(OsStr::new("/no/such/vnu.jar"))),
    ];
    let out = site.run_env(&env, &["check", "--strict"]);
    out.assert_code(1);
    assert!(
        out.errors().contains(
            &"error: --strict needs vnu, which is not installed: LAUREL_VNU_JAR is /no/such/vnu.jar, which is not a file"
        ),
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
    // The starter entry is dated today, after the starter person came home:
    // no "第 2488 天".
    let home = std::fs::read_to_string(dir.join("public/index.html")).unwrap();
    assert!(!home.contains("class=\"badge\""), "no day badge:\n{home}");
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

#[test]
fn new_entry_takes_date_slug_tags_people_and_draft() {
    let site = TestSite::new();
    let out = site.run(&[
        "new",
        "entry",
        "方舱里的一天",
        "--author",
        "wu-yang",
        "--date",
        "2020-02-12 21:30",
        "--slug",
        "fang-cang",
        "--tags",
        "护理,方舱",
        "--people",
        "wu-yang",
        "--draft",
    ]);
    out.assert_ok();
    // The file name carries the front matter's day.
    let rel = "content/diary/2020-02-12-fang-cang.md";
    let text = std::fs::read_to_string(site.path(rel)).expect("created");
    assert_eq!(
        text,
        "---\ntitle: \"方舱里的一天\"\ndate: 2020-02-12 21:30\nauthor: wu-yang\npeople: [\"wu-yang\"]\ntags: [\"护理\", \"方舱\"]\ndraft: true\n---\n\n"
    );
    site.build();
    assert!(!site.exists("diary/fang-cang/index.html"), "a draft");
    site.run(&["build", "--drafts"]).assert_ok();
    let page = site.read("diary/fang-cang/index.html");
    for tag in ["#护理", "#方舱"] {
        assert!(page.contains(tag), "{tag}");
    }

    // A day only; a date that is not one is refused, naming the flag.
    site.run(&["new", "entry", "第二篇", "--date", "2020-02-13"])
        .assert_ok();
    let second =
        std::fs::read_to_string(site.path("content/diary/2020-02-13-di-er-pian.md")).unwrap();
    assert!(second.contains("\ndate: 2020-02-13\n"), "{second}");
    let bad = site.run(&["new", "entry", "第三篇", "--date", "2020年2月14日"]);
    bad.assert_code(1);
    assert!(
        bad.stderr
            .starts_with("error: --date `2020年2月14日` is not a date"),
        "{}",
        bad.stderr
    );
    let bad = site.run(&["new", "entry", "第三篇", "--slug", "../x"]);
    bad.assert_code(1);
    assert!(
        bad.stderr.contains("--slug `../x` cannot be a URL segment"),
        "{}",
        bad.stderr
    );
}

#[test]
fn new_entry_never_overwrites_and_says_the_file_exists() {
    let site = TestSite::new();
    site.run(&["new", "entry", "抵达武汉"]).assert_ok();
    let rel = "content/diary/2026-01-01-di-da-wu-han.md";
    site.file(rel, "my own words\n");
    let again = site.run(&["new", "entry", "抵达武汉"]);
    again.assert_code(1);
    assert_eq!(
        again.stderr,
        format!("error: already exists: {}\n", site.path(rel).display())
    );
    assert_eq!(
        std::fs::read_to_string(site.path(rel)).unwrap(),
        "my own words\n"
    );
}

#[test]
fn commands_find_site_yaml_from_a_subfolder() {
    let site = TestSite::new();
    let sub = site.path("content/diary");
    let out = laurel(&sub, &["build"]);
    out.assert_ok();
    assert!(site.exists("index.html"), "built into the site's public/");
    assert!(!sub.join("public").exists());
    let out = laurel(&sub, &["new", "entry", "子目录"]);
    out.assert_ok();
    assert!(site.path("content/diary/2026-01-01-zi-mu-lu.md").is_file());
}

#[test]
fn flags_that_would_do_nothing_are_refused() {
    let site = TestSite::new();
    // check writes nothing and serve serves from memory: no --output.
    for cmd in ["check", "serve"] {
        let out = site.run(&[cmd, "--output", "elsewhere"]);
        out.assert_code(2);
        assert!(out.stderr.contains("--output"), "{cmd}: {}", out.stderr);
    }
    let parent = TestSite::empty();
    let out = laurel(parent.root(), &["--root", "x", "init", "col"]);
    out.assert_code(2);
    assert_eq!(
        out.stderr,
        "error: init takes the new site's folder as DIR, not --root\n"
    );
    assert!(!parent.path("col").exists());
}

#[test]
fn new_entry_never_takes_a_person_id_that_leaves_content_people() {
    // A profile-shaped file outside the site must not pass for a person.
    let site = TestSite::nested();
    site.outside("outsider.yaml", "name: 外人\n");
    let before = site.snapshot_all();
    for flag in ["--author", "--people"] {
        let out = site.run(&["new", "entry", "标题", flag, "../../../outsider"]);
        out.assert_code(1);
        assert_eq!(
            out.stderr,
            "error: unknown person `../../../outsider`: there is no content/people/../../../outsider.yaml\n",
            "{flag}"
        );
    }
    assert_eq!(site.snapshot_all(), before, "nothing written");
}
