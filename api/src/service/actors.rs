//! Actors: the people and bodies that take part in events; create, edit, merge duplicates, list.

use std::collections::HashSet;

use chrono::Utc;
use entity::{actor, citation, participation};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter,
    QuerySelect, Value,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::history::{self, Operation, Touched};
use super::page::{self, Page, PageRequest};
use super::rules;
use super::search;
use super::write::{Written, write};
use crate::db::Database;
use crate::error::{ServiceError, ServiceResult};

#[derive(Debug, Clone, Default)]
pub struct NewActor {
    pub name: String,
    pub kind: String,
    pub aliases: Vec<String>,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct ActorChanges {
    pub name: Option<String>,
    pub kind: Option<String>,
    pub aliases: Option<Vec<String>>,
    pub description: Option<Option<String>>,
}

pub async fn create(db: &Database, input: NewActor) -> ServiceResult<actor::Model> {
    let input = &input;
    write(db, |txn| {
        Box::pin(async move {
            let row = create_in(&txn, input.clone()).await?;
            Ok(Written::touching([Touched::actor(row.id, Operation::Create)], row))
        })
    })
    .await
}

/// [`create`] inside the caller's transaction, which records nothing: the caller's business.
pub async fn create_in(txn: &DatabaseTransaction, input: NewActor) -> ServiceResult<actor::Model> {
    let fields = rules::actor::fields(&input.name, &input.kind, &input.aliases, input.description.as_deref())?;
    let now = Utc::now();
    let model = actor::ActiveModel {
        id: Set(Uuid::now_v7()),
        name: Set(fields.name),
        kind: Set(fields.kind),
        aliases: Set(serde_json::Value::from(fields.aliases)),
        description: Set(fields.description),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        // Set by imports only (exchange::write).
        external_id: Default::default(),
    };
    let row = actor::Entity::insert(model).exec_with_returning(txn).await?;
    search::index_actor(txn, &row).await?;
    Ok(row)
}

async fn events_of(txn: &impl sea_orm::ConnectionTrait, actor_ids: &[Uuid]) -> ServiceResult<Vec<Uuid>> {
    let ids: Vec<Uuid> = participation::Entity::find()
        .select_only()
        .column(participation::Column::EventId)
        .filter(participation::Column::ActorId.is_in(actor_ids.to_vec()))
        .distinct()
        .into_tuple()
        .all(txn)
        .await?;
    Ok(ids)
}

/// Applies changes to the actor at `version`; the search documents of its events follow a rename.
pub async fn update(db: &Database, id: Uuid, version: i32, changes: ActorChanges) -> ServiceResult<actor::Model> {
    let changes = &changes;
    write(db, |txn| {
        Box::pin(async move {
            let row = update_in(&txn, id, version, changes).await?;
            Ok(Written::touching([Touched::actor(row.id, Operation::Update)], row))
        })
    })
    .await
}

async fn update_in(
    txn: &DatabaseTransaction,
    id: Uuid,
    version: i32,
    changes: &ActorChanges,
) -> ServiceResult<actor::Model> {
    let current = actor::Entity::find_by_id(id).one(txn).await?.ok_or_else(|| ServiceError::not_found("actor", id))?;
    if current.version != version {
        return Err(ServiceError::Conflict(format!(
            "the actor was changed since you read it: it is at version {}, you sent version {version}",
            current.version
        )));
    }
    let mut model = actor::ActiveModel { updated_at: Set(Utc::now()), version: Set(version + 1), ..Default::default() };
    if let Some(name) = &changes.name {
        model.name = Set(rules::actor::name(name)?);
    }
    if let Some(kind) = &changes.kind {
        model.kind = Set(rules::actor::kind(kind)?);
    }
    if let Some(aliases) = &changes.aliases {
        model.aliases = Set(serde_json::Value::from(rules::actor::aliases(aliases)?));
    }
    if let Some(description) = &changes.description {
        model.description = Set(rules::actor::description(description.as_deref())?);
    }
    let result = actor::Entity::update_many()
        .set(model)
        .filter(actor::Column::Id.eq(id))
        .filter(actor::Column::Version.eq(version))
        .exec(txn)
        .await?;
    if result.rows_affected != 1 {
        return Err(ServiceError::Conflict("the actor was changed by another request at the same time".into()));
    }
    let row = actor::Entity::find_by_id(id).one(txn).await?.ok_or_else(|| ServiceError::not_found("actor", id))?;
    search::index_actor(txn, &row).await?;
    let events = events_of(txn, &[id]).await?;
    search::index_events(txn, &events).await?;
    Ok(row)
}

/// Deletes an actor that takes part in no event (merge it into another to keep its history).
pub async fn delete(db: &Database, id: Uuid) -> ServiceResult<Uuid> {
    write(db, |txn| {
        Box::pin(async move {
            actor::Entity::find_by_id(id).one(&*txn).await?.ok_or_else(|| ServiceError::not_found("actor", id))?;
            let used = participation::Entity::find().filter(participation::Column::ActorId.eq(id)).count(&*txn).await?;
            if used > 0 {
                return Err(ServiceError::Conflict(format!(
                    "the actor takes part in {used} event(s): merge it into another actor or remove those participations first"
                )));
            }
            let told =
                entity::account::Entity::find().filter(entity::account::Column::ActorId.eq(id)).count(&*txn).await?;
            if told > 0 {
                return Err(ServiceError::Conflict(format!(
                    "{told} account(s) name the actor: merge it into another actor or remove those accounts first"
                )));
            }
            actor::Entity::delete_by_id(id).exec(&*txn).await?;
            search::remove(&*txn, search::Entity::Actor, id).await?;
            Ok(Written::touching([Touched::actor(id, Operation::Delete)], id))
        })
    })
    .await
}

/// Merges duplicate actors into `into`: their participations and citations move to it (a
/// participation it already has with the same role is dropped), their names become aliases,
/// and they are deleted.
pub async fn merge(db: &Database, into: Uuid, from: &[Uuid]) -> ServiceResult<actor::Model> {
    write(db, |txn| {
        Box::pin(async move {
            let (row, events) = merge_in(&txn, into, from).await?;
            let touched = std::iter::once(Touched::actor(into, Operation::Merge))
                .chain(from.iter().map(|id| Touched::actor(*id, Operation::Delete)))
                .chain(events.iter().map(|id| Touched::event(*id, Operation::Update)));
            Ok(Written::touching(touched, row))
        })
    })
    .await
}

/// Merges, and returns the merged actor and the events whose participants changed.
async fn merge_in(txn: &DatabaseTransaction, into: Uuid, from: &[Uuid]) -> ServiceResult<(actor::Model, Vec<Uuid>)> {
    if from.is_empty() {
        return Err(ServiceError::validation("sourceIds", "name at least one actor to merge"));
    }
    if from.contains(&into) {
        return Err(ServiceError::validation("sourceIds", "an actor cannot be merged into itself"));
    }
    let target =
        actor::Entity::find_by_id(into).one(txn).await?.ok_or_else(|| ServiceError::not_found("actor", into))?;
    let merged = actor::Entity::find().filter(actor::Column::Id.is_in(from.to_vec())).all(txn).await?;
    if let Some(missing) = from.iter().position(|id| !merged.iter().any(|m| m.id == *id)) {
        return Err(ServiceError::validation(format!("sourceIds[{missing}]"), "no actor has this ID"));
    }
    let mut events = events_of(txn, from).await?;
    // Accounts naming a merged actor name the one it is merged into (their events change too).
    let told =
        entity::account::Entity::find().filter(entity::account::Column::ActorId.is_in(from.to_vec())).all(txn).await?;
    for account in &told {
        if !events.contains(&account.event_id) {
            events.push(account.event_id);
        }
    }
    history::keep(txn, &events).await?;
    if !told.is_empty() {
        entity::account::Entity::update_many()
            .col_expr(entity::account::Column::ActorId, Expr::value(into))
            .filter(entity::account::Column::ActorId.is_in(from.to_vec()))
            .exec(txn)
            .await?;
    }

    let kept: HashSet<(Uuid, String)> = participation::Entity::find()
        .filter(participation::Column::ActorId.eq(into))
        .all(txn)
        .await?
        .into_iter()
        .map(|p| (p.event_id, p.role))
        .collect();
    let moving =
        participation::Entity::find().filter(participation::Column::ActorId.is_in(from.to_vec())).all(txn).await?;
    let mut seen = kept;
    for row in moving {
        if seen.insert((row.event_id, row.role.clone())) {
            participation::Entity::update_many()
                .col_expr(participation::Column::ActorId, Expr::value(into))
                .filter(participation::Column::Id.eq(row.id))
                .exec(txn)
                .await?;
        } else {
            participation::Entity::delete_by_id(row.id).exec(txn).await?;
        }
    }
    citation::Entity::update_many()
        .col_expr(citation::Column::SupportsActorId, Expr::value(into))
        .filter(citation::Column::SupportsActorId.is_in(from.to_vec()))
        .exec(txn)
        .await?;

    let mut aliases = search::aliases(&target);
    for actor in &merged {
        for name in std::iter::once(actor.name.clone()).chain(search::aliases(actor)) {
            if name != target.name && !aliases.contains(&name) {
                aliases.push(name);
            }
        }
    }
    actor::Entity::update_many()
        .col_expr(actor::Column::Aliases, Expr::value(serde_json::Value::from(aliases)))
        .col_expr(actor::Column::Version, Expr::value(target.version + 1))
        .col_expr(actor::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(actor::Column::Id.eq(into))
        .exec(txn)
        .await?;
    actor::Entity::delete_many().filter(actor::Column::Id.is_in(from.to_vec())).exec(txn).await?;
    for id in from {
        search::remove(txn, search::Entity::Actor, *id).await?;
    }
    let row = actor::Entity::find_by_id(into).one(txn).await?.ok_or_else(|| ServiceError::not_found("actor", into))?;
    search::index_actor(txn, &row).await?;
    search::index_events(txn, &events).await?;
    // Their participants changed: new versions, so editors holding the old ones get CONFLICT.
    for event in &events {
        super::event_version::touch(txn, *event, None).await?;
    }
    Ok((row, events))
}

pub async fn get(db: &Database, id: Uuid) -> ServiceResult<Option<actor::Model>> {
    Ok(actor::Entity::find_by_id(id).one(db.reader()).await?)
}

#[derive(Debug, Serialize, Deserialize)]
struct ActorKey(String, Uuid);

pub fn cursor(row: &actor::Model) -> String {
    page::encode_cursor(&ActorKey(row.name.clone(), row.id))
}

fn filtered(db: &Database, search_text: Option<&str>) -> sea_orm::Select<actor::Entity> {
    let mut condition = Condition::all();
    if let Some(matches) = search_text.and_then(|text| search::condition(db.backend(), search::Entity::Actor, text)) {
        condition = condition.add(matches);
    }
    actor::Entity::find().filter(condition)
}

/// Actors in name order, optionally those matching a full-text search over names, aliases and descriptions.
pub async fn list(
    db: &Database,
    search_text: Option<&str>,
    request: &PageRequest,
) -> ServiceResult<Page<actor::Model>> {
    let key = request.key::<ActorKey>()?.map(|ActorKey(name, id)| vec![Value::from(name), Value::from(id)]);
    let columns = [actor::Column::Name, actor::Column::Id];
    Ok(page::fetch(db.reader(), filtered(db, search_text), &columns, key, request, false).await?)
}

pub async fn count(db: &Database, search_text: Option<&str>) -> ServiceResult<u64> {
    Ok(filtered(db, search_text).count(db.reader()).await?)
}
