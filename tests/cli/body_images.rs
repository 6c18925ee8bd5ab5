//! Images in entry bodies: Markdown images of the site go through the
//! pipeline covers use (`<picture>`, WebP and JPEG `srcset`, `sizes`,
//! `width`/`height`, lazy loading below the first screen); a missing one is
//! an error at its position in the Markdown file; other sites' images, SVG
//! and GIF stay as written; paths cannot leave the site.

use crate::images::jpeg;
use crate::support::{Stream, TestSite, attr_values, entry, main_of, snapshot};

const ARRIVAL_FILE: &str = "content/diary/2020-02-10-arrival.md";

fn site_with_body(front: &str, body: &str) -> TestSite {
    let site = TestSite::new();
    site.bytes("static/images/covers/ward.jpg", &jpeg(1600, 900))
        .bytes("static/images/covers/hall.jpg", &jpeg(600, 800))
        .file(
            ARRIVAL_FILE,
            &entry(
                &format!("title: 抵达\ndate: 2020-02-10 21:30\nauthor: wu-yang{front}"),
                body,
            ),
        );
    site
}

/// The `<picture>` elements of a page, in order.
fn pictures(html: &str) -> Vec<&str> {
    html.match_indices("<picture>")
        .map(|(at, _)| {
            let end = html[at..].find("</picture>").expect("closed") + at;
            &html[at..end]
        })
        .collect()
}

#[test]
fn body_images_are_resized_and_offered_like_covers() {
    let site = site_with_body(
        "",
        "第一张：\n\n![病房 *夜里*](/images/covers/ward.jpg \"重症病区\")\n\n第二张：![走廊](../../images/covers/hall.jpg)\n\n![外链](https://img.example.org/x.jpg)\n",
    );
    site.build().assert_ok();
    let page = site.read("diary/arrival/index.html");
    let main = main_of(&page);
    let pics = pictures(main);
    assert_eq!(pics.len(), 2, "{main}");
    // The first screen's image (no cover): not lazy; the second: lazy.
    let ward = pics[0];
    assert!(
        ward.contains("<source type=\"image/webp\" srcset=\"/column/images/covers/ward."),
        "{ward}"
    );
    assert!(ward.contains(".480w.webp 480w, "), "{ward}");
    assert!(ward.contains(".1200w.webp 1200w\""), "{ward}");
    assert!(
        ward.contains(" sizes=\"(min-width: 48rem) 45rem, 100vw\""),
        "{ward}"
    );
    assert!(
        ward.contains(".800w.jpg\" srcset=\"/column/images/covers/ward."),
        "{ward}"
    );
    assert!(
        ward.contains(
            "alt=\"病房 夜里\" title=\"重症病区\" width=\"800\" height=\"450\" decoding=\"async\""
        ),
        "{ward}"
    );
    assert!(!ward.contains("loading"), "{ward}");
    let hall = pics[1];
    // Never enlarged: 600 px wide at most, 3:4.
    assert!(hall.contains(".600w.jpg 600w\""), "{hall}");
    assert!(
        hall.contains("alt=\"走廊\" width=\"600\" height=\"800\" loading=\"lazy\""),
        "{hall}"
    );
    // Another site's image stays as written.
    assert!(
        main.contains("<img src=\"https://img.example.org/x.jpg\" alt=\"外链\" />"),
        "{main}"
    );
    // The variants are written, and the originals kept.
    for src in attr_values(main, "src")
        .iter()
        .filter(|s| s.starts_with("/column/"))
    {
        assert!(site.exists(&src["/column/".len()..]), "{src} is missing");
    }
    assert!(site.exists("images/covers/ward.jpg"));
    assert!(site.exists("images/covers/hall.jpg"));
    // The links check knows them.
    site.run(&["check"]).assert_ok();
}

#[test]
fn with_a_cover_every_body_image_loads_lazily() {
    let site = site_with_body(
        "\ncover: /images/covers/hall.jpg",
        "![病房](/images/covers/ward.jpg)\n",
    );
    site.build().assert_ok();
    let page = site.read("diary/arrival/index.html");
    let pics = pictures(main_of(&page));
    assert_eq!(pics.len(), 2, "the cover and the body image");
    assert!(pics[1].contains("loading=\"lazy\""), "{}", pics[1]);
}

#[test]
fn a_body_image_before_the_marker_stays_off_the_cards() {
    // A card's summary is plain text (a phone shows about three cards a
    // screen); the image is on the entry page.
    let site = site_with_body(
        "",
        "导语。\n\n![病房](/images/covers/ward.jpg)\n\n<!-- more -->\n\n后文。\n",
    );
    site.build().assert_ok();
    let index = site.read("index.html");
    let main = main_of(&index);
    assert!(main.contains("<p>导语。</p>"), "{main}");
    assert!(!main.contains("ward."), "no image on the card: {main}");
    let page = site.read("diary/arrival/index.html");
    assert_eq!(pictures(main_of(&page)).len(), 1);
}

#[test]
fn a_missing_body_image_is_an_error_at_its_position() {
    let site = site_with_body(
        "",
        "正文\n\n看 ![病房](/images/nope.jpg) 和 ![x](nope.png)\n",
    );
    let out = site.run(&["build"]);
    out.assert_code(1);
    assert_eq!(
        out.errors(),
        [
            format!("error: {ARRIVAL_FILE}:8:9: image not found: /images/nope.jpg"),
            format!("error: {ARRIVAL_FILE}:8:34: image not found: nope.png"),
        ],
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("hint: put the image at static/images/nope.jpg, or correct the path (it starts at static/)"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("hint: put the image at static/diary/arrival/nope.png, or correct the path (without a leading / it starts at the entry's page)"),
        "{}",
        out.stderr
    );
    assert!(!site.exists("index.html"));
}

#[test]
fn a_body_image_cannot_leave_the_site() {
    let site = TestSite::nested();
    let outside = site.outside("secret.jpg", "not for the site");
    std::fs::create_dir_all(site.path("static/images")).unwrap();
    std::os::unix::fs::symlink(&outside, site.path("static/images/leak.jpg")).unwrap();
    site.file(
        ARRIVAL_FILE,
        &entry(
            "title: 抵达\ndate: 2020-02-10 21:30\nauthor: wu-yang",
            "![a](../../../../secret.jpg)\n![b](/../secret.jpg)\n![c](/images/leak.jpg)\n",
        ),
    );
    let out = site.run(&["build"]);
    out.assert_code(1);
    assert_eq!(
        out.errors(),
        [
            format!("error: {ARRIVAL_FILE}:6:6: image not found: ../../../../secret.jpg"),
            format!("error: {ARRIVAL_FILE}:7:6: image not found: /../secret.jpg"),
            format!("error: {ARRIVAL_FILE}:8:6: image not found: /images/leak.jpg"),
        ],
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("the path leads out of the site"),
        "{}",
        out.stderr
    );
    assert!(!site.exists("images/leak.jpg"));
}

#[test]
fn svg_and_gif_body_images_stay_as_written() {
    let site = TestSite::new();
    site.file(
        "static/images/map.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" height=\"50\"/>",
    )
    .bytes(
        "static/images/wave.gif",
        b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
    )
    .file(
        ARRIVAL_FILE,
        &entry(
            "title: 抵达\ndate: 2020-02-10 21:30\nauthor: wu-yang",
            "![地图](/images/map.svg) ![挥手](/images/wave.gif)\n",
        ),
    );
    site.build().assert_ok();
    let page = site.read("diary/arrival/index.html");
    let main = main_of(&page);
    assert!(
        main.contains("<img src=\"/column/images/map.svg\" alt=\"地图\" />"),
        "{main}"
    );
    assert!(
        main.contains("<img src=\"/column/images/wave.gif\" alt=\"挥手\" />"),
        "{main}"
    );
    assert!(!main.contains("<picture>"), "{main}");
}

#[test]
fn feeds_and_exports_show_the_original_image() {
    let site = site_with_body("", "![病房](/images/covers/ward.jpg)\n");
    site.build().assert_ok();
    let feed = site.read("rss.xml");
    assert!(
        feed.contains("https://example.org/column/images/covers/ward.jpg"),
        "{feed}"
    );
    let wechat = site.run(&["export", "wechat", "arrival"]);
    wechat.assert_ok();
    assert!(
        wechat
            .stdout
            .contains("src=\"https://example.org/column/images/covers/ward.jpg\""),
        "{}",
        wechat.stdout
    );
    let book = site.path("book.html");
    site.run(&["export", "book", "-o", book.to_str().unwrap()])
        .assert_ok();
    let book = std::fs::read_to_string(book).unwrap();
    assert!(
        book.contains("src=\"data:image/jpeg;base64,"),
        "the book holds the image"
    );
}

#[test]
fn check_strict_warns_about_images_from_other_sites() {
    let site = TestSite::new();
    site.file(
        ARRIVAL_FILE,
        &entry(
            "title: 抵达\ndate: 2020-02-10 21:30\nauthor: wu-yang",
            "正文\n\n![外链](https://img.example.org/x.jpg) [链接](https://example.com/)\n",
        ),
    );
    let plain = site.run(&["check"]);
    plain.assert_ok();
    assert!(plain.warnings().is_empty(), "{}", plain.stderr);
    // No validators on PATH: the other checks still run (exit 2).
    let empty = site.path("empty-path");
    std::fs::create_dir(&empty).unwrap();
    let env = [
        ("PATH", Some(empty.as_os_str())),
        ("LAUREL_VNU_JAR", None),
        ("JAVA_HOME", None),
    ];
    let out = site.run_env(&env, &["check", "--strict"]);
    out.assert_code(2);
    assert_eq!(
        out.warnings(),
        [format!(
            "warning: {ARRIVAL_FILE}:8:7: image from another site: https://img.example.org/x.jpg"
        )],
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("hint: readers offline"),
        "{}",
        out.stderr
    );
}

#[test]
fn watch_follows_body_images_and_matches_a_clean_build() {
    let site = site_with_body("", "![病房](/images/covers/ward.jpg)\n");
    let watch = site.spawn(&["watch"]);
    watch.wait_for(0, "the first build", |l| {
        l.stream == Stream::Stdout && l.text.starts_with("built ")
    });
    let edits: [(&str, &str); 3] = [
        // The text around the image (the quick path: the entry keeps its place).
        (
            "正文。\n\n![病房](/images/covers/ward.jpg)\n",
            "<p>正文。</p>",
        ),
        // Another image (a new place: the full path).
        ("![走廊](/images/covers/hall.jpg)\n", "images/covers/hall."),
        // A missing one: an error, the last good site stays.
        ("![无](/images/none.jpg)\n", "images/covers/hall."),
    ];
    for (body, shows) in edits {
        let from = watch.printed();
        site.file(
            ARRIVAL_FILE,
            &entry("title: 抵达\ndate: 2020-02-10 21:30\nauthor: wu-yang", body),
        );
        watch.wait_for_outcome(from);
        let page = site.read("diary/arrival/index.html");
        let main = main_of(&page);
        assert!(
            main.contains(shows) && main.contains("<picture>"),
            "{body}: {main}"
        );
    }
    assert!(
        watch.transcript().contains(&format!(
            "{ARRIVAL_FILE}:6:6: image not found: /images/none.jpg"
        )),
        "{}",
        watch.transcript()
    );
    let from = watch.printed();
    site.file(
        ARRIVAL_FILE,
        &entry(
            "title: 抵达\ndate: 2020-02-10 21:30\nauthor: wu-yang",
            "![走廊](/images/covers/hall.jpg)\n\n再见。\n",
        ),
    );
    watch.wait_for_outcome(from);
    drop(watch);
    let watched = snapshot(&site.path("public"));
    site.run(&["build", "--output", "clean"]).assert_ok();
    let clean = snapshot(&site.path("clean"));
    let keep = |m: std::collections::BTreeMap<String, Vec<u8>>| {
        m.into_iter()
            .filter(|(k, _)| !k.contains(".laurel"))
            .collect::<std::collections::BTreeMap<_, _>>()
    };
    assert!(
        keep(watched) == keep(clean),
        "watch differs from a clean build"
    );
}
