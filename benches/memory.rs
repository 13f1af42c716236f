//! Peak memory (maximum resident set, from GNU time) of the real binary: `scan` of every corpus APK,
//! `batch` over the corpus with 1, 2 and 6 workers, and the hostile cases — a DEX flood, overlapping
//! central-directory entries, 100,000 DEX names (with its time, against 25,000, to show the growth
//! is linear), six floods at once, and bundles that would inflate to gigabytes.
//!
//! `cargo bench --bench memory` (needs /usr/bin/time; tests/install-deps.sh installs it).

#![allow(clippy::unwrap_used)]

#[path = "../tests/support/bombs.rs"]
mod bombs;
mod common;

use std::path::{Path, PathBuf};
use std::time::Instant;

/// Runs the binary; (peak MiB, seconds, exit code).
fn peak(args: &[&str], db: &Path) -> (u64, f64, i32) {
    let t = Instant::now();
    let (out, mib) = bombs::peak_memory(
        Path::new(env!("CARGO_BIN_EXE_app-inspector")),
        args,
        &[("APP_INSPECTOR_DB", db)],
    );
    (mib, t.elapsed().as_secs_f64(), out.status.code().unwrap_or(-1))
}

fn main() {
    let work = std::env::temp_dir().join(format!("app-inspector-membench-{}", std::process::id()));
    std::fs::create_dir_all(&work).unwrap();
    let db = work.join("cases.sqlite");
    let apks = common::corpus().join("apk");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&apks)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "apk"))
        .collect();
    files.sort();
    let mut worst = (0, String::new());
    for f in &files {
        let (mib, _, _) = peak(&["scan", "--json", f.to_str().unwrap()], &db);
        if mib > worst.0 {
            worst = (mib, f.file_name().unwrap().to_string_lossy().into_owned());
        }
    }
    println!(
        "| scan, each of the {} corpus APKs, worst | {} MiB ({}) |",
        files.len(),
        worst.0,
        worst.1
    );
    for jobs in ["1", "2", "6"] {
        let (mib, secs, _) = peak(&["batch", "--jobs", jobs, apks.to_str().unwrap()], &db);
        println!("| batch over the corpus, --jobs {jobs} | {mib} MiB ({secs:.2} s) |");
    }

    let write = |name: &str, bytes: Vec<u8>| {
        let p = work.join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    };
    let flood = write("flood.apk", bombs::dex_flood(1_200, 1 << 20));
    let (mib, _, code) = peak(&["scan", flood.to_str().unwrap()], &db);
    println!("| scan, 1,200 × 1 MiB DEX entries (refused before inflating, exit {code}) | {mib} MiB |");
    let many = write("many.apk", bombs::dex_flood(600, 1 << 20));
    let (mib, secs, code) = peak(&["scan", many.to_str().unwrap()], &db);
    println!("| scan, 600 × 1 MiB DEX entries (read, exit {code}) | {mib} MiB ({secs:.2} s) |");
    let six = work.join("six");
    std::fs::create_dir_all(&six).unwrap();
    for n in 0..6 {
        std::fs::copy(&many, six.join(format!("m{n}.apk"))).unwrap();
    }
    let (mib, secs, _) = peak(&["batch", "--jobs", "6", six.to_str().unwrap()], &db);
    println!("| batch --jobs 6 over six of those | {mib} MiB ({secs:.2} s) |");
    let overlap = write("overlap.apk", bombs::overlapping(1_000, 1 << 20));
    let (mib, _, code) = peak(&["scan", overlap.to_str().unwrap()], &db);
    println!(
        "| scan, 1,000 central-directory entries over one local entry (refused, exit {code}) | {mib} MiB |"
    );
    for n in [25_000, 100_000] {
        let mut entries = vec![(
            "AndroidManifest.xml".to_string(),
            app_inspector::sample::apk::manifest(&Default::default()),
        )];
        entries.extend((0..n).map(|i| (format!("classes{}.dex", i + 2), Vec::new())));
        let names = write("names.apk", app_inspector::sample::apk::zip(&entries));
        let (mib, secs, code) = peak(&["scan", names.to_str().unwrap()], &db);
        println!("| scan, {n} DEX names (exit {code}) | {mib} MiB, {secs:.2} s |");
    }
    let bomb = write("evidence-bomb.zip", bombs::evidence_bomb(5, 200 << 20));
    let (mib, secs, code) = peak(&["case", "import", bomb.to_str().unwrap()], &db);
    println!(
        "| case import, 5 × 200 MiB evidence in a {} KB bundle (refused, exit {code}) | {mib} MiB ({secs:.2} s) |",
        std::fs::metadata(&bomb).unwrap().len() / 1000
    );
    let bomb = write("json-bomb.zip", bombs::case_json_bomb(40 << 20));
    let (mib, _, code) = peak(&["case", "import", bomb.to_str().unwrap()], &db);
    println!("| case import, a 40 MiB case.json (refused, exit {code}) | {mib} MiB |");
    let _ = std::fs::remove_dir_all(&work);
}
