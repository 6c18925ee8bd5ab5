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
    if s.chars().any(is_forbidden_in_text) {
        s.chars().filter(|&c| !is_forbidden_in_text(c)).collect()
    } else {
        s.into()
    }
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
