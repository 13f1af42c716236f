//! What each fuzz target feeds its bytes to, in one place: the targets in `fuzz/` call these, and
//! `tests/fuzz_corpora.rs` replays the committed corpora through the same functions in every
//! `cargo test` — a crash once found stays found, on stable Rust, without the fuzzer.

use std::path::Path;

use crate::case::{CaseError, Store};

/// Small limits keep the fuzzer fast; the code paths are those of the real limits.
pub fn package_limits() -> crate::package::Limits {
    crate::package::Limits {
        max_entry: 4 << 20,
        max_total: 16 << 20,
        max_kept: 4 << 20,
        ..crate::package::Limits::default()
    }
}

/// A whole package through every parser.
pub fn package(data: &[u8]) {
    let _ = crate::package::analyse_bytes(Path::new("fuzz.apk"), data, package_limits());
}

/// The DEX class-list reader.
pub fn dex(data: &[u8]) {
    let _ = crate::package::dex::class_names(data);
}

/// The APK Signing Block and its v2/v3 signers.
pub fn signing_block(data: &[u8]) {
    let _ = crate::package::signing::parse_signing_block(data);
}

/// A case bundle, through every check `case import` makes, into `store`.
pub fn import_bundle(store: &mut Store, data: &[u8]) -> Result<String, CaseError> {
    store.import_from(
        std::io::Cursor::new(data),
        Path::new("fuzz.zip"),
        "fuzz",
        &|_, _| true,
    )
}

/// An evidence file as `case attach` takes it: identified, its image checked and thumbnailed,
/// its EXIF read; and a file name read for a capture time.
pub fn evidence(data: &[u8]) {
    let _ = crate::case::evidence::prepare(data, "Screenshot_20261130-101500.png");
    let _ = crate::case::capture::exif_facts(data);
    let _ = crate::case::capture::from_name(&String::from_utf8_lossy(data));
}

/// A behaviour log as `case import-log` reads it: its format told by its first bytes (and forced
/// each way), every record classified and attributed, then counted. Returns the records read.
pub fn behaviour_log(data: &[u8]) -> Option<usize> {
    use crate::runtime::{self, Choice};
    let catalogue = crate::package::sdk::Catalogue::builtin();
    for forced in [Choice::Camille, Choice::FridaJsonl, Choice::Csv] {
        let _ = runtime::read(data, "fuzz.log", forced);
    }
    let (meta, behaviours) =
        runtime::read_and_understand(data, "fuzz.log", Choice::Auto, "com.example.shop", catalogue).ok()?;
    let _ = runtime::tally::tally(&behaviours);
    Some(meta.records)
}

/// A PDF through signature verification.
pub fn verify_pdf(data: &[u8]) -> crate::notice::verify::Verification {
    crate::notice::verify::verify(data)
}
