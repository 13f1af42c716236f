//! App Inspector: an offline workbench for checking mobile Apps against the MIIT Notice on Further
//! Improving the Service Capability of Mobile Internet Apps (工信部信管函〔2023〕26号).
//!
//! The library holds every capability; the command line ([`cli`]) and the window (`ui`) are thin
//! faces over it. Data flows one way: package → facts → automatic findings → the inspector's
//! assessments and evidence → score → notice.
//!
//! ```
//! let checklist = app_inspector::checklist::builtin("miit-2023-26").unwrap();
//! // The 26 measures, and section III's self-examination.
//! assert_eq!(checklist.clauses.len(), 27);
//! ```

pub mod case;
pub mod checklist;
pub mod cli;
pub mod data_dir;
pub mod explain;
pub mod fuzzing;
pub mod i18n;
pub mod input;
pub mod inspection;
pub(crate) mod le;
pub mod notice;
pub mod output;
pub mod package;
pub mod prefill;
pub mod runtime;
pub mod sample;
pub mod score;
pub mod sheet;
pub mod status;
#[cfg(feature = "gui")]
pub mod ui;
