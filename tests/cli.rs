//! laurel's integration tests: one binary that drives the real `laurel`
//! executable on tiny per-behaviour fixture sites (see `cli/support.rs`) and
//! asserts what a user sees: exit codes, messages, and the files of public/.
//!
//! Every fixture is written inline in its test, named after the behaviour it
//! shows. Nothing here measures time: `watch` and `serve` tests wait for what
//! the running binary prints or serves, with generous ceilings.

#[path = "cli/http.rs"]
mod http;
#[path = "cli/support.rs"]
mod support;

#[path = "cli/abuse.rs"]
mod abuse;
#[path = "cli/aliases.rs"]
mod aliases;
#[cfg(unix)]
#[path = "cli/body_images.rs"]
mod body_images;
#[path = "cli/build.rs"]
mod build;
#[path = "cli/commands.rs"]
mod commands;
#[path = "cli/content.rs"]
mod content;
#[path = "cli/copy_lint.rs"]
mod copy_lint;
#[path = "cli/errors.rs"]
mod errors;
#[path = "cli/export.rs"]
mod export;
#[path = "cli/faults.rs"]
mod faults;
#[path = "cli/feeds.rs"]
mod feeds;
#[path = "cli/hostile.rs"]
mod hostile;
#[cfg(unix)]
#[path = "cli/images.rs"]
mod images;
#[path = "cli/masthead.rs"]
mod masthead;
#[path = "cli/output.rs"]
mod output;
#[path = "cli/permalinks.rs"]
mod permalinks;
#[path = "cli/pinned.rs"]
mod pinned;
#[path = "cli/properties.rs"]
mod properties;
#[cfg(unix)]
#[path = "cli/reader.rs"]
mod reader;
#[path = "cli/rebuild.rs"]
mod rebuild;
#[path = "cli/related.rs"]
mod related;
#[path = "cli/scale.rs"]
mod scale;
#[cfg(unix)]
#[path = "cli/search.rs"]
mod search;
#[path = "cli/series.rs"]
mod series;
#[path = "cli/serve.rs"]
mod serve;
#[path = "cli/share.rs"]
mod share;
#[path = "cli/templates.rs"]
mod templates;
#[path = "cli/watch.rs"]
mod watch;
