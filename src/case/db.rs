//! Opening the case database safely: check the file before SQLite touches it, then migrate.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension as _};

use super::CaseError;

/// Marks the file as an App Inspector case database (`PRAGMA application_id`, "AINS"): another
/// application's SQLite file is recognised and left alone instead of being migrated.
pub const APPLICATION_ID: i32 = 0x4149_4e53;

/// Schema versions, one migration each; `PRAGMA user_version` records the last applied. What a
/// migration does beyond SQL (pinning checklists, snapshots of old trails) is in `upgrade.rs`.
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
    r#"
-- Version 3: the case record proves its own state.
-- The exact checklist text each case is judged against, by content hash.
CREATE TABLE checklists (
    hash    TEXT PRIMARY KEY,
    id      TEXT NOT NULL,
    version TEXT NOT NULL,
    content TEXT NOT NULL
);
-- Each link keeps the name its file was attached under (the same bytes may come under two names).
ALTER TABLE evidence_links ADD COLUMN original_name TEXT NOT NULL DEFAULT '';
UPDATE evidence_links SET original_name =
    (SELECT e.original_name FROM evidence e WHERE e.sha256 = evidence_links.sha256);
-- The audit entry that records a notice, and one per finished export: a trail cut short before
-- them is caught.
ALTER TABLE notices ADD COLUMN chain_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE notices ADD COLUMN chain_hash TEXT NOT NULL DEFAULT '';
CREATE TABLE exports (
    id            INTEGER PRIMARY KEY,
    case_id       TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    file_name     TEXT NOT NULL,
    bundle_sha256 TEXT NOT NULL,
    chain_seq     INTEGER NOT NULL,
    chain_hash    TEXT NOT NULL,
    exported_at   TEXT NOT NULL
);
-- Test points to look at again after a case moved to a newer checklist version.
CREATE TABLE rechecks (
    case_id   TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    testpoint TEXT NOT NULL,
    why_zh    TEXT NOT NULL,
    why_en    TEXT NOT NULL,
    PRIMARY KEY (case_id, testpoint)
);
"#,
    r#"
-- Version 4: the checklist as law.
-- Every role the inspected enterprise holds in the case, space-separated (subject_type stays the first).
ALTER TABLE cases ADD COLUMN subject_roles TEXT NOT NULL DEFAULT '';
UPDATE cases SET subject_roles = subject_type;
-- The case's answers to the checklist's conditions (a conditional test point applies where yes).
CREATE TABLE applicability (
    case_id    TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    condition  TEXT NOT NULL,
    applies    INTEGER NOT NULL CHECK (applies IN (0, 1)),
    actor      TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (case_id, condition)
);
-- How the App was tested: device, system, App version and channel, account, network (JSON).
CREATE TABLE test_conditions (
    case_id    TEXT PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,
    conditions TEXT NOT NULL,
    actor      TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
"#,
    r#"
-- Issuing authorities (version 5): the profile a notice's header, rights and dates come from (JSON).
CREATE TABLE authorities (
    name       TEXT PRIMARY KEY,
    profile    TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
-- The last 文号 serial each authority used in each year: allocated only when a notice is issued,
-- never reused (a row is only ever raised).
CREATE TABLE notice_serials (
    authority TEXT NOT NULL,
    year      INTEGER NOT NULL,
    last      INTEGER NOT NULL CHECK (last > 0),
    PRIMARY KEY (authority, year)
);
CREATE TRIGGER notice_serials_never_lowered BEFORE UPDATE ON notice_serials
WHEN NEW.last <= OLD.last BEGIN SELECT RAISE(ABORT, 'a notice serial is never reused'); END;
CREATE TRIGGER notice_serials_never_deleted BEFORE DELETE ON notice_serials
BEGIN SELECT RAISE(ABORT, 'a notice serial is never reused'); END;
ALTER TABLE notices ADD COLUMN authority TEXT NOT NULL DEFAULT '';
"#,
    r#"
-- What an image file's EXIF says of its capture (version 6): time (with offset where given) and
-- camera. Files stored before stay without: their capture time comes from their name, if at all.
ALTER TABLE evidence ADD COLUMN captured_at TEXT;
ALTER TABLE evidence ADD COLUMN camera TEXT;
-- The App's filing number (APP备案号), as the inspector entered it.
ALTER TABLE cases ADD COLUMN app_filing TEXT NOT NULL DEFAULT '';
-- An authority's seal image (PNG), shown by the signature block of a digitally signed notice.
ALTER TABLE authorities ADD COLUMN seal BLOB;
-- When and on what device a piece of evidence was captured, as the inspector entered it (where
-- the file does not say, or says otherwise).
ALTER TABLE evidence_links ADD COLUMN captured TEXT;
ALTER TABLE evidence_links ADD COLUMN device TEXT;
"#,
    r#"
-- Run-time behaviour logs (version 7). The file itself is evidence (evidence_data); these rows
-- are what was read from it, and are read again from the file when a bundle is imported.
CREATE TABLE runtime_logs (
    id          INTEGER PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    sha256      TEXT NOT NULL,
    name        TEXT NOT NULL,
    format      TEXT NOT NULL,
    package     TEXT,
    records     INTEGER NOT NULL,
    digest      TEXT NOT NULL,
    actor       TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    UNIQUE (case_id, sha256)
);
-- The texts of a log's records (categories, descriptions, arguments, stacks, the tool's
-- attribution) and its actors repeat thousands of times: each distinct one is stored once per log.
CREATE TABLE runtime_texts (
    log  INTEGER NOT NULL REFERENCES runtime_logs(id) ON DELETE CASCADE,
    id   INTEGER NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (log, id)
) WITHOUT ROWID;
CREATE TABLE runtime_actors (
    log    INTEGER NOT NULL REFERENCES runtime_logs(id) ON DELETE CASCADE,
    id     INTEGER NOT NULL,
    kind   TEXT NOT NULL,
    sdk_id TEXT,
    name   TEXT,
    PRIMARY KEY (log, id)
) WITHOUT ROWID;
-- One row per behaviour (identical consecutive records folded into `count`), in log order; the
-- actor as attributed when the log was imported, so the timeline says what the suggestions say.
CREATE TABLE runtime_records (
    log       INTEGER NOT NULL REFERENCES runtime_logs(id) ON DELETE CASCADE,
    seq       INTEGER NOT NULL,
    time      TEXT NOT NULL,
    offset_ms INTEGER,
    phase     TEXT NOT NULL,
    category  TEXT NOT NULL,
    info      TEXT,
    action    INTEGER NOT NULL,
    detail    INTEGER NOT NULL,
    arg       INTEGER NOT NULL,
    actor     INTEGER NOT NULL,
    by_tool   INTEGER NOT NULL,
    stack     INTEGER NOT NULL,
    count     INTEGER NOT NULL,
    PRIMARY KEY (log, seq)
) WITHOUT ROWID;
"#,
    r#"
-- Rounds (version 8): the first inspection, then each re-inspection of a new version. A round's
-- judgements and suggestions are frozen (JSON) when the next one starts: read-only from then on.
CREATE TABLE rounds (
    case_id        TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    number         INTEGER NOT NULL CHECK (number > 0),
    -- Not a foreign key: a bundle may carry a round without the report of its package.
    package_sha256 TEXT,
    version        TEXT NOT NULL DEFAULT '',
    started_at     TEXT NOT NULL,
    reason         TEXT NOT NULL DEFAULT '',
    frozen         TEXT,
    PRIMARY KEY (case_id, number)
);
INSERT INTO rounds (case_id, number, package_sha256, version, started_at)
    SELECT id, 1, package_sha256, app_version, created_at FROM cases;
-- Evidence, behaviour logs and notices belong to the round whose time they fall in.
"#,
    r#"
-- Case states (version 9): open → notice issued → rectification reported → re-inspected →
-- closed or escalated. SQLite cannot change a CHECK in place: the table is rebuilt (foreign keys
-- are off while migrations run, so dropping the old table cascades nothing; the new one takes its
-- name, which the other tables' references name).
CREATE TABLE cases_v9 (
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
    state               TEXT NOT NULL DEFAULT 'open' CHECK (state IN
                            ('open', 'notice_issued', 'rectification_reported', 'reinspected', 'closed', 'escalated')),
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    subject_roles       TEXT NOT NULL DEFAULT '',
    app_filing          TEXT NOT NULL DEFAULT ''
);
INSERT INTO cases_v9 (id, checklist_id, checklist_hash, subject_name, subject_type, subject_credit_code,
        subject_address, app_name, app_package, app_version, cert_sha256, package_sha256, inspectors, state,
        created_at, updated_at, subject_roles, app_filing)
    SELECT id, checklist_id, checklist_hash, subject_name, subject_type, subject_credit_code,
        subject_address, app_name, app_package, app_version, cert_sha256, package_sha256, inspectors, state,
        created_at, updated_at, subject_roles, app_filing FROM cases;
DROP TABLE cases;
ALTER TABLE cases_v9 RENAME TO cases;
-- A case's moves are read with the case: found without walking its whole trail.
CREATE INDEX audit_state_moves ON audit (case_id, seq) WHERE action = 'case.state';
-- The enterprise's rectification report is evidence of its own kind.
ALTER TABLE evidence_links ADD COLUMN kind TEXT NOT NULL DEFAULT 'evidence'
    CHECK (kind IN ('evidence', 'rectification_report'));
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

/// What the header of an existing database file says.
struct Header {
    user_version: i64,
    application_id: i32,
}

/// Refuses a file that is not an intact SQLite database before SQLite opens (and could write) it.
/// `None`: there is no database yet (no file, or an empty one).
fn check_file(path: &Path) -> Result<Option<Header>, CaseError> {
    let mut file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(CaseError::Io {
                path: path.to_path_buf(),
                source,
            });
        }
    };
    let meta = file.metadata().map_err(|source| CaseError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    if !meta.is_file() {
        return Err(CaseError::NotADatabase {
            path: path.to_path_buf(),
        });
    }
    let len = meta.len();
    if len == 0 {
        return Ok(None);
    }
    let mut header = [0u8; 100];
    if len < 100 || file.read_exact(&mut header).is_err() || &header[..16] != b"SQLite format 3\0" {
        return Err(CaseError::NotADatabase {
            path: path.to_path_buf(),
        });
    }
    let be32 = |at: usize| u32::from_be_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]]);
    let page_size = match u16::from_be_bytes([header[16], header[17]]) {
        1 => 65536,
        n => u64::from(n),
    };
    let pages = u64::from(be32(28));
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
    Ok(Some(Header {
        user_version: i64::from(be32(60) as i32),
        application_id: be32(68) as i32,
    }))
}

/// Whether an SQLite file whose header does not carry our application id is nevertheless ours:
/// the id may still be in the write-ahead log, and one written before the id was set (schema 1–2)
/// has our tables. Another application's file is left untouched. Read without writing anything.
fn is_ours_without_id(path: &Path) -> Result<bool, CaseError> {
    let damaged = |e: rusqlite::Error| CaseError::Damaged {
        path: path.to_path_buf(),
        why: e.to_string(),
    };
    let conn = Connection::open_with_flags(
        path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(damaged)?;
    let (id, version): (i32, i64) = conn
        .query_row(
            "SELECT (SELECT application_id FROM pragma_application_id), (SELECT user_version FROM pragma_user_version)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .map_err(damaged)?;
    if id == APPLICATION_ID {
        return Ok(true);
    }
    if id != 0 {
        return Ok(false);
    }
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .map_err(damaged)?;
    let ours = [
        "packages",
        "cases",
        "assessments",
        "suggestions",
        "evidence",
        "audit",
        "notices",
    ];
    Ok(if version == 0 {
        // A blank SQLite file (no tables yet) can become a case database; anything else is not ours.
        tables.is_empty()
    } else {
        ours.iter().all(|t| tables.iter().any(|have| have == t))
    })
}

/// Why a database cannot be opened or written in its folder, said plainly: a read-only folder
/// or file gets its own sentence.
fn explain_open_error(path: &Path, e: rusqlite::Error) -> CaseError {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let code = e.sqlite_error_code();
    let probe = dir.join(format!(".app-inspector-write-test-{}", std::process::id()));
    let folder_writable = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&probe)
    {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            true
        }
        Err(_) => false,
    };
    if !folder_writable
        || matches!(
            code,
            Some(rusqlite::ErrorCode::ReadOnly) | Some(rusqlite::ErrorCode::CannotOpen)
        )
    {
        return CaseError::ReadOnly {
            path: path.to_path_buf(),
            folder: dir.to_path_buf(),
        };
    }
    match code {
        Some(rusqlite::ErrorCode::DatabaseBusy) | Some(rusqlite::ErrorCode::DatabaseLocked) => {
            CaseError::Busy
        }
        _ => CaseError::Damaged {
            path: path.to_path_buf(),
            why: e.to_string(),
        },
    }
}

/// SQLite's quick check of every table but the evidence bytes: the records an inspector's work
/// lives in are checked page by page at every opening (a few milliseconds), while the evidence
/// files — most of a database's size — are checked by their SHA-256 each time they are read.
fn quick_check(conn: &Connection) -> Result<(), Result<String, rusqlite::Error>> {
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'evidence_data'")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .map_err(Err)?;
    for table in tables {
        // The table name comes from the schema; quoted, it cannot break the statement.
        let sql = format!("PRAGMA quick_check(\"{}\")", table.replace('"', "\"\""));
        let lines: Vec<String> = conn
            .prepare(&sql)
            .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
            .map_err(Err)?;
        if !(lines.len() == 1 && lines[0] == "ok") {
            return Err(Ok(format!("{} (in {table})", lines.join("; "))));
        }
    }
    Ok(())
}

/// Opens (creating if needed) and migrates the database, after SQLite's quick check of its
/// records: damage is found when the database is opened, not halfway through an inspection.
pub fn open(path: &Path) -> Result<Connection, CaseError> {
    open_with(path, true)
}

/// Opens the database; `check` runs SQLite's quick check (a worker opening the database this
/// process already opened and checked leaves it out).
pub fn open_with(path: &Path, check: bool) -> Result<Connection, CaseError> {
    let header = check_file(path)?;
    if let Some(h) = &header {
        if h.application_id != 0 && h.application_id != APPLICATION_ID {
            return Err(CaseError::Foreign {
                path: path.to_path_buf(),
            });
        }
        if h.application_id == 0 && !is_ours_without_id(path)? {
            return Err(CaseError::Foreign {
                path: path.to_path_buf(),
            });
        }
        if h.user_version > SCHEMA_VERSION {
            return Err(CaseError::TooNew {
                path: path.to_path_buf(),
                found: h.user_version,
                known: SCHEMA_VERSION,
            });
        }
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|source| CaseError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
    }
    let fail = |e: rusqlite::Error| explain_open_error(path, e);
    let conn = Connection::open(path).map_err(fail)?;
    conn.busy_timeout(Duration::from_secs(10)).map_err(fail)?;
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(fail)?;
    if version > SCHEMA_VERSION {
        return Err(CaseError::TooNew {
            path: path.to_path_buf(),
            found: version,
            known: SCHEMA_VERSION,
        });
    }
    if check && header.is_some() {
        quick_check(&conn).map_err(|why| match why {
            Ok(lines) => CaseError::Damaged {
                path: path.to_path_buf(),
                why: format!("SQLite's check of its pages found: {lines}"),
            },
            Err(e) => fail(e),
        })?;
    }
    conn.pragma_update(None, "journal_mode", "WAL").map_err(fail)?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    // Foreign keys are enforced once the schema is current: a migration that rebuilds a table
    // must not cascade its drop (they are checked before the migration commits).
    conn.pragma_update(None, "foreign_keys", "OFF")?;
    if version < SCHEMA_VERSION {
        // Every pending migration in one transaction, the SQL first: what an upgrade does beyond
        // SQL reads cases through this build's queries, which expect the latest schema.
        let tx = conn.unchecked_transaction().map_err(fail)?;
        for sql in MIGRATIONS.iter().skip(version as usize) {
            tx.execute_batch(sql).map_err(fail)?;
        }
        for v in version + 1..=SCHEMA_VERSION {
            super::upgrade::after(&tx, v as usize)?;
        }
        let broken: Option<String> = tx
            .query_row(
                "SELECT \"table\" FROM pragma_foreign_key_check LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(table) = broken {
            return Err(CaseError::Damaged {
                path: path.to_path_buf(),
                why: format!("after the upgrade, rows of {table} refer to rows that do not exist"),
            });
        }
        tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
        tx.pragma_update(None, "application_id", APPLICATION_ID)?;
        tx.commit().map_err(fail)?;
    }
    conn.pragma_update(None, "foreign_keys", "ON")?;
    let id: i32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
    if id != APPLICATION_ID {
        conn.pragma_update(None, "application_id", APPLICATION_ID)
            .map_err(fail)?;
    }
    Ok(conn)
}
