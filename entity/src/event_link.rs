//! A typed, directed link between two events: the leak `reveals` the meeting.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "event_link")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub from_event_id: Uuid,
    pub to_event_id: Uuid,
    pub kind: String,
    pub note: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::event::Entity",
        from = "Column::FromEventId",
        to = "super::event::Column::Id",
        on_delete = "Cascade"
    )]
    From,
    #[sea_orm(
        belongs_to = "super::event::Entity",
        from = "Column::ToEventId",
        to = "super::event::Column::Id",
        on_delete = "Cascade"
    )]
    To,
}

impl ActiveModelBehavior for ActiveModel {}
