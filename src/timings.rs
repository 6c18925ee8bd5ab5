//! `LAUREL_TIMINGS=1`: how long each phase of a build or rebuild took, on
//! stderr, with the resident memory after it on Linux. For finding where
//! time and memory go (BENCHMARKS.md), not for users.

use std::sync::OnceLock;
use std::time::Instant;

fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("LAUREL_TIMINGS").is_some_and(|v| v != "0"))
}

/// A stopwatch that prints each lap when timings are on.
pub struct Laps {
    start: Instant,
    last: Instant,
    last_cpu: Option<u64>,
}

impl Laps {
    pub fn start() -> Laps {
        let now = Instant::now();
        Laps {
            start: now,
            last: now,
            last_cpu: cpu_ms(),
        }
    }

    /// Prints the time since the previous lap, labelled.
    pub fn lap(&mut self, label: &str) {
        if enabled() {
            let now = Instant::now();
            let cpu = cpu_ms();
            let cpu_lap = match (self.last_cpu, cpu) {
                (Some(a), Some(b)) => format!(", cpu {:>6} ms", b.saturating_sub(a)),
                _ => String::new(),
            };
            #[allow(clippy::print_stderr)]
            {
                eprintln!(
                    "timing: {label:<16} {:>7.1} ms (total {:>7.1} ms){cpu_lap}{}",
                    (now - self.last).as_secs_f64() * 1e3,
                    (now - self.start).as_secs_f64() * 1e3,
                    resident().map_or_else(String::new, |m| format!(", resident {m} MiB"))
                );
            }
            self.last = now;
            self.last_cpu = cpu;
        }
    }
}

/// The process's resident memory now, in MiB (Linux only).
#[cfg(target_os = "linux")]
fn resident() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    let page = u64::try_from(rustix::param::page_size()).ok()?;
    Some(pages * page / (1024 * 1024))
}

#[cfg(not(target_os = "linux"))]
fn resident() -> Option<u64> {
    None
}

/// The process's user + system CPU time so far, in milliseconds (Linux
/// only; the kernel counts it in clock ticks, usually 10 ms).
#[cfg(target_os = "linux")]
fn cpu_ms() -> Option<u64> {
    if !enabled() {
        return None;
    }
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let rest = &stat[stat.rfind(')')? + 2..];
    let mut fields = rest.split_whitespace().skip(11);
    let user: u64 = fields.next()?.parse().ok()?;
    let system: u64 = fields.next()?.parse().ok()?;
    let hz = rustix::param::clock_ticks_per_second().max(1);
    Some((user + system) * 1000 / hz)
}

#[cfg(not(target_os = "linux"))]
fn cpu_ms() -> Option<u64> {
    None
}

/// Prints one slow step (over a millisecond) when timings are on; `label`
/// is only built then.
pub fn slow(label: impl FnOnce() -> String, since: Instant) {
    if enabled() {
        let d = since.elapsed();
        if d.as_micros() >= 1000 {
            #[allow(clippy::print_stderr)]
            {
                eprintln!("timing:   {}: {:.1} ms", label(), d.as_secs_f64() * 1e3);
            }
        }
    }
}
