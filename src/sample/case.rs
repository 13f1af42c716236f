//! Opens the sample case: the synthetic package, two synthetic screenshots (one annotated), a
//! few judgements with notes, and automatic suggestions reviewed both ways. Everything in it
//! says "示例" (sample) so it is never mistaken for a real inspection.

use std::path::{Path, PathBuf};

use super::apk::{self, ApkSpec, ComponentSpec};
use super::screens;
use crate::case::{CaseError, NewCase, Store};
use crate::checklist::{self, SubjectType};
use crate::package;
use crate::status::Status;

/// The file name the sample package is recorded under.
pub const PACKAGE_NAME: &str = "sample-shop-synthetic.apk";

use super::PACKAGE_ID;

/// The sample's subject, as the case list shows it.
pub const SUBJECT: &str = "示例科技有限公司（示例案件 · sample case）";

fn icon() -> Vec<u8> {
    let Some(mut c) = screens::Canvas::new(192, 192, (255, 255, 255)) else {
        return Vec::new();
    };
    c.rect(8.0, 8.0, 176.0, 176.0, 40.0, (214, 64, 69));
    c.centred(96.0, 128.0, 96.0, (255, 255, 255), "商");
    c.png()
}

/// The synthetic package: a shop App that starts at boot, asks for location and the phone's
/// identity, embeds analytics, crash-reporting and hot-update SDKs, and ships a privacy policy.
pub fn package() -> Vec<u8> {
    build_package(false)
}

/// The file name the sample's rectified version is recorded under.
pub const RECTIFIED_NAME: &str = "sample-shop-synthetic-3.3.0.apk";

/// The sample App's rectified version (3.3.0-sample): no boot receiver, no phone-identity
/// permission, no hot-update framework, a newer targetSdk.
pub fn rectified_package() -> Vec<u8> {
    build_package(true)
}

fn build_package(rectified: bool) -> Vec<u8> {
    let pkg = PACKAGE_ID;
    let component = |kind, name: &str, exported, actions: &[&str], categories: &[&str]| ComponentSpec {
        kind,
        name: format!("{pkg}.{name}"),
        exported,
        actions: actions.iter().map(|a| a.to_string()).collect(),
        categories: categories.iter().map(|c| c.to_string()).collect(),
    };
    let mut spec = ApkSpec {
        package: pkg.into(),
        label: "示例商城（合成样例）".into(),
        version_code: 320,
        version_name: "3.2.0-sample".into(),
        min_sdk: 24,
        target_sdk: 34,
        permissions: [
            "INTERNET",
            "ACCESS_NETWORK_STATE",
            "READ_PHONE_STATE",
            "ACCESS_FINE_LOCATION",
            "CAMERA",
            "RECEIVE_BOOT_COMPLETED",
            "REQUEST_INSTALL_PACKAGES",
        ]
        .iter()
        .map(|p| format!("android.permission.{p}"))
        .collect(),
        components: vec![
            component(
                "activity",
                "MainActivity",
                Some(true),
                &["android.intent.action.MAIN"],
                &["android.intent.category.LAUNCHER"],
            ),
            component(
                "receiver",
                "BootReceiver",
                Some(true),
                &["android.intent.action.BOOT_COMPLETED"],
                &[],
            ),
            component("service", "PushService", Some(false), &[], &[]),
        ],
        debuggable: false,
        icon: Some(("res/mipmap-xxxhdpi/ic_launcher.png".into(), icon())),
        classes: [
            "Lcn/example/sample/shop/MainActivity;",
            "Lcn/example/sample/shop/BootReceiver;",
            "Lcom/umeng/analytics/MobclickAgent;",
            "Lcom/tencent/bugly/crashreport/CrashReport;",
            "Lcom/tencent/tinker/loader/TinkerLoader;",
        ]
        .iter()
        .map(|c| c.to_string())
        .collect(),
        extra: vec![(
            "assets/privacy.html".into(),
            "<html><body><h1>示例商城隐私政策（示例）</h1><p>这是合成的示例文本。</p></body></html>"
                .as_bytes()
                .to_vec(),
        )],
    };
    if rectified {
        spec.version_code = 330;
        spec.version_name = "3.3.0-sample".into();
        spec.target_sdk = 35;
        let gone = ["READ_PHONE_STATE", "RECEIVE_BOOT_COMPLETED"];
        spec.permissions.retain(|p| !gone.iter().any(|g| p.ends_with(g)));
        // Notifications ask at run time from Android 13: the new targetSdk declares it.
        spec.permissions
            .push("android.permission.POST_NOTIFICATIONS".into());
        spec.components.retain(|c| !c.name.ends_with("BootReceiver"));
        spec.classes
            .retain(|c| !c.contains("BootReceiver") && !c.contains("tinker"));
    }
    apk::build(&spec)
}

/// The file name the sample behaviour log is recorded under.
pub const LOG_NAME: &str = "behaviour-log-sample.jsonl";

/// A synthetic run-time log in Frida's JSON lines: before consent the analytics SDK reads
/// ANDROID_ID three times; after it the App reads the location, the SDK reads ANDROID_ID 25 times
/// in a minute, and the App reads the clipboard.
pub fn behaviour_log() -> Vec<u8> {
    let pkg = PACKAGE_ID;
    let umeng = "at android.provider.Settings$Secure.getString(Native Method)\nat com.umeng.commonsdk.statistics.common.DeviceConfig.getAndroidID(DeviceConfig.java:120)\nat com.umeng.analytics.MobclickAgent.onResume(MobclickAgent.java:40)";
    let line = |time: String, action: &str, detail: &str, arg: &str, stack: &str| {
        serde_json::json!({"type": "notice", "time": time, "action": action, "messages": detail, "arg": arg, "stacks": stack})
            .to_string()
    };
    let mut lines = vec![serde_json::json!({"type": "session", "package": pkg}).to_string()];
    for s in 0..3 {
        lines.push(line(
            format!("2026-11-30 10:00:0{s}"),
            "获取系统信息",
            "获取安卓ID",
            "android_id",
            umeng,
        ));
    }
    lines.push(
        serde_json::json!({"type": "consent", "time": "2026-11-30 10:00:06", "state": "agreed"}).to_string(),
    );
    lines.push(line(
        "2026-11-30 10:00:08".into(),
        "获取位置信息",
        "获取最后已知位置",
        "gps",
        &format!("at android.location.LocationManager.getLastKnownLocation(Native Method)\nat {pkg}.MainActivity.locate(MainActivity.java:88)"),
    ));
    for n in 0..25 {
        lines.push(line(
            format!("2026-11-30 10:00:{:02}", 10 + 2 * n),
            "获取系统信息",
            "获取安卓ID",
            "android_id",
            umeng,
        ));
    }
    lines.push(line(
        "2026-11-30 10:02:00".into(),
        "获取剪切板信息",
        "读取剪切板信息",
        "",
        &format!("at android.content.ClipboardManager.getPrimaryClip(Native Method)\nat {pkg}.MainActivity.paste(MainActivity.java:120)"),
    ));
    (lines.join("\n") + "\n").into_bytes()
}

/// Opens the sample case in `store` and returns its id.
pub fn create(store: &mut Store, actor: &str) -> Result<String, CaseError> {
    let checklist = checklist::resolve(checklist::DEFAULT_ID)?;
    let bytes = package();
    let report = package::analyse_bytes(Path::new(PACKAGE_NAME), &bytes, package::Limits::default())?;
    let new = NewCase {
        package: PathBuf::from(PACKAGE_NAME),
        subject_name: SUBJECT.into(),
        roles: vec![SubjectType::AppOperator],
        credit_code: String::new(),
        filing: String::new(),
        address: "（示例）".into(),
        inspectors: vec![crate::case::Inspector::parse(actor)],
        checklist: checklist.id.clone(),
    };
    let id = store.new_case_from_report(&new, &report, &checklist, actor)?;

    store.attach_bytes(
        &id,
        "splash-ad-sample.png",
        &screens::splash_ad(),
        Some("4.1"),
        "开屏广告：跳过按钮小、颜色与背景接近（示例）",
        actor,
    )?;
    store.attach_bytes(
        &id,
        "privacy-prompt-sample.png",
        &screens::privacy_prompt(),
        Some("9.1"),
        "首次运行的个人信息保护提示（示例）",
        actor,
    )?;
    // Mark the skip button on the splash screenshot: a box and a label, stored as data.
    let view = store.load(&id)?;
    if let Some(splash) = view
        .evidence
        .iter()
        .find(|e| e.testpoint.as_deref() == Some("4.1"))
    {
        store.annotate(
            &id,
            splash.link_id,
            &splash.caption,
            &serde_json::json!([
                {"kind": "rect", "x": 0.82, "y": 0.045, "w": 0.16, "h": 0.045},
                {"kind": "arrow", "x": 0.6, "y": 0.16, "x2": 0.8, "y2": 0.09},
                {"kind": "text", "x": 0.3, "y": 0.17, "text": "跳过按钮不明显"},
            ]),
            actor,
        )?;
    }

    for (tp, status, note) in [
        (
            "4.1",
            Status::NonCompliant,
            "开屏广告的“跳过”按钮仅约 43×20 dp，颜色与背景接近，不易识别（示例）。",
        ),
        (
            "9.1",
            Status::Compliant,
            "首次运行以弹窗提示阅读隐私政策，“同意”“不同意”同等显著（示例）。",
        ),
        (
            "9.2",
            Status::Partial,
            "从主界面需 4 次点击才能进入隐私政策，入口较深（示例）。",
        ),
        (
            "1.1",
            Status::Compliant,
            "应用商店详情页展示了开发者、版本、权限和隐私政策（示例）。",
        ),
        ("2.1", Status::NotApplicable, "该企业没有 H5 推广页面（示例）。"),
    ] {
        store.assess(&id, tp, status, note, actor)?;
    }
    // Review two automatic suggestions on test points not judged above: one accepted (its status
    // becomes the test point's), one rejected with a reason.
    let view = store.load(&id)?;
    let pending: Vec<_> = view
        .suggestions
        .iter()
        .filter(|s| {
            s.review == "pending"
                && s.suggested_status != Status::NotChecked
                && view.assessment(&s.testpoint).is_none()
        })
        .collect();
    if let Some(s) = pending.first() {
        store.review(&id, &s.testpoint, Some(&s.rule), true, "", actor)?;
    }
    if let Some(s) = pending.get(1) {
        store.review(
            &id,
            &s.testpoint,
            Some(&s.rule),
            false,
            "示例：动态检测未复现该行为",
            actor,
        )?;
    }
    // Last, so the reviews above stay on the package's suggestions: the run-time log, whose
    // suggestions wait for the inspector (one on 9.1, judged compliant above: the log is why to
    // look again).
    store.import_log_bytes(
        &id,
        LOG_NAME,
        &behaviour_log(),
        crate::runtime::Choice::Auto,
        actor,
    )?;
    Ok(id)
}

/// Opens the sample case and re-inspects it on the sample App's rectified version: a second round,
/// the first round's findings to re-check, one of them judged again. For seeing rounds and the
/// comparison of two versions without a real case.
pub fn create_reinspected(store: &mut Store, actor: &str) -> Result<String, CaseError> {
    let id = create(store, actor)?;
    let bytes = rectified_package();
    let report = package::analyse_bytes(Path::new(RECTIFIED_NAME), &bytes, package::Limits::default())?;
    store.reinspect_with_report(&id, Path::new(RECTIFIED_NAME), &report, None, actor)?;
    store.assess(
        &id,
        "9.2",
        Status::Compliant,
        "新版本从主界面 2 次点击即可进入隐私政策（示例）。",
        actor,
    )?;
    Ok(id)
}
