//! Reading a behaviour log: camille's spreadsheet (.xls as xlwt writes it, or .xlsx), or JSON —
//! Frida `send` payloads one per line (camille's and AppScan's hook scripts), camille's JSON
//! export (one array), or our own JSON-lines schema; our own CSV schema is read in `csv_log`
//! (README, "Behaviour logs").
//!
//! The bytes are hostile: the format is told by its first bytes, every record is bounded, a
//! spreadsheet must have the columns camille writes, a JSON line must be whole. Any problem refuses
//! the whole file with the place and what to do — a log is never half read.

use std::borrow::Cow;
use std::io::Cursor;
use std::sync::Arc;

use calamine::Reader as _;
use serde::Deserialize;
use serde_json::value::RawValue;
use sha2::{Digest as _, Sha256};

use super::{MAX_RECORDS, MAX_STACK, Phase, Record};

/// The format a log is read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// camille's Excel export.
    Camille,
    /// JSON: Frida payloads as lines, camille's JSON export, or our own lines.
    FridaJsonl,
    /// Our own CSV schema.
    Csv,
}

impl Format {
    pub fn keyword(self) -> &'static str {
        match self {
            Format::Camille => "camille",
            Format::FridaJsonl => "frida-jsonl",
            Format::Csv => "csv",
        }
    }

    pub fn from_keyword(s: &str) -> Option<Self> {
        [Format::Camille, Format::FridaJsonl, Format::Csv]
            .into_iter()
            .find(|f| f.keyword() == s)
    }

    /// Asking for exactly this format.
    pub fn choice(self) -> Choice {
        match self {
            Format::Camille => Choice::Camille,
            Format::FridaJsonl => Choice::FridaJsonl,
            Format::Csv => Choice::Csv,
        }
    }
}

/// The format asked for on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Choice {
    /// Told by the file's first bytes.
    #[default]
    Auto,
    Camille,
    FridaJsonl,
    Csv,
}

/// A log read: its format, the package it says it was recorded on (when it says), its records.
#[derive(Debug)]
pub struct Read {
    pub format: Format,
    pub package: Option<String>,
    pub records: Vec<Record>,
    /// Lines of other kinds the tools also write (network captures, the tool's own messages),
    /// left out of the behaviours.
    pub skipped: usize,
    /// The SHA-256 of what was read: every record as the file states it and every consent line.
    /// Recorded when a log is imported and checked when a bundle's copy is read again.
    pub digest: String,
}

/// What reading a log found besides its records (which went to the caller one by one).
#[derive(Debug)]
pub struct Meta {
    pub format: Format,
    pub package: Option<String>,
    pub records: usize,
    pub skipped: usize,
    pub digest: String,
}

/// Why a log was not read. Nothing is imported when any of these happens.
#[derive(Debug, thiserror::Error)]
pub enum LogError {
    #[error(
        "{name} is neither a camille spreadsheet (.xls, .xlsx), JSON lines nor our CSV (a header naming time and action); if it is one of them, give --format camille, frida-jsonl or csv; to keep another file as evidence, attach it instead (`case attach`, or the Evidence view)"
    )]
    UnknownFormat { name: String },
    #[error(
        "{name} cannot be read as a spreadsheet ({why}); it may be damaged or cut short: export it again from the tool that recorded it"
    )]
    Spreadsheet { name: String, why: String },
    #[error(
        "{name} is not a camille export: its first row lacks the column{plural} {missing} (it has: {found}); to keep another spreadsheet as evidence, attach it instead (`case attach`, or the Evidence view)",
        plural = if missing.contains('、') { "s" } else { "" }
    )]
    Columns {
        name: String,
        missing: String,
        found: String,
    },
    #[error("{name}, line {line}: {why}")]
    Line { name: String, line: usize, why: String },
    #[error(
        "{name}, record {record}: its stack is {size} bytes, more than a behaviour log's {max} per record; the file is damaged or is not a behaviour log",
        max = MAX_STACK
    )]
    StackTooLong {
        name: String,
        record: usize,
        size: usize,
    },
    #[error("{name} holds more than {MAX_RECORDS} records; split the recording")]
    TooMany { name: String },
    #[error("{name} holds no behaviour records")]
    Empty { name: String },
}

/// Reads a log whole.
pub fn read(bytes: &[u8], name: &str, choice: Choice) -> Result<Read, LogError> {
    let mut records = Vec::new();
    let meta = read_with(bytes, name, choice, &mut |r| records.push(r))?;
    Ok(Read {
        format: meta.format,
        package: meta.package,
        records,
        skipped: meta.skipped,
        digest: meta.digest,
    })
}

/// Reads a log, handing each record to `sink` as it is read (a long log is never held as records
/// and as behaviours at once).
pub fn read_with(
    bytes: &[u8],
    name: &str,
    choice: Choice,
    sink: &mut dyn FnMut(Record),
) -> Result<Meta, LogError> {
    let format = format_of(bytes, choice).ok_or_else(|| LogError::UnknownFormat { name: name.into() })?;
    let meta = match format {
        Format::Camille => camille(bytes, name, sink)?,
        Format::FridaJsonl => json(bytes, name, sink)?,
        Format::Csv => super::csv_log::read(bytes, name, sink)?,
    };
    if meta.records == 0 {
        return Err(LogError::Empty { name: name.into() });
    }
    Ok(meta)
}

/// The format a log will be read as: the one asked for, or the one its first bytes tell.
pub fn format_of(bytes: &[u8], choice: Choice) -> Option<Format> {
    match choice {
        Choice::Camille => Some(Format::Camille),
        Choice::FridaJsonl => Some(Format::FridaJsonl),
        Choice::Csv => Some(Format::Csv),
        Choice::Auto => sniff(bytes),
    }
}

/// Whether a file's first bytes are the header of our CSV schema (the window routes a dropped
/// CSV by it: a log to import, or a table to attach).
pub fn is_behaviour_csv(head: &[u8]) -> bool {
    super::csv_log::looks_like(head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head))
}

/// Hashes what a log states, field by field, each with its length.
pub(super) struct Digest(pub(super) Sha256);

impl Digest {
    pub(super) fn fields(&mut self, fields: &[&str]) {
        for f in fields {
            self.0.update((f.len() as u64).to_le_bytes());
            self.0.update(f.as_bytes());
        }
    }

    pub(super) fn record(&mut self, r: &Record) {
        self.fields(&[
            &r.time,
            r.phase.keyword(),
            &r.action,
            &r.detail,
            &r.arg,
            &r.stack,
            &r.by_tool,
        ]);
    }

    pub(super) fn finish(self) -> String {
        self.0.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }
}

fn sniff(bytes: &[u8]) -> Option<Format> {
    const OLE: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    if bytes.starts_with(OLE) || bytes.starts_with(b"PK\x03\x04") {
        return Some(Format::Camille);
    }
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match text.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{') | Some(b'[') => Some(Format::FridaJsonl),
        _ if super::csv_log::looks_like(text) => Some(Format::Csv),
        _ => None,
    }
}

/// A stack as one frame per line: camille writes "   frame\r\n" per frame, Frida scripts a string
/// with newlines or an array of frames.
fn frames(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(line);
    }
    out
}

/// camille's 隐私政策状态.
pub(super) fn phase_of(text: &str) -> Phase {
    let t = text.trim();
    if t.contains("撤回") || t.eq_ignore_ascii_case("after-withdrawal") {
        Phase::AfterWithdrawal
    } else if t.contains("前") || t.eq_ignore_ascii_case("before-consent") {
        Phase::BeforeConsent
    } else if t.contains("后") || t.eq_ignore_ascii_case("after-consent") {
        Phase::AfterConsent
    } else {
        Phase::Unknown
    }
}

/// A time as written, normalised where it can be read; kept as written where not.
pub(super) fn time_text(s: &str) -> String {
    match super::parse_time(s) {
        Some(t) => {
            let text = t.format("%Y-%m-%d %H:%M:%S%.3f").to_string();
            text.strip_suffix(".000").map(str::to_string).unwrap_or(text)
        }
        None => s.trim().to_string(),
    }
}

/// A Frida time given as a number: milliseconds (or seconds) since 1970, shown on China Standard
/// Time, where the phones under test are set.
fn epoch_text(n: f64) -> String {
    let ms = if n > 1e11 { n } else { n * 1000.0 };
    chrono::DateTime::from_timestamp_millis(ms as i64)
        .map(|t| {
            time_text(
                &t.with_timezone(&chrono_tz::Asia::Shanghai)
                    .naive_local()
                    .to_string(),
            )
        })
        .unwrap_or_else(|| n.to_string())
}

/// Shares the texts that repeat across records, and normalises each distinct stack once.
#[derive(Default)]
pub(super) struct Shared {
    texts: super::FastSet<Arc<str>>,
    /// A stack as written (raw) → one frame per line.
    stacks: super::FastMap<String, Arc<str>>,
    /// The last time as written and as normalised: a second holds many records.
    time: (String, String),
}

impl Shared {
    pub(super) fn text(&mut self, s: &str) -> Arc<str> {
        if let Some(a) = self.texts.get(s) {
            return a.clone();
        }
        let a: Arc<str> = Arc::from(s);
        self.texts.insert(a.clone());
        a
    }

    /// A stack, checked against [`MAX_STACK`] and normalised; `raw` is what the file holds (for
    /// JSON, the encoded value), `decode` turns it into text when it was not seen before.
    pub(super) fn stack(
        &mut self,
        name: &str,
        at: usize,
        raw: &str,
        decode: impl FnOnce() -> String,
    ) -> Result<Arc<str>, LogError> {
        if raw.len() > MAX_STACK {
            return Err(LogError::StackTooLong {
                name: name.into(),
                record: at,
                size: raw.len(),
            });
        }
        if let Some(a) = self.stacks.get(raw) {
            return Ok(a.clone());
        }
        let normalised = frames(&decode());
        let a = self.text(&normalised);
        self.stacks.insert(raw.to_string(), a.clone());
        Ok(a)
    }
}

/// The most an .xlsx may inflate to (a million-row sheet is a few hundred MB of XML).
const MAX_XLSX_INFLATED: u64 = 512 << 20;

/// Checks an .xlsx's entries before calamine inflates them: their count and inflated size.
fn zip_size(bytes: &[u8]) -> Result<(), String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| e.to_string())?;
    if archive.len() > 10_000 {
        return Err(format!("it holds {} entries", archive.len()));
    }
    let mut inflated = 0u64;
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).map_err(|e| e.to_string())?;
        inflated = inflated.saturating_add(entry.size());
    }
    if inflated > MAX_XLSX_INFLATED {
        return Err(format!(
            "it would inflate to more than {} MiB",
            MAX_XLSX_INFLATED >> 20
        ));
    }
    Ok(())
}

/// The columns camille writes; the first three are in every version, the others in most.
const TIME: &str = "时间点";
const ACTION: &str = "操作行为";
const DETAIL: &str = "行为描述";
const PHASE: &str = "隐私政策状态";
const BY: &str = "行为主体";
const ARG: &str = "传入参数";
const STACK: &str = "调用堆栈";

fn camille(bytes: &[u8], name: &str, sink: &mut dyn FnMut(Record)) -> Result<Meta, LogError> {
    let fail = |why: String| LogError::Spreadsheet {
        name: name.into(),
        why,
    };
    // calamine trusts the container's structure: check it first (an .xls's sector chains, an
    // .xlsx's inflated size), and catch a panic as the file's fault.
    if bytes.starts_with(b"PK") {
        zip_size(bytes).map_err(fail)?;
    } else {
        super::ole::check(bytes).map_err(fail)?;
    }
    let range = crate::package::guard::guarded("spreadsheet", || {
        let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| e.to_string())?;
        let sheets = book.sheet_names();
        let sheet = sheets
            .iter()
            .find(|s| s.as_str() == "App_privacy_compliance_testing")
            .or_else(|| sheets.first())
            .cloned()
            .ok_or_else(|| "it has no sheet".to_string())?;
        book.worksheet_range(&sheet).map_err(|e| e.to_string())
    })
    .map_err(fail)?
    .map_err(fail)?;
    let mut rows = range.rows();
    let header: Vec<String> = rows
        .next()
        .map(|r| r.iter().map(|c| c.to_string().trim().to_string()).collect())
        .unwrap_or_default();
    let column = |title: &str| header.iter().position(|h| h == title);
    let missing: Vec<&str> = [TIME, ACTION, DETAIL]
        .into_iter()
        .filter(|t| column(t).is_none())
        .collect();
    if !missing.is_empty() {
        return Err(LogError::Columns {
            name: name.into(),
            missing: missing.join("、"),
            found: if header.iter().all(String::is_empty) {
                "nothing".into()
            } else {
                header.join("、")
            },
        });
    }
    let (time, action, detail) = (column(TIME), column(ACTION), column(DETAIL));
    let (phase, by, arg, stack) = (column(PHASE), column(BY), column(ARG), column(STACK));
    let mut count = 0usize;
    let mut digest = Digest(Sha256::new());
    let mut shared = Shared::default();
    for (n, row) in rows.enumerate() {
        let cell = |c: Option<usize>| {
            c.and_then(|c| row.get(c))
                .map(|d| d.to_string())
                .unwrap_or_default()
        };
        if row.iter().all(|c| c.to_string().trim().is_empty()) {
            continue;
        }
        if count >= MAX_RECORDS {
            return Err(LogError::TooMany { name: name.into() });
        }
        let raw_stack = cell(stack);
        let record = Record {
            time: time_text(&cell(time)),
            phase: phase.map_or(Phase::Unknown, |_| phase_of(&cell(phase))),
            action: shared.text(cell(action).trim()),
            detail: shared.text(cell(detail).trim()),
            arg: shared.text(&cell(arg)),
            stack: shared.stack(name, n + 1, &raw_stack, || raw_stack.clone())?,
            by_tool: shared.text(cell(by).trim()),
        };
        digest.record(&record);
        sink(record);
        count += 1;
    }
    Ok(Meta {
        format: Format::Camille,
        package: None,
        records: count,
        skipped: 0,
        digest: digest.finish(),
    })
}

/// One JSON object: a Frida payload (`type, time, action, messages, arg, stacks`), camille's JSON
/// export (`alert_time, privacy_policy_status, subject_type …`), a consent or session line, or a
/// line of our own schema (`time, phase, action, detail, arg, stack, actor`). Values that may be
/// text or lists are kept raw and decoded once per distinct value.
#[derive(Deserialize)]
struct Line<'a> {
    #[serde(rename = "type", default, borrow)]
    kind: Option<Cow<'a, str>>,
    #[serde(default, borrow, alias = "alert_time")]
    time: Option<&'a RawValue>,
    #[serde(default, borrow, alias = "privacy_policy_status")]
    phase: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    action: Option<Cow<'a, str>>,
    #[serde(default, borrow, alias = "detail")]
    messages: Option<&'a RawValue>,
    #[serde(default, borrow)]
    arg: Option<&'a RawValue>,
    #[serde(default, borrow, alias = "stack")]
    stacks: Option<&'a RawValue>,
    #[serde(default, borrow, alias = "subject_type", alias = "actor")]
    by_tool: Option<Cow<'a, str>>,
    /// A consent line's state: agreed / withdrawn.
    #[serde(default, borrow)]
    state: Option<Cow<'a, str>>,
    /// A session line's package.
    #[serde(default, borrow)]
    package: Option<Cow<'a, str>>,
}

/// A raw JSON value as text: a string as itself, a list of strings one per line, `null` as
/// nothing, anything else as written.
fn as_text(v: Option<&RawValue>) -> String {
    let Some(raw) = v else { return String::new() };
    let json = raw.get();
    match json.as_bytes().first() {
        Some(b'"') => serde_json::from_str::<Cow<'_, str>>(json)
            .map(Cow::into_owned)
            .unwrap_or_default(),
        Some(b'[') => serde_json::from_str::<Vec<serde_json::Value>>(json)
            .map(|items| {
                items
                    .iter()
                    .map(|i| match i {
                        serde_json::Value::String(s) => s.clone(),
                        other => other.to_string(),
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .unwrap_or_default(),
        _ if json == "null" => String::new(),
        _ => json.to_string(),
    }
}

fn json(bytes: &[u8], name: &str, sink: &mut dyn FnMut(Record)) -> Result<Meta, LogError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes
            .get(..e.valid_up_to())
            .map_or(0, |b| b.iter().filter(|c| **c == b'\n').count())
            + 1;
        LogError::Line {
            name: name.into(),
            line,
            why: "it is not UTF-8 text".into(),
        }
    })?;
    let bad = |line: usize, e: serde_json::Error| LogError::Line {
        name: name.into(),
        line,
        why: if e.is_eof() {
            "the JSON ends in the middle (the file may be cut short)".into()
        } else {
            format!("it is not a JSON object ({e})")
        },
    };
    let mut reader = Reader {
        name,
        shared: Shared::default(),
        consent: None,
        marked: false,
        package: None,
        count: 0,
        skipped: 0,
        digest: Digest(Sha256::new()),
        sink,
    };
    if text.trim_start().starts_with('[') {
        // camille's JSON export: one array of objects.
        let all: Vec<Line<'_>> = serde_json::from_str(text).map_err(|e| bad(e.line(), e))?;
        if all.len() > MAX_RECORDS {
            return Err(LogError::TooMany { name: name.into() });
        }
        reader.marked = all.iter().any(|l| l.kind.as_deref() == Some("consent"));
        for (i, line) in all.into_iter().enumerate() {
            reader.line(i + 1, line)?;
        }
    } else {
        reader.marked = has_consent_line(text);
        for (i, line) in text.lines().enumerate() {
            let line_text = line.trim();
            if line_text.is_empty() {
                continue;
            }
            let parsed: Line<'_> = serde_json::from_str(line_text).map_err(|e| bad(i + 1, e))?;
            reader.line(i + 1, parsed)?;
        }
    }
    Ok(reader.finish())
}

/// Whether any line is a consent line: found by its word first (a long log has few), then each
/// such line read to be sure (the word may be in a description).
fn has_consent_line(text: &str) -> bool {
    text.match_indices("consent").any(|(at, _)| {
        let start = text.get(..at).and_then(|t| t.rfind('\n')).map_or(0, |n| n + 1);
        let end = text
            .get(at..)
            .and_then(|t| t.find('\n'))
            .map_or(text.len(), |n| at + n);
        text.get(start..end)
            .and_then(|line| serde_json::from_str::<Line<'_>>(line.trim()).ok())
            .is_some_and(|l| l.kind.as_deref() == Some("consent"))
    })
}

/// Reads JSON objects one by one into records.
struct Reader<'n, 's> {
    name: &'n str,
    shared: Shared,
    /// The phase the consent lines have set, once there has been one.
    consent: Option<Phase>,
    /// Whether the log has a consent line at all: records before the first are then "before
    /// consent"; in a log without one they stay "unknown".
    marked: bool,
    package: Option<String>,
    count: usize,
    skipped: usize,
    digest: Digest,
    sink: &'s mut dyn FnMut(Record),
}

impl Reader<'_, '_> {
    fn line(&mut self, at: usize, l: Line<'_>) -> Result<(), LogError> {
        match l.kind.as_deref() {
            Some("consent") => {
                let state = l.state.as_deref().unwrap_or("agreed");
                let now = if state.contains("withdraw") || state.contains("撤回") {
                    Phase::AfterWithdrawal
                } else {
                    Phase::AfterConsent
                };
                self.consent = Some(now);
                self.digest.fields(&["\0consent", now.keyword()]);
                return Ok(());
            }
            Some("session") | Some("app") => {
                if let Some(p) = l.package.as_deref().filter(|p| !p.trim().is_empty()) {
                    self.package = Some(p.trim().to_string());
                }
                return Ok(());
            }
            None | Some("notice") | Some("method_result") | Some("behaviour") => {}
            Some(_) => {
                self.skipped += 1;
                return Ok(());
            }
        }
        if self.count >= MAX_RECORDS {
            return Err(LogError::TooMany {
                name: self.name.into(),
            });
        }
        let time = match l.time.map(RawValue::get) {
            Some(n) if n.as_bytes().first().is_some_and(u8::is_ascii_digit) => {
                epoch_text(n.parse::<f64>().unwrap_or_default())
            }
            Some(raw) if raw == self.shared.time.0 => self.shared.time.1.clone(),
            Some(raw) => {
                let t = time_text(&as_text(l.time));
                self.shared.time = (raw.to_string(), t.clone());
                t
            }
            None => String::new(),
        };
        // A phase the line states (camille's JSON, our schema) wins over the markers.
        let phase = match l.phase.as_deref() {
            Some(p) if !p.trim().is_empty() => phase_of(p),
            _ => match self.consent {
                Some(now) => now,
                None if self.marked => Phase::BeforeConsent,
                None => Phase::Unknown,
            },
        };
        let raw_stack = l.stacks.map_or("", RawValue::get);
        let stack = self
            .shared
            .stack(self.name, at, raw_stack, || as_text(l.stacks))?;
        let detail = match l.messages {
            Some(raw) => {
                let t = as_text(Some(raw));
                self.shared.text(t.trim())
            }
            None => self.shared.text(""),
        };
        let arg = match l.arg.map(RawValue::get) {
            None | Some("\"\"") | Some("null") => self.shared.text(""),
            Some(_) => {
                let t = as_text(l.arg);
                self.shared.text(&t)
            }
        };
        let record = Record {
            time,
            phase,
            action: self.shared.text(l.action.as_deref().unwrap_or_default().trim()),
            detail,
            arg,
            stack,
            by_tool: self.shared.text(l.by_tool.as_deref().unwrap_or_default().trim()),
        };
        self.digest.record(&record);
        (self.sink)(record);
        self.count += 1;
        Ok(())
    }

    fn finish(self) -> Meta {
        Meta {
            format: Format::FridaJsonl,
            package: self.package,
            records: self.count,
            skipped: self.skipped,
            digest: self.digest.finish(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frida_lines_with_consent_markers_get_their_phase() {
        let log = r#"{"type":"session","package":"com.example.shop"}
{"type":"notice","time":"2026-11-30 10:00:01","action":"获取电话相关信息","messages":"获取IMEI","arg":"","stacks":"  at a.b.C.d(C.java:1)\r\n  at e.f.G.h(G.java:2)\r\n"}
{"type":"consent","time":"2026-11-30 10:00:05","state":"agreed"}
{"type":"method_result","time":1764468006000,"action":"获取位置信息","messages":"获取经纬度","arg":["gps"],"stacks":["x.Y.z(Y.java:3)"]}
{"type":"request_result","url":"https://example.com"}
{"type":"consent","state":"withdrawn"}
{"type":"notice","time":"2026-11-30 10:01:00","action":"获取剪切板信息","messages":"读取剪切板信息"}
"#.as_bytes();
        let r = read(log, "run.jsonl", Choice::Auto).unwrap();
        assert_eq!(r.format, Format::FridaJsonl);
        assert_eq!(r.package.as_deref(), Some("com.example.shop"));
        assert_eq!(r.skipped, 1);
        let phases: Vec<Phase> = r.records.iter().map(|r| r.phase).collect();
        assert_eq!(
            phases,
            [Phase::BeforeConsent, Phase::AfterConsent, Phase::AfterWithdrawal]
        );
        assert_eq!(&*r.records[0].stack, "at a.b.C.d(C.java:1)\nat e.f.G.h(G.java:2)");
        assert_eq!(r.records[1].time, "2025-11-30 10:00:06");
        assert_eq!(&*r.records[1].arg, "gps");
    }

    #[test]
    fn a_log_without_markers_says_nothing_of_consent() {
        let r = read(
            r#"{"action":"a","messages":"获取IMEI"}"#.as_bytes(),
            "x.jsonl",
            Choice::Auto,
        )
        .unwrap();
        assert_eq!(r.records[0].phase, Phase::Unknown);
    }

    #[test]
    fn bad_json_is_refused_with_its_line() {
        let cut = b"{\"action\":\"a\"}\n{\"action\":\"b\",\"messa";
        let e = read(cut, "cut.jsonl", Choice::Auto).unwrap_err().to_string();
        assert!(e.contains("line 2") && e.contains("cut short"), "{e}");
        let e = read(b"hello", "x.txt", Choice::Auto).unwrap_err().to_string();
        assert!(e.contains("neither a camille spreadsheet"), "{e}");
        let e = read(b"{\"type\":\"consent\"}\n", "x.jsonl", Choice::Auto)
            .unwrap_err()
            .to_string();
        assert!(e.contains("no behaviour records"), "{e}");
    }

    #[test]
    fn a_huge_stack_is_refused() {
        let line = format!(
            "{{\"action\":\"a\",\"stacks\":\"{}\"}}",
            "x".repeat(MAX_STACK + 1)
        );
        let e = read(line.as_bytes(), "big.jsonl", Choice::Auto).unwrap_err();
        assert!(matches!(e, LogError::StackTooLong { record: 1, .. }), "{e}");
    }
}
