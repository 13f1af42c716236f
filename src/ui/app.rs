//! The app: its state, the jobs it runs, and one frame of the window.

use std::collections::HashMap;
use std::path::PathBuf;

use super::jobs::{Done, Jobs};
use super::state::Settings;
use crate::case::{CaseSummary, CaseView, Store};
use crate::checklist::{self, Checklist, SubjectType};
use crate::i18n::Lang;
use crate::package::PackageReport;
use crate::score::{self, CaseScore, Verdict};
use crate::status::Status;

/// The views of the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Cases,
    Overview,
    Walker,
    Evidence,
    Score,
    Notice,
    Settings,
}

/// Which test points the walker lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    All,
    NotChecked,
    NonCompliant,
    Pending,
    /// Marked for re-check by a move to a newer checklist version.
    Recheck,
}

/// A case open in the window.
pub struct OpenCase {
    pub view: CaseView,
    pub report: Option<PackageReport>,
    pub checklist: Checklist,
    pub score: CaseScore,
    pub selected: String,
    pub thumbs: HashMap<String, egui::TextureHandle>,
    /// The evidence shown large: link id, texture, pixel size.
    pub full: Option<(i64, egui::TextureHandle, [usize; 2])>,
    /// The launcher icon (a small PNG from the database), made a texture when first shown.
    pub icon_png: Option<Vec<u8>>,
    pub icon: Option<egui::TextureHandle>,
    /// Other known versions of the case's checklist it could move to.
    pub other_versions: Vec<String>,
    /// What to look at first in the package, worked out once when the case opens.
    pub concerns: Vec<crate::package::concerns::Concern>,
}

type CaseList = (Vec<CaseSummary>, HashMap<String, Verdict>);

/// A message shown to the user until dismissed.
pub struct Message {
    pub error: bool,
    pub text: String,
    /// When it was said: information clears itself after [`INFO_SECONDS`].
    pub at: std::time::Instant,
}

/// How long an information message stays in the status line (errors stay until dismissed).
pub const INFO_SECONDS: u64 = 8;

/// Form and view state that is not persisted.
#[derive(Default)]
pub struct Forms {
    pub package_path: String,
    pub subject_name: String,
    /// The roles ticked in the new-case form; none ticked means App operator.
    pub roles: Vec<SubjectType>,
    pub credit_code: String,
    pub address: String,
    pub case_filter: String,
    /// Show only open (Some(true)) or closed (Some(false)) cases.
    pub open_only: Option<bool>,
    pub verdict_filter: Option<Verdict>,
    pub bundle_path: String,
    pub search: String,
    pub focus_search: bool,
    pub note: String,
    pub note_for: String,
    pub reject_reason: String,
    pub evidence_path: String,
    pub caption: String,
    pub selected_evidence: Option<i64>,
    pub tool: Tool,
    pub drag_from: Option<egui::Pos2>,
    /// The walker's visible test-point rows as last drawn, for dropping evidence on one.
    pub point_rows: Vec<(String, egui::Rect)>,
    /// The annotation picked with the select tool (index in the link's list).
    pub selected_shape: Option<usize>,
    pub label_text: String,
    /// Evidence viewer zoom: 1 fits the width.
    pub zoom: f32,
    pub notice_out: String,
    pub notice_number: String,
    pub notice_kind: crate::notice::Kind,
    /// The document's language; the window's language until chosen.
    pub notice_lang: Option<Lang>,
    /// The preview: pages as drawing operations, the form they were made from, the page shown.
    pub preview: Option<(
        Vec<Vec<crate::notice::layout::Op>>,
        super::views::NoticeForm,
        String,
    )>,
    pub preview_page: usize,
    /// The form and case state the last preview job was started for.
    pub preview_tried: Option<(super::views::NoticeForm, String)>,
    pub p12_password: String,
    pub last_notice: Option<String>,
    /// Where the last spreadsheet was written.
    pub last_sheet: Option<PathBuf>,
    /// Where the last notice was written, for "open" and "show in folder".
    pub last_notice_path: Option<PathBuf>,
    /// The save-to path the form chose itself (replaced when kind or language change), and what
    /// it was chosen for (case, kind, language, notices issued).
    pub notice_out_auto: String,
    pub notice_out_key: String,
    /// A notice target that exists: (that path, a free name to offer instead).
    pub overwrite: Option<(PathBuf, PathBuf)>,
    /// A move to another checklist version, shown before it is applied.
    pub migration: Option<crate::case::migrate::Plan>,
    /// The evidence whose caption and test point are being edited, and the drafts.
    pub caption_for: Option<i64>,
    pub caption_draft: String,
    pub move_to: String,
    /// The audit trail as last read, and the chain head it was read at: read again only when the
    /// trail has grown, not on every frame the view is open.
    pub audit_cache: Option<((i64, String), Vec<crate::case::audit::AuditEntry>)>,
    /// The audit view: its filter, and the result of the last verification.
    pub audit_filter: String,
    pub audit_result: Option<(bool, String)>,
    /// Each side pane's width last frame, and the panes whose edge is being dragged.
    pub pane_last: std::collections::BTreeMap<String, f32>,
    pub pane_dragged: std::collections::BTreeSet<String>,
    /// The notice preview's zoom: 1 fits the width.
    pub preview_zoom: f32,
    /// The walker's batch mode: the test points ticked and the one reason they share.
    pub batch: bool,
    pub batch_points: std::collections::BTreeSet<String>,
    pub batch_reason: String,
    /// The keyboard shortcut sheet is open.
    pub shortcuts: bool,
    /// Put the cursor in the walker's reject-reason field on the next frame (R).
    pub focus_reject: bool,
    /// The new case's APP备案号.
    pub filing: String,
    /// The new case's inspectors as typed: 张三=粤A0001；李四=粤A0002.
    pub inspectors: String,
    /// The open case's inspectors being edited in the Overview: (case id, text).
    pub inspectors_draft: Option<(String, String)>,
    /// The authority profiles, loaded when first needed and after a change in Settings.
    pub authorities: Option<Vec<crate::case::Authority>>,
    /// The authority profile being edited in Settings.
    pub authority_draft: crate::case::Authority,
    /// What would stop the notice in the form from being issued (from the last preview).
    pub notice_problems: Vec<String>,
    /// The test conditions being edited in the Overview: the case they belong to and the draft.
    pub conditions: Option<(String, crate::case::TestConditions)>,
}

/// The annotation tool in the evidence viewer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tool {
    #[default]
    Rect,
    Arrow,
    Text,
    /// Pick a shape to move (drag) or delete.
    Select,
}

pub struct App {
    pub db: PathBuf,
    pub store: Store,
    pub settings: Settings,
    pub jobs: Jobs,
    pub view: View,
    pub filter: Filter,
    pub cases: Vec<CaseSummary>,
    /// The verdict of each listed case, by id.
    pub verdicts: HashMap<String, Verdict>,
    pub case: Option<OpenCase>,
    pub messages: Vec<Message>,
    pub forms: Forms,
    /// A native file dialog running on its own thread: what the choice is for, and the answer.
    pub picking: Option<(Pick, std::sync::mpsc::Receiver<Option<PathBuf>>)>,
    /// Evidence to open large once the window has a context.
    pub pending_full: Option<i64>,
    /// Files named on the command line (`app-inspector open FILE…`), opened on the first frame.
    pub pending_files: Vec<PathBuf>,
    /// What can be undone and redone (Ctrl+Z, Ctrl+Shift+Z).
    pub history: super::history::History,
    /// The theme and text size last applied to the window (applied again when Settings change).
    pub applied_theme: Option<(super::theme::ThemeChoice, f32)>,
}

/// What a file dialog is choosing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pick {
    Package,
    Evidence,
    Bundle,
    Certificate,
}

impl App {
    /// Opens the database and returns to the case and test point of last time.
    pub fn open(db: PathBuf, lang: Option<Lang>) -> Result<Self, crate::case::CaseError> {
        let store = Store::open_again(&db)?;
        let (cases, verdicts) = Self::list_cases(&store)?;
        let mut settings = Settings::load(&db);
        if let Some(lang) = lang {
            settings.lang = lang;
        }
        if let Some(theme) = super::theme::ThemeChoice::from_env() {
            settings.theme = theme;
        }
        let mut app = Self {
            cases,
            verdicts,
            db,
            store,
            settings,
            jobs: Jobs::default(),
            view: View::Cases,
            filter: Filter::All,
            case: None,
            messages: Vec::new(),
            forms: Forms::default(),
            picking: None,
            pending_files: Vec::new(),
            pending_full: None,
            applied_theme: None,
            history: Default::default(),
        };
        if let Some(id) = app.settings.last_case.clone()
            && app.load_case(&id).is_ok()
        {
            app.view = View::Walker;
            if let (Some(tp), Some(case)) = (app.settings.last_testpoint.clone(), app.case.as_mut())
                && case.checklist.test_point(&tp).is_some()
            {
                case.selected = tp;
            }
        }
        Ok(app)
    }

    /// Switches to a view by name (`cases`, `overview`, `walker`, `evidence`, `score`, `notice`,
    /// `settings`); views that need a case stay on the case list without one.
    pub fn show_view(&mut self, name: &str) {
        let view = match name {
            "overview" => View::Overview,
            "walker" => View::Walker,
            "evidence" => View::Evidence,
            "score" => View::Score,
            "notice" => View::Notice,
            "settings" => View::Settings,
            _ => View::Cases,
        };
        self.view = if self.case.is_none() && !matches!(view, View::Cases | View::Settings) {
            View::Cases
        } else {
            view
        };
        if self.view == View::Evidence
            && let Some(link) = self
                .case
                .as_ref()
                .and_then(|c| c.view.evidence.first())
                .map(|e| e.link_id)
        {
            self.forms.selected_evidence = Some(link);
            self.pending_full = Some(link);
        }
    }

    /// Text in the current language.
    pub fn t<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        self.settings.lang.pick(zh, en)
    }

    /// An error: it stays in the status line until dismissed.
    pub fn error(&mut self, text: impl Into<String>) {
        self.messages.push(Message {
            error: true,
            text: text.into(),
            at: std::time::Instant::now(),
        });
    }

    /// Information: it replaces the information before it and clears itself.
    pub fn info(&mut self, text: impl Into<String>) {
        self.messages.retain(|m| m.error);
        self.messages.push(Message {
            error: false,
            text: text.into(),
            at: std::time::Instant::now(),
        });
    }

    pub fn save_settings(&self) {
        self.settings.save(&self.db);
    }

    pub fn refresh_cases(&mut self) {
        match Self::list_cases(&self.store) {
            Ok((cases, verdicts)) => {
                self.cases = cases;
                self.verdicts = verdicts;
            }
            Err(e) => self.error(crate::ui::explain(&e)),
        }
    }

    /// Every case with its verdict.
    fn list_cases(store: &Store) -> Result<CaseList, crate::case::CaseError> {
        let cases = store.list()?;
        let verdicts = score::verdicts(store, &cases)?;
        Ok((cases, verdicts))
    }

    /// Loads a case (everything but evidence bytes) and starts its thumbnails in the background.
    pub fn load_case(&mut self, id: &str) -> Result<(), crate::case::CaseError> {
        let crate::inspection::Inspection {
            view,
            checklist,
            report,
            score,
        } = crate::inspection::Inspection::open(&self.store, id)?;
        let icon_png = self.store.package_icon(id)?;
        let mut other_versions: Vec<String> = self
            .store
            .checklist_versions(&checklist.id)?
            .into_iter()
            .filter(|k| k.id == checklist.id && k.content_hash != checklist.content_hash)
            .map(|k| k.version)
            .collect();
        other_versions.sort();
        other_versions.dedup();
        let selected = checklist
            .test_points()
            .next()
            .map(|t| t.id.clone())
            .unwrap_or_default();
        let thumbs = self
            .case
            .take()
            .filter(|c| c.view.case.id == id)
            .map(|c| c.thumbs)
            .unwrap_or_default();
        let today = chrono::Local::now().format("%Y-%m-%d").to_string();
        let concerns = report
            .as_ref()
            .map(|r| crate::package::concerns::concerns(r, &today))
            .unwrap_or_default();
        self.case = Some(OpenCase {
            concerns,
            view,
            report,
            checklist,
            score,
            selected,
            thumbs,
            full: None,
            icon_png,
            icon: None,
            other_versions,
        });
        self.settings.last_case = Some(id.to_string());
        self.save_settings();
        Ok(())
    }

    /// Re-reads the open case after a change (keeps the selection and textures).
    pub fn reload(&mut self) {
        let Some(case) = &self.case else { return };
        let (id, selected) = (case.view.case.id.clone(), case.selected.clone());
        match self.store.load(&id) {
            Ok(view) => {
                if let Some(case) = self.case.as_mut() {
                    case.score = score::score(&view, &case.checklist);
                    // Only this case changed: update its line in the list, not every line.
                    let line = view.summary();
                    match self.cases.iter_mut().find(|c| c.id == line.id) {
                        Some(old) => *old = line,
                        None => self.cases.insert(0, line),
                    }
                    self.verdicts.insert(id, case.score.verdict);
                    case.view = view;
                    case.selected = selected;
                }
            }
            Err(e) => self.error(crate::ui::explain(&e)),
        }
    }

    /// Starts decoding the thumbnails the open case does not have yet.
    pub fn load_thumbnails(&mut self, ctx: &egui::Context) {
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
            let store = Store::open_again(&db).map_err(|e| crate::ui::explain(&e))?;
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
    fn poll_jobs(&mut self, ctx: &egui::Context) {
        for (name, result) in self.jobs.poll() {
            match result {
                Err(super::jobs::JobError::Cancelled) => {
                    self.info(format!("{name}: {}", self.t("已取消", "cancelled")));
                }
                Err(super::jobs::JobError::Failed(e)) => self.error(format!("{name}: {e}")),
                Ok(Done::CaseCreated(id)) | Ok(Done::Imported(id)) => {
                    self.refresh_cases();
                    match self.load_case(&id) {
                        Ok(()) => {
                            self.view = View::Overview;
                            self.info(format!("{} {id}", self.t("已打开案件", "Opened case")));
                        }
                        Err(e) => self.error(crate::ui::explain(&e)),
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
                    self.forms.last_notice = Some(text.clone());
                    self.forms.last_notice_path = Some(path.clone());
                    self.info(text);
                }
                Ok(Done::FullImage { link, sha256, image }) => {
                    // Only if that evidence is still the one being viewed.
                    if let Some(case) = self.case.as_mut()
                        && case.full.as_ref().is_none_or(|(l, _, _)| *l == link)
                        && self.forms.selected_evidence.is_none_or(|l| l == link)
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
                    self.forms.preview = Some((pages, form, key));
                    self.forms.notice_problems = problems;
                }
                Ok(Done::Verified(result)) => self.forms.audit_result = Some(result),
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
        let db = self.db.clone();
        let new = crate::case::NewCase {
            package,
            subject_name: self.forms.subject_name.clone(),
            roles: if self.forms.roles.is_empty() {
                vec![SubjectType::AppOperator]
            } else {
                self.forms.roles.clone()
            },
            credit_code: self.forms.credit_code.trim().to_string(),
            filing: self.forms.filing.trim().to_string(),
            address: self.forms.address.trim().to_string(),
            inspectors: parse_inspectors(if self.forms.inspectors.trim().is_empty() {
                &self.settings.inspector
            } else {
                &self.forms.inspectors
            }),
            checklist: checklist::DEFAULT_ID.to_string(),
        };
        let actor = self.settings.inspector.clone();
        let name = self.t("分析安装包", "analysing the package").to_string();
        // One new case per click: a second click while the first is analysed makes nothing.
        if self.new_case_running() {
            return;
        }
        if let Err(e) = self
            .jobs
            .spawn(ctx, &name, move |ticket| new_case_job(&db, &new, &actor, ticket))
        {
            self.error(e);
        }
    }

    /// The time zone the window states times in: the default authority's (Settings), else
    /// Asia/Shanghai, where the inspectors and enterprises this tool serves are.
    pub fn zone(&self) -> chrono_tz::Tz {
        self.forms
            .authorities
            .as_ref()
            .and_then(|list| list.iter().find(|a| a.name == self.settings.authority))
            .and_then(|a| a.tz().ok())
            .unwrap_or(chrono_tz::Asia::Shanghai)
    }

    /// A stored time stamp as the window shows it: in [`Self::zone`], the zone named.
    pub fn time(&self, rfc3339: &str) -> String {
        let zone = self.zone();
        format!("{} ({})", crate::i18n::time_in(rfc3339, zone), zone.name())
    }

    /// Remembers a side pane's width once the inspector has dragged its edge: a width that
    /// changed while the pointer was held is saved when it is let go. (Widths the layout imposes —
    /// a narrow window — are never taken for the inspector's choice.)
    pub fn remember_pane(&mut self, ctx: &egui::Context, name: &str, width: f32) {
        let down = ctx.input(|i| i.pointer.any_down());
        let moved = self
            .forms
            .pane_last
            .get(name)
            .is_some_and(|last| (last - width).abs() > 0.5);
        if down && moved {
            self.forms.pane_dragged.insert(name.to_string());
        }
        if !down && self.forms.pane_dragged.remove(name) {
            self.settings.panes.insert(name.to_string(), width);
            self.save_settings();
        }
        self.forms.pane_last.insert(name.to_string(), width);
    }

    /// Whether a new case is being made (its package analysed) right now.
    pub fn new_case_running(&self) -> bool {
        let name = self.t("分析安装包", "analysing the package");
        self.jobs.running.iter().any(|j| j.name == name)
    }

    /// Closes or reopens the open case (audited).
    pub fn set_case_state(&mut self, closed: bool) {
        let Some(case) = &self.case else { return };
        let id = case.view.case.id.clone();
        let actor = self.settings.inspector.clone();
        match self.store.set_state(&id, closed, &actor) {
            Ok(()) => self.reload(),
            Err(e) => self.error(crate::ui::explain(&e)),
        }
    }

    /// Opens the first-run sample case on a worker thread.
    pub fn start_sample(&mut self, ctx: &egui::Context) {
        let db = self.db.clone();
        let actor = self.settings.inspector.clone();
        if let Err(e) = self.jobs.spawn(
            ctx,
            self.t("准备示例案件", "preparing the sample case"),
            move |ticket| {
                let mut store = Store::open_again(&db).map_err(|e| crate::ui::explain(&e))?;
                ticket.checkpoint()?;
                crate::sample::case::create(&mut store, &actor)
                    .map(Done::CaseCreated)
                    .map_err(|e| crate::ui::explain(&e).into())
            },
        ) {
            self.error(e);
        }
    }

    /// Attaches an evidence file to the selected test point on a worker thread.
    pub fn start_attach(&mut self, ctx: &egui::Context, file: PathBuf) {
        let Some(case) = &self.case else {
            self.error(self.t("请先打开一个案件", "Open a case first"));
            return;
        };
        let (db, id, tp) = (self.db.clone(), case.view.case.id.clone(), case.selected.clone());
        let caption = std::mem::take(&mut self.forms.caption);
        let actor = self.settings.inspector.clone();
        let name = format!(
            "{} {}",
            self.t("附加证据", "attaching"),
            file.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        );
        if let Err(e) = self.jobs.spawn(ctx, &name, move |ticket| {
            let mut store = Store::open_again(&db).map_err(|e| crate::ui::explain(&e))?;
            ticket.checkpoint()?;
            let sha256 = store
                .attach(&id, &file, Some(&tp), &caption, &actor)
                .map_err(|e| crate::ui::explain(&e))?;
            Ok(Done::Attached { case: id, sha256 })
        }) {
            self.error(e);
        }
    }

    /// Attaches the image on the clipboard (a screenshot just taken) to the selected test point.
    pub fn paste_screenshot(&mut self, ctx: &egui::Context) {
        let Some(case) = &self.case else { return };
        let (db, id, tp) = (self.db.clone(), case.view.case.id.clone(), case.selected.clone());
        let caption = std::mem::take(&mut self.forms.caption);
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
                .ok_or("the clipboard image is malformed")?;
                let mut png = Vec::new();
                rgba.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
                    .map_err(|e| crate::ui::explain(&e))?;
                let name = format!("clipboard-{}.png", chrono::Local::now().format("%Y%m%d-%H%M%S"));
                let mut store = Store::open_again(&db).map_err(|e| crate::ui::explain(&e))?;
                let sha256 = store
                    .attach_bytes(&id, &name, &png, Some(&tp), &caption, &actor)
                    .map_err(|e| crate::ui::explain(&e))?;
                Ok(Done::Attached { case: id, sha256 })
            })
        {
            self.error(e);
        }
    }

    /// Sets the status of the selected test point (saved at once).
    pub fn set_status(&mut self, status: Status) {
        let Some(case) = &self.case else { return };
        let (id, tp) = (case.view.case.id.clone(), case.selected.clone());
        let note = if self.forms.note_for == tp {
            self.forms.note.clone()
        } else {
            case.view
                .assessment(&tp)
                .map(|a| a.note.clone())
                .unwrap_or_default()
        };
        let before = case
            .view
            .assessment(&tp)
            .map(|a| (a.status, a.note.clone()))
            .unwrap_or((Status::NotChecked, String::new()));
        let actor = self.settings.inspector.clone();
        match self.store.assess(&id, &tp, status, &note, &actor) {
            Ok(()) => {
                if before != (status, note.clone()) {
                    self.history.record(super::history::Change::Judgement {
                        case: id,
                        testpoint: tp,
                        before,
                        after: (status, note),
                    });
                }
                self.reload();
            }
            Err(e) => self.error(crate::ui::explain(&e)),
        }
    }

    /// Undoes (or, `redo`, does again) the last change made by hand to the open case: a new,
    /// audited change that puts back what was there.
    pub fn undo(&mut self, redo: bool) {
        let Some(case) = &self.case else { return };
        let id = case.view.case.id.clone();
        let change = if redo {
            self.history.redo(&id)
        } else {
            self.history.undo(&id)
        };
        let Some(change) = change else {
            return self.info(if redo {
                self.t("没有可以重做的修改。", "Nothing to redo.")
            } else {
                self.t("没有可以撤销的修改。", "Nothing to undo.")
            });
        };
        let actor = self.settings.inspector.clone();
        let done = match &change {
            super::history::Change::Judgement { testpoint, after, .. } => {
                // The note field shows the note put back, not a draft of the one undone.
                self.forms.note_for.clear();
                self.store.assess(&id, testpoint, after.0, &after.1, &actor)
            }
            super::history::Change::Evidence { link, after, .. } => {
                self.store.annotate(&id, *link, &after.0, &after.1, &actor)
            }
        };
        match done {
            Ok(()) => {
                if let super::history::Change::Judgement { testpoint, .. } = &change
                    && let Some(case) = self.case.as_mut()
                {
                    case.selected = testpoint.clone();
                }
                self.reload();
                self.info(if redo {
                    self.t(
                        "已重做（新的修改，已记入审计记录）",
                        "Redone (a new change, in the audit trail)",
                    )
                } else {
                    self.t(
                        "已撤销（新的修改，已记入审计记录）",
                        "Undone (a new change, in the audit trail)",
                    )
                });
            }
            Err(e) => self.error(crate::ui::explain(&e)),
        }
    }

    /// Answers one of the checklist's conditions for the open case (saved at once, audited).
    pub fn set_applicability(&mut self, condition: &str, applies: Option<bool>) {
        let Some(case) = &self.case else { return };
        let id = case.view.case.id.clone();
        let actor = self.settings.inspector.clone();
        match self.store.set_applicability(&id, condition, applies, &actor) {
            Ok(()) => self.reload(),
            Err(e) => self.error(crate::ui::explain(&e)),
        }
    }

    /// Saves the inspectors edited in the Overview (audited as one change).
    pub fn save_inspectors(&mut self) {
        let Some((id, text)) = self.forms.inspectors_draft.clone() else {
            return;
        };
        let actor = self.settings.inspector.clone();
        match self.store.set_inspectors(&id, &parse_inspectors(&text), &actor) {
            Ok(()) => {
                self.forms.inspectors_draft = None;
                self.reload();
            }
            Err(e) => self.error(crate::ui::explain(&e)),
        }
    }

    /// Saves the test conditions drafted in the Overview (audited as one change).
    pub fn save_test_conditions(&mut self) {
        let Some((id, draft)) = self.forms.conditions.clone() else {
            return;
        };
        let actor = self.settings.inspector.clone();
        match self.store.set_test_conditions(&id, &draft, &actor) {
            Ok(()) => {
                self.forms.conditions = None;
                self.reload();
            }
            Err(e) => self.error(crate::ui::explain(&e)),
        }
    }

    /// The test points the walker shows, in order: those binding one of the case's roles (and any
    /// other the case already has a judgement on, so nothing judged is hidden).
    pub fn visible_points(&self) -> Vec<String> {
        let Some(case) = &self.case else { return Vec::new() };
        let search = self.forms.search.to_lowercase();
        let roles = case.view.case.subject.roles();
        case.checklist
            .clauses
            .iter()
            .flat_map(|c| c.test_points.iter().map(move |t| (c, t)))
            .filter(|(c, t)| {
                let status = case.view.status(&t.id);
                let pending = case
                    .view
                    .suggestions
                    .iter()
                    .any(|s| s.testpoint == t.id && s.review == "pending");
                let by_filter = match self.filter {
                    Filter::All => true,
                    Filter::NotChecked => status == Status::NotChecked,
                    Filter::NonCompliant => matches!(status, Status::NonCompliant | Status::Partial),
                    Filter::Pending => pending,
                    Filter::Recheck => case.view.recheck(&t.id).is_some(),
                };
                let by_search = search.is_empty()
                    || t.id.contains(&search)
                    || t.check.zh.to_lowercase().contains(&search)
                    || t.check.en.to_lowercase().contains(&search)
                    || c.title.zh.contains(&search)
                    || c.title.en.to_lowercase().contains(&search);
                let in_scope = t.binds_any(&roles) || case.view.assessment(&t.id).is_some();
                in_scope && by_filter && by_search
            })
            .map(|(_, t)| t.id.clone())
            .collect()
    }

    /// Moves the walker selection by `delta` among the visible test points. When the selected
    /// test point has just left the list (judged under the "not checked" filter, say), the move
    /// starts from where it stood: down goes to the next visible one, up to the previous one,
    /// so nothing is skipped.
    pub fn move_selection(&mut self, delta: i32) {
        let points = self.visible_points();
        let Some(case) = self.case.as_mut() else { return };
        if points.is_empty() || delta == 0 {
            return;
        }
        let next = match points.iter().position(|p| *p == case.selected) {
            Some(at) => (at as i32 + delta).clamp(0, points.len() as i32 - 1) as usize,
            None => {
                let order: Vec<&str> = case.checklist.test_points().map(|t| t.id.as_str()).collect();
                let rank = |id: &str| order.iter().position(|o| *o == id).unwrap_or(usize::MAX);
                let here = rank(&case.selected);
                // The first visible point after it (or the last before it), then the rest of the step.
                let first = if delta > 0 {
                    points
                        .iter()
                        .position(|p| rank(p) > here)
                        .unwrap_or(points.len() - 1)
                } else {
                    points.iter().rposition(|p| rank(p) < here).unwrap_or(0)
                };
                let rest = delta - delta.signum();
                (first as i32 + rest).clamp(0, points.len() as i32 - 1) as usize
            }
        };
        case.selected = points[next].clone();
        self.settings.last_testpoint = Some(points[next].clone());
        self.save_settings();
    }

    /// Moves the walker to the next test point not yet judged, after the selected one in the
    /// visible order (wrapping round); says so when there is none.
    pub fn next_unchecked(&mut self) {
        let points = self.visible_points();
        let Some(case) = self.case.as_ref() else { return };
        let at = points
            .iter()
            .position(|p| *p == case.selected)
            .map_or(0, |i| i + 1);
        let next = points
            .iter()
            .cycle()
            .skip(at)
            .take(points.len())
            .find(|p| case.view.status(p) == Status::NotChecked)
            .cloned();
        match next {
            Some(tp) => {
                if let Some(case) = self.case.as_mut() {
                    case.selected = tp.clone();
                }
                self.settings.last_testpoint = Some(tp);
                self.save_settings();
            }
            None => self.info(self.t("所有检查项均已判定。", "Every test point is judged.")),
        }
    }

    /// Accepts every pending suggestion on the selected test point (A in the walker).
    pub fn accept_pending(&mut self) {
        let Some(case) = &self.case else { return };
        let (id, tp) = (case.view.case.id.clone(), case.selected.clone());
        if !case
            .view
            .suggestions
            .iter()
            .any(|s| s.testpoint == tp && s.review == "pending")
        {
            return self.info(self.t("本项没有待复核的自动建议。", "No suggestion to review here."));
        }
        let actor = self.settings.inspector.clone();
        match self.store.review(&id, &tp, None, true, "", &actor) {
            Ok(_) => self.reload(),
            Err(e) => self.error(crate::ui::explain(&e)),
        }
    }

    fn handle_keys(&mut self, ctx: &egui::Context) {
        if ctx.input(|i| i.modifiers.command && i.key_pressed(egui::Key::F)) {
            self.view = View::Walker;
            self.forms.focus_search = true;
        }
        // The shortcut sheet: F1 anywhere, ? where no text is being typed; Esc closes it.
        let typing = ctx.egui_wants_keyboard_input();
        // Undo and redo of judgements and annotations (a text field keeps its own Ctrl+Z).
        if !typing && self.case.is_some() {
            let (undo, redo) = ctx.input(|i| {
                let z = i.key_pressed(egui::Key::Z) && i.modifiers.command;
                (
                    z && !i.modifiers.shift,
                    (z && i.modifiers.shift) || (i.key_pressed(egui::Key::Y) && i.modifiers.command),
                )
            });
            if undo {
                self.undo(false);
            }
            if redo {
                self.undo(true);
            }
        }
        if ctx.input(|i| {
            i.key_pressed(egui::Key::F1)
                || (!typing
                    && i.events
                        .iter()
                        .any(|e| matches!(e, egui::Event::Text(t) if t == "?" || t == "？")))
        }) {
            self.forms.shortcuts = !self.forms.shortcuts;
        }
        if self.forms.shortcuts && ctx.input(|i| i.key_pressed(egui::Key::Escape)) {
            self.forms.shortcuts = false;
        }
        if ctx.egui_wants_keyboard_input() || self.view != View::Walker || self.case.is_none() {
            return;
        }
        // Only plain keys walk and judge: Ctrl+0 (zoom), Alt+1, Super+J and the like belong to
        // the desktop or to other shortcuts, never to a judgement.
        let plain = ctx.input(|i| {
            let m = i.modifiers;
            !(m.ctrl || m.alt || m.command || m.mac_cmd)
        });
        if !plain {
            return self.handle_paste(ctx);
        }
        let (down, up) = ctx.input(|i| {
            (
                i.key_pressed(egui::Key::ArrowDown) || i.key_pressed(egui::Key::J),
                i.key_pressed(egui::Key::ArrowUp) || i.key_pressed(egui::Key::K),
            )
        });
        if down {
            self.move_selection(1);
        }
        if up {
            self.move_selection(-1);
        }
        let (accept, reject, next) = ctx.input(|i| {
            (
                i.key_pressed(egui::Key::A),
                i.key_pressed(egui::Key::R),
                i.key_pressed(egui::Key::N),
            )
        });
        if accept {
            self.accept_pending();
        }
        if reject {
            // A rejection needs a reason: R puts the cursor in the reason field.
            let pending = self.case.as_ref().is_some_and(|c| {
                c.view
                    .suggestions
                    .iter()
                    .any(|s| s.testpoint == c.selected && s.review == "pending")
            });
            if pending {
                self.forms.focus_reject = true;
            } else {
                self.info(self.t("本项没有待复核的自动建议。", "No suggestion to review here."));
            }
        }
        if next {
            self.next_unchecked();
        }
        for (key, status) in [
            (egui::Key::Num1, Status::Compliant),
            (egui::Key::Num2, Status::Partial),
            (egui::Key::Num3, Status::NonCompliant),
            (egui::Key::Num4, Status::NotApplicable),
            (egui::Key::Num0, Status::NotChecked),
        ] {
            if ctx.input(|i| i.key_pressed(key)) {
                self.set_status(status);
            }
        }
        self.handle_paste(ctx);
    }

    fn handle_paste(&mut self, ctx: &egui::Context) {
        // Ctrl+V with no text field focused: the screenshot on the clipboard goes to this test
        // point. (egui turns Ctrl+V into a Paste event when the clipboard holds text, into the
        // key itself when it holds only an image.)
        let paste = ctx.input(|i| {
            i.events.iter().any(|e| {
                matches!(e, egui::Event::Paste(_))
                    || matches!(e, egui::Event::Key { key: egui::Key::V, pressed: true, modifiers, .. } if modifiers.command)
            })
        });
        if paste {
            self.paste_screenshot(ctx);
        }
    }

    fn handle_drops(&mut self, ctx: &egui::Context) {
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        if dropped.is_empty() {
            return;
        }
        // Dropped on a test point's row in the walker: the evidence goes to that test point.
        let at = ctx.input(|i| i.pointer.latest_pos());
        if self.view == View::Walker
            && let Some(at) = at
            && let Some((tp, _)) = self.forms.point_rows.iter().find(|(_, r)| r.contains(at))
            && let Some(case) = self.case.as_mut()
        {
            case.selected = tp.clone();
            self.settings.last_testpoint = Some(tp.clone());
        }
        self.open_files(ctx, dropped);
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
                _ => self.start_attach(ctx, path),
            }
        }
    }

    pub fn start_import(&mut self, ctx: &egui::Context, path: PathBuf) {
        let db = self.db.clone();
        let actor = self.settings.inspector.clone();
        if let Err(e) = self.jobs.spawn(
            ctx,
            self.t("导入案件包", "importing a bundle"),
            move |ticket| {
                let mut store = Store::open_again(&db).map_err(|e| crate::ui::explain(&e))?;
                store
                    .import_with(&path, &actor, &|done, total| {
                        ticket.set(done, total);
                        !ticket.cancelled()
                    })
                    .map(Done::Imported)
                    .map_err(job_error)
            },
        ) {
            self.error(e);
        }
    }

    pub fn start_export(&mut self, ctx: &egui::Context, path: PathBuf) {
        let Some(case) = &self.case else { return };
        let (db, id) = (self.db.clone(), case.view.case.id.clone());
        let actor = self.settings.inspector.clone();
        if let Err(e) = self.jobs.spawn(
            ctx,
            self.t("导出案件包", "exporting a bundle"),
            move |ticket| {
                let mut store = Store::open_again(&db).map_err(|e| crate::ui::explain(&e))?;
                let path = crate::case::bundle::bundle_path(&path);
                store
                    .export_with(&id, &path, false, &actor, &|done, total| {
                        ticket.set(done, total);
                        !ticket.cancelled()
                    })
                    .map_err(job_error)?;
                Ok(Done::Exported(path))
            },
        ) {
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

    fn poll_picker(&mut self, ctx: &egui::Context) {
        let Some((purpose, rx)) = &self.picking else {
            return;
        };
        let purpose = *purpose;
        match rx.try_recv() {
            Ok(Some(path)) => {
                self.picking = None;
                match purpose {
                    Pick::Package => self.forms.package_path = path.display().to_string(),
                    Pick::Evidence => self.start_attach(ctx, path),
                    Pick::Bundle => self.forms.bundle_path = path.display().to_string(),
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

    /// One frame.
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        let wanted = (self.settings.theme, self.settings.text_scale);
        if self.applied_theme != Some(wanted) {
            super::theme::apply(&ctx, wanted.0, wanted.1);
            self.applied_theme = Some(wanted);
        }
        self.poll_jobs(&ctx);
        self.poll_picker(&ctx);
        self.handle_drops(&ctx);
        if !self.pending_files.is_empty() {
            let files = std::mem::take(&mut self.pending_files);
            self.open_files(&ctx, files);
        }
        self.handle_keys(&ctx);
        if self.case.is_some() {
            self.load_thumbnails(&ctx);
        }
        if let Some(link) = self.pending_full.take() {
            self.open_full(&ctx, link);
        }
        if self.jobs.is_busy() {
            ctx.request_repaint_after(std::time::Duration::from_millis(50));
        }
        if self.forms.shortcuts {
            self.shortcuts_ui(&ctx);
        }
        egui::Panel::top("tabs").show(ui, |ui| self.tabs_ui(ui));
        egui::Panel::bottom("status").show(ui, |ui| self.status_ui(ui));
        egui::CentralPanel::default().show(ui, |ui| match self.view {
            View::Cases => self.cases_ui(ui),
            View::Overview => self.overview_ui(ui),
            View::Walker => self.walker_ui(ui),
            View::Evidence => self.evidence_ui(ui),
            View::Score => self.score_ui(ui),
            View::Notice => self.notice_ui(ui),
            View::Settings => self.settings_ui(ui),
        });
    }

    /// Every keyboard shortcut, in the window's language.
    fn shortcuts_ui(&mut self, ctx: &egui::Context) {
        let lang = self.settings.lang;
        let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
        let rows = [
            ("F1 / ?", l("显示或关闭本快捷键表", "Show or close this sheet")),
            ("Esc", l("关闭本表", "Close this sheet")),
            ("J / ↓", l("下一个检查项", "Next test point")),
            ("K / ↑", l("上一个检查项", "Previous test point")),
            ("N", l("下一个未检查的检查项", "Next test point not yet judged")),
            ("1", l("符合", "Compliant")),
            ("2", l("部分符合", "Partly compliant")),
            ("3", l("不符合", "Non-compliant")),
            ("4", l("不适用", "Not applicable")),
            ("0", l("未检查", "Not checked")),
            (
                "A",
                l(
                    "采纳本项全部待复核的自动建议",
                    "Accept this test point's pending suggestions",
                ),
            ),
            ("R", l("驳回：先填写驳回理由", "Reject: type the reason first")),
            (
                "Ctrl+Z",
                l(
                    "撤销上一次判定、备注或标注的修改",
                    "Undo the last change of a judgement, note or annotation",
                ),
            ),
            ("Ctrl+Shift+Z / Ctrl+Y", l("重做", "Redo")),
            ("Ctrl+F", l("搜索检查项", "Search the test points")),
            (
                "Ctrl+V",
                l(
                    "把剪贴板中的截图附加到本项",
                    "Attach the screenshot on the clipboard here",
                ),
            ),
            (
                "Ctrl+＋ / Ctrl+－ / Ctrl+0",
                l("放大 / 缩小 / 复原", "Zoom in / out / reset"),
            ),
        ];
        let mut open = true;
        egui::Window::new(l("键盘快捷键", "Keyboard shortcuts"))
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
            .show(ctx, |ui| {
                ui.label(l(
                    "逐项检查视图中，不在输入框内时：",
                    "In the checklist, when no text field has the cursor:",
                ));
                egui::Grid::new("shortcuts").striped(true).show(ui, |ui| {
                    for (keys, what) in rows {
                        ui.strong(keys);
                        ui.label(what);
                        ui.end_row();
                    }
                });
            });
        if !open {
            self.forms.shortcuts = false;
        }
    }

    fn tabs_ui(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            ui.heading(self.t("APP检查工作台", "App Inspector"));
            ui.separator();
            let has_case = self.case.is_some();
            for (view, zh, en, needs_case) in [
                (View::Cases, "案件", "Cases", false),
                (View::Overview, "概览", "Overview", true),
                (View::Walker, "逐项检查", "Checklist", true),
                (View::Evidence, "证据", "Evidence", true),
                (View::Score, "评分", "Score", true),
                (View::Notice, "通知书", "Notice", true),
                (View::Settings, "设置", "Settings", false),
            ] {
                let label = self.t(zh, en);
                if ui
                    .add_enabled(
                        has_case || !needs_case,
                        egui::Button::selectable(self.view == view, label),
                    )
                    .clicked()
                {
                    self.view = view;
                }
            }
            if ui.button(self.t("快捷键 (F1)", "Shortcuts (F1)")).clicked() {
                self.forms.shortcuts = !self.forms.shortcuts;
            }
            if let Some(case) = &self.case {
                ui.separator();
                ui.label(format!("{} · {}", case.view.case.app.name, case.view.case.id));
            }
        });
    }

    fn status_ui(&mut self, ui: &mut egui::Ui) {
        let mut cancel = None;
        for (i, job) in self.jobs.running.iter().enumerate() {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(&job.name);
                ui.add(
                    egui::ProgressBar::new(job.progress())
                        .desired_width(240.0)
                        .show_percentage(),
                );
                if job.is_cancelling() {
                    ui.label(self.settings.lang.pick("正在取消…", "cancelling…"));
                } else if ui.button(self.settings.lang.pick("取消", "Cancel")).clicked() {
                    cancel = Some(i);
                }
            });
        }
        if let Some(i) = cancel {
            self.jobs.running[i].cancel();
        }
        // One message at a time: the latest error until dismissed, else the latest information
        // until it clears itself.
        let ttl = std::time::Duration::from_secs(INFO_SECONDS);
        self.messages.retain(|m| m.error || m.at.elapsed() < ttl);
        let shown = self
            .messages
            .iter()
            .rposition(|m| m.error)
            .or_else(|| self.messages.len().checked_sub(1));
        let mut dismiss = None;
        if let Some(i) = shown {
            let m = &self.messages[i];
            let errors = self.messages.iter().filter(|m| m.error).count();
            ui.horizontal(|ui| {
                let colour = if m.error {
                    ui.visuals().error_fg_color
                } else {
                    ui.visuals().text_color()
                };
                ui.colored_label(colour, &m.text);
                if errors > 1 {
                    ui.weak(format!(
                        "{}{}{}",
                        self.settings.lang.pick("（另有 ", "("),
                        errors - 1,
                        self.settings.lang.pick(" 条）", " more)")
                    ));
                }
                if ui
                    .small_button(self.settings.lang.pick("关闭此消息", "Dismiss"))
                    .clicked()
                {
                    dismiss = Some(i);
                }
            });
            if !m.error {
                ui.ctx().request_repaint_after(ttl.saturating_sub(m.at.elapsed()));
            }
        }
        if let Some(i) = dismiss {
            self.messages.remove(i);
        }
    }
}

impl eframe::App for App {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        App::ui(self, ui);
    }
}

/// A store error as a job's error; a cancellation is reported as such, not as a failure.
fn job_error(e: crate::case::CaseError) -> super::jobs::JobError {
    match e {
        crate::case::CaseError::Cancelled => super::jobs::JobError::Cancelled,
        e => super::jobs::JobError::Failed(crate::ui::explain(&e)),
    }
}

/// Analyses a package and opens a case from it; stops, writing nothing, if cancelled first.
pub(crate) fn new_case_job(
    db: &std::path::Path,
    new: &crate::case::NewCase,
    actor: &str,
    ticket: &super::jobs::Ticket,
) -> Result<Done, super::jobs::JobError> {
    ticket.checkpoint()?;
    ticket.set(1, 3);
    let checklist = checklist::resolve(&new.checklist).map_err(|e| crate::ui::explain(&e))?;
    let report = crate::package::analyse(&new.package).map_err(|e| crate::ui::explain(&e))?;
    // The last moment to stop: after this the case is written, whole, in one transaction.
    ticket.checkpoint()?;
    ticket.set(2, 3);
    let mut store = Store::open(db).map_err(|e| crate::ui::explain(&e))?;
    let id = store
        .new_case_from_report(new, &report, &checklist, actor)
        .map_err(|e| crate::ui::explain(&e))?;
    ticket.set(3, 3);
    Ok(Done::CaseCreated(id))
}

/// Inspectors as typed in a form: `张三=粤A0001；李四=粤A0002` (also , ; 、 or new lines).
pub fn parse_inspectors(text: &str) -> Vec<crate::case::Inspector> {
    text.split(['；', ';', '、', ',', '，', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(crate::case::Inspector::parse)
        .collect()
}

/// The inspectors written back as the form shows them.
pub fn format_inspectors(list: &[crate::case::Inspector]) -> String {
    let parts: Vec<String> = list
        .iter()
        .map(|i| {
            if i.badge.is_empty() {
                i.name.clone()
            } else {
                format!("{}={}", i.name, i.badge)
            }
        })
        .collect();
    parts.join("；")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_cancelled_new_case_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("cases.sqlite");
        let package = dir.path().join("app.apk");
        std::fs::write(&package, b"PK\x05\x06 not analysed: cancelled first").unwrap();
        let new = crate::case::NewCase {
            package,
            subject_name: "某公司".into(),
            roles: vec![SubjectType::AppOperator],
            credit_code: String::new(),
            address: String::new(),
            inspectors: vec![],
            checklist: checklist::DEFAULT_ID.into(),
            filing: String::new(),
        };
        let ticket = super::super::jobs::Ticket::default();
        ticket.cancel();
        let err = new_case_job(&db, &new, "张三", &ticket).unwrap_err();
        assert_eq!(err, super::super::jobs::JobError::Cancelled);
        assert!(!db.exists(), "not even the database was created");
    }
}
