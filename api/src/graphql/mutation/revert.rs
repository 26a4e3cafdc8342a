//! Restoring an earlier version of an event (`restoreEventVersion`): an editor's one-click undo,
//! written as a new version through `service::revert`.

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};

use crate::auth::Role;
use crate::auth::guard::RoleGuard;
use crate::db::Database;
use crate::graphql::types::{Event, event};
use crate::ids::{self, NodeKind};
use crate::service::revert;

#[derive(InputObject)]
pub struct RestoreEventVersionInput {
    pub id: ID,
    /// The version you read; if the event changed since, nothing is written and you get CONFLICT.
    pub version: i32,
    /// The earlier version whose fields, parts and links become the event's again.
    pub to_version: i32,
}

#[derive(SimpleObject)]
pub struct RestoreEventVersionPayload {
    /// The event at its new version.
    pub event: Event,
}

#[derive(Default)]
pub struct RevertMutation;

#[Object]
impl RevertMutation {
    /// Makes an event what it was at an earlier version, as a new version (operation `revert` in
    /// its revisions and the audit trail). Links to events deleted since stay gone.
    #[graphql(guard = "RoleGuard::new(Role::Editor)")]
    async fn restore_event_version(
        &self,
        ctx: &Context<'_>,
        input: RestoreEventVersionInput,
    ) -> Result<RestoreEventVersionPayload> {
        let db = ctx.data::<Database>()?;
        let id = ids::decode(NodeKind::Event, &input.id, "id")?;
        let row = revert::restore_version(db, id, input.version, input.to_version).await?;
        let event = event::wrap(db, vec![row]).pop().ok_or("event vanished")?;
        Ok(RestoreEventVersionPayload { event })
    }
}
