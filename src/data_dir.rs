//! The installed data folder (`/usr/share/app-inspector` from the Debian package): the
//! checklists as files an administration can read and add to, the SDK catalogue, the font and
//! their licences. The binary does not need it — what it ships is compiled in — but finds it
//! so that checklists installed there can be used and compared with the built-in ones.

use std::path::{Path, PathBuf};

/// Where packages install the data folder.
pub const SYSTEM: &str = "/usr/share/app-inspector";

/// The data folder: `$APP_INSPECTOR_DATA`, else `../share/app-inspector` beside the executable
/// (`/usr/bin` → `/usr/share`, the Windows installer's `bin\` → `share\`), else a macOS
/// bundle's `Contents/Resources`, else [`SYSTEM`] — the first that exists.
pub fn find() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("APP_INSPECTOR_DATA") {
        let dir = PathBuf::from(dir);
        return dir.is_dir().then_some(dir);
    }
    let bin = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(Path::to_path_buf));
    let beside_exe = bin.iter().flat_map(|bin| {
        [
            bin.join("../share/app-inspector"),
            // A macOS bundle keeps its resources apart; only one with checklists counts.
            bin.join("../Resources"),
        ]
    });
    beside_exe
        .chain(std::iter::once(PathBuf::from(SYSTEM)))
        .find(|d| d.is_dir() && (!d.ends_with("Resources") || d.join("checklists").is_dir()))
        .map(|d| d.canonicalize().unwrap_or(d))
}

/// The checklist files in the data folder's `checklists/`, sorted by name.
pub fn checklist_files(data: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(data.join("checklists")) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
}
