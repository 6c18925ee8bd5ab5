//! `laurel check --strict`: the rendered site judged by the real clients,
//! when they are installed: every page by the Nu HTML checker (vnu, the
//! validator behind validator.w3.org) and every feed by feedparser (the
//! parser of many feed readers). This module owns finding those tools,
//! running each once over a temporary copy of the rendered pages and feeds,
//! and turning what they say into located problems. It does not render: the
//! files come from [`super::check`].
//!
//! The tools are other programs, found at run time; laurel depends on neither.
//! A tool that is missing is reported with how to install it, never skipped
//! silently.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context as _, bail};
use serde::Deserialize;

use crate::diag::SourceError;
use crate::output::Scratch;

/// The feed check, run as `python3 -c SCRIPT PUBLIC_DIR BASE_URL`.
const FEED_SCRIPT: &str = include_str!("check_feeds.py");

/// The environment variable that names a `vnu.jar` to run with `java`.
pub const VNU_JAR_VAR: &str = "LAUREL_VNU_JAR";

/// Where npm puts the jar: `npm install vnu-jar` in the site folder (or above).
const NPM_JAR: &str = "node_modules/vnu-jar/build/dist/vnu.jar";

/// A validator that `--strict` needs and could not find.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingTool {
    /// The tool's name as users know it: `vnu`, `feedparser`.
    pub tool: &'static str,
    /// What was looked for and not found.
    pub why: String,
    /// How to install it.
    pub install: &'static str,
}

impl fmt::Display for MissingTool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "--strict needs {}, which is not installed: {}\n  hint: {}",
            self.tool, self.why, self.install
        )
    }
}

impl MissingTool {
    /// The problem in `lang` (what was looked for stays in the tool's words).
    pub fn shown(&self, lang: crate::diag::Lang) -> String {
        match lang {
            crate::diag::Lang::En => self.to_string(),
            crate::diag::Lang::Zh => format!(
                "--strict 需要 {}，但它没有安装：{}\n  提示：{}",
                self.tool,
                self.why,
                match self.tool {
                    "vnu" => VNU_INSTALL_ZH,
                    _ => FEEDPARSER_INSTALL_ZH,
                }
            ),
        }
    }
}

const VNU_INSTALL_ZH: &str = "在网站文件夹里用 `npm install vnu-jar` 安装 Nu HTML 检查器\
     （需要 Java 17 或更新版本，例如 `apt-get install openjdk-17-jre-headless`），\
     或把 LAUREL_VNU_JAR 设为一个 vnu.jar";
const FEEDPARSER_INSTALL_ZH: &str = "用 `python3 -m pip install feedparser` 安装它";
const VNU_INSTALL: &str = "install the Nu HTML checker with `npm install vnu-jar` in the site folder \
     (it needs Java 17 or newer, e.g. `apt-get install openjdk-17-jre-headless`), \
     or set LAUREL_VNU_JAR to a vnu.jar";
const FEEDPARSER_INSTALL: &str = "install it with `python3 -m pip install feedparser`";

/// How to start the Nu HTML checker.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Vnu {
    /// `java -jar vnu.jar`
    Jar { java: PathBuf, jar: PathBuf },
    /// A `vnu` program on PATH (the runtime image, or npm's `vnu` wrapper).
    Program(PathBuf),
}

/// The validators found on this machine.
#[derive(Debug, Clone)]
pub struct Tools {
    vnu: Result<Vnu, MissingTool>,
    /// The Python that can `import feedparser`.
    feedparser: Result<PathBuf, MissingTool>,
}

impl Tools {
    /// Looks for vnu and feedparser. vnu: the jar named by `LAUREL_VNU_JAR`,
    /// else `node_modules/vnu-jar` in the site folder, the current folder or
    /// one above them (each run with `java` from PATH or JAVA_HOME), else a
    /// `vnu` program on PATH. feedparser: `python3` (or `python`) on PATH
    /// that can import it.
    pub fn find(site_root: &Path) -> Tools {
        Tools {
            vnu: find_vnu(site_root),
            feedparser: find_feedparser(),
        }
    }

    /// The tools that were not found, with how to install each.
    pub fn missing(&self) -> Vec<&MissingTool> {
        [self.vnu.as_ref().err(), self.feedparser.as_ref().err()]
            .into_iter()
            .flatten()
            .collect()
    }
}

fn find_vnu(site_root: &Path) -> Result<Vnu, MissingTool> {
    let missing = |why: String| MissingTool {
        tool: "vnu",
        why,
        install: VNU_INSTALL,
    };
    let jar = match std::env::var_os(VNU_JAR_VAR) {
        Some(jar) => {
            let jar = PathBuf::from(jar);
            if !jar.is_file() {
                return Err(missing(format!(
                    "{VNU_JAR_VAR} is {}, which is not a file",
                    jar.display()
                )));
            }
            Some(jar)
        }
        None => npm_jar(site_root),
    };
    if let Some(jar) = jar {
        return match find_java() {
            Some(java) => Ok(Vnu::Jar { java, jar }),
            None => Err(missing(format!(
                "found {} but no `java` to run it (looked on PATH and in JAVA_HOME)",
                jar.display()
            ))),
        };
    }
    if let Some(program) = on_path("vnu") {
        return Ok(Vnu::Program(program));
    }
    Err(missing(format!(
        "no {VNU_JAR_VAR}, no {NPM_JAR} in the site folder, the current folder or above, \
         and no `vnu` on PATH"
    )))
}

/// `node_modules/vnu-jar`'s jar in the site folder, the current folder, or
/// a folder above either (where npm would install it for a project).
fn npm_jar(site_root: &Path) -> Option<PathBuf> {
    let cwd = std::env::current_dir().ok();
    let starts = [std::path::absolute(site_root).ok(), cwd];
    starts
        .iter()
        .flatten()
        .flat_map(|start| start.ancestors())
        .map(|dir| dir.join(NPM_JAR))
        .find(|jar| jar.is_file())
}

fn find_java() -> Option<PathBuf> {
    on_path("java").or_else(|| {
        let home = PathBuf::from(std::env::var_os("JAVA_HOME")?);
        let java = home.join("bin").join(exe("java"));
        java.is_file().then_some(java)
    })
}

fn find_feedparser() -> Result<PathBuf, MissingTool> {
    let pythons: Vec<PathBuf> = ["python3", "python"]
        .into_iter()
        .filter_map(on_path)
        .collect();
    let Some(first) = pythons.first() else {
        return Err(MissingTool {
            tool: "feedparser",
            why: "no `python3` on PATH".to_string(),
            install: "install Python 3, then `python3 -m pip install feedparser`",
        });
    };
    for python in &pythons {
        let ok = Command::new(python)
            .args(["-c", "import feedparser"])
            .output()
            .is_ok_and(|o| o.status.success());
        if ok {
            return Ok(python.clone());
        }
    }
    Err(MissingTool {
        tool: "feedparser",
        why: format!("`{} -c 'import feedparser'` failed", first.display()),
        install: FEEDPARSER_INSTALL,
    })
}

/// A program on PATH, like `command -v`.
fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(exe(name)))
        .find(|p| is_executable(p))
}

fn exe(name: &str) -> String {
    format!("{name}{}", std::env::consts::EXE_SUFFIX)
}

#[cfg(unix)]
fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt as _;
    p.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(p: &Path) -> bool {
    p.is_file()
}

/// What the validators that ran found.
#[derive(Debug, Default)]
pub struct Validated {
    /// One line per tool that ran, e.g. `vnu: 57 pages are valid HTML`.
    pub passed: Vec<crate::diag::Msg>,
    /// Errors, located in the rendered file (`(rendered) diary/a/index.html:12:5`).
    pub errors: Vec<SourceError>,
    /// vnu's warnings: shown, not failures.
    pub warnings: Vec<SourceError>,
}

/// Runs every tool in `tools` that was found over the rendered `pages`
/// (`.html`) and `feeds` (`rss.xml`, `atom.xml`), keyed by their output path.
pub fn validate(
    tools: &Tools,
    pages: &BTreeMap<String, String>,
    feeds: &BTreeMap<String, Vec<u8>>,
    base_url: &str,
) -> anyhow::Result<Validated> {
    let dir = Scratch::new()?;
    for (path, text) in pages {
        dir.write(path, text.as_bytes())?;
    }
    for (path, bytes) in feeds {
        dir.write(path, bytes)?;
    }
    let mut out = Validated::default();
    if let Ok(vnu) = &tools.vnu {
        let report = run_vnu(vnu, dir.path())?;
        let errors = vnu_problems(&report, dir.path(), &mut out.warnings);
        if errors.is_empty() {
            out.passed.push(crate::diag::Msg::new(
                format!(
                    "vnu: {} {} valid HTML",
                    pages.len(),
                    if pages.len() == 1 {
                        "page is"
                    } else {
                        "pages are"
                    }
                ),
                format!("vnu：{} 个页面都是有效的 HTML", pages.len()),
            ));
        }
        out.errors.extend(errors);
    }
    if let Ok(python) = &tools.feedparser {
        let report = run_feedparser(python, dir.path(), base_url)?;
        if report.problems.is_empty() {
            out.passed.push(crate::diag::Msg::new(
                format!(
                    "feedparser: {} {} without problems",
                    report.feeds,
                    if report.feeds == 1 {
                        "feed parses"
                    } else {
                        "feeds parse"
                    }
                ),
                format!("feedparser：{} 个订阅源解析无误", report.feeds),
            ));
        }
        out.errors
            .extend(report.problems.into_iter().map(|(feed, problem)| {
                SourceError::file(format!("(rendered) {feed}"), format!("feed: {problem}"))
                    .hint("feedparser (the parser of many feed readers) rejects this feed")
                    .zh(format!("订阅源：{problem}"))
                    .zh_hint("feedparser（许多阅读器使用的解析器）不接受这个订阅源")
            }));
    }
    Ok(out)
}

/// What vnu prints with `--format json`.
#[derive(Debug, Deserialize)]
struct VnuReport {
    messages: Vec<VnuMessage>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct VnuMessage {
    #[serde(rename = "type")]
    kind: String,
    sub_type: Option<String>,
    url: Option<String>,
    last_line: Option<usize>,
    first_column: Option<usize>,
    last_column: Option<usize>,
    message: String,
}

fn run_vnu(vnu: &Vnu, dir: &Path) -> anyhow::Result<VnuReport> {
    let mut cmd = match vnu {
        Vnu::Jar { java, jar } => {
            let mut c = Command::new(java);
            c.arg("-jar").arg(jar);
            c
        }
        Vnu::Program(p) => Command::new(p),
    };
    // One run over the folder: the JVM starts once for all pages.
    cmd.args(["--format", "json", "--stdout", "--skip-non-html"])
        .arg(dir);
    let shown = format!("{cmd:?}");
    let out = cmd
        .output()
        .with_context(|| format!("cannot run the Nu HTML checker ({shown})"))?;
    // vnu exits 1 when it found errors; its report says which.
    serde_json::from_slice(&out.stdout).with_context(|| {
        format!(
            "the Nu HTML checker ({shown}) failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        )
    })
}

/// vnu's errors as located problems; its warnings (not info) into `warnings`.
fn vnu_problems(
    report: &VnuReport,
    dir: &Path,
    warnings: &mut Vec<SourceError>,
) -> Vec<SourceError> {
    let mut errors = Vec::new();
    for m in &report.messages {
        let page = m
            .url
            .as_deref()
            .map(|u| page_of(u, dir))
            .unwrap_or_else(|| "(vnu)".to_string());
        let line = m.last_line.unwrap_or(0);
        let col = m.first_column.or(m.last_column).unwrap_or(0);
        match (m.kind.as_str(), m.sub_type.as_deref()) {
            ("info", Some("warning")) => warnings.push(
                SourceError::at(
                    format!("(rendered) {page}"),
                    line,
                    col,
                    format!("html: {}", m.message),
                )
                .zh(format!("HTML：{}", m.message)),
            ),
            ("info", _) => {}
            // "error", and "non-document-error" (vnu could not read a file).
            _ => errors.push(
                SourceError::at(
                    format!("(rendered) {page}"),
                    line,
                    col,
                    format!("html: {}", m.message),
                )
                .hint(
                    "the Nu HTML checker rejects this markup: fix the template, \
                     or the raw HTML in the Markdown, that produced it",
                )
                .zh(format!("HTML：{}", m.message))
                .zh_hint(
                    "Nu HTML 检查器不接受这段标记：改正生成它的模板，或 Markdown 里的原始 HTML",
                ),
            ),
        }
    }
    errors
}

/// `file:/tmp/laurel-check-1/diary/a/index.html` → `diary/a/index.html`.
fn page_of(url: &str, dir: &Path) -> String {
    let path = super::percent_decode(url.strip_prefix("file:").unwrap_or(url));
    let dir = dir.to_string_lossy().replace('\\', "/");
    let path = path.replace('\\', "/");
    // vnu writes `file:/tmp/...`, `file:///tmp/...` or `file:/C:/...`.
    let trimmed = path.trim_start_matches('/');
    let dir_trimmed = dir.trim_start_matches('/');
    trimmed
        .strip_prefix(dir_trimmed)
        .map(|rest| rest.trim_start_matches('/').to_string())
        .unwrap_or(path)
}

#[derive(Debug, Deserialize)]
struct FeedReport {
    feeds: usize,
    problems: Vec<(String, String)>,
}

fn run_feedparser(python: &Path, dir: &Path, base_url: &str) -> anyhow::Result<FeedReport> {
    let out = Command::new(python)
        .arg("-c")
        .arg(FEED_SCRIPT)
        .arg(dir)
        .arg(base_url)
        .output()
        .with_context(|| format!("cannot run {}", python.display()))?;
    let report = serde_json::from_slice(&out.stdout);
    match report {
        Ok(r) => Ok(r),
        Err(_) => bail!(
            "the feedparser check failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(kind: &str, sub_type: Option<&str>, url: &str, text: &str) -> VnuMessage {
        VnuMessage {
            kind: kind.to_string(),
            sub_type: sub_type.map(str::to_string),
            url: Some(url.to_string()),
            last_line: Some(12),
            first_column: Some(5),
            last_column: Some(9),
            message: text.to_string(),
        }
    }

    #[test]
    fn vnu_errors_are_located_in_the_rendered_page() {
        let dir = Path::new("/tmp/laurel-check-1");
        let report = VnuReport {
            messages: vec![
                message(
                    "error",
                    None,
                    "file:/tmp/laurel-check-1/diary/a/index.html",
                    "Stray end tag “div”.",
                ),
                message(
                    "info",
                    Some("warning"),
                    "file:/tmp/laurel-check-1/index.html",
                    "Consider adding a “lang” attribute.",
                ),
                message(
                    "info",
                    None,
                    "file:/tmp/laurel-check-1/index.html",
                    "Trailing slash on void elements has no effect.",
                ),
            ],
        };
        let mut warnings = Vec::new();
        let errors = vnu_problems(&report, dir, &mut warnings);
        assert_eq!(
            errors.iter().map(ToString::to_string).collect::<Vec<_>>(),
            [
                "(rendered) diary/a/index.html:12:5: html: Stray end tag “div”.\n  hint: the Nu HTML checker rejects this markup: fix the template, or the raw HTML in the Markdown, that produced it"
            ]
        );
        assert_eq!(
            warnings.iter().map(ToString::to_string).collect::<Vec<_>>(),
            ["(rendered) index.html:12:5: html: Consider adding a “lang” attribute."]
        );
    }

    #[test]
    fn vnu_urls_become_output_paths() {
        let dir = Path::new("/tmp/x");
        assert_eq!(page_of("file:/tmp/x/a/index.html", dir), "a/index.html");
        assert_eq!(page_of("file:///tmp/x/a/index.html", dir), "a/index.html");
        assert_eq!(
            page_of("file:/tmp/x/tags/%E6%8A%97/index.html", dir),
            "tags/抗/index.html"
        );
    }

    #[test]
    fn missing_tools_say_how_to_install_them() {
        let m = MissingTool {
            tool: "feedparser",
            why: "`python3 -c 'import feedparser'` failed".to_string(),
            install: FEEDPARSER_INSTALL,
        };
        assert_eq!(
            m.to_string(),
            "--strict needs feedparser, which is not installed: `python3 -c 'import feedparser'` failed\n  hint: install it with `python3 -m pip install feedparser`"
        );
    }

    /// The feed check on hand-made feeds, so its failures are seen too.
    #[test]
    #[allow(clippy::print_stderr)]
    fn feedparser_reports_what_readers_would_choke_on() {
        let Ok(python) = find_feedparser() else {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "feedparser is missing and CI=true"
            );
            eprintln!("skipped: feedparser is not installed");
            return;
        };
        let base = "https://example.org/column/";
        let item = |guid: &str, link: &str| {
            format!(
                "<item><title>一</title><link>{link}</link><guid>{guid}</guid>\
                 <pubDate>Mon, 10 Feb 2020 21:30:00 +0800</pubDate></item>"
            )
        };
        let feed = |items: &str| {
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel>\
                 <title>专栏</title><link>{base}</link><description>d</description>{items}\
                 </channel></rss>"
            )
        };
        let dir = Scratch::new().expect("temp dir");
        let good = item(&format!("{base}diary/a/"), &format!("{base}diary/a/"));
        dir.write("rss.xml", feed(&good).as_bytes()).unwrap();
        let twice = format!("{good}{}", item(&format!("{base}diary/a/"), "/diary/b/"));
        dir.write("people/a/rss.xml", feed(&twice).as_bytes())
            .unwrap();
        dir.write(
            "tags/a/rss.xml",
            feed("<item><title>&</title></item>").as_bytes(),
        )
        .unwrap();
        let report = run_feedparser(&python, dir.path(), base).expect("the script runs");
        assert_eq!(report.feeds, 3);
        let problems: Vec<String> = report
            .problems
            .iter()
            .map(|(feed, p)| format!("{feed}: {p}"))
            .collect();
        assert_eq!(problems.len(), 6, "{problems:#?}");
        assert_eq!(
            problems[..2],
            [
                "people/a/rss.xml: item 2 links to '/diary/b/', not under https://example.org/column/",
                "people/a/rss.xml: item 2 repeats the guid https://example.org/column/diary/a/",
            ]
        );
        assert!(
            problems[2].starts_with("tags/a/rss.xml: not well-formed: "),
            "{problems:#?}"
        );
        assert_eq!(
            problems[3..],
            [
                "tags/a/rss.xml: item 1 has no link",
                "tags/a/rss.xml: item 1 has no date",
                "tags/a/rss.xml: item 1 has no guid",
            ]
        );
    }
}
