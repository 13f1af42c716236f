//! A case is pinned to the exact checklist it was judged against: it keeps scoring, walking and
//! printing against that text wherever it goes, and moves to another version only by an explicit,
//! audited `case migrate` whose result is shown before it is applied.

#![allow(clippy::unwrap_used)]

mod support;

use support::Dir;

const BUILTIN: &str = include_str!("../checklists/miit-2023-26.toml");

fn politedroid() -> String {
    support::corpus()
        .join("apk/androguard_com.politedroid_4.apk")
        .display()
        .to_string()
}

/// The shipped checklist as a later version: 9.2 reworded, 4.7 gone, 4.8 new.
fn version_2026_2() -> String {
    let text = BUILTIN
        .replacen("version = \"2026.2\"", "version = \"2026.3\"", 1)
        .replacen(
            "进入主界面后，不超过4次点击即可访问隐私政策。",
            "进入主界面后，不超过3次点击即可访问隐私政策。",
            1,
        )
        .replacen("id = \"4.7\"", "id = \"4.8\"", 1);
    assert_ne!(text, BUILTIN);
    text
}

#[test]
fn a_case_keeps_its_checklist_when_the_file_it_was_opened_with_is_gone() {
    let dir = Dir::new();
    let custom = dir.write(
        "draft.toml",
        BUILTIN
            .replacen("id = \"miit-2023-26\"", "id = \"draft-list\"", 1)
            .replacen("version = \"2026.2\"", "version = \"0.9\"", 1),
    );
    let id = dir
        .run(&[
            "case",
            "new",
            "--package",
            &politedroid(),
            "--checklist",
            custom.to_str().unwrap(),
        ])
        .ok()
        .trim()
        .to_string();
    dir.run(&["case", "assess", &id, "9.2", "--status", "non-compliant"])
        .ok();
    std::fs::remove_file(&custom).unwrap();
    let score = dir.run(&["case", "score", &id, "--json"]).json();
    assert_eq!(score["checklist_id"], "draft-list");
    assert_eq!(score["total"]["non_compliant"], 1);
    // The inspection record names the checklist it was judged against.
    dir.run(&[
        "notice",
        &id,
        "--kind",
        "record",
        "--out",
        dir.join("n.pdf").to_str().unwrap(),
    ])
    .ok();
    // The checklist travels in the bundle: a database that never saw it reads the case.
    let bundle = dir.join("case.zip");
    dir.run(&["case", "export", &id, "--out", bundle.to_str().unwrap()])
        .ok();
    let other = Dir::new();
    other.run(&["case", "import", bundle.to_str().unwrap()]).ok();
    let again = other.run(&["case", "score", &id, "--json"]).json();
    assert_eq!(again, score);
    other.run(&["case", "log", &id, "--verify"]).ok();
}

#[test]
fn moving_to_a_newer_version_is_shown_first_then_applied_and_audited() {
    let dir = Dir::new();
    std::fs::create_dir_all(dir.join("data/checklists")).unwrap();
    dir.write("data/checklists/miit-2023-26-2026.3.toml", version_2026_2());
    let id = dir
        .run(&["case", "new", "--package", &politedroid()])
        .ok()
        .trim()
        .to_string();
    dir.run(&[
        "case",
        "assess",
        &id,
        "9.2",
        "--status",
        "non-compliant",
        "--note",
        "需5次点击",
    ])
    .ok();
    dir.run(&["case", "assess", &id, "4.7", "--status", "partial"])
        .ok();
    dir.run(&["case", "assess", &id, "1.1", "--status", "compliant"])
        .ok();
    let before = dir.run(&["case", "show", &id, "--json"]).json();
    let trail_before = dir.run(&["case", "log", &id]).ok();

    // The plan, in both languages; nothing changes without --yes.
    let plan = dir.run(&["case", "migrate", &id, "--to", "2026.3"]).ok();
    assert!(
        plan.contains("2026.2 → 2026.3") && plan.contains("尚未做任何更改"),
        "{plan}"
    );
    let plan = dir
        .run(&["--lang", "en", "case", "migrate", &id, "--to", "2026.3", "--json"])
        .json();
    assert_eq!(plan["new"], serde_json::json!(["4.8"]));
    assert_eq!(plan["changed"], serde_json::json!(["9.2"]));
    assert_eq!(plan["removed"], serde_json::json!(["4.7"]));
    assert_eq!(plan["removed_assessments"][0]["testpoint"], "4.7");
    assert_eq!(dir.run(&["case", "show", &id, "--json"]).json(), before);
    assert_eq!(dir.run(&["case", "log", &id]).ok(), trail_before);

    dir.run(&["case", "migrate", &id, "--to", "2026.3", "--yes"]).ok();
    let after = dir.run(&["case", "show", &id, "--json"]).json();
    assert_ne!(after["case"]["checklist_hash"], before["case"]["checklist_hash"]);
    let assessment = |v: &serde_json::Value, tp: &str| {
        v["assessments"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["testpoint"] == tp)
            .cloned()
    };
    // Carried by id; the changed and the new one marked for re-check; the removed one gone.
    assert_eq!(assessment(&after, "9.2").unwrap()["note"], "需5次点击");
    assert_eq!(assessment(&after, "1.1").unwrap()["status"], "compliant");
    assert!(assessment(&after, "4.7").is_none());
    let rechecks: Vec<&str> = after["rechecks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["testpoint"].as_str().unwrap())
        .collect();
    assert_eq!(rechecks, ["4.8", "9.2"]);
    let log = dir.run(&["case", "log", &id]).ok();
    assert!(log.lines().last().unwrap().contains("case.migrated"), "{log}");
    dir.run(&["case", "log", &id, "--verify"]).ok();
    let human = dir.run(&["case", "show", &id]).ok();
    assert!(
        human.contains("需复查的检查项 (2)") && human.contains("4.8") && human.contains("新增的检查项"),
        "{human}"
    );
    // Scored against 2026.3 now.
    let score = dir.run(&["case", "score", &id, "--json"]).json();
    assert!(score.to_string().contains("\"4.8\"") && !score.to_string().contains("\"4.7\""));

    // Judging the re-check point clears its mark, and the trail still proves the state.
    dir.run(&[
        "case",
        "assess",
        &id,
        "9.2",
        "--status",
        "non-compliant",
        "--note",
        "需5次点击",
    ])
    .ok();
    let after = dir.run(&["case", "show", &id, "--json"]).json();
    assert_eq!(after["rechecks"].as_array().unwrap().len(), 1);
    dir.run(&["case", "log", &id, "--verify"]).ok();

    // Moving again to the same version, or to one that does not exist, is refused plainly.
    let run = dir.run(&["case", "migrate", &id, "--to", "2026.3"]);
    assert_eq!(run.code(), 2);
    assert!(
        run.stderr()
            .contains("already judged against checklist version 2026.3"),
        "{}",
        run.stderr()
    );
    let run = dir.run(&["case", "migrate", &id, "--to", "2030.1"]);
    assert_eq!(run.code(), 2);
    assert!(run.stderr().contains("no version \"2030.1\""), "{}", run.stderr());

    // The bundle carries 2026.3, so a database without it (no data folder) takes the case.
    let bundle = dir.join("case.zip");
    dir.run(&["case", "export", &id, "--out", bundle.to_str().unwrap()])
        .ok();
    let other = Dir::new();
    other.run(&["case", "import", bundle.to_str().unwrap()]).ok();
    other.run(&["case", "log", &id, "--verify"]).ok();
    assert_eq!(
        other.run(&["case", "score", &id, "--json"]).json(),
        score_after(&dir, &id)
    );
}

fn score_after(dir: &Dir, id: &str) -> serde_json::Value {
    dir.run(&["case", "score", id, "--json"]).json()
}

/// Every checklist version this tool ever shipped stays readable: when the shipped file changes,
/// its previous text must move to the history (src/checklist/mod.rs, HISTORY), or the cases
/// pinned to it could not be read by a database that predates pinning.
#[test]
fn every_shipped_checklist_version_can_still_be_found() {
    const SHIPPED: &[(&str, &str)] = &[
        (
            "miit-2023-26 2026.1",
            "eb93a94100dcd6a61f1252311b2e3aec056585a055a3fa90b45c10e0cde42ed2",
        ),
        (
            "miit-2023-26 2026.2",
            "b9f535eca5fe3e246d2070ecfcac4b0447e784643019f4027bf19ea01a06fb8b",
        ),
    ];
    for (name, hash) in SHIPPED {
        assert!(
            app_inspector::checklist::by_hash(hash).is_some(),
            "{name} ({hash}) is no longer known"
        );
    }
}
