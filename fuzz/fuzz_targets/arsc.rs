//! The resource table (resources.arsc).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = apk_info_axml::ARSC::new(&mut &data[..]);
});
