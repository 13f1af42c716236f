//! What the benchmarks share: the corpus, and a case opened from a real APK.

#![allow(dead_code)] // each benchmark uses its own part

use std::path::{Path, PathBuf};

use app_inspector::case::{NewCase, Store};
use app_inspector::checklist::SubjectType;

/// The shared corpus: `$APP_INSPECTOR_CORPUS`, else `../shared/corpus` beside the clone.
pub fn corpus() -> PathBuf {
    std::env::var_os("APP_INSPECTOR_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"))
}

/// A new case from the corpus's Bugly hot-fix demo (SDKs, hot update, many findings).
pub fn bugly_case(store: &mut Store, subject: &str) -> String {
    store
        .new_case(
            &NewCase {
                package: corpus().join("apk/bugly_hotfix_demo-release.apk"),
                subject_name: subject.into(),
                roles: vec![SubjectType::AppOperator],
                credit_code: String::new(),
                address: String::new(),
                inspectors: vec!["bench".into()],
                checklist: "miit-2023-26".into(),
                filing: String::new(),
            },
            "bench",
        )
        .expect("a case from the corpus APK")
}
