//! "What overlaps [from, to]", fast at any size: events are split by span class (the generated
//! column `span_class`: an event of class `c` lasts less than `2^c` seconds), and for each class
//! only the events that started less than `2^c` seconds before `from` can still be running then.
//! Each class is one range of the index `ix_event_span_class`; the classes' ranges are merged in
//! the timeline's order. A plain `span_latest >= from AND start_earliest <= to` would instead
//! read every event that started before `from`.
//!
//! A date with an open or unknown side is stored with a sentinel there (see
//! [`crate::service::dates`]): an open start is class 42, found by every window that does not
//! end before its latest (`span_latest >= from`); an open end is class 43, found by every window
//! that does not begin after its earliest (`start_earliest <= to`). The event could have
//! happened in any such window, so an archivist's search must not miss it.

use std::sync::LazyLock;

use sea_orm::sea_query::{
    Alias, Asterisk, Condition, Expr, ExprTrait, IntoColumnRef, Order, Query, SelectStatement, SimpleExpr, UnionType,
    Values,
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, IdenStatic, QueryFilter, QueryResult, QuerySelect,
    QueryTrait, Statement, Value,
};

use entity::event;

use super::event_row::{self, Shown, ShownEvent};
use super::statement_cache::StatementCache;

/// The span classes: `0..=40` are bounded by `2^class` seconds, 41 holds anything longer (see
/// the migration `m20261201_000006_span_class`), 42 open starts and 43 open ends
/// (`m20261206_000010_open_dates`); the last three have no bound on the start.
pub(super) const BOUNDED: i64 = 40;
pub(super) const LAST: i64 = BOUNDED + 3;

pub(super) fn span_class() -> Expr {
    Expr::col((event::Entity, Alias::new("span_class")))
}

/// The condition for class `class` of the events overlapping from `from`: the class, and a start
/// no earlier than the longest span of the class allows. The class is written into the SQL, not
/// bound: each arm's class is then a constant of the statement, which PostgreSQL plans once for
/// all requests (with the class as a parameter, its cached generic plan never looked cheaper than
/// planning the 44 arms anew for each request: 2–9 ms of planning a page).
pub(super) fn class_condition(class: i64, from: i64) -> Condition {
    let mut condition = Condition::all().add(span_class().eq(Expr::Constant(class.into())));
    if class <= BOUNDED {
        condition = condition.add(event::Column::StartEarliest.gte(from.saturating_sub(1_i64 << class)));
    }
    condition
}

/// The keys of the timeline's order, which end in the unique ID.
const ORDER: [event::Column; 3] = [event::Column::StartEarliest, event::Column::StartPrecision, event::Column::Id];

/// The keys (start, precision, ID) of the events matching `condition` (which must hold
/// `span_latest >= from`), after `key` in the order `reverse` says: one arm per class, merged.
/// Each arm is a range of the index in the order asked for, and the compound's ORDER BY (with the
/// LIMIT the caller adds) lets SQLite (MERGE UNION ALL) and PostgreSQL (Merge Append) pull from
/// each arm only the rows the merge takes.
fn merged_keys(condition: &Condition, from: i64, key: Option<&[Value]>, reverse: bool) -> SelectStatement {
    let order = if reverse { Order::Desc } else { Order::Asc };
    let mut union: Option<SelectStatement> = None;
    for class in 0..=LAST {
        let mut arm = event::Entity::find()
            .select_only()
            .columns(ORDER)
            .filter(condition.clone())
            .filter(class_condition(class, from));
        if let Some(values) = key {
            let left = Expr::tuple(ORDER.iter().map(|column| SimpleExpr::Column(column.into_column_ref())));
            let right = Expr::tuple(values.iter().cloned().map(SimpleExpr::Value));
            arm = arm.filter(if reverse { left.lt(right) } else { left.gt(right) });
        }
        let arm = arm.into_query();
        match &mut union {
            None => union = Some(arm),
            Some(union) => {
                union.union(UnionType::All, arm);
            }
        }
    }
    let mut union = union.unwrap_or_else(|| Query::select().to_owned());
    // The compound's order, by the result's column names.
    for column in ORDER {
        union.order_by(Alias::new(column.as_str()), order.clone());
    }
    union
}

/// The first `limit` events overlapping from `from` and matching `condition`, after `key` in the
/// timeline's order (before it when `reverse`), in that order.
pub async fn page(
    connection: &impl ConnectionTrait,
    condition: Condition,
    from: i64,
    key: Option<Vec<Value>>,
    reverse: bool,
    limit: u64,
) -> Result<Vec<event::Model>, DbErr> {
    let window = Window { condition: &condition, from, key: key.as_deref(), reverse, limit, columns: Columns::All };
    let mut rows = read(connection, &window, event_row::from_position).await?;
    sort(&mut rows, reverse, |row| (row.start_earliest, row.start_precision, row.id));
    Ok(rows)
}

/// [`page`] with only the columns the timeline's built page shows.
pub async fn shown_page(
    connection: &impl ConnectionTrait,
    condition: Condition,
    from: i64,
    key: Option<Vec<Value>>,
    reverse: bool,
    limit: u64,
    shown: Shown,
) -> Result<Vec<ShownEvent>, DbErr> {
    let columns = Columns::Shown(shown);
    let window = Window { condition: &condition, from, key: key.as_deref(), reverse, limit, columns };
    let mut rows = read(connection, &window, event_row::shown_from_position).await?;
    sort(&mut rows, reverse, |row| (row.key.0, row.key.1, row.id));
    Ok(rows)
}

async fn read<R>(
    connection: &impl ConnectionTrait,
    window: &Window<'_>,
    row: impl Fn(&QueryResult) -> Result<R, DbErr>,
) -> Result<Vec<R>, DbErr> {
    let statement = page_statement(connection.get_database_backend(), window);
    connection.query_all_raw(statement).await?.iter().map(row).collect()
}

/// Rows in the timeline's order by `key` (start, precision, ID), reversed when `reverse`.
fn sort<R>(rows: &mut [R], reverse: bool, key: impl Fn(&R) -> (i64, i16, uuid::Uuid)) {
    rows.sort_by(|a, b| {
        let order = key(a).cmp(&key(b));
        if reverse { order.reverse() } else { order }
    });
}

/// Which columns a window statement selects.
#[derive(Debug, Clone, Copy)]
enum Columns {
    /// Every column of `event` ([`event_row::columns`]).
    All,
    /// Those of [`ShownEvent`] ([`event_row::shown_columns`]).
    Shown(Shown),
}

/// What [`page`] asks for.
struct Window<'a> {
    condition: &'a Condition,
    from: i64,
    key: Option<&'a [Value]>,
    reverse: bool,
    limit: u64,
    columns: Columns,
}

/// The window statements built so far (see [`StatementCache`]).
static PAGES: LazyLock<StatementCache> = LazyLock::new(StatementCache::default);

/// The statement of [`page`]: its text kept by the filter's shape, its values laid out here in
/// the order sea-query lays them out (each arm's filter, its class's lower bound, the key).
fn page_statement(backend: DbBackend, window: &Window) -> Statement {
    let filter = backend.build(&Query::select().cond_where(window.condition.clone()).to_owned());
    let shape = shape(backend, &filter.sql, window);
    let filter_values = filter.values.map(|values| values.0).unwrap_or_default();
    let mut values = Vec::new();
    for class in 0..=LAST {
        values.extend(filter_values.iter().cloned());
        if class <= BOUNDED {
            values.push(Value::from(window.from.saturating_sub(1_i64 << class)));
        }
        values.extend(window.key.into_iter().flatten().cloned());
    }
    if let Some(sql) = PAGES.get(&shape) {
        return Statement { sql: sql.to_string(), values: Some(Values(values)), db_backend: backend };
    }
    let built = built_page_statement(backend, window);
    if built.values.as_ref().is_some_and(|built| built.0 == values) {
        PAGES.keep(shape, &built.sql);
    } else {
        tracing::warn!("the window statement's values are not laid out as expected; it is built anew each time");
    }
    built
}

/// What a window statement's text depends on: the filter's SQL (its values as placeholders), the
/// length of the key it starts after, its direction, its LIMIT and the columns it selects.
fn shape(backend: DbBackend, filter_sql: &str, window: &Window) -> String {
    let key_len = window.key.map_or(0, <[Value]>::len);
    format!("{backend:?} {key_len} {} {} {:?} {filter_sql}", window.reverse, window.limit, window.columns)
}

/// [`page_statement`] built whole by sea-query.
fn built_page_statement(backend: DbBackend, window: &Window) -> Statement {
    let keys = backend.build(&merged_keys(window.condition, window.from, window.key, window.reverse));
    let limit = window.limit;
    let columns = match window.columns {
        Columns::All => event_row::columns(backend),
        Columns::Shown(shown) => event_row::shown_columns(shown),
    };
    // The LIMIT is written into the SQL, not bound: SQLite (3.51) plans a bound LIMIT by its value
    // and so prepares the statement again each time the value is bound, i.e. on every request (a
    // seventh of the server's CPU on a window page); a page has a handful of sizes.
    let sql = format!(r#"{columns} WHERE "event"."id" IN (SELECT "k"."id" FROM ({} LIMIT {limit}) AS "k")"#, keys.sql);
    Statement { sql, values: keys.values, db_backend: backend }
}

/// How many events overlap from `from` and match `condition`.
pub async fn count(connection: &impl ConnectionTrait, condition: Condition, from: i64) -> Result<u64, DbErr> {
    let mut union: Option<SelectStatement> = None;
    for class in 0..=LAST {
        let arm = event::Entity::find()
            .select_only()
            .column_as(Expr::col(Asterisk).count(), "n")
            .filter(condition.clone())
            .filter(class_condition(class, from))
            .into_query();
        match &mut union {
            None => union = Some(arm),
            Some(union) => {
                union.union(UnionType::All, arm);
            }
        }
    }
    let Some(union) = union else {
        return Ok(0);
    };
    let total = Query::select()
        // SUM of integers is a NUMERIC on PostgreSQL.
        .expr_as(Expr::col(Alias::new("n")).sum().cast_as(Alias::new("BIGINT")), Alias::new("total"))
        .from_subquery(union, Alias::new("classes"))
        .to_owned();
    let backend = connection.get_database_backend();
    let row = connection.query_one_raw(backend.build(&total)).await?;
    let total: Option<i64> = match row {
        Some(row) => row.try_get("", "total")?,
        None => None,
    };
    Ok(total.and_then(|n| u64::try_from(n).ok()).unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use sea_orm::{ColumnTrait, DbBackend, Value};
    use uuid::Uuid;

    use super::*;

    /// A statement whose text comes from the cache is the one sea-query builds for its values,
    /// for filters of several shapes, with and without a key, in both directions, with every
    /// column or those shown, on both databases; the first request of a shape keeps its text only because they matched.
    #[test]
    fn a_kept_window_statement_is_the_one_sea_query_builds() {
        let filters = [
            Condition::all().add(event::Column::DeletedAt.is_null()).add(event::Column::SpanLatest.gte(100)),
            Condition::all()
                .add(event::Column::DeletedAt.is_null())
                .add(event::Column::StartEarliest.lte(5_000))
                .add(event::Column::Support.is_in(["supported", "weakened"])),
        ];
        let key = [Value::from(7_i64), Value::from(3_i16), Value::from(Uuid::nil())];
        let columns = [
            Columns::All,
            Columns::Shown(Shown { summary: true, end: true }),
            Columns::Shown(Shown { summary: false, end: false }),
        ];
        // Every combination of a key (or none), a direction and the columns.
        let combinations = || {
            [None, Some(&key[..])].into_iter().flat_map(move |key| {
                [false, true].into_iter().flat_map(move |reverse| columns.map(|columns| (key, reverse, columns)))
            })
        };
        for backend in [DbBackend::Sqlite, DbBackend::Postgres] {
            for filter in &filters {
                for (key, reverse, columns) in combinations() {
                    for from in [1_000_i64, 2_000, 1 << 45] {
                        let window = Window { condition: filter, from, key, reverse, limit: 101, columns };
                        let statement = page_statement(backend, &window);
                        let built = built_page_statement(backend, &window);
                        assert_eq!(statement.sql, built.sql);
                        assert_eq!(statement.values, built.values);
                    }
                }
                let filter_sql = backend.build(&Query::select().cond_where(filter.clone()).to_owned()).sql;
                for (key, reverse, columns) in combinations() {
                    let window = Window { condition: filter, from: 0, key, reverse, limit: 101, columns };
                    let shape = shape(backend, &filter_sql, &window);
                    assert!(PAGES.get(&shape).is_some(), "the text of {shape} is kept");
                }
            }
        }
    }
}
