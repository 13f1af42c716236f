//! Evidence: the gallery of the case's screenshots, and a viewer with zoom and annotations
//! (rectangle, arrow, text) stored as data over the untouched original.

use crate::ui::app::{App, Command, Pick};

/// The evidence view's own state: the file to attach, the evidence shown, the annotation tool
/// and the caption and test point being edited.
#[derive(Default)]
pub struct EvidenceState {
    pub path: String,
    pub caption: String,
    pub selected: Option<i64>,
    pub tool: Tool,
    pub drag_from: Option<egui::Pos2>,
    /// The annotation picked with the select tool (index in the link's list).
    pub selected_shape: Option<usize>,
    pub label_text: String,
    /// Viewer zoom: 1 fits the width.
    pub zoom: f32,
    /// The evidence whose caption and test point are being edited, and the drafts.
    pub caption_for: Option<i64>,
    pub caption_draft: String,
    pub move_to: String,
}

/// The annotation tool in the evidence viewer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tool {
    #[default]
    Rect,
    Arrow,
    Text,
    /// Pick a shape to move (drag) or delete.
    Select,
}

impl App {
    pub(crate) fn evidence_ui(&mut self, ui: &mut egui::Ui) {
        let lang = self.settings.lang;
        let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
        let Some(case) = &self.case else { return };
        let items = case.view.evidence.clone();
        let width = self.settings.pane("gallery", 300.0);
        let shown = egui::Panel::left("gallery")
            .resizable(true)
            .default_size(width)
            .show(ui, |ui| {
                ui.horizontal(|ui| {
                    ui.strong(format!("{} ({})", l("证据", "Evidence"), items.len()));
                    if ui
                        .button(l("附加到当前检查项…", "Attach to the current test point…"))
                        .clicked()
                    {
                        self.pick(Pick::Evidence);
                    }
                });
                let Some(case) = &self.case else { return };
                let mut select = None;
                egui::ScrollArea::vertical().show(ui, |ui| {
                    ui.horizontal_wrapped(|ui| {
                        for (n, e) in items.iter().enumerate() {
                            let selected = self.evidence.selected == Some(e.link_id);
                            let response = match case.thumbs.get(&e.sha256) {
                                Some(tex) => {
                                    let size = tex.size_vec2();
                                    let scale = 120.0 / size.x.max(1.0);
                                    ui.add(egui::Button::image((tex.id(), size * scale)).selected(selected))
                                }
                                None => ui.add(egui::Button::selectable(selected, &e.original_name)),
                            };
                            // Screen readers (and tests) know a thumbnail by its file name.
                            let name = e.original_name.clone();
                            response.widget_info(|| {
                                egui::WidgetInfo::selected(egui::Role::Button, true, selected, &name)
                            });
                            if response
                                .on_hover_text(format!(
                                    "E{} · {} · {} · {}",
                                    n + 1,
                                    e.testpoint.as_deref().unwrap_or("—"),
                                    e.caption,
                                    crate::i18n::prefix(&e.sha256, 12)
                                ))
                                .clicked()
                            {
                                select = Some(e.link_id);
                            }
                        }
                    });
                });
                if let Some(link) = select {
                    self.evidence.selected = Some(link);
                    self.open_full(ui.ctx(), link);
                }
            });
        self.remember_pane(ui.ctx(), "gallery", shown.response.rect.width());
        egui::CentralPanel::default().show(ui, |ui| self.viewer_ui(ui));
    }

    /// Shows an evidence image: its thumbnail at once, the full image when a worker has decoded it.
    pub(crate) fn open_full(&mut self, ctx: &egui::Context, link: i64) {
        let lang = self.settings.lang;
        let Some(case) = &self.case else { return };
        let Some(item) = case.view.evidence.iter().find(|e| e.link_id == link).cloned() else {
            return;
        };
        if !item.is_image() {
            return;
        }
        // Thumbnail first, so something shows at once; the full image replaces it when decoded.
        if let Some(tex) = case.thumbs.get(&item.sha256).cloned() {
            let size = [tex.size()[0], tex.size()[1]];
            if let Some(case) = self.case.as_mut() {
                case.full = Some((link, tex, size));
            }
        }
        // Decoding a phone screenshot takes tens of milliseconds: never on the UI thread.
        let (sha256, name) = (item.sha256.clone(), item.original_name.clone());
        let job = format!("{} {name}", self.t("打开图片", "opening"));
        // A long screenshot can be taller than the GPU's largest texture: show it scaled to fit
        // (annotations are stored relative to the image, so they stay in place).
        let max_side = ctx.input(|i| i.max_texture_side) as u32;
        self.spawn_on_store(ctx, &job, move |store, _| {
            let bytes = store.evidence_bytes(&sha256)?;
            let mut img = image::load_from_memory(&bytes).map_err(|e| {
                crate::ui::app::Failure::Job(
                    format!(
                        "{name}: {} ({e})",
                        lang.pick("无法解码图片", "the image cannot be decoded")
                    )
                    .into(),
                )
            })?;
            if img.width().max(img.height()) > max_side {
                img = img.resize(max_side, max_side, image::imageops::FilterType::Triangle);
            }
            let rgba = img.to_rgba8();
            let size = [rgba.width() as usize, rgba.height() as usize];
            let image = egui::ColorImage::from_rgba_unmultiplied(size, rgba.as_raw());
            Ok(crate::ui::jobs::Done::FullImage { link, sha256, image })
        });
    }

    fn viewer_ui(&mut self, ui: &mut egui::Ui) {
        let lang = self.settings.lang;
        let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
        let Some(case) = &self.case else { return };
        // A document (a PDF, a recording, a log) has no picture to annotate, but its caption,
        // test point and facts are the same.
        if let Some(item) = self
            .evidence
            .selected
            .and_then(|link| case.view.evidence.iter().find(|e| e.link_id == link))
            .filter(|e| !e.is_image())
            .cloned()
        {
            return self.document_ui(ui, &item);
        }
        let Some((link, tex, size)) = case.full.clone() else {
            ui.label(l(
                "在左侧选择一张截图查看和标注。",
                "Choose a screenshot on the left to view and annotate it.",
            ));
            return;
        };
        let Some(item) = case.view.evidence.iter().find(|e| e.link_id == link).cloned() else {
            return;
        };
        self.evidence_facts_ui(ui, &item);
        ui.horizontal(|ui| {
            ui.label(l("标注工具", "Annotation tool"));
            for (tool, zh, en) in [
                (Tool::Rect, "矩形框", "Rectangle"),
                (Tool::Arrow, "箭头", "Arrow"),
                (Tool::Text, "文字", "Text"),
                (Tool::Select, "选择/移动", "Select / move"),
            ] {
                if ui
                    .selectable_label(self.evidence.tool == tool, l(zh, en))
                    .clicked()
                {
                    self.evidence.tool = tool;
                }
            }
            super::field(
                ui,
                l("标注文字", "Label text"),
                &mut self.evidence.label_text,
                140.0,
            );
            if self.evidence.zoom <= 0.0 {
                self.evidence.zoom = 1.0;
            }
            ui.add(egui::Slider::new(&mut self.evidence.zoom, 0.25..=4.0).text(l("缩放", "Zoom")));
            if ui.button(l("清除标注", "Clear annotations")).clicked() {
                self.evidence.selected_shape = None;
                self.send(Command::Annotate {
                    link,
                    caption: item.caption.clone(),
                    shapes: serde_json::json!([]),
                });
            }
        });
        let mut shapes = item.annotations.as_array().cloned().unwrap_or_default();
        if self.evidence.selected_shape.is_some_and(|i| i >= shapes.len()) {
            self.evidence.selected_shape = None;
        }
        // The list of shapes: each can be picked and deleted by name (and so by keyboard).
        let mut delete = None;
        ui.horizontal_wrapped(|ui| {
            ui.label(format!("{} ({}):", l("标注", "Annotations"), shapes.len()));
            for (i, s) in shapes.iter().enumerate() {
                let name = format!("{} {}", i + 1, crate::ui::annotations::describe(s, lang));
                if ui
                    .selectable_label(self.evidence.selected_shape == Some(i), name)
                    .clicked()
                {
                    self.evidence.selected_shape = Some(i);
                    self.evidence.tool = Tool::Select;
                }
                if ui
                    .small_button(format!("{} {}", l("删除", "Delete"), i + 1))
                    .on_hover_text(l("删除此标注", "Delete this annotation"))
                    .clicked()
                {
                    delete = Some(i);
                }
            }
        });
        let typing = ui.ctx().egui_wants_keyboard_input();
        if !typing && ui.input(|i| i.key_pressed(egui::Key::Delete) || i.key_pressed(egui::Key::Backspace)) {
            delete = delete.or(self.evidence.selected_shape);
        }
        if let Some(i) = delete.filter(|i| *i < shapes.len()) {
            shapes.remove(i);
            self.evidence.selected_shape = None;
            self.send(Command::Annotate {
                link,
                caption: item.caption.clone(),
                shapes: serde_json::Value::Array(shapes.clone()),
            });
        }
        let view_h = ui.available_height().max(200.0);
        egui::ScrollArea::both().show(ui, |ui| {
            let avail = ui.available_width().max(200.0);
            // Zoom 1 shows the whole screenshot; a long (scrolling) screenshot fits the width.
            let (w, h) = (size[0] as f32, size[1] as f32);
            let fit = if h > 3.0 * w {
                avail / w
            } else {
                (avail / w).min(view_h / h)
            };
            let scale = fit.min(1.0) * self.evidence.zoom.max(0.25);
            let display = egui::vec2(size[0] as f32 * scale, size[1] as f32 * scale);
            let (rect, response) = ui.allocate_exact_size(display, egui::Sense::click_and_drag());
            response.widget_info(|| {
                egui::WidgetInfo::labeled(egui::Role::Image, true, l("截图标注区", "Annotation canvas"))
            });
            let painter = ui.painter_at(rect);
            painter.image(tex.id(), rect, egui::Rect::from_min_max(egui::pos2(0.0, 0.0), egui::pos2(1.0, 1.0)), egui::Color32::WHITE);
            let to_screen = |x: f64, y: f64| rect.min + egui::vec2(x as f32 * rect.width(), y as f32 * rect.height());
            let red = egui::Stroke::new(2.0, egui::Color32::from_rgb(220, 20, 20));
            let picked = egui::Stroke::new(3.0, egui::Color32::from_rgb(255, 150, 0));
            // While a shape is dragged with the select tool, draw it where it would land.
            let dragging = self.evidence.tool == Tool::Select && response.dragged();
            let drag_delta = match (self.evidence.drag_from, response.interact_pointer_pos()) {
                (Some(from), Some(now)) if dragging => (
                    ((now.x - from.x) / rect.width()) as f64,
                    ((now.y - from.y) / rect.height()) as f64,
                ),
                _ => (0.0, 0.0),
            };
            for (i, s) in shapes.iter().enumerate() {
                let is_picked = self.evidence.selected_shape == Some(i);
                let red = if is_picked { picked } else { red };
                let shown;
                let s = if is_picked && dragging {
                    shown = crate::ui::annotations::moved(s, drag_delta.0, drag_delta.1);
                    &shown
                } else {
                    s
                };
                let num = |k: &str| s.get(k).and_then(|v| v.as_f64()).unwrap_or(0.0);
                match s.get("kind").and_then(|k| k.as_str()) {
                    Some("rect") => {
                        painter.rect_stroke(
                            egui::Rect::from_min_size(to_screen(num("x"), num("y")), egui::vec2(num("w") as f32 * rect.width(), num("h") as f32 * rect.height())),
                            0.0,
                            red,
                            egui::StrokeKind::Outside,
                        );
                    }
                    Some("arrow") => {
                        let a = to_screen(num("x"), num("y"));
                        let b = to_screen(num("x2"), num("y2"));
                        painter.arrow(a, b - a, red);
                    }
                    Some("text") => {
                        painter.text(
                            to_screen(num("x"), num("y")),
                            egui::Align2::LEFT_TOP,
                            s.get("text").and_then(|t| t.as_str()).unwrap_or(""),
                            egui::FontId::proportional(16.0),
                            red.color,
                        );
                    }
                    _ => {}
                }
            }
            let to_image = |p: egui::Pos2| {
                (
                    ((p.x - rect.min.x) / rect.width()).clamp(0.0, 1.0) as f64,
                    ((p.y - rect.min.y) / rect.height()).clamp(0.0, 1.0) as f64,
                )
            };
            if response.drag_started() {
                // Where the button went down, not where the drag was recognised a few points on.
                self.evidence.drag_from = ui
                    .input(|i| i.pointer.press_origin())
                    .or(response.interact_pointer_pos());
                if self.evidence.tool == Tool::Select {
                    self.evidence.selected_shape = self
                        .evidence
                        .drag_from
                        .and_then(|p| crate::ui::annotations::pick(&shapes, p, rect));
                }
            }
            if let (Some(from), Some(now)) = (self.evidence.drag_from, response.interact_pointer_pos())
                && response.dragged()
                && self.evidence.tool != Tool::Select
            {
                painter.rect_stroke(egui::Rect::from_two_pos(from, now), 0.0, red, egui::StrokeKind::Outside);
            }
            let mut added = None;
            if self.evidence.tool == Tool::Select {
                if response.clicked() {
                    self.evidence.selected_shape = response
                        .interact_pointer_pos()
                        .and_then(|p| crate::ui::annotations::pick(&shapes, p, rect));
                }
                if response.drag_stopped()
                    && let (Some(from), Some(to), Some(i)) = (
                        self.evidence.drag_from.take(),
                        response.interact_pointer_pos(),
                        self.evidence.selected_shape,
                    )
                {
                    let dx = ((to.x - from.x) / rect.width()) as f64;
                    let dy = ((to.y - from.y) / rect.height()) as f64;
                    shapes[i] = crate::ui::annotations::moved(&shapes[i], dx, dy);
                    self.send(Command::Annotate {
                link,
                caption: item.caption.clone(),
                shapes: serde_json::Value::Array(shapes.clone()),
            });
                }
            } else if response.drag_stopped()
                && let (Some(from), Some(to)) = (self.evidence.drag_from.take(), response.interact_pointer_pos())
            {
                let (x1, y1) = to_image(from);
                let (x2, y2) = to_image(to);
                added = Some(match self.evidence.tool {
                    Tool::Rect => serde_json::json!({"kind": "rect", "x": x1.min(x2), "y": y1.min(y2), "w": (x2 - x1).abs(), "h": (y2 - y1).abs()}),
                    Tool::Arrow => serde_json::json!({"kind": "arrow", "x": x1, "y": y1, "x2": x2, "y2": y2}),
                    Tool::Text | Tool::Select => serde_json::json!({"kind": "text", "x": x2, "y": y2, "text": self.evidence.label_text}),
                });
            } else if response.clicked()
                && self.evidence.tool == Tool::Text
                && let Some(at) = response.interact_pointer_pos()
            {
                let (x, y) = to_image(at);
                added = Some(serde_json::json!({"kind": "text", "x": x, "y": y, "text": self.evidence.label_text}));
            }
            if let Some(shape) = added {
                shapes.push(shape);
                self.send(Command::Annotate {
                link,
                caption: item.caption.clone(),
                shapes: serde_json::Value::Array(shapes.clone()),
            });
            }
        });
    }
}

impl App {
    /// What every evidence shows above its content: its E-number as the notice numbers it (E1,
    /// E2 … in the case's order), name, test point and SHA-256; the caption and test point,
    /// editable (each change audited, the stored file never changes); when and on what it was
    /// captured as far as the file says, and when it was stored.
    fn evidence_facts_ui(&mut self, ui: &mut egui::Ui, item: &crate::case::EvidenceItem) {
        let lang = self.settings.lang;
        let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
        let Some(case) = &self.case else { return };
        let number = case
            .view
            .evidence
            .iter()
            .position(|e| e.link_id == item.link_id)
            .map_or(0, |i| i + 1);
        ui.label(format!(
            "E{number} · {} · {} · SHA-256 {}",
            item.original_name,
            item.testpoint.as_deref().unwrap_or("—"),
            item.sha256
        ));
        self.evidence_edit_ui(ui, item);
        let mut facts = Vec::new();
        if let Some(c) = &item.capture {
            facts.push(format!(
                "{}{} ({})",
                l("拍摄时间：", "Captured: "),
                c.at.replace('T', " "),
                c.source.label(lang)
            ));
        }
        if let Some(camera) = &item.camera {
            facts.push(format!("{}{camera}", l("设备：", "Device: ")));
        }
        facts.push(format!(
            "{}{}",
            l("入库时间：", "Stored: "),
            self.time(&item.attached_at)
        ));
        ui.weak(facts.join("  ·  "));
    }

    /// A document's page: its facts, and a copy opened with the system's program.
    fn document_ui(&mut self, ui: &mut egui::Ui, item: &crate::case::EvidenceItem) {
        let lang = self.settings.lang;
        let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
        self.evidence_facts_ui(ui, item);
        ui.add_space(8.0);
        if ui
            .button(l("用系统程序打开副本", "Open a copy with the system's program"))
            .on_hover_text(l(
                "先核对 SHA-256，再把原件的只读副本写到临时文件夹后打开；原件不变",
                "The SHA-256 is checked, then a read-only copy is written to the temporary folder and opened; the original never changes",
            ))
            .clicked()
        {
            self.send(Command::OpenEvidence(item.link_id));
        }
    }

    fn evidence_edit_ui(&mut self, ui: &mut egui::Ui, item: &crate::case::EvidenceItem) {
        let lang = self.settings.lang;
        let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
        if self.evidence.caption_for != Some(item.link_id) {
            self.evidence.caption_for = Some(item.link_id);
            self.evidence.caption_draft = item.caption.clone();
            self.evidence.move_to = item.testpoint.clone().unwrap_or_default();
        }
        let mut save_caption = false;
        let mut relink: Option<Option<String>> = None;
        ui.horizontal(|ui| {
            let label = ui.label(l("证据说明", "Caption"));
            ui.add(egui::TextEdit::singleline(&mut self.evidence.caption_draft).desired_width(360.0))
                .labelled_by(label.id);
            if ui
                .add_enabled(
                    self.evidence.caption_draft != item.caption,
                    egui::Button::new(l("保存说明", "Save caption")),
                )
                .clicked()
            {
                save_caption = true;
            }
        });
        ui.horizontal(|ui| {
            let label = ui.label(l("所属检查项", "Test point"));
            ui.add(egui::TextEdit::singleline(&mut self.evidence.move_to).desired_width(80.0))
                .labelled_by(label.id);
            let target = self.evidence.move_to.trim().to_string();
            if ui
                .add_enabled(
                    !target.is_empty() && Some(target.as_str()) != item.testpoint.as_deref(),
                    egui::Button::new(l("移到该检查项", "Move there")),
                )
                .clicked()
            {
                relink = Some(Some(target));
            }
            if ui
                .add_enabled(
                    item.testpoint.is_some(),
                    egui::Button::new(l("解除关联", "Unlink")),
                )
                .on_hover_text(l(
                    "证据留在案件中，不再属于任何检查项",
                    "The evidence stays in the case, linked to no test point",
                ))
                .clicked()
            {
                relink = Some(None);
            }
        });
        if save_caption {
            // Through the one path that can be undone.
            let caption = self.evidence.caption_draft.clone();
            self.send(Command::Annotate {
                link: item.link_id,
                caption,
                shapes: item.annotations.clone(),
            });
        }
        if let Some(to) = relink {
            self.send(Command::Relink {
                link: item.link_id,
                to,
            });
        }
    }
}
