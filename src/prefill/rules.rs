//! The automatic rules listed in `checklist::rules`, each turning package facts into an outcome.
//!
//! Conventions: a fact that settles the test point statically gives `compliant` or `non-compliant`;
//! a capability that needs the inspector's judgement (an SDK, a permission) gives `not-checked`
//! with the facts, so it shows as a pending suggestion rather than a verdict.

use super::Outcome;
use crate::i18n::Text;
use crate::package::PackageReport;
use crate::package::report::{Certificate, SdkMatch};
use crate::status::Status;

fn outcome(status: Status, zh: String, en: String) -> Option<Outcome> {
    Some(Outcome {
        status,
        evidence: Text { zh, en },
    })
}

fn list(items: &[String], max: usize) -> String {
    let shown: Vec<&str> = items.iter().take(max).map(String::as_str).collect();
    let more = items.len().saturating_sub(max);
    if more > 0 {
        format!("{} … (+{more})", shown.join(", "))
    } else {
        shown.join(", ")
    }
}

fn sdks_of<'a>(r: &'a PackageReport, category: &str) -> Vec<&'a SdkMatch> {
    r.sdks.iter().filter(|s| s.category == category).collect()
}

fn describe_sdks(sdks: &[&SdkMatch]) -> String {
    sdks.iter()
        .map(|s| {
            format!(
                "{} [{}]",
                s.name,
                s.evidence.first().map(String::as_str).unwrap_or("")
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn has_permission(r: &PackageReport, name: &str) -> bool {
    r.permissions.iter().any(|p| p.name == name)
}

/// Whether a rule id has an implementation here.
pub fn implemented(rule: &str) -> bool {
    evaluate_known(rule, &crate::package::report::PackageReport::empty()).is_some()
}

/// Evaluates one rule; `None` when the facts give nothing to suggest (or the rule is unknown).
pub fn evaluate(rule: &str, r: &PackageReport) -> Option<Outcome> {
    evaluate_known(rule, r).flatten()
}

/// Outer `None`: no such rule. Inner `None`: nothing to suggest for this package.
fn evaluate_known(rule: &str, r: &PackageReport) -> Option<Option<Outcome>> {
    Some(match rule {
        "install-packages-permission" => install_packages(r),
        "blank-label" => blank_label(r),
        "transparent-icon" => transparent_icon(r),
        "hidden-launcher" => hidden_launcher(r),
        "overlay-permission" => overlay(r),
        "ad-sdk" => sdk_presence(r, "advertising", "广告SDK", "advertising SDKs"),
        "payment-sdk" => sdk_presence(r, "payment", "支付SDK", "payment SDKs"),
        "autostart-receiver" => autostart(r),
        "wakeup-sdk" => wakeup(r),
        "package-identity" => package_identity(r),
        "hot-update" => hot_update(r),
        "package-visibility" => package_visibility(r),
        "device-identifier-access" => device_identifiers(r),
        "sensitive-permissions" => sensitive_permissions(r),
        "background-location" => background_location(r),
        "legacy-target-sdk" => legacy_target(r),
        "privacy-policy-bundled" => privacy_documents(r),
        "sdk-inventory" => sdk_inventory(r),
        "debuggable" => debuggable(r),
        "allow-backup" => allow_backup(r),
        "cleartext-traffic" => cleartext(r),
        "exported-components" => exported(r),
        "signature-scheme" => signature_scheme(r),
        "debug-certificate" => debug_certificate(r),
        "certificate-validity" => certificate_validity(r, chrono::Utc::now()),
        _ => return None,
    })
}

fn install_packages(r: &PackageReport) -> Option<Outcome> {
    if r.flags.request_install_packages {
        outcome(
            Status::NotChecked,
            "清单文件声明 android.permission.REQUEST_INSTALL_PACKAGES：APP可以请求系统安装其他安装包（系统仍会显示安装确认界面）；该权限不涉及下载本身。需动态核查是否存在未经用户确认的下载或安装。".into(),
            "The manifest declares android.permission.REQUEST_INSTALL_PACKAGES: the App may ask the system to install other packages (Android still shows its own install confirmation); the permission does not govern downloading. Check dynamically that nothing is downloaded or installed without the user's confirmation.".into(),
        )
    } else if r.target_sdk.is_some_and(|t| t >= 26) {
        outcome(
            Status::Compliant,
            format!(
                "未声明 REQUEST_INSTALL_PACKAGES，targetSdkVersion 为 {}：系统不允许APP发起安装其他安装包。下载行为不受该权限约束，仍需动态核查。",
                r.target_sdk.unwrap_or(0)
            ),
            format!(
                "REQUEST_INSTALL_PACKAGES is not declared and targetSdkVersion is {}: Android does not let the App start installing other packages. Downloads are not governed by this permission and still need dynamic testing.",
                r.target_sdk.unwrap_or(0)
            ),
        )
    } else {
        None
    }
}

/// Characters that render as nothing.
fn is_invisible(c: char) -> bool {
    c.is_whitespace()
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{3164}' | '\u{115F}' | '\u{1160}' | '\u{00AD}')
}

fn blank_label(r: &PackageReport) -> Option<Outcome> {
    let labels: Vec<&str> = std::iter::once(r.label.as_str())
        .chain(r.label_zh.as_deref())
        .collect();
    match labels.iter().find(|l| l.chars().all(is_invisible)) {
        Some(l) => outcome(
            Status::NonCompliant,
            format!(
                "应用名称为空或仅含不可见字符（{:?}，来自清单 application@label 及 resources.arsc）。",
                l
            ),
            format!(
                "The App label is empty or made of invisible characters ({l:?}, from application@label and resources.arsc)."
            ),
        ),
        None => outcome(
            Status::Compliant,
            format!(
                "应用名称：{}{}",
                r.label,
                r.label_zh
                    .as_ref()
                    .map(|z| format!("（中文：{z}）"))
                    .unwrap_or_default()
            ),
            format!(
                "App label: {}{}",
                r.label,
                r.label_zh
                    .as_ref()
                    .map(|z| format!(" (Chinese: {z})"))
                    .unwrap_or_default()
            ),
        ),
    }
}

fn transparent_icon(r: &PackageReport) -> Option<Outcome> {
    let icon = r.icon.as_ref()?;
    let pct = icon.transparent_share * 100.0;
    if icon.transparent_share > 0.9 {
        outcome(
            Status::NonCompliant,
            format!(
                "启动图标 {}（{}×{}）有 {pct:.0}% 的像素透明，图标几乎不可见。",
                icon.path, icon.width, icon.height
            ),
            format!(
                "The launcher icon {} ({}×{}) is {pct:.0}% transparent pixels: it is all but invisible.",
                icon.path, icon.width, icon.height
            ),
        )
    } else {
        outcome(
            Status::Compliant,
            format!(
                "启动图标 {}（{}×{}），透明像素占 {pct:.0}%。",
                icon.path, icon.width, icon.height
            ),
            format!(
                "Launcher icon {} ({}×{}), {pct:.0}% transparent pixels.",
                icon.path, icon.width, icon.height
            ),
        )
    }
}

fn hidden_launcher(r: &PackageReport) -> Option<Outcome> {
    if r.flags.has_launcher {
        let launcher = r
            .components
            .iter()
            .find(|c| {
                c.enabled
                    && c.intent_filters.iter().any(|f| {
                        f.actions.iter().any(|a| a == "android.intent.action.MAIN")
                            && f.categories.iter().any(|k| k.ends_with(".LAUNCHER"))
                    })
            })
            .map(|c| c.name.clone())
            .unwrap_or_default();
        // An entry in the manifest does not prove the icon stays: Apps hide it at run time
        // (setComponentEnabledSetting, activity-alias). A hint for the phone, not a verdict.
        outcome(
            Status::NotChecked,
            format!(
                "清单文件中存在启用的启动入口：{launcher}（MAIN/LAUNCHER）。运行时仍可能隐藏图标，需在手机上核查安装和使用后图标是否始终可见。"
            ),
            format!(
                "The manifest has an enabled launcher entry: {launcher} (MAIN/LAUNCHER). The icon can still be hidden at run time: check on the phone that it stays visible after installation and use."
            ),
        )
    } else {
        outcome(
            Status::NotChecked,
            "清单文件中没有启用的 MAIN/LAUNCHER 启动入口：安装后桌面可能不显示图标（也可能是插件、输入法等无需图标的应用）。需在手机上核查用户能否发现和卸载。".into(),
            "The manifest has no enabled MAIN/LAUNCHER entry: there may be no icon after installation (or it may be a plug-in, keyboard or similar App that needs none). Check on the phone whether users can find and uninstall it.".into(),
        )
    }
}

fn overlay(r: &PackageReport) -> Option<Outcome> {
    r.flags.system_alert_window.then(|| Outcome {
        status: Status::NotChecked,
        evidence: Text::new(
            "声明 android.permission.SYSTEM_ALERT_WINDOW：APP可在其他应用上层显示悬浮窗。需核查弹窗频次和关闭方式。",
            "Declares android.permission.SYSTEM_ALERT_WINDOW: the App can draw windows over other Apps. Check how often pop-ups appear and how they close.",
        ),
    })
}

fn sdk_presence(r: &PackageReport, category: &str, zh: &str, en: &str) -> Option<Outcome> {
    let found = sdks_of(r, category);
    if found.is_empty() {
        return None;
    }
    let names = describe_sdks(&found);
    outcome(
        Status::NotChecked,
        format!("安装包集成{zh}：{names}。需结合截图或动态检测核查。"),
        format!("The package embeds {en}: {names}. Check with screenshots or dynamic testing."),
    )
}

fn autostart(r: &PackageReport) -> Option<Outcome> {
    if r.auto_start.is_empty() {
        // Receivers can also be registered in code: the manifest alone cannot clear the App.
        return outcome(
            Status::NotChecked,
            "清单文件中没有监听开机、网络变化、应用安装等系统广播的组件（代码中动态注册的接收器不在清单中，需动态核查）。".into(),
            "No component in the manifest listens for boot, connectivity, package or similar system broadcasts (receivers registered in code are not in the manifest: check dynamically).".into(),
        );
    }
    let items: Vec<String> = r
        .auto_start
        .iter()
        .map(|a| {
            let actions: Vec<&str> = a
                .actions
                .iter()
                .map(|x| x.rsplit('.').next().unwrap_or(x))
                .collect();
            format!("{} {} ({})", a.kind, a.component, actions.join(", "))
        })
        .collect();
    let list = list(&items, 6);
    // A receiver is a capability, not a breach: measure 6 forbids self-start only where the
    // service does not need it. And on recent Android many of these broadcasts never arrive.
    let undelivered = undelivered_note(r);
    outcome(
        Status::NotChecked,
        format!(
            "清单文件注册了可自启动的组件：{list}。这是能力而非结论：需动态核查是否实际自启动，以及是否为服务所必需或有合理场景。{}",
            undelivered.zh
        ),
        format!(
            "The manifest registers components that can start the App by themselves: {list}. This is a capability, not a finding: check dynamically whether the App does start itself, and whether the service needs it or the scenario is reasonable.{}",
            undelivered.en
        ),
    )
}

/// Which of the App's manifest broadcasts Android never delivers at its target API level.
fn undelivered_note(r: &PackageReport) -> Text {
    let target = r.target_sdk.unwrap_or(0);
    let listens = |suffix: &str| {
        r.auto_start
            .iter()
            .any(|a| a.actions.iter().any(|x| x.ends_with(suffix)))
    };
    let mut zh = String::new();
    let mut en = String::new();
    if target >= 24 && listens("CONNECTIVITY_CHANGE") {
        zh.push_str("targetSdkVersion ≥ 24：清单中注册的 CONNECTIVITY_CHANGE 接收器不会收到广播。");
        en.push_str(" At targetSdkVersion ≥ 24 a manifest receiver for CONNECTIVITY_CHANGE is never called.");
    }
    if target >= 26 && (listens("PACKAGE_ADDED") || listens("PACKAGE_REPLACED") || listens("PACKAGE_REMOVED"))
    {
        zh.push_str("targetSdkVersion ≥ 26：清单中注册的大多数隐式 PACKAGE_* 广播接收器不会收到广播。");
        en.push_str(
            " At targetSdkVersion ≥ 26 most implicit PACKAGE_* broadcasts never reach manifest receivers.",
        );
    }
    Text { zh, en }
}

/// Push channels of phone makers: they deliver to their own devices and do not wake other Apps
/// the way third-party push SDKs may.
fn vendor_push(s: &SdkMatch) -> bool {
    let id = s.id.to_ascii_lowercase();
    [
        "mipush", "xiaomi", "huawei", "honor", "oppo", "heytap", "vivo", "meizu", "flyme",
    ]
    .iter()
    .any(|v| id.contains(v))
}

fn wakeup(r: &PackageReport) -> Option<Outcome> {
    let push = sdks_of(r, "push");
    let (vendor, third): (Vec<&SdkMatch>, Vec<&SdkMatch>) = push.into_iter().partition(|s| vendor_push(s));
    if third.is_empty() && vendor.is_empty() {
        return None;
    }
    let vendor_zh = if vendor.is_empty() {
        String::new()
    } else {
        format!(
            "手机厂商推送通道：{}（通过厂商系统通道送达，一般不唤醒其他APP）。",
            describe_sdks(&vendor)
        )
    };
    let vendor_en = if vendor.is_empty() {
        String::new()
    } else {
        format!(
            " Phone makers' push channels: {} (delivered through the maker's system channel; they do not usually wake other Apps).",
            describe_sdks(&vendor)
        )
    };
    if third.is_empty() {
        return outcome(
            Status::NotChecked,
            format!("未发现第三方推送SDK。{vendor_zh}"),
            format!("No third-party push SDK found.{vendor_en}"),
        );
    }
    outcome(
        Status::NotChecked,
        format!(
            "集成第三方推送SDK：{}（此类SDK可能相互唤醒、关联启动其他APP，需动态核查）。{vendor_zh}",
            describe_sdks(&third)
        ),
        format!(
            "Embeds third-party push SDKs: {} (such SDKs may wake up or start other Apps: check dynamically).{vendor_en}",
            describe_sdks(&third)
        ),
    )
}

/// The package's identity, to set against what a recommendation page shows.
fn package_identity(r: &PackageReport) -> Option<Outcome> {
    if r.package.is_empty() {
        return None;
    }
    let name = r.label_zh.clone().unwrap_or_else(|| r.label.clone());
    let version = r.version_name.clone().unwrap_or_default();
    let code = r.version_code.map(|c| c.to_string()).unwrap_or_default();
    let signer = signer(r)
        .map(|c| format!("{} (SHA-256 {})", c.subject, crate::i18n::prefix(&c.sha256, 16)))
        .unwrap_or_else(|| "—".into());
    outcome(
        Status::NotChecked,
        format!(
            "安装包身份：名称“{name}”，包名 {}，版本 {version}（{code}），签名者 {signer}。请与推荐下载页展示的名称、开发运营者、版本和权限逐项比对。",
            r.package
        ),
        format!(
            "Package identity: name “{name}”, package {}, version {version} ({code}), signer {signer}. Compare each with the name, developer/operator, version and permissions the recommendation page shows.",
            r.package
        ),
    )
}

fn hot_update(r: &PackageReport) -> Option<Outcome> {
    if r.hot_update.is_empty() {
        return None;
    }
    let names = r
        .hot_update
        .iter()
        .map(|s| {
            format!(
                "{} [{}]",
                s.name,
                s.evidence.first().map(String::as_str).unwrap_or("")
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    outcome(
        Status::NotChecked,
        format!(
            "安装包集成热更新框架：{names}。可不经应用商店更新代码，需核查是否擅自变更功能、权限或收集范围。"
        ),
        format!(
            "The package embeds hot-update frameworks: {names}. Code can change without a store update; check that functions, permissions and collection have not changed without authorisation."
        ),
    )
}

fn package_visibility(r: &PackageReport) -> Option<Outcome> {
    r.flags.query_all_packages.then(|| Outcome {
        status: Status::NotChecked,
        evidence: Text::new(
            "声明 QUERY_ALL_PACKAGES 或在 <queries> 中按意图广泛查询：APP可读取已安装应用列表（个人信息）。需核查收集目的和频次。",
            "Declares QUERY_ALL_PACKAGES or broad <queries> intents: the App can read the installed-App list (personal information). Check why and how often it is collected.",
        ),
    })
}

fn device_identifiers(r: &PackageReport) -> Option<Outcome> {
    let reach: Vec<String> = [
        "android.permission.READ_PHONE_STATE",
        "android.permission.READ_PRIVILEGED_PHONE_STATE",
        "android.permission.LOCAL_MAC_ADDRESS",
        "android.permission.READ_PHONE_NUMBERS",
    ]
    .iter()
    .filter(|p| has_permission(r, p))
    .map(|p| p.to_string())
    .collect();
    if reach.is_empty() {
        return outcome(
            Status::Compliant,
            "未声明 READ_PHONE_STATE 等电话状态权限。Android 10 及以上，普通APP无法读取IMEI、序列号等不可变更标识；实际使用的是OAID、ANDROID_ID等标识，需动态核查其读取时机和目的。".into(),
            "No phone-state permission such as READ_PHONE_STATE is declared. On Android 10 and later ordinary Apps cannot read IMEI or serial numbers; the identifiers in use are OAID and ANDROID_ID: check dynamically when and why they are read.".into(),
        );
    }
    let list = reach.join(", ");
    outcome(
        Status::NotChecked,
        format!(
            "声明了电话状态相关权限：{list}。在 Android 9 及以下可据此读取IMEI、序列号等不可变更标识；Android 10 及以上普通APP已无法读取，实际使用的是OAID、ANDROID_ID。需动态核查读取了哪些标识、何时读取及其目的。"
        ),
        format!(
            "Declares phone-state permissions: {list}. On Android 9 and earlier they reach IMEI and serial numbers; on Android 10 and later ordinary Apps cannot read those, and OAID and ANDROID_ID are the identifiers in use. Check dynamically which identifiers are read, when and why."
        ),
    )
}

fn sensitive_permissions(r: &PackageReport) -> Option<Outcome> {
    let dangerous: Vec<_> = r
        .permissions
        .iter()
        .filter(|p| p.protection == "dangerous")
        .collect();
    if dangerous.is_empty() {
        return outcome(
            Status::Compliant,
            "安装包未声明任何危险权限，不涉及运行时权限申请。".into(),
            "The package declares no dangerous permission: no run-time permission is requested.".into(),
        );
    }
    let short = |name: &str| name.rsplit('.').next().unwrap_or(name).to_string();
    let zh: Vec<String> = dangerous
        .iter()
        .map(|p| {
            let implied = if p.declared { "" } else { "，隐式授予" };
            match &p.name_zh {
                Some(n) => format!("{}（{n}{implied}）", short(&p.name)),
                None => format!(
                    "{}{}",
                    short(&p.name),
                    if p.declared { "" } else { "（隐式授予）" }
                ),
            }
        })
        .collect();
    let en: Vec<String> = dangerous
        .iter()
        .map(|p| format!("{}{}", short(&p.name), if p.declared { "" } else { " (implied)" }))
        .collect();
    let n = dangerous.len();
    outcome(
        Status::NotChecked,
        format!(
            "安装包声明 {n} 项危险权限：{}。需逐项核查申请时机、目的告知与必要性。",
            list(&zh, 20)
        ),
        format!(
            "The package declares {n} dangerous permissions: {}. Check each one's timing, stated purpose and necessity.",
            list(&en, 20)
        ),
    )
}

fn background_location(r: &PackageReport) -> Option<Outcome> {
    has_permission(r, "android.permission.ACCESS_BACKGROUND_LOCATION").then(|| Outcome {
        status: Status::NotChecked,
        evidence: Text::new(
            "声明 ACCESS_BACKGROUND_LOCATION：APP可在后台持续获取位置（行踪轨迹属敏感个人信息）。需核查必要性和单独同意。",
            "Declares ACCESS_BACKGROUND_LOCATION: the App can track location in the background (movements are sensitive personal information). Check necessity and separate consent.",
        ),
    })
}

fn legacy_target(r: &PackageReport) -> Option<Outcome> {
    let target = r.target_sdk?;
    if target < 23 {
        outcome(
            Status::NonCompliant,
            format!(
                "targetSdkVersion 为 {target}（低于23）：Android 在安装时一次性授予全部权限，APP无法在业务功能启动时动态申请。"
            ),
            format!(
                "targetSdkVersion is {target} (below 23): Android grants every permission at install, so the App cannot request them when each function starts."
            ),
        )
    } else {
        outcome(
            Status::NotChecked,
            format!("targetSdkVersion 为 {target}：支持运行时权限申请；申请时机需结合录屏核查。"),
            format!(
                "targetSdkVersion is {target}: run-time permission requests are supported; check their timing with recordings."
            ),
        )
    }
}

fn privacy_documents(r: &PackageReport) -> Option<Outcome> {
    if r.privacy_documents.is_empty() {
        outcome(
            Status::NotChecked,
            "安装包内未发现隐私政策或用户协议文档（可能以网页形式提供）：需核查首次运行时的提示。".into(),
            "No privacy policy or user agreement document was found in the package (it may be served as a web page): check the first-run prompt.".into(),
        )
    } else {
        let list = list(&r.privacy_documents, 5);
        outcome(
            Status::NotChecked,
            format!("安装包内附带隐私政策或协议文档：{list}。需核查其内容与首次运行时展示的一致。"),
            format!(
                "Privacy or agreement documents shipped in the package: {list}. Check they match what the App shows on first run."
            ),
        )
    }
}

fn sdk_inventory(r: &PackageReport) -> Option<Outcome> {
    let third_party: Vec<&SdkMatch> = r
        .sdks
        .iter()
        .chain(r.hot_update.iter())
        .filter(|s| s.category != "library")
        .collect();
    if third_party.is_empty() {
        return outcome(
            Status::NotChecked,
            format!(
                "在 {} 个类中未识别出已知的第三方SDK。需核查APP的第三方SDK清单。",
                r.dex.class_count
            ),
            format!(
                "No known third-party SDK was recognised among {} classes. Check the App's third-party SDK list.",
                r.dex.class_count
            ),
        );
    }
    let names = describe_sdks(&third_party);
    outcome(
        Status::NotChecked,
        format!(
            "安装包内识别出 {} 个第三方SDK：{names}。需与APP公示的第三方SDK清单逐一比对。",
            third_party.len()
        ),
        format!(
            "{} third-party SDKs were recognised in the package: {names}. Compare them one by one with the SDK list the App publishes.",
            third_party.len()
        ),
    )
}

fn debuggable(r: &PackageReport) -> Option<Outcome> {
    if r.flags.debuggable {
        outcome(
            Status::NonCompliant,
            "清单文件 application@android:debuggable=\"true\"：正式版本可被调试，数据和代码可被读取。".into(),
            "application@android:debuggable=\"true\" in the manifest: the release build can be debugged and its data and code read.".into(),
        )
    } else {
        outcome(
            Status::Compliant,
            "清单文件未开启调试（android:debuggable 未设置为 true）。".into(),
            "Debugging is off (android:debuggable is not true).".into(),
        )
    }
}

fn allow_backup(r: &PackageReport) -> Option<Outcome> {
    if r.flags.allow_backup {
        outcome(
            Status::Partial,
            "android:allowBackup 未关闭：应用数据（可能含个人信息）可经 adb 备份导出。".into(),
            "android:allowBackup is not disabled: App data (possibly personal information) can be exported by adb backup.".into(),
        )
    } else {
        outcome(
            Status::Compliant,
            "android:allowBackup=\"false\"：应用数据不参与系统备份。".into(),
            "android:allowBackup=\"false\": App data is kept out of system backups.".into(),
        )
    }
}

fn cleartext(r: &PackageReport) -> Option<Outcome> {
    if !r.flags.cleartext_traffic {
        return outcome(
            Status::Compliant,
            "不允许明文HTTP通信（usesCleartextTraffic 为 false 或 targetSdkVersion ≥ 28 的默认值）。".into(),
            "Cleartext HTTP is not allowed (usesCleartextTraffic false, or the default for targetSdkVersion ≥ 28).".into(),
        );
    }
    let nsc_zh = if r.flags.network_security_config {
        "；另有网络安全配置，可能按域名限制"
    } else {
        ""
    };
    let nsc_en = if r.flags.network_security_config {
        "; a network security config may restrict it per domain"
    } else {
        ""
    };
    outcome(
        Status::Partial,
        format!(
            "允许明文HTTP通信（usesCleartextTraffic 或 targetSdkVersion < 28 的默认值）{nsc_zh}。需抓包核查个人信息是否明文传输。"
        ),
        format!(
            "Cleartext HTTP is allowed (usesCleartextTraffic, or the default below targetSdkVersion 28){nsc_en}. Capture traffic to check no personal information travels in clear."
        ),
    )
}

fn exported(r: &PackageReport) -> Option<Outcome> {
    let open: Vec<String> = r
        .components
        .iter()
        .filter(|c| c.exported && c.enabled && c.permission.is_none())
        // The launcher activity must be exported: it is not a finding.
        .filter(|c| {
            !c.intent_filters.iter().any(|f| {
                f.actions.iter().any(|a| a == "android.intent.action.MAIN")
                    && f.categories.iter().any(|k| k.ends_with(".LAUNCHER"))
            })
        })
        .map(|c| format!("{} {}", c.kind, c.name))
        .collect();
    if open.is_empty() {
        return outcome(
            Status::Compliant,
            "除启动入口外，没有未受权限保护的导出组件。".into(),
            "Apart from the launcher, no exported component lacks permission protection.".into(),
        );
    }
    let list = list(&open, 8);
    outcome(
        Status::Partial,
        format!(
            "{} 个导出组件未受权限保护：{list}。需核查是否确有必要导出。",
            open.len()
        ),
        format!(
            "{} exported components have no permission protection: {list}. Check each really needs to be exported.",
            open.len()
        ),
    )
}

fn signature_scheme(r: &PackageReport) -> Option<Outcome> {
    let s = &r.signing;
    let present: Vec<&str> = [("v1", s.v1), ("v2", s.v2), ("v3", s.v3), ("v3.1", s.v31)]
        .iter()
        .filter(|(_, on)| *on)
        .map(|(n, _)| *n)
        .collect();
    let present = if present.is_empty() {
        "无".to_string()
    } else {
        present.join(", ")
    };
    if let Some(bad) = s.schemes.iter().find(|x| !x.verified) {
        let why = bad.problem.clone().unwrap_or_default();
        return outcome(
            Status::NonCompliant,
            format!("签名方案：{present}；{} 签名校验失败：{why}。", bad.scheme),
            format!(
                "Signing schemes: {present}; the {} signature does not verify: {why}.",
                bad.scheme
            ),
        );
    }
    if s.schemes.is_empty() {
        return outcome(
            Status::NonCompliant,
            "安装包未签名。".into(),
            "The package is not signed.".into(),
        );
    }
    if !s.notes.is_empty() || (s.v1 && !s.v2 && !s.v3) {
        let note = if s.notes.is_empty() {
            "仅有v1签名，在 Android 7.0 以下设备上存在 Janus 漏洞风险".to_string()
        } else {
            s.notes.join("; ")
        };
        let note_en = if s.notes.is_empty() {
            "v1 signature only: exposed to the Janus vulnerability on devices below Android 7.0".to_string()
        } else {
            s.notes.join("; ")
        };
        return outcome(
            Status::Partial,
            format!("签名方案：{present}，全部校验通过；但{note}。"),
            format!("Signing schemes: {present}, all verify; but {note_en}."),
        );
    }
    outcome(
        Status::Compliant,
        format!("签名方案：{present}，全部校验通过。"),
        format!("Signing schemes: {present}, all verify."),
    )
}

fn signer(r: &PackageReport) -> Option<&Certificate> {
    r.signing.certificates.first()
}

fn debug_certificate(r: &PackageReport) -> Option<Outcome> {
    let cert = signer(r)?;
    if let Some(debug) = r.signing.certificates.iter().find(|c| c.debug) {
        outcome(
            Status::NonCompliant,
            format!(
                "使用 Android 调试证书签名：{}（SHA-256 {}）。",
                debug.subject, debug.sha256
            ),
            format!(
                "Signed with the Android debug certificate: {} (SHA-256 {}).",
                debug.subject, debug.sha256
            ),
        )
    } else {
        outcome(
            Status::Compliant,
            format!(
                "签名证书：{}（SHA-256 {}），非调试证书。",
                cert.subject, cert.sha256
            ),
            format!(
                "Signing certificate: {} (SHA-256 {}), not a debug certificate.",
                cert.subject, cert.sha256
            ),
        )
    }
}

fn certificate_validity(r: &PackageReport, now: chrono::DateTime<chrono::Utc>) -> Option<Outcome> {
    signer(r)?;
    let mut problems_zh = Vec::new();
    let mut problems_en = Vec::new();
    for c in &r.signing.certificates {
        let parse = |t: &str| {
            chrono::DateTime::parse_from_rfc3339(t)
                .ok()
                .map(|d| d.with_timezone(&chrono::Utc))
        };
        if parse(&c.not_after).is_some_and(|t| t < now) {
            problems_zh.push(format!("{} 已于 {} 过期", c.subject, c.not_after));
            problems_en.push(format!("{} expired on {}", c.subject, c.not_after));
        }
        if parse(&c.not_before).is_some_and(|t| t > now) {
            problems_zh.push(format!("{} 自 {} 起才生效", c.subject, c.not_before));
            problems_en.push(format!("{} is valid only from {}", c.subject, c.not_before));
        }
        let alg = c.signature_algorithm.to_ascii_lowercase();
        if alg.starts_with("md5") || alg.starts_with("sha1") || alg.contains("-sha1") {
            problems_zh.push(format!("{} 使用弱签名算法 {}", c.subject, c.signature_algorithm));
            problems_en.push(format!(
                "{} uses the weak algorithm {}",
                c.subject, c.signature_algorithm
            ));
        }
        if let Some(bits) = c.key.strip_prefix("RSA ").and_then(|b| b.parse::<u32>().ok())
            && bits < 2048
        {
            problems_zh.push(format!("{} 使用 {bits} 位 RSA 密钥（低于2048位）", c.subject));
            problems_en.push(format!("{} uses a {bits}-bit RSA key (below 2048)", c.subject));
        }
    }
    if problems_zh.is_empty() {
        let c = signer(r)?;
        outcome(
            Status::Compliant,
            format!(
                "签名证书有效期 {} 至 {}，算法 {}，密钥 {}。",
                c.not_before, c.not_after, c.signature_algorithm, c.key
            ),
            format!(
                "The signing certificate is valid from {} to {}, algorithm {}, key {}.",
                c.not_before, c.not_after, c.signature_algorithm, c.key
            ),
        )
    } else {
        outcome(
            Status::Partial,
            format!("签名证书存在问题：{}。", problems_zh.join("；")),
            format!("Signing certificate problems: {}.", problems_en.join("; ")),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checklist::rules::AUTOMATIC_RULES;

    #[test]
    fn every_listed_rule_is_implemented() {
        for rule in AUTOMATIC_RULES {
            assert!(
                implemented(rule.id),
                "automatic rule {} has no implementation",
                rule.id
            );
        }
        assert!(!implemented("no-such-rule"));
    }

    #[test]
    fn blank_and_invisible_labels_are_caught() {
        let mut r = PackageReport::empty();
        for label in ["", "   ", "\u{200B}\u{200B}", "\u{3164}"] {
            r.label = label.into();
            assert_eq!(blank_label(&r).unwrap().status, Status::NonCompliant, "{label:?}");
        }
        r.label = "微信".into();
        assert_eq!(blank_label(&r).unwrap().status, Status::Compliant);
    }

    #[test]
    fn expired_and_weak_certificates_are_partial() {
        let mut r = PackageReport::empty();
        r.signing.certificates.push(Certificate {
            sha256: "00".into(),
            subject: "CN=x".into(),
            issuer: "CN=x".into(),
            serial: "01".into(),
            not_before: "2010-01-01T00:00:00Z".into(),
            not_after: "2020-01-01T00:00:00Z".into(),
            signature_algorithm: "sha1WithRSAEncryption".into(),
            key: "RSA 1024".into(),
            debug: false,
            schemes: vec!["v1".into()],
        });
        let now = chrono::DateTime::parse_from_rfc3339("2026-11-28T00:00:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        let o = certificate_validity(&r, now).unwrap();
        assert_eq!(o.status, Status::Partial);
        assert!(
            o.evidence.en.contains("expired")
                && o.evidence.en.contains("weak")
                && o.evidence.en.contains("1024")
        );
    }
}
