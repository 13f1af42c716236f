//! `case …`: the case store from the command line.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::args::CaseCommand;
use super::wrap::wrap;
use crate::case::{self, CaseView, NewCase, Store};
use crate::checklist::SubjectType;
use crate::i18n::Lang;
use crate::score;
use crate::status::Status;

/// The database: `--db`, else `APP_INSPECTOR_DB` (clap reads both), else the platform data directory.
pub fn db_path(db: Option<&Path>) -> PathBuf {
    db.map(Path::to_path_buf).unwrap_or_else(case::default_path)
}

pub fn run(command: CaseCommand, db: Option<&Path>, lang: Lang) -> anyhow::Result<ExitCode> {
    let mut store = Store::open(&db_path(db))?;
    let actor = case::default_actor();
    let mut out = std::io::stdout().lock();
    match command {
        #[cfg(feature = "gui")]
        CaseCommand::Sample { reinspected } => {
            let id = match reinspected {
                true => crate::sample::case::create_reinspected(&mut store, &actor)?,
                false => crate::sample::case::create(&mut store, &actor)?,
            };
            writeln!(out, "{id}")?;
        }
        CaseCommand::New {
            package,
            subject_name,
            subject_type,
            credit_code,
            address,
            inspector,
            checklist,
            filing,
        } => {
            let roles = subject_type
                .iter()
                .map(|t| {
                    SubjectType::from_keyword(t).ok_or_else(|| {
                        case::CaseError::UnknownSubjectType(t.clone(), SubjectType::keywords())
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            let inspectors: Vec<case::Inspector> = if inspector.is_empty() {
                vec![case::Inspector::parse(&actor)]
            } else {
                inspector.iter().map(|i| case::Inspector::parse(i)).collect()
            };
            let id = store.new_case(
                &NewCase {
                    package,
                    subject_name,
                    roles,
                    credit_code,
                    address,
                    inspectors: inspectors.clone(),
                    checklist,
                    filing,
                },
                &inspectors[0].name,
            )?;
            writeln!(out, "{id}")?;
        }
        CaseCommand::List { json } => {
            let cases = store.list()?;
            let verdicts = score::verdicts(&store, &cases)?;
            if json {
                let rows: Vec<serde_json::Value> = cases
                    .iter()
                    .map(|c| {
                        let mut row = serde_json::to_value(c)?;
                        row["verdict"] = serde_json::to_value(verdicts.get(&c.id))?;
                        Ok(row)
                    })
                    .collect::<Result<_, serde_json::Error>>()?;
                serde_json::to_writer_pretty(&mut out, &rows)?;
                writeln!(out)?;
            } else if cases.is_empty() {
                writeln!(
                    out,
                    "{}",
                    lang.pick(
                        "还没有案件。用 `app-inspector case new --package APP.apk` 新建。",
                        "No cases yet. Create one with `app-inspector case new --package APP.apk`."
                    )
                )?;
            } else {
                for c in cases {
                    writeln!(
                        out,
                        "{}  [{}]  {}  {}  {} {} {}  {}: {}  {}: {}  {}: {}  {}",
                        c.id,
                        c.state,
                        verdicts
                            .get(&c.id)
                            .map_or("—".to_string(), |v| v.label().get(lang).to_string()),
                        if c.subject_name.is_empty() {
                            "—"
                        } else {
                            &c.subject_name
                        },
                        c.app_name,
                        c.app_package,
                        c.app_version,
                        lang.pick("已检查", "assessed"),
                        c.assessed,
                        lang.pick("待复核建议", "pending suggestions"),
                        c.pending_suggestions,
                        lang.pick("证据", "evidence"),
                        c.evidence,
                        crate::i18n::prefix(&c.updated_at, 19)
                    )?;
                    if let (Some(deadline), Some(days)) = (&c.deadline, c.days_left) {
                        // The days count only while the enterprise is to answer.
                        let waiting = c.state == case::CaseState::NoticeIssued;
                        let when = match (lang, c.overdue, waiting) {
                            (Lang::Zh, true, _) => format!("已逾期 {} 天", -days),
                            (Lang::En, true, _) => format!("overdue by {} days", -days),
                            (Lang::Zh, false, true) => format!("剩 {days} 天"),
                            (Lang::En, false, true) => format!("{days} days left"),
                            (_, false, false) => c.state.label(lang).to_string(),
                        };
                        writeln!(
                            out,
                            "    {} {deadline}（{when}）",
                            lang.pick("整改期限", "Rectification deadline")
                        )?;
                    }
                }
            }
        }
        CaseCommand::Show { case, json } => {
            let opened = crate::inspection::Inspection::open(&store, &case)?;
            if json {
                serde_json::to_writer_pretty(&mut out, &opened.view)?;
                writeln!(out)?;
            } else {
                out.write_all(render(&opened.view, &opened.score, lang).as_bytes())?;
            }
        }
        CaseCommand::Assess {
            case,
            testpoint,
            status,
            note,
        } => {
            let status = Status::from_keyword(&status).ok_or(case::CaseError::UnknownStatus(status))?;
            // 5.1,5.2,5.3: several test points judged alike, all or none.
            let points: Vec<&str> = testpoint
                .split(',')
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .collect();
            store.assess_many(&case, &points, status, note.as_deref().unwrap_or(""), &actor)?;
        }
        CaseCommand::Review {
            case,
            testpoint,
            accept,
            reject,
            rule,
        } => {
            let reason = reject.clone().unwrap_or_default();
            store.review(&case, &testpoint, rule.as_deref(), accept, &reason, &actor)?;
        }
        CaseCommand::Close { case, explain } => {
            let mut explained = std::collections::BTreeMap::new();
            for e in &explain {
                let (tp, why) = e.split_once('=').ok_or_else(|| {
                    anyhow::anyhow!(
                        "--explain {e:?}: write TESTPOINT=TEXT (why the finding is closed unresolved)"
                    )
                })?;
                explained.insert(tp.trim().to_string(), why.trim().to_string());
            }
            let t = store.close(&case, &explained, &actor)?;
            writeln!(out, "{case}: {}", t.describe(lang))?;
        }
        CaseCommand::Reopen { case } => {
            let t = store.reopen(&case, &actor)?;
            writeln!(out, "{case}: {}", t.describe(lang))?;
        }
        CaseCommand::Escalate {
            case,
            measure,
            reason,
        } => {
            let t = store.escalate(&case, &measure, &reason, &actor)?;
            writeln!(out, "{case}: {}", t.describe(lang))?;
        }
        CaseCommand::State { case, json } => {
            let view = store.load(&case)?;
            let unresolved = store.unresolved(&case)?;
            if json {
                serde_json::to_writer_pretty(
                    &mut out,
                    &serde_json::json!({
                        "case": case,
                        "state": view.case.state,
                        "transitions": view.transitions,
                        "unresolved": unresolved,
                    }),
                )?;
                writeln!(out)?;
            } else {
                let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
                // Times where the authority is (that of the last notice; else China's zone).
                let tz = view
                    .notices
                    .last()
                    .and_then(|n| store.authority(&n.authority).ok())
                    .and_then(|a| a.tz().ok())
                    .unwrap_or(chrono_tz::Asia::Shanghai);
                writeln!(out, "{}: {}", l("状态", "State"), view.case.state.label(lang))?;
                if !view.transitions.is_empty() {
                    writeln!(out, "{} ({}):", l("状态变化", "Moves"), tz.name())?;
                }
                for c in &view.transitions {
                    writeln!(
                        out,
                        "  {}  {}  {}",
                        crate::i18n::time_in(&c.at, tz),
                        c.actor,
                        c.transition.describe(lang)
                    )?;
                }
                if unresolved.is_empty() {
                    writeln!(
                        out,
                        "{}",
                        l(
                            "没有未整改到位的问题：可以结案",
                            "No finding stands unresolved: the case can be closed"
                        )
                    )?;
                } else {
                    writeln!(
                        out,
                        "{} ({}):",
                        l(
                            "结案前须整改到位或说明的问题",
                            "Findings to resolve or explain before closing"
                        ),
                        unresolved.len()
                    )?;
                    for u in &unresolved {
                        writeln!(out, "  {}", u.describe(lang))?;
                    }
                }
            }
        }
        CaseCommand::Attach {
            case,
            file,
            rectification_report: true,
            caption,
            ..
        } => {
            let got = store.receive_report(&case, &file, caption.as_deref().unwrap_or(""), &actor)?;
            writeln!(out, "{}", got.sha256)?;
            if let Some(t) = got.transition {
                writeln!(out, "{case}: {}", t.describe(lang))?;
            }
        }
        CaseCommand::Attach {
            case,
            file,
            testpoint,
            caption,
            ..
        } => {
            let sha = store.attach(
                &case,
                &file,
                testpoint.as_deref(),
                caption.as_deref().unwrap_or(""),
                &actor,
            )?;
            writeln!(out, "{sha}")?;
        }
        CaseCommand::Applicability { case, set, json } => {
            for s in &set {
                let (condition, answer) = s.split_once('=').ok_or_else(|| {
                    anyhow::anyhow!("--set {s:?}: write CONDITION=yes, CONDITION=no or CONDITION=unanswered")
                })?;
                let applies = match answer.trim() {
                    "yes" | "是" => Some(true),
                    "no" | "否" => Some(false),
                    "unanswered" => None,
                    other => {
                        anyhow::bail!("--set {condition}={other}: the answer must be yes, no or unanswered")
                    }
                };
                store.set_applicability(&case, condition.trim(), applies, &actor)?;
            }
            let s = crate::inspection::Inspection::open(&store, &case)?.score;
            if json {
                serde_json::to_writer_pretty(&mut out, &s.conditions)?;
                writeln!(out)?;
            } else {
                out.write_all(score::render_conditions(&s.conditions, lang).as_bytes())?;
            }
        }
        CaseCommand::Capture {
            case,
            link,
            at,
            device,
        } => {
            let link_id: i64 = link.trim_start_matches('#').parse().map_err(|_| {
                anyhow::anyhow!(
                    "{link:?} is not an evidence number: `case show {case}` lists them as #1, #2 …"
                )
            })?;
            let view = store.load(&case)?;
            let current = view.evidence.iter().find(|e| e.link_id == link_id);
            let at = at.or_else(|| current.and_then(|e| e.entered_capture.clone()));
            let device = device.or_else(|| current.and_then(|e| e.device.clone()));
            store.set_capture(&case, link_id, at.as_deref(), device.as_deref(), &actor)?;
        }
        CaseCommand::Relink { case, link, to } => {
            let link_id: i64 = link.trim_start_matches('#').parse().map_err(|_| {
                anyhow::anyhow!(
                    "{link:?} is not an evidence number: `case show {case}` lists them as #1, #2 …"
                )
            })?;
            store.relink(&case, link_id, to.as_deref(), &actor)?;
        }
        CaseCommand::ImportLog {
            case,
            file,
            format,
            json,
        } => {
            let done = store.import_log(&case, &file, format, &actor)?;
            if json {
                serde_json::to_writer_pretty(&mut out, &done)?;
                writeln!(out)?;
            } else {
                writeln!(
                    out,
                    "{} {} ({}): {} {}, {} {}, {} {}",
                    lang.pick("已导入", "imported"),
                    file.display(),
                    done.format,
                    done.records,
                    lang.pick("条记录", "records"),
                    done.behaviours,
                    lang.pick(
                        "条行为（相同的连续记录已合并）",
                        "behaviours (identical consecutive records folded)"
                    ),
                    done.suggestions,
                    lang.pick("条自动建议待复核", "suggestions to review"),
                )?;
            }
        }
        CaseCommand::Reinspect {
            case,
            package,
            force,
            json,
        } => {
            let done = store.reinspect(&case, &package, force.as_deref(), &actor)?;
            if json {
                serde_json::to_writer_pretty(&mut out, &done)?;
                writeln!(out)?;
            } else {
                writeln!(out, "{}: {}", done.case, done.summary(lang))?;
                if done.signer_rotated {
                    writeln!(
                        out,
                        "{}",
                        lang.pick(
                            "新版本的签名密钥已轮换：其 v3 轮换证明（已验证）由上一轮的证书授权（`case diff` 显示两者）",
                            "The new version's signing key was rotated: its v3 proof of rotation (verified) is authorised by the earlier round's certificate (`case diff` shows both)",
                        )
                    )?;
                } else if done.signer_changed {
                    writeln!(
                        out,
                        "{}",
                        lang.pick(
                            "注意：新版本的签名证书与上一轮完全不同，也没有由上一轮密钥授权的轮换证明——可能是开发者更换了签名密钥，也可能是另一发布者签名，请核实",
                            "Note: the new version is signed by none of the earlier certificates and carries no proof of rotation from them — a changed key or another publisher; find out which",
                        )
                    )?;
                }
            }
        }
        CaseCommand::Diff { case, from, to, json } => {
            let (a, b, diff) = store.diff(&case, from, to)?;
            if json {
                let mut v = serde_json::to_value(&diff)?;
                if let Some(o) = v.as_object_mut() {
                    o.insert(
                        "rounds".into(),
                        serde_json::json!({"from": a.number, "to": b.number}),
                    );
                }
                serde_json::to_writer_pretty(&mut out, &v)?;
                writeln!(out)?;
            } else {
                writeln!(
                    out,
                    "{} {} → {}",
                    lang.pick("比较轮次", "Rounds"),
                    a.number,
                    b.number
                )?;
                for line in diff.lines(lang) {
                    writeln!(out, "{line}")?;
                }
            }
        }
        CaseCommand::Behaviours { case, json } => {
            let list = store.behaviours(&case)?;
            if json {
                serde_json::to_writer_pretty(&mut out, &list)?;
                writeln!(out)?;
            } else {
                behaviours_table(&mut out, &list, lang)?;
            }
        }
        CaseCommand::Filing { case, number } => {
            if let Some(n) = number {
                store.set_filing(&case, &n, &actor)?;
            }
            writeln!(out, "{}", store.load(&case)?.case.app.filing)?;
        }
        CaseCommand::Inspectors {
            case,
            inspector,
            json,
        } => {
            if !inspector.is_empty() {
                let list: Vec<case::Inspector> =
                    inspector.iter().map(|i| case::Inspector::parse(i)).collect();
                store.set_inspectors(&case, &list, &actor)?;
            }
            let view = store.load(&case)?;
            if json {
                serde_json::to_writer_pretty(&mut out, &view.case.inspectors)?;
                writeln!(out)?;
            } else {
                for i in &view.case.inspectors {
                    writeln!(out, "{}", i.describe(lang))?;
                }
            }
        }
        CaseCommand::Conditions {
            case,
            device,
            os,
            app_version,
            channel,
            account,
            network,
            clean_install,
            notes,
            json,
        } => {
            let mut t = store.load(&case)?.test_conditions;
            let given = [
                &device,
                &os,
                &app_version,
                &channel,
                &account,
                &network,
                &clean_install,
                &notes,
            ]
            .iter()
            .any(|o| o.is_some());
            for (field, value) in [
                (&mut t.device, device),
                (&mut t.os, os),
                (&mut t.app_version, app_version),
                (&mut t.channel, channel),
                (&mut t.account, account),
                (&mut t.network, network),
                (&mut t.notes, notes),
            ] {
                if let Some(v) = value {
                    *field = v.trim().to_string();
                }
            }
            if let Some(c) = clean_install {
                t.clean_install = match c.trim() {
                    "yes" | "是" => Some(true),
                    "no" | "否" => Some(false),
                    "" | "unknown" => None,
                    other => anyhow::bail!("--clean-install {other}: write yes or no"),
                };
            }
            if given {
                store.set_test_conditions(&case, &t, &actor)?;
            }
            if json {
                serde_json::to_writer_pretty(&mut out, &t)?;
                writeln!(out)?;
            } else if t.is_empty() {
                writeln!(
                    out,
                    "{}",
                    lang.pick("尚未记录检测条件。", "No test conditions recorded yet.")
                )?;
            } else {
                for (label, value) in t.lines(lang) {
                    writeln!(out, "{label}{}{value}", lang.pick("：", ": "))?;
                }
            }
        }
        CaseCommand::Score { case, json } => {
            let s = crate::inspection::Inspection::open(&store, &case)?.score;
            if json {
                serde_json::to_writer_pretty(&mut out, &s)?;
                writeln!(out)?;
            } else {
                out.write_all(score::render(&s, lang).as_bytes())?;
            }
        }
        CaseCommand::Log { case, verify } => {
            if verify {
                return Ok(match store.prove(&case)? {
                    Ok(p) => {
                        writeln!(
                            out,
                            "{}",
                            match lang {
                                Lang::Zh => format!(
                                    "审计记录完整：哈希链校验通过（{} 条），自第 {} 条起重放得到的案件状态与数据库一致，{} 份文书或导出的记录点都在，{} 个证据文件的 SHA-256 复核无误",
                                    p.entries, p.replayed_from, p.anchors, p.evidence
                                ),
                                Lang::En => format!(
                                    "the audit log proves the case: the hash chain is intact ({} entries), replaying it from entry {} gives exactly what the database holds, the entries that {} notices and exports recorded are there, and {} evidence files still match their SHA-256",
                                    p.entries, p.replayed_from, p.anchors, p.evidence
                                ),
                            }
                        )?;
                        ExitCode::SUCCESS
                    }
                    Err(finding) => {
                        eprintln!("app-inspector: case {case}: {finding}");
                        ExitCode::from(super::EXIT_PROBLEM)
                    }
                });
            }
            let entries = store.audit(&case)?;
            for e in entries {
                writeln!(
                    out,
                    "{:>4}  {}  {}  {}  {}",
                    e.seq, e.at, e.actor, e.action, e.payload
                )?;
            }
        }
        CaseCommand::Export {
            case,
            out: file,
            force,
        } => {
            let file = case::bundle::bundle_path(&file);
            store.export_with(&case, &file, force, &actor, &|_, _| true)?;
            writeln!(out, "{}", file.display())?;
        }
        CaseCommand::Xlsx {
            case,
            out: file,
            force,
        } => {
            crate::output::check_target(&file, force)?;
            let o = crate::inspection::Inspection::open(&store, &case)?;
            let bytes = crate::sheet::workbook(&o.view, &o.checklist, &o.score, lang)?;
            crate::output::write(&file, &bytes, force)?;
            writeln!(out, "{}", file.display())?;
        }
        CaseCommand::Migrate { case, to, yes, json } => {
            let plan = store.migration_plan(&case, &to)?;
            if json {
                serde_json::to_writer_pretty(&mut out, &plan)?;
                writeln!(out)?;
            } else {
                out.write_all(render_plan(&plan, lang).as_bytes())?;
            }
            if yes {
                store.migrate(&plan, &actor)?;
                if !json {
                    writeln!(
                        out,
                        "{}",
                        match lang {
                            Lang::Zh => format!("已将案件 {case} 迁移到检查表 {} 版。", plan.to_version),
                            Lang::En =>
                                format!("Case {case} now uses checklist version {}.", plan.to_version),
                        }
                    )?;
                }
            } else if !json {
                writeln!(
                    out,
                    "{}",
                    lang.pick(
                        "以上为预览，尚未做任何更改；确认后加 --yes 再运行一次。",
                        "This is a preview; nothing was changed. Run again with --yes to apply it."
                    )
                )?;
            }
        }
        CaseCommand::Import { file } => {
            let id = store.import(&file, &actor)?;
            writeln!(out, "{id}")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The migration plan as the inspector reads it before saying yes.
fn render_plan(p: &case::migrate::Plan, lang: Lang) -> String {
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let list = |ids: &[String]| {
        if ids.is_empty() {
            "—".to_string()
        } else {
            ids.join(", ")
        }
    };
    let mut s = format!(
        "{} {}: {} {} → {}\n",
        l("案件", "Case"),
        p.case,
        p.checklist,
        p.from_version,
        p.to_version
    );
    s += &format!(
        "  {}: {}\n",
        l("沿用原判定的检查项", "Judgements carried over"),
        list(&p.carried)
    );
    s += &format!(
        "  {}: {}\n",
        l("新增检查项（需复查）", "New test points (to re-check)"),
        list(&p.new)
    );
    s += &format!(
        "  {}: {}\n",
        l("有变化的检查项（需复查）", "Changed test points (to re-check)"),
        list(&p.changed)
    );
    s += &format!(
        "  {}: {}\n",
        l("删除的检查项", "Removed test points"),
        list(&p.removed)
    );
    for a in &p.removed_assessments {
        s += &format!(
            "    {} {} {}\n",
            a.testpoint,
            a.status.label().get(lang),
            l(
                "（判定移出案件，审计记录保留）",
                "(the judgement leaves the case; the audit log keeps it)"
            )
        );
    }
    if !p.evidence_on_removed.is_empty() {
        s += &format!(
            "  {}: {}\n",
            l(
                "关联到已删除检查项的证据（保留）",
                "Evidence on removed test points (kept)"
            ),
            p.evidence_on_removed.join(", ")
        );
    }
    let added: Vec<String> = p
        .suggestions_added
        .iter()
        .map(|x| format!("{} {}", x.testpoint, x.rule))
        .collect();
    s += &format!(
        "  {}: {}\n",
        l("新增的自动建议", "New automatic suggestions"),
        list(&added)
    );
    let removed: Vec<String> = p
        .suggestions_removed
        .iter()
        .map(|(tp, rule)| format!("{tp} {rule}"))
        .collect();
    s += &format!(
        "  {}: {}\n",
        l("不再适用的自动建议", "Suggestions that no longer apply"),
        list(&removed)
    );
    s
}

fn render(v: &CaseView, scored: &score::CaseScore, lang: Lang) -> String {
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let c = &v.case;
    let mut s = String::new();
    s += &format!(
        "{} {}  [{}]  {} {}\n",
        l("案件", "Case"),
        c.id,
        c.state.label(lang),
        l("创建于", "created"),
        c.created_at
    );
    s += &format!(
        "{}: {} ({}) {} {}\n",
        l("被检查主体", "Subject"),
        if c.subject.name.is_empty() {
            "—"
        } else {
            &c.subject.name
        },
        c.subject.kind.label().get(lang),
        c.subject.credit_code,
        c.subject.address
    );
    s += &format!(
        "{}: {} {} {}  {} {}\n",
        l("应用", "App"),
        c.app.name,
        c.app.package,
        c.app.version,
        l("证书SHA-256", "certificate SHA-256"),
        c.app.cert_sha256
    );
    if !c.app.filing.is_empty() {
        s += &format!("{}: {}\n", l("APP备案号", "Filing number"), c.app.filing);
    }
    if v.rounds.len() > 1 {
        // Started when, in China's time (the case text names no authority).
        let rounds: Vec<String> = v
            .rounds
            .iter()
            .map(|r| {
                format!(
                    "{} {} {}",
                    r.label(lang),
                    l("始于", "from"),
                    crate::i18n::time_in(&r.started_at, chrono_tz::Asia::Shanghai)
                )
            })
            .collect();
        s += &format!("{}: {}\n", l("轮次", "Rounds"), rounds.join(" → "));
    }
    s += &format!(
        "{}: {} ({})\n",
        l("检查表", "Checklist"),
        c.checklist_id,
        c.checklist_hash
    );
    s += &format!(
        "{}: {}\n",
        l("检查人员", "Inspectors"),
        c.inspectors
            .iter()
            .map(|i| i.describe(lang))
            .collect::<Vec<_>>()
            .join(", ")
    );
    s += &format!(
        "{}: {}\n",
        l("主体类型", "Roles"),
        SubjectType::list(&c.subject.roles(), lang)
    );
    let bearing: Vec<_> = scored
        .conditions
        .iter()
        .filter(|c| !c.testpoints.is_empty())
        .cloned()
        .collect();
    if !bearing.is_empty() {
        s += &format!("\n{}:\n", l("适用条件", "Conditions"));
        s += &score::render_conditions(&bearing, lang);
    }
    s += &format!("\n{}:\n", l("检查条件", "Test conditions"));
    if v.test_conditions.is_empty() {
        s += l("  （未记录）\n", "  (not recorded)\n");
    }
    for (label, value) in v.test_conditions.lines(lang) {
        s += &format!("  {label}{}{value}\n", lang.pick("：", ": "));
    }
    s += &format!("\n{} ({}):\n", l("检查结果", "Assessments"), v.assessments.len());
    for a in &v.assessments {
        s += &format!(
            "  {:<6} {}  ({}, {})\n",
            a.testpoint,
            a.status.label().get(lang),
            a.source,
            a.actor
        );
        if !a.note.is_empty() {
            s += &wrap(&a.note, "         ", 100);
        }
    }
    let pending: Vec<_> = v.suggestions.iter().filter(|x| x.review == "pending").collect();
    s += &format!(
        "\n{} ({}):\n",
        l("待复核的自动建议", "Automatic suggestions to review"),
        pending.len()
    );
    for x in pending {
        s += &format!(
            "  {:<6} [{}] {}\n",
            x.testpoint,
            x.suggested_status.label().get(lang),
            x.rule
        );
    }
    if !v.rechecks.is_empty() {
        s += &format!(
            "\n{} ({}):\n",
            l("需复查的检查项", "Test points to re-check"),
            v.rechecks.len()
        );
        for r in &v.rechecks {
            s += &format!("  {:<6} ↻ {}\n", r.testpoint, r.why.get(lang));
        }
    }
    s += &format!("\n{} ({}):\n", l("证据", "Evidence"), v.evidence.len());
    for e in &v.evidence {
        s += &format!(
            "  #{} {} {} {} bytes → {}  {}\n",
            e.link_id,
            e.sha256,
            e.original_name,
            e.size,
            e.testpoint.as_deref().unwrap_or("—"),
            e.caption
        );
    }
    s
}

/// The behaviours as lines, then who did how much.
fn behaviours_table(
    out: &mut impl std::io::Write,
    list: &[case::behaviours::StoredBehaviour],
    lang: Lang,
) -> anyhow::Result<()> {
    if list.is_empty() {
        writeln!(
            out,
            "{}",
            lang.pick(
                "本案件没有运行时行为记录：用 `case import-log CASE FILE` 导入。",
                "The case has no run-time records: import one with `case import-log CASE FILE`."
            )
        )?;
        return Ok(());
    }
    let mut per_actor: std::collections::BTreeMap<String, (u64, u64)> = Default::default();
    for b in list {
        let actor = b.actor.actor().label(lang);
        let what = b.personal_info.as_ref().map_or_else(
            || b.category.label().get(lang).to_string(),
            |i| i.get(lang).to_string(),
        );
        writeln!(
            out,
            "{:>6}  {}  {:<10}  {}  {}  {}{}",
            b.seq + 1,
            b.time,
            b.phase.label().get(lang),
            actor,
            what,
            b.detail,
            if b.count > 1 {
                format!("  ×{}", b.count)
            } else {
                String::new()
            }
        )?;
        let e = per_actor.entry(actor).or_default();
        e.0 += u64::from(b.count);
        if b.phase == crate::runtime::Phase::BeforeConsent {
            e.1 += u64::from(b.count);
        }
    }
    writeln!(out)?;
    writeln!(out, "{}", lang.pick("按主体统计", "By actor"))?;
    let mut rows: Vec<_> = per_actor.into_iter().collect();
    rows.sort_by(|a, b| b.1.0.cmp(&a.1.0).then_with(|| a.0.cmp(&b.0)));
    for (actor, (n, before)) in rows {
        writeln!(
            out,
            "  {actor}: {n} {}{}",
            lang.pick("次", "times"),
            if before > 0 {
                format!(" ({} {before})", lang.pick("其中同意前", "before consent:"))
            } else {
                String::new()
            }
        )?;
    }
    Ok(())
}
