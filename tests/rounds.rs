//! Re-inspection (issue 16): versions of one App written by the project's APK writer — the
//! rectified one drops READ_PHONE_STATE and the boot receiver and raises targetSdk; one is signed
//! with a new key (the writer's v2 signer) — a new round on each, the findings carried to
//! re-check, the package diff, a foreign package refused, the deadline in the case list, the
//! re-inspection opinion, and the trail and a bundle proving every round.

#![allow(clippy::unwrap_used)]

mod support;

use support::Dir;
use support::apk::{self, ApkSpec, ComponentSpec};

const PACKAGE: &str = "com.example.shop";

fn version(code: u32, rectified: bool, package: &str) -> ApkSpec {
    let mut permissions = vec![
        "android.permission.INTERNET".to_string(),
        "android.permission.ACCESS_FINE_LOCATION".into(),
    ];
    let mut components = vec![ComponentSpec {
        kind: "activity",
        name: format!("{package}.MainActivity"),
        exported: Some(true),
        actions: vec!["android.intent.action.MAIN".into()],
        categories: vec!["android.intent.category.LAUNCHER".into()],
    }];
    if !rectified {
        permissions.push("android.permission.READ_PHONE_STATE".into());
        permissions.push("android.permission.RECEIVE_BOOT_COMPLETED".into());
        components.push(ComponentSpec {
            kind: "receiver",
            name: format!("{package}.BootReceiver"),
            exported: Some(true),
            actions: vec!["android.intent.action.BOOT_COMPLETED".into()],
            categories: Vec::new(),
        });
    }
    ApkSpec {
        package: package.into(),
        label: "示例商城".into(),
        version_code: code,
        version_name: format!("1.{code}.0"),
        min_sdk: 21,
        target_sdk: if rectified { 34 } else { 22 },
        permissions,
        components,
        classes: vec![
            format!("L{}/MainActivity;", package.replace('.', "/")),
            "Lcom/umeng/analytics/MobclickAgent;".into(),
        ],
        ..ApkSpec::default()
    }
}

fn write(dir: &Dir, name: &str, spec: &ApkSpec) -> String {
    dir.write(name, apk::build(spec)).to_str().unwrap().to_string()
}

/// An authority able to issue (profile, contact) and a case on version 1 with two officers.
fn case_for_notices(dir: &Dir) -> String {
    dir.run(&[
        "authority",
        "set",
        "广东省通信管理局",
        "--prefix",
        "粤通管责改",
        "--court",
        "广州铁路运输法院",
        "--timezone",
        "Asia/Shanghai",
        "--contact",
        "网络安全管理处 王五 020-12345678",
    ])
    .ok();
    let v1 = write(dir, "shop-1.apk", &version(1, false, PACKAGE));
    open_case(
        dir,
        &v1,
        &["--inspector", "张三=粤A0001", "--inspector", "李四=粤A0002"],
    )
}

/// A case for 某某科技有限公司 on `apk`, with `extra` arguments to `case new`; its id.
fn open_case(dir: &Dir, apk: &str, extra: &[&str]) -> String {
    let mut args = vec![
        "case",
        "new",
        "--package",
        apk,
        "--subject-name",
        "某某科技有限公司",
    ];
    args.extend_from_slice(extra);
    dir.run(&args).ok().trim().to_string()
}

/// Judges a test point from the command line (with a note when one is given).
fn assess(dir: &Dir, id: &str, testpoint: &str, status: &str, note: &str) {
    let mut args = vec!["case", "assess", id, testpoint, "--status", status];
    if !note.is_empty() {
        args.extend(["--note", note]);
    }
    dir.run(&args).ok();
}

/// Issues a document of `kind` as 广东省通信管理局 (`case_for_notices` sets its profile up).
fn issue(dir: &Dir, id: &str, kind: &str, out: &str) -> support::Run {
    dir.run(&[
        "notice",
        id,
        "--kind",
        kind,
        "--authority",
        "广东省通信管理局",
        "--out",
        out,
    ])
}

fn audit_len(dir: &Dir, id: &str) -> usize {
    dir.run(&["case", "log", id]).ok().lines().count()
}

#[test]
fn a_reinspection_carries_the_findings_and_the_diff_shows_the_rectification() {
    let dir = Dir::new();
    let v1 = write(&dir, "shop-1.apk", &version(1, false, PACKAGE));
    let v2 = write(&dir, "shop-2.apk", &version(2, true, PACKAGE));
    let id = open_case(&dir, &v1, &[]);
    assess(&dir, &id, "6.1", "non-compliant", "开机自启动接收器 BootReceiver");
    assess(&dir, &id, "3.1", "compliant", "");

    // A package of another App is refused and changes nothing; the same package too.
    let other = write(&dir, "other.apk", &version(3, true, "com.example.other"));
    let before = audit_len(&dir, &id);
    let refused = dir.run(&["case", "reinspect", &id, "--package", &other]);
    assert_ne!(refused.code(), 0);
    assert!(
        refused.stderr().contains("com.example.other") && refused.stderr().contains("--force"),
        "{}",
        refused.stderr()
    );
    let same = dir.run(&["case", "reinspect", &id, "--package", &v1]);
    assert_ne!(same.code(), 0);
    assert!(same.stderr().contains("round 1"), "{}", same.stderr());
    assert_eq!(audit_len(&dir, &id), before);

    let started = dir
        .run(&["case", "reinspect", &id, "--package", &v2, "--json"])
        .json();
    assert_eq!(started["round"], 2);
    assert_eq!(started["version"], "1.2.0");
    assert_eq!(started["recheck"], serde_json::json!(["6.1"]));
    assert_eq!(started["signer_changed"], false);

    let show = dir.run(&["case", "show", &id, "--json"]).json();
    let rounds = show["rounds"].as_array().unwrap();
    assert_eq!(rounds.len(), 2);
    assert_eq!(rounds[0]["number"], 1);
    assert_eq!(rounds[0]["state"], "closed");
    assert_eq!(rounds[0]["version"], "1.1.0");
    assert_eq!(rounds[1]["state"], "current");
    assert_eq!(rounds[1]["package_sha256"], started["package_sha256"]);
    // The earlier round's judgements are kept as they were; the finding waits to be re-checked,
    // its judgement and note still there.
    let frozen = &rounds[0]["frozen"]["assessments"];
    assert!(
        frozen
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["testpoint"] == "6.1" && a["status"] == "non-compliant")
    );
    let current = show["assessments"].as_array().unwrap();
    let carried = current.iter().find(|a| a["testpoint"] == "6.1").unwrap();
    assert_eq!(carried["note"], "开机自启动接收器 BootReceiver");
    let recheck = show["rechecks"].as_array().unwrap();
    assert!(
        recheck
            .iter()
            .any(|r| r["testpoint"] == "6.1"
                && r["why"]["zh"].as_str().unwrap().contains("第 1 轮结论：不符合"))
    );
    // The new package's suggestions say what the earlier version showed beside what this one shows.
    let suggestions = show["suggestions"].as_array().unwrap();
    let raised = suggestions.iter().find(|s| {
        s["rule"] == "legacy-target-sdk"
            || (s["testpoint"] == "10.1" && s["evidence"]["zh"].as_str().unwrap().contains("第 1 轮"))
    });
    assert!(raised.is_some(), "{suggestions:#?}");
    let boot = suggestions
        .iter()
        .find(|s| s["testpoint"] == "6.1" && s["rule"] == "autostart-receiver")
        .expect("the boot receiver's rule answers again");
    let facts = boot["evidence"]["zh"].as_str().unwrap();
    assert!(
        facts.contains("第 1 轮（版本 1.1.0）") && facts.contains("本轮（版本 1.2.0）"),
        "{facts}"
    );

    // The diff.
    let diff = dir.run(&["case", "diff", &id, "--json"]).json();
    assert_eq!(diff["rounds"], serde_json::json!({"from": 1, "to": 2}));
    assert_eq!(diff["version"]["from"]["code"], 1);
    assert_eq!(diff["version"]["to"]["code"], 2);
    assert_eq!(
        (
            diff["target_sdk"]["from"].as_u64(),
            diff["target_sdk"]["to"].as_u64()
        ),
        (Some(22), Some(34))
    );
    let removed: Vec<&str> = diff["permissions"]["removed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert!(
        removed.contains(&"android.permission.READ_PHONE_STATE"),
        "{removed:?}"
    );
    assert!(diff["permissions"]["removed"][0]["personal_info"].is_object() || removed.len() > 1);
    assert_eq!(
        diff["auto_start"]["removed"][0]["component"],
        format!("{PACKAGE}.BootReceiver")
    );
    assert_eq!(diff["auto_start"]["added"], serde_json::json!([]));
    for key in [
        "components",
        "sdks",
        "hot_update",
        "signing",
        "flags",
        "signer_changed",
    ] {
        assert!(diff.get(key).is_some(), "{key}");
    }
    let text = dir.run(&["case", "diff", &id]).ok();
    assert!(
        text.contains("targetSdk: 22 → 34") && text.contains("READ_PHONE_STATE"),
        "{text}"
    );
    let refused = dir.run(&["case", "diff", &id, "--from", "1", "--to", "3"]);
    assert_ne!(refused.code(), 0);
    assert!(refused.stderr().contains("no round 3"), "{}", refused.stderr());

    // The trail proves both rounds, here and after a bundle's journey.
    dir.run(&["case", "log", &id, "--verify"]).ok();
    let bundle = dir.join("case.zip");
    dir.run(&["case", "export", &id, "--out", bundle.to_str().unwrap()])
        .ok();
    let elsewhere = Dir::new();
    elsewhere.run(&["case", "import", bundle.to_str().unwrap()]).ok();
    elsewhere.run(&["case", "log", &id, "--verify"]).ok();
    let there = elsewhere.run(&["case", "show", &id, "--json"]).json();
    assert_eq!(there["rounds"], show["rounds"]);
    // The earlier round's package report travelled too: the diff reads the same there.
    assert_eq!(elsewhere.run(&["case", "diff", &id, "--json"]).json(), diff);
}

#[test]
fn a_renamed_app_is_accepted_with_a_reason_that_is_audited() {
    let dir = Dir::new();
    let v1 = write(&dir, "shop-1.apk", &version(1, false, PACKAGE));
    let renamed = write(&dir, "shop-2.apk", &version(2, true, "com.example.shop.new"));
    let id = open_case(&dir, &v1, &[]);
    dir.run(&[
        "case",
        "reinspect",
        &id,
        "--package",
        &renamed,
        "--force",
        "企业更换包名（见整改报告第2页）",
    ])
    .ok();
    let show = dir.run(&["case", "show", &id, "--json"]).json();
    assert_eq!(show["rounds"][1]["reason"], "企业更换包名（见整改报告第2页）");
    assert_eq!(show["case"]["app"]["package"], "com.example.shop.new");
    let log = dir.run(&["case", "log", &id]).ok();
    assert!(log.contains("case.reinspected"), "{log}");
    dir.run(&["case", "log", &id, "--verify"]).ok();
}

/// The case list carries the rectification deadline of the notice issued, counted in the
/// authority's time zone; a re-inspection answers it.
#[test]
fn the_case_list_carries_the_deadline_of_the_notice() {
    let dir = Dir::new();
    let id = case_for_notices(&dir);
    let row = |dir: &Dir| dir.run(&["case", "list", "--json"]).json()[0].clone();
    assert!(row(&dir)["deadline"].is_null());
    assess(&dir, &id, "6.1", "non-compliant", "开机自启动");
    dir.run(&[
        "notice",
        &id,
        "--authority",
        "广东省通信管理局",
        "--out",
        "n.pdf",
        "--deadline-days",
        "20",
    ])
    .ok();
    let listed = row(&dir);
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Shanghai)
        .date_naive();
    let expected = today + chrono::Days::new(20);
    assert_eq!(listed["deadline"], expected.format("%Y-%m-%d").to_string());
    assert_eq!(listed["days_left"], 20);
    assert_eq!(listed["overdue"], false);
    let text = dir.run(&["case", "list"]).ok();
    assert!(text.contains("整改期限") && text.contains("剩 20 天"), "{text}");
    let v2 = write(&dir, "shop-2.apk", &version(2, true, PACKAGE));
    dir.run(&["case", "reinspect", &id, "--package", &v2]).ok();
    assert_eq!(row(&dir)["overdue"], false);
}

fn pdftotext(pdf: &std::path::Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .args(["-layout"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (tests/install-deps.sh installs poppler-utils)");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The re-inspection opinion follows up the rectification notice by its 文号: each finding with
/// its outcome, and the next step for what remains. It is refused until every finding is
/// re-judged.
#[test]
fn the_reinspection_opinion_states_each_findings_outcome_under_the_notices_number() {
    let dir = Dir::new();
    let id = case_for_notices(&dir);
    assess(
        &dir,
        &id,
        "6.1",
        "non-compliant",
        "注册了开机自启动接收器 BootReceiver",
    );
    assess(&dir, &id, "9.2", "non-compliant", "需5次点击才能访问隐私政策");
    let refused = issue(&dir, &id, "reinspection", "r0.pdf");
    assert_ne!(refused.code(), 0);
    assert!(
        refused.stderr().contains("no rectification notice"),
        "{}",
        refused.stderr()
    );
    issue(&dir, &id, "rectification", "n.pdf").ok();
    let number = dir.run(&["case", "show", &id, "--json"]).json()["notices"][0]["number"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(number.starts_with("粤通管责改〔"), "{number}");

    let v2 = write(&dir, "shop-2.apk", &version(2, true, PACKAGE));
    dir.run(&["case", "reinspect", &id, "--package", &v2]).ok();
    let early = issue(&dir, &id, "reinspection", "r1.pdf");
    assert_ne!(early.code(), 0);
    assert!(early.stderr().contains("6.1, 9.2"), "{}", early.stderr());
    assess(&dir, &id, "6.1", "compliant", "新版本已移除开机自启动接收器");
    assess(&dir, &id, "9.2", "non-compliant", "仍需4次点击才能访问隐私政策");
    issue(&dir, &id, "reinspection", "r.pdf").ok();
    let text = pdftotext(&dir.join("r.pdf"));
    let flat: String = text.split_whitespace().collect();
    for needle in [
        "整改情况复查意见书",
        "复查",
        "已整改",
        "未整改",
        "新版本已移除开机自启动接收器",
        "仍需4次点击",
    ] {
        assert!(flat.contains(needle), "{needle} in {text}");
    }
    let bare: String = number.split_whitespace().collect();
    assert!(flat.contains(&bare), "the notice's number {number} in {text}");
    assert!(flat.contains("第2项问题未整改或整改不到位"), "{text}");
    // Recorded as a document of the case, under the notice's number.
    let notices = dir.run(&["case", "show", &id, "--json"]).json()["notices"].clone();
    assert_eq!(notices[1]["kind"], "reinspection");
    assert_eq!(notices[1]["number"], number);
    // Its English translation names the Chinese version it defers to by that number.
    dir.run(&[
        "notice",
        &id,
        "--kind",
        "reinspection",
        "--authority",
        "广东省通信管理局",
        "--lang",
        "en",
        "--out",
        "r-en.pdf",
    ])
    .ok();
    let text: String = pdftotext(&dir.join("r-en.pdf")).split_whitespace().collect();
    assert!(
        text.contains(&format!("TheChineseversion({bare})prevails")),
        "{text}"
    );
    dir.run(&["case", "log", &id, "--verify"]).ok();
}

/// The same App signed by a new key: the re-inspection says so, and the diff leads with it.
#[test]
fn a_new_signing_key_is_flagged_first() {
    use app_inspector::sample::sign::ApkSigner;
    let dir = Dir::new();
    let (old_key, new_key) = (
        ApkSigner::new("示例开发者").unwrap(),
        ApkSigner::new("另一发布者").unwrap(),
    );
    let signed = |name: &str, spec: &ApkSpec, key: &ApkSigner| {
        let bytes = key.sign_v2(&apk::build(spec)).unwrap();
        dir.write(name, bytes).to_str().unwrap().to_string()
    };
    let v1 = signed("shop-1.apk", &version(1, false, PACKAGE), &old_key);
    let same_key = signed("shop-2.apk", &version(2, true, PACKAGE), &old_key);
    let other_key = signed("shop-3.apk", &version(3, true, PACKAGE), &new_key);
    let id = open_case(&dir, &v1, &[]);
    let shown = dir.run(&["case", "show", &id, "--json"]).json();
    assert_eq!(shown["case"]["app"]["cert_sha256"], old_key.certificate_sha256());

    let kept = dir
        .run(&["case", "reinspect", &id, "--package", &same_key, "--json"])
        .json();
    assert_eq!(kept["signer_changed"], false);
    let diff = dir.run(&["case", "diff", &id, "--json"]).json();
    assert_eq!(diff["signer_changed"], false);
    assert_eq!(diff["signing"]["certificates"]["added"], serde_json::json!([]));

    let changed = dir.run(&["case", "reinspect", &id, "--package", &other_key]).ok();
    assert!(changed.contains("签名证书与上一轮完全不同"), "{changed}");
    let diff = dir.run(&["case", "diff", &id, "--json"]).json();
    assert_eq!(diff["rounds"], serde_json::json!({"from": 2, "to": 3}));
    assert_eq!(diff["signer_changed"], true);
    assert_eq!(
        diff["signing"]["certificates"]["added"][0]["sha256"],
        new_key.certificate_sha256()
    );
    assert_eq!(
        diff["signing"]["certificates"]["removed"][0]["sha256"],
        old_key.certificate_sha256()
    );
    let text = dir.run(&["case", "diff", &id]).ok();
    assert!(
        text.lines().nth(1).unwrap().contains("签名者已变更"),
        "the signer comes first: {text}"
    );
    // Round 1 against round 3: the same key change.
    let far = dir
        .run(&["case", "diff", &id, "--from", "1", "--to", "3", "--json"])
        .json();
    assert_eq!(far["signer_changed"], true);
    assert!(far["rotation"].is_null());
    // Round 4: a new key with a v3 proof of rotation from round 3's: a rotation, stated as one.
    let rotated_key = ApkSigner::new("另一发布者（新密钥）").unwrap();
    let mut spec = version(4, true, PACKAGE);
    spec.min_sdk = 24;
    let bytes = rotated_key.sign_v3(&apk::build(&spec), Some(&new_key)).unwrap();
    let rotated = dir.write("shop-4.apk", bytes).to_str().unwrap().to_string();
    let out = dir.run(&["case", "reinspect", &id, "--package", &rotated]).ok();
    assert!(out.contains("签名密钥已轮换"), "{out}");
    let diff = dir.run(&["case", "diff", &id, "--json"]).json();
    assert_eq!(diff["signer_changed"], true);
    assert_eq!(diff["rotation"]["from"]["sha256"], new_key.certificate_sha256());
    assert_eq!(diff["rotation"]["to"]["sha256"], rotated_key.certificate_sha256());
    let text = dir.run(&["case", "diff", &id]).ok();
    assert!(text.lines().nth(1).unwrap().contains("签名密钥已轮换"), "{text}");
    // Against round 1's key the lineage proves nothing.
    let far = dir
        .run(&["case", "diff", &id, "--from", "1", "--to", "4", "--json"])
        .json();
    assert!(
        far["signer_changed"] == true && far["rotation"].is_null(),
        "{far}"
    );
    dir.run(&["case", "log", &id, "--verify"]).ok();
}

/// The case's life from the command line: a notice leaves it awaiting rectification, the
/// enterprise's report (a PDF) moves it on, a re-inspection too; closing is refused while a
/// finding stands unresolved and unexplained, escalation needs a notice first; every move is in
/// the trail, which proves the state here and in another database after a bundle.
#[test]
fn the_case_lives_from_notice_to_close_and_every_move_is_proven() {
    let dir = Dir::new();
    let id = case_for_notices(&dir);
    let state = |dir: &Dir| dir.run(&["case", "state", &id, "--json"]).json();
    for (tp, note) in [
        ("6.1", "注册了开机自启动接收器"),
        ("9.2", "需5次点击才能访问隐私政策"),
    ] {
        assess(&dir, &id, tp, "non-compliant", note);
    }
    assert_eq!(state(&dir)["state"], "open");
    // Nothing to escalate, and no report to receive, before a notice.
    let refused = dir.run(&["case", "escalate", &id, "--measure", "notify", "--reason", "逾期"]);
    assert_ne!(refused.code(), 0);
    assert!(
        refused.stderr().contains("no rectification notice"),
        "{}",
        refused.stderr()
    );
    issue(&dir, &id, "rectification", "n.pdf").ok();
    let refused = dir.run(&["case", "attach", &id, "n.pdf", "--rectification-report"]);
    assert_eq!(refused.code(), 0, "a PDF is a report: {}", refused.stderr());
    // The English translation of the notice is no new demand: the case stays where it is.
    dir.run(&[
        "notice",
        &id,
        "--authority",
        "广东省通信管理局",
        "--lang",
        "en",
        "--out",
        "n-en.pdf",
    ])
    .ok();
    let s = state(&dir);
    assert_eq!(s["state"], "rectification_reported");
    assert_eq!(s["transitions"].as_array().unwrap().len(), 2);
    assert_eq!(s["transitions"][0]["by"], "notice");
    assert_eq!(s["transitions"][0]["to"], "notice_issued");
    assert_eq!(s["transitions"][1]["by"], "report");
    let view = dir.run(&["case", "show", &id, "--json"]).json();
    let report = view["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "rectification_report")
        .expect("the report is kept as a report");
    assert_eq!(report["original_name"], "n.pdf");
    assert_eq!(report["caption"], "企业报送的整改报告");
    assert!(report["testpoint"].is_null());
    // The enterprise's report is its document: no notice lists it among the evidence.
    dir.run(&["notice", &id, "--kind", "record", "--out", "record.pdf"])
        .ok();
    let text = pdftotext(&dir.join("record.pdf"));
    assert!(!text.contains("n.pdf"), "{text}");
    // A text file is not a report; the list no longer counts days for a reported case.
    dir.write("reply.txt", "已整改");
    let bad = dir.run(&["case", "attach", &id, "reply.txt", "--rectification-report"]);
    assert_ne!(bad.code(), 0);
    assert!(
        bad.stderr().contains("is not a rectification report"),
        "{}",
        bad.stderr()
    );
    assert_eq!(dir.run(&["case", "list", "--json"]).json()[0]["overdue"], false);

    let v2 = write(&dir, "shop-2.apk", &version(2, true, PACKAGE));
    dir.run(&["case", "reinspect", &id, "--package", &v2]).ok();
    assert_eq!(state(&dir)["state"], "reinspected");
    // Both findings wait to be re-checked: closing names them.
    let refused = dir.run(&["case", "close", &id]);
    assert_ne!(refused.code(), 0);
    for needle in ["6.1", "9.2", "to re-check"] {
        assert!(
            refused.stderr().contains(needle),
            "{needle}: {}",
            refused.stderr()
        );
    }
    assess(&dir, &id, "6.1", "compliant", "已移除");
    assess(&dir, &id, "9.2", "partial", "仍需3次点击");
    let unresolved = state(&dir)["unresolved"].clone();
    assert_eq!(unresolved.as_array().unwrap().len(), 1, "{unresolved}");
    assert_eq!(unresolved[0]["testpoint"], "9.2");
    let refused = dir.run(&["case", "close", &id, "--explain", "6.1=已整改"]);
    assert!(
        refused.stderr().contains("needs no explanation"),
        "{}",
        refused.stderr()
    );
    // What remains goes into a re-inspection opinion with a new deadline.
    issue(&dir, &id, "reinspection", "r.pdf").ok();
    assert_eq!(state(&dir)["state"], "notice_issued");
    assert_eq!(dir.run(&["case", "list", "--json"]).json()[0]["days_left"], 15);
    // Escalated: read-only until reopened, and reopening returns to where it was.
    dir.run(&[
        "case",
        "escalate",
        &id,
        "--measure",
        "notify",
        "--measure",
        "delist",
        "--reason",
        "逾期未整改到位",
    ])
    .ok();
    let s = state(&dir);
    assert_eq!(s["state"], "escalated");
    let last = s["transitions"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["measures"], serde_json::json!(["notify", "delist"]));
    assert_eq!(last["reason"], "逾期未整改到位");
    let frozen = dir.run(&["case", "assess", &id, "9.2", "--status", "compliant"]);
    assert_ne!(frozen.code(), 0);
    assert!(frozen.stderr().contains("escalated"), "{}", frozen.stderr());
    dir.run(&["case", "reopen", &id]).ok();
    assert_eq!(state(&dir)["state"], "notice_issued");
    dir.run(&[
        "case",
        "close",
        &id,
        "--explain",
        "9.2=企业已申请注销该App，各应用商店已下架",
    ])
    .ok();
    let s = state(&dir);
    assert_eq!(s["state"], "closed");
    let last = s["transitions"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["explained"]["9.2"], "企业已申请注销该App，各应用商店已下架");
    let text = dir.run(&["case", "state", &id]).ok();
    assert!(text.contains("已结案") && text.contains("9.2 说明"), "{text}");
    dir.run(&["case", "log", &id, "--verify"]).ok();

    // Another database proves the same state from the bundle's trail.
    let bundle = dir.join("case.zip");
    dir.run(&["case", "export", &id, "--out", bundle.to_str().unwrap()])
        .ok();
    let elsewhere = Dir::new();
    elsewhere.run(&["case", "import", bundle.to_str().unwrap()]).ok();
    let there = elsewhere.run(&["case", "state", &id, "--json"]).json();
    assert_eq!(there["state"], "closed");
    assert_eq!(there["transitions"], s["transitions"]);
    let evidence = elsewhere.run(&["case", "show", &id, "--json"]).json()["evidence"].clone();
    assert!(
        evidence
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["kind"] == "rectification_report")
    );
    elsewhere.run(&["case", "log", &id, "--verify"]).ok();
}

/// A re-inspection opinion that finds everything rectified sets no deadline: the case stays
/// re-inspected and closes without explanations.
#[test]
fn an_opinion_finding_everything_rectified_sets_no_deadline() {
    let dir = Dir::new();
    let id = case_for_notices(&dir);
    assess(&dir, &id, "6.1", "non-compliant", "自启动");
    issue(&dir, &id, "rectification", "n.pdf").ok();
    let v2 = write(&dir, "shop-2.apk", &version(2, true, PACKAGE));
    dir.run(&["case", "reinspect", &id, "--package", &v2]).ok();
    assess(&dir, &id, "6.1", "compliant", "已移除");
    issue(&dir, &id, "reinspection", "r.pdf").ok();
    let row = dir.run(&["case", "list", "--json"]).json()[0].clone();
    assert_eq!(row["state"], "reinspected");
    // The deadline shown is still the notice's; it no longer counts.
    assert_eq!(row["overdue"], false);
    let notices = dir.run(&["case", "show", &id, "--json"]).json()["notices"].clone();
    assert_eq!(notices[1]["deadline"], "");
    dir.run(&["case", "close", &id]).ok();
    assert_eq!(
        dir.run(&["case", "state", &id, "--json"]).json()["state"],
        "closed"
    );
}

/// The enterprise's side: in a later round, `--kind self-exam` is its rectification report
/// (整改情况报告), answering the notice by its 文号 finding by finding in the company's voice.
#[test]
fn a_self_examination_in_a_later_round_answers_the_notice_finding_by_finding() {
    let dir = Dir::new();
    let id = case_for_notices(&dir);
    for (tp, note) in [
        ("6.1", "注册了开机自启动接收器 BootReceiver"),
        ("9.2", "需5次点击才能访问隐私政策"),
    ] {
        assess(&dir, &id, tp, "non-compliant", note);
    }
    issue(&dir, &id, "rectification", "n.pdf").ok();
    let number = dir.run(&["case", "show", &id, "--json"]).json()["notices"][0]["number"]
        .as_str()
        .unwrap()
        .to_string();
    let v2 = write(&dir, "shop-2.apk", &version(2, true, PACKAGE));
    dir.run(&["case", "reinspect", &id, "--package", &v2]).ok();
    let early = dir.run(&["notice", &id, "--kind", "self-exam", "--out", "s0.pdf"]);
    assert_ne!(early.code(), 0);
    assert!(early.stderr().contains("6.1, 9.2"), "{}", early.stderr());
    assess(
        &dir,
        &id,
        "6.1",
        "compliant",
        "已删除开机自启动接收器，不再自启动",
    );
    assess(
        &dir,
        &id,
        "9.2",
        "partial",
        "隐私政策入口调整至“我的”页面，需3次点击",
    );
    dir.run(&["notice", &id, "--kind", "self-exam", "--out", "s.pdf"])
        .ok();
    if let Some(keep) = std::env::var_os("APP_INSPECTOR_KEEP_PDF") {
        std::fs::copy(dir.join("s.pdf"), keep).unwrap();
    }
    let text = pdftotext(&dir.join("s.pdf"));
    let flat: String = text.split_whitespace().collect();
    let bare: String = number.split_whitespace().collect();
    for needle in [
        "整改情况报告",
        bare.as_str(),
        "广东省通信管理局：",
        "本单位",
        "已删除开机自启动接收器",
        "已整改",
        "部分整改",
        "第2项问题尚未整改到位",
        "法定代表人或个人信息保护负责人",
    ] {
        assert!(flat.contains(needle), "{needle} in {text}");
    }
    // The company's voice: no enforcement words of its own.
    for word in ["案件", "被检查单位", "责令改正", "我局"] {
        assert!(!flat.contains(word), "{word} in {text}");
    }
    // Before any notice, the same kind is the self-examination report.
    let other = Dir::new();
    let first = case_for_notices(&other);
    other
        .run(&["notice", &first, "--kind", "self-exam", "--out", "s.pdf"])
        .ok();
    let text = pdftotext(&other.join("s.pdf"));
    assert!(
        text.contains("自查报告") && !text.contains("整改情况报告"),
        "{text}"
    );
}

/// The re-inspected sample: two rounds of the synthetic App, the rectified version's changes in
/// the diff, the earlier finding still to re-check, the trail proving it.
#[test]
fn the_reinspected_sample_shows_two_rounds_and_what_changed() {
    let dir = Dir::new();
    let id = dir
        .run(&["case", "sample", "--reinspected"])
        .ok()
        .trim()
        .to_string();
    let view = dir.run(&["case", "show", &id, "--json"]).json();
    assert_eq!(view["rounds"].as_array().unwrap().len(), 2);
    assert_eq!(view["case"]["state"], "reinspected");
    assert_eq!(view["case"]["app"]["version"], "3.3.0-sample");
    let diff = dir.run(&["case", "diff", &id, "--json"]).json();
    let names = |list: &serde_json::Value| -> Vec<String> {
        list.as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(names(&diff["permissions"]["removed"]).contains(&"android.permission.READ_PHONE_STATE".into()));
    assert_eq!(
        names(&diff["permissions"]["added"]),
        ["android.permission.POST_NOTIFICATIONS"]
    );
    assert_eq!(diff["target_sdk"], serde_json::json!({"from": 34, "to": 35}));
    assert_eq!(diff["auto_start"]["removed"].as_array().unwrap().len(), 1);
    let state = dir.run(&["case", "state", &id, "--json"]).json();
    assert_eq!(state["unresolved"][0]["testpoint"], "4.1");
    assert_eq!(state["unresolved"][0]["recheck"], true);
    dir.run(&["case", "log", &id, "--verify"]).ok();
}

/// An enterprise's own case: the notice came on paper, so the case holds none. In a later round,
/// `--kind self-exam --number 文号` answers it with the findings of the round before.
#[test]
fn an_enterprise_answers_a_notice_received_on_paper_by_its_number() {
    let dir = Dir::new();
    let v1 = write(&dir, "shop-1.apk", &version(1, false, PACKAGE));
    let id = open_case(&dir, &v1, &[]);
    for (tp, note) in [
        ("6.1", "注册了开机自启动接收器"),
        ("9.2", "需5次点击才能访问隐私政策"),
    ] {
        assess(&dir, &id, tp, "non-compliant", note);
    }
    let v2 = write(&dir, "shop-2.apk", &version(2, true, PACKAGE));
    dir.run(&["case", "reinspect", &id, "--package", &v2]).ok();
    assess(&dir, &id, "6.1", "compliant", "已删除开机自启动接收器");
    assess(&dir, &id, "9.2", "compliant", "隐私政策入口调整为2次点击");
    dir.run(&[
        "notice",
        &id,
        "--kind",
        "self-exam",
        "--number",
        "粤通管责改〔2026〕7号",
        "--authority",
        "广东省通信管理局",
        "--out",
        "s.pdf",
    ])
    .ok();
    let text = pdftotext(&dir.join("s.pdf"));
    let flat: String = text.split_whitespace().collect();
    for needle in [
        "整改情况报告",
        "广东省通信管理局：",
        "贵局出具的《责令整改通知书》（粤通管责改〔2026〕7号）",
        "存在2项问题",
        "已删除开机自启动接收器",
        "通知书所列问题均已整改完毕",
    ] {
        assert!(flat.contains(needle), "{needle} in {text}");
    }
    // Without a number it stays the self-examination report.
    dir.run(&["notice", &id, "--kind", "self-exam", "--out", "plain.pdf"])
        .ok();
    let text = pdftotext(&dir.join("plain.pdf"));
    assert!(
        text.contains("自查报告") && !text.contains("整改情况报告"),
        "{text}"
    );
}

/// A report received after the deadline says so with its move: the case list stops counting once
/// the report is in, so the lateness is kept where the trail keeps it.
#[test]
fn a_report_received_after_the_deadline_is_recorded_as_late() {
    let dir = Dir::new();
    let id = case_for_notices(&dir);
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Shanghai)
        .date_naive();
    {
        // A notice whose deadline passed three days ago (the command line gives at least five days
        // from today, so it is recorded as issued then).
        let mut store = app_inspector::case::Store::open(&dir.join("cases.sqlite")).unwrap();
        store
            .record_notice(
                &id,
                &app_inspector::case::IssuedNotice {
                    number: "粤通管责改〔2026〕9号".into(),
                    kind: "rectification".into(),
                    lang: "zh".into(),
                    deadline: (today - chrono::Days::new(3)).format("%Y-%m-%d").to_string(),
                    pdf_sha256: "0".repeat(64),
                    signer: String::new(),
                    issued_at: (chrono::Utc::now() - chrono::Duration::days(18)).to_rfc3339(),
                    authority: "广东省通信管理局".into(),
                },
                None,
                "张三",
            )
            .unwrap();
    }
    let listed = dir.run(&["case", "list", "--json"]).json()[0].clone();
    assert_eq!(
        (listed["overdue"].clone(), listed["days_left"].clone()),
        (true.into(), (-3).into())
    );
    // The report as a scan (a PNG the image library writes).
    let mut scan = std::io::Cursor::new(Vec::new());
    image::GrayImage::from_pixel(120, 160, image::Luma([245]))
        .write_to(&mut scan, image::ImageFormat::Png)
        .unwrap();
    dir.write("report-scan.png", scan.into_inner());
    let out = dir
        .run(&["case", "attach", &id, "report-scan.png", "--rectification-report"])
        .ok();
    assert!(out.contains("逾期 3 天"), "{out}");
    let s = dir.run(&["case", "state", &id, "--json"]).json();
    let last = s["transitions"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["late_days"], 3);
    assert_eq!(dir.run(&["case", "list", "--json"]).json()[0]["overdue"], false);
    dir.run(&["case", "log", &id, "--verify"]).ok();
}
