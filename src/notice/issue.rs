//! Issuing a notice for a case: gather the case, score and evidence, lay out, render, sign, and
//! record what was issued. The command line and the window both call [`issue`].

use crate::case::{self, IssuedNotice, Store};
use crate::checklist;
use crate::i18n::Lang;
use crate::score;

use super::sign::{self, Identity};
use super::{EvidenceImage, Kind, NoticeInput, NoticeOptions};

/// What a notice needs beyond the case.
pub struct IssueRequest<'a> {
    pub kind: Kind,
    pub lang: Lang,
    pub number: Option<String>,
    pub deadline_days: u32,
    pub authority: Option<String>,
    pub contact: Option<String>,
    pub identity: Option<&'a Identity>,
    pub now: chrono::NaiveDateTime,
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
    #[error("the {field} is {chars} characters long; a notice takes at most {max}")]
    TooLong {
        field: &'static str,
        chars: usize,
        max: usize,
    },
}

/// The longest deadline a notice may set (the window and the command line both hold to it).
pub const MAX_DEADLINE_DAYS: u32 = 365;

/// The case, checklist, report and score a notice borrows from.
pub struct Parts {
    pub view: case::CaseView,
    pub checklist: checklist::Checklist,
    pub report: Option<crate::package::PackageReport>,
    pub score: score::CaseScore,
}

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

/// Reads the case, its score and evidence, and settles number, deadline, authority and contact.
/// The evidence bytes are read only `with_bytes` (the PDF embeds them; the layout needs only the
/// sizes, so a preview of a case with hundreds of screenshots reads none of them).
pub fn gather(
    store: &Store,
    case_id: &str,
    r: &IssueRequest<'_>,
    with_bytes: bool,
) -> Result<(Parts, NoticeOptions, Vec<EvidenceImage>), IssueError> {
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
    let view = store.load(case_id)?;
    let checklist = store.checklist_of(&view.case)?;
    let report = store.package_report(case_id)?;
    let score = score::score(&view, &checklist);
    let mut evidence = Vec::new();
    for item in &view.evidence {
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
            r.now
                .date()
                .checked_add_days(chrono::Days::new(u64::from(r.deadline_days)))
        })
        .flatten()
        .ok_or(IssueError::Deadline(r.deadline_days))?;
    let number = r.number.clone().unwrap_or_else(|| match (r.kind, lang) {
        (Kind::Rectification, Lang::Zh) => format!("责改〔{}〕{}号", r.now.format("%Y"), view.case.id),
        (Kind::Rectification, Lang::En) => format!("No. {}/{}", r.now.format("%Y"), view.case.id),
        (Kind::SelfExam, _) => format!("{} {}", lang.pick("案件", "Case"), view.case.id),
    });
    let options = NoticeOptions {
        kind: r.kind,
        lang,
        number,
        issued: r.now,
        deadline,
        authority: r
            .authority
            .clone()
            .unwrap_or_else(|| lang.pick("（发文机关）", "(issuing authority)").to_string()),
        contact: r.contact.clone().unwrap_or_else(|| {
            lang.pick("联系人及电话：（请填写）", "Contact: (to be completed)")
                .to_string()
        }),
    };
    Ok((
        Parts {
            view,
            checklist,
            report,
            score,
        },
        options,
        evidence,
    ))
}

/// The pages of the notice as drawing operations, for a preview in the window (same layout as
/// the PDF; nothing is recorded).
pub fn preview(
    store: &Store,
    case_id: &str,
    r: &IssueRequest<'_>,
) -> Result<Vec<Vec<super::layout::Op>>, IssueError> {
    let (parts, options, evidence) = gather(store, case_id, r, false)?;
    Ok(super::layout_pages(&parts.input(evidence), &options)?)
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
) -> Result<Vec<u8>, IssueError> {
    // Refused before the slow part: an existing file, a device, a missing folder.
    crate::output::check_target(out, overwrite)?;
    let (parts, options, evidence) = gather(store, case_id, r, true)?;
    let (view, lang) = (&parts.view, r.lang);
    let number = options.number.clone();
    let deadline = options.deadline;
    let pdf = super::generate(&parts.input(evidence), &options)?;
    let (pdf, signer) = match r.identity {
        Some(identity) => {
            let reason = match (r.kind, lang) {
                (Kind::Rectification, Lang::Zh) => "签发责令整改通知书",
                (Kind::Rectification, Lang::En) => "Issuing the rectification notice",
                (Kind::SelfExam, Lang::Zh) => "确认自查报告",
                (Kind::SelfExam, Lang::En) => "Approving the self-examination report",
            };
            let location = match r.kind {
                Kind::Rectification => options.authority.clone(),
                Kind::SelfExam => view.case.subject.name.clone(),
            };
            (
                sign::sign(&pdf, identity, reason, &location, r.now)?,
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
            deadline: deadline.to_string(),
            pdf_sha256: case::sha256_hex(&pdf),
            signer,
            issued_at: r.now.and_utc().to_rfc3339(),
        },
        actor,
    );
    if let Err(e) = recorded {
        crate::output::remove(out);
        return Err(e.into());
    }
    Ok(pdf)
}
