//! The `laurel` binary: parse arguments, run, print, exit. All logic lives in
//! the library.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::{DateTime, FixedOffset, Local};
use clap::Parser;

use laurel::BuildError;
use laurel::cli::{Cli, Command, NewCommand};
use laurel::live::LiveEvent;

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

/// Sets the returned flag on Ctrl-C (and SIGTERM), for a clean exit.
fn stop_on_ctrl_c() -> &'static AtomicBool {
    static STOP: AtomicBool = AtomicBool::new(false);
    let _ = ctrlc::set_handler(|| STOP.store(true, Ordering::Relaxed));
    &STOP
}

/// `LAUREL_NOW` if set (fixed), else the clock at each rebuild.
fn now_or(fixed: DateTime<FixedOffset>) -> DateTime<FixedOffset> {
    if std::env::var_os("LAUREL_NOW").is_some() {
        fixed
    } else {
        Local::now().fixed_offset()
    }
}

/// One line per rebuild; errors in full.
fn print_event(ev: LiveEvent) {
    match ev {
        LiveEvent::Rebuilt { changed, report } => {
            print_warnings(&report.warnings);
            if changed.is_empty() {
                println!(
                    "built {} from {} and {}: {} written in {} ms",
                    count(report.pages, "page", "pages"),
                    count(report.entries, "entry", "entries"),
                    count(report.people, "person", "people"),
                    count(report.written.len(), "file", "files"),
                    report.millis
                );
            } else {
                println!(
                    "{}: {} written, {} removed in {} ms",
                    describe(changed),
                    count(report.written.len(), "file", "files"),
                    report.removed.len(),
                    report.millis
                );
            }
        }
        LiveEvent::Failed {
            changed,
            error,
            have_site,
        } => {
            if !changed.is_empty() {
                eprintln!("{}:", describe(changed));
            }
            eprintln!("{error}");
            if have_site {
                eprintln!("(still serving the last good site; fix the problem and save again)");
            } else {
                eprintln!("(nothing built yet; fix the problem and save again)");
            }
        }
        LiveEvent::Note(n) => eprintln!("note: {n}"),
    }
}

/// `changed content/diary/a.md (+2 more)`, relative to the current folder.
fn describe(changed: &[std::path::PathBuf]) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    let first = changed
        .first()
        .map(|p| p.strip_prefix(&cwd).unwrap_or(p).display().to_string())
        .unwrap_or_default();
    if changed.len() > 1 {
        format!("changed {first} (+{} more)", changed.len() - 1)
    } else {
        format!("changed {first}")
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
        },
        Command::Check(args) => {
            let tools = args.strict.then(|| laurel::check::Tools::find(&cli.root));
            let result =
                laurel::check::check_with(&cli.root, &args.build.flags(), now, tools.as_ref());
            let code = match result {
                Ok(r) => {
                    print_warnings(&r.warnings);
                    println!(
                        "ok: {}, {}, {}, no broken internal links",
                        count(r.entries, "entry", "entries"),
                        count(r.people, "person", "people"),
                        count(r.pages, "page", "pages")
                    );
                    for line in &r.validated {
                        println!("ok: {line}");
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => report_error(&e),
            };
            // A strict check that could not run every validator did not pass:
            // exit 2 (unless the content already failed, which is 1).
            let missing = tools.as_ref().map(|t| t.missing()).unwrap_or_default();
            for m in &missing {
                eprintln!("error: {m}");
            }
            if code == ExitCode::SUCCESS && !missing.is_empty() {
                ExitCode::from(2)
            } else {
                code
            }
        }
        Command::Watch(args) => {
            let stop = stop_on_ctrl_c();
            let now_fn = move || now_or(now);
            let r = laurel::live::watch(
                &cli.root,
                args.build.flags(),
                args.poll,
                stop,
                &now_fn,
                &mut print_event,
            );
            match r {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => report_error(&e),
            }
        }
        Command::Serve(args) => {
            let flags = args.build.flags();
            let setup = match laurel::live::bind_serve(&cli.root, &flags, args.bind, args.port) {
                Ok(s) => s,
                Err(e) => return report_error(&e),
            };
            if setup.is_public {
                eprintln!(
                    "warning: listening on {}: anyone on your network can read the site (use --bind 127.0.0.1 to keep it local)",
                    args.bind
                );
            }
            let url = setup.url.clone();
            let stop = stop_on_ctrl_c();
            let now_fn = move || now_or(now);
            let mut first = true;
            let open = args.open;
            let r = laurel::live::serve(
                &cli.root,
                flags,
                setup,
                args.poll,
                stop,
                &now_fn,
                &mut |ev| {
                    print_event(ev);
                    if first {
                        first = false;
                        println!("serving {url} (Ctrl-C to stop)");
                        if open && let Err(e) = open::that(&url) {
                            eprintln!("warning: cannot open a browser: {e}");
                        }
                    }
                },
            );
            match r {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => report_error(&e),
            }
        }
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
