//! Typed, directed links between events ("the leak reveals the meeting").

use chrono::Utc;
use entity::event_link;
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::event_version::{live, touch};
use super::history::{self, Operation, Touched};
use super::rules::{self, link::LinkFields};
use super::write::{Written, write};
use crate::db::Database;
use crate::error::{ServiceError, ServiceResult};

#[derive(Debug, Clone)]
pub struct NewLink {
    pub from: Uuid,
    pub to: Uuid,
    pub kind: String,
    pub note: Option<String>,
}

/// Links two events; the same link (same ends and kind) twice is a CONFLICT.
pub async fn link(db: &Database, input: NewLink) -> ServiceResult<event_link::Model> {
    let input = &input;
    write(db, |txn| {
        Box::pin(async move {
            let row = link_in(&txn, input).await?;
            Ok(Written::touching([Touched::event(row.from_event_id, Operation::Update)], row))
        })
    })
    .await
}

async fn link_in(txn: &DatabaseTransaction, input: &NewLink) -> ServiceResult<event_link::Model> {
    let LinkFields { kind, note } =
        rules::link::fields(input.from, input.to, "targetId", &input.kind, input.note.as_deref())?;
    for (field, id) in [("sourceId", input.from), ("targetId", input.to)] {
        live(txn, id).await.map_err(|error| match error {
            ServiceError::NotFound { .. } => ServiceError::validation(field, "no event has this ID"),
            other => other,
        })?;
    }
    let existing = event_link::Entity::find()
        .filter(event_link::Column::FromEventId.eq(input.from))
        .filter(event_link::Column::ToEventId.eq(input.to))
        .filter(event_link::Column::Kind.eq(kind.clone()))
        .one(txn)
        .await?;
    if existing.is_some() {
        return Err(ServiceError::Conflict(format!("these events are already linked as {kind:?}")));
    }
    history::keep(txn, &[input.from]).await?;
    let row = event_link::Entity::insert(event_link::ActiveModel {
        id: Set(Uuid::now_v7()),
        from_event_id: Set(input.from),
        to_event_id: Set(input.to),
        kind: Set(kind),
        note: Set(note),
        created_at: Set(Utc::now()),
    })
    .exec_with_returning(txn)
    .await?;
    touch(txn, input.from, None).await?;
    Ok(row)
}

/// Removes a link; returns its ID.
pub async fn unlink(db: &Database, id: Uuid) -> ServiceResult<Uuid> {
    write(db, |txn| {
        Box::pin(async move {
            let row = event_link::Entity::find_by_id(id)
                .one(&*txn)
                .await?
                .ok_or_else(|| ServiceError::not_found("event link", id))?;
            history::keep(&*txn, &[row.from_event_id]).await?;
            event_link::Entity::delete_by_id(id).exec(&*txn).await?;
            touch(&txn, row.from_event_id, None).await?;
            Ok(Written::touching([Touched::event(row.from_event_id, Operation::Update)], id))
        })
    })
    .await
}
