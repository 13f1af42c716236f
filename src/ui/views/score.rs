//! Score: per-section bars and the clause table, with the arithmetic behind each figure.

use crate::score::explain;
use crate::ui::app::App;

/// The Score view's own state.
#[derive(Default)]
pub struct ScoreState {
    /// Where the last spreadsheet was written.
    pub last_sheet: Option<std::path::PathBuf>,
}

impl App {
    pub(crate) fn score_ui(&mut self, ui: &mut egui::Ui) {
        let lang = self.settings.lang;
        let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
        if ui
            .button(l("导出Excel表格", "Export as a spreadsheet"))
            .on_hover_text(l(
                "每个检查项一行：结论、说明、依据、证据、自动建议及复核",
                "One row per test point: status, note, basis, evidence, suggestions and review",
            ))
            .clicked()
        {
            self.export_sheet();
        }
        let Some(case) = &self.case else { return };
        let s = &case.score;
        let pct = crate::score::pct;
        ui.heading(format!(
            "{}: {}",
            l("结论", "Verdict"),
            s.verdict.label().get(lang)
        ));
        let t = &s.total;
        ui.label(format!(
            "{} {}  ·  {} {} ({}/{})  ·  {} {} · {} {} · {} {} · {} {} · {} {}",
            l("得分", "Score"),
            pct(t.score),
            l("覆盖率", "Coverage"),
            pct(Some(t.coverage)),
            t.checked,
            t.applicable,
            l("符合", "compliant"),
            t.compliant,
            l("部分符合", "partial"),
            t.partial,
            l("不符合", "non-compliant"),
            t.non_compliant,
            l("未检查", "not checked"),
            t.not_checked,
            l("不适用", "not applicable"),
            t.not_applicable
        ));
        ui.small(format!(
            "{} {:.1} / {:.1} — {}",
            l("得分 = 加权得分 / 已检查权重 =", "Score = earned / possible ="),
            t.earned,
            t.possible,
            l("权重：高3 中2 低1；符合1 部分0.5 不符合0；任一高风险不符合即需责令整改", "weights high 3, medium 2, low 1; compliant 1, partial 0.5, non-compliant 0; any high-severity non-compliance requires rectification")
        ));
        // What roles, advisory test points and condition answers did to the figures above.
        for note in crate::score::scope_notes(s, lang) {
            ui.label(format!("· {note}"));
        }
        if !s.decisive.is_empty() {
            ui.colored_label(
                ui.visuals().error_fg_color,
                format!(
                    "{}: {}",
                    l("高风险不符合项", "High-severity non-compliance"),
                    s.decisive.join(", ")
                ),
            );
        }
        ui.separator();
        // Its own scroll position, from the top, and the wheel works anywhere over the view.
        egui::ScrollArea::vertical()
            .id_salt("score-scroll")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                for sec in &s.sections {
                    ui.horizontal(|ui| {
                        ui.label(egui::RichText::new(sec.title.get(lang)).strong());
                        ui.add(
                            egui::ProgressBar::new(sec.tally.score.unwrap_or(0.0) as f32)
                                .desired_width(220.0)
                                .text(pct(sec.tally.score)),
                        );
                        ui.label(format!(
                            "{} {}/{}",
                            l("覆盖", "coverage"),
                            sec.tally.checked,
                            sec.tally.applicable
                        ));
                    });
                    for c in s.clauses.iter().filter(|c| c.section == sec.id) {
                        let title = format!("  {} {}", c.id, c.title.get(lang));
                        if c.in_scope {
                            ui.label(format!("{title}  {}  {}", pct(c.tally.score), explain(&c.points)));
                        } else {
                            ui.weak(format!("{title}  — {}", l("不涉及该主体", "out of scope")));
                        }
                    }
                    ui.add_space(6.0);
                }
            });
    }
}

impl App {
    /// Writes the case's spreadsheet beside the notices (a free name), and says where.
    fn export_sheet(&mut self) {
        let Some(case) = &self.case else { return };
        let lang = self.settings.lang;
        let folder = self.settings.export_folder();
        let path = folder.join(format!(
            "{}-checklist-{}.xlsx",
            case.view.case.id,
            lang.pick("zh", "en")
        ));
        let path = crate::output::unique_name(&path);
        let written = crate::sheet::workbook(&case.view, &case.checklist, &case.score, lang)
            .map_err(|e| crate::ui::explain(&e, lang))
            .and_then(|bytes| {
                crate::output::write(&path, &bytes, false).map_err(|e| crate::ui::explain(&e, lang))
            });
        match written {
            Ok(()) => {
                self.score_view.last_sheet = Some(path.clone());
                self.info(format!(
                    "{} {}",
                    self.t("表格已保存到", "Spreadsheet saved to"),
                    path.display()
                ));
            }
            Err(e) => self.error(e),
        }
    }
}
