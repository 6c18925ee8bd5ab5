//! Profile loading: any bytes give a person or errors naming the file.
#![no_main]

#[path = "common.rs"]
mod common;

use laurel::source::person;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let opts = common::options(true);
    let file = common::file("content/people/wu-yang.yaml", data);
    match person::load(&file, &opts) {
        Ok(p) => assert_eq!(p.id, "wu-yang"),
        Err(errors) => {
            assert!(!errors.is_empty());
            for e in errors {
                assert_eq!(e.path, file.rel, "{e:?}");
            }
        }
    }
});
