//! Reading an image's header: its size, orientation and transparency and the
//! hash of its bytes, without decoding a pixel, cached by file stamp for
//! watch sessions. What is refused here (not an image, more than
//! [`MAX_PIXELS`]) is a located error at the reference.

use std::collections::HashMap;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use image::metadata::Orientation;
use image::{ImageDecoder, ImageReader, Limits};

use super::{MAX_ALLOC, MAX_PIXELS, MAX_SIDE, PIPELINE, read_source};
use crate::diag::Msg;
use crate::hash::Stamp;
use crate::theme::StaticSource;

/// Why [`probe`] refused a file: what is wrong, and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Unusable {
    pub message: Msg,
    pub hint: Msg,
}

impl Unusable {
    fn unreadable(message: Msg) -> Unusable {
        Unusable {
            message,
            hint: Msg::new(
                "save it as a JPEG, PNG or WebP file",
                "另存为 JPEG、PNG 或 WebP 文件",
            ),
        }
    }

    /// What the image library or the system said, as it said it.
    fn said(e: impl std::fmt::Display) -> Unusable {
        let e = e.to_string();
        Unusable::unreadable(Msg::new(e.clone(), e))
    }
}

/// What [`probe`] learns from a file's header.
#[derive(Debug, Clone)]
pub(super) struct Probe {
    pub hash: u64,
    pub width: u32,
    pub height: u32,
    pub has_alpha: bool,
}

/// Header facts of image files, kept between rebuilds of a watch session so
/// unchanged images are not read again.
#[derive(Debug, Default)]
pub struct ProbeCache {
    seen: Mutex<HashMap<PathBuf, (Stamp, Option<Probe>)>>,
}

impl ProbeCache {
    /// Drops what is known about a file (it changed).
    pub fn forget(&self, path: &Path) {
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        seen.remove(path);
    }
}

pub(super) fn limits() -> Limits {
    let mut l = Limits::default();
    l.max_image_width = Some(MAX_SIDE);
    l.max_image_height = Some(MAX_SIDE);
    l.max_alloc = Some(MAX_ALLOC);
    l
}

/// Reads an image's header. `Ok(None)`: an image we do not resize (GIF and
/// the other formats the `image` crate knows by their bytes; SVG, known by the
/// name `path` ends with). Anything else (an empty file, text) is an error.
pub(super) fn probe(bytes: &[u8], path: &str) -> Result<Option<Probe>, Unusable> {
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(Unusable::said)?;
    match reader.format() {
        Some(image::ImageFormat::Jpeg | image::ImageFormat::Png | image::ImageFormat::WebP) => {}
        Some(_) => return Ok(None),
        None if is_svg_name(path) => return Ok(None),
        None if bytes.is_empty() => {
            return Err(Unusable::unreadable(Msg::new(
                "the file is empty",
                "文件是空的",
            )));
        }
        None => {
            return Err(Unusable::unreadable(Msg::new(
                "it is not a JPEG, PNG, WebP, GIF or SVG image",
                "它不是 JPEG、PNG、WebP、GIF 或 SVG 图片",
            )));
        }
    }
    let mut reader = reader;
    reader.limits(limits());
    let mut decoder = reader.into_decoder().map_err(Unusable::said)?;
    let (w, h) = decoder.dimensions();
    if w == 0 || h == 0 {
        return Err(Unusable::unreadable(Msg::new(
            "the image is empty (0 pixels wide or high)",
            "图片是空的（宽或高为 0 像素）",
        )));
    }
    let pixels = u64::from(w) * u64::from(h);
    if pixels > MAX_PIXELS {
        let mega = pixels as f64 / 1e6;
        let most = MAX_PIXELS / 1_000_000;
        return Err(Unusable {
            message: Msg::new(
                format!(
                    "it is {w} × {h} pixels ({mega:.1} megapixels); laurel resizes images of at most {most} megapixels"
                ),
                format!(
                    "它有 {w} × {h} 像素（{mega:.1} 百万像素）；laurel 只缩放不超过 {most} 百万像素的图片"
                ),
            ),
            hint: Msg::new(
                "shrink it first: a page shows it at most 1200 pixels wide",
                "先把它缩小：页面上最宽只显示 1200 像素",
            ),
        });
    }
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let (width, height) = if swaps_sides(orientation) {
        (h, w)
    } else {
        (w, h)
    };
    Ok(Some(Probe {
        // Seeded with the pipeline version: new pixels get new names.
        hash: xxhash_rust::xxh3::xxh3_64_with_seed(bytes, PIPELINE),
        width,
        height,
        has_alpha: decoder.color_type().has_alpha(),
    }))
}

fn is_svg_name(path: &str) -> bool {
    let ext = path.rsplit_once('.').map_or("", |(_, e)| e);
    ext.eq_ignore_ascii_case("svg") || ext.eq_ignore_ascii_case("svgz")
}

fn swaps_sides(o: Orientation) -> bool {
    matches!(
        o,
        Orientation::Rotate90
            | Orientation::Rotate270
            | Orientation::Rotate90FlipH
            | Orientation::Rotate270FlipH
    )
}

pub(super) fn probe_cached(
    path: &str,
    source: &StaticSource,
    cache: Option<&ProbeCache>,
) -> Result<Option<Probe>, Unusable> {
    // Only files on disk are cached (embedded ones never change), by stamp.
    let slot = match (cache, source) {
        (Some(cache), StaticSource::Disk(p)) => Stamp::of(p).map(|stamp| (cache, p, stamp)),
        _ => None,
    };
    if let Some((cache, p, stamp)) = &slot {
        let seen = cache.seen.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((s, probe)) = seen.get(*p)
            && s == stamp
        {
            return Ok(probe.clone());
        }
    }
    let bytes = read_source(source).map_err(Unusable::said)?;
    let result = probe(&bytes, path)?;
    if let Some((cache, p, stamp)) = slot {
        let mut seen = cache.seen.lock().unwrap_or_else(|e| e.into_inner());
        seen.insert(p.clone(), (stamp, result.clone()));
    }
    Ok(result)
}
