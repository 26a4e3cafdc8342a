//! FollowTheMoney entities in (JSON Lines, as Aleph and `ftm` export them; see
//! [`crate::exchange::ftm`] for the mapping). Entities may come in any order and in fragments,
//! so the file is read whole first (its entities, not its text: this format is for
//! investigations' files, not for millions of events), fragments of one ID merged; then actors,
//! sources, events with their participations and citations, and links go to the writer.

use std::collections::HashMap;
use std::io::BufRead;

use super::jsonl::read_line;
use super::sink::Sink;
use crate::exchange::chronik::{
    ActorEntry, CitationEntry, EventEntry, LinkEntry, ParticipantEntry, PlaceEntry, SourceEntry,
};
use crate::exchange::error::{ImportError, Position};
use crate::exchange::ftm::{self, ACTOR, CONFIDENCE, EVENT, Entity, KIND, SOURCE};
use crate::exchange::record::{EventRecord, Record};

pub fn read(mut input: impl BufRead, sink: &mut Sink<'_>) -> Result<(), ImportError> {
    let mut entities: Vec<(Position, Entity)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut buffer = Vec::new();
    let mut number = 0u64;
    loop {
        number += 1;
        let at = Position::Line(number);
        if !read_line(&mut input, &mut buffer, &at)? {
            break;
        }
        let text = std::str::from_utf8(&buffer)
            .map_err(|_| ImportError::invalid(Some(at.clone()), "", "is not UTF-8 text"))?;
        if text.trim().is_empty() {
            continue;
        }
        let entity: Entity = serde_json::from_str(text.trim()).map_err(|error| {
            ImportError::invalid(Some(at.clone()), "", format!("is not a FollowTheMoney entity: {error}"))
        })?;
        if entity.id.trim().is_empty() {
            return Err(ImportError::invalid(Some(at), "id", "must not be empty"));
        }
        match index.get(&entity.id) {
            Some(&i) => {
                if let Some((_, earlier)) = entities.get_mut(i) {
                    earlier.merge(entity);
                }
            }
            None => {
                index.insert(entity.id.clone(), entities.len());
                entities.push((at, entity));
            }
        }
    }
    let schema_of = |id: &str| index.get(id).and_then(|&i| entities.get(i)).map(|(_, e)| e.schema.as_str());
    let is_actor = |id: &str| schema_of(id).is_some_and(|schema| ftm::actor_kind(schema).is_some());
    let is_event = |id: &str| schema_of(id) == Some("Event");

    // Participations and citations, by event ID.
    let mut participants: HashMap<&str, Vec<ParticipantEntry>> = HashMap::new();
    let mut citations: HashMap<&str, Vec<CitationEntry>> = HashMap::new();
    let mut links = Vec::new();
    for (at, entity) in &entities {
        match entity.schema.as_str() {
            "UnknownLink" => {
                let (Some(subject), Some(object)) = (entity.first("subject"), entity.first("object")) else {
                    continue;
                };
                let role = entity.first("role");
                if is_actor(&subject) && is_event(&object) {
                    let Some((event, _)) = index.get_key_value(&object) else { continue };
                    participants.entry(event.as_str()).or_default().push(ParticipantEntry {
                        actor: ftm::key_of(&subject, ACTOR),
                        role: ftm::term(role.as_deref().unwrap_or(""), "involved"),
                        note: entity.first("summary"),
                    });
                } else if is_event(&subject) && is_event(&object) {
                    links.push((
                        at.clone(),
                        LinkEntry {
                            from: ftm::key_of(&subject, EVENT),
                            to: ftm::key_of(&object, EVENT),
                            kind: ftm::term(role.as_deref().unwrap_or(""), "related"),
                            note: entity.first("summary"),
                        },
                    ));
                }
            }
            "Documentation" => {
                let (Some(document), Some(target)) = (entity.first("document"), entity.first("entity")) else {
                    continue;
                };
                if !is_event(&target) || !schema_of(&document).is_some_and(ftm::is_source) {
                    continue;
                }
                let Some((event, _)) = index.get_key_value(&target) else { continue };
                let role = entity.first("role").unwrap_or_default();
                let (supports, actor) = match role.split_once(' ') {
                    Some(("participation", actor)) if is_actor(actor) => {
                        (Some("participation".to_owned()), Some(ftm::key_of(actor, ACTOR)))
                    }
                    _ => (matches!(role.as_str(), "event" | "date" | "place").then_some(role), None),
                };
                citations.entry(event.as_str()).or_default().push(CitationEntry {
                    source: ftm::key_of(&document, SOURCE),
                    quote: entity.first("summary"),
                    supports,
                    actor,
                });
            }
            _ => {}
        }
    }

    for (at, entity) in &entities {
        if let Some(kind) = ftm::actor_kind(&entity.schema) {
            let keywords = entity.values("keywords");
            let kind =
                keywords.iter().find_map(|k| k.strip_prefix(KIND)).map_or_else(|| kind.to_owned(), str::to_owned);
            let name = entity.first("name").unwrap_or_default();
            sink(
                at.clone(),
                Record::Actor(ActorEntry {
                    key: ftm::key_of(&entity.id, ACTOR),
                    name,
                    kind,
                    aliases: entity.values("alias"),
                    description: entity.first("description"),
                }),
            )?;
        }
    }
    for (at, entity) in &entities {
        if ftm::is_source(&entity.schema) {
            let title = entity.first("title").or_else(|| entity.first("name")).or_else(|| entity.first("fileName"));
            sink(
                at.clone(),
                Record::Source(SourceEntry {
                    key: ftm::key_of(&entity.id, SOURCE),
                    title: title.unwrap_or_default(),
                    url: entity.first("sourceUrl"),
                    publisher: entity.first("publisher"),
                    author: entity.first("author"),
                    published: entity.first("publishedAt").or_else(|| entity.first("date")).map(|d| ftm::fuzzy(&d)),
                    accessed_at: entity.first("retrievedAt").and_then(|d| {
                        let text = ftm::fuzzy(&d);
                        chrono::NaiveDateTime::parse_from_str(&text, "%Y-%m-%dT%H:%M:%S").ok().map(|t| t.and_utc())
                    }),
                    archive_url: None,
                    notes: entity.first("notes"),
                    status: None,
                    changes: Vec::new(),
                }),
            )?;
        }
    }
    for (at, entity) in &entities {
        if entity.schema != "Event" {
            continue;
        }
        let keywords = entity.values("keywords");
        let kind = keywords.iter().find_map(|k| k.strip_prefix(KIND)).unwrap_or("other").to_owned();
        let confidence = keywords.iter().find_map(|k| k.strip_prefix(CONFIDENCE)).map(str::to_owned);
        let tags = keywords.iter().filter(|k| !k.starts_with(KIND) && !k.starts_with(CONFIDENCE)).cloned().collect();
        let mut people = participants.remove(entity.id.as_str()).unwrap_or_default();
        // `involved` and `organizer` without an interval of their own are participants too.
        for (property, role) in [("organizer", "organizer"), ("involved", "involved")] {
            for actor in entity.values(property) {
                let key = ftm::key_of(&actor, ACTOR);
                if is_actor(&actor) && !people.iter().any(|p| p.actor == key) {
                    people.push(ParticipantEntry { actor: key, role: role.to_owned(), note: None });
                }
            }
        }
        let place_entity = entity.first("addressEntity").and_then(|id| index.get(&id).and_then(|&i| entities.get(i)));
        let coordinate = |name: &str| place_entity.and_then(|(_, p)| p.first(name)).and_then(|v| v.parse::<f64>().ok());
        let place_name = entity.first("location").or_else(|| place_entity.and_then(|(_, p)| p.first("full")));
        let (latitude, longitude) = (coordinate("latitude"), coordinate("longitude"));
        let place = (place_name.is_some() || latitude.is_some()).then_some(PlaceEntry {
            name: place_name,
            latitude,
            longitude,
        });
        let start =
            entity.first("startDate").or_else(|| entity.first("date")).map(|d| ftm::fuzzy(&d)).unwrap_or_default();
        let entry = EventEntry {
            key: ftm::key_of(&entity.id, EVENT),
            parent: None,
            title: entity.first("name").unwrap_or_default(),
            summary: entity.first("summary").or_else(|| entity.first("description")),
            kind,
            start,
            end: entity.first("endDate").map(|d| ftm::fuzzy(&d)),
            time_zone: None,
            place,
            confidence,
            tags,
            participants: people,
            citations: citations.remove(entity.id.as_str()).unwrap_or_default(),
            first_reported: None,
            accounts: Vec::new(),
            notes: Vec::new(),
        };
        sink(at.clone(), Record::Event(EventRecord::full(entry)))?;
    }
    for (at, link) in links {
        sink(at, Record::Link(link))?;
    }
    Ok(())
}
