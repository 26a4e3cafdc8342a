//! `chronik/1` out, as one JSON document or as JSON Lines: the entries of
//! [`crate::exchange::chronik`], keys as [`super::select::key`] gives them, lists in a fixed order
//! (tags sorted, participants and citations by ID), one entry per line.

use std::io::Write;

use entity::{actor, source, source_change};
use serde::Serialize;

use super::select::{Item, Link, Page, key};
use super::writer::FormatWriter;
use crate::exchange::chronik::{
    AccountEntry, ActorEntry, CitationEntry, EventEntry, FORMAT, Line, LinkEntry, NoteEntry, ParticipantEntry,
    PlaceEntry, SourceChangeEntry, SourceEntry,
};

fn actor(row: &actor::Model) -> ActorEntry {
    ActorEntry::stored(row, key(row.external_id.as_ref(), row.id))
}

fn source(row: &source::Model, changes: &[(source_change::Model, Vec<String>)]) -> SourceEntry {
    let mut entry = SourceEntry::stored(row, key(row.external_id.as_ref(), row.id));
    entry.changes = changes
        .iter()
        .map(|(change, supersedes)| SourceChangeEntry {
            kind: change.kind.clone(),
            at: change.at_value.clone(),
            note: change.note.clone(),
            supersedes: supersedes.clone(),
        })
        .collect();
    entry
}

fn event(page: &Page, item: &Item) -> EventEntry {
    let participants = item
        .participants
        .iter()
        .map(|p| ParticipantEntry { actor: page.actor_key(p.actor_id), role: p.role.clone(), note: p.note.clone() })
        .collect();
    let citations = item
        .citations
        .iter()
        .map(|c| CitationEntry {
            source: page.source_key(c.source_id),
            quote: c.quote.clone(),
            supports: Some(c.supports.clone()),
            actor: c.supports_actor_id.map(|id| page.actor_key(id)),
        })
        .collect();
    let parent = page.parent_key(item).cloned();
    let mut entry = EventEntry::stored(&item.row, item.key(), parent, item.tags.clone(), participants, citations);
    entry.accounts = item
        .accounts
        .iter()
        .map(|a| AccountEntry {
            key: Some(key(a.external_id.as_ref(), a.id)),
            aspect: a.aspect.clone(),
            stance: (a.stance != "supports").then(|| a.stance.clone()),
            date: a.date_value.clone(),
            end: a.end_value.clone(),
            place: (a.place_name.is_some() || a.place_latitude.is_some()).then(|| PlaceEntry {
                name: a.place_name.clone(),
                latitude: a.place_latitude,
                longitude: a.place_longitude,
            }),
            actor: a.actor_id.map(|id| page.actor_key(id)),
            role: a.role.clone(),
            source: page.source_key(a.source_id),
            quote: a.quote.clone(),
            status: (a.status != "current").then(|| a.status.clone()),
            preferred: a.preferred,
        })
        .collect();
    entry.notes = item
        .notes
        .iter()
        .map(|n| NoteEntry {
            body: n.body.clone(),
            author: n.author.clone(),
            created_at: Some(n.created_at),
            updated_at: (n.updated_at != n.created_at).then_some(n.updated_at),
        })
        .collect();
    entry
}

fn link(link: &Link) -> LinkEntry {
    LinkEntry { from: link.from.clone(), to: link.to.clone(), kind: link.row.kind.clone(), note: link.row.note.clone() }
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
        self.line(&Line::Actor(&actor(row)))
    }

    fn source(&mut self, row: &source::Model) -> std::io::Result<()> {
        self.line(&Line::Source(&source(row, &[])))
    }

    fn source_with_changes(
        &mut self,
        row: &source::Model,
        changes: &[(source_change::Model, Vec<String>)],
    ) -> std::io::Result<()> {
        self.line(&Line::Source(&source(row, changes)))
    }

    fn events(&mut self, page: &Page) -> std::io::Result<()> {
        for item in &page.events {
            self.line(&Line::Event(&event(page, item)))?;
        }
        Ok(())
    }

    fn link(&mut self, link_row: &Link) -> std::io::Result<()> {
        self.line(&Line::Link(&link(link_row)))
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
        self.entry("sources", &source(row, &[]))
    }

    fn source_with_changes(
        &mut self,
        row: &source::Model,
        changes: &[(source_change::Model, Vec<String>)],
    ) -> std::io::Result<()> {
        self.entry("sources", &source(row, changes))
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
