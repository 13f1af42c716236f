//! What the window remembers between runs: language, the case and test point open, and the
//! inspector's defaults. Saved as JSON beside the database on every change.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub lang: Lang,
    pub inspector: String,
    pub authority: String,
    pub contact: String,
    pub deadline_days: u32,
    pub p12_path: String,
    pub last_case: Option<String>,
    pub last_testpoint: Option<String>,
    /// Light, dark or as the system is.
    pub theme: super::theme::ThemeChoice,
    /// Text (and everything) at this size: 0.9–1.5.
    pub text_scale: f32,
    /// Where documents and spreadsheets are saved by default; the user's documents folder when
    /// not set.
    pub export_dir: Option<PathBuf>,
    /// The widths the inspector dragged the side panes to, by pane.
    pub panes: std::collections::BTreeMap<String, f32>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            lang: Lang::Zh,
            inspector: crate::case::default_actor(),
            authority: String::new(),
            contact: String::new(),
            deadline_days: 15,
            p12_path: String::new(),
            last_case: None,
            last_testpoint: None,
            theme: super::theme::ThemeChoice::System,
            text_scale: 1.0,
            export_dir: None,
            panes: std::collections::BTreeMap::new(),
        }
    }
}

impl Settings {
    /// A side pane's width: as last dragged, else `default`.
    pub fn pane(&self, name: &str, default: f32) -> f32 {
        self.panes.get(name).copied().unwrap_or(default)
    }

    /// The folder exports go to: the one chosen, else the user's documents folder (or home).
    pub fn export_folder(&self) -> PathBuf {
        self.export_dir.clone().unwrap_or_else(|| {
            directories::UserDirs::new()
                .and_then(|u| {
                    u.document_dir()
                        .map(|d| d.to_path_buf())
                        .or(Some(u.home_dir().to_path_buf()))
                })
                .unwrap_or_default()
        })
    }

    pub fn path_for(db: &Path) -> PathBuf {
        db.with_extension("ui.json")
    }

    pub fn load(db: &Path) -> Self {
        std::fs::read(Self::path_for(db))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    }

    pub fn save(&self, db: &Path) {
        if let Ok(json) = serde_json::to_vec_pretty(self) {
            // Written beside and renamed, so a crash never leaves half a file.
            let tmp = Self::path_for(db).with_extension("ui.json.tmp");
            if std::fs::write(&tmp, json).is_ok() {
                let _ = std::fs::rename(tmp, Self::path_for(db));
            }
        }
    }
}
