//! The one door to YAML. Every YAML document laurel reads (site.yaml, front
//! matter, profiles) goes through [`parse`], so the YAML crate can be swapped in
//! this file alone. It turns the crate's error into a [`SourceError`] whose
//! line is relative to the *file*, not to the YAML block inside it.

use serde::de::DeserializeOwned;
use std::path::Path;

use crate::diag::SourceError;

pub use serde_saphyr::Spanned;

/// Parses `text` as one YAML document into `T`.
///
/// `first_line` is the 1-based file line on which `text` starts (2 for front
/// matter after an opening `---`), so reported lines point into the file.
pub fn parse<T: DeserializeOwned>(
    text: &str,
    path: &Path,
    first_line: usize,
) -> Result<T, SourceError> {
    if text.trim().is_empty() {
        return Err(
            SourceError::at(path, first_line, 1, "the YAML block is empty")
                .hint("write `key: value` lines here")
                .zh("YAML 内容为空")
                .zh_hint("在这里写 `键: 值` 形式的行"),
        );
    }
    serde_saphyr::from_str::<T>(text).map_err(|e| {
        let (line, col) = e
            .location()
            .map_or((0, 0), |l| (l.line() as usize, l.column() as usize));
        let raw = e.without_snippet().to_string();
        let (line, col, said) = match typing_mistake(text, line, &raw) {
            Some(m) => (m.line, m.col, m.said),
            None => (line, col, explain(&raw)),
        };
        let line = if line == 0 { 0 } else { line + first_line - 1 };
        let mut err = SourceError::at(path, line, col, said.message).zh(said.zh_message);
        if let Some((hint, zh_hint)) = said.hint {
            err = err.hint(hint).zh_hint(zh_hint);
        }
        err
    })
}

/// Like [`parse`], but an unknown top-level key does not hide the rest of
/// the document: each one is reported, its lines are set aside, and the rest
/// is read, so that the caller can check the other values too. `None` when
/// the document cannot be read at all (its problems are in the list).
pub fn parse_all<T: DeserializeOwned>(
    text: &str,
    path: &Path,
    first_line: usize,
) -> (Option<T>, Vec<SourceError>) {
    let mut errors = Vec::new();
    let mut text = std::borrow::Cow::Borrowed(text);
    // Each round sets one key aside; a document has only so many.
    for _ in 0..64 {
        match parse::<T>(&text, path, first_line) {
            Ok(v) => return (Some(v), errors),
            Err(e) => {
                let top_level_unknown =
                    e.message.starts_with("unknown key `") && e.col == 1 && e.line >= first_line;
                let line = e.line.saturating_sub(first_line);
                errors.push(e);
                if !top_level_unknown {
                    return (None, errors);
                }
                text = std::borrow::Cow::Owned(without_key(&text, line));
            }
        }
    }
    (None, errors)
}

/// `text` with the top-level key on line `index` (0-based) and the lines
/// indented under it blanked out (line numbers of the rest unchanged).
fn without_key(text: &str, index: usize) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_key = false;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let newline = if line.ends_with('\n') { "\n" } else { "" };
        if i == index {
            in_key = true;
        } else if in_key && !(line.starts_with([' ', '\t']) || line.trim().is_empty()) {
            in_key = false;
        }
        out.push_str(if in_key { newline } else { line });
    }
    out
}

/// Line of a spanned value in the file, given where the YAML block starts.
pub fn line_col<T>(value: &Spanned<T>, first_line: usize) -> (usize, usize) {
    let line = value.referenced.line() as usize;
    let col = value.referenced.column() as usize;
    if line == 0 {
        (0, 0)
    } else {
        (line + first_line - 1, col)
    }
}

/// A spanned string from a YAML block starting at `first_line`, trimmed, with
/// its file position.
pub fn located(value: &Spanned<String>, first_line: usize) -> crate::diag::Located<String> {
    let (line, col) = line_col(value, first_line);
    crate::diag::Located {
        value: value.value.trim().to_string(),
        line,
        col,
    }
}

/// A spanned string as [`located`] gives it, with the characters HTML does
/// not allow in text dropped (see [`text`]): for values that are shown as text.
pub fn located_text(value: &Spanned<String>, first_line: usize) -> crate::diag::Located<String> {
    let mut l = located(value, first_line);
    l.value = text(&l.value);
    l
}

/// A string value that is shown as text, trimmed, without the characters HTML
/// forbids in text, which YAML's escapes (`"\0"`, `"\x0b"`, `"\u0085"`) can
/// write: control characters other than tab, line feed and carriage return
/// (C0, DEL, C1) and noncharacters. Values that are paths or ids are left
/// alone (their own checks refuse control characters).
pub fn text(s: &str) -> String {
    crate::text::without_forbidden(s).trim().to_string()
}

/// A mistake an input method or a word processor makes easy, found where
/// the YAML crate reports a syntax or type error (lines 1-based in `text`).
struct Mistake {
    line: usize,
    col: usize,
    said: Said,
}

/// What is wrong and how to fix it, in English and in Chinese.
struct Said {
    message: String,
    zh_message: String,
    /// The hint, in English and in Chinese.
    hint: Option<(String, String)>,
}

/// The usual mistakes of writers typing YAML with a Chinese input method,
/// named in their words instead of the parser's: a full-width colon after a
/// key, a tab in the indentation, a list written without brackets, a number
/// written in Chinese or full-width digits.
fn typing_mistake(text: &str, line: usize, raw: &str) -> Option<Mistake> {
    let lines: Vec<&str> = text.lines().collect();
    let syntax = !raw.starts_with("unknown field")
        && !raw.starts_with("missing field")
        && !raw.starts_with("duplicate mapping key");
    if !syntax {
        return None;
    }
    // `title：标题`: the parser sees one plain word, not a key.
    for (i, l) in lines.iter().enumerate() {
        let body = l.trim_start();
        let Some(at) = body.find(['：', '︰']) else {
            continue;
        };
        let key = body[..at].trim_end().trim_start_matches("- ");
        if !key.is_empty()
            && key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        {
            let indent = l.len() - body.len();
            let col = l[..indent + at].chars().count() + 1;
            let value = body[at + '：'.len_utf8()..].trim();
            return Some(Mistake {
                line: i + 1,
                col,
                said: Said {
                    message: format!(
                        "`{key}：` has a full-width colon; YAML needs an ASCII colon `:`"
                    ),
                    zh_message: format!("`{key}：` 用了全角冒号，YAML 要用半角冒号 `:`"),
                    hint: Some((
                        format!(
                            "write `{key}: {value}` (type the colon with the input method in English mode)"
                        ),
                        format!("改成 `{key}: {value}`（切换到英文输入法再输入冒号）"),
                    )),
                },
            });
        }
    }
    if raw.contains("tab") {
        let (i, l) = lines
            .iter()
            .enumerate()
            .find(|(_, l)| l.trim_start_matches(' ').starts_with('\t'))?;
        let col = l.find('\t').map_or(1, |c| l[..c].chars().count() + 1);
        return Some(Mistake {
            line: i + 1,
            col,
            said: Said {
                message: "a tab in the indentation; YAML indents with spaces only".into(),
                zh_message: "缩进里有制表符（Tab），YAML 只能用空格缩进".into(),
                hint: Some((
                    "replace the tab with two spaces".into(),
                    "把制表符换成两个空格".into(),
                )),
            },
        });
    }
    let src = lines.get(line.checked_sub(1)?)?;
    let (key, value) = src.trim_start().split_once(':')?;
    let (key, value) = (key.trim().trim_start_matches("- "), value.trim());
    let col = src.len() - src.trim_start().len() + key.chars().count() + 3;
    if raw.contains("expected sequence") && !value.is_empty() && !value.starts_with('[') {
        let items: Vec<&str> = value
            .split([',', '，', '、'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        let list = items.join(", ");
        return Some(Mistake {
            line,
            col,
            said: Said {
                message: format!("`{key}` is a list: put its items in brackets"),
                zh_message: format!("`{key}` 是列表，要把各项放进方括号"),
                hint: Some((
                    format!("write `{key}: [{list}]`"),
                    format!("改成 `{key}: [{list}]`（用半角逗号分隔）"),
                )),
            },
        });
    }
    if raw.contains("invalid u") || raw.contains("invalid i") {
        let n = whole_number(value)?;
        return Some(Mistake {
            line,
            col,
            said: Said {
                message: format!("`{key}` is a number written as `{value}`"),
                zh_message: format!("`{key}` 应是数字，这里写成了 `{value}`"),
                hint: Some((
                    format!("write `{key}: {n}` (digits, not Chinese or full-width numerals)"),
                    format!("改成 `{key}: {n}`（用阿拉伯数字，不用汉字或全角数字）"),
                )),
            },
        });
    }
    None
}

/// `二`, `十二`, `２` as a number.
fn whole_number(s: &str) -> Option<u32> {
    let digit = |c: char| match c {
        '〇' | '零' => Some(0),
        '一' => Some(1),
        '二' | '两' => Some(2),
        '三' => Some(3),
        '四' => Some(4),
        '五' => Some(5),
        '六' => Some(6),
        '七' => Some(7),
        '八' => Some(8),
        '九' => Some(9),
        '０'..='９' => Some(u32::from(c) - u32::from('０')),
        _ => None,
    };
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        [] => None,
        // 十, 十二, 二十, 二十三
        [.., '十', _] | [.., '十'] | ['十', ..] => {
            let at = chars.iter().position(|&c| c == '十')?;
            let tens = match &chars[..at] {
                [] => 1,
                [t] => digit(*t)?,
                _ => return None,
            };
            let ones = match &chars[at + 1..] {
                [] => 0,
                [o] => digit(*o)?,
                _ => return None,
            };
            Some(tens * 10 + ones)
        }
        _ => chars
            .iter()
            .try_fold(0u32, |n, &c| n.checked_mul(10)?.checked_add(digit(c)?)),
    }
}

/// Rewrites the crate's message into laurel's voice: no trailing location (we
/// print our own), no advice meant for programmers, plus a hint for users.
fn explain(raw: &str) -> Said {
    let msg = match raw.rfind(" at line ") {
        Some(i) => &raw[..i],
        None => raw,
    };
    let said = |message: String, hint: String, zh_message: String, zh_hint: String| Said {
        message,
        zh_message,
        hint: Some((hint, zh_hint)),
    };
    if let Some(rest) = msg.strip_prefix("unknown field ") {
        let (field, expected) = match rest.split_once(", expected ") {
            Some((f, e)) => (f, Some(e)),
            None => (rest, None),
        };
        let field_name = field.trim_matches('`');
        let names: Vec<&str> = expected
            .map(|e| {
                e.trim_start_matches("one of ")
                    .split(", ")
                    .map(|s| s.trim_matches('`'))
                    .collect()
            })
            .unwrap_or_default();
        let hint =
            expected.map(
                |_| match crate::diag::closest(field_name, names.iter().copied()) {
                    Some(c) => (
                        format!("did you mean `{c}`?"),
                        format!("是不是想写 `{c}`？"),
                    ),
                    None => (
                        format!("allowed keys: {}", names.join(", ")),
                        format!("可用的键：{}", names.join(", ")),
                    ),
                },
            );
        return Said {
            message: format!("unknown key `{field_name}`"),
            zh_message: format!("未知的键 `{field_name}`"),
            hint,
        };
    }
    if let Some(rest) = msg.strip_prefix("missing field ") {
        let field = rest.trim_matches('`');
        return said(
            format!("missing required key `{field}`"),
            format!("add a `{field}:` line"),
            format!("缺少必填的键 `{field}`"),
            format!("加上一行 `{field}:`"),
        );
    }
    if let Some(rest) = msg.strip_prefix("duplicate mapping key: ") {
        let key = rest.split(',').next().unwrap_or(rest);
        return said(
            format!("key `{key}` is given twice"),
            "keep only one of them".to_string(),
            format!("键 `{key}` 写了两次"),
            "只保留其中一个".to_string(),
        );
    }
    let (hint, zh_hint) = if msg.contains("invalid u") || msg.contains("invalid i") {
        ("write a whole number here", "这里要写一个整数")
    } else if msg.contains("expected string") {
        (
            "write a plain text value here (quote it if it has special characters)",
            "这里要写一段文字（含特殊字符时加引号）",
        )
    } else if msg.contains("expected a sequence") || msg.contains("expected sequence") {
        ("write a list, e.g. `[a, b]`", "这里要写列表，例如 `[a, b]`")
    } else {
        (
            "check the YAML syntax on this line (indentation, colons, quotes)",
            "检查这一行的 YAML 写法（缩进、冒号、引号）",
        )
    };
    said(
        msg.to_string(),
        hint.to_string(),
        format!("YAML 写法有误：{msg}"),
        zh_hint.to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct T {
        title: String,
        #[serde(default)]
        count: u32,
    }

    fn err(text: &str, first_line: usize) -> String {
        parse::<T>(text, Path::new("x.md"), first_line)
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn unknown_key_names_key_line_and_suggestion() {
        assert_eq!(
            err("title: a\ntitel: b\n", 2),
            "x.md:3:1: unknown key `titel`\n  hint: did you mean `title`?"
        );
    }

    #[test]
    fn missing_key() {
        assert_eq!(
            err("count: 1\n", 1),
            "x.md:1:1: missing required key `title`\n  hint: add a `title:` line"
        );
    }

    #[test]
    fn wrong_type_is_located_in_the_file() {
        assert_eq!(
            err("title: a\ncount: many\n", 5),
            "x.md:6:8: invalid u32\n  hint: write a whole number here"
        );
    }

    #[test]
    fn duplicate_key() {
        assert_eq!(
            err("title: a\ntitle: b\n", 1),
            "x.md:2:1: key `title` is given twice\n  hint: keep only one of them"
        );
    }

    #[test]
    fn every_unknown_key_is_reported_and_the_rest_still_read() {
        let (v, errs) = parse_all::<T>(
            "titel: a\n  more\ntitle: b\ncout: 2\ncount: 3\n",
            Path::new("x.md"),
            2,
        );
        let v = v.expect("the rest is read");
        assert_eq!((v.title.as_str(), v.count), ("b", 3));
        let msgs: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
        assert_eq!(
            msgs,
            [
                "x.md:2:1: unknown key `titel`\n  hint: did you mean `title`?",
                "x.md:5:1: unknown key `cout`\n  hint: did you mean `count`?"
            ]
        );
        // Other problems still end the document.
        let (v, errs) = parse_all::<T>("title: a\ncount: many\n", Path::new("x.md"), 1);
        assert!(v.is_none());
        assert_eq!(errs.len(), 1);
    }

    #[test]
    fn text_drops_what_html_forbids() {
        assert_eq!(
            text(" a\u{0}b\u{b}c\u{7f}d\u{85}e\u{9f}\u{c}f\u{fffe}\u{fdd0}\u{10ffff} "),
            "abcdef"
        );
        assert_eq!(text("\u{0}"), "");
        assert_eq!(text("a\tb\nc\rd 记者：\u{a0}"), "a\tb\nc\rd 记者：");
    }

    #[test]
    fn chinese_and_full_width_numbers_are_read_for_the_hint() {
        for (s, n) in [
            ("二", 2),
            ("十", 10),
            ("十二", 12),
            ("二十", 20),
            ("九十九", 99),
            ("１２", 12),
            ("〇", 0),
        ] {
            assert_eq!(whole_number(s), Some(n), "{s}");
        }
        for s in ["", "二十十", "百", "abc", "一百二十"] {
            assert_eq!(whole_number(s), None, "{s}");
        }
    }

    #[test]
    fn empty_document() {
        assert_eq!(
            err("  \n", 2),
            "x.md:2:1: the YAML block is empty\n  hint: write `key: value` lines here"
        );
    }
}
