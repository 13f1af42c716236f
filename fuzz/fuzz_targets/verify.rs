//! A PDF through signature verification: byte ranges, /M, hex, DER, CMS, certificates.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = app_inspector::fuzzing::verify_pdf(data);
});
