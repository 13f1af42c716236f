//! One frame of the window: keys, dropped files, the tabs, the status line and the view shown.

use std::path::PathBuf;

use super::{App, Command, INFO_SECONDS, View};
use crate::status::Status;

impl App {
    fn handle_keys(&mut self, ctx: &egui::Context) {
        if ctx.input(|i| i.modifiers.command && i.key_pressed(egui::Key::F)) {
            self.view = View::Walker;
            self.walker.focus_search = true;
        }
        // The shortcut sheet: F1 anywhere, ? where no text is being typed; Esc closes it.
        let typing = ctx.egui_wants_keyboard_input();
        // Undo and redo of judgements and annotations (a text field keeps its own Ctrl+Z).
        if !typing && self.case.is_some() {
            let (undo, redo) = ctx.input(|i| {
                let z = i.key_pressed(egui::Key::Z) && i.modifiers.command;
                (
                    z && !i.modifiers.shift,
                    (z && i.modifiers.shift) || (i.key_pressed(egui::Key::Y) && i.modifiers.command),
                )
            });
            if undo {
                self.send(Command::Undo);
            }
            if redo {
                self.send(Command::Redo);
            }
        }
        if ctx.input(|i| {
            i.key_pressed(egui::Key::F1)
                || (!typing
                    && i.events
                        .iter()
                        .any(|e| matches!(e, egui::Event::Text(t) if t == "?" || t == "？")))
        }) {
            self.shortcuts = !self.shortcuts;
        }
        if self.shortcuts && ctx.input(|i| i.key_pressed(egui::Key::Escape)) {
            self.shortcuts = false;
        }
        if ctx.egui_wants_keyboard_input() || self.view != View::Walker || self.case.is_none() {
            return;
        }
        // Only plain keys walk and judge: Ctrl+0 (zoom), Alt+1, Super+J and the like belong to
        // the desktop or to other shortcuts, never to a judgement.
        let plain = ctx.input(|i| {
            let m = i.modifiers;
            !(m.ctrl || m.alt || m.command || m.mac_cmd)
        });
        if !plain {
            return self.handle_paste(ctx);
        }
        let (down, up) = ctx.input(|i| {
            (
                i.key_pressed(egui::Key::ArrowDown) || i.key_pressed(egui::Key::J),
                i.key_pressed(egui::Key::ArrowUp) || i.key_pressed(egui::Key::K),
            )
        });
        if down {
            self.move_selection(1);
        }
        if up {
            self.move_selection(-1);
        }
        let (accept, reject, next) = ctx.input(|i| {
            (
                i.key_pressed(egui::Key::A),
                i.key_pressed(egui::Key::R),
                i.key_pressed(egui::Key::N),
            )
        });
        if accept {
            self.send(Command::AcceptPending);
        }
        if reject {
            // A rejection needs a reason: R puts the cursor in the reason field.
            let pending = self.case.as_ref().is_some_and(|c| {
                c.view
                    .suggestions
                    .iter()
                    .any(|s| s.testpoint == c.selected && s.review == "pending")
            });
            if pending {
                self.walker.focus_reject = true;
            } else {
                self.info(self.t("本项没有待复核的自动建议。", "No suggestion to review here."));
            }
        }
        if next {
            self.next_unchecked();
        }
        for (key, status) in [
            (egui::Key::Num1, Status::Compliant),
            (egui::Key::Num2, Status::Partial),
            (egui::Key::Num3, Status::NonCompliant),
            (egui::Key::Num4, Status::NotApplicable),
            (egui::Key::Num0, Status::NotChecked),
        ] {
            if ctx.input(|i| i.key_pressed(key)) {
                self.send(Command::Judge(status));
            }
        }
        self.handle_paste(ctx);
    }

    fn handle_paste(&mut self, ctx: &egui::Context) {
        // Ctrl+V with no text field focused: the screenshot on the clipboard goes to this test
        // point. (egui turns Ctrl+V into a Paste event when the clipboard holds text, into the
        // key itself when it holds only an image.)
        let paste = ctx.input(|i| {
            i.events.iter().any(|e| {
                matches!(e, egui::Event::Paste(_))
                    || matches!(e, egui::Event::Key { key: egui::Key::V, pressed: true, modifiers, .. } if modifiers.command)
            })
        });
        if paste {
            self.send(Command::PasteScreenshot);
        }
    }

    fn handle_drops(&mut self, ctx: &egui::Context) {
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        if dropped.is_empty() {
            return;
        }
        // Dropped on a test point's row in the walker: the evidence goes to that test point.
        let at = ctx.input(|i| i.pointer.latest_pos());
        if self.view == View::Walker
            && let Some(at) = at
            && let Some((tp, _)) = self.walker.point_rows.iter().find(|(_, r)| r.contains(at))
            && let Some(case) = self.case.as_mut()
        {
            case.selected = tp.clone();
            self.settings.last_testpoint = Some(tp.clone());
        }
        self.send(Command::OpenFiles(dropped));
    }

    /// One frame.
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        let wanted = (self.settings.theme, self.settings.text_scale);
        if self.applied_theme != Some(wanted) {
            crate::ui::theme::apply(&ctx, wanted.0, wanted.1);
            self.applied_theme = Some(wanted);
        }
        self.poll_jobs(&ctx);
        self.poll_picker(&ctx);
        self.handle_drops(&ctx);
        if !self.pending_files.is_empty() {
            let files = std::mem::take(&mut self.pending_files);
            self.send(Command::OpenFiles(files));
        }
        self.handle_keys(&ctx);
        if self.case.is_some() {
            self.load_thumbnails(&ctx);
        }
        if let Some(link) = self.pending_full.take() {
            self.open_full(&ctx, link);
        }
        if self.jobs.is_busy() {
            ctx.request_repaint_after(std::time::Duration::from_millis(50));
        }
        if self.shortcuts {
            self.shortcuts_ui(&ctx);
        }
        egui::Panel::top("tabs").show(ui, |ui| self.tabs_ui(ui));
        egui::Panel::bottom("status").show(ui, |ui| self.status_ui(ui));
        egui::CentralPanel::default().show(ui, |ui| match self.view {
            View::Cases => self.cases_ui(ui),
            View::Overview => self.overview_ui(ui),
            View::Walker => self.walker_ui(ui),
            View::Evidence => self.evidence_ui(ui),
            View::Behaviours => self.behaviours_ui(ui),
            View::Score => self.score_ui(ui),
            View::Notice => self.notice_ui(ui),
            View::Settings => self.settings_ui(ui),
        });
        // What the views and keys asked for, in the order asked.
        self.run_commands(&ctx);
    }

    /// Every keyboard shortcut, in the window's language.
    fn shortcuts_ui(&mut self, ctx: &egui::Context) {
        let lang = self.settings.lang;
        let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
        let rows = [
            ("F1 / ?", l("显示或关闭本快捷键表", "Show or close this sheet")),
            ("Esc", l("关闭本表", "Close this sheet")),
            ("J / ↓", l("下一个检查项", "Next test point")),
            ("K / ↑", l("上一个检查项", "Previous test point")),
            ("N", l("下一个未检查的检查项", "Next test point not yet judged")),
            ("1", l("符合", "Compliant")),
            ("2", l("部分符合", "Partly compliant")),
            ("3", l("不符合", "Non-compliant")),
            ("4", l("不适用", "Not applicable")),
            ("0", l("未检查", "Not checked")),
            (
                "A",
                l(
                    "采纳本项全部待复核的自动建议",
                    "Accept this test point's pending suggestions",
                ),
            ),
            ("R", l("驳回：先填写驳回理由", "Reject: type the reason first")),
            (
                "Ctrl+Z",
                l(
                    "撤销上一次判定、备注或标注的修改",
                    "Undo the last change of a judgement, note or annotation",
                ),
            ),
            ("Ctrl+Shift+Z / Ctrl+Y", l("重做", "Redo")),
            ("Ctrl+F", l("搜索检查项", "Search the test points")),
            (
                "Ctrl+V",
                l(
                    "把剪贴板中的截图附加到本项",
                    "Attach the screenshot on the clipboard here",
                ),
            ),
            (
                "Ctrl+＋ / Ctrl+－ / Ctrl+0",
                l("放大 / 缩小 / 复原", "Zoom in / out / reset"),
            ),
        ];
        let mut open = true;
        egui::Window::new(l("键盘快捷键", "Keyboard shortcuts"))
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
            .show(ctx, |ui| {
                ui.label(l(
                    "逐项检查视图中，不在输入框内时：",
                    "In the checklist, when no text field has the cursor:",
                ));
                egui::Grid::new("shortcuts").striped(true).show(ui, |ui| {
                    for (keys, what) in rows {
                        ui.strong(keys);
                        ui.label(what);
                        ui.end_row();
                    }
                });
            });
        if !open {
            self.shortcuts = false;
        }
    }

    fn tabs_ui(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            ui.heading(self.t("APP检查工作台", "App Inspector"));
            ui.separator();
            let has_case = self.case.is_some();
            for (view, zh, en, needs_case) in [
                (View::Cases, "案件", "Cases", false),
                (View::Overview, "概览", "Overview", true),
                (View::Walker, "逐项检查", "Checklist", true),
                (View::Evidence, "证据", "Evidence", true),
                (View::Behaviours, "运行时行为", "Behaviours", true),
                (View::Score, "评分", "Score", true),
                (View::Notice, "通知书", "Notice", true),
                (View::Settings, "设置", "Settings", false),
            ] {
                let label = self.t(zh, en);
                if ui
                    .add_enabled(
                        has_case || !needs_case,
                        egui::Button::selectable(self.view == view, label),
                    )
                    .clicked()
                {
                    self.view = view;
                }
            }
            if ui.button(self.t("快捷键 (F1)", "Shortcuts (F1)")).clicked() {
                self.shortcuts = !self.shortcuts;
            }
            if let Some(case) = &self.case {
                ui.separator();
                ui.label(format!("{} · {}", case.view.case.app.name, case.view.case.id));
            }
        });
    }

    fn status_ui(&mut self, ui: &mut egui::Ui) {
        let mut cancel = None;
        for (i, job) in self.jobs.running.iter().enumerate() {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(&job.name);
                ui.add(
                    egui::ProgressBar::new(job.progress())
                        .desired_width(240.0)
                        .show_percentage(),
                );
                if job.is_cancelling() {
                    ui.label(self.settings.lang.pick("正在取消…", "cancelling…"));
                } else if ui.button(self.settings.lang.pick("取消", "Cancel")).clicked() {
                    cancel = Some(i);
                }
            });
        }
        if let Some(i) = cancel {
            self.jobs.running[i].cancel();
        }
        // One message at a time: the latest error until dismissed, else the latest information
        // until it clears itself.
        let ttl = std::time::Duration::from_secs(INFO_SECONDS);
        self.messages.retain(|m| m.error || m.at.elapsed() < ttl);
        let shown = self
            .messages
            .iter()
            .rposition(|m| m.error)
            .or_else(|| self.messages.len().checked_sub(1));
        let mut dismiss = None;
        if let Some(i) = shown {
            let m = &self.messages[i];
            let errors = self.messages.iter().filter(|m| m.error).count();
            ui.horizontal(|ui| {
                let colour = if m.error {
                    ui.visuals().error_fg_color
                } else {
                    ui.visuals().text_color()
                };
                ui.colored_label(colour, &m.text);
                if errors > 1 {
                    ui.weak(format!(
                        "{}{}{}",
                        self.settings.lang.pick("（另有 ", "("),
                        errors - 1,
                        self.settings.lang.pick(" 条）", " more)")
                    ));
                }
                if ui
                    .small_button(self.settings.lang.pick("关闭此消息", "Dismiss"))
                    .clicked()
                {
                    dismiss = Some(i);
                }
            });
            if !m.error {
                ui.ctx().request_repaint_after(ttl.saturating_sub(m.at.elapsed()));
            }
        }
        if let Some(i) = dismiss {
            self.messages.remove(i);
        }
    }

    /// Remembers a side pane's width once the inspector has dragged its edge: a width that
    /// changed while the pointer was held is saved when it is let go. (Widths the layout imposes —
    /// a narrow window — are never taken for the inspector's choice.)
    pub fn remember_pane(&mut self, ctx: &egui::Context, name: &str, width: f32) {
        let down = ctx.input(|i| i.pointer.any_down());
        let moved = self
            .panes
            .last
            .get(name)
            .is_some_and(|last| (last - width).abs() > 0.5);
        if down && moved {
            self.panes.dragged.insert(name.to_string());
        }
        if !down && self.panes.dragged.remove(name) {
            self.settings.panes.insert(name.to_string(), width);
            self.save_settings();
        }
        self.panes.last.insert(name.to_string(), width);
    }
}

impl eframe::App for App {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        App::ui(self, ui);
    }
}
