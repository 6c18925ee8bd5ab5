//! Images in entry bodies: each Markdown image of the site (`![alt](/images/a.jpg)`,
//! or a path relative to the entry's page) is shown as the pipeline's
//! `<picture>`: WebP and JPEG/PNG `srcset`s in the cover widths, `sizes`,
//! `width`/`height`, and `loading="lazy"` below the first screen. `scan`
//! found and measured the files; this renders the bodies that have such
//! images again, with those sizes, into [`Pictured`] (entry pages and
//! cards). It does not touch feeds and exports: they show the original
//! files, as written. Images the pipeline does not resize (SVG, GIF) and
//! other sites' images stay as written.

use std::sync::Arc;

use rayon::prelude::*;

use super::{ImageValue, Images, Role};
use crate::config::Config;
use crate::html::escape_html;
use crate::markdown::{self, ImageRef};
use crate::site::{Entry, Pictured, Site};
use crate::source::LoadOptions;

/// How wide a body image is shown: the entry's text column (as the cover).
pub const BODY_SIZES: &str = "(min-width: 48rem) 45rem, 100vw";

/// Sets [`Entry::pictures`] of every entry whose body has images of the site.
pub(crate) fn picture_bodies(site: &mut Site, images: &Images) {
    let opts = LoadOptions::of(&site.config);
    let config = &site.config;
    site.entries
        .par_iter_mut()
        .for_each(|e| e.pictures = picture_body(e, images, config, &opts));
}

/// The entry's body with its images as `<picture>`s, or `None`
/// when it has no image the pipeline resized.
pub(crate) fn picture_body(
    e: &Entry,
    images: &Images,
    config: &Config,
    opts: &LoadOptions,
) -> Option<Arc<Pictured>> {
    let body = e.src.body.as_deref()?;
    let page = e.path();
    // The cover is the first screen's image; without one, the body's first is.
    let eager = usize::from(e.src.cover.is_none());
    let hook = |img: &ImageRef| -> Option<String> {
        let path = crate::layout::image_path(page, img.dest)?;
        let set = images.sets.get(&(path, Role::Cover))?;
        let v = ImageValue::of(set, |p| config.url(p))?;
        Some(picture(&v, img, img.n >= eager))
    };
    let md = markdown::render_with_images(body, &opts.markdown(), &hook);
    Some(Arc::new(Pictured { html: md.html }))
}

/// The markup of one body image (what `partials/picture.html` prints for a
/// cover, with the image's own alt text and title).
fn picture(v: &ImageValue, img: &ImageRef, lazy: bool) -> String {
    let mut out = String::from("<picture>");
    if !v.webp_srcset.is_empty() {
        out.push_str(&format!(
            "<source type=\"image/webp\" srcset=\"{}\" sizes=\"{BODY_SIZES}\">",
            escape_html(&v.webp_srcset)
        ));
    }
    out.push_str(&format!(
        "<img src=\"{}\" srcset=\"{}\" sizes=\"{BODY_SIZES}\" alt=\"{}\"",
        escape_html(&v.src),
        escape_html(&v.srcset),
        escape_html(img.alt)
    ));
    if !img.title.is_empty() {
        out.push_str(&format!(" title=\"{}\"", escape_html(img.title)));
    }
    out.push_str(&format!(" width=\"{}\" height=\"{}\"", v.width, v.height));
    if lazy {
        out.push_str(" loading=\"lazy\"");
    }
    out.push_str(" decoding=\"async\"></picture>");
    out
}
