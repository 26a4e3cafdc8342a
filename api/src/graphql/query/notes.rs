//! `notes(search:)`: the team's notes that hold some words.

use async_graphql::{Context, Object, Result};

use crate::db::Database;
use crate::graphql::types::{Note, note};
use crate::service::notes;

#[derive(Default)]
pub struct NoteQuery;

#[Object]
impl NoteQuery {
    /// Notes whose text holds every word of `search` (case-insensitive), newest first.
    async fn notes(&self, ctx: &Context<'_>, search: String, #[graphql(default = 20)] first: i32) -> Result<Vec<Note>> {
        let db = ctx.data::<Database>()?;
        let first = u64::try_from(first.clamp(1, 100)).unwrap_or(20);
        Ok(note::wrap(db, notes::search(db, &search, first).await?))
    }
}
