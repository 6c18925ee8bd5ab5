//! Sharing a page: the QR code of its address on entry and person pages
//! (`qr: false` turns it off), the copy-link button of entry pages, and
//! site.yaml's `image:`, the og:image of pages without a picture of their
//! own. The QR code is read back by a real decoder in
//! tests/browser/qr.test.mjs.

use crate::support::*;

/// The inline QR code `<svg>` of a page, if it has one.
fn qr_of(html: &str) -> Option<&str> {
    let start = html.find("<svg class=\"qr-code\"")?;
    let end = html[start..].find("</svg>").expect("svg is closed") + start + "</svg>".len();
    Some(&html[start..end])
}

fn meta(html: &str, property: &str) -> Option<String> {
    let needle = format!("<meta property=\"{property}\" content=\"");
    let start = html.find(&needle)? + needle.len();
    let len = html[start..].find('"')?;
    Some(html[start..start + len].to_string())
}

#[test]
fn entry_and_person_pages_carry_an_accessible_qr_code_of_their_address() {
    let site = TestSite::new();
    site.build().assert_ok();
    for page in ["diary/arrival/index.html", "people/wu-yang/index.html"] {
        let html = site.read(page);
        let qr = qr_of(&html).unwrap_or_else(|| panic!("{page} has no QR code:\n{html}"));
        assert!(
            qr.contains(" role=\"img\" aria-label=\"本页网址的二维码\""),
            "{qr}"
        );
        assert!(qr.contains("<title>本页网址的二维码</title>"), "{qr}");
        assert_eq!(qr.matches("<path").count(), 1, "{qr}");
        assert!(
            html.contains("<figcaption>扫码在手机上阅读</figcaption>"),
            "{page}: no caption"
        );
    }
    // Other pages have none.
    for page in [
        "index.html",
        "people/index.html",
        "tags/index.html",
        "archive/index.html",
    ] {
        assert!(qr_of(&site.read(page)).is_none(), "{page} has a QR code");
    }
}

#[test]
fn the_qr_code_is_the_same_on_every_build_and_differs_per_page() {
    let site = TestSite::new();
    site.build().assert_ok();
    let first = qr_of(&site.read("diary/arrival/index.html"))
        .unwrap()
        .to_string();
    let person = qr_of(&site.read("people/wu-yang/index.html"))
        .unwrap()
        .to_string();
    assert_ne!(first, person);
    site.file(
        "content/diary/2020-02-11-other.md",
        &entry("title: 另一篇\ndate: 2020-02-11", "正文。\n"),
    );
    site.build().assert_ok();
    assert_eq!(
        qr_of(&site.read("diary/arrival/index.html")).unwrap(),
        first
    );
}

#[test]
fn qr_false_turns_the_codes_off() {
    let site = TestSite::new();
    site.file("site.yaml", &format!("{SITE_YAML}qr: false\n"));
    site.build().assert_ok();
    for page in ["diary/arrival/index.html", "people/wu-yang/index.html"] {
        let html = site.read(page);
        assert!(qr_of(&html).is_none() && !html.contains("扫码"), "{page}");
    }
}

#[test]
fn qr_of_the_wrong_type_is_located() {
    let site = TestSite::new();
    site.file("site.yaml", &format!("{SITE_YAML}qr: 关\n"));
    let out = site.run(&["build"]);
    out.assert_code(1);
    assert!(
        out.errors()[0].starts_with("error: site.yaml:3:5: "),
        "{}",
        out.stderr
    );
}

#[test]
fn entry_pages_have_a_copy_link_button_hidden_until_script_shows_it() {
    let site = TestSite::new();
    site.build().assert_ok();
    let html = site.read("diary/arrival/index.html");
    assert!(
        html.contains(
            "<button type=\"button\" class=\"copy-link\" data-url=\"https://example.org/column/diary/arrival/\" data-done=\"已复制\""
        ),
        "{html}"
    );
    assert!(html.contains("复制链接</button>"), "{html}");
    assert!(html.contains(" hidden>复制链接"), "{html}");
    assert!(
        html.contains("<script src=\"/column/share.js\" defer></script>"),
        "{html}"
    );
    assert!(site.read("share.js").contains("navigator.clipboard"));
    // Person pages share by QR code only.
    assert!(
        !site
            .read("people/wu-yang/index.html")
            .contains("copy-link\"")
    );
}

#[test]
fn site_image_is_the_og_image_of_pages_without_their_own() {
    let site = TestSite::new();
    site.file(
        "site.yaml",
        &format!("{SITE_YAML}image: /images/share.png\n"),
    )
    .bytes("static/images/share.png", b"\x89PNG\r\n\x1a\n")
    .bytes(
        "static/images/cover.svg",
        b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    )
    .file(
        "content/diary/2020-02-11-with-cover.md",
        &entry(
            "title: 有封面\ndate: 2020-02-11\ncover: /images/cover.svg",
            "正文。\n",
        ),
    );
    site.build().assert_ok();
    let fallback = "https://example.org/column/images/share.png";
    for page in [
        "diary/arrival/index.html",
        "index.html",
        "people/wu-yang/index.html",
    ] {
        let html = site.read(page);
        assert_eq!(meta(&html, "og:image").as_deref(), Some(fallback), "{page}");
        assert!(html.contains("<meta name=\"twitter:card\" content=\"summary_large_image\">"));
    }
    let covered = site.read("diary/with-cover/index.html");
    assert_eq!(
        meta(&covered, "og:image").as_deref(),
        Some("https://example.org/column/images/cover.svg")
    );
}

#[test]
fn without_site_image_a_page_without_a_picture_has_no_og_image() {
    let site = TestSite::new();
    site.build().assert_ok();
    let html = site.read("diary/arrival/index.html");
    assert_eq!(meta(&html, "og:image"), None);
    assert!(html.contains("<meta name=\"twitter:card\" content=\"summary\">"));
}

#[test]
fn a_site_image_that_is_not_under_static_is_located() {
    let site = TestSite::new();
    site.file(
        "site.yaml",
        &format!("{SITE_YAML}image: /images/missing.png\n"),
    );
    let out = site.run(&["build"]);
    out.assert_code(1);
    assert_eq!(
        out.stderr,
        "error: site.yaml:3:8: image not found: /images/missing.png\n  |\n3 | image: /images/missing.png\n  |        ^\n  \
         hint: put the image at static/images/missing.png, or correct the path (it starts at static/)\n\
         1 problem found; nothing was written\n"
    );
    site.file(
        "site.yaml",
        &format!("{SITE_YAML}image: https://cdn.example.com/a.png\n"),
    );
    let out = site.run(&["build"]);
    out.assert_code(1);
    assert_eq!(
        out.errors(),
        [
            "error: site.yaml:3:8: image `https://cdn.example.com/a.png` must be a site path of a file under static/"
        ]
    );
}
