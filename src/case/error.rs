//! What can go wrong with the case store, said so that the inspector knows what to do.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum CaseError {
    #[error("{path} is not an App Inspector case database (it is not an SQLite file); it was left untouched")]
    NotADatabase { path: PathBuf },
    #[error(
        "{path} belongs to another application (it is an SQLite database, but not an App Inspector case database); it was left untouched — choose another file with --db or APP_INSPECTOR_DB"
    )]
    Foreign { path: PathBuf },
    #[error(
        "cannot write the case database {path}: the folder {folder} (or the file) is read-only; choose a writable place with --db or APP_INSPECTOR_DB"
    )]
    ReadOnly { path: PathBuf, folder: PathBuf },
    #[error(
        "the case database {path} is damaged ({why}); it was left untouched — restore it from a backup or a case bundle"
    )]
    Damaged { path: PathBuf, why: String },
    #[error(
        "the case database {path} was written by a newer App Inspector (schema {found}, this version knows up to {known}); it was left untouched — update App Inspector"
    )]
    TooNew { path: PathBuf, found: i64, known: i64 },
    #[error("the case database is damaged ({0}); restore it from a backup or a case bundle")]
    Corrupt(String),
    #[error("the case database is busy (another window or process is writing); try again")]
    Busy,
    #[error("no case {0:?}; `app-inspector case list` shows the cases")]
    NoSuchCase(String),
    #[error("no test point {testpoint:?} in checklist {checklist}")]
    NoSuchTestPoint { testpoint: String, checklist: String },
    #[error(
        "unknown status {0:?}; use one of: not-checked, compliant, partial, non-compliant, not-applicable"
    )]
    UnknownStatus(String),
    #[error("unknown subject type {0:?}; use one of: {1}")]
    UnknownSubjectType(String, String),
    #[error("the checklist has no condition {condition:?}; its conditions are: {known}")]
    UnknownCondition { condition: String, known: String },
    #[error(
        "the test conditions were not recorded: {0}; shorten it or remove the control characters, then try again"
    )]
    TestConditions(String),
    #[error("the authority profile was not saved: {0}")]
    Authority(String),
    #[error(
        "there is no authority profile named {0:?}; add it with `app-inspector authority set {0} --prefix 机关代字`"
    )]
    UnknownAuthority(String),
    #[error(
        "{authority}'s notice serial {serial} of {year} was taken by another notice meanwhile; issue the notice again"
    )]
    SerialTaken {
        authority: String,
        year: i32,
        serial: u32,
    },
    #[error("{0}")]
    CreditCode(String),
    #[error("the filing number was not recorded: {0}")]
    Filing(String),
    #[error("the inspectors were not recorded: {0}")]
    Inspectors(String),
    #[error("case {case} is already judged against checklist version {version}")]
    SameChecklist { case: String, version: String },
    #[error("case {0} changed checklist version since the plan was made; make the plan again")]
    PlanOutdated(String),
    #[error("case {case} is {}; reopen it before changing it", state.label(crate::i18n::Lang::En))]
    Closed { case: String, state: super::CaseState },
    /// A move of the case's state that its present state does not allow.
    #[error("{}", .0.en)]
    Lifecycle(crate::i18n::Text),
    #[error(
        "case {case} cannot be closed: {} finding(s) are neither resolved nor explained: {}; judge them again on the current version, or explain each (--explain TESTPOINT=TEXT)",
        items.len(),
        super::lifecycle::list(items, crate::i18n::Lang::En)
    )]
    Unresolved {
        case: String,
        items: Vec<super::Unresolved>,
    },
    /// The user stopped the work before anything was written (or, for an export, kept).
    #[error("cancelled; nothing was changed")]
    Cancelled,
    #[error("no automatic suggestion on test point {0}")]
    NoSuggestion(String),
    #[error("{name}: {why}")]
    Evidence { name: String, why: String },
    #[error(
        "the evidence file {sha256} stored in the case database no longer matches its SHA-256: it was altered inside the database, so it was not used; restore the database from a backup or a case bundle"
    )]
    EvidenceAltered { sha256: String },
    #[error(
        "case {case} was judged against checklist {id} (content SHA-256 {hash}), which is neither stored with the case nor known to this App Inspector; install that checklist file in the data folder's checklists/ and try again"
    )]
    ChecklistMissing { case: String, id: String, hash: String },
    #[error("the bundle {path} was refused: {why}")]
    Bundle { path: PathBuf, why: String },
    #[error(
        "case {0} already exists in this database; it was not overwritten (import into another database, or delete the existing case first)"
    )]
    Exists(String),
    #[error("cannot read {path}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Package(#[from] crate::package::PackageError),
    #[error(transparent)]
    Output(#[from] crate::output::OutputError),
    #[error(transparent)]
    Input(#[from] crate::input::InputError),
    #[error(transparent)]
    Checklist(#[from] crate::checklist::ChecklistError),
    #[error(transparent)]
    Log(#[from] crate::runtime::LogError),
    #[error(
        "{name} was recorded on {log}, but the case's App is {case}; import the log of this App (or open a case for {log})"
    )]
    LogPackage { name: String, log: String, case: String },
    #[error("{0} is already imported into this case")]
    LogImported(String),
    #[error(
        "{file} is {found}, but case {case} inspects {expected}; if the App was renamed, say so with --force \"REASON\" (the reason is audited)"
    )]
    ForeignPackage {
        case: String,
        file: String,
        expected: String,
        found: String,
    },
    #[error(
        "{file} is the package round {round} of case {case} inspects; a re-inspection needs the new version"
    )]
    SamePackage { case: String, file: String, round: u32 },
    #[error("the reason for accepting a renamed App was not saved: {0}")]
    Reason(String),
    #[error("case {case} has no round {round}; it has rounds 1 to {last}")]
    NoSuchRound { case: String, round: u32, last: u32 },
    #[error(
        "the package of round {round} is not in this database (the case came in a bundle without it); compare the versions where both were analysed"
    )]
    RoundPackageMissing { round: u32 },
    #[error("database error: {0}")]
    Sql(String),
}

impl From<rusqlite::Error> for CaseError {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy) | Some(rusqlite::ErrorCode::DatabaseLocked) => {
                CaseError::Busy
            }
            Some(rusqlite::ErrorCode::DatabaseCorrupt) | Some(rusqlite::ErrorCode::NotADatabase) => {
                CaseError::Corrupt(e.to_string())
            }
            // "UNIQUE constraint failed: …" says nothing to an inspector.
            Some(rusqlite::ErrorCode::ConstraintViolation) => CaseError::Sql(
                "the change would duplicate or contradict a record the database already holds; nothing was changed"
                    .into(),
            ),
            Some(rusqlite::ErrorCode::DiskFull) => CaseError::Sql(
                "the disk holding the case database is full; nothing was changed — free some space and try again".into(),
            ),
            Some(rusqlite::ErrorCode::ReadOnly) => CaseError::Sql(
                "the case database cannot be written (it or its folder is read-only); nothing was changed".into(),
            ),
            _ => CaseError::Sql(e.to_string()),
        }
    }
}

impl From<serde_json::Error> for CaseError {
    fn from(e: serde_json::Error) -> Self {
        CaseError::Sql(format!("stored JSON cannot be read: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_constraint_failure_is_a_sentence() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (id TEXT PRIMARY KEY); INSERT INTO t VALUES ('a');")
            .unwrap();
        let e: CaseError = conn.execute("INSERT INTO t VALUES ('a')", []).unwrap_err().into();
        let said = e.to_string();
        assert!(
            !said.contains("UNIQUE") && said.contains("nothing was changed"),
            "{said}"
        );
    }
}
