//! Run-time rules: what the recorded behaviours suggest on the test points they bear on. Like the
//! package rules they only suggest — each suggestion names its test point, the log and records it
//! rests on and who did it, and waits for the inspector's review.
//!
//! Collection before consent is a fact that settles 9.1 and 10.7 (suggested non-compliant);
//! scope, frequency and purpose need the inspector's judgement of the App's functions, so those
//! suggestions carry the facts and no verdict (not checked).

use crate::checklist::{Checklist, SubjectType};
use crate::i18n::{Lang, Text};
use crate::prefill::Finding;
use crate::status::Status;

use super::tally::{Counts, Tally};
use super::{Behaviour, Category};

/// One of the same behaviour by one actor this many times within 60 seconds is frequent enough to
/// put before the inspector (measure 8's "频繁").
pub const FREQUENT_PER_MINUTE: u64 = 20;
/// The same permission asked for this many times is a repeated request (10.5).
pub const REPEATED_REQUESTS: u64 = 3;

/// A run-time rule: its id, what it looks for, and the test points it suggests on.
#[derive(Debug, Clone, Copy)]
pub struct RuntimeRule {
    pub id: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    pub testpoints: &'static [&'static str],
}

/// Every run-time rule.
pub const RUNTIME_RULES: &[RuntimeRule] = &[
    RuntimeRule {
        id: "runtime-before-consent",
        zh: "运行时记录：同意隐私政策前收集个人信息或申请权限",
        en: "run-time record: personal information collected or permissions requested before consent",
        testpoints: &["9.1", "10.7"],
    },
    RuntimeRule {
        id: "runtime-sensitive",
        zh: "运行时记录：读取应用列表、剪切板、通讯录、短信、通话记录或位置，需核对是否为所用功能所必需",
        en: "run-time record: the App list, clipboard, contacts, SMS, call log or location read; to check against the functions in use",
        testpoints: &["8.2"],
    },
    RuntimeRule {
        id: "runtime-frequent",
        zh: "运行时记录：同一主体一分钟内多次读取同一信息",
        en: "run-time record: the same information read many times a minute by one actor",
        testpoints: &["8.4"],
    },
    RuntimeRule {
        id: "runtime-permanent-id",
        zh: "运行时记录：读取不可变更的设备标识（IMEI、MEID、IMSI、ICCID、序列号、MAC地址）",
        en: "run-time record: non-resettable device identifiers read (IMEI, MEID, IMSI, ICCID, serial, MAC)",
        testpoints: &["8.5"],
    },
    RuntimeRule {
        id: "runtime-wake-up",
        zh: "运行时记录：启动或唤醒其他应用",
        en: "run-time record: other Apps started or woken",
        testpoints: &["6.2"],
    },
    RuntimeRule {
        id: "runtime-repeated-permission",
        zh: "运行时记录：同一权限被反复申请",
        en: "run-time record: the same permission requested again and again",
        testpoints: &["10.5"],
    },
    RuntimeRule {
        id: "runtime-sdk-collection",
        zh: "运行时记录：SDK收集的个人信息，需核对是否与其所用功能相关",
        en: "run-time record: personal information an SDK collected; to check against the functions it serves",
        testpoints: &["20.3"],
    },
];

/// The run-time rule a suggestion's rule id names (`runtime-frequent@1a2b3c4d` → runtime-frequent).
pub fn rule(id: &str) -> Option<&'static RuntimeRule> {
    let base = id.split('@').next().unwrap_or(id);
    RUNTIME_RULES.iter().find(|r| r.id == base)
}

/// The first seconds of a number, as a notice writes it.
fn seconds(s: f64) -> String {
    if (s - s.round()).abs() < 0.05 {
        format!("{}", s.round() as i64)
    } else {
        format!("{s:.1}")
    }
}

/// One tally as a sentence: who did what how often, and when first.
fn sentence(t: &Tally, before_only: bool, lang: Lang) -> String {
    let what = t.info.map(|i| i.label().get(lang).to_string());
    let n = if before_only { t.before_consent } else { t.count };
    let first = if before_only {
        t.first_before_offset
    } else {
        t.first_offset
    };
    let who = t.actor.label(lang);
    match lang {
        Lang::Zh => {
            let act = match (t.category, &what) {
                (Category::Permission, _) => "申请权限".to_string(),
                (Category::WakeUp, _) => "启动或唤醒其他应用".to_string(),
                (Category::ClipboardWrite, _) => "写入剪切板".to_string(),
                (_, Some(w)) => format!("读取{w}"),
                (c, None) => c.label().zh,
            };
            let mut s = format!("{who}{act} {n} 次");
            if let Some(f) = first {
                s.push_str(&format!("，首次于记录开始后 {} 秒", seconds(f)));
            }
            s.push_str(&format!("（第 {} 条记录起", t.first_seq + 1));
            // The busiest minute counts every phase: beside a before-consent count it would
            // state more than those records show.
            if !before_only && t.per_minute_max >= FREQUENT_PER_MINUTE {
                s.push_str(&format!("，一分钟内最多 {} 次", t.per_minute_max));
            }
            s.push('）');
            s
        }
        Lang::En => {
            let act = match (t.category, &what) {
                (Category::Permission, _) => "requested permissions".to_string(),
                (Category::WakeUp, _) => "started or woke other Apps".to_string(),
                (Category::ClipboardWrite, _) => "wrote to the clipboard".to_string(),
                (_, Some(w)) => format!("read the {w}"),
                (c, None) => c.label().en.to_lowercase(),
            };
            let mut s = format!("{who} {act} {n} times");
            if let Some(f) = first {
                s.push_str(&format!(", first {} s after the recording began", seconds(f)));
            }
            s.push_str(&format!(" (from record {}", t.first_seq + 1));
            if !before_only && t.per_minute_max >= FREQUENT_PER_MINUTE {
                s.push_str(&format!("; up to {} in one minute", t.per_minute_max));
            }
            s.push(')');
            s
        }
    }
}

/// The facts of a suggestion: its lead, its sentences in `lang` (at most six shown, the most
/// frequent first; the rest counted), and the log they rest on — named as where the facts are
/// recorded, never as a legal basis (依据 is the law's word in a notice).
fn facts(lead: Text, sentences: &dyn Fn(Lang) -> Vec<String>, log: &LogRef<'_>) -> Text {
    let sha = crate::i18n::prefix(log.sha256, 16);
    let build = |lang: Lang| {
        let all = sentences(lang);
        let more = all.len().saturating_sub(6);
        let mut parts: Vec<String> = all.into_iter().take(6).collect();
        match lang {
            Lang::Zh => {
                if more > 0 {
                    parts.push(format!("另有 {more} 项"));
                }
                format!(
                    "{}{}（见运行时行为记录 {}，SHA-256 {sha}…）。",
                    lead.zh,
                    parts.join("；"),
                    log.name
                )
            }
            Lang::En => {
                if more > 0 {
                    parts.push(format!("{more} more"));
                }
                format!(
                    "{}{} (run-time behaviour log {}, SHA-256 {sha}…).",
                    lead.en,
                    parts.join("; "),
                    log.name
                )
            }
        }
    };
    Text::new(build(Lang::Zh), build(Lang::En))
}

/// The log a suggestion rests on.
pub struct LogRef<'a> {
    pub name: &'a str,
    pub sha256: &'a str,
}

/// What one rule gives: the tallies it rests on, whether only their before-consent part counts,
/// the lead of the facts and the status. `None`: nothing to suggest.
fn evaluate(
    rule: &RuntimeRule,
    testpoint: &str,
    counts: &Counts,
    log: &LogRef<'_>,
) -> Option<(Status, Text)> {
    let tallies = &counts.tallies;
    let pick =
        |keep: &dyn Fn(&Tally) -> bool| -> Vec<&Tally> { tallies.iter().filter(|t| keep(t)).collect() };
    let (status, lead, list, before_only) = match rule.id {
        "runtime-before-consent" => {
            let list = pick(&|t| {
                t.before_consent > 0
                    && (t.category.is_personal()
                        || (testpoint == "10.7" && t.category == Category::Permission))
            });
            (
                Status::NonCompliant,
                Text::new(
                    "同意隐私政策前，",
                    "Before the user agreed to the privacy policy, ",
                ),
                list,
                true,
            )
        }
        "runtime-sensitive" => (
            Status::NotChecked,
            Text::new("运行中，", "While running, "),
            pick(&|t| {
                matches!(
                    t.category,
                    Category::AppList
                        | Category::ClipboardRead
                        | Category::Contacts
                        | Category::Sms
                        | Category::CallLog
                        | Category::Location
                )
            }),
            false,
        ),
        "runtime-frequent" => (
            Status::NotChecked,
            Text::new("运行中，", "While running, "),
            pick(&|t| t.category.is_personal() && t.per_minute_max >= FREQUENT_PER_MINUTE),
            false,
        ),
        "runtime-permanent-id" => (
            Status::NotChecked,
            Text::new("运行中，", "While running, "),
            pick(&|t| t.info.is_some_and(|i| i.is_permanent_id())),
            false,
        ),
        "runtime-wake-up" => (
            Status::NotChecked,
            Text::new("运行中，", "While running, "),
            pick(&|t| t.category == Category::WakeUp),
            false,
        ),
        "runtime-sdk-collection" => (
            Status::NotChecked,
            Text::new("运行中，", "While running, "),
            pick(&|t| matches!(t.actor, super::Actor::Sdk { .. }) && t.category.is_personal()),
            false,
        ),
        "runtime-repeated-permission" => {
            // By the permission asked for, which the tallies do not separate.
            let repeated: Vec<&(String, u64, usize)> = counts
                .permissions
                .iter()
                .filter(|(_, n, _)| *n >= REPEATED_REQUESTS)
                .collect();
            if repeated.is_empty() {
                return None;
            }
            let sentences = |lang: Lang| -> Vec<String> {
                repeated
                    .iter()
                    .map(|(what, n, seq)| match lang {
                        Lang::Zh => format!("“{what}”申请 {n} 次（第 {} 条记录起）", seq + 1),
                        Lang::En => format!("“{what}” requested {n} times (from record {})", seq + 1),
                    })
                    .collect()
            };
            let lead = Text::new("运行中，", "While running, ");
            return Some((Status::NotChecked, facts(lead, &sentences, log)));
        }
        _ => return None,
    };
    if list.is_empty() {
        return None;
    }
    let sentences =
        |lang: Lang| -> Vec<String> { list.iter().map(|t| sentence(t, before_only, lang)).collect() };
    Some((status, facts(lead, &sentences, log)))
}

/// Every suggestion the log's behaviours give, on the test points of `checklist` that bind one of
/// `roles` an App's run bears on (the App and its SDKs). Each rule id carries the log's short hash,
/// so a second log makes suggestions of its own beside the first's.
pub fn findings(
    behaviours: &[Behaviour],
    checklist: &Checklist,
    roles: &[SubjectType],
    log: &LogRef<'_>,
) -> Vec<Finding> {
    findings_of(&super::tally::counts(behaviours), checklist, roles, log)
}

/// [`findings`] from counts made as the behaviours came.
pub fn findings_of(
    counts: &Counts,
    checklist: &Checklist,
    roles: &[SubjectType],
    log: &LogRef<'_>,
) -> Vec<Finding> {
    let mut out = Vec::new();
    for rule in RUNTIME_RULES {
        for tp in rule.testpoints {
            let Some((_, point)) = checklist.test_point(tp) else {
                continue;
            };
            if !crate::prefill::suggests_on(point, roles) {
                continue;
            }
            if let Some((status, evidence)) = evaluate(rule, tp, counts, log) {
                out.push(Finding {
                    testpoint: tp.to_string(),
                    rule: format!("{}@{}", rule.id, crate::i18n::prefix(log.sha256, 8)),
                    suggested_status: status,
                    evidence,
                });
            }
        }
    }
    out
}
