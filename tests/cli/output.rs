//! The output folder: laurel never writes where it would destroy something,
//! and nothing outside the site leaks in through a symlink.

use crate::support::{TestSite, snapshot};

#[track_caller]
fn assert_refused_as_usage_error(site: &TestSite, output: &str, reason: &str) {
    let before = site.snapshot_all();
    let out = site.run(&["build", "--output", output]);
    out.assert_code(2);
    assert!(
        out.stderr.contains(reason),
        "stderr should say `{reason}`:\n{}",
        out.stderr
    );
    assert_eq!(
        site.snapshot_all(),
        before,
        "a refused build wrote something"
    );
}

#[test]
fn output_cannot_be_the_site_root() {
    let site = TestSite::new();
    let root = site.root().to_str().unwrap().to_string();
    assert_refused_as_usage_error(&site, &root, "is the site root");
}

#[test]
fn output_cannot_be_the_content_folder() {
    let site = TestSite::new();
    let content = site.path("content").to_str().unwrap().to_string();
    assert_refused_as_usage_error(&site, &content, "is inside the site's content/ folder");
}

#[test]
fn output_cannot_be_a_folder_holding_the_site() {
    let site = TestSite::new();
    let parent = site
        .root()
        .parent()
        .expect("temp dirs have a parent")
        .to_str()
        .unwrap()
        .to_string();
    assert_refused_as_usage_error(&site, &parent, "contains the site");
}

#[test]
fn foreign_non_empty_output_folder_is_left_untouched() {
    let site = TestSite::new();
    let elsewhere = tempfile::tempdir().expect("temp dir");
    let dest = elsewhere.path().join("my-documents");
    std::fs::create_dir_all(dest.join("sub")).unwrap();
    std::fs::write(dest.join("thesis.docx"), "irreplaceable").unwrap();
    std::fs::write(dest.join("sub/notes.txt"), "notes").unwrap();
    let before = snapshot(elsewhere.path());

    let out = site.run(&["build", "--output", dest.to_str().unwrap()]);
    out.assert_code(1);
    assert!(
        out.stderr.contains("was not written by laurel"),
        "{}",
        out.stderr
    );
    assert_eq!(
        snapshot(elsewhere.path()),
        before,
        "the foreign folder or its neighbours changed"
    );
}

#[test]
fn output_folder_written_by_laurel_is_replaced_on_the_next_build() {
    let site = TestSite::new();
    let elsewhere = tempfile::tempdir().expect("temp dir");
    let dest = elsewhere.path().join("site-out");
    let dest_s = dest.to_str().unwrap();
    site.run(&["build", "--output", dest_s]).assert_ok();
    assert!(dest.join("diary/arrival/index.html").is_file());
    site.remove("content/diary/2020-02-10-arrival.md");
    site.run(&["build", "--output", dest_s]).assert_ok();
    assert!(
        !dest.join("diary/arrival/index.html").exists(),
        "a removed entry's page is gone"
    );
    assert!(!site.path("public").exists(), "--output replaces public/");
}

#[test]
fn refusals_are_worded_like_every_other_error() {
    // Content errors print `error: ...`; a refused output folder should too,
    // whether it is a usage error (exit 2) or a folder laurel will not replace (exit 1).
    let site = TestSite::new();
    let root = site.root().to_str().unwrap().to_string();
    let usage = site.run(&["build", "--output", &root]);
    usage.assert_code(2);
    let elsewhere = tempfile::tempdir().expect("temp dir");
    std::fs::write(elsewhere.path().join("keep.txt"), "keep").unwrap();
    let foreign = site.run(&["build", "--output", elsewhere.path().to_str().unwrap()]);
    foreign.assert_code(1);
    for out in [usage, foreign] {
        assert!(out.stderr.starts_with("error: "), "stderr:\n{}", out.stderr);
    }
}

#[cfg(unix)]
#[test]
fn static_symlink_to_a_file_outside_the_site_is_not_copied() {
    let site = TestSite::new();
    let outside = tempfile::tempdir().expect("temp dir");
    let secret = outside.path().join("secret.txt");
    std::fs::write(&secret, "OUTSIDE-CANARY").unwrap();
    site.file("static/images/ok.txt", "inside");
    std::os::unix::fs::symlink(&secret, site.path("static/leak.txt")).unwrap();

    let out = site.build();
    assert!(
        site.exists("images/ok.txt"),
        "ordinary static files are copied"
    );
    assert!(!site.exists("leak.txt"));
    let leaked: Vec<String> = site
        .snapshot_dir()
        .into_iter()
        .filter(|(_, b)| String::from_utf8_lossy(b).contains("OUTSIDE-CANARY"))
        .map(|(p, _)| p)
        .collect();
    assert!(leaked.is_empty(), "outside content leaked into {leaked:?}");
    assert_eq!(
        out.warnings(),
        ["warning: static/leak.txt: symlink points outside the site; skipped"]
    );
}

#[cfg(unix)]
#[test]
fn static_symlink_to_a_folder_outside_the_site_is_not_copied() {
    let site = TestSite::new();
    let outside = tempfile::tempdir().expect("temp dir");
    std::fs::write(outside.path().join("passwd"), "OUTSIDE-CANARY").unwrap();
    std::fs::create_dir_all(site.path("static")).unwrap();
    std::os::unix::fs::symlink(outside.path(), site.path("static/photos")).unwrap();

    let out = site.build();
    assert!(
        !site.exists("photos"),
        "public/ holds {:?}",
        site.snapshot_dir().keys()
    );
    assert_eq!(out.warnings().len(), 1, "{}", out.stderr);
    assert!(
        out.warnings()[0].contains("static/photos"),
        "the warning names the link: {}",
        out.stderr
    );
}

#[cfg(unix)]
#[test]
fn output_inside_a_symlinked_content_folder_is_refused() {
    // content/ is a link to the real sources elsewhere: `--output content/pub`
    // (or the link's target + /pub) lands in the content tree all the same.
    let site = TestSite::nested();
    let real = site.root().parent().unwrap().join("real-content");
    std::fs::rename(site.path("content"), &real).unwrap();
    std::os::unix::fs::symlink(&real, site.path("content")).unwrap();
    let before = snapshot(&real);
    let through_target = real.join("pub");
    for output in ["content/pub", through_target.to_str().unwrap()] {
        let out = site.run(&["build", "--output", output]);
        out.assert_code(2);
        assert!(
            out.stderr.contains("is inside the site's content/ folder"),
            "--output {output}: {}",
            out.stderr
        );
        assert_eq!(
            snapshot(&real),
            before,
            "--output {output} wrote into content/"
        );
    }
}

/// Copies a built public/ into `dest` the way `cp -r public/. dest/` does.
fn copy_public(site: &TestSite, dest: &std::path::Path) {
    for (path, bytes) in site.snapshot_dir() {
        let to = dest.join(&path);
        if path.ends_with('/') {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::write(&to, bytes).unwrap();
        }
    }
}

#[test]
fn build_refuses_to_replace_a_folder_holding_files_it_did_not_write() {
    // `cp -r public/. docroot/` copies laurel's marker into a docroot that
    // holds other people's files: the marker does not make them laurel's.
    let site = TestSite::new();
    site.build();
    let elsewhere = tempfile::tempdir().expect("temp dir");
    let docroot = elsewhere.path().join("docroot");
    copy_public(&site, &docroot);
    std::fs::write(docroot.join("README.txt"), "not laurel's").unwrap();
    std::fs::create_dir_all(docroot.join("other-app")).unwrap();
    std::fs::write(docroot.join("other-app/index.html"), "other").unwrap();
    let before = snapshot(&docroot);

    let docroot_s = docroot.to_str().unwrap();
    let out = site.run(&["build", "--output", docroot_s]);
    out.assert_code(2);
    assert!(out.stderr.starts_with("error: "), "{}", out.stderr);
    for name in ["README.txt", "other-app/index.html"] {
        assert!(out.stderr.contains(name), "names {name}:\n{}", out.stderr);
    }
    assert!(out.stderr.contains("--output"), "hints: {}", out.stderr);
    // A file someone put there by hand to publish it has a place.
    assert!(
        out.stderr
            .contains("a file to publish with the site belongs in static/"),
        "hints: {}",
        out.stderr
    );
    assert_eq!(snapshot(&docroot), before, "the docroot changed");

    // Laurel's own output folder is still replaced as ever.
    site.file(
        "content/diary/2020-02-11-night.md",
        "---\ntitle: 夜班\ndate: 2020-02-11\n---\n夜班。\n",
    );
    site.build();
    assert!(site.exists("diary/night/index.html"));
    site.remove("content/diary/2020-02-11-night.md");
    site.build();
    assert!(!site.exists("diary/night/index.html"));
}

#[cfg(unix)]
#[test]
fn build_never_reuses_a_file_reached_through_a_symlink_in_the_old_site() {
    // public/images is a link to an outside folder holding a file of the
    // same name and length as the one laurel recorded: the next build must
    // copy static/images/ok.txt afresh, not hard-link the outside file in.
    let site = TestSite::nested();
    site.file("static/images/ok.txt", "inside");
    site.build();
    let outside = site.root().parent().unwrap().join("outside-images");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("ok.txt"), "SECRET").unwrap();
    std::fs::remove_dir_all(site.path("public/images")).unwrap();
    std::os::unix::fs::symlink(&outside, site.path("public/images")).unwrap();

    // Any change, so that the build is not up to date and reuses files.
    site.file(
        "content/diary/2020-02-11-night.md",
        "---\ntitle: 夜班\ndate: 2020-02-11\n---\n夜班。\n",
    );
    site.build();
    assert_eq!(site.read("images/ok.txt"), "inside");
    assert!(
        !std::fs::symlink_metadata(site.path("public/images"))
            .unwrap()
            .is_symlink()
    );
    assert_eq!(
        std::fs::read_to_string(outside.join("ok.txt")).unwrap(),
        "SECRET"
    );
}

#[cfg(unix)]
#[test]
fn output_symlink_to_a_missing_folder_is_a_clear_error_leaving_nothing() {
    let site = TestSite::new();
    let missing = site.path("gone");
    std::os::unix::fs::symlink(&missing, site.path("public")).unwrap();
    let names = || -> Vec<String> {
        let mut n: Vec<String> = std::fs::read_dir(site.root())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        n.sort();
        n
    };
    let before = names();
    for _ in 0..2 {
        let out = site.run(&["build"]);
        out.assert_code(2);
        assert!(
            out.stderr.contains("is a symlink to")
                && out.stderr.contains("which does not exist")
                && out
                    .stderr
                    .contains("create that folder, or remove the link"),
            "{}",
            out.stderr
        );
        assert!(!out.stderr.contains("os error"), "{}", out.stderr);
        assert_eq!(names(), before, "the failed build left something");
    }
    assert!(
        std::fs::symlink_metadata(site.path("public"))
            .unwrap()
            .is_symlink()
    );
}

#[cfg(unix)]
#[test]
fn odd_static_file_names_are_skipped_with_a_located_warning() {
    use std::os::unix::ffi::OsStrExt as _;
    let site = TestSite::new();
    site.file("static/ok.txt", "ok")
        .file("static/a\\b.txt", "backslash")
        .file("static/x\\..\\..\\e", "escape")
        .file("static/new\nline.txt", "newline");
    let bad = std::ffi::OsStr::from_bytes(b"static/caf\xe9.txt");
    std::fs::write(site.root().join(bad), "latin-1").unwrap();

    let out = site.build();
    let mut warnings = out.warnings();
    warnings.sort();
    assert_eq!(
        warnings,
        [
            "warning: static/a\\b.txt: the file name has a backslash; skipped (rename the file to publish it)",
            "warning: static/caf\u{fffd}.txt: the file name is not valid UTF-8; skipped (rename the file to publish it)",
            "warning: static/new\\nline.txt: the file name has a control character; skipped (rename the file to publish it)",
            "warning: static/x\\..\\..\\e: the file name has a backslash; skipped (rename the file to publish it)",
        ],
        "{}",
        out.stderr
    );
    assert!(site.exists("ok.txt"));
    let published: Vec<String> = site.snapshot_dir().into_keys().collect();
    for p in &published {
        assert!(
            !p.contains("b.txt")
                && !p.contains("line.txt")
                && !p.contains("caf")
                && p != "e"
                && !p.ends_with("/e"),
            "an odd name was published as {p:?}"
        );
    }
    let again = site.build();
    assert!(again.stdout.starts_with("up to date"), "{}", again.stdout);
}
