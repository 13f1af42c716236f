//! Facts from AndroidManifest.xml: identity, permissions, components, auto-start entries and the
//! switches that matter to the Notice.

use apk_info_axml::{ARSC, AXML};
use apk_info_xml::Element;

use super::report::{AppFlags, AutoStart, Component, IntentFilter};
use super::resources;

/// System broadcasts that let an App start itself without the user (自启动).
pub const AUTO_START_ACTIONS: &[&str] = &[
    "android.intent.action.BOOT_COMPLETED",
    "android.intent.action.LOCKED_BOOT_COMPLETED",
    "android.intent.action.QUICKBOOT_POWERON",
    "com.htc.intent.action.QUICKBOOT_POWERON",
    "android.intent.action.REBOOT",
    "android.intent.action.MY_PACKAGE_REPLACED",
    "android.intent.action.PACKAGE_ADDED",
    "android.intent.action.PACKAGE_REMOVED",
    "android.intent.action.PACKAGE_REPLACED",
    "android.intent.action.PACKAGE_CHANGED",
    "android.intent.action.USER_PRESENT",
    "android.intent.action.USER_UNLOCKED",
    "android.intent.action.SCREEN_ON",
    "android.intent.action.SCREEN_OFF",
    "android.net.conn.CONNECTIVITY_CHANGE",
    "android.net.wifi.WIFI_STATE_CHANGED",
    "android.net.wifi.STATE_CHANGE",
    "android.intent.action.ACTION_POWER_CONNECTED",
    "android.intent.action.ACTION_POWER_DISCONNECTED",
    "android.intent.action.BATTERY_CHANGED",
    "android.intent.action.BATTERY_LOW",
    "android.intent.action.BATTERY_OKAY",
    "android.intent.action.TIME_SET",
    "android.intent.action.TIMEZONE_CHANGED",
    "android.intent.action.DATE_CHANGED",
    "android.intent.action.MEDIA_MOUNTED",
    "android.intent.action.PHONE_STATE",
    "android.intent.action.NEW_OUTGOING_CALL",
    "android.provider.Telephony.SMS_RECEIVED",
    "android.intent.action.HEADSET_PLUG",
];

/// What the manifest says, before permissions are classified.
pub struct ManifestFacts {
    pub package: String,
    pub label: String,
    pub label_zh: Option<String>,
    pub icon_ref: Option<String>,
    pub version_code: Option<u64>,
    pub version_name: Option<String>,
    pub min_sdk: Option<u32>,
    pub target_sdk: Option<u32>,
    /// Declared `<uses-permission>` names, de-duplicated, in order of first appearance.
    pub permissions: Vec<String>,
    pub components: Vec<Component>,
    pub auto_start: Vec<AutoStart>,
    pub flags: AppFlags,
    /// `<queries>` entries that name intents rather than packages (broad package visibility).
    pub broad_queries: Vec<String>,
}

fn is_true(v: Option<&str>) -> Option<bool> {
    v.map(|v| matches!(v.trim(), "true" | "1" | "0xffffffff" | "-1"))
}

fn number(v: Option<&str>) -> Option<u64> {
    let v = v?.trim();
    match v.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16).ok(),
        None => v.parse().ok(),
    }
}

/// Turns `.Main` or `Main` into `com.example.Main`, as the platform does.
fn full_class_name(package: &str, name: &str) -> String {
    if let Some(rest) = name.strip_prefix('.') {
        format!("{package}.{rest}")
    } else if !name.contains('.') && !package.is_empty() {
        format!("{package}.{name}")
    } else {
        name.to_string()
    }
}

fn intent_filters(element: &Element) -> Vec<IntentFilter> {
    element
        .childrens()
        .filter(|c| c.name() == "intent-filter")
        .map(|f| {
            let pick = |tag: &str| -> Vec<String> {
                f.childrens()
                    .filter(|c| c.name() == tag)
                    .filter_map(|c| c.attr("name"))
                    .map(str::to_string)
                    .collect()
            };
            IntentFilter {
                actions: pick("action"),
                categories: pick("category"),
            }
        })
        .collect()
}

/// Reads the facts out of a parsed manifest.
pub fn facts(axml: &AXML, arsc: Option<&ARSC>) -> ManifestFacts {
    let root = &axml.root;
    let package = root.attr("package").unwrap_or_default().trim().to_string();
    let uses_sdk = root.childrens().find(|c| c.name() == "uses-sdk");
    let min_sdk = uses_sdk
        .and_then(|u| number(u.attr("minSdkVersion")))
        .and_then(|n| u32::try_from(n).ok());
    // Android's rule: without targetSdkVersion, the target is the minimum.
    let target_sdk = uses_sdk
        .and_then(|u| number(u.attr("targetSdkVersion")))
        .and_then(|n| u32::try_from(n).ok())
        .or(min_sdk);
    let application = root.childrens().find(|c| c.name() == "application");
    let label_attr = application.and_then(|a| a.attr("label")).unwrap_or_default();
    let (label, label_zh) = resources::label(arsc, label_attr);
    let label_zh = label_zh.filter(|zh| *zh != label);

    let mut permissions: Vec<String> = Vec::new();
    for p in root
        .childrens()
        .filter(|c| {
            matches!(
                c.name(),
                "uses-permission" | "uses-permission-sdk-23" | "uses-permission-sdk-m"
            )
        })
        .filter_map(|c| c.attr("name"))
    {
        let p = p.trim();
        if !p.is_empty() && !permissions.iter().any(|q| q == p) {
            permissions.push(p.to_string());
        }
    }

    let mut components = Vec::new();
    if let Some(app) = application {
        for el in app.childrens() {
            let kind = el.name();
            if !matches!(
                kind,
                "activity" | "activity-alias" | "service" | "receiver" | "provider"
            ) {
                continue;
            }
            let name = full_class_name(&package, el.attr("name").unwrap_or_default().trim());
            let filters = intent_filters(el);
            // Before Android 12 a component with an intent filter is exported unless it says not;
            // providers were exported by default up to API 16.
            let exported = is_true(el.attr("exported")).unwrap_or(match kind {
                "provider" => target_sdk.is_some_and(|t| t < 17),
                _ => !filters.is_empty(),
            });
            components.push(Component {
                kind: kind.to_string(),
                name,
                exported,
                enabled: is_true(el.attr("enabled")).unwrap_or(true),
                permission: el.attr("permission").map(str::to_string),
                intent_filters: filters,
            });
        }
    }

    let auto_start = components
        .iter()
        .filter(|c| c.kind == "receiver" || c.kind == "service")
        .filter_map(|c| {
            let actions: Vec<String> = c
                .intent_filters
                .iter()
                .flat_map(|f| f.actions.iter())
                .filter(|a| AUTO_START_ACTIONS.contains(&a.as_str()))
                .cloned()
                .collect();
            (!actions.is_empty() && c.enabled).then(|| AutoStart {
                component: c.name.clone(),
                kind: c.kind.clone(),
                actions,
            })
        })
        .collect();

    let has_launcher = components.iter().any(|c| {
        matches!(c.kind.as_str(), "activity" | "activity-alias")
            && c.enabled
            && c.intent_filters.iter().any(|f| {
                f.actions.iter().any(|a| a == "android.intent.action.MAIN")
                    && f.categories.iter().any(|k| {
                        k == "android.intent.category.LAUNCHER"
                            || k == "android.intent.category.LEANBACK_LAUNCHER"
                    })
            })
    });

    let broad_queries = root
        .childrens()
        .filter(|c| c.name() == "queries")
        .flat_map(|q| q.childrens())
        .filter(|c| c.name() == "intent")
        .flat_map(|i| {
            i.childrens()
                .filter(|c| c.name() == "action")
                .filter_map(|a| a.attr("name"))
        })
        .map(str::to_string)
        .collect();

    let app_attr = |name: &str| application.and_then(|a| a.attr(name));
    let has = |p: &str| permissions.iter().any(|q| q == p);
    let flags = AppFlags {
        debuggable: is_true(app_attr("debuggable")).unwrap_or(false),
        allow_backup: is_true(app_attr("allowBackup")).unwrap_or(true),
        cleartext_traffic: is_true(app_attr("usesCleartextTraffic"))
            .unwrap_or_else(|| target_sdk.is_none_or(|t| t < 28)),
        network_security_config: app_attr("networkSecurityConfig").is_some(),
        has_launcher,
        request_install_packages: has("android.permission.REQUEST_INSTALL_PACKAGES"),
        system_alert_window: has("android.permission.SYSTEM_ALERT_WINDOW"),
        query_all_packages: has("android.permission.QUERY_ALL_PACKAGES"),
    };

    ManifestFacts {
        package,
        label,
        label_zh,
        icon_ref: app_attr("icon").map(str::to_string),
        version_code: number(root.attr("versionCode")),
        version_name: root.attr("versionName").map(str::to_string),
        min_sdk,
        target_sdk,
        permissions,
        components,
        auto_start,
        flags,
        broad_queries,
    }
}
