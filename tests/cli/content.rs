//! What content turns into: privacy, escaping, Chinese text, tag URLs,
//! summaries, raw HTML and the deployment day counter.

use crate::support::{
    SITE_YAML, TestSite, card_linking_to, entry, main_of, page_title, parse_feed, text_of,
};

/// Paths of public/ files whose bytes contain `needle`.
fn files_containing(site: &TestSite, needle: &str) -> Vec<String> {
    site.snapshot_dir()
        .into_iter()
        .filter(|(_, bytes)| bytes.windows(needle.len()).any(|w| w == needle.as_bytes()))
        .map(|(p, _)| p)
        .collect()
}

#[test]
fn private_profile_data_reaches_no_output_file() {
    let site = TestSite::new();
    site.file(
        "content/people/wu-yang.yaml",
        "name: 吴洋\ndeployed: 2020-02-09\nprivate:\n  family_contact: SECRET-CANARY-123\n  notes: [SECRET-CANARY-123]\n",
    );
    site.build();
    assert!(site.exists("people/wu-yang/index.html"));
    assert_eq!(
        files_containing(&site, "SECRET-CANARY-123"),
        Vec::<String>::new()
    );
    assert_eq!(
        files_containing(&site, "family_contact"),
        Vec::<String>::new()
    );
}

const DRAFT: &str = "content/diary/2020-02-11-draft.md";
const SCHEDULED: &str = "content/diary/2999-01-01-scheduled.md";

fn site_with_draft_and_scheduled_entry() -> TestSite {
    let site = TestSite::new();
    site.file(
        DRAFT,
        &entry(
            "title: DRAFT-CANARY\ndate: 2020-02-11\ndraft: true\ntags: [secret-draft]",
            "未完成。\n",
        ),
    )
    .file(
        SCHEDULED,
        &entry(
            "title: FUTURE-CANARY\ndate: 2999-01-01\nauthor: wu-yang",
            "将来。\n",
        ),
    );
    site
}

#[test]
fn drafts_and_future_entries_are_left_out_by_default() {
    let site = site_with_draft_and_scheduled_entry();
    site.build();
    assert!(!site.exists("diary/draft/index.html"));
    assert!(!site.exists("diary/scheduled/index.html"));
    assert!(
        !site.exists("tags/secret-draft/index.html"),
        "a draft's tags get no page"
    );
    assert_eq!(
        files_containing(&site, "DRAFT-CANARY"),
        Vec::<String>::new()
    );
    assert_eq!(
        files_containing(&site, "FUTURE-CANARY"),
        Vec::<String>::new()
    );
    assert_eq!(
        files_containing(&site, "diary/draft/"),
        Vec::<String>::new()
    );
    assert_eq!(
        files_containing(&site, "diary/scheduled/"),
        Vec::<String>::new()
    );
}

#[test]
fn nothing_in_the_output_folder_reveals_a_scheduled_entry() {
    let site = site_with_draft_and_scheduled_entry();
    site.build();
    // Every file under public/, laurel's own marker included.
    let everything = crate::support::snapshot(&site.path("public"));
    assert!(everything.contains_key(".laurel-output"));
    for (path, bytes) in &everything {
        let text = String::from_utf8_lossy(bytes);
        // "2999-01" rather than "2999": the marker's random build id (hex)
        // and the binary search shards can hold four digits by chance.
        for secret in ["2999-01", "FUTURE-CANARY", "scheduled"] {
            assert!(
                !text.contains(secret) && !path.contains(secret),
                "public/{path} reveals `{secret}`:\n{text}"
            );
        }
    }
    // The schedule is kept beside the folder, and still expires the build.
    let state = std::fs::read_to_string(site.path(".public.laurel-state")).unwrap();
    assert!(state.contains("until 2999-01-01"), "{state}");
    let again = site.build();
    assert!(again.stdout.starts_with("up to date"), "{}", again.stdout);
}

#[test]
fn nothing_in_a_hidden_folder_is_published_but_well_known_is() {
    let site = TestSite::new();
    // Obsidian moves a deleted note to `.trash/`; a static folder kept as a
    // git clone has `.git/` inside it.
    site.file(
        "content/diary/.trash/2020-02-12-deleted.md",
        &entry("title: TRASHED-CANARY\ndate: 2020-02-12", "删掉了。\n"),
    )
    .file(
        "content/people/.trash/gone.yaml",
        "name: TRASHED-PERSON-CANARY\n",
    )
    .file("static/.git/config", "[remote] url = SECRET-GIT-CANARY\n")
    .file(
        "static/.well-known/security.txt",
        "Contact: mailto:web@example.org\n",
    )
    .file("static/css/site.css", "body { margin: 0 }\n");
    site.build();
    for canary in [
        "TRASHED-CANARY",
        "TRASHED-PERSON-CANARY",
        "SECRET-GIT-CANARY",
    ] {
        assert_eq!(
            files_containing(&site, canary),
            Vec::<String>::new(),
            "{canary}"
        );
    }
    assert!(!site.exists("diary/deleted/index.html"));
    assert!(!site.exists(".git/config"));
    // RFC 8615's folder is served from the site's root, as a host expects.
    assert_eq!(
        site.read(".well-known/security.txt"),
        "Contact: mailto:web@example.org\n"
    );
    assert!(site.exists("css/site.css"));
    assert!(site.exists("diary/arrival/index.html"));
}

#[test]
fn static_folders_publish_the_hidden_files_hosts_read() {
    let site = TestSite::new();
    site.file("static/.htaccess", "Options -Indexes\n")
        .file("static/downloads/.htaccess", "Require all denied\n")
        .file("static/.nojekyll", "")
        .file("static/.domains", "column.example.org\n")
        .file("static/.env", "TOKEN=SECRET-ENV-CANARY\n")
        .file("static/.htaccess.swp", "SWAP-CANARY")
        .file("static/.DS_Store", "FINDER-CANARY")
        .file("static/._photo.jpg", "APPLEDOUBLE-CANARY")
        .file("content/diary/.htaccess", "CONTENT-CANARY");
    let want = [
        "warning: static/.env: hidden file not published: of the files whose names start \
         with `.`, only .htaccess, .nojekyll, .domains and the .well-known folder are",
    ];
    for command in ["build", "check"] {
        let out = site.run(&[command]);
        out.assert_ok();
        assert_eq!(out.warnings(), want, "laurel {command}:\n{}", out.stderr);
        assert!(
            out.stderr
                .contains("hint: to publish it, rename it without the leading `.`"),
            "{}",
            out.stderr
        );
    }
    assert_eq!(site.read(".htaccess"), "Options -Indexes\n");
    assert_eq!(site.read("downloads/.htaccess"), "Require all denied\n");
    assert_eq!(site.read(".nojekyll"), "");
    assert_eq!(site.read(".domains"), "column.example.org\n");
    for canary in [
        "SECRET-ENV-CANARY",
        "SWAP-CANARY",
        "FINDER-CANARY",
        "APPLEDOUBLE-CANARY",
        "CONTENT-CANARY",
    ] {
        assert_eq!(
            files_containing(&site, canary),
            Vec::<String>::new(),
            "{canary}"
        );
    }
    // An edit of one is seen: the build is not "up to date".
    site.file(
        "static/.htaccess",
        "Options -Indexes\nErrorDocument 404 /404.html\n",
    );
    let again = site.build();
    assert!(!again.stdout.starts_with("up to date"), "{}", again.stdout);
    assert_eq!(
        site.read(".htaccess"),
        "Options -Indexes\nErrorDocument 404 /404.html\n"
    );
}

#[test]
fn drafts_flag_publishes_drafts_only() {
    let site = site_with_draft_and_scheduled_entry();
    site.run(&["build", "--drafts"]).assert_ok();
    assert!(site.read("diary/draft/index.html").contains("DRAFT-CANARY"));
    assert!(site.read("index.html").contains("DRAFT-CANARY"));
    assert!(!site.exists("diary/scheduled/index.html"));
}

#[test]
fn future_flag_publishes_scheduled_entries_only() {
    let site = site_with_draft_and_scheduled_entry();
    site.run(&["build", "--future"]).assert_ok();
    assert!(
        site.read("diary/scheduled/index.html")
            .contains("FUTURE-CANARY")
    );
    assert!(
        site.read("people/wu-yang/index.html")
            .contains("FUTURE-CANARY")
    );
    assert!(!site.exists("diary/draft/index.html"));
}

const EVIL_NAME: &str = "<script>alert(1)</script>";
const EVIL_TITLE: &str = "<b>&\"'";

#[test]
fn yaml_fields_are_escaped_in_pages_and_round_trip_through_feeds() {
    let site = TestSite::new();
    // Straight quotes as typed: this is about escaping, not typography.
    site.file(
        "site.yaml",
        &format!("{SITE_YAML}markdown: {{ chinese_quotes: false }}\n"),
    );
    site.file("content/people/evil.yaml", "name: \"<script>alert(1)</script>\"\nrole: \"<i>role\"\ndeployed: 2020-02-01\n")
        .file(
            "content/diary/2020-02-12-evil.md",
            &entry("title: \"<b>&\\\"'\"\ndate: 2020-02-12\nauthor: evil\npeople: [wu-yang]\ntags: [\"<i>tag\"]", "正文。\n"),
        );
    site.build();

    let pages = site.html_pages();
    for (path, html) in &pages {
        for raw in [EVIL_NAME, "<b>&", "<i>role", "<i>tag"] {
            assert!(!html.contains(raw), "public/{path} contains raw `{raw}`");
        }
    }
    let entry_page = &pages["diary/evil/index.html"];
    assert!(
        entry_page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "the author's name is shown, escaped"
    );
    assert!(
        main_of(entry_page).contains("&lt;b&gt;&amp;"),
        "the title is shown, escaped"
    );
    assert!(pages["people/evil/index.html"].contains("&lt;script&gt;alert(1)&lt;/script&gt;"));

    for path in ["rss.xml", "people/evil/rss.xml", "people/wu-yang/rss.xml"] {
        let feed = parse_feed(&site, path);
        let item = feed
            .entries
            .iter()
            .find(|e| e.links.iter().any(|l| l.href.ends_with("/diary/evil/")))
            .unwrap_or_else(|| panic!("{path} lists the entry"));
        assert_eq!(
            item.title.as_ref().map(|t| t.content.as_str()),
            Some(EVIL_TITLE),
            "{path}: title round-trips"
        );
    }
    let person_feed = parse_feed(&site, "people/evil/rss.xml");
    let title = person_feed.title.expect("person feed has a title").content;
    assert!(
        title.starts_with(EVIL_NAME),
        "person feed title round-trips the name: {title}"
    );
}

#[test]
fn chinese_bold_before_text_renders_as_strong() {
    let site = TestSite::new();
    site.file(
        "content/diary/2020-02-10-arrival.md",
        &entry(
            "title: 抵达\ndate: 2020-02-10",
            "**记者：**正文从这里开始。\n",
        ),
    );
    site.build();
    let page = site.read("diary/arrival/index.html");
    assert!(
        main_of(&page).contains("<strong>记者：</strong>正文从这里开始。"),
        "{}",
        main_of(&page)
    );
    assert!(
        !page.contains("**"),
        "no Markdown markers are left on the page"
    );
}

#[test]
fn chinese_file_name_becomes_a_pinyin_url() {
    let site = TestSite::new();
    site.file(
        "content/diary/2020-02-10-第一天.md",
        &entry("title: 第一天\ndate: 2020-02-10", "正文。\n"),
    );
    site.build();
    assert!(
        site.exists("diary/di-yi-tian/index.html"),
        "public/ holds {:?}",
        site.snapshot_dir().keys()
    );
    assert!(
        site.read("index.html")
            .contains("href=\"/column/diary/di-yi-tian/\"")
    );
}

#[test]
fn soft_break_between_chinese_lines_adds_no_space() {
    let site = TestSite::new();
    site.file(
        "content/diary/2020-02-10-arrival.md",
        &entry("title: 抵达\ndate: 2020-02-10", "第一行\n第二行\n"),
    );
    site.build();
    let page = site.read("diary/arrival/index.html");
    assert!(
        main_of(&page).contains("<p>第一行第二行</p>"),
        "{}",
        main_of(&page)
    );
}

#[test]
fn awkward_tags_get_distinct_safe_urls() {
    let names = ["C++", "a/b", "..", "抗疫 日记", "🎉"];
    let site = TestSite::new();
    site.file(
        "content/diary/2020-02-12-tagged.md",
        &entry("title: 标签\ndate: 2020-02-12\ntags: [\"C++\", \"a/b\", \"..\", \"抗疫 日记\", \"🎉\"]", "正文。\n"),
    );
    let out = site.build();
    assert!(
        out.warnings().is_empty(),
        "no two of these tags may share a URL:\n{}",
        out.stderr
    );

    // One folder per tag (plus the base entry's `nursing`), each a safe segment.
    let tag_dirs: Vec<String> = std::fs::read_dir(site.path("public/tags"))
        .expect("public/tags")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n != "index.html" && n != "nursing")
        .collect();
    assert_eq!(tag_dirs.len(), names.len(), "one URL per tag: {tag_dirs:?}");
    for seg in &tag_dirs {
        assert!(
            !seg.is_empty()
                && seg
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "tags/{seg}/ is not a safe URL segment"
        );
        let page = site.read(&format!("tags/{seg}/index.html"));
        assert!(
            main_of(&page).contains("href=\"/column/diary/tagged/\""),
            "tags/{seg}/ lists the entry"
        );
        assert!(site.exists(&format!("tags/{seg}/rss.xml")));
    }
    // Every name is the title of exactly one of those pages.
    for name in names {
        let owners: Vec<&String> = tag_dirs
            .iter()
            .filter(|seg| {
                page_title(&site.read(&format!("tags/{seg}/index.html")))
                    == format!("{name} - 测试专栏")
            })
            .collect();
        assert_eq!(
            owners.len(),
            1,
            "tag `{name}` should own exactly one page, owners: {owners:?}"
        );
    }
}

fn index_card_text(site: &TestSite, slug: &str) -> String {
    text_of(card_linking_to(
        &site.read("index.html"),
        &format!("/column/diary/{slug}/"),
    ))
}

#[test]
fn summary_field_wins_over_everything() {
    let site = TestSite::new();
    site.file(
        "content/diary/2020-02-12-given.md",
        &entry(
            "title: 手写摘要\ndate: 2020-02-12\nsummary: 这是编辑写的摘要。",
            "正文开头。\n\n<!-- more -->\n\n更多。\n",
        ),
    );
    site.build();
    let card = index_card_text(&site, "given");
    assert!(card.contains("这是编辑写的摘要。"), "card: {card}");
    assert!(!card.contains("正文开头"), "card: {card}");
}

#[test]
fn text_before_more_marker_is_the_summary() {
    let site = TestSite::new();
    site.file(
        "content/diary/2020-02-12-more.md",
        &entry(
            "title: 分隔\ndate: 2020-02-12",
            "导语在这里。\n\n<!-- more -->\n\n后文不进摘要。\n",
        ),
    );
    site.build();
    let card = index_card_text(&site, "more");
    assert!(card.contains("导语在这里。"), "card: {card}");
    assert!(!card.contains("后文不进摘要"), "card: {card}");
    let page = site.read("diary/more/index.html");
    assert!(
        main_of(&page).contains("后文不进摘要"),
        "the entry page has the whole text"
    );
    for marker in ["<!-- more -->", "&lt;!-- more", "<!--more"] {
        let found: Vec<String> = site
            .snapshot_dir()
            .into_iter()
            .filter(|(_, b)| String::from_utf8_lossy(b).contains(marker))
            .map(|(p, _)| p)
            .collect();
        assert!(found.is_empty(), "`{marker}` leaks into {found:?}");
    }
}

#[test]
fn without_summary_or_marker_the_first_characters_are_the_summary() {
    let opening = "武汉的清晨很安静，我们六点起床，穿好防护服，互相在背后写上名字。";
    let tail = "这一句在两百字以后不应出现在摘要里。";
    let filler = "病区里的每一天都很忙碌，大家互相照应。".repeat(12);
    let site = TestSite::new();
    site.file(
        "content/diary/2020-02-12-auto.md",
        &entry(
            "title: 自动摘要\ndate: 2020-02-12",
            &format!("{opening}{filler}\n\n{tail}\n"),
        ),
    );
    site.build();
    let card = index_card_text(&site, "auto");
    assert!(card.contains(opening), "card starts with the text: {card}");
    assert!(
        !card.contains(tail),
        "card is cut after ~120 characters: {card}"
    );
}

#[test]
fn raw_html_is_sanitized_by_default() {
    let site = TestSite::new();
    site.file(
        "content/diary/2020-02-10-arrival.md",
        &entry(
            "title: 抵达\ndate: 2020-02-10",
            "正文。\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n",
        ),
    );
    site.build();
    for path in ["diary/arrival/index.html", "index.html", "rss.xml"] {
        let text = site.read(path);
        // The theme's own scripts (reader.js, share.js, by their src) are
        // not the author's.
        assert!(!text.contains("<script>"), "{path} contains a script tag");
        assert!(!text.contains("alert(1)"), "{path} contains the script");
        assert!(
            !text.contains("onerror"),
            "{path} contains an event handler"
        );
    }
    assert!(main_of(&site.read("diary/arrival/index.html")).contains("正文。"));
}

/// The minimal site with `markdown: { unsafe_html: true }` and `body` as
/// the text of its entry.
fn unsafe_html_site(body: &str) -> TestSite {
    let site = TestSite::new();
    site.file(
        "site.yaml",
        "title: 测试专栏\nbase_url: https://example.org/column/\nmarkdown: { unsafe_html: true }\n",
    )
    .file(
        "content/diary/2020-02-10-arrival.md",
        &entry("title: 抵达\ndate: 2020-02-10", body),
    );
    site
}

#[test]
fn raw_html_is_kept_when_unsafe_html_is_on() {
    let site =
        unsafe_html_site("正文。\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n");
    site.build();
    let main = main_of(&site.read("diary/arrival/index.html")).to_string();
    assert!(main.contains("<script>alert(1)</script>"), "{main}");
    assert!(main.contains("onerror=alert(1)"), "{main}");
}

/// Numbers N of the "第 N 天" / "Day N" badges on a page: the text of every
/// element whose class names a badge, keeping those that hold a number.
fn day_badges(html: &str) -> Vec<String> {
    let main = main_of(html);
    let mut out = Vec::new();
    for chunk in main.split("class=\"").skip(1) {
        let Some((class, rest)) = chunk.split_once('"') else {
            continue;
        };
        if !class.split_whitespace().any(|c| c.contains("badge")) {
            continue;
        }
        let Some(start) = rest.find('>') else {
            continue;
        };
        let text = text_of(&rest[start + 1..rest.find("</").unwrap_or(rest.len())]);
        let digits: String = text.chars().filter(char::is_ascii_digit).collect();
        if !digits.is_empty() {
            out.push(digits);
        }
    }
    out
}

#[test]
fn entry_shows_the_day_of_the_authors_deployment() {
    // wu-yang was deployed on 2020-02-09; the entry is dated 2020-02-10: day 2.
    let site = TestSite::new();
    site.build();
    let page = site.read("diary/arrival/index.html");
    assert_eq!(day_badges(&page), ["2"], "entry page:\n{}", main_of(&page));
    let text = text_of(main_of(&page));
    assert!(
        text.contains("第 2 天") || text.contains("第2天"),
        "the badge reads 第 2 天: {text}"
    );
}

#[test]
fn no_day_is_counted_after_the_person_came_home() {
    // Deployed 2020-02-09, home 2020-04-02: an entry of 2020-04-16 is on no day.
    let site = TestSite::new();
    site.file(
        "content/people/wu-yang.yaml",
        "name: 吴洋\nrole: 护士\nbatch: 1\ndeployed: 2020-02-09\nreturned: 2020-04-02\n",
    )
    .file(
        "content/diary/2020-04-16-home.md",
        &entry(
            "title: 回家\ndate: 2020-04-16 10:30\nauthor: wu-yang",
            "终于回家。\n",
        ),
    )
    .file(
        "content/diary/2020-04-02-back.md",
        &entry(
            "title: 返程\ndate: 2020-04-02 10:30\nauthor: wu-yang",
            "返程。\n",
        ),
    );
    site.build();
    let home = site.read("diary/home/index.html");
    assert_eq!(
        day_badges(&home),
        Vec::<String>::new(),
        "{}",
        main_of(&home)
    );
    // The day of return is the mission's last day.
    assert_eq!(day_badges(&site.read("diary/back/index.html")), ["54"]);
    // On the timeline too.
    let person = site.read("people/wu-yang/index.html");
    assert_eq!(day_badges(&person), ["2", "54"], "{}", main_of(&person));
}

#[test]
fn a_day_badge_names_the_person_when_it_is_not_the_bylines() {
    // No deployment for the author: the day is the listed person's, and says so.
    let site = TestSite::new();
    site.file("content/people/editor.yaml", "name: 编辑部\n")
        .file(
            "content/diary/2020-02-12-note.md",
            &entry(
                "title: 记录\ndate: 2020-02-12 09:00\nauthor: editor\npeople: [wu-yang]",
                "正文。\n",
            ),
        );
    site.build();
    let page = site.read("diary/note/index.html");
    assert_eq!(day_badges(&page), ["4"]);
    let text = text_of(main_of(&page));
    assert!(
        text.contains("吴洋 第 4 天"),
        "the badge names 吴洋: {text}"
    );
    // The author's own day needs no name.
    let own = text_of(main_of(&site.read("diary/arrival/index.html")));
    assert!(
        own.contains("第 2 天") && !own.contains("吴洋 第 2 天"),
        "{own}"
    );
}

#[test]
fn person_without_a_deployment_date_builds_without_a_day_badge() {
    let site = TestSite::new();
    site.file("content/people/wu-yang.yaml", "name: 吴洋\nrole: 护士\n");
    site.build();
    let page = site.read("diary/arrival/index.html");
    assert_eq!(
        day_badges(&page),
        Vec::<String>::new(),
        "entry page:\n{}",
        main_of(&page)
    );
    assert!(
        site.read("people/wu-yang/index.html")
            .contains("href=\"/column/diary/arrival/\""),
        "timeline lists the entry"
    );
}

#[test]
fn named_entities_in_raw_html_are_decoded_once_in_the_description() {
    // The plain text behind the description decodes `&mdash;`; the page then
    // escapes the text once. Undecoded, it came out as `&amp;mdash;`.
    let site = TestSite::new();
    site.file(
        "content/diary/2020-02-10-arrival.md",
        &entry(
            "title: 抵达\ndate: 2020-02-10",
            "<p>甲&mdash;乙&hellip;&copy;</p>\n",
        ),
    );
    site.build();
    let page = site.read("diary/arrival/index.html");
    assert!(
        page.contains("<meta name=\"description\" content=\"甲—乙…©\">"),
        "{}",
        page.lines()
            .find(|l| l.contains("name=\"description\""))
            .unwrap_or(&page)
    );
}

/// The hint under every warning about raw HTML the sanitizer removed.
const UNSAFE_HTML_HINT: &str = "  hint: to publish raw HTML as written, set `markdown: { unsafe_html: true }` in site.yaml (only if every author is trusted)";

#[test]
fn raw_html_the_sanitizer_removes_is_warned_about_where_it_was_written() {
    let site = TestSite::new();
    site.file(
        "content/diary/2020-02-10-arrival.md",
        &entry(
            "title: 抵达\ndate: 2020-02-10",
            "今天抵达。\n\n<script>alert(1)</script>\n\n记者：<iframe src=\"https://v.example.org/1\">视频</iframe>\n\n<b onclick=\"steal()\">加粗</b>\n",
        ),
    );
    let file = "content/diary/2020-02-10-arrival.md";
    let want = [
        format!(
            "warning: {file}:7:1: <script> removed: raw HTML that can run script is not published"
        ),
        format!(
            "warning: {file}:9:4: <iframe> removed: raw HTML that can run script is not published"
        ),
        format!(
            "warning: {file}:11:4: `onclick` removed from <b>: raw HTML that can run script is not published"
        ),
    ];
    for command in ["build", "check"] {
        let out = site.run(&[command]);
        out.assert_ok();
        assert_eq!(out.warnings(), want, "laurel {command}:\n{}", out.stderr);
        assert!(out.stderr.contains(UNSAFE_HTML_HINT), "{}", out.stderr);
    }
    let main = main_of(&site.read("diary/arrival/index.html")).to_string();
    for gone in ["<script", "alert(1)", "<iframe", "onclick"] {
        assert!(!main.contains(gone), "the page holds {gone}: {main}");
    }
    assert!(
        main.contains("视频") && main.contains("<b>加粗</b>"),
        "{main}"
    );
}

#[test]
fn an_unclosed_comment_is_warned_about_where_it_starts() {
    let site = TestSite::new();
    site.file(
        "content/diary/2020-02-10-arrival.md",
        &entry(
            "title: 抵达\ndate: 2020-02-10",
            "导语。<br><span class=\"note\">注</span>\n\n<!-- more -->\n\n正文。<!-- 备注 -->\n\n<!-- 下面是草稿\n\n草稿的段落。\n",
        ),
    );
    for command in ["build", "check"] {
        let out = site.run(&[command]);
        out.assert_ok();
        assert_eq!(
            out.warnings(),
            [
                "warning: content/diary/2020-02-10-arrival.md:11:1: this HTML comment is never closed (no \"-->\"): everything after it is hidden"
            ],
            "laurel {command}: only the unclosed comment:\n{}",
            out.stderr
        );
        assert!(
            out.stderr.contains("  hint: end the comment with \"-->\""),
            "{}",
            out.stderr
        );
    }
    let main = main_of(&site.read("diary/arrival/index.html")).to_string();
    assert!(
        main.contains("正文。") && !main.contains("草稿的段落"),
        "{main}"
    );
}

#[test]
fn unclosed_script_is_warned_about_also_when_raw_html_is_published() {
    let site = unsafe_html_site(
        "正文。<script>track()</script>\n\n<style>\np { color: red }\n\n后面的段落。\n",
    );
    let out = site.build();
    assert_eq!(
        out.warnings(),
        [
            "warning: content/diary/2020-02-10-arrival.md:7:1: <style> is never closed (no \"</style>\"): everything after it is hidden"
        ],
        "the complete <script> is published, so not reported:\n{}",
        out.stderr
    );
    assert!(out.stderr.contains("  hint: end it with \"</style>\""));
}

#[test]
fn removals_in_pages_and_profiles_are_located_in_their_files() {
    let site = TestSite::new();
    site.file(
        "content/pages/about.md",
        "---\ntitle: 关于\n---\n联系我们：\n\n<form action=\"/send\">姓名</form>\n",
    )
    .file(
        "content/people/wu-yang.yaml",
        "name: 吴洋\nrole: 护士\nbatch: 1\ndeployed: 2020-02-09\nbio: |\n  简介。\n  家乡：<object data=\"x.swf\"></object>\n",
    );
    let out = site.build();
    assert_eq!(
        out.warnings(),
        [
            "warning: content/pages/about.md:6:1: <form> removed: sanitized raw HTML may not hold <form> (the text inside it is kept)",
            "warning: content/people/wu-yang.yaml:7:6: <object> removed: raw HTML that can run script is not published",
        ],
        "{}",
        out.stderr
    );
    assert!(main_of(&site.read("about/index.html")).contains("姓名"));
}

#[test]
fn straight_quotes_become_chinese_quotes_in_text_but_not_in_code_or_urls() {
    let site = TestSite::new();
    site.file(
        "content/diary/2020-02-11-haircut.md",
        &entry(
            "title: '驻地\"理发店\"开张了'\ndate: 2020-02-11 09:00\nauthor: wu-yang",
            "严格执行\"三区两通道\"，他说：'谢谢'。\n\n`say \"hi\"` and [看\"这里\"](/about/?q=\"x\")\n\n```\nlet s = \"code\";\n```\n",
        ),
    );
    site.build();
    let page = site.read("diary/haircut/index.html");
    let main = main_of(&page);
    assert!(main.contains("驻地“理发店”开张了"), "title: {main}");
    assert!(
        page.contains("<title>驻地“理发店”开张了"),
        "the <title> too"
    );
    assert!(
        main.contains("严格执行“三区两通道”，他说：‘谢谢’。"),
        "{main}"
    );
    assert!(main.contains("看“这里”"), "link text: {main}");
    // Code, code blocks and URLs keep what was typed.
    assert!(main.contains("<code>say \"hi\"</code>"), "{main}");
    assert!(main.contains("let s = \"code\";"), "{main}");
    assert!(main.contains("q=%22x%22"), "{main}");

    // Off by a switch, and never on an English site.
    for yaml in [
        "title: 测试专栏\nbase_url: https://example.org/column/\nmarkdown: { chinese_quotes: false }\n",
        "title: Test\nbase_url: https://example.org/column/\nlanguage: en\n",
    ] {
        site.file("site.yaml", yaml);
        site.build();
        let main = site.read("diary/haircut/index.html");
        assert!(
            main.contains("严格执行&quot;三区两通道&quot;"),
            "{yaml}: {}",
            main_of(&main)
        );
    }
}
