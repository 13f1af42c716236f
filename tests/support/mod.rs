//! Helpers shared by the integration tests: running the real binary in a temporary folder, the
//! corpus, and the APK writer.

#![allow(clippy::unwrap_used)]
#![allow(dead_code)] // each test file uses its own part of the helpers

/// The APK writer lives in the library (the first-run sample case uses it too).
#[allow(unused_imports)] // not every test file writes APKs
pub use app_inspector::sample::apk;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A fresh temporary folder and the binary to run in it.
pub struct Dir {
    tmp: tempfile::TempDir,
}

impl Dir {
    pub fn new() -> Self {
        Self {
            tmp: tempfile::tempdir().expect("temporary folder"),
        }
    }

    pub fn path(&self) -> &Path {
        self.tmp.path()
    }

    pub fn join(&self, name: &str) -> PathBuf {
        self.tmp.path().join(name)
    }

    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let p = self.join(name);
        std::fs::write(&p, contents).expect("write test file");
        p
    }

    /// Runs `app-inspector ARGS…` in this folder, with a database inside it and its data folder
    /// at `data/` here (absent unless the test makes it, so an installed package never leaks in).
    pub fn run(&self, args: &[&str]) -> Run {
        let output = Command::new(env!("CARGO_BIN_EXE_app-inspector"))
            .args(args)
            .current_dir(self.path())
            .env("APP_INSPECTOR_DB", self.join("cases.sqlite"))
            .env("APP_INSPECTOR_DATA", self.join("data"))
            .output()
            .expect("run app-inspector");
        Run { output }
    }
}

/// The result of one run.
pub struct Run {
    pub output: Output,
}

impl Run {
    pub fn code(&self) -> i32 {
        self.output.status.code().expect("exited normally")
    }

    pub fn stdout(&self) -> String {
        String::from_utf8(self.output.stdout.clone()).expect("utf-8 stdout")
    }

    pub fn stderr(&self) -> String {
        String::from_utf8(self.output.stderr.clone()).expect("utf-8 stderr")
    }

    /// Asserts success and returns stdout.
    pub fn ok(&self) -> String {
        assert_eq!(self.code(), 0, "stderr: {}", self.stderr());
        self.stdout()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.ok()).expect("valid JSON on stdout")
    }
}

/// The shared corpus of real APKs and screenshots: `$APP_INSPECTOR_CORPUS`, else `../shared/corpus`
/// beside the clone. Tests that need it fail loudly when it is missing: they never skip.
pub fn corpus() -> PathBuf {
    let dir = std::env::var_os("APP_INSPECTOR_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"));
    assert!(
        dir.join("apk").is_dir(),
        "the test corpus is missing at {} (set APP_INSPECTOR_CORPUS to its folder)",
        dir.display()
    );
    dir
}

/// Opens a case in `store` from a small corpus APK (Polite Droid) for the given subject.
pub fn politedroid_case(store: &mut app_inspector::case::Store, subject: &str) -> String {
    store
        .new_case(
            &app_inspector::case::NewCase {
                package: corpus().join("apk/androguard_com.politedroid_4.apk"),
                subject_name: subject.into(),
                subject_type: app_inspector::checklist::SubjectType::AppOperator,
                credit_code: String::new(),
                address: String::new(),
                inspectors: vec!["张三".into()],
                checklist: "miit-2023-26".into(),
            },
            "张三",
        )
        .expect("a case from the corpus APK")
}
