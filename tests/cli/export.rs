//! `laurel export wechat ENTRY` (what the WeChat official-account editor
//! keeps) and `laurel export book` (the printable HTML booklet and the
//! EPUB, each checked by a real validator: vnu and epubcheck).

use std::path::Path;
use std::process::Command;

use crate::support::{BASE_URL, TestSite, entry, epubcheck_jar, real_client, vnu_jar};

/// A tiny real PNG (the image scan reads its header).
fn png() -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    image::RgbImage::from_pixel(4, 5, image::Rgb([200, 30, 30]))
        .write_to(&mut buf, image::ImageFormat::Png)
        .expect("encode a PNG");
    buf.into_inner()
}

/// Markdown that has every kind of block the body can hold.
const RICH_BODY: &str = "开头见[新华网](https://news.cn/a?x=1&y=2)和[英雄榜](/people/)，又见[新华网](https://news.cn/a?x=1&y=2)。\n\n\
![病区](/images/ward.png)\n\n\
## 小标题\n\n\
- 一级\n  - 二级\n    - 三级\n      - 四级\n\n\
1. 第一\n2. 第二\n\n\
```\nfn main() {\n    println!(\"hi\");\n}\n```\n\n\
> 引用一段\n\n\
| 甲 | 乙 |\n|---|---|\n| 1 | 2 |\n\n\
脚注[^1]。\n\n\
<div class=\"box\" id=\"x\">原始 HTML</div>\n\n\
---\n\n\
[^1]: 注释。\n";

fn rich_site() -> TestSite {
    let site = TestSite::new();
    site.bytes("static/images/ward.png", &png())
        .bytes("static/images/cover.png", &png())
        .file(
            "content/diary/2020-02-10-arrival.md",
            &entry(
                "title: 抵达\ndate: 2020-02-10 21:30\nauthor: wu-yang\ncover: /images/cover.png\ncredit: 凤城融媒",
                RICH_BODY,
            ),
        );
    site
}

/// Every start tag of `html` named `name` (`<p ...>`, not `<pre`).
fn start_tags<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    let open = format!("<{name}");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&open) {
        let tail = &rest[i..];
        let end = tail.find('>').map_or(tail.len(), |e| e + 1);
        let after = tail[open.len()..].chars().next();
        if matches!(after, Some(' ' | '>' | '/')) {
            out.push(&tail[..end]);
        }
        rest = &tail[end..];
    }
    out
}

const BLOCKS: &[&str] = &[
    "section",
    "p",
    "h2",
    "ul",
    "ol",
    "li",
    "pre",
    "blockquote",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "hr",
];

#[test]
fn wechat_export_has_every_style_inline_and_no_class_or_id() {
    let site = rich_site();
    let out = site.run(&["export", "wechat", "arrival"]);
    out.assert_ok();
    let html = &out.stdout;
    assert!(!html.contains("<style"), "{html}");
    assert!(!html.contains("class="), "{html}");
    assert!(!html.contains(" id="), "{html}");
    assert!(!html.contains("<div"), "divs become sections: {html}");
    assert!(html.contains("原始 HTML"), "{html}");
    for name in BLOCKS {
        let tags = start_tags(html, name);
        assert!(!tags.is_empty(), "no <{name}> in {html}");
        for tag in tags {
            assert!(tag.contains(" style=\""), "{tag} has no inline style");
        }
    }
    let srcs: Vec<&str> = html.split(" src=\"").skip(1).collect();
    assert_eq!(srcs.len(), 2, "the cover and the body's image: {html}");
    for s in srcs {
        assert!(s.starts_with(&format!("{BASE_URL}images/")), "{s}");
    }
}

#[test]
fn wechat_export_turns_outside_links_into_numbered_notes() {
    let site = rich_site();
    let out = site.run(&["export", "wechat", "arrival"]);
    out.assert_ok();
    let html = &out.stdout;
    assert!(!html.contains("<a "), "every link was outside: {html}");
    assert!(
        html.contains("新华网<sup") && html.contains("[1]</sup>和英雄榜<sup"),
        "{html}"
    );
    assert_eq!(html.matches("[1]</sup>").count(), 2, "one note per URL");
    let notes = &html[html.find("参考链接").expect("a 参考链接 heading")..];
    assert!(
        notes.contains("[1] 新华网: https://news.cn/a?x=1&amp;y=2"),
        "{notes}"
    );
    assert!(
        notes.contains(&format!("[2] 英雄榜: {BASE_URL}people/")),
        "{notes}"
    );
}

#[test]
fn wechat_notes_are_headed_in_the_site_language() {
    let site = rich_site();
    site.file(
        "site.yaml",
        "title: Diary\nbase_url: https://example.org/column/\nlanguage: en\n",
    );
    let out = site.run(&["export", "wechat", "arrival"]);
    out.assert_ok();
    assert!(out.stdout.contains(">References</h2>"), "{}", out.stdout);
    assert!(!out.stdout.contains("参考链接"));
}

#[test]
fn wechat_links_keep_keeps_outside_links() {
    let site = rich_site();
    site.file(
        "site.yaml",
        "title: 测试专栏\nbase_url: https://example.org/column/\nwechat: { links: keep }\n",
    );
    let out = site.run(&["export", "wechat", "arrival"]);
    out.assert_ok();
    let html = &out.stdout;
    assert!(
        html.contains("<a href=\"https://news.cn/a?x=1&amp;y=2\""),
        "{html}"
    );
    assert!(
        html.contains(&format!("<a href=\"{BASE_URL}people/\"")),
        "{html}"
    );
    assert!(!html.contains("参考链接"), "{html}");
    assert!(!html.contains("class="), "{html}");
}

#[test]
fn wechat_links_setting_rejects_unknown_values() {
    let site = rich_site();
    site.file(
        "site.yaml",
        "title: 测试专栏\nbase_url: https://example.org/column/\nwechat:\n  links: drop\n",
    );
    let out = site.run(&["export", "wechat", "arrival"]);
    out.assert_code(1);
    assert_eq!(
        out.errors(),
        ["error: site.yaml:4:10: unknown wechat.links `drop`"]
    );
}

#[test]
fn wechat_lists_keep_at_most_two_levels_and_code_keeps_its_spaces() {
    let site = rich_site();
    let out = site.run(&["export", "wechat", "arrival"]);
    out.assert_ok();
    let html = &out.stdout;
    let (mut depth, mut deepest) = (0, 0);
    let mut rest = html.as_str();
    while let Some(i) = rest.find(['<']) {
        rest = &rest[i..];
        if rest.starts_with("<ul") || rest.starts_with("<ol") {
            depth += 1;
            deepest = deepest.max(depth);
        } else if rest.starts_with("</ul") || rest.starts_with("</ol") {
            depth -= 1;
        }
        rest = &rest[1..];
    }
    assert_eq!(deepest, 2, "{html}");
    assert!(html.contains("三级") && html.contains("四级"), "{html}");
    let pre = &html[html.find("<pre").unwrap()..html.find("</pre>").unwrap()];
    assert!(
        pre.contains("{<br>\u{a0}\u{a0}\u{a0}\u{a0}println!"),
        "indentation and line breaks survive the editor: {pre}"
    );
}

#[test]
fn wechat_export_starts_with_the_cover_and_credit() {
    let site = rich_site();
    let out = site.run(&["export", "wechat", "arrival"]);
    out.assert_ok();
    let html = &out.stdout;
    let cover = html.find("images/cover.png").expect("the cover");
    let credit = html.find("凤城融媒").expect("the credit");
    let body = html.find("开头见").expect("the body");
    assert!(cover < credit && credit < body, "{html}");
}

#[test]
fn wechat_export_keeps_html_in_names_and_titles_escaped() {
    let site = rich_site();
    site.file(
        "content/people/wu-yang.yaml",
        "name: 吴洋<img src=x onerror=alert(1)>\nrole: 护士\n",
    )
    .file(
        "content/diary/2020-02-11-x.md",
        &entry(
            "title: <script>alert(1)</script>\ndate: 2020-02-11\nauthor: wu-yang\ncover: /images/cover.png\ncredit: <b>融媒</b>",
            "正文。",
        ),
    );
    let out = site.run(&["export", "wechat", "content/diary/2020-02-11-x.md"]);
    out.assert_ok();
    let html = &out.stdout;
    assert!(!html.contains("<script"), "{html}");
    assert!(!html.contains("<b>"), "{html}");
    assert!(!html.contains("<img src=x"), "{html}");
    assert!(html.contains("吴洋&lt;img src=x"), "{html}");
    assert!(html.contains("&lt;b&gt;融媒&lt;/b&gt;"), "{html}");
}

#[test]
fn wechat_export_of_an_unknown_entry_suggests_the_closest() {
    let site = TestSite::new();
    let out = site.run(&["export", "wechat", "arival"]);
    out.assert_code(2);
    assert_eq!(out.errors(), ["error: no entry `arival`"]);
    assert!(
        out.stderr.contains("hint: did you mean `arrival`?"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn wechat_export_of_a_draft_says_how_to_include_it() {
    let site = TestSite::new();
    site.file(
        "content/diary/2020-02-12-later.md",
        &entry("title: 草稿\ndate: 2020-02-12\ndraft: true", "草稿。"),
    );
    let out = site.run(&["export", "wechat", "content/diary/2020-02-12-later.md"]);
    out.assert_code(2);
    assert!(
        out.stderr.contains("is not a published entry"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("--drafts"), "{}", out.stderr);
    let out = site.run(&[
        "export",
        "wechat",
        "--drafts",
        "content/diary/2020-02-12-later.md",
    ]);
    out.assert_ok();
    assert!(out.stdout.contains("草稿。"));
}

#[test]
fn wechat_export_writes_the_file_named_by_o_and_nothing_else() {
    let site = TestSite::new();
    let before = site.snapshot_all();
    let out = site.run(&[
        "export",
        "wechat",
        "content/diary/2020-02-10-arrival.md",
        "-o",
        "arrival.html",
    ]);
    out.assert_ok();
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    let written = std::fs::read_to_string(site.path("arrival.html")).unwrap();
    assert!(written.contains("今天抵达。"), "{written}");
    let mut after = site.snapshot_all();
    after.remove("arrival.html");
    assert_eq!(after, before, "only the -o file was written");
}

#[test]
fn export_refuses_to_write_into_content_over_a_folder_or_through_a_symlink() {
    let site = TestSite::nested();
    let before = site.snapshot_all();
    for (target, says) in [
        ("content/x.html", "inside the site's content/ folder"),
        ("site.yaml", "is the site's own"),
        ("content", "inside the site's content/ folder"),
        ("missing/x.html", "does not exist"),
    ] {
        let out = site.run(&["export", "wechat", "arrival", "-o", target]);
        out.assert_code(2);
        assert!(out.stderr.contains(says), "{target}: {}", out.stderr);
    }
    std::fs::create_dir(site.path("out")).unwrap();
    let out = site.run(&["export", "book", "-o", "out"]);
    out.assert_code(2);
    assert!(out.stderr.contains("out is a folder"), "{}", out.stderr);
    std::fs::remove_dir(site.path("out")).unwrap();
    assert_eq!(site.snapshot_all(), before, "nothing was written");
    #[cfg(unix)]
    {
        let secret = site.outside("secret.txt", "keep me");
        std::os::unix::fs::symlink(&secret, site.path("link.html")).unwrap();
        let out = site.run(&["export", "wechat", "arrival", "-o", "link.html"]);
        out.assert_code(2);
        assert!(out.stderr.contains("is a symlink"), "{}", out.stderr);
        assert_eq!(std::fs::read_to_string(&secret).unwrap(), "keep me");
    }
}

/// A site with two months of entries and two batches of people.
fn book_site() -> TestSite {
    let site = rich_site();
    site.file(
        "content/people/dai.yaml",
        "name: 代晓红\nrole: 护士长\nbatch: 2\nphoto: /images/dai.png\nmotto: 不负韶华\nbio: 她带领**护理组**。\nhonors:\n  - { date: 2020-03-08, title: 优秀护士 }\nprivate:\n  family_contact: 13800000000\n",
    )
    .bytes("static/images/dai.png", &png())
    .file(
        "content/diary/2020-03-02-march.md",
        &entry(
            "title: 三月的一天\ndate: 2020-03-02\nauthor: dai\ncover: https://cdn.example.com/far.jpg",
            "三月正文，[外链](https://news.cn/)。",
        ),
    )
    .file(
        "content/diary/2020-02-20-later.md",
        &entry("title: <i>二月下旬</i>\ndate: 2020-02-20", "二月下旬正文。"),
    );
    site
}

#[test]
fn book_html_has_cover_contents_months_in_date_order_and_the_honor_roll() {
    let site = book_site();
    let out = site.run(&["export", "book"]);
    out.assert_ok();
    let path = site.path("ce-shi-zhuan-lan.html");
    assert!(out.stdout.starts_with("wrote "), "{}", out.stdout);
    let html = std::fs::read_to_string(&path).expect("the default booklet path");
    assert!(html.starts_with("<!doctype html>\n<html lang=\"zh-CN\">"));
    let at = |s: &str| html.find(s).unwrap_or_else(|| panic!("no {s}"));
    assert!(at("class=\"book-cover\"") < at("class=\"book-toc\""));
    // Oldest first, grouped by month, the honor roll last.
    assert!(at("id=\"m-2020-02\"") < at("开头见"));
    assert!(at("开头见") < at("二月下旬正文。"));
    assert!(at("二月下旬正文。") < at("id=\"m-2020-03\""));
    assert!(at("id=\"m-2020-03\"") < at("三月正文"));
    assert!(at("三月正文") < at("id=\"honor-roll\""));
    assert!(at("id=\"honor-roll\"") < html.rfind("代晓红").unwrap());
    assert!(at("第1批") < at("第2批"), "batches in order");
    assert!(
        html.contains("&lt;i&gt;二月下旬&lt;/i&gt;"),
        "titles stay escaped"
    );
    assert!(
        !html.contains("13800000000"),
        "private data never reaches an export"
    );
    // The site's own images are inside the file; none is loaded from it.
    assert!(
        html.contains("src=\"data:image/png;base64,"),
        "portraits and covers"
    );
    assert!(!html.contains(&format!("src=\"{BASE_URL}images/")));
    assert!(!html.contains("src=\"/column/"));
    // Two entries' footnotes and headings share one page: ids stay unique.
    let ids: Vec<&str> = html
        .split(" id=\"")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .collect();
    let unique: std::collections::BTreeSet<&&str> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "{ids:?}");
}

#[test]
fn book_html_passes_the_nu_html_checker() {
    let jar = vnu_jar();
    if !real_client(
        "vnu",
        jar.is_some(),
        "cd tests/browser && npm ci (and Java 17)",
    ) {
        return;
    }
    let site = book_site();
    site.run(&["export", "book", "-o", "book.html"]).assert_ok();
    let out = Command::new("java")
        .arg("-jar")
        .arg(jar.unwrap())
        .args(["--errors-only", "--also-check-css"])
        .arg(site.path("book.html"))
        .output()
        .expect("run vnu");
    assert!(
        out.status.success(),
        "vnu: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// One file of a zip archive, through Python's zipfile.
fn unzip(archive: &Path, name: &str) -> String {
    let out = Command::new("python3")
        .args([
            "-c",
            "import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode())",
        ])
        .arg(archive)
        .arg(name)
        .output()
        .expect("python3");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn book_epub_passes_epubcheck_with_its_language_and_images() {
    let jar = epubcheck_jar();
    if !real_client(
        "epubcheck",
        jar.is_some(),
        "apt-get install epubcheck (and Java 17)",
    ) {
        return;
    }
    let site = book_site();
    let out = site.run(&["export", "book", "--format", "epub"]);
    out.assert_ok();
    let path = site.path("ce-shi-zhuan-lan.epub");
    let check = Command::new("java")
        .arg("-jar")
        .arg(jar.unwrap())
        .arg(&path)
        .output()
        .expect("run epubcheck");
    let said = String::from_utf8_lossy(&check.stdout).into_owned()
        + &String::from_utf8_lossy(&check.stderr);
    assert!(check.status.success(), "epubcheck: {said}");
    assert!(said.contains("No errors or warnings detected"), "{said}");
    let opf = unzip(&path, "OEBPS/content.opf");
    assert!(opf.contains(">zh-CN</dc:language>"), "{opf}");
    assert_eq!(opf.matches("media-type=\"image/png\"").count(), 3, "{opf}");
    let first = unzip(&path, "OEBPS/month-1.xhtml");
    assert!(first.contains("xml:lang=\"zh-CN\""), "{first}");
    assert!(first.find("开头见").unwrap() < first.find("二月下旬正文。").unwrap());
    let people = unzip(&path, "OEBPS/people.xhtml");
    assert!(
        people.contains("代晓红") && people.contains("src=\"images/"),
        "{people}"
    );
}

#[test]
fn exports_of_a_deeply_nested_entry_finish_without_a_crash() {
    let site = TestSite::new();
    let deep = format!("{}深处{}", "<div>".repeat(20_000), "</div>".repeat(20_000));
    site.file(
        "content/diary/2020-02-10-arrival.md",
        &entry(
            "title: 抵达\ndate: 2020-02-10",
            &format!("{}引用\n\n{deep}\n", "> ".repeat(3_000)),
        ),
    );
    let out = site.run(&["export", "wechat", "arrival"]);
    out.assert_ok();
    assert!(out.stdout.contains("深处") && out.stdout.contains("引用"));
    site.run(&["export", "book", "--format", "epub"])
        .assert_ok();
    site.run(&["export", "book", "-o", "book.html"]).assert_ok();
    assert!(
        std::fs::read_to_string(site.path("book.html"))
            .unwrap()
            .contains("深处")
    );
}
