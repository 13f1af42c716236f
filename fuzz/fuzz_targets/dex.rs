//! The DEX class-list reader.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = app_inspector::package::dex::class_names(data);
});
