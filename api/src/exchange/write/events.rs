//! Writing the events of a batch: keys looked up in one query, references resolved, each event
//! checked, then rows written many per statement: events (inserted, or updated in place when the
//! key is known), tags, participations, citations and search documents.

use std::collections::{HashMap, HashSet};

use entity::{account, citation, event, event_tag, participation, source};
use sea_orm::sea_query::{CaseStatement, Expr, ExprTrait};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait, QueryFilter, QuerySelect,
    TryIntoModel,
};
use uuid::Uuid;

use super::check::{self, CheckedEvent, Target};
use super::known::Known;
use super::search;
use super::sql;
use super::summary::Summary;
use crate::error::ServiceError;
use crate::exchange::error::{ImportError, Position};
use crate::exchange::record::EventRecord;
use crate::service::history::{self, Operation, Snapshot, Touched};
use crate::service::settlement::{Settlement, participations_to_add};

/// A parent named before it was written (events are written in timeline order, and a parent may
/// start after its child): resolved when the whole file is in.
#[derive(Debug)]
pub struct Deferred {
    pub child: Uuid,
    pub parent: String,
    pub at: Position,
}

/// A parent to check for loops once the batch is written: (child, parent, where).
pub type ParentCheck = (Uuid, Uuid, Position);

/// What a batch leaves for later.
#[derive(Default)]
pub struct Outcome {
    /// The events written, for their history.
    pub touched: Vec<Touched>,
    /// The created events as written, so that their history need not read them back.
    pub created: HashMap<Uuid, Snapshot>,
    pub parent_checks: Vec<ParentCheck>,
}

/// A created event's row as the batch writes it: what its history records of it, since an
/// import keeps its versions copy-on-write ([`history::Versions::CopyOnWrite`]), which records a
/// version's row alone. Its timestamps are whole microseconds (see `check::event`), which both
/// databases store exactly.
fn as_written(checked: &CheckedEvent) -> Result<Snapshot, DbErr> {
    Ok(Snapshot::row_alone(checked.model.clone().try_into_model()?))
}

pub async fn flush(
    txn: &DatabaseTransaction,
    batch: Vec<(Position, EventRecord)>,
    known: &mut Known,
    deferred: &mut Vec<Deferred>,
    summary: &mut Summary,
) -> Result<Outcome, ImportError> {
    // Every key the batch names (its own and its parents'), looked up at once.
    let mut wanted: Vec<String> = batch.iter().map(|(_, record)| record.entry.key.clone()).collect();
    wanted.extend(batch.iter().filter_map(|(_, record)| record.entry.parent.clone()));
    wanted.sort_unstable();
    wanted.dedup();
    let found = sql::by_external_id::<event::Entity, _>(
        txn,
        event::Column::Id,
        event::Column::ExternalId,
        event::Column::Version,
        &wanted,
    )
    .await?;
    let actors: HashSet<&str> = batch
        .iter()
        .flat_map(|(_, record)| {
            let entry = &record.entry;
            entry
                .participants
                .iter()
                .map(|p| p.actor.as_str())
                .chain(entry.citations.iter().filter_map(|c| c.actor.as_deref()))
                .chain(entry.accounts.iter().filter_map(|a| a.actor.as_deref()))
        })
        .collect();
    let sources: HashSet<&str> = batch
        .iter()
        .flat_map(|(_, record)| {
            let entry = &record.entry;
            entry.citations.iter().map(|c| c.source.as_str()).chain(entry.accounts.iter().map(|a| a.source.as_str()))
        })
        .collect();
    known.load(txn, actors, sources).await?;
    let settling = settling_sources(txn, &batch, &found, known).await?;

    let mut outcome = Outcome::default();
    let mut written: HashMap<&str, Uuid> = HashMap::new();
    let mut events = Vec::with_capacity(batch.len());
    let mut tags = Vec::new();
    let mut participants = Vec::new();
    let mut citations = Vec::new();
    let mut documents = Vec::with_capacity(batch.len());
    let mut replaced: Vec<Uuid> = Vec::new();
    let mut replaced_participants: Vec<Uuid> = Vec::new();
    let mut reindex: Vec<Uuid> = Vec::new();
    // Events whose accounts the file gives (they replace the stored ones), and every event
    // written again: both are settled by their accounts once written.
    let mut with_accounts: Vec<Uuid> = Vec::new();
    let mut settled: Vec<Uuid> = Vec::new();
    let mut accounts = Vec::new();
    let mut notes = Vec::new();
    for (at, record) in &batch {
        let entry = &record.entry;
        let existing = found.get(&entry.key);
        let (id, version) = existing.map_or_else(|| (Uuid::now_v7(), 1), |(id, version)| (*id, version + 1));
        let parent = match entry.parent.as_deref() {
            None => None,
            Some(key) if key == entry.key => {
                return Err(ImportError::invalid(Some(at.clone()), "parent", "an event cannot be its own ancestor"));
            }
            Some(key) => match written.get(key).copied().or_else(|| found.get(key).map(|(id, _)| *id)) {
                Some(parent) => Some(parent),
                None => {
                    deferred.push(Deferred { child: id, parent: key.to_owned(), at: at.clone() });
                    None
                }
            },
        };
        let mut checked =
            check::event(entry, Target { id, version, parent }, known).map_err(|e| ImportError::at(at, e))?;
        written.insert(&entry.key, id);
        // A new event is settled by its accounts here, before its row is written, unless its
        // WHO accounts add participants (then the database settles it, as after a mutation).
        let mut settled_here = existing.is_none();
        if !entry.accounts.is_empty() {
            let rows = super::evidence::accounts(entry, id, known).map_err(|e| ImportError::at(at, e))?;
            settled_here = settled_here && settle_new(&mut checked, &rows, &settling)?;
            accounts.extend(rows);
            with_accounts.push(id);
        }
        if !settled_here {
            settled.push(id);
        }
        if !entry.notes.is_empty() {
            notes.push(super::notes::EventNotes { event: id, notes: &entry.notes, at: at.clone() });
        }
        if existing.is_some() {
            summary.events_updated += 1;
            replaced.push(id);
            if let Some(parent) = parent {
                outcome.parent_checks.push((id, parent, at.clone()));
            }
            outcome.touched.push(Touched::event(id, Operation::Update));
        } else {
            summary.events_created += 1;
            outcome.touched.push(Touched::event(id, Operation::Create));
            // Its history takes the row as written, unless the database settles it once
            // written (then the history reads it back).
            if settled_here {
                outcome.created.insert(id, as_written(&checked)?);
            }
        }
        events.push(checked.model);
        tags.extend(checked.tags.into_iter().map(|tag| event_tag::ActiveModel { event_id: Set(id), tag: Set(tag) }));
        citations.extend(checked.citations);
        if record.keep_participants && existing.is_some() {
            // Its participants stay, so its search document is rebuilt from the database.
            reindex.push(id);
        } else {
            if existing.is_some() {
                replaced_participants.push(id);
            }
            participants.extend(checked.participants);
            documents.push(checked.document);
        }
    }

    history::keep(txn, &replaced).await.map_err(ImportError::unplaced)?;
    delete_parts(txn, &replaced, &replaced_participants).await?;
    // The batch's rows in one run, each statement built while the one before it runs.
    let backend = txn.get_database_backend();
    let inserts = sql::insert_chunks(backend, events, Some(sql::update_on_id::<event::Entity>()))
        .chain(sql::insert_chunks(backend, tags, None))
        .chain(sql::insert_chunks(backend, participants, None))
        .chain(sql::insert_chunks(backend, citations, None))
        .chain(search::upsert_chunks(backend, "event", documents));
    crate::db::run_overlapped(txn, inserts).await?;
    if !reindex.is_empty() {
        crate::service::search::index_events(txn, &reindex).await?;
    }
    super::evidence::write_accounts(txn, &with_accounts, accounts).await?;
    outcome.touched.extend(super::notes::add(txn, &notes).await?);
    if !settled.is_empty() {
        crate::service::evidence::settle_as(txn, &settled, false).await.map_err(ImportError::unplaced)?;
    }
    Ok(outcome)
}

/// The sources that settle the batch's new events with accounts: those their citations cite
/// and those their accounts name, read in one query.
async fn settling_sources(
    txn: &DatabaseTransaction,
    batch: &[(Position, EventRecord)],
    found: &HashMap<String, (Uuid, i32)>,
    known: &Known,
) -> Result<HashMap<Uuid, source::Model>, DbErr> {
    let keys = batch
        .iter()
        .map(|(_, record)| &record.entry)
        .filter(|entry| !entry.accounts.is_empty() && !found.contains_key(&entry.key))
        .flat_map(|entry| {
            entry.citations.iter().map(|c| c.source.as_str()).chain(entry.accounts.iter().map(|a| a.source.as_str()))
        });
    let mut ids: Vec<Uuid> = keys.filter_map(|key| known.source(key)).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut sources = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(sql::rows_per_statement(1)) {
        for row in source::Entity::find().filter(source::Column::Id.is_in(chunk.to_vec())).all(txn).await? {
            sources.insert(row.id, row);
        }
    }
    Ok(sources)
}

/// Settles a new event by its accounts (`rows`) before its row is written, as
/// [`crate::service::evidence::settle`] would once it is: false, and nothing changes, when its
/// WHO accounts add participants or a source it needs was not read.
fn settle_new(
    checked: &mut CheckedEvent,
    rows: &[account::ActiveModel],
    sources: &HashMap<Uuid, source::Model>,
) -> Result<bool, DbErr> {
    let own = rows.iter().map(|row| row.clone().try_into_model()).collect::<Result<Vec<account::Model>, _>>()?;
    let participants: Vec<(Uuid, &str)> = checked
        .participants
        .iter()
        .filter_map(|p| Some((*p.actor_id.try_as_ref()?, p.role.try_as_ref()?.as_str())))
        .collect();
    if !participations_to_add(&own, |actor, role| participants.contains(&(actor, role))).is_empty() {
        return Ok(false);
    }
    let cited: Option<Vec<&source::Model>> =
        checked.citations.iter().map(|c| c.source_id.try_as_ref().and_then(|id| sources.get(id))).collect();
    let Some(cited) = cited else {
        return Ok(false);
    };
    if own.iter().any(|account| !sources.contains_key(&account.source_id)) {
        return Ok(false);
    }
    let first_reported_set = checked.model.first_reported_set.try_as_ref().copied().unwrap_or(false);
    Settlement::of(first_reported_set, &own, &cited, sources).apply(&mut checked.model)?;
    Ok(true)
}

/// Removes the tags and citations (and participations, where the file gives them) of events
/// about to be written again.
async fn delete_parts(txn: &DatabaseTransaction, events: &[Uuid], participants_of: &[Uuid]) -> Result<(), ImportError> {
    for chunk in events.chunks(sql::rows_per_statement(1)) {
        event_tag::Entity::delete_many().filter(event_tag::Column::EventId.is_in(chunk.to_vec())).exec(txn).await?;
        citation::Entity::delete_many().filter(citation::Column::EventId.is_in(chunk.to_vec())).exec(txn).await?;
    }
    for chunk in participants_of.chunks(sql::rows_per_statement(1)) {
        participation::Entity::delete_many()
            .filter(participation::Column::EventId.is_in(chunk.to_vec()))
            .exec(txn)
            .await?;
    }
    Ok(())
}

/// Sets the parents that were named before they were written; each must exist by now. Setting
/// a parent is a change of the child (a new version, as `service::events` makes it), so the
/// children are returned for their history. A few statements per 500 children: their parents'
/// keys looked up, their ancestry checked a generation at a time, their current versions kept,
/// and one update.
pub async fn resolve_deferred(txn: &DatabaseTransaction, deferred: Vec<Deferred>) -> Result<Vec<Touched>, ImportError> {
    let mut touched = Vec::with_capacity(deferred.len());
    for chunk in deferred.chunks(500) {
        let keys: Vec<String> = chunk.iter().map(|d| d.parent.clone()).collect();
        let found = sql::by_external_id::<event::Entity, _>(
            txn,
            event::Column::Id,
            event::Column::ExternalId,
            event::Column::Version,
            &keys,
        )
        .await?;
        // Each child's parent, in the file's order, up to the first that names no event.
        let parents: Vec<(Uuid, Uuid)> =
            chunk.iter().map_while(|item| found.get(&item.parent).map(|(parent, _)| (item.child, *parent))).collect();
        let outcomes = ancestry(txn, &parents).await?;
        for (item, outcome) in chunk.iter().zip(outcomes.into_iter().map(Some).chain(std::iter::repeat(None))) {
            match outcome {
                Some(Ancestry::Sound) => {}
                None => return Err(ImportError::invalid(Some(item.at.clone()), "parent", "no event has this key")),
                Some(Ancestry::Loop) => {
                    return Err(ImportError::invalid(
                        Some(item.at.clone()),
                        "parent",
                        "an event cannot be its own ancestor",
                    ));
                }
                Some(Ancestry::TooDeep) => {
                    return Err(ImportError::at(
                        &item.at,
                        ServiceError::validation("parent", "the chain of parent events is too deep"),
                    ));
                }
            }
        }
        let children: Vec<Uuid> = parents.iter().map(|(child, _)| *child).collect();
        history::keep(txn, &children).await.map_err(ImportError::unplaced)?;
        let parent_of = parents.iter().fold(CaseStatement::new(), |case, (child, parent)| {
            case.case(event::Column::Id.eq(*child), Expr::value(*parent))
        });
        event::Entity::update_many()
            .col_expr(event::Column::ParentId, parent_of.into())
            .col_expr(event::Column::Version, Expr::col(event::Column::Version).add(1))
            .filter(event::Column::Id.is_in(children.clone()))
            .exec(txn)
            .await?;
        touched.extend(children.into_iter().map(|child| Touched::event(child, Operation::Update)));
    }
    Ok(touched)
}

/// Whether a parent may be set on its child: at most 64 generations, and never a loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ancestry {
    Sound,
    Loop,
    TooDeep,
}

/// What [`check_loop`] finds for each (child, parent) in turn, as if each parent were set after
/// those before it and before those after it, with the database read a generation at a time
/// for all of them instead of an ancestor at a time.
async fn ancestry(txn: &DatabaseTransaction, parents: &[(Uuid, Uuid)]) -> Result<Vec<Ancestry>, ImportError> {
    let set_before: HashMap<Uuid, (usize, Uuid)> =
        parents.iter().enumerate().map(|(index, (child, parent))| (*child, (index, *parent))).collect();
    let mut stored: HashMap<Uuid, Option<Uuid>> = HashMap::new();
    let mut walks: Vec<(Option<Uuid>, Option<Ancestry>)> =
        parents.iter().map(|(_, parent)| (Some(*parent), None)).collect();
    for _ in 0..64 {
        for ((child, _), (current, outcome)) in parents.iter().zip(walks.iter_mut()) {
            match (*current, *outcome) {
                (_, Some(_)) => {}
                (None, None) => *outcome = Some(Ancestry::Sound),
                (Some(ancestor), None) if ancestor == *child => *outcome = Some(Ancestry::Loop),
                (Some(_), None) => {}
            }
        }
        let overlaid = |index: usize, ancestor: Uuid| {
            set_before.get(&ancestor).filter(|(set, _)| *set < index).map(|(_, parent)| *parent)
        };
        let mut wanted: Vec<Uuid> = walks
            .iter()
            .enumerate()
            .filter_map(|(index, (current, outcome))| match (current, outcome) {
                (Some(ancestor), None) if overlaid(index, *ancestor).is_none() && !stored.contains_key(ancestor) => {
                    Some(*ancestor)
                }
                _ => None,
            })
            .collect();
        wanted.sort_unstable();
        wanted.dedup();
        for chunk in wanted.chunks(sql::rows_per_statement(1)) {
            let rows: Vec<(Uuid, Option<Uuid>)> = event::Entity::find()
                .select_only()
                .column(event::Column::Id)
                .column(event::Column::ParentId)
                .filter(event::Column::Id.is_in(chunk.to_vec()))
                .into_tuple()
                .all(txn)
                .await?;
            stored.extend(rows);
            for id in chunk {
                stored.entry(*id).or_insert(None);
            }
        }
        for (index, (current, outcome)) in walks.iter_mut().enumerate() {
            if let (Some(ancestor), None) = (*current, *outcome) {
                *current = overlaid(index, ancestor).or_else(|| stored.get(&ancestor).copied().flatten());
            }
        }
    }
    Ok(walks.into_iter().map(|(_, outcome)| outcome.unwrap_or(Ancestry::TooDeep)).collect())
}

/// A parent must not descend from its child (at most 64 generations, as `service::events` allows).
pub async fn check_loop(
    txn: &DatabaseTransaction,
    child: Uuid,
    parent: Uuid,
    at: &Position,
) -> Result<(), ImportError> {
    let mut ancestor = Some(parent);
    for _ in 0..64 {
        let Some(current) = ancestor else {
            return Ok(());
        };
        if current == child {
            return Err(ImportError::invalid(Some(at.clone()), "parent", "an event cannot be its own ancestor"));
        }
        ancestor = parent_of(txn, current).await?;
    }
    Err(ImportError::at(at, ServiceError::validation("parent", "the chain of parent events is too deep")))
}

async fn parent_of(txn: &DatabaseTransaction, id: Uuid) -> Result<Option<Uuid>, ImportError> {
    let row = txn
        .query_one_raw(sea_orm::Statement::from_sql_and_values(
            txn.get_database_backend(),
            if txn.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
                "SELECT parent_id FROM event WHERE id = $1"
            } else {
                "SELECT parent_id FROM event WHERE id = ?"
            },
            [id.into()],
        ))
        .await?;
    Ok(match row {
        Some(row) => row.try_get::<Option<Uuid>>("", "parent_id")?,
        None => None,
    })
}
