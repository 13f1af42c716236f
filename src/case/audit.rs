//! The audit log: append-only, one hash chain per case. Each entry's hash covers the previous
//! hash and the entry's canonical content, so an edited, removed or reordered row is detected.

use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest as _, Sha256};

use super::CaseError;

/// The hash before the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One recorded action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub seq: i64,
    pub case_id: String,
    /// RFC 3339, UTC.
    pub at: String,
    pub actor: String,
    pub action: String,
    pub payload: Value,
    pub prev_hash: String,
    pub hash: String,
}

/// The canonical text an entry's hash covers: JSON with sorted keys, no spaces.
fn canonical(seq: i64, case_id: &str, at: &str, actor: &str, action: &str, payload: &Value) -> String {
    // serde_json's map is ordered by key, so this serialisation is canonical.
    serde_json::json!({
        "action": action,
        "actor": actor,
        "at": at,
        "case": case_id,
        "payload": payload,
        "seq": seq,
    })
    .to_string()
}

pub fn entry_hash(
    prev_hash: &str,
    seq: i64,
    case_id: &str,
    at: &str,
    actor: &str,
    action: &str,
    payload: &Value,
) -> String {
    let mut h = Sha256::new();
    h.update(prev_hash.as_bytes());
    h.update(canonical(seq, case_id, at, actor, action, payload).as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Appends an entry inside the caller's transaction. `at` is the time of the action, the same
/// time the caller writes into the rows it changes, so that replaying the trail reproduces them.
pub fn append(
    conn: &Connection,
    case_id: &str,
    at: &str,
    actor: &str,
    action: &str,
    payload: Value,
) -> Result<AuditEntry, CaseError> {
    let (seq, prev_hash) = match head(conn, case_id)? {
        Some((s, h)) => (s + 1, h),
        None => (1, GENESIS.to_string()),
    };
    let hash = entry_hash(&prev_hash, seq, case_id, at, actor, action, &payload);
    conn.execute(
        "INSERT INTO audit (case_id, seq, at, actor, action, payload, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![case_id, seq, at, actor, action, payload.to_string(), prev_hash, hash],
    )?;
    Ok(AuditEntry {
        seq,
        case_id: case_id.to_string(),
        at: at.to_string(),
        actor: actor.to_string(),
        action: action.to_string(),
        payload,
        prev_hash,
        hash,
    })
}

/// The last entry of a case's trail: (seq, hash).
pub fn head(conn: &Connection, case_id: &str) -> Result<Option<(i64, String)>, CaseError> {
    let mut stmt =
        conn.prepare_cached("SELECT seq, hash FROM audit WHERE case_id = ?1 ORDER BY seq DESC LIMIT 1")?;
    let mut rows = stmt.query([case_id])?;
    Ok(match rows.next()? {
        Some(r) => Some((r.get(0)?, r.get(1)?)),
        None => None,
    })
}

/// Inserts entries exactly as given (bundle import), inside the caller's transaction.
pub fn insert_verbatim(conn: &Connection, entries: &[AuditEntry]) -> Result<(), CaseError> {
    for e in entries {
        conn.execute(
            "INSERT INTO audit (case_id, seq, at, actor, action, payload, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![e.case_id, e.seq, e.at, e.actor, e.action, e.payload.to_string(), e.prev_hash, e.hash],
        )?;
    }
    Ok(())
}

/// Every entry of a case, in order. A payload that is not JSON is kept as a string, so that
/// verification (not loading) is what reports it.
pub fn entries(conn: &Connection, case_id: &str) -> Result<Vec<AuditEntry>, CaseError> {
    let mut stmt = conn.prepare(
        "SELECT seq, case_id, at, actor, action, payload, prev_hash, hash FROM audit WHERE case_id = ?1 ORDER BY seq",
    )?;
    let rows = stmt.query_map([case_id], |r| {
        let payload: String = r.get(5)?;
        Ok(AuditEntry {
            seq: r.get(0)?,
            case_id: r.get(1)?,
            at: r.get(2)?,
            actor: r.get(3)?,
            action: r.get(4)?,
            payload: serde_json::from_str(&payload).unwrap_or(Value::String(payload)),
            prev_hash: r.get(6)?,
            hash: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Where a chain breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    pub seq: i64,
    pub why: String,
}

/// Re-walks the chain; the first entry that does not match is reported.
pub fn verify(entries: &[AuditEntry]) -> Result<(), Broken> {
    let mut prev = GENESIS.to_string();
    for (i, e) in entries.iter().enumerate() {
        let expected_seq = i as i64 + 1;
        if e.seq != expected_seq {
            return Err(Broken {
                seq: e.seq,
                why: format!("entry {expected_seq} is missing (found {} in its place)", e.seq),
            });
        }
        if e.prev_hash != prev {
            return Err(Broken {
                seq: e.seq,
                why: "its link to the previous entry does not match (an entry before it was changed or removed)".into(),
            });
        }
        let hash = entry_hash(
            &e.prev_hash,
            e.seq,
            &e.case_id,
            &e.at,
            &e.actor,
            &e.action,
            &e.payload,
        );
        if hash != e.hash {
            return Err(Broken {
                seq: e.seq,
                why: "its content does not match its hash (the entry was edited)".into(),
            });
        }
        prev = e.hash.clone();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain() -> Vec<AuditEntry> {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE audit (case_id TEXT, seq INTEGER, at TEXT, actor TEXT, action TEXT, payload TEXT, prev_hash TEXT, hash TEXT)",
        )
        .unwrap();
        for n in 0..4 {
            append(
                &conn,
                "C1",
                &now(),
                "张三",
                "assess",
                serde_json::json!({"testpoint": "10.5", "n": n}),
            )
            .unwrap();
        }
        entries(&conn, "C1").unwrap()
    }

    #[test]
    fn an_untouched_chain_verifies() {
        let c = chain();
        assert_eq!(c.len(), 4);
        assert_eq!(c[0].prev_hash, GENESIS);
        assert_eq!(c[1].prev_hash, c[0].hash);
        assert_eq!(verify(&c), Ok(()));
    }

    #[test]
    fn edits_removals_and_reorders_are_named() {
        let mut c = chain();
        c[2].actor = "李四".into();
        assert_eq!(verify(&c).unwrap_err().seq, 3);

        let mut c = chain();
        c.remove(1);
        assert_eq!(verify(&c).unwrap_err().seq, 3);

        let mut c = chain();
        c[3].payload = serde_json::json!({"testpoint": "10.5", "n": 99});
        let b = verify(&c).unwrap_err();
        assert_eq!(b.seq, 4);
        assert!(b.why.contains("edited"));

        // Rewriting one entry's hash to match its new content still breaks the next link.
        let mut c = chain();
        c[1].action = "delete".into();
        c[1].hash = entry_hash(
            &c[1].prev_hash,
            2,
            "C1",
            &c[1].at,
            &c[1].actor,
            &c[1].action,
            &c[1].payload,
        );
        assert_eq!(verify(&c).unwrap_err().seq, 3);
    }
}
