//! An event: something that happened, dated by fuzzy start and end dates.

use sea_orm::entity::prelude::*;

/// Fuzzy date bounds are stored as Unix seconds (UTC): integer arithmetic for range filters and
/// histogram buckets is then the same on SQLite and PostgreSQL. `*_latest` is the last second
/// of the span, inclusive; `span_latest` is the latest second of start or end, kept for overlap filters.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "event")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub parent_id: Option<Uuid>,
    pub title: String,
    pub summary: Option<String>,
    pub kind: String,
    pub start_value: String,
    pub start_precision: i16,
    pub start_earliest: i64,
    pub start_latest: i64,
    pub end_value: Option<String>,
    pub end_precision: Option<i16>,
    pub end_earliest: Option<i64>,
    pub end_latest: Option<i64>,
    pub span_latest: i64,
    pub time_zone: Option<String>,
    pub place_name: Option<String>,
    #[sea_orm(column_type = "Double", nullable)]
    pub place_latitude: Option<f64>,
    #[sea_orm(column_type = "Double", nullable)]
    pub place_longitude: Option<f64>,
    pub confidence: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub deleted_at: Option<DateTimeUtc>,
    pub version: i32,
    /// The key of the event in the file it was imported from, unique; `None` for events made by hand.
    pub external_id: Option<String>,
    /// When the event became known (a fuzzy date): set by an editor (`first_reported_set`) or
    /// the earliest publication date of the sources its citations and accounts rest on.
    #[serde(default)]
    pub first_reported_value: Option<String>,
    #[serde(default)]
    pub first_reported_precision: Option<i16>,
    #[serde(default)]
    pub first_reported_earliest: Option<i64>,
    #[serde(default)]
    pub first_reported_latest: Option<i64>,
    #[serde(default)]
    pub first_reported_set: bool,
    /// The aspects its current accounts disagree on, comma-separated (`when,where`); computed.
    #[serde(default)]
    pub disputed_aspects: Option<String>,
    /// `supported`, `weakened` or `unsupported`: computed from its accounts and sources.
    #[serde(default = "supported")]
    pub support: String,
}

fn supported() -> String {
    "supported".to_owned()
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "Entity", from = "Column::ParentId", to = "Column::Id")]
    Parent,
    #[sea_orm(has_many = "super::participation::Entity")]
    Participation,
    #[sea_orm(has_many = "super::citation::Entity")]
    Citation,
    #[sea_orm(has_many = "super::event_tag::Entity")]
    EventTag,
}

impl Related<super::participation::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Participation.def()
    }
}

impl Related<super::citation::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Citation.def()
    }
}

impl Related<super::event_tag::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::EventTag.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
