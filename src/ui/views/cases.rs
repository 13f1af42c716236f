//! Cases: the list with search, a new case from a package, importing a bundle.

use crate::case::{CaseState, CaseSummary};
use crate::checklist::SubjectType;
use crate::score::Verdict;
use crate::ui::app::{App, Command, Pick, View};

/// The case list's own state: the new-case form, the list's filters and the bundle to import.
#[derive(Default)]
pub struct CasesState {
    pub package_path: String,
    pub subject_name: String,
    /// The roles ticked in the new-case form; none ticked means App operator.
    pub roles: Vec<crate::checklist::SubjectType>,
    pub credit_code: String,
    pub address: String,
    /// The new case's APP备案号.
    pub filing: String,
    /// The new case's inspectors as typed: 张三=粤A0001；李四=粤A0002.
    pub inspectors: String,
    pub filter: String,
    /// Show only cases in these states (None: any).
    pub state_filter: Option<StateChoice>,
    pub verdict_filter: Option<crate::score::Verdict>,
    /// Show only cases past their rectification deadline.
    pub overdue_only: bool,
    /// Sort by rectification deadline (overdue first, then the nearest), not by creation.
    pub by_deadline: bool,
    pub bundle_path: String,
}

/// The case list's state filter: the cases still going, the finished ones, or one state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StateChoice {
    /// Not closed or escalated.
    Active,
    /// Closed or escalated.
    Finished,
    Exactly(CaseState),
}

impl StateChoice {
    pub const ALL: [StateChoice; 8] = [
        StateChoice::Active,
        StateChoice::Exactly(CaseState::Open),
        StateChoice::Exactly(CaseState::NoticeIssued),
        StateChoice::Exactly(CaseState::RectificationReported),
        StateChoice::Exactly(CaseState::Reinspected),
        StateChoice::Finished,
        StateChoice::Exactly(CaseState::Closed),
        StateChoice::Exactly(CaseState::Escalated),
    ];

    pub fn admits(self, state: CaseState) -> bool {
        match self {
            StateChoice::Active => !state.is_final(),
            StateChoice::Finished => state.is_final(),
            StateChoice::Exactly(s) => s == state,
        }
    }

    pub fn label(self, lang: crate::i18n::Lang) -> &'static str {
        match self {
            StateChoice::Active => lang.pick("进行中（未结束）", "Active"),
            StateChoice::Finished => lang.pick("已结束（结案或移交）", "Finished"),
            StateChoice::Exactly(s) => s.short(lang),
        }
    }
}

impl App {
    pub(crate) fn cases_ui(&mut self, ui: &mut egui::Ui) {
        if self.cases.is_empty() {
            ui.group(|ui| {
                ui.strong(self.t("第一次使用？", "New here?"));
                ui.label(self.t(
                    "打开一个示例案件（合成的安装包、两张合成截图和几条检查结论），看看每个页面的样子。示例可以像普通案件一样修改或删除。",
                    "Open a sample case (a synthetic package, two synthetic screenshots and a few findings) to see every view with content. It is a case like any other.",
                ));
                if ui.button(self.t("打开示例案件", "Open the sample case")).clicked() {
                    self.send(Command::Sample);
                }
            });
            ui.add_space(8.0);
        }
        ui.heading(self.t("新案件", "New case"));
        ui.label(self.t(
            "选择或拖入安装包（APK），填写被检查主体，然后新建。",
            "Choose or drop an App package (APK), name the subject, then create the case.",
        ));
        let lang = self.settings.lang;
        super::field(
            ui,
            lang.pick("安装包路径", "Package path"),
            &mut self.case_list.package_path,
            480.0,
        );
        ui.horizontal(|ui| {
            if ui.button(lang.pick("选择安装包…", "Choose package…")).clicked() {
                self.pick(Pick::Package);
            }
        });
        super::field(
            ui,
            lang.pick("被检查主体名称", "Subject name"),
            &mut self.case_list.subject_name,
            320.0,
        );
        // An enterprise often holds several roles (a phone maker runs a store and push SDKs): each
        // ticked role brings its test points into the case.
        if self.case_list.roles.is_empty() {
            self.case_list.roles.push(SubjectType::AppOperator);
        }
        ui.horizontal_wrapped(|ui| {
            ui.label(lang.pick("主体类型（可多选）：", "Roles (tick all that apply):"));
            for t in SubjectType::ALL {
                let mut on = self.case_list.roles.contains(t);
                if ui.checkbox(&mut on, t.label().get(lang)).changed() {
                    if on {
                        self.case_list.roles.push(*t);
                    } else if self.case_list.roles.len() > 1 {
                        self.case_list.roles.retain(|r| r != t);
                    }
                }
            }
        });
        super::field(
            ui,
            lang.pick("统一社会信用代码", "Unified social credit code"),
            &mut self.case_list.credit_code,
            240.0,
        );
        super::field(
            ui,
            lang.pick("主体地址", "Subject address"),
            &mut self.case_list.address,
            480.0,
        );
        super::field(
            ui,
            lang.pick("APP备案号", "App filing number"),
            &mut self.case_list.filing,
            240.0,
        );
        if self.case_list.inspectors.is_empty() {
            self.case_list.inspectors = self.settings.inspector.clone();
        }
        super::field(
            ui,
            lang.pick(
                "检查人员（姓名=执法证号，以；分隔）",
                "Inspectors (name=certificate number, separated by ;)",
            ),
            &mut self.case_list.inspectors,
            480.0,
        );
        let path = self.case_list.package_path.trim().to_string();
        let busy = self.new_case_running();
        if ui
            .add_enabled(
                !path.is_empty() && !busy,
                egui::Button::new(lang.pick("新建案件", "Create case")),
            )
            .on_disabled_hover_text(lang.pick(
                "填写安装包路径；正在分析的安装包完成前不能再次新建",
                "Give the package path; wait for the package being analysed",
            ))
            .clicked()
        {
            self.send(Command::NewCase(path.into()));
        }
        ui.separator();
        ui.horizontal(|ui| {
            super::field(
                ui,
                lang.pick("案件包路径", "Bundle path"),
                &mut self.case_list.bundle_path,
                360.0,
            );
            if ui.button(lang.pick("选择…", "Choose…")).clicked() {
                self.pick(Pick::Bundle);
            }
            let bundle = self.case_list.bundle_path.trim().to_string();
            if ui
                .add_enabled(
                    !bundle.is_empty(),
                    egui::Button::new(lang.pick("导入案件包", "Import bundle")),
                )
                .clicked()
            {
                self.send(Command::Import(bundle.into()));
            }
        });
        ui.separator();
        ui.heading(self.t("案件列表", "Cases"));
        ui.horizontal(|ui| {
            super::field(
                ui,
                lang.pick("搜索案件", "Search cases"),
                &mut self.case_list.filter,
                260.0,
            );
            let state_text = self
                .case_list
                .state_filter
                .map_or(lang.pick("全部状态", "Any state"), |c| c.label(lang));
            egui::ComboBox::from_label(lang.pick("状态", "State"))
                .selected_text(state_text)
                .show_ui(ui, |ui| {
                    ui.selectable_value(
                        &mut self.case_list.state_filter,
                        None,
                        lang.pick("全部状态", "Any state"),
                    );
                    for c in StateChoice::ALL {
                        ui.selectable_value(&mut self.case_list.state_filter, Some(c), c.label(lang));
                    }
                });
            let verdict_text = self
                .case_list
                .verdict_filter
                .map_or(lang.pick("全部结论", "Any verdict").to_string(), |v| {
                    v.label().get(lang).to_string()
                });
            egui::ComboBox::from_label(lang.pick("结论", "Verdict"))
                .selected_text(verdict_text)
                .show_ui(ui, |ui| {
                    ui.selectable_value(
                        &mut self.case_list.verdict_filter,
                        None,
                        lang.pick("全部结论", "Any verdict"),
                    );
                    for v in Verdict::ALL {
                        ui.selectable_value(
                            &mut self.case_list.verdict_filter,
                            Some(*v),
                            v.label().get(lang),
                        );
                    }
                });
            ui.checkbox(
                &mut self.case_list.overdue_only,
                lang.pick("只看逾期", "Overdue only"),
            );
            ui.checkbox(
                &mut self.case_list.by_deadline,
                lang.pick("按整改期限排序", "Sort by deadline"),
            );
        });
        let filter = self.case_list.filter.to_lowercase();
        let zone = self.zone();
        let (state_filter, verdict) = (self.case_list.state_filter, self.case_list.verdict_filter);
        let overdue_only = self.case_list.overdue_only;
        let verdicts = &self.verdicts;
        let mut shown: Vec<&CaseSummary> = self
            .cases
            .iter()
            .filter(|c| {
                (filter.is_empty()
                    || c.id.contains(&filter)
                    || c.subject_name.to_lowercase().contains(&filter)
                    || c.app_name.to_lowercase().contains(&filter)
                    || c.app_package.contains(&filter)
                    || c.created_at.starts_with(&filter)
                    || c.roles.iter().any(|r| r.label().get(lang).contains(&filter)))
                    && state_filter.is_none_or(|f| f.admits(c.state))
                    && verdict.is_none_or(|v| verdicts.get(&c.id) == Some(&v))
                    && (!overdue_only || c.overdue)
            })
            .collect();
        if self.case_list.by_deadline {
            // Overdue first, then the nearest deadline; cases without one last, as listed.
            shown.sort_by_key(|c| (!c.overdue, c.days_left.is_none(), c.days_left.unwrap_or(i64::MAX)));
        }
        ui.label(format!(
            "{} {} / {}",
            lang.pick("显示", "Showing"),
            shown.len(),
            self.cases.len()
        ));
        let mut open = None;
        egui::ScrollArea::vertical().show(ui, |ui| {
            egui::Grid::new("cases")
                .striped(true)
                .num_columns(9)
                .show(ui, |ui| {
                    for h in [
                        ("案件", "Case"),
                        ("主体", "Subject"),
                        ("应用", "App"),
                        ("状态", "State"),
                        ("结论", "Verdict"),
                        ("已检查", "Assessed"),
                        ("待复核", "Pending"),
                        ("整改期限", "Deadline"),
                        ("更新", "Updated"),
                    ] {
                        ui.strong(lang.pick(h.0, h.1));
                    }
                    ui.end_row();
                    for c in shown {
                        if ui.link(&c.id).clicked() {
                            open = Some(c.id.clone());
                        }
                        ui.label(&c.subject_name);
                        ui.label(format!("{} {}", c.app_name, c.app_version));
                        ui.label(c.state.short(lang)).on_hover_text(c.state.label(lang));
                        ui.label(
                            verdicts
                                .get(&c.id)
                                .map_or("—".to_string(), |v| v.label().get(lang).to_string()),
                        );
                        ui.label(c.assessed.to_string());
                        ui.label(c.pending_suggestions.to_string());
                        match (&c.deadline, c.days_left) {
                            (Some(d), Some(n)) if c.overdue => {
                                let text = match lang {
                                    crate::i18n::Lang::Zh => format!("{d}（已逾期 {} 天）", -n),
                                    crate::i18n::Lang::En => format!("{d} (overdue by {} days)", -n),
                                };
                                ui.colored_label(ui.visuals().error_fg_color, text);
                            }
                            (Some(d), Some(n)) if n >= 0 && c.state == CaseState::NoticeIssued => {
                                ui.label(match lang {
                                    crate::i18n::Lang::Zh => format!("{d}（剩 {n} 天）"),
                                    crate::i18n::Lang::En => format!("{d} ({n} days left)"),
                                });
                            }
                            (Some(d), _) => {
                                ui.label(d.as_str());
                            }
                            _ => {
                                ui.label("—");
                            }
                        }
                        ui.label(crate::i18n::time_in(&c.updated_at, zone));
                        ui.end_row();
                    }
                });
        });
        if let Some(id) = open {
            match self.load_case(&id) {
                Ok(()) => self.view = View::Overview,
                Err(e) => self.fail(&e),
            }
        }
    }
}
