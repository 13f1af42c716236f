//! Run-time behaviour logs in a case: the file stored as evidence (by SHA-256, audited like any
//! other), its records read, understood and stored as the case's timeline, and the suggestions the
//! run-time rules give — in one transaction, after the whole file has been read: a log that cannot
//! be read changes nothing.

use std::collections::HashMap;
use std::path::Path;

use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::replay::NewSuggestion;
use super::store::{Store, insert_evidence, insert_suggestion, sha256_hex};
use super::{CaseError, audit, evidence};
use crate::i18n::Text;
use crate::runtime::{self, Actor, Behaviour, Category, Choice, Info, Phase};

/// What the trail records of an imported log (`runtime.imported`): enough to read the same records
/// again from the stored file and know they are the same.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogEntry {
    pub sha256: String,
    pub name: String,
    pub format: String,
    pub records: usize,
    /// [`runtime::digest`] of the records read.
    pub digest: String,
    /// The suggestions the log gave, pending review.
    #[serde(default)]
    pub suggestions: Vec<NewSuggestion>,
}

/// What an import did.
#[derive(Debug, Clone, Serialize)]
pub struct Imported {
    pub sha256: String,
    pub format: String,
    pub records: usize,
    /// Rows after identical consecutive records were folded.
    pub behaviours: usize,
    pub suggestions: usize,
    /// Lines of other kinds left out (network captures, the tool's own messages).
    pub skipped: usize,
}

/// A stored behaviour, as `case behaviours --json` gives it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredBehaviour {
    pub seq: usize,
    pub time: String,
    pub offset: Option<f64>,
    pub phase: Phase,
    pub category: Category,
    pub personal_info: Option<Text>,
    pub info: Option<Info>,
    pub action: String,
    pub detail: String,
    pub arg: String,
    pub actor: StoredActor,
    pub stack: String,
    pub count: u32,
    pub source_sha256: String,
}

/// Who did it, ours and the tool's.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredActor {
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sdk_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The tool's own attribution, where it gave one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by_tool: Option<String>,
}

impl StoredActor {
    /// The actor as the rules and the window name it.
    pub fn actor(&self) -> Actor {
        match (self.kind.as_str(), &self.sdk_id, &self.name) {
            ("app", _, _) => Actor::App,
            ("sdk", Some(id), name) => Actor::Sdk {
                sdk_id: id.clone(),
                name: name.clone().unwrap_or_else(|| id.clone()),
            },
            ("third-party", _, Some(p)) => Actor::ThirdParty { package: p.clone() },
            _ => Actor::Unknown,
        }
    }
}

/// Reads a stored log again (a bundle's copy) and checks it gives the records the trail recorded.
pub(crate) fn reread(bytes: &[u8], entry: &LogEntry, package: &str) -> Result<Vec<Behaviour>, String> {
    let choice = match entry.format.as_str() {
        "camille" => Choice::Camille,
        "frida-jsonl" => Choice::FridaJsonl,
        other => return Err(format!("its log {} has an unknown format {other:?}", entry.name)),
    };
    let read = runtime::read(bytes, &entry.name, choice).map_err(|e| e.to_string())?;
    if read.records.len() != entry.records || runtime::digest(&read.records) != entry.digest {
        return Err(format!(
            "its log {} does not give the records its trail recorded",
            entry.name
        ));
    }
    Ok(runtime::understand(
        &read.records,
        package,
        crate::package::sdk::Catalogue::builtin(),
    ))
}

/// Stores a log's row and its behaviours (inside the caller's transaction).
pub(crate) fn write_log(
    tx: &Connection,
    case: &str,
    entry: &LogEntry,
    package: Option<&str>,
    behaviours: &[Behaviour],
    actor: &str,
    at: &str,
) -> Result<(), CaseError> {
    tx.execute(
        "INSERT INTO runtime_logs (case_id, sha256, name, format, package, records, digest, actor, imported_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![case, entry.sha256, entry.name, entry.format, package, entry.records as i64, entry.digest, actor, at],
    )?;
    let mut stacks: HashMap<&str, i64> = HashMap::new();
    let mut add_stack = tx.prepare("INSERT INTO runtime_stacks (case_id, frames) VALUES (?1, ?2)")?;
    let mut add = tx.prepare(
        "INSERT INTO runtime_records (case_id, log_sha256, seq, time, offset_s, phase, category, info, action, detail, arg,
                                      actor_kind, sdk_id, actor_name, by_tool, stack_id, count)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
    )?;
    for b in behaviours {
        let stack_id = if b.stack.is_empty() {
            None
        } else if let Some(id) = stacks.get(b.stack.as_str()) {
            Some(*id)
        } else {
            add_stack.execute(params![case, b.stack])?;
            let id = tx.last_insert_rowid();
            stacks.insert(&b.stack, id);
            Some(id)
        };
        let (sdk_id, name) = match &b.actor {
            Actor::Sdk { sdk_id, name } => (Some(sdk_id.as_str()), Some(name.as_str())),
            Actor::ThirdParty { package } => (None, Some(package.as_str())),
            Actor::App | Actor::Unknown => (None, None),
        };
        add.execute(params![
            case,
            entry.sha256,
            b.seq as i64,
            b.time,
            b.offset,
            b.phase.keyword(),
            b.category.keyword(),
            b.info.map(Info::keyword),
            b.action,
            b.detail,
            b.arg,
            b.actor.kind(),
            sdk_id,
            name,
            b.by_tool,
            stack_id,
            i64::from(b.count),
        ])?;
    }
    Ok(())
}

impl Store {
    /// Imports a behaviour log from a file ([`Store::import_log_bytes`]).
    pub fn import_log(
        &mut self,
        id: &str,
        path: &Path,
        choice: Choice,
        actor: &str,
    ) -> Result<Imported, CaseError> {
        let (mut file, size) = crate::input::open_regular(path)?;
        if size > evidence::MAX_FILE {
            return Err(CaseError::Input(crate::input::InputError::TooLarge {
                path: path.to_path_buf(),
                size_mib: size >> 20,
                max_mib: evidence::MAX_FILE >> 20,
                what: "behaviour logs",
            }));
        }
        let mut bytes = Vec::with_capacity(size as usize);
        std::io::Read::read_to_end(&mut file, &mut bytes).map_err(|source| CaseError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "behaviours.log".into());
        self.import_log_bytes(id, &name, &bytes, choice, actor)
    }

    /// Imports a behaviour log: reads all of it (refusing it whole on any problem), stores the file
    /// as evidence of the case (no test point), its behaviours as the case's timeline and the
    /// run-time rules' suggestions, audited as one change.
    pub fn import_log_bytes(
        &mut self,
        id: &str,
        name: &str,
        bytes: &[u8],
        choice: Choice,
        actor: &str,
    ) -> Result<Imported, CaseError> {
        let case = self.case(id)?;
        if case.state == "closed" {
            return Err(CaseError::Closed(id.to_string()));
        }
        let sha256 = sha256_hex(bytes);
        let known: bool = self.conn.query_row(
            "SELECT EXISTS(SELECT 1 FROM runtime_logs WHERE case_id = ?1 AND sha256 = ?2)",
            params![id, sha256],
            |r| r.get(0),
        )?;
        if known {
            return Err(CaseError::LogImported(name.to_string()));
        }
        let read = runtime::read(bytes, name, choice)?;
        let package = self.package_report(id)?.map(|r| r.package);
        if let (Some(said), Some(ours)) = (&read.package, &package)
            && said != ours
        {
            return Err(CaseError::LogPackage {
                name: name.to_string(),
                log: said.clone(),
                case: ours.clone(),
            });
        }
        let behaviours = runtime::understand(
            &read.records,
            package.as_deref().unwrap_or_default(),
            crate::package::sdk::Catalogue::builtin(),
        );
        let checklist = self.checklist_of(&case)?;
        let findings = runtime::rules::findings(
            &behaviours,
            &checklist,
            &case.subject.roles(),
            &runtime::rules::LogRef {
                name,
                sha256: &sha256,
            },
        );
        let suggestions: Vec<NewSuggestion> = findings
            .into_iter()
            .map(|f| NewSuggestion {
                testpoint: f.testpoint,
                rule: f.rule,
                status: f.suggested_status,
                evidence: f.evidence,
            })
            .collect();
        let entry = LogEntry {
            sha256: sha256.clone(),
            name: name.to_string(),
            format: read.format.keyword().to_string(),
            records: read.records.len(),
            digest: runtime::digest(&read.records),
            suggestions,
        };
        let stored: bool = self.conn.query_row(
            "SELECT EXISTS(SELECT 1 FROM evidence WHERE sha256 = ?1)",
            [&sha256],
            |r| r.get(0),
        )?;
        let prepared = if stored {
            None
        } else {
            Some(evidence::prepare(bytes, name)?)
        };
        let at = audit::now();
        let caption = format!("运行时行为记录（{}）", read.format.keyword());
        self.write(|tx| {
            Self::open_case(tx, id)?;
            if let Some(p) = &prepared {
                insert_evidence(tx, &sha256, p, bytes, name)?;
            }
            let linked = tx.execute(
                "INSERT OR IGNORE INTO evidence_links (case_id, sha256, testpoint, caption, actor, attached_at, original_name)
                 VALUES (?1, ?2, NULL, ?3, ?4, ?5, ?6)",
                params![id, sha256, caption, actor, at, name],
            )?;
            if linked > 0 {
                audit::append(
                    tx,
                    id,
                    &at,
                    actor,
                    "evidence.attached",
                    json!({"sha256": sha256, "name": name, "testpoint": null, "caption": caption, "size": bytes.len()}),
                )?;
            }
            write_log(tx, id, &entry, package.as_deref(), &behaviours, actor, &at)?;
            for s in &entry.suggestions {
                insert_suggestion(tx, id, s)?;
            }
            tx.execute("UPDATE cases SET updated_at = ?2 WHERE id = ?1", params![id, at])?;
            audit::append(tx, id, &at, actor, "runtime.imported", serde_json::to_value(&entry)?)?;
            Ok(())
        })?;
        Ok(Imported {
            sha256,
            format: entry.format,
            records: entry.records,
            behaviours: behaviours.len(),
            suggestions: entry.suggestions.len(),
            skipped: read.skipped,
        })
    }

    /// The case's run-time behaviours, every log in the order imported, each in log order.
    pub fn behaviours(&self, id: &str) -> Result<Vec<StoredBehaviour>, CaseError> {
        self.case(id)?;
        let mut stmt = self.conn.prepare(
            "SELECT r.seq, r.time, r.offset_s, r.phase, r.category, r.info, r.action, r.detail, r.arg,
                    r.actor_kind, r.sdk_id, r.actor_name, r.by_tool, ifnull(s.frames, ''), r.count, r.log_sha256
             FROM runtime_records r
             JOIN runtime_logs l ON l.case_id = r.case_id AND l.sha256 = r.log_sha256
             LEFT JOIN runtime_stacks s ON s.id = r.stack_id
             WHERE r.case_id = ?1
             ORDER BY l.imported_at, l.sha256, r.seq",
        )?;
        let rows = stmt.query_map([id], |r| {
            let info: Option<String> = r.get(5)?;
            let info = info.as_deref().and_then(Info::from_keyword);
            let kind: String = r.get(9)?;
            let name: Option<String> = r.get(11)?;
            let by_tool: String = r.get(12)?;
            Ok(StoredBehaviour {
                seq: r.get::<_, i64>(0)? as usize,
                time: r.get(1)?,
                offset: r.get(2)?,
                phase: Phase::from_keyword(&r.get::<_, String>(3)?).unwrap_or(Phase::Unknown),
                category: Category::from_keyword(&r.get::<_, String>(4)?).unwrap_or(Category::Other),
                personal_info: info.map(Info::label),
                info,
                action: r.get(6)?,
                detail: r.get(7)?,
                arg: r.get(8)?,
                actor: StoredActor {
                    kind,
                    sdk_id: r.get(10)?,
                    name,
                    by_tool: Some(by_tool).filter(|b| !b.is_empty()),
                },
                stack: r.get(13)?,
                count: r.get::<_, i64>(14)?.clamp(0, i64::from(u32::MAX)) as u32,
                source_sha256: r.get(15)?,
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// The logs imported into a case: (SHA-256, name, format, records), in the order imported.
    pub fn runtime_logs(&self, id: &str) -> Result<Vec<(String, String, String, usize)>, CaseError> {
        let mut stmt = self.conn.prepare(
            "SELECT sha256, name, format, records FROM runtime_logs WHERE case_id = ?1 ORDER BY imported_at, sha256",
        )?;
        let rows = stmt.query_map([id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get::<_, i64>(3)? as usize))
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }
}
