//! The case store: every user action is one immediate transaction, recorded in the audit log.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension as _, TransactionBehavior, params};
use serde_json::json;
use sha2::{Digest as _, Sha256};

use super::audit::{self, AuditEntry};
use super::judgement;
use super::lifecycle::{self, CaseState, Trigger};
use super::model::*;
use super::replay::{self, Created, NewSuggestion};
use super::{Authority, CaseError, db, evidence};
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
    /// Opens (creating and migrating if needed) the database at `path`, after SQLite's quick
    /// check of every page.
    pub fn open(path: &Path) -> Result<Self, CaseError> {
        Ok(Self {
            conn: db::open(path)?,
            path: path.to_path_buf(),
        })
    }

    /// Opens a database this process has already opened (and checked) with [`Store::open`]: the
    /// window's workers, which open it once per job, skip the page check.
    pub fn open_again(path: &Path) -> Result<Self, CaseError> {
        Ok(Self {
            conn: db::open_with(path, false)?,
            path: path.to_path_buf(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn write<T>(
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
            let id = format!("{date}-{}", crate::i18n::prefix(&hex(&digest), 6));
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
        // Checked before the package is analysed: a mistyped inspector or code costs no time.
        replay::check_inspectors(&new.inspectors).map_err(CaseError::Inspectors)?;
        if !new.credit_code.trim().is_empty() {
            super::credit_code::check(&new.credit_code).map_err(CaseError::CreditCode)?;
        }
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
        replay::check_inspectors(&new.inspectors).map_err(CaseError::Inspectors)?;
        if !new.credit_code.trim().is_empty() {
            super::credit_code::check(&new.credit_code).map_err(CaseError::CreditCode)?;
        }
        replay::check_line("the filing number", new.filing.trim()).map_err(CaseError::Filing)?;
        let roles = distinct_roles(&new.roles);
        let findings = prefill::findings(report, checklist, &roles);
        let report_json = serde_json::to_string(report)?;
        let created = Created {
            checklist: checklist.id.clone(),
            checklist_hash: checklist.content_hash.clone(),
            checklist_version: checklist.version.clone(),
            package_sha256: Some(report.file.sha256.clone()),
            subject: Subject {
                name: new.subject_name.clone(),
                kind: roles[0],
                roles: roles.clone(),
                credit_code: new.credit_code.clone(),
                address: new.address.clone(),
            },
            app: AppIdentity::of(report, new.filing.trim()),
            inspectors: new.inspectors.clone(),
            suggestions: findings
                .iter()
                .map(|f| NewSuggestion {
                    testpoint: f.testpoint.clone(),
                    rule: f.rule.clone(),
                    status: f.suggested_status,
                    evidence: f.evidence.clone(),
                })
                .collect(),
        };
        let at = audit::now();
        self.write(|tx| {
            let id = Self::new_id(tx)?;
            insert_package(
                tx,
                report,
                &report_json,
                report.icon.as_ref().and_then(|i| i.preview_png.as_deref()),
            )?;
            pin_checklist(tx, checklist)?;
            let c = &created;
            insert_case_row(
                tx,
                &Case {
                    id: id.clone(),
                    checklist_id: c.checklist.clone(),
                    checklist_hash: c.checklist_hash.clone(),
                    subject: c.subject.clone(),
                    app: c.app.clone(),
                    package_sha256: c.package_sha256.clone(),
                    inspectors: c.inspectors.clone(),
                    state: CaseState::Open,
                    created_at: at.clone(),
                    updated_at: at.clone(),
                },
            )?;
            for s in &c.suggestions {
                insert_suggestion(tx, &id, s)?;
            }
            audit::append(tx, &id, &at, actor, "case.created", serde_json::to_value(c)?)?;
            Ok(id)
        })
    }

    pub(crate) fn case_row(conn: &Connection, id: &str) -> Result<Case, CaseError> {
        conn.query_row(
            "SELECT id, checklist_id, checklist_hash, subject_name, subject_type, subject_credit_code, subject_address,
                    app_name, app_package, app_version, cert_sha256, package_sha256, inspectors, state, created_at, updated_at,
                    subject_roles, app_filing
             FROM cases WHERE id = ?1",
            [id],
            |r| {
                let kind: String = r.get(4)?;
                let inspectors: String = r.get(12)?;
                let roles: String = r.get(16)?;
                Ok(Case {
                    id: r.get(0)?,
                    checklist_id: r.get(1)?,
                    checklist_hash: r.get(2)?,
                    subject: Subject {
                        name: r.get(3)?,
                        kind: SubjectType::from_keyword(&kind).unwrap_or(SubjectType::AppOperator),
                        roles: parse_roles(&roles),
                        credit_code: r.get(5)?,
                        address: r.get(6)?,
                    },
                    app: AppIdentity {
                        name: r.get(7)?,
                        package: r.get(8)?,
                        version: r.get(9)?,
                        cert_sha256: r.get(10)?,
                        filing: r.get(17)?,
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
        load_view(&self.conn, id)
    }

    /// The package report a case was opened with.
    pub fn package_report(&self, id: &str) -> Result<Option<PackageReport>, CaseError> {
        let sha: Option<String> = self
            .conn
            .query_row("SELECT package_sha256 FROM cases WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?
            .flatten();
        match sha {
            Some(sha) => self.package_by_sha(&sha),
            None => Ok(None),
        }
    }

    /// A package report stored in this database, by the package file's SHA-256.
    pub fn package_by_sha(&self, sha256: &str) -> Result<Option<PackageReport>, CaseError> {
        let json: Option<String> = self
            .conn
            .query_row(
                "SELECT report_json FROM packages WHERE sha256 = ?1",
                [sha256],
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
                    c.checklist_id, c.checklist_hash, c.subject_roles,
                    n.deadline, n.authority
             FROM cases c
             -- IssuedNotice::sets_deadline, in SQL.
             LEFT JOIN notices n ON n.id = (SELECT max(id) FROM notices WHERE case_id = c.id AND deadline != ''
                                            AND kind IN ('rectification', 'reinspection'))
             ORDER BY c.created_at DESC, c.id",
        )?;
        // Today where each authority is: a deadline is a date there.
        let zones: HashMap<String, chrono_tz::Tz> = self
            .authorities()?
            .into_iter()
            .filter_map(|a| Some((a.name.clone(), a.tz().ok()?)))
            .collect();
        let now = chrono::Utc::now();
        let today = |authority: &str| {
            let tz = zones.get(authority).copied().unwrap_or(chrono_tz::Asia::Shanghai);
            now.with_timezone(&tz).date_naive()
        };
        let rows = stmt.query_map([], |r| {
            let deadline: Option<String> = r.get(15)?;
            let authority: Option<String> = r.get(16)?;
            let state: CaseState = r.get(6)?;
            let facts = DeadlineFacts::of(
                deadline.as_deref(),
                today(authority.as_deref().unwrap_or_default()),
                state == CaseState::NoticeIssued,
            );
            let kind: String = r.get(2)?;
            let kind = SubjectType::from_keyword(&kind).unwrap_or(SubjectType::AppOperator);
            let roles = parse_roles(&r.get::<_, String>(14)?);
            Ok(CaseSummary {
                id: r.get(0)?,
                checklist_id: r.get(12)?,
                checklist_hash: r.get(13)?,
                subject_name: r.get(1)?,
                subject_type: kind,
                roles: if roles.is_empty() { vec![kind] } else { roles },
                app_name: r.get(3)?,
                app_package: r.get(4)?,
                app_version: r.get(5)?,
                state,
                created_at: r.get(7)?,
                updated_at: r.get(8)?,
                assessed: r.get(9)?,
                pending_suggestions: r.get(10)?,
                evidence: r.get(11)?,
                deadline: facts.deadline,
                days_left: facts.days_left,
                overdue: facts.overdue,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Where a loaded case stands against the deadline of the last notice that set one (as
    /// [`Store::list`] works it out for every case), today in the notice's authority's time zone.
    pub fn deadline(&self, view: &CaseView) -> DeadlineFacts {
        let Some(n) = view.notices.iter().rev().find(|n| n.sets_deadline()) else {
            return DeadlineFacts::default();
        };
        let tz = self
            .authority(&n.authority)
            .ok()
            .and_then(|a| a.tz().ok())
            .unwrap_or(chrono_tz::Asia::Shanghai);
        let today = chrono::Utc::now().with_timezone(&tz).date_naive();
        DeadlineFacts::of(
            Some(&n.deadline),
            today,
            view.case.state == CaseState::NoticeIssued,
        )
    }

    /// Every case's answers to its checklist's conditions, in one query: case → condition → applies.
    pub fn all_applicability(
        &self,
    ) -> Result<HashMap<String, std::collections::BTreeMap<String, bool>>, CaseError> {
        let mut stmt = self
            .conn
            .prepare("SELECT case_id, condition, applies FROM applicability")?;
        let mut out: HashMap<String, std::collections::BTreeMap<String, bool>> = HashMap::new();
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, bool>(2)?,
            ))
        })?;
        for row in rows {
            let (case, condition, applies) = row?;
            out.entry(case).or_default().insert(condition, applies);
        }
        Ok(out)
    }

    /// Answers one of the checklist's conditions for a case (`None` takes the answer back). The
    /// answer decides whether the condition's test points count; judgements on them stay as made.
    pub fn set_applicability(
        &mut self,
        id: &str,
        condition: &str,
        applies: Option<bool>,
        actor: &str,
    ) -> Result<(), CaseError> {
        let at = audit::now();
        self.write(|tx| {
            let case = Self::open_case(tx, id)?;
            let checklist = pinned_checklist(tx, &case)?;
            if checklist.condition(condition).is_none() {
                let known: Vec<&str> = checklist.conditions.iter().map(|c| c.id.as_str()).collect();
                return Err(CaseError::UnknownCondition {
                    condition: condition.to_string(),
                    known: known.join(", "),
                });
            }
            match applies {
                Some(applies) => write_applicability(
                    tx,
                    id,
                    &Applicability {
                        condition: condition.to_string(),
                        applies,
                        actor: actor.to_string(),
                        updated_at: at.clone(),
                    },
                )?,
                None => {
                    tx.execute(
                        "DELETE FROM applicability WHERE case_id = ?1 AND condition = ?2",
                        params![id, condition],
                    )?;
                }
            }
            Self::touch(tx, id, &at)?;
            audit::append(
                tx,
                id,
                &at,
                actor,
                "case.applicability",
                json!({"condition": condition, "applies": applies}),
            )?;
            Ok(())
        })
    }

    /// Records how the App was tested (replacing what was recorded before).
    pub fn set_test_conditions(
        &mut self,
        id: &str,
        conditions: &TestConditions,
        actor: &str,
    ) -> Result<(), CaseError> {
        replay::check_test_conditions(conditions).map_err(CaseError::TestConditions)?;
        let at = audit::now();
        self.write(|tx| {
            Self::open_case(tx, id)?;
            write_test_conditions(tx, id, conditions, actor, &at)?;
            Self::touch(tx, id, &at)?;
            audit::append(
                tx,
                id,
                &at,
                actor,
                "case.test-conditions",
                json!({"conditions": conditions}),
            )?;
            Ok(())
        })
    }

    /// Records the App's filing number (APP备案号), audited.
    pub fn set_filing(&mut self, id: &str, filing: &str, actor: &str) -> Result<(), CaseError> {
        let filing = filing.trim();
        replay::check_line("the filing number", filing).map_err(CaseError::Filing)?;
        let at = audit::now();
        self.write(|tx| {
            Self::open_case(tx, id)?;
            tx.execute(
                "UPDATE cases SET app_filing = ?2, updated_at = ?3 WHERE id = ?1",
                params![id, filing, at],
            )?;
            audit::append(tx, id, &at, actor, "case.filing", json!({"filing": filing}))?;
            Ok(())
        })
    }

    /// Replaces the case's inspectors (names and 执法证号), audited as one change.
    pub fn set_inspectors(
        &mut self,
        id: &str,
        inspectors: &[Inspector],
        actor: &str,
    ) -> Result<(), CaseError> {
        replay::check_inspectors(inspectors).map_err(CaseError::Inspectors)?;
        let at = audit::now();
        self.write(|tx| {
            Self::open_case(tx, id)?;
            tx.execute(
                "UPDATE cases SET inspectors = ?2, updated_at = ?3 WHERE id = ?1",
                params![id, serde_json::to_string(inspectors)?, at],
            )?;
            audit::append(
                tx,
                id,
                &at,
                actor,
                "case.inspectors",
                json!({"inspectors": inspectors}),
            )?;
            Ok(())
        })
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

    pub(crate) fn open_case(tx: &Connection, id: &str) -> Result<Case, CaseError> {
        let case = Self::case_row(tx, id)?;
        if case.state.is_final() {
            return Err(CaseError::Closed {
                case: id.to_string(),
                state: case.state,
            });
        }
        Ok(case)
    }

    pub(crate) fn touch(tx: &Connection, id: &str, at: &str) -> Result<(), CaseError> {
        tx.execute("UPDATE cases SET updated_at = ?2 WHERE id = ?1", params![id, at])?;
        Ok(())
    }

    /// The checklist a case is judged against: exactly the version it was opened on (or moved
    /// to), as stored with the case — never whatever version the tool ships today.
    pub fn checklist_of(&self, case: &Case) -> Result<Checklist, CaseError> {
        pinned_checklist(&self.conn, case)
    }

    /// A checklist version stored with some case, by content hash.
    pub fn checklist_by_hash(&self, hash: &str) -> Result<Option<Checklist>, CaseError> {
        stored_checklist(&self.conn, hash)
    }

    /// [`Store::checklist_of`] by case id.
    pub fn checklist(&self, id: &str) -> Result<Checklist, CaseError> {
        self.checklist_of(&self.case(id)?)
    }

    fn check_testpoint(conn: &Connection, case: &Case, testpoint: &str) -> Result<(), CaseError> {
        let checklist = pinned_checklist(conn, case)?;
        if checklist.test_point(testpoint).is_none() {
            return Err(CaseError::NoSuchTestPoint {
                testpoint: testpoint.to_string(),
                checklist: format!("{} {}", case.checklist_id, checklist.version),
            });
        }
        Ok(())
    }

    /// Records the inspector's judgement of a test point: status and note, exactly as given. A
    /// test point set back to "not checked" with no note is handed back to the accepted
    /// suggestions ([`judgement`]).
    pub fn assess(
        &mut self,
        id: &str,
        testpoint: &str,
        status: Status,
        note: &str,
        actor: &str,
    ) -> Result<(), CaseError> {
        self.assess_many(id, &[testpoint], status, note, actor)
    }

    /// Judges several test points alike — a clause's that do not apply, say — in one
    /// transaction: each judgement recorded and audited on its own, all or none.
    pub fn assess_many(
        &mut self,
        id: &str,
        testpoints: &[&str],
        status: Status,
        note: &str,
        actor: &str,
    ) -> Result<(), CaseError> {
        let case = self.case(id)?;
        for tp in testpoints {
            Self::check_testpoint(&self.conn, &case, tp)?;
        }
        let at = audit::now();
        self.write(|tx| {
            Self::open_case(tx, id)?;
            for testpoint in testpoints {
                let testpoint = *testpoint;
                let before = current_assessment(tx, id, testpoint)?;
                upsert_assessment(
                    tx,
                    &Assessment {
                        testpoint: testpoint.to_string(),
                        status,
                        note: note.to_string(),
                        source: judgement::Source::Inspector.keyword().into(),
                        actor: actor.to_string(),
                        updated_at: at.clone(),
                    },
                    id,
                )?;
                tx.execute(
                    "DELETE FROM rechecks WHERE case_id = ?1 AND testpoint = ?2",
                    params![id, testpoint],
                )?;
                let settled = settle(tx, id, testpoint, actor, &at)?;
                audit::append(
                    tx,
                    id,
                    &at,
                    actor,
                    "assessment.set",
                    json!({
                        "testpoint": testpoint,
                        "status": status.keyword(),
                        "note": note,
                        "before": before.map(|a| json!({"status": a.status.keyword(), "note": a.note, "source": a.source})),
                        "result": settled,
                    }),
                )?;
            }
            Self::touch(tx, id, &at)?;
            Ok(())
        })
    }

    /// Accepts or rejects (with a reason) the automatic suggestions on a test point — all of
    /// them, or only `rule`'s. Where the inspector has not judged the test point its status
    /// becomes the worst of the suggestions accepted on it, whatever the order of the reviews;
    /// where the inspector has, the review is recorded and their status and note stay.
    pub fn review(
        &mut self,
        id: &str,
        testpoint: &str,
        rule: Option<&str>,
        accept: bool,
        reason: &str,
        actor: &str,
    ) -> Result<ReviewOutcome, CaseError> {
        let at = audit::now();
        self.write(|tx| {
            Self::open_case(tx, id)?;
            let mut stmt = tx.prepare(
                "SELECT rule FROM suggestions WHERE case_id = ?1 AND testpoint = ?2 AND (?3 IS NULL OR rule = ?3) ORDER BY rule",
            )?;
            let rules: Vec<String> = stmt
                .query_map(params![id, testpoint, rule], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            drop(stmt);
            if rules.is_empty() {
                return Err(CaseError::NoSuggestion(testpoint.to_string()));
            }
            let review = if accept { "accepted" } else { "rejected" };
            tx.execute(
                "UPDATE suggestions SET review = ?4, reason = ?5 WHERE case_id = ?1 AND testpoint = ?2 AND (?3 IS NULL OR rule = ?3)",
                params![id, testpoint, rule, review, reason],
            )?;
            let settled = settle(tx, id, testpoint, actor, &at)?;
            Self::touch(tx, id, &at)?;
            audit::append(
                tx,
                id,
                &at,
                actor,
                if accept { "suggestion.accepted" } else { "suggestion.rejected" },
                json!({"testpoint": testpoint, "rules": rules, "reason": reason, "result": settled}),
            )?;
            Ok(match settled.as_str() {
                "inspector" => ReviewOutcome::InspectorKept,
                _ => ReviewOutcome::Settled,
            })
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
        let (name, bytes) = evidence::read_file(file, "evidence files")?;
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
        let linked = self.link_file(
            id,
            name,
            bytes,
            testpoint,
            caption,
            EvidenceKind::Evidence,
            actor,
            |_, _, _| Ok(()),
        )?;
        Ok(linked)
    }

    /// Stores a file and links it to the case as `kind`; `then` runs in the same transaction with
    /// the time and the file's SHA-256 (a report received moves the case on with it).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn link_file(
        &mut self,
        id: &str,
        name: &str,
        bytes: &[u8],
        testpoint: Option<&str>,
        caption: &str,
        kind: EvidenceKind,
        actor: &str,
        then: impl FnOnce(&Connection, &str, &str) -> Result<(), CaseError>,
    ) -> Result<String, CaseError> {
        let case = self.case(id)?;
        if let Some(tp) = testpoint {
            Self::check_testpoint(&self.conn, &case, tp)?;
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
        let at = audit::now();
        self.write(|tx| {
            Self::open_case(tx, id)?;
            link_evidence(
                tx,
                &Linked {
                    case: id,
                    sha256: &sha256,
                    prepared: prepared.as_ref(),
                    bytes,
                    name,
                    testpoint,
                    caption,
                    actor,
                    at: &at,
                    kind,
                },
            )?;
            then(tx, &at, &sha256)
        })?;
        Ok(sha256)
    }

    /// Moves a piece of evidence to another test point, or (`None`) unlinks it from its test point;
    /// the stored file, its caption and annotations stay. Audited.
    pub fn relink(&mut self, id: &str, link_id: i64, to: Option<&str>, actor: &str) -> Result<(), CaseError> {
        let fail = |why: String| CaseError::Evidence {
            name: format!("evidence #{link_id}"),
            why,
        };
        let case = self.case(id)?;
        if let Some(tp) = to {
            Self::check_testpoint(&self.conn, &case, tp)?;
        }
        let at = audit::now();
        self.write(|tx| {
            Self::open_case(tx, id)?;
            let (sha256, from) = linked(tx, id, link_id)?;
            if from.as_deref() == to {
                return Ok(());
            }
            let taken: bool = tx.query_row(
                "SELECT EXISTS(SELECT 1 FROM evidence_links WHERE case_id = ?1 AND sha256 = ?2 AND ifnull(testpoint, '') = ifnull(?3, ''))",
                params![id, sha256, to],
                |r| r.get(0),
            )?;
            if taken {
                return Err(fail(format!(
                    "the same file is already linked to {}",
                    to.unwrap_or("the case without a test point")
                )));
            }
            tx.execute(
                "UPDATE evidence_links SET testpoint = ?3 WHERE case_id = ?1 AND id = ?2",
                params![id, link_id, to],
            )?;
            Self::touch(tx, id, &at)?;
            audit::append(
                tx,
                id,
                &at,
                actor,
                "evidence.relinked",
                json!({"link": link_id, "sha256": sha256, "from": from, "to": to}),
            )?;
            Ok(())
        })
    }

    /// Records when and on what device a piece of evidence was captured, as the inspector knows
    /// it (`None` clears an entry); audited.
    pub fn set_capture(
        &mut self,
        id: &str,
        link_id: i64,
        captured: Option<&str>,
        device: Option<&str>,
        actor: &str,
    ) -> Result<(), CaseError> {
        let fail = |why: String| CaseError::Evidence {
            name: format!("evidence #{link_id}"),
            why,
        };
        let captured = captured
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(super::capture::parse_entered)
            .transpose()
            .map_err(fail)?;
        let device = device
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(str::to_string);
        if let Some(d) = &device {
            replay::check_line("the device", d).map_err(fail)?;
        }
        let at = audit::now();
        self.write(|tx| {
            Self::open_case(tx, id)?;
            let (sha256, testpoint) = linked(tx, id, link_id)?;
            tx.execute(
                "UPDATE evidence_links SET captured = ?3, device = ?4 WHERE case_id = ?1 AND id = ?2",
                params![id, link_id, captured, device],
            )?;
            Self::touch(tx, id, &at)?;
            audit::append(
                tx,
                id,
                &at,
                actor,
                "evidence.captured",
                json!({"link": link_id, "sha256": sha256, "testpoint": testpoint, "captured": captured, "device": device}),
            )?;
            Ok(())
        })
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
        let at = audit::now();
        self.write(|tx| {
            Self::open_case(tx, id)?;
            let (sha256, testpoint) = linked(tx, id, link_id)?;
            tx.execute(
                "UPDATE evidence_links SET caption = ?3, annotations = ?4 WHERE case_id = ?1 AND id = ?2",
                params![id, link_id, caption, annotations.to_string()],
            )?;
            Self::touch(tx, id, &at)?;
            // The link is named by what identifies it in any database (file and test point):
            // its row id changes when the case is imported elsewhere.
            audit::append(
                tx,
                id,
                &at,
                actor,
                "evidence.annotated",
                json!({"link": link_id, "sha256": sha256, "testpoint": testpoint, "caption": caption, "annotations": annotations}),
            )?;
            Ok(())
        })
    }

    /// The bytes of an evidence file, hashed again on the way out: every path by which evidence
    /// leaves the store (bundle, notice, viewer) comes through here, so bytes changed inside the
    /// database are never shown or sent under the original's SHA-256.
    pub fn evidence_bytes(&self, sha256: &str) -> Result<Vec<u8>, CaseError> {
        let bytes: Vec<u8> = self
            .conn
            .query_row(
                "SELECT bytes FROM evidence_data WHERE sha256 = ?1",
                [sha256],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| CaseError::Evidence {
                name: sha256.to_string(),
                why: "no such evidence in this database".into(),
            })?;
        if sha256_hex(&bytes) != sha256 {
            return Err(CaseError::EvidenceAltered {
                sha256: sha256.to_string(),
            });
        }
        Ok(bytes)
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

    /// Records an issued notice — called once its PDF is completely written where it belongs.
    /// The notice keeps the audit entry that records it: a trail later cut short before that
    /// entry is caught by `case log --verify`.
    /// Records an issued notice. `serial` claims the authority's next 文号 serial of a year in the
    /// same transaction: when another notice took it meanwhile, nothing is recorded.
    pub fn record_notice(
        &mut self,
        id: &str,
        notice: &IssuedNotice,
        serial: Option<(i32, u32)>,
        actor: &str,
    ) -> Result<(), CaseError> {
        let at = audit::now();
        self.write(|tx| {
            Self::case_row(tx, id)?;
            if let Some((year, n)) = serial {
                let next = next_serial(tx, &notice.authority, year)?;
                if next != n {
                    return Err(CaseError::SerialTaken {
                        authority: notice.authority.clone(),
                        year,
                        serial: n,
                    });
                }
                tx.execute(
                    "INSERT INTO notice_serials (authority, year, last) VALUES (?1, ?2, ?3)
                     ON CONFLICT (authority, year) DO UPDATE SET last = excluded.last",
                    params![notice.authority, year, n],
                )?;
            }
            let entry = audit::append(tx, id, &at, actor, "notice.issued", serde_json::to_value(notice)?)?;
            // A notice that sets a deadline (a rectification notice, or a re-inspection opinion
            // with problems remaining) leaves the case awaiting the enterprise; a translation
            // carries the same number and moves nothing the original did not.
            if notice.sets_deadline() && notice.lang == "zh" {
                lifecycle::advance(tx, id, Trigger::Notice, &notice.number, actor, &at)?;
            }
            tx.execute(
                "INSERT INTO notices (case_id, number, kind, lang, deadline, pdf_sha256, signer, issued_at, chain_seq, chain_hash, authority)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                params![
                    id,
                    notice.number,
                    notice.kind,
                    notice.lang,
                    notice.deadline,
                    notice.pdf_sha256,
                    notice.signer,
                    notice.issued_at,
                    entry.seq,
                    entry.hash,
                    notice.authority
                ],
            )?;
            Ok(())
        })
    }

    /// Stores (or replaces) an issuing authority's profile.
    pub fn set_authority(&mut self, a: &Authority) -> Result<(), CaseError> {
        a.check().map_err(CaseError::Authority)?;
        let at = audit::now();
        self.write(|tx| {
            tx.execute(
                "INSERT INTO authorities (name, profile, updated_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (name) DO UPDATE SET profile = excluded.profile, updated_at = excluded.updated_at",
                params![a.name, serde_json::to_string(a)?, at],
            )?;
            Ok(())
        })
    }

    /// Every authority profile, by name.
    pub fn authorities(&self) -> Result<Vec<Authority>, CaseError> {
        let mut stmt = self
            .conn
            .prepare("SELECT profile FROM authorities ORDER BY name")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        let mut out = Vec::new();
        for row in rows {
            out.push(serde_json::from_str(&row?)?);
        }
        Ok(out)
    }

    /// The profile named `name`.
    pub fn authority(&self, name: &str) -> Result<Authority, CaseError> {
        let profile: Option<String> = self
            .conn
            .query_row("SELECT profile FROM authorities WHERE name = ?1", [name], |r| {
                r.get(0)
            })
            .optional()?;
        match profile {
            Some(p) => Ok(serde_json::from_str(&p)?),
            None => Err(CaseError::UnknownAuthority(name.to_string())),
        }
    }

    /// Sets (or, with `None`, removes) an authority's seal image: a PNG of at most 2 MB and
    /// 2000×2000 pixels, checked by decoding its header.
    pub fn set_authority_seal(&mut self, name: &str, png: Option<&[u8]>) -> Result<(), CaseError> {
        if let Some(png) = png {
            super::authority::check_seal(png).map_err(CaseError::Authority)?;
        }
        self.authority(name)?;
        self.write(|tx| {
            tx.execute(
                "UPDATE authorities SET seal = ?2 WHERE name = ?1",
                params![name, png],
            )?;
            Ok(())
        })
    }

    /// An authority's seal image, if one is set.
    pub fn authority_seal(&self, name: &str) -> Result<Option<Vec<u8>>, CaseError> {
        Ok(self
            .conn
            .query_row("SELECT seal FROM authorities WHERE name = ?1", [name], |r| {
                r.get::<_, Option<Vec<u8>>>(0)
            })
            .optional()?
            .flatten())
    }

    /// The serial the authority's next notice of `year` would get (nothing is claimed).
    pub fn next_serial(&self, authority: &str, year: i32) -> Result<u32, CaseError> {
        next_serial(&self.conn, authority, year)
    }

    /// The last entry of a case's trail: (seq, hash).
    pub fn chain_head(&self, id: &str) -> Result<Option<(i64, String)>, CaseError> {
        audit::head(&self.conn, id)
    }
}

/// What a review did to the test point's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewOutcome {
    /// The status follows the accepted suggestions.
    Settled,
    /// The inspector had judged the test point: the review is recorded, their status and note stay.
    InspectorKept,
}

/// The assessment of a test point as stored.
fn current_assessment(tx: &Connection, id: &str, testpoint: &str) -> Result<Option<Assessment>, CaseError> {
    Ok(tx
        .query_row(
            "SELECT status, note, source, actor, updated_at FROM assessments WHERE case_id = ?1 AND testpoint = ?2",
            params![id, testpoint],
            |r| {
                let status: String = r.get(0)?;
                Ok(Assessment {
                    testpoint: testpoint.to_string(),
                    status: Status::from_keyword(&status).unwrap_or_default(),
                    note: r.get(1)?,
                    source: r.get(2)?,
                    actor: r.get(3)?,
                    updated_at: r.get(4)?,
                })
            },
        )
        .optional()?)
}

/// Re-derives a test point's status from the accepted suggestions where the inspector has not
/// judged it ([`judgement::settle`]); returns what decides it now: `inspector`, or the
/// status the suggestions give (`not-checked` when none is accepted). Replay applies the same rule.
pub(crate) fn settle(
    tx: &Connection,
    id: &str,
    testpoint: &str,
    actor: &str,
    at: &str,
) -> Result<String, CaseError> {
    let current = current_assessment(tx, id, testpoint)?;
    let mut stmt = tx.prepare_cached(
        "SELECT suggested_status FROM suggestions WHERE case_id = ?1 AND testpoint = ?2 AND review = 'accepted'",
    )?;
    let accepted: Vec<Status> = stmt
        .query_map(params![id, testpoint], |r| r.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()?
        .iter()
        .filter_map(|s| Status::from_keyword(s))
        .collect();
    let decided = judgement::settle(
        current
            .as_ref()
            .map(|a| (a.status, a.note.as_str(), a.source.as_str())),
        accepted,
    );
    match decided {
        judgement::Settle::Inspector | judgement::Settle::Keep(_) => {}
        judgement::Settle::Clear => {
            tx.execute(
                "DELETE FROM assessments WHERE case_id = ?1 AND testpoint = ?2",
                params![id, testpoint],
            )?;
        }
        judgement::Settle::Write(status) => {
            upsert_assessment(tx, &replay::automatic(testpoint, status, actor, at), id)?;
        }
    }
    Ok(decided.result().to_string())
}

/// Writes a case's header row (a new case, or one imported).
pub(crate) fn insert_case_row(tx: &Connection, c: &Case) -> Result<(), CaseError> {
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
            c.subject.roles()[0].keyword(),
            c.subject.credit_code,
            c.subject.address,
            c.app.name,
            c.app.package,
            c.app.version,
            c.app.cert_sha256,
            c.package_sha256,
            serde_json::to_string(&c.inspectors)?,
            c.state,
            c.created_at,
            c.updated_at
        ],
    )?;
    let roles: Vec<&str> = c.subject.roles.iter().map(|r| r.keyword()).collect();
    tx.execute(
        "UPDATE cases SET subject_roles = ?2, app_filing = ?3 WHERE id = ?1",
        params![c.id, roles.join(" "), c.app.filing],
    )?;
    write_rounds(tx, &c.id, &[Round::first(c)])?;
    Ok(())
}

/// The roles of a new case: each once, in the order given, at least one.
fn distinct_roles(roles: &[SubjectType]) -> Vec<SubjectType> {
    let mut out: Vec<SubjectType> = Vec::new();
    for r in roles {
        if !out.contains(r) {
            out.push(*r);
        }
    }
    if out.is_empty() {
        out.push(SubjectType::AppOperator);
    }
    out
}

/// Roles as stored: space-separated keywords (an unknown one is left out).
fn parse_roles(s: &str) -> Vec<SubjectType> {
    s.split_whitespace()
        .filter_map(SubjectType::from_keyword)
        .collect()
}

/// Writes a case's test conditions (an empty record removes the row).
pub(crate) fn write_test_conditions(
    tx: &Connection,
    id: &str,
    conditions: &TestConditions,
    actor: &str,
    at: &str,
) -> Result<(), CaseError> {
    if conditions.is_empty() {
        tx.execute("DELETE FROM test_conditions WHERE case_id = ?1", [id])?;
    } else {
        tx.execute(
            "INSERT INTO test_conditions (case_id, conditions, actor, updated_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (case_id) DO UPDATE SET conditions = ?2, actor = ?3, updated_at = ?4",
            params![id, serde_json::to_string(conditions)?, actor, at],
        )?;
    }
    Ok(())
}

/// Writes a case's answer to a condition (a new answer, a changed one, or one imported).
pub(crate) fn write_applicability(tx: &Connection, id: &str, a: &Applicability) -> Result<(), CaseError> {
    tx.execute(
        "INSERT INTO applicability (case_id, condition, applies, actor, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (case_id, condition) DO UPDATE SET applies = ?3, actor = ?4, updated_at = ?5",
        params![id, a.condition, a.applies, a.actor, a.updated_at],
    )?;
    Ok(())
}

/// Stores a suggestion, pending review.
pub(crate) fn insert_suggestion(tx: &Connection, id: &str, s: &NewSuggestion) -> Result<(), CaseError> {
    tx.execute(
        "INSERT INTO suggestions (case_id, testpoint, rule, suggested_status, evidence_zh, evidence_en)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            id,
            s.testpoint,
            s.rule,
            s.status.keyword(),
            s.evidence.zh,
            s.evidence.en
        ],
    )?;
    Ok(())
}

/// Stores the exact checklist text a case is judged against, once per version.
pub(crate) fn pin_checklist(tx: &Connection, checklist: &Checklist) -> Result<(), CaseError> {
    if checklist.source.is_empty() {
        return Err(CaseError::Sql(format!(
            "checklist {} {} has no text to keep with the case",
            checklist.id, checklist.version
        )));
    }
    tx.execute(
        "INSERT OR IGNORE INTO checklists (hash, id, version, content) VALUES (?1, ?2, ?3, ?4)",
        params![
            checklist.content_hash,
            checklist.id,
            checklist.version,
            &*checklist.source
        ],
    )?;
    Ok(())
}

/// The checklist text stored with a case, parsed (once per process and version).
pub(crate) fn pinned_checklist(conn: &Connection, case: &Case) -> Result<Checklist, CaseError> {
    stored_checklist(conn, &case.checklist_hash)?.ok_or_else(|| CaseError::ChecklistMissing {
        case: case.id.clone(),
        id: case.checklist_id.clone(),
        hash: case.checklist_hash.clone(),
    })
}

/// A checklist version stored in the database, by content hash: parsed once per process.
fn stored_checklist(conn: &Connection, hash: &str) -> Result<Option<Checklist>, CaseError> {
    if let Some(c) = checklist::cached(hash) {
        return Ok(Some(c));
    }
    let content: Option<(String, String)> = conn
        .query_row(
            "SELECT id, content FROM checklists WHERE hash = ?1",
            [hash],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    content
        .map(|(id, text)| {
            let path = format!("{id} (stored in the case database)");
            checklist::parse_cached(&text, Path::new(&path)).map_err(CaseError::from)
        })
        .transpose()
}

/// Records a test point's assessment, replacing the previous one (the audit entry keeps that).
fn upsert_assessment(tx: &Connection, a: &Assessment, id: &str) -> Result<(), CaseError> {
    tx.execute(
        "INSERT INTO assessments (case_id, testpoint, status, note, source, actor, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (case_id, testpoint) DO UPDATE SET status = excluded.status, note = excluded.note,
            source = excluded.source, actor = excluded.actor, updated_at = excluded.updated_at",
        params![
            id,
            a.testpoint,
            a.status.keyword(),
            a.note,
            a.source,
            a.actor,
            a.updated_at
        ],
    )?;
    Ok(())
}

/// Stores an evidence file once: its facts and thumbnail, and apart, its bytes.
/// A file to link to a case as evidence, inside a transaction.
pub(crate) struct Linked<'a> {
    pub case: &'a str,
    pub sha256: &'a str,
    /// The file's facts when it is not stored yet (worked out before the transaction).
    pub prepared: Option<&'a evidence::Prepared>,
    pub bytes: &'a [u8],
    pub name: &'a str,
    pub testpoint: Option<&'a str>,
    pub caption: &'a str,
    pub actor: &'a str,
    pub at: &'a str,
    pub kind: EvidenceKind,
}

/// Stores an evidence file (once per SHA-256) and links it to the case, audited as
/// `evidence.attached`; `false` when that link was there already (nothing changes then).
pub(crate) fn link_evidence(tx: &Connection, l: &Linked<'_>) -> Result<bool, CaseError> {
    if let Some(p) = l.prepared {
        insert_evidence(tx, l.sha256, p, l.bytes, l.name)?;
    }
    let inserted = tx.execute(
        "INSERT OR IGNORE INTO evidence_links (case_id, sha256, testpoint, caption, actor, attached_at, original_name, kind)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![l.case, l.sha256, l.testpoint, l.caption, l.actor, l.at, l.name, l.kind.keyword()],
    )?;
    if inserted > 0 {
        Store::touch(tx, l.case, l.at)?;
        audit::append(tx, l.case, l.at, l.actor, "evidence.attached", {
            let mut p = json!({"sha256": l.sha256, "name": l.name, "testpoint": l.testpoint, "caption": l.caption, "size": l.bytes.len()});
            // Evidence entries keep the shape they always had; a report says what it is.
            if !l.kind.is_evidence() {
                p["kind"] = l.kind.keyword().into();
            }
            p
        })?;
    }
    Ok(inserted > 0)
}

pub(crate) fn insert_evidence(
    tx: &Connection,
    sha256: &str,
    p: &evidence::Prepared,
    bytes: &[u8],
    name: &str,
) -> Result<(), CaseError> {
    insert_evidence_facts(tx, sha256, p, bytes.len() as u64, name)?;
    // A zero blob written in place: binding the bytes would have SQLite copy them whole first.
    let inserted = tx.execute(
        "INSERT OR IGNORE INTO evidence_data (sha256, bytes) VALUES (?1, zeroblob(?2))",
        params![sha256, bytes.len() as i64],
    )?;
    if inserted > 0 {
        let rowid = tx.last_insert_rowid();
        let mut blob = tx.blob_open(rusqlite::MAIN_DB, "evidence_data", "bytes", rowid, false)?;
        std::io::Write::write_all(&mut blob, bytes)
            .map_err(|e| CaseError::Sql(format!("the evidence file cannot be stored ({e})")))?;
    }
    Ok(())
}

/// An evidence file's facts and thumbnail (once per SHA-256; the first name it came under).
pub(crate) fn insert_evidence_facts(
    tx: &Connection,
    sha256: &str,
    p: &evidence::Prepared,
    size: u64,
    name: &str,
) -> Result<(), CaseError> {
    tx.execute(
        "INSERT OR IGNORE INTO evidence (sha256, media_type, size, original_name, width, height, thumbnail, captured_at, camera)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            sha256,
            p.media_type,
            size as i64,
            name,
            p.width,
            p.height,
            p.thumbnail,
            p.exif.at,
            p.exif.device
        ],
    )?;
    Ok(())
}

/// Sort key for test point ids: `2.10` after `2.9`.
pub(crate) fn natural(id: &str) -> Vec<u32> {
    id.split('.').map(|p| p.parse().unwrap_or(u32::MAX)).collect()
}

/// Everything about a case but evidence bytes, read on `conn` (a transaction, during an upgrade).
pub(crate) fn load_view(conn: &Connection, id: &str) -> Result<CaseView, CaseError> {
    let case = Store::case_row(conn, id)?;
    let mut stmt = conn.prepare_cached(
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
    let mut stmt = conn.prepare_cached(
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
    replay::sort_suggestions(&mut suggestions);
    let evidence = evidence_list(conn, id)?;
    let mut stmt =
        conn.prepare_cached("SELECT testpoint, why_zh, why_en FROM rechecks WHERE case_id = ?1")?;
    let mut rechecks: Vec<Recheck> = stmt
        .query_map([id], |r| {
            Ok(Recheck {
                testpoint: r.get(0)?,
                why: Text::new(r.get::<_, String>(1)?, r.get::<_, String>(2)?),
            })
        })?
        .collect::<Result<_, _>>()?;
    rechecks.sort_by_key(|r| natural(&r.testpoint));
    let mut stmt = conn.prepare_cached(
        "SELECT number, kind, lang, deadline, pdf_sha256, signer, issued_at, authority FROM notices WHERE case_id = ?1 ORDER BY id",
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
                authority: r.get(7)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    let mut stmt = conn.prepare_cached(
        "SELECT condition, applies, actor, updated_at FROM applicability WHERE case_id = ?1 ORDER BY condition",
    )?;
    let applicability = stmt
        .query_map([id], |r| {
            Ok(Applicability {
                condition: r.get(0)?,
                applies: r.get(1)?,
                actor: r.get(2)?,
                updated_at: r.get(3)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    let test_conditions: Option<String> = conn
        .query_row(
            "SELECT conditions FROM test_conditions WHERE case_id = ?1",
            [id],
            |r| r.get(0),
        )
        .optional()?;
    let test_conditions = test_conditions
        .map(|j| serde_json::from_str(&j))
        .transpose()?
        .unwrap_or_default();
    let rounds = rounds(conn, id)?;
    let transitions = lifecycle::history(conn, id)?;
    Ok(CaseView {
        case,
        assessments,
        suggestions,
        evidence,
        notices,
        rechecks,
        applicability,
        test_conditions,
        rounds,
        transitions,
    })
}

/// A case's rounds, oldest first.
pub(crate) fn rounds(conn: &Connection, id: &str) -> Result<Vec<Round>, CaseError> {
    let mut stmt = conn.prepare_cached(
        "SELECT number, package_sha256, version, started_at, reason, frozen FROM rounds
         WHERE case_id = ?1 ORDER BY number",
    )?;
    // The frozen JSON is read after the query: a damaged one is a clear error, not a panic.
    let rows: Vec<(Round, Option<String>)> = stmt
        .query_map([id], |r| {
            Ok((
                Round {
                    number: r.get(0)?,
                    package_sha256: r.get(1)?,
                    version: r.get(2)?,
                    started_at: r.get(3)?,
                    reason: r.get(4)?,
                    state: String::new(),
                    frozen: None,
                },
                r.get(5)?,
            ))
        })?
        .collect::<Result<_, _>>()?;
    rows.into_iter()
        .map(|(round, frozen)| {
            let frozen: Option<Frozen> = frozen.map(|j| serde_json::from_str(&j)).transpose()?;
            Ok(Round {
                state: if frozen.is_some() { "closed" } else { "current" }.into(),
                frozen,
                ..round
            })
        })
        .collect()
}

/// Stores a package's report once, by the package file's SHA-256 (a case, a round and a bundle
/// may name the same package). The icon is the window's small PNG, when there is one.
pub(crate) fn insert_package(
    tx: &Connection,
    report: &PackageReport,
    report_json: &str,
    icon: Option<&[u8]>,
) -> Result<(), CaseError> {
    tx.execute(
        "INSERT OR IGNORE INTO packages (sha256, file_name, size, report_json, icon_png) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![report.file.sha256, report.file.name, report.file.size as i64, report_json, icon],
    )?;
    Ok(())
}

/// Writes a case's rounds as given (a new case's first, a bundle's all).
pub(crate) fn write_rounds(tx: &Connection, id: &str, rounds: &[Round]) -> Result<(), CaseError> {
    tx.execute("DELETE FROM rounds WHERE case_id = ?1", [id])?;
    for r in rounds {
        tx.execute(
            "INSERT INTO rounds (case_id, number, package_sha256, version, started_at, reason, frozen)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                id,
                r.number,
                r.package_sha256,
                r.version,
                r.started_at,
                r.reason,
                r.frozen.as_ref().map(serde_json::to_string).transpose()?
            ],
        )?;
    }
    Ok(())
}

fn evidence_list(conn: &Connection, id: &str) -> Result<Vec<EvidenceItem>, CaseError> {
    let mut stmt = conn.prepare_cached(
        "SELECT l.id, l.sha256, e.media_type, e.size, l.original_name, e.width, e.height, l.testpoint, l.caption,
                l.annotations, l.actor, l.attached_at, e.captured_at, e.camera, l.captured, l.device, l.kind
         FROM evidence_links l JOIN evidence e ON e.sha256 = l.sha256 WHERE l.case_id = ?1 ORDER BY l.id",
    )?;
    let rows = stmt.query_map([id], |r| {
        let annotations: String = r.get(9)?;
        let name: String = r.get(4)?;
        let exif_at: Option<String> = r.get(12)?;
        let entered: Option<String> = r.get(14)?;
        Ok(EvidenceItem {
            capture: super::capture::capture_of(entered.as_deref(), exif_at.as_deref(), &name),
            camera: r.get(13)?,
            entered_capture: entered,
            device: r.get(15)?,
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
            kind: EvidenceKind::from_keyword(&r.get::<_, String>(16)?).unwrap_or_default(),
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The next 文号 serial of an authority in a year: one past the last used.
fn next_serial(conn: &Connection, authority: &str, year: i32) -> Result<u32, CaseError> {
    let last: Option<u32> = conn
        .query_row(
            "SELECT last FROM notice_serials WHERE authority = ?1 AND year = ?2",
            params![authority, year],
            |r| r.get(0),
        )
        .optional()?;
    Ok(last.unwrap_or(0) + 1)
}

/// The file and test point of evidence link `link_id` of case `id` (the number `case show` gives
/// it), or an error naming it when the case has no such link.
fn linked(tx: &Connection, id: &str, link_id: i64) -> Result<(String, Option<String>), CaseError> {
    tx.query_row(
        "SELECT sha256, testpoint FROM evidence_links WHERE case_id = ?1 AND id = ?2",
        params![id, link_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()?
    .ok_or_else(|| CaseError::Evidence {
        name: format!("evidence #{link_id}"),
        why: format!("case {id} has no evidence #{link_id}; `app-inspector case show {id}` lists its evidence as #1, #2 …"),
    })
}
