//! The workbench window driven headless through its accessible labels (egui_kittest): create a
//! case from a corpus APK, walk the checklist with the keyboard, set a status, attach a
//! screenshot, see the score change, export a signed notice.

#![allow(clippy::unwrap_used)] // tests may unwrap: a panic is a failure with its place

mod support;

use std::time::{Duration, Instant};

use app_inspector::case::CaseState;
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

/// The window on the checklist walker of a new case (Polite Droid), in its own folder.
fn walker_on_a_case(lang: Option<Lang>) -> (support::Dir, std::path::PathBuf, String, Harness<'static, App>) {
    let dir = support::Dir::new();
    let db = dir.join("cases.sqlite");
    let mut store = app_inspector::case::Store::open(&db).unwrap();
    let id = support::politedroid_case(&mut store, "某公司");
    drop(store);
    let mut app = App::open(db.clone(), lang).unwrap();
    app.load_case(&id).unwrap();
    app.view = View::Walker;
    let mut h = harness(app);
    h.run_steps(2);
    (dir, db, id, h)
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
    h.get_by_label_contains("结论: ");
    h.get_by_label_contains("得分 = 加权得分");

    // Export a signed notice.
    let p12 = dir.join("inspector.p12");
    std::fs::write(
        &p12,
        app_inspector::notice::cert::new_pkcs12("张三", Some("广东省通信管理局"), 1, "pw").unwrap(),
    )
    .unwrap();
    // A rectification notice needs an authority's profile, two officers and facts for each
    // finding: until then the notice view says what is missing and export is disabled.
    h.get_by_label("通知书").click();
    let out = dir.join("notice.pdf");
    {
        let notice = &mut h.state_mut().notice;
        notice.out = out.display().to_string();
        notice.p12_password = "pw".into();
    }
    h.state_mut().settings.p12_path = p12.display().to_string();
    h.state_mut().settings.authority = "广东省通信管理局".into();
    wait(&mut h, "the preview", |app| app.notice.preview.is_some());
    assert!(!h.state().notice.problems.is_empty());
    h.get_by_label_contains("没有名为“广东省通信管理局”的发文机关");
    {
        let mut store = app_inspector::case::Store::open(&db).unwrap();
        let mut a = app_inspector::case::Authority::new("广东省通信管理局", "粤通管责改");
        a.contact = "网络安全管理处 王五 020-12345678".into();
        store.set_authority(&a).unwrap();
        store
            .set_inspectors(&id, &["张三=粤A0001".into(), "李四=粤A0002".into()], "张三")
            .unwrap();
        store
            .assess(
                &id,
                "1.3",
                Status::NonCompliant,
                "卸载后仍有残留（示例记录）",
                "张三",
            )
            .unwrap();
    }
    h.state_mut().authorities = None;
    h.state_mut().reload();
    wait(&mut h, "a preview without problems", |app| {
        app.notice.preview.is_some() && app.notice.problems.is_empty()
    });
    h.get_by_label("导出通知书").click();
    wait(&mut h, "the notice", |app| app.notice.last_notice.is_some());
    assert!(
        h.state()
            .notice
            .last_notice
            .as_deref()
            .unwrap()
            .contains("签名有效"),
        "{:?}",
        h.state().notice.last_notice
    );
    let pdf = std::fs::read(&out).unwrap();
    assert!(app_inspector::notice::verify::verify(&pdf).valid);
    assert_eq!(h.state().case.as_ref().unwrap().view.notices.len(), 1);
    // The case list shows the notice's deadline, counted in the authority's time zone.
    h.get_by_label("案件").click();
    h.run_steps(2);
    let line = h.state().cases.iter().find(|c| c.id == id).unwrap().clone();
    assert_eq!((line.days_left, line.overdue), (Some(15), false));
    h.get_by_label_contains("（剩 15 天）");
    h.get_by_label("只看逾期").click();
    h.run_steps(2);
    h.get_by_label_contains("显示 0 / 1");
}

#[test]
fn reopening_returns_to_the_same_case_and_test_point() {
    let (_dir, db, id, mut h) = walker_on_a_case(None);
    for _ in 0..5 {
        h.key_press(egui::Key::ArrowDown);
        h.run_steps(1);
    }
    let selected = h.state().case.as_ref().unwrap().selected.clone();
    assert_eq!(selected, "1.6", "clause 1 has six test points");
    drop(h);
    // A new window on the same database comes back where the last one was.
    let again = App::open(db, None).unwrap();
    assert_eq!(again.view, View::Walker);
    assert_eq!(again.case.as_ref().unwrap().view.case.id, id);
    assert_eq!(again.case.as_ref().unwrap().selected, "1.6");
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
    // And why: the cause, not only "cannot read".
    assert!(message.contains("No such file or directory"), "{message}");
    h.get_by_label_contains("/nonexistent/app.apk");
}

#[test]
fn the_chinese_window_says_errors_in_chinese() {
    let dir = support::Dir::new();
    let app = App::open(dir.join("cases.sqlite"), Some(Lang::Zh)).unwrap();
    let mut h = harness(app);
    h.run_steps(2);
    h.get_by_label("安装包路径").focus();
    h.run_steps(1);
    h.get_by_label("安装包路径").type_text("/nonexistent/app.apk");
    h.run_steps(1);
    h.get_by_label("新建案件").click();
    wait(&mut h, "the error", |app| app.messages.iter().any(|m| m.error));
    let message = &h.state().messages.iter().find(|m| m.error).unwrap().text;
    // The file, what went wrong and why, all in Chinese (not the OS's English).
    assert!(
        message.contains("无法读取 /nonexistent/app.apk：文件或文件夹不存在"),
        "{message}"
    );
    assert!(!message.contains("No such file"), "{message}");
}

/// Waits until the evidence viewer shows the full image (the 240-wide thumbnail shows first).
fn wait_full_image(h: &mut Harness<'_, App>) {
    wait(h, "the full screenshot", |app| {
        app.case
            .as_ref()
            .unwrap()
            .full
            .as_ref()
            .is_some_and(|(_, _, [w, _])| *w > 240)
    });
}

/// A file dropped from a file manager (egui leaves the handle to the windowing backend).
#[derive(Debug)]
struct Dropped(std::path::PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &std::path::Path {
        &self.0
    }
    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

/// Drops a file on the window, as from a file manager.
fn drop_file(h: &mut Harness<'_, App>, path: &std::path::Path) {
    h.input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(path.to_path_buf())));
    h.run_steps(1);
}

/// Drags the pointer from `a` to `b` in small moves, as a hand would.
fn drag(h: &mut Harness<'_, App>, a: egui::Pos2, b: egui::Pos2) {
    h.hover_at(a);
    h.run_steps(1);
    h.drag_at(a);
    h.run_steps(1);
    for i in 1..=5 {
        h.hover_at(a + (b - a) * (i as f32 / 5.0));
        h.run_steps(1);
    }
    h.drop_at(b);
    h.run_steps(2);
}

fn shapes(app: &App) -> Vec<serde_json::Value> {
    let case = app.case.as_ref().unwrap();
    let link = app.evidence.selected.unwrap();
    let item = case.view.evidence.iter().find(|e| e.link_id == link).unwrap();
    item.annotations.as_array().cloned().unwrap_or_default()
}

/// Issue 6's "done when", through what a person sees and does only: no state is set behind the
/// window's back. Drop a package and two screenshots, judge five test points, annotate a
/// screenshot (draw, move, delete), make a certificate and export a signed notice.
#[test]
fn a_newcomer_inspects_with_only_the_window() {
    let dir = support::Dir::new();
    let db = dir.join("cases.sqlite");
    let mut h = harness(App::open(db.clone(), Some(Lang::Zh)).unwrap());
    h.run_steps(2);

    // Name the subject, drop the package on the window.
    h.get_by_label("被检查主体名称").focus();
    h.run_steps(1);
    h.get_by_label("被检查主体名称").type_text("某某网络科技有限公司");
    h.run_steps(1);
    drop_file(
        &mut h,
        &support::corpus().join("apk/bugly_hotfix_demo-release.apk"),
    );
    wait(&mut h, "the case", |app| app.case.is_some());
    assert_eq!(h.state().view, View::Overview);
    // The overview shows the App's launcher icon, read from the package.
    h.get_by_label("应用图标");

    // Judge five test points with the keyboard.
    h.get_by_label("逐项检查").click();
    h.run_steps(2);
    for key in [
        egui::Key::Num3,
        egui::Key::Num1,
        egui::Key::Num2,
        egui::Key::Num4,
        egui::Key::Num1,
    ] {
        h.key_press(key);
        h.run_steps(1);
        h.key_press(egui::Key::J);
        h.run_steps(1);
    }
    let case = &h.state().case.as_ref().unwrap().view;
    let judged: Vec<Status> = ["1.1", "1.2", "1.3", "1.4", "1.5"]
        .iter()
        .map(|t| case.status(t))
        .collect();
    assert_eq!(
        judged,
        [
            Status::NonCompliant,
            Status::Compliant,
            Status::Partial,
            Status::NotApplicable,
            Status::Compliant
        ]
    );

    // Two screenshots dropped on the window go to the current test point.
    let shots = [
        support::corpus().join("screens/zh-CN_settings__keepalive.png"),
        support::corpus().join("screens/privacy_terms_screen__susi_android.png"),
    ];
    for s in &shots {
        drop_file(&mut h, s);
    }
    wait(&mut h, "two screenshots", |app| {
        app.case.as_ref().unwrap().view.evidence.len() == 2
    });
    assert!(
        h.state()
            .case
            .as_ref()
            .unwrap()
            .view
            .evidence
            .iter()
            .all(|e| e.testpoint.as_deref() == Some("1.6"))
    );

    // Open one in the evidence view by its name, and draw a rectangle and an arrow on it.
    h.get_by_label("证据").click();
    wait(&mut h, "the thumbnails", |app| {
        app.case.as_ref().unwrap().thumbs.len() == 2
    });
    h.get_by_label("zh-CN_settings__keepalive.png").click();
    // The thumbnail shows at once; the full image replaces it when a worker has decoded it.
    wait_full_image(&mut h);
    let canvas = h.get_by_label("截图标注区").rect();
    // Points as fractions of the screenshot shown.
    let at = |x: f32, y: f32| canvas.min + egui::vec2(x * canvas.width(), y * canvas.height());
    drag(&mut h, at(0.1, 0.05), at(0.6, 0.2));
    assert_eq!(shapes(h.state()).len(), 1, "a rectangle");
    h.get_by_label("箭头").click();
    h.run_steps(1);
    drag(&mut h, at(0.8, 0.4), at(0.7, 0.3));
    let drawn = shapes(h.state());
    assert_eq!(
        drawn
            .iter()
            .map(|s| s["kind"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ["rect", "arrow"]
    );

    // Move the rectangle by its edge; delete the arrow.
    h.get_by_label("选择/移动").click();
    h.run_steps(1);
    drag(&mut h, at(0.1, 0.12), at(0.3, 0.12));
    let moved = shapes(h.state());
    let dx = moved[0]["x"].as_f64().unwrap() - drawn[0]["x"].as_f64().unwrap();
    assert!((dx - 0.2).abs() < 0.01, "moved a fifth of the width right: {dx}");
    assert_eq!(moved[0]["y"], drawn[0]["y"]);
    assert_eq!(moved[1], drawn[1], "the arrow stayed");
    h.get_by_label("删除 2").click();
    h.run_steps(2);
    assert_eq!(shapes(h.state()).len(), 1);
    // The original is untouched: the stored file still hashes as when it was collected.
    let item = h
        .state()
        .case
        .as_ref()
        .unwrap()
        .view
        .evidence
        .iter()
        .find(|e| e.original_name == "zh-CN_settings__keepalive.png")
        .unwrap()
        .clone();
    assert_eq!(
        item.sha256,
        app_inspector::case::sha256_hex(&std::fs::read(&shots[0]).unwrap())
    );

    // The score counts the five judgments.
    h.get_by_label("评分").click();
    h.run_steps(2);
    assert_eq!(
        h.state().case.as_ref().unwrap().score.total.checked,
        4,
        "not applicable is not counted"
    );

    // The issuing authority's profile, in Settings.
    h.get_by_label("设置").click();
    h.run_steps(2);
    for (label, text) in [
        ("机关名称", "广东省通信管理局"),
        ("机关代字", "粤通管责改"),
        ("承办处室联系方式", "网络安全管理处 王五 020-12345678"),
    ] {
        h.get_by_label(label).focus();
        h.run_steps(1);
        h.get_by_label(label).type_text(text);
        h.run_steps(1);
    }
    h.get_by_label("保存发文机关").click();
    h.run_steps(2);
    assert_eq!(h.state().settings.authority, "广东省通信管理局");
    // Two officers with their certificate numbers, in the Overview (audited).
    h.get_by_label("概览").click();
    h.run_steps(2);
    let field = "检查人员（姓名=执法证号）";
    h.get_by_label(field).focus();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run_steps(1);
    h.get_by_label(field).type_text("张三=粤A0001；李四=粤A0002");
    h.run_steps(1);
    h.get_by_label("保存检查人员").click();
    h.run_steps(2);
    let id = h.state().case.as_ref().unwrap().view.case.id.clone();
    assert_eq!(h.state().case.as_ref().unwrap().view.case.inspectors.len(), 2);
    // Facts for the findings (their notes).
    {
        let mut store = app_inspector::case::Store::open(&db).unwrap();
        for (tp, status, note) in [
            ("1.1", Status::NonCompliant, "下载页未展示开发运营者和权限列表"),
            ("1.3", Status::Partial, "安装后首次运行未说明用途"),
        ] {
            store.assess(&id, tp, status, note, "张三").unwrap();
        }
    }
    h.state_mut().reload();
    // The notice: a password, a new self-signed certificate, where to save, export.
    h.get_by_label("通知书").click();
    h.run_steps(2);
    h.get_by_label("证书密码").focus();
    h.run_steps(1);
    h.get_by_label("证书密码").type_text("correct horse");
    h.run_steps(1);
    // The preview beside the form: the same layout as the PDF, remade as the form changes.
    let texts = |app: &App, page: usize| -> String {
        let (pages, _, _) = app.notice.preview.as_ref().unwrap();
        pages[page]
            .iter()
            .filter_map(|op| match op {
                app_inspector::notice::layout::Op::Text { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect()
    };
    wait(&mut h, "the preview with the authority", |app| {
        app.notice.preview.is_some() && texts(app, 0).contains("广东省通信管理局")
    });
    assert!(texts(h.state(), 0).contains("责令整改通知书"));
    let pages = h.state().notice.preview.as_ref().unwrap().0.len();
    assert!(pages >= 2, "the notice and its evidence appendix: {pages} pages");
    h.get_by_label(&format!("第 1 / {pages}"));
    h.get_by_label("下一页").click();
    h.run_steps(2);
    h.get_by_label(&format!("第 2 / {pages}"));
    h.get_by_label("生成自签名证书").click();
    h.run_steps(2);
    assert!(std::path::Path::new(&h.state().settings.p12_path).is_file());
    let out = dir.join("通知书.pdf");
    h.get_by_label("保存到").focus();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run_steps(1);
    h.get_by_label("保存到").type_text(out.to_str().unwrap());
    h.run_steps(1);
    h.get_by_label("导出通知书").click();
    wait(&mut h, "the notice", |app| app.notice.last_notice.is_some());
    let last = h.state().notice.last_notice.clone().unwrap();
    assert!(last.contains("签名有效"), "{last}");
    // Shown in the notice view and in the message bar.
    assert!(h.query_all_by_label_contains("签名有效").count() >= 1);
    let pdf = std::fs::read(&out).unwrap();
    let v = app_inspector::notice::verify::verify(&pdf);
    assert!(v.valid, "{v:?}");
}

#[test]
fn the_case_list_filters_by_state_and_verdict() {
    let dir = support::Dir::new();
    let db = dir.join("cases.sqlite");
    let mut store = app_inspector::case::Store::open(&db).unwrap();
    let bad = support::politedroid_case(&mut store, "甲公司");
    let fine = support::politedroid_case(&mut store, "乙公司");
    // 1.3 (silent installation) is high severity: non-compliant there means rectification.
    store
        .assess(&bad, "1.3", Status::NonCompliant, "静默安装", "张三")
        .unwrap();
    store.assess(&fine, "1.1", Status::Compliant, "", "张三").unwrap();
    store.close(&fine, &Default::default(), "张三").unwrap();
    drop(store);

    let mut h = harness(App::open(db, Some(Lang::Zh)).unwrap());
    h.run_steps(2);
    assert!(h.query_by_label(&bad).is_some() && h.query_by_label(&fine).is_some());
    // Each row says its verdict.
    h.get_by_label("需责令整改");
    h.get_by_label("检查未完成");

    h.state_mut().case_list.verdict_filter = Some(app_inspector::score::Verdict::RectificationRequired);
    h.run_steps(2);
    assert!(h.query_by_label(&bad).is_some());
    assert!(h.query_by_label(&fine).is_none());
    h.get_by_label("显示 1 / 2");

    h.state_mut().case_list.verdict_filter = None;
    h.state_mut().case_list.state_filter = Some(app_inspector::ui::StateChoice::Finished);
    h.run_steps(2);
    assert!(h.query_by_label(&bad).is_none(), "open, not closed");
    assert!(h.query_by_label(&fine).is_some());
    h.state_mut().case_list.state_filter = Some(app_inspector::ui::StateChoice::Exactly(CaseState::Open));
    h.run_steps(2);
    assert!(h.query_by_label(&bad).is_some() && h.query_by_label(&fine).is_none());

    // Free text matches the subject and the date the case was opened.
    h.state_mut().case_list.state_filter = None;
    h.get_by_label("搜索案件").focus();
    h.run_steps(1);
    h.get_by_label("搜索案件").type_text("甲公司");
    h.run_steps(2);
    assert!(h.query_by_label(&bad).is_some() && h.query_by_label(&fine).is_none());
}

/// Issue 7: an empty database offers the sample case, and every view then has content.
#[test]
fn first_run_offers_a_sample_case_with_content_in_every_view() {
    let dir = support::Dir::new();
    let mut h = harness(App::open(dir.join("cases.sqlite"), Some(Lang::Zh)).unwrap());
    h.run_steps(2);
    h.get_by_label("第一次使用？");
    h.get_by_label("打开示例案件").click();
    wait(&mut h, "the sample case", |app| app.case.is_some());
    let case = h.state().case.as_ref().unwrap();
    assert!(case.view.case.subject.name.contains("示例"));
    assert!(
        case.view.case.app.name.contains("合成"),
        "{}",
        case.view.case.app.name
    );
    assert_eq!(
        case.view.evidence.len(),
        3,
        "two screenshots and the behaviour log"
    );
    assert_eq!(case.runtime_logs, 1);
    assert_eq!(
        case.view.assessments.len(),
        6,
        "five judged, one accepted suggestion"
    );
    // The log's suggestions wait for the inspector; a before-consent fact counts only the records
    // before consent (the busy minute after it is 8.4's).
    let early = case
        .view
        .suggestions
        .iter()
        .find(|s| s.testpoint == "9.1" && s.rule.starts_with("runtime-"))
        .expect("a run-time suggestion on 9.1");
    assert_eq!(early.review, "pending");
    let zh = early.evidence.zh.as_str();
    assert!(
        zh.contains("读取ANDROID_ID 3 次") && !zh.contains("一分钟内"),
        "{zh}"
    );
    assert!(
        case.view
            .suggestions
            .iter()
            .any(|s| s.testpoint == "8.4" && s.evidence.zh.contains("一分钟内最多 28 次"))
    );
    assert!(case.view.suggestions.iter().any(|s| s.review == "accepted"));
    assert!(
        case.view
            .suggestions
            .iter()
            .any(|s| s.review == "rejected" && !s.reason.is_empty())
    );
    let report = case.report.as_ref().unwrap();
    assert!(
        report
            .auto_start
            .iter()
            .any(|a| a.component.ends_with("BootReceiver")),
        "{:?}",
        report.auto_start
    );
    let sdks: Vec<&str> = report
        .sdks
        .iter()
        .chain(&report.hot_update)
        .map(|s| s.id.as_str())
        .collect();
    for sdk in ["umeng-analytics", "bugly", "tinker"] {
        assert!(sdks.contains(&sdk), "{sdk} in {sdks:?}");
    }
    assert_eq!(
        case.score.verdict,
        app_inspector::score::Verdict::RectificationRequired
    );

    // Every view shows it.
    h.get_by_label("应用图标");
    h.get_by_label_contains("READ_PHONE_STATE");
    h.get_by_label("逐项检查").click();
    h.run_steps(2);
    h.get_by_label("证据").click();
    wait(&mut h, "the thumbnails", |app| {
        app.case.as_ref().unwrap().thumbs.len() == 2
    });
    h.get_by_label("splash-ad-sample.png").click();
    wait_full_image(&mut h);
    h.get_by_label_contains("跳过按钮不明显");
    h.get_by_label("运行时行为").click();
    wait(&mut h, "the timeline", |app| app.behaviours.loaded.is_some());
    h.get_by_label_contains("显示 30 / 30");
    h.get_by_label("每分钟行为次数，最多 29 次");
    h.get_by_label("评分").click();
    h.run_steps(2);
    assert!(h.query_all_by_label_contains("需责令整改").count() >= 1);
    h.get_by_label("通知书").click();
    wait(&mut h, "the preview", |app| app.notice.preview.is_some());
    // The offer is gone once there is a case.
    h.get_by_label("案件").click();
    h.run_steps(2);
    assert!(h.query_by_label("打开示例案件").is_none());
}

/// `app-inspector open FILE…` (what the desktop entry runs): files are opened as if dropped.
#[test]
fn files_named_on_the_command_line_are_opened_on_the_first_frame() {
    let dir = support::Dir::new();
    let mut app = App::open(dir.join("cases.sqlite"), Some(Lang::Zh)).unwrap();
    app.pending_files = vec![support::corpus().join("apk/androguard_com.politedroid_4.apk")];
    let mut h = harness(app);
    h.run_steps(1);
    wait(&mut h, "the case from the named package", |app| {
        app.case.is_some()
    });
    assert_eq!(
        h.state().case.as_ref().unwrap().view.case.app.package,
        "com.politedroid"
    );
}

/// A screenshot dropped on a test point's row in the walker is attached to that test point.
#[test]
fn a_screenshot_dropped_on_a_test_point_goes_to_it() {
    let (_dir, _db, _id, mut h) = walker_on_a_case(Some(Lang::Zh));
    assert_eq!(h.state().case.as_ref().unwrap().selected, "1.1");
    let row = h
        .state()
        .walker
        .point_rows
        .iter()
        .find(|(tp, _)| tp == "1.4")
        .map(|(_, r)| *r)
        .expect("the row of 1.4 is visible");
    h.hover_at(row.center());
    h.run_steps(1);
    drop_file(
        &mut h,
        &support::corpus().join("screens/zh-CN_settings__keepalive.png"),
    );
    wait(&mut h, "the evidence", |app| {
        !app.case.as_ref().unwrap().view.evidence.is_empty()
    });
    let case = h.state().case.as_ref().unwrap();
    assert_eq!(case.view.evidence[0].testpoint.as_deref(), Some("1.4"));
    assert_eq!(case.selected, "1.4", "the walker follows the drop");
}

/// Issue 11: Ctrl/Alt/Super with a digit never judges, and J/K/↑/↓ never skip a test point when
/// the one just judged leaves the filtered list.
#[test]
fn digits_with_a_modifier_never_judge_and_the_filtered_walk_skips_nothing() {
    let (_dir, _db, _id, mut h) = walker_on_a_case(Some(Lang::Zh));
    let selected = |h: &Harness<'static, App>| h.state().case.as_ref().unwrap().selected.clone();
    let status = |h: &Harness<'static, App>, tp: &str| h.state().case.as_ref().unwrap().view.status(tp);
    h.key_press(egui::Key::Num3);
    h.run_steps(2);
    assert_eq!(status(&h, "1.1"), Status::NonCompliant);
    for m in [
        egui::Modifiers::CTRL,
        egui::Modifiers::ALT,
        egui::Modifiers::COMMAND,
        egui::Modifiers::MAC_CMD,
    ] {
        for key in [egui::Key::Num0, egui::Key::Num1, egui::Key::J] {
            h.key_press_modifiers(m, key);
            h.run_steps(2);
            assert_eq!(status(&h, "1.1"), Status::NonCompliant, "{m:?}+{key:?} judged");
            assert_eq!(selected(&h), "1.1", "{m:?}+{key:?} moved");
        }
    }

    // Only the test points not yet checked: judging one makes it leave the list.
    h.state_mut().filter = app_inspector::ui::Filter::NotChecked;
    h.state_mut().case.as_mut().unwrap().selected = "1.2".into();
    h.run_steps(2);
    h.key_press(egui::Key::Num1);
    h.run_steps(2);
    assert_eq!(status(&h, "1.2"), Status::Compliant);
    h.key_press(egui::Key::J);
    h.run_steps(2);
    assert_eq!(
        selected(&h),
        "1.3",
        "down from a point that left the list goes to the next"
    );
    h.key_press(egui::Key::Num2);
    h.run_steps(2);
    h.key_press(egui::Key::ArrowUp);
    h.run_steps(2);
    // 1.1 and 1.2 are judged: nothing visible before 1.3, so the first visible one.
    let first = h.state().visible_points()[0].clone();
    assert_eq!(selected(&h), first);
    h.state_mut().case.as_mut().unwrap().selected = "1.5".into();
    h.key_press(egui::Key::Num1);
    h.run_steps(2);
    h.key_press(egui::Key::K);
    h.run_steps(2);
    assert_eq!(
        selected(&h),
        "1.4",
        "up from a point that left the list goes to the previous"
    );
}

/// Issue 11: the overview names the checklist version; moving to another one shows the plan in
/// a dialog and changes nothing until applied; the walker then lists what is to be re-checked.
#[test]
fn moving_a_case_to_another_checklist_version_is_shown_then_applied() {
    let dir = support::Dir::new();
    let db = dir.join("cases.sqlite");
    // Another case of this database is judged against 2026.3 (9.2 reworded, 4.7 → 4.8).
    let newer = dir.write(
        "miit-2023-26-2026.3.toml",
        include_str!("../checklists/miit-2023-26.toml")
            .replacen("version = \"2026.2\"", "version = \"2026.3\"", 1)
            .replacen(
                "不超过4次点击即可访问隐私政策",
                "不超过3次点击即可访问隐私政策",
                1,
            )
            .replacen("id = \"4.7\"", "id = \"4.8\"", 1),
    );
    let mut store = app_inspector::case::Store::open(&db).unwrap();
    let mut new = app_inspector::case::NewCase {
        package: support::corpus().join("apk/androguard_com.politedroid_4.apk"),
        subject_name: "乙公司".into(),
        roles: vec![app_inspector::checklist::SubjectType::AppOperator],
        credit_code: String::new(),
        address: String::new(),
        inspectors: vec!["张三".into()],
        checklist: newer.display().to_string(),
        filing: String::new(),
    };
    store.new_case(&new, "张三").unwrap();
    new.checklist = "miit-2023-26".into();
    let id = store.new_case(&new, "张三").unwrap();
    store
        .assess(&id, "9.2", Status::NonCompliant, "需5次点击", "张三")
        .unwrap();
    drop(store);
    let mut app = App::open(db.clone(), Some(Lang::Zh)).unwrap();
    app.load_case(&id).unwrap();
    app.view = View::Overview;
    let mut h = harness(app);
    h.run_steps(2);
    h.get_by_label("迁移到 2026.3…").click();
    h.run_steps(2);
    h.get_by_label("迁移检查表版本 2026.2 → 2026.3");
    h.get_by_label("有变化（需复查）");
    h.get_by_label("取消").click();
    h.run_steps(2);
    assert!(h.state().walker.migration.is_none());
    assert_eq!(h.state().case.as_ref().unwrap().checklist.version, "2026.2");

    h.get_by_label("迁移到 2026.3…").click();
    h.run_steps(2);
    h.get_by_label("应用迁移").click();
    h.run_steps(2);
    let case = h.state().case.as_ref().unwrap();
    assert_eq!(case.checklist.version, "2026.3");
    assert_eq!(case.view.status("9.2"), Status::NonCompliant);
    h.get_by_label("逐项检查").click();
    h.run_steps(2);
    h.get_by_label("需复查").click();
    h.run_steps(2);
    assert_eq!(h.state().visible_points(), ["4.8", "9.2"]);
    let store = app_inspector::case::Store::open(&db).unwrap();
    store.prove(&id).unwrap().unwrap();
}

/// Issue 11: an accepted suggestion never changes the inspector's judgement; taking its status is
/// the inspector's own click, and keeps the note.
#[test]
fn taking_an_accepted_suggestions_status_is_the_inspectors_own_step() {
    let (_dir, db, id, mut h) = walker_on_a_case(Some(Lang::Zh));
    let mut store = app_inspector::case::Store::open(&db).unwrap();
    let s = store
        .load(&id)
        .unwrap()
        .suggestions
        .into_iter()
        .find(|s| matches!(s.suggested_status, Status::NonCompliant | Status::Partial))
        .unwrap();
    store
        .assess(&id, &s.testpoint, Status::Compliant, "现场核实无此问题", "张三")
        .unwrap();
    store
        .review(&id, &s.testpoint, Some(&s.rule), true, "", "张三")
        .unwrap();
    drop(store);
    h.state_mut().load_case(&id).unwrap();
    h.state_mut().case.as_mut().unwrap().selected = s.testpoint.clone();
    h.run_steps(2);
    assert_eq!(
        h.state().case.as_ref().unwrap().view.status(&s.testpoint),
        Status::Compliant
    );
    let label = format!(
        "采用已采纳建议的结论（{}），保留检查记录",
        s.suggested_status.label().zh
    );
    h.get_by_label(&label).click();
    h.run_steps(2);
    let a = h
        .state()
        .case
        .as_ref()
        .unwrap()
        .view
        .assessment(&s.testpoint)
        .unwrap()
        .clone();
    assert_eq!(
        (a.status, a.note.as_str(), a.source.as_str()),
        (s.suggested_status, "现场核实无此问题", "inspector")
    );
}

#[test]
fn the_overview_answers_conditions_and_records_test_conditions() {
    let (_dir, db, id, mut h) = walker_on_a_case(Some(Lang::Zh));
    h.state_mut().show_view("overview");
    h.run_steps(2);
    // What to look at first in the package, in words.
    h.get_by_label_contains("targetSdkVersion 为 3（低于 23）");
    h.get_by_label_contains("个导出组件未受权限保护");
    h.get_by_label_contains("最低 / 目标 SDK");
    // Every condition bearing on the case is asked, unanswered at first; one click answers it.
    h.get_by_label_contains("APP是否提供付费服务");
    let no = h.get_all_by_label("否").nth(2).unwrap();
    no.click();
    h.run_steps(2);
    let view = app_inspector::case::Store::open(&db).unwrap().load(&id).unwrap();
    assert_eq!(
        view.applicability
            .iter()
            .map(|a| (a.condition.as_str(), a.applies))
            .collect::<Vec<_>>(),
        [("paid-services", false)]
    );
    // The score explains what the answer did.
    h.get_by_label("评分").click();
    h.run_steps(2);
    h.get_by_label_contains("回答为“否”：10 项附条件检查项");

    // Test conditions: drafted in the form, saved as one audited change.
    h.get_by_label("概览").click();
    h.run_steps(2);
    h.get_by_label("检查条件（未记录）").click();
    h.run_steps(2);
    h.get_by_label("保存检查条件"); // shown, disabled until something changes
    if let Some((_, draft)) = h.state_mut().overview.conditions.as_mut() {
        draft.device = "Pixel 7".into();
        draft.clean_install = Some(true);
    }
    h.run_steps(1);
    h.get_by_label("保存检查条件").click();
    h.run_steps(2);
    let store = app_inspector::case::Store::open(&db).unwrap();
    let view = store.load(&id).unwrap();
    assert_eq!(view.test_conditions.device, "Pixel 7");
    assert_eq!(view.test_conditions.clean_install, Some(true));
    assert!(
        store
            .audit(&id)
            .unwrap()
            .iter()
            .any(|e| e.action == "case.test-conditions"),
        "the change is audited"
    );
    h.get_by_label("检查条件");
}

#[test]
fn themes_text_size_and_one_message_at_a_time() {
    let (_dir, db, _id, mut h) = walker_on_a_case(Some(Lang::Zh));
    h.get_by_label("设置").click();
    h.run_steps(2);
    h.get_by_label("浅色").click();
    h.run_steps(2);
    assert!(!h.ctx.global_style().visuals.dark_mode, "the light theme");
    assert_eq!(
        app_inspector::ui::theme::ThemeChoice::Light,
        h.state().settings.theme
    );
    h.get_by_label("深色").click();
    h.run_steps(2);
    assert!(h.ctx.global_style().visuals.dark_mode, "the dark theme");
    // No text under 12 px, in either theme.
    for (style, font) in h.ctx.global_style().text_styles.iter() {
        assert!(font.size >= 12.0, "{style:?} is {} px", font.size);
    }
    // The text size: everything scales.
    h.state_mut().settings.text_scale = 1.3;
    h.run_steps(2);
    assert!((h.ctx.zoom_factor() - 1.3).abs() < 0.01);
    h.state_mut().settings.text_scale = 1.0;
    h.run_steps(2);
    // Saved with the settings: the next window opens the same.
    h.state().save_settings();
    let again = App::open(db, Some(Lang::Zh)).unwrap();
    assert_eq!(again.settings.theme, app_inspector::ui::theme::ThemeChoice::Dark);

    // The status line: information replaces information; an error stays until dismissed and is
    // what is shown while it is there.
    h.state_mut().info("第一条消息");
    h.state_mut().info("第二条消息");
    assert_eq!(h.state().messages.len(), 1);
    h.state_mut().error("出错了");
    h.state_mut().info("第三条消息");
    h.run_steps(2);
    h.get_by_label("出错了");
    assert!(h.query_by_label("第三条消息").is_none());
    h.get_by_label("关闭此消息").click();
    h.run_steps(2);
    h.get_by_label("第三条消息");
    assert!(h.state().messages.iter().all(|m| !m.error));
}

#[test]
fn the_notice_file_name_follows_kind_and_language_until_the_inspector_types_one() {
    let (_dir, _db, id, mut h) = walker_on_a_case(Some(Lang::Zh));
    h.get_by_label("通知书").click();
    h.run_steps(2);
    let out = |h: &Harness<'static, App>| h.state().notice.out.clone();
    assert!(
        out(&h).ends_with(&format!("{id}-rectification-zh.pdf")),
        "{}",
        out(&h)
    );
    h.get_by_label("English").click();
    h.run_steps(2);
    assert!(
        out(&h).ends_with(&format!("{id}-rectification-en.pdf")),
        "{}",
        out(&h)
    );
    h.get_by_label("检查记录（内部）").click();
    h.run_steps(2);
    assert!(out(&h).ends_with(&format!("{id}-record-en.pdf")), "{}", out(&h));
    // A name the inspector chose stays.
    h.state_mut().notice.out = "/tmp/my-notice.pdf".into();
    h.get_by_label("自查报告 / 整改情况报告").click();
    h.run_steps(2);
    assert_eq!(out(&h), "/tmp/my-notice.pdf");
}

#[test]
fn the_score_view_exports_the_spreadsheet() {
    let (dir, _db, id, mut h) = walker_on_a_case(Some(Lang::Zh));
    h.state_mut().settings.export_dir = Some(dir.path().to_path_buf());
    h.get_by_label("评分").click();
    h.run_steps(2);
    h.get_by_label("导出Excel表格").click();
    h.run_steps(2);
    let path = h.state().score_view.last_sheet.clone().unwrap();
    assert!(
        path.ends_with(format!("{id}-checklist-zh.xlsx")),
        "{}",
        path.display()
    );
    use calamine::Reader as _;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&path).unwrap();
    assert_eq!(book.sheet_names(), ["检查表", "案件"]);
    assert!(book.worksheet_range("检查表").unwrap().height() > 60);
    // A second export takes a free name; the first file stays.
    h.get_by_label("导出Excel表格").click();
    h.run_steps(2);
    let second = h.state().score_view.last_sheet.clone().unwrap();
    assert_ne!(second, path);
    assert!(path.is_file() && second.is_file());
}

#[test]
fn the_keyboard_accepts_rejects_finds_the_next_unchecked_and_shows_its_shortcuts() {
    let (_dir, db, id, mut h) = walker_on_a_case(Some(Lang::Zh));
    // F1 shows the sheet, Esc closes it.
    h.key_press(egui::Key::F1);
    h.run_steps(2);
    h.get_by_label("键盘快捷键");
    h.get_by_label("下一个未检查的检查项");
    h.key_press(egui::Key::Escape);
    h.run_steps(2);
    assert!(h.query_by_label("键盘快捷键").is_none());
    // N goes to the next test point not yet judged; judge it, N goes on past it.
    h.key_press(egui::Key::N);
    h.run_steps(2);
    let first = h.state().case.as_ref().unwrap().selected.clone();
    h.key_press(egui::Key::Num4);
    h.run_steps(2);
    h.key_press(egui::Key::N);
    h.run_steps(2);
    let second = h.state().case.as_ref().unwrap().selected.clone();
    assert_ne!(first, second);
    assert_eq!(
        h.state().case.as_ref().unwrap().view.status(&second),
        Status::NotChecked
    );
    // A accepts the pending suggestions of the selected test point (Polite Droid's 10.1).
    let pending_on = |app: &App, tp: &str| {
        app.case
            .as_ref()
            .unwrap()
            .view
            .suggestions
            .iter()
            .filter(|s| s.testpoint == tp && s.review == "pending")
            .count()
    };
    {
        let case = h.state_mut().case.as_mut().unwrap();
        case.selected = "10.1".into();
    }
    h.run_steps(1);
    assert!(pending_on(h.state(), "10.1") > 0);
    // The rule and its review in Chinese, the rule's id only on hover.
    assert!(h.query_all_by_label_contains("— 待复核").count() > 0);
    assert!(h.query_by_label_contains("legacy-target-sdk").is_none());
    h.key_press(egui::Key::A);
    h.run_steps(2);
    assert_eq!(pending_on(h.state(), "10.1"), 0);
    // R puts the cursor in the reason field: the letters typed next are the reason, not keys.
    {
        let case = h.state_mut().case.as_mut().unwrap();
        case.selected = "14.2".into();
    }
    h.run_steps(1);
    h.key_press(egui::Key::R);
    h.run_steps(2);
    h.get_by_label("驳回理由").type_text("备份不含个人信息");
    h.run_steps(1);
    assert_eq!(h.state().walker.reject_reason, "备份不含个人信息");
    let store = app_inspector::case::Store::open(&db).unwrap();
    assert!(
        store
            .audit(&id)
            .unwrap()
            .iter()
            .any(|e| e.action == "suggestion.accepted")
    );
}

#[test]
fn a_case_is_closed_reopened_exported_and_its_trail_verified_in_the_window() {
    let (dir, db, id, mut h) = walker_on_a_case(Some(Lang::Zh));
    h.state_mut().settings.export_dir = Some(dir.path().to_path_buf());
    // A finding on the selected test point.
    h.state_mut().set_status(Status::NonCompliant);
    h.run_steps(1);
    h.get_by_label("概览").click();
    h.run_steps(2);
    h.get_by_label("结案或移交处置").click();
    h.run_steps(2);
    // A finding not resolved holds the button back until it is explained.
    let unresolved = {
        let case = h.state().case.as_ref().unwrap();
        app_inspector::case::lifecycle::unresolved(&case.view, &case.checklist)
    };
    assert!(!unresolved.is_empty(), "the walker's case has findings");
    {
        use egui_kittest::kittest::NodeT as _;
        assert!(h.get_by_label("结案").accesskit_node().is_disabled());
    }
    for u in &unresolved {
        let field = u.describe(Lang::Zh);
        h.get_by_label(&field).focus();
        h.run_steps(1);
        h.get_by_label(&field).type_text("企业已注销该App");
        h.run_steps(1);
    }
    h.get_by_label("结案").click();
    h.run_steps(2);
    assert_eq!(
        h.state().case.as_ref().unwrap().view.case.state,
        CaseState::Closed
    );
    h.get_by_label("重新打开案件").click();
    h.run_steps(2);
    assert_eq!(h.state().case.as_ref().unwrap().view.case.state, CaseState::Open);
    // The bundle, on a worker; another database imports it.
    h.get_by_label("导出案件包").click();
    let bundle = dir.join(&format!("{id}.zip"));
    wait(&mut h, "the bundle", |_| bundle.is_file());
    wait(&mut h, "the export to finish", |app| !app.jobs.is_busy());
    // Another inspector's window imports it from the case list.
    let other = support::Dir::new();
    let mut there = harness(App::open(other.join("cases.sqlite"), Some(Lang::Zh)).unwrap());
    there.run_steps(2);
    there.get_by_label("案件包路径").focus();
    there.run_steps(1);
    there
        .get_by_label("案件包路径")
        .type_text(bundle.to_str().unwrap());
    there.run_steps(1);
    there.get_by_label("导入案件包").click();
    wait(&mut there, "the imported case", |app| app.case.is_some());
    assert_eq!(there.state().case.as_ref().unwrap().view.case.id, id);
    assert_eq!(there.state().view, View::Overview);
    // The trail: shown when opened, verified on request.
    h.get_by_label("审计记录").click();
    h.run_steps(2);
    // The closing and reopening are in the trail (beside the button that closes).
    assert!(h.query_all_by_label_contains("结案").count() >= 2);
    h.get_by_label_contains("（重新打开）");
    h.get_by_label("校验审计记录").click();
    // Replayed on a worker (every evidence file is hashed again), the window drawing meanwhile.
    wait(&mut h, "the trail's verdict", |app| {
        app.overview.audit_result.is_some()
    });
    h.get_by_label_contains("审计记录可以证明案件的当前状态");
    drop(db);
}

#[test]
fn clicking_create_twice_makes_one_case() {
    let dir = support::Dir::new();
    let mut h = harness(App::open(dir.join("cases.sqlite"), Some(Lang::Zh)).unwrap());
    h.run_steps(2);
    let apk = support::corpus().join("apk/bugly_hotfix_demo-release.apk");
    h.state_mut().case_list.package_path = apk.display().to_string();
    h.run_steps(1);
    h.get_by_label("新建案件").click();
    h.run_steps(1);
    // The button is disabled while the package is analysed; the method refuses too.
    h.get_by_label("新建案件").click();
    let ctx = h.ctx.clone();
    h.state_mut().start_new_case(&ctx, apk.clone());
    wait(&mut h, "the case", |app| {
        app.case.is_some() && !app.jobs.is_busy()
    });
    assert_eq!(h.state().cases.len(), 1);
}

#[test]
fn evidence_captions_are_edited_and_evidence_moved_or_unlinked_with_the_file_untouched() {
    let (_dir, db, id, mut h) = walker_on_a_case(Some(Lang::Zh));
    let shot = support::corpus().join("screens/zh-CN_settings__keepalive.png");
    let sha = {
        let mut store = app_inspector::case::Store::open(&db).unwrap();
        store.attach(&id, &shot, Some("9.2"), "旧说明", "张三").unwrap()
    };
    h.state_mut().reload();
    h.state_mut().show_view("evidence");
    h.run_steps(2);
    wait(&mut h, "the thumbnail", |app| {
        !app.case.as_ref().unwrap().thumbs.is_empty()
    });
    h.get_by_label("zh-CN_settings__keepalive.png").click();
    wait_full_image(&mut h);
    h.get_by_label_contains("E1 · zh-CN_settings__keepalive.png");
    // The caption.
    h.get_by_label("证据说明").focus();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run_steps(1);
    h.get_by_label("证据说明").type_text("设置页无隐私政策入口");
    h.run_steps(1);
    h.get_by_label("保存说明").click();
    h.run_steps(2);
    let item = |h: &Harness<'static, App>| h.state().case.as_ref().unwrap().view.evidence[0].clone();
    assert_eq!(item(&h).caption, "设置页无隐私政策入口");
    // Moved to another test point, then unlinked: the file is the same file.
    h.state_mut().evidence.move_to = "9.1".into();
    h.run_steps(1);
    h.get_by_label("移到该检查项").click();
    h.run_steps(2);
    assert_eq!(item(&h).testpoint.as_deref(), Some("9.1"));
    h.get_by_label("解除关联").click();
    h.run_steps(2);
    assert_eq!(item(&h).testpoint, None);
    assert_eq!(item(&h).sha256, sha);
    let store = app_inspector::case::Store::open(&db).unwrap();
    assert_eq!(
        app_inspector::case::sha256_hex(&store.evidence_bytes(&sha).unwrap()),
        sha
    );
    assert!(store.prove(&id).unwrap().is_ok(), "the trail proves the moves");
    let actions: Vec<String> = store.audit(&id).unwrap().into_iter().map(|e| e.action).collect();
    assert_eq!(actions.iter().filter(|a| *a == "evidence.relinked").count(), 2);
}

#[test]
fn a_documents_caption_is_edited_like_a_screenshots() {
    let (dir, db, id, mut h) = walker_on_a_case(Some(Lang::Zh));
    // The enterprise's rectification report, a document: no picture, but a caption all the same.
    let report = dir.join("整改报告.txt");
    std::fs::write(&report, "已删除开机自启动接收器。").unwrap();
    {
        let mut store = app_inspector::case::Store::open(&db).unwrap();
        store.attach(&id, &report, Some("9.2"), "", "张三").unwrap();
    }
    h.state_mut().reload();
    h.state_mut().show_view("evidence");
    h.run_steps(2);
    h.get_by_label("整改报告.txt").click();
    h.run_steps(2);
    h.get_by_label_contains("E1 · 整改报告.txt");
    h.get_by_label("用系统程序打开副本");
    h.get_by_label("证据说明").focus();
    h.run_steps(1);
    h.get_by_label("证据说明").type_text("企业提交的整改报告");
    h.run_steps(1);
    h.get_by_label("保存说明").click();
    h.run_steps(2);
    let item = h.state().case.as_ref().unwrap().view.evidence[0].clone();
    assert_eq!(item.caption, "企业提交的整改报告");
    let store = app_inspector::case::Store::open(&db).unwrap();
    assert!(
        store.prove(&id).unwrap().is_ok(),
        "the caption change is in the trail"
    );
}

#[test]
fn a_whole_clause_is_marked_not_applicable_with_one_reason() {
    let (_dir, db, id, mut h) = walker_on_a_case(Some(Lang::Zh));
    // The list scrolls to the selected test point: measure 5 comes into view.
    h.state_mut().case.as_mut().unwrap().selected = "6.2".into();
    h.run_steps(2);
    h.get_by_label("批量选择").click();
    h.run_steps(2);
    assert!(h.state().walker.batch, "batch mode is on");
    h.get_by_label_contains("第5项 服务事项提前告知 (").click();
    h.run_steps(2);
    let ticked = h.state().walker.batch_points.len();
    assert!(ticked >= 4, "the clause's test points: {ticked}");
    h.get_by_label("不适用的理由").focus();
    h.run_steps(1);
    h.get_by_label("不适用的理由")
        .type_text("该APP不提供任何服务事项");
    h.run_steps(1);
    h.get_by_label(&format!("标为不适用（{ticked}）")).click();
    h.run_steps(2);
    let store = app_inspector::case::Store::open(&db).unwrap();
    let view = store.load(&id).unwrap();
    for tp in ["5.1", "5.2", "5.3", "5.4"] {
        let a = view.assessment(tp).unwrap();
        assert_eq!(
            (a.status, a.note.as_str()),
            (Status::NotApplicable, "该APP不提供任何服务事项"),
            "{tp}"
        );
    }
    let set = store
        .audit(&id)
        .unwrap()
        .iter()
        .filter(|e| e.action == "assessment.set")
        .count();
    assert_eq!(set, ticked, "each judgement audited on its own");
    assert!(h.state().walker.batch_points.is_empty());
}

#[test]
fn panes_keep_their_width_until_dragged_and_the_preview_zooms() {
    let (_dir, _db, _id, mut h) = walker_on_a_case(Some(Lang::Zh));
    for view in ["walker", "evidence", "notice", "walker"] {
        h.state_mut().show_view(view);
        h.run_steps(5);
    }
    // Nothing dragged: nothing remembered (and no settings written frame after frame).
    assert!(
        h.state().settings.panes.is_empty(),
        "{:?}",
        h.state().settings.panes
    );
    // The walker's list pane, dragged wider by its edge (beside the search field: lower down the
    // list's scroll bar takes the inner half of the edge), keeps its width when the window opens
    // again. The edge lies past the pane by the central panel's margin.
    h.state_mut().show_view("walker");
    h.run_steps(3);
    let before = h.state().panes.last["points"];
    let mut edge = None;
    for (x, y) in [4.0f32, 6.0, 8.0, 10.0].iter().map(|dx| (before + dx, 100.0f32)) {
        let at = egui::pos2(x, y);
        drag(&mut h, at, at + egui::vec2(80.0, 0.0));
        if h.state().settings.panes.contains_key("points") {
            edge = Some(x);
            break;
        }
    }
    assert!(edge.is_some(), "the edge near x={before} took a drag");
    let kept = h.state().settings.panes["points"];
    assert!(kept > before + 40.0, "{before} → {kept}");
    let db = h.state().db.clone();
    let again = App::open(db, Some(Lang::Zh)).unwrap();
    assert_eq!(again.settings.panes.get("points"), Some(&kept));
    // The preview zooms and fits the width again.
    h.state_mut().show_view("notice");
    wait(&mut h, "the preview", |app| app.notice.preview.is_some());
    h.get_by_label("放大").click();
    h.run_steps(2);
    assert!((h.state().notice.zoom - 1.25).abs() < 0.01);
    h.get_by_label("适应宽度").click();
    h.run_steps(2);
    assert!((h.state().notice.zoom - 1.0).abs() < 0.01);
}

#[test]
fn undo_and_redo_are_new_audited_changes() {
    let (_dir, db, id, mut h) = walker_on_a_case(Some(Lang::Zh));
    let status = |h: &Harness<'static, App>, tp: &str| h.state().case.as_ref().unwrap().view.status(tp);
    let tp = h.state().case.as_ref().unwrap().selected.clone();
    h.key_press(egui::Key::Num3);
    h.run_steps(2);
    assert_eq!(status(&h, &tp), Status::NonCompliant);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run_steps(2);
    assert_eq!(status(&h, &tp), Status::NotChecked, "undone");
    h.key_press_modifiers(egui::Modifiers::COMMAND | egui::Modifiers::SHIFT, egui::Key::Z);
    h.run_steps(2);
    assert_eq!(status(&h, &tp), Status::NonCompliant, "redone");
    // Nothing was erased: three judgements in the trail, and it still proves the case.
    let store = app_inspector::case::Store::open(&db).unwrap();
    let set: Vec<String> = store
        .audit(&id)
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "assessment.set")
        .map(|e| e.payload["status"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(set, ["non-compliant", "not-checked", "non-compliant"]);
    assert!(store.prove(&id).unwrap().is_ok());
}

#[test]
fn times_in_the_window_are_in_the_authoritys_zone_and_say_so() {
    let (dir, db, _id, mut h) = walker_on_a_case(Some(Lang::Zh));
    // Without an authority: China Standard Time.
    assert_eq!(
        h.state().time("2026-12-01T02:05:00Z"),
        "2026-12-01 10:05 (Asia/Shanghai)"
    );
    // The default authority's zone, once it has one.
    let mut store = app_inspector::case::Store::open(&db).unwrap();
    let mut a = app_inspector::case::Authority::new("某自治区通信管理局", "某通管责改");
    a.timezone = "Asia/Urumqi".into();
    store.set_authority(&a).unwrap();
    h.state_mut().settings.authority = a.name.clone();
    h.state_mut().authorities = None;
    h.state_mut().show_view("settings");
    h.run_steps(2);
    assert_eq!(
        h.state().time("2026-12-01T02:05:00Z"),
        "2026-12-01 08:05 (Asia/Urumqi)"
    );
    drop(dir);
}

#[test]
fn a_behaviour_log_dropped_on_the_window_becomes_a_timeline_to_filter_and_follow() {
    let (dir, db, id, mut h) = walker_on_a_case(Some(Lang::Zh));
    // Frida's lines: an SDK reads the IMEI before consent, the App reads the clipboard after.
    let mut lines = vec![r#"{"type":"session","package":"com.politedroid"}"#.to_string()];
    for s in 0..3 {
        lines.push(format!(
            r#"{{"type":"notice","time":"2026-11-30 10:00:0{s}","action":"获取电话相关信息","messages":"获取IMEI","stacks":"at android.telephony.TelephonyManager.getImei(Native Method)\nat com.igexin.push.core.a.b(Unknown Source:12)"}}"#
        ));
    }
    lines.push(r#"{"type":"consent","time":"2026-11-30 10:00:05","state":"agreed"}"#.into());
    lines.push(r#"{"type":"notice","time":"2026-11-30 10:00:09","action":"获取剪切板信息","messages":"读取剪切板信息","stacks":"at android.content.ClipboardManager.getPrimaryClip(Native Method)\nat com.politedroid.Paste.read(Paste.java:9)"}"#.into());
    let log = dir.write("run.jsonl", lines.join("\n"));
    drop_file(&mut h, &log);
    wait(&mut h, "the import", |app| {
        app.case.as_ref().unwrap().runtime_logs == 1
    });
    assert_eq!(h.state().view, View::Behaviours);
    wait(&mut h, "the timeline", |app| app.behaviours.loaded.is_some());
    h.get_by_label_contains("显示 4 / 4");
    // The per-minute chart: all four records fall in the log's first minute.
    h.get_by_label("每分钟行为次数，最多 4 次");
    assert_eq!(h.state().behaviours.minutes.bins, vec![[4, 3]]);
    // The counts per actor filter the timeline when clicked.
    h.get_by_label_contains("（同意前 3）").click();
    h.run_steps(2);
    h.get_by_label_contains("显示 3 / 4");
    h.get_by_label("每分钟行为次数，最多 3 次");
    h.get_by_label("显示所有主体").click();
    h.run_steps(2);
    h.get_by_label_contains("显示 4 / 4");
    // Before consent only: the SDK's three reads.
    h.state_mut().behaviours.phase = Some(app_inspector::runtime::Phase::BeforeConsent);
    h.run_steps(2);
    h.get_by_label_contains("显示 3 / 4");
    // A record opened: its stack, and the suggestions its log gave; one followed to the checklist.
    h.get_by_label_contains("     1  2026-11-30 10:00:00").click();
    h.run_steps(2);
    h.get_by_label_contains("com.igexin.push.core.a.b");
    h.get_by_label_contains("9.1 [不符合]").click();
    h.run_steps(2);
    assert_eq!(h.state().view, View::Walker);
    assert_eq!(h.state().case.as_ref().unwrap().selected, "9.1");
    let store = app_inspector::case::Store::open(&db).unwrap();
    assert_eq!(store.behaviours(&id).unwrap().len(), 4);
    assert!(store.prove(&id).unwrap().is_ok());
}

/// A re-inspection from the overview: the new version of the App (written by the APK writer)
/// starts round 2, the finding is marked to re-check, and the overview shows what changed.
#[test]
fn a_reinspection_from_the_overview_shows_the_rounds_and_what_changed() {
    let (dir, db, id, mut h) = walker_on_a_case(Some(Lang::Zh));
    {
        let mut store = app_inspector::case::Store::open(&db).unwrap();
        store
            .assess(
                &id,
                "6.1",
                app_inspector::status::Status::NonCompliant,
                "开机自启动",
                "张三",
            )
            .unwrap();
        // A rectification notice as issued (its PDF is not needed here).
        store
            .record_notice(
                &id,
                &app_inspector::case::IssuedNotice {
                    number: "粤通管责改〔2026〕1号".into(),
                    kind: "rectification".into(),
                    lang: "zh".into(),
                    deadline: "2026-12-31".into(),
                    pdf_sha256: "0".repeat(64),
                    signer: String::new(),
                    issued_at: chrono::Utc::now().to_rfc3339(),
                    authority: String::new(),
                },
                None,
                "张三",
            )
            .unwrap();
    }
    h.state_mut().reload();
    h.state_mut().show_view("overview");
    h.run_steps(2);
    h.get_by_label_contains("已下发整改通知，待整改");
    // The enterprise's report arrives as a scan.
    h.get_by_label("登记整改报告…");
    let mut scan = std::io::Cursor::new(Vec::new());
    image::RgbImage::from_pixel(60, 80, image::Rgb([250, 250, 250]))
        .write_to(&mut scan, image::ImageFormat::Png)
        .unwrap();
    let scan = dir.write("整改报告-扫描件.png", scan.into_inner());
    h.state_mut()
        .send(app_inspector::ui::Command::ReceiveReport(Some(scan)));
    wait(&mut h, "the report", |app| {
        app.case
            .as_ref()
            .is_some_and(|c| c.view.case.state == CaseState::RectificationReported)
    });
    h.get_by_label("复查新版本…");
    let rectified = support::apk::build(&support::apk::ApkSpec {
        package: "com.politedroid".into(),
        version_code: 5,
        version_name: "1.4".into(),
        target_sdk: 34,
        ..support::apk::ApkSpec::default()
    });
    let path = dir.write("politedroid-1.4.apk", rectified);
    h.state_mut()
        .send(app_inspector::ui::Command::ReinspectPackage(path));
    wait(&mut h, "the new round", |app| {
        app.case.as_ref().is_some_and(|c| c.view.rounds.len() == 2)
    });
    wait(&mut h, "the comparison", |app| app.overview.diff.is_some());
    h.run_steps(2);
    h.get_by_label_contains("第 2 轮 1.4（当前）");
    h.get_by_label_contains("与上一轮相比 1 → 2");
    // Side by side: the earlier round's column, the new one's, what went and what came.
    h.get_by_label("第 1 轮");
    h.get_by_label("第 2 轮");
    h.get_by_label("targetSdk");
    h.get_by_label_contains("− READ_CALENDAR");
    h.get_by_label_contains("− com.politedroid.Update [android.intent.action.BOOT_COMPLETED]");
    let case = h.state().case.as_ref().unwrap();
    assert!(case.view.recheck("6.1").is_some(), "the finding is to re-check");
    assert_eq!(case.view.case.state, CaseState::Reinspected);
    // Not rectified: escalated, with the measures and the reason.
    h.get_by_label("结案或移交处置").click();
    h.run_steps(2);
    h.get_by_label("向社会通报").click();
    h.get_by_label("组织下架").click();
    h.run_steps(1);
    h.get_by_label("理由").focus();
    h.run_steps(1);
    h.get_by_label("理由").type_text("复查仍存在开机自启动");
    h.run_steps(1);
    h.get_by_label("移交处置").click();
    h.run_steps(2);
    let case = h.state().case.as_ref().unwrap();
    assert_eq!(case.view.case.state, CaseState::Escalated);
    let last = &case.view.transitions.last().unwrap().transition;
    assert_eq!(
        last.measures,
        vec![
            app_inspector::case::Measure::Notify,
            app_inspector::case::Measure::Delist
        ]
    );
    h.get_by_label("重新打开案件");
    let store = app_inspector::case::Store::open(&db).unwrap();
    assert!(store.prove(&id).unwrap().is_ok());
}
