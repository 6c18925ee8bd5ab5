//! The `laurel` binary: parse arguments, run, print, exit. All logic lives in
//! the library.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;

use chrono::{DateTime, FixedOffset, Local};
use clap::Parser;

use laurel::BuildError;
use laurel::cli::{Cli, Command, NewCommand};

/// "Now", overridable with `LAUREL_NOW` (RFC 3339) for reproducible builds.
fn now() -> Result<DateTime<FixedOffset>, String> {
    match std::env::var("LAUREL_NOW") {
        Ok(s) => DateTime::parse_from_rfc3339(&s)
            .map_err(|e| format!("LAUREL_NOW `{s}` is not RFC 3339: {e}")),
        Err(_) => Ok(Local::now().fixed_offset()),
    }
}

fn report_error(e: &BuildError) -> ExitCode {
    match e {
        // Content errors carry their own `error:` prefix, one per problem.
        BuildError::Content(_) => eprintln!("{e}"),
        BuildError::Usage(_) | BuildError::Io(_) => eprintln!("error: {e}"),
    }
    match e {
        BuildError::Usage(_) => ExitCode::from(2),
        BuildError::Content(_) | BuildError::Io(_) => ExitCode::from(1),
    }
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn print_warnings(warnings: &[String]) {
    for w in warnings {
        eprintln!("warning: {w}");
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let now = match now() {
        Ok(n) => n,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    match cli.command {
        Command::Build(args) => match laurel::build(&cli.root, &args.flags(), now) {
            Ok(r) => {
                print_warnings(&r.warnings);
                println!(
                    "built {} ({}) from {} and {} in {} ms",
                    count(r.pages, "page", "pages"),
                    count(r.files, "file", "files"),
                    count(r.entries, "entry", "entries"),
                    count(r.people, "person", "people"),
                    r.millis
                );
                ExitCode::SUCCESS
            }
            Err(e) => report_error(&e),
        },
        Command::Check(args) => match laurel::check(&cli.root, &args.flags(), now) {
            Ok(r) => {
                print_warnings(&r.warnings);
                println!(
                    "ok: {}, {}, {}, no broken internal links",
                    count(r.entries, "entry", "entries"),
                    count(r.people, "person", "people"),
                    count(r.pages, "page", "pages")
                );
                ExitCode::SUCCESS
            }
            Err(e) => report_error(&e),
        },
        Command::New(NewCommand::Entry { title, author }) => {
            match laurel::scaffold::new_entry(&cli.root, &title, author.as_deref(), now) {
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
        Command::New(NewCommand::Person { id, name }) => {
            match laurel::scaffold::new_person(&cli.root, &id, &name) {
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
        Command::Init { dir } => match laurel::scaffold::init(&dir, now) {
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
        },
    }
}
