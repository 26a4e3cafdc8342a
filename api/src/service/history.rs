//! History: the audit trail of every write and the revisions of events, both written inside the
//! write's own transaction, and read back as "what changed" (and, in [`super::as_of`], "what was
//! known at instant X").

use std::collections::HashMap;

use chrono::Utc;
use entity::{
    access_token, account, actor, audit_log, citation, event, event_link, event_revision, event_tag, note,
    participation, saved_view, source, source_change, story,
};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait, Statement, Value,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::page::{self, Page, PageRequest};
use crate::changes::{ChangeKind, EventChange};
use crate::db::{Database, Editor};
use crate::error::{ServiceError, ServiceResult};

/// What kind of record a history entry is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Entity {
    Event,
    Actor,
    Source,
    Token,
    Account,
    SourceChange,
    Note,
    View,
    Story,
}

impl Entity {
    pub fn name(self) -> &'static str {
        match self {
            Entity::Event => "event",
            Entity::Actor => "actor",
            Entity::Source => "source",
            Entity::Token => "token",
            Entity::Account => "account",
            Entity::SourceChange => "source_change",
            Entity::Note => "note",
            Entity::View => "view",
            Entity::Story => "story",
        }
    }
}

/// What a write did to a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    Create,
    Update,
    Delete,
    Restore,
    Purge,
    Merge,
    Revoke,
    /// An earlier version of an event made current again (a new version).
    Revert,
}

impl Operation {
    pub fn name(self) -> &'static str {
        match self {
            Operation::Create => "create",
            Operation::Update => "update",
            Operation::Delete => "delete",
            Operation::Restore => "restore",
            Operation::Purge => "purge",
            Operation::Merge => "merge",
            Operation::Revoke => "revoke",
            Operation::Revert => "revert",
        }
    }
}

/// A record a write touched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Touched {
    pub entity: Entity,
    pub id: Uuid,
    pub operation: Operation,
}

impl Touched {
    pub fn event(id: Uuid, operation: Operation) -> Self {
        Self { entity: Entity::Event, id, operation }
    }

    pub fn actor(id: Uuid, operation: Operation) -> Self {
        Self { entity: Entity::Actor, id, operation }
    }

    pub fn source(id: Uuid, operation: Operation) -> Self {
        Self { entity: Entity::Source, id, operation }
    }

    pub fn token(id: Uuid, operation: Operation) -> Self {
        Self { entity: Entity::Token, id, operation }
    }

    pub fn account(id: Uuid, operation: Operation) -> Self {
        Self { entity: Entity::Account, id, operation }
    }

    pub fn source_change(id: Uuid, operation: Operation) -> Self {
        Self { entity: Entity::SourceChange, id, operation }
    }

    pub fn note(id: Uuid, operation: Operation) -> Self {
        Self { entity: Entity::Note, id, operation }
    }

    pub fn view(id: Uuid, operation: Operation) -> Self {
        Self { entity: Entity::View, id, operation }
    }

    pub fn story(id: Uuid, operation: Operation) -> Self {
        Self { entity: Entity::Story, id, operation }
    }
}

/// An event with its parts, as it stood at one version.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Snapshot {
    pub event: event::Model,
    pub tags: Vec<String>,
    pub participants: Vec<participation::Model>,
    pub citations: Vec<citation::Model>,
    pub links: Vec<event_link::Model>,
    /// Its accounts (issue 11); absent from snapshots written before them.
    #[serde(default)]
    pub accounts: Vec<account::Model>,
}

/// The snapshots of these events as they are in the transaction: five queries for any number.
async fn snapshots(connection: &impl ConnectionTrait, ids: &[Uuid]) -> ServiceResult<HashMap<Uuid, Snapshot>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let events = event::Entity::find().filter(event::Column::Id.is_in(ids.to_vec())).all(connection).await?;
    let mut tags: HashMap<Uuid, Vec<String>> = HashMap::new();
    for row in event_tag::Entity::find().filter(event_tag::Column::EventId.is_in(ids.to_vec())).all(connection).await? {
        tags.entry(row.event_id).or_default().push(row.tag);
    }
    // In Rust's order, not the database collation's: a write that has its tags in hand sorts
    // them the same way.
    for list in tags.values_mut() {
        list.sort_unstable();
    }
    let mut participants: HashMap<Uuid, Vec<participation::Model>> = HashMap::new();
    for row in participation::Entity::find()
        .filter(participation::Column::EventId.is_in(ids.to_vec()))
        .order_by_asc(participation::Column::Id)
        .all(connection)
        .await?
    {
        participants.entry(row.event_id).or_default().push(row);
    }
    let mut citations: HashMap<Uuid, Vec<citation::Model>> = HashMap::new();
    for row in citation::Entity::find()
        .filter(citation::Column::EventId.is_in(ids.to_vec()))
        .order_by_asc(citation::Column::Id)
        .all(connection)
        .await?
    {
        citations.entry(row.event_id).or_default().push(row);
    }
    let mut links: HashMap<Uuid, Vec<event_link::Model>> = HashMap::new();
    for row in event_link::Entity::find()
        .filter(event_link::Column::FromEventId.is_in(ids.to_vec()))
        .order_by_asc(event_link::Column::Id)
        .all(connection)
        .await?
    {
        links.entry(row.from_event_id).or_default().push(row);
    }
    let mut accounts: HashMap<Uuid, Vec<account::Model>> = HashMap::new();
    for row in account::Entity::find()
        .filter(account::Column::EventId.is_in(ids.to_vec()))
        .order_by_asc(account::Column::Id)
        .all(connection)
        .await?
    {
        accounts.entry(row.event_id).or_default().push(row);
    }
    Ok(events
        .into_iter()
        .map(|event| {
            let id = event.id;
            let snapshot = Snapshot {
                event,
                tags: tags.remove(&id).unwrap_or_default(),
                participants: participants.remove(&id).unwrap_or_default(),
                citations: citations.remove(&id).unwrap_or_default(),
                links: links.remove(&id).unwrap_or_default(),
                accounts: accounts.remove(&id).unwrap_or_default(),
            };
            (id, snapshot)
        })
        .collect())
}

fn to_json<T: Serialize>(value: &T) -> ServiceResult<serde_json::Value> {
    serde_json::to_value(value).map_err(|error| ServiceError::Database(sea_orm::DbErr::Custom(error.to_string())))
}

/// The actors, sources, tokens and notes of a chunk as they are now in the transaction, as JSON
/// (absent when gone). Events are read as [`Snapshot`]s.
async fn currents(
    connection: &impl ConnectionTrait,
    chunk: &[Touched],
) -> ServiceResult<HashMap<(&'static str, Uuid), serde_json::Value>> {
    let of = |entity: Entity| chunk.iter().filter(move |t| t.entity == entity).map(|t| t.id).collect::<Vec<_>>();
    let mut found = HashMap::new();
    let actors = of(Entity::Actor);
    if !actors.is_empty() {
        for row in actor::Entity::find().filter(actor::Column::Id.is_in(actors)).all(connection).await? {
            found.insert((Entity::Actor.name(), row.id), to_json(&row)?);
        }
    }
    let sources = of(Entity::Source);
    if !sources.is_empty() {
        for row in source::Entity::find().filter(source::Column::Id.is_in(sources)).all(connection).await? {
            found.insert((Entity::Source.name(), row.id), to_json(&row)?);
        }
    }
    let tokens = of(Entity::Token);
    if !tokens.is_empty() {
        for row in access_token::Entity::find().filter(access_token::Column::Id.is_in(tokens)).all(connection).await? {
            // The hash stays out of the trail; the name, role, prefix and dates are what matter.
            let value = serde_json::json!({ "id": row.id, "name": row.name, "role": row.role, "prefix": row.prefix,
                "createdAt": row.created_at, "revokedAt": row.revoked_at });
            found.insert((Entity::Token.name(), row.id), value);
        }
    }
    let accounts = of(Entity::Account);
    if !accounts.is_empty() {
        for row in account::Entity::find().filter(account::Column::Id.is_in(accounts)).all(connection).await? {
            found.insert((Entity::Account.name(), row.id), to_json(&row)?);
        }
    }
    let changes = of(Entity::SourceChange);
    if !changes.is_empty() {
        for row in
            source_change::Entity::find().filter(source_change::Column::Id.is_in(changes)).all(connection).await?
        {
            found.insert((Entity::SourceChange.name(), row.id), to_json(&row)?);
        }
    }
    let notes = of(Entity::Note);
    if !notes.is_empty() {
        for row in note::Entity::find().filter(note::Column::Id.is_in(notes)).all(connection).await? {
            found.insert((Entity::Note.name(), row.id), to_json(&row)?);
        }
    }
    let views = of(Entity::View);
    if !views.is_empty() {
        for row in saved_view::Entity::find().filter(saved_view::Column::Id.is_in(views)).all(connection).await? {
            found.insert((Entity::View.name(), row.id), to_json(&row)?);
        }
    }
    let stories = of(Entity::Story);
    if !stories.is_empty() {
        for row in story::Entity::find().filter(story::Column::Id.is_in(stories)).all(connection).await? {
            found.insert((Entity::Story.name(), row.id), to_json(&row)?);
        }
    }
    Ok(found)
}

/// How many records one round of history writing handles (bounds the size of IN lists).
const CHUNK: usize = 500;

/// Writes the audit rows and event revisions for a write, in its transaction, in a few batched
/// statements per 500 records; returns the changes to announce to live subscribers. A record
/// touched twice is recorded once, with the first operation (a create stays a create).
pub async fn record(
    txn: &DatabaseTransaction,
    editor: Option<&Editor>,
    touched: &[Touched],
) -> ServiceResult<Vec<EventChange>> {
    record_known(txn, editor, touched, HashMap::new()).await
}

/// [`record`], given the snapshots of some of the events as they now stand in the transaction
/// (a write that has just written them has them): those are not read back.
pub async fn record_known(
    txn: &DatabaseTransaction,
    editor: Option<&Editor>,
    touched: &[Touched],
    mut known: HashMap<Uuid, Snapshot>,
) -> ServiceResult<Vec<EventChange>> {
    let mut seen = std::collections::HashSet::new();
    let unique: Vec<Touched> = touched.iter().copied().filter(|t| seen.insert((t.entity, t.id))).collect();
    let mut changes = Vec::new();
    for chunk in unique.chunks(CHUNK) {
        record_chunk(txn, editor, chunk, &mut known, &mut changes).await?;
    }
    Ok(changes)
}

async fn record_chunk(
    txn: &DatabaseTransaction,
    editor: Option<&Editor>,
    chunk: &[Touched],
    known: &mut HashMap<Uuid, Snapshot>,
    changes: &mut Vec<EventChange>,
) -> ServiceResult<()> {
    let now = Utc::now();
    let by = editor.and_then(|e| e.name.clone());
    let request_id = editor.and_then(|e| e.request_id.clone());
    let events = chunk.iter().filter(|t| t.entity == Entity::Event);
    let unknown: Vec<Uuid> = events.clone().filter(|t| !known.contains_key(&t.id)).map(|t| t.id).collect();
    let mut snapshots = snapshots(txn, &unknown).await?;
    for item in events {
        if let Some(snapshot) = known.remove(&item.id) {
            snapshots.insert(item.id, snapshot);
        }
    }
    let mut afters = currents(txn, chunk).await?;
    // What each record was: the `after` of its latest audit row. A record created now has none.
    let ids: Vec<Uuid> = chunk.iter().filter(|t| t.operation != Operation::Create).map(|t| t.id).collect();
    let mut befores: HashMap<(String, Uuid), serde_json::Value> = HashMap::new();
    if !ids.is_empty() {
        for row in audit_log::Entity::find()
            .filter(audit_log::Column::EntityId.is_in(ids))
            .order_by_asc(audit_log::Column::Id)
            .all(txn)
            .await?
        {
            if let Some(after) = row.after {
                befores.insert((row.entity, row.entity_id), after);
            }
        }
    }
    let mut audit_rows = Vec::with_capacity(chunk.len());
    let mut revisions = Vec::new();
    for item in chunk {
        let audit_id = Uuid::now_v7();
        let before = befores.remove(&(item.entity.name().to_owned(), item.id));
        let after = match item.entity {
            Entity::Event => match snapshots.remove(&item.id) {
                None => {
                    changes.push(EventChange { kind: ChangeKind::Deleted, event_id: item.id, version: 0 });
                    None
                }
                Some(snapshot) => {
                    let after = to_json(&snapshot)?;
                    let row = &snapshot.event;
                    revisions.push(event_revision::ActiveModel {
                        event_id: Set(row.id),
                        version: Set(row.version),
                        at: Set(now),
                        by: Set(by.clone()),
                        operation: Set(item.operation.name().to_owned()),
                        deleted: Set(row.deleted_at.is_some()),
                        start_earliest: Set(row.start_earliest),
                        start_precision: Set(row.start_precision),
                        span_latest: Set(row.span_latest),
                        kind: Set(row.kind.clone()),
                        parent_id: Set(row.parent_id),
                        // Kept once, as the audit row's `after`.
                        snapshot: Set(serde_json::Value::Null),
                        audit_id: Set(Some(audit_id)),
                    });
                    let kind = match item.operation {
                        Operation::Create => ChangeKind::Created,
                        Operation::Delete | Operation::Purge => ChangeKind::Deleted,
                        Operation::Update
                        | Operation::Restore
                        | Operation::Merge
                        | Operation::Revoke
                        | Operation::Revert => ChangeKind::Updated,
                    };
                    changes.push(EventChange { kind, event_id: row.id, version: row.version });
                    Some(after)
                }
            },
            Entity::Actor
            | Entity::Source
            | Entity::Token
            | Entity::Account
            | Entity::SourceChange
            | Entity::Note
            | Entity::View
            | Entity::Story => afters.remove(&(item.entity.name(), item.id)),
        };
        audit_rows.push(audit_log::ActiveModel {
            id: Set(audit_id),
            at: Set(now),
            by: Set(by.clone()),
            request_id: Set(request_id.clone()),
            operation: Set(item.operation.name().to_owned()),
            entity: Set(item.entity.name().to_owned()),
            entity_id: Set(item.id),
            before: Set(before),
            after: Set(after),
        });
    }
    let backend = txn.get_database_backend();
    let audit = (!audit_rows.is_empty()).then(|| audit_log::Entity::insert_many(audit_rows).build(backend));
    let revisions = (!revisions.is_empty()).then(|| event_revision::Entity::insert_many(revisions).build(backend));
    match (audit, revisions) {
        // SQLite's driver runs the statements of one text in turn, each taking its share of the
        // values: the audit rows and the revisions in one round trip to the writer's thread,
        // where each round trip is two thread switches while every other write waits.
        (Some(audit), Some(revisions)) if backend == DatabaseBackend::Sqlite => {
            let sql = format!("{}; {}", audit.sql, revisions.sql);
            let mut values = audit.values.map(|v| v.0).unwrap_or_default();
            values.extend(revisions.values.map(|v| v.0).unwrap_or_default());
            txn.execute_raw(Statement::from_sql_and_values(backend, sql, values)).await?;
        }
        (audit, revisions) => {
            for statement in [audit, revisions].into_iter().flatten() {
                txn.execute_raw(statement).await?;
            }
        }
    }
    Ok(())
}

/// A revision with the snapshot it records.
pub type Revision = (event_revision::Model, Snapshot);

/// The revisions of these events, oldest first, with their snapshots.
pub async fn revisions(db: &Database, event_ids: &[Uuid]) -> ServiceResult<HashMap<Uuid, Vec<Revision>>> {
    let rows = event_revision::Entity::find()
        .filter(event_revision::Column::EventId.is_in(event_ids.to_vec()))
        .order_by_asc(event_revision::Column::EventId)
        .order_by_asc(event_revision::Column::Version)
        .all(db.reader())
        .await?;
    let mut grouped: HashMap<Uuid, Vec<Revision>> = HashMap::new();
    for revision in with_snapshots(db, rows).await? {
        grouped.entry(revision.0.event_id).or_default().push(revision);
    }
    Ok(grouped)
}

/// Revisions with their snapshots: each its own, or the `after` of the audit row that recorded
/// it (see `event_revision`); one query for any number of them.
pub async fn with_snapshots(db: &Database, rows: Vec<event_revision::Model>) -> ServiceResult<Vec<Revision>> {
    let audit_ids: Vec<Uuid> = rows.iter().filter_map(|row| row.audit_id).collect();
    let mut afters: HashMap<Uuid, serde_json::Value> = HashMap::new();
    for chunk in audit_ids.chunks(CHUNK) {
        let found = audit_log::Entity::find()
            .select_only()
            .columns([audit_log::Column::Id, audit_log::Column::After])
            .filter(audit_log::Column::Id.is_in(chunk.to_vec()))
            .into_tuple::<(Uuid, Option<serde_json::Value>)>()
            .all(db.reader())
            .await?;
        afters.extend(found.into_iter().filter_map(|(id, after)| Some((id, after?))));
    }
    rows.into_iter()
        .map(|row| {
            let json = match row.audit_id {
                Some(audit_id) => afters.remove(&audit_id).ok_or_else(|| unreadable("its audit row is missing"))?,
                None => row.snapshot.clone(),
            };
            let snapshot = serde_json::from_value(json).map_err(|error| unreadable(&error.to_string()))?;
            Ok((row, snapshot))
        })
        .collect()
}

fn unreadable(why: &str) -> ServiceError {
    ServiceError::Database(sea_orm::DbErr::Custom(format!("unreadable revision: {why}")))
}

/// The snapshot of one revision.
pub(super) async fn snapshot_of(db: &Database, revision: event_revision::Model) -> ServiceResult<Snapshot> {
    let mut found = with_snapshots(db, vec![revision]).await?;
    found.pop().map(|(_, snapshot)| snapshot).ok_or_else(|| unreadable("not found"))
}

/// The top-level fields that differ between two snapshots of an event (for `revisions { changes }`).
pub fn changed_fields(before: Option<&Snapshot>, after: &Snapshot) -> Vec<String> {
    let Some(before) = before else {
        return vec!["created".to_owned()];
    };
    let mut changed = Vec::new();
    let (old, new) = (&before.event, &after.event);
    let pairs: [(&str, bool); 11] = [
        ("title", old.title != new.title),
        ("summary", old.summary != new.summary),
        ("kind", old.kind != new.kind),
        ("start", old.start_value != new.start_value),
        ("end", old.end_value != new.end_value),
        ("timeZone", old.time_zone != new.time_zone),
        (
            "place",
            (&old.place_name, old.place_latitude, old.place_longitude)
                != (&new.place_name, new.place_latitude, new.place_longitude),
        ),
        ("confidence", old.confidence != new.confidence),
        ("parent", old.parent_id != new.parent_id),
        ("deleted", old.deleted_at.is_some() != new.deleted_at.is_some()),
        ("tags", before.tags != after.tags),
    ];
    changed.extend(pairs.iter().filter(|(_, differs)| *differs).map(|(name, _)| (*name).to_owned()));
    let ids = |rows: &[participation::Model]| {
        rows.iter().map(|p| (p.actor_id, p.role.clone(), p.note.clone())).collect::<Vec<_>>()
    };
    if ids(&before.participants) != ids(&after.participants) {
        changed.push("participants".to_owned());
    }
    let cites = |rows: &[citation::Model]| {
        rows.iter().map(|c| (c.source_id, c.quote.clone(), c.supports.clone())).collect::<Vec<_>>()
    };
    if cites(&before.citations) != cites(&after.citations) {
        changed.push("citations".to_owned());
    }
    let links = |rows: &[event_link::Model]| rows.iter().map(|l| (l.to_event_id, l.kind.clone())).collect::<Vec<_>>();
    if links(&before.links) != links(&after.links) {
        changed.push("links".to_owned());
    }
    if before.accounts != after.accounts {
        changed.push("accounts".to_owned());
    }
    if (&old.first_reported_value, old.first_reported_set) != (&new.first_reported_value, new.first_reported_set) {
        changed.push("firstReported".to_owned());
    }
    changed
}

/// The audit trail, newest first, optionally of one record.
pub async fn audit(
    db: &Database,
    entity_id: Option<Uuid>,
    request: &PageRequest,
) -> ServiceResult<Page<audit_log::Model>> {
    let mut select = audit_log::Entity::find();
    if let Some(id) = entity_id {
        select = select.filter(audit_log::Column::EntityId.eq(id));
    }
    let key = request.key::<Uuid>()?.map(|id| vec![Value::from(id)]);
    Ok(page::fetch(db.reader(), select, &[audit_log::Column::Id], key, request, true).await?)
}

pub async fn audit_count(db: &Database, entity_id: Option<Uuid>) -> ServiceResult<u64> {
    let mut select = audit_log::Entity::find();
    if let Some(id) = entity_id {
        select = select.filter(audit_log::Column::EntityId.eq(id));
    }
    Ok(sea_orm::PaginatorTrait::count(select, db.reader()).await?)
}

pub fn audit_cursor(row: &audit_log::Model) -> String {
    page::encode_cursor(&row.id)
}
