//! `laurel export wechat ENTRY [-o FILE]` and `laurel export book
//! [--format html|epub] [-o FILE]`.

use std::io::Write as _;
use std::path::Path;
use std::process::ExitCode;

use chrono::{DateTime, FixedOffset};

use laurel::export::{self, Format};

use super::args::{BookFormat, ExportCommand};
use super::{count, report_error};

pub fn run(root: &Path, what: ExportCommand, now: DateTime<FixedOffset>) -> ExitCode {
    match what {
        ExportCommand::Wechat {
            entry,
            output,
            build,
        } => {
            let html = match export::wechat::export(root, &build.flags(), now, &entry) {
                Ok(h) => h,
                Err(e) => return report_error(&e, root),
            };
            match output {
                Some(path) => match export::write(root, &path, html.as_bytes()) {
                    Ok(()) => {
                        eprintln!("wrote {}", path.display());
                        ExitCode::SUCCESS
                    }
                    Err(e) => report_error(&e, root),
                },
                None => {
                    let mut out = std::io::stdout().lock();
                    match out.write_all(html.as_bytes()).and_then(|()| out.flush()) {
                        Ok(()) => ExitCode::SUCCESS,
                        Err(e) => {
                            eprintln!("error: cannot write to stdout: {e}");
                            ExitCode::from(1)
                        }
                    }
                }
            }
        }
        ExportCommand::Book {
            format,
            output,
            build,
        } => {
            let format = match format {
                BookFormat::Html => Format::Html,
                BookFormat::Epub => Format::Epub,
            };
            let book = match export::book::export(root, &build.flags(), now, format) {
                Ok(b) => b,
                Err(e) => return report_error(&e, root),
            };
            let path = output.unwrap_or_else(|| book.default_path.clone());
            match export::write(root, &path, &book.bytes) {
                Ok(()) => {
                    println!(
                        "wrote {} ({}, {})",
                        path.display(),
                        count(book.entries, "entry", "entries"),
                        count(book.people, "person", "people")
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => report_error(&e, root),
            }
        }
    }
}
