//! Settings: language, the inspector's profile and defaults.

use crate::i18n::Lang;
use crate::ui::app::{App, Command};

/// The Settings view's own state.
#[derive(Default)]
pub struct SettingsState {
    /// The authority profile being edited.
    pub authority_draft: crate::case::Authority,
}

impl App {
    pub(crate) fn settings_ui(&mut self, ui: &mut egui::Ui) {
        let lang = self.settings.lang;
        let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
        ui.heading(l("设置", "Settings"));
        let before = self.settings.lang;
        ui.horizontal(|ui| {
            ui.label(l("界面语言", "Language"));
            ui.radio_value(&mut self.settings.lang, Lang::Zh, "简体中文");
            ui.radio_value(&mut self.settings.lang, Lang::En, "English");
        });
        ui.horizontal(|ui| {
            use crate::ui::theme::ThemeChoice;
            ui.label(l("外观", "Theme"));
            for (choice, label) in [
                (ThemeChoice::System, l("跟随系统", "As the system")),
                (ThemeChoice::Light, l("浅色", "Light")),
                (ThemeChoice::Dark, l("深色", "Dark")),
            ] {
                if ui.radio_value(&mut self.settings.theme, choice, label).changed() {
                    self.save_settings();
                }
            }
        });
        ui.horizontal(|ui| {
            let label = ui.label(l("文字大小", "Text size"));
            let r = ui
                .add(
                    egui::Slider::new(&mut self.settings.text_scale, crate::ui::theme::TEXT_SCALE)
                        .step_by(0.1)
                        .custom_formatter(|v, _| format!("{:.0}%", v * 100.0)),
                )
                .labelled_by(label.id);
            if r.drag_stopped() || (r.changed() && !r.dragged()) {
                self.save_settings();
            }
        });
        super::field(
            ui,
            l("检查人员姓名", "Inspector's name"),
            &mut self.settings.inspector,
            240.0,
        );
        super::field(
            ui,
            l(
                "默认联系方式（覆盖发文机关的）",
                "Default contact (overrides the authority's)",
            ),
            &mut self.settings.contact,
            400.0,
        );
        ui.horizontal(|ui| {
            ui.label(l("默认整改期限（天）", "Default deadline (days)"));
            ui.add(egui::DragValue::new(&mut self.settings.deadline_days).range(1..=365));
        });
        super::field(
            ui,
            l("默认签名证书", "Default signing certificate"),
            &mut self.settings.p12_path,
            320.0,
        );
        ui.label(format!(
            "{}: {}",
            l("案件数据库", "Case database"),
            self.db.display()
        ));
        if ui.button(l("保存设置", "Save settings")).clicked() || before != self.settings.lang {
            self.save_settings();
        }
        ui.separator();
        self.authorities_ui(ui);
    }

    /// The issuing authorities: pick one to edit, or fill in a new one; saved as a profile the
    /// notice's header, 文号, rights and dates come from.
    fn authorities_ui(&mut self, ui: &mut egui::Ui) {
        let lang = self.settings.lang;
        let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
        ui.heading(l("发文机关", "Issuing authorities"));
        if self.authorities.is_none() {
            self.authorities = self.store.authorities().ok();
        }
        let profiles = self.authorities.clone().unwrap_or_default();
        ui.horizontal_wrapped(|ui| {
            for a in &profiles {
                let chosen = self.settings_view.authority_draft.name == a.name;
                if ui.selectable_label(chosen, &a.name).clicked() {
                    self.settings_view.authority_draft = a.clone();
                }
            }
            if ui.button(l("新建发文机关", "New authority")).clicked() {
                self.settings_view.authority_draft = crate::case::Authority::default();
            }
        });
        let d = &mut self.settings_view.authority_draft;
        egui::Grid::new("authority-form").num_columns(2).show(ui, |ui| {
            for (label, value, hint) in [
                (l("机关名称", "Name"), &mut d.name, "广东省通信管理局"),
                (l("机关代字", "Number prefix"), &mut d.prefix, "粤通管责改"),
                (
                    l("复议机关", "Reconsideration body"),
                    &mut d.reconsideration,
                    "工业和信息化部",
                ),
                (l("诉讼法院", "Court"), &mut d.court, "广州铁路运输法院"),
                (l("时区", "Time zone"), &mut d.timezone, "Asia/Shanghai"),
                (l("地址", "Address"), &mut d.address, ""),
                (
                    l("承办处室联系方式", "Division contact"),
                    &mut d.contact,
                    "网络安全管理处 020-…",
                ),
            ] {
                let label = ui.label(label);
                ui.add(
                    egui::TextEdit::singleline(value)
                        .hint_text(hint)
                        .desired_width(360.0),
                )
                .labelled_by(label.id);
                ui.end_row();
            }
        });
        if ui.button(l("保存发文机关", "Save authority")).clicked() {
            self.send(Command::SaveAuthority(Box::new(
                self.settings_view.authority_draft.clone(),
            )));
        }
    }
}
