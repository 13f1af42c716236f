//! Pasting a screenshot from the system clipboard onto the current test point, through the
//! real X11 clipboard of a private Xvfb server (its own test binary: it sets DISPLAY).

#![allow(clippy::unwrap_used)] // tests may unwrap: a panic is a failure with its place

mod support;

use std::process::{Child, Command};
use std::time::{Duration, Instant};

use app_inspector::i18n::Lang;
use app_inspector::ui::{App, View};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;

/// An Xvfb server on a free display, stopped when dropped.
struct Xvfb(Child);

impl Drop for Xvfb {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_xvfb() -> (Xvfb, String) {
    let n = (140..400)
        .find(|n| {
            !std::path::Path::new(&format!("/tmp/.X11-unix/X{n}")).exists()
                && !std::path::Path::new(&format!("/tmp/.X{n}-lock")).exists()
        })
        .unwrap();
    let child = Command::new("Xvfb")
        .args([
            format!(":{n}").as_str(),
            "-screen",
            "0",
            "640x480x24",
            "-nolisten",
            "tcp",
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("the clipboard test needs Xvfb (apt-get install xvfb; .ci/run installs it): {e}")
        });
    let server = Xvfb(child);
    let socket = format!("/tmp/.X11-unix/X{n}");
    let start = Instant::now();
    while !std::path::Path::new(&socket).exists() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "Xvfb :{n} did not start"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    (server, format!(":{n}"))
}

#[test]
fn a_screenshot_on_the_clipboard_is_pasted_onto_the_current_test_point() {
    let (_xvfb, display) = start_xvfb();
    // SAFETY: this binary's only test sets DISPLAY before anything reads the environment or
    // connects to X; no other thread of ours is running yet.
    unsafe { std::env::set_var("DISPLAY", &display) };
    unsafe { std::env::remove_var("WAYLAND_DISPLAY") };

    // A "screenshot": a gradient no two pixels of which are alike in a row.
    let (w, h) = (90u32, 160u32);
    let shot = image::RgbaImage::from_fn(w, h, |x, y| image::Rgba([(x * 2) as u8, y as u8, 200, 255]));
    let mut clipboard = arboard::Clipboard::new().unwrap();
    clipboard
        .set_image(arboard::ImageData {
            width: w as usize,
            height: h as usize,
            bytes: std::borrow::Cow::Borrowed(shot.as_raw()),
        })
        .unwrap();

    let dir = support::Dir::new();
    let db = dir.join("cases.sqlite");
    let mut store = app_inspector::case::Store::open(&db).unwrap();
    let id = support::politedroid_case(&mut store, "某公司");
    let mut app = App::open(db.clone(), Some(Lang::Zh)).unwrap();
    app.load_case(&id).unwrap();
    app.view = View::Walker;
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 720.0))
        .with_context_setup(app_inspector::ui::install_fonts)
        .build_ui_state(|ui, app: &mut App| app.ui(ui), app);
    h.run_steps(2);
    for _ in 0..3 {
        h.key_press(egui::Key::J);
        h.run_steps(1);
    }
    h.get_by_label("粘贴截图").click();
    let start = Instant::now();
    while h.state().case.as_ref().unwrap().view.evidence.is_empty() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "nothing was pasted; messages: {:?}",
            h.state().messages.iter().map(|m| &m.text).collect::<Vec<_>>()
        );
        std::thread::sleep(Duration::from_millis(20));
        h.step();
    }
    let item = h.state().case.as_ref().unwrap().view.evidence[0].clone();
    assert_eq!(item.testpoint.as_deref(), Some("1.4"));
    assert!(item.original_name.starts_with("clipboard-") && item.original_name.ends_with(".png"));
    // Stored losslessly: the same pixels as were copied.
    let stored = app_inspector::case::Store::open(&db)
        .unwrap()
        .evidence_bytes(&item.sha256)
        .unwrap();
    assert_eq!(image::load_from_memory(&stored).unwrap().into_rgba8(), shot);

    // Ctrl+V does the same, with no text field focused.
    let second = image::RgbaImage::from_fn(40, 30, |x, y| {
        image::Rgba([10, (x * 5) as u8, (y * 7) as u8, 255])
    });
    clipboard
        .set_image(arboard::ImageData {
            width: 40,
            height: 30,
            bytes: std::borrow::Cow::Borrowed(second.as_raw()),
        })
        .unwrap();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::V);
    let start = Instant::now();
    while h.state().case.as_ref().unwrap().view.evidence.len() < 2 {
        assert!(start.elapsed() < Duration::from_secs(30), "Ctrl+V pasted nothing");
        std::thread::sleep(Duration::from_millis(20));
        h.step();
    }
    let item = h.state().case.as_ref().unwrap().view.evidence[1].clone();
    let stored = app_inspector::case::Store::open(&db)
        .unwrap()
        .evidence_bytes(&item.sha256)
        .unwrap();
    assert_eq!(image::load_from_memory(&stored).unwrap().into_rgba8(), second);
}
