//! API tokens: created with a random secret shown once, stored as a SHA-256 hash with a short
//! prefix for display, revoked by name.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{Duration, Utc};
use entity::access_token;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::{Principal, Role};
use crate::db::Database;
use crate::error::{ServiceError, ServiceResult};
use crate::service::history::{Operation, Touched};
use crate::service::rules;
use crate::service::write::{Written, write};

/// Every token starts with this, so a leaked one is recognisable (and scannable) as Chronik's.
const PREFIX: &str = "chronik_";
/// Characters of the token kept in the clear, to tell tokens apart.
const SHOWN: usize = PREFIX.len() + 6;

fn hash(secret: &str) -> String {
    Sha256::digest(secret.as_bytes()).iter().map(|byte| format!("{byte:02x}")).collect()
}

/// A new token: the stored row and the secret, which is shown this once and never stored.
pub struct Created {
    pub token: access_token::Model,
    pub secret: String,
}

/// Creates a token named `name` with `role`. Names are unique among tokens, revoked ones included.
pub async fn create(db: &Database, name: &str, role: Role) -> ServiceResult<Created> {
    let name = rules::required_text("name", name, 100)?;
    let mut bytes = [0_u8; 32];
    getrandom::fill(&mut bytes).map_err(|error| ServiceError::Database(sea_orm::DbErr::Custom(error.to_string())))?;
    let secret = format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes));
    let name = &name;
    let secret = &secret;
    let token = write(db, |txn| {
        Box::pin(async move {
            let taken =
                access_token::Entity::find().filter(access_token::Column::Name.eq(name.as_str())).one(&*txn).await?;
            if taken.is_some() {
                return Err(ServiceError::Conflict(format!("a token named {name:?} exists already")));
            }
            let row = access_token::Entity::insert(access_token::ActiveModel {
                id: Set(Uuid::now_v7()),
                name: Set(name.clone()),
                role: Set(role.as_str().to_owned()),
                prefix: Set(secret.chars().take(SHOWN).collect()),
                hash: Set(hash(secret)),
                created_at: Set(Utc::now()),
                last_used_at: Set(None),
                revoked_at: Set(None),
            })
            .exec_with_returning(&*txn)
            .await?;
            Ok(Written::touching([Touched::token(row.id, Operation::Create)], row))
        })
    })
    .await?;
    Ok(Created { token, secret: secret.clone() })
}

/// All tokens, oldest first.
pub async fn list(db: &Database) -> ServiceResult<Vec<access_token::Model>> {
    Ok(access_token::Entity::find().order_by_asc(access_token::Column::Id).all(db.reader()).await?)
}

/// Revokes the token named `name`: it stops working at once.
pub async fn revoke(db: &Database, name: &str) -> ServiceResult<access_token::Model> {
    let revoked = write(db, |txn| {
        Box::pin(async move {
            let row = access_token::Entity::find()
                .filter(access_token::Column::Name.eq(name))
                .one(&*txn)
                .await?
                .ok_or_else(|| ServiceError::not_found("token", name))?;
            if row.revoked_at.is_some() {
                return Err(ServiceError::Conflict(format!("the token {name:?} is revoked already")));
            }
            access_token::Entity::update_many()
                .col_expr(access_token::Column::RevokedAt, Expr::value(Utc::now()))
                .filter(access_token::Column::Id.eq(row.id))
                .exec(&*txn)
                .await?;
            let revoked = access_token::Entity::find_by_id(row.id)
                .one(&*txn)
                .await?
                .ok_or_else(|| ServiceError::not_found("token", name))?;
            Ok(Written::touching([Touched::token(row.id, Operation::Revoke)], revoked))
        })
    })
    .await?;
    // Subscriptions opened with it end now, not at the next periodic check.
    db.token_revoked();
    Ok(revoked)
}

/// Who presents `secret`: None for an unknown or revoked token.
pub async fn verify(db: &Database, secret: &str) -> ServiceResult<Option<Principal>> {
    let Some(row) = access_token::Entity::find()
        .filter(access_token::Column::Hash.eq(hash(secret)))
        .filter(access_token::Column::RevokedAt.is_null())
        .one(db.reader())
        .await?
    else {
        return Ok(None);
    };
    let Ok(role) = row.role.parse::<Role>() else {
        return Ok(None);
    };
    // Note use, but at most every ten minutes: a write per request would queue behind real writes.
    let stale = row.last_used_at.is_none_or(|at| Utc::now() - at > Duration::minutes(10));
    if stale {
        let db = db.clone();
        tokio::spawn(async move {
            let marked = match db.writer() {
                Ok(writer) => access_token::Entity::update_many()
                    .col_expr(access_token::Column::LastUsedAt, Expr::value(Utc::now()))
                    .filter(access_token::Column::Id.eq(row.id))
                    .exec(&writer)
                    .await
                    .map(drop),
                Err(error) => Err(error),
            };
            if let Err(error) = marked {
                tracing::warn!(%error, "could not note the use of a token");
            }
        });
    }
    Ok(Some(Principal { name: row.name, role }))
}

#[cfg(test)]
mod tests {
    use super::hash;

    #[test]
    fn hashes_are_hex_sha256() {
        assert_eq!(hash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
