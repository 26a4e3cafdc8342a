//! "As known at instant X": events and the timeline as the database held them at an instant,
//! read from the revision history (see [`history`]), filtered as the live timeline is.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use entity::event_revision;
use sea_orm::sea_query::{Alias, Asterisk, Expr, ExprTrait, Func, Query};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Select, Value};
use serde::Deserialize;
use uuid::Uuid;

use super::event_query::CheckedFilter;
use super::history::{self, Snapshot};
use super::page::{self, Page, PageRequest};
use super::{dates, histogram};
use crate::db::Database;
use crate::error::{ServiceError, ServiceResult};

/// How many revisions one round of a walk reads (see [`walk`]).
const SCAN: u64 = 200;

/// One event as it stood at `at`: None if it did not exist yet, or was deleted then.
pub async fn event_at(db: &Database, id: Uuid, at: DateTime<Utc>) -> ServiceResult<Option<Snapshot>> {
    let revision = event_revision::Entity::find()
        .filter(event_revision::Column::EventId.eq(id))
        .filter(event_revision::Column::At.lte(at))
        .order_by_desc(event_revision::Column::Version)
        .one(db.reader())
        .await?;
    match revision {
        Some(revision) if !revision.deleted => Ok(Some(history::snapshot_of(db, revision).await?)),
        Some(_) | None => Ok(None),
    }
}

/// One event as it stood at a version.
pub async fn event_version(db: &Database, id: Uuid, version: i32) -> ServiceResult<Option<Snapshot>> {
    match event_revision::Entity::find_by_id((id, version)).one(db.reader()).await? {
        Some(revision) => Ok(Some(history::snapshot_of(db, revision).await?)),
        None => Ok(None),
    }
}

/// The filter fields a revision's columns do not hold, applied to its snapshot: an event
/// matches when one of its participants is one of the actors, and one of its tags one of the
/// tags (as the live filter's subqueries do).
struct Parts {
    actor_ids: HashSet<Uuid>,
    tags: HashSet<String>,
}

impl Parts {
    /// None when the filter needs nothing beyond the revision's columns.
    fn of(filter: &CheckedFilter) -> Option<Self> {
        let parts = Self {
            actor_ids: filter.actor_ids().iter().copied().collect(),
            tags: filter.tags().iter().cloned().collect(),
        };
        (!parts.actor_ids.is_empty() || !parts.tags.is_empty()).then_some(parts)
    }

    fn matches(&self, snapshot: &Snapshot) -> bool {
        let actors = self.actor_ids.is_empty()
            || snapshot.participants.iter().any(|participant| self.actor_ids.contains(&participant.actor_id));
        let tags = self.tags.is_empty() || snapshot.tags.iter().any(|tag| self.tags.contains(tag));
        actors && tags
    }
}

/// Which revisions make up the timeline as the database held it at `at`: for each event the
/// latest revision written at or before `at`, unless it is a deletion; within the filter's
/// period, kinds and parent.
fn timeline_select(at: DateTime<Utc>, filter: &CheckedFilter) -> Select<event_revision::Entity> {
    let newer = Query::select()
        .expr(Expr::val(1))
        .from_as(event_revision::Entity, Alias::new("newer"))
        .and_where(
            Expr::col((Alias::new("newer"), event_revision::Column::EventId))
                .equals((event_revision::Entity, event_revision::Column::EventId)),
        )
        .and_where(Expr::col((Alias::new("newer"), event_revision::Column::At)).lte(at))
        .and_where(
            Expr::col((Alias::new("newer"), event_revision::Column::Version))
                .gt(Expr::col((event_revision::Entity, event_revision::Column::Version))),
        )
        .to_owned();
    let mut condition = Condition::all()
        .add(event_revision::Column::At.lte(at))
        .add(event_revision::Column::Deleted.eq(false))
        .add(Expr::exists(newer).not());
    if let Some(from) = filter.from() {
        condition = condition.add(event_revision::Column::SpanLatest.gte(from));
    }
    if let Some(to) = filter.to() {
        condition = condition.add(event_revision::Column::StartEarliest.lte(to));
    }
    if !filter.kinds().is_empty() {
        condition = condition.add(event_revision::Column::Kind.is_in(filter.kinds().to_vec()));
    }
    if let Some(parent) = filter.parent_id() {
        condition = condition.add(event_revision::Column::ParentId.eq(parent));
    }
    event_revision::Entity::find().filter(condition)
}

/// The timeline's order, on revisions.
const ORDER: [event_revision::Column; 3] =
    [event_revision::Column::StartEarliest, event_revision::Column::StartPrecision, event_revision::Column::EventId];

fn key_of(revision: &event_revision::Model) -> Vec<Value> {
    vec![Value::from(revision.start_earliest), Value::from(revision.start_precision), Value::from(revision.event_id)]
}

/// A page of the timeline as the database held it at `at`, in the timeline's order.
pub async fn timeline(
    db: &Database,
    at: DateTime<Utc>,
    filter: &CheckedFilter,
    request: &PageRequest,
    descending: bool,
) -> ServiceResult<Page<Snapshot>> {
    refuse_unsupported(filter)?;
    #[derive(Deserialize)]
    struct Key(i64, i16, Uuid);
    let key = request.key::<Key>()?.map(|Key(e, p, id)| vec![Value::from(e), Value::from(p), Value::from(id)]);
    let select = timeline_select(at, filter);
    let Some(parts) = Parts::of(filter) else {
        let found = page::fetch(db.reader(), select, &ORDER, key, request, descending).await?;
        let items = history::with_snapshots(db, found.items).await?.into_iter().map(|(_, snapshot)| snapshot).collect();
        return Ok(Page { items, has_next: found.has_next, has_previous: found.has_previous });
    };
    // The parts are in the snapshots only: walk the revisions in the page's order, keeping
    // those that match, until the page and one more are found or none are left.
    let wanted = usize::try_from(request.limit).unwrap_or(usize::MAX).saturating_add(1);
    let mut matched = Vec::new();
    walk(db, select, Some(&parts), key, descending != request.backward, |_, snapshot| {
        matched.extend(snapshot);
        matched.len() < wanted
    })
    .await?;
    Ok(page::cut(matched, request))
}

/// Walks the revisions of `select` in the timeline's order (reversed when `reverse`) from the
/// key `after`, [`SCAN`] at a time, handing `visit` each that matches `parts` (every one when
/// there are none), with its snapshot where `parts` needed it, until `visit` returns false or
/// none are left.
async fn walk(
    db: &Database,
    select: Select<event_revision::Entity>,
    parts: Option<&Parts>,
    mut after: Option<Vec<Value>>,
    reverse: bool,
    mut visit: impl FnMut(event_revision::Model, Option<Snapshot>) -> bool,
) -> ServiceResult<()> {
    loop {
        let rows = page::walk(db.reader(), select.clone(), &ORDER, after, reverse, SCAN).await?;
        let exhausted = (rows.len() as u64) < SCAN;
        after = rows.last().map(key_of);
        match parts {
            None => {
                for row in rows {
                    if !visit(row, None) {
                        return Ok(());
                    }
                }
            }
            Some(parts) => {
                for (row, snapshot) in history::with_snapshots(db, rows).await? {
                    if parts.matches(&snapshot) && !visit(row, Some(snapshot)) {
                        return Ok(());
                    }
                }
            }
        }
        if exhausted {
            return Ok(());
        }
    }
}

/// How many events the timeline held at `at` (within the filter).
pub async fn timeline_count(db: &Database, at: DateTime<Utc>, filter: &CheckedFilter) -> ServiceResult<u64> {
    refuse_unsupported(filter)?;
    let select = timeline_select(at, filter);
    let Some(parts) = Parts::of(filter) else {
        return Ok(sea_orm::PaginatorTrait::count(select, db.reader()).await?);
    };
    let mut count = 0;
    walk(db, select, Some(&parts), None, false, |_, _| {
        count += 1;
        true
    })
    .await?;
    Ok(count)
}

/// Counts per equal slice of the timeline as the database held it at `at`, as
/// [`histogram::histogram`] counts the live one: by earliest start, events that began before
/// the period in its first slice; the filter's period, or the timeline's first and last
/// instants then. Counted by the database (`GROUP BY`), or, with actors or tags, in one walk
/// through the revisions and their snapshots.
pub async fn histogram(
    db: &Database,
    at: DateTime<Utc>,
    filter: &CheckedFilter,
    buckets: i32,
) -> ServiceResult<Vec<histogram::Bucket>> {
    histogram::check_buckets(buckets)?;
    refuse_unsupported(filter)?;
    let select = timeline_select(at, filter);
    let Some(parts) = Parts::of(filter) else {
        return counted_by_the_database(db, select, filter, buckets).await;
    };
    // In the timeline's order: the first start is the earliest.
    let mut starts = Vec::new();
    let mut latest: Option<i64> = None;
    walk(db, select, Some(&parts), None, false, |row, _| {
        if row.start_earliest > dates::OPEN_START {
            starts.push(row.start_earliest);
        }
        if row.span_latest < dates::OPEN_END {
            latest = Some(latest.map_or(row.span_latest, |high| std::cmp::max(high, row.span_latest)));
        }
        true
    })
    .await?;
    match (filter.from().or(starts.first().copied()), filter.to().or(latest)) {
        (Some(from), Some(to)) if from <= to => Ok(histogram::Slices::new(from, to, buckets).count(starts)),
        _ => Ok(Vec::new()),
    }
}

/// [`histogram`] for a filter the revisions' columns answer: two aggregate statements at most.
async fn counted_by_the_database(
    db: &Database,
    select: Select<event_revision::Entity>,
    filter: &CheckedFilter,
    buckets: i32,
) -> ServiceResult<Vec<histogram::Bucket>> {
    let column = |column: event_revision::Column| Expr::col((event_revision::Entity, column));
    let (low, high) = match (filter.from(), filter.to()) {
        (Some(from), Some(to)) => (Some(from), Some(to)),
        (from, to) => {
            let (low, high): (Option<i64>, Option<i64>) = select
                .clone()
                .select_only()
                // Open sides (sentinels) are no first or last instant of the axis.
                .column_as(
                    Expr::from(Func::min(Expr::case(
                        column(event_revision::Column::StartEarliest).gt(dates::OPEN_START),
                        column(event_revision::Column::StartEarliest),
                    ))),
                    "low",
                )
                .column_as(
                    Expr::from(Func::max(Expr::case(
                        column(event_revision::Column::SpanLatest).lt(dates::OPEN_END),
                        column(event_revision::Column::SpanLatest),
                    ))),
                    "high",
                )
                .into_tuple()
                .one(db.reader())
                .await?
                .unwrap_or((None, None));
            (from.or(low), to.or(high))
        }
    };
    let (Some(from), Some(to)) = (low, high) else {
        return Ok(Vec::new());
    };
    if from > to {
        return Ok(Vec::new());
    }
    let slices = histogram::Slices::new(from, to, buckets);
    let rows: Vec<(i64, i64)> = select
        .select_only()
        .column_as(slices.slot_of(column(event_revision::Column::StartEarliest)), "slot")
        .column_as(Expr::col(Asterisk).count(), "n")
        // By the alias: PostgreSQL would not see two parameterised copies of the expression as one.
        .group_by(Expr::cust("slot"))
        .into_tuple()
        .all(db.reader())
        .await?;
    Ok(slices.tally(rows))
}

/// Full-text search has no index over past revisions, and matching it in Rust would rank and
/// tokenise differently from the live search: refused, naming the field.
fn refuse_unsupported(filter: &CheckedFilter) -> ServiceResult<()> {
    match filter.search() {
        Some(_) => Err(ServiceError::validation("filter.search", "cannot be combined with asOf")),
        None => Ok(()),
    }
}

/// A cursor for a snapshot in the "as known at" timeline (the same key as the live timeline's).
pub fn cursor(snapshot: &Snapshot) -> String {
    super::event_query::cursor(&snapshot.event)
}
