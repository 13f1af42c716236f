//! The enterprise's rectification report (整改情况报告): after the authority's rectification
//! notice and a later round on the rectified version, `--kind self-exam` answers the notice
//! finding by finding, in the company's voice — each problem as the notice stated it, what the
//! company did (its note on the new version), and whether it is done (已整改 / 部分整改 / 未整改);
//! for what is not, when it will be; a commitment, and the signature of the legal representative or
//! the personal-information protection officer.
//!
//! The findings are the notice's, worked out as the re-inspection opinion works them out
//! ([`super::reinspection::follow_up`]); a finding not yet judged on the new version stops it.

use super::layout::{BLACK, Column, Flow, GREY};
use super::reinspection::{FollowUp, FollowUpError, Outcome, follow_from, problem, recorded_notice, stopped};
use super::{NoticeInput, NoticeOptions};
use crate::case::IssuedNotice;
use crate::i18n::Lang;

const BODY: f32 = 11.5;
const HEADING: f32 = 13.0;

/// Whether a self-examination report of this case answers a rectification notice: the case has
/// one and a later round re-examines the App (a finding not yet judged still makes it one — the
/// preview says what is missing, issuing refuses it).
pub fn answers(input: &NoticeInput<'_>, o: &NoticeOptions) -> bool {
    matches!(follow_up(input, o), Ok(_) | Err(FollowUpError::Unjudged(_)))
}

/// The notice the report answers, and each of its findings followed up: the rectification notice
/// recorded in the case (issued here, or carried by a bundle); else — an enterprise's own case,
/// whose notice came on paper — the notice named by its number (`--number`), whose findings are
/// those of the round before the current one.
pub fn follow_up(input: &NoticeInput<'_>, o: &NoticeOptions) -> Result<FollowUp, FollowUpError> {
    // The notice's findings are those within its authority's remit; a report addressed under a
    // name with no profile here answers every finding of the notice's round.
    let remit = Some(o.authority.remit.as_slice()).filter(|r| !r.is_empty());
    match recorded_notice(input) {
        Ok((notice, from)) => follow_from(input, o, notice, from, remit),
        Err(FollowUpError::NoNotice) if !o.number.trim().is_empty() => {
            let view = input.view;
            let rounds = crate::case::replay::rounds_or_first(&view.rounds, &view.case);
            let Some(from) = rounds.len().checked_sub(2).map(|i| rounds[i].clone()) else {
                return Err(FollowUpError::NoNotice);
            };
            let notice = IssuedNotice {
                number: o.number.trim().to_string(),
                kind: "rectification".into(),
                lang: "zh".into(),
                deadline: String::new(),
                pdf_sha256: String::new(),
                signer: String::new(),
                // Not known: the notice was not issued in this case.
                issued_at: String::new(),
                authority: o.authority.name.clone(),
            };
            follow_from(input, o, notice, from, None)
        }
        Err(e) => Err(e),
    }
}

/// Lays the report out from its follow-up (worked out once, by the caller that chose this layout).
pub fn compose(
    flow: &mut Flow<'_>,
    input: &NoticeInput<'_>,
    o: &NoticeOptions,
    follow: Result<FollowUp, FollowUpError>,
) {
    let lang = o.lang;
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let para = |flow: &mut Flow<'_>, text: &str| flow.paragraph(text, BODY, 0.0, BODY * 2.0, BLACK);
    let c = &input.view.case;
    let subject = super::compose::subject_name(c, lang);

    flow.gap(10.0);
    flow.title(l("整改情况报告", "Rectification Report"), 20.0, BLACK);
    if let Ok(f) = &follow {
        flow.gap(4.0);
        flow.centred(
            &match lang {
                Lang::Zh => format!("（关于《责令整改通知书》（{}）的整改情况）", f.notice.number),
                Lang::En => format!("(on the Rectification Notice {})", f.notice.number),
            },
            BODY,
            BLACK,
        );
    }
    flow.gap(4.0);
    flow.rule(GREY, 1.0);
    flow.gap(12.0);
    let f: FollowUp = match follow {
        Ok(f) => f,
        Err(e) => {
            para(flow, &e.to_string());
            return;
        }
    };
    // Addressed to the authority that issued the notice (or the one named for this report).
    let addressee = if o.authority.name.is_empty() {
        f.notice.authority.clone()
    } else {
        o.authority.name.clone()
    };
    if !addressee.is_empty() {
        flow.paragraph(&format!("{addressee}{}", l("：", ":")), BODY, 0.0, 0.0, BLACK);
    }
    // The notice's date where the case recorded it (a notice received on paper has none here).
    let issued = o.local(&f.notice.issued_at).map(|t| o.date(t.date()));
    let sha = f.to.package_sha256.clone().unwrap_or_default();
    para(
        flow,
        &match lang {
            Lang::Zh => format!(
                "贵局{}出具的《责令整改通知书》（{}）指出本单位运营的移动互联网应用程序“{}”存在{}项问题。本单位已逐项整改，整改后的版本为 {}（安装包 SHA-256 {sha}）。现将整改情况报告如下。",
                issued.as_deref().map_or(String::new(), |d| format!("于{d}")),
                f.notice.number,
                c.app.name,
                f.findings.len(),
                f.to.version
            ),
            Lang::En => format!(
                "Your Rectification Notice {}{} found {} problem(s) in our mobile App “{}”. We have worked on each; the rectified version is {} (package SHA-256 {sha}). This report sets out where each stands.",
                f.notice.number,
                issued.as_deref().map_or(String::new(), |d| format!(" of {d}")),
                f.findings.len(),
                c.app.name,
                f.to.version
            ),
        },
    );

    // 一、Each problem of the notice: what was done, whether it is done.
    flow.heading(l("一、整改情况", "1. The rectification"), HEADING);
    let rows: Vec<Vec<String>> = f
        .findings
        .iter()
        .enumerate()
        .map(|(i, x)| {
            let mut stated = problem(x, lang);
            if x.title.is_some() && !x.before.is_empty() {
                stated += &format!("\n{}", stopped(&x.before.join(l("；", "; ")), lang));
            }
            let done = if x.now.is_empty() {
                "—".to_string()
            } else {
                stopped(&x.now.join(l("；", "; ")), lang)
            };
            vec![
                (i + 1).to_string(),
                stated,
                done,
                x.outcome.map_or("—", |o| o.label(lang)).to_string(),
            ]
        })
        .collect();
    flow.table(
        &[
            Column {
                title: l("序号", "No."),
                share: 0.07,
            },
            Column {
                title: l("通知书所列问题", "Problem in the notice"),
                share: 0.4,
            },
            Column {
                title: l("整改措施及现状", "What was done"),
                share: 0.38,
            },
            Column {
                title: l("完成情况", "Status"),
                share: 0.15,
            },
        ],
        &rows,
        9.5,
    );

    // 二、What is not done yet, and by when.
    let remaining: Vec<String> = f
        .findings
        .iter()
        .enumerate()
        .filter(|(_, x)| x.outcome != Some(Outcome::Rectified))
        .map(|(i, _)| (i + 1).to_string())
        .collect();
    flow.heading(l("二、整改结论", "2. Conclusion"), HEADING);
    para(
        flow,
        &match (remaining.is_empty(), lang) {
            (true, Lang::Zh) => "通知书所列问题均已整改完毕。".to_string(),
            (true, Lang::En) => "Every problem the notice lists has been rectified.".to_string(),
            (false, Lang::Zh) => format!(
                "第{}项问题尚未整改到位，本单位将继续整改，于{}前完成，并另行报告。",
                remaining.join("、"),
                o.date(o.deadline)
            ),
            (false, Lang::En) => format!(
                "Problem(s) {} are not yet fully rectified; we will finish by {} and report again.",
                remaining.join(", "),
                o.date(o.deadline)
            ),
        },
    );
    flow.heading(l("三、承诺", "3. Commitment"), HEADING);
    para(
        flow,
        l(
            "本单位承诺：本报告内容真实、准确、完整，整改记录留存备查；今后将持续做好个人信息保护工作，防止同类问题再次发生。",
            "We undertake that this report is true, accurate and complete, that records of the work are kept for inspection, and that we will keep protecting personal information so that these problems do not recur.",
        ),
    );
    if !o.contact.trim().is_empty() {
        flow.heading(l("四、联系方式", "4. Contact"), HEADING);
        para(flow, &o.contact);
    }
    // The report goes to the authority under the company's seal.
    super::compose::company_signature(flow, &subject, o, true);
    super::compose::appendix(flow, input, o);
}
