//! An event as it stood at one version: its row and parts as a JSON snapshot, with the columns
//! the "as known at" timeline filters and orders on. Since migration 8 the snapshot is the
//! `after` of the audit row `audit_id`, and `snapshot` itself is JSON `null`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "event_revision")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub event_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub version: i32,
    pub at: DateTimeUtc,
    pub by: Option<String>,
    pub operation: String,
    pub deleted: bool,
    pub start_earliest: i64,
    pub start_precision: i16,
    pub span_latest: i64,
    pub kind: String,
    pub parent_id: Option<Uuid>,
    pub snapshot: Json,
    /// The audit row that recorded this version, whose `after` is the snapshot.
    pub audit_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
