//! The service layer: every read and write of Chronik's data, validated, in transactions.
//! Resolvers stay thin and call these functions; they return typed [`ServiceError`]s.
//!
//! [`ServiceError`]: crate::error::ServiceError

use sea_orm::DatabaseTransaction;
use uuid::Uuid;

use crate::changes::{ChangeKind, EventChange};
use crate::db::Database;
use crate::error::ServiceResult;

pub mod actors;
pub mod dates;
pub mod event_parts;
pub mod event_query;
pub mod events;
pub mod links;
pub mod page;
pub mod relations;
pub mod search;
pub mod sources;
pub mod validate;
pub mod vocabulary;

/// Commits a write and announces the changes it made to events (see [`crate::changes`]).
pub(crate) async fn commit(db: &Database, txn: DatabaseTransaction, changes: &[EventChange]) -> ServiceResult<()> {
    db.changes().record(&txn, changes).await?;
    txn.commit().await?;
    db.changes().committed(changes);
    Ok(())
}

pub(crate) fn change(kind: ChangeKind, event_id: Uuid, version: i32) -> EventChange {
    EventChange { kind, event_id, version }
}
