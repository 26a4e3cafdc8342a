//! Keyset pagination (Relay cursors): a page is the rows after (or before) a cursor in a fixed
//! order; never an OFFSET, so page 10,000 costs what page 1 costs.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sea_orm::sea_query::{Expr, ExprTrait, IntoColumnRef, SimpleExpr};
use sea_orm::{ConnectionTrait, DbErr, EntityTrait, Order, QueryFilter, QueryOrder, QuerySelect, Select, Value};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{ServiceError, ServiceResult};

/// The largest `first` or `last` a client may ask for.
pub const MAX_PAGE: u64 = 500;
/// The page size when the client gives neither `first` nor `last`.
pub const DEFAULT_PAGE: u64 = 50;

/// A validated page request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest {
    pub limit: u64,
    /// `last`/`before`: the page ends at the cursor.
    pub backward: bool,
    pub cursor: Option<String>,
}

impl PageRequest {
    /// Checks Relay's `first`/`after`/`last`/`before` arguments.
    pub fn new(
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ServiceResult<Self> {
        if first.is_some() && last.is_some() {
            return Err(ServiceError::validation("last", "give either first or last, not both"));
        }
        if first.is_some() && before.is_some() {
            return Err(ServiceError::validation("before", "use before with last, and after with first"));
        }
        if last.is_some() && after.is_some() {
            return Err(ServiceError::validation("after", "use after with first, and before with last"));
        }
        let backward = last.is_some() || before.is_some();
        let (field, count) = if backward { ("last", last) } else { ("first", first) };
        let limit = match count {
            None => DEFAULT_PAGE,
            Some(n) if n < 0 => return Err(ServiceError::validation(field, "must not be negative")),
            Some(n) if n as u64 > MAX_PAGE => {
                return Err(ServiceError::validation(field, format!("{n} is above the limit of {MAX_PAGE} per page")));
            }
            Some(n) => n as u64,
        };
        Ok(Self { limit, backward, cursor: if backward { before } else { after } })
    }

    /// A forward request for the first `limit` rows.
    pub fn first(limit: u64) -> Self {
        Self { limit, backward: false, cursor: None }
    }

    /// Decodes the cursor into the key it was made from.
    pub fn key<K: DeserializeOwned>(&self) -> ServiceResult<Option<K>> {
        let field = if self.backward { "before" } else { "after" };
        self.cursor.as_deref().map(|cursor| decode_cursor(field, cursor)).transpose()
    }
}

/// One page of rows in order, with what lies beyond it.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub has_next: bool,
    pub has_previous: bool,
}

impl<T> Page<T> {
    /// The same page of other items, one for each of its own.
    pub fn map<U>(&self, item: impl FnMut(&T) -> U) -> Page<U> {
        Page { items: self.items.iter().map(item).collect(), has_next: self.has_next, has_previous: self.has_previous }
    }
}

pub fn encode_cursor<K: Serialize>(key: &K) -> String {
    // Serialising plain keys (numbers, strings, UUIDs) cannot fail; an empty cursor would only
    // restart the listing.
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(key).unwrap_or_default())
}

fn decode_cursor<K: DeserializeOwned>(field: &str, cursor: &str) -> ServiceResult<K> {
    URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .ok_or_else(|| ServiceError::validation(field, "not a cursor of this list"))
}

/// Runs `select` for one page ordered by `columns` (which must end in a unique column), after or
/// before the row whose key values are `key`. Fetches one row more than asked to learn whether
/// another page follows.
pub async fn fetch<E, C>(
    connection: &impl ConnectionTrait,
    select: Select<E>,
    columns: &[C],
    key: Option<Vec<Value>>,
    request: &PageRequest,
    descending: bool,
) -> Result<Page<E::Model>, DbErr>
where
    E: EntityTrait,
    C: IntoColumnRef + Copy,
{
    // Reading backwards walks the order in reverse, then flips the rows back.
    let reverse = descending != request.backward;
    let rows = walk(connection, select, columns, key, reverse, request.limit + 1).await?;
    Ok(cut(rows, request))
}

/// Up to `limit` rows of `select` in the order of `columns` (reversed when `reverse`), after
/// the row whose key values are `key`: one step of a walk through a list.
pub async fn walk<E, C>(
    connection: &impl ConnectionTrait,
    select: Select<E>,
    columns: &[C],
    key: Option<Vec<Value>>,
    reverse: bool,
    limit: u64,
) -> Result<Vec<E::Model>, DbErr>
where
    E: EntityTrait,
    C: IntoColumnRef + Copy,
{
    let mut select = select;
    if let Some(values) = key {
        let left = Expr::tuple(columns.iter().map(|column| SimpleExpr::Column(column.into_column_ref())));
        let right = Expr::tuple(values.into_iter().map(SimpleExpr::Value));
        select = select.filter(if reverse { left.lt(right) } else { left.gt(right) });
    }
    for column in columns {
        let order = if reverse { Order::Desc } else { Order::Asc };
        select = select.order_by(SimpleExpr::Column(column.into_column_ref()), order);
    }
    select.limit(limit).all(connection).await
}

/// The page of `rows`, read in the page's walking order with one row more than asked for (which
/// tells whether another page follows), back in the list's order.
pub fn cut<T>(mut rows: Vec<T>, request: &PageRequest) -> Page<T> {
    let more = rows.len() as u64 > request.limit;
    rows.truncate(request.limit as usize);
    if request.backward {
        rows.reverse();
    }
    let had_cursor = request.cursor.is_some();
    if request.backward {
        Page { items: rows, has_next: had_cursor, has_previous: more }
    } else {
        Page { items: rows, has_next: more, has_previous: had_cursor }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_checked_and_name_the_argument() {
        assert_eq!(PageRequest::new(Some(500), None, None, None).map(|r| r.limit).ok(), Some(500));
        let over = PageRequest::new(Some(501), None, None, None);
        assert!(matches!(over, Err(ServiceError::Validation { ref field, .. }) if field == "first"));
        let over = PageRequest::new(None, None, Some(10_000), None);
        assert!(matches!(over, Err(ServiceError::Validation { ref field, .. }) if field == "last"));
        assert!(PageRequest::new(Some(1), None, Some(1), None).is_err());
        assert_eq!(PageRequest::new(None, None, None, None).map(|r| r.limit).ok(), Some(DEFAULT_PAGE));
    }

    #[test]
    fn cursors_round_trip_and_reject_garbage() {
        let request = PageRequest::new(Some(1), Some(encode_cursor(&(5_i64, "x"))), None, None);
        let key: Option<(i64, String)> = request.and_then(|r| r.key()).ok().flatten();
        assert_eq!(key, Some((5, "x".to_owned())));
        let garbage = PageRequest::new(Some(1), Some("%%".into()), None, None).and_then(|r| r.key::<(i64, String)>());
        assert!(matches!(garbage, Err(ServiceError::Validation { ref field, .. }) if field == "after"));
    }
}
