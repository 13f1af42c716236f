//! Turns the file as written into a [`Checklist`], collecting every problem with its line.

use std::collections::HashMap;

use sha2::{Digest as _, Sha256};
use toml::Spanned;

use super::error::{Diagnostic, Problem};
use super::model::*;
use super::raw::*;
use super::rules;
use crate::i18n::Text;

/// Parses and validates checklist source text. `Err` holds every problem, in file order.
pub(crate) fn parse(src: &str) -> Result<Checklist, Vec<Diagnostic>> {
    let lines = LineIndex::new(src);
    let raw: RawFile = toml::from_str(src).map_err(|e| {
        vec![Diagnostic {
            line: e.span().map_or(1, |s| lines.line(s.start)),
            problem: Problem::Syntax(e.message().trim().to_string()),
        }]
    })?;
    let mut v = Validator {
        lines,
        problems: Vec::new(),
        schema: 1,
    };
    let mut checklist = v.checklist(raw, content_hash(src));
    checklist.source = src.into();
    if v.problems.is_empty() {
        Ok(checklist)
    } else {
        v.problems.sort_by_key(|d| d.line);
        Err(v.problems)
    }
}

/// SHA-256 of the text with CRLF line endings folded to LF, so a checkout on Windows hashes the same.
pub fn content_hash(src: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(src.replace("\r\n", "\n").as_bytes());
    hex(&hasher.finalize())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(src: &str) -> Self {
        let starts = std::iter::once(0)
            .chain(src.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Self { starts }
    }

    fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset).max(1)
    }
}

struct Validator {
    lines: LineIndex,
    problems: Vec<Diagnostic>,
    /// The file's format version (1 or 2).
    schema: u32,
}

/// Where a table starts, and how to name it in messages.
#[derive(Clone)]
struct Owner {
    what: String,
    line: usize,
}

impl Validator {
    fn report(&mut self, line: usize, problem: Problem) {
        self.problems.push(Diagnostic { line, problem });
    }

    fn line_of<T>(&self, s: &Spanned<T>) -> usize {
        self.lines.line(s.span().start)
    }

    fn owner<T>(&self, what: String, s: &Spanned<T>) -> Owner {
        Owner {
            what,
            line: self.line_of(s),
        }
    }

    /// A required, non-blank string.
    fn required(&mut self, value: &Str, owner: &Owner, field: &str) -> String {
        match value {
            Some(v) if !v.get_ref().trim().is_empty() => v.get_ref().trim().to_string(),
            Some(v) => {
                let line = self.line_of(v);
                self.report(
                    line,
                    Problem::Missing {
                        what: format!("{} of {}", field, owner.what),
                    },
                );
                String::new()
            }
            None => {
                self.report(
                    owner.line,
                    Problem::Missing {
                        what: format!("{} of {}", field, owner.what),
                    },
                );
                String::new()
            }
        }
    }

    /// A required text in both languages, from `<field>_zh` and `<field>_en`.
    fn bilingual(&mut self, zh: &Str, en: &Str, owner: &Owner, field: &str) -> Text {
        let mut side = |value: &Str, suffix: &str, chinese: bool| -> String {
            match value {
                Some(v) if !v.get_ref().trim().is_empty() => v.get_ref().trim().to_string(),
                _ => {
                    let line = value.as_ref().map_or(owner.line, |v| self.line_of(v));
                    let what = owner.what.clone();
                    let field = format!("{field}_{suffix}");
                    let problem = if chinese {
                        Problem::MissingChinese { what, field }
                    } else {
                        Problem::MissingEnglish { what, field }
                    };
                    self.report(line, problem);
                    String::new()
                }
            }
        };
        let zh = side(zh, "zh", true);
        let en = side(en, "en", false);
        Text { zh, en }
    }

    /// An optional text: absent in both languages is fine; present in one only is not.
    fn optional_bilingual(&mut self, zh: &Str, en: &Str, owner: &Owner, field: &str) -> Option<Text> {
        if zh.is_none() && en.is_none() {
            return None;
        }
        Some(self.bilingual(zh, en, owner, field))
    }

    fn keyword<K: Copy>(
        &mut self,
        value: &Str,
        owner: &Owner,
        field: &str,
        parse: fn(&str) -> Option<K>,
        unknown: impl FnOnce(String, String) -> Problem,
    ) -> Option<K> {
        let Some(v) = value else {
            self.report(
                owner.line,
                Problem::Missing {
                    what: format!("{} of {}", field, owner.what),
                },
            );
            return None;
        };
        let found = v.get_ref().trim();
        let parsed = parse(found);
        if parsed.is_none() {
            let line = self.line_of(v);
            self.report(line, unknown(owner.what.clone(), found.to_string()));
        }
        parsed
    }

    /// Remembers ids of one kind and reports the second use of any.
    fn unique(&mut self, seen: &mut HashMap<String, usize>, kind: &'static str, id: &str, line: usize) {
        if id.is_empty() {
            return;
        }
        if let Some(&first_line) = seen.get(id) {
            self.report(
                line,
                Problem::DuplicateId {
                    kind,
                    id: id.to_string(),
                    first_line,
                },
            );
        } else {
            seen.insert(id.to_string(), line);
        }
    }

    fn checklist(&mut self, raw: RawFile, content_hash: String) -> Checklist {
        let RawFile {
            checklist,
            law,
            part,
            section,
            condition,
            clause,
        } = raw;
        let Some(header) = checklist else {
            self.report(
                1,
                Problem::Missing {
                    what: "the [checklist] table".into(),
                },
            );
            return empty(content_hash);
        };
        let owner = self.owner("the [checklist] table".into(), &header);
        let h = header.get_ref();
        let id = self.required(&h.id, &owner, "id");
        let version = self.required(&h.version, &owner, "version");
        let title = self.bilingual(&h.title_zh, &h.title_en, &owner, "title");
        let document = self.bilingual(&h.document_zh, &h.document_en, &owner, "document");
        let authority = self.bilingual(&h.authority_zh, &h.authority_en, &owner, "authority");
        let issued = self.required(&h.issued, &owner, "issued");
        self.schema = match &h.schema {
            None => 1,
            Some(n) if (1..=2).contains(n.get_ref()) => *n.get_ref() as u32,
            Some(n) => {
                let line = self.line_of(n);
                self.report(line, Problem::BadSchema(*n.get_ref()));
                1
            }
        };
        let note = self.optional_bilingual(&h.note_zh, &h.note_en, &owner, "note");

        let laws = self.laws(&law);
        let parts = self.parts(&part);
        let sections = self.sections(&section, &parts);
        let conditions = self.conditions(&condition);
        let clauses = self.clauses(&clause, &laws, &sections, &conditions);

        match &h.clause_count {
            None => self.report(
                owner.line,
                Problem::Missing {
                    what: "clause_count of the [checklist] table".into(),
                },
            ),
            Some(count) => self.clause_numbers(&clauses, count, &clause),
        }

        Checklist {
            id,
            version,
            title,
            document,
            authority,
            issued,
            content_hash,
            schema: self.schema,
            note,
            laws,
            parts,
            sections,
            conditions,
            clauses,
            source: Default::default(),
        }
    }

    /// A required date, YYYY-MM-DD.
    fn date(&mut self, value: &Str, owner: &Owner, field: &str) -> String {
        let d = self.required(value, owner, field);
        if !d.is_empty() && chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").is_err() {
            let line = value.as_ref().map_or(owner.line, |v| self.line_of(v));
            self.report(
                line,
                Problem::BadDate {
                    what: format!("{field} of {}", owner.what),
                    found: d.clone(),
                },
            );
        }
        d
    }

    fn parts(&mut self, raw: &[Spanned<RawPart>]) -> Vec<Part> {
        let mut seen = HashMap::new();
        let mut parts = Vec::new();
        for (n, p) in raw.iter().enumerate() {
            let owner = self.owner(format!("part #{}", n + 1), p);
            let r = p.get_ref();
            let id = self.required(&r.id, &owner, "id");
            self.unique(&mut seen, "part", &id, owner.line);
            let owner = Owner {
                what: format!("part {id:?}"),
                ..owner
            };
            let title = self.bilingual(&r.title_zh, &r.title_en, &owner, "title");
            let title_provenance = self.provenance(&r.title_provenance, &owner, "title_provenance");
            parts.push(Part {
                id,
                title,
                title_provenance,
            });
        }
        parts
    }

    fn conditions(&mut self, raw: &[Spanned<RawCondition>]) -> Vec<Condition> {
        let mut seen = HashMap::new();
        let mut conditions = Vec::new();
        for (n, c) in raw.iter().enumerate() {
            let owner = self.owner(format!("condition #{}", n + 1), c);
            let r = c.get_ref();
            let id = self.required(&r.id, &owner, "id");
            self.unique(&mut seen, "condition", &id, owner.line);
            let owner = Owner {
                what: format!("condition {id:?}"),
                ..owner
            };
            let question = self.bilingual(&r.question_zh, &r.question_en, &owner, "question");
            conditions.push(Condition { id, question });
        }
        conditions
    }

    /// A provenance keyword; absent means official (schema 1 files name none).
    fn provenance(&mut self, value: &Str, owner: &Owner, field: &str) -> Provenance {
        if value.is_none() {
            return Provenance::Official;
        }
        self.keyword(value, owner, field, Provenance::from_keyword, |what, found| {
            Problem::UnknownProvenance {
                what,
                found,
                expected: Provenance::keywords(),
            }
        })
        .unwrap_or(Provenance::Translation)
    }

    fn laws(&mut self, raw: &[Spanned<RawLaw>]) -> Vec<Law> {
        let mut seen = HashMap::new();
        let mut laws = Vec::new();
        for (n, l) in raw.iter().enumerate() {
            let owner = self.owner(format!("law #{}", n + 1), l);
            let r = l.get_ref();
            let id = self.required(&r.id, &owner, "id");
            self.unique(&mut seen, "law", &id, owner.line);
            let owner = Owner {
                what: format!("law {id:?}"),
                ..owner
            };
            let name = self.bilingual(&r.name_zh, &r.name_en, &owner, "name");
            let kind = if r.kind.is_none() && self.schema == 1 {
                LawKind::NormativeDocument
            } else {
                self.keyword(&r.kind, &owner, "kind", LawKind::from_keyword, |what, found| {
                    Problem::UnknownLawKind {
                        what,
                        found,
                        expected: LawKind::keywords(),
                    }
                })
                .unwrap_or(LawKind::NormativeDocument)
            };
            let mut versions = Vec::new();
            for v in &r.version {
                let here = Owner {
                    what: format!("a version of law {id:?}"),
                    line: self.line_of(v),
                };
                let rv = v.get_ref();
                let date = self.date(&rv.date, &here, "date");
                let in_force = self.date(&rv.in_force, &here, "in_force");
                let confirmed =
                    self.optional_bilingual(&rv.confirmed_zh, &rv.confirmed_en, &here, "confirmed");
                let power = self.optional_bilingual(&rv.power_zh, &rv.power_en, &here, "power");
                versions.push(LawVersion {
                    date,
                    in_force,
                    confirmed,
                    power,
                });
            }
            // Oldest first, so that the version in force on a date is the last one not after it.
            versions.sort_by(|a, b| a.in_force.cmp(&b.in_force));
            // Guidance and standards are followed, never cited by article as a source of duty.
            if self.schema >= 2 && versions.is_empty() && kind.binding() {
                self.report(
                    owner.line,
                    Problem::Empty {
                        what: owner.what.clone(),
                        needed: "[[law.version]] (the text its article numbers refer to)",
                    },
                );
            }
            laws.push(Law {
                id,
                name,
                kind,
                versions,
            });
        }
        laws
    }

    fn sections(&mut self, raw: &[Spanned<RawSection>], parts: &[Part]) -> Vec<Section> {
        let mut seen = HashMap::new();
        let mut sections = Vec::new();
        for (n, s) in raw.iter().enumerate() {
            let owner = self.owner(format!("section #{}", n + 1), s);
            let r = s.get_ref();
            let id = self.required(&r.id, &owner, "id");
            self.unique(&mut seen, "section", &id, owner.line);
            let owner = Owner {
                what: format!("section {id:?}"),
                ..owner
            };
            let title = self.bilingual(&r.title_zh, &r.title_en, &owner, "title");
            let text = self.optional_bilingual(&r.text_zh, &r.text_en, &owner, "text");
            let part = r.part.as_ref().map(|p| p.get_ref().trim().to_string());
            if let Some(p) = &part
                && !parts.iter().any(|x| &x.id == p)
            {
                let line = r.part.as_ref().map_or(owner.line, |s| self.line_of(s));
                self.report(
                    line,
                    Problem::UnknownPart {
                        what: owner.what.clone(),
                        found: p.clone(),
                    },
                );
            }
            let title_provenance = self.provenance(&r.title_provenance, &owner, "title_provenance");
            sections.push(Section {
                id,
                title,
                scored: r.scored.unwrap_or(true),
                part,
                title_provenance,
                text,
            });
        }
        if sections.is_empty() {
            self.report(
                1,
                Problem::Empty {
                    what: "the checklist".into(),
                    needed: "[[section]] table",
                },
            );
        }
        sections
    }

    fn clauses(
        &mut self,
        raw: &[Spanned<RawClause>],
        laws: &[Law],
        sections: &[Section],
        conditions: &[Condition],
    ) -> Vec<Clause> {
        let mut seen_clauses = HashMap::new();
        let mut seen_points = HashMap::new();
        let mut clauses = Vec::new();
        for (n, c) in raw.iter().enumerate() {
            let owner = self.owner(format!("clause #{}", n + 1), c);
            let r = c.get_ref();
            let id = self.required(&r.id, &owner, "id");
            self.unique(&mut seen_clauses, "clause", &id, owner.line);
            let owner = Owner {
                what: format!("clause {id}"),
                ..owner
            };
            let section = self.required(&r.section, &owner, "section");
            if !section.is_empty() && !sections.iter().any(|s| s.id == section) {
                let line = r.section.as_ref().map_or(owner.line, |s| self.line_of(s));
                self.report(
                    line,
                    Problem::UnknownSection {
                        what: owner.what.clone(),
                        found: section.clone(),
                    },
                );
            }
            let title = self.bilingual(&r.title_zh, &r.title_en, &owner, "title");
            let title_provenance = self.provenance(&r.title_provenance, &owner, "title_provenance");
            let text = self.bilingual(&r.text_zh, &r.text_en, &owner, "text");
            let zh_provenance = self
                .keyword(
                    &r.zh_provenance,
                    &owner,
                    "zh_provenance",
                    Provenance::from_keyword,
                    |what, found| Problem::UnknownProvenance {
                        what,
                        found,
                        expected: Provenance::keywords(),
                    },
                )
                .unwrap_or(Provenance::Translation);
            let zh_note = r.zh_note.as_ref().map(|s| s.get_ref().trim().to_string());
            let en_note = r.en_note.as_ref().map(|s| s.get_ref().trim().to_string());
            let subjects = self.subjects(&r.subjects, &owner);
            let legal_basis = self.basis(&r.basis, laws, &owner);
            let mut test_points = Vec::new();
            let context = ClauseContext {
                id: &id,
                subjects: &subjects,
                basis: &legal_basis,
                laws,
                conditions,
            };
            for t in &r.testpoint {
                if let Some(tp) = self.test_point(t, &context, &mut seen_points) {
                    test_points.push(tp);
                }
            }
            if r.testpoint.is_empty() {
                self.report(
                    owner.line,
                    Problem::Empty {
                        what: owner.what.clone(),
                        needed: "[[clause.testpoint]]",
                    },
                );
            }
            clauses.push(Clause {
                id,
                section,
                title,
                title_provenance,
                text,
                zh_provenance,
                zh_note,
                en_note,
                subjects,
                legal_basis,
                test_points,
            });
        }
        clauses
    }

    fn subjects(&mut self, raw: &[Spanned<String>], owner: &Owner) -> Vec<SubjectType> {
        if raw.is_empty() {
            self.report(
                owner.line,
                Problem::Empty {
                    what: owner.what.clone(),
                    needed: "subjects (the subject types it binds)",
                },
            );
        }
        let mut subjects = Vec::new();
        for s in raw {
            match SubjectType::from_keyword(s.get_ref().trim()) {
                Some(t) => subjects.push(t),
                None => {
                    let line = self.line_of(s);
                    self.report(
                        line,
                        Problem::UnknownSubject {
                            what: owner.what.clone(),
                            found: s.get_ref().clone(),
                            expected: SubjectType::keywords(),
                        },
                    );
                }
            }
        }
        subjects
    }

    fn basis(&mut self, raw: &[Spanned<RawBasis>], laws: &[Law], owner: &Owner) -> Vec<LegalBasis> {
        if raw.is_empty() {
            self.report(
                owner.line,
                Problem::Empty {
                    what: owner.what.clone(),
                    needed: "legal basis (basis = [...])",
                },
            );
        }
        let mut basis = Vec::new();
        for b in raw {
            let r = b.get_ref();
            let here = Owner {
                what: format!("a legal basis of {}", owner.what),
                line: self.line_of(b),
            };
            let law_id = self.required(&r.law, &here, "law");
            let Some(law) = laws.iter().find(|l| l.id == law_id) else {
                if !law_id.is_empty() {
                    self.report(
                        here.line,
                        Problem::UnknownLaw {
                            what: owner.what.clone(),
                            found: law_id,
                        },
                    );
                }
                continue;
            };
            // An article is optional (the law cited as a whole), but never in one language only.
            let article = self
                .optional_bilingual(&r.article_zh, &r.article_en, &here, "article")
                .unwrap_or_default();
            let version = match (&r.version, law.versions.as_slice()) {
                (Some(v), versions) => {
                    let v = v.get_ref().trim().to_string();
                    if !versions.iter().any(|x| x.date == v) {
                        let known = versions
                            .iter()
                            .map(|x| x.date.as_str())
                            .collect::<Vec<_>>()
                            .join(", ");
                        self.report(
                            here.line,
                            Problem::UnknownLawVersion {
                                what: owner.what.clone(),
                                law: law.id.clone(),
                                found: v.clone(),
                                known,
                            },
                        );
                    }
                    Some(v)
                }
                (None, []) => None,
                (None, [only]) => Some(only.date.clone()),
                (None, _) => {
                    // Without a version an article number is ambiguous; the law alone is not.
                    if !article.is_empty() {
                        self.report(
                            here.line,
                            Problem::AmbiguousLawVersion {
                                what: owner.what.clone(),
                                law: law.id.clone(),
                            },
                        );
                    }
                    None
                }
            };
            let confirmed = version
                .as_deref()
                .and_then(|v| law.versions.iter().find(|x| x.date == v))
                .is_some_and(|x| x.confirmed.is_some());
            let power = self.optional_bilingual(&r.power_zh, &r.power_en, &here, "power");
            basis.push(LegalBasis {
                law: law.id.clone(),
                law_name: law.name.clone(),
                article,
                version,
                confirmed,
                binding: law.binding(),
                power,
            });
        }
        basis
    }

    fn test_point(
        &mut self,
        t: &Spanned<RawTestPoint>,
        context: &ClauseContext<'_>,
        seen: &mut HashMap<String, usize>,
    ) -> Option<TestPoint> {
        let clause = context.id;
        let r = t.get_ref();
        let owner = self.owner(format!("a test point of clause {clause}"), t);
        let id = self.required(&r.id, &owner, "id");
        self.unique(seen, "test point", &id, owner.line);
        let belongs = id
            .strip_prefix(clause)
            .and_then(|rest| rest.strip_prefix('.'))
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        if !id.is_empty() && !belongs {
            self.report(
                owner.line,
                Problem::TestPointId {
                    id: id.clone(),
                    clause: clause.to_string(),
                },
            );
        }
        let owner = Owner {
            what: format!("test point {id}"),
            ..owner
        };
        let check = self.bilingual(&r.check_zh, &r.check_en, &owner, "check");
        let method = self.keyword(
            &r.method,
            &owner,
            "method",
            Method::from_keyword,
            |what, found| Problem::UnknownMethod {
                what,
                found,
                expected: Method::keywords(),
            },
        );
        let evidence = self.bilingual(&r.evidence_zh, &r.evidence_en, &owner, "evidence");
        let severity = self.keyword(
            &r.severity,
            &owner,
            "severity",
            Severity::from_keyword,
            |what, found| Problem::UnknownSeverity {
                what,
                found,
                expected: Severity::keywords(),
            },
        );
        let threshold = self.optional_bilingual(&r.threshold_zh, &r.threshold_en, &owner, "threshold");
        let mut rule_ids = Vec::new();
        for rule in &r.rules {
            let id = rule.get_ref().trim();
            if rules::rule(id).is_none() {
                let line = self.line_of(rule);
                self.report(
                    line,
                    Problem::UnknownRule {
                        what: owner.what.clone(),
                        found: id.to_string(),
                    },
                );
            } else {
                rule_ids.push(id.to_string());
            }
        }
        let demand = self.bilingual(&r.demand_zh, &r.demand_en, &owner, "demand");
        let (basis, force, condition, subjects) = self.force_and_sources(r, context, &owner, &demand);
        Some(TestPoint {
            id,
            check,
            method: method?,
            evidence,
            severity: severity?,
            threshold,
            rules: rule_ids,
            demand,
            basis,
            force,
            condition,
            subjects,
        })
    }

    /// A test point's basis, force, condition and subjects. Schema 1 files have none of their own:
    /// the clause's basis and subjects stand for every test point, and every test point is
    /// mandatory (which is what version 2026.1 claimed).
    fn force_and_sources(
        &mut self,
        r: &RawTestPoint,
        context: &ClauseContext<'_>,
        owner: &Owner,
        demand: &Text,
    ) -> (Vec<LegalBasis>, Force, Option<String>, Vec<SubjectType>) {
        if self.schema == 1 {
            for (present, field) in [
                (!r.basis.is_empty(), "basis"),
                (r.force.is_some(), "force"),
                (r.condition.is_some(), "condition"),
                (!r.subjects.is_empty(), "subjects"),
            ] {
                if present {
                    self.report(
                        owner.line,
                        Problem::NeedsSchemaTwo {
                            what: owner.what.clone(),
                            field,
                        },
                    );
                }
            }
            return (
                context.basis.to_vec(),
                Force::Mandatory,
                None,
                context.subjects.to_vec(),
            );
        }
        let basis = self.basis(&r.basis, context.laws, owner);
        let force = self
            .keyword(&r.force, owner, "force", Force::from_keyword, |what, found| {
                Problem::UnknownForce {
                    what,
                    found,
                    expected: Force::keywords(),
                }
            })
            .unwrap_or(Force::Mandatory);
        let condition = r.condition.as_ref().map(|c| c.get_ref().trim().to_string());
        let line = r.condition.as_ref().map_or(owner.line, |c| self.line_of(c));
        match (&condition, force) {
            (None, Force::Conditional) => self.report(
                owner.line,
                Problem::MissingCondition {
                    what: owner.what.clone(),
                },
            ),
            (Some(_), Force::Mandatory | Force::Advisory) => self.report(
                line,
                Problem::StrayCondition {
                    what: owner.what.clone(),
                },
            ),
            (Some(c), Force::Conditional) if !context.conditions.iter().any(|x| &x.id == c) => self.report(
                line,
                Problem::UnknownCondition {
                    what: owner.what.clone(),
                    found: c.clone(),
                },
            ),
            _ => {}
        }
        if force == Force::Advisory && !demand.zh.starts_with("建议") {
            self.report(
                owner.line,
                Problem::AdvisoryDemand {
                    what: owner.what.clone(),
                },
            );
        }
        // A breach must rest on an instrument that can create a duty.
        if force != Force::Advisory && !basis.is_empty() && !basis.iter().any(|b| b.binding) {
            self.report(
                owner.line,
                Problem::NoBindingBasis {
                    what: owner.what.clone(),
                },
            );
        }
        let subjects = if r.subjects.is_empty() {
            context.subjects.to_vec()
        } else {
            let subjects = self.subjects(&r.subjects, owner);
            for s in &subjects {
                if !context.subjects.contains(s) {
                    self.report(
                        owner.line,
                        Problem::SubjectNotOnClause {
                            what: owner.what.clone(),
                            found: s.keyword().to_string(),
                        },
                    );
                }
            }
            subjects
        };
        (basis, force, condition, subjects)
    }

    /// Clause ids must be exactly "1" … "N": none missing, none outside.
    fn clause_numbers(&mut self, clauses: &[Clause], count: &Spanned<i64>, raw: &[Spanned<RawClause>]) {
        // A regulation with more than a thousand numbered measures is a typo, not a regulation.
        let Some(n) = u32::try_from(*count.get_ref())
            .ok()
            .filter(|n| (1..=1000).contains(n))
        else {
            let line = self.line_of(count);
            self.report(
                line,
                Problem::Syntax(format!(
                    "clause_count must be a number from 1 to 1000, not {}",
                    count.get_ref()
                )),
            );
            return;
        };
        let count_line = self.line_of(count);
        let mut present = vec![false; n as usize + 1];
        for (c, r) in clauses.iter().zip(raw) {
            // A clause named after its section (e.g. "III") stands for an unnumbered part of the
            // regulation; it is not one of the N numbered measures.
            if c.id == c.section {
                continue;
            }
            match c.id.parse::<u32>() {
                Ok(k) if (1..=n).contains(&k) && c.id == k.to_string() => present[k as usize] = true,
                _ if c.id.is_empty() => {}
                _ => {
                    let line = self.line_of(r);
                    self.report(line, Problem::ClauseOutOfRange(c.id.clone(), n));
                }
            }
        }
        for k in 1..=n {
            if !present[k as usize] {
                self.report(count_line, Problem::MissingClause(k, n));
            }
        }
    }
}

/// What a test point inherits from, or is checked against, its clause.
struct ClauseContext<'a> {
    id: &'a str,
    subjects: &'a [SubjectType],
    basis: &'a [LegalBasis],
    laws: &'a [Law],
    conditions: &'a [Condition],
}

fn empty(content_hash: String) -> Checklist {
    Checklist {
        id: String::new(),
        version: String::new(),
        title: Text::default(),
        document: Text::default(),
        authority: Text::default(),
        issued: String::new(),
        content_hash,
        schema: 1,
        note: None,
        laws: Vec::new(),
        parts: Vec::new(),
        sections: Vec::new(),
        conditions: Vec::new(),
        clauses: Vec::new(),
        source: Default::default(),
    }
}
