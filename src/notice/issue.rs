//! Issuing a notice for a case: gather the case, score and evidence, lay out, render, sign, and
//! record what was issued. The command line and the window both call [`issue`].

use crate::case::{self, Authority, IssuedNotice, Store};
use crate::i18n::Lang;

use super::sign::{self, Identity};
use super::{EvidenceImage, Kind, NoticeInput, NoticeOptions};

/// What a notice needs beyond the case.
pub struct IssueRequest<'a> {
    pub kind: Kind,
    pub lang: Lang,
    /// 文号 as typed; by default the authority's next serial of the year.
    pub number: Option<String>,
    pub deadline_days: u32,
    /// The name of the issuing authority's profile (`authority set`); a rectification notice
    /// needs one. A self-examination report may be addressed to any authority by name.
    pub authority: Option<String>,
    /// Overrides the profile's contact.
    pub contact: Option<String>,
    pub identity: Option<&'a Identity>,
    /// The moment of issue; the document states it on the authority's clock.
    pub now: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, thiserror::Error)]
pub enum IssueError {
    #[error(transparent)]
    Case(#[from] crate::case::CaseError),
    #[error(transparent)]
    Checklist(#[from] crate::checklist::ChecklistError),
    #[error(transparent)]
    Notice(#[from] super::NoticeError),
    #[error(transparent)]
    Sign(#[from] sign::SignError),
    #[error(transparent)]
    Output(#[from] crate::output::OutputError),
    #[error("a deadline of {0} days is not possible; give 1 to {max} days", max = MAX_DEADLINE_DAYS)]
    Deadline(u32),
    #[error(
        "a rectification deadline of {0} days is too short: give the enterprise at least {min} days",
        min = MIN_DEADLINE_DAYS
    )]
    DeadlineTooShort(u32),
    #[error("the {field} is {chars} characters long; a notice takes at most {max}")]
    TooLong {
        field: &'static str,
        chars: usize,
        max: usize,
    },
    #[error(
        "a rectification notice is issued by an authority: add its profile with `app-inspector authority set NAME --prefix 机关代字 …` and name it with --authority NAME"
    )]
    NoAuthority,
    #[error(
        "the notice has no contact for the enterprise to reach the handling division: give --contact or set one in the authority's profile"
    )]
    NoContact,
    #[error(
        "a rectification notice names at least two law-enforcement officers with their certificate numbers (行政处罚法 第四十二条); this case has {0}: add them with `app-inspector case inspectors CASE --inspector 张三=粤A0001 --inspector 李四=粤A0002`"
    )]
    Inspectors(usize),
    #[error(
        "finding {0} states no facts: write what was found in its note (or accept the automatic suggestion whose facts support it) before issuing the notice"
    )]
    NoFacts(String),
    #[error("this is the sample case: its documents are marked 示例 — 非正式文书 and are never signed")]
    SampleSigned,
    #[error(
        "the case has no finding to order corrected: a rectification notice needs at least one test point judged non-compliant or partly compliant"
    )]
    NoFindings,
    #[error(
        "the English translation carries the number of the Chinese notice: issue the Chinese notice first (or give --number)"
    )]
    NoChineseNotice,
    #[error(transparent)]
    FollowUp(#[from] super::reinspection::FollowUpError),
}

/// The longest deadline a notice may set (the window and the command line both hold to it).
pub const MAX_DEADLINE_DAYS: u32 = 365;
/// The shortest time a rectification notice may give.
pub const MIN_DEADLINE_DAYS: u32 = 5;

/// The opened case a notice is made from.
pub type Parts = crate::inspection::Inspection;

impl Parts {
    pub fn input(&self, evidence: Vec<EvidenceImage>) -> NoticeInput<'_> {
        NoticeInput {
            view: &self.view,
            report: self.report.as_ref(),
            checklist: &self.checklist,
            score: &self.score,
            evidence,
        }
    }
}

/// What [`gather`] settled besides the document's options.
pub struct Gathered {
    pub parts: Parts,
    pub options: NoticeOptions,
    pub evidence: Vec<EvidenceImage>,
    /// The authority's serial this notice takes when it is issued: (year, serial).
    pub serial: Option<(i32, u32)>,
    /// What the inspector should know but does not stop the notice, in both languages.
    pub warnings: Vec<crate::i18n::Text>,
    /// What stops the notice from being issued (only when gathered for a preview: issuing
    /// refuses at the first). The preview shows placeholders for them.
    pub problems: Vec<IssueError>,
}

/// Whether a gathering is for a preview (problems listed, placeholders shown) or to issue
/// (the first problem refuses).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Preview,
    Issue,
}

/// Reads the case, its score and evidence, and settles number, deadline, authority and contact;
/// refuses a rectification notice an authority could not serve. The evidence bytes are read only
/// `with_bytes` (the PDF embeds them; the layout needs only the sizes, so a preview of a case with
/// hundreds of screenshots reads none of them).
pub fn gather(
    store: &Store,
    case_id: &str,
    r: &IssueRequest<'_>,
    purpose: Purpose,
) -> Result<Gathered, IssueError> {
    let with_bytes = purpose == Purpose::Issue;
    let mut problems: Vec<IssueError> = Vec::new();
    // A refusal: at once when issuing, listed for a preview.
    let mut refuse = |e: IssueError| match purpose {
        Purpose::Issue => Err(e),
        Purpose::Preview => {
            problems.push(e);
            Ok(())
        }
    };
    // What goes into the document's header: the PDF/A format bounds each string (and a number
    // of several thousand characters is a mistake anyway).
    for (field, value, max) in [
        ("number (文号)", &r.number, 100),
        ("issuing authority", &r.authority, 200),
        ("contact", &r.contact, 1_000),
    ] {
        let chars = value.as_deref().map_or(0, |v| v.chars().count());
        if chars > max {
            return Err(IssueError::TooLong { field, chars, max });
        }
    }
    // The re-inspection opinion is an act of the authority as the notice is: the same rules.
    let rectification = matches!(r.kind, Kind::Rectification | Kind::Reinspection);
    let authority = match r.authority.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        Some(name) => match store.authority(name) {
            Ok(a) => a,
            Err(case::CaseError::UnknownAuthority(_)) if !rectification => {
                let mut a = Authority::new(name, "");
                a.remit.clear();
                a
            }
            Err(case::CaseError::UnknownAuthority(name)) => {
                refuse(case::CaseError::UnknownAuthority(name.clone()).into())?;
                Authority::new(&name, "")
            }
            Err(e) => return Err(e.into()),
        },
        None if rectification => {
            refuse(IssueError::NoAuthority)?;
            Authority::new(r.lang.pick("（发文机关）", "(issuing authority)"), "")
        }
        None => Authority::new("", ""),
    };
    let tz = authority.tz().map_err(case::CaseError::Authority)?;
    // The seal shows only where the notice is signed digitally: on a paper copy the physical seal
    // goes there.
    let seal = match (rectification, r.identity) {
        (true, Some(_)) => store.authority_seal(&authority.name).unwrap_or(None),
        _ => None,
    };
    let issued = r.now.with_timezone(&tz).naive_local();
    let crate::inspection::Inspection {
        view,
        checklist,
        report,
        score,
    } = crate::inspection::Inspection::open(store, case_id)?;
    let sample = crate::sample::is_sample(&view.case);
    if sample && r.identity.is_some() {
        refuse(IssueError::SampleSigned)?;
    }
    let contact = r
        .contact
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .unwrap_or(authority.contact.trim())
        .to_string();
    let contact = if rectification && contact.is_empty() {
        refuse(IssueError::NoContact)?;
        r.lang
            .pick("联系方式：（请填写）", "Contact: (to be completed)")
            .to_string()
    } else {
        contact
    };
    if rectification {
        if r.deadline_days < MIN_DEADLINE_DAYS {
            refuse(IssueError::DeadlineTooShort(r.deadline_days))?;
        }
        let officers = view
            .case
            .inspectors
            .iter()
            .filter(|i| !i.badge.trim().is_empty())
            .count();
        if officers < 2 {
            refuse(IssueError::Inspectors(officers))?;
        }
    }
    let mut evidence = Vec::new();
    // The enterprise's rectification report is its document, not evidence the authority cites.
    for item in view.evidence.iter().filter(|e| e.kind.is_evidence()) {
        let bytes = if with_bytes {
            store.evidence_bytes(&item.sha256)?
        } else {
            Vec::new()
        };
        let pixels = item.width.zip(item.height).map(|(w, h)| (w as u32, h as u32));
        evidence.push(EvidenceImage {
            item: item.clone(),
            bytes,
            pixels,
        });
    }
    let lang = r.lang;
    let deadline = (1..=MAX_DEADLINE_DAYS)
        .contains(&r.deadline_days)
        .then(|| {
            issued
                .date()
                .checked_add_days(chrono::Days::new(u64::from(r.deadline_days)))
        })
        .flatten()
        .ok_or(IssueError::Deadline(r.deadline_days))?;
    let year = chrono::Datelike::year(&issued);
    let (number, serial) = match (&r.number, r.kind) {
        (Some(n), _) => (super::super::case::authority::normalise_number(n), None),
        // The translation takes the number of the case's last Chinese notice of this authority.
        (None, Kind::Rectification) if lang == Lang::En => {
            let zh = view
                .notices
                .iter()
                .rev()
                .find(|n| n.kind == "rectification" && n.lang == "zh" && n.authority == authority.name)
                .map(|n| n.number.clone());
            let number = match zh {
                Some(n) => n,
                None => {
                    refuse(IssueError::NoChineseNotice)?;
                    "(number of the Chinese notice)".to_string()
                }
            };
            (number, None)
        }
        (None, Kind::Rectification) => {
            let n = store.next_serial(&authority.name, year)?;
            (authority.number(year, n), Some((year, n)))
        }
        // It takes no serial of its own: it follows up the notice by that notice's 文号.
        (None, Kind::Reinspection) => (
            view.notices
                .iter()
                .rev()
                .find(|n| n.kind == "rectification" && n.lang == "zh")
                .map(|n| n.number.clone())
                .unwrap_or_default(),
            None,
        ),
        (None, Kind::SelfExam) => (String::new(), None),
        (None, Kind::Record) => (format!("{} {}", lang.pick("案件", "Case"), view.case.id), None),
    };
    let mut warnings = Vec::new();
    if let Some(identity) = r.identity
        && rectification
        && identity.organisation.as_deref() != Some(authority.name.as_str())
    {
        let org = identity.organisation.as_deref();
        warnings.push(crate::i18n::Text {
            zh: format!(
                "签名证书的单位（{}）不是发文机关（{}）",
                org.unwrap_or("未载明"),
                authority.name
            ),
            en: format!(
                "the signing certificate's organisation ({}) is not the issuing authority ({})",
                org.unwrap_or("none"),
                authority.name
            ),
        });
    }
    let options = NoticeOptions {
        kind: r.kind,
        lang,
        number,
        issued,
        tz,
        deadline,
        authority,
        contact,
        sample,
        signer: r.identity.map(|i| i.name.clone()),
        seal,
    };
    let parts = Parts {
        view,
        checklist,
        report,
        score,
    };
    if r.kind == Kind::Reinspection {
        let input = parts.input(Vec::new());
        if let Err(e) = super::reinspection::follow_up(&input, &options) {
            refuse(e.into())?;
        }
    }
    // The enterprise's rectification report answers each finding: none may wait to be re-checked.
    if r.kind == Kind::SelfExam {
        let input = parts.input(Vec::new());
        if let Err(e @ super::reinspection::FollowUpError::Unjudged(_)) =
            super::rectification_report::follow_up(&input, &options)
        {
            refuse(e.into())?;
        }
    }
    if r.kind == Kind::Rectification {
        let input = parts.input(Vec::new());
        let (findings, outside): (Vec<_>, Vec<_>) = super::rectification::findings(&input, &options)
            .into_iter()
            .partition(|f| super::rectification::in_remit(f, &parts.checklist, &options.authority.remit));
        for f in &outside {
            let laws: Vec<&str> = f.point.basis.iter().map(|b| b.law_name.zh.as_str()).collect();
            warnings.push(crate::i18n::Text {
                zh: format!(
                    "检查项 {} 的问题仅以{}为依据，不属于{}的职权范围：未列入通知书（请移送有关主管部门）",
                    f.point.id,
                    laws.join(""),
                    options.authority.name
                ),
                en: format!(
                    "finding {} rests only on {}, which {} does not enforce: it is left out of the notice (refer it to the competent authority)",
                    f.point.id,
                    laws.join(""),
                    options.authority.name
                ),
            });
        }
        if findings.is_empty() {
            refuse(IssueError::NoFindings)?;
        }
        if let Some(f) = findings.iter().find(|f| f.facts.is_empty()) {
            refuse(IssueError::NoFacts(f.point.id.clone()))?;
        }
    }
    Ok(Gathered {
        parts,
        options,
        evidence,
        serial,
        warnings,
        problems,
    })
}

/// A preview: the pages as drawing operations, and what would stop the notice being issued.
pub type Preview = (Vec<Vec<super::layout::Op>>, Vec<IssueError>);

/// The pages of the notice as drawing operations, for a preview in the window (same layout as
/// the PDF; nothing is recorded).
pub fn preview(store: &Store, case_id: &str, r: &IssueRequest<'_>) -> Result<Preview, IssueError> {
    let g = gather(store, case_id, r, Purpose::Preview)?;
    let pages = super::layout_pages(&g.parts.input(g.evidence), &g.options)?;
    Ok((pages, g.problems))
}

/// An issued document: its bytes, and what the inspector should know about it.
pub struct Issued {
    pub pdf: Vec<u8>,
    pub warnings: Vec<crate::i18n::Text>,
}

/// Makes the (signed, when an identity is given) PDF of a case, writes it to `out` — completely
/// or not at all, never over an existing file unless `overwrite` — and only then records it in
/// the case. When recording fails the file is removed: a notice the case does not know of is
/// never left behind. Returns the PDF's bytes.
pub fn issue(
    store: &mut Store,
    case_id: &str,
    r: &IssueRequest<'_>,
    out: &std::path::Path,
    overwrite: bool,
    actor: &str,
) -> Result<Issued, IssueError> {
    // Refused before the slow part: an existing file, a device, a missing folder.
    crate::output::check_target(out, overwrite)?;
    let Gathered {
        parts,
        options,
        evidence,
        serial,
        warnings,
        problems: _,
    } = gather(store, case_id, r, Purpose::Issue)?;
    let (view, lang) = (&parts.view, r.lang);
    let number = options.number.clone();
    let deadline = options.deadline;
    // A re-inspection opinion that finds every problem rectified sets no deadline (and so does
    // not leave the case awaiting the enterprise).
    let demands = r.kind != Kind::Reinspection
        || super::reinspection::follow_up(&parts.input(Vec::new()), &options).is_ok_and(|f| {
            f.findings
                .iter()
                .any(|x| x.outcome != Some(super::reinspection::Outcome::Rectified))
        });
    let pdf = super::generate(&parts.input(evidence), &options)?;
    let (pdf, signer) = match r.identity {
        Some(identity) => {
            // An English rectification notice is a translation: signed as one, never as the act.
            let reason = match (r.kind, lang) {
                (Kind::Rectification, Lang::Zh) => "签发责令整改通知书",
                (Kind::Rectification, Lang::En) => {
                    "English translation for reference of the rectification notice"
                }
                (Kind::SelfExam, Lang::Zh) => "确认自查报告",
                (Kind::SelfExam, Lang::En) => "Approving the self-examination report",
                (Kind::Record, Lang::Zh) => "确认检查记录",
                (Kind::Record, Lang::En) => "Approving the inspection record",
                (Kind::Reinspection, Lang::Zh) => "出具整改情况复查意见书",
                (Kind::Reinspection, Lang::En) => {
                    "English translation of the re-inspection opinion (for reference)"
                }
            };
            let location = match r.kind {
                Kind::SelfExam => view.case.subject.name.clone(),
                _ => options.authority.name.clone(),
            };
            let at = r.now.with_timezone(&options.tz).fixed_offset();
            (
                sign::sign(&pdf, identity, reason, &location, at)?,
                identity.name.clone(),
            )
        }
        None => (pdf, String::new()),
    };
    crate::output::write(out, &pdf, overwrite)?;
    let recorded = store.record_notice(
        case_id,
        &IssuedNotice {
            number,
            kind: r.kind.keyword().to_string(),
            lang: lang.pick("zh", "en").to_string(),
            deadline: if demands {
                deadline.to_string()
            } else {
                String::new()
            },
            pdf_sha256: case::sha256_hex(&pdf),
            signer,
            issued_at: r.now.to_rfc3339(),
            authority: options.authority.name.clone(),
        },
        // The English translation of an issued notice carries the same number: it takes no serial.
        serial,
        actor,
    );
    if let Err(e) = recorded {
        crate::output::remove(out);
        return Err(e.into());
    }
    Ok(Issued { pdf, warnings })
}
