//! Case bundles: a zip holding `case.json`, `checklist.toml` (the exact checklist the case is
//! judged against), `package-report.json`, `round-reports.json` (earlier rounds' packages,
//! optional), `package-icon.png` (optional),
//! `evidence/<sha256>.<ext>`, `audit.jsonl` and `MANIFEST.sha256`.
//!
//! Import reads hostile bytes: only those names, each part within its own size limit, evidence
//! streamed through the hash rather than held in memory; every hash checked, the audit chain
//! verified and replayed, and `case.json` compared with what the trail proves — all before one
//! transaction writes anything. An existing case is never replaced.

use std::collections::{BTreeMap, HashSet};
use std::io::{Read, Seek as _, Write as _};
use std::path::{Path, PathBuf};

use rusqlite::{Connection, TransactionBehavior, params};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest as _, Sha256};

use super::audit::{self, AuditEntry};
use super::model::*;
use super::replay::{self, Record};
use super::store::{
    Store, hex, insert_case_row, insert_evidence_facts, pin_checklist, sha256_hex, write_applicability,
    write_test_conditions,
};
use super::{CaseError, evidence};
use crate::checklist::{self, Checklist};
use crate::package::PackageReport;

/// Reports (done, total) and says whether to go on.
pub type Progress<'a> = &'a dyn Fn(usize, usize) -> bool;

const FORMAT: &str = "app-inspector-case";
/// 2: the trail proves the state (replayed on import) and the checklist travels with the case.
const FORMAT_VERSION: u32 = 2;
/// The parts a bundle holds besides evidence, each with the most it may inflate to. They are read
/// into memory (and JSON is parsed into trees several times larger), so the limits keep an
/// import far under 300 MB whatever the bundle claims.
const PARTS: &[(&str, u64)] = &[
    ("case.json", 16 << 20),
    ("audit.jsonl", 16 << 20),
    ("package-report.json", 8 << 20),
    // The reports of earlier rounds' packages, for `case diff` where the bundle goes.
    ("round-reports.json", 16 << 20),
    ("checklist.toml", 4 << 20),
    ("MANIFEST.sha256", 8 << 20),
    ("package-icon.png", 1 << 20),
];
/// Sum of everything a bundle may inflate to (evidence is streamed, never held whole).
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
    #[serde(default)]
    rechecks: Vec<Recheck>,
    #[serde(default)]
    applicability: Vec<Applicability>,
    #[serde(default)]
    test_conditions: TestConditions,
    #[serde(default)]
    rounds: Vec<Round>,
}

/// Who last recorded the test conditions, from the trail.
fn actor_of_conditions(entries: &[audit::AuditEntry]) -> String {
    entries
        .iter()
        .rev()
        .find(|e| e.action == "case.test-conditions")
        .map(|e| e.actor.clone())
        .unwrap_or_default()
}

fn zip_err(path: &Path, e: impl std::fmt::Display) -> CaseError {
    CaseError::Bundle {
        path: path.to_path_buf(),
        why: e.to_string(),
    }
}

/// What an entry name means; anything else is refused.
enum Part {
    Named(u64),
    Evidence { sha256: String },
}

fn classify(name: &str) -> Option<Part> {
    if let Some((_, limit)) = PARTS.iter().find(|(n, _)| *n == name) {
        return Some(Part::Named(*limit));
    }
    let rest = name.strip_prefix("evidence/")?;
    let (stem, ext) = rest.split_once('.')?;
    let hex_ok = stem.len() == 64
        && stem
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    let ext_ok = !ext.is_empty() && ext.len() <= 8 && ext.bytes().all(|b| b.is_ascii_alphanumeric());
    (hex_ok && ext_ok).then(|| Part::Evidence {
        sha256: stem.to_string(),
    })
}

/// Reads at most `limit` bytes, failing when there are more.
fn read_limited(r: impl Read, limit: u64) -> std::io::Result<Option<Vec<u8>>> {
    let mut data = Vec::new();
    r.take(limit + 1).read_to_end(&mut data)?;
    Ok((data.len() as u64 <= limit).then_some(data))
}

/// Streams at most `limit` bytes through SHA-256; (hash, length), or `None` when longer.
fn hash_limited(mut r: impl Read, limit: u64) -> std::io::Result<Option<(String, u64)>> {
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 64 << 10];
    let mut n = 0u64;
    loop {
        let got = r.read(&mut buf)?;
        if got == 0 {
            break;
        }
        n += got as u64;
        if n > limit {
            return Ok(None);
        }
        h.update(&buf[..got]);
    }
    Ok(Some((hex(&h.finalize()), n)))
}

impl Store {
    /// Writes the bundle of a case to `out` (never over an existing file).
    pub fn export(&mut self, id: &str, out: &Path, actor: &str) -> Result<(), CaseError> {
        self.export_with(id, out, false, actor, &|_, _| true)
    }

    /// As [`Store::export`], replacing an existing regular file when `overwrite`, and reporting
    /// progress over the evidence files. The bundle is written as a file without a name that is
    /// named only when complete; only then is the export recorded in the trail (with the bundle's
    /// SHA-256). When `progress` returns false nothing is left and nothing recorded:
    /// [`CaseError::Cancelled`].
    pub fn export_with(
        &mut self,
        id: &str,
        out: &Path,
        overwrite: bool,
        actor: &str,
        progress: Progress<'_>,
    ) -> Result<(), CaseError> {
        let view = self.load(id)?;
        let checklist = self.checklist_of(&view.case)?;
        let report = self.package_report(id)?;
        let entries = audit::entries(&self.conn, id)?;
        let mut pending = crate::output::Pending::create(out, overwrite)?;
        let io = |source| {
            CaseError::Output(crate::output::OutputError::Io {
                path: out.to_path_buf(),
                source,
            })
        };
        let mut manifest = BTreeMap::new();
        {
            let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(pending.file()));
            let deflate =
                zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
            let stored =
                zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
            // `known`: the SHA-256 already checked on the way out of the store (evidence), so the
            // bytes are not hashed twice.
            let mut put = |zip: &mut zip::ZipWriter<_>,
                           name: String,
                           data: &[u8],
                           compress: bool,
                           known: Option<&str>|
             -> Result<(), CaseError> {
                zip.start_file(name.as_str(), if compress { deflate } else { stored })
                    .map_err(|e| zip_err(out, e))?;
                zip.write_all(data).map_err(io)?;
                manifest.insert(name, known.map_or_else(|| sha256_hex(data), str::to_string));
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
                rechecks: view.rechecks.clone(),
                applicability: view.applicability.clone(),
                test_conditions: view.test_conditions.clone(),
                rounds: view.rounds.clone(),
            };
            put(
                &mut zip,
                "case.json".into(),
                &serde_json::to_vec_pretty(&case_file)?,
                true,
                None,
            )?;
            put(
                &mut zip,
                "checklist.toml".into(),
                checklist.source.as_bytes(),
                true,
                None,
            )?;
            if let Some(r) = &report {
                put(
                    &mut zip,
                    "package-report.json".into(),
                    &serde_json::to_vec_pretty(r)?,
                    true,
                    None,
                )?;
            }
            if let Some(icon) = self.package_icon(id)? {
                put(&mut zip, "package-icon.png".into(), &icon, false, None)?;
            }
            let current = view.case.package_sha256.as_deref();
            let mut earlier: Vec<PackageReport> = Vec::new();
            for r in &view.rounds {
                let Some(sha) = r.package_sha256.as_deref().filter(|s| Some(*s) != current) else {
                    continue;
                };
                if earlier.iter().all(|e| e.file.sha256 != sha)
                    && let Some(report) = self.package_by_sha(sha)?
                {
                    earlier.push(report);
                }
            }
            if !earlier.is_empty() {
                put(
                    &mut zip,
                    "round-reports.json".into(),
                    &serde_json::to_vec(&earlier)?,
                    true,
                    None,
                )?;
            }
            let mut seen = HashSet::new();
            for (i, e) in view.evidence.iter().enumerate() {
                if !progress(i, view.evidence.len()) {
                    return Err(CaseError::Cancelled);
                }
                if seen.insert(e.sha256.clone()) {
                    // Hashed again on the way out: altered bytes stop the export.
                    let bytes = self.evidence_bytes(&e.sha256)?;
                    // Images are already compressed: store them as they are.
                    put(
                        &mut zip,
                        format!("evidence/{}.{}", e.sha256, evidence::extension(&e.media_type)),
                        &bytes,
                        !e.is_image(),
                        Some(&e.sha256),
                    )?;
                }
            }
            let mut audit_lines = Vec::new();
            for e in &entries {
                audit_lines.extend_from_slice(serde_json::to_string(e)?.as_bytes());
                audit_lines.push(b'\n');
            }
            put(&mut zip, "audit.jsonl".into(), &audit_lines, true, None)?;
            let listing: String = manifest
                .iter()
                .map(|(name, hash)| format!("{hash}  {name}\n"))
                .collect();
            zip.start_file("MANIFEST.sha256", deflate)
                .map_err(|e| zip_err(out, e))?;
            zip.write_all(listing.as_bytes()).map_err(io)?;
            zip.finish().map_err(|e| zip_err(out, e))?.flush().map_err(io)?;
        }
        let file = pending.file();
        file.rewind().map_err(io)?;
        let (bundle_sha256, _) = hash_limited(&mut *file, u64::MAX)
            .map_err(io)?
            .unwrap_or_default();
        pending.commit()?;
        // Recorded only now that the bundle is complete under its name.
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let head = entries.last().map(|e| json!({"seq": e.seq, "hash": e.hash}));
        let at = audit::now();
        let recorded = self.write(|tx| {
            let entry = audit::append(
                tx,
                id,
                &at,
                actor,
                "case.exported",
                json!({"bundle": name, "sha256": bundle_sha256, "head": head}),
            )?;
            tx.execute(
                "INSERT INTO exports (case_id, file_name, bundle_sha256, chain_seq, chain_hash, exported_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![id, name, bundle_sha256, entry.seq, entry.hash, at],
            )?;
            Ok(())
        });
        if let Err(e) = recorded {
            crate::output::remove(out);
            return Err(e);
        }
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
        let (file, _) = crate::input::open_regular(bundle)?;
        self.import_from(std::io::BufReader::new(file), bundle, actor, progress)
    }

    /// As [`Store::import_with`], from bytes already open (`bundle` names them in messages):
    /// the fuzz target feeds bundles from memory.
    pub fn import_from<R: Read + std::io::Seek>(
        &mut self,
        file: R,
        bundle: &Path,
        actor: &str,
        progress: Progress<'_>,
    ) -> Result<String, CaseError> {
        let refuse = |why: String| CaseError::Bundle {
            path: bundle.to_path_buf(),
            why,
        };
        let mut zip = zip::ZipArchive::new(file).map_err(|e| {
            refuse(format!(
                "it is not a readable zip: {}",
                crate::package::zip_sentence(&e)
            ))
        })?;
        if zip.len() > MAX_ENTRIES {
            return Err(refuse(format!("it has {} entries", zip.len())));
        }
        // Pass 1: names are known, sizes are sane, and every file hashes as the manifest says.
        let mut hashes: BTreeMap<String, String> = BTreeMap::new();
        let mut parts: BTreeMap<String, Vec<u8>> = BTreeMap::new();
        let mut evidence_files: BTreeMap<String, (String, u64)> = BTreeMap::new();
        let mut total = 0u64;
        // Reading and checking is half the work, thumbnails the other half.
        let steps = 2 * zip.len();
        for i in 0..zip.len() {
            if !progress(i, steps) {
                return Err(CaseError::Cancelled);
            }
            let mut entry = zip.by_index(i).map_err(|e| {
                refuse(format!(
                    "entry #{} cannot be read: {}",
                    i + 1,
                    crate::package::zip_sentence(&e)
                ))
            })?;
            let name = entry
                .name()
                .map_err(|e| refuse(format!("entry #{} has an unreadable name ({e})", i + 1)))?
                .to_string();
            if entry.enclosed_name().is_none()
                || name.starts_with(['/', '\\'])
                || name.split(['/', '\\']).any(|part| part == "..")
                || name.contains(':')
            {
                return Err(refuse(format!(
                    "the entry {:?} points outside the bundle",
                    crate::i18n::clip(&name, 80)
                )));
            }
            if entry.is_dir() {
                if name == "evidence/" {
                    continue;
                }
                return Err(refuse(format!(
                    "it holds a folder {:?} that a case bundle does not have",
                    crate::i18n::clip(&name, 80)
                )));
            }
            let Some(part) = classify(&name) else {
                return Err(refuse(format!(
                    "it holds {:?}, which is not part of a case bundle",
                    crate::i18n::clip(&name, 80)
                )));
            };
            if hashes.contains_key(&name) {
                return Err(refuse(format!("it holds {name} twice")));
            }
            let limit = match &part {
                Part::Named(limit) => *limit,
                Part::Evidence { .. } => evidence::MAX_FILE,
            };
            if entry.size() > limit {
                return Err(refuse(format!(
                    "{name} would inflate to {} bytes, more than it can be ({limit})",
                    entry.size()
                )));
            }
            total = total.saturating_add(entry.size());
            if total > MAX_TOTAL {
                return Err(refuse(
                    "its files would inflate past 16 GiB in all (a zip bomb?)".into(),
                ));
            }
            match part {
                Part::Named(limit) => {
                    let data = read_limited(&mut entry, limit)
                        .map_err(|e| refuse(format!("{name} cannot be read ({e})")))?
                        .ok_or_else(|| {
                            refuse(format!("{name} inflates past its size limit (a zip bomb?)"))
                        })?;
                    hashes.insert(name.clone(), sha256_hex(&data));
                    parts.insert(name, data);
                }
                Part::Evidence { sha256 } => {
                    let (hash, len) = hash_limited(&mut entry, limit)
                        .map_err(|e| refuse(format!("{name} cannot be read ({e})")))?
                        .ok_or_else(|| {
                            refuse(format!("{name} inflates past its size limit (a zip bomb?)"))
                        })?;
                    if hash != sha256 {
                        return Err(refuse(format!(
                            "{name} does not match the SHA-256 in its name (the evidence was altered)"
                        )));
                    }
                    if evidence_files.insert(sha256, (name.clone(), len)).is_some() {
                        return Err(refuse(format!("it holds the evidence of {name} twice")));
                    }
                    hashes.insert(name, hash);
                }
            }
        }
        let listing = parts
            .get("MANIFEST.sha256")
            .ok_or_else(|| refuse("it has no MANIFEST.sha256".into()))?;
        let listing =
            std::str::from_utf8(listing).map_err(|_| refuse("MANIFEST.sha256 is not UTF-8 text".into()))?;
        let mut listed = BTreeMap::new();
        for line in listing.lines().filter(|l| !l.trim().is_empty()) {
            let (hash, name) = line.split_once("  ").ok_or_else(|| {
                refuse(format!(
                    "MANIFEST.sha256 has a malformed line: {:?}",
                    crate::i18n::clip(line, 100)
                ))
            })?;
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
        }
        if let Some(missing) = listed.keys().find(|n| !hashes.contains_key(*n)) {
            return Err(refuse(format!(
                "{} is listed in MANIFEST.sha256 but missing",
                crate::i18n::clip(missing, 100)
            )));
        }
        let case_file: CaseFile = serde_json::from_slice(
            parts
                .get("case.json")
                .ok_or_else(|| refuse("it has no case.json".into()))?,
        )
        .map_err(|e| refuse(format!("case.json cannot be read ({e})")))?;
        if case_file.format != FORMAT {
            return Err(refuse(format!(
                "case.json says it is {:?}, not an App Inspector case",
                crate::i18n::clip(&case_file.format, 40)
            )));
        }
        if case_file.format_version != FORMAT_VERSION {
            return Err(refuse(if case_file.format_version < FORMAT_VERSION {
                format!(
                    "it was written by an App Inspector older than 0.2 (bundle version {}), whose audit trail does not prove the case's state; export the case again with this version",
                    case_file.format_version
                )
            } else {
                format!(
                    "it is bundle version {}, newer than this App Inspector reads ({FORMAT_VERSION}); update App Inspector",
                    case_file.format_version
                )
            }));
        }
        let id = case_file.case.id.clone();
        replay::check_case_id(&id).map_err(|why| refuse(format!("case.json: {why}")))?;
        // The checklist the case is judged against: the bundle's own copy, which must be exactly
        // the version the case names; a bundle without one only with a version this tool knows.
        let checklist: Checklist = match parts.get("checklist.toml") {
            Some(bytes) => {
                let text = std::str::from_utf8(bytes)
                    .map_err(|_| refuse("checklist.toml is not UTF-8 text".into()))?;
                if checklist::content_hash(text) != case_file.case.checklist_hash {
                    return Err(refuse(
                        "its checklist.toml is not the checklist version the case was judged against".into(),
                    ));
                }
                checklist::parse_cached(text, Path::new("checklist.toml (in the bundle)"))
                    .map_err(|e| refuse(format!("its checklist.toml is not a valid checklist: {e}")))?
            }
            None => checklist::by_hash(&case_file.case.checklist_hash).ok_or_else(|| {
                refuse(format!(
                    "it names checklist {} with content SHA-256 {}, which it does not carry and this App Inspector does not know",
                    crate::i18n::clip(&case_file.case.checklist_id, 40),
                    crate::i18n::clip(&case_file.case.checklist_hash, 64)
                ))
            })?,
        };
        if checklist.id != case_file.case.checklist_id {
            return Err(refuse(format!(
                "case.json names checklist {}, but its checklist is {}",
                crate::i18n::clip(&case_file.case.checklist_id, 40),
                checklist.id
            )));
        }
        let report: Option<PackageReport> = parts
            .get("package-report.json")
            .map(|b| serde_json::from_slice(b))
            .transpose()
            .map_err(|e| refuse(format!("package-report.json cannot be read ({e})")))?;
        // Earlier rounds' package reports: each must be the package a round of the case names.
        let earlier: Vec<PackageReport> = parts
            .get("round-reports.json")
            .map(|b| serde_json::from_slice(b))
            .transpose()
            .map_err(|e| refuse(format!("round-reports.json cannot be read ({e})")))?
            .unwrap_or_default();
        // The icon is only shown, never evidence: one that is not a small PNG is dropped, not refused.
        let icon = parts
            .get("package-icon.png")
            .filter(|b| {
                image::ImageReader::with_format(std::io::Cursor::new(b), image::ImageFormat::Png)
                    .into_dimensions()
                    .is_ok_and(|(w, h)| w <= 512 && h <= 512)
            })
            .cloned();
        let audit_text = parts
            .get("audit.jsonl")
            .ok_or_else(|| refuse("it has no audit.jsonl".into()))?;
        let audit_text =
            std::str::from_utf8(audit_text).map_err(|_| refuse("audit.jsonl is not UTF-8 text".into()))?;
        let entries: Vec<AuditEntry> = audit_text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .enumerate()
            .map(|(i, l)| {
                serde_json::from_str(l)
                    .map_err(|e| refuse(format!("line {} of audit.jsonl cannot be read ({e})", i + 1)))
            })
            .collect::<Result<_, _>>()?;
        if entries.iter().any(|e| e.case_id != id) {
            return Err(refuse("audit.jsonl holds entries of another case".into()));
        }
        audit::verify(&entries)
            .map_err(|b| refuse(format!("its audit log is broken at entry {}: {}", b.seq, b.why)))?;
        let proven = replay::replay(&entries)
            .map_err(|e| refuse(format!("its audit log cannot be replayed at {e}")))?;
        let stated = Record::of(&CaseView {
            case: case_file.case.clone(),
            assessments: case_file.assessments.clone(),
            suggestions: case_file.suggestions.clone(),
            evidence: case_file.evidence.clone(),
            notices: case_file.notices.clone(),
            rechecks: case_file.rechecks.clone(),
            applicability: case_file.applicability.clone(),
            test_conditions: case_file.test_conditions.clone(),
            rounds: case_file.rounds.clone(),
            transitions: Vec::new(),
        });
        if let Some(d) = stated.first_difference(&proven, "case.json") {
            return Err(refuse(format!("case.json disagrees with its audit log at {d}")));
        }
        proven
            .check(&checklist)
            .map_err(|why| refuse(format!("the case it holds is not valid: {why}")))?;
        for link in &proven.evidence {
            if !evidence_files.contains_key(&link.sha256) {
                return Err(refuse(format!(
                    "the evidence {} of the case is missing from the bundle",
                    link.sha256
                )));
            }
        }
        if self.case(&id).is_ok() {
            return Err(CaseError::Exists(id));
        }

        // Pass 2: thumbnails, one file in memory at a time, outside the transaction.
        let needed: Vec<String> = {
            let mut seen = HashSet::new();
            proven
                .evidence
                .iter()
                .filter(|l| seen.insert(l.sha256.clone()))
                .map(|l| l.sha256.clone())
                .collect()
        };
        // Behaviour logs are read again from their files: the timeline is what the file says.
        let logs: Vec<(super::behaviours::LogEntry, String, String)> = entries
            .iter()
            .filter(|e| e.action == "runtime.imported")
            .map(|e| {
                serde_json::from_value(e.payload.clone())
                    .map(|l| (l, e.actor.clone(), e.at.clone()))
                    .map_err(|err| refuse(format!("its trail's log entry {} cannot be read ({err})", e.seq)))
            })
            .collect::<Result<_, _>>()?;
        let package = report.as_ref().map(|r| r.package.clone());
        let mut reread = Vec::new();
        let mut prepared = BTreeMap::new();
        for (i, sha) in needed.iter().enumerate() {
            if !progress(steps / 2 + i * (steps / 2) / needed.len().max(1), steps) {
                return Err(CaseError::Cancelled);
            }
            let (name, _) = &evidence_files[sha];
            let original = proven
                .evidence
                .iter()
                .find(|l| &l.sha256 == sha)
                .map(|l| l.original_name.clone())
                .unwrap_or_default();
            let entry = zip.by_name(name).map_err(|err| {
                refuse(format!(
                    "{name} cannot be read: {}",
                    crate::package::zip_sentence(&err)
                ))
            })?;
            // Only for the thumbnail: pass 1 hashed these bytes, and storing them hashes them again.
            let bytes = read_limited(entry, evidence::MAX_FILE)
                .map_err(|err| refuse(format!("{name}: {err}")))?
                .ok_or_else(|| refuse(format!("{name} changed while it was being imported")))?;
            let p = evidence::prepare(&bytes, &original)?;
            for (log, actor, at) in logs.iter().filter(|(l, _, _)| &l.sha256 == sha) {
                let behaviours =
                    super::behaviours::reread(&bytes, log, package.as_deref().unwrap_or_default())
                        .map_err(refuse)?;
                reread.push((log, actor, at, behaviours));
            }
            drop(bytes);
            prepared.insert(sha.clone(), (p, original));
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        // Checked again under the write lock: another import of the same case may have landed.
        if Store::case_row(&tx, &id).is_ok() {
            return Err(CaseError::Exists(id));
        }
        if let Some(r) = &report {
            super::store::insert_package(&tx, r, &serde_json::to_string(r)?, icon.as_deref())?;
        }
        pin_checklist(&tx, &checklist)?;
        let c = &proven.case;
        let package_sha = c
            .package_sha256
            .clone()
            .filter(|p| report.as_ref().is_some_and(|r| r.file.sha256 == *p));
        insert_case_row(
            &tx,
            &Case {
                package_sha256: package_sha,
                updated_at: case_file.case.updated_at.clone(),
                ..c.clone()
            },
        )?;
        super::store::write_rounds(&tx, &id, &proven.rounds)?;
        for r in &earlier {
            if !proven
                .rounds
                .iter()
                .any(|round| round.package_sha256.as_deref() == Some(r.file.sha256.as_str()))
            {
                return Err(refuse(format!(
                    "round-reports.json holds the report of {}, which no round of the case inspects",
                    crate::i18n::clip(&r.file.sha256, 64)
                )));
            }
            super::store::insert_package(&tx, r, &serde_json::to_string(r)?, None)?;
        }
        for a in &proven.assessments {
            tx.execute(
                "INSERT INTO assessments (case_id, testpoint, status, note, source, actor, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![id, a.testpoint, a.status.keyword(), a.note, a.source, a.actor, a.updated_at],
            )?;
        }
        for s in &proven.suggestions {
            tx.execute(
                "INSERT INTO suggestions (case_id, testpoint, rule, suggested_status, evidence_zh, evidence_en, review, reason)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![id, s.testpoint, s.rule, s.suggested_status.keyword(), s.evidence.zh, s.evidence.en, s.review, s.reason],
            )?;
        }
        for r in &proven.rechecks {
            tx.execute(
                "INSERT INTO rechecks (case_id, testpoint, why_zh, why_en) VALUES (?1, ?2, ?3, ?4)",
                params![id, r.testpoint, r.why.zh, r.why.en],
            )?;
        }
        // Who answered and when come from case.json; what was answered is what the trail proves.
        for a in &case_file.applicability {
            write_applicability(&tx, &id, a)?;
        }
        write_test_conditions(
            &tx,
            &id,
            &proven.test_conditions,
            &actor_of_conditions(&entries),
            &case_file.case.updated_at,
        )?;
        for (sha, (p, original)) in &prepared {
            let (name, len) = &evidence_files[sha];
            let entry = zip.by_name(name).map_err(|err| {
                refuse(format!(
                    "{name} cannot be read: {}",
                    crate::package::zip_sentence(&err)
                ))
            })?;
            store_streamed(&tx, sha, p, original, entry, *len).map_err(|e| match e {
                CaseError::Sql(why) | CaseError::Evidence { why, .. } => refuse(format!("{name}: {why}")),
                other => other,
            })?;
        }
        for l in &proven.evidence {
            tx.execute(
                "INSERT INTO evidence_links (case_id, sha256, testpoint, caption, annotations, actor, attached_at, original_name, captured, device, kind)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                params![id, l.sha256, l.testpoint, l.caption, l.annotations.to_string(), l.actor, l.attached_at, l.original_name, l.captured, l.device, l.kind.keyword()],
            )?;
        }
        for (log, actor, at, behaviours) in &reread {
            super::behaviours::write_log(&tx, &id, log, package.as_deref(), behaviours, actor, at)?;
        }
        if reread.len() != logs.len() {
            return Err(refuse(
                "a behaviour log its trail imported is not among its evidence".into(),
            ));
        }
        let mut used = HashSet::new();
        for n in &proven.notices {
            // The notice keeps the trail entry that recorded it, as in the database it came from.
            let anchor = entries
                .iter()
                .find(|e| {
                    e.action == "notice.issued"
                        && !used.contains(&e.seq)
                        && e.payload.get("pdf_sha256").and_then(|v| v.as_str()) == Some(n.pdf_sha256.as_str())
                })
                .map(|e| (e.seq, e.hash.clone()));
            if let Some((seq, _)) = &anchor {
                used.insert(*seq);
            }
            let (seq, hash) = anchor.unwrap_or((0, String::new()));
            tx.execute(
                "INSERT INTO notices (case_id, number, kind, lang, deadline, pdf_sha256, signer, issued_at, chain_seq, chain_hash, authority)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                params![id, n.number, n.kind, n.lang, n.deadline, n.pdf_sha256, n.signer, n.issued_at, seq, hash, n.authority],
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
            &audit::now(),
            actor,
            "case.imported",
            json!({"bundle": name, "entries": entries.len()}),
        )?;
        tx.commit()?;
        Ok(id)
    }
}

/// Stores one evidence file from a stream, in pieces (the file is never whole in memory),
/// checking its SHA-256 as it goes; bytes the database already holds are not stored again.
fn store_streamed(
    tx: &Connection,
    sha256: &str,
    p: &evidence::Prepared,
    original: &str,
    mut from: impl Read,
    len: u64,
) -> Result<(), CaseError> {
    insert_evidence_facts(tx, sha256, p, len, original)?;
    let inserted = tx.execute(
        "INSERT OR IGNORE INTO evidence_data (sha256, bytes) VALUES (?1, zeroblob(?2))",
        params![sha256, len as i64],
    )?;
    if inserted == 0 {
        return Ok(());
    }
    let rowid = tx.last_insert_rowid();
    let mut blob = tx.blob_open(rusqlite::MAIN_DB, "evidence_data", "bytes", rowid, false)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 64 << 10];
    let mut written = 0u64;
    loop {
        let got = from
            .read(&mut buf)
            .map_err(|e| CaseError::Sql(format!("it cannot be read ({e})")))?;
        if got == 0 {
            break;
        }
        if written + got as u64 > len {
            return Err(CaseError::Sql("it changed while it was being imported".into()));
        }
        h.update(&buf[..got]);
        blob.write_all(&buf[..got])
            .map_err(|e| CaseError::Sql(format!("it cannot be stored ({e})")))?;
        written += got as u64;
    }
    if written != len || hex(&h.finalize()) != sha256 {
        return Err(CaseError::Sql("it changed while it was being imported".into()));
    }
    Ok(())
}

/// A bundle's path with `.zip` added when it has no extension.
pub fn bundle_path(p: &Path) -> PathBuf {
    if p.extension().is_some() {
        p.to_path_buf()
    } else {
        p.with_extension("zip")
    }
}
