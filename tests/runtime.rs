//! Run-time behaviour logs in a case: real camille spreadsheets (written by Python's xlwt, as
//! camille writes them, and .xlsx by rust_xlsxwriter), JSON lines as Frida's `send` payloads
//! come out; phases, categories, actors (App or SDK from the stack), folding and counts; the
//! suggestions they give; the refusals that change nothing; and the timeline through a bundle.

#![allow(clippy::unwrap_used)] // tests may unwrap: a panic is a failure with its place

mod support;

use std::process::{Command, Stdio};

use support::Dir;

const APP: &str = "com.politedroid";

/// A stack as camille writes it: "   frame\r\n" per frame, the hooked call first.
fn stack(frames: &[&str]) -> String {
    frames.iter().map(|f| format!("   {f}\r\n")).collect()
}

fn umeng_android_id() -> String {
    stack(&[
        "android.provider.Settings$Secure.getString(Native Method)",
        "com.umeng.commonsdk.statistics.common.DeviceConfig.getAndroidID(DeviceConfig.java:120)",
        "com.umeng.commonsdk.UMConfigure.init(UMConfigure.java:77)",
        "com.politedroid.PoliteDroid.onCreate(PoliteDroid.java:30)",
        "android.app.Activity.performCreate(Activity.java:8000)",
    ])
}

fn own_clipboard() -> String {
    stack(&[
        "android.content.ClipboardManager.getPrimaryClip(Native Method)",
        "com.politedroid.Paste.read(Paste.java:9)",
    ])
}

/// camille's rows: 隐私政策状态, 时间点, 行为主体, 操作行为, 行为描述, 传入参数, 调用堆栈.
fn camille_rows() -> serde_json::Value {
    let mut rows = Vec::new();
    for s in 0..3 {
        rows.push(serde_json::json!([
            "同意隐私政策前",
            format!("2026-11-30 10:00:0{s}"),
            "友盟",
            "获取系统信息",
            "获取安卓ID",
            "android_id",
            umeng_android_id()
        ]));
    }
    // Two identical records: folded into one with a count.
    for _ in 0..2 {
        rows.push(serde_json::json!([
            "同意隐私政策后",
            "2026-11-30 10:00:09",
            "APP本身",
            "获取剪切板信息",
            "读取剪切板信息",
            "",
            own_clipboard()
        ]));
    }
    serde_json::Value::Array(rows)
}

/// Writes an .xls with Python's xlwt, exactly as camille does.
fn xlwt(dir: &Dir, name: &str, rows: &serde_json::Value, columns: Option<&str>) -> std::path::PathBuf {
    let out = dir.join(name);
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/camille_xls.py");
    let mut command = Command::new("python3");
    command.arg(&script).arg(&out);
    if let Some(c) = columns {
        command.args(["--columns", c]);
    }
    let mut child = command
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 (tests/install-deps.sh installs it)");
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), rows.to_string().as_bytes()).unwrap();
    drop(child.stdin.take());
    let done = child.wait_with_output().unwrap();
    assert!(
        done.status.success(),
        "xlwt wrote no file (tests/install-deps.sh installs xlwt): {}",
        String::from_utf8_lossy(&done.stderr)
    );
    out
}

fn new_case(dir: &Dir) -> String {
    dir.politedroid_case(&[])
}

fn behaviours(dir: &Dir, id: &str) -> Vec<serde_json::Value> {
    dir.run(&["case", "behaviours", id, "--json"])
        .json()
        .as_array()
        .unwrap()
        .clone()
}

fn suggestions(dir: &Dir, id: &str) -> Vec<serde_json::Value> {
    dir.run(&["case", "show", id, "--json"]).json()["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["rule"].as_str().unwrap().starts_with("runtime-"))
        .cloned()
        .collect()
}

#[test]
fn a_camille_spreadsheet_written_by_xlwt_becomes_the_cases_timeline() {
    let dir = Dir::new();
    let id = new_case(&dir);
    let xls = xlwt(&dir, "camille.xls", &camille_rows(), None);
    let said = dir
        .run(&["case", "import-log", &id, xls.to_str().unwrap(), "--json"])
        .json();
    assert_eq!(said["format"], "camille");
    assert_eq!(said["records"], 5);
    assert_eq!(said["behaviours"], 4, "the two identical records fold into one");
    let list = behaviours(&dir, &id);
    assert_eq!(list.len(), 4);
    let first = &list[0];
    assert_eq!(first["phase"], "before-consent");
    assert_eq!(first["category"], "device-id");
    assert_eq!(first["personal_info"]["zh"], "ANDROID_ID");
    assert_eq!(first["actor"]["kind"], "sdk");
    assert!(
        first["actor"]["sdk_id"].as_str().unwrap().starts_with("umeng"),
        "{first}"
    );
    assert_eq!(
        first["actor"]["by_tool"], "友盟",
        "camille's own attribution is kept"
    );
    assert!(
        first["stack"]
            .as_str()
            .unwrap()
            .starts_with("android.provider.Settings$Secure.getString")
    );
    assert_eq!(first["source_sha256"].as_str().unwrap().len(), 64);
    let last = &list[3];
    assert_eq!(last["phase"], "after-consent");
    assert_eq!(last["category"], "clipboard-read");
    assert_eq!(last["actor"]["kind"], "app");
    assert_eq!(last["count"], 2);
    // The file is evidence of the case, stored by its SHA-256.
    let show = dir.run(&["case", "show", &id, "--json"]).json();
    let evidence = show["evidence"].as_array().unwrap();
    assert!(evidence.iter().any(|e| e["sha256"] == first["source_sha256"]));
    // Collection before consent: 9.1 and 10.7 suggested non-compliant, the SDK named with its count.
    let s = suggestions(&dir, &id);
    let before = s.iter().find(|s| s["testpoint"] == "9.1").unwrap();
    assert_eq!(before["suggested_status"], "non-compliant");
    assert_eq!(before["review"], "pending");
    let facts = before["evidence"]["zh"].as_str().unwrap();
    assert!(
        facts.contains("同意隐私政策前") && facts.contains("友盟") && facts.contains("读取ANDROID_ID 3 次"),
        "{facts}"
    );
    assert!(
        facts.contains("camille.xls"),
        "the suggestion names its log: {facts}"
    );
    assert!(s.iter().any(|s| s["testpoint"] == "10.7"));
    // The clipboard read is put before the inspector (8.2), without a verdict.
    let scope = s.iter().find(|s| s["testpoint"] == "8.2").unwrap();
    assert_eq!(scope["suggested_status"], "not-checked");
    // The text listing says the same in words.
    let text = dir.run(&["case", "behaviours", &id]).ok();
    assert!(
        text.contains("同意隐私政策前") && text.contains("按主体统计"),
        "{text}"
    );
    // Accepting a run-time suggestion is audited and the trail still proves the case.
    dir.run(&["case", "review", &id, "9.1", "--accept"]).ok();
    let store = app_inspector::case::Store::open(&dir.join("cases.sqlite")).unwrap();
    assert!(store.prove(&id).unwrap().is_ok());
}

#[test]
fn an_xlsx_export_reads_like_the_xls() {
    let dir = Dir::new();
    let id = new_case(&dir);
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("App_privacy_compliance_testing").unwrap();
    for (c, t) in [
        "隐私政策状态",
        "时间点",
        "行为主体",
        "操作行为",
        "行为描述",
        "传入参数",
        "调用堆栈",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(0, c as u16, *t).unwrap();
    }
    for (r, row) in camille_rows().as_array().unwrap().iter().enumerate() {
        for (c, v) in row.as_array().unwrap().iter().enumerate() {
            sheet
                .write_string(r as u32 + 1, c as u16, v.as_str().unwrap())
                .unwrap();
        }
    }
    let xlsx = dir.join("camille.xlsx");
    book.save(&xlsx).unwrap();
    let said = dir
        .run(&["case", "import-log", &id, xlsx.to_str().unwrap(), "--json"])
        .json();
    assert_eq!(
        (said["format"].as_str(), said["behaviours"].as_u64()),
        (Some("camille"), Some(4))
    );
}

/// Frida's `send` payloads as JSON lines, a consent marker the tester added, and a session line.
fn frida_log() -> String {
    let mut lines = vec![serde_json::json!({"type": "session", "package": APP}).to_string()];
    // The same SDK reads the IMEI 25 times in 25 seconds before consent: frequent, permanent, early.
    for s in 0..25 {
        lines.push(
            serde_json::json!({
                "type": "notice",
                "time": format!("2026-11-30 10:00:{s:02}"),
                "action": "获取电话相关信息",
                "messages": "获取IMEI",
                "arg": "",
                "stacks": "java.lang.Throwable\n\tat android.telephony.TelephonyManager.getImei(Native Method)\n\tat com.igexin.push.core.a.b(Unknown Source:12)\n\tat com.politedroid.PoliteDroid.onCreate(PoliteDroid.java:30)"
            })
            .to_string(),
        );
    }
    lines.push(
        serde_json::json!({"type": "consent", "time": "2026-11-30 10:01:00", "state": "agreed"}).to_string(),
    );
    lines.push(
        serde_json::json!({
            "type": "method_result",
            "time": "2026-11-30 10:01:05",
            "action": "获取其他app信息",
            "messages": "APP获取了其他app信息",
            "arg": ["0"],
            "stacks": ["android.app.ApplicationPackageManager.getInstalledPackages(ApplicationPackageManager.java:1)", "com.politedroid.Apps.list(Apps.java:3)"]
        })
        .to_string(),
    );
    lines.push(serde_json::json!({"type": "request_result", "url": "https://example.com/"}).to_string());
    lines.join("\n") + "\n"
}

#[test]
fn frida_json_lines_give_phases_actors_counts_and_suggestions() {
    let dir = Dir::new();
    let id = new_case(&dir);
    let log = dir.write("run.jsonl", frida_log());
    let said = dir
        .run(&["case", "import-log", &id, log.to_str().unwrap(), "--json"])
        .json();
    assert_eq!(said["format"], "frida-jsonl");
    assert_eq!(said["records"], 26);
    assert_eq!(said["skipped"], 1, "the network capture is not a behaviour");
    let list = behaviours(&dir, &id);
    let imei: Vec<_> = list.iter().filter(|b| b["info"] == "imei").collect();
    assert_eq!(imei.len(), 25);
    assert!(
        imei.iter()
            .all(|b| b["phase"] == "before-consent" && b["actor"]["kind"] == "sdk")
    );
    assert_eq!(imei[0]["actor"]["sdk_id"], "getui");
    let apps = list.iter().find(|b| b["category"] == "app-list").unwrap();
    assert_eq!(
        (apps["phase"].as_str(), apps["actor"]["kind"].as_str()),
        (Some("after-consent"), Some("app"))
    );
    let s = suggestions(&dir, &id);
    let tps: Vec<&str> = s.iter().map(|s| s["testpoint"].as_str().unwrap()).collect();
    for tp in ["9.1", "10.7", "8.4", "8.5", "8.2"] {
        assert!(tps.contains(&tp), "{tp} in {tps:?}");
    }
    let frequent = s.iter().find(|s| s["testpoint"] == "8.4").unwrap();
    let facts = frequent["evidence"]["zh"].as_str().unwrap();
    assert!(
        facts.contains("个推") && facts.contains("25 次") && facts.contains("一分钟内最多 25 次"),
        "{facts}"
    );
    let en = frequent["evidence"]["en"].as_str().unwrap();
    assert!(en.contains("25 times"), "{en}");
}

/// Our CSV schema as Python's csv module writes it (quoted multi-line stacks, CRLF rows), the way
/// a team's own script or a spreadsheet export produces it.
#[test]
fn our_csv_written_by_python_imports_like_the_json_lines() {
    let dir = Dir::new();
    let id = new_case(&dir);
    let out = dir.join("run.csv");
    let script = r#"
import csv, sys
rows = [
    ["2026-11-30 10:00:01", "before-consent", "获取系统信息", "获取安卓ID", "android_id",
     "android.provider.Settings$Secure.getString(Native Method)\ncom.umeng.commonsdk.statistics.common.DeviceConfig.getAndroidID(DeviceConfig.java:120)",
     "友盟", "com.politedroid"],
    ["2026-11-30 10:00:02", "before-consent", "获取系统信息", "获取安卓ID", "android_id",
     "android.provider.Settings$Secure.getString(Native Method)\ncom.umeng.commonsdk.statistics.common.DeviceConfig.getAndroidID(DeviceConfig.java:120)",
     "友盟", "com.politedroid"],
    ["2026-11-30 10:00:09", "after-consent", "获取位置信息", "获取经纬度", "gps",
     "android.location.LocationManager.getLastKnownLocation(LocationManager.java:1)\ncom.politedroid.Main.locate(Main.java:20)",
     "APP本身", ""],
]
with open(sys.argv[1], "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["time", "phase", "action", "detail", "arg", "stack", "actor", "package"])
    w.writerows(rows)
"#;
    let done = Command::new("python3")
        .args(["-c", script])
        .arg(&out)
        .output()
        .expect("python3 (tests/install-deps.sh installs it)");
    assert!(done.status.success(), "{}", String::from_utf8_lossy(&done.stderr));
    let said = dir
        .run(&["case", "import-log", &id, out.to_str().unwrap(), "--json"])
        .json();
    assert_eq!(said["format"], "csv");
    assert_eq!(said["records"], 3);
    let list = behaviours(&dir, &id);
    let first = &list[0];
    assert_eq!(first["phase"], "before-consent");
    assert_eq!(first["actor"]["sdk_id"], "umeng-analytics");
    assert_eq!(first["actor"]["by_tool"], "友盟");
    let last = list.last().unwrap();
    assert_eq!(
        (last["category"].as_str(), last["actor"]["kind"].as_str()),
        (Some("location"), Some("app"))
    );
    let tps: Vec<String> = suggestions(&dir, &id)
        .iter()
        .map(|s| s["testpoint"].as_str().unwrap().to_string())
        .collect();
    assert!(tps.iter().any(|t| t == "9.1"), "{tps:?}");

    // A CSV naming another App is refused and changes nothing.
    let other = dir.write(
        "other.csv",
        "time,action,detail,package\n2026-11-30 10:00:00,获取系统信息,获取安卓ID,com.example.other\n",
    );
    let before = state(&dir, &id);
    let refused = dir.run(&["case", "import-log", &id, other.to_str().unwrap()]);
    assert_ne!(refused.code(), 0);
    assert!(
        refused.stderr().contains("com.example.other"),
        "{}",
        refused.stderr()
    );
    assert_eq!(state(&dir, &id), before);
}

/// The database's audit length and evidence count: what a refused import must leave as it was.
fn state(dir: &Dir, id: &str) -> (usize, usize, usize) {
    let store = app_inspector::case::Store::open(&dir.join("cases.sqlite")).unwrap();
    let view = store.load(id).unwrap();
    (
        store.audit(id).unwrap().len(),
        view.evidence.len(),
        store.behaviours(id).unwrap().len(),
    )
}

#[test]
fn bad_logs_are_refused_whole_with_a_sentence_and_change_nothing() {
    let dir = Dir::new();
    let id = new_case(&dir);
    let before = state(&dir, &id);
    let refuse = |path: &std::path::Path, says: &[&str]| {
        let run = dir.run(&["case", "import-log", &id, path.to_str().unwrap()]);
        assert_ne!(run.code(), 0);
        let err = run.stderr();
        for s in says {
            assert!(err.contains(s), "{s:?} not in {err}");
        }
        assert!(!err.contains("panicked"), "{err}");
        assert_eq!(state(&dir, &id), before, "{err}");
    };
    // A spreadsheet with other columns.
    let other = xlwt(
        &dir,
        "other.xls",
        &serde_json::json!([["a", "b"]]),
        Some("姓名,电话"),
    );
    refuse(&other, &["not a camille export", "时间点"]);
    // A file cut short in the middle of a line.
    let full = frida_log();
    let cut = dir.write("cut.jsonl", &full.as_bytes()[..full.len() / 2]);
    refuse(&cut, &["cut short", "line"]);
    // A 50 MB stack.
    let huge = format!(
        "{{\"action\":\"获取电话相关信息\",\"messages\":\"获取IMEI\",\"stacks\":\"{}\"}}\n",
        "at a.B.c(B.java:1)\\n".repeat((50 << 20) / 20)
    );
    let huge = dir.write("huge.jsonl", huge);
    refuse(&huge, &["stack", "not a behaviour log"]);
    // A log that says it was recorded on another App.
    let foreign = frida_log().replace(APP, "com.other.app");
    let foreign = dir.write("foreign.jsonl", foreign);
    refuse(&foreign, &["com.other.app", APP]);
    // Not a log at all; a truncated spreadsheet.
    refuse(
        &dir.write("notes.txt", "hello"),
        &["neither a camille spreadsheet"],
    );
    let xls = std::fs::read(xlwt(&dir, "whole.xls", &camille_rows(), None)).unwrap();
    let truncated = dir.write("truncated.xls", &xls[..xls.len() / 3]);
    refuse(&truncated, &["cannot be read as a spreadsheet"]);
    // The same log twice: the second is refused.
    let log = dir.write("run.jsonl", frida_log());
    dir.run(&["case", "import-log", &id, log.to_str().unwrap()]).ok();
    let after = state(&dir, &id);
    let again = dir.run(&["case", "import-log", &id, log.to_str().unwrap()]);
    assert!(again.stderr().contains("already imported"), "{}", again.stderr());
    assert_eq!(state(&dir, &id), after);
}

#[test]
fn the_timeline_travels_in_a_bundle_and_is_read_again_from_the_file() {
    let dir = Dir::new();
    let id = new_case(&dir);
    let log = dir.write("run.jsonl", frida_log());
    dir.run(&["case", "import-log", &id, log.to_str().unwrap()]).ok();
    let mine = behaviours(&dir, &id);
    let bundle = dir.join("case.zip");
    dir.run(&["case", "export", &id, "--out", bundle.to_str().unwrap()])
        .ok();
    let there = Dir::new();
    there.run(&["case", "import", bundle.to_str().unwrap()]).ok();
    assert_eq!(behaviours(&there, &id), mine);
    assert_eq!(suggestions(&there, &id), suggestions(&dir, &id));
    let store = app_inspector::case::Store::open(&there.join("cases.sqlite")).unwrap();
    assert!(store.prove(&id).unwrap().is_ok());
}
