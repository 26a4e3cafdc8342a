//! Reading events: one event, the timeline as pages, and the histogram of the zoomed-out view.

use std::sync::Mutex;

use async_graphql::{Context, Enum, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use futures_util::FutureExt;

use crate::db::Database;
use crate::graphql::connection::{self, Total};
use crate::graphql::mutation::decode_all;
use crate::graphql::page_value::{EventsPage, Plan};
use crate::graphql::types::account::{EventSupport, TimeAxis};
use crate::graphql::types::{Event, event};
use crate::ids::{self, NodeKind};
use crate::service::event_query::{self, Direction};
use crate::service::event_row::ShownEvent;
use crate::service::page::PageRequest;
use crate::service::{as_of, histogram};

/// Which events to show. Values within a list are alternatives; the fields combine.
#[derive(InputObject, Default)]
pub struct EventFilter {
    /// A fuzzy date; events whose span overlaps the period from here match (`2024-02` matches 10–20 February).
    pub from: Option<String>,
    /// A fuzzy date; the period runs to the last second of it.
    pub to: Option<String>,
    /// Events in which any of these actors takes part.
    pub actor_ids: Option<Vec<ID>>,
    pub kinds: Option<Vec<String>>,
    /// Events with any of these tags.
    pub tags: Option<Vec<String>>,
    /// Full-text search over titles, summaries, quotes, tags and actor names; every word must match (as a prefix).
    pub search: Option<String>,
    /// Only the events that are part of this one.
    pub parent_id: Option<ID>,
    /// Only events whose current accounts disagree (true) or do not (false).
    pub disputed: Option<bool>,
    /// Only events with one of these supports.
    pub support: Option<Vec<EventSupport>>,
    /// Only events resting on one of these sources (cited, or the source of an account).
    pub source_ids: Option<Vec<ID>>,
}

impl EventFilter {
    pub fn into_service(self) -> crate::error::ServiceResult<event_query::EventFilter> {
        let actor_ids = self
            .actor_ids
            .unwrap_or_default()
            .iter()
            .enumerate()
            .map(|(i, id)| ids::decode(NodeKind::Actor, id, &format!("filter.actorIds[{i}]")))
            .collect::<Result<Vec<_>, _>>()?;
        let parent_id = self.parent_id.map(|id| ids::decode(NodeKind::Event, &id, "filter.parentId")).transpose()?;
        let source_ids = decode_all(NodeKind::Source, &self.source_ids.unwrap_or_default(), "filter.sourceIds")?;
        Ok(event_query::EventFilter {
            from: self.from,
            to: self.to,
            actor_ids,
            kinds: self.kinds.unwrap_or_default(),
            tags: self.tags.unwrap_or_default(),
            search: self.search,
            parent_id,
            disputed: self.disputed,
            support: self.support.unwrap_or_default().into_iter().map(|s| s.name().to_owned()).collect(),
            source_ids,
            reported: false,
        })
    }
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Default)]
pub enum OrderDirection {
    #[default]
    Asc,
    Desc,
}

/// The timeline's order: by earliest instant, then precision (coarser first), then ID.
#[derive(InputObject, Default)]
pub struct EventOrder {
    #[graphql(default)]
    pub direction: OrderDirection,
}

/// How many events start in one slice of time.
#[derive(SimpleObject)]
pub struct HistogramBucket {
    pub start: DateTime<Utc>,
    /// The last second of the slice (inclusive).
    pub end: DateTime<Utc>,
    pub count: i64,
}

#[derive(Default)]
pub struct EventQuery;

#[Object]
impl EventQuery {
    /// One event by its ID; null if there is none (or it was deleted). With `asOf`, the event as
    /// the database held it at that instant (null if it did not exist yet or was deleted then).
    async fn event(&self, ctx: &Context<'_>, id: ID, as_of: Option<DateTime<Utc>>) -> Result<Option<Event>> {
        let db = ctx.data::<Database>()?;
        let id = ids::decode(NodeKind::Event, &id, "id")?;
        if let Some(at) = as_of {
            let snapshot = as_of::event_at(db, id, at).await?;
            return Ok(snapshot.and_then(|snapshot| event::wrap_snapshots(db, vec![snapshot]).pop()));
        }
        let row = crate::service::events::get(db, id).await?;
        Ok(row.map(|row| event::wrap(db, vec![row])).and_then(|mut events| events.pop()))
    }

    /// The timeline, a page at a time, in order of time. With `asOf`, the timeline as the
    /// database held it at that instant, from the events' revisions (every filter but `search`).
    #[allow(clippy::too_many_arguments)]
    #[graphql(complexity = "crate::graphql::cost::connection(first, last, child_complexity)")]
    async fn events(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        filter: Option<EventFilter>,
        order_by: Option<EventOrder>,
        as_of: Option<DateTime<Utc>>,
        #[graphql(desc = "Which date the period, order and cursor use (HAPPENED by default).")] axis: Option<TimeAxis>,
    ) -> Result<EventsPage> {
        let db = ctx.data::<Database>()?.clone();
        let request = PageRequest::new(first, after, last, before)?;
        let filter = checked(filter, axis, as_of.is_some())?;
        let direction = match order_by.unwrap_or_default().direction {
            OrderDirection::Asc => Direction::Ascending,
            OrderDirection::Desc => Direction::Descending,
        };
        if let Some(at) = as_of {
            let page = as_of::timeline(&db, at, &filter, &request, direction == Direction::Descending).await?;
            let counting = (db.clone(), filter);
            let total = Total::new(move || {
                let (db, filter) = counting.clone();
                async move { as_of::timeline_count(&db, at, &filter).await }.boxed()
            });
            return Ok(EventsPage::Resolved(connection::build(
                page,
                as_of::cursor,
                |snapshots| event::wrap_snapshots(&db, snapshots),
                total,
            )));
        }
        // A page built in one pass reads only the columns it shows when it is a window's page;
        // other pages are read whole, for the resolvers should the build not answer. A read of the
        // page's relations that fails falls back too: the resolvers read again and report it as
        // they do, on the field that failed with the rest of the page kept (the build's error
        // would be the whole page's).
        // A window's page and its relations are read on one connection, held for both (see
        // `db::HeldReader`), and given back before anything else is read: a request never waits
        // for a second connection while it holds one.
        let plan = Plan::of(&ctx.field());
        let mut tried_shown = false;
        if let Some(plan) = &plan
            && event_query::is_window(&filter)
        {
            let reader = db.held_reader().await?;
            if let Some(shown) = event_query::list_shown(&reader, &filter, &request, direction, plan.shown()).await? {
                if let Ok(Some(value)) = plan.build(&reader, shown, event_query::shown_cursor).await {
                    return Ok(EventsPage::Built(Mutex::new(Some(value))));
                }
                tried_shown = true;
            }
        }
        let page = event_query::list(&db, &filter, &request, direction).await?;
        if let Some(plan) = &plan
            && !tried_shown
        {
            let reported = filter.reported();
            let shown = page.map(|row| ShownEvent::of(row, reported));
            if let Ok(Some(value)) = plan.build(db.reader(), shown, event_query::shown_cursor).await {
                return Ok(EventsPage::Built(Mutex::new(Some(value))));
            }
        }
        let cursor = if filter.reported() { event_query::reported_cursor } else { event_query::cursor };
        let counting = (db.clone(), filter);
        let total = Total::new(move || {
            let (db, filter) = counting.clone();
            async move { event_query::count(&db, &filter).await }.boxed()
        });
        Ok(EventsPage::Resolved(connection::build(page, cursor, |rows| event::wrap(&db, rows), total)))
    }

    /// Counts of events per slice of time over the filter's period (or the whole timeline): the
    /// zoomed-out view. With `asOf`, of the timeline as the database held it at that instant.
    #[graphql(
        complexity = "crate::graphql::cost::times(buckets.clamp(1, histogram::MAX_BUCKETS) as usize, child_complexity)"
    )]
    async fn timeline_histogram(
        &self,
        ctx: &Context<'_>,
        filter: Option<EventFilter>,
        #[graphql(default = 50)] buckets: i32,
        as_of: Option<DateTime<Utc>>,
        #[graphql(desc = "Which date the buckets count by (HAPPENED by default).")] axis: Option<TimeAxis>,
    ) -> Result<Vec<HistogramBucket>> {
        let db = ctx.data::<Database>()?;
        let filter = checked(filter, axis, as_of.is_some())?;
        let buckets = match as_of {
            Some(at) => as_of::histogram(db, at, &filter, buckets).await?,
            None => histogram::histogram(db, &filter, buckets).await?,
        };
        Ok(buckets
            .into_iter()
            .map(|b| HistogramBucket { start: b.start, end: b.end, count: i64::try_from(b.count).unwrap_or(i64::MAX) })
            .collect())
    }
}

/// The service's filter for `filter` on `axis`. The evidence filters and the REPORTED axis read
/// columns of the live events only: with `asOf` they are refused.
pub(super) fn checked(
    filter: Option<EventFilter>,
    axis: Option<TimeAxis>,
    as_of: bool,
) -> crate::error::ServiceResult<event_query::CheckedFilter> {
    let mut filter = filter.unwrap_or_default().into_service()?;
    filter.reported = axis == Some(TimeAxis::Reported);
    if as_of {
        let refused = [
            ("axis", filter.reported),
            ("filter.disputed", filter.disputed.is_some()),
            ("filter.support", !filter.support.is_empty()),
            ("filter.sourceIds", !filter.source_ids.is_empty()),
        ];
        if let Some((field, _)) = refused.into_iter().find(|(_, used)| *used) {
            return Err(crate::error::ServiceError::validation(field, "is not available with asOf"));
        }
    }
    filter.check()
}
