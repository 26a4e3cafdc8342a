//! A note on an event (`Event.notes`, loaded for sibling events at once by the event's scope).

use async_graphql::{Context, ID, Object, Result};
use chrono::{DateTime, Utc};
use entity::note;
use uuid::Uuid;

use std::collections::HashMap;
use std::sync::Arc;

use super::Event;
use super::event::{self, EventRefs};
use crate::auth::Principal;
use crate::db::Database;
use crate::graphql::batch::{Lazy, unique};
use crate::ids::{self, NodeKind};

#[derive(Clone)]
pub struct Note {
    pub row: note::Model,
    scope: Arc<NoteScope>,
}

/// The events of a set of sibling notes, loaded once for all of them.
struct NoteScope {
    db: Database,
    events: EventRefs,
}

fn scope<'a>(db: &Database, rows: impl Iterator<Item = &'a note::Model>) -> Arc<NoteScope> {
    Arc::new(NoteScope { db: db.clone(), events: Lazy::new(unique(rows.map(|row| row.event_id))) })
}

/// Wraps sibling notes sharing one scope.
pub fn wrap(db: &Database, rows: Vec<note::Model>) -> Vec<Note> {
    let scope = scope(db, rows.iter());
    rows.into_iter().map(|row| Note { row, scope: scope.clone() }).collect()
}

/// Wraps one note.
pub fn one(db: &Database, row: note::Model) -> Note {
    Note { scope: scope(db, std::iter::once(&row)), row }
}

/// Wraps grouped sibling notes (per event) sharing one scope.
pub fn wrap_grouped(db: &Database, grouped: HashMap<Uuid, Vec<note::Model>>) -> HashMap<Uuid, Vec<Note>> {
    let scope = scope(db, grouped.values().flatten());
    grouped
        .into_iter()
        .map(|(key, rows)| (key, rows.into_iter().map(|row| Note { row, scope: scope.clone() }).collect()))
        .collect()
}

#[Object]
impl Note {
    pub async fn id(&self) -> ID {
        ID(ids::encode(NodeKind::Note, self.row.id))
    }

    /// Plain text; links in it are shown as links.
    async fn body(&self) -> &str {
        &self.row.body
    }

    /// The name of the token that wrote it.
    async fn author(&self) -> Option<&str> {
        self.row.author.as_deref()
    }

    /// Whether the token of this request wrote it (and so may edit or delete it).
    async fn mine(&self, ctx: &Context<'_>) -> bool {
        let name = ctx.data_opt::<Principal>().map(|p| p.name.as_str());
        name.is_some() && name == self.row.author.as_deref()
    }

    /// Changes with every edit; send it back with `updateNote`.
    async fn version(&self) -> i32 {
        self.row.version
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.row.created_at
    }

    async fn updated_at(&self) -> DateTime<Utc> {
        self.row.updated_at
    }

    /// The event the note is on; null if it was deleted.
    async fn event(&self) -> Result<Option<Event>> {
        let db = &self.scope.db;
        let all = self.scope.events.all(|ids| event::load(db, ids)).await?;
        Ok(all.get(&self.row.event_id).cloned())
    }
}
