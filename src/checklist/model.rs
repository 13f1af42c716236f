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
    /// Version of the file format: 1 (2026.1: sources, force and subjects per clause only) or 2
    /// (every test point with its own basis, force and subjects).
    #[serde(default = "schema_one")]
    pub schema: u32,
    /// What the checklist's authors want every reader to know about the text (e.g. the corrections
    /// made to the English translation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
    pub laws: Vec<Law>,
    /// The regulation's top-level parts (一、二、三、), when the file names them.
    #[serde(default)]
    pub parts: Vec<Part>,
    pub sections: Vec<Section>,
    /// Questions answered once per case that decide whether conditional test points apply.
    #[serde(default)]
    pub conditions: Vec<Condition>,
    pub clauses: Vec<Clause>,
    /// The exact text the checklist was read from: a case keeps it, so that the case is scored,
    /// walked and printed against this version even after the tool ships a newer one.
    #[serde(skip)]
    pub source: std::sync::Arc<str>,
}

fn schema_one() -> u32 {
    1
}

/// A law, regulation, rule or guidance document that test points cite.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Law {
    pub id: String,
    pub name: Text,
    /// What kind of instrument it is: only laws, regulations, rules and normative documents are
    /// sources of duties; guidance and standards are followed as methods (参照).
    #[serde(default = "LawKind::default_kind")]
    pub kind: LawKind,
    /// The texts its article numbers may refer to, oldest first. Empty in schema 1.
    #[serde(default)]
    pub versions: Vec<LawVersion>,
}

/// One text of a law: the date it was adopted or last amended (the date its article numbers refer
/// to) and when it took effect.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LawVersion {
    /// Adopted or amended on (ISO 8601).
    pub date: String,
    /// In force from (ISO 8601).
    pub in_force: String,
    /// Where its articles were confirmed against the text; `None`: not confirmed, so documents cite
    /// the law by name alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmed: Option<Text>,
    /// The article that empowers an administration to order rectification of a breach of this law
    /// (e.g. PIPL 第六十六条), when confirmed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub power: Option<Text>,
}

impl Law {
    /// The version in force on `date` (ISO 8601): the latest whose `in_force` is not after it.
    pub fn version_on(&self, date: &str) -> Option<&LawVersion> {
        self.versions.iter().rev().find(|v| v.in_force.as_str() <= date)
    }

    /// The power article a document dated `date` may cite: that of the version in force then, when
    /// its articles were confirmed.
    pub fn power_on(&self, date: &str) -> Option<&Text> {
        self.version_on(date)
            .filter(|v| v.confirmed.is_some())
            .and_then(|v| v.power.as_ref())
    }

    /// Whether a duty can rest on this instrument (guidance and standards are only followed).
    pub fn binding(&self) -> bool {
        self.kind.binding()
    }
}

/// A top-level part of the regulation (一、二、三、).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Part {
    pub id: String,
    pub title: Text,
    pub title_provenance: Provenance,
}

/// A question answered once per case (e.g. "does the App sell paid services?"); a conditional
/// test point applies only where the answer is yes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Condition {
    pub id: String,
    pub question: Text,
}

/// A part of the regulation that groups clauses. Unscored sections are carried as information only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    pub id: String,
    pub title: Text,
    pub scored: bool,
    /// The top-level part it belongs to, when the file names parts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub part: Option<String>,
    /// Where the Chinese heading comes from.
    #[serde(default = "Provenance::official")]
    pub title_provenance: Provenance,
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
    /// Where the Chinese title comes from (titles of measures 11–26 are not confirmed).
    #[serde(default = "Provenance::official")]
    pub title_provenance: Provenance,
    pub text: Text,
    /// Where the Chinese wording comes from.
    pub zh_provenance: Provenance,
    /// What is known about the Chinese wording's source, when it is not simply official.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zh_note: Option<String>,
    /// What a reader of the English should know (e.g. words the translation garbled).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en_note: Option<String>,
    /// Every subject type any of its test points binds.
    pub subjects: Vec<SubjectType>,
    /// The clause's own reference to the regulation (and, in schema 1, every source it names).
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
    /// The law's version (its `date`) the article number refers to; `None` in schema 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Whether the article was confirmed against that version's text. Unconfirmed articles are
    /// shown to inspectors but a document cites the law by name alone.
    #[serde(default)]
    pub confirmed: bool,
    /// Whether the instrument can be the source of a duty (false for guidance and standards, which
    /// are cited with 参照).
    #[serde(default = "yes")]
    pub binding: bool,
    /// The article that empowers correction of a breach of this very article, where it differs by
    /// article (the Cybersecurity Law); otherwise the law version's `power` applies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub power: Option<Text>,
}

fn yes() -> bool {
    true
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

    /// The citation as the walker and `checklist show` print it: with 参照 for guidance and
    /// standards, and a warning where the article number was not confirmed against the text.
    pub fn describe(&self, lang: crate::i18n::Lang) -> String {
        let mut s = self.cite(lang);
        if !self.binding {
            s = lang
                .pick(&format!("参照{s}"), &format!("{s} (followed as a method)"))
                .to_string();
        }
        if !self.article.is_empty() && !self.confirmed {
            s += lang.pick(
                "（条文未经核实，文书中仅引用名称）",
                " (article not confirmed: documents cite the name only)",
            );
        }
        s
    }

    /// The article a document dated `date` (ISO 8601) may print: only when it was confirmed and
    /// refers to the version of the law in force on that date. An article number of another text, or
    /// an unconfirmed one, must never appear in a legal act.
    pub fn article_on(&self, law: Option<&Law>, date: &str) -> Option<&Text> {
        let in_force = law.and_then(|l| l.version_on(date)).map(|v| v.date.as_str())?;
        (self.confirmed && !self.article.is_empty() && self.version.as_deref() == Some(in_force))
            .then_some(&self.article)
    }

    /// The power article a document dated `date` may cite for a breach of this basis: the basis's
    /// own, when its article holds on that date; else the law's, when confirmed for the text then in
    /// force.
    pub fn power_on<'a>(&'a self, law: Option<&'a Law>, date: &str) -> Option<&'a Text> {
        match &self.power {
            Some(p) => self.article_on(law, date).map(|_| p),
            None => law.and_then(|l| l.power_on(date)),
        }
    }

    /// The citation a document dated `date` may make: with the article where [`Self::article_on`]
    /// allows it, otherwise the law by name alone.
    pub fn cite_on(&self, law: Option<&Law>, date: &str, lang: crate::i18n::Lang) -> String {
        match self.article_on(law, date) {
            Some(_) => self.cite(lang),
            None => self.law_name.get(lang).to_string(),
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
    /// What the notice demands when this test point fails (for advisory test points, a
    /// recommendation: 建议…).
    pub demand: Text,
    /// Where the duty really comes from: instrument and article. In schema 1, the clause's.
    pub basis: Vec<LegalBasis>,
    /// Whether a failure is a breach (mandatory), a recommendation (advisory: 鼓励/倡导) or a
    /// breach only where the case's answer to `condition` is yes.
    pub force: Force,
    /// The id of the checklist's [`Condition`] a conditional test point depends on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
    /// Whom it binds.
    pub subjects: Vec<SubjectType>,
}

impl TestPoint {
    /// The force as a reader needs it: with the condition's question for conditional test points.
    pub fn force_label(&self, checklist: &Checklist, lang: crate::i18n::Lang) -> String {
        let force = self.force.label();
        match self.condition.as_deref().and_then(|c| checklist.condition(c)) {
            Some(c) => format!(
                "{}{}{}",
                force.get(lang),
                lang.pick("：仅当", ": only where the answer is yes to "),
                c.question.get(lang)
            ),
            None => force.get(lang).to_string(),
        }
    }

    /// Whether it binds any of these roles.
    pub fn binds_any(&self, roles: &[SubjectType]) -> bool {
        self.subjects.iter().any(|s| roles.contains(s))
    }
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

            /// The name shown to people, in one language (borrowed: nothing to allocate).
            pub fn label_in(self, lang: crate::i18n::Lang) -> &'static str {
                match self { $($name::$variant => lang.pick($zh, $en),)+ }
            }

            /// Values as a reader lists them: APP开发运营者、SDK服务提供者 / …, SDK provider.
            pub fn list(values: &[Self], lang: crate::i18n::Lang) -> String {
                let names: Vec<&str> = values.iter().map(|v| v.label_in(lang)).collect();
                names.join(lang.pick("、", ", "))
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
        WebsiteOperator = "website-operator", "网站及浏览器运营者", "website or browser operator";
    }
}

keyword_enum! {
    /// Whether a failed test point is a breach.
    Force {
        Mandatory = "mandatory", "强制性要求", "mandatory";
        Advisory = "advisory", "鼓励性要求（建议）", "advisory (encouraged)";
        Conditional = "conditional", "附条件的要求", "conditional";
    }
}

keyword_enum! {
    /// What kind of instrument a law is.
    LawKind {
        Law = "law", "法律", "law";
        AdministrativeRegulation = "administrative-regulation", "行政法规", "administrative regulation";
        DepartmentRule = "department-rule", "部门规章", "departmental rule";
        NormativeDocument = "normative-document", "规范性文件", "normative document";
        Guidance = "guidance", "指导性文件（参照）", "guidance (followed, not a source of duties)";
        Standard = "standard", "标准（参照）", "standard (followed, not a source of duties)";
    }
}

impl LawKind {
    fn default_kind() -> Self {
        LawKind::NormativeDocument
    }

    /// Whether a duty can rest on an instrument of this kind.
    pub fn binding(self) -> bool {
        !matches!(self, LawKind::Guidance | LawKind::Standard)
    }
}

keyword_enum! {
    /// Where a clause's Chinese wording comes from.
    Provenance {
        Official = "official", "官方原文", "official text";
        Translation = "translation", "译文（非官方）", "translation (unofficial)";
    }
}

impl Provenance {
    fn official() -> Self {
        Provenance::Official
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

impl Clause {
    /// How a reader names the measure: 第9项 / Measure 9. The Notice numbers measures (一、（三）9);
    /// it has no articles, so never 第9条.
    pub fn number(&self, lang: crate::i18n::Lang) -> String {
        if self.id == self.section {
            return self.id.clone();
        }
        lang.pick(&format!("第{}项", self.id), &format!("Measure {}", self.id))
            .to_string()
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

    /// Whether a clause's section counts in scores (sections carried as information do not).
    pub fn scored(&self, clause: &Clause) -> bool {
        self.section(&clause.section).is_none_or(|s| s.scored)
    }

    /// The law with this id.
    pub fn law(&self, id: &str) -> Option<&Law> {
        self.laws.iter().find(|l| l.id == id)
    }

    /// The condition with this id.
    pub fn condition(&self, id: &str) -> Option<&Condition> {
        self.conditions.iter().find(|c| c.id == id)
    }
}
