//! An account: one source's version of one aspect of an event (when, where, who, whether), resting
//! on a citation (the source and its quote).

use sea_orm::entity::prelude::*;

/// `date_*` and `end_*` follow the fuzzy-date layout of `event`. `aspect` is `when`, `where`,
/// `who` or `whether`; `stance` `supports` or `disputes`; `status` `current`, `superseded` or
/// `retracted`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "account")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub event_id: Uuid,
    pub aspect: String,
    pub stance: String,
    pub date_value: Option<String>,
    pub date_precision: Option<i16>,
    pub date_earliest: Option<i64>,
    pub date_latest: Option<i64>,
    pub end_value: Option<String>,
    pub end_precision: Option<i16>,
    pub end_earliest: Option<i64>,
    pub end_latest: Option<i64>,
    pub place_name: Option<String>,
    #[sea_orm(column_type = "Double", nullable)]
    pub place_latitude: Option<f64>,
    #[sea_orm(column_type = "Double", nullable)]
    pub place_longitude: Option<f64>,
    pub actor_id: Option<Uuid>,
    pub role: Option<String>,
    pub source_id: Uuid,
    pub quote: Option<String>,
    pub status: String,
    pub preferred: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub created_by: Option<String>,
    pub updated_by: Option<String>,
    pub version: i32,
    /// The key of the account in the file it was imported from, unique.
    pub external_id: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::event::Entity",
        from = "Column::EventId",
        to = "super::event::Column::Id",
        on_delete = "Cascade"
    )]
    Event,
    #[sea_orm(
        belongs_to = "super::source::Entity",
        from = "Column::SourceId",
        to = "super::source::Column::Id",
        on_delete = "Restrict"
    )]
    Source,
}

impl Related<super::event::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Event.def()
    }
}

impl Related<super::source::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Source.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
