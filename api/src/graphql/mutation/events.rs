//! Writing events: create (with participants and citations), update, delete, cite, link.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result, SimpleObject};

use super::input::{PlaceInput, change};
use crate::auth::Role;
use crate::auth::guard::RoleGuard;
use crate::db::Database;
use crate::error::ServiceResult;
use crate::graphql::types::{Event, EventLink, event};
use crate::ids::{self, NodeKind};
use crate::service::event_parts::{self, NewCitation, NewParticipant};
use crate::service::events::{self, EventChanges, NewEvent, Place};
use crate::service::links::{self, NewLink};

#[derive(InputObject)]
pub struct ParticipantInput {
    pub actor_id: ID,
    /// organiser, participant, speaker, subject, target, leaker, investigator, … or a role of your own.
    pub role: String,
    pub note: Option<String>,
}

#[derive(InputObject)]
pub struct CitationInput {
    pub source_id: ID,
    /// The words of the source, verbatim.
    pub quote: Option<String>,
    /// What the quote supports: event (default), date, place or participation.
    pub supports: Option<String>,
    /// With `supports: "participation"`: whose participation (an actor taking part in the event).
    pub actor_id: Option<ID>,
}

fn participants(list: Vec<ParticipantInput>) -> ServiceResult<Vec<NewParticipant>> {
    list.into_iter()
        .enumerate()
        .map(|(i, p)| {
            Ok(NewParticipant {
                actor_id: ids::decode(NodeKind::Actor, &p.actor_id, &format!("participants[{i}].actorId"))?,
                role: p.role,
                note: p.note,
            })
        })
        .collect()
}

fn citation(field: &str, c: CitationInput) -> ServiceResult<NewCitation> {
    Ok(NewCitation {
        source_id: ids::decode(NodeKind::Source, &c.source_id, &format!("{field}.sourceId"))?,
        quote: c.quote,
        supports: c.supports,
        actor_id: c.actor_id.map(|id| ids::decode(NodeKind::Actor, &id, &format!("{field}.actorId"))).transpose()?,
    })
}

fn citations(list: Vec<CitationInput>) -> ServiceResult<Vec<NewCitation>> {
    list.into_iter().enumerate().map(|(i, c)| citation(&format!("citations[{i}]"), c)).collect()
}

#[derive(InputObject)]
pub struct CreateEventInput {
    pub title: String,
    /// A fuzzy date: `2024`, `2024-02`, `2024-W08`, `2024-02-19`, `2024-03-01T22:00+01:00`, `2024-02~`, `2024-02?`.
    pub start: String,
    pub end: Option<String>,
    /// meeting, leak, publication, statement, investigation, arrest, decision, correction, other, or a kind of your own.
    #[graphql(default_with = "String::from(\"other\")")]
    pub kind: String,
    pub summary: Option<String>,
    /// IANA zone (Europe/Berlin) in which dates without an offset are read.
    pub time_zone: Option<String>,
    pub place: Option<PlaceInput>,
    /// confirmed, reported (default), alleged or disputed.
    pub confidence: Option<String>,
    pub tags: Option<Vec<String>>,
    pub parent_id: Option<ID>,
    pub participants: Option<Vec<ParticipantInput>>,
    pub citations: Option<Vec<CitationInput>>,
    /// Accounts of its aspects, each resting on a source: the event's value of an aspect then
    /// comes from them (see `addAccount`).
    pub accounts: Option<Vec<super::evidence::EventAccountInput>>,
}

#[derive(InputObject)]
pub struct UpdateEventInput {
    pub id: ID,
    /// The version you read; if the event changed since, nothing is written and you get CONFLICT.
    pub version: i32,
    pub title: Option<String>,
    pub start: Option<String>,
    pub end: MaybeUndefined<String>,
    pub kind: Option<String>,
    pub summary: MaybeUndefined<String>,
    pub time_zone: MaybeUndefined<String>,
    pub place: MaybeUndefined<PlaceInput>,
    pub confidence: Option<String>,
    /// Replaces the tags.
    pub tags: Option<Vec<String>>,
    pub parent_id: MaybeUndefined<ID>,
    /// Replaces the participants.
    pub participants: Option<Vec<ParticipantInput>>,
    /// Replaces the citations.
    pub citations: Option<Vec<CitationInput>>,
}

#[derive(InputObject)]
pub struct DeleteEventInput {
    pub id: ID,
    /// If given, delete only if the event is still at this version.
    pub version: Option<i32>,
}

#[derive(InputObject)]
pub struct RestoreEventInput {
    pub id: ID,
}

#[derive(InputObject)]
pub struct PurgeEventInput {
    pub id: ID,
}

#[derive(SimpleObject)]
pub struct RestoreEventPayload {
    pub event: Event,
}

#[derive(SimpleObject)]
pub struct PurgeEventPayload {
    pub purged_id: ID,
}

#[derive(InputObject)]
pub struct AddCitationInput {
    pub event_id: ID,
    /// If given, add only if the event is still at this version.
    pub version: Option<i32>,
    pub source_id: ID,
    pub quote: Option<String>,
    pub supports: Option<String>,
    pub actor_id: Option<ID>,
}

#[derive(InputObject)]
pub struct RemoveCitationInput {
    pub id: ID,
}

#[derive(InputObject)]
pub struct LinkEventsInput {
    /// The event the link starts from ("the leak").
    pub source_id: ID,
    /// The event it points to ("the meeting").
    pub target_id: ID,
    /// reveals, responds_to, causes, investigates, corrects, follows, part_of, or a kind of your own.
    pub kind: String,
    pub note: Option<String>,
}

#[derive(InputObject)]
pub struct UnlinkEventsInput {
    pub id: ID,
}

#[derive(SimpleObject)]
pub struct CreateEventPayload {
    pub event: Event,
}

#[derive(SimpleObject)]
pub struct UpdateEventPayload {
    pub event: Event,
}

#[derive(SimpleObject)]
pub struct DeleteEventPayload {
    pub deleted_id: ID,
}

#[derive(SimpleObject)]
pub struct CitationPayload {
    /// The event, at its new version.
    pub event: Event,
}

#[derive(SimpleObject)]
pub struct LinkEventsPayload {
    pub link: Option<EventLink>,
}

#[derive(SimpleObject)]
pub struct UnlinkEventsPayload {
    pub deleted_id: ID,
}

fn one(db: &Database, row: entity::event::Model) -> Result<Event> {
    event::wrap(db, vec![row]).pop().ok_or_else(|| "event vanished".into())
}

#[derive(Default)]
pub struct EventMutation;

#[Object]
impl EventMutation {
    /// Creates an event with its participants and citations, all or nothing.
    #[graphql(guard = "RoleGuard::new(Role::Editor)")]
    async fn create_event(&self, ctx: &Context<'_>, input: CreateEventInput) -> Result<CreateEventPayload> {
        let db = ctx.data::<Database>()?;
        let new = NewEvent {
            title: input.title,
            summary: input.summary,
            kind: input.kind,
            start: input.start,
            end: input.end,
            time_zone: input.time_zone,
            place: input.place.map(Place::from),
            confidence: input.confidence,
            tags: input.tags.unwrap_or_default(),
            parent_id: input.parent_id.map(|id| ids::decode(NodeKind::Event, &id, "parentId")).transpose()?,
            participants: participants(input.participants.unwrap_or_default())?,
            citations: citations(input.citations.unwrap_or_default())?,
            accounts: super::evidence::event_accounts(input.accounts.unwrap_or_default())?,
        };
        let row = events::create(db, new).await?;
        Ok(CreateEventPayload { event: one(db, row)? })
    }

    /// Changes an event; fields left out stay as they are, null clears them.
    #[graphql(guard = "RoleGuard::new(Role::Editor)")]
    async fn update_event(&self, ctx: &Context<'_>, input: UpdateEventInput) -> Result<UpdateEventPayload> {
        let db = ctx.data::<Database>()?;
        let id = ids::decode(NodeKind::Event, &input.id, "id")?;
        let parent_id = match change(input.parent_id) {
            None => None,
            Some(None) => Some(None),
            Some(Some(id)) => Some(Some(ids::decode(NodeKind::Event, &id, "parentId")?)),
        };
        let changes = EventChanges {
            title: input.title,
            summary: change(input.summary),
            kind: input.kind,
            start: input.start,
            end: change(input.end),
            time_zone: change(input.time_zone),
            place: change(input.place).map(|p| p.map(Place::from)),
            confidence: input.confidence,
            tags: input.tags,
            parent_id,
            participants: input.participants.map(participants).transpose()?,
            citations: input.citations.map(citations).transpose()?,
        };
        let row = events::update(db, id, input.version, changes).await?;
        Ok(UpdateEventPayload { event: one(db, row)? })
    }

    /// Deletes an event: it leaves every listing and search (the row is kept, marked deleted).
    #[graphql(guard = "RoleGuard::new(Role::Editor)")]
    async fn delete_event(&self, ctx: &Context<'_>, input: DeleteEventInput) -> Result<DeleteEventPayload> {
        let db = ctx.data::<Database>()?;
        let id = ids::decode(NodeKind::Event, &input.id, "id")?;
        let deleted = events::delete(db, id, input.version).await?;
        Ok(DeleteEventPayload { deleted_id: ID(ids::encode(NodeKind::Event, deleted)) })
    }

    /// Brings back a deleted event (admin).
    #[graphql(guard = "RoleGuard::new(Role::Admin)")]
    async fn restore_event(&self, ctx: &Context<'_>, input: RestoreEventInput) -> Result<RestoreEventPayload> {
        let db = ctx.data::<Database>()?;
        let id = ids::decode(NodeKind::Event, &input.id, "id")?;
        let row = events::restore(db, id).await?;
        Ok(RestoreEventPayload { event: one(db, row)? })
    }

    /// Removes an event for good, with its revisions; the audit trail keeps what it was (admin).
    #[graphql(guard = "RoleGuard::new(Role::Admin)")]
    async fn purge_event(&self, ctx: &Context<'_>, input: PurgeEventInput) -> Result<PurgeEventPayload> {
        let db = ctx.data::<Database>()?;
        let id = ids::decode(NodeKind::Event, &input.id, "id")?;
        let purged = events::purge(db, id).await?;
        Ok(PurgeEventPayload { purged_id: ID(ids::encode(NodeKind::Event, purged)) })
    }

    /// Adds a quote from a source to an event.
    #[graphql(guard = "RoleGuard::new(Role::Editor)")]
    async fn add_citation(&self, ctx: &Context<'_>, input: AddCitationInput) -> Result<CitationPayload> {
        let db = ctx.data::<Database>()?;
        let event_id = ids::decode(NodeKind::Event, &input.event_id, "eventId")?;
        let new = citation(
            "citation",
            CitationInput {
                source_id: input.source_id,
                quote: input.quote,
                supports: input.supports,
                actor_id: input.actor_id,
            },
        )
        .map_err(|error| match error {
            crate::error::ServiceError::Validation { field, message } => {
                crate::error::ServiceError::Validation { field: field.replacen("citation.", "", 1), message }
            }
            other => other,
        })?;
        let row = event_parts::add_citation(db, event_id, input.version, new).await?;
        Ok(CitationPayload { event: one(db, row)? })
    }

    #[graphql(guard = "RoleGuard::new(Role::Editor)")]
    async fn remove_citation(&self, ctx: &Context<'_>, input: RemoveCitationInput) -> Result<CitationPayload> {
        let db = ctx.data::<Database>()?;
        let id = ids::decode(NodeKind::Citation, &input.id, "id")?;
        let row = event_parts::remove_citation(db, id).await?;
        Ok(CitationPayload { event: one(db, row)? })
    }

    /// Links two events with a typed, directed link.
    #[graphql(guard = "RoleGuard::new(Role::Editor)")]
    async fn link_events(&self, ctx: &Context<'_>, input: LinkEventsInput) -> Result<LinkEventsPayload> {
        let db = ctx.data::<Database>()?;
        let new = NewLink {
            from: ids::decode(NodeKind::Event, &input.source_id, "sourceId")?,
            to: ids::decode(NodeKind::Event, &input.target_id, "targetId")?,
            kind: input.kind,
            note: input.note,
        };
        let row = links::link(db, new).await?;
        let grouped = [(row.id, vec![row.clone()])].into_iter().collect();
        let link = event::wrap_links(db, grouped).remove(&row.id).and_then(|mut links| links.pop());
        Ok(LinkEventsPayload { link })
    }

    #[graphql(guard = "RoleGuard::new(Role::Editor)")]
    async fn unlink_events(&self, ctx: &Context<'_>, input: UnlinkEventsInput) -> Result<UnlinkEventsPayload> {
        let db = ctx.data::<Database>()?;
        let id = ids::decode(NodeKind::EventLink, &input.id, "id")?;
        let deleted = links::unlink(db, id).await?;
        Ok(UnlinkEventsPayload { deleted_id: ID(ids::encode(NodeKind::EventLink, deleted)) })
    }
}
