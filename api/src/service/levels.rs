//! The timeline's level of detail: which events a window draws, which it summarises, and how.
//!
//! The rule: a window `[from, to]` has a *scale class*, one more than the span class of its own
//! length (see [`scale_class`]). Events whose span class is at most that (events lasting less than
//! two to four times the window) are *at the window's scale*: the page draws them. Events of a
//! wider class (a year in a one-day window, a decade in a month, an open-ended date anywhere) are
//! *coarse*: true answers to "what overlaps this window", but the page summarises them in a band,
//! counted per class by the database ([`class_counts`]), and lists them on demand ([`ranked`]).
//! When no event of the window's scale overlaps it but coarser ones do (an hour in which only
//! days, months and years are known), the drawn level widens to the finest class that has events
//! ([`drawn_class`]), as a map shows the coarser tile where no finer one exists: a window with
//! events never draws nothing. Open-ended dates (classes 42 and 43) have no width to compare:
//! they are drawn at every zoom, fading out on their open side.
//!
//! Every statement here is a union of one arm per span class, each arm a range of the index
//! `ix_event_span_class` (see [`super::overlap`]), so the cost follows the events of the window,
//! not the size of the timeline.

use std::collections::BTreeMap;

use entity::event;
use sea_orm::sea_query::{Alias, Asterisk, Condition, Expr, ExprTrait, Order, Query, SelectStatement, UnionType};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait};
use uuid::Uuid;

use super::event_query::CheckedFilter;
use super::histogram::{self, Bucket, Slices};
use super::overlap::{self, BOUNDED, LAST};
use crate::db::Database;
use crate::error::{ServiceError, ServiceResult};

/// Above this many events a ranked list ranks a sample (see [`ranked`]): ranking every event of
/// a decade's window (hundreds of thousands at a million events) would read them all.
pub const CANDIDATES: u64 = 2_000;

/// The slices of the window a sample draws from, and how many events each slice gives.
const SLICES: i64 = 20;
const PER_SLICE: u64 = 100;

/// The scale class of a window from `from` to `to` (inclusive, in seconds): one more than the span
/// class of its length, so that events up to two to four times as long as the window are at its
/// scale. Classes above [`BOUNDED`] (unbounded spans, open dates) are never at a window's scale
/// but the widest.
pub fn scale_class(from: i64, to: i64) -> i64 {
    let length = u64::try_from(to.saturating_sub(from)).unwrap_or(0);
    let class = i64::from(u64::BITS - length.leading_zeros());
    std::cmp::min(class + 1, BOUNDED + 1)
}

/// The longest span of a class, in seconds: `2^class - 1`; none for the unbounded classes.
pub fn longest(class: i64) -> Option<i64> {
    (class <= BOUNDED).then(|| (1_i64 << class) - 1)
}

/// The first of the open classes (an open start, an open end): they have no width to compare
/// with a window's, so they are drawn at every zoom (fading out on their open side), never coarse.
pub const OPEN: i64 = BOUNDED + 2;

/// Whether events of `class` are drawn when the drawn level is `drawn`.
pub fn is_drawn(class: i64, drawn: i64) -> bool {
    class <= drawn || class >= OPEN
}

/// The finest class drawn in a window: its scale class, or, when no event at its scale overlaps
/// it, the finest class that has events overlapping it.
pub fn drawn_class(window: Window, counts: &BTreeMap<i64, u64>) -> i64 {
    // Open dates are drawn anyway, and do not keep the level from widening.
    if counts.range(..=window.scale).any(|(_, n)| *n > 0) {
        return window.scale;
    }
    counts.iter().find(|(_, n)| **n > 0).map_or(window.scale, |(class, _)| *class)
}

/// A window: the filter's period, which the level of detail needs on both sides.
#[derive(Debug, Clone, Copy)]
pub struct Window {
    pub from: i64,
    pub to: i64,
    pub scale: i64,
}

/// The window of `filter`: VALIDATION naming `filter.from` or `filter.to` when a side is open,
/// and `axis` for the "became known" axis (span classes measure when events happened).
pub fn window(filter: &CheckedFilter) -> ServiceResult<Window> {
    if filter.reported() {
        return Err(ServiceError::validation("axis", "the level of detail is on when events happened only"));
    }
    let from = filter.from().ok_or_else(|| ServiceError::validation("filter.from", "a window needs a start"))?;
    let to = filter.to().ok_or_else(|| ServiceError::validation("filter.to", "a window needs an end"))?;
    Ok(Window { from, to, scale: scale_class(from, to) })
}

/// The events of one span class overlapping the window and matching the filter.
fn arm(filter: &Condition, window: Window, class: i64) -> sea_orm::Select<event::Entity> {
    event::Entity::find().filter(filter.clone()).filter(overlap::class_condition(class, window.from))
}

fn union_all(arms: impl IntoIterator<Item = SelectStatement>) -> Option<SelectStatement> {
    let mut union: Option<SelectStatement> = None;
    for arm in arms {
        match &mut union {
            None => union = Some(arm),
            Some(union) => {
                union.union(UnionType::All, arm);
            }
        }
    }
    union
}

/// How many events of each of `classes` overlap the window: one statement, one arm per class.
async fn counts_of(
    db: &Database,
    filter: &CheckedFilter,
    window: Window,
    classes: &[i64],
) -> ServiceResult<BTreeMap<i64, u64>> {
    let condition = filter.condition(db.backend());
    let arms = classes.iter().map(|&class| {
        arm(&condition, window, class)
            .select_only()
            // A literal, not a parameter: PostgreSQL could not type a bare parameter in a select list.
            .column_as(Expr::cust(format!("CAST({class} AS BIGINT)")), "class")
            .column_as(Expr::col(Asterisk).count(), "n")
            .into_query()
    });
    let Some(union) = union_all(arms) else {
        return Ok(BTreeMap::new());
    };
    let rows = db.reader().query_all_raw(db.backend().build(&union)).await?;
    let mut counts = BTreeMap::new();
    for row in rows {
        let class: i64 = row.try_get("", "class")?;
        let n: i64 = row.try_get("", "n")?;
        if n > 0 {
            counts.insert(class, u64::try_from(n).unwrap_or(0));
        }
    }
    Ok(counts)
}

/// The events overlapping a window, counted per span class.
#[derive(Debug, Clone)]
pub struct ClassCounts {
    pub window: Window,
    /// The widest class drawn ([`drawn_class`]): wider ones are coarse.
    pub drawn: i64,
    /// Classes with at least one event, in class order.
    pub counts: BTreeMap<i64, u64>,
}

/// How many events overlapping the filter's window there are of each span class: a grouped
/// count in the database (one statement), never a fetch of the events.
pub async fn class_counts(db: &Database, filter: &CheckedFilter) -> ServiceResult<ClassCounts> {
    let window = window(filter)?;
    let classes: Vec<i64> = (0..=LAST).collect();
    let counts = counts_of(db, filter, window, &classes).await?;
    Ok(ClassCounts { window, drawn: drawn_class(window, &counts), counts })
}

/// A page of a window's events, the most relevant first.
#[derive(Debug, Clone)]
pub struct Ranked {
    pub window: Window,
    /// The widest class drawn ([`drawn_class`]).
    pub drawn: i64,
    /// How many events of the asked classes overlap the window.
    pub total: u64,
    /// Whether the page ranks a sample of them (more than [`CANDIDATES`]).
    pub sampled: bool,
    /// The page, with each event's relevance.
    pub events: Vec<(event::Model, i64)>,
}

/// The relevance of the event in the row: its citations, accounts, participants and links (both
/// ways). What a reader would look at first: the events the evidence and the story rest on.
fn relevance() -> Expr {
    Expr::cust(
        "(SELECT COUNT(*) FROM citation WHERE citation.event_id = event.id) \
         + (SELECT COUNT(*) FROM account WHERE account.event_id = event.id) \
         + (SELECT COUNT(*) FROM participation WHERE participation.event_id = event.id) \
         + (SELECT COUNT(*) FROM event_link WHERE event_link.from_event_id = event.id) \
         + (SELECT COUNT(*) FROM event_link WHERE event_link.to_event_id = event.id)",
    )
}

/// The classes a ranked list asks for: VALIDATION naming `classes` when one is not a span class.
pub fn check_classes(mut classes: Vec<i64>) -> ServiceResult<Vec<i64>> {
    if let Some(bad) = classes.iter().find(|class| !(0..=LAST).contains(*class)) {
        return Err(ServiceError::validation("classes", format!("{bad} is not a span class (0 to {LAST})")));
    }
    classes.sort_unstable();
    classes.dedup();
    Ok(classes)
}

/// IDs of the events to rank, each arm wrapped so that its own ORDER BY and LIMIT hold in a
/// compound (SQLite allows neither on an arm of one).
fn limited(select: SelectStatement, name: &str) -> SelectStatement {
    Query::select().column((Alias::new(name), event::Column::Id)).from_subquery(select, Alias::new(name)).to_owned()
}

/// The candidates of a ranked list: every event of `classes` overlapping the window; or, when
/// `sampled`, for each class the first [`PER_SLICE`] that began before the window, and for each of
/// [`SLICES`] equal slices of the window the first [`PER_SLICE`] that begin in it.
fn candidates(filter: &Condition, window: Window, classes: &[i64], sampled: bool) -> Option<SelectStatement> {
    if !sampled {
        return union_all(
            classes
                .iter()
                .map(|&class| arm(filter, window, class).select_only().column(event::Column::Id).into_query()),
        );
    }
    let mut arms = Vec::new();
    for (i, &class) in classes.iter().enumerate() {
        let running = arm(filter, window, class)
            .filter(event::Column::StartEarliest.lt(window.from))
            .select_only()
            .column(event::Column::Id)
            .order_by(event::Column::StartEarliest, Order::Asc)
            .limit(PER_SLICE)
            .into_query();
        arms.push(limited(running, &format!("r{i}")));
    }
    let width = std::cmp::max((window.to - window.from) / SLICES, 1);
    let in_classes = overlap::span_class().is_in(classes.iter().copied());
    for slice in 0..SLICES {
        let start = window.from + slice * width;
        if start > window.to {
            break;
        }
        let end = if slice == SLICES - 1 { window.to } else { std::cmp::min(start + width - 1, window.to) };
        let starting = event::Entity::find()
            .filter(filter.clone())
            .filter(in_classes.clone())
            .filter(event::Column::StartEarliest.between(start, end))
            .select_only()
            .column(event::Column::Id)
            .order_by(event::Column::StartEarliest, Order::Asc)
            .limit(PER_SLICE)
            .into_query();
        arms.push(limited(starting, &format!("s{slice}")));
    }
    union_all(arms)
}

/// The events of `classes` (by default the drawn ones, [`drawn_class`]) overlapping the filter's
/// window, the most relevant first (see [`relevance`]; then earliest, then by ID), `first` from
/// `offset`. Three statements: the count, the ranked IDs, the events. When more than
/// [`CANDIDATES`] events match, the ranking is over a sample spread over the window
/// ([`candidates`]), so that its cost stays bounded at any size.
pub async fn ranked(
    db: &Database,
    filter: &CheckedFilter,
    classes: Option<Vec<i64>>,
    first: i32,
    offset: i32,
) -> ServiceResult<Ranked> {
    let window = window(filter)?;
    let classes = classes.map(check_classes).transpose()?;
    let first = u64::try_from(first)
        .ok()
        .filter(|n| (1..=u64::from(crate::graphql::cost::MAX_PAGE.unsigned_abs())).contains(n));
    let Some(first) = first else {
        return Err(ServiceError::validation(
            "first",
            format!("must be between 1 and {}", crate::graphql::cost::MAX_PAGE),
        ));
    };
    let Ok(offset) = u64::try_from(offset) else {
        return Err(ServiceError::validation("offset", "must not be negative"));
    };
    // By default the drawn classes, which the counts of every class decide (one statement still).
    let asked = classes.clone().unwrap_or_else(|| (0..=LAST).collect());
    let counts = counts_of(db, filter, window, &asked).await?;
    let drawn = drawn_class(window, &counts);
    let classes = classes.unwrap_or_else(|| (0..=LAST).filter(|class| is_drawn(*class, drawn)).collect());
    let total: u64 = counts.range(..).filter(|(class, _)| classes.contains(class)).map(|(_, n)| *n).sum();
    let sampled = total > CANDIDATES;
    let condition = filter.condition(db.backend());
    let Some(candidates) = candidates(&condition, window, &classes, sampled).filter(|_| total > 0) else {
        return Ok(Ranked { window, drawn, total, sampled, events: Vec::new() });
    };
    let ids = Query::select()
        .column((Alias::new("c"), event::Column::Id))
        .from_subquery(candidates, Alias::new("c"))
        .to_owned();
    let page = event::Entity::find()
        .select_only()
        .column(event::Column::Id)
        .column_as(relevance(), "relevance")
        .filter(event::Column::Id.in_subquery(ids))
        .order_by(Expr::cust("relevance"), Order::Desc)
        .order_by(event::Column::StartEarliest, Order::Asc)
        .order_by(event::Column::Id, Order::Asc)
        .limit(first)
        .offset(offset);
    let ranks: Vec<(Uuid, i64)> = page.into_tuple().all(db.reader()).await?;
    let models = if ranks.is_empty() {
        Vec::new()
    } else {
        event::Entity::find().filter(event::Column::Id.is_in(ranks.iter().map(|(id, _)| *id))).all(db.reader()).await?
    };
    let mut by_id: BTreeMap<Uuid, event::Model> = models.into_iter().map(|m| (m.id, m)).collect();
    let events = ranks.into_iter().filter_map(|(id, rank)| by_id.remove(&id).map(|m| (m, rank))).collect();
    Ok(Ranked { window, drawn, total, sampled, events })
}

/// The density strip of a window.
#[derive(Debug, Clone)]
pub struct Density {
    pub window: Window,
    /// The widest class in the bars ([`drawn_class`]).
    pub drawn: i64,
    /// Events at the window's scale that begin in each slice.
    pub buckets: Vec<Bucket>,
    /// Events at the window's scale that began before the window and run into it: in no bar, as
    /// a bar would put them where they did not begin.
    pub running_in: u64,
    /// Coarse events overlapping the window: in no bar, as they would fill every bar alike (a
    /// year overlaps each hour of a day); the band counts them.
    pub coarse: u64,
}

/// The slot of events that began before the window, in [`density`]'s rows.
const RUNNING_IN: i64 = -1;

/// The density strip of the filter's window in `buckets` slices: events at its scale by the slice
/// they begin in, and apart from the bars those running in from before and the coarse ones. One
/// statement: one arm per span class.
pub async fn density(db: &Database, filter: &CheckedFilter, buckets: i32) -> ServiceResult<Density> {
    histogram::check_buckets(buckets)?;
    let window = window(filter)?;
    let slices = Slices::new(window.from, window.to, buckets);
    let condition = filter.condition(db.backend());
    let start = Expr::col((event::Entity, event::Column::StartEarliest));
    let arms = (0..=LAST).map(|class| {
        let slot = Expr::case(start.clone().lt(window.from), Expr::cust(format!("CAST({RUNNING_IN} AS BIGINT)")))
            .finally(slices.slot_of(start.clone()));
        arm(&condition, window, class)
            .select_only()
            .column_as(Expr::cust(format!("CAST({class} AS BIGINT)")), "class")
            .column_as(Expr::Case(Box::new(slot)), "slot")
            .column_as(Expr::col(Asterisk).count(), "n")
            // By the alias: PostgreSQL would not see two parameterised copies of the expression as one.
            .group_by(Expr::cust("slot"))
            .into_query()
    });
    // Which classes are coarse depends on which have events: decided here, from the same rows.
    let mut rows: Vec<(i64, i64, u64)> = Vec::new();
    if let Some(union) = union_all(arms) {
        for row in db.reader().query_all_raw(db.backend().build(&union)).await? {
            let n = u64::try_from(row.try_get::<i64>("", "n")?).unwrap_or(0);
            rows.push((row.try_get("", "class")?, row.try_get("", "slot")?, n));
        }
    }
    let mut per_class: BTreeMap<i64, u64> = BTreeMap::new();
    for (class, _, n) in &rows {
        *per_class.entry(*class).or_default() += n;
    }
    let drawn = drawn_class(window, &per_class);
    let mut counts: BTreeMap<i64, u64> = BTreeMap::new();
    let (mut running_in, mut coarse) = (0, 0);
    for (class, slot, n) in rows {
        if !is_drawn(class, drawn) {
            coarse += n;
        } else if slot == RUNNING_IN {
            running_in += n;
        } else {
            *counts.entry(slot).or_default() += n;
        }
    }
    let buckets = slices.tally(counts.into_iter().map(|(slot, n)| (slot, i64::try_from(n).unwrap_or(i64::MAX))));
    Ok(Density { window, drawn, buckets, running_in, coarse })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_draws_events_up_to_two_to_four_times_its_length() {
        // A day (86,400 s, class 17) draws up to class 18: spans under 262,144 s (three days).
        assert_eq!(scale_class(0, 86_399), 18);
        // A month (class 22) draws months (and days), not years (class 25).
        assert_eq!(scale_class(0, 30 * 86_400 - 1), 23);
        assert_eq!(scale_class(5, 5), 1);
        assert_eq!(scale_class(0, i64::MAX), BOUNDED + 1);
        assert_eq!(longest(17), Some(131_071));
        assert_eq!(longest(42), None);
    }

    #[test]
    fn a_window_without_events_of_its_scale_draws_the_finest_that_has_some() {
        let hour = Window { from: 0, to: 3_599, scale: scale_class(0, 3_599) };
        assert_eq!(hour.scale, 13);
        let days_and_years: BTreeMap<i64, u64> = [(17, 3), (25, 200)].into();
        assert_eq!(drawn_class(hour, &days_and_years), 17);
        let with_minutes: BTreeMap<i64, u64> = [(6, 1), (17, 3)].into();
        assert_eq!(drawn_class(hour, &with_minutes), 13);
        assert_eq!(drawn_class(hour, &BTreeMap::new()), 13);
        let open: BTreeMap<i64, u64> = [(25, 2), (42, 1)].into();
        assert_eq!(drawn_class(hour, &open), 25, "an open date does not keep the level from widening");
        assert!(is_drawn(43, 13) && !is_drawn(25, 13));
    }
}
