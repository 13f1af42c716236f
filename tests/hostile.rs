//! Hostile packages and folders never panic, hang or eat memory: DEX floods, overlapping
//! central-directory entries, zips whose two directories disagree, symlink loops, unreadable
//! folders, pipes and devices. Peak memory is measured with GNU time on the real binary.

#![allow(clippy::unwrap_used)]

mod support;

use std::process::Command;

use support::Dir;
use support::apk::{self, ApkSpec};
use support::bombs::{case_json_bomb, dex_flood, evidence_bomb, overlapping};

/// Runs the binary under GNU time; (exit code, stdout, stderr, peak resident memory in MiB).
fn measured(dir: &Dir, args: &[&str]) -> (i32, String, String, u64) {
    let (db, data) = (dir.join("cases.sqlite"), dir.join("data"));
    let (out, mib) = support::bombs::peak_memory(
        std::path::Path::new(env!("CARGO_BIN_EXE_app-inspector")),
        args,
        &[("APP_INSPECTOR_DB", &db), ("APP_INSPECTOR_DATA", &data)],
    );
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        mib,
    )
}

#[test]
fn a_flood_of_large_dex_entries_is_refused_or_read_within_300_mb() {
    let dir = Dir::new();
    // 1,200 × 1 MiB: more than a package may inflate to in all, refused before inflating.
    let flood = dir.write("flood.apk", dex_flood(1_200, 1 << 20));
    let (code, _, err, mib) = measured(&dir, &["scan", "--json", flood.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("would inflate to 1200 MiB in all"), "{err}");
    assert!(mib < 300, "{mib} MiB");
    // 600 × 1 MiB: read one by one, and no more than the budget kept for the signature check.
    let many = dir.write("many.apk", dex_flood(600, 1 << 20));
    let (code, out, err, mib) = measured(&dir, &["scan", "--json", many.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("\"warnings\""));
    assert!(mib < 300, "{mib} MiB");
    // Six workers at once stay under 1 GB together.
    let batch_dir = dir.join("batch");
    std::fs::create_dir(&batch_dir).unwrap();
    for n in 0..6 {
        std::fs::copy(&many, batch_dir.join(format!("m{n}.apk"))).unwrap();
    }
    let (code, out, err, mib) = measured(&dir, &["batch", "--jobs", "6", batch_dir.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.lines().count(), 6);
    assert!(mib < 1000, "{mib} MiB for the batch");
}

#[test]
fn central_directory_entries_overlapping_one_local_entry_are_refused() {
    let dir = Dir::new();
    let bomb = dir.write("overlap.apk", overlapping(1_000, 1 << 20));
    let (code, _, err, mib) = measured(&dir, &["scan", bomb.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("overlap"), "{err}");
    assert!(mib < 300, "{mib} MiB");
}

#[test]
fn a_hundred_thousand_dex_names_are_read() {
    let dir = Dir::new();
    let mut entries = vec![(
        "AndroidManifest.xml".to_string(),
        apk::manifest(&ApkSpec::default()),
    )];
    for i in 0..100_000 {
        entries.push((format!("classes{}.dex", i + 2), Vec::new()));
    }
    let file = dir.write("names.apk", apk::zip(&entries));
    let (code, out, err, mib) = measured(&dir, &["scan", "--json", file.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["package"], ApkSpec::default().package);
    assert!(mib < 300, "{mib} MiB");
}

/// The Polite Droid APK (v1-signed) with `edit` applied to its bytes.
fn politedroid_edited(edit: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    let mut bytes = std::fs::read(support::corpus().join("apk/androguard_com.politedroid_4.apk")).unwrap();
    edit(&mut bytes);
    bytes
}

fn v1(report: &serde_json::Value) -> serde_json::Value {
    report["signing"]["schemes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["scheme"] == "v1")
        .cloned()
        .unwrap()
}

#[test]
fn a_zip_whose_directories_disagree_is_never_verified() {
    let dir = Dir::new();
    let sound = dir.write("sound.apk", politedroid_edited(|_| {}));
    let v = dir.run(&["scan", "--json", sound.to_str().unwrap()]).json();
    assert_eq!(v1(&v)["verified"], true, "the corpus APK verifies as it is");

    // A local header names another file than its central record (same length).
    let renamed = dir.write(
        "renamed.apk",
        politedroid_edited(|b| {
            let at = b.windows(4).position(|w| w == b"PK\x03\x04").unwrap();
            let name_len = u16::from_le_bytes([b[at + 26], b[at + 27]]) as usize;
            b[at + 30 + name_len - 1] ^= 0x20;
        }),
    );
    let v = dir.run(&["scan", "--json", renamed.to_str().unwrap()]).json();
    assert_eq!(v1(&v)["verified"], false);
    let problem = v1(&v)["problem"].as_str().unwrap().to_string();
    assert!(problem.contains("another name in its local header"), "{problem}");
    assert!(
        v["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w.as_str().unwrap().contains("local header")),
        "{}",
        v["warnings"]
    );

    // The same name twice: a second classes.dex after the signed one.
    let twice = dir.write(
        "twice.apk",
        politedroid_edited(|b| {
            let original = b.clone();
            let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&original)).unwrap();
            let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
            for i in 0..archive.len() {
                w.raw_copy_file(archive.by_index_raw(i).unwrap()).unwrap();
            }
            let mut dup = w.finish().unwrap().into_inner();
            // Append a second central record for classes.dex by hand: zip writers refuse to.
            let eocd = dup.windows(4).rposition(|x| x == b"PK\x05\x06").unwrap();
            let cd_start = u32::from_le_bytes(dup[eocd + 16..eocd + 20].try_into().unwrap()) as usize;
            let count = u16::from_le_bytes([dup[eocd + 10], dup[eocd + 11]]);
            let mut at = cd_start;
            let mut record = None;
            while dup[at..at + 4] == *b"PK\x01\x02" {
                let (n, x, c) = (
                    u16::from_le_bytes([dup[at + 28], dup[at + 29]]) as usize,
                    u16::from_le_bytes([dup[at + 30], dup[at + 31]]) as usize,
                    u16::from_le_bytes([dup[at + 32], dup[at + 33]]) as usize,
                );
                if &dup[at + 46..at + 46 + n] == b"classes.dex" {
                    record = Some(dup[at..at + 46 + n + x + c].to_vec());
                }
                at += 46 + n + x + c;
            }
            let record = record.unwrap();
            let mut eocd_bytes = dup[eocd..].to_vec();
            dup.truncate(eocd);
            dup.extend_from_slice(&record);
            eocd_bytes[8..10].copy_from_slice(&(count + 1).to_le_bytes());
            eocd_bytes[10..12].copy_from_slice(&(count + 1).to_le_bytes());
            let cd_len = u32::from_le_bytes(eocd_bytes[12..16].try_into().unwrap()) + record.len() as u32;
            eocd_bytes[12..16].copy_from_slice(&cd_len.to_le_bytes());
            dup.extend_from_slice(&eocd_bytes);
            *b = dup;
        }),
    );
    let run = dir.run(&["scan", "--json", twice.to_str().unwrap()]);
    let v: serde_json::Value = serde_json::from_str(&run.ok()).unwrap();
    assert_eq!(v1(&v)["verified"], false, "{}", v["signing"]);
    assert!(
        v1(&v)["problem"]
            .as_str()
            .unwrap()
            .contains("two entries named \"classes.dex\""),
        "{}",
        v1(&v)["problem"]
    );
}

#[test]
fn batch_visits_each_real_place_once_and_reports_what_it_cannot_read() {
    let dir = Dir::new();
    let tree = dir.join("tree");
    std::fs::create_dir_all(tree.join("sub")).unwrap();
    std::fs::write(tree.join("sub/app.apk"), apk::build(&ApkSpec::default())).unwrap();
    // Two links to the folder itself and one back up the tree: loops a naive walk never leaves.
    std::os::unix::fs::symlink(".", tree.join("self-a")).unwrap();
    std::os::unix::fs::symlink(".", tree.join("self-b")).unwrap();
    std::os::unix::fs::symlink("..", tree.join("sub/up")).unwrap();
    std::os::unix::fs::symlink("sub/app.apk", tree.join("again.apk")).unwrap();
    std::os::unix::fs::symlink("missing.apk", tree.join("broken.apk")).unwrap();
    assert!(
        Command::new("mkfifo")
            .arg(tree.join("pipe.apk"))
            .status()
            .unwrap()
            .success()
    );
    let run = dir.run(&[
        "batch",
        tree.to_str().unwrap(),
        tree.join("sub").to_str().unwrap(),
        "/dev/zero",
    ]);
    assert_eq!(run.code(), 2, "{}", run.stderr());
    let lines: Vec<serde_json::Value> = run
        .stdout()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let results = lines.iter().filter(|l| l.get("result").is_some()).count();
    assert_eq!(results, 1, "the one package, once: {lines:?}");
    let errors: Vec<String> = lines
        .iter()
        .filter_map(|l| l.get("error").map(|e| format!("{} {}", l["path"], e)))
        .collect();
    assert!(
        errors
            .iter()
            .any(|e| e.contains("pipe.apk") && e.contains("not a regular file")),
        "{errors:?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.contains("/dev/zero") && e.contains("not a regular file")),
        "{errors:?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.contains("broken.apk") && e.contains("cannot read")),
        "{errors:?}"
    );

    // A folder nobody may read is reported (run as a user it is closed to; root reads anything).
    let locked = dir.join("locked");
    std::fs::create_dir(&locked).unwrap();
    std::fs::write(locked.join("x.apk"), apk::build(&ApkSpec::default())).unwrap();
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let out = as_other_user(&dir, &["batch", locked.to_str().unwrap()]);
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("cannot read the folder") && text.contains("ermission denied"),
        "{text}"
    );
}

/// Runs the binary as an unprivileged user: as root, through a copy of the binary that user can
/// execute (`setpriv`); otherwise directly.
fn as_other_user(dir: &Dir, args: &[&str]) -> std::process::Output {
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .unwrap()
        .stdout
        .starts_with(b"0");
    if !is_root {
        return Command::new(env!("CARGO_BIN_EXE_app-inspector"))
            .args(args)
            .output()
            .unwrap();
    }
    use std::os::unix::fs::PermissionsExt as _;
    let bin = dir.join("app-inspector");
    std::fs::copy(env!("CARGO_BIN_EXE_app-inspector"), &bin).unwrap();
    for p in [dir.path(), bin.as_path()] {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(&bin)
        .args(args)
        .env("APP_INSPECTOR_DB", "/nonexistent/cases.sqlite")
        .output()
        .unwrap()
}

#[test]
fn a_device_or_pipe_is_never_read_as_a_package_or_evidence() {
    let dir = Dir::new();
    for args in [
        vec!["scan", "/dev/zero"],
        vec!["case", "new", "--package", "/dev/zero"],
        vec!["case", "import", "/dev/zero"],
    ] {
        let run = dir.run(&args);
        assert_eq!(run.code(), 2, "{args:?}");
        assert!(
            run.stderr().contains("not a regular file"),
            "{args:?}: {}",
            run.stderr()
        );
    }
    let apk_path = support::corpus().join("apk/androguard_com.politedroid_4.apk");
    let id = dir
        .run(&["case", "new", "--package", apk_path.to_str().unwrap()])
        .ok()
        .trim()
        .to_string();
    let run = dir.run(&["case", "attach", &id, "/dev/zero"]);
    assert_eq!(run.code(), 2);
    assert!(run.stderr().contains("not a regular file"), "{}", run.stderr());
}

#[test]
fn a_bundle_that_would_inflate_to_gigabytes_is_imported_or_refused_within_300_mb() {
    let dir = Dir::new();
    // Five evidence files of 200 MiB of zeros (1 GB inflated, 1 MB on disk), every hash right.
    let bomb = dir.write("evidence-bomb.zip", evidence_bomb(5, 200 << 20));
    let (code, _, err, mib) = measured(&dir, &["case", "import", bomb.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("case.json"), "{err}");
    assert!(mib < 300, "{mib} MiB");
    // A case.json of 40 MiB of spaces: refused at its limit, not read to the end.
    let bomb = dir.write("json-bomb.zip", case_json_bomb(40 << 20));
    let (code, _, err, mib) = measured(&dir, &["case", "import", bomb.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("case.json"), "{err}");
    assert!(mib < 300, "{mib} MiB");
}
