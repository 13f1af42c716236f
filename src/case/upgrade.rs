//! What upgrading a database written by an earlier App Inspector does beyond SQL, inside the
//! migration's transaction (all of it happens, or none).

use rusqlite::{Connection, params};

use super::CaseError;
use super::audit;
use super::replay::Record;
use super::store::{load_view, pin_checklist};
use crate::checklist;

/// Who upgrades: the tool itself, not a person.
const ACTOR: &str = "app-inspector";

/// Runs after the SQL of schema `version`.
pub(crate) fn after(tx: &Connection, version: usize) -> Result<(), CaseError> {
    if version == 3 {
        prove_existing_cases(tx)?;
    }
    if version == 9 {
        super::lifecycle::upgrade(tx, ACTOR)?;
    }
    Ok(())
}

/// Schema 3: each existing case is pinned to the checklist text it was opened with (when this
/// tool knows that version), its notices get the audit entries that record them, and its trail
/// gets a snapshot of the present state — earlier trails did not record enough to replay, so
/// replay starts from this snapshot.
fn prove_existing_cases(tx: &Connection) -> Result<(), CaseError> {
    let cases: Vec<(String, String)> = tx
        .prepare("SELECT id, checklist_hash FROM cases ORDER BY id")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    for (id, hash) in cases {
        if let Some(c) = checklist::by_hash(&hash) {
            pin_checklist(tx, &c)?;
        }
        for entry in audit::entries(tx, &id)? {
            if entry.action != "notice.issued" {
                continue;
            }
            if let Some(pdf) = entry.payload.get("pdf_sha256").and_then(|v| v.as_str()) {
                tx.execute(
                    "UPDATE notices SET chain_seq = ?3, chain_hash = ?4
                     WHERE case_id = ?1 AND pdf_sha256 = ?2 AND chain_seq = 0",
                    params![id, pdf, entry.seq, entry.hash],
                )?;
            }
        }
        let record = Record::of(&load_view(tx, &id)?);
        let mut payload = serde_json::to_value(&record)?;
        if let Some(map) = payload.as_object_mut() {
            map.insert(
                "why".into(),
                "database upgraded to schema 3: the state as it stood, from which the trail is replayed"
                    .into(),
            );
        }
        audit::append(tx, &id, &audit::now(), ACTOR, "case.snapshot", payload)?;
    }
    Ok(())
}
