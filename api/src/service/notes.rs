//! Notes on events and the stars tokens put on them. A note is plain text by a named token; its
//! author edits or deletes it, an admin any note; every change of a note is in the audit trail
//! (entity `note`) and announced to `eventChanged` subscribers as a change of its event. A star is a token's own bookmark of an event: set or cleared, not audited.

use std::collections::HashMap;

use chrono::Utc;
use entity::{event_star, note};
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{ActiveValue::Set, ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use super::event_version::live;
use super::history::{Operation, Touched};
use super::write::{Written, write};
use crate::changes::{ChangeKind, EventChange};
use crate::db::Database;
use crate::error::{ServiceError, ServiceResult};

/// The longest note, in characters.
pub const MAX_BODY: usize = 10_000;

/// Who asks for a change of a note: the token's name, and whether it is an admin's.
#[derive(Debug, Clone)]
pub struct Writer {
    pub name: String,
    pub admin: bool,
}

/// A note's text, the input `field`: trimmed, not empty, at most [`MAX_BODY`] characters, no NUL
/// (the rules every text obeys; an import checks its notes with them too).
pub fn body(field: &str, text: &str) -> ServiceResult<String> {
    if text.trim().is_empty() {
        return Err(ServiceError::validation(field, "a note needs some text"));
    }
    super::rules::required_text(field, text, MAX_BODY)
}

/// Adds a note to a live event.
pub async fn add(db: &Database, event_id: Uuid, writer: &Writer, text: &str) -> ServiceResult<note::Model> {
    let text = body("body", text)?;
    let text = &text;
    write(db, |txn| {
        Box::pin(async move {
            let event = live(&*txn, event_id).await.map_err(|error| match error {
                ServiceError::NotFound { .. } => ServiceError::validation("eventId", "no event has this ID"),
                other => other,
            })?;
            let now = Utc::now();
            let row = note::Entity::insert(note::ActiveModel {
                id: Set(Uuid::now_v7()),
                event_id: Set(event_id),
                body: Set(text.clone()),
                author: Set(Some(writer.name.clone())),
                version: Set(1),
                created_at: Set(now),
                updated_at: Set(now),
            })
            .exec_with_returning(&*txn)
            .await?;
            Ok(Written::touching([Touched::note(row.id, Operation::Create)], row).announcing(noted(&event)))
        })
    })
    .await
}

/// The announcement that an event's notes changed: the event at its version (a note is not a
/// version of the event, so subscribers see the same version and read the event again).
fn noted(event: &entity::event::Model) -> EventChange {
    EventChange { kind: ChangeKind::Updated, event_id: event.id, version: event.version }
}

/// [`noted`] for the event a note is on, unless that event is deleted (then nobody shows it).
async fn on_event(txn: &sea_orm::DatabaseTransaction, event_id: Uuid) -> ServiceResult<Option<EventChange>> {
    match live(txn, event_id).await {
        Ok(event) => Ok(Some(noted(&event))),
        Err(ServiceError::NotFound { .. }) => Ok(None),
        Err(other) => Err(other),
    }
}

/// The note, if `writer` may change it: its author, or an admin.
async fn own(txn: &sea_orm::DatabaseTransaction, id: Uuid, writer: &Writer) -> ServiceResult<note::Model> {
    let row = note::Entity::find_by_id(id).one(txn).await?.ok_or_else(|| ServiceError::not_found("note", id))?;
    if !writer.admin && row.author.as_deref() != Some(writer.name.as_str()) {
        return Err(ServiceError::Forbidden);
    }
    Ok(row)
}

/// Changes the text of a note at `version` (CONFLICT if it changed since).
pub async fn update(db: &Database, id: Uuid, version: i32, writer: &Writer, text: &str) -> ServiceResult<note::Model> {
    let text = body("body", text)?;
    let text = &text;
    write(db, |txn| {
        Box::pin(async move {
            let row = own(&txn, id, writer).await?;
            if row.version != version {
                return Err(ServiceError::Conflict(format!(
                    "the note was changed since you read it: it is at version {}, you sent version {version}",
                    row.version
                )));
            }
            let row = note::Entity::update(note::ActiveModel {
                id: Set(id),
                body: Set(text.clone()),
                version: Set(version + 1),
                updated_at: Set(Utc::now()),
                ..Default::default()
            })
            .exec(&*txn)
            .await?;
            let announced = on_event(&txn, row.event_id).await?;
            Ok(announced
                .into_iter()
                .fold(Written::touching([Touched::note(id, Operation::Update)], row), Written::announcing))
        })
    })
    .await
}

/// Deletes a note; the audit trail keeps what it said.
pub async fn delete(db: &Database, id: Uuid, writer: &Writer) -> ServiceResult<Uuid> {
    write(db, |txn| {
        Box::pin(async move {
            let row = own(&txn, id, writer).await?;
            note::Entity::delete_by_id(id).exec(&*txn).await?;
            let announced = on_event(&txn, row.event_id).await?;
            Ok(announced
                .into_iter()
                .fold(Written::touching([Touched::note(id, Operation::Delete)], id), Written::announcing))
        })
    })
    .await
}

/// The notes of these events, each event's in the order they were written.
pub async fn of_events(db: &Database, event_ids: &[Uuid]) -> ServiceResult<HashMap<Uuid, Vec<note::Model>>> {
    let mut grouped: HashMap<Uuid, Vec<note::Model>> = HashMap::new();
    for chunk in event_ids.chunks(500) {
        for row in note::Entity::find()
            .filter(note::Column::EventId.is_in(chunk.to_vec()))
            .order_by_asc(note::Column::CreatedAt)
            .order_by_asc(note::Column::Id)
            .all(db.reader())
            .await?
        {
            grouped.entry(row.event_id).or_default().push(row);
        }
    }
    Ok(grouped)
}

/// Notes whose text holds every word of `search` (case-insensitive), newest first, at most `first`.
pub async fn search(db: &Database, search: &str, first: u64) -> ServiceResult<Vec<note::Model>> {
    let words: Vec<String> = search.split_whitespace().map(str::to_lowercase).take(8).collect();
    if words.is_empty() {
        return Err(ServiceError::validation("search", "give at least one word"));
    }
    let mut condition = Condition::all();
    for word in &words {
        // LIKE's own wildcards in the word are matched as themselves.
        let escaped = word.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        condition = condition.add(
            Expr::expr(Func::lower(Expr::col(note::Column::Body)))
                .like(sea_orm::sea_query::LikeExpr::new(format!("%{escaped}%")).escape('\\')),
        );
    }
    Ok(note::Entity::find()
        .filter(condition)
        .order_by_desc(note::Column::CreatedAt)
        .order_by_desc(note::Column::Id)
        .limit(first)
        .all(db.reader())
        .await?)
}

/// Stars or unstars an event for a token; returns whether it is starred now.
pub async fn set_star(db: &Database, event_id: Uuid, token: &str, starred: bool) -> ServiceResult<bool> {
    write(db, |txn| {
        Box::pin(async move {
            live(&*txn, event_id).await.map_err(|error| match error {
                ServiceError::NotFound { .. } => ServiceError::validation("eventId", "no event has this ID"),
                other => other,
            })?;
            let existing = event_star::Entity::find_by_id((event_id, token.to_owned())).one(&*txn).await?;
            match (existing, starred) {
                (None, true) => {
                    event_star::Entity::insert(event_star::ActiveModel {
                        event_id: Set(event_id),
                        token: Set(token.to_owned()),
                        created_at: Set(Utc::now()),
                    })
                    .exec_without_returning(&*txn)
                    .await?;
                }
                (Some(_), false) => {
                    event_star::Entity::delete_by_id((event_id, token.to_owned())).exec(&*txn).await?;
                }
                (Some(_), true) | (None, false) => {}
            }
            // A bookmark of one token, not the record: nothing for the audit trail.
            Ok(Written::touching([], starred))
        })
    })
    .await
}

/// The stars of these events: for each starred one, whether `token` starred it and how many
/// tokens did; two queries for any number of events.
pub async fn stars_of_events(
    db: &Database,
    event_ids: &[Uuid],
    token: Option<&str>,
) -> ServiceResult<HashMap<Uuid, (bool, u64)>> {
    let mut stars: HashMap<Uuid, (bool, u64)> = HashMap::new();
    for chunk in event_ids.chunks(500) {
        let counts: Vec<(Uuid, i64)> = event_star::Entity::find()
            .select_only()
            .column(event_star::Column::EventId)
            .column_as(event_star::Column::EventId.count(), "stars")
            .filter(event_star::Column::EventId.is_in(chunk.to_vec()))
            .group_by(event_star::Column::EventId)
            .into_tuple()
            .all(db.reader())
            .await?;
        for (event_id, count) in counts {
            stars.entry(event_id).or_default().1 = u64::try_from(count).unwrap_or_default();
        }
        if let Some(token) = token {
            let mine: Vec<Uuid> = event_star::Entity::find()
                .select_only()
                .column(event_star::Column::EventId)
                .filter(event_star::Column::EventId.is_in(chunk.to_vec()))
                .filter(event_star::Column::Token.eq(token))
                .into_tuple()
                .all(db.reader())
                .await?;
            for event_id in mine {
                stars.entry(event_id).or_default().0 = true;
            }
        }
    }
    Ok(stars)
}

/// One note.
pub async fn get(db: &Database, id: Uuid) -> ServiceResult<Option<note::Model>> {
    Ok(note::Entity::find_by_id(id).one(db.reader()).await?)
}
