//! Proving a case's state from its audit trail (`case log --verify`): the hash chain is intact,
//! replaying it gives exactly what the database holds, no entry that a notice or an export
//! recorded is missing, and every evidence file still hashes to its name.

use rusqlite::params;

use super::CaseError;
use super::audit::{self, AuditEntry};
use super::replay::{self, Record};
use super::store::Store;

/// What was checked, when everything agrees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proof {
    pub entries: usize,
    /// The entry replay starts from (1, or the snapshot taken when an old database was upgraded).
    pub replayed_from: i64,
    /// Notices and exports whose recorded trail entries were found.
    pub anchors: usize,
    /// Evidence files hashed again.
    pub evidence: usize,
}

/// The first thing that does not agree.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Finding {
    #[error("the audit log is broken at entry {seq}: {why}")]
    Chain { seq: i64, why: String },
    #[error("the audit log cannot be replayed at entry {seq}: {why}")]
    Replay { seq: i64, why: String },
    #[error("the database does not match its audit log: {0}")]
    Differs(String),
    #[error("{0}")]
    CutTail(String),
    #[error("the evidence file {sha256} no longer matches its SHA-256: it was altered inside the database")]
    Evidence { sha256: String },
}

/// Checks that every notice and export of the case finds, in the trail, the entry that recorded
/// it: removing entries from the end of the trail (and the rows they made) cannot go unseen.
fn check_anchors(anchors: &[(String, i64, String)], entries: &[AuditEntry]) -> Result<usize, Finding> {
    for (what, seq, hash) in anchors {
        if *seq == 0 {
            continue;
        }
        match entries.get((*seq - 1) as usize) {
            None => {
                return Err(Finding::CutTail(format!(
                    "the audit log ends at entry {}, but {what} was recorded at entry {seq}: entries were removed from the end of the log",
                    entries.len()
                )));
            }
            Some(e) if e.hash != *hash => {
                return Err(Finding::CutTail(format!(
                    "entry {seq} of the audit log is not the one {what} was recorded at: the log was rewritten"
                )));
            }
            Some(_) => {}
        }
    }
    Ok(anchors.iter().filter(|(_, seq, _)| *seq != 0).count())
}

impl Store {
    /// Proves a case's state from its audit trail, or names the first thing that disagrees.
    pub fn prove(&self, id: &str) -> Result<Result<Proof, Finding>, CaseError> {
        let view = self.load(id)?;
        let entries = audit::entries(&self.conn, id)?;
        if let Err(b) = audit::verify(&entries) {
            return Ok(Err(Finding::Chain {
                seq: b.seq,
                why: b.why,
            }));
        }
        let mut anchors: Vec<(String, i64, String)> = self
            .conn
            .prepare("SELECT number, chain_seq, chain_hash FROM notices WHERE case_id = ?1 ORDER BY id")?
            .query_map([id], |r| {
                Ok((
                    format!("the notice {}", r.get::<_, String>(0)?),
                    r.get(1)?,
                    r.get(2)?,
                ))
            })?
            .collect::<Result<_, _>>()?;
        anchors.extend(
            self.conn
                .prepare(
                    "SELECT file_name, chain_seq, chain_hash FROM exports WHERE case_id = ?1 ORDER BY id",
                )?
                .query_map(params![id], |r| {
                    Ok((
                        format!("the export to {}", r.get::<_, String>(0)?),
                        r.get(1)?,
                        r.get(2)?,
                    ))
                })?
                .collect::<Result<Vec<_>, _>>()?,
        );
        let anchored = match check_anchors(&anchors, &entries) {
            Ok(n) => n,
            Err(f) => return Ok(Err(f)),
        };
        let proven = match replay::replay(&entries) {
            Ok(r) => r,
            Err(e) => {
                return Ok(Err(Finding::Replay {
                    seq: e.seq,
                    why: e.why,
                }));
            }
        };
        if let Some(d) = Record::of(&view).first_difference(&proven, "the database") {
            return Ok(Err(Finding::Differs(d)));
        }
        let mut hashed = std::collections::HashSet::new();
        for e in &view.evidence {
            if !hashed.insert(e.sha256.clone()) {
                continue;
            }
            // Reading hashes the bytes again and refuses them when they changed.
            match self.evidence_bytes(&e.sha256) {
                Ok(_) => {}
                Err(CaseError::EvidenceAltered { .. }) => {
                    return Ok(Err(Finding::Evidence {
                        sha256: e.sha256.clone(),
                    }));
                }
                Err(other) => return Err(other),
            }
        }
        Ok(Ok(Proof {
            entries: entries.len(),
            replayed_from: entries
                .iter()
                .rev()
                .find(|e| e.action == "case.snapshot")
                .map_or(1, |e| e.seq),
            anchors: anchored,
            evidence: hashed.len(),
        }))
    }
}
