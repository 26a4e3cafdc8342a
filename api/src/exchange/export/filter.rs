//! Which events an export writes: the timeline's filters (period by overlap, kinds, tags, actors),
//! as SQL conditions on the event table, with the same meaning as `service::event_query`.

use entity::{actor, event, event_tag, participation};
use sea_orm::sea_query::{Query, SelectStatement};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use crate::db::Database;
use crate::error::{ServiceError, ServiceResult};
use crate::ids::{self, NodeKind};
use crate::service::{dates, validate};

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
}

/// A checked filter.
#[derive(Debug, Clone, Default)]
pub struct Checked {
    from: Option<i64>,
    to: Option<i64>,
    kinds: Vec<String>,
    tags: Vec<String>,
    actors: Vec<Uuid>,
}

impl ExportFilter {
    pub async fn check(&self, db: &Database) -> ServiceResult<Checked> {
        let from = self.from.as_deref().map(|text| dates::parse("from", text, None)).transpose()?;
        let to = self.to.as_deref().map(|text| dates::parse("to", text, None)).transpose()?;
        if let (Some(from), Some(to)) = (&from, &to)
            && to.latest < from.earliest
        {
            return Err(ServiceError::validation("to", "the period ends before it starts"));
        }
        let kinds = self
            .kinds
            .iter()
            .enumerate()
            .map(|(i, kind)| validate::open_term(&format!("kind[{i}]"), kind))
            .collect::<ServiceResult<Vec<_>>>()?;
        let mut actors = Vec::with_capacity(self.actors.len());
        for (index, text) in self.actors.iter().enumerate() {
            actors.push(resolve_actor(db, text).await?.ok_or_else(|| {
                ServiceError::validation(format!("actor[{index}]"), format!("no actor is known as {text:?}"))
            })?);
        }
        Ok(Checked {
            from: from.map(|d| d.earliest),
            to: to.map(|d| d.latest),
            kinds,
            tags: self.tags.iter().map(|t| t.trim().to_owned()).collect(),
            actors,
        })
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
        self.from.is_none()
            && self.to.is_none()
            && self.kinds.is_empty()
            && self.tags.is_empty()
            && self.actors.is_empty()
    }

    /// The condition on `event` rows: live, and matching every given filter.
    pub fn condition(&self) -> Condition {
        let mut condition = Condition::all().add(event::Column::DeletedAt.is_null());
        if let Some(from) = self.from {
            condition = condition.add(event::Column::SpanLatest.gte(from));
        }
        if let Some(to) = self.to {
            condition = condition.add(event::Column::StartEarliest.lte(to));
        }
        if !self.kinds.is_empty() {
            condition = condition.add(event::Column::Kind.is_in(self.kinds.clone()));
        }
        if !self.tags.is_empty() {
            condition = condition.add(
                event::Column::Id.in_subquery(
                    Query::select()
                        .column(event_tag::Column::EventId)
                        .from(event_tag::Entity)
                        .and_where(event_tag::Column::Tag.is_in(self.tags.clone()))
                        .to_owned(),
                ),
            );
        }
        if !self.actors.is_empty() {
            condition = condition.add(
                event::Column::Id.in_subquery(
                    Query::select()
                        .column(participation::Column::EventId)
                        .from(participation::Entity)
                        .and_where(participation::Column::ActorId.is_in(self.actors.clone()))
                        .to_owned(),
                ),
            );
        }
        condition
    }

    /// `SELECT id FROM event WHERE <condition>`, for subqueries.
    pub fn event_ids(&self) -> SelectStatement {
        Query::select().column(event::Column::Id).from(event::Entity).cond_where(self.condition()).to_owned()
    }
}
