//! `laurel serve`: the site over HTTP from memory, live reload over
//! server-sent events, the error overlay's data, and what the server refuses
//! (other methods, paths outside the site, the network by default), and
//! the clients it does not wait for (half a request, thousands of sockets).

use std::io::{Read as _, Write as _};
use std::net::TcpStream;

use crate::http::{EventStream, Response, get, request, send_raw, split_url};
use crate::support::{
    ARRIVAL, Line, PATIENCE, Running, SITE_YAML, STILL_SERVING, Stream, TestSite, WU_YANG, entry,
    snapshot,
};

/// A running `laurel serve --port 0` and the address it printed.
struct Server {
    process: Running,
    /// `http://127.0.0.1:PORT/column/`
    url: String,
    /// `127.0.0.1:PORT`
    addr: String,
}

impl Server {
    #[track_caller]
    fn start(site: &TestSite, extra: &[&str]) -> Server {
        let mut args = vec!["serve", "--port", "0"];
        args.extend_from_slice(extra);
        Server::attach(site.spawn(&args))
    }

    /// The server `process` (a `serve --port 0`), once it is serving.
    #[track_caller]
    fn attach(process: Running) -> Server {
        let i = process.wait_for(0, "the `serving` line", |l| {
            l.stream == Stream::Stdout && l.text.starts_with("serving ")
        });
        let line = process.lines_since(i).remove(0).text;
        let url = line["serving ".len()..]
            .split(' ')
            .next()
            .expect("a URL")
            .to_string();
        assert_eq!(
            line,
            format!("serving {url} (Ctrl-C to stop)"),
            "{}",
            process.transcript()
        );
        let (addr, _) = split_url(&url);
        Server { process, url, addr }
    }

    /// GET a path below the site's URL (`diary/arrival/`).
    #[track_caller]
    fn get(&self, rel: &str) -> Response {
        get(&format!("{}{rel}", self.url))
    }

    /// Opens the live-reload stream, as the injected script does.
    #[track_caller]
    fn live(&self) -> EventStream {
        EventStream::open(&format!("{}__laurel/live", self.url))
    }

    /// Polls `rel` until `ok` holds. A `reload` means the new site is in
    /// place, but one save can be seen as two rebuilds (the first of a
    /// half-written file), so the test waits for the state it expects.
    #[track_caller]
    fn until(&self, rel: &str, what: &str, ok: impl Fn(&Response) -> bool) -> Response {
        let deadline = std::time::Instant::now() + PATIENCE;
        loop {
            let r = self.get(rel);
            if ok(&r) {
                return r;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "{rel} never showed {what}; last answer {}:\n{}\nlaurel printed:\n{}",
                r.status,
                String::from_utf8_lossy(&r.body),
                self.process.transcript()
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }
}

/// The `<h1>` text of a page.
fn h1(html: &str) -> &str {
    let start = html
        .find("<h1")
        .and_then(|i| html[i..].find('>').map(|j| i + j + 1));
    let Some(start) = start else { return "" };
    let end = html[start..]
        .find("</h1>")
        .map_or(html.len(), |j| start + j);
    &html[start..end]
}

/// The injected live-reload script, from its opening tag to its closing one.
const SCRIPT_START: &str = "<script>/* laurel live reload */";

/// A served page with the injected script cut out (and whether it was there).
fn without_script(html: &str) -> Option<String> {
    let start = html.find(SCRIPT_START)?;
    let end = html[start..].find("</script>")? + start + "</script>".len();
    Some(format!("{}{}", &html[..start], &html[end..]))
}

#[test]
fn serve_prints_a_local_url_and_serves_the_site_from_memory() {
    let site = TestSite::new();
    let server = Server::start(&site, &[]);
    assert!(
        server.url.starts_with("http://127.0.0.1:") && server.url.ends_with("/column/"),
        "{}",
        server.url
    );
    let lines = server.process.lines_since(0);
    let first = lines
        .iter()
        .find(|l| l.stream == Stream::Stdout)
        .expect("a first line");
    assert!(
        first.text.starts_with("built ") && first.text.contains(" from 1 entry and 1 person"),
        "{}",
        first.text
    );

    let home = server.get("");
    assert_eq!(home.status, 200);
    assert!(
        home.text().contains("<title>测试专栏</title>"),
        "{}",
        home.text()
    );
    let page = server.get("diary/arrival/");
    assert_eq!(page.status, 200);
    assert_eq!(h1(&page.text()), "抵达");
    assert!(
        !site.path("public").exists(),
        "serve wrote an output folder"
    );
}

#[test]
fn served_pages_are_the_built_pages_plus_only_the_reload_script() {
    let site = TestSite::new();
    site.file("static/notes.txt", "静态文件\n");
    let server = Server::start(&site, &[]);
    // The same site built for the server's address: serve points absolute
    // links (feeds, canonical) at itself, and changes nothing else.
    let built_dir = tempfile::tempdir().expect("temp dir");
    let out = built_dir.path().join("public");
    site.run(&[
        "build",
        "--base-url",
        &server.url,
        "--output",
        out.to_str().unwrap(),
    ])
    .assert_ok();
    let built = snapshot(&out);
    let mut pages = 0;
    for (path, bytes) in &built {
        if path.ends_with('/') || path == ".laurel-output" {
            continue;
        }
        let served = server.get(path);
        assert_eq!(served.status, 200, "{path}");
        if path.ends_with(".html") {
            pages += 1;
            let built = String::from_utf8(bytes.clone()).expect("UTF-8 page");
            assert!(
                !built.contains("__laurel") && !built.contains("live reload"),
                "`build` output has the reload script: {path}"
            );
            let served = served.text();
            assert!(
                served.contains(&format!("\"{}__laurel/live\"", "/column/")),
                "{path} has no reload script:\n{served}"
            );
            assert_eq!(
                without_script(&served).as_deref(),
                Some(built.as_str()),
                "{path}: served page differs from the built one beyond the script"
            );
            assert!(
                served.find(SCRIPT_START) < served.rfind("</body>"),
                "{path}: the script is not inside <body>"
            );
        } else {
            assert_eq!(&served.body, bytes, "{path} served differs from built");
        }
    }
    assert!(pages >= 8, "only {pages} pages built");

    // Directory URLs serve their index page.
    for dir in ["", "diary/arrival/", "people/", "people/wu-yang/", "tags/"] {
        let by_dir = server.get(dir);
        let by_file = server.get(&format!("{dir}index.html"));
        assert_eq!(by_dir.status, 200, "{dir}");
        assert_eq!(by_dir.body, by_file.body, "{dir} is not {dir}index.html");
    }
}

#[test]
fn content_types_name_utf8_for_text() {
    let site = TestSite::new();
    let server = Server::start(&site, &[]);
    for (path, expected) in [
        ("", "text/html; charset=utf-8"),
        ("diary/arrival/index.html", "text/html; charset=utf-8"),
        ("style.css", "text/css; charset=utf-8"),
        ("sitemap.xml", "text/xml; charset=utf-8"),
        ("rss.xml", "application/rss+xml; charset=utf-8"),
        ("robots.txt", "text/plain; charset=utf-8"),
        ("nope/", "text/html; charset=utf-8"),
    ] {
        let r = server.get(path);
        assert_eq!(r.header("content-type"), Some(expected), "{path}");
        let len: usize = r
            .header("content-length")
            .expect("a length")
            .parse()
            .unwrap();
        assert_eq!(len, r.body.len(), "{path}");
    }
}

#[test]
fn only_get_and_head_are_allowed() {
    let site = TestSite::new();
    let server = Server::start(&site, &[]);
    let page = server.get("diary/arrival/");
    for method in ["POST", "PUT", "DELETE", "PATCH"] {
        let r = request(&server.addr, method, "/column/diary/arrival/");
        assert_eq!(r.status, 405, "{method}");
        assert_eq!(r.header("allow"), Some("GET, HEAD"), "{method}");
    }
    let head = request(&server.addr, "HEAD", "/column/diary/arrival/");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty(), "HEAD sent a body");
    assert_eq!(
        head.header("content-length"),
        Some(page.body.len().to_string().as_str())
    );
    assert_eq!(head.header("content-type"), page.header("content-type"));
    let missing = request(&server.addr, "HEAD", "/column/nope/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.is_empty(), "HEAD sent a body");
}

#[test]
fn a_missing_path_is_404_with_the_sites_404_page() {
    let site = TestSite::new();
    let server = Server::start(&site, &[]);
    let page_404 = server.get("404.html");
    assert_eq!(page_404.status, 200);
    assert!(page_404.text().contains("<main"), "{}", page_404.text());
    for path in [
        "/column/nope/",
        "/column/diary/nope/",
        "/column/nope.css",
        "/elsewhere/",
    ] {
        let r = request(&server.addr, "GET", path);
        assert_eq!(r.status, 404, "{path}");
        assert_eq!(r.body, page_404.body, "{path} is not the site's 404 page");
    }
}

#[test]
fn folders_without_slash_and_the_bare_prefix_redirect() {
    let site = TestSite::new();
    let server = Server::start(&site, &[]);
    for (path, to) in [
        ("/", "/column/"),
        ("/column", "/column/"),
        ("/column/diary/arrival", "/column/diary/arrival/"),
        ("/column/people", "/column/people/"),
    ] {
        let r = request(&server.addr, "GET", path);
        assert_eq!(r.status, 301, "{path}");
        assert_eq!(r.header("location"), Some(to), "{path}");
    }
}

#[test]
fn requests_cannot_reach_files_outside_the_site() {
    let site = TestSite::nested();
    site.outside("canary.txt", "CANARY-BESIDE-THE-SITE\n");
    site.file(
        "site.yaml",
        "# CANARY-SITE-YAML\ntitle: 测试专栏\nbase_url: https://example.org/column/\n",
    );
    site.file(
        "content/people/wu-yang.yaml",
        &format!("{WU_YANG}private:\n  phone: CANARY-PRIVATE\n"),
    );
    let server = Server::start(&site, &[]);
    let page_404 = server.get("404.html").body;
    let absolute = format!("http://{}/column/../canary.txt", server.addr);
    let targets = [
        "/column/../canary.txt",
        "/column/../../canary.txt",
        "/column/../site.yaml",
        "/column/../site/site.yaml",
        "/column/diary/../../../canary.txt",
        "/column/%2e%2e/canary.txt",
        "/column/%2E%2E/%2e%2e/canary.txt",
        "/column/%2e%2e/site.yaml",
        "/column/..%2fcanary.txt",
        "/column/..%2f..%2fcanary.txt",
        "/column/%2e%2e%2f%2e%2e%2fcanary.txt",
        "/column/..%5ccanary.txt",
        "/column/..%5c..%5ccanary.txt",
        "/column/%2e%2e%5csite.yaml",
        "/column/..\\..\\canary.txt",
        "/column/%2f..%2fcanary.txt",
        "/column/.%2e/canary.txt",
        "/column/%00/../canary.txt",
        "/../canary.txt",
        "/%2e%2e/canary.txt",
        "/column/site.yaml",
        "/column/content/people/wu-yang.yaml",
        "/column/../content/people/wu-yang.yaml",
        absolute.as_str(),
    ];
    for target in targets {
        let r = send_raw(
            &server.addr,
            &format!(
                "GET {target} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
                server.addr
            ),
            false,
        );
        let body = String::from_utf8_lossy(&r.body);
        for canary in [
            "CANARY-BESIDE-THE-SITE",
            "CANARY-SITE-YAML",
            "CANARY-PRIVATE",
        ] {
            assert!(!body.contains(canary), "{target} leaked {canary}:\n{body}");
        }
        assert_eq!(r.status, 404, "{target}");
        assert_eq!(r.body, page_404, "{target} is not the site's 404 page");
    }
}

/// Renames the arrival entry to 抵达武汉; waits for the reload and the page.
fn retitle_arrival(site: &TestSite, server: &Server, live: &EventStream) {
    site.file(
        "content/diary/2020-02-10-arrival.md",
        &ARRIVAL.replace("title: 抵达", "title: 抵达武汉"),
    );
    live.wait_for("reload");
    server.until("diary/arrival/", "the new title", |r| {
        h1(&r.text()) == "抵达武汉"
    });
}

#[test]
fn edits_on_disk_reload_the_page_and_change_the_responses() {
    let site = TestSite::new();
    let server = Server::start(&site, &[]);
    let live = server.live();

    // Edit an entry's title.
    retitle_arrival(&site, &server, &live);
    assert!(server.get("").text().contains("抵达武汉"));

    // Add an entry.
    site.file(
        "content/diary/2020-02-11-night.md",
        &entry(
            "title: 夜班\ndate: 2020-02-11 22:00\nauthor: wu-yang",
            "夜里。\n",
        ),
    );
    live.wait_for("reload");
    server.until("diary/night/", "the new entry", |r| r.status == 200);
    assert_eq!(h1(&server.get("diary/night/").text()), "夜班");
    assert!(server.get("").text().contains("夜班"));

    // Rename its file: the URL follows the file name.
    std::fs::rename(
        site.path("content/diary/2020-02-11-night.md"),
        site.path("content/diary/2020-02-11-late-shift.md"),
    )
    .unwrap();
    live.wait_for("reload");
    server.until("diary/late-shift/", "the renamed entry", |r| {
        r.status == 200
    });
    server.until("diary/night/", "404 at the old URL", |r| r.status == 404);

    // Delete it.
    site.remove("content/diary/2020-02-11-late-shift.md");
    live.wait_for("reload");
    server.until("diary/late-shift/", "404 after deletion", |r| {
        r.status == 404
    });
    assert!(!server.get("").text().contains("夜班"));

    // Edit a profile.
    site.file(
        "content/people/wu-yang.yaml",
        &WU_YANG.replace("role: 护士", "role: 护士长"),
    );
    live.wait_for("reload");
    server.until("people/wu-yang/", "the new role", |r| {
        r.text().contains("护士长")
    });

    // Add a person, rename the profile, delete it.
    site.file(
        "content/people/dai-xiaohong.yaml",
        "name: 代晓红\nrole: 护士长\nbatch: 2\n",
    );
    live.wait_for("reload");
    server.until("people/dai-xiaohong/", "the new person", |r| {
        r.status == 200
    });
    assert!(server.get("people/").text().contains("代晓红"));
    std::fs::rename(
        site.path("content/people/dai-xiaohong.yaml"),
        site.path("content/people/dai-xh.yaml"),
    )
    .unwrap();
    live.wait_for("reload");
    server.until("people/dai-xh/", "the renamed person", |r| r.status == 200);
    server.until("people/dai-xiaohong/", "404 at the old id", |r| {
        r.status == 404
    });
    site.remove("content/people/dai-xh.yaml");
    live.wait_for("reload");
    server.until("people/dai-xh/", "404 after deletion", |r| r.status == 404);
    assert!(!server.get("people/").text().contains("代晓红"));
}

#[test]
fn a_broken_edit_sends_the_error_and_keeps_the_last_good_site() {
    let site = TestSite::new();
    let server = Server::start(&site, &[]);
    let live = server.live();
    let before = server.get("diary/arrival/").body;

    // Line 3, column 7: the date's value.
    site.file(
        "content/diary/2020-02-10-arrival.md",
        &ARRIVAL
            .replace("title: 抵达", "title: 坏的")
            .replace("2020-02-10 21:30", "2020-02-30 21:30"),
    );
    let (_, error) = live.wait_for("build-error");
    assert!(
        error
            .data
            .contains("content/diary/2020-02-10-arrival.md:3:7: invalid date"),
        "{}",
        error.data
    );
    // The overlay shows the line, with a caret under the date.
    assert!(
        error
            .data
            .contains("\n  |\n3 | date: 2020-02-30 21:30\n  |       ^\n  hint: "),
        "{}",
        error.data
    );
    // The terminal shows the same block, and the last good site stays.
    let i = server
        .process
        .wait_for(0, "the error block", |l| l.is_failure());
    let stderr: Vec<String> = server
        .process
        .lines_since(0)
        .into_iter()
        .take(i + 1)
        .filter(|l| l.stream == Stream::Stderr)
        .map(|l| l.text)
        .collect();
    assert!(
        stderr
            .iter()
            .any(|l| l.starts_with("error: content/diary/2020-02-10-arrival.md:3:7: ")),
        "{stderr:?}"
    );
    assert!(
        stderr.iter().any(|l| l == "3 | date: 2020-02-30 21:30"),
        "{stderr:?}"
    );
    assert_eq!(stderr.last().map(String::as_str), Some(STILL_SERVING));
    assert_eq!(server.get("diary/arrival/").body, before);

    // A page opened while the build is broken shows the error at once.
    let late = server.live();
    let first = late
        .next(PATIENCE)
        .expect("an event for a page opened late");
    assert_eq!(first.name, "build-error");
    assert_eq!(first.data, error.data);

    // The fix reloads every open page.
    site.file(
        "content/diary/2020-02-10-arrival.md",
        &ARRIVAL.replace("title: 抵达", "title: 修好了"),
    );
    live.wait_for("reload");
    late.wait_for("reload");
    server.until("diary/arrival/", "the fixed title", |r| {
        h1(&r.text()) == "修好了"
    });
    // And a page opened now has nothing to show.
    let fresh = server.live();
    site.file(
        "content/diary/2020-02-10-arrival.md",
        &ARRIVAL.replace("title: 抵达", "title: 又改了"),
    );
    let (before_reload, _) = fresh.wait_for("reload");
    assert!(
        before_reload.iter().all(|e| e.name != "build-error"),
        "{before_reload:?}"
    );
}

#[test]
fn a_site_broken_at_start_shows_its_error_in_the_browser_and_reloads_when_fixed() {
    let site = TestSite::new();
    site.file(
        "content/diary/2020-02-10-arrival.md",
        &ARRIVAL.replace("2020-02-10 21:30", "2020-02-30 21:30"),
    );
    let server = Server::start(&site, &[]);
    // The browser opens the printed URL. There is no last good site yet, but
    // it must get a page that runs the live-reload script: one that shows
    // the error overlay and reloads itself once the site is fixed.
    let page = server.get("");
    let body = String::from_utf8_lossy(&page.body);
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8"),
        "{body}"
    );
    assert!(
        body.contains(SCRIPT_START),
        "no live-reload script while the first build is broken: {} {body:?}",
        page.status
    );
    let live = server.live();
    let first = live.next(PATIENCE).expect("the error at once");
    assert_eq!(first.name, "build-error");
    assert!(
        first
            .data
            .contains("content/diary/2020-02-10-arrival.md:3:7: invalid date"),
        "{}",
        first.data
    );
    site.file("content/diary/2020-02-10-arrival.md", ARRIVAL);
    live.wait_for("reload");
    server.until("diary/arrival/", "the fixed site", |r| r.status == 200);
}

#[test]
fn a_stylesheet_change_swaps_css_without_a_reload() {
    let site = TestSite::new();
    site.file("static/extra.css", "body { color: black; }\n");
    let server = Server::start(&site, &[]);
    let live = server.live();

    site.file("static/extra.css", "body { color: red; }\n");
    // Static files are served from disk: the `css` event, not the new
    // bytes, says that the rebuild is done.
    let (before, _) = live.wait_for("css");
    assert!(before.is_empty(), "a stylesheet change sent {before:?}");
    // Then a content edit, whose `reload` marks the end of the css rebuilds.
    site.file(
        "content/diary/2020-02-10-arrival.md",
        &ARRIVAL.replace("title: 抵达", "title: 标记"),
    );
    let (between, _) = live.wait_for("reload");
    assert!(
        between.iter().all(|e| e.name == "css"),
        "a stylesheet change sent {between:?}"
    );
    // The script swaps stylesheets by adding `?laurel=<time>` to their URL.
    let swapped = server.get("extra.css?laurel=1");
    assert_eq!(swapped.status, 200);
    assert_eq!(swapped.body, b"body { color: red; }\n");
    assert_eq!(
        swapped.header("content-type"),
        Some("text/css; charset=utf-8")
    );
}

#[test]
fn binding_all_interfaces_warns_on_stderr() {
    let site = TestSite::new();
    let server = Server::start(&site, &["--bind", "0.0.0.0"]);
    server.process.wait_for(0, "the network warning", |l| {
        l.stream == Stream::Stderr
            && l.text.starts_with("warning: listening on 0.0.0.0: ")
            && l.text.contains("--bind 127.0.0.1")
    });
    assert!(
        server.url.starts_with("http://127.0.0.1:"),
        "{}",
        server.url
    );
    assert_eq!(server.get("").status, 200);
}

#[test]
fn ctrl_c_stops_serve_with_exit_code_0() {
    let site = TestSite::new();
    let server = Server::start(&site, &[]);
    assert_eq!(server.get("").status, 200);
    let out = server.process.interrupt();
    out.assert_ok();
    assert!(
        !out.stderr.contains("warning"),
        "the default bind is local, without a warning:\n{}",
        out.stderr
    );
}

#[test]
fn serve_skips_odd_static_file_names_as_build_does() {
    let site = TestSite::new();
    site.file("static/ok.txt", "ok")
        .file("static/a\\b.txt", "backslash");
    let server = Server::start(&site, &[]);
    server.process.wait_for(0, "the odd-name warning", |l| {
        l.stream == Stream::Stderr
            && l.text
                == "warning: static/a\\b.txt: the file name has a backslash; skipped (rename the file to publish it)"
    });
    assert_eq!(server.get("ok.txt").status, 200);
    assert_eq!(server.get("a/b.txt").status, 404);
    assert_eq!(server.get("a%5Cb.txt").status, 404);
}

#[test]
fn a_non_ascii_base_url_path_is_served() {
    let site = TestSite::new();
    site.file(
        "site.yaml",
        "title: 测试专栏\nbase_url: https://example.org/专栏/\n",
    );
    let server = Server::start(&site, &[]);
    assert!(server.url.ends_with("/专栏/"), "{}", server.url);
    // Browsers send the path percent-encoded.
    let root = "/%E4%B8%93%E6%A0%8F/";
    let home = request(&server.addr, "GET", root);
    assert_eq!(home.status, 200, "{}", server.process.transcript());
    assert!(home.text().contains("抵达"));
    let entry = request(&server.addr, "GET", &format!("{root}diary/arrival/"));
    assert_eq!(entry.status, 200);
    assert!(entry.text().contains("今天抵达"));
    assert_eq!(
        request(&server.addr, "GET", &format!("{root}nope/")).status,
        404
    );
    let to_root = request(&server.addr, "GET", "/");
    assert_eq!(to_root.status, 301);
    assert_eq!(to_root.header("location"), Some(root));
    let to_slash = request(&server.addr, "GET", &format!("{root}diary/arrival"));
    assert_eq!(to_slash.status, 301);
    assert_eq!(
        to_slash.header("location"),
        Some(format!("{root}diary/arrival/").as_str())
    );
}

#[test]
fn static_files_are_streamed_with_ranges_head_and_etags() {
    let site = TestSite::new();
    let bytes: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
    site.bytes("static/media/clip.mp4", &bytes);
    let server = Server::start(&site, &[]);
    let target = "/column/media/clip.mp4";
    let with = |headers: &str, method: &str| {
        send_raw(
            &server.addr,
            &format!(
                "{method} {target} HTTP/1.1\r\nHost: {}\r\n{headers}Connection: close\r\n\r\n",
                server.addr
            ),
            method == "HEAD",
        )
    };

    let full = with("", "GET");
    assert_eq!(full.status, 200);
    assert_eq!(full.body, bytes);
    assert_eq!(full.header("accept-ranges"), Some("bytes"));
    assert_eq!(full.header("content-type"), Some("video/mp4"));
    let etag = full.header("etag").expect("an ETag").to_string();

    let head = with("", "HEAD");
    assert_eq!(head.status, 200);
    assert_eq!(head.header("content-length"), Some("300000"));
    assert!(head.body.is_empty());

    let part = with("Range: bytes=1000-1999\r\n", "GET");
    assert_eq!(part.status, 206);
    assert_eq!(part.header("content-range"), Some("bytes 1000-1999/300000"));
    assert_eq!(part.body, &bytes[1000..2000]);
    let tail = with("Range: bytes=-10\r\n", "GET");
    assert_eq!(tail.status, 206);
    assert_eq!(tail.body, &bytes[bytes.len() - 10..]);
    let open = with("Range: bytes=299990-\r\n", "GET");
    assert_eq!(open.status, 206);
    assert_eq!(open.body, &bytes[299_990..]);
    let outside = with("Range: bytes=300000-\r\n", "GET");
    assert_eq!(outside.status, 416);
    assert_eq!(outside.header("content-range"), Some("bytes */300000"));

    let same = with(&format!("If-None-Match: {etag}\r\n"), "GET");
    assert_eq!(same.status, 304);
    assert!(same.body.is_empty());
    let other = with("If-None-Match: \"something-else\"\r\n", "GET");
    assert_eq!(other.status, 200);
    assert_eq!(other.body, bytes);
}

/// A connection that sent the start of a request line and nothing more, as
/// a stalled client (or a port scanner holding sockets open) does.
#[track_caller]
fn half_request(addr: &str) -> TcpStream {
    let mut stream = TcpStream::connect(addr).unwrap_or_else(|e| panic!("connect {addr}: {e}"));
    stream
        .write_all(b"GET /column/ HT")
        .expect("send half a request");
    stream
}

/// Waits (up to [`PATIENCE`]) for the server to close `stream`; returns
/// what it sent before.
#[track_caller]
fn closed_by_server(mut stream: TcpStream, what: &str) -> Vec<u8> {
    stream.set_read_timeout(Some(PATIENCE)).expect("timeout");
    let mut got = Vec::new();
    match stream.read_to_end(&mut got) {
        Ok(_) => got,
        Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => got,
        Err(e) => panic!(
            "{what} is still open after {PATIENCE:?} ({e}); it received {:?}",
            String::from_utf8_lossy(&got)
        ),
    }
}

#[test]
fn a_request_head_that_never_ends_is_cut_off_but_open_pages_keep_their_reload_stream() {
    let site = TestSite::new();
    let server = Server::start(&site, &[]);
    let live = server.live();
    let half = half_request(&server.addr);
    // A keep-alive connection, idle after its answer.
    let mut idle = TcpStream::connect(&server.addr).expect("connect");
    idle.write_all(format!("GET /column/ HTTP/1.1\r\nHost: {}\r\n\r\n", server.addr).as_bytes())
        .expect("send a request");

    closed_by_server(half, "a connection with half a request line");
    let answered = closed_by_server(idle, "an idle keep-alive connection");
    assert!(
        answered.starts_with(b"HTTP/1.1 200 "),
        "{}",
        String::from_utf8_lossy(&answered)
    );
    // The live-reload stream outlived them: an open page still reloads.
    retitle_arrival(&site, &server, &live);
}

#[test]
fn connections_beyond_the_file_limit_wait_their_turn_and_rebuilds_go_on() {
    let site = TestSite::new();
    // 64 open files at most; request heads are cut off after 1 s (instead
    // of 10), so that the stalled connections are worked through quickly.
    let process = site.spawn_limited(
        64,
        &[("LAUREL_SERVE_HEADER_TIMEOUT_MS", "1000")],
        &["serve", "--port", "0"],
    );
    let server = Server::attach(process);
    let from = server.process.printed();
    // More stalled clients than the server has file descriptors.
    let stalled: Vec<TcpStream> = (0..100).map(|_| half_request(&server.addr)).collect();

    site.file(
        "content/diary/2020-02-10-arrival.md",
        &ARRIVAL.replace("title: 抵达", "title: 抵达武汉"),
    );
    let i = server.process.wait_for_outcome(from);
    assert!(
        server.process.lines_since(i)[0].is_rebuild(),
        "the rebuild failed while clients stalled:\n{}",
        server.process.transcript()
    );
    // A browser's request, queued behind the stalled ones, is answered.
    server.until("diary/arrival/", "the new title", |r| {
        h1(&r.text()) == "抵达武汉"
    });
    drop(stalled);
}

/// Lowers the open-file limit of the running process `pid`.
#[cfg(target_os = "linux")]
fn limit_open_files(pid: u32, limit: u64) {
    use rustix::process::{Pid, Resource, Rlimit, prlimit};
    let pid = Pid::from_raw(i32::try_from(pid).expect("a pid")).expect("a pid");
    let limit = Rlimit {
        current: Some(limit),
        maximum: Some(limit),
    };
    prlimit(Some(pid), Resource::Nofile, limit).expect("prlimit");
}

#[cfg(target_os = "linux")]
#[test]
fn a_rebuild_that_ran_out_of_file_descriptors_is_tried_again_once_some_are_free() {
    let site = TestSite::new();
    let server = Server::start(&site, &[]);
    let pid = server.process.pid();
    let open_files = || {
        std::fs::read_dir(format!("/proc/{pid}/fd"))
            .map(|d| d.count())
            .expect("list the server's files")
    };
    // The server started with a generous limit (its connection cap is sized
    // to that), then the system runs short: it may keep 40 files open.
    const LIMIT: usize = 40;
    limit_open_files(pid, LIMIT as u64);
    assert!(open_files() + 10 < LIMIT, "{} open", open_files());
    // Live-reload streams are long responses that no timeout ends, as from
    // many open tabs: more of them than the server has files for.
    let streams: Vec<TcpStream> = (0..LIMIT + 8)
        .map(|_| {
            let mut s = TcpStream::connect(&server.addr).expect("connect");
            let request = format!(
                "GET /column/__laurel/live HTTP/1.1\r\nHost: {}\r\n\r\n",
                server.addr
            );
            s.write_all(request.as_bytes()).expect("send a request");
            s
        })
        .collect();
    let deadline = std::time::Instant::now() + PATIENCE;
    while open_files() < LIMIT {
        assert!(
            std::time::Instant::now() < deadline,
            "the server holds only {} files",
            open_files()
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }

    let from = server.process.printed();
    site.file(
        "content/diary/2020-02-10-arrival.md",
        &ARRIVAL.replace("title: 抵达", "title: 抵达武汉"),
    );
    let is_note = |l: &Line| l.stream == Stream::Stderr && l.text.starts_with("note: ");
    let note = server.process.wait_for(from, "a note", is_note);
    assert!(
        server.process.lines_since(note)[0]
            .text
            .starts_with("note: out of file descriptors"),
        "{}",
        server.process.transcript()
    );
    // The tabs close; nobody saves again.
    drop(streams);
    server
        .process
        .wait_for(note, "the rebuild", Line::is_rebuild);
    server.until("diary/arrival/", "the edit made without files", |r| {
        h1(&r.text()) == "抵达武汉"
    });
    let lines = server.process.lines_since(from);
    assert_eq!(
        lines.iter().filter(|l| is_note(l)).count(),
        1,
        "one note, not one per try:\n{}",
        server.process.transcript()
    );
    assert!(
        !lines.iter().any(Line::is_failure),
        "running out of files was reported as a broken site:\n{}",
        server.process.transcript()
    );
    // The watcher still sees edits.
    site.file(
        "content/diary/2020-02-10-arrival.md",
        &ARRIVAL.replace("title: 抵达", "title: 又改了"),
    );
    server.until("diary/arrival/", "the next edit", |r| {
        h1(&r.text()) == "又改了"
    });
}

#[test]
fn served_entry_pages_have_a_copy_for_wechat_button_that_build_output_never_has() {
    let site = TestSite::new();
    let server = Server::start(&site, &[]);
    let page = server.get("diary/arrival/").text();
    assert!(page.contains("复制到公众号"), "{page}");
    assert!(
        page.contains("\"/column/__laurel/wechat/diary/arrival\""),
        "{page}"
    );
    assert!(page.contains("ClipboardItem"), "{page}");
    assert_eq!(page.matches("<script>").count(), 1, "one injected script");
    if let Some(problem) = script_syntax_error(&page) {
        panic!("the injected script does not parse: {problem}");
    }
    // Only entry pages have it.
    assert!(!server.get("").text().contains("复制到公众号"));
    assert!(
        !server
            .get("people/wu-yang/")
            .text()
            .contains("复制到公众号")
    );

    let rendition = server.get("__laurel/wechat/diary/arrival");
    assert_eq!(rendition.status, 200);
    assert_eq!(
        rendition.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    let html = rendition.text();
    assert!(html.contains("今天抵达。"), "{html}");
    assert!(
        !html.contains("class=") && !html.contains("<style"),
        "{html}"
    );
    assert!(!html.contains("live reload"), "nothing injected: {html}");
    assert_eq!(server.get("__laurel/wechat/nope").status, 404);

    site.build().assert_ok();
    let built = site.read("diary/arrival/index.html");
    assert!(!built.contains("复制到公众号") && !built.contains("__laurel"));
}

#[test]
fn the_copy_button_exports_for_the_published_site_and_follows_edits() {
    let site = TestSite::new();
    site.file(
        "content/diary/2020-02-10-arrival.md",
        &entry(
            "title: 抵达\ndate: 2020-02-10\nauthor: wu-yang",
            "今天抵达，见[英雄榜](/people/)。\n",
        ),
    );
    let server = Server::start(&site, &[]);
    let html = server.get("__laurel/wechat/diary/arrival").text();
    assert!(
        html.contains("https://example.org/column/people/"),
        "the published base_url, not the server's: {html}"
    );
    assert!(!html.contains("127.0.0.1"), "{html}");
    site.file(
        "content/diary/2020-02-10-arrival.md",
        &entry(
            "title: 抵达\ndate: 2020-02-10\nauthor: wu-yang",
            "改过的正文。\n",
        ),
    );
    server.until("__laurel/wechat/diary/arrival", "the edited body", |r| {
        r.text().contains("改过的正文。")
    });
}

/// What `node --check` says of the injected script, if it does not parse
/// (`None` also without node: the browser tests run it for real).
fn script_syntax_error(page: &str) -> Option<String> {
    let start = page.find(SCRIPT_START)? + "<script>".len();
    let end = page[start..].find("</script>")? + start;
    let dir = tempfile::tempdir().ok()?;
    let file = dir.path().join("injected.js");
    std::fs::write(&file, &page[start..end]).ok()?;
    let out = std::process::Command::new("node")
        .arg("--check")
        .arg(&file)
        .output()
        .ok()?;
    (!out.status.success()).then(|| String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn the_copy_button_follows_the_permalink_pattern() {
    let site = TestSite::new();
    site.file(
        "site.yaml",
        &format!("{SITE_YAML}permalinks: {{ entry: \"/diary/:year/:month/:slug/\" }}\n"),
    );
    let server = Server::start(&site, &[]);
    let page = server.get("diary/2020/02/arrival/").text();
    assert!(
        page.contains("\"/column/__laurel/wechat/diary/2020/02/arrival\""),
        "{page}"
    );
    let html = server.get("__laurel/wechat/diary/2020/02/arrival").text();
    assert!(html.contains("今天抵达。"), "{html}");
}
