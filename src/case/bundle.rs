//! Case bundles: a zip holding `case.json`, `package-report.json`, `package-icon.png` (optional),
//! `evidence/<sha256>.<ext>`, `audit.jsonl` and `MANIFEST.sha256`. Import checks every hash and
//! the audit chain before it writes anything, and never replaces an existing case.

use std::collections::BTreeMap;
use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};

use rusqlite::{TransactionBehavior, params};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::audit::{self, AuditEntry};
use super::model::*;
use super::store::{Store, sha256_hex};
use super::{CaseError, evidence};
use crate::package::PackageReport;

/// Reports (done, total) and says whether to go on.
pub type Progress<'a> = &'a dyn Fn(usize, usize) -> bool;

const FORMAT: &str = "app-inspector-case";
const FORMAT_VERSION: u32 = 1;
/// Limits on what a bundle may make us read.
const MAX_ENTRY: u64 = evidence::MAX_FILE + (16 << 20);
const MAX_TOTAL: u64 = 16 << 30;
const MAX_ENTRIES: usize = 100_000;

/// `case.json`.
#[derive(Debug, Serialize, Deserialize)]
struct CaseFile {
    format: String,
    format_version: u32,
    case: Case,
    assessments: Vec<Assessment>,
    suggestions: Vec<Suggestion>,
    evidence: Vec<EvidenceItem>,
    notices: Vec<IssuedNotice>,
}

fn zip_err(path: &Path, e: impl std::fmt::Display) -> CaseError {
    CaseError::Bundle {
        path: path.to_path_buf(),
        why: e.to_string(),
    }
}

impl Store {
    /// Writes the bundle of a case to `out`.
    pub fn export(&mut self, id: &str, out: &Path, actor: &str) -> Result<(), CaseError> {
        self.export_with(id, out, actor, &|_, _| true)
    }

    /// As [`Store::export`], reporting progress over the evidence files; when `progress` returns
    /// false the half-written bundle is removed, the trail records the cancellation, and the
    /// result is [`CaseError::Cancelled`].
    pub fn export_with(
        &mut self,
        id: &str,
        out: &Path,
        actor: &str,
        progress: Progress<'_>,
    ) -> Result<(), CaseError> {
        self.case(id)?;
        {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            let name = out
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            audit::append(&tx, id, actor, "case.exported", json!({"bundle": name}))?;
            tx.commit()?;
        }
        let view = self.load(id)?;
        let report = self.package_report(id)?;
        let entries = audit::entries(&self.conn, id)?;
        let io = |source| CaseError::Io {
            path: out.to_path_buf(),
            source,
        };
        // Write beside the target and rename, so a crash never leaves half a bundle under its name.
        let partial = out.with_extension("zip.partial");
        let file = std::fs::File::create(&partial).map_err(io)?;
        let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(file));
        let deflate =
            zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        let stored =
            zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        let mut manifest = BTreeMap::new();
        let mut put = |zip: &mut zip::ZipWriter<_>,
                       name: String,
                       data: &[u8],
                       compress: bool|
         -> Result<(), CaseError> {
            zip.start_file(name.as_str(), if compress { deflate } else { stored })
                .map_err(|e| zip_err(out, e))?;
            zip.write_all(data).map_err(io)?;
            manifest.insert(name, sha256_hex(data));
            Ok(())
        };
        let case_file = CaseFile {
            format: FORMAT.into(),
            format_version: FORMAT_VERSION,
            case: view.case.clone(),
            assessments: view.assessments.clone(),
            suggestions: view.suggestions.clone(),
            evidence: view.evidence.clone(),
            notices: view.notices.clone(),
        };
        put(
            &mut zip,
            "case.json".into(),
            &serde_json::to_vec_pretty(&case_file)?,
            true,
        )?;
        if let Some(r) = &report {
            put(
                &mut zip,
                "package-report.json".into(),
                &serde_json::to_vec_pretty(r)?,
                true,
            )?;
        }
        if let Some(icon) = self.package_icon(id)? {
            put(&mut zip, "package-icon.png".into(), &icon, false)?;
        }
        let mut seen = std::collections::HashSet::new();
        for (i, e) in view.evidence.iter().enumerate() {
            if !progress(i, view.evidence.len()) {
                drop(zip);
                let _ = std::fs::remove_file(&partial);
                let tx = self
                    .conn
                    .transaction_with_behavior(TransactionBehavior::Immediate)?;
                audit::append(&tx, id, actor, "case.export-cancelled", json!({}))?;
                tx.commit()?;
                return Err(CaseError::Cancelled);
            }
            if seen.insert(e.sha256.clone()) {
                let bytes = self.evidence_bytes(&e.sha256)?;
                // Images are already compressed: store them as they are.
                put(
                    &mut zip,
                    format!("evidence/{}.{}", e.sha256, evidence::extension(&e.media_type)),
                    &bytes,
                    !e.is_image(),
                )?;
            }
        }
        let mut audit_lines = Vec::new();
        for e in &entries {
            audit_lines.extend_from_slice(serde_json::to_string(e)?.as_bytes());
            audit_lines.push(b'\n');
        }
        put(&mut zip, "audit.jsonl".into(), &audit_lines, true)?;
        let listing: String = manifest
            .iter()
            .map(|(name, hash)| format!("{hash}  {name}\n"))
            .collect();
        zip.start_file("MANIFEST.sha256", deflate)
            .map_err(|e| zip_err(out, e))?;
        zip.write_all(listing.as_bytes()).map_err(io)?;
        let writer = zip.finish().map_err(|e| zip_err(out, e))?;
        writer
            .into_inner()
            .map_err(|e| io(e.into_error()))?
            .sync_all()
            .map_err(io)?;
        std::fs::rename(&partial, out).map_err(io)?;
        Ok(())
    }

    /// Imports a bundle as a new case; returns its id. Nothing is written unless every check passes.
    pub fn import(&mut self, bundle: &Path, actor: &str) -> Result<String, CaseError> {
        self.import_with(bundle, actor, &|_, _| true)
    }

    /// As [`Store::import`], reporting progress (reading and checking every entry, then making
    /// thumbnails); when `progress` returns false it stops with [`CaseError::Cancelled`] — nothing
    /// is written before the last step.
    pub fn import_with(
        &mut self,
        bundle: &Path,
        actor: &str,
        progress: Progress<'_>,
    ) -> Result<String, CaseError> {
        let refuse = |why: String| CaseError::Bundle {
            path: bundle.to_path_buf(),
            why,
        };
        let file = std::fs::File::open(bundle).map_err(|source| CaseError::Io {
            path: bundle.to_path_buf(),
            source,
        })?;
        let mut zip =
            zip::ZipArchive::new(file).map_err(|e| refuse(format!("it is not a readable zip ({e})")))?;
        if zip.len() > MAX_ENTRIES {
            return Err(refuse(format!("it has {} entries", zip.len())));
        }
        // Pass 1: names are safe, sizes are sane, and every file hashes as the manifest says.
        let mut hashes: BTreeMap<String, String> = BTreeMap::new();
        let mut small: BTreeMap<String, Vec<u8>> = BTreeMap::new();
        let mut total = 0u64;
        // Reading and checking is half the work, thumbnails the other half.
        let steps = 2 * zip.len();
        for i in 0..zip.len() {
            if !progress(i, steps) {
                return Err(CaseError::Cancelled);
            }
            let mut entry = zip
                .by_index(i)
                .map_err(|e| refuse(format!("entry #{i} cannot be read ({e})")))?;
            let name = entry
                .name()
                .map_err(|e| refuse(format!("entry #{i} has an unreadable name ({e})")))?
                .to_string();
            if entry.enclosed_name().is_none()
                || name.starts_with('/')
                || name.starts_with('\\')
                || name.split(['/', '\\']).any(|part| part == "..")
                || name.contains(':')
            {
                return Err(refuse(format!("the entry {name:?} points outside the bundle")));
            }
            if entry.is_dir() {
                continue;
            }
            if entry.size() > MAX_ENTRY {
                return Err(refuse(format!("{name} is larger than any evidence file can be")));
            }
            let mut data = Vec::new();
            (&mut entry)
                .take(MAX_ENTRY + 1)
                .read_to_end(&mut data)
                .map_err(|e| refuse(format!("{name} cannot be read ({e})")))?;
            total += data.len() as u64;
            if data.len() as u64 > MAX_ENTRY || total > MAX_TOTAL {
                return Err(refuse(format!(
                    "{name} inflates past the size limit (a zip bomb?)"
                )));
            }
            hashes.insert(name.clone(), sha256_hex(&data));
            if !name.starts_with("evidence/") {
                small.insert(name, data);
            }
        }
        let listing = small
            .get("MANIFEST.sha256")
            .ok_or_else(|| refuse("it has no MANIFEST.sha256".into()))?;
        let listing = String::from_utf8_lossy(listing);
        let mut listed = BTreeMap::new();
        for line in listing.lines().filter(|l| !l.trim().is_empty()) {
            let (hash, name) = line
                .split_once("  ")
                .ok_or_else(|| refuse(format!("MANIFEST.sha256 has a malformed line: {line:?}")))?;
            listed.insert(name.to_string(), hash.to_string());
        }
        for (name, hash) in &hashes {
            if name == "MANIFEST.sha256" {
                continue;
            }
            match listed.get(name) {
                None => {
                    return Err(refuse(format!(
                        "{name} is not listed in MANIFEST.sha256 (a file was added)"
                    )));
                }
                Some(h) if h != hash => {
                    return Err(refuse(format!(
                        "{name} does not match its SHA-256 in MANIFEST.sha256 (the file was altered)"
                    )));
                }
                Some(_) => {}
            }
            if let Some(rest) = name.strip_prefix("evidence/") {
                let stem = rest.split('.').next().unwrap_or("");
                if stem != hash {
                    return Err(refuse(format!(
                        "{name} does not match the SHA-256 in its name (the evidence was altered)"
                    )));
                }
            }
        }
        if let Some(missing) = listed.keys().find(|n| !hashes.contains_key(*n)) {
            return Err(refuse(format!(
                "{missing} is listed in MANIFEST.sha256 but missing"
            )));
        }
        let case_file: CaseFile = serde_json::from_slice(
            small
                .get("case.json")
                .ok_or_else(|| refuse("it has no case.json".into()))?,
        )
        .map_err(|e| refuse(format!("case.json cannot be read ({e})")))?;
        if case_file.format != FORMAT || case_file.format_version > FORMAT_VERSION {
            return Err(refuse(format!(
                "it is format {} version {}, this App Inspector reads {FORMAT} version {FORMAT_VERSION}",
                case_file.format, case_file.format_version
            )));
        }
        let report: Option<PackageReport> = small
            .get("package-report.json")
            .map(|b| serde_json::from_slice(b))
            .transpose()
            .map_err(|e| refuse(format!("package-report.json cannot be read ({e})")))?;
        // The icon is only shown, never evidence: one that is not a small PNG is dropped, not refused.
        let icon = small
            .get("package-icon.png")
            .filter(|b| {
                image::ImageReader::with_format(std::io::Cursor::new(b), image::ImageFormat::Png)
                    .into_dimensions()
                    .is_ok_and(|(w, h)| w <= 512 && h <= 512)
            })
            .cloned();
        let audit_text = small
            .get("audit.jsonl")
            .ok_or_else(|| refuse("it has no audit.jsonl".into()))?;
        let entries: Vec<AuditEntry> = String::from_utf8_lossy(audit_text)
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(serde_json::from_str)
            .collect::<Result<_, _>>()
            .map_err(|e| refuse(format!("audit.jsonl cannot be read ({e})")))?;
        let id = case_file.case.id.clone();
        if entries.iter().any(|e| e.case_id != id) {
            return Err(refuse("audit.jsonl holds entries of another case".into()));
        }
        audit::verify(&entries)
            .map_err(|b| refuse(format!("its audit log is broken at entry {}: {}", b.seq, b.why)))?;
        let evidence_files: BTreeMap<String, String> = hashes
            .keys()
            .filter_map(|n| {
                n.strip_prefix("evidence/")
                    .map(|rest| (rest.split('.').next().unwrap_or("").to_string(), n.clone()))
            })
            .collect();
        for e in &case_file.evidence {
            if !evidence_files.contains_key(&e.sha256) {
                return Err(refuse(format!(
                    "the evidence {} of the case is missing from the bundle",
                    e.sha256
                )));
            }
        }
        if self.case(&id).is_ok() {
            return Err(CaseError::Exists(id));
        }

        // Pass 2: thumbnails (slow, outside the transaction), then one transaction writes it all.
        let mut prepared = Vec::new();
        for (i, e) in case_file.evidence.iter().enumerate() {
            if !progress(
                steps / 2 + i * (steps / 2) / case_file.evidence.len().max(1),
                steps,
            ) {
                return Err(CaseError::Cancelled);
            }
            if prepared
                .iter()
                .any(|(sha, _, _): &(String, Vec<u8>, evidence::Prepared)| *sha == e.sha256)
            {
                continue;
            }
            let name = &evidence_files[&e.sha256];
            let mut entry = zip
                .by_name(name)
                .map_err(|err| refuse(format!("{name} cannot be read ({err})")))?;
            let mut bytes = Vec::new();
            (&mut entry)
                .take(MAX_ENTRY)
                .read_to_end(&mut bytes)
                .map_err(|err| refuse(format!("{name}: {err}")))?;
            if sha256_hex(&bytes) != e.sha256 {
                return Err(refuse(format!("{name} changed while it was being imported")));
            }
            let p = evidence::prepare(&bytes, &e.original_name)?;
            prepared.push((e.sha256.clone(), bytes, p));
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let c = &case_file.case;
        if let Some(r) = &report {
            tx.execute(
                "INSERT OR IGNORE INTO packages (sha256, file_name, size, report_json, icon_png) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![r.file.sha256, r.file.name, r.file.size as i64, serde_json::to_string(r)?, icon],
            )?;
        }
        let package_sha = c.package_sha256.clone().filter(|_| report.is_some());
        tx.execute(
            "INSERT INTO cases (id, checklist_id, checklist_hash, subject_name, subject_type, subject_credit_code,
                subject_address, app_name, app_package, app_version, cert_sha256, package_sha256, inspectors, state,
                created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
            params![
                c.id,
                c.checklist_id,
                c.checklist_hash,
                c.subject.name,
                c.subject.kind.keyword(),
                c.subject.credit_code,
                c.subject.address,
                c.app.name,
                c.app.package,
                c.app.version,
                c.app.cert_sha256,
                package_sha,
                serde_json::to_string(&c.inspectors)?,
                c.state,
                c.created_at,
                c.updated_at
            ],
        )?;
        for a in &case_file.assessments {
            tx.execute(
                "INSERT INTO assessments (case_id, testpoint, status, note, source, actor, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![id, a.testpoint, a.status.keyword(), a.note, a.source, a.actor, a.updated_at],
            )?;
        }
        for s in &case_file.suggestions {
            tx.execute(
                "INSERT INTO suggestions (case_id, testpoint, rule, suggested_status, evidence_zh, evidence_en, review, reason)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![id, s.testpoint, s.rule, s.suggested_status.keyword(), s.evidence.zh, s.evidence.en, s.review, s.reason],
            )?;
        }
        for (sha, bytes, p) in &prepared {
            let original = case_file
                .evidence
                .iter()
                .find(|e| &e.sha256 == sha)
                .map(|e| e.original_name.clone())
                .unwrap_or_default();
            super::store::insert_evidence(&tx, sha, p, bytes, &original)?;
        }
        for e in &case_file.evidence {
            tx.execute(
                "INSERT INTO evidence_links (case_id, sha256, testpoint, caption, annotations, actor, attached_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![id, e.sha256, e.testpoint, e.caption, e.annotations.to_string(), e.actor, e.attached_at],
            )?;
        }
        for n in &case_file.notices {
            tx.execute(
                "INSERT INTO notices (case_id, number, kind, lang, deadline, pdf_sha256, signer, issued_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![id, n.number, n.kind, n.lang, n.deadline, n.pdf_sha256, n.signer, n.issued_at],
            )?;
        }
        audit::insert_verbatim(&tx, &entries)?;
        let name = bundle
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        audit::append(
            &tx,
            &id,
            actor,
            "case.imported",
            json!({"bundle": name, "entries": entries.len()}),
        )?;
        tx.commit()?;
        Ok(id)
    }
}

/// A bundle's path with `.zip` added when it has no extension.
pub fn bundle_path(p: &Path) -> PathBuf {
    if p.extension().is_some() {
        p.to_path_buf()
    } else {
        p.with_extension("zip")
    }
}
