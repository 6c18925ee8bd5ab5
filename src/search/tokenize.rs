//! The search tokenizer: the one definition of how text becomes index tokens
//! and how a query becomes search terms. The browser runs a copy of these
//! rules (`themes/default/static/search.js`, `tokenize` and `queryTerms`); a
//! test feeds both the same inputs and compares the outputs, so change the
//! two together.
//!
//! The rules, per character (Unicode code point):
//! 1. Full-width ASCII (`Ａ`, `１`, `！`, U+FF01–FF5E) becomes its ASCII
//!    twin and the ideographic space (U+3000) a space.
//! 2. Han, kana and hangul ([`is_cjk`]) are indexed by character: each
//!    character is a token (a unigram) and so is each pair of neighbours in a
//!    run (a bigram: `护士长` → `护`, `护士`, `士`, `士长`, `长`).
//! 3. Any other letter or digit (Unicode Alphabetic or Numeric) belongs to a
//!    word; a word is one token, lowercased character by character and cut
//!    after [`MAX_WORD_CHARS`] characters. Digits are words (`2020`).
//! 4. Everything else (spaces, punctuation, symbols, emoji) separates.
//!
//! A query is tokenized by the same rules, but a run of two or more CJK
//! characters gives only its bigrams (a document matches when it has them
//! all), and a single CJK character gives its unigram.

/// Words longer than this are cut (so a pasted hash cannot bloat the index).
pub const MAX_WORD_CHARS: usize = 32;

/// Han ideographs, kana and hangul: scripts written without spaces between
/// words (hangul has spaces, but bigrams inside its words cost nothing).
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF        // Hangul Jamo
        | 0x3005..=0x3007      // 々 〆 〇
        | 0x3040..=0x309F      // Hiragana
        | 0x30A0..=0x30FF      // Katakana
        | 0x3130..=0x318F      // Hangul Compatibility Jamo
        | 0x31F0..=0x31FF      // Katakana Phonetic Extensions
        | 0x3400..=0x4DBF      // CJK Extension A
        | 0x4E00..=0x9FFF      // CJK Unified Ideographs
        | 0xAC00..=0xD7AF      // Hangul Syllables
        | 0xF900..=0xFAFF      // CJK Compatibility Ideographs
        | 0x20000..=0x323AF    // CJK Extensions B–H, Compatibility Supplement
    )
}

/// Rule 1: full-width ASCII and the ideographic space to their ASCII forms.
fn fold_width(c: char) -> char {
    match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        0x3000 => ' ',
        _ => c,
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Cjk,
    Word,
    Separator,
}

fn class(c: char) -> Class {
    if is_cjk(c) {
        Class::Cjk
    } else if c.is_alphanumeric() {
        Class::Word
    } else {
        Class::Separator
    }
}

/// A stretch of text of one class: a CJK run or a word.
enum Run<'a> {
    Cjk(&'a [char]),
    Word(String),
}

/// Splits text into CJK runs and words (rules 1–4), calling `f` for each.
fn runs(text: &str, mut f: impl FnMut(Run)) {
    let mut cjk: Vec<char> = Vec::new();
    let mut word = String::new();
    let mut word_chars = 0usize;
    let flush_word = |word: &mut String, word_chars: &mut usize, f: &mut dyn FnMut(Run)| {
        if !word.is_empty() {
            f(Run::Word(std::mem::take(word)));
        }
        *word_chars = 0;
    };
    for c in text.chars().map(fold_width) {
        match class(c) {
            Class::Cjk => {
                flush_word(&mut word, &mut word_chars, &mut f);
                cjk.push(c);
            }
            Class::Word => {
                if !cjk.is_empty() {
                    f(Run::Cjk(&cjk));
                    cjk.clear();
                }
                if word_chars < MAX_WORD_CHARS {
                    word.extend(c.to_lowercase());
                    word_chars += 1;
                }
            }
            Class::Separator => {
                flush_word(&mut word, &mut word_chars, &mut f);
                if !cjk.is_empty() {
                    f(Run::Cjk(&cjk));
                    cjk.clear();
                }
            }
        }
    }
    flush_word(&mut word, &mut word_chars, &mut f);
    if !cjk.is_empty() {
        f(Run::Cjk(&cjk));
    }
}

/// Calls `f` with every index token of `text`, in order, repeats included.
/// The `&str` is only valid during the call (one buffer is reused).
pub fn for_each_token(text: &str, mut f: impl FnMut(&str)) {
    let mut buf = String::new();
    runs(text, |run| match run {
        Run::Word(w) => f(&w),
        Run::Cjk(chars) => {
            for (i, &c) in chars.iter().enumerate() {
                buf.clear();
                buf.push(c);
                f(&buf);
                if let Some(&next) = chars.get(i + 1) {
                    buf.push(next);
                    f(&buf);
                }
            }
        }
    });
}

/// An index token without a string: a CJK character or pair packed in a
/// number, or a word. [`for_each_token_key`] gives the tokens of
/// [`for_each_token`] this way, for indexing millions of them quickly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKey<'a> {
    Cjk(u64),
    Word(&'a str),
}

/// A lone CJK character's key has this in its low half.
const LONE: u64 = 0xFFFF_FFFF;

impl TokenKey<'_> {
    /// The token as text (what [`for_each_token`] gives).
    pub fn text(&self) -> String {
        match *self {
            TokenKey::Word(w) => w.to_string(),
            TokenKey::Cjk(k) => cjk_text(k),
        }
    }
}

/// The text of a packed CJK key.
pub fn cjk_text(k: u64) -> String {
    let mut s = String::new();
    let hi = u32::try_from(k >> 32).unwrap_or(0);
    s.extend(char::from_u32(hi));
    let lo = k & LONE;
    if lo != LONE {
        s.extend(u32::try_from(lo).ok().and_then(char::from_u32));
    }
    s
}

/// [`for_each_token`], with CJK tokens as packed numbers.
pub fn for_each_token_key(text: &str, mut f: impl FnMut(TokenKey)) {
    runs(text, |run| match run {
        Run::Word(w) => f(TokenKey::Word(&w)),
        Run::Cjk(chars) => {
            for (i, &c) in chars.iter().enumerate() {
                let hi = u64::from(u32::from(c)) << 32;
                f(TokenKey::Cjk(hi | LONE));
                if let Some(&next) = chars.get(i + 1) {
                    f(TokenKey::Cjk(hi | u64::from(u32::from(next))));
                }
            }
        }
    });
}

/// Every index token of `text`, in order, repeats included.
pub fn tokenize(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_token(text, |t| out.push(t.to_string()));
    out
}

/// The terms of a query, each once, in order of first appearance: words,
/// the bigrams of CJK runs, and single CJK characters as unigrams.
pub fn query_terms(query: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |t: String| {
        if !out.contains(&t) {
            out.push(t);
        }
    };
    runs(query, |run| match run {
        Run::Word(w) => add(w),
        Run::Cjk([c]) => add(c.to_string()),
        Run::Cjk(chars) => {
            for pair in chars.windows(2) {
                add(pair.iter().collect());
            }
        }
    });
    out
}

/// FNV-1a (32 bit) of the UTF-8 bytes of a token: picks its shard. Small,
/// well distributed, and the same in JavaScript with `Math.imul`.
pub fn fnv1a(token: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for &b in token.as_bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// The shard (0-based) that holds a token's postings among `shards`.
pub fn shard_of(token: &str, shards: u32) -> u32 {
    fnv1a(token) % shards.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_keys_are_the_tokens() {
        for text in [
            "护士长，武汉 ICU 2020年",
            "加油💪武汉",
            "𠀀𠀁 々",
            "Ünïcödé straße",
            "",
        ] {
            let mut keyed = Vec::new();
            for_each_token_key(text, |k| keyed.push(k.text()));
            assert_eq!(keyed, tokenize(text), "{text}");
        }
    }

    fn toks(s: &str) -> Vec<String> {
        tokenize(s)
    }

    #[test]
    fn chinese_is_indexed_by_unigrams_and_bigrams() {
        assert_eq!(toks("护士长"), ["护", "护士", "士", "士长", "长"]);
        assert_eq!(toks("武"), ["武"]);
        assert_eq!(query_terms("护士长"), ["护士", "士长"]);
        assert_eq!(query_terms("长"), ["长"]);
        assert_eq!(query_terms("武汉"), ["武汉"]);
    }

    #[test]
    fn punctuation_and_spaces_end_a_run() {
        // No bigram spans the comma: `汉，护` would match nothing real.
        assert_eq!(toks("武汉，护士"), ["武", "武汉", "汉", "护", "护士", "士"]);
        assert_eq!(toks("「抗疫」"), ["抗", "抗疫", "疫"]);
        assert_eq!(query_terms("武汉 护士"), ["武汉", "护士"]);
    }

    #[test]
    fn latin_words_are_lowercased_and_digits_are_words() {
        assert_eq!(
            toks("Hello, World! COVID-19"),
            ["hello", "world", "covid", "19"]
        );
        assert_eq!(toks("2020年2月"), ["2020", "年", "2", "月"]);
        assert_eq!(toks("don't"), ["don", "t"]);
        assert_eq!(toks("Ünïcödé ÉCOLE"), ["ünïcödé", "école"]);
    }

    #[test]
    fn mixed_chinese_and_latin() {
        assert_eq!(toks("N95口罩"), ["n95", "口", "口罩", "罩"]);
        assert_eq!(query_terms("戴N95口罩"), ["戴", "n95", "口罩"]);
        assert_eq!(toks("ICU病房"), ["icu", "病", "病房", "房"]);
    }

    #[test]
    fn full_width_letters_and_digits_fold_to_ascii() {
        assert_eq!(toks("ＩＣＵ　２０２０！"), ["icu", "2020"]);
        assert_eq!(query_terms("ｃｏｖｉｄ"), query_terms("COVID"));
    }

    #[test]
    fn emoji_and_symbols_separate() {
        assert_eq!(toks("加油💪武汉"), ["加", "加油", "油", "武", "武汉", "汉"]);
        assert_eq!(toks("a🇨🇳b ♥ c"), ["a", "b", "c"]);
        assert!(toks("💪🏽 ♥ ★ ← —").is_empty());
    }

    #[test]
    fn kana_and_hangul_are_bigrammed() {
        assert_eq!(query_terms("ありがとう"), ["あり", "りが", "がと", "とう"]);
        assert_eq!(query_terms("감사합니다"), ["감사", "사합", "합니", "니다"]);
        assert_eq!(query_terms("カタカナ"), ["カタ", "タカ", "カナ"]);
    }

    #[test]
    fn odd_input_never_panics_and_long_words_are_cut() {
        let long = "x".repeat(100);
        assert_eq!(toks(&long), ["x".repeat(MAX_WORD_CHARS)]);
        assert!(toks("").is_empty());
        assert!(query_terms("  ，。!? ").is_empty());
        // Combining marks separate; lowercasing may add a mark (İ → i̇).
        assert_eq!(toks("İ"), ["i\u{307}"]);
        for s in [
            "\u{0}",
            "\u{FFFF}",
            "\u{10FFFF}",
            "\u{200B}\u{FEFF}",
            "e\u{301}",
            "𠀀𠀁",
        ] {
            let _ = toks(s);
            let _ = query_terms(s);
        }
        assert_eq!(toks("𠀀𠀁"), ["𠀀", "𠀀𠀁", "𠀁"]);
    }

    #[test]
    fn shards_are_stable() {
        // Known FNV-1a values: the browser computes the same.
        assert_eq!(fnv1a(""), 0x811c_9dc5);
        assert_eq!(fnv1a("a"), 0xe40c_292c);
        assert_eq!(shard_of("武汉", 1), 0);
        assert!(shard_of("武汉", 64) < 64);
        assert_eq!(shard_of("x", 0), 0);
    }
}
