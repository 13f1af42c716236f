//! The APK Signing Block and its v2/v3 signers.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = app_inspector::package::signing::parse_signing_block(data);
});
