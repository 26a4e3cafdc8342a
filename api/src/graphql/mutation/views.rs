//! `saveView`, `deleteView`, `saveStory`, `deleteStory` (editor; a view's or story's author, or
//! an admin, changes it).

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};

use crate::auth::guard::RoleGuard;
use crate::auth::{Principal, Role};
use crate::db::Database;
use crate::graphql::types::saved_view::ViewStateFields;
use crate::graphql::types::{SavedView, Story, story};
use crate::ids::{self, NodeKind};
use crate::service::notes::Writer;
use crate::service::stories::{self, Step};
use crate::service::views;

#[derive(InputObject)]
pub struct SaveViewInput {
    /// The view to change; none to save a new one.
    pub id: Option<ID>,
    /// The version you read, when changing a view; if it changed since, nothing is written and
    /// you get CONFLICT.
    pub version: Option<i32>,
    /// At most 200 characters.
    pub name: String,
    pub state: ViewStateFields,
}

#[derive(InputObject)]
pub struct StoryStepInput {
    pub event_id: ID,
    /// What the story says at this step: at most 2,000 characters.
    #[graphql(default)]
    pub text: String,
}

#[derive(InputObject)]
pub struct SaveStoryInput {
    /// The story to change; none to save a new one.
    pub id: Option<ID>,
    /// The version you read, when changing a story.
    pub version: Option<i32>,
    /// At most 200 characters.
    pub title: String,
    /// 1 to 100 steps, in order; each event must exist.
    pub steps: Vec<StoryStepInput>,
}

#[derive(InputObject)]
pub struct DeleteByIdInput {
    pub id: ID,
}

#[derive(SimpleObject)]
pub struct SaveViewPayload {
    pub view: SavedView,
}

#[derive(SimpleObject)]
pub struct SaveStoryPayload {
    pub story: Story,
}

#[derive(SimpleObject)]
pub struct DeletedPayload {
    pub deleted_id: ID,
}

/// The request's token, as the author of a view or story.
fn writer(ctx: &Context<'_>) -> Result<Writer> {
    let principal = ctx.data::<Principal>()?;
    Ok(Writer { name: principal.name.clone(), admin: principal.role >= Role::Admin })
}

#[derive(Default)]
pub struct ViewMutation;

#[Object]
impl ViewMutation {
    /// Saves a view of the page: a new one, or (with `id` and `version`) a change of one.
    #[graphql(guard = "RoleGuard::new(Role::Editor)")]
    async fn save_view(&self, ctx: &Context<'_>, input: SaveViewInput) -> Result<SaveViewPayload> {
        let db = ctx.data::<Database>()?;
        let id = input.id.map(|id| ids::decode(NodeKind::View, &id, "id")).transpose()?;
        let row = views::save(db, id, input.version, &writer(ctx)?, &input.name, &input.state.into()).await?;
        Ok(SaveViewPayload { view: SavedView { row } })
    }

    /// Deletes a view: its author's, or any for an admin.
    #[graphql(guard = "RoleGuard::new(Role::Editor)")]
    async fn delete_view(&self, ctx: &Context<'_>, input: DeleteByIdInput) -> Result<DeletedPayload> {
        let db = ctx.data::<Database>()?;
        let id = ids::decode(NodeKind::View, &input.id, "id")?;
        let deleted = views::delete(db, id, &writer(ctx)?).await?;
        Ok(DeletedPayload { deleted_id: ID(ids::encode(NodeKind::View, deleted)) })
    }

    /// Saves a story: a new one, or (with `id` and `version`) a change of one.
    #[graphql(guard = "RoleGuard::new(Role::Editor)")]
    async fn save_story(&self, ctx: &Context<'_>, input: SaveStoryInput) -> Result<SaveStoryPayload> {
        let db = ctx.data::<Database>()?;
        let id = input.id.map(|id| ids::decode(NodeKind::Story, &id, "id")).transpose()?;
        let steps = input
            .steps
            .iter()
            .enumerate()
            .map(|(at, step)| {
                let event_id = ids::decode(NodeKind::Event, &step.event_id, &format!("steps.{at}.eventId"))?;
                Ok(Step { event_id, text: step.text.clone() })
            })
            .collect::<Result<Vec<_>, crate::error::ServiceError>>()?;
        let row = stories::save(db, id, input.version, &writer(ctx)?, &input.title, &steps).await?;
        let story = story::wrap(db, vec![row])?.pop().ok_or("the story vanished")?;
        Ok(SaveStoryPayload { story })
    }

    /// Deletes a story: its author's, or any for an admin.
    #[graphql(guard = "RoleGuard::new(Role::Editor)")]
    async fn delete_story(&self, ctx: &Context<'_>, input: DeleteByIdInput) -> Result<DeletedPayload> {
        let db = ctx.data::<Database>()?;
        let id = ids::decode(NodeKind::Story, &input.id, "id")?;
        let deleted = stories::delete(db, id, &writer(ctx)?).await?;
        Ok(DeletedPayload { deleted_id: ID(ids::encode(NodeKind::Story, deleted)) })
    }
}
