//! FollowTheMoney out: one entity per line (see [`crate::exchange::ftm`] for the mapping), in
//! the export's order (actors, sources, each event followed by its participations, citations and
//! place, then links), properties in name order, so the same data always gives the same file.

use std::io::Write;

use chrono_tz::Tz;
use entity::{actor, source};

use super::select::{Link, Page, key};
use super::writer::FormatWriter;
use crate::exchange::ftm::{self, ACTOR, CONFIDENCE, EVENT, Entity, KIND, SOURCE};

pub struct Entities<W> {
    out: W,
}

impl<W: Write> Entities<W> {
    pub fn new(out: W) -> Self {
        Self { out }
    }

    fn entity(&mut self, entity: &Entity) -> std::io::Result<()> {
        serde_json::to_writer(&mut self.out, entity)?;
        self.out.write_all(b"\n")
    }
}

/// Roles that make an actor the event's `organizer` rather than one `involved`.
fn organises(role: &str) -> bool {
    matches!(role, "organiser" | "organizer" | "host" | "convener")
}

impl<W: Write> FormatWriter for Entities<W> {
    fn records(&self) -> bool {
        true
    }

    fn actor(&mut self, row: &actor::Model) -> std::io::Result<()> {
        let mut entity =
            Entity::new(ftm::id(ACTOR, &key(row.external_id.as_ref(), row.id)), ftm::actor_schema(&row.kind));
        entity.add("name", row.name.clone());
        for alias in crate::service::search::aliases(row) {
            entity.add("alias", alias);
        }
        entity.add_opt("description", row.description.as_deref());
        entity.add("keywords", format!("{KIND}{}", row.kind));
        self.entity(&entity)
    }

    fn source(&mut self, row: &source::Model) -> std::io::Result<()> {
        let mut entity = Entity::new(ftm::id(SOURCE, &key(row.external_id.as_ref(), row.id)), "Article");
        entity.add("title", row.title.clone());
        entity.add_opt("sourceUrl", row.url.as_deref());
        entity.add_opt("publisher", row.publisher.as_deref());
        entity.add_opt("author", row.author.as_deref());
        if let Some((published, _)) = row.published_value.as_deref().and_then(|value| ftm::dates(value, None)) {
            entity.add("publishedAt", published);
        }
        if let Some(accessed) = row.accessed_at {
            entity.add("retrievedAt", accessed.format("%Y-%m-%dT%H:%M:%S").to_string());
        }
        entity.add_opt("notes", row.notes.as_deref());
        self.entity(&entity)
    }

    fn events(&mut self, page: &Page) -> std::io::Result<()> {
        for item in &page.events {
            let row = &item.row;
            let event_key = item.key();
            let id = ftm::id(EVENT, &event_key);
            let zone: Option<Tz> = row.time_zone.as_deref().and_then(|name| name.parse().ok());
            let (start, implied_end) = ftm::dates(&row.start_value, zone).unwrap_or_default();
            let end = match row.end_value.as_deref().and_then(|value| ftm::dates(value, zone)) {
                Some((end, wider)) => Some(wider.unwrap_or(end)),
                None => implied_end,
            };
            let mut event = Entity::new(id.clone(), "Event");
            event.add("name", row.title.clone());
            event.add_opt("summary", row.summary.as_deref());
            event.add("date", start.clone());
            event.add("startDate", start.clone());
            if let Some(end) = &end {
                event.add("endDate", end.clone());
            }
            event.add_opt("location", row.place_name.as_deref());
            for participant in &item.participants {
                let actor = ftm::id(ACTOR, &page.actor_key(participant.actor_id));
                let property = if organises(&participant.role) { "organizer" } else { "involved" };
                if !event.values(property).contains(&actor) {
                    event.add(property, actor);
                }
            }
            for tag in &item.tags {
                event.add("keywords", tag.clone());
            }
            event.add("keywords", format!("{KIND}{}", row.kind));
            event.add("keywords", format!("{CONFIDENCE}{}", row.confidence));
            let place = (row.place_latitude.is_some() && row.place_longitude.is_some()).then(|| {
                let mut place = Entity::new(ftm::id("pl.", &event_key), "Address");
                place.add_opt("full", row.place_name.as_deref());
                place.add("latitude", row.place_latitude.map(|l| l.to_string()).unwrap_or_default());
                place.add("longitude", row.place_longitude.map(|l| l.to_string()).unwrap_or_default());
                place
            });
            if let Some(place) = &place {
                event.add("addressEntity", place.id.clone());
                self.entity(place)?;
            }
            self.entity(&event)?;
            // Each participation is an interval of its own: who, in what role, when.
            for participant in &item.participants {
                let actor_key = page.actor_key(participant.actor_id);
                let mut link = Entity::new(
                    format!(
                        "{}{}",
                        ftm::id("p.", &event_key),
                        ftm::id(".", &format!("{actor_key} {}", participant.role))
                    ),
                    "UnknownLink",
                );
                link.add("subject", ftm::id(ACTOR, &actor_key));
                link.add("object", id.clone());
                link.add("role", participant.role.clone());
                link.add_opt("summary", participant.note.as_deref());
                link.add("startDate", start.clone());
                if let Some(end) = &end {
                    link.add("endDate", end.clone());
                }
                self.entity(&link)?;
            }
            for (index, citation) in item.citations.iter().enumerate() {
                let mut documentation = Entity::new(format!("{}.{index}", ftm::id("c.", &event_key)), "Documentation");
                documentation.add("document", ftm::id(SOURCE, &page.source_key(citation.source_id)));
                documentation.add("entity", id.clone());
                // A quote that supports one participation names its actor: FollowTheMoney's
                // Documentation has no property for it, so its role does ("participation a.x").
                let role = match citation.supports_actor_id {
                    Some(actor) => format!("{} {}", citation.supports, ftm::id(ACTOR, &page.actor_key(actor))),
                    None => citation.supports.clone(),
                };
                documentation.add("role", role);
                documentation.add_opt("summary", citation.quote.as_deref());
                self.entity(&documentation)?;
            }
        }
        Ok(())
    }

    fn link(&mut self, link: &Link) -> std::io::Result<()> {
        let mut entity =
            Entity::new(ftm::id("l.", &format!("{} {} {}", link.from, link.to, link.row.kind)), "UnknownLink");
        entity.add("subject", ftm::id(EVENT, &link.from));
        entity.add("object", ftm::id(EVENT, &link.to));
        entity.add("role", link.row.kind.clone());
        entity.add_opt("summary", link.row.note.as_deref());
        self.entity(&entity)
    }

    fn finish(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}
