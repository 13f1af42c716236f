//! `checklist list` and `checklist show`.

use std::io::Write as _;
use std::process::ExitCode;

use super::args::ChecklistCommand;
use super::wrap::wrap;
use crate::checklist::SubjectType;
use crate::checklist::{self, Checklist, rules};
use crate::i18n::Lang;

const COLUMNS: usize = 100;

pub fn run(command: ChecklistCommand, lang: Lang) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    match command {
        ChecklistCommand::List { json } => {
            let builtins = checklist::builtins()?;
            // Installed checklists with an id of their own are usable too (see `--version` for
            // installed copies of the built-in ones and files that do not load).
            let mut all: Vec<(Checklist, String)> = builtins
                .iter()
                .map(|c| (c.clone(), "built-in".to_string()))
                .collect();
            for (path, c) in checklist::installed() {
                if let Ok(c) = c
                    && !builtins.iter().any(|b| b.id == c.id)
                {
                    all.push((c, path.display().to_string()));
                }
            }
            if json {
                let rows: Vec<_> = all
                    .iter()
                    .map(|(c, source)| {
                        let mut row = summary(c);
                        row["source"] = serde_json::json!(source);
                        row
                    })
                    .collect();
                serde_json::to_writer_pretty(&mut out, &rows)?;
                writeln!(out)?;
            } else {
                for (c, source) in &all {
                    writeln!(
                        out,
                        "{}  v{}  {}  ({})\n    {} {}  {} {}  sha256 {}  [{}]",
                        c.id,
                        c.version,
                        c.title.get(lang),
                        c.document.get(lang),
                        c.clauses.len(),
                        lang.pick("项", "measures"),
                        c.test_points().count(),
                        lang.pick("个检查项", "test points"),
                        c.content_hash,
                        if source == "built-in" {
                            lang.pick("内置", "built in")
                        } else {
                            source
                        }
                    )?;
                }
            }
        }
        ChecklistCommand::Show { id, json } => {
            let c = checklist::resolve(&id)?;
            if json {
                serde_json::to_writer_pretty(&mut out, &c)?;
                writeln!(out)?;
            } else {
                out.write_all(render(&c, lang).as_bytes())?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn summary(c: &Checklist) -> serde_json::Value {
    serde_json::json!({
        "id": c.id,
        "version": c.version,
        "title": c.title,
        "document": c.document,
        "content_hash": c.content_hash,
        "clauses": c.clauses.len(),
        "test_points": c.test_points().count(),
    })
}

/// The checklist as a person reads it in a terminal.
pub fn render(c: &Checklist, lang: Lang) -> String {
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let mut s = String::new();
    s += &format!(
        "{}\n{}  ·  {}  ·  {}\n",
        c.title.get(lang),
        c.document.get(lang),
        c.authority.get(lang),
        c.issued
    );
    s += &format!(
        "{} {}  ·  {} {}  ·  {} {}  ·  sha256 {}\n",
        l("检查表", "checklist"),
        c.id,
        l("版本", "version"),
        c.version,
        c.test_points().count(),
        l("个检查项", "test points"),
        c.content_hash
    );
    if let Some(note) = &c.note {
        s += "\n";
        s += &wrap(note.get(lang), "", COLUMNS);
    }
    for section in &c.sections {
        s += &format!("\n══ {} {}", section.id, section.title.get(lang));
        if !section.scored {
            s += l(
                "（工作要求，仅供参考，不计分）",
                " (work requirements: information, not scored)",
            );
        }
        s += "\n";
        if let Some(text) = &section.text {
            s += &wrap(text.get(lang), "   ", COLUMNS);
        }
        for clause in c.clauses.iter().filter(|cl| cl.section == section.id) {
            s += &format!(
                "\n── {} {}  [{}]\n",
                clause.number(lang),
                clause.title.get(lang),
                provenance(clause, lang)
            );
            s += &wrap(clause.text.get(lang), "   ", COLUMNS);
            if let (Lang::En, Some(note)) = (lang, &clause.en_note) {
                s += &wrap(&field(lang, "Note on the translation", note), "   ", COLUMNS);
            }
            s += &wrap(
                &field(
                    lang,
                    l("适用主体", "Binds"),
                    &SubjectType::list(&clause.subjects, lang),
                ),
                "   ",
                COLUMNS,
            );
            let basis: Vec<_> = clause.legal_basis.iter().map(|b| b.cite(lang)).collect();
            s += &wrap(
                &field(lang, l("出处", "Source"), &basis.join(lang.pick("；", "; "))),
                "   ",
                COLUMNS,
            );
            for t in &clause.test_points {
                s += &format!(
                    "\n   {}  [{} {}] [{}]\n",
                    t.id,
                    l("严重程度", "severity"),
                    t.severity.label().get(lang),
                    t.method.label().get(lang)
                );
                s += &wrap(t.check.get(lang), "      ", COLUMNS);
                let basis: Vec<_> = t.basis.iter().map(|b| b.describe(lang)).collect();
                s += &wrap(
                    &field(lang, l("依据", "Basis"), &basis.join(lang.pick("；", "; "))),
                    "      ",
                    COLUMNS,
                );
                s += &wrap(
                    &field(lang, l("效力", "Force"), &t.force_label(c, lang)),
                    "      ",
                    COLUMNS,
                );
                if t.subjects != clause.subjects {
                    s += &wrap(
                        &field(
                            lang,
                            l("适用主体", "Binds"),
                            &SubjectType::list(&t.subjects, lang),
                        ),
                        "      ",
                        COLUMNS,
                    );
                }
                if let Some(th) = &t.threshold {
                    s += &wrap(
                        &field(lang, l("阈值", "Threshold"), th.get(lang)),
                        "      ",
                        COLUMNS,
                    );
                }
                s += &wrap(
                    &field(lang, l("证据", "Evidence"), t.evidence.get(lang)),
                    "      ",
                    COLUMNS,
                );
                if !t.rules.is_empty() {
                    let names: Vec<_> = t
                        .rules
                        .iter()
                        .map(|id| match rules::rule(id) {
                            Some(r) => format!("{id}（{}）", r.description().get(lang)),
                            None => id.clone(),
                        })
                        .collect();
                    s += &wrap(
                        &field(
                            lang,
                            l("自动预填", "Automatic prefill"),
                            &names.join(lang.pick("；", "; ")),
                        ),
                        "      ",
                        COLUMNS,
                    );
                }
                s += &wrap(
                    &field(lang, l("整改要求", "Rectification"), t.demand.get(lang)),
                    "      ",
                    COLUMNS,
                );
            }
        }
    }
    s
}

/// "label: value", with the colon of the language.
fn field(lang: Lang, label: &str, value: &str) -> String {
    format!("{label}{}{value}", lang.pick("：", ": "))
}

/// Where the Chinese wording of a clause comes from, said in the output language.
fn provenance(clause: &crate::checklist::Clause, lang: Lang) -> String {
    use crate::checklist::Provenance;
    let title = match clause.title_provenance {
        Provenance::Official => "",
        Provenance::Translation => lang.pick("；标题未经核实", "; title not confirmed"),
    };
    match lang {
        Lang::Zh => format!("中文：{}{title}", clause.zh_provenance.label().zh),
        Lang::En => format!("Chinese text: {}{title}", clause.zh_provenance.label().en),
    }
}
