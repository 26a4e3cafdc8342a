//! `views`, `view(id)`, `stories`, `story(id)`: the team's saved views and stories.

use async_graphql::{Context, ID, Object, Result};

use crate::db::Database;
use crate::graphql::cost;
use crate::graphql::types::{SavedView, Story, story};
use crate::ids::{self, NodeKind};
use crate::service::{stories, views};

#[derive(Default)]
pub struct ViewQuery;

#[Object]
impl ViewQuery {
    /// Saved views in name order: `first` (1 to 500) from `offset`.
    #[graphql(complexity = "cost::paged(first, child_complexity)")]
    async fn views(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 50)] first: i32,
        #[graphql(default = 0)] offset: i32,
    ) -> Result<Vec<SavedView>> {
        let db = ctx.data::<Database>()?;
        Ok(views::list(db, first, offset).await?.into_iter().map(|row| SavedView { row }).collect())
    }

    /// A saved view; null if there is none with this ID.
    async fn view(&self, ctx: &Context<'_>, id: ID) -> Result<Option<SavedView>> {
        let db = ctx.data::<Database>()?;
        let id = ids::decode(NodeKind::View, &id, "id")?;
        Ok(views::get(db, id).await?.map(|row| SavedView { row }))
    }

    /// Stories in title order: `first` (1 to 500) from `offset`.
    #[graphql(complexity = "cost::paged(first, child_complexity)")]
    async fn stories(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 50)] first: i32,
        #[graphql(default = 0)] offset: i32,
    ) -> Result<Vec<Story>> {
        let db = ctx.data::<Database>()?;
        story::wrap(db, stories::list(db, first, offset).await?)
    }

    /// A story; null if there is none with this ID.
    async fn story(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Story>> {
        let db = ctx.data::<Database>()?;
        let id = ids::decode(NodeKind::Story, &id, "id")?;
        match stories::get(db, id).await? {
            Some(row) => Ok(story::wrap(db, vec![row])?.pop()),
            None => Ok(None),
        }
    }
}
