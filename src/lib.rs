//! laurel: a static site generator for one kind of site, a news column plus an
//! honor roll.
//!
//! The pipeline, one phase per module:
//!
//! 1. [`config`]: `site.yaml` → [`config::Config`] (strict; unknown keys are errors).
//! 2. [`source`]: `content/` → entries, people and pages, each file parsed and
//!    its Markdown rendered ([`markdown`]), in parallel.
//! 3. [`site`]: cross-file checks (unknown people, one URL twice) → [`site::Site`].
//! 4. [`images`]: every `photo` and `cover` found, checked and measured; the
//!    resizing itself is a render job.
//! 5. [`render`]: `&Site` + theme → output files handed to a sink.
//! 6. [`output`]: the only writer; a build goes live atomically or not at all.
//!
//! Links and images come from the Markdown events with their positions
//! (`markdown::Link`); `links` checks that those inside the site lead
//! somewhere. HTML text is escaped and decoded in one place, `html`.
//!
//! Content problems are [`diag::SourceError`]s (`path:line:col: message` plus a
//! hint), all collected before a build fails. [`build::build`] and
//! [`check::check`] are the entry points the binary uses.

pub mod build;
pub mod check;
pub mod cli;
pub mod config;
pub mod diag;
pub(crate) mod html;
pub mod images;
pub(crate) mod links;
pub mod live;
pub mod manifest;
pub mod markdown;
pub mod output;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod session;
pub mod site;
pub mod slug;
pub mod source;
pub mod timings;
pub mod watch;
pub mod yaml;

pub use build::{BuildError, BuildReport, build};
pub use check::check;
