//! Helpers shared by the integration tests: running the real binary in a temporary folder, the
//! corpus, and the APK writer.

#![allow(clippy::unwrap_used)]
#![allow(dead_code)] // each test file uses its own part of the helpers

pub mod bombs;
pub mod mutate;

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

impl Dir {
    /// `case new` from the corpus's Polite Droid for 某某科技有限公司, with `extra` arguments;
    /// the new case's id.
    pub fn politedroid_case(&self, extra: &[&str]) -> String {
        let apk = corpus().join("apk/androguard_com.politedroid_4.apk");
        let mut args = vec![
            "case",
            "new",
            "--package",
            apk.to_str().unwrap(),
            "--subject-name",
            "某某科技有限公司",
        ];
        args.extend_from_slice(extra);
        self.run(&args).ok().trim().to_string()
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
                roles: vec![app_inspector::checklist::SubjectType::AppOperator],
                credit_code: String::new(),
                address: String::new(),
                inspectors: vec!["张三".into()],
                checklist: "miit-2023-26".into(),
                filing: String::new(),
            },
            "张三",
        )
        .expect("a case from the corpus APK")
}

/// Rewrites a case bundle as a forger would: `edit` changes `case.json` (as JSON) and the audit
/// entries, then the hash chain is recomputed and MANIFEST.sha256 written anew, so that every
/// hash in the result agrees — only what the bundle *says* is wrong.
pub fn forge_bundle(
    src: &Path,
    dst: &Path,
    edit: impl FnOnce(
        &mut serde_json::Value,
        &mut Vec<app_inspector::case::audit::AuditEntry>,
        &mut Vec<(String, Vec<u8>)>,
    ),
) {
    use app_inspector::case::audit;
    use std::io::{Read as _, Write as _};
    let mut zin = zip::ZipArchive::new(std::fs::File::open(src).unwrap()).unwrap();
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..zin.len() {
        let mut e = zin.by_index(i).unwrap();
        let name = e.name().unwrap().to_string();
        let mut data = Vec::new();
        e.read_to_end(&mut data).unwrap();
        if name != "MANIFEST.sha256" {
            files.push((name, data));
        }
    }
    let get =
        |files: &Vec<(String, Vec<u8>)>, n: &str| files.iter().find(|(name, _)| name == n).unwrap().1.clone();
    let mut case: serde_json::Value = serde_json::from_slice(&get(&files, "case.json")).unwrap();
    let mut entries: Vec<audit::AuditEntry> = String::from_utf8(get(&files, "audit.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    edit(&mut case, &mut entries, &mut files);
    let mut prev = audit::GENESIS.to_string();
    for (i, e) in entries.iter_mut().enumerate() {
        e.seq = i as i64 + 1;
        e.prev_hash = prev.clone();
        e.hash = audit::entry_hash(
            &e.prev_hash,
            e.seq,
            &e.case_id,
            &e.at,
            &e.actor,
            &e.action,
            &e.payload,
        );
        prev = e.hash.clone();
    }
    let trail: String = entries
        .iter()
        .map(|e| serde_json::to_string(e).unwrap() + "\n")
        .collect();
    for (name, data) in files.iter_mut() {
        if name == "case.json" {
            *data = serde_json::to_vec_pretty(&case).unwrap();
        } else if name == "audit.jsonl" {
            *data = trail.clone().into_bytes();
        }
    }
    let mut zout = zip::ZipWriter::new(std::fs::File::create(dst).unwrap());
    let opts = zip::write::SimpleFileOptions::default();
    let mut manifest = String::new();
    for (name, data) in &files {
        zout.start_file(name.as_str(), opts).unwrap();
        zout.write_all(data).unwrap();
        manifest += &format!("{}  {name}\n", app_inspector::case::sha256_hex(data));
    }
    zout.start_file("MANIFEST.sha256", opts).unwrap();
    zout.write_all(manifest.as_bytes()).unwrap();
    zout.finish().unwrap();
}
