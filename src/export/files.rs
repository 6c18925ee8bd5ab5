//! The files an export takes along: the site's own images (under `static/`
//! or a theme's), found by the URL a page uses for them.

use crate::config::Config;
use crate::render::Body;
use crate::theme::Theme;

/// One image of the site: its path below the site root (`images/a.jpg`),
/// its bytes and media type.
pub(super) struct Asset {
    pub path: String,
    pub bytes: Vec<u8>,
    pub mime: String,
}

/// The static file a URL of the site leads to (`/column/images/a.jpg`,
/// the front matter's `/images/a.jpg`, or the absolute URL); `None` for
/// another site's, or a file the site does not have.
pub(super) fn site_file(config: &Config, theme: &Theme, url: &str) -> Option<Asset> {
    let url = url.split(['?', '#']).next().unwrap_or(url);
    let path = if let Some(p) = url.strip_prefix(config.base_url.as_str()) {
        p
    } else if url.contains("://") || url.starts_with("//") || url.starts_with("data:") {
        return None;
    } else {
        let p = url.strip_prefix(config.root_path.as_str()).unwrap_or(url);
        p.trim_start_matches('/')
    };
    let path = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?
        .into_owned();
    let source = theme.statics.get(&path)?;
    let bytes = crate::output::body_bytes(&Body::Static(source.clone())).ok()?;
    let mime = mime_guess::from_path(&path)
        .first_or_octet_stream()
        .essence_str()
        .to_string();
    mime.starts_with("image/")
        .then_some(Asset { path, bytes, mime })
}

/// An absolute URL for a link or image of the site on `page` (`/column/a/`
/// → `https://example.org/column/a/`); others' URLs as they are.
pub(super) fn absolute(config: &Config, page: &str, url: &str) -> String {
    if url.contains("://") || url.starts_with("mailto:") || url.starts_with("tel:") {
        url.to_string()
    } else if let Some(rest) = url.strip_prefix("//") {
        format!("https://{rest}")
    } else if url.starts_with('/') {
        let p = url.strip_prefix(config.root_path.as_str()).unwrap_or(url);
        config.permalink(p)
    } else {
        // Relative to the page that shows it (`diary/<slug>/`).
        config.permalink(&format!("{page}{url}"))
    }
}
