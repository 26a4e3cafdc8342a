//! Which events an export writes: the timeline's filters (period by overlap, kinds, tags, actors,
//! words, disputed, support, sources), as SQL conditions on the event table, with the same meaning as `service::event_query`.

use entity::{actor, event};
use sea_orm::sea_query::{Query, SelectStatement};
use sea_orm::{ColumnTrait, Condition, DatabaseBackend, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use crate::db::Database;
use crate::error::{ServiceError, ServiceResult};
use crate::ids::{self, NodeKind};
use crate::service::event_query;

/// An export's filter, as given on the command line.
#[derive(Debug, Clone, Default)]
pub struct ExportFilter {
    /// Fuzzy dates: events whose span overlaps [earliest of `from`, latest of `to`].
    pub from: Option<String>,
    pub to: Option<String>,
    pub kinds: Vec<String>,
    pub tags: Vec<String>,
    /// Actors by key (external ID), global ID, UUID or exact name; events of any of them.
    pub actors: Vec<String>,
    /// Words the events' text holds (the timeline's search).
    pub search: Option<String>,
    /// Only events that are (or are not) disputed.
    pub disputed: Option<bool>,
    /// Only events with one of these supports (`supported`, `weakened`, `unsupported`).
    pub support: Vec<String>,
    /// Sources by global ID or UUID: only events resting on one of them.
    pub sources: Vec<String>,
}

/// A checked filter: the timeline's own ([`event_query::CheckedFilter`]), with the actors resolved.
#[derive(Debug, Clone)]
pub struct Checked {
    filter: event_query::CheckedFilter,
    backend: DatabaseBackend,
}

impl ExportFilter {
    pub async fn check(&self, db: &Database) -> ServiceResult<Checked> {
        let mut actor_ids = Vec::with_capacity(self.actors.len());
        for (index, text) in self.actors.iter().enumerate() {
            actor_ids.push(resolve_actor(db, text).await?.ok_or_else(|| {
                ServiceError::validation(format!("actor[{index}]"), format!("no actor is known as {text:?}"))
            })?);
        }
        let mut source_ids = Vec::with_capacity(self.sources.len());
        for (index, text) in self.sources.iter().enumerate() {
            let field = format!("sources[{index}]");
            let text = text.trim();
            let id = match Uuid::parse_str(text) {
                Ok(id) => id,
                Err(_) => ids::decode(NodeKind::Source, text, &field)?,
            };
            source_ids.push(id);
        }
        let filter = event_query::EventFilter {
            from: self.from.clone(),
            to: self.to.clone(),
            actor_ids,
            kinds: self.kinds.clone(),
            tags: self.tags.clone(),
            search: self.search.clone(),
            disputed: self.disputed,
            support: self.support.clone(),
            source_ids,
            ..Default::default()
        };
        Ok(Checked { filter: filter.check()?, backend: db.backend() })
    }
}

/// An actor named by global ID, UUID, key or name.
async fn resolve_actor(db: &Database, text: &str) -> ServiceResult<Option<Uuid>> {
    let text = text.trim();
    let id = ids::decode(NodeKind::Actor, text, "actor").ok().or_else(|| Uuid::parse_str(text).ok());
    let condition = match id {
        Some(id) => Condition::any().add(actor::Column::Id.eq(id)).add(actor::Column::ExternalId.eq(text)),
        None => Condition::any().add(actor::Column::ExternalId.eq(text)).add(actor::Column::Name.eq(text)),
    };
    let rows: Vec<(Uuid, Option<String>)> = actor::Entity::find()
        .select_only()
        .column(actor::Column::Id)
        .column(actor::Column::ExternalId)
        .filter(condition)
        .into_tuple()
        .all(db.reader())
        .await?;
    // A key or ID match wins over a name shared by several actors.
    let exact = rows.iter().find(|(id, key)| key.as_deref() == Some(text) || Some(*id) == Uuid::parse_str(text).ok());
    Ok(exact.or(rows.first()).map(|(id, _)| *id))
}

impl Checked {
    /// Nothing filtered: the export is the whole database.
    pub fn is_everything(&self) -> bool {
        self.filter.is_everything()
    }

    /// The condition on `event` rows: live, and matching every given filter.
    pub fn condition(&self) -> Condition {
        self.filter.condition(self.backend)
    }

    /// `SELECT id FROM event WHERE <condition>`, for subqueries.
    pub fn event_ids(&self) -> SelectStatement {
        Query::select().column(event::Column::Id).from(event::Entity).cond_where(self.condition()).to_owned()
    }
}
