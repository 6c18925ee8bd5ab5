//! Site configuration: [`RawConfig`] is exactly what `site.yaml` may say (unknown
//! keys are errors); [`Config`] is the resolved form the rest of laurel uses
//! (absolute paths, parsed time zone, normalized base URL, command-line flags
//! applied). This module does not read content.

use std::path::{Path, PathBuf};

use chrono_tz::Tz;
use serde::Deserialize;

use crate::diag::{BuildError, Lang, SourceError};
use crate::yaml::{self, Spanned};

mod base_url;
mod publishing;

pub use base_url::normalize_base_url;

pub use publishing::{ICP_URL, Masthead, POLICE_URL, RawLint};

/// `site.yaml` as written by the user.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    pub title: String,
    #[serde(default)]
    pub subtitle: Option<String>,
    pub base_url: Spanned<String>,
    #[serde(default)]
    pub language: Option<Spanned<String>>,
    #[serde(default)]
    pub timezone: Option<Spanned<String>>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub author: Option<String>,
    #[serde(default)]
    pub entries_per_page: Option<Spanned<usize>>,
    #[serde(default)]
    pub feed: Option<RawFeed>,
    #[serde(default)]
    pub theme: Option<Spanned<String>>,
    #[serde(default)]
    pub markdown: Option<RawMarkdown>,
    #[serde(default)]
    pub wechat: Option<RawWechat>,
    pub related: Option<RawRelated>,
    /// 备案号 and bylines of the footer and entry pages (see [`Masthead`]).
    #[serde(default)]
    pub icp: Option<Spanned<String>>,
    #[serde(default)]
    pub police_beian: Option<Spanned<String>>,
    #[serde(default)]
    pub organizer: Option<Spanned<String>>,
    #[serde(default)]
    pub editor: Option<Spanned<String>>,
    /// The share image of pages without a cover or photo: a site path.
    #[serde(default)]
    pub image: Option<Spanned<String>>,
    /// A QR code of its address on each entry and person page (default true).
    #[serde(default)]
    pub qr: Option<bool>,
    #[serde(default)]
    pub lint: Option<RawLint>,
    #[serde(default)]
    pub permalinks: Option<RawPermalinks>,
}

/// `permalinks:`, the URL pattern of entries (pages, people and tags keep
/// theirs).
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawPermalinks {
    #[serde(default)]
    pub entry: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawRelated {
    #[serde(default)]
    pub limit: Option<Spanned<usize>>,
}

/// At most this many related entries on an entry page (`related.limit`).
pub const MAX_RELATED: usize = 20;

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawFeed {
    #[serde(default)]
    pub limit: Option<usize>,
    #[serde(default)]
    pub full_content: Option<bool>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawMarkdown {
    #[serde(default)]
    pub unsafe_html: bool,
    /// zh-CN sites: straight quotes in text become “” and ‘’ (default true).
    #[serde(default)]
    pub chinese_quotes: Option<bool>,
}

/// `wechat:`, how `laurel export wechat` writes an entry.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawWechat {
    /// `notes` (the default: outside links become numbered notes, since the
    /// editor drops them) or `keep`.
    #[serde(default)]
    pub links: Option<Spanned<String>>,
}

/// UI language of the theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    ZhCn,
    En,
}

impl Language {
    /// The BCP 47 tag, as used in `lang` attributes and `i18n.yaml`.
    pub fn tag(self) -> &'static str {
        match self {
            Language::ZhCn => "zh-CN",
            Language::En => "en",
        }
    }
}

/// What the command line adds to a build.
#[derive(Debug, Clone, Default)]
pub struct BuildFlags {
    pub output: Option<PathBuf>,
    pub drafts: bool,
    pub future: bool,
    pub base_url: Option<String>,
}

/// The resolved configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// Absolute site root (the folder holding site.yaml).
    pub root: PathBuf,
    /// Absolute output folder.
    pub output: PathBuf,
    pub title: String,
    pub subtitle: Option<String>,
    pub description: Option<String>,
    pub author: Option<String>,
    /// Absolute, always ends in `/`.
    pub base_url: String,
    /// Path part of `base_url`: `/` or `/column/`.
    pub root_path: String,
    pub language: Language,
    pub timezone: Tz,
    pub entries_per_page: usize,
    pub feed_limit: usize,
    pub feed_full_content: bool,
    /// Related entries on an entry page (`related: { limit }`); 0: none.
    pub related_limit: usize,
    /// `None` for the embedded default theme.
    pub theme: Option<String>,
    pub unsafe_html: bool,
    /// Straight quotes in text become Chinese quotation marks.
    pub chinese_quotes: bool,
    /// `wechat: { links: keep }`: the WeChat export keeps outside links.
    pub wechat_keep_links: bool,
    /// The footer's registration numbers, organizer and default editor.
    pub masthead: Masthead,
    /// `image:`: site path of the share image of pages without their own.
    pub share_image: Option<String>,
    /// `qr:` (default true): entry and person pages carry a QR code.
    pub qr: bool,
    /// `lint: { copy }`: `check` warns about Chinese copy (zh-CN sites only).
    pub lint_copy: bool,
    /// `permalinks.entry`: where entry pages live (`/diary/:slug/` by default).
    pub entry_pattern: crate::layout::EntryPattern,
    pub drafts: bool,
    pub future: bool,
}

pub const CONFIG_FILE: &str = "site.yaml";

impl Config {
    /// Reads and resolves `<root>/site.yaml`.
    pub fn load(root: &Path, flags: &BuildFlags) -> Result<Config, BuildError> {
        let root = std::path::absolute(root).map_err(|e| BuildError::Io(e.into()))?;
        let path = root.join(CONFIG_FILE);
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(BuildError::Content(vec![
                    SourceError::file(CONFIG_FILE, format!("no {CONFIG_FILE} in {}", root.display()))
                        .hint("run laurel in the site folder, pass --root DIR, or create a site with `laurel init DIR`")
                        .zh(format!("{} 里没有 {CONFIG_FILE}", root.display()))
                        .zh_hint("在站点文件夹里运行 laurel，或用 --root DIR 指明站点，或用 `laurel init DIR` 新建一个站点"),
                ]));
            }
            Err(e) => {
                return Err(BuildError::Io(
                    anyhow::Error::new(e).context(format!("cannot read {}", path.display())),
                ));
            }
        };
        let text = crate::text::decode_utf8(&bytes, Path::new(CONFIG_FILE))
            .map_err(|e| BuildError::Content(vec![e]))?;
        let raw: RawConfig = yaml::parse(text.as_ref(), Path::new(CONFIG_FILE), 1)
            .map_err(|e| BuildError::Content(vec![e]))?;
        Self::resolve(raw, root, flags).map_err(BuildError::Content)
    }

    /// A stand-in for a `site.yaml` that exists but has problems: the
    /// defaults, so that the content can still be checked and every problem
    /// of the site reported at once. `None` when there is no `site.yaml`.
    pub fn fallback(root: &Path, flags: &BuildFlags) -> Option<Config> {
        let root = std::path::absolute(root).ok()?;
        if !root.join(CONFIG_FILE).is_file() {
            return None;
        }
        let raw: RawConfig = yaml::parse(
            "title: laurel\nbase_url: https://example.org/\n",
            Path::new(CONFIG_FILE),
            1,
        )
        .ok()?;
        Self::resolve(raw, root, flags).ok()
    }

    /// Checks and resolves every field, collecting all problems.
    pub fn resolve(
        raw: RawConfig,
        root: PathBuf,
        flags: &BuildFlags,
    ) -> Result<Config, Vec<SourceError>> {
        // Exhaustive destructuring: a new field in RawConfig cannot be forgotten here.
        let RawConfig {
            title,
            subtitle,
            base_url,
            language,
            timezone,
            description,
            author,
            entries_per_page,
            feed,
            theme,
            markdown,
            wechat,
            related,
            icp,
            police_beian,
            organizer,
            editor,
            image,
            qr,
            lint,
            permalinks,
        } = raw;
        let markdown = markdown.unwrap_or_default();
        let mut errors = Vec::new();
        let file = Path::new(CONFIG_FILE);
        let at = |s: &Spanned<String>| yaml::line_col(s, 1);

        let base_src = flags
            .base_url
            .clone()
            .unwrap_or_else(|| base_url.value.clone());
        let (base_url, root_path) = match normalize_base_url(&base_src) {
            Ok(v) => v,
            Err(msg) => {
                let (l, c) = if flags.base_url.is_some() {
                    (0, 0)
                } else {
                    at(&base_url)
                };
                errors.push(
                    SourceError::at(file, l, c, msg.en)
                        .hint("write an absolute URL such as https://example.org/column/")
                        .zh(msg.zh)
                        .zh_hint("写完整的网址，例如 https://example.org/column/"),
                );
                (String::new(), "/".into())
            }
        };

        let language = match language {
            None => Language::ZhCn,
            Some(s) => match s.value.as_str() {
                "zh-CN" | "zh-cn" | "zh" | "zh-Hans" => Language::ZhCn,
                "en" | "en-US" | "en-GB" => Language::En,
                other => {
                    let (l, c) = at(&s);
                    errors.push(
                        SourceError::at(file, l, c, format!("unsupported language `{other}`"))
                            .hint("use `zh-CN` or `en`")
                            .zh(format!("不支持的语言 `{other}`"))
                            .zh_hint("写 `zh-CN` 或 `en`"),
                    );
                    Language::ZhCn
                }
            },
        };

        let timezone = match timezone {
            None => chrono_tz::Asia::Shanghai,
            Some(s) => match s.value.parse::<Tz>() {
                Ok(tz) => tz,
                Err(_) => {
                    let (l, c) = at(&s);
                    errors.push(
                        SourceError::at(file, l, c, format!("unknown time zone `{}`", s.value))
                            .hint("use an IANA name such as Asia/Shanghai")
                            .zh(format!("未知的时区 `{}`", s.value))
                            .zh_hint("写 IANA 时区名，例如 Asia/Shanghai"),
                    );
                    chrono_tz::Asia::Shanghai
                }
            },
        };

        let entries_per_page = match entries_per_page {
            None => 10,
            Some(n) if n.value == 0 => {
                let (l, c) = yaml::line_col(&n, 1);
                errors.push(
                    SourceError::at(file, l, c, "entries_per_page must be at least 1")
                        .hint("10 is a good default")
                        .zh("entries_per_page 至少是 1")
                        .zh_hint("一般写 10"),
                );
                10
            }
            Some(n) => n.value,
        };

        let feed = feed.unwrap_or_default();
        let related_limit = match related.unwrap_or_default().limit {
            None => 4,
            Some(n) if n.value > MAX_RELATED => {
                let (l, c) = yaml::line_col(&n, 1);
                errors.push(
                    SourceError::at(
                        file,
                        l,
                        c,
                        format!("related.limit must be at most {MAX_RELATED}"),
                    )
                    .hint("4 is a good default; 0 turns related entries off")
                    .zh(format!("related.limit 最多是 {MAX_RELATED}"))
                    .zh_hint("一般写 4；写 0 不显示相关文章"),
                );
                4
            }
            Some(n) => n.value,
        };
        let theme = match theme {
            None => None,
            Some(t) if t.value == "default" => None,
            Some(t) => {
                let name = t.value.clone();
                let dir = root.join("themes").join(&name);
                if !crate::slug::is_safe_slug(&name)
                    && !name
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                {
                    let (l, c) = at(&t);
                    errors.push(
                        SourceError::at(file, l, c, format!("invalid theme name `{name}`"))
                            .hint(
                                "a theme is a folder name under themes/, letters, digits, - and _ only",
                            )
                            .zh(format!("主题名 `{name}` 无效"))
                            .zh_hint("主题名是 themes/ 下的文件夹名，只能用字母、数字、- 和 _"),
                    );
                    None
                } else if !dir.is_dir() {
                    let (l, c) = at(&t);
                    errors.push(
                        SourceError::at(
                            file,
                            l,
                            c,
                            format!("theme `{name}` not found: no folder themes/{name}/"),
                        )
                        .hint("create the folder or use `theme: default`")
                        .zh(format!("找不到主题 `{name}`：没有 themes/{name}/ 文件夹"))
                        .zh_hint("建好这个文件夹，或写 `theme: default`"),
                    );
                    None
                } else {
                    Some(name)
                }
            }
        };

        let wechat_keep_links = match wechat.and_then(|w| w.links) {
            None => false,
            Some(l) => match l.value.as_str() {
                "keep" => true,
                "notes" => false,
                other => {
                    let (line, col) = at(&l);
                    errors.push(
                        SourceError::at(file, line, col, format!("unknown wechat.links `{other}`"))
                            .hint("use `notes` (outside links become numbered notes) or `keep`")
                            .zh(format!("未知的 wechat.links 取值 `{other}`"))
                            .zh_hint("写 `notes`（站外链接改为文末编号注释）或 `keep`（保留链接）"),
                    );
                    false
                }
            },
        };

        let masthead = Masthead::resolve(icp, police_beian, organizer, editor, &mut errors);
        let share_image = publishing::share_image(image, &root, &mut errors);
        let entry_pattern = match permalinks.and_then(|p| p.entry) {
            None => crate::layout::EntryPattern::default(),
            Some(p) => match crate::layout::EntryPattern::parse(&p.value) {
                Ok(pattern) => pattern,
                Err(why) => {
                    let (line, col) = at(&p);
                    errors.push(
                        SourceError::at(file, line, col, why.message)
                            .hint(why.hint)
                            .zh(why.zh_message)
                            .zh_hint(why.zh_hint),
                    );
                    crate::layout::EntryPattern::default()
                }
            },
        };

        let output = match &flags.output {
            Some(o) if o.is_absolute() => o.clone(),
            Some(o) => std::env::current_dir()
                .map(|d| d.join(o))
                .unwrap_or_else(|_| o.clone()),
            None => root.join("public"),
        };

        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Config {
            root,
            output,
            // Shown as text: without what HTML forbids there (`"\0"`).
            title: crate::text::without_forbidden(&title).into_owned(),
            subtitle: subtitle.map(|s| crate::text::without_forbidden(&s).into_owned()),
            description: description.map(|s| crate::text::without_forbidden(&s).into_owned()),
            author: author.map(|s| crate::text::without_forbidden(&s).into_owned()),
            base_url,
            root_path,
            language,
            timezone,
            entries_per_page,
            feed_limit: feed.limit.unwrap_or(20).max(1),
            feed_full_content: feed.full_content.unwrap_or(true),
            related_limit,
            theme,
            unsafe_html: markdown.unsafe_html,
            chinese_quotes: language == Language::ZhCn && markdown.chinese_quotes.unwrap_or(true),
            wechat_keep_links,
            masthead,
            share_image,
            qr: qr.unwrap_or(true),
            lint_copy: language == Language::ZhCn && lint.and_then(|l| l.copy).unwrap_or(true),
            entry_pattern,
            drafts: flags.drafts,
            future: flags.future,
        })
    }

    /// Root-relative URL for a site path: `diary/a/` → `/column/diary/a/`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.root_path, path.trim_start_matches('/'))
    }

    /// The URL of an image or file named in front matter or a profile: a site
    /// path gets the root (as [`Config::url`]), an http(s) URL stays.
    pub fn asset_url(&self, v: &str) -> String {
        if v.starts_with("http://") || v.starts_with("https://") {
            v.to_string()
        } else {
            self.url(v)
        }
    }

    /// Absolute URL for a site path: `diary/a/` → `https://example.org/column/diary/a/`.
    pub fn permalink(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path.trim_start_matches('/'))
    }
}

/// The language laurel speaks to the user of the site at `root`:
/// `LAUREL_LANG` (`zh`, `zh-CN`, `en`…) when set, else the site's
/// `language:` (read leniently, so a broken site.yaml still gets its
/// problems in its language), else Chinese, a site's default language.
pub fn message_lang(root: &Path) -> Lang {
    if let Some(l) = std::env::var("LAUREL_LANG")
        .ok()
        .and_then(|v| Lang::parse(&v))
    {
        return l;
    }
    std::fs::read_to_string(root.join(CONFIG_FILE))
        .ok()
        .and_then(|text| {
            text.lines().find_map(|l| {
                let v = l.strip_prefix("language:")?;
                Lang::parse(v.split('#').next()?.trim().trim_matches(['"', '\'']))
            })
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(yaml: &str) -> Result<Config, Vec<SourceError>> {
        let raw: RawConfig =
            crate::yaml::parse(yaml, Path::new(CONFIG_FILE), 1).map_err(|e| vec![e])?;
        Config::resolve(raw, PathBuf::from("/site"), &BuildFlags::default())
    }

    #[test]
    fn defaults() {
        let c = resolve("title: T\nbase_url: https://e.org/c/\n").unwrap();
        assert_eq!(c.language, Language::ZhCn);
        assert_eq!(c.timezone, chrono_tz::Asia::Shanghai);
        assert_eq!(c.entries_per_page, 10);
        assert_eq!(c.feed_limit, 20);
        assert!(c.feed_full_content);
        assert_eq!(c.related_limit, 4);
        assert_eq!(c.url("diary/a/"), "/c/diary/a/");
        assert_eq!(c.permalink("/rss.xml"), "https://e.org/c/rss.xml");
        assert_eq!(c.output, PathBuf::from("/site/public"));
    }

    #[test]
    fn collects_every_bad_value_with_its_line() {
        let errs =
            resolve("title: T\nbase_url: e.org\nlanguage: fr\ntimezone: Mars/Base\n").unwrap_err();
        let shown: Vec<String> = errs
            .iter()
            .map(|e| e.location() + " " + &e.message)
            .collect();
        assert_eq!(
            shown,
            [
                "site.yaml:2:11 base_url `e.org` must start with http:// or https://",
                "site.yaml:3:11 unsupported language `fr`",
                "site.yaml:4:11 unknown time zone `Mars/Base`",
            ]
        );
    }

    #[test]
    fn unknown_key_is_an_error() {
        let e = resolve("title: T\nbase_url: https://e.org/\nentries_per_pag: 5\n").unwrap_err();
        assert_eq!(
            e[0].to_string(),
            "site.yaml:3:1: unknown key `entries_per_pag`\n  hint: did you mean `entries_per_page`?"
        );
    }
}
