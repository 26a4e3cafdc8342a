//! One row of the audit trail: who changed what, when, from what to what.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub at: DateTimeUtc,
    /// The token's name; None for the example loader and the command line.
    pub by: Option<String>,
    pub request_id: Option<String>,
    /// create, update, delete, restore, purge, merge, …
    pub operation: String,
    /// event, actor, source, token.
    pub entity: String,
    pub entity_id: Uuid,
    pub before: Option<Json>,
    pub after: Option<Json>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
