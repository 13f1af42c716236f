//! The command line: argument parsing and the glue from each command to the library.
//! `main` calls [`run`], which is the only place that picks an exit code.

mod args;
mod authority_cmd;
mod case_cmd;
mod checklist_cmd;
mod notice_cmd;
mod scan_cmd;
mod verify_cmd;
mod version;
mod wrap;

use std::process::ExitCode;

use clap::{CommandFactory as _, FromArgMatches as _};

pub use args::{Args, Command};

/// Exit code for bad input or usage (clap uses the same for its own errors).
pub const EXIT_BAD_INPUT: u8 = 2;
/// Exit code for a check that ran and found a problem.
pub const EXIT_PROBLEM: u8 = 1;

/// Parses the process arguments and runs the command. Errors are printed here, once.
pub fn main() -> ExitCode {
    let mut command = Args::command();
    // Loading the checklists for `--version` costs a few milliseconds: only when asked.
    if std::env::args_os().any(|a| a == "--version") {
        command = command.long_version(version::long_version());
    }
    let args = match Args::from_arg_matches(&command.get_matches()) {
        Ok(args) => args,
        Err(e) => e.exit(),
    };
    match run(args) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("app-inspector: {err:#}");
            ExitCode::from(EXIT_BAD_INPUT)
        }
    }
}

/// Runs one invocation.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let lang = args.lang.unwrap_or_default();
    match args.command {
        #[cfg(feature = "gui")]
        None => {
            crate::ui::run(case_cmd::db_path(args.db.as_deref()), args.lang, Vec::new())?;
            Ok(ExitCode::SUCCESS)
        }
        #[cfg(feature = "gui")]
        Some(Command::Open { files }) => {
            crate::ui::run(case_cmd::db_path(args.db.as_deref()), args.lang, files)?;
            Ok(ExitCode::SUCCESS)
        }
        #[cfg(not(feature = "gui"))]
        None | Some(Command::Open { .. }) => anyhow::bail!(
            "this build has no window (built without the `gui` feature); see `app-inspector --help`"
        ),
        Some(Command::Checklist { command }) => checklist_cmd::run(command, lang),
        Some(Command::Scan {
            package,
            json,
            checklist,
        }) => scan_cmd::scan(&package, json, checklist.as_deref(), lang),
        Some(Command::Batch { paths, jobs, out }) => scan_cmd::batch(&paths, jobs, out.as_deref()),
        Some(Command::Case { command }) => case_cmd::run(command, args.db.as_deref(), lang),
        Some(Command::Notice {
            case,
            out,
            kind,
            number,
            deadline_days,
            authority,
            contact,
            sign,
            password_env,
            force,
        }) => notice_cmd::run(
            notice_cmd::NoticeArgs {
                case,
                out,
                kind,
                number,
                deadline_days,
                authority,
                contact,
                sign,
                password_env,
                force,
            },
            args.db.as_deref(),
            lang,
        ),
        Some(Command::Verify { file, json }) => verify_cmd::verify(&file, json, lang),
        Some(Command::Authority { command }) => authority_cmd::run(command, args.db.as_deref(), lang),
        Some(Command::Cert {
            command:
                args::CertCommand::New {
                    name,
                    org,
                    out,
                    password_env,
                },
        }) => verify_cmd::cert_new(&name, org.as_deref(), &out, &password_env),
    }
}
