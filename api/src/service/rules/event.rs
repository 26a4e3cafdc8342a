//! An event's rules that need no database, the same for a mutation and an import: its own fields
//! (title to confidence, the dates read in its time zone, the end not before the start), and the
//! fields of each participation and citation. The field names are the GraphQL input's, which the
//! `chronik/1` format shares, except where one names an actor by ID and the other by key
//! (`actorId`, `actor`): the caller says which.

use std::collections::HashSet;

use entity::event;
use sea_orm::ActiveValue::Set;
use uuid::Uuid;

use super::{MAX_TEXT, MAX_TITLE, closed_term, open_term, optional_text, required_text, time_zone};
use crate::error::{ServiceError, ServiceResult};
use crate::service::dates::{self, StoredDate};
use crate::service::vocabulary::{CITATION_SUPPORTS, CONFIDENCE};

/// Where an event took place.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Place {
    pub name: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

impl Place {
    pub fn draft(&self) -> PlaceDraft<'_> {
        PlaceDraft { name: self.name.as_deref(), latitude: self.latitude, longitude: self.longitude }
    }
}

/// A place as given, before it is checked.
#[derive(Debug, Clone, Copy, Default)]
pub struct PlaceDraft<'a> {
    pub name: Option<&'a str>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

/// An actor's part in an event, as given by a client.
#[derive(Debug, Clone)]
pub struct NewParticipant {
    pub actor_id: Uuid,
    pub role: String,
    pub note: Option<String>,
}

/// A citation as given by a client. `supports` defaults to the whole event; with
/// `participation` it needs the `actor_id` whose participation the quote supports.
#[derive(Debug, Clone)]
pub struct NewCitation {
    pub source_id: Uuid,
    pub quote: Option<String>,
    pub supports: Option<String>,
    pub actor_id: Option<Uuid>,
}

/// An event's own fields as given (by a client, or merged with the stored event for an update,
/// or by a file), before they are checked.
#[derive(Debug, Clone, Copy, Default)]
pub struct EventDraft<'a> {
    pub title: &'a str,
    pub summary: Option<&'a str>,
    pub kind: &'a str,
    /// A fuzzy date, read in `time_zone` when it has no offset.
    pub start: &'a str,
    pub end: Option<&'a str>,
    /// An IANA zone name.
    pub time_zone: Option<&'a str>,
    pub place: Option<PlaceDraft<'a>>,
    /// None: `reported`.
    pub confidence: Option<&'a str>,
}

/// An event's own fields, checked: what its columns hold.
#[derive(Debug, Clone)]
pub struct EventFields {
    pub title: String,
    pub summary: Option<String>,
    pub kind: String,
    pub start: StoredDate,
    pub end: Option<StoredDate>,
    pub time_zone: Option<String>,
    pub place: Place,
    pub confidence: String,
}

/// Checks an event's own fields.
pub fn fields(draft: EventDraft<'_>) -> ServiceResult<EventFields> {
    let title = required_text("title", draft.title, MAX_TITLE)?;
    let summary = optional_text("summary", draft.summary, MAX_TEXT)?;
    let kind = open_term("kind", draft.kind)?;
    let zone = time_zone("timeZone", draft.time_zone)?;
    let start = dates::parse("start", draft.start, zone)?;
    let end = match draft.end.map(str::trim) {
        None | Some("") => None,
        Some(text) => Some(dates::parse("end", text, zone)?),
    };
    if let Some(end) = &end
        && end.latest < start.earliest
    {
        return Err(ServiceError::validation("end", format!("{} ends before the start, {}", end.value, start.value)));
    }
    let place = place(draft.place)?;
    let confidence = closed_term("confidence", draft.confidence.unwrap_or("reported"), CONFIDENCE)?;
    Ok(EventFields {
        title,
        summary,
        kind,
        start,
        end,
        time_zone: zone.map(|z| z.name().to_owned()),
        place,
        confidence,
    })
}

/// A name, and both coordinates or neither, in range.
pub fn place(place: Option<PlaceDraft<'_>>) -> ServiceResult<Place> {
    let Some(place) = place else {
        return Ok(Place::default());
    };
    let name = optional_text("place.name", place.name, MAX_TITLE)?;
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
    Ok(Place { name, latitude: place.latitude, longitude: place.longitude })
}

impl EventFields {
    /// Sets the columns these fields fill: all but the event's ID, parent, version, timestamps
    /// and external ID. `span_latest` is the latest second of start or end.
    pub fn apply(self, model: &mut event::ActiveModel) {
        let EventFields { title, summary, kind, start, end, time_zone, place, confidence } = self;
        model.span_latest = Set(end.as_ref().map_or(start.latest, |end| end.latest.max(start.latest)));
        model.title = Set(title);
        model.summary = Set(summary);
        model.kind = Set(kind);
        model.start_value = Set(start.value);
        model.start_precision = Set(start.precision);
        model.start_earliest = Set(start.earliest);
        model.start_latest = Set(start.latest);
        model.end_value = Set(end.as_ref().map(|d| d.value.clone()));
        model.end_precision = Set(end.as_ref().map(|d| d.precision));
        model.end_earliest = Set(end.as_ref().map(|d| d.earliest));
        model.end_latest = Set(end.as_ref().map(|d| d.latest));
        model.time_zone = Set(time_zone);
        model.place_name = Set(place.name);
        model.place_latitude = Set(place.latitude);
        model.place_longitude = Set(place.longitude);
        model.confidence = Set(confidence);
    }
}

/// A participation's own fields, `at` its place in the input (`participants[2]`): the role, a
/// term; the note; and each actor once per role (`seen` holds the pairs met so far).
pub fn participant(
    at: &str,
    actor_id: Uuid,
    role: &str,
    note: Option<&str>,
    seen: &mut HashSet<(Uuid, String)>,
) -> ServiceResult<NewParticipant> {
    let role = open_term(&format!("{at}.role"), role)?;
    if !seen.insert((actor_id, role.clone())) {
        return Err(ServiceError::validation(at, "this actor is already listed with this role"));
    }
    let note = optional_text(&format!("{at}.note"), note, MAX_TEXT)?;
    Ok(NewParticipant { actor_id, role, note })
}

/// A citation as given, its source and actor found already.
#[derive(Debug, Clone, Copy)]
pub struct CitationDraft<'a> {
    pub source_id: Uuid,
    pub quote: Option<&'a str>,
    pub supports: Option<&'a str>,
    pub actor_id: Option<Uuid>,
}

/// A citation's own fields, `at` its place in the input (`citations[0]`): the quote; what it
/// supports (the event by default); and an actor exactly when it supports a participation, one
/// of `participating`. `actor_field` is the name of the actor's field in the input.
pub fn citation(
    at: &str,
    draft: CitationDraft<'_>,
    actor_field: &str,
    participating: &HashSet<Uuid>,
) -> ServiceResult<NewCitation> {
    let quote = optional_text(&format!("{at}.quote"), draft.quote, MAX_TEXT)?;
    let supports = match draft.supports {
        None => "event".to_owned(),
        Some(value) => closed_term(&format!("{at}.supports"), value, CITATION_SUPPORTS)?,
    };
    let refuse = |message: &str| Err(ServiceError::validation(format!("{at}.{actor_field}"), message));
    match (supports.as_str(), draft.actor_id) {
        ("participation", None) => return refuse("a citation that supports a participation names the actor"),
        ("participation", Some(actor_id)) if !participating.contains(&actor_id) => {
            return refuse("this actor does not take part in the event");
        }
        ("participation", Some(_)) | (_, None) => {}
        (_, Some(_)) => return refuse("only a citation that supports a participation names an actor"),
    }
    Ok(NewCitation { source_id: draft.source_id, quote, supports: Some(supports), actor_id: draft.actor_id })
}
