//! An actor: a person, organisation, state body, media outlet or group that takes part in events.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "actor")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    pub kind: String,
    /// Other names the actor is known by, a JSON array of strings.
    pub aliases: Json,
    pub description: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
    /// The key of the actor in the file it was imported from, unique; `None` for actors made by hand.
    pub external_id: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::participation::Entity")]
    Participation,
}

impl Related<super::participation::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Participation.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
