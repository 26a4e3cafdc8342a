//! The histogram of the zoomed-out timeline: how many events start in each equal slice of a
//! period. On SQLite, a histogram filtered by period only is summed from `event_day` (live events
//! per day, kept by triggers): whole days by their count, and only the days that a slice
//! boundary cuts counted from the events themselves. Any other filter, and PostgreSQL (which
//! has no `event_day`, see its migration), counts from the events.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use entity::event;
use sea_orm::sea_query::{Alias, Expr, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::event_query::CheckedFilter;
use super::{dates, overlap};
use crate::db::Database;
use crate::error::{ServiceError, ServiceResult};

/// The most buckets a histogram may have.
pub const MAX_BUCKETS: i32 = 1_000;

const DAY: i64 = 86_400;

/// A slice of time and how many events start in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bucket {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub count: u64,
}

/// Equal slices of `[from, to]`: slot `i` is `[from + i·width, from + (i+1)·width - 1]`.
#[derive(Debug, Clone, Copy)]
pub(super) struct Slices {
    from: i64,
    to: i64,
    width: i64,
    last: i64,
}

impl Slices {
    pub(super) fn new(from: i64, to: i64, buckets: i32) -> Self {
        let span = (to - from).saturating_add(1);
        let width = ((span + i64::from(buckets) - 1) / i64::from(buckets)).max(1);
        Self { from, to, width, last: i64::from(buckets) - 1 }
    }

    /// The slot of an instant of the period; anything before it counts in the first slot.
    fn slot(&self, instant: i64) -> i64 {
        ((instant - self.from) / self.width).clamp(0, self.last)
    }

    /// The buckets of these events' earliest starts (those before the period in the first).
    pub(super) fn count(&self, starts: impl IntoIterator<Item = i64>) -> Vec<Bucket> {
        let mut counts: BTreeMap<i64, u64> = BTreeMap::new();
        for start in starts {
            *counts.entry(self.slot(start)).or_default() += 1;
        }
        self.buckets(&counts)
    }

    /// The buckets of counts per slot as the database computes them with
    /// [`slot_of`](Self::slot_of) (slots before the first count in it).
    pub(super) fn tally(&self, rows: impl IntoIterator<Item = (i64, i64)>) -> Vec<Bucket> {
        self.buckets(&clamped(rows, self.last))
    }

    /// The slot of the instant in `column`, as SQL: `(column - from) / width`.
    pub(super) fn slot_of(&self, column: Expr) -> Expr {
        use sea_orm::sea_query::ExprTrait;
        column.sub(self.from).div(self.width)
    }

    fn buckets(&self, counts: &BTreeMap<i64, u64>) -> Vec<Bucket> {
        (0..=self.last)
            .filter_map(|slot| {
                let start = self.from + slot * self.width;
                if start > self.to {
                    return None;
                }
                let end = (start + self.width - 1).min(self.to);
                Some(Bucket {
                    start: DateTime::from_timestamp(start, 0)?,
                    end: DateTime::from_timestamp(end, 0)?,
                    count: counts.get(&slot).copied().unwrap_or(0),
                })
            })
            .collect()
    }
}

/// Counts events per equal slice of the filter's period (or of the whole timeline, when the
/// filter gives no period), by the earliest instant of their start; events that began before
/// the period but overlap it count in the first slice.
pub async fn histogram(db: &Database, filter: &CheckedFilter, buckets: i32) -> ServiceResult<Vec<Bucket>> {
    check_buckets(buckets)?;
    let Some((from, to)) = period(db, filter).await? else {
        return Ok(Vec::new());
    };
    let slices = Slices::new(from, to, buckets);
    let counts = if db.backend() == DatabaseBackend::Sqlite && filter.is_period_only() {
        from_days(db, filter, slices).await?
    } else {
        overlapping(db, filter, slices).await?
    };
    Ok(slices.buckets(&counts))
}

/// Counts per slot of the events matching the filter that overlap its period: those that begin in
/// it by their start (a range of the start index), and those running in from before it, class by
/// class ([`overlap::count`]), in the first slot. The period's overlap in one condition would
/// have SQLite read every event that ends after the period's start (seconds on 1,000,000).
async fn overlapping(db: &Database, filter: &CheckedFilter, slices: Slices) -> ServiceResult<BTreeMap<i64, u64>> {
    let (Some(from), false) = (filter.from(), filter.reported()) else {
        // No start to run in from, or the "became known" axis (not split by span class).
        return from_events(db, filter, slices, Condition::all()).await;
    };
    let mut begins = Condition::all().add(event::Column::StartEarliest.gte(from));
    if let Some(to) = filter.to() {
        begins = begins.add(event::Column::StartEarliest.lte(to));
    }
    let mut counts = from_events(db, &filter.without_period(), slices, begins).await?;
    let running = running_in(db, filter, from).await?;
    if running > 0 {
        *counts.entry(0).or_default() += running;
    }
    Ok(counts)
}

/// Counts per slot of the events matching the filter that begin in one of `stretches` (inclusive
/// ranges of seconds): a join with the stretches as a list of values, so that each is one range of
/// `ix_event_start`. As one `OR` of ranges, SQLite instead read the whole table through a partial
/// index (1.5 s for the 59 days a 60-bar histogram of 20 years cuts, on 1,000,000 events).
async fn in_stretches(
    db: &Database,
    filter: &CheckedFilter,
    slices: Slices,
    stretches: Vec<(i64, i64)>,
) -> ServiceResult<BTreeMap<i64, u64>> {
    use sea_orm::sea_query::ExprTrait;
    if stretches.is_empty() {
        return Ok(BTreeMap::new());
    }
    let stretch = |column: &str| Expr::col((Alias::new("stretch"), Alias::new(column)));
    // SQLite names a VALUES list's columns column1, column2, …
    let begins =
        Expr::col((event::Entity, event::Column::StartEarliest)).between(stretch("column1"), stretch("column2"));
    let query = Query::select()
        .expr_as(slices.slot_of(Expr::col((event::Entity, event::Column::StartEarliest))), Alias::new("slot"))
        .expr_as(Expr::col(sea_orm::sea_query::Asterisk).count(), Alias::new("n"))
        .from_values(stretches, Alias::new("stretch"))
        .inner_join(event::Entity, begins)
        .cond_where(filter.condition(db.backend()))
        .group_by_col(Alias::new("slot"))
        .to_owned();
    let mut rows = Vec::new();
    for row in db.reader().query_all_raw(db.backend().build(&query)).await? {
        rows.push((row.try_get::<i64>("", "slot")?, row.try_get::<i64>("", "n")?));
    }
    Ok(clamped(rows, slices.last))
}

/// How many events matching the filter began before `from` and still run at it.
async fn running_in(db: &Database, filter: &CheckedFilter, from: i64) -> ServiceResult<u64> {
    let before = filter.condition(db.backend()).add(event::Column::StartEarliest.lt(from));
    Ok(overlap::count(db.reader(), before, from).await?)
}

pub(super) fn check_buckets(buckets: i32) -> ServiceResult<()> {
    if (1..=MAX_BUCKETS).contains(&buckets) {
        Ok(())
    } else {
        Err(ServiceError::validation("buckets", format!("must be between 1 and {MAX_BUCKETS}")))
    }
}

/// The filter's period, or the timeline's first and last instants where it leaves them open.
async fn period(db: &Database, filter: &CheckedFilter) -> ServiceResult<Option<(i64, i64)>> {
    if let (Some(from), Some(to)) = (filter.from(), filter.to()) {
        return Ok(Some((from, to)));
    }
    let live = || event::Entity::find().filter(filter.condition(db.backend())).select_only();
    let (earliest, latest) = filter.axis_columns();
    // ORDER BY … LIMIT 1 rather than MIN and MAX in one statement: each walks its own index
    // from one end instead of reading every event.
    let low: Option<i64> = match filter.from() {
        Some(from) => Some(from),
        None => {
            // An open start is no first instant: its sentinel would stretch the axis to year −126,000.
            let first = live().filter(earliest.gt(dates::OPEN_START)).column(earliest).order_by_asc(earliest);
            first.limit(1).into_tuple().one(db.reader()).await?
        }
    };
    let high: Option<i64> = match filter.to() {
        Some(to) => Some(to),
        None => {
            let last = live().filter(latest.lt(dates::OPEN_END)).column(latest).order_by_desc(latest);
            last.limit(1).into_tuple().one(db.reader()).await?
        }
    };
    Ok(match (low, high) {
        (Some(low), Some(high)) if low <= high => Some((low, high)),
        _ => None,
    })
}

/// Counts per slot from `GROUP BY` rows: integer division rounds towards zero, so anything
/// before the period lands in slot 0, and nothing is past the last.
fn clamped(rows: impl IntoIterator<Item = (i64, i64)>, last: i64) -> BTreeMap<i64, u64> {
    let mut counts = BTreeMap::new();
    for (slot, n) in rows {
        *counts.entry(slot.clamp(0, last)).or_default() += u64::try_from(n).unwrap_or(0);
    }
    counts
}

/// Counts per slot of the events matching the filter and `within`.
async fn from_events(
    db: &Database,
    filter: &CheckedFilter,
    slices: Slices,
    within: Condition,
) -> ServiceResult<BTreeMap<i64, u64>> {
    use sea_orm::sea_query::ExprTrait;
    let rows: Vec<(i64, i64)> = event::Entity::find()
        .filter(filter.condition(db.backend()))
        .filter(within)
        .select_only()
        .column_as(slices.slot_of(Expr::col((event::Entity, filter.axis_columns().0))), "slot")
        .column_as(Expr::col(sea_orm::sea_query::Asterisk).count(), "n")
        // By the alias: PostgreSQL would not see two parameterised copies of the expression as one.
        .group_by(Expr::cust("slot"))
        .into_tuple()
        .all(db.reader())
        .await?;
    Ok(clamped(rows, slices.last))
}

/// [`histogram`]'s counts from `event_day`, for a filter by period only (SQLite): the days that
/// lie whole in one slice summed per slice by the database (a hundred rows rather than one a
/// day: a timeline of 26 years has some 9,500 days with events), and the few days a slice
/// boundary or an end of the period cuts counted from their events.
async fn from_days(db: &Database, filter: &CheckedFilter, slices: Slices) -> ServiceResult<BTreeMap<i64, u64>> {
    use sea_orm::sea_query::ExprTrait;
    let day = || Expr::col(Alias::new("day"));
    let start = || day().mul(DAY);
    let end = || day().mul(DAY).add(DAY - 1);
    let whole = Condition::all()
        .add(start().gte(slices.from))
        .add(end().lte(slices.to))
        .add(slices.slot_of(start()).eq(slices.slot_of(end())));
    let days = || {
        Query::select()
            .from(Alias::new("event_day"))
            .and_where(day().gte(slices.from.div_euclid(DAY)))
            .and_where(day().lte(slices.to.div_euclid(DAY)))
            .and_where(Expr::col(Alias::new("events")).ne(0))
            .to_owned()
    };
    let summed = days()
        .expr_as(slices.slot_of(start()), Alias::new("slot"))
        .expr_as(Expr::col(Alias::new("events")).sum(), Alias::new("n"))
        .cond_where(whole.clone())
        .group_by_col(Alias::new("slot"))
        .to_owned();
    let mut counts: BTreeMap<i64, u64> = BTreeMap::new();
    for row in db.reader().query_all_raw(db.backend().build(&summed)).await? {
        let slot: i64 = row.try_get("", "slot")?;
        let n: i64 = row.try_get("", "n")?;
        *counts.entry(slot.clamp(0, slices.last)).or_default() += u64::try_from(n).unwrap_or(0);
    }
    let cut_days = days().column(Alias::new("day")).cond_where(whole.not()).to_owned();
    let mut cuts = Vec::new();
    for row in db.reader().query_all_raw(db.backend().build(&cut_days)).await? {
        let day: i64 = row.try_get("", "day")?;
        cuts.push((std::cmp::max(day * DAY, slices.from), std::cmp::min(day * DAY + DAY - 1, slices.to)));
    }
    // The cut days and the stretches beyond lie in the period: its own terms are implied.
    let unbounded = filter.without_period();
    for (slot, n) in in_stretches(db, &unbounded, slices, cuts).await? {
        *counts.entry(slot).or_default() += n;
    }
    // Where the filter leaves the period open, the axis runs over real instants only: events with
    // an open start (before it) count in the first slice, and events with an open end that begin
    // after the last closed span in the last, as `from_events` counts them.
    // One range a statement: with the two in one OR, SQLite walks every live event (through the
    // partial index on live events) instead of two short stretches of `ix_event_start`.
    let mut beyond = Vec::new();
    if filter.from().is_none() {
        beyond.push(event::Column::StartEarliest.lt(slices.from));
    }
    if filter.to().is_none() {
        beyond.push(event::Column::StartEarliest.gt(slices.to));
    }
    for range in beyond {
        for (slot, n) in from_events(db, &unbounded, slices, Condition::all().add(range)).await? {
            *counts.entry(slot).or_default() += n;
        }
    }
    // Events that began before the period and still run in it count in the first slice.
    if let Some(from) = filter.from() {
        let running = running_in(db, filter, from).await?;
        if running > 0 {
            *counts.entry(0).or_default() += running;
        }
    }
    Ok(counts)
}
