//! Notice: the form (kind, language, number, deadline, contact, certificate), export on a worker,
//! then where the file went and what the verifier says.

use crate::i18n::Lang;
use crate::notice::Kind;
use crate::notice::issue::IssueRequest;
use crate::notice::sign::Identity;
use crate::ui::app::{App, Command, Pick};
use crate::ui::jobs::Done;

/// The notice view's own state: the form, the preview and what the last export wrote.
#[derive(Default)]
pub struct NoticeState {
    pub out: String,
    pub number: String,
    pub kind: crate::notice::Kind,
    /// The document's language; the window's language until chosen.
    pub lang: Option<crate::i18n::Lang>,
    /// The preview: pages as drawing operations, the form they were made from, the case state.
    pub preview: Option<(Vec<Vec<crate::notice::layout::Op>>, NoticeForm, String)>,
    pub page: usize,
    /// The form and case state the last preview job was started for.
    pub tried: Option<(NoticeForm, String)>,
    /// The preview's zoom: 1 fits the width.
    pub zoom: f32,
    /// What would stop the notice in the form from being issued (from the last preview).
    pub problems: Vec<String>,
    pub p12_password: String,
    pub last_notice: Option<String>,
    /// Where the last notice was written, for "open" and "show in folder".
    pub last_path: Option<std::path::PathBuf>,
    /// The save-to path the form chose itself (replaced when kind or language change), and what
    /// it was chosen for (case, kind, language, notices issued).
    pub out_auto: String,
    pub out_key: String,
    /// A notice target that exists: (that path, a free name to offer instead).
    pub overwrite: Option<(std::path::PathBuf, std::path::PathBuf)>,
}

/// The notice form's choices, sent to a worker.
#[derive(Debug, Clone, PartialEq)]
pub struct NoticeForm {
    pub kind: Kind,
    pub lang: Lang,
    pub number: Option<String>,
    pub deadline_days: u32,
    pub authority: Option<String>,
    pub contact: Option<String>,
}

impl NoticeForm {
    pub fn request<'a>(
        &self,
        identity: Option<&'a Identity>,
        now: chrono::DateTime<chrono::Utc>,
    ) -> IssueRequest<'a> {
        IssueRequest {
            kind: self.kind,
            lang: self.lang,
            number: self.number.clone(),
            deadline_days: self.deadline_days,
            authority: self.authority.clone(),
            contact: self.contact.clone(),
            identity,
            now,
        }
    }
}

impl App {
    pub(crate) fn notice_ui(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        let lang = self.settings.lang;
        let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
        let Some(case) = &self.case else { return };
        let id = case.view.case.id.clone();
        // The preview takes half the window until dragged: pages readable, not a thumbnail.
        let width = self
            .settings
            .pane("notice-preview", (ui.available_width() * 0.5).max(460.0));
        let shown = egui::Panel::right("notice-preview")
            .resizable(true)
            .default_size(width)
            .min_size(360.0)
            .show(ui, |ui| self.preview_ui(ui));
        self.remember_pane(&ctx, "notice-preview", shown.response.rect.width());
        ui.heading(l("出具文书", "Issue a document"));
        ui.horizontal(|ui| {
            use crate::notice::Kind;
            ui.label(l("文书类型", "Kind"));
            for (kind, label) in [
                (Kind::Rectification, l("责令整改通知书", "Rectification notice")),
                // After a rectification notice and a later round it is the enterprise's
                // rectification report answering the notice.
                (
                    Kind::SelfExam,
                    l(
                        "自查报告 / 整改情况报告",
                        "Self-examination / rectification report",
                    ),
                ),
                (
                    Kind::Record,
                    l("检查记录（内部）", "Inspection record (internal)"),
                ),
                (Kind::Reinspection, l("复查意见书", "Re-inspection opinion")),
            ] {
                ui.radio_value(&mut self.notice.kind, kind, label);
            }
        });
        ui.horizontal(|ui| {
            ui.label(l("文书语言", "Language of the document"));
            let mut chosen = self.notice.lang.unwrap_or(lang);
            ui.radio_value(&mut chosen, Lang::Zh, "简体中文");
            ui.radio_value(&mut chosen, Lang::En, "English");
            self.notice.lang = Some(chosen);
        });
        super::field(
            ui,
            l("文号（可留空）", "Number (optional)"),
            &mut self.notice.number,
            300.0,
        );
        self.authority_picker(ui);
        super::field(
            ui,
            l(
                "联系方式（留空则用发文机关的）",
                "Contact (empty: the authority's)",
            ),
            &mut self.settings.contact,
            400.0,
        );
        ui.horizontal(|ui| {
            ui.label(l("整改期限（天）", "Deadline (days)"));
            ui.add(egui::DragValue::new(&mut self.settings.deadline_days).range(1..=365));
        });
        ui.horizontal(|ui| {
            super::field(
                ui,
                l("签名证书（PKCS#12）", "Signing certificate (PKCS#12)"),
                &mut self.settings.p12_path,
                300.0,
            );
            if ui.button(l("选择…", "Choose…")).clicked() {
                self.pick(Pick::Certificate);
            }
        });
        ui.horizontal(|ui| {
            let label = ui.label(l("证书密码", "Certificate password"));
            ui.add(
                egui::TextEdit::singleline(&mut self.notice.p12_password)
                    .password(true)
                    .desired_width(200.0),
            )
            .labelled_by(label.id);
        });
        // A newcomer has no certificate yet: make a self-signed one here, with the password above.
        let has_cert = !self.settings.p12_path.trim().is_empty()
            && std::path::Path::new(self.settings.p12_path.trim()).is_file();
        if !has_cert {
            ui.horizontal(|ui| {
                ui.label(l(
                    "还没有签名证书？可以先生成一个自签名证书（正式文书请使用本单位CA签发的证书）。",
                    "No signing certificate yet? Make a self-signed one (for official notices use the one your authority's CA issued).",
                ));
                let ready = !self.notice.p12_password.is_empty();
                if ui
                    .add_enabled(ready, egui::Button::new(l("生成自签名证书", "Make a self-signed certificate")))
                    .on_disabled_hover_text(l("先填写证书密码", "Enter a certificate password first"))
                    .clicked()
                {
                    self.make_certificate();
                }
            });
        }
        // A name of its own per case, kind and language, never one already used; kept while the
        // inspector has not typed another. Looked for on disk only when what names it changes (or
        // a notice was written), not on every frame.
        let form = self.notice_form();
        let issued = self.case.as_ref().map_or(0, |c| c.view.notices.len());
        let key = format!(
            "{id}|{}|{}|{issued}",
            form.kind.keyword(),
            form.lang.pick("zh", "en")
        );
        let automatic = self.notice.out.is_empty() || self.notice.out == self.notice.out_auto;
        if automatic && self.notice.out_key != key {
            // The user's documents folder (or the one chosen), where an inspector looks for what
            // they exported.
            let name = format!("{id}-{}-{}.pdf", form.kind.keyword(), form.lang.pick("zh", "en"));
            let path = crate::output::unique_name(&self.settings.export_folder().join(name));
            self.notice.out = path.display().to_string();
            self.notice.out_auto = self.notice.out.clone();
            self.notice.out_key = key;
        }
        super::field(ui, l("保存到", "Save to"), &mut self.notice.out, 400.0);
        // What stops this notice, from the preview of this very form: said, and export disabled.
        let current = self
            .notice
            .preview
            .as_ref()
            .is_some_and(|(_, form, _)| *form == self.notice_form());
        let problems = if current {
            self.notice.problems.clone()
        } else {
            Vec::new()
        };
        for p in &problems {
            ui.colored_label(ui.visuals().error_fg_color, format!("× {p}"));
        }
        if ui
            .add_enabled(
                current && problems.is_empty(),
                egui::Button::new(l("导出通知书", "Export notice")),
            )
            .clicked()
        {
            self.save_settings();
            let out = std::path::PathBuf::from(self.notice.out.trim());
            match crate::output::check_target(&out, false) {
                Ok(()) => self.send(Command::IssueNotice {
                    case: id.clone(),
                    out,
                    replace: false,
                }),
                // The file is there: ask, and offer a name that is free.
                Err(crate::output::OutputError::Exists(path)) => {
                    let free = crate::output::unique_name(&path);
                    self.notice.overwrite = Some((path, free));
                }
                Err(e) => self.fail(&e),
            }
        }
        self.overwrite_ui(&ctx, &id);
        if let Some(last) = self.notice.last_notice.clone() {
            ui.separator();
            ui.label(last);
            if let Some(path) = self.notice.last_path.clone() {
                ui.horizontal(|ui| {
                    if ui.button(l("打开文件", "Open the file")).clicked()
                        && let Err(e) = crate::ui::open_externally(&path, false)
                    {
                        self.error(e);
                    }
                    if ui.button(l("在文件夹中显示", "Show in folder")).clicked()
                        && let Err(e) = crate::ui::open_externally(&path, true)
                    {
                        self.error(e);
                    }
                });
            }
        }
        let Some(case) = &self.case else { return };
        if !case.view.notices.is_empty() {
            ui.separator();
            ui.strong(l("已出具的文书", "Issued"));
            for n in &case.view.notices {
                let kind = match n.kind.as_str() {
                    "rectification" => l("责令整改通知书", "rectification notice"),
                    "self-exam" => l("自查报告", "self-examination report"),
                    "record" => l("检查记录", "inspection record"),
                    other => other,
                };
                ui.label(format!(
                    "{} · {} · {} · {} · {} · SHA-256 {}",
                    self.time(&n.issued_at),
                    n.number,
                    kind,
                    n.lang,
                    if n.signer.is_empty() {
                        l("未签名", "unsigned")
                    } else {
                        &n.signer
                    },
                    crate::i18n::prefix(&n.pdf_sha256, 16)
                ));
            }
        }
    }

    /// Writes a new P-256 key and self-signed certificate beside the case database, protected by
    /// the password in the form, and makes it the default signing certificate.
    fn make_certificate(&mut self) {
        let name = if self.settings.inspector.trim().is_empty() {
            "App Inspector".to_string()
        } else {
            self.settings.inspector.trim().to_string()
        };
        let org = Some(self.settings.authority.trim()).filter(|a| !a.is_empty());
        let dir = self.db.parent().unwrap_or(std::path::Path::new("."));
        let path = (0..100)
            .map(|n| {
                dir.join(if n == 0 {
                    "signing.p12".to_string()
                } else {
                    format!("signing-{n}.p12")
                })
            })
            .find(|p| !p.exists());
        let Some(path) = path else {
            self.error(format!(
                "{} {}",
                self.t(
                    "无法生成证书：数据库所在文件夹中 signing.p12 到 signing-99.p12 都已存在。请选择其中一个已有证书，或删除不用的证书后再试：",
                    "Cannot make a certificate: signing.p12 to signing-99.p12 all exist beside the case database. Choose one of them, or remove those you do not use and try again:"
                ),
                dir.display()
            ));
            return;
        };
        match crate::notice::cert::new_pkcs12(&name, org, 3, &self.notice.p12_password) {
            Ok(bytes) => match crate::output::write_private(&path, &bytes) {
                Ok(()) => {
                    self.settings.p12_path = path.display().to_string();
                    self.save_settings();
                    self.info(format!(
                        "{} {}",
                        self.t("已生成自签名证书", "Self-signed certificate written to"),
                        path.display()
                    ));
                }
                Err(e) => self.fail(&e),
            },
            Err(e) => self.fail(&e),
        }
    }

    /// The issuing authority: one of the profiles (Settings), by name.
    fn authority_picker(&mut self, ui: &mut egui::Ui) {
        let lang = self.settings.lang;
        let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
        if self.authorities.is_none() {
            self.authorities = self.store.authorities().ok();
        }
        let profiles = self.authorities.clone().unwrap_or_default();
        ui.horizontal(|ui| {
            let label = ui.label(l("发文机关", "Issuing authority"));
            let shown = if self.settings.authority.is_empty() {
                l("（请选择）", "(choose one)").to_string()
            } else {
                self.settings.authority.clone()
            };
            egui::ComboBox::from_id_salt("notice-authority")
                .selected_text(shown)
                .width(300.0)
                .show_ui(ui, |ui| {
                    for a in &profiles {
                        ui.selectable_value(&mut self.settings.authority, a.name.clone(), &a.name);
                    }
                })
                .response
                .labelled_by(label.id);
            if profiles.is_empty() {
                ui.weak(l("在“设置”中添加发文机关", "Add an authority in Settings"));
            }
        });
        if let Some(a) = profiles.iter().find(|a| a.name == self.settings.authority) {
            ui.weak(format!(
                "{}{}〔{}〕N号 · {}{} · {}",
                l("文号：", "Number: "),
                a.prefix,
                self.t("年份", "year"),
                l("复议机关：", "reconsideration: "),
                a.reconsideration,
                a.timezone
            ));
        }
    }

    /// What the form says, apart from the certificate.
    pub(crate) fn notice_form(&self) -> NoticeForm {
        NoticeForm {
            kind: self.notice.kind,
            lang: self.notice.lang.unwrap_or(self.settings.lang),
            number: Some(self.notice.number.trim().to_string()).filter(|s| !s.is_empty()),
            deadline_days: self.settings.deadline_days,
            authority: Some(self.settings.authority.trim().to_string()).filter(|s| !s.is_empty()),
            contact: Some(self.settings.contact.trim().to_string()).filter(|s| !s.is_empty()),
        }
    }

    /// Asks before a notice replaces a file: replace it, save under a free name, or cancel.
    fn overwrite_ui(&mut self, ctx: &egui::Context, id: &str) {
        let Some((path, free)) = self.notice.overwrite.clone() else {
            return;
        };
        let lang = self.settings.lang;
        let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
        let free_name = free
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut choice = None;
        egui::Modal::new(egui::Id::unique("notice-overwrite")).show(ctx, |ui| {
            ui.set_max_width(460.0);
            ui.heading(l("文件已存在", "The file exists"));
            ui.label(format!(
                "{} {}",
                path.display(),
                l(
                    "已存在。要替换它，还是另存为新文件？",
                    "already exists. Replace it, or save under a new name?"
                )
            ));
            ui.horizontal(|ui| {
                if ui
                    .button(format!("{} {free_name}", l("另存为", "Save as")))
                    .clicked()
                {
                    choice = Some(Some(false));
                }
                if ui.button(l("替换", "Replace")).clicked() {
                    choice = Some(Some(true));
                }
                if ui.button(l("取消", "Cancel")).clicked() {
                    choice = Some(None);
                }
            });
        });
        match choice {
            None => {}
            Some(None) => self.notice.overwrite = None,
            Some(Some(replace)) => {
                self.notice.overwrite = None;
                let out = if replace { path } else { free };
                self.notice.out = out.display().to_string();
                self.send(Command::IssueNotice {
                    case: id.to_string(),
                    out,
                    replace,
                });
            }
        }
    }

    pub(crate) fn start_notice(
        &mut self,
        ctx: &egui::Context,
        id: String,
        out: std::path::PathBuf,
        overwrite: bool,
    ) {
        let db = self.db.clone();
        let (p12, password) = (
            self.settings.p12_path.trim().to_string(),
            self.notice.p12_password.clone(),
        );
        let form = self.notice_form();
        let actor = self.settings.inspector.clone();
        let lang = self.settings.lang;
        let valid = self.t("签名有效", "signature valid").to_string();
        let invalid = self.t("签名无效", "signature INVALID").to_string();
        let unsigned = self.t("未签名", "not signed").to_string();
        if let Err(e) = self.jobs.spawn(
            ctx,
            self.t("生成通知书", "making the notice"),
            move |ticket| {
                let identity = if p12.is_empty() {
                    None
                } else {
                    Some(
                        crate::notice::sign::Identity::load(std::path::Path::new(&p12), &password)
                            .map_err(|e| crate::ui::explain(&e, lang))?,
                    )
                };
                ticket.set(1, 4);
                // Issuing records the notice in the case: stop before, never after.
                ticket.checkpoint()?;
                let mut store =
                    crate::case::Store::open_again(&db).map_err(|e| crate::ui::explain(&e, lang))?;
                let issued = crate::notice::issue::issue(
                    &mut store,
                    &id,
                    &form.request(identity.as_ref(), chrono::Utc::now()),
                    &out,
                    overwrite,
                    &actor,
                )
                .map_err(|e| crate::ui::explain(&e, lang))?;
                ticket.set(3, 4);
                let verdict = if identity.is_none() {
                    unsigned
                } else if crate::notice::verify::verify(&issued.pdf).valid {
                    valid
                } else {
                    invalid
                };
                // What the inspector must know (a finding left out as outside the remit, a
                // certificate of another organisation) goes with the result.
                let mut verdict = verdict.to_string();
                for w in &issued.warnings {
                    verdict += &format!(" — {}", w.get(lang));
                }
                Ok(Done::NoticeWritten { path: out, verdict })
            },
        ) {
            self.error(e);
        }
    }
}
