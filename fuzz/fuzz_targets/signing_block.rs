//! The APK Signing Block and its v2/v3 signers.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    app_inspector::fuzzing::signing_block(data);
});
