//! Notes and stars: `addNote`, `updateNote`, `deleteNote` (editor; a note's author, or an admin,
//! changes it) and `setStar` (any token, for itself).

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};

use crate::auth::guard::RoleGuard;
use crate::auth::{Principal, Role};
use crate::db::Database;
use crate::graphql::types::{Event, Note, event, note};
use crate::ids::{self, NodeKind};
use crate::service::notes::{self, Writer};

#[derive(InputObject)]
pub struct AddNoteInput {
    pub event_id: ID,
    /// Plain text (links in it are shown as links), at most 10,000 characters.
    pub body: String,
}

#[derive(InputObject)]
pub struct UpdateNoteInput {
    pub id: ID,
    /// The version you read; if the note changed since, nothing is written and you get CONFLICT.
    pub version: i32,
    pub body: String,
}

#[derive(InputObject)]
pub struct DeleteNoteInput {
    pub id: ID,
}

#[derive(InputObject)]
pub struct SetStarInput {
    pub event_id: ID,
    pub starred: bool,
}

#[derive(SimpleObject)]
pub struct NotePayload {
    pub note: Note,
}

#[derive(SimpleObject)]
pub struct DeleteNotePayload {
    pub deleted_id: ID,
}

#[derive(SimpleObject)]
pub struct SetStarPayload {
    pub event: Event,
}

/// The request's token, as the author of a note.
fn writer(ctx: &Context<'_>) -> Result<Writer> {
    let principal = ctx.data::<Principal>()?;
    Ok(Writer { name: principal.name.clone(), admin: principal.role >= Role::Admin })
}

#[derive(Default)]
pub struct NoteMutation;

#[Object]
impl NoteMutation {
    /// Adds a note to an event, written by the request's token.
    #[graphql(guard = "RoleGuard::new(Role::Editor)")]
    async fn add_note(&self, ctx: &Context<'_>, input: AddNoteInput) -> Result<NotePayload> {
        let db = ctx.data::<Database>()?;
        let event_id = ids::decode(NodeKind::Event, &input.event_id, "eventId")?;
        let row = notes::add(db, event_id, &writer(ctx)?, &input.body).await?;
        Ok(NotePayload { note: note::one(db, row) })
    }

    /// Changes a note's text: its author's, or any note for an admin.
    #[graphql(guard = "RoleGuard::new(Role::Editor)")]
    async fn update_note(&self, ctx: &Context<'_>, input: UpdateNoteInput) -> Result<NotePayload> {
        let db = ctx.data::<Database>()?;
        let id = ids::decode(NodeKind::Note, &input.id, "id")?;
        let row = notes::update(db, id, input.version, &writer(ctx)?, &input.body).await?;
        Ok(NotePayload { note: note::one(db, row) })
    }

    /// Deletes a note: its author's, or any note for an admin. The audit trail keeps its text.
    #[graphql(guard = "RoleGuard::new(Role::Editor)")]
    async fn delete_note(&self, ctx: &Context<'_>, input: DeleteNoteInput) -> Result<DeleteNotePayload> {
        let db = ctx.data::<Database>()?;
        let id = ids::decode(NodeKind::Note, &input.id, "id")?;
        let deleted = notes::delete(db, id, &writer(ctx)?).await?;
        Ok(DeleteNotePayload { deleted_id: ID(ids::encode(NodeKind::Note, deleted)) })
    }

    /// Stars (flags) an event for the request's token, or clears the star.
    #[graphql(guard = "RoleGuard::new(Role::Editor)")]
    async fn set_star(&self, ctx: &Context<'_>, input: SetStarInput) -> Result<SetStarPayload> {
        let db = ctx.data::<Database>()?;
        let event_id = ids::decode(NodeKind::Event, &input.event_id, "eventId")?;
        let name = ctx.data::<Principal>()?.name.clone();
        notes::set_star(db, event_id, &name, input.starred).await?;
        let event = event::load(db, vec![event_id]).await?.remove(&event_id).ok_or("event vanished")?;
        Ok(SetStarPayload { event })
    }
}
