//! The app: its state and how it opens a case. One frame of the window is in `frame`, the
//! workers it starts and collects in `work`, every change it makes in `command`.

mod command;
mod frame;
mod work;

pub use command::Command;
pub use work::Failure;

use std::collections::HashMap;
use std::path::PathBuf;

use super::jobs::Jobs;
use super::state::Settings;
use crate::case::{CaseSummary, CaseView, Store};
use crate::checklist::Checklist;
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
    /// The run-time behaviours' timeline.
    Behaviours,
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
    /// How many behaviour logs the case has (the timeline is read again when it changes).
    pub runtime_logs: usize,
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
    /// Each view's own state (not persisted: drafts, selections, caches).
    pub case_list: super::views::CasesState,
    pub overview: super::views::OverviewState,
    pub walker: super::views::WalkerState,
    pub evidence: super::views::EvidenceState,
    pub behaviours: super::views::BehavioursState,
    pub score_view: super::views::ScoreState,
    pub notice: super::views::NoticeState,
    pub settings_view: super::views::SettingsState,
    /// The authority profiles, loaded when first needed and after a change in Settings.
    pub authorities: Option<Vec<crate::case::Authority>>,
    /// The keyboard shortcut sheet is open.
    pub shortcuts: bool,
    /// The side panes' widths as the inspector drags them.
    pub panes: super::views::PaneWidths,
    /// A native file dialog running on its own thread: what the choice is for, and the answer.
    pub picking: Option<(Pick, std::sync::mpsc::Receiver<Option<PathBuf>>)>,
    /// Evidence to open large once the window has a context.
    pub pending_full: Option<i64>,
    /// Files named on the command line (`app-inspector open FILE…`), opened on the first frame.
    pub pending_files: Vec<PathBuf>,
    /// What can be undone and redone (Ctrl+Z, Ctrl+Shift+Z).
    pub history: super::history::History,
    /// Changes the views asked for this frame, applied at its end.
    pub commands: Vec<Command>,
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
    /// A behaviour log.
    Log,
    /// The new version of the open case's App, for a re-inspection.
    Reinspect,
    /// The enterprise's rectification report.
    Report,
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
            case_list: Default::default(),
            overview: Default::default(),
            walker: Default::default(),
            evidence: Default::default(),
            behaviours: Default::default(),
            score_view: Default::default(),
            notice: Default::default(),
            settings_view: Default::default(),
            authorities: None,
            shortcuts: false,
            panes: Default::default(),
            picking: None,
            pending_files: Vec::new(),
            pending_full: None,
            applied_theme: None,
            history: Default::default(),
            commands: Vec::new(),
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
            "behaviours" => View::Behaviours,
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
            self.evidence.selected = Some(link);
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

    /// An error from the library, said in the window's language (it stays until dismissed).
    pub fn fail(&mut self, e: &(dyn std::error::Error + 'static)) {
        self.error(crate::ui::explain(e, self.settings.lang));
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
            Err(e) => self.fail(&e),
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
            runtime_logs: self.store.runtime_log_count(id)?,
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
        let logs = self.store.runtime_log_count(&id);
        match self.store.load(&id) {
            Ok(view) => {
                if let Some(case) = self.case.as_mut() {
                    case.runtime_logs = logs.unwrap_or(case.runtime_logs);
                    case.score = score::score(&view, &case.checklist);
                    // Only this case changed: update its line in the list, not every line.
                    let mut line = view.summary();
                    let due = self.store.deadline(&view);
                    (line.deadline, line.days_left, line.overdue) =
                        (due.deadline, due.days_left, due.overdue);
                    match self.cases.iter_mut().find(|c| c.id == line.id) {
                        Some(old) => *old = line,
                        None => self.cases.insert(0, line),
                    }
                    self.verdicts.insert(id, case.score.verdict);
                    case.view = view;
                    case.selected = selected;
                }
            }
            Err(e) => self.fail(&e),
        }
    }

    /// The time zone the window states times in: the default authority's (Settings), else
    /// Asia/Shanghai, where the inspectors and enterprises this tool serves are.
    pub fn zone(&self) -> chrono_tz::Tz {
        self.authorities
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

    /// The test points the walker shows, in order: those binding one of the case's roles (and any
    /// other the case already has a judgement on, so nothing judged is hidden).
    pub fn visible_points(&self) -> Vec<String> {
        let Some(case) = &self.case else { return Vec::new() };
        let search = self.walker.search.to_lowercase();
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
    use super::work::new_case_job;
    use crate::checklist::{self, SubjectType};

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
        let err = new_case_job(&db, &new, "张三", crate::i18n::Lang::Zh, &ticket).unwrap_err();
        assert_eq!(err, super::super::jobs::JobError::Cancelled);
        assert!(!db.exists(), "not even the database was created");
    }
}
