//! The re-inspection opinion (整改情况复查意见书): after a rectification notice and a re-inspection
//! of the new version, each finding of that notice — cited by its 文号 — with its outcome
//! (已整改 / 部分整改 / 未整改) and the facts of the new version; for what remains, the next
//! step and its deadline, the consequences and the rights; the officers and the signature block.
//!
//! The findings are the notice's own: those the case's round showed when the notice was issued
//! (that round's judgements are frozen), chosen as the notice chose them. The outcome is the
//! inspector's judgement in the current round; a finding not yet re-judged stops the document.

use super::layout::{BLACK, Column, Flow, RED};
use super::rectification::{Finding, consequences, findings, in_remit, rights, signature_block};

use super::{NoticeInput, NoticeOptions};
use crate::case::{CaseView, IssuedNotice, Round};
use crate::i18n::Lang;
use crate::status::Status;

const BODY: f32 = 11.5;
const HEADING: f32 = 13.0;

/// What re-inspection found for one finding of the notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Rectified,
    Partly,
    NotRectified,
}

impl Outcome {
    pub fn of(status: Status) -> Option<Self> {
        match status {
            Status::Compliant | Status::NotApplicable => Some(Outcome::Rectified),
            Status::Partial => Some(Outcome::Partly),
            Status::NonCompliant => Some(Outcome::NotRectified),
            Status::NotChecked => None,
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Outcome::Rectified => lang.pick("已整改", "rectified"),
            Outcome::Partly => lang.pick("部分整改", "partly rectified"),
            Outcome::NotRectified => lang.pick("未整改", "not rectified"),
        }
    }
}

/// One finding of the notice followed up.
#[derive(Debug, Clone)]
pub struct Followed {
    pub testpoint: String,
    /// The measure's title, only where it is the Notice's own wording (a legal act never quotes
    /// our rendering of the others, nor a test point's wording, as the requirement).
    pub title: Option<String>,
    /// The notice's facts (the earlier round).
    pub before: Vec<String>,
    /// `None` while the test point waits to be re-checked.
    pub outcome: Option<Outcome>,
    /// The facts of the new version: the inspector's note, then accepted automatic facts.
    pub now: Vec<String>,
}

/// The notice followed up, and its findings.
#[derive(Debug, Clone)]
pub struct FollowUp {
    pub notice: IssuedNotice,
    /// The round the notice was issued in, and the round re-inspecting it (the current one).
    pub from: Round,
    pub to: Round,
    pub findings: Vec<Followed>,
}

/// Why there is nothing to follow up yet.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FollowUpError {
    #[error("the case has no rectification notice to follow up; issue one first")]
    NoNotice,
    #[error(
        "no re-inspection has begun since the rectification notice {0}; start one on the new version (`case reinspect`)"
    )]
    NotReinspected(String),
    #[error("the findings {0} of the notice are not yet re-checked in this round; judge them first")]
    Unjudged(String),
}

/// The round a moment falls in: the last one begun at or before it.
fn round_at<'r>(rounds: &'r [Round], at: &str) -> Option<&'r Round> {
    rounds.iter().rev().find(|r| r.started_at.as_str() <= at)
}

/// Works out the follow-up of the case's last Chinese rectification notice from the current round.
pub fn follow_up(input: &NoticeInput<'_>, o: &NoticeOptions) -> Result<FollowUp, FollowUpError> {
    let (notice, from) = recorded_notice(input)?;
    follow_from(input, o, notice, from, Some(&o.authority.remit))
}

/// The case's last Chinese rectification notice and the round it was issued in.
pub(super) fn recorded_notice(input: &NoticeInput<'_>) -> Result<(IssuedNotice, Round), FollowUpError> {
    let view = input.view;
    let notice = view
        .notices
        .iter()
        .rev()
        .find(|n| n.kind == "rectification" && n.lang == "zh")
        .cloned()
        .ok_or(FollowUpError::NoNotice)?;
    let rounds = crate::case::replay::rounds_or_first(&view.rounds, &view.case);
    let from = round_at(&rounds, &notice.issued_at)
        .cloned()
        .ok_or_else(|| FollowUpError::NotReinspected(notice.number.clone()))?;
    Ok((notice, from))
}

/// The follow-up of `notice`, whose findings are those round `from` showed (within `remit`, as the
/// notice chose them; all of them when the remit is not known), from the current round.
pub(super) fn follow_from(
    input: &NoticeInput<'_>,
    o: &NoticeOptions,
    notice: IssuedNotice,
    from: Round,
    remit: Option<&[String]>,
) -> Result<FollowUp, FollowUpError> {
    let view = input.view;
    let rounds = crate::case::replay::rounds_or_first(&view.rounds, &view.case);
    let to = rounds.last().cloned().ok_or(FollowUpError::NoNotice)?;
    let Some(frozen) = from.frozen.clone().filter(|_| to.number > from.number) else {
        return Err(FollowUpError::NotReinspected(notice.number.clone()));
    };
    // The case as it stood in the notice's round: its findings are the notice's.
    let then = CaseView {
        assessments: frozen.assessments,
        suggestions: frozen.suggestions,
        ..view.clone()
    };
    let score = crate::score::score(&then, input.checklist);
    let earlier = NoticeInput {
        view: &then,
        report: None,
        checklist: input.checklist,
        score: &score,
        evidence: Vec::new(),
    };
    let chosen: Vec<Finding<'_>> = findings(&earlier, o)
        .into_iter()
        .filter(|f| remit.is_none_or(|r| in_remit(f, input.checklist, r)))
        .collect();
    let now_facts = findings(input, o);
    let mut out = Vec::new();
    let mut unjudged = Vec::new();
    for f in &chosen {
        let id = f.point.id.clone();
        let pending = view.recheck(&id).is_some();
        let outcome = if pending {
            None
        } else {
            Outcome::of(view.status(&id))
        };
        if outcome.is_none() {
            unjudged.push(id.clone());
        }
        let mut now: Vec<String> = now_facts
            .iter()
            .find(|n| n.point.id == id)
            .map(|n| n.facts.clone())
            .unwrap_or_default();
        if now.is_empty()
            && let Some(a) = view.assessment(&id)
            && !a.note.trim().is_empty()
        {
            now.push(a.note.trim().to_string());
        }
        out.push(Followed {
            testpoint: id,
            title: (f.clause.title_provenance == crate::checklist::Provenance::Official)
                .then(|| f.clause.title.get(o.lang).to_string()),
            before: f.facts.clone(),
            outcome,
            now,
        });
    }
    if !unjudged.is_empty() {
        return Err(FollowUpError::Unjudged(unjudged.join(", ")));
    }
    Ok(FollowUp {
        notice,
        from,
        to,
        findings: out,
    })
}

/// A finding as the notice stated it: by the measure's official title where there is one, else
/// by the facts the notice found.
pub(super) fn problem(x: &Followed, lang: Lang) -> String {
    match (&x.title, lang) {
        (Some(t), Lang::Zh) => format!("《通知》关于“{t}”的问题"),
        (Some(t), Lang::En) => format!("the problem under the Notice's “{t}”"),
        (None, _) => x.before.first().cloned().unwrap_or_else(|| {
            lang.pick("原通知书所列问题", "the problem the notice lists")
                .to_string()
        }),
    }
}

/// A sentence with its full stop.
pub(super) fn stopped(text: &str, lang: Lang) -> String {
    let t = text.trim();
    if t.ends_with(['。', '.', '！', '？', '!', '?']) {
        t.to_string()
    } else {
        format!("{t}{}", lang.pick("。", "."))
    }
}

pub fn compose(flow: &mut Flow<'_>, input: &NoticeInput<'_>, o: &NoticeOptions) {
    let lang = o.lang;
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let para = |flow: &mut Flow<'_>, text: &str| flow.paragraph(text, BODY, 0.0, BODY * 2.0, BLACK);
    let c = &input.view.case;
    let subject = super::compose::subject_name(c, lang);
    // A preview before it can be issued still shows what it can (issuing refuses it).
    let follow = follow_up(input, o);

    flow.gap(10.0);
    flow.title(&o.authority.name, 20.0, RED);
    flow.title(l("整改情况复查意见书", "Re-inspection Opinion"), 20.0, RED);
    flow.gap(4.0);
    if let Ok(f) = &follow {
        flow.centred(
            &match lang {
                Lang::Zh => format!(
                    "（关于{}号责令整改通知书）",
                    f.notice.number.trim_end_matches('号')
                ),
                Lang::En => format!("(following up the Rectification Notice {})", f.notice.number),
            },
            BODY,
            BLACK,
        );
    }
    flow.gap(4.0);
    flow.rule(RED, 1.2);
    flow.gap(8.0);
    super::rectification::translation_note(flow, o);
    para(flow, &format!("{subject}{}", l("：", ":")));
    let f = match follow {
        Ok(f) => f,
        Err(e) => {
            para(flow, &e.to_string());
            return;
        }
    };
    let issued = o
        .local(&f.notice.issued_at)
        .map_or_else(|| f.notice.issued_at.clone(), |t| o.date(t.date()));
    let reinspected = o
        .local(&f.to.started_at)
        .map_or_else(|| f.to.started_at.clone(), |t| o.date(t.date()));
    let sha = f.to.package_sha256.clone().unwrap_or_default();
    para(
        flow,
        &match lang {
            Lang::Zh => format!(
                "我局于{issued}向你单位送达《责令整改通知书》（{}），要求你单位对移动互联网应用程序“{}”存在的问题进行整改。{reinspected}，我局对整改后的版本（版本 {}，安装包 SHA-256 {sha}）进行了复查。现将复查情况告知如下。",
                f.notice.number, c.app.name, f.to.version
            ),
            Lang::En => format!(
                "On {issued} we served on you the Rectification Notice {}, requiring you to correct the problems of the mobile App “{}”. On {reinspected} we re-inspected the corrected version (version {}, package SHA-256 {sha}). The findings are as follows.",
                f.notice.number, c.app.name, f.to.version
            ),
        },
    );

    // 一、Each finding of the notice and its outcome.
    flow.heading(l("一、复查情况", "1. What the re-inspection found"), HEADING);
    let rows: Vec<Vec<String>> = f
        .findings
        .iter()
        .enumerate()
        .map(|(i, x)| {
            vec![
                (i + 1).to_string(),
                problem(x, lang),
                x.outcome.map_or("—", |o| o.label(lang)).to_string(),
            ]
        })
        .collect();
    flow.table(
        &[
            Column {
                title: l("序号", "No."),
                share: 0.08,
            },
            Column {
                title: l("原通知书所列问题", "Problem in the notice"),
                share: 0.72,
            },
            Column {
                title: l("复查结论", "Outcome"),
                share: 0.2,
            },
        ],
        &rows,
        10.0,
    );
    for (i, x) in f.findings.iter().enumerate() {
        let outcome = x.outcome.map_or("—", |o| o.label(lang));
        let before = x.before.join(l("；", "; "));
        let now = if x.now.is_empty() {
            l("检查人员未记录说明。", "The inspector recorded no note.").to_string()
        } else {
            stopped(&x.now.join(l("；", "; ")), lang)
        };
        para(
            flow,
            &match lang {
                Lang::Zh => format!(
                    "（{}）{outcome}。原通知书所述：{}复查时：{now}",
                    i + 1,
                    stopped(&before, lang)
                ),
                Lang::En => format!(
                    "({}) {outcome}. The notice found: {} At re-inspection: {now}",
                    i + 1,
                    stopped(&before, lang)
                ),
            },
        );
    }

    // 二、The conclusion and, for what remains, the next step.
    let remaining: Vec<usize> = f
        .findings
        .iter()
        .enumerate()
        .filter(|(_, x)| x.outcome != Some(Outcome::Rectified))
        .map(|(i, _)| i + 1)
        .collect();
    flow.heading(l("二、复查意见", "2. Opinion"), HEADING);
    if remaining.is_empty() {
        para(
            flow,
            &match lang {
                Lang::Zh => format!(
                    "经复查，《责令整改通知书》（{}）所列问题均已整改。",
                    f.notice.number
                ),
                Lang::En => format!(
                    "The re-inspection found every problem listed in the Rectification Notice {} rectified.",
                    f.notice.number
                ),
            },
        );
    } else {
        let list = remaining
            .iter()
            .map(|n| n.to_string())
            .collect::<Vec<_>>()
            .join(l("、", ", "));
        para(
            flow,
            &match lang {
                Lang::Zh => format!(
                    "经复查，上述第{list}项问题未整改或整改不到位。请你单位于{}前（含当日）完成整改，并将加盖公章的书面整改报告报送我局。{}",
                    o.date(o.deadline),
                    consequences(lang, &[])
                ),
                Lang::En => format!(
                    "The re-inspection found problems {list} above not rectified, or not fully. Complete the correction by {} (inclusive) and send us a written rectification report bearing your seal. {}",
                    o.date(o.deadline),
                    consequences(lang, &[])
                ),
            },
        );
        flow.heading(l("三、权利告知", "3. Your rights"), HEADING);
        para(flow, &rights(o, l("本意见书", "this opinion")));
    }
    flow.heading(
        if remaining.is_empty() {
            l("三、联系方式", "3. Contact")
        } else {
            l("四、联系方式", "4. Contact")
        },
        HEADING,
    );
    para(flow, &o.contact);
    flow.gap(BODY);
    signature_block(flow, input, o);
}
