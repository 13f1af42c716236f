//! Run-time behaviour logs in a case: the file stored as evidence (by SHA-256, audited like any
//! other), its records read, understood and stored as the case's timeline, and the suggestions the
//! run-time rules give — in one transaction, after the whole file has been read: a log that cannot
//! be read changes nothing.

use std::path::Path;

use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};

use super::replay::NewSuggestion;
use super::store::{Linked, Store, insert_evidence, insert_suggestion, link_evidence, sha256_hex};
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
    let choice = runtime::Format::from_keyword(&entry.format)
        .map(runtime::Format::choice)
        .ok_or_else(|| format!("its log {} has an unknown format {:?}", entry.name, entry.format))?;
    let (meta, behaviours) = runtime::read_and_understand(
        bytes,
        &entry.name,
        choice,
        package,
        crate::package::sdk::Catalogue::builtin(),
    )
    .map_err(|e| e.to_string())?;
    if meta.records != entry.records || meta.digest != entry.digest {
        return Err(format!(
            "its log {} does not give the records its trail recorded",
            entry.name
        ));
    }
    Ok(behaviours)
}

/// Which log of which case, recorded by whom and when.
pub(crate) struct LogHead<'a> {
    pub case: &'a str,
    pub sha256: &'a str,
    pub name: &'a str,
    pub format: &'a str,
    pub package: Option<&'a str>,
    pub actor: &'a str,
    pub at: &'a str,
}

/// Writes a log's behaviours as they come, inside the caller's transaction: each distinct text
/// and actor once (records of one log share them), then one row per behaviour.
pub(crate) struct LogWriter<'t> {
    log: i64,
    /// By identity, each holding its text or actor so the identity cannot pass to another while
    /// the log is written (the batches that held them are dropped as they are written).
    texts: crate::runtime::FastMap<*const u8, (std::sync::Arc<str>, i64)>,
    actors: crate::runtime::FastMap<*const Actor, (std::sync::Arc<Actor>, i64)>,
    add_text: rusqlite::Statement<'t>,
    add_actor: rusqlite::Statement<'t>,
    add: rusqlite::Statement<'t>,
}

impl<'t> LogWriter<'t> {
    /// Records the log (its counts and digest are set by [`LogWriter::finish`]).
    pub(crate) fn begin(tx: &'t Connection, head: &LogHead<'_>) -> Result<Self, CaseError> {
        let LogHead {
            case,
            sha256,
            name,
            format,
            package,
            actor,
            at,
        } = head;
        tx.execute(
            "INSERT INTO runtime_logs (case_id, sha256, name, format, package, records, digest, actor, imported_at)
             VALUES (?1, ?2, ?3, ?4, ?5, 0, '', ?6, ?7)",
            params![case, sha256, name, format, package, actor, at],
        )?;
        Ok(Self {
            log: tx.last_insert_rowid(),
            texts: Default::default(),
            actors: Default::default(),
            add_text: tx.prepare("INSERT INTO runtime_texts (log, id, text) VALUES (?1, ?2, ?3)")?,
            add_actor: tx.prepare(
                "INSERT INTO runtime_actors (log, id, kind, sdk_id, name) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?,
            add: tx.prepare(
                "INSERT INTO runtime_records (log, seq, time, offset_ms, phase, category, info, action, detail, arg,
                                              actor, by_tool, stack, count)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            )?,
        })
    }

    fn text(&mut self, t: &std::sync::Arc<str>) -> Result<i64, CaseError> {
        let next = self.texts.len() as i64;
        Ok(match self.texts.entry(std::sync::Arc::as_ptr(t) as *const u8) {
            std::collections::hash_map::Entry::Occupied(e) => e.get().1,
            std::collections::hash_map::Entry::Vacant(e) => {
                self.add_text.execute(params![self.log, next, &**t])?;
                e.insert((t.clone(), next)).1
            }
        })
    }

    /// Writes behaviours.
    pub(crate) fn write(&mut self, behaviours: &[Behaviour]) -> Result<(), CaseError> {
        for b in behaviours {
            let next = self.actors.len() as i64;
            let actor = match self.actors.entry(std::sync::Arc::as_ptr(&b.actor)) {
                std::collections::hash_map::Entry::Occupied(e) => e.get().1,
                std::collections::hash_map::Entry::Vacant(e) => {
                    let (sdk_id, name) = match &*b.actor {
                        Actor::Sdk { sdk_id, name } => (Some(sdk_id.as_str()), Some(name.as_str())),
                        Actor::ThirdParty { package } => (None, Some(package.as_str())),
                        Actor::App | Actor::Unknown => (None, None),
                    };
                    self.add_actor
                        .execute(params![self.log, next, b.actor.kind(), sdk_id, name])?;
                    e.insert((b.actor.clone(), next)).1
                }
            };
            let ids = [
                self.text(&b.action)?,
                self.text(&b.detail)?,
                self.text(&b.arg)?,
                self.text(&b.by_tool)?,
                self.text(&b.stack)?,
            ];
            self.add.execute(params![
                self.log,
                b.seq as i64,
                b.time,
                b.offset.map(|s| (s * 1000.0).round() as i64),
                b.phase.keyword(),
                b.category.keyword(),
                b.info.map(Info::keyword),
                ids[0],
                ids[1],
                ids[2],
                actor,
                ids[3],
                ids[4],
                i64::from(b.count),
            ])?;
        }
        Ok(())
    }

    /// Sets the log's counts and digest once it has been read to the end.
    pub(crate) fn finish(self, tx: &Connection, records: usize, digest: &str) -> Result<(), CaseError> {
        tx.execute(
            "UPDATE runtime_logs SET records = ?2, digest = ?3 WHERE id = ?1",
            params![self.log, records as i64, digest],
        )?;
        Ok(())
    }
}

/// Stores a log read whole (a bundle's) and its behaviours, inside the caller's transaction.
pub(crate) fn write_log(
    tx: &Connection,
    case: &str,
    entry: &LogEntry,
    package: Option<&str>,
    behaviours: &[Behaviour],
    actor: &str,
    at: &str,
) -> Result<(), CaseError> {
    let mut w = LogWriter::begin(
        tx,
        &LogHead {
            case,
            sha256: &entry.sha256,
            name: &entry.name,
            format: &entry.format,
            package,
            actor,
            at,
        },
    )?;
    w.write(behaviours)?;
    w.finish(tx, entry.records, &entry.digest)
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
        let (mut name, bytes) = evidence::read_file(path, "behaviour logs")?;
        if name.is_empty() {
            name = "behaviours.log".into();
        }
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
        if case.state.is_final() {
            return Err(CaseError::Closed {
                case: id.to_string(),
                state: case.state,
            });
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
        let package = self.package_report(id)?.map(|r| r.package);
        let checklist = self.checklist_of(&case)?;
        let roles = case.subject.roles();
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
        let catalogue = crate::package::sdk::Catalogue::builtin();
        let format = runtime::read::format_of(bytes, choice).ok_or_else(|| {
            CaseError::Log(runtime::LogError::UnknownFormat {
                name: name.to_string(),
            })
        })?;
        let (batches, received) = std::sync::mpsc::sync_channel::<Vec<Behaviour>>(4);
        let conn = &mut self.conn;
        let (entry, behaviours, skipped) = std::thread::scope(|scope| {
            // The log is read on a second core and its behaviours stored as they come; a log that
            // is refused rolls the transaction back, so nothing is changed either way.
            let package = &package;
            let reading = std::thread::Builder::new()
                .name("behaviour-log".into())
                .spawn_scoped(scope, move || -> Result<runtime::Meta, CaseError> {
                    let mut u =
                        runtime::Understanding::new(package.as_deref().unwrap_or_default(), catalogue);
                    let mut since = 0usize;
                    let meta = runtime::read_with(bytes, name, format.choice(), &mut |r| {
                        u.push(r);
                        since += 1;
                        if since >= 1 << 16 {
                            since = 0;
                            // A closed channel means the import stopped: the rest is not needed.
                            let _ = batches.send(u.drain());
                        }
                    })?;
                    let _ = batches.send(u.finish());
                    if let (Some(said), Some(ours)) = (&meta.package, package)
                        && said != ours
                    {
                        return Err(CaseError::LogPackage {
                            name: name.to_string(),
                            log: said.clone(),
                            case: ours.clone(),
                        });
                    }
                    Ok(meta)
                })
                .map_err(|e| CaseError::Sql(format!("the log cannot be read on a worker ({e})")))?;
            let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            Store::open_case(&tx, id)?;
            if let Some(p) = &prepared {
                insert_evidence(&tx, &sha256, p, bytes, name)?;
            }
            let mut writer = LogWriter::begin(
                &tx,
                &LogHead {
                    case: id,
                    sha256: &sha256,
                    name,
                    format: format.keyword(),
                    package: package.as_deref(),
                    actor,
                    at: &at,
                },
            )?;
            let (mut counter, mut stored_behaviours) = (runtime::tally::Counter::default(), 0usize);
            for batch in received {
                writer.write(&batch)?;
                for b in &batch {
                    counter.push(b);
                }
                stored_behaviours += batch.len();
            }
            let read = reading.join().map_err(|_| {
                CaseError::Sql("the log reader stopped unexpectedly; nothing was changed".into())
            })??;
            writer.finish(&tx, read.records, &read.digest)?;
            let suggestions: Vec<NewSuggestion> = runtime::rules::findings_of(
                &counter.finish(),
                &checklist,
                &roles,
                &runtime::rules::LogRef {
                    name,
                    sha256: &sha256,
                },
            )
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
                records: read.records,
                digest: read.digest.clone(),
                suggestions,
            };
            let caption = format!("运行时行为记录（{}）", read.format.keyword());
            link_evidence(
                &tx,
                &Linked {
                    case: id,
                    sha256: &sha256,
                    prepared: None,
                    bytes,
                    name,
                    testpoint: None,
                    caption: &caption,
                    actor,
                    at: &at,
                    kind: crate::case::EvidenceKind::Evidence,
                },
            )?;
            for s in &entry.suggestions {
                insert_suggestion(&tx, id, s)?;
            }
            Store::touch(&tx, id, &at)?;
            audit::append(
                &tx,
                id,
                &at,
                actor,
                "runtime.imported",
                serde_json::to_value(&entry)?,
            )?;
            tx.commit()?;
            Ok::<_, CaseError>((entry, stored_behaviours, read.skipped))
        })?;
        Ok(Imported {
            sha256,
            format: entry.format,
            records: entry.records,
            behaviours,
            suggestions: entry.suggestions.len(),
            skipped,
        })
    }

    /// The case's run-time behaviours, every log in the order imported, each in log order.
    pub fn behaviours(&self, id: &str) -> Result<Vec<StoredBehaviour>, CaseError> {
        self.case(id)?;
        let mut stmt = self.conn.prepare(
            "SELECT r.seq, r.time, r.offset_ms, r.phase, r.category, r.info, ta.text, td.text, tg.text,
                    a.kind, a.sdk_id, a.name, tb.text, ts.text, r.count, l.sha256
             FROM runtime_logs l
             JOIN runtime_records r ON r.log = l.id
             JOIN runtime_actors a ON a.log = l.id AND a.id = r.actor
             JOIN runtime_texts ta ON ta.log = l.id AND ta.id = r.action
             JOIN runtime_texts td ON td.log = l.id AND td.id = r.detail
             JOIN runtime_texts tg ON tg.log = l.id AND tg.id = r.arg
             JOIN runtime_texts tb ON tb.log = l.id AND tb.id = r.by_tool
             JOIN runtime_texts ts ON ts.log = l.id AND ts.id = r.stack
             WHERE l.case_id = ?1
             ORDER BY l.id, r.seq",
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
                offset: r.get::<_, Option<i64>>(2)?.map(|ms| ms as f64 / 1000.0),
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

    /// How many behaviour logs a case has (the window reads its timeline again when it changes).
    pub fn runtime_log_count(&self, id: &str) -> Result<usize, CaseError> {
        let n: i64 = self.conn.query_row(
            "SELECT count(*) FROM runtime_logs WHERE case_id = ?1",
            [id],
            |r| r.get(0),
        )?;
        Ok(n as usize)
    }
}
