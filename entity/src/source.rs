//! A source: an article, document, post or recording that events are cited from.

use sea_orm::entity::prelude::*;

/// `published_*` follow the fuzzy-date layout of `event` (text as typed, precision rank, Unix seconds).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "source")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub title: String,
    pub url: Option<String>,
    pub publisher: Option<String>,
    pub author: Option<String>,
    pub published_value: Option<String>,
    pub published_precision: Option<i16>,
    pub published_earliest: Option<i64>,
    pub published_latest: Option<i64>,
    pub accessed_at: Option<DateTimeUtc>,
    pub archive_url: Option<String>,
    pub notes: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
    /// The key of the source in the file it was imported from, unique; `None` for sources made by hand.
    pub external_id: Option<String>,
    /// `published`, `updated`, `corrected` or `retracted`: the kind of its latest change.
    #[serde(default = "published")]
    pub status: String,
}

fn published() -> String {
    "published".to_owned()
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::citation::Entity")]
    Citation,
}

impl Related<super::citation::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Citation.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
