//! Chronik's own JSON format, `chronik/1`: the shapes of its entries, which the readers take
//! (as one document or as JSON Lines, see [`super::read`]), the export writes
//! ([`super::export`]) and `chronik generate` draws.
//!
//! A document lists actors, sources, events and links. Each entry has a `key` local to the file;
//! events, participations, citations and links refer to entries by key, and an import keeps every
//! key as the row's `external_id`, so importing the same file again updates those rows.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::service::rules::event::{EventDraft, PlaceDraft};

/// The value of `format` this version reads and writes.
pub const FORMAT: &str = "chronik/1";

/// A whole `chronik/1` document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Document {
    /// Always [`FORMAT`].
    pub format: String,
    #[serde(default)]
    pub actors: Vec<ActorEntry>,
    #[serde(default)]
    pub sources: Vec<SourceEntry>,
    /// Parents before their children.
    #[serde(default)]
    pub events: Vec<EventEntry>,
    #[serde(default)]
    pub links: Vec<LinkEntry>,
}

/// A person or body; `kind` is one of person, organisation, state_body, media_outlet, group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ActorEntry {
    pub key: String,
    pub name: String,
    pub kind: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub description: Option<String>,
}

/// An article, document or post that events cite. `published` is a fuzzy date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SourceEntry {
    pub key: String,
    pub title: String,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub publisher: Option<String>,
    #[serde(default)]
    pub author: Option<String>,
    #[serde(default)]
    pub published: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accessed_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archive_url: Option<String>,
    #[serde(default)]
    pub notes: Option<String>,
}

/// An event; `parent` is the key of an event listed earlier in the document.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EventEntry {
    pub key: String,
    #[serde(default)]
    pub parent: Option<String>,
    pub title: String,
    #[serde(default)]
    pub summary: Option<String>,
    pub kind: String,
    /// A fuzzy date: `2024-02`, `2024-W08?`, `2024-03-01`, `202X`, …
    pub start: String,
    #[serde(default)]
    pub end: Option<String>,
    /// An IANA time zone such as `Europe/Berlin`; without one, dates are UTC.
    #[serde(default)]
    pub time_zone: Option<String>,
    #[serde(default)]
    pub place: Option<PlaceEntry>,
    /// confirmed, reported (the default), alleged or disputed.
    #[serde(default)]
    pub confidence: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub participants: Vec<ParticipantEntry>,
    #[serde(default)]
    pub citations: Vec<CitationEntry>,
}

impl EventEntry {
    /// The event's own fields, as the rules of a mutation check them ([`crate::service::rules`]).
    pub fn draft(&self) -> EventDraft<'_> {
        EventDraft {
            title: &self.title,
            summary: self.summary.as_deref(),
            kind: &self.kind,
            start: &self.start,
            end: self.end.as_deref(),
            time_zone: self.time_zone.as_deref(),
            place: self.place.as_ref().map(|place| PlaceDraft {
                name: place.name.as_deref(),
                latitude: place.latitude,
                longitude: place.longitude,
            }),
            confidence: self.confidence.as_deref(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PlaceEntry {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub latitude: Option<f64>,
    #[serde(default)]
    pub longitude: Option<f64>,
}

/// An actor's part in an event: `actor` is an actor's key, `role` a term such as organiser or speaker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ParticipantEntry {
    pub actor: String,
    pub role: String,
    #[serde(default)]
    pub note: Option<String>,
}

/// A citation of a source (by key) with the quote that supports the event, its date, its place or
/// one participation (then `actor` names the participant's key).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CitationEntry {
    pub source: String,
    #[serde(default)]
    pub quote: Option<String>,
    #[serde(default)]
    pub supports: Option<String>,
    #[serde(default)]
    pub actor: Option<String>,
}

/// A typed, directed link between two events, by key ("leak" `reveals` "call").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LinkEntry {
    pub from: String,
    pub to: String,
    pub kind: String,
    #[serde(default)]
    pub note: Option<String>,
}
