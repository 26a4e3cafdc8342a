//! The parts of an event that have rows of their own: tags, participations and citations. Their
//! rules are [`super::rules::event`]'s; here what needs the database (the actors and sources they
//! name exist) and their rows. Each error names the part's position (`participants[1].actorId`).

use std::collections::{HashMap, HashSet};

use chrono::Utc;
use entity::{actor, citation, event, event_tag, participation, source};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseTransaction, DbErr, EntityTrait,
    QueryFilter, QuerySelect, QueryTrait, Statement, Value,
};
use uuid::Uuid;

use super::event_version::touch;
use super::history::{self, Operation, Touched};
use super::rules::{self, event::CitationDraft};
use super::search;
use super::write::{Written, write};
use crate::db::Database;
use crate::error::{ServiceError, ServiceResult};

pub use super::rules::event::{NewCitation, NewParticipant};

/// Checks participants against the database; `field` is the list's name in the input.
pub async fn check_participants(
    connection: &impl ConnectionTrait,
    field: &str,
    participants: &[NewParticipant],
) -> ServiceResult<Vec<NewParticipant>> {
    Ok(check_participants_of(connection, field, participants).await?.0)
}

/// [`check_participants`], returning the actors too (a new event's search document names them).
pub async fn check_participants_of(
    connection: &impl ConnectionTrait,
    field: &str,
    participants: &[NewParticipant],
) -> ServiceResult<(Vec<NewParticipant>, HashMap<Uuid, actor::Model>)> {
    rules::list_len(field, participants)?;
    let ids: Vec<Uuid> = participants.iter().map(|p| p.actor_id).collect();
    let known: HashMap<Uuid, actor::Model> = if ids.is_empty() {
        HashMap::new()
    } else {
        let rows = actor::Entity::find().filter(actor::Column::Id.is_in(ids)).all(connection).await?;
        rows.into_iter().map(|row| (row.id, row)).collect()
    };
    let mut seen = HashSet::new();
    let mut checked = Vec::with_capacity(participants.len());
    for (index, participant) in participants.iter().enumerate() {
        let at = format!("{field}[{index}]");
        if !known.contains_key(&participant.actor_id) {
            return Err(ServiceError::validation(format!("{at}.actorId"), "no actor has this ID"));
        }
        let note = participant.note.as_deref();
        checked.push(rules::event::participant(&at, participant.actor_id, &participant.role, note, &mut seen)?);
    }
    Ok((checked, known))
}

/// Checks citations; `participating` are the actors a `participation` citation may refer to.
pub async fn check_citations(
    connection: &impl ConnectionTrait,
    field: &str,
    citations: &[NewCitation],
    participating: &HashSet<Uuid>,
) -> ServiceResult<Vec<NewCitation>> {
    rules::list_len(field, citations)?;
    let known = cited_sources(connection, citations).await?;
    check_citations_among(field, citations, participating, &known)
}

/// The sources among those `citations` name that exist.
pub async fn cited_sources(
    connection: &impl ConnectionTrait,
    citations: &[NewCitation],
) -> ServiceResult<HashSet<Uuid>> {
    let ids: Vec<Uuid> = citations.iter().map(|c| c.source_id).collect();
    existing_ids::<source::Entity, _>(connection, source::Column::Id, &ids).await
}

/// [`check_citations`], the sources that exist being `known` (read by [`cited_sources`]).
pub fn check_citations_among(
    field: &str,
    citations: &[NewCitation],
    participating: &HashSet<Uuid>,
    known: &HashSet<Uuid>,
) -> ServiceResult<Vec<NewCitation>> {
    rules::list_len(field, citations)?;
    let mut checked = Vec::with_capacity(citations.len());
    for (index, citation) in citations.iter().enumerate() {
        let at = format!("{field}[{index}]");
        if !known.contains(&citation.source_id) {
            return Err(ServiceError::validation(format!("{at}.sourceId"), "no source has this ID"));
        }
        let draft = CitationDraft {
            source_id: citation.source_id,
            quote: citation.quote.as_deref(),
            supports: citation.supports.as_deref(),
            actor_id: citation.actor_id,
        };
        checked.push(rules::event::citation(&at, draft, "actorId", participating)?);
    }
    Ok(checked)
}

async fn existing_ids<E, C>(connection: &impl ConnectionTrait, column: C, ids: &[Uuid]) -> ServiceResult<HashSet<Uuid>>
where
    E: EntityTrait,
    C: ColumnTrait,
{
    if ids.is_empty() {
        return Ok(HashSet::new());
    }
    let found: Vec<Uuid> =
        E::find().select_only().column(column).filter(column.is_in(ids.to_vec())).into_tuple().all(connection).await?;
    Ok(found.into_iter().collect())
}

/// Replaces the tags of an event.
pub async fn replace_tags(txn: &DatabaseTransaction, event_id: Uuid, tags: &[String]) -> ServiceResult<()> {
    event_tag::Entity::delete_many().filter(event_tag::Column::EventId.eq(event_id)).exec(txn).await?;
    insert_tags(txn, event_id, tags).await
}

/// Adds tags to an event that has none of them.
pub async fn insert_tags(txn: &DatabaseTransaction, event_id: Uuid, tags: &[String]) -> ServiceResult<()> {
    event_tag::Entity::insert_many(
        tags.iter().map(|tag| event_tag::ActiveModel { event_id: Set(event_id), tag: Set(tag.clone()) }),
    )
    .exec_without_returning(txn)
    .await?;
    Ok(())
}

/// Replaces the participations of an event (already checked).
pub async fn replace_participants(
    txn: &DatabaseTransaction,
    event_id: Uuid,
    participants: &[NewParticipant],
) -> ServiceResult<()> {
    participation::Entity::delete_many().filter(participation::Column::EventId.eq(event_id)).exec(txn).await?;
    insert_participants(txn, event_id, participants).await?;
    Ok(())
}

/// Adds participations (already checked) to an event; returns them as stored.
pub async fn insert_participants(
    txn: &DatabaseTransaction,
    event_id: Uuid,
    participants: &[NewParticipant],
) -> ServiceResult<Vec<participation::Model>> {
    Ok(participation::Entity::insert_many(participants.iter().map(|p| participation::ActiveModel {
        id: Set(Uuid::now_v7()),
        event_id: Set(event_id),
        actor_id: Set(p.actor_id),
        role: Set(p.role.clone()),
        note: Set(p.note.clone()),
    }))
    .exec_with_returning(txn)
    .await?)
}

/// The statements that write a new event's parts, and the participations and citations they store.
pub type NewParts = (Vec<Statement>, Vec<participation::Model>, Vec<citation::Model>);

/// The statements that insert a new event's tags, participations and citations, and the rows
/// they store: every column is given (none has a default), so the rows are known without
/// reading them back. Empty lists insert nothing.
///
/// `read_before` are the participants' actors when they were read before the write, on a
/// reader: each participation then names its actor only at the version read
/// (`(SELECT id FROM actor WHERE id = ? AND version = ?)`), so an actor changed or removed since
/// leaves the participation without one, which its NOT NULL refuses, and the write fails rather
/// than index a name the actor no longer has.
pub fn new_parts_statements(
    backend: DatabaseBackend,
    event_id: Uuid,
    tags: &[String],
    participants: &[NewParticipant],
    citations: &[NewCitation],
    read_before: Option<&HashMap<Uuid, actor::Model>>,
) -> Result<NewParts, DbErr> {
    let now = Utc::now();
    let participations: Vec<participation::Model> = participants
        .iter()
        .map(|p| participation::Model {
            id: Uuid::now_v7(),
            event_id,
            actor_id: p.actor_id,
            role: p.role.clone(),
            note: p.note.clone(),
        })
        .collect();
    let cited: Vec<citation::Model> = citations
        .iter()
        .map(|c| citation::Model {
            id: Uuid::now_v7(),
            event_id,
            source_id: c.source_id,
            quote: c.quote.clone(),
            supports: c.supports.clone().unwrap_or_else(|| "event".to_owned()),
            supports_actor_id: c.actor_id,
            created_at: now,
        })
        .collect();
    let mut statements = Vec::new();
    if !tags.is_empty() {
        let rows = tags.iter().map(|tag| event_tag::ActiveModel { event_id: Set(event_id), tag: Set(tag.clone()) });
        statements.push(event_tag::Entity::insert_many(rows).build(backend));
    }
    if !participations.is_empty() {
        statements.push(insert_participations(backend, &participations, read_before)?);
    }
    if !cited.is_empty() {
        let rows = cited.iter().map(|c| citation::ActiveModel {
            id: Set(c.id),
            event_id: Set(c.event_id),
            source_id: Set(c.source_id),
            quote: Set(c.quote.clone()),
            supports: Set(c.supports.clone()),
            supports_actor_id: Set(c.supports_actor_id),
            created_at: Set(c.created_at),
        });
        statements.push(citation::Entity::insert_many(rows).build(backend));
    }
    Ok((statements, participations, cited))
}

/// The statement inserting `rows`, each naming its actor at the version read before the write
/// when `read_before` has it (see [`new_parts_statements`]).
fn insert_participations(
    backend: DatabaseBackend,
    rows: &[participation::Model],
    read_before: Option<&HashMap<Uuid, actor::Model>>,
) -> Result<Statement, DbErr> {
    use participation::Column;
    let mut insert = Query::insert();
    insert.into_table(participation::Entity).columns([
        Column::Id,
        Column::EventId,
        Column::ActorId,
        Column::Role,
        Column::Note,
    ]);
    for row in rows {
        let actor = match read_before.and_then(|actors| actors.get(&row.actor_id)) {
            Some(actor) => Expr::cust_with_values(
                "(SELECT id FROM actor WHERE id = ? AND version = ?)",
                [Value::from(actor.id), Value::from(actor.version)],
            ),
            None => Expr::val(row.actor_id),
        };
        insert
            .values([row.id.into(), row.event_id.into(), actor, row.role.clone().into(), row.note.clone().into()])
            .map_err(|error| DbErr::Custom(error.to_string()))?;
    }
    Ok(backend.build(&insert))
}

/// Replaces the citations of an event (already checked).
pub async fn replace_citations(
    txn: &DatabaseTransaction,
    event_id: Uuid,
    citations: &[NewCitation],
) -> ServiceResult<()> {
    citation::Entity::delete_many().filter(citation::Column::EventId.eq(event_id)).exec(txn).await?;
    insert_citations(txn, event_id, citations).await?;
    Ok(())
}

/// Adds citations (already checked) to an event; returns them as stored.
pub async fn insert_citations(
    txn: &DatabaseTransaction,
    event_id: Uuid,
    citations: &[NewCitation],
) -> ServiceResult<Vec<citation::Model>> {
    let now = Utc::now();
    Ok(citation::Entity::insert_many(citations.iter().map(|c| citation::ActiveModel {
        id: Set(Uuid::now_v7()),
        event_id: Set(event_id),
        source_id: Set(c.source_id),
        quote: Set(c.quote.clone()),
        supports: Set(c.supports.clone().unwrap_or_else(|| "event".to_owned())),
        supports_actor_id: Set(c.actor_id),
        created_at: Set(now),
    }))
    .exec_with_returning(txn)
    .await?)
}

/// The actors taking part in an event.
pub async fn participating_actors(connection: &impl ConnectionTrait, event_id: Uuid) -> ServiceResult<HashSet<Uuid>> {
    let ids: Vec<Uuid> = participation::Entity::find()
        .select_only()
        .column(participation::Column::ActorId)
        .filter(participation::Column::EventId.eq(event_id))
        .into_tuple()
        .all(connection)
        .await?;
    Ok(ids.into_iter().collect())
}

/// Adds a citation to an event; returns the event as it now stands.
pub async fn add_citation(
    db: &Database,
    event_id: Uuid,
    version: Option<i32>,
    citation: NewCitation,
) -> ServiceResult<event::Model> {
    let citation = &citation;
    write(db, |txn| {
        Box::pin(async move {
            let participating = participating_actors(&*txn, event_id).await?;
            let checked = check_citations(&*txn, "citation", std::slice::from_ref(citation), &participating)
                .await
                .map_err(|error| match error {
                    ServiceError::Validation { field, message } => {
                        ServiceError::Validation { field: field.replacen("citation[0]", "citation", 1), message }
                    }
                    other => other,
                })?;
            history::keep(&*txn, &[event_id]).await?;
            let event = touch(&txn, event_id, version).await?;
            insert_citations(&txn, event_id, &checked).await?;
            search::index_events(&*txn, &[event_id]).await?;
            Ok(Written::touching([Touched::event(event_id, Operation::Update)], event))
        })
    })
    .await
}

/// Removes a citation; returns its event as it now stands.
pub async fn remove_citation(db: &Database, citation_id: Uuid) -> ServiceResult<event::Model> {
    write(db, |txn| {
        Box::pin(async move {
            let row = citation::Entity::find_by_id(citation_id)
                .one(&*txn)
                .await?
                .ok_or_else(|| ServiceError::not_found("citation", citation_id))?;
            history::keep(&*txn, &[row.event_id]).await?;
            let event = touch(&txn, row.event_id, None).await?;
            citation::Entity::delete_by_id(citation_id).exec(&*txn).await?;
            search::index_events(&*txn, &[row.event_id]).await?;
            Ok(Written::touching([Touched::event(row.event_id, Operation::Update)], event))
        })
    })
    .await
}
