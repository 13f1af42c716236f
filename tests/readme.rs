//! README.md and README.zh-CN.md say the same, and show every command of the real command line.

#![allow(clippy::unwrap_used)] // tests may unwrap: a panic is a failure with its place

use clap::CommandFactory as _;

fn read(name: &str) -> String {
    std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(name)).unwrap()
}

/// Every subcommand path, e.g. `scan`, `case new`, `cert new`.
fn commands() -> Vec<String> {
    let root = app_inspector::cli::Args::command();
    let mut out = Vec::new();
    for c in root.get_subcommands() {
        let subs: Vec<_> = c.get_subcommands().map(|s| s.get_name().to_string()).collect();
        if subs.is_empty() {
            out.push(c.get_name().to_string());
        } else {
            out.extend(subs.into_iter().map(|s| format!("{} {s}", c.get_name())));
        }
    }
    out
}

#[test]
fn both_readmes_show_one_example_of_every_command() {
    for readme in ["README.md", "README.zh-CN.md"] {
        let text = read(readme);
        for cmd in commands() {
            if cmd == "help" || cmd.ends_with(" help") {
                continue;
            }
            let example = text.lines().any(|l| {
                let l = l.trim_start();
                // An example line: runs the command (after an optional `ID=$(` or `VAR=… `).
                (l.contains(&format!("app-inspector {cmd} ")) || l.ends_with(&format!("app-inspector {cmd}")))
                    && !l.starts_with("app-inspector [")
            });
            assert!(example, "{readme} has no example of `app-inspector {cmd}`");
        }
    }
}

#[test]
fn the_chinese_readme_has_the_same_sections_screenshots_and_examples() {
    let (en, zh) = (read("README.md"), read("README.zh-CN.md"));
    let count = |t: &str, prefix: &str| t.lines().filter(|l| l.starts_with(prefix)).count();
    assert_eq!(count(&en, "## "), count(&zh, "## "), "sections");
    assert_eq!(count(&en, "```"), count(&zh, "```"), "code blocks");
    let images = |t: &str| -> Vec<String> {
        t.match_indices("](docs/screenshots/")
            .map(|(i, _)| t.get(i + 2..).unwrap().split(')').next().unwrap().to_string())
            .collect()
    };
    assert_eq!(images(&en), images(&zh));
    assert_eq!(images(&en).len(), 8, "a screenshot of each main view");
    for img in images(&en) {
        assert!(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join(&img)
                .is_file(),
            "{img}"
        );
    }
    // Both show the notice's first page and its 送达回证, and the pictures are there.
    for img in ["docs/notice/page-1.png", "docs/notice/receipt.png"] {
        assert!(
            en.contains(&format!("]({img})")) && zh.contains(&format!("]({img})")),
            "{img}"
        );
        assert!(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join(img)
                .is_file(),
            "{img}"
        );
    }
    // The command examples are the same commands (comments aside).
    let examples = |t: &str| -> Vec<String> {
        t.lines()
            .filter(|l| l.contains("app-inspector ") && !l.trim_start().starts_with('|'))
            .filter(|l| l.starts_with("app-inspector ") || l.starts_with("ID=") || l.starts_with("P12PW="))
            .map(|l| {
                l.split("  #")
                    .next()
                    .unwrap()
                    .split("   ")
                    .next()
                    .unwrap()
                    .trim_end()
                    .to_string()
            })
            .collect()
    };
    assert_eq!(examples(&en), examples(&zh));
    // Both name the two commands.
    for t in [&en, &zh] {
        assert!(t.contains("`cargo run --release`") && t.contains("`tests/run`"));
    }
}
