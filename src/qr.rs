//! QR codes of page addresses, as small inline SVGs (the `qr` key of entry
//! and person pages): a desktop reader scans the page into a phone. The
//! modules come from the `qrcode` crate; this file only draws them, as one
//! `<path>` of horizontal runs over a white square, so a code of a typical
//! address is about 1.5 KB and the same bytes on every build.

use qrcode::{Color, EcLevel, QrCode};

/// Light modules around the code, as the standard asks (a scanner needs
/// the margin to find the code).
const QUIET: usize = 4;

/// Drawn size in CSS pixels (the SVG scales; print and screen both use it).
const SIZE: usize = 132;

/// An accessible SVG of the QR code of `text` (level M: a smudged print
/// still scans), named `label` for screen readers; `None` for a text too
/// long for any QR code.
pub fn svg(text: &str, label: &str) -> Option<String> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
    let width = code.width();
    let colors = code.to_colors();
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
    // each next one, `h` along each run.
    for (y, row) in colors.chunks(width).enumerate() {
        let mut x = 0;
        let mut pen: Option<usize> = None;
        while x < width {
            if row[x] == Color::Light {
                x += 1;
                continue;
            }
            let start = x;
            while x < width && row[x] == Color::Dark {
                x += 1;
            }
            match pen {
                None => out.push_str(&format!("M{} {}.5", start + QUIET, y + QUIET)),
                Some(end) => out.push_str(&format!("m{} 0", start - end)),
            }
            out.push_str(&format!("h{}", x - start));
            pen = Some(x);
        }
    }
    out.push_str("\"/></svg>");
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn too_long_is_none() {
        assert!(svg(&"x".repeat(5000), "qr").is_none());
    }
}
