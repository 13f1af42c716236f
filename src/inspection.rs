//! A case as everything downstream reads it — the stored case, the exact checklist version it is
//! judged against, its package report and its score — opened in one place for the window, the
//! command line, the notice and the spreadsheet.

use crate::case::{CaseError, CaseView, Store};
use crate::checklist::Checklist;
use crate::package::PackageReport;
use crate::score::{self, CaseScore};

/// An opened case.
pub struct Inspection {
    pub view: CaseView,
    /// The checklist version the case is pinned to (never whatever version ships today).
    pub checklist: Checklist,
    pub report: Option<PackageReport>,
    pub score: CaseScore,
}

impl Inspection {
    /// Opens case `id` from `store`.
    pub fn open(store: &Store, id: &str) -> Result<Self, CaseError> {
        let view = store.load(id)?;
        let checklist = store.checklist_of(&view.case)?;
        let report = store.package_report(id)?;
        let score = score::score(&view, &checklist);
        Ok(Inspection {
            view,
            checklist,
            report,
            score,
        })
    }
}
