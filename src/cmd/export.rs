//! `laurel export wechat ENTRY [-o FILE]` and `laurel export book
//! [--format html|epub] [-o FILE]`.

use std::io::Write as _;
use std::path::Path;
use std::process::ExitCode;

use chrono::{DateTime, FixedOffset};

use laurel::Lang;
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
                        match super::lang(root) {
                            Lang::En => eprintln!("wrote {}", path.display()),
                            Lang::Zh => eprintln!("已写入 {}", path.display()),
                        }
                        ExitCode::SUCCESS
                    }
                    Err(e) => report_error(&e, root),
                },
                None => {
                    let mut out = std::io::stdout().lock();
                    match out.write_all(html.as_bytes()).and_then(|()| out.flush()) {
                        Ok(()) => ExitCode::SUCCESS,
                        Err(e) => {
                            match super::lang(root) {
                                Lang::En => eprintln!("error: cannot write to stdout: {e}"),
                                Lang::Zh => eprintln!("错误：无法写入标准输出：{e}"),
                            }
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
                    match super::lang(root) {
                        Lang::En => println!(
                            "wrote {} ({}, {})",
                            path.display(),
                            count(book.entries, "entry", "entries"),
                            count(book.people, "person", "people")
                        ),
                        Lang::Zh => println!(
                            "已写入 {}（{} 篇日记、{} 位人物）",
                            path.display(),
                            book.entries,
                            book.people
                        ),
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => report_error(&e, root),
            }
        }
    }
}
