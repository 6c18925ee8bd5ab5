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
/// string that holds one; true also for some that do not (`U+0080`..
/// `U+00BF` share a lead byte with C1).
fn may_hold_forbidden(s: &[u8]) -> bool {
    s.iter().enumerate().any(|(i, &b)| match b {
        b'\t' | b'\n' | b'\r' => false,
        0x00..=0x1F | 0x7F => true,
        // C1 controls: U+0080..U+009F.
        0xC2 => true,
        // U+FDD0..U+FDEF (EF B7 90..AF) and U+FFFE, U+FFFF (EF BF BE, BF).
        0xEF => matches!(s.get(i + 1), Some(0xB7 | 0xBF)),
        // U+xFFFE, U+xFFFF of the other planes: F0..F4, then x?, BF, BE/BF.
        0xF0..=0xF4 => s.get(i + 2) == Some(&0xBF),
        _ => false,
    })
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
        // The byte scan agrees with the char check on every character.
        for n in 0..0x11_0000u32 {
            if let Some(c) = char::from_u32(n) {
                let mut buf = [0; 4];
                let bytes = c.encode_utf8(&mut buf).as_bytes();
                if is_forbidden_in_text(c) {
                    assert!(may_hold_forbidden(bytes), "U+{n:04X}");
                }
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
