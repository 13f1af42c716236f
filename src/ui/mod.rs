//! The workbench window (eframe/egui) over the library: cases, the package overview, the
//! checklist walker, evidence with annotations, scores and the notice. Long work runs in
//! [`jobs`]; every change is saved as it is made.

mod annotations;
mod app;
mod fonts;
mod jobs;
mod state;
mod views;

use std::path::PathBuf;

pub use app::{App, Filter, View};

use crate::i18n::Lang;

/// The window's icon (also installed as the desktop icon).
const ICON_PNG: &[u8] = include_bytes!("../../packaging/icons/hicolor/256x256.png");

fn window_icon() -> Option<egui::IconData> {
    let img = image::load_from_memory(ICON_PNG).ok()?.into_rgba8();
    Some(egui::IconData {
        width: img.width(),
        height: img.height(),
        rgba: img.into_raw(),
    })
}

/// Opens the window on the database at `db`; `files` are opened as if dropped on it.
pub fn run(db: PathBuf, lang: Option<Lang>, files: Vec<PathBuf>) -> anyhow::Result<()> {
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("App Inspector · APP检查工作台")
        .with_app_id("app-inspector")
        .with_inner_size([1280.0, 800.0])
        .with_min_inner_size([1024.0, 640.0])
        .with_drag_and_drop(true);
    if let Some(icon) = window_icon() {
        viewport = viewport.with_icon(icon);
    }
    let options = eframe::NativeOptions {
        viewport,
        ..Default::default()
    };
    eframe::run_native(
        "app-inspector",
        options,
        Box::new(move |cc| {
            fonts::install(&cc.egui_ctx);
            let mut app = App::open(db, lang).map_err(|e| anyhow::anyhow!("{e:#}"))?;
            app.pending_files = files;
            // For documentation screenshots: open on a given view.
            if let Ok(view) = std::env::var("APP_INSPECTOR_VIEW") {
                app.show_view(&view);
            }
            Ok(Box::new(app) as Box<dyn eframe::App>)
        }),
    )
    .map_err(|e| anyhow::anyhow!("the window cannot open: {e}"))
}

/// An error as a person reads it in the window (the library's sentence with its causes).
pub(crate) use crate::explain::explain;

/// Installs the CJK font (for tests and the window alike).
pub fn install_fonts(ctx: &egui::Context) {
    fonts::install(ctx);
}
