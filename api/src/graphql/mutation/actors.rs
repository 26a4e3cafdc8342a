//! Writing actors: create, update, delete, merge duplicates.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result, SimpleObject};

use super::input::{change, decode_all};
use crate::auth::Role;
use crate::auth::guard::RoleGuard;
use crate::db::Database;
use crate::graphql::types::{Actor, actor};
use crate::ids::{self, NodeKind};
use crate::service::actors::{self, ActorChanges, NewActor};

#[derive(InputObject)]
pub struct CreateActorInput {
    pub name: String,
    /// person, organisation, state_body, media_outlet or group.
    pub kind: String,
    pub aliases: Option<Vec<String>>,
    pub description: Option<String>,
}

#[derive(InputObject)]
pub struct UpdateActorInput {
    pub id: ID,
    pub version: i32,
    pub name: Option<String>,
    pub kind: Option<String>,
    /// Replaces the aliases.
    pub aliases: Option<Vec<String>>,
    pub description: MaybeUndefined<String>,
}

#[derive(InputObject)]
pub struct DeleteActorInput {
    pub id: ID,
}

#[derive(InputObject)]
pub struct MergeActorsInput {
    /// The actor that stays.
    pub target_id: ID,
    /// Duplicates merged into it and then deleted.
    pub source_ids: Vec<ID>,
}

#[derive(SimpleObject)]
pub struct CreateActorPayload {
    pub actor: Actor,
}

#[derive(SimpleObject)]
pub struct UpdateActorPayload {
    pub actor: Actor,
}

#[derive(SimpleObject)]
pub struct DeleteActorPayload {
    pub deleted_id: ID,
}

#[derive(SimpleObject)]
pub struct MergeActorsPayload {
    pub actor: Actor,
}

fn one(db: &Database, row: entity::actor::Model) -> Result<Actor> {
    actor::wrap(db, vec![row]).pop().ok_or_else(|| "actor vanished".into())
}

#[derive(Default)]
pub struct ActorMutation;

#[Object]
impl ActorMutation {
    #[graphql(guard = "RoleGuard::new(Role::Editor)")]
    async fn create_actor(&self, ctx: &Context<'_>, input: CreateActorInput) -> Result<CreateActorPayload> {
        let db = ctx.data::<Database>()?;
        let new = NewActor {
            name: input.name,
            kind: input.kind,
            aliases: input.aliases.unwrap_or_default(),
            description: input.description,
        };
        Ok(CreateActorPayload { actor: one(db, actors::create(db, new).await?)? })
    }

    #[graphql(guard = "RoleGuard::new(Role::Editor)")]
    async fn update_actor(&self, ctx: &Context<'_>, input: UpdateActorInput) -> Result<UpdateActorPayload> {
        let db = ctx.data::<Database>()?;
        let id = ids::decode(NodeKind::Actor, &input.id, "id")?;
        let changes = ActorChanges {
            name: input.name,
            kind: input.kind,
            aliases: input.aliases,
            description: change(input.description),
        };
        Ok(UpdateActorPayload { actor: one(db, actors::update(db, id, input.version, changes).await?)? })
    }

    /// Deletes an actor that takes part in no event.
    #[graphql(guard = "RoleGuard::new(Role::Editor)")]
    async fn delete_actor(&self, ctx: &Context<'_>, input: DeleteActorInput) -> Result<DeleteActorPayload> {
        let db = ctx.data::<Database>()?;
        let id = ids::decode(NodeKind::Actor, &input.id, "id")?;
        let deleted = actors::delete(db, id).await?;
        Ok(DeleteActorPayload { deleted_id: ID(ids::encode(NodeKind::Actor, deleted)) })
    }

    /// Merges duplicates into one actor: participations and citations move to it, names become aliases.
    #[graphql(guard = "RoleGuard::new(Role::Admin)")]
    async fn merge_actors(&self, ctx: &Context<'_>, input: MergeActorsInput) -> Result<MergeActorsPayload> {
        let db = ctx.data::<Database>()?;
        let target = ids::decode(NodeKind::Actor, &input.target_id, "targetId")?;
        let sources = decode_all(NodeKind::Actor, &input.source_ids, "sourceIds")?;
        Ok(MergeActorsPayload { actor: one(db, actors::merge(db, target, &sources).await?)? })
    }
}
