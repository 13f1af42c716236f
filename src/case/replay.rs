//! What a case's audit trail proves: replaying the trail, entry by entry, gives the case's state —
//! its subject and App, assessments (status, note, source), suggestion reviews, evidence links
//! with captions and annotations, issued notices, re-check marks. `case log --verify` compares
//! this with what the database holds and `case import` with the bundle's `case.json`; the first
//! difference is named.
//!
//! Entries are interpreted from the last `case.snapshot` on (databases written before the trail
//! could prove the state got one snapshot of each case when they were upgraded); earlier entries
//! are still covered by the hash chain.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::audit::AuditEntry;
use super::judgement;
use super::lifecycle::{CaseState, Transition};
use super::model::*;
use super::store::natural;
use crate::i18n::Text;
use crate::status::Status;

/// An evidence link as the trail knows it (the database adds its row id and the file's facts).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Link {
    pub sha256: String,
    pub testpoint: Option<String>,
    pub original_name: String,
    pub caption: String,
    pub annotations: Value,
    pub actor: String,
    pub attached_at: String,
    /// Capture time and device as the inspector entered them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub captured: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<String>,
    /// Evidence, or the enterprise's rectification report.
    #[serde(default, skip_serializing_if = "EvidenceKind::is_evidence")]
    pub kind: EvidenceKind,
}

/// A case's state, in a form that two sources (database, trail, bundle) can be compared in.
/// `updated_at` is left out: it is when the row was last touched, not part of what was decided.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub case: Case,
    pub assessments: Vec<Assessment>,
    pub suggestions: Vec<Suggestion>,
    pub evidence: Vec<Link>,
    pub notices: Vec<IssuedNotice>,
    pub rechecks: Vec<Recheck>,
    /// Answers to the checklist's conditions, by condition id (what, not who or when).
    #[serde(default)]
    pub applicability: BTreeMap<String, bool>,
    #[serde(default)]
    pub test_conditions: TestConditions,
    /// The case's rounds (a trail or bundle from before rounds has none: its one round is the
    /// first, as [`Round::first`] makes it).
    #[serde(default)]
    pub rounds: Vec<Round>,
}

/// A re-inspection begun: the new round, its package and App identity, why a package under
/// another name was accepted, the suggestions the new package gives (the earlier round's are
/// frozen with it) and the earlier findings to re-check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reinspected {
    pub round: u32,
    pub package_sha256: String,
    pub app: AppIdentity,
    #[serde(default)]
    pub reason: String,
    pub suggestions: Vec<NewSuggestion>,
    pub recheck: Vec<Recheck>,
}

/// The rounds a record states, or the first one its case implies.
pub(crate) fn rounds_or_first(rounds: &[Round], case: &Case) -> Vec<Round> {
    if rounds.is_empty() {
        vec![Round::first(case)]
    } else {
        rounds.to_vec()
    }
}

/// A suggestion as a case is opened (or migrated) with it, before review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewSuggestion {
    pub testpoint: String,
    pub rule: String,
    pub status: Status,
    pub evidence: Text,
}

impl NewSuggestion {
    fn pending(&self) -> Suggestion {
        Suggestion {
            testpoint: self.testpoint.clone(),
            rule: self.rule.clone(),
            suggested_status: self.status,
            evidence: self.evidence.clone(),
            review: "pending".into(),
            reason: String::new(),
        }
    }
}

/// What `case.created` records (trail format 2).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Created {
    pub checklist: String,
    pub checklist_hash: String,
    pub checklist_version: String,
    pub package_sha256: Option<String>,
    pub subject: Subject,
    pub app: AppIdentity,
    pub inspectors: Vec<Inspector>,
    pub suggestions: Vec<NewSuggestion>,
}

/// What `case.migrated` records: the move of a case to another version of its checklist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Migrated {
    pub from_version: String,
    pub from_hash: String,
    pub to_version: String,
    pub to_hash: String,
    /// Test points the new version no longer has: their assessments and suggestions go (the
    /// assessments are kept here, in the trail).
    pub removed: Vec<Assessment>,
    pub removed_testpoints: Vec<String>,
    /// New or changed test points, marked to be looked at again.
    pub recheck: Vec<Recheck>,
    /// Suggestions whose rule the new version no longer applies to their test point.
    pub suggestions_removed: Vec<(String, String)>,
    /// Suggestions the new version's rules make on the case's package that it did not have.
    pub suggestions_added: Vec<NewSuggestion>,
}

#[derive(Deserialize)]
struct Assessed {
    testpoint: String,
    status: Status,
    note: String,
}

#[derive(Deserialize)]
struct Answered {
    condition: String,
    applies: Option<bool>,
}

#[derive(Deserialize)]
struct Filed {
    filing: String,
}

#[derive(Deserialize)]
struct Staffed {
    inspectors: Vec<Inspector>,
}

#[derive(Deserialize)]
struct Tested {
    conditions: TestConditions,
}

#[derive(Deserialize)]
struct Reviewed {
    testpoint: String,
    rules: Vec<String>,
    reason: String,
}

#[derive(Deserialize)]
struct Attached {
    sha256: String,
    name: String,
    testpoint: Option<String>,
    caption: String,
    #[serde(default)]
    kind: EvidenceKind,
}

#[derive(Deserialize)]
struct Relinked {
    sha256: String,
    from: Option<String>,
    to: Option<String>,
}

#[derive(Deserialize)]
struct Captured {
    sha256: String,
    testpoint: Option<String>,
    captured: Option<String>,
    device: Option<String>,
}

#[derive(Deserialize)]
struct Annotated {
    sha256: String,
    testpoint: Option<String>,
    caption: String,
    annotations: Value,
}

/// Where the trail cannot be replayed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplayError {
    pub seq: i64,
    pub why: String,
}

impl std::fmt::Display for ReplayError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "entry {}: {}", self.seq, self.why)
    }
}

#[derive(Default)]
struct State {
    case: Option<Case>,
    assessments: BTreeMap<String, Assessment>,
    suggestions: BTreeMap<(String, String), Suggestion>,
    links: Vec<Link>,
    notices: Vec<IssuedNotice>,
    rechecks: BTreeMap<String, Text>,
    applicability: BTreeMap<String, bool>,
    test_conditions: TestConditions,
    rounds: Vec<Round>,
}

impl State {
    fn from_record(r: Record) -> Self {
        let rounds = rounds_or_first(&r.rounds, &r.case);
        Self {
            rounds,
            case: Some(r.case),
            assessments: r
                .assessments
                .into_iter()
                .map(|a| (a.testpoint.clone(), a))
                .collect(),
            suggestions: r
                .suggestions
                .into_iter()
                .map(|s| ((s.testpoint.clone(), s.rule.clone()), s))
                .collect(),
            links: r.evidence,
            notices: r.notices,
            rechecks: r.rechecks.into_iter().map(|r| (r.testpoint, r.why)).collect(),
            applicability: r.applicability,
            test_conditions: r.test_conditions,
        }
    }

    fn into_record(self) -> Option<Record> {
        let mut assessments: Vec<Assessment> = self.assessments.into_values().collect();
        assessments.sort_by_key(|a| natural(&a.testpoint));
        let mut suggestions: Vec<Suggestion> = self.suggestions.into_values().collect();
        sort_suggestions(&mut suggestions);
        let mut rechecks: Vec<Recheck> = self
            .rechecks
            .into_iter()
            .map(|(testpoint, why)| Recheck { testpoint, why })
            .collect();
        rechecks.sort_by_key(|r| natural(&r.testpoint));
        Some(Record {
            case: self.case?,
            assessments,
            suggestions,
            evidence: self.links,
            notices: self.notices,
            rechecks,
            applicability: self.applicability,
            test_conditions: self.test_conditions,
            rounds: self.rounds,
        })
    }

    /// Re-derives a test point's status after a review or a judgement ([`judgement::settle`]).
    fn settle(&mut self, testpoint: &str, actor: &str, at: &str) {
        let accepted = self
            .suggestions
            .values()
            .filter(|s| s.testpoint == testpoint && s.review == "accepted")
            .map(|s| s.suggested_status);
        let current = self
            .assessments
            .get(testpoint)
            .map(|a| (a.status, a.note.as_str(), a.source.as_str()));
        match judgement::settle(current, accepted) {
            judgement::Settle::Inspector | judgement::Settle::Keep(_) => {}
            judgement::Settle::Clear => {
                self.assessments.remove(testpoint);
            }
            judgement::Settle::Write(status) => {
                self.assessments
                    .insert(testpoint.to_string(), automatic(testpoint, status, actor, at));
            }
        }
    }
}

/// The assessment an accepted suggestion makes.
pub(crate) fn automatic(testpoint: &str, status: Status, actor: &str, at: &str) -> Assessment {
    Assessment {
        testpoint: testpoint.to_string(),
        status,
        note: String::new(),
        source: judgement::Source::Automatic.keyword().into(),
        actor: actor.to_string(),
        updated_at: at.to_string(),
    }
}

pub(crate) fn sort_suggestions(s: &mut [Suggestion]) {
    s.sort_by(|a, b| {
        natural(&a.testpoint)
            .cmp(&natural(&b.testpoint))
            .then(a.rule.cmp(&b.rule))
    });
}

fn payload<T: for<'de> Deserialize<'de>>(e: &AuditEntry) -> Result<T, ReplayError> {
    T::deserialize(&e.payload).map_err(|err| ReplayError {
        seq: e.seq,
        why: format!("its {} record cannot be read ({err})", e.action),
    })
}

/// Replays a case's trail (already chain-verified) into the state it proves.
pub fn replay(entries: &[AuditEntry]) -> Result<Record, ReplayError> {
    let start = entries
        .iter()
        .rposition(|e| e.action == "case.snapshot")
        .unwrap_or(0);
    let mut st = State::default();
    for e in &entries[start..] {
        let fail = |why: String| ReplayError { seq: e.seq, why };
        if st.case.is_none() && !matches!(e.action.as_str(), "case.created" | "case.snapshot") {
            return Err(fail(format!(
                "the trail starts with {:?}, not with the case being opened",
                e.action
            )));
        }
        match e.action.as_str() {
            "case.created" => {
                if st.case.is_some() {
                    return Err(fail("the case is opened a second time".into()));
                }
                if e.payload.get("subject").is_some_and(Value::is_string) {
                    return Err(fail(
                        "the trail was written by an App Inspector older than 0.2, which did not record enough to prove the case's state"
                            .into(),
                    ));
                }
                let c: Created = payload(e)?;
                st.case = Some(Case {
                    id: e.case_id.clone(),
                    checklist_id: c.checklist,
                    checklist_hash: c.checklist_hash,
                    subject: c.subject,
                    app: c.app,
                    package_sha256: c.package_sha256,
                    inspectors: c.inspectors,
                    state: CaseState::Open,
                    created_at: e.at.clone(),
                    updated_at: String::new(),
                });
                for s in &c.suggestions {
                    st.suggestions
                        .insert((s.testpoint.clone(), s.rule.clone()), s.pending());
                }
                st.rounds = st.case.iter().map(Round::first).collect();
            }
            "case.reinspected" => {
                let r: Reinspected = payload(e)?;
                let next = st.rounds.last().map_or(1, |x| x.number + 1);
                if r.round != next {
                    return Err(fail(format!(
                        "it starts round {} after round {}",
                        r.round,
                        next - 1
                    )));
                }
                // The round that ends is frozen as it stands: judgements and suggestions.
                let frozen = Frozen {
                    assessments: {
                        let mut a: Vec<Assessment> = st.assessments.values().cloned().collect();
                        a.sort_by_key(|a| natural(&a.testpoint));
                        a
                    },
                    suggestions: {
                        let mut s: Vec<Suggestion> = st.suggestions.values().cloned().collect();
                        sort_suggestions(&mut s);
                        s
                    },
                };
                if let Some(last) = st.rounds.last_mut() {
                    last.state = "closed".into();
                    last.frozen = Some(frozen);
                }
                st.rounds.push(Round {
                    number: r.round,
                    package_sha256: Some(r.package_sha256.clone()),
                    version: r.app.version.clone(),
                    started_at: e.at.clone(),
                    reason: r.reason.clone(),
                    state: "current".into(),
                    frozen: None,
                });
                if let Some(c) = st.case.as_mut() {
                    c.app = r.app;
                    c.package_sha256 = Some(r.package_sha256);
                }
                st.suggestions.clear();
                for s in &r.suggestions {
                    st.suggestions
                        .insert((s.testpoint.clone(), s.rule.clone()), s.pending());
                }
                for x in r.recheck {
                    st.rechecks.insert(x.testpoint, x.why);
                }
            }
            "case.snapshot" => {
                let r: Record = payload(e)?;
                st = State::from_record(r);
            }
            "assessment.set" => {
                let a: Assessed = payload(e)?;
                st.assessments.insert(
                    a.testpoint.clone(),
                    Assessment {
                        testpoint: a.testpoint.clone(),
                        status: a.status,
                        note: a.note,
                        source: judgement::Source::Inspector.keyword().into(),
                        actor: e.actor.clone(),
                        updated_at: e.at.clone(),
                    },
                );
                st.rechecks.remove(&a.testpoint);
                st.settle(&a.testpoint, &e.actor, &e.at);
            }
            "suggestion.accepted" | "suggestion.rejected" => {
                let r: Reviewed = payload(e)?;
                let review = if e.action == "suggestion.accepted" {
                    "accepted"
                } else {
                    "rejected"
                };
                for rule in &r.rules {
                    let s = st
                        .suggestions
                        .get_mut(&(r.testpoint.clone(), rule.clone()))
                        .ok_or_else(|| {
                            fail(format!(
                                "it reviews a suggestion ({rule} on {}) the case does not have",
                                r.testpoint
                            ))
                        })?;
                    s.review = review.into();
                    s.reason = r.reason.clone();
                }
                st.settle(&r.testpoint, &e.actor, &e.at);
            }
            "evidence.attached" => {
                let a: Attached = payload(e)?;
                if st
                    .links
                    .iter()
                    .any(|l| l.sha256 == a.sha256 && l.testpoint == a.testpoint)
                {
                    return Err(fail(format!("it attaches {} a second time", a.sha256)));
                }
                st.links.push(Link {
                    sha256: a.sha256,
                    testpoint: a.testpoint,
                    original_name: a.name,
                    caption: a.caption,
                    annotations: Value::Array(Vec::new()),
                    actor: e.actor.clone(),
                    attached_at: e.at.clone(),
                    captured: None,
                    device: None,
                    kind: a.kind,
                });
            }
            "evidence.relinked" => {
                let r: Relinked = payload(e)?;
                if st
                    .links
                    .iter()
                    .any(|l| l.sha256 == r.sha256 && l.testpoint == r.to)
                {
                    return Err(fail(format!("it links {} twice to one test point", r.sha256)));
                }
                let link = st
                    .links
                    .iter_mut()
                    .find(|l| l.sha256 == r.sha256 && l.testpoint == r.from)
                    .ok_or_else(|| fail(format!("it moves evidence {} the case does not have", r.sha256)))?;
                link.testpoint = r.to;
            }
            "evidence.captured" => {
                let c: Captured = payload(e)?;
                let link = st
                    .links
                    .iter_mut()
                    .find(|l| l.sha256 == c.sha256 && l.testpoint == c.testpoint)
                    .ok_or_else(|| fail(format!("it dates evidence {} the case does not have", c.sha256)))?;
                link.captured = c.captured;
                link.device = c.device;
            }
            "evidence.annotated" => {
                let a: Annotated = payload(e)?;
                let link = st
                    .links
                    .iter_mut()
                    .find(|l| l.sha256 == a.sha256 && l.testpoint == a.testpoint)
                    .ok_or_else(|| fail(format!("it annotates {}, which is not attached", a.sha256)))?;
                link.caption = a.caption;
                link.annotations = a.annotations;
            }
            // Written before case states: open or closed.
            "case.closed" | "case.reopened" => {
                if let Some(c) = st.case.as_mut() {
                    c.state = if e.action == "case.closed" {
                        CaseState::Closed
                    } else {
                        CaseState::Open
                    };
                }
            }
            "case.state" => {
                let t: Transition = payload(e)?;
                if let Some(c) = st.case.as_mut() {
                    if c.state != t.from {
                        return Err(fail(format!(
                            "it moves the case from {} to {}, but the case was {}",
                            t.from, t.to, c.state
                        )));
                    }
                    c.state = t.to;
                }
            }
            "notice.issued" => {
                let n: IssuedNotice = payload(e)?;
                st.notices.push(n);
            }
            "case.migrated" => {
                let m: Migrated = payload(e)?;
                if let Some(c) = st.case.as_mut() {
                    if c.checklist_hash != m.from_hash {
                        return Err(fail(
                            "it moves the case from a checklist version the case was not on".into(),
                        ));
                    }
                    c.checklist_hash = m.to_hash.clone();
                }
                for tp in &m.removed_testpoints {
                    st.assessments.remove(tp);
                    st.suggestions.retain(|(t, _), _| t != tp);
                    st.rechecks.remove(tp);
                }
                for key in &m.suggestions_removed {
                    st.suggestions.remove(key);
                }
                for r in m.recheck {
                    st.rechecks.insert(r.testpoint, r.why);
                }
                for s in &m.suggestions_added {
                    st.suggestions
                        .insert((s.testpoint.clone(), s.rule.clone()), s.pending());
                }
                let touched: std::collections::BTreeSet<&String> =
                    m.suggestions_removed.iter().map(|(t, _)| t).collect();
                for tp in touched {
                    st.settle(tp, &e.actor, &e.at);
                }
            }
            "case.applicability" => {
                let a: Answered = payload(e)?;
                match a.applies {
                    Some(v) => st.applicability.insert(a.condition, v),
                    None => st.applicability.remove(&a.condition),
                };
            }
            "case.test-conditions" => {
                let t: Tested = payload(e)?;
                st.test_conditions = t.conditions;
            }
            "case.filing" => {
                let f: Filed = payload(e)?;
                if let Some(c) = st.case.as_mut() {
                    c.app.filing = f.filing;
                }
            }
            "case.inspectors" => {
                let t: Staffed = payload(e)?;
                if let Some(c) = st.case.as_mut() {
                    c.inspectors = t.inspectors;
                }
            }
            "runtime.imported" => {
                let log: super::behaviours::LogEntry = payload(e)?;
                for s in &log.suggestions {
                    let key = (s.testpoint.clone(), s.rule.clone());
                    if st.suggestions.contains_key(&key) {
                        return Err(fail(format!(
                            "it suggests {} on {} a second time",
                            s.rule, s.testpoint
                        )));
                    }
                    st.suggestions.insert(key, s.pending());
                }
            }
            // Recorded for the history; they change nothing in the case.
            "case.exported" | "case.imported" | "case.export-cancelled" => {}
            other => return Err(fail(format!("unknown action {other:?}"))),
        }
    }
    st.into_record().ok_or(ReplayError {
        seq: 0,
        why: "the trail is empty".into(),
    })
}

impl Record {
    /// The record of a loaded case.
    pub fn of(view: &CaseView) -> Self {
        let mut case = view.case.clone();
        case.updated_at = String::new();
        let mut assessments = view.assessments.clone();
        assessments.sort_by_key(|a| natural(&a.testpoint));
        let mut suggestions = view.suggestions.clone();
        sort_suggestions(&mut suggestions);
        let mut rechecks = view.rechecks.clone();
        rechecks.sort_by_key(|r| natural(&r.testpoint));
        Self {
            case,
            assessments,
            suggestions,
            evidence: view
                .evidence
                .iter()
                .map(|e| Link {
                    sha256: e.sha256.clone(),
                    testpoint: e.testpoint.clone(),
                    original_name: e.original_name.clone(),
                    caption: e.caption.clone(),
                    annotations: e.annotations.clone(),
                    actor: e.actor.clone(),
                    attached_at: e.attached_at.clone(),
                    captured: e.entered_capture.clone(),
                    device: e.device.clone(),
                    kind: e.kind,
                })
                .collect(),
            notices: view.notices.clone(),
            rechecks,
            applicability: view
                .applicability
                .iter()
                .map(|a| (a.condition.clone(), a.applies))
                .collect(),
            test_conditions: view.test_conditions.clone(),
            rounds: rounds_or_first(&view.rounds, &view.case),
        }
    }

    /// The record as JSON whose lists are keyed by what identifies their items, so that a
    /// difference is named by test point, rule or file rather than by position.
    fn keyed(&self) -> Value {
        let mut out = serde_json::Map::new();
        out.insert(
            "case".into(),
            serde_json::to_value(&self.case).unwrap_or_default(),
        );
        let keyed = |items: Vec<(String, Value)>| Value::Object(items.into_iter().collect());
        out.insert(
            "assessments".into(),
            keyed(
                self.assessments
                    .iter()
                    .map(|a| (a.testpoint.clone(), serde_json::to_value(a).unwrap_or_default()))
                    .collect(),
            ),
        );
        out.insert(
            "suggestions".into(),
            keyed(
                self.suggestions
                    .iter()
                    .map(|s| {
                        (
                            format!("{} {}", s.testpoint, s.rule),
                            serde_json::to_value(s).unwrap_or_default(),
                        )
                    })
                    .collect(),
            ),
        );
        out.insert(
            "evidence".into(),
            keyed(
                self.evidence
                    .iter()
                    .map(|l| {
                        (
                            format!("{} on {}", l.sha256, l.testpoint.as_deref().unwrap_or("the case")),
                            serde_json::to_value(l).unwrap_or_default(),
                        )
                    })
                    .collect(),
            ),
        );
        out.insert(
            "notices".into(),
            keyed(
                self.notices
                    .iter()
                    .enumerate()
                    .map(|(i, n)| {
                        (
                            format!("{} {}", i + 1, n.number),
                            serde_json::to_value(n).unwrap_or_default(),
                        )
                    })
                    .collect(),
            ),
        );
        out.insert(
            "applicability".into(),
            serde_json::to_value(&self.applicability).unwrap_or_default(),
        );
        out.insert(
            "test conditions".into(),
            serde_json::to_value(&self.test_conditions).unwrap_or_default(),
        );
        out.insert(
            "rounds".into(),
            keyed(
                self.rounds
                    .iter()
                    .map(|r| {
                        (
                            format!("round {}", r.number),
                            serde_json::to_value(r).unwrap_or_default(),
                        )
                    })
                    .collect(),
            ),
        );
        out.insert(
            "rechecks".into(),
            keyed(
                self.rechecks
                    .iter()
                    .map(|r| {
                        (
                            r.testpoint.clone(),
                            serde_json::to_value(&r.why).unwrap_or_default(),
                        )
                    })
                    .collect(),
            ),
        );
        Value::Object(out)
    }

    /// The first place where `self` (what `ours` holds) and `proven` (what the trail proves)
    /// differ, said as a sentence; `None` when they agree.
    pub fn first_difference(&self, proven: &Record, ours: &str) -> Option<String> {
        let (path, a, b) = first_difference(&self.keyed(), &proven.keyed(), Vec::new())?;
        let show = |v: &Option<Value>| match v {
            None => "nothing".to_string(),
            Some(v) => crate::i18n::clip(&v.to_string(), 120),
        };
        Some(format!(
            "{}: {ours} holds {}, the audit trail proves {}",
            path.join(" › "),
            show(&a),
            show(&b)
        ))
    }
}

type Difference = (Vec<String>, Option<Value>, Option<Value>);

fn first_difference(a: &Value, b: &Value, path: Vec<String>) -> Option<Difference> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
            keys.sort_by_key(|k| (natural(k.split(' ').next().unwrap_or(k)), k.to_string()));
            keys.dedup();
            for k in keys {
                let mut p = path.clone();
                p.push(k.clone());
                match (x.get(k), y.get(k)) {
                    (Some(u), Some(v)) => {
                        if let Some(d) = first_difference(u, v, p) {
                            return Some(d);
                        }
                    }
                    (u, v) => return Some((p, u.cloned(), v.cloned())),
                }
            }
            None
        }
        _ if a == b => None,
        _ => Some((path, Some(a.clone()), Some(b.clone()))),
    }
}

/// Checks a case id from outside (a bundle): it names files and appears in documents.
pub fn check_case_id(id: &str) -> Result<(), String> {
    let ok = !id.is_empty()
        && id.len() <= 64
        && !id.starts_with('.')
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "the case id {:?} is not one App Inspector makes (letters, digits, - _ . and at most 64 of them)",
            crate::i18n::clip(id, 70)
        ))
    }
}

/// Checks test conditions from outside (the command line, a form, a bundle).
pub fn check_test_conditions(t: &TestConditions) -> Result<(), String> {
    for (what, value, max) in [
        ("the device", &t.device, SHORT),
        ("the OS version", &t.os, SHORT),
        ("the App version", &t.app_version, SHORT),
        ("the channel", &t.channel, SHORT),
        ("the account", &t.account, SHORT),
        ("the network", &t.network, SHORT),
        ("the notes on test conditions", &t.notes, LONG),
    ] {
        bounded(what, value, max)?;
    }
    Ok(())
}

/// Checks a short field from outside (an APP备案号, a device): at most 100 characters, no
/// control characters; the error names `what`.
pub fn check_line(what: &str, value: &str) -> Result<(), String> {
    bounded(what, value, 100)
}

/// Checks a case's inspectors from outside (the command line, a form, a bundle): named, bounded,
/// each named once.
pub fn check_inspectors(list: &[Inspector]) -> Result<(), String> {
    if list.len() > 50 {
        return Err(format!("it names {} inspectors", list.len()));
    }
    for (n, i) in list.iter().enumerate() {
        if i.name.trim().is_empty() {
            return Err("an inspector has no name (write NAME or NAME=执法证号)".into());
        }
        bounded("an inspector's name", &i.name, SHORT)?;
        bounded("an inspector's certificate number", &i.badge, SHORT)?;
        if list[..n].iter().any(|o| o.name == i.name) {
            return Err(format!("the inspector {} is named twice", i.name));
        }
    }
    Ok(())
}

/// The most characters a field of an imported case may have.
const SHORT: usize = 500;
const LONG: usize = 20_000;

fn bounded(what: &str, value: &str, max: usize) -> Result<(), String> {
    let n = value.chars().count();
    if n > max {
        return Err(format!("{what} is {n} characters long (at most {max})"));
    }
    if value
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\t' | '\r'))
    {
        return Err(format!("{what} holds control characters"));
    }
    Ok(())
}

fn sha256_field(what: &str, value: &str, may_be_empty: bool) -> Result<(), String> {
    let ok = (may_be_empty && value.is_empty())
        || (value.len() == 64
            && value
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{what} is not a SHA-256 ({:?})",
            crate::i18n::clip(value, 70)
        ))
    }
}

fn looks_like_testpoint(id: &str) -> bool {
    id.len() <= 16
        && id.split('.').count() == 2
        && id
            .split('.')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

impl Record {
    /// Checks a record from outside against the checklist it names: every test point and rule
    /// exists there, every field is well formed and of a sane length.
    pub fn check(&self, checklist: &crate::checklist::Checklist) -> Result<(), String> {
        let c = &self.case;
        check_case_id(&c.id)?;
        for (what, v) in [
            ("the subject's name", &c.subject.name),
            ("the subject's credit code", &c.subject.credit_code),
            ("the subject's address", &c.subject.address),
            ("the App's name", &c.app.name),
            ("the App's package", &c.app.package),
            ("the App's version", &c.app.version),
            ("the case's creation time", &c.created_at),
        ] {
            bounded(what, v, SHORT)?;
        }
        sha256_field("the certificate fingerprint", &c.app.cert_sha256, true)?;
        if let Some(p) = &c.package_sha256 {
            sha256_field("the package's SHA-256", p, false)?;
        }
        check_inspectors(&c.inspectors)?;
        check_line("the filing number", &c.app.filing)?;
        // `type` is the first role, kept for older readers: the two must not disagree.
        if c.subject
            .roles
            .first()
            .is_some_and(|first| *first != c.subject.kind)
        {
            return Err("the subject's type is not its first role".into());
        }
        let mut roles = c.subject.roles.clone();
        roles.sort();
        roles.dedup();
        if roles.len() != c.subject.roles.len() {
            return Err("the subject names a role twice".into());
        }
        for condition in self.applicability.keys() {
            if checklist.condition(condition).is_none() {
                return Err(format!(
                    "condition {:?} is not in checklist {} {}",
                    crate::i18n::clip(condition, 40),
                    checklist.id,
                    checklist.version
                ));
            }
        }
        check_test_conditions(&self.test_conditions)?;
        let point = |tp: &str| {
            checklist.test_point(tp).map(|(_, t)| t).ok_or_else(|| {
                format!(
                    "test point {:?} is not in checklist {} {}",
                    crate::i18n::clip(tp, 20),
                    checklist.id,
                    checklist.version
                )
            })
        };
        for a in &self.assessments {
            point(&a.testpoint)?;
            bounded(&format!("the note on {}", a.testpoint), &a.note, LONG)?;
            bounded("an actor's name", &a.actor, SHORT)?;
            bounded("a time", &a.updated_at, SHORT)?;
            if judgement::Source::from_keyword(&a.source).is_none() {
                return Err(format!("the source of {} is unknown", a.testpoint));
            }
        }
        for s in &self.suggestions {
            let tp = point(&s.testpoint)?;
            if !crate::checklist::rules::may_suggest(&s.rule, &s.testpoint, &tp.rules) {
                return Err(format!(
                    "the rule {:?} does not apply to test point {}",
                    crate::i18n::clip(&s.rule, 40),
                    s.testpoint
                ));
            }
            bounded("a suggestion's evidence", &s.evidence.zh, LONG)?;
            bounded("a suggestion's evidence", &s.evidence.en, LONG)?;
            bounded("a review's reason", &s.reason, LONG)?;
            if !matches!(s.review.as_str(), "pending" | "accepted" | "rejected") {
                return Err(format!("the review of {} {} is unknown", s.testpoint, s.rule));
            }
        }
        for l in &self.evidence {
            sha256_field("an evidence file's SHA-256", &l.sha256, false)?;
            if let Some(tp) = &l.testpoint
                && !looks_like_testpoint(tp)
            {
                return Err(format!(
                    "evidence is linked to {:?}, not a test point",
                    crate::i18n::clip(tp, 20)
                ));
            }
            bounded("an evidence file's name", &l.original_name, SHORT)?;
            bounded("a caption", &l.caption, LONG)?;
            bounded("an actor's name", &l.actor, SHORT)?;
            bounded("a time", &l.attached_at, SHORT)?;
            if let Some(c) = &l.captured {
                super::capture::parse_entered(c)?;
            }
            bounded("a device", l.device.as_deref().unwrap_or(""), SHORT)?;
            super::evidence::check_annotations(&l.annotations)?;
            if l.annotations.to_string().len() > 1 << 20 {
                return Err("an annotation list is larger than 1 MiB".into());
            }
        }
        for n in &self.notices {
            for v in [&n.number, &n.deadline, &n.signer, &n.issued_at] {
                bounded("a notice's field", v, SHORT)?;
            }
            sha256_field("a notice's SHA-256", &n.pdf_sha256, false)?;
            if !matches!(n.lang.as_str(), "zh" | "en") || n.kind.len() > 40 {
                return Err(format!(
                    "the notice {} has an unknown kind or language",
                    crate::i18n::clip(&n.number, 40)
                ));
            }
        }
        for r in &self.rechecks {
            point(&r.testpoint)?;
            bounded("a re-check reason", &r.why.zh, SHORT)?;
            bounded("a re-check reason", &r.why.en, SHORT)?;
        }
        Ok(())
    }
}
