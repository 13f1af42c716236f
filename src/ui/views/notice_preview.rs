//! The notice preview: the same page layout as the PDF, painted in the window, remade on a
//! worker whenever the form or the case changes.

use crate::notice::layout::{Op, PAGE_H, PAGE_W, Rgb};
use crate::ui::app::App;
use crate::ui::jobs::Done;

fn colour((r, g, b): Rgb) -> egui::Color32 {
    egui::Color32::from_rgb(r, g, b)
}

impl App {
    /// What the preview depends on besides the form: the case's last change.
    fn preview_key(&self) -> String {
        self.case.as_ref().map_or(String::new(), |c| {
            format!(
                "{}|{}|{}",
                c.view.case.id,
                c.view.case.updated_at,
                c.view.evidence.len()
            )
        })
    }

    fn start_preview(&mut self, ctx: &egui::Context) {
        let Some(case) = &self.case else { return };
        let name = self.t("预览通知书", "previewing the notice").to_string();
        if self.jobs.running.iter().any(|j| j.name == name) {
            return;
        }
        let id = case.view.case.id.clone();
        let (form, key) = (self.notice_form(), self.preview_key());
        let lang = self.settings.lang;
        // One attempt per state of the form and case: a failure is shown once, not every frame.
        if self.notice.tried.as_ref() == Some(&(form.clone(), key.clone())) {
            return;
        }
        self.notice.tried = Some((form.clone(), key.clone()));
        self.spawn_on_store(ctx, &name, move |store, ticket| {
            ticket.checkpoint()?;
            let (pages, problems) =
                crate::notice::issue::preview(store, &id, &form.request(None, chrono::Utc::now()))?;
            let problems = problems.iter().map(|p| problem_text(p, lang)).collect();
            Ok(Done::Preview {
                pages,
                problems,
                form,
                key,
            })
        });
    }

    pub(crate) fn preview_ui(&mut self, ui: &mut egui::Ui) {
        let lang = self.settings.lang;
        let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
        let stale = self
            .notice
            .preview
            .as_ref()
            .is_none_or(|(_, form, key)| *form != self.notice_form() || *key != self.preview_key());
        if stale {
            self.start_preview(ui.ctx());
        }
        let Some((pages, _, _)) = &self.notice.preview else {
            ui.label(l("正在排版预览…", "Laying out the preview…"));
            return;
        };
        let count = pages.len().max(1);
        self.notice.page = self.notice.page.min(count - 1);
        ui.horizontal(|ui| {
            ui.strong(l("预览", "Preview"));
            if ui
                .add_enabled(
                    self.notice.page > 0,
                    egui::Button::new(l("上一页", "Previous page")),
                )
                .clicked()
            {
                self.notice.page -= 1;
            }
            ui.label(format!(
                "{} {} / {}",
                l("第", "Page"),
                self.notice.page + 1,
                count
            ));
            if ui
                .add_enabled(
                    self.notice.page + 1 < count,
                    egui::Button::new(l("下一页", "Next page")),
                )
                .clicked()
            {
                self.notice.page += 1;
            }
            ui.separator();
            if self.notice.zoom <= 0.0 {
                self.notice.zoom = 1.0;
            }
            if ui.button(l("适应宽度", "Fit width")).clicked() {
                self.notice.zoom = 1.0;
            }
            if ui.button(l("缩小", "Zoom out")).clicked() {
                self.notice.zoom = (self.notice.zoom / 1.25).max(0.5);
            }
            ui.label(format!("{:.0}%", self.notice.zoom * 100.0));
            if ui.button(l("放大", "Zoom in")).clicked() {
                self.notice.zoom = (self.notice.zoom * 1.25).min(4.0);
            }
            if stale {
                ui.spinner();
            }
        });
        let Some((pages, _, _)) = &self.notice.preview else {
            return;
        };
        let Some(ops) = pages.get(self.notice.page) else {
            return;
        };
        let zoom = if self.notice.zoom > 0.0 {
            self.notice.zoom
        } else {
            1.0
        };
        egui::ScrollArea::both()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                let width = ui.available_width().max(200.0) * zoom;
                let scale = width / PAGE_W;
                let (rect, _) =
                    ui.allocate_exact_size(egui::vec2(width, PAGE_H * scale), egui::Sense::hover());
                let painter = ui.painter_at(rect);
                painter.rect_filled(rect, 0.0, egui::Color32::WHITE);
                let at = |x: f32, y: f32| rect.min + egui::vec2(x * scale, y * scale);
                for op in ops {
                    match op {
                        Op::Text {
                            x,
                            y,
                            size,
                            text,
                            color,
                            ..
                        } => {
                            painter.text(
                                at(*x, *y),
                                egui::Align2::LEFT_BOTTOM,
                                text,
                                egui::FontId::proportional(size * scale),
                                colour(*color),
                            );
                        }
                        Op::Line {
                            x1,
                            y1,
                            x2,
                            y2,
                            width,
                            color,
                        } => {
                            painter.line_segment(
                                [at(*x1, *y1), at(*x2, *y2)],
                                egui::Stroke::new((width * scale).max(0.5), colour(*color)),
                            );
                        }
                        Op::Rect {
                            x,
                            y,
                            w,
                            h,
                            fill,
                            stroke,
                        } => {
                            let r = egui::Rect::from_min_size(at(*x, *y), egui::vec2(w * scale, h * scale));
                            if let Some(f) = fill {
                                painter.rect_filled(r, 0.0, colour(*f));
                            }
                            if let Some((c, sw)) = stroke {
                                painter.rect_stroke(
                                    r,
                                    0.0,
                                    egui::Stroke::new((sw * scale).max(0.5), colour(*c)),
                                    egui::StrokeKind::Inside,
                                );
                            }
                        }
                        Op::Seal { x, y, w, h } => {
                            let r = egui::Rect::from_min_size(at(*x, *y), egui::vec2(w * scale, h * scale));
                            painter.circle_stroke(
                                r.center(),
                                r.width() / 2.0,
                                egui::Stroke::new(1.0, egui::Color32::from_rgb(200, 30, 30)),
                            );
                        }
                        Op::Image { x, y, w, h, index } => {
                            let r = egui::Rect::from_min_size(at(*x, *y), egui::vec2(w * scale, h * scale));
                            // The thumbnail stands in for the evidence image (the PDF has the original).
                            let tex = self.case.as_ref().and_then(|c| {
                                c.view.evidence.get(*index).and_then(|e| c.thumbs.get(&e.sha256))
                            });
                            match tex {
                                Some(t) => {
                                    painter.image(
                                        t.id(),
                                        r,
                                        egui::Rect::from_min_max(egui::pos2(0.0, 0.0), egui::pos2(1.0, 1.0)),
                                        egui::Color32::WHITE,
                                    );
                                }
                                None => {
                                    painter.rect_filled(r, 0.0, egui::Color32::LIGHT_GRAY);
                                }
                            }
                        }
                    }
                }
            });
    }
}

/// What stops a notice, said where the window's user fixes it (the command line's messages name
/// commands instead).
fn problem_text(p: &crate::notice::issue::IssueError, lang: crate::i18n::Lang) -> String {
    use crate::notice::issue::IssueError as E;
    let l = |zh: &str, en: &str| lang.pick(zh, en).to_string();
    match p {
        E::NoAuthority => l(
            "责令整改通知书须由发文机关出具：请选择发文机关（在“设置”中添加）。",
            "A rectification notice is issued by an authority: choose one (add it in Settings).",
        ),
        E::Case(crate::case::CaseError::UnknownAuthority(name)) => match lang {
            crate::i18n::Lang::Zh => format!("没有名为“{name}”的发文机关：请在“设置”中添加。"),
            crate::i18n::Lang::En => format!("There is no authority named “{name}”: add it in Settings."),
        },
        E::NoContact => l(
            "缺少联系方式：请填写联系方式，或在“设置”中为发文机关填写承办处室联系方式。",
            "No contact: fill in the contact, or the authority's division contact in Settings.",
        ),
        E::Inspectors(n) => match lang {
            crate::i18n::Lang::Zh => format!(
                "责令整改通知书须列明至少两名执法人员及其执法证号（行政处罚法第四十二条），本案件有 {n} 名：请在“概览”中填写“检查人员（姓名=执法证号）”。"
            ),
            crate::i18n::Lang::En => format!(
                "A rectification notice names at least two officers with their certificate numbers; this case has {n}: fill them in on the Overview."
            ),
        },
        E::NoFacts(tp) => match lang {
            crate::i18n::Lang::Zh => {
                format!("检查项 {tp} 的问题没有事实陈述：请在“逐项检查”中为其填写检查记录。")
            }
            crate::i18n::Lang::En => format!("Finding {tp} states no facts: write its note in the walker."),
        },
        // The rest read the same in the window as anywhere (explain::zh).
        other => crate::ui::explain(other, lang),
    }
}
