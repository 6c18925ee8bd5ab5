//! `laurel watch`: incremental rebuilds into public/ must end in exactly what
//! a clean `laurel build` of the same files writes, whatever the edits were
//! (editors' atomic saves, renames, deletions, bursts, broken files), and a
//! content error never stops the watcher.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use crate::support::{Line, Running, Stream, TestSite, WU_YANG, entry, snapshot};

/// Pause between steps, so that separate edits stay separate bursts.
const BETWEEN_STEPS: Duration = Duration::from_millis(100);

/// The barrier entry. Its path sorts before every other path of the site, so
/// the line of any rebuild that saw it starts `changed content/diary/0-sync.md`.
const SYNC: &str = "content/diary/0-sync.md";

/// How an editor saves a file.
#[derive(Clone, Copy)]
enum Save {
    /// Rewrite the file in place.
    Plain,
    /// Write `x.md.tmp`, rename it over `x.md`.
    Atomic,
    /// vim: write `.x.md.swp`, move `x.md` to `x.md~`, write a new `x.md`,
    /// delete the backup and the swap file.
    Vim,
}

fn save(site: &TestSite, rel: &str, text: &str, how: Save) {
    let path = site.path(rel);
    match how {
        Save::Plain => {
            site.file(rel, text);
        }
        Save::Atomic => {
            let tmp = format!("{rel}.tmp");
            site.file(&tmp, text);
            std::fs::rename(site.path(&tmp), &path).expect("rename over");
        }
        Save::Vim => {
            let name = path.file_name().unwrap().to_str().unwrap().to_string();
            let swap = path.with_file_name(format!(".{name}.swp"));
            let backup = path.with_file_name(format!("{name}~"));
            std::fs::write(&swap, "swap").unwrap();
            std::fs::rename(&path, &backup).unwrap();
            std::fs::write(&path, text).unwrap();
            std::fs::remove_file(&backup).unwrap();
            std::fs::remove_file(&swap).unwrap();
        }
    }
}

/// An entry as the session edits it.
#[derive(Clone)]
struct Draft {
    title: &'static str,
    date: &'static str,
    /// Further front matter lines (author, people, tags, ...).
    meta: &'static str,
    body: &'static str,
}

impl Draft {
    fn new(title: &'static str, date: &'static str, meta: &'static str) -> Draft {
        Draft {
            title,
            date,
            meta,
            body: "正文。\n",
        }
    }

    fn text(&self) -> String {
        let meta = if self.meta.is_empty() {
            String::new()
        } else {
            format!("\n{}", self.meta)
        };
        entry(
            &format!("title: {}\ndate: {}{meta}", self.title, self.date),
            self.body,
        )
    }
}

/// A `laurel watch` session driven step by step.
struct Session<'a> {
    site: &'a TestSite,
    watch: Running,
    entries: BTreeMap<String, Draft>,
    steps: usize,
    syncs: usize,
}

impl<'a> Session<'a> {
    /// Writes `entries`, starts `laurel watch` and waits for its first build.
    #[track_caller]
    fn start(site: &'a TestSite, entries: &[(&str, Draft)]) -> Session<'a> {
        for (rel, draft) in entries {
            site.file(rel, &draft.text());
        }
        site.file(SYNC, &sync_entry(0));
        let watch = site.spawn(&["watch"]);
        watch.wait_for(0, "the first build", |l| {
            l.stream == Stream::Stdout && l.text.starts_with("built ")
        });
        Session {
            site,
            watch,
            entries: entries
                .iter()
                .map(|(rel, d)| (rel.to_string(), d.clone()))
                .collect(),
            steps: 0,
            syncs: 0,
        }
    }

    /// One user action, then the rebuild (or error block) it caused.
    #[track_caller]
    fn step(&mut self, edit: impl FnOnce(&TestSite)) -> Line {
        let from = self.watch.printed();
        edit(self.site);
        let i = self.watch.wait_for_outcome(from);
        self.steps += 1;
        std::thread::sleep(BETWEEN_STEPS);
        self.watch.lines_since(i).remove(0)
    }

    /// Edits an entry of the session and saves it `how`.
    #[track_caller]
    fn edit(&mut self, rel: &str, how: Save, change: impl FnOnce(&mut Draft)) -> Line {
        let draft = self.entries.get_mut(rel).expect("an entry of the session");
        change(draft);
        let text = draft.text();
        self.step(|site| save(site, rel, &text, how))
    }

    #[track_caller]
    fn create(&mut self, rel: &str, draft: Draft) -> Line {
        let text = draft.text();
        self.entries.insert(rel.to_string(), draft);
        self.step(|site| {
            site.file(rel, &text);
        })
    }

    #[track_caller]
    fn rename(&mut self, from: &str, to: &str) -> Line {
        let draft = self.entries.remove(from).expect("an entry of the session");
        self.entries.insert(to.to_string(), draft);
        self.step(|site| {
            let to = site.path(to);
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::rename(site.path(from), to).unwrap();
        })
    }

    /// Deletes a file or a folder (with the session's entries in it).
    #[track_caller]
    fn delete(&mut self, rel: &str) -> Line {
        self.entries
            .retain(|path, _| path != rel && !path.starts_with(&format!("{rel}/")));
        self.step(|site| {
            site.remove(rel);
        })
    }

    /// Saves a broken version of an entry (the session keeps the good one);
    /// waits for the error block and returns its lines.
    #[track_caller]
    fn break_entry(&mut self, rel: &str, change: impl FnOnce(&mut Draft)) -> Vec<String> {
        let mut broken = self.entries[rel].clone();
        change(&mut broken);
        self.failing_step(|site| {
            site.file(rel, &broken.text());
        })
    }

    /// One broken edit: waits for its error block; returns the block's lines.
    #[track_caller]
    fn failing_step(&mut self, edit: impl FnOnce(&TestSite)) -> Vec<String> {
        let from = self.watch.printed();
        edit(self.site);
        let end = self
            .watch
            .wait_for(from, "an error block", Line::is_failure);
        self.steps += 1;
        std::thread::sleep(BETWEEN_STEPS);
        self.watch.lines_since(from)[..=end - from]
            .iter()
            .filter(|l| l.stream == Stream::Stderr)
            .map(|l| l.text.clone())
            .collect()
    }

    /// A barrier: rewrites the sync entry and waits for the rebuild that saw
    /// it. Every earlier edit was on disk before it, so once it is printed
    /// public/ reflects all of them. Returns the index of its line.
    #[track_caller]
    fn sync(&mut self) -> usize {
        self.syncs += 1;
        let from = self.watch.printed();
        self.site.file(SYNC, &sync_entry(self.syncs));
        let expected = format!("同步 {}", self.syncs);
        let mut after = from;
        loop {
            let i = self.watch.wait_for(after, "the sync rebuild", |l| {
                l.is_rebuild() && l.text.contains(SYNC)
            });
            if self
                .site
                .read("diary/0-sync/index.html")
                .contains(&expected)
            {
                return i;
            }
            after = i + 1;
        }
    }

    /// Syncs, then compares public/ with a clean build of the same files.
    #[track_caller]
    fn assert_matches_clean_build(&mut self, when: &str) {
        self.sync();
        let fresh = tempfile::tempdir().expect("temp dir");
        let out = fresh.path().join("public");
        self.site
            .run(&["build", "--output", out.to_str().unwrap()])
            .assert_ok();
        assert_same_files(&self.site.path("public"), &out, when, &self.watch);
    }
}

fn sync_entry(n: usize) -> String {
    entry(&format!("title: 同步 {n}\ndate: 2020-01-01"), "同步。\n")
}

/// Every file and folder below `dir`, except laurel's marker file.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = snapshot(dir);
    files.remove(".laurel-output");
    files
}

#[track_caller]
fn assert_same_files(watched: &Path, clean: &Path, when: &str, watch: &Running) {
    let a = tree(watched);
    let b = tree(clean);
    if a == b {
        return;
    }
    let mut report = String::new();
    for (path, bytes) in &a {
        match b.get(path) {
            None => report.push_str(&format!("  only in watch output: {path}\n")),
            Some(other) if other != bytes => {
                let (x, y) = (
                    String::from_utf8_lossy(bytes),
                    String::from_utf8_lossy(other),
                );
                let at = x.chars().zip(y.chars()).take_while(|(p, q)| p == q).count();
                let show = |s: &str| -> String {
                    s.chars().skip(at.saturating_sub(80)).take(200).collect()
                };
                report.push_str(&format!(
                    "  differs: {path}\n    watch: …{}…\n    build: …{}…\n",
                    show(&x),
                    show(&y)
                ));
            }
            Some(_) => {}
        }
    }
    for path in b.keys().filter(|p| !a.contains_key(*p)) {
        report.push_str(&format!("  only in clean build: {path}\n"));
    }
    panic!(
        "after {when}, public/ differs from a clean build:\n{report}laurel printed:\n{}",
        watch.transcript()
    );
}

const ARRIVAL: &str = "content/diary/2020-02-10-arrival.md";
const NIGHT: &str = "content/diary/2020-02-11-night.md";
const LETTER: &str = "content/diary/2020-02-12-letter.md";
const SNOW: &str = "content/diary/2020-02-13-snow.md";
const VALENTINE: &str = "content/diary/2020-02-14-valentine.md";
const REST: &str = "content/diary/2020-02-15-rest.md";
const DAI: &str = "name: 代晓红\nrole: 护士长\nbatch: 1\ndeployed: 2020-02-09\n";
const OVERRIDE: &str = "{% extends \"base.html\" %}\n{% block main %}<p>OVERRIDE {{ entry.title }}</p>{% endblock main %}\n";

#[test]
fn watch_after_a_long_edit_session_matches_a_clean_build() {
    let site = TestSite::new();
    site.file(
        "site.yaml",
        "title: 测试专栏\nsubtitle: 初始副标题\nbase_url: https://example.org/column/\n",
    )
    .file("content/people/dai-xiaohong.yaml", DAI)
    .file("static/notes.txt", "说明\n")
    .file("static/extra.css", "body { color: black; }\n");
    let mut s = Session::start(
        &site,
        &[
            (
                ARRIVAL,
                Draft::new(
                    "抵达",
                    "2020-02-10 21:30",
                    "author: wu-yang\ntags: [nursing]",
                ),
            ),
            (
                NIGHT,
                Draft::new(
                    "夜班",
                    "2020-02-11 22:00",
                    "author: dai-xiaohong\ntags: [夜班]",
                ),
            ),
            (
                LETTER,
                Draft::new("家书", "2020-02-12", "people: [wu-yang]\ntags: [家书]"),
            ),
            (SNOW, Draft::new("下雪", "2020-02-13", "author: wu-yang")),
            (
                VALENTINE,
                Draft::new("情人节", "2020-02-14", "author: dai-xiaohong"),
            ),
            (REST, Draft::new("轮休", "2020-02-15", "")),
        ],
    );
    s.assert_matches_clean_build("the first build");

    // Titles, bodies, dates (one into the future and back) and tags.
    s.edit(ARRIVAL, Save::Plain, |e| e.title = "抵达武汉");
    s.edit(NIGHT, Save::Plain, |e| e.title = "第一个夜班");
    s.edit(LETTER, Save::Plain, |e| e.title = "一封家书");
    s.edit(SNOW, Save::Plain, |e| e.title = "武汉下雪");
    s.edit(VALENTINE, Save::Plain, |e| e.title = "病房情人节");
    s.edit(REST, Save::Plain, |e| e.title = "难得轮休");
    s.edit(ARRIVAL, Save::Plain, |e| {
        e.body = "**记者：**今天抵达。\n\n第二段。\n"
    });
    s.edit(NIGHT, Save::Plain, |e| {
        e.body = "摘要。\n<!-- more -->\n正文。\n"
    });
    s.edit(LETTER, Save::Plain, |e| {
        e.body = "| 日期 | 事 |\n|---|---|\n| 2 月 12 日 | 写信 |\n"
    });
    s.edit(SNOW, Save::Plain, |e| e.date = "2020-02-20 08:00");
    s.edit(VALENTINE, Save::Plain, |e| e.date = "2027-02-14");
    s.assert_matches_clean_build("moving an entry into the future");
    s.edit(VALENTINE, Save::Plain, |e| e.date = "2020-02-16");
    s.edit(ARRIVAL, Save::Plain, |e| {
        e.meta = "author: wu-yang\ntags: [nursing, 护理]"
    });
    s.edit(NIGHT, Save::Plain, |e| e.meta = "author: dai-xiaohong");
    s.edit(LETTER, Save::Plain, |e| {
        e.meta = "people: [wu-yang]\ntags: [书信]"
    });
    s.assert_matches_clean_build("title, body, date and tag edits");

    // Pinning, old addresses (aliases) and a series, then a title the
    // alias and the series show.
    s.edit(SNOW, Save::Plain, |e| {
        e.meta = "author: wu-yang\npinned: true"
    });
    s.edit(
        ARRIVAL,
        Save::Plain,
        |e| e.meta = "author: wu-yang\ntags: [nursing, 护理]\naliases: [/old/arrival/]",
    );
    s.edit(LETTER, Save::Plain, |e| {
        e.meta = "people: [wu-yang]\ntags: [书信]\nseries: 家书"
    });
    s.edit(NIGHT, Save::Plain, |e| {
        e.meta = "author: dai-xiaohong\nseries: 家书"
    });
    s.assert_matches_clean_build("pinning an entry, giving one an alias, starting a series");
    s.edit(ARRIVAL, Save::Plain, |e| e.title = "抵达武汉（改）");
    s.edit(
        ARRIVAL,
        Save::Plain,
        |e| e.meta = "author: wu-yang\ntags: [nursing, 护理]\naliases: [/old/first-day/]",
    );
    s.edit(SNOW, Save::Plain, |e| e.meta = "author: wu-yang");
    s.edit(NIGHT, Save::Plain, |e| e.meta = "author: dai-xiaohong");
    s.assert_matches_clean_build("unpinning, retitling, moving an alias, leaving a series");

    // New, deleted, renamed and moved entries.
    let mask = "content/diary/2020-02-17-mask.md";
    let team = "content/diary/2020-02-18-team.md";
    let spring = "content/diary/2020/03/2020-03-01-spring.md";
    s.create(
        mask,
        Draft::new("口罩", "2020-02-17", "author: wu-yang\ntags: [护理]"),
    );
    s.create(
        team,
        Draft::new("团队", "2020-02-18", "people: [dai-xiaohong, wu-yang]"),
    );
    s.create(
        spring,
        Draft::new("春天", "2020-03-01", "author: dai-xiaohong\ntags: [春天]"),
    );
    s.delete(REST);
    s.delete(team);
    s.rename(SNOW, "content/diary/2020-02-13-first-snow.md");
    s.rename(mask, "content/diary/2020/2020-02-17-mask.md");
    s.assert_matches_clean_build("adding, deleting, renaming and moving entries");

    // Editors' saves.
    s.edit(ARRIVAL, Save::Atomic, |e| e.title = "抵达武汉的第一天");
    s.edit(NIGHT, Save::Atomic, |e| e.body = "改过的正文。\n");
    s.edit(LETTER, Save::Vim, |e| e.title = "家书一封");
    s.edit(spring, Save::Vim, |e| e.date = "2020-03-02");
    s.assert_matches_clean_build("atomic and vim-style saves");

    // People.
    let doctor = "content/diary/2020-02-19-doctor.md";
    s.step(|site| {
        site.file(
            "content/people/wu-yang.yaml",
            &WU_YANG.replace("护士", "主管护师"),
        );
    });
    s.step(|site| {
        let dai = DAI.replace("2020-02-09", "2020-02-01");
        site.file(
            "content/people/dai-xiaohong.yaml",
            &format!("{dai}motto: 不负韶华\n"),
        );
    });
    s.step(|site| {
        site.file(
            "content/people/li-lei.yaml",
            "name: 李雷\nrole: 医生\nbatch: 2\n",
        );
    });
    s.create(
        doctor,
        Draft::new("医生手记", "2020-02-19", "author: li-lei"),
    );
    s.assert_matches_clean_build("profile edits and a new person");

    // Configuration, templates (in a folder created now), static files, pages.
    let yaml = |subtitle: &str, more: &str| {
        format!(
            "title: 测试专栏\nsubtitle: {subtitle}\nbase_url: https://example.org/column/\n{more}"
        )
    };
    s.step(|site| {
        site.file("site.yaml", &yaml("新的副标题", ""));
    });
    s.step(|site| {
        site.file("templates/entry.html", OVERRIDE);
    });
    s.step(|site| {
        site.file(
            "templates/entry.html",
            &OVERRIDE.replace("OVERRIDE", "OVERRIDE-2"),
        );
    });
    s.step(|site| {
        site.file("static/notes.txt", "新的说明\n");
    });
    s.step(|site| {
        site.bytes(
            "static/images/dot.png",
            &[0x89, b'P', b'N', b'G', 0, 1, 2, 3],
        );
    });
    s.step(|site| {
        site.file("static/extra.css", "body { color: red; }\n");
    });
    // Hidden files that hosts read are published, and followed.
    s.step(|site| {
        site.file("static/.htaccess", "Options -Indexes\n");
    });
    s.step(|site| {
        site.file(
            "static/.htaccess",
            "Options -Indexes\nRequire all granted\n",
        );
    });
    s.step(|site| {
        site.file(
            "content/pages/about.md",
            &entry("title: 关于\nmenu: true", "关于本专栏。\n"),
        );
    });
    s.step(|site| {
        site.file(
            "content/pages/about.md",
            &entry("title: 关于我们\nmenu: true", "关于。\n"),
        );
    });
    s.edit(NIGHT, Save::Plain, |e| {
        e.meta = "author: dai-xiaohong\ndraft: true"
    });
    s.edit(NIGHT, Save::Plain, |e| e.meta = "author: dai-xiaohong");
    s.edit(ARRIVAL, Save::Plain, |e| {
        e.meta = "author: wu-yang\nslug: arrival-day"
    });
    s.assert_matches_clean_build("site.yaml, template, static, page, draft and slug edits");

    // Broken edits: the error is shown, public/ stays as it was, a fix rebuilds.
    let before = tree(&site.path("public"));
    let block = s.break_entry(LETTER, |e| e.date = "2020-02-30");
    let located = "error: content/diary/2020-02-12-letter.md:3:7: invalid date";
    assert!(block.iter().any(|l| l.starts_with(located)), "{block:#?}");
    assert_eq!(
        tree(&site.path("public")),
        before,
        "a failed rebuild changed public/"
    );
    let fixed = s.edit(LETTER, Save::Plain, |e| e.body = "修好了。\n");
    assert!(fixed.is_rebuild(), "the fix did not rebuild: {fixed:?}");
    let block = s.failing_step(|site| {
        site.file(
            "templates/entry.html",
            "{% extends \"base.html\" %}\n{% block main %}\n{% if %}\n{% endblock main %}\n",
        );
    });
    assert!(
        block
            .iter()
            .any(|l| l.starts_with("error: templates/entry.html:3:")),
        "{block:#?}"
    );
    s.step(|site| {
        site.file(
            "templates/entry.html",
            &OVERRIDE.replace("OVERRIDE", "OVERRIDE-3"),
        );
    });
    let block = s.failing_step(|site| {
        let guest = Draft::new("来客", "2020-02-20", "author: zhang-san");
        site.file("content/diary/2020-02-20-guest.md", &guest.text());
    });
    let located = "error: content/diary/2020-02-20-guest.md:4:9: unknown person `zhang-san`";
    assert!(block.iter().any(|l| l.starts_with(located)), "{block:#?}");
    // Fixed by adding the missing person, without touching the entry.
    s.step(|site| {
        site.file("content/people/zhang-san.yaml", "name: 张三\nbatch: 2\n");
    });
    s.assert_matches_clean_build("broken edits and their fixes");

    // Removals, and pagination.
    s.delete("templates/entry.html");
    s.delete("static/notes.txt");
    s.delete("content/diary/2020");
    s.delete(doctor);
    s.delete("content/people/li-lei.yaml");
    s.delete("static/images");
    s.step(|site| {
        site.file("site.yaml", &yaml("新的副标题", "entries_per_page: 5\n"));
    });
    s.assert_matches_clean_build("removals and pagination");

    // A burst: 200 new entries written as fast as possible.
    let burst = |i: usize| format!("content/diary/2020-03-10-burst-{i:03}.md");
    let from = s.watch.printed();
    for i in 0..200 {
        let date = format!("2020-03-10 {:02}:{:02}", i / 60, i % 60);
        let meta = "author: wu-yang\ntags: [批量]";
        site.file(
            &burst(i),
            &entry(
                &format!("title: 批量 {i}\ndate: {date}\n{meta}"),
                "批量。\n",
            ),
        );
    }
    s.watch.wait_for_outcome(from);
    s.steps += 1;
    std::thread::sleep(BETWEEN_STEPS);
    let sync_line = s.sync();
    let rebuilds: Vec<String> = s.watch.lines_since(from)[..sync_line - from]
        .iter()
        .filter(|l| l.is_outcome())
        .map(|l| l.text.clone())
        .collect();
    #[allow(clippy::print_stderr)] // what the debouncer did, for `--nocapture` runs
    {
        eprintln!(
            "a burst of 200 new entries gave {} rebuild(s): {rebuilds:#?}",
            rebuilds.len()
        );
    }
    assert!(!rebuilds.is_empty());
    assert!(
        rebuilds.len() < 10,
        "a burst of 200 files gave {} rebuilds: {rebuilds:#?}",
        rebuilds.len()
    );
    s.assert_matches_clean_build("a burst of 200 new entries");

    // An edit among many entries, and a burst of deletions (a `git checkout`).
    s.step(|site| {
        let text = entry(
            "title: 批量七\ndate: 2020-03-10 00:07\nauthor: wu-yang",
            "改。\n",
        );
        save(site, &burst(7), &text, Save::Vim);
    });
    s.step(|site| {
        for i in (0..200).step_by(2) {
            site.remove(&burst(i));
        }
    });
    s.step(|site| {
        site.file("site.yaml", &yaml("最后的副标题", ""));
    });
    assert!(s.steps >= 50, "only {} steps", s.steps);
    s.assert_matches_clean_build("the whole session");
}

#[test]
fn watch_on_a_stale_public_removes_what_the_site_no_longer_has() {
    let site = TestSite::new();
    site.file(
        NIGHT,
        &Draft::new("夜班", "2020-02-11", "author: wu-yang\ntags: [夜班]").text(),
    );
    site.build();
    assert!(site.exists("diary/night/index.html"));
    site.remove(NIGHT);
    site.file(
        ARRIVAL,
        &Draft::new("抵达武汉", "2020-02-10", "author: wu-yang").text(),
    );

    let watch = site.spawn(&["watch"]);
    watch.wait_for(0, "the first build", |l| l.is_rebuild());
    let fresh = tempfile::tempdir().expect("temp dir");
    let out = fresh.path().join("public");
    site.run(&["build", "--output", out.to_str().unwrap()])
        .assert_ok();
    assert!(!site.exists("diary/night/index.html"));
    assert_same_files(&site.path("public"), &out, "the first build", &watch);
}

#[test]
fn watch_rewrites_public_after_it_was_deleted() {
    // `rm -rf public` while watching (by hand, or a clean script): the next
    // rebuild must leave the whole site there again, marker included, not
    // just the files whose bytes changed.
    let site = TestSite::new();
    let mut s = Session::start(
        &site,
        &[(
            ARRIVAL,
            Draft::new("抵达", "2020-02-10 21:30", "author: wu-yang"),
        )],
    );
    std::fs::remove_dir_all(site.path("public")).unwrap();
    s.edit(ARRIVAL, Save::Plain, |e| e.title = "抵达武汉");
    s.assert_matches_clean_build("deleting public/ while watching");
    assert!(
        site.exists(".laurel-output"),
        "public/ lost laurel's marker, so `laurel build` will refuse to replace it"
    );
    site.build();
}

#[test]
fn watch_warns_about_removed_raw_html_as_the_entry_is_now() {
    let site = TestSite::new();
    let watch = site.spawn(&["watch"]);
    watch.wait_for_outcome(0);
    let warning = |line: usize| {
        format!(
            "warning: {ARRIVAL}:{line}:1: <script> removed: raw HTML that can run script is not published"
        )
    };
    let mut draft = Draft::new("抵达", "2020-02-10 21:30", "author: wu-yang");
    // Front matter takes lines 1-5; the body's third line is line 8.
    for (body, line) in [
        ("正文。\n\n<script>x()</script>\n", 8),
        ("正文。\n\n改过。\n\n<script>x()</script>\n", 10),
    ] {
        let from = watch.printed();
        draft.body = body;
        site.file(ARRIVAL, &draft.text());
        let want = warning(line);
        watch.wait_for(from, &want, |l| {
            l.stream == Stream::Stderr && l.text == want
        });
    }
    assert!(!site.read("diary/arrival/index.html").contains("x()"));
}

#[test]
fn watch_keeps_running_through_a_broken_site_at_start() {
    let site = TestSite::new();
    site.file(
        ARRIVAL,
        &Draft::new("抵达", "2020-02-30", "author: wu-yang").text(),
    );
    let watch = site.spawn(&["watch"]);
    let end = watch.wait_for(0, "an error block", Line::is_failure);
    let located = "error: content/diary/2020-02-10-arrival.md:3:7: ";
    assert!(
        watch.lines_since(0)[..end]
            .iter()
            .any(|l| l.text.starts_with(located)),
        "{}",
        watch.transcript()
    );
    assert!(
        !site.exists("index.html"),
        "a failed first build wrote pages"
    );

    let from = watch.printed();
    site.file(
        ARRIVAL,
        &Draft::new("抵达", "2020-02-10", "author: wu-yang").text(),
    );
    watch.wait_for(from, "the rebuild after the fix", |l| l.is_rebuild());
    assert!(site.read("diary/arrival/index.html").contains("抵达"));
}

#[test]
fn ctrl_c_stops_watch_with_exit_code_0() {
    let site = TestSite::new();
    let watch = site.spawn(&["watch"]);
    watch.wait_for(0, "the first build", |l| l.is_rebuild());
    let out = watch.interrupt();
    out.assert_ok();
    assert!(out.stdout.starts_with("built "), "{}", out.stdout);
    assert!(site.exists("diary/arrival/index.html"));
}

#[cfg(unix)]
#[test]
fn watch_never_writes_or_deletes_through_a_symlink_inside_public() {
    // public/diary is a link to a folder outside the site (made by hand, or
    // by a deploy script): editing and deleting entries must replace the
    // link, never write or delete what it points to.
    let site = TestSite::nested();
    site.file(
        NIGHT,
        &Draft::new("夜班", "2020-02-11", "author: wu-yang").text(),
    );
    site.build();
    let outside = site.root().parent().unwrap().join("outside-diary");
    for slug in ["arrival", "night"] {
        std::fs::create_dir_all(outside.join(slug)).unwrap();
        std::fs::write(outside.join(slug).join("index.html"), "OUTSIDE").unwrap();
    }
    std::fs::write(outside.join("keep.txt"), "OUTSIDE").unwrap();
    std::fs::remove_dir_all(site.path("public/diary")).unwrap();
    std::os::unix::fs::symlink(&outside, site.path("public/diary")).unwrap();
    let before = snapshot(&outside);

    let mut s = Session::start(
        &site,
        &[(
            ARRIVAL,
            Draft::new("抵达", "2020-02-10 21:30", "author: wu-yang"),
        )],
    );
    s.edit(ARRIVAL, Save::Atomic, |e| e.title = "抵达武汉");
    s.delete(NIGHT);
    s.sync();
    assert_eq!(
        snapshot(&outside),
        before,
        "watch wrote or deleted through public/diary -> {}:\n{}",
        outside.display(),
        s.watch.transcript()
    );
    assert!(
        !std::fs::symlink_metadata(site.path("public/diary"))
            .unwrap()
            .is_symlink(),
        "the link is replaced by a real folder"
    );
    s.assert_matches_clean_build("editing through a symlinked public/diary");
}

#[test]
fn watch_refuses_an_output_folder_holding_files_it_did_not_write() {
    // The docroot holds laurel's marker (copied along with a built site),
    // and files of other people: watch must not remove them on its first
    // rebuild.
    let site = TestSite::new();
    site.build();
    let elsewhere = tempfile::tempdir().expect("temp dir");
    let docroot = elsewhere.path().join("docroot");
    for (path, bytes) in site.snapshot_dir() {
        let dest = docroot.join(&path);
        if path.ends_with('/') {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
            std::fs::write(&dest, bytes).unwrap();
        }
    }
    std::fs::write(docroot.join("README.txt"), "not laurel's").unwrap();
    std::fs::create_dir_all(docroot.join("other-app")).unwrap();
    std::fs::write(docroot.join("other-app/index.html"), "other").unwrap();

    let watch = site.spawn(&["watch", "--output", docroot.to_str().unwrap()]);
    let deadline = std::time::Instant::now() + crate::support::PATIENCE;
    while watch.lines_since(0).iter().all(|l| !l.is_outcome())
        && std::time::Instant::now() < deadline
        && !watch
            .lines_since(0)
            .iter()
            .any(|l| l.text.starts_with("error: "))
    {
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = watch.interrupt();
    assert!(
        docroot.join("README.txt").is_file() && docroot.join("other-app/index.html").is_file(),
        "watch removed files it did not write:\n{}{}",
        out.stdout,
        out.stderr
    );
    assert!(
        out.stderr.contains("README.txt"),
        "the refusal names the foreign files:\n{}",
        out.stderr
    );
    out.assert_code(2);
}

#[test]
fn build_and_watch_end_with_the_same_summary_line() {
    let site = TestSite::new();
    // `built 27 pages (40 files) from 1 entry and 1 person in 12 ms`, up to
    // the time (the numbers after `in` differ).
    let shape = |line: &str| line.split(" in ").next().unwrap_or("").to_string();
    let built = site.build();
    let line = built.stdout.lines().next().unwrap_or("").to_string();
    assert!(line.contains(" from 1 entry and 1 person in "), "{line}");
    std::fs::remove_dir_all(site.path("public")).unwrap();
    let watch = site.spawn(&["watch"]);
    let at = watch.wait_for(0, "the first build", |l| {
        l.stream == Stream::Stdout && l.text.starts_with("built ")
    });
    let first = watch.lines_since(at)[0].text.clone();
    assert_eq!(shape(&first), shape(&line), "watch: {first}\nbuild: {line}");
}
