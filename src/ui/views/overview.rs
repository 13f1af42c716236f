//! Overview: the App's identity, subject, score at a glance, and the package facts in tables.

use crate::ui::app::App;

impl App {
    pub(crate) fn overview_ui(&mut self, ui: &mut egui::Ui) {
        let lang = self.settings.lang;
        let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
        // The checklist version the case is judged against, and moving it to another.
        self.checklist_line(ui);
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
                    ui.label(format!(
                        "{}: {}",
                        l("检查人员", "Inspectors"),
                        c.inspectors.join(", ")
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
            let Some(r) = &case.report else {
                ui.label(l(
                    "此案件没有安装包分析结果。",
                    "This case has no package report.",
                ));
                return;
            };
            ui.separator();
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
                            for e in &s.evidence {
                                ui.label(e);
                            }
                        });
                }
            });
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
    }
}
