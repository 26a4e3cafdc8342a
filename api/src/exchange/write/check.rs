//! Checking one event of a file the way `service::events` checks one made by hand, field by field,
//! and turning it into its rows: the event, its tags, participations, citations and search document.
//! Errors name fields as the `chronik/1` format does (`participants[0].actor`).

use std::collections::HashSet;

use chrono::{SubsecRound, Utc};
use entity::{citation, event, participation};
use sea_orm::ActiveValue::Set;
use uuid::Uuid;

use super::known::Known;
use super::search::Document;
use crate::error::{ServiceError, ServiceResult};
use crate::exchange::chronik::{EventEntry, PlaceEntry};
use crate::service::dates;
use crate::service::validate::{self, MAX_TEXT, MAX_TITLE};
use crate::service::vocabulary::{CITATION_SUPPORTS, CONFIDENCE};

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

pub fn event(entry: &EventEntry, target: Target, known: &Known) -> ServiceResult<CheckedEvent> {
    let title = validate::required_text("title", &entry.title, MAX_TITLE)?;
    let summary = validate::optional_text("summary", entry.summary.as_deref(), MAX_TEXT)?;
    let kind = validate::open_term("kind", &entry.kind)?;
    let zone = validate::time_zone("timeZone", entry.time_zone.as_deref())?;
    let start = dates::parse("start", &entry.start, zone)?;
    let end = match entry.end.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => Some(dates::parse("end", text, zone)?),
    };
    if let Some(end) = &end
        && end.latest < start.earliest
    {
        return Err(ServiceError::validation("end", format!("{} ends before the start, {}", end.value, start.value)));
    }
    let (place_name, latitude, longitude) = place(entry.place.as_ref())?;
    let confidence =
        validate::closed_term("confidence", entry.confidence.as_deref().unwrap_or("reported"), CONFIDENCE)?;
    let tags = validate::tags("tags", &entry.tags)?;

    validate::list_len("participants", &entry.participants)?;
    let mut names: Vec<&str> = tags.iter().map(String::as_str).collect();
    let mut participating = HashSet::new();
    let mut seen = HashSet::new();
    let mut participants = Vec::with_capacity(entry.participants.len());
    for (index, participant) in entry.participants.iter().enumerate() {
        let actor = known
            .actor(&participant.actor)
            .ok_or_else(|| ServiceError::validation(format!("participants[{index}].actor"), "no actor has this key"))?;
        let role = validate::open_term(&format!("participants[{index}].role"), &participant.role)?;
        if !seen.insert((actor.id, role.clone())) {
            return Err(ServiceError::validation(
                format!("participants[{index}]"),
                "this actor is already listed with this role",
            ));
        }
        let note =
            validate::optional_text(&format!("participants[{index}].note"), participant.note.as_deref(), MAX_TEXT)?;
        participating.insert(actor.id);
        names.push(&actor.names);
        participants.push(participation::ActiveModel {
            id: Set(Uuid::now_v7()),
            event_id: Set(target.id),
            actor_id: Set(actor.id),
            role: Set(role),
            note: Set(note),
        });
    }

    validate::list_len("citations", &entry.citations)?;
    // Whole microseconds: what PostgreSQL keeps, so that the row as written is the row as stored.
    let now = Utc::now().trunc_subsecs(6);
    let mut body = summary.clone().unwrap_or_default();
    let mut citations = Vec::with_capacity(entry.citations.len());
    for (index, cited) in entry.citations.iter().enumerate() {
        let source = known
            .source(&cited.source)
            .ok_or_else(|| ServiceError::validation(format!("citations[{index}].source"), "no source has this key"))?;
        let quote = validate::optional_text(&format!("citations[{index}].quote"), cited.quote.as_deref(), MAX_TEXT)?;
        let supports = match cited.supports.as_deref() {
            None => "event".to_owned(),
            Some(value) => validate::closed_term(&format!("citations[{index}].supports"), value, CITATION_SUPPORTS)?,
        };
        let actor = match cited.actor.as_deref() {
            None => None,
            Some(key) => Some(
                known
                    .actor(key)
                    .ok_or_else(|| {
                        ServiceError::validation(format!("citations[{index}].actor"), "no actor has this key")
                    })?
                    .id,
            ),
        };
        let field = format!("citations[{index}].actor");
        match (supports.as_str(), actor) {
            ("participation", None) => {
                return Err(ServiceError::validation(
                    field,
                    "a citation that supports a participation names the actor",
                ));
            }
            ("participation", Some(actor)) if !participating.contains(&actor) => {
                return Err(ServiceError::validation(field, "this actor does not take part in the event"));
            }
            ("participation", Some(_)) | (_, None) => {}
            (_, Some(_)) => {
                return Err(ServiceError::validation(
                    field,
                    "only a citation that supports a participation names an actor",
                ));
            }
        }
        if let Some(quote) = &quote {
            body.push('\n');
            body.push_str(quote);
        }
        citations.push(citation::ActiveModel {
            id: Set(Uuid::now_v7()),
            event_id: Set(target.id),
            source_id: Set(source),
            quote: Set(quote),
            supports: Set(supports),
            supports_actor_id: Set(actor),
            created_at: Set(now),
        });
    }
    if let Some(name) = &place_name {
        names.push(name);
    }
    let document = Document { id: target.id, title: title.clone(), body, names: names.join("\n") };

    let span_latest = end.as_ref().map_or(start.latest, |end| end.latest.max(start.latest));
    let model = event::ActiveModel {
        id: Set(target.id),
        parent_id: Set(target.parent),
        title: Set(title),
        summary: Set(summary),
        kind: Set(kind),
        start_value: Set(start.value),
        start_precision: Set(start.precision),
        start_earliest: Set(start.earliest),
        start_latest: Set(start.latest),
        end_value: Set(end.as_ref().map(|d| d.value.clone())),
        end_precision: Set(end.as_ref().map(|d| d.precision)),
        end_earliest: Set(end.as_ref().map(|d| d.earliest)),
        end_latest: Set(end.as_ref().map(|d| d.latest)),
        span_latest: Set(span_latest),
        time_zone: Set(zone.map(|z| z.name().to_owned())),
        place_name: Set(place_name),
        place_latitude: Set(latitude),
        place_longitude: Set(longitude),
        confidence: Set(confidence),
        created_at: Set(now),
        updated_at: Set(now),
        deleted_at: Set(None),
        version: Set(target.version),
        external_id: Set(Some(entry.key.clone())),
    };
    Ok(CheckedEvent { model, tags, participants, citations, document })
}

type CheckedPlace = (Option<String>, Option<f64>, Option<f64>);

/// The place rules of `service::events`: a name, and both coordinates or neither, in range.
fn place(place: Option<&PlaceEntry>) -> ServiceResult<CheckedPlace> {
    let Some(place) = place else {
        return Ok((None, None, None));
    };
    let name = validate::optional_text("place.name", place.name.as_deref(), MAX_TITLE)?;
    match (place.latitude, place.longitude) {
        (Some(_), None) => return Err(ServiceError::validation("place.longitude", "give both latitude and longitude")),
        (None, Some(_)) => return Err(ServiceError::validation("place.latitude", "give both latitude and longitude")),
        _ => {}
    }
    if let Some(latitude) = place.latitude
        && !(-90.0..=90.0).contains(&latitude)
    {
        return Err(ServiceError::validation("place.latitude", "must be between -90 and 90"));
    }
    if let Some(longitude) = place.longitude
        && !(-180.0..=180.0).contains(&longitude)
    {
        return Err(ServiceError::validation("place.longitude", "must be between -180 and 180"));
    }
    Ok((name, place.latitude, place.longitude))
}
