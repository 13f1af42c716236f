//! The notice: a rectification notice (责令整改通知书) or self-examination report as a PDF/A-2b
//! document, its PAdES signature, and verification of signed PDFs.

pub mod cert;
mod compose;
pub mod grounds;
pub mod issue;
pub mod layout;
pub mod pdf;
mod rectification;
pub mod rectification_report;
pub mod reinspection;
mod render;
pub mod sign;
pub mod verify;

use crate::case::{CaseView, EvidenceItem};
use crate::checklist::Checklist;
use crate::i18n::Lang;
use crate::package::PackageReport;
use crate::score::CaseScore;

/// The Song (宋体) face the document's text is set in: AR PL SungtiL GB (Arphic Public License),
/// all of GB2312; subset into the PDF.
pub static BODY_FONT: &[u8] = include_bytes!("../../assets/fonts/gbsn00lp.ttf");
/// The CJK sans face (the window's font), for what the Song face lacks (GBK beyond GB2312).
pub static FONT: &[u8] = include_bytes!("../../assets/fonts/wqy-microhei.ttc");
/// The font for what the CJK font lacks — emoji in a note or a name — (Noto Emoji, monochrome,
/// SIL OFL; the same one the window uses).
pub static FALLBACK_FONT: &[u8] = epaint_default_fonts::NOTO_EMOJI_REGULAR;
/// The serif face for Latin script in documents (DejaVu Serif, Bitstream Vera licence): the Song
/// face's own Latin letters are typewriter-like. Used for Latin only (see [`layout::Measure`]).
pub static LATIN_FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSerif.ttf");
/// The documents' font chain, first choice first; the first serves Latin script only.
pub static FONTS: [&[u8]; 4] = [LATIN_FONT, BODY_FONT, FONT, FALLBACK_FONT];

/// Which document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Kind {
    /// 责令整改通知书, from the administration to the enterprise.
    #[default]
    Rectification,
    /// 自查报告, by an enterprise about its own App.
    SelfExam,
    /// 检查记录: the inspection's internal record, with the checklist, test points and score that
    /// an enforcement notice does not carry.
    Record,
    /// 整改情况复查意见书: after a re-inspection, each finding of the rectification notice with
    /// its outcome.
    Reinspection,
}

impl Kind {
    pub fn keyword(self) -> &'static str {
        match self {
            Kind::Rectification => "rectification",
            Kind::SelfExam => "self-exam",
            Kind::Record => "record",
            Kind::Reinspection => "reinspection",
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
    /// When it is issued, on the authority's clock (its time zone).
    pub issued: chrono::NaiveDateTime,
    /// The authority's time zone, which every date and time of the document is in.
    pub tz: chrono_tz::Tz,
    pub deadline: chrono::NaiveDate,
    /// The issuing authority (for a self-examination report, the authority it is addressed to; its
    /// name may be empty).
    pub authority: crate::case::Authority,
    /// How to reach the handling division (or, in a self-examination report, the company).
    pub contact: String,
    /// A sample case's document: watermarked 示例 — 非正式文书, never signed.
    pub sample: bool,
    /// Who signs it digitally (the certificate's name), said on the page by the signature block.
    pub signer: Option<String>,
    /// The authority's seal image (PNG), drawn over its name and date when signed digitally.
    pub seal: Option<Vec<u8>>,
}

impl NoticeOptions {
    /// A UTC time stamp (RFC 3339, as the store keeps them) on the authority's clock.
    pub fn local(&self, rfc3339: &str) -> Option<chrono::NaiveDateTime> {
        chrono::DateTime::parse_from_rfc3339(rfc3339)
            .ok()
            .map(|t| t.with_timezone(&self.tz).naive_local())
    }

    /// When a piece of evidence was captured, as the document prints it: on the authority's clock
    /// when the file states its offset, else as the phone's clock said, with where it was read.
    pub fn captured(&self, c: &crate::case::capture::Capture) -> String {
        let from = c.source.label(self.lang);
        if let Ok(t) = chrono::DateTime::parse_from_rfc3339(&c.at) {
            let local = t.with_timezone(&self.tz).naive_local();
            return match self.lang {
                Lang::Zh => format!("{}（{from}）", self.time(local)),
                Lang::En => format!("{} ({from})", self.time(local)),
            };
        }
        match chrono::NaiveDateTime::parse_from_str(&c.at, "%Y-%m-%dT%H:%M:%S") {
            Ok(t) => match self.lang {
                Lang::Zh => format!(
                    "{} {}（设备时钟，{from}）",
                    self.date(t.date()),
                    t.format("%H:%M")
                ),
                Lang::En => format!(
                    "{} {} (the device's clock, {from})",
                    self.date(t.date()),
                    t.format("%H:%M")
                ),
            },
            Err(_) => c.at.clone(),
        }
    }

    /// A date as the document prints it: 2026年12月1日 / 1 December 2026.
    pub fn date(&self, d: chrono::NaiveDate) -> String {
        match self.lang {
            Lang::Zh => d.format("%Y年%-m月%-d日").to_string(),
            Lang::En => d.format("%-d %B %Y").to_string(),
        }
    }

    /// A time as the document prints it, with its zone: 2026年12月1日 10:05（Asia/Shanghai）.
    pub fn time(&self, t: chrono::NaiveDateTime) -> String {
        match self.lang {
            Lang::Zh => format!(
                "{} {}（{}）",
                self.date(t.date()),
                t.format("%H:%M"),
                self.tz.name()
            ),
            Lang::En => format!(
                "{} {} ({})",
                self.date(t.date()),
                t.format("%H:%M"),
                self.tz.name()
            ),
        }
    }
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
    let measure = layout::Measure::new(&FONTS).ok_or(NoticeError::Font)?;
    let mut flow = layout::Flow::new(measure);
    match options.kind {
        Kind::Rectification => rectification::compose(&mut flow, input, options),
        // In a later round after a rectification notice, the enterprise's report answers it.
        Kind::SelfExam => match rectification_report::follow_up(input, options) {
            f @ (Ok(_) | Err(reinspection::FollowUpError::Unjudged(_))) => {
                rectification_report::compose(&mut flow, input, options, f)
            }
            Err(_) => compose::compose(&mut flow, input, options),
        },
        Kind::Record => compose::compose(&mut flow, input, options),
        Kind::Reinspection => reinspection::compose(&mut flow, input, options),
    }
    let mut pages = flow.pages;
    if options.sample {
        watermark(&mut pages, options.lang);
    }
    Ok(pages)
}

/// Marks every page of a sample case's document as not an official one, under the text.
fn watermark(pages: &mut [Vec<layout::Op>], lang: Lang) {
    let text = lang.pick("示例 — 非正式文书", "SAMPLE — NOT AN OFFICIAL DOCUMENT");
    for page in pages.iter_mut() {
        let mark = |y: f32, size: f32| layout::Op::Text {
            x: layout::LEFT,
            y,
            size,
            text: text.to_string(),
            color: (200, 200, 200),
            bold: false,
        };
        page.insert(0, mark(layout::PAGE_H * 0.5, 40.0));
        page.insert(0, mark(layout::TOP * 0.6, 12.0));
    }
}

/// Lays out and renders the notice; returns the PDF bytes (unsigned).
pub fn generate(input: &NoticeInput<'_>, options: &NoticeOptions) -> Result<Vec<u8>, NoticeError> {
    let pages = layout_pages(input, options)?;
    let answering = options.kind == Kind::SelfExam && rectification_report::answers(input, options);
    let app = &input.view.case.app.name;
    let a = &options.authority.name;
    let n = &options.number;
    let title = match (options.kind, options.lang) {
        (Kind::Rectification, Lang::Zh) => format!("{a} 责令整改通知书 {n}"),
        (Kind::Rectification, Lang::En) => {
            format!("{a} Rectification Notice {n} (English translation)")
        }
        (Kind::SelfExam, Lang::Zh) if answering => format!("{app} 整改情况报告"),
        (Kind::SelfExam, Lang::En) if answering => format!("{app} rectification report"),
        (Kind::SelfExam, Lang::Zh) => format!("{app} 自查报告"),
        (Kind::SelfExam, Lang::En) => format!("{app} self-examination report"),
        (Kind::Record, Lang::Zh) => format!("{app} 检查记录"),
        (Kind::Record, Lang::En) => format!("{app} inspection record"),
        (Kind::Reinspection, Lang::Zh) => format!("{a} 整改情况复查意见书（{n}）"),
        (Kind::Reinspection, Lang::En) => format!("{a} Re-inspection Opinion ({n})"),
    };
    let author = match options.kind {
        Kind::SelfExam => input.view.case.subject.name.clone(),
        _ => a.clone(),
    };
    let meta = render::Meta {
        title,
        author,
        subject: format!("{} {}", input.view.case.app.name, input.view.case.app.package),
        keywords: vec![
            options.kind.keyword().to_string(),
            input.view.case.app.package.clone(),
            n.clone(),
        ],
    };
    render::render(
        &pages,
        &input.evidence,
        options.seal.as_deref(),
        &meta,
        options.lang,
        options.issued,
    )
}
