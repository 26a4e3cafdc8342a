//! `node(id)`: resolves any global ID.

use async_graphql::{Context, ID, Object, Result};

use crate::db::Database;
use crate::graphql::types::actor::{self, ParticipationScope};
use crate::graphql::types::{Node, SavedView, event, source, story};
use crate::ids::{self, NodeKind};
use crate::service::{notes, relations, stories, views};

#[derive(Default)]
pub struct NodeQuery;

#[Object]
impl NodeQuery {
    /// Any object by its global ID; null if there is none.
    async fn node(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Node>> {
        let db = ctx.data::<Database>()?;
        let (kind, id) = ids::decode_any(&id, "id")?;
        let node = match kind {
            NodeKind::Event => event::load(db, vec![id]).await?.remove(&id).map(Node::Event),
            NodeKind::Actor => actor::load(db, vec![id]).await?.remove(&id).map(Node::Actor),
            NodeKind::Source => source::load(db, vec![id]).await?.remove(&id).map(Node::Source),
            NodeKind::Participation => {
                let rows = relations::participations(db, &[id]).await?.into_values().collect();
                ParticipationScope::wrap(db, rows).pop().map(Node::Participation)
            }
            NodeKind::Citation => {
                let rows = relations::citations(db, &[id]).await?;
                let grouped = rows.into_iter().map(|(key, row)| (key, vec![row])).collect();
                source::CitationScope::wrap_grouped(db, grouped)
                    .remove(&id)
                    .and_then(|mut c| c.pop())
                    .map(Node::Citation)
            }
            NodeKind::EventLink => {
                let rows = relations::event_links(db, &[id]).await?;
                let grouped = rows.into_iter().map(|(key, row)| (key, vec![row])).collect();
                event::wrap_links(db, grouped).remove(&id).and_then(|mut l| l.pop()).map(Node::EventLink)
            }
            NodeKind::Account => crate::graphql::types::account::load(db, id).await?.map(Node::Account),
            NodeKind::Note => {
                notes::get(db, id).await?.map(|row| Node::Note(crate::graphql::types::note::one(db, row)))
            }
            NodeKind::View => views::get(db, id).await?.map(|row| Node::SavedView(SavedView { row })),
            NodeKind::Story => match stories::get(db, id).await? {
                Some(row) => story::wrap(db, vec![row])?.pop().map(Node::Story),
                None => None,
            },
        };
        Ok(node)
    }
}
