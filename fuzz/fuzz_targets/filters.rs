//! Template filters: each filter, applied in a one-line template to an
//! arbitrary value and argument (strings, numbers, booleans, none), gives
//! output or a template error, never a panic.
#![no_main]

use laurel::fuzzing::{FILTER_CALLS, render_one};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (u8, u8, u8, bool, &str, &str)| {
    let (call, value_kind, arg_kind, english, value, arg) = input;
    let call = usize::from(call) % FILTER_CALLS.len();
    let _ = render_one(call, (value_kind, value), (arg_kind, arg), english);
});
