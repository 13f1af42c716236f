//! What the App did at run time: behaviour logs recorded on an instrumented phone (camille's Excel
//! export, Frida `send` payloads as JSON lines, or our own JSON-lines schema), read into records,
//! each classified ([`category`]), put in its consent phase and attributed to the App or an SDK
//! ([`actor`]); then counted ([`tally`]) and turned into suggestions on the test points they bear
//! on ([`rules`]).
//!
//! The original file is evidence (stored by SHA-256 like a screenshot); the records are read from
//! it, deterministically, so a bundle carries the file and the importing side reads the same
//! records again ([`digest`] proves it).
//!
//! ```
//! use app_inspector::runtime::{self, Choice};
//! let log = r#"{"type":"consent","time":"2026-11-30 10:00:05","state":"agreed"}
//! {"type":"notice","time":"2026-11-30 10:00:06","action":"获取电话相关信息","messages":"获取IMEI","arg":"","stacks":"at android.telephony.TelephonyManager.getImei(Native Method)\nat com.example.shop.Main.a(Main.java:1)"}"#.as_bytes();
//! let read = runtime::read(log, "run.jsonl", Choice::Auto).unwrap();
//! let behaviours = runtime::understand(&read.records, "com.example.shop", app_inspector::package::sdk::Catalogue::builtin());
//! assert_eq!(behaviours[0].phase, runtime::Phase::AfterConsent);
//! assert_eq!(behaviours[0].actor, runtime::Actor::App);
//! ```

pub mod actor;
pub mod category;
mod read;
pub mod rules;
pub mod tally;

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

pub use actor::Actor;
pub use category::{Category, Info};
pub use read::{Choice, Format, LogError, Read, read};

/// The most records one log may hold.
pub const MAX_RECORDS: usize = 5_000_000;
/// The longest stack one record may carry: a real Java stack is a few kilobytes; more is not a
/// behaviour log (or a damaged one).
pub const MAX_STACK: usize = 1 << 20;

/// When a behaviour happened relative to the user's consent to the privacy policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Phase {
    BeforeConsent,
    AfterConsent,
    AfterWithdrawal,
    Unknown,
}

impl Phase {
    pub fn keyword(self) -> &'static str {
        match self {
            Phase::BeforeConsent => "before-consent",
            Phase::AfterConsent => "after-consent",
            Phase::AfterWithdrawal => "after-withdrawal",
            Phase::Unknown => "unknown",
        }
    }

    pub fn from_keyword(s: &str) -> Option<Self> {
        [
            Phase::BeforeConsent,
            Phase::AfterConsent,
            Phase::AfterWithdrawal,
            Phase::Unknown,
        ]
        .into_iter()
        .find(|p| p.keyword() == s)
    }

    pub fn label(self) -> crate::i18n::Text {
        let (zh, en) = match self {
            Phase::BeforeConsent => ("同意隐私政策前", "before consent"),
            Phase::AfterConsent => ("同意隐私政策后", "after consent"),
            Phase::AfterWithdrawal => ("撤回同意后", "after withdrawal"),
            Phase::Unknown => ("阶段不明", "phase unknown"),
        };
        crate::i18n::Text::new(zh, en)
    }
}

/// One record as the tool wrote it (fields normalised, nothing interpreted).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Record {
    /// The time as written, normalised to `YYYY-MM-DD HH:MM:SS[.fff]` where it could be read.
    pub time: String,
    pub phase: Phase,
    /// The tool's category (camille's 操作行为, a Frida script's `action`).
    pub action: String,
    /// The tool's description (行为描述, `messages`).
    pub detail: String,
    /// The arguments of the hooked call, as text.
    pub arg: String,
    /// The call stack, one frame per line, innermost first.
    pub stack: String,
    /// The tool's own attribution (camille's 行为主体), kept beside ours.
    pub by_tool: String,
}

/// A record understood: classified, attributed, and folded with identical records that follow it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Behaviour {
    /// Its place in the log (0-based, of the first record folded into it).
    pub seq: usize,
    pub time: String,
    /// Seconds since the log's first record, where the times could be read.
    pub offset: Option<f64>,
    pub phase: Phase,
    pub category: Category,
    pub info: Option<Info>,
    pub action: String,
    pub detail: String,
    pub arg: String,
    pub stack: String,
    pub actor: Actor,
    pub by_tool: String,
    /// How many identical consecutive records this one stands for.
    pub count: u32,
}

/// A time as the tools write it.
pub fn parse_time(s: &str) -> Option<chrono::NaiveDateTime> {
    let s = s.trim();
    for f in [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y/%m/%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
    ] {
        if let Ok(t) = chrono::NaiveDateTime::parse_from_str(s, f) {
            return Some(t);
        }
    }
    chrono::DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.naive_local())
}

/// Classifies, attributes and folds the records of one log. Stacks repeat (the same SDK reads the
/// same identifier the same way thousands of times): each distinct stack is attributed once.
pub fn understand(
    records: &[Record],
    app_package: &str,
    catalogue: &crate::package::sdk::Catalogue,
) -> Vec<Behaviour> {
    let start = records.iter().find_map(|r| parse_time(&r.time));
    let mut actors: HashMap<&str, Actor> = HashMap::new();
    let mut classes: HashMap<(&str, &str), (Category, Option<Info>)> = HashMap::new();
    let mut out: Vec<Behaviour> = Vec::new();
    let mut previous: Option<&Record> = None;
    for (seq, r) in records.iter().enumerate() {
        if previous == Some(r)
            && let Some(last) = out.last_mut()
        {
            last.count = last.count.saturating_add(1);
            continue;
        }
        previous = Some(r);
        let actor = actors
            .entry(r.stack.as_str())
            .or_insert_with(|| actor::attribute(&r.stack, app_package, catalogue))
            .clone();
        let (category, info) = *classes
            .entry((r.action.as_str(), r.detail.as_str()))
            .or_insert_with(|| category::classify(&r.action, &r.detail));
        let offset = match (start, parse_time(&r.time)) {
            (Some(s), Some(t)) => Some((t - s).num_milliseconds() as f64 / 1000.0),
            _ => None,
        };
        out.push(Behaviour {
            seq,
            time: r.time.clone(),
            offset,
            phase: r.phase,
            category,
            info,
            action: r.action.clone(),
            detail: r.detail.clone(),
            arg: r.arg.clone(),
            stack: r.stack.clone(),
            actor,
            by_tool: r.by_tool.clone(),
            count: 1,
        });
    }
    out
}

/// The SHA-256 of the records as read (not as understood: attribution follows the SDK catalogue,
/// which grows; the records are what the file says). Recorded when a log is imported and checked
/// when a bundle's copy of the file is read again.
pub fn digest(records: &[Record]) -> String {
    let mut hasher = Sha256::new();
    for r in records {
        for field in [
            r.time.as_str(),
            r.phase.keyword(),
            &r.action,
            &r.detail,
            &r.arg,
            &r.stack,
            &r.by_tool,
        ] {
            hasher.update((field.len() as u64).to_le_bytes());
            hasher.update(field.as_bytes());
        }
    }
    hasher.finalize().iter().map(|b| format!("{b:02x}")).collect()
}
