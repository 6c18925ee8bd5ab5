//! Shared by the targets that go through a loader: the loaders read a file, so
//! each fuzz input is written to one temp file per process.

use std::path::{Path, PathBuf};

use laurel::source::{FoundFile, LoadOptions};

pub fn options(sanitize: bool) -> LoadOptions {
    LoadOptions {
        timezone: chrono_tz::Asia::Shanghai,
        root_path: "/column/".to_string(),
        sanitize,
        chinese_quotes: true,
    }
}

/// Writes `bytes` to `<tmp>/laurel-fuzz-<pid>/<rel>` and returns the file.
pub fn file(rel: &str, bytes: &[u8]) -> FoundFile {
    let dir = std::env::temp_dir().join(format!("laurel-fuzz-{}", std::process::id()));
    let abs: PathBuf = dir.join(rel);
    std::fs::create_dir_all(abs.parent().unwrap()).unwrap();
    std::fs::write(&abs, bytes).unwrap();
    FoundFile {
        rel: Path::new(rel).to_path_buf(),
        abs,
    }
}
