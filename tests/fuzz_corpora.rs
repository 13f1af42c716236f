//! The fuzz targets' committed corpora (`fuzz/seeds/<target>/`), replayed through the very
//! functions the targets call (`app_inspector::fuzzing`), with a bounded number of deterministic
//! mutations of each seed: on stable Rust, in every `cargo test`, never skipped. A crash the
//! fuzzer finds is saved there and stays a test.

#![allow(clippy::unwrap_used)]

mod support;

use std::path::PathBuf;

use app_inspector::case::Store;
use app_inspector::fuzzing;
use support::mutate::{Rng, mutate};

fn seeds(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/seeds")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("the seed corpus {} is missing: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "the seed corpus {} is empty", dir.display());
    files
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect()
}

/// Each seed as it is, then `rounds` mutations of it, through `feed`.
fn replay(target: &str, rounds: usize, mut feed: impl FnMut(&PathBuf, &[u8], bool)) {
    let mut rng = Rng(0xf022_5eed_0000_0001);
    for (path, seed) in seeds(target) {
        feed(&path, &seed, true);
        for _ in 0..rounds {
            let mut data = seed.clone();
            for _ in 0..=rng.below(3) {
                mutate(&mut data, &mut rng);
            }
            feed(&path, &data, false);
        }
    }
}

#[test]
fn bundle_seeds_import_and_their_mutations_are_refused_in_a_sentence() {
    let (mut imported, mut refused) = (0, 0);
    replay("bundle", 150, |path, data, original| {
        let mut store = Store::open(std::path::Path::new(":memory:")).unwrap();
        match fuzzing::import_bundle(&mut store, data) {
            Ok(id) => {
                imported += 1;
                // Whatever got in proves its own state.
                store.prove(&id).unwrap().unwrap();
            }
            Err(e) => {
                let said = app_inspector::explain::explain(&e);
                assert!(!said.is_empty() && !said.contains("::"), "{said}");
                assert!(
                    !original,
                    "{}: the seed itself is refused: {said}",
                    path.display()
                );
                refused += 1;
            }
        }
    });
    assert!(
        imported >= 3 && refused > 100,
        "{imported} imported, {refused} refused"
    );
}

#[test]
fn verify_seeds_give_their_verdicts_and_mutations_never_panic() {
    replay("verify", 300, |path, data, original| {
        let v = fuzzing::verify_pdf(data);
        if original {
            let name = path.file_name().unwrap().to_string_lossy();
            let expected = name == "signed.pdf";
            assert_eq!(v.valid, expected, "{name}");
        }
    });
}

#[test]
fn package_seeds_from_the_apk_writer_and_their_mutations_never_panic() {
    // The package, DEX and signing-block targets seed from APKs; these come from the writer (the
    // corpus APKs are replayed by tests/robustness.rs).
    let apk = support::apk::build(&support::apk::ApkSpec {
        classes: vec!["Lcom/example/Main;".into()],
        ..Default::default()
    });
    let dex = support::apk::dex(&["Lcom/example/Main;".into(), "Lcom/tencent/bugly/Bugly;".into()]);
    // The same package signed with the writer's v2 signer: mutations reach the signing block's
    // parser and the v2 verification.
    let signed = app_inspector::sample::sign::ApkSigner::new("fuzz")
        .unwrap()
        .sign_v2(&apk)
        .unwrap();
    // And v3 with a proof of rotation: mutations reach the lineage's reader.
    let old = app_inspector::sample::sign::ApkSigner::new("fuzz-old").unwrap();
    let rotated = app_inspector::sample::sign::ApkSigner::new("fuzz-new")
        .unwrap()
        .sign_v3(&apk, Some(&old))
        .unwrap();
    assert_eq!(
        app_inspector::package::signing::parse_signing_block(&rotated),
        Ok(1)
    );
    let mut rng = Rng(7);
    for _ in 0..300 {
        let mut r = rotated.clone();
        mutate(&mut r, &mut rng);
        fuzzing::package(&r);
        fuzzing::signing_block(&r);
        let mut a = apk.clone();
        mutate(&mut a, &mut rng);
        fuzzing::package(&a);
        fuzzing::signing_block(&a);
        let mut s = signed.clone();
        mutate(&mut s, &mut rng);
        fuzzing::package(&s);
        fuzzing::signing_block(&s);
        let mut d = dex.clone();
        mutate(&mut d, &mut rng);
        fuzzing::dex(&d);
    }
}

#[test]
fn evidence_seeds_give_their_capture_and_mutations_never_panic() {
    replay("evidence", 300, |path, data, original| {
        fuzzing::evidence(data);
        if original && path.ends_with("exif.png") {
            let facts = app_inspector::case::capture::exif_facts(data);
            assert_eq!(facts.at.as_deref(), Some("2026-11-30T10:15:00+08:00"));
            assert_eq!(facts.device.as_deref(), Some("Xiaomi 23127PN0CC"));
        }
    });
}

#[test]
fn behaviour_log_seeds_are_read_and_mutations_are_refused_or_read_never_panicking() {
    // Read, with their records; refused (None): what the fuzzer found, kept as a test.
    let expected = [
        ("camille.json", Some(1)),
        ("camille.xls", Some(2)),
        ("frida.jsonl", Some(2)),
        ("oom-dimensions-xls.xls", None),
        ("oom-looping-xls.xls", None),
        ("oom-third-xls.xls", None),
        ("own.jsonl", Some(1)),
        ("own.csv", Some(2)),
    ];
    let mut seen = 0;
    replay("behaviour_log", 300, |path, data, original| {
        let read = fuzzing::behaviour_log(data);
        if original {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let want = expected.iter().find(|(n, _)| *n == name).and_then(|(_, r)| *r);
            assert_eq!(read, want, "{name}");
            seen += 1;
        }
    });
    assert_eq!(seen, expected.len());
}
