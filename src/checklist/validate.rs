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
            section,
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

        let laws = self.laws(&law);
        let sections = self.sections(&section);
        let clauses = self.clauses(&clause, &laws, &sections);

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
            laws,
            sections,
            clauses,
            source: Default::default(),
        }
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
            laws.push(Law { id, name });
        }
        laws
    }

    fn sections(&mut self, raw: &[Spanned<RawSection>]) -> Vec<Section> {
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
            sections.push(Section {
                id,
                title,
                scored: r.scored.unwrap_or(true),
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

    fn clauses(&mut self, raw: &[Spanned<RawClause>], laws: &[Law], sections: &[Section]) -> Vec<Clause> {
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
            let subjects = self.subjects(&r.subjects, &owner);
            let legal_basis = self.basis(&r.basis, laws, &owner);
            let mut test_points = Vec::new();
            for t in &r.testpoint {
                if let Some(tp) = self.test_point(t, &id, &mut seen_points) {
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
                text,
                zh_provenance,
                zh_note,
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
            basis.push(LegalBasis {
                law: law.id.clone(),
                law_name: law.name.clone(),
                article,
            });
        }
        basis
    }

    fn test_point(
        &mut self,
        t: &Spanned<RawTestPoint>,
        clause: &str,
        seen: &mut HashMap<String, usize>,
    ) -> Option<TestPoint> {
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
        Some(TestPoint {
            id,
            check,
            method: method?,
            evidence,
            severity: severity?,
            threshold,
            rules: rule_ids,
            demand,
        })
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

fn empty(content_hash: String) -> Checklist {
    Checklist {
        id: String::new(),
        version: String::new(),
        title: Text::default(),
        document: Text::default(),
        authority: Text::default(),
        issued: String::new(),
        content_hash,
        laws: Vec::new(),
        sections: Vec::new(),
        clauses: Vec::new(),
        source: Default::default(),
    }
}
