//! A change in the life of a source: updated, corrected or retracted, when, and which accounts a
//! correction supersedes.

use sea_orm::entity::prelude::*;

/// `kind` is `updated`, `corrected` or `retracted`; `at_*` a fuzzy date in the layout of `event`;
/// `supersedes` the IDs of the accounts a correction replaced, as a JSON array.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "source_change")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub source_id: Uuid,
    pub kind: String,
    pub at_value: String,
    pub at_precision: i16,
    pub at_earliest: i64,
    pub at_latest: i64,
    pub note: Option<String>,
    pub supersedes: Json,
    pub created_at: DateTimeUtc,
    pub created_by: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::source::Entity",
        from = "Column::SourceId",
        to = "super::source::Column::Id",
        on_delete = "Cascade"
    )]
    Source,
}

impl Related<super::source::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Source.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
