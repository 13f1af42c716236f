//! One file per view; each draws from and changes the [`super::App`].

mod cases;
mod evidence;
mod migration;
mod notice;
mod notice_preview;
mod overview;
mod score;
mod settings;
mod walker;

pub use notice::NoticeForm;

/// A labelled single-line text field whose accessible name is the label.
pub(super) fn field(ui: &mut egui::Ui, label: &str, value: &mut String, width: f32) -> egui::Response {
    ui.horizontal(|ui| {
        let l = ui.label(label);
        ui.add(egui::TextEdit::singleline(value).desired_width(width))
            .labelled_by(l.id)
    })
    .inner
}

/// The colour of a status.
pub(super) fn status_colour(status: crate::status::Status) -> egui::Color32 {
    use crate::status::Status;
    match status {
        Status::Compliant => egui::Color32::from_rgb(46, 139, 87),
        Status::Partial => egui::Color32::from_rgb(210, 150, 30),
        Status::NonCompliant => egui::Color32::from_rgb(200, 50, 50),
        Status::NotApplicable => egui::Color32::GRAY,
        Status::NotChecked => egui::Color32::from_rgb(120, 120, 140),
    }
}
