//! Reading sources.

use async_graphql::{Context, ID, Object, Result};
use futures_util::FutureExt;

use crate::db::Database;
use crate::graphql::connection::{self, Paged, Total};
use crate::graphql::types::{Source, source};
use crate::ids::{self, NodeKind};
use crate::service::page::PageRequest;
use crate::service::sources;

#[derive(Default)]
pub struct SourceQuery;

#[Object]
impl SourceQuery {
    async fn source(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Source>> {
        let db = ctx.data::<Database>()?;
        let id = ids::decode(NodeKind::Source, &id, "id")?;
        let row = sources::get(db, id).await?;
        Ok(row.and_then(|row| source::wrap(db, vec![row]).pop()))
    }

    /// Sources in title order; `search` matches titles, publishers, authors and notes.
    #[graphql(complexity = "crate::graphql::cost::connection(first, last, child_complexity)")]
    async fn sources(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        search: Option<String>,
    ) -> Result<Paged<Source>> {
        let db = ctx.data::<Database>()?.clone();
        let request = PageRequest::new(first, after, last, before)?;
        let page = sources::list(&db, search.as_deref(), &request).await?;
        let counting = (db.clone(), search);
        let total = Total::new(move || {
            let (db, search) = counting.clone();
            async move { sources::count(&db, search.as_deref()).await }.boxed()
        });
        Ok(connection::build(page, sources::cursor, |rows| source::wrap(&db, rows), total))
    }
}
