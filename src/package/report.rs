//! The facts package analysis establishes: what `scan --json` prints and what a case stores.
//! Field names here are the stable JSON keys documented in README.

use serde::{Deserialize, Serialize};

/// Everything learnt from one App package.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PackageReport {
    /// `apk` today; `hap` and `ipa` later.
    pub format: String,
    pub file: FileFacts,
    pub package: String,
    /// The default label (as aapt's `application-label`).
    pub label: String,
    /// The Simplified-Chinese label, when the package has one that differs from the default.
    pub label_zh: Option<String>,
    pub version_code: Option<u64>,
    pub version_name: Option<String>,
    pub min_sdk: Option<u32>,
    pub target_sdk: Option<u32>,
    pub icon: Option<IconFacts>,
    pub permissions: Vec<PermissionFact>,
    pub components: Vec<Component>,
    pub auto_start: Vec<AutoStart>,
    pub flags: AppFlags,
    pub signing: Signing,
    pub dex: DexFacts,
    pub native_libs: Vec<String>,
    pub sdks: Vec<SdkMatch>,
    pub hot_update: Vec<SdkMatch>,
    /// Third-party code no catalogue entry names, by package: still to be identified.
    #[serde(default)]
    pub unnamed_code: Vec<super::sdk::UnnamedCode>,
    pub privacy_documents: Vec<String>,
    /// Parts of the package that could not be read; the rest of the report still stands.
    pub warnings: Vec<String>,
}

impl PackageReport {
    /// A report with no facts, for building one by hand (tests, synthetic cases).
    pub fn empty() -> Self {
        Self::default()
    }
}

/// The package file itself.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FileFacts {
    pub name: String,
    pub size: u64,
    pub sha256: String,
}

/// The launcher icon and how visible it is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IconFacts {
    /// Path of the image inside the package.
    pub path: String,
    pub width: u32,
    pub height: u32,
    /// Share of pixels that are (almost) fully transparent, 0.0–1.0.
    pub transparent_share: f64,
    /// A PNG of at most 128×128 for the window; kept in the case database, not in the JSON report.
    #[serde(skip)]
    pub preview_png: Option<Vec<u8>>,
}

/// One permission the App has, declared or granted implicitly.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PermissionFact {
    pub name: String,
    /// Declared with `<uses-permission>`; false when Android grants it implicitly.
    pub declared: bool,
    /// Why an undeclared permission is implied (old target SDK, or the permission that implies it).
    pub implied_by: Option<String>,
    /// `dangerous`, `normal`, `signature`, … (`unknown` for permissions not in the catalogue).
    pub protection: String,
    pub group: Option<String>,
    pub name_zh: Option<String>,
    /// The kind of personal information it reaches, in Chinese and English.
    pub personal_info: Option<crate::i18n::Text>,
}

/// A component declared in the manifest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Component {
    /// `activity`, `activity-alias`, `service`, `receiver` or `provider`.
    pub kind: String,
    pub name: String,
    /// Reachable from other Apps (explicitly, or implicitly through an intent filter before Android 12).
    pub exported: bool,
    pub enabled: bool,
    pub permission: Option<String>,
    pub intent_filters: Vec<IntentFilter>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IntentFilter {
    pub actions: Vec<String>,
    pub categories: Vec<String>,
}

/// A way the App can start itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AutoStart {
    pub component: String,
    pub kind: String,
    /// The system broadcasts it listens for.
    pub actions: Vec<String>,
}

/// Manifest switches that bear on the Notice.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AppFlags {
    pub debuggable: bool,
    /// `android:allowBackup`, true unless set to false.
    pub allow_backup: bool,
    /// Cleartext HTTP allowed: `usesCleartextTraffic`, or its default (true below target SDK 28).
    pub cleartext_traffic: bool,
    /// A network security config is present (it may restrict cleartext per domain).
    pub network_security_config: bool,
    pub has_launcher: bool,
    pub request_install_packages: bool,
    pub system_alert_window: bool,
    pub query_all_packages: bool,
}

/// APK signatures: which schemes are present, whether they verify, and the certificates.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Signing {
    pub v1: bool,
    pub v2: bool,
    pub v3: bool,
    /// v3.1 (rotation for newer platforms).
    pub v31: bool,
    /// Every present scheme verified over the package.
    pub verified: bool,
    /// Result per scheme.
    pub schemes: Vec<SchemeResult>,
    pub certificates: Vec<Certificate>,
    /// The v3 proof of rotation, verified: the App's signing certificates, oldest first, each
    /// authorised by the one before (empty when the package carries none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lineage: Vec<Certificate>,
    /// Problems that are not a broken signature, e.g. a scheme missing for the devices the App
    /// claims to support (apksigner refuses such a package).
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SchemeResult {
    /// `v1`, `v2`, `v3`, `v3.1`.
    pub scheme: String,
    pub verified: bool,
    /// What failed, when it did not verify.
    pub problem: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Certificate {
    /// SHA-256 of the DER certificate, lowercase hex.
    pub sha256: String,
    pub subject: String,
    pub issuer: String,
    pub serial: String,
    /// RFC 3339.
    pub not_before: String,
    pub not_after: String,
    /// e.g. `sha256WithRSAEncryption`.
    pub signature_algorithm: String,
    /// e.g. `RSA 2048`, `EC P-256`.
    pub key: String,
    /// The Android debug certificate (`CN=Android Debug`).
    pub debug: bool,
    /// Schemes that carry this certificate.
    pub schemes: Vec<String>,
}

/// Class lists read from the DEX files.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DexFacts {
    pub files: Vec<DexFile>,
    pub class_count: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DexFile {
    pub name: String,
    pub classes: usize,
}

/// A third-party SDK (or hot-update framework) found in the package.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SdkMatch {
    pub id: String,
    pub name: String,
    pub vendor: String,
    /// The publishing company (legal entity), where the catalogue knows it. Catalogue
    /// information to check against the SDK's current rules, never a finding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor_entity: Option<String>,
    /// Public address of the SDK's personal-information rules, where the catalogue knows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pi_rules: Option<String>,
    pub category: String,
    /// What proved it: classes, native libraries or components, with where they were found.
    pub evidence: Vec<String>,
}
