//! The case store end to end: the command-line flow, scores, the audit chain and its tamper
//! detection, bundles and their tampering, decompression bombs, damaged databases, a process
//! killed mid-import, and two writers at once.

#![allow(clippy::unwrap_used)] // tests may unwrap: a panic is a failure with its place

mod support;

use std::io::Write as _;
use std::path::Path;

use app_inspector::case::{NewCase, Store};
use app_inspector::checklist::SubjectType;
use support::Dir;

fn bugly() -> std::path::PathBuf {
    support::corpus().join("apk/bugly_hotfix_demo-release.apk")
}

/// A generated screenshot: a gradient with a seed, so each one has different bytes.
fn screenshot(w: u32, h: u32, seed: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        let v = x
            .wrapping_mul(31)
            .wrapping_add(y.wrapping_mul(17))
            .wrapping_add(seed.wrapping_mul(2_654_435_761));
        image::Rgb([(v ^ (v >> 8)) as u8, (v >> 3) as u8, (x ^ y ^ seed) as u8])
    });
    let mut out = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

fn new_case(dir: &Dir) -> String {
    let run = dir.run(&[
        "case",
        "new",
        "--package",
        bugly().to_str().unwrap(),
        "--subject-name",
        "深圳市示例科技有限公司",
        "--inspector",
        "张三",
    ]);
    run.ok().trim().to_string()
}

#[test]
fn the_full_flow_survives_export_and_import_into_an_empty_database() {
    let dir = Dir::new();
    let id = new_case(&dir);
    assert!(!id.is_empty());
    dir.run(&[
        "case",
        "assess",
        &id,
        "9.2",
        "--status",
        "non-compliant",
        "--note",
        "需5次点击才能找到隐私政策",
    ])
    .ok();
    dir.run(&["case", "assess", &id, "3.1", "--status", "compliant"])
        .ok();
    dir.run(&["case", "review", &id, "14.1", "--accept"]).ok();
    dir.run(&[
        "case",
        "review",
        &id,
        "6.3",
        "--reject",
        "热更新仅用于崩溃修复，已核实",
    ])
    .ok();
    let shot = dir.write("privacy.png", screenshot(540, 1200, 1));
    let sha = dir
        .run(&[
            "case",
            "attach",
            &id,
            shot.to_str().unwrap(),
            "--testpoint",
            "9.2",
            "--caption",
            "隐私政策入口",
        ])
        .ok();
    let sha = sha.trim().to_string();
    assert_eq!(sha.len(), 64);
    // The same screenshot attached again is stored once.
    let again = dir
        .run(&[
            "case",
            "attach",
            &id,
            shot.to_str().unwrap(),
            "--testpoint",
            "9.3",
        ])
        .ok();
    assert_eq!(again.trim(), sha);
    let doc = dir.write("complaints.pdf", b"%PDF-1.4 complaint register");
    dir.run(&["case", "attach", &id, doc.to_str().unwrap()]).ok();

    let score = dir.run(&["case", "score", &id, "--json"]).json();
    assert_eq!(score["verdict"], "issues-found");
    // The list shows the same verdict without loading the case.
    let list = dir.run(&["case", "list", "--json"]).json();
    assert_eq!(list[0]["verdict"], "issues-found");
    assert!(dir.run(&["case", "list"]).ok().contains("存在问题"));
    assert_eq!(score["total"]["checked"], 3);
    let show = dir.run(&["case", "show", &id, "--json"]).json();
    assert_eq!(show["evidence"].as_array().unwrap().len(), 3);
    assert_eq!(show["case"]["checklist_hash"].as_str().unwrap().len(), 64);
    assert!(
        show["suggestions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["rule"] == "hot-update" && s["review"] == "rejected")
    );
    let human = dir.run(&["case", "score", &id]).ok();
    assert!(
        human.contains("(2×0 + 2×1) / 4") || human.contains("得分"),
        "{human}"
    );

    let bundle = dir.join("case.zip");
    dir.run(&["case", "export", &id, "--out", bundle.to_str().unwrap()])
        .ok();
    let other = Dir::new();
    let imported = other.run(&["case", "import", bundle.to_str().unwrap()]).ok();
    assert_eq!(imported.trim(), id);
    let score2 = other.run(&["case", "score", &id, "--json"]).json();
    assert_eq!(score2, score, "the same score after import");
    let show2 = other.run(&["case", "show", &id, "--json"]).json();
    let hashes = |v: &serde_json::Value| -> Vec<String> {
        v["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["sha256"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(hashes(&show2), hashes(&show));
    assert_eq!(show2["assessments"], show["assessments"]);
    // The trail travelled with the case and records the import; the export is recorded where it
    // was made, once the bundle was complete, with the bundle's SHA-256.
    other.run(&["case", "log", &id, "--verify"]).ok();
    let log = other.run(&["case", "log", &id]).ok();
    assert!(
        log.contains("case.imported") && log.contains("evidence.attached"),
        "{log}"
    );
    let bundle_sha = app_inspector::case::sha256_hex(&std::fs::read(&bundle).unwrap());
    let here = dir.run(&["case", "log", &id]).ok();
    let exported = here.lines().last().unwrap();
    assert!(
        exported.contains("case.exported") && exported.contains(&bundle_sha),
        "{exported}"
    );
    dir.run(&["case", "log", &id, "--verify"]).ok();
    // The launcher icon the window shows travels too: a small PNG read from the package.
    let icon = |d: &Dir| {
        app_inspector::case::Store::open(&d.join("cases.sqlite"))
            .unwrap()
            .package_icon(&id)
            .unwrap()
    };
    let original = icon(&dir).expect("bugly's package has a launcher icon");
    let img = image::load_from_memory(&original).unwrap();
    assert!(img.width() <= 128 && img.height() <= 128 && img.width() > 0);
    assert_eq!(icon(&other), Some(original));
    // Importing again never overwrites.
    let run = other.run(&["case", "import", bundle.to_str().unwrap()]);
    assert_eq!(run.code(), 2);
    assert!(run.stderr().contains("already exists"), "{}", run.stderr());
}

#[test]
fn a_row_edited_by_hand_breaks_the_audit_chain() {
    let dir = Dir::new();
    let id = new_case(&dir);
    for tp in ["1.1", "1.2", "1.3"] {
        dir.run(&["case", "assess", &id, tp, "--status", "compliant"])
            .ok();
    }
    dir.run(&["case", "log", &id, "--verify"]).ok();
    let db = rusqlite::Connection::open(dir.join("cases.sqlite")).unwrap();
    // The log refuses updates through the schema; someone with the file can still drop that.
    let refused = db.execute("UPDATE audit SET actor = '王五' WHERE seq = 3", []);
    assert!(refused.is_err());
    db.execute_batch("DROP TRIGGER audit_no_update; UPDATE audit SET payload = replace(payload, 'compliant', 'non-compliant') WHERE seq = 3;")
        .unwrap();
    drop(db);
    let run = dir.run(&["case", "log", &id, "--verify"]);
    assert_eq!(run.code(), 1);
    assert!(run.stderr().contains("entry 3"), "{}", run.stderr());
}

/// Changes one entry of a bundle: (name, bytes) → new bytes, or None to drop it.
type Edit = Box<dyn FnMut(&str, Vec<u8>) -> Option<Vec<u8>>>;

/// One way to tamper with a bundle, and what the refusal must name.
struct Tamper {
    label: &'static str,
    edit: Edit,
    extra: Vec<(&'static str, &'static [u8])>,
    expect: &'static str,
}

/// Rewrites a bundle, changing entries with `edit` (name, bytes) → Some(new bytes) or None to drop.
fn rewrite(
    src: &Path,
    dst: &Path,
    mut edit: impl FnMut(&str, Vec<u8>) -> Option<Vec<u8>>,
    extra: &[(&str, &[u8])],
) {
    use std::io::Read as _;
    let mut zin = zip::ZipArchive::new(std::fs::File::open(src).unwrap()).unwrap();
    let mut zout = zip::ZipWriter::new(std::fs::File::create(dst).unwrap());
    let opts = zip::write::SimpleFileOptions::default();
    for i in 0..zin.len() {
        let mut e = zin.by_index(i).unwrap();
        let name = e.name().unwrap().to_string();
        let mut data = Vec::new();
        e.read_to_end(&mut data).unwrap();
        if let Some(new) = edit(&name, data) {
            zout.start_file(name.as_str(), opts).unwrap();
            zout.write_all(&new).unwrap();
        }
    }
    for (name, data) in extra {
        zout.start_file(*name, opts).unwrap();
        zout.write_all(data).unwrap();
    }
    zout.finish().unwrap();
}

#[test]
fn tampered_bundles_are_refused_naming_the_file_and_nothing_is_written() {
    let dir = Dir::new();
    let id = new_case(&dir);
    let shot = dir.write("s.png", screenshot(200, 400, 7));
    let sha = dir
        .run(&[
            "case",
            "attach",
            &id,
            shot.to_str().unwrap(),
            "--testpoint",
            "4.1",
        ])
        .ok();
    let sha = sha.trim();
    let bundle = dir.join("b.zip");
    dir.run(&["case", "export", &id, "--out", bundle.to_str().unwrap()])
        .ok();

    let cases: Vec<Tamper> = vec![
        Tamper {
            label: "evidence",
            edit: Box::new(|n: &str, mut d: Vec<u8>| {
                if n.starts_with("evidence/") {
                    let last = d.len() - 20;
                    d[last] ^= 0xff;
                }
                Some(d)
            }),
            extra: vec![],
            expect: "evidence/",
        },
        Tamper {
            label: "audit",
            edit: Box::new(|n: &str, d: Vec<u8>| {
                Some(if n == "audit.jsonl" {
                    String::from_utf8(d)
                        .unwrap()
                        .replacen("张三", "王五", 1)
                        .into_bytes()
                } else {
                    d
                })
            }),
            extra: vec![],
            expect: "audit.jsonl",
        },
        Tamper {
            label: "added",
            edit: Box::new(|_: &str, d: Vec<u8>| Some(d)),
            extra: vec![("notes.txt", b"extra".as_slice())],
            expect: "notes.txt",
        },
        Tamper {
            label: "slip",
            edit: Box::new(|_: &str, d: Vec<u8>| Some(d)),
            extra: vec![("../../evil.sh", b"rm -rf".as_slice())],
            expect: "outside the bundle",
        },
        Tamper {
            label: "missing",
            edit: Box::new(|n: &str, d: Vec<u8>| if n.starts_with("evidence/") { None } else { Some(d) }),
            extra: vec![],
            expect: "missing",
        },
    ];
    for Tamper {
        label,
        edit,
        extra,
        expect,
    } in cases
    {
        let bad = dir.join(&format!("bad-{label}.zip"));
        rewrite(&bundle, &bad, edit, &extra);
        let other = Dir::new();
        let run = other.run(&["case", "import", bad.to_str().unwrap()]);
        assert_eq!(run.code(), 2, "{label}: {}", run.stderr());
        assert!(run.stderr().contains(expect), "{label}: {}", run.stderr());
        let list = other.run(&["case", "list", "--json"]).json();
        assert_eq!(
            list.as_array().unwrap().len(),
            0,
            "{label}: something was written"
        );
    }
    // The audit edit is caught by the manifest first; with the manifest rewritten to match, the
    // chain itself still refuses it.
    let forged = dir.join("forged.zip");
    let mut manifest_fix = String::new();
    rewrite(
        &bundle,
        &forged,
        |n, d| {
            if n == "audit.jsonl" {
                let d = String::from_utf8(d)
                    .unwrap()
                    .replacen("张三", "王五", 1)
                    .into_bytes();
                manifest_fix = format!("{}  audit.jsonl", hex(&d));
                Some(d)
            } else {
                Some(d)
            }
        },
        &[],
    );
    let forged2 = dir.join("forged2.zip");
    rewrite(
        &forged,
        &forged2,
        |n, d| {
            if n == "MANIFEST.sha256" {
                let text = String::from_utf8(d).unwrap();
                let fixed: Vec<String> = text
                    .lines()
                    .map(|l| {
                        if l.ends_with("  audit.jsonl") {
                            manifest_fix.clone()
                        } else {
                            l.to_string()
                        }
                    })
                    .collect();
                Some((fixed.join("\n") + "\n").into_bytes())
            } else {
                Some(d)
            }
        },
        &[],
    );
    let run = Dir::new().run(&["case", "import", forged2.to_str().unwrap()]);
    assert_eq!(run.code(), 2);
    assert!(
        run.stderr().contains("audit log is broken at entry 1"),
        "{}",
        run.stderr()
    );
    assert!(!sha.is_empty());
}

fn hex(data: &[u8]) -> String {
    use sha2::Digest as _;
    sha2::Sha256::digest(data)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A tiny PNG whose header claims `w`×`h` pixels.
fn png_claiming(w: u32, h: u32) -> Vec<u8> {
    let mut png = screenshot(4, 4, 0);
    // IHDR data starts at byte 16: width, height; its CRC covers type + data (bytes 12..29).
    png[16..20].copy_from_slice(&w.to_be_bytes());
    png[20..24].copy_from_slice(&h.to_be_bytes());
    let crc = crc32fast::hash(&png[12..29]);
    png[29..33].copy_from_slice(&crc.to_be_bytes());
    png
}

#[test]
fn a_decompression_bomb_is_refused_and_nothing_is_stored() {
    let dir = Dir::new();
    let id = new_case(&dir);
    let bomb = dir.write("bomb.png", png_claiming(20_000, 20_000));
    let run = dir.run(&["case", "attach", &id, bomb.to_str().unwrap()]);
    assert_eq!(run.code(), 2);
    let err = run.stderr();
    assert!(
        err.contains("bomb.png") && err.contains("20000×20000") && err.contains("refused"),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1);
    let show = dir.run(&["case", "show", &id, "--json"]).json();
    assert_eq!(show["evidence"].as_array().unwrap().len(), 0);
    // A long phone screenshot is fine.
    let long = dir.write("long.png", screenshot(360, 6000, 3));
    dir.run(&["case", "attach", &id, long.to_str().unwrap()]).ok();
}

#[test]
fn damaged_or_foreign_databases_are_named_and_left_untouched() {
    let dir = Dir::new();
    let check = |name: &str, bytes: &[u8], expect: &str| {
        let path = dir.write(name, bytes);
        let run = dir.run(&["--db", path.to_str().unwrap(), "case", "list"]);
        assert_eq!(run.code(), 2, "{name}");
        assert!(
            run.stderr().contains(expect) && run.stderr().contains("untouched"),
            "{name}: {}",
            run.stderr()
        );
        assert_eq!(std::fs::read(&path).unwrap(), bytes, "{name} was modified");
        assert!(!dir.join(&format!("{name}-wal")).exists());
    };
    check(
        "notes.sqlite",
        b"these are not cases",
        "not an App Inspector case database",
    );

    // A real database, cut short.
    let good = Dir::new();
    let id = new_case(&good);
    let shot = good.write("s.png", screenshot(300, 600, 9));
    good.run(&["case", "attach", &id, shot.to_str().unwrap()]).ok();
    let db = rusqlite::Connection::open(good.join("cases.sqlite")).unwrap();
    db.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);").unwrap();
    drop(db);
    let full = std::fs::read(good.join("cases.sqlite")).unwrap();
    check("cut.sqlite", &full[..full.len() / 2], "damaged");

    // A database from a newer version.
    let db = rusqlite::Connection::open(good.join("cases.sqlite")).unwrap();
    db.execute_batch(
        "PRAGMA user_version = 99; PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE;",
    )
    .unwrap();
    drop(db);
    let newer = std::fs::read(good.join("cases.sqlite")).unwrap();
    check("newer.sqlite", &newer, "newer App Inspector");

    // Another application's SQLite files: its own tables, another application id, or ours missing.
    for (name, sql) in [
        (
            "notes-app.sqlite",
            "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('x');",
        ),
        (
            "other-id.sqlite",
            "PRAGMA application_id = 1234; CREATE TABLE cases (id TEXT);",
        ),
        (
            "versioned.sqlite",
            "PRAGMA user_version = 2; CREATE TABLE cases (id TEXT); CREATE TABLE audit (x);",
        ),
    ] {
        let path = dir.join(name);
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(sql).unwrap();
        drop(conn);
        let bytes = std::fs::read(&path).unwrap();
        check(name, &bytes, "belongs to another application");
    }

    // Damaged pages inside a database whose header is sound: found when it is opened.
    let mut damaged = full.clone();
    let page = u16::from_be_bytes([damaged[16], damaged[17]]) as usize;
    for b in &mut damaged[page * 2..page * 2 + page / 2] {
        *b = 0xA5;
    }
    check("pages.sqlite", &damaged, "SQLite's check of its pages found");
}

#[test]
fn a_read_only_folder_is_named_as_such() {
    let dir = Dir::new();
    let id = new_case(&dir);
    let ro = dir.join("ro");
    std::fs::create_dir(&ro).unwrap();
    // A private mount namespace: a read-only file system for a new database, and the folder of an
    // existing one made read-only (as root, permissions alone would not stop the writes).
    let existing = dir.join("cases.sqlite");
    let script = format!(
        "mount -t tmpfs -o ro tmpfs '{ro}' && '{bin}' --db '{ro}/cases.sqlite' case list; \
         echo ---; mount --bind '{d}' '{d}' && mount -o remount,ro,bind '{d}' && '{bin}' --db '{db}' case show {id}",
        ro = ro.display(),
        bin = env!("CARGO_BIN_EXE_app-inspector"),
        d = dir.path().display(),
        db = existing.display(),
    );
    let out = std::process::Command::new("unshare")
        .args(["-rm", "sh", "-c", &script])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    // Both the new database and the existing one are named read-only, with what to do.
    assert_eq!(
        err.matches("is read-only; choose a writable place with --db")
            .count(),
        2,
        "{err}\n{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // And nothing of the existing database changed.
    dir.run(&["case", "log", &id, "--verify"]).ok();
}

#[test]
fn killing_the_process_mid_import_loses_nothing_already_saved() {
    // A case with many screenshots: importing it takes a while (each image is decoded again).
    let src = Dir::new();
    let bundle = src.join("big.zip");
    {
        let mut store = Store::open(&src.join("cases.sqlite")).unwrap();
        let id = store
            .new_case(
                &NewCase {
                    package: bugly(),
                    subject_name: "大案件".into(),
                    roles: vec![SubjectType::AppOperator],
                    credit_code: String::new(),
                    address: String::new(),
                    inspectors: vec!["张三".into()],
                    checklist: "miit-2023-26".into(),
                    filing: String::new(),
                },
                "张三",
            )
            .unwrap();
        for n in 0..60 {
            store
                .attach_bytes(
                    &id,
                    &format!("s{n}.png"),
                    &screenshot(720, 1600, n),
                    Some("9.1"),
                    "",
                    "张三",
                )
                .unwrap();
        }
        store.export(&id, &bundle, "张三").unwrap();
    }
    for delay_ms in [150u64, 600, 1500, 3000] {
        let dir = Dir::new();
        let earlier = new_case(&dir);
        dir.run(&[
            "case",
            "assess",
            &earlier,
            "10.5",
            "--status",
            "partial",
            "--note",
            "拒绝后24小时再次申请",
        ])
        .ok();
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_app-inspector"))
            .args(["case", "import", bundle.to_str().unwrap()])
            .env("APP_INSPECTOR_DB", dir.join("cases.sqlite"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill(); // SIGKILL on Unix
        let _ = child.wait();
        // The database opens, is consistent, and the earlier work is intact.
        let db = rusqlite::Connection::open(dir.join("cases.sqlite")).unwrap();
        let ok: String = db.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
        assert_eq!(ok, "ok", "after a kill at {delay_ms} ms");
        drop(db);
        let show = dir.run(&["case", "show", &earlier, "--json"]).json();
        assert_eq!(show["assessments"][0]["status"], "partial");
        dir.run(&["case", "log", &earlier, "--verify"]).ok();
        // The imported case is either wholly there or not there at all.
        let list = dir.run(&["case", "list", "--json"]).json();
        for c in list.as_array().unwrap() {
            if c["subject_name"] == "大案件" {
                assert_eq!(
                    c["evidence"], 60,
                    "a half-imported case after a kill at {delay_ms} ms"
                );
                dir.run(&["case", "log", c["id"].as_str().unwrap(), "--verify"])
                    .ok();
            }
        }
    }
}

#[test]
fn two_processes_writing_at_once_lose_nothing() {
    let dir = Dir::new();
    let id = new_case(&dir);
    let points: Vec<String> = (1..=7)
        .map(|n| format!("10.{n}"))
        .chain((1..=6).map(|n| format!("4.{n}")))
        .collect();
    let db = dir.join("cases.sqlite");
    let exe = env!("CARGO_BIN_EXE_app-inspector");
    let workers: Vec<_> = points
        .chunks(7)
        .map(|chunk| {
            let chunk: Vec<String> = chunk.to_vec();
            let (id, db) = (id.clone(), db.clone());
            std::thread::spawn(move || {
                for tp in chunk {
                    let out = std::process::Command::new(exe)
                        .args(["case", "assess", &id, &tp, "--status", "compliant"])
                        .env("APP_INSPECTOR_DB", &db)
                        .output()
                        .unwrap();
                    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
                }
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    let show = dir.run(&["case", "show", &id, "--json"]).json();
    assert_eq!(show["assessments"].as_array().unwrap().len(), points.len());
    let log = dir.run(&["case", "log", &id]).ok();
    assert_eq!(
        log.lines().filter(|l| l.contains("assessment.set")).count(),
        points.len()
    );
    dir.run(&["case", "log", &id, "--verify"]).ok();
}

#[test]
fn cancelling_an_export_or_an_import_leaves_nothing_behind() {
    use app_inspector::case::{CaseError, Store};
    let dir = Dir::new();
    let mut store = Store::open(&dir.join("cases.sqlite")).unwrap();
    let id = support::politedroid_case(&mut store, "某公司");
    for n in 0..3 {
        store
            .attach_bytes(
                &id,
                &format!("s{n}.png"),
                &screenshot(60, 120, n),
                Some("9.1"),
                "",
                "张三",
            )
            .unwrap();
    }
    let bundle = dir.join("case.zip");
    // Stop after the first evidence file.
    let seen = std::cell::Cell::new(0);
    let stop_after_one = |done: usize, total: usize| {
        seen.set(seen.get().max(done));
        assert_eq!(total, 3);
        done < 1
    };
    let before = store.audit(&id).unwrap().len();
    let err = store
        .export_with(&id, &bundle, false, "张三", &stop_after_one)
        .unwrap_err();
    assert!(matches!(err, CaseError::Cancelled), "{err}");
    assert_eq!(seen.get(), 1, "it stopped when told, after one file");
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with("cases.sqlite"))
        .collect();
    assert!(left.is_empty(), "no half bundle, no partial file: {left:?}");
    // Nothing was exported, so nothing is recorded.
    assert_eq!(store.audit(&id).unwrap().len(), before);
    dir.run(&["case", "log", &id, "--verify"]).ok();

    // A whole export, then an import cancelled half-way writes nothing.
    store.export(&id, &bundle, "张三").unwrap();
    let other = Dir::new();
    let mut fresh = Store::open(&other.join("cases.sqlite")).unwrap();
    let steps = std::cell::Cell::new(Vec::new());
    let err = fresh
        .import_with(&bundle, "李四", &|done, total| {
            let mut s = steps.take();
            s.push((done, total));
            let go = s.len() < 4;
            steps.set(s);
            go
        })
        .unwrap_err();
    assert!(matches!(err, CaseError::Cancelled), "{err}");
    assert!(fresh.list().unwrap().is_empty(), "nothing imported");
    let seen = steps.take();
    assert!(
        seen.windows(2).all(|w| w[0].0 <= w[1].0),
        "progress only goes forward: {seen:?}"
    );
    // And then the import goes through.
    assert_eq!(fresh.import(&bundle, "李四").unwrap(), id);
}

#[test]
fn a_loaded_case_summarises_itself_as_the_case_list_does() {
    use app_inspector::case::Store;
    use app_inspector::status::Status;
    let dir = Dir::new();
    let mut store = Store::open(&dir.join("cases.sqlite")).unwrap();
    let id = support::politedroid_case(&mut store, "某公司");
    store.assess(&id, "1.1", Status::Compliant, "", "张三").unwrap();
    store.assess(&id, "1.2", Status::NotChecked, "", "张三").unwrap();
    let first = store.load(&id).unwrap().suggestions[0].clone();
    store
        .review(&id, &first.testpoint, Some(&first.rule), false, "不适用", "张三")
        .unwrap();
    store
        .attach_bytes(&id, "s.png", &screenshot(60, 120, 3), Some("9.1"), "", "张三")
        .unwrap();
    let listed = store.list().unwrap().remove(0);
    assert_eq!(store.load(&id).unwrap().summary(), listed);
    assert_eq!((listed.assessed, listed.evidence), (1, 1));
}
