//! Reading the timeline: filters with overlap semantics, keyset pages and counts.

use entity::{event, event_tag, participation};
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, Condition, DatabaseBackend, EntityTrait, PaginatorTrait, QueryFilter, Select, Value};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::dates;
use super::overlap;
use super::page::{self, Page, PageRequest};
use super::rules;
use super::search;
use crate::db::Database;
use crate::error::{ServiceError, ServiceResult};

/// Which events to show. Within a list the values are alternatives (any of these actors); the
/// fields combine (these actors AND these kinds AND this period).
#[derive(Debug, Clone, Default)]
pub struct EventFilter {
    /// Fuzzy dates: an event matches when its span overlaps [earliest of `from`, latest of `to`].
    pub from: Option<String>,
    pub to: Option<String>,
    pub actor_ids: Vec<Uuid>,
    pub kinds: Vec<String>,
    pub tags: Vec<String>,
    pub search: Option<String>,
    pub parent_id: Option<Uuid>,
}

/// A checked filter with its period in Unix seconds.
#[derive(Debug, Clone, Default)]
pub struct CheckedFilter {
    from: Option<i64>,
    to: Option<i64>,
    actor_ids: Vec<Uuid>,
    kinds: Vec<String>,
    tags: Vec<String>,
    search: Option<String>,
    parent_id: Option<Uuid>,
}

impl EventFilter {
    pub fn check(&self) -> ServiceResult<CheckedFilter> {
        let from = self.from.as_deref().map(|text| dates::parse("filter.from", text, None)).transpose()?;
        let to = self.to.as_deref().map(|text| dates::parse("filter.to", text, None)).transpose()?;
        if let (Some(from), Some(to)) = (&from, &to)
            && to.latest < from.earliest
        {
            return Err(ServiceError::validation("filter.to", "the period ends before it starts"));
        }
        rules::list_len("filter.actorIds", &self.actor_ids)?;
        rules::list_len("filter.kinds", &self.kinds)?;
        rules::list_len("filter.tags", &self.tags)?;
        let kinds = self
            .kinds
            .iter()
            .enumerate()
            .map(|(i, kind)| rules::open_term(&format!("filter.kinds[{i}]"), kind))
            .collect::<ServiceResult<Vec<_>>>()?;
        Ok(CheckedFilter {
            from: from.map(|d| d.earliest),
            to: to.map(|d| d.latest),
            actor_ids: self.actor_ids.clone(),
            kinds,
            tags: self.tags.iter().map(|t| t.trim().to_owned()).collect(),
            search: self.search.clone().filter(|s| !s.trim().is_empty()),
            parent_id: self.parent_id,
        })
    }
}

impl CheckedFilter {
    /// The start of the period, in Unix seconds.
    pub fn from(&self) -> Option<i64> {
        self.from
    }

    /// The last second of the period.
    pub fn to(&self) -> Option<i64> {
        self.to
    }

    pub fn kinds(&self) -> &[String] {
        &self.kinds
    }

    pub fn actor_ids(&self) -> &[Uuid] {
        &self.actor_ids
    }

    pub fn tags(&self) -> &[String] {
        &self.tags
    }

    pub fn search(&self) -> Option<&str> {
        self.search.as_deref()
    }

    pub fn parent_id(&self) -> Option<Uuid> {
        self.parent_id
    }

    /// The condition on `event` rows: not deleted, and matching every field of the filter.
    pub fn condition(&self, backend: DatabaseBackend) -> Condition {
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
        if !self.actor_ids.is_empty() {
            condition = condition.add(
                event::Column::Id.in_subquery(
                    Query::select()
                        .column(participation::Column::EventId)
                        .from(participation::Entity)
                        .and_where(participation::Column::ActorId.is_in(self.actor_ids.clone()))
                        .to_owned(),
                ),
            );
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
        if let Some(parent) = self.parent_id {
            condition = condition.add(event::Column::ParentId.eq(parent));
        }
        if let Some(matches) =
            self.search.as_deref().and_then(|text| search::condition(backend, search::Entity::Event, text))
        {
            condition = condition.add(matches);
        }
        condition
    }

    /// Whether the filter sets nothing but a period (or nothing at all).
    pub fn is_period_only(&self) -> bool {
        self.actor_ids.is_empty()
            && self.kinds.is_empty()
            && self.tags.is_empty()
            && self.search.is_none()
            && self.parent_id.is_none()
    }

    /// Whether the filter leaves out nothing.
    pub fn is_everything(&self) -> bool {
        self.from.is_none()
            && self.to.is_none()
            && self.actor_ids.is_empty()
            && self.kinds.is_empty()
            && self.tags.is_empty()
            && self.search.is_none()
            && self.parent_id.is_none()
    }

    fn select(&self, db: &Database) -> Select<event::Entity> {
        event::Entity::find().filter(self.condition(db.backend()))
    }
}

/// The order of the timeline.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Direction {
    #[default]
    Ascending,
    Descending,
}

/// The position of an event in the timeline's order: earliest instant, then precision
/// (coarser first), then ID.
#[derive(Debug, Serialize, Deserialize)]
struct EventKey(i64, i16, Uuid);

pub fn cursor(row: &event::Model) -> String {
    page::encode_cursor(&EventKey(row.start_earliest, row.start_precision, row.id))
}

/// One page of the timeline.
pub async fn list(
    db: &Database,
    filter: &CheckedFilter,
    request: &PageRequest,
    direction: Direction,
) -> ServiceResult<Page<event::Model>> {
    let key = request
        .key::<EventKey>()?
        .map(|EventKey(earliest, precision, id)| vec![Value::from(earliest), Value::from(precision), Value::from(id)]);
    let descending = direction == Direction::Descending;
    let Some(from) = filter.from else {
        let columns = [event::Column::StartEarliest, event::Column::StartPrecision, event::Column::Id];
        return Ok(page::fetch(db.reader(), filter.select(db), &columns, key, request, descending).await?);
    };
    // Reading backwards walks the order in reverse, then flips the rows back.
    let reverse = descending != request.backward;
    let condition = filter.condition(db.backend());
    let rows = overlap::page(db.reader(), condition, from, key, reverse, request.limit + 1).await?;
    Ok(page::cut(rows, request))
}

/// How many events match.
pub async fn count(db: &Database, filter: &CheckedFilter) -> ServiceResult<u64> {
    match filter.from {
        Some(from) => Ok(overlap::count(db.reader(), filter.condition(db.backend()), from).await?),
        None => Ok(filter.select(db).count(db.reader()).await?),
    }
}
