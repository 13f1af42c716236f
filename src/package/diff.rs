//! What changed between two versions of an App: the facts a re-inspection compares (issue 16).
//! Pure: two [`PackageReport`]s in, a [`PackageDiff`] out; `case diff` prints it and the
//! re-inspection's suggestions state its facts.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::report::{AutoStart, PackageReport, PermissionFact, SdkMatch};
use crate::i18n::{Lang, Text};

/// A value in the earlier and the later version.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change<T> {
    pub from: T,
    pub to: T,
}

impl<T: PartialEq> Change<T> {
    pub fn changed(&self) -> bool {
        self.from != self.to
    }
}

/// What the later version has that the earlier had not, and the reverse.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Delta<T> {
    pub added: Vec<T>,
    pub removed: Vec<T>,
}

impl<T> Delta<T> {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty()
    }
}

impl<T> Default for Delta<T> {
    fn default() -> Self {
        Self {
            added: Vec::new(),
            removed: Vec::new(),
        }
    }
}

/// A version as the manifest states it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Version {
    pub name: Option<String>,
    pub code: Option<u64>,
}

/// A permission added or removed, with what it means for personal information.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PermissionChange {
    pub name: String,
    pub name_zh: Option<String>,
    pub protection: String,
    pub personal_info: Option<Text>,
}

impl From<&PermissionFact> for PermissionChange {
    fn from(p: &PermissionFact) -> Self {
        Self {
            name: p.name.clone(),
            name_zh: p.name_zh.clone(),
            protection: p.protection.clone(),
            personal_info: p.personal_info.clone(),
        }
    }
}

/// A component, as the diff names it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct ComponentRef {
    pub kind: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComponentsDiff {
    pub added: Vec<ComponentRef>,
    pub removed: Vec<ComponentRef>,
    /// Components reachable from other Apps in the later version and not in the earlier (new,
    /// or newly exported), and the reverse.
    pub exported_added: Vec<ComponentRef>,
    pub exported_removed: Vec<ComponentRef>,
}

/// An SDK, as the diff names it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SdkRef {
    pub id: String,
    pub name: String,
    pub vendor: String,
    pub category: String,
}

impl From<&SdkMatch> for SdkRef {
    fn from(s: &SdkMatch) -> Self {
        Self {
            id: s.id.clone(),
            name: s.name.clone(),
            vendor: s.vendor.clone(),
            category: s.category.clone(),
        }
    }
}

/// A signer certificate, as the diff names it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CertRef {
    pub sha256: String,
    pub subject: String,
}

/// A key rotation proven by the later version's lineage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rotation {
    /// The earlier version's certificate the lineage starts from (or passes through).
    pub from: CertRef,
    /// The certificate that signs the later version.
    pub to: CertRef,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SigningDiff {
    pub schemes: Change<Vec<String>>,
    pub verified: Change<bool>,
    pub certificates: Delta<CertRef>,
}

/// A manifest switch that changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FlagChange {
    /// The key in `scan --json`'s `flags`.
    pub flag: &'static str,
    pub from: bool,
    pub to: bool,
}

/// Everything that changed between two versions. JSON keys are README's (`case diff --json`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PackageDiff {
    pub package: Change<String>,
    pub sha256: Change<String>,
    pub version: Change<Version>,
    pub target_sdk: Change<Option<u32>>,
    pub min_sdk: Change<Option<u32>>,
    pub permissions: Delta<PermissionChange>,
    pub components: ComponentsDiff,
    pub auto_start: Delta<AutoStart>,
    pub sdks: Delta<SdkRef>,
    pub hot_update: Delta<SdkRef>,
    /// The later version is signed by none of the earlier version's certificates. Either the
    /// publisher rotated its key (Android proves that with a v3 lineage: see `rotation`) or
    /// another publisher signed it: the inspector must find out.
    pub signer_changed: bool,
    /// A changed signer the later version's verified v3 proof of rotation explains: its lineage
    /// runs from a certificate of the earlier version to the new signer.
    pub rotation: Option<Rotation>,
    pub signing: SigningDiff,
    pub flags: Vec<FlagChange>,
    pub privacy_documents: Delta<String>,
}

fn delta<T: Clone, K: Ord>(from: &[T], to: &[T], key: impl Fn(&T) -> K) -> Delta<T> {
    let before: BTreeSet<K> = from.iter().map(&key).collect();
    let after: BTreeSet<K> = to.iter().map(&key).collect();
    Delta {
        added: to.iter().filter(|t| !before.contains(&key(t))).cloned().collect(),
        removed: from
            .iter()
            .filter(|t| !after.contains(&key(t)))
            .cloned()
            .collect(),
    }
}

fn schemes(r: &PackageReport) -> Vec<String> {
    let s = &r.signing;
    [(s.v1, "v1"), (s.v2, "v2"), (s.v3, "v3"), (s.v31, "v3.1")]
        .into_iter()
        .filter(|(on, _)| *on)
        .map(|(_, name)| name.to_string())
        .collect()
}

/// The certificates that sign the package: those of its strongest scheme (v3.1, v3, v2, then
/// v1), as Android checks them at install.
/// The rotation that explains a changed signer: the later version's lineage holds a certificate
/// the earlier version was signed with (the newest such one), and ends with the later signer.
fn rotation(from: &PackageReport, to: &PackageReport, signers_to: &BTreeSet<String>) -> Option<Rotation> {
    let lineage = &to.signing.lineage;
    let last = lineage.last().filter(|c| signers_to.contains(&c.sha256))?;
    let earlier: BTreeSet<&str> = from
        .signing
        .certificates
        .iter()
        .map(|c| c.sha256.as_str())
        .collect();
    let old = lineage
        .iter()
        .rev()
        .skip(1)
        .find(|c| earlier.contains(c.sha256.as_str()))?;
    let r = |c: &crate::package::report::Certificate| CertRef {
        sha256: c.sha256.clone(),
        subject: c.subject.clone(),
    };
    Some(Rotation {
        from: r(old),
        to: r(last),
    })
}

fn signers(r: &PackageReport) -> BTreeSet<String> {
    for scheme in ["v3.1", "v3", "v2", "v1"] {
        let certs: BTreeSet<String> = r
            .signing
            .certificates
            .iter()
            .filter(|c| c.schemes.iter().any(|s| s == scheme))
            .map(|c| c.sha256.clone())
            .collect();
        if !certs.is_empty() {
            return certs;
        }
    }
    r.signing.certificates.iter().map(|c| c.sha256.clone()).collect()
}

fn flags(r: &PackageReport) -> BTreeMap<&'static str, bool> {
    let f = &r.flags;
    BTreeMap::from([
        ("debuggable", f.debuggable),
        ("allow_backup", f.allow_backup),
        ("cleartext_traffic", f.cleartext_traffic),
        ("network_security_config", f.network_security_config),
        ("has_launcher", f.has_launcher),
        ("request_install_packages", f.request_install_packages),
        ("system_alert_window", f.system_alert_window),
        ("query_all_packages", f.query_all_packages),
    ])
}

impl PackageDiff {
    /// What changed from `from` (the earlier version) to `to`.
    pub fn between(from: &PackageReport, to: &PackageReport) -> Self {
        let cref = |c: &super::report::Component| ComponentRef {
            kind: c.kind.clone(),
            name: c.name.clone(),
        };
        let comps = |r: &PackageReport, exported_only: bool| -> BTreeSet<ComponentRef> {
            r.components
                .iter()
                .filter(|c| !exported_only || c.exported)
                .map(cref)
                .collect()
        };
        let (all_from, all_to) = (comps(from, false), comps(to, false));
        let (exp_from, exp_to) = (comps(from, true), comps(to, true));
        let declared = |r: &PackageReport| -> Vec<PermissionFact> {
            r.permissions.iter().filter(|p| p.declared).cloned().collect()
        };
        let perms = delta(&declared(from), &declared(to), |p| p.name.clone());
        let sdk_refs = |list: &[SdkMatch]| -> Vec<SdkRef> { list.iter().map(SdkRef::from).collect() };
        let cert_refs = |r: &PackageReport| -> Vec<CertRef> {
            r.signing
                .certificates
                .iter()
                .map(|c| CertRef {
                    sha256: c.sha256.clone(),
                    subject: c.subject.clone(),
                })
                .collect()
        };
        let (signers_from, signers_to) = (signers(from), signers(to));
        let signer_changed =
            !signers_from.is_empty() && !signers_to.is_empty() && signers_from.is_disjoint(&signers_to);
        let (flags_from, flags_to) = (flags(from), flags(to));
        Self {
            package: Change {
                from: from.package.clone(),
                to: to.package.clone(),
            },
            sha256: Change {
                from: from.file.sha256.clone(),
                to: to.file.sha256.clone(),
            },
            version: Change {
                from: Version {
                    name: from.version_name.clone(),
                    code: from.version_code,
                },
                to: Version {
                    name: to.version_name.clone(),
                    code: to.version_code,
                },
            },
            target_sdk: Change {
                from: from.target_sdk,
                to: to.target_sdk,
            },
            min_sdk: Change {
                from: from.min_sdk,
                to: to.min_sdk,
            },
            permissions: Delta {
                added: perms.added.iter().map(PermissionChange::from).collect(),
                removed: perms.removed.iter().map(PermissionChange::from).collect(),
            },
            components: ComponentsDiff {
                added: all_to.difference(&all_from).cloned().collect(),
                removed: all_from.difference(&all_to).cloned().collect(),
                exported_added: exp_to.difference(&exp_from).cloned().collect(),
                exported_removed: exp_from.difference(&exp_to).cloned().collect(),
            },
            auto_start: delta(&from.auto_start, &to.auto_start, |a| {
                (a.component.clone(), a.actions.clone())
            }),
            sdks: delta(&sdk_refs(&from.sdks), &sdk_refs(&to.sdks), |s| s.id.clone()),
            hot_update: delta(&sdk_refs(&from.hot_update), &sdk_refs(&to.hot_update), |s| {
                s.id.clone()
            }),
            // Unsigned packages (no certificates on either side) prove nothing either way.
            signer_changed,
            rotation: signer_changed.then(|| rotation(from, to, &signers_to)).flatten(),
            signing: SigningDiff {
                schemes: Change {
                    from: schemes(from),
                    to: schemes(to),
                },
                verified: Change {
                    from: from.signing.verified,
                    to: to.signing.verified,
                },
                certificates: delta(&cert_refs(from), &cert_refs(to), |c| c.sha256.clone()),
            },
            flags: flags_from
                .iter()
                .filter_map(|(flag, before)| {
                    let after = *flags_to.get(flag)?;
                    (after != *before).then_some(FlagChange {
                        flag,
                        from: *before,
                        to: after,
                    })
                })
                .collect(),
            privacy_documents: delta(&from.privacy_documents, &to.privacy_documents, Clone::clone),
        }
    }

    /// Nothing an inspector compares changed (the files may still differ).
    pub fn is_empty(&self) -> bool {
        !self.package.changed()
            && !self.version.changed()
            && !self.target_sdk.changed()
            && !self.min_sdk.changed()
            && self.permissions.is_empty()
            && self.components.added.is_empty()
            && self.components.removed.is_empty()
            && self.components.exported_added.is_empty()
            && self.components.exported_removed.is_empty()
            && self.auto_start.is_empty()
            && self.sdks.is_empty()
            && self.hot_update.is_empty()
            && !self.signer_changed
            && self.signing.certificates.is_empty()
            && !self.signing.schemes.changed()
            && self.flags.is_empty()
            && self.privacy_documents.is_empty()
    }
}

impl PackageDiff {
    /// What a changed signer means, when the signer changed: said first wherever the diff is shown.
    /// A rotation the new version proves is stated as one; anything else is a warning.
    pub fn signer_warning(&self, lang: Lang) -> Option<String> {
        if !self.signer_changed {
            return None;
        }
        let name = |c: &CertRef| format!("{}（{}）", c.subject, crate::i18n::prefix(&c.sha256, 16));
        Some(match (&self.rotation, lang) {
            (Some(r), Lang::Zh) => format!(
                "签名密钥已轮换：新版本的 v3 轮换证明（已验证）显示，新证书 {} 由上一版本的证书 {} 授权——是同一发布者更换了密钥。",
                name(&r.to),
                name(&r.from)
            ),
            (Some(r), Lang::En) => format!(
                "The signing key was rotated: the new version's v3 proof of rotation (verified) shows the new certificate {} authorised by the earlier version's {} — the same publisher changed its key.",
                name(&r.to),
                name(&r.from)
            ),
            (None, _) => lang
                .pick(
                    "！签名者已变更：新版本不是由上一版本的任何证书签名的，也没有由上一版本的密钥授权的 v3 轮换证明。可能是开发者更换了密钥而未作轮换证明，也可能是另一发布者签名——请核实。",
                    "! The signer changed: the new version is signed by none of the earlier version's certificates, and carries no v3 proof of rotation from the earlier key. Either the publisher changed its key without one, or another publisher signed it — find out which.",
                )
                .to_string(),
        })
    }

    /// The changes as lines to read, most consequential first (a changed signer leads).
    pub fn lines(&self, lang: Lang) -> Vec<String> {
        let zh = lang == Lang::Zh;
        let pick = |z: &str, e: &str| if zh { z.to_string() } else { e.to_string() };
        let opt = |v: &Option<u32>| v.map_or("—".to_string(), |n| n.to_string());
        let mut out = Vec::new();
        if let Some(warning) = self.signer_warning(lang) {
            out.push(warning);
        }
        if self.package.changed() {
            out.push(format!(
                "{}: {} → {}",
                pick("包名", "Package"),
                self.package.from,
                self.package.to
            ));
        }
        let version = |v: &Version| {
            format!(
                "{} ({})",
                v.name.as_deref().unwrap_or("—"),
                v.code.map_or("—".to_string(), |c| c.to_string())
            )
        };
        out.push(format!(
            "{}: {} → {}",
            pick("版本", "Version"),
            version(&self.version.from),
            version(&self.version.to)
        ));
        if self.target_sdk.changed() {
            out.push(format!(
                "targetSdk: {} → {}",
                opt(&self.target_sdk.from),
                opt(&self.target_sdk.to)
            ));
        }
        if self.min_sdk.changed() {
            out.push(format!(
                "minSdk: {} → {}",
                opt(&self.min_sdk.from),
                opt(&self.min_sdk.to)
            ));
        }
        let perm = |p: &PermissionChange| {
            let meaning = p
                .personal_info
                .as_ref()
                .map(|t| format!("，{}", if zh { &t.zh } else { &t.en }))
                .unwrap_or_default();
            match (&p.name_zh, zh) {
                (Some(n), true) => format!("{}（{n}{meaning}）", p.name),
                _ => format!(
                    "{}{}",
                    p.name,
                    if meaning.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", meaning.trim_start_matches('，'))
                    }
                ),
            }
        };
        for (list, z, e) in [
            (&self.permissions.removed, "移除权限", "Permission removed"),
            (&self.permissions.added, "新增权限", "Permission added"),
        ] {
            for p in list {
                out.push(format!("{}: {}", pick(z, e), perm(p)));
            }
        }
        for (list, z, e) in [
            (&self.auto_start.removed, "移除自启动", "Auto-start removed"),
            (&self.auto_start.added, "新增自启动", "Auto-start added"),
        ] {
            for a in list {
                out.push(format!(
                    "{}: {} {} [{}]",
                    pick(z, e),
                    a.kind,
                    a.component,
                    a.actions.join(", ")
                ));
            }
        }
        for (list, z, e) in [
            (
                &self.components.exported_removed,
                "不再导出的组件",
                "No longer exported",
            ),
            (&self.components.exported_added, "新导出的组件", "Newly exported"),
            (&self.components.removed, "移除组件", "Component removed"),
            (&self.components.added, "新增组件", "Component added"),
        ] {
            for c in list {
                out.push(format!("{}: {} {}", pick(z, e), c.kind, c.name));
            }
        }
        for (list, z, e) in [
            (&self.sdks.removed, "移除SDK", "SDK removed"),
            (&self.sdks.added, "新增SDK", "SDK added"),
            (
                &self.hot_update.removed,
                "移除热更新框架",
                "Hot-update framework removed",
            ),
            (
                &self.hot_update.added,
                "新增热更新框架",
                "Hot-update framework added",
            ),
        ] {
            for s in list {
                let vendor = if s.vendor.is_empty() {
                    String::new()
                } else {
                    format!("（{}）", s.vendor)
                };
                out.push(format!("{}: {}{vendor}", pick(z, e), s.name));
            }
        }
        for f in &self.flags {
            out.push(format!("{}: {} → {}", f.flag, f.from, f.to));
        }
        if self.signing.schemes.changed() {
            out.push(format!(
                "{}: {} → {}",
                pick("签名方案", "Signature schemes"),
                self.signing.schemes.from.join("+"),
                self.signing.schemes.to.join("+")
            ));
        }
        for (list, z, e) in [
            (
                &self.signing.certificates.removed,
                "不再使用的证书",
                "Certificate gone",
            ),
            (&self.signing.certificates.added, "新证书", "New certificate"),
        ] {
            for c in list {
                out.push(format!("{}: {} {}", pick(z, e), c.sha256, c.subject));
            }
        }
        for (list, z, e) in [
            (
                &self.privacy_documents.removed,
                "移除隐私文档",
                "Privacy document removed",
            ),
            (
                &self.privacy_documents.added,
                "新增隐私文档",
                "Privacy document added",
            ),
        ] {
            for d in list {
                out.push(format!("{}: {d}", pick(z, e)));
            }
        }
        if self.is_empty() {
            out.push(pick(
                "检查所比较的事实均无变化。",
                "Nothing the inspection compares changed.",
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::package::report::{Certificate, Component, FileFacts};

    fn perm(name: &str) -> PermissionFact {
        PermissionFact {
            name: name.into(),
            declared: true,
            implied_by: None,
            protection: "dangerous".into(),
            group: None,
            name_zh: None,
            personal_info: None,
        }
    }

    fn report(sha: &str, cert: &str) -> PackageReport {
        let mut r = PackageReport::empty();
        r.package = "com.example.shop".into();
        r.file = FileFacts {
            name: "a.apk".into(),
            size: 1,
            sha256: sha.into(),
        };
        r.version_code = Some(1);
        r.target_sdk = Some(28);
        r.permissions = vec![
            perm("android.permission.READ_PHONE_STATE"),
            perm("android.permission.CAMERA"),
        ];
        r.components = vec![Component {
            kind: "receiver".into(),
            name: "com.example.shop.Boot".into(),
            exported: true,
            enabled: true,
            permission: None,
            intent_filters: Vec::new(),
        }];
        r.auto_start = vec![AutoStart {
            component: "com.example.shop.Boot".into(),
            kind: "receiver".into(),
            actions: vec!["android.intent.action.BOOT_COMPLETED".into()],
        }];
        r.signing.v2 = true;
        r.signing.certificates = vec![Certificate {
            sha256: cert.into(),
            schemes: vec!["v2".into()],
            ..Certificate::default()
        }];
        r
    }

    #[test]
    fn a_rectified_version_shows_what_went_and_what_came() {
        let before = report("aa", "c1");
        let mut after = report("bb", "c1");
        after.version_code = Some(2);
        after.target_sdk = Some(34);
        after
            .permissions
            .retain(|p| !p.name.ends_with("READ_PHONE_STATE"));
        after
            .permissions
            .push(perm("android.permission.POST_NOTIFICATIONS"));
        after.components.clear();
        after.auto_start.clear();
        after.flags.allow_backup = true;
        let d = PackageDiff::between(&before, &after);
        assert_eq!((d.target_sdk.from, d.target_sdk.to), (Some(28), Some(34)));
        assert_eq!(
            d.permissions.removed[0].name,
            "android.permission.READ_PHONE_STATE"
        );
        assert_eq!(
            d.permissions.added[0].name,
            "android.permission.POST_NOTIFICATIONS"
        );
        assert_eq!(d.components.exported_removed.len(), 1);
        assert_eq!(d.auto_start.removed.len(), 1);
        assert!(!d.signer_changed);
        assert_eq!(
            d.flags,
            vec![FlagChange {
                flag: "allow_backup",
                from: false,
                to: true
            }]
        );
        assert!(!d.is_empty());
        assert!(PackageDiff::between(&before, &before).is_empty());
    }

    #[test]
    fn a_new_signer_is_flagged_and_unsigned_versions_prove_nothing() {
        let d = PackageDiff::between(&report("aa", "c1"), &report("bb", "c2"));
        assert!(d.signer_changed);
        assert_eq!(d.signing.certificates.added[0].sha256, "c2");
        let mut unsigned = report("bb", "c1");
        unsigned.signing.certificates.clear();
        assert!(!PackageDiff::between(&report("aa", "c1"), &unsigned).signer_changed);
    }

    #[test]
    fn a_lineage_from_the_earlier_key_explains_a_new_signer() {
        let before = report("aa", "c1");
        let mut after = report("bb", "c2");
        let d = PackageDiff::between(&before, &after);
        assert!(d.signer_changed && d.rotation.is_none());
        assert!(d.signer_warning(Lang::Zh).unwrap().starts_with("！签名者已变更"));
        // c1 → c2 proven by the later package: a rotation, said as one.
        after.signing.lineage = ["c1", "c2"]
            .iter()
            .map(|c| Certificate {
                sha256: (*c).into(),
                subject: format!("CN={c}"),
                ..Certificate::default()
            })
            .collect();
        let d = PackageDiff::between(&before, &after);
        assert!(d.signer_changed);
        let r = d.rotation.clone().unwrap();
        assert_eq!((r.from.sha256.as_str(), r.to.sha256.as_str()), ("c1", "c2"));
        assert!(d.signer_warning(Lang::Zh).unwrap().starts_with("签名密钥已轮换"));
        // A lineage from some other key proves nothing about this App's earlier signer.
        after.signing.lineage[0].sha256 = "c9".into();
        assert!(PackageDiff::between(&before, &after).rotation.is_none());
    }
}
