//! A case proves its own state: `case log --verify` replays the audit trail and compares it with
//! the database; `case import` compares it with the bundle's `case.json`; evidence is hashed again
//! whenever it leaves the store; a database from before schema 3 is upgraded with a snapshot.

#![allow(clippy::unwrap_used)]

mod support;

use app_inspector::case::audit::AuditEntry;
use app_inspector::case::{CaseError, Store};
use app_inspector::status::Status;
use support::Dir;

/// A small screenshot with distinct bytes.
fn png(seed: u8) -> Vec<u8> {
    let img = image::RgbImage::from_fn(40, 80, |x, y| image::Rgb([x as u8 ^ seed, y as u8, seed]));
    let mut out = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

/// A case with judgements, a review, evidence with an annotation: (dir, id).
fn judged_case() -> (Dir, String) {
    let dir = Dir::new();
    let mut store = Store::open(&dir.join("cases.sqlite")).unwrap();
    let id = support::politedroid_case(&mut store, "某某科技有限公司");
    store
        .assess(
            &id,
            "9.2",
            Status::NonCompliant,
            "需5次点击才能找到隐私政策",
            "张三",
        )
        .unwrap();
    store.assess(&id, "4.1", Status::Compliant, "", "张三").unwrap();
    store
        .attach_bytes(&id, "privacy.png", &png(1), Some("9.2"), "隐私政策入口", "张三")
        .unwrap();
    let view = store.load(&id).unwrap();
    store
        .annotate(
            &id,
            view.evidence[0].link_id,
            "隐私政策入口（标注）",
            &serde_json::json!([{"kind": "rect", "x": 0.1, "y": 0.1, "w": 0.2, "h": 0.2}]),
            "张三",
        )
        .unwrap();
    let s = view.suggestions[0].clone();
    store
        .review(&id, &s.testpoint, Some(&s.rule), false, "动态检测未复现", "李四")
        .unwrap();
    (dir, id)
}

fn sql(dir: &Dir, statements: &str) {
    let conn = rusqlite::Connection::open(dir.join("cases.sqlite")).unwrap();
    conn.execute_batch(statements).unwrap();
}

#[test]
fn the_trail_proves_the_state_and_a_row_edited_in_the_file_is_named() {
    let (dir, id) = judged_case();
    let ok = dir.run(&["--lang", "en", "case", "log", &id, "--verify"]).ok();
    assert!(
        ok.contains("replaying it from entry 1 gives exactly what the database holds"),
        "{ok}"
    );

    // The status flipped behind the tool's back.
    sql(
        &dir,
        "UPDATE assessments SET status = 'compliant' WHERE testpoint = '9.2'",
    );
    let run = dir.run(&["case", "log", &id, "--verify"]);
    assert_eq!(run.code(), 1, "{}", run.stderr());
    assert!(
        run.stderr().contains("assessments › 9.2 › status")
            && run.stderr().contains("\"compliant\"")
            && run.stderr().contains("\"non-compliant\""),
        "{}",
        run.stderr()
    );
    sql(
        &dir,
        "UPDATE assessments SET status = 'non-compliant' WHERE testpoint = '9.2'",
    );
    dir.run(&["case", "log", &id, "--verify"]).ok();

    // A note softened, a caption changed, a review undone, a subject renamed: each is named.
    for (edit, undo, named) in [
        (
            "UPDATE assessments SET note = '' WHERE testpoint = '9.2'",
            "UPDATE assessments SET note = '需5次点击才能找到隐私政策' WHERE testpoint = '9.2'",
            "assessments › 9.2 › note",
        ),
        (
            "UPDATE evidence_links SET caption = 'x'",
            "UPDATE evidence_links SET caption = '隐私政策入口（标注）'",
            "caption",
        ),
        (
            "UPDATE suggestions SET review = 'pending' WHERE review = 'rejected'",
            "UPDATE suggestions SET review = 'rejected' WHERE reason = '动态检测未复现'",
            "review",
        ),
        (
            "UPDATE cases SET subject_name = '另一家公司'",
            "UPDATE cases SET subject_name = '某某科技有限公司'",
            "case › subject › name",
        ),
    ] {
        sql(&dir, edit);
        let run = dir.run(&["case", "log", &id, "--verify"]);
        assert_eq!(run.code(), 1, "{edit}");
        assert!(run.stderr().contains(named), "{edit}: {}", run.stderr());
        sql(&dir, undo);
    }
    dir.run(&["case", "log", &id, "--verify"]).ok();
}

#[test]
fn a_cut_tail_is_caught_when_a_notice_or_an_export_recorded_a_later_entry() {
    let (dir, id) = judged_case();
    let pdf = dir.join("notice.pdf");
    dir.run(&["notice", &id, "--kind", "record", "--out", pdf.to_str().unwrap()])
        .ok();
    let bundle = dir.join("case.zip");
    dir.run(&["case", "export", &id, "--out", bundle.to_str().unwrap()])
        .ok();
    dir.run(&["case", "log", &id, "--verify"]).ok();
    let entries = Store::open(&dir.join("cases.sqlite"))
        .unwrap()
        .audit(&id)
        .unwrap();
    assert_eq!(entries.last().unwrap().action, "case.exported");
    let notice_seq = entries.iter().find(|e| e.action == "notice.issued").unwrap().seq;

    // The export's entry removed (the triggers dropped first): the rest of the chain is intact
    // and the state unchanged, but the export recorded a later head.
    let last = entries.len();
    sql(
        &dir,
        &format!("DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE case_id = '{id}' AND seq = {last};"),
    );
    let run = dir.run(&["case", "log", &id, "--verify"]);
    assert_eq!(run.code(), 1);
    assert!(
        run.stderr().contains(&format!("ends at entry {}", last - 1))
            && run.stderr().contains("case.zip")
            && run.stderr().contains("removed from the end"),
        "{}",
        run.stderr()
    );

    // Cut back to before the notice, with the notice row left: named as well.
    sql(
        &dir,
        &format!("DELETE FROM exports; DELETE FROM audit WHERE case_id = '{id}' AND seq >= {notice_seq};"),
    );
    let run = dir.run(&["case", "log", &id, "--verify"]);
    assert_eq!(run.code(), 1);
    assert!(run.stderr().contains("notice"), "{}", run.stderr());
}

#[test]
fn a_bundle_whose_case_json_disagrees_with_its_trail_is_refused() {
    let (dir, id) = judged_case();
    let bundle = dir.join("case.zip");
    dir.run(&["case", "export", &id, "--out", bundle.to_str().unwrap()])
        .ok();

    // A status flipped in case.json, the manifest recomputed: every hash agrees, the trail does not.
    let flipped = dir.join("flipped.zip");
    support::forge_bundle(&bundle, &flipped, |case, _, _| {
        for a in case["assessments"].as_array_mut().unwrap() {
            if a["testpoint"] == "9.2" {
                a["status"] = "compliant".into();
            }
        }
    });
    let other = Dir::new();
    let run = other.run(&["case", "import", flipped.to_str().unwrap()]);
    assert_eq!(run.code(), 2);
    assert!(
        run.stderr()
            .contains("case.json disagrees with its audit log at assessments › 9.2 › status"),
        "{}",
        run.stderr()
    );
    assert!(
        other
            .run(&["case", "list", "--json"])
            .json()
            .as_array()
            .unwrap()
            .is_empty()
    );

    // The same edit made in both, the chain recomputed: the trail and case.json agree, and the
    // case imports — the edit is then in the trail, signed by whoever made it.
    let both = dir.join("both.zip");
    support::forge_bundle(&bundle, &both, |case, entries, _| {
        for a in case["assessments"].as_array_mut().unwrap() {
            if a["testpoint"] == "9.2" {
                a["note"] = "改过".into();
            }
        }
        for e in entries.iter_mut() {
            if e.action == "assessment.set" && e.payload["testpoint"] == "9.2" {
                e.payload["note"] = "改过".into();
            }
        }
    });
    other.run(&["case", "import", both.to_str().unwrap()]).ok();
    other.run(&["case", "log", &id, "--verify"]).ok();
}

/// An edit of a bundle's case.json, trail and files (see `support::forge_bundle`).
type Forgery<'a> = dyn Fn(&mut serde_json::Value, &mut Vec<AuditEntry>, &mut Vec<(String, Vec<u8>)>) + 'a;

#[test]
fn a_bundle_with_unknown_ids_overlong_fields_or_a_foreign_checklist_is_refused() {
    let (dir, id) = judged_case();
    let bundle = dir.join("case.zip");
    dir.run(&["case", "export", &id, "--out", bundle.to_str().unwrap()])
        .ok();
    let forged = |label: &str, edit: &Forgery<'_>| {
        let out = dir.join(&format!("{label}.zip"));
        support::forge_bundle(&bundle, &out, |c, e, f| edit(c, e, f));
        let other = Dir::new();
        let run = other.run(&["case", "import", out.to_str().unwrap()]);
        assert_eq!(run.code(), 2, "{label}: {}", run.stderr());
        assert!(
            other
                .run(&["case", "list", "--json"])
                .json()
                .as_array()
                .unwrap()
                .is_empty(),
            "{label}: nothing written"
        );
        run.stderr()
    };
    // Both sides agree on a test point the checklist does not have.
    let set_tp = |case: &mut serde_json::Value, entries: &mut Vec<AuditEntry>, tp: &str, note: &str| {
        for a in case["assessments"].as_array_mut().unwrap() {
            if a["testpoint"] == "9.2" {
                a["testpoint"] = tp.into();
                a["note"] = note.into();
            }
        }
        for e in entries.iter_mut() {
            if e.action == "assessment.set" && e.payload["testpoint"] == "9.2" {
                e.payload["testpoint"] = tp.into();
                e.payload["note"] = note.into();
            }
        }
    };
    let err = forged("unknown-testpoint", &|c, e, _| set_tp(c, e, "99.9", "x"));
    assert!(err.contains("\"99.9\" is not in checklist miit-2023-26"), "{err}");
    let long = "长".repeat(30_000);
    let err = forged("overlong-note", &|c, e, _| set_tp(c, e, "9.2", &long));
    assert!(err.contains("30000 characters long"), "{err}");
    let err = forged("bad-id", &|c, e, _| {
        c["case"]["id"] = "../../etc".into();
        for x in e.iter_mut() {
            x.case_id = "../../etc".into();
        }
    });
    assert!(err.contains("is not one App Inspector makes"), "{err}");
    // Its checklist is not the version the case names.
    let err = forged("checklist", &|_, _, files| {
        for (name, data) in files.iter_mut() {
            if name == "checklist.toml" {
                data.extend_from_slice(b"\n# edited\n");
            }
        }
    });
    assert!(
        err.contains("not the checklist version the case was judged against"),
        "{err}"
    );
    // A bundle from before the trail could prove the state.
    let err = forged("old-format", &|c, _, _| c["format_version"] = 1.into());
    assert!(err.contains("older than 0.2"), "{err}");
    // An unknown part.
    let err = forged("extra", &|_, _, files| {
        files.push(("notes/readme.txt".into(), b"hi".to_vec()))
    });
    assert!(err.contains("not part of a case bundle"), "{err}");
}

#[test]
fn evidence_altered_inside_the_database_stops_export_notice_and_viewer() {
    let (dir, id) = judged_case();
    let sha = Store::open(&dir.join("cases.sqlite"))
        .unwrap()
        .load(&id)
        .unwrap()
        .evidence[0]
        .sha256
        .clone();
    // Another image under the original's hash.
    let conn = rusqlite::Connection::open(dir.join("cases.sqlite")).unwrap();
    conn.execute(
        "UPDATE evidence_data SET bytes = ?1 WHERE sha256 = ?2",
        rusqlite::params![png(9), sha],
    )
    .unwrap();
    drop(conn);
    let store = Store::open(&dir.join("cases.sqlite")).unwrap();
    assert!(matches!(
        store.evidence_bytes(&sha),
        Err(CaseError::EvidenceAltered { .. })
    ));
    for args in [
        vec!["case", "export", &id, "--out", "case.zip"],
        vec!["notice", &id, "--kind", "record", "--out", "notice.pdf"],
    ] {
        let run = dir.run(&args);
        assert_eq!(run.code(), 2, "{args:?}");
        assert!(
            run.stderr().contains(&sha) && run.stderr().contains("no longer matches its SHA-256"),
            "{args:?}: {}",
            run.stderr()
        );
    }
    assert!(!dir.join("case.zip").exists() && !dir.join("notice.pdf").exists());
    let run = dir.run(&["case", "log", &id, "--verify"]);
    assert_eq!(run.code(), 1);
    assert!(run.stderr().contains(&sha), "{}", run.stderr());
}

#[test]
fn a_database_from_before_schema_3_is_pinned_and_proven_from_a_snapshot() {
    let dir = Dir::new();
    std::fs::copy(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schema2-cases.sqlite"),
        dir.join("cases.sqlite"),
    )
    .unwrap();
    let list = dir.run(&["case", "list", "--json"]).json();
    let id = list[0]["id"].as_str().unwrap().to_string();
    let score = dir.run(&["case", "score", &id, "--json"]).json();
    assert_eq!(score["total"]["checked"], 5, "{}", score["total"]);
    let out = dir.run(&["case", "log", &id, "--verify"]).ok();
    assert!(out.contains("自第 15 条起"), "{out}");
    let entries = Store::open(&dir.join("cases.sqlite"))
        .unwrap()
        .audit(&id)
        .unwrap();
    let n = entries.len();
    assert_eq!(entries[n - 2].action, "case.snapshot");
    assert_eq!(entries[n - 2].actor, "app-inspector");
    // Schema 9: the rectification notice it had leaves it awaiting rectification, said by the tool.
    assert_eq!(entries[n - 1].action, "case.state");
    assert_eq!(entries[n - 1].actor, "app-inspector");
    assert_eq!(entries[n - 1].payload["to"], "notice_issued");
    assert_eq!(entries[n - 1].payload["by"], "upgrade");
    // Pinned to the checklist text it was opened with.
    let store = Store::open(&dir.join("cases.sqlite")).unwrap();
    let pinned = store.checklist(&id).unwrap();
    assert_eq!(pinned.version, "2026.1");
    assert_eq!(pinned.content_hash, store.case(&id).unwrap().checklist_hash);
    drop(store);
    // Work goes on, and stays proven.
    dir.run(&["case", "assess", &id, "10.2", "--status", "compliant"])
        .ok();
    dir.run(&["case", "log", &id, "--verify"]).ok();
    // The old notice keeps the trail entry that recorded it: cutting the trail before it is caught.
    sql(
        &dir,
        &format!("DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE case_id = '{id}' AND seq >= 12;"),
    );
    assert_eq!(dir.run(&["case", "log", &id, "--verify"]).code(), 1);
}
