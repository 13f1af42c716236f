//! Thousands of deterministic mutations of real and synthetic packages through the analysis:
//! every one must end in a report or a typed error, never a panic. (The coverage-guided fuzz
//! targets in fuzz/ go further; this guard runs in every `cargo test`.)

#![allow(clippy::unwrap_used)] // tests may unwrap: a panic is a failure with its place

mod support;

use std::path::Path;

use app_inspector::package::{self, Limits};
use support::apk::{self, ApkSpec};
use support::mutate::{Rng, entries, mutate};

fn seeds() -> Vec<(String, Vec<u8>)> {
    let dir = support::corpus().join("apk");
    let mut seeds: Vec<(String, Vec<u8>)> = [
        "androguard_com.politedroid_4.apk",
        "androguard_duplicate.permissions.apk",
        "apksig_golden-aligned-v1v2v3-lineage-out.apk",
        "apksig_v3-only-with-ecdsa-sha256-p256.apk",
    ]
    .iter()
    .map(|f| (f.to_string(), std::fs::read(dir.join(f)).unwrap()))
    .collect();
    seeds.push(("synthetic.apk".into(), apk::build(&ApkSpec::default())));
    seeds
}

#[test]
fn mutated_packages_never_panic() {
    let limits = Limits {
        max_entry: 8 << 20,
        max_total: 32 << 20,
        ..Limits::default()
    };
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let mut outcomes = (0usize, 0usize);
    for (name, seed) in seeds() {
        let path = Path::new(&name);
        // Whole-file mutations: the zip structure and the signing block.
        for _ in 0..400 {
            let mut data = seed.clone();
            for _ in 0..=rng.below(3) {
                mutate(&mut data, &mut rng);
            }
            match package::analyse_bytes(path, &data, limits) {
                Ok(_) => outcomes.0 += 1,
                Err(e) => {
                    assert!(!e.to_string().is_empty());
                    outcomes.1 += 1;
                }
            }
            let _ = package::signing::parse_signing_block(&data);
        }
        // Entry mutations: the binary XML, resources and DEX parsers behind the zip.
        let original = entries(&seed);
        for _ in 0..300 {
            let mut files = original.clone();
            let targets: Vec<usize> = files
                .iter()
                .enumerate()
                .filter(|(_, (n, _))| {
                    n == "AndroidManifest.xml" || n == "resources.arsc" || n.ends_with(".dex")
                })
                .map(|(i, _)| i)
                .collect();
            let t = targets[rng.below(targets.len())];
            for _ in 0..=rng.below(4) {
                mutate(&mut files[t].1, &mut rng);
            }
            let rebuilt = apk::zip(&files);
            match package::analyse_bytes(path, &rebuilt, limits) {
                Ok(r) => {
                    let _ = serde_json::to_string(&r).unwrap();
                    outcomes.0 += 1;
                }
                Err(_) => outcomes.1 += 1,
            }
        }
    }
    // Both paths were exercised: some mutations still parse, some are refused.
    assert!(outcomes.0 > 100 && outcomes.1 > 100, "{outcomes:?}");
}
