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
    pub section: Vec<Spanned<RawSection>>,
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
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawLaw {
    pub id: Str,
    pub name_zh: Str,
    pub name_en: Str,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSection {
    pub id: Str,
    pub title_zh: Str,
    pub title_en: Str,
    pub scored: Option<bool>,
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
    pub text_zh: Str,
    pub text_en: Str,
    pub zh_provenance: Str,
    pub zh_note: Str,
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
}
