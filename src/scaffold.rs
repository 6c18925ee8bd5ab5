//! `laurel new entry|person` and `laurel init`: files written for the user to
//! edit. Never overwrites an existing file.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use chrono::{DateTime, FixedOffset};

use crate::config::{BuildFlags, Config};
use crate::diag::{BuildError, Msg};
use crate::slug;

/// A request `new` or `init` refuses, in both languages.
fn refuse<T>(en: String, zh: String) -> Result<T, BuildError> {
    Err(BuildError::Usage(Msg::new(en, zh)))
}

/// Quotes a value for YAML (double quotes, with escapes), so any title works.
fn yaml_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn write_new(path: &Path, text: &str) -> Result<(), BuildError> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    let mut f = match fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return refuse(
                format!("already exists: {}", path.display()),
                format!("文件已存在：{}", path.display()),
            );
        }
        Err(e) => {
            return Err(anyhow::anyhow!("cannot create {}: {e}", path.display()).into());
        }
    };
    std::io::Write::write_all(&mut f, text.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

fn load_config(root: &Path) -> Result<Config, BuildError> {
    Config::load(root, &BuildFlags::default())
}

/// What `laurel new entry` was asked for.
#[derive(Debug, Default)]
pub struct NewEntry<'a> {
    pub title: &'a str,
    pub author: Option<&'a str>,
    /// `YYYY-MM-DD` or `YYYY-MM-DD HH:MM`; `None`: now.
    pub date: Option<&'a str>,
    pub slug: Option<&'a str>,
    pub tags: &'a [String],
    pub people: &'a [String],
    pub draft: bool,
}

/// The date `laurel new entry --date` was given: read by the same rules as
/// front matter (so what `new` accepts, a build accepts), written as given.
fn entry_date(given: &str, tz: chrono_tz::Tz) -> Result<(chrono::NaiveDate, String), BuildError> {
    let given = given.trim();
    match crate::source::date::parse_datetime(given, tz) {
        Ok(at) => Ok((at.date_naive(), given.to_string())),
        Err(why) => refuse(
            format!(
                "--date `{given}` is not a date ({why}): write YYYY-MM-DD or \"YYYY-MM-DD HH:MM\" (e.g. 2020-02-10 or \"2020-02-10 21:30\")"
            ),
            format!(
                "--date `{given}` 不是日期（{}）：请写成 YYYY-MM-DD 或 \"YYYY-MM-DD HH:MM\"（例如 2020-02-10 或 \"2020-02-10 21:30\"）",
                why.zh
            ),
        ),
    }
}

/// Creates `content/diary/<date>-<slug>.md` (the file name carries the
/// front matter's day); returns its path.
pub fn new_entry(
    root: &Path,
    new: &NewEntry,
    now: DateTime<FixedOffset>,
) -> Result<PathBuf, BuildError> {
    let config = load_config(root)?;
    let title = new.title.trim();
    if title.is_empty() {
        return refuse("the title is empty".into(), "标题是空的".into());
    }
    for id in new
        .author
        .into_iter()
        .chain(new.people.iter().map(String::as_str))
    {
        // An id is a file stem: `../x` names no person, and no file is looked up for it.
        if !slug::is_safe_slug(id)
            || !config
                .root
                .join("content/people")
                .join(format!("{id}.yaml"))
                .is_file()
        {
            return refuse(
                format!("unknown person `{id}`: there is no content/people/{id}.yaml"),
                format!("没有人物 `{id}`：找不到 content/people/{id}.yaml"),
            );
        }
    }
    let (day, date) = match new.date {
        Some(given) => entry_date(given, config.timezone)?,
        None => {
            let local = now.with_timezone(&config.timezone);
            (
                local.date_naive(),
                local.format("%Y-%m-%d %H:%M").to_string(),
            )
        }
    };
    let slug = match new.slug {
        Some(s) if slug::is_safe_slug(s) => s.to_string(),
        Some(s) => {
            let example = crate::source::entry::nonempty_slug(s);
            return refuse(
                format!(
                    "--slug `{s}` cannot be a URL segment: use lowercase letters, digits and hyphens (e.g. `{example}`)"
                ),
                format!(
                    "--slug `{s}` 不能用作网址的一段：请用小写字母、数字和连字符（例如 `{example}`）"
                ),
            );
        }
        None => crate::source::entry::nonempty_slug(title),
    };
    let path = config
        .root
        .join("content/diary")
        .join(format!("{}-{slug}.md", day.format("%Y-%m-%d")));
    let mut text = format!("---\ntitle: {}\ndate: {date}\n", yaml_str(title));
    if let Some(a) = new.author {
        text.push_str(&format!("author: {a}\n"));
    }
    let list = |items: &[String]| {
        items
            .iter()
            .map(|t| t.trim())
            .filter(|t| !t.is_empty())
            .map(yaml_str)
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !new.people.is_empty() {
        text.push_str(&format!("people: [{}]\n", list(new.people)));
    }
    text.push_str(&format!("tags: [{}]\n", list(new.tags)));
    if new.draft {
        text.push_str("draft: true\n");
    }
    text.push_str("---\n\n");
    write_new(&path, &text)?;
    Ok(path)
}

/// Creates `content/people/<id>.yaml`; returns its path.
pub fn new_person(root: &Path, id: &str, name: &str) -> Result<PathBuf, BuildError> {
    let config = load_config(root)?;
    if !slug::is_safe_slug(id) {
        let example = crate::source::entry::nonempty_slug(id);
        return refuse(
            format!(
                "invalid person id `{id}`: use lowercase letters, digits and hyphens (e.g. `{example}`)"
            ),
            format!("人物 id `{id}` 无效：请用小写字母、数字和连字符（例如 `{example}`）"),
        );
    }
    if name.trim().is_empty() {
        return refuse("the name is empty".into(), "姓名是空的".into());
    }
    let path = config
        .root
        .join("content/people")
        .join(format!("{id}.yaml"));
    let text = format!(
        "name: {}\n# role: 护士长\n# unit: 市中心医院\n# team: 第一批支援湖北医疗队\n# batch: 1\n# deployed: 2020-02-09\n# returned: 2020-03-30\n# post: \n# photo: /images/people/{id}.jpg\n# motto: \n# bio: |\n#   \n# honors:\n#   - {{ date: 2020-03-08, title: 优秀护士 }}\n# private:          # never published\n#   family_contact: \n",
        yaml_str(name.trim())
    );
    write_new(&path, &text)?;
    Ok(path)
}

/// Creates a new site in `dir`: site.yaml, one person, one entry, one page.
pub fn init(dir: &Path, now: DateTime<FixedOffset>) -> Result<(), BuildError> {
    if dir.exists()
        && fs::read_dir(dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return refuse(
            format!(
                "{} exists and is not empty; choose a new folder",
                dir.display()
            ),
            format!("{} 已存在且不是空的；请换一个新文件夹", dir.display()),
        );
    }
    let day = now.format("%Y-%m-%d");
    write_new(
        &dir.join("site.yaml"),
        "title: 抗疫日记\nsubtitle: 记录身边的白衣战士\nbase_url: https://example.org/\nlanguage: zh-CN\ntimezone: Asia/Shanghai\ndescription: 我市支援湖北医疗队的工作日记与光荣榜。\nauthor: 市委宣传部\nentries_per_page: 10\nfeed: { limit: 20, full_content: true }\ntheme: default\nmarkdown: { unsafe_html: false }\n",
    )?;
    write_new(
        &dir.join("content/people/zhang-san.yaml"),
        "name: 张三\nrole: 护士\nunit: 市人民医院\nbatch: 1\ndeployed: 2020-02-09\nreturned: 2020-03-30\nmotto: 守护每一位病人。\nbio: |\n  这是一个示例人物，请替换为真实资料。\n",
    )?;
    write_new(
        &dir.join(format!("content/diary/{day}-first-entry.md")),
        &format!(
            "---\ntitle: 第一篇日记\ndate: {day}\nauthor: zhang-san\ntags: [日记]\n---\n\n这是第一篇日记。用 Markdown 书写正文。\n"
        ),
    )?;
    write_new(
        &dir.join("content/pages/about.md"),
        "---\ntitle: 关于本栏目\nslug: about\nmenu: true\n---\n\n介绍这个栏目。\n",
    )?;
    fs::create_dir_all(dir.join("static/images"))
        .with_context(|| format!("cannot create {}", dir.display()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_quoting_survives_any_title() {
        assert_eq!(yaml_str("a \"b\" \\ c"), r#""a \"b\" \\ c""#);
        #[derive(serde::Deserialize)]
        struct T {
            t: String,
        }
        for s in ["记者：\"你好\"", "a: b # c", "- x", "{y}", "tab\there"] {
            let parsed: T =
                crate::yaml::parse(&format!("t: {}\n", yaml_str(s)), Path::new("x"), 1).unwrap();
            assert_eq!(parsed.t, s);
        }
    }
}
