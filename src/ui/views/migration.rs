//! The case's checklist version, and moving the case to another one: the plan is shown in a
//! dialog and applied only when the inspector says so.

use crate::i18n::prefix;
use crate::ui::app::{App, Command};

impl App {
    /// "Checklist miit-2023-26 2026.1", with a button for each other version the tool knows.
    pub(crate) fn checklist_line(&mut self, ui: &mut egui::Ui) {
        let lang = self.settings.lang;
        let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
        let Some(case) = &self.case else { return };
        let mut wanted = None;
        ui.horizontal_wrapped(|ui| {
            ui.label(format!(
                "{}: {} {}  (SHA-256 {}…)",
                l("检查表", "Checklist"),
                case.checklist.id,
                case.checklist.version,
                prefix(&case.checklist.content_hash, 12)
            ));
            for v in &case.other_versions {
                if ui.button(format!("{} {v}…", l("迁移到", "Move to"))).clicked() {
                    wanted = Some(v.clone());
                }
            }
        });
        if let Some(v) = wanted {
            let id = case.view.case.id.clone();
            match self.store.migration_plan(&id, &v) {
                Ok(plan) => self.walker.migration = Some(plan),
                Err(e) => self.fail(&e),
            }
        }
        self.migration_dialog(ui.ctx());
    }

    fn migration_dialog(&mut self, ctx: &egui::Context) {
        let Some(plan) = &self.walker.migration else {
            return;
        };
        let lang = self.settings.lang;
        let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
        let list = |ids: &[String]| {
            if ids.is_empty() {
                "—".to_string()
            } else {
                ids.join(", ")
            }
        };
        let mut choice = None;
        egui::Modal::new(egui::Id::unique("checklist-migration")).show(ctx, |ui| {
            ui.set_max_width(560.0);
            ui.heading(format!(
                "{} {} → {}",
                l("迁移检查表版本", "Move to another checklist version"),
                plan.from_version,
                plan.to_version
            ));
            ui.label(l(
                "应用前请核对：原判定按检查项编号沿用；新增和有变化的检查项标记为需复查；删除的检查项上的判定移出案件（审计记录保留）。",
                "Check before applying: judgements carry over by test point id; new and changed test points are marked for re-check; judgements on removed test points leave the case (the audit log keeps them).",
            ));
            egui::Grid::new("migration-plan").num_columns(2).show(ui, |ui| {
                for (label, value) in [
                    (l("沿用原判定", "Carried over"), list(&plan.carried)),
                    (l("新增（需复查）", "New (to re-check)"), list(&plan.new)),
                    (l("有变化（需复查）", "Changed (to re-check)"), list(&plan.changed)),
                    (l("删除", "Removed"), list(&plan.removed)),
                    (
                        l("移出的判定", "Judgements leaving the case"),
                        list(
                            &plan
                                .removed_assessments
                                .iter()
                                .map(|a| format!("{} {}", a.testpoint, a.status.label().get(lang)))
                                .collect::<Vec<_>>(),
                        ),
                    ),
                    (
                        l("新增自动建议", "New suggestions"),
                        plan.suggestions_added.len().to_string(),
                    ),
                ] {
                    ui.label(label);
                    ui.label(value);
                    ui.end_row();
                }
            });
            ui.horizontal(|ui| {
                if ui.button(l("应用迁移", "Apply the move")).clicked() {
                    choice = Some(true);
                }
                if ui.button(l("取消", "Cancel")).clicked() {
                    choice = Some(false);
                }
            });
        });
        match choice {
            None => {}
            Some(false) => self.walker.migration = None,
            Some(true) => {
                let Some(plan) = self.walker.migration.take() else {
                    return;
                };
                self.send(Command::Migrate(Box::new(plan)));
            }
        }
    }
}
