//! Parallel work that waits on the disk more than on the CPU: reading and
//! stamping the site's files.
//!
//! When the files are not in the page cache (the first build after a boot,
//! a corpus pushed out by other work), each read waits for the disk. Run on
//! rayon's pool of one thread per core, a 2-core machine then keeps only two
//! reads in flight, and both cores sit idle while they wait: a 100k-entry
//! site took 7.1 s to load cold against 2.1 s warm. On a pool with several
//! threads per core the disk always has reads queued (3.3 s cold); with
//! warm files the extra threads cost nothing measurable, as the work
//! between reads is short and rayon splits it the same way. A thread limit
//! set with `RAYON_NUM_THREADS` is kept: the work then runs on rayon's pool.

use std::sync::OnceLock;

/// Threads per core for disk-bound work.
const PER_CORE: usize = 4;
/// At least this many reads in flight, however few cores; at most this many
/// threads, however many.
const MIN_THREADS: usize = 8;
const MAX_THREADS: usize = 64;

/// Runs `work` (which uses rayon's parallel iterators) on the disk pool, or
/// on the current pool when threads are limited or the pool could not be
/// made.
pub fn run<R: Send>(work: impl FnOnce() -> R + Send) -> R {
    match pool() {
        Some(pool) => pool.install(work),
        None => work(),
    }
}

/// Made on first use, kept for the process (a live session loads again on
/// every edit).
fn pool() -> Option<&'static rayon::ThreadPool> {
    static POOL: OnceLock<Option<rayon::ThreadPool>> = OnceLock::new();
    POOL.get_or_init(|| {
        let n = threads(rayon::current_num_threads(), limit())?;
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .thread_name(|i| format!("laurel-disk-{i}"))
            .build()
            .ok()
    })
    .as_ref()
}

/// The thread count a user set for rayon, read as rayon reads it (a
/// positive number; anything else means no limit).
fn limit() -> Option<usize> {
    std::env::var("RAYON_NUM_THREADS")
        .ok()?
        .parse()
        .ok()
        .filter(|&n| n > 0)
}

/// The disk pool's size for a rayon pool of `cores` threads: none when the
/// user limited the threads.
fn threads(cores: usize, limit: Option<usize>) -> Option<usize> {
    match limit {
        Some(_) => None,
        None => Some((cores * PER_CORE).clamp(MIN_THREADS, MAX_THREADS)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rayon::prelude::*;

    #[test]
    fn results_come_back_in_input_order_from_more_threads_than_cores() {
        // The order of the site's files is the order of its problems and
        // of its entries.
        let squares: Vec<u64> = run(|| (0..10_000u64).into_par_iter().map(|i| i * i).collect());
        assert_eq!(squares.len(), 10_000);
        assert!(
            squares
                .iter()
                .enumerate()
                .all(|(i, &s)| s == (i * i) as u64)
        );
        // The work ran on the disk pool, whose size is what keeps reads in
        // flight (or on rayon's own, when the threads are limited).
        let cores = rayon::current_num_threads();
        let size = run(rayon::current_num_threads);
        assert_eq!(size, threads(cores, limit()).unwrap_or(cores));
    }

    #[test]
    fn several_reads_per_core_unless_the_user_limited_the_threads() {
        assert_eq!(threads(1, None), Some(MIN_THREADS));
        assert_eq!(threads(2, None), Some(8));
        assert_eq!(threads(6, None), Some(24));
        assert_eq!(threads(64, None), Some(MAX_THREADS));
        // RAYON_NUM_THREADS=1: one thread, for every step.
        assert_eq!(threads(1, Some(1)), None);
    }
}
