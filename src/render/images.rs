//! Resized images as render jobs: one job per image, writing every variant
//! it owns, done only when the previous render did not already make them
//! from the same bytes.

use std::collections::HashMap;

use super::{Body, OutputFile, Sink, job};
use crate::diag::SourceError;
use crate::images::{self, EncodeError, ImageSet};

/// Resizes one image into its variants, unless `prev` (the last render's
/// keys) says they were made from the same bytes. Returns the variants'
/// paths and keys.
pub(super) fn render_image(
    set: &ImageSet,
    output: &std::path::Path,
    sink: &dyn Sink,
    prev: Option<&HashMap<String, u128>>,
    fail_io: &(dyn Fn(anyhow::Error) + Sync),
    fail_content: &(dyn Fn(SourceError) + Sync),
) -> Vec<(String, u128)> {
    let owned: Vec<(String, u128)> = set
        .variants
        .iter()
        .filter(|v| v.owned)
        .map(|v| (v.path.clone(), set.key))
        .collect();
    let unchanged = prev.is_some()
        && owned
            .iter()
            .all(|(path, key)| job::unchanged(prev, path, *key));
    if unchanged {
        return owned;
    }
    let made = images::reuse(set, output).map_or_else(|| images::encode(set), Ok);
    let files = match made {
        Ok(f) => f,
        Err(EncodeError::Content(e)) => {
            fail_content(e);
            return Vec::new();
        }
        Err(EncodeError::Io(e)) => {
            fail_io(e);
            return Vec::new();
        }
    };
    for (path, bytes) in files {
        if let Err(e) = sink.put(OutputFile {
            path,
            body: Body::Bytes(bytes),
        }) {
            fail_io(e);
            return Vec::new();
        }
    }
    owned
}
