//! Faults during `build`: the process killed at random moments, a read-only
//! output file system, a full disk. Whatever happens, public/ is the complete
//! old site or the complete new one, and the next build cleans up.
//!
//! The read-only and disk-full cases mount a small tmpfs, which needs root
//! (tests run as root in CI); elsewhere they print why they are skipped.

// Timings, kill outcomes and skip reasons, for `--nocapture` runs.
#![allow(clippy::print_stderr)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{NOW, TestSite, snapshot};

/// A site big enough that a debug build takes a noticeable moment: many
/// entries (each with a few paragraphs), people and tags.
fn generated_site(entries: usize, people: usize) -> TestSite {
    let site = TestSite::new();
    for p in 0..people {
        site.file(
            &format!("content/people/p{p}.yaml"),
            &format!(
                "name: 队员{p}\nrole: 护士\nbatch: {}\ndeployed: 2020-02-09\n",
                p % 3 + 1
            ),
        );
    }
    for e in 0..entries {
        let day = 1 + e % 28;
        let body = format!(
            "## 第{e}篇\n\n今天是在武汉的又一天，病区里的 **患者** 情况好转。\n\n> 引用第{e}段\n\n- 一\n- 二\n\n{}\n",
            "护目镜起雾了，大家互相帮忙。".repeat(20)
        );
        site.file(
            &format!("content/diary/2020-02-{day:02}-e{e}.md"),
            &format!(
                "---\ntitle: 日记{e}\ndate: 2020-02-{day:02} {:02}:{:02}\nauthor: p{}\ntags: [t{}, 抗疫]\n---\n{body}",
                e % 24,
                e % 60,
                e % people,
                e % 17,
            ),
        );
    }
    site
}

fn set_title(site: &TestSite, title: &str) {
    site.file(
        "site.yaml",
        &format!("title: {title}\nbase_url: https://example.org/column/\n"),
    );
}

/// Files of the output folder, without the marker (it carries the build
/// manifest, which may record when and how the build ran).
fn site_files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = snapshot(dir);
    files.remove(".laurel-output");
    files
}

/// Leftovers of interrupted builds next to `public/`.
fn leftovers(site: &TestSite) -> Vec<String> {
    std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        // The lock file stays by design (removing it would race with
        // waiters), and so does the build state (the next build reads it).
        .filter(|n| {
            n.starts_with(".public.laurel-") && !n.ends_with("-lock") && !n.ends_with("-state")
        })
        .collect()
}

/// A tiny xorshift generator: the kill moments vary from run to run, and the
/// seed is printed so a failing run can be replayed (`LAUREL_KILL_SEED`).
struct Rng(u64);

impl Rng {
    fn new() -> Rng {
        let seed = std::env::var("LAUREL_KILL_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_nanos() as u64
                    | 1
            });
        eprintln!("kill test seed: {seed} (set LAUREL_KILL_SEED to replay)");
        Rng(seed)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

#[cfg(unix)]
#[test]
fn build_killed_at_random_moments_leaves_the_old_or_the_new_site() {
    let site = generated_site(400, 40);
    let public = site.path("public");
    let titles = ["旧标题", "新标题"];

    // Both complete sites, built without interruption.
    let mut complete: Vec<BTreeMap<String, Vec<u8>>> = Vec::new();
    let mut full = Duration::ZERO;
    for title in titles {
        set_title(&site, title);
        let t = Instant::now();
        site.build();
        full = full.max(t.elapsed());
        complete.push(site_files(&public));
    }
    assert_ne!(complete[0], complete[1]);
    eprintln!(
        "full build: {:.2} s, {} files",
        full.as_secs_f64(),
        complete[0].len()
    );

    let mut rng = Rng::new();
    let mut live = 1; // public/ now holds the site titled titles[1]
    let (mut old_seen, mut new_seen, mut finished) = (0, 0, 0);
    let trials = 24;
    for trial in 0..trials {
        let next = 1 - live;
        set_title(&site, titles[next]);
        let mut child = Command::new(env!("CARGO_BIN_EXE_laurel"))
            .args(["--root", site.root().to_str().unwrap(), "build"])
            .env("LAUREL_NOW", NOW)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Anywhere from before the first read to just after the swap.
        let delay = Duration::from_micros(rng.below(full.as_micros() as u64 * 11 / 10));
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL
        let status = child.wait().unwrap();
        let now = site_files(&public);
        let state = if now == complete[next] {
            new_seen += 1;
            live = next;
            "new"
        } else if now == complete[live] {
            old_seen += 1;
            "old"
        } else {
            let diff: Vec<_> = now
                .keys()
                .chain(complete[live].keys())
                .filter(|k| now.get(*k) != complete[live].get(*k))
                .take(5)
                .collect();
            panic!(
                "trial {trial}: killed after {delay:?}, public/ is neither the old nor the new site (first differences: {diff:?}; leftovers {:?})",
                leftovers(&site)
            );
        };
        if status.success() {
            finished += 1;
        }
        eprintln!(
            "trial {trial}: killed after {:.0} ms -> {state} site{}; leftovers {:?}",
            delay.as_secs_f64() * 1000.0,
            if status.success() {
                " (build had finished)"
            } else {
                ""
            },
            leftovers(&site)
        );
    }
    eprintln!("{trials} trials: {old_seen} old, {new_seen} new ({finished} builds finished first)");
    assert!(
        old_seen > 0,
        "no kill landed before the swap; the test proves nothing"
    );

    // The next build completes the interrupted one and leaves nothing behind.
    // site.yaml holds the title of the last trial's target.
    let wanted = if std::fs::read_to_string(site.path("site.yaml"))
        .unwrap()
        .contains(titles[0])
    {
        0
    } else {
        1
    };
    site.build();
    assert!(
        site_files(&public) == complete[wanted],
        "the next build gives the new site"
    );
    assert_eq!(leftovers(&site), Vec::<String>::new());
}

/// A tmpfs of `size` mounted on a fresh folder, unmounted on drop. `None`
/// (with the reason printed) where mounting is not allowed; in CI (`CI=true`,
/// which runs as root) a failed mount fails the test instead, so these checks
/// can never be skipped silently there.
struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    fn mount(size: &str) -> Option<Tmpfs> {
        let dir = tempfile::Builder::new()
            .prefix("laurel-tmpfs-")
            .tempdir()
            .unwrap();
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .output();
        let reason = match out {
            Ok(o) if o.status.success() => return Some(Tmpfs { dir }),
            Ok(o) => format!(
                "cannot mount a tmpfs (needs root): {}",
                String::from_utf8_lossy(&o.stderr).trim()
            ),
            Err(e) => format!("cannot run mount: {e}"),
        };
        assert!(std::env::var("CI").as_deref() != Ok("true"), "{reason}");
        eprintln!("SKIPPED: {reason}");
        None
    }

    fn path(&self) -> PathBuf {
        self.dir.path().to_path_buf()
    }

    fn remount(&self, opts: &str) {
        let ok = Command::new("mount")
            .args(["-o", &format!("remount,{opts}")])
            .arg(self.dir.path())
            .status()
            .unwrap()
            .success();
        assert!(ok, "cannot remount the tmpfs {opts}");
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.dir.path()).status();
    }
}

#[cfg(target_os = "linux")]
#[test]
fn read_only_output_file_system_gives_a_clear_error_and_keeps_the_old_site() {
    let Some(fs) = Tmpfs::mount("8m") else {
        return;
    };
    let site = TestSite::new();
    let out_dir = fs.path().join("public");
    let out_arg = out_dir.to_str().unwrap();
    site.run(&["build", "--output", out_arg]).assert_ok();
    let before = snapshot(&out_dir);

    fs.remount("ro");
    set_title(&site, "改过的标题");
    let out = site.run(&["build", "--output", out_arg]);
    fs.remount("rw");

    assert_ne!(out.code, 0, "a build onto a read-only disk must fail");
    assert!(
        out.stderr.contains("Read-only file system"),
        "the error says why:\n{}",
        out.stderr
    );
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    assert_eq!(snapshot(&out_dir), before, "the old site is intact");
    // And once the disk is writable again, the build goes through.
    site.run(&["build", "--output", out_arg]).assert_ok();
    assert!(
        std::fs::read_to_string(out_dir.join("index.html"))
            .unwrap()
            .contains("改过的标题")
    );
}

#[cfg(target_os = "linux")]
#[test]
fn full_disk_gives_a_clear_error_keeps_the_old_site_and_cleans_up() {
    let Some(fs) = Tmpfs::mount("2m") else {
        return;
    };
    let site = TestSite::new();
    let out_dir = fs.path().join("public");
    let out_arg = out_dir.to_str().unwrap();
    site.run(&["build", "--output", out_arg]).assert_ok();
    let before = snapshot(&out_dir);

    // One entry whose page alone is larger than the whole disk.
    site.file(
        "content/diary/2020-02-11-big.md",
        &crate::support::entry(
            "title: 大\ndate: 2020-02-11",
            &"武汉加油，护目镜起雾。\n\n".repeat(120_000),
        ),
    );
    let out = site.run(&["build", "--output", out_arg]);
    assert_ne!(out.code, 0, "a build onto a full disk must fail");
    assert!(
        out.stderr.contains("No space left on device"),
        "the error says why:\n{}",
        out.stderr
    );
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    assert_eq!(snapshot(&out_dir), before, "the old site is intact");
    let left: Vec<_> = std::fs::read_dir(fs.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != ".public.laurel-lock" && n != ".public.laurel-state")
        .collect();
    assert_eq!(left, ["public"], "the failed staging folder is removed");
}

#[cfg(unix)]
#[test]
fn two_builds_at_once_leave_the_whole_old_or_the_whole_new_site() {
    let site = generated_site(300, 30);
    let public = site.path("public");
    let titles = ["旧标题", "新标题"];
    let mut complete: Vec<BTreeMap<String, Vec<u8>>> = Vec::new();
    for title in titles {
        set_title(&site, title);
        site.build();
        complete.push(site_files(&public));
    }
    let spawn = || {
        Command::new(env!("CARGO_BIN_EXE_laurel"))
            .args(["--root", site.root().to_str().unwrap(), "build"])
            .env("LAUREL_NOW", NOW)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    for round in 0..10 {
        let want = round % 2;
        set_title(&site, titles[want]);
        let (a, b) = (spawn(), spawn());
        for child in [a, b] {
            let out = child.wait_with_output().unwrap();
            assert!(
                out.status.success(),
                "round {round}: a build failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let now = site_files(&public);
        assert!(
            now.keys().eq(complete[want].keys()),
            "round {round}: public/ has {} files, the site {}",
            now.len(),
            complete[want].len()
        );
        assert_eq!(
            now.get("index.html"),
            complete[want].get("index.html"),
            "round {round}: index.html"
        );
        assert!(
            now == complete[want],
            "round {round}: public/ is not the whole site"
        );
    }
}

#[test]
fn an_up_to_date_build_removes_leftovers_of_a_killed_build() {
    let site = TestSite::new();
    site.build();
    site.file(".public.laurel-staging/index.html", "half a site");
    site.file(".public.laurel-old/index.html", "the site before");
    let out = site.build();
    assert!(out.stdout.starts_with("up to date"), "{}", out.stdout);
    assert_eq!(leftovers(&site), Vec::<String>::new());
    assert!(site.read("index.html").contains("抵达"));
}
