//! One honored person: `content/people/<id>.yaml`. The file stem is the id.
//! The `private:` block is accepted and discarded while parsing, so it cannot
//! reach any later phase, template context or output file.

use std::path::PathBuf;

use chrono::NaiveDate;
use serde::Deserialize;
use serde::de::IgnoredAny;

use super::entry::check_link_target;
use super::{FoundFile, LoadOptions, date};
use crate::diag::{Located, SourceError};
use crate::markdown;
use crate::yaml::{self, Spanned};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPerson {
    name: Spanned<String>,
    #[serde(default)]
    role: Option<String>,
    #[serde(default)]
    unit: Option<String>,
    #[serde(default)]
    team: Option<String>,
    #[serde(default)]
    batch: Option<u32>,
    #[serde(default)]
    deployed: Option<Spanned<String>>,
    #[serde(default)]
    returned: Option<Spanned<String>>,
    #[serde(default)]
    post: Option<String>,
    #[serde(default)]
    photo: Option<Spanned<String>>,
    #[serde(default)]
    motto: Option<String>,
    #[serde(default)]
    bio: Option<Spanned<String>>,
    #[serde(default)]
    honors: Vec<RawHonor>,
    /// Read and thrown away: never stored, never rendered.
    #[serde(default)]
    #[allow(dead_code)]
    private: Option<IgnoredAny>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHonor {
    date: Spanned<String>,
    title: String,
}

/// One honor with its date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Honor {
    pub date: NaiveDate,
    pub title: String,
}

/// A person read from one profile file. There is deliberately no field for
/// `private:`.
#[derive(Debug, Clone)]
pub struct PersonSource {
    pub path: PathBuf,
    pub id: String,
    pub name: String,
    pub role: Option<String>,
    pub unit: Option<String>,
    pub team: Option<String>,
    pub batch: Option<u32>,
    pub deployed: Option<NaiveDate>,
    pub returned: Option<NaiveDate>,
    pub post: Option<String>,
    pub photo: Option<Located<String>>,
    pub motto: Option<String>,
    pub bio_html: String,
    pub bio_text: String,
    /// Links and images in the bio, located in the file.
    pub bio_links: Vec<markdown::Link>,
    /// What the bio will not show as written, located in the file.
    pub bio_removed: Vec<markdown::Removal>,
    pub honors: Vec<Honor>,
    /// Problems of the file that did not stop it from loading (the build
    /// fails with them; the profile is there so the rest can be checked).
    pub problems: Vec<SourceError>,
}

pub fn load(file: &FoundFile, opts: &LoadOptions) -> Result<PersonSource, Vec<SourceError>> {
    let path = &file.rel;
    let id = file
        .rel
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if !crate::slug::is_safe_slug(&id) {
        return Err(vec![
            SourceError::file(path, format!("invalid person id `{id}` (the file name)"))
                .hint(format!(
                    "rename the file to lowercase letters, digits and hyphens, e.g. `{}.yaml`",
                    super::entry::nonempty_slug(&id)
                ))
                .zh(format!("人物编号 `{id}`（即文件名）无效"))
                .zh_hint(format!(
                    "把文件改名为小写字母、数字和连字符，例如 `{}.yaml`",
                    super::entry::nonempty_slug(&id)
                )),
        ]);
    }
    let text = super::read_text(file).map_err(|e| vec![e])?;
    // Every problem of the profile: an unknown key does not hide a bad date
    // or a missing photo (the profile still loads, carrying its problems).
    let (raw, mut errors) = yaml::parse_all::<RawPerson>(&text, path, 1);
    let Some(raw) = raw else {
        return Err(errors);
    };
    let loc = |s: &Spanned<String>| yaml::located(s, 1);
    let name = yaml::located_text(&raw.name, 1);
    if name.value.is_empty() {
        errors.push(
            name.error(path, "name is empty")
                .hint("write the person's full name after `name:`")
                .zh("姓名是空的")
                .zh_hint("在 `name:` 后面写上这个人的全名"),
        );
    }
    let mut day = |s: &Option<Spanned<String>>| -> Option<NaiveDate> {
        let l = loc(s.as_ref()?);
        match date::parse_day(&l.value) {
            Ok(d) => Some(d),
            Err(msg) => {
                errors.push(
                    l.error(path, msg.en)
                        .hint("write the day as YYYY-MM-DD")
                        .zh(msg.zh)
                        .zh_hint("日期写成 YYYY-MM-DD"),
                );
                None
            }
        }
    };
    let deployed = day(&raw.deployed);
    let returned = day(&raw.returned);
    let honors: Vec<Honor> = raw
        .honors
        .iter()
        .filter_map(|h| {
            let d = day(&Some(h.date.clone()))?;
            Some(Honor {
                date: d,
                title: yaml::text(&h.title),
            })
        })
        .collect();
    if let (Some(d), Some(r), Some(rs)) = (deployed, returned, &raw.returned)
        && r < d
    {
        errors.push(
            loc(rs)
                .error(path, format!("returned ({r}) is before deployed ({d})"))
                .hint("check both dates")
                .zh(format!("返回日期（{r}）早于出发日期（{d}）"))
                .zh_hint("检查这两个日期"),
        );
    }
    let photo = raw.photo.as_ref().map(loc);
    if let Some(p) = &photo
        && let Err(msg) = check_link_target(&p.value)
    {
        errors.push(p.said(path, msg.about("photo", "照片")).hints(
            "write a site path such as /images/people/name.jpg",
            "写站内路径，例如 /images/people/name.jpg",
        ));
    }
    let bio = markdown::render(
        &crate::text::without_forbidden(raw.bio.as_ref().map_or("", |b| b.value.as_str())),
        &opts.markdown(),
    );
    let (bio_line, bio_indent) = raw.bio.as_ref().map_or((1, 0), |b| bio_origin(&text, b));
    let clean = |s: Option<String>| s.map(|v| yaml::text(&v)).filter(|v| !v.is_empty());
    let mut honors = honors;
    honors.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.title.cmp(&b.title)));
    Ok(PersonSource {
        path: path.clone(),
        id,
        name: name.value,
        role: clean(raw.role),
        unit: clean(raw.unit),
        team: clean(raw.team),
        batch: raw.batch,
        deployed,
        returned,
        post: clean(raw.post),
        photo,
        motto: clean(raw.motto).map(|m| opts.title(m)),
        bio_html: bio.html,
        bio_text: bio.text,
        bio_links: super::in_file(bio.links, bio_line, bio_indent),
        bio_removed: super::in_file(bio.removed, bio_line, bio_indent),
        honors,
        problems: errors,
    })
}

/// Where the bio's text starts in the file: the line of its first character
/// and the columns before it on every line (a block scalar's indentation, or
/// `bio: ` and the opening quote of a one-line scalar). A folded or
/// multi-line flow scalar loses its line breaks, so positions in it are
/// approximate.
fn bio_origin(text: &str, bio: &Spanned<String>) -> (usize, usize) {
    let (line, col) = yaml::line_col(bio, 1);
    if line == 0 {
        return (1, 0);
    }
    let col = col.max(1);
    let quoted = text
        .lines()
        .nth(line - 1)
        .and_then(|l| l.chars().nth(col - 1))
        .is_some_and(|c| c == '"' || c == '\'');
    (line, col - 1 + usize::from(quoted))
}
