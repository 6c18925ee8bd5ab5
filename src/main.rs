//! The `laurel` binary: parse arguments, run one command, print, exit. All
//! logic lives in the library; each command is one small file in `cmd/`.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod cmd;

use std::process::ExitCode;

use clap::Parser;

use cmd::args::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let now = match cmd::now() {
        Ok(n) => n,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    match cli.command {
        Command::Build(args) => cmd::build::run(&cli.root, &args, now),
        Command::Check(args) => cmd::check::run(&cli.root, &args, now),
        Command::Watch(args) => cmd::live::watch(&cli.root, &args, now),
        Command::Serve(args) => cmd::live::serve(&cli.root, &args, now),
        Command::New(what) => cmd::new::run(&cli.root, what, now),
        Command::Export(what) => cmd::export::run(&cli.root, what, now),
        Command::Init { dir } => cmd::new::init(&dir, now),
    }
}
