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
//! let behaviours = runtime::understand(read.records, "com.example.shop", app_inspector::package::sdk::Catalogue::builtin());
//! assert_eq!(behaviours[0].phase, runtime::Phase::AfterConsent);
//! assert_eq!(*behaviours[0].actor, runtime::Actor::App);
//! ```

pub mod actor;
pub mod category;
mod csv_log;
mod ole;
pub mod read;
pub mod rules;
pub mod tally;

use std::sync::Arc;

use serde::{Deserialize, Serialize};

pub use actor::Actor;

/// The maps here are keyed by short texts and by identities the program made itself (a log's
/// texts are shared before any map sees them, and their number is bounded by the records cap):
/// rustc's Fx hash, already built for the PDF writer, beats SipHash on them.
pub(crate) type FastMap<K, V> = rustc_hash::FxHashMap<K, V>;
pub(crate) type FastSet<K> = rustc_hash::FxHashSet<K>;

/// The identity of a shared text: records of one log share each distinct text ([`Record`]).
fn key(a: &Arc<str>) -> usize {
    Arc::as_ptr(a) as *const u8 as usize
}
pub use category::{Category, Info};
pub use read::{Choice, Format, LogError, Meta, Read, read, read_with};

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

/// One record as the tool wrote it (fields normalised, nothing interpreted). The texts that repeat
/// across records (categories, descriptions, stacks, the tool's attribution) are shared, not copied:
/// a million-record log names a few dozen behaviours and stacks.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Record {
    /// The time as written, normalised to `YYYY-MM-DD HH:MM:SS[.fff]` where it could be read.
    pub time: String,
    pub phase: Phase,
    /// The tool's category (camille's 操作行为, a Frida script's `action`).
    pub action: Arc<str>,
    /// The tool's description (行为描述, `messages`).
    pub detail: Arc<str>,
    /// The arguments of the hooked call, as text.
    pub arg: Arc<str>,
    /// The call stack, one frame per line, innermost first.
    pub stack: Arc<str>,
    /// The tool's own attribution (camille's 行为主体), kept beside ours.
    pub by_tool: Arc<str>,
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
    pub action: Arc<str>,
    pub detail: Arc<str>,
    pub arg: Arc<str>,
    pub stack: Arc<str>,
    pub actor: Arc<Actor>,
    pub by_tool: Arc<str>,
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

/// A category and description as classified, holding both texts so their identities stay theirs.
type Class = (Arc<str>, Arc<str>, Category, Option<Info>);

/// Classifies, attributes and folds records as they are read. Each distinct stack is attributed
/// once and each distinct description classified once; a record identical to the one before
/// (folded) only counts.
pub struct Understanding<'c> {
    app_package: String,
    catalogue: &'c crate::package::sdk::Catalogue,
    start: Option<chrono::NaiveDateTime>,
    /// By the stack's identity, holding the stack so the identity stays its own.
    actors: FastMap<usize, (Arc<str>, Arc<Actor>)>,
    /// Each distinct actor once.
    same_actors: FastSet<Arc<Actor>>,
    classes: FastMap<(usize, usize), Class>,
    out: Vec<Behaviour>,
    seq: usize,
}

impl<'c> Understanding<'c> {
    pub fn new(app_package: &str, catalogue: &'c crate::package::sdk::Catalogue) -> Self {
        Self {
            app_package: app_package.to_string(),
            catalogue,
            start: None,
            actors: FastMap::default(),
            same_actors: FastSet::default(),
            classes: FastMap::default(),
            out: Vec::new(),
            seq: 0,
        }
    }

    /// Takes the next record of the log.
    pub fn push(&mut self, r: Record) {
        let seq = self.seq;
        self.seq += 1;
        if let Some(last) = self.out.last_mut()
            && last.time == r.time
            && last.phase == r.phase
            && Arc::ptr_eq(&last.action, &r.action)
            && Arc::ptr_eq(&last.detail, &r.detail)
            && Arc::ptr_eq(&last.arg, &r.arg)
            && Arc::ptr_eq(&last.stack, &r.stack)
            && Arc::ptr_eq(&last.by_tool, &r.by_tool)
        {
            last.count = last.count.saturating_add(1);
            return;
        }
        // Times repeat (a second holds many records): the last one read is reused.
        let offset = match self.out.last() {
            Some(last) if last.time == r.time => last.offset,
            _ => {
                let t = parse_time(&r.time);
                if self.start.is_none() {
                    self.start = t;
                }
                match (self.start, t) {
                    (Some(s), Some(t)) => Some((t - s).num_milliseconds() as f64 / 1000.0),
                    _ => None,
                }
            }
        };
        let (app, catalogue) = (&self.app_package, self.catalogue);
        let same = &mut self.same_actors;
        let actor = self
            .actors
            .entry(key(&r.stack))
            .or_insert_with(|| {
                // Stacks through one SDK are many; its actor is one (the tally groups by identity).
                let a = actor::attribute(&r.stack, app, catalogue);
                let shared = match same.get(&a) {
                    Some(s) => s.clone(),
                    None => {
                        let s = Arc::new(a);
                        same.insert(s.clone());
                        s
                    }
                };
                (r.stack.clone(), shared)
            })
            .1
            .clone();
        let (category, info) = {
            let c = self
                .classes
                .entry((key(&r.action), key(&r.detail)))
                .or_insert_with(|| {
                    let (c, i) = category::classify(&r.action, &r.detail);
                    (r.action.clone(), r.detail.clone(), c, i)
                });
            (c.2, c.3)
        };
        self.out.push(Behaviour {
            seq,
            time: r.time,
            offset,
            phase: r.phase,
            category,
            info,
            action: r.action,
            detail: r.detail,
            arg: r.arg,
            stack: r.stack,
            actor,
            by_tool: r.by_tool,
            count: 1,
        });
    }

    /// The behaviours so far, handed over (the next ones continue the log): a long log goes to
    /// the database while it is still being read. The last one stays: the next record may fold
    /// into it.
    pub fn drain(&mut self) -> Vec<Behaviour> {
        let keep = self.out.pop();
        let done = std::mem::take(&mut self.out);
        self.out.extend(keep);
        done
    }

    /// The behaviours not yet handed over.
    pub fn finish(mut self) -> Vec<Behaviour> {
        self.out.shrink_to_fit();
        self.out
    }
}

/// Classifies, attributes and folds the records of a log read whole.
pub fn understand(
    records: Vec<Record>,
    app_package: &str,
    catalogue: &crate::package::sdk::Catalogue,
) -> Vec<Behaviour> {
    let mut u = Understanding::new(app_package, catalogue);
    for r in records {
        u.push(r);
    }
    u.finish()
}

/// Reads a log and understands it as it goes: the behaviours, and what the reading found.
pub fn read_and_understand(
    bytes: &[u8],
    name: &str,
    choice: Choice,
    app_package: &str,
    catalogue: &crate::package::sdk::Catalogue,
) -> Result<(Meta, Vec<Behaviour>), LogError> {
    let mut u = Understanding::new(app_package, catalogue);
    let meta = read_with(bytes, name, choice, &mut |r| u.push(r))?;
    Ok((meta, u.finish()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_sdk_through_two_stacks_is_counted_as_one_actor() {
        let log = r#"{"action":"获取系统信息","messages":"获取安卓ID","stacks":"at android.provider.Settings$Secure.getString(Native Method)\nat com.umeng.commonsdk.statistics.common.DeviceConfig.a(DeviceConfig.java:1)"}
{"action":"获取系统信息","messages":"获取安卓ID","stacks":"at android.provider.Settings$Secure.getString(Native Method)\nat com.umeng.commonsdk.internal.b.c(b.java:2)"}"#;
        let read = read(log.as_bytes(), "two.jsonl", Choice::Auto).unwrap();
        let behaviours = understand(
            read.records,
            "com.example.shop",
            crate::package::sdk::Catalogue::builtin(),
        );
        assert_eq!(behaviours.len(), 2, "different stacks do not fold");
        let tallies = tally::tally(&behaviours);
        assert_eq!(tallies.len(), 1, "{tallies:?}");
        assert_eq!(tallies[0].count, 2);
        assert!(matches!(tallies[0].actor, Actor::Sdk { .. }));
    }
}
