//! The theme: a site's own templates override single theme templates, broken
//! templates are located, and the UI follows `language:`.

use crate::support::{TestSite, main_of};

#[test]
fn site_template_overrides_only_that_template() {
    let site = TestSite::new();
    site.build();
    let default_theme = site.site_snapshot();

    site.file(
        "templates/entry.html",
        "{% extends \"base.html\" %}\n{% block main %}<p class=\"custom\">OVERRIDE-MARKER {{ entry.title }}</p>{% endblock main %}\n",
    );
    site.build();
    let page = site.read("diary/arrival/index.html");
    assert!(
        main_of(&page).contains("OVERRIDE-MARKER 抵达"),
        "{}",
        main_of(&page)
    );
    assert!(
        page.contains("href=\"/column/style.css\""),
        "base.html still comes from the theme"
    );

    let overridden = site.site_snapshot();
    for (path, bytes) in &overridden {
        if path != "diary/arrival/index.html" {
            assert_eq!(
                Some(bytes),
                default_theme.get(path),
                "public/{path} changed though only entry.html was overridden"
            );
        }
    }
    assert_eq!(overridden.len(), default_theme.len());
}

#[test]
fn template_syntax_error_is_reported_in_the_template_file() {
    let site = TestSite::new();
    site.build();
    let before = site.snapshot_dir();
    site.file(
        "templates/entry.html",
        "{% extends \"base.html\" %}\n{% block main %}\n{% if %}\n{% endblock main %}\n",
    );

    let out = site.run(&["build"]);
    out.assert_code(1);
    let errors = out.errors();
    assert_eq!(errors.len(), 1, "{}", out.stderr);
    assert!(
        errors[0].starts_with("error: templates/entry.html:3:"),
        "located on line 3 of the template: {}",
        errors[0]
    );
    assert!(
        out.stderr
            .ends_with("1 problem found; nothing was written\n"),
        "{}",
        out.stderr
    );
    assert_eq!(
        site.snapshot_dir(),
        before,
        "a failed build changed public/"
    );
}

#[test]
fn english_language_gives_english_ui_strings() {
    // All content in English: any CJK character on a page can only come from the UI.
    // Two pages of entries, a tag page, and a person without a batch.
    let site = TestSite::empty();
    site.file("site.yaml", "title: Wuhan Diary\nbase_url: https://example.org/column/\nlanguage: en\nentries_per_page: 1\n")
        .file("content/people/wu-yang.yaml", "name: Wu Yang\nrole: Nurse\nbatch: 1\ndeployed: 2020-02-09\n")
        .file("content/people/li-si.yaml", "name: Li Si\nrole: Driver\n")
        .file(
            "content/diary/2020-02-10-arrival.md",
            "---\ntitle: Arrival\ndate: 2020-02-10\nauthor: wu-yang\ntags: [nursing]\n---\nWe arrived.\n",
        )
        .file("content/diary/2020-02-11-second.md", "---\ntitle: Second day\ndate: 2020-02-11\n---\nTraining.\n");
    site.build();
    assert!(site.exists("page/2/index.html") && site.exists("tags/nursing/index.html"));

    let roll = site.read("people/index.html");
    assert!(
        roll.contains("<html lang=\"en\">"),
        "{}",
        &roll[..roll.len().min(200)]
    );
    let is_cjk =
        |c: &char| ('\u{3000}'..='\u{9fff}').contains(c) || ('\u{ff00}'..='\u{ffef}').contains(c);
    let chinese: Vec<(String, String)> = site
        .html_pages()
        .into_iter()
        .map(|(path, html)| (path, html.chars().filter(is_cjk).collect::<String>()))
        .filter(|(_, cjk)| !cjk.is_empty())
        .collect();
    assert!(
        chinese.is_empty(),
        "Chinese UI text on an English site (page, characters): {chinese:?}"
    );
    let entry_page = site.read("diary/arrival/index.html");
    assert!(
        entry_page.contains("10 February 2020"),
        "dates are written in English"
    );
}

#[test]
fn chinese_is_the_default_language() {
    let site = TestSite::new();
    site.build();
    assert!(
        site.read("people/index.html")
            .contains("<html lang=\"zh-CN\">")
    );
    assert!(
        site.read("diary/arrival/index.html")
            .contains("2020年2月10日"),
        "dates are written in Chinese"
    );
}

#[test]
fn template_error_while_rendering_leaves_public_as_it_was() {
    let site = TestSite::new();
    site.build();
    site.file(
        "templates/entry.html",
        "{% extends \"base.html\" %}\n{% block main %}\n{{ entry.no_such_key.x }}\n{% endblock main %}\n",
    );
    let before = site.snapshot_all();

    let out = site.run(&["build"]);
    out.assert_code(1);
    let errors = out.errors();
    assert_eq!(errors.len(), 1, "{}", out.stderr);
    assert!(
        errors[0].starts_with("error: templates/entry.html:3:"),
        "located in the template: {}",
        errors[0]
    );
    assert!(
        errors[0].contains("no_such_key"),
        "names the missing key: {}",
        errors[0]
    );
    assert_eq!(
        site.snapshot_all(),
        before,
        "a failed render changed public/ or left files behind"
    );
}

#[test]
fn date_format_needing_an_offset_on_a_day_is_a_template_error_not_a_panic() {
    for fmt in ["%z", "%Z", "%:z"] {
        let site = TestSite::new();
        site.file(
            "templates/person.html",
            &format!(
                "{{% extends \"base.html\" %}}\n{{% block main %}}\n\
                 {{{{ person.deployed | date_fmt(format=\"{fmt}\") }}}}\n{{% endblock main %}}\n"
            ),
        );
        for cmd in ["build", "check"] {
            let out = site.run(&[cmd]);
            out.assert_code(1);
            let errors = out.errors();
            assert_eq!(errors.len(), 1, "{fmt} {cmd}: {}", out.stderr);
            assert!(
                errors[0].starts_with("error: templates/person.html:3:")
                    && errors[0].contains(&format!("date format `{fmt}` cannot be applied")),
                "{fmt} {cmd}: {}",
                errors[0]
            );
        }
    }
}
