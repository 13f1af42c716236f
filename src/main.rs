//! The `app-inspector` binary: everything lives in the library.

fn main() -> std::process::ExitCode {
    app_inspector::cli::main()
}
