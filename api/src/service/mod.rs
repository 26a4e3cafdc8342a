//! The service layer: every read and write of Chronik's data, validated, in transactions.
//! Resolvers stay thin and call these functions; they return typed [`ServiceError`]s.
//!
//! [`ServiceError`]: crate::error::ServiceError

use std::collections::HashMap;
use std::time::Duration;

use futures_util::future::BoxFuture;
use sea_orm::{DbErr, RuntimeErr};
use uuid::Uuid;

use crate::changes::EventChange;
use crate::db::{Database, WriteTransaction};
use crate::error::{ServiceError, ServiceResult};
use history::Touched;

pub mod actors;
pub mod as_of;
pub mod dates;
pub mod event_parts;
pub mod event_version;
pub mod event_query;
pub mod events;
pub mod histogram;
pub mod history;
pub mod links;
pub mod overlap;
pub mod page;
pub mod relations;
pub mod search;
pub mod sources;
pub mod validate;
pub mod vocabulary;

/// How often a write transaction is tried before a serialization failure is given up on.
const ATTEMPTS: u32 = 5;

/// Runs a whole write transaction, and runs it again when the database aborted it for a
/// conflict with a concurrent one (PostgreSQL SQLSTATE 40001 or 40P01), at most [`ATTEMPTS`]
/// times with a growing pause. Each attempt begins, does all its work and commits.
pub(crate) async fn retrying<'a, T>(mut attempt: impl FnMut() -> BoxFuture<'a, ServiceResult<T>>) -> ServiceResult<T> {
    let mut tries = 1;
    loop {
        match attempt().await {
            Err(error) if tries < ATTEMPTS && is_serialization_failure(&error) => {
                tracing::debug!(tries, %error, "retrying a write transaction after a serialization failure");
                tokio::time::sleep(Duration::from_millis(5 << tries)).await;
                tries += 1;
            }
            result => return result,
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

/// Commits a write: records what it touched in the audit trail and the event revisions (in the
/// same transaction), commits, and announces the changes to events (see [`crate::changes`]).
pub async fn commit(db: &Database, txn: WriteTransaction, touched: &[Touched]) -> ServiceResult<()> {
    commit_known(db, txn, touched, HashMap::new()).await
}

/// [`commit`], given the snapshots of events the write has in hand (see [`history::record_known`]).
pub async fn commit_known(
    db: &Database,
    txn: WriteTransaction,
    touched: &[Touched],
    known: HashMap<Uuid, history::Snapshot>,
) -> ServiceResult<()> {
    let changes = history::record_known(&txn, db.editor(), touched, known).await?;
    commit_recorded(db, txn, &changes).await
}

/// Commits a write that has recorded its history already (an import does, batch by batch), and
/// announces `changes`.
pub async fn commit_recorded(db: &Database, txn: WriteTransaction, changes: &[EventChange]) -> ServiceResult<()> {
    db.changes().record(&txn, changes).await?;
    txn.commit().await?;
    db.changes().committed(changes);
    Ok(())
}
