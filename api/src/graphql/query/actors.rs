//! Reading actors.

use async_graphql::{Context, ID, Object, Result};
use futures_util::FutureExt;

use crate::db::Database;
use crate::graphql::connection::{self, Paged, Total};
use crate::graphql::types::{Actor, actor};
use crate::ids::{self, NodeKind};
use crate::service::actors;
use crate::service::page::PageRequest;

#[derive(Default)]
pub struct ActorQuery;

#[Object]
impl ActorQuery {
    async fn actor(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Actor>> {
        let db = ctx.data::<Database>()?;
        let id = ids::decode(NodeKind::Actor, &id, "id")?;
        let row = actors::get(db, id).await?;
        Ok(row.and_then(|row| actor::wrap(db, vec![row]).pop()))
    }

    /// Actors in name order; `search` matches names, aliases and descriptions (every word, as a prefix).
    #[graphql(complexity = "crate::graphql::cost::connection(first, last, child_complexity)")]
    async fn actors(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        search: Option<String>,
    ) -> Result<Paged<Actor>> {
        let db = ctx.data::<Database>()?.clone();
        let request = PageRequest::new(first, after, last, before)?;
        let page = actors::list(&db, search.as_deref(), &request).await?;
        let counting = (db.clone(), search);
        let total = Total::new(move || {
            let (db, search) = counting.clone();
            async move { actors::count(&db, search.as_deref()).await }.boxed()
        });
        Ok(connection::build(page, actors::cursor, |rows| actor::wrap(&db, rows), total))
    }
}
