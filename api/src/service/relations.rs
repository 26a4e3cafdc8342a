//! Batched relation loading: each function loads one relation for many rows in one query
//! (`… WHERE key IN (…)`), so a page of events costs the same number of statements at any size.

use std::collections::HashMap;
use std::hash::Hash;

use entity::{actor, citation, event, event_link, event_tag, participation, source};
use sea_orm::{ColumnTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::db::Database;

/// The keys of an `IN (…)` list, padded with the last key to a power of two. A page's lists
/// then come in a handful of lengths, so each connection prepares a handful of statements and
/// keeps them, instead of preparing one for every length it meets (SQLite keeps 100 per
/// connection, and a statement with 100 placeholders takes longer to prepare than to run).
pub(super) fn padded(ids: &[Uuid]) -> Vec<Uuid> {
    let mut padded = ids.to_vec();
    if let Some(&last) = ids.last() {
        padded.resize(ids.len().next_power_of_two(), last);
    }
    padded
}

fn group<K: Eq + Hash, V>(rows: Vec<V>, key: impl Fn(&V) -> K) -> HashMap<K, Vec<V>> {
    let mut grouped: HashMap<K, Vec<V>> = HashMap::new();
    for row in rows {
        grouped.entry(key(&row)).or_default().push(row);
    }
    grouped
}

/// Rows read with what they point to (a join): the rows grouped by `key`, in their order, and
/// what they point to by `id`.
fn group_joined<R, T>(
    rows: Vec<(R, Option<T>)>,
    key: impl Fn(&R) -> Uuid,
    id: impl Fn(&T) -> Uuid,
) -> (HashMap<Uuid, Vec<R>>, HashMap<Uuid, T>) {
    let mut targets = HashMap::new();
    let mut grouped: HashMap<Uuid, Vec<R>> = HashMap::new();
    for (row, target) in rows {
        if let Some(target) = target {
            targets.insert(id(&target), target);
        }
        grouped.entry(key(&row)).or_default().push(row);
    }
    (grouped, targets)
}

pub async fn tags(db: &Database, event_ids: &[Uuid]) -> Result<HashMap<Uuid, Vec<String>>, DbErr> {
    let rows =
        event_tag::Entity::find().filter(event_tag::Column::EventId.is_in(padded(event_ids))).all(db.reader()).await?;
    let mut grouped: HashMap<Uuid, Vec<String>> = HashMap::new();
    for row in rows {
        grouped.entry(row.event_id).or_default().push(row.tag);
    }
    // In Rust's order, whatever the database's collation: revisions keep tags this way too.
    for tags in grouped.values_mut() {
        tags.sort_unstable();
    }
    Ok(grouped)
}

pub async fn participations_of_events(
    db: &Database,
    event_ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<participation::Model>>, DbErr> {
    let rows = participation::Entity::find()
        .filter(participation::Column::EventId.is_in(padded(event_ids)))
        .order_by_asc(participation::Column::Id)
        .all(db.reader())
        .await?;
    Ok(group(rows, |row| row.event_id))
}

/// The participations of these events with their actors, in one statement (a join): a page of
/// the timeline asks for both together.
pub async fn participations_with_actors(
    db: &Database,
    event_ids: &[Uuid],
) -> Result<(HashMap<Uuid, Vec<participation::Model>>, HashMap<Uuid, actor::Model>), DbErr> {
    let rows = participation::Entity::find()
        .filter(participation::Column::EventId.is_in(padded(event_ids)))
        .find_also_related(actor::Entity)
        .order_by_asc(participation::Column::Id)
        .all(db.reader())
        .await?;
    Ok(group_joined(rows, |row| row.event_id, |actor| actor.id))
}

pub async fn participations_of_actors(
    db: &Database,
    actor_ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<participation::Model>>, DbErr> {
    let rows = participation::Entity::find()
        .filter(participation::Column::ActorId.is_in(padded(actor_ids)))
        .order_by_asc(participation::Column::Id)
        .all(db.reader())
        .await?;
    Ok(group(rows, |row| row.actor_id))
}

pub async fn citations_of_events(
    db: &Database,
    event_ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<citation::Model>>, DbErr> {
    let rows = citation::Entity::find()
        .filter(citation::Column::EventId.is_in(padded(event_ids)))
        .order_by_asc(citation::Column::Id)
        .all(db.reader())
        .await?;
    Ok(group(rows, |row| row.event_id))
}

/// The citations of these events with their sources, in one statement (a join).
pub async fn citations_with_sources(
    db: &Database,
    event_ids: &[Uuid],
) -> Result<(HashMap<Uuid, Vec<citation::Model>>, HashMap<Uuid, source::Model>), DbErr> {
    let rows = citation::Entity::find()
        .filter(citation::Column::EventId.is_in(padded(event_ids)))
        .find_also_related(source::Entity)
        .order_by_asc(citation::Column::Id)
        .all(db.reader())
        .await?;
    Ok(group_joined(rows, |row| row.event_id, |source| source.id))
}

pub async fn citations_of_sources(
    db: &Database,
    source_ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<citation::Model>>, DbErr> {
    let rows = citation::Entity::find()
        .filter(citation::Column::SourceId.is_in(padded(source_ids)))
        .order_by_asc(citation::Column::Id)
        .all(db.reader())
        .await?;
    Ok(group(rows, |row| row.source_id))
}

/// Links leaving these events (`outgoing`) or arriving at them.
pub async fn links(
    db: &Database,
    event_ids: &[Uuid],
    outgoing: bool,
) -> Result<HashMap<Uuid, Vec<event_link::Model>>, DbErr> {
    let column = if outgoing { event_link::Column::FromEventId } else { event_link::Column::ToEventId };
    let rows = event_link::Entity::find()
        .filter(column.is_in(padded(event_ids)))
        .order_by_asc(event_link::Column::Id)
        .all(db.reader())
        .await?;
    Ok(group(rows, |row| if outgoing { row.from_event_id } else { row.to_event_id }))
}

/// Events by ID, leaving out deleted ones.
pub async fn events(db: &Database, ids: &[Uuid]) -> Result<HashMap<Uuid, event::Model>, DbErr> {
    let rows = event::Entity::find()
        .filter(event::Column::Id.is_in(padded(ids)))
        .filter(event::Column::DeletedAt.is_null())
        .all(db.reader())
        .await?;
    Ok(rows.into_iter().map(|row| (row.id, row)).collect())
}

pub async fn actors(db: &Database, ids: &[Uuid]) -> Result<HashMap<Uuid, actor::Model>, DbErr> {
    let rows = actor::Entity::find().filter(actor::Column::Id.is_in(padded(ids))).all(db.reader()).await?;
    Ok(rows.into_iter().map(|row| (row.id, row)).collect())
}

pub async fn sources(db: &Database, ids: &[Uuid]) -> Result<HashMap<Uuid, source::Model>, DbErr> {
    let rows = source::Entity::find().filter(source::Column::Id.is_in(padded(ids))).all(db.reader()).await?;
    Ok(rows.into_iter().map(|row| (row.id, row)).collect())
}

pub async fn participations(db: &Database, ids: &[Uuid]) -> Result<HashMap<Uuid, participation::Model>, DbErr> {
    let rows =
        participation::Entity::find().filter(participation::Column::Id.is_in(padded(ids))).all(db.reader()).await?;
    Ok(rows.into_iter().map(|row| (row.id, row)).collect())
}

pub async fn citations(db: &Database, ids: &[Uuid]) -> Result<HashMap<Uuid, citation::Model>, DbErr> {
    let rows = citation::Entity::find().filter(citation::Column::Id.is_in(padded(ids))).all(db.reader()).await?;
    Ok(rows.into_iter().map(|row| (row.id, row)).collect())
}

pub async fn event_links(db: &Database, ids: &[Uuid]) -> Result<HashMap<Uuid, event_link::Model>, DbErr> {
    let rows = event_link::Entity::find().filter(event_link::Column::Id.is_in(padded(ids))).all(db.reader()).await?;
    Ok(rows.into_iter().map(|row| (row.id, row)).collect())
}
