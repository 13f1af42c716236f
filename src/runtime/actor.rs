//! Who did it: the App itself or an embedded SDK, read from the call stack the tool recorded.
//!
//! The hooked call sits at the top of the stack (a framework method such as
//! `android.telephony.TelephonyManager.getDeviceId`), under it whatever called it. The actor is
//! the first frame past the framework whose class belongs to a known SDK (the catalogue's longest
//! class prefix) or to the App's own package. A third-party package the catalogue does not know
//! is named as such (its package), never guessed to be the App or an SDK.

use serde::{Deserialize, Serialize};

use crate::package::sdk::{Catalogue, code_package, in_package, own_code};

/// Who performed a behaviour.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Actor {
    /// The App's own code.
    App,
    /// A known SDK: its catalogue id and name (Chinese name first where it has one).
    Sdk { sdk_id: String, name: String },
    /// Code of a package the catalogue does not know (the package's first segments).
    ThirdParty { package: String },
    /// The stack names no code past the framework (or there is no stack).
    Unknown,
}

impl Actor {
    /// The keyword of its kind, as `case behaviours --json` gives it.
    pub fn kind(&self) -> &'static str {
        match self {
            Actor::App => "app",
            Actor::Sdk { .. } => "sdk",
            Actor::ThirdParty { .. } => "third-party",
            Actor::Unknown => "unknown",
        }
    }

    /// How a notice names it: "本App" / "友盟统计SDK（com.umeng…）".
    pub fn label(&self, lang: crate::i18n::Lang) -> String {
        use crate::i18n::Lang;
        match (self, lang) {
            (Actor::App, Lang::Zh) => "App本身".into(),
            (Actor::App, Lang::En) => "the App itself".into(),
            (Actor::Sdk { name, .. }, Lang::Zh) => format!("{name}（SDK）"),
            (Actor::Sdk { name, .. }, Lang::En) => format!("{name} (SDK)"),
            (Actor::ThirdParty { package }, Lang::Zh) => format!("未识别的第三方代码（{package}）"),
            (Actor::ThirdParty { package }, Lang::En) => format!("unidentified third-party code ({package})"),
            (Actor::Unknown, Lang::Zh) => "主体不明".into(),
            (Actor::Unknown, Lang::En) => "unknown".into(),
        }
    }
}

/// Packages of the platform, the language runtimes and the hooking tools: never the actor.
const FRAMEWORK: &[&str] = &[
    "android.",
    "androidx.",
    "com.android.",
    "java.",
    "javax.",
    "dalvik.",
    "libcore.",
    "sun.",
    "kotlin.",
    "kotlinx.",
    "org.apache.harmony.",
    "org.json.",
    "org.xmlpull.",
    "com.google.android.collect.",
    "de.robv.android.xposed.",
    "re.frida.",
    "com.lody.virtual.",
];

/// The class a stack frame runs in: `at com.a.B.m(B.java:12)` → `com.a.B`. `None` for lines that
/// are not frames (the exception's own line, "Native Method" continuations, blank lines).
pub fn frame_class(line: &str) -> Option<&str> {
    let line = line.trim();
    let line = line.strip_prefix("at ").unwrap_or(line).trim_start();
    let call = line.split('(').next()?.trim();
    // `java.lang.Throwable` alone (the stack's header) has no method: it has no '(' after it.
    if !line.contains('(') || call.contains(' ') || call.contains(':') {
        return None;
    }
    let (class, _method) = call.rsplit_once('.')?;
    if class.is_empty() {
        return None;
    }
    Some(class)
}

/// Attributes a behaviour from its stack (one frame per line, innermost first).
pub fn attribute(stack: &str, app_package: &str, catalogue: &Catalogue) -> Actor {
    let mut third_party = None;
    for class in stack.lines().filter_map(frame_class) {
        if FRAMEWORK.iter().any(|f| class.starts_with(f)) {
            continue;
        }
        // The App's own package first: an SDK maker's demo App lives inside the SDK's prefix.
        if in_package(class, app_package) {
            return Actor::App;
        }
        if let Some(sdk) = catalogue.owner_of(class) {
            return Actor::Sdk {
                sdk_id: sdk.id.clone(),
                name: if sdk.name_zh.is_empty() {
                    sdk.name.clone()
                } else {
                    sdk.name_zh.clone()
                },
            };
        }
        if own_code(class, app_package) {
            return Actor::App;
        }
        if third_party.is_none() {
            third_party = Some(code_package(class));
        }
    }
    match third_party {
        Some(package) if !package.is_empty() => Actor::ThirdParty { package },
        _ => Actor::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalogue() -> &'static Catalogue {
        Catalogue::builtin()
    }

    #[test]
    fn frames_are_read_as_the_tools_write_them() {
        assert_eq!(
            frame_class(
                "\tat com.umeng.commonsdk.statistics.common.DeviceConfig.getImei(DeviceConfig.java:120)"
            ),
            Some("com.umeng.commonsdk.statistics.common.DeviceConfig")
        );
        assert_eq!(
            frame_class("android.telephony.TelephonyManager.getDeviceId(Native Method)"),
            Some("android.telephony.TelephonyManager")
        );
        assert_eq!(frame_class("java.lang.Throwable"), None);
        assert_eq!(frame_class(""), None);
        assert_eq!(frame_class("   "), None);
    }

    #[test]
    fn the_first_known_frame_past_the_framework_names_the_actor() {
        let stack = "java.lang.Throwable\n\
            at android.telephony.TelephonyManager.getDeviceId(Native Method)\n\
            at com.umeng.commonsdk.statistics.common.DeviceConfig.getImei(DeviceConfig.java:120)\n\
            at com.example.shop.MainActivity.onCreate(MainActivity.java:30)\n\
            at android.app.Activity.performCreate(Activity.java:8000)";
        match attribute(stack, "com.example.shop", catalogue()) {
            Actor::Sdk { sdk_id, .. } => assert!(sdk_id.starts_with("umeng"), "{sdk_id}"),
            other => panic!("{other:?}"),
        }
        let own = "at android.content.ClipboardManager.getPrimaryClip(Native Method)\n\
            at com.example.shop.util.Paste.read(Paste.java:9)";
        assert_eq!(attribute(own, "com.example.shop", catalogue()), Actor::App);
        // The organisation's other packages are the App's too.
        let org = "at android.net.wifi.WifiInfo.getMacAddress(Native Method)\n\
            at com.example.common.Net.mac(Net.java:9)";
        assert_eq!(attribute(org, "com.example.shop", catalogue()), Actor::App);
    }

    #[test]
    fn unknown_code_is_named_and_no_stack_is_unknown() {
        let stack = "at android.telephony.TelephonyManager.getImei(Native Method)\n\
            at net.mystery.lib.a.b(Unknown Source:4)";
        assert_eq!(
            attribute(stack, "com.example.shop", catalogue()),
            Actor::ThirdParty {
                package: "net.mystery.lib".into()
            }
        );
        assert_eq!(attribute("", "com.example.shop", catalogue()), Actor::Unknown);
        // An SDK maker's demo App: its own package wins over the SDK's prefix it lives in.
        assert_eq!(
            attribute(
                "at android.content.ClipboardManager.getPrimaryClip(Native Method)\nat com.tencent.bugly.hotfix.Main.a(Main.java:1)",
                "com.tencent.bugly.hotfix",
                catalogue()
            ),
            Actor::App
        );
        // A public prefix shared with the App ("com.xx") is no proof of ownership.
        assert_ne!(
            attribute("at com.zz.other.A.b(A.java:1)", "com.zz.shop", catalogue()),
            Actor::App
        );
    }
}
