//! site.yaml: parse into RawConfig, then resolve; never a panic, every error
//! names site.yaml.
#![no_main]

use laurel::config::{BuildFlags, Config, RawConfig};
use libfuzzer_sys::fuzz_target;
use std::path::{Path, PathBuf};

fuzz_target!(|text: &str| {
    let file = Path::new("site.yaml");
    let raw: RawConfig = match laurel::yaml::parse(text, file, 1) {
        Ok(raw) => raw,
        Err(e) => {
            assert_eq!(e.path, file);
            return;
        }
    };
    let root = PathBuf::from("/nonexistent/laurel-fuzz-site");
    match Config::resolve(raw, root, &BuildFlags::default()) {
        Ok(config) => {
            assert!(config.root_path.starts_with('/') && config.root_path.ends_with('/'));
            assert!(config.entries_per_page > 0);
        }
        Err(errors) => {
            assert!(!errors.is_empty());
            for e in errors {
                assert_eq!(e.path, file, "{e:?}");
            }
        }
    }
});
