//! The workers the window starts (a new case, evidence, bundles, thumbnails, file dialogs) and
//! what it does with their results.

use std::path::PathBuf;

use super::{App, Pick, View, parse_inspectors};
use crate::case::Store;
use crate::checklist::{self, SubjectType};
use crate::ui::jobs::{Done, JobError, Ticket};

impl App {
    /// Starts decoding the thumbnails the open case does not have yet.
    pub fn load_thumbnails(&mut self, ctx: &egui::Context) {
        let lang = self.settings.lang;
        let Some(case) = &self.case else { return };
        let missing: Vec<String> = case
            .view
            .evidence
            .iter()
            .filter(|e| e.is_image() && !case.thumbs.contains_key(&e.sha256))
            .map(|e| e.sha256.clone())
            .collect();
        if missing.is_empty() || self.jobs.running.iter().any(|j| j.name == "thumbnails") {
            return;
        }
        let db = self.db.clone();
        let _ = self.jobs.spawn(ctx, "thumbnails", move |ticket| {
            let store = Store::open_again(&db).map_err(|e| crate::ui::explain(&e, lang))?;
            let mut out = Vec::new();
            for (n, sha) in missing.iter().enumerate() {
                if ticket.cancelled() {
                    break;
                }
                let img = store
                    .thumbnail(sha)
                    .ok()
                    .flatten()
                    .and_then(|jpeg| image::load_from_memory(&jpeg).ok())
                    .map(|img| {
                        let rgba = img.to_rgba8();
                        egui::ColorImage::from_rgba_unmultiplied(
                            [rgba.width() as usize, rgba.height() as usize],
                            rgba.as_raw(),
                        )
                    });
                out.push((sha.clone(), img));
                ticket.set(n + 1, missing.len());
            }
            Ok(Done::Thumbnails(out))
        });
    }

    /// Applies the results of finished jobs.
    pub(super) fn poll_jobs(&mut self, ctx: &egui::Context) {
        for (name, result) in self.jobs.poll() {
            match result {
                Err(JobError::Cancelled) => {
                    self.info(format!("{name}: {}", self.t("已取消", "cancelled")));
                }
                Err(JobError::Failed(e)) => self.error(format!("{name}: {e}")),
                Err(JobError::Lost) => self.error(format!(
                    "{name}: {}",
                    self.t(
                        "意外中止，未完成（请重试；若再次发生，请报告此问题）",
                        "stopped unexpectedly before finishing (try again; report it if it happens again)"
                    )
                )),
                Ok(Done::CaseCreated(id)) | Ok(Done::Imported(id)) => {
                    self.refresh_cases();
                    match self.load_case(&id) {
                        Ok(()) => {
                            self.view = View::Overview;
                            self.info(format!("{} {id}", self.t("已打开案件", "Opened case")));
                        }
                        Err(e) => self.fail(&e),
                    }
                }
                Ok(Done::Attached { case, sha256 }) => {
                    if self.case.as_ref().is_some_and(|c| c.view.case.id == case) {
                        self.reload();
                    }
                    self.info(format!(
                        "{} {}",
                        self.t("已附加证据", "Evidence attached"),
                        crate::i18n::prefix(&sha256, 12)
                    ));
                }
                Ok(Done::Reported { case, sha256, moved }) => {
                    if self.case.as_ref().is_some_and(|c| c.view.case.id == case) {
                        self.reload();
                    }
                    let mut text = format!(
                        "{} {}",
                        self.t("已登记整改报告", "Rectification report recorded"),
                        crate::i18n::prefix(&sha256, 12)
                    );
                    if let Some(t) = moved {
                        text.push_str(self.t("；", "; "));
                        text.push_str(&t.describe(self.settings.lang));
                    }
                    self.info(text);
                }
                Ok(Done::Exported(path)) => {
                    self.info(format!("{} {}", self.t("已导出", "Exported to"), path.display()))
                }
                Ok(Done::NoticeWritten { path, verdict }) => {
                    self.reload();
                    let text = format!(
                        "{} {} — {verdict}",
                        self.t("通知书已保存到", "Notice saved to"),
                        path.display()
                    );
                    self.notice.last_notice = Some(text.clone());
                    self.notice.last_path = Some(path.clone());
                    self.info(text);
                }
                Ok(Done::FullImage { link, sha256, image }) => {
                    // Only if that evidence is still the one being viewed.
                    if let Some(case) = self.case.as_mut()
                        && case.full.as_ref().is_none_or(|(l, _, _)| *l == link)
                        && self.evidence.selected.is_none_or(|l| l == link)
                    {
                        let size = image.size;
                        let tex =
                            ctx.load_texture(format!("full-{sha256}"), image, egui::TextureOptions::LINEAR);
                        case.full = Some((link, tex, size));
                    }
                }
                Ok(Done::Preview {
                    pages,
                    problems,
                    form,
                    key,
                }) => {
                    self.notice.preview = Some((pages, form, key));
                    self.notice.problems = problems;
                }
                Ok(Done::EvidenceCopy(path)) => match crate::ui::open_externally(&path, false) {
                    Ok(()) => self.info(format!(
                        "{} {}",
                        self.t("已打开只读副本", "Opened a read-only copy:"),
                        path.display()
                    )),
                    Err(e) => self.error(format!(
                        "{} {}: {e}",
                        self.t("副本已写到", "The copy is at"),
                        path.display()
                    )),
                },
                Ok(Done::LogImported { case, done }) => {
                    if self.case.as_ref().is_some_and(|c| c.view.case.id == case) {
                        self.reload();
                        self.view = View::Behaviours;
                    }
                    self.info(format!(
                        "{} {} {}，{} {}",
                        self.t("已导入行为记录：", "Behaviour log imported:"),
                        done.records,
                        self.t("条记录", "records"),
                        done.suggestions,
                        self.t("条自动建议待复核", "suggestions to review"),
                    ));
                }
                Ok(Done::Reinspected(started)) => {
                    if self.case.as_ref().is_some_and(|c| c.view.case.id == started.case) {
                        self.reload();
                        self.view = View::Overview;
                    }
                    self.overview.diff = None;
                    self.info(started.summary(self.settings.lang));
                }
                Ok(Done::Diff { case, rounds, diff }) => {
                    self.overview.diff = Some((case, rounds, diff));
                }
                Ok(Done::Behaviours { case, logs, list }) => {
                    if self.behaviours.loading.as_ref() == Some(&(case.clone(), logs)) {
                        self.behaviours.loading = None;
                    }
                    self.behaviours.shown = None;
                    self.behaviours.selected = None;
                    self.behaviours.loaded = Some((case, logs, list));
                }
                Ok(Done::Verified(result)) => self.overview.audit_result = Some(result),
                Ok(Done::Thumbnails(list)) => {
                    if let Some(case) = self.case.as_mut() {
                        for (sha, img) in list {
                            if let Some(img) = img {
                                let tex = ctx.load_texture(
                                    format!("thumb-{sha}"),
                                    img,
                                    egui::TextureOptions::LINEAR,
                                );
                                case.thumbs.insert(sha, tex);
                            }
                        }
                    }
                }
            }
        }
    }

    /// Starts a new case from a package on a worker thread.
    pub fn start_new_case(&mut self, ctx: &egui::Context, package: PathBuf) {
        let lang = self.settings.lang;
        let db = self.db.clone();
        let new = crate::case::NewCase {
            package,
            subject_name: self.case_list.subject_name.clone(),
            roles: if self.case_list.roles.is_empty() {
                vec![SubjectType::AppOperator]
            } else {
                self.case_list.roles.clone()
            },
            credit_code: self.case_list.credit_code.trim().to_string(),
            filing: self.case_list.filing.trim().to_string(),
            address: self.case_list.address.trim().to_string(),
            inspectors: parse_inspectors(if self.case_list.inspectors.trim().is_empty() {
                &self.settings.inspector
            } else {
                &self.case_list.inspectors
            }),
            checklist: checklist::DEFAULT_ID.to_string(),
        };
        let actor = self.settings.inspector.clone();
        let name = self.t("分析安装包", "analysing the package").to_string();
        // One new case per click: a second click while the first is analysed makes nothing.
        if self.new_case_running() {
            return;
        }
        if let Err(e) = self.jobs.spawn(ctx, &name, move |ticket| {
            new_case_job(&db, &new, &actor, lang, ticket)
        }) {
            self.error(e);
        }
    }

    /// Whether a new case is being made (its package analysed) right now.
    pub fn new_case_running(&self) -> bool {
        let name = self.t("分析安装包", "analysing the package");
        self.jobs.running.iter().any(|j| j.name == name)
    }

    /// Opens the first-run sample case on a worker thread.
    pub fn start_sample(&mut self, ctx: &egui::Context) {
        let actor = self.settings.inspector.clone();
        let name = self.t("准备示例案件", "preparing the sample case").to_string();
        self.spawn_on_store(ctx, &name, move |store, ticket| {
            ticket.checkpoint()?;
            Ok(Done::CaseCreated(crate::sample::case::create(store, &actor)?))
        });
    }

    /// Attaches an evidence file to the selected test point on a worker thread.
    pub fn start_attach(&mut self, ctx: &egui::Context, file: PathBuf) {
        let Some(case) = &self.case else {
            self.error(self.t("请先打开一个案件", "Open a case first"));
            return;
        };
        let (id, tp) = (case.view.case.id.clone(), case.selected.clone());
        let caption = std::mem::take(&mut self.evidence.caption);
        let actor = self.settings.inspector.clone();
        let name = format!(
            "{} {}",
            self.t("附加证据", "attaching"),
            file.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        );
        self.spawn_on_store(ctx, &name, move |store, ticket| {
            ticket.checkpoint()?;
            let sha256 = store.attach(&id, &file, Some(&tp), &caption, &actor)?;
            Ok(Done::Attached { case: id, sha256 })
        });
    }

    /// Stores the enterprise's rectification report for the open case, on a worker.
    pub fn start_report(&mut self, ctx: &egui::Context, file: PathBuf) {
        let Some(case) = &self.case else {
            self.error(self.t("请先打开一个案件", "Open a case first"));
            return;
        };
        let id = case.view.case.id.clone();
        let actor = self.settings.inspector.clone();
        let caption = self
            .t("企业整改报告", "The enterprise's rectification report")
            .to_string();
        let name = self.t("登记整改报告", "recording the rectification report");
        self.spawn_on_store(ctx, name, move |store, ticket| {
            ticket.checkpoint()?;
            let got = store.receive_report(&id, &file, &caption, &actor)?;
            Ok(Done::Reported {
                case: id,
                sha256: got.sha256,
                moved: got.transition,
            })
        });
    }

    /// Attaches the image on the clipboard (a screenshot just taken) to the selected test point.
    pub fn paste_screenshot(&mut self, ctx: &egui::Context) {
        let lang = self.settings.lang;
        let Some(case) = &self.case else { return };
        let (db, id, tp) = (self.db.clone(), case.view.case.id.clone(), case.selected.clone());
        let caption = std::mem::take(&mut self.evidence.caption);
        let actor = self.settings.inspector.clone();
        let empty = self
            .t("剪贴板里没有图片", "There is no image on the clipboard")
            .to_string();
        if let Err(e) = self
            .jobs
            .spawn(ctx, self.t("粘贴截图", "pasting a screenshot"), move |_| {
                let image = arboard::Clipboard::new()
                    .and_then(|mut c| c.get_image())
                    .map_err(|_| empty)?;
                let rgba = image::RgbaImage::from_raw(
                    image.width as u32,
                    image.height as u32,
                    image.bytes.into_owned(),
                )
                .ok_or(match lang {
                    crate::i18n::Lang::Zh => "剪贴板中的图片数据有误",
                    crate::i18n::Lang::En => "the clipboard image is malformed",
                })?;
                let mut png = Vec::new();
                rgba.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
                    .map_err(|e| crate::ui::explain(&e, lang))?;
                let name = format!("clipboard-{}.png", chrono::Local::now().format("%Y%m%d-%H%M%S"));
                let mut store = Store::open_again(&db).map_err(|e| crate::ui::explain(&e, lang))?;
                let sha256 = store
                    .attach_bytes(&id, &name, &png, Some(&tp), &caption, &actor)
                    .map_err(|e| crate::ui::explain(&e, lang))?;
                Ok(Done::Attached { case: id, sha256 })
            })
        {
            self.error(e);
        }
    }

    /// Opens files as a person means them: a package starts a new case, a bundle is imported,
    /// anything else is evidence for the current test point.
    pub fn open_files(&mut self, ctx: &egui::Context, files: Vec<PathBuf>) {
        for path in files {
            let ext = path
                .extension()
                .map(|e| e.to_string_lossy().to_ascii_lowercase())
                .unwrap_or_default();
            match ext.as_str() {
                "apk" | "hap" | "ipa" => self.start_new_case(ctx, path),
                "zip" => self.start_import(ctx, path),
                // camille's spreadsheets and Frida's JSON lines: the case's timeline.
                "xls" | "xlsx" | "jsonl" | "ndjson" | "json" => self.start_import_log(ctx, path),
                // A CSV is a log when its header says so (our schema); any other is evidence.
                "csv" if csv_is_a_log(&path) => self.start_import_log(ctx, path),
                _ => self.start_attach(ctx, path),
            }
        }
    }

    pub fn start_import(&mut self, ctx: &egui::Context, path: PathBuf) {
        let actor = self.settings.inspector.clone();
        let name = self.t("导入案件包", "importing a bundle").to_string();
        self.spawn_on_store(ctx, &name, move |store, ticket| {
            let id = store.import_with(&path, &actor, &|done, total| {
                ticket.set(done, total);
                !ticket.cancelled()
            })?;
            Ok(Done::Imported(id))
        });
    }

    pub fn start_export(&mut self, ctx: &egui::Context, path: PathBuf) {
        let Some(case) = &self.case else { return };
        let id = case.view.case.id.clone();
        let actor = self.settings.inspector.clone();
        let name = self.t("导出案件包", "exporting a bundle").to_string();
        self.spawn_on_store(ctx, &name, move |store, ticket| {
            let path = crate::case::bundle::bundle_path(&path);
            store.export_with(&id, &path, false, &actor, &|done, total| {
                ticket.set(done, total);
                !ticket.cancelled()
            })?;
            Ok(Done::Exported(path))
        });
    }

    /// Writes a checked, read-only copy of an evidence file to the temporary folder on a worker;
    /// the copy is opened when it is there.
    pub fn start_open_evidence(&mut self, ctx: &egui::Context, link: i64) {
        let Some(item) = self
            .case
            .as_ref()
            .and_then(|c| c.view.evidence.iter().find(|e| e.link_id == link))
            .cloned()
        else {
            return;
        };
        let name = format!("{} {}", self.t("打开证据", "opening"), item.original_name);
        self.spawn_on_store(ctx, &name, move |store, _| {
            let bytes = store.evidence_bytes(&item.sha256)?;
            let folder = std::env::temp_dir().join("app-inspector-evidence");
            let copy = crate::case::evidence::copy_out(&bytes, &item.sha256, &item.original_name, &folder)?;
            Ok(Done::EvidenceCopy(copy))
        });
    }

    /// Imports a behaviour log into the open case on a worker.
    pub fn start_import_log(&mut self, ctx: &egui::Context, path: PathBuf) {
        let Some(case) = &self.case else {
            return self.error(self.t("请先打开一个案件", "Open a case first"));
        };
        let id = case.view.case.id.clone();
        let actor = self.settings.inspector.clone();
        let name = format!(
            "{} {}",
            self.t("导入行为记录", "importing"),
            path.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        );
        self.spawn_on_store(ctx, &name, move |store, ticket| {
            ticket.checkpoint()?;
            let done = store.import_log(&id, &path, crate::runtime::Choice::Auto, &actor)?;
            Ok(Done::LogImported { case: id, done })
        });
    }

    /// Starts a re-inspection of the open case on the package at `path`, on a worker (the
    /// package is analysed first).
    pub fn start_reinspect(&mut self, ctx: &egui::Context, path: PathBuf) {
        let Some(case) = &self.case else {
            return self.error(self.t("请先打开一个案件", "Open a case first"));
        };
        let id = case.view.case.id.clone();
        let actor = self.settings.inspector.clone();
        let reason = std::mem::take(&mut self.overview.reinspect_reason);
        let name = self
            .t("复查：分析新版本", "re-inspection: analysing the new version")
            .to_string();
        self.spawn_on_store(ctx, &name, move |store, ticket| {
            ticket.checkpoint()?;
            let report = crate::package::analyse(&path)?;
            ticket.checkpoint()?;
            let reason = Some(reason.trim()).filter(|r| !r.is_empty());
            let started = store.reinspect_with_report(&id, &path, &report, reason, &actor)?;
            Ok(Done::Reinspected(started))
        });
    }

    /// Works out what changed between the open case's last two rounds, on a worker.
    pub fn start_diff(&mut self, ctx: &egui::Context, case: String, rounds: usize) {
        let name = self
            .t("比较两轮安装包", "comparing the rounds' packages")
            .to_string();
        self.spawn_on_store(ctx, &name, move |store, _| {
            let (_, _, diff) = store.diff(&case, None, None)?;
            Ok(Done::Diff {
                case,
                rounds,
                diff: std::sync::Arc::new(diff),
            })
        });
    }

    /// Reads a case's behaviours for the timeline on a worker (a long log has a million).
    pub fn start_behaviours(&mut self, ctx: &egui::Context, case: String, logs: usize) {
        let name = self.t("读取运行时行为", "reading the behaviours").to_string();
        self.spawn_on_store(ctx, &name, move |store, _| {
            let list = store.behaviours(&case)?;
            Ok(Done::Behaviours {
                case,
                logs,
                list: std::sync::Arc::new(crate::ui::views::Timeline::new(list)),
            })
        });
    }

    /// Runs `work` on a worker with its own connection to the case database. Its store errors are
    /// said in the window's language (a cancellation as such); a failure to start is said too.
    pub fn spawn_on_store(
        &mut self,
        ctx: &egui::Context,
        name: &str,
        work: impl FnOnce(&mut Store, &Ticket) -> Result<Done, Failure> + Send + 'static,
    ) {
        let (db, lang) = (self.db.clone(), self.settings.lang);
        let job = move |ticket: &Ticket| {
            let result = Store::open_again(&db)
                .map_err(Failure::from)
                .and_then(|mut store| work(&mut store, ticket));
            result.map_err(|f| match f {
                Failure::Error(e) => match e.downcast::<crate::case::CaseError>() {
                    Ok(e) => job_error(*e, lang),
                    Err(e) => JobError::Failed(crate::ui::explain(&*e, lang)),
                },
                Failure::Job(e) => e,
            })
        };
        if let Err(e) = self.jobs.spawn(ctx, name, job) {
            self.error(e);
        }
    }

    /// Opens a native file dialog on its own thread (it would block the window otherwise).
    pub fn pick(&mut self, purpose: Pick) {
        let (tx, rx) = std::sync::mpsc::channel();
        let filters: (&str, &[&str]) = match purpose {
            Pick::Package => ("App", &["apk", "hap", "ipa"]),
            Pick::Evidence => ("Evidence", &["png", "jpg", "jpeg", "webp", "pdf", "mp4", "txt"]),
            Pick::Bundle => ("Bundle", &["zip"]),
            Pick::Certificate => ("PKCS#12", &["p12", "pfx"]),
            Pick::Reinspect => ("App", &["apk"]),
            Pick::Report => (
                "PDF / Word / scan",
                &["pdf", "doc", "docx", "png", "jpg", "jpeg", "webp"],
            ),
            Pick::Log => (
                "Log",
                &["xls", "xlsx", "jsonl", "ndjson", "json", "csv", "log", "txt"],
            ),
        };
        let spawned = std::thread::Builder::new()
            .name("file-dialog".into())
            .spawn(move || {
                let picked = rfd::FileDialog::new()
                    .add_filter(filters.0, filters.1)
                    .pick_file();
                let _ = tx.send(picked);
            });
        if spawned.is_ok() {
            self.picking = Some((purpose, rx));
        }
    }

    pub(super) fn poll_picker(&mut self, ctx: &egui::Context) {
        let Some((purpose, rx)) = &self.picking else {
            return;
        };
        let purpose = *purpose;
        match rx.try_recv() {
            Ok(Some(path)) => {
                self.picking = None;
                match purpose {
                    Pick::Package => self.case_list.package_path = path.display().to_string(),
                    Pick::Evidence => self.start_attach(ctx, path),
                    Pick::Bundle => self.case_list.bundle_path = path.display().to_string(),
                    Pick::Log => self.behaviours.path = path.display().to_string(),
                    Pick::Reinspect => self.start_reinspect(ctx, path),
                    Pick::Report => self.start_report(ctx, path),
                    Pick::Certificate => {
                        self.settings.p12_path = path.display().to_string();
                        self.save_settings();
                    }
                }
            }
            Ok(None) => {
                self.picking = None;
                self.info(self.t(
                    "没有选择文件（若对话框未出现，可直接输入路径或把文件拖到窗口上）",
                    "No file chosen (if no dialog appeared, type the path or drop the file on the window)",
                ));
            }
            Err(std::sync::mpsc::TryRecvError::Empty) => {
                ctx.request_repaint_after(std::time::Duration::from_millis(100))
            }
            Err(std::sync::mpsc::TryRecvError::Disconnected) => self.picking = None,
        }
    }
}

/// Why work on a store stopped: an error of the library's (said in the window's language by
/// [`App::spawn_on_store`]; a cancelled store operation is a cancellation) or the job's own.
pub enum Failure {
    Error(Box<dyn std::error::Error + Send + Sync>),
    Job(JobError),
}

impl<E: std::error::Error + Send + Sync + 'static> From<E> for Failure {
    fn from(e: E) -> Self {
        Failure::Error(Box::new(e))
    }
}

impl From<JobError> for Failure {
    fn from(e: JobError) -> Self {
        Failure::Job(e)
    }
}

/// A store error as a job's error; a cancellation is reported as such, not as a failure.
fn job_error(e: crate::case::CaseError, lang: crate::i18n::Lang) -> JobError {
    match e {
        crate::case::CaseError::Cancelled => JobError::Cancelled,
        e => JobError::Failed(crate::ui::explain(&e, lang)),
    }
}

/// Analyses a package and opens a case from it; stops, writing nothing, if cancelled first.
pub(super) fn new_case_job(
    db: &std::path::Path,
    new: &crate::case::NewCase,
    actor: &str,
    lang: crate::i18n::Lang,
    ticket: &Ticket,
) -> Result<Done, JobError> {
    ticket.checkpoint()?;
    ticket.set(1, 3);
    let checklist = checklist::resolve(&new.checklist).map_err(|e| crate::ui::explain(&e, lang))?;
    let report = crate::package::analyse(&new.package).map_err(|e| crate::ui::explain(&e, lang))?;
    // The last moment to stop: after this the case is written, whole, in one transaction.
    ticket.checkpoint()?;
    ticket.set(2, 3);
    let mut store = Store::open(db).map_err(|e| crate::ui::explain(&e, lang))?;
    let id = store
        .new_case_from_report(new, &report, &checklist, actor)
        .map_err(|e| crate::ui::explain(&e, lang))?;
    ticket.set(3, 3);
    Ok(Done::CaseCreated(id))
}

/// Reads a CSV's first line (a few hundred bytes: no wait worth a worker) to tell a behaviour log
/// of our schema from a table to attach.
fn csv_is_a_log(path: &std::path::Path) -> bool {
    use std::io::Read as _;
    let mut head = [0u8; 1024];
    let Ok(mut f) = std::fs::File::open(path) else {
        return false;
    };
    let n = f.read(&mut head).unwrap_or(0);
    crate::runtime::read::is_behaviour_csv(&head[..n])
}
