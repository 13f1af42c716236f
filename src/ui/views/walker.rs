//! The checklist walker: test points on the left, the clause and method in the centre, status,
//! note, evidence and automatic suggestions on the right. Keys: ↑/↓ or J/K, 1 2 3 4 0, Ctrl+F.

use crate::checklist::Force;
use crate::score::{Scope, Standing};
use crate::status::Status;
use crate::ui::app::{App, Command, Filter, Pick};

/// The walker's own state: search, drafts, keyboard focus requests and batch mode.
#[derive(Default)]
pub struct WalkerState {
    pub search: String,
    pub focus_search: bool,
    /// The note being typed, and the test point it is for.
    pub note: String,
    pub note_for: String,
    pub reject_reason: String,
    /// Put the cursor in the reject-reason field on the next frame (R).
    pub focus_reject: bool,
    /// The visible test-point rows as last drawn, for dropping evidence on one.
    pub point_rows: Vec<(String, egui::Rect)>,
    /// Batch mode: the test points ticked and the one reason they share.
    pub batch: bool,
    pub batch_points: std::collections::BTreeSet<String>,
    pub batch_reason: String,
    /// A move to another checklist version, shown before it is applied.
    pub migration: Option<crate::case::migrate::Plan>,
}

impl App {
    pub(crate) fn walker_ui(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        let lang = self.settings.lang;
        let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
        let points = self.visible_points();
        let width = self.settings.pane("points", 330.0);
        let shown = egui::Panel::left("points")
            .resizable(true)
            .default_size(width)
            .min_size(220.0)
            .show(ui, |ui| {
                let search = super::field(
                    ui,
                    l("搜索检查项", "Search test points"),
                    &mut self.walker.search,
                    200.0,
                );
                if self.walker.focus_search {
                    search.request_focus();
                    self.walker.focus_search = false;
                }
                ui.horizontal_wrapped(|ui| {
                    for (f, zh, en) in [
                        (Filter::All, "全部", "All"),
                        (Filter::NotChecked, "未检查", "Not checked"),
                        (Filter::NonCompliant, "不符合", "Non-compliant"),
                        (Filter::Pending, "待复核建议", "Suggestions pending"),
                        (Filter::Recheck, "需复查", "To re-check"),
                    ] {
                        if ui.selectable_label(self.filter == f, l(zh, en)).clicked() {
                            self.filter = f;
                        }
                    }
                });
                ui.horizontal(|ui| {
                    ui.checkbox(&mut self.walker.batch, l("批量选择", "Select several"));
                    if self.walker.batch && !self.walker.batch_points.is_empty() {
                        ui.label(format!(
                            "{} {}",
                            self.walker.batch_points.len(),
                            l("项已选", "selected")
                        ));
                    }
                });
                if self.walker.batch {
                    self.batch_bar(ui);
                }
                ui.separator();
                let Some(case) = &self.case else { return };
                let scope = Scope::of(&case.view);
                let batch = self.walker.batch;
                let mut toggle: Vec<(String, bool)> = Vec::new();
                let mut clicked = None;
                let mut rows = Vec::new();
                let dragging_files = ui.input(|i| !i.raw.hovered_files.is_empty());
                egui::ScrollArea::vertical().show(ui, |ui| {
                    let mut last_clause = String::new();
                    for tp in &points {
                        let Some((clause, point)) = case.checklist.test_point(tp) else {
                            continue;
                        };
                        if clause.id != last_clause {
                            let done = clause
                                .test_points
                                .iter()
                                .filter(|t| case.view.status(&t.id) != Status::NotChecked)
                                .count();
                            let heading = format!(
                                "{} {} ({done}/{})",
                                clause.number(lang),
                                clause.title.get(lang),
                                clause.test_points.len()
                            );
                            if batch {
                                // A whole clause at once: its visible test points.
                                // (The clause's own few, not a search of the checklist per row.)
                                let mine: Vec<&String> = clause
                                    .test_points
                                    .iter()
                                    .map(|t| &t.id)
                                    .filter(|id| points.contains(id))
                                    .collect();
                                let mut all = mine.iter().all(|p| self.walker.batch_points.contains(*p));
                                if ui
                                    .checkbox(&mut all, egui::RichText::new(heading).strong())
                                    .changed()
                                {
                                    toggle.extend(mine.into_iter().map(|p| (p.clone(), all)));
                                }
                            } else {
                                ui.strong(heading);
                            }
                            last_clause = clause.id.clone();
                        }
                        let status = case.view.status(tp);
                        let pending = case
                            .view
                            .suggestions
                            .iter()
                            .any(|s| s.testpoint == *tp && s.review == "pending");
                        let recheck = case.view.recheck(tp).is_some();
                        // Advisory and not-required test points say so in the list: they never
                        // count against the subject.
                        let scored = case.checklist.scored(clause);
                        let standing = scope.standing(point, scored);
                        let tag = match standing {
                            Standing::Advisory => l("〔建议〕", "[advisory] "),
                            Standing::NotRequired => l("〔不适用〕", "[not required] "),
                            Standing::OutOfScope => l("〔非本主体〕", "[other role] "),
                            Standing::Counts => "",
                        };
                        // The whole check, wrapped: the list is as wide as the inspector makes it.
                        let text = egui::RichText::new(format!(
                            "{}{} {} {tag}{}",
                            if pending { "◆" } else { "●" },
                            if recheck { "↻" } else { "" },
                            tp,
                            point.check.get(lang)
                        ))
                        .color(super::status_colour(ui, status));
                        if batch {
                            let mut on = self.walker.batch_points.contains(tp);
                            if ui.checkbox(&mut on, tp.as_str()).changed() {
                                toggle.push((tp.clone(), on));
                            }
                        }
                        let r = ui.add(
                            egui::Button::selectable(case.selected == *tp, text)
                                .wrap_mode(egui::TextWrapMode::Wrap),
                        );
                        if r.clicked() {
                            clicked = Some(tp.clone());
                        }
                        // Where each visible row is, so a screenshot dropped on it goes there.
                        let visible = ui.clip_rect().intersect(r.rect);
                        if visible.is_positive() {
                            if dragging_files && r.contains_pointer() {
                                ui.painter().rect_stroke(
                                    r.rect,
                                    2.0,
                                    egui::Stroke::new(2.0, ui.visuals().selection.stroke.color),
                                    egui::StrokeKind::Inside,
                                );
                            }
                            rows.push((tp.clone(), visible));
                        }
                        if case.selected == *tp {
                            r.scroll_to_me(None);
                        }
                    }
                });
                self.walker.point_rows = rows;
                for (tp, on) in toggle {
                    if on {
                        self.walker.batch_points.insert(tp);
                    } else {
                        self.walker.batch_points.remove(&tp);
                    }
                }
                if let Some(tp) = clicked {
                    if let Some(case) = self.case.as_mut() {
                        case.selected = tp.clone();
                    }
                    self.settings.last_testpoint = Some(tp);
                    self.save_settings();
                }
            });
        self.remember_pane(&ctx, "points", shown.response.rect.width());
        let width = self.settings.pane("judgement", 360.0);
        let shown = egui::Panel::right("judgement")
            .resizable(true)
            .default_size(width)
            .show(ui, |ui| self.judgement_ui(ui));
        let mut answer_to = None;
        egui::CentralPanel::default().show(ui, |ui| {
            let Some(case) = &self.case else { return };
            let Some((clause, tp)) = case.checklist.test_point(&case.selected) else {
                return;
            };
            egui::ScrollArea::vertical().show(ui, |ui| {
                ui.heading(format!(
                    "{} {}",
                    clause.number(lang),
                    clause.title.get(lang)
                ));
                ui.label(clause.text.get(lang));
                if lang == crate::i18n::Lang::Zh {
                    ui.small(format!("（{}）", clause.zh_provenance.label().zh));
                }
                ui.separator();
                ui.heading(format!(
                    "{}  [{} {}]",
                    tp.id,
                    l("严重程度", "severity"),
                    tp.severity.label().get(lang)
                ));
                ui.label(tp.check.get(lang));
                ui.label(format!(
                    "{}: {}",
                    l("检查方法", "Method"),
                    tp.method.label().get(lang)
                ));
                ui.label(format!(
                    "{}: {}",
                    l("所需证据", "Evidence needed"),
                    tp.evidence.get(lang)
                ));
                if let Some(th) = &tp.threshold {
                    ui.label(format!("{}: {}", l("阈值", "Threshold"), th.get(lang)));
                }
                ui.label(format!(
                    "{}: {}",
                    match tp.force {
                        Force::Advisory => l("建议", "Recommendation"),
                        _ => l("整改要求", "Rectification demand"),
                    },
                    tp.demand.get(lang)
                ));
                ui.separator();
                // The force, the source of the duty and whom it binds: what a finding may claim.
                let force = tp.force_label(&case.checklist, lang);
                match tp.force {
                    Force::Advisory => ui.colored_label(
                        ui.visuals().warn_fg_color,
                        format!(
                            "{}: {force} — {}",
                            l("效力", "Force"),
                            l(
                                "仅作记录和建议，不计分、不影响结论、不列入整改通知",
                                "recorded and recommended only: not scored, never decides the verdict, never a finding of a notice"
                            )
                        ),
                    ),
                    _ => ui.label(format!("{}: {force}", l("效力", "Force"))),
                };
                for b in &tp.basis {
                    ui.small(format!("{}: {}", l("依据", "Basis"), b.describe(lang)));
                }
                ui.small(format!(
                    "{}: {}",
                    l("适用主体", "Binds"),
                    crate::checklist::SubjectType::list(&tp.subjects, lang)
                ));
                if let Some(condition) = tp.condition.as_deref().and_then(|c| case.checklist.condition(c)) {
                    let current = case
                        .view
                        .applicability
                        .iter()
                        .find(|a| a.condition == condition.id)
                        .map(|a| a.applies);
                    ui.horizontal_wrapped(|ui| {
                        ui.label(format!("{}: {}", l("适用条件", "Condition"), condition.question.get(lang)));
                        for (value, zh, en) in [
                            (Some(true), "是", "Yes"),
                            (Some(false), "否", "No"),
                            (None, "未回答", "Not answered"),
                        ] {
                            if ui.selectable_label(current == value, l(zh, en)).clicked() && current != value {
                                answer_to = Some((condition.id.clone(), value));
                            }
                        }
                    });
                }
            });
        });
        self.remember_pane(&ctx, "judgement", shown.response.rect.width());
        if let Some((condition, value)) = answer_to {
            self.send(Command::Answer {
                condition,
                applies: value,
            });
        }
    }

    fn judgement_ui(&mut self, ui: &mut egui::Ui) {
        let lang = self.settings.lang;
        let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
        let Some(case) = &self.case else { return };
        let tp = case.selected.clone();
        let current = case.view.status(&tp);
        if self.walker.note_for != tp {
            self.walker.note_for = tp.clone();
            self.walker.note = case
                .view
                .assessment(&tp)
                .map(|a| a.note.clone())
                .unwrap_or_default();
        }
        ui.heading(format!("{} {}", l("检查结论", "Judgement"), tp));
        if let Some(r) = case.view.recheck(&tp) {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                format!("↻ {}: {}", l("需复查", "To re-check"), r.why.get(lang)),
            );
        }
        let mut chosen = None;
        ui.horizontal_wrapped(|ui| {
            for (status, key) in [
                (Status::Compliant, "1"),
                (Status::Partial, "2"),
                (Status::NonCompliant, "3"),
                (Status::NotApplicable, "4"),
                (Status::NotChecked, "0"),
            ] {
                let text = egui::RichText::new(format!("{} ({key})", status.label().get(lang)))
                    .color(super::status_colour(ui, status));
                if ui.selectable_label(current == status, text).clicked() {
                    chosen = Some(status);
                }
            }
        });
        let note = ui.label(l("检查记录", "Note"));
        let r = ui
            .add(
                egui::TextEdit::multiline(&mut self.walker.note)
                    .desired_rows(4)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(note.id);
        if r.lost_focus()
            && self.case.as_ref().is_some_and(|c| {
                c.view.assessment(&tp).map(|a| a.note.clone()).unwrap_or_default() != self.walker.note
            })
        {
            // A note without a status keeps the status as it is.
            chosen = chosen.or(Some(current));
        }
        if let Some(status) = chosen {
            self.send(Command::Judge(status));
        }
        ui.separator();
        let Some(case) = &self.case else { return };
        let mut adopt = None;
        let suggestions: Vec<_> = case
            .view
            .suggestions
            .iter()
            .filter(|s| s.testpoint == tp)
            .cloned()
            .collect();
        if !suggestions.is_empty() {
            ui.strong(l("自动分析建议", "Automatic suggestions"));
            // Accepted suggestions never change a judgement the inspector made; when they point
            // elsewhere, taking their status is the inspector's own, explicit step.
            let judged = case
                .view
                .assessment(&tp)
                .filter(|a| crate::case::judgement::judged_by_inspector(a.status, &a.note, &a.source));
            let suggested = crate::case::judgement::worst(
                suggestions
                    .iter()
                    .filter(|s| s.review == "accepted")
                    .map(|s| s.suggested_status),
            );
            if let (Some(a), Some(s)) = (judged, suggested)
                && a.status != s
                && ui
                    .button(format!(
                        "{}{}{}",
                        l(
                            "采用已采纳建议的结论（",
                            "Take the accepted suggestions' status ("
                        ),
                        s.label().get(lang),
                        l("），保留检查记录", "), keeping the note")
                    ))
                    .clicked()
            {
                adopt = Some(s);
            }
            let mut review = None;
            for s in &suggestions {
                ui.group(|ui| {
                    // The rule and the review in the window's language; the rule's id (what
                    // `case review --rule` takes) on hover.
                    let rule = crate::checklist::rules::describe(&s.rule)
                        .map_or(s.rule.clone(), |d| d.get(lang).to_string());
                    let state = match s.review.as_str() {
                        "accepted" => l("已采纳", "accepted"),
                        "rejected" => l("已驳回", "rejected"),
                        _ => l("待复核", "pending"),
                    };
                    ui.label(format!(
                        "[{}] {rule} — {state}",
                        s.suggested_status.label().get(lang)
                    ))
                    .on_hover_text(&s.rule);
                    ui.small(s.evidence.get(lang));
                    if s.review == "pending" {
                        ui.horizontal(|ui| {
                            if ui.button(l("采纳", "Accept")).clicked() {
                                review = Some((s.rule.clone(), true));
                            }
                            if ui.button(l("驳回", "Reject")).clicked() {
                                review = Some((s.rule.clone(), false));
                            }
                        });
                    } else if !s.reason.is_empty() {
                        ui.small(format!("{}: {}", l("理由", "Reason"), s.reason));
                    }
                });
            }
            let reason_field = super::field(
                ui,
                l("驳回理由", "Reason for rejecting"),
                &mut self.walker.reject_reason,
                200.0,
            );
            if std::mem::take(&mut self.walker.focus_reject) {
                reason_field.request_focus();
            }
            if let Some((rule, accept)) = review {
                let reason = if accept {
                    String::new()
                } else {
                    std::mem::take(&mut self.walker.reject_reason)
                };
                self.send(Command::Review { rule, accept, reason });
            }
            ui.separator();
        }
        if let Some(status) = adopt {
            self.send(Command::Judge(status));
        }
        let Some(case) = &self.case else { return };
        ui.strong(l("本项证据", "Evidence for this test point"));
        let items: Vec<_> = case
            .view
            .evidence
            .iter()
            .filter(|e| e.testpoint.as_deref() == Some(tp.as_str()))
            .cloned()
            .collect();
        ui.horizontal_wrapped(|ui| {
            for e in &items {
                match case.thumbs.get(&e.sha256) {
                    Some(tex) => {
                        let size = tex.size_vec2();
                        let scale = 80.0 / size.x.max(1.0);
                        ui.image((tex.id(), size * scale)).on_hover_text(&e.caption);
                    }
                    None => {
                        ui.label(&e.original_name);
                    }
                }
            }
        });
        super::field(ui, l("证据说明", "Caption"), &mut self.evidence.caption, 200.0);
        super::field(
            ui,
            l("证据文件路径", "Evidence file path"),
            &mut self.evidence.path,
            200.0,
        );
        ui.horizontal(|ui| {
            let path = self.evidence.path.trim().to_string();
            if ui
                .add_enabled(
                    !path.is_empty(),
                    egui::Button::new(l("附加证据", "Attach evidence")),
                )
                .clicked()
            {
                self.evidence.path.clear();
                self.send(Command::Attach(path.into()));
            }
            if ui.button(l("选择文件…", "Choose file…")).clicked() {
                self.pick(Pick::Evidence);
            }
            if ui.button(l("粘贴截图", "Paste screenshot")).clicked() {
                self.send(Command::PasteScreenshot);
            }
        });
        ui.small(l(
            "也可以把截图拖到窗口上，附加到当前检查项。",
            "You can also drop screenshots on the window to attach them here.",
        ));
    }
}

impl App {
    /// The batch bar: one reason, and the selected test points marked not applicable with it.
    fn batch_bar(&mut self, ui: &mut egui::Ui) {
        let lang = self.settings.lang;
        let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
        super::field(
            ui,
            l("不适用的理由", "Why they do not apply"),
            &mut self.walker.batch_reason,
            200.0,
        );
        let n = self.walker.batch_points.len();
        let ready = n > 0 && !self.walker.batch_reason.trim().is_empty();
        let label = format!("{}（{n}）", l("标为不适用", "Mark not applicable"));
        if ui
            .add_enabled(ready, egui::Button::new(label))
            .on_disabled_hover_text(l(
                "先勾选检查项并填写理由",
                "Tick the test points and give the reason first",
            ))
            .clicked()
        {
            let points: Vec<String> = self.walker.batch_points.iter().cloned().collect();
            let reason = self.walker.batch_reason.trim().to_string();
            self.send(Command::MarkNotApplicable { points, reason });
        }
    }
}
