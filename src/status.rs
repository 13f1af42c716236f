//! The status an inspector gives a test point.

use serde::{Deserialize, Serialize};

use crate::i18n::Text;

/// How a test point was judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    #[default]
    NotChecked,
    Compliant,
    Partial,
    NonCompliant,
    NotApplicable,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::NotChecked,
        Status::Compliant,
        Status::Partial,
        Status::NonCompliant,
        Status::NotApplicable,
    ];

    /// The keyword used on the command line and in files.
    pub fn keyword(self) -> &'static str {
        match self {
            Status::NotChecked => "not-checked",
            Status::Compliant => "compliant",
            Status::Partial => "partial",
            Status::NonCompliant => "non-compliant",
            Status::NotApplicable => "not-applicable",
        }
    }

    pub fn from_keyword(word: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.keyword() == word)
    }

    pub fn label(self) -> Text {
        match self {
            Status::NotChecked => Text::new("未检查", "not checked"),
            Status::Compliant => Text::new("符合", "compliant"),
            Status::Partial => Text::new("部分符合", "partly compliant"),
            Status::NonCompliant => Text::new("不符合", "non-compliant"),
            Status::NotApplicable => Text::new("不适用", "not applicable"),
        }
    }
}
