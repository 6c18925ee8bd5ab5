//! The pixel work of one image: decode (with limits and EXIF orientation),
//! shrink into every planned width, encode as JPEG/PNG and WebP. Also the
//! reuse of variants an earlier build left in the output folder.

use std::io::Cursor;
use std::path::Path;

use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageReader};

use super::budget::{BUDGET, Budget};
use super::probe::limits;
use super::{Format, ImageSet, JPEG_QUALITY, WEBP_METHOD, WEBP_QUALITY, read_source};
use crate::diag::SourceError;

/// The variants of `set` as an earlier build left them in `output`, when
/// all of them are there. Their names carry the hash of the original's bytes
/// and the pipeline version, so a file of that name holds those pixels: a
/// `serve` or `watch` session starts without decoding any image again.
pub fn reuse(set: &ImageSet, output: &Path) -> Option<Vec<(String, Vec<u8>)>> {
    set.variants
        .iter()
        .filter(|v| v.owned)
        .map(|v| {
            let path = output.join(&v.path);
            let md = std::fs::symlink_metadata(&path).ok()?;
            if !md.is_file() || md.len() == 0 {
                return None;
            }
            Some((v.path.clone(), std::fs::read(&path).ok()?))
        })
        .collect()
}

/// Why [`encode`] failed.
#[derive(Debug)]
pub enum EncodeError {
    /// The file is not a readable image after all (located at its reference).
    Content(SourceError),
    Io(anyhow::Error),
}

/// The decodes in flight, shared by every render thread.
static DECODING: Budget = Budget::new(BUDGET);

/// Decoded bytes per pixel, counted generously: the RGBA pixels, and the
/// converted copy that exists for a moment beside them.
const BYTES_PER_PIXEL: u64 = 8;

/// Decodes one image and encodes the variants it owns: `(output path, bytes)`.
/// Waits while other decodes hold the memory budget.
pub fn encode(set: &ImageSet) -> Result<Vec<(String, Vec<u8>)>, EncodeError> {
    let _memory = DECODING.reserve(set.pixels.saturating_mul(BYTES_PER_PIXEL));
    let bytes = read_source(&set.source).map_err(|e| {
        EncodeError::Io(anyhow::anyhow!("cannot read static/{}: {e}", set.original))
    })?;
    let decode = || -> image::ImageResult<DynamicImage> {
        let mut reader = ImageReader::new(Cursor::new(&bytes[..])).with_guessed_format()?;
        reader.limits(limits());
        let mut decoder = reader.into_decoder()?;
        let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
        let mut img = DynamicImage::from_decoder(decoder)?;
        img.apply_orientation(orientation);
        Ok(img)
    };
    let img = decode().map_err(|e| {
        EncodeError::Content(
            set.error(format!("static/{} cannot be decoded: {e}", set.original))
                .hint("save it again as a JPEG, PNG or WebP file")
                .zh(format!("无法解码 static/{}：{e}", set.original))
                .zh_hint("重新另存为 JPEG、PNG 或 WebP 文件"),
        )
    })?;
    let img = if set.fallback_format() == Format::Png {
        DynamicImage::ImageRgba8(img.into_rgba8())
    } else {
        DynamicImage::ImageRgb8(img.into_rgb8())
    };
    // Widest first, each from the previous one: every step shrinks by at
    // most a few times, which keeps quality and saves time.
    let mut resized: Vec<(u32, DynamicImage)> = Vec::new();
    let mut widths: Vec<(u32, u32)> = set
        .of_format(set.fallback_format())
        .map(|v| (v.width, v.height))
        .collect();
    widths.reverse();
    for (w, h) in widths {
        let from = resized.last().map_or(&img, |(_, i)| i);
        let next = if from.width() == w && from.height() == h {
            from.clone()
        } else {
            // Area averaging: fast, and sharp enough when shrinking.
            from.thumbnail_exact(w, h)
        };
        resized.push((w, next));
    }
    let mut out = Vec::with_capacity(set.variants.len());
    for v in set.variants.iter().filter(|v| v.owned) {
        let Some((_, img)) = resized.iter().find(|(w, _)| *w == v.width) else {
            continue;
        };
        let data = encode_one(img, v.format).map_err(|e| {
            EncodeError::Content(
                set.error(format!(
                    "static/{} cannot be saved as the {}×{} variant {}: {e}",
                    set.original, v.width, v.height, v.path
                ))
                .hint("save it again as a JPEG or PNG file of ordinary proportions")
                .zh(format!(
                    "static/{} 无法存成 {}×{} 的缩放副本 {}：{e}",
                    set.original, v.width, v.height, v.path
                ))
                .zh_hint("重新另存为普通长宽比例的 JPEG 或 PNG 文件"),
            )
        })?;
        out.push((v.path.clone(), data));
    }
    Ok(out)
}

fn dims16(img: &DynamicImage) -> anyhow::Result<(u16, u16)> {
    Ok((u16::try_from(img.width())?, u16::try_from(img.height())?))
}

fn encode_one(img: &DynamicImage, format: Format) -> anyhow::Result<Vec<u8>> {
    let mut buf = Vec::new();
    match format {
        Format::Jpeg => {
            let rgb = img.to_rgb8();
            let (w, h) = dims16(img)?;
            jpeg_encoder::Encoder::new(&mut buf, JPEG_QUALITY).encode(
                rgb.as_raw(),
                w,
                h,
                jpeg_encoder::ColorType::Rgb,
            )?;
        }
        Format::Png => {
            let enc = image::codecs::png::PngEncoder::new(&mut buf);
            img.write_with_encoder(enc)?;
        }
        Format::Webp => {
            let (w, h) = (img.width(), img.height());
            let rgb;
            let encoder = match img {
                DynamicImage::ImageRgba8(rgba) => webpx::Encoder::new_rgba(rgba.as_raw(), w, h),
                other => {
                    rgb = other.to_rgb8();
                    webpx::Encoder::new_rgb(rgb.as_raw(), w, h)
                }
            };
            buf = encoder
                .quality(WEBP_QUALITY)
                .method(WEBP_METHOD)
                .encode(webpx::Unstoppable)
                .map_err(|e| anyhow::anyhow!("WebP: {e}"))?;
        }
    }
    Ok(buf)
}
