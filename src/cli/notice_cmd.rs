//! `notice`: the PDF rectification notice or self-examination report of a case.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;

use crate::case::{self, IssuedNotice, Store};
use crate::checklist;
use crate::i18n::Lang;
use crate::notice::{self, EvidenceImage, Kind, NoticeInput, NoticeOptions};
use crate::score;

/// What the command line gives for a notice.
pub struct NoticeArgs {
    pub case: String,
    pub out: PathBuf,
    pub kind: Kind,
    pub number: Option<String>,
    pub deadline_days: u32,
    pub authority: Option<String>,
    pub contact: Option<String>,
    pub sign: Option<PathBuf>,
    pub password_env: Option<String>,
}

pub fn run(a: NoticeArgs, db: Option<&Path>, lang: Lang) -> anyhow::Result<ExitCode> {
    let mut store = Store::open(&super::case_cmd::db_path(db))?;
    let view = store.load(&a.case)?;
    let checklist = checklist::resolve(&view.case.checklist_id)?;
    let report = store.package_report(&a.case)?;
    let score = score::score(&view, &checklist);
    let mut evidence = Vec::new();
    for item in &view.evidence {
        let bytes = store.evidence_bytes(&item.sha256)?;
        let pixels = item.width.zip(item.height).map(|(w, h)| (w as u32, h as u32));
        evidence.push(EvidenceImage {
            item: item.clone(),
            bytes,
            pixels,
        });
    }
    let now = chrono::Local::now().naive_local();
    let deadline = now.date() + chrono::Days::new(u64::from(a.deadline_days));
    let number = a.number.unwrap_or_else(|| match (a.kind, lang) {
        (Kind::Rectification, Lang::Zh) => format!("责改〔{}〕{}号", now.format("%Y"), view.case.id),
        (Kind::Rectification, Lang::En) => format!("No. {}/{}", now.format("%Y"), view.case.id),
        (Kind::SelfExam, _) => format!("{} {}", lang.pick("案件", "Case"), view.case.id),
    });
    let options = NoticeOptions {
        kind: a.kind,
        lang,
        number: number.clone(),
        issued: now,
        deadline,
        authority: a
            .authority
            .unwrap_or_else(|| lang.pick("（发文机关）", "(issuing authority)").to_string()),
        contact: a.contact.unwrap_or_else(|| {
            lang.pick("联系人及电话：（请填写）", "Contact: (to be completed)")
                .to_string()
        }),
    };
    let input = NoticeInput {
        view: &view,
        report: report.as_ref(),
        checklist: &checklist,
        score: &score,
        evidence,
    };
    let pdf = notice::generate(&input, &options)?;
    let (pdf, signer) = match (&a.sign, &a.password_env) {
        (Some(p12), Some(var)) => {
            let password = std::env::var(var).with_context(|| {
                format!("the environment variable {var} (the certificate password) is not set")
            })?;
            let identity = notice::sign::Identity::load(p12, &password)?;
            let reason = lang.pick("责令整改通知书签发", "Issuing the rectification notice");
            let signed = notice::sign::sign(&pdf, &identity, reason, &options.authority, now)?;
            (signed, identity.name.clone())
        }
        _ => (pdf, String::new()),
    };
    std::fs::write(&a.out, &pdf).with_context(|| format!("cannot write {}", a.out.display()))?;
    store.record_notice(
        &a.case,
        &IssuedNotice {
            number,
            kind: a.kind.keyword().to_string(),
            lang: lang.pick("zh", "en").to_string(),
            deadline: deadline.to_string(),
            pdf_sha256: case::sha256_hex(&pdf),
            signer,
            issued_at: now.and_utc().to_rfc3339(),
        },
        &case::default_actor(),
    )?;
    println!("{}", a.out.display());
    Ok(ExitCode::SUCCESS)
}
