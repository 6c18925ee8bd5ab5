//! `laurel build`.

use std::path::Path;
use std::process::ExitCode;

use chrono::{DateTime, FixedOffset};

use super::args::BuildArgs;
use super::{count, print_warnings, report_error};

pub fn run(root: &Path, args: &BuildArgs, now: DateTime<FixedOffset>) -> ExitCode {
    match laurel::build(root, &args.flags(), now) {
        Ok(r) => {
            print_warnings(&r.warnings);
            if r.up_to_date {
                println!(
                    "up to date: {} ({}), nothing changed since the last build ({} ms)",
                    count(r.pages, "page", "pages"),
                    count(r.files, "file", "files"),
                    r.millis
                );
            } else {
                let reused = r.files.saturating_sub(r.written);
                println!(
                    "built {} ({}) from {} and {} in {} ms{}",
                    count(r.pages, "page", "pages"),
                    count(r.files, "file", "files"),
                    count(r.entries, "entry", "entries"),
                    count(r.people, "person", "people"),
                    r.millis,
                    if reused > 0 {
                        format!(" ({} written, {reused} unchanged)", r.written)
                    } else {
                        String::new()
                    }
                );
            }
            ExitCode::SUCCESS
        }
        Err(e) => report_error(&e),
    }
}
