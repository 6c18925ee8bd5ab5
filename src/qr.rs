//! QR codes of page addresses, as small inline SVGs (the `qr` key of entry
//! and person pages): a desktop reader scans the page into a phone. The
//! data, error correction and masks come from the `qrcode` crate; this file
//! chooses the mask by the standard's penalty rules ([`penalty`], computed
//! on bit words by [`Packed`]: the crate's own choice costs about ten times
//! as much, seconds of a 10,000-entry build) and draws the modules as one
//! `<path>`, a line per row, over a white square: 1.5 to 2 KB for a
//! typical address, the same bytes on every build.

use qrcode::bits::encode_auto;
use qrcode::canvas::{Canvas, MaskPattern, Module};
use qrcode::ec::construct_codewords;
use qrcode::{Color, EcLevel};

/// Light modules around the code, as the standard asks (a scanner needs
/// the margin to find the code).
const QUIET: usize = 4;

/// Drawn size in CSS pixels (the SVG scales; print and screen both use it).
const SIZE: usize = 132;

/// An accessible SVG of the QR code of `text` (level M: a smudged print
/// still scans), named `label` for screen readers; `None` for a text too
/// long for any QR code.
pub fn svg(text: &str, label: &str) -> Option<String> {
    let (width, dark) = modules(text.as_bytes())?;
    let full = width + 2 * QUIET;
    let label = crate::html::escape_html(label);
    let mut out = String::with_capacity(1200 + width * width / 2);
    out.push_str(&format!(
        "<svg class=\"qr-code\" viewBox=\"0 0 {full} {full}\" width=\"{SIZE}\" height=\"{SIZE}\" \
         role=\"img\" aria-label=\"{label}\" shape-rendering=\"crispEdges\">\
         <title>{label}</title>\
         <rect width=\"{full}\" height=\"{full}\" fill=\"#fff\"/>\
         <path fill=\"none\" stroke=\"#000\" d=\""
    ));
    // Each row of dark modules is one line one module thick, drawn through
    // the middle of the row: `M` to its first run, then `m` by the gap to
    // each next one, `h` along each run (thousands of numbers per code:
    // written by `itoa`, not through `fmt`).
    let mut num = itoa::Buffer::new();
    for (y, row) in dark.chunks(width).enumerate() {
        let mut x = 0;
        let mut pen: Option<usize> = None;
        while x < width {
            if !row[x] {
                x += 1;
                continue;
            }
            let start = x;
            while x < width && row[x] {
                x += 1;
            }
            match pen {
                None => {
                    out.push('M');
                    out.push_str(num.format(start + QUIET));
                    out.push(' ');
                    out.push_str(num.format(y + QUIET));
                    out.push_str(".5h");
                }
                Some(end) => {
                    out.push('m');
                    out.push_str(num.format(start - end));
                    out.push_str(" 0h");
                }
            }
            out.push_str(num.format(x - start));
            pen = Some(x);
        }
    }
    out.push_str("\"/></svg>");
    Some(out)
}

/// The eight mask patterns of a QR code, in the standard's order.
const MASKS: [MaskPattern; 8] = [
    MaskPattern::Checkerboard,
    MaskPattern::HorizontalLines,
    MaskPattern::VerticalLines,
    MaskPattern::DiagonalLines,
    MaskPattern::LargeCheckerboard,
    MaskPattern::Fields,
    MaskPattern::Diamonds,
    MaskPattern::Meadow,
];

/// `out` = `fixed` with the modules of `masked` inverted where mask `m`
/// (an index of [`MASKS`]) says, by the standard's formulas as the crate
/// applies them; remainders are counted along, not divided for.
fn apply(m: usize, width: usize, fixed: &[bool], masked: &[bool], out: &mut [bool]) {
    const MUL3: [[usize; 3]; 3] = [[0, 0, 0], [0, 1, 2], [0, 2, 1]];
    let mut i = 0;
    for y in 0..width {
        let (y2, y3) = (y % 2, y % 3);
        let (mut x3, mut x_div3) = (0, 0);
        for x in 0..width {
            let x2 = x % 2;
            let xy3 = MUL3[x3][y3];
            let inverts = match m {
                0 => x2 == y2,
                1 => y2 == 0,
                2 => x3 == 0,
                3 => (x3 + y3) % 3 == 0,
                4 => ((y / 2 + x_div3) % 2) == 0,
                5 => (x2 & y2) + xy3 == 0,
                6 => ((x2 & y2) + xy3).is_multiple_of(2),
                _ => ((x2 ^ y2) + xy3).is_multiple_of(2),
            };
            out[i] = fixed[i] ^ (masked[i] && inverts);
            i += 1;
            x3 += 1;
            if x3 == 3 {
                x3 = 0;
                x_div3 += 1;
            }
        }
    }
}

/// A level-M symbol before masking: the crate's canvas with the data drawn,
/// and as plain grids of `width * width` modules, row by row, which are
/// dark (`fixed`) and which a mask inverts (`masked`).
struct Unmasked {
    canvas: Canvas,
    width: usize,
    fixed: Vec<bool>,
    masked: Vec<bool>,
}

fn unmasked(data: &[u8]) -> Option<Unmasked> {
    let bits = encode_auto(data, EcLevel::M).ok()?;
    let version = bits.version();
    let width = usize::try_from(version.width()).ok()?;
    let (codewords, ec) = construct_codewords(&bits.into_bytes(), version, EcLevel::M).ok()?;
    let mut canvas = Canvas::new(version, EcLevel::M);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&codewords, &ec);
    let mut fixed = vec![false; width * width];
    let mut masked = vec![false; width * width];
    for (i, (f, m)) in fixed.iter_mut().zip(masked.iter_mut()).enumerate() {
        let (x, y) = (i % width, i / width);
        match canvas.get(i16::try_from(x).ok()?, i16::try_from(y).ok()?) {
            Module::Masked(c) => *f = c == Color::Dark,
            Module::Unmasked(c) => {
                *f = c == Color::Dark;
                *m = true;
            }
            Module::Empty => *m = true,
        }
    }
    Some(Unmasked {
        canvas,
        width,
        fixed,
        masked,
    })
}

/// The mask of the lowest penalty, module by module (symbols wider than 64
/// modules, and the reference [`best_packed`] is tested against).
fn best_plain(u: &Unmasked) -> usize {
    let mut trial = vec![false; u.width * u.width];
    (0..MASKS.len())
        .min_by_key(|&m| {
            apply(m, u.width, &u.fixed, &u.masked, &mut trial);
            penalty(&trial, u.width)
        })
        .unwrap_or(0)
}

/// The width and the modules (row by row, `true` for dark) of the level-M
/// QR code of `data`, with the mask of the lowest penalty (the first of
/// equal ones). The masks are tried on a plain copy of the modules (the
/// format information, a few dozen modules, is left out of the scores),
/// and only the chosen one is applied by the crate.
fn modules(data: &[u8]) -> Option<(usize, Vec<bool>)> {
    let u = unmasked(data)?;
    let best = if u.width <= 64 {
        best_packed(u.width, &u.fixed, &u.masked)
    } else {
        best_plain(&u)
    };
    let (mut canvas, width) = (u.canvas, u.width);
    canvas.apply_mask(MASKS[best]);
    let dark = canvas
        .into_colors()
        .into_iter()
        .map(|c| c == Color::Dark)
        .collect();
    Some((width, dark))
}

/// The penalty score of a masked symbol (ISO/IEC 18004, 7.8.3): runs of five
/// or more modules of one color in a row or column, 2×2 blocks of one
/// color, finder-like 1:1:3:1:1 patterns beside four light modules, and the
/// share of dark modules away from half.
fn penalty(dark: &[bool], width: usize) -> usize {
    // 1011101 followed or preceded by 0000, as the last 11 modules read.
    const FINDER_THEN_LIGHT: u16 = 0b101_1101_0000;
    const LIGHT_THEN_FINDER: u16 = 0b000_0101_1101;
    let mut score = 0;
    // Rows (step 1 along a line, lines `width` apart), then columns.
    for (step, next) in [(1, width), (width, 1)] {
        for line in 0..width {
            let start = line * next;
            let (mut run, mut window) = (0, 0u16);
            let mut prev = None;
            for k in 0..width {
                let d = dark[start + k * step];
                if prev == Some(d) {
                    run += 1;
                } else {
                    if run >= 5 {
                        score += run - 2;
                    }
                    run = 1;
                }
                prev = Some(d);
                window = ((window << 1) | u16::from(d)) & 0x7ff;
                if k >= 10 && (window == FINDER_THEN_LIGHT || window == LIGHT_THEN_FINDER) {
                    score += 40;
                }
            }
            if run >= 5 {
                score += run - 2;
            }
        }
    }
    for y in 1..width {
        for x in 1..width {
            let i = y * width + x;
            let c = dark[i];
            if c == dark[i - 1] && c == dark[i - width] && c == dark[i - width - 1] {
                score += 3;
            }
        }
    }
    let dark_count = dark.iter().filter(|&&d| d).count();
    let percent = dark_count * 100 / dark.len().max(1);
    score + percent.abs_diff(50) / 5 * 10
}

/// The mask of the lowest penalty (the first of equal ones) for a symbol of
/// at most 64 modules a side, all in bit words: each mask's rows and columns
/// are `fixed ^ (masked & pattern)`, a word operation per line, with the
/// patterns of that width made once per process ([`patterns`]).
fn best_packed(width: usize, fixed: &[bool], masked: &[bool]) -> usize {
    let fixed = Packed::new(fixed, width);
    let masked = Packed::new(masked, width);
    let patterns = patterns(width);
    let mut trial = Packed {
        rows: vec![0; width],
        cols: vec![0; width],
        width,
    };
    let mut best = (usize::MAX, 0);
    for (m, pattern) in patterns.iter().enumerate() {
        for (k, out) in trial.rows.iter_mut().enumerate() {
            *out = fixed.rows[k] ^ (masked.rows[k] & pattern.rows[k]);
        }
        for (k, out) in trial.cols.iter_mut().enumerate() {
            *out = fixed.cols[k] ^ (masked.cols[k] & pattern.cols[k]);
        }
        let score = trial.penalty();
        if score < best.0 {
            best = (score, m);
        }
    }
    best.1
}

/// The eight mask patterns of a `width`-module symbol as bit words (a set
/// bit: the mask inverts that module), made once per width and kept: 64
/// widths at most, 1 KB each.
fn patterns(width: usize) -> &'static [Packed] {
    use std::sync::OnceLock;
    static BY_WIDTH: [OnceLock<Vec<Packed>>; 65] = [const { OnceLock::new() }; 65];
    BY_WIDTH[width].get_or_init(|| {
        let (none, all) = (vec![false; width * width], vec![true; width * width]);
        let mut inverted = vec![false; width * width];
        (0..MASKS.len())
            .map(|m| {
                apply(m, width, &none, &all, &mut inverted);
                Packed::new(&inverted, width)
            })
            .collect()
    })
}

/// A symbol of at most 64 modules a side as bit words, one per row and one
/// per column (bit `k` is module `k`), for [`penalty`]'s rules in a few
/// word operations per line: it is most of the cost of a code otherwise.
struct Packed {
    rows: Vec<u64>,
    cols: Vec<u64>,
    width: usize,
}

impl Packed {
    fn new(dark: &[bool], width: usize) -> Packed {
        let (mut rows, mut cols) = (vec![0u64; width], vec![0u64; width]);
        for (y, row) in dark.chunks(width).enumerate() {
            for (x, _) in row.iter().enumerate().filter(|(_, d)| **d) {
                rows[y] |= 1 << x;
                cols[x] |= 1 << y;
            }
        }
        Packed { rows, cols, width }
    }

    /// The lowest `n` bits set.
    fn low(n: usize) -> u64 {
        if n >= 64 { u64::MAX } else { (1u64 << n) - 1 }
    }

    /// Runs of five or more (each `len - 2`) and finder-like patterns (40
    /// each) along one line.
    fn line(&self, w: u64) -> usize {
        let n = self.width;
        // Bit k: module k equals module k + 1.
        let same = !(w ^ (w >> 1)) & Self::low(n.saturating_sub(1));
        // Bit k: modules k..=k + 4 are one color; a run of `len` has
        // `len - 4` of these, and scores `len - 2`: two more per run.
        let five = same & (same >> 1) & (same >> 2) & (same >> 3);
        let runs = (five & !(five << 1)).count_ones() as usize;
        let mut score = five.count_ones() as usize + 2 * runs;
        // 1011101 beside 0000, lowest bit first either way.
        for pattern in [0b000_0101_1101u64, 0b101_1101_0000u64] {
            let mut at = Self::low(n.saturating_sub(10));
            for b in 0..11 {
                let bit = if pattern >> (10 - b) & 1 == 1 {
                    w >> b
                } else {
                    !w >> b
                };
                at &= bit;
            }
            score += 40 * at.count_ones() as usize;
        }
        score
    }

    fn penalty(&self) -> usize {
        let n = self.width;
        let mut score: usize = self
            .rows
            .iter()
            .chain(&self.cols)
            .map(|&w| self.line(w))
            .sum();
        for pair in self.rows.windows(2) {
            let vertical = !(pair[0] ^ pair[1]);
            let horizontal = !(pair[0] ^ (pair[0] >> 1));
            let blocks = vertical & (vertical >> 1) & horizontal & Self::low(n.saturating_sub(1));
            score += 3 * blocks.count_ones() as usize;
        }
        let dark: usize = self.rows.iter().map(|w| w.count_ones() as usize).sum();
        let percent = dark * 100 / (n * n).max(1);
        score + percent.abs_diff(50) / 5 * 10
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn one_path_labelled_and_deterministic() {
        let a = svg("https://example.org/column/diary/arrival/", "二维码 <x>").unwrap();
        assert_eq!(
            a,
            svg("https://example.org/column/diary/arrival/", "二维码 <x>").unwrap()
        );
        assert!(
            a.starts_with("<svg class=\"qr-code\" viewBox=\"0 0 37 37\""),
            "{a}"
        );
        assert!(
            a.contains("role=\"img\" aria-label=\"二维码 &lt;x&gt;\""),
            "{a}"
        );
        assert_eq!(a.matches("<path").count(), 1);
        // The finder pattern's top edge: seven dark modules at the margin.
        assert!(a.contains("d=\"M4 4.5h7m"), "{a}");
        assert!(a.len() < 1800, "{}", a.len());
    }

    #[test]
    fn penalties_follow_the_standard() {
        // A 5×5 all-light symbol: ten runs of five (3 each), sixteen 2×2
        // blocks (3 each), no dark module (50% away: 100).
        assert_eq!(penalty(&[false; 25], 5), 10 * 3 + 16 * 3 + 100);
        // Half dark in a checkerboard: no run, no block, no imbalance.
        let board: Vec<bool> = (0..16).map(|i| (i / 4 + i % 4) % 2 == 0).collect();
        assert_eq!(penalty(&board, 4), 0);
    }

    #[test]
    fn packed_penalties_are_the_same() {
        // A small deterministic generator: no test depends on chance.
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for width in [5, 11, 21, 29, 33, 64] {
            for _ in 0..40 {
                let grid: Vec<bool> = (0..width * width)
                    .map(|_| {
                        seed ^= seed << 13;
                        seed ^= seed >> 7;
                        seed ^= seed << 17;
                        seed.is_multiple_of(3)
                    })
                    .collect();
                assert_eq!(
                    Packed::new(&grid, width).penalty(),
                    penalty(&grid, width),
                    "{width}"
                );
            }
            assert_eq!(
                Packed::new(&vec![false; width * width], width).penalty(),
                penalty(&vec![false; width * width], width)
            );
        }
        // Real symbols, finder patterns and all.
        for url in [
            "https://example.org/",
            "https://example.org/column/people/dai-xiaohong/",
        ] {
            let (width, dark) = modules(url.as_bytes()).unwrap();
            let scalar = penalty(&dark, width);
            assert!(scalar >= 3 * 40, "{scalar}");
            assert_eq!(Packed::new(&dark, width).penalty(), scalar);
        }
    }

    #[test]
    fn packed_masks_choose_what_the_plain_rules_choose() {
        // Symbols of several versions: the mask the word path picks is the
        // one the module-by-module rules pick, first of equal ones.
        let (mut widths, mut masks) = (BTreeSet::new(), BTreeSet::new());
        for n in 0..60 {
            let url = format!("https://example.org/column/{}/{n}/", "diary-".repeat(n % 9));
            let u = unmasked(url.as_bytes()).unwrap();
            let best = best_packed(u.width, &u.fixed, &u.masked);
            assert_eq!(best, best_plain(&u), "{url}");
            widths.insert(u.width);
            masks.insert(best);
        }
        // The sample is not trivial: several versions, several masks chosen.
        assert!(
            widths.len() >= 3 && masks.len() >= 4,
            "{widths:?} {masks:?}"
        );
    }

    #[test]
    fn too_long_is_none() {
        assert!(svg(&"x".repeat(5000), "qr").is_none());
    }
}
