//! Package analysis speed over the real corpus, against the reference tools.
//!
//! `cargo bench --bench scan` prints, for every APK of `$APP_INSPECTOR_CORPUS/apk` (default
//! `../shared/corpus/apk`): our in-process analysis (manifest, resources, every DEX class, SDK
//! matching, v1/v2/v3 verification), then the whole `app-inspector batch` process, then
//! `aapt dump badging` (manifest only) and androguard (`AnalyzeAPK`) when they are installed;
//! last, the package diff of a re-inspection (issue 16: under 100 ms beyond the scans), in
//! process and as `case diff` reads both rounds' reports from a case database.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use common::corpus;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn time<F: FnMut()>(runs: usize, mut f: F) -> Duration {
    median(
        (0..runs)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed()
            })
            .collect(),
    )
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let dir = corpus().join("apk");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("corpus {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "apk"))
        .collect();
    files.sort();
    let analysable: Vec<&PathBuf> = files
        .iter()
        .filter(|f| app_inspector::package::analyse(f).is_ok())
        .collect();
    let classes: usize = analysable
        .iter()
        .map(|f| app_inspector::package::analyse(f).map_or(0, |r| r.dex.class_count))
        .sum();
    println!(
        "corpus: {} APKs ({} analysable, {classes} DEX classes)",
        files.len(),
        analysable.len()
    );

    let ours = time(7, || {
        for f in &files {
            let _ = std::hint::black_box(app_inspector::package::analyse(f));
        }
    });
    println!(
        "app-inspector, in process, all APKs:   {}  ({} per APK)",
        ms(ours),
        ms(ours / files.len() as u32)
    );

    let exe = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/app-inspector");
    let exe = std::env::var_os("CARGO_TARGET_DIR")
        .map(|d| PathBuf::from(d).join("release/app-inspector"))
        .filter(|p| p.exists())
        .unwrap_or(exe);
    let mut batch_time = None;
    if exe.exists() {
        let out = std::env::temp_dir().join("app-inspector-bench.jsonl");
        let batch = time(5, || {
            let _ = Command::new(&exe)
                .arg("batch")
                .args(&files)
                .arg("--out")
                .arg(&out)
                .output();
        });
        println!("app-inspector batch (whole process):   {}", ms(batch));
        batch_time = Some(batch);
    } else {
        println!("app-inspector batch: build the release binary first (cargo build --release)");
    }

    if Command::new("aapt").arg("version").output().is_ok() {
        let aapt = time(5, || {
            for f in &files {
                let _ = Command::new("aapt").args(["dump", "badging"]).arg(f).output();
            }
        });
        println!("aapt dump badging, one run per APK:    {}", ms(aapt));
        if let Some(batch) = batch_time {
            println!(
                "  batch / aapt: {:.2} (target: at most 1)",
                batch.as_secs_f64() / aapt.as_secs_f64()
            );
        }
    } else {
        println!("aapt: not installed (apt-get install aapt)");
    }

    let script = "import sys,time\nfrom loguru import logger\nlogger.remove()\nfrom androguard.misc import AnalyzeAPK\nt=time.time()\nfor f in sys.argv[1:]:\n    try: AnalyzeAPK(f)\n    except Exception: pass\nprint(time.time()-t)";
    match Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(&files)
        .output()
    {
        Ok(o) if o.status.success() => {
            let secs: f64 = String::from_utf8_lossy(&o.stdout)
                .trim()
                .parse()
                .unwrap_or(f64::NAN);
            println!("androguard AnalyzeAPK, one process:    {:.1} ms", secs * 1000.0);
            println!(
                "  ratio androguard / app-inspector:     {:.0}",
                secs / ours.as_secs_f64()
            );
        }
        _ => println!("androguard: not installed (pip install androguard)"),
    }

    diff(&analysable);
}

/// The re-inspection's package diff between the two largest analysable packages: the pure
/// comparison, and `Store::diff` (both reports read from the case database, then compared).
fn diff(analysable: &[&PathBuf]) {
    let mut by_size: Vec<&&PathBuf> = analysable.iter().collect();
    by_size.sort_by_key(|p| std::fs::metadata(p).map_or(0, |m| m.len()));
    let (Some(a), Some(b)) = (by_size.pop(), by_size.pop()) else {
        return;
    };
    let (Ok(before), Ok(after)) = (
        app_inspector::package::analyse(a),
        app_inspector::package::analyse(b),
    ) else {
        return;
    };
    let pure = time(101, || {
        std::hint::black_box(app_inspector::package::diff::PackageDiff::between(
            &before, &after,
        ));
    });
    let tmp = tempfile::tempdir().expect("temporary folder");
    let mut store = app_inspector::case::Store::open(&tmp.path().join("bench.sqlite")).expect("open");
    let new = app_inspector::case::NewCase {
        package: (*a).clone(),
        subject_name: "基准测试".into(),
        roles: vec![app_inspector::checklist::SubjectType::AppOperator],
        credit_code: String::new(),
        filing: String::new(),
        address: String::new(),
        inspectors: Vec::new(),
        checklist: app_inspector::checklist::DEFAULT_ID.into(),
    };
    let id = store.new_case(&new, "bench").expect("case");
    store
        .reinspect(&id, b, Some("bench: two different Apps"), "bench")
        .expect("reinspect");
    let stored = time(31, || {
        std::hint::black_box(store.diff(&id, None, None).expect("diff"));
    });
    println!(
        "package diff ({} → {}): {:.0} µs in process, {} with both reports read from the case (target < 100 ms)",
        a.file_name().unwrap_or_default().to_string_lossy(),
        b.file_name().unwrap_or_default().to_string_lossy(),
        pure.as_secs_f64() * 1e6,
        ms(stored)
    );
}
