//! `laurel new entry|person` and `laurel init`.

use std::path::Path;
use std::process::ExitCode;

use chrono::{DateTime, FixedOffset};

use laurel::Lang;

use super::args::NewCommand;

pub fn run(root: &Path, what: NewCommand, now: DateTime<FixedOffset>) -> ExitCode {
    let created = match what {
        NewCommand::Entry(a) => laurel::scaffold::new_entry(
            root,
            &laurel::scaffold::NewEntry {
                title: &a.title,
                author: a.author.as_deref(),
                date: a.date.as_deref(),
                slug: a.slug.as_deref(),
                tags: &a.tags,
                people: &a.people,
                draft: a.draft,
            },
            now,
        ),
        NewCommand::Person { id, name } => laurel::scaffold::new_person(root, &id, &name),
    };
    let lang = super::lang(root);
    match created {
        Ok(p) => {
            match lang {
                Lang::En => println!("created {}", p.display()),
                Lang::Zh => println!("已创建 {}", p.display()),
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            super::print_error(&e, root);
            ExitCode::from(1)
        }
    }
}

pub fn init(dir: &Path, now: DateTime<FixedOffset>) -> ExitCode {
    let lang = super::lang(dir);
    match laurel::scaffold::init(dir, now) {
        Ok(()) => {
            match lang {
                Lang::En => println!(
                    "created a new site in {}; next: cd {} && laurel build",
                    dir.display(),
                    dir.display()
                ),
                Lang::Zh => println!(
                    "已在 {} 创建新网站；下一步：cd {} && laurel build",
                    dir.display(),
                    dir.display()
                ),
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            super::print_error(&e, dir);
            ExitCode::from(2)
        }
    }
}
