//! Recognising embedded third-party SDKs from class names, native libraries and manifest
//! components, with the evidence that proves each one.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::report::SdkMatch;

/// One SDK of the catalogue.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SdkEntry {
    pub id: String,
    pub name: String,
    pub name_zh: String,
    pub vendor: String,
    pub category: String,
    #[serde(default)]
    pub classes: Vec<String>,
    #[serde(default)]
    pub native: Vec<String>,
    #[serde(default)]
    pub components: Vec<String>,
    /// The company that publishes the SDK and its rules, where the catalogue knows it.
    #[serde(default)]
    pub vendor_entity: String,
    /// Public address of the SDK's personal-information rules (measure 19), where known.
    #[serde(default)]
    pub pi_rules: String,
    pub source: String,
    /// Licence of the source the entry comes from.
    pub licence: String,
}

/// Code of a package the catalogue does not name: what an inspector still has to identify.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnnamedCode {
    /// The package's first three segments (`com.squareup.okhttp3`).
    pub package: String,
    pub classes: usize,
}

/// Namespaces of the platform and the languages' own libraries: never a third-party SDK.
const PLATFORM: &[&str] = &[
    "android.",
    "androidx.",
    "com.android.",
    "com.google.android.material.",
    "java.",
    "javax.",
    "dalvik.",
    "kotlin.",
    "kotlinx.",
    "org.intellij.",
    "org.jetbrains.",
    "org.json.",
    "org.w3c.",
    "org.xml.",
    "org.xmlpull.",
    "org.apache.http.",
    "junit.",
    "org.junit.",
    "sun.",
];

/// `class` lies in `package` (`com.a.b.C` in `com.a`, never in `com.ab`).
pub fn in_package(class: &str, package: &str) -> bool {
    !package.is_empty() && class.starts_with(package) && class.as_bytes().get(package.len()) == Some(&b'.')
}

/// The App's own code: its package, and (for an App whose code lives under its organisation's
/// name, `com.example.app` in `com.example.*`) the package's first two segments.
pub fn own_code(class: &str, app_package: &str) -> bool {
    let within = |prefix: &str| in_package(class, prefix);
    if within(app_package) {
        return true;
    }
    let mut parts = app_package.split('.');
    let (Some(top), Some(org)) = (parts.next(), parts.next()) else {
        return false;
    };
    // "com.zz" is too short a name to prove whose code it is.
    !top.is_empty() && org.len() > 2 && parts.next().is_some() && within(&format!("{top}.{org}"))
}

/// A package name short enough to show: the first three segments of the class's package.
pub fn code_package(class: &str) -> String {
    let segments: Vec<&str> = class.split('.').collect();
    let package = &segments[..segments.len().saturating_sub(1)];
    package.iter().take(3).copied().collect::<Vec<_>>().join(".")
}

/// Obfuscated packages (`a.b.c`) say nothing about whose code they are.
fn obfuscated(package: &str) -> bool {
    package.split('.').all(|s| s.len() <= 2)
}

#[derive(Deserialize)]
struct File {
    sdk: Vec<SdkEntry>,
}

/// The SDK catalogue with a prefix index.
pub struct Catalogue {
    pub entries: Vec<SdkEntry>,
    /// Class-name prefix (ending in `.`) or exact class name → entry index.
    classes: HashMap<String, usize>,
    components: HashMap<String, usize>,
}

impl Catalogue {
    /// Parses a catalogue file.
    pub fn parse(src: &str) -> Result<Self, toml::de::Error> {
        let file: File = toml::from_str(src)?;
        let mut classes = HashMap::new();
        let mut components = HashMap::new();
        for (i, e) in file.sdk.iter().enumerate() {
            for p in &e.classes {
                if p.ends_with('.') {
                    classes.entry(p.clone()).or_insert(i);
                } else {
                    // A prefix that is a class or package name without the dot: match it exactly
                    // and as a package.
                    classes.entry(p.clone()).or_insert(i);
                    classes.entry(format!("{p}.")).or_insert(i);
                }
            }
            for c in &e.components {
                components.entry(c.clone()).or_insert(i);
            }
        }
        Ok(Self {
            entries: file.sdk,
            classes,
            components,
        })
    }

    /// The catalogue shipped with the tool.
    pub fn builtin() -> &'static Catalogue {
        static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
        CATALOGUE.get_or_init(|| {
            // Shipped inside the binary and checked by a test; an empty catalogue would only
            // mean no SDK is recognised, never a crash.
            Catalogue::parse(include_str!("../../assets/sdk-catalogue.toml")).unwrap_or(Catalogue {
                entries: Vec::new(),
                classes: HashMap::new(),
                components: HashMap::new(),
            })
        })
    }

    /// The entry whose longest prefix covers `class`, with that prefix.
    fn match_class<'a>(&self, class: &'a str) -> Option<(usize, &'a str)> {
        if let Some(&i) = self.classes.get(class) {
            return Some((i, class));
        }
        // Nested classes: `Foo$Bar` belongs to `Foo`.
        let outer = class.split('$').next().unwrap_or(class);
        if let Some(&i) = self.classes.get(outer) {
            return Some((i, outer));
        }
        let mut end = outer.len();
        while let Some(dot) = outer.get(..end).and_then(|o| o.rfind('.')) {
            let Some(prefix) = outer.get(..=dot) else { break };
            if let Some(&i) = self.classes.get(prefix) {
                return Some((i, prefix));
            }
            end = dot;
        }
        None
    }

    /// The SDK a class belongs to (longest class prefix), if the catalogue knows one.
    pub fn owner_of(&self, class: &str) -> Option<&SdkEntry> {
        self.match_class(class).and_then(|(i, _)| self.entries.get(i))
    }

    /// Third-party code the catalogue names no SDK for, by package, most classes first: code
    /// outside the App's own package and the platform, obfuscated packages left out.
    pub fn unnamed_code(&self, classes: &[String], app_package: &str) -> Vec<UnnamedCode> {
        let mut counts: HashMap<String, usize> = HashMap::new();
        for class in classes {
            if PLATFORM.iter().any(|p| class.starts_with(p))
                || own_code(class, app_package)
                || self.match_class(class).is_some()
            {
                continue;
            }
            let package = code_package(class);
            if package.is_empty() || obfuscated(&package) {
                continue;
            }
            *counts.entry(package).or_default() += 1;
        }
        let mut out: Vec<UnnamedCode> = counts
            .into_iter()
            .map(|(package, classes)| UnnamedCode { package, classes })
            .collect();
        out.sort_by(|a, b| b.classes.cmp(&a.classes).then_with(|| a.package.cmp(&b.package)));
        out
    }

    /// Every SDK found, most evidence first.
    pub fn find(&self, classes: &[String], native_libs: &[String], components: &[&str]) -> Vec<SdkMatch> {
        #[derive(Default)]
        struct Hits<'a> {
            classes: usize,
            prefixes: Vec<&'a str>,
            examples: Vec<&'a str>,
            native: Vec<&'a str>,
            components: Vec<&'a str>,
        }
        let mut hits: HashMap<usize, Hits<'_>> = HashMap::new();
        // Classes of one package share their answer: look each package up once.
        let mut by_package: HashMap<&str, Option<(usize, &str)>> = HashMap::new();
        for class in classes {
            let package = class.rfind('.').and_then(|d| class.get(..d)).unwrap_or("");
            let found = if self.classes.contains_key(class.as_str()) || class.contains('$') {
                self.match_class(class)
            } else {
                *by_package
                    .entry(package)
                    .or_insert_with(|| self.match_class(class))
            };
            if let Some((i, prefix)) = found {
                let h = hits.entry(i).or_default();
                h.classes += 1;
                if !h.prefixes.contains(&prefix) {
                    h.prefixes.push(prefix);
                }
                if h.examples.len() < 3 && !class.contains('$') {
                    h.examples.push(class);
                }
            }
        }
        for lib in native_libs {
            let stem = lib.strip_suffix(".so").unwrap_or(lib);
            if let Some(i) = self
                .entries
                .iter()
                .position(|e| e.native.iter().any(|n| stem.starts_with(n.as_str())))
            {
                hits.entry(i).or_default().native.push(lib);
            }
        }
        for &c in components {
            let i = self
                .components
                .get(c)
                .copied()
                .or_else(|| self.match_class(c).map(|(i, _)| i));
            if let Some(i) = i {
                hits.entry(i).or_default().components.push(c);
            }
        }
        let mut out: Vec<(usize, SdkMatch)> = hits
            .into_iter()
            .map(|(i, h)| {
                let e = &self.entries[i];
                let mut evidence = Vec::new();
                if h.classes > 0 {
                    let prefixes: Vec<String> = h.prefixes.iter().map(|p| format!("{p}*")).collect();
                    evidence.push(format!(
                        "DEX: {} classes in {}{}",
                        h.classes,
                        prefixes.join(", "),
                        if h.examples.is_empty() {
                            String::new()
                        } else {
                            format!(" (e.g. {})", h.examples.join(", "))
                        }
                    ));
                }
                if !h.native.is_empty() {
                    evidence.push(format!("native libraries: {}", h.native.join(", ")));
                }
                if !h.components.is_empty() {
                    let shown: Vec<&str> = h.components.iter().take(3).copied().collect();
                    let more = h.components.len() - shown.len();
                    evidence.push(format!(
                        "manifest components: {}{}",
                        shown.join(", "),
                        if more > 0 {
                            format!(" and {more} more")
                        } else {
                            String::new()
                        }
                    ));
                }
                let weight = h.classes + 10 * (h.native.len() + h.components.len());
                (
                    weight,
                    SdkMatch {
                        id: e.id.clone(),
                        name: if e.name_zh != e.name {
                            format!("{} {}", e.name_zh, e.name)
                        } else {
                            e.name.clone()
                        },
                        vendor: e.vendor.clone(),
                        vendor_entity: (!e.vendor_entity.is_empty()).then(|| e.vendor_entity.clone()),
                        pi_rules: (!e.pi_rules.is_empty()).then(|| e.pi_rules.clone()),
                        category: e.category.clone(),
                        evidence,
                    },
                )
            })
            .collect();
        out.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.id.cmp(&b.1.id)));
        out.into_iter().map(|(_, m)| m).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_catalogue_loads_and_is_strong_on_chinese_sdks() {
        let c = Catalogue::parse(include_str!("../../assets/sdk-catalogue.toml")).unwrap();
        assert!(c.entries.len() > 500, "{}", c.entries.len());
        for id in [
            "jpush",
            "getui",
            "umeng-push",
            "mipush",
            "huawei-push",
            "oppo-push",
            "vivo-push",
            "umeng-analytics",
            "pangle",
            "gdt",
            "kuaishou-ads",
            "amap",
            "baidu-map",
            "bugly",
            "wechat-sdk",
            "alipay",
            "tinker",
            "sophix",
            "robust",
            "iflytek-speech",
            "dcloud-uniapp",
        ] {
            assert!(c.entries.iter().any(|e| e.id == id), "{id} missing");
        }
        let mut ids: Vec<_> = c.entries.iter().map(|e| &e.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), c.entries.len(), "duplicate SDK ids");
        // Issue 15: at least 400 SDKs common in China with the legal entity of a company there.
        let chinese = c
            .entries
            .iter()
            .filter(|e| {
                e.vendor_entity
                    .chars()
                    .any(|ch| ('\u{4e00}'..='\u{9fff}').contains(&ch))
            })
            .count();
        assert!(
            chinese >= 400,
            "{chinese} SDKs name a Chinese vendor's legal entity"
        );
        for e in &c.entries {
            assert!(
                !e.source.is_empty() && !e.licence.is_empty(),
                "{}: source and licence",
                e.id
            );
            assert!(
                e.pi_rules.is_empty()
                    || e.pi_rules.starts_with("https://")
                    || e.pi_rules.starts_with("http://"),
                "{}: {}",
                e.id,
                e.pi_rules
            );
        }
        let jpush = c.entries.iter().find(|e| e.id == "jpush").unwrap();
        assert_eq!(jpush.vendor_entity, "深圳市和讯华谷信息技术有限公司");
        let mipush = c.entries.iter().find(|e| e.id == "mipush").unwrap();
        assert!(
            mipush.pi_rules.starts_with("https://dev.mi.com/"),
            "{}",
            mipush.pi_rules
        );
    }

    #[test]
    fn a_sub_product_is_named_by_its_longer_prefix() {
        let c = Catalogue::builtin();
        for (class, id) in [
            ("com.tencent.bugly.beta.Beta", "tencent-bugly-beta"),
            ("com.tencent.bugly.crashreport.CrashReport", "bugly"),
            ("com.huawei.hms.ads.identifier.AdvertisingIdClient", "huawei-oaid"),
            ("com.huawei.hms.ads.banner.BannerView", "huawei-ads"),
            ("com.baidu.mobads.action.BaiduAction", "baidu-action"),
        ] {
            assert_eq!(c.owner_of(class).map(|e| e.id.as_str()), Some(id), "{class}");
        }
    }

    #[test]
    fn unnamed_code_leaves_out_the_app_the_platform_named_sdks_and_obfuscation() {
        let c = Catalogue::builtin();
        let classes: Vec<String> = [
            "com.example.shop.MainActivity",
            "com.example.pay.Wallet",
            "androidx.core.app.ActivityCompat",
            "com.tencent.bugly.crashreport.CrashReport",
            "com.acme.tracker.Beacon",
            "com.acme.tracker.Beacon$1",
            "com.acme.tracker.net.Upload",
            "a.b.c",
            "Default",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let unnamed = c.unnamed_code(&classes, "com.example.shop");
        assert_eq!(
            unnamed,
            vec![UnnamedCode {
                package: "com.acme.tracker".into(),
                classes: 3
            }]
        );
    }

    #[test]
    fn a_run_time_stack_frame_finds_its_sdk() {
        let c = Catalogue::builtin();
        for (class, id) in [
            ("com.iflytek.cloud.SpeechUtility", "iflytek-speech"),
            ("io.dcloud.PandoraEntry", "dcloud-uniapp"),
            ("com.igexin.push.core.a", "getui"),
        ] {
            assert_eq!(c.owner_of(class).map(|e| e.id.as_str()), Some(id), "{class}");
        }
        assert!(c.owner_of("com.example.shop.MainActivity").is_none());
    }

    #[test]
    fn longest_prefix_wins_and_evidence_names_the_classes() {
        let c = Catalogue::builtin();
        let classes: Vec<String> = [
            "com.huawei.hms.push.HmsMessageService",
            "com.huawei.hms.api.HuaweiApiClient",
            "com.tencent.bugly.crashreport.CrashReport",
            "com.tencent.bugly.crashreport.CrashReport$UserStrategy",
            "com.example.app.MainActivity",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let found = c.find(&classes, &["libBugly.so".into()], &[]);
        let ids: Vec<_> = found.iter().map(|m| m.id.as_str()).collect();
        assert!(
            ids.contains(&"huawei-push") && ids.contains(&"huawei-hms") && ids.contains(&"bugly"),
            "{ids:?}"
        );
        let bugly = found.iter().find(|m| m.id == "bugly").unwrap();
        assert!(
            bugly.evidence[0].contains("2 classes in com.tencent.bugly.*"),
            "{:?}",
            bugly.evidence
        );
        assert!(bugly.evidence[0].contains("com.tencent.bugly.crashreport.CrashReport"));
        assert!(bugly.evidence.iter().any(|e| e.contains("libBugly.so")));
    }
}
