//! A whole package, through every parser, with small limits so the fuzzer stays fast.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    app_inspector::fuzzing::package(data);
});
