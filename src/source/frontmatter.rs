//! Splits a Markdown file into its YAML front matter and its body, keeping
//! track of the file line each part starts on.

use std::path::Path;

use crate::diag::SourceError;

/// The two halves of a Markdown file with front matter.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    pub yaml: &'a str,
    /// File line of the first YAML line (2 when the file starts with `---`).
    pub yaml_line: usize,
    pub body: &'a str,
    /// File line of the first body line.
    pub body_line: usize,
}

/// Splits `text` (already LF-normalized) at its `---` fences.
pub fn split<'a>(text: &'a str, path: &Path) -> Result<Split<'a>, SourceError> {
    // Blank lines before the opening fence are tolerated; anything else is not.
    let leading = text.len() - text.trim_start_matches(['\n', ' ', '\t']).len();
    let start_line = text[..leading].matches('\n').count() + 1;
    let rest = &text[leading..];
    let Some(after_open) = rest.strip_prefix("---") else {
        return Err(SourceError::at(path, start_line, 1, "missing front matter")
            .hint("start the file with a line `---`, then `title:` and `date:`, then another `---`")
            .zh("缺少文件头（front matter）")
            .zh_hint("文件第一行写 `---`，接着写 `title:` 和 `date:`，再写一行 `---`"));
    };
    let Some(nl) = after_open.find('\n') else {
        return Err(
            SourceError::at(path, start_line, 1, "front matter is never closed")
                .hint("add a line `---` after the front matter")
                .zh("文件头（front matter）没有结束")
                .zh_hint("在文件头后面加一行 `---`"),
        );
    };
    if !after_open[..nl].trim().is_empty() {
        return Err(SourceError::at(
            path,
            start_line,
            4,
            "unexpected text after the opening `---`",
        )
        .hint("the opening `---` must be alone on its line")
        .zh("开头的 `---` 后面不能有别的文字")
        .zh_hint("开头的 `---` 要单独占一行"));
    }
    let yaml_start = leading + 3 + nl + 1;
    let yaml_line = start_line + 1;
    // Find the closing fence: a line that is exactly `---` (or `...`).
    let mut offset = yaml_start;
    for (line, l) in (yaml_line..).zip(text[yaml_start..].split_inclusive('\n')) {
        let trimmed = l.trim_end();
        if trimmed == "---" || trimmed == "..." {
            let body_start = offset + l.len();
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                yaml_line,
                body: &text[body_start.min(text.len())..],
                body_line: line + 1,
            });
        }
        offset += l.len();
    }
    Err(
        SourceError::at(path, start_line, 1, "front matter is never closed")
            .hint("add a line `---` after the last front-matter line")
            .zh("文件头（front matter）没有结束")
            .zh_hint("在文件头最后一行后面加一行 `---`"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p() -> &'static Path {
        Path::new("a.md")
    }

    #[test]
    fn splits_and_counts_lines() {
        let s = split("---\ntitle: a\ndate: 2020-02-10\n---\nbody\n", p()).unwrap();
        assert_eq!(s.yaml, "title: a\ndate: 2020-02-10\n");
        assert_eq!(s.yaml_line, 2);
        assert_eq!(s.body, "body\n");
        assert_eq!(s.body_line, 5);
    }

    #[test]
    fn leading_blank_lines_shift_lines() {
        let s = split("\n\n---\ntitle: a\n---\n", p()).unwrap();
        assert_eq!(s.yaml_line, 4);
        assert_eq!(s.body, "");
    }

    #[test]
    fn closing_fence_at_end_of_file_leaves_an_empty_body() {
        // Found by the fuzzer: no newline after the closing fence.
        let s = split("---\ntitle: a\n---", p()).unwrap();
        assert_eq!(s.yaml, "title: a\n");
        assert_eq!(s.body, "");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn unclosed_front_matter() {
        let e = split("---\ntitle: a\n\nbody", p()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "a.md:1:1: front matter is never closed\n  hint: add a line `---` after the last front-matter line"
        );
    }

    #[test]
    fn missing_front_matter() {
        let e = split("# just markdown\n", p()).unwrap_err();
        assert_eq!(e.location(), "a.md:1:1");
        assert_eq!(e.message, "missing front matter");
    }

    #[test]
    fn fence_needs_its_own_line() {
        let e = split("--- title: a\n---\n", p()).unwrap_err();
        assert_eq!(e.message, "unexpected text after the opening `---`");
    }
}
