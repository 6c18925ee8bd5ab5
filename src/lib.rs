//! laurel: a static site generator for one kind of site, a news column plus an
//! honor roll.
//!
//! Modules by phase, leaves first; each depends only on those above it:
//!
//! - leaves: [`diag`] (problems, located), `disk` (a pool for work that
//!   waits on the disk), `hash` (stable hashes, file stamps), `text` (bytes
//!   to text), `layout` (the URL of every output), `slug`, `yaml`, `timings`;
//! - `config`: `site.yaml` → `Config` (strict; unknown keys are errors);
//! - `source`: `content/` → entries, people and pages, each file parsed and
//!   its Markdown rendered (`markdown`), in parallel;
//! - `site`: cross-file checks (unknown people, one URL twice) → `Site`, data
//!   complete before anyone reads it;
//! - `theme` (templates, strings, static files, filters), `images` (every
//!   `photo`/`cover` found, checked, measured; resized as render jobs),
//!   `search` (the index);
//! - `render`: a site → output files handed to a sink, one file per page
//!   kind, each declaring what it reads (the dependency graph);
//! - `output`: the one writer to disk (build, watch, `check --strict`): one
//!   lock, no symlink followed, nothing deleted that laurel did not write; a
//!   build goes live atomically or not at all;
//! - `pipeline`: every phase's problems collected together;
//! - the commands' engines: `build`, [`check`], [`live`] (watch and serve),
//!   [`export`] (one entry for the WeChat editor; the column as a booklet,
//!   HTML or EPUB).
//!
//! Links and images come from the Markdown events with their positions
//! (`markdown::Link`); `links` checks that those inside the site lead
//! somewhere. HTML text is escaped and decoded in one place, `html`.
//!
//! Content problems are `SourceError`s (`path:line:col: message` plus a
//! hint), all collected before a command fails. The binary uses the small API
//! re-exported here.

mod build;
pub mod check;
pub mod config;
mod diag;
mod disk;
pub mod export;
mod hash;
mod html;
mod images;
mod layout;
mod links;
pub mod live;
pub mod markdown;
mod output;
mod pipeline;
mod qr;
mod render;
pub mod scaffold;
pub mod search;
mod site;
pub mod slug;
pub mod source;
mod text;
mod theme;
mod timings;
pub mod yaml;

/// What the fuzz targets need that is not otherwise public.
#[doc(hidden)]
pub mod fuzzing {
    pub use crate::theme::{FILTER_CALLS, render_one};
}

pub use build::{BuildReport, build};
pub use check::check;
pub use config::BuildFlags;
pub use diag::{BuildError, Lang, Msg, SourceError};
