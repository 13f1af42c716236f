//! The command-line contract (ARCHITECTURE.md), as clap definitions.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::i18n::Lang;

/// App Inspector — 移动互联网应用服务能力检查工作台 (工信部信管函〔2023〕26号).
///
/// Without a command, opens the workbench window.
#[derive(Debug, Parser)]
#[command(name = "app-inspector", version, about, long_about = None)]
pub struct Args {
    /// The case database (else $APP_INSPECTOR_DB, else the platform data directory).
    #[arg(long, global = true, value_name = "PATH", env = "APP_INSPECTOR_DB")]
    pub db: Option<PathBuf>,
    /// Language of the output: zh (default) or en.
    #[arg(long, global = true, value_enum)]
    pub lang: Option<Lang>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Facts about an App package and the automatic findings on the checklist.
    Scan {
        /// The package (.apk; .hap and .ipa later).
        package: PathBuf,
        #[arg(long)]
        json: bool,
        /// Checklist id (default miit-2023-26).
        #[arg(long, value_name = "ID")]
        checklist: Option<String>,
    },
    /// Scan many packages (files or folders); one JSON line per package, failures included.
    Batch {
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        #[arg(long, value_name = "N")]
        jobs: Option<usize>,
        #[arg(long, value_name = "FILE.jsonl")]
        out: Option<PathBuf>,
    },
    /// The checklists the tool carries: list them, or show one in full.
    Checklist {
        #[command(subcommand)]
        command: ChecklistCommand,
    },
    /// Inspection cases: create, assess, attach evidence, score, audit, export and import.
    Case {
        #[command(subcommand)]
        command: CaseCommand,
    },
    /// Open the window with files, as the desktop entry and file managers do: a package starts
    /// a new case, a bundle (.zip) is imported, anything else is attached to the current test point.
    Open {
        #[arg(value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Issuing authorities: the profile a rectification notice's header, 文号, rights and dates come from.
    Authority {
        #[command(subcommand)]
        command: AuthorityCommand,
    },
    /// Signing certificates for notices.
    Cert {
        #[command(subcommand)]
        command: CertCommand,
    },
    /// Export the signed PDF rectification notice (or self-examination report) of a case.
    Notice {
        case: String,
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
        #[arg(long, value_enum, default_value = "rectification")]
        kind: crate::notice::Kind,
        /// 文号, e.g. 粤通管责改〔2026〕15号 (default: made from the case id).
        #[arg(long, value_name = "TEXT")]
        number: Option<String>,
        /// Days the enterprise has to rectify (1–365).
        #[arg(long, value_name = "N", default_value_t = 15,
              value_parser = clap::value_parser!(u32).range(1..=i64::from(crate::notice::issue::MAX_DEADLINE_DAYS)))]
        deadline_days: u32,
        /// The issuing authority, e.g. 广东省通信管理局.
        #[arg(long, value_name = "TEXT", env = "APP_INSPECTOR_AUTHORITY")]
        authority: Option<String>,
        /// Contact of the handling division (name, telephone, e-mail).
        #[arg(long, value_name = "TEXT", env = "APP_INSPECTOR_CONTACT")]
        contact: Option<String>,
        /// Sign with the key and certificate in this PKCS#12 file.
        #[arg(long, value_name = "FILE.p12", requires = "password_env")]
        sign: Option<PathBuf>,
        /// The environment variable that holds the PKCS#12 password.
        #[arg(long, value_name = "VAR")]
        password_env: Option<String>,
        /// Replace FILE.pdf when it exists (never a device, pipe or folder).
        #[arg(long)]
        force: bool,
    },
    /// Verify the signatures of a PDF notice.
    Verify {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ChecklistCommand {
    /// List the checklists with their versions and content hashes.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Show one checklist: every clause and test point (ID, or a path to a .toml file to validate it).
    Show {
        #[arg(value_name = "ID")]
        id: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum CaseCommand {
    /// Create a case from a package; prints the new case id.
    New {
        #[arg(long, value_name = "FILE")]
        package: PathBuf,
        #[arg(long, value_name = "TEXT", default_value = "")]
        subject_name: String,
        /// The roles the enterprise holds, repeat for several (the first is its main role):
        /// app-operator | distribution-platform | sdk-provider | terminal-maker | access-provider |
        /// website-operator
        #[arg(long, value_name = "TYPE", default_value = "app-operator")]
        subject_type: Vec<String>,
        /// 统一社会信用代码 of the subject.
        #[arg(long, value_name = "TEXT", default_value = "")]
        credit_code: String,
        #[arg(long, value_name = "TEXT", default_value = "")]
        address: String,
        /// An inspector: NAME or NAME=执法证号, e.g. 张三=粤A0001 (repeat for several; a
        /// rectification notice needs at least two with their numbers).
        #[arg(long, value_name = "TEXT")]
        inspector: Vec<String>,
        #[arg(long, value_name = "ID", default_value = "miit-2023-26")]
        checklist: String,
        /// The App's filing number (APP备案号).
        #[arg(long, value_name = "TEXT", default_value = "")]
        filing: String,
    },
    /// Record when and on what device a piece of evidence was captured (its # in `case show`),
    /// where the file does not say; audited. An empty value clears it.
    Capture {
        case: String,
        /// The evidence's number, as `case show` lists it (#3).
        link: String,
        /// 2026-11-30 10:15 (the device's clock) or 2026-11-30T10:15:00+08:00.
        #[arg(long, value_name = "TIME")]
        at: Option<String>,
        #[arg(long, value_name = "TEXT")]
        device: Option<String>,
    },
    /// Move a piece of evidence (its # in `case show`) to another test point, or with no --to
    /// unlink it from its test point; the stored file stays. Audited.
    Relink {
        case: String,
        link: String,
        #[arg(long, value_name = "TESTPOINT")]
        to: Option<String>,
    },
    /// Import a run-time behaviour log (camille's .xls/.xlsx, Frida JSON lines, our own JSON
    /// lines): the file becomes evidence, its records the case's timeline, and the run-time rules
    /// suggest on the test points they bear on. Audited; a log that cannot be read changes nothing.
    ImportLog {
        case: String,
        file: PathBuf,
        #[arg(long, value_enum, default_value = "auto")]
        format: crate::runtime::Choice,
        #[arg(long)]
        json: bool,
    },
    /// List the case's run-time behaviours (identical consecutive records folded, with a count),
    /// then the counts per actor.
    Behaviours {
        case: String,
        #[arg(long)]
        json: bool,
    },
    /// Start a re-inspection (复查) on the rectified version: a new round; the current round's
    /// judgements are kept read-only and its findings marked to re-check.
    Reinspect {
        case: String,
        #[arg(long)]
        package: PathBuf,
        /// The package has another name than the case's App: why it is the same App (audited).
        #[arg(long, value_name = "REASON")]
        force: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// What changed between two rounds' packages (by default the last two).
    Diff {
        case: String,
        #[arg(long, value_name = "ROUND")]
        from: Option<u32>,
        #[arg(long, value_name = "ROUND")]
        to: Option<u32>,
        #[arg(long)]
        json: bool,
    },
    /// Record the App's filing number (APP备案号), audited; without NUMBER, show it.
    Filing { case: String, number: Option<String> },
    /// Open the sample case (synthetic package and screenshots, clearly labelled) that the
    /// window offers on first run; prints its id.
    #[cfg(feature = "gui")]
    Sample {
        /// Re-inspect it on the sample App's rectified version: a second round, to see rounds and
        /// the comparison of two versions.
        #[arg(long)]
        reinspected: bool,
    },
    /// List the cases.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Show one case.
    Show {
        case: String,
        #[arg(long)]
        json: bool,
    },
    /// Record the status of a test point.
    Assess {
        case: String,
        testpoint: String,
        #[arg(long, value_name = "STATUS")]
        status: String,
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
    },
    /// Accept or reject the automatic suggestions on a test point.
    Review {
        case: String,
        testpoint: String,
        /// Accept: the suggested status becomes the assessment.
        #[arg(long, conflicts_with = "reject", required_unless_present = "reject")]
        accept: bool,
        /// Reject, giving the reason.
        #[arg(long, value_name = "REASON")]
        reject: Option<String>,
        /// Only this rule's suggestion.
        #[arg(long, value_name = "RULE")]
        rule: Option<String>,
    },
    /// Close a case (no more changes until it is reopened): every finding of every round must be
    /// resolved now (compliant or not applicable), or explained.
    Close {
        case: String,
        /// TESTPOINT=TEXT: why a finding not resolved is closed all the same (repeat; audited).
        #[arg(long, value_name = "TESTPOINT=TEXT")]
        explain: Vec<String>,
    },
    /// Reopen a closed or escalated case: it returns to the state it was closed from.
    Reopen { case: String },
    /// Escalate a case whose rectification notice was not complied with (audited; read-only until
    /// reopened).
    Escalate {
        case: String,
        /// The measure taken (repeat for several).
        #[arg(long, value_enum, required = true)]
        measure: Vec<crate::case::Measure>,
        /// What was not rectified, and why the matter goes further.
        #[arg(long, value_name = "TEXT")]
        reason: String,
    },
    /// Where the case stands in its life: its state, every move of it, and the findings that
    /// stand in the way of closing.
    State {
        case: String,
        #[arg(long)]
        json: bool,
    },
    /// Attach an evidence file, or the enterprise's rectification report; prints its sha256.
    Attach {
        case: String,
        file: PathBuf,
        /// The file is the enterprise's rectification report answering the notice (a PDF, Word
        /// file or scan): stored as a report of the current round, the case moves to
        /// rectification_reported.
        #[arg(long, conflicts_with = "testpoint")]
        rectification_report: bool,
        #[arg(long, value_name = "TESTPOINT")]
        testpoint: Option<String>,
        #[arg(long, value_name = "TEXT")]
        caption: Option<String>,
    },
    /// Answer the checklist's conditions for a case (which conditional test points apply); without
    /// --set, lists the conditions, the answers and the test points each decides.
    Applicability {
        case: String,
        /// CONDITION=yes|no|unanswered (repeat for several).
        #[arg(long, value_name = "CONDITION=ANSWER")]
        set: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    /// Replace the case's inspectors (audited); without --inspector, list them.
    Inspectors {
        case: String,
        /// NAME=执法证号 (repeat for each inspector, in the order the notice names them).
        #[arg(long, value_name = "NAME[=NUMBER]")]
        inspector: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    /// Record how the App was tested (device, OS, App version and channel, account, network, clean
    /// install); the options given replace those fields, the others stay. Without options, shows them.
    Conditions {
        case: String,
        /// Device make and model.
        #[arg(long, value_name = "TEXT")]
        device: Option<String>,
        /// OS and ROM version.
        #[arg(long, value_name = "TEXT")]
        os: Option<String>,
        /// The App version tested.
        #[arg(long, value_name = "TEXT")]
        app_version: Option<String>,
        /// Where the package came from (store, channel, URL).
        #[arg(long, value_name = "TEXT")]
        channel: Option<String>,
        /// The account used.
        #[arg(long, value_name = "TEXT")]
        account: Option<String>,
        /// Wi-Fi, 4G/5G, operator.
        #[arg(long, value_name = "TEXT")]
        network: Option<String>,
        /// yes | no: installed afresh (or data cleared) before first-run tests.
        #[arg(long, value_name = "yes|no")]
        clean_install: Option<String>,
        /// Anything else (date, place, tools).
        #[arg(long, value_name = "TEXT")]
        notes: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Case, section and clause scores with the arithmetic.
    Score {
        case: String,
        #[arg(long)]
        json: bool,
    },
    /// The audit log of a case; --verify re-walks its hash chain, replays it and compares the
    /// result with the database (exit 1 at the first difference).
    Log {
        case: String,
        #[arg(long)]
        verify: bool,
    },
    /// Move a case to another version of its checklist: shows what would change; --yes applies it.
    Migrate {
        case: String,
        /// The checklist version to move to, e.g. 2026.2.
        #[arg(long, value_name = "VERSION")]
        to: String,
        /// Apply the move (without it, nothing is changed).
        #[arg(long)]
        yes: bool,
        #[arg(long)]
        json: bool,
    },
    /// Export a case as a bundle (zip).
    Export {
        case: String,
        #[arg(long, value_name = "FILE.zip")]
        out: PathBuf,
        /// Replace FILE.zip when it exists (never a device, pipe or folder).
        #[arg(long)]
        force: bool,
    },
    /// Import a bundle, verifying every hash first.
    Import { file: PathBuf },
    /// The checklist of a case as a spreadsheet: one row per test point (status, note, basis,
    /// evidence, suggestions and their review), and the case's identity and score.
    Xlsx {
        case: String,
        #[arg(long, value_name = "FILE.xlsx")]
        out: PathBuf,
        /// Replace FILE.xlsx when it exists (never a device, pipe or folder).
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuthorityCommand {
    /// Add or change an authority's profile (options not given keep their value, or the default
    /// of a provincial 通信管理局 for a new one).
    Set {
        /// The authority's full name, e.g. 广东省通信管理局.
        name: String,
        /// 机关代字 of its 文号, e.g. 粤通管责改 (→ 粤通管责改〔2026〕1号).
        #[arg(long, value_name = "TEXT")]
        prefix: Option<String>,
        /// 复议机关 (default 工业和信息化部).
        #[arg(long, value_name = "BODY")]
        reconsideration: Option<String>,
        /// The court for an administrative lawsuit, as the notice names it.
        #[arg(long, value_name = "TEXT")]
        court: Option<String>,
        /// IANA time zone of its documents (default Asia/Shanghai).
        #[arg(long, value_name = "ZONE")]
        timezone: Option<String>,
        #[arg(long, value_name = "TEXT")]
        address: Option<String>,
        /// The handling division's contact: division, person, telephone, e-mail.
        #[arg(long, value_name = "TEXT")]
        contact: Option<String>,
        /// The seal image (PNG, transparent background) shown where a digitally signed notice
        /// is signed; `--seal none` removes it.
        #[arg(long, value_name = "FILE.png")]
        seal: Option<PathBuf>,
    },
    /// List the authority profiles.
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum CertCommand {
    /// Make a self-signed P-256 inspector certificate in a PKCS#12 file.
    New {
        #[arg(long, value_name = "TEXT")]
        name: String,
        #[arg(long, value_name = "TEXT")]
        org: Option<String>,
        /// Written readable by its owner only (mode 0600), never over an existing file.
        #[arg(long, value_name = "FILE.p12")]
        out: PathBuf,
        /// The environment variable that holds the password protecting the key (not empty).
        #[arg(long, value_name = "VAR")]
        password_env: String,
    },
}
