//! Writing sources: create, update, delete.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};

use super::input::change;
use crate::auth::Role;
use crate::auth::guard::RoleGuard;
use crate::db::Database;
use crate::graphql::types::{Source, source};
use crate::ids::{self, NodeKind};
use crate::service::sources::{self, NewSource, SourceChanges};

#[derive(InputObject)]
pub struct CreateSourceInput {
    pub title: String,
    pub url: Option<String>,
    pub publisher: Option<String>,
    pub author: Option<String>,
    /// A fuzzy date.
    pub published: Option<String>,
    pub accessed_at: Option<DateTime<Utc>>,
    pub archive_url: Option<String>,
    pub notes: Option<String>,
}

#[derive(InputObject)]
pub struct UpdateSourceInput {
    pub id: ID,
    pub version: i32,
    pub title: Option<String>,
    pub url: MaybeUndefined<String>,
    pub publisher: MaybeUndefined<String>,
    pub author: MaybeUndefined<String>,
    pub published: MaybeUndefined<String>,
    pub accessed_at: MaybeUndefined<DateTime<Utc>>,
    pub archive_url: MaybeUndefined<String>,
    pub notes: MaybeUndefined<String>,
}

#[derive(InputObject)]
pub struct DeleteSourceInput {
    pub id: ID,
}

#[derive(SimpleObject)]
pub struct CreateSourcePayload {
    pub source: Source,
}

#[derive(SimpleObject)]
pub struct UpdateSourcePayload {
    pub source: Source,
}

#[derive(SimpleObject)]
pub struct DeleteSourcePayload {
    pub deleted_id: ID,
}

fn one(db: &Database, row: entity::source::Model) -> Result<Source> {
    source::wrap(db, vec![row]).pop().ok_or_else(|| "source vanished".into())
}

#[derive(Default)]
pub struct SourceMutation;

#[Object]
impl SourceMutation {
    #[graphql(guard = "RoleGuard::new(Role::Editor)")]
    async fn create_source(&self, ctx: &Context<'_>, input: CreateSourceInput) -> Result<CreateSourcePayload> {
        let db = ctx.data::<Database>()?;
        let new = NewSource {
            title: input.title,
            url: input.url,
            publisher: input.publisher,
            author: input.author,
            published: input.published,
            accessed_at: input.accessed_at,
            archive_url: input.archive_url,
            notes: input.notes,
        };
        Ok(CreateSourcePayload { source: one(db, sources::create(db, new).await?)? })
    }

    #[graphql(guard = "RoleGuard::new(Role::Editor)")]
    async fn update_source(&self, ctx: &Context<'_>, input: UpdateSourceInput) -> Result<UpdateSourcePayload> {
        let db = ctx.data::<Database>()?;
        let id = ids::decode(NodeKind::Source, &input.id, "id")?;
        let changes = SourceChanges {
            title: input.title,
            url: change(input.url),
            publisher: change(input.publisher),
            author: change(input.author),
            published: change(input.published),
            accessed_at: change(input.accessed_at),
            archive_url: change(input.archive_url),
            notes: change(input.notes),
        };
        Ok(UpdateSourcePayload { source: one(db, sources::update(db, id, input.version, changes).await?)? })
    }

    /// Deletes a source that no event cites.
    #[graphql(guard = "RoleGuard::new(Role::Editor)")]
    async fn delete_source(&self, ctx: &Context<'_>, input: DeleteSourceInput) -> Result<DeleteSourcePayload> {
        let db = ctx.data::<Database>()?;
        let id = ids::decode(NodeKind::Source, &input.id, "id")?;
        let deleted = sources::delete(db, id).await?;
        Ok(DeleteSourcePayload { deleted_id: ID(ids::encode(NodeKind::Source, deleted)) })
    }
}
