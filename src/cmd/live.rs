//! `laurel watch` and `laurel serve`: the rebuild loop's events, one line each.

use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::{DateTime, FixedOffset, Local};

use laurel::Lang;
use laurel::live::LiveEvent;

use super::args::{ServeArgs, WatchArgs};
use super::{built_line, count, print_warnings, report_error};

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
fn print_event(root: &Path, ev: LiveEvent) {
    let lang = super::lang(root);
    match ev {
        LiveEvent::Rebuilt { changed, report } => {
            print_warnings(lang, &report.warnings);
            if changed.is_empty() {
                println!(
                    "{}",
                    built_line(
                        lang,
                        report.pages,
                        report.files,
                        report.entries,
                        report.people,
                        report.written.len(),
                        report.millis
                    )
                );
            } else if lang == Lang::Zh {
                println!(
                    "{}：写入 {} 个文件，删除 {} 个，用时 {} 毫秒",
                    describe(lang, changed),
                    report.written.len(),
                    report.removed.len(),
                    report.millis
                );
            } else {
                println!(
                    "{}: {} written, {} removed in {} ms",
                    describe(lang, changed),
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
                eprintln!("{}{}", describe(lang, changed), lang.pick(":", "："));
            }
            eprintln!("{}", error.report(root, lang));
            eprintln!(
                "{}",
                match (have_site, lang) {
                    (true, Lang::En) =>
                        "(still serving the last good site; fix the problem and save again)",
                    (true, Lang::Zh) => "（仍在提供上一次成功构建的站点；改好后再保存一次）",
                    (false, Lang::En) => "(nothing built yet; fix the problem and save again)",
                    (false, Lang::Zh) => "（还没有构建成功过；改好后再保存一次）",
                }
            );
        }
        LiveEvent::Note(n) => eprintln!("{}{n}", lang.pick("note: ", "注意：")),
    }
}

/// `changed content/diary/a.md (+2 more)`, relative to the current folder.
fn describe(lang: Lang, changed: &[std::path::PathBuf]) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    let first = changed
        .first()
        .map(|p| p.strip_prefix(&cwd).unwrap_or(p).display().to_string())
        .unwrap_or_default();
    match (lang, changed.len()) {
        (Lang::En, 0 | 1) => format!("changed {first}"),
        (Lang::En, n) => format!("changed {first} (+{} more)", n - 1),
        (Lang::Zh, 0 | 1) => format!("改动了 {first}"),
        (Lang::Zh, n) => format!("改动了 {first}（另有 {} 个）", n - 1),
    }
}

pub fn watch(root: &Path, args: &WatchArgs, now: DateTime<FixedOffset>) -> ExitCode {
    {
        let stop = stop_on_ctrl_c();
        let now_fn = move || now_or(now);
        let r = laurel::live::watch(
            root,
            args.build.flags(),
            args.poll,
            stop,
            &now_fn,
            &mut |ev| print_event(root, ev),
        );
        match r {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => report_error(&e, root),
        }
    }
}

pub fn serve(root: &Path, args: &ServeArgs, now: DateTime<FixedOffset>) -> ExitCode {
    {
        let flags = args.build.flags();
        let setup = match laurel::live::bind_serve(root, &flags, args.bind, args.port) {
            Ok(s) => s,
            Err(e) => return report_error(&e, root),
        };
        if setup.is_public {
            match super::lang(root) {
                Lang::En => eprintln!(
                    "warning: listening on {}: anyone on your network can read the site (use --bind 127.0.0.1 to keep it local)",
                    args.bind
                ),
                Lang::Zh => eprintln!(
                    "警告：正在 {} 上监听：同一网络中的任何人都能访问这个网站（用 --bind 127.0.0.1 只在本机访问）",
                    args.bind
                ),
            }
        }
        let url = setup.url.clone();
        let stop = stop_on_ctrl_c();
        let now_fn = move || now_or(now);
        let mut first = true;
        let open = args.open;
        let lang = super::lang(root);
        let r = laurel::live::serve(root, flags, setup, args.poll, stop, &now_fn, &mut |ev| {
            print_event(root, ev);
            if first {
                first = false;
                match lang {
                    Lang::En => println!("serving {url} (Ctrl-C to stop)"),
                    Lang::Zh => println!("预览地址 {url}（按 Ctrl-C 停止）"),
                }
                if open && let Err(e) = open::that(&url) {
                    match lang {
                        Lang::En => eprintln!("warning: cannot open a browser: {e}"),
                        Lang::Zh => eprintln!("警告：无法打开浏览器：{e}"),
                    }
                }
            }
        });
        match r {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => report_error(&e, root),
        }
    }
}
