//! Portraits and covers: resized at build time into the widths the theme
//! shows (JPEG/PNG and WebP), EXIF orientation applied, `srcset` and sizes in
//! the pages, reused on rebuilds while the source bytes are unchanged, and a
//! missing or broken image reported at its `photo:`/`cover:` line.

use std::os::unix::fs::MetadataExt as _;

use image::{DynamicImage, Rgb, RgbImage, Rgba, RgbaImage};

use crate::support::{Stream, TestSite, attr_values, entry, snapshot};

/// A JPEG of `w`×`h`: left half red, right half blue.
pub(crate) fn jpeg(w: u32, h: u32) -> Vec<u8> {
    let img = RgbImage::from_fn(w, h, |x, _| {
        if x < w / 2 {
            Rgb([220, 20, 20])
        } else {
            Rgb([20, 20, 220])
        }
    });
    let mut buf = Vec::new();
    DynamicImage::ImageRgb8(img)
        .write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(
            &mut buf, 90,
        ))
        .expect("encode test JPEG");
    buf
}

/// The same JPEG with an EXIF block saying "rotate 90° clockwise to display"
/// (orientation 6), the way phone cameras save portraits.
fn jpeg_rotated(w: u32, h: u32) -> Vec<u8> {
    let plain = jpeg(w, h);
    // TIFF header (little endian), one IFD entry: 0x0112 Orientation, SHORT, 1, value 6.
    let mut tiff: Vec<u8> = b"II*\0".to_vec();
    tiff.extend(8u32.to_le_bytes());
    tiff.extend(1u16.to_le_bytes());
    tiff.extend(0x0112u16.to_le_bytes());
    tiff.extend(3u16.to_le_bytes());
    tiff.extend(1u32.to_le_bytes());
    tiff.extend(6u16.to_le_bytes());
    tiff.extend(0u16.to_le_bytes());
    tiff.extend(0u32.to_le_bytes());
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend(tiff);
    let mut out = plain[..2].to_vec(); // SOI
    out.extend([0xFF, 0xE1]);
    out.extend(u16::try_from(app1.len() + 2).unwrap().to_be_bytes());
    out.extend(app1);
    out.extend(&plain[2..]);
    out
}

fn png_with_alpha(w: u32, h: u32) -> Vec<u8> {
    let img = RgbaImage::from_fn(w, h, |x, _| {
        Rgba([30, 120, 60, if x < w / 2 { 0 } else { 255 }])
    });
    let mut buf = Vec::new();
    DynamicImage::ImageRgba8(img)
        .write_with_encoder(image::codecs::png::PngEncoder::new(&mut buf))
        .expect("encode test PNG");
    buf
}

/// Output files under `dir` (a public/ path) whose names start with `stem.`,
/// with the size each decodes to.
fn variants(site: &TestSite, dir: &str, stem: &str) -> Vec<(String, u32, u32)> {
    let mut out: Vec<(String, u32, u32)> = std::fs::read_dir(site.path(&format!("public/{dir}")))
        .expect("image folder in public/")
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(&format!("{stem}.")) && n.matches('.').count() == 3)
        .map(|n| {
            let img = image::open(site.path(&format!("public/{dir}/{n}")))
                .unwrap_or_else(|e| panic!("{n} is not a readable image: {e}"));
            (n, img.width(), img.height())
        })
        .collect();
    out.sort();
    out
}

fn site_with_photo(photo: &[u8]) -> TestSite {
    let site = TestSite::new();
    site.bytes("static/images/people/wu-yang.jpg", photo).file(
        "content/people/wu-yang.yaml",
        "name: 吴洋\nrole: 护士\nbatch: 1\ndeployed: 2020-02-09\nphoto: /images/people/wu-yang.jpg\n",
    );
    site
}

#[test]
fn portraits_and_covers_are_resized_into_the_widths_the_theme_uses() {
    let site = site_with_photo(&jpeg(800, 1000));
    site.bytes("static/images/covers/arrival.jpg", &jpeg(1600, 900))
        .file(
            "content/diary/2020-02-10-arrival.md",
            &entry(
                "title: 抵达\ndate: 2020-02-10 21:30\nauthor: wu-yang\ncover: /images/covers/arrival.jpg",
                "今天抵达。",
            ),
        );
    site.build().assert_ok();

    let portraits = variants(&site, "images/people", "wu-yang");
    let sizes: Vec<(u32, u32)> = portraits.iter().map(|v| (v.1, v.2)).collect();
    // JPEG and WebP at 160, 320 and 640 px wide, 4:5 like the original.
    assert_eq!(
        sizes,
        [
            (160, 200),
            (160, 200),
            (320, 400),
            (320, 400),
            (640, 800),
            (640, 800)
        ],
        "{portraits:?}"
    );
    assert_eq!(
        portraits.iter().filter(|v| v.0.ends_with(".webp")).count(),
        3
    );
    assert_eq!(
        portraits.iter().filter(|v| v.0.ends_with(".jpg")).count(),
        3
    );
    let covers = variants(&site, "images/covers", "arrival");
    let widths: Vec<u32> = covers.iter().map(|v| v.1).collect();
    assert_eq!(widths, [1200, 1200, 480, 480, 800, 800], "{covers:?}");
    assert!(
        covers.iter().all(|v| v.1 * 9 == v.2 * 16),
        "16:9 kept: {covers:?}"
    );
    // The original is still copied as it is.
    assert!(site.exists("images/people/wu-yang.jpg"));

    // The pages offer them with srcset, sizes, width and height.
    let person = site.read("people/wu-yang/index.html");
    let srcsets = attr_values(&person, "srcset");
    assert!(
        srcsets.iter().any(|s| s.contains(".160w.webp 160w")
            && s.contains(".640w.webp 640w")
            && s.starts_with("/column/images/people/wu-yang.")),
        "{srcsets:?}"
    );
    assert!(person.contains("<source type=\"image/webp\""));
    assert!(person.contains("width=\"320\" height=\"400\""), "{person}");
    let entry_page = site.read("diary/arrival/index.html");
    assert!(entry_page.contains(".1200w.jpg 1200w"), "{entry_page}");
    assert!(entry_page.contains("width=\"800\" height=\"450\""));
    let roll = site.read("people/index.html");
    assert!(
        roll.contains("loading=\"lazy\""),
        "honor-roll portraits load lazily"
    );
}

#[test]
fn small_images_are_never_enlarged_and_transparency_stays_png() {
    let site = site_with_photo(&jpeg(200, 250));
    site.bytes(
        "static/images/people/wu-yang.png",
        &png_with_alpha(300, 300),
    )
    .file(
        "content/people/wu-yang.yaml",
        "name: 吴洋\nphoto: /images/people/wu-yang.png\n",
    );
    site.build().assert_ok();
    let v = variants(&site, "images/people", "wu-yang");
    let names: Vec<&str> = v.iter().map(|v| v.0.as_str()).collect();
    assert!(
        names
            .iter()
            .all(|n| n.ends_with(".png") || n.ends_with(".webp")),
        "{names:?}"
    );
    let widths: Vec<u32> = v.iter().map(|v| v.1).collect();
    assert_eq!(
        widths,
        [160, 160, 300, 300],
        "widths above 300 become 300: {names:?}"
    );
    let png = image::open(site.path(&format!("public/images/people/{}", names[0]))).unwrap();
    assert!(png.color().has_alpha(), "transparency kept");
}

#[test]
fn exif_orientation_is_applied() {
    // Stored 400×200, left red; displayed rotated clockwise: 200×400, top red.
    let site = site_with_photo(&jpeg_rotated(400, 200));
    site.build().assert_ok();
    let v = variants(&site, "images/people", "wu-yang");
    let jpg = v
        .iter()
        .find(|v| v.0.ends_with(".160w.jpg"))
        .expect("160w JPEG");
    assert_eq!((jpg.1, jpg.2), (160, 320), "{v:?}");
    let img = image::open(site.path(&format!("public/images/people/{}", jpg.0)))
        .unwrap()
        .into_rgb8();
    let top = img.get_pixel(80, 40);
    let bottom = img.get_pixel(80, 280);
    assert!(top[0] > 150 && top[2] < 100, "top should be red: {top:?}");
    assert!(
        bottom[2] > 150 && bottom[0] < 100,
        "bottom should be blue: {bottom:?}"
    );
    let person = site.read("people/wu-yang/index.html");
    assert!(person.contains("width=\"200\" height=\"400\""), "{person}");
}

#[test]
fn rebuilds_reuse_resized_images_until_the_source_bytes_change() {
    let site = site_with_photo(&jpeg(800, 1000));
    site.build().assert_ok();
    let before = variants(&site, "images/people", "wu-yang");
    let inode = |name: &str| {
        std::fs::metadata(site.path(&format!("public/images/people/{name}")))
            .unwrap()
            .ino()
    };
    let inodes: Vec<u64> = before.iter().map(|v| inode(&v.0)).collect();

    // Another file changed: the images are not made again (the build links
    // the same files into the new site).
    site.file(
        "content/diary/2020-02-10-arrival.md",
        &entry("title: 抵达（改）\ndate: 2020-02-10 21:30", "改了。"),
    );
    site.build().assert_ok();
    let again = variants(&site, "images/people", "wu-yang");
    assert_eq!(again, before);
    let inodes_again: Vec<u64> = again.iter().map(|v| inode(&v.0)).collect();
    assert_eq!(inodes_again, inodes, "resized images were made again");

    // New bytes: new names (so browsers and CDNs never serve the old
    // picture), and the old variants are gone.
    site.bytes("static/images/people/wu-yang.jpg", &jpeg(900, 900));
    site.build().assert_ok();
    let changed = variants(&site, "images/people", "wu-yang");
    assert_eq!(changed.len(), 6);
    assert!(
        changed.iter().all(|v| !before.iter().any(|b| b.0 == v.0)),
        "{changed:?}"
    );
    assert!(
        changed.iter().all(|v| v.1 == v.2),
        "square now: {changed:?}"
    );
    let person = site.read("people/wu-yang/index.html");
    assert!(
        !person.contains(&before[0].0),
        "the page still names the old image"
    );
}

#[test]
fn a_missing_photo_is_an_error_at_its_line() {
    let site = TestSite::new();
    site.file(
        "content/people/wu-yang.yaml",
        "name: 吴洋\nrole: 护士\nbatch: 1\ndeployed: 2020-02-09\nphoto: /images/people/wu-yang.jpg\n",
    );
    let out = site.run(&["build"]);
    out.assert_code(1);
    let errors = out.errors();
    assert_eq!(
        errors,
        ["error: content/people/wu-yang.yaml:5:8: photo not found: /images/people/wu-yang.jpg"],
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("static/images/people/wu-yang.jpg"),
        "the hint names the place: {}",
        out.stderr
    );
    assert!(!site.path("public").exists(), "nothing written");
    site.run(&["check"]).assert_code(1);
}

#[test]
fn a_missing_cover_is_an_error_at_its_line() {
    let site = TestSite::new();
    site.file(
        "content/diary/2020-02-10-arrival.md",
        &entry(
            "title: 抵达\ndate: 2020-02-10 21:30\ncover: /images/nope.jpg",
            "正文",
        ),
    );
    let out = site.run(&["build"]);
    out.assert_code(1);
    assert_eq!(
        out.errors(),
        ["error: content/diary/2020-02-10-arrival.md:4:8: cover not found: /images/nope.jpg"],
        "{}",
        out.stderr
    );
}

#[test]
fn a_file_that_is_not_an_image_is_an_error_at_its_line() {
    let site = site_with_photo(b"\xff\xd8\xff\xe0 this is not really a JPEG");
    let out = site.run(&["build"]);
    out.assert_code(1);
    let errors = out.errors();
    assert_eq!(errors.len(), 1, "{}", out.stderr);
    assert!(
        errors[0].starts_with("error: content/people/wu-yang.yaml:5:8: photo static/images/people/wu-yang.jpg cannot be read"),
        "{}",
        out.stderr
    );
}

#[test]
fn svg_and_external_images_are_used_as_they_are() {
    let site = TestSite::new();
    site.file(
        "static/images/people/wu-yang.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" height=\"50\"/>",
    )
    .file(
        "content/people/wu-yang.yaml",
        "name: 吴洋\nphoto: /images/people/wu-yang.svg\n",
    )
    .file(
        "content/diary/2020-02-10-arrival.md",
        &entry(
            "title: 抵达\ndate: 2020-02-10 21:30\nauthor: wu-yang\ncover: https://img.example.org/a.jpg",
            "正文",
        ),
    );
    site.build().assert_ok();
    let person = site.read("people/wu-yang/index.html");
    assert!(
        person.contains("src=\"/column/images/people/wu-yang.svg\""),
        "{person}"
    );
    assert!(!person.contains("srcset"), "nothing to choose from");
    let entry_page = site.read("diary/arrival/index.html");
    assert!(entry_page.contains("src=\"https://img.example.org/a.jpg\""));
}

#[test]
fn people_without_a_photo_get_their_initials() {
    let site = TestSite::new();
    site.build().assert_ok();
    let roll = site.read("people/index.html");
    assert!(
        roll.contains("<span class=\"initials\" aria-hidden=\"true\">"),
        "{roll}"
    );
    assert!(!roll.contains("<img"), "no broken image");
}

#[test]
fn watch_remakes_an_image_when_its_bytes_change_and_matches_a_clean_build() {
    let site = site_with_photo(&jpeg(800, 1000));
    let watch = site.spawn(&["watch"]);
    watch.wait_for(0, "the first build", |l| {
        l.stream == Stream::Stdout && l.text.starts_with("built ")
    });
    let before = variants(&site, "images/people", "wu-yang");
    assert_eq!(before.len(), 6, "{before:?}");

    let from = watch.printed();
    site.bytes("static/images/people/wu-yang.jpg", &jpeg(600, 600));
    watch.wait_for_outcome(from);
    let after = variants(&site, "images/people", "wu-yang");
    let widths: Vec<(u32, u32)> = after.iter().map(|v| (v.1, v.2)).collect();
    assert_eq!(
        widths,
        [
            (160, 160),
            (160, 160),
            (320, 320),
            (320, 320),
            (600, 600),
            (600, 600)
        ],
        "{after:?}"
    );
    assert!(
        after.iter().all(|v| !before.iter().any(|b| b.0 == v.0)),
        "old variants left behind: {after:?}"
    );

    // A broken image is reported at the photo line and the last good site stays.
    let from = watch.printed();
    site.bytes(
        "static/images/people/wu-yang.jpg",
        b"\x89PNG\r\n\x1a\n broken",
    );
    let i = watch.wait_for_outcome(from);
    let outcome = watch.lines_since(i);
    assert!(
        outcome[0].is_failure(),
        "expected an error block:\n{}",
        watch.transcript()
    );
    assert!(
        watch.transcript().contains(
            "content/people/wu-yang.yaml:5:8: photo static/images/people/wu-yang.jpg cannot be read"
        ),
        "{}",
        watch.transcript()
    );
    assert_eq!(variants(&site, "images/people", "wu-yang"), after);
    let from = watch.printed();
    site.bytes("static/images/people/wu-yang.jpg", &jpeg(600, 600));
    watch.wait_for_outcome(from);
    drop(watch);

    let watched = snapshot(&site.path("public"));
    site.run(&["build", "--output", "clean"]).assert_ok();
    let clean = snapshot(&site.path("clean"));
    let names = |m: &std::collections::BTreeMap<String, Vec<u8>>| -> Vec<String> {
        m.keys()
            .filter(|k| !k.contains(".laurel"))
            .cloned()
            .collect()
    };
    assert_eq!(names(&watched), names(&clean));
    for (path, bytes) in &clean {
        if !path.contains(".laurel") {
            assert!(watched[path] == *bytes, "{path} differs from a clean build");
        }
    }
}

#[test]
fn watch_starts_from_the_images_a_build_already_made() {
    let site = site_with_photo(&jpeg(800, 1000));
    site.build().assert_ok();
    // Mark one resized file: if watch decoded and encoded the photo again,
    // its own bytes would replace the mark.
    let small = variants(&site, "images/people", "wu-yang")
        .into_iter()
        .find(|v| v.0.ends_with(".160w.jpg"))
        .expect("160w JPEG");
    let path = site.path(&format!("public/images/people/{}", small.0));
    let mut marked = std::fs::read(&path).unwrap();
    marked.extend(b"MARK");
    std::fs::write(&path, &marked).unwrap();

    let watch = site.spawn(&["watch"]);
    watch.wait_for(0, "the first build", |l| {
        l.stream == Stream::Stdout && l.text.starts_with("built ")
    });
    drop(watch);
    assert_eq!(
        std::fs::read(&path).unwrap(),
        marked,
        "the image was made again"
    );
}

#[test]
fn an_empty_or_non_image_photo_or_cover_is_an_error_at_its_line() {
    for (bytes, why) in [
        (&b""[..], "the file is empty"),
        (
            b"<html>not an image</html>",
            "it is not a JPEG, PNG, WebP, GIF or SVG image",
        ),
    ] {
        let site = site_with_photo(bytes);
        site.bytes("static/images/cover.png", bytes).file(
            "content/diary/2020-02-10-arrival.md",
            &entry(
                "title: 抵达\ndate: 2020-02-10 21:30\nauthor: wu-yang\ncover: /images/cover.png",
                "正文",
            ),
        );
        for cmd in ["build", "check"] {
            let out = site.run(&[cmd]);
            out.assert_code(1);
            assert_eq!(
                out.errors(),
                [
                    format!(
                        "error: content/diary/2020-02-10-arrival.md:5:8: cover static/images/cover.png cannot be read: {why}"
                    ),
                    format!(
                        "error: content/people/wu-yang.yaml:5:8: photo static/images/people/wu-yang.jpg cannot be read: {why}"
                    ),
                ],
                "{cmd}: {}",
                out.stderr
            );
        }
        assert!(!site.path("public").exists(), "nothing written");
    }
}

/// A PNG of one grey level: a few kilobytes, whatever its size.
fn grey_png(w: u32, h: u32) -> Vec<u8> {
    let img = image::GrayImage::from_pixel(w, h, image::Luma([128]));
    let mut buf = Vec::new();
    DynamicImage::ImageLuma8(img)
        .write_with_encoder(image::codecs::png::PngEncoder::new(&mut buf))
        .expect("encode test PNG");
    buf
}

#[test]
fn an_image_of_too_many_pixels_is_an_error_at_its_line() {
    // 81 megapixels in a small file: decoding it would take 324 MB or more.
    let big = grey_png(9000, 9000);
    assert!(big.len() < 2 << 20, "{} bytes", big.len());
    let site = site_with_photo(&big);
    for cmd in ["build", "check"] {
        let out = site.run(&[cmd]);
        out.assert_code(1);
        assert_eq!(
            out.errors(),
            [
                "error: content/people/wu-yang.yaml:5:8: photo static/images/people/wu-yang.jpg cannot be read: it is 9000 × 9000 pixels (81.0 megapixels); laurel resizes images of at most 64 megapixels"
            ],
            "{cmd}: {}",
            out.stderr
        );
        assert!(
            out.stderr
                .contains("hint: shrink it first: a page shows it at most 1200 pixels wide"),
            "{}",
            out.stderr
        );
    }
    assert!(!site.path("public").exists(), "nothing written");
}

#[test]
fn an_image_too_tall_for_webp_gets_its_png_variants_only() {
    // 1 × 16384: WebP holds at most 16383 pixels a side.
    let site = site_with_photo(&png_with_alpha(1, 16_384));
    site.run(&["build"]).assert_ok();
    let made = variants(&site, "images/people", "wu-yang");
    assert!(!made.is_empty());
    for (name, w, h) in &made {
        assert!(name.ends_with(".png"), "{name}");
        assert_eq!((*w, *h), (1, 16_384), "{name}");
    }
    let page = site.read("people/wu-yang/index.html");
    assert!(page.contains("<picture><img"), "{page}");
    assert!(!page.contains("image/webp"), "{page}");
    let srcsets = attr_values(&page, "srcset");
    assert!(
        !srcsets.is_empty() && srcsets.iter().all(|s| s.contains(".png 1w")),
        "{srcsets:?}"
    );
}
