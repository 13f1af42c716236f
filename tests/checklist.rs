//! The shipped Notice 26 checklist, and the loader's refusal of every kind of broken checklist.

#![allow(clippy::unwrap_used)] // tests may unwrap: a panic is a failure with its place
#![allow(clippy::string_slice)] // positions come from find() on the checklist text itself

use std::path::Path;

use app_inspector::checklist::{
    self, ChecklistError, Problem, Provenance, SubjectType, content_hash, rules::AUTOMATIC_RULES,
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
    let expected: Vec<String> = (1..=26).map(|n| n.to_string()).collect();
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
            clause.test_points.len() >= 2,
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
    let work = c.section("III").unwrap();
    assert!(!work.scored);
    assert!(
        work.text
            .as_ref()
            .is_some_and(|t| t.zh.contains("工作要求") || t.zh.contains("组织实施"))
    );
    assert!(c.clauses.iter().all(|cl| cl.section != "III"));
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
        "4 taps", "48 hours", "15 days", "5 days", "15 m/s²", "35°", "3 s", "30 s", "85%",
    ] {
        assert!(all.contains(needle), "no test point carries {needle:?}");
    }
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
    assert_ne!(content_hash(&src.replacen("48小时", "24小时", 1)), c.content_hash);
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

    let (src, line) = mutate(&source(), "{ law = \"ecommerce-law\"", "{ law = \"e-commerce\"");
    let p = problems(&src);
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].0, line);
    assert!(matches!(&p[0].1, Problem::UnknownLaw { found, .. } if found == "e-commerce"));

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
