//! The async-graphql guard that lets a field run only for a token of at least a given role.

use async_graphql::{Context, Guard, Result};

use super::{Principal, Role};
use crate::error::ServiceError;

pub struct RoleGuard(Role);

impl RoleGuard {
    pub fn new(role: Role) -> Self {
        Self(role)
    }
}

impl Guard for RoleGuard {
    async fn check(&self, ctx: &Context<'_>) -> Result<()> {
        match ctx.data_opt::<Principal>() {
            None => Err(ServiceError::Unauthenticated.into()),
            Some(principal) if principal.role >= self.0 => Ok(()),
            Some(_) => Err(ServiceError::Forbidden.into()),
        }
    }
}
