//! The Chinese copy lint of `laurel check`: spacing between CJK and Latin
//! letters or digits, and half-width punctuation inside Chinese sentences,
//! as the `autocorrect` crate's rules judge them. Only prose is read: the
//! text of paragraphs, headings, lists, tables, quotes, link texts and image
//! descriptions; never code (blocks or inline), raw HTML, link destinations
//! or the front matter. Each run of text is formatted by autocorrect and
//! the two versions are walked side by side once (linear in the text), so
//! each difference is reported where it was typed.

use pulldown_cmark::{Event, LinkType, Parser, Tag, TagEnd};

use super::InFile;
use super::position::{in_source, line_cols};
use crate::diag::Msg;

/// One copy problem in a document (1-based line, column in characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyProblem {
    pub line: usize,
    pub col: usize,
    pub message: Msg,
    pub hint: Msg,
}

impl InFile for CopyProblem {
    fn in_file(mut self, first_line: usize, indent: usize) -> CopyProblem {
        self.line += first_line - 1;
        self.col += indent;
        self
    }
}

/// A run of prose: its text, and where each piece of it was written.
#[derive(Default)]
struct Run {
    text: String,
    /// (offset in `text`, source range of the event, text is the source slice).
    pieces: Vec<(usize, usize, bool)>,
}

impl Run {
    /// The source offset of byte `at` of the run.
    fn source(&self, at: usize) -> usize {
        let i = self.pieces.partition_point(|&(start, _, _)| start <= at);
        let (start, src, exact) = self.pieces[i.saturating_sub(1)];
        if exact { src + (at - start) } else { src }
    }
}

/// Every copy problem of `markdown`, in document order.
pub fn lint(markdown: &str) -> Vec<CopyProblem> {
    let mut runs: Vec<Run> = Vec::new();
    let mut run = Run::default();
    // Inside code, raw HTML blocks or an autolink (its text is its URL).
    let mut skip = 0usize;
    let end_run = |run: &mut Run, runs: &mut Vec<Run>| {
        if !run.text.is_empty() {
            runs.push(std::mem::take(run));
        }
    };
    let parser = Parser::new_ext(markdown, super::parser_options()).into_offset_iter();
    for (event, range) in parser {
        match event {
            Event::Text(t) if skip == 0 => {
                let at = in_source(markdown, &range, &t);
                run.pieces.push((run.text.len(), at(0), at(1) == at(0) + 1));
                run.text.push_str(&t);
            }
            Event::Text(_) => {}
            Event::Start(Tag::CodeBlock(_) | Tag::HtmlBlock | Tag::MetadataBlock(_))
            | Event::Start(Tag::Link {
                link_type: LinkType::Autolink | LinkType::Email,
                ..
            }) => {
                end_run(&mut run, &mut runs);
                skip += 1;
            }
            Event::End(TagEnd::CodeBlock | TagEnd::HtmlBlock | TagEnd::MetadataBlock(_)) => {
                skip = skip.saturating_sub(1);
            }
            Event::End(TagEnd::Link) if skip > 0 => {
                // Only an autolink's end can close a skip inside prose.
                skip -= 1;
            }
            // Emphasis, links and images keep the sentence going.
            Event::Start(Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. })
            | Event::End(
                TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link,
            ) => {}
            // Anything else (code, HTML, breaks, block boundaries) ends it.
            _ => end_run(&mut run, &mut runs),
        }
    }
    end_run(&mut run, &mut runs);

    let mut found: Vec<(usize, Msg, Msg)> = Vec::new();
    for r in &runs {
        let fixed = autocorrect::format(&r.text);
        if fixed != r.text {
            for (at, message, hint) in differences(&r.text, &fixed) {
                found.push((r.source(at), message, hint));
            }
        }
    }
    let offsets: Vec<usize> = found.iter().map(|f| f.0).collect();
    line_cols(markdown, &offsets)
        .into_iter()
        .zip(found)
        .map(|((line, col), (_, message, hint))| CopyProblem {
            line,
            col,
            message,
            hint,
        })
        .collect()
}

/// Half-width punctuation autocorrect replaces inside Chinese text.
fn is_half_width_punctuation(c: char) -> bool {
    matches!(c, ',' | '.' | ':' | ';' | '?' | '!' | '(' | ')' | '[' | ']')
}

/// The differences between `text` and autocorrect's `fixed` version, each
/// as (byte offset in `text`, message, hint). One pass over both: an added
/// space, a removed space and a replaced character each resynchronize at
/// the next character; anything else is reported once, where it starts.
/// Spaces missing close together (`2020年2月25日`) are one problem.
fn differences(text: &str, fixed: &str) -> Vec<(usize, Msg, Msg)> {
    let a: Vec<(usize, char)> = text.char_indices().collect();
    let b: Vec<char> = fixed.chars().collect();
    let mut out = Vec::new();
    // Missing spaces not reported yet: (index in `a`, index in `b` of the space).
    let mut spaces: Vec<(usize, usize)> = Vec::new();
    let (mut i, mut j) = (0, 0);
    let near = |i: usize| -> String {
        let from = i.saturating_sub(3);
        a[from..(i + 3).min(a.len())]
            .iter()
            .map(|&(_, c)| c)
            .collect()
    };
    while i < a.len() && j < b.len() {
        let c = a[i].1;
        if c == b[j] {
            i += 1;
            j += 1;
            continue;
        }
        if b[j] == ' ' && b.get(j + 1) == Some(&c) && i > 0 {
            // One problem goes on over a Latin word or number, or over one
            // Chinese character, between two missing spaces.
            if let Some(&(last, _)) = spaces.last()
                && !(a[last..i].iter().all(|&(_, c)| c.is_ascii_alphanumeric())
                    || (i - last == 1 && a[last].1.is_alphanumeric()))
            {
                out.push(missing_spaces(&a, &b, &spaces));
                spaces.clear();
            }
            spaces.push((i, j));
            j += 1;
            continue;
        }
        if !spaces.is_empty() {
            out.push(missing_spaces(&a, &b, &spaces));
            spaces.clear();
        }
        if c.is_whitespace() && a.get(i + 1).map(|x| x.1) == Some(b[j]) {
            out.push((
                a[i].0,
                Msg::new(
                    format!("space beside full-width punctuation in `{}`", near(i)),
                    format!("`{}` 里全角标点旁有空格", near(i)),
                ),
                Msg::new(
                    "remove the space: full-width punctuation carries its own",
                    "删掉这个空格：全角标点本身已带间距",
                ),
            ));
            i += 1;
        } else if (a.get(i + 1).map(|x| x.1) == b.get(j + 1).copied()) || i + 1 == a.len() {
            let message = if is_half_width_punctuation(c) {
                Msg::new(
                    format!("half-width `{c}` in Chinese text"),
                    format!("中文里用了半角的 `{c}`"),
                )
            } else {
                Msg::new(
                    format!("`{c}` in Chinese text"),
                    format!("中文里用了 `{c}`"),
                )
            };
            let hint = Msg::new(
                format!("write `{}` instead", b[j]),
                format!("改成 `{}`", b[j]),
            );
            out.push((a[i].0, message, hint));
            i += 1;
            j += 1;
        } else {
            let should: String = b[j..(j + 6).min(b.len())].iter().collect();
            out.push((
                a[i].0,
                Msg::new(
                    format!("copy problem at `{}`", near(i)),
                    format!("`{}` 处的文字格式问题", near(i)),
                ),
                Msg::new(
                    format!("autocorrect would write `{should}`"),
                    format!("autocorrect 会写成 `{should}`"),
                ),
            ));
            return out;
        }
    }
    if !spaces.is_empty() {
        out.push(missing_spaces(&a, &b, &spaces));
    }
    // What is left over is a space autocorrect adds at the end of a run,
    // against what follows it, which it did not see: not the run's problem.
    out
}

/// One problem for spaces missing close together: at the first of them,
/// showing the words around them as written and as they should be.
fn missing_spaces(a: &[(usize, char)], b: &[char], spaces: &[(usize, usize)]) -> (usize, Msg, Msg) {
    let (first_a, first_b) = spaces[0];
    let (last_a, last_b) = spaces[spaces.len() - 1];
    // A Latin word or number beside the gap is shown whole; a Chinese
    // character by itself.
    let latin = |c: char| c.is_ascii_alphanumeric();
    let mut left = 1;
    while left < first_a
        && left < first_b
        && latin(a[first_a - 1].1)
        && latin(a[first_a - left - 1].1)
    {
        left += 1;
    }
    let mut right = 1;
    while last_a + right < a.len() && latin(a[last_a].1) && latin(a[last_a + right].1) {
        right += 1;
    }
    let written: String = a[first_a - left..last_a + right]
        .iter()
        .map(|&(_, c)| c)
        .collect();
    let should: String = b[first_b - left..(last_b + 1 + right).min(b.len())]
        .iter()
        .collect();
    (
        a[first_a].0,
        Msg::new(
            format!("no space between Chinese and Latin letters or digits in `{written}`"),
            format!("`{written}` 里中文与英文字母或数字之间没有空格"),
        ),
        Msg::new(format!("write `{should}`"), format!("写成 `{should}`")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(md: &str) -> Vec<String> {
        lint(md)
            .into_iter()
            .map(|p| format!("{}:{} {} ({})", p.line, p.col, p.message, p.hint))
            .collect()
    }

    #[test]
    fn spacing_and_punctuation_are_located() {
        assert_eq!(
            shown("# 标题\n\n今天有3名护士,值夜班\n"),
            [
                "3:4 no space between Chinese and Latin letters or digits in `有3名` (write `有 3 名`)",
                "3:8 half-width `,` in Chinese text (write `，` instead)",
            ]
        );
    }

    #[test]
    fn code_urls_and_html_are_not_prose() {
        assert!(
            shown("```\n中文abc,\n```\n\n`中文abc`\n\n<https://e.org/中文a>\n\n<p>中文abc</p>\n")
                .is_empty()
        );
        assert!(shown("[链接](https://e.org/a,b中文c)。\n").is_empty());
        assert!(shown("Hello world, this is fine.\n").is_empty());
    }

    #[test]
    fn spaces_missing_close_together_are_one_problem() {
        assert_eq!(
            shown("自2020年2月25日起在ICU和CCU工作\n"),
            [
                "1:2 no space between Chinese and Latin letters or digits in `自2020年2月25日` (write `自 2020 年 2 月 25 日`)",
                "1:14 no space between Chinese and Latin letters or digits in `在ICU和CCU工` (write `在 ICU 和 CCU 工`)",
            ]
        );
    }

    #[test]
    fn emphasis_continues_the_sentence() {
        assert_eq!(
            shown("他说**你好**,再见\n"),
            ["1:9 half-width `,` in Chinese text (write `，` instead)"]
        );
    }
}
