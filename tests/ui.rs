//! The workbench window driven headless through its accessible labels (egui_kittest): create a
//! case from a corpus APK, walk the checklist with the keyboard, set a status, attach a
//! screenshot, see the score change, export a signed notice.

#![allow(clippy::unwrap_used)] // tests may unwrap: a panic is a failure with its place

mod support;

use std::time::{Duration, Instant};

use app_inspector::i18n::Lang;
use app_inspector::status::Status;
use app_inspector::ui::{App, View};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;

fn harness(app: App) -> Harness<'static, App> {
    Harness::builder()
        .with_size(egui::vec2(1280.0, 720.0))
        // The CJK font: kittest fails on any glyph the fonts lack, so this also proves no tofu.
        .with_context_setup(app_inspector::ui::install_fonts)
        .build_ui_state(|ui, app: &mut App| app.ui(ui), app)
}

/// Steps the window until `done` holds (background jobs finish on their own threads).
fn wait(h: &mut Harness<'_, App>, what: &str, done: impl Fn(&App) -> bool) {
    let start = Instant::now();
    while !done(h.state()) {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "timed out waiting for {what}; messages: {:?}",
            h.state().messages.iter().map(|m| &m.text).collect::<Vec<_>>()
        );
        std::thread::sleep(Duration::from_millis(20));
        h.step();
    }
    h.run_steps(2);
}

#[test]
fn a_whole_inspection_in_the_window() {
    let dir = support::Dir::new();
    let db = dir.join("cases.sqlite");
    let app = App::open(db.clone(), Some(Lang::Zh)).unwrap();
    let mut h = harness(app);
    h.run_steps(2);

    // New case: type the package path, name the subject, create.
    let apk = support::corpus().join("apk/bugly_hotfix_demo-release.apk");
    h.get_by_label("安装包路径").focus();
    h.run_steps(1);
    h.get_by_label("安装包路径").type_text(apk.to_str().unwrap());
    h.get_by_label("被检查主体名称").focus();
    h.run_steps(1);
    h.get_by_label("被检查主体名称")
        .type_text("深圳市示例科技有限公司");
    h.run_steps(1);
    h.get_by_label("新建案件").click();
    wait(&mut h, "the case to be created", |app| app.case.is_some());
    assert_eq!(h.state().view, View::Overview);
    let id = h.state().case.as_ref().unwrap().view.case.id.clone();
    assert_eq!(
        h.state().case.as_ref().unwrap().view.case.subject.name,
        "深圳市示例科技有限公司"
    );

    // The checklist walker: the keyboard moves and judges.
    h.get_by_label("逐项检查").click();
    h.run_steps(2);
    assert_eq!(h.state().case.as_ref().unwrap().selected, "1.1");
    h.key_press(egui::Key::J);
    h.run_steps(1);
    h.key_press(egui::Key::ArrowDown);
    h.run_steps(1);
    assert_eq!(h.state().case.as_ref().unwrap().selected, "1.3");
    h.key_press(egui::Key::Num3);
    h.run_steps(2);
    assert_eq!(
        h.state().case.as_ref().unwrap().view.status("1.3"),
        Status::NonCompliant
    );
    h.key_press(egui::Key::K);
    h.run_steps(1);
    h.key_press(egui::Key::Num1);
    h.run_steps(2);
    assert_eq!(
        h.state().case.as_ref().unwrap().view.status("1.2"),
        Status::Compliant
    );
    // Saved as it is made: another connection sees it.
    let other = app_inspector::case::Store::open(&db).unwrap();
    assert_eq!(other.load(&id).unwrap().status("1.3"), Status::NonCompliant);

    // Attach a screenshot to the selected test point.
    let shot = support::corpus().join("screens/zh-CN_settings__keepalive.png");
    h.get_by_label("证据文件路径").focus();
    h.run_steps(1);
    h.get_by_label("证据文件路径").type_text(shot.to_str().unwrap());
    h.run_steps(1);
    h.get_by_label("附加证据").click();
    wait(&mut h, "the evidence to be attached", |app| {
        app.case.as_ref().unwrap().view.evidence.len() == 1
    });
    wait(&mut h, "its thumbnail", |app| {
        !app.case.as_ref().unwrap().thumbs.is_empty()
    });
    assert_eq!(
        h.state().case.as_ref().unwrap().view.evidence[0]
            .testpoint
            .as_deref(),
        Some("1.2")
    );

    // The evidence viewer shows the screenshot at full size once a worker has decoded it.
    h.state_mut().show_view("evidence");
    let full = image::load_from_memory(&std::fs::read(&shot).unwrap()).unwrap();
    let aspect = full.height() as f32 / full.width() as f32;
    // Larger than the thumbnail (240 wide), same shape; scaled only to fit the GPU's texture limit.
    wait(&mut h, "the full-size image", |app| {
        app.case
            .as_ref()
            .unwrap()
            .full
            .as_ref()
            .is_some_and(|(_, _, [w, h])| *w > 240 && ((*h as f32 / *w as f32) - aspect).abs() < 0.01)
    });

    // The score shows the change, with its arithmetic.
    h.get_by_label("评分").click();
    h.run_steps(2);
    let score = &h.state().case.as_ref().unwrap().score;
    assert_eq!((score.total.compliant, score.total.non_compliant), (1, 1));
    h.get_by_label_contains("结论");
    h.get_by_label_contains("得分 = 加权得分");

    // Export a signed notice.
    let p12 = dir.join("inspector.p12");
    std::fs::write(
        &p12,
        app_inspector::notice::cert::new_pkcs12("张三", Some("广东省通信管理局"), 1, "pw").unwrap(),
    )
    .unwrap();
    h.get_by_label("通知书").click();
    h.run_steps(2);
    let out = dir.join("notice.pdf");
    {
        let forms = &mut h.state_mut().forms;
        forms.notice_out = out.display().to_string();
        forms.p12_password = "pw".into();
    }
    h.state_mut().settings.p12_path = p12.display().to_string();
    h.state_mut().settings.authority = "广东省通信管理局".into();
    h.run_steps(1);
    h.get_by_label("导出通知书").click();
    wait(&mut h, "the notice", |app| app.forms.last_notice.is_some());
    assert!(
        h.state()
            .forms
            .last_notice
            .as_deref()
            .unwrap()
            .contains("签名有效"),
        "{:?}",
        h.state().forms.last_notice
    );
    let pdf = std::fs::read(&out).unwrap();
    assert!(app_inspector::notice::verify::verify(&pdf).valid);
    assert_eq!(h.state().case.as_ref().unwrap().view.notices.len(), 1);
}

#[test]
fn reopening_returns_to_the_same_case_and_test_point() {
    let dir = support::Dir::new();
    let db = dir.join("cases.sqlite");
    let mut store = app_inspector::case::Store::open(&db).unwrap();
    let id = store
        .new_case(
            &app_inspector::case::NewCase {
                package: support::corpus().join("apk/androguard_com.politedroid_4.apk"),
                subject_name: "某公司".into(),
                subject_type: app_inspector::checklist::SubjectType::AppOperator,
                credit_code: String::new(),
                address: String::new(),
                inspectors: vec!["张三".into()],
                checklist: "miit-2023-26".into(),
            },
            "张三",
        )
        .unwrap();
    drop(store);
    let mut app = App::open(db.clone(), None).unwrap();
    app.load_case(&id).unwrap();
    app.view = View::Walker;
    let mut h = harness(app);
    h.run_steps(2);
    for _ in 0..5 {
        h.key_press(egui::Key::ArrowDown);
        h.run_steps(1);
    }
    let selected = h.state().case.as_ref().unwrap().selected.clone();
    assert_eq!(selected, "2.1", "clause 1 has five test points");
    drop(h);
    // A new window on the same database comes back where the last one was.
    let again = App::open(db, None).unwrap();
    assert_eq!(again.view, View::Walker);
    assert_eq!(again.case.as_ref().unwrap().view.case.id, id);
    assert_eq!(again.case.as_ref().unwrap().selected, "2.1");
}

#[test]
fn english_is_complete_and_errors_are_shown_in_the_window() {
    let dir = support::Dir::new();
    let app = App::open(dir.join("cases.sqlite"), Some(Lang::En)).unwrap();
    let mut h = harness(app);
    h.run_steps(2);
    h.get_by_label("Package path").focus();
    h.run_steps(1);
    h.get_by_label("Package path").type_text("/nonexistent/app.apk");
    h.run_steps(1);
    h.get_by_label("Create case").click();
    wait(&mut h, "the error", |app| app.messages.iter().any(|m| m.error));
    let message = &h.state().messages.iter().find(|m| m.error).unwrap().text;
    assert!(message.contains("/nonexistent/app.apk"), "{message}");
    h.get_by_label_contains("/nonexistent/app.apk");
}
