//! Compliance scores, with the arithmetic behind each figure.
//!
//! Per test point: compliant 1, partial 0.5, non-compliant 0; not-applicable is left out; not
//! checked is left out of the score and counted against coverage. Weights: high 3, medium 2, low 1.
//! Clause, section and case scores are weighted means over checked, applicable test points.
//! Test points that bind none of the case's roles are out of scope. Advisory test points (鼓励/倡导)
//! are tallied apart and never count against the subject; conditional test points whose condition
//! the case answered "no" are not required. Any high-severity non-compliance of a counted test point
//! means "rectification required", whatever the number says.

use serde::{Deserialize, Serialize};

use crate::case::CaseView;
use std::collections::BTreeMap;

use crate::checklist::{Checklist, Force, Severity, SubjectType, TestPoint};
use crate::i18n::{Lang, Text};
use crate::status::Status;

/// How one test point counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PointScore {
    pub testpoint: String,
    pub severity: Severity,
    pub weight: u32,
    pub status: Status,
    /// 1, 0.5 or 0; `None` when it does not count (not checked, not applicable, out of scope).
    pub value: Option<f64>,
    /// False when the test point does not count (see `standing`), or the status is not-applicable.
    pub applicable: bool,
    pub force: Force,
    /// Whether, and why not, it counts in the score and the verdict.
    pub standing: Standing,
}

/// Whether a test point counts for a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Standing {
    /// Mandatory (or conditional with its condition met or not yet answered), binding a role of the case.
    Counts,
    /// Binds none of the case's roles (or belongs to a section carried as information).
    OutOfScope,
    /// Encouraged: recorded and recommended, never a breach.
    Advisory,
    /// Conditional, and the case answered its condition "no".
    NotRequired,
}

/// What decides which test points count for a case: its roles and its answers to the checklist's
/// conditions.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scope {
    pub roles: Vec<SubjectType>,
    /// Condition id → whether it holds for the case. Unanswered conditions are absent.
    pub answers: BTreeMap<String, bool>,
}

impl Scope {
    /// A case's scope.
    pub fn of(view: &CaseView) -> Self {
        Scope {
            roles: view.case.subject.roles(),
            answers: view
                .applicability
                .iter()
                .map(|a| (a.condition.clone(), a.applies))
                .collect(),
        }
    }

    /// Roles alone, no condition answered.
    pub fn roles(roles: &[SubjectType]) -> Self {
        Scope {
            roles: roles.to_vec(),
            answers: BTreeMap::new(),
        }
    }

    /// How a test point stands for this scope.
    pub fn standing(&self, tp: &TestPoint, scored_section: bool) -> Standing {
        if !scored_section || !tp.binds_any(&self.roles) {
            return Standing::OutOfScope;
        }
        match tp.force {
            Force::Advisory => Standing::Advisory,
            Force::Conditional if tp.condition.as_ref().and_then(|c| self.answers.get(c)) == Some(&false) => {
                Standing::NotRequired
            }
            Force::Mandatory | Force::Conditional => Standing::Counts,
        }
    }
}

/// Totals over a set of test points.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Tally {
    /// Σ weight × value over checked applicable test points.
    pub earned: f64,
    /// Σ weight over checked applicable test points.
    pub possible: f64,
    /// earned / possible, 0–1; `None` when nothing counts yet.
    pub score: Option<f64>,
    pub applicable: usize,
    pub checked: usize,
    /// checked / applicable, 0–1.
    pub coverage: f64,
    pub compliant: usize,
    pub partial: usize,
    pub non_compliant: usize,
    pub not_applicable: usize,
    pub not_checked: usize,
    pub out_of_scope: usize,
    pub high_non_compliant: usize,
    /// Advisory test points: tallied apart (see [`CaseScore::advisory`]).
    #[serde(default)]
    pub advisory: usize,
    /// Conditional test points whose condition the case answered "no".
    #[serde(default)]
    pub not_required: usize,
}

impl Tally {
    /// `3 符合, 1 部分符合, 1 不符合, 60 未检查, 2 不适用` — the statuses counted, in `lang`.
    pub fn counts(&self, lang: Lang) -> String {
        let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
        format!(
            "{} {}, {} {}, {} {}, {} {}, {} {}",
            self.compliant,
            l("符合", "compliant"),
            self.partial,
            l("部分符合", "partial"),
            self.non_compliant,
            l("不符合", "non-compliant"),
            self.not_checked,
            l("未检查", "not checked"),
            self.not_applicable,
            l("不适用", "not applicable")
        )
    }

    fn add(&mut self, p: &PointScore) {
        match p.standing {
            Standing::OutOfScope => {
                self.out_of_scope += 1;
                return;
            }
            Standing::Advisory => {
                self.advisory += 1;
                return;
            }
            Standing::NotRequired => {
                self.not_required += 1;
                return;
            }
            Standing::Counts => {}
        }
        self.count(p);
    }

    /// Counts a test point's status and value.
    fn count(&mut self, p: &PointScore) {
        match p.status {
            Status::NotApplicable => {
                self.not_applicable += 1;
                return;
            }
            Status::NotChecked => self.not_checked += 1,
            Status::Compliant => self.compliant += 1,
            Status::Partial => self.partial += 1,
            Status::NonCompliant => {
                self.non_compliant += 1;
                if p.severity == Severity::High {
                    self.high_non_compliant += 1;
                }
            }
        }
        self.applicable += 1;
        if let Some(v) = value(p.status) {
            self.checked += 1;
            self.earned += f64::from(p.weight) * v;
            self.possible += f64::from(p.weight);
        }
    }

    fn finish(&mut self) {
        self.score = (self.possible > 0.0).then(|| self.earned / self.possible);
        self.coverage = if self.applicable == 0 {
            1.0
        } else {
            self.checked as f64 / self.applicable as f64
        };
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClauseScore {
    pub id: String,
    pub section: String,
    pub title: Text,
    pub in_scope: bool,
    pub tally: Tally,
    pub points: Vec<PointScore>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SectionScore {
    pub id: String,
    pub title: Text,
    pub tally: Tally,
}

/// The overall judgement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// At least one high-severity test point is non-compliant.
    RectificationRequired,
    /// Non-compliant or partly compliant test points, none of high severity.
    IssuesFound,
    /// Every applicable test point checked and compliant.
    Compliant,
    /// No problem found so far, but not everything is checked.
    Incomplete,
}

impl Verdict {
    pub const ALL: &[Verdict] = &[
        Verdict::RectificationRequired,
        Verdict::IssuesFound,
        Verdict::Compliant,
        Verdict::Incomplete,
    ];

    pub fn label(self) -> Text {
        match self {
            Verdict::RectificationRequired => Text::new("需责令整改", "rectification required"),
            Verdict::IssuesFound => Text::new("存在问题", "issues found"),
            Verdict::Compliant => Text::new("符合要求", "compliant"),
            Verdict::Incomplete => Text::new("检查未完成", "inspection incomplete"),
        }
    }
}

/// The score of a case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseScore {
    pub case_id: String,
    pub checklist_id: String,
    /// The case's first role.
    pub subject_type: SubjectType,
    /// Every role of the case.
    pub roles: Vec<SubjectType>,
    pub total: Tally,
    /// The advisory test points binding the case's roles, tallied as if they counted: they are
    /// recommendations, shown apart and never part of the score or the verdict.
    pub advisory: Tally,
    /// The checklist's conditions, the case's answers and the test points that depend on each.
    pub conditions: Vec<ConditionState>,
    pub verdict: Verdict,
    /// The high-severity non-compliant test points that decide "rectification required".
    pub decisive: Vec<String>,
    pub sections: Vec<SectionScore>,
    pub clauses: Vec<ClauseScore>,
}

/// One condition as a case answered it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConditionState {
    pub id: String,
    pub question: Text,
    /// `None` until answered: its test points count meanwhile.
    pub answer: Option<bool>,
    /// The in-scope test points that depend on it.
    pub testpoints: Vec<String>,
}

fn value(status: Status) -> Option<f64> {
    match status {
        Status::Compliant => Some(1.0),
        Status::Partial => Some(0.5),
        Status::NonCompliant => Some(0.0),
        Status::NotChecked | Status::NotApplicable => None,
    }
}

/// Scores a case against its checklist.
pub fn score(view: &CaseView, checklist: &Checklist) -> CaseScore {
    score_statuses(&view.case.id, &Scope::of(view), |tp| view.status(tp), checklist)
}

/// The verdict of every case in the store, by case id, scored from one query of all statuses (the
/// case list shows it without loading each case), each against the checklist version it is pinned
/// to. A case whose checklist cannot be found has none.
pub fn verdicts(
    store: &crate::case::Store,
    cases: &[crate::case::CaseSummary],
) -> Result<std::collections::HashMap<String, Verdict>, crate::case::CaseError> {
    use std::collections::HashMap;
    let statuses = store.all_statuses()?;
    let answers = store.all_applicability()?;
    let mut checklists: HashMap<String, Option<Checklist>> = HashMap::new();
    let none = HashMap::new();
    let mut out = HashMap::new();
    for c in cases {
        let checklist = checklists
            .entry(c.checklist_hash.clone())
            .or_insert_with(|| store.checklist_by_hash(&c.checklist_hash).ok().flatten());
        let Some(checklist) = checklist else { continue };
        let of = statuses.get(&c.id).unwrap_or(&none);
        let scope = Scope {
            roles: c.roles.clone(),
            answers: answers.get(&c.id).cloned().unwrap_or_default(),
        };
        let s = score_statuses(
            &c.id,
            &scope,
            |tp| of.get(tp).copied().unwrap_or_default(),
            checklist,
        );
        out.insert(c.id.clone(), s.verdict);
    }
    Ok(out)
}

/// Scores from the statuses alone (the case list scores every case without loading each one).
pub fn score_statuses(
    case_id: &str,
    scope: &Scope,
    status_of: impl Fn(&str) -> Status,
    checklist: &Checklist,
) -> CaseScore {
    let mut total = Tally::default();
    let mut advisory = Tally::default();
    let mut clauses = Vec::new();
    let mut decisive = Vec::new();
    let mut conditions: Vec<ConditionState> = checklist
        .conditions
        .iter()
        .map(|c| ConditionState {
            id: c.id.clone(),
            question: c.question.clone(),
            answer: scope.answers.get(&c.id).copied(),
            testpoints: Vec::new(),
        })
        .collect();
    for clause in &checklist.clauses {
        let scored_section = checklist.scored(clause);
        let mut tally = Tally::default();
        let mut points = Vec::new();
        let mut in_scope = false;
        for tp in &clause.test_points {
            let status = status_of(&tp.id);
            let standing = scope.standing(tp, scored_section);
            in_scope |= standing != Standing::OutOfScope;
            let counts = standing == Standing::Counts;
            let p = PointScore {
                testpoint: tp.id.clone(),
                severity: tp.severity,
                weight: tp.severity.weight(),
                status,
                value: if counts { value(status) } else { None },
                applicable: counts && status != Status::NotApplicable,
                force: tp.force,
                standing,
            };
            tally.add(&p);
            total.add(&p);
            if standing == Standing::Advisory {
                advisory.count(&p);
            }
            if let (Some(c), true) = (&tp.condition, standing != Standing::OutOfScope)
                && let Some(state) = conditions.iter_mut().find(|s| &s.id == c)
            {
                state.testpoints.push(tp.id.clone());
            }
            if counts && status == Status::NonCompliant && tp.severity == Severity::High {
                decisive.push(tp.id.clone());
            }
            points.push(p);
        }
        tally.finish();
        clauses.push(ClauseScore {
            id: clause.id.clone(),
            section: clause.section.clone(),
            title: clause.title.clone(),
            in_scope,
            tally,
            points,
        });
    }
    total.finish();
    advisory.finish();
    let sections = checklist
        .sections
        .iter()
        .filter(|s| s.scored)
        .map(|s| {
            let mut tally = Tally::default();
            for c in clauses.iter().filter(|c| c.section == s.id) {
                for p in &c.points {
                    tally.add(p);
                }
            }
            tally.finish();
            SectionScore {
                id: s.id.clone(),
                title: s.title.clone(),
                tally,
            }
        })
        .collect();
    let verdict = if !decisive.is_empty() {
        Verdict::RectificationRequired
    } else if total.non_compliant + total.partial > 0 {
        Verdict::IssuesFound
    } else if total.checked > 0 && total.checked == total.applicable {
        Verdict::Compliant
    } else {
        Verdict::Incomplete
    };
    CaseScore {
        case_id: case_id.to_string(),
        checklist_id: checklist.id.clone(),
        subject_type: scope.roles.first().copied().unwrap_or(SubjectType::AppOperator),
        roles: scope.roles.clone(),
        total,
        advisory,
        conditions,
        verdict,
        decisive,
        sections,
        clauses,
    }
}

/// A share as a person reads it: `69.2%`, or `—` when there is none yet.
pub fn pct(v: Option<f64>) -> String {
    v.map_or("—".to_string(), |v| format!("{:.1}%", v * 100.0))
}

/// The arithmetic of a tally, as a person checks it: `(3×1 + 2×0.5 + 3×0) / 8 = 4.0/8 = 50.0%`.
pub fn explain(points: &[PointScore]) -> String {
    let counted: Vec<&PointScore> = points.iter().filter(|p| p.value.is_some()).collect();
    if counted.is_empty() {
        return "—".into();
    }
    let terms: Vec<String> = counted
        .iter()
        .map(|p| format!("{}×{}", p.weight, p.value.unwrap_or(0.0)))
        .collect();
    let earned: f64 = counted
        .iter()
        .map(|p| f64::from(p.weight) * p.value.unwrap_or(0.0))
        .sum();
    let possible: u32 = counted.iter().map(|p| p.weight).sum();
    format!(
        "({}) / {possible} = {earned:.1}/{possible} = {:.1}%",
        terms.join(" + "),
        earned / f64::from(possible) * 100.0
    )
}

impl ConditionState {
    /// The answer and what it does to the condition's test points.
    pub fn answer_label(&self, lang: Lang) -> &'static str {
        match self.answer {
            Some(true) => lang.pick("是（相关检查项计入）", "yes (its test points count)"),
            Some(false) => lang.pick("否（相关检查项不适用）", "no (its test points are not required)"),
            None => lang.pick(
                "未回答（相关检查项暂按适用计入）",
                "not answered (its test points count meanwhile)",
            ),
        }
    }
}

/// Conditions as a person reads them: the question, the answer, the test points it decides.
pub fn render_conditions(conditions: &[ConditionState], lang: Lang) -> String {
    let mut out = String::new();
    for c in conditions {
        let points = if c.testpoints.is_empty() {
            lang.pick("不涉及本案件的主体类型", "none for this case's roles")
                .to_string()
        } else {
            c.testpoints.join(", ")
        };
        out += &format!(
            "{}{}{}  [{}]  {}\n    {}{points}\n",
            lang.pick("适用条件 ", "Condition "),
            c.id,
            lang.pick("：", ": "),
            c.answer_label(lang),
            c.question.get(lang),
            lang.pick("相关检查项：", "test points: ")
        );
    }
    out
}

/// What the case's roles, advisory test points and condition answers did to the figures, in
/// sentences a reader of the score can check (the window's Score view and `case score` both say
/// them): which test points were left out of the score and why, and which still count.
pub fn scope_notes(s: &CaseScore, lang: Lang) -> Vec<String> {
    let mut out = Vec::new();
    let t = &s.total;
    if t.out_of_scope > 0 {
        out.push(match lang {
            Lang::Zh => format!(
                "{} 项检查项不约束本案件的主体类型（{}），不计入得分与结论。",
                t.out_of_scope,
                SubjectType::list(&s.roles, lang)
            ),
            Lang::En => format!(
                "{} test points do not bind this case's roles ({}): they are left out of the score and the verdict.",
                t.out_of_scope,
                SubjectType::list(&s.roles, lang)
            ),
        });
    }
    if t.advisory > 0 {
        let a = &s.advisory;
        out.push(match lang {
            Lang::Zh => format!(
                "{} 项为鼓励性检查项（仅作建议）：不计入得分，不影响结论，不列为整改事项；其中 {} 项不符合、{} 项部分符合，作为建议列出。",
                t.advisory, a.non_compliant, a.partial
            ),
            Lang::En => format!(
                "{} test points are advisory (recommendations only): not scored, never decide the verdict, never a finding; {} of them non-compliant and {} partial, listed as recommendations.",
                t.advisory, a.non_compliant, a.partial
            ),
        });
    }
    for c in s.conditions.iter().filter(|c| !c.testpoints.is_empty()) {
        let n = c.testpoints.len();
        let q = c.question.get(lang);
        out.push(match (c.answer, lang) {
            (Some(false), Lang::Zh) => format!(
                "适用条件「{q}」回答为“否”：{n} 项附条件检查项（{}）本案不要求，不计入得分；已作出的判断保留。",
                c.testpoints.join("、")
            ),
            (Some(false), Lang::En) => format!(
                "Condition “{q}” answered no: {n} conditional test points ({}) are not required in this case and not scored; judgements made stay.",
                c.testpoints.join(", ")
            ),
            (Some(true), Lang::Zh) => {
                format!("适用条件「{q}」回答为“是”：{n} 项附条件检查项照常计入。")
            }
            (Some(true), Lang::En) => {
                format!("Condition “{q}” answered yes: its {n} conditional test points count as usual.")
            }
            (None, Lang::Zh) => format!(
                "适用条件「{q}」尚未回答：{n} 项附条件检查项暂按适用计入，回答“否”后不计入。"
            ),
            (None, Lang::En) => format!(
                "Condition “{q}” not answered yet: its {n} conditional test points count until it is answered no."
            ),
        });
    }
    out
}

/// The score as a person reads it in a terminal.
pub fn render(s: &CaseScore, lang: Lang) -> String {
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let colon = lang.pick("：", ": ");
    let mut out = String::new();
    let t = &s.total;
    out += &format!(
        "{} {}  ·  {} {}  ·  {} {}\n",
        l("案件", "Case"),
        s.case_id,
        l("检查表", "checklist"),
        s.checklist_id,
        l("被检查主体类型", "roles"),
        SubjectType::list(&s.roles, lang)
    );
    out += &format!(
        "{}{colon}{}   {}{colon}{}   {}{colon}{} ({}/{})\n",
        l("结论", "Verdict"),
        s.verdict.label().get(lang),
        l("得分", "Score"),
        pct(t.score),
        l("覆盖率", "Coverage"),
        pct(Some(t.coverage)),
        t.checked,
        t.applicable
    );
    out += &format!(
        "{}{colon}{}, {} {}\n",
        l("统计", "Counts"),
        t.counts(lang),
        t.out_of_scope,
        l("不涉及该主体", "out of scope for this subject")
    );
    let a = &s.advisory;
    if t.advisory > 0 {
        out += &format!(
            "{}{colon}{} {}, {} {}, {} {}, {} {}\n",
            l(
                "鼓励性检查项（仅作建议，不计分、不影响结论）",
                "Advisory test points (recommendations only: not scored, never decide the verdict)"
            ),
            a.compliant,
            l("符合", "compliant"),
            a.partial,
            l("部分符合", "partial"),
            a.non_compliant,
            l("不符合", "non-compliant"),
            a.not_checked,
            l("未检查", "not checked"),
        );
    }
    for note in scope_notes(s, lang) {
        out += &format!("· {note}\n");
    }
    out += &format!(
        "{}{colon}{} {:.1} / {} {:.1} ({})\n",
        l("算法", "Arithmetic"),
        l("得分权重和", "earned"),
        t.earned,
        l("已检查权重和", "possible"),
        t.possible,
        l(
            "权重：高3 中2 低1；符合1 部分0.5 不符合0",
            "weights high 3, medium 2, low 1; compliant 1, partial 0.5, non-compliant 0"
        )
    );
    if !s.decisive.is_empty() {
        out += &format!(
            "{}{colon}{}\n",
            l(
                "高风险不符合项（决定需责令整改）",
                "High-severity non-compliance (decides rectification)"
            ),
            s.decisive.join(", ")
        );
    }
    for sec in &s.sections {
        out += &format!(
            "\n{}  {}  {} {}  {} {} ({}/{})\n",
            sec.id,
            sec.title.get(lang),
            l("得分", "score"),
            pct(sec.tally.score),
            l("覆盖", "coverage"),
            pct(Some(sec.tally.coverage)),
            sec.tally.checked,
            sec.tally.applicable
        );
        for c in s.clauses.iter().filter(|c| c.section == sec.id) {
            if !c.in_scope {
                // Not listed per clause below: out-of-scope clauses are counted in the totals.
                out += &format!(
                    "  {:>3} {}  — {}\n",
                    c.id,
                    c.title.get(lang),
                    l("不涉及该主体", "out of scope")
                );
                continue;
            }
            out += &format!(
                "  {:>3} {}  {}  {} {}/{}\n      {}\n",
                c.id,
                c.title.get(lang),
                pct(c.tally.score),
                l("覆盖", "coverage"),
                c.tally.checked,
                c.tally.applicable,
                explain(&c.points)
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::{Assessment, Case, CaseView, Subject};

    fn view(subject: SubjectType, statuses: &[(&str, Status)]) -> CaseView {
        CaseView {
            case: Case {
                id: "T".into(),
                checklist_id: "miit-2023-26".into(),
                checklist_hash: String::new(),
                subject: Subject {
                    name: String::new(),
                    kind: subject,
                    roles: vec![subject],
                    credit_code: String::new(),
                    address: String::new(),
                },
                app: Default::default(),
                package_sha256: None,
                inspectors: vec![],
                state: crate::case::CaseState::Open,
                created_at: String::new(),
                updated_at: String::new(),
            },
            assessments: statuses
                .iter()
                .map(|(tp, st)| Assessment {
                    testpoint: tp.to_string(),
                    status: *st,
                    note: String::new(),
                    source: "inspector".into(),
                    actor: "t".into(),
                    updated_at: String::new(),
                })
                .collect(),
            suggestions: vec![],
            evidence: vec![],
            notices: vec![],
            rechecks: vec![],
            applicability: vec![],
            test_conditions: Default::default(),
            rounds: vec![],
            transitions: vec![],
        }
    }

    fn checklist() -> Checklist {
        crate::checklist::builtin("miit-2023-26").unwrap()
    }

    #[test]
    fn weighted_mean_over_checked_points_with_coverage() {
        let c = checklist();
        // Clause 1: 1.1 medium, 1.2 medium, 1.3 high, 1.4 high, 1.5 medium.
        let v = view(
            SubjectType::AppOperator,
            &[
                ("1.1", Status::Compliant),
                ("1.2", Status::Partial),
                ("1.4", Status::NotApplicable),
                ("1.5", Status::NonCompliant),
            ],
        );
        let s = score(&v, &c);
        let c1 = &s.clauses[0];
        // (2×1 + 2×0.5 + 2×0) / 6 = 0.5; 1.3 and 1.6 not checked; 1.4 not applicable.
        assert_eq!(c1.tally.earned, 3.0);
        assert_eq!(c1.tally.possible, 6.0);
        assert_eq!(c1.tally.score, Some(0.5));
        assert_eq!((c1.tally.checked, c1.tally.applicable), (3, 5));
        assert_eq!(c1.tally.coverage, 0.6);
        assert_eq!(explain(&c1.points), "(2×1 + 2×0.5 + 2×0) / 6 = 3.0/6 = 50.0%");
        // Medium non-compliance: issues, not rectification.
        assert_eq!(s.verdict, Verdict::IssuesFound);
        // Clauses that bind only other subjects are out of scope for an App operator.
        assert!(!s.clauses.iter().find(|c| c.id == "16").unwrap().in_scope);
        // Every test point binding the App operator counts, except advisory ones.
        let counted = c
            .test_points()
            .filter(|t| t.subjects.contains(&SubjectType::AppOperator) && t.force != Force::Advisory)
            .count();
        assert_eq!(s.total.applicable, counted - 1);
        assert_eq!(
            s.sections.iter().map(|x| x.tally.applicable).sum::<usize>(),
            s.total.applicable
        );
    }

    #[test]
    fn any_high_severity_non_compliance_requires_rectification() {
        let c = checklist();
        let all_compliant: Vec<(String, Status)> = c
            .test_points()
            .filter(|t| t.subjects.contains(&SubjectType::AppOperator))
            .map(|t| (t.id.clone(), Status::Compliant))
            .collect();
        let refs: Vec<(&str, Status)> = all_compliant.iter().map(|(a, b)| (a.as_str(), *b)).collect();
        let s = score(&view(SubjectType::AppOperator, &refs), &c);
        assert_eq!(s.verdict, Verdict::Compliant);
        assert_eq!(s.total.score, Some(1.0));
        assert_eq!(s.total.coverage, 1.0);
        let mut one_bad = refs.clone();
        let i = one_bad.iter().position(|(tp, _)| *tp == "10.4").unwrap();
        one_bad[i].1 = Status::NonCompliant;
        let s = score(&view(SubjectType::AppOperator, &one_bad), &c);
        assert_eq!(s.verdict, Verdict::RectificationRequired);
        assert_eq!(s.decisive, vec!["10.4".to_string()]);
        assert!(
            s.total.score.unwrap() > 0.95,
            "the number stays high: {:?}",
            s.total.score
        );
    }

    #[test]
    fn nothing_checked_is_incomplete_with_no_score() {
        let s = score(&view(SubjectType::SdkProvider, &[]), &checklist());
        assert_eq!(s.verdict, Verdict::Incomplete);
        assert_eq!(s.total.score, None);
        assert_eq!(s.total.coverage, 0.0);
        // An SDK provider is bound by download ads (1.6), measures 8–10 and 19–21, and the
        // self-examination of section III.
        let in_scope: Vec<&str> = s
            .clauses
            .iter()
            .filter(|c| c.in_scope)
            .map(|c| c.id.as_str())
            .collect();
        assert_eq!(in_scope, ["1", "8", "9", "10", "19", "20", "21", "III"]);
    }

    #[test]
    fn an_advisory_failure_alone_never_requires_rectification() {
        let c = checklist();
        // 11.3 (hotline answered in 30 s) and 12.4 (satisfaction link) are encouraged only.
        let advisory: Vec<&str> = c
            .test_points()
            .filter(|t| t.force == Force::Advisory)
            .map(|t| t.id.as_str())
            .collect();
        assert!(
            advisory.contains(&"11.3") && advisory.contains(&"12.4"),
            "{advisory:?}"
        );
        let mut high = c.test_points().find(|t| t.id == "11.3").unwrap().clone();
        assert_eq!(high.force, Force::Advisory);
        high.severity = Severity::High;
        let statuses: Vec<(&str, Status)> = advisory.iter().map(|t| (*t, Status::NonCompliant)).collect();
        let s = score(&view(SubjectType::AppOperator, &statuses), &c);
        assert_ne!(s.verdict, Verdict::RectificationRequired);
        assert_ne!(s.verdict, Verdict::IssuesFound);
        assert!(s.decisive.is_empty());
        assert_eq!(
            s.total.non_compliant, 0,
            "advisory points are not counted as non-compliance"
        );
        assert_eq!(
            s.advisory.non_compliant, 2,
            "but they are tallied apart: {:?}",
            s.advisory
        );
        assert_eq!(s.total.advisory, 2);
    }

    #[test]
    fn a_condition_answered_no_takes_its_test_points_out() {
        let c = checklist();
        // 7.1 (no default tick on auto-renewal) is high severity and binds only Apps that sell
        // subscriptions.
        let mut v = view(SubjectType::AppOperator, &[("7.1", Status::NonCompliant)]);
        assert_eq!(
            score(&v, &c).verdict,
            Verdict::RectificationRequired,
            "unanswered: it counts"
        );
        v.applicability.push(crate::case::Applicability {
            condition: "paid-services".into(),
            applies: false,
            actor: "t".into(),
            updated_at: String::new(),
        });
        let s = score(&v, &c);
        assert_ne!(s.verdict, Verdict::RectificationRequired);
        let paid = s.conditions.iter().find(|x| x.id == "paid-services").unwrap();
        assert_eq!(paid.answer, Some(false));
        assert!(paid.testpoints.contains(&"7.1".to_string()) && paid.testpoints.contains(&"5.1".to_string()));
        assert!(s.total.not_required >= 10, "{}", s.total.not_required);
    }
}
