//! A case's life: open → rectification notice issued → rectification reported → re-inspected →
//! closed (rectified) or escalated (通报, 下架, 停止接入, a penalty procedure). Issuing a notice,
//! receiving the enterprise's rectification report and starting a re-inspection move the case on
//! by themselves, in the same transaction as the act; closing, escalating and reopening are the
//! inspector's decisions. Every move is one `case.state` entry in the trail, so the trail proves
//! the state like everything else. Closing needs every finding of every round resolved (now
//! compliant or not applicable) or explained, the explanation kept in the trail.

use std::collections::BTreeMap;

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};

use super::model::{CaseView, Round};
use super::store::Store;
use super::{CaseError, audit};
use crate::checklist::{Checklist, Force};
use crate::i18n::{Lang, Text};
use crate::status::Status;

/// Where a case stands in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseState {
    /// Being inspected; nothing issued that demands an answer.
    #[default]
    Open,
    /// A rectification notice (or a re-inspection opinion with problems remaining) awaits the
    /// enterprise's rectification.
    NoticeIssued,
    /// The enterprise's rectification report has been received.
    RectificationReported,
    /// A new version has been re-inspected.
    Reinspected,
    /// Closed: every finding resolved or explained. Read-only until reopened.
    Closed,
    /// Handed on to a measure beyond the notice (通报, 下架, 停止接入, a penalty procedure).
    /// Read-only until reopened.
    Escalated,
}

impl CaseState {
    pub const ALL: [CaseState; 6] = [
        CaseState::Open,
        CaseState::NoticeIssued,
        CaseState::RectificationReported,
        CaseState::Reinspected,
        CaseState::Closed,
        CaseState::Escalated,
    ];

    /// The word stored in the database and the JSON.
    pub fn keyword(self) -> &'static str {
        match self {
            CaseState::Open => "open",
            CaseState::NoticeIssued => "notice_issued",
            CaseState::RectificationReported => "rectification_reported",
            CaseState::Reinspected => "reinspected",
            CaseState::Closed => "closed",
            CaseState::Escalated => "escalated",
        }
    }

    pub fn from_keyword(word: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.keyword() == word)
    }

    /// Closed or escalated: nothing more is recorded until the case is reopened.
    pub fn is_final(self) -> bool {
        matches!(self, CaseState::Closed | CaseState::Escalated)
    }

    /// A short name, for a list's column.
    pub fn short(self, lang: Lang) -> &'static str {
        match self {
            CaseState::Open => lang.pick("检查中", "open"),
            CaseState::NoticeIssued => lang.pick("待整改", "awaiting rectification"),
            CaseState::RectificationReported => lang.pick("待复查", "report received"),
            CaseState::Reinspected => lang.pick("已复查", "re-inspected"),
            CaseState::Closed => lang.pick("已结案", "closed"),
            CaseState::Escalated => lang.pick("已移交处置", "escalated"),
        }
    }

    /// The name shown to people.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            CaseState::Open => lang.pick("检查中", "open"),
            CaseState::NoticeIssued => {
                lang.pick("已下发整改通知，待整改", "notice issued, awaiting rectification")
            }
            CaseState::RectificationReported => lang.pick(
                "已报送整改报告，待复查",
                "rectification reported, awaiting re-inspection",
            ),
            CaseState::Reinspected => lang.pick("已复查", "re-inspected"),
            CaseState::Closed => lang.pick("已结案", "closed"),
            CaseState::Escalated => lang.pick("已移交处置", "escalated"),
        }
    }
}

impl std::fmt::Display for CaseState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.keyword())
    }
}

impl ToSql for CaseState {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.keyword()))
    }
}

impl FromSql for CaseState {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let word = value.as_str()?;
        Self::from_keyword(word).ok_or_else(|| {
            FromSqlError::Other(format!("the case state {word:?} is not one this build knows").into())
        })
    }
}

/// What moved a case from one state to the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    /// A notice was issued that demands rectification by a deadline.
    Notice,
    /// The enterprise's rectification report was received.
    Report,
    /// A re-inspection of a new version began.
    Reinspection,
    /// The inspector closed the case.
    Close,
    /// The inspector escalated the case.
    Escalate,
    /// The inspector reopened a closed or escalated case.
    Reopen,
    /// A database written before case states existed was upgraded: the state its notices and
    /// rounds imply.
    Upgrade,
}

impl Trigger {
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Trigger::Notice => lang.pick("下发整改通知", "notice issued"),
            Trigger::Report => lang.pick("收到整改报告", "rectification report received"),
            Trigger::Reinspection => lang.pick("开始复查", "re-inspection begun"),
            Trigger::Close => lang.pick("结案", "closed"),
            Trigger::Escalate => lang.pick("移交处置", "escalated"),
            Trigger::Reopen => lang.pick("重新打开", "reopened"),
            Trigger::Upgrade => lang.pick(
                "数据库升级时按已有记录认定",
                "derived from the records when the database was upgraded",
            ),
        }
    }
}

/// A measure beyond the notice, as the notice's consequences paragraph announces them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// 向社会通报.
    Notify,
    /// 组织下架.
    Delist,
    /// 停止接入.
    Disconnect,
    /// 立案查处: a penalty procedure under the law the duty comes from.
    Penalty,
}

impl Measure {
    pub const ALL: [Measure; 4] = [
        Measure::Notify,
        Measure::Delist,
        Measure::Disconnect,
        Measure::Penalty,
    ];

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Measure::Notify => lang.pick("向社会通报", "public notification"),
            Measure::Delist => lang.pick("组织下架", "removal from app stores"),
            Measure::Disconnect => lang.pick("停止接入", "suspension of network access"),
            Measure::Penalty => lang.pick("立案查处", "a penalty procedure"),
        }
    }
}

/// One move of a case's state, as the trail records it (`case.state`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transition {
    pub from: CaseState,
    pub to: CaseState,
    pub by: Trigger,
    /// What moved it: the notice's number, the report's SHA-256, the round's number.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub what: String,
    /// Why the inspector escalated (or anything said on closing).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
    /// On closing: why each finding that is not resolved is closed all the same, by test point.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub explained: BTreeMap<String, String>,
    /// On escalating: the measures taken.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub measures: Vec<Measure>,
    /// A report received after the deadline: by how many days (in the authority's time zone).
    /// Kept with the move, as the case list stops counting once the report is in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub late_days: Option<u32>,
}

impl Transition {
    fn new(from: CaseState, to: CaseState, by: Trigger, what: impl Into<String>) -> Self {
        Self {
            from,
            to,
            by,
            what: what.into(),
            reason: String::new(),
            explained: BTreeMap::new(),
            measures: Vec::new(),
            late_days: None,
        }
    }

    /// One line for a history: "已下发整改通知，待整改 → 已复查（开始复查 2）".
    pub fn describe(&self, lang: Lang) -> String {
        let mut inner = self.by.label(lang).to_string();
        if !self.what.is_empty() {
            inner.push(' ');
            // A report is named by the start of its SHA-256 (the JSON has all of it).
            inner.push_str(&match (self.by, lang) {
                (Trigger::Report, _) => crate::i18n::clip(&self.what, 13),
                (Trigger::Reinspection, Lang::Zh) => format!("第 {} 轮", self.what),
                (Trigger::Reinspection, Lang::En) => format!("round {}", self.what),
                _ => self.what.clone(),
            });
        }
        if !self.measures.is_empty() {
            let m: Vec<&str> = self.measures.iter().map(|m| m.label(lang)).collect();
            inner.push_str(lang.pick("：", ": "));
            inner.push_str(&m.join(lang.pick("、", ", ")));
        }
        if let Some(n) = self.late_days {
            inner.push_str(&match lang {
                Lang::Zh => format!("，逾期 {n} 天"),
                Lang::En => format!(", {n} days after the deadline"),
            });
        }
        let (from, to) = (self.from.label(lang), self.to.label(lang));
        // Closing says nothing the target state does not.
        let plain = self.by == Trigger::Close && self.what.is_empty();
        let mut out = match (lang, plain) {
            (_, true) => format!("{from} → {to}"),
            (Lang::Zh, false) => format!("{from} → {to}（{inner}）"),
            (Lang::En, false) => format!("{from} → {to} ({inner})"),
        };
        if !self.reason.is_empty() {
            out.push_str(lang.pick("；理由：", "; reason: "));
            out.push_str(&self.reason);
        }
        for (tp, why) in &self.explained {
            out.push_str(&match lang {
                Lang::Zh => format!("；{tp} 说明：{why}"),
                Lang::En => format!("; {tp} explained: {why}"),
            });
        }
        out
    }
}

/// A state move as it happened: when, by whom.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StateChange {
    pub at: String,
    pub actor: String,
    #[serde(flatten)]
    pub transition: Transition,
}

/// A finding that stands in the way of closing: found in some round, not resolved now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unresolved {
    pub testpoint: String,
    /// The first round it was found in.
    pub round: u32,
    pub found: Status,
    pub now: Status,
    /// Marked to re-check (an earlier finding not yet judged on the new version).
    pub recheck: bool,
}

impl Unresolved {
    /// "1.2.3（第 1 轮不符合，现待复查）".
    pub fn describe(&self, lang: Lang) -> String {
        let now = if self.recheck {
            lang.pick("待复查", "to re-check").to_string()
        } else {
            self.now.label().get(lang).to_string()
        };
        match lang {
            Lang::Zh => format!(
                "{}（第 {} 轮{}，现{}）",
                self.testpoint,
                self.round,
                self.found.label().get(lang),
                now
            ),
            Lang::En => format!(
                "{} ({} in round {}, now {})",
                self.testpoint,
                self.found.label().get(lang),
                self.round,
                now
            ),
        }
    }
}

/// The findings as one list for a sentence.
pub fn list(items: &[Unresolved], lang: Lang) -> String {
    let parts: Vec<String> = items.iter().map(|u| u.describe(lang)).collect();
    parts.join(lang.pick("；", "; "))
}

/// Every finding (non-compliant or partial, in any round) that is not resolved now. Advisory test
/// points are left out: an encouraged item failed is never a finding.
pub fn unresolved(view: &CaseView, checklist: &Checklist) -> Vec<Unresolved> {
    let current = view.rounds.last().map_or(1, |r| r.number);
    let rounds: Vec<(u32, &[super::model::Assessment])> = view
        .rounds
        .iter()
        .filter_map(|r: &Round| Some((r.number, r.frozen.as_ref()?.assessments.as_slice())))
        .chain(std::iter::once((current, view.assessments.as_slice())))
        .collect();
    let mut out: Vec<Unresolved> = Vec::new();
    for (round, assessments) in rounds {
        for a in assessments {
            if !matches!(a.status, Status::NonCompliant | Status::Partial)
                || out.iter().any(|u| u.testpoint == a.testpoint)
                || checklist
                    .test_point(&a.testpoint)
                    .is_some_and(|(_, tp)| tp.force == Force::Advisory)
            {
                continue;
            }
            let now = view.status(&a.testpoint);
            let recheck = view.recheck(&a.testpoint).is_some();
            if recheck || !matches!(now, Status::Compliant | Status::NotApplicable) {
                out.push(Unresolved {
                    testpoint: a.testpoint.clone(),
                    round,
                    found: a.status,
                    now,
                    recheck,
                });
            }
        }
    }
    out.sort_by_key(|u| super::store::natural(&u.testpoint));
    out
}

/// The state an automatic trigger moves a case to, if any: a finished case stays as it is.
fn next(from: CaseState, by: Trigger) -> Option<CaseState> {
    match (by, from) {
        (_, s) if s.is_final() => None,
        (Trigger::Notice, s) if s != CaseState::NoticeIssued => Some(CaseState::NoticeIssued),
        (Trigger::Report, CaseState::NoticeIssued) => Some(CaseState::RectificationReported),
        (Trigger::Reinspection, s) if s != CaseState::Reinspected => Some(CaseState::Reinspected),
        _ => None,
    }
}

fn state_of(tx: &Connection, id: &str) -> Result<CaseState, CaseError> {
    Ok(Store::case_row(tx, id)?.state)
}

/// Writes a move: the case's row and its `case.state` entry, in the caller's transaction.
pub(crate) fn apply(
    tx: &Connection,
    id: &str,
    t: &Transition,
    actor: &str,
    at: &str,
) -> Result<(), CaseError> {
    tx.execute(
        "UPDATE cases SET state = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, t.to, at],
    )?;
    audit::append(tx, id, at, actor, "case.state", serde_json::to_value(t)?)?;
    Ok(())
}

/// Moves the case on after an act that implies it (a notice issued, a report received, a
/// re-inspection begun), in the act's transaction; nothing when the act implies no move.
pub(crate) fn advance(
    tx: &Connection,
    id: &str,
    by: Trigger,
    what: &str,
    actor: &str,
    at: &str,
) -> Result<Option<Transition>, CaseError> {
    advance_with(tx, id, by, what, actor, at, |_| ())
}

/// As [`advance`], for a move that says more than what moved it (`fill` adds it: a late report).
fn advance_with(
    tx: &Connection,
    id: &str,
    by: Trigger,
    what: &str,
    actor: &str,
    at: &str,
    fill: impl FnOnce(&mut Transition),
) -> Result<Option<Transition>, CaseError> {
    let from = state_of(tx, id)?;
    let Some(to) = next(from, by) else { return Ok(None) };
    let mut t = Transition::new(from, to, by, what);
    fill(&mut t);
    apply(tx, id, &t, actor, at)?;
    Ok(Some(t))
}

/// The moves recorded in a case's trail, oldest first.
pub(crate) fn history(conn: &Connection, id: &str) -> Result<Vec<StateChange>, CaseError> {
    let mut stmt = conn.prepare_cached(
        "SELECT at, actor, payload FROM audit WHERE case_id = ?1 AND action = 'case.state' ORDER BY seq",
    )?;
    let rows = stmt.query_map([id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (at, actor, payload) = row?;
        // An entry this build cannot read is left out of the history; `case log --verify` names it.
        if let Ok(transition) = serde_json::from_str(&payload) {
            out.push(StateChange {
                at,
                actor,
                transition,
            });
        }
    }
    Ok(out)
}

/// The state a database written before case states implies for a case: re-inspected when a
/// round began after its last rectification notice (or with none), notice issued when a
/// rectification notice awaits an answer, else open.
pub(crate) fn implied(tx: &Connection, id: &str) -> Result<CaseState, CaseError> {
    let notice: Option<String> = tx.query_row(
        "SELECT max(issued_at) FROM notices WHERE case_id = ?1 AND kind = 'rectification'",
        [id],
        |r| r.get(0),
    )?;
    let round: Option<String> = tx.query_row(
        "SELECT max(started_at) FROM rounds WHERE case_id = ?1 AND number > 1",
        [id],
        |r| r.get(0),
    )?;
    Ok(match (notice, round) {
        (Some(n), Some(r)) if r > n => CaseState::Reinspected,
        (None, Some(_)) => CaseState::Reinspected,
        (Some(_), _) => CaseState::NoticeIssued,
        (None, None) => CaseState::Open,
    })
}

/// Schema 9: each open case is moved to the state its notices and rounds imply, by the tool,
/// with a `case.state` entry saying so.
pub(crate) fn upgrade(tx: &Connection, actor: &str) -> Result<(), CaseError> {
    let ids: Vec<String> = tx
        .prepare("SELECT id FROM cases WHERE state = 'open' ORDER BY id")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let at = audit::now();
    for id in ids {
        let to = implied(tx, &id)?;
        if to != CaseState::Open {
            apply(
                tx,
                &id,
                &Transition::new(CaseState::Open, to, Trigger::Upgrade, ""),
                actor,
                &at,
            )?;
        }
    }
    Ok(())
}

/// The enterprise's rectification report, received and stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportReceived {
    pub sha256: String,
    /// The move it made (none when the case was not awaiting a report).
    pub transition: Option<Transition>,
}

/// A rectification report is a PDF, a Word file or a scan: anything else is refused by name.
fn check_report(name: &str, bytes: &[u8]) -> Result<(), CaseError> {
    let lower = name.to_lowercase();
    let ok = bytes.starts_with(b"%PDF-")
        || (bytes.starts_with(b"PK\x03\x04") && lower.ends_with(".docx"))
        || (bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) && lower.ends_with(".doc"))
        || matches!(
            image::guess_format(bytes),
            Ok(image::ImageFormat::Png | image::ImageFormat::Jpeg | image::ImageFormat::WebP)
        );
    if ok {
        return Ok(());
    }
    Err(CaseError::Lifecycle(Text::new(
        format!(
            "{name} 不是整改报告可用的格式：请提供 PDF、Word 文件（.doc、.docx）或扫描图片（PNG、JPEG、WebP）"
        ),
        format!(
            "{name} is not a rectification report: give a PDF, a Word file (.doc, .docx) or a scanned image (PNG, JPEG, WebP)"
        ),
    )))
}

impl Store {
    /// Receives the enterprise's rectification report answering the case's rectification notice:
    /// stored as evidence of its own kind in the current round; a case awaiting rectification
    /// moves to `rectification_reported`.
    pub fn receive_report(
        &mut self,
        id: &str,
        file: &std::path::Path,
        caption: &str,
        actor: &str,
    ) -> Result<ReportReceived, CaseError> {
        let (name, bytes) = super::evidence::read_file(file, "rectification reports")?;
        self.receive_report_bytes(id, &name, &bytes, caption, actor)
    }

    /// As [`Store::receive_report`], for bytes in memory.
    pub fn receive_report_bytes(
        &mut self,
        id: &str,
        name: &str,
        bytes: &[u8],
        caption: &str,
        actor: &str,
    ) -> Result<ReportReceived, CaseError> {
        check_report(name, bytes)?;
        let view = self.load(id)?;
        if !view.notices.iter().any(|n| n.kind == "rectification") {
            return Err(CaseError::Lifecycle(Text::new(
                format!("案件 {id} 尚未下发整改通知，没有需要答复的整改报告；其他材料请作为证据添加"),
                format!(
                    "case {id} has no rectification notice for a report to answer; attach other files as evidence"
                ),
            )));
        }
        // Received after the deadline while the case waited for it: said with the move.
        let late_days = self
            .deadline(&view)
            .days_left
            .filter(|n| *n < 0 && view.case.state == CaseState::NoticeIssued)
            .and_then(|n| u32::try_from(-n).ok());
        let caption = match caption.trim() {
            "" => "企业报送的整改报告",
            given => given,
        };
        let mut moved = None;
        let sha256 = self.link_file(
            id,
            name,
            bytes,
            None,
            caption,
            super::EvidenceKind::RectificationReport,
            actor,
            |tx, at, sha256| {
                moved = advance_with(tx, id, Trigger::Report, sha256, actor, at, |t| {
                    t.late_days = late_days
                })?;
                Ok(())
            },
        )?;
        Ok(ReportReceived {
            sha256,
            transition: moved,
        })
    }

    /// The findings that stand in the way of closing the case.
    pub fn unresolved(&self, id: &str) -> Result<Vec<Unresolved>, CaseError> {
        let view = self.load(id)?;
        let checklist = self.checklist_of(&view.case)?;
        Ok(unresolved(&view, &checklist))
    }

    /// Closes the case. Every finding of every round must be resolved now, or explained in
    /// `explained` (test point → why it is closed all the same); explanations are kept in the trail.
    pub fn close(
        &mut self,
        id: &str,
        explained: &BTreeMap<String, String>,
        actor: &str,
    ) -> Result<Transition, CaseError> {
        let at = audit::now();
        self.write(|tx| {
            // Worked out inside the transaction that closes: nothing judged meanwhile is missed.
            let case = Self::open_case(tx, id)?;
            let view = super::store::load_view(tx, id)?;
            let checklist = super::store::pinned_checklist(tx, &case)?;
            let open = unresolved(&view, &checklist);
            for (tp, why) in explained {
                if !open.iter().any(|u| &u.testpoint == tp) {
                    return Err(CaseError::Lifecycle(Text::new(
                        format!("检查项 {tp} 无需说明：它不是案件 {id} 未整改到位的问题"),
                        format!(
                            "test point {tp} needs no explanation: it is not an unresolved finding of case {id}"
                        ),
                    )));
                }
                if why.trim().is_empty() {
                    return Err(CaseError::Lifecycle(Text::new(
                        format!("检查项 {tp} 的说明为空；请说明该问题未整改到位而结案的理由"),
                        format!(
                            "the explanation for test point {tp} is empty; say why the case is closed with it unresolved"
                        ),
                    )));
                }
                super::replay::check_line("an explanation", why).map_err(|e| {
                    CaseError::Lifecycle(Text::new(format!("说明不符合要求：{e}"), e))
                })?;
            }
            let missing: Vec<Unresolved> = open
                .into_iter()
                .filter(|u| !explained.contains_key(&u.testpoint))
                .collect();
            if !missing.is_empty() {
                return Err(CaseError::Unresolved {
                    case: id.to_string(),
                    items: missing,
                });
            }
            let mut t = Transition::new(case.state, CaseState::Closed, Trigger::Close, "");
            t.explained = explained
                .iter()
                .map(|(k, v)| (k.clone(), v.trim().to_string()))
                .collect();
            apply(tx, id, &t, actor, &at)?;
            Ok(t)
        })
    }

    /// Escalates the case after a rectification notice whose demands were not met: the measures
    /// taken and why, in the trail.
    pub fn escalate(
        &mut self,
        id: &str,
        measures: &[Measure],
        reason: &str,
        actor: &str,
    ) -> Result<Transition, CaseError> {
        if measures.is_empty() {
            return Err(CaseError::Lifecycle(Text::new(
                "请至少选择一项处置措施（向社会通报、组织下架、停止接入、立案查处）",
                "name at least one measure (notify, delist, disconnect, penalty)",
            )));
        }
        if reason.trim().is_empty() {
            return Err(CaseError::Lifecycle(Text::new(
                "请写明移交处置的理由（逾期未整改或整改不到位的情况）",
                "give the reason for escalating (what was not rectified by the deadline)",
            )));
        }
        super::replay::check_line("the reason", reason)
            .map_err(|e| CaseError::Lifecycle(Text::new(format!("理由不符合要求：{e}"), e)))?;
        let at = audit::now();
        self.write(|tx| {
            let from = Self::open_case(tx, id)?.state;
            if from == CaseState::Open {
                return Err(CaseError::Lifecycle(Text::new(
                    format!("案件 {id} 尚未下发整改通知：移交处置应在整改通知的要求未落实之后"),
                    format!("case {id} has had no rectification notice: escalation follows a notice whose demands were not met"),
                )));
            }
            let mut t = Transition::new(from, CaseState::Escalated, Trigger::Escalate, "");
            let mut m = measures.to_vec();
            m.sort();
            m.dedup();
            t.measures = m;
            t.reason = reason.trim().to_string();
            apply(tx, id, &t, actor, &at)?;
            Ok(t)
        })
    }

    /// Reopens a closed or escalated case: it returns to the state it was closed from.
    pub fn reopen(&mut self, id: &str, actor: &str) -> Result<Transition, CaseError> {
        let at = audit::now();
        self.write(|tx| {
            let from = state_of(tx, id)?;
            if !from.is_final() {
                return Err(CaseError::Lifecycle(Text::new(
                    format!("案件 {id} 未结案也未移交处置（当前：{}）", from.label(Lang::Zh)),
                    format!(
                        "case {id} is not closed or escalated (it is {})",
                        from.label(Lang::En)
                    ),
                )));
            }
            // Cases closed before states existed have no move into the final state: open.
            let to = history(tx, id)?
                .into_iter()
                .rev()
                .find(|c| c.transition.to == from)
                .map_or(CaseState::Open, |c| c.transition.from);
            let t = Transition::new(from, to, Trigger::Reopen, "");
            apply(tx, id, &t, actor, &at)?;
            Ok(t)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn automatic_moves_follow_the_acts_and_never_leave_a_finished_case() {
        use CaseState::*;
        assert_eq!(next(Open, Trigger::Notice), Some(NoticeIssued));
        assert_eq!(next(NoticeIssued, Trigger::Notice), None);
        assert_eq!(next(NoticeIssued, Trigger::Report), Some(RectificationReported));
        assert_eq!(next(Open, Trigger::Report), None);
        assert_eq!(
            next(RectificationReported, Trigger::Reinspection),
            Some(Reinspected)
        );
        assert_eq!(next(Reinspected, Trigger::Notice), Some(NoticeIssued));
        for s in [Closed, Escalated] {
            for by in [Trigger::Notice, Trigger::Report, Trigger::Reinspection] {
                assert_eq!(next(s, by), None);
            }
        }
    }

    #[test]
    fn states_read_back_from_their_keywords() {
        for s in CaseState::ALL {
            assert_eq!(CaseState::from_keyword(s.keyword()), Some(s));
            assert_eq!(serde_json::to_value(s).unwrap(), s.keyword());
        }
    }
}
