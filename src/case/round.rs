//! Re-inspection: a new round of a case on the rectified version of its App (issue 16).
//!
//! Starting a round is the inspector's act. The round that ends is frozen as it stands (its
//! judgements and suggestions, read-only from then on); the new package's suggestions replace the
//! old ones, each saying what the earlier version showed beside what this one shows; every finding
//! of the earlier round (non-compliant or partial) is marked to re-check, its judgement and note
//! kept until the inspector judges the test point again. Nothing a person decided is erased.

use std::collections::BTreeMap;
use std::path::Path;

use rusqlite::params;

use super::CaseError;
use super::audit;
use super::model::*;
use super::replay::{NewSuggestion, Reinspected};
use super::store::{Store, insert_package, insert_suggestion, natural};
use crate::i18n::Text;
use crate::package::{self, PackageReport, diff::PackageDiff};
use crate::prefill;
use crate::status::Status;

/// What starting a re-inspection did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Started {
    pub case: String,
    pub round: u32,
    pub package_sha256: String,
    pub version: String,
    /// Test points marked to re-check (the earlier round's findings).
    pub recheck: Vec<String>,
    /// Suggestions the new package gives.
    pub suggestions: usize,
    pub signer_changed: bool,
    /// The changed signer is a key rotation the new package's v3 proof of rotation proves.
    pub signer_rotated: bool,
}

impl Started {
    /// What began, in a line: "第 2 轮复查已开始（版本 1.2.0）：2 个检查项待复查，5 条自动建议待复核".
    pub fn summary(&self, lang: crate::i18n::Lang) -> String {
        match lang {
            crate::i18n::Lang::Zh => format!(
                "第 {} 轮复查已开始（版本 {}）：{} 个检查项待复查，{} 条自动建议待复核",
                self.round,
                self.version,
                self.recheck.len(),
                self.suggestions
            ),
            crate::i18n::Lang::En => format!(
                "round {} started (version {}): {} test points to re-check, {} suggestions to review",
                self.round,
                self.version,
                self.recheck.len(),
                self.suggestions
            ),
        }
    }
}

/// Keeps a note short enough for a re-check line.
fn clipped(note: &str) -> String {
    const MAX: usize = 160;
    let note = note.trim();
    if note.chars().count() <= MAX {
        note.to_string()
    } else {
        note.chars().take(MAX).collect::<String>() + "…"
    }
}

/// Rules of the package (not of run-time logs): the ones a new package answers again.
fn package_rule(rule: &str) -> bool {
    !rule.starts_with("runtime-")
}

/// The new round's suggestions: the new package's findings, each beside what the earlier round's
/// package showed under the same rule; and, for an earlier problem no rule finds any more, a
/// suggestion saying so (the inspector decides whether that settles it).
fn suggestions(
    earlier: &[Suggestion],
    findings: &[prefill::Finding],
    round: u32,
    from_version: &str,
    to_version: &str,
) -> Vec<NewSuggestion> {
    let before: BTreeMap<(&str, &str), &Suggestion> = earlier
        .iter()
        .filter(|s| package_rule(&s.rule))
        .map(|s| ((s.testpoint.as_str(), s.rule.as_str()), s))
        .collect();
    let prior = round - 1;
    let mut out: Vec<NewSuggestion> = findings
        .iter()
        .map(|f| {
            let evidence = match before.get(&(f.testpoint.as_str(), f.rule.as_str())) {
                Some(old) if old.evidence != f.evidence || old.suggested_status != f.suggested_status => Text::new(
                    format!(
                        "第 {prior} 轮（版本 {from_version}）：{}\n本轮（版本 {to_version}）：{}",
                        old.evidence.zh, f.evidence.zh
                    ),
                    format!(
                        "Round {prior} (version {from_version}): {}\nThis round (version {to_version}): {}",
                        old.evidence.en, f.evidence.en
                    ),
                ),
                _ => f.evidence.clone(),
            };
            NewSuggestion {
                testpoint: f.testpoint.clone(),
                rule: f.rule.clone(),
                status: f.suggested_status,
                evidence,
            }
        })
        .collect();
    for ((tp, rule), old) in &before {
        let still = findings.iter().any(|f| f.testpoint == *tp && f.rule == *rule);
        let was_problem = matches!(old.suggested_status, Status::NonCompliant | Status::Partial);
        if !still && was_problem && old.review != "rejected" {
            out.push(NewSuggestion {
                testpoint: tp.to_string(),
                rule: rule.to_string(),
                status: Status::NotChecked,
                evidence: Text::new(
                    format!(
                        "第 {prior} 轮（版本 {from_version}）：{}\n本轮（版本 {to_version}）：安装包中已不再出现上述情形（见 case diff）；是否已整改由检查人员判定。",
                        old.evidence.zh
                    ),
                    format!(
                        "Round {prior} (version {from_version}): {}\nThis round (version {to_version}): the package no longer shows this (see case diff); whether it is rectified is the inspector's judgement.",
                        old.evidence.en
                    ),
                ),
            });
        }
    }
    out.sort_by(|a, b| {
        natural(&a.testpoint)
            .cmp(&natural(&b.testpoint))
            .then(a.rule.cmp(&b.rule))
    });
    out
}

/// The earlier round's findings, to re-check in the new one.
fn recheck(assessments: &[Assessment], round: u32) -> Vec<Recheck> {
    let mut out: Vec<Recheck> = assessments
        .iter()
        .filter(|a| matches!(a.status, Status::NonCompliant | Status::Partial))
        .map(|a| {
            let note = clipped(&a.note);
            let label = a.status.label();
            let (zh, en) = (label.zh, label.en.to_lowercase());
            Recheck {
                testpoint: a.testpoint.clone(),
                why: Text::new(
                    if note.is_empty() {
                        format!("第 {round} 轮结论：{zh}；复查整改情况")
                    } else {
                        format!("第 {round} 轮结论：{zh}（{note}）；复查整改情况")
                    },
                    if note.is_empty() {
                        format!("round {round}: {en}; re-check the rectification")
                    } else {
                        format!("round {round}: {en} ({note}); re-check the rectification")
                    },
                ),
            }
        })
        .collect();
    out.sort_by_key(|r| natural(&r.testpoint));
    out
}

impl Store {
    /// Starts a re-inspection of case `id` on the package at `path` (see the module's comment).
    /// `force` is the reason a package under another name is this App's; without one such a
    /// package is refused.
    pub fn reinspect(
        &mut self,
        id: &str,
        path: &Path,
        force: Option<&str>,
        actor: &str,
    ) -> Result<Started, CaseError> {
        let report = package::analyse(path)?;
        self.reinspect_with_report(id, path, &report, force, actor)
    }

    /// As [`Store::reinspect`], with the package already analysed (the window analyses on a worker).
    pub fn reinspect_with_report(
        &mut self,
        id: &str,
        path: &Path,
        report: &PackageReport,
        force: Option<&str>,
        actor: &str,
    ) -> Result<Started, CaseError> {
        let view = self.load(id)?;
        let case = &view.case;
        if case.state.is_final() {
            return Err(CaseError::Closed {
                case: id.to_string(),
                state: case.state,
            });
        }
        let file = path.display().to_string();
        let reason = force.map(str::trim).unwrap_or_default().to_string();
        super::replay::check_line("the reason", &reason).map_err(CaseError::Reason)?;
        if report.package != case.app.package && reason.is_empty() {
            return Err(CaseError::ForeignPackage {
                case: id.to_string(),
                file,
                expected: case.app.package.clone(),
                found: report.package.clone(),
            });
        }
        let rounds = super::replay::rounds_or_first(&view.rounds, case);
        if let Some(r) = rounds
            .iter()
            .find(|r| r.package_sha256.as_deref() == Some(report.file.sha256.as_str()))
        {
            return Err(CaseError::SamePackage {
                case: id.to_string(),
                file,
                round: r.number,
            });
        }
        let round = rounds.last().map_or(1, |r| r.number) + 1;
        let checklist = self.checklist_of(case)?;
        let findings = prefill::findings(report, &checklist, &case.subject.roles());
        let to_version = report.version_name.clone().unwrap_or_default();
        let added = suggestions(
            &view.suggestions,
            &findings,
            round,
            &case.app.version,
            &to_version,
        );
        let marks = recheck(&view.assessments, round - 1);
        let signer = self
            .package_report(id)?
            .map(|before| PackageDiff::between(&before, report));
        let signer_changed = signer.as_ref().is_some_and(|d| d.signer_changed);
        let signer_rotated = signer.as_ref().is_some_and(|d| d.rotation.is_some());
        let record = Reinspected {
            round,
            package_sha256: report.file.sha256.clone(),
            app: AppIdentity::of(report, &case.app.filing),
            reason,
            suggestions: added.clone(),
            recheck: marks.clone(),
        };
        let report_json = serde_json::to_string(report)?;
        let at = audit::now();
        self.write(|tx| {
            let now = Self::open_case(tx, id)?;
            if now.package_sha256 != case.package_sha256 {
                return Err(CaseError::Busy);
            }
            insert_package(tx, report, &report_json, report.icon.as_ref().and_then(|i| i.preview_png.as_deref()))?;
            // The round that ends, frozen as it stands.
            let frozen = Frozen {
                assessments: view.assessments.clone(),
                suggestions: view.suggestions.clone(),
            };
            let mut all = rounds.clone();
            if let Some(last) = all.last_mut() {
                last.state = "closed".into();
                last.frozen = Some(frozen);
            }
            all.push(Round {
                number: round,
                package_sha256: Some(report.file.sha256.clone()),
                version: to_version.clone(),
                started_at: at.clone(),
                reason: record.reason.clone(),
                state: "current".into(),
                frozen: None,
            });
            super::store::write_rounds(tx, id, &all)?;
            let a = &record.app;
            tx.execute(
                "UPDATE cases SET package_sha256 = ?2, app_name = ?3, app_package = ?4, app_version = ?5,
                    cert_sha256 = ?6, updated_at = ?7 WHERE id = ?1",
                params![id, report.file.sha256, a.name, a.package, a.version, a.cert_sha256, at],
            )?;
            tx.execute("DELETE FROM suggestions WHERE case_id = ?1", [id])?;
            for s in &record.suggestions {
                insert_suggestion(tx, id, s)?;
            }
            for r in &record.recheck {
                tx.execute(
                    "INSERT OR REPLACE INTO rechecks (case_id, testpoint, why_zh, why_en) VALUES (?1, ?2, ?3, ?4)",
                    params![id, r.testpoint, r.why.zh, r.why.en],
                )?;
            }
            audit::append(tx, id, &at, actor, "case.reinspected", serde_json::to_value(&record)?)?;
            super::lifecycle::advance(
                tx,
                id,
                super::Trigger::Reinspection,
                &round.to_string(),
                actor,
                &at,
            )?;
            Ok(())
        })?;
        Ok(Started {
            case: id.to_string(),
            round,
            package_sha256: report.file.sha256.clone(),
            version: to_version,
            recheck: marks.into_iter().map(|r| r.testpoint).collect(),
            suggestions: added.len(),
            signer_changed,
            signer_rotated,
        })
    }

    /// The package report of round `round` of a case (the current one when `None`).
    pub fn round_report(&self, id: &str, round: Option<u32>) -> Result<(Round, PackageReport), CaseError> {
        let view = self.load(id)?;
        let rounds = super::replay::rounds_or_first(&view.rounds, &view.case);
        self.report_of(id, &rounds, round)
    }

    /// Round `round` (the last when `None`) of `rounds` and its package's report.
    fn report_of(
        &self,
        id: &str,
        rounds: &[Round],
        round: Option<u32>,
    ) -> Result<(Round, PackageReport), CaseError> {
        let last = rounds.last().map_or(1, |r| r.number);
        let wanted = round.unwrap_or(last);
        let r = rounds
            .iter()
            .find(|r| r.number == wanted)
            .cloned()
            .ok_or(CaseError::NoSuchRound {
                case: id.to_string(),
                round: wanted,
                last,
            })?;
        let report = self
            .package_by_sha(r.package_sha256.as_deref().unwrap_or_default())?
            .ok_or(CaseError::RoundPackageMissing { round: wanted })?;
        Ok((r, report))
    }

    /// What changed between two rounds' packages (by default the last two).
    pub fn diff(
        &self,
        id: &str,
        from: Option<u32>,
        to: Option<u32>,
    ) -> Result<(Round, Round, PackageDiff), CaseError> {
        let view = self.load(id)?;
        let rounds = super::replay::rounds_or_first(&view.rounds, &view.case);
        let last = rounds.last().map_or(1, |r| r.number);
        let to = to.unwrap_or(last);
        let from = from.unwrap_or(to.saturating_sub(1).max(1));
        // The case is read once; each round's report is one row.
        let (a, before) = self.report_of(id, &rounds, Some(from))?;
        let (b, after) = self.report_of(id, &rounds, Some(to))?;
        Ok((a, b, PackageDiff::between(&before, &after)))
    }
}
