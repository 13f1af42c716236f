//! The checklist file as written, before validation. Every value keeps its place in the file
//! (`Spanned`) so that a mistake can be reported with its line.

use serde::Deserialize;
use toml::Spanned;

pub(crate) type Str = Option<Spanned<String>>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFile {
    pub checklist: Option<Spanned<RawHeader>>,
    #[serde(default)]
    pub law: Vec<Spanned<RawLaw>>,
    #[serde(default)]
    pub part: Vec<Spanned<RawPart>>,
    #[serde(default)]
    pub section: Vec<Spanned<RawSection>>,
    #[serde(default)]
    pub condition: Vec<Spanned<RawCondition>>,
    #[serde(default)]
    pub clause: Vec<Spanned<RawClause>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawHeader {
    pub id: Str,
    pub version: Str,
    pub title_zh: Str,
    pub title_en: Str,
    pub document_zh: Str,
    pub document_en: Str,
    pub authority_zh: Str,
    pub authority_en: Str,
    pub issued: Str,
    /// How many numbered clauses the regulation has: ids must be exactly "1"…"N".
    pub clause_count: Option<Spanned<i64>>,
    /// File format version: absent or 1, or 2 (per-test-point basis, force and subjects).
    pub schema: Option<Spanned<i64>>,
    pub note_zh: Str,
    pub note_en: Str,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawLaw {
    pub id: Str,
    pub name_zh: Str,
    pub name_en: Str,
    pub kind: Str,
    #[serde(default)]
    pub version: Vec<Spanned<RawLawVersion>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawLawVersion {
    pub date: Str,
    pub in_force: Str,
    pub confirmed_zh: Str,
    pub confirmed_en: Str,
    pub power_zh: Str,
    pub power_en: Str,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPart {
    pub id: Str,
    pub title_zh: Str,
    pub title_en: Str,
    pub title_provenance: Str,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCondition {
    pub id: Str,
    pub question_zh: Str,
    pub question_en: Str,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSection {
    pub id: Str,
    pub title_zh: Str,
    pub title_en: Str,
    pub scored: Option<bool>,
    pub part: Str,
    pub title_provenance: Str,
    pub text_zh: Str,
    pub text_en: Str,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawClause {
    pub id: Str,
    pub section: Str,
    pub title_zh: Str,
    pub title_en: Str,
    pub title_provenance: Str,
    pub text_zh: Str,
    pub text_en: Str,
    pub zh_provenance: Str,
    pub zh_note: Str,
    pub en_note: Str,
    #[serde(default)]
    pub subjects: Vec<Spanned<String>>,
    #[serde(default)]
    pub basis: Vec<Spanned<RawBasis>>,
    #[serde(default)]
    pub testpoint: Vec<Spanned<RawTestPoint>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawBasis {
    pub law: Str,
    pub version: Str,
    pub power_zh: Str,
    pub power_en: Str,
    pub article_zh: Str,
    pub article_en: Str,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTestPoint {
    pub id: Str,
    pub check_zh: Str,
    pub check_en: Str,
    pub method: Str,
    pub evidence_zh: Str,
    pub evidence_en: Str,
    pub severity: Str,
    pub threshold_zh: Str,
    pub threshold_en: Str,
    #[serde(default)]
    pub rules: Vec<Spanned<String>>,
    pub demand_zh: Str,
    pub demand_en: Str,
    #[serde(default)]
    pub basis: Vec<Spanned<RawBasis>>,
    pub force: Str,
    pub condition: Str,
    #[serde(default)]
    pub subjects: Vec<Spanned<String>>,
}
