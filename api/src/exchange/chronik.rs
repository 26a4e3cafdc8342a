//! Chronik's own JSON format, `chronik/1`: the shapes of its entries, which the readers take
//! (as one document or as JSON Lines, see [`super::read`]), the export writes
//! ([`super::export`](mod@super::export)) and `chronik generate` draws.
//!
//! A document lists actors, sources, events and links. Each entry has a `key` local to the file;
//! events, participations, citations and links refer to entries by key, and an import keeps every
//! key as the row's `external_id`, so importing the same file again updates those rows. Empty
//! fields are left out when written. An event entry reads as the rules' draft ([`EventEntry::draft`])
//! and is written from the stored event ([`EventEntry::stored`]): its fields map here only.

use chrono::{DateTime, Utc};
use entity::{actor, event, source};
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
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl ActorEntry {
    /// A stored actor as an entry under `key`.
    pub fn stored(row: &actor::Model, key: String) -> Self {
        ActorEntry {
            key,
            name: row.name.clone(),
            kind: row.kind.clone(),
            aliases: crate::service::search::aliases(row),
            description: row.description.clone(),
        }
    }
}

/// An article, document or post that events cite. `published` is a fuzzy date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SourceEntry {
    pub key: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accessed_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archive_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// updated, corrected or retracted (published when left out): the kind of its latest change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Its changes, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<SourceChangeEntry>,
}

/// A change in the life of a source: `kind` updated, corrected or retracted, `at` a fuzzy date,
/// `supersedes` the keys of the accounts a correction replaced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SourceChangeEntry {
    pub kind: String,
    pub at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub supersedes: Vec<String>,
}

/// One source's version of one aspect of an event (`aspect` when, where, who or whether),
/// resting on `source` (a key) and its `quote`. `key` is needed only for a correction to name it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AccountEntry {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    pub aspect: String,
    /// supports (when left out) or disputes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stance: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<PlaceEntry>,
    /// WHO: an actor's key, and its role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    pub source: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    /// superseded or retracted (current when left out).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub preferred: bool,
}

impl SourceEntry {
    /// A stored source as an entry under `key`.
    pub fn stored(row: &source::Model, key: String) -> Self {
        SourceEntry {
            key,
            title: row.title.clone(),
            url: row.url.clone(),
            publisher: row.publisher.clone(),
            author: row.author.clone(),
            published: row.published_value.clone(),
            accessed_at: row.accessed_at,
            archive_url: row.archive_url.clone(),
            notes: row.notes.clone(),
            status: (row.status != "published").then(|| row.status.clone()),
            changes: Vec::new(),
        }
    }
}

/// An event; `parent` is the key of an event listed earlier in the document.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EventEntry {
    pub key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    pub kind: String,
    /// A fuzzy date: `2024-02`, `2024-W08?`, `2024-03-01`, `202X`, …
    pub start: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
    /// An IANA time zone such as `Europe/Berlin`; without one, dates are UTC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<PlaceEntry>,
    /// confirmed, reported (the default), alleged or disputed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub participants: Vec<ParticipantEntry>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub citations: Vec<CitationEntry>,
    /// When it became known, as an editor set it (a fuzzy date); left out, it follows from the
    /// publication dates of the sources its accounts rest on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_reported: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accounts: Vec<AccountEntry>,
    /// The team's notes on it, oldest first. An import adds those it does not hold yet (the same
    /// author, text and time) and removes none: a file never takes back what was written since.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<NoteEntry>,
}

/// A note on an event: its text, who wrote it (a token's name) and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NoteEntry {
    pub body: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// When it was written; left out, the import's time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<DateTime<Utc>>,
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

    /// A stored event as an entry under `key`, with its parent's key and its parts.
    pub fn stored(
        row: &event::Model,
        key: String,
        parent: Option<String>,
        tags: Vec<String>,
        participants: Vec<ParticipantEntry>,
        citations: Vec<CitationEntry>,
    ) -> Self {
        let place =
            (row.place_name.is_some() || row.place_latitude.is_some() || row.place_longitude.is_some()).then(|| {
                PlaceEntry {
                    name: row.place_name.clone(),
                    latitude: row.place_latitude,
                    longitude: row.place_longitude,
                }
            });
        EventEntry {
            key,
            parent,
            title: row.title.clone(),
            summary: row.summary.clone(),
            kind: row.kind.clone(),
            start: row.start_value.clone(),
            end: row.end_value.clone(),
            time_zone: row.time_zone.clone(),
            place,
            confidence: Some(row.confidence.clone()),
            tags,
            participants,
            citations,
            first_reported: if row.first_reported_set { row.first_reported_value.clone() } else { None },
            accounts: Vec::new(),
            notes: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PlaceEntry {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latitude: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub longitude: Option<f64>,
}

/// An actor's part in an event: `actor` is an actor's key, `role` a term such as organiser or speaker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ParticipantEntry {
    pub actor: String,
    pub role: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A citation of a source (by key) with the quote that supports the event, its date, its place or
/// one participation (then `actor` names the participant's key).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CitationEntry {
    pub source: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supports: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
}

/// A typed, directed link between two events, by key ("leak" `reveals` "call").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LinkEntry {
    pub from: String,
    pub to: String,
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One line of JSON Lines: an entry, tagged with its type first.
#[derive(Debug, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Line<'a> {
    Actor(&'a ActorEntry),
    Source(&'a SourceEntry),
    Event(&'a EventEntry),
    Link(&'a LinkEntry),
}
