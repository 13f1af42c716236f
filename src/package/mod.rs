//! Reading an App package into facts ([`PackageReport`]): identity, permissions, components,
//! signatures, embedded SDKs. APK today; HarmonyOS .hap and iOS .ipa are recognised and refused
//! with a clear message until they are supported.

mod archive;
pub mod batch;
pub mod concerns;
pub mod dex;
pub mod diff;
mod error;
pub(crate) mod guard;
mod icon;
mod manifest;
mod permissions;
pub mod report;
mod resources;
pub mod sdk;
pub mod signing;
mod structure;

use std::collections::HashMap;
use std::path::Path;

use sha2::{Digest as _, Sha256};

pub use archive::{Limits, zip_sentence};
pub use error::PackageError;
pub use report::PackageReport;

use archive::Archive;

/// Analyses the package at `path` with the default limits.
pub fn analyse(path: &Path) -> Result<PackageReport, PackageError> {
    analyse_with(path, Limits::default())
}

/// What kind of package a file is, from its name and first bytes.
fn refuse_other_kinds(path: &Path, head: &[u8]) -> Result<(), PackageError> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "hap" | "app" => {
            return Err(PackageError::NotSupported {
                path: path.to_path_buf(),
                kind: "HarmonyOS",
            });
        }
        "ipa" => {
            return Err(PackageError::NotSupported {
                path: path.to_path_buf(),
                kind: "iOS",
            });
        }
        _ => {}
    }
    if head.len() < 4 || &head[..2] != b"PK" {
        return Err(PackageError::NotAPackage {
            path: path.to_path_buf(),
            why: "it is not a zip archive (APKs are zip files starting with “PK”)".into(),
        });
    }
    Ok(())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Analyses the package at `path`: a regular file (a device or pipe is refused unread), read
/// into memory once.
pub fn analyse_with(path: &Path, limits: Limits) -> Result<PackageReport, PackageError> {
    let bytes = crate::input::read_regular(path, limits.max_package, "packages")?;
    analyse_bytes(path, &bytes, limits)
}

/// Analyses a package held in memory; `path` names it in messages and gives its file name.
pub fn analyse_bytes(path: &Path, bytes: &[u8], limits: Limits) -> Result<PackageReport, PackageError> {
    refuse_other_kinds(path, bytes)?;
    let mut archive = Archive::open(path, bytes, limits)?;
    let names: Vec<String> = archive.entries().iter().map(|e| e.name.clone()).collect();
    if !archive.contains("AndroidManifest.xml") {
        let kind = if names.iter().any(|n| n == "module.json" || n == "pack.info") {
            Some("HarmonyOS")
        } else if names
            .iter()
            .any(|n| n.starts_with("Payload/") && n.contains(".app/"))
        {
            Some("iOS")
        } else {
            None
        };
        return Err(match kind {
            Some(kind) => PackageError::NotSupported {
                path: path.to_path_buf(),
                kind,
            },
            None => PackageError::NotAPackage {
                path: path.to_path_buf(),
                why: "the zip has no AndroidManifest.xml".into(),
            },
        });
    }
    let mut warnings = Vec::new();

    let mut kept: HashMap<String, Vec<u8>> = HashMap::new();
    let manifest_bytes = archive.read("AndroidManifest.xml")?;
    let arsc = if archive.contains("resources.arsc") {
        let data = archive.read("resources.arsc")?;
        let parsed = guard::guarded("resources.arsc", || apk_info_axml::ARSC::new(&mut &data[..]));
        kept.insert("resources.arsc".into(), data);
        match parsed {
            Ok(Ok(arsc)) => Some(arsc),
            Ok(Err(e)) => {
                warnings.push(format!(
                    "resources.arsc cannot be read ({e}); labels are shown unresolved"
                ));
                None
            }
            Err(e) => {
                warnings.push(e);
                None
            }
        }
    } else {
        None
    };
    let axml = guard::guarded("AndroidManifest.xml", || {
        apk_info_axml::AXML::new(&mut &manifest_bytes[..], arsc.as_ref())
    })
    .and_then(|r| r.map_err(|e| e.to_string()))
    .map_err(|why| PackageError::CorruptManifest {
        path: path.to_path_buf(),
        why,
    })?;
    kept.insert("AndroidManifest.xml".into(), manifest_bytes);
    let facts = manifest::facts(&axml, arsc.as_ref());
    if facts.package.is_empty() {
        return Err(PackageError::CorruptManifest {
            path: path.to_path_buf(),
            why: "it names no package".into(),
        });
    }

    let permissions = permissions::classify(&facts.permissions, facts.target_sdk);
    let icon = facts
        .icon_ref
        .as_deref()
        .and_then(|r| match icon::analyse(&mut archive, arsc.as_ref(), r) {
            Ok(icon) => icon,
            Err(e) => {
                warnings.push(e);
                None
            }
        });

    let mut kept_bytes: u64 = kept.values().map(|v| v.len() as u64).sum();
    let mut dex_facts = report::DexFacts::default();
    let mut classes: Vec<String> = Vec::new();
    let mut dex_names: Vec<&String> = names.iter().filter(|n| is_dex_name(n)).collect();
    dex_names.sort_by_key(|n| dex_order(n));
    for name in dex_names {
        let data = match archive.read(name) {
            Ok(d) => d,
            Err(e @ PackageError::TooLarge { .. }) => return Err(e),
            Err(e) => {
                warnings.push(format!("{name} cannot be read: {e}"));
                continue;
            }
        };
        match dex::class_names(&data) {
            Ok(list) => {
                dex_facts.files.push(report::DexFile {
                    name: name.clone(),
                    classes: list.len(),
                });
                classes.extend(list);
            }
            Err(e) => warnings.push(format!("{name}: {e}")),
        }
        // v1 verification digests every entry: keep the inflated DEX (the largest entries) so
        // it is not inflated twice — as long as what is kept stays within its budget.
        if kept_bytes + data.len() as u64 <= limits.max_kept {
            kept_bytes += data.len() as u64;
            kept.insert(name.clone(), data);
        }
    }
    dex_facts.class_count = classes.len();

    let mut native_libs: Vec<String> = names
        .iter()
        .filter(|n| n.starts_with("lib/") && n.ends_with(".so"))
        .filter_map(|n| n.rsplit('/').next())
        .map(str::to_string)
        .collect();
    native_libs.sort();
    native_libs.dedup();

    let structure = archive.structure_problems().to_vec();
    warnings.extend(structure.iter().cloned());
    let mut entries = KeptOrRead {
        archive: &mut archive,
        kept,
        buf: Vec::new(),
    };
    let mut signing = signing::analyse(bytes, &names, &structure, &mut entries);
    let min_sdk = facts.min_sdk.unwrap_or(1);
    if !signing.v1 && min_sdk < 24 {
        signing.notes.push(format!(
            "no v1 (JAR) signature although minSdkVersion is {min_sdk}: Android versions before 7.0 \
             (API 24) cannot install it, and apksigner reports DOES NOT VERIFY"
        ));
    }
    if signing.schemes.is_empty() {
        signing
            .notes
            .push("the package is not signed: Android refuses to install it".into());
    }

    let component_names: Vec<&str> = facts.components.iter().map(|c| c.name.as_str()).collect();
    let catalogue = sdk::Catalogue::builtin();
    let found = catalogue.find(&classes, &native_libs, &component_names);
    let unnamed_code = catalogue.unnamed_code(&classes, &facts.package);
    let (hot_update, sdks): (Vec<_>, Vec<_>) = found.into_iter().partition(|m| m.category == "hot-update");

    let privacy_documents = names.iter().filter(|n| is_privacy_document(n)).cloned().collect();

    Ok(PackageReport {
        format: "apk".into(),
        file: report::FileFacts {
            name: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            size: bytes.len() as u64,
            sha256: hex(&Sha256::digest(bytes)),
        },
        package: facts.package,
        label: facts.label,
        label_zh: facts.label_zh,
        version_code: facts.version_code,
        version_name: facts.version_name,
        min_sdk: facts.min_sdk,
        target_sdk: facts.target_sdk,
        icon,
        permissions,
        components: facts.components,
        auto_start: facts.auto_start,
        flags: report::AppFlags {
            query_all_packages: facts.flags.query_all_packages || !facts.broad_queries.is_empty(),
            ..facts.flags
        },
        signing,
        dex: dex_facts,
        native_libs,
        sdks,
        hot_update,
        unnamed_code,
        privacy_documents,
        warnings,
    })
}

/// Entries for the signature check: the ones kept from the analysis (each used once, then
/// dropped), the rest read or streamed from the archive.
struct KeptOrRead<'r, 'a> {
    archive: &'r mut Archive<'a>,
    kept: HashMap<String, Vec<u8>>,
    buf: Vec<u8>,
}

impl signing::Entries for KeptOrRead<'_, '_> {
    fn read(&mut self, name: &str, buf: &mut Vec<u8>) -> Result<(), String> {
        match self.kept.remove(name) {
            Some(data) => {
                *buf = data;
                Ok(())
            }
            None => self.archive.read_into(name, buf).map_err(|e| e.to_string()),
        }
    }

    fn stream(&mut self, name: &str, sink: &mut dyn FnMut(&[u8])) -> Result<(), String> {
        match self.kept.remove(name) {
            Some(data) => {
                sink(&data);
                Ok(())
            }
            None => self
                .archive
                .stream(name, &mut self.buf, sink)
                .map_err(|e| e.to_string()),
        }
    }
}

fn is_dex_name(name: &str) -> bool {
    name.strip_prefix("classes")
        .and_then(|r| r.strip_suffix(".dex"))
        .is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()))
}

/// classes.dex, classes2.dex, … classes10.dex in the order Android loads them.
fn dex_order(name: &str) -> u32 {
    name.strip_prefix("classes")
        .and_then(|r| r.strip_suffix(".dex"))
        .map_or(u32::MAX, |n| {
            if n.is_empty() {
                1
            } else {
                n.parse().unwrap_or(u32::MAX)
            }
        })
}

fn is_privacy_document(name: &str) -> bool {
    let lower = name.to_lowercase();
    let in_docs = lower.starts_with("assets/") || lower.starts_with("res/raw/");
    let doc_ext = [".html", ".htm", ".txt", ".md", ".pdf"]
        .iter()
        .any(|e| lower.ends_with(e));
    let about = [
        "privacy",
        "policy",
        "隐私",
        "协议",
        "agreement",
        "terms",
        "licence_user",
        "user_license",
    ]
    .iter()
    .any(|k| lower.contains(k));
    in_docs && doc_ext && about
}
