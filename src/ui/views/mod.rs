//! One file per view; each draws from and changes the [`super::App`].

mod behaviours;
mod cases;
mod evidence;
mod migration;
mod notice;
mod notice_preview;
mod overview;
mod score;
mod settings;
mod walker;

pub use behaviours::{BehavioursState, Timeline};
pub use cases::{CasesState, StateChoice};
pub use evidence::EvidenceState;
pub use notice::{NoticeForm, NoticeState};
pub use overview::OverviewState;
pub use score::ScoreState;
pub use settings::SettingsState;
pub use walker::WalkerState;

/// Each side pane's width last frame, and the panes whose edge is being dragged: a width is
/// remembered only once the inspector lets go of an edge they dragged.
#[derive(Default)]
pub struct PaneWidths {
    pub last: std::collections::BTreeMap<String, f32>,
    pub dragged: std::collections::BTreeSet<String>,
}

/// A labelled single-line text field whose accessible name is the label.
pub(super) fn field(ui: &mut egui::Ui, label: &str, value: &mut String, width: f32) -> egui::Response {
    ui.horizontal(|ui| {
        let l = ui.label(label);
        ui.add(egui::TextEdit::singleline(value).desired_width(width))
            .labelled_by(l.id)
    })
    .inner
}

/// The colour of a status in the theme `ui` is drawn in: readable (at least 4.5:1) on either
/// ground (`theme::tests`).
pub(super) fn status_colour(ui: &egui::Ui, status: crate::status::Status) -> egui::Color32 {
    crate::ui::theme::status_colour(status, ui.visuals().dark_mode)
}
