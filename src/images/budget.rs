//! A memory budget for the images being decoded at once. Each decode holds
//! its estimated peak bytes from before it reads the file until its variants
//! are encoded, and waits while the budget is spent, so peak memory depends
//! on the budget, not on the number of cores. A decode larger than the whole
//! budget runs alone.

use std::sync::{Condvar, Mutex};

/// Bytes of decoded pixels in flight at once, across every render thread.
pub(super) const BUDGET: u64 = 1 << 30;

/// A counter of reserved bytes with a wait for room.
pub(super) struct Budget {
    capacity: u64,
    used: Mutex<u64>,
    freed: Condvar,
}

/// Bytes reserved in a [`Budget`], given back when dropped.
pub(super) struct Reservation<'a> {
    budget: &'a Budget,
    bytes: u64,
}

impl Budget {
    pub(super) const fn new(capacity: u64) -> Budget {
        Budget {
            capacity,
            used: Mutex::new(0),
            freed: Condvar::new(),
        }
    }

    /// Waits until `bytes` (at most the whole capacity) fit, and reserves them.
    pub(super) fn reserve(&self, bytes: u64) -> Reservation<'_> {
        let bytes = bytes.clamp(1, self.capacity);
        let mut used = self.used.lock().unwrap_or_else(|p| p.into_inner());
        while *used + bytes > self.capacity {
            used = self.freed.wait(used).unwrap_or_else(|p| p.into_inner());
        }
        *used += bytes;
        Reservation {
            budget: self,
            bytes,
        }
    }
}

impl Drop for Reservation<'_> {
    fn drop(&mut self) {
        let mut used = self.budget.used.lock().unwrap_or_else(|p| p.into_inner());
        *used -= self.bytes;
        drop(used);
        self.budget.freed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU64, Ordering};

    #[test]
    fn reservations_in_flight_never_exceed_the_capacity() {
        let budget = Budget::new(100);
        let in_flight = AtomicU64::new(0);
        let peak = AtomicU64::new(0);
        std::thread::scope(|s| {
            for i in 0..16u64 {
                let (budget, in_flight, peak) = (&budget, &in_flight, &peak);
                s.spawn(move || {
                    for round in 0..20u64 {
                        // 30..=70 bytes, and one over the capacity (runs alone).
                        let want = if i == 0 && round == 0 {
                            500
                        } else {
                            30 + (i * 7 + round) % 41
                        };
                        let r = budget.reserve(want);
                        let now = in_flight.fetch_add(r.bytes, Ordering::SeqCst) + r.bytes;
                        peak.fetch_max(now, Ordering::SeqCst);
                        std::thread::yield_now();
                        in_flight.fetch_sub(r.bytes, Ordering::SeqCst);
                    }
                });
            }
        });
        let peak = peak.load(Ordering::SeqCst);
        assert!(peak <= 100, "{peak} bytes reserved at once");
        // Everything was given back: the whole capacity can be reserved again.
        assert_eq!(budget.reserve(100).bytes, 100);
    }
}
