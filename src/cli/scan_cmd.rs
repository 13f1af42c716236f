//! `scan` and `batch`: package facts and automatic findings, for one package or many.

use std::io::{IsTerminal as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};

use serde::Serialize;

use super::wrap::wrap;
use crate::checklist::{self, Checklist};
use crate::i18n::Lang;
use crate::package::{self, PackageReport};
use crate::prefill::{self, Finding};

/// What `scan --json` prints: the facts, the checklist judged against, the findings.
#[derive(Serialize)]
pub struct ScanOutput<'a> {
    #[serde(flatten)]
    pub report: &'a PackageReport,
    pub checklist: ChecklistRef<'a>,
    pub findings: Vec<Finding>,
}

#[derive(Serialize)]
pub struct ChecklistRef<'a> {
    pub id: &'a str,
    pub content_hash: &'a str,
}

fn output<'a>(report: &'a PackageReport, checklist: &'a Checklist) -> ScanOutput<'a> {
    ScanOutput {
        report,
        checklist: ChecklistRef {
            id: &checklist.id,
            content_hash: &checklist.content_hash,
        },
        findings: prefill::findings(report, checklist, prefill::PACKAGE_ROLES),
    }
}

pub fn scan(path: &Path, json: bool, checklist_id: Option<&str>, lang: Lang) -> anyhow::Result<ExitCode> {
    let checklist = checklist::resolve(checklist_id.unwrap_or(checklist::DEFAULT_ID))?;
    let report = package::analyse(path)?;
    let out = output(&report, &checklist);
    let mut stdout = std::io::stdout().lock();
    if json {
        serde_json::to_writer_pretty(&mut stdout, &out)?;
        writeln!(stdout)?;
    } else {
        stdout.write_all(render(&out, &checklist, lang).as_bytes())?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The memory a batch's scans share, whatever the number of workers (see `package::batch`).
const BATCH_MEMORY: u64 = 896 << 20;

pub fn batch(paths: &[PathBuf], jobs: Option<usize>, out: Option<&Path>) -> anyhow::Result<ExitCode> {
    let checklist = Arc::new(checklist::resolve(checklist::DEFAULT_ID)?);
    let found = package::batch::collect(paths);
    let (mut files, mut problems) = (Vec::new(), Vec::new());
    for f in found {
        match f {
            package::batch::Found::Package(p) => files.push(p),
            package::batch::Found::Problem { path, why } => problems.push((path, why)),
        }
    }
    let files: Arc<Vec<PathBuf>> = Arc::new(files);
    let total = files.len() + problems.len();
    let jobs = jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()))
        .clamp(1, 64)
        .min(files.len().max(1));
    let mut sink: Box<dyn std::io::Write> = match out {
        Some(p) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(p).map_err(|e| anyhow::anyhow!("cannot create {}: {e}", p.display()))?,
        )),
        None => Box::new(std::io::stdout().lock()),
    };
    let progress = std::io::stderr().is_terminal();
    let next = Arc::new(AtomicUsize::new(0));
    let budget = Arc::new(package::batch::MemoryBudget::new(BATCH_MEMORY));
    // Bounded: a slow writer holds the workers back instead of piling reports up in memory.
    let (tx, rx) = mpsc::sync_channel::<(PathBuf, String, bool)>(jobs * 2);
    // What could not be searched or read is reported first, as a line each.
    let (mut done, mut failed) = (0usize, 0usize);
    for (path, why) in problems {
        writeln!(
            sink,
            "{}",
            serde_json::json!({"path": path.display().to_string(), "error": why})
        )?;
        done += 1;
        failed += 1;
    }
    let mut workers = Vec::new();
    for n in 0..jobs {
        let (files, next, tx, checklist, budget) = (
            files.clone(),
            next.clone(),
            tx.clone(),
            checklist.clone(),
            budget.clone(),
        );
        workers.push(
            std::thread::Builder::new()
                .name(format!("batch-{n}"))
                .spawn(move || {
                    while let Some(path) = files.get(next.fetch_add(1, Ordering::Relaxed)) {
                        let size = std::fs::metadata(path).map_or(0, |m| m.len());
                        let reserved = budget.reserve(package::batch::MemoryBudget::need(size));
                        let (line, ok) = match package::analyse(path) {
                            Ok(report) => {
                                let value = serde_json::json!({
                                    "path": path.display().to_string(),
                                    "result": output(&report, &checklist),
                                });
                                (value.to_string(), true)
                            }
                            Err(e) => (
                                serde_json::json!({
                                    "path": path.display().to_string(),
                                    "error": crate::explain::explain(&e),
                                })
                                .to_string(),
                                false,
                            ),
                        };
                        drop(reserved);
                        if tx.send((path.clone(), line, ok)).is_err() {
                            break;
                        }
                    }
                })?,
        );
    }
    drop(tx);
    for (path, line, ok) in rx {
        writeln!(sink, "{line}")?;
        done += 1;
        failed += usize::from(!ok);
        if progress {
            let width = 30;
            let filled = done * width / total.max(1);
            eprint!(
                "\r[{}{}] {done}/{total} {}\x1b[K",
                "#".repeat(filled),
                ".".repeat(width - filled),
                path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default()
            );
        }
    }
    sink.flush()?;
    for w in workers {
        let _ = w.join();
    }
    if progress {
        eprintln!();
    }
    eprintln!("app-inspector: {done} packages scanned, {failed} could not be analysed");
    Ok(if failed > 0 {
        ExitCode::from(super::EXIT_BAD_INPUT)
    } else {
        ExitCode::SUCCESS
    })
}

fn field(lang: Lang, label: &str, value: &str) -> String {
    format!("{label}{}{value}", lang.pick("：", ": "))
}

/// The scan as a person reads it in a terminal.
pub fn render(out: &ScanOutput<'_>, checklist: &Checklist, lang: Lang) -> String {
    let r = out.report;
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let yes = |b: bool| if b { "✔" } else { "✘" };
    let mut s = String::new();
    let mut line = |label: &str, value: String| s.push_str(&wrap(&field(lang, label, &value), "", 100));
    line(
        l("文件", "File"),
        format!(
            "{} ({} bytes, SHA-256 {})",
            r.file.name, r.file.size, r.file.sha256
        ),
    );
    line(
        l("应用", "App"),
        format!(
            "{}{}  {}  {} {} ({})  minSdk {}  targetSdk {}",
            r.label,
            r.label_zh.as_ref().map(|z| format!(" / {z}")).unwrap_or_default(),
            r.package,
            l("版本", "version"),
            r.version_name.as_deref().unwrap_or("?"),
            r.version_code.map_or("?".into(), |v| v.to_string()),
            r.min_sdk.map_or("?".into(), |v| v.to_string()),
            r.target_sdk.map_or("?".into(), |v| v.to_string()),
        ),
    );
    let sg = &r.signing;
    line(
        l("签名", "Signing"),
        format!(
            "v1 {} v2 {} v3 {} v3.1 {} — {}{}",
            yes(sg.v1),
            yes(sg.v2),
            yes(sg.v3),
            yes(sg.v31),
            if sg.verified {
                l("校验通过", "verified")
            } else {
                l("校验未通过", "NOT verified")
            },
            sg.schemes
                .iter()
                .filter_map(|x| x.problem.as_ref().map(|p| format!(" ({} {p})", x.scheme)))
                .collect::<String>()
        ),
    );
    for c in &sg.certificates {
        line(
            l("证书", "Certificate"),
            format!(
                "{} [{}] SHA-256 {} {}–{} {}{}",
                c.subject,
                c.schemes.join(","),
                c.sha256,
                c.not_before.get(..10).unwrap_or(""),
                c.not_after.get(..10).unwrap_or(""),
                c.key,
                if c.debug { l(" 调试证书", " DEBUG") } else { "" }
            ),
        );
    }
    for n in &sg.notes {
        line(l("签名提示", "Signing note"), n.clone());
    }
    let dangerous: Vec<String> = r
        .permissions
        .iter()
        .filter(|p| p.protection == "dangerous")
        .map(|p| match (lang, &p.name_zh) {
            (Lang::Zh, Some(zh)) => format!("{}（{zh}）", p.name.rsplit('.').next().unwrap_or(&p.name)),
            _ => p.name.rsplit('.').next().unwrap_or(&p.name).to_string(),
        })
        .collect();
    line(
        l("权限", "Permissions"),
        format!(
            "{} {}, {} {}: {}",
            r.permissions.len(),
            l("项", "in all"),
            dangerous.len(),
            l("项危险权限", "dangerous"),
            dangerous.join(", ")
        ),
    );
    if !r.auto_start.is_empty() {
        let items: Vec<String> = r.auto_start.iter().map(|a| a.component.clone()).collect();
        line(l("自启动", "Auto-start"), items.join(", "));
    }
    let sdk_names = |list: &[crate::package::report::SdkMatch]| -> String {
        list.iter().map(|m| m.name.clone()).collect::<Vec<_>>().join(", ")
    };
    let found = if r.sdks.is_empty() {
        l("未识别出", "none recognised").to_string()
    } else {
        sdk_names(&r.sdks)
    };
    line(
        "SDK",
        format!("{found} ({} {})", r.dex.class_count, l("个类", "classes")),
    );
    if !r.hot_update.is_empty() {
        line(l("热更新", "Hot update"), sdk_names(&r.hot_update));
    }
    if !r.unnamed_code.is_empty() {
        // The largest few: the rest are in --json.
        let top: Vec<String> = r
            .unnamed_code
            .iter()
            .take(5)
            .map(|c| format!("{} ({})", c.package, c.classes))
            .collect();
        let more = r.unnamed_code.len().saturating_sub(top.len());
        line(
            l("未识别代码", "Unnamed code"),
            if more > 0 {
                format!("{}, +{more}", top.join(", "))
            } else {
                top.join(", ")
            },
        );
    }
    for w in &r.warnings {
        line(l("警告", "Warning"), w.clone());
    }
    s.push_str(&format!(
        "\n{} ({} {}, {}):\n",
        l("自动预填结果", "Automatic findings"),
        checklist.id,
        crate::i18n::prefix(&checklist.content_hash, 12),
        out.findings.len()
    ));
    // One rule says the same thing on every test point it prefills: print it once.
    let mut groups: Vec<(&Finding, Vec<&str>)> = Vec::new();
    for f in &out.findings {
        match groups.iter_mut().find(|(g, _)| {
            g.rule == f.rule && g.suggested_status == f.suggested_status && g.evidence == f.evidence
        }) {
            Some((_, points)) => points.push(&f.testpoint),
            None => groups.push((f, vec![&f.testpoint])),
        }
    }
    for (f, points) in groups {
        s.push_str(&format!(
            "  [{}] {}  → {}\n",
            f.suggested_status.label().get(lang),
            f.rule,
            points.join(", ")
        ));
        s.push_str(&wrap(f.evidence.get(lang), "      ", 100));
    }
    s
}
