//! Reading the timeline: filters with overlap semantics, keyset pages and counts.

use entity::{account, citation, event, event_tag, participation};
use sea_orm::sea_query::Query;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseBackend, EntityTrait, PaginatorTrait, QueryFilter, Select, Value,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::dates;
use super::event_row::{Shown, ShownEvent};
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
    /// Only events that are (or are not) disputed.
    pub disputed: Option<bool>,
    /// Only events with one of these supports (`supported`, `weakened`, `unsupported`).
    pub support: Vec<String>,
    /// Only events resting on one of these sources (a citation or an account).
    pub source_ids: Vec<Uuid>,
    /// The period, order and cursor are on when events became known (`first_reported_*`),
    /// not on when they happened; events not known to have been reported are left out.
    pub reported: bool,
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
    disputed: Option<bool>,
    support: Vec<String>,
    source_ids: Vec<Uuid>,
    reported: bool,
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
        rules::list_len("filter.sourceIds", &self.source_ids)?;
        let support = self
            .support
            .iter()
            .enumerate()
            .map(|(i, value)| rules::closed_term(&format!("filter.support[{i}]"), value, rules::account::SUPPORT))
            .collect::<ServiceResult<Vec<_>>>()?;
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
            disputed: self.disputed,
            support,
            source_ids: self.source_ids.clone(),
            reported: self.reported,
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

    /// Whether the period, order and cursor are on when events became known.
    pub fn reported(&self) -> bool {
        self.reported
    }

    /// The columns of the time axis: its earliest instant (the order) and its latest.
    pub fn axis_columns(&self) -> (event::Column, event::Column) {
        if self.reported {
            (event::Column::FirstReportedEarliest, event::Column::FirstReportedLatest)
        } else {
            (event::Column::StartEarliest, event::Column::SpanLatest)
        }
    }

    /// The condition on `event` rows: not deleted, and matching every field of the filter.
    pub fn condition(&self, backend: DatabaseBackend) -> Condition {
        let mut condition = Condition::all().add(event::Column::DeletedAt.is_null());
        let (earliest, latest) = self.axis_columns();
        if self.reported {
            condition = condition.add(earliest.is_not_null());
        }
        if let Some(from) = self.from {
            condition = condition.add(latest.gte(from));
        }
        if let Some(to) = self.to {
            condition = condition.add(earliest.lte(to));
        }
        match self.disputed {
            Some(true) => condition = condition.add(event::Column::DisputedAspects.is_not_null()),
            Some(false) => condition = condition.add(event::Column::DisputedAspects.is_null()),
            None => {}
        }
        if !self.support.is_empty() {
            condition = condition.add(event::Column::Support.is_in(self.support.clone()));
        }
        if !self.source_ids.is_empty() {
            let cited = Query::select()
                .column(citation::Column::EventId)
                .from(citation::Entity)
                .and_where(citation::Column::SourceId.is_in(self.source_ids.clone()))
                .to_owned();
            let told = Query::select()
                .column(account::Column::EventId)
                .from(account::Entity)
                .and_where(account::Column::SourceId.is_in(self.source_ids.clone()))
                .to_owned();
            condition = condition.add(
                Condition::any().add(event::Column::Id.in_subquery(cited)).add(event::Column::Id.in_subquery(told)),
            );
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

    /// The same filter without its period, for a statement that bounds the period itself by a
    /// range of starts inside it (which implies the overlap). With the period's own terms as well,
    /// SQLite reads `ix_event_span_latest` from the period's start to the end of the timeline.
    pub fn without_period(&self) -> CheckedFilter {
        CheckedFilter { from: None, to: None, ..self.clone() }
    }

    /// Whether the filter sets nothing but a period (or nothing at all).
    pub fn is_period_only(&self) -> bool {
        !self.has_evidence_filter()
            && self.actor_ids.is_empty()
            && self.kinds.is_empty()
            && self.tags.is_empty()
            && self.search.is_none()
            && self.parent_id.is_none()
    }

    /// Whether the filter leaves out nothing.
    pub fn is_everything(&self) -> bool {
        !self.has_evidence_filter()
            && self.from.is_none()
            && self.to.is_none()
            && self.actor_ids.is_empty()
            && self.kinds.is_empty()
            && self.tags.is_empty()
            && self.search.is_none()
            && self.parent_id.is_none()
    }

    /// Whether the filter uses the evidence of events (issue 11) or their "became known" axis.
    pub fn has_evidence_filter(&self) -> bool {
        self.disputed.is_some() || !self.support.is_empty() || !self.source_ids.is_empty() || self.reported
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

/// The position of an event on the "became known" axis.
pub fn reported_cursor(row: &event::Model) -> String {
    page::encode_cursor(&EventKey(
        row.first_reported_earliest.unwrap_or_default(),
        row.first_reported_precision.unwrap_or_default(),
        row.id,
    ))
}

/// One page of the timeline.
pub async fn list(
    db: &Database,
    filter: &CheckedFilter,
    request: &PageRequest,
    direction: Direction,
) -> ServiceResult<Page<event::Model>> {
    let key = key_values(request)?;
    let descending = direction == Direction::Descending;
    if filter.reported {
        // Ordered by the index on when events became known; the period is a plain range on it.
        let columns = [event::Column::FirstReportedEarliest, event::Column::FirstReportedPrecision, event::Column::Id];
        return Ok(page::fetch(db.reader(), filter.select(db), &columns, key, request, descending).await?);
    }
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

/// Whether `filter`'s page is a window's (a period, on the "happened" axis): the pages
/// [`list_shown`] reads.
pub fn is_window(filter: &CheckedFilter) -> bool {
    filter.from.is_some() && !filter.reported
}

/// The timeline's window page with only the columns the built page shows, read on `reader`:
/// None when the page is not a window's (see [`is_window`]), whose rows are read whole.
pub async fn list_shown(
    reader: &impl ConnectionTrait,
    filter: &CheckedFilter,
    request: &PageRequest,
    direction: Direction,
    shown: Shown,
) -> ServiceResult<Option<Page<ShownEvent>>> {
    let Some(from) = filter.from.filter(|_| is_window(filter)) else {
        return Ok(None);
    };
    let key = key_values(request)?;
    let reverse = (direction == Direction::Descending) != request.backward;
    let condition = filter.condition(reader.get_database_backend());
    let rows = overlap::shown_page(reader, condition, from, key, reverse, request.limit + 1, shown).await?;
    Ok(Some(page::cut(rows, request)))
}

/// The values of the key a request's cursor holds (none without a cursor).
fn key_values(request: &PageRequest) -> ServiceResult<Option<Vec<Value>>> {
    Ok(request
        .key::<EventKey>()?
        .map(|EventKey(earliest, precision, id)| vec![Value::from(earliest), Value::from(precision), Value::from(id)]))
}

/// The cursor of a row of the built page.
pub fn shown_cursor(row: &ShownEvent) -> String {
    page::encode_cursor(&EventKey(row.key.0, row.key.1, row.id))
}

/// How many events match.
pub async fn count(db: &Database, filter: &CheckedFilter) -> ServiceResult<u64> {
    match filter.from.filter(|_| !filter.reported) {
        Some(from) => Ok(overlap::count(db.reader(), filter.condition(db.backend()), from).await?),
        None => Ok(filter.select(db).count(db.reader()).await?),
    }
}
