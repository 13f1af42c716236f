//! Every change the window makes. Views read the case and keep their own drafts; what they
//! want changed they send as a [`Command`], and the app applies the commands once per frame, in
//! the order sent, in [`App::run_commands`]: one place where the store is written, the undo
//! history recorded, the case re-read and the outcome said.

use std::path::PathBuf;

use super::{App, Pick, parse_inspectors};
use crate::status::Status;
use crate::ui::history::Change;

/// A change asked for by a view or a key.
#[must_use = "a command does nothing until sent with App::send"]
#[derive(Debug, Clone)]
pub enum Command {
    /// Judge the selected test point (its note as drafted).
    Judge(Status),
    /// Undo, or redo, the last change made by hand (a new audited change).
    Undo,
    Redo,
    /// Accept every pending suggestion on the selected test point.
    AcceptPending,
    /// Review one suggestion on the selected test point; a rejection carries its reason.
    Review {
        rule: String,
        accept: bool,
        reason: String,
    },
    /// Mark several test points not applicable with one reason.
    MarkNotApplicable {
        points: Vec<String>,
        reason: String,
    },
    /// Answer one of the checklist's conditions for the case.
    Answer {
        condition: String,
        applies: Option<bool>,
    },
    /// Save the inspectors or the test conditions drafted in the Overview.
    SaveInspectors,
    SaveTestConditions,
    /// Close the case, with a reason for each finding not resolved.
    Close {
        explained: std::collections::BTreeMap<String, String>,
    },
    /// Reopen a closed or escalated case.
    Reopen,
    /// Escalate the case: the measures taken and why.
    Escalate {
        measures: Vec<crate::case::Measure>,
        reason: String,
    },
    /// Record the enterprise's rectification report: this file, or (None) one chosen in a dialog.
    ReceiveReport(Option<PathBuf>),
    /// Save an evidence link's caption and annotations (undoable).
    Annotate {
        link: i64,
        caption: String,
        shapes: serde_json::Value,
    },
    /// Link evidence to another test point, or to none.
    Relink {
        link: i64,
        to: Option<String>,
    },
    /// Save an authority profile (Settings).
    SaveAuthority(Box<crate::case::Authority>),
    /// Move the case to another checklist version as planned.
    Migrate(Box<crate::case::migrate::Plan>),
    /// Start a worker: a new case from a package, the sample case, a bundle in or out, evidence
    /// from a file or the clipboard, a notice.
    NewCase(PathBuf),
    Sample,
    Import(PathBuf),
    /// Export the open case as a bundle: to this file, or (None) to the export folder under a
    /// name not taken yet.
    Export(Option<PathBuf>),
    Attach(PathBuf),
    PasteScreenshot,
    IssueNotice {
        case: String,
        out: PathBuf,
        replace: bool,
    },
    /// Import a behaviour log into the open case.
    ImportLog(PathBuf),
    /// Open a checked copy of a document evidence with the system's program.
    OpenEvidence(i64),
    /// Files opened or dropped: each as a person means it (package, bundle or evidence).
    OpenFiles(Vec<PathBuf>),
    /// Start a re-inspection of the open case: choose the new version's package (the reason is
    /// why a package under another name is this App's, empty otherwise).
    Reinspect {
        reason: String,
    },
    /// Start a re-inspection of the open case on this package (the reason as last typed).
    ReinspectPackage(PathBuf),
    /// Work out what changed between the case's last two rounds (for the overview).
    Diff {
        case: String,
        rounds: usize,
    },
}

impl App {
    /// Asks for a change; it is applied at the end of this frame.
    pub fn send(&mut self, command: Command) {
        self.commands.push(command);
    }

    /// Applies the commands sent this frame, in order.
    pub(super) fn run_commands(&mut self, ctx: &egui::Context) {
        let commands = std::mem::take(&mut self.commands);
        if !commands.is_empty() {
            ctx.request_repaint();
        }
        for command in commands {
            self.run(ctx, command);
        }
    }

    fn run(&mut self, ctx: &egui::Context, command: Command) {
        match command {
            Command::Judge(status) => self.set_status(status),
            Command::Undo => self.undo(false),
            Command::Redo => self.undo(true),
            Command::AcceptPending => self.accept_pending(),
            Command::Review { rule, accept, reason } => self.review(&rule, accept, &reason),
            Command::MarkNotApplicable { points, reason } => self.mark_not_applicable(&points, &reason),
            Command::Answer { condition, applies } => self.set_applicability(&condition, applies),
            Command::SaveInspectors => self.save_inspectors(),
            Command::SaveTestConditions => self.save_test_conditions(),
            Command::Close { explained } => {
                self.move_case(|store, id, actor| store.close(id, &explained, actor))
            }
            Command::Reopen => self.move_case(|store, id, actor| store.reopen(id, actor)),
            Command::Escalate { measures, reason } => {
                self.move_case(|store, id, actor| store.escalate(id, &measures, &reason, actor))
            }
            Command::ReceiveReport(Some(path)) => self.start_report(ctx, path),
            Command::ReceiveReport(None) => self.pick(Pick::Report),
            Command::Annotate {
                link,
                caption,
                shapes,
            } => self.save_annotations(&caption, link, shapes),
            Command::Relink { link, to } => self.relink(link, to.as_deref()),
            Command::SaveAuthority(draft) => self.save_authority(*draft),
            Command::Migrate(plan) => self.migrate(*plan),
            Command::NewCase(package) => self.start_new_case(ctx, package),
            Command::Sample => self.start_sample(ctx),
            Command::Import(path) => self.start_import(ctx, path),
            Command::Export(path) => {
                let Some((id, _)) = self.case_and_actor() else {
                    return;
                };
                let path = path.unwrap_or_else(|| {
                    crate::output::unique_name(&self.settings.export_folder().join(format!("{id}.zip")))
                });
                self.start_export(ctx, path);
            }
            Command::Attach(path) => self.start_attach(ctx, path),
            Command::PasteScreenshot => self.paste_screenshot(ctx),
            Command::IssueNotice { case, out, replace } => self.start_notice(ctx, case, out, replace),
            Command::OpenFiles(files) => self.open_files(ctx, files),
            Command::ImportLog(path) => self.start_import_log(ctx, path),
            Command::OpenEvidence(link) => self.start_open_evidence(ctx, link),
            Command::Diff { case, rounds } => self.start_diff(ctx, case, rounds),
            Command::ReinspectPackage(path) => self.start_reinspect(ctx, path),
            Command::Reinspect { reason } => {
                self.overview.reinspect_reason = reason;
                self.pick(Pick::Reinspect);
            }
        }
    }

    /// The open case's id and the name changes are made under, or nothing without a case.
    fn case_and_actor(&self) -> Option<(String, String)> {
        let case = self.case.as_ref()?;
        Some((case.view.case.id.clone(), self.settings.inspector.clone()))
    }

    /// Saves a change's outcome: re-reads the case on success, says the error otherwise.
    fn settle<T>(&mut self, done: Result<T, crate::case::CaseError>) -> Option<T> {
        match done {
            Ok(value) => {
                self.reload();
                Some(value)
            }
            Err(e) => {
                self.fail(&e);
                None
            }
        }
    }

    fn review(&mut self, rule: &str, accept: bool, reason: &str) {
        let Some((id, actor)) = self.case_and_actor() else {
            return;
        };
        if !accept && reason.trim().is_empty() {
            return self.error(self.t("驳回自动建议需要填写理由", "Give a reason to reject a suggestion"));
        }
        let tp = self.case.as_ref().map(|c| c.selected.clone()).unwrap_or_default();
        let done = self.store.review(&id, &tp, Some(rule), accept, reason, &actor);
        if self.settle(done) == Some(crate::case::ReviewOutcome::InspectorKept) {
            self.info(self.t(
                "已记录对自动建议的复核；本项已由您判定，结论和检查记录未改变。",
                "The review is recorded; you had judged this test point, so your status and note stay as they are.",
            ));
        }
    }

    fn mark_not_applicable(&mut self, points: &[String], reason: &str) {
        let Some((id, actor)) = self.case_and_actor() else {
            return;
        };
        let refs: Vec<&str> = points.iter().map(String::as_str).collect();
        let done = self
            .store
            .assess_many(&id, &refs, Status::NotApplicable, reason.trim(), &actor);
        if self.settle(done).is_some() {
            self.info(format!(
                "{} {} {}",
                self.t("已将", "Marked"),
                points.len(),
                self.t("项标为不适用", "test points not applicable")
            ));
            self.walker.batch_points.clear();
            self.walker.batch_reason.clear();
        }
    }

    /// Saves an evidence link's caption and annotations, recorded for undo.
    pub(crate) fn save_annotations(&mut self, caption: &str, link: i64, shapes: serde_json::Value) {
        let Some((id, actor)) = self.case_and_actor() else {
            return;
        };
        let before = self.case.as_ref().and_then(|case| {
            case.view
                .evidence
                .iter()
                .find(|e| e.link_id == link)
                .map(|e| (e.caption.clone(), e.annotations.clone()))
        });
        let done = self.store.annotate(&id, link, caption, &shapes, &actor);
        if self.settle(done).is_some()
            && let Some(before) = before
        {
            self.history.record(Change::Evidence {
                case: id,
                link,
                before,
                after: (caption.to_string(), shapes),
            });
        }
    }

    fn relink(&mut self, link: i64, to: Option<&str>) {
        let Some((id, actor)) = self.case_and_actor() else {
            return;
        };
        let done = self.store.relink(&id, link, to, &actor);
        if self.settle(done).is_some() {
            self.evidence.caption_for = None;
        }
    }

    fn save_authority(&mut self, draft: crate::case::Authority) {
        match self.store.set_authority(&draft) {
            Ok(()) => {
                self.authorities = None;
                if self.settings.authority.is_empty() {
                    self.settings.authority = draft.name.clone();
                    self.save_settings();
                }
                self.info(format!(
                    "{} {}",
                    self.t("已保存发文机关", "Saved the authority"),
                    draft.name
                ));
            }
            Err(e) => self.fail(&e),
        }
    }

    fn migrate(&mut self, plan: crate::case::migrate::Plan) {
        let actor = self.settings.inspector.clone();
        let done = self
            .store
            .migrate(&plan, &actor)
            .and_then(|()| self.load_case(&plan.case));
        match done {
            Ok(()) => self.info(format!(
                "{} {}",
                self.t("案件已迁移到检查表", "The case now uses checklist version"),
                plan.to_version
            )),
            Err(e) => self.fail(&e),
        }
    }

    /// Closes, reopens or escalates the open case (audited); the drafts are cleared once done.
    fn move_case(
        &mut self,
        step: impl FnOnce(
            &mut crate::case::Store,
            &str,
            &str,
        ) -> Result<crate::case::Transition, crate::case::CaseError>,
    ) {
        let Some(case) = &self.case else { return };
        let id = case.view.case.id.clone();
        let actor = self.settings.inspector.clone();
        match step(&mut self.store, &id, &actor) {
            Ok(t) => {
                self.overview.lifecycle = Default::default();
                self.reload();
                let line = t.describe(self.settings.lang);
                self.info(line);
            }
            Err(e) => self.fail(&e),
        }
    }

    /// Sets the status of the selected test point (saved at once).
    pub fn set_status(&mut self, status: Status) {
        let Some(case) = &self.case else { return };
        let (id, tp) = (case.view.case.id.clone(), case.selected.clone());
        let note = if self.walker.note_for == tp {
            self.walker.note.clone()
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
                    self.history.record(Change::Judgement {
                        case: id,
                        testpoint: tp,
                        before,
                        after: (status, note),
                    });
                }
                self.reload();
            }
            Err(e) => self.fail(&e),
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
            Change::Judgement { testpoint, after, .. } => {
                // The note field shows the note put back, not a draft of the one undone.
                self.walker.note_for.clear();
                self.store.assess(&id, testpoint, after.0, &after.1, &actor)
            }
            Change::Evidence { link, after, .. } => {
                self.store.annotate(&id, *link, &after.0, &after.1, &actor)
            }
        };
        match done {
            Ok(()) => {
                if let Change::Judgement { testpoint, .. } = &change
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
            Err(e) => self.fail(&e),
        }
    }

    /// Answers one of the checklist's conditions for the open case (saved at once, audited).
    pub fn set_applicability(&mut self, condition: &str, applies: Option<bool>) {
        let Some(case) = &self.case else { return };
        let id = case.view.case.id.clone();
        let actor = self.settings.inspector.clone();
        match self.store.set_applicability(&id, condition, applies, &actor) {
            Ok(()) => self.reload(),
            Err(e) => self.fail(&e),
        }
    }

    /// Saves the inspectors edited in the Overview (audited as one change).
    pub fn save_inspectors(&mut self) {
        let Some((id, text)) = self.overview.inspectors_draft.clone() else {
            return;
        };
        let actor = self.settings.inspector.clone();
        match self.store.set_inspectors(&id, &parse_inspectors(&text), &actor) {
            Ok(()) => {
                self.overview.inspectors_draft = None;
                self.reload();
            }
            Err(e) => self.fail(&e),
        }
    }

    /// Saves the test conditions drafted in the Overview (audited as one change).
    pub fn save_test_conditions(&mut self) {
        let Some((id, draft)) = self.overview.conditions.clone() else {
            return;
        };
        let actor = self.settings.inspector.clone();
        match self.store.set_test_conditions(&id, &draft, &actor) {
            Ok(()) => {
                self.overview.conditions = None;
                self.reload();
            }
            Err(e) => self.fail(&e),
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
            Err(e) => self.fail(&e),
        }
    }
}
