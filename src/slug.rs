//! URL slugs: this module owns turning arbitrary titles, tags and heading
//! texts into lowercase ASCII path segments (`[a-z0-9-]`), with Han characters
//! spelled as toneless pinyin and other scripts transliterated by deunicode; it
//! also validates user-supplied `slug:` values and provides a stable hash-based
//! fallback for inputs that transliterate to nothing.

use pinyin::ToPinyin;

/// Longest slug we produce or accept, in bytes (slugs are ASCII, so also chars).
const MAX_SLUG_LEN: usize = 80;

/// Device names Windows refuses as file names, even with an extension.
const WINDOWS_RESERVED: [&str; 22] = [
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
    "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// Builds a slug word by word; separators are recorded lazily so runs of
/// them collapse and none is ever emitted at either end.
struct SlugBuilder {
    out: String,
    pending_sep: bool,
}

impl SlugBuilder {
    fn new(capacity: usize) -> Self {
        SlugBuilder {
            out: String::with_capacity(capacity),
            pending_sep: false,
        }
    }

    fn separator(&mut self) {
        self.pending_sep = true;
    }

    fn push_char(&mut self, c: char) {
        if self.pending_sep && !self.out.is_empty() {
            self.out.push('-');
        }
        self.pending_sep = false;
        self.out.push(c);
    }

    /// Pushes a stand-alone word (pinyin syllable, symbol name): it never
    /// fuses with its neighbours, so `C++` becomes `c-plus-plus`.
    fn push_word(&mut self, word: &str) {
        self.separator();
        self.push_ascii(word);
        self.separator();
    }

    /// Pushes ASCII-ish text (deunicode output, pinyin): letters and digits
    /// join the current word, the named symbols become words, and anything
    /// else separates words.
    fn push_ascii(&mut self, s: &str) {
        for c in s.chars() {
            if c.is_ascii_alphanumeric() {
                self.push_char(c.to_ascii_lowercase());
            } else if let Some(word) = symbol_word(c) {
                self.push_word(word);
            } else if c.is_ascii() {
                self.separator();
            } else {
                // Pinyin spells ü as a non-ASCII letter ("lü"); transliterate
                // it in place. deunicode output is ASCII, so this cannot loop.
                match deunicode::deunicode_char(c) {
                    Some(t) if t.is_ascii() => self.push_ascii(t),
                    _ => self.separator(),
                }
            }
        }
    }

    fn finish(self) -> String {
        self.out
    }
}

/// Symbols that carry meaning in tags (`C++` vs `C#` vs `C`), spelled out.
fn symbol_word(c: char) -> Option<&'static str> {
    match c {
        '+' => Some("plus"),
        '#' => Some("sharp"),
        '&' => Some("and"),
        '@' => Some("at"),
        _ => None,
    }
}

/// Turns any text into a URL-safe slug of `[a-z0-9-]`, at most
/// 80 bytes, without leading, trailing or doubled hyphens.
///
/// Han characters become toneless pinyin syllables, one word each
/// (`抵达武汉的第一天` → `di-da-wu-han-de-di-yi-tian`); other non-ASCII text is
/// transliterated with deunicode (`Café` → `cafe`); `+ # & @` become the words
/// `plus sharp and at`. The result may be empty (`..`, `???`); callers then use
/// [`fallback_slug`]. A result that would be a Windows device name (`con`,
/// `lpt1`, …) gets a `-x` suffix so every non-empty result passes
/// [`is_safe_slug`]. Idempotent: `slugify(&slugify(s)) == slugify(s)`.
pub fn slugify(s: &str) -> String {
    let mut b = SlugBuilder::new(s.len().min(MAX_SLUG_LEN * 2));
    for c in s.chars() {
        if c.is_ascii() {
            // Fast path for the common case; also routes symbols to words.
            let mut buf = [0u8; 4];
            b.push_ascii(c.encode_utf8(&mut buf));
        } else if let Some(py) = c.to_pinyin() {
            b.push_word(py.plain());
        } else {
            match deunicode::deunicode_char(c) {
                Some(t) => b.push_ascii(t),
                None => b.separator(),
            }
        }
        // The builder can only grow; once well past the cap the rest of a
        // huge input cannot change the truncated result, so stop early.
        if b.out.len() > MAX_SLUG_LEN + 1 {
            break;
        }
    }
    let mut slug = b.finish();
    truncate_slug(&mut slug);
    if WINDOWS_RESERVED.contains(&slug.as_str()) {
        slug.push_str("-x");
    }
    slug
}

/// Caps `slug` at 80 bytes, cutting at a hyphen when one exists
/// so no word is chopped in half. The slug is pure ASCII, so any byte index is
/// a char boundary.
fn truncate_slug(slug: &mut String) {
    if slug.len() <= MAX_SLUG_LEN {
        return;
    }
    let bytes = slug.as_bytes();
    let cut = if bytes[MAX_SLUG_LEN] == b'-' {
        MAX_SLUG_LEN
    } else {
        bytes[..MAX_SLUG_LEN]
            .iter()
            .rposition(|&b| b == b'-')
            .unwrap_or(MAX_SLUG_LEN)
    };
    slug.truncate(cut);
    while slug.ends_with('-') {
        slug.pop();
    }
}

/// True iff `s` is usable as-is as a path segment: non-empty, only
/// `[a-z0-9-]`, no leading or trailing `-`, at most 80 bytes,
/// and not a Windows reserved device name (`con`, `prn`, `aux`, `nul`,
/// `com1`–`com9`, `lpt1`–`lpt9`). Used to validate user-given `slug:` values.
pub fn is_safe_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= MAX_SLUG_LEN
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !WINDOWS_RESERVED.contains(&s)
}

/// Slug for inputs whose [`slugify`] is empty (`..`, `???`): `t-` followed by
/// 8 hex digits of the 64-bit FNV-1a hash of the UTF-8 bytes, folded to 32
/// bits. Stable across runs, platforms and Rust versions.
pub fn fallback_slug(s: &str) -> String {
    let h = fnv1a64(s.as_bytes());
    // Fold the high half in so both halves of the hash contribute.
    format!("t-{:08x}", (h ^ (h >> 32)) as u32)
}

/// 64-bit FNV-1a; written out here because std's hashers are not guaranteed
/// stable across releases.
fn fnv1a64(bytes: &[u8]) -> u64 {
    const OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    bytes
        .iter()
        .fold(OFFSET_BASIS, |h, &b| (h ^ u64::from(b)).wrapping_mul(PRIME))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn han_becomes_pinyin_words() {
        assert_eq!(slugify("第一天"), "di-yi-tian");
        assert_eq!(slugify("抗疫 日记"), "kang-yi-ri-ji");
        assert_eq!(slugify("抵达武汉的第一天"), "di-da-wu-han-de-di-yi-tian");
        assert_eq!(slugify("2020年2月"), "2020-nian-2-yue");
        assert_eq!(slugify("绿色"), "lu-se");
    }

    #[test]
    fn latin_and_other_scripts() {
        assert_eq!(slugify("Café"), "cafe");
        assert_eq!(slugify("Hello, World!"), "hello-world");
        assert_eq!(slugify("  Spaces   everywhere  "), "spaces-everywhere");
        assert_eq!(slugify("Straße"), "strasse");
        assert_eq!(slugify("😷"), "mask");
        assert_eq!(slugify("口罩😷"), "kou-zhao-mask");
        assert_eq!(slugify("ひらがな"), "hiragana");
    }

    #[test]
    fn symbols_become_words() {
        assert_eq!(slugify("C++"), "c-plus-plus");
        assert_eq!(slugify("C#"), "c-sharp");
        assert_eq!(slugify("C"), "c");
        assert_eq!(slugify("R&D"), "r-and-d");
        assert_eq!(slugify("me@home"), "me-at-home");
        assert_eq!(slugify("Ｃ＋＋"), "c-plus-plus");
    }

    #[test]
    fn separators_collapse() {
        assert_eq!(slugify("a/b"), "a-b");
        assert_eq!(slugify(".."), "");
        assert_eq!(slugify("???"), "");
        assert_eq!(slugify(""), "");
        assert_eq!(slugify("--a--b--"), "a-b");
        assert_eq!(slugify("../../etc/passwd"), "etc-passwd");
        assert_eq!(slugify("a\u{200f}b"), "ab");
    }

    #[test]
    fn length_is_capped_at_word_boundary() {
        let long = "第一天".repeat(40);
        let s = slugify(&long);
        assert!(s.len() <= MAX_SLUG_LEN, "{s}");
        assert!(s.ends_with("tian") || s.ends_with("yi") || s.ends_with("di"));
        assert!(is_safe_slug(&s));
        // A single over-long word is hard-cut.
        assert_eq!(slugify(&"a".repeat(100)), "a".repeat(80));
        // Exactly at the cap with a hyphen right after it.
        let exact = format!("{}-b", "a".repeat(80));
        assert_eq!(slugify(&exact), "a".repeat(80));
        let words = format!("{}-bbbbbbbbbb", "a".repeat(75));
        assert_eq!(slugify(&words), "a".repeat(75));
    }

    #[test]
    fn reserved_names_are_avoided() {
        assert_eq!(slugify("CON"), "con-x");
        assert_eq!(slugify("lpt1"), "lpt1-x");
        assert_eq!(slugify("console"), "console");
        assert!(is_safe_slug(&slugify("nul")));
    }

    #[test]
    fn safe_slug_validation() {
        assert!(is_safe_slug("di-yi-tian"));
        assert!(is_safe_slug("a"));
        assert!(is_safe_slug("2020"));
        assert!(is_safe_slug(&"a".repeat(80)));
        assert!(!is_safe_slug(&"a".repeat(81)));
        assert!(!is_safe_slug(""));
        assert!(!is_safe_slug("-a"));
        assert!(!is_safe_slug("a-"));
        assert!(!is_safe_slug("A"));
        assert!(!is_safe_slug("a/b"));
        assert!(!is_safe_slug("a_b"));
        assert!(!is_safe_slug(".."));
        assert!(!is_safe_slug("中文"));
        assert!(!is_safe_slug("con"));
        assert!(!is_safe_slug("com9"));
        assert!(!is_safe_slug("lpt5"));
        assert!(is_safe_slug("com10"));
    }

    #[test]
    fn fallback_is_stable_hex() {
        // FNV-1a 64 of "" is the offset basis 0xcbf29ce484222325.
        assert_eq!(fallback_slug(""), "t-4fd0bfc1");
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fallback_slug(".."), fallback_slug(".."));
        assert_ne!(fallback_slug(".."), fallback_slug("???"));
        let f = fallback_slug("???");
        assert_eq!(f.len(), 10);
        assert!(is_safe_slug(&f));
    }

    #[test]
    fn idempotent() {
        for s in [
            "第一天",
            "抗疫 日记",
            "C++",
            "Café au lait",
            "2020年2月",
            "😷 口罩",
            "CON",
            &"中".repeat(1000),
            "a--b",
        ] {
            let once = slugify(s);
            assert_eq!(slugify(&once), once, "input {s:?}");
        }
    }

    #[test]
    fn tricky_inputs_are_safe_or_empty() {
        let thousand = "中".repeat(1000);
        let inputs = [
            "../../etc",
            "\0",
            "a\0b",
            "\u{200f}\u{202e}abc\u{202c}",
            "\u{200f}",
            &thousand,
            "",
            " ",
            "-",
            "\\\\server\\share",
            "CON.txt",
            "aux",
            "👨‍👩‍👧",
            "e\u{301}",
            "\u{feff}bom",
            "%2e%2e%2f",
            "a\tb\nc\r\n",
            "ＡＢＣ１２３",
            "ﷺ",
        ];
        for s in inputs {
            let slug = slugify(s);
            assert!(
                slug.is_empty() || is_safe_slug(&slug),
                "input {s:?} gave {slug:?}"
            );
            assert!(is_safe_slug(&fallback_slug(s)));
        }
        assert_eq!(slugify(&thousand).len(), 77);
    }
}
