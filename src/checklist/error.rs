//! Why a checklist could not be loaded, worded so that its author can fix the file.

use std::fmt;
use std::path::PathBuf;

/// A checklist that could not be read or that is not valid.
#[derive(Debug, thiserror::Error)]
pub enum ChecklistError {
    #[error("cannot read the checklist file {path}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}", render_invalid(.path, .problems))]
    Invalid {
        path: PathBuf,
        /// Every problem found, in file order.
        problems: Vec<Diagnostic>,
    },
    #[error("there is no checklist with id {id:?}; the known checklists are: {known}")]
    NotFound { id: String, known: String },
    #[error("there is no version {version:?} of checklist {id}; the known versions are: {known}")]
    NoSuchVersion {
        id: String,
        version: String,
        known: String,
    },
}

/// One problem at one place in a checklist file.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    /// 1-based line in the file.
    pub line: usize,
    pub problem: Problem,
}

/// What is wrong.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Problem {
    #[error("the file is not valid TOML or does not fit the schema: {0}")]
    Syntax(String),
    #[error("{what} is missing")]
    Missing { what: String },
    #[error("{what} has no Chinese text ({field} is missing or empty)")]
    MissingChinese { what: String, field: String },
    #[error("{what} has no English text ({field} is missing or empty)")]
    MissingEnglish { what: String, field: String },
    #[error("duplicate {kind} id {id:?} (first defined on line {first_line})")]
    DuplicateId {
        kind: &'static str,
        id: String,
        first_line: usize,
    },
    #[error("unknown severity {found:?} in {what}; use one of: {expected}")]
    UnknownSeverity {
        what: String,
        found: String,
        expected: String,
    },
    #[error("unknown method {found:?} in {what}; use one of: {expected}")]
    UnknownMethod {
        what: String,
        found: String,
        expected: String,
    },
    #[error("unknown subject type {found:?} in {what}; use one of: {expected}")]
    UnknownSubject {
        what: String,
        found: String,
        expected: String,
    },
    #[error("unknown provenance {found:?} in {what}; use one of: {expected}")]
    UnknownProvenance {
        what: String,
        found: String,
        expected: String,
    },
    #[error("unknown automatic rule {found:?} in {what}; the rules are listed in src/checklist/rules.rs")]
    UnknownRule { what: String, found: String },
    #[error("{what} cites law {found:?}, which no [[law]] table defines")]
    UnknownLaw { what: String, found: String },
    #[error("{what} belongs to section {found:?}, which no [[section]] table defines")]
    UnknownSection { what: String, found: String },
    #[error("clause {0} is missing: clause ids must run from 1 to {1}")]
    MissingClause(u32, u32),
    #[error("clause id {0:?} is not a number from 1 to {1}")]
    ClauseOutOfRange(String, u32),
    #[error("test point id {id:?} does not belong to clause {clause} (it must look like {clause}.N)")]
    TestPointId { id: String, clause: String },
    #[error("{what} has no {needed}")]
    Empty { what: String, needed: &'static str },
    #[error("unknown force {found:?} in {what}; use one of: {expected}")]
    UnknownForce {
        what: String,
        found: String,
        expected: String,
    },
    #[error("unknown kind of law {found:?} in {what}; use one of: {expected}")]
    UnknownLawKind {
        what: String,
        found: String,
        expected: String,
    },
    #[error("{what} depends on condition {found:?}, which no [[condition]] table defines")]
    UnknownCondition { what: String, found: String },
    #[error("{what} is conditional but names no condition (condition = \"…\")")]
    MissingCondition { what: String },
    #[error("{what} names a condition but its force is not \"conditional\"")]
    StrayCondition { what: String },
    #[error("{what} binds {found:?}, which its clause's subjects do not list")]
    SubjectNotOnClause { what: String, found: String },
    #[error("{what} is advisory, so its demand must be a recommendation (demand_zh starting with 建议)")]
    AdvisoryDemand { what: String },
    #[error(
        "{what} has no binding source: cite a law, regulation, rule or normative document, not only guidance or standards (which are followed with 参照)"
    )]
    NoBindingBasis { what: String },
    #[error("{what} cites version {found:?} of law {law:?}; its versions are: {known}")]
    UnknownLawVersion {
        what: String,
        law: String,
        found: String,
        known: String,
    },
    #[error(
        "{what} cites law {law:?}, which has several versions: say which one the article refers to (version = \"YYYY-MM-DD\")"
    )]
    AmbiguousLawVersion { what: String, law: String },
    #[error("{what}: {found:?} is not a date (YYYY-MM-DD)")]
    BadDate { what: String, found: String },
    #[error("{what} belongs to part {found:?}, which no [[part]] table defines")]
    UnknownPart { what: String, found: String },
    #[error("schema must be 1 or 2, not {0}")]
    BadSchema(i64),
    #[error("{what} needs {field}, which schema 2 requires")]
    NeedsSchemaTwo { what: String, field: &'static str },
}

fn render_invalid(path: &std::path::Path, problems: &[Diagnostic]) -> String {
    struct Lines<'a>(&'a std::path::Path, &'a [Diagnostic]);
    impl fmt::Display for Lines<'_> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            let Lines(path, problems) = self;
            write!(
                f,
                "the checklist {} is not valid ({} problem{}):",
                path.display(),
                problems.len(),
                if problems.len() == 1 { "" } else { "s" }
            )?;
            for d in problems.iter() {
                write!(f, "\n  {}:{}: {}", path.display(), d.line, d.problem)?;
            }
            Ok(())
        }
    }
    Lines(path, problems).to_string()
}
