//! Checklists: one regulation each, as data in `checklists/*.toml`, loaded and validated here.
//!
//! The checklists the tool ships are compiled in, so the binary works from any folder; a checklist
//! file on disk can be loaded too (authors check their drafts with `checklist show FILE.toml`),
//! and checklists installed in the data folder (`/usr/share/app-inspector/checklists`) are found
//! by id after the built-in ones.

mod error;
mod model;
mod raw;
pub mod rules;
mod validate;

use std::path::Path;

pub use error::{ChecklistError, Diagnostic, Problem};
pub use model::*;
pub use validate::content_hash;

/// The checklists shipped with the tool: (file name as in the repository, contents).
const BUILTIN: &[(&str, &str)] = &[(
    "checklists/miit-2023-26.toml",
    include_str!("../../checklists/miit-2023-26.toml"),
)];

/// The id of the checklist used when none is named.
pub const DEFAULT_ID: &str = "miit-2023-26";

/// Parses and validates checklist text; `path` names the file in error messages.
pub fn parse(src: &str, path: &Path) -> Result<Checklist, ChecklistError> {
    validate::parse(src).map_err(|problems| ChecklistError::Invalid {
        path: path.to_path_buf(),
        problems,
    })
}

/// Loads and validates a checklist file.
pub fn load_file(path: &Path) -> Result<Checklist, ChecklistError> {
    let src = std::fs::read_to_string(path).map_err(|source| ChecklistError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    parse(&src, path)
}

/// Every shipped checklist, in a stable order. Parsed once per process (the window scores every
/// listed case against them after each change).
pub fn builtins() -> Result<Vec<Checklist>, ChecklistError> {
    static PARSED: std::sync::OnceLock<Vec<Checklist>> = std::sync::OnceLock::new();
    if let Some(all) = PARSED.get() {
        return Ok(all.clone());
    }
    let all = BUILTIN
        .iter()
        .map(|(path, src)| parse(src, Path::new(path)))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(PARSED.get_or_init(|| all).clone())
}

/// The shipped checklist with this id.
pub fn builtin(id: &str) -> Result<Checklist, ChecklistError> {
    let all = builtins()?;
    let known = all.iter().map(|c| c.id.as_str()).collect::<Vec<_>>().join(", ");
    all.into_iter()
        .find(|c| c.id == id)
        .ok_or(ChecklistError::NotFound {
            id: id.to_string(),
            known,
        })
}

/// A checklist by id, or by path when `id_or_path` names a `.toml` file. Built-in checklists
/// come first; then those installed in the data folder.
pub fn resolve(id_or_path: &str) -> Result<Checklist, ChecklistError> {
    let path = Path::new(id_or_path);
    if path.extension().is_some_and(|e| e == "toml") {
        return load_file(path);
    }
    match builtin(id_or_path) {
        Err(ChecklistError::NotFound { id, known }) => {
            let installed: Vec<Checklist> = installed().into_iter().filter_map(|(_, c)| c.ok()).collect();
            let mut names = known;
            for c in installed {
                if c.id == id {
                    return Ok(c);
                }
                names = format!("{names}, {}", c.id);
            }
            Err(ChecklistError::NotFound { id, known: names })
        }
        other => other,
    }
}

/// The checklists installed in the data folder, each with its file; a file that does not load
/// is listed with its error rather than hidden.
pub fn installed() -> Vec<(std::path::PathBuf, Result<Checklist, ChecklistError>)> {
    crate::data_dir::find()
        .map(|dir| crate::data_dir::checklist_files(&dir))
        .unwrap_or_default()
        .into_iter()
        .map(|p| {
            let c = load_file(&p);
            (p, c)
        })
        .collect()
}
