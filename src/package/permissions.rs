//! Classifying permissions for inspectors, and the permissions Android grants implicitly.

use std::sync::OnceLock;

use serde::Deserialize;

use super::report::PermissionFact;
use crate::i18n::Text;

#[derive(Debug, Deserialize)]
struct Catalogue {
    permission: Vec<Entry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    name: String,
    protection: String,
    group: Option<String>,
    zh: String,
    pi_zh: Option<String>,
    pi_en: Option<String>,
}

fn catalogue() -> &'static [Entry] {
    static CATALOGUE: OnceLock<Vec<Entry>> = OnceLock::new();
    CATALOGUE.get_or_init(|| {
        // The file ships inside the binary and a test loads it, so a failure here is a build defect.
        toml::from_str::<Catalogue>(include_str!("../../assets/permissions.toml"))
            .map(|c| c.permission)
            .unwrap_or_default()
    })
}

/// Builds the classified list: declared permissions first (in manifest order), then the implied ones.
pub fn classify(declared: &[String], target_sdk: Option<u32>) -> Vec<PermissionFact> {
    let mut out: Vec<PermissionFact> = declared.iter().map(|p| fact(p, true, None)).collect();
    let has = |out: &[PermissionFact], name: &str| out.iter().any(|p| p.name == name);
    let target = target_sdk.unwrap_or(1);
    // aapt's rules (frameworks/base/tools/aapt/Command.cpp): very old targets get storage and
    // phone state for free; writing storage implies reading it; old contacts access implies call log.
    if target < 4 {
        for p in [
            "android.permission.WRITE_EXTERNAL_STORAGE",
            "android.permission.READ_PHONE_STATE",
        ] {
            if !has(&out, p) {
                out.push(fact(p, false, Some("targetSdkVersion < 4".into())));
            }
        }
    }
    if has(&out, "android.permission.WRITE_EXTERNAL_STORAGE")
        && !has(&out, "android.permission.READ_EXTERNAL_STORAGE")
    {
        out.push(fact(
            "android.permission.READ_EXTERNAL_STORAGE",
            false,
            Some("android.permission.WRITE_EXTERNAL_STORAGE".into()),
        ));
    }
    if target < 16 {
        for (from, to) in [
            (
                "android.permission.READ_CONTACTS",
                "android.permission.READ_CALL_LOG",
            ),
            (
                "android.permission.WRITE_CONTACTS",
                "android.permission.WRITE_CALL_LOG",
            ),
        ] {
            if has(&out, from) && !has(&out, to) {
                out.push(fact(to, false, Some(format!("targetSdkVersion < 16 and {from}"))));
            }
        }
    }
    out
}

fn fact(name: &str, declared: bool, implied_by: Option<String>) -> PermissionFact {
    let entry = catalogue().iter().find(|e| e.name == name);
    PermissionFact {
        name: name.to_string(),
        declared,
        implied_by,
        protection: entry.map_or_else(|| "unknown".to_string(), |e| e.protection.clone()),
        group: entry.and_then(|e| e.group.clone()),
        name_zh: entry.map(|e| e.zh.clone()),
        personal_info: entry.and_then(|e| match (&e.pi_zh, &e.pi_en) {
            (Some(zh), Some(en)) => Some(Text::new(zh, en)),
            _ => None,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_loads_and_every_entry_is_complete() {
        let c = catalogue();
        assert!(c.len() > 60, "{}", c.len());
        for e in c {
            assert!(e.name.contains('.'), "{}", e.name);
            assert!(!e.zh.is_empty());
            assert_eq!(
                e.pi_zh.is_some(),
                e.pi_en.is_some(),
                "{}: pi in one language only",
                e.name
            );
            if e.protection == "dangerous" {
                assert!(e.group.is_some(), "{} has no group", e.name);
            }
        }
    }

    #[test]
    fn old_targets_get_the_implied_permissions_aapt_reports() {
        let declared = vec![
            "android.permission.INTERNET".to_string(),
            "android.permission.READ_CONTACTS".into(),
        ];
        let all = classify(&declared, Some(3));
        let names: Vec<_> = all.iter().map(|p| (p.name.as_str(), p.declared)).collect();
        assert_eq!(
            names,
            [
                ("android.permission.INTERNET", true),
                ("android.permission.READ_CONTACTS", true),
                ("android.permission.WRITE_EXTERNAL_STORAGE", false),
                ("android.permission.READ_PHONE_STATE", false),
                ("android.permission.READ_EXTERNAL_STORAGE", false),
                ("android.permission.READ_CALL_LOG", false),
            ]
        );
        assert_eq!(classify(&declared, Some(30)).len(), 2);
        let phone = all.iter().find(|p| p.name.ends_with("READ_PHONE_STATE")).unwrap();
        assert_eq!(phone.protection, "dangerous");
        assert!(phone.personal_info.as_ref().unwrap().zh.contains("IMEI"));
    }
}
