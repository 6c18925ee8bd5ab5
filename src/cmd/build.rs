//! `laurel build`.

use std::path::Path;
use std::process::ExitCode;

use chrono::{DateTime, FixedOffset};

use super::args::BuildArgs;
use super::{built_line, count, print_warnings, report_error};

pub fn run(root: &Path, args: &BuildArgs, now: DateTime<FixedOffset>) -> ExitCode {
    let lang = super::lang(root);
    match laurel::build(root, &args.flags(), now) {
        Ok(r) => {
            print_warnings(lang, &r.warnings);
            if r.up_to_date && lang == laurel::Lang::Zh {
                println!(
                    "已是最新：{} 个页面（{} 个文件），上次构建以来没有改动（{} 毫秒）",
                    r.pages, r.files, r.millis
                );
            } else if r.up_to_date {
                println!(
                    "up to date: {} ({}), nothing changed since the last build ({} ms)",
                    count(r.pages, "page", "pages"),
                    count(r.files, "file", "files"),
                    r.millis
                );
            } else {
                println!(
                    "{}",
                    built_line(
                        lang, r.pages, r.files, r.entries, r.people, r.written, r.millis
                    )
                );
            }
            ExitCode::SUCCESS
        }
        Err(e) => report_error(&e, root),
    }
}
