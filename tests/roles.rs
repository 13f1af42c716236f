//! Issue 12: a case judged for the roles its enterprise holds, with conditions answered once per
//! case and the test conditions recorded — all audited, proven by the trail and carried in bundles.

#![allow(clippy::unwrap_used)] // tests may unwrap: a panic is a failure with its place

mod support;

use support::Dir;

/// A real package with push SDKs, a hot-update framework and boot receivers: the facts that used
/// to give a terminal maker's case verdicts on 22.1 and 22.3, and a store's case one on 17.2.
fn package() -> String {
    support::corpus()
        .join("apk/bugly_hotfix_demo-release.apk")
        .display()
        .to_string()
}

fn new_case(dir: &Dir, roles: &[&str], checklist: Option<&str>) -> String {
    let package = package();
    let mut args = vec!["case", "new", "--package", package.as_str()];
    for r in roles {
        args.extend(["--subject-type", r]);
    }
    if let Some(c) = checklist {
        args.extend(["--checklist", c]);
    }
    dir.run(&args).ok().trim().to_string()
}

fn suggestion_points(dir: &Dir, id: &str) -> Vec<String> {
    let v = dir.run(&["case", "show", id, "--json"]).json();
    v["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["testpoint"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn terminal_and_store_cases_get_no_verdict_read_off_an_app_package() {
    let dir = Dir::new();
    // The App operator's case does get suggestions from this package.
    let app = new_case(&dir, &["app-operator"], None);
    assert!(suggestion_points(&dir, &app).len() > 5);
    // Neither a terminal maker's nor a store's: the rules read an App package, and those test
    // points bind other subjects. Under 2026.1 too, whose 22.1, 22.3 and 17.2 name App rules.
    let history = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/checklists/history/miit-2023-26-2026.1.toml"
    );
    for checklist in [None, Some(history)] {
        for role in ["terminal-maker", "distribution-platform", "access-provider"] {
            let id = new_case(&dir, &[role], checklist);
            assert_eq!(
                suggestion_points(&dir, &id),
                Vec::<String>::new(),
                "{role} case on {checklist:?}"
            );
        }
    }
    // A phone maker that also ships SDKs gets suggestions only where the SDK provider is bound.
    let both = new_case(&dir, &["terminal-maker", "sdk-provider"], None);
    let c = app_inspector::checklist::builtin("miit-2023-26").unwrap();
    let points = suggestion_points(&dir, &both);
    assert!(!points.is_empty());
    for tp in &points {
        let (_, t) = c.test_point(tp).unwrap();
        assert!(
            t.subjects
                .contains(&app_inspector::checklist::SubjectType::SdkProvider),
            "{tp} does not bind the SDK provider"
        );
    }
    let show = dir.run(&["case", "show", &both, "--json"]).json();
    assert_eq!(
        show["case"]["subject"]["roles"],
        serde_json::json!(["terminal-maker", "sdk-provider"])
    );
    // Its score takes in the terminal measures and the SDK ones, not the App operator's.
    let score = dir.run(&["case", "score", &both, "--json"]).json();
    let in_scope: Vec<&str> = score["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["in_scope"] == true)
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert!(in_scope.contains(&"22") && in_scope.contains(&"19") && !in_scope.contains(&"3"));
}

#[test]
fn conditions_and_test_conditions_are_audited_proven_and_carried() {
    let dir = Dir::new();
    let id = new_case(&dir, &["app-operator"], None);
    dir.run(&["case", "assess", &id, "7.1", "--status", "non-compliant"])
        .ok();
    let before = dir.run(&["case", "score", &id, "--json"]).json();
    assert_eq!(before["verdict"], "rectification-required");
    // The App sells nothing: measures 5 and 7 are not required, and the judgement stays.
    dir.run(&["case", "applicability", &id, "--set", "paid-services=no"])
        .ok();
    let after = dir.run(&["case", "score", &id, "--json"]).json();
    assert_ne!(after["verdict"], "rectification-required");
    assert!(after["total"]["not_required"].as_u64().unwrap() >= 10);
    let show = dir.run(&["case", "show", &id, "--json"]).json();
    assert_eq!(show["applicability"][0]["condition"], "paid-services");
    assert_eq!(show["applicability"][0]["applies"], false);
    let tp = show["assessments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["testpoint"] == "7.1")
        .unwrap();
    assert_eq!(tp["status"], "non-compliant");
    // A condition the checklist does not have is refused with a sentence.
    let bad = dir.run(&["case", "applicability", &id, "--set", "rich=yes"]);
    assert_eq!(bad.code(), 2);
    assert!(bad.stderr().contains("paid-services"), "{}", bad.stderr());

    dir.run(&[
        "case",
        "conditions",
        &id,
        "--device",
        "Xiaomi 14 (23127PN0CC)",
        "--os",
        "Android 14, HyperOS 1.0.5",
        "--channel",
        "小米应用商店",
        "--clean-install",
        "yes",
    ])
    .ok();
    dir.run(&["case", "conditions", &id, "--network", "Wi-Fi"]).ok();
    let shown = dir.run(&["case", "conditions", &id]).ok();
    assert!(
        shown.contains("测试设备：Xiaomi 14") && shown.contains("网络环境：Wi-Fi"),
        "{shown}"
    );
    let log = dir.run(&["case", "log", &id]).ok();
    assert!(
        log.contains("case.applicability") && log.contains("case.test-conditions"),
        "{log}"
    );
    dir.run(&["case", "log", &id, "--verify"]).ok();

    // Both travel in the bundle and are proven again on import.
    let bundle = dir.join("case.zip");
    dir.run(&["case", "export", &id, "--out", bundle.to_str().unwrap()])
        .ok();
    let other = Dir::new();
    other.run(&["case", "import", bundle.to_str().unwrap()]).ok();
    let again = other.run(&["case", "show", &id, "--json"]).json();
    assert_eq!(again["test_conditions"]["device"], "Xiaomi 14 (23127PN0CC)");
    assert_eq!(again["test_conditions"]["clean_install"], true);
    assert_eq!(again["applicability"][0]["applies"], false);
    assert_eq!(
        other.run(&["case", "score", &id, "--json"]).json()["verdict"],
        after["verdict"]
    );
    other.run(&["case", "log", &id, "--verify"]).ok();
}
