//! Moving a case to another version of its checklist: an explicit, audited step. The plan is
//! made (and shown) first; applying it carries judgements over by test point id, marks new and
//! changed test points for re-check, lists the removed ones (their assessments stay in the trail)
//! and adds the suggestions the new version's rules make on the case's package.

use std::collections::{BTreeSet, HashMap};

use rusqlite::params;
use serde::Serialize;
use serde_json::Value;

use super::model::*;
use super::replay::{Migrated, NewSuggestion};
use super::store::{Store, insert_suggestion, natural, pin_checklist};
use super::{CaseError, audit};
use crate::checklist::{self, Checklist};
use crate::i18n::Text;

/// What moving a case to another checklist version would do. Nothing is changed by making it.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    pub case: String,
    pub checklist: String,
    pub from_version: String,
    pub from_hash: String,
    pub to_version: String,
    pub to_hash: String,
    /// Judged test points whose judgement carries over as it is.
    pub carried: Vec<String>,
    /// Test points that are new in the target version.
    pub new: Vec<String>,
    /// Test points whose wording, method, severity, rules or clause changed.
    pub changed: Vec<String>,
    /// Test points the target version no longer has.
    pub removed: Vec<String>,
    /// Judgements on removed test points: they leave the case (the trail keeps them).
    pub removed_assessments: Vec<Assessment>,
    /// Evidence linked to removed test points: it stays in the case, shown under the old id.
    pub evidence_on_removed: Vec<String>,
    /// Suggestions whose rule the target version no longer applies to their test point.
    pub suggestions_removed: Vec<(String, String)>,
    /// Suggestions the target version's rules make on the case's package.
    pub suggestions_added: Vec<NewSuggestion>,
    #[serde(skip)]
    target: Option<Checklist>,
}

impl Plan {
    /// Whether applying the plan changes nothing but the version (identical test points).
    pub fn is_trivial(&self) -> bool {
        self.new.is_empty()
            && self.changed.is_empty()
            && self.removed.is_empty()
            && self.suggestions_added.is_empty()
            && self.suggestions_removed.is_empty()
    }
}

/// A test point with its clause's wording, as compared between versions.
fn fingerprint(c: &Checklist, tp: &str) -> Option<Value> {
    let (clause, point) = c.test_point(tp)?;
    Some(serde_json::json!({
        "point": point,
        "clause": {"title": clause.title, "text": clause.text, "subjects": clause.subjects, "legal_basis": clause.legal_basis},
    }))
}

impl Store {
    /// The versions of checklist `id` a case can move to: those the tool knows (shipped,
    /// installed in the data folder) and those other cases in this database are judged against.
    pub fn checklist_versions(&self, id: &str) -> Result<Vec<Checklist>, CaseError> {
        let mut all: Vec<Checklist> = checklist::known().into_iter().filter(|c| c.id == id).collect();
        let hashes: Vec<String> = self
            .conn
            .prepare("SELECT hash FROM checklists WHERE id = ?1 ORDER BY version")?
            .query_map([id], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        for h in hashes {
            if !all.iter().any(|c| c.content_hash == h)
                && let Some(c) = self.checklist_by_hash(&h)?
            {
                all.push(c);
            }
        }
        Ok(all)
    }

    /// What moving case `id` to version `to_version` of its checklist would do.
    pub fn migration_plan(&self, id: &str, to_version: &str) -> Result<Plan, CaseError> {
        let view = self.load(id)?;
        let from = self.checklist_of(&view.case)?;
        let to = match checklist::version(&view.case.checklist_id, to_version) {
            Ok(c) => c,
            Err(e) => self
                .checklist_versions(&view.case.checklist_id)?
                .into_iter()
                .find(|c| c.version == to_version)
                .ok_or(e)?,
        };
        if to.content_hash == from.content_hash {
            return Err(CaseError::SameChecklist {
                case: id.to_string(),
                version: to.version.clone(),
            });
        }
        let old_ids: Vec<&str> = from.test_points().map(|t| t.id.as_str()).collect();
        let new_ids: Vec<&str> = to.test_points().map(|t| t.id.as_str()).collect();
        let new: Vec<String> = new_ids
            .iter()
            .filter(|t| !old_ids.contains(t))
            .map(|t| t.to_string())
            .collect();
        let removed: Vec<String> = old_ids
            .iter()
            .filter(|t| !new_ids.contains(t))
            .map(|t| t.to_string())
            .collect();
        let changed: Vec<String> = new_ids
            .iter()
            .filter(|t| old_ids.contains(t) && fingerprint(&from, t) != fingerprint(&to, t))
            .map(|t| t.to_string())
            .collect();
        let carried = view
            .assessments
            .iter()
            .filter(|a| new_ids.contains(&a.testpoint.as_str()))
            .map(|a| a.testpoint.clone())
            .collect();
        let removed_assessments = view
            .assessments
            .iter()
            .filter(|a| removed.contains(&a.testpoint))
            .cloned()
            .collect();
        let evidence_on_removed = view
            .evidence
            .iter()
            .filter(|e| e.testpoint.as_ref().is_some_and(|t| removed.contains(t)))
            .map(|e| format!("{} ({})", e.original_name, e.testpoint.as_deref().unwrap_or("")))
            .collect();
        let rules_of: HashMap<&str, &Vec<String>> =
            to.test_points().map(|t| (t.id.as_str(), &t.rules)).collect();
        let roles = view.case.subject.roles();
        let suggestions_removed = view
            .suggestions
            .iter()
            .filter(|s| match to.test_point(&s.testpoint) {
                Some((_, tp)) => {
                    !crate::prefill::suggests_on(tp, &roles)
                        || rules_of
                            .get(s.testpoint.as_str())
                            .is_some_and(|rules| !rules.contains(&s.rule))
                }
                None => false,
            })
            .map(|s| (s.testpoint.clone(), s.rule.clone()))
            .collect();
        let have: BTreeSet<(String, String)> = view
            .suggestions
            .iter()
            .map(|s| (s.testpoint.clone(), s.rule.clone()))
            .collect();
        let suggestions_added = match self.package_report(id)? {
            Some(report) => crate::prefill::findings(&report, &to, &roles)
                .into_iter()
                .filter(|f| !have.contains(&(f.testpoint.clone(), f.rule.clone())))
                .map(|f| NewSuggestion {
                    testpoint: f.testpoint,
                    rule: f.rule,
                    status: f.suggested_status,
                    evidence: f.evidence,
                })
                .collect(),
            None => Vec::new(),
        };
        Ok(Plan {
            case: id.to_string(),
            checklist: to.id.clone(),
            from_version: from.version.clone(),
            from_hash: from.content_hash.clone(),
            to_version: to.version.clone(),
            to_hash: to.content_hash.clone(),
            carried,
            new,
            changed,
            removed,
            removed_assessments,
            evidence_on_removed,
            suggestions_removed,
            suggestions_added,
            target: Some(to),
        })
    }

    /// Applies a plan made by [`Store::migration_plan`], in one transaction, recorded in the
    /// trail. Refused when the case changed version since the plan was made.
    pub fn migrate(&mut self, plan: &Plan, actor: &str) -> Result<(), CaseError> {
        let Some(to) = &plan.target else {
            return Err(CaseError::Sql(
                "the migration plan has no target checklist".into(),
            ));
        };
        let id = plan.case.as_str();
        let at = audit::now();
        let recheck: Vec<Recheck> = {
            let mut r: Vec<Recheck> = plan
                .new
                .iter()
                .map(|tp| Recheck {
                    testpoint: tp.clone(),
                    why: Text::new(
                        format!("检查表 {} 版新增的检查项", plan.to_version),
                        format!("new in checklist version {}", plan.to_version),
                    ),
                })
                .chain(plan.changed.iter().map(|tp| Recheck {
                    testpoint: tp.clone(),
                    why: Text::new(
                        format!("检查项在检查表 {} 版中有变化", plan.to_version),
                        format!("changed in checklist version {}", plan.to_version),
                    ),
                }))
                .collect();
            r.sort_by_key(|x| natural(&x.testpoint));
            r
        };
        let record = Migrated {
            from_version: plan.from_version.clone(),
            from_hash: plan.from_hash.clone(),
            to_version: plan.to_version.clone(),
            to_hash: plan.to_hash.clone(),
            removed: plan.removed_assessments.clone(),
            removed_testpoints: plan.removed.clone(),
            recheck: recheck.clone(),
            suggestions_removed: plan.suggestions_removed.clone(),
            suggestions_added: plan.suggestions_added.clone(),
        };
        self.write(|tx| {
            let case = Self::open_case(tx, id)?;
            if case.checklist_hash != plan.from_hash {
                return Err(CaseError::PlanOutdated(id.to_string()));
            }
            pin_checklist(tx, to)?;
            tx.execute(
                "UPDATE cases SET checklist_hash = ?2, updated_at = ?3 WHERE id = ?1",
                params![id, to.content_hash, at],
            )?;
            for tp in &plan.removed {
                for table in ["assessments", "suggestions", "rechecks"] {
                    tx.execute(
                        &format!("DELETE FROM {table} WHERE case_id = ?1 AND testpoint = ?2"),
                        params![id, tp],
                    )?;
                }
            }
            for (tp, rule) in &plan.suggestions_removed {
                tx.execute(
                    "DELETE FROM suggestions WHERE case_id = ?1 AND testpoint = ?2 AND rule = ?3",
                    params![id, tp, rule],
                )?;
            }
            for r in &recheck {
                tx.execute(
                    "INSERT OR REPLACE INTO rechecks (case_id, testpoint, why_zh, why_en) VALUES (?1, ?2, ?3, ?4)",
                    params![id, r.testpoint, r.why.zh, r.why.en],
                )?;
            }
            for s in &plan.suggestions_added {
                insert_suggestion(tx, id, s)?;
            }
            let touched: BTreeSet<&str> = plan.suggestions_removed.iter().map(|(t, _)| t.as_str()).collect();
            for tp in touched {
                super::store::settle(tx, id, tp, actor, &at)?;
            }
            audit::append(tx, id, &at, actor, "case.migrated", serde_json::to_value(&record)?)?;
            Ok(())
        })
    }
}
