//! `TestSite`: a tiny site in a temporary folder, driven through the real
//! `laurel` binary (after mdBook's `BookTest`). Each test starts from the
//! minimal valid site below and adds or breaks the files its behaviour needs.
//! [`Running`] is a `watch` or `serve` in the background, with what it prints
//! so far; it is killed when dropped, also when a test panics.

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::io::{BufRead as _, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// `base_url` of every test site: a path prefix, so prefix bugs show.
pub const BASE_URL: &str = "https://example.org/column/";

/// "Now" for every run, so future-entry cut-offs and `new entry` dates are fixed.
pub const NOW: &str = "2026-01-01T00:00:00+08:00";

pub const SITE_YAML: &str = "title: 测试专栏\nbase_url: https://example.org/column/\n";

pub const WU_YANG: &str = "name: 吴洋\nrole: 护士\nbatch: 1\ndeployed: 2020-02-09\n";

/// The one entry of the minimal site: `diary/arrival/`.
pub const ARRIVAL: &str =
    "---\ntitle: 抵达\ndate: 2020-02-10 21:30\nauthor: wu-yang\ntags: [nursing]\n---\n今天抵达。\n";

/// What one run of the binary showed the user.
#[derive(Debug)]
pub struct Output {
    /// Exit code (-1 if killed by a signal).
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    /// Panics with everything the user saw unless the run exited 0.
    #[track_caller]
    pub fn assert_ok(&self) -> &Self {
        assert_eq!(
            self.code, 0,
            "expected success\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    #[track_caller]
    pub fn assert_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code, code,
            "unexpected exit code\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    /// The `error: ...` lines of stderr (hints and the count line excluded).
    pub fn errors(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|l| l.starts_with("error: "))
            .collect()
    }

    /// The `warning: ...` lines of stderr.
    pub fn warnings(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|l| l.starts_with("warning: "))
            .collect()
    }
}

/// A site folder that lives as long as the test.
pub struct TestSite {
    dir: tempfile::TempDir,
    /// The site folder: the temp folder itself, or `site/` inside it.
    root: PathBuf,
}

impl TestSite {
    /// The minimal valid site: site.yaml, one person (`wu-yang`), one entry.
    pub fn new() -> TestSite {
        TestSite::empty().with_minimal_site()
    }

    fn with_minimal_site(self) -> TestSite {
        self.file("site.yaml", SITE_YAML)
            .file("content/people/wu-yang.yaml", WU_YANG)
            .file("content/diary/2020-02-10-arrival.md", ARRIVAL);
        self
    }

    /// An empty folder (for `init` and hand-made sites).
    pub fn empty() -> TestSite {
        let dir = tempfile::Builder::new()
            .prefix("laurel-test-")
            .tempdir()
            .expect("temp dir");
        let root = dir.path().to_path_buf();
        TestSite { dir, root }
    }

    /// The minimal valid site in `<temp>/site/`, so that tests can put files
    /// beside the site (see [`TestSite::outside`]) that must never be reached.
    pub fn nested() -> TestSite {
        let dir = tempfile::Builder::new()
            .prefix("laurel-test-")
            .tempdir()
            .expect("temp dir");
        let root = dir.path().join("site");
        std::fs::create_dir(&root).expect("create the site folder");
        TestSite { dir, root }.with_minimal_site()
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Writes a file beside the site folder (in the temp folder holding it).
    pub fn outside(&self, name: &str, text: &str) -> PathBuf {
        assert_ne!(
            self.root,
            self.dir.path(),
            "only nested sites have an outside"
        );
        let p = self.dir.path().join(name);
        std::fs::write(&p, text).unwrap_or_else(|e| panic!("cannot write {}: {e}", p.display()));
        p
    }

    /// Absolute path of a file of the site.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    /// Writes a text file (parents created), replacing any previous one.
    pub fn file(&self, rel: &str, text: &str) -> &Self {
        self.bytes(rel, text.as_bytes())
    }

    pub fn bytes(&self, rel: &str, bytes: &[u8]) -> &Self {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().expect("a parent")).expect("create parent folders");
        std::fs::write(&p, bytes).unwrap_or_else(|e| panic!("cannot write {}: {e}", p.display()));
        self
    }

    pub fn remove(&self, rel: &str) -> &Self {
        let p = self.path(rel);
        if p.is_dir() {
            std::fs::remove_dir_all(&p)
        } else {
            std::fs::remove_file(&p)
        }
        .unwrap_or_else(|e| panic!("cannot remove {}: {e}", p.display()));
        self
    }

    /// Runs `laurel --root <site> <args>` from the site folder.
    pub fn run(&self, args: &[&str]) -> Output {
        let root = self.root().to_str().expect("temp paths are UTF-8");
        let mut all = vec!["--root", root];
        all.extend_from_slice(args);
        laurel(self.root(), &all)
    }

    /// [`TestSite::run`] with environment variables set (`Some`) or removed (`None`).
    pub fn run_env(&self, env: &[(&str, Option<&OsStr>)], args: &[&str]) -> Output {
        let root = self.root().to_str().expect("temp paths are UTF-8");
        let mut all = vec!["--root", root];
        all.extend_from_slice(args);
        laurel_env(self.root(), env, &all)
    }

    /// Starts `laurel --root <site> <args>` (e.g. `watch`, `serve`) in the
    /// background; it is killed when the returned handle is dropped.
    pub fn spawn(&self, args: &[&str]) -> Running {
        let root = self.root().to_str().expect("temp paths are UTF-8");
        let mut command = Command::new(env!("CARGO_BIN_EXE_laurel"));
        command.args(["--root", root]).args(args);
        self.start(command)
    }

    /// [`TestSite::spawn`] allowed at most `files` open files (`ulimit -n`,
    /// set by `sh`, which then becomes laurel), with `env` set.
    pub fn spawn_limited(&self, files: u32, env: &[(&str, &str)], args: &[&str]) -> Running {
        let root = self.root().to_str().expect("temp paths are UTF-8");
        let mut command = Command::new("sh");
        command
            .arg("-c")
            .arg(format!("ulimit -n {files} && exec \"$0\" \"$@\""))
            .arg(env!("CARGO_BIN_EXE_laurel"))
            .args(["--root", root])
            .args(args)
            .envs(env.iter().copied());
        self.start(command)
    }

    fn start(&self, mut command: Command) -> Running {
        let mut child = command
            .current_dir(self.root())
            .env("LAUREL_NOW", NOW)
            .env("LAUREL_LANG", "en")
            .env_remove("RUST_LOG")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start laurel");
        let log = Arc::new(Log::default());
        let readers = vec![
            read_lines(child.stdout.take().expect("piped"), Stream::Stdout, &log),
            read_lines(child.stderr.take().expect("piped"), Stream::Stderr, &log),
        ];
        Running {
            child,
            log,
            readers,
        }
    }

    /// `laurel build` that must succeed.
    #[track_caller]
    pub fn build(&self) -> Output {
        let out = self.run(&["build"]);
        out.assert_ok();
        out
    }

    /// Text of a file under public/.
    #[track_caller]
    pub fn read(&self, public_path: &str) -> String {
        let p = self.path("public").join(public_path);
        std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()))
    }

    pub fn exists(&self, public_path: &str) -> bool {
        self.path("public").join(public_path).exists()
    }

    /// Every file under public/ with its bytes.
    pub fn snapshot_dir(&self) -> BTreeMap<String, Vec<u8>> {
        snapshot(&self.path("public"))
    }

    /// The published site: public/ without laurel's own `.laurel-output`
    /// marker, whose build manifest records input stamps (paths, times) that
    /// differ between two folders holding the same sources.
    pub fn site_snapshot(&self) -> BTreeMap<String, Vec<u8>> {
        let mut all = self.snapshot_dir();
        all.remove(".laurel-output");
        all
    }

    /// Every file of the whole site folder (sources, output, anything else).
    pub fn snapshot_all(&self) -> BTreeMap<String, Vec<u8>> {
        snapshot(self.root())
    }

    /// The HTML pages under public/ with their text.
    pub fn html_pages(&self) -> BTreeMap<String, String> {
        self.snapshot_dir()
            .into_iter()
            .filter(|(p, _)| p.ends_with(".html"))
            .map(|(p, b)| (p, String::from_utf8(b).expect("pages are UTF-8")))
            .collect()
    }
}

/// How long to wait for the binary to react to something: a ceiling for a
/// slow, busy machine, never a measurement.
pub const PATIENCE: Duration = Duration::from_secs(30);

/// What `watch` and `serve` print after a failed rebuild (the end of its error block).
pub const STILL_SERVING: &str =
    "(still serving the last good site; fix the problem and save again)";
/// The last line of a failed first build: there is no good site to keep.
pub const NOTHING_BUILT: &str = "(nothing built yet; fix the problem and save again)";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// One line a running `laurel` printed.
#[derive(Debug, Clone)]
pub struct Line {
    pub stream: Stream,
    pub text: String,
}

impl Line {
    /// The first line of a successful build or rebuild (`built ...`, `changed ...`).
    pub fn is_rebuild(&self) -> bool {
        self.stream == Stream::Stdout
            && (self.text.starts_with("built ") || self.text.starts_with("changed "))
    }

    /// The last line of a failed rebuild's error block.
    pub fn is_failure(&self) -> bool {
        self.stream == Stream::Stderr && (self.text == STILL_SERVING || self.text == NOTHING_BUILT)
    }

    /// Either: one rebuild has finished.
    pub fn is_outcome(&self) -> bool {
        self.is_rebuild() || self.is_failure()
    }
}

/// Everything a running process printed so far, in arrival order.
#[derive(Default)]
struct Log {
    state: Mutex<LogState>,
    grew: Condvar,
}

#[derive(Default)]
struct LogState {
    lines: Vec<Line>,
    closed: usize,
}

fn read_lines(pipe: impl Read + Send + 'static, stream: Stream, log: &Arc<Log>) -> JoinHandle<()> {
    let log = Arc::clone(log);
    std::thread::spawn(move || {
        for text in BufReader::new(pipe).lines() {
            let Ok(text) = text else { break };
            let mut state = log.state.lock().unwrap_or_else(|p| p.into_inner());
            state.lines.push(Line { stream, text });
            log.grew.notify_all();
        }
        let mut state = log.state.lock().unwrap_or_else(|p| p.into_inner());
        state.closed += 1;
        log.grew.notify_all();
    })
}

/// A `laurel watch` or `laurel serve` running in the background. Dropping it
/// kills the process (also when a test panics), so no test leaks one.
pub struct Running {
    child: Child,
    log: Arc<Log>,
    readers: Vec<JoinHandle<()>>,
}

impl Running {
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// How many lines it printed so far (an index for [`Running::wait_for`]).
    pub fn printed(&self) -> usize {
        self.log
            .state
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .lines
            .len()
    }

    /// The lines from index `from` on.
    pub fn lines_since(&self, from: usize) -> Vec<Line> {
        let state = self.log.state.lock().unwrap_or_else(|p| p.into_inner());
        state.lines.get(from..).unwrap_or_default().to_vec()
    }

    /// Everything printed so far, for failure messages.
    pub fn transcript(&self) -> String {
        self.lines_since(0)
            .iter()
            .map(|l| match l.stream {
                Stream::Stdout => format!("out| {}\n", l.text),
                Stream::Stderr => format!("err| {}\n", l.text),
            })
            .collect()
    }

    /// Waits for the first line at index `from` or later that matches;
    /// returns its index. Panics with the transcript after [`PATIENCE`] or
    /// when the process closed its output first.
    #[track_caller]
    pub fn wait_for(&self, from: usize, what: &str, matches: impl Fn(&Line) -> bool) -> usize {
        let deadline = Instant::now() + PATIENCE;
        let mut state = self.log.state.lock().unwrap_or_else(|p| p.into_inner());
        loop {
            if let Some(i) = (from..state.lines.len()).find(|&i| matches(&state.lines[i])) {
                return i;
            }
            let now = Instant::now();
            if state.closed == 2 || now >= deadline {
                let why = if state.closed == 2 {
                    "laurel exited"
                } else {
                    "timed out"
                };
                drop(state);
                panic!(
                    "{why} waiting for {what}; it printed:\n{}",
                    self.transcript()
                );
            }
            state = self
                .log
                .grew
                .wait_timeout(state, deadline - now)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
    }

    /// Waits for the next rebuild to finish (a rebuild line or an error
    /// block) at index `from` or later; returns its index.
    #[track_caller]
    pub fn wait_for_outcome(&self, from: usize) -> usize {
        self.wait_for(from, "a rebuild line or an error block", Line::is_outcome)
    }

    /// Sends SIGINT (what Ctrl-C sends) and waits for the process to exit.
    #[track_caller]
    pub fn interrupt(mut self) -> Output {
        let status = Command::new("kill")
            .args(["-INT", &self.pid().to_string()])
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -INT failed");
        let deadline = Instant::now() + PATIENCE;
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("wait for laurel") {
                break status;
            }
            assert!(
                Instant::now() < deadline,
                "laurel did not stop on SIGINT; it printed:\n{}",
                self.transcript()
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        for r in std::mem::take(&mut self.readers) {
            let _ = r.join();
        }
        let lines = self.lines_since(0);
        let text = |stream| {
            lines
                .iter()
                .filter(|l| l.stream == stream)
                .map(|l| format!("{}\n", l.text))
                .collect::<String>()
        };
        Output {
            code: status.code().unwrap_or(-1),
            stdout: text(Stream::Stdout),
            stderr: text(Stream::Stderr),
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
        for r in std::mem::take(&mut self.readers) {
            let _ = r.join();
        }
    }
}

/// Runs the real binary with a fixed "now".
pub fn laurel(cwd: &Path, args: &[&str]) -> Output {
    laurel_at(cwd, NOW, args)
}

/// [`laurel`] with the clock set to `now` (RFC 3339).
pub fn laurel_at(cwd: &Path, now: &str, args: &[&str]) -> Output {
    laurel_env(cwd, &[("LAUREL_NOW", Some(OsStr::new(now)))], args)
}

/// [`laurel`] with environment variables set (`Some`) or removed (`None`).
pub fn laurel_env(cwd: &Path, env: &[(&str, Option<&OsStr>)], args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_laurel"));
    cmd.args(args)
        .current_dir(cwd)
        .env("LAUREL_NOW", NOW)
        // Messages in English unless a test asks for the site's language
        // (`("LAUREL_LANG", None)`) or for Chinese.
        .env("LAUREL_LANG", "en")
        .env_remove("RUST_LOG");
    for (key, value) in env {
        match value {
            Some(v) => cmd.env(key, v),
            None => cmd.env_remove(key),
        };
    }
    let out = cmd.output().expect("run laurel");
    Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Every file below `dir` (relative `/`-separated path → bytes); symlinks are
/// listed with their target instead of being followed. Empty when `dir` is missing.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        let Ok(items) = std::fs::read_dir(dir) else {
            return;
        };
        for item in items {
            let item = item.expect("read dir entry");
            let path = item.path();
            let rel = path
                .strip_prefix(base)
                .expect("below base")
                .to_string_lossy()
                .replace('\\', "/");
            let ty = item.file_type().expect("file type");
            if ty.is_symlink() {
                let target = std::fs::read_link(&path).expect("read link");
                out.insert(rel, format!("-> {}", target.display()).into_bytes());
            } else if ty.is_dir() {
                out.insert(format!("{rel}/"), Vec::new());
                walk(base, &path, out);
            } else {
                out.insert(rel, std::fs::read(&path).expect("read file"));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// The `<main>` element of a page: what the page is about, without the chrome.
#[track_caller]
pub fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("page has a <main>");
    let end = html[start..].find("</main>").expect("<main> is closed") + start + "</main>".len();
    &html[start..end]
}

/// The `<article>` of a list page that links to `url` (an entry card).
#[track_caller]
pub fn card_linking_to<'a>(html: &'a str, url: &str) -> &'a str {
    let href = format!("href=\"{url}\"");
    let main = main_of(html);
    main.split("<article")
        .skip(1)
        .map(|chunk| chunk.split("</article>").next().unwrap_or(chunk))
        .find(|card| card.contains(&href))
        .unwrap_or_else(|| panic!("no card links to {url} in:\n{main}"))
}

/// The text content of an element: tags removed, whitespace collapsed.
pub fn text_of(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Values of every `attr="..."` in `html`.
pub fn attr_values<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let needle = format!(" {attr}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&needle) {
        let start = i + needle.len();
        let len = rest[start..].find('"').expect("attribute is closed");
        out.push(&rest[start..start + len]);
        rest = &rest[start + len..];
    }
    out
}

/// Parses a feed file with feed-rs (a strict, independent reader).
#[track_caller]
pub fn parse_feed(site: &TestSite, public_path: &str) -> feed_rs::model::Feed {
    let xml = site.read(public_path);
    feed_rs::parser::parse(xml.as_bytes())
        .unwrap_or_else(|e| panic!("{public_path} does not parse: {e}\n{xml}"))
}

/// An entry file's text from its front matter lines and body.
pub fn entry(front_matter: &str, body: &str) -> String {
    format!("---\n{front_matter}\n---\n{body}")
}

/// Undoes the HTML escaping of text (the entities escapers produce).
pub fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&#x2F;", "/")
        .replace("&#47;", "/")
        .replace("&amp;", "&")
}

/// The `<title>` of a page, unescaped.
#[track_caller]
pub fn page_title(html: &str) -> String {
    let start = html.find("<title>").expect("page has a <title>") + "<title>".len();
    let len = html[start..].find("</title>").expect("<title> is closed");
    unescape(&html[start..start + len])
}

// --- real clients ---------------------------------------------------------
//
// Some tests hand laurel's output to the programs that judge it in the wild:
// the Nu HTML checker (vnu, a Java program from npm's `vnu-jar`) and Python's
// feedparser. On a machine without them those tests say so and pass; under
// CI=true a missing client fails the test, so CI never skips them silently.

/// Whether a real client is there; `false` means "skip this test" (with a
/// note on stderr). Under CI=true a missing client is a failure.
#[track_caller]
#[allow(clippy::print_stderr)] // the one place a test tells why it did nothing
pub fn real_client(name: &str, found: bool, install: &str) -> bool {
    if found {
        return true;
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "{name} is missing and CI=true: {install}"
    );
    eprintln!("skipped: {name} is not installed ({install})");
    false
}

/// The `vnu.jar` that tests hand to `laurel check --strict`: `LAUREL_VNU_JAR`,
/// else the one `cd tests/browser && npm ci` installs; `None` without it or
/// without `java`.
pub fn vnu_jar() -> Option<PathBuf> {
    let jar = std::env::var_os("LAUREL_VNU_JAR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/browser/node_modules/vnu-jar/build/dist/vnu.jar")
        });
    (jar.is_file() && has_java()).then_some(jar)
}

/// epubcheck's jar (Debian's `epubcheck` package installs it there), or
/// `LAUREL_EPUBCHECK_JAR`; `None` without it or without `java`.
pub fn epubcheck_jar() -> Option<PathBuf> {
    let jar = std::env::var_os("LAUREL_EPUBCHECK_JAR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/share/java/epubcheck.jar"));
    (jar.is_file() && has_java()).then_some(jar)
}

/// Whether `java` runs.
fn has_java() -> bool {
    Command::new("java")
        .arg("-version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Whether `python3` can import feedparser.
pub fn has_feedparser() -> bool {
    Command::new("python3")
        .args(["-c", "import feedparser"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// What feedparser (the parser of many feed readers) makes of a feed under
/// public/: `{bozo, bozo_exception, feed: {title, link}, entries: [{title,
/// link, id, published, summary, content}]}`, dates as RFC 3339 in UTC.
#[track_caller]
pub fn feedparser(site: &TestSite, public_path: &str) -> serde_json::Value {
    const SCRIPT: &str = r#"
import calendar, datetime, json, sys
import feedparser
d = feedparser.parse(open(sys.argv[1], "rb").read())
def date(t):
    if not t:
        return None
    return datetime.datetime.fromtimestamp(calendar.timegm(t), datetime.timezone.utc).isoformat()
json.dump({
    "bozo": bool(d.bozo),
    "bozo_exception": str(d.get("bozo_exception", "")),
    "feed": {"title": d.feed.get("title"), "link": d.feed.get("link")},
    "entries": [{
        "title": e.get("title"),
        "link": e.get("link"),
        "id": e.get("id"),
        "published": date(e.get("published_parsed")),
        "summary": e.get("summary"),
        "content": e.content[0].value if e.get("content") else None,
    } for e in d.entries],
}, sys.stdout, ensure_ascii=False)
"#;
    let path = site.path("public").join(public_path);
    let out = Command::new("python3")
        .arg("-c")
        .arg(SCRIPT)
        .arg(&path)
        .output()
        .expect("run python3");
    assert!(
        out.status.success(),
        "feedparser failed on {public_path}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("the script prints JSON")
}
