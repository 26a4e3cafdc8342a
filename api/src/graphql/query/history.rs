//! Reading history (admin): the audit trail and the tokens.

use async_graphql::{Context, ID, Json, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use entity::{access_token, audit_log};
use futures_util::FutureExt;

use crate::auth::guard::RoleGuard;
use crate::auth::{Role, tokens};
use crate::db::Database;
use crate::graphql::connection::{self, Paged, Total};
use crate::ids;
use crate::service::history;
use crate::service::page::PageRequest;

/// An API token as listed: never its secret.
#[derive(SimpleObject)]
pub struct AccessToken {
    pub name: String,
    pub role: String,
    /// The first characters of the token, to tell tokens apart.
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl From<access_token::Model> for AccessToken {
    fn from(row: access_token::Model) -> Self {
        Self {
            name: row.name,
            role: row.role,
            prefix: row.prefix,
            created_at: row.created_at,
            last_used_at: row.last_used_at,
            revoked_at: row.revoked_at,
        }
    }
}

/// One write in the audit trail.
#[derive(SimpleObject)]
pub struct AuditEntry {
    pub at: DateTime<Utc>,
    /// The name of the token that made the change; null for the command line and the example loader.
    pub by: Option<String>,
    pub request_id: Option<String>,
    /// create, update, delete, restore, purge, merge, revoke, revert; import for an imported file.
    pub operation: String,
    /// event, actor, source, token, account, source_change, note, view, story; or import: a file
    /// read in, whose `after` gives its format, size in bytes, SHA-256 and summary (an import
    /// writes one such row, and a revision for each event it writes, rather than a row per event).
    pub entity: String,
    /// The global ID of the record (tokens: their database ID).
    pub entity_id: ID,
    pub before: Option<Json<serde_json::Value>>,
    pub after: Option<Json<serde_json::Value>>,
}

impl From<audit_log::Model> for AuditEntry {
    fn from(row: audit_log::Model) -> Self {
        let kind = match row.entity.as_str() {
            "event" => Some(ids::NodeKind::Event),
            "actor" => Some(ids::NodeKind::Actor),
            "source" => Some(ids::NodeKind::Source),
            _ => None,
        };
        Self {
            at: row.at,
            by: row.by,
            request_id: row.request_id,
            operation: row.operation,
            entity_id: ID(kind.map_or_else(|| row.entity_id.to_string(), |kind| ids::encode(kind, row.entity_id))),
            entity: row.entity,
            before: row.before.map(Json),
            after: row.after.map(Json),
        }
    }
}

#[derive(Default)]
pub struct HistoryQuery;

#[Object]
impl HistoryQuery {
    /// Every write, newest first; `entityId` narrows it to one record (admin).
    #[graphql(
        guard = "RoleGuard::new(Role::Admin)",
        complexity = "crate::graphql::cost::connection(first, None, child_complexity)"
    )]
    async fn audit_log(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        entity_id: Option<ID>,
    ) -> Result<Paged<AuditEntry>> {
        let db = ctx.data::<Database>()?;
        let request = PageRequest::new(first, after, None, None)?;
        let entity = entity_id.map(|id| ids::decode_any(&id, "entityId").map(|(_, uuid)| uuid)).transpose()?;
        let page = history::audit(db, entity, &request).await?;
        let counting = db.clone();
        let total = Total::new(move || {
            let db = counting.clone();
            async move { history::audit_count(&db, entity).await }.boxed()
        });
        Ok(connection::build(
            page,
            history::audit_cursor,
            |rows| rows.into_iter().map(AuditEntry::from).collect(),
            total,
        ))
    }

    /// The API tokens, revoked ones included (admin).
    #[graphql(guard = "RoleGuard::new(Role::Admin)")]
    async fn tokens(&self, ctx: &Context<'_>) -> Result<Vec<AccessToken>> {
        let db = ctx.data::<Database>()?;
        Ok(tokens::list(db).await?.into_iter().map(AccessToken::from).collect())
    }
}
