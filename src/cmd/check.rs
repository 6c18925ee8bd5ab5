//! `laurel check [--strict]`.

use std::path::Path;
use std::process::ExitCode;

use chrono::{DateTime, FixedOffset};

use laurel::Lang;

use super::args::CheckArgs;
use super::{count, print_warnings, report_error};

pub fn run(root: &Path, args: &CheckArgs, now: DateTime<FixedOffset>) -> ExitCode {
    {
        let lang = super::lang(root);
        let tools = args.strict.then(|| laurel::check::Tools::find(root));
        let result = laurel::check::check_with(root, &args.build.flags(), now, tools.as_ref());
        let code = match result {
            Ok(r) => {
                print_warnings(lang, &r.warnings);
                match lang {
                    Lang::En => println!(
                        "ok: {}, {}, {}, no broken internal links",
                        count(r.entries, "entry", "entries"),
                        count(r.people, "person", "people"),
                        count(r.pages, "page", "pages")
                    ),
                    Lang::Zh => println!(
                        "通过：{} 篇日记、{} 位人物、{} 个页面，没有失效的站内链接",
                        r.entries, r.people, r.pages
                    ),
                }
                for line in &r.validated {
                    match lang {
                        Lang::En => println!("ok: {}", line.en),
                        Lang::Zh => println!("通过：{}", line.zh),
                    }
                }
                ExitCode::SUCCESS
            }
            Err(e) => report_error(&e, root),
        };
        // A strict check that could not run every validator did not pass:
        // exit 2 (unless the content already failed, which is 1).
        let missing = tools.as_ref().map(|t| t.missing()).unwrap_or_default();
        for m in &missing {
            eprintln!("{}{}", lang.pick("error: ", "错误："), m.shown(lang));
        }
        if code == ExitCode::SUCCESS && !missing.is_empty() {
            ExitCode::from(2)
        } else {
            code
        }
    }
}
