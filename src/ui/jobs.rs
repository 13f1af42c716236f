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
    Imported(String),
    Exported(PathBuf),
    NoticeWritten {
        path: PathBuf,
        verdict: String,
    },
    Thumbnails(Vec<(String, Option<egui::ColorImage>)>),
    /// A full-size evidence image, decoded for the viewer.
    FullImage {
        link: i64,
        sha256: String,
        image: egui::ColorImage,
    },
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
}

/// One running job.
pub struct Job {
    pub name: String,
    pub ticket: Ticket,
    rx: Receiver<Result<Done, String>>,
}

impl Job {
    pub fn progress(&self) -> f32 {
        self.ticket.progress.load(Ordering::Relaxed) as f32 / 1000.0
    }

    pub fn cancel(&self) {
        self.ticket.cancel.store(true, Ordering::Relaxed);
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
        work: impl FnOnce(&Ticket) -> Result<Done, String> + Send + 'static,
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
    pub fn poll(&mut self) -> Vec<(String, Result<Done, String>)> {
        let mut finished = Vec::new();
        self.running.retain(|job| match job.rx.try_recv() {
            Ok(result) => {
                finished.push((job.name.clone(), result));
                false
            }
            Err(TryRecvError::Empty) => true,
            Err(TryRecvError::Disconnected) => {
                finished.push((job.name.clone(), Err("the job stopped unexpectedly".into())));
                false
            }
        });
        finished
    }

    pub fn is_busy(&self) -> bool {
        !self.running.is_empty()
    }
}
