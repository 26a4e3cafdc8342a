//! Checking one event of a file by the rules a mutation obeys ([`crate::service::rules`]), and
//! turning it into its rows: the event, its tags, participations, citations and search document.
//! Errors name fields as the `chronik/1` format does (`participants[0].actor`).

use std::collections::HashSet;

use chrono::{SubsecRound, Utc};
use entity::{citation, event, participation};
use sea_orm::ActiveValue::Set;
use uuid::Uuid;

use super::known::Known;
use super::search::Document;
use crate::error::{ServiceError, ServiceResult};
use crate::exchange::chronik::EventEntry;
use crate::service::rules::{self, event::CitationDraft};

/// An event's rows, ready to write.
pub struct CheckedEvent {
    pub model: event::ActiveModel,
    pub tags: Vec<String>,
    pub participants: Vec<participation::ActiveModel>,
    pub citations: Vec<citation::ActiveModel>,
    pub document: Document,
}

/// Where the event goes: its row ID, the version it will have and its parent's ID.
pub struct Target {
    pub id: Uuid,
    pub version: i32,
    pub parent: Option<Uuid>,
}

/// Checks an event of a file by [`rules::event`], as a mutation is checked, and builds its rows.
/// The actors and sources it names by key must be `known`.
pub fn event(entry: &EventEntry, target: Target, known: &Known) -> ServiceResult<CheckedEvent> {
    let fields = rules::event::fields(entry.draft())?;
    let tags = rules::tags("tags", &entry.tags)?;

    rules::list_len("participants", &entry.participants)?;
    let mut names: Vec<&str> = tags.iter().map(String::as_str).collect();
    let mut participating = HashSet::new();
    let mut seen = HashSet::new();
    let mut participants = Vec::with_capacity(entry.participants.len());
    for (index, participant) in entry.participants.iter().enumerate() {
        let at = format!("participants[{index}]");
        let actor = known
            .actor(&participant.actor)
            .ok_or_else(|| ServiceError::validation(format!("{at}.actor"), "no actor has this key"))?;
        let checked =
            rules::event::participant(&at, actor.id, &participant.role, participant.note.as_deref(), &mut seen)?;
        participating.insert(actor.id);
        names.push(&actor.names);
        participants.push(participation::ActiveModel {
            id: Set(Uuid::now_v7()),
            event_id: Set(target.id),
            actor_id: Set(actor.id),
            role: Set(checked.role),
            note: Set(checked.note),
        });
    }

    rules::list_len("citations", &entry.citations)?;
    // Whole microseconds: what PostgreSQL keeps, so that the row as written is the row as stored.
    let now = Utc::now().trunc_subsecs(6);
    let mut body = fields.summary.clone().unwrap_or_default();
    let mut citations = Vec::with_capacity(entry.citations.len());
    for (index, cited) in entry.citations.iter().enumerate() {
        let at = format!("citations[{index}]");
        let source = known
            .source(&cited.source)
            .ok_or_else(|| ServiceError::validation(format!("{at}.source"), "no source has this key"))?;
        let actor = match cited.actor.as_deref() {
            None => None,
            Some(key) => Some(
                known
                    .actor(key)
                    .ok_or_else(|| ServiceError::validation(format!("{at}.actor"), "no actor has this key"))?
                    .id,
            ),
        };
        let draft = CitationDraft {
            source_id: source,
            quote: cited.quote.as_deref(),
            supports: cited.supports.as_deref(),
            actor_id: actor,
        };
        let checked = rules::event::citation(&at, draft, "actor", &participating)?;
        if let Some(quote) = &checked.quote {
            body.push('\n');
            body.push_str(quote);
        }
        citations.push(citation::ActiveModel {
            id: Set(Uuid::now_v7()),
            event_id: Set(target.id),
            source_id: Set(source),
            quote: Set(checked.quote),
            supports: Set(checked.supports.unwrap_or_default()),
            supports_actor_id: Set(actor),
            created_at: Set(now),
        });
    }
    if let Some(name) = &fields.place.name {
        names.push(name);
    }
    let document = Document { id: target.id, title: fields.title.clone(), body, names: names.join("\n") };

    let mut model = event::ActiveModel {
        id: Set(target.id),
        parent_id: Set(target.parent),
        created_at: Set(now),
        updated_at: Set(now),
        deleted_at: Set(None),
        version: Set(target.version),
        external_id: Set(Some(entry.key.clone())),
        ..Default::default()
    };
    fields.apply(&mut model);
    super::evidence::first_reported(entry, &mut model)?;
    Ok(CheckedEvent { model, tags, participants, citations, document })
}
