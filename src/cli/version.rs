//! `app-inspector --version`: the version, and exactly which checklists this binary judges
//! against (built in and installed), with their content hashes, so a notice can be traced to
//! the checklist text behind it.

use crate::checklist;

/// The text after "app-inspector " for `--version`.
pub fn long_version() -> String {
    let mut out = format!("{}\n", env!("CARGO_PKG_VERSION"));
    let builtins = checklist::builtins().unwrap_or_default();
    out.push_str("checklists built in:\n");
    for c in &builtins {
        out.push_str(&format!(
            "  {}  v{}  sha256 {}\n",
            c.id, c.version, c.content_hash
        ));
    }
    match crate::data_dir::find() {
        None => out.push_str("data folder: none found (everything needed is built in)\n"),
        Some(dir) => {
            out.push_str(&format!("data folder: {}\n", dir.display()));
            let installed = checklist::installed();
            if !installed.is_empty() {
                out.push_str("checklists installed there:\n");
            }
            for (path, c) in installed {
                let line = match c {
                    Ok(c) => {
                        let note = match builtins.iter().find(|b| b.id == c.id) {
                            Some(b) if b.content_hash == c.content_hash => "same as built in",
                            Some(_) => "differs from the built-in one, which is used",
                            None => "used by id",
                        };
                        format!(
                            "  {}  v{}  sha256 {}  {} ({note})",
                            c.id,
                            c.version,
                            c.content_hash,
                            path.display()
                        )
                    }
                    Err(e) => format!("  {}: cannot be used: {e}", path.display()),
                };
                out.push_str(&line);
                out.push('\n');
            }
        }
    }
    out.push_str(&format!(
        "case database (default): {}",
        crate::case::default_path().display()
    ));
    out
}
