//! `chronik/1` out, as one JSON document or as JSON Lines. Entries have the fields of
//! [`crate::exchange::chronik`]'s, empty ones left out, keys as [`super::select::key`] gives
//! them, lists in a fixed order (tags sorted, participants and citations by ID), one entry per line.

use std::io::Write;

use entity::{actor, source};
use serde::Serialize;

use super::FormatWriter;
use super::select::{Item, Link, Page, key};
use crate::exchange::chronik::FORMAT;
use crate::service::search;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ActorOut<'a> {
    key: String,
    name: &'a str,
    kind: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    aliases: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SourceOut<'a> {
    key: String,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    publisher: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    published: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    accessed_at: Option<chrono::DateTime<chrono::Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    archive_url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    notes: Option<&'a str>,
}

#[derive(Serialize)]
struct PlaceOut<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    latitude: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    longitude: Option<f64>,
}

#[derive(Serialize)]
struct ParticipantOut<'a> {
    actor: String,
    role: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
}

#[derive(Serialize)]
struct CitationOut<'a> {
    source: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    quote: Option<&'a str>,
    supports: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    actor: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct EventOut<'a> {
    key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    parent: Option<&'a str>,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<&'a str>,
    kind: &'a str,
    start: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    end: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    time_zone: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    place: Option<PlaceOut<'a>>,
    confidence: &'a str,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    tags: &'a [String],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    participants: Vec<ParticipantOut<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    citations: Vec<CitationOut<'a>>,
}

#[derive(Serialize)]
struct LinkOut<'a> {
    from: &'a str,
    to: &'a str,
    kind: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
}

/// One line of JSON Lines: the entry, tagged with its type first.
#[derive(Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
enum Line<'a> {
    Actor(ActorOut<'a>),
    Source(SourceOut<'a>),
    Event(EventOut<'a>),
    Link(LinkOut<'a>),
}

fn actor(row: &actor::Model) -> ActorOut<'_> {
    ActorOut {
        key: key(row.external_id.as_ref(), row.id),
        name: &row.name,
        kind: &row.kind,
        aliases: search::aliases(row),
        description: row.description.as_deref(),
    }
}

fn source(row: &source::Model) -> SourceOut<'_> {
    SourceOut {
        key: key(row.external_id.as_ref(), row.id),
        title: &row.title,
        url: row.url.as_deref(),
        publisher: row.publisher.as_deref(),
        author: row.author.as_deref(),
        published: row.published_value.as_deref(),
        accessed_at: row.accessed_at,
        archive_url: row.archive_url.as_deref(),
        notes: row.notes.as_deref(),
    }
}

fn event<'a>(page: &'a Page, item: &'a Item) -> EventOut<'a> {
    let row = &item.row;
    let place = (row.place_name.is_some() || row.place_latitude.is_some() || row.place_longitude.is_some()).then_some(
        PlaceOut { name: row.place_name.as_deref(), latitude: row.place_latitude, longitude: row.place_longitude },
    );
    EventOut {
        key: item.key(),
        parent: page.parent_key(item).map(String::as_str),
        title: &row.title,
        summary: row.summary.as_deref(),
        kind: &row.kind,
        start: &row.start_value,
        end: row.end_value.as_deref(),
        time_zone: row.time_zone.as_deref(),
        place,
        confidence: &row.confidence,
        tags: &item.tags,
        participants: item
            .participants
            .iter()
            .map(|p| ParticipantOut { actor: page.actor_key(p.actor_id), role: &p.role, note: p.note.as_deref() })
            .collect(),
        citations: item
            .citations
            .iter()
            .map(|c| CitationOut {
                source: page.source_key(c.source_id),
                quote: c.quote.as_deref(),
                supports: &c.supports,
                actor: c.supports_actor_id.map(|id| page.actor_key(id)),
            })
            .collect(),
    }
}

fn link(link: &Link) -> LinkOut<'_> {
    LinkOut { from: &link.from, to: &link.to, kind: &link.row.kind, note: link.row.note.as_deref() }
}

/// JSON Lines: `{"format":"chronik/1"}`, then one record per line.
pub struct Lines<W> {
    out: W,
}

impl<W: Write> Lines<W> {
    pub fn new(out: W) -> Self {
        Self { out }
    }

    fn line(&mut self, line: &Line<'_>) -> std::io::Result<()> {
        serde_json::to_writer(&mut self.out, line)?;
        self.out.write_all(b"\n")
    }
}

impl<W: Write> FormatWriter for Lines<W> {
    fn records(&self) -> bool {
        true
    }

    fn begin(&mut self) -> std::io::Result<()> {
        writeln!(self.out, "{{\"format\":\"{FORMAT}\"}}")
    }

    fn actor(&mut self, row: &actor::Model) -> std::io::Result<()> {
        self.line(&Line::Actor(actor(row)))
    }

    fn source(&mut self, row: &source::Model) -> std::io::Result<()> {
        self.line(&Line::Source(source(row)))
    }

    fn events(&mut self, page: &Page) -> std::io::Result<()> {
        for item in &page.events {
            self.line(&Line::Event(event(page, item)))?;
        }
        Ok(())
    }

    fn link(&mut self, link_row: &Link) -> std::io::Result<()> {
        self.line(&Line::Link(link(link_row)))
    }

    fn finish(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// The document: `{"format": "chronik/1", "actors": [...], "sources": [...], "events": [...],
/// "links": [...]}`, one entry per line.
pub struct Document<W> {
    out: W,
    /// The list being written, and whether it has an entry yet.
    list: Option<(&'static str, bool)>,
}

impl<W: Write> Document<W> {
    pub fn new(out: W) -> Self {
        Self { out, list: None }
    }

    /// Writes one entry of `list`, opening it (and closing the one before) as needed.
    fn entry<T: Serialize>(&mut self, list: &'static str, entry: &T) -> std::io::Result<()> {
        self.open(list)?;
        let first = matches!(self.list, Some((_, false)));
        self.out.write_all(if first { b"\n  " } else { b",\n  " })?;
        serde_json::to_writer(&mut self.out, entry)?;
        self.list = Some((list, true));
        Ok(())
    }

    fn open(&mut self, list: &'static str) -> std::io::Result<()> {
        if self.list.is_some_and(|(open, _)| open == list) {
            return Ok(());
        }
        self.close()?;
        write!(self.out, ",\n\"{list}\": [")?;
        self.list = Some((list, false));
        Ok(())
    }

    fn close(&mut self) -> std::io::Result<()> {
        match self.list.take() {
            Some((_, true)) => self.out.write_all(b"\n]"),
            Some((_, false)) => self.out.write_all(b"]"),
            None => Ok(()),
        }
    }
}

impl<W: Write> FormatWriter for Document<W> {
    fn records(&self) -> bool {
        true
    }

    fn begin(&mut self) -> std::io::Result<()> {
        write!(self.out, "{{\"format\": \"{FORMAT}\"")
    }

    fn actor(&mut self, row: &actor::Model) -> std::io::Result<()> {
        self.entry("actors", &actor(row))
    }

    fn source(&mut self, row: &source::Model) -> std::io::Result<()> {
        self.entry("sources", &source(row))
    }

    fn events(&mut self, page: &Page) -> std::io::Result<()> {
        for item in &page.events {
            self.entry("events", &event(page, item))?;
        }
        Ok(())
    }

    fn link(&mut self, link_row: &Link) -> std::io::Result<()> {
        self.entry("links", &link(link_row))
    }

    fn finish(&mut self) -> std::io::Result<()> {
        self.close()?;
        self.out.write_all(b"}\n")?;
        self.out.flush()
    }
}
