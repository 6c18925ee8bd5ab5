//! `laurel new entry|person` and `laurel init`.

use std::path::Path;
use std::process::ExitCode;

use chrono::{DateTime, FixedOffset};

use super::args::NewCommand;

pub fn run(root: &Path, what: NewCommand, now: DateTime<FixedOffset>) -> ExitCode {
    let created = match what {
        NewCommand::Entry { title, author } => {
            laurel::scaffold::new_entry(root, &title, author.as_deref(), now)
        }
        NewCommand::Person { id, name } => laurel::scaffold::new_person(root, &id, &name),
    };
    match created {
        Ok(p) => {
            println!("created {}", p.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}

pub fn init(dir: &Path, now: DateTime<FixedOffset>) -> ExitCode {
    match laurel::scaffold::init(dir, now) {
        Ok(()) => {
            println!(
                "created a new site in {}; next: cd {} && laurel build",
                dir.display(),
                dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}
