//! `notice`: the PDF rectification notice or self-examination report of a case.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;

use crate::case::{self, Store};
use crate::i18n::Lang;
use crate::notice::issue::{IssueRequest, issue};
use crate::notice::{Kind, sign::Identity};

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
    pub force: bool,
}

pub fn run(a: NoticeArgs, db: Option<&Path>, lang: Lang) -> anyhow::Result<ExitCode> {
    // Read the certificate first: a wrong password is found before any work is done.
    let identity = match (&a.sign, &a.password_env) {
        (Some(p12), Some(var)) => {
            let password = std::env::var(var).with_context(|| {
                format!("the environment variable {var} (the certificate password) is not set")
            })?;
            Some(Identity::load(p12, &password)?)
        }
        _ => None,
    };
    let mut store = Store::open(&super::case_cmd::db_path(db))?;
    let pdf = issue(
        &mut store,
        &a.case,
        &IssueRequest {
            kind: a.kind,
            lang,
            number: a.number,
            deadline_days: a.deadline_days,
            authority: a.authority,
            contact: a.contact,
            identity: identity.as_ref(),
            now: chrono::Utc::now(),
        },
        &a.out,
        a.force,
        &case::default_actor(),
    )?;
    for w in &pdf.warnings {
        eprintln!(
            "app-inspector: {}{}",
            lang.pick("注意：", "warning: "),
            w.get(lang)
        );
    }
    println!("{}", a.out.display());
    Ok(ExitCode::SUCCESS)
}
