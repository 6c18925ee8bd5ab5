//! Character tables: which characters are CJK, Hangul, ideographic variation
//! selectors, CJK letters (read one at a time) and punctuation in the sense
//! CommonMark uses for emphasis flanking. Ranges as of Unicode 16; the
//! punctuation from the general categories of `unicode-properties`.

use unicode_properties::{GeneralCategoryGroup, UnicodeGeneralCategory};

fn in_ranges(c: char, ranges: &[(u32, u32)]) -> bool {
    let cp = u32::from(c);
    ranges
        .binary_search_by(|&(lo, hi)| {
            if hi < cp {
                std::cmp::Ordering::Less
            } else if lo > cp {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// East Asian Wide/Fullwidth/Halfwidth characters that are not emoji, plus
/// Hangul: the amendment's "CJK character" (ranges as of Unicode 16).
const CJK_RANGES: &[(u32, u32)] = &[
    (0x1100, 0x115F),   // Hangul Jamo initials
    (0x2329, 0x232A),   // angle brackets
    (0x2E80, 0x303E),   // radicals, ideographic description, CJK punctuation
    (0x3041, 0x33FF),   // kana, bopomofo, compatibility jamo, enclosed CJK
    (0x3400, 0x4DBF),   // Extension A
    (0x4E00, 0x9FFF),   // Unified Ideographs
    (0xA000, 0xA4CF),   // Yi
    (0xA960, 0xA97F),   // Hangul Jamo Extended-A
    (0xAC00, 0xD7FF),   // Hangul syllables, Jamo Extended-B
    (0xF900, 0xFAFF),   // compatibility ideographs
    (0xFE10, 0xFE19),   // vertical forms
    (0xFE30, 0xFE6F),   // compatibility and small forms
    (0xFF00, 0xFFDC),   // fullwidth and halfwidth forms
    (0xFFE0, 0xFFEE),   // fullwidth signs
    (0x16FE0, 0x16FFF), // ideographic symbols
    (0x17000, 0x18CFF), // Tangut, Khitan
    (0x1AFF0, 0x1B2FF), // kana supplements, Nushu
    (0x20000, 0x3FFFD), // Extensions B and later
];

pub(super) fn is_cjk(c: char) -> bool {
    u32::from(c) >= 0x1100 && in_ranges(c, CJK_RANGES)
}

pub(super) fn is_hangul(c: char) -> bool {
    matches!(u32::from(c),
        0x1100..=0x11FF | 0x3130..=0x318F | 0xA960..=0xA97F | 0xAC00..=0xD7FF | 0xFFA0..=0xFFDC)
}

pub(super) fn is_ideographic_vs(c: char) -> bool {
    ('\u{E0100}'..='\u{E01EF}').contains(&c)
}

/// Letters read one at a time: Han, kana, Hangul, bopomofo.
pub(super) fn is_cjk_letter(c: char) -> bool {
    matches!(u32::from(c),
        0x3005..=0x3007
        | 0x3041..=0x30FF
        | 0x3100..=0x312F
        | 0x3131..=0x318E
        | 0x31A0..=0x31BF
        | 0x31F0..=0x31FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFF66..=0xFF9F
        | 0x20000..=0x3FFFD)
}

/// Unicode punctuation (P*) and symbols (S*), which CommonMark 0.31 counts
/// as punctuation for flanking, from the general categories of the
/// `unicode-properties` crate.
pub(super) fn is_punct(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_punctuation()
    } else {
        matches!(
            c.general_category_group(),
            GeneralCategoryGroup::Punctuation | GeneralCategoryGroup::Symbol
        )
    }
}
