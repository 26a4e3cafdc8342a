//! The writer of an import: takes records in file order, gathers them into batches of one kind,
//! and writes each batch with a few multi-row statements inside the caller's transaction, with
//! the audit rows and revisions of what the batch changed (so history never waits in memory).
//! Events' versions are kept copy-on-write ([`Versions::CopyOnWrite`]): a revision without a
//! snapshot each, and one audit row for the file instead of one per event.

mod actors;
mod check;
mod events;
mod evidence;
mod known;
mod links;
mod notes;
mod search;
mod seen;
mod sources;
pub(crate) mod sql;
mod summary;

use std::collections::HashMap;

use sea_orm::DatabaseTransaction;
use uuid::Uuid;

use crate::changes::EventChange;
use crate::db::Editor;
use crate::exchange::chronik::{ActorEntry, LinkEntry, SourceEntry};
use crate::exchange::error::{ImportError, Position};
use crate::exchange::record::{EventRecord, Record};
use crate::service::history::{self, Snapshot, Touched, Versions};

use known::Known;
use seen::{Kind, Seen, Use};
pub use summary::Summary;

/// Events per batch: a batch is checked and written with a handful of statements.
pub const EVENT_BATCH: usize = 500;
/// Actors, sources or links per batch.
const OTHER_BATCH: usize = 1_000;
/// Changes announced to live subscribers at most; a larger import announces none.
const MAX_CHANGES: usize = 10_000;

/// The records waiting to be written: all of one kind.
enum Pending {
    None,
    Actors(Vec<(Position, ActorEntry)>),
    Sources(Vec<(Position, SourceEntry)>),
    Events(Vec<(Position, EventRecord)>),
    Links(Vec<(Position, LinkEntry)>),
}

impl Pending {
    fn len(&self) -> usize {
        match self {
            Pending::None => 0,
            Pending::Actors(list) => list.len(),
            Pending::Sources(list) => list.len(),
            Pending::Events(list) => list.len(),
            Pending::Links(list) => list.len(),
        }
    }
}

pub struct Writer<'t> {
    txn: &'t DatabaseTransaction,
    /// Who the audit trail names.
    editor: Option<&'t Editor>,
    pending: Pending,
    /// The keys the file has used: a file may use each key once.
    seen: Seen,
    known: Known,
    deferred: Vec<events::Deferred>,
    /// Corrections naming the accounts they superseded by key, set once every account is in.
    supersedes: Vec<evidence::Supersedes>,
    summary: Summary,
    /// The changes to announce once committed; None when there are too many to announce.
    changes: Option<Vec<EventChange>>,
}

impl<'t> Writer<'t> {
    pub fn new(txn: &'t DatabaseTransaction, editor: Option<&'t Editor>) -> Self {
        Self {
            txn,
            editor,
            pending: Pending::None,
            seen: Seen::default(),
            known: Known::default(),
            deferred: Vec::new(),
            supersedes: Vec::new(),
            summary: Summary::default(),
            changes: Some(Vec::new()),
        }
    }

    /// Takes one record; writes the pending batch when the record does not belong in it.
    pub async fn push(&mut self, at: Position, record: Record) -> Result<(), ImportError> {
        // Stubs name an actor or source again and again (once per row that names it): no check.
        let (key, kind) = match &record {
            Record::Actor(entry) => (Some(entry.key.as_str()), Some(Kind::Actor)),
            Record::ActorStub(entry) => (Some(entry.key.as_str()), None),
            Record::Source(entry) | Record::CitedSource(entry) => (Some(entry.key.as_str()), Some(Kind::Source)),
            Record::SourceStub(entry) => (Some(entry.key.as_str()), None),
            Record::Event(event) => (Some(event.entry.key.as_str()), Some(Kind::Event)),
            Record::Link(_) => (None, None),
        };
        if let Some(key) = key {
            if key.trim().is_empty() {
                return Err(ImportError::invalid(Some(at), "key", "must not be empty"));
            }
            if key.chars().count() > 500 {
                return Err(ImportError::invalid(Some(at), "key", "is longer than 500 characters"));
            }
            if let Some(kind) = kind {
                match self.seen.use_key(kind, key, &at, matches!(record, Record::CitedSource(_))) {
                    Use::First => {}
                    // Written when the file first named it.
                    Use::Again => return Ok(()),
                    Use::Twice(first) => {
                        return Err(ImportError::invalid(
                            Some(at),
                            "key",
                            format!("{key:?} is also the key of the record at {first}; a file uses each key once"),
                        ));
                    }
                }
            }
        }
        let same_kind = matches!(
            (&self.pending, &record),
            (Pending::Actors(_), Record::Actor(_))
                | (Pending::Sources(_), Record::Source(_) | Record::CitedSource(_))
                | (Pending::Events(_), Record::Event(_))
                | (Pending::Links(_), Record::Link(_))
        );
        let limit = if matches!(self.pending, Pending::Events(_)) { EVENT_BATCH } else { OTHER_BATCH };
        if !same_kind || self.pending.len() >= limit {
            self.flush().await?;
        }
        match record {
            Record::ActorStub(entry) => {
                actors::stub(self.txn, &at, &entry, &mut self.known, &mut self.summary).await?;
            }
            Record::SourceStub(entry) => {
                sources::stub(self.txn, &at, &entry, &mut self.known, &mut self.summary).await?;
            }
            Record::Actor(entry) => match &mut self.pending {
                Pending::Actors(list) => list.push((at, entry)),
                _ => self.pending = Pending::Actors(vec![(at, entry)]),
            },
            // A cited source named for the first time is a source like any other.
            Record::Source(entry) | Record::CitedSource(entry) => match &mut self.pending {
                Pending::Sources(list) => list.push((at, entry)),
                _ => self.pending = Pending::Sources(vec![(at, entry)]),
            },
            Record::Event(event) => match &mut self.pending {
                Pending::Events(list) => list.push((at, event)),
                _ => self.pending = Pending::Events(vec![(at, event)]),
            },
            Record::Link(link) => match &mut self.pending {
                Pending::Links(list) => list.push((at, link)),
                _ => self.pending = Pending::Links(vec![(at, link)]),
            },
        }
        Ok(())
    }

    /// Writes the pending batch, then the history of everything written since the last one.
    async fn flush(&mut self) -> Result<(), ImportError> {
        let mut created = HashMap::new();
        let mut touched = match std::mem::replace(&mut self.pending, Pending::None) {
            Pending::None => Vec::new(),
            Pending::Actors(batch) => {
                actors::flush(self.txn, batch, &mut self.known, &mut self.summary).await?;
                Vec::new()
            }
            Pending::Sources(batch) => {
                sources::flush(self.txn, batch, &mut self.known, &mut self.summary, &mut self.supersedes).await?;
                Vec::new()
            }
            Pending::Links(batch) => links::flush(self.txn, batch, &mut self.summary).await?,
            Pending::Events(batch) => {
                let outcome =
                    events::flush(self.txn, batch, &mut self.known, &mut self.deferred, &mut self.summary).await?;
                for (child, parent, at) in outcome.parent_checks {
                    events::check_loop(self.txn, child, parent, &at).await?;
                }
                created = outcome.created;
                outcome.touched
            }
        };
        // The actors and sources of the batch, and those named inline by its events.
        touched.append(&mut self.known.written);
        self.record(&touched, created).await
    }

    /// Writes the audit rows and revisions of records written in this transaction, as they
    /// stand now (`created`: events as just written, which are not read back).
    async fn record(&mut self, touched: &[Touched], created: HashMap<Uuid, Snapshot>) -> Result<(), ImportError> {
        if touched.is_empty() {
            return Ok(());
        }
        let known = history::Known { now: created, was: HashMap::new() };
        let changes = history::record_known(self.txn, self.editor, touched, known, Versions::CopyOnWrite)
            .await
            .map_err(ImportError::unplaced)?;
        if let Some(announced) = &mut self.changes {
            announced.extend(changes);
            if announced.len() > MAX_CHANGES {
                self.changes = None;
            }
        }
        Ok(())
    }

    /// Writes what is pending and sets the parents named ahead of their events, with their
    /// history, and the one audit row of what was written, saying where it came from (`origin`,
    /// an object: the file's format, size and hash, say) and what it did. The caller commits.
    /// Returns the summary and the changes to announce to live subscribers after the commit
    /// (none when there are more than `MAX_CHANGES`).
    pub async fn finish(
        mut self,
        origin: impl IntoIterator<Item = (&'static str, serde_json::Value)>,
    ) -> Result<(Summary, Vec<EventChange>), ImportError> {
        self.flush().await?;
        let children = events::resolve_deferred(self.txn, std::mem::take(&mut self.deferred)).await?;
        evidence::resolve_supersedes(self.txn, std::mem::take(&mut self.supersedes)).await?;
        self.record(&children, HashMap::new()).await?;
        let mut file: serde_json::Map<String, serde_json::Value> =
            origin.into_iter().map(|(name, value)| (name.to_owned(), value)).collect();
        file.insert("summary".to_owned(), serde_json::json!(self.summary));
        history::record_import(self.txn, self.editor, file.into()).await.map_err(ImportError::unplaced)?;
        Ok((self.summary, self.changes.unwrap_or_default()))
    }
}
