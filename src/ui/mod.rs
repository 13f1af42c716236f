//! The workbench window (eframe/egui) over the library: cases, the package overview, the
//! checklist walker, evidence with annotations, scores and the notice. Long work runs in
//! [`jobs`]; every change is saved as it is made.

mod annotations;
mod app;
mod fonts;
pub mod history;
mod jobs;
mod state;
pub mod theme;
mod views;

use std::path::PathBuf;

pub use app::{App, Command, Filter, View};
pub use views::StateChoice;

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
    // APP_INSPECTOR_WINDOW=1920x1080 sizes the window (screenshots at several sizes).
    let size = std::env::var("APP_INSPECTOR_WINDOW")
        .ok()
        .and_then(|s| {
            let (w, h) = s.split_once('x')?;
            Some([w.trim().parse::<f32>().ok()?, h.trim().parse::<f32>().ok()?])
        })
        .unwrap_or([1280.0, 800.0]);
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("App Inspector · APP检查工作台")
        .with_app_id("app-inspector")
        .with_inner_size(size)
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

/// Opens a file with the desktop's application for it, or (`reveal`) its folder in the file
/// manager. The error is a sentence for the status line.
pub(crate) fn open_externally(path: &std::path::Path, reveal: bool) -> Result<(), String> {
    let target = if reveal {
        path.parent().unwrap_or(path).to_path_buf()
    } else {
        path.to_path_buf()
    };
    let mut command = if cfg!(target_os = "macos") {
        let mut c = std::process::Command::new("open");
        if reveal {
            c.arg("-R").arg(path);
        } else {
            c.arg(&target);
        }
        c
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("explorer");
        if reveal {
            c.arg(format!("/select,{}", path.display()));
        } else {
            c.arg(&target);
        }
        c
    } else {
        let mut c = std::process::Command::new("xdg-open");
        c.arg(&target);
        c
    };
    command
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map(|mut child| {
            // Reaped on its own thread: the opener exits at once, and never becomes a zombie.
            std::thread::spawn(move || child.wait());
        })
        .map_err(|e| {
            format!(
                "{} cannot be opened: the desktop's opener could not be started ({e}); open it from the file manager{}",
                target.display(),
                if cfg!(any(target_os = "macos", windows)) {
                    ""
                } else {
                    " (xdg-open comes with the xdg-utils package)"
                }
            )
        })
}

/// An error as a person reads it in the window: the library's sentence with its causes, in the
/// window's language.
pub(crate) use crate::explain::explain_in as explain;

/// Installs the CJK font (for tests and the window alike).
pub fn install_fonts(ctx: &egui::Context) {
    fonts::install(ctx);
}
