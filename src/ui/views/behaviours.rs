//! Behaviours: the case's run-time timeline — import a log, filter by phase, actor and category,
//! counts per actor, a record's stack and arguments, and the suggestions its log gave.

use std::sync::Arc;

use crate::case::behaviours::StoredBehaviour;
use crate::runtime::{Category, Phase};
use crate::ui::app::{App, Command, Pick, View};

/// The timeline's own state.
#[derive(Default)]
pub struct BehavioursState {
    /// The log file to import, as typed or chosen.
    pub path: String,
    /// The timeline as last read (on a worker), and the case and logs it was read for.
    pub loaded: Option<(String, usize, Arc<Timeline>)>,
    /// A read is running for this key.
    pub loading: Option<(String, usize)>,
    pub phase: Option<Phase>,
    /// The actor (its index in [`Timeline::actors`]).
    pub actor: Option<usize>,
    pub category: Option<Category>,
    /// The behaviours the filters let through (indices), and the filters they were made for.
    pub shown: Option<(Filters, Arc<Vec<usize>>)>,
    /// The shown behaviours per minute of their log, made with `shown`.
    pub minutes: Arc<Minutes>,
    /// The behaviour opened (index into the loaded list).
    pub selected: Option<usize>,
}

/// Behaviours per stretch of time since their log began: each bin's count and its count before
/// consent. A bin is a minute, or wider when a log runs longer than [`Minutes::MAX_BINS`] minutes.
#[derive(Debug, Default)]
pub struct Minutes {
    pub seconds_per_bin: u32,
    pub bins: Vec<[u64; 2]>,
}

impl Minutes {
    const MAX_BINS: usize = 720;

    pub fn of(list: &[StoredBehaviour], shown: &[usize]) -> Self {
        let last = shown
            .iter()
            .filter_map(|i| list.get(*i)?.offset)
            .fold(0.0_f64, f64::max);
        let minutes = (last / 60.0).floor() as usize + 1;
        // A hostile log's offsets may be absurd: no zero-width bin, no overflow.
        let per_bin = u32::try_from(minutes.div_ceil(Self::MAX_BINS))
            .unwrap_or(u32::MAX / 60)
            .clamp(1, u32::MAX / 60)
            * 60;
        let mut bins = vec![[0u64; 2]; (last as usize / per_bin as usize) + 1];
        for b in shown.iter().filter_map(|i| list.get(*i)) {
            let Some(offset) = b.offset else { continue };
            let Some(bin) = bins.get_mut(offset.max(0.0) as usize / per_bin as usize) else {
                continue;
            };
            bin[0] += u64::from(b.count);
            if b.phase == Phase::BeforeConsent {
                bin[1] += u64::from(b.count);
            }
        }
        Self {
            seconds_per_bin: per_bin,
            bins,
        }
    }
}

/// The filters a list of shown behaviours was made for.
pub type Filters = (Option<Phase>, Option<usize>, Option<Category>, usize);

/// A case's behaviours with what the timeline's controls need, worked out once on the worker that
/// read them (a long log has hundreds of thousands: nothing per frame may go through them all).
#[derive(Debug)]
pub struct Timeline {
    pub list: Vec<StoredBehaviour>,
    /// Each distinct actor, most records first, with its count and its count before consent.
    pub actors: Vec<(crate::runtime::Actor, u64, u64)>,
    /// Each behaviour's actor, as an index into `actors`.
    pub actor_of: Vec<usize>,
    /// The categories present, in their order.
    pub categories: Vec<Category>,
}

impl Timeline {
    pub fn new(list: Vec<StoredBehaviour>) -> Self {
        let mut index: std::collections::HashMap<crate::runtime::Actor, usize> = Default::default();
        let mut actors: Vec<(crate::runtime::Actor, u64, u64)> = Vec::new();
        let mut actor_of = Vec::with_capacity(list.len());
        let mut present = std::collections::BTreeSet::new();
        for b in &list {
            let a = b.actor.actor();
            let i = *index.entry(a.clone()).or_insert_with(|| {
                actors.push((a, 0, 0));
                actors.len() - 1
            });
            let n = u64::from(b.count);
            if let Some(e) = actors.get_mut(i) {
                e.1 += n;
                if b.phase == Phase::BeforeConsent {
                    e.2 += n;
                }
            }
            actor_of.push(i);
            present.insert(b.category);
        }
        // Most first; the indices follow the new order.
        let mut order: Vec<usize> = (0..actors.len()).collect();
        order.sort_by(|a, b| {
            actors[*b]
                .1
                .cmp(&actors[*a].1)
                .then_with(|| actors[*a].0.cmp(&actors[*b].0))
        });
        let mut rank = vec![0; actors.len()];
        for (new, old) in order.iter().enumerate() {
            rank[*old] = new;
        }
        let actors = order.iter().map(|i| actors[*i].clone()).collect();
        let actor_of = actor_of.into_iter().map(|i| rank[i]).collect();
        Self {
            list,
            actors,
            actor_of,
            categories: present.into_iter().collect(),
        }
    }
}

impl App {
    pub(crate) fn behaviours_ui(&mut self, ui: &mut egui::Ui) {
        let lang = self.settings.lang;
        let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
        let Some(case) = &self.case else { return };
        let id = case.view.case.id.clone();
        let logs = case.runtime_logs;
        ui.horizontal(|ui| {
            super::field(ui, l("行为记录文件", "Behaviour log"), &mut self.behaviours.path, 360.0);
            if ui.button(l("选择…", "Choose…")).clicked() {
                self.pick(Pick::Log);
            }
            let path = self.behaviours.path.trim().to_string();
            if ui
                .add_enabled(!path.is_empty(), egui::Button::new(l("导入行为记录", "Import log")))
                .on_hover_text(l(
                    "camille 导出的 .xls/.xlsx、Frida 的 JSON 行，或本工具的 CSV 格式；也可以把文件拖到窗口上",
                    "camille's .xls/.xlsx export, Frida JSON lines, or our CSV; you can also drop the file on the window",
                ))
                .clicked()
            {
                self.behaviours.path.clear();
                self.send(Command::ImportLog(path.into()));
            }
        });
        // Read (again) on a worker when the case or its logs changed.
        let key = (id.clone(), logs);
        let fresh = self
            .behaviours
            .loaded
            .as_ref()
            .is_some_and(|(c, n, _)| (c, n) == (&key.0, &key.1));
        if !fresh && self.behaviours.loading.as_ref() != Some(&key) {
            self.behaviours.loading = Some(key.clone());
            self.start_behaviours(ui.ctx(), id.clone(), logs);
        }
        let Some((_, _, timeline)) = self.behaviours.loaded.clone().filter(|_| fresh) else {
            ui.spinner();
            return;
        };
        let list = &timeline.list;
        if list.is_empty() {
            ui.label(l(
                "本案件还没有运行时行为记录。导入 camille 或 Frida 的记录后，这里按时间列出 App 和各 SDK 的行为。",
                "The case has no run-time records yet. Import a camille or Frida log to see what the App and each SDK did, in time order.",
            ));
            return;
        }
        self.filters_ui(ui, &timeline);
        let filters: Filters = (
            self.behaviours.phase,
            self.behaviours.actor,
            self.behaviours.category,
            list.len(),
        );
        if self.behaviours.shown.as_ref().is_none_or(|(f, _)| *f != filters) {
            let shown: Vec<usize> = list
                .iter()
                .enumerate()
                .filter(|(i, b)| {
                    filters.0.is_none_or(|p| b.phase == p)
                        && filters.1.is_none_or(|a| timeline.actor_of.get(*i) == Some(&a))
                        && filters.2.is_none_or(|c| b.category == c)
                })
                .map(|(i, _)| i)
                .collect();
            self.behaviours.minutes = Arc::new(Minutes::of(list, &shown));
            self.behaviours.shown = Some((filters, Arc::new(shown)));
        }
        // Shared, not copied: a long log's list is hundreds of thousands of indices.
        let shown = self
            .behaviours
            .shown
            .as_ref()
            .map(|(_, s)| Arc::clone(s))
            .unwrap_or_default();
        ui.label(format!(
            "{} {} / {}",
            l("显示", "Showing"),
            shown.len(),
            list.len()
        ));
        minutes_ui(ui, &self.behaviours.minutes, lang);
        let width = self.settings.pane("behaviour", 420.0);
        let panel = egui::Panel::right("behaviour")
            .resizable(true)
            .default_size(width)
            .min_size(280.0)
            .show(ui, |ui| self.behaviour_ui(ui, list));
        self.remember_pane(ui.ctx(), "behaviour", panel.response.rect.width());
        let row = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
        egui::ScrollArea::both()
            .id_salt("timeline")
            .auto_shrink([false, false])
            .show_rows(ui, row, shown.len(), |ui, rows| {
                for i in rows {
                    let Some(&at) = shown.get(i) else { continue };
                    let Some(b) = list.get(at) else { continue };
                    let what = b.personal_info.as_ref().map_or_else(
                        || b.category.label().get(lang).to_string(),
                        |p| p.get(lang).to_string(),
                    );
                    let text = format!(
                        "{:>6}  {}  {}  {}  {}{}",
                        b.seq + 1,
                        b.time,
                        b.phase.label().get(lang),
                        b.actor.actor().label(lang),
                        what,
                        if b.count > 1 {
                            format!("  ×{}", b.count)
                        } else {
                            String::new()
                        }
                    );
                    let colour = if b.phase == Phase::BeforeConsent {
                        super::status_colour(ui, crate::status::Status::NonCompliant)
                    } else {
                        ui.visuals().text_color()
                    };
                    let selected = self.behaviours.selected == Some(at);
                    if ui
                        .add(egui::Button::selectable(
                            selected,
                            egui::RichText::new(text).color(colour),
                        ))
                        .clicked()
                    {
                        self.behaviours.selected = Some(at);
                    }
                }
            });
    }

    /// The filters, and the counts per actor (a click filters by that actor).
    fn filters_ui(&mut self, ui: &mut egui::Ui, timeline: &Timeline) {
        let lang = self.settings.lang;
        let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
        let all = l("全部", "All");
        ui.horizontal_wrapped(|ui| {
            ui.label(l("阶段", "Phase"));
            let phase = &mut self.behaviours.phase;
            egui::ComboBox::from_id_salt("phase-filter")
                .selected_text(phase.map_or(all.to_string(), |p| p.label().get(lang).to_string()))
                .show_ui(ui, |ui| {
                    ui.selectable_value(phase, None, all);
                    for p in [
                        Phase::BeforeConsent,
                        Phase::AfterConsent,
                        Phase::AfterWithdrawal,
                        Phase::Unknown,
                    ] {
                        ui.selectable_value(phase, Some(p), p.label().get(lang));
                    }
                });
            ui.label(l("类别", "Category"));
            let category = &mut self.behaviours.category;
            egui::ComboBox::from_id_salt("category-filter")
                .selected_text(category.map_or(all.to_string(), |c| c.label().get(lang).to_string()))
                .show_ui(ui, |ui| {
                    ui.selectable_value(category, None, all);
                    for c in &timeline.categories {
                        ui.selectable_value(category, Some(*c), c.label().get(lang));
                    }
                });
            if self.behaviours.actor.is_some() && ui.button(l("显示所有主体", "Every actor")).clicked()
            {
                self.behaviours.actor = None;
            }
        });
        // Counts per actor, most first; before consent apart.
        ui.horizontal_wrapped(|ui| {
            ui.label(l("按主体统计：", "By actor:"));
            for (i, (actor, n, before)) in timeline.actors.iter().enumerate() {
                let name = actor.label(lang);
                let text = if *before > 0 {
                    format!("{name} {n}（{} {before}）", l("同意前", "before consent"))
                } else {
                    format!("{name} {n}")
                };
                let chosen = self.behaviours.actor == Some(i);
                if ui.add(egui::Button::selectable(chosen, text)).clicked() {
                    self.behaviours.actor = if chosen { None } else { Some(i) };
                }
            }
        });
    }

    /// The behaviour opened: its facts, arguments and stack, and the suggestions its log gave.
    fn behaviour_ui(&mut self, ui: &mut egui::Ui, list: &[StoredBehaviour]) {
        let lang = self.settings.lang;
        let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
        let Some(b) = self.behaviours.selected.and_then(|i| list.get(i)) else {
            ui.label(l(
                "在左侧选择一条记录查看调用堆栈。",
                "Choose a record to see its stack.",
            ));
            return;
        };
        egui::ScrollArea::vertical()
            .id_salt("behaviour-detail")
            .show(ui, |ui| {
                ui.strong(format!("{} #{}", l("记录", "Record"), b.seq + 1));
                let facts = [
                    (l("时间", "Time"), b.time.clone()),
                    (l("阶段", "Phase"), b.phase.label().get(lang).to_string()),
                    (l("主体", "Actor"), b.actor.actor().label(lang)),
                    (
                        l("工具的判断", "The tool's attribution"),
                        b.actor.by_tool.clone().unwrap_or_else(|| "—".into()),
                    ),
                    (l("类别", "Category"), b.category.label().get(lang).to_string()),
                    (l("操作行为", "Action"), b.action.clone()),
                    (l("行为描述", "Description"), b.detail.clone()),
                    (
                        l("传入参数", "Arguments"),
                        if b.arg.is_empty() {
                            "—".into()
                        } else {
                            b.arg.clone()
                        },
                    ),
                    (l("次数", "Count"), b.count.to_string()),
                    (
                        l("记录文件", "Log file"),
                        crate::i18n::prefix(&b.source_sha256, 16).to_string() + "…",
                    ),
                ];
                egui::Grid::new("behaviour-facts").num_columns(2).show(ui, |ui| {
                    for (k, v) in facts {
                        ui.label(k);
                        ui.label(v);
                        ui.end_row();
                    }
                });
                ui.separator();
                ui.strong(l("调用堆栈", "Stack"));
                ui.add(egui::Label::new(egui::RichText::new(&b.stack).monospace()).wrap());
                ui.separator();
                ui.strong(l("此记录文件给出的自动建议", "Suggestions from this log"));
                let tag = format!("@{}", crate::i18n::prefix(&b.source_sha256, 8));
                let suggestions: Vec<(String, String)> = self
                    .case
                    .as_ref()
                    .map(|c| {
                        c.view
                            .suggestions
                            .iter()
                            .filter(|s| s.rule.ends_with(&tag))
                            .map(|s| {
                                (
                                    s.testpoint.clone(),
                                    s.suggested_status.label().get(lang).to_string(),
                                )
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                if suggestions.is_empty() {
                    ui.label("—");
                }
                for (tp, status) in suggestions {
                    if ui
                        .link(format!("{tp} [{status}]"))
                        .on_hover_text(l("到逐项检查中复核", "Review it in the checklist"))
                        .clicked()
                        && let Some(case) = self.case.as_mut()
                    {
                        case.selected = tp.clone();
                        self.settings.last_testpoint = Some(tp);
                        self.view = View::Walker;
                    }
                }
            });
    }
}

/// The shown behaviours per minute as bars, the part before consent in the non-compliant colour;
/// hovering a bar gives its counts.
fn minutes_ui(ui: &mut egui::Ui, minutes: &Minutes, lang: crate::i18n::Lang) {
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let Some(top) = minutes.bins.iter().map(|b| b[0]).max().filter(|m| *m > 0) else {
        return;
    };
    let (rect, response) =
        ui.allocate_exact_size(egui::vec2(ui.available_width(), 48.0), egui::Sense::hover());
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 2.0, ui.visuals().extreme_bg_color);
    // A short log's few bars stay bars, not blocks.
    let width = (rect.width() / minutes.bins.len() as f32).min(24.0);
    let before = super::status_colour(ui, crate::status::Status::NonCompliant);
    let after = ui.visuals().widgets.active.bg_fill;
    let height = |n: u64| (n as f32 / top as f32) * (rect.height() - 4.0);
    for (i, [all, early]) in minutes.bins.iter().enumerate() {
        let x = rect.left() + i as f32 * width;
        let bar = |n: u64, bottom: f32| {
            egui::Rect::from_min_max(
                egui::pos2(x, bottom - height(n)),
                egui::pos2(x + (width - 1.0).max(1.0), bottom),
            )
        };
        painter.rect_filled(bar(*all, rect.bottom()), 0.0, after);
        painter.rect_filled(bar(*early, rect.bottom()), 0.0, before);
    }
    let busiest = minutes.bins.iter().map(|b| b[0]).max().unwrap_or(0);
    let per = minutes.seconds_per_bin / 60;
    let hovered = response
        .hover_pos()
        .map(|pos| ((pos.x - rect.left()) / width) as usize)
        .and_then(|i| Some((i, *minutes.bins.get(i)?)));
    if let Some((i, [all, early])) = hovered {
        let from = i as u32 * per;
        response.on_hover_text(match lang {
            crate::i18n::Lang::Zh => format!(
                "记录开始后第 {}–{} 分钟：{all} 次（同意隐私政策前 {early} 次）",
                from,
                from + per
            ),
            crate::i18n::Lang::En => format!(
                "minutes {}–{} of the log: {all} (before consent {early})",
                from,
                from + per
            ),
        });
    }
    ui.label(format!(
        "{} {busiest} {}",
        if per == 1 {
            l("每分钟行为次数，最多", "Behaviours per minute, at most")
        } else {
            l("每段时间行为次数，最多", "Behaviours per interval, at most")
        },
        l("次", "")
    ));
}
