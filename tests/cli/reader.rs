//! What the default theme shows a reader of lists: card summaries cut to
//! the first paragraph, honors on the honor roll's cards, the roll's strip
//! on the home page, the menu marking the section of a page, and search
//! results without task-list boxes and with people's photos.

use crate::support::{TestSite, card_linking_to, entry, main_of, text_of};

/// The plain text of the summary of the card linking to `slug` on the home page.
fn card_summary(site: &TestSite, slug: &str) -> String {
    let home = site.read("index.html");
    let card = card_linking_to(&home, &format!("/column/diary/{slug}/"));
    let open = "<div class=\"card-summary\">";
    let start = card.find(open).expect("the card has a summary") + open.len();
    let rest = &card[start..];
    text_of(&rest[..rest.find("</div>").expect("the summary is closed")])
}

#[test]
fn a_card_shows_only_the_first_paragraph_and_no_task_boxes() {
    let site = TestSite::new();
    site.file(
        "content/diary/2020-02-12-list.md",
        &entry(
            "title: 清单\ndate: 2020-02-12",
            "接到通知，任务进入收尾阶段。\n\n我列了一张清单：\n\n- [x] 交班\n- [ ] 打扫宿舍\n",
        ),
    )
    .file(
        "content/diary/2020-02-13-marked.md",
        &entry(
            "title: 标记\ndate: 2020-02-13",
            "第一段。\n\n- [x] 交班\n- [ ] 打扫宿舍\n\n<!-- more -->\n\n后文。\n",
        ),
    );
    site.build().assert_ok();
    assert_eq!(card_summary(&site, "list"), "接到通知，任务进入收尾阶段。");
    // The text before the marker, as plain text: the boxes are marks, not words.
    assert_eq!(card_summary(&site, "marked"), "第一段。交班 打扫宿舍");
    let page = main_of(&site.read("diary/list/index.html")).to_string();
    assert!(
        page.contains("我列了一张清单") && page.contains("☑"),
        "the entry page keeps all of it, boxes included: {page}"
    );
}

#[test]
fn a_long_first_paragraph_is_cut_near_120_characters() {
    let sentence = "病区里的每一天都很忙碌，大家互相照应。";
    let site = TestSite::new();
    site.file(
        "content/diary/2020-02-12-long.md",
        &entry(
            "title: 长段\ndate: 2020-02-12",
            &format!("{}\n\n第二段不出现。\n", sentence.repeat(20)),
        ),
    );
    site.build().assert_ok();
    let summary = card_summary(&site, "long");
    let chars = summary.chars().count();
    assert!(
        (84..=121).contains(&chars) && summary.starts_with(sentence),
        "{chars} characters: {summary}"
    );
    assert!(!summary.contains("第二段"), "{summary}");
}

#[test]
fn honor_roll_cards_show_honors_and_the_home_page_shows_the_roll() {
    let site = TestSite::new();
    site.file(
        "content/people/wu-yang.yaml",
        "name: 吴洋\nrole: 护士\nbatch: 1\ndeployed: 2020-02-09\nmotto: 把\"干\"字精神带到武汉\nhonors:\n  - { date: 2020-03-08, title: 优秀护士 }\n  - { date: 2020-04-01, title: 抗疫先锋 }\n  - { date: 2020-05-01, title: 第三项荣誉 }\n",
    )
    .file("content/people/li-na.yaml", "name: 李娜\nrole: 医生\nbatch: 1\n");
    site.build().assert_ok();
    let roll = text_of(main_of(&site.read("people/index.html")));
    assert!(
        roll.contains("优秀护士") && roll.contains("抗疫先锋"),
        "the card shows the first honors: {roll}"
    );
    assert!(
        !roll.contains("第三项荣誉"),
        "at most two on a card: {roll}"
    );
    // Straight quotes in a motto become Chinese ones, as in Markdown text.
    assert!(roll.contains("把“干”字精神"), "{roll}");

    let home = site.read("index.html");
    let main = main_of(&home);
    let strip = &main[main.find("roll-strip").expect("the home page has the roll")..];
    let strip = &strip[..strip.find("</section>").expect("closed")];
    assert!(
        strip.contains("href=\"/column/people/wu-yang/\""),
        "{strip}"
    );
    assert!(strip.contains("href=\"/column/people/li-na/\""), "{strip}");
    assert!(text_of(strip).contains("全部 2 人"), "{}", text_of(strip));
}

#[test]
fn the_menu_marks_the_section_each_page_belongs_to() {
    let site = TestSite::new();
    site.build().assert_ok();
    let marked = |path: &str| -> Vec<String> {
        let html = site.read(path);
        let nav = &html[html.find("<nav id=\"site-nav\"").expect("the menu")..];
        let nav = &nav[..nav.find("</nav>").expect("closed")];
        nav.split("<li>")
            .filter(|li| li.contains("is-active") || li.contains("aria-current"))
            .map(text_of)
            .collect()
    };
    assert_eq!(marked("index.html"), ["首页"]);
    // An entry is in the archive (it used to mark the home page).
    assert_eq!(marked("diary/arrival/index.html"), ["归档"]);
    assert_eq!(marked("archive/2020/02/index.html"), ["归档"]);
    assert_eq!(marked("people/wu-yang/index.html"), ["英雄榜"]);
    assert_eq!(marked("tags/nursing/index.html"), ["标签"]);
}

#[test]
fn search_results_carry_a_persons_photo_and_no_task_boxes() {
    let site = TestSite::new();
    site.file(
        "content/people/wu-yang.yaml",
        "name: 吴洋\nrole: 护士\nphoto: /images/wu-yang.png\n",
    )
    .file(
        "content/diary/2020-02-10-arrival.md",
        &entry(
            "title: 抵达\ndate: 2020-02-10\nauthor: wu-yang",
            "清单：\n\n- [x] 交班\n- [ ] 打扫\n",
        ),
    );
    let mut png = Vec::new();
    image::DynamicImage::ImageRgb8(image::RgbImage::new(8, 10))
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .expect("encode a PNG");
    site.bytes("static/images/wu-yang.png", &png);
    site.build().assert_ok();
    let docs = site.read("search/d/0.json");
    let docs: serde_json::Value = serde_json::from_str(&docs).expect("JSON");
    let docs = docs.as_array().expect("an array");
    let entry = docs.iter().find(|d| d["k"] == "entry").expect("the entry");
    assert_eq!(entry["x"], "清单：交班 打扫", "{entry}");
    assert!(entry.get("p").is_none(), "{entry}");
    let person = docs
        .iter()
        .find(|d| d["k"] == "person")
        .expect("the person");
    assert_eq!(person["p"], "/column/images/wu-yang.png", "{person}");
}
