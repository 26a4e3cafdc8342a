//! History: the audit trail of every write and the revisions of events, both written inside the
//! write's own transaction, and read back as "what changed" (and, in [`super::as_of`], "what was
//! known at instant X").

use std::collections::HashMap;

use chrono::{SubsecRound as _, Utc};
use entity::{
    access_token, account, actor, audit_log, citation, event, event_link, event_revision, event_tag, note,
    participation, saved_view, source, source_change, story,
};
use sea_orm::sea_query::{Alias, CaseStatement, Expr, JoinType, Query};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseBackend, DatabaseTransaction, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, QueryTrait, Statement, Value,
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
    /// An imported file (one audit row for the file; see [`Versions::CopyOnWrite`]).
    Import,
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
            Entity::Import => "import",
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
    /// A file read into the database.
    Import,
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
            Operation::Import => "import",
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

impl Snapshot {
    /// The row alone, its parts left empty: all a copy-on-write revision records of the version
    /// it opens (the whole snapshot is written by [`keep`] when that version is replaced).
    pub fn row_alone(event: event::Model) -> Self {
        Self {
            event,
            tags: Vec::new(),
            participants: Vec::new(),
            citations: Vec::new(),
            links: Vec::new(),
            accounts: Vec::new(),
        }
    }
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

/// One event as it now stands in the transaction, with its parts.
pub async fn current(connection: &impl ConnectionTrait, id: Uuid) -> ServiceResult<Option<Snapshot>> {
    Ok(snapshots(connection, &[id]).await?.remove(&id))
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

/// How the versions of the events a write touches are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Versions {
    /// Each version's snapshot is written with it, as the `after` of its own audit row: an edit
    /// is one record, and its audit row says what it changed.
    Audited,
    /// Copy-on-write, as SQL:2011's system-versioned tables keep history (an import): a new
    /// version's revision holds its dates and kind but no snapshot, and no audit row (the file
    /// has one). While the version is current its snapshot *is* the event's own rows; the write
    /// that replaces it first copies them into the revision ([`keep`]).
    CopyOnWrite,
}

/// Writes the audit rows and event revisions for a write, in its transaction, in a few batched
/// statements per 500 records; returns the changes to announce to live subscribers. A record
/// touched twice is recorded once, with the first operation (a create stays a create).
pub async fn record(
    txn: &DatabaseTransaction,
    editor: Option<&Editor>,
    touched: &[Touched],
) -> ServiceResult<Vec<EventChange>> {
    record_known(txn, editor, touched, Known::default(), Versions::Audited).await
}

/// Snapshots of events a write has in hand, which [`record_known`] then does not read back.
#[derive(Debug, Default)]
pub struct Known {
    /// Events as the write has just written them.
    pub now: HashMap<Uuid, Snapshot>,
    /// Events as they were before the write, where nothing else keeps that: those [`keep`]
    /// returned for a write that then removes their revisions (a purge).
    pub was: HashMap<Uuid, Snapshot>,
}

/// [`record`], given the snapshots of some of the events as they now stand in the transaction
/// (a write that has just written them has them; those are not read back), or stood before it.
pub async fn record_known(
    txn: &DatabaseTransaction,
    editor: Option<&Editor>,
    touched: &[Touched],
    known: Known,
    versions: Versions,
) -> ServiceResult<Vec<EventChange>> {
    let (changes, statements) = prepare_known(txn, editor, touched, known, versions).await?;
    for statement in statements {
        txn.execute_raw(statement).await?;
    }
    Ok(changes)
}

/// [`record_known`] but for running its statements: what it reads is read, and the statements
/// that write the audit rows and revisions are returned (on SQLite one text per 500 records),
/// for a writer that sends them with its next statement. A write built whole before it takes
/// the writer runs it on a reader ([`super::write::write_whole`]): the history of events it
/// creates, their snapshots known, reads nothing.
pub async fn prepare_known(
    txn: &impl ConnectionTrait,
    editor: Option<&Editor>,
    touched: &[Touched],
    mut known: Known,
    versions: Versions,
) -> ServiceResult<(Vec<EventChange>, Vec<Statement>)> {
    let mut seen = std::collections::HashSet::new();
    let unique: Vec<Touched> = touched.iter().copied().filter(|t| seen.insert((t.entity, t.id))).collect();
    let mut changes = Vec::new();
    let mut statements = Vec::new();
    for chunk in unique.chunks(CHUNK) {
        statements.extend(prepare_chunk(txn, editor, chunk, &mut known, versions, &mut changes).await?);
    }
    Ok((changes, statements))
}

/// Before a write changes these events: the snapshot of each one's current version that only
/// its rows hold (a version written copy-on-write, see [`Versions::CopyOnWrite`]) is copied into
/// its revision, and returned. Every write that changes an event, its parts or its revisions
/// calls this first; [`record_known`] refuses a new version whose predecessor was not kept.
pub async fn keep(connection: &impl ConnectionTrait, ids: &[Uuid]) -> ServiceResult<HashMap<Uuid, Snapshot>> {
    let mut kept = HashMap::new();
    for chunk in ids.chunks(CHUNK) {
        let current: Vec<(Uuid, i32, serde_json::Value)> = event_revision::Entity::find()
            .select_only()
            .columns([
                event_revision::Column::EventId,
                event_revision::Column::Version,
                event_revision::Column::Snapshot,
            ])
            .filter(event_revision::Column::EventId.is_in(chunk.to_vec()))
            .filter(event_revision::Column::AuditId.is_null())
            .filter(Expr::cust("version = (SELECT e.version FROM event e WHERE e.id = event_revision.event_id)"))
            .into_tuple()
            .all(connection)
            .await?;
        let pending: Vec<(Uuid, i32)> = current
            .into_iter()
            .filter(|(_, _, snapshot)| snapshot.is_null())
            .map(|(id, version, _)| (id, version))
            .collect();
        if pending.is_empty() {
            continue;
        }
        let ids: Vec<Uuid> = pending.iter().map(|(id, _)| *id).collect();
        let mut rows = snapshots(connection, &ids).await?;
        // One statement for the chunk: each revision (event, version) given its own snapshot.
        let mut snapshot_of = CaseStatement::new();
        let mut revisions = Condition::any();
        for (id, version) in pending {
            let snapshot = rows.remove(&id).ok_or_else(|| unreadable("the event of a current revision is missing"))?;
            snapshot_of = snapshot_of.case(event_revision::Column::EventId.eq(id), Expr::value(to_json(&snapshot)?));
            revisions = revisions.add(
                Condition::all()
                    .add(event_revision::Column::EventId.eq(id))
                    .add(event_revision::Column::Version.eq(version)),
            );
            kept.insert(id, snapshot);
        }
        event_revision::Entity::update_many()
            .col_expr(event_revision::Column::Snapshot, snapshot_of.into())
            .filter(revisions)
            .exec(connection)
            .await?;
    }
    Ok(kept)
}

/// What the records of a chunk were before the write, for their audit rows: an event's latest
/// revision's snapshot (the version this write replaces: its own is not written yet), another
/// record's latest audit row's `after`. Refuses a write that replaces a version written
/// copy-on-write without having kept it ([`keep`]).
async fn befores(
    txn: &impl ConnectionTrait,
    chunk: &[Touched],
    known: &mut Known,
) -> ServiceResult<HashMap<(&'static str, Uuid), serde_json::Value>> {
    // A record created now has no past.
    let replaced = || chunk.iter().filter(|t| t.operation != Operation::Create);
    let mut befores = HashMap::new();
    let others: Vec<Uuid> = replaced().filter(|t| t.entity != Entity::Event).map(|t| t.id).collect();
    if !others.is_empty() {
        let names: HashMap<Uuid, &'static str> =
            replaced().filter(|t| t.entity != Entity::Event).map(|t| (t.id, t.entity.name())).collect();
        for row in audit_log::Entity::find()
            .filter(audit_log::Column::EntityId.is_in(others))
            .order_by_asc(audit_log::Column::Id)
            .all(txn)
            .await?
        {
            if let (Some(after), Some(name)) = (row.after, names.get(&row.entity_id))
                && *name == row.entity
            {
                befores.insert((*name, row.entity_id), after);
            }
        }
    }
    let mut events = Vec::new();
    for item in replaced().filter(|t| t.entity == Entity::Event) {
        match known.was.remove(&item.id) {
            Some(snapshot) => {
                befores.insert((Entity::Event.name(), item.id), to_json(&snapshot)?);
            }
            None => events.push(item.id),
        }
    }
    if events.is_empty() {
        return Ok(befores);
    }
    let (revision, audit) = (Alias::new("r"), Alias::new("a"));
    let latest = Query::select()
        .column((revision.clone(), event_revision::Column::EventId))
        .column((revision.clone(), event_revision::Column::Version))
        .column((revision.clone(), event_revision::Column::AuditId))
        .column((revision.clone(), event_revision::Column::Snapshot))
        .column((audit.clone(), audit_log::Column::After))
        .from_as(event_revision::Entity, revision.clone())
        .join_as(
            JoinType::LeftJoin,
            audit_log::Entity,
            audit.clone(),
            sea_orm::sea_query::ExprTrait::equals(
                Expr::col((audit.clone(), audit_log::Column::Id)),
                (revision.clone(), event_revision::Column::AuditId),
            ),
        )
        .and_where(sea_orm::sea_query::ExprTrait::is_in(
            Expr::col((revision.clone(), event_revision::Column::EventId)),
            events,
        ))
        .and_where(Expr::cust(
            "r.version = (SELECT MAX(v.version) FROM event_revision v WHERE v.event_id = r.event_id)",
        ))
        .to_owned();
    for row in txn.query_all_raw(txn.get_database_backend().build(&latest)).await? {
        let id: Uuid = row.try_get("", "event_id")?;
        let version: i32 = row.try_get("", "version")?;
        let audit_id: Option<Uuid> = row.try_get("", "audit_id")?;
        let own: serde_json::Value = row.try_get("", "snapshot")?;
        let after: Option<serde_json::Value> = row.try_get("", "after")?;
        let before = match (audit_id, own.is_null()) {
            (Some(_), _) => after,
            (None, false) => Some(own),
            // A write that skipped `keep`: that version's snapshot would be lost for good.
            (None, true) => {
                return Err(ServiceError::Database(sea_orm::DbErr::Custom(format!(
                    "version {version} of event {id} is being replaced without its snapshot having been kept"
                ))));
            }
        };
        if let Some(before) = before {
            befores.insert((Entity::Event.name(), id), before);
        }
    }
    Ok(befores)
}

async fn prepare_chunk(
    txn: &impl ConnectionTrait,
    editor: Option<&Editor>,
    chunk: &[Touched],
    known: &mut Known,
    versions: Versions,
    changes: &mut Vec<EventChange>,
) -> ServiceResult<Vec<Statement>> {
    // Whole microseconds, as every other stored time: a revision's `at` is text on SQLite, in its
    // row and in an index, and nanoseconds would only add three bytes to each.
    let now = Utc::now().trunc_subsecs(6);
    let by = editor.and_then(|e| e.name.clone());
    let request_id = editor.and_then(|e| e.request_id.clone());
    let events = chunk.iter().filter(|t| t.entity == Entity::Event);
    let unknown: Vec<Uuid> = events.clone().filter(|t| !known.now.contains_key(&t.id)).map(|t| t.id).collect();
    let mut snapshots = match versions {
        Versions::Audited => snapshots(txn, &unknown).await?,
        // Only the rows' columns are recorded: their parts need not be read.
        Versions::CopyOnWrite => {
            let rows = if unknown.is_empty() {
                Vec::new()
            } else {
                event::Entity::find().filter(event::Column::Id.is_in(unknown)).all(txn).await?
            };
            rows.into_iter().map(|row| (row.id, Snapshot::row_alone(row))).collect()
        }
    };
    for item in events {
        if let Some(snapshot) = known.now.remove(&item.id) {
            snapshots.insert(item.id, snapshot);
        }
    }
    let mut afters = currents(txn, chunk).await?;
    let mut befores = befores(txn, chunk, known).await?;
    let mut audit_rows = Vec::with_capacity(chunk.len());
    let mut revisions = Vec::new();
    for item in chunk {
        let audit_id = Uuid::now_v7();
        let before = befores.remove(&(item.entity.name(), item.id));
        let after = match item.entity {
            Entity::Event => match snapshots.remove(&item.id) {
                None => {
                    changes.push(EventChange { kind: ChangeKind::Deleted, event_id: item.id, version: 0 });
                    None
                }
                Some(snapshot) => {
                    let row = &snapshot.event;
                    let (audit, after) = match versions {
                        // Kept once, as the audit row's `after`.
                        Versions::Audited => (Some(audit_id), Some(to_json(&snapshot)?)),
                        // Kept in the rows until replaced: see `keep`.
                        Versions::CopyOnWrite => (None, None),
                    };
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
                        snapshot: Set(serde_json::Value::Null),
                        audit_id: Set(audit),
                    });
                    let kind = match item.operation {
                        Operation::Create | Operation::Import => ChangeKind::Created,
                        Operation::Delete | Operation::Purge => ChangeKind::Deleted,
                        Operation::Update
                        | Operation::Restore
                        | Operation::Merge
                        | Operation::Revoke
                        | Operation::Revert => ChangeKind::Updated,
                    };
                    changes.push(EventChange { kind, event_id: row.id, version: row.version });
                    if versions == Versions::CopyOnWrite {
                        continue;
                    }
                    after
                }
            },
            Entity::Actor
            | Entity::Source
            | Entity::Token
            | Entity::Account
            | Entity::SourceChange
            | Entity::Note
            | Entity::View
            | Entity::Story
            | Entity::Import => afters.remove(&(item.entity.name(), item.id)),
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
    Ok(match (audit, revisions) {
        // SQLite's driver runs the statements of one text in turn, each taking its share of the
        // values: the audit rows and the revisions in one round trip to the writer's thread,
        // where each round trip is two thread switches while every other write waits.
        (Some(audit), Some(revisions)) if backend == DatabaseBackend::Sqlite => {
            vec![crate::db::joined(backend, [audit, revisions])]
        }
        (audit, revisions) => [audit, revisions].into_iter().flatten().collect(),
    })
}

/// The one audit row of an imported file, whose records' versions were written copy-on-write:
/// `after` says what the file was (`file`: its format, size and SHA-256) and what it did.
pub async fn record_import(
    txn: &DatabaseTransaction,
    editor: Option<&Editor>,
    file: serde_json::Value,
) -> ServiceResult<()> {
    let id = Uuid::now_v7();
    audit_log::Entity::insert(audit_log::ActiveModel {
        id: Set(id),
        at: Set(Utc::now().trunc_subsecs(6)),
        by: Set(editor.and_then(|e| e.name.clone())),
        request_id: Set(editor.and_then(|e| e.request_id.clone())),
        operation: Set(Operation::Import.name().to_owned()),
        entity: Set(Entity::Import.name().to_owned()),
        entity_id: Set(id),
        before: Set(None),
        after: Set(Some(file)),
    })
    .exec_without_returning(txn)
    .await?;
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

/// Where a revision's snapshot is.
enum Held {
    /// The `after` of the audit row that recorded it (see `event_revision`).
    Audit(Uuid),
    /// In the revision itself: written before migration 8, or kept by [`keep`].
    Own,
    /// Nowhere yet: the version is current and its snapshot is the event's rows.
    Rows,
}

fn held(row: &event_revision::Model) -> Held {
    match row.audit_id {
        Some(audit_id) => Held::Audit(audit_id),
        None if row.snapshot.is_null() => Held::Rows,
        None => Held::Own,
    }
}

/// Revisions with their snapshots, wherever each is held ([`Held`]); a few queries for any
/// number of them.
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
    let in_rows: Vec<Uuid> =
        rows.iter().filter(|row| matches!(held(row), Held::Rows)).map(|row| row.event_id).collect();
    let mut live = HashMap::new();
    for chunk in in_rows.chunks(CHUNK) {
        live.extend(snapshots(db.reader(), chunk).await?);
    }
    let mut read = Vec::with_capacity(rows.len());
    for row in rows {
        let snapshot = match held(&row) {
            Held::Audit(audit_id) => {
                parse(afters.remove(&audit_id).ok_or_else(|| unreadable("its audit row is missing"))?)?
            }
            Held::Own => parse(row.snapshot.clone())?,
            Held::Rows => match live.get(&row.event_id) {
                Some(current) if current.event.version == row.version => current.clone(),
                // Replaced between the two reads: the write that replaced it kept it first.
                Some(_) | None => kept_since(db, &row).await?,
            },
        };
        read.push((row, snapshot));
    }
    Ok(read)
}

fn parse(json: serde_json::Value) -> ServiceResult<Snapshot> {
    serde_json::from_value(json).map_err(|error| unreadable(&error.to_string()))
}

/// The snapshot a write kept of a revision after it was read as current.
async fn kept_since(db: &Database, row: &event_revision::Model) -> ServiceResult<Snapshot> {
    let again = event_revision::Entity::find_by_id((row.event_id, row.version))
        .one(db.reader())
        .await?
        .ok_or_else(|| unreadable("it was removed while being read"))?;
    match held(&again) {
        Held::Own => parse(again.snapshot),
        Held::Audit(_) | Held::Rows => Err(unreadable("its version is no longer current and was not kept")),
    }
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
