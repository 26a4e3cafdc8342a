//! Chronik's JSON exchange format (`chronik/1`) and the example affair written in it: the Taurus leak,
//! reconstructed from one Wall Street Journal article. A document is loaded in ONE transaction.
//!
//! A document lists actors, sources, events (parents before their children) and links. Each entry has a
//! `key` local to the document; events, participations, citations and links refer to entries by key,
//! and loading maps every key to the UUID the database gives the new row. Any problem is a
//! [`ServiceError::Validation`] whose field is the JSON path of the culprit (`events[3].participants[0].actor`),
//! and then nothing is written.

use std::collections::{HashMap, HashSet};

use sea_orm::DatabaseTransaction;
use serde::Serialize;
use uuid::Uuid;

use crate::db::Database;
use crate::exchange::chronik::{Document, FORMAT};
use crate::error::{ServiceError, ServiceResult};
use crate::service::actors::{self, NewActor};
use crate::service::event_parts::{NewCitation, NewParticipant};
use crate::service::events::{self, NewEvent, Place};
use crate::service::history::{Operation, Touched};
use crate::service::links::{self, NewLink};
use crate::service::sources::{self, NewSource};

/// The example affair: the Taurus leak of March 2024, from the WSJ article in `shared/seeds`.
pub const EXAMPLE: &str = include_str!("seed/taurus-leak.json");

/// How many rows of each kind a load created.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SeedSummary {
    pub events: usize,
    pub actors: usize,
    pub sources: usize,
    pub links: usize,
}

/// Reads a `chronik/1` document and checks that every key is unique and every reference resolves.
/// Does not touch the database; field checks (dates, kinds, lengths) happen when it is loaded.
pub fn parse(json: &str) -> ServiceResult<Document> {
    let mut deserializer = serde_json::Deserializer::from_str(json);
    let document: Document = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        let field = if path == "." { "document".to_owned() } else { path };
        ServiceError::validation(field, error.into_inner().to_string())
    })?;
    deserializer.end().map_err(|error| ServiceError::validation("document", error.to_string()))?;
    if document.format != FORMAT {
        return Err(ServiceError::validation(
            "format",
            format!("{:?} is not a format this version reads; expected {FORMAT:?}", document.format),
        ));
    }
    check_references(&document)?;
    Ok(document)
}

/// Parses `json` and writes it in one transaction: all of it, or nothing.
pub async fn load(db: &Database, json: &str) -> ServiceResult<SeedSummary> {
    let document = parse(json)?;
    let txn = db.begin_write().await?;
    let mut written = Vec::new();
    match load_recording(&txn, &document, &mut written).await {
        Ok(summary) => {
            crate::service::commit(db, txn, &written).await?;
            Ok(summary)
        }
        Err(error) => {
            txn.rollback().await?;
            Err(error)
        }
    }
}

/// Loads the example affair, [`EXAMPLE`]. Every call adds a new copy.
pub async fn load_example(db: &Database) -> ServiceResult<SeedSummary> {
    load(db, EXAMPLE).await
}

/// Writes a parsed document inside the caller's transaction (which the caller commits or rolls back).
pub async fn load_in(txn: &DatabaseTransaction, document: &Document) -> ServiceResult<SeedSummary> {
    load_recording(txn, document, &mut Vec::new()).await
}

/// [`load_in`], noting in `written` every record it created, for the audit trail and revisions.
pub async fn load_recording(
    txn: &DatabaseTransaction,
    document: &Document,
    written: &mut Vec<Touched>,
) -> ServiceResult<SeedSummary> {
    check_references(document)?;
    let mut actor_ids: HashMap<&str, Uuid> = HashMap::new();
    for (index, entry) in document.actors.iter().enumerate() {
        let input = NewActor {
            name: entry.name.clone(),
            kind: entry.kind.clone(),
            aliases: entry.aliases.clone(),
            description: entry.description.clone(),
        };
        let row = actors::create_in(txn, input).await.map_err(|e| at(&format!("actors[{index}]"), e))?;
        actor_ids.insert(&entry.key, row.id);
        written.push(Touched::actor(row.id, Operation::Create));
    }

    let mut source_ids: HashMap<&str, Uuid> = HashMap::new();
    for (index, entry) in document.sources.iter().enumerate() {
        let input = NewSource {
            title: entry.title.clone(),
            url: entry.url.clone(),
            publisher: entry.publisher.clone(),
            author: entry.author.clone(),
            published: entry.published.clone(),
            accessed_at: entry.accessed_at,
            archive_url: entry.archive_url.clone(),
            notes: entry.notes.clone(),
        };
        let row = sources::create_in(txn, input).await.map_err(|e| at(&format!("sources[{index}]"), e))?;
        source_ids.insert(&entry.key, row.id);
        written.push(Touched::source(row.id, Operation::Create));
    }

    let mut event_ids: HashMap<&str, Uuid> = HashMap::new();
    for (index, entry) in document.events.iter().enumerate() {
        // check_references guarantees every key below resolves.
        let actor = |key: &str| actor_ids[key];
        let input = NewEvent {
            title: entry.title.clone(),
            summary: entry.summary.clone(),
            kind: entry.kind.clone(),
            start: entry.start.clone(),
            end: entry.end.clone(),
            time_zone: entry.time_zone.clone(),
            place: entry.place.as_ref().map(|place| Place {
                name: place.name.clone(),
                latitude: place.latitude,
                longitude: place.longitude,
            }),
            confidence: entry.confidence.clone(),
            tags: entry.tags.clone(),
            parent_id: entry.parent.as_deref().map(|key| event_ids[key]),
            participants: entry
                .participants
                .iter()
                .map(|p| NewParticipant { actor_id: actor(&p.actor), role: p.role.clone(), note: p.note.clone() })
                .collect(),
            citations: entry
                .citations
                .iter()
                .map(|c| NewCitation {
                    source_id: source_ids[c.source.as_str()],
                    quote: c.quote.clone(),
                    supports: c.supports.clone(),
                    actor_id: c.actor.as_deref().map(actor),
                })
                .collect(),
        };
        let row = events::create_in(txn, input).await.map_err(|e| at(&format!("events[{index}]"), e))?;
        event_ids.insert(&entry.key, row.id);
        written.push(Touched::event(row.id, Operation::Create));
    }

    for (index, entry) in document.links.iter().enumerate() {
        let input = NewLink {
            from: event_ids[entry.from.as_str()],
            to: event_ids[entry.to.as_str()],
            kind: entry.kind.clone(),
            note: entry.note.clone(),
        };
        links::link_in(txn, input).await.map_err(|error| match error {
            ServiceError::Conflict(message) => ServiceError::validation(format!("links[{index}]"), message),
            other => at(&format!("links[{index}]"), other),
        })?;
    }

    Ok(SeedSummary {
        events: document.events.len(),
        actors: document.actors.len(),
        sources: document.sources.len(),
        links: document.links.len(),
    })
}

/// Checks keys (unique, not empty) and references (to known keys; a parent listed before its child).
fn check_references(document: &Document) -> ServiceResult<()> {
    let actors = keys("actors", document.actors.iter().map(|a| a.key.as_str()))?;
    let sources = keys("sources", document.sources.iter().map(|s| s.key.as_str()))?;
    keys("events", document.events.iter().map(|e| e.key.as_str()))?;
    let unknown = |path: String, what: &str| ServiceError::validation(path, format!("no {what} has this key"));

    let mut earlier: HashSet<&str> = HashSet::new();
    for (index, event) in document.events.iter().enumerate() {
        if let Some(parent) = event.parent.as_deref()
            && !earlier.contains(parent)
        {
            let message = if document.events.iter().any(|e| e.key == parent) {
                "the parent event must be listed before its children"
            } else {
                "no event has this key"
            };
            return Err(ServiceError::validation(format!("events[{index}].parent"), message));
        }
        for (i, participant) in event.participants.iter().enumerate() {
            if !actors.contains(participant.actor.as_str()) {
                return Err(unknown(format!("events[{index}].participants[{i}].actor"), "actor"));
            }
        }
        for (i, citation) in event.citations.iter().enumerate() {
            if !sources.contains(citation.source.as_str()) {
                return Err(unknown(format!("events[{index}].citations[{i}].source"), "source"));
            }
            if let Some(actor) = citation.actor.as_deref()
                && !actors.contains(actor)
            {
                return Err(unknown(format!("events[{index}].citations[{i}].actor"), "actor"));
            }
        }
        earlier.insert(&event.key);
    }
    for (index, link) in document.links.iter().enumerate() {
        for (end, key) in [("from", &link.from), ("to", &link.to)] {
            if !earlier.contains(key.as_str()) {
                return Err(unknown(format!("links[{index}].{end}"), "event"));
            }
        }
    }
    Ok(())
}

/// The keys of one list, checked: not empty, each used once.
fn keys<'a>(list: &str, keys: impl Iterator<Item = &'a str>) -> ServiceResult<HashSet<&'a str>> {
    let mut seen = HashSet::new();
    for (index, key) in keys.enumerate() {
        if key.trim().is_empty() {
            return Err(ServiceError::validation(format!("{list}[{index}].key"), "must not be empty"));
        }
        if !seen.insert(key) {
            return Err(ServiceError::validation(format!("{list}[{index}].key"), format!("{key:?} is used twice")));
        }
    }
    Ok(seen)
}

/// Puts a service validation error at its place in the document: the service names its own input
/// fields (`participants[0].actorId`, `parentId`), the document names keys (`participants[0].actor`, `parent`).
fn at(prefix: &str, error: ServiceError) -> ServiceError {
    match error {
        ServiceError::Validation { field, message } => {
            let field = match field.as_str() {
                "parentId" => "parent".to_owned(),
                "sourceId" => "from".to_owned(),
                "targetId" => "to".to_owned(),
                other => other.replace(".actorId", ".actor").replace(".sourceId", ".source"),
            };
            ServiceError::Validation { field: format!("{prefix}.{field}"), message }
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_parses_and_its_references_resolve() {
        let document = parse(EXAMPLE).expect("the example parses");
        assert_eq!(document.format, FORMAT);
        assert!(document.events.len() >= 12);
    }

    #[test]
    fn a_wrong_type_names_its_path() {
        let json =
            r#"{"format":"chronik/1","events":[{"key":"a","title":"A","kind":"other","start":"2024","tags":"x"}]}"#;
        match parse(json) {
            Err(ServiceError::Validation { field, .. }) => assert_eq!(field, "events[0].tags"),
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn unknown_fields_and_formats_are_refused() {
        let json = r#"{"format":"chronik/1","actors":[{"key":"a","name":"A","kind":"person","colour":"red"}]}"#;
        match parse(json) {
            Err(ServiceError::Validation { field, message }) => {
                assert_eq!(field, "actors[0].colour");
                assert!(message.contains("colour"), "{message}");
            }
            other => panic!("expected a validation error, got {other:?}"),
        }
        match parse(r#"{"format":"chronik/2"}"#) {
            Err(ServiceError::Validation { field, .. }) => assert_eq!(field, "format"),
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn parents_come_first_and_keys_are_unique() {
        let child_first = r#"{"format":"chronik/1","events":[
            {"key":"b","parent":"a","title":"B","kind":"other","start":"2024"},
            {"key":"a","title":"A","kind":"other","start":"2024"}]}"#;
        match parse(child_first) {
            Err(ServiceError::Validation { field, message }) => {
                assert_eq!(field, "events[0].parent");
                assert!(message.contains("before"), "{message}");
            }
            other => panic!("expected a validation error, got {other:?}"),
        }
        let twice = r#"{"format":"chronik/1","actors":[
            {"key":"a","name":"A","kind":"person"},{"key":"a","name":"B","kind":"person"}]}"#;
        match parse(twice) {
            Err(ServiceError::Validation { field, .. }) => assert_eq!(field, "actors[1].key"),
            other => panic!("expected a validation error, got {other:?}"),
        }
    }
}
