//! Events: create, read, update and delete, each write one transaction with its parts and search document.

use std::collections::{HashMap, HashSet};

use chrono::Utc;
use entity::{actor, event};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryTrait as _, Statement, TryIntoModel as _,
};
use uuid::Uuid;

use super::event_parts::{self, NewCitation, NewParticipant};
use super::event_version::{live, stale};
use super::history::{self, Operation, Snapshot, Touched};
use super::rules::{self, event::EventDraft, event::EventFields, event::PlaceDraft};
use super::search;
use super::write::{Written, write, write_small, write_whole};
use crate::db::Database;
use crate::error::{ServiceError, ServiceResult};

pub use super::rules::event::Place;

/// A new event with its parts, as given by a client.
#[derive(Debug, Clone, Default)]
pub struct NewEvent {
    pub title: String,
    pub summary: Option<String>,
    pub kind: String,
    pub start: String,
    pub end: Option<String>,
    pub time_zone: Option<String>,
    pub place: Option<Place>,
    pub confidence: Option<String>,
    pub tags: Vec<String>,
    pub parent_id: Option<Uuid>,
    pub participants: Vec<NewParticipant>,
    pub citations: Vec<NewCitation>,
    /// Accounts of its aspects (issue 11), written with it in the same transaction.
    pub accounts: Vec<super::evidence::NewAccount>,
}

/// Changes to an event. `None` leaves a field as it is; `Some(None)` clears an optional field;
/// lists, when given, replace the event's list.
#[derive(Debug, Clone, Default)]
pub struct EventChanges {
    pub title: Option<String>,
    pub summary: Option<Option<String>>,
    pub kind: Option<String>,
    pub start: Option<String>,
    pub end: Option<Option<String>>,
    pub time_zone: Option<Option<String>>,
    pub place: Option<Option<Place>>,
    pub confidence: Option<String>,
    pub tags: Option<Vec<String>>,
    pub parent_id: Option<Option<Uuid>>,
    pub participants: Option<Vec<NewParticipant>>,
    pub citations: Option<Vec<NewCitation>>,
}

/// Checks an event's own fields (see [`rules::event`]) and its parent, which must exist
/// without making the event its own ancestor.
async fn check(
    connection: &impl ConnectionTrait,
    id: Uuid,
    draft: EventDraft<'_>,
    parent_id: Option<Uuid>,
) -> ServiceResult<EventFields> {
    let fields = rules::event::fields(draft)?;
    if let Some(parent) = parent_id {
        check_parent(connection, id, parent).await?;
    }
    Ok(fields)
}

/// The parent must exist, and making it the parent must not close a loop.
async fn check_parent(connection: &impl ConnectionTrait, id: Uuid, parent: Uuid) -> ServiceResult<()> {
    let mut ancestor = Some(parent);
    for _ in 0..64 {
        let Some(current) = ancestor else {
            return Ok(());
        };
        if current == id {
            return Err(ServiceError::validation("parentId", "an event cannot be its own ancestor"));
        }
        let row = live(connection, current).await.map_err(|error| match error {
            ServiceError::NotFound { .. } => ServiceError::validation("parentId", "no event has this ID"),
            other => other,
        })?;
        ancestor = row.parent_id;
    }
    Err(ServiceError::validation("parentId", "the chain of parent events is too deep"))
}

/// Creates an event with its tags, participants and citations in one transaction: a small write
/// (one event, its capped lists of parts and accounts).
pub async fn create(db: &Database, input: NewEvent) -> ServiceResult<event::Model> {
    let input = &input;
    // Which cited sources exist is read before the write takes the writer, on a reader: all the
    // writer does keeps the other writes waiting (SQLite has one), and this read need not. The
    // citations' foreign key still holds the write to it: should a source be removed in between,
    // the insert fails, and the same check, run again where the removal shows, names the citation.
    let sources = &event_parts::cited_sources(db.reader(), &input.citations).await?;
    if db.backend() == DatabaseBackend::Sqlite {
        // On SQLite the whole write is built before it takes the writer, the actors read on a
        // reader too (their names go into the event's search document): each participation
        // names its actor at the version read here, so an actor changed or removed since fails
        // the write, which is then made again with the actors read in it.
        let prepared = prepare(db, input, sources).await?;
        let created = if input.parent_id.is_none() && input.accounts.is_empty() {
            // Nothing to read in the write: it goes to the writer whole, with those queued beside it.
            let Prepared { id, text, snapshot } = prepared;
            let row = snapshot.event.clone();
            write_whole(db, text, Written::touching([Touched::event(id, Operation::Create)], row).knowing(snapshot))
                .await
        } else {
            create_checked(db, input, sources, Some(&prepared)).await
        };
        match created {
            Err(ServiceError::Database(error)) if is_constraint_violation(&error) => {
                tracing::debug!(%error, "an actor or source changed while an event was created: writing it again");
            }
            created => return created,
        }
    }
    create_checked(db, input, sources, None).await
}

/// A new event checked on SQLite before its write, with the one text that writes it (see
/// [`event_parts::new_parts_statements`] for the actors' guard) and what that text stores.
struct Prepared {
    id: Uuid,
    text: Statement,
    snapshot: Snapshot,
}

/// Checks a new event and builds its text, reading its actors on a reader.
async fn prepare(db: &Database, input: &NewEvent, sources: &HashSet<Uuid>) -> ServiceResult<Prepared> {
    let id = Uuid::now_v7();
    let tags = rules::tags("tags", &input.tags)?;
    let fields = rules::event::fields(draft(input))?;
    let (participants, actors) =
        event_parts::check_participants_of(db.reader(), "participants", &input.participants).await?;
    let citations = checked_citations(input, &participants, sources)?;
    let (text, snapshot) = sqlite_text(new_model(id, input, fields), tags, &participants, &citations, &actors, true)?;
    Ok(Prepared { id, text, snapshot })
}

/// [`create`]'s write: `prepared` before it (else checked and built in the write).
async fn create_checked(
    db: &Database,
    input: &NewEvent,
    sources: &HashSet<Uuid>,
    prepared: Option<&Prepared>,
) -> ServiceResult<event::Model> {
    write_small(db, |txn| {
        Box::pin(async move {
            let written = match prepared {
                Some(prepared) => write_prepared(&txn, input, prepared).await,
                None => write_new(&txn, input, sources).await,
            };
            let snapshot = match written {
                // Prepared: the caller writes it again, reading all of it in the write.
                Err(ServiceError::Database(error)) if prepared.is_none() && is_foreign_key_violation(&error) => {
                    // On SQLite in the write, whose group may hold the removal not yet committed;
                    // on PostgreSQL on a reader, as its transaction takes no statement after an
                    // error (and the key failed because the removal was committed).
                    let sources = match txn.get_database_backend() {
                        DatabaseBackend::Postgres => event_parts::cited_sources(db.reader(), &input.citations).await?,
                        _ => event_parts::cited_sources(&*txn, &input.citations).await?,
                    };
                    let participating = input.participants.iter().map(|p| p.actor_id).collect();
                    event_parts::check_citations_among("citations", &input.citations, &participating, &sources)?;
                    return Err(ServiceError::Database(error));
                }
                written => written?,
            };
            if input.accounts.is_empty() {
                let row = snapshot.event.clone();
                return Ok(Written::touching([Touched::event(row.id, Operation::Create)], row).knowing(snapshot));
            }
            // With accounts, the event is settled by them (its value, support, first report):
            // its history then reads it back as it stands.
            rules::list_len("accounts", &input.accounts)?;
            let by = db.editor().and_then(|editor| editor.name.clone());
            let mut touched = vec![Touched::event(snapshot.event.id, Operation::Create)];
            for (index, account) in input.accounts.iter().enumerate() {
                let row =
                    super::evidence::add_in(&txn, &snapshot.event, &format!("accounts[{index}]"), account, by.clone())
                        .await?;
                touched.push(Touched::account(row.id, Operation::Create));
            }
            let row = super::evidence::settle_as(&txn, &[snapshot.event.id], false)
                .await?
                .pop()
                .ok_or_else(|| ServiceError::not_found("event", snapshot.event.id))?;
            Ok(Written::touching(touched, row))
        })
    })
    .await
}

/// A row refused for a key that no longer holds or a NOT NULL column left empty (a
/// participation whose actor changed since it was read, see [`event_parts::new_parts_statements`]).
fn is_constraint_violation(error: &sea_orm::DbErr) -> bool {
    use sea_orm::sqlx::error::ErrorKind;
    let (sea_orm::DbErr::Exec(sea_orm::RuntimeErr::SqlxError(sqlx))
    | sea_orm::DbErr::Query(sea_orm::RuntimeErr::SqlxError(sqlx))) = error
    else {
        return false;
    };
    sqlx.as_database_error()
        .is_some_and(|database| matches!(database.kind(), ErrorKind::ForeignKeyViolation | ErrorKind::NotNullViolation))
}

fn is_foreign_key_violation(error: &sea_orm::DbErr) -> bool {
    matches!(error.sql_err(), Some(sea_orm::SqlErr::ForeignKeyConstraintViolation(_)))
}

/// Writes a prepared event: its parent checked in the write (it must still exist), then its text.
async fn write_prepared(txn: &DatabaseTransaction, input: &NewEvent, prepared: &Prepared) -> ServiceResult<Snapshot> {
    if let Some(parent) = input.parent_id {
        check_parent(txn, prepared.id, parent).await?;
    }
    txn.execute_raw(prepared.text.clone()).await?;
    Ok(prepared.snapshot.clone())
}

/// A new event's own fields as given.
fn draft(input: &NewEvent) -> EventDraft<'_> {
    EventDraft {
        title: &input.title,
        summary: input.summary.as_deref(),
        kind: &input.kind,
        start: &input.start,
        end: input.end.as_deref(),
        time_zone: input.time_zone.as_deref(),
        place: input.place.as_ref().map(Place::draft),
        confidence: input.confidence.as_deref(),
    }
}

/// The citations checked: `sources` are those that exist, and a citation of a participation must
/// name one of the participants.
fn checked_citations(
    input: &NewEvent,
    participants: &[NewParticipant],
    sources: &HashSet<Uuid>,
) -> ServiceResult<Vec<NewCitation>> {
    let participating: HashSet<Uuid> = participants.iter().map(|p| p.actor_id).collect();
    event_parts::check_citations_among("citations", &input.citations, &participating, sources)
}

/// A new event's row: every column given, as a new event stores it before any account settles it
/// (no first report, nothing disputed, supported), so it is known without reading it back.
fn new_model(id: Uuid, input: &NewEvent, fields: EventFields) -> event::ActiveModel {
    let now = Utc::now();
    let mut model = event::ActiveModel {
        id: Set(id),
        created_at: Set(now),
        updated_at: Set(now),
        deleted_at: Set(None),
        version: Set(1),
        parent_id: Set(input.parent_id),
        external_id: Set(None),
        first_reported_value: Set(None),
        first_reported_precision: Set(None),
        first_reported_earliest: Set(None),
        first_reported_latest: Set(None),
        first_reported_set: Set(false),
        disputed_aspects: Set(None),
        support: Set(rules::account::SUPPORTED.to_owned()),
        ..Default::default()
    };
    fields.apply(&mut model);
    model
}

/// On SQLite, a new event, its parts and its search document in one text, one round trip to the
/// writer's thread (SQLite's driver runs its statements in turn, each taking its share of the
/// values): each round trip is two thread switches while the other writes wait. Returns the
/// text and what it stores. `read_before`: the actors were read before the write, so each
/// participation names its actor at the version read.
fn sqlite_text(
    model: event::ActiveModel,
    tags: Vec<String>,
    participants: &[NewParticipant],
    citations: &[NewCitation],
    actors: &HashMap<Uuid, actor::Model>,
    read_before: bool,
) -> ServiceResult<(Statement, Snapshot)> {
    let backend = DatabaseBackend::Sqlite;
    let row = model.clone().try_into_model()?;
    let (mut statements, participants, citations) = event_parts::new_parts_statements(
        backend,
        row.id,
        &tags,
        participants,
        citations,
        read_before.then_some(actors),
    )?;
    statements.insert(0, event::Entity::insert(model).build(backend));
    statements.push(search::new_event_statement(backend, &row, &tags, &citations, actors.values()));
    Ok((crate::db::joined(backend, statements), snapshot(row, tags, participants, citations)))
}

/// What a new event's revision keeps: its parts in the order `history` reads them.
fn snapshot(
    event: event::Model,
    mut tags: Vec<String>,
    mut participants: Vec<entity::participation::Model>,
    mut citations: Vec<entity::citation::Model>,
) -> Snapshot {
    tags.sort_unstable();
    participants.sort_by_key(|p| p.id);
    citations.sort_by_key(|c| c.id);
    Snapshot { event, tags, participants, citations, links: Vec::new(), accounts: Vec::new() }
}

/// Checks and writes a new event, its parts and its search document, reading what it checks in
/// the write; returns it as stored. `sources` are the cited sources that exist. A new event has
/// nothing to replace and nothing to read back: it costs one statement per kind of row (and one
/// per check) on PostgreSQL, and on SQLite one for the actors and one text for all its rows.
async fn write_new(txn: &DatabaseTransaction, input: &NewEvent, sources: &HashSet<Uuid>) -> ServiceResult<Snapshot> {
    let id = Uuid::now_v7();
    let tags = rules::tags("tags", &input.tags)?;
    let fields = check(txn, id, draft(input), input.parent_id).await?;
    let (participants, actors) = event_parts::check_participants_of(txn, "participants", &input.participants).await?;
    let citations = checked_citations(input, &participants, sources)?;
    let model = new_model(id, input, fields);
    if txn.get_database_backend() == DatabaseBackend::Sqlite {
        let (text, snapshot) = sqlite_text(model, tags, &participants, &citations, &actors, false)?;
        txn.execute_raw(text).await?;
        return Ok(snapshot);
    }
    let row = event::Entity::insert(model).exec_with_returning(txn).await?;
    event_parts::insert_tags(txn, id, &tags).await?;
    let participants = event_parts::insert_participants(txn, id, &participants).await?;
    let citations = event_parts::insert_citations(txn, id, &citations).await?;
    search::index_new_event(txn, &row, &tags, &citations, actors.values()).await?;
    Ok(snapshot(row, tags, participants, citations))
}

/// Applies changes to the event at `version`; a stale version is a CONFLICT and writes nothing.
pub async fn update(db: &Database, id: Uuid, version: i32, changes: EventChanges) -> ServiceResult<event::Model> {
    let changes = &changes;
    write(db, |txn| {
        Box::pin(async move {
            let row = update_in(&txn, id, version, changes).await?;
            Ok(Written::touching([Touched::event(row.id, Operation::Update)], row))
        })
    })
    .await
}

/// [`update`] inside a write's transaction (a restored version is written the same way).
pub(super) async fn update_in(
    txn: &DatabaseTransaction,
    id: Uuid,
    version: i32,
    changes: &EventChanges,
) -> ServiceResult<event::Model> {
    let tags = changes.tags.as_deref().map(|tags| rules::tags("tags", tags)).transpose()?;
    let current = live(txn, id).await?;
    if current.version != version {
        return Err(stale(current.version, version));
    }
    history::keep(txn, &[id]).await?;
    let place = match &changes.place {
        Some(place) => place.as_ref().map(Place::draft),
        None => Some(PlaceDraft {
            name: current.place_name.as_deref(),
            latitude: current.place_latitude,
            longitude: current.place_longitude,
        }),
    };
    let draft = EventDraft {
        title: changes.title.as_deref().unwrap_or(&current.title),
        summary: changes.summary.as_ref().map_or(current.summary.as_deref(), |s| s.as_deref()),
        kind: changes.kind.as_deref().unwrap_or(&current.kind),
        start: changes.start.as_deref().unwrap_or(&current.start_value),
        end: changes.end.as_ref().map_or(current.end_value.as_deref(), |e| e.as_deref()),
        time_zone: changes.time_zone.as_ref().map_or(current.time_zone.as_deref(), |z| z.as_deref()),
        place,
        confidence: Some(changes.confidence.as_deref().unwrap_or(&current.confidence)),
    };
    let parent_id = changes.parent_id.unwrap_or(current.parent_id);
    let fields = check(txn, id, draft, parent_id).await?;
    let participants = match &changes.participants {
        Some(list) => Some(event_parts::check_participants(txn, "participants", list).await?),
        None => None,
    };
    if let Some(citations) = &changes.citations {
        let participating = match &participants {
            Some(list) => list.iter().map(|p| p.actor_id).collect(),
            None => event_parts::participating_actors(txn, id).await?,
        };
        let checked_citations = event_parts::check_citations(txn, "citations", citations, &participating).await?;
        event_parts::replace_citations(txn, id, &checked_citations).await?;
    }

    let mut model = event::ActiveModel {
        updated_at: Set(Utc::now()),
        version: Set(version + 1),
        parent_id: Set(parent_id),
        ..Default::default()
    };
    fields.apply(&mut model);
    let result = event::Entity::update_many()
        .set(model)
        .filter(event::Column::Id.eq(id))
        .filter(event::Column::Version.eq(version))
        .exec(txn)
        .await?;
    if result.rows_affected != 1 {
        // Another writer got in between (possible on PostgreSQL, where writers do not queue).
        return Err(ServiceError::Conflict(
            "the event was changed by another request at the same time; reload it".into(),
        ));
    }
    if let Some(tags) = tags {
        event_parts::replace_tags(txn, id, &tags).await?;
    }
    if let Some(participants) = participants {
        event_parts::replace_participants(txn, id, &participants).await?;
    }
    search::index_events(txn, &[id]).await?;
    live(txn, id).await
}

/// Deletes an event (softly: the row stays, marked deleted, and leaves every listing and search).
/// With `version`, only if the event is still at that version.
pub async fn delete(db: &Database, id: Uuid, version: Option<i32>) -> ServiceResult<Uuid> {
    write(db, |txn| {
        Box::pin(async move {
            delete_in(&txn, id, version).await?;
            Ok(Written::touching([Touched::event(id, Operation::Delete)], id))
        })
    })
    .await
}

async fn delete_in(txn: &DatabaseTransaction, id: Uuid, version: Option<i32>) -> ServiceResult<()> {
    let current = live(txn, id).await?;
    if let Some(version) = version
        && version != current.version
    {
        return Err(stale(current.version, version));
    }
    history::keep(txn, &[id]).await?;
    let now = Utc::now();
    event::Entity::update_many()
        .col_expr(event::Column::DeletedAt, Expr::value(now))
        .col_expr(event::Column::UpdatedAt, Expr::value(now))
        .col_expr(event::Column::Version, Expr::value(current.version + 1))
        .filter(event::Column::Id.eq(id))
        .exec(txn)
        .await?;
    search::remove(txn, search::Entity::Event, id).await?;
    Ok(())
}

/// Reads one event that is not deleted.
pub async fn get(db: &Database, id: Uuid) -> ServiceResult<Option<event::Model>> {
    Ok(event::Entity::find_by_id(id).filter(event::Column::DeletedAt.is_null()).one(db.reader()).await?)
}

/// Brings back a deleted event (an admin's undo of a delete).
pub async fn restore(db: &Database, id: Uuid) -> ServiceResult<event::Model> {
    write(db, |txn| {
        Box::pin(async move {
            let current =
                event::Entity::find_by_id(id).one(&*txn).await?.ok_or_else(|| ServiceError::not_found("event", id))?;
            if current.deleted_at.is_none() {
                return Err(ServiceError::Conflict("the event is not deleted".into()));
            }
            history::keep(&*txn, &[id]).await?;
            event::Entity::update_many()
                .col_expr(event::Column::DeletedAt, Expr::value(Option::<chrono::DateTime<Utc>>::None))
                .col_expr(event::Column::UpdatedAt, Expr::value(Utc::now()))
                .col_expr(event::Column::Version, Expr::value(current.version + 1))
                .filter(event::Column::Id.eq(id))
                .exec(&*txn)
                .await?;
            search::index_events(&*txn, &[id]).await?;
            let row = live(&*txn, id).await?;
            Ok(Written::touching([Touched::event(id, Operation::Restore)], row))
        })
    })
    .await
}

/// Removes an event for good, deleted or not, with its parts and its revisions; the audit trail
/// keeps a record of the purge and of what the event was.
pub async fn purge(db: &Database, id: Uuid) -> ServiceResult<Uuid> {
    write(db, |txn| {
        Box::pin(async move {
            let was = history::current(&*txn, id).await?.ok_or_else(|| ServiceError::not_found("event", id))?;
            search::remove(&*txn, search::Entity::Event, id).await?;
            event::Entity::delete_by_id(id).exec(&*txn).await?;
            Ok(Written::touching([Touched::event(id, Operation::Purge)], id).removing(was))
        })
    })
    .await
}
