//! Window speed, measured headless with egui_kittest: time to the first frame on a large case, the
//! frame time while the evidence gallery of a 200-screenshot case scrolls, and the frame time
//! while that case's signed notice is made on a worker (the longest job). A kittest frame is
//! egui's whole CPU side (input, layout, tessellation); drawing on the GPU is not included.
//! `cargo bench --bench ui`.

mod common;

use std::time::{Duration, Instant};

use app_inspector::case::Store;
use app_inspector::i18n::Lang;
use app_inspector::ui::{App, View};
use common::corpus;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let tmp = tempfile::tempdir().expect("temporary folder");
    let db = tmp.path().join("cases.sqlite");
    let mut store = Store::open(&db).expect("open");
    let id = common::bugly_case(&mut store, "基准");
    let base = std::fs::read(corpus().join("screens/zh-CN_settings__keepalive.png")).expect("screenshot");
    for n in 0..200u32 {
        let mut bytes = base.clone();
        bytes.extend_from_slice(&n.to_le_bytes());
        store
            .attach_bytes(&id, &format!("s{n}.png"), &bytes, Some("9.1"), "", "bench")
            .expect("attach");
    }
    // What a rectification notice needs: an authority, two officers, a finding with its facts
    // (the 200 screenshots are its evidence, all in the appendix).
    let mut authority = app_inspector::case::Authority::new("广东省通信管理局", "粤通管责改");
    authority.contact = "网络安全管理处 020-00000000".into();
    store.set_authority(&authority).expect("authority");
    store
        .set_inspectors(&id, &["张三=粤A0001".into(), "李四=粤A0002".into()], "bench")
        .expect("inspectors");
    store
        .assess(
            &id,
            "9.1",
            app_inspector::status::Status::NonCompliant,
            "首次运行未以弹窗等显著方式提示隐私政策",
            "bench",
        )
        .expect("assess");
    drop(store);

    let t = Instant::now();
    let mut app = App::open(db.clone(), Some(Lang::Zh)).expect("app");
    app.load_case(&id).expect("case");
    app.view = View::Evidence;
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 720.0))
        .with_context_setup(app_inspector::ui::install_fonts)
        .build_ui_state(|ui, app: &mut App| app.ui(ui), app);
    h.step();
    println!(
        "time to first frame (open the database and the case, first frame): {}",
        ms(t.elapsed())
    );

    let start = Instant::now();
    while h.state().case.as_ref().is_some_and(|c| c.thumbs.len() < 200)
        && start.elapsed() < Duration::from_secs(60)
    {
        std::thread::sleep(Duration::from_millis(5));
        h.step();
    }
    println!(
        "200 thumbnails decoded in the background: {}",
        ms(start.elapsed())
    );

    h.hover_at(egui::pos2(120.0, 300.0));
    let mut frames = Vec::new();
    for i in 0..120 {
        let delta = if i < 60 { -60.0 } else { 60.0 };
        frames.push(wheel(&mut h, egui::vec2(0.0, delta)));
    }
    report("frame while the gallery scrolls", frames);

    // The notice view: its preview lays out 200 images, then export makes and signs the PDF,
    // both on workers; the window keeps drawing meanwhile.
    let p12 = tmp.path().join("bench.p12");
    std::fs::write(
        &p12,
        app_inspector::notice::cert::new_pkcs12("bench", None, 1, "pw").expect("certificate"),
    )
    .expect("write certificate");
    {
        let app = h.state_mut();
        app.settings.p12_path = p12.display().to_string();
        app.notice.p12_password = "pw".into();
        app.notice.out = tmp.path().join("notice.pdf").display().to_string();
        app.settings.authority = "广东省通信管理局".into();
        app.view = View::Notice;
    }
    h.step();
    let mut frames = Vec::new();
    let start = Instant::now();
    let mut exported = false;
    while h.state().notice.last_notice.is_none() && start.elapsed() < Duration::from_secs(120) {
        if !exported && h.state().notice.preview.is_some() {
            h.get_by_label("导出通知书").click();
            exported = true;
        }
        std::thread::sleep(Duration::from_millis(5));
        let t = Instant::now();
        h.step();
        frames.push(t.elapsed());
    }
    let done = h.state().notice.last_notice.clone().expect("the notice was made");
    println!(
        "notice for 200 screenshots previewed, made and signed in the background: {} ({} frames drawn meanwhile; {done})",
        ms(start.elapsed()),
        frames.len()
    );
    report("frame while the notice is made", frames);

    // A 200,000-record behaviour log imported, then its timeline read and filtered, all on workers.
    let log = tmp.path().join("run.jsonl");
    let mut text = String::from("{\"type\":\"session\",\"package\":\"com.tencent.bugly.hotfix\"}\n");
    for i in 0..200_000u32 {
        if i == 20_000 {
            text.push_str("{\"type\":\"consent\",\"state\":\"agreed\"}\n");
        }
        let (action, detail, frame) = match i % 3 {
            0 => (
                "获取系统信息",
                "获取安卓ID",
                "com.umeng.commonsdk.statistics.common.DeviceConfig.getAndroidID(DeviceConfig.java:120)",
            ),
            1 => (
                "获取电话相关信息",
                "获取IMEI",
                "com.igexin.push.core.a.b(Unknown Source:12)",
            ),
            _ => (
                "获取剪切板信息",
                "读取剪切板信息",
                "com.tencent.bugly.hotfix.Paste.read(Paste.java:9)",
            ),
        };
        text.push_str(&format!(
            "{{\"type\":\"notice\",\"time\":\"2026-11-30 10:{:02}:{:02}\",\"action\":\"{action}\",\"messages\":\"{detail}\",\"stacks\":\"at android.os.Binder.call(Native Method)\\nat {frame}\"}}\n",
            (i / 1000) % 60,
            (i / 17) % 60
        ));
    }
    std::fs::write(&log, text).expect("write the log");
    h.state_mut().send(app_inspector::ui::Command::ImportLog(log));
    h.state_mut().view = View::Behaviours;
    let mut frames = Vec::new();
    let start = Instant::now();
    while !(h.state().case.as_ref().is_some_and(|c| c.runtime_logs == 1)
        && h.state()
            .behaviours
            .loaded
            .as_ref()
            .is_some_and(|(_, n, _)| *n == 1))
        && start.elapsed() < Duration::from_secs(120)
    {
        std::thread::sleep(Duration::from_millis(5));
        let t = Instant::now();
        h.step();
        frames.push(t.elapsed());
    }
    let shown = h
        .state()
        .behaviours
        .loaded
        .as_ref()
        .map_or(0, |(_, _, l)| l.list.len());
    println!(
        "a 200,000-record behaviour log imported and its timeline read in the background: {} ({} frames drawn meanwhile; {shown} behaviours)",
        ms(start.elapsed()),
        frames.len()
    );
    report("frame while a behaviour log is imported", frames);
    // The timeline filtered to one phase and scrolled.
    h.state_mut().behaviours.phase = Some(app_inspector::runtime::Phase::BeforeConsent);
    let mut frames = Vec::new();
    for _ in 0..60 {
        frames.push(wheel(&mut h, egui::vec2(0.0, -10.0 * 16.0)));
    }
    report("frame while the filtered timeline scrolls", frames);
}

/// Turns the mouse wheel by `delta` points and draws a frame; how long the frame took.
fn wheel(h: &mut egui_kittest::Harness<'_, App>, delta: egui::Vec2) -> Duration {
    h.event(egui::Event::MouseWheel {
        unit: egui::MouseWheelUnit::Point,
        delta,
        modifiers: egui::Modifiers::NONE,
        phase: egui::TouchPhase::Move,
        source: egui::MouseWheelSource::Wheel,
    });
    let t = Instant::now();
    h.step();
    t.elapsed()
}

fn report(what: &str, mut frames: Vec<Duration>) {
    frames.sort();
    println!(
        "{what}: median {}, 95th percentile {}, worst {} (budget 16 ms)",
        ms(frames[frames.len() / 2]),
        ms(frames[frames.len() * 95 / 100]),
        ms(frames[frames.len() - 1])
    );
}
