//! A whole package, through every parser, with small limits so the fuzzer stays fast.
#![no_main]
use app_inspector::package::{Limits, analyse_bytes};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        max_entry: 4 << 20,
        max_total: 16 << 20,
        ..Limits::default()
    };
    let _ = analyse_bytes(std::path::Path::new("fuzz.apk"), data, limits);
});
