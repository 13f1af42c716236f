//! The shipped Notice 26 checklist, and the loader's refusal of every kind of broken checklist.

#![allow(clippy::unwrap_used)] // tests may unwrap: a panic is a failure with its place
#![allow(clippy::string_slice)] // positions come from find() on the checklist text itself

use std::path::Path;

use app_inspector::checklist::{
    self, ChecklistError, Force, Problem, Provenance, SubjectType, content_hash, rules::AUTOMATIC_RULES,
};

const FILE: &str = "checklists/miit-2023-26.toml";

fn source() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(FILE))
        .expect("the shipped checklist file")
}

#[test]
fn notice_26_has_every_clause_with_bilingual_text_basis_and_test_points() {
    let c = checklist::builtin("miit-2023-26").unwrap();
    let ids: Vec<_> = c.clauses.iter().map(|c| c.id.as_str()).collect();
    // The 26 measures, then section III's self-examination.
    let mut expected: Vec<String> = (1..=26).map(|n| n.to_string()).collect();
    expected.push("III".into());
    assert_eq!(ids, expected);
    for clause in &c.clauses {
        let name = format!("clause {}", clause.id);
        assert!(
            !clause.title.zh.is_empty() && !clause.title.en.is_empty(),
            "{name} title"
        );
        assert!(
            !clause.text.zh.is_empty() && !clause.text.en.is_empty(),
            "{name} text"
        );
        assert!(
            clause
                .text
                .zh
                .chars()
                .any(|ch| ('\u{4e00}'..='\u{9fff}').contains(&ch)),
            "{name}: zh text is not Chinese"
        );
        assert!(!clause.subjects.is_empty(), "{name} subjects");
        assert!(!clause.legal_basis.is_empty(), "{name} basis");
        assert!(
            clause.legal_basis.iter().any(|b| b.law == "notice-26"),
            "{name} must cite the Notice itself"
        );
        assert!(
            clause.test_points.len() >= 2 || clause.id == "III",
            "{name} has {} test points",
            clause.test_points.len()
        );
        for t in &clause.test_points {
            for (what, text) in [
                ("check", &t.check),
                ("evidence", &t.evidence),
                ("demand", &t.demand),
            ] {
                assert!(!text.zh.is_empty() && !text.en.is_empty(), "{} {what}", t.id);
            }
            assert!(t.id.starts_with(&format!("{}.", clause.id)));
        }
    }
    assert!(
        c.test_points().count() >= 90,
        "only {} test points",
        c.test_points().count()
    );
}

#[test]
fn clauses_bind_the_subjects_the_notice_names() {
    let c = checklist::builtin("miit-2023-26").unwrap();
    let binds = |id: &str, s: SubjectType| c.clause(id).unwrap().subjects.contains(&s);
    for n in 1..=15 {
        assert!(binds(&n.to_string(), SubjectType::AppOperator), "clause {n}");
    }
    assert!(binds("1", SubjectType::DistributionPlatform));
    for (range, subject) in [
        (16..=18, SubjectType::DistributionPlatform),
        (19..=21, SubjectType::SdkProvider),
        (22..=24, SubjectType::TerminalMaker),
        (25..=26, SubjectType::AccessProvider),
    ] {
        for n in range {
            let clause = c.clause(&n.to_string()).unwrap();
            assert_eq!(clause.subjects, vec![subject], "clause {n}");
        }
    }
}

#[test]
fn official_chinese_is_marked_and_work_requirements_are_not_scored() {
    let c = checklist::builtin("miit-2023-26").unwrap();
    let official: Vec<_> = c
        .clauses
        .iter()
        .filter(|c| c.zh_provenance == Provenance::Official)
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(official, ["1", "2", "3", "4", "7"]);
    for clause in c
        .clauses
        .iter()
        .filter(|c| c.zh_provenance == Provenance::Translation)
    {
        assert!(
            clause.zh_note.is_some(),
            "clause {} should say what its Chinese is based on",
            clause.id
        );
    }
    // Section III is carried as text and holds one test point: the enterprise's own
    // self-examination, which the work requirements ask for.
    let work = c.section("III").unwrap();
    assert!(
        work.text
            .as_ref()
            .is_some_and(|t| t.zh.contains("工作要求") || t.zh.contains("组织实施"))
    );
    let iii: Vec<&str> = c
        .clauses
        .iter()
        .filter(|cl| cl.section == "III")
        .flat_map(|cl| cl.test_points.iter().map(|t| t.id.as_str()))
        .collect();
    assert_eq!(iii, ["III.1"]);
    // Headings and titles that are not confirmed official wording say so.
    for n in 11..=26 {
        let clause = c.clause(&n.to_string()).unwrap();
        assert_eq!(clause.title_provenance, Provenance::Translation, "title of {n}");
    }
    for n in 1..=10 {
        assert_eq!(
            c.clause(&n.to_string()).unwrap().title_provenance,
            Provenance::Official
        );
    }
    assert_eq!(c.section("I.1").unwrap().title_provenance, Provenance::Official);
    assert_eq!(
        c.section("II.1").unwrap().title_provenance,
        Provenance::Translation
    );
    assert_eq!(
        c.section("III").unwrap().title_provenance,
        Provenance::Translation
    );
    let parts: Vec<&str> = c.parts.iter().map(|p| p.title.zh.as_str()).collect();
    assert!(
        parts[0].starts_with("一、") && parts[1].starts_with("二、"),
        "{parts:?}"
    );
    assert!(
        c.note
            .as_ref()
            .is_some_and(|n| n.en.contains("lightly corrected"))
    );
    assert!(
        c.clause("4")
            .unwrap()
            .en_note
            .as_ref()
            .is_some_and(|n| n.contains("开屏"))
    );
    assert!(c.clause("10").unwrap().en_note.is_some());
}

#[test]
fn thresholds_of_the_related_standards_are_carried() {
    let c = checklist::builtin("miit-2023-26").unwrap();
    let all: String = c
        .test_points()
        .map(|t| {
            format!(
                "{} {} {}",
                t.check.en,
                t.threshold.as_ref().map_or("", |x| x.en.as_str()),
                t.demand.en
            )
        })
        .collect();
    for needle in [
        "4 taps", "15 days", "5 days", "15 m/s²", "35°", "3 s", "30 s", "85%",
    ] {
        assert!(all.contains(needle), "no test point carries {needle:?}");
    }
    // No normative 48-hour period exists: 10.5 is tested by re-entering the scene and relaunching.
    assert!(!all.contains("48 hours"));
    let re_ask = c.test_points().find(|t| t.id == "10.5").unwrap();
    assert!(re_ask.evidence.en.contains("relaunching"));
    // The shake values are reference values after a note, not binding limits.
    let shake = c.test_points().find(|t| t.id == "4.4").unwrap();
    let th = shake.threshold.as_ref().unwrap();
    assert!(th.zh.contains("参照") && th.en.contains("not binding"));
    assert!(shake.demand.zh.contains("参照") || shake.demand.zh.contains("参考值"));
}

#[test]
fn every_test_point_names_its_source_force_and_subjects() {
    let c = checklist::builtin("miit-2023-26").unwrap();
    assert_eq!(c.schema, 2);
    for t in c.test_points() {
        assert!(!t.basis.is_empty(), "{} has no basis", t.id);
        assert!(!t.subjects.is_empty(), "{} binds no one", t.id);
        for b in &t.basis {
            let law = c
                .law(&b.law)
                .unwrap_or_else(|| panic!("{} cites unknown law {}", t.id, b.law));
            assert_eq!(b.law_name, law.name);
            if law.binding() {
                assert!(!law.versions.is_empty(), "law {} has no version", law.id);
            }
            if let Some(v) = &b.version {
                assert!(
                    law.versions.iter().any(|x| &x.date == v),
                    "{}: {} version {v}",
                    t.id,
                    law.id
                );
            }
        }
        match t.force {
            Force::Advisory => assert!(t.demand.zh.starts_with("建议"), "{}", t.id),
            Force::Conditional => {
                let cond = t
                    .condition
                    .as_deref()
                    .unwrap_or_else(|| panic!("{} has no condition", t.id));
                assert!(c.condition(cond).is_some(), "{}: {cond}", t.id);
            }
            Force::Mandatory => assert!(
                t.basis.iter().any(|b| b.binding),
                "{} rests on guidance only",
                t.id
            ),
        }
    }
    let force = |id: &str| c.test_points().find(|t| t.id == id).unwrap().force;
    for id in ["11.3", "12.4", "18.2", "24.1"] {
        assert_eq!(force(id), Force::Advisory, "{id}");
    }
    for id in ["11.1", "11.2", "2.1", "5.1", "7.1", "1.1"] {
        assert_eq!(force(id), Force::Conditional, "{id}");
    }
    // Duties the Notice does not contain name their real source.
    let sources = |id: &str| -> Vec<String> {
        c.test_points()
            .find(|t| t.id == id)
            .unwrap()
            .basis
            .iter()
            .map(|b| b.law.clone())
            .collect()
    };
    assert_eq!(sources("3.5"), ["miit-order-20"]);
    assert!(sources("9.4").contains(&"pipl".to_string()) && !sources("9.4").is_empty());
    assert!(sources("14.3").contains(&"csl".to_string()));
    assert!(sources("8.6").contains(&"algorithm-rule-2021".to_string()));
    assert!(!sources("12.3").contains(&"notice-26".to_string()));
    // Measure 2 binds the website operator too.
    let two = c.clause("2").unwrap();
    assert!(two.subjects.contains(&SubjectType::WebsiteOperator));
}

#[test]
fn the_new_test_points_are_present_and_apk_signing_is_client_security() {
    let c = checklist::builtin("miit-2023-26").unwrap();
    let tp = |id: &str| {
        c.test_points()
            .find(|t| t.id == id)
            .unwrap_or_else(|| panic!("no {id}"))
    };
    assert!(tp("1.6").check.zh.contains("下载类广告"));
    assert!(tp("4.7").check.zh.contains("后台"));
    assert!(tp("7.6").check.zh.contains("开通"));
    assert!(tp("8.6").check.zh.contains("个性化"));
    assert!(tp("III.1").check.zh.contains("自查"));
    // 电子签名认证 is not an APK signature scheme: the signing rules moved to clause 14.
    for id in ["18.2", "24.1", "24.2"] {
        assert!(
            !tp(id)
                .rules
                .iter()
                .any(|r| r.contains("signature") || r.contains("certificate")),
            "{id}"
        );
    }
    assert!(tp("14.5").rules.contains(&"signature-scheme".to_string()));
    assert!(tp("14.5").rules.contains(&"debug-certificate".to_string()));
}

#[test]
fn a_document_cites_the_article_of_the_text_in_force_on_its_date() {
    let c = checklist::builtin("miit-2023-26").unwrap();
    let logs = c.test_points().find(|t| t.id == "14.3").unwrap();
    let csl = c.law("csl").unwrap();
    let cites = |date: &str| -> Vec<String> {
        logs.basis
            .iter()
            .filter(|b| b.law == "csl")
            .map(|b| b.cite_on(Some(csl), date, app_inspector::i18n::Lang::Zh))
            .collect()
    };
    // Before 2026 the 2016 text's 第二十一条; from 2026-01-01 the amended text's 第二十三条.
    assert!(cites("2025-06-01").contains(&"《中华人民共和国网络安全法》第二十一条".to_string()));
    assert!(!cites("2025-06-01").iter().any(|x| x.contains("第二十三条")));
    assert!(cites("2026-12-01").contains(&"《中华人民共和国网络安全法》第二十三条".to_string()));
    assert!(!cites("2026-12-01").iter().any(|x| x.contains("第二十一条")));
    // An article not confirmed against its text is never printed: the law by name alone.
    let complaint = c.test_points().find(|t| t.id == "12.2").unwrap();
    let order20 = complaint.basis.iter().find(|b| b.law == "miit-order-20").unwrap();
    assert!(!order20.confirmed);
    assert_eq!(
        order20.cite_on(
            c.law("miit-order-20"),
            "2026-12-01",
            app_inspector::i18n::Lang::Zh
        ),
        "《规范互联网信息服务市场秩序若干规定》（工业和信息化部令第20号）"
    );
    // PIPL's articles were checked against the official text; its power article is recorded.
    let pipl = c.law("pipl").unwrap();
    assert!(pipl.versions[0].confirmed.is_some());
    assert_eq!(pipl.versions[0].power.as_ref().unwrap().zh, "第六十六条");
}

#[test]
fn every_automatic_rule_prefills_some_test_point() {
    let c = checklist::builtin("miit-2023-26").unwrap();
    for rule in AUTOMATIC_RULES {
        assert!(
            c.test_points().any(|t| t.rules.iter().any(|r| r == rule.id)),
            "rule {} prefills nothing",
            rule.id
        );
    }
}

#[test]
fn content_hash_identifies_the_file_version() {
    let src = source();
    let c = checklist::builtin("miit-2023-26").unwrap();
    assert_eq!(c.content_hash, content_hash(&src));
    assert_eq!(c.content_hash.len(), 64);
    // The same file checked out with Windows line endings is the same version.
    assert_eq!(content_hash(&src.replace('\n', "\r\n")), c.content_hash);
    // Any change to the text is a new version.
    assert_ne!(content_hash(&src.replacen("15日内", "14日内", 1)), c.content_hash);
}

/// Replaces the `nth` (0-based) occurrence of `from`, returning the new text and the 1-based line
/// of the change.
fn mutate_nth(src: &str, from: &str, to: &str, nth: usize) -> (String, usize) {
    let (at, _) = src
        .match_indices(from)
        .nth(nth)
        .unwrap_or_else(|| panic!("{from:?} occurs fewer than {} times", nth + 1));
    let line = src[..at].matches('\n').count() + 1;
    let mut out = String::with_capacity(src.len());
    out.push_str(&src[..at]);
    out.push_str(to);
    out.push_str(&src[at + from.len()..]);
    (out, line)
}

fn mutate(src: &str, from: &str, to: &str) -> (String, usize) {
    mutate_nth(src, from, to, 0)
}

/// Parses broken text and returns the problems with their lines, checking the message names the file.
fn problems(src: &str) -> Vec<(usize, Problem)> {
    match checklist::parse(src, Path::new("broken.toml")) {
        Ok(_) => panic!("a broken checklist was accepted"),
        Err(err @ ChecklistError::Invalid { .. }) => {
            let message = err.to_string();
            let ChecklistError::Invalid { problems, .. } = err else {
                unreachable!()
            };
            for d in &problems {
                assert!(
                    message.contains(&format!("broken.toml:{}: {}", d.line, d.problem)),
                    "message does not name file and line: {message}"
                );
            }
            problems.into_iter().map(|d| (d.line, d.problem)).collect()
        }
        Err(other) => panic!("unexpected error {other}"),
    }
}

#[test]
fn refuses_a_duplicate_test_point_id() {
    let (src, _) = mutate(&source(), "id = \"1.2\"", "id = \"1.1\"");
    let header_line = src
        .match_indices("\n[[clause.testpoint]]")
        .nth(1)
        .map(|(i, _)| i + 1)
        .map(|i| src[..i].matches('\n').count() + 1)
        .unwrap();
    let p = problems(&src);
    assert!(
        p.iter().any(|(line, pr)| *line == header_line
            && matches!(pr, Problem::DuplicateId { kind: "test point", id, .. } if id == "1.1")),
        "{p:?}"
    );
}

#[test]
fn refuses_a_duplicate_clause_id() {
    let (src, line) = mutate(&source(), "id = \"2\"\nsection", "id = \"1\"\nsection");
    let p = problems(&src);
    assert!(
        p.iter()
            .any(|(l, pr)| *l == line - 1 && matches!(pr, Problem::DuplicateId { kind: "clause", .. })),
        "{p:?}"
    );
    assert!(
        p.iter().any(|(_, pr)| *pr == Problem::MissingClause(2, 26)),
        "{p:?}"
    );
}

#[test]
fn refuses_missing_chinese_text() {
    // Emptied …
    let (src, line) = mutate(&source(), "check_zh = \"下载提示旁", "check_zh = \"\" # \"");
    let p = problems(&src);
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(p[0].0, line);
    assert!(
        matches!(&p[0].1, Problem::MissingChinese { what, field } if what == "test point 1.2" && field == "check_zh")
    );
    // … or left out: reported on the table that lacks it.
    let (src, _) = mutate(&source(), "title_zh = \"实现便捷卸载\"\n", "");
    let clause_line = src
        .find("id = \"3\"\nsection")
        .map(|i| src[..i].matches('\n').count())
        .unwrap();
    let p = problems(&src);
    assert!(
        p.iter().any(|(l, pr)| *l == clause_line
            && matches!(pr, Problem::MissingChinese { what, .. } if what == "clause 3")),
        "{p:?}"
    );
}

#[test]
fn refuses_an_unknown_severity() {
    let (src, line) = mutate(&source(), "severity = \"high\"", "severity = \"critical\"");
    let p = problems(&src);
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(p[0].0, line);
    assert!(
        matches!(&p[0].1, Problem::UnknownSeverity { found, expected, .. } if found == "critical" && expected.contains("medium"))
    );
}

#[test]
fn refuses_an_unknown_method() {
    let (src, line) = mutate(&source(), "method = \"screenshot\"", "method = \"guess\"");
    let p = problems(&src);
    assert_eq!(p, vec![(line, p[0].1.clone())]);
    assert!(matches!(&p[0].1, Problem::UnknownMethod { found, .. } if found == "guess"));
}

#[test]
fn refuses_an_unknown_automatic_rule() {
    let (src, line) = mutate(
        &source(),
        "rules = [\"blank-label\"]",
        "rules = [\"blank-lable\"]",
    );
    let p = problems(&src);
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(p[0].0, line);
    assert!(
        matches!(&p[0].1, Problem::UnknownRule { what, found } if what == "test point 3.1" && found == "blank-lable")
    );
}

#[test]
fn refuses_a_missing_clause_number() {
    let src = source();
    let cut = src.find("[[clause]]\nid = \"26\"").unwrap();
    let p = problems(&src[..cut]);
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(p[0].1, Problem::MissingClause(26, 26));
    // A clause numbered outside 1–26 is named too.
    let (src, _) = mutate(&src, "id = \"26\"\nsection", "id = \"27\"\nsection");
    let p = problems(&src);
    assert!(
        p.contains(&(p[0].0, Problem::MissingClause(26, 26)))
            || p.iter().any(|(_, x)| *x == Problem::MissingClause(26, 26))
    );
    assert!(
        p.iter()
            .any(|(_, x)| matches!(x, Problem::ClauseOutOfRange(id, 26) if id == "27")),
        "{p:?}"
    );
}

#[test]
fn refuses_unknown_subjects_laws_and_misfiled_test_points() {
    let (src, line) = mutate(
        &source(),
        "subjects = [\"terminal-maker\"]",
        "subjects = [\"phone-maker\"]",
    );
    let p = problems(&src);
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].0, line);
    assert!(matches!(&p[0].1, Problem::UnknownSubject { found, .. } if found == "phone-maker"));

    let (src, line) = mutate(&source(), "{ law = \"popup-2022\"", "{ law = \"popups\"");
    let p = problems(&src);
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].0, line);
    assert!(matches!(&p[0].1, Problem::UnknownLaw { found, .. } if found == "popups"));

    // An advisory test point must recommend, not demand; a conditional one must name its
    // condition; a breach cannot rest on guidance alone.
    let (src, _) = mutate(
        &source(),
        "demand_zh = \"建议提升客服热线",
        "demand_zh = \"提升客服热线",
    );
    assert!(
        problems(&src)
            .iter()
            .any(|(_, p)| matches!(p, Problem::AdvisoryDemand { what } if what == "test point 11.3"))
    );
    let (src, _) = mutate(&source(), "condition = \"large-enterprise\"\n", "");
    assert!(
        problems(&src)
            .iter()
            .any(|(_, p)| matches!(p, Problem::MissingCondition { .. }))
    );
    let (src, _) = mutate(&source(), "condition = \"paid-services\"", "condition = \"paid\"");
    assert!(
        problems(&src)
            .iter()
            .any(|(_, p)| matches!(p, Problem::UnknownCondition { found, .. } if found == "paid"))
    );
    let (src, _) = mutate(
        &source(),
        "id = \"pipl\"\nkind = \"law\"",
        "id = \"pipl\"\nkind = \"guidance\"",
    );
    assert!(
        problems(&src)
            .iter()
            .any(|(_, p)| matches!(p, Problem::NoBindingBasis { what } if what == "test point 12.3"))
    );

    let (src, _) = mutate(&source(), "id = \"4.2\"", "id = \"5.9\"");
    let p = problems(&src);
    assert!(
        matches!(&p[0].1, Problem::TestPointId { id, clause } if id == "5.9" && clause == "4"),
        "{p:?}"
    );
}

#[test]
fn refuses_bad_toml_with_its_line() {
    let (src, line) = mutate(&source(), "severity = \"low\"", "severity = low");
    let p = problems(&src);
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].0, line);
    assert!(matches!(p[0].1, Problem::Syntax(_)));

    let (src, line) = mutate(
        &source(),
        "severity = \"low\"",
        "severity = \"low\"\nseverty = \"low\"",
    );
    let p = problems(&src);
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(p[0].0, line + 1, "an unknown key is reported on its own line");
    assert!(matches!(&p[0].1, Problem::Syntax(m) if m.contains("severty")));
}

#[test]
fn resolves_a_file_path_and_reports_a_missing_file() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(FILE);
    let c = checklist::resolve(path.to_str().unwrap()).unwrap();
    assert_eq!(c.id, "miit-2023-26");
    let err = checklist::resolve("/nonexistent/x.toml").unwrap_err();
    assert!(matches!(err, ChecklistError::Io { .. }));
    assert!(err.to_string().contains("/nonexistent/x.toml"));
    let err = checklist::resolve("gdpr").unwrap_err();
    assert!(err.to_string().contains("miit-2023-26"), "{err}");
}

#[test]
fn a_document_claims_only_the_power_of_the_law_a_finding_rests_on() {
    let c = checklist::builtin("miit-2023-26").unwrap();
    let power = |tp: &str, law: &str, date: &str| -> Option<String> {
        let t = c.test_points().find(|t| t.id == tp).unwrap();
        t.basis
            .iter()
            .filter(|b| b.law == law)
            .find_map(|b| b.power_on(c.law(law), date).map(|p| p.zh.clone()))
    };
    // A personal-information finding: PIPL 第六十六条.
    assert_eq!(power("9.4", "pipl", "2026-12-01").as_deref(), Some("第六十六条"));
    // The Cybersecurity Law's power follows the article and the text in force.
    assert_eq!(power("14.3", "csl", "2026-12-01").as_deref(), Some("第六十一条"));
    assert_eq!(power("14.3", "csl", "2025-06-01").as_deref(), Some("第五十九条"));
    // Real-name registration (old 第二十四条) was not confirmed in the amended text: no power claimed.
    assert_eq!(power("25.1", "csl", "2026-12-01"), None);
    // An unchecked rule gives none; the uninstall residue of 3.5 claims no PIPL power.
    assert_eq!(power("3.5", "miit-order-20", "2026-12-01"), None);
    assert!(
        !c.test_points()
            .find(|t| t.id == "3.5")
            .unwrap()
            .basis
            .iter()
            .any(|b| b.law == "pipl")
    );
}
