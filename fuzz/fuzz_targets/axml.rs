//! Binary XML (AndroidManifest.xml) as the analysis reads it.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = apk_info_axml::AXML::new(&mut &data[..], None);
});
