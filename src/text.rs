//! Text leaves: bytes to text (BOM, line endings, invalid UTF-8 located).

use std::borrow::Cow;
use std::path::Path;

use crate::diag::SourceError;

/// Bytes → text: a UTF-8 BOM is dropped, CRLF becomes LF (line numbers do not
/// change), and invalid UTF-8 is a located error instead of a panic.
pub fn decode_utf8<'a>(bytes: &'a [u8], path: &Path) -> Result<Cow<'a, str>, SourceError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let good = &bytes[..e.valid_up_to()];
            let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
            let line_start = good.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            let col = String::from_utf8_lossy(&good[line_start..]).chars().count() + 1;
            return Err(SourceError::at(path, line, col, "file is not valid UTF-8")
                .hint("save the file as UTF-8 (in most editors: File › Save with Encoding › UTF-8)")
                .zh("文件不是有效的 UTF-8 编码")
                .zh_hint("把文件另存为 UTF-8 编码（多数编辑器：文件 › 另存为 › 编码选 UTF-8）"));
        }
    };
    if text.contains('\r') {
        Ok(Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n")))
    } else {
        Ok(Cow::Borrowed(text))
    }
}

/// `s` without the characters HTML forbids in text: control characters
/// other than tab, line feed and carriage return (C0, DEL, C1) and
/// noncharacters. YAML escapes (`"\x0b"`) and pasted text can hold them;
/// browsers show them as boxes or nothing, and validators refuse them.
pub fn without_forbidden(s: &str) -> std::borrow::Cow<'_, str> {
    if may_hold_forbidden(s.as_bytes()) && s.chars().any(is_forbidden_in_text) {
        s.chars().filter(|&c| !is_forbidden_in_text(c)).collect()
    } else {
        s.into()
    }
}

/// Whether `s` (UTF-8) may encode a character [`is_forbidden_in_text`]
/// refuses, read byte by byte (every body passes through here twice, and
/// decoding it char by char cost more than the check). Never false for a
/// string that holds one; true also for some that do not (a four-byte
/// character whose third byte is `BF`).
fn may_hold_forbidden(s: &[u8]) -> bool {
    // A block's test has no branch, so it runs many bytes at a time; each
    // byte is looked at with the two after it.
    const BLOCK: usize = 64;
    let block = |from: usize| -> &[u8; BLOCK] {
        s[from..from + BLOCK]
            .try_into()
            .expect("a slice of BLOCK bytes")
    };
    let mut at = 0;
    while at + BLOCK + 2 <= s.len() {
        let (b0, b1, b2) = (block(at), block(at + 1), block(at + 2));
        let mut hit = 0u8;
        for k in 0..BLOCK {
            hit |= u8::from(starts_forbidden(b0[k], b1[k], b2[k]));
        }
        if hit != 0 {
            return true;
        }
        at += BLOCK;
    }
    let byte = |i: usize| s.get(i).copied().unwrap_or(0);
    (at..s.len()).any(|i| starts_forbidden(s[i], byte(i + 1), byte(i + 2)))
}

/// Whether a character that may be forbidden starts at byte `b`, followed
/// by `b1` and `b2` (`0` past the end), without a branch.
#[inline(always)]
fn starts_forbidden(b: u8, b1: u8, b2: u8) -> bool {
    // C0 controls but tab, line feed and carriage return; DEL.
    let c0 = (b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r') | (b == 0x7F);
    // C1 controls: U+0080..U+009F (C2 80..9F).
    let c1 = (b == 0xC2) & (b1 < 0xA0);
    // U+FDD0..U+FDEF (EF B7 90..AF) and U+FFFE, U+FFFF (EF BF BE, BF).
    let bmp = (b == 0xEF)
        & (((b1 == 0xB7) & (b2.wrapping_sub(0x90) < 0x20)) | ((b1 == 0xBF) & (b2 >= 0xBE)));
    // U+xFFFE, U+xFFFF of the other planes: F0..F4, then x?, BF, BE/BF.
    let planes = (b.wrapping_sub(0xF0) < 5) & (b2 == 0xBF);
    c0 | c1 | bmp | planes
}

fn is_forbidden_in_text(c: char) -> bool {
    let n = u32::from(c);
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        || (0xFDD0..=0xFDEF).contains(&n)
        || n & 0xFFFE == 0xFFFE
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forbidden_characters_are_found_in_every_encoding_length() {
        let forbidden = [
            '\u{0}',
            '\u{b}',
            '\u{1f}',
            '\u{7f}',
            '\u{80}',
            '\u{9f}',
            '\u{fdd0}',
            '\u{fdef}',
            '\u{fffe}',
            '\u{ffff}',
            '\u{1fffe}',
            '\u{10ffff}',
        ];
        for c in forbidden {
            let s = format!("前{c}后");
            assert_eq!(without_forbidden(&s), "前后", "{:?}", c);
        }
        let kept = "\t\n\r é ¿ ，“”\u{fdcf}\u{fdf0}\u{fffd}\u{1f600}\u{10fffd} 武汉";
        assert!(matches!(
            without_forbidden(kept),
            std::borrow::Cow::Borrowed(_)
        ));
        // The byte scan agrees with the char check on every character, at
        // the end of a string, at the start of a block, and across the end
        // of one.
        for n in 0..0x11_0000u32 {
            if let Some(c) = char::from_u32(n)
                && is_forbidden_in_text(c)
            {
                for at in [0, 63] {
                    let s = format!("{}{c}{}", "a".repeat(at), "b".repeat(40));
                    assert!(may_hold_forbidden(s.as_bytes()), "U+{n:04X} at {at}");
                }
                assert!(may_hold_forbidden(c.to_string().as_bytes()), "U+{n:04X}");
            }
        }
    }

    #[test]
    fn forbidden_characters_are_dropped_anywhere_in_a_long_text() {
        let text = "武汉，第一天。“护士”说：￥1·2 ok\n".repeat(6);
        assert!(matches!(
            without_forbidden(&text),
            std::borrow::Cow::Borrowed(_)
        ));
        let bytes: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        for &at in &bytes {
            for c in ['\u{1}', '\u{85}', '\u{fdd5}', '\u{ffff}', '\u{2fffe}'] {
                let s = format!("{}{c}{}", &text[..at], &text[at..]);
                assert_eq!(without_forbidden(&s), text, "{c:?} at byte {at}");
            }
        }
    }

    #[test]
    fn bom_and_crlf_are_accepted() {
        let t = decode_utf8(b"\xEF\xBB\xBFa\r\nb", Path::new("x")).unwrap();
        assert_eq!(t, "a\nb");
    }

    #[test]
    fn invalid_utf8_is_located() {
        let e = decode_utf8(b"ok\nab\xFFc", Path::new("x.md")).unwrap_err();
        assert_eq!(e.location(), "x.md:2:3");
        assert_eq!(e.message, "file is not valid UTF-8");
    }
}
