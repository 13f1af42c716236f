//! Opening the case database safely: check the file before SQLite touches it, then migrate.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::Connection;

use super::CaseError;

/// Schema versions, one migration each; `PRAGMA user_version` records the last applied.
const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE packages (
    sha256      TEXT PRIMARY KEY,
    file_name   TEXT NOT NULL,
    size        INTEGER NOT NULL,
    report_json TEXT NOT NULL
);
CREATE TABLE cases (
    id                  TEXT PRIMARY KEY,
    checklist_id        TEXT NOT NULL,
    checklist_hash      TEXT NOT NULL,
    subject_name        TEXT NOT NULL DEFAULT '',
    subject_type        TEXT NOT NULL,
    subject_credit_code TEXT NOT NULL DEFAULT '',
    subject_address     TEXT NOT NULL DEFAULT '',
    app_name            TEXT NOT NULL DEFAULT '',
    app_package         TEXT NOT NULL DEFAULT '',
    app_version         TEXT NOT NULL DEFAULT '',
    cert_sha256         TEXT NOT NULL DEFAULT '',
    package_sha256      TEXT REFERENCES packages(sha256),
    inspectors          TEXT NOT NULL DEFAULT '[]',
    state               TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closed')),
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
);
CREATE TABLE assessments (
    case_id    TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    testpoint  TEXT NOT NULL,
    status     TEXT NOT NULL,
    note       TEXT NOT NULL DEFAULT '',
    source     TEXT NOT NULL CHECK (source IN ('automatic', 'inspector')),
    actor      TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (case_id, testpoint)
);
CREATE TABLE suggestions (
    case_id          TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    testpoint        TEXT NOT NULL,
    rule             TEXT NOT NULL,
    suggested_status TEXT NOT NULL,
    evidence_zh      TEXT NOT NULL,
    evidence_en      TEXT NOT NULL,
    review           TEXT NOT NULL DEFAULT 'pending' CHECK (review IN ('pending', 'accepted', 'rejected')),
    reason           TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (case_id, testpoint, rule)
);
CREATE TABLE evidence (
    sha256        TEXT PRIMARY KEY,
    media_type    TEXT NOT NULL,
    size          INTEGER NOT NULL,
    original_name TEXT NOT NULL,
    width         INTEGER,
    height        INTEGER,
    thumbnail     BLOB
);
-- The files themselves, apart: reading the evidence list must not walk megabytes of overflow pages.
CREATE TABLE evidence_data (
    sha256 TEXT PRIMARY KEY REFERENCES evidence(sha256),
    bytes  BLOB NOT NULL
);
CREATE TABLE evidence_links (
    id          INTEGER PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    sha256      TEXT NOT NULL REFERENCES evidence(sha256),
    testpoint   TEXT,
    caption     TEXT NOT NULL DEFAULT '',
    annotations TEXT NOT NULL DEFAULT '[]',
    actor       TEXT NOT NULL,
    attached_at TEXT NOT NULL
);
CREATE UNIQUE INDEX evidence_links_unique ON evidence_links (case_id, sha256, ifnull(testpoint, ''));
CREATE INDEX evidence_links_case ON evidence_links (case_id);
CREATE TABLE audit (
    case_id   TEXT NOT NULL,
    seq       INTEGER NOT NULL,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    payload   TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL,
    PRIMARY KEY (case_id, seq)
);
-- The log is append-only: the application never updates or deletes a row.
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TABLE notices (
    id         INTEGER PRIMARY KEY,
    case_id    TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    number     TEXT NOT NULL,
    kind       TEXT NOT NULL,
    lang       TEXT NOT NULL,
    deadline   TEXT NOT NULL,
    pdf_sha256 TEXT NOT NULL,
    signer     TEXT NOT NULL DEFAULT '',
    issued_at  TEXT NOT NULL
);
"#,
    r#"
-- The launcher icon as a small PNG, for the window's overview (version 2).
ALTER TABLE packages ADD COLUMN icon_png BLOB;
"#,
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// The database file: `--db`, else `APP_INSPECTOR_DB` (both handled by the caller), else the
/// platform data directory.
pub fn default_path() -> PathBuf {
    directories::ProjectDirs::from("cn", "app-inspector", "app-inspector")
        .map(|d| d.data_dir().join("cases.sqlite"))
        .unwrap_or_else(|| PathBuf::from("app-inspector-cases.sqlite"))
}

/// Refuses a file that is not an intact SQLite database before SQLite opens (and could write) it.
fn check_file(path: &Path) -> Result<(), CaseError> {
    let mut file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(source) => {
            return Err(CaseError::Io {
                path: path.to_path_buf(),
                source,
            });
        }
    };
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    if len == 0 {
        return Ok(());
    }
    let mut header = [0u8; 100];
    if len < 100 || file.read_exact(&mut header).is_err() || &header[..16] != b"SQLite format 3\0" {
        return Err(CaseError::NotADatabase {
            path: path.to_path_buf(),
        });
    }
    let page_size = match u16::from_be_bytes([header[16], header[17]]) {
        1 => 65536,
        n => u64::from(n),
    };
    let pages = u64::from(u32::from_be_bytes([
        header[28], header[29], header[30], header[31],
    ]));
    // The in-header size is valid when the change counters agree (SQLite ≥ 3.7.0 keeps them so).
    let counters_agree = header[24..28] == header[92..96];
    // With a WAL, committed pages may live in the -wal file: only a shorter main file is damage.
    let wal = path.with_extension(format!(
        "{}-wal",
        path.extension().map(|e| e.to_string_lossy()).unwrap_or_default()
    ));
    if counters_agree && pages > 0 && len < pages * page_size && !wal.exists() {
        return Err(CaseError::Damaged {
            path: path.to_path_buf(),
            why: format!("the file is cut short: {len} bytes of {}", pages * page_size),
        });
    }
    Ok(())
}

/// Opens (creating if needed) and migrates the database.
pub fn open(path: &Path) -> Result<Connection, CaseError> {
    check_file(path)?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|source| CaseError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
    }
    let damaged = |e: rusqlite::Error| CaseError::Damaged {
        path: path.to_path_buf(),
        why: e.to_string(),
    };
    let conn = Connection::open(path).map_err(damaged)?;
    conn.busy_timeout(Duration::from_secs(10))?;
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(damaged)?;
    if version > SCHEMA_VERSION {
        return Err(CaseError::TooNew {
            path: path.to_path_buf(),
            found: version,
            known: SCHEMA_VERSION,
        });
    }
    // No integrity scan here: on a database of a few GB it would take seconds at every start.
    // A cut-short file is caught above; damage met later comes back as CaseError::Corrupt.
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        let tx = conn.unchecked_transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
    }
    Ok(conn)
}
