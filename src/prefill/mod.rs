//! Automatic findings: package facts × checklist → suggestions on the test points that name an
//! automatic rule. A finding is a suggestion the inspector confirms or rejects, never a verdict.

mod rules;

use serde::{Deserialize, Serialize};

use crate::checklist::Checklist;
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

/// Every finding the checklist's automatic rules give for this package, in checklist order.
pub fn findings(report: &PackageReport, checklist: &Checklist) -> Vec<Finding> {
    let mut out = Vec::new();
    for tp in checklist.test_points() {
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
