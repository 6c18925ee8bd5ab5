//! `laurel check`'s Chinese copy lint: spacing between Chinese and Latin
//! letters or digits, half-width punctuation inside Chinese sentences, as
//! warnings at file:line:col (the exit code stays 0); prose only (never
//! code, URLs, raw HTML or the front matter); off with `lint: { copy:
//! false }` and on English sites; never run by `build`.

use crate::support::*;

const SLOPPY: &str = "content/diary/2020-02-11-sloppy.md";

/// Front matter that would warn if it were read, then prose that does,
/// then code, a URL and raw HTML that would warn if they were prose.
fn sloppy_site() -> TestSite {
    let site = TestSite::new();
    site.file(
        SLOPPY,
        &entry(
            "title: 今天3人,出发\ndate: 2020-02-11\nsummary: 共有3人",
            "今天有3名护士出发。\n\n\
             我们到了武汉,天很冷!\n\n\
             ```\n中文abc,代码\n```\n\n\
             见 `配置a,b` 和 <https://example.org/中文abc>。\n\n\
             <p>原样HTML,不查</p>\n\n\
             - 列表里的ICU病房\n",
        ),
    );
    site
}

#[test]
fn check_warns_about_copy_at_file_line_col_and_still_passes() {
    let site = sloppy_site();
    let out = site.run(&["check"]);
    out.assert_ok();
    assert_eq!(
        out.warnings(),
        [
            format!(
                "warning: {SLOPPY}:6:4: no space between Chinese and Latin letters or digits in `有3名`"
            ),
            format!("warning: {SLOPPY}:8:7: half-width `,` in Chinese text"),
            format!("warning: {SLOPPY}:8:11: half-width `!` in Chinese text"),
            format!(
                "warning: {SLOPPY}:18:7: no space between Chinese and Latin letters or digits in `的ICU病`"
            ),
        ]
    );
    for shown in [
        format!(
            "warning: {SLOPPY}:6:4: no space between Chinese and Latin letters or digits in `有3名`\n  hint: write `有 3 名`\n"
        ),
        format!(
            "warning: {SLOPPY}:8:7: half-width `,` in Chinese text\n  hint: write `，` instead\n"
        ),
    ] {
        assert!(out.stderr.contains(&shown), "{}", out.stderr);
    }
}

#[test]
fn lint_copy_false_turns_the_copy_lint_off() {
    let site = sloppy_site();
    site.file("site.yaml", &format!("{SITE_YAML}lint:\n  copy: false\n"));
    let out = site.run(&["check"]);
    out.assert_ok();
    assert_eq!(out.warnings(), Vec::<&str>::new(), "{}", out.stderr);
}

#[test]
fn english_sites_get_no_copy_lint() {
    let site = sloppy_site();
    site.file("site.yaml", &format!("{SITE_YAML}language: en\n"));
    let out = site.run(&["check"]);
    out.assert_ok();
    assert_eq!(out.warnings(), Vec::<&str>::new(), "{}", out.stderr);
}

#[test]
fn build_does_not_lint_copy() {
    let site = sloppy_site();
    let out = site.build();
    out.assert_ok();
    assert_eq!(out.warnings(), Vec::<&str>::new(), "{}", out.stderr);
}

#[test]
fn lint_of_the_wrong_type_is_located() {
    let site = TestSite::new();
    site.file(
        "site.yaml",
        &format!("{SITE_YAML}lint:\n  copy: 关\n  cpy: true\n"),
    );
    let out = site.run(&["check"]);
    out.assert_code(1);
    assert!(
        out.errors()[0].starts_with("error: site.yaml:4:"),
        "{}",
        out.stderr
    );
}
