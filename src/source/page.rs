//! One standalone page: `content/pages/*.md` (about, the care measures, ...).

use std::path::PathBuf;

use serde::Deserialize;

use super::{FoundFile, LoadOptions, frontmatter};
use crate::diag::{Located, SourceError};
use crate::markdown;
use crate::slug;
use crate::yaml::{self, Spanned};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPage {
    title: Spanned<String>,
    #[serde(default)]
    slug: Option<Spanned<String>>,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    menu: bool,
    #[serde(default)]
    weight: i32,
    #[serde(default)]
    draft: bool,
}

#[derive(Debug, Clone)]
pub struct PageSource {
    pub path: PathBuf,
    pub title: String,
    pub slug: Located<String>,
    pub summary: Option<String>,
    pub menu: bool,
    pub weight: i32,
    pub draft: bool,
    pub html: String,
    pub text: String,
    /// Problems of the file that did not stop it from loading (unknown keys).
    pub problems: Vec<SourceError>,
    /// Links and images in the body, located in the file.
    pub links: Vec<markdown::Link>,
    /// What the page will not show as written, located in the file.
    pub removed: Vec<markdown::Removal>,
}

pub fn load(file: &FoundFile, opts: &LoadOptions) -> Result<PageSource, Vec<SourceError>> {
    let text = super::read_text(file).map_err(|e| vec![e])?;
    let path = &file.rel;
    let split = frontmatter::split(&text, path).map_err(|e| vec![e])?;
    let (raw, unknown) = yaml::parse_all::<RawPage>(split.yaml, path, split.yaml_line);
    let Some(raw) = raw else {
        return Err(unknown);
    };
    let loc = |s: &Spanned<String>| yaml::located(s, split.yaml_line);
    let title = yaml::located_text(&raw.title, split.yaml_line);
    let fail = |e: SourceError| -> Result<PageSource, Vec<SourceError>> {
        Err(std::iter::once(e).chain(unknown.iter().cloned()).collect())
    };
    if title.value.is_empty() {
        return fail(
            title
                .error(path, "title is empty")
                .hint("write the page's title after `title:`")
                .zh("标题是空的")
                .zh_hint("在 `title:` 后面写上这个页面的标题"),
        );
    }
    let slug = match &raw.slug {
        Some(s) => {
            let l = loc(s);
            if !slug::is_safe_slug(&l.value) {
                return fail(
                    l.error(path, format!("invalid slug `{}`", l.value))
                        .hint(format!(
                            "use lowercase letters, digits and hyphens, e.g. `{}`",
                            super::entry::nonempty_slug(&l.value)
                        ))
                        .zh(format!("slug `{}` 无效", l.value))
                        .zh_hint(format!(
                            "只用小写字母、数字和连字符，例如 `{}`",
                            super::entry::nonempty_slug(&l.value)
                        )),
                );
            }
            l
        }
        None => {
            let stem = file
                .rel
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            Located {
                value: super::entry::nonempty_slug(&stem),
                line: 0,
                col: 0,
            }
        }
    };
    let md = markdown::render(split.body, &opts.markdown());
    Ok(PageSource {
        path: path.clone(),
        title: opts.title(title.value),
        slug,
        summary: raw
            .summary
            .map(|s| yaml::text(&s))
            .filter(|s| !s.is_empty()),
        menu: raw.menu,
        weight: raw.weight,
        draft: raw.draft,
        html: md.html,
        text: md.text,
        problems: unknown,
        links: super::in_file(md.links, split.body_line, 0),
        removed: super::in_file(md.removed, split.body_line, 0),
    })
}
