//! Package analysis on every real APK of the corpus, checked against what aapt, apksigner and
//! androguard report (recorded in tests/expected/corpus-apk.toml by tools/record_expected.py).

#![allow(clippy::unwrap_used)]

mod support;

use std::collections::BTreeSet;

use app_inspector::package::{self, PackageError};
use serde::Deserialize;

#[derive(Deserialize)]
struct Expected {
    apk: Vec<Apk>,
}

#[derive(Deserialize)]
struct Apk {
    file: String,
    analysable: bool,
    #[serde(default)]
    package: String,
    #[serde(default)]
    version_code: u64,
    #[serde(default)]
    version_name: String,
    #[serde(default)]
    label: String,
    #[serde(default)]
    min_sdk: u32,
    #[serde(default)]
    target_sdk: u32,
    #[serde(default)]
    permissions: Vec<String>,
    #[serde(default)]
    implied_permissions: Vec<String>,
    #[serde(default)]
    v1: bool,
    #[serde(default)]
    v2: bool,
    #[serde(default)]
    v3: bool,
    #[serde(default)]
    certificates: Vec<String>,
    #[serde(default)]
    apksigner_verifies: bool,
    #[serde(default)]
    apksigner_signer_sha256: String,
}

fn expected() -> Vec<Apk> {
    let text = include_str!("expected/corpus-apk.toml");
    toml::from_str::<Expected>(text)
        .expect("expected values parse")
        .apk
}

#[test]
fn every_corpus_apk_agrees_with_aapt_apksigner_and_androguard() {
    let dir = support::corpus().join("apk");
    let all = expected();
    assert!(
        all.len() >= 20,
        "the expected file covers only {} APKs",
        all.len()
    );
    let mut checked = 0;
    for e in &all {
        let path = dir.join(&e.file);
        let result = package::analyse(&path);
        if !e.analysable {
            let err = result.expect_err(&e.file);
            assert!(
                matches!(err, PackageError::NotAPackage { .. }),
                "{}: {err}",
                e.file
            );
            continue;
        }
        let r = result.unwrap_or_else(|err| panic!("{}: {err}", e.file));
        let f = &e.file;
        assert_eq!(r.package, e.package, "{f}: package");
        assert_eq!(r.label, e.label, "{f}: label");
        assert_eq!(r.version_code, Some(e.version_code), "{f}: versionCode");
        assert_eq!(
            r.version_name.as_deref(),
            Some(e.version_name.as_str()),
            "{f}: versionName"
        );
        assert_eq!(r.min_sdk, Some(e.min_sdk), "{f}: minSdk");
        assert_eq!(r.target_sdk, Some(e.target_sdk), "{f}: targetSdk");
        let ours: BTreeSet<_> = r.permissions.iter().map(|p| p.name.as_str()).collect();
        let theirs: BTreeSet<_> = e.permissions.iter().map(String::as_str).collect();
        assert_eq!(ours, theirs, "{f}: permissions");
        let ours_implied: BTreeSet<_> = r
            .permissions
            .iter()
            .filter(|p| !p.declared)
            .map(|p| p.name.as_str())
            .collect();
        let theirs_implied: BTreeSet<_> = e.implied_permissions.iter().map(String::as_str).collect();
        assert_eq!(ours_implied, theirs_implied, "{f}: implied permissions");
        assert_eq!(
            (r.signing.v1, r.signing.v2, r.signing.v3),
            (e.v1, e.v2, e.v3),
            "{f}: schemes"
        );
        let certs: BTreeSet<_> = r.signing.certificates.iter().map(|c| c.sha256.as_str()).collect();
        for c in &e.certificates {
            assert!(
                certs.contains(c.as_str()),
                "{f}: certificate {c} missing from {certs:?}"
            );
        }
        if e.apksigner_verifies {
            assert!(
                certs.contains(e.apksigner_signer_sha256.as_str()),
                "{f}: apksigner's signer certificate"
            );
            assert!(
                r.signing.verified,
                "{f}: apksigner verifies it, we do not: {:?}",
                r.signing.schemes
            );
            assert!(r.signing.notes.is_empty(), "{f}: {:?}", r.signing.notes);
        } else {
            // apksigner refuses it: either a scheme does not verify, or one is missing for the
            // Android versions the App claims; either way the report must say so.
            assert!(
                !r.signing.verified || !r.signing.notes.is_empty(),
                "{f}: apksigner refuses this package but the report finds nothing wrong"
            );
        }
        checked += 1;
    }
    assert!(checked >= 15, "only {checked} APKs were analysed");
}

/// apksig's golden package rotated its key: v1 and v2 signed by the old key (rsa-2048), v3 by the
/// new one (rsa-2048_2) with the proof of rotation between them, which verifies.
#[test]
fn the_v3_proof_of_rotation_of_apksigs_golden_package_is_read_and_verified() {
    let dir = support::corpus().join("apk");
    let r = package::analyse(&dir.join("apksig_golden-aligned-v1v2v3-lineage-out.apk")).unwrap();
    assert!(r.signing.verified, "{:?}", r.signing.schemes);
    let lineage: Vec<&str> = r.signing.lineage.iter().map(|c| c.subject.as_str()).collect();
    assert_eq!(lineage, ["CN=rsa-2048", "CN=rsa-2048_2"]);
    let signer = |scheme: &str| {
        r.signing
            .certificates
            .iter()
            .find(|c| c.schemes.iter().any(|s| s == scheme))
            .unwrap()
            .sha256
            .clone()
    };
    assert_eq!(r.signing.lineage[0].sha256, signer("v2"));
    assert_eq!(r.signing.lineage[1].sha256, signer("v3"));
    // A package without rotation has none.
    let plain = package::analyse(&dir.join("apksig_v3-only-with-ecdsa-sha256-p256.apk")).unwrap();
    assert!(plain.signing.verified && plain.signing.lineage.is_empty());
}

#[test]
fn finds_bugly_and_tinker_in_the_bugly_demo_and_robust_in_the_robust_sample() {
    let dir = support::corpus().join("apk");
    let bugly = package::analyse(&dir.join("bugly_hotfix_demo-release.apk")).unwrap();
    let sdk = bugly.sdks.iter().find(|s| s.id == "bugly").expect("Bugly found");
    assert!(
        sdk.evidence.iter().any(|e| e.contains("com.tencent.bugly.")),
        "{:?}",
        sdk.evidence
    );
    let tinker = bugly
        .hot_update
        .iter()
        .find(|s| s.id == "tinker")
        .expect("Tinker found");
    assert!(tinker.evidence.iter().any(|e| e.contains("com.tencent.tinker.")));

    let robust = package::analyse(&dir.join("robust_app-release.apk")).unwrap();
    let hot = robust
        .hot_update
        .iter()
        .find(|s| s.id == "robust")
        .expect("Robust found");
    assert!(
        hot.evidence[0].contains("com.meituan.robust."),
        "{:?}",
        hot.evidence
    );
}

#[test]
fn other_platforms_are_named_and_refused_plainly() {
    let dir = support::corpus().join("apk");
    for (file, kind) in [
        ("appinfo_harmony.hap", "HarmonyOS"),
        ("haptest_test.hap", "HarmonyOS"),
        ("appinfo_iphone.ipa", "iOS"),
        ("mastg_UnCrackable-Level1.ipa", "iOS"),
    ] {
        let err = package::analyse(&dir.join(file)).unwrap_err();
        assert!(matches!(err, PackageError::NotSupported { .. }), "{file}: {err}");
        assert!(
            err.to_string().contains(kind) && err.to_string().contains(file),
            "{err}"
        );
    }
}

/// README's measure of the SDK catalogue: of the third-party code found in the corpus APKs, how
/// much the catalogue names. Code the test Apps keep under another name than their package (a
/// crackme's `sg.vantagepoint`, a demo's JNI glue) is their own, not an SDK.
#[test]
fn the_catalogue_names_the_sdks_found_in_the_corpus() {
    const APPS_OWN_CODE: &[&str] = &[
        "sg.vantagepoint.",
        "org.fdroid.ci",
        "info.guardianproject.urzip",
        "com.devilwwj.jni",
    ];
    let dir = support::corpus().join("apk");
    let mut named = BTreeSet::new();
    let mut unnamed = BTreeSet::new();
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "apk"))
        .collect();
    paths.sort();
    for path in paths {
        let Ok(r) = package::analyse(&path) else { continue };
        named.extend(r.sdks.iter().chain(&r.hot_update).map(|s| s.id.clone()));
        unnamed.extend(
            r.unnamed_code
                .iter()
                .filter(|c| !APPS_OWN_CODE.iter().any(|own| c.package.starts_with(own)))
                .map(|c| c.package.clone()),
        );
    }
    let share = named.len() as f64 / (named.len() + unnamed.len()) as f64;
    eprintln!(
        "corpus: {} SDKs named, {} packages of third-party code unnamed ({:.0}% named): {unnamed:?}",
        named.len(),
        unnamed.len(),
        share * 100.0
    );
    for id in [
        "bugly",
        "tencent-bugly-beta",
        "tinker",
        "robust",
        "picasso",
        "apache-commons",
    ] {
        assert!(named.contains(id), "{id} not named: {named:?}");
    }
    assert!(
        share >= 0.8,
        "only {:.0}% of the SDKs found are named",
        share * 100.0
    );
}
