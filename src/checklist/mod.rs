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

/// Versions the tool shipped before and no longer offers for new cases, kept so that a case judged
/// against one of them can still be read, scored and printed (and a database or bundle that predates
/// checklist pinning can be pinned). When a shipped checklist file changes, its previous text
/// moves here: `tests/checklist.rs` fails if a version once shipped can no longer be found.
const HISTORY: &[(&str, &str)] = &[(
    "checklists/history/miit-2023-26-2026.1.toml",
    include_str!("../../checklists/history/miit-2023-26-2026.1.toml"),
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

/// Parses checklist text once per process, by content hash: every case pinned to a version shares
/// one parsed copy.
pub fn parse_cached(src: &str, path: &Path) -> Result<Checklist, ChecklistError> {
    let hash = content_hash(src);
    if let Some(c) = cached(&hash) {
        return Ok(c);
    }
    let c = parse(src, path)?;
    if let Ok(mut m) = cache().lock() {
        m.insert(hash, c.clone());
    }
    Ok(c)
}

fn cache() -> &'static std::sync::Mutex<std::collections::HashMap<String, Checklist>> {
    static CACHE: std::sync::OnceLock<std::sync::Mutex<std::collections::HashMap<String, Checklist>>> =
        std::sync::OnceLock::new();
    CACHE.get_or_init(Default::default)
}

/// A checklist already parsed in this process, by content hash (no text to read or hash again).
pub fn cached(hash: &str) -> Option<Checklist> {
    cache().lock().ok().and_then(|m| m.get(hash).cloned())
}

/// Every checklist this tool knows: shipped now, shipped before ([`HISTORY`]), installed in the
/// data folder. Files that do not load are left out.
pub fn known() -> Vec<Checklist> {
    let mut all = builtins().unwrap_or_default();
    all.extend(
        HISTORY
            .iter()
            .filter_map(|(path, src)| parse_cached(src, Path::new(path)).ok()),
    );
    all.extend(installed().into_iter().filter_map(|(_, c)| c.ok()));
    all
}

/// The checklist with exactly this content hash, wherever the tool knows it from.
pub fn by_hash(hash: &str) -> Option<Checklist> {
    known().into_iter().find(|c| c.content_hash == hash)
}

/// The known checklist with this id and version (a case moves to it with `case migrate`).
pub fn version(id: &str, version: &str) -> Result<Checklist, ChecklistError> {
    let all = known();
    let versions: Vec<String> = all
        .iter()
        .filter(|c| c.id == id)
        .map(|c| c.version.clone())
        .collect();
    all.into_iter()
        .find(|c| c.id == id && c.version == version)
        .ok_or_else(|| ChecklistError::NoSuchVersion {
            id: id.to_string(),
            version: version.to_string(),
            known: versions.join(", "),
        })
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
            // Read each time (an administration may replace the file), parsed once per text.
            let c = std::fs::read_to_string(&p)
                .map_err(|source| ChecklistError::Io {
                    path: p.clone(),
                    source,
                })
                .and_then(|src| parse_cached(&src, &p));
            (p, c)
        })
        .collect()
}
