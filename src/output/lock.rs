//! The output folder's lock: one writer at a time. The lock file sits beside
//! the output folder (`.<name>.laurel-lock` in its parent), so it survives
//! the swap of a build, and holds the pid of its holder while it is held
//! (for people looking at a stuck build; empty otherwise). A second writer
//! waits until the first is done.
//!
//! The file is never removed: removing a lock file while another process
//! waits on it lets a third one lock a fresh file, and two would write.

use std::fs::{self, File};
use std::io::{Seek as _, SeekFrom, Write as _};
use std::path::Path;

use anyhow::Context as _;

use super::staging::sibling;

/// The output folder's lock, held until dropped.
#[derive(Debug)]
pub struct OutputLock {
    file: File,
}

impl OutputLock {
    /// Takes the lock of `output`, waiting while another laurel holds it.
    pub fn acquire(output: &Path) -> anyhow::Result<OutputLock> {
        let parent = output.parent().context("output folder has no parent")?;
        fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
        let path = sibling(output, "lock");
        let mut file = File::options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .with_context(|| format!("cannot open the lock file {}", path.display()))?;
        file.lock().with_context(|| {
            let holder = fs::read_to_string(&path).unwrap_or_default();
            format!(
                "cannot lock {} (held by pid {})",
                path.display(),
                holder.trim()
            )
        })?;
        // Who holds it, for whoever looks; failing to say so is no reason to stop.
        let _ = file
            .set_len(0)
            .and_then(|()| file.seek(SeekFrom::Start(0)))
            .and_then(|_| writeln!(file, "{}", std::process::id()));
        Ok(OutputLock { file })
    }
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        // An empty lock file: nobody holds it (and a finished run leaves the
        // file as it found it). Closing the file would release the lock too.
        let _ = self.file.set_len(0);
        let _ = self.file.unlock();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_holder_waits_for_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        let first = OutputLock::acquire(&output).unwrap();
        let text = fs::read_to_string(dir.path().join(".public.laurel-lock")).unwrap();
        assert_eq!(text, format!("{}\n", std::process::id()));
        let (tx, rx) = std::sync::mpsc::channel();
        let out = output.clone();
        let waiter = std::thread::spawn(move || {
            let lock = OutputLock::acquire(&out).unwrap();
            tx.send(()).unwrap();
            drop(lock);
        });
        assert!(
            rx.recv_timeout(std::time::Duration::from_millis(200))
                .is_err(),
            "the second writer did not wait"
        );
        drop(first);
        rx.recv_timeout(std::time::Duration::from_secs(10))
            .expect("the second writer got the lock");
        waiter.join().unwrap();
        let text = fs::read_to_string(dir.path().join(".public.laurel-lock")).unwrap();
        assert_eq!(text, "", "released, the lock file names nobody");
    }
}
