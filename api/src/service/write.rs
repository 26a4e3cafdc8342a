//! One write: the only place a service begins a write transaction, records its history, announces
//! its changes and commits. A service write hands [`write()`] its body (its own rules and rows) and
//! says in [`Written`] what the body touched; the transaction, the retry on a serialization
//! failure, the audit rows and event revisions, the change notification and the commit are here.

use std::collections::HashMap;
use std::marker::PhantomData;
use std::time::Duration;

use futures_util::future::BoxFuture;
use sea_orm::{DatabaseTransaction, DbErr, RuntimeErr, Statement};
use uuid::Uuid;

use super::history::{self, Entity, Known, Operation, Snapshot, Touched, Versions};
use crate::changes::EventChange;
use crate::db::{Database, Footprint, WriteTransaction};
use crate::error::{ServiceError, ServiceResult};

/// How often a write transaction is tried before a serialization failure is given up on.
const ATTEMPTS: u32 = 5;

/// The transaction a write's body runs in; it dereferences to the [`DatabaseTransaction`].
///
/// `'a` is the lifetime of what the body borrows from its caller: naming it in the body's
/// argument is what lets the body borrow at all (the transaction lives for `'c`, within `'a`).
#[derive(Clone, Copy)]
pub struct Txn<'c, 'a: 'c> {
    txn: &'c DatabaseTransaction,
    borrows: PhantomData<&'a ()>,
}

impl std::ops::Deref for Txn<'_, '_> {
    type Target = DatabaseTransaction;

    fn deref(&self) -> &DatabaseTransaction {
        self.txn
    }
}

/// What a write's body did: its result, the records it touched (for the audit trail, the event
/// revisions and the change feed), and the snapshots of events it has in hand, which are then
/// not read back (see [`history::record_known`]).
pub struct Written<T> {
    value: T,
    touched: Vec<Touched>,
    known: HashMap<Uuid, Snapshot>,
    was: HashMap<Uuid, Snapshot>,
    announced: Vec<EventChange>,
}

impl<T> Written<T> {
    /// `value`, having touched `touched`.
    pub fn touching(touched: impl IntoIterator<Item = Touched>, value: T) -> Self {
        Self {
            value,
            touched: touched.into_iter().collect(),
            known: HashMap::new(),
            was: HashMap::new(),
            announced: Vec::new(),
        }
    }

    /// The same, also announcing a change to an event it did not write as a new version (a note
    /// on it): subscribers of `eventChanged` read the event again.
    pub fn announcing(mut self, change: EventChange) -> Self {
        self.announced.push(change);
        self
    }

    /// The same, with the snapshot of an event as the body has just written it.
    pub fn knowing(mut self, snapshot: Snapshot) -> Self {
        self.known.insert(snapshot.event.id, snapshot);
        self
    }

    /// The same, with the snapshot of an event as it was before the body removed it and its
    /// revisions (a purge): its audit row's `before`, which nothing else holds then.
    pub fn removing(mut self, snapshot: Snapshot) -> Self {
        self.was.insert(snapshot.event.id, snapshot);
        self
    }
}

/// Runs a write: begins a write transaction, runs `body` in it, records the history of what the
/// body touched, commits and announces the changes to events; or, when the body fails, undoes it
/// all. A transaction the database aborted for a conflict with a concurrent one (PostgreSQL
/// SQLSTATE 40001 or 40P01) is run again as a whole, at most `ATTEMPTS` times with a growing
/// pause, so a body must do all its reading inside the transaction.
pub async fn write<'a, T, F>(db: &Database, body: F) -> ServiceResult<T>
where
    F: for<'c> Fn(Txn<'c, 'a>) -> BoxFuture<'c, ServiceResult<Written<T>>>,
{
    write_of(db, Footprint::Unbounded, body).await
}

/// [`write()`] for a write that changes one record and its parts, whose lists are capped by the
/// rules: on SQLite its savepoint's journal stays in memory (see [`crate::db::Footprint`]).
pub async fn write_small<'a, T, F>(db: &Database, body: F) -> ServiceResult<T>
where
    F: for<'c> Fn(Txn<'c, 'a>) -> BoxFuture<'c, ServiceResult<Written<T>>>,
{
    write_of(db, Footprint::Small, body).await
}

/// A small write built whole before it takes the writer, on SQLite: `text` writes its rows and
/// reads nothing back; `written` says what it touched: events it creates, each known by its
/// snapshot, so that their history is built before the write too (it reads nothing). The rows
/// and the history then go to the writer as one text, with the whole writes queued beside it
/// (see [`Database::write_whole`]). An error of the text is the database's, as in [`write()`],
/// and nothing of the write is stored.
pub async fn write_whole<T>(db: &Database, text: Statement, written: Written<T>) -> ServiceResult<T> {
    let Written { value, touched, known, was, announced } = written;
    // Anything else would be read for its history, and only the writer reads it as it stands.
    let new = |t: &Touched| t.operation == Operation::Create && t.entity == Entity::Event && known.contains_key(&t.id);
    if !touched.iter().all(new) {
        return Err(ServiceError::Database(DbErr::Custom("a whole write creates records it knows only".into())));
    }
    let known = Known { now: known, was };
    let (mut changes, history) =
        history::prepare_known(db.reader(), db.editor(), &touched, known, Versions::Audited).await?;
    changes.extend(announced);
    db.write_whole(crate::db::joined(db.backend(), std::iter::once(text).chain(history))).await?;
    db.changes().committed(&changes);
    Ok(value)
}

async fn write_of<'a, T, F>(db: &Database, footprint: Footprint, body: F) -> ServiceResult<T>
where
    F: for<'c> Fn(Txn<'c, 'a>) -> BoxFuture<'c, ServiceResult<Written<T>>>,
{
    let mut tries = 1;
    loop {
        match attempt(db, footprint, &body).await {
            Err(error) if tries < ATTEMPTS && is_serialization_failure(&error) => {
                tracing::debug!(tries, %error, "retrying a write transaction after a serialization failure");
                tokio::time::sleep(Duration::from_millis(5 << tries)).await;
                tries += 1;
            }
            result => return result,
        }
    }
}

async fn attempt<'a, T, F>(db: &Database, footprint: Footprint, body: &F) -> ServiceResult<T>
where
    F: for<'c> Fn(Txn<'c, 'a>) -> BoxFuture<'c, ServiceResult<Written<T>>>,
{
    let txn = db.begin_write_of(footprint).await?;
    let done = match body(Txn { txn: &txn, borrows: PhantomData }).await {
        Ok(Written { value, touched, known, was, announced }) => {
            let known = Known { now: known, was };
            // The history's rows are written with the commit (on SQLite with the next statement
            // the writer sends): nothing in this write reads them.
            history::prepare_known(&*txn, db.editor(), &touched, known, Versions::Audited).await.map(
                |(mut changes, history)| {
                    changes.extend(announced);
                    (value, changes, history)
                },
            )
        }
        Err(error) => Err(error),
    };
    match done {
        Ok((value, changes, history)) => {
            commit_with(db, txn, history, &changes).await?;
            Ok(value)
        }
        Err(error) => {
            // Undone here, and waited for: the writer is free for the next write only once the
            // rows are gone (a rollback that fails is logged by the writer and refuses the rest).
            if let Err(undo) = txn.rollback().await {
                tracing::error!(%undo, "rolling back a failed write");
            }
            Err(error)
        }
    }
}

/// Whether the database aborted the transaction only because of a concurrent one.
fn is_serialization_failure(error: &ServiceError) -> bool {
    let ServiceError::Database(DbErr::Exec(runtime) | DbErr::Query(runtime) | DbErr::Conn(runtime)) = error else {
        return false;
    };
    let RuntimeErr::SqlxError(sqlx) = runtime else {
        return false;
    };
    sqlx.as_database_error().and_then(|database| database.code()).is_some_and(|code| code == "40001" || code == "40P01")
}

/// Commits a write whose history is recorded, and announces `changes`. [`write()`] ends in it; so
/// does an import, which records its history batch by batch in its one long transaction and is
/// not retried (its input is a stream, read once).
pub async fn commit_recorded(db: &Database, txn: WriteTransaction, changes: &[EventChange]) -> ServiceResult<()> {
    commit_with(db, txn, Vec::new(), changes).await
}

/// [`commit_recorded`], `history` (the statements that write it) run first.
async fn commit_with(
    db: &Database,
    txn: WriteTransaction,
    history: Vec<Statement>,
    changes: &[EventChange],
) -> ServiceResult<()> {
    db.changes().record(&txn, changes).await?;
    txn.commit_after(history).await?;
    db.changes().committed(changes);
    Ok(())
}
