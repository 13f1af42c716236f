//! What a checklist is once loaded and validated: the clauses of one regulation and the test points
//! an inspector walks through. These are the structs that `checklist show --json` prints.

use serde::{Deserialize, Serialize};

use crate::i18n::Text;

/// One regulation as a checklist, validated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Checklist {
    /// Stable id, e.g. `miit-2023-26`.
    pub id: String,
    /// Revision of this checklist file (not of the regulation).
    pub version: String,
    pub title: Text,
    /// The regulation's document number, e.g. 工信部信管函〔2023〕26号.
    pub document: Text,
    pub authority: Text,
    /// Date the regulation was issued (ISO 8601).
    pub issued: String,
    /// SHA-256 of the checklist file (line endings normalised), so that a case records exactly which
    /// version of the checklist it was judged against.
    pub content_hash: String,
    pub laws: Vec<Law>,
    pub sections: Vec<Section>,
    pub clauses: Vec<Clause>,
    /// The exact text the checklist was read from: a case keeps it, so that the case is scored,
    /// walked and printed against this version even after the tool ships a newer one.
    #[serde(skip)]
    pub source: std::sync::Arc<str>,
}

/// A law, regulation or rule that clauses cite as their legal basis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Law {
    pub id: String,
    pub name: Text,
}

/// A part of the regulation that groups clauses. Unscored sections are carried as information only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    pub id: String,
    pub title: Text,
    pub scored: bool,
    /// Body text, for sections carried as information (e.g. the Notice's work requirements).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<Text>,
}

/// One numbered measure of the regulation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Clause {
    pub id: String,
    pub section: String,
    pub title: Text,
    pub text: Text,
    /// Where the Chinese wording comes from.
    pub zh_provenance: Provenance,
    /// What is known about the Chinese wording's source, when it is not simply official.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zh_note: Option<String>,
    pub subjects: Vec<SubjectType>,
    pub legal_basis: Vec<LegalBasis>,
    pub test_points: Vec<TestPoint>,
}

/// A citation: which law and which article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LegalBasis {
    pub law: String,
    pub law_name: Text,
    /// Article or part cited; empty when the law is cited as a whole.
    pub article: Text,
}

impl LegalBasis {
    /// The citation as an inspector writes it, e.g. 《个人信息保护法》第十七条.
    pub fn cite(&self, lang: crate::i18n::Lang) -> String {
        let article = self.article.get(lang);
        match (lang, article.is_empty()) {
            (_, true) => self.law_name.get(lang).to_string(),
            (crate::i18n::Lang::Zh, false) => format!("{}{}", self.law_name.zh, article),
            (crate::i18n::Lang::En, false) => format!("{}, {}", self.law_name.en, article),
        }
    }
}

/// One concrete thing an inspector checks and decides.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TestPoint {
    /// `<clause>.<n>`, e.g. `10.3`.
    pub id: String,
    /// What to check.
    pub check: Text,
    pub method: Method,
    /// What evidence proves the result.
    pub evidence: Text,
    pub severity: Severity,
    /// Numeric limits from the related standards, when there are any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub threshold: Option<Text>,
    /// Ids of the automatic rules (see [`super::rules`]) that can prefill this test point.
    pub rules: Vec<String>,
    /// What the notice demands when this test point fails.
    pub demand: Text,
}

macro_rules! keyword_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $word:literal, $zh:literal, $en:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $(#[serde(rename = $word)] $variant,)+
        }

        impl $name {
            /// Every value, in order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The keyword used in checklist files and on the command line.
            pub fn keyword(self) -> &'static str {
                match self { $($name::$variant => $word,)+ }
            }

            /// The name shown to people.
            pub fn label(self) -> Text {
                match self { $($name::$variant => Text::new($zh, $en),)+ }
            }

            /// Reads a keyword; `None` when it is not one of [`Self::ALL`].
            pub fn from_keyword(word: &str) -> Option<Self> {
                match word { $($word => Some($name::$variant),)+ _ => None }
            }

            /// The accepted keywords, for error messages.
            pub fn keywords() -> String {
                Self::ALL.iter().map(|v| v.keyword()).collect::<Vec<_>>().join(", ")
            }
        }
    };
}

keyword_enum! {
    /// How a test point is checked.
    Method {
        Automatic = "automatic", "自动分析", "automatic analysis";
        Screenshot = "screenshot", "截图/录屏", "screenshot or recording";
        Document = "document", "文档审查", "document review";
        Interview = "interview", "询问核查", "interview";
        Dynamic = "dynamic", "动态检测", "dynamic testing";
    }
}

keyword_enum! {
    /// How much a failure weighs.
    Severity {
        High = "high", "高", "high";
        Medium = "medium", "中", "medium";
        Low = "low", "低", "low";
    }
}

keyword_enum! {
    /// Who a clause binds.
    SubjectType {
        AppOperator = "app-operator", "APP开发运营者", "App developer and operator";
        DistributionPlatform = "distribution-platform", "应用分发平台", "App distribution platform";
        SdkProvider = "sdk-provider", "SDK服务提供者", "SDK provider";
        TerminalMaker = "terminal-maker", "终端生产企业", "terminal manufacturer";
        AccessProvider = "access-provider", "网络接入服务提供者", "network access provider";
    }
}

keyword_enum! {
    /// Where a clause's Chinese wording comes from.
    Provenance {
        Official = "official", "官方原文", "official text";
        Translation = "translation", "译文（非官方）", "translation (unofficial)";
    }
}

impl Severity {
    /// Weight in the score: high 3, medium 2, low 1.
    pub fn weight(self) -> u32 {
        match self {
            Severity::High => 3,
            Severity::Medium => 2,
            Severity::Low => 1,
        }
    }
}

impl Checklist {
    /// The clause with this id.
    pub fn clause(&self, id: &str) -> Option<&Clause> {
        self.clauses.iter().find(|c| c.id == id)
    }

    /// The test point with this id (`10.3`).
    pub fn test_point(&self, id: &str) -> Option<(&Clause, &TestPoint)> {
        self.clauses
            .iter()
            .flat_map(|c| c.test_points.iter().map(move |t| (c, t)))
            .find(|(_, t)| t.id == id)
    }

    /// Every test point, in order.
    pub fn test_points(&self) -> impl Iterator<Item = &TestPoint> {
        self.clauses.iter().flat_map(|c| c.test_points.iter())
    }

    /// The section with this id.
    pub fn section(&self, id: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.id == id)
    }
}
