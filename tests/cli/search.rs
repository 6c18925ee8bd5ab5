//! Search: what the index under public/search/ holds (never private data,
//! drafts or scheduled entries), how it ranks (queried with laurel's Rust
//! reader of the built files, which ranks as the browser does), that a
//! rebuild leaves it alone, and that the browser's tokenizer
//! (themes/default/static/search.js, run under node) agrees with Rust's.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};

use laurel::search::query;
use laurel::search::tokenize::{query_terms, shard_of, tokenize};

use crate::support::{TestSite, entry, real_client};

/// The URLs of the documents a query finds in the built site, best first.
#[track_caller]
fn search(site: &TestSite, q: &str) -> Vec<String> {
    let dir = site.path("public").join("search");
    let read = |p: &str| std::fs::read(dir.join(p)).ok();
    let (hits, _) = query::search(read, q).expect("the index files are there and valid");
    let meta: serde_json::Value =
        serde_json::from_str(&site.read("search/meta.json")).expect("meta.json is JSON");
    let block = meta["block"].as_u64().expect("a block size") as u32;
    hits.iter()
        .map(|h| {
            let docs: serde_json::Value =
                serde_json::from_str(&site.read(&format!("search/d/{}.json", h.doc / block)))
                    .expect("a document file is JSON");
            let doc = &docs[(h.doc % block) as usize];
            doc["u"].as_str().expect("a url").to_string()
        })
        .collect()
}

/// Every file under public/ whose bytes contain `needle` (any case).
fn files_containing(site: &TestSite, needle: &str) -> Vec<String> {
    let needle = needle.to_lowercase();
    site.snapshot_dir()
        .into_iter()
        .filter(|(_, b)| String::from_utf8_lossy(b).to_lowercase().contains(&needle))
        .map(|(p, _)| p)
        .collect()
}

#[test]
fn the_index_never_holds_private_data_drafts_or_scheduled_entries() {
    let site = TestSite::new();
    site.file(
        "content/people/dai-xiaohong.yaml",
        "name: 代晓红\nrole: 护士长\nbio: 公开简介 BioCanary\nprivate:\n  family_contact: PrivateCanary 私密电话一三九\n",
    )
    .file(
        "content/diary/2020-02-11-draft.md",
        &entry(
            "title: 草稿 DraftTitleCanary\ndate: 2020-02-11\ndraft: true",
            "DraftBodyCanary 草稿正文秘密\n",
        ),
    )
    .file(
        "content/diary/2030-01-01-later.md",
        &entry("title: 定时 FutureCanary\ndate: 2030-01-01", "FutureBodyCanary\n"),
    )
    .file(
        "content/pages/hidden.md",
        &entry("title: 隐藏页\ndraft: true", "DraftPageCanary\n"),
    )
    .file(
        "content/pages/about.md",
        &entry("title: 关于本栏目", "PageCanary 栏目介绍\n"),
    );
    site.build();
    for canary in [
        "PrivateCanary",
        "私密电话",
        "DraftTitleCanary",
        "DraftBodyCanary",
        "草稿正文",
        "FutureCanary",
        "FutureBodyCanary",
        "DraftPageCanary",
    ] {
        assert_eq!(
            files_containing(&site, canary),
            Vec::<String>::new(),
            "{canary}"
        );
        assert_eq!(search(&site, canary), Vec::<String>::new(), "{canary}");
    }
    // What is published is indexed: the same check finds it.
    assert_eq!(search(&site, "BioCanary"), ["/column/people/dai-xiaohong/"]);
    assert_eq!(search(&site, "pagecanary"), ["/column/about/"]);
    // Documents 0-3 (arrival, dai-xiaohong, wu-yang, about) share a block.
    assert!(files_containing(&site, "BioCanary").contains(&"search/d/0.json".to_string()));
    // The search page and its script are linked correctly.
    site.run(&["check"]).assert_ok();
}

#[test]
fn titles_rank_above_body_text_and_names_find_people() {
    let site = TestSite::new();
    site.file(
        "content/people/dai-xiaohong.yaml",
        "name: 代晓红\nrole: 护士长\nunit: 凤城市中心医院\n",
    )
    .file(
        "content/diary/2020-02-12-body.md",
        &entry(
            "title: 夜班\ndate: 2020-02-12\ntags: [夜班]",
            "护士长说，护士长们都累了。护士长、护士长、护士长、护士长、护士长、护士长、护士长、护士长。\n",
        ),
    )
    .file(
        "content/diary/2020-02-11-title.md",
        &entry(
            "title: 护士长的一天\ndate: 2020-02-11\nauthor: dai-xiaohong",
            "今天很忙。\n",
        ),
    )
    .file(
        "content/diary/2020-02-13-other.md",
        &entry(
            "title: 武汉的雪\ndate: 2020-02-13\ntags: [雪景]",
            "护士们在武汉看雪。长江边很冷。\n",
        ),
    );
    site.build();
    assert_eq!(
        search(&site, "护士长"),
        [
            "/column/diary/title/",
            "/column/people/dai-xiaohong/",
            "/column/diary/body/",
        ]
    );
    assert_eq!(
        search(&site, "代晓红")[..2],
        ["/column/people/dai-xiaohong/", "/column/diary/title/"]
    );
    // A tag ranks above the body text; a single character still finds.
    assert_eq!(search(&site, "雪景"), ["/column/diary/other/"]);
    assert_eq!(search(&site, "夜班")[0], "/column/diary/body/");
    assert_eq!(search(&site, "雪"), ["/column/diary/other/"]);
    assert_eq!(search(&site, "nursing"), ["/column/diary/arrival/"]);
    // Bigrams across punctuation do not match.
    assert_eq!(search(&site, "班护"), Vec::<String>::new());
}

/// Inode and modification time of every file under `dir`.
fn identities(dir: &Path) -> BTreeMap<String, (u64, i64)> {
    use std::os::unix::fs::MetadataExt;
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir).into_iter().flatten() {
        if e.file_type().is_file() {
            let md = e.metadata().expect("metadata");
            let rel = e.path().strip_prefix(dir).expect("below").to_string_lossy();
            out.insert(rel.into_owned(), (md.ino(), md.mtime_nsec()));
        }
    }
    out
}

#[test]
fn a_rebuild_rewrites_only_the_search_files_that_changed() {
    let site = TestSite::new();
    // Documents: arrival (0), these fourteen (1-14), wu-yang (15); blocks of eight.
    for day in 11..=24 {
        site.file(
            &format!("content/diary/2020-02-{day}-day{day}.md"),
            &entry(
                &format!("title: 第{day}天\ndate: 2020-02-{day}"),
                "夜里很安静。\n",
            ),
        );
    }
    site.build();
    let dir = site.path("public").join("search");
    let before = identities(&dir);
    assert!(before.contains_key("d/1.json"), "{before:?}");
    let out = site.build();
    assert!(out.stdout.starts_with("up to date: "), "{}", out.stdout);
    assert_eq!(
        identities(&dir),
        before,
        "an up-to-date build touched public/search/"
    );

    // Changing one entry rewrites its block of documents and the index, not
    // the other blocks.
    site.file(
        "content/diary/2020-02-24-day24.md",
        &entry(
            "title: 第24天\ndate: 2020-02-24",
            "夜里很安静，武汉下雪了。\n",
        ),
    );
    site.build();
    let after = identities(&dir);
    let changed: Vec<&str> = after
        .keys()
        .filter(|p| before.get(*p) != after.get(*p))
        .map(String::as_str)
        .collect();
    assert!(changed.contains(&"d/1.json"), "{changed:?}");
    assert!(changed.contains(&"meta.json"), "{changed:?}");
    assert!(!changed.contains(&"d/0.json"), "{changed:?}");
    assert_eq!(search(&site, "下雪"), ["/column/diary/day24/"]);
}

/// Inputs the two tokenizers must agree on.
const TOKENIZER_CASES: &[&str] = &[
    "护士长",
    "武汉，护士",
    "抵达武汉的第一天：ICU病房里的N95口罩",
    "Hello, World! COVID-19 2020年2月10日",
    "ＩＣＵ　２０２０！ｃｏｖｉｄ",
    "加油💪武汉🇨🇳 ♥ ★ 👩🏽‍⚕️",
    "ありがとう カタカナ 감사합니다",
    "Ünïcödé ÉCOLE İstanbul ΣΊΣΥΦΟΣ straße",
    "e\u{301} \u{200B}zero\u{FEFF}width \u{0} tab\there",
    "𠀀𠀁 々 〇 〆",
    "x1234567890123456789012345678901234567890",
    "don't «quotes» “中文引号”——破折号……",
    "",
    "长",
];

#[test]
fn the_browser_tokenizer_agrees_with_the_rust_tokenizer() {
    let node = Command::new("node")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !real_client("node", node, "apt-get install nodejs") {
        return;
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/static/search.js");
    const HARNESS: &str = r#"
const fs = require('fs'), vm = require('vm');
const box = { TextEncoder, TextDecoder, URL };
vm.runInNewContext(fs.readFileSync(process.argv[1], 'utf8'), box);
const S = box.LaurelSearch;
const cases = JSON.parse(fs.readFileSync(0, 'utf8'));
const out = cases.map((c) => ({
  tokens: Array.from(S.tokenize(c)),
  terms: Array.from(S.queryTerms(c)),
  shards: Array.from(S.tokenize(c)).map((t) => [S.fnv1a(t), S.shardOf(t, 512)]),
}));
process.stdout.write(JSON.stringify(out));
"#;
    let mut child = Command::new("node")
        .arg("-e")
        .arg(HARNESS)
        .arg(&script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run node");
    {
        use std::io::Write as _;
        let mut stdin = child.stdin.take().expect("piped");
        stdin
            .write_all(serde_json::to_string(TOKENIZER_CASES).unwrap().as_bytes())
            .expect("write to node");
    }
    let out = child.wait_with_output().expect("node runs");
    assert!(
        out.status.success(),
        "node failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let js: serde_json::Value = serde_json::from_slice(&out.stdout).expect("node prints JSON");
    let rust: serde_json::Value = TOKENIZER_CASES
        .iter()
        .map(|c| {
            let tokens = tokenize(c);
            serde_json::json!({
                "tokens": tokens,
                "terms": query_terms(c),
                "shards": tokens
                    .iter()
                    .map(|t| (laurel::search::tokenize::fnv1a(t), shard_of(t, 512)))
                    .collect::<Vec<_>>(),
            })
        })
        .collect();
    for (i, case) in TOKENIZER_CASES.iter().enumerate() {
        assert_eq!(js[i], rust[i], "the tokenizers disagree on {case:?}");
    }
    // The comparison sees something: the cases produce tokens.
    assert!(rust[0]["tokens"].as_array().is_some_and(|a| a.len() == 5));
}
