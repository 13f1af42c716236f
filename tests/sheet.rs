//! The spreadsheet of a case, as the enterprise opens it: written by `case xlsx`, read back with
//! calamine (the reader the workbench itself uses for spreadsheets).

#![allow(clippy::unwrap_used)] // tests may unwrap: a panic is a failure with its place

mod support;

use calamine::{Reader as _, Xlsx, open_workbook};
use support::Dir;

#[test]
fn the_spreadsheet_has_a_row_per_test_point_with_status_note_basis_and_evidence() {
    let dir = Dir::new();
    let id = dir.politedroid_case(&[]);
    dir.run(&[
        "case",
        "assess",
        &id,
        "9.2",
        "--status",
        "non-compliant",
        "--note",
        "需5次点击才能访问隐私政策",
    ])
    .ok();
    dir.run(&[
        "case",
        "review",
        &id,
        "14.2",
        "--reject",
        "备份数据不含个人信息",
        "--rule",
        "allow-backup",
    ])
    .ok();
    let shot = support::corpus().join("screens/zh-CN_settings__keepalive.png");
    dir.run(&[
        "case",
        "attach",
        &id,
        shot.to_str().unwrap(),
        "--testpoint",
        "9.2",
    ])
    .ok();
    let out = dir.join("checklist.xlsx");
    dir.run(&["case", "xlsx", &id, "--out", out.to_str().unwrap()])
        .ok();
    // Never over a file without --force.
    let again = dir.run(&["case", "xlsx", &id, "--out", out.to_str().unwrap()]);
    assert_eq!(again.code(), 2);
    assert!(again.stderr().contains("--force"), "{}", again.stderr());

    let mut book: Xlsx<_> = open_workbook(&out).unwrap();
    assert_eq!(book.sheet_names(), ["检查表", "案件"]);
    let sheet = book.worksheet_range("检查表").unwrap();
    let rows: Vec<Vec<String>> = sheet
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(
        rows[0][..6],
        ["措施", "检查项编号", "检查项", "效力", "是否计入", "结论"]
    );
    let checklist = app_inspector::checklist::builtin("miit-2023-26").unwrap();
    assert_eq!(
        rows.len() - 1,
        checklist.test_points().count(),
        "a row per test point"
    );
    let row = |tp: &str| rows.iter().find(|r| r[1] == tp).unwrap().clone();
    let r92 = row("9.2");
    assert_eq!(r92[5], "不符合");
    assert_eq!(r92[6], "需5次点击才能访问隐私政策");
    assert!(r92[7].contains("第十七条"), "{}", r92[7]);
    assert_eq!(r92[8], "E1");
    assert_eq!(r92[4], "计入");
    let r142 = row("14.2");
    assert!(r142[10].contains("已驳回：备份数据不含个人信息"), "{}", r142[10]);
    assert!(r142[9].contains("allowBackup"), "{}", r142[9]);
    // An advisory test point says so.
    assert_eq!(row("11.3")[4], "鼓励性，不计分");
    let case = book.worksheet_range("案件").unwrap();
    let text: String = case
        .rows()
        .flat_map(|r| r.iter().map(|c| c.to_string()))
        .collect();
    assert!(text.contains(&id) && text.contains("某某科技有限公司") && text.contains("com.politedroid"));

    // In English, the same rows.
    let en = dir.join("en.xlsx");
    dir.run(&["--lang", "en", "case", "xlsx", &id, "--out", en.to_str().unwrap()])
        .ok();
    let mut book: Xlsx<_> = open_workbook(&en).unwrap();
    assert_eq!(book.sheet_names(), ["Checklist", "Case"]);
    let sheet = book.worksheet_range("Checklist").unwrap();
    let r92: Vec<String> = sheet
        .rows()
        .find(|r| r[1] == "9.2")
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(r92[5], "non-compliant");
}
