//! Work that must not block the window: each job runs on its own named thread with its own
//! database connection, reports progress, can be cancelled, and hands back one result that the
//! app applies on the UI thread.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::mpsc::{self, Receiver, TryRecvError};

/// What a finished job produced.
#[derive(Debug)]
pub enum Done {
    CaseCreated(String),
    Attached {
        case: String,
        sha256: String,
    },
    /// The enterprise's rectification report was stored (and the case moved, when it did).
    Reported {
        case: String,
        sha256: String,
        moved: Option<crate::case::Transition>,
    },
    Imported(String),
    Exported(PathBuf),
    NoticeWritten {
        path: PathBuf,
        verdict: String,
    },
    Thumbnails(Vec<(String, Option<egui::ColorImage>)>),
    /// The notice laid out for the preview, with what it was made from.
    Preview {
        pages: Vec<Vec<crate::notice::layout::Op>>,
        /// What would stop the notice being issued, as sentences.
        problems: Vec<String>,
        form: crate::ui::views::NoticeForm,
        key: String,
    },
    /// What replaying a case's trail proved: (proved, the sentence).
    Verified((bool, String)),
    /// A behaviour log imported into a case.
    LogImported {
        case: String,
        done: crate::case::behaviours::Imported,
    },
    /// A case's behaviours, read for the timeline: the case, how many logs, the list.
    Behaviours {
        case: String,
        logs: usize,
        list: std::sync::Arc<crate::ui::views::Timeline>,
    },
    /// A re-inspection started on a case.
    Reinspected(crate::case::round::Started),
    /// What changed between a case's last two rounds.
    Diff {
        case: String,
        rounds: usize,
        diff: std::sync::Arc<crate::package::diff::PackageDiff>,
    },
    /// A checked, read-only copy of an evidence file, to open with the system's program.
    EvidenceCopy(PathBuf),
    /// A full-size evidence image, decoded for the viewer.
    FullImage {
        link: i64,
        sha256: String,
        image: egui::ColorImage,
    },
}

/// Why a job ended without a result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobError {
    /// The user cancelled it (shown as news, not as a failure). Jobs stop only between steps that
    /// leave nothing half-written.
    Cancelled,
    /// It failed; the sentence says why.
    Failed(String),
    /// Its thread ended without a word (it panicked): the window says so in its language.
    Lost,
}

/// A failure's sentence, so `?` works on the library's explained errors.
impl From<String> for JobError {
    fn from(why: String) -> Self {
        JobError::Failed(why)
    }
}

impl From<&str> for JobError {
    fn from(why: &str) -> Self {
        JobError::Failed(why.to_string())
    }
}

/// Progress a worker reports: 0–1000, and whether it should stop.
#[derive(Clone, Default)]
pub struct Ticket {
    progress: Arc<AtomicU32>,
    cancel: Arc<AtomicBool>,
}

impl Ticket {
    pub fn set(&self, done: usize, total: usize) {
        let p = (done * 1000).checked_div(total).unwrap_or(1000) as u32;
        self.progress.store(p.min(1000), Ordering::Relaxed);
    }

    pub fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    /// Asks the worker holding this ticket to stop at its next checkpoint.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    /// A point where the job may stop: `Err(Cancelled)` once the user has cancelled.
    pub fn checkpoint(&self) -> Result<(), JobError> {
        if self.cancelled() {
            Err(JobError::Cancelled)
        } else {
            Ok(())
        }
    }
}

/// One running job.
pub struct Job {
    pub name: String,
    pub ticket: Ticket,
    rx: Receiver<Result<Done, JobError>>,
}

impl Job {
    pub fn progress(&self) -> f32 {
        self.ticket.progress.load(Ordering::Relaxed) as f32 / 1000.0
    }

    pub fn cancel(&self) {
        self.ticket.cancel();
    }

    pub fn is_cancelling(&self) -> bool {
        self.ticket.cancelled()
    }
}

/// The running jobs.
#[derive(Default)]
pub struct Jobs {
    pub running: Vec<Job>,
}

impl Jobs {
    /// Starts `work` on a worker thread; refuses a second job of the same name.
    pub fn spawn(
        &mut self,
        ctx: &egui::Context,
        name: &str,
        work: impl FnOnce(&Ticket) -> Result<Done, JobError> + Send + 'static,
    ) -> Result<(), String> {
        if self.running.iter().any(|j| j.name == name) {
            return Err(format!("“{name}” is already running"));
        }
        let (tx, rx) = mpsc::sync_channel(1);
        let ticket = Ticket::default();
        let worker_ticket = ticket.clone();
        let ctx = ctx.clone();
        std::thread::Builder::new()
            .name(format!("job-{name}"))
            .spawn(move || {
                let result = work(&worker_ticket);
                let _ = tx.send(result);
                ctx.request_repaint();
            })
            .map_err(|e| e.to_string())?;
        self.running.push(Job {
            name: name.to_string(),
            ticket,
            rx,
        });
        Ok(())
    }

    /// Results of the jobs that finished since the last call.
    pub fn poll(&mut self) -> Vec<(String, Result<Done, JobError>)> {
        let mut finished = Vec::new();
        self.running.retain(|job| match job.rx.try_recv() {
            Ok(result) => {
                finished.push((job.name.clone(), result));
                false
            }
            Err(TryRecvError::Empty) => true,
            Err(TryRecvError::Disconnected) => {
                finished.push((job.name.clone(), Err(JobError::Lost)));
                false
            }
        });
        finished
    }

    pub fn is_busy(&self) -> bool {
        !self.running.is_empty()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_cancelled_job_reports_cancelled_not_failure() {
        let ctx = egui::Context::default();
        let mut jobs = Jobs::default();
        jobs.spawn(&ctx, "long", |t| {
            // Works until told to stop, as a long scan would.
            while !t.cancelled() {
                std::thread::sleep(std::time::Duration::from_millis(1));
            }
            t.checkpoint()?;
            Ok(Done::Exported(PathBuf::new()))
        })
        .unwrap();
        assert!(
            jobs.spawn(&ctx, "long", |_| unreachable!()).is_err(),
            "one of a name"
        );
        assert!(!jobs.running[0].is_cancelling());
        jobs.running[0].cancel();
        assert!(jobs.running[0].is_cancelling());
        let start = std::time::Instant::now();
        loop {
            let done = jobs.poll();
            if let Some((name, result)) = done.into_iter().next() {
                assert_eq!(name, "long");
                assert_eq!(result.unwrap_err(), JobError::Cancelled);
                break;
            }
            assert!(start.elapsed().as_secs() < 10, "the job did not stop");
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        assert!(!jobs.is_busy());
    }

    #[test]
    fn progress_is_a_share() {
        let t = Ticket::default();
        t.set(1, 4);
        let job = Job {
            name: "x".into(),
            ticket: t.clone(),
            rx: mpsc::sync_channel(1).1,
        };
        assert_eq!(job.progress(), 0.25);
        t.set(9, 0);
        assert_eq!(job.progress(), 1.0);
    }
}
