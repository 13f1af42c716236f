//! Our own CSV schema for behaviour logs, for tools that write neither camille's spreadsheet nor
//! JSON: a header row naming the columns, then one record per row. The columns are those of our
//! JSON lines (`time`, `phase`, `action`, `detail`, `arg`, `stack`, `actor`) plus `package`;
//! `time` and `action` are required, the others read where present, in any order. A stack is one
//! quoted field, one frame per line, innermost first.

use sha2::{Digest as _, Sha256};

use super::read::{Digest, Format, LogError, Meta, Shared, phase_of, time_text};
use super::{MAX_RECORDS, Phase, Record};

const REQUIRED: [&str; 2] = ["time", "action"];

/// Whether a file's first line is our CSV header: it names `time` and `action`.
pub(super) fn looks_like(text: &[u8]) -> bool {
    let first = text.split(|&b| b == b'\n').next().unwrap_or_default();
    let Ok(first) = std::str::from_utf8(first) else {
        return false;
    };
    let titles: Vec<&str> = first.split(',').map(|t| t.trim().trim_matches('"')).collect();
    REQUIRED.iter().all(|r| titles.contains(r))
}

pub(super) fn read(bytes: &[u8], name: &str, sink: &mut dyn FnMut(Record)) -> Result<Meta, LogError> {
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(text);
    let line_of = |e: &csv::Error| e.position().map_or(0, |p| p.line() as usize);
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| LogError::Line {
            name: name.into(),
            line: 1,
            why: e.to_string(),
        })?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let column = |title: &str| header.iter().position(|h| h == title);
    let missing: Vec<&str> = REQUIRED.into_iter().filter(|t| column(t).is_none()).collect();
    if !missing.is_empty() {
        return Err(LogError::Columns {
            name: name.into(),
            missing: missing.join("、"),
            found: header.join("、"),
        });
    }
    let (time, action, detail) = (column("time"), column("action"), column("detail"));
    let (phase, arg, stack, actor) = (column("phase"), column("arg"), column("stack"), column("actor"));
    let package_column = column("package");
    let mut package: Option<String> = None;
    let mut shared = Shared::default();
    let mut digest = Digest(Sha256::new());
    let mut count = 0usize;
    let mut row = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut row) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                return Err(LogError::Line {
                    name: name.into(),
                    line: line_of(&e),
                    why: e.to_string(),
                });
            }
        }
        let line = row.position().map_or(0, |p| p.line() as usize);
        let cell = |c: Option<usize>| c.and_then(|c| row.get(c)).unwrap_or_default();
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if count >= MAX_RECORDS {
            return Err(LogError::TooMany { name: name.into() });
        }
        // One log, one App: a second package in the column is a merged file, not a recording.
        let stated = cell(package_column).trim();
        if !stated.is_empty() {
            match &package {
                None => package = Some(stated.to_string()),
                Some(p) if p != stated => {
                    return Err(LogError::Line {
                        name: name.into(),
                        line,
                        why: format!(
                            "the package column says {stated}, earlier rows {p}: one log records one App"
                        ),
                    });
                }
                Some(_) => {}
            }
        }
        let raw_stack = cell(stack);
        let record = Record {
            time: time_text(cell(time)),
            phase: phase.map_or(Phase::Unknown, |_| phase_of(cell(phase))),
            action: shared.text(cell(action).trim()),
            detail: shared.text(cell(detail).trim()),
            arg: shared.text(cell(arg)),
            stack: shared.stack(name, count + 1, raw_stack, || raw_stack.to_string())?,
            by_tool: shared.text(cell(actor).trim()),
        };
        digest.record(&record);
        sink(record);
        count += 1;
    }
    Ok(Meta {
        format: Format::Csv,
        package,
        records: count,
        skipped: 0,
        digest: digest.finish(),
    })
}

#[cfg(test)]
mod tests {
    use super::super::read::{Choice, read};
    use super::*;

    const LOG: &str = "time,phase,action,detail,arg,stack,actor,package\n\
        2026-11-30 10:00:01,before-consent,获取系统信息,获取安卓ID,android_id,\"android.provider.Settings$Secure.getString(Native Method)\ncom.umeng.commonsdk.statistics.common.DeviceConfig.getAndroidID(DeviceConfig.java:120)\",友盟,com.example.shop\n\
        2026-11-30 10:00:09,after-consent,获取位置信息,获取经纬度,gps,,,\n";

    #[test]
    fn our_csv_is_told_by_its_header_and_read_with_quoted_stacks() {
        let r = read(LOG.as_bytes(), "run.csv", Choice::Auto).unwrap();
        assert_eq!(r.format, Format::Csv);
        assert_eq!(r.package.as_deref(), Some("com.example.shop"));
        assert_eq!(r.records.len(), 2);
        let first = &r.records[0];
        assert_eq!(first.phase, Phase::BeforeConsent);
        assert_eq!(&*first.detail, "获取安卓ID");
        assert_eq!(first.stack.lines().count(), 2);
        assert_eq!(&*first.by_tool, "友盟");
        assert_eq!(r.records[1].phase, Phase::AfterConsent);
    }

    #[test]
    fn a_csv_without_the_required_columns_or_with_ragged_rows_is_refused() {
        let err = read(b"when,what\n1,2\n", "x.csv", Choice::Csv).unwrap_err();
        assert!(err.to_string().contains("time、action"), "{err}");
        let err = read(
            b"time,action\n2026-11-30 10:00:00,a,extra\n",
            "x.csv",
            Choice::Csv,
        )
        .unwrap_err();
        assert!(err.to_string().contains("x.csv, line 2"), "{err}");
        let merged = "time,action,package\n1,a,com.a.b\n2,b,com.c.d\n";
        let err = read(merged.as_bytes(), "m.csv", Choice::Auto).unwrap_err();
        assert!(err.to_string().contains("one log records one App"), "{err}");
    }
}
