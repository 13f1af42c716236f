//! The checklist as the spreadsheet inspectors and enterprises exchange: one row per test point —
//! measure, test point, what is checked (检查项), force, status (结论), note (说明), legal basis,
//! evidence references, the automatic suggestions and how they were reviewed — and a sheet with the
//! case's identity and score. Written with rust_xlsxwriter, the cells as plain text and numbers so
//! any spreadsheet program reads them.

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use crate::case::CaseView;
use crate::checklist::Checklist;
use crate::i18n::Lang;
use crate::score::{CaseScore, Standing};

#[derive(Debug, thiserror::Error)]
pub enum SheetError {
    #[error("the spreadsheet cannot be written: {0}")]
    Xlsx(String),
}

impl From<XlsxError> for SheetError {
    fn from(e: XlsxError) -> Self {
        SheetError::Xlsx(e.to_string())
    }
}

/// Excel's limit on the characters of a cell: longer notes are cut, and say so.
const CELL_MAX: usize = 32_767;

fn cell(text: &str) -> String {
    if text.chars().count() <= CELL_MAX {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(CELL_MAX - 40).collect();
    cut.push_str(" …（超出表格单元格长度，已截断）");
    cut
}

/// The workbook of a case, in `lang`.
pub fn workbook(
    view: &CaseView,
    checklist: &Checklist,
    score: &CaseScore,
    lang: Lang,
) -> Result<Vec<u8>, SheetError> {
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let mut book = Workbook::new();
    let header = Format::new()
        .set_bold()
        .set_background_color("D9E2F3")
        .set_border(FormatBorder::Thin)
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    let wrap = Format::new()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_border(FormatBorder::Thin);

    let sheet = book.add_worksheet();
    sheet.set_name(l("检查表", "Checklist"))?;
    let columns: [(&str, f64); 12] = [
        (l("措施", "Measure"), 22.0),
        (l("检查项编号", "Test point"), 9.0),
        (l("检查项", "What is checked"), 46.0),
        (l("效力", "Force"), 16.0),
        (l("是否计入", "Counts"), 12.0),
        (l("结论", "Status"), 10.0),
        (l("说明", "Note"), 40.0),
        (l("依据", "Legal basis"), 40.0),
        (l("证据", "Evidence"), 10.0),
        (l("自动建议", "Automatic suggestions"), 40.0),
        (l("复核", "Review"), 14.0),
        (l("判定人", "Judged by"), 10.0),
    ];
    for (c, (title, width)) in columns.iter().enumerate() {
        let c = c as u16;
        sheet.write_string_with_format(0, c, *title, &header)?;
        sheet.set_column_width(c, *width)?;
    }
    let standing: std::collections::HashMap<&str, Standing> = score
        .clauses
        .iter()
        .flat_map(|c| c.points.iter())
        .map(|p| (p.testpoint.as_str(), p.standing))
        .collect();
    let mut row = 1u32;
    for clause in &checklist.clauses {
        for tp in &clause.test_points {
            let status = view.status(&tp.id);
            let assessment = view.assessment(&tp.id);
            let counts = match standing.get(tp.id.as_str()) {
                Some(Standing::Counts) => l("计入", "counts"),
                Some(Standing::Advisory) => l("鼓励性，不计分", "advisory"),
                Some(Standing::NotRequired) => l("条件不适用", "not required"),
                Some(Standing::OutOfScope) | None => l("不涉及该主体", "out of scope"),
            };
            let basis: Vec<String> = tp.basis.iter().map(|b| b.describe(lang)).collect();
            let evidence: Vec<String> = view
                .evidence
                .iter()
                .enumerate()
                .filter(|(_, e)| e.testpoint.as_deref() == Some(tp.id.as_str()))
                .map(|(i, _)| format!("E{}", i + 1))
                .collect();
            let suggestions: Vec<String> = view
                .suggestions
                .iter()
                .filter(|s| s.testpoint == tp.id)
                .map(|s| {
                    format!(
                        "[{}] {}",
                        s.suggested_status.label().get(lang),
                        s.evidence.get(lang)
                    )
                })
                .collect();
            let reviews: Vec<String> = view
                .suggestions
                .iter()
                .filter(|s| s.testpoint == tp.id)
                .map(|s| match s.review.as_str() {
                    "accepted" => l("已采纳", "accepted").to_string(),
                    "rejected" if s.reason.is_empty() => l("已驳回", "rejected").to_string(),
                    "rejected" => format!("{}：{}", l("已驳回", "rejected"), s.reason),
                    _ => l("待复核", "pending").to_string(),
                })
                .collect();
            let values = [
                format!("{} {}", clause.number(lang), clause.title.get(lang)),
                tp.id.clone(),
                tp.check.get(lang).to_string(),
                tp.force_label(checklist, lang),
                counts.to_string(),
                status.label().get(lang).to_string(),
                assessment.map(|a| a.note.clone()).unwrap_or_default(),
                basis.join("\n"),
                evidence.join(", "),
                suggestions.join("\n"),
                reviews.join("\n"),
                assessment.map(|a| a.actor.clone()).unwrap_or_default(),
            ];
            for (c, value) in values.iter().enumerate() {
                sheet.write_string_with_format(row, c as u16, cell(value), &wrap)?;
            }
            row += 1;
        }
    }
    sheet.set_freeze_panes(1, 2)?;
    sheet.autofilter(0, 0, row.saturating_sub(1).max(1), (columns.len() - 1) as u16)?;

    let about = book.add_worksheet();
    about.set_name(l("案件", "Case"))?;
    case_sheet(about, view, checklist, score, lang, &header, &wrap)?;
    Ok(book.save_to_buffer()?)
}

fn case_sheet(
    sheet: &mut Worksheet,
    view: &CaseView,
    checklist: &Checklist,
    score: &CaseScore,
    lang: Lang,
    header: &Format,
    wrap: &Format,
) -> Result<(), SheetError> {
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let c = &view.case;
    let t = &score.total;
    let pct = crate::score::pct;
    let rows: Vec<(&str, String)> = vec![
        (l("案件", "Case"), c.id.clone()),
        (l("被检查主体", "Subject"), c.subject.name.clone()),
        (
            l("统一社会信用代码", "Credit code"),
            c.subject.credit_code.clone(),
        ),
        (
            l("主体类型", "Roles"),
            crate::checklist::SubjectType::list(&c.subject.roles(), lang),
        ),
        (l("应用", "App"), c.app.name.clone()),
        (l("包名", "Package"), c.app.package.clone()),
        (l("版本", "Version"), c.app.version.clone()),
        (l("APP备案号", "Filing number"), c.app.filing.clone()),
        (
            l("签名证书SHA-256", "Certificate SHA-256"),
            c.app.cert_sha256.clone(),
        ),
        (
            l("检查表", "Checklist"),
            format!("{} {} ({})", checklist.id, checklist.version, c.checklist_hash),
        ),
        (
            l("检查人员", "Inspectors"),
            c.inspectors
                .iter()
                .map(|i| i.describe(lang))
                .collect::<Vec<_>>()
                .join(l("、", "; ")),
        ),
        (l("结论", "Verdict"), score.verdict.label().get(lang).to_string()),
        (l("得分", "Score"), pct(t.score)),
        (
            l("覆盖率", "Coverage"),
            format!("{} ({}/{})", pct(Some(t.coverage)), t.checked, t.applicable),
        ),
        (l("统计", "Counts"), t.counts(lang)),
    ];
    sheet.set_column_width(0, 20)?;
    sheet.set_column_width(1, 80)?;
    for (r, (k, v)) in rows.iter().enumerate() {
        sheet.write_string_with_format(r as u32, 0, *k, header)?;
        sheet.write_string_with_format(r as u32, 1, cell(v), wrap)?;
    }
    let first = rows.len() as u32 + 1;
    for (r, note) in (first..).zip(crate::score::scope_notes(score, lang)) {
        sheet.write_string_with_format(r, 1, cell(&note), wrap)?;
    }
    Ok(())
}
