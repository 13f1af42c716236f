//! Overview: the App's identity, subject, score at a glance, and the package facts in tables.

use crate::ui::app::{App, Command};

/// The Overview's own state: the drafts of inspectors and test conditions, and the audit view.
#[derive(Default)]
pub struct OverviewState {
    /// The open case's inspectors being edited: (case id, text).
    pub inspectors_draft: Option<(String, String)>,
    /// The test conditions being edited: the case they belong to and the draft.
    pub conditions: Option<(String, crate::case::TestConditions)>,
    /// The audit trail as last read, and the chain head it was read at: read again only when the
    /// trail has grown, not on every frame the view is open.
    pub audit_cache: Option<((i64, String), Vec<crate::case::audit::AuditEntry>)>,
    pub audit_filter: String,
    /// The result of the last verification of the trail.
    pub audit_result: Option<(bool, String)>,
    /// Why a package under another name is this App's, for the next re-inspection.
    pub reinspect_reason: String,
    /// What changed between the open case's last two rounds: (case, rounds, the comparison).
    pub diff: Option<(String, usize, std::sync::Arc<crate::package::diff::PackageDiff>)>,
    /// A comparison is being worked out for (case, rounds).
    pub diff_loading: Option<(String, usize)>,
    /// Closing and escalating, as drafted.
    pub lifecycle: LifecycleDraft,
}

/// What the inspector is drafting to close or escalate the open case (a draft belongs to the case
/// it was typed for: another case starts from nothing).
#[derive(Default)]
pub struct LifecycleDraft {
    pub case: String,
    /// Why each unresolved finding is closed all the same, by test point.
    pub explained: std::collections::BTreeMap<String, String>,
    pub measures: Vec<crate::case::Measure>,
    pub reason: String,
}

impl App {
    pub(crate) fn overview_ui(&mut self, ui: &mut egui::Ui) {
        let lang = self.settings.lang;
        let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
        // The checklist version the case is judged against, and moving it to another.
        self.checklist_line(ui);
        // The audit trail, folded: a line until opened.
        self.audit_ui(ui);
        let zone = self.zone();
        let Some(case) = &mut self.case else { return };
        if case.icon.is_none()
            && let Some(png) = case.icon_png.take()
        {
            // At most 128×128 (made so at analysis): cheap enough to decode in the frame.
            if let Ok(img) = image::load_from_memory(&png) {
                let rgba = img.into_rgba8();
                let size = [rgba.width() as usize, rgba.height() as usize];
                let color = egui::ColorImage::from_rgba_unmultiplied(size, rgba.as_raw());
                case.icon = Some(
                    ui.ctx()
                        .load_texture("launcher-icon", color, egui::TextureOptions::LINEAR),
                );
            }
        }
        let case = &*case;
        let c = &case.view.case;
        let mut action = None;
        egui::ScrollArea::vertical().show(ui, |ui| {
            ui.horizontal(|ui| {
                if let Some(icon) = &case.icon {
                    ui.add(
                        egui::Image::new((icon.id(), egui::vec2(72.0, 72.0)))
                            .alt_text(l("应用图标", "App icon")),
                    );
                } else {
                    ui.label(l("（无图标）", "(no icon)"));
                }
                ui.vertical(|ui| {
                    ui.heading(format!("{}  {}", c.app.name, c.app.version));
                    ui.label(format!(
                        "{}  ·  {} {}",
                        c.app.package,
                        l("证书", "certificate"),
                        if c.app.cert_sha256.is_empty() {
                            l("（未签名）", "(unsigned)")
                        } else {
                            &c.app.cert_sha256
                        }
                    ));
                    ui.label(format!(
                        "{}: {} ({})",
                        l("被检查主体", "Subject"),
                        c.subject.name,
                        c.subject.kind.label().get(lang)
                    ));
                });
            });
            let t = &case.score.total;
            ui.label(format!(
                "{}: {}   {}: {}   {}: {:.0}% ({}/{})",
                l("结论", "Verdict"),
                case.score.verdict.label().get(lang),
                l("得分", "Score"),
                t.score.map_or("—".into(), |s| format!("{:.1}%", s * 100.0)),
                l("覆盖率", "Coverage"),
                t.coverage * 100.0,
                t.checked,
                t.applicable
            ));
            if self.overview.lifecycle.case != case.view.case.id {
                self.overview.lifecycle = LifecycleDraft {
                    case: case.view.case.id.clone(),
                    ..LifecycleDraft::default()
                };
                self.overview.reinspect_reason.clear();
            }
            case_actions_ui(ui, case, &mut self.overview.reinspect_reason, &mut action, lang);
            lifecycle_ui(ui, case, zone, &mut self.overview.lifecycle, &mut action, lang);
            rounds_ui(ui, case, zone, &mut self.overview, &mut action, lang);
            inspectors_ui(ui, case, &mut self.overview.inspectors_draft, &mut action, lang);
            conditions_ui(ui, case, &mut self.overview.conditions, &mut action, lang);
            let Some(r) = &case.report else {
                ui.label(l(
                    "此案件没有安装包分析结果。",
                    "This case has no package report.",
                ));
                return;
            };
            ui.separator();
            facts_ui(ui, r, &case.concerns, lang);
            egui::CollapsingHeader::new(format!("{} ({})", l("权限", "Permissions"), r.permissions.len()))
                .default_open(true)
                .show(ui, |ui| {
                    egui::Grid::new("perms").striped(true).show(ui, |ui| {
                        for h in [
                            ("权限", "Permission"),
                            ("中文名", "Chinese name"),
                            ("级别", "Protection"),
                            ("涉及个人信息", "Personal information"),
                            ("来源", "Source"),
                        ] {
                            ui.strong(lang.pick(h.0, h.1));
                        }
                        ui.end_row();
                        for p in &r.permissions {
                            let name = p.name.rsplit('.').next().unwrap_or(&p.name);
                            if p.protection == "dangerous" {
                                ui.colored_label(ui.visuals().warn_fg_color, name);
                            } else {
                                ui.label(name);
                            }
                            ui.label(p.name_zh.clone().unwrap_or_default());
                            ui.label(&p.protection);
                            ui.label(
                                p.personal_info
                                    .as_ref()
                                    .map(|t| t.get(lang).to_string())
                                    .unwrap_or_default(),
                            );
                            ui.label(if p.declared {
                                l("声明", "declared")
                            } else {
                                l("隐式", "implied")
                            });
                            ui.end_row();
                        }
                    });
                });
            egui::CollapsingHeader::new(format!(
                "{} ({})",
                l("自启动入口", "Auto-start"),
                r.auto_start.len()
            ))
            .show(ui, |ui| {
                for a in &r.auto_start {
                    ui.label(format!("{} {} — {}", a.kind, a.component, a.actions.join(", ")));
                }
            });
            egui::CollapsingHeader::new(format!(
                "{} ({})",
                l("第三方SDK", "Third-party SDKs"),
                r.sdks.len() + r.hot_update.len()
            ))
            .default_open(true)
            .show(ui, |ui| {
                for s in r.sdks.iter().chain(r.hot_update.iter()) {
                    egui::CollapsingHeader::new(format!("{} · {} · {}", s.name, s.vendor, s.category))
                        .id_salt(&s.id)
                        .show(ui, |ui| {
                            // Catalogue information, to check against the SDK's current rules.
                            if let Some(entity) = &s.vendor_entity {
                                ui.label(format!("{}：{entity}", l("开发者", "Publisher")));
                            }
                            if let Some(url) = &s.pi_rules {
                                ui.horizontal(|ui| {
                                    ui.label(l("个人信息处理规则：", "Personal-information rules: "));
                                    // Selectable, never opened: the tool stays offline.
                                    ui.add(egui::Label::new(url).selectable(true));
                                });
                            }
                            for e in &s.evidence {
                                ui.label(e);
                            }
                        });
                }
            });
            if !r.unnamed_code.is_empty() {
                // What no catalogue entry names: for the inspector to identify (measure 20).
                egui::CollapsingHeader::new(format!(
                    "{} ({})",
                    l("未识别的第三方代码", "Unnamed third-party code"),
                    r.unnamed_code.len()
                ))
                .show(ui, |ui| {
                    for c in &r.unnamed_code {
                        ui.label(format!("{} · {} {}", c.package, c.classes, l("个类", "classes")));
                    }
                });
            }
            egui::CollapsingHeader::new(l("签名", "Signing")).show(ui, |ui| {
                let sg = &r.signing;
                ui.label(format!(
                    "v1 {} · v2 {} · v3 {} · v3.1 {} — {}",
                    sg.v1,
                    sg.v2,
                    sg.v3,
                    sg.v31,
                    if sg.verified {
                        l("校验通过", "verified")
                    } else {
                        l("校验未通过", "not verified")
                    }
                ));
                for cert in &sg.certificates {
                    ui.label(format!(
                        "{} · {} · {} → {}",
                        cert.subject, cert.sha256, cert.not_before, cert.not_after
                    ));
                }
                for n in &sg.notes {
                    ui.colored_label(ui.visuals().warn_fg_color, n);
                }
            });
        });
        if let Some(command) = action {
            self.send(command);
        }
    }
}

/// Close or reopen the case, export it as a bundle.
/// The case's rounds, the re-inspection button, and what changed since the last round.
fn rounds_ui(
    ui: &mut egui::Ui,
    case: &crate::ui::app::OpenCase,
    zone: chrono_tz::Tz,
    state: &mut OverviewState,
    action: &mut Option<Command>,
    lang: crate::i18n::Lang,
) {
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let rounds = &case.view.rounds;
    // One round needs no line: the re-inspection starts from the case's actions.
    if rounds.len() < 2 {
        return;
    }
    ui.horizontal_wrapped(|ui| {
        ui.label(l("轮次：", "Rounds: "));
        for r in rounds {
            let text = r.label(lang);
            ui.label(text).on_hover_text(format!(
                "{} · {}",
                crate::i18n::time_in(&r.started_at, zone),
                r.package_sha256.as_deref().unwrap_or("—")
            ));
        }
    });
    let key = (case.view.case.id.clone(), rounds.len());
    let fresh = state
        .diff
        .as_ref()
        .is_some_and(|(c, n, _)| (c, n) == (&key.0, &key.1));
    if !fresh {
        if state.diff_loading.as_ref() != Some(&key) {
            state.diff_loading = Some(key.clone());
            *action = action.take().or(Some(Command::Diff {
                case: key.0,
                rounds: key.1,
            }));
        }
        return;
    }
    let Some((_, _, diff)) = &state.diff else {
        return;
    };
    let (from, to) = (rounds.len() - 1, rounds.len());
    egui::CollapsingHeader::new(format!(
        "{} {from} → {to}",
        l("与上一轮相比", "Since the last round")
    ))
    .default_open(true)
    .show(ui, |ui| diff_ui(ui, diff, from, to, lang));
}

/// The two rounds side by side: what only the earlier version has (left), what only the new one
/// has (right); a changed signer first, in red.
fn diff_ui(
    ui: &mut egui::Ui,
    d: &crate::package::diff::PackageDiff,
    from: usize,
    to: usize,
    lang: crate::i18n::Lang,
) {
    use crate::package::diff::{CertRef, ComponentRef, Delta, PermissionChange, SdkRef, Version};
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    if let Some(warning) = d.signer_warning(lang) {
        // A proven rotation is a fact to note; any other new signer a warning.
        let colour = match d.rotation {
            Some(_) => ui.visuals().warn_fg_color,
            None => ui.visuals().error_fg_color,
        };
        ui.colored_label(colour, egui::RichText::new(warning).strong());
    }
    if d.is_empty() {
        ui.label(l(
            "检查所比较的事实均无变化。",
            "Nothing the inspection compares changed.",
        ));
        return;
    }
    let gone = ui.visuals().error_fg_color;
    let came = ui.visuals().warn_fg_color;
    let round = |n: usize| match lang {
        crate::i18n::Lang::Zh => format!("第 {n} 轮"),
        crate::i18n::Lang::En => format!("Round {n}"),
    };
    // The two versions' columns share the width the item column leaves, so long permission and
    // component names wrap at a readable width instead of a narrow one.
    let col = ((ui.available_width() - 140.0) / 2.0).clamp(220.0, 640.0);
    egui::Grid::new("round-diff")
        .striped(true)
        .num_columns(3)
        .show(ui, |ui| {
            ui.strong(l("项目", "Item"));
            ui.vertical(|ui| {
                ui.set_width(col);
                ui.strong(round(from));
            });
            ui.vertical(|ui| {
                ui.set_width(col);
                ui.strong(round(to));
            });
            ui.end_row();
            let version = |v: &Version| {
                format!(
                    "{} ({})",
                    v.name.as_deref().unwrap_or("—"),
                    v.code.map_or("—".to_string(), |c| c.to_string())
                )
            };
            ui.label(l("版本", "Version"));
            ui.label(version(&d.version.from));
            ui.label(version(&d.version.to));
            ui.end_row();
            let sdk = |v: Option<u32>| v.map_or("—".to_string(), |n| n.to_string());
            for (name, change) in [("targetSdk", &d.target_sdk), ("minSdk", &d.min_sdk)] {
                if change.changed() {
                    ui.label(name);
                    ui.label(sdk(change.from));
                    ui.label(sdk(change.to));
                    ui.end_row();
                }
            }
            // A list that changed: what only the earlier version has, and what only the new one has.
            let lists = |ui: &mut egui::Ui, title: &str, removed: Vec<String>, added: Vec<String>| {
                if removed.is_empty() && added.is_empty() {
                    return;
                }
                ui.label(title);
                ui.vertical(|ui| {
                    ui.set_width(col);
                    for r in &removed {
                        ui.colored_label(gone, format!("− {r}"));
                    }
                });
                ui.vertical(|ui| {
                    ui.set_width(col);
                    for a in &added {
                        ui.colored_label(came, format!("+ {a}"));
                    }
                });
                ui.end_row();
            };
            let perm = |p: &PermissionChange| {
                let short = p.name.rsplit('.').next().unwrap_or(&p.name).to_string();
                match (&p.personal_info, &p.name_zh) {
                    (Some(t), _) => format!("{short}（{}）", t.get(lang)),
                    (None, Some(n)) if lang == crate::i18n::Lang::Zh => format!("{short}（{n}）"),
                    _ => short,
                }
            };
            let names = |d: &Delta<SdkRef>| -> (Vec<String>, Vec<String>) {
                (
                    d.removed.iter().map(|s| s.name.clone()).collect(),
                    d.added.iter().map(|s| s.name.clone()).collect(),
                )
            };
            lists(
                ui,
                l("权限", "Permissions"),
                d.permissions.removed.iter().map(perm).collect(),
                d.permissions.added.iter().map(perm).collect(),
            );
            let start =
                |a: &crate::package::report::AutoStart| format!("{} [{}]", a.component, a.actions.join(", "));
            lists(
                ui,
                l("自启动", "Auto-start"),
                d.auto_start.removed.iter().map(start).collect(),
                d.auto_start.added.iter().map(start).collect(),
            );
            let comp = |c: &ComponentRef| format!("{} {}", c.kind, c.name);
            lists(
                ui,
                l("导出组件", "Exported components"),
                d.components.exported_removed.iter().map(comp).collect(),
                d.components.exported_added.iter().map(comp).collect(),
            );
            let (r, a) = names(&d.sdks);
            lists(ui, "SDK", r, a);
            let (r, a) = names(&d.hot_update);
            lists(ui, l("热更新框架", "Hot-update frameworks"), r, a);
            let cert = |c: &CertRef| format!("{} {}", crate::i18n::prefix(&c.sha256, 16), c.subject);
            lists(
                ui,
                l("签名证书", "Certificates"),
                d.signing.certificates.removed.iter().map(cert).collect(),
                d.signing.certificates.added.iter().map(cert).collect(),
            );
            for f in &d.flags {
                ui.label(f.flag);
                ui.label(f.from.to_string());
                ui.label(f.to.to_string());
                ui.end_row();
            }
            lists(
                ui,
                l("隐私文档", "Privacy documents"),
                d.privacy_documents.removed.clone(),
                d.privacy_documents.added.clone(),
            );
        });
}

fn case_actions_ui(
    ui: &mut egui::Ui,
    case: &crate::ui::app::OpenCase,
    reason: &mut String,
    action: &mut Option<Command>,
    lang: crate::i18n::Lang,
) {
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let state = case.view.case.state;
    let closed = state.is_final();
    ui.horizontal(|ui| {
        ui.label(format!("{}{}{}", l("状态", "State"), l("：", ": "), state.label(lang)));
        if closed {
            ui.label(l("（修改前须重新打开）", "(reopen it to change it)"));
            if ui.button(l("重新打开案件", "Reopen the case")).clicked() {
                *action = Some(Command::Reopen);
            }
        }
        if !closed
            && case.view.notices.iter().any(|n| n.kind == "rectification")
            && ui
                .button(l("登记整改报告…", "Record the rectification report…"))
                .on_hover_text(l(
                    "企业报送的整改报告（PDF、Word 或扫描件）：作为本轮的整改报告保存",
                    "The enterprise's rectification report (PDF, Word or a scan): kept as this round's report",
                ))
                .clicked()
            {
                *action = Some(Command::ReceiveReport(None));
            }
        if ui
            .button(l("导出案件包", "Export a bundle"))
            .on_hover_text(l(
                "案件、证据原件、检查表和审计记录打包为 .zip，可在另一台电脑导入",
                "The case, original evidence, checklist and audit trail in a .zip another computer can import",
            ))
            .clicked()
        {
            *action = Some(Command::Export(None));
        }
        if !closed {
            if ui
                .button(l("复查新版本…", "Re-inspect a new version…"))
                .on_hover_text(l(
                    "选择整改后的安装包：开始新的一轮，本轮结论只读保存，问题项标记为待复查",
                    "Choose the rectified package: a new round begins, this round's judgements are kept read-only and its findings marked to re-check",
                ))
                .clicked()
            {
                *action = Some(Command::Reinspect {
                    reason: reason.clone(),
                });
            }
            let label = ui.label(l("改名理由（仅当包名不同）", "Reason if renamed"));
            ui.add(egui::TextEdit::singleline(reason).desired_width(160.0))
                .labelled_by(label.id);
        }
    });
}

/// The case's moves so far; closing (every finding resolved now, or explained) and escalating,
/// drafted here and confirmed by a button.
fn lifecycle_ui(
    ui: &mut egui::Ui,
    case: &crate::ui::app::OpenCase,
    zone: chrono_tz::Tz,
    draft: &mut LifecycleDraft,
    action: &mut Option<Command>,
    lang: crate::i18n::Lang,
) {
    use crate::case::{CaseState, Measure};
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let view = &case.view;
    if !view.transitions.is_empty() {
        egui::CollapsingHeader::new(format!(
            "{} ({})",
            l("状态变化", "Moves of the case"),
            view.transitions.len()
        ))
        .id_salt("case-moves")
        .show(ui, |ui| {
            for c in &view.transitions {
                ui.label(format!(
                    "{}  {}  {}",
                    crate::i18n::time_in(&c.at, zone),
                    c.actor,
                    c.transition.describe(lang)
                ));
            }
        });
    }
    if view.case.state.is_final() {
        return;
    }
    let unresolved = crate::case::lifecycle::unresolved(view, &case.checklist);
    egui::CollapsingHeader::new(l("结案或移交处置", "Close or escalate"))
        .id_salt("close-or-escalate")
        .show(ui, |ui| {
            if unresolved.is_empty() {
                ui.label(l(
                    "各轮发现的问题均已整改到位（或未发现问题）：可以结案。",
                    "Every finding of every round is resolved (or there were none): the case can be closed.",
                ));
            } else {
                ui.label(l(
                    "以下问题尚未整改到位：结案须逐项说明理由（理由记入审计记录）。",
                    "These findings are not resolved: closing needs a reason for each (kept in the audit trail).",
                ));
                for u in &unresolved {
                    ui.horizontal(|ui| {
                        let label = ui.label(u.describe(lang));
                        let text = draft.explained.entry(u.testpoint.clone()).or_default();
                        ui.add(egui::TextEdit::singleline(text).desired_width(320.0))
                            .labelled_by(label.id);
                    });
                }
            }
            let explained: std::collections::BTreeMap<String, String> = unresolved
                .iter()
                .filter_map(|u| {
                    let why = draft.explained.get(&u.testpoint)?.trim();
                    (!why.is_empty()).then(|| (u.testpoint.clone(), why.to_string()))
                })
                .collect();
            if ui
                .add_enabled(
                    explained.len() == unresolved.len(),
                    egui::Button::new(l("结案", "Close the case")),
                )
                .clicked()
            {
                *action = Some(Command::Close { explained });
            }
            if view.case.state == CaseState::Open {
                return;
            }
            ui.separator();
            ui.label(l(
                "移交处置（逾期未整改或整改不到位）：",
                "Escalate (not rectified by the deadline, or not fully):",
            ));
            ui.horizontal(|ui| {
                for m in Measure::ALL {
                    let mut on = draft.measures.contains(&m);
                    if ui.checkbox(&mut on, m.label(lang)).changed() {
                        if on {
                            draft.measures.push(m);
                        } else {
                            draft.measures.retain(|x| *x != m);
                        }
                    }
                }
            });
            ui.horizontal(|ui| {
                let label = ui.label(l("理由", "Reason"));
                ui.add(egui::TextEdit::singleline(&mut draft.reason).desired_width(420.0))
                    .labelled_by(label.id);
                if ui
                    .add_enabled(
                        !draft.measures.is_empty() && !draft.reason.trim().is_empty(),
                        egui::Button::new(l("移交处置", "Escalate")),
                    )
                    .clicked()
                {
                    *action = Some(Command::Escalate {
                        measures: draft.measures.clone(),
                        reason: draft.reason.trim().to_string(),
                    });
                }
            });
        });
}

/// The case's inspectors with their 执法证号, editable (a rectification notice names two).
fn inspectors_ui(
    ui: &mut egui::Ui,
    case: &crate::ui::app::OpenCase,
    draft: &mut Option<(String, String)>,
    action: &mut Option<Command>,
    lang: crate::i18n::Lang,
) {
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let c = &case.view.case;
    let saved = crate::ui::app::format_inspectors(&c.inspectors);
    if draft.as_ref().is_none_or(|(id, _)| *id != c.id) {
        *draft = Some((c.id.clone(), saved.clone()));
    }
    let Some((_, text)) = draft.as_mut() else { return };
    ui.horizontal(|ui| {
        let label = ui.label(l(
            "检查人员（姓名=执法证号）",
            "Inspectors (name=certificate no.)",
        ));
        ui.add(egui::TextEdit::singleline(text).desired_width(360.0))
            .labelled_by(label.id);
        let changed = *text != saved;
        if ui
            .add_enabled(changed, egui::Button::new(l("保存检查人员", "Save inspectors")))
            .clicked()
        {
            *action = Some(Command::SaveInspectors);
        }
    });
}

/// The case's roles, its answers to the checklist's conditions and how the App was tested, with the
/// controls to change them (each change saved at once and audited).
fn conditions_ui(
    ui: &mut egui::Ui,
    case: &crate::ui::app::OpenCase,
    draft: &mut Option<(String, crate::case::TestConditions)>,
    action: &mut Option<Command>,
    lang: crate::i18n::Lang,
) {
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let c = &case.view.case;
    ui.label(format!(
        "{}: {}",
        l("主体类型", "Roles"),
        crate::checklist::SubjectType::list(&c.subject.roles(), lang)
    ));
    let bearing: Vec<_> = case
        .score
        .conditions
        .iter()
        .filter(|c| !c.testpoints.is_empty())
        .collect();
    egui::CollapsingHeader::new(format!("{} ({})", l("适用条件", "Conditions"), bearing.len()))
        .default_open(bearing.iter().any(|c| c.answer.is_none()))
        .show(ui, |ui| {
            for cond in bearing {
                ui.horizontal_wrapped(|ui| {
                    ui.label(cond.question.get(lang));
                    for (answer, label) in [
                        (Some(true), l("是", "Yes")),
                        (Some(false), l("否", "No")),
                        (None, l("未回答", "Not answered")),
                    ] {
                        if ui.selectable_label(cond.answer == answer, label).clicked()
                            && cond.answer != answer
                        {
                            *action = Some(Command::Answer {
                                condition: cond.id.clone(),
                                applies: answer,
                            });
                        }
                    }
                });
                ui.weak(format!(
                    "{}{}",
                    l("相关检查项：", "Test points: "),
                    cond.testpoints.join(", ")
                ));
            }
        });
    let saved = &case.view.test_conditions;
    let header = if saved.is_empty() {
        l("检查条件（未记录）", "Test conditions (not recorded)").to_string()
    } else {
        l("检查条件", "Test conditions").to_string()
    };
    egui::CollapsingHeader::new(header)
        .id_salt("test-conditions")
        .show(ui, |ui| {
            if draft.as_ref().is_none_or(|(id, _)| *id != c.id) {
                *draft = Some((c.id.clone(), saved.clone()));
            }
            let Some((_, t)) = draft.as_mut() else { return };
            egui::Grid::new("test-conditions-grid")
                .num_columns(2)
                .show(ui, |ui| {
                    for (label, value, hint) in [
                        (l("测试设备", "Device"), &mut t.device, "Xiaomi 14 (23127PN0CC)"),
                        (l("系统版本", "OS / ROM"), &mut t.os, "Android 14, HyperOS 1.0.5"),
                        (l("应用版本", "App version"), &mut t.app_version, "3.2.1"),
                        (
                            l("获取渠道", "Channel"),
                            &mut t.channel,
                            l("应用商店、下载地址", "store, URL"),
                        ),
                        (l("测试账号", "Account"), &mut t.account, ""),
                        (l("网络环境", "Network"), &mut t.network, "Wi-Fi / 5G"),
                        (
                            l("其他", "Notes"),
                            &mut t.notes,
                            l("检查日期、地点、工具", "date, place, tools"),
                        ),
                    ] {
                        ui.label(label);
                        ui.add(
                            egui::TextEdit::singleline(value)
                                .hint_text(hint)
                                .desired_width(360.0),
                        );
                        ui.end_row();
                    }
                    ui.label(l("全新安装", "Clean install"));
                    ui.horizontal(|ui| {
                        for (v, label) in [
                            (Some(true), l("是", "Yes")),
                            (Some(false), l("否", "No")),
                            (None, l("未记录", "Not recorded")),
                        ] {
                            ui.radio_value(&mut t.clean_install, v, label);
                        }
                    });
                    ui.end_row();
                });
            let changed = t != saved;
            ui.horizontal(|ui| {
                if ui
                    .add_enabled(
                        changed,
                        egui::Button::new(l("保存检查条件", "Save test conditions")),
                    )
                    .clicked()
                {
                    *action = Some(Command::SaveTestConditions);
                }
                if changed && ui.button(l("放弃修改", "Discard changes")).clicked() {
                    *t = saved.clone();
                }
            });
        });
}

/// The package's identity and build facts in a table, and what to look at first: serious concerns
/// in the error colour, others in the warning colour.
fn facts_ui(
    ui: &mut egui::Ui,
    r: &crate::package::report::PackageReport,
    concerns: &[crate::package::concerns::Concern],
    lang: crate::i18n::Lang,
) {
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    if !concerns.is_empty() {
        ui.strong(l("需要注意", "To look at first"));
        for c in concerns {
            let colour = if c.serious {
                ui.visuals().error_fg_color
            } else {
                ui.visuals().warn_fg_color
            };
            ui.colored_label(colour, format!("• {}", c.text.get(lang)));
        }
    }
    let dash = |v: Option<String>| v.unwrap_or_else(|| "—".into());
    let exported = r.components.iter().filter(|c| c.exported).count();
    let rows: Vec<(&str, String)> = vec![
        (l("包名", "Package"), r.package.clone()),
        (
            l("版本", "Version"),
            format!(
                "{} ({})",
                dash(r.version_name.clone()),
                dash(r.version_code.map(|v| v.to_string()))
            ),
        ),
        (
            l("最低 / 目标 SDK", "Min / target SDK"),
            format!(
                "{} / {}",
                dash(r.min_sdk.map(|v| v.to_string())),
                dash(r.target_sdk.map(|v| v.to_string()))
            ),
        ),
        (
            l("安装包", "Package file"),
            format!(
                "{} · {:.1} MB · SHA-256 {}",
                r.file.name,
                r.file.size as f64 / 1e6,
                r.file.sha256
            ),
        ),
        (
            l("签名方案", "Signing schemes"),
            format!(
                "v1 {} · v2 {} · v3 {} · v3.1 {} — {}",
                r.signing.v1,
                r.signing.v2,
                r.signing.v3,
                r.signing.v31,
                if r.signing.verified {
                    l("校验通过", "verified")
                } else {
                    l("校验未通过", "not verified")
                }
            ),
        ),
        (
            l("组件", "Components"),
            format!(
                "{} {}{}{}",
                r.components.len(),
                l("个，其中导出 ", ", exported "),
                exported,
                l(" 个", "")
            ),
        ),
        (
            l("代码", "Code"),
            format!(
                "{} {} · {} {}",
                r.dex.files.len(),
                l("个 DEX 文件", "DEX files"),
                r.dex.class_count,
                l("个类", "classes")
            ),
        ),
        (
            l("原生库", "Native libraries"),
            if r.native_libs.is_empty() {
                "—".into()
            } else {
                r.native_libs.len().to_string()
            },
        ),
        (
            l("包内隐私文档", "Privacy documents in the package"),
            if r.privacy_documents.is_empty() {
                l("未发现", "none found").to_string()
            } else {
                r.privacy_documents.join(", ")
            },
        ),
    ];
    egui::Grid::new("package-facts")
        .striped(true)
        .num_columns(2)
        .show(ui, |ui| {
            for (k, v) in rows {
                ui.label(k);
                ui.label(v);
                ui.end_row();
            }
        });
    for w in &r.warnings {
        ui.colored_label(
            ui.visuals().warn_fg_color,
            format!("{}{w}", l("读取问题：", "Could not read: ")),
        );
    }
}

impl App {
    /// Replays the open case's audit trail against the database and says what it found — on a
    /// worker: it hashes every evidence file again, which for a case of
    /// hundreds of screenshots takes longer than a frame.
    pub(crate) fn verify_trail(&mut self, ctx: &egui::Context) {
        let Some(case) = &self.case else { return };
        let id = case.view.case.id.clone();
        let lang = self.settings.lang;
        self.overview.audit_result = None;
        let name = self.t("校验审计记录", "verifying the trail").to_string();
        self.spawn_on_store(ctx, &name, move |store, ticket| {
            ticket.checkpoint()?;
            Ok(crate::ui::jobs::Done::Verified(trail_verdict(store, &id, lang)))
        });
    }
}

/// What replaying a case's trail proved, as a sentence: (proved, text).
fn trail_verdict(store: &crate::case::Store, id: &str, lang: crate::i18n::Lang) -> (bool, String) {
    match store.prove(id) {
        Ok(Ok(p)) => (
            true,
            match lang {
                crate::i18n::Lang::Zh => format!(
                    "审计记录可以证明案件的当前状态：{} 条记录，{} 个证据文件重新计算哈希一致。",
                    p.entries, p.evidence
                ),
                crate::i18n::Lang::En => format!(
                    "The audit trail proves the case's state: {} entries, {} evidence files hashed again and matching.",
                    p.entries, p.evidence
                ),
            },
        ),
        Ok(Err(finding)) => (false, finding.to_string()),
        Err(e) => (false, crate::ui::explain(&e, lang)),
    }
}

impl App {
    /// The case's audit trail: every change, newest first, filtered, with a button that verifies it.
    pub(crate) fn audit_ui(&mut self, ui: &mut egui::Ui) {
        let lang = self.settings.lang;
        let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
        let Some(case) = &self.case else { return };
        let id = case.view.case.id.clone();
        let zone = self.zone();
        // Read only while open: a long trail is not parsed on every frame of the Overview.
        egui::CollapsingHeader::new(l("审计记录", "Audit trail"))
            .id_salt("audit")
            .show(ui, |ui| {
                // One indexed lookup of the chain's head each frame; the trail itself is read
                // again only when it has grown (or another case is open).
                let cached = self.overview.audit_cache.take();
                let read = self.store.chain_head(&id).and_then(|head| {
                    let head = head.unwrap_or_default();
                    match cached {
                        Some((at, entries)) if at == head => Ok((at, entries)),
                        _ => Ok((head, self.store.audit(&id)?)),
                    }
                });
                let (head, entries) = match read {
                    Ok(r) => r,
                    Err(e) => {
                        ui.colored_label(ui.visuals().error_fg_color, crate::ui::explain(&e, lang));
                        return;
                    }
                };
                ui.label(format!("{} {}", entries.len(), l("条记录", "entries")));
                ui.horizontal(|ui| {
                    let label = ui.label(l("筛选", "Filter"));
                    ui.add(egui::TextEdit::singleline(&mut self.overview.audit_filter).desired_width(200.0))
                        .labelled_by(label.id);
                    if ui.button(l("校验审计记录", "Verify the trail")).clicked() {
                        self.verify_trail(ui.ctx());
                    }
                });
                if let Some((ok, text)) = &self.overview.audit_result {
                    let colour = if *ok {
                        crate::ui::theme::status_colour(
                            crate::status::Status::Compliant,
                            ui.visuals().dark_mode,
                        )
                    } else {
                        ui.visuals().error_fg_color
                    };
                    ui.colored_label(colour, text);
                }
                let filter = self.overview.audit_filter.to_lowercase();
                egui::ScrollArea::vertical()
                    .id_salt("audit-scroll")
                    .max_height(260.0)
                    .show(ui, |ui| {
                        egui::Grid::new("audit-grid")
                            .striped(true)
                            .num_columns(4)
                            .show(ui, |ui| {
                                for e in entries.iter().rev().filter(|e| {
                                    filter.is_empty()
                                        || e.action.contains(&filter)
                                        || e.actor.to_lowercase().contains(&filter)
                                        || e.payload.to_string().to_lowercase().contains(&filter)
                                }) {
                                    ui.label(format!("#{}", e.seq));
                                    ui.label(crate::i18n::time_in(&e.at, zone));
                                    ui.label(&e.actor);
                                    // A move of the case's state reads as a sentence.
                                    let what = match e.action.as_str() {
                                        "case.state" => serde_json::from_value::<crate::case::Transition>(
                                            e.payload.clone(),
                                        )
                                        .map(|t| t.describe(lang))
                                        .unwrap_or_else(|_| summary(&e.payload)),
                                        _ => summary(&e.payload),
                                    };
                                    ui.label(format!(
                                        "{} {}",
                                        action_label(&e.action, lang),
                                        crate::i18n::clip(&what, 120)
                                    ));
                                    ui.end_row();
                                }
                            });
                    });
                self.overview.audit_cache = Some((head, entries));
            });
    }
}

/// An audit action in the window's language.
fn action_label(action: &str, lang: crate::i18n::Lang) -> String {
    let zh = match action {
        "case.created" => "新建案件",
        "case.snapshot" => "升级快照",
        "assessment.set" => "判定",
        "suggestion.accepted" => "采纳建议",
        "suggestion.rejected" => "驳回建议",
        "evidence.attached" => "附加证据",
        "evidence.annotated" => "标注证据",
        "evidence.captured" => "录入拍摄信息",
        "case.closed" => "结案",
        "case.reopened" => "重新打开",
        "case.state" => "案件状态变化",
        "notice.issued" => "出具文书",
        "case.migrated" => "迁移检查表",
        "case.applicability" => "回答适用条件",
        "case.test-conditions" => "记录检查条件",
        "case.inspectors" => "修改检查人员",
        "case.filing" => "记录备案号",
        "case.exported" => "导出案件包",
        "case.imported" => "导入案件包",
        "case.export-cancelled" => "取消导出",
        _ => return action.to_string(),
    };
    match lang {
        crate::i18n::Lang::Zh => zh.to_string(),
        crate::i18n::Lang::En => action.to_string(),
    }
}

/// The gist of an audit entry's payload: its test point, status and note, or its first fields.
fn summary(payload: &serde_json::Value) -> String {
    let Some(map) = payload.as_object() else {
        return String::new();
    };
    map.iter()
        .filter(|(k, _)| !matches!(k.as_str(), "suggestions" | "annotations" | "subject" | "app"))
        .take(4)
        .map(|(k, v)| match v {
            serde_json::Value::String(s) => format!("{k}={s}"),
            other => format!("{k}={other}"),
        })
        .collect::<Vec<_>>()
        .join(" · ")
}
