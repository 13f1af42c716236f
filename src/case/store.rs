//! The case store: every user action is one immediate transaction, recorded in the audit log.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension as _, TransactionBehavior, params};
use serde_json::json;
use sha2::{Digest as _, Sha256};

use super::audit::{self, AuditEntry};
use super::model::*;
use super::{CaseError, db, evidence};
use crate::checklist::{self, Checklist, SubjectType};
use crate::i18n::Text;
use crate::package::{self, PackageReport};
use crate::prefill;
use crate::status::Status;

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Who is acting: `APP_INSPECTOR_ACTOR`, else the login name.
pub fn default_actor() -> String {
    std::env::var("APP_INSPECTOR_ACTOR")
        .or_else(|_| std::env::var("USER"))
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "inspector".into())
}

/// An open case database.
pub struct Store {
    pub(crate) conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Opens (creating and migrating if needed) the database at `path`.
    pub fn open(path: &Path) -> Result<Self, CaseError> {
        Ok(Self {
            conn: db::open(path)?,
            path: path.to_path_buf(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn write<T>(
        &mut self,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T, CaseError>,
    ) -> Result<T, CaseError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// A new case id: date plus a short random part, unique across databases so bundles merge.
    fn new_id(conn: &Connection) -> Result<String, CaseError> {
        let date = chrono::Utc::now().format("%Y%m%d");
        for attempt in 0u32.. {
            let seed = format!(
                "{:?}{}{attempt}",
                std::time::SystemTime::now(),
                std::process::id()
            );
            let digest = Sha256::digest(seed.as_bytes());
            let id = format!("{date}-{}", &hex(&digest)[..6]);
            let taken: bool =
                conn.query_row("SELECT EXISTS(SELECT 1 FROM cases WHERE id = ?1)", [&id], |r| {
                    r.get(0)
                })?;
            if !taken {
                return Ok(id);
            }
        }
        unreachable!("an unbounded loop returns")
    }

    /// Opens a case: analyses the package, records the report and the checklist version, and
    /// stores the automatic findings as suggestions for review.
    pub fn new_case(&mut self, new: &NewCase, actor: &str) -> Result<String, CaseError> {
        let checklist = checklist::resolve(&new.checklist)?;
        let report = package::analyse(&new.package)?;
        self.new_case_from_report(new, &report, &checklist, actor)
    }

    /// As [`Store::new_case`], from a report already made (the window analyses on a worker).
    pub fn new_case_from_report(
        &mut self,
        new: &NewCase,
        report: &PackageReport,
        checklist: &Checklist,
        actor: &str,
    ) -> Result<String, CaseError> {
        let findings = prefill::findings(report, checklist);
        let report_json = serde_json::to_string(report)?;
        let cert = report
            .signing
            .certificates
            .first()
            .map(|c| c.sha256.clone())
            .unwrap_or_default();
        let app_name = report.label_zh.clone().unwrap_or_else(|| report.label.clone());
        let now = audit::now();
        self.write(|tx| {
            let id = Self::new_id(tx)?;
            tx.execute(
                "INSERT OR IGNORE INTO packages (sha256, file_name, size, report_json, icon_png) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    report.file.sha256,
                    report.file.name,
                    report.file.size as i64,
                    report_json,
                    report.icon.as_ref().and_then(|i| i.preview_png.as_deref()),
                ],
            )?;
            tx.execute(
                "INSERT INTO cases (id, checklist_id, checklist_hash, subject_name, subject_type, subject_credit_code,
                    subject_address, app_name, app_package, app_version, cert_sha256, package_sha256, inspectors,
                    state, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, 'open', ?14, ?14)",
                params![
                    id,
                    checklist.id,
                    checklist.content_hash,
                    new.subject_name,
                    new.subject_type.keyword(),
                    new.credit_code,
                    new.address,
                    app_name,
                    report.package,
                    report.version_name.clone().unwrap_or_default(),
                    cert,
                    report.file.sha256,
                    serde_json::to_string(&new.inspectors)?,
                    now,
                ],
            )?;
            for f in &findings {
                tx.execute(
                    "INSERT INTO suggestions (case_id, testpoint, rule, suggested_status, evidence_zh, evidence_en)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![id, f.testpoint, f.rule, f.suggested_status.keyword(), f.evidence.zh, f.evidence.en],
                )?;
            }
            audit::append(
                tx,
                &id,
                actor,
                "case.created",
                json!({
                    "checklist": checklist.id,
                    "checklist_hash": checklist.content_hash,
                    "package_sha256": report.file.sha256,
                    "package": report.package,
                    "subject": new.subject_name,
                    "subject_type": new.subject_type.keyword(),
                    "suggestions": findings.len(),
                }),
            )?;
            Ok(id)
        })
    }

    fn case_row(conn: &Connection, id: &str) -> Result<Case, CaseError> {
        conn.query_row(
            "SELECT id, checklist_id, checklist_hash, subject_name, subject_type, subject_credit_code, subject_address,
                    app_name, app_package, app_version, cert_sha256, package_sha256, inspectors, state, created_at, updated_at
             FROM cases WHERE id = ?1",
            [id],
            |r| {
                let kind: String = r.get(4)?;
                let inspectors: String = r.get(12)?;
                Ok(Case {
                    id: r.get(0)?,
                    checklist_id: r.get(1)?,
                    checklist_hash: r.get(2)?,
                    subject: Subject {
                        name: r.get(3)?,
                        kind: SubjectType::from_keyword(&kind).unwrap_or(SubjectType::AppOperator),
                        credit_code: r.get(5)?,
                        address: r.get(6)?,
                    },
                    app: AppIdentity {
                        name: r.get(7)?,
                        package: r.get(8)?,
                        version: r.get(9)?,
                        cert_sha256: r.get(10)?,
                    },
                    package_sha256: r.get(11)?,
                    inspectors: serde_json::from_str(&inspectors).unwrap_or_default(),
                    state: r.get(13)?,
                    created_at: r.get(14)?,
                    updated_at: r.get(15)?,
                })
            },
        )
        .optional()?
        .ok_or_else(|| CaseError::NoSuchCase(id.to_string()))
    }

    /// The case header.
    pub fn case(&self, id: &str) -> Result<Case, CaseError> {
        Self::case_row(&self.conn, id)
    }

    /// Everything about a case but evidence bytes: what the window shows when a case opens.
    pub fn load(&self, id: &str) -> Result<CaseView, CaseError> {
        let case = self.case(id)?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT testpoint, status, note, source, actor, updated_at FROM assessments WHERE case_id = ?1",
        )?;
        let mut assessments: Vec<Assessment> = stmt
            .query_map([id], |r| {
                let status: String = r.get(1)?;
                Ok(Assessment {
                    testpoint: r.get(0)?,
                    status: Status::from_keyword(&status).unwrap_or_default(),
                    note: r.get(2)?,
                    source: r.get(3)?,
                    actor: r.get(4)?,
                    updated_at: r.get(5)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        assessments.sort_by_key(|a| natural(&a.testpoint));
        let mut stmt = self.conn.prepare_cached(
            "SELECT testpoint, rule, suggested_status, evidence_zh, evidence_en, review, reason FROM suggestions WHERE case_id = ?1",
        )?;
        let mut suggestions: Vec<Suggestion> = stmt
            .query_map([id], |r| {
                let status: String = r.get(2)?;
                Ok(Suggestion {
                    testpoint: r.get(0)?,
                    rule: r.get(1)?,
                    suggested_status: Status::from_keyword(&status).unwrap_or_default(),
                    evidence: Text::new(r.get::<_, String>(3)?, r.get::<_, String>(4)?),
                    review: r.get(5)?,
                    reason: r.get(6)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        suggestions.sort_by(|a, b| {
            natural(&a.testpoint)
                .cmp(&natural(&b.testpoint))
                .then(a.rule.cmp(&b.rule))
        });
        let evidence = self.evidence_list(id)?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT number, kind, lang, deadline, pdf_sha256, signer, issued_at FROM notices WHERE case_id = ?1 ORDER BY id",
        )?;
        let notices = stmt
            .query_map([id], |r| {
                Ok(IssuedNotice {
                    number: r.get(0)?,
                    kind: r.get(1)?,
                    lang: r.get(2)?,
                    deadline: r.get(3)?,
                    pdf_sha256: r.get(4)?,
                    signer: r.get(5)?,
                    issued_at: r.get(6)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(CaseView {
            case,
            assessments,
            suggestions,
            evidence,
            notices,
        })
    }

    fn evidence_list(&self, id: &str) -> Result<Vec<EvidenceItem>, CaseError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT l.id, l.sha256, e.media_type, e.size, e.original_name, e.width, e.height, l.testpoint, l.caption,
                    l.annotations, l.actor, l.attached_at
             FROM evidence_links l JOIN evidence e ON e.sha256 = l.sha256 WHERE l.case_id = ?1 ORDER BY l.id",
        )?;
        let rows = stmt.query_map([id], |r| {
            let annotations: String = r.get(9)?;
            Ok(EvidenceItem {
                link_id: r.get(0)?,
                sha256: r.get(1)?,
                media_type: r.get(2)?,
                size: r.get(3)?,
                original_name: r.get(4)?,
                width: r.get(5)?,
                height: r.get(6)?,
                testpoint: r.get(7)?,
                caption: r.get(8)?,
                annotations: serde_json::from_str(&annotations).unwrap_or(serde_json::Value::Array(vec![])),
                actor: r.get(10)?,
                attached_at: r.get(11)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The package report a case was opened with.
    pub fn package_report(&self, id: &str) -> Result<Option<PackageReport>, CaseError> {
        let json: Option<String> = self
            .conn
            .query_row(
                "SELECT p.report_json FROM cases c JOIN packages p ON p.sha256 = c.package_sha256 WHERE c.id = ?1",
                [id],
                |r| r.get(0),
            )
            .optional()?;
        Ok(json.map(|j| serde_json::from_str(&j)).transpose()?)
    }

    /// The launcher icon of the case's package, a small PNG, when the package had one.
    pub fn package_icon(&self, id: &str) -> Result<Option<Vec<u8>>, CaseError> {
        Ok(self
            .conn
            .query_row(
                "SELECT p.icon_png FROM cases c JOIN packages p ON p.sha256 = c.package_sha256 WHERE c.id = ?1",
                [id],
                |r| r.get::<_, Option<Vec<u8>>>(0),
            )
            .optional()?
            .flatten())
    }

    /// Every case, newest first.
    pub fn list(&self) -> Result<Vec<CaseSummary>, CaseError> {
        let mut stmt = self.conn.prepare(
            "SELECT c.id, c.subject_name, c.subject_type, c.app_name, c.app_package, c.app_version, c.state,
                    c.created_at, c.updated_at,
                    (SELECT count(*) FROM assessments a WHERE a.case_id = c.id AND a.status != 'not-checked'),
                    (SELECT count(*) FROM suggestions s WHERE s.case_id = c.id AND s.review = 'pending'),
                    (SELECT count(*) FROM evidence_links l WHERE l.case_id = c.id),
                    c.checklist_id
             FROM cases c ORDER BY c.created_at DESC, c.id",
        )?;
        let rows = stmt.query_map([], |r| {
            let kind: String = r.get(2)?;
            Ok(CaseSummary {
                id: r.get(0)?,
                checklist_id: r.get(12)?,
                subject_name: r.get(1)?,
                subject_type: SubjectType::from_keyword(&kind).unwrap_or(SubjectType::AppOperator),
                app_name: r.get(3)?,
                app_package: r.get(4)?,
                app_version: r.get(5)?,
                state: r.get(6)?,
                created_at: r.get(7)?,
                updated_at: r.get(8)?,
                assessed: r.get(9)?,
                pending_suggestions: r.get(10)?,
                evidence: r.get(11)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The status of every assessed test point of every case, in one query: case → test point → status.
    pub fn all_statuses(&self) -> Result<HashMap<String, HashMap<String, Status>>, CaseError> {
        let mut stmt = self
            .conn
            .prepare("SELECT case_id, testpoint, status FROM assessments")?;
        let mut out: HashMap<String, HashMap<String, Status>> = HashMap::new();
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let status: String = r.get(2)?;
            out.entry(r.get(0)?)
                .or_default()
                .insert(r.get(1)?, Status::from_keyword(&status).unwrap_or_default());
        }
        Ok(out)
    }

    fn open_case(tx: &Connection, id: &str) -> Result<Case, CaseError> {
        let case = Self::case_row(tx, id)?;
        if case.state == "closed" {
            return Err(CaseError::Closed(id.to_string()));
        }
        Ok(case)
    }

    fn touch(tx: &Connection, id: &str) -> Result<(), CaseError> {
        tx.execute(
            "UPDATE cases SET updated_at = ?2 WHERE id = ?1",
            params![id, audit::now()],
        )?;
        Ok(())
    }

    fn check_testpoint(case: &Case, testpoint: &str) -> Result<(), CaseError> {
        let checklist = checklist::resolve(&case.checklist_id)?;
        if checklist.test_point(testpoint).is_none() {
            return Err(CaseError::NoSuchTestPoint {
                testpoint: testpoint.to_string(),
                checklist: case.checklist_id.clone(),
            });
        }
        Ok(())
    }

    /// Records the inspector's status of a test point.
    pub fn assess(
        &mut self,
        id: &str,
        testpoint: &str,
        status: Status,
        note: &str,
        actor: &str,
    ) -> Result<(), CaseError> {
        let case = self.case(id)?;
        Self::check_testpoint(&case, testpoint)?;
        self.write(|tx| {
            Self::open_case(tx, id)?;
            let before: Option<(String, String)> = tx
                .query_row(
                    "SELECT status, note FROM assessments WHERE case_id = ?1 AND testpoint = ?2",
                    params![id, testpoint],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            upsert_assessment(tx, id, testpoint, status, note, "inspector", actor)?;
            Self::touch(tx, id)?;
            audit::append(
                tx,
                id,
                actor,
                "assessment.set",
                json!({
                    "testpoint": testpoint,
                    "status": status.keyword(),
                    "note": note,
                    "before": before.map(|(s, n)| json!({"status": s, "note": n})),
                }),
            )?;
            Ok(())
        })
    }

    /// Accepts (the suggested status becomes the assessment) or rejects, with a reason, the
    /// automatic suggestions on a test point (all of them, or only `rule`'s).
    pub fn review(
        &mut self,
        id: &str,
        testpoint: &str,
        rule: Option<&str>,
        accept: bool,
        reason: &str,
        actor: &str,
    ) -> Result<(), CaseError> {
        self.write(|tx| {
            Self::open_case(tx, id)?;
            let mut stmt = tx.prepare(
                "SELECT rule, suggested_status FROM suggestions WHERE case_id = ?1 AND testpoint = ?2 AND (?3 IS NULL OR rule = ?3)",
            )?;
            let found: Vec<(String, String)> = stmt
                .query_map(params![id, testpoint, rule], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<_, _>>()?;
            drop(stmt);
            if found.is_empty() {
                return Err(CaseError::NoSuggestion(testpoint.to_string()));
            }
            let review = if accept { "accepted" } else { "rejected" };
            tx.execute(
                "UPDATE suggestions SET review = ?4, reason = ?5 WHERE case_id = ?1 AND testpoint = ?2 AND (?3 IS NULL OR rule = ?3)",
                params![id, testpoint, rule, review, reason],
            )?;
            if accept {
                // Several rules on one test point: the most severe suggestion wins.
                let worst = found
                    .iter()
                    .filter_map(|(_, s)| Status::from_keyword(s))
                    .max_by_key(|s| match s {
                        Status::NonCompliant => 4,
                        Status::Partial => 3,
                        Status::Compliant => 2,
                        Status::NotApplicable => 1,
                        Status::NotChecked => 0,
                    })
                    .unwrap_or_default();
                upsert_assessment(tx, id, testpoint, worst, reason, "automatic", actor)?;
            }
            Self::touch(tx, id)?;
            audit::append(
                tx,
                id,
                actor,
                if accept { "suggestion.accepted" } else { "suggestion.rejected" },
                json!({"testpoint": testpoint, "rules": found.iter().map(|(r, _)| r).collect::<Vec<_>>(), "reason": reason}),
            )?;
            Ok(())
        })
    }

    /// Attaches an evidence file; returns its SHA-256. The same bytes are stored once.
    pub fn attach(
        &mut self,
        id: &str,
        file: &Path,
        testpoint: Option<&str>,
        caption: &str,
        actor: &str,
    ) -> Result<String, CaseError> {
        let bytes = std::fs::read(file).map_err(|source| CaseError::Io {
            path: file.to_path_buf(),
            source,
        })?;
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        self.attach_bytes(id, &name, &bytes, testpoint, caption, actor)
    }

    /// As [`Store::attach`], for bytes in memory (pasted from the clipboard, say).
    pub fn attach_bytes(
        &mut self,
        id: &str,
        name: &str,
        bytes: &[u8],
        testpoint: Option<&str>,
        caption: &str,
        actor: &str,
    ) -> Result<String, CaseError> {
        let case = self.case(id)?;
        if let Some(tp) = testpoint {
            Self::check_testpoint(&case, tp)?;
        }
        let sha256 = sha256_hex(bytes);
        let known: bool = self.conn.query_row(
            "SELECT EXISTS(SELECT 1 FROM evidence WHERE sha256 = ?1)",
            [&sha256],
            |r| r.get(0),
        )?;
        // Decode and thumbnail outside the transaction: it is the slow part, and needs no lock.
        let prepared = if known {
            None
        } else {
            Some(evidence::prepare(bytes, name)?)
        };
        self.write(|tx| {
            Self::open_case(tx, id)?;
            if let Some(p) = &prepared {
                insert_evidence(tx, &sha256, p, bytes, name)?;
            }
            let inserted = tx.execute(
                "INSERT OR IGNORE INTO evidence_links (case_id, sha256, testpoint, caption, actor, attached_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![id, sha256, testpoint, caption, actor, audit::now()],
            )?;
            if inserted > 0 {
                Self::touch(tx, id)?;
                audit::append(
                    tx,
                    id,
                    actor,
                    "evidence.attached",
                    json!({"sha256": sha256, "name": name, "testpoint": testpoint, "caption": caption, "size": bytes.len()}),
                )?;
            }
            Ok(())
        })?;
        Ok(sha256)
    }

    /// Sets the caption and annotations of an evidence link.
    pub fn annotate(
        &mut self,
        id: &str,
        link_id: i64,
        caption: &str,
        annotations: &serde_json::Value,
        actor: &str,
    ) -> Result<(), CaseError> {
        evidence::check_annotations(annotations).map_err(|why| CaseError::Evidence {
            name: format!("evidence #{link_id}"),
            why,
        })?;
        self.write(|tx| {
            Self::open_case(tx, id)?;
            let n = tx.execute(
                "UPDATE evidence_links SET caption = ?3, annotations = ?4 WHERE case_id = ?1 AND id = ?2",
                params![id, link_id, caption, annotations.to_string()],
            )?;
            if n == 0 {
                return Err(CaseError::Evidence {
                    name: format!("evidence #{link_id}"),
                    why: format!("it is not linked to case {id}"),
                });
            }
            Self::touch(tx, id)?;
            audit::append(
                tx,
                id,
                actor,
                "evidence.annotated",
                json!({"link": link_id, "caption": caption, "annotations": annotations}),
            )?;
            Ok(())
        })
    }

    /// Opens or closes a case.
    pub fn set_state(&mut self, id: &str, closed: bool, actor: &str) -> Result<(), CaseError> {
        self.write(|tx| {
            Self::case_row(tx, id)?;
            let state = if closed { "closed" } else { "open" };
            tx.execute(
                "UPDATE cases SET state = ?2, updated_at = ?3 WHERE id = ?1",
                params![id, state, audit::now()],
            )?;
            audit::append(
                tx,
                id,
                actor,
                if closed { "case.closed" } else { "case.reopened" },
                json!({}),
            )?;
            Ok(())
        })
    }

    /// The bytes of an evidence file.
    pub fn evidence_bytes(&self, sha256: &str) -> Result<Vec<u8>, CaseError> {
        self.conn
            .query_row(
                "SELECT bytes FROM evidence_data WHERE sha256 = ?1",
                [sha256],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| CaseError::Evidence {
                name: sha256.to_string(),
                why: "no such evidence in this database".into(),
            })
    }

    /// The thumbnail (JPEG) of an image evidence file.
    pub fn thumbnail(&self, sha256: &str) -> Result<Option<Vec<u8>>, CaseError> {
        Ok(self
            .conn
            .query_row(
                "SELECT thumbnail FROM evidence WHERE sha256 = ?1",
                [sha256],
                |r| r.get(0),
            )
            .optional()?
            .flatten())
    }

    /// The audit log of a case.
    pub fn audit(&self, id: &str) -> Result<Vec<AuditEntry>, CaseError> {
        self.case(id)?;
        audit::entries(&self.conn, id)
    }

    /// Records an issued notice.
    pub fn record_notice(&mut self, id: &str, notice: &IssuedNotice, actor: &str) -> Result<(), CaseError> {
        self.write(|tx| {
            Self::case_row(tx, id)?;
            tx.execute(
                "INSERT INTO notices (case_id, number, kind, lang, deadline, pdf_sha256, signer, issued_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    id,
                    notice.number,
                    notice.kind,
                    notice.lang,
                    notice.deadline,
                    notice.pdf_sha256,
                    notice.signer,
                    notice.issued_at
                ],
            )?;
            audit::append(tx, id, actor, "notice.issued", serde_json::to_value(notice)?)?;
            Ok(())
        })
    }
}

/// Records a test point's status, replacing the previous one (the audit entry keeps that).
fn upsert_assessment(
    tx: &Connection,
    id: &str,
    testpoint: &str,
    status: Status,
    note: &str,
    source: &str,
    actor: &str,
) -> Result<(), CaseError> {
    tx.execute(
        "INSERT INTO assessments (case_id, testpoint, status, note, source, actor, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (case_id, testpoint) DO UPDATE SET status = excluded.status, note = excluded.note,
            source = excluded.source, actor = excluded.actor, updated_at = excluded.updated_at",
        params![id, testpoint, status.keyword(), note, source, actor, audit::now()],
    )?;
    Ok(())
}

/// Stores an evidence file once: its facts and thumbnail, and apart, its bytes.
pub(crate) fn insert_evidence(
    tx: &Connection,
    sha256: &str,
    p: &evidence::Prepared,
    bytes: &[u8],
    name: &str,
) -> Result<(), CaseError> {
    tx.execute(
        "INSERT OR IGNORE INTO evidence (sha256, media_type, size, original_name, width, height, thumbnail)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            sha256,
            p.media_type,
            bytes.len() as i64,
            name,
            p.width,
            p.height,
            p.thumbnail
        ],
    )?;
    tx.execute(
        "INSERT OR IGNORE INTO evidence_data (sha256, bytes) VALUES (?1, ?2)",
        params![sha256, bytes],
    )?;
    Ok(())
}

/// Sort key for test point ids: `2.10` after `2.9`.
pub(crate) fn natural(id: &str) -> Vec<u32> {
    id.split('.').map(|p| p.parse().unwrap_or(u32::MAX)).collect()
}
