//! Managing API tokens (admin only): create one (its secret is in the answer, once), revoke one.

use async_graphql::{Context, InputObject, Object, Result, SimpleObject};

use crate::auth::guard::RoleGuard;
use crate::auth::{Role, tokens};
use crate::db::Database;
use crate::graphql::query::history::AccessToken;

#[derive(InputObject)]
pub struct CreateTokenInput {
    pub name: String,
    /// reader, editor or admin.
    pub role: String,
}

#[derive(InputObject)]
pub struct RevokeTokenInput {
    pub name: String,
}

#[derive(SimpleObject)]
pub struct CreateTokenPayload {
    pub token: AccessToken,
    /// The token itself: shown this once, stored only as a hash. Send it as `Authorization: Bearer …`.
    pub secret: String,
}

#[derive(SimpleObject)]
pub struct RevokeTokenPayload {
    pub token: AccessToken,
}

#[derive(Default)]
pub struct TokenMutation;

#[Object]
impl TokenMutation {
    #[graphql(guard = "RoleGuard::new(Role::Admin)")]
    async fn create_token(&self, ctx: &Context<'_>, input: CreateTokenInput) -> Result<CreateTokenPayload> {
        let db = ctx.data::<Database>()?;
        let role =
            input.role.parse::<Role>().map_err(|message| crate::error::ServiceError::validation("role", message))?;
        let created = tokens::create(db, &input.name, role).await?;
        Ok(CreateTokenPayload { token: created.token.into(), secret: created.secret })
    }

    #[graphql(guard = "RoleGuard::new(Role::Admin)")]
    async fn revoke_token(&self, ctx: &Context<'_>, input: RevokeTokenInput) -> Result<RevokeTokenPayload> {
        let db = ctx.data::<Database>()?;
        Ok(RevokeTokenPayload { token: tokens::revoke(db, &input.name).await?.into() })
    }
}
