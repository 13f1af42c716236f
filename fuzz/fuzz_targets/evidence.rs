//! Evidence files: image identification and thumbnail, EXIF, capture time from a name.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    app_inspector::fuzzing::evidence(data);
});
