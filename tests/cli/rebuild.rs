//! `laurel build` over an earlier build: nothing is done when nothing
//! changed, unchanged files are reused (not rewritten), and the result is
//! always what a clean build gives.

use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use crate::support::{TestSite, entry, laurel_at};

/// Inode and modification time of every file under `dir`: a rewritten file
/// gets a new inode (laurel never edits a file in place) or a new time.
fn identities(dir: &Path) -> BTreeMap<String, (u64, i64, i64)> {
    let mut out = BTreeMap::new();
    for item in walkdir(dir) {
        let md = std::fs::metadata(&item).expect("metadata");
        let rel = item
            .strip_prefix(dir)
            .expect("below")
            .to_string_lossy()
            .replace('\\', "/");
        out.insert(rel, (md.ino(), md.mtime(), md.mtime_nsec()));
    }
    out
}

fn walkdir(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("read dir") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            out.extend(walkdir(&p));
        } else {
            out.push(p);
        }
    }
    out
}

fn two_entry_site() -> TestSite {
    let site = TestSite::new();
    site.file(
        "content/diary/2020-02-11-night.md",
        &entry(
            "title: 夜班\ndate: 2020-02-11\nauthor: wu-yang\ntags: [night]",
            "夜里很安静。\n",
        ),
    );
    site
}

#[test]
fn a_build_with_nothing_changed_writes_nothing() {
    let site = two_entry_site();
    site.build();
    let before = identities(&site.path("public"));
    let out = site.build();
    assert!(out.stdout.starts_with("up to date: "), "{}", out.stdout);
    assert_eq!(
        identities(&site.path("public")),
        before,
        "an up-to-date build touched public/"
    );
}

#[cfg(unix)]
#[test]
fn an_edit_inside_a_linked_content_folder_is_built() {
    // content/diary is a link to a folder elsewhere in the site: the build
    // reads the entries through it, so its check that nothing changed must
    // look there too.
    let site = two_entry_site();
    std::fs::rename(site.path("content/diary"), site.path("entries")).unwrap();
    std::os::unix::fs::symlink(site.path("entries"), site.path("content/diary")).unwrap();
    let out = site.build();
    assert_eq!(out.warnings(), Vec::<&str>::new());
    assert!(site.read("diary/night/index.html").contains("夜里很安静"));
    site.file(
        "entries/2020-02-11-night.md",
        &entry(
            "title: 夜班\ndate: 2020-02-11\nauthor: wu-yang\ntags: [night]",
            "天亮了，交班。\n",
        ),
    );
    let out = site.build();
    assert!(!out.stdout.starts_with("up to date"), "{}", out.stdout);
    assert!(
        site.read("diary/night/index.html")
            .contains("天亮了，交班。")
    );
    assert_public_is_a_clean_build(&site, "an edit through a linked folder");
}

#[test]
fn one_edited_entry_rewrites_only_what_shows_it() {
    let site = two_entry_site();
    site.build();
    let before = identities(&site.path("public"));
    site.file(
        "content/diary/2020-02-11-night.md",
        &entry(
            "title: 夜班（修改）\ndate: 2020-02-11\nauthor: wu-yang\ntags: [night]",
            "夜里很安静。\n",
        ),
    );
    let out = site.build();
    assert!(out.stdout.contains(" unchanged)"), "{}", out.stdout);
    let after = identities(&site.path("public"));
    // Pages that show the entry changed; pages that don't kept their file.
    for changed in [
        "diary/night/index.html",
        "index.html",
        "tags/night/index.html",
        "rss.xml",
    ] {
        assert_ne!(
            after.get(changed),
            before.get(changed),
            "{changed} should be new"
        );
    }
    for kept in ["tags/nursing/rss.xml", "style.css", "robots.txt"] {
        assert_eq!(after.get(kept), before.get(kept), "{kept} was rewritten");
    }
    assert!(site.read("diary/night/index.html").contains("夜班（修改）"));

    // And the result is what a clean build of the same sources gives.
    assert_public_is_a_clean_build(&site, "reusing files");
}

/// `laurel build` over the last build, then [`assert_public_is_a_clean_build`].
fn assert_like_a_clean_build(site: &TestSite, when: &str) {
    site.build();
    assert_public_is_a_clean_build(site, when);
}

/// public/ holds what a clean build of the same sources gives.
fn assert_public_is_a_clean_build(site: &TestSite, when: &str) {
    let clean = site.path("clean");
    let _ = std::fs::remove_dir_all(&clean);
    let out = site.run(&["build", "--output", clean.to_str().expect("utf-8")]);
    out.assert_ok();
    let mut built = crate::support::snapshot(&site.path("public"));
    let mut fresh = crate::support::snapshot(&clean);
    built.remove(".laurel-output");
    fresh.remove(".laurel-output");
    assert_eq!(built, fresh, "after {when}, not what a clean build gives");
}

#[test]
fn pinning_and_aliases_rebuild_like_a_clean_build() {
    let site = two_entry_site();
    site.build();
    let arrival = |meta: &str| {
        entry(
            &format!("title: 抵达\ndate: 2020-02-10 21:30\nauthor: wu-yang\ntags: [nursing]{meta}"),
            "今天抵达。\n",
        )
    };
    let arrival_file = "content/diary/2020-02-10-arrival.md";
    site.file(arrival_file, &arrival("\npinned: true"));
    assert_like_a_clean_build(&site, "pinning the older entry");
    assert!(
        site.read("index.html").find("/diary/arrival/")
            < site.read("index.html").find("/diary/night/")
    );
    site.file(arrival_file, &arrival("\npinned: true\naliases: [/old/]"));
    assert_like_a_clean_build(&site, "adding an alias");
    assert!(site.exists("old/index.html"));
    site.file(arrival_file, &arrival("\naliases: [/older/]"));
    assert_like_a_clean_build(&site, "unpinning and moving the alias");
    assert!(
        !site.exists("old/index.html"),
        "the old alias page was left behind"
    );
    assert!(site.exists("older/index.html"));
}

#[test]
fn a_deleted_output_file_is_restored() {
    let site = two_entry_site();
    site.build();
    let page = site.read("diary/night/index.html");
    site.remove("public/diary/night/index.html");
    site.build();
    assert_eq!(site.read("diary/night/index.html"), page);
}

#[test]
fn a_scheduled_entry_appears_when_its_time_comes() {
    let site = two_entry_site();
    site.file(
        "content/diary/2030-01-01-future.md",
        &entry(
            "title: 新年\ndate: 2030-01-01 08:00\nauthor: wu-yang",
            "新年好。\n",
        ),
    );
    let root = site.root().to_str().expect("utf-8").to_string();
    laurel_at(
        site.root(),
        "2029-12-31T00:00:00+08:00",
        &["--root", &root, "build"],
    )
    .assert_ok();
    assert!(!site.exists("diary/future/index.html"));
    let out = laurel_at(
        site.root(),
        "2029-12-31T12:00:00+08:00",
        &["--root", &root, "build"],
    );
    assert!(out.stdout.starts_with("up to date: "), "{}", out.stdout);
    // No file changed, but the clock passed the entry's date.
    laurel_at(
        site.root(),
        "2030-01-01T09:00:00+08:00",
        &["--root", &root, "build"],
    )
    .assert_ok();
    assert!(site.exists("diary/future/index.html"));
}

#[test]
fn a_hand_edit_of_the_same_length_is_undone_by_the_next_build() {
    let site = two_entry_site();
    site.build();
    let page = site.path("public/index.html");
    let original = std::fs::read(&page).unwrap();
    let edit = |from: &str, to: &str| {
        let text = String::from_utf8(original.clone()).unwrap();
        assert!(text.contains(from));
        let edited = text.replacen(from, to, 1);
        assert_eq!(edited.len(), original.len());
        std::fs::write(&page, edited).unwrap();
    };

    // Just after the build (a time the file system may give an edit too).
    edit("<html", "<HTML");
    let out = site.build();
    assert!(!out.stdout.starts_with("up to date"), "{}", out.stdout);
    assert_eq!(std::fs::read(&page).unwrap(), original, "restored");

    // Long after it: the file's time is trusted once the content was checked.
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    std::fs::File::options()
        .write(true)
        .open(&page)
        .unwrap()
        .set_modified(hour_ago)
        .unwrap();
    let out = site.build();
    assert!(out.stdout.starts_with("up to date"), "{}", out.stdout);
    edit("<html", "<HTML");
    let out = site.build();
    assert!(!out.stdout.starts_with("up to date"), "{}", out.stdout);
    assert_eq!(std::fs::read(&page).unwrap(), original, "restored");
}

#[test]
fn a_changed_permalink_pattern_rebuilds_like_a_clean_build() {
    let site = two_entry_site();
    site.build();
    let with = |pattern: &str| {
        format!(
            "{}permalinks: {{ entry: \"{pattern}\" }}\n",
            crate::support::SITE_YAML
        )
    };
    site.file("site.yaml", &with("/diary/:year/:month/:slug/"));
    assert_like_a_clean_build(&site, "changing permalinks.entry");
    assert!(site.exists("diary/2020/02/night/index.html"));
    assert!(
        !site.exists("diary/night/index.html"),
        "the old entry page was left behind"
    );
    // An entry's date moves it under a date pattern.
    site.file(
        "content/diary/2020-02-11-night.md",
        &entry(
            "title: 夜班\ndate: 2020-03-11\nauthor: wu-yang\ntags: [night]",
            "夜里很安静。\n",
        ),
    );
    assert_like_a_clean_build(&site, "moving an entry to another month");
    assert!(site.exists("diary/2020/03/night/index.html"));
    assert!(!site.exists("diary/2020/02/night/index.html"));
    site.file("site.yaml", crate::support::SITE_YAML);
    assert_like_a_clean_build(&site, "going back to the default pattern");
    assert!(site.exists("diary/night/index.html"));
}

#[test]
fn body_images_rebuild_like_a_clean_build() {
    let site = two_entry_site();
    site.bytes("static/images/ward.jpg", &crate::images::jpeg(1000, 500));
    site.build();
    let night = |body: &str| {
        entry(
            "title: 夜班\ndate: 2020-02-11\nauthor: wu-yang\ntags: [night]",
            body,
        )
    };
    let night_file = "content/diary/2020-02-11-night.md";
    site.file(
        night_file,
        &night("夜里很安静。\n\n![病房](/images/ward.jpg)\n"),
    );
    assert_like_a_clean_build(&site, "adding a body image");
    let page = site.read("diary/night/index.html");
    assert!(
        page.contains("<picture><source type=\"image/webp\""),
        "{page}"
    );
    assert!(page.contains("width=\"800\" height=\"400\""), "{page}");
    // New bytes, new variants (their names carry the content hash), same path.
    site.bytes("static/images/ward.jpg", &crate::images::jpeg(600, 600));
    assert_like_a_clean_build(&site, "changing the image's bytes");
    let changed = site.read("diary/night/index.html");
    assert_ne!(changed, page);
    assert!(
        changed.contains("width=\"600\" height=\"600\""),
        "{changed}"
    );
    site.file(
        night_file,
        &night("夜里很安静，有灯。\n\n![病房](/images/ward.jpg)\n"),
    );
    assert_like_a_clean_build(&site, "editing the text around it");
    site.file(night_file, &night("夜里很安静。\n"));
    assert_like_a_clean_build(&site, "removing the body image");
    assert!(!site.read("diary/night/index.html").contains("<picture>"));
}
