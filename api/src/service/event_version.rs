//! An event's current row and its version, as every write of an event or of its parts needs
//! them: the live (not deleted) row, the CONFLICT for a stale version, and a new version for a
//! change made through its parts or links.

use chrono::Utc;
use entity::event;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::error::{ServiceError, ServiceResult};

/// An event that is not deleted.
pub async fn live(connection: &impl ConnectionTrait, id: Uuid) -> ServiceResult<event::Model> {
    event::Entity::find_by_id(id)
        .filter(event::Column::DeletedAt.is_null())
        .one(connection)
        .await?
        .ok_or_else(|| ServiceError::not_found("event", id))
}

/// The error for a write based on an old version.
pub fn stale(current: i32, given: i32) -> ServiceError {
    ServiceError::Conflict(format!(
        "the event was changed since you read it: it is at version {current}, you sent version {given}; reload it and apply your change again"
    ))
}

/// Marks an event as changed: a new version, so editors holding the old one get CONFLICT.
pub async fn touch(txn: &DatabaseTransaction, event_id: Uuid, version: Option<i32>) -> ServiceResult<event::Model> {
    let current = live(txn, event_id).await?;
    if let Some(expected) = version
        && expected != current.version
    {
        return Err(stale(current.version, expected));
    }
    event::Entity::update_many()
        .col_expr(event::Column::Version, Expr::col(event::Column::Version).add(1))
        .col_expr(event::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(event::Column::Id.eq(event_id))
        .filter(event::Column::Version.eq(current.version))
        .exec(txn)
        .await?;
    live(txn, event_id).await
}
