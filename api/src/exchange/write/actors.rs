//! Writing the actors of a batch: checked by the rules `service::actors` obeys, inserted or updated
//! (by key) many per statement, with their search documents.

use std::collections::HashMap;

use chrono::Utc;
use entity::{actor, participation};
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::service::history::{Operation, Touched};

use super::known::{ActorInfo, Known};
use super::search::{self, Document};
use super::sql;
use super::summary::Summary;
use crate::error::ServiceResult;
use crate::exchange::chronik::ActorEntry;
use crate::exchange::error::{ImportError, Position};
use crate::service::rules::{self, actor::ActorFields};

fn check(entry: &ActorEntry) -> ServiceResult<ActorFields> {
    rules::actor::fields(&entry.name, &entry.kind, &entry.aliases, entry.description.as_deref())
}

fn model(id: Uuid, version: i32, key: &str, checked: &ActorFields) -> actor::ActiveModel {
    let now = Utc::now();
    actor::ActiveModel {
        id: Set(id),
        name: Set(checked.name.clone()),
        kind: Set(checked.kind.clone()),
        aliases: Set(serde_json::Value::from(checked.aliases.clone())),
        description: Set(checked.description.clone()),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(version),
        external_id: Set(Some(key.to_owned())),
    }
}

fn document(id: Uuid, checked: &ActorFields) -> Document {
    Document {
        id,
        title: checked.name.clone(),
        body: checked.description.clone().unwrap_or_default(),
        names: checked.aliases.join("\n"),
    }
}

fn names(checked: &ActorFields) -> String {
    std::iter::once(checked.name.as_str())
        .chain(checked.aliases.iter().map(String::as_str))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Writes a batch of actors: new keys are created, known ones updated.
pub async fn flush(
    txn: &DatabaseTransaction,
    batch: Vec<(Position, ActorEntry)>,
    known: &mut Known,
    summary: &mut Summary,
) -> Result<(), ImportError> {
    let keys: Vec<String> = batch.iter().map(|(_, entry)| entry.key.clone()).collect();
    let mut existing: HashMap<String, actor::Model> = HashMap::new();
    for chunk in keys.chunks(sql::rows_per_statement(1)) {
        for row in actor::Entity::find().filter(actor::Column::ExternalId.is_in(chunk.to_vec())).all(txn).await? {
            if let Some(key) = row.external_id.clone() {
                existing.insert(key, row);
            }
        }
    }
    let mut models = Vec::with_capacity(batch.len());
    let mut documents = Vec::with_capacity(batch.len());
    let mut renamed = Vec::new();
    for (at, entry) in &batch {
        let checked = check(entry).map_err(|error| ImportError::at(at, error))?;
        let (id, version) = match existing.get(&entry.key) {
            Some(row) => {
                summary.actors_updated += 1;
                known.written.push(Touched::actor(row.id, Operation::Update));
                if row.name != checked.name || crate::service::search::aliases(row) != checked.aliases {
                    renamed.push(row.id);
                }
                (row.id, row.version + 1)
            }
            None => {
                summary.actors_created += 1;
                let id = Uuid::now_v7();
                known.written.push(Touched::actor(id, Operation::Create));
                (id, 1)
            }
        };
        models.push(model(id, version, &entry.key, &checked));
        documents.push(document(id, &checked));
        known.remember_actor(&entry.key, ActorInfo { id, names: names(&checked) });
    }
    sql::insert_all(txn, models, Some(&sql::update_on_id::<actor::Entity>())).await?;
    search::upsert(txn, "actor", documents).await?;
    reindex_events_of(txn, &renamed).await?;
    Ok(())
}

/// The search documents of events name their actors: rebuild them after a rename.
async fn reindex_events_of(txn: &DatabaseTransaction, actors: &[Uuid]) -> Result<(), ImportError> {
    if actors.is_empty() {
        return Ok(());
    }
    let events: Vec<Uuid> = participation::Entity::find()
        .select_only()
        .column(participation::Column::EventId)
        .filter(participation::Column::ActorId.is_in(actors.to_vec()))
        .distinct()
        .into_tuple()
        .all(txn)
        .await?;
    for chunk in events.chunks(500) {
        crate::service::search::index_events(txn, chunk).await?;
    }
    Ok(())
}

/// An actor named inline: the one with this key, else the first of this name, else a new one.
pub async fn stub(
    txn: &DatabaseTransaction,
    at: &Position,
    entry: &ActorEntry,
    known: &mut Known,
    summary: &mut Summary,
) -> Result<(), ImportError> {
    if known.has_stub_actor(&entry.key) {
        return Ok(());
    }
    let by_key = actor::Entity::find().filter(actor::Column::ExternalId.eq(entry.key.clone())).one(txn).await?;
    let found = match by_key {
        Some(row) => Some(row),
        None => {
            actor::Entity::find()
                .filter(actor::Column::Name.eq(entry.name.trim()))
                .order_by_asc(actor::Column::Id)
                .one(txn)
                .await?
        }
    };
    let info = match found {
        Some(row) => ActorInfo::of(&row),
        None => {
            let checked = check(entry).map_err(|error| ImportError::at(at, error))?;
            let id = Uuid::now_v7();
            sql::insert_all(txn, vec![model(id, 1, &entry.key, &checked)], None).await?;
            search::upsert(txn, "actor", vec![document(id, &checked)]).await?;
            summary.actors_created += 1;
            known.written.push(Touched::actor(id, Operation::Create));
            ActorInfo { id, names: names(&checked) }
        }
    };
    known.remember_stub_actor(&entry.key, info);
    Ok(())
}
