//! Settings: language, the inspector's profile and defaults.

use crate::i18n::Lang;
use crate::ui::app::App;

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
        super::field(
            ui,
            l("检查人员姓名", "Inspector's name"),
            &mut self.settings.inspector,
            240.0,
        );
        super::field(
            ui,
            l("默认发文机关", "Default issuing authority"),
            &mut self.settings.authority,
            320.0,
        );
        super::field(
            ui,
            l("默认联系方式", "Default contact"),
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
    }
}
