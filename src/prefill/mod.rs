//! Automatic findings: package facts × checklist → suggestions on the test points that name an
//! automatic rule. A finding is a suggestion the inspector confirms or rejects, never a verdict.

mod rules;

use serde::{Deserialize, Serialize};

use crate::checklist::{Checklist, SubjectType, TestPoint};
use crate::i18n::Text;
use crate::package::PackageReport;
use crate::status::Status;

pub use rules::{evaluate, implemented};

/// One automatic suggestion on one test point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub testpoint: String,
    pub rule: String,
    pub suggested_status: Status,
    /// The facts, and where in the package they are.
    pub evidence: Text,
}

/// What one rule concluded from the facts.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub status: Status,
    pub evidence: Text,
}

/// The roles whose duties the package's facts bear on: the App itself and the SDKs inside it.
/// Store, terminal, access and website duties are not seen in an App package.
pub const PACKAGE_ROLES: &[SubjectType] = &[SubjectType::AppOperator, SubjectType::SdkProvider];

/// Whether package facts may suggest on this test point for a case of these roles: it must bind one
/// of the roles that is also a [`PACKAGE_ROLES`] — a terminal maker's or a store's case gets no
/// verdict read off an App package.
pub fn suggests_on(tp: &TestPoint, roles: &[SubjectType]) -> bool {
    tp.subjects
        .iter()
        .any(|s| roles.contains(s) && PACKAGE_ROLES.contains(s))
}

/// Every finding the checklist's automatic rules give for this package, in checklist order, on the
/// test points [`suggests_on`] allows for `roles`.
pub fn findings(report: &PackageReport, checklist: &Checklist, roles: &[SubjectType]) -> Vec<Finding> {
    let mut out = Vec::new();
    for tp in checklist.test_points().filter(|tp| suggests_on(tp, roles)) {
        for rule in &tp.rules {
            if let Some(outcome) = rules::evaluate(rule, report) {
                out.push(Finding {
                    testpoint: tp.id.clone(),
                    rule: rule.clone(),
                    suggested_status: outcome.status,
                    evidence: outcome.evidence,
                });
            }
        }
    }
    out
}
