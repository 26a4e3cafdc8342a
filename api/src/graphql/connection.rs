//! Relay connections: edges with cursors, page info, and a `totalCount` counted only when asked for.

use std::sync::Arc;

use async_graphql::connection::{Connection, Edge, EmptyFields};
use async_graphql::{Object, OutputType, Result};
use futures_util::future::BoxFuture;

use crate::error::ServiceResult;
use crate::service::page::Page;

type Counter = Arc<dyn Fn() -> BoxFuture<'static, ServiceResult<u64>> + Send + Sync>;

/// The fields a connection adds to Relay's: how many nodes match in all.
pub struct Total(Counter);

impl Total {
    pub fn new<F>(count: F) -> Self
    where
        F: Fn() -> BoxFuture<'static, ServiceResult<u64>> + Send + Sync + 'static,
    {
        Self(Arc::new(count))
    }
}

#[Object]
impl Total {
    /// How many nodes match, across all pages (one extra query, run only when this field is asked for).
    async fn total_count(&self) -> Result<i64> {
        let count = (self.0)().await?;
        Ok(i64::try_from(count).unwrap_or(i64::MAX))
    }
}

pub type Paged<T> = Connection<String, T, Total, EmptyFields>;

/// Builds a connection from a page of rows: `wrap` turns the rows into nodes (sharing a batch
/// scope), `cursor` gives each row's cursor.
pub fn build<R, T: OutputType>(
    page: Page<R>,
    cursor: impl Fn(&R) -> String,
    wrap: impl FnOnce(Vec<R>) -> Vec<T>,
    total: Total,
) -> Paged<T> {
    let mut connection = Connection::with_additional_fields(page.has_previous, page.has_next, total);
    let cursors: Vec<String> = page.items.iter().map(cursor).collect();
    connection.edges.extend(cursors.into_iter().zip(wrap(page.items)).map(|(cursor, node)| Edge::new(cursor, node)));
    connection
}
