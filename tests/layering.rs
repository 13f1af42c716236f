//! The shape of the code, held by a test: the library never reaches into the window or the
//! command line, and the window's views change nothing themselves — every change goes through
//! one place (`ui/app/command.rs`), where it is recorded for undo and the case is re-read.

#![allow(clippy::unwrap_used)] // tests may unwrap: a panic is a failure with its place

use std::path::Path;

fn sources(dir: &Path, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).unwrap();
            out.push((path.display().to_string().replace('\\', "/"), text));
        }
    }
}

fn all() -> Vec<(String, String)> {
    let mut out = Vec::new();
    sources(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut out);
    assert!(out.len() > 50, "the sources were found");
    out
}

#[test]
fn no_library_module_reaches_into_the_window_or_the_command_line() {
    for (path, text) in all() {
        if path.contains("/src/ui/") || path.contains("/src/cli/") || path.ends_with("/src/main.rs") {
            continue;
        }
        for face in ["crate::ui", "crate::cli", "super::ui", "super::cli"] {
            assert!(!text.contains(face), "{path} uses {face}");
        }
    }
}

#[test]
fn views_send_commands_instead_of_writing_to_the_store() {
    // The store's writing methods, as the views would call them.
    let writes = [
        "store.assess",
        "store.review",
        "store.annotate",
        "store.relink",
        "store.attach",
        "store.set_",
        "store.migrate(",
        "store.import",
        "store.export",
        "store.new_case",
        "store.record_notice",
        "store.delete",
    ];
    let mut views = 0;
    for (path, text) in all() {
        if !path.contains("/src/ui/views/") {
            continue;
        }
        views += 1;
        for w in writes {
            assert!(
                !text.contains(w),
                "{path} writes to the store ({w}); send a Command"
            );
        }
    }
    assert!(views >= 8, "the views were read");
}
