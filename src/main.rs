//! The `laurel` binary: parse arguments, run one command, print, exit. All
//! logic lives in the library; each command is one small file in `cmd/`.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod cmd;

use std::process::ExitCode;

use clap::Parser;

use cmd::args::{Cli, Command};

/// mimalloc, not the system's allocator: with glibc's, allocating and
/// freeing was about 7% of a build's CPU, threads queued on each other's
/// arenas, and a build took a tenth longer (BENCHMARKS.md). It costs some
/// memory: freed blocks are reused within their size class only. Built
/// without transparent huge pages (`no_thp`): with them, memory was touched
/// 2 MiB at a time and a 10k build's peak was a third higher for no gain.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let now = match cmd::now() {
        Ok(n) => n,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let given = cli.root;
    let root = || cmd::site_root(given.clone());
    match cli.command {
        Command::Build(args) => cmd::build::run(&root(), &args, now),
        Command::Check(args) => cmd::check::run(&root(), &args, now),
        Command::Watch(args) => cmd::live::watch(&root(), &args, now),
        Command::Serve(args) => cmd::live::serve(&root(), &args, now),
        Command::New(what) => cmd::new::run(&root(), what, now),
        Command::Export(what) => cmd::export::run(&root(), what, now),
        Command::Init { dir } if given.is_none() => cmd::new::init(&dir, now),
        Command::Init { .. } => {
            match cmd::lang(std::path::Path::new(".")) {
                laurel::Lang::En => {
                    eprintln!("error: init takes the new site's folder as DIR, not --root")
                }
                laurel::Lang::Zh => eprintln!("错误：init 的新网站文件夹请写作 DIR，而不是 --root"),
            }
            ExitCode::from(2)
        }
    }
}
