//! What in a package an inspector should look at first, in words (zh/en): debuggable builds,
//! backups, cleartext traffic, an old target SDK, components open to every App, debug or expired
//! signing certificates, and the permissions that reach furthest. Facts, not verdicts: the walker's
//! suggestions carry them to the test points.

use super::report::PackageReport;
use crate::i18n::Text;

/// One thing to look at, and whether it is serious enough to be shown as a warning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Concern {
    pub serious: bool,
    pub text: Text,
}

fn concern(serious: bool, zh: String, en: String) -> Concern {
    Concern {
        serious,
        text: Text { zh, en },
    }
}

/// The concerns of a package, serious ones first; `today` (YYYY-MM-DD) dates the certificates.
pub fn concerns(r: &PackageReport, today: &str) -> Vec<Concern> {
    let mut out = Vec::new();
    if r.flags.debuggable {
        out.push(concern(
            true,
            "android:debuggable 为 true：正式版本可被调试，数据和代码可被读取".into(),
            "android:debuggable is true: the release can be debugged, its data and code read".into(),
        ));
    }
    if let Some(t) = r.target_sdk.filter(|t| *t < 23) {
        out.push(concern(
            true,
            format!("targetSdkVersion 为 {t}（低于 23）：安装时一次性授予全部危险权限，无法按需动态申请"),
            format!("targetSdkVersion is {t} (below 23): every dangerous permission is granted at install, none asked for when needed"),
        ));
    }
    for c in &r.signing.certificates {
        if c.debug {
            out.push(concern(
                true,
                format!("签名证书为调试证书（{}）", c.subject),
                format!("signed with a debug certificate ({})", c.subject),
            ));
        }
        if !c.not_after.is_empty() && c.not_after.get(..10).is_some_and(|end| end < today) {
            out.push(concern(
                true,
                format!(
                    "签名证书已于 {} 过期",
                    c.not_after.get(..10).unwrap_or(&c.not_after)
                ),
                format!(
                    "the signing certificate expired on {}",
                    c.not_after.get(..10).unwrap_or(&c.not_after)
                ),
            ));
        }
    }
    if !r.signing.certificates.is_empty() && !r.signing.verified {
        out.push(concern(
            true,
            "签名校验未通过".into(),
            "the signature does not verify".into(),
        ));
    }
    let open: Vec<&str> = r
        .components
        .iter()
        .filter(|c| c.exported && c.enabled && c.permission.is_none())
        .map(|c| c.name.as_str())
        .collect();
    if !open.is_empty() {
        let shown: Vec<&str> = open.iter().take(5).copied().collect();
        let more = if open.len() > 5 {
            format!(" …（共 {} 个）", open.len())
        } else {
            String::new()
        };
        let more_en = if open.len() > 5 {
            format!(" … ({} in all)", open.len())
        } else {
            String::new()
        };
        out.push(concern(
            false,
            format!(
                "{} 个导出组件未受权限保护：{}{more}",
                open.len(),
                shown.join("、")
            ),
            format!(
                "{} exported components without a permission: {}{more_en}",
                open.len(),
                shown.join(", ")
            ),
        ));
    }
    if r.flags.allow_backup {
        out.push(concern(
            false,
            "android:allowBackup 未关闭：应用数据可经 adb 备份导出".into(),
            "android:allowBackup is not off: App data can be exported by adb backup".into(),
        ));
    }
    if r.flags.cleartext_traffic {
        out.push(concern(
            false,
            "允许明文 HTTP 通信（usesCleartextTraffic 或 targetSdkVersion < 28 的默认值）".into(),
            "cleartext HTTP is allowed (usesCleartextTraffic, or the default below targetSdkVersion 28)"
                .into(),
        ));
    }
    if r.signing.v1 && !r.signing.v2 && !r.signing.v3 {
        out.push(concern(
            false,
            "仅有 v1 签名：在 Android 7.0 以下设备上存在 Janus 漏洞风险".into(),
            "v1 signature only: exposed to the Janus flaw on devices below Android 7.0".into(),
        ));
    }
    for (on, zh, en) in [
        (
            r.flags.request_install_packages,
            "申请安装其他应用（REQUEST_INSTALL_PACKAGES）",
            "asks to install other Apps (REQUEST_INSTALL_PACKAGES)",
        ),
        (
            r.flags.system_alert_window,
            "申请悬浮窗（SYSTEM_ALERT_WINDOW）",
            "asks to draw over other Apps (SYSTEM_ALERT_WINDOW)",
        ),
        (
            r.flags.query_all_packages,
            "申请读取全部应用列表（QUERY_ALL_PACKAGES）",
            "asks to list every installed App (QUERY_ALL_PACKAGES)",
        ),
    ] {
        if on {
            out.push(concern(false, zh.into(), en.into()));
        }
    }
    if !r.hot_update.is_empty() {
        let names: Vec<&str> = r.hot_update.iter().map(|s| s.name.as_str()).collect();
        out.push(concern(
            false,
            format!("含热更新框架：{}（可绕过应用商店审核更新代码）", names.join("、")),
            format!(
                "hot-update frameworks: {} (code can change without a store review)",
                names.join(", ")
            ),
        ));
    }
    out.sort_by_key(|c| !c.serious);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::package::report::{AppFlags, Certificate, PackageReport};

    #[test]
    fn what_a_package_shows_is_said_and_serious_things_come_first() {
        let mut r = PackageReport::empty();
        assert!(concerns(&r, "2026-12-01").is_empty());
        r.flags = AppFlags {
            allow_backup: true,
            debuggable: true,
            ..AppFlags::default()
        };
        r.target_sdk = Some(22);
        r.signing.certificates.push(Certificate {
            not_after: "2020-01-01T00:00:00Z".into(),
            debug: true,
            subject: "CN=Android Debug".into(),
            ..Certificate::default()
        });
        r.signing.verified = true;
        let c = concerns(&r, "2026-12-01");
        let zh: Vec<&str> = c.iter().map(|c| c.text.zh.as_str()).collect();
        assert!(zh[0].contains("debuggable"), "{zh:?}");
        assert!(zh.iter().any(|t| t.contains("targetSdkVersion 为 22")));
        assert!(zh.iter().any(|t| t.contains("调试证书")));
        assert!(zh.iter().any(|t| t.contains("2020-01-01 过期")));
        assert!(!c.last().unwrap().serious);
        assert!(c.iter().take_while(|c| c.serious).count() >= 4);
    }
}
