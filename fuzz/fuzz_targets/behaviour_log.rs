//! Behaviour logs: camille spreadsheets, Frida JSON lines, camille's JSON export, our own lines.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = app_inspector::fuzzing::behaviour_log(data);
});
