//! The command line as a user meets it: help, the checklist commands, and plain errors.

#![allow(clippy::unwrap_used)] // tests may unwrap: a panic is a failure with its place

mod support;

use support::Dir;

#[test]
fn help_lists_every_command_of_the_contract() {
    let out = Dir::new().run(&["--help"]).ok();
    for command in ["scan", "batch", "checklist", "case", "cert", "notice", "verify"] {
        assert!(
            out.lines().any(|l| l.trim_start().starts_with(command)),
            "--help does not list {command}:\n{out}"
        );
    }
    let case = Dir::new().run(&["case", "--help"]).ok();
    for sub in [
        "new", "list", "show", "assess", "attach", "score", "log", "export", "import",
    ] {
        assert!(
            case.lines().any(|l| l.trim_start().starts_with(sub)),
            "case --help lacks {sub}"
        );
    }
}

#[test]
fn checklist_show_json_has_26_bilingual_clauses_and_90_test_points() {
    let v = Dir::new()
        .run(&["checklist", "show", "miit-2023-26", "--json"])
        .json();
    let clauses = v["clauses"].as_array().unwrap();
    // The 26 measures, then section III's self-examination.
    assert_eq!(clauses.len(), 27);
    assert_eq!(clauses[26]["id"], "III");
    let laws: Vec<&str> = v["laws"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_str().unwrap())
        .collect();
    let mut points = 0;
    for (n, c) in clauses.iter().enumerate() {
        if n < 26 {
            assert_eq!(c["id"], (n + 1).to_string());
        }
        for key in ["title", "text"] {
            for lang in ["zh", "en"] {
                assert!(
                    c[key][lang].as_str().is_some_and(|s| !s.is_empty()),
                    "clause {} {key}.{lang}",
                    n + 1
                );
            }
        }
        assert!(!c["subjects"].as_array().unwrap().is_empty());
        assert!(!c["legal_basis"].as_array().unwrap().is_empty());
        let tps = c["test_points"].as_array().unwrap();
        assert!(!tps.is_empty());
        for t in tps {
            // Each test point: its own basis (law, name, article), force and subjects.
            let basis = t["basis"].as_array().unwrap();
            assert!(!basis.is_empty(), "{}", t["id"]);
            for b in basis {
                assert!(laws.contains(&b["law"].as_str().unwrap()), "{}", t["id"]);
                assert!(
                    b["law_name"]["zh"]
                        .as_str()
                        .is_some_and(|s| s.starts_with('《') || s.starts_with('T'))
                );
                assert!(b.get("article").is_some());
            }
            assert!(["mandatory", "advisory", "conditional"].contains(&t["force"].as_str().unwrap()));
            assert_eq!(
                t["force"] == "conditional",
                t["condition"].is_string(),
                "{}",
                t["id"]
            );
            assert!(!t["subjects"].as_array().unwrap().is_empty());
            for key in ["check", "evidence", "demand"] {
                for lang in ["zh", "en"] {
                    assert!(
                        t[key][lang].as_str().is_some_and(|s| !s.is_empty()),
                        "{} {key}.{lang}",
                        t["id"]
                    );
                }
            }
            assert!(
                ["automatic", "screenshot", "document", "interview", "dynamic"]
                    .contains(&t["method"].as_str().unwrap())
            );
            assert!(["high", "medium", "low"].contains(&t["severity"].as_str().unwrap()));
        }
        points += tps.len();
    }
    assert!(points >= 90, "{points}");
}

#[test]
fn checklist_list_gives_id_and_content_hash() {
    let dir = Dir::new();
    let list = dir.run(&["checklist", "list", "--json"]).json();
    let shown = dir.run(&["checklist", "show", "miit-2023-26", "--json"]).json();
    assert_eq!(list[0]["id"], "miit-2023-26");
    assert_eq!(list[0]["content_hash"], shown["content_hash"]);
    assert_eq!(list[0]["clauses"], 27);
    let human = dir.run(&["checklist", "list"]).ok();
    assert!(human.contains("miit-2023-26") && human.contains(shown["content_hash"].as_str().unwrap()));
}

#[test]
fn version_names_the_checklists_it_carries_and_their_hashes() {
    let dir = Dir::new();
    let hash = dir.run(&["checklist", "show", "miit-2023-26", "--json"]).json()["content_hash"]
        .as_str()
        .unwrap()
        .to_string();
    let version = dir.run(&["--version"]).ok();
    assert!(
        version.starts_with(&format!("app-inspector {}\n", env!("CARGO_PKG_VERSION"))),
        "{version}"
    );
    assert!(
        version.contains(&format!("miit-2023-26  v2026.2  sha256 {hash}")),
        "{version}"
    );
    assert!(version.contains("data folder: none found"), "{version}");
}

#[test]
fn checklists_installed_in_the_data_folder_are_found_and_compared() {
    let dir = Dir::new();
    let shipped = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/checklists/miit-2023-26.toml"
    ))
    .unwrap();
    std::fs::create_dir_all(dir.join("data/checklists")).unwrap();
    dir.write("data/checklists/miit-2023-26.toml", &shipped);
    // A provincial checklist of its own id, and an edited copy of the built-in one.
    dir.write(
        "data/checklists/gd-local.toml",
        shipped.replacen("id = \"miit-2023-26\"", "id = \"gd-local\"", 1),
    );
    let version = dir.run(&["--version"]).ok();
    assert!(
        version.contains("miit-2023-26.toml (same as built in)"),
        "{version}"
    );
    assert!(version.contains("gd-local.toml (used by id)"), "{version}");
    dir.write(
        "data/checklists/miit-2023-26.toml",
        shipped.replacen("2023-02-06", "2023-02-07", 1),
    );
    dir.write("data/checklists/broken.toml", "id = ");
    let version = dir.run(&["--version"]).ok();
    assert!(
        version.contains("differs from the built-in one, which is used"),
        "{version}"
    );
    assert!(version.contains("broken.toml: cannot be used"), "{version}");
    // Usable by id, in the list and for a scan.
    let list = dir.run(&["checklist", "list", "--json"]).json();
    let ids: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["miit-2023-26", "gd-local"]);
    assert!(list[1]["source"].as_str().unwrap().ends_with("gd-local.toml"));
    let show = dir.run(&["checklist", "show", "gd-local", "--json"]).json();
    assert_eq!(show["id"], "gd-local");
}

#[test]
fn human_output_is_chinese_by_default_and_english_on_request() {
    let dir = Dir::new();
    let zh = dir.run(&["checklist", "show", "miit-2023-26"]).ok();
    assert!(
        zh.contains("第1项 确保知情同意安装"),
        "{}",
        app_inspector::i18n::prefix(&zh, 500)
    );
    assert!(zh.contains("10.5") && zh.contains("重启APP"));
    assert!(zh.contains("效力：鼓励性要求（建议）") && zh.contains("依据："));
    assert!(!zh.contains("第1条"), "the Notice has no articles");
    assert!(zh.contains("三、工作要求"));
    let en = dir
        .run(&["checklist", "show", "miit-2023-26", "--lang", "en"])
        .ok();
    assert!(en.contains("Measure 1 Ensuring informed consent for installation"));
    assert!(en.contains("relaunching") && en.contains("Force: advisory"));
    assert!(!en.contains("第1条"));
}

#[test]
fn a_broken_checklist_file_is_refused_with_file_and_line() {
    let dir = Dir::new();
    let src = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/checklists/miit-2023-26.toml"
    ))
    .unwrap();
    let at = src.find("severity = \"high\"").unwrap();
    let line = src.get(..at).unwrap().matches('\n').count() + 1;
    let broken = src.replacen("severity = \"high\"", "severity = \"hihg\"", 1);
    dir.write("draft.toml", broken);
    let run = dir.run(&["checklist", "show", "draft.toml"]);
    assert_eq!(run.code(), 2);
    let err = run.stderr();
    assert!(
        err.contains(&format!("draft.toml:{line}: unknown severity \"hihg\"")),
        "{err}"
    );
    assert!(!err.contains("panicked"));
    assert!(run.stdout().is_empty());
}

#[test]
fn an_unknown_checklist_id_names_the_known_ones() {
    let run = Dir::new().run(&["checklist", "show", "gdpr-2016"]);
    assert_eq!(run.code(), 2);
    assert!(run.stderr().contains("gdpr-2016") && run.stderr().contains("miit-2023-26"));
}

#[test]
fn missing_files_are_named_in_one_sentence_with_exit_2() {
    let dir = Dir::new();
    for (args, name) in [
        (&["verify", "missing.pdf"][..], "missing.pdf"),
        (&["scan", "missing.apk"], "missing.apk"),
        (&["case", "import", "missing.zip"], "missing.zip"),
    ] {
        let run = dir.run(args);
        assert_eq!(run.code(), 2, "{args:?}");
        let err = run.stderr();
        assert!(
            err.contains(name) && err.trim().lines().count() == 1,
            "{args:?}: {err}"
        );
        assert!(!err.contains("panicked"));
    }
}

#[test]
fn usage_errors_exit_2() {
    let run = Dir::new().run(&["checklist", "frobnicate"]);
    assert_eq!(run.code(), 2);
    assert!(!run.stderr().is_empty());
}
