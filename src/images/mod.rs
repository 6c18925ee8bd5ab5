//! Responsive images: every `photo` and `cover` that names a file under
//! `static/` (or a theme's `static/`) is resized at build time into the widths
//! the theme shows, as JPEG (PNG when the image has transparency) and WebP,
//! with EXIF orientation applied and metadata (GPS, camera) dropped.
//!
//! Two phases, so pages can be rendered before any pixel is touched:
//! - [`scan`] reads each referenced file, hashes it and reads its header
//!   (size, orientation). That fixes every variant's URL and size, which the
//!   templates need. A missing or unreadable image is a located error here.
//! - [`encode`] does the work for one image, as a render job. Variant file
//!   names carry the content hash, and their render key is that hash: an
//!   image whose bytes did not change is never decoded again (the previous
//!   build's files are reused).
//!
//! Formats the `image` crate cannot read (SVG, GIF) are served as they are.
//! The pixel work (decode, resize, encode) is in `encode.rs`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

mod body;
mod budget;
mod encode;
mod probe;

pub(crate) use body::{picture_bodies, picture_body};
pub(crate) use encode::{EncodeError, encode, reuse};
pub use probe::ProbeCache;
#[cfg(test)]
use probe::probe;
use probe::{Probe, Unusable, probe_cached};

use crate::diag::{Located, SourceError};
use crate::site::Site;
use crate::theme::StaticSource;

/// Bumped whenever the pixels an unchanged source produces would change
/// (filters, quality, formats), so old variants are not reused.
const PIPELINE: u64 = 1;
const JPEG_QUALITY: u8 = 82;
const WEBP_QUALITY: f32 = 78.0;
/// libwebp's effort, 0 (fast) to 6 (small); 2 is about twice as fast as the
/// default 4 for files a few percent larger.
const WEBP_METHOD: u8 = 2;
/// Larger images are refused rather than decoded (decompression bombs).
const MAX_SIDE: u32 = 16_384;
const MAX_ALLOC: u64 = 1 << 30;
/// At most 64 megapixels (8000 × 8000, above a 48-megapixel phone photo):
/// decoded, such an image takes about 256 MB.
const MAX_PIXELS: u64 = 64_000_000;
/// The WebP format's largest width or height.
const WEBP_MAX_SIDE: u32 = 16_383;

/// What an image is used as; each use has the widths the theme shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// A person's `photo`: avatars, honor-roll cards, the profile page.
    Portrait,
    /// An entry's `cover`: cards and the entry page.
    Cover,
}

impl Role {
    /// Widths produced, narrowest first.
    pub fn widths(self) -> &'static [u32] {
        match self {
            Role::Portrait => &[160, 320, 640],
            Role::Cover => &[480, 800, 1200],
        }
    }

    /// The variant used as `src` (for browsers without `srcset`).
    fn fallback_width(self) -> u32 {
        match self {
            Role::Portrait => 320,
            Role::Cover => 800,
        }
    }
}

/// An output format of a variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Jpeg,
    Png,
    Webp,
}

impl Format {
    fn ext(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Png => "png",
            Format::Webp => "webp",
        }
    }
}

/// One output file of an image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    /// Output path, e.g. `images/people/wu-yang.3fa2c1d0.320w.jpg`.
    pub path: String,
    pub width: u32,
    pub height: u32,
    pub format: Format,
    /// False when another set of the same source writes this file (two
    /// roles can share a width when the original is small).
    pub owned: bool,
}

/// The resized versions of one source image in one role.
#[derive(Debug, Clone)]
pub struct ImageSet {
    /// Where the original bytes come from.
    pub source: StaticSource,
    /// Site path of the original, e.g. `images/people/wu-yang.jpg`.
    pub original: String,
    pub role: Role,
    /// Fingerprint of the source bytes and the pipeline: the render key of
    /// every variant.
    pub key: u128,
    /// JPEG or PNG variants, narrowest first, then the WebP ones.
    pub variants: Vec<Variant>,
    /// The first `photo:`/`cover:` naming it, for errors found while decoding.
    pub cited: (PathBuf, usize, usize),
    /// Pixels of the original, for the decoding memory budget.
    pub pixels: u64,
}

impl ImageSet {
    /// A located error about this image.
    pub fn error(&self, message: impl Into<String>) -> SourceError {
        let (file, line, col) = &self.cited;
        SourceError::at(file, *line, *col, message)
    }
}

impl ImageSet {
    fn fallback_format(&self) -> Format {
        self.variants.first().map_or(Format::Jpeg, |v| v.format)
    }

    /// Variants of one format, narrowest first.
    pub fn of_format(&self, f: Format) -> impl Iterator<Item = &Variant> {
        self.variants.iter().filter(move |v| v.format == f)
    }

    /// The variant for `src`: the fallback width, or the widest below it.
    pub fn fallback(&self) -> Option<&Variant> {
        let want = self.role.fallback_width();
        let f = self.fallback_format();
        self.of_format(f)
            .filter(|v| v.width <= want)
            .last()
            .or_else(|| self.of_format(f).next())
    }
}

/// Every processed image of a site, by (site path of the original, role).
#[derive(Debug, Default, Clone)]
pub struct Images {
    pub sets: BTreeMap<(String, Role), Arc<ImageSet>>,
}

impl Images {
    /// The processed image for a `photo` or `cover` value, if it was processed.
    pub fn get(&self, value: &str, role: Role) -> Option<&Arc<ImageSet>> {
        let path = site_path(value)?;
        self.sets.get(&(path, role))
    }
}

/// What the template sees for a processed image (see docs/templates.md).
#[derive(Debug, Serialize)]
pub struct ImageValue {
    pub src: String,
    pub width: u32,
    pub height: u32,
    /// `srcset` of the JPEG/PNG variants.
    pub srcset: String,
    /// `srcset` of the WebP variants, for a `<source type="image/webp">`.
    pub webp_srcset: String,
}

impl ImageValue {
    pub fn of(set: &ImageSet, url: impl Fn(&str) -> String) -> Option<ImageValue> {
        let fallback = set.fallback()?;
        let srcset = |f: Format| {
            set.of_format(f)
                .map(|v| format!("{} {}w", url(&v.path), v.width))
                .collect::<Vec<_>>()
                .join(", ")
        };
        Some(ImageValue {
            src: url(&fallback.path),
            width: fallback.width,
            height: fallback.height,
            srcset: srcset(set.fallback_format()),
            webp_srcset: srcset(Format::Webp),
        })
    }
}

/// The site path of a `photo`/`cover` value that names a file of the site
/// (`/images/a.jpg` → `images/a.jpg`, `images/a.jpg` too: front matter
/// values start at the site root); `None` for external URLs. The same
/// reading as body images' ([`crate::layout::image_path`]), from the root.
pub fn site_path(value: &str) -> Option<String> {
    crate::layout::image_path("", value)
}

fn read_source(source: &StaticSource) -> std::io::Result<Vec<u8>> {
    match source {
        StaticSource::Disk(p) => std::fs::read(p),
        StaticSource::Embedded(name) => crate::theme::DefaultTheme::get(name)
            .map(|f| f.data.into_owned())
            .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, "not embedded")),
    }
}

/// One `photo`/`cover` or body image reference: the value as written, the
/// site path it names (`None`: another site's), where it was written, its role.
struct Reference<'a> {
    value: &'a str,
    path: Option<String>,
    file: &'a Path,
    line: usize,
    col: usize,
    field: &'static str,
    role: Role,
}

impl Reference<'_> {
    fn error(&self, message: String) -> SourceError {
        SourceError::at(self.file, self.line, self.col, message)
    }

    /// The field in Chinese: 照片, 封面, 图片.
    fn field_zh(&self) -> &'static str {
        match self.field {
            "photo" => "照片",
            "cover" => "封面",
            _ => "图片",
        }
    }

    /// "cover not found: /images/x.jpg", in both languages.
    fn not_found(&self) -> SourceError {
        self.error(format!("{} not found: {}", self.field, self.value))
            .zh(format!("找不到{}：{}", self.field_zh(), self.value))
    }
}

/// Finds, checks and measures every image the site's people and entries
/// name: photos, covers and the Markdown images of entry bodies. Errors are
/// located at the `photo:`/`cover:` value or the image's destination.
pub fn scan<'a>(
    site: &'a Site,
    statics: &BTreeMap<String, StaticSource>,
    cache: Option<&ProbeCache>,
) -> Result<Images, Vec<SourceError>> {
    let front = |value: &'a Located<String>, file, field, role| Reference {
        value: &value.value,
        path: site_path(&value.value),
        file,
        line: value.line,
        col: value.col,
        field,
        role,
    };
    let photos = site.people.iter().filter_map(|p| {
        let value = p.src.photo.as_ref()?;
        Some(front(value, &p.src.path, "photo", Role::Portrait))
    });
    let covers = site.entries.iter().filter_map(|e| {
        let value = e.src.cover.as_ref()?;
        Some(front(value, &e.src.path, "cover", Role::Cover))
    });
    // Body images are resized as covers are: they are shown as wide.
    let bodies = site.entries.iter().flat_map(|e| {
        e.src
            .links
            .iter()
            .filter(|l| l.is_site_image())
            .map(|l| Reference {
                value: &l.dest,
                path: Some(crate::layout::image_path(e.path(), &l.dest).unwrap_or_default()),
                file: &e.src.path,
                line: l.line,
                col: l.col,
                field: "image",
                role: Role::Cover,
            })
    });
    let refs: Vec<Reference> = photos.chain(covers).chain(bodies).collect();
    // Each file is read once, however many references it has.
    let mut wanted: BTreeMap<String, Vec<&Reference>> = BTreeMap::new();
    let mut errors = Vec::new();
    for r in &refs {
        let Some(path) = &r.path else {
            continue;
        };
        if statics.contains_key(path) {
            wanted.entry(path.clone()).or_default().push(r);
        } else if path.is_empty() {
            // `../` above the site root: no file of the site.
            errors.push(r.not_found().hints(
                "the path leads out of the site; put the image under static/ and write /images/…",
                "这个路径通到站点之外；把图片放在 static/ 下，写成 /images/…",
            ));
        } else {
            let (hint, hint_zh) = if r.field == "image" && !r.value.starts_with('/') {
                (
                    format!(
                        "put the image at static/{path}, or correct the path (without a leading / it starts at the entry's page)"
                    ),
                    format!(
                        "把图片放在 static/{path}，或改正路径（不以 / 开头的路径从这篇日记的页面算起）"
                    ),
                )
            } else {
                (
                    format!(
                        "put the image at static/{path}, or correct the path (it starts at static/)"
                    ),
                    format!("把图片放在 static/{path}，或改正路径（路径从 static/ 算起）"),
                )
            };
            errors.push(r.not_found().hints(hint, hint_zh));
        }
    }
    let probed: Vec<(String, Result<Option<Probe>, Unusable>)> = wanted
        .keys()
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|path| {
            let source = &statics[path];
            (path.clone(), probe_cached(path, source, cache))
        })
        .collect();
    let mut images = Images::default();
    for (path, result) in probed {
        let users = &wanted[&path];
        match result {
            Ok(Some(probe)) => {
                let source = statics[&path].clone();
                let mut roles: Vec<Role> = users.iter().map(|r| r.role).collect();
                roles.sort();
                roles.dedup();
                let first = users[0];
                let cited = (first.file.to_path_buf(), first.line, first.col);
                let mut taken: Vec<String> = Vec::new();
                for role in roles {
                    let mut set = plan(&path, source.clone(), role, &probe, cited.clone());
                    for v in &mut set.variants {
                        v.owned = !taken.contains(&v.path);
                        taken.push(v.path.clone());
                    }
                    images.sets.insert((path.clone(), role), Arc::new(set));
                }
            }
            Ok(None) => {}
            Err(why) => {
                for r in users {
                    errors.push(
                        r.error(format!(
                            "{} static/{path} cannot be read: {}",
                            r.field, why.message.en
                        ))
                        .hint(why.hint.en.clone())
                        .zh(format!(
                            "无法读取{} static/{path}：{}",
                            r.field_zh(),
                            why.message.zh
                        ))
                        .zh_hint(why.hint.zh.clone()),
                    );
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(images)
    } else {
        Err(errors)
    }
}

/// Names and sizes the variants of one image in one role. Images are never
/// enlarged: widths above the original's are replaced by the original width.
fn plan(
    path: &str,
    source: StaticSource,
    role: Role,
    probe: &Probe,
    cited: (PathBuf, usize, usize),
) -> ImageSet {
    let mut widths: Vec<u32> = role.widths().iter().map(|&w| w.min(probe.width)).collect();
    widths.dedup();
    // `images/v1.2/photo.jpg` → `images/v1.2/photo`: only the file name's
    // extension goes.
    let name_start = path.rfind('/').map_or(0, |i| i + 1);
    let stem = match path[name_start..].rfind('.') {
        Some(dot) if dot > 0 => &path[..name_start + dot],
        _ => path,
    };
    let base = if probe.has_alpha {
        Format::Png
    } else {
        Format::Jpeg
    };
    // WebP cannot hold a side above 16383 pixels: such (very narrow) images
    // get their JPEG or PNG variants only.
    let tallest = widths
        .iter()
        .map(|&w| scaled_height(probe.width, probe.height, w))
        .max()
        .unwrap_or(0);
    let formats: &[Format] = if tallest > WEBP_MAX_SIDE {
        &[base]
    } else {
        &[base, Format::Webp]
    };
    let mut variants = Vec::new();
    for &format in formats {
        for &w in &widths {
            let h = scaled_height(probe.width, probe.height, w);
            variants.push(Variant {
                path: format!(
                    "{stem}.{:012x}.{w}w.{}",
                    probe.hash & 0xffff_ffff_ffff,
                    format.ext()
                ),
                width: w,
                height: h,
                format,
                owned: true,
            });
        }
    }
    let mut hasher = crate::hash::Hasher::default();
    hasher.bytes(b"image");
    hasher.u128(u128::from(probe.hash));
    hasher.u128(u128::from(PIPELINE));
    for v in &variants {
        hasher.str(&v.path);
    }
    ImageSet {
        source,
        original: path.to_string(),
        role,
        key: hasher.finish(),
        variants,
        cited,
        pixels: u64::from(probe.width) * u64::from(probe.height),
    }
}

fn scaled_height(w0: u32, h0: u32, w: u32) -> u32 {
    let h = (u64::from(h0) * u64::from(w) + u64::from(w0) / 2) / u64::from(w0.max(1));
    u32::try_from(h).unwrap_or(u32::MAX).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::DynamicImage;

    fn jpeg(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbImage::from_fn(w, h, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
        });
        let mut buf = Vec::new();
        DynamicImage::ImageRgb8(img)
            .write_with_encoder(image::codecs::jpeg::JpegEncoder::new(&mut buf))
            .unwrap();
        buf
    }

    #[test]
    fn site_paths_of_values() {
        assert_eq!(site_path("/images/a.jpg").as_deref(), Some("images/a.jpg"));
        assert_eq!(
            site_path("images/a.jpg?v=2").as_deref(),
            Some("images/a.jpg")
        );
        assert_eq!(site_path("https://example.org/a.jpg"), None);
        assert_eq!(site_path("//cdn.example.org/a.jpg"), None);
        assert_eq!(site_path("/"), None);
    }

    #[test]
    fn variants_never_enlarge_and_keep_the_aspect_ratio() {
        let p = probe(&jpeg(400, 500), "a.jpg").unwrap().unwrap();
        let cited = (PathBuf::from("content/people/a.yaml"), 9, 8);
        let set = plan(
            "images/a.jpg",
            StaticSource::Disk("a.jpg".into()),
            Role::Portrait,
            &p,
            cited,
        );
        let jpegs: Vec<(u32, u32)> = set
            .of_format(Format::Jpeg)
            .map(|v| (v.width, v.height))
            .collect();
        assert_eq!(jpegs, [(160, 200), (320, 400), (400, 500)]);
        assert_eq!(set.of_format(Format::Webp).count(), 3);
        assert_eq!(set.fallback().unwrap().width, 320);
        assert!(set.variants[0].path.starts_with("images/a."));
        assert!(set.variants[0].path.ends_with(".160w.jpg"));
    }

    #[test]
    fn encoded_variants_have_their_planned_sizes() {
        let bytes = jpeg(700, 350);
        let p = probe(&bytes, "a.jpg").unwrap().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("c.jpg");
        std::fs::write(&file, &bytes).unwrap();
        let cited = (PathBuf::from("content/diary/c.md"), 5, 8);
        let set = plan("c.jpg", StaticSource::Disk(file), Role::Cover, &p, cited);
        let out = encode(&set).unwrap();
        assert_eq!(out.len(), set.variants.len());
        for ((path, data), v) in out.iter().zip(&set.variants) {
            assert_eq!(path, &v.path);
            let img = image::load_from_memory(data).unwrap();
            assert_eq!((img.width(), img.height()), (v.width, v.height), "{path}");
        }
    }

    #[test]
    fn not_an_image_is_an_error_and_svg_is_left_alone() {
        assert!(probe(b"\xff\xd8\xff\xe0 truncated jpeg", "a.jpg").is_err());
        assert!(
            probe(b"<svg xmlns='http://www.w3.org/2000/svg'/>", "a.svg")
                .unwrap()
                .is_none()
        );
        assert!(probe(b"GIF89a\x01\x00\x01\x00", "a.gif").unwrap().is_none());
        assert_eq!(
            probe(b"", "cover.png").unwrap_err().message.en,
            "the file is empty"
        );
        assert_eq!(
            probe(b"<html>not a photo</html>", "photo.jpg")
                .unwrap_err()
                .message
                .en,
            "it is not a JPEG, PNG, WebP, GIF or SVG image"
        );
        assert!(probe(b"<svg/>", "photo.jpg").is_err());
    }
}
