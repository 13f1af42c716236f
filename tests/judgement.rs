//! Accepting automatic suggestions never overwrites the inspector, and never depends on the order
//! of clicks: on every test point of the corpus APKs where the rules make two or more suggestions,
//! every order of accept/reject is played, with and without the inspector judging in between.

#![allow(clippy::unwrap_used)]

mod support;

use std::collections::BTreeMap;

use app_inspector::case::{NewCase, Store, judgement};
use app_inspector::checklist::{self, SubjectType};
use app_inspector::package;
use app_inspector::status::Status;

/// One step of a sequence: review suggestion `i` (accept or reject), or the inspector judges.
#[derive(Debug, Clone, Copy)]
enum Step {
    Review(usize, bool),
    Judge,
}

/// Every order in which each of `k` suggestions is reviewed once, accepted or rejected; and each
/// of those followed by one suggestion reviewed again the other way.
fn sequences(k: usize) -> Vec<Vec<Step>> {
    fn permutations(items: Vec<usize>) -> Vec<Vec<usize>> {
        if items.len() <= 1 {
            return vec![items];
        }
        let mut out = Vec::new();
        for i in 0..items.len() {
            let mut rest = items.clone();
            let first = rest.remove(i);
            for mut p in permutations(rest) {
                p.insert(0, first);
                out.push(p);
            }
        }
        out
    }
    let mut out = Vec::new();
    for order in permutations((0..k).collect()) {
        for choice in 0..(1u32 << k) {
            let seq: Vec<Step> = order
                .iter()
                .map(|&i| Step::Review(i, choice & (1 << i) != 0))
                .collect();
            for again in 0..k {
                let mut longer = seq.clone();
                longer.push(Step::Review(again, choice & (1 << again) == 0));
                out.push(longer);
            }
            out.push(seq);
        }
    }
    out
}

#[test]
fn every_order_of_reviews_gives_the_worst_accepted_and_never_touches_the_inspector() {
    let corpus = support::corpus().join("apk");
    let checklist = checklist::builtin(checklist::DEFAULT_ID).unwrap();
    // Thousands of short cases: an in-memory database keeps the test quick (the same SQL).
    let mut store = Store::open(std::path::Path::new(":memory:")).unwrap();
    let mut files: Vec<_> = std::fs::read_dir(&corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "apk"))
        .collect();
    files.sort();
    let (mut points, mut played) = (0, 0);
    // The same test point with the same suggestions (rule and status) in two packages is the same
    // input to the rule: played once.
    let mut seen = std::collections::BTreeSet::new();
    for apk in files {
        let Ok(report) = package::analyse(&apk) else {
            continue;
        };
        let new = NewCase {
            package: apk.clone(),
            subject_name: "某公司".into(),
            roles: vec![SubjectType::AppOperator],
            credit_code: String::new(),
            address: String::new(),
            inspectors: vec!["张三".into()],
            checklist: checklist.id.clone(),
            filing: String::new(),
        };
        let mut by_point: BTreeMap<String, Vec<(String, Status)>> = BTreeMap::new();
        for f in app_inspector::prefill::findings(&report, &checklist, &[SubjectType::AppOperator]) {
            by_point
                .entry(f.testpoint)
                .or_default()
                .push((f.rule, f.suggested_status));
        }
        for (tp, suggestions) in by_point.iter().filter(|(_, s)| s.len() >= 2) {
            if !seen.insert(format!("{tp} {suggestions:?}")) {
                continue;
            }
            points += 1;
            let k = suggestions.len();
            for seq in sequences(k) {
                // Without the inspector, and with the inspector judging before, between or after
                // the reviews (for sequences that review each suggestion once).
                let judged_variants = if seq.len() == k { seq.len() + 1 } else { 0 };
                for judge_at in std::iter::once(None).chain((0..judged_variants).map(Some)) {
                    let mut steps = seq.clone();
                    if let Some(at) = judge_at {
                        steps.insert(at, Step::Judge);
                    }
                    let id = store
                        .new_case_from_report(&new, &report, &checklist, "张三")
                        .unwrap();
                    let mut accepted = vec![false; k];
                    let mut judged = false;
                    for step in &steps {
                        match *step {
                            Step::Review(i, accept) => {
                                let reason = if accept { "" } else { "动态检测未复现" };
                                store
                                    .review(&id, tp, Some(&suggestions[i].0), accept, reason, "张三")
                                    .unwrap();
                                accepted[i] = accept;
                            }
                            Step::Judge => {
                                store
                                    .assess(&id, tp, Status::Compliant, "现场核查：已整改", "张三")
                                    .unwrap();
                                judged = true;
                            }
                        }
                    }
                    let view = store.load(&id).unwrap();
                    let a = view.assessment(tp);
                    if judged {
                        let a = a.unwrap();
                        assert_eq!(
                            (a.status, a.note.as_str(), a.source.as_str()),
                            (Status::Compliant, "现场核查：已整改", "inspector"),
                            "{tp} after {steps:?}: the inspector's judgement and note stay"
                        );
                    } else {
                        let worst = judgement::worst(
                            suggestions
                                .iter()
                                .zip(&accepted)
                                .filter(|(_, a)| **a)
                                .map(|(s, _)| s.1),
                        );
                        assert_eq!(
                            a.map(|a| a.status),
                            worst,
                            "{tp} after {steps:?}: the worst accepted suggestion, whatever the order"
                        );
                        if let Some(a) = a {
                            assert_eq!((a.source.as_str(), a.note.as_str()), ("automatic", ""));
                        }
                    }
                    // The trail proves exactly this state.
                    store.prove(&id).unwrap().unwrap();
                    played += 1;
                }
            }
        }
    }
    assert!(
        points >= 3,
        "the corpus has test points with several suggestions (found {points})"
    );
    println!("{points} test points, {played} sequences played");
}

#[test]
fn a_suggestion_accepted_after_the_inspector_judged_is_recorded_not_applied() {
    let dir = support::Dir::new();
    let mut store = Store::open(&dir.join("cases.sqlite")).unwrap();
    let id = support::politedroid_case(&mut store, "某公司");
    let view = store.load(&id).unwrap();
    let s = view
        .suggestions
        .iter()
        .find(|s| s.suggested_status == Status::NonCompliant || s.suggested_status == Status::Partial)
        .expect("Polite Droid has a suggestion that finds a problem")
        .clone();
    store
        .assess(&id, &s.testpoint, Status::Compliant, "已人工核实", "张三")
        .unwrap();
    let outcome = store
        .review(&id, &s.testpoint, Some(&s.rule), true, "", "李四")
        .unwrap();
    assert_eq!(outcome, app_inspector::case::ReviewOutcome::InspectorKept);
    let view = store.load(&id).unwrap();
    let a = view.assessment(&s.testpoint).unwrap();
    assert_eq!((a.status, a.note.as_str()), (Status::Compliant, "已人工核实"));
    assert_eq!(
        view.suggestions
            .iter()
            .find(|x| x.rule == s.rule && x.testpoint == s.testpoint)
            .unwrap()
            .review,
        "accepted"
    );
    let last = store.audit(&id).unwrap().pop().unwrap();
    assert_eq!(last.action, "suggestion.accepted");
    assert_eq!(last.actor, "李四");
    assert_eq!(last.payload["result"], "inspector");
    // Setting it back to "not checked" with no note hands it back to the accepted suggestion.
    store
        .assess(&id, &s.testpoint, Status::NotChecked, "", "张三")
        .unwrap();
    let view = store.load(&id).unwrap();
    let a = view.assessment(&s.testpoint).unwrap();
    assert_eq!((a.status, a.source.as_str()), (s.suggested_status, "automatic"));
    store.prove(&id).unwrap().unwrap();
}
