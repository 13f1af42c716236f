//! Behaviour logs at scale: a generated 1,000,000-record Frida log (JSON lines as camille's and
//! AppScan's hook scripts send them: a dozen behaviours by the App, eight SDKs and an unidentified
//! library, each with its stack, a consent line a tenth of the way in, a record every 10 ms).
//!
//! `cargo bench --bench runtime` measures (median of three):
//! - reading, classifying, attributing and counting it, and the run-time rules — target under 3 s,
//!   with the process's peak memory (the log itself held) under 500 MB;
//! - importing it into a case: the same, plus storing the file as evidence and every behaviour in
//!   the database, in one transaction.

mod common;

use std::time::{Duration, Instant};

use app_inspector::case::Store;
use app_inspector::runtime::{self, Choice};

/// (action, description, frames after the hooked call).
const BEHAVIOURS: &[(&str, &str, &str, &[&str])] = &[
    (
        "获取系统信息",
        "获取安卓ID",
        "android.provider.Settings$Secure.getString(Native Method)",
        &[
            "com.umeng.commonsdk.statistics.common.DeviceConfig.getAndroidID(DeviceConfig.java:120)",
            "com.umeng.commonsdk.UMConfigure.init(UMConfigure.java:77)",
        ],
    ),
    (
        "获取电话相关信息",
        "获取IMEI",
        "android.telephony.TelephonyManager.getImei(Native Method)",
        &["com.igexin.push.core.a.b(Unknown Source:12)"],
    ),
    (
        "获取电话相关信息",
        "获取IMSI",
        "android.telephony.TelephonyManager.getSubscriberId(Native Method)",
        &["cn.jpush.android.d.e.a(Unknown Source:3)"],
    ),
    (
        "获取网络信息",
        "获取Mac地址",
        "android.net.wifi.WifiInfo.getMacAddress(Native Method)",
        &["com.tencent.bugly.crashreport.common.info.b.a(Unknown Source:9)"],
    ),
    (
        "获取网络信息",
        "获取wifi BSSID",
        "android.net.wifi.WifiInfo.getBSSID(Native Method)",
        &["com.amap.api.location.a.b(Unknown Source:4)"],
    ),
    (
        "获取位置信息",
        "获取经纬度",
        "android.location.LocationManager.getLastKnownLocation(LocationManager.java:1)",
        &["com.baidu.location.LocationClient.a(Unknown Source:2)"],
    ),
    (
        "获取其他app信息",
        "APP获取了其他app信息",
        "android.app.ApplicationPackageManager.getInstalledPackages(ApplicationPackageManager.java:1)",
        &["com.tencent.bugly.hotfix.Apps.list(Apps.java:3)"],
    ),
    (
        "获取剪切板信息",
        "读取剪切板信息",
        "android.content.ClipboardManager.getPrimaryClip(Native Method)",
        &["com.tencent.bugly.hotfix.Paste.read(Paste.java:9)"],
    ),
    (
        "获取系统信息",
        "读取小米手机OAID",
        "java.lang.reflect.Method.invoke(Native Method)",
        &["com.bytedance.sdk.openadsdk.core.j.a(Unknown Source:5)"],
    ),
    (
        "申请权限",
        "申请权限 android.permission.READ_PHONE_STATE",
        "android.app.Activity.requestPermissions(Activity.java:1)",
        &["com.tencent.bugly.hotfix.MainActivity.ask(MainActivity.java:40)"],
    ),
    (
        "获取传感器信息",
        "获取传感器列表",
        "android.hardware.SensorManager.getSensorList(SensorManager.java:1)",
        &["com.qq.e.comm.a.b(Unknown Source:1)"],
    ),
    (
        "获取电话相关信息",
        "获取IMEI",
        "android.telephony.TelephonyManager.getImei(Native Method)",
        &["net.mystery.lib.a.b(Unknown Source:4)"],
    ),
];

/// The log: `n` records as JSON lines.
fn generate(n: usize) -> Vec<u8> {
    let mut out = String::with_capacity(n * 200);
    out.push_str("{\"type\":\"session\",\"package\":\"com.tencent.bugly.hotfix\"}\n");
    let start = chrono::NaiveDate::from_ymd_opt(2026, 11, 30)
        .and_then(|d| d.and_hms_opt(10, 0, 0))
        .expect("a date");
    let mut state = 0x9e37_79b9_u32;
    for i in 0..n {
        if i == n / 10 {
            out.push_str("{\"type\":\"consent\",\"state\":\"agreed\"}\n");
        }
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let (action, detail, hooked, frames) = BEHAVIOURS[state as usize % BEHAVIOURS.len()];
        let mut stack = format!("at {hooked}");
        for f in frames {
            stack.push_str("\\nat ");
            stack.push_str(f);
        }
        let time = start + chrono::Duration::milliseconds(i as i64 * 10);
        out.push_str(&format!(
            "{{\"type\":\"notice\",\"time\":\"{}\",\"action\":\"{action}\",\"messages\":\"{detail}\",\"stacks\":\"{stack}\"}}\n",
            time.format("%Y-%m-%d %H:%M:%S")
        ));
    }
    out.into_bytes()
}

/// The process's peak resident memory so far (Linux), in MiB.
fn peak_mib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let n = 1_000_000;
    let log = generate(n);
    println!(
        "generated log: {n} records, {:.0} MB; peak memory so far {} MiB",
        log.len() as f64 / 1e6,
        peak_mib().unwrap_or(0)
    );
    let checklist = app_inspector::checklist::builtin("miit-2023-26").expect("checklist");
    let roles = [app_inspector::checklist::SubjectType::AppOperator];
    let mut times = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        let (meta, behaviours) = runtime::read_and_understand(
            &log,
            "bench.jsonl",
            Choice::Auto,
            "com.tencent.bugly.hotfix",
            app_inspector::package::sdk::Catalogue::builtin(),
        )
        .expect("read");
        assert_eq!(meta.records, n);
        let findings = runtime::rules::findings(
            &behaviours,
            &checklist,
            &roles,
            &runtime::rules::LogRef {
                name: "bench.jsonl",
                sha256: &meta.digest,
            },
        );
        times.push(t.elapsed());
        assert!(!findings.is_empty());
        drop(behaviours);
    }
    println!(
        "read, classify, attribute, count and suggest: median {:.2} s (target < 3 s); peak memory {} MiB (target < 500 MB)",
        median(times).as_secs_f64(),
        peak_mib().unwrap_or(0)
    );

    let tmp = tempfile::tempdir().expect("temporary folder");
    let mut times = Vec::new();
    let mut stored = 0;
    for run in 0..3 {
        let mut store = Store::open(&tmp.path().join(format!("bench{run}.sqlite"))).expect("open");
        let id = common::bugly_case(&mut store, "基准测试");
        let t = Instant::now();
        let done = store
            .import_log_bytes(&id, "bench.jsonl", &log, Choice::Auto, "bench")
            .expect("import");
        times.push(t.elapsed());
        assert_eq!(done.records, n);
        stored = done.behaviours;
    }
    println!(
        "import into a case (evidence, {stored} behaviours stored, suggestions, audit): median {:.2} s; peak memory {} MiB",
        median(times).as_secs_f64(),
        peak_mib().unwrap_or(0)
    );
}
