//! Broken inputs: each is reported as `path:line:col: message` (lines of the
//! file, not of the front-matter block) with a hint, exits 1, and leaves the
//! previous public/ exactly as it was; `check` reports the same, writing nothing.

use std::ffi::OsStr;

use crate::support::{Output, SITE_YAML, TestSite, entry};

/// Builds `site` (which must be good), breaks it with `break_it`, then asserts
/// that `build` and `check` both fail with exit code 1, print the same report,
/// and change nothing on disk (public/ stays byte-identical, no leftovers).
/// Returns the build's output for the caller's own assertions.
#[track_caller]
fn assert_rejected(site: &TestSite, break_it: impl FnOnce(&TestSite)) -> Output {
    site.build();
    let public_before = site.snapshot_dir();
    assert!(!public_before.is_empty());
    break_it(site);
    let everything_before = site.snapshot_all();

    let build = site.run(&["build"]);
    build.assert_code(1);
    assert!(
        build.stdout.is_empty(),
        "a failed build prints no summary:\n{}",
        build.stdout
    );
    assert_eq!(
        site.snapshot_dir(),
        public_before,
        "a failed build changed public/"
    );
    assert_eq!(
        site.snapshot_all(),
        everything_before,
        "a failed build left files behind"
    );

    let check = site.run(&["check"]);
    check.assert_code(1);
    assert_eq!(
        check.stderr, build.stderr,
        "check and build report differently"
    );
    assert_eq!(
        site.snapshot_all(),
        everything_before,
        "check wrote something"
    );
    build
}

const BAD: &str = "content/diary/2020-02-12-bad.md";

#[test]
fn bad_yaml_syntax_in_front_matter_is_located_in_the_file() {
    let site = TestSite::new();
    let out = assert_rejected(&site, |s| {
        s.file(
            BAD,
            "\n---\ntitle: 抵达: 武汉\ndate: 2020-02-12\n---\n正文\n",
        );
    });
    // Line 3 of the file (a blank line and the fence come first), the second colon.
    let errors = out.errors();
    assert_eq!(errors.len(), 1, "{}", out.stderr);
    assert!(
        errors[0].starts_with(&format!("error: {BAD}:3:10: ")),
        "got: {}",
        errors[0]
    );
    assert!(
        out.stderr.contains("\n  hint: "),
        "a fix hint follows:\n{}",
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
fn missing_title_is_reported() {
    let site = TestSite::new();
    let out = assert_rejected(&site, |s| {
        s.file(BAD, "---\ndate: 2020-02-12\n---\n正文\n");
    });
    assert_eq!(
        out.stderr,
        format!(
            "error: {BAD}:2:1: missing required key `title`\n  |\n2 | date: 2020-02-12\n  | ^\n  \
             hint: add a `title:` line\n\
             1 problem found; nothing was written\n"
        )
    );
}

#[test]
fn impossible_date_is_reported_at_its_value() {
    let site = TestSite::new();
    let out = assert_rejected(&site, |s| {
        s.file(BAD, "---\ntitle: 日期错误\ndate: 2020-02-30\n---\n正文\n");
    });
    assert_eq!(
        out.stderr,
        format!(
            "error: {BAD}:3:7: invalid date `2020-02-30`: 2020-02 has no day 30\n  |\n3 | date: 2020-02-30\n  |       ^\n  \
             hint: write the date as YYYY-MM-DD, YYYY-MM-DD HH:MM or RFC 3339 (2020-02-10T21:30:00+08:00)\n\
             1 problem found; nothing was written\n"
        )
    );
}

#[test]
fn unknown_author_suggests_the_close_id() {
    let site = TestSite::new();
    let out = assert_rejected(&site, |s| {
        s.file(
            BAD,
            "---\ntitle: 作者拼错\ndate: 2020-02-12\nauthor: wu-yan\n---\n正文\n",
        );
    });
    assert_eq!(
        out.stderr,
        format!(
            "error: {BAD}:4:9: unknown person `wu-yan`\n  |\n4 | author: wu-yan\n  |         ^\n  \
             hint: did you mean `wu-yang`?\n\
             1 problem found; nothing was written\n"
        )
    );
}

#[test]
fn unknown_id_in_people_list_is_reported_at_the_id() {
    let site = TestSite::new();
    let out = assert_rejected(&site, |s| {
        s.file(
            BAD,
            "---\ntitle: 人物\ndate: 2020-02-12\npeople: [wu-yang, zhang-san]\n---\n正文\n",
        );
    });
    assert_eq!(
        out.stderr,
        format!(
            "error: {BAD}:4:19: unknown person `zhang-san`\n  |\n4 | people: [wu-yang, zhang-san]\n  |                   ^\n  \
             hint: create content/people/zhang-san.yaml or fix the id\n\
             1 problem found; nothing was written\n"
        )
    );
}

#[test]
fn two_entries_with_one_url_name_both_files() {
    let site = TestSite::new();
    let out = assert_rejected(&site, |s| {
        s.file(
            BAD,
            "---\ntitle: 又一篇\ndate: 2020-02-12\nslug: arrival\n---\n正文\n",
        );
    });
    let errors = out.errors();
    assert_eq!(errors.len(), 1, "{}", out.stderr);
    let (a, b) = ("content/diary/2020-02-10-arrival.md", BAD);
    assert!(
        errors[0].contains(a) && errors[0].contains(b),
        "both files are named: {}",
        errors[0]
    );
    assert!(
        errors[0].contains("URL /diary/arrival/"),
        "the shared URL is named: {}",
        errors[0]
    );
}

#[test]
fn duplicate_url_error_points_at_the_slug_line() {
    // Of the two files, only the one with `slug: arrival` has a line that makes
    // the URL: the error belongs there (line 4, after `slug: `), with the other named.
    let site = TestSite::new();
    let out = assert_rejected(&site, |s| {
        s.file(
            BAD,
            "---\ntitle: 又一篇\ndate: 2020-02-12\nslug: arrival\n---\n正文\n",
        );
    });
    assert_eq!(
        out.errors(),
        [format!("error: {BAD}:4:7: URL /diary/arrival/ is also used by content/diary/2020-02-10-arrival.md").as_str()],
        "{}",
        out.stderr
    );
}

#[test]
fn unknown_site_yaml_key_names_key_line_and_suggestion() {
    let site = TestSite::new();
    let out = assert_rejected(&site, |s| {
        s.file(
            "site.yaml",
            "title: 测试专栏\nbase_url: https://example.org/column/\nentries_per_pag: 5\n",
        );
    });
    assert_eq!(
        out.stderr,
        "error: site.yaml:3:1: unknown key `entries_per_pag`\n  |\n3 | entries_per_pag: 5\n  | ^\n  hint: did you mean `entries_per_page`?\n\
         1 problem found; nothing was written\n"
    );
}

#[test]
fn non_utf8_entry_is_located_at_the_first_bad_byte() {
    let site = TestSite::new();
    let out = assert_rejected(&site, |s| {
        s.bytes(
            BAD,
            b"---\ntitle: GBK\ndate: 2020-02-12\n---\nok\nbad \xb2\xe2\xca\xd4 bytes\n",
        );
    });
    assert_eq!(
        out.stderr,
        format!(
            "error: {BAD}:6:5: file is not valid UTF-8\n  \
             hint: save the file as UTF-8 (in most editors: File › Save with Encoding › UTF-8)\n\
             1 problem found; nothing was written\n"
        )
    );
}

#[test]
fn front_matter_never_closed_is_reported() {
    let site = TestSite::new();
    let out = assert_rejected(&site, |s| {
        s.file(BAD, "---\ntitle: 没有结尾\ndate: 2020-02-12\n\n正文\n");
    });
    assert_eq!(
        out.stderr,
        format!(
            "error: {BAD}:1:1: front matter is never closed\n  |\n1 | ---\n  | ^\n  \
             hint: add a line `---` after the last front-matter line\n\
             1 problem found; nothing was written\n"
        )
    );
}

#[test]
fn bad_date_in_person_profile_is_reported() {
    let site = TestSite::new();
    let out = assert_rejected(&site, |s| {
        s.file(
            "content/people/li-si.yaml",
            "name: 李四\nrole: 医生\ndeployed: 2020-13-01\n",
        );
    });
    assert_eq!(
        out.stderr,
        "error: content/people/li-si.yaml:3:11: invalid date `2020-13-01`: there is no month 13\n  |\n3 | deployed: 2020-13-01\n  |           ^\n  \
         hint: write the day as YYYY-MM-DD\n\
         1 problem found; nothing was written\n"
    );
}

#[test]
fn unknown_key_in_person_profile_suggests_the_right_one() {
    let site = TestSite::new();
    let out = assert_rejected(&site, |s| {
        s.file(
            "content/people/li-si.yaml",
            "name: 李四\nrole: 医生\nmoto: 守护\n",
        );
    });
    assert_eq!(
        out.stderr,
        "error: content/people/li-si.yaml:3:1: unknown key `moto`\n  |\n3 | moto: 守护\n  | ^\n  hint: did you mean `motto`?\n\
         1 problem found; nothing was written\n"
    );
}

#[test]
fn broken_profile_of_an_author_is_reported_once_not_as_unknown_person() {
    // wu-yang.yaml exists; only its own problem should be shown, not a
    // follow-up "unknown person `wu-yang`" on every entry that names wu-yang
    // with a hint to create the file that is already there.
    let site = TestSite::new();
    let out = assert_rejected(&site, |s| {
        s.file(
            "content/people/wu-yang.yaml",
            "name: 吴洋\nrole: 护士\nmoto: 守护\n",
        );
    });
    assert_eq!(
        out.stderr,
        "error: content/people/wu-yang.yaml:3:1: unknown key `moto`\n  |\n3 | moto: 守护\n  | ^\n  hint: did you mean `motto`?\n\
         1 problem found; nothing was written\n"
    );
}

#[test]
fn all_problems_of_a_build_are_reported_together() {
    let site = TestSite::new();
    let out = assert_rejected(&site, |s| {
        s.file(
            BAD,
            "---\ntitle: 作者拼错\ndate: 2020-02-12\nauthor: wu-yan\n---\n正文\n",
        )
        .file(
            "content/people/li-si.yaml",
            "name: 李四\ndeployed: 2020-13-01\n",
        );
    });
    assert_eq!(
        out.stderr,
        format!(
            "error: {BAD}:4:9: unknown person `wu-yan`\n  |\n4 | author: wu-yan\n  |         ^\n  \
             hint: did you mean `wu-yang`?\n\
             error: content/people/li-si.yaml:2:11: invalid date `2020-13-01`: there is no month 13\n  |\n2 | deployed: 2020-13-01\n  |           ^\n  \
             hint: write the day as YYYY-MM-DD\n\
             2 problems found; nothing was written\n"
        )
    );
}

#[test]
fn front_matter_errors_after_blank_lines_count_file_lines() {
    let site = TestSite::new();
    let out = assert_rejected(&site, |s| {
        s.file(
            BAD,
            &format!(
                "\n\n{}",
                entry(
                    "title: 偏移\n# 注释\ndate: 2020-02-12\nauthor: wu-yan",
                    "正文\n"
                )
            ),
        );
    });
    assert_eq!(
        out.errors(),
        [format!("error: {BAD}:7:9: unknown person `wu-yan`").as_str()]
    );
}

/// Problems of every phase (a date that does not exist, a cover that is
/// missing, a template that does not render) come out of one build, not
/// one per build.
#[test]
fn one_build_reports_a_bad_date_a_missing_image_and_a_template_error_together() {
    let site = TestSite::new();
    let out = assert_rejected(&site, |s| {
        s.file(BAD, "---\ntitle: 坏日期\ndate: 2020-02-30\n---\n正文\n");
        s.file(
            "content/diary/2020-02-13-cover.md",
            "---\ntitle: 封面\ndate: 2020-02-13\ncover: /images/none.jpg\n---\n正文\n",
        );
        s.file(
            "templates/404.html",
            "{% extends \"base.html\" %}{% block main %}{{ nosuch.field }}{% endblock main %}",
        );
    });
    let errors = out.errors();
    assert_eq!(errors.len(), 3, "{}", out.stderr);
    assert!(
        errors[0].starts_with("error: content/diary/2020-02-12-bad.md:3:7: invalid date"),
        "{}",
        out.stderr
    );
    assert!(
        errors[1].starts_with(
            "error: content/diary/2020-02-13-cover.md:4:8: cover not found: /images/none.jpg"
        ),
        "{}",
        out.stderr
    );
    assert!(
        errors[2].starts_with("error: templates/404.html:1:") && errors[2].contains("template"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("3 problems found"), "{}", out.stderr);
}

/// A broken site.yaml does not hide the content's problems: the content is
/// checked against the defaults and both are reported.
#[test]
fn a_broken_site_yaml_still_lets_the_content_be_checked() {
    let site = TestSite::new();
    let out = assert_rejected(&site, |s| {
        s.file(
            "site.yaml",
            "title: 测试专栏\nbase_url: https://example.org/column/\nentries_per_pag: 5\n",
        );
        s.file(
            BAD,
            &entry("title: 坏作者\ndate: 2020-02-12\nauthor: wu-yan", "正文"),
        );
    });
    let errors = out.errors();
    assert_eq!(errors.len(), 2, "{}", out.stderr);
    assert!(
        errors[0].contains("content/diary/2020-02-12-bad.md:4:9: unknown person `wu-yan`"),
        "{}",
        out.stderr
    );
    assert!(
        errors[1].starts_with("error: site.yaml:3:1:") && errors[1].contains("entries_per_pag"),
        "{}",
        out.stderr
    );
}

/// Template problems found while rendering (in parallel) are reported in
/// one order, by file and then by line as a number (line 9 before line 10),
/// by `build` and `check` alike (assert_rejected compares their reports).
#[test]
fn template_problems_come_in_one_order_from_build_and_check() {
    let site = TestSite::new();
    let broken = "{% extends \"base.html\" %}{% block main %}{{ nosuch.field }}{% endblock main %}";
    // Two problems in one template, on lines 9 and 10, each met by one entry.
    let entry_html = format!(
        "{{% extends \"base.html\" %}}\n{{% block main %}}\n{}{{% if entry.title == \"乙\" %}}{{{{ second.x }}}}{{% endif %}}\n{{% if entry.title == \"甲\" %}}{{{{ first.x }}}}{{% endif %}}\n{{% endblock main %}}\n",
        "\n".repeat(6)
    );
    let out = assert_rejected(&site, |s| {
        for t in ["404.html", "tags.html", "archive.html"] {
            s.file(&format!("templates/{t}"), broken);
        }
        s.file("templates/entry.html", &entry_html);
        s.file(
            "content/diary/2020-02-11-a.md",
            &entry("title: 甲\ndate: 2020-02-11", "正文"),
        );
        s.file(
            "content/diary/2020-02-12-b.md",
            &entry("title: 乙\ndate: 2020-02-12", "正文"),
        );
    });
    let places: Vec<String> = out
        .errors()
        .iter()
        .map(|e| {
            let mut parts = e.trim_start_matches("error: ").splitn(3, ':');
            format!(
                "{}:{}",
                parts.next().unwrap_or(""),
                parts.next().unwrap_or("")
            )
        })
        .collect();
    assert_eq!(
        places,
        [
            "templates/404.html:1",
            "templates/archive.html:1",
            "templates/entry.html:9",
            "templates/entry.html:10",
            "templates/tags.html:1"
        ],
        "{}",
        out.stderr
    );
}

/// An unknown key does not hide the profile's other problems: a bad date
/// and a missing photo in the same file are reported with it.
#[test]
fn every_problem_of_a_profile_is_reported_not_the_first_only() {
    let site = TestSite::new();
    let out = assert_rejected(&site, |s| {
        s.file(
            "content/people/wu-yang.yaml",
            "name: 吴洋\nrol: 护士\ndeployed: 2020-02-30\nphoto: /images/none.jpg\n",
        );
    });
    let errors = out.errors();
    assert_eq!(errors.len(), 3, "{}", out.stderr);
    assert!(
        errors[0].starts_with("error: content/people/wu-yang.yaml:2:1: unknown key `rol`"),
        "{}",
        out.stderr
    );
    assert!(
        errors[1].starts_with("error: content/people/wu-yang.yaml:3:11: invalid date"),
        "{}",
        out.stderr
    );
    assert!(
        errors[2].starts_with(
            "error: content/people/wu-yang.yaml:4:8: photo not found: /images/none.jpg"
        ),
        "{}",
        out.stderr
    );
}

#[test]
fn year_outside_one_to_9999_is_reported_not_a_panic() {
    const WANT: &str = "the year must be between 1 and 9999\n  |\n";
    // A year before 1 is in the past: published without --future.
    let site = TestSite::new();
    let out = assert_rejected(&site, |s| {
        s.file(BAD, "---\ntitle: 公元前\ndate: -2020-02-10\n---\n正文\n");
    });
    assert_eq!(out.errors().len(), 1, "{}", out.stderr);
    assert!(
        out.stderr.starts_with(&format!(
            "error: {BAD}:3:7: invalid date `-2020-02-10`: {WANT}3 | date: -2020-02-10\n  |       ^\n  hint: "
        )),
        "{}",
        out.stderr
    );

    // A year after 9999 needs --future to be published at all.
    let site = TestSite::new();
    site.file(BAD, "---\ntitle: 未来\ndate: +10000-01-01\n---\n正文\n");
    for cmd in ["build", "check"] {
        let out = site.run(&[cmd, "--future"]);
        out.assert_code(1);
        assert!(
            out.stderr.starts_with(&format!(
                "error: {BAD}:3:7: invalid date `+10000-01-01`: {WANT}3 | date: +10000-01-01\n  |       ^\n  hint: "
            )),
            "{cmd}: {}",
            out.stderr
        );
    }

    // Profiles: deployed, returned and honors' dates.
    let site = TestSite::new();
    let out = assert_rejected(&site, |s| {
        s.file(
            "content/people/li-si.yaml",
            "name: 李四\ndeployed: -2020-02-10\nreturned: +10000-01-01\n\
             honors:\n  - { date: 0000-03-08, title: 表彰 }\n",
        );
    });
    let errors = out.errors();
    assert_eq!(errors.len(), 3, "{}", out.stderr);
    for (e, at) in errors.iter().zip(["2:11", "3:11", "5:13"]) {
        assert!(
            e.starts_with(&format!(
                "error: content/people/li-si.yaml:{at}: invalid date"
            )) && e.ends_with("the year must be between 1 and 9999"),
            "{e}\n{}",
            out.stderr
        );
    }
}

#[test]
fn static_file_where_a_generated_folder_must_go_is_located_with_both_sources() {
    let cases: [(&str, &str, &str); 3] = [
        (
            "static/about",
            "static/about: this file is where the page content/pages/about.md needs a folder: it writes /about/index.html",
            "rename or move static/about, or give the page another `slug:`",
        ),
        (
            "static/tags/nursing",
            "static/tags/nursing: this file is where the tag \"nursing\" needs a folder: it writes /tags/nursing/atom.xml",
            "rename or move static/tags/nursing",
        ),
        (
            "static/rss.xml/x",
            "static/rss.xml/x: this file would go inside /rss.xml, which the site feed writes as a file",
            "move static/rss.xml/x out of static/rss.xml/",
        ),
    ];
    for (file, error, hint) in cases {
        let site = TestSite::new();
        site.file(
            "content/pages/about.md",
            &entry("title: 关于\nslug: about", "介绍。\n"),
        );
        let out = assert_rejected(&site, |s| {
            s.file(file, "static\n");
        });
        assert_eq!(
            out.errors(),
            [format!("error: {error}").as_str()],
            "{}",
            out.stderr
        );
        assert!(out.stderr.contains(hint), "{}", out.stderr);
        assert!(!out.stderr.contains("laurel-staging"), "{}", out.stderr);
    }
}

/// The six mistakes of [`input_method_and_yaml_mistakes_are_named_in_the_writers_words`].
fn site_with_input_method_mistakes() -> TestSite {
    let site = TestSite::new();
    site.file(
        "content/diary/2020-02-11-a.md",
        "---\ntitle：标题\ndate: 2020-02-11\n---\n正文\n",
    )
    .file(
        "content/diary/2020-02-12-b.md",
        "---\ntitle: 标题\ndate: 2020年2月21日\n---\n正文\n",
    )
    .file(
        "content/diary/2020-02-13-c.md",
        "---\ntitle: 标题\ndate: 2020-02-13\ntags: 抗疫日记，方舱\n---\n正文\n",
    )
    .file("content/people/a.yaml", "name: 张三\nrole：护士\n")
    .file("content/people/b.yaml", "name: 李四\nbatch: 十二\n")
    .file(
        "content/people/c.yaml",
        "name: 王五\nhonors:\n\t- { date: 2020-03-08, title: 优秀护士 }\n",
    );
    site
}

#[test]
fn input_method_and_yaml_mistakes_are_named_in_the_writers_words() {
    let site = site_with_input_method_mistakes();
    let out = site.run(&["check"]);
    out.assert_code(1);
    assert_eq!(
        out.errors(),
        [
            "error: content/diary/2020-02-11-a.md:2:6: `title：` has a full-width colon; YAML needs an ASCII colon `:`",
            "error: content/diary/2020-02-12-b.md:3:7: invalid date `2020年2月21日`: write it as 2020-02-21",
            "error: content/diary/2020-02-13-c.md:4:7: `tags` is a list: put its items in brackets",
            "error: content/people/a.yaml:2:5: `role：` has a full-width colon; YAML needs an ASCII colon `:`",
            "error: content/people/b.yaml:2:8: `batch` is a number written as `十二`",
            "error: content/people/c.yaml:3:1: a tab in the indentation; YAML indents with spaces only",
        ],
        "{}",
        out.stderr
    );
    for hint in [
        "hint: write `title: 标题` (type the colon with the input method in English mode)",
        "hint: write `tags: [抗疫日记, 方舱]`",
        "hint: write `role: 护士`",
        "hint: write `batch: 12` (digits, not Chinese or full-width numerals)",
        "hint: replace the tab with two spaces",
    ] {
        assert!(out.stderr.contains(hint), "{hint}\n{}", out.stderr);
    }
}

#[test]
fn a_chinese_site_names_the_same_mistakes_in_chinese() {
    let site = site_with_input_method_mistakes();
    // The site's language decides (zh-CN is the default); nothing forces it.
    let out = site.run_env(&[("LAUREL_LANG", None)], &["check"]);
    out.assert_code(1);
    let errors: Vec<&str> = out
        .stderr
        .lines()
        .filter(|l| l.starts_with("错误："))
        .collect();
    assert_eq!(
        errors,
        [
            "错误：content/diary/2020-02-11-a.md:2:6: `title：` 用了全角冒号，YAML 要用半角冒号 `:`",
            "错误：content/diary/2020-02-12-b.md:3:7: 日期 `2020年2月21日` 的写法不对：要写成 2020-02-21",
            "错误：content/diary/2020-02-13-c.md:4:7: `tags` 是列表，要把各项放进方括号",
            "错误：content/people/a.yaml:2:5: `role：` 用了全角冒号，YAML 要用半角冒号 `:`",
            "错误：content/people/b.yaml:2:8: `batch` 应是数字，这里写成了 `十二`",
            "错误：content/people/c.yaml:3:1: 缩进里有制表符（Tab），YAML 只能用空格缩进",
        ],
        "{}",
        out.stderr
    );
    for hint in [
        "  提示：改成 `title: 标题`（切换到英文输入法再输入冒号）",
        "  提示：日期写成 YYYY-MM-DD、YYYY-MM-DD HH:MM 或 RFC 3339（2020-02-10T21:30:00+08:00）",
        "  提示：改成 `tags: [抗疫日记, 方舱]`（用半角逗号分隔）",
        "  提示：改成 `role: 护士`（切换到英文输入法再输入冒号）",
        "  提示：改成 `batch: 12`（用阿拉伯数字，不用汉字或全角数字）",
        "  提示：把制表符换成两个空格",
    ] {
        assert!(
            out.stderr.lines().any(|l| l == hint),
            "{hint}\n{}",
            out.stderr
        );
    }
    // The source line and its caret (a full-width colon is two columns wide).
    assert!(
        out.stderr.contains("\n  |\n2 | title：标题\n  |      ^^\n"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.ends_with("共 6 个问题，未写入任何文件\n"),
        "{}",
        out.stderr
    );

    // `language: en` speaks English without being forced, and LAUREL_LANG
    // overrides the site either way.
    site.file("site.yaml", &format!("{SITE_YAML}language: en\n"));
    let en = site.run_env(&[("LAUREL_LANG", None)], &["check"]);
    assert!(
        en.stderr.contains("6 problems found; nothing was written"),
        "{}",
        en.stderr
    );
    let forced = site.run_env(&[("LAUREL_LANG", Some(OsStr::new("zh")))], &["check"]);
    assert!(forced.stderr.contains("共 6 个问题"), "{}", forced.stderr);
}

#[test]
fn a_chinese_site_reports_its_build_in_chinese() {
    let site = TestSite::new();
    let out = site.run_env(&[("LAUREL_LANG", None)], &["build"]);
    out.assert_ok();
    assert!(
        out.stdout.starts_with("已构建 ") && out.stdout.contains("来自 1 篇日记和 1 位人物，用时 "),
        "{}",
        out.stdout
    );
}

#[test]
fn a_chinese_site_hears_every_kind_of_message_in_chinese() {
    let site = TestSite::new();
    let zh = |args: &[&str]| site.run_env(&[("LAUREL_LANG", None)], args);

    // A success line, and a usage error with its exit code.
    let ok = zh(&["check"]);
    ok.assert_ok();
    assert!(
        ok.stdout
            .starts_with("通过：1 篇日记、1 位人物、10 个页面，没有失效的站内链接\n"),
        "{}",
        ok.stdout
    );
    let out = zh(&["build", "--output", "content/out"]);
    out.assert_code(2);
    assert_eq!(
        out.stderr,
        format!(
            "错误：输出文件夹 {} 位于网站的 content/ 文件夹内；请换一个 --output\n",
            site.path("content/out").display()
        )
    );
    let out = zh(&["export", "wechat", "arrivl"]);
    out.assert_code(2);
    assert_eq!(
        out.stderr,
        "错误：没有日记 `arrivl`\n  提示：是不是 `arrival`？\n"
    );
    let out = zh(&[
        "new",
        "entry",
        "抵达",
        "--date",
        "2020-02-10",
        "--slug",
        "arrival",
    ]);
    out.assert_code(1);
    assert_eq!(
        out.stderr,
        format!(
            "错误：文件已存在：{}\n",
            site.path("content/diary/2020-02-10-arrival.md").display()
        )
    );

    // Content errors and a configuration error, located, with their hints.
    site.file(
        "content/diary/2020-02-11-bad.md",
        "---\ntitle: 坏\ndate: 2020-02-11\nslug: ../x\n---\n正文\n",
    )
    .file(
        "content/people/li-si.yaml",
        "name: 李四\ndeployed: 2020-02-09\nreturned: 2020-01-01\n",
    );
    let out = zh(&["build"]);
    out.assert_code(1);
    for line in [
        "错误：content/diary/2020-02-11-bad.md:4:7: slug `../x` 无效",
        "  提示：只用小写字母、数字和连字符，例如 `x`",
        "错误：content/people/li-si.yaml:3:11: 返回日期（2020-01-01）早于出发日期（2020-02-09）",
        "  提示：检查这两个日期",
        "共 2 个问题，未写入任何文件",
    ] {
        assert!(
            out.stderr.lines().any(|l| l == line),
            "{line}\n{}",
            out.stderr
        );
    }
    site.remove("content/diary/2020-02-11-bad.md")
        .remove("content/people/li-si.yaml")
        .file("site.yaml", &format!("{SITE_YAML}theme: nosuch\n"));
    let out = zh(&["build"]);
    out.assert_code(1);
    assert!(
        out.stderr
            .starts_with("错误：site.yaml:3:8: 找不到主题 `nosuch`：没有 themes/nosuch/ 文件夹\n"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("  提示：建好这个文件夹，或写 `theme: default`\n"),
        "{}",
        out.stderr
    );
}

#[cfg(unix)]
#[test]
fn a_chinese_site_hears_its_warnings_in_chinese() {
    let site = TestSite::new();
    site.file("static/a\\b.txt", "backslash");
    let out = site.run_env(&[("LAUREL_LANG", None)], &["build"]);
    out.assert_ok();
    assert_eq!(
        out.stderr,
        "警告：static/a\\b.txt: 文件名含有反斜杠 \\，已跳过（改名后才能发布）\n"
    );
}

/// Many entries, each naming a person who does not exist (as author, then
/// among `people:`): every problem is reported, by file and line, and the
/// same on every run, although entries are checked on all cores.
#[test]
fn problems_of_many_entries_are_all_reported_by_file() {
    let site = TestSite::new();
    let n = 40;
    let out = assert_rejected(&site, |s| {
        for i in 0..n {
            let day = 1 + i % 28;
            let month = 3 + i / 28;
            s.file(
                &format!("content/diary/2020-{month:02}-{day:02}-e{i:02}.md"),
                &format!(
                    "---\ntitle: 第{i}篇\ndate: 2020-{month:02}-{day:02}\nauthor: ghost-{i:02}\n\
                     people: [wu-yang, phantom-{i:02}]\n---\n正文\n"
                ),
            );
        }
    });
    // The files' names sort as their indices do.
    let expected: Vec<String> = (0..n)
        .flat_map(|i| {
            let (day, month) = (1 + i % 28, 3 + i / 28);
            let file = format!("content/diary/2020-{month:02}-{day:02}-e{i:02}.md");
            [
                format!("error: {file}:4:9: unknown person `ghost-{i:02}`"),
                format!("error: {file}:5:19: unknown person `phantom-{i:02}`"),
            ]
        })
        .collect();
    assert_eq!(out.errors(), expected);
    assert!(
        out.stderr
            .ends_with(&format!("{} problems found; nothing was written\n", 2 * n)),
        "{}",
        out.stderr
    );
    for _ in 0..3 {
        assert_eq!(
            site.run(&["build"]).stderr,
            out.stderr,
            "a different report"
        );
    }
}
