//! The keys of `site.yaml` that say who publishes the site and how it is
//! shared: the footer's registration numbers (`icp`, `police_beian`), the
//! `organizer` and the default `editor`, the fallback share `image`, the
//! `qr` switch and `lint: { copy }`. Each is checked here, at its line; the
//! templates show them (HTML-escaped like every YAML value).

use std::path::Path;

use serde::Deserialize;

use crate::diag::SourceError;
use crate::yaml::{self, Spanned};

/// `lint:`, what `laurel check` warns about besides errors.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawLint {
    /// Chinese copy (spacing, half-width punctuation); default true on
    /// zh-CN sites.
    #[serde(default)]
    pub copy: Option<bool>,
}

/// The footer's and the byline's fields of `site.yaml`, resolved.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Masthead {
    /// ICP备案号 as written (`鄂ICP备00000000号`), linked to the MIIT's site.
    pub icp: Option<String>,
    /// 公安备案号 as written (`鄂公网安备 42010602000000号`).
    pub police_beian: Option<String>,
    /// The digits of `police_beian`, the `recordcode` of its link.
    pub police_recordcode: Option<String>,
    /// 主办单位.
    pub organizer: Option<String>,
    /// 责任编辑 of entries whose front matter names none.
    pub editor: Option<String>,
}

/// The ICP registration lookup every ICP number links to.
pub const ICP_URL: &str = "https://beian.miit.gov.cn/";

/// The public-security registration lookup, before the record code.
pub const POLICE_URL: &str = "http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=";

/// A text field of `site.yaml`: trimmed, what HTML forbids dropped; an
/// empty one is an error at its line (a key written and left empty is
/// almost always a mistake).
fn text_field(
    v: Option<Spanned<String>>,
    key: &str,
    example: &str,
    errors: &mut Vec<SourceError>,
) -> Option<String> {
    let v = v?;
    let l = yaml::located_text(&v, 1);
    if l.value.is_empty() {
        errors.push(
            l.error(super::CONFIG_FILE, format!("{key} is empty"))
                .hint(format!(
                    "write it as `{key}: {example}`, or remove the line"
                ))
                .zh(format!("{key} 是空的"))
                .zh_hint(format!("写成 `{key}: {example}`，或删掉这一行")),
        );
        return None;
    }
    Some(l.value)
}

impl Masthead {
    pub fn resolve(
        icp: Option<Spanned<String>>,
        police_beian: Option<Spanned<String>>,
        organizer: Option<Spanned<String>>,
        editor: Option<Spanned<String>>,
        errors: &mut Vec<SourceError>,
    ) -> Masthead {
        let at = police_beian.as_ref().map(|s| yaml::line_col(s, 1));
        let police_beian = text_field(
            police_beian,
            "police_beian",
            "鄂公网安备 42010602000000号",
            errors,
        );
        let police_recordcode = police_beian.as_ref().and_then(|p| {
            let digits: String = p.chars().filter(char::is_ascii_digit).collect();
            if digits.is_empty() {
                let (l, c) = at.unwrap_or((0, 0));
                errors.push(
                    SourceError::at(
                        super::CONFIG_FILE,
                        l,
                        c,
                        format!("police_beian `{p}` has no record number"),
                    )
                    .hint("write the number as issued, e.g. `鄂公网安备 42010602000000号`")
                    .zh(format!("police_beian `{p}` 里没有备案号"))
                    .zh_hint("照备案证书写，例如 `鄂公网安备 42010602000000号`"),
                );
                None
            } else {
                Some(digits)
            }
        });
        Masthead {
            icp: text_field(icp, "icp", "鄂ICP备00000000号", errors),
            police_beian,
            police_recordcode,
            organizer: text_field(organizer, "organizer", "凤城市委宣传部", errors),
            editor: text_field(editor, "editor", "王编辑", errors),
        }
    }

    /// The link of the police registration number, when there is one.
    pub fn police_url(&self) -> Option<String> {
        self.police_recordcode
            .as_ref()
            .map(|d| format!("{POLICE_URL}{d}"))
    }
}

/// `image:`, the picture shared pages show when they have none of their
/// own: a site path of a file under `static/`. Returns the site path.
pub fn share_image(
    v: Option<Spanned<String>>,
    root: &Path,
    errors: &mut Vec<SourceError>,
) -> Option<String> {
    let v = v?;
    let l = yaml::located(&v, 1);
    let path = l.value.as_str();
    let rel = path.strip_prefix('/').unwrap_or("");
    let safe = path.starts_with('/')
        && !rel.is_empty()
        && !rel
            .split('/')
            .any(|s| s.is_empty() || s == "." || s == "..")
        && !path.contains(['"', '<', '>', '\\', '?', '#'])
        && !path.chars().any(|c| c.is_control() || c.is_whitespace());
    if !safe {
        errors.push(
            l.error(
                super::CONFIG_FILE,
                format!("image `{path}` must be a site path of a file under static/"),
            )
            .hint("write it as `image: /images/share.png` and put the file at static/images/share.png")
            .zh(format!("image `{path}` 必须是 static/ 下某个文件的站内路径"))
            .zh_hint("写成 `image: /images/share.png`，并把文件放在 static/images/share.png"),
        );
        return None;
    }
    if !root.join("static").join(rel).is_file() {
        errors.push(
            l.error(super::CONFIG_FILE, format!("image not found: {path}"))
                .hint(format!(
                    "put the image at static/{rel}, or correct the path (it starts at static/)"
                ))
                .zh(format!("找不到图片：{path}"))
                .zh_hint(format!(
                    "把图片放在 static/{rel}，或改正路径（路径从 static/ 算起）"
                )),
        );
        return None;
    }
    Some(path.to_string())
}
