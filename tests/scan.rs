//! `scan` and `batch` as a user meets them: the JSON contract, the rules on synthetic APKs, tampered
//! signatures, and every kind of bad input answered with exit 2 and one plain sentence.

#![allow(clippy::unwrap_used)] // tests may unwrap: a panic is a failure with its place

mod support;

use support::Dir;
use support::apk::{self, ApkSpec, ComponentSpec};

fn scan_json(dir: &Dir, file: &std::path::Path) -> serde_json::Value {
    dir.run(&["scan", "--json", file.to_str().unwrap()]).json()
}

fn finding<'a>(v: &'a serde_json::Value, testpoint: &str, rule: &str) -> &'a serde_json::Value {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["testpoint"] == testpoint && f["rule"] == rule)
        .unwrap_or_else(|| panic!("no finding {rule} on {testpoint}"))
}

#[test]
fn scan_json_has_the_stable_keys() {
    let dir = Dir::new();
    let v = scan_json(&dir, &support::corpus().join("apk/bugly_hotfix_demo-release.apk"));
    for key in [
        "package",
        "label",
        "version_code",
        "version_name",
        "min_sdk",
        "target_sdk",
        "auto_start",
        "hot_update",
    ] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    let p = &v["permissions"][0];
    assert!(p["name"].is_string() && p["declared"].is_boolean() && p["protection"].is_string());
    let s = &v["signing"];
    for key in ["v1", "v2", "v3", "verified"] {
        assert!(s[key].is_boolean(), "signing.{key}");
    }
    let c = &s["certificates"][0];
    for key in ["sha256", "subject", "issuer", "not_before", "not_after"] {
        assert!(c[key].is_string(), "certificate {key}");
    }
    let sdk = &v["sdks"][0];
    for key in ["id", "name", "vendor", "category"] {
        assert!(sdk[key].is_string(), "sdk {key}");
    }
    assert!(!sdk["evidence"].as_array().unwrap().is_empty());
    let f = &v["findings"][0];
    assert!(f["testpoint"].is_string() && f["rule"].is_string() && f["suggested_status"].is_string());
    assert!(f["evidence"]["zh"].is_string() && f["evidence"]["en"].is_string());
    assert_eq!(v["checklist"]["id"], "miit-2023-26");
    // The findings name the debuggable manifest of this demo build.
    assert_eq!(
        finding(&v, "14.1", "debuggable")["suggested_status"],
        "non-compliant"
    );
    assert_eq!(
        finding(&v, "6.3", "hot-update")["suggested_status"],
        "not-checked"
    );
}

#[test]
fn rules_see_what_a_synthetic_apk_hides() {
    let dir = Dir::new();
    let spec = ApkSpec {
        label: "\u{200B}".into(),
        target_sdk: 22,
        debuggable: true,
        permissions: vec![
            "android.permission.READ_CONTACTS".into(),
            "android.permission.READ_PHONE_STATE".into(),
            "android.permission.SYSTEM_ALERT_WINDOW".into(),
        ],
        components: vec![ComponentSpec {
            kind: "receiver",
            name: ".BootReceiver".into(),
            exported: None,
            actions: vec!["android.intent.action.BOOT_COMPLETED".into()],
            categories: vec![],
        }],
        icon: Some(("res/drawable/icon.png".into(), apk::png(48, 48, [0, 0, 0, 0]))),
        classes: vec![
            "Lcom/igexin/sdk/PushManager;".into(),
            "Lcom/qq/e/ads/splash/SplashAD;".into(),
        ],
        ..ApkSpec::default()
    };
    let file = dir.write("hidden.apk", apk::build(&spec));
    let v = scan_json(&dir, &file);
    assert_eq!(v["package"], "cn.example.demo");
    assert_eq!(
        finding(&v, "3.1", "blank-label")["suggested_status"],
        "non-compliant"
    );
    assert_eq!(
        finding(&v, "3.2", "transparent-icon")["suggested_status"],
        "non-compliant"
    );
    // A missing launcher and a boot receiver are capabilities to confirm on the phone: hints with
    // the facts, never verdicts.
    let launcher = finding(&v, "3.3", "hidden-launcher");
    assert_eq!(launcher["suggested_status"], "not-checked");
    assert!(
        launcher["evidence"]["en"]
            .as_str()
            .unwrap()
            .contains("no enabled MAIN/LAUNCHER")
    );
    let boot = finding(&v, "6.1", "autostart-receiver");
    assert_eq!(boot["suggested_status"], "not-checked");
    assert!(
        boot["evidence"]["en"]
            .as_str()
            .unwrap()
            .contains("cn.example.demo.BootReceiver")
    );
    assert_eq!(
        finding(&v, "10.1", "legacy-target-sdk")["suggested_status"],
        "non-compliant"
    );
    assert_eq!(
        finding(&v, "14.1", "debuggable")["suggested_status"],
        "non-compliant"
    );
    assert!(
        finding(&v, "6.2", "wakeup-sdk")["evidence"]["en"]
            .as_str()
            .unwrap()
            .contains("Getui")
    );
    assert!(
        finding(&v, "4.1", "ad-sdk")["evidence"]["en"]
            .as_str()
            .unwrap()
            .contains("GDT")
    );
    assert!(
        finding(&v, "4.5", "overlay-permission")["evidence"]["en"]
            .as_str()
            .unwrap()
            .contains("SYSTEM_ALERT_WINDOW")
    );
    assert_eq!(
        finding(&v, "14.5", "signature-scheme")["suggested_status"],
        "non-compliant"
    );
    // An unsigned package says so.
    assert!(v["signing"]["notes"].to_string().contains("not signed"));
}

#[test]
fn a_tampered_package_no_longer_verifies() {
    let dir = Dir::new();
    let original =
        std::fs::read(support::corpus().join("apk/androguard_TestActivity_signed_both.apk")).unwrap();
    let good = dir.write("good.apk", &original);
    assert_eq!(scan_json(&dir, &good)["signing"]["verified"], true);
    // Change one byte inside the first entry's data (after its 30-byte local header and name).
    let name_len = u16::from_le_bytes([original[26], original[27]]) as usize;
    let extra_len = u16::from_le_bytes([original[28], original[29]]) as usize;
    let mut bad = original.clone();
    bad[30 + name_len + extra_len + 10] ^= 0x01;
    let bad = dir.write("bad.apk", bad);
    let run = dir.run(&["scan", "--json", bad.to_str().unwrap()]);
    let v: serde_json::Value = serde_json::from_str(&run.ok()).unwrap();
    assert_eq!(v["signing"]["verified"], false);
    let schemes = v["signing"]["schemes"].as_array().unwrap();
    assert!(schemes.iter().all(|s| s["verified"] == false), "{schemes:?}");
    assert!(
        schemes
            .iter()
            .any(|s| s["problem"].as_str().unwrap().contains("modified")),
        "{schemes:?}"
    );
    assert_eq!(
        finding(&v, "14.5", "signature-scheme")["suggested_status"],
        "non-compliant"
    );
}

/// Runs scan on bad input and checks: exit 2, one sentence on stderr naming the file, no panic.
fn refused(dir: &Dir, name: &str, bytes: &[u8], expect: &str) {
    let file = dir.write(name, bytes);
    let run = dir.run(&["scan", file.to_str().unwrap()]);
    let err = run.stderr();
    assert_eq!(run.code(), 2, "{name}: {err}");
    assert!(
        err.contains(name),
        "{name}: the message does not name the file: {err}"
    );
    assert!(err.contains(expect), "{name}: expected {expect:?} in {err}");
    assert_eq!(err.trim().lines().count(), 1, "{name}: more than one line: {err}");
    assert!(
        !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
        "{err}"
    );
    // Plain words: no type names of the libraries underneath.
    assert!(!err.contains("::") && !err.contains("CDEBlock"), "{name}: {err}");
}

#[test]
fn bad_input_is_refused_with_one_plain_sentence() {
    let dir = Dir::new();
    let good = apk::build(&ApkSpec::default());
    refused(
        &dir,
        "notes.apk",
        b"these are my notes, not an App",
        "not a zip archive",
    );
    refused(&dir, "empty.apk", b"", "not a zip archive");
    refused(&dir, "truncated.apk", &good[..good.len() / 2], "zip");
    refused(
        &dir,
        "no-manifest.apk",
        &apk::zip(&[("classes.dex".into(), apk::dex(&["La/B;".into()]))]),
        "no AndroidManifest.xml",
    );
    refused(
        &dir,
        "garbage-manifest.apk",
        &apk::zip(&[(
            "AndroidManifest.xml".into(),
            b"<manifest>not binary xml</manifest>".to_vec(),
        )]),
        "AndroidManifest.xml",
    );
    let hap = std::fs::read(support::corpus().join("apk/appinfo_harmony.hap")).unwrap();
    refused(&dir, "app.hap", &hap, "HarmonyOS");
    // Cut a few bytes short, or with a table of contents pointing elsewhere.
    let real = std::fs::read(support::corpus().join("apk/androguard_com.politedroid_4.apk")).unwrap();
    refused(&dir, "cut10.apk", &real[..real.len() - 10], "cut short");
    refused(&dir, "cut30.apk", &real[..real.len() - 30], "cut short");
    let eocd = real.windows(4).rposition(|w| w == b"PK\x05\x06").unwrap();
    let mut moved = real.clone();
    moved[eocd + 16..eocd + 20].copy_from_slice(&0xffff_ff00u32.to_le_bytes());
    refused(&dir, "moved.apk", &moved, "points outside the file");
    let mut disks = real.clone();
    disks[eocd + 4..eocd + 6].copy_from_slice(&3u16.to_le_bytes());
    refused(&dir, "disks.apk", &disks, "several disks");
}

#[test]
fn zip_bombs_are_refused_without_inflating_them() {
    let dir = Dir::new();
    // An entry that claims 4 GB.
    let mut claims = apk::build(&ApkSpec::default());
    let cd = find_central_entry(&claims, b"classes.dex");
    claims[cd + 24..cd + 28].copy_from_slice(&u32::MAX.to_le_bytes());
    refused(&dir, "claims-4gb.apk", &claims, "zip bomb");
    // An entry that inflates far past its compressed size (64 MiB of zeros in ~64 KiB).
    let bomb = apk::zip(&[
        ("AndroidManifest.xml".into(), apk::manifest(&ApkSpec::default())),
        ("classes.dex".into(), vec![0u8; 64 << 20]),
    ]);
    assert!(bomb.len() < 1 << 20);
    refused(&dir, "bomb.apk", &bomb, "zip bomb");
    // The same bomb lying about its size (1000 bytes declared in both headers): inflation stops
    // at what the headers claim, and the damaged entry is reported while the rest still stands.
    let mut liar = bomb.clone();
    let cd = find_central_entry(&liar, b"classes.dex");
    liar[cd + 24..cd + 28].copy_from_slice(&1000u32.to_le_bytes());
    let local = u32::from_le_bytes(liar[cd + 42..cd + 46].try_into().unwrap()) as usize;
    liar[local + 22..local + 26].copy_from_slice(&1000u32.to_le_bytes());
    let file = dir.write("liar.apk", &liar);
    let v = scan_json(&dir, &file);
    assert_eq!(v["dex"]["class_count"], 0);
    let warnings = v["warnings"].to_string();
    assert!(
        warnings.contains("classes.dex") && warnings.contains("damaged"),
        "{warnings}"
    );
}

/// Offset of the central-directory record of `name`.
fn find_central_entry(zip: &[u8], name: &[u8]) -> usize {
    (0..zip.len() - 46)
        .find(|&i| zip[i..i + 4] == [0x50, 0x4b, 0x01, 0x02] && zip[i + 46..].starts_with(name))
        .expect("central directory entry")
}

#[test]
fn a_dex_with_lying_offsets_is_a_warning_not_a_failure() {
    let dir = Dir::new();
    let mut dex = apk::dex(&["Lcom/a/B;".into()]);
    dex[60..64].copy_from_slice(&0x7fff_fff0u32.to_le_bytes());
    let spec = ApkSpec {
        classes: vec![],
        extra: vec![("classes.dex".into(), dex)],
        ..ApkSpec::default()
    };
    let file = dir.write("lying-dex.apk", apk::build(&spec));
    let v = scan_json(&dir, &file);
    assert_eq!(v["package"], "cn.example.demo");
    assert!(
        v["warnings"].to_string().contains("classes.dex"),
        "{}",
        v["warnings"]
    );
}

#[test]
fn batch_writes_one_line_per_package_failures_included() {
    let dir = Dir::new();
    let apks = dir.path().join("apks");
    std::fs::create_dir(&apks).unwrap();
    std::fs::write(apks.join("a.apk"), apk::build(&ApkSpec::default())).unwrap();
    std::fs::write(apks.join("broken.apk"), b"nope").unwrap();
    std::fs::write(apks.join("readme.txt"), b"not scanned").unwrap();
    let bugly = support::corpus().join("apk/bugly_hotfix_demo-release.apk");
    let out = dir.join("out.jsonl");
    let run = dir.run(&[
        "batch",
        apks.to_str().unwrap(),
        bugly.to_str().unwrap(),
        "--jobs",
        "2",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.code(), 2, "one package failed: {}", run.stderr());
    assert!(
        run.stderr()
            .contains("3 packages scanned, 1 could not be analysed"),
        "{}",
        run.stderr()
    );
    let text = std::fs::read_to_string(&out).unwrap();
    let lines: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 3);
    let broken = lines
        .iter()
        .find(|l| l["path"].as_str().unwrap().ends_with("broken.apk"))
        .unwrap();
    assert!(broken["error"].as_str().unwrap().contains("not a zip archive"));
    let b = lines
        .iter()
        .find(|l| {
            l["path"]
                .as_str()
                .unwrap()
                .ends_with("bugly_hotfix_demo-release.apk")
        })
        .unwrap();
    assert_eq!(b["result"]["package"], "com.tencent.bugly.hotfix");
    assert!(!b["result"]["findings"].as_array().unwrap().is_empty());
}
