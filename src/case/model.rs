//! What a case is: the inspected subject and App, the checklist it is judged against, the
//! assessments, automatic suggestions and evidence. These are the structs `case show --json` prints.

use serde::{Deserialize, Serialize};

use crate::checklist::SubjectType;
use crate::i18n::Text;
use crate::status::Status;

/// The enterprise inspected.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Subject {
    pub name: String,
    /// The first role; kept for readers of earlier records.
    #[serde(rename = "type")]
    pub kind: SubjectType,
    /// Every role the enterprise holds in this case (an enterprise often runs Apps, SDKs and a
    /// store). Records written before roles existed have none: then `kind` is the only role.
    #[serde(default)]
    pub roles: Vec<SubjectType>,
    /// 统一社会信用代码.
    pub credit_code: String,
    pub address: String,
}

impl Subject {
    /// The roles the case is judged for.
    pub fn roles(&self) -> Vec<SubjectType> {
        if self.roles.is_empty() {
            vec![self.kind]
        } else {
            self.roles.clone()
        }
    }
}

/// A case's answer to one of its checklist's conditions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Applicability {
    pub condition: String,
    /// Whether the condition holds: its test points apply.
    pub applies: bool,
    pub actor: String,
    pub updated_at: String,
}

/// How the App was tested, as a lab records it for every inspection and a notice states in its
/// 检查情况. Empty fields were not recorded.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TestConditions {
    /// Device make and model, e.g. "Xiaomi 14 (23127PN0CC)".
    pub device: String,
    /// OS and ROM version, e.g. "Android 14, HyperOS 1.0.5".
    pub os: String,
    /// The App version tested (when it differs from the package's).
    pub app_version: String,
    /// Where the package came from: store and channel, URL.
    pub channel: String,
    /// The account used, if any.
    pub account: String,
    /// Network: Wi-Fi, 4G/5G, operator.
    pub network: String,
    /// Installed afresh (or data cleared) before first-run tests.
    pub clean_install: Option<bool>,
    /// Anything else: date and place of testing, tools.
    pub notes: String,
}

impl TestConditions {
    /// Whether nothing is recorded.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// The recorded conditions as labelled lines, in the order a notice states them.
    pub fn lines(&self, lang: crate::i18n::Lang) -> Vec<(String, String)> {
        let l = |zh: &str, en: &str| lang.pick(zh, en).to_string();
        let mut out = Vec::new();
        for (label, value) in [
            (l("测试设备", "Device"), &self.device),
            (l("系统版本", "OS / ROM"), &self.os),
            (l("APP版本", "App version"), &self.app_version),
            (l("安装包来源", "Channel"), &self.channel),
            (l("测试账号", "Account"), &self.account),
            (l("网络环境", "Network"), &self.network),
        ] {
            if !value.trim().is_empty() {
                out.push((label, value.trim().to_string()));
            }
        }
        if let Some(clean) = self.clean_install {
            out.push((
                l("全新安装", "Clean install"),
                match clean {
                    true => l(
                        "是（首次运行测试前全新安装或清除数据）",
                        "yes (installed afresh or data cleared before first-run tests)",
                    ),
                    false => l("否", "no"),
                },
            ));
        }
        if !self.notes.trim().is_empty() {
            out.push((l("其他", "Other"), self.notes.trim().to_string()));
        }
        out
    }
}

/// The App inspected, as identified by its package.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AppIdentity {
    pub name: String,
    pub package: String,
    pub version: String,
    /// SHA-256 of the signing certificate.
    pub cert_sha256: String,
    /// The App's filing number (APP备案号, e.g. 粤ICP备2023000001号-1A), as entered.
    #[serde(default)]
    pub filing: String,
}

/// A law-enforcement officer on the case (执法人员): a rectification notice names at least two,
/// with their enforcement certificate numbers (行政处罚法 第四十二条).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "InspectorRecord")]
pub struct Inspector {
    pub name: String,
    /// 执法证号; empty when not given (an enterprise's self-examination team has none).
    #[serde(default)]
    pub badge: String,
}

/// Older cases and trails recorded inspectors as plain names.
#[derive(Deserialize)]
#[serde(untagged)]
enum InspectorRecord {
    Name(String),
    Full {
        name: String,
        #[serde(default)]
        badge: String,
    },
}

impl From<InspectorRecord> for Inspector {
    fn from(r: InspectorRecord) -> Self {
        match r {
            InspectorRecord::Name(name) => Inspector {
                name,
                badge: String::new(),
            },
            InspectorRecord::Full { name, badge } => Inspector { name, badge },
        }
    }
}

impl From<&str> for Inspector {
    fn from(text: &str) -> Self {
        Inspector::parse(text)
    }
}

impl Inspector {
    /// Reads `张三=粤A0001` (name and 执法证号) or a bare name.
    pub fn parse(text: &str) -> Self {
        match text.split_once('=') {
            Some((name, badge)) => Inspector {
                name: name.trim().to_string(),
                badge: badge.trim().to_string(),
            },
            None => Inspector {
                name: text.trim().to_string(),
                badge: String::new(),
            },
        }
    }

    /// 张三（执法证号 粤A0001）, or the name alone.
    pub fn describe(&self, lang: crate::i18n::Lang) -> String {
        if self.badge.is_empty() {
            self.name.clone()
        } else {
            match lang {
                crate::i18n::Lang::Zh => format!("{}（执法证号 {}）", self.name, self.badge),
                crate::i18n::Lang::En => format!("{} (certificate {})", self.name, self.badge),
            }
        }
    }

    /// The names joined for a sentence.
    pub fn names(list: &[Inspector], lang: crate::i18n::Lang) -> String {
        let names: Vec<&str> = list.iter().map(|i| i.name.as_str()).collect();
        names.join(lang.pick("、", ", "))
    }
}

/// A case's header.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Case {
    pub id: String,
    pub checklist_id: String,
    /// The checklist's content hash when the case was opened.
    pub checklist_hash: String,
    pub subject: Subject,
    pub app: AppIdentity,
    /// SHA-256 of the package file analysed.
    pub package_sha256: Option<String>,
    pub inspectors: Vec<Inspector>,
    /// Where the case stands in its life (`open`, `notice_issued`, `rectification_reported`,
    /// `reinspected`, `closed`, `escalated`).
    pub state: super::CaseState,
    pub created_at: String,
    pub updated_at: String,
}

impl AppIdentity {
    /// The App as a package states it (its Chinese label where it has one, the first signing
    /// certificate), with the filing number the inspector gave.
    pub fn of(report: &crate::package::PackageReport, filing: &str) -> Self {
        Self {
            name: report.label_zh.clone().unwrap_or_else(|| report.label.clone()),
            package: report.package.clone(),
            version: report.version_name.clone().unwrap_or_default(),
            cert_sha256: report
                .signing
                .certificates
                .first()
                .map(|c| c.sha256.clone())
                .unwrap_or_default(),
            filing: filing.to_string(),
        }
    }
}

/// One round of a case: the first inspection, or a re-inspection of a new version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Round {
    pub number: u32,
    /// SHA-256 of the package the round inspects.
    pub package_sha256: Option<String>,
    /// The App's version name in that package.
    pub version: String,
    pub started_at: String,
    /// Why a package under another name was accepted as this App's (`--force`); empty otherwise.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
    /// `current`, or `closed` once a later round began (its judgements then read-only).
    pub state: String,
    /// The round's judgements and suggestions as they stood when the next round began.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frozen: Option<Frozen>,
}

/// A closed round's judgements and suggestions, kept as they were.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Frozen {
    pub assessments: Vec<Assessment>,
    pub suggestions: Vec<Suggestion>,
}

impl Round {
    /// The round as a list names it: "第 2 轮 1.2.0（当前）", "round 1 1.1.0 (closed, read-only)".
    pub fn label(&self, lang: crate::i18n::Lang) -> String {
        let (number, version) = (self.number, &self.version);
        match (lang, self.frozen.is_some()) {
            (crate::i18n::Lang::Zh, true) => format!("第 {number} 轮 {version}（已结束，只读）"),
            (crate::i18n::Lang::Zh, false) => format!("第 {number} 轮 {version}（当前）"),
            (crate::i18n::Lang::En, true) => format!("round {number} {version} (closed, read-only)"),
            (crate::i18n::Lang::En, false) => format!("round {number} {version} (current)"),
        }
    }

    /// The first round of a case, as a case is opened.
    pub fn first(case: &Case) -> Self {
        Self {
            number: 1,
            package_sha256: case.package_sha256.clone(),
            version: case.app.version.clone(),
            started_at: case.created_at.clone(),
            reason: String::new(),
            state: "current".into(),
            frozen: None,
        }
    }
}

/// The inspector's (or an accepted automatic) judgement of one test point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assessment {
    pub testpoint: String,
    pub status: Status,
    pub note: String,
    /// `inspector`, or `automatic` for an accepted suggestion.
    pub source: String,
    pub actor: String,
    pub updated_at: String,
}

/// An automatic finding awaiting (or after) the inspector's review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Suggestion {
    pub testpoint: String,
    pub rule: String,
    pub suggested_status: Status,
    pub evidence: Text,
    /// `pending`, `accepted` or `rejected`.
    pub review: String,
    /// Why it was rejected.
    pub reason: String,
}

/// What an attached file is to the case.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceKind {
    /// Evidence of the App's behaviour (a screenshot, a recording, a log, a document).
    #[default]
    Evidence,
    /// The enterprise's rectification report answering a notice (a PDF, Word file or scan).
    RectificationReport,
}

impl EvidenceKind {
    pub fn keyword(self) -> &'static str {
        match self {
            EvidenceKind::Evidence => "evidence",
            EvidenceKind::RectificationReport => "rectification_report",
        }
    }

    pub fn from_keyword(word: &str) -> Option<Self> {
        [EvidenceKind::Evidence, EvidenceKind::RectificationReport]
            .into_iter()
            .find(|k| k.keyword() == word)
    }

    pub fn is_evidence(&self) -> bool {
        *self == EvidenceKind::Evidence
    }
}

/// A piece of evidence as linked to a case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceItem {
    pub link_id: i64,
    pub sha256: String,
    pub media_type: String,
    pub size: i64,
    pub original_name: String,
    pub width: Option<i64>,
    pub height: Option<i64>,
    pub testpoint: Option<String>,
    pub caption: String,
    /// Rectangles, arrows and text labels drawn over the image, in image-relative coordinates.
    pub annotations: serde_json::Value,
    pub actor: String,
    pub attached_at: String,
    /// When it was captured, from the file's EXIF or the name the phone gave it.
    #[serde(default)]
    pub capture: Option<super::capture::Capture>,
    /// The camera or phone, from the file's EXIF.
    #[serde(default)]
    pub camera: Option<String>,
    /// The capture time as the inspector entered it (also in `capture`, which prefers it).
    #[serde(default)]
    pub entered_capture: Option<String>,
    /// The device as the inspector entered it.
    #[serde(default)]
    pub device: Option<String>,
    /// Evidence, or the enterprise's rectification report.
    #[serde(default)]
    pub kind: EvidenceKind,
}

impl EvidenceItem {
    pub fn is_image(&self) -> bool {
        self.media_type.starts_with("image/")
    }
}

/// A notice issued for a case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IssuedNotice {
    pub number: String,
    pub kind: String,
    pub lang: String,
    pub deadline: String,
    pub pdf_sha256: String,
    pub signer: String,
    pub issued_at: String,
    /// The issuing authority's profile name (empty: none was used).
    #[serde(default)]
    pub authority: String,
}

impl IssuedNotice {
    /// A notice that demands rectification by a date: a rectification notice, or a re-inspection
    /// opinion that leaves problems (one that finds all rectified records no deadline). `Store::list`
    /// states the same rule in SQL.
    pub fn sets_deadline(&self) -> bool {
        matches!(self.kind.as_str(), "rectification" | "reinspection") && !self.deadline.is_empty()
    }
}

/// A test point to look at again: the case moved to a checklist version in which it is new or
/// changed. Cleared when the inspector judges the test point.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recheck {
    pub testpoint: String,
    pub why: Text,
}

/// Everything about a case except evidence bytes and the package report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseView {
    pub case: Case,
    pub assessments: Vec<Assessment>,
    pub suggestions: Vec<Suggestion>,
    pub evidence: Vec<EvidenceItem>,
    pub notices: Vec<IssuedNotice>,
    /// Test points marked for re-check by a move to a newer checklist version.
    #[serde(default)]
    pub rechecks: Vec<Recheck>,
    /// The case's answers to its checklist's conditions.
    #[serde(default)]
    pub applicability: Vec<Applicability>,
    /// How the App was tested.
    #[serde(default)]
    pub test_conditions: TestConditions,
    /// The first inspection and each re-inspection, oldest first; the last is current.
    #[serde(default)]
    pub rounds: Vec<Round>,
    /// Every move of the case's state, oldest first, as the trail records them.
    #[serde(default)]
    pub transitions: Vec<super::StateChange>,
}

impl CaseView {
    /// The case as one line of the case list, counted from what is loaded (as `Store::list`
    /// counts it in SQL), so a change need not list every case again.
    pub fn summary(&self) -> CaseSummary {
        let c = &self.case;
        CaseSummary {
            id: c.id.clone(),
            checklist_id: c.checklist_id.clone(),
            checklist_hash: c.checklist_hash.clone(),
            subject_name: c.subject.name.clone(),
            subject_type: c.subject.kind,
            roles: c.subject.roles(),
            app_name: c.app.name.clone(),
            app_package: c.app.package.clone(),
            app_version: c.app.version.clone(),
            state: c.state,
            created_at: c.created_at.clone(),
            updated_at: c.updated_at.clone(),
            assessed: self
                .assessments
                .iter()
                .filter(|a| a.status != Status::NotChecked)
                .count() as i64,
            pending_suggestions: self.suggestions.iter().filter(|s| s.review == "pending").count() as i64,
            evidence: self.evidence.len() as i64,
            // Worked out by `Store::list`, which knows the authorities' time zones.
            deadline: None,
            days_left: None,
            overdue: false,
        }
    }

    /// Why a test point is to be looked at again, when it is.
    pub fn recheck(&self, testpoint: &str) -> Option<&Recheck> {
        self.rechecks.iter().find(|r| r.testpoint == testpoint)
    }

    pub fn assessment(&self, testpoint: &str) -> Option<&Assessment> {
        self.assessments.iter().find(|a| a.testpoint == testpoint)
    }

    /// The status of a test point (not-checked when never assessed).
    pub fn status(&self, testpoint: &str) -> Status {
        self.assessment(testpoint)
            .map_or(Status::NotChecked, |a| a.status)
    }
}

/// One line of `case list`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseSummary {
    pub id: String,
    pub checklist_id: String,
    /// The content hash of the checklist version the case is judged against.
    pub checklist_hash: String,
    pub subject_name: String,
    pub subject_type: SubjectType,
    /// Every role of the case (the first is `subject_type`).
    pub roles: Vec<SubjectType>,
    pub app_name: String,
    pub app_package: String,
    pub app_version: String,
    pub state: super::CaseState,
    pub created_at: String,
    pub updated_at: String,
    pub assessed: i64,
    pub pending_suggestions: i64,
    pub evidence: i64,
    /// The rectification deadline of the last rectification notice issued (a date in the issuing
    /// authority's time zone), when there is one.
    #[serde(default)]
    pub deadline: Option<String>,
    /// Days from today (in the authority's time zone) to the deadline; negative once past.
    #[serde(default)]
    pub days_left: Option<i64>,
    /// The deadline has passed and the case still awaits the enterprise's rectification (no
    /// report received, no re-inspection begun since the notice).
    #[serde(default)]
    pub overdue: bool,
}

/// Where a case stands against its rectification deadline.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DeadlineFacts {
    pub deadline: Option<String>,
    pub days_left: Option<i64>,
    pub overdue: bool,
}

impl DeadlineFacts {
    /// `deadline` as the notice stored it (YYYY-MM-DD), `today` in the authority's time zone;
    /// `waiting` while the case awaits the enterprise's rectification (state `notice_issued`).
    pub fn of(deadline: Option<&str>, today: chrono::NaiveDate, waiting: bool) -> Self {
        let Some(d) = deadline else { return Self::default() };
        let date = chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok();
        let days_left = date.map(|date| (date - today).num_days());
        Self {
            deadline: Some(d.to_string()),
            days_left,
            overdue: waiting && days_left.is_some_and(|n| n < 0),
        }
    }
}

/// What a new case starts from.
#[derive(Debug, Clone)]
pub struct NewCase {
    pub package: std::path::PathBuf,
    pub subject_name: String,
    /// The roles the enterprise holds in this case, at least one; the first is its main role.
    pub roles: Vec<SubjectType>,
    pub credit_code: String,
    pub address: String,
    pub inspectors: Vec<Inspector>,
    pub checklist: String,
    /// APP备案号, when known.
    pub filing: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deadline_is_overdue_only_when_past_and_awaiting_rectification() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let f = DeadlineFacts::of(Some("2026-12-15"), today, true);
        assert_eq!((f.days_left, f.overdue), (Some(14), false));
        let past = DeadlineFacts::of(Some("2026-11-28"), today, true);
        assert_eq!((past.days_left, past.overdue), (Some(-3), true));
        assert!(
            !DeadlineFacts::of(Some("2026-11-28"), today, false).overdue,
            "reported, re-inspected or closed"
        );
        assert_eq!(DeadlineFacts::of(None, today, true), DeadlineFacts::default());
    }
}
