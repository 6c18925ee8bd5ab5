//! Internal links: whether a site-absolute link leads to a file the build
//! generates, and the located problem when a link written in content does
//! not. The links themselves come from the Markdown events
//! ([`crate::markdown::Link`], kept by each source with its position in the
//! file), never from scanning rendered HTML; links that templates produce are
//! `check`'s to find on the rendered pages. External and relative links are
//! not checked.

use std::collections::HashSet;
use std::path::Path;

use percent_encoding::percent_decode_str;

use crate::diag::SourceError;
use crate::markdown::{Link, LinkKind};
use crate::site::Site;

/// Links in entry, page and profile Markdown that lead to no output file,
/// located in their source files.
pub fn broken_in_content(site: &Site, paths: &[String]) -> Vec<SourceError> {
    let known: HashSet<&str> = paths.iter().map(String::as_str).collect();
    let root_path = &site.config.root_path;
    let mut out = Vec::new();
    for (path, link) in content_links(site) {
        let Some(target) = content_target(link, root_path) else {
            continue;
        };
        if resolves(&target, &known) {
            continue;
        }
        out.push(
            SourceError::at(
                path,
                link.line,
                link.col,
                format!("link to `{}` leads nowhere", link.dest),
            )
            .hint(format!(
                "check the path: entries live at {}, people at /people/<id>/",
                site.config.entry_pattern.shown()
            ))
            .zh(format!("链接 `{}` 指向的页面不存在", link.dest))
            .zh_hint(format!(
                "检查路径：日记在 {}，人物在 /people/<id>/",
                site.config.entry_pattern.shown()
            )),
        );
    }
    out
}

/// Images in content that come from other sites (`https://…`, `//host/…`):
/// they are shown as written, and break the site offline or where that
/// site is blocked. `laurel check --strict` warns about each, located.
pub fn external_images(site: &Site) -> Vec<SourceError> {
    let found = content_links(site)
        .filter(|(_, l)| l.is_image && crate::layout::is_external(&l.dest))
        .filter(|(_, l)| !l.dest.starts_with("data:"))
        .map(|(path, l)| {
            SourceError::at(
                path,
                l.line,
                l.col,
                format!("image from another site: {}", l.dest),
            )
            .hint("readers offline or behind a firewall will not see it; put the file under static/ and write /images/…")
            .zh(format!("来自其他网站的图片：{}", l.dest))
            .zh_hint("离线或在防火墙后的读者看不到它；把文件放在 static/ 下，写成 /images/…")
        });
    crate::diag::sorted(found)
}

/// The site paths that links in content point to (see [`internal_target`]),
/// so a check of rendered pages can leave those to [`broken_in_content`].
pub fn content_targets(site: &Site) -> HashSet<String> {
    let root_path = &site.config.root_path;
    content_links(site)
        .filter_map(|(_, link)| content_target(link, root_path))
        .collect()
}

/// Every link written in content, with the file it is in.
fn content_links(site: &Site) -> impl Iterator<Item = (&Path, &Link)> {
    site.documents()
        .flat_map(|d| d.links.iter().map(move |l| (d.path, l)))
}

/// The site path a content link names. Markdown destinations starting with a
/// single `/` get the site root when rendered (so `/diary/a/` is `diary/a/`
/// under any root); raw HTML is rendered as written.
fn content_target(link: &Link, root_path: &str) -> Option<String> {
    match link.kind {
        LinkKind::Markdown if link.dest.starts_with('/') && !link.dest.starts_with("//") => {
            site_path(&link.dest[1..])
        }
        LinkKind::Markdown => None,
        LinkKind::Html => internal_target(&link.dest, root_path),
    }
}

/// For a root-relative URL under the site prefix, the site path it names
/// (without query or fragment, percent-decoded); `None` for external links.
pub fn internal_target(dest: &str, root_path: &str) -> Option<String> {
    if dest.starts_with("//") || !dest.starts_with('/') {
        return None;
    }
    let rest = dest
        .strip_prefix(root_path)
        .or_else(|| (root_path == "/").then_some(&dest[1..]))?;
    site_path(rest)
}

/// `rest` without query or fragment, percent-decoded.
fn site_path(rest: &str) -> Option<String> {
    Some(percent_decode(rest.split(['#', '?']).next().unwrap_or("")))
}

/// Decodes `%XX` escapes; invalid ones stay as written, invalid UTF-8 becomes
/// U+FFFD.
pub fn percent_decode(s: &str) -> String {
    percent_decode_str(s).decode_utf8_lossy().into_owned()
}

/// Whether a site path names a generated file (directly or as a folder index).
pub fn resolves(target: &str, known: &HashSet<&str>) -> bool {
    if target.is_empty() {
        return known.contains("index.html");
    }
    if target.ends_with('/') {
        return known.contains(format!("{target}index.html").as_str());
    }
    known.contains(target) || known.contains(format!("{target}/index.html").as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_targets() {
        assert_eq!(
            internal_target("/column/diary/a/#x", "/column/").as_deref(),
            Some("diary/a/")
        );
        assert_eq!(internal_target("/diary/a/", "/column/"), None);
        assert_eq!(internal_target("https://x.org/", "/"), None);
        assert_eq!(internal_target("//cdn/x", "/"), None);
        assert_eq!(
            internal_target("/tags/%E6%8A%97/", "/").as_deref(),
            Some("tags/抗/")
        );
        assert_eq!(
            internal_target("/a/%zz%/b?q", "/").as_deref(),
            Some("a/%zz%/b")
        );
    }

    #[test]
    fn content_targets_add_the_root_to_markdown_only() {
        let link = |dest: &str, kind| Link {
            dest: dest.to_string(),
            line: 1,
            col: 1,
            kind,
            is_image: false,
        };
        let md = |d| content_target(&link(d, LinkKind::Markdown), "/column/");
        let raw = |d| content_target(&link(d, LinkKind::Html), "/column/");
        assert_eq!(md("/diary/no%20such/").as_deref(), Some("diary/no such/"));
        assert_eq!(md("diary/a/"), None);
        assert_eq!(md("//cdn/x"), None);
        assert_eq!(raw("/column/diary/a/").as_deref(), Some("diary/a/"));
        assert_eq!(raw("/diary/a/"), None);
    }

    #[test]
    fn resolution() {
        let known: HashSet<&str> = ["index.html", "diary/a/index.html", "style.css"]
            .into_iter()
            .collect();
        assert!(resolves("", &known));
        assert!(resolves("diary/a/", &known));
        assert!(resolves("diary/a", &known));
        assert!(resolves("style.css", &known));
        assert!(!resolves("diary/b/", &known));
    }
}
