//! The notice: a rectification notice (责令整改通知书) or self-examination report as a PDF/A-2b
//! document, its PAdES signature, and verification of signed PDFs.

pub mod cert;
mod compose;
pub mod issue;
pub mod layout;
pub mod pdf;
mod render;
pub mod sign;
pub mod verify;

use crate::case::{CaseView, EvidenceItem};
use crate::checklist::Checklist;
use crate::i18n::Lang;
use crate::package::PackageReport;
use crate::score::CaseScore;

/// The CJK font the notice is set in (subset into the PDF).
pub static FONT: &[u8] = include_bytes!("../../assets/fonts/wqy-microhei.ttc");
/// The font for what the CJK font lacks — emoji in a note or a name — (Noto Emoji, monochrome,
/// SIL OFL; the same one the window uses).
pub static FALLBACK_FONT: &[u8] = epaint_default_fonts::NOTO_EMOJI_REGULAR;

/// Which document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    /// 责令整改通知书, from the administration to the enterprise.
    Rectification,
    /// 自查报告, by an enterprise about its own App.
    SelfExam,
}

impl Kind {
    pub fn keyword(self) -> &'static str {
        match self {
            Kind::Rectification => "rectification",
            Kind::SelfExam => "self-exam",
        }
    }
}

/// How the notice is issued.
#[derive(Debug, Clone)]
pub struct NoticeOptions {
    pub kind: Kind,
    pub lang: Lang,
    /// 文号.
    pub number: String,
    pub issued: chrono::NaiveDateTime,
    pub deadline: chrono::NaiveDate,
    /// The issuing authority (or, for a self-examination report, ignored in favour of the subject).
    pub authority: String,
    /// How to reach the handling division.
    pub contact: String,
}

/// A piece of evidence with its bytes, for the appendix.
pub struct EvidenceImage {
    pub item: EvidenceItem,
    pub bytes: Vec<u8>,
    /// Pixel size, for images.
    pub pixels: Option<(u32, u32)>,
}

/// Everything a notice is made from.
pub struct NoticeInput<'a> {
    pub view: &'a CaseView,
    pub report: Option<&'a PackageReport>,
    pub checklist: &'a Checklist,
    pub score: &'a CaseScore,
    pub evidence: Vec<EvidenceImage>,
}

#[derive(Debug, thiserror::Error)]
pub enum NoticeError {
    #[error("the CJK font shipped with App Inspector cannot be read")]
    Font,
    #[error("the page layout failed")]
    Layout,
    #[error("the PDF cannot be written: {0}")]
    Pdf(String),
}

/// Lays the notice out: its pages as drawing operations (the PDF and the window's preview).
pub fn layout_pages(
    input: &NoticeInput<'_>,
    options: &NoticeOptions,
) -> Result<Vec<Vec<layout::Op>>, NoticeError> {
    let measure = layout::Measure::new(FONT, FALLBACK_FONT).ok_or(NoticeError::Font)?;
    let mut flow = layout::Flow::new(measure);
    compose::compose(&mut flow, input, options);
    Ok(flow.pages)
}

/// Lays out and renders the notice; returns the PDF bytes (unsigned).
pub fn generate(input: &NoticeInput<'_>, options: &NoticeOptions) -> Result<Vec<u8>, NoticeError> {
    let pages = layout_pages(input, options)?;
    let title = match (options.kind, options.lang) {
        (Kind::Rectification, Lang::Zh) => format!("{} 责令整改通知书 {}", options.authority, options.number),
        (Kind::Rectification, Lang::En) => {
            format!("{} Rectification Notice {}", options.authority, options.number)
        }
        (Kind::SelfExam, Lang::Zh) => format!("{} 自查报告", input.view.case.app.name),
        (Kind::SelfExam, Lang::En) => format!("{} self-examination report", input.view.case.app.name),
    };
    render::render(&pages, &input.evidence, &title, options.lang, options.issued)
}
