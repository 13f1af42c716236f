//! The DEX class-list reader.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    app_inspector::fuzzing::dex(data);
});
