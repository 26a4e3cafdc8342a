//! A note on an event, and the notes and stars an event shows (`Event.notes`, `starred`,
//! `starCount`): read when asked for, one query per event, as the detail of one event asks.

use async_graphql::{Context, ID, Object, Result};
use chrono::{DateTime, Utc};
use entity::note;
use uuid::Uuid;

use super::Event;
use super::event;
use crate::auth::Principal;
use crate::db::Database;
use crate::ids::{self, NodeKind};
use crate::service::notes;

pub struct Note {
    pub row: note::Model,
    pub db: Database,
}

pub fn wrap(db: &Database, rows: Vec<note::Model>) -> Vec<Note> {
    rows.into_iter().map(|row| Note { row, db: db.clone() }).collect()
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
        Ok(event::load(&self.db, vec![self.row.event_id]).await?.remove(&self.row.event_id))
    }
}

/// An event's notes, oldest first.
pub async fn of_event(db: &Database, event_id: Uuid) -> Result<Vec<Note>> {
    let mut grouped = notes::of_events(db, &[event_id]).await?;
    Ok(wrap(db, grouped.remove(&event_id).unwrap_or_default()))
}

/// Whether the request's token starred the event, and how many tokens did.
pub async fn stars_of(ctx: &Context<'_>, db: &Database, event_id: Uuid) -> Result<(bool, u64)> {
    let token = ctx.data_opt::<Principal>().map(|p| p.name.as_str());
    Ok(notes::stars(db, event_id, token).await?)
}
