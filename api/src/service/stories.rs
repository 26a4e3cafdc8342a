//! Stories: an ordered selection of events with a short text per step, saved for the team and
//! played on the page step by step; audited as entity `story`. Every step's event must exist (and
//! not be deleted) when the story is saved; a step whose event is deleted later plays as missing.

use std::collections::HashSet;

use chrono::Utc;
use entity::{event, story};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::history::{Operation, Touched};
use super::notes::Writer;
use super::owned;
use super::rules::required_text;
use super::write::{Written, write};
use crate::db::Database;
use crate::error::{ServiceError, ServiceResult};

/// The longest title of a story, in characters.
pub const MAX_TITLE: usize = 200;
/// The most steps a story holds.
pub const MAX_STEPS: usize = 100;
/// The longest text of a step, in characters.
pub const MAX_STEP_TEXT: usize = 2_000;

/// One step: an event and what the story says of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Step {
    pub event_id: Uuid,
    pub text: String,
}

/// Checks a story's title and steps (not their events: [`save`] looks those up).
pub fn check(title: &str, steps: &[Step]) -> ServiceResult<(String, Vec<Step>)> {
    let title = required_text("title", title, MAX_TITLE)?;
    if steps.is_empty() {
        return Err(ServiceError::validation("steps", "a story needs at least one step"));
    }
    if steps.len() > MAX_STEPS {
        return Err(ServiceError::validation("steps", format!("has {} steps; the limit is {MAX_STEPS}", steps.len())));
    }
    let steps = steps
        .iter()
        .enumerate()
        .map(|(at, step)| {
            let field = format!("steps.{at}.text");
            let text = step.text.trim();
            if text.chars().count() > MAX_STEP_TEXT || text.contains('\0') {
                return Err(ServiceError::validation(
                    field,
                    format!("must be at most {MAX_STEP_TEXT} characters, without NUL"),
                ));
            }
            Ok(Step { event_id: step.event_id, text: text.to_owned() })
        })
        .collect::<ServiceResult<Vec<_>>>()?;
    Ok((title, steps))
}

/// The steps of a stored story (a document this module wrote; an unreadable one is a bug).
pub fn steps_of(row: &story::Model) -> ServiceResult<Vec<Step>> {
    serde_json::from_str(&row.steps)
        .map_err(|error| ServiceError::Database(sea_orm::DbErr::Custom(format!("story {}: {error}", row.id))))
}

/// Saves a story: a new one when `id` is None, else the story `id` at `version` (its author's, or
/// any for an admin; CONFLICT if it changed since). Each step's event must be live.
pub async fn save(
    db: &Database,
    id: Option<Uuid>,
    version: Option<i32>,
    writer: &Writer,
    title: &str,
    steps: &[Step],
) -> ServiceResult<story::Model> {
    let (title, steps) = check(title, steps)?;
    let json = serde_json::to_string(&steps)
        .map_err(|error| ServiceError::Database(sea_orm::DbErr::Custom(error.to_string())))?;
    let (title, steps, json) = (&title, &steps, &json);
    write(db, |txn| {
        Box::pin(async move {
            let wanted: Vec<Uuid> =
                steps.iter().map(|step| step.event_id).collect::<HashSet<_>>().into_iter().collect();
            let live: HashSet<Uuid> = event::Entity::find()
                .select_only()
                .column(event::Column::Id)
                .filter(event::Column::Id.is_in(wanted))
                .filter(event::Column::DeletedAt.is_null())
                .into_tuple()
                .all(&*txn)
                .await?
                .into_iter()
                .collect();
            if let Some(at) = steps.iter().position(|step| !live.contains(&step.event_id)) {
                return Err(ServiceError::validation(format!("steps.{at}.eventId"), "no event has this ID"));
            }
            let now = Utc::now();
            let Some(id) = id else {
                let row = story::Entity::insert(story::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    title: Set(title.clone()),
                    steps: Set(json.clone()),
                    author: Set(Some(writer.name.clone())),
                    version: Set(1),
                    created_at: Set(now),
                    updated_at: Set(now),
                })
                .exec_with_returning(&*txn)
                .await?;
                return Ok(Written::touching([Touched::story(row.id, Operation::Create)], row));
            };
            let row =
                story::Entity::find_by_id(id).one(&*txn).await?.ok_or_else(|| ServiceError::not_found("story", id))?;
            owned::may_change(row.author.as_deref(), writer)?;
            let next = owned::at_version("story", row.version, version)?;
            let row = story::Entity::update(story::ActiveModel {
                id: Set(id),
                title: Set(title.clone()),
                steps: Set(json.clone()),
                version: Set(next),
                updated_at: Set(now),
                ..Default::default()
            })
            .exec(&*txn)
            .await?;
            Ok(Written::touching([Touched::story(id, Operation::Update)], row))
        })
    })
    .await
}

/// Deletes a story (its author's, or any for an admin); the audit trail keeps what it held.
pub async fn delete(db: &Database, id: Uuid, writer: &Writer) -> ServiceResult<Uuid> {
    write(db, |txn| {
        Box::pin(async move {
            let row =
                story::Entity::find_by_id(id).one(&*txn).await?.ok_or_else(|| ServiceError::not_found("story", id))?;
            owned::may_change(row.author.as_deref(), writer)?;
            story::Entity::delete_by_id(id).exec(&*txn).await?;
            Ok(Written::touching([Touched::story(id, Operation::Delete)], id))
        })
    })
    .await
}

/// One story.
pub async fn get(db: &Database, id: Uuid) -> ServiceResult<Option<story::Model>> {
    Ok(story::Entity::find_by_id(id).one(db.reader()).await?)
}

/// A page of stories in title order: `first` from `offset`.
pub async fn list(db: &Database, first: i32, offset: i32) -> ServiceResult<Vec<story::Model>> {
    let (first, offset) = owned::page(first, offset)?;
    Ok(story::Entity::find()
        .order_by_asc(story::Column::Title)
        .order_by_asc(story::Column::Id)
        .limit(first)
        .offset(offset)
        .all(db.reader())
        .await?)
}
