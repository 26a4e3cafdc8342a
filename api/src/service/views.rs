//! Saved views: a named state of the timeline page (filters, lanes, window, axis, display time
//! zone, "as known at" instant and the open event) kept on the server for the team, each field
//! checked before it is stored as one JSON document; audited as entity `view`.

use chrono::{DateTime, Utc};
use entity::saved_view;
use sea_orm::{ActiveValue::Set, EntityTrait, QueryOrder, QuerySelect};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::history::{Operation, Touched};
use super::notes::Writer;
use super::owned;
use super::rules::{required_text, time_zone};
use super::write::{Written, write};
use crate::db::Database;
use crate::error::{ServiceError, ServiceResult};
use crate::ids::{self, NodeKind};

/// The longest name of a view, in characters.
pub const MAX_NAME: usize = 200;
/// The most entries of each list of a view (actors, kinds, tags, sources).
pub const MAX_ENTRIES: usize = 100;
/// The longest entry of a list, the date bounds and the search, in characters.
pub const MAX_TEXT: usize = 500;
/// The largest state a view may store, as JSON (its fields' own limits keep it under this).
pub const MAX_STATE_BYTES: usize = 64 * 1024;

/// The state of the page a view stores; the same fields as the page's link (frontend/src/url.ts).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ViewState {
    /// What the lanes are: `actor`, `kind` or `tag`.
    pub group: String,
    /// Actor IDs (global).
    pub actors: Vec<String>,
    pub kinds: Vec<String>,
    pub tags: Vec<String>,
    /// Fuzzy dates bounding the events shown ('' for none).
    pub from: String,
    pub to: String,
    /// The search words.
    pub q: String,
    /// The window of the timeline (both or neither).
    pub start: Option<DateTime<Utc>>,
    pub end: Option<DateTime<Utc>>,
    /// The timeline as the database held it at this instant.
    pub as_of: Option<DateTime<Utc>>,
    /// Which date places events: `happened`, `reported` or `both`.
    pub axis: String,
    pub disputed: bool,
    pub weak: bool,
    /// Source IDs (global): only events resting on them.
    pub rests_on: Vec<String>,
    /// The time zone times are shown in: '' for the browser's, `UTC`, or an IANA name.
    pub time_zone: String,
    /// The event whose detail is open (global ID), if any.
    pub event: Option<String>,
}

/// A list of texts: at most [`MAX_ENTRIES`], each trimmed, not empty, at most [`MAX_TEXT`].
fn texts(field: &str, items: &[String]) -> ServiceResult<Vec<String>> {
    if items.len() > MAX_ENTRIES {
        return Err(ServiceError::validation(
            field,
            format!("has {} entries; the limit is {MAX_ENTRIES}", items.len()),
        ));
    }
    items.iter().map(|item| required_text(field, item, MAX_TEXT)).collect()
}

/// A list of global IDs of `kind`.
fn ids_of(field: &str, kind: NodeKind, items: &[String]) -> ServiceResult<Vec<String>> {
    let items = texts(field, items)?;
    for item in &items {
        ids::decode(kind, item, field)?;
    }
    Ok(items)
}

/// A text that may be empty, at most [`MAX_TEXT`] characters.
fn short(field: &str, value: &str) -> ServiceResult<String> {
    let trimmed = value.trim();
    if trimmed.chars().count() > MAX_TEXT || trimmed.contains('\0') {
        return Err(ServiceError::validation(field, format!("must be at most {MAX_TEXT} characters, without NUL")));
    }
    Ok(trimmed.to_owned())
}

/// Checks every field of a view's state; the error names the field as `state.<field>`.
pub fn check(state: &ViewState) -> ServiceResult<ViewState> {
    let group = match state.group.as_str() {
        "" | "actor" => "actor",
        "kind" => "kind",
        "tag" => "tag",
        other => return Err(ServiceError::validation("state.group", format!("{other:?} is not actor, kind or tag"))),
    };
    let axis = match state.axis.as_str() {
        "" | "happened" => "happened",
        "reported" => "reported",
        "both" => "both",
        other => {
            return Err(ServiceError::validation("state.axis", format!("{other:?} is not happened, reported or both")));
        }
    };
    let from = short("state.from", &state.from)?;
    if !from.is_empty() {
        super::dates::parse("state.from", &from, None)?;
    }
    let to = short("state.to", &state.to)?;
    if !to.is_empty() {
        super::dates::parse("state.to", &to, None)?;
    }
    match (state.start, state.end) {
        (None, None) => {}
        (Some(start), Some(end)) if start < end => {}
        (Some(_), Some(_)) => return Err(ServiceError::validation("state.end", "the window must end after it starts")),
        (None, Some(_)) => {
            return Err(ServiceError::validation("state.start", "give both ends of the window, or neither"));
        }
        (Some(_), None) => {
            return Err(ServiceError::validation("state.end", "give both ends of the window, or neither"));
        }
    }
    let time_zone = match state.time_zone.trim() {
        "" => String::new(),
        "UTC" => "UTC".to_owned(),
        name => time_zone("state.timeZone", Some(name))?.map(|zone| zone.name().to_owned()).unwrap_or_default(),
    };
    let event = match state.event.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(id) => {
            ids::decode(NodeKind::Event, id, "state.event")?;
            Some(id.to_owned())
        }
    };
    Ok(ViewState {
        group: group.to_owned(),
        actors: ids_of("state.actors", NodeKind::Actor, &state.actors)?,
        kinds: texts("state.kinds", &state.kinds)?,
        tags: texts("state.tags", &state.tags)?,
        from,
        to,
        q: short("state.q", &state.q)?,
        start: state.start,
        end: state.end,
        as_of: state.as_of,
        axis: axis.to_owned(),
        disputed: state.disputed,
        weak: state.weak,
        rests_on: ids_of("state.restsOn", NodeKind::Source, &state.rests_on)?,
        time_zone,
        event,
    })
}

/// The stored state of a view (a document this module wrote; an unreadable one is a bug).
pub fn state_of(row: &saved_view::Model) -> ServiceResult<ViewState> {
    serde_json::from_str(&row.state)
        .map_err(|error| ServiceError::Database(sea_orm::DbErr::Custom(format!("view {}: {error}", row.id))))
}

/// Checks a view's name and state, and returns them with the state as stored JSON.
fn checked(name: &str, state: &ViewState) -> ServiceResult<(String, String)> {
    let name = required_text("name", name, MAX_NAME)?;
    let json = serde_json::to_string(&check(state)?)
        .map_err(|error| ServiceError::Database(sea_orm::DbErr::Custom(error.to_string())))?;
    if json.len() > MAX_STATE_BYTES {
        return Err(ServiceError::validation("state", format!("is over {MAX_STATE_BYTES} bytes")));
    }
    Ok((name, json))
}

/// Saves a view: a new one when `id` is None, else the view `id` at `version` (its author's, or
/// any for an admin; CONFLICT if it changed since).
pub async fn save(
    db: &Database,
    id: Option<Uuid>,
    version: Option<i32>,
    writer: &Writer,
    name: &str,
    state: &ViewState,
) -> ServiceResult<saved_view::Model> {
    let (name, json) = checked(name, state)?;
    let (name, json) = (&name, &json);
    write(db, |txn| {
        Box::pin(async move {
            let now = Utc::now();
            let Some(id) = id else {
                let row = saved_view::Entity::insert(saved_view::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    name: Set(name.clone()),
                    state: Set(json.clone()),
                    author: Set(Some(writer.name.clone())),
                    version: Set(1),
                    created_at: Set(now),
                    updated_at: Set(now),
                })
                .exec_with_returning(&*txn)
                .await?;
                return Ok(Written::touching([Touched::view(row.id, Operation::Create)], row));
            };
            let row = saved_view::Entity::find_by_id(id)
                .one(&*txn)
                .await?
                .ok_or_else(|| ServiceError::not_found("view", id))?;
            owned::may_change(row.author.as_deref(), writer)?;
            let next = owned::at_version("view", row.version, version)?;
            let row = saved_view::Entity::update(saved_view::ActiveModel {
                id: Set(id),
                name: Set(name.clone()),
                state: Set(json.clone()),
                version: Set(next),
                updated_at: Set(now),
                ..Default::default()
            })
            .exec(&*txn)
            .await?;
            Ok(Written::touching([Touched::view(id, Operation::Update)], row))
        })
    })
    .await
}

/// Deletes a view (its author's, or any for an admin); the audit trail keeps what it held.
pub async fn delete(db: &Database, id: Uuid, writer: &Writer) -> ServiceResult<Uuid> {
    write(db, |txn| {
        Box::pin(async move {
            let row = saved_view::Entity::find_by_id(id)
                .one(&*txn)
                .await?
                .ok_or_else(|| ServiceError::not_found("view", id))?;
            owned::may_change(row.author.as_deref(), writer)?;
            saved_view::Entity::delete_by_id(id).exec(&*txn).await?;
            Ok(Written::touching([Touched::view(id, Operation::Delete)], id))
        })
    })
    .await
}

/// One view.
pub async fn get(db: &Database, id: Uuid) -> ServiceResult<Option<saved_view::Model>> {
    Ok(saved_view::Entity::find_by_id(id).one(db.reader()).await?)
}

/// A page of views in name order: `first` from `offset`.
pub async fn list(db: &Database, first: i32, offset: i32) -> ServiceResult<Vec<saved_view::Model>> {
    let (first, offset) = owned::page(first, offset)?;
    Ok(saved_view::Entity::find()
        .order_by_asc(saved_view::Column::Name)
        .order_by_asc(saved_view::Column::Id)
        .limit(first)
        .offset(offset)
        .all(db.reader())
        .await?)
}
